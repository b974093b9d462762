// mesref-test: no-database (runs once, not once per database lane)
/**
 * PDSm (ITI-65 provide bundle, ITI-105 simplified publish) and FR Core patient rules: every valid example
 * passes, and every rule has a failing case made by one change to a valid example, checked on its message,
 * severity and path.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { formatMessage, type ValidationIssue } from './issues.ts';
import { validationMessages } from './messages.ts';
import { pdsmMessages } from './messages-pdsm.ts';
import { decodeBase64 } from './pdsm.ts';
import { defaultRegistry } from './registry.ts';
import { validateResource } from './validator.ts';

// biome-ignore lint/suspicious/noExplicitAny: the tests mutate parsed fixtures freely.
type Json = Record<string, any>;

const fixtures = new URL('./fixtures/pdsm/', import.meta.url);
const load = (name: string): Json => JSON.parse(readFileSync(new URL(name, fixtures), 'utf8'));
const PDSM = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/';
const MHD = 'https://profiles.ihe.net/ITI/MHD/';
const FR_CORE = 'https://hl7.fr/ig/fhir/core/';
const V2_0203 = `${FR_CORE}CodeSystem/fr-core-cs-v2-0203`;

/** Entries of the valid provide bundle. */
const SS = 0;
const DR = 1;
const BIN = 2;
const DOC = `Bundle.entry[${DR}].resource`;
const LIST = `Bundle.entry[${SS}].resource`;
const ATT = `${DOC}.content[0].attachment`;

function errors(issues: ValidationIssue[]): ValidationIssue[] {
  return issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
}

function describeIssues(issues: ValidationIssue[]): string {
  return issues
    .map((i) => `  ${i.severity} ${i.messageId} ${i.expression} ${JSON.stringify(i.params ?? {})}`)
    .join('\n');
}

function expectIssue(
  resource: Json,
  messageId: string,
  expression: string,
  severity: ValidationIssue['severity'] = 'error',
  rules: 'mes' | 'ig' = 'ig',
): ValidationIssue {
  const { issues } = validateResource(resource, { rules });
  const issue = issues.find((i) => i.messageId === messageId && i.expression === expression);
  assert.ok(issue, `expected ${messageId} at ${expression}, got:\n${describeIssues(issues)}`);
  assert.equal(issue.severity, severity);
  return issue;
}

function expectValid(resource: Json, rules: 'mes' | 'ig' = 'ig'): ValidationIssue[] {
  const { issues, valid } = validateResource(resource, { rules });
  assert.deepEqual(
    errors(issues).map((i) => `${i.messageId} ${i.expression}`),
    [],
  );
  assert.equal(valid, true);
  return issues;
}

function pdsmIssues(resource: Json): ValidationIssue[] {
  return validateResource(resource, { rules: 'ig' }).issues.filter((i) => i.messageId.startsWith('pdsm-'));
}

const bundle = (): Json => load('provide-bundle.json');
const documentOf = (b: Json): Json => b.entry[DR].resource;
const submissionSetOf = (b: Json): Json => b.entry[SS].resource;

function folderEntry(items: string[]): Json {
  return {
    fullUrl: 'urn:uuid:5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
    resource: {
      resourceType: 'List',
      extension: [
        {
          url: `${MHD}StructureDefinition/ihe-designationType`,
          valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '80146002' }] },
        },
      ],
      identifier: [{ use: 'usual', system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.250.1.999.1.3.1' }],
      status: 'current',
      mode: 'working',
      title: 'Suivi post-opératoire',
      code: { coding: [{ system: `${MHD}CodeSystem/MHDlistTypes`, code: 'folder' }] },
      subject: { reference: 'Patient/fr-patient-123' },
      date: '2025-04-28T10:30:00+01:00',
      entry: items.map((reference) => ({ item: { reference } })),
    },
    request: { method: 'POST', url: 'List' },
  };
}

