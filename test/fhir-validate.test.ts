import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isolateSpan, jsonValueSpan, resourceParameterIndex } from '../src/fhir/routes.ts';
import { formatMessage } from '../src/fhir/validation/issues.ts';
import {
  CSRF,
  createAccount,
  createCitizen,
  createOrganisation,
  sessionCookie,
  startTestApp,
  type TestApp,
} from './helpers.ts';

/** POST /fhir/$validate and /fhir/[type]/$validate, and the « Valider une ressource » page, through inject. */

const bodyWeight = {
  resourceType: 'Observation',
  meta: {
    profile: [
      'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/mesures-fr-observation-body-weight',
    ],
  },
  status: 'final',
  category: [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/observation-category',
          code: 'vital-signs',
          display: 'vital-signs',
        },
      ],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Poids corporel' }] },
  subject: { identifier: { system: 'urn:oid:2.999.1.1', value: 'idpe-0f6b2c1e' } },
  effectiveDateTime: '2026-11-20T08:15:00+01:00',
  valueQuantity: { value: 71.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
};

const VALID = JSON.stringify(bodyWeight, null, 2);
const INVALID = '{"resourceType":"Observation"}';
const LIMIT = 16 * 1024;

interface OutcomeJson {
  resourceType: string;
  issue: Array<{
    severity: string;
    code: string;
    details: { text: string; coding?: Array<{ system: string; code: string }> };
    expression?: string[];
    location?: string[];
    diagnostics?: string;
  }>;
}

const errorsOf = (outcome: OutcomeJson) =>
  outcome.issue.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');

