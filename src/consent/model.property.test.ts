// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type AccessRequest,
  type ConsentAction,
  type ConsentGrant,
  decide,
  type PairingFacts,
  type ServiceFacts,
} from './model.ts';

/**
 * Invariants of the consent decision over generated consents, pairings, services and sequences of grants,
 * withdrawals and requests: nothing is ever permitted that no active consent covers, a withdrawal holds
 * until a new consent, and a suspended, unpaired or unacknowledged pairing never gets data.
 */

const HOLDER = 'holder';
const finalites = ['prevention', 'diagnostic', 'soins', 'suivi-social'] as const;
const categories = ['poids', 'tension', 'sommeil'] as const;
const T0 = Date.UTC(2025, 0, 1);

const finaliteArb = fc.constantFrom(...finalites);
const categoryArb = fc.constantFrom(...categories);
const actionArb = fc.constantFrom<ConsentAction>('read', 'write');
const dateArb = fc.integer({ min: 0, max: 400 }).map((d) => new Date(T0 + d * 86_400_000));

const grantArb: fc.Arbitrary<ConsentGrant> = fc.record({
  finalite: finaliteArb,
  category: categoryArb,
  action: actionArb,
  status: fc.constantFrom('active' as const, 'withdrawn' as const),
  grantedAt: dateArb,
  withdrawnAt: fc.option(dateArb, { nil: null }),
  grantedBy: fc.constantFrom(HOLDER, 'guardian'),
});

const serviceArb: fc.Arbitrary<ServiceFacts> = fc.record({
  oid: fc.constant('1.2.250.1.1'),
  catalogueStatus: fc.constantFrom('EN_LIGNE', 'PRESERIE', 'HORS_LIGNE', 'SUSPENDUE', 'DEREFERENCEE', null),
  version: fc.constantFrom('1.0', '2.0'),
});

const pairingArb: fc.Arbitrary<PairingFacts> = fc.record({
  citizenId: fc.constant(HOLDER),
  status: fc.constantFrom('active' as const, 'unpaired' as const),
  acknowledgedVersion: fc.constantFrom('1.0', '2.0'),
  majorityDate: fc.option(
    dateArb.map((d) => d.toISOString().slice(0, 10)),
    { nil: null },
  ),
});

const requestArb: fc.Arbitrary<AccessRequest> = fc.record(
  { finalite: finaliteArb, category: categoryArb, action: actionArb },
  { requiredKeys: ['category', 'action'] },
);

const covers = (c: ConsentGrant, r: AccessRequest, now: Date) =>
  c.status === 'active' &&
  c.category === r.category &&
  c.action === r.action &&
  (r.finalite === undefined || c.finalite === r.finalite) &&
  c.grantedAt.getTime() <= now.getTime();

describe('the consent decision (properties)', () => {
  it('never permits an action that no active consent covers, and names only covering finalités', () => {
    fc.assert(
      fc.property(
        serviceArb,
        fc.option(pairingArb, { nil: undefined }),
        fc.array(grantArb, { maxLength: 12 }),
        requestArb,
        dateArb,
        (service, pairing, consents, request, now) => {
          const decision = decide(service, pairing, consents, request, now);
          if (!decision.permit) return;
          assert.ok(decision.finalites.length > 0);
          for (const f of decision.finalites) {
            assert.ok(consents.some((c) => c.finalite === f && covers(c, request, now)));
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never permits a suspended, unavailable, unpaired or unacknowledged pairing', () => {
    fc.assert(
      fc.property(
        serviceArb,
        fc.option(pairingArb, { nil: undefined }),
        fc.array(grantArb, { maxLength: 12 }),
        requestArb,
        dateArb,
        (service, pairing, consents, request, now) => {
          const decision = decide(service, pairing, consents, request, now);
          const blocked =
            service.catalogueStatus === 'SUSPENDUE' ||
            !['EN_LIGNE', 'PRESERIE'].includes(service.catalogueStatus ?? '') ||
            pairing === undefined ||
            pairing.status !== 'active' ||
            pairing.acknowledgedVersion !== service.version;
          if (blocked) assert.equal(decision.permit, false);
          if (service.catalogueStatus === 'SUSPENDUE')
            assert.deepEqual(decision, { permit: false, reason: 'service_suspended' });
        },
      ),
      { numRuns: 2000 },
    );
  });

  type Step =
    | { kind: 'grant'; finalite: string; category: string; action: ConsentAction }
    | { kind: 'withdraw'; finalite: string; category: string; action: ConsentAction }
    | { kind: 'withdraw_all' }
    | { kind: 'request'; request: AccessRequest };

  const stepArb: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant('grant' as const),
      finalite: finaliteArb,
      category: categoryArb,
      action: actionArb,
    }),
    fc.record({
      kind: fc.constant('withdraw' as const),
      finalite: finaliteArb,
      category: categoryArb,
      action: actionArb,
    }),
    fc.record({ kind: fc.constant('withdraw_all' as const) }),
    requestArb.map((request) => ({ kind: 'request' as const, request })),
    requestArb.map((request) => ({ kind: 'request' as const, request })),
  );

  it('after a withdrawal, permits no later request until a new consent', () => {
    const service: ServiceFacts = { oid: '1.2.250.1.1', catalogueStatus: 'EN_LIGNE', version: '1.0' };
    const pairing: PairingFacts = {
      citizenId: HOLDER,
      status: 'active',
      acknowledgedVersion: '1.0',
      majorityDate: null,
    };
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        // The consents as the store keeps them: one row per finalité × category × action.
        const rows = new Map<string, ConsentGrant>();
        const key = (f: string, c: string, a: string) => `${f}|${c}|${a}`;
        // What the citizen last did on each key: a grant, or a withdrawal.
        const last = new Map<string, 'grant' | 'withdraw'>();
        steps.forEach((step, i) => {
          const now = new Date(T0 + i * 60_000);
          if (step.kind === 'grant') {
            const k = key(step.finalite, step.category, step.action);
            rows.set(k, {
              finalite: step.finalite,
              category: step.category,
              action: step.action,
              status: 'active',
              grantedAt: now,
              withdrawnAt: null,
              grantedBy: HOLDER,
            });
            last.set(k, 'grant');
          } else if (step.kind === 'withdraw' || step.kind === 'withdraw_all') {
            for (const [k, row] of rows) {
              const match =
                step.kind === 'withdraw_all' || k === key(step.finalite, step.category, step.action);
              if (match && row.status === 'active')
                rows.set(k, { ...row, status: 'withdrawn', withdrawnAt: now });
              if (match) last.set(k, 'withdraw');
            }
          } else {
            const r = step.request;
            const decision = decide(service, pairing, [...rows.values()], r, now);
            const wanted = r.finalite ? [r.finalite] : finalites;
            const granted = wanted.filter((f) => last.get(key(f, r.category, r.action)) === 'grant');
            // Permitted exactly when some finalité's last word on this exchange was a grant, and only for those.
            assert.equal(decision.permit, granted.length > 0);
            if (decision.permit) assert.deepEqual([...decision.finalites].sort(), [...granted].sort());
          }
        });
      }),
      { numRuns: 1000 },
    );
  });
});
