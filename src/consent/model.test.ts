// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AccessRequest,
  type ConsentGrant,
  type ConventionAllowance,
  decide,
  grantsOf,
  majorityDate,
  offerOf,
  type PairingFacts,
  parseScope,
  reapprovalNeeded,
  type ServiceFacts,
  scopeOf,
  scopesOf,
} from './model.ts';

const NOW = new Date('2025-06-15T10:00:00Z');
const HOLDER = 'holder';
const GUARDIAN = 'guardian';
const service: ServiceFacts = { oid: '1.2.250.1.1', catalogueStatus: 'EN_LIGNE', version: '2.0' };
const pairing: PairingFacts = {
  citizenId: HOLDER,
  status: 'active',
  acknowledgedVersion: '2.0',
  majorityDate: null,
};
const grant = (over: Partial<ConsentGrant> = {}): ConsentGrant => ({
  finalite: 'prevention',
  category: 'poids',
  action: 'read',
  status: 'active',
  grantedAt: new Date('2025-01-01T00:00:00Z'),
  withdrawnAt: null,
  grantedBy: HOLDER,
  ...over,
});
const read: AccessRequest = { category: 'poids', action: 'read' };

describe('the decision of a data access', () => {
  const cases: Array<{
    name: string;
    service?: Partial<ServiceFacts>;
    pairing?: Partial<PairingFacts> | null;
    consents?: ConsentGrant[];
    request?: Partial<AccessRequest>;
    expect: ReturnType<typeof decide>;
  }> = [
    { name: 'permits what an active consent covers', expect: { permit: true, finalites: ['prevention'] } },
    {
      name: 'names every finalité that covers it, once',
      consents: [grant(), grant({ finalite: 'soins' }), grant({ finalite: 'soins' })],
      expect: { permit: true, finalites: ['prevention', 'soins'] },
    },
    {
      name: 'keeps to the named finalité',
      consents: [grant(), grant({ finalite: 'soins' })],
      request: { finalite: 'soins' },
      expect: { permit: true, finalites: ['soins'] },
    },
    {
      name: 'denies another finalité',
      request: { finalite: 'diagnostic' },
      expect: { permit: false, reason: 'no_consent' },
    },
    {
      name: 'denies another action',
      request: { action: 'write' },
      expect: { permit: false, reason: 'no_consent' },
    },
    {
      name: 'denies another category',
      request: { category: 'sommeil' },
      expect: { permit: false, reason: 'no_consent' },
    },
    {
      name: 'denies a withdrawn consent',
      consents: [grant({ status: 'withdrawn', withdrawnAt: NOW })],
      expect: { permit: false, reason: 'no_consent' },
    },
    {
      name: 'denies a consent granted after the access',
      consents: [grant({ grantedAt: new Date(NOW.getTime() + 1000) })],
      expect: { permit: false, reason: 'no_consent' },
    },
    { name: 'denies without consents', consents: [], expect: { permit: false, reason: 'no_consent' } },
    { name: 'denies without a pairing', pairing: null, expect: { permit: false, reason: 'not_paired' } },
    {
      name: 'denies an unpaired service',
      pairing: { status: 'unpaired' },
      expect: { permit: false, reason: 'unpaired' },
    },
    {
      name: 'denies a suspended service whatever the consents',
      service: { catalogueStatus: 'SUSPENDUE' },
      expect: { permit: false, reason: 'service_suspended' },
    },
    {
      name: 'denies an offline service',
      service: { catalogueStatus: 'HORS_LIGNE' },
      expect: { permit: false, reason: 'service_unavailable' },
    },
    {
      name: 'denies a dereferenced service',
      service: { catalogueStatus: 'DEREFERENCEE' },
      expect: { permit: false, reason: 'service_unavailable' },
    },
    {
      name: 'denies an unpublished service',
      service: { catalogueStatus: null },
      expect: { permit: false, reason: 'service_unavailable' },
    },
    {
      name: 'permits a pilot (pré-série) service',
      service: { catalogueStatus: 'PRESERIE' },
      expect: { permit: true, finalites: ['prevention'] },
    },
    {
      name: 'waits for re-approval of a new version',
      pairing: { acknowledgedVersion: '1.9' },
      expect: { permit: false, reason: 'reapproval_version' },
    },
    {
      name: 'permits a guardian’s consent before majority',
      pairing: { majorityDate: '2025-06-16' },
      consents: [grant({ grantedBy: GUARDIAN })],
      expect: { permit: true, finalites: ['prevention'] },
    },
    {
      name: 'waits for the holder’s approval from the majority date on',
      pairing: { majorityDate: '2025-06-15' },
      consents: [grant({ grantedBy: GUARDIAN })],
      expect: { permit: false, reason: 'reapproval_majority' },
    },
    {
      name: 'permits the holder’s own consent after majority',
      pairing: { majorityDate: '2025-06-15' },
      consents: [grant({ grantedBy: GUARDIAN }), grant({ finalite: 'soins' })],
      expect: { permit: true, finalites: ['soins'] },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = c.pairing === null ? undefined : { ...pairing, ...c.pairing };
      const decision = decide(
        { ...service, ...c.service },
        p,
        c.consents ?? [grant()],
        { ...read, ...c.request },
        NOW,
      );
      assert.deepEqual(decision, c.expect);
    });
  }
});

