/**
 * SQL of the catalogue. The catalogue is a read model: it reads, never writes. A search and its count read
 * `catalogue_entries` (migration 016: one narrow row per service online with its filter and sort columns, kept
 * by triggers); the page's rows are then read whole from the published referencing files (`dossiers`), their
 * services (`products`, `product_images`), publishers (`organisations`) and official écoscores
 * (`ecoscore_official`).
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import { type CatalogueEntry, type CatalogueQuery, LISTED_STATUS, platformsOf } from './model.ts';

/** The files of the services online, with their service and publisher. */
function listed(db: Db) {
  return db
    .selectFrom('dossiers as d')
    .innerJoin('products as p', 'p.id', 'd.product_id')
    .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .where('d.kind', '=', 'initial')
    .where('d.state', '=', 'published')
    .where('d.catalogue_status', '=', LISTED_STATUS);
}

/**
 * The conditions of a search on the read model `catalogue_entries as ce` (migration 016), which holds each
 * service online with its filter and sort columns: a search and its count read that one narrow table.
 */
function matching(query: CatalogueQuery): RawBuilder<SqlBool> {
  const conditions: RawBuilder<SqlBool>[] = [];
  // Each word in the service's folded name, publisher and description (strpos: a substring search, faster than
  // LIKE '%word%' over every row, and without LIKE's wildcards to escape).
  for (const word of query.words) conditions.push(sql<SqlBool>`strpos(ce.folded, ${word}) > 0`);
  if (query.thematique) conditions.push(sql<SqlBool>`${query.thematique} = any (ce.thematics)`);
  if (query.public) conditions.push(sql<SqlBool>`${query.public} = any (ce.audience)`);
  // A service without regions serves the whole country: it matches every region.
  if (query.region)
    conditions.push(sql<SqlBool>`(cardinality(ce.regions) = 0 or ${query.region} = any (ce.regions))`);
  if (query.modele) conditions.push(sql<SqlBool>`ce.economic_model = ${query.modele}`);
  if (query.dispositifMedical)
    conditions.push(sql<SqlBool>`ce.medical_device = ${query.dispositifMedical === 'oui'}`);
  if (query.echange) conditions.push(sql<SqlBool>`ce.data_exchange = ${query.echange === 'oui'}`);
  if (query.plateforme) conditions.push(sql<SqlBool>`${query.plateforme} = any (ce.platforms)`);
  return conditions.length ? sql<SqlBool>`${sql.join(conditions, sql` and `)}` : sql<SqlBool>`true`;
}

/** The order of a search: the chosen sort, then name, OS, device and service, so that pages never overlap. */
function order(query: CatalogueQuery): RawBuilder<unknown> {
  const keys = [sql`ce.name_key`, sql`ce.os`, sql`ce.device`, sql`ce.product_id`];
  if (query.tri === 'recent') keys.unshift(sql`ce.published_at desc`);
  // The best écoscore first; services without one after all those with one.
  if (query.tri === 'ecoscore') keys.unshift(sql`ce.ecoscore desc nulls last`);
  return sql.join(keys);
}

interface EntryRow {
  dossier_id: string;
  oid: string | null;
  typology: string;
  catalogue_status: string | null;
  published_at: Date | null;
  referenced_until: Date | null;
  product_id: string;
  commercial_name: string;
  os: string;
  device: string;
  version: string;
  description: string;
  url_web: string | null;
  url_ios: string | null;
  url_android: string | null;
  url_cgu: string | null;
  url_privacy: string | null;
  thematics: string[];
  regions: string[];
  audience: string[];
  economic_model: string;
  medical_device: boolean;
  medical_device_class: string | null;
  legal_name: string;
}

