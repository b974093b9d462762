/**
 * Health measures (Mesures de santé) as pure rules: which data category and search code an Observation has,
 * what a push Bundle asks to store and how the stored resources look, the search parameters of the MES API
 * (API Mesures v1.5.2, §2.3) with its exact error texts, and the Bundles the API answers. No I/O.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ── data categories and codes ───────────────────────────────────────────────

/** A data category of the referential, as far as measures need it. */
export interface MeasureCategory {
  code: string;
  /** Codes of the Observations of this category (LOINC, CI-SIS). */
  codes?: readonly string[];
  /** Codes MES searches under another code of the category (the referential's `searchCodes`). */
  searchCodes?: Readonly<Record<string, string>>;
}

/**
 * The code a search names for an Observation coded `code`: its category's `searchCodes` say when MES searches
 * it under another (head circumference 9843-4 under 8287-5; interstitial glucose 99504-3 under MED-969). A
 * measure is stored under its search code, so both spellings find it.
 */
export function searchCodeOf(categories: readonly MeasureCategory[], code: string): string {
  for (const category of categories) {
    const other = category.searchCodes?.[code];
    if (other !== undefined) return other;
  }
  return code;
}

/** The data category whose codes contain `code` (or its search code). */
export function categoryOfCode(categories: readonly MeasureCategory[], code: string): string | undefined {
  const search = searchCodeOf(categories, code);
  for (const category of categories) {
    if (category.codes?.some((c) => c === code || searchCodeOf(categories, c) === search))
      return category.code;
  }
  return undefined;
}

/** The codes of `Observation.code.coding`, in order. */
export function codesOf(resource: Json): string[] {
  const code = isObject(resource.code) ? resource.code : undefined;
  const codings = code && Array.isArray(code.coding) ? code.coding : [];
  return codings
    .filter(isObject)
    .map((coding) => coding.code)
    .filter((c): c is string => typeof c === 'string' && c.length > 0);
}

/** An Observation's data category and search code: its first coding that a category names. */
export function classify(
  categories: readonly MeasureCategory[],
  resource: Json,
): { category: string; code: string } | undefined {
  for (const code of codesOf(resource)) {
    const category = categoryOfCode(categories, code);
    if (category) return { category, code: searchCodeOf(categories, code) };
  }
  return undefined;
}

// ── dates ───────────────────────────────────────────────────────────────────

/**
 * Instants are compared in Europe/Paris when a value gives no offset (a day, or a time without zone), as a
 * person in France means it: `date=2024-03-05` covers 5 March, midnight to midnight, Paris time.
 */
const TIME_ZONE = 'Europe/Paris';
const parisParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Milliseconds since the epoch of a wall-clock time read as UTC (years below 100 kept as they are). */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

