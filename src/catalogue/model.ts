/**
 * The public catalogue (catalogue de services) of Mon espace santé: the services whose referencing is
 * published with the catalogue status `EN_LIGNE`, searched and filtered by anyone. Pure rules: reading a
 * search from an address, folding text for an accent-insensitive search, paging, CSV.
 */
import { economicModels, productAudiences, productRegions, productThematics } from '../product/model.ts';

export { economicModels, productAudiences, productRegions, productThematics };

/** The catalogue lists only this status; the others (PRESERIE, HORS_LIGNE, SUSPENDUE, DEREFERENCEE) never. */
export const LISTED_STATUS = 'EN_LIGNE';

export const PAGE_SIZE = 20;
/** The most entries one API page may ask for. */
export const MAX_PAGE_SIZE = 100;
export const SEARCH_MAX = 100;
/** Words of a search beyond this are ignored (each word is one more condition). */
export const SEARCH_MAX_WORDS = 8;
/** A page number beyond this is refused (no catalogue has that many pages; it guards the offset). */
export const MAX_PAGE = 10_000;

export const platforms = ['ios', 'android', 'web'] as const;
export type Platform = (typeof platforms)[number];

export const sorts = ['nom', 'recent', 'ecoscore'] as const;
export type Sort = (typeof sorts)[number];

export type YesNo = 'oui' | 'non';

/** A search of the catalogue, as the page's form and the API's query parameters carry it. */
export interface CatalogueQuery {
  /** What was typed, trimmed. */
  text: string;
  /** The search's words, folded (see `fold`): each must appear in the name, description or publisher. */
  words: string[];
  thematique?: string;
  region?: string;
  public?: string;
  modele?: string;
  dispositifMedical?: YesNo;
  echange?: YesNo;
  plateforme?: Platform;
  tri: Sort;
  page: number;
  parPage: number;
}

/** The query parameters, by name: the page's form fields and the API's parameters are the same. */
export const queryParameters = [
  'q',
  'thematique',
  'region',
  'public',
  'modele',
  'dispositifMedical',
  'echange',
  'plateforme',
  'tri',
  'page',
  'parPage',
] as const;
export type QueryParameter = (typeof queryParameters)[number];

/** The filters a person chooses (what « effacer les filtres » clears), the search text aside. */
export const filterParameters = [
  'thematique',
  'region',
  'public',
  'modele',
  'dispositifMedical',
  'echange',
  'plateforme',
] as const;

export type QueryProblems = Partial<Record<QueryParameter, string>>;

// ── folding ─────────────────────────────────────────────────────────────────

/**
 * Accented letters and their plain lower-case letter, one for one. The same pairs fold the stored text in
 * SQL (`translate`) and the typed search here, so both sides agree whatever the database's locale.
 */
export const FOLD_FROM = 'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝŸýÿ’';
export const FOLD_TO = "aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooooouuuuuuuuyyyy'";

const foldMap = new Map([...FOLD_FROM].map((c, i) => [c, FOLD_TO[i]]));

/**
 * Case- and accent-insensitive form of a text: the letters of FOLD_FROM made plain, œ and æ spelt out, then
 * A–Z lower-cased (only ASCII: so does PostgreSQL's `lower` under the C locale, which PGlite uses).
 */
