import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { provideBundle } from '../../test/documents-fixtures.ts';
import { validateResource } from '../fhir/index.ts';
import {
  documentColumns,
  fileNameOf,
  type ProvidePlan,
  parseDocumentSearch,
  parseToken,
  patientProblems,
  planProvide,
  safeContentType,
  searchsetBundle,
  stamp,
  supersede,
  transactionResponse,
  unsupportedEntries,
} from './model.ts';

type Json = Record<string, unknown>;

const SYSTEM = 'urn:oid:2.999.250.1.0';
const who = { idPe: 'idpe-alice', idPeSystem: SYSTEM, oid: '2.999.250.1.7' };
const ids = () => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
};
const entriesOf = (bundle: Json) => bundle.entry as Json[];
const resourceOf = (bundle: Json, index: number) => entriesOf(bundle)[index].resource as Json;

describe('documents model: the provide plan', () => {
  it('the fixture bundle is valid for the validator', () => {
    const result = validateResource(provideBundle(who, { folder: {} }), { rules: 'mes' });
    assert.equal(result.valid, true, JSON.stringify(result.issues.filter((i) => i.severity === 'error')));
  });

  it('gives each entry a server id and rewrites every reference into the bundle to it', () => {
    const bundle = provideBundle(who, { folder: {} });
    const { plan, problems } = planProvide(bundle, ids());
    assert.deepEqual(problems, []);
    assert.deepEqual(
      plan.entries.map((e) => e.type),
      ['List', 'DocumentReference', 'Binary', 'List'],
    );
    const [setId, docId, binaryId, folderId] = plan.entries.map((e) => e.id);
    const doc = plan.documents[0];
    assert.equal(doc.binaryId, binaryId);
    const attachment = ((doc.resource.content as Json[])[0].attachment as Json).url;
    assert.equal(attachment, `Binary/${binaryId}`);
    const set = plan.lists.find((l) => l.id === setId) as ProvidePlan['lists'][number];
    assert.deepEqual(
      (set.resource.entry as Json[]).map((e) => (e.item as Json).reference),
      [`DocumentReference/${docId}`, `List/${folderId}`],
    );
    const folder = plan.lists.find((l) => l.id === folderId) as ProvidePlan['lists'][number];
    assert.equal(folder.kind, 'folder');
    assert.deepEqual(
      (folder.resource.entry as Json[]).map((e) => (e.item as Json).reference),
      [`DocumentReference/${docId}`],
    );
    // Contained references stay local; meta keeps the profile and source, not a client's versions.
    assert.equal(((doc.resource.author as Json[])[0] as Json).reference, '#auteur');
    assert.equal((doc.resource.meta as Json).source, `urn:oid:${who.oid}.1`);
  });

  it('decodes the Binary and computes its size and digests', () => {
    const bundle = provideBundle(who);
    const { plan } = planProvide(bundle, ids());
    const [binary] = plan.binaries;
    const sent = Buffer.from(String(resourceOf(bundle, 2).data), 'base64');
    assert.deepEqual(binary.data, sent);
    assert.equal(binary.size, sent.length);
    const declared = ((resourceOf(bundle, 1).content as Json[])[0].attachment as Json).hash;
    assert.equal(binary.sha1, declared);
    assert.match(binary.sha256, /^[0-9a-f]{64}$/);
    assert.equal(binary.contentType, 'application/pdf');
  });

  it('names the replacements to resolve: by server id or by identifier', () => {
    const target = '11111111-2222-4333-8444-555555555555';
    const byId = planProvide(
      provideBundle(who, { documents: [{ replaces: { reference: `DocumentReference/${target}` } }] }),
      ids(),
    );
    assert.deepEqual(byId.plan.documents[0].replaces, [
      { relation: 0, id: target, text: `DocumentReference/${target}` },
    ]);
    const byIdentifier = planProvide(
      provideBundle(who, { documents: [{ replaces: { identifier: 'urn:oid:1.2.3' } }] }),
      ids(),
    );
    assert.deepEqual(byIdentifier.plan.documents[0].replaces, [
      { relation: 0, identifier: 'urn:ietf:rfc:3986|urn:oid:1.2.3', text: 'urn:ietf:rfc:3986|urn:oid:1.2.3' },
    ]);
    // Not a server id: nothing to find, the service answers 422.
    const unknown = planProvide(
      provideBundle(who, { documents: [{ replaces: { reference: 'DocumentReference/abc' } }] }),
      ids(),
    );
    assert.deepEqual(unknown.plan.documents[0].replaces, [{ relation: 0, text: 'DocumentReference/abc' }]);
  });

  it('lists the stored documents a folder files, and refuses references it cannot resolve', () => {
    const stored = '11111111-2222-4333-8444-555555555555';
    const { plan, problems } = planProvide(provideBundle(who, { folder: { storedIds: [stored] } }), ids());
    assert.deepEqual(problems, []);
    assert.deepEqual(
      plan.storedItems.map((i) => i.id),
      [stored],
    );
    const bad = planProvide(provideBundle(who, { folder: { storedIds: ['not-a-uuid'] } }), ids());
    assert.equal(bad.problems.length, 1);
    assert.equal(bad.problems[0].messageKey, 'documents.problem.item_unknown');
  });

  it('refuses codes and uniqueIds too long to index', () => {
    const bundle = provideBundle(who, { documents: [{ uniqueId: `urn:oid:${'1.'.repeat(300)}1` }] });
    const { problems } = planProvide(bundle, ids());
    assert.deepEqual(
      problems.map((p) => [p.code, p.diagnostics, p.expression]),
      [
        [
          'value',
          'DocumentReference.masterIdentifier is longer than 512 characters.',
          'Bundle.entry[1].resource.masterIdentifier',
        ],
      ],
    );
  });

  it('keeps the id of a folder updated by PUT, and refuses a PUT that names no server id', () => {
    const bundle = provideBundle(who, { folder: {} });
    const folderEntry = entriesOf(bundle)[3];
    const folderId = '11111111-2222-4333-8444-555555555555';
    (folderEntry.resource as Json).id = folderId;
    folderEntry.request = { method: 'PUT', url: `List/${folderId}` };
    const { plan, problems } = planProvide(bundle, ids());
    assert.deepEqual(problems, []);
    assert.equal(plan.entries[3].id, folderId);
    assert.equal(plan.lists.find((l) => l.id === folderId)?.method, 'PUT');
    folderEntry.request = { method: 'PUT', url: 'List?identifier=x' };
    assert.equal(planProvide(bundle, ids()).problems[0].messageKey, 'documents.problem.folder_unknown');
  });

  it('accepts documents, binaries and lists by POST, folders by PUT, nothing else', () => {
    assert.deepEqual(unsupportedEntries(provideBundle(who)), []);
    const bundle = provideBundle(who);
    entriesOf(bundle).push({
      fullUrl: 'urn:uuid:p',
      resource: { resourceType: 'Patient' },
      request: { method: 'POST', url: 'Patient' },
    });
    entriesOf(bundle).push({
      fullUrl: 'urn:uuid:d',
      request: { method: 'DELETE', url: 'DocumentReference/x' },
    });
    entriesOf(bundle)[1].request = { method: 'PUT', url: 'DocumentReference/x' };
    const problems = unsupportedEntries(bundle);
    assert.deepEqual(
      problems.map((p) => p.diagnostics),
      [
        'Resource of type DocumentReference is not acceptable with method PUT.',
        'Resource of type Patient is not acceptable with method POST.',
        'Resource of type none is not acceptable with method DELETE.',
      ],
    );
  });
});