describe('FHIR $validate', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ MESREF_FHIR_MAX_BYTES: String(LIMIT) });
  });
  after(() => t.stop());

  async function validate(
    payload: string,
    options: { url?: string; type?: string; headers?: Record<string, string> } = {},
  ) {
    const res = await t.inject({
      method: 'POST',
      url: options.url ?? '/fhir/$validate',
      headers: { 'content-type': options.type ?? 'application/fhir+json', ...options.headers },
      payload,
    });
    const outcome = res.body ? (JSON.parse(res.body) as OutcomeJson) : undefined;
    return { res, outcome: outcome as OutcomeJson };
  }

  it('a valid body weight: 200, an OperationOutcome without error, as application/fhir+json', async () => {
    const { res, outcome } = await validate(VALID);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
    assert.equal(outcome.resourceType, 'OperationOutcome');
    assert.deepEqual(errorsOf(outcome), []);
  });

  it('an invalid resource: still 200 (it could be examined), with its errors, their paths and positions', async () => {
    const { res, outcome } = await validate(INVALID, { type: 'application/json' });
    assert.equal(res.statusCode, 200);
    const errors = errorsOf(outcome);
    assert.ok(errors.length > 0);
    for (const issue of errors) {
      assert.ok(issue.expression?.[0]?.startsWith('Observation'), JSON.stringify(issue));
      assert.equal(issue.details.coding?.[0].system, 'https://mesref.fr/fhir/CodeSystem/validation-message');
    }
    assert.ok(outcome.issue.some((issue) => issue.location?.[0] === 'Line[1] Col[1]'));
  });

  it('speaks the language of Accept-Language', async () => {
    const fr = (await validate(INVALID)).outcome;
    const en = (await validate(INVALID, { headers: { 'accept-language': 'en-GB,en;q=0.9' } })).outcome;
    const first = fr.issue[0].details.coding?.[0].code as string;
    assert.equal(en.issue[0].details.coding?.[0].code, first);
    assert.equal(fr.issue[0].details.text.startsWith(formatMessage(first, 'fr').slice(0, 10)), true);
    assert.equal(en.issue[0].details.text.startsWith(formatMessage(first, 'en').slice(0, 10)), true);
    assert.notEqual(fr.issue[0].details.text, en.issue[0].details.text);
  });

  it('malformed JSON or an empty body: 400 with an OperationOutcome that says where', async () => {
    const { res, outcome } = await validate('{\n  "resourceType": "Observation",\n  "status": }');
    assert.equal(res.statusCode, 400);
    assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
    assert.ok(errorsOf(outcome).length > 0);
    assert.ok(outcome.issue.some((issue) => /^Line\[3\] Col\[\d+\]$/.test(issue.location?.[0] ?? '')));
    const empty = await validate('');
    assert.equal(empty.res.statusCode, 400);
    assert.ok(errorsOf(empty.outcome).length > 0);
  });

  it('over the size limit: 413 with an OperationOutcome', async () => {
    const big = JSON.stringify({ ...bodyWeight, note: [{ text: 'x'.repeat(LIMIT) }] });
    const { res, outcome } = await validate(big);
    assert.equal(res.statusCode, 413);
    assert.match(String(res.headers['content-type']), /^application\/fhir\+json/);
    assert.equal(outcome.issue[0].code, 'too-long');
    assert.equal(outcome.issue[0].details.coding?.[0].code, 'resource-too-large');
    assert.match(outcome.issue[0].details.text, new RegExp(String(LIMIT)));
  });

  it('another content type: 415 with an OperationOutcome', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const { res, outcome } = await validate(VALID, { type });
      assert.equal(res.statusCode, 415, type);
      assert.equal(outcome.issue[0].code, 'not-supported');
      assert.match(outcome.issue[0].details.text, /application\/fhir\+json/);
    }
  });

  it('a Parameters with a « resource » parameter: that resource is validated, at its lines in the text', async () => {
    const inner = JSON.stringify({ resourceType: 'Observation', status: 'final' }, null, 2);
    const body = `{\n  "resourceType": "Parameters",\n  "parameter": [\n    {\n      "name": "resource",\n      "resource": ${inner.replace(/\n/g, '\n      ')}\n    }\n  ]\n}`;
    const wrapped = (await validate(body)).outcome;
    const bare = (await validate(inner)).outcome;
    assert.ok(errorsOf(wrapped).length > 0);
    assert.deepEqual(
      wrapped.issue.map((issue) => issue.expression?.[0]),
      bare.issue.map((issue) => issue.expression?.[0]),
    );
    // The inner resource starts on line 6 of the text sent.
    const lines = wrapped.issue
      .flatMap((issue) => issue.location ?? [])
      .map((l) => Number(l.match(/\d+/)?.[0]));
    assert.ok(lines.length > 0 && lines.every((line) => line >= 6), JSON.stringify(wrapped));
  });

  it('duplicate JSON keys reach the validator (the body is read as text)', async () => {
    const once = (await validate(VALID)).outcome;
    const twice = (
      await validate(VALID.replace('"status": "final",', '"status": "final",\n  "status": "final",'))
    ).outcome;
    assert.equal(errorsOf(once).length, 0);
    assert.ok(errorsOf(twice).length > 0, JSON.stringify(twice));
    assert.ok(twice.issue.some((issue) => issue.location?.[0]?.startsWith('Line[')));
  });

  it('/fhir/[type]/$validate: the type must be the resource’s, and a known one', async () => {
    const same = await validate(VALID, { url: '/fhir/Observation/$validate' });
    assert.equal(same.res.statusCode, 200);
    assert.deepEqual(errorsOf(same.outcome), []);
    const other = await validate(VALID, { url: '/fhir/Patient/$validate' });
    assert.equal(other.res.statusCode, 200);
    assert.ok(errorsOf(other.outcome).some((issue) => /Patient/.test(issue.details.text)));
    const unknown = await validate(VALID, { url: '/fhir/Mesure/$validate' });
    assert.equal(unknown.res.statusCode, 200);
    assert.ok(errorsOf(unknown.outcome).some((issue) => /Mesure/.test(issue.details.text)));
  });

  it('rules=ig leaves out the MES API rules; a wrong rules value is a 400 OperationOutcome', async () => {
    const { meta: _meta, ...withoutProfile } = bodyWeight;
    const text = JSON.stringify(withoutProfile);
    const mes = (await validate(text, { url: '/fhir/$validate?rules=mes' })).outcome;
    const ig = (await validate(text, { url: '/fhir/$validate?rules=ig' })).outcome;
    assert.ok(errorsOf(mes).length > 0, 'the MES API requires meta.profile');
    assert.deepEqual(errorsOf(ig), []);
    const wrong = await validate(text, { url: '/fhir/$validate?rules=toutes' });
    assert.equal(wrong.res.statusCode, 400);
    assert.equal(wrong.outcome.resourceType, 'OperationOutcome');
  });

  it('needs no sign-in and no CSRF token, and ignores a session cookie without one', async () => {
    const account = await createAccount(t.db);
    const cookies = await sessionCookie(t.db, { accountId: account.accountId });
    const res = await t.inject({
      method: 'POST',
      url: '/fhir/$validate',
      headers: { 'content-type': 'application/fhir+json' },
      cookies,
      payload: VALID,
    });
    assert.equal(res.statusCode, 200);
  });

  it('never answers 500 to what a caller sends', async () => {
    const bodies = [
      'null',
      '[]',
      '"Observation"',
      '42',
      '{"resourceType": 5}',
      '{"resourceType": "Parameters", "parameter": [{"name": "resource", "resource": []}]}',
      '{"resourceType": "Parameters", "parameter": "resource"}',
      '{"resourceType": "Parameters"}',
      `${'['.repeat(1500)}${']'.repeat(1500)}`,
      '{"resourceType":"Observation","valueQuantity":{"value":1e999999}}',
      '\uFEFF{"resourceType":"Observation"}',
      '{"resourceType":"Observation","status":"\\ud800"}',
      '{"__proto__":{"x":1},"resourceType":"Observation"}',
    ];
    for (const body of bodies) {
      const { res, outcome } = await validate(body);
      assert.ok(res.statusCode < 500, `${res.statusCode} for ${body.slice(0, 40)}`);
      assert.equal(outcome.resourceType, 'OperationOutcome', body.slice(0, 40));
    }
  });

  it('is documented in the OpenAPI description', async () => {
    const res = await t.inject({ method: 'GET', url: '/api/docs/json' });
    const doc = JSON.parse(res.body) as { paths: Record<string, { post?: { summary?: string } }> };
    assert.ok(doc.paths['/fhir/$validate']?.post?.summary);
    assert.ok(doc.paths['/fhir/{type}/$validate']?.post?.summary);
  });
});

