import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { pairingByIdPe, setConsents } from '../src/consent/index.ts';
import { withdrawConsent } from '../src/consent/store.ts';
import { documentFile, documentsForExport, documentsOf, eraseDocuments } from '../src/documents/index.ts';
import type { Actor } from '../src/identity/model.ts';
import { get, locations, pdfBytes, provideBundle, searchByPost, sha1 } from './documents-fixtures.ts';
import { createStaff } from './dossier-fixtures.ts';
import { createCitizen, sessionCookie, startTestApp, type TestApp } from './helpers.ts';
import {
  clientFor,
  FHIR_BASE,
  issuesOf,
  PUBLIC_URL,
  pairAndToken,
  publishMeasuresService,
  push,
  type Who,
  whoOf,
} from './measures-fixtures.ts';

type Json = Record<string, unknown>;

const SCOPE = 'openid offline_access documents.read documents.write poids.read';
const CATEGORIES = [
  { code: 'documents', read: true, write: true },
  { code: 'poids', read: true, write: false },
];
const CONSENT_REFUSED = 'Consent not given, access refused.';
const IDPE_MISMATCH = 'idPe requested do not match authorized idPe.';
/** Small enough to test the size limit with a modest document. */
const MAX_BYTES = 300_000;

interface Person {
  citizenId: string;
  token: string;
  idPe: string;
  who: Who;
}

const citizenActor = (citizenId: string): Actor => ({ kind: 'citizen', citizenId, displayName: 'Usager' });

/** A fresh app, one published service with documents, and a paired citizen maker. */
async function setUp() {
  const t = await startTestApp({ MESREF_PUBLIC_URL: PUBLIC_URL, MESREF_FHIR_MAX_BYTES: String(MAX_BYTES) });
  const staff = await createStaff(t);
  const service = await publishMeasuresService(t, {
    name: 'Mes Documents',
    redirectUri: 'http://127.0.0.1:4997/client/callback',
    categories: CATEGORIES,
    staff,
  });
  const client = clientFor(t, service);
  const person = async (given: string, scope = SCOPE): Promise<Person> => {
    const citizenId = await createCitizen(t.db, given, 'Martin');
    const cookies = await sessionCookie(t.db, { citizenId });
    const { accessToken, idPe } = await pairAndToken(t, client, cookies, scope);
    return { citizenId, token: accessToken, idPe, who: whoOf(t, service, idPe) };
  };
  return { t, service, person };
}

type Counted = 'fhir_document_references' | 'fhir_binaries' | 'fhir_lists' | 'fhir_resource_versions';