describe('documents model: the patient of a provide', () => {
  it('accepts the caller’s idPe everywhere', () => {
    assert.deepEqual(patientProblems(provideBundle(who, { folder: {} }), SYSTEM, who.idPe), {
      problems: [],
      mismatch: false,
    });
  });

  it('another idPe in the right system is a mismatch (403)', () => {
    const bundle = provideBundle({ ...who, idPe: 'idpe-bob' });
    assert.deepEqual(patientProblems(bundle, SYSTEM, who.idPe), { problems: [], mismatch: true });
    // Only the submission set names someone else: still a mismatch.
    const mixed = provideBundle(who);
    resourceOf(mixed, 0).subject = { identifier: { system: SYSTEM, value: 'idpe-bob' } };
    assert.equal(patientProblems(mixed, SYSTEM, who.idPe).mismatch, true);
  });

  it('a contained sourcePatientInfo naming another idPe is a mismatch', () => {
    const bundle = provideBundle(who);
    const doc = resourceOf(bundle, 1);
    const patient = (doc.contained as Json[]).find((c) => c.resourceType === 'Patient') as Json;
    patient.identifier = [...(patient.identifier as Json[]), { system: SYSTEM, value: 'idpe-bob' }];
    assert.equal(patientProblems(bundle, SYSTEM, who.idPe).mismatch, true);
  });

  it('a subject by reference or in another system is invalid (422), with MES-style diagnostics', () => {
    const bundle = provideBundle(who);
    resourceOf(bundle, 1).subject = { reference: 'Patient/123' };
    resourceOf(bundle, 0).subject = {
      identifier: { system: 'urn:oid:1.2.250.1.213.1.4.8', value: who.idPe },
    };
    const { problems } = patientProblems(bundle, SYSTEM, who.idPe);
    assert.deepEqual(
      problems.map((p) => [p.code, p.diagnostics, p.expression]),
      [
        [
          'invalid',
          `List.subject.identifier.system must be ${SYSTEM} (the idPe system).`,
          'Bundle.entry[0].resource.subject.identifier.system',
        ],
        [
          'invalid',
          'DocumentReference.subject.identifier is mandatory.',
          'Bundle.entry[1].resource.subject.identifier',
        ],
      ],
    );
  });
});

