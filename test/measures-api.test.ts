import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { importJWK, SignJWT } from 'jose';
import { sql } from 'kysely';
import { pairingByIdPe, setConsents } from '../src/consent/index.ts';
import { withdrawConsent } from '../src/consent/store.ts';
import type { Actor } from '../src/identity/model.ts';
import { eraseMeasures, measureCategoriesOf, measuresForExport, measuresOf } from '../src/measures/index.ts';
import { storePush } from '../src/measures/store.ts';
import { createStaff } from './dossier-fixtures.ts';
import { createCitizen, sessionCookie, startTestApp, type TestApp } from './helpers.ts';
import {
  clientFor,
  device,
  FHIR_BASE,
  issuesOf,
  type MeasureKind,
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

type Json = Record<string, unknown>;

const SCOPE = [
  'openid offline_access',
  'pression-arterielle.read pression-arterielle.write',
  'glycemie.read glycemie.write',
  'hba1c.write',
  'poids.read',
  'taille.read taille.write',
  'perimetre-cranien.read perimetre-cranien.write',
].join(' ');

const CATEGORIES = [
  { code: 'pression-arterielle', read: true, write: true },
  { code: 'glycemie', read: true, write: true },
  { code: 'hba1c', read: false, write: true },
  { code: 'poids', read: true, write: false },
  { code: 'taille', read: true, write: true },
  { code: 'perimetre-cranien', read: true, write: true },
];

const CONSENT_REFUSED = 'Consent not given, access refused.';
const IDPE_MISMATCH = 'idPe requested do not match authorized idPe.';

interface Person {
  citizenId: string;
  token: string;
  idPe: string;
  who: Who;
}

const citizenActor = (citizenId: string): Actor => ({ kind: 'citizen', citizenId, displayName: 'Usager' });

/** A fresh app, one published service, and a paired citizen maker. */
async function setUp() {
  const t = await startTestApp({ MESREF_PUBLIC_URL: PUBLIC_URL });
  const staff = await createStaff(t);
  const service = await publishMeasuresService(t, {
    name: 'Suivi Santé',
    redirectUri: 'http://127.0.0.1:4997/client/callback',
    categories: CATEGORIES,
    staff,
  });
  const client = clientFor(t, service);
  const person = async (given: string): Promise<Person> => {
    const citizenId = await createCitizen(t.db, given, 'Martin');
    const cookies = await sessionCookie(t.db, { citizenId });
    const { accessToken, idPe } = await pairAndToken(t, client, cookies, SCOPE);
    return { citizenId, token: accessToken, idPe, who: whoOf(t, service, idPe) };
  };
  return { t, service, person };
}

async function count(t: TestApp, table: 'fhir_observations' | 'fhir_devices' | 'fhir_resource_versions') {
  const row = await t.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function accessEvents(t: TestApp, citizenId: string): Promise<Json[]> {
  const rows = await t.db
    .selectFrom('audit_events')
    .select(['data'])
    .where('subject_type', '=', 'citizen')
    .where('subject_id', '=', citizenId)
    .where('action', '=', 'data.access')
    .orderBy('seq')
    .execute();
  return rows.map((r) => (typeof r.data === 'string' ? JSON.parse(r.data) : r.data) as Json);
}

const entriesOf = (body: Json) => (body.entry ?? []) as Json[];
const responseOf = (entry: Json) =>
  entry.response as { status: string; location: string; etag: string; lastModified: string };
const idFrom = (location: string) => location.split('/')[1];

function searchUrl(who: Who, code: string, extra = ''): string {
  return `/fhir/Observation?subject.identifier=${encodeURIComponent(`${who.idPeSystem}|${who.idPe}`)}&code=${code}${extra}`;
}

// One app and one published service for the whole file (building them is most of its time); each part
// pairs its own citizens, so that what one part stores does not change what another counts.
describe('measures API', () => {
  let t: TestApp;
  let service: PublishedService;
  let person: (given: string) => Promise<Person>;

  before(async () => {
    ({ t, service, person } = await setUp());
  });
  after(() => t?.stop());

  describe('pushing measures', () => {
    let alice: Person;
    let bruno: Person;

    before(async () => {
      alice = await person('Alice');
      bruno = await person('Bruno');
    });

    it('stores a blood pressure and its device, and answers a transaction-response in request order', async () => {
      const dev = device('AA-BB-CC-DD-EE-FF-00-01');
      const bundle = pushBundle(measure('bp', alice.who), dev);
      const res = await push(t, alice.token, bundle);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.match(String(res.headers['content-type']), /application\/fhir\+json/);
      assert.equal(res.body.resourceType, 'Bundle');
      assert.equal(res.body.type, 'transaction-response');
      const [deviceEntry, observationEntry] = entriesOf(res.body).map(responseOf);
      assert.equal(deviceEntry.status, '201 Created');
      assert.match(deviceEntry.location, /^Device\/[0-9a-f-]{36}\/_history\/1$/);
      assert.equal(observationEntry.status, '201 Created');
      assert.match(observationEntry.location, /^Observation\/[0-9a-f-]{36}\/_history\/1$/);
      assert.equal(observationEntry.etag, 'W/"1"');
      assert.ok(!Number.isNaN(Date.parse(observationEntry.lastModified)));
      const deviceId = idFrom(deviceEntry.location);
      const observationId = idFrom(observationEntry.location);
      assert.notEqual(deviceId, dev.id, 'the server gives its own id');

      const row = await t.db
        .selectFrom('fhir_observations')
        .selectAll()
        .where('id', '=', observationId)
        .executeTakeFirstOrThrow();
      assert.equal(row.citizen_id, alice.citizenId);
      assert.equal(row.service_oid, service.oid);
      assert.equal(row.category, 'pression-arterielle');
      assert.equal(row.code, '85354-9');
      assert.equal(new Date(row.effective_at).toISOString(), '2026-11-20T07:15:00.000Z');
      assert.equal(row.device_id, deviceId);
      const stored = (typeof row.resource === 'string' ? JSON.parse(row.resource) : row.resource) as Json;
      assert.equal(stored.id, observationId);
      assert.deepEqual(stored.device, { reference: `Device/${deviceId}` });
      assert.deepEqual(stored.subject, { identifier: { system: alice.who.idPeSystem, value: alice.idPe } });
      const meta = stored.meta as Json;
      assert.equal(meta.versionId, '1');
      assert.equal(meta.source, `urn:oid:${service.oid}.1`);
      const versions = await t.db
        .selectFrom('fhir_resource_versions')
        .select(['resource_type', 'version_id'])
        .where('id', 'in', [observationId, deviceId])
        .orderBy('resource_type')
        .execute();
      assert.deepEqual(
        versions.map((v) => [v.resource_type, v.version_id]),
        [
          ['Device', 1],
          ['Observation', 1],
        ],
      );
      const events = await accessEvents(t, alice.citizenId);
      assert.deepEqual(events.at(-1), {
        serviceOid: service.oid,
        category: 'pression-arterielle',
        action: 'write',
        outcome: 'permit',
        operation: 'Observation.create',
      });

      // Read back: the same resource, its version in ETag and Last-Modified.
      const back = await read(t, alice.token, `/fhir/Observation/${observationId}`);
      assert.equal(back.status, 200);
      assert.equal(back.headers.etag, 'W/"1"');
      assert.equal(back.headers['last-modified'], new Date(String(meta.lastUpdated)).toUTCString());
      assert.deepEqual(back.body, stored);
      const dv = await read(t, alice.token, `/fhir/Device/${deviceId}`);
      assert.equal(dv.status, 200);
      assert.equal(dv.body.id, deviceId);
      assert.equal(dv.headers.etag, 'W/"1"');
    });

    it('keeps one device per identifier: the second push answers 200 OK with the same device', async () => {
      const dev = device('AA-BB-CC-DD-EE-FF-00-02');
      const first = await push(t, alice.token, pushBundle(measure('bp', alice.who), dev));
      const second = await push(
        t,
        alice.token,
        pushBundle(measure('bp', alice.who, '2026-11-21T08:00:00+01:00'), device('AA-BB-CC-DD-EE-FF-00-02')),
      );
      assert.equal(first.status, 200);
      assert.equal(second.status, 200);
      const [d1] = entriesOf(first.body).map(responseOf);
      const [d2, o2] = entriesOf(second.body).map(responseOf);
      assert.equal(d2.status, '200 OK');
      assert.equal(d2.location, d1.location);
      const obs = await read(t, alice.token, `/fhir/Observation/${idFrom(o2.location)}`);
      assert.deepEqual(obs.body.device, { reference: `Device/${idFrom(d1.location)}` });
      const devices = await t.db
        .selectFrom('fhir_devices')
        .select('id')
        .where('identifier_value', '=', 'AA-BB-CC-DD-EE-FF-00-02')
        .execute();
      assert.equal(devices.length, 1);
    });

    it('creates one device when pushes with a new device race', async () => {
      const value = 'AA-BB-CC-DD-EE-FF-00-03';
      const answers = await Promise.all(
        [10, 11, 12, 13].map((hour) =>
          push(
            t,
            alice.token,
            pushBundle(measure('bp', alice.who, `2026-11-22T${hour}:00:00+01:00`), device(value)),
          ),
        ),
      );
      for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
      const statuses = answers.map((r) => responseOf(entriesOf(r.body)[0]).status).sort();
      assert.deepEqual(statuses, ['200 OK', '200 OK', '200 OK', '201 Created']);
      const locations = new Set(answers.map((r) => responseOf(entriesOf(r.body)[0]).location));
      assert.equal(locations.size, 1);
      const rows = await t.db
        .selectFrom('fhir_devices')
        .select('id')
        .where('identifier_value', '=', value)
        .execute();
      assert.equal(rows.length, 1);
      const linked = await t.db
        .selectFrom('fhir_observations')
        .select('id')
        .where('device_id', '=', rows[0].id)
        .execute();
      assert.equal(linked.length, 4);
    });

    it('keeps devices per citizen: the same identifier for another citizen is another device', async () => {
      const value = 'AA-BB-CC-DD-EE-FF-00-01';
      const res = await push(t, bruno.token, pushBundle(measure('bp', bruno.who), device(value)));
      assert.equal(res.status, 200);
      assert.equal(responseOf(entriesOf(res.body)[0]).status, '201 Created');
    });

    it('accepts glucose, interstitial glucose, HbA1c and head circumference, each in its category', async () => {
      const cases: Array<[MeasureKind, string, string]> = [
        ['glucose', 'glycemie', '2345-7'],
        ['interstitial', 'glycemie', 'MED-969'],
        ['hba1c', 'hba1c', '4548-4'],
        ['head', 'perimetre-cranien', '8287-5'],
      ];
      for (const [kind, category, code] of cases) {
        const res = await push(t, alice.token, pushBundle(measure(kind, alice.who)));
        assert.equal(res.status, 200, `${kind}: ${JSON.stringify(res.body)}`);
        const [entry] = entriesOf(res.body).map(responseOf);
        assert.equal(entry.status, '201 Created');
        const row = await t.db
          .selectFrom('fhir_observations')
          .select(['category', 'code'])
          .where('id', '=', idFrom(entry.location))
          .executeTakeFirstOrThrow();
        assert.deepEqual([row.category, row.code], [category, code], kind);
      }
    });

    it('sets meta.source to the writing service when the push gives none', async () => {
      const obs = measure('bp', alice.who);
      delete (obs.meta as Json).source;
      const res = await push(t, alice.token, pushBundle(obs));
      assert.equal(res.status, 200);
      const back = await read(
        t,
        alice.token,
        `/fhir/Observation/${idFrom(responseOf(entriesOf(res.body)[0]).location)}`,
      );
      assert.equal((back.body.meta as Json).source, `urn:oid:${service.oid}`);
    });

    it('links an Observation without a Device in its Bundle to a device the citizen already has', async () => {
      const first = await push(
        t,
        alice.token,
        pushBundle(measure('bp', alice.who), device('AA-BB-CC-DD-EE-FF-00-09')),
      );
      const deviceId = idFrom(responseOf(entriesOf(first.body)[0]).location);
      const obs = { ...measure('bp', alice.who), device: { reference: `Device/${deviceId}` } };
      const res = await push(t, alice.token, pushBundle(obs));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      // Another citizen's device, or an unknown one, is refused.
      const foreign = { ...measure('bp', bruno.who), device: { reference: `Device/${deviceId}` } };
      const refused = await push(t, bruno.token, pushBundle(foreign));
      assert.equal(refused.status, 422);
      assert.match(issuesOf(refused.body)[0].diagnostics ?? '', /Observation.device.reference/);
    });

    describe('refusals', () => {
      /** Asserts a refusal and that nothing was stored. */
      async function refusedPush(token: string | undefined, body: unknown, status: number) {
        const before = await Promise.all([
          count(t, 'fhir_observations'),
          count(t, 'fhir_devices'),
          count(t, 'fhir_resource_versions'),
        ]);
        const res = await push(t, token, body);
        assert.equal(res.status, status, JSON.stringify(res.body));
        assert.match(String(res.headers['content-type']), /application\/fhir\+json/);
        assert.equal(res.body.resourceType, 'OperationOutcome');
        const after = await Promise.all([
          count(t, 'fhir_observations'),
          count(t, 'fhir_devices'),
          count(t, 'fhir_resource_versions'),
        ]);
        assert.deepEqual(after, before, 'nothing stored');
        return issuesOf(res.body);
      }

      it('401 without a token or with a bad one', async () => {
        const bundle = pushBundle(measure('bp', alice.who));
        await refusedPush(undefined, bundle, 401);
        await refusedPush('not.a.token', bundle, 401);
        await refusedPush(`${alice.token.slice(0, -4)}AAAA`, bundle, 401);
      });

      it('400 « No bundle provided. » for no body, bad JSON or another resource', async () => {
        for (const body of ['', '{"resourceType": "Bundle",', JSON.stringify(measure('bp', alice.who))]) {
          const issues = await refusedPush(alice.token, body, 400);
          assert.equal(issues[0].text, 'No bundle provided.');
        }
      });

      it('422 « Bmi observation cannot be created. » for a BMI', async () => {
        const issues = await refusedPush(alice.token, pushBundle(measure('bmi', alice.who)), 422);
        assert.ok(
          issues.some(
            (i) => i.code === 'not-supported' && i.diagnostics === 'Bmi observation cannot be created.',
          ),
          JSON.stringify(issues),
        );
      });

      const withDevice = () => {
        const dev = device('AA-BB-CC-DD-EE-FF-00-77');
        return pushBundle(measure('bp', alice.who), dev) as { entry: Json[] };
      };
      const obsOf = (b: { entry: Json[] }) => b.entry[b.entry.length - 1].resource as Json;
      const mesErrors: Array<[string, () => unknown, string, string]> = [
        [
          'an entry other than POST of an Observation or a Device',
          () => {
            const b = withDevice();
            (b.entry[1].request as Json).method = 'PUT';
            return b;
          },
          'not-supported',
          'Resource of type Observation is not acceptable with method PUT.',
        ],
        [
          'a Device without ifNoneExist',
          () => {
            const b = withDevice();
            delete (b.entry[0].request as Json).ifNoneExist;
            return b;
          },
          'invalid',
          'Device request must have a valid IfNoneExist attribute : identifier=urn:oid:<OID>|<DEVICE ID>',
        ],
        [
          'no Observation',
          () => {
            const b = withDevice();
            b.entry = [b.entry[0]];
            return b;
          },
          'invalid',
          'Bundle must contains one observation creation (POST)',
        ],
        [
          'an Observation not naming the Bundle’s Device',
          () => {
            const b = withDevice();
            delete obsOf(b).device;
            return b;
          },
          'invalid',
          'Observation.device.reference is mandatory.',
        ],
        [
          'an Observation naming another Device',
          () => {
            const b = withDevice();
            obsOf(b).device = { reference: 'Device/other-device' };
            return b;
          },
          'invalid',
          'Observation and device not linked by id (Observation.device.reference <-> Device.id)',
        ],
        [
          'an Observation without meta.profile',
          () => {
            const b = withDevice();
            delete (obsOf(b).meta as Json).profile;
            return b;
          },
          'invalid',
          'Observation must provide meta.profile value.',
        ],
        [
          'a Device without meta.profile',
          () => {
            const b = withDevice();
            delete ((b.entry[0].resource as Json).meta as Json).profile;
            return b;
          },
          'invalid',
          'Device must provide meta.profile value.',
        ],
        [
          'an Observation without a value',
          () => {
            const o = measure('weight', alice.who);
            delete o.valueQuantity;
            return pushBundle(o);
          },
          'value',
          'Observation value quantity not provided.',
        ],
        [
          'an Observation without subject.identifier',
          () => {
            const o = measure('bp', alice.who);
            o.subject = { reference: 'Patient/1' };
            return pushBundle(o);
          },
          'invalid',
          'Observation.subject.identifier is mandatory.',
        ],
        [
          'a blood glucose without its moment',
          () => {
            const o = measure('glucose', alice.who);
            delete o.extension;
            return pushBundle(o);
          },
          'incomplete',
          'Observation.extension.moment is mandatory',
        ],
        [
          'a blood glucose with a number of days',
          () => {
            const o = measure('glucose', alice.who);
            o.extension = [
              ...(o.extension as Json[]),
              ...(measure('interstitial', alice.who).extension as Json[]),
            ];
            return pushBundle(o);
          },
          'invalid',
          'Observation.extension.numberOfDays cannot be added',
        ],
        [
          'an interstitial glucose with a moment',
          () => {
            const o = measure('interstitial', alice.who);
            o.extension = [
              ...(o.extension as Json[]),
              ...(measure('glucose', alice.who).extension as Json[]),
            ];
            return pushBundle(o);
          },
          'invalid',
          'Observation.extension.moment cannot be added',
        ],
        [
          'an interstitial glucose without its number of days',
          () => {
            const o = measure('interstitial', alice.who);
            delete o.extension;
            return pushBundle(o);
          },
          'incomplete',
          'Observation.extension.numberOfDays is mandatory',
        ],
      ];
      for (const [name, make, code, diagnostics] of mesErrors) {
        it(`422 for ${name}: ${diagnostics}`, async () => {
          const issues = await refusedPush(alice.token, make(), 422);
          assert.ok(
            issues.some((i) => i.code === code && i.diagnostics === diagnostics),
            JSON.stringify(issues, null, 1),
          );
        });
      }

      it('422 names MES’s message above its diagnostics in the outcome’s narrative', async () => {
        const b = withDevice();
        delete (obsOf(b).meta as Json).profile;
        delete ((b.entry[0].resource as Json).meta as Json).profile;
        const res = await push(t, alice.token, b);
        assert.equal(res.status, 422);
        const div = (res.body.text as { div: string }).div;
        assert.match(div, /<p>Observation resource not valid\.<\/p>/);
        assert.match(div, /<p>Device resource not valid\.<\/p>/);
      });

      it('422 « Bundle not valid. » for a Bundle whose type is not transaction', async () => {
        const b: Json = withDevice();
        b.type = 'collection';
        const issues = await refusedPush(alice.token, b, 422);
        assert.deepEqual(
          issues.map((i) => i.diagnostics),
          ['Bundle.type must be transaction (received "collection").'],
        );
      });

      it('422 for a string PostgreSQL cannot store (half a surrogate pair), nothing stored', async () => {
        const text = JSON.stringify(withDevice()).replace('"final"', '"fin\\ud800al"');
        assert.ok(text.includes('\\ud800'));
        const issues = await refusedPush(alice.token, text, 422);
        assert.deepEqual(
          issues.map((i) => i.diagnostics),
          ['Bundle contains a string that is not valid Unicode (a lone surrogate).'],
        );
      });

      it('422 for a NUL character (PostgreSQL stores no U+0000 in text or jsonb), nothing stored', async () => {
        const text = JSON.stringify(withDevice()).replace('"Ma balance"', '"Ma\\u0000balance"');
        assert.ok(text.includes('\\u0000'));
        const issues = await refusedPush(alice.token, text, 422);
        assert.deepEqual(
          issues.map((i) => i.diagnostics),
          ['Bundle contains a string with a NUL character (U+0000), which cannot be stored.'],
        );
      });

      it('422 when meta.source is not under the caller’s OID, with MES’s text', async () => {
        const o = measure('bp', alice.who);
        (o.meta as Json).source = 'urn:oid:1.2.250.1.999';
        const issues = await refusedPush(alice.token, pushBundle(o), 422);
        assert.deepEqual(
          issues.map((i) => [i.code, i.diagnostics]),
          [
            [
              'value',
              `Solution oid contains in Observation.meta.source don't belong to root editor oid (${service.oid}).`,
            ],
          ],
        );
        // A sub-OID of the service is its own.
        (o.meta as Json).source = `urn:oid:${service.oid}.7.1`;
        assert.equal((await push(t, alice.token, pushBundle(o))).status, 200);
      });

      it('422 when subject.identifier is not in the platform’s idPe system', async () => {
        const o = measure('bp', { ...alice.who, idPeSystem: 'urn:oid:1.2.250.1.215.400' });
        const issues = await refusedPush(alice.token, pushBundle(o), 422);
        assert.equal(issues[0].code, 'invalid');
        assert.match(issues[0].diagnostics ?? '', new RegExp(alice.who.idPeSystem.replace(/\./g, '\\.')));
      });

      it('403 « idPe requested do not match authorized idPe. » for another citizen’s idPe', async () => {
        const issues = await refusedPush(alice.token, pushBundle(measure('bp', bruno.who)), 403);
        assert.equal(issues[0].text, IDPE_MISMATCH);
      });

      it('403 « Consent not given, access refused. » for a category the citizen did not let it write, recorded', async () => {
        const issues = await refusedPush(alice.token, pushBundle(measure('weight', alice.who)), 403);
        assert.equal(issues[0].text, CONSENT_REFUSED);
        const last = (await accessEvents(t, alice.citizenId)).at(-1);
        assert.equal(last?.category, 'poids');
        assert.equal(last?.action, 'write');
        assert.equal(last?.outcome, 'deny');
        assert.equal(last?.reason, 'no_consent');
      });

      it('409 when the token names another OID than the service’s registration', async () => {
        const [, payload] = alice.token.split('.');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Json;
        const header = JSON.parse(Buffer.from(alice.token.split('.')[0], 'base64url').toString()) as Json;
        const jwk = t.keys.privateJwks.find((k) => k.kid === header.kid);
        assert.ok(jwk);
        const forged = await new SignJWT({ ...claims, [t.config.oauth.oidClaim]: `${service.oid}.9` })
          .setProtectedHeader({ alg: String(header.alg), kid: String(header.kid), typ: 'at+jwt' })
          .sign(await importJWK(jwk as never, String(header.alg)));
        await refusedPush(forged, pushBundle(measure('bp', alice.who)), 409);
      });

      it('stores nothing when the database fails in the middle of the transaction', async () => {
        await sql`
        create function measures_test_fail() returns trigger language plpgsql as $$
        begin raise exception 'simulated failure'; end $$;
        create trigger measures_test_fail before insert on fhir_observations
          for each row execute function measures_test_fail();
      `.execute(t.db);
        try {
          const res = await push(
            t,
            alice.token,
            pushBundle(measure('bp', alice.who), device('AA-BB-CC-DD-EE-FF-00-42')),
          );
          assert.equal(res.status, 500);
          assert.equal(res.body.resourceType, 'OperationOutcome');
          const devices = await t.db
            .selectFrom('fhir_devices')
            .select('id')
            .where('identifier_value', '=', 'AA-BB-CC-DD-EE-FF-00-42')
            .execute();
          assert.equal(devices.length, 0, 'the device inserted before the failure went with it');
        } finally {
          await sql`drop trigger measures_test_fail on fhir_observations; drop function measures_test_fail();`.execute(
            t.db,
          );
        }
        const again = await push(
          t,
          alice.token,
          pushBundle(measure('bp', alice.who), device('AA-BB-CC-DD-EE-FF-00-42')),
        );
        assert.equal(responseOf(entriesOf(again.body)[0]).status, '201 Created');
      });
    });

    it('never answers a 5xx to random bodies or mutated valid Bundles', async () => {
      const valid = (): Json => pushBundle(measure('bp', alice.who), device('AA-BB-CC-DD-EE-FF-00-55'));
      /** Every path of a JSON value, as keys from the root. */
      const pathsOf = (
        value: unknown,
        path: Array<string | number> = [],
        out: Array<Array<string | number>> = [],
      ) => {
        out.push(path);
        if (Array.isArray(value)) {
          for (const [i, v] of value.entries()) pathsOf(v, [...path, i], out);
        } else if (value && typeof value === 'object')
          for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
        return out;
      };
      const mutate = (
        bundle: Json,
        pick: number,
        op: 'delete' | 'replace',
        replacement: unknown,
      ): unknown => {
        const paths = pathsOf(bundle);
        const path = paths[pick % paths.length];
        if (path.length === 0) return replacement;
        let node = bundle as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
        const last = path[path.length - 1];
        if (op === 'delete') {
          if (Array.isArray(node)) node.splice(Number(last), 1);
          else delete node[last];
        } else node[last] = replacement;
        return bundle;
      };
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' }).map((v) => JSON.stringify(v)),
            fc
              .tuple(
                fc.nat(),
                fc.constantFrom('delete' as const, 'replace' as const),
                fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }),
              )
              .map(([pick, op, value]) => JSON.stringify(mutate(valid(), pick, op, value))),
          ),
          async (body) => {
            const res = await push(t, alice.token, body);
            assert.ok(
              res.status < 500,
              `${res.status} for ${body.slice(0, 300)}: ${JSON.stringify(res.body)}`,
            );
            if (res.status !== 200) assert.equal(res.body.resourceType, 'OperationOutcome');
          },
        ),
        { numRuns: 60 },
      );
    });
  });

  describe('searching and reading', () => {
    let alice: Person;
    let bruno: Person;
    const bpIds: string[] = [];
    let deviceId: string;
    let hba1cId: string;
    let hba1cDeviceId: string;

    before(async () => {
      alice = await person('Carole');
      bruno = await person('Damien');
      // Five blood pressures on 1 to 5 March 2026 (Paris time), the first three with one device.
      for (let day = 1; day <= 5; day++) {
        const dev = day <= 3 ? device('AA-00-00-00-00-00-00-01') : undefined;
        const res = await push(
          t,
          alice.token,
          pushBundle(measure('bp', alice.who, `2026-03-0${day}T08:00:00+01:00`, 110 + day), dev),
        );
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const entries = entriesOf(res.body).map(responseOf);
        bpIds.push(idFrom(entries[entries.length - 1].location));
        if (dev) deviceId = idFrom(entries[0].location);
      }
      const h = await push(
        t,
        alice.token,
        pushBundle(
          measure('hba1c', alice.who, '2026-03-02T08:00:00+01:00'),
          device('AA-00-00-00-00-00-00-02'),
        ),
      );
      hba1cDeviceId = idFrom(responseOf(entriesOf(h.body)[0]).location);
      hba1cId = idFrom(responseOf(entriesOf(h.body)[1]).location);
      await push(t, alice.token, pushBundle(measure('glucose', alice.who, '2026-03-03T08:00:00+01:00')));
      await push(t, bruno.token, pushBundle(measure('bp', bruno.who, '2026-03-03T08:00:00+01:00')));
    });

    const matches = (body: Json) =>
      entriesOf(body)
        .filter((e) => (e.search as Json).mode === 'match')
        .map((e) => (e.resource as Json).id);
    const includes = (body: Json) =>
      entriesOf(body)
        .filter((e) => (e.search as Json).mode === 'include')
        .map((e) => (e.resource as Json).id);
    const links = (body: Json) =>
      Object.fromEntries(
        (body.link as Array<{ relation: string; url: string }>).map((l) => [l.relation, l.url]),
      );

    it('"all": a period, newest first, paged, with total, links and the devices once each', async () => {
      const res = await read(
        t,
        alice.token,
        searchUrl(
          alice.who,
          '85354-9',
          '&date=ge2026-03-01&date=le2026-03-05&_count=2&_include=Observation:device',
        ),
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.match(String(res.headers['content-type']), /application\/fhir\+json/);
      assert.equal(res.body.type, 'searchset');
      assert.equal(res.body.total, 5);
      assert.deepEqual(matches(res.body), [bpIds[4], bpIds[3]]);
      assert.deepEqual(includes(res.body), []);
      const l = links(res.body);
      assert.ok(l.self.startsWith(`${FHIR_BASE}/Observation?`));
      assert.match(l.self, /_offset=0/);
      assert.match(l.next, /_offset=1/);
      assert.equal(l.previous, undefined);
      for (const e of entriesOf(res.body))
        assert.match(String(e.fullUrl), new RegExp(`^${FHIR_BASE}/(Observation|Device)/`));

      const page2 = await read(t, alice.token, new URL(l.next).pathname + new URL(l.next).search);
      assert.equal(page2.status, 200, JSON.stringify(page2.body));
      assert.deepEqual(matches(page2.body), [bpIds[2], bpIds[1]]);
      assert.deepEqual(includes(page2.body), [deviceId], 'one device for the two observations');
      assert.match(links(page2.body).previous, /_offset=0/);
      const page3 = await read(
        t,
        alice.token,
        `${searchUrl(alice.who, '85354-9', '&date=ge2026-03-01&date=le2026-03-05&_count=2&_offset=2')}`,
      );
      assert.deepEqual(matches(page3.body), [bpIds[0]]);
      assert.equal(links(page3.body).next, undefined);
      const past = await read(
        t,
        alice.token,
        `${searchUrl(alice.who, '85354-9', '&date=ge2026-03-01&date=le2026-03-05&_count=2&_offset=7')}`,
      );
      assert.equal(past.body.total, 5);
      assert.deepEqual(matches(past.body), []);
    });

    it('"all": a day covers the whole day, Paris time; bounds exclude what they exclude', async () => {
      const day = await read(t, alice.token, searchUrl(alice.who, '85354-9', '&date=2026-03-02'));
      assert.deepEqual(matches(day.body), [bpIds[1]]);
      const open = await read(
        t,
        alice.token,
        searchUrl(alice.who, '85354-9', '&date=gt2026-03-02&date=lt2026-03-05'),
      );
      assert.deepEqual(matches(open.body), [bpIds[3], bpIds[2]]);
      const none = await read(t, alice.token, searchUrl(alice.who, '85354-9', '&date=2025'));
      assert.equal(none.body.total, 0);
      assert.deepEqual(none.body.entry, []);
    });

    it('"last": the newest one, with its device, by bare idPe and system|code too', async () => {
      const res = await read(
        t,
        alice.token,
        `/fhir/Observation?subject.identifier=${alice.idPe}&code=http://loinc.org%7C85354-9&_sort=-date&_count=1&_include=Observation.device`,
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(matches(res.body), [bpIds[4]]);
      const full = await read(
        t,
        alice.token,
        searchUrl(alice.who, '85354-9', '&_sort=-date&_count=1&_include=Observation:device'),
      );
      assert.equal(full.status, 200);
      assert.deepEqual(matches(full.body), [bpIds[4]]);
      assert.deepEqual(includes(full.body), [], 'the newest one was measured without a device');
    });

    it('only ever returns the searched code of the caller’s citizen', async () => {
      const res = await read(t, alice.token, searchUrl(alice.who, '2345-7', '&date=2026'));
      assert.equal(res.body.total, 1);
      for (const e of entriesOf(res.body)) {
        const r = e.resource as Json;
        assert.equal(((r.code as Json).coding as Json[])[0].code, '2345-7');
        assert.equal(((r.subject as Json).identifier as Json).value, alice.idPe);
      }
      const bp = await read(t, bruno.token, searchUrl(bruno.who, '85354-9', '&date=2026'));
      assert.equal(bp.body.total, 1);
    });

    it('records one read access event per search', async () => {
      const before = (await accessEvents(t, alice.citizenId)).length;
      await read(t, alice.token, searchUrl(alice.who, '85354-9', '&date=2026'));
      const events = await accessEvents(t, alice.citizenId);
      assert.equal(events.length, before + 1);
      assert.deepEqual(events.at(-1), {
        serviceOid: events.at(-1)?.serviceOid,
        category: 'pression-arterielle',
        action: 'read',
        outcome: 'permit',
        operation: 'Observation.search',
      });
    });

    it('400 « Request not valid » with MES’s diagnostics', async () => {
      const cases: Array<[string, string | RegExp]> = [
        [
          searchUrl(alice.who, '85354-9', '&date=2026&_count=101'),
          'Maximum page size allowed is 100. Actual : 101',
        ],
        [
          searchUrl(alice.who, '85354-9', '&_sort=-date&_count=2'),
          'Sort parameter must be equals to -date (date DESC) with _count equals to 1 to retrieve last observation',
        ],
        [
          searchUrl(alice.who, '85354-9', '&_sort=-date&_count=1&date=2026'),
          'Paged search and search last cannot be requested concurrently',
        ],
        [searchUrl(alice.who, '85354-9'), 'No search mode detected'],
        [searchUrl(alice.who, '85354-9', '&date=2026&patient=x&_elements=id'), /patient, _elements/],
        [`/fhir/Observation?subject.identifier=${alice.idPe}&date=2026`, /code is mandatory/],
        [`/fhir/Observation?code=85354-9&date=2026`, /subject.identifier is mandatory/],
        [searchUrl(alice.who, '0000-0', '&date=2026'), /0000-0 is not a measure code/],
        [searchUrl(alice.who, '85354-9', '&date=ge2026-01-01'), /Both date bounds/],
        [searchUrl(alice.who, '85354-9', '&date=2026-02-30'), /not a valid date/],
        [
          `/fhir/Observation?subject.identifier=${encodeURIComponent(`urn:oid:1.2.3|${alice.idPe}`)}&code=85354-9&date=2026`,
          /system must be/,
        ],
      ];
      // The subject as a reference is the same search as by identifier.
      const byReference = await read(
        t,
        alice.token,
        `/fhir/Observation?subject=Patient/${alice.idPe}&code=85354-9&date=2026`,
      );
      assert.equal(byReference.status, 200, JSON.stringify(byReference.body));
      for (const [url, expected] of cases) {
        const res = await read(t, alice.token, url);
        assert.equal(res.status, 400, `${url}: ${JSON.stringify(res.body)}`);
        const [issue] = issuesOf(res.body);
        assert.equal(issue.text, 'Request not valid');
        assert.equal(issue.code, 'invalid');
        if (typeof expected === 'string') assert.equal(issue.diagnostics, expected, url);
        else assert.match(issue.diagnostics ?? '', expected, url);
      }
    });

    it('never a 5xx for a NUL, a broken UTF-8 sequence or bad percent-encoding in a parameter or an id', async () => {
      const subject = encodeURIComponent(`${alice.who.idPeSystem}|${alice.idPe}`);
      for (const bad of ['%00', 'a%00b', '%ED%A0%80', '%C3', '%', '%E2%82']) {
        for (const url of [
          `/fhir/Observation?subject.identifier=${subject}&code=${bad}&date=2026`,
          `/fhir/Observation?subject.identifier=${subject}${bad}&code=85354-9&date=2026`,
          `/fhir/Observation?subject=Patient/${bad}&code=85354-9&date=2026`,
          `/fhir/Observation?subject.identifier=${subject}&code=85354-9&date=${bad}`,
          `/fhir/Observation?subject.identifier=${subject}&code=85354-9&date=2026&_count=${bad}`,
          `/fhir/Observation?subject.identifier=${subject}&code=85354-9&date=2026&_offset=${bad}`,
          `/fhir/Observation?subject.identifier=${subject}&code=85354-9&date=2026&_include=${bad}`,
          `/fhir/Observation/${bad}`,
          `/fhir/Observation/${bpIds[0]}${bad}/_history`,
          `/fhir/Observation/${bpIds[0]}/_history/${bad}`,
          `/fhir/Device/${bad}`,
        ]) {
          const res = await read(t, alice.token, url);
          assert.ok(res.status < 500, `${res.status} for ${url}`);
          assert.equal(res.body.resourceType, res.status === 200 ? 'Bundle' : 'OperationOutcome', url);
        }
      }
    });

    it('401 without a valid token, on every route', async () => {
      for (const url of [
        searchUrl(alice.who, '85354-9', '&date=2026'),
        `/fhir/Observation/${bpIds[0]}`,
        `/fhir/Observation/${bpIds[0]}/_history`,
        `/fhir/Observation/${bpIds[0]}/_history/1`,
        `/fhir/Device/${deviceId}`,
      ]) {
        const res = await read(t, undefined, url);
        assert.equal(res.status, 401, url);
        assert.equal(res.body.resourceType, 'OperationOutcome');
        const bad = await read(t, 'x.y.z', url);
        assert.equal(bad.status, 401, url);
      }
    });

    it('403 for another citizen’s idPe', async () => {
      const res = await read(t, alice.token, searchUrl(bruno.who, '85354-9', '&date=2026'));
      assert.equal(res.status, 403);
      assert.equal(issuesOf(res.body)[0].text, IDPE_MISMATCH);
    });

    it('403 for a category the citizen did not let it read, recorded as a refusal; never returned by id', async () => {
      const res = await read(t, alice.token, searchUrl(alice.who, '4548-4', '&date=2026'));
      assert.equal(res.status, 403);
      assert.equal(issuesOf(res.body)[0].text, CONSENT_REFUSED);
      const last = (await accessEvents(t, alice.citizenId)).at(-1);
      assert.deepEqual([last?.category, last?.action, last?.outcome], ['hba1c', 'read', 'deny']);
      for (const url of [
        `/fhir/Observation/${hba1cId}`,
        `/fhir/Observation/${hba1cId}/_history`,
        `/fhir/Observation/${hba1cId}/_history/1`,
        `/fhir/Device/${hba1cDeviceId}`,
      ]) {
        const r = await read(t, alice.token, url);
        assert.equal(r.status, 404, url);
      }
    });

    it('reads by id, history and version; 404 for another citizen’s, an absent or a malformed id', async () => {
      const one = await read(t, alice.token, `/fhir/Observation/${bpIds[0]}`);
      assert.equal(one.status, 200);
      const history = await read(t, alice.token, `/fhir/Observation/${bpIds[0]}/_history`);
      assert.equal(history.status, 200);
      assert.equal(history.body.type, 'history');
      assert.equal(history.body.total, 1);
      assert.deepEqual((entriesOf(history.body)[0].resource as Json).id, bpIds[0]);
      const v1 = await read(t, alice.token, `/fhir/Observation/${bpIds[0]}/_history/1`);
      assert.equal(v1.status, 200);
      assert.equal(v1.headers.etag, 'W/"1"');
      assert.deepEqual(v1.body, one.body);

      const brunoObs = await read(t, bruno.token, searchUrl(bruno.who, '85354-9', '&date=2026'));
      const brunoId = String((entriesOf(brunoObs.body)[0].resource as Json).id);
      const notFound = [
        `/fhir/Observation/${brunoId}`,
        `/fhir/Observation/${brunoId}/_history`,
        `/fhir/Observation/${crypto.randomUUID()}`,
        '/fhir/Observation/not-an-id',
        `/fhir/Observation/${bpIds[0]}/_history/2`,
        `/fhir/Observation/${bpIds[0]}/_history/x`,
        `/fhir/Device/${crypto.randomUUID()}`,
        '/fhir/Device/42',
      ];
      for (const url of notFound) {
        const res = await read(t, alice.token, url);
        assert.equal(res.status, 404, url);
        assert.equal(res.body.resourceType, 'OperationOutcome');
      }
      // The same answer for Bruno's observation as for one that does not exist.
      const a = await read(t, alice.token, `/fhir/Observation/${brunoId}`);
      const b = await read(t, alice.token, `/fhir/Observation/${crypto.randomUUID()}`);
      assert.equal(issuesOf(a.body)[0].code, issuesOf(b.body)[0].code);
    });

    it('lists, counts, exports and erases a citizen’s measures for their own space', async () => {
      const rows = await measuresOf(t.db, alice.citizenId, { limit: 100 });
      assert.equal(rows.length, 7);
      assert.deepEqual(
        rows.map((r) => r.effectiveAt.toISOString()),
        [...rows.map((r) => r.effectiveAt.toISOString())].sort().reverse(),
      );
      const bp = rows.find((r) => r.id === bpIds[4]);
      assert.ok(bp);
      assert.equal(bp.category, 'pression-arterielle');
      assert.equal(bp.serviceName, 'Suivi Santé');
      assert.deepEqual(bp.values, [
        { code: '8480-6', label: 'Pression systolique', value: 115, unit: 'mm[Hg]' },
        { code: '8462-4', label: 'Pression diastolique', value: 80, unit: 'mm[Hg]' },
      ]);
      const march2 = await measuresOf(t.db, alice.citizenId, {
        category: 'pression-arterielle',
        from: new Date('2026-03-02T00:00:00+01:00'),
        to: new Date('2026-03-04T00:00:00+01:00'),
        limit: 10,
      });
      assert.deepEqual(
        march2.map((r) => r.id),
        [bpIds[2], bpIds[1]],
      );
      const counts = await measureCategoriesOf(t.db, alice.citizenId);
      assert.deepEqual(
        counts.map((c) => [c.category, c.count]),
        [
          ['glycemie', 1],
          ['hba1c', 1],
          ['pression-arterielle', 5],
        ],
      );
      assert.equal(counts[2].last.toISOString(), '2026-03-05T07:00:00.000Z');
      const exported = await measuresForExport(t.db, alice.citizenId);
      assert.equal(exported.filter((r) => r.resourceType === 'Observation').length, 7);
      assert.equal(exported.filter((r) => r.resourceType === 'Device').length, 2);

      const erased = await t.db.transaction().execute((trx) => eraseMeasures(trx, alice.citizenId));
      assert.equal(erased, 7);
      assert.deepEqual(await measuresOf(t.db, alice.citizenId, { limit: 100 }), []);
      assert.deepEqual(await measuresForExport(t.db, alice.citizenId), []);
      const left = await t.db
        .selectFrom('fhir_resource_versions')
        .select('id')
        .where('citizen_id', '=', alice.citizenId)
        .execute();
      assert.equal(left.length, 0);
      assert.equal(
        (await measuresOf(t.db, bruno.citizenId, { limit: 100 })).length,
        1,
        'another citizen’s stay',
      );
    });
  });

  describe('consent withdrawn', () => {
    let chloe: Person;
    let denis: Person;

    before(async () => {
      chloe = await person('Chloé');
      denis = await person('Denis');
    });

    it('after the consent to a category is withdrawn: writes 403 and store nothing, reads of it return nothing', async () => {
      const stored = await push(
        t,
        chloe.token,
        pushBundle(measure('bp', chloe.who, '2026-03-01T08:00:00+01:00')),
      );
      const id = idFrom(responseOf(entriesOf(stored.body)[0]).location);
      assert.equal((await read(t, chloe.token, `/fhir/Observation/${id}`)).status, 200);

      const pairing = await pairingByIdPe(t.db, chloe.idPe);
      assert.ok(pairing);
      await t.db.transaction().execute(async (trx) => {
        for (const action of ['read', 'write'] as const)
          await withdrawConsent(
            trx,
            pairing.id,
            { finalite: 'prevention', category: 'pression-arterielle', action },
            new Date(),
          );
      });

      const before = await count(t, 'fhir_observations');
      const write = await push(t, chloe.token, pushBundle(measure('bp', chloe.who)));
      assert.equal(write.status, 403);
      assert.equal(issuesOf(write.body)[0].text, CONSENT_REFUSED);
      assert.equal(await count(t, 'fhir_observations'), before);
      const search = await read(t, chloe.token, searchUrl(chloe.who, '85354-9', '&date=2026'));
      assert.equal(search.status, 403);
      assert.equal((await read(t, chloe.token, `/fhir/Observation/${id}`)).status, 404);
      // The categories still consented stay open.
      assert.equal((await push(t, chloe.token, pushBundle(measure('glucose', chloe.who)))).status, 200);
    });

    it('after every consent is withdrawn, the token is dead: 401 and nothing stored', async () => {
      assert.equal((await push(t, denis.token, pushBundle(measure('bp', denis.who)))).status, 200);
      const pairing = await pairingByIdPe(t.db, denis.idPe);
      assert.ok(pairing);
      const view = await setConsents(
        { db: t.db, notifier: t.notifier },
        citizenActor(denis.citizenId),
        pairing.id,
        pairing.rowVersion,
        [],
      );
      assert.equal(view.consents.filter((c) => c.status === 'active').length, 0);
      const before = await count(t, 'fhir_observations');
      const write = await push(t, denis.token, pushBundle(measure('bp', denis.who)));
      assert.equal(write.status, 401);
      assert.equal(await count(t, 'fhir_observations'), before);
      assert.equal((await read(t, denis.token, searchUrl(denis.who, '85354-9', '&date=2026'))).status, 401);
    });
  });
  describe('BMI, computed on read as MES does', () => {
    let bea: Person;
    const weights: string[] = [];

    before(async () => {
      bea = await person('Béa');
      const height = await push(
        t,
        bea.token,
        pushBundle(measure('height', bea.who, '2026-01-01T08:00:00+01:00', 170)),
      );
      assert.equal(height.status, 200, JSON.stringify(height.body));
      // Weights from a scale app (this service may read weight, not write it): one before any height.
      for (const [at, kg] of [
        ['2025-12-01T08:00:00+01:00', 80],
        ['2026-02-01T08:00:00+01:00', 72.3],
        ['2026-03-01T08:00:00+01:00', 70],
      ] as const) {
        const id = randomUUID();
        weights.push(id);
        await storePush(t.db, {
          observation: {
            id,
            citizenId: bea.citizenId,
            serviceOid: '2.999.250.1.999',
            category: 'poids',
            code: '29463-7',
            effectiveAt: new Date(at),
            deviceId: null,
            lastUpdated: new Date(),
            resource: { ...measure('weight', bea.who, at, kg), id },
          },
          holds: sql<boolean>`true`,
        });
      }
    });

    it('answers the last BMI, and every BMI of a period, from each weight and the height measured before it', async () => {
      const last = await read(t, bea.token, searchUrl(bea.who, '39156-5', '&_sort=-date&_count=1'));
      assert.equal(last.status, 200, JSON.stringify(last.body));
      const [entry] = entriesOf(last.body);
      const bmi = entry.resource as Json;
      assert.equal(bmi.id, `bmi-${weights[2]}`);
      assert.deepEqual(bmi.valueQuantity, {
        value: 24.2,
        unit: 'kg/m2',
        system: 'http://unitsofmeasure.org',
        code: 'kg/m2',
      });
      assert.equal((bmi.derivedFrom as Json[]).length, 2);

      const all = await read(
        t,
        bea.token,
        searchUrl(bea.who, '39156-5', '&date=ge2025-01-01&date=le2026-12-31'),
      );
      assert.equal(all.status, 200);
      assert.equal(all.body.total, 2, 'the weight before any height has no BMI');
      assert.deepEqual(
        entriesOf(all.body).map(
          (e) => (e.resource as { valueQuantity: { value: number } }).valueQuantity.value,
        ),
        [24.2, 25],
      );

      const byId = await read(t, bea.token, `/fhir/Observation/bmi-${weights[1]}`);
      assert.equal(byId.status, 200);
      assert.equal((byId.body.valueQuantity as { value: number }).value, 25);
      assert.equal((await read(t, bea.token, `/fhir/Observation/bmi-${weights[0]}`)).status, 404);
      assert.equal((await read(t, bea.token, `/fhir/Observation/bmi-${randomUUID()}`)).status, 404);
    });

    it('needs the read consent of height as well as weight: a BMI reveals both', async () => {
      const pairing = await pairingByIdPe(t.db, bea.idPe);
      assert.ok(pairing);
      await t.db
        .transaction()
        .execute((trx) =>
          withdrawConsent(
            trx,
            pairing.id,
            { finalite: 'prevention', category: 'taille', action: 'read' },
            new Date(),
          ),
        );
      const search = await read(t, bea.token, searchUrl(bea.who, '39156-5', '&_sort=-date&_count=1'));
      assert.equal(search.status, 403);
      assert.equal(issuesOf(search.body)[0].text, CONSENT_REFUSED);
      assert.equal((await read(t, bea.token, `/fhir/Observation/bmi-${weights[2]}`)).status, 404);
      // Weight alone is still readable.
      const weight = await read(t, bea.token, searchUrl(bea.who, '29463-7', '&_sort=-date&_count=1'));
      assert.equal(weight.status, 200);
    });
  });
});
