/**
 * The PDSm rules a profile file cannot express: an ITI-65 provide bundle is checked as a whole (attachment
 * URLs resolving to a Binary of the bundle, the declared size and SHA-1 against the Binary's bytes, the
 * SubmissionSet's entries resolving to entries of the bundle, contained authors, request URLs), and an
 * ITI-105 simplified publish against its inline data. The PDSm invariants that have only a text (no FHIRPath)
 * are implemented here where the resource alone decides them.
 *
 * Invalid base64 is reported by the base R4 structure (`format-base64`); these checks then skip the size and
 * hash comparisons they cannot make.
 */
import { createHash } from 'node:crypto';
import {
  type IssueType,
  literal,
  type MessageParams,
  type Severity,
  type ValidationIssue,
} from './issues.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

const MHD_LIST_TYPES = 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes';
const AUTHOR_ORG = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-authorOrg';
const DESIGNATION_TYPE = 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType';
const INTENDED_RECIPIENT =
  'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-intended-recipient';

/** SHA-1 digests are 20 bytes. */
const SHA1_LENGTH = 20;

function push(
  issues: ValidationIssue[],
  severity: Severity,
  code: IssueType,
  messageId: string,
  expression: string,
  params?: MessageParams,
): void {
  issues.push(
    params ? { severity, code, messageId, expression, params } : { severity, code, messageId, expression },
  );
}

/** The bytes of a base64Binary (whitespace allowed, as in R4), or undefined when it is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[ \t\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

function sha1Base64(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('base64');
}

function listCode(resource: Json): string | undefined {
  if (resource.resourceType !== 'List' || !isObject(resource.code)) return undefined;
  for (const coding of asArray(resource.code.coding)) {
    if (isObject(coding) && coding.system === MHD_LIST_TYPES && typeof coding.code === 'string')
      return coding.code;
  }
  return undefined;
}

// ── Terminologies named by the PDSm text-only invariants ──────────────────────────────────────────────

interface Terminology {
  label: string;
  /** Exact system URIs. */
  systems?: string[];
  /** OID of the terminology (`urn:oid:` form). */
  oid?: string;
  /** ANS code of the reference terminology, as it appears in its FHIR URI (`TRE_A05`). */
  tre?: string;
}

interface TerminologyRule {
  key: string;
  terminologies: Terminology[];
}

const TRE_A00: Terminology = {
  label: 'TRE_A00-ProducteurDocNonPS',
  oid: '1.2.250.1.213.1.1.4.6',
  tre: 'TRE_A00',
};
const TRE_A10: Terminology = { label: 'TRE_A10-NomenclatureURN', tre: 'TRE_A10' };
const TRE_R02: Terminology = { label: 'TRE_R02-SecteurActivite', oid: '1.2.250.1.71.4.2.4', tre: 'TRE_R02' };

const CONSTR_BIND_TYPE: TerminologyRule = {
  key: 'constr-bind-type',
  terminologies: [
    { label: 'TRE_A05-TypeDocComplementaireCISIS', oid: '1.2.250.1.213.1.1.4.12', tre: 'TRE_A05' },
    { label: 'LOINC', systems: ['http://loinc.org'], oid: '2.16.840.1.113883.6.1', tre: 'TRE_A04' },
    { label: 'TRE_A12-NomenclatureASTM', tre: 'TRE_A12' },
  ],
};
const CONSTR_BIND_CATEGORY: TerminologyRule = {
  key: 'constr-bind-category',
  terminologies: [{ label: 'TRE_A03-ClasseDocument', oid: '1.2.250.1.213.1.1.4.1', tre: 'TRE_A03' }, TRE_A10],
};
const CONSTR_BIND_FORMAT: TerminologyRule = {
  key: 'constr-bind-format',
  terminologies: [
    { label: 'TRE_A06-FormatCodeComplementaire', oid: '1.2.250.1.213.1.1.4.2.282', tre: 'TRE_A06' },
    { label: 'TRE_A11-IheFormatCode', oid: '1.3.6.1.4.1.19376.1.2.3', tre: 'TRE_A11' },
    { label: 'TRE_A09-DICOMuidRegistry', oid: '1.2.840.10008.2.6.1', tre: 'TRE_A09' },
    TRE_A10,
  ],
};
/** PDSm attaches it to practiceSetting too, but its text (and the IG's own example) is about facilityType only. */
const CONSTR_BIND_PRODUCTEUR_DOC: TerminologyRule = {
  key: 'constr-bind-ProducteurDoc',
  terminologies: [TRE_A00, TRE_R02],
};
const CONSTR_BIND_DESIGNATION_TYPE: TerminologyRule = {
  key: 'constr-bind-designationtype',
  terminologies: [
    TRE_A00,
    { label: 'TRE_R209-TypeActivite', oid: '1.2.250.1.213.2.2', tre: 'TRE_R209' },
    TRE_R02,
  ],
};

