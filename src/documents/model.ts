/**
 * Health documents (documents de santé) shared through PDSm (IHE MHD) as pure rules: what an ITI-65 provide
 * bundle stores (the plan: server ids, references rewritten, bytes decoded), whether it names the caller's
 * citizen, what an ITI-67 search asks (parameters read, checked and turned into conditions), and the FHIR
 * answers (transaction-response, searchset). No I/O: the service reads and writes through the store.
 */
import { createHash } from 'node:crypto';
import { dateInterval, unstorableText } from '../measures/model.ts';

type Json = Record<string, unknown>;

/** The data category every document belongs to (consent: `documents.read`, `documents.write`). */
export const DOCUMENTS_CATEGORY = 'documents';

export const MHD_LIST_TYPES = 'https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes';
export const IS_ARCHIVED_URL =
  'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export type ListKind = 'submissionset' | 'folder';
export type DocumentStatus = 'current' | 'superseded' | 'entered-in-error';

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** A server id: the uuids mesref makes (anything else cannot name a stored resource). */
export const SERVER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// ── problems ────────────────────────────────────────────────────────────────

/**
 * Why a provide is refused after the validator passed it: a message key of `documentsMessages` (for a
 * person), the diagnostics in English (as MES words its own), and where.
 */
export interface Problem {
  code: 'invalid' | 'not-supported' | 'business-rule' | 'value' | 'required';
  messageKey: string;
  params?: Record<string, string>;
  diagnostics: string;
  expression: string;
}

// ── dates ───────────────────────────────────────────────────────────────────

/** The instants a FHIR date value covers, [start, end): the same reading as the measures searches. */
export interface DateRange {
  start: Date;
  end: Date;
}

/** Read as the measures API reads them: at the value's precision, Paris time when no offset is given. */
export const dateRange: (value: string) => DateRange | undefined = dateInterval;

const startOf = (value: unknown): Date | null =>
  typeof value === 'string' ? (dateRange(value)?.start ?? null) : null;

// ── what a search reads of a document ───────────────────────────────────────

/** `system|code` of the first coding with both, of a CodeableConcept or a Coding. */
function tokenOf(value: unknown): string | null {
  if (!isObject(value)) return null;
  const codings = 'coding' in value ? asArray(value.coding) : [value];
  for (const coding of codings) {
    if (isObject(coding) && typeof coding.system === 'string' && typeof coding.code === 'string')
      return `${coding.system}|${coding.code}`;
  }
  return null;
}

function identifierToken(value: unknown): string | null {
  if (!isObject(value) || typeof value.value !== 'string') return null;
  return `${typeof value.system === 'string' ? value.system : ''}|${value.value}`;
}

/** The columns ITI-67 searches on, read from a DocumentReference. */
export interface DocumentColumns {
  status: DocumentStatus;
  typeCode: string | null;
  categoryCode: string | null;
  formatCode: string | null;
  securityLabels: string[];
  date: Date | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  creation: Date | null;
  isArchived: boolean;
  masterIdentifier: string | null;
  identifiers: string[];
}

export function documentColumns(document: Json): DocumentColumns {
  const content = isObject(asArray(document.content)[0]) ? (asArray(document.content)[0] as Json) : {};
  const attachment = isObject(content.attachment) ? content.attachment : {};
  const context = isObject(document.context) ? document.context : {};
  const period = isObject(context.period) ? context.period : {};
  const master = identifierToken(document.masterIdentifier);
  const identifiers = [master, ...asArray(document.identifier).map(identifierToken)].filter(
    (token): token is string => token !== null,
  );
  return {
    status: (document.status as DocumentStatus) ?? 'current',
    typeCode: tokenOf(document.type),
    categoryCode: tokenOf(asArray(document.category)[0]),
    formatCode: tokenOf(content.format),
    securityLabels: asArray(document.securityLabel)
      .map(tokenOf)
      .filter((token): token is string => token !== null),
    date: startOf(document.date),
    periodStart: startOf(period.start),
    periodEnd: startOf(period.end),
    creation: startOf(attachment.creation),
    isArchived: asArray(document.extension).some(
      (extension) =>
        isObject(extension) && extension.url === IS_ARCHIVED_URL && extension.valueBoolean === true,
    ),
    masterIdentifier: master,
    identifiers,
  };
}

