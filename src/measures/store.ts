/**
 * SQL of health measures: devices (conditional create, race-free), observations with their search columns,
 * and the versions of every stored resource. Every query names the citizen, so one citizen's data is never
 * read for another.
 */
import { type RawBuilder, sql } from 'kysely';
import { type Db, prepared } from '../platform/db/index.ts';

type Json = Record<string, unknown>;

const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const asJson = (v: unknown): Json => (typeof v === 'string' ? (JSON.parse(v) as Json) : (v as Json));

export interface StoredVersion {
  id: string;
  versionId: number;
  lastUpdated: Date;
}

// ── writes ──────────────────────────────────────────────────────────────────

/** An observation as stored: its search columns and the resource with the server's meta. */
export interface ObservationWrite {
  id: string;
  citizenId: string;
  serviceOid: string;
  category: string;
  code: string;
  effectiveAt: Date;
  deviceId: string | null;
  lastUpdated: Date;
  resource: Json;
}

/** The device of a push, created with its first version unless the citizen has one of its identifier. */
export interface DeviceWrite {
  id: string;
  system: string;
  value: string;
  resource: Json;
}

/**
 * Stores a push in one statement: the device unless this citizen has one of its identifier (then the stored
 * one is named), the observation naming it, the first version of each, and the access event (`event`, the
 * CTEs of `auditAppendCtes`, appended only with the observation), all only when `holds` (the caller's facts
 * still hold, as `DataCaller.holds`); `'stale'` when it did not, and nothing is stored. One statement is
 * atomic: all of it is stored or none. Two pushes racing on a new device make one row: the second insert waits
 * on the unique key and does nothing, and its snapshot, taken before the wait, cannot see the row the first
 * committed; then nothing is stored and the answer is `undefined`: run it again, a new statement finds the
 * device.
 */
