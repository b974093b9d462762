/**
 * The publishers' API guide (docs/api-guide.md) against the code: its JSON examples are posted as they are
 * (the example OID and idPe replaced by a real pairing's), its curl commands are run, and every error text the
 * API answers in the cases the guide describes must be written in the guide, verbatim.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { importJWK, SignJWT } from 'jose';
import { pairingByIdPe, setConsents } from '../src/consent/index.ts';
import { withdrawConsent } from '../src/consent/store.ts';
import { newId } from '../src/platform/crypto.ts';
import { provideBundle } from './documents-fixtures.ts';
import { createStaff } from './dossier-fixtures.ts';
import { createCitizen, sessionCookie, startTestApp, type TestApp } from './helpers.ts';
import {
  clientFor,
  device,
  HOST,
  measure,
  PUBLIC_URL,
  pairAndToken,
  publishMeasuresService,
  pushBundle,
  type Who,
  whoOf,
} from './measures-fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: FHIR resources walked by path in the assertions
type Json = Record<string, any>;

const GUIDE = readFileSync(new URL('../docs/api-guide.md', import.meta.url), 'utf8');
/** The guide's text as a reader sees it: a `|` in a table cell is written `\|`. */
const GUIDE_TEXT = GUIDE.replaceAll('\\|', '|');
const EXAMPLE_OID = '2.999.250.1.42';
const EXAMPLE_IDPE = 'Xb7tq2Lw0cR9sPz4mKf8vYn1HuE3aJd6';
const MAX_BYTES = 300_000;

/** The code blocks that follow `<!-- test: <kind> -->`. */
function blocks(kind: string): string[] {
  const found: string[] = [];
  for (const m of GUIDE.matchAll(/<!-- test: (\w+) -->\n```\w+\n([\s\S]*?)\n```/g)) {
    if (m[1] === kind) found.push(m[2]);
  }
  return found;
}

interface Person {
  citizenId: string;
  token: string;
  idPe: string;
  who: Who;
}

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: Json;
  raw: Buffer;
}