/** The kind of a List: a submission set or a folder (by its MHD list type code). */
export function listKind(resource: Json): ListKind | undefined {
  if (resource.resourceType !== 'List' || !isObject(resource.code)) return undefined;
  for (const coding of asArray(resource.code.coding)) {
    if (isObject(coding) && coding.system === MHD_LIST_TYPES) {
      if (coding.code === 'submissionset' || coding.code === 'folder') return coding.code;
    }
  }
  return undefined;
}

// ── who the bundle is about ─────────────────────────────────────────────────

/**
 * Whether a provide bundle names the caller's citizen. MES addresses patients by idPe: each subject (of the
 * documents, the submission set, the folders) is `{ identifier: { system: <idPe system>, value: <idPe> } }`.
 * A subject by another means, or in another system, is invalid (422); the right system with another value
 * is an idPe mismatch (403). A contained sourcePatientInfo naming an idPe must name the same.
 */
export function patientProblems(
  bundle: Json,
  idPeSystem: string,
  idPe: string,
): { problems: Problem[]; mismatch: boolean } {
  const problems: Problem[] = [];
  let mismatch = false;
  asArray(bundle.entry).forEach((entry, index) => {
    if (!isObject(entry) || !isObject(entry.resource)) return;
    const resource = entry.resource;
    const type = resource.resourceType;
    if (type !== 'DocumentReference' && !(type === 'List' && listKind(resource))) return;
    const at = `Bundle.entry[${index}].resource`;
    const identifier = isObject(resource.subject) ? resource.subject.identifier : undefined;
    if (!isObject(identifier) || typeof identifier.value !== 'string') {
      problems.push({
        code: 'invalid',
        messageKey: 'documents.problem.subject_identifier',
        diagnostics: `${type}.subject.identifier is mandatory.`,
        expression: `${at}.subject.identifier`,
      });
    } else if (identifier.system !== idPeSystem) {
      problems.push({
        code: 'invalid',
        messageKey: 'documents.problem.subject_system',
        params: { system: idPeSystem },
        diagnostics: `${type}.subject.identifier.system must be ${idPeSystem} (the idPe system).`,
        expression: `${at}.subject.identifier.system`,
      });
    } else if (identifier.value !== idPe) mismatch = true;
    if (type === 'DocumentReference' && isObject(resource.context)) {
      const source = resource.context.sourcePatientInfo;
      const reference = isObject(source) && typeof source.reference === 'string' ? source.reference : '';
      const patient = asArray(resource.contained).find(
        (contained) => isObject(contained) && reference === `#${String(contained.id)}`,
      );
      if (isObject(patient)) {
        for (const id of asArray(patient.identifier)) {
          if (isObject(id) && id.system === idPeSystem && id.value !== idPe) mismatch = true;
        }
      }
    }
  });
  return { problems, mismatch };
}

/** Entry kinds a provide stores; anything else (a Patient, an Observation, a DELETE without resource…) is refused. */
export function unsupportedEntries(bundle: Json): Problem[] {
  const problems: Problem[] = [];
  asArray(bundle.entry).forEach((entry, index) => {
    const resource = isObject(entry) && isObject(entry.resource) ? entry.resource : {};
    const type = String(resource.resourceType ?? 'none');
    const method = isObject(entry) && isObject(entry.request) ? String(entry.request.method) : '';
    const kind = listKind(resource);
    const accepted =
      (method === 'POST' && (type === 'DocumentReference' || type === 'Binary' || kind !== undefined)) ||
      (method === 'PUT' && kind === 'folder');
    if (!accepted) {
      problems.push({
        code: 'not-supported',
        messageKey: 'documents.problem.entry_not_supported',
        params: { type, method },
        diagnostics: `Resource of type ${type} is not acceptable with method ${method}.`,
        expression: `Bundle.entry[${index}]`,
      });
    }
  });
  return problems;
}

// ── the plan of a provide ───────────────────────────────────────────────────