export function fold(text: string): string {
  let out = '';
  for (const c of text) out += foldMap.get(c) ?? c;
  return out
    .replace(/[Œœ]/g, 'oe')
    .replace(/[Ææ]/g, 'ae')
    .replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The distinct folded words of a search, at most SEARCH_MAX_WORDS. */
export function searchWords(text: string): string[] {
  const words = fold(text)
    .split(/[\s,;:!?.()"«»]+/u)
    .map((w) => w.trim())
    .filter((w) => w.length > 0);
  return [...new Set(words)].slice(0, SEARCH_MAX_WORDS);
}

// ── reading a search ────────────────────────────────────────────────────────

const includes = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

function hasControl(value: string): boolean {
  for (const c of value) {
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * Reads a search from query parameters (the page's address or the API's). Empty values mean « any ».
 * Unknown parameters are ignored (`lang`, trackers); a parameter given twice, a value outside its list or a
 * page that is not a number is a problem, named by parameter (message keys).
 */
export function parseCatalogueQuery(
  raw: Record<string, unknown> | undefined,
  options: { allowPageSize?: boolean } = {},
): { ok: true; query: CatalogueQuery } | { ok: false; problems: QueryProblems } {
  const problems: QueryProblems = {};
  const text = (name: QueryParameter): string => {
    const value = raw?.[name];
    if (value === undefined || value === null) return '';
    if (typeof value !== 'string') {
      problems[name] = 'catalogue.query.single';
      return '';
    }
    return value.trim();
  };
  const choice = <T extends string>(name: QueryParameter, list: readonly T[]): T | undefined => {
    const value = text(name);
    if (value === '') return undefined;
    if (!includes(list, value)) {
      problems[name] ??= 'catalogue.query.choice';
      return undefined;
    }
    return value;
  };
  const number = (name: QueryParameter, fallback: number, max: number): number => {
    const value = text(name);
    if (value === '') return fallback;
    if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > max) {
      problems[name] ??= 'catalogue.query.number';
      return fallback;
    }
    return Number(value);
  };

  const q = text('q');
  if ([...q].length > SEARCH_MAX) problems.q = 'catalogue.query.too_long';
  else if (hasControl(q)) problems.q = 'catalogue.query.invalid_characters';
  const query: CatalogueQuery = {
    text: q,
    words: problems.q ? [] : searchWords(q),
    thematique: choice('thematique', productThematics),
    region: choice('region', productRegions),
    public: choice('public', productAudiences),
    modele: choice('modele', economicModels),
    dispositifMedical: choice('dispositifMedical', ['oui', 'non'] as const),
    echange: choice('echange', ['oui', 'non'] as const),
    plateforme: choice('plateforme', platforms),
    tri: choice('tri', sorts) ?? 'nom',
    page: number('page', 1, MAX_PAGE),
    parPage: options.allowPageSize ? number('parPage', PAGE_SIZE, MAX_PAGE_SIZE) : PAGE_SIZE,
  };
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, query };
}

/** The allowed values of each listed parameter, for error messages and the API's documentation. */
export const allowedValues: Partial<Record<QueryParameter, readonly string[]>> = {
  thematique: productThematics,
  region: productRegions,
  public: productAudiences,
  modele: economicModels,
  dispositifMedical: ['oui', 'non'],
  echange: ['oui', 'non'],
  plateforme: platforms,
  tri: sorts,
};

/** The query's parameters as an address's search part (defaults left out), with some changed. */
export function searchOf(
  query: CatalogueQuery,
  changes: Partial<Record<QueryParameter, string | number | undefined>> = {},
): string {
  const values: Partial<Record<QueryParameter, string | number | undefined>> = {
    q: query.text || undefined,
    thematique: query.thematique,
    region: query.region,
    public: query.public,
    modele: query.modele,
    dispositifMedical: query.dispositifMedical,
    echange: query.echange,
    plateforme: query.plateforme,
    tri: query.tri === 'nom' ? undefined : query.tri,
    page: query.page === 1 ? undefined : query.page,
    parPage: query.parPage === PAGE_SIZE ? undefined : query.parPage,
    ...changes,
  };
  const params = new URLSearchParams();
  for (const name of queryParameters) {
    const value = values[name];
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** Whether any filter (the search text aside) is chosen. */
export function hasFilters(query: CatalogueQuery): boolean {
  return filterParameters.some((name) => query[name] !== undefined);
}

// ── paging ──────────────────────────────────────────────────────────────────

export function pageCount(total: number, perPage: number): number {
  return Math.max(1, Math.ceil(total / perPage));
}

/**
 * The page numbers a DSFR pagination shows: the first, the last, and the current one with its neighbours;
 * `null` where numbers are left out.
 */
export function pageLinks(current: number, pages: number): Array<number | null> {
  const shown = new Set([1, pages, current - 1, current, current + 1].filter((p) => p >= 1 && p <= pages));
  const sorted = [...shown].sort((a, b) => a - b);
  const out: Array<number | null> = [];
  for (const [i, p] of sorted.entries()) {
    if (i > 0 && p - sorted[i - 1] > 1) out.push(null);
    out.push(p);
  }
  return out;
}

// ── entries ─────────────────────────────────────────────────────────────────

/** A catalogue entry: one referenced service online, as the list, the API and the CSV show it. */
export interface CatalogueEntry {
  dossierId: string;
  oid: string;
  /** The name as filed on Convergence: « [Nom] [OS] [Appareil] ». */
  name: string;
  commercialName: string;
  publisher: string;
  description: string;
  thematics: string[];
  /** INSEE codes; empty: the whole country. */
  regions: string[];
  audience: string[];
  economicModel: string;
  medicalDevice: { is: boolean; class: string | null };
  dataExchange: boolean;
  os: string;
  device: string;
  platforms: Platform[];
  urls: {
    web: string | null;
    ios: string | null;
    android: string | null;
    cgu: string | null;
    privacy: string | null;
  };
  version: string;
  logo: { id: string; sha256: string } | null;
  /** The newest official écoscore, if one is recorded. */
  ecoscore: { score: number; measuredOn: string } | null;
  publishedAt: Date | null;
  referencedUntil: Date | null;
  catalogueStatus: string;
}

/** The platforms a service runs on: its OS, and the store or web addresses it gives. */
export function platformsOf(row: {
  os: string;
  urls: { web: string | null; ios: string | null; android: string | null };
}): Platform[] {
  return platforms.filter((p) => row.os === p || row.urls[p] !== null);
}

/** The first sentence-long part of a description, cut at a word, for a card. */
export function shortDescription(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  // A text's length in UTF-16 units is never less than in characters: most fit without counting.
  if (flat.length <= max) return flat;
  let end = 0;
  let characters = 0;
  for (const c of flat) {
    if (characters === max) break;
    end += c.length;
    characters++;
  }
  if (end >= flat.length) return flat;
  const cut = flat.slice(0, end);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–-]+$/u, '')}…`;
}

// ── CSV (RFC 4180) ──────────────────────────────────────────────────────────

/**
 * One CSV field: quoted when it holds a comma, a quote, a line break or leading/trailing space, quotes
 * doubled. Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading
 * apostrophe: the file is open data, opened by people in spreadsheets.
 */
export function csvField(value: string | number | boolean | null | undefined, text = true): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (text && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Rows as RFC 4180 CSV: CRLF after every record, the header first. */
export function toCsv(
  header: string[],
  rows: Array<Array<{ value: string | number | boolean | null; text?: boolean }>>,
): string {
  const lines = [header.map((h) => csvField(h, false)).join(',')];
  for (const row of rows) lines.push(row.map((c) => csvField(c.value, c.text ?? true)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
