/**
 * SQL of health measures: devices (conditional create, race-free), observations with their search columns,
 * and the versions of every stored resource. Every query names the citizen, so one citizen's data is never
 * read for another.
 */
import { sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';

type Json = Record<string, unknown>;

const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const asJson = (v: unknown): Json => (typeof v === 'string' ? (JSON.parse(v) as Json) : (v as Json));

export interface StoredVersion {
  id: string;
  versionId: number;
  lastUpdated: Date;
}

// ── writes ──────────────────────────────────────────────────────────────────

/**
 * Creates the citizen's device of this identifier unless it exists, and says which happened. Two pushes
 * racing on the same device make one row: the second insert waits on the unique key, does nothing, and reads
 * the row the first one committed.
 */
export async function createDeviceIfAbsent(
  trx: Db,
  device: {
    id: string;
    citizenId: string;
    serviceOid: string;
    system: string;
    value: string;
    resource: Json;
    lastUpdated: Date;
  },
): Promise<StoredVersion & { created: boolean }> {
  const inserted = await trx
    .insertInto('fhir_devices')
    .values({
      id: device.id,
      citizen_id: device.citizenId,
      service_oid: device.serviceOid,
      identifier_system: device.system,
      identifier_value: device.value,
      resource: JSON.stringify(device.resource),
      version_id: 1,
      last_updated: device.lastUpdated,
    })
    .onConflict((oc) => oc.columns(['citizen_id', 'identifier_system', 'identifier_value']).doNothing())
    .returning(['id'])
    .executeTakeFirst();
  if (inserted) return { id: device.id, versionId: 1, lastUpdated: device.lastUpdated, created: true };
  const existing = await trx
    .selectFrom('fhir_devices')
    .select(['id', 'version_id', 'last_updated'])
    .where('citizen_id', '=', device.citizenId)
    .where('identifier_system', '=', device.system)
    .where('identifier_value', '=', device.value)
    .executeTakeFirstOrThrow();
  return {
    id: existing.id,
    versionId: Number(existing.version_id),
    lastUpdated: asDate(existing.last_updated),
    created: false,
  };
}

export async function insertObservation(
  trx: Db,
  row: {
    id: string;
    citizenId: string;
    serviceOid: string;
    category: string;
    code: string;
    effectiveAt: Date;
    deviceId: string | null;
    lastUpdated: Date;
    resource: Json;
  },
): Promise<void> {
  await trx
    .insertInto('fhir_observations')
    .values({
      id: row.id,
      citizen_id: row.citizenId,
      service_oid: row.serviceOid,
      category: row.category,
      code: row.code,
      effective_at: row.effectiveAt,
      device_id: row.deviceId,
      version_id: 1,
      last_updated: row.lastUpdated,
      resource: JSON.stringify(row.resource),
    })
    .execute();
}

/** Keeps one version of a stored resource (for `_history`). */
export async function insertVersion(
  trx: Db,
  version: {
    resourceType: 'Observation' | 'Device';
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
      resource_type: version.resourceType,
      id: version.id,
      version_id: version.versionId,
      citizen_id: version.citizenId,
      last_updated: version.lastUpdated,
      resource: JSON.stringify(version.resource),
    })
    .execute();
}

// ── reads ───────────────────────────────────────────────────────────────────

/** A device of this citizen (undefined for another's). */
export async function deviceOf(db: Db, citizenId: string, id: string): Promise<StoredVersion | undefined> {
  const row = await db
    .selectFrom('fhir_devices')
    .select(['id', 'version_id', 'last_updated'])
    .where('id', '=', id)
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
  return row && { id: row.id, versionId: Number(row.version_id), lastUpdated: asDate(row.last_updated) };
}

export interface ObservationRow {
  id: string;
  category: string;
  code: string;
  serviceOid: string;
  effectiveAt: Date;
  deviceId: string | null;
  versionId: number;
  lastUpdated: Date;
  resource: Json;
}

