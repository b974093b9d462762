/**
 * The FHIR gate runs the push and the search on the facts a grant's previous call found, and their statements
 * check that the facts still hold (src/fhir/api/gate.ts). Whatever changed in between, by whatever process,
 * each answer must be the one a call deciding on facts read afresh gives: the same status, and a push stored
 * exactly when it is permitted. The facts are changed here in the database directly, as another process
 * would change them, so the app is never told.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { accessDecision } from '../src/consent/index.ts';
import { verifyServiceCall } from '../src/oauth/verify.ts';
import { newId } from '../src/platform/crypto.ts';
import { createStaff } from './dossier-fixtures.ts';
import { createCitizen, sessionCookie, startTestApp, type TestApp } from './helpers.ts';
import {
  clientFor,
  measure,
  PUBLIC_URL,
  pairAndToken,
  publishMeasuresService,
  push,
  pushBundle,
  read,
  type Who,
  whoOf,
} from './measures-fixtures.ts';
import type { PublishedService } from './oauth-fixtures.ts';

const CATEGORIES = ['pression-arterielle', 'poids'] as const;
const CODES = { 'pression-arterielle': '85354-9', poids: '29463-7' } as const;
const KINDS = { 'pression-arterielle': 'bp', poids: 'weight' } as const;
const DAY = 86_400_000;

type Category = (typeof CATEGORIES)[number];

/** A change another process could make to a fact a decision reads (or, `display`, to one it does not). */
type Change =
  | { kind: 'consent'; category: Category; action: 'read' | 'write'; active: boolean }
  | { kind: 'grantedAt'; category: Category; action: 'read' | 'write'; future: boolean }
  | { kind: 'grantedBy'; guardian: boolean }
  | { kind: 'birthdate'; age: 'minor' | 'adult' | 'unknown' }
  | { kind: 'acknowledged'; current: boolean }
  | { kind: 'pairing'; active: boolean }
  | { kind: 'catalogue'; status: 'EN_LIGNE' | 'SUSPENDUE' | 'HORS_LIGNE' }
  | { kind: 'version'; changed: boolean }
  | { kind: 'client'; active: boolean }
  | { kind: 'grant'; standing: boolean }
  | { kind: 'display'; name: string };

type Call = { kind: 'push' | 'search' | 'invalid'; category: Category };

const category = fc.constantFrom(...CATEGORIES);
const action = fc.constantFrom('read' as const, 'write' as const);
const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('consent' as const), category, action, active: fc.boolean() }),
  fc.record({ kind: fc.constant('grantedAt' as const), category, action, future: fc.boolean() }),
  fc.record({ kind: fc.constant('grantedBy' as const), guardian: fc.boolean() }),
  fc.record({
    kind: fc.constant('birthdate' as const),
    age: fc.constantFrom('minor' as const, 'adult' as const, 'unknown' as const),
  }),
  fc.record({ kind: fc.constant('acknowledged' as const), current: fc.boolean() }),
  fc.record({ kind: fc.constant('pairing' as const), active: fc.boolean() }),
  fc.record({
    kind: fc.constant('catalogue' as const),
    status: fc.constantFrom('EN_LIGNE' as const, 'SUSPENDUE' as const, 'HORS_LIGNE' as const),
  }),
  fc.record({ kind: fc.constant('version' as const), changed: fc.boolean() }),
  fc.record({ kind: fc.constant('client' as const), active: fc.boolean() }),
  fc.record({ kind: fc.constant('grant' as const), standing: fc.boolean() }),
  fc.record({ kind: fc.constant('display' as const), name: fc.constantFrom('Suivi Tension', 'Tension+') }),
);
const call: fc.Arbitrary<Call> = fc.record({
  kind: fc.constantFrom('push' as const, 'search' as const, 'invalid' as const),
  category,
});