function inTerminology(system: string, terminology: Terminology): boolean {
  if (terminology.systems?.includes(system)) return true;
  if (terminology.oid && system === `urn:oid:${terminology.oid}`) return true;
  if (terminology.tre) {
    // ANS URIs: https://mos.esante.gouv.fr/NOS/TRE_A05-Name/FHIR/TRE-A05-Name
    const dashed = terminology.tre.replace('_', '-');
    return system.includes(`/${terminology.tre}-`) || system.includes(`/${dashed}-`);
  }
  return false;
}

/**
 * A PDSm text-only terminology invariant: some coding must come from one of the terminologies it names. The
 * ANS URIs are matched on their terminology code, so the rule warns rather than refuses.
 */
function checkTerminology(
  issues: ValidationIssue[],
  value: unknown,
  expression: string,
  rule: TerminologyRule,
): void {
  if (!isObject(value)) return;
  const codings = 'coding' in value ? asArray(value.coding).filter(isObject) : [value];
  const systems = codings.map((coding) => coding.system).filter((system) => typeof system === 'string');
  if (systems.length === 0) return;
  if (systems.some((system) => rule.terminologies.some((terminology) => inTerminology(system, terminology))))
    return;
  push(issues, 'warning', 'code-invalid', 'pdsm-terminology', expression, {
    rule: rule.key,
    systems: systems.join(', '),
    allowed: rule.terminologies.map((terminology) => terminology.label).join(', '),
  });
}

function checkDocumentTerminologies(
  issues: ValidationIssue[],
  document: Json,
  expression: string,
  facility: boolean,
): void {
  checkTerminology(issues, document.type, `${expression}.type`, CONSTR_BIND_TYPE);
  asArray(document.category).forEach((category, index) => {
    checkTerminology(issues, category, `${expression}.category[${index}]`, CONSTR_BIND_CATEGORY);
  });
  asArray(document.content).forEach((content, index) => {
    if (isObject(content))
      checkTerminology(issues, content.format, `${expression}.content[${index}].format`, CONSTR_BIND_FORMAT);
  });
  if (facility && isObject(document.context)) {
    checkTerminology(
      issues,
      document.context.facilityType,
      `${expression}.context.facilityType`,
      CONSTR_BIND_PRODUCTEUR_DOC,
    );
  }
}

// ── The document bytes: size and SHA-1 ─────────────────────────────────────────────────────────────────

/** Compares an attachment's declared size and hash with the bytes of the document. */
function checkBytes(issues: ValidationIssue[], attachment: Json, bytes: Buffer, expression: string): void {
  if (typeof attachment.size === 'number' && attachment.size !== bytes.length) {
    push(issues, 'error', 'value', 'pdsm-size-mismatch', `${expression}.size`, {
      declared: attachment.size,
      actual: bytes.length,
    });
  }
  if (typeof attachment.hash !== 'string') return;
  const declared = decodeBase64(attachment.hash);
  // Not base64 at all: the base R4 structure says so.
  if (!declared) return;
  if (declared.length !== SHA1_LENGTH) {
    push(issues, 'error', 'value', 'pdsm-hash-not-sha1', `${expression}.hash`, { length: declared.length });
    return;
  }
  const actual = sha1Base64(bytes);
  if (!declared.equals(Buffer.from(actual, 'base64'))) {
    push(issues, 'error', 'value', 'pdsm-hash-mismatch', `${expression}.hash`, {
      declared: attachment.hash,
      actual,
    });
  }
}

function mediaType(value: unknown): string | undefined {
  return typeof value === 'string' ? value.split(';')[0].trim().toLowerCase() : undefined;
}

// ── Contained references (MHD Comprehensive: author, authenticator, sourcePatientInfo, source) ─────────

/**
 * A reference MHD Comprehensive wants to a contained resource (`#id`), of one of `types`. `at` is the
 * expression of the Reference.
 */