describe('valid examples', () => {
  for (const name of readdirSync(fixtures).filter((file) => file.endsWith('.json'))) {
    for (const rules of ['ig', 'mes'] as const) {
      it(`${name} has no error (${rules} rules)`, () => {
        expectValid(load(name), rules);
      });
    }
  }

  it('loads the PDSm and FR Core definitions', () => {
    const registry = defaultRegistry();
    for (const id of [
      'pdsm-comprehensive-provide-document-bundle',
      'pdsm-comprehensive-document-reference',
      'pdsm-submissionset-comprehensive',
      'pdsm-folder-comprehensive',
      'pdsm-simplified-publish',
      'fr-core-patient',
      'fr-core-patient-ins',
    ]) {
      assert.ok(registry.profiles.has(id), id);
    }
    for (const url of [
      `${PDSM}pdsm-ext-is-archived`,
      `${PDSM}pdsm-ext-intended-recipient`,
      `${MHD}StructureDefinition/ihe-designationType`,
      `${MHD}StructureDefinition/ihe-sourceId`,
      `${MHD}StructureDefinition/ihe-authorOrg`,
    ]) {
      assert.ok(registry.extensions.has(url), url);
    }
  });

  it('the example payloads carry their true size and SHA-1', () => {
    const b = bundle();
    const bytes = decodeBase64(b.entry[BIN].resource.data) as Buffer;
    const attachment = documentOf(b).content[0].attachment;
    assert.equal(attachment.size, bytes.length);
    assert.equal(attachment.hash, createHash('sha1').update(bytes).digest('base64'));
  });

  it('profiles the entries without meta.profile (SubmissionSet by its code, the others by the bundle)', () => {
    const b = bundle();
    delete b.meta;
    for (const entry of b.entry) delete entry.resource.meta;
    const issues = expectValid(b);
    assert.ok(issues.some((i) => i.messageId === 'profile-inferred' && i.expression === `${LIST}.code`));
    delete documentOf(b).masterIdentifier;
    delete submissionSetOf(b).date;
    expectIssue(b, 'profile-min', `${DOC}.masterIdentifier`);
    expectIssue(b, 'profile-min', `${LIST}.date`);
  });

  it('resolves an attachment URL written Binary/[id]', () => {
    const b = bundle();
    documentOf(b).content[0].attachment.url = 'Binary/cr-hospitalisation';
    expectValid(b);
  });

  it('accepts a replacement with one relatesTo replaces to a DocumentReference', () => {
    const b = bundle();
    documentOf(b).relatesTo = [
      { code: 'replaces', target: { reference: 'DocumentReference/ancienne-fiche' } },
    ];
    expectValid(b);
  });

  it('accepts a folder created with the documents, and one updated by PUT', () => {
    const b = bundle();
    b.entry.push(folderEntry([b.entry[DR].fullUrl]));
    submissionSetOf(b).entry.push({ item: { reference: b.entry[3].fullUrl } });
    expectValid(b);
    b.entry[3].resource.id = 'classeur-1';
    b.entry[3].request = { method: 'PUT', url: 'List/classeur-1' };
    expectValid(b);
  });
});