/** Paris's offset from UTC at an instant, in milliseconds. */
function parisOffset(instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of parisParts.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = utcMs(parts.year, parts.month, parts.day, parts.hour, parts.minute, parts.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant of a Paris wall-clock time (given as if UTC). */
function fromParis(wall: number): number {
  const first = wall - parisOffset(wall);
  const second = wall - parisOffset(first);
  return second;
}

const DATE_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** The interval a FHIR date or dateTime covers at its precision: [start, end). */
export function dateInterval(value: string): { start: Date; end: Date } | undefined {
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);
  if (year < 1 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(utcMs(year, month + 1, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return undefined;
  const wallStart = utcMs(year, month, day, hour, minute, second, ms);
  const wallEnd =
    m[2] === undefined
      ? utcMs(year + 1, 1, 1)
      : m[3] === undefined
        ? utcMs(year, month + 1, 1)
        : m[4] === undefined
          ? utcMs(year, month, day + 1)
          : m[6] === undefined
            ? wallStart + 60_000
            : m[7] === undefined
              ? wallStart + 1000
              : wallStart + 1;
  const zone = m[8];
  let start: number;
  let end: number;
  if (zone === undefined) {
    start = fromParis(wallStart);
    end = fromParis(wallEnd);
  } else {
    const offset =
      zone === 'Z'
        ? 0
        : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
    if (Math.abs(offset) > 14 * 3_600_000) return undefined;
    start = wallStart - offset;
    end = wallEnd - offset;
  }
  if (!Number.isFinite(start) || !Number.isFinite(end)) return undefined;
  return { start: new Date(start), end: new Date(end) };
}

/** The instant an Observation was measured: the start of its effectiveDateTime. */
export function effectiveInstant(resource: Json): Date | undefined {
  return typeof resource.effectiveDateTime === 'string'
    ? dateInterval(resource.effectiveDateTime)?.start
    : undefined;
}

// ── the push Bundle ─────────────────────────────────────────────────────────

/** What a (valid) measures push Bundle asks to store. */
export interface PushPlan {
  observation: { index: number; resource: Json };
  device?: { index: number; resource: Json; identifier: { system: string; value: string } };
}

/** `identifier=urn:oid:<OID>|<ID>` of a Device's conditional create: its identifier system and value. */
export function parseIfNoneExist(value: unknown): { system: string; value: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^identifier=(urn:oid:[0-9]+(?:\.[0-9]+)+)\|([a-zA-Z0-9]+(?:-[a-zA-Z0-9]+)*)$/.exec(value);
  return m ? { system: m[1], value: m[2] } : undefined;
}

/**
 * The Observation and Device of a push Bundle the validator accepted (one Observation, at most one Device
 * with a valid `ifNoneExist`); undefined when the Bundle is not of that shape.
 */
export function pushPlanOf(bundle: Json): PushPlan | undefined {
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  let plan: Partial<PushPlan> = {};
  for (const [index, entry] of entries.entries()) {
    if (!isObject(entry) || !isObject(entry.resource)) return undefined;
    const resource = entry.resource;
    if (resource.resourceType === 'Observation' && !plan.observation) {
      plan = { ...plan, observation: { index, resource } };
    } else if (resource.resourceType === 'Device' && !plan.device) {
      const request = isObject(entry.request) ? entry.request : {};
      const identifier = parseIfNoneExist(request.ifNoneExist);
      if (!identifier) return undefined;
      plan = { ...plan, device: { index, resource, identifier } };
    } else return undefined;
  }
  return plan.observation ? (plan as PushPlan) : undefined;
}

const LONE_SURROGATE = /\p{Cs}/u;

/** Why PostgreSQL could not store a string: half of a surrogate pair, or a NUL character. */
export type UnstorableText = 'lone-surrogate' | 'nul';

function unstorableString(text: string): UnstorableText | undefined {
  if (text.includes('\u0000')) return 'nul';
  return LONE_SURROGATE.test(text) ? 'lone-surrogate' : undefined;
}

/**
 * Whether a JSON value holds a string (or a key) that PostgreSQL's text and jsonb refuse (half of a surrogate
 * pair, which JavaScript reads; the NUL character, which JSON may escape), so it is refused as input rather
 * than failing the write.
 */
export function unstorableText(value: unknown, depth = 0): UnstorableText | undefined {
  if (typeof value === 'string') return unstorableString(value);
  if (depth > 64 || typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = unstorableText(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const found = unstorableString(key) ?? unstorableText(item, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** `subject.identifier` of an Observation. */
export function subjectOf(resource: Json): { system?: string; value?: string } {
  const subject = isObject(resource.subject) ? resource.subject : {};
  const identifier = isObject(subject.identifier) ? subject.identifier : {};
  return {
    ...(typeof identifier.system === 'string' ? { system: identifier.system } : {}),
    ...(typeof identifier.value === 'string' ? { value: identifier.value } : {}),
  };
}

/** The Device id an Observation references (`Device/<id>`), if any. */
export function deviceReferenceOf(resource: Json): string | undefined {
  const device = isObject(resource.device) ? resource.device : undefined;
  const reference = device?.reference;
  if (typeof reference !== 'string') return undefined;
  const m = /^Device\/([A-Za-z0-9\-.]{1,64})$/.exec(reference);
  return m ? m[1] : undefined;
}

/** meta of a stored resource: the server's id, version 1 and time; the writer's OID as source when absent. */
function withServerMeta(resource: Json, id: string, lastUpdated: Date, source?: string): Json {
  const meta = isObject(resource.meta) ? resource.meta : {};
  return {
    ...resource,
    id,
    meta: {
      ...meta,
      versionId: '1',
      lastUpdated: lastUpdated.toISOString(),
      ...(source && typeof meta.source !== 'string' ? { source } : {}),
    },
  };
}

/**
 * The Observation as stored: the server's id, versionId 1, lastUpdated, meta.source set to the writing
 * service when it gave none (as MES does), its device reference pointing at the stored Device. The subject
 * stays the identifier (idPe) the service sent.
 */
export function storedObservation(
  resource: Json,
  stored: { id: string; lastUpdated: Date; serviceOid: string; deviceId?: string },
): Json {
  const out = withServerMeta(resource, stored.id, stored.lastUpdated, `urn:oid:${stored.serviceOid}`);
  if (stored.deviceId) {
    const device = isObject(resource.device) ? resource.device : {};
    out.device = { ...device, reference: `Device/${stored.deviceId}` };
  }
  return out;
}

/** The Device as stored: the server's id, versionId 1, lastUpdated. */
export function storedDevice(resource: Json, stored: { id: string; lastUpdated: Date }): Json {
  return withServerMeta(resource, stored.id, stored.lastUpdated);
}

/** One entry of a `transaction-response`. */
export interface WriteOutcome {
  type: 'Observation' | 'Device';
  id: string;
  versionId: number;
  lastUpdated: Date;
  created: boolean;
}

export const etagOf = (versionId: number): string => `W/"${versionId}"`;

/** The `transaction-response` of a push: one entry per request entry, in the request's order. */
export function transactionResponse(id: string, outcomes: readonly WriteOutcome[], now: Date): Json {
  return {
    resourceType: 'Bundle',
    id,
    meta: { lastUpdated: now.toISOString() },
    type: 'transaction-response',
    entry: outcomes.map((o) => ({
      response: {
        status: o.created ? '201 Created' : '200 OK',
        location: `${o.type}/${o.id}/_history/${o.versionId}`,
        etag: etagOf(o.versionId),
        lastModified: o.lastUpdated.toISOString(),
      },
    })),
  };
}

// ── values (the citizen's pages) ────────────────────────────────────────────

export interface MeasureValue {
  code: string;
  label?: string;
  value: number;
  unit: string;
}

function quantityOf(code: unknown, quantity: unknown): MeasureValue | undefined {
  if (!isObject(quantity) || typeof quantity.value !== 'number') return undefined;
  const codings = isObject(code) && Array.isArray(code.coding) ? code.coding.filter(isObject) : [];
  const coding = codings.find((c) => typeof c.code === 'string');
  const unit =
    typeof quantity.unit === 'string'
      ? quantity.unit
      : typeof quantity.code === 'string'
        ? quantity.code
        : '';
  const label = typeof coding?.display === 'string' ? coding.display : isObject(code) ? code.text : undefined;
  return {
    code: typeof coding?.code === 'string' ? coding.code : '',
    ...(typeof label === 'string' ? { label } : {}),
    value: quantity.value,
    unit,
  };
}

/** The numbers of a measure: its valueQuantity, or each component's (blood pressure). */
export function valuesOf(resource: Json): MeasureValue[] {
  const own = quantityOf(resource.code, resource.valueQuantity);
  if (own) return [own];
  const components = Array.isArray(resource.component) ? resource.component.filter(isObject) : [];
  return components
    .map((component) => quantityOf(component.code, component.valueQuantity))
    .filter((v): v is MeasureValue => v !== undefined);
}

// ── search ──────────────────────────────────────────────────────────────────

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
/** Beyond this page index a search is refused rather than scanned. */
const MAX_PAGE_INDEX = 100_000;

/** MES's diagnostics of a refused search (API Mesures v1.5.2, §2.3.3), verbatim. */
export const SEARCH_DIAGNOSTICS = {
  pageSize: (n: string) => `Maximum page size allowed is ${MAX_PAGE_SIZE}. Actual : ${n}`,
  sort: 'Sort parameter must be equals to -date (date DESC) with _count equals to 1 to retrieve last observation',
  concurrent: 'Paged search and search last cannot be requested concurrently',
  noMode: 'No search mode detected',
} as const;

/** The parameters the search understands; `lang` chooses the language of the answer's texts. */
const KNOWN = new Set([
  'code',
  'subject',
  'subject.identifier',
  'subject:identifier',
  'date',
  '_count',
  '_offset',
  '_sort',
  '_include',
  '_format',
  'lang',
]);
const ONCE = ['code', 'subject', '_count', '_offset', '_sort'];
const JSON_FORMATS = new Set(['json', 'application/json', 'application/fhir+json']);
const INCLUDE_DEVICE = new Set(['Observation:device', 'Observation.device']);

export interface MeasureSearch {
  code: string;
  category: string;
  /** `subject.identifier`: the idPe, and its system when one was given. */
  subject: { system?: string; value: string };
  mode: 'all' | 'last';
  /** Effective at or after. */
  from?: Date;
  /** Effective before. */
  to?: Date;
  count: number;
  /** Page index (MES: `_offset` counts pages, from 0). */
  page: number;
  includeDevice: boolean;
  /** The parameters that define the result, for the page links. */
  params: Array<[string, string]>;
}

export type SearchParse = { ok: true; search: MeasureSearch } | { ok: false; diagnostics: string };

const fail = (diagnostics: string): SearchParse => ({ ok: false, diagnostics });

const INTEGER = /^\d{1,9}$/;

/** Date bounds of the `date` parameters: [from, to), with whether a range prefix was used. */
function dateBounds(
  values: readonly string[],
): { from?: Date; to?: Date; ranged: boolean } | { error: string } {
  let from: Date | undefined;
  let to: Date | undefined;
  let lower = false;
  let upper = false;
  const notBefore = (d: Date) => {
    if (!from || d > from) from = d;
  };
  const before = (d: Date) => {
    if (!to || d < to) to = d;
  };
  for (const value of values) {
    // An unencoded `+` of an offset arrives as a space.
    const raw = value.replace(/ /g, '+');
    const m = /^([a-z]{2})?(.*)$/.exec(raw) as RegExpExecArray;
    const prefix = m[1] ?? 'eq';
    const interval = dateInterval(m[2]);
    if (!['eq', 'ge', 'gt', 'le', 'lt'].includes(prefix)) {
      return { error: `Date prefix ${prefix} is not supported (eq, ge, gt, le, lt).` };
    }
    if (!interval)
      return { error: `Date ${raw} is not a valid date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime).` };
    if (prefix === 'eq') {
      notBefore(interval.start);
      before(interval.end);
      lower = true;
      upper = true;
    } else if (prefix === 'ge' || prefix === 'gt') {
      notBefore(prefix === 'ge' ? interval.start : interval.end);
      lower = true;
    } else {
      before(prefix === 'lt' ? interval.start : interval.end);
      upper = true;
    }
  }
  if (lower !== upper) {
    return {
      error: 'Both date bounds are mandatory when one is given (e.g. date=ge2021-02-16&date=le2021-02-26).',
    };
  }
  return { ...(from ? { from } : {}), ...(to ? { to } : {}), ranged: lower };
}

/**
 * The search `GET /fhir/Observation` asks, from its query parameters (in order, repeated ones kept), or
 * MES's « Request not valid » diagnostics. The caller checks the subject against the token and the
 * category against the consents.
 */
export function parseSearch(
  query: ReadonlyArray<readonly [string, string]>,
  categories: readonly MeasureCategory[],
): SearchParse {
  const unknown = [...new Set(query.map(([name]) => name).filter((name) => !KNOWN.has(name)))];
  if (unknown.length > 0) return fail(`Unknown search parameter(s): ${unknown.join(', ')}.`);
  const all = (name: string) =>
    query
      .filter(
        ([n]) =>
          n === name || (name === 'subject' && (n === 'subject.identifier' || n === 'subject:identifier')),
      )
      .map(([, v]) => v);
  for (const name of ONCE) {
    if (all(name).length > 1) {
      return fail(`Search parameter ${name === 'subject' ? 'subject.identifier' : name} must be given once.`);
    }
  }
  for (const format of all('_format')) {
    if (!JSON_FORMATS.has(format)) return fail(`_format ${format} is not supported: JSON only.`);
  }

  const [codeParam] = all('code');
  if (codeParam === undefined || codeParam === '') return fail('Search parameter code is mandatory.');
  if (codeParam.includes(',')) return fail('One code at a time: code must name one measure.');
  const bar = codeParam.lastIndexOf('|');
  const bareCode = bar === -1 ? codeParam : codeParam.slice(bar + 1);
  const category = categoryOfCode(categories, bareCode);
  if (!category) return fail(`Code ${codeParam} is not a measure code.`);

  const [subjectParam] = all('subject');
  if (subjectParam === undefined || subjectParam === '') {
    return fail('Search parameter subject.identifier is mandatory (<system>|<idPe>).');
  }
  const subjectBar = subjectParam.lastIndexOf('|');
  // `subject=Patient/<idPe>`: the citizen as a reference rather than by identifier.
  const reference = /^Patient\/([^/|]+)$/.exec(subjectParam);
  const subject = reference
    ? { value: reference[1] as string }
    : subjectBar === -1
      ? { value: subjectParam }
      : subjectBar === 0
        ? { value: subjectParam.slice(1) }
        : { system: subjectParam.slice(0, subjectBar), value: subjectParam.slice(subjectBar + 1) };
  if (subject.value === '') return fail('subject.identifier must name the idPe (<system>|<idPe>).');

  const [countParam] = all('_count');
  let count = DEFAULT_PAGE_SIZE;
  if (countParam !== undefined) {
    if (!INTEGER.test(countParam)) return fail('_count must be a whole number from 1 to 100.');
    count = Number(countParam);
    if (count > MAX_PAGE_SIZE) return fail(SEARCH_DIAGNOSTICS.pageSize(countParam));
    if (count < 1) return fail('_count must be a whole number from 1 to 100.');
  }
  const [offsetParam] = all('_offset');
  let page = 0;
  if (offsetParam !== undefined) {
    if (!INTEGER.test(offsetParam) || Number(offsetParam) > MAX_PAGE_INDEX) {
      return fail(`_offset must be a page index from 0 to ${MAX_PAGE_INDEX}.`);
    }
    page = Number(offsetParam);
  }
  const includes = all('_include');
  for (const include of includes) {
    if (!INCLUDE_DEVICE.has(include))
      return fail(`_include ${include} is not supported (Observation:device).`);
  }
  const dates = all('date');
  const bounds = dateBounds(dates);
  if ('error' in bounds) return fail(bounds.error);

  const [sort] = all('_sort');
  let mode: 'all' | 'last';
  if (sort !== undefined) {
    if (dates.length > 0 || offsetParam !== undefined) return fail(SEARCH_DIAGNOSTICS.concurrent);
    if (sort !== '-date' || count !== 1) return fail(SEARCH_DIAGNOSTICS.sort);
    mode = 'last';
  } else if (dates.length > 0) {
    mode = 'all';
  } else {
    return fail(SEARCH_DIAGNOSTICS.noMode);
  }

  const params: Array<[string, string]> = [
    ['subject.identifier', subjectParam],
    ['code', codeParam],
    ...dates.map((d): [string, string] => ['date', d]),
  ];
  if (mode === 'last') params.push(['_sort', '-date']);
  if (includes.length > 0) params.push(['_include', 'Observation:device']);
  return {
    ok: true,
    search: {
      code: searchCodeOf(categories, bareCode),
      category,
      subject,
      mode,
      ...(bounds.from ? { from: bounds.from } : {}),
      ...(bounds.to ? { to: bounds.to } : {}),
      count,
      page,
      includeDevice: includes.length > 0,
      params,
    },
  };
}

/** The URL of a search page. */
function pageUrl(base: string, search: MeasureSearch, page: number): string {
  const query = new URLSearchParams(search.params);
  query.set('_count', String(search.count));
  if (search.mode === 'all') query.set('_offset', String(page));
  return `${base}/Observation?${query}`;
}

/**
 * The `searchset` Bundle of a search: the page's Observations (`match`), their Devices once each
 * (`include`, not counted), `total`, and links self, previous and next (absolute, under `base`).
 */
export function searchBundle(input: {
  id: string;
  base: string;
  search: MeasureSearch;
  total: number;
  observations: readonly Json[];
  devices: readonly Json[];
  now: Date;
}): Json {
  const { base, search, total } = input;
  const link = [{ relation: 'self', url: pageUrl(base, search, search.page) }];
  if (search.mode === 'all') {
    if (search.page > 0) {
      const previous = Math.min(search.page - 1, Math.max(0, Math.ceil(total / search.count) - 1));
      link.push({ relation: 'previous', url: pageUrl(base, search, previous) });
    }
    if ((search.page + 1) * search.count < total) {
      link.push({ relation: 'next', url: pageUrl(base, search, search.page + 1) });
    }
  }
  const seen = new Set<string>();
  const devices = input.devices.filter((device) => {
    const id = String(device.id);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  return {
    resourceType: 'Bundle',
    id: input.id,
    meta: { lastUpdated: input.now.toISOString() },
    type: 'searchset',
    total,
    link,
    entry: [
      ...input.observations.map((resource) => ({
        fullUrl: `${base}/Observation/${String(resource.id)}`,
        resource,
        search: { mode: 'match' },
      })),
      ...devices.map((resource) => ({
        fullUrl: `${base}/Device/${String(resource.id)}`,
        resource,
        search: { mode: 'include' },
      })),
    ],
  };
}

/** A `history` Bundle of one resource's versions, newest first. */
export function historyBundle(input: {
  id: string;
  base: string;
  type: 'Observation' | 'Device';
  versions: ReadonlyArray<{ versionId: number; lastUpdated: Date; resource: Json }>;
  now: Date;
}): Json {
  return {
    resourceType: 'Bundle',
    id: input.id,
    meta: { lastUpdated: input.now.toISOString() },
    type: 'history',
    total: input.versions.length,
    entry: input.versions.map((v) => ({
      fullUrl: `${input.base}/${input.type}/${String(v.resource.id)}`,
      resource: v.resource,
      request: { method: v.versionId === 1 ? 'POST' : 'PUT', url: input.type },
      response: {
        status: v.versionId === 1 ? '201 Created' : '200 OK',
        etag: etagOf(v.versionId),
        lastModified: v.lastUpdated.toISOString(),
      },
    })),
  };
}

/** Whether a path id can be a stored resource's id (the server gives uuids). */
export const isResourceId = (id: string): boolean =>
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

// ── BMI, computed on read ───────────────────────────────────────────────────

/**
 * MES refuses to store a BMI (« Bmi observation cannot be created. ») and computes it when read, from a weight
 * and the height measured last before it: the LOINC codes of the three measures, fixed by their profiles.
 */
export const BMI_CODE = '39156-5';
export const WEIGHT_CODE = '29463-7';
export const HEIGHT_CODE = '8302-2';
const BMI_PROFILE =
  'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/mesures-fr-observation-bmi';
/** A computed BMI is named after its weight: `bmi-<weight id>`, readable by id as long as both measures are. */
export const BMI_ID_PREFIX = 'bmi-';

export interface BmiSource {
  weight: { id: string; resource: Json; lastUpdated: Date };
  height: { id: string; resource: Json; lastUpdated: Date };
}

const quantityValue = (resource: Json): number | undefined => {
  const quantity = isObject(resource.valueQuantity) ? resource.valueQuantity : undefined;
  return typeof quantity?.value === 'number' && Number.isFinite(quantity.value) ? quantity.value : undefined;
};

/**
 * The BMI Observation of a weight (kg) and a height (cm), to one decimal, as the BMI profile has it: undefined
 * when either value is missing or not positive. It names both measures in `derivedFrom`.
 */
export function bmiObservation(source: BmiSource): Json | undefined {
  const kg = quantityValue(source.weight.resource);
  const cm = quantityValue(source.height.resource);
  if (kg === undefined || cm === undefined || kg <= 0 || cm <= 0) return undefined;
  const metres = cm / 100;
  const value = Math.round((kg / (metres * metres)) * 10) / 10;
  const weight = source.weight.resource;
  const lastUpdated = new Date(
    Math.max(source.weight.lastUpdated.getTime(), source.height.lastUpdated.getTime()),
  );
  return {
    resourceType: 'Observation',
    id: `${BMI_ID_PREFIX}${source.weight.id}`,
    meta: { profile: [BMI_PROFILE], lastUpdated: lastUpdated.toISOString() },
    status: 'final',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/observation-category',
            code: 'vital-signs',
            display: 'Vital Signs',
          },
        ],
      },
    ],
    code: {
      coding: [{ system: 'http://loinc.org', code: BMI_CODE, display: 'Body mass index (BMI) [Ratio]' }],
    },
    subject: weight.subject,
    effectiveDateTime: weight.effectiveDateTime,
    valueQuantity: { value, unit: 'kg/m2', system: 'http://unitsofmeasure.org', code: 'kg/m2' },
    derivedFrom: [
      { reference: `Observation/${source.weight.id}` },
      { reference: `Observation/${source.height.id}` },
    ],
  };
}