interface ObservationSqlRow {
  id: string;
  category: string;
  code: string;
  service_oid: string;
  effective_at: unknown;
  device_id: string | null;
  version_id: number | string;
  last_updated: unknown;
  resource: unknown;
}

const observationColumns = [
  'id',
  'category',
  'code',
  'service_oid',
  'effective_at',
  'device_id',
  'version_id',
  'last_updated',
  'resource',
] as const;

function toObservation(r: ObservationSqlRow): ObservationRow {
  return {
    id: r.id,
    category: r.category,
    code: r.code,
    serviceOid: r.service_oid,
    effectiveAt: asDate(r.effective_at),
    deviceId: r.device_id,
    versionId: Number(r.version_id),
    lastUpdated: asDate(r.last_updated),
    resource: asJson(r.resource),
  };
}

/** One of this citizen's observations (undefined for another's or an absent one). */
export async function observationOf(
  db: Db,
  citizenId: string,
  id: string,
): Promise<ObservationRow | undefined> {
  const row = await db
    .selectFrom('fhir_observations')
    .select(observationColumns)
    .where('id', '=', id)
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
  return row && toObservation(row);
}

export interface PageQuery {
  citizenId: string;
  code: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
  /** Count every match (the window function rides on the page's own scan). */
  withTotal: boolean;
}

