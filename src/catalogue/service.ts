/**
 * The catalogue's use cases: public reads, no rights to check beyond the catalogue status (only services
 * `EN_LIGNE` are listed; a suspended or dereferenced one is named on its own page with a notice).
 */
import { setBounded } from '../platform/bounded-map.ts';
import type { Db } from '../platform/db/index.ts';
import { notFound, validationFailed } from '../platform/errors.ts';
import type { Referentials } from '../referential/index.ts';
import {
  type CatalogueEntry,
  type CatalogueQuery,
  LISTED_STATUS,
  pageCount,
  parseCatalogueQuery,
  type QueryProblems,
} from './model.ts';
import * as store from './store.ts';

export interface CatalogueDeps {
  db: Db;
  referentials: Referentials;
}

export interface CataloguePage {
  query: CatalogueQuery;
  total: number;
  pages: number;
  entries: CatalogueEntry[];
}

/** Reads a search, or throws a 422 naming each bad parameter. */
export function queryOf(raw: unknown, options: { allowPageSize?: boolean } = {}): CatalogueQuery {
  const parsed = parseCatalogueQuery(raw as Record<string, unknown> | undefined, options);
  if (!parsed.ok) throw invalidQuery(parsed.problems);
  return parsed.query;
}

export function invalidQuery(problems: QueryProblems) {
  return validationFailed(problems as Record<string, string>, 'catalogue.query.invalid');
}

/** One page of the catalogue for a search. */
export async function searchCatalogue(deps: CatalogueDeps, query: CatalogueQuery): Promise<CataloguePage> {
  const { total, entries } = await store.searchCatalogue(deps.db, query, {
    limit: query.parPage,
    offset: (query.page - 1) * query.parPage,
  });
  return { query, total, pages: pageCount(total, query.parPage), entries };
}

/** Every service online that matches the search (the open-data export). */
export async function wholeCatalogue(deps: CatalogueDeps, query: CatalogueQuery): Promise<CatalogueEntry[]> {
  return (await store.searchCatalogue(deps.db, query, { offset: 0 })).entries;
}

type Localized = { fr: string; en: string };

/** A finalité or data category of the convention, with its title in the file's referential version. */
export interface Exchange {
  code: string;
  title: Localized;
  read: boolean;
  write: boolean;
}

export interface ServiceDetail extends CatalogueEntry {
  screenshots: Array<{ id: string; sha256: string; altText: string }>;
  finalites: Array<{ code: string; title: Localized }>;
  categories: Exchange[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OID = /^[0-9]+(\.[0-9]+){1,40}$/;

interface ConventionJson {
  finalites?: unknown;
  categories?: unknown;
}

function titled(
  referentials: Referentials,
  versionId: string,
  convention: unknown,
): Pick<ServiceDetail, 'finalites' | 'categories'> {
  const version = referentials.get(versionId) ?? referentials.newest();
  const c = (convention ?? {}) as ConventionJson;
  const finalites = Array.isArray(c.finalites) ? c.finalites.filter((f) => typeof f === 'string') : [];
  const categories = Array.isArray(c.categories)
    ? (c.categories as Array<{ code?: unknown; read?: unknown; write?: unknown }>).filter(
        (x) => typeof x?.code === 'string',
      )
    : [];
  return {
    finalites: finalites.map((code: string) => ({
      code,
      title: version.finalites.find((f) => f.code === code)?.title ?? { fr: code, en: code },
    })),
    categories: categories.map((x) => ({
      code: x.code as string,
      title: version.dataCategories.find((d) => d.code === x.code)?.title ?? {
        fr: x.code as string,
        en: x.code as string,
      },
      read: x.read === true,
      write: x.write === true,
    })),
  };
}

/**
 * A published service with what its page shows, whatever its catalogue status (the page decides: the full
 * page online, a notice when suspended or dereferenced, 404 otherwise). 404 for anything not published.
 */
export async function publishedService(
  deps: CatalogueDeps,
  by: { dossierId: string } | { oid: string },
): Promise<ServiceDetail> {
  if ('dossierId' in by && !UUID.test(by.dossierId)) throw notFound();
  if ('oid' in by && !OID.test(by.oid)) throw notFound();
  const found = await store.findPublished(deps.db, by);
  if (!found) throw notFound();
  const shown = found.catalogueStatus === LISTED_STATUS;
  const screenshots = shown ? await store.screenshotsOf(deps.db, found.productId) : [];
  const { referentialVersion, convention, productId: _p, ...entry } = found;
  return {
    ...entry,
    screenshots: screenshots.map((s) => ({ id: s.id, sha256: s.sha256.trim(), altText: s.alt_text })),
    ...(entry.dataExchange
      ? titled(deps.referentials, referentialVersion, convention)
      : { finalites: [], categories: [] }),
  };
}

/** A service online by its OID (the open-data API), or 404. */
export async function listedServiceByOid(deps: CatalogueDeps, oid: string): Promise<ServiceDetail> {
  const detail = await publishedService(deps, { oid });
  if (detail.catalogueStatus !== LISTED_STATUS) throw notFound();
  return detail;
}

/** An image of a service online, or 404. */
export async function listedImage(deps: CatalogueDeps, dossierId: string, imageId: string) {
  if (!UUID.test(dossierId) || !UUID.test(imageId)) throw notFound();
  const image = await store.listedImage(deps.db, dossierId, imageId);
  if (!image) throw notFound();
  return { mediaType: image.media_type, sha256: image.sha256.trim(), content: image.content };
}

/**
 * Logos light enough to travel inside the list page (as Vite inlines assets under 4 KB): a `data:` URL per
 * logo id, which saves the browser a request each. Larger logos stay links, loaded lazily. The URLs are kept
 * by content hash (a logo's bytes never change under its hash), so a page shown again reads no bytes.
 */
export const INLINE_LOGO_MAX_BYTES = 4096;
const INLINE_CACHE_MAX = 2000;
const inlineCache = new Map<string, string>();

export async function inlineLogos(
  deps: CatalogueDeps,
  logos: ReadonlyArray<{ id: string; sha256: string }>,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const missing = new Map<string, string>();
  for (const logo of logos) {
    const cached = inlineCache.get(logo.sha256);
    // An empty string: a logo known to be too heavy to inline.
    if (cached) out.set(logo.id, cached);
    else if (cached === undefined) missing.set(logo.id, logo.sha256);
  }
  if (missing.size === 0) return out;
  const remember = (sha256: string, url: string) => setBounded(inlineCache, sha256, url, INLINE_CACHE_MAX);
  for (const row of await store.smallLogos(deps.db, [...missing.keys()], INLINE_LOGO_MAX_BYTES)) {
    const url = `data:${row.media_type};base64,${Buffer.from(row.content).toString('base64')}`;
    remember(row.sha256.trim(), url);
    out.set(row.id, url);
    missing.delete(row.id);
  }
  for (const sha256 of missing.values()) remember(sha256, '');
  return out;
}