export async function storePush(
  db: Db,
  push: {
    observation: ObservationWrite;
    device?: DeviceWrite;
    holds: RawBuilder<boolean>;
    event?: (onlyIf: RawBuilder<unknown>) => RawBuilder<unknown>;
  },
): Promise<{ device?: StoredVersion & { created: boolean } } | 'stale' | undefined> {
  const o = push.observation;
  const d = push.device;
  const held = sql`(select ok from held)`;
  const resource = sql`cast(${JSON.stringify(o.resource)} as jsonb)`;
  // `device`: the push's device, created or found (no row when a racing push created it); else one row naming
  // the device the observation already names, or none.
  const device = d
    ? sql`new_device as (
        insert into fhir_devices
          (id, citizen_id, service_oid, identifier_system, identifier_value, resource, version_id, last_updated)
        select ${d.id}, ${o.citizenId}, ${o.serviceOid}, ${d.system}, ${d.value},
          cast(${JSON.stringify(d.resource)} as jsonb), 1, ${o.lastUpdated}
        where ${held}
        on conflict (citizen_id, identifier_system, identifier_value) do nothing
        returning id, version_id, last_updated, resource
      ), device_version as (
        insert into fhir_resource_versions (resource_type, id, version_id, citizen_id, last_updated, resource)
        select 'Device', id, 1, ${o.citizenId}, last_updated, resource from new_device
      ), device as (
        select id, version_id, last_updated, true as created from new_device
        union all
        select id, version_id, last_updated, false as created from fhir_devices
        where citizen_id = ${o.citizenId} and identifier_system = ${d.system} and identifier_value = ${d.value}
          and not exists (select 1 from new_device) and ${held}
      )`
    : sql`device as (
        select cast(${o.deviceId} as uuid) as id, null::integer as version_id, null::timestamptz as last_updated,
          false as created
        where ${held}
      )`;
  const result = await sql<{
    ok: boolean;
    id: string | null;
    version_id: number | null;
    last_updated: unknown;
    created: boolean | null;
  }>`${prepared}
    with held as (select ${push.holds} as ok), ${device}, observation as (
      insert into fhir_observations
        (id, citizen_id, service_oid, category, code, effective_at, device_id, version_id, last_updated, resource)
      select ${o.id}, ${o.citizenId}, ${o.serviceOid}, ${o.category}, ${o.code}, ${o.effectiveAt}, device.id, 1,
        ${o.lastUpdated},
        ${d ? sql`jsonb_set(${resource}, array['device', 'reference'], to_jsonb('Device/' || device.id))` : resource}
      from device
      returning id, last_updated, resource
    ), observation_version as (
      insert into fhir_resource_versions (resource_type, id, version_id, citizen_id, last_updated, resource)
      select 'Observation', id, 1, ${o.citizenId}, last_updated, resource from observation
    )${push.event ? sql`, ${push.event(sql`exists (select 1 from observation)`)}` : sql``}
    select held.ok, device.id, device.version_id, device.last_updated, device.created
    from held left join device on true`.execute(db);
  const row = result.rows[0];
  if (!row?.ok) return 'stale';
  if (!d) return {};
  if (row.id === null) return undefined;
  return {
    device: {
      id: row.id,
      versionId: Number(row.version_id),
      lastUpdated: asDate(row.last_updated),
      created: Boolean(row.created),
    },
  };
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

/**
 * A page of a citizen's observations of one code, newest first, and how many match in all when asked, read
 * only when `holds` (the caller's facts still hold, as `DataCaller.holds`): `'stale'` when it did not. The
 * read's access event (`event`, the CTEs of `auditAppendCtes`) is appended by the same statement.
 */
export async function searchPage(
  db: Db,
  q: PageQuery & {
    holds: RawBuilder<boolean>;
    event?: (onlyIf: RawBuilder<unknown>) => RawBuilder<unknown>;
  },
): Promise<{ rows: ObservationRow[]; total: number | undefined } | 'stale'> {
  // `held` always gives one row; the page's rows ride on it (none when the facts no longer hold).
  const result = await sql<
    { ok: boolean } & { [K in keyof ObservationSqlRow]: ObservationSqlRow[K] | null } & {
      total?: number | string;
    }
  >`${prepared}
    with held as (select ${q.holds} as ok)
      ${q.event ? sql`, ${q.event(sql`(select ok from held)`)}` : sql``}
    select held.ok, r.* from held left join lateral (
      select id, category, code, service_oid, effective_at, device_id, version_id, last_updated, resource
        ${q.withTotal ? sql`, count(*) over () as total` : sql``}
      from fhir_observations
      where citizen_id = ${q.citizenId} and code = ${q.code}
        ${q.from ? sql`and effective_at >= ${q.from}` : sql``}
        ${q.to ? sql`and effective_at < ${q.to}` : sql``}
      order by effective_at desc, id desc
      limit ${q.limit} offset ${q.offset}
    ) r on held.ok`.execute(db);
  if (!result.rows[0]?.ok) return 'stale';
  const rows = result.rows.filter((r): r is typeof r & ObservationSqlRow => r.id !== null);
  let total: number | undefined;
  if (q.withTotal) {
    const first = rows[0];
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

// ── BMI, computed on read ───────────────────────────────────────────────────

export interface BmiRow {
  weight: { id: string; resource: Json; lastUpdated: Date };
  height: { id: string; resource: Json; lastUpdated: Date };
}

interface BmiSqlRow {
  weight_id: string;
  weight: unknown;
  weight_updated: unknown;
  height_id: string;
  height: unknown;
  height_updated: unknown;
  total?: number | string;
}

const toBmi = (r: BmiSqlRow): BmiRow => ({
  weight: { id: r.weight_id, resource: asJson(r.weight), lastUpdated: asDate(r.weight_updated) },
  height: { id: r.height_id, resource: asJson(r.height), lastUpdated: asDate(r.height_updated) },
});

/**
 * Each weight with the height measured last at or before it (an index scan per weight on (citizen, code,
 * effective_at)), as rows `w` and `h`; the caller adds its conditions on `w`.
 */
function weightsWithHeight(heightCode: string, withTotal: boolean) {
  return sql`select w.id as weight_id, w.resource as weight, w.last_updated as weight_updated,
      h.id as height_id, h.resource as height, h.last_updated as height_updated
      ${withTotal ? sql`, count(*) over () as total` : sql``}
    from fhir_observations w
    join lateral (
      select id, resource, last_updated from fhir_observations h
      where h.citizen_id = w.citizen_id and h.code = ${heightCode} and h.effective_at <= w.effective_at
      order by h.effective_at desc, h.id desc
      limit 1
    ) h on true`;
}

/**
 * A page of the citizen's weights that have a height measured at or before them, newest first, each with that
 * last height (an index scan per weight on (citizen, code, effective_at)), and how many in all when asked.
 */
export async function bmiPage(
  db: Db,
  q: Omit<PageQuery, 'code'> & { weightCode: string; heightCode: string },
): Promise<{ rows: BmiRow[]; total: number | undefined }> {
  const result = await sql<BmiSqlRow>`
    ${weightsWithHeight(q.heightCode, q.withTotal)}
    where w.citizen_id = ${q.citizenId} and w.code = ${q.weightCode}
      ${q.from ? sql`and w.effective_at >= ${q.from}` : sql``}
      ${q.to ? sql`and w.effective_at < ${q.to}` : sql``}
    order by w.effective_at desc, w.id desc
    limit ${q.limit} offset ${q.offset}`.execute(db);
  const rows = result.rows;
  let total: number | undefined;
  if (q.withTotal) {
    if (rows[0]) total = Number(rows[0].total);
    else if (q.offset === 0) total = 0;
    else {
      // A page past the end: the window function has no row to ride on.
      const counted = await sql<{ n: number | string }>`
        select count(*) as n from fhir_observations w
        where w.citizen_id = ${q.citizenId} and w.code = ${q.weightCode}
          ${q.from ? sql`and w.effective_at >= ${q.from}` : sql``}
          ${q.to ? sql`and w.effective_at < ${q.to}` : sql``}
          and exists (select 1 from fhir_observations h where h.citizen_id = w.citizen_id
            and h.code = ${q.heightCode} and h.effective_at <= w.effective_at)`.execute(db);
      total = Number(counted.rows[0]?.n ?? 0);
    }
  }
  return { rows: rows.map(toBmi), total };
}

/** The weight of this id with the last height before it (undefined for another citizen's, or no height). */
export async function bmiSourceOf(
  db: Db,
  q: { citizenId: string; weightId: string; weightCode: string; heightCode: string },
): Promise<BmiRow | undefined> {
  const result = await sql<BmiSqlRow>`
    ${weightsWithHeight(q.heightCode, false)}
    where w.citizen_id = ${q.citizenId} and w.id = ${q.weightId} and w.code = ${q.weightCode}`.execute(db);
  return result.rows[0] && toBmi(result.rows[0]);
}