describe('the Parameters of $validate, found in the text', () => {
  it('finds the span of a value by its path, the last of repeated keys as JSON.parse does', () => {
    const text = '{"a": 1, "parameter": [{"name": "x"}, {"name": "resource", "resource": {"b": [1, "}"]}}]}';
    const span = jsonValueSpan(text, ['parameter', 1, 'resource']);
    assert.ok(span);
    assert.equal(text.slice(span.start, span.end), '{"b": [1, "}"]}');
    const repeated = '{"k": {"v": 1}, "k": {"v": 2}}';
    const last = jsonValueSpan(repeated, ['k']);
    assert.equal(last && repeated.slice(last.start, last.end), '{"v": 2}');
    assert.equal(jsonValueSpan(text, ['parameter', 5, 'resource']), undefined);
    const deep = `{"parameter": [${'['.repeat(100_000)}${']'.repeat(100_000)}]}`;
    assert.equal(jsonValueSpan(deep, ['parameter', 0, 'resource']), undefined);
  });

  it('keeps lines and columns when blanking the text around the resource', () => {
    const text = '{\n  "x": "é",\n  "r": {"a": 1}\n}';
    const span = jsonValueSpan(text, ['r']);
    assert.ok(span);
    const isolated = isolateSpan(text, span);
    assert.deepEqual(JSON.parse(isolated), { a: 1 });
    assert.equal(isolated.split('\n').length, 4);
    assert.equal(isolated.split('\n')[2].indexOf('{'), text.split('\n')[2].indexOf('{'));
  });

  it('knows a Parameters with a resource parameter from any other resource', () => {
    assert.equal(
      resourceParameterIndex({
        resourceType: 'Parameters',
        parameter: [{ name: 'mode' }, { name: 'resource', resource: {} }],
      }),
      1,
    );
    assert.equal(
      resourceParameterIndex({ resourceType: 'Parameters', parameter: [{ name: 'resource' }] }),
      undefined,
    );
    assert.equal(resourceParameterIndex({ resourceType: 'Observation' }), undefined);
  });
});