export interface PlannedBinary {
  index: number;
  id: string;
  contentType: string;
  data: Buffer;
  size: number;
  /** Base64 SHA-1, as PDSm's attachment.hash. */
  sha1: string;
  /** Hex SHA-256, as every file mesref keeps. */
  sha256: string;
}

/** A `replaces` relation to resolve against the citizen's stored documents. */
export interface ReplaceTarget {
  /** Where it is in the document (relatesTo index). */
  relation: number;
  /** A stored id (`DocumentReference/<id>`), or an identifier (the replaced document's masterIdentifier). */
  id?: string;
  identifier?: string;
  /** As sent, for the diagnostics. */
  text: string;
}

export interface PlannedDocument {
  index: number;
  id: string;
  /** Without id and meta versions yet (`stamp` adds them); references to the bundle rewritten. */
  resource: Json;
  binaryId: string | null;
  replaces: ReplaceTarget[];
}

export interface PlannedList {
  index: number;
  id: string;
  kind: ListKind;
  /** POST creates; PUT updates a folder of the citizen (its id). */
  method: 'POST' | 'PUT';
  resource: Json;
}

export interface ProvidePlan {
  binaries: PlannedBinary[];
  documents: PlannedDocument[];
  lists: PlannedList[];
  /** Stored documents the lists file that the bundle does not bring: they must be the citizen's. */
  storedItems: Array<{ id: string; expression: string }>;
  /** Per request entry, in order: what it becomes. */
  entries: Array<{ type: 'Binary' | 'DocumentReference' | 'List'; id: string }>;
}

/** The bytes of a base64Binary (whitespace allowed, as in R4), or undefined when it is not base64. */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/[ \t\r\n]/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return undefined;
  return Buffer.from(compact, 'base64');
}

/** Deep copy of JSON with every `reference` (and attachment url) the bundle resolves rewritten. */
function rewrite(value: unknown, resolve: (reference: string) => string | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => rewrite(item, resolve));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'reference' && typeof item === 'string') out[key] = resolve(item) ?? item;
    else out[key] = rewrite(item, resolve);
  }
  return out;
}

const RELATIVE =
  /^(?:.*\/)?(DocumentReference|Binary|List)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/**
 * What a validated provide bundle (with only the entries `unsupportedEntries` accepts) stores: a server id
 * for each entry (a PUT folder keeps its own), the Binaries' bytes and digests, each DocumentReference's
 * attachment URL and every reference into the bundle (fullUrl, `Type/id`) rewritten to the stored ids, the
 * replacements to resolve and the stored documents the lists name. `newId` makes the server ids.
 */