/** A page of a citizen's observations of one code, newest first, and how many match in all when asked. */
export async function searchPage(
  db: Db,
  q: PageQuery,
): Promise<{ rows: ObservationRow[]; total: number | undefined }> {
  let query = db
    .selectFrom('fhir_observations')
    .select(observationColumns)
    .where('citizen_id', '=', q.citizenId)
    .where('code', '=', q.code);
  if (q.from) query = query.where('effective_at', '>=', q.from);
  if (q.to) query = query.where('effective_at', '<', q.to);
  const rows = await query
    .$if(q.withTotal, (qb) => qb.select(sql<number>`count(*) over ()`.as('total')))
    .orderBy('effective_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit)
    .offset(q.offset)
    .execute();
  let total: number | undefined;
  if (q.withTotal) {
    const first = rows[0] as { total?: number | string } | undefined;
    if (first) total = Number(first.total);
    else if (q.offset === 0) total = 0;
    else total = await countMatches(db, q);
  }
  return { rows: rows.map(toObservation), total };
}

/** How many observations match (for a page past the end, where the window function has no row to ride on). */
async function countMatches(db: Db, q: PageQuery): Promise<number> {
  let query = db
    .selectFrom('fhir_observations')
    .select(sql<number>`count(*)`.as('n'))
    .where('citizen_id', '=', q.citizenId)
    .where('code', '=', q.code);
  if (q.from) query = query.where('effective_at', '>=', q.from);
  if (q.to) query = query.where('effective_at', '<', q.to);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** These devices of this citizen, as stored. */
export async function devicesOf(db: Db, citizenId: string, ids: readonly string[]): Promise<Json[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('fhir_devices')
    .select(['resource'])
    .where('citizen_id', '=', citizenId)
    .where('id', 'in', [...new Set(ids)])
    .orderBy('id')
    .execute();
  return rows.map((r) => asJson(r.resource));
}

/**
 * A device of this citizen that one of their observations of these categories names, with the category of
 * the newest such observation; undefined otherwise.
 */
export async function linkedDevice(
  db: Db,
  citizenId: string,
  id: string,
  categories: readonly string[],
): Promise<{ resource: Json; versionId: number; lastUpdated: Date; category: string } | undefined> {
  if (categories.length === 0) return undefined;
  const row = await db
    .selectFrom('fhir_devices as d')
    .innerJoin('fhir_observations as o', (join) =>
      join.onRef('o.device_id', '=', 'd.id').onRef('o.citizen_id', '=', 'd.citizen_id'),
    )
    .select(['d.resource', 'd.version_id', 'd.last_updated', 'o.category'])
    .where('d.id', '=', id)
    .where('d.citizen_id', '=', citizenId)
    .where('o.category', 'in', [...categories])
    .orderBy('o.effective_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return (
    row && {
      resource: asJson(row.resource),
      versionId: Number(row.version_id),
      lastUpdated: asDate(row.last_updated),
      category: row.category,
    }
  );
}

/** The versions of one of this citizen's resources, newest first (one version when `versionId` is given). */
export async function versionsOf(
  db: Db,
  citizenId: string,
  resourceType: 'Observation' | 'Device',
  id: string,
  versionId?: number,
): Promise<Array<{ versionId: number; lastUpdated: Date; resource: Json }>> {
  let query = db
    .selectFrom('fhir_resource_versions')
    .select(['version_id', 'last_updated', 'resource'])
    .where('resource_type', '=', resourceType)
    .where('id', '=', id)
    .where('citizen_id', '=', citizenId);
  if (versionId !== undefined) query = query.where('version_id', '=', versionId);
  const rows = await query.orderBy('version_id', 'desc').execute();
  return rows.map((r) => ({
    versionId: Number(r.version_id),
    lastUpdated: asDate(r.last_updated),
    resource: asJson(r.resource),
  }));
}

// ── the citizen's own views ─────────────────────────────────────────────────

/** A citizen's observations, newest first, of a category and a period when given. */
export async function observationsOfCitizen(
  db: Db,
  citizenId: string,
  filter: { category?: string; from?: Date; to?: Date; limit: number },
): Promise<ObservationRow[]> {
  let query = db
    .selectFrom('fhir_observations')
    .select(observationColumns)
    .where('citizen_id', '=', citizenId);
  if (filter.category !== undefined) query = query.where('category', '=', filter.category);
  if (filter.from) query = query.where('effective_at', '>=', filter.from);
  if (filter.to) query = query.where('effective_at', '<', filter.to);
  const rows = await query
    .orderBy('effective_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
  return rows.map(toObservation);
}

/** How many observations a citizen has per category, and the newest one's date. */
export async function categoryCounts(
  db: Db,
  citizenId: string,
): Promise<Array<{ category: string; count: number; last: Date }>> {
  const rows = await db
    .selectFrom('fhir_observations')
    .select(['category', sql<number>`count(*)`.as('n'), sql<Date>`max(effective_at)`.as('last')])
    .where('citizen_id', '=', citizenId)
    .groupBy('category')
    .orderBy('category')
    .execute();
  return rows.map((r) => ({ category: r.category, count: Number(r.n), last: asDate(r.last) }));
}

/** Every stored measure and device of a citizen, as FHIR resources (observations newest first). */
export async function allResourcesOf(
  db: Db,
  citizenId: string,
): Promise<{ observations: Json[]; devices: Json[] }> {
  const observations = await db
    .selectFrom('fhir_observations')
    .select('resource')
    .where('citizen_id', '=', citizenId)
    .orderBy('effective_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const devices = await db
    .selectFrom('fhir_devices')
    .select('resource')
    .where('citizen_id', '=', citizenId)
    .orderBy('id')
    .execute();
  return {
    observations: observations.map((r) => asJson(r.resource)),
    devices: devices.map((r) => asJson(r.resource)),
  };
}

/** Deletes a citizen's measures, devices and their versions; returns how many measures went. */
export async function eraseCitizen(trx: Db, citizenId: string): Promise<number> {
  await trx
    .deleteFrom('fhir_resource_versions')
    .where('citizen_id', '=', citizenId)
    .where('resource_type', 'in', ['Observation', 'Device'])
    .execute();
  const observations = await trx
    .deleteFrom('fhir_observations')
    .where('citizen_id', '=', citizenId)
    .executeTakeFirst();
  await trx.deleteFrom('fhir_devices').where('citizen_id', '=', citizenId).execute();
  return Number(observations.numDeletedRows);
}