describe('documents model: search columns and answers', () => {
  it('reads the columns ITI-67 searches on', () => {
    const bundle = provideBundle(who, {
      documents: [{ isArchived: true, date: '2025-04-29T12:00:00+01:00' }],
    });
    const columns = documentColumns(resourceOf(bundle, 1));
    assert.equal(columns.status, 'current');
    assert.equal(columns.typeCode, 'http://loinc.org|34133-9');
    assert.equal(
      columns.categoryCode,
      'https://mos.esante.gouv.fr/NOS/TRE_A03-ClasseDocument/FHIR/TRE-A03-ClasseDocument|10',
    );
    assert.equal(
      columns.formatCode,
      'https://mos.esante.gouv.fr/NOS/TRE_A11-IheFormatCode/FHIR/TRE-A11-IheFormatCode|urn:ihe:iti:xds-sd:pdf:2008',
    );
    assert.deepEqual(columns.securityLabels, ['http://terminology.hl7.org/CodeSystem/v3-Confidentiality|N']);
    assert.equal(columns.date?.toISOString(), '2025-04-29T11:00:00.000Z');
    assert.equal(columns.periodStart?.toISOString(), '2025-04-20T07:00:00.000Z');
    assert.equal(columns.creation?.toISOString(), '2025-04-25T08:30:00.000Z');
    assert.equal(columns.isArchived, true);
    assert.match(String(columns.masterIdentifier), /^urn:ietf:rfc:3986\|urn:oid:/);
    assert.deepEqual(columns.identifiers, [columns.masterIdentifier]);
  });

  it('stamps server ids and versions, and supersedes in a new version', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const stamped = stamp(
      { resourceType: 'X', id: 'client', meta: { source: 's', versionId: '9' }, status: 'current' },
      'DocumentReference',
      'srv',
      1,
      at,
    );
    assert.deepEqual(stamped, {
      resourceType: 'DocumentReference',
      id: 'srv',
      meta: { source: 's', versionId: '1', lastUpdated: '2026-01-02T03:04:05.000Z' },
      status: 'current',
    });
    const superseded = supersede(stamped, 2, at);
    assert.equal(superseded.status, 'superseded');
    assert.equal((superseded.meta as Json).versionId, '2');
    assert.equal(superseded.id, 'srv');
  });

  it('answers a transaction-response entry per request entry, in order', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const body = transactionResponse([
      { type: 'List', id: 'a', versionId: 1, lastUpdated: at, created: true },
      { type: 'List', id: 'b', versionId: 3, lastUpdated: at, created: false },
    ]);
    assert.deepEqual(body.entry, [
      {
        response: {
          status: '201 Created',
          location: 'List/a/_history/1',
          etag: 'W/"1"',
          lastModified: at.toISOString(),
        },
      },
      {
        response: {
          status: '200 OK',
          location: 'List/b/_history/3',
          etag: 'W/"3"',
          lastModified: at.toISOString(),
        },
      },
    ]);
  });

  it('names downloads safely and sends only real media types', () => {
    assert.equal(
      fileNameOf('Compte rendu d’hospitalisation', 'application/pdf'),
      'Compte rendu d hospitalisation.pdf',
    );
    assert.equal(fileNameOf('../../etc/passwd"\r\n', 'text/plain'), 'etc passwd.txt');
    assert.equal(fileNameOf(undefined, 'application/x-unknown'), 'document');
    assert.equal(safeContentType('application/pdf'), 'application/pdf');
    assert.equal(safeContentType('text/plain; charset=utf-8'), 'text/plain; charset=utf-8');
    assert.equal(safeContentType('text/html\r\nx: y'), 'application/octet-stream');
    assert.equal(safeContentType('texte/été'), 'application/octet-stream');
  });
});