describe('calls on remembered facts', () => {
  let t: TestApp;
  let service: PublishedService;
  let citizenId: string;
  let pairingId: string;
  let token: string;
  let grantId: string;
  let who: Who;
  let version: string;
  let savedGrant: Record<string, unknown>;

  before(async () => {
    t = await startTestApp({ MESREF_PUBLIC_URL: PUBLIC_URL });
    const staff = await createStaff(t);
    service = await publishMeasuresService(t, {
      name: 'Suivi Tension',
      redirectUri: 'http://127.0.0.1:4997/client/callback',
      categories: CATEGORIES.map((code) => ({ code, read: true, write: true })),
      staff,
    });
    citizenId = await createCitizen(t.db, 'Inès', 'Garnier');
    const cookies = await sessionCookie(t.db, { citizenId });
    const scope = `openid offline_access ${CATEGORIES.flatMap((c) => [`${c}.read`, `${c}.write`]).join(' ')}`;
    const paired = await pairAndToken(t, clientFor(t, service), cookies, scope);
    token = paired.accessToken;
    who = whoOf(t, service, paired.idPe);
    grantId = String(JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).grant_id);
    const pairing = await t.db
      .selectFrom('pairings')
      .select(['id', 'acknowledged_version'])
      .where('id_pe', '=', paired.idPe)
      .executeTakeFirstOrThrow();
    pairingId = pairing.id;
    version = pairing.acknowledged_version;
    savedGrant = await t.db
      .selectFrom('oidc_payloads')
      .selectAll()
      .where('model', '=', 'Grant')
      .where('id', '=', grantId)
      .executeTakeFirstOrThrow();
  });
  after(() => t?.stop());

  /** Puts every fact back as the pairing left it: all four consents active, granted by the citizen, yesterday. */
  async function reset(): Promise<void> {
    await sql`update consents set status = 'active', withdrawn_at = null, granted_by = ${citizenId},
      granted_at = ${new Date(Date.now() - DAY)} where pairing_id = ${pairingId}`.execute(t.db);
    await sql`update pairings set status = 'active', acknowledged_version = ${version}, unpaired_at = null
      where id = ${pairingId}`.execute(t.db);
    await sql`update citizens set birthdate = '1980-05-04' where id = ${citizenId}`.execute(t.db);
    await sql`update dossiers set catalogue_status = 'EN_LIGNE', product_version = ${version}
      where id = ${service.dossierId}`.execute(t.db);
    await sql`update oauth_clients set status = 'active' where service_oid = ${service.oid}`.execute(t.db);
    await apply({ kind: 'grant', standing: true });
  }

  async function apply(c: Change): Promise<void> {
    const consent = (k: { category: Category; action: string }) =>
      sql`pairing_id = ${pairingId} and category = ${k.category} and action = ${k.action}`;
    switch (c.kind) {
      case 'consent':
        await sql`update consents set status = ${c.active ? 'active' : 'withdrawn'},
          withdrawn_at = ${c.active ? null : new Date()} where ${consent(c)}`.execute(t.db);
        return;
      case 'grantedAt':
        await sql`update consents set granted_at = ${new Date(Date.now() + (c.future ? DAY : -DAY))}
          where ${consent(c)}`.execute(t.db);
        return;
      case 'grantedBy':
        await sql`update consents set granted_by = ${c.guardian ? newId() : citizenId}
          where pairing_id = ${pairingId}`.execute(t.db);
        return;
      case 'birthdate': {
        const years = c.age === 'minor' ? 10 : 40;
        const birthdate = c.age === 'unknown' ? null : new Date(Date.now() - years * 365.25 * DAY);
        await sql`update citizens set birthdate = ${birthdate} where id = ${citizenId}`.execute(t.db);
        return;
      }
      case 'acknowledged':
        await sql`update pairings set acknowledged_version = ${c.current ? version : `${version}-old`}
          where id = ${pairingId}`.execute(t.db);
        return;
      case 'pairing':
        await sql`update pairings set status = ${c.active ? 'active' : 'unpaired'} where id = ${pairingId}`.execute(
          t.db,
        );
        return;
      case 'catalogue':
        await sql`update dossiers set catalogue_status = ${c.status} where id = ${service.dossierId}`.execute(
          t.db,
        );
        return;
      case 'version':
        await sql`update dossiers set product_version = ${c.changed ? `${version}.1` : version}
          where id = ${service.dossierId}`.execute(t.db);
        return;
      case 'client':
        await sql`update oauth_clients set status = ${c.active ? 'active' : 'suspended'}
          where service_oid = ${service.oid}`.execute(t.db);
        return;
      case 'grant':
        await t.db
          .deleteFrom('oidc_payloads')
          .where('model', '=', 'Grant')
          .where('id', '=', grantId)
          .execute();
        if (c.standing)
          await t.db
            .insertInto('oidc_payloads')
            .values(savedGrant as never)
            .execute();
        return;
      case 'display':
        await sql`update products set commercial_name = ${c.name} where id = ${service.productId}`.execute(
          t.db,
        );
        return;
    }
  }

  /** The answer a call deciding on facts read now gives: 401, 403 or 200 (422 for an invalid push). */
  async function expected(c: Call): Promise<number> {
    const live = await sql<{ ok: boolean }>`select
        exists (select 1 from oauth_clients where service_oid = ${service.oid} and status = 'active')
        and exists (select 1 from oidc_payloads where model = 'Grant' and id = ${grantId})
        and exists (select 1 from pairings where id = ${pairingId} and status = 'active') as ok`.execute(
      t.db,
    );
    if (!live.rows[0]?.ok) return 401;
    if (c.kind === 'invalid') return 422;
    const { decision } = await accessDecision(t.db, {
      idPe: who.idPe,
      serviceOid: service.oid,
      category: c.category,
      action: c.kind === 'push' ? 'write' : 'read',
    });
    return decision.permit ? 200 : 403;
  }

  const stored = async () =>
    Number(
      (
        await sql<{
          n: string;
        }>`select count(*) as n from fhir_observations where citizen_id = ${citizenId}`.execute(t.db)
      ).rows[0].n,
    );

  async function run(c: Call): Promise<number> {
    if (c.kind === 'push') return (await push(t, token, pushBundle(measure(KINDS[c.category], who)))).status;
    // A BMI is never created: 422 whatever the consents, once the token is found live.
    if (c.kind === 'invalid') return (await push(t, token, pushBundle(measure('bmi', who)))).status;
    const url = `/fhir/Observation?subject.identifier=${encodeURIComponent(`${who.idPeSystem}|${who.idPe}`)}&code=${CODES[c.category]}&_sort=-date&_count=1`;
    return (await read(t, token, url)).status;
  }

  it('remembers the facts of a grant’s call for its next call, and never trusts them', async () => {
    await reset();
    const first = await verifyServiceCall(t, `Bearer ${token}`, { remembered: true });
    const second = await verifyServiceCall(t, `Bearer ${token}`, { remembered: true });
    assert.equal(second.remembered, true, 'the second call reads nothing before its statement');
    assert.equal(second.facts.fingerprint, first.facts.fingerprint);
    await apply({ kind: 'consent', category: 'poids', action: 'write', active: false });
    const held = await sql<{ ok: boolean }>`select ${second.holds} as ok`.execute(t.db);
    assert.equal(held.rows[0].ok, false, 'a withdrawal is seen by the statement');
    await reset();
  });

  it('answers every call as facts read afresh would, whatever changed since the previous call', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.array(change, { maxLength: 3 }), call), { minLength: 1, maxLength: 10 }),
        async (steps) => {
          await reset();
          for (const [changes, c] of steps) {
            for (const one of changes) await apply(one);
            const want = await expected(c);
            const before = await stored();
            const got = await run(c);
            assert.equal(got, want, `${c.kind} ${c.category} after ${JSON.stringify(changes)}`);
            assert.equal(await stored(), before + (c.kind === 'push' && want === 200 ? 1 : 0));
          }
        },
      ),
      { numRuns: 40 },
    );
    await reset();
  });
});