const ENTRY_COLUMNS = [
  'd.id as dossier_id',
  'd.oid',
  'd.typology',
  'd.catalogue_status',
  'd.published_at',
  'd.referenced_until',
  'p.id as product_id',
  'p.commercial_name',
  'p.os',
  'p.device',
  'd.product_version as version',
  'p.description',
  'p.url_web',
  'p.url_ios',
  'p.url_android',
  'p.url_cgu',
  'p.url_privacy',
  'p.thematics',
  'p.regions',
  'p.audience',
  'p.economic_model',
  'p.medical_device',
  'p.medical_device_class',
  'o.legal_name',
] as const;

const osNames: Record<string, string> = {
  ios: 'iOS',
  android: 'Android',
  web: 'Web',
  multi: 'Multiplateforme',
};
const deviceNames: Record<string, string> = {
  mobile: 'Mobile',
  'site-web': 'Site Web',
  tablette: 'Tablette',
  ordinateur: 'Ordinateur',
};

/** Adds each entry's logo and newest official écoscore (a few rows: one query each, for the page's rows). */
async function complete(db: Db, rows: EntryRow[]): Promise<CatalogueEntry[]> {
  const ids = rows.map((r) => r.product_id);
  const [logos, ecoscores] = ids.length
    ? await Promise.all([
        db
          .selectFrom('product_images')
          .select(['id', 'product_id', 'sha256'])
          .where('product_id', 'in', ids)
          .where('kind', '=', 'logo')
          .execute(),
        db
          .selectFrom('ecoscore_official')
          .select(['product_id', 'score', sql<string>`to_char(measured_on, 'YYYY-MM-DD')`.as('measured_on')])
          .distinctOn('product_id')
          .where('product_id', 'in', ids)
          .orderBy('product_id')
          .orderBy('recorded_at', 'desc')
          .execute(),
      ])
    : [[], []];
  const logoOf = new Map(logos.map((l) => [l.product_id, { id: l.id, sha256: l.sha256.trim() }]));
  const ecoOf = new Map(ecoscores.map((e) => [e.product_id, { score: e.score, measuredOn: e.measured_on }]));
  return rows.map((r) => {
    const urls = {
      web: r.url_web,
      ios: r.url_ios,
      android: r.url_android,
      cgu: r.url_cgu,
      privacy: r.url_privacy,
    };
    return {
      dossierId: r.dossier_id,
      oid: r.oid ?? '',
      name: `${r.commercial_name} ${osNames[r.os] ?? r.os} ${deviceNames[r.device] ?? r.device}`,
      commercialName: r.commercial_name,
      publisher: r.legal_name,
      description: r.description,
      thematics: r.thematics,
      regions: r.regions,
      audience: r.audience,
      economicModel: r.economic_model,
      medicalDevice: { is: r.medical_device, class: r.medical_device_class },
      dataExchange: r.typology === 'avec-echange',
      os: r.os,
      device: r.device,
      platforms: platformsOf({ os: r.os, urls }),
      urls,
      version: r.version,
      logo: logoOf.get(r.product_id) ?? null,
      ecoscore: ecoOf.get(r.product_id) ?? null,
      publishedAt: r.published_at,
      referencedUntil: r.referenced_until,
      catalogueStatus: r.catalogue_status ?? '',
    };
  });
}

/**
 * One page of the services online that match the search, and how many match. With `limit` undefined,
 * every match (the CSV export).
 */
export async function searchCatalogue(
  db: Db,
  query: CatalogueQuery,
  page: { limit?: number; offset: number },
): Promise<{ total: number; entries: CatalogueEntry[] }> {
  if (page.limit === undefined) {
    const rows = (await listed(db)
      .innerJoin('catalogue_entries as ce', 'ce.dossier_id', 'd.id')
      .select(ENTRY_COLUMNS)
      .where(matching(query))
      .orderBy(order(query))
      .execute()) as EntryRow[];
    return { total: rows.length, entries: await complete(db, rows) };
  }
  // The page's ids and the count from the read model, then those rows whole. A search by words counts its
  // matches in the same scan (the words are the costly test); without words, the page is read in the order of
  // an index and counted apart, so that the first page never reads every entry.
  const withTotal = query.words.length > 0;
  const [ids, apart] = await Promise.all([
    searchQuery(db, query, { limit: page.limit, offset: page.offset }, withTotal).execute(),
    withTotal ? undefined : countMatches(db, query),
  ]);
  const total = apart ?? (ids.length > 0 ? Number(ids[0].total) : await countMatches(db, query));
  if (ids.length === 0) return { total, entries: [] };
  const rows = (await listed(db)
    .select(ENTRY_COLUMNS)
    .where(
      'd.id',
      'in',
      ids.map((r) => r.id),
    )
    .execute()) as EntryRow[];
  const byId = new Map(rows.map((r) => [r.dossier_id, r]));
  return {
    total,
    entries: await complete(
      db,
      ids.map((r) => byId.get(r.id)).filter((r): r is EntryRow => r !== undefined),
    ),
  };
}