async function counts(t: TestApp, citizenId: string): Promise<Record<Counted, number>> {
  const out = {} as Record<Counted, number>;
  for (const table of [
    'fhir_document_references',
    'fhir_binaries',
    'fhir_lists',
    'fhir_resource_versions',
  ] as const) {
    const row = await t.db
      .selectFrom(table)
      .select(sql<number>`count(*)`.as('n'))
      .where('citizen_id', '=', citizenId)
      .executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
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

const patientQuery = (who: Who) =>
  `patient.identifier=${encodeURIComponent(`${who.idPeSystem}|${who.idPe}`)}`;
const searchUrl = (who: Who, extra = '') =>
  `/fhir/DocumentReference?${patientQuery(who)}&status=current${extra}`;
const entriesOf = (body: Json) => (body.entry ?? []) as Json[];
const idsOf = (body: Json) => entriesOf(body).map((e) => String((e.resource as Json).id));

/** Provides a bundle and answers the stored ids: [set, doc, binary, …]. */
async function provided(t: TestApp, person: Person, bundle: Json): Promise<string[]> {
  const res = await push(t, person.token, bundle);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return locations(res.body).map((l) => l.id);
}

describe('documents API: provide, search, read, retrieve', () => {
  let t: TestApp;
  let service: { oid: string };
  let alice: Person;
  let bob: Person;
  let carol: Person;

  before(async () => {
    const setup = await setUp();
    t = setup.t;
    service = setup.service;
    alice = await setup.person('Alice');
    bob = await setup.person('Bob');
    // Carol let the service read her documents, not add any.
    carol = await setup.person('Carol', 'openid documents.read poids.read');
  });
  after(() => t?.stop());

  it('stores an ITI-65 bundle whole and answers one entry per request entry, in order', async () => {
    const content = pdfBytes('compte rendu');
    const bundle = provideBundle(alice.who, { documents: [{ content, title: 'Compte rendu' }], folder: {} });
    const before = await accessEvents(t, alice.citizenId);
    const res = await push(t, alice.token, bundle);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.headers['content-type'], 'application/fhir+json; charset=utf-8');
    assert.equal(res.body.resourceType, 'Bundle');
    assert.equal(res.body.type, 'transaction-response');
    const located = locations(res.body);
    assert.deepEqual(
      located.map((l) => [l.type, l.version, l.status]),
      [
        ['List', '1', '201 Created'],
        ['DocumentReference', '1', '201 Created'],
        ['Binary', '1', '201 Created'],
        ['List', '1', '201 Created'],
      ],
    );
    assert.ok(located.every((l) => /^[0-9a-f-]{36}$/.test(l.id)));
    const [setId, docId, binaryId, folderId] = located.map((l) => l.id);
    assert.deepEqual(await counts(t, alice.citizenId), {
      fhir_document_references: 1,
      fhir_binaries: 1,
      fhir_lists: 2,
      fhir_resource_versions: 3,
    });
    const events = (await accessEvents(t, alice.citizenId)).slice(before.length);
    assert.deepEqual(
      events.map((e) => [e.category, e.action, e.outcome, e.operation]),
      [['documents', 'write', 'permit', 'DocumentReference.provide']],
    );

    // ITI-67: the document, with its attachment pointing to the stored Binary.
    const search = await get(t, alice.token, searchUrl(alice.who));
    assert.equal(search.status, 200, JSON.stringify(search.body));
    assert.equal(search.body.type, 'searchset');
    assert.equal(search.body.total, 1);
    assert.deepEqual(idsOf(search.body), [docId]);
    const found = entriesOf(search.body)[0];
    assert.equal(found.fullUrl, `${FHIR_BASE}/DocumentReference/${docId}`);
    assert.deepEqual(found.search, { mode: 'match' });
    const doc = found.resource as Json;
    const attachment = (doc.content as Json[])[0].attachment as Json;
    assert.equal(attachment.url, `Binary/${binaryId}`);
    assert.equal(attachment.hash, sha1(content));
    assert.deepEqual(doc.subject, { identifier: { system: alice.who.idPeSystem, value: alice.idPe } });
    assert.equal((doc.meta as Json).versionId, '1');
    assert.equal((doc.meta as Json).source, `urn:oid:${service.oid}.1`);

    // Read by id, its history, its one version.
    const read = await get(t, alice.token, `/fhir/DocumentReference/${docId}`);
    assert.equal(read.status, 200);
    assert.equal(read.headers.etag, 'W/"1"');
    assert.ok(read.headers['last-modified']);
    assert.deepEqual(read.body, doc);
    const history = await get(t, alice.token, `/fhir/DocumentReference/${docId}/_history`);
    assert.equal(history.body.type, 'history');
    assert.equal(history.body.total, 1);
    assert.equal((await get(t, alice.token, `/fhir/DocumentReference/${docId}/_history/1`)).status, 200);
    assert.equal((await get(t, alice.token, `/fhir/DocumentReference/${docId}/_history/2`)).status, 404);

    // The submission set and the folder, their entries naming the stored resources.
    const set = await get(t, alice.token, `/fhir/List/${setId}`);
    assert.equal(set.status, 200);
    assert.deepEqual(
      (set.body.entry as Json[]).map((e) => (e.item as Json).reference),
      [`DocumentReference/${docId}`, `List/${folderId}`],
    );
    const folder = await get(t, alice.token, `/fhir/List/${folderId}`);
    assert.deepEqual(
      (folder.body.entry as Json[]).map((e) => (e.item as Json).reference),
      [`DocumentReference/${docId}`],
    );

    // ITI-68: the bytes as sent, as a download; or the FHIR Binary when asked.
    const bytes = await get(t, alice.token, `/fhir/Binary/${binaryId}`);
    assert.equal(bytes.status, 200);
    assert.equal(bytes.headers['content-type'], 'application/pdf');
    assert.match(String(bytes.headers['content-disposition']), /^attachment/);
    assert.equal(bytes.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(bytes.raw, content);
    const binary = await get(t, alice.token, `/fhir/Binary/${binaryId}`, { accept: 'application/fhir+json' });
    assert.equal(binary.status, 200);
    assert.equal(binary.headers['content-type'], 'application/fhir+json; charset=utf-8');
    assert.equal(binary.body.resourceType, 'Binary');
    assert.equal(binary.body.contentType, 'application/pdf');
    assert.deepEqual(Buffer.from(String(binary.body.data), 'base64'), content);

    // Each read is one access event.
    const reads = (await accessEvents(t, alice.citizenId)).slice(before.length + 1);
    assert.deepEqual(
      reads.map((e) => [e.action, e.outcome, e.operation]),
      [
        ['read', 'permit', 'DocumentReference.search'],
        ['read', 'permit', 'DocumentReference.read'],
        ['read', 'permit', 'DocumentReference.history'],
        ['read', 'permit', 'DocumentReference.vread'],
        ['read', 'permit', 'DocumentReference.vread'],
        ['read', 'permit', 'List.read'],
        ['read', 'permit', 'List.read'],
        ['read', 'permit', 'Binary.read'],
        ['read', 'permit', 'Binary.read'],
      ],
    );
  });

  it('searches by type, category, format, security label, identifier, dates and archive flag, with paging', async () => {
    const who = bob.who;
    const ids = await provided(
      t,
      bob,
      provideBundle(who, {
        documents: [
          { date: '2025-01-10T10:00:00+01:00', typeCode: '11488-4', uniqueId: 'urn:oid:1.2.250.1.999.7.1' },
          { date: '2025-02-10T10:00:00+01:00', periodStart: '2025-02-01', isArchived: true },
          { date: '2025-03-10T10:00:00+01:00' },
        ],
      }),
    );
    const [d1, d2, d3] = [ids[1], ids[3], ids[5]];
    const search = async (extra: string) => {
      const res = await get(t, bob.token, searchUrl(who, extra));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    assert.deepEqual(idsOf(await search('')), [d3, d2, d1]);
    assert.deepEqual(idsOf(await search('&_sort=date')), [d1, d2, d3]);
    assert.deepEqual(idsOf(await search('&type=http://loinc.org|11488-4')), [d1]);
    assert.deepEqual(idsOf(await search('&type=34133-9')), [d3, d2]);
    assert.deepEqual(idsOf(await search('&type=http://loinc.org|')), [d3, d2, d1]);
    assert.deepEqual(idsOf(await search('&type=http://snomed.info/sct|')), []);
    assert.deepEqual(idsOf(await search('&category=10&format=urn:ihe:iti:xds-sd:pdf:2008')), [d3, d2, d1]);
    assert.deepEqual(
      idsOf(await search('&security-label=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|N')),
      [d3, d2, d1],
    );
    assert.deepEqual(idsOf(await search('&security-label=R')), []);
    assert.deepEqual(
      idsOf(await search(`&identifier=${encodeURIComponent('urn:ietf:rfc:3986|urn:oid:1.2.250.1.999.7.1')}`)),
      [d1],
    );
    assert.deepEqual(idsOf(await search('&date=ge2025-02-01&date=lt2025-03')), [d2]);
    assert.deepEqual(idsOf(await search('&date=2025-01-10')), [d1]);
    assert.deepEqual(idsOf(await search('&date=gt2025-02-10')), [d3]);
    assert.deepEqual(idsOf(await search('&period-start=2025-02')), [d2]);
    assert.deepEqual(idsOf(await search('&creation=2025-04-25')), [d3, d2, d1]);
    assert.deepEqual(idsOf(await search('&isArchived=true')), [d2]);
    assert.deepEqual(idsOf(await search('&isArchived=false')), [d3, d1]);
    // Paging: total over all pages, links to the next and previous page.
    const page = await search('&_count=2&_offset=1');
    assert.equal(page.total, 3);
    assert.deepEqual(idsOf(page), [d1]);
    const links = Object.fromEntries((page.link as Json[]).map((l) => [l.relation, String(l.url)]));
    assert.ok(links.self.startsWith(`${FHIR_BASE}/DocumentReference?`));
    assert.match(links.previous, /_offset=0/);
    assert.equal(links.next, undefined);
    const beyond = await search('&_count=2&_offset=5');
    assert.equal(beyond.total, 3);
    assert.deepEqual(idsOf(beyond), []);
    // The same search by POST with a form body.
    const posted = await searchByPost(t, bob.token, {
      'patient.identifier': `${who.idPeSystem}|${who.idPe}`,
      status: 'current',
      type: 'http://loinc.org|11488-4',
    });
    assert.equal(posted.status, 200, JSON.stringify(posted.body));
    assert.deepEqual(idsOf(posted.body), [d1]);
    // By patient reference too; another citizen's documents never show.
    assert.deepEqual(
      idsOf(
        (await get(t, bob.token, `/fhir/DocumentReference?patient=Patient/${bob.idPe}&status=current`)).body,
      ),
      [d3, d2, d1],
    );
  });

  it('refuses a search without patient or status, with a bad page size or an unknown parameter (400)', async () => {
    const cases: Array<[string, string]> = [
      [
        '/fhir/DocumentReference?status=current',
        'Search parameter patient or patient.identifier is mandatory',
      ],
      [`/fhir/DocumentReference?${patientQuery(alice.who)}`, 'Search parameter status is mandatory'],
      [searchUrl(alice.who, '&_count=101'), 'Maximum page size allowed is 100. Actual : 101'],
      [searchUrl(alice.who, '&author.family=Leclerc'), 'Unknown search parameter(s): author.family'],
      [searchUrl(alice.who, '&date=hier'), 'date is not a date: hier'],
    ];
    for (const [url, diagnostics] of cases) {
      const res = await get(t, alice.token, url);
      assert.equal(res.status, 400, url);
      assert.deepEqual(issuesOf(res.body), [{ code: 'invalid', diagnostics, text: 'Request not valid' }]);
    }
  });

  it('never a 5xx for a NUL, a broken UTF-8 sequence or bad percent-encoding in a parameter or an id', async () => {
    const params = [
      'type',
      'category',
      'format',
      'security-label',
      'identifier',
      'date',
      'period',
      'setting',
      'facility',
      'event',
      '_count',
      '_offset',
    ];
    for (const bad of ['%00', 'a%00b', '%ED%A0%80', '%C3', '%']) {
      const urls = [
        ...params.map((p) => searchUrl(alice.who, `&${p}=${bad}`)),
        `/fhir/DocumentReference?patient.identifier=${bad}&status=current`,
        `/fhir/DocumentReference?${patientQuery(alice.who)}&status=${bad}`,
        `/fhir/DocumentReference/${bad}`,
        `/fhir/DocumentReference/${bad}/_history`,
        `/fhir/Binary/${bad}`,
        `/fhir/List/${bad}`,
      ];
      for (const url of urls) {
        const res = await get(t, alice.token, url);
        assert.ok(res.status < 500, `${res.status} for ${url}`);
        assert.equal(res.body.resourceType, res.status === 200 ? 'Bundle' : 'OperationOutcome', url);
      }
      const form = await t.inject({
        method: 'POST',
        url: '/fhir/DocumentReference/_search',
        headers: {
          authorization: `Bearer ${alice.token}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: `${patientQuery(alice.who)}&status=current&type=${bad}`,
      });
      assert.ok(form.statusCode < 500, `${form.statusCode} for _search ${bad}`);
      assert.equal(form.json().resourceType, form.statusCode === 200 ? 'Bundle' : 'OperationOutcome');
    }
  });

  it('refuses another citizen’s idPe (403) and a call without a valid token (401)', async () => {
    const other = await get(t, alice.token, searchUrl(bob.who));
    assert.equal(other.status, 403);
    assert.equal(issuesOf(other.body)[0].text, IDPE_MISMATCH);
    for (const url of [searchUrl(alice.who), `/fhir/Binary/${'0'.repeat(8)}-0000-4000-8000-000000000000`]) {
      const res = await get(t, undefined, url);
      assert.equal(res.status, 401);
      assert.equal(res.body.resourceType, 'OperationOutcome');
      assert.equal((await get(t, 'not-a-token', url)).status, 401);
    }
    assert.equal((await push(t, undefined, provideBundle(alice.who))).status, 401);
  });

  it('answers 404 for another citizen’s document, Binary and List, as for an absent or malformed id', async () => {
    const [setId, docId, binaryId] = await provided(t, alice, provideBundle(alice.who));
    const urls = [
      `/fhir/DocumentReference/${docId}`,
      `/fhir/DocumentReference/${docId}/_history`,
      `/fhir/DocumentReference/${docId}/_history/1`,
      `/fhir/Binary/${binaryId}`,
      `/fhir/List/${setId}`,
    ];
    for (const url of urls) {
      assert.equal((await get(t, alice.token, url)).status, 200, url);
      const res = await get(t, bob.token, url);
      assert.equal(res.status, 404, url);
      assert.equal(issuesOf(res.body)[0].code, 'not-found');
      assert.doesNotMatch(JSON.stringify(res.body), /Alice|compte rendu/i);
    }
    for (const url of [
      '/fhir/DocumentReference/00000000-0000-4000-8000-000000000000',
      '/fhir/DocumentReference/not-an-id',
      "/fhir/DocumentReference/1'%20or%201=1",
      `/fhir/DocumentReference/${docId}/_history/x`,
      '/fhir/Binary/not-an-id',
      '/fhir/List/00000000-0000-4000-8000-000000000000',
    ]) {
      assert.equal((await get(t, alice.token, url)).status, 404, url);
    }
  });

  it('refuses a bundle the validator refuses (422), and stores nothing', async () => {
    const bundle = provideBundle(alice.who);
    const doc = (bundle.entry as Json[])[1].resource as Json;
    delete doc.masterIdentifier;
    const before = await counts(t, alice.citizenId);
    const res = await push(t, alice.token, bundle);
    assert.equal(res.status, 422);
    assert.equal(res.body.resourceType, 'OperationOutcome');
    assert.ok(
      (res.body.issue as Json[]).some((i) =>
        (i.expression as string[] | undefined)?.includes('Bundle.entry[1].resource.masterIdentifier'),
      ),
    );
    assert.deepEqual(await counts(t, alice.citizenId), before);
  });

  it('refuses an attachment whose size or SHA-1 is not the Binary’s (422), and stores nothing', async () => {
    const before = await counts(t, alice.citizenId);
    for (const change of [{ size: 3 }, { hash: sha1(Buffer.from('autre chose')) }]) {
      const bundle = provideBundle(alice.who);
      const content = ((bundle.entry as Json[])[1].resource as Json).content as Json[];
      content[0].attachment = { ...(content[0].attachment as Json), ...change };
      const res = await push(t, alice.token, bundle);
      assert.equal(res.status, 422);
      const ids = (res.body.issue as Json[]).map((i) => ((i.details as Json).coding as Json[])?.[0]?.code);
      assert.ok(
        ids.includes('size' in change ? 'pdsm-size-mismatch' : 'pdsm-hash-mismatch'),
        JSON.stringify(ids),
      );
    }
    assert.deepEqual(await counts(t, alice.citizenId), before);
  });

  it('refuses a uniqueId too long to index (422) rather than failing in the database', async () => {
    const before = await counts(t, alice.citizenId);
    const uniqueId = `urn:oid:${Array.from({ length: 400 }, (_, i) => i).join('.')}`;
    const res = await push(t, alice.token, provideBundle(alice.who, { documents: [{ uniqueId }] }));
    assert.equal(res.status, 422);
    assert.equal(
      issuesOf(res.body)[0].diagnostics,
      'DocumentReference.masterIdentifier is longer than 512 characters.',
    );
    assert.deepEqual(await counts(t, alice.citizenId), before);
  });

  it('refuses a meta.source outside the service’s OID (422, MES wording)', async () => {
    const res = await push(
      t,
      alice.token,
      provideBundle(alice.who, { metaSource: 'urn:oid:1.2.250.1.213.1' }),
    );
    assert.equal(res.status, 422);
    assert.ok(
      issuesOf(res.body).some(
        (i) =>
          i.diagnostics ===
          `Solution oid contains in DocumentReference.meta.source don't belong to root editor oid (${service.oid}).`,
      ),
      JSON.stringify(res.body),
    );
  });

  it('refuses a patient not named by idPe (422) or named by another idPe (403)', async () => {
    const byReference = provideBundle(alice.who);
    ((byReference.entry as Json[])[1].resource as Json).subject = { reference: 'Patient/123' };
    const res = await push(t, alice.token, byReference);
    assert.equal(res.status, 422);
    assert.deepEqual(
      issuesOf(res.body).map((i) => [i.code, i.diagnostics]),
      [['invalid', 'DocumentReference.subject.identifier is mandatory.']],
    );
    assert.match(issuesOf(res.body)[0].text, /idPe/);

    const otherSystem = provideBundle({ ...alice.who, idPeSystem: 'urn:oid:1.2.250.1.213.1.4.8' });
    const res2 = await push(t, alice.token, otherSystem);
    assert.equal(res2.status, 422);
    assert.match(String(issuesOf(res2.body)[0].diagnostics), /subject\.identifier\.system must be urn:oid:/);

    const before = await counts(t, bob.citizenId);
    const mismatch = await push(t, alice.token, provideBundle(bob.who));
    assert.equal(mismatch.status, 403);
    assert.equal(issuesOf(mismatch.body)[0].text, IDPE_MISMATCH);
    assert.deepEqual(await counts(t, bob.citizenId), before);
  });

  it('refuses entries a provide does not store, such as a Patient or a DELETE (422)', async () => {
    const bundle = provideBundle(alice.who);
    (bundle.entry as Json[]).push({
      fullUrl: 'urn:uuid:5e0f3c7a-1d2b-4c3d-8e4f-5a6b7c8d9e0f',
      resource: { resourceType: 'Patient', name: [{ family: 'Martin' }] },
      request: { method: 'POST', url: 'Patient' },
    });
    (bundle.entry as Json[]).push({
      fullUrl: 'urn:uuid:6e0f3c7a-1d2b-4c3d-8e4f-5a6b7c8d9e0f',
      request: { method: 'DELETE', url: 'DocumentReference/x' },
    });
    const res = await push(t, alice.token, bundle);
    assert.equal(res.status, 422);
    const diagnostics = issuesOf(res.body).map((i) => i.diagnostics);
    for (const expected of [
      'Resource of type Patient is not acceptable with method POST.',
      'Resource of type none is not acceptable with method DELETE.',
    ])
      assert.ok(diagnostics.includes(expected), JSON.stringify(res.body));
  });

  it('refuses a write the citizen did not consent to (403), records the refusal, stores nothing', async () => {
    const before = await counts(t, carol.citizenId);
    const events = await accessEvents(t, carol.citizenId);
    const res = await push(t, carol.token, provideBundle(carol.who));
    assert.equal(res.status, 403);
    assert.equal(issuesOf(res.body)[0].text, CONSENT_REFUSED);
    assert.deepEqual(await counts(t, carol.citizenId), before);
    const denied = (await accessEvents(t, carol.citizenId)).slice(events.length);
    assert.deepEqual(
      denied.map((e) => [e.category, e.action, e.outcome, e.reason, e.operation]),
      [['documents', 'write', 'deny', 'no_consent', 'DocumentReference.provide']],
    );
    // Reading stays allowed.
    assert.equal((await get(t, carol.token, searchUrl(carol.who))).status, 200);
  });

  it('refuses a bundle over the size limit (413) with an OperationOutcome', async () => {
    const bundle = provideBundle(alice.who, { documents: [{ content: Buffer.alloc(MAX_BYTES, 1) }] });
    const res = await push(t, alice.token, bundle);
    assert.equal(res.status, 413);
    assert.equal(res.body.resourceType, 'OperationOutcome');
  });

  it('stores all or nothing: a failure after the first document was written leaves nothing', async () => {
    const [, existing] = await provided(
      t,
      alice,
      provideBundle(alice.who, { documents: [{ uniqueId: 'urn:oid:1.2.250.1.999.8.1' }] }),
    );
    const before = await counts(t, alice.citizenId);
    const events = await accessEvents(t, alice.citizenId);
    // The second document repeats a uniqueId the citizen already has: found by the database, mid-transaction.
    const res = await push(
      t,
      alice.token,
      provideBundle(alice.who, { documents: [{}, { uniqueId: 'urn:oid:1.2.250.1.999.8.1' }] }),
    );
    assert.equal(res.status, 422);
    assert.match(String(issuesOf(res.body)[0].diagnostics), /already exists/);
    assert.deepEqual(await counts(t, alice.citizenId), before);
    assert.equal((await accessEvents(t, alice.citizenId)).length, events.length);
    assert.equal((await get(t, alice.token, `/fhir/DocumentReference/${existing}`)).body.status, 'current');
  });
});

describe('documents API: replacement, folders, consent withdrawn, robustness', () => {
  let t: TestApp;
  let alice: Person;
  let bob: Person;
  let chloe: Person;
  let denis: Person;
  let emma: Person;

  before(async () => {
    const setup = await setUp();
    t = setup.t;
    alice = await setup.person('Alice');
    bob = await setup.person('Bob');
    chloe = await setup.person('Chloé');
    denis = await setup.person('Denis');
    emma = await setup.person('Emma');
  });
  after(() => t?.stop());

  it('replaces a document: the old one is superseded in a new version, the new one names it', async () => {
    const [, oldId] = await provided(t, alice, provideBundle(alice.who));
    const [, newId] = await provided(
      t,
      alice,
      provideBundle(alice.who, { documents: [{ replaces: { reference: `DocumentReference/${oldId}` } }] }),
    );
    const old = await get(t, alice.token, `/fhir/DocumentReference/${oldId}`);
    assert.equal(old.body.status, 'superseded');
    assert.equal((old.body.meta as Json).versionId, '2');
    assert.equal(old.headers.etag, 'W/"2"');
    const history = await get(t, alice.token, `/fhir/DocumentReference/${oldId}/_history`);
    assert.deepEqual(
      (history.body.entry as Json[]).map((e) => [(e.resource as Json).status, (e.response as Json).etag]),
      [
        ['superseded', 'W/"2"'],
        ['current', 'W/"1"'],
      ],
    );
    assert.equal(
      (await get(t, alice.token, `/fhir/DocumentReference/${oldId}/_history/1`)).body.status,
      'current',
    );
    const replacement = await get(t, alice.token, `/fhir/DocumentReference/${newId}`);
    assert.deepEqual(replacement.body.relatesTo, [
      { code: 'replaces', target: { reference: `DocumentReference/${oldId}` } },
    ]);
    assert.deepEqual(idsOf((await get(t, alice.token, searchUrl(alice.who))).body), [newId]);
    assert.deepEqual(
      idsOf(
        (await get(t, alice.token, `/fhir/DocumentReference?${patientQuery(alice.who)}&status=superseded`))
          .body,
      ),
      [oldId],
    );
  });

  it('replaces by the replaced document’s identifier too', async () => {
    const [, oldId] = await provided(
      t,
      alice,
      provideBundle(alice.who, { documents: [{ uniqueId: 'urn:oid:1.2.250.1.999.9.1' }] }),
    );
    await provided(
      t,
      alice,
      provideBundle(alice.who, { documents: [{ replaces: { identifier: 'urn:oid:1.2.250.1.999.9.1' } }] }),
    );
    assert.equal((await get(t, alice.token, `/fhir/DocumentReference/${oldId}`)).body.status, 'superseded');
  });

  it('refuses to replace an unknown, superseded or other citizen’s document (422), storing nothing', async () => {
    const [, bobDoc] = await provided(t, bob, provideBundle(bob.who));
    const [, first] = await provided(t, alice, provideBundle(alice.who));
    await provided(
      t,
      alice,
      provideBundle(alice.who, { documents: [{ replaces: { reference: `DocumentReference/${first}` } }] }),
    );
    const before = await counts(t, alice.citizenId);
    for (const reference of [
      'DocumentReference/00000000-0000-4000-8000-000000000000',
      'DocumentReference/not-an-id',
      `DocumentReference/${first}`,
      `DocumentReference/${bobDoc}`,
    ]) {
      const res = await push(
        t,
        alice.token,
        provideBundle(alice.who, { documents: [{ replaces: { reference } }] }),
      );
      assert.equal(res.status, 422, reference);
      assert.equal(
        issuesOf(res.body)[0].diagnostics,
        `DocumentReference.relatesTo.target ${reference} does not name a current document of this patient.`,
      );
    }
    assert.deepEqual(await counts(t, alice.citizenId), before);
    assert.equal((await get(t, bob.token, `/fhir/DocumentReference/${bobDoc}`)).body.status, 'current');
  });

  it('two replacements of one document at once: one is stored, the other refused', async () => {
    const [, target] = await provided(t, alice, provideBundle(alice.who));
    const replace = () =>
      push(
        t,
        alice.token,
        provideBundle(alice.who, { documents: [{ replaces: { reference: `DocumentReference/${target}` } }] }),
      );
    const results = await Promise.all([replace(), replace()]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 422]);
    const history = await get(t, alice.token, `/fhir/DocumentReference/${target}/_history`);
    assert.equal(history.body.total, 2);
  });

  it('files stored documents in a folder and updates it by PUT', async () => {
    const [, earlier] = await provided(t, alice, provideBundle(alice.who));
    const ids = await provided(t, alice, provideBundle(alice.who, { folder: { storedIds: [earlier] } }));
    const [, docId, , folderId] = ids;
    const folder = await get(t, alice.token, `/fhir/List/${folderId}`);
    assert.deepEqual(
      (folder.body.entry as Json[]).map((e) => (e.item as Json).reference),
      [`DocumentReference/${docId}`, `DocumentReference/${earlier}`],
    );
    // A new version of the folder, sent with a new document.
    const update = provideBundle(alice.who, { folder: { storedIds: [earlier, docId] } });
    const entry = (update.entry as Json[])[3];
    (entry.resource as Json).id = folderId;
    entry.request = { method: 'PUT', url: `List/${folderId}` };
    const res = await push(t, alice.token, update);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const located = locations(res.body)[3];
    assert.deepEqual(
      [located.type, located.id, located.version, located.status],
      ['List', folderId, '2', '200 OK'],
    );
    const updated = await get(t, alice.token, `/fhir/List/${folderId}`);
    assert.equal((updated.body.entry as Json[]).length, 3);
    assert.equal(updated.headers.etag, 'W/"2"');
  });

  it('refuses a folder naming another citizen’s document, or a PUT of a folder that is not the citizen’s (422)', async () => {
    const [, bobDoc, , bobFolder] = await provided(t, bob, provideBundle(bob.who, { folder: {} }));
    const before = await counts(t, alice.citizenId);
    const foreign = await push(t, alice.token, provideBundle(alice.who, { folder: { storedIds: [bobDoc] } }));
    assert.equal(foreign.status, 422);
    assert.match(
      String(issuesOf(foreign.body)[0].diagnostics),
      /does not name a document of this bundle or of this patient/,
    );
    const update = provideBundle(alice.who, { folder: {} });
    const entry = (update.entry as Json[])[3];
    (entry.resource as Json).id = bobFolder;
    entry.request = { method: 'PUT', url: `List/${bobFolder}` };
    const put = await push(t, alice.token, update);
    assert.equal(put.status, 422);
    assert.equal(issuesOf(put.body)[0].diagnostics, `List/${bobFolder} is not a folder of this patient.`);
    assert.deepEqual(await counts(t, alice.citizenId), before);
  });

  it('the citizen’s own space: list, file, export and erasure', async () => {
    const content = pdfBytes('espace');
    const [, docId, binaryId] = await provided(
      t,
      bob,
      provideBundle(bob.who, {
        documents: [{ content, title: 'Ordonnance d’été', date: '2031-01-01T10:00:00Z' }],
      }),
    );
    const rows = await documentsOf(t.db, bob.citizenId, { limit: 10, offset: 0 });
    assert.deepEqual(
      {
        id: rows[0].id,
        title: rows[0].title,
        typeLabel: rows[0].typeLabel,
        contentType: rows[0].contentType,
        size: rows[0].size,
        binaryId: rows[0].binaryId,
        serviceName: rows[0].serviceName,
        date: rows[0].date.toISOString(),
      },
      {
        id: docId,
        title: 'Ordonnance d’été',
        typeLabel: 'Synthèse d’épisode de soins',
        contentType: 'application/pdf',
        size: content.length,
        binaryId,
        serviceName: 'Mes Documents',
        date: '2031-01-01T10:00:00.000Z',
      },
    );
    assert.equal((await documentsOf(t.db, bob.citizenId, { limit: 1, offset: 1 })).length, 1);
    const file = await documentFile(t.db, bob.citizenId, docId);
    assert.deepEqual(file && { ...file, data: file.data.toString() }, {
      contentType: 'application/pdf',
      data: content.toString(),
      filename: 'Ordonnance d ete.pdf',
    });
    assert.equal(await documentFile(t.db, alice.citizenId, docId), undefined);
    assert.equal(await documentFile(t.db, bob.citizenId, 'nope'), undefined);

    const exported = await documentsForExport(t.db, bob.citizenId);
    const documents = exported.filter((r) => r.resourceType === 'DocumentReference');
    const binaries = exported.filter((r) => r.resourceType === 'Binary');
    assert.equal(documents.length, (await counts(t, bob.citizenId)).fhir_document_references);
    assert.ok(binaries.some((b) => b.id === binaryId && b.data === content.toString('base64')));

    const aliceBefore = await counts(t, alice.citizenId);
    const erased = await t.db.transaction().execute((trx) => eraseDocuments(trx, bob.citizenId));
    assert.equal(erased, documents.length);
    assert.deepEqual(await counts(t, bob.citizenId), {
      fhir_document_references: 0,
      fhir_binaries: 0,
      fhir_lists: 0,
      fhir_resource_versions: 0,
    });
    assert.deepEqual(await counts(t, alice.citizenId), aliceBefore);
    assert.equal((await get(t, bob.token, `/fhir/Binary/${binaryId}`)).status, 404);
  });

  it('after the documents consents are withdrawn: provide 403 storing nothing, search 403, reads 404', async () => {
    const [setId, docId, binaryId] = await provided(t, chloe, provideBundle(chloe.who));
    const pairing = await pairingByIdPe(t.db, chloe.idPe);
    assert.ok(pairing);
    await t.db.transaction().execute(async (trx) => {
      for (const action of ['read', 'write'] as const)
        await withdrawConsent(
          trx,
          pairing.id,
          { finalite: 'prevention', category: 'documents', action },
          new Date(),
        );
    });
    const before = await counts(t, chloe.citizenId);
    const events = await accessEvents(t, chloe.citizenId);
    const write = await push(t, chloe.token, provideBundle(chloe.who));
    assert.equal(write.status, 403);
    assert.equal(issuesOf(write.body)[0].text, CONSENT_REFUSED);
    assert.deepEqual(await counts(t, chloe.citizenId), before);
    const search = await get(t, chloe.token, searchUrl(chloe.who));
    assert.equal(search.status, 403);
    assert.equal(issuesOf(search.body)[0].text, CONSENT_REFUSED);
    for (const url of [`/fhir/DocumentReference/${docId}`, `/fhir/Binary/${binaryId}`, `/fhir/List/${setId}`])
      assert.equal((await get(t, chloe.token, url)).status, 404, url);
    const denied = (await accessEvents(t, chloe.citizenId)).slice(events.length);
    assert.deepEqual(
      denied.map((e) => [e.action, e.outcome, e.reason, e.operation]),
      [
        ['write', 'deny', 'no_consent', 'DocumentReference.provide'],
        ['read', 'deny', 'no_consent', 'DocumentReference.search'],
        ['read', 'deny', 'no_consent', 'DocumentReference.read'],
        ['read', 'deny', 'no_consent', 'Binary.read'],
        ['read', 'deny', 'no_consent', 'List.read'],
      ],
    );
  });

  it('after every consent is withdrawn, the token is dead: 401 and nothing stored', async () => {
    await provided(t, denis, provideBundle(denis.who));
    const pairing = await pairingByIdPe(t.db, denis.idPe);
    assert.ok(pairing);
    await setConsents(
      { db: t.db, notifier: t.notifier },
      citizenActor(denis.citizenId),
      pairing.id,
      pairing.rowVersion,
      [],
    );
    const before = await counts(t, denis.citizenId);
    assert.equal((await push(t, denis.token, provideBundle(denis.who))).status, 401);
    assert.deepEqual(await counts(t, denis.citizenId), before);
    assert.equal((await get(t, denis.token, searchUrl(denis.who))).status, 401);
  });

  it('mutated valid bundles never give a server error, and a refusal stores nothing', async () => {
    const base = provideBundle(emma.who, { folder: {} });
    const junk = fc.oneof(
      fc.constant(null),
      fc.boolean(),
      fc.integer(),
      fc.string({ maxLength: 12 }),
      fc.constant('Binary/00000000-0000-4000-8000-000000000000'),
      fc.constant({}),
      fc.constant([]),
    );
    /** Every path to a value of the bundle, to pick one to change. */
    const paths: Array<Array<string | number>> = [];
    const walk = (value: unknown, path: Array<string | number>) => {
      paths.push(path);
      if (Array.isArray(value)) for (const [i, item] of value.entries()) walk(item, [...path, i]);
      else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    };
    walk(base, []);
    const mutation = fc.record({
      path: fc.constantFrom(...paths.filter((p) => p.length > 0)),
      action: fc.constantFrom('delete', 'replace'),
      value: junk,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        const bundle = structuredClone(base) as Json;
        for (const m of mutations) {
          let node: unknown = bundle;
          for (const step of m.path.slice(0, -1)) node = (node as Record<string | number, unknown>)?.[step];
          if (!node || typeof node !== 'object') continue;
          const last = m.path[m.path.length - 1];
          if (m.action === 'delete') {
            if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
            else delete (node as Record<string | number, unknown>)[last];
          } else (node as Record<string | number, unknown>)[last] = m.value;
        }
        const before = await counts(t, emma.citizenId);
        const res = await push(t, emma.token, bundle);
        assert.ok(res.status < 500, `${res.status} ${JSON.stringify(res.body)}`);
        assert.equal(res.body.resourceType, res.status === 200 ? 'Bundle' : 'OperationOutcome');
        if (res.status !== 200) assert.deepEqual(await counts(t, emma.citizenId), before);
      }),
      { numRuns: 40 },
    );
  });
});