export function planProvide(bundle: Json, newId: () => string): { plan: ProvidePlan; problems: Problem[] } {
  const problems: Problem[] = [];
  const targets = new Map<string, string>();
  const entries: ProvidePlan['entries'] = [];
  // `unsupportedEntries` passed every entry: each is an object with a resource and a request.
  const raw = asArray(bundle.entry) as Json[];
  raw.forEach((entry, index) => {
    const resource = entry.resource as Json;
    const type = resource.resourceType as 'Binary' | 'DocumentReference' | 'List';
    const request = entry.request as Json;
    let id = newId();
    if (request.method === 'PUT') {
      const m = /^List\/([^/?]+)$/.exec(String(request.url));
      if (m && SERVER_ID.test(m[1])) id = m[1];
      else {
        problems.push({
          code: 'invalid',
          messageKey: 'documents.problem.folder_unknown',
          params: { url: String(request.url) },
          diagnostics: `${String(request.url)} is not a folder of this patient.`,
          expression: `Bundle.entry[${index}].request.url`,
        });
      }
    }
    entries.push({ type, id });
    const stored = `${type}/${id}`;
    if (typeof entry.fullUrl === 'string' && !targets.has(entry.fullUrl)) targets.set(entry.fullUrl, stored);
    const local = typeof resource.id === 'string' ? `${type}/${resource.id}` : undefined;
    if (local && !targets.has(local)) targets.set(local, stored);
    const tail = typeof entry.fullUrl === 'string' ? RELATIVE.exec(entry.fullUrl) : null;
    if (tail && !targets.has(`${tail[1]}/${tail[2]}`)) targets.set(`${tail[1]}/${tail[2]}`, stored);
  });
  const resolve = (reference: string) => targets.get(reference);

  const plan: ProvidePlan = { binaries: [], documents: [], lists: [], storedItems: [], entries };
  raw.forEach((entry, index) => {
    const resource = entry.resource as Json;
    const { id } = entries[index];
    if (resource.resourceType === 'Binary') {
      const data = decodeBase64(typeof resource.data === 'string' ? resource.data : '') ?? Buffer.alloc(0);
      plan.binaries.push({
        index,
        id,
        contentType: String(resource.contentType),
        data,
        size: data.length,
        sha1: createHash('sha1').update(data).digest('base64'),
        sha256: createHash('sha256').update(data).digest('hex'),
      });
    } else if (resource.resourceType === 'DocumentReference') {
      const { id: _id, meta, ...rest } = resource;
      const rewritten = rewrite(rest, resolve) as Json;
      let binaryId: string | null = null;
      for (const content of asArray(rewritten.content)) {
        if (!isObject(content) || !isObject(content.attachment)) continue;
        const url = content.attachment.url;
        const target = typeof url === 'string' ? resolve(url) : undefined;
        if (target?.startsWith('Binary/')) {
          content.attachment.url = target;
          binaryId ??= target.slice('Binary/'.length);
        }
      }
      const replaces: ReplaceTarget[] = [];
      asArray(rewritten.relatesTo).forEach((relation, r) => {
        if (!isObject(relation) || relation.code !== 'replaces' || !isObject(relation.target)) return;
        const target = relation.target;
        if (typeof target.reference === 'string') {
          const m = RELATIVE.exec(target.reference);
          const storedId = m?.[1] === 'DocumentReference' && SERVER_ID.test(m[2]) ? m[2] : undefined;
          replaces.push({ relation: r, ...(storedId ? { id: storedId } : {}), text: target.reference });
        } else {
          const token = identifierToken(target.identifier);
          replaces.push({ relation: r, ...(token ? { identifier: token } : {}), text: token ?? '' });
        }
      });
      problems.push(...indexedProblems(rewritten, index));
      plan.documents.push({ index, id, resource: withMeta(rewritten, meta), binaryId, replaces });
    } else {
      const { id: _id, meta, ...rest } = resource;
      const rewritten = rewrite(rest, resolve) as Json;
      const kind = listKind(resource) as ListKind;
      asArray(rewritten.entry).forEach((item, i) => {
        const reference = isObject(item) && isObject(item.item) ? item.item.reference : undefined;
        if (typeof reference !== 'string' || [...targets.values()].includes(reference)) return;
        const m = RELATIVE.exec(reference);
        const expression = `Bundle.entry[${index}].resource.entry[${i}].item.reference`;
        if (m?.[1] === 'DocumentReference' && SERVER_ID.test(m[2])) {
          (item as { item: Json }).item.reference = `DocumentReference/${m[2]}`;
          plan.storedItems.push({ id: m[2], expression });
        } else {
          problems.push({
            code: 'invalid',
            messageKey: 'documents.problem.item_unknown',
            params: { reference },
            diagnostics: `List.entry.item ${reference} does not name a document of this bundle or of this patient.`,
            expression,
          });
        }
      });
      plan.lists.push({
        index,
        id,
        kind,
        method: (entry.request as Json).method === 'PUT' ? 'PUT' : 'POST',
        resource: withMeta(rewritten, meta),
      });
    }
  });
  return { plan, problems };
}

/**
 * Codes and the uniqueId are indexed: a database index entry holds a few kilobytes at most, and no real code
 * or XDS uniqueId (an OID, at most 64 characters in XDS) comes near this.
 */
export const MAX_INDEXED_LENGTH = 512;

function indexedProblems(document: Json, index: number): Problem[] {
  const columns = documentColumns(document);
  const at = `Bundle.entry[${index}].resource`;
  const fields: Array<[string | null, string]> = [
    [columns.masterIdentifier, 'masterIdentifier'],
    [columns.typeCode, 'type'],
    [columns.categoryCode, 'category'],
    [columns.formatCode, 'content.format'],
  ];
  return fields
    .filter(([value]) => value !== null && value.length > MAX_INDEXED_LENGTH)
    .map(([, element]) => ({
      code: 'value',
      messageKey: 'documents.problem.too_long',
      params: { element, max: String(MAX_INDEXED_LENGTH) },
      diagnostics: `DocumentReference.${element} is longer than ${MAX_INDEXED_LENGTH} characters.`,
      expression: `${at}.${element}`,
    }));
}