async function countMatches(db: Db, query: CatalogueQuery): Promise<number> {
  const row = await db
    .selectFrom('catalogue_entries as ce')
    .select(sql<string>`count(*)`.as('n'))
    .where(matching(query))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The ids of one page of matches, in order (the benchmark explains it); `withTotal`: each with the number of
 * matches (`total`), counted in the same scan.
 */
export function searchQuery(
  db: Db,
  query: CatalogueQuery,
  page: { limit: number; offset: number },
  withTotal = query.words.length > 0,
) {
  let q = db
    .selectFrom('catalogue_entries as ce')
    .select([
      'ce.dossier_id as id',
      withTotal ? sql<string>`count(*) over ()`.as('total') : sql<string>`null`.as('total'),
    ])
    .where(matching(query))
    .orderBy(order(query))
    .limit(page.limit);
  if (page.offset > 0) q = q.offset(page.offset);
  return q;
}

/** A published service by its file (any catalogue status: the caller decides what to show), or undefined. */
export async function findPublished(
  db: Db,
  by: { dossierId: string } | { oid: string },
): Promise<
  (CatalogueEntry & { referentialVersion: string; convention: unknown; productId: string }) | undefined
> {
  let q = db
    .selectFrom('dossiers as d')
    .innerJoin('products as p', 'p.id', 'd.product_id')
    .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .where('d.kind', '=', 'initial')
    .where('d.state', '=', 'published')
    .select(ENTRY_COLUMNS)
    .select(['d.referential_version', 'd.convention']);
  q = 'oid' in by ? q.where('d.oid', '=', by.oid) : q.where('d.id', '=', by.dossierId);
  const row = (await q.executeTakeFirst()) as
    | (EntryRow & { referential_version: string; convention: unknown })
    | undefined;
  if (!row) return undefined;
  const [entry] = await complete(db, [row]);
  return {
    ...entry,
    referentialVersion: row.referential_version,
    convention: row.convention,
    productId: row.product_id,
  };
}

/** A service's screenshots (not their bytes), in their order. */
export function screenshotsOf(db: Db, productId: string) {
  return db
    .selectFrom('product_images')
    .select(['id', 'sha256', 'alt_text'])
    .where('product_id', '=', productId)
    .where('kind', '=', 'screenshot')
    .orderBy('position')
    .orderBy('created_at')
    .execute();
}

/** An image of a service online (its logo or a screenshot), or undefined. */
export async function listedImage(db: Db, dossierId: string, imageId: string) {
  return listed(db)
    .innerJoin('product_images as i', 'i.product_id', 'p.id')
    .where('d.id', '=', dossierId)
    .where('i.id', '=', imageId)
    .select(['i.media_type', 'i.sha256', 'i.content'])
    .executeTakeFirst();
}

/** The bytes of the given logos that weigh at most `maxBytes` (the larger ones are not read). */
export function smallLogos(db: Db, imageIds: readonly string[], maxBytes: number) {
  if (imageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('product_images')
    .select(['id', 'sha256', 'media_type', 'content'])
    .where('id', 'in', [...imageIds])
    .where('kind', '=', 'logo')
    .where(sql<number>`octet_length(content)`, '<=', maxBytes)
    .execute();
}