describe('re-approval', () => {
  it('is due for a new version, at majority for a guardian’s consents, and never for an unpaired service', () => {
    assert.equal(reapprovalNeeded(service, pairing, [grant()], NOW), null);
    assert.equal(
      reapprovalNeeded(service, { ...pairing, acknowledgedVersion: '1.0' }, [grant()], NOW),
      'version',
    );
    const adult = { ...pairing, majorityDate: '2025-01-01' };
    assert.equal(reapprovalNeeded(service, adult, [grant({ grantedBy: GUARDIAN })], NOW), 'majority');
    assert.equal(reapprovalNeeded(service, adult, [grant()], NOW), null);
    assert.equal(
      reapprovalNeeded(service, adult, [grant({ grantedBy: GUARDIAN, status: 'withdrawn' })], NOW),
      null,
    );
    assert.equal(
      reapprovalNeeded(service, { ...pairing, status: 'unpaired', acknowledgedVersion: '1' }, [], NOW),
      null,
    );
  });
});

describe('scopes and offers', () => {
  const convention: ConventionAllowance = {
    finalites: ['prevention', 'soins'],
    categories: [
      { code: 'poids', read: true, write: true },
      { code: 'sommeil', read: true, write: false },
      { code: 'inutile', read: false, write: false },
    ],
  };

  it('names a category and an action, and reads them back', () => {
    assert.equal(scopeOf('poids', 'read'), 'poids.read');
    assert.deepEqual(parseScope('poids.write'), { category: 'poids', action: 'write' });
    assert.deepEqual(parseScope('pression-arterielle.read'), {
      category: 'pression-arterielle',
      action: 'read',
    });
    for (const other of [
      'openid',
      'offline_access',
      '.read',
      'poids.delete',
      'poids',
      'patient/Observation.rs',
    ])
      assert.equal(parseScope(other), undefined, other);
  });

  it('offers per finalité what the convention allows and the service asked, nothing more', () => {
    const asked = offerOf(convention, ['openid', 'poids.read', 'sommeil.write', 'autre.read']);
    assert.deepEqual(asked, {
      finalites: [
        { code: 'prevention', exchanges: [{ category: 'poids', action: 'read' }] },
        { code: 'soins', exchanges: [{ category: 'poids', action: 'read' }] },
      ],
    });
    const all = offerOf(convention, ['openid']);
    assert.deepEqual(
      all.finalites[0].exchanges.map((e) => scopeOf(e.category, e.action)),
      ['poids.read', 'poids.write', 'sommeil.read'],
    );
    assert.deepEqual(offerOf(convention, ['autre.read']), { finalites: [] });
    assert.deepEqual(offerOf({ finalites: [], categories: convention.categories }), { finalites: [] });
  });

  it('grants the exchanges of the chosen finalités only, and their scopes once each', () => {
    const offer = offerOf(convention, ['poids.read', 'poids.write']);
    assert.deepEqual(grantsOf(offer, ['soins', 'diagnostic']), [
      { finalite: 'soins', category: 'poids', action: 'read' },
      { finalite: 'soins', category: 'poids', action: 'write' },
    ]);
    assert.deepEqual(grantsOf(offer, []), []);
    assert.deepEqual(scopesOf(offer, ['prevention', 'soins']), ['poids.read', 'poids.write']);
  });
});

describe('majority', () => {
  it('is the 18th birthday; a 29 February birth comes of age on 1 March', () => {
    assert.equal(majorityDate('2007-06-15'), '2025-06-15');
    assert.equal(majorityDate('2008-02-29'), '2026-03-01');
    assert.equal(majorityDate('2004-02-29'), '2022-03-01');
    assert.equal(majorityDate(null), null);
    assert.equal(majorityDate('15/06/2007'), null);
  });
});