/** Puts back the meta a client sent (profile, source, tags), without its versions: the server sets them. */
function withMeta(resource: Json, meta: unknown): Json {
  if (!isObject(meta)) return resource;
  const { versionId: _v, lastUpdated: _l, ...kept } = meta;
  return Object.keys(kept).length > 0 ? { ...resource, meta: kept } : resource;
}

/** The resource as stored and answered: its server id, version and last update first. */
export function stamp(resource: Json, type: string, id: string, versionId: number, lastUpdated: Date): Json {
  const { resourceType: _t, id: _id, meta, ...rest } = resource;
  return {
    resourceType: type,
    id,
    meta: {
      ...(isObject(meta) ? meta : {}),
      versionId: String(versionId),
      lastUpdated: lastUpdated.toISOString(),
    },
    ...rest,
  };
}

/** A document superseded by a replacement: its new status, in a new version. */
export function supersede(resource: Json, versionId: number, lastUpdated: Date): Json {
  return stamp(
    { ...resource, status: 'superseded' },
    'DocumentReference',
    String(resource.id),
    versionId,
    lastUpdated,
  );
}

// ── answers ─────────────────────────────────────────────────────────────────

export interface EntryOutcome {
  type: string;
  id: string;
  versionId: number;
  lastUpdated: Date;
  created: boolean;
}

/** ITI-65's answer: one entry per request entry, in the same order. */
export function transactionResponse(outcomes: readonly EntryOutcome[]): Json {
  return {
    resourceType: 'Bundle',
    type: 'transaction-response',
    entry: outcomes.map((outcome) => ({
      response: {
        status: outcome.created ? '201 Created' : '200 OK',
        location: `${outcome.type}/${outcome.id}/_history/${outcome.versionId}`,
        etag: `W/"${outcome.versionId}"`,
        lastModified: outcome.lastUpdated.toISOString(),
      },
    })),
  };
}

/** The FHIR Binary of stored bytes. */
export function binaryResource(binary: {
  id: string;
  contentType: string;
  data: Buffer;
  createdAt: Date;
}): Json {
  return {
    resourceType: 'Binary',
    id: binary.id,
    meta: { versionId: '1', lastUpdated: binary.createdAt.toISOString() },
    contentType: binary.contentType,
    data: binary.data.toString('base64'),
  };
}

const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(?:\s*;\s*[\w!#$&^.+-]+=(?:[\w!#$&^.+-]+|"[ -!#-~]*"))*$/;

/** A content type safe to send in a header: the one given when it is a media type, else octet-stream. */
export function safeContentType(contentType: string): string {
  return MEDIA_TYPE.test(contentType) ? contentType : 'application/octet-stream';
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/xml': 'xml',
  'application/xml': 'xml',
  'application/hl7-v3+xml': 'xml',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tiff',
  'application/dicom': 'dcm',
  'text/rtf': 'rtf',
  'text/html': 'html',
};

/** A safe file name for a download: the document's title (letters, digits, spaces, dashes) and an extension. */
export function fileNameOf(title: string | undefined, contentType: string): string {
  const base =
    (title ?? '')
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9 _-]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 80) || 'document';
  const extension = EXTENSIONS[contentType.split(';')[0].trim().toLowerCase()];
  return extension ? `${base}.${extension}` : base;
}

// ── ITI-67: the search ──────────────────────────────────────────────────────

/** A token parameter value: `system|code`, `|code` (no system), `system|` (any code), `code` (any system). */
export interface Token {
  system?: string;
  code?: string;
}

export function parseToken(value: string): Token | undefined {
  const bar = value.indexOf('|');
  if (bar < 0) return value ? { code: value } : undefined;
  const system = value.slice(0, bar);
  const code = value.slice(bar + 1);
  if (!system && !code) return undefined;
  return { system, ...(code ? { code } : {}) };
}