describe('the « Valider une ressource » page', () => {
  let t: TestApp;
  let publisher: Record<string, string>;
  before(async () => {
    t = await startTestApp({ MESREF_FHIR_MAX_BYTES: String(LIMIT) });
    const orgId = await createOrganisation(t.db);
    const account = await createAccount(t.db, { organisation: { id: orgId, role: 'salarie' } });
    publisher = await sessionCookie(t.db, { accountId: account.accountId });
  });
  after(() => t.stop());

  function form(fields: Record<string, string>, file?: { name: string; content: string }) {
    const data = new FormData();
    for (const [name, value] of Object.entries(fields)) data.append(name, value);
    if (file) data.append('file', new Blob([file.content], { type: 'application/json' }), file.name);
    return data;
  }

  async function post(
    fields: Record<string, string>,
    file?: { name: string; content: string },
    cookies = publisher,
  ) {
    return t.inject({
      method: 'POST',
      url: '/editeur/validation',
      cookies,
      payload: form(fields, file) as never,
    });
  }

  it('is for signed-in publishers and staff: others are sent to sign in or refused', async () => {
    const page = await t.inject({ method: 'GET', url: '/editeur/validation', cookies: publisher });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h1>Valider une ressource<\/h1>/);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    assert.match(page.body, /name="_csrf" value="[^"]+"/);
    const staff = await createAccount(t.db, { staff: ['instructeur'] });
    const staffPage = await t.inject({
      method: 'GET',
      url: '/editeur/validation',
      cookies: await sessionCookie(t.db, { accountId: staff.accountId }),
    });
    assert.equal(staffPage.statusCode, 200);
    const anonymous = await t.inject({ method: 'GET', url: '/editeur/validation' });
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/connexion\?retour=/);
    const citizen = await sessionCookie(t.db, { citizenId: await createCitizen(t.db) });
    assert.equal(
      (await t.inject({ method: 'GET', url: '/editeur/validation', cookies: citizen })).statusCode,
      403,
    );
  });

  it('refuses a form without the CSRF token', async () => {
    const res = await post({ text: VALID });
    assert.equal(res.statusCode, 403);
  });

  it('shows a pasted resource’s issues in a summary and right after their line', async () => {
    const text = '{\n  "resourceType": "Observation",\n  "status": "final"\n}';
    const res = await post({ _csrf: CSRF, text });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /<title>Résultat : \d+ erreurs?/);
    assert.match(res.body, /role="status"/);
    assert.match(res.body, /La ressource n’est pas valide/);
    const link = res.body.match(/href="#ligne-(\d+)"/);
    assert.ok(link, 'the summary links to the lines');
    const line = link[1];
    // The line's row, then the row of its issues, which says which line it is about.
    const row = new RegExp(
      `id="ligne-${line}">${line}</th>[\\s\\S]*?</tr><tr><th scope="row"><span class="fr-sr-only">Problèmes de la ligne ${line}</span>`,
    );
    assert.match(res.body, row);
    // The text is kept in the form, to correct it.
    // (A form sends its line breaks as CRLF.)
    assert.match(res.body, /<textarea[^>]*>\{\r?\n {2}&quot;resourceType&quot;/);
  });

  it('validates an uploaded file, in English, with the IG profiles only when asked', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/editeur/validation?lang=en',
      cookies: publisher,
      payload: form({ _csrf: CSRF, text: '', igOnly: '1' }, { name: 'weight.json', content: VALID }) as never,
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /The resource is valid/);
    assert.match(res.body, /Text validated: the file weight\.json\./);
    assert.match(res.body, /Rules applied: IG profiles only\./);
    assert.match(res.body, /id="fhir-ig-only" name="igOnly" value="1" checked/);
  });

  it('says what is wrong with an empty form, a file too large, a text too large', async () => {
    const empty = await post({ _csrf: CSRF, text: '  ' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Collez une ressource ou choisissez un fichier\./);
    assert.match(empty.body, /aria-invalid="true"/);
    const big = 'x'.repeat(LIMIT + 10);
    const file = await post({ _csrf: CSRF, text: '' }, { name: 'big.json', content: big });
    assert.equal(file.statusCode, 413);
    assert.match(file.body, /La ressource dépasse la taille maximale acceptée \(16 Kio\)\./);
    const pasted = await post({ _csrf: CSRF, text: big });
    assert.equal(pasted.statusCode, 413);
    // A form the multipart reader refuses (two files) is shown again, with why.
    const data = form({ _csrf: CSRF });
    data.append('file', new Blob(['{}']), 'a.json');
    data.append('file', new Blob(['{}']), 'b.json');
    const twoFiles = await t.inject({
      method: 'POST',
      url: '/editeur/validation',
      cookies: publisher,
      payload: data as never,
    });
    assert.equal(twoFiles.statusCode, 413);
    assert.match(twoFiles.body, /Le formulaire envoyé n’a pas pu être lu/);
  });

  it('shows only the lines near an issue when the text is long', async () => {
    const numbers = Array.from({ length: 2500 }, () => '1').join(',\n');
    const text = `{\n  "resourceType": "Observation",\n  "status": "final",\n  "unknownElement": [\n${numbers}\n  ]\n}`;
    const res = await post({ _csrf: CSRF, text });
    assert.equal(res.statusCode, 200);
    assert.match(
      res.body,
      /Le texte compte 2506 lignes : seules les lignes proches d’un problème sont montrées\./,
    );
    assert.match(res.body, /\d+ lignes non montrée\(s\)/);
    assert.ok(!res.body.includes('id="ligne-1200"'), 'the lines far from any issue are not shown');
  });
});
