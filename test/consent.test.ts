import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appendAuditEvent, verifyAuditLog } from '../src/audit/index.ts';
import {
  accessDecision,
  accessEvent,
  activityOf,
  type ConsentDeps,
  majorityDate,
  managedCitizens,
  PairingConflict,
  pair,
  pairingByIdPe,
  pairingsOf,
  pairingView,
  serviceForConsent,
  setConsents,
  unpair,
} from '../src/consent/index.ts';
import { act, declareVersion, getDossier } from '../src/dossier/service.ts';
import type { Actor } from '../src/identity/model.ts';
import { newId, randomToken } from '../src/platform/crypto.ts';
import { AppError } from '../src/platform/errors.ts';
import {
  createStaff,
  dossierDepsOf,
  draftDossier,
  readyPublisher,
  type Staff,
  walkTo,
} from './dossier-fixtures.ts';
import { CSRF, createAccount, createCitizen, sessionCookie, startTestApp, type TestApp } from './helpers.ts';

const citizen = (citizenId: string): Actor => ({ kind: 'citizen', citizenId, displayName: 'Citoyen' });
const READ = 'pression-arterielle.read';
const WRITE = 'pression-arterielle.write';
const DAY = 86_400_000;

/** Rejects with an AppError of that status (and, when given, that message key). */
async function refused(promise: Promise<unknown>, status: number, key?: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.status, status, `${error.message}`);
    if (key) assert.equal(error.message, key);
    return error;
  }
  assert.fail(`expected a ${status}`);
}