export type DatePrefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le';
export type DateColumn = 'date' | 'period_start' | 'period_end' | 'creation';
export type TokenColumn = 'type_code' | 'category_code' | 'format_code' | 'security_labels' | 'identifiers';

export interface DateCondition {
  column: DateColumn;
  prefix: DatePrefix;
  range: DateRange;
}

export interface DocumentSearch {
  /** The idPe the search names (to compare with the caller's). */
  idPe: string;
  statuses: string[];
  /** Each parameter's values are alternatives (OR); parameters combine (AND). */
  tokens: Array<{ column: TokenColumn; values: Token[] }>;
  dates: DateCondition[];
  isArchived?: boolean;
  count: number;
  /** Page index (as the MES APIs count `_offset`). */
  offset: number;
  sort: 'date' | '-date';
}

const TOKEN_PARAMS: Record<string, TokenColumn> = {
  type: 'type_code',
  category: 'category_code',
  format: 'format_code',
  'security-label': 'security_labels',
  identifier: 'identifiers',
};
const DATE_PARAMS: Record<string, DateColumn> = {
  date: 'date',
  'period-start': 'period_start',
  'period-end': 'period_end',
  creation: 'creation',
};
const STATUSES = new Set(['current', 'superseded', 'entered-in-error']);
/** Accepted and ignored: the answer is always JSON. */
const IGNORED = new Set(['_format']);

export type SearchParse = { ok: true; search: DocumentSearch } | { ok: false; diagnostics: string };

/** Query or form parameters as name/value pairs, whatever shape the parser gave. */
export function parameterPairs(...sources: unknown[]): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const source of sources) {
    if (!isObject(source)) continue;
    for (const [name, value] of Object.entries(source)) {
      for (const item of asArray(value)) pairs.push([name, typeof item === 'string' ? item : String(item)]);
    }
  }
  return pairs;
}

const PARAM_INTEGER = /^\d{1,9}$/;

/**
 * Reads an ITI-67 search (`GET /DocumentReference?…` or its `_search` form). `patient` (`Patient/<idPe>` or
 * the idPe) or `patient.identifier` (`<idPe system>|<idPe>`) and `status` are required, as MHD says; an
 * unknown parameter, a malformed value or a page over the maximum is refused with MES's « Request not
 * valid » diagnostics.
 */
