/**
 * SQL of health documents: Binaries (bytes and digests), DocumentReferences with the columns ITI-67 searches
 * on, Lists (submission sets, folders) and their versions in `fhir_resource_versions`. Every query names the
 * citizen, so one citizen's documents are never read or changed for another.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database, Db } from '../platform/db/index.ts';
import type {
  DateCondition,
  DocumentColumns,
  DocumentSearch,
  DocumentStatus,
  ListKind,
  Token,
  TokenColumn,
} from './model.ts';

type Json = Record<string, unknown>;

const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const asJson = (v: unknown): Json => (typeof v === 'string' ? (JSON.parse(v) as Json) : (v as Json));
const asBuffer = (v: unknown): Buffer => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array));
/** A text[] parameter, the same on both drivers. */
const textArray = (values: readonly string[]) =>
  sql<string[]>`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

export interface StoredResource {
  id: string;
  versionId: number;
  lastUpdated: Date;
  resource: Json;
}

export interface StoredDocument extends StoredResource {
  serviceOid: string;
  status: DocumentStatus;
  binaryId: string | null;
}

export interface StoredBinary {
  id: string;
  serviceOid: string;
  contentType: string;
  data: Buffer;
  size: number;
  sha1: string;
  createdAt: Date;
}

// ── writes ──────────────────────────────────────────────────────────────────

export async function insertBinary(
  trx: Db,
  row: {
    id: string;
    citizenId: string;
    serviceOid: string;
    contentType: string;
    data: Buffer;
    size: number;
    sha1: string;
    sha256: string;
    createdAt: Date;
  },
): Promise<void> {
  await trx
    .insertInto('fhir_binaries')
    .values({
      id: row.id,
      citizen_id: row.citizenId,
      service_oid: row.serviceOid,
      content_type: row.contentType,
      data: row.data,
      size: row.size,
      sha1: row.sha1,
      sha256: row.sha256,
      created_at: row.createdAt,
    })
    .execute();
}

/** Inserts a document; false when the citizen already has one of this masterIdentifier (nothing inserted). */
export async function insertDocument(
  trx: Db,
  row: {
    id: string;
    citizenId: string;
    serviceOid: string;
    columns: DocumentColumns;
    binaryId: string | null;
    versionId: number;
    lastUpdated: Date;
    resource: Json;
  },
): Promise<boolean> {
  const c = row.columns;
  const inserted = await trx
    .insertInto('fhir_document_references')
    .values({
      id: row.id,
      citizen_id: row.citizenId,
      service_oid: row.serviceOid,
      status: c.status,
      type_code: c.typeCode,
      category_code: c.categoryCode,
      format_code: c.formatCode,
      security_labels: textArray(c.securityLabels) as unknown as string[],
      date: c.date,
      period_start: c.periodStart,
      period_end: c.periodEnd,
      creation: c.creation,
      is_archived: c.isArchived,
      master_identifier: c.masterIdentifier,
      identifiers: textArray(c.identifiers) as unknown as string[],
      binary_id: row.binaryId,
      version_id: row.versionId,
      last_updated: row.lastUpdated,
      resource: JSON.stringify(row.resource),
    })
    .onConflict((oc) =>
      oc.columns(['citizen_id', 'master_identifier']).where('master_identifier', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * The citizen's current document a replacement names (by id, or by its masterIdentifier), locked until the
 * transaction ends so that two replacements of one document cannot both supersede it.
 */
export async function currentDocumentForUpdate(
  trx: Db,
  citizenId: string,
  target: { id?: string; identifier?: string },
): Promise<StoredDocument | undefined> {
  if (target.id === undefined && target.identifier === undefined) return undefined;
  let query = trx
    .selectFrom('fhir_document_references')
    .select(['id', 'service_oid', 'status', 'binary_id', 'version_id', 'last_updated', 'resource'])
    .where('citizen_id', '=', citizenId)
    .where('status', '=', 'current');
  query =
    target.id !== undefined
      ? query.where('id', '=', target.id)
      : query.where('master_identifier', '=', target.identifier as string);
  const row = await query.forUpdate().executeTakeFirst();
  return row && documentOf(row);
}

export async function updateDocumentStatus(
  trx: Db,
  row: {
    id: string;
    citizenId: string;
    status: DocumentStatus;
    versionId: number;
    lastUpdated: Date;
    resource: Json;
  },
): Promise<void> {
  await trx
    .updateTable('fhir_document_references')
    .set({
      status: row.status,
      version_id: row.versionId,
      last_updated: row.lastUpdated,
      resource: JSON.stringify(row.resource),
    })
    .where('id', '=', row.id)
    .where('citizen_id', '=', row.citizenId)
    .execute();
}

/** Which of these document ids are the citizen's. */
export async function citizenDocumentIds(
  trx: Db,
  citizenId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await trx
    .selectFrom('fhir_document_references')
    .select('id')
    .where('citizen_id', '=', citizenId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function insertList(
  trx: Db,
  row: {
    id: string;
    citizenId: string;
    serviceOid: string;
    kind: ListKind;
    status: string;
    date: Date | null;
    versionId: number;
    lastUpdated: Date;
    resource: Json;
  },
): Promise<void> {
  await trx
    .insertInto('fhir_lists')
    .values({
      id: row.id,
      citizen_id: row.citizenId,
      service_oid: row.serviceOid,
      kind: row.kind,
      status: row.status,
      date: row.date,
      version_id: row.versionId,
      last_updated: row.lastUpdated,
      resource: JSON.stringify(row.resource),
    })
    .execute();
}

/** The version of the citizen's folder of this id, locked until the transaction ends; undefined if none. */
export async function folderVersionForUpdate(
  trx: Db,
  citizenId: string,
  id: string,
): Promise<number | undefined> {
  const row = await trx
    .selectFrom('fhir_lists')
    .select('version_id')
    .where('id', '=', id)
    .where('citizen_id', '=', citizenId)
    .where('kind', '=', 'folder')
    .forUpdate()
    .executeTakeFirst();
  return row ? Number(row.version_id) : undefined;
}

export async function updateList(
  trx: Db,
  row: {
    id: string;
    citizenId: string;
    status: string;
    date: Date | null;
    versionId: number;
    lastUpdated: Date;
    resource: Json;
  },
): Promise<void> {
  await trx
    .updateTable('fhir_lists')
    .set({
      status: row.status,
      date: row.date,
      version_id: row.versionId,
      last_updated: row.lastUpdated,
      resource: JSON.stringify(row.resource),
    })
    .where('id', '=', row.id)
    .where('citizen_id', '=', row.citizenId)
    .execute();
}

/** One version of a stored resource, for `_history`. */
export async function insertVersion(
  trx: Db,
  row: {
    resourceType: string;
    id: string;
    versionId: number;
    citizenId: string;
    lastUpdated: Date;
    resource: Json;
  },
): Promise<void> {
  await trx
    .insertInto('fhir_resource_versions')
    .values({
      resource_type: row.resourceType,
      id: row.id,
      version_id: row.versionId,
      citizen_id: row.citizenId,
      last_updated: row.lastUpdated,
      resource: JSON.stringify(row.resource),
    })
    .execute();
}

// ── reads ───────────────────────────────────────────────────────────────────

function documentOf(row: {
  id: string;
  service_oid: string;
  status: string;
  binary_id: string | null;
  version_id: number;
  last_updated: unknown;
  resource: unknown;
}): StoredDocument {
  return {
    id: row.id,
    serviceOid: row.service_oid,
    status: row.status as DocumentStatus,
    binaryId: row.binary_id,
    versionId: Number(row.version_id),
    lastUpdated: asDate(row.last_updated),
    resource: asJson(row.resource),
  };
}

export async function documentById(
  db: Db,
  citizenId: string,
  id: string,
): Promise<StoredDocument | undefined> {
  const row = await db
    .selectFrom('fhir_document_references')
    .select(['id', 'service_oid', 'status', 'binary_id', 'version_id', 'last_updated', 'resource'])
    .where('id', '=', id)
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
  return row && documentOf(row);
}

/** The versions of one of the citizen's resources, newest first (one version when `versionId` is given). */
export async function versionsOf(
  db: Db,
  citizenId: string,
  resourceType: string,
  id: string,
  versionId?: number,
): Promise<StoredResource[]> {
  let query = db
    .selectFrom('fhir_resource_versions')
    .select(['id', 'version_id', 'last_updated', 'resource'])
    .where('resource_type', '=', resourceType)
    .where('id', '=', id)
    .where('citizen_id', '=', citizenId);
  if (versionId !== undefined) query = query.where('version_id', '=', versionId);
  const rows = await query.orderBy('version_id', 'desc').execute();
  return rows.map((row) => ({
    id: row.id,
    versionId: Number(row.version_id),
    lastUpdated: asDate(row.last_updated),
    resource: asJson(row.resource),
  }));
}

export async function listById(db: Db, citizenId: string, id: string): Promise<StoredResource | undefined> {
  const row = await db
    .selectFrom('fhir_lists')
    .select(['id', 'version_id', 'last_updated', 'resource'])
    .where('id', '=', id)
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      versionId: Number(row.version_id),
      lastUpdated: asDate(row.last_updated),
      resource: asJson(row.resource),
    }
  );
}

export async function binaryById(db: Db, citizenId: string, id: string): Promise<StoredBinary | undefined> {
  const row = await db
    .selectFrom('fhir_binaries')
    .select(['id', 'service_oid', 'content_type', 'data', 'size', 'sha1', 'created_at'])
    .where('id', '=', id)
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
  return row && binaryOf(row);
}

function binaryOf(row: {
  id: string;
  service_oid: string;
  content_type: string;
  data: unknown;
  size: number;
  sha1: string;
  created_at: unknown;
}): StoredBinary {
  return {
    id: row.id,
    serviceOid: row.service_oid,
    contentType: row.content_type,
    data: asBuffer(row.data),
    size: Number(row.size),
    sha1: row.sha1,
    createdAt: asDate(row.created_at),
  };
}

// ── ITI-67 ──────────────────────────────────────────────────────────────────

type Eb = ExpressionBuilder<Database, 'fhir_document_references'>;

function tokenMatch(eb: Eb, column: TokenColumn, token: Token): Expression<SqlBool> {
  const ref = sql.ref(column);
  const array = column === 'security_labels' || column === 'identifiers';
  if (token.system !== undefined && token.code !== undefined) {
    const exact = `${token.system}|${token.code}`;
    return array ? sql<SqlBool>`${exact} = any(${ref})` : eb(column, '=', exact);
  }
  const test =
    token.code !== undefined
      ? (value: Expression<unknown>) => sql<SqlBool>`split_part(${value}, '|', -1) = ${token.code}`
      : (value: Expression<unknown>) => sql<SqlBool>`starts_with(${value}, ${`${token.system}|`})`;
  return array
    ? sql<SqlBool>`exists (select 1 from unnest(${ref}) as v(x) where ${test(sql.ref('v.x'))})`
    : test(ref);
}

function dateMatch(eb: Eb, condition: DateCondition): Expression<SqlBool> {
  const { column, prefix, range } = condition;
  switch (prefix) {
    case 'eq':
      return eb.and([eb(column, '>=', range.start), eb(column, '<', range.end)]);
    case 'ne':
      return eb.or([eb(column, '<', range.start), eb(column, '>=', range.end)]);
    case 'gt':
      return eb(column, '>=', range.end);
    case 'ge':
      return eb(column, '>=', range.start);
    case 'lt':
      return eb(column, '<', range.start);
    case 'le':
      return eb(column, '<', range.end);
  }
}

/** One page of the citizen's documents matching a search, and how many match in all. */
export async function searchDocuments(
  db: Db,
  citizenId: string,
  search: DocumentSearch,
): Promise<{ total: number; resources: Json[] }> {
  const filtered = db
    .selectFrom('fhir_document_references')
    .where('citizen_id', '=', citizenId)
    .where('status', 'in', search.statuses as DocumentStatus[])
    .where((eb) => {
      const all: Expression<SqlBool>[] = [];
      for (const { column, values } of search.tokens)
        all.push(eb.or(values.map((token) => tokenMatch(eb, column, token))));
      for (const condition of search.dates) all.push(dateMatch(eb, condition));
      if (search.isArchived !== undefined) all.push(eb('is_archived', '=', search.isArchived));
      return eb.and(all);
    });
  const direction = search.sort === 'date' ? sql`asc nulls last` : sql`desc nulls last`;
  const rows = await filtered
    .select(['resource', sql<string>`count(*) over ()`.as('total')])
    .orderBy(sql`date ${direction}`)
    .orderBy('id')
    .limit(search.count)
    .offset(search.offset * search.count)
    .execute();
  let total = rows.length > 0 ? Number(rows[0].total) : 0;
  if (rows.length === 0 && search.offset > 0) {
    const counted = await filtered.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    total = Number(counted.n);
  }
  return { total, resources: rows.map((row) => asJson(row.resource)) };
}

// ── the citizen's own documents ─────────────────────────────────────────────

export interface CitizenDocumentRow {
  id: string;
  resource: Json;
  serviceOid: string;
  binaryId: string | null;
  contentType: string | null;
  size: number | null;
  date: Date | null;
}

/** The citizen's current documents, newest first, with their file's type and size. */
/** How many current documents with a file the citizen has (the pages of their list). */
export async function currentDocumentCount(db: Db, citizenId: string): Promise<number> {
  const row = await db
    .selectFrom('fhir_document_references')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('citizen_id', '=', citizenId)
    .where('status', '=', 'current')
    .where('binary_id', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function currentDocumentsOf(
  db: Db,
  citizenId: string,
  page: { limit: number; offset: number },
): Promise<CitizenDocumentRow[]> {
  const rows = await db
    .selectFrom('fhir_document_references as d')
    .leftJoin('fhir_binaries as b', (join) =>
      join.onRef('b.id', '=', 'd.binary_id').onRef('b.citizen_id', '=', 'd.citizen_id'),
    )
    .select(['d.id', 'd.resource', 'd.service_oid', 'd.binary_id', 'd.date', 'b.content_type', 'b.size'])
    .where('d.citizen_id', '=', citizenId)
    .where('d.status', '=', 'current')
    .orderBy(sql`d.date desc nulls last`)
    .orderBy('d.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    resource: asJson(row.resource),
    serviceOid: row.service_oid,
    binaryId: row.binary_id,
    contentType: row.content_type,
    size: row.size === null ? null : Number(row.size),
    date: row.date === null ? null : asDate(row.date),
  }));
}

/** Every document of the citizen (any status) and the Binaries they point to, for an export. */
export async function allOf(
  db: Db,
  citizenId: string,
): Promise<{ documents: StoredDocument[]; binaries: StoredBinary[] }> {
  const documents = (
    await db
      .selectFrom('fhir_document_references')
      .select(['id', 'service_oid', 'status', 'binary_id', 'version_id', 'last_updated', 'resource'])
      .where('citizen_id', '=', citizenId)
      .orderBy(sql`date desc nulls last`)
      .orderBy('id')
      .execute()
  ).map(documentOf);
  const binaries = (
    await db
      .selectFrom('fhir_binaries')
      .select(['id', 'service_oid', 'content_type', 'data', 'size', 'sha1', 'created_at'])
      .where('citizen_id', '=', citizenId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  ).map(binaryOf);
  return { documents, binaries };
}

/** Deletes every document of the citizen, their files, lists and versions; how many documents there were. */
export async function eraseAll(trx: Db, citizenId: string): Promise<number> {
  await trx
    .deleteFrom('fhir_resource_versions')
    .where('citizen_id', '=', citizenId)
    .where('resource_type', 'in', ['DocumentReference', 'List'])
    .execute();
  await trx.deleteFrom('fhir_lists').where('citizen_id', '=', citizenId).execute();
  const deleted = await trx
    .deleteFrom('fhir_document_references')
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
  await trx.deleteFrom('fhir_binaries').where('citizen_id', '=', citizenId).execute();
  return Number(deleted.numDeletedRows);
}