describe('the API guide, against the running code', () => {
  let t: TestApp;
  let oid: string;
  let alice: Person;
  let bob: Person;
  const ids: Record<string, string> = {};

  const call = async (
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Answer> => {
    const res = await t.inject({
      method,
      url,
      headers: {
        host: HOST,
        'accept-language': 'en',
        ...(options.body !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined
        ? { payload: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
        : {}),
    });
    let body: Json = {};
    try {
      body = res.json();
    } catch {
      body = {};
    }
    return { status: res.statusCode, headers: res.headers, body, raw: res.rawPayload };
  };
  const post = (token: string | undefined, body: unknown, headers: Record<string, string> = {}) =>
    call('POST', '/fhir', { token, body, headers });
  const fromGuide = (text: string) =>
    JSON.parse(text.replaceAll(EXAMPLE_OID, oid).replaceAll(EXAMPLE_IDPE, alice.idPe)) as Json;
  const statuses = (body: Json) => (body.entry as Json[]).map((e) => e.response.status as string);
  const located = (body: Json, type: string) =>
    (body.entry as Json[])
      .map((e) => String(e.response.location).split('/'))
      .find(([t]) => t === type)?.[1] as string;

  before(async () => {
    t = await startTestApp({ MESREF_PUBLIC_URL: PUBLIC_URL, MESREF_FHIR_MAX_BYTES: String(MAX_BYTES) });
    const staff = await createStaff(t);
    const service = await publishMeasuresService(t, {
      name: 'Suivi Guide',
      redirectUri: 'http://127.0.0.1:4997/client/callback',
      categories: [
        { code: 'poids', read: true, write: true },
        { code: 'pression-arterielle', read: true, write: true },
        { code: 'glycemie', read: true, write: true },
        { code: 'hba1c', read: false, write: true },
        { code: 'documents', read: true, write: true },
      ],
      staff,
    });
    oid = service.oid;
    const client = clientFor(t, service);
    const person = async (given: string, scope: string): Promise<Person> => {
      const citizenId = await createCitizen(t.db, given, 'Martin');
      const cookies = await sessionCookie(t.db, { citizenId });
      const { accessToken, idPe } = await pairAndToken(t, client, cookies, scope);
      return { citizenId, token: accessToken, idPe, who: whoOf(t, service, idPe) };
    };
    alice = await person(
      'Alice',
      'openid poids.read poids.write pression-arterielle.read pression-arterielle.write glycemie.read glycemie.write hba1c.write documents.read documents.write',
    );
    bob = await person('Bob', 'openid poids.read');
  });
  after(() => t.stop());

  it('names the sandbox’s idPe system as the code does', () => {
    assert.equal(alice.who.idPeSystem, 'urn:oid:2.999.250.1.0');
    assert.ok(GUIDE.includes('"system": "urn:oid:2.999.250.1.0"'));
  });

  it('every push example is stored as the guide says (201, then 200 for the same Device)', async () => {
    const pushes = blocks('push');
    assert.equal(pushes.length, 2);
    for (const text of pushes) {
      const res = await post(alice.token, fromGuide(text));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.type, 'transaction-response');
      assert.ok(statuses(res.body).every((s) => s === '201 Created'));
    }
    const again = await post(alice.token, fromGuide(pushes[0]));
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.deepEqual(statuses(again.body), ['200 OK', '201 Created']);
    ids.OBS_ID = located(again.body, 'Observation');
    ids.DEVICE_ID = located(again.body, 'Device');
  });

  it('the provide example is stored: its List, DocumentReference and Binary', async () => {
    const [text] = blocks('provide');
    const res = await post(alice.token, fromGuide(text));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(statuses(res.body), ['201 Created', '201 Created', '201 Created']);
    ids.LIST_ID = located(res.body, 'List');
    ids.DOC_ID = located(res.body, 'DocumentReference');
    ids.BINARY_ID = located(res.body, 'Binary');
    const binary = await call('GET', `/fhir/Binary/${ids.BINARY_ID}`, { token: alice.token });
    assert.equal(binary.headers['content-type'], 'application/pdf');
    assert.equal(binary.raw.length, 94);
  });

  it('every curl of the guide answers 200 with what it says', async () => {
    const vars = (text: string) =>
      text
        .replaceAll('$IDPE', alice.idPe)
        .replace(/\$([A-Z_]+_ID)/g, (_, name: string) => ids[name] ?? `missing-${name}`);
    let count = 0;
    for (const block of blocks('get')) {
      for (const m of block.matchAll(/curl [^"\n]*"\$MESREF([^"]+)"(.*)/g)) {
        const url = vars(m[1]);
        const token = /Bearer \$AT/.test(m[2] + block) ? alice.token : undefined;
        const res = await call('GET', url, { token });
        assert.equal(res.status, 200, `${url}: ${JSON.stringify(res.body)}`);
        count++;
        if (url.startsWith('/fhir/Binary/')) {
          assert.equal(res.headers['content-type'], 'application/pdf');
          assert.match(String(res.headers['content-disposition']), /^attachment/);
        } else if (url === '/fhir/metadata') {
          assert.equal(res.body.resourceType, 'CapabilityStatement');
        } else if (res.body.type === 'searchset') {
          assert.ok(res.body.total >= 1, url);
        } else {
          assert.ok(
            ['Observation', 'Device', 'DocumentReference', 'List', 'Bundle'].includes(res.body.resourceType),
          );
        }
      }
    }
    assert.ok(count >= 12, `${count} curl commands`);
    const [form] = blocks('form');
    const fields = [...form.matchAll(/--data-urlencode "([^=]+)=([^"]*)"/g)].map(([, k, v]) => [k, vars(v)]);
    assert.equal(fields.length, 2);
    const res = await t.inject({
      method: 'POST',
      url: '/fhir/DocumentReference/_search',
      headers: {
        host: HOST,
        authorization: `Bearer ${alice.token}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: new URLSearchParams(fields).toString(),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().total, 1);
  });

  /** A text answered, with the call's own values (ids, OID, idPe…) written as the guide writes them. */
  function written(text: string, values: Record<string, string> = {}): string {
    const general: Record<string, string> = {
      [alice.who.idPeSystem]: '<system>',
      [oid]: '<OID>',
      [alice.idPe]: '<idPe>',
    };
    let out = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>');
    for (const [actual, placeholder] of Object.entries({ ...values, ...general }))
      out = out.replaceAll(actual, placeholder);
    return out;
  }

  /**
   * Each refusal's MES texts (`details.text` when it is not a catalogue message, `diagnostics`) with the
   * call's own values written as the guide writes them.
   */
  async function assertWritten(res: Answer, status: number, values: Record<string, string> = {}) {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.resourceType, 'OperationOutcome');
    const texts: string[] = [];
    for (const issue of res.body.issue as Json[]) {
      if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
      // MES's text is in diagnostics when there are some; otherwise in details.text (mesref's own words for a
      // person sit in details.text beside diagnostics, and the validator's catalogue messages carry a coding).
      if (issue.diagnostics) texts.push(written(issue.diagnostics, values));
      else if (!issue.details?.coding && issue.details?.text) texts.push(written(issue.details.text, values));
    }
    assert.ok(texts.length > 0, JSON.stringify(res.body));
    for (const text of texts) assert.ok(GUIDE_TEXT.includes(`\`${text}\``), `not in the guide: ${text}`);
  }

  it('authorization refusals are written in the guide', async () => {
    const weight = () => pushBundle(measure('weight', alice.who));
    const noToken = await post(undefined, weight());
    await assertWritten(noToken, 401);
    assert.equal(noToken.headers['www-authenticate'], 'Bearer error="invalid_token"');
    await assertWritten(await post('abc.def.ghi', weight()), 401);
    const [header, payload] = alice.token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    const jwk = t.keys.privateJwks.find((k) => k.kid === header.kid);
    const forged = await new SignJWT({ ...payload, [t.config.oauth.oidClaim]: `${oid}.9` })
      .setProtectedHeader({ alg: header.alg, kid: header.kid, typ: 'at+jwt' })
      .sign(await importJWK(jwk as never, header.alg));
    await assertWritten(await post(forged, weight()), 409);
    await assertWritten(await post(alice.token, pushBundle(measure('weight', bob.who))), 403);
    await assertWritten(await post(bob.token, pushBundle(measure('weight', bob.who))), 403);
  });

  it('body refusals are written in the guide', async () => {
    await assertWritten(await post(alice.token, ''), 400);
    await assertWritten(await post(alice.token, { resourceType: 'Observation' }), 400);
    const malformed = await post(alice.token, '{"resourceType": "Bundle",');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.issue[0].details.text, 'No bundle provided.');
    // 413 is a message of the validator's catalogue: its English text, with the limit, as the guide writes it.
    const tooLarge = await post(alice.token, `{"x":"${'a'.repeat(MAX_BYTES)}"}`);
    assert.equal(tooLarge.status, 413);
    const text = String(tooLarge.body.issue[0].details.text).replaceAll(String(MAX_BYTES), '<max>');
    assert.ok(GUIDE_TEXT.includes(`\`${text}\``), text);
    const plain = await post(alice.token, 'hello', { 'content-type': 'text/plain' });
    await assertWritten(plain, 415);
  });

  it('422 refusals of a push are written in the guide, with their issue code', async () => {
    const who = alice.who;
    const cases: Array<[string, Json, Record<string, string>?]> = [];
    const put: Json = pushBundle(measure('weight', who));
    put.entry[0].request.method = 'PUT';
    cases.push(['PUT', put, { 'type Observation': 'type <type>', 'method PUT': 'method <method>' }]);
    const noIfNoneExist: Json = pushBundle(measure('weight', who), device());
    delete noIfNoneExist.entry[0].request.ifNoneExist;
    cases.push(['ifNoneExist', noIfNoneExist]);
    const two: Json = pushBundle(measure('weight', who));
    two.entry.push({ ...structuredClone(two.entry[0]), fullUrl: `urn:uuid:${newId()}` });
    cases.push(['two observations', two]);
    const noReference: Json = pushBundle(measure('weight', who), device());
    delete noReference.entry[1].resource.device;
    cases.push(['no device reference', noReference]);
    const unlinked: Json = pushBundle(measure('weight', who), device());
    unlinked.entry[1].resource.device.reference = `Device/${newId()}`;
    cases.push(['not linked', unlinked]);
    const noProfile: Json = measure('weight', who);
    delete noProfile.meta.profile;
    cases.push(['no meta.profile', pushBundle(noProfile)]);
    const deviceNoProfile: Json = device();
    delete deviceNoProfile.meta;
    cases.push(['device without meta.profile', pushBundle(measure('weight', who), deviceNoProfile)]);
    const source: Json = measure('weight', who);
    source.meta.source = 'urn:oid:1.2.3.4';
    cases.push(['meta.source', pushBundle(source), { 'Observation.meta': '<type>.meta' }]);
    const noValue: Json = measure('weight', who);
    delete noValue.valueQuantity;
    cases.push(['no value', pushBundle(noValue)]);
    cases.push(['BMI', pushBundle(measure('bmi', who))]);
    const noSubject: Json = measure('weight', who);
    delete noSubject.subject;
    cases.push([
      'no subject',
      pushBundle(noSubject),
      { 'Observation.subject.identifier is': '<type>.subject.identifier is' },
    ]);
    const noMoment: Json = measure('glucose', who);
    delete noMoment.extension;
    cases.push(['glucose without moment', pushBundle(noMoment)]);
    const momentOnHba1c: Json = measure('hba1c', who);
    momentOnHba1c.extension = measure('glucose', who).extension;
    cases.push(['moment on HbA1c', pushBundle(momentOnHba1c)]);
    const noDays: Json = measure('interstitial', who);
    delete noDays.extension;
    cases.push(['interstitial without number of days', pushBundle(noDays)]);
    const daysOnGlucose: Json = measure('glucose', who);
    const interstitial: Json = measure('interstitial', who);
    daysOnGlucose.extension = [...daysOnGlucose.extension, ...interstitial.extension];
    cases.push(['number of days on blood glucose', pushBundle(daysOnGlucose)]);
    const otherSystem: Json = measure('weight', { ...who, idPeSystem: 'urn:oid:1.2.250.1.215.400' });
    cases.push(['subject in another system', pushBundle(otherSystem)]);
    const unknownDevice: Json = measure('weight', who);
    unknownDevice.device = { reference: `Device/${newId()}` };
    cases.push(['unknown device', pushBundle(unknownDevice)]);
    for (const [name, bundle, values] of cases) {
      const res = await post(alice.token, bundle);
      await assertWritten(res, 422, values);
      // The issue code the guide gives for the MES text is the one answered.
      for (const issue of (res.body.issue as Json[]).filter((i) => i.diagnostics)) {
        const text = written(issue.diagnostics, values);
        const rows = GUIDE_TEXT.split('\n').filter((line) => line.includes(`\`${text}\``));
        assert.ok(
          rows.some((row) => row.startsWith(`| \`${issue.code}\``)),
          `${name}: ${issue.code} ${issue.diagnostics}`,
        );
      }
    }
  });

  it('422 refusals of a provide are written in the guide', async () => {
    const who = alice.who;
    const [text] = blocks('provide');
    await assertWritten(await post(alice.token, fromGuide(text)), 422, {
      'urn:ietf:rfc:3986': '<system>',
      [`urn:oid:${oid}.1.3.20261120.1`]: '<value>',
    });
    await assertWritten(
      await post(
        alice.token,
        provideBundle(who, { documents: [{ replaces: { reference: `DocumentReference/${newId()}` } }] }),
      ),
      422,
      { 'DocumentReference/<id>': '<target>' },
    );
    await assertWritten(
      await post(alice.token, provideBundle(who, { folder: { storedIds: [newId()] } })),
      422,
      {
        'DocumentReference/<id>': '<reference>',
      },
    );
    const put: Json = provideBundle(who, { folder: {} });
    const folderId = newId();
    put.entry[3].resource.id = folderId;
    put.entry[3].request = { method: 'PUT', url: `List/${folderId}` };
    await assertWritten(await post(alice.token, put), 422);
    await assertWritten(await post(alice.token, provideBundle(who, { metaSource: 'urn:oid:1.2.3.4' })), 422, {
      'List.meta': '<type>.meta',
      'DocumentReference.meta': '<type>.meta',
    });
    await assertWritten(await post(alice.token, provideBundle(bob.who)), 403);
  });

  it('search refusals are written in the guide', async () => {
    const subject = encodeURIComponent(`${alice.who.idPeSystem}|${alice.idPe}`);
    const measures = (query: string) => call('GET', `/fhir/Observation?${query}`, { token: alice.token });
    const of = (rest: string) => measures(`subject.identifier=${subject}&${rest}`);
    const both = 'date=ge2026-01-01&date=le2026-12-31';
    await assertWritten(await of(`code=29463-7&${both}&_count=101`), 400, { 'Actual : 101': 'Actual : <n>' });
    await assertWritten(await of('code=29463-7&_sort=-date&_count=2'), 400);
    await assertWritten(await of(`code=29463-7&_sort=-date&_count=1&${both}`), 400);
    await assertWritten(await of('code=29463-7'), 400);
    await assertWritten(await of(both), 400);
    await assertWritten(await of(`code=29463-7,85354-9&${both}`), 400);
    await assertWritten(await of(`code=1234-5&${both}`), 400, { '1234-5': '<code>' });
    await assertWritten(await measures(`code=29463-7&${both}`), 400);
    await assertWritten(
      await measures(
        `subject.identifier=${encodeURIComponent(`urn:oid:1.2.3|${alice.idPe}`)}&code=29463-7&${both}`,
      ),
      400,
    );
    await assertWritten(await of('code=29463-7&date=ge2026-01-01'), 400);
    await assertWritten(await of('code=29463-7&date=2026-13'), 400, { '2026-13': '<value>' });
    await assertWritten(await of('code=29463-7&date=ne2026'), 400, { 'prefix ne': 'prefix <prefix>' });
    await assertWritten(await of(`code=29463-7&${both}&_count=0`), 400);
    await assertWritten(await of(`code=29463-7&${both}&_offset=x`), 400);
    await assertWritten(await of(`code=29463-7&${both}&_include=Observation:subject`), 400, {
      '_include Observation:subject': '_include <value>',
    });
    await assertWritten(await of(`code=29463-7&${both}&_format=xml`), 400, {
      '_format xml': '_format <value>',
    });
    await assertWritten(await of(`code=29463-7&code=85354-9&${both}`), 400, {
      'parameter code': 'parameter <name>',
    });
    await assertWritten(await of(`code=29463-7&${both}&foo=1`), 400, { 'foo.': '<names>.' });
    await assertWritten(
      await measures(
        `subject.identifier=${encodeURIComponent(`${alice.who.idPeSystem}|${bob.idPe}`)}&code=29463-7&${both}`,
      ),
      403,
    );
    await assertWritten(await of(`code=4548-4&${both}`), 403);

    const documents = (query: string) =>
      call('GET', `/fhir/DocumentReference?${query}`, { token: alice.token });
    const patient = `patient.identifier=${subject}`;
    await assertWritten(await documents('status=current'), 400);
    await assertWritten(await documents(patient), 400);
    await assertWritten(await documents(`${patient}&status=gone`), 400, { gone: '<status>' });
    const elsewhere = `urn:oid:1.2.3|${alice.idPe}`;
    await assertWritten(
      await documents(`patient.identifier=${encodeURIComponent(elsewhere)}&status=current`),
      400,
      { [elsewhere]: '<value>' },
    );
    await assertWritten(await documents('patient=a/b&status=current'), 400, { 'a/b': '<value>' });
    await assertWritten(await documents(`${patient}&patient=Patient/other&status=current`), 400);
    await assertWritten(await documents(`${patient}&status=current&type=|`), 400, {
      'type is': '<name> is',
      ': |': ': <value>',
    });
    await assertWritten(await documents(`${patient}&status=current&date=soon`), 400, {
      'date is': '<name> is',
      ': soon': ': <value>',
    });
    await assertWritten(await documents(`${patient}&status=current&_count=x`), 400, {
      '(received x)': '(received <value>)',
    });
    await assertWritten(await documents(`${patient}&status=current&_offset=x`), 400, {
      '(received x)': '(received <value>)',
    });
    await assertWritten(await documents(`${patient}&status=current&_count=101`), 400, {
      'Actual : 101': 'Actual : <n>',
    });
    await assertWritten(await documents(`${patient}&status=current&_sort=title`), 400);
    await assertWritten(await documents(`${patient}&status=current&foo=1`), 400, { ': foo': ': <names>' });
  });

  it('reads of what is absent or not the caller’s, and other paths, are written in the guide', async () => {
    await assertWritten(await call('GET', `/fhir/Observation/${newId()}`, { token: alice.token }), 404);
    await assertWritten(
      await call('GET', `/fhir/Observation/${ids.OBS_ID}/_history/9`, { token: alice.token }),
      404,
      {
        '/_history/9': '/_history/<vid>',
        'Resource Observation/': 'Resource <type>/',
      },
    );
    await assertWritten(await call('GET', `/fhir/Observation/${ids.OBS_ID}`, { token: bob.token }), 404, {
      'Resource Observation/': 'Resource <type>/',
    });
    await assertWritten(await call('GET', `/fhir/Binary/${ids.BINARY_ID}`, { token: bob.token }), 404, {
      'Resource Binary/': 'Resource <type>/',
    });
    await assertWritten(await call('GET', '/fhir/Patient', { token: alice.token }), 404, {
      'GET /fhir/Patient': '<METHOD> <path>',
    });
    await assertWritten(
      await call('DELETE', `/fhir/Observation/${ids.OBS_ID}`, { token: alice.token }),
      404,
      {
        'DELETE /fhir/Observation/<id>': '<METHOD> <path>',
      },
    );
  });

  it('a consent withdrawn refuses the next call; every consent withdrawn ends the token', async () => {
    const pairing = await pairingByIdPe(t.db, alice.idPe);
    assert.ok(pairing);
    await withdrawConsent(
      t.db,
      pairing.id,
      { finalite: 'prevention', category: 'poids', action: 'write' },
      new Date(),
    );
    await assertWritten(await post(alice.token, pushBundle(measure('weight', alice.who))), 403);
    assert.equal((await post(alice.token, pushBundle(measure('bp', alice.who)))).status, 200);
    const fresh = await pairingByIdPe(t.db, alice.idPe);
    assert.ok(fresh);
    await setConsents(
      { db: t.db, notifier: t.notifier },
      { kind: 'citizen', citizenId: alice.citizenId, displayName: 'Alice' },
      fresh.id,
      fresh.rowVersion,
      [],
    );
    await assertWritten(await post(alice.token, pushBundle(measure('bp', alice.who))), 401);
  });
});