function checkContained(
  issues: ValidationIssue[],
  container: Json,
  reference: unknown,
  at: string,
  types: readonly string[],
): void {
  if (!isObject(reference)) return;
  const target = reference.reference;
  if (typeof target !== 'string') {
    push(issues, 'error', 'structure', 'pdsm-reference-not-contained', at, { reference: '' });
    return;
  }
  if (!target.startsWith('#')) {
    push(issues, 'error', 'structure', 'pdsm-reference-not-contained', `${at}.reference`, {
      reference: target,
    });
    return;
  }
  const id = target.slice(1);
  const found = asArray(container.contained).find((resource) => isObject(resource) && resource.id === id) as
    | Json
    | undefined;
  if (!found) {
    push(issues, 'error', 'invalid', 'pdsm-contained-missing', `${at}.reference`, { reference: target });
    return;
  }
  if (typeof found.resourceType !== 'string' || !types.includes(found.resourceType)) {
    push(issues, 'error', 'value', 'reference-type', `${at}.reference`, {
      reference: target,
      allowed: types.join(', '),
    });
  }
}

function checkDocumentContained(issues: ValidationIssue[], document: Json, expression: string): void {
  asArray(document.author).forEach((author, index) => {
    checkContained(issues, document, author, `${expression}.author[${index}]`, [
      'Practitioner',
      'PractitionerRole',
      'Device',
      'Patient',
    ]);
  });
  checkContained(issues, document, document.authenticator, `${expression}.authenticator`, [
    'Practitioner',
    'PractitionerRole',
    'Organization',
  ]);
  if (isObject(document.context)) {
    checkContained(
      issues,
      document,
      document.context.sourcePatientInfo,
      `${expression}.context.sourcePatientInfo`,
      ['Patient'],
    );
  }
}

/** relatesTo: at most one replacement (constr-bind-relatesTo), each naming its target. */
function checkRelatesTo(issues: ValidationIssue[], document: Json, expression: string): void {
  const relations = asArray(document.relatesTo);
  let replaces = 0;
  relations.forEach((relation, index) => {
    if (!isObject(relation)) return;
    if (relation.code === 'replaces') replaces++;
    const target = relation.target;
    if (isObject(target) && typeof target.reference !== 'string' && !isObject(target.identifier)) {
      push(issues, 'error', 'required', 'pdsm-relatesto-target', `${expression}.relatesTo[${index}].target`);
    }
  });
  if (replaces > 1) {
    push(issues, 'error', 'structure', 'pdsm-relatesto-replaces-max', `${expression}.relatesTo`, {
      count: replaces,
    });
  }
}

// ── The ITI-65 provide bundle ──────────────────────────────────────────────────────────────────────────

interface Entry {
  index: number;
  fullUrl?: string;
  resource?: Json;
  type?: string;
  id?: string;
  method?: string;
}

const RELATIVE_REFERENCE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** Finds the entry a reference designates: by fullUrl, or `Type/id` against the entries' ids and fullUrls. */
function resolver(entries: readonly Entry[]): (reference: string) => Entry | undefined {
  const byFullUrl = new Map<string, Entry>();
  for (const entry of entries)
    if (entry.fullUrl && !byFullUrl.has(entry.fullUrl)) byFullUrl.set(entry.fullUrl, entry);
  return (reference) => {
    const exact = byFullUrl.get(reference);
    if (exact) return exact;
    const relative = RELATIVE_REFERENCE.exec(reference);
    if (!relative) return undefined;
    const [, type, id] = relative;
    return entries.find(
      (entry) =>
        entry.type === type && (entry.id === id || entry.fullUrl?.endsWith(`/${type}/${id}`) === true),
    );
  };
}

function sameSubject(a: unknown, b: unknown): boolean {
  if (!isObject(a) || !isObject(b)) return true;
  if (typeof a.reference === 'string' && typeof b.reference === 'string') return a.reference === b.reference;
  const ia = isObject(a.identifier) ? a.identifier : undefined;
  const ib = isObject(b.identifier) ? b.identifier : undefined;
  if (ia && ib) return ia.system === ib.system && ia.value === ib.value;
  // One by reference, the other by identifier: nothing to compare without the server.
  return true;
}

/** POST: the resource type; PUT: `Type/id` (or a conditional `Type?…`). */
function checkRequestUrl(issues: ValidationIssue[], entry: Entry, request: Json): void {
  if (!entry.type || typeof request.url !== 'string') return;
  const url = request.url;
  const at = `Bundle.entry[${entry.index}].request.url`;
  if (entry.method === 'POST' && url !== entry.type) {
    push(issues, 'error', 'value', 'pdsm-request-url', at, {
      method: 'POST',
      expected: entry.type,
      actual: url,
    });
  } else if (entry.method === 'PUT' && !url.startsWith(`${entry.type}?`)) {
    const expected = `${entry.type}/${entry.id ?? '<id>'}`;
    if (url !== expected)
      push(issues, 'error', 'value', 'pdsm-request-url', at, { method: 'PUT', expected, actual: url });
  }
}