export function parseDocumentSearch(pairs: ReadonlyArray<[string, string]>, idPeSystem: string): SearchParse {
  const fail = (diagnostics: string): SearchParse => ({ ok: false, diagnostics });
  const unknown = [...new Set(pairs.map(([name]) => name))].filter(
    (name) =>
      !(
        name in TOKEN_PARAMS ||
        name in DATE_PARAMS ||
        IGNORED.has(name) ||
        ['patient', 'patient.identifier', 'status', 'isArchived', '_count', '_offset', '_sort'].includes(name)
      ),
  );
  if (unknown.length > 0) return fail(`Unknown search parameter(s): ${unknown.join(', ')}`);
  // The database compares no NUL and no half of a surrogate pair: such a value matches nothing it holds.
  const unsearchable = pairs.find(([, value]) => unstorableText(value));
  if (unsearchable)
    return fail(`${unsearchable[0]} holds a character that cannot be searched (NUL or a lone surrogate)`);
  const values = (name: string) => pairs.filter(([n]) => n === name).map(([, v]) => v);
  const single = (name: string): string | undefined | null => {
    const all = values(name);
    if (all.length > 1) return null;
    return all[0];
  };

  const named = new Set<string>();
  for (const value of values('patient')) {
    const m = /^(?:Patient\/)?([^/|,]+)$/.exec(value);
    if (!m) return fail(`patient must be Patient/<idPe> (received ${value})`);
    named.add(m[1]);
  }
  for (const value of values('patient.identifier')) {
    const bar = value.indexOf('|');
    const system = bar < 0 ? undefined : value.slice(0, bar);
    const idPe = bar < 0 ? value : value.slice(bar + 1);
    if (system !== undefined && system !== idPeSystem)
      return fail(`patient.identifier must be ${idPeSystem}|<idPe> (received ${value})`);
    if (!idPe) return fail('patient.identifier has no value');
    named.add(idPe);
  }
  if (named.size === 0) return fail('Search parameter patient or patient.identifier is mandatory');
  if (named.size > 1) return fail('patient and patient.identifier must name one patient');
  const statusValues = values('status').flatMap((value) => value.split(','));
  if (statusValues.length === 0) return fail('Search parameter status is mandatory');
  const badStatus = statusValues.find((status) => !STATUSES.has(status));
  if (badStatus !== undefined) return fail(`Unknown status: ${badStatus}`);

  const tokens: DocumentSearch['tokens'] = [];
  for (const [name, column] of Object.entries(TOKEN_PARAMS)) {
    for (const value of values(name)) {
      const alternatives = value.split(',').map(parseToken);
      if (alternatives.some((token) => token === undefined)) return fail(`${name} is not a token: ${value}`);
      tokens.push({ column, values: alternatives as Token[] });
    }
  }
  const dates: DateCondition[] = [];
  for (const [name, column] of Object.entries(DATE_PARAMS)) {
    for (const value of values(name)) {
      const m = /^(eq|ne|gt|lt|ge|le)?(.+)$/.exec(value);
      const range = m ? dateRange(m[2]) : undefined;
      if (!m || !range) return fail(`${name} is not a date: ${value}`);
      dates.push({ column, prefix: (m[1] as DatePrefix | undefined) ?? 'eq', range });
    }
  }

  const archived = single('isArchived');
  if (archived === null) return fail('isArchived may be given once');
  if (archived !== undefined && archived !== 'true' && archived !== 'false')
    return fail(`isArchived must be true or false (received ${archived})`);

  const countText = single('_count');
  if (countText === null) return fail('_count may be given once');
  let count = DEFAULT_PAGE_SIZE;
  if (countText !== undefined) {
    if (!PARAM_INTEGER.test(countText) || Number(countText) < 1)
      return fail(`_count must be a positive integer (received ${countText})`);
    count = Number(countText);
    if (count > MAX_PAGE_SIZE)
      return fail(`Maximum page size allowed is ${MAX_PAGE_SIZE}. Actual : ${count}`);
  }
  const offsetText = single('_offset');
  if (offsetText === null) return fail('_offset may be given once');
  if (offsetText !== undefined && !PARAM_INTEGER.test(offsetText))
    return fail(`_offset must be a page index (0, 1, …) (received ${offsetText})`);
  const sort = single('_sort') ?? '-date';
  if (sort !== 'date' && sort !== '-date') return fail('Sort parameter must be date or -date');

  return {
    ok: true,
    search: {
      idPe: [...named][0],
      statuses: [...new Set(statusValues)],
      tokens,
      dates,
      ...(archived !== undefined ? { isArchived: archived === 'true' } : {}),
      count,
      offset: offsetText === undefined ? 0 : Number(offsetText),
      sort,
    },
  };
}

/** The query string of a search's page: its own parameters, with `_count`, `_offset` and `_sort` set. */
export function pageQuery(
  pairs: ReadonlyArray<[string, string]>,
  search: DocumentSearch,
  offset: number,
): string {
  const query = new URLSearchParams();
  for (const [name, value] of pairs)
    if (!['_count', '_offset', '_sort'].includes(name)) query.append(name, value);
  query.set('_count', String(search.count));
  query.set('_offset', String(offset));
  query.set('_sort', search.sort);
  return query.toString();
}

/** ITI-67's answer: a searchset with the total and the links to this page, the next and the previous. */
export function searchsetBundle(options: {
  base: string;
  pairs: ReadonlyArray<[string, string]>;
  search: DocumentSearch;
  total: number;
  resources: Json[];
}): Json {
  const { base, pairs, search, total, resources } = options;
  const url = (offset: number) => `${base}/DocumentReference?${pageQuery(pairs, search, offset)}`;
  const link = [{ relation: 'self', url: url(search.offset) }];
  if ((search.offset + 1) * search.count < total)
    link.push({ relation: 'next', url: url(search.offset + 1) });
  if (search.offset > 0) link.push({ relation: 'previous', url: url(search.offset - 1) });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total,
    link,
    entry: resources.map((resource) => ({
      fullUrl: `${base}/DocumentReference/${String(resource.id)}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}