describe('pairings and consents', () => {
  let app: TestApp;
  let staff: Staff;
  let deps: ConsentDeps;
  /** A published service with data exchange; its convention widened to two finalités and two categories. */
  let service: { oid: string; dossierId: string; publisher: Awaited<ReturnType<typeof readyPublisher>> };

  async function publishedService(name: string) {
    const publisher = await readyPublisher(app, { name, dataExchange: true });
    const draft = await draftDossier(app, publisher, true);
    const published = await walkTo(app, staff, publisher, draft, 'published');
    assert.equal(published.state, 'published');
    assert.equal(published.catalogueStatus, 'EN_LIGNE');
    const convention = {
      ...(published.convention as Record<string, unknown>),
      finalites: ['prevention', 'soins'],
      categories: [
        { code: 'pression-arterielle', read: true, write: true },
        { code: 'poids', read: true, write: false },
      ],
    };
    await app.db
      .updateTable('dossiers')
      .set({ convention: JSON.stringify(convention) })
      .where('id', '=', published.id)
      .execute();
    return { oid: published.oid as string, dossierId: published.id, publisher };
  }

  before(async () => {
    app = await startTestApp();
    staff = await createStaff(app);
    deps = { db: app.db, notifier: app.notifier };
    service = await publishedService('Suivi Tension');
  });
  after(() => app.stop());

  it('describes the service the consent page offers', async () => {
    const view = await serviceForConsent(app.db, service.oid);
    assert.ok(view);
    assert.equal(view.name, 'Suivi Tension');
    assert.equal(view.catalogueStatus, 'EN_LIGNE');
    assert.equal(view.version, '1.0.0');
    assert.equal(view.exchangesData, true);
    assert.deepEqual(view.convention.finalites, ['prevention', 'soins']);
    assert.match(view.consentText, /J’accepte que Suivi Tension/);
    assert.equal(await serviceForConsent(app.db, '1.2.250.1.999.0.0'), undefined);
  });

  it('pairs a service: the chosen finalités of what was asked, an opaque idPe, permitted at once', async () => {
    const alice = await createCitizen(app.db, 'Alice', 'Apparie');
    const paired = await pair(deps, citizen(alice), {
      serviceOid: service.oid,
      forCitizenId: alice,
      serviceUserId: 'user-42',
      finalites: ['prevention'],
      scopes: ['openid', 'offline_access', READ],
    });
    assert.deepEqual(paired.grantedScopes, [READ]);
    assert.match(paired.idPe, /^[A-Za-z0-9_-]{32}$/);
    const view = await pairingView(app.db, citizen(alice), paired.pairingId);
    assert.equal(view.status, 'active');
    assert.equal(view.serviceUserId, 'user-42');
    assert.equal(view.acknowledgedVersion, '1.0.0');
    assert.equal(view.needsReapproval, null);
    assert.deepEqual(
      view.offer.finalites.map((f) => [f.code, f.exchanges.map((e) => `${e.category}.${e.action}`)]),
      [
        ['prevention', [READ]],
        ['soins', [READ]],
      ],
    );
    assert.deepEqual(
      view.consents.map((c) => [c.finalite, c.category, c.action, c.status, c.grantedBy]),
      [['prevention', 'pression-arterielle', 'read', 'active', alice]],
    );
    const q = { idPe: paired.idPe, serviceOid: service.oid, category: 'pression-arterielle' };
    assert.deepEqual((await accessDecision(app.db, { ...q, action: 'read' })).decision, {
      permit: true,
      finalites: ['prevention'],
    });
    // Not asked, so not granted: writing; another finalité; another service's OID.
    assert.deepEqual((await accessDecision(app.db, { ...q, action: 'write' })).decision, {
      permit: false,
      reason: 'no_consent',
    });
    assert.deepEqual((await accessDecision(app.db, { ...q, action: 'read', finalite: 'soins' })).decision, {
      permit: false,
      reason: 'no_consent',
    });
    assert.deepEqual(
      (await accessDecision(app.db, { ...q, serviceOid: '1.2.250.1.999.0.0', action: 'read' })).decision,
      { permit: false, reason: 'service_unavailable' },
    );
    assert.equal((await pairingByIdPe(app.db, paired.idPe))?.id, paired.pairingId);
    // Pairing again (the service asks once more) keeps the pairing and its idPe.
    const again = await pair(deps, citizen(alice), {
      serviceOid: service.oid,
      forCitizenId: alice,
      finalites: ['prevention', 'soins'],
      scopes: [READ, WRITE],
    });
    assert.equal(again.pairingId, paired.pairingId);
    assert.equal(again.idPe, paired.idPe);
    assert.deepEqual(again.grantedScopes, [READ, WRITE]);
    // The audit event names the service, finalités and categories, with the citizen as subject.
    const events = await app.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id', 'data'])
      .where('subject_type', '=', 'citizen')
      .where('subject_id', '=', alice)
      .orderBy('seq')
      .execute();
    assert.deepEqual(
      events.map((e) => e.action),
      ['consent.paired', 'consent.paired'],
    );
    const data = events[0].data as Record<string, unknown>;
    assert.equal(data.serviceOid, service.oid);
    assert.deepEqual(data.finalites, ['prevention']);
    assert.deepEqual(data.categories, [READ]);
    assert.equal((await verifyAuditLog(app.db)).firstBreak, undefined);
  });

  it('refuses a grant outside the convention (422), another citizen’s space (403), an unknown service (404)', async () => {
    const bruno = await createCitizen(app.db, 'Bruno', 'Refus');
    const other = await createCitizen(app.db, 'Autre', 'Personne');
    const base = { serviceOid: service.oid, forCitizenId: bruno, scopes: [READ] };
    const e1 = await refused(pair(deps, citizen(bruno), { ...base, finalites: ['diagnostic'] }), 422);
    assert.equal(e1.fields.finalites, 'consent.field.finalite_not_offered');
    const e2 = await refused(
      pair(deps, citizen(bruno), { ...base, finalites: ['prevention'], scopes: ['poids.write'] }),
      422,
    );
    assert.equal(e2.fields.scopes, 'consent.field.scope_not_allowed');
    await refused(pair(deps, citizen(bruno), { ...base, finalites: [] }), 422);
    await refused(
      pair(deps, citizen(other), { ...base, finalites: ['prevention'] }),
      403,
      'consent.error.not_yours',
    );
    await refused(
      pair(deps, citizen(bruno), { ...base, serviceOid: '1.2.250.1.999.0.1', finalites: ['prevention'] }),
      404,
    );
    assert.deepEqual(await pairingsOf(app.db, citizen(bruno), bruno), []);
    // A pairing's consents can only be changed within the offer either.
    const paired = await pair(deps, citizen(bruno), { ...base, finalites: ['prevention'] });
    const view = await pairingView(app.db, citizen(bruno), paired.pairingId);
    const e3 = await refused(
      setConsents(deps, citizen(bruno), paired.pairingId, view.rowVersion, ['diagnostic']),
      422,
    );
    assert.equal(e3.fields.finalites, 'consent.field.finalite_not_offered');
  });

  it('applies a change and a withdrawal on the very next decision, and revokes the tokens when nothing is left', async () => {
    const chloe = await createCitizen(app.db, 'Chloé', 'Retrait');
    const paired = await pair(deps, citizen(chloe), {
      serviceOid: service.oid,
      forCitizenId: chloe,
      finalites: ['prevention', 'soins'],
      scopes: [READ, WRITE],
    });
    const q = {
      idPe: paired.idPe,
      serviceOid: service.oid,
      category: 'pression-arterielle',
      action: 'write' as const,
    };
    assert.deepEqual((await accessDecision(app.db, q)).decision, {
      permit: true,
      finalites: ['prevention', 'soins'],
    });
    let view = await pairingView(app.db, citizen(chloe), paired.pairingId);
    view = await setConsents(deps, citizen(chloe), paired.pairingId, view.rowVersion, ['soins']);
    assert.deepEqual((await accessDecision(app.db, q)).decision, { permit: true, finalites: ['soins'] });
    assert.deepEqual((await accessDecision(app.db, { ...q, finalite: 'prevention' })).decision, {
      permit: false,
      reason: 'no_consent',
    });
    const token = await insertToken(paired.idPe);
    view = await setConsents(deps, citizen(chloe), paired.pairingId, view.rowVersion, []);
    assert.deepEqual((await accessDecision(app.db, q)).decision, { permit: false, reason: 'no_consent' });
    assert.equal(await tokenExists(token), false);
    assert.ok(view.consents.every((c) => c.status === 'withdrawn' && c.withdrawnAt));
    assert.equal(view.status, 'active');
    // A new consent allows again.
    view = await setConsents(deps, citizen(chloe), paired.pairingId, view.rowVersion, ['prevention']);
    assert.deepEqual((await accessDecision(app.db, q)).decision, { permit: true, finalites: ['prevention'] });
    const actions = (await activityOf(app.db, citizen(chloe), chloe, { limit: 10 })).map((a) => a.kind);
    assert.deepEqual(actions, ['changed', 'withdrawn', 'changed', 'paired']);
  });

  it('unpairs: consents withdrawn, the service’s grants and tokens revoked, and pairing again keeps the idPe', async () => {
    const denis = await createCitizen(app.db, 'Denis', 'Desynchro');
    const paired = await pair(deps, citizen(denis), {
      serviceOid: service.oid,
      forCitizenId: denis,
      finalites: ['prevention'],
      scopes: [READ],
    });
    const mine = await insertToken(paired.idPe);
    const someoneElses = await insertToken(randomToken(24));
    const view = await pairingView(app.db, citizen(denis), paired.pairingId);
    await unpair(deps, citizen(denis), paired.pairingId, view.rowVersion);
    assert.equal(await tokenExists(mine), false);
    assert.equal(await tokenExists(someoneElses), true);
    const q = {
      idPe: paired.idPe,
      serviceOid: service.oid,
      category: 'pression-arterielle',
      action: 'read' as const,
    };
    assert.deepEqual((await accessDecision(app.db, q)).decision, { permit: false, reason: 'unpaired' });
    const after = await pairingView(app.db, citizen(denis), paired.pairingId);
    assert.equal(after.status, 'unpaired');
    assert.ok(after.unpairedAt);
    assert.ok(after.consents.every((c) => c.status === 'withdrawn'));
    await refused(
      unpair(deps, citizen(denis), paired.pairingId, after.rowVersion),
      409,
      'consent.error.unpaired',
    );
    await refused(setConsents(deps, citizen(denis), paired.pairingId, after.rowVersion, ['prevention']), 409);
    const again = await pair(deps, citizen(denis), {
      serviceOid: service.oid,
      forCitizenId: denis,
      finalites: ['prevention'],
      scopes: [READ],
    });
    assert.equal(again.pairingId, paired.pairingId);
    assert.equal(again.idPe, paired.idPe);
    assert.deepEqual((await accessDecision(app.db, q)).decision, { permit: true, finalites: ['prevention'] });
  });

  it('lets a guardian manage a minor’s space until the majority date, and not after', async () => {
    const guardian = await createCitizen(app.db, 'Sophie', 'Tutrice');
    const minor = await createCitizen(app.db, 'Léa', 'Mineure');
    const stranger = await createCitizen(app.db, 'Sans', 'Lien');
    // Léa comes of age in 30 days.
    const today = new Date();
    const birth = new Date(
      Date.UTC(today.getUTCFullYear() - 18, today.getUTCMonth(), today.getUTCDate() + 30),
    );
    await app.db
      .updateTable('citizens')
      .set({ birthdate: birth.toISOString().slice(0, 10) })
      .where('id', '=', minor)
      .execute();
    await app.db.insertInto('guardianships').values({ guardian_id: guardian, minor_id: minor }).execute();
    const majority = majorityDate(birth.toISOString().slice(0, 10)) as string;
    const atMajority = new Date(`${majority}T08:00:00Z`);

    const managed = await managedCitizens(app.db, citizen(guardian));
    assert.deepEqual(
      managed.map((m) => [m.id, m.self, m.majorityDate]),
      [
        [guardian, true, '1998-01-01'],
        [minor, false, majority],
      ],
    );
    assert.deepEqual(
      (await managedCitizens(app.db, citizen(guardian), atMajority)).map((m) => m.id),
      [guardian],
    );
    const paired = await pair(deps, citizen(guardian), {
      serviceOid: service.oid,
      forCitizenId: minor,
      finalites: ['prevention'],
      scopes: [READ],
    });
    await refused(
      pair(deps, citizen(stranger), {
        serviceOid: service.oid,
        forCitizenId: minor,
        finalites: ['prevention'],
        scopes: [READ],
      }),
      403,
    );
    await refused(pairingView(app.db, citizen(stranger), paired.pairingId), 404);
    const view = await pairingView(app.db, citizen(guardian), paired.pairingId);
    assert.equal(view.citizenId, minor);
    assert.equal(view.consents[0].grantedBy, guardian);
    assert.equal((await pairingsOf(app.db, citizen(guardian), minor)).length, 1);
    const q = {
      idPe: paired.idPe,
      serviceOid: service.oid,
      category: 'pression-arterielle',
      action: 'read' as const,
    };
    assert.equal((await accessDecision(app.db, q)).decision.permit, true);

    // At majority: the guardian's consents wait for Léa's own approval, and the guardian's rights end.
    assert.deepEqual((await accessDecision(app.db, q, atMajority)).decision, {
      permit: false,
      reason: 'reapproval_majority',
    });
    await refused(pairingView(app.db, citizen(guardian), paired.pairingId, atMajority), 404);
    await refused(pairingsOf(app.db, citizen(guardian), minor, atMajority), 404);
    const later: ConsentDeps = { ...deps, now: () => atMajority };
    await refused(setConsents(later, citizen(guardian), paired.pairingId, view.rowVersion, []), 404);
    await refused(unpair(later, citizen(guardian), paired.pairingId, view.rowVersion), 404);
    const hers = await pairingView(app.db, citizen(minor), paired.pairingId, atMajority);
    assert.equal(hers.needsReapproval, 'majority');
    const renewed = await setConsents(later, citizen(minor), paired.pairingId, hers.rowVersion, [
      'prevention',
    ]);
    assert.equal(renewed.consents[0].grantedBy, minor);
    assert.deepEqual((await accessDecision(app.db, q, atMajority)).decision, {
      permit: true,
      finalites: ['prevention'],
    });
    const history = await activityOf(app.db, citizen(minor), minor, { limit: 10 }, atMajority);
    assert.deepEqual(
      history.map((h) => [h.kind, h.by]),
      [
        ['reapproved', 'self'],
        ['paired', 'guardian'],
      ],
    );
  });

  it('waits for re-approval after a new published version, and tells the citizen', async () => {
    const own = await publishedService('Pas à Pas');
    const emma = await createCitizen(app.db, 'Emma', 'Version');
    const paired = await pair(deps, citizen(emma), {
      serviceOid: own.oid,
      forCitizenId: emma,
      finalites: ['prevention'],
      scopes: [READ],
    });
    const q = {
      idPe: paired.idPe,
      serviceOid: own.oid,
      category: 'pression-arterielle',
      action: 'read' as const,
    };
    assert.equal((await accessDecision(app.db, q)).decision.permit, true);
    const dossierDeps = dossierDepsOf(app);
    const file = await getDossier(dossierDeps, own.publisher.actor, own.dossierId);
    await declareVersion(dossierDeps, own.publisher.actor, own.dossierId, file.rowVersion, {
      version: '1.1.0',
      major: false,
      rubriques: [],
      description: 'Corrections mineures.',
    });
    assert.deepEqual((await accessDecision(app.db, q)).decision, {
      permit: false,
      reason: 'reapproval_version',
    });
    const notes = await app.db
      .selectFrom('notifications')
      .select(['kind', 'params', 'link'])
      .where('recipient_citizen_id', '=', emma)
      .execute();
    assert.deepEqual(
      notes.map((n) => [n.kind, (n.params as Record<string, unknown>).version, n.link]),
      [['consent.notify.reapproval', '1.1.0', '/usager/services']],
    );
    const view = await pairingView(app.db, citizen(emma), paired.pairingId);
    assert.equal(view.needsReapproval, 'version');
    assert.equal(view.currentVersion, '1.1.0');
    const renewed = await setConsents(deps, citizen(emma), paired.pairingId, view.rowVersion, ['prevention']);
    assert.equal(renewed.needsReapproval, null);
    assert.equal(renewed.acknowledgedVersion, '1.1.0');
    assert.equal((await accessDecision(app.db, q)).decision.permit, true);
    const [last] = await activityOf(app.db, citizen(emma), emma, { limit: 1 });
    assert.equal(last.kind, 'reapproved');

    // Suspended: no data, whatever the consents; the citizen may still unpair.
    const staffDeps = dossierDepsOf(app);
    const current = await getDossier(staffDeps, staff.instructeur, own.dossierId);
    await act(staffDeps, staff.instructeur, own.dossierId, current.rowVersion, {
      type: 'suspend',
      reasons: 'Faille de sécurité signalée.',
    });
    assert.deepEqual((await accessDecision(app.db, q)).decision, {
      permit: false,
      reason: 'service_suspended',
    });
    const suspended = await pairingView(app.db, citizen(emma), paired.pairingId);
    assert.equal(suspended.catalogueStatus, 'SUSPENDUE');
    await unpair(deps, citizen(emma), paired.pairingId, suspended.rowVersion);
  });

  it('lets one of two changes on the same row version through, and answers the other 409 with the pairing', async () => {
    const fanny = await createCitizen(app.db, 'Fanny', 'Concurrente');
    const paired = await pair(deps, citizen(fanny), {
      serviceOid: service.oid,
      forCitizenId: fanny,
      finalites: ['prevention'],
      scopes: [READ],
    });
    const { rowVersion } = await pairingView(app.db, citizen(fanny), paired.pairingId);
    const results = await Promise.allSettled([
      setConsents(deps, citizen(fanny), paired.pairingId, rowVersion, ['soins']),
      setConsents(deps, citizen(fanny), paired.pairingId, rowVersion, []),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const ko = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.equal(ok.length, 1);
    assert.equal(ko.length, 1);
    assert.ok(ko[0].reason instanceof PairingConflict);
    assert.equal(ko[0].reason.status, 409);
    assert.equal(ko[0].reason.current.rowVersion, rowVersion + 1);
  });

  it('records data accesses in the citizen’s history, without health data', async () => {
    const gael = await createCitizen(app.db, 'Gaël', 'Historique');
    const paired = await pair(deps, citizen(gael), {
      serviceOid: service.oid,
      forCitizenId: gael,
      finalites: ['prevention'],
      scopes: [READ],
    });
    await appendAuditEvent(
      app.db,
      accessEvent({
        idPe: paired.idPe,
        serviceOid: service.oid,
        citizenId: gael,
        category: 'pression-arterielle',
        action: 'read',
        outcome: 'permit',
        operation: 'Observation.search',
      }),
    );
    await appendAuditEvent(
      app.db,
      accessEvent({
        idPe: paired.idPe,
        serviceOid: service.oid,
        citizenId: gael,
        category: 'pression-arterielle',
        action: 'write',
        outcome: 'deny',
        reason: 'no_consent',
        operation: 'Observation.create',
      }),
    );
    const items = await activityOf(app.db, citizen(gael), gael, { limit: 10 });
    assert.deepEqual(
      items.map((i) => [i.kind, i.serviceName, i.category, i.action, i.outcome, i.reason, i.by]),
      [
        ['access', 'Suivi Tension', 'pression-arterielle', 'write', 'deny', 'no_consent', 'service'],
        ['access', 'Suivi Tension', 'pression-arterielle', 'read', 'permit', undefined, 'service'],
        ['paired', 'Suivi Tension', undefined, undefined, undefined, undefined, 'self'],
      ],
    );
    const page2 = await activityOf(app.db, citizen(gael), gael, { limit: 10, before: items[1].at });
    assert.ok(page2.every((i) => i.at < items[1].at));
    await refused(activityOf(app.db, citizen(paired.pairingId), gael, { limit: 10 }), 404);
  });

  describe('the citizen’s JSON API', () => {
    let owner: string;
    let intruder: string;
    let ownerCookies: Record<string, string>;
    let intruderCookies: Record<string, string>;
    let pairingId: string;

    before(async () => {
      owner = await createCitizen(app.db, 'Hélène', 'Proprietaire');
      intruder = await createCitizen(app.db, 'Ivan', 'Intrus');
      ownerCookies = await sessionCookie(app.db, { citizenId: owner });
      intruderCookies = await sessionCookie(app.db, { citizenId: intruder });
      ({ pairingId } = await pair(deps, citizen(owner), {
        serviceOid: service.oid,
        forCitizenId: owner,
        finalites: ['prevention'],
        scopes: [READ, WRITE],
      }));
    });

    const call = (
      method: 'GET' | 'PUT' | 'DELETE',
      url: string,
      cookies: Record<string, string>,
      payload?: unknown,
    ) =>
      app.inject({
        method,
        url,
        cookies,
        headers: { accept: 'application/json', 'x-csrf-token': CSRF },
        ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
      });

    it('lists my pairings and my minors’, never another citizen’s', async () => {
      const mine = await call('GET', '/api/v1/usager/appariements', ownerCookies);
      assert.equal(mine.statusCode, 200);
      const body = mine.json();
      assert.deepEqual(
        body.citizens.map((c: { id: string; self: boolean }) => [c.id, c.self]),
        [[owner, true]],
      );
      assert.deepEqual(
        body.pairings.map((p: { id: string; serviceName: string }) => [p.id, p.serviceName]),
        [[pairingId, 'Suivi Tension']],
      );
      const theirs = await call('GET', '/api/v1/usager/appariements', intruderCookies);
      assert.equal(theirs.statusCode, 200);
      assert.deepEqual(theirs.json().pairings, []);
      assert.equal((await call('GET', '/api/v1/usager/appariements', {})).statusCode, 401);
      const account = await createAccount(app.db);
      const accountCookies = await sessionCookie(app.db, { accountId: account.accountId });
      assert.equal((await call('GET', '/api/v1/usager/appariements', accountCookies)).statusCode, 403);
    });

    it('shows one pairing to its citizen, 404 to another (as for one that does not exist)', async () => {
      const mine = await call('GET', `/api/v1/usager/appariements/${pairingId}`, ownerCookies);
      assert.equal(mine.statusCode, 200);
      assert.equal(mine.json().serviceOid, service.oid);
      assert.equal(mine.json().consents.length, 2);
      const theirs = await call('GET', `/api/v1/usager/appariements/${pairingId}`, intruderCookies);
      assert.equal(theirs.statusCode, 404);
      const none = await call('GET', `/api/v1/usager/appariements/${newId()}`, intruderCookies);
      assert.equal(none.statusCode, 404);
      assert.deepEqual(theirs.json(), none.json());
      assert.equal(
        (await call('GET', '/api/v1/usager/appariements/pas-un-uuid', ownerCookies)).statusCode,
        404,
      );
    });

    it('changes consents for their citizen only; a stale row version gets 409 with the pairing', async () => {
      const current = (await call('GET', `/api/v1/usager/appariements/${pairingId}`, ownerCookies)).json();
      const url = `/api/v1/usager/appariements/${pairingId}/consentements`;
      const theirs = await call('PUT', url, intruderCookies, {
        rowVersion: current.rowVersion,
        finalites: [],
      });
      assert.equal(theirs.statusCode, 404);
      const changed = await call('PUT', url, ownerCookies, {
        rowVersion: current.rowVersion,
        finalites: ['prevention', 'soins'],
      });
      assert.equal(changed.statusCode, 200);
      assert.equal(changed.json().rowVersion, current.rowVersion + 1);
      assert.equal(
        changed.json().consents.filter((c: { status: string }) => c.status === 'active').length,
        4,
      );
      const stale = await call('PUT', url, ownerCookies, { rowVersion: current.rowVersion, finalites: [] });
      assert.equal(stale.statusCode, 409);
      assert.equal(stale.json().current.rowVersion, current.rowVersion + 1);
      const outside = await call('PUT', url, ownerCookies, {
        rowVersion: current.rowVersion + 1,
        finalites: ['diagnostic'],
      });
      assert.equal(outside.statusCode, 422);
      assert.ok(outside.json().error.fields.finalites);
      const noCsrf = await app.inject({
        method: 'PUT',
        url,
        cookies: { ...ownerCookies, mesref_csrf: '' },
        payload: { rowVersion: current.rowVersion + 1, finalites: [] },
      });
      assert.equal(noCsrf.statusCode, 403);
    });

    it('shows the activity of my space only', async () => {
      const mine = await call('GET', '/api/v1/usager/activite', ownerCookies);
      assert.equal(mine.statusCode, 200);
      assert.deepEqual(
        mine.json().items.map((i: { kind: string }) => i.kind),
        ['changed', 'paired'],
      );
      const theirs = await call('GET', `/api/v1/usager/activite?citoyen=${owner}`, intruderCookies);
      assert.equal(theirs.statusCode, 404);
      const own = await call('GET', '/api/v1/usager/activite', intruderCookies);
      assert.deepEqual(own.json().items, []);
    });

    it('unpairs for their citizen only', async () => {
      const current = (await call('GET', `/api/v1/usager/appariements/${pairingId}`, ownerCookies)).json();
      const url = `/api/v1/usager/appariements/${pairingId}?rowVersion=${current.rowVersion}`;
      assert.equal((await call('DELETE', url, intruderCookies)).statusCode, 404);
      assert.equal(
        (await call('GET', `/api/v1/usager/appariements/${pairingId}`, ownerCookies)).json().status,
        'active',
      );
      const stale = await call(
        'DELETE',
        `/api/v1/usager/appariements/${pairingId}?rowVersion=1`,
        ownerCookies,
      );
      assert.equal(stale.statusCode, 409);
      assert.equal((await call('DELETE', url, ownerCookies)).statusCode, 204);
      const after = (await call('GET', `/api/v1/usager/appariements/${pairingId}`, ownerCookies)).json();
      assert.equal(after.status, 'unpaired');
    });
  });

  /** A refresh token of the services' authorization server for that account (idPe). */
  async function insertToken(accountId: string): Promise<string> {
    const id = newId();
    await app.db
      .insertInto('oidc_payloads')
      .values({
        provider: 'services',
        model: 'RefreshToken',
        id,
        payload: JSON.stringify({ accountId, clientId: service.oid, kind: 'RefreshToken' }),
        grant_id: newId(),
        user_code: null,
        uid: null,
        expires_at: new Date(Date.now() + 30 * DAY),
        consumed_at: null,
      })
      .execute();
    return id;
  }

  async function tokenExists(id: string): Promise<boolean> {
    const row = await app.db.selectFrom('oidc_payloads').select('id').where('id', '=', id).executeTakeFirst();
    return row !== undefined;
  }
});