describe('documents model: ITI-67 parameters', () => {
  const parse = (query: string) => parseDocumentSearch([...new URLSearchParams(query)], SYSTEM);
  const error = (query: string) => {
    const parsed = parse(query);
    assert.equal(parsed.ok, false, query);
    return parsed.ok ? '' : parsed.diagnostics;
  };

  it('requires the patient and the status', () => {
    assert.equal(error('status=current'), 'Search parameter patient or patient.identifier is mandatory');
    assert.equal(error(`patient.identifier=${SYSTEM}|x`), 'Search parameter status is mandatory');
  });

  it('reads the patient from patient or patient.identifier', () => {
    for (const query of [
      `patient.identifier=${SYSTEM}|abc&status=current`,
      'patient.identifier=abc&status=current',
      'patient=Patient/abc&status=current',
      'patient=abc&status=current',
    ]) {
      const parsed = parse(query);
      assert.ok(parsed.ok, query);
      assert.equal(parsed.search.idPe, 'abc');
    }
    assert.match(
      error('patient.identifier=urn:oid:1.2.3|abc&status=current'),
      /must be urn:oid:2\.999\.250\.1\.0\|<idPe>/,
    );
    assert.equal(
      error('patient=a&patient.identifier=b&status=current'),
      'patient and patient.identifier must name one patient',
    );
  });

  it('reads tokens, dates, isArchived, paging and sort', () => {
    const parsed = parse(
      'patient=a&status=current,superseded&type=http://loinc.org|34133-9,11488-4&category=10&security-label=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|' +
        '&date=ge2025-01-01&date=lt2026&period-start=2025-04&creation=eq2025-04-25T09:30:00%2B01:00&isArchived=false&_count=10&_offset=2&_sort=date&_format=json',
    );
    assert.ok(parsed.ok);
    const s = parsed.search;
    assert.deepEqual(s.statuses, ['current', 'superseded']);
    assert.deepEqual(s.tokens, [
      { column: 'type_code', values: [{ system: 'http://loinc.org', code: '34133-9' }, { code: '11488-4' }] },
      { column: 'category_code', values: [{ code: '10' }] },
      {
        column: 'security_labels',
        values: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality' }],
      },
    ]);
    assert.deepEqual(
      s.dates.map((d) => [d.column, d.prefix, d.range.start.toISOString(), d.range.end.toISOString()]),
      [
        ['date', 'ge', '2024-12-31T23:00:00.000Z', '2025-01-01T23:00:00.000Z'],
        ['date', 'lt', '2025-12-31T23:00:00.000Z', '2026-12-31T23:00:00.000Z'],
        ['period_start', 'eq', '2025-03-31T22:00:00.000Z', '2025-04-30T22:00:00.000Z'],
        ['creation', 'eq', '2025-04-25T08:30:00.000Z', '2025-04-25T08:30:01.000Z'],
      ],
    );
    assert.equal(s.isArchived, false);
    assert.equal(s.count, 10);
    assert.equal(s.offset, 2);
    assert.equal(s.sort, 'date');
  });

  it('defaults to 50 newest first and refuses a page over 100 with MES’s words', () => {
    const parsed = parse('patient=a&status=current');
    assert.ok(parsed.ok);
    assert.deepEqual([parsed.search.count, parsed.search.offset, parsed.search.sort], [50, 0, '-date']);
    assert.equal(
      error('patient=a&status=current&_count=101'),
      'Maximum page size allowed is 100. Actual : 101',
    );
  });

  it('refuses unknown parameters and malformed values, naming them', () => {
    assert.equal(
      error('patient=a&status=current&author=x&foo=1'),
      'Unknown search parameter(s): author, foo',
    );
    assert.equal(error('patient=a&status=final'), 'Unknown status: final');
    assert.equal(error('patient=a&status=current&date=yesterday'), 'date is not a date: yesterday');
    assert.equal(error('patient=a&status=current&date=ge2025-02-30'), 'date is not a date: ge2025-02-30');
    assert.equal(error('patient=a&status=current&type=|'), 'type is not a token: |');
    assert.equal(
      error('patient=a&status=current&isArchived=yes'),
      'isArchived must be true or false (received yes)',
    );
    assert.equal(
      error('patient=a&status=current&_count=0'),
      '_count must be a positive integer (received 0)',
    );
    assert.equal(
      error('patient=a&status=current&_offset=-1'),
      '_offset must be a page index (0, 1, …) (received -1)',
    );
    assert.equal(error('patient=a&status=current&_sort=title'), 'Sort parameter must be date or -date');
    assert.equal(error('patient=a&status=current&_count=1&_count=2'), '_count may be given once');
  });

  it('never throws, whatever the parameters', () => {
    const names = fc.constantFrom(
      'patient',
      'patient.identifier',
      'status',
      'type',
      'date',
      'period-end',
      'isArchived',
      '_count',
      '_offset',
      '_sort',
      'identifier',
      'x',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(names, fc.string({ maxLength: 30 })), { maxLength: 8 }), (pairs) => {
        const parsed = parseDocumentSearch(pairs, SYSTEM);
        if (parsed.ok) assert.ok(parsed.search.count >= 1 && parsed.search.count <= 100);
      }),
      { numRuns: 300 },
    );
  });

  it('links the page, the next and the previous', () => {
    const pairs = [...new URLSearchParams('patient=a&status=current&_count=2&_offset=1')];
    const parsed = parseDocumentSearch(pairs, SYSTEM);
    assert.ok(parsed.ok);
    const bundle = searchsetBundle({
      base: 'https://x.test/fhir',
      pairs,
      search: parsed.search,
      total: 5,
      resources: [{ resourceType: 'DocumentReference', id: 'd1' }],
    });
    assert.equal(bundle.type, 'searchset');
    assert.equal(bundle.total, 5);
    assert.deepEqual(
      (bundle.link as Json[]).map((l) => [l.relation, l.url]),
      [
        [
          'self',
          'https://x.test/fhir/DocumentReference?patient=a&status=current&_count=2&_offset=1&_sort=-date',
        ],
        [
          'next',
          'https://x.test/fhir/DocumentReference?patient=a&status=current&_count=2&_offset=2&_sort=-date',
        ],
        [
          'previous',
          'https://x.test/fhir/DocumentReference?patient=a&status=current&_count=2&_offset=0&_sort=-date',
        ],
      ],
    );
    assert.deepEqual(bundle.entry, [
      {
        fullUrl: 'https://x.test/fhir/DocumentReference/d1',
        resource: { resourceType: 'DocumentReference', id: 'd1' },
        search: { mode: 'match' },
      },
    ]);
  });

  it('reads tokens in their four forms', () => {
    assert.deepEqual(parseToken('s|c'), { system: 's', code: 'c' });
    assert.deepEqual(parseToken('|c'), { system: '', code: 'c' });
    assert.deepEqual(parseToken('s|'), { system: 's' });
    assert.deepEqual(parseToken('c'), { code: 'c' });
    assert.equal(parseToken(''), undefined);
  });
});