/** Rules of an ITI-65 provide bundle (a transaction Bundle holding a SubmissionSet List) beyond its profiles. */
export function checkDocumentsBundle(bundle: Json, issues: ValidationIssue[]): void {
  // Another Bundle type is refused by the profile's type pattern; its entries carry no requests to check.
  if (bundle.type !== 'transaction') return;
  const entries: Entry[] = [];
  const seenFullUrls = new Map<string, number>();
  asArray(bundle.entry).forEach((raw, index) => {
    if (!isObject(raw)) return;
    const resource = isObject(raw.resource) ? raw.resource : undefined;
    const request = isObject(raw.request) ? raw.request : undefined;
    const entry: Entry = {
      index,
      fullUrl: typeof raw.fullUrl === 'string' ? raw.fullUrl : undefined,
      resource,
      type: typeof resource?.resourceType === 'string' ? resource.resourceType : undefined,
      id: typeof resource?.id === 'string' ? resource.id : undefined,
      method: typeof request?.method === 'string' ? request.method : undefined,
    };
    entries.push(entry);
    if (entry.fullUrl) {
      const first = seenFullUrls.get(entry.fullUrl);
      if (first !== undefined) {
        push(issues, 'error', 'invalid', 'pdsm-fullurl-duplicate', `Bundle.entry[${index}].fullUrl`, {
          fullUrl: entry.fullUrl,
          first,
        });
      } else seenFullUrls.set(entry.fullUrl, index);
    }
    if (request) checkRequestUrl(issues, entry, request);
  });
  const resolve = resolver(entries);
  const documents = entries.filter((entry) => entry.type === 'DocumentReference' && entry.resource);
  const submissionSets = entries.filter(
    (entry) => entry.resource && listCode(entry.resource) === 'submissionset',
  );
  const folders = entries.filter((entry) => entry.resource && listCode(entry.resource) === 'folder');
  const checkedBinaries = new Set<number>();

  for (const entry of documents) {
    const document = entry.resource as Json;
    const at = `Bundle.entry[${entry.index}].resource`;
    asArray(document.content).forEach((content, c) => {
      if (!isObject(content) || !isObject(content.attachment)) return;
      const attachment = content.attachment;
      const attachmentAt = `${at}.content[${c}].attachment`;
      if (typeof attachment.url !== 'string') return;
      const target = resolve(attachment.url);
      if (!target) {
        push(issues, 'error', 'invalid', 'pdsm-attachment-unresolved', `${attachmentAt}.url`, {
          url: attachment.url,
        });
        return;
      }
      if (target.type !== 'Binary') {
        push(issues, 'error', 'invalid', 'pdsm-attachment-not-binary', `${attachmentAt}.url`, {
          url: attachment.url,
          type: target.type ?? '',
        });
        return;
      }
      const binary = target.resource as Json;
      const binaryAt = `Bundle.entry[${target.index}].resource`;
      if (typeof binary.data !== 'string') {
        if (!checkedBinaries.has(target.index)) {
          push(issues, 'error', 'required', 'pdsm-binary-data-missing', `${binaryAt}.data`);
          checkedBinaries.add(target.index);
        }
        return;
      }
      const bytes = decodeBase64(binary.data);
      if (bytes) checkBytes(issues, attachment, bytes, attachmentAt);
      const declaredType = mediaType(attachment.contentType);
      const binaryType = mediaType(binary.contentType);
      if (declaredType && binaryType && declaredType !== binaryType) {
        push(issues, 'warning', 'value', 'pdsm-content-type-mismatch', `${attachmentAt}.contentType`, {
          declared: literal(attachment.contentType),
          actual: literal(binary.contentType),
        });
      }
    });
    checkDocumentContained(issues, document, at);
    checkRelatesTo(issues, document, at);
    checkDocumentTerminologies(issues, document, at, true);
  }

  for (const entry of submissionSets) {
    const list = entry.resource as Json;
    const at = `Bundle.entry[${entry.index}].resource`;
    const members = new Set<number>();
    asArray(list.entry).forEach((item, i) => {
      if (!isObject(item) || !isObject(item.item)) return;
      const itemAt = `${at}.entry[${i}].item`;
      const reference = item.item.reference;
      if (typeof reference !== 'string') {
        push(issues, 'error', 'invalid', 'pdsm-item-unresolved', itemAt, { reference: '' });
        return;
      }
      const target = resolve(reference);
      if (!target) {
        push(issues, 'error', 'invalid', 'pdsm-item-unresolved', `${itemAt}.reference`, { reference });
        return;
      }
      members.add(target.index);
      if (
        target.type !== 'DocumentReference' &&
        !(target.resource && listCode(target.resource) === 'folder')
      ) {
        push(issues, 'error', 'value', 'reference-type', `${itemAt}.reference`, {
          reference,
          allowed: 'DocumentReference, List (folder)',
        });
      }
    });
    for (const submitted of [...documents, ...folders]) {
      if (!members.has(submitted.index)) {
        push(
          issues,
          'warning',
          'business-rule',
          'pdsm-not-in-submissionset',
          `Bundle.entry[${submitted.index}]`,
          {
            type: submitted.type ?? '',
          },
        );
      }
    }
    for (const document of documents) {
      const subject = (document.resource as Json).subject;
      if (!sameSubject(subject, list.subject)) {
        push(
          issues,
          'warning',
          'business-rule',
          'pdsm-subject-mismatch',
          `Bundle.entry[${document.index}].resource.subject`,
        );
      }
    }
    checkSubmissionSetSource(issues, list, at);
    asArray(list.extension).forEach((extension, index) => {
      if (isObject(extension) && extension.url === DESIGNATION_TYPE) {
        checkTerminology(
          issues,
          extension.valueCodeableConcept,
          `${at}.extension[${index}].valueCodeableConcept`,
          CONSTR_BIND_DESIGNATION_TYPE,
        );
      }
    });
  }

  // A folder may file documents already shared; only its references into the bundle (urn:) must resolve.
  for (const entry of folders) {
    const at = `Bundle.entry[${entry.index}].resource`;
    asArray((entry.resource as Json).entry).forEach((item, i) => {
      if (!isObject(item) || !isObject(item.item)) return;
      const reference = item.item.reference;
      if (typeof reference === 'string' && reference.startsWith('urn:') && !resolve(reference)) {
        push(issues, 'error', 'invalid', 'pdsm-item-unresolved', `${at}.entry[${i}].item.reference`, {
          reference,
        });
      }
    });
  }
}