describe('ITI-65 provide bundle', () => {
  it('requires exactly one SubmissionSet', () => {
    const b = bundle();
    b.entry.splice(SS, 1);
    const issue = expectIssue(b, 'slice-min', 'Bundle.entry');
    assert.equal(issue.params?.slice, 'SubmissionSet');
    const twice = bundle();
    twice.entry.push({
      ...structuredClone(twice.entry[SS]),
      fullUrl: 'urn:uuid:1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    });
    const max = expectIssue(twice, 'slice-max', 'Bundle.entry');
    assert.equal(max.params?.slice, 'SubmissionSet');
  });

  it('requires at least one DocumentReference', () => {
    const b = bundle();
    b.entry.splice(DR, 1);
    const issue = expectIssue(b, 'slice-min', 'Bundle.entry');
    assert.equal(issue.params?.slice, 'DocumentRefs');
  });

  it('is a transaction (and only a transaction gets the bundle-wide checks)', () => {
    const b = bundle();
    b.type = 'batch';
    documentOf(b).content[0].attachment.size = 1;
    expectIssue(b, 'profile-pattern', 'Bundle.type');
    assert.deepEqual(pdsmIssues(b), []);
  });

  it('requires a fullUrl and a request on every entry', () => {
    const b = bundle();
    delete b.entry[SS].fullUrl;
    expectIssue(b, 'profile-min', `Bundle.entry[${SS}].fullUrl`);
    const c = bundle();
    delete c.entry[BIN].request;
    expectIssue(c, 'profile-min', `Bundle.entry[${BIN}].request`);
  });

  it('refuses a fullUrl used twice', () => {
    const b = bundle();
    b.entry[SS].fullUrl = b.entry[DR].fullUrl;
    const issue = expectIssue(b, 'pdsm-fullurl-duplicate', `Bundle.entry[${DR}].fullUrl`);
    assert.equal(issue.params?.first, SS);
  });

  it('creates the SubmissionSet, the DocumentReferences and the Binaries by POST', () => {
    const b = bundle();
    b.entry[DR].request.method = 'PUT';
    expectIssue(b, 'profile-pattern', `Bundle.entry[${DR}].request.method`);
    const c = bundle();
    c.entry[SS].request.method = 'PUT';
    expectIssue(c, 'profile-pattern', `Bundle.entry[${SS}].request.method`);
    const d = bundle();
    d.entry[BIN].request.method = 'DELETE';
    expectIssue(d, 'profile-pattern', `Bundle.entry[${BIN}].request.method`);
  });

  it('requires request.url consistent with the resource', () => {
    const b = bundle();
    b.entry[BIN].request.url = 'Binary/cr-hospitalisation';
    const issue = expectIssue(b, 'pdsm-request-url', `Bundle.entry[${BIN}].request.url`);
    assert.equal(issue.params?.expected, 'Binary');
    const c = bundle();
    c.entry.push(folderEntry([c.entry[DR].fullUrl]));
    submissionSetOf(c).entry.push({ item: { reference: c.entry[3].fullUrl } });
    c.entry[3].resource.id = 'classeur-1';
    c.entry[3].request = { method: 'PUT', url: 'List' };
    const put = expectIssue(c, 'pdsm-request-url', 'Bundle.entry[3].request.url');
    assert.equal(put.params?.expected, 'List/classeur-1');
  });

  it('updates a folder by POST or PUT only', () => {
    const b = bundle();
    b.entry.push(folderEntry([b.entry[DR].fullUrl]));
    submissionSetOf(b).entry.push({ item: { reference: b.entry[3].fullUrl } });
    b.entry[3].request.method = 'PATCH';
    expectIssue(b, 'profile-regex', 'Bundle.entry[3].request.method');
  });

  it('holds at most one Patient entry, an FR Core patient', () => {
    const b = bundle();
    const patient = {
      fullUrl: 'urn:uuid:2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
      resource: { resourceType: 'Patient', name: [{ use: 'official', family: 'Martin' }] },
      request: { method: 'POST', url: 'Patient' },
    };
    b.entry.push(patient);
    expectIssue(b, 'profile-min', 'Bundle.entry[3].resource.name[0].given');
    b.entry[3].resource.name[0].given = ['Claire'];
    b.entry.push({ ...structuredClone(patient), fullUrl: 'urn:uuid:3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f' });
    const issue = expectIssue(b, 'slice-max', 'Bundle.entry');
    assert.equal(issue.params?.slice, 'Patient');
  });
});

describe('the document and its Binary', () => {
  it('requires the attachment URL to designate an entry of the bundle', () => {
    const b = bundle();
    documentOf(b).content[0].attachment.url = 'urn:uuid:00000000-0000-4000-8000-000000000000';
    expectIssue(b, 'pdsm-attachment-unresolved', `${ATT}.url`);
    const c = bundle();
    documentOf(c).content[0].attachment.url = 'Binary/autre-document';
    expectIssue(c, 'pdsm-attachment-unresolved', `${ATT}.url`);
  });

  it('requires the attachment URL to designate a Binary', () => {
    const b = bundle();
    documentOf(b).content[0].attachment.url = b.entry[SS].fullUrl;
    const issue = expectIssue(b, 'pdsm-attachment-not-binary', `${ATT}.url`);
    assert.equal(issue.params?.type, 'List');
  });

  it('compares the declared size with the bytes of the Binary', () => {
    const b = bundle();
    documentOf(b).content[0].attachment.size = 151;
    const issue = expectIssue(b, 'pdsm-size-mismatch', `${ATT}.size`);
    assert.deepEqual(issue.params, { declared: 151, actual: 150 });
  });

  it('compares the declared SHA-1 with the bytes of the Binary', () => {
    const b = bundle();
    documentOf(b).content[0].attachment.hash = createHash('sha1').update('autre chose').digest('base64');
    const issue = expectIssue(b, 'pdsm-hash-mismatch', `${ATT}.hash`);
    assert.equal(issue.params?.actual, 'AeZmQLa5GD2UXNpj2u+MaZhmxGQ=');
  });

  it('refuses a hash that is not a base64 SHA-1 (a hexadecimal digest)', () => {
    const b = bundle();
    const bytes = decodeBase64(b.entry[BIN].resource.data) as Buffer;
    documentOf(b).content[0].attachment.hash = createHash('sha1').update(bytes).digest('hex');
    const issue = expectIssue(b, 'pdsm-hash-not-sha1', `${ATT}.hash`);
    assert.equal(issue.params?.length, 30);
  });

  it('requires the Binary to carry the document', () => {
    const b = bundle();
    delete b.entry[BIN].resource.data;
    expectIssue(b, 'pdsm-binary-data-missing', `Bundle.entry[${BIN}].resource.data`);
  });

  it('leaves invalid base64 to the base structure, without a size or hash verdict', () => {
    const b = bundle();
    b.entry[BIN].resource.data = 'JVBERi0x*LjQK';
    expectIssue(b, 'format-base64', `Bundle.entry[${BIN}].resource.data`);
    assert.deepEqual(pdsmIssues(b), []);
  });

  it('warns when the declared MIME type is not the Binary’s', () => {
    const b = bundle();
    documentOf(b).content[0].attachment.contentType = 'text/plain';
    expectIssue(b, 'pdsm-content-type-mismatch', `${ATT}.contentType`, 'warning');
    const c = bundle();
    documentOf(c).content[0].attachment.contentType = 'application/PDF; charset=binary';
    assert.deepEqual(pdsmIssues(c), []);
  });

  it('carries the bytes in the Binary, not in the attachment', () => {
    const b = bundle();
    documentOf(b).content[0].attachment.data = b.entry[BIN].resource.data;
    expectIssue(b, 'profile-forbidden', `${ATT}.data`);
  });
});

describe('PDSm comprehensive DocumentReference', () => {
  const required: [string, (d: Json) => void, string][] = [
    ['masterIdentifier', (d) => delete d.masterIdentifier, `${DOC}.masterIdentifier`],
    ['masterIdentifier.value', (d) => delete d.masterIdentifier.value, `${DOC}.masterIdentifier.value`],
    ['type', (d) => delete d.type, `${DOC}.type`],
    ['category', (d) => delete d.category, `${DOC}.category`],
    ['subject', (d) => delete d.subject, `${DOC}.subject`],
    ['date', (d) => delete d.date, `${DOC}.date`],
    ['author', (d) => delete d.author, `${DOC}.author`],
    ['custodian', (d) => delete d.custodian, `${DOC}.custodian`],
    ['securityLabel', (d) => delete d.securityLabel, `${DOC}.securityLabel`],
    ['content', (d) => delete d.content, `${DOC}.content`],
    ['contentType', (d) => delete d.content[0].attachment.contentType, `${ATT}.contentType`],
    ['language', (d) => delete d.content[0].attachment.language, `${ATT}.language`],
    ['url', (d) => delete d.content[0].attachment.url, `${ATT}.url`],
    ['size', (d) => delete d.content[0].attachment.size, `${ATT}.size`],
    ['hash', (d) => delete d.content[0].attachment.hash, `${ATT}.hash`],
    ['title', (d) => delete d.content[0].attachment.title, `${ATT}.title`],
    ['creation', (d) => delete d.content[0].attachment.creation, `${ATT}.creation`],
    ['format', (d) => delete d.content[0].format, `${DOC}.content[0].format`],
    ['context', (d) => delete d.context, `${DOC}.context`],
    ['context.period', (d) => delete d.context.period, `${DOC}.context.period`],
    ['context.period.start', (d) => delete d.context.period.start, `${DOC}.context.period.start`],
    ['facilityType', (d) => delete d.context.facilityType, `${DOC}.context.facilityType`],
    ['practiceSetting', (d) => delete d.context.practiceSetting, `${DOC}.context.practiceSetting`],
    ['sourcePatientInfo', (d) => delete d.context.sourcePatientInfo, `${DOC}.context.sourcePatientInfo`],
    ['contained', (d) => delete d.contained, `${DOC}.contained`],
  ];
  for (const [name, mutate, expression] of required) {
    it(`requires ${name}`, () => {
      const b = bundle();
      mutate(documentOf(b));
      expectIssue(b, 'profile-min', expression);
    });
  }

  it('allows one content, one type and one category', () => {
    const b = bundle();
    const d = documentOf(b);
    d.content.push(structuredClone(d.content[0]));
    expectIssue(b, 'profile-max', `${DOC}.content`);
    const c = bundle();
    documentOf(c).category.push(structuredClone(documentOf(c).category[0]));
    expectIssue(c, 'profile-max', `${DOC}.category`);
  });

  it('has status current or superseded', () => {
    const b = bundle();
    documentOf(b).status = 'entered-in-error';
    expectIssue(b, 'binding-required', `${DOC}.status`);
  });

  it('points to an organization as custodian', () => {
    const b = bundle();
    documentOf(b).custodian.reference = 'Practitioner/x';
    expectIssue(b, 'reference-type', `${DOC}.custodian.reference`);
  });

  it('contains its author, authenticator and source patient', () => {
    const b = bundle();
    documentOf(b).author[0].reference = 'Practitioner/sophie-leclerc';
    const issue = expectIssue(b, 'pdsm-reference-not-contained', `${DOC}.author[0].reference`);
    assert.equal(issue.params?.reference, 'Practitioner/sophie-leclerc');
    const c = bundle();
    documentOf(c).author[0].reference = '#personne';
    expectIssue(c, 'pdsm-contained-missing', `${DOC}.author[0].reference`);
    const d = bundle();
    documentOf(d).context.sourcePatientInfo = { reference: 'Patient/fr-patient-123' };
    expectIssue(d, 'pdsm-reference-not-contained', `${DOC}.context.sourcePatientInfo.reference`);
  });

  it('types the contained targets', () => {
    const b = bundle();
    documentOf(b).author[0].reference = '#patient';
    expectValid(b);
    documentOf(b).authenticator.reference = '#patient';
    expectIssue(b, 'reference-type', `${DOC}.authenticator.reference`);
    const c = bundle();
    documentOf(c).context.sourcePatientInfo.reference = '#auteur';
    expectIssue(c, 'reference-type', `${DOC}.context.sourcePatientInfo.reference`);
  });

  it('replaces at most one document, a DocumentReference it names (constr-bind-relatesTo)', () => {
    const b = bundle();
    documentOf(b).relatesTo = [
      { code: 'replaces', target: { reference: 'DocumentReference/ancienne-fiche' } },
      { code: 'replaces', target: { reference: 'DocumentReference/autre-fiche' } },
    ];
    expectIssue(b, 'pdsm-relatesto-replaces-max', `${DOC}.relatesTo`);
    const c = bundle();
    documentOf(c).relatesTo = [{ code: 'replaces', target: { reference: 'Patient/fr-patient-123' } }];
    expectIssue(c, 'reference-type', `${DOC}.relatesTo[0].target.reference`);
    const d = bundle();
    documentOf(d).relatesTo = [{ code: 'replaces', target: { display: 'la fiche précédente' } }];
    expectIssue(d, 'pdsm-relatesto-target', `${DOC}.relatesTo[0].target`);
  });

  it('warns on codes outside the terminologies of the PDSm text-only invariants', () => {
    const table: [string, (d: Json) => void, string][] = [
      ['constr-bind-type', (d) => (d.type.coding[0].system = 'http://snomed.info/sct'), `${DOC}.type`],
      [
        'constr-bind-category',
        (d) => (d.category[0].coding[0].system = 'http://loinc.org'),
        `${DOC}.category[0]`,
      ],
      [
        'constr-bind-format',
        (d) => (d.content[0].format.system = 'http://loinc.org'),
        `${DOC}.content[0].format`,
      ],
      [
        'constr-bind-ProducteurDoc',
        (d) =>
          (d.context.facilityType.coding[0].system =
            'https://mos.esante.gouv.fr/NOS/TRE_A01-CadreExercice/FHIR/TRE-A01-CadreExercice'),
        `${DOC}.context.facilityType`,
      ],
    ];
    for (const [rule, mutate, expression] of table) {
      const b = bundle();
      mutate(documentOf(b));
      const issue = expectIssue(b, 'pdsm-terminology', expression, 'warning');
      assert.equal(issue.params?.rule, rule);
      assert.equal(validateResource(b, { rules: 'ig' }).valid, true);
    }
  });

  it('accepts the OID form of a terminology', () => {
    const b = bundle();
    documentOf(b).type.coding[0].system = 'urn:oid:2.16.840.1.113883.6.1';
    assert.deepEqual(pdsmIssues(b), []);
  });

  it('checks the isArchived extension', () => {
    const b = bundle();
    documentOf(b).extension = [{ url: `${PDSM}pdsm-ext-is-archived`, valueString: 'non' }];
    expectIssue(b, 'profile-type', `${DOC}.extension[0].valueString`);
    const c = bundle();
    documentOf(c).extension = [
      { url: `${PDSM}pdsm-ext-is-archived`, valueBoolean: false },
      { url: `${PDSM}pdsm-ext-is-archived`, valueBoolean: true },
    ];
    expectIssue(c, 'extension-max', `${DOC}.extension`);
  });
});

describe('PDSm SubmissionSet', () => {
  it('requires the designationType and sourceId extensions', () => {
    for (const url of [
      `${MHD}StructureDefinition/ihe-designationType`,
      `${MHD}StructureDefinition/ihe-sourceId`,
    ]) {
      const b = bundle();
      const list = submissionSetOf(b);
      list.extension = list.extension.filter((e: Json) => e.url !== url);
      const issue = expectIssue(b, 'extension-missing', `${LIST}.extension`);
      assert.equal(issue.params?.url, url);
    }
  });

  it('requires its own elements', () => {
    const cases: [string, (l: Json) => void, string, string][] = [
      ['date', (l) => delete l.date, `${LIST}.date`, 'profile-min'],
      ['subject', (l) => delete l.subject, `${LIST}.subject`, 'profile-min'],
      ['source', (l) => delete l.source, `${LIST}.source`, 'profile-min'],
      ['contained', (l) => delete l.contained, `${LIST}.contained`, 'profile-min'],
      ['mode working', (l) => (l.mode = 'snapshot'), `${LIST}.mode`, 'profile-pattern'],
      ['uniqueId', (l) => l.identifier.splice(0, 1), `${LIST}.identifier`, 'slice-min'],
    ];
    for (const [, mutate, expression, messageId] of cases) {
      const b = bundle();
      mutate(submissionSetOf(b));
      expectIssue(b, messageId, expression);
    }
  });

  it('contains its author: a person or device in source, an organization in authorOrg', () => {
    const b = bundle();
    submissionSetOf(b).source.reference = 'PractitionerRole/leclerc';
    expectIssue(b, 'pdsm-reference-not-contained', `${LIST}.source.reference`);
    const c = bundle();
    submissionSetOf(c).source.extension[0].valueReference.reference = '#auteur-lot';
    expectIssue(c, 'reference-type', `${LIST}.source.extension[0].valueReference.reference`);
    const d = bundle();
    submissionSetOf(d).source = { display: 'Dr Sophie Leclerc' };
    expectIssue(d, 'pdsm-source-author', `${LIST}.source`);
    const e = bundle();
    delete submissionSetOf(e).source.reference;
    expectValid(e);
  });

  it('keeps authorOrg on source, not on the List', () => {
    const b = bundle();
    const list = submissionSetOf(b);
    list.extension.push(list.source.extension[0]);
    expectIssue(b, 'extension-context', `${LIST}.extension[4]`);
  });

  it('contains its intended recipient', () => {
    const b = bundle();
    submissionSetOf(b).extension[3].valueReference.reference = 'PractitionerRole/destinataire';
    expectIssue(b, 'pdsm-reference-not-contained', `${LIST}.extension[3].valueReference.reference`);
  });

  it('lists entries of the bundle', () => {
    const b = bundle();
    submissionSetOf(b).entry[0].item.reference = 'urn:uuid:00000000-0000-4000-8000-000000000000';
    expectIssue(b, 'pdsm-item-unresolved', `${LIST}.entry[0].item.reference`);
    const c = bundle();
    submissionSetOf(c).entry[0].item.reference = c.entry[BIN].fullUrl;
    expectIssue(c, 'reference-type', `${LIST}.entry[0].item.reference`);
  });

  it('warns about a document the SubmissionSet does not list', () => {
    const extra = bundle();
    extra.entry.push({
      ...structuredClone(extra.entry[DR]),
      fullUrl: 'urn:uuid:4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a',
    });
    const issue = expectIssue(extra, 'pdsm-not-in-submissionset', 'Bundle.entry[3]', 'warning');
    assert.equal(issue.params?.type, 'DocumentReference');
  });

  it('warns when a document is not about the SubmissionSet’s patient', () => {
    const b = bundle();
    documentOf(b).subject.reference = 'Patient/autre-patient';
    expectIssue(b, 'pdsm-subject-mismatch', `${DOC}.subject`, 'warning');
  });

  it('warns on a designationType outside the terminologies of constr-bind-designationtype', () => {
    const b = bundle();
    submissionSetOf(b).extension[0].valueCodeableConcept.coding[0].system = 'http://snomed.info/sct';
    const issue = expectIssue(b, 'pdsm-terminology', `${LIST}.extension[0].valueCodeableConcept`, 'warning');
    assert.equal(issue.params?.rule, 'constr-bind-designationtype');
  });
});

describe('PDSm Folder', () => {
  const withFolder = (): Json => {
    const b = bundle();
    b.entry.push(folderEntry([b.entry[DR].fullUrl]));
    submissionSetOf(b).entry.push({ item: { reference: b.entry[3].fullUrl } });
    return b;
  };
  const FOLDER = 'Bundle.entry[3].resource';

  it('requires date, title, subject, entries and designationType', () => {
    const cases: [(f: Json) => void, string, string][] = [
      [(f) => delete f.date, `${FOLDER}.date`, 'profile-min'],
      [(f) => delete f.title, `${FOLDER}.title`, 'profile-min'],
      [(f) => delete f.subject, `${FOLDER}.subject`, 'profile-min'],
      [(f) => delete f.entry, `${FOLDER}.entry`, 'profile-min'],
      [(f) => delete f.extension, `${FOLDER}.extension`, 'extension-missing'],
      [(f) => (f.source = { reference: 'Practitioner/x' }), `${FOLDER}.source`, 'profile-forbidden'],
    ];
    for (const [mutate, expression, messageId] of cases) {
      const b = withFolder();
      mutate(b.entry[3].resource);
      expectIssue(b, messageId, expression);
    }
  });

  it('files documents: references into the bundle resolve', () => {
    const b = withFolder();
    b.entry[3].resource.entry[0].item.reference = 'urn:uuid:00000000-0000-4000-8000-000000000000';
    expectIssue(b, 'pdsm-item-unresolved', `${FOLDER}.entry[0].item.reference`);
    const c = withFolder();
    c.entry[3].resource.entry[0].item.reference = 'DocumentReference/deja-partagee';
    expectValid(c);
    const d = withFolder();
    d.entry[3].resource.entry[0].item.reference = 'Binary/cr-hospitalisation';
    expectIssue(d, 'reference-type', `${FOLDER}.entry[0].item.reference`);
  });

  it('is listed by the SubmissionSet', () => {
    const b = bundle();
    b.entry.push(folderEntry([b.entry[DR].fullUrl]));
    const issue = expectIssue(b, 'pdsm-not-in-submissionset', 'Bundle.entry[3]', 'warning');
    assert.equal(issue.params?.type, 'List');
  });
});

describe('ITI-105 simplified publish', () => {
  const simplified = (): Json => load('simplified-publish.json');
  const SP = 'DocumentReference.content[0].attachment';

  it('carries the document inline, never a URL', () => {
    const d = simplified();
    d.content[0].attachment.url = 'Binary/note-de-suivi';
    expectIssue(d, 'profile-forbidden', `${SP}.url`);
    const e = simplified();
    delete e.content[0].attachment.data;
    expectIssue(e, 'profile-min', `${SP}.data`);
  });

  it('leaves invalid base64 to the base structure, without a size or hash verdict', () => {
    const d = simplified();
    d.content[0].attachment.data = 'JVBERi0xLjQK%%%';
    expectIssue(d, 'format-base64', `${SP}.data`);
    assert.deepEqual(pdsmIssues(d), []);
  });

  it('compares size and hash with the inline data', () => {
    const d = simplified();
    d.content[0].attachment.size = 250000;
    const size = expectIssue(d, 'pdsm-size-mismatch', `${SP}.size`);
    assert.deepEqual(size.params, { declared: 250000, actual: 99 });
    const e = simplified();
    e.content[0].attachment.hash = '2jmj7l5rSw0yVb/vlWAYkK/YBwk=';
    expectIssue(e, 'pdsm-hash-mismatch', `${SP}.hash`);
    const f = simplified();
    delete f.content[0].attachment.size;
    delete f.content[0].attachment.hash;
    expectValid(f);
  });

  it('requires its metadata', () => {
    const cases: [(d: Json) => void, string, string][] = [
      [(d) => (d.status = 'superseded'), 'DocumentReference.status', 'profile-pattern'],
      [(d) => delete d.subject, 'DocumentReference.subject', 'profile-min'],
      [(d) => delete d.author, 'DocumentReference.author', 'profile-min'],
      [(d) => delete d.custodian, 'DocumentReference.custodian', 'profile-min'],
      [(d) => delete d.date, 'DocumentReference.date', 'profile-min'],
      [(d) => delete d.content[0].attachment.title, `${SP}.title`, 'profile-min'],
      [(d) => delete d.content[0].attachment.contentType, `${SP}.contentType`, 'profile-min'],
      [
        (d) => (d.context.event = [{ text: 'consultation' }, { text: 'suivi' }]),
        'DocumentReference.context.event',
        'profile-max',
      ],
    ];
    for (const [mutate, expression, messageId] of cases) {
      const d = simplified();
      mutate(d);
      expectIssue(d, messageId, expression);
    }
  });

  it('warns on a type outside the terminologies of constr-bind-type', () => {
    const d = simplified();
    d.type.coding[0].system = 'http://snomed.info/sct';
    expectIssue(d, 'pdsm-terminology', 'DocumentReference.type', 'warning');
  });

  it('applies only to a DocumentReference claiming the profile', () => {
    const d = simplified();
    delete d.meta;
    d.content[0].attachment.size = 1;
    assert.deepEqual(pdsmIssues(d), []);
  });
});

describe('FR Core patient INS', () => {
  const patient = (): Json => load('patient-ins.json');
  const ins = (code: string, system: string, use: string) => ({
    use,
    type: { coding: [{ system: V2_0203, code }] },
    system,
    value: '174122512345637',
  });

  it('checks the system of each INS identifier', () => {
    const p = patient();
    p.identifier[0].system = 'urn:oid:1.2.250.1.213.1.4.8';
    const issue = expectIssue(p, 'profile-pattern', 'Patient.identifier[0].system');
    assert.equal(issue.params?.expected, 'urn:oid:1.2.250.1.213.1.4.10');
    const q = patient();
    q.identifier[0] = ins('INS-NIR', 'urn:oid:1.2.250.1.213.1.4.10', 'official');
    expectIssue(q, 'profile-pattern', 'Patient.identifier[0].system');
    const r = patient();
    r.identifier[0] = ins('INS-NIA', 'urn:oid:1.2.250.1.213.1.4.8', 'official');
    expectIssue(r, 'profile-pattern', 'Patient.identifier[0].system');
  });

  it('checks the use of each INS identifier', () => {
    const p = patient();
    p.identifier[0].use = 'usual';
    expectIssue(p, 'profile-pattern', 'Patient.identifier[0].use');
    const q = patient();
    q.identifier[0] = ins('INS-NIR', 'urn:oid:1.2.250.1.213.1.4.8', 'temp');
    const issue = expectIssue(q, 'binding-required', 'Patient.identifier[0].use');
    assert.match(String(issue.params?.allowed), /official/);
    const r = patient();
    r.identifier[0] = ins('INS-NIR', 'urn:oid:1.2.250.1.213.1.4.8', 'official');
    expectValid(r);
    r.identifier[0].use = 'old';
    r.identifier.push(ins('INS-NIA', 'urn:oid:1.2.250.1.213.1.4.9', 'official'));
    expectValid(r);
  });

  it('requires the value of an INS identifier', () => {
    const p = patient();
    delete p.identifier[0].value;
    expectIssue(p, 'profile-min', 'Patient.identifier[0].value');
  });

  it('fr-core-1: a validated identity carries an official INS', () => {
    const p = patient();
    p.identifier[0] = {
      use: 'official',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'PI' }] },
      system: 'urn:oid:1.2.250.1.999.2',
      value: '00012345',
    };
    const { issues } = validateResource(p, { rules: 'ig' });
    const failed = issues.filter((i) => i.messageId === 'invariant-failed');
    assert.deepEqual(
      failed.map((i) => [i.params?.key, i.expression, i.severity]),
      [['fr-core-1', 'Patient.identifier', 'error']],
    );
  });

  it('fr-core-2: a validated identity has exactly one official identifier', () => {
    const p = patient();
    p.identifier.push(ins('INS-NIA', 'urn:oid:1.2.250.1.213.1.4.9', 'official'));
    const { issues } = validateResource(p, { rules: 'ig' });
    const failed = issues.filter((i) => i.messageId === 'invariant-failed');
    assert.deepEqual(
      failed.map((i) => [i.params?.key, i.expression, i.severity]),
      [['fr-core-2', 'Patient.identifier', 'error']],
    );
  });

  it('applies fr-core-1 and fr-core-2 only to a validated identity', () => {
    const p = patient();
    p.extension[0].extension[0].valueCoding.code = 'PROV';
    p.identifier[0].use = 'old';
    assert.equal(
      validateResource(p, { rules: 'ig' }).issues.some((i) => i.messageId === 'invariant-failed'),
      false,
    );
  });

  it('requires gender, birth date and an identifier', () => {
    for (const name of ['gender', 'birthDate', 'identifier']) {
      const p = patient();
      delete p[name];
      expectIssue(p, 'profile-min', `Patient.${name}`);
    }
  });

  it('requires one official (birth) name with one given name and the birth list of given names', () => {
    const p = patient();
    p.name[0].use = 'usual';
    const issue = expectIssue(p, 'slice-min', 'Patient.name');
    assert.equal(issue.params?.slice, 'officialName');
    const q = patient();
    q.name.push(structuredClone(q.name[0]));
    expectIssue(q, 'slice-max', 'Patient.name');
    const r = patient();
    r.name[0].given.push('Yves');
    expectIssue(r, 'profile-max', 'Patient.name[0].given');
    const s = patient();
    s.name[0].extension[0].url = `${FR_CORE}StructureDefinition/autre`;
    const list = expectIssue(s, 'slice-min', 'Patient.name[0].extension');
    assert.equal(list.params?.slice, 'birth-list-given-name');
  });

  it('requires the birth place with its INSEE code', () => {
    const p = patient();
    p.extension.splice(1, 1);
    const issue = expectIssue(p, 'slice-min', 'Patient.extension');
    assert.equal(issue.params?.slice, 'birthPlace');
    const q = patient();
    q.extension[1].valueAddress.extension[0].url = `${FR_CORE}StructureDefinition/autre`;
    const insee = expectIssue(q, 'slice-min', 'Patient.extension[1].valueAddress.extension');
    assert.equal(insee.params?.slice, 'inseeCode');
  });

  it('inherits the FR Core patient rules (family and given of the official name)', () => {
    const p = patient();
    delete p.name[0].family;
    expectIssue(p, 'profile-min', 'Patient.name[0].family');
  });
});

describe('messages', () => {
  it('has every PDSm message in French and English, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [id, message] of Object.entries(pdsmMessages)) {
      assert.match(id, /^(pdsm|frcore)-/);
      assert.ok(message.fr.length > 0 && message.en.length > 0, id);
      assert.deepEqual(placeholders(message.fr), placeholders(message.en), id);
      assert.ok(!/"/.test(message.fr), `${id}: French quotes are « »`);
      assert.equal(validationMessages[id], message, `${id} is merged in the catalogue`);
    }
  });

  it('names every issue the PDSm checks raise', () => {
    const b = bundle();
    documentOf(b).content[0].attachment.size = 1;
    documentOf(b).author[0].reference = 'Practitioner/x';
    submissionSetOf(b).entry[0].item.reference = 'urn:uuid:00000000-0000-4000-8000-000000000000';
    for (const issue of validateResource(b).issues) {
      assert.ok(validationMessages[issue.messageId], issue.messageId);
      assert.doesNotMatch(formatMessage(issue.messageId, 'fr', issue.params), /\{\w+\}/);
      assert.doesNotMatch(formatMessage(issue.messageId, 'en', issue.params), /\{\w+\}/);
    }
  });
});