/** The SubmissionSet's author: a contained person or device in source, or a contained organization in authorOrg. */
function checkSubmissionSetSource(issues: ValidationIssue[], list: Json, expression: string): void {
  asArray(list.extension).forEach((extension, index) => {
    if (isObject(extension) && extension.url === INTENDED_RECIPIENT) {
      checkContained(
        issues,
        list,
        extension.valueReference,
        `${expression}.extension[${index}].valueReference`,
        ['Practitioner', 'PractitionerRole', 'Organization'],
      );
    }
  });
  const source = list.source;
  if (!isObject(source)) return;
  const at = `${expression}.source`;
  let authorOrg = false;
  asArray(source.extension).forEach((extension, index) => {
    if (!isObject(extension) || extension.url !== AUTHOR_ORG) return;
    authorOrg = true;
    checkContained(issues, list, extension.valueReference, `${at}.extension[${index}].valueReference`, [
      'Organization',
    ]);
  });
  if (typeof source.reference === 'string' || isObject(source.identifier)) {
    checkContained(issues, list, source, at, ['PractitionerRole', 'Device', 'Patient']);
  } else if (!authorOrg) {
    push(issues, 'error', 'required', 'pdsm-source-author', at);
  }
}

// ── ITI-105 simplified publish ─────────────────────────────────────────────────────────────────────────

/** Rules of a simplified publish DocumentReference beyond its profile: the inline document and its metadata. */
export function checkSimplifiedPublish(
  documentReference: Json,
  expression: string,
  issues: ValidationIssue[],
): void {
  asArray(documentReference.content).forEach((content, c) => {
    if (!isObject(content) || !isObject(content.attachment)) return;
    const attachment = content.attachment;
    if (typeof attachment.data !== 'string') return;
    const bytes = decodeBase64(attachment.data);
    if (bytes) checkBytes(issues, attachment, bytes, `${expression}.content[${c}].attachment`);
  });
  checkDocumentTerminologies(issues, documentReference, expression, false);
}
