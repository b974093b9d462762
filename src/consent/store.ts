/**
 * SQL of pairings (appariements) and consents (accords exprès). The views join what a page or a decision
 * needs (the service's catalogue status, version and convention, the citizen's birthdate, every consent of
 * the pairing) in one statement, so a data access costs one round trip to the database.
 */
import { type RawBuilder, sql } from 'kysely';
import { type Db, prepared } from '../platform/db/index.ts';
import type { ConsentAction, ConsentGrant, ConsentStatus } from './model.ts';

export interface PairingRow {
  id: string;
  citizenId: string;
  serviceOid: string;
  productId: string | null;
  dossierId: string | null;
  idPe: string;
  serviceUserId: string | null;
  status: 'active' | 'unpaired';
  acknowledgedVersion: string;
  scopes: string[];
  pairedBy: string;
  pairedAt: Date;
  unpairedAt: Date | null;
  rowVersion: number;
}

/** A pairing with what its view and its decision need, read in one statement. */
export interface PairingFullRow extends PairingRow {
  birthdate: string | null;
  catalogueStatus: string | null;
  currentVersion: string | null;
  convention: Record<string, unknown> | null;
  serviceName: string | null;
  organisationName: string | null;
  consents: ConsentGrant[];
}

/** What the decision of one access needs: the service (always), the pairing when there is one. */
export interface AccessRow {
  catalogueStatus: string | null;
  currentVersion: string | null;
  pairing: PairingFullRow | undefined;
}

/** A service with data exchange: a published referencing file, or a connection-test session's test service. */
export interface ServiceRow {
  oid: string;
  /** Null for a test session's service. */
  dossierId: string | null;
  productId: string;
  typology: string;
  state: string;
  catalogueStatus: string | null;
  version: string;
  convention: Record<string, unknown> | null;
  request: Record<string, unknown>;
  name: string;
  organisationName: string;
  logoId: string | null;
  cguUrl: string | null;
  privacyUrl: string | null;
}

const asDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const asDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : asDate(v));
const asJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

// ── the service ─────────────────────────────────────────────────────────────

/**
 * The service of an OID (`exchange_services`: a published file, or a test session of the sandbox), with its
 * product, publisher and logo (undefined: no such service).
 */
export async function serviceByOid(db: Db, oid: string): Promise<ServiceRow | undefined> {
  const row = await db
    .selectFrom('exchange_services as d')
    .innerJoin('products as p', 'p.id', 'd.product_id')
    .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .leftJoin('product_images as i', (join) =>
      join.onRef('i.product_id', '=', 'p.id').on('i.kind', '=', 'logo'),
    )
    .select([
      'd.oid',
      'd.dossier_id as dossierId',
      'd.product_id as productId',
      'd.typology',
      'd.state',
      'd.catalogue_status as catalogueStatus',
      'd.product_version as version',
      'd.convention',
      'd.request',
      'p.commercial_name as name',
      'o.legal_name as organisationName',
      'i.id as logoId',
      'p.url_cgu as cguUrl',
      'p.url_privacy as privacyUrl',
    ])
    .where('d.oid', '=', oid)
    .executeTakeFirst();
  if (!row?.oid) return undefined;
  return {
    ...row,
    oid: row.oid,
    convention: row.convention ? asJson<Record<string, unknown>>(row.convention) : null,
    request: asJson<Record<string, unknown>>(row.request),
  };
}

/** The names of services by OID (for the activity history). */
export async function serviceNames(db: Db, oids: string[]): Promise<Map<string, string>> {
  if (oids.length === 0) return new Map();
  const rows = await db
    .selectFrom('exchange_services as d')
    .innerJoin('products as p', 'p.id', 'd.product_id')
    .select(['d.oid', 'p.commercial_name'])
    .where('d.oid', 'in', oids)
    .execute();
  return new Map(rows.map((r) => [r.oid as string, r.commercial_name]));
}

// ── citizens and guardianships ──────────────────────────────────────────────

/** A birthdate as the day it is (`YYYY-MM-DD`), whatever the driver makes of a `date`. */
const birthdateOf = (table: 'citizens' | 'c') =>
  sql<string | null>`to_char(${sql.ref(`${table}.birthdate`)}, 'YYYY-MM-DD')`.as('birthdate');

export interface CitizenFacts {
  id: string;
  name: string;
  birthdate: string | null;
}

export async function citizenFacts(db: Db, citizenId: string): Promise<CitizenFacts | undefined> {
  const row = await db
    .selectFrom('citizens')
    .select(['id', 'given_name', 'family_name', birthdateOf('citizens')])
    .where('id', '=', citizenId)
    .executeTakeFirst();
  return row && { id: row.id, name: `${row.given_name} ${row.family_name}`, birthdate: row.birthdate };
}

/** The minors in a guardian's care (whatever their age: the rights are decided by the service). */
export async function minorsOf(db: Db, guardianId: string): Promise<CitizenFacts[]> {
  const rows = await db
    .selectFrom('guardianships as g')
    .innerJoin('citizens as c', 'c.id', 'g.minor_id')
    .select(['c.id', 'c.given_name', 'c.family_name', birthdateOf('c')])
    .where('g.guardian_id', '=', guardianId)
    .orderBy('c.given_name')
    .orderBy('c.family_name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: `${r.given_name} ${r.family_name}`, birthdate: r.birthdate }));
}

/** The birthdate of a minor in this guardian's care, or undefined when there is no such guardianship. */
export async function guardianshipOf(
  db: Db,
  guardianId: string,
  minorId: string,
): Promise<{ birthdate: string | null } | undefined> {
  return db
    .selectFrom('guardianships as g')
    .innerJoin('citizens as c', 'c.id', 'g.minor_id')
    .select(birthdateOf('c'))
    .where('g.guardian_id', '=', guardianId)
    .where('g.minor_id', '=', minorId)
    .executeTakeFirst();
}

/** The guardians of these citizens (to tell them too when a minor's service needs re-approval). */
export async function guardiansOf(
  db: Db,
  minorIds: string[],
): Promise<Array<{ guardianId: string; minorId: string }>> {
  if (minorIds.length === 0) return [];
  const rows = await db
    .selectFrom('guardianships')
    .select(['guardian_id', 'minor_id'])
    .where('minor_id', 'in', minorIds)
    .execute();
  return rows.map((r) => ({ guardianId: r.guardian_id, minorId: r.minor_id }));
}

// ── pairings ────────────────────────────────────────────────────────────────

/* The select list of a full pairing view; `p`, `c`, `d`, `pr`, `o` are joined by each query. */
const fullColumns = sql`
  p.id, p.citizen_id, p.service_oid, p.product_id, p.dossier_id, p.id_pe, p.service_user_id, p.status,
  p.acknowledged_version, p.scopes, p.paired_by, p.paired_at, p.unpaired_at, p.row_version,
  to_char(c.birthdate, 'YYYY-MM-DD') as birthdate, pr.commercial_name as service_name, o.legal_name as organisation_name,
  coalesce((
    select json_agg(json_build_object(
      'finalite', k.finalite, 'category', k.category, 'action', k.action, 'status', k.status,
      'grantedAt', k.granted_at, 'withdrawnAt', k.withdrawn_at, 'grantedBy', k.granted_by
    ) order by k.finalite, k.category, k.action)
    from consents k where k.pairing_id = p.id
  ), '[]') as consents`;

/** A pairing row as SQL gives it (JSON and dates read the same from PGlite and from node-postgres). */
interface PairingSqlRow {
  id: string;
  citizen_id: string;
  service_oid: string;
  product_id: string | null;
  dossier_id: string | null;
  id_pe: string;
  service_user_id: string | null;
  status: 'active' | 'unpaired';
  acknowledged_version: string;
  scopes: unknown;
  paired_by: string;
  paired_at: unknown;
  unpaired_at: unknown;
  row_version: number | string;
}

/** A pairing with its citizen's birthdate, its service's facts and its consents. */
interface FullSqlRow extends Omit<PairingSqlRow, 'id'> {
  id: string | null;
  birthdate: string | null;
  service_name: string | null;
  organisation_name: string | null;
  catalogue_status: string | null;
  product_version: string | null;
  convention: unknown;
  consents: unknown;
}

function toFull(r: FullSqlRow): PairingFullRow {
  const consents = asJson<Array<Record<string, unknown>>>(r.consents).map(
    (k): ConsentGrant => ({
      finalite: String(k.finalite),
      category: String(k.category),
      action: k.action as ConsentAction,
      status: k.status as ConsentStatus,
      grantedAt: asDate(k.grantedAt),
      withdrawnAt: asDateOrNull(k.withdrawnAt),
      grantedBy: String(k.grantedBy),
    }),
  );
  return {
    ...toRow({ ...r, id: r.id as string }),
    birthdate: r.birthdate,
    catalogueStatus: r.catalogue_status,
    currentVersion: r.product_version,
    convention: r.convention ? asJson<Record<string, unknown>>(r.convention) : null,
    serviceName: r.service_name,
    organisationName: r.organisation_name,
    consents,
  };
}

/** Full pairings chosen by one condition on `p` (its id, its citizen, its idPe). */
export async function fullPairings(
  db: Db,
  where: { id: string } | { citizenId: string } | { idPe: string },
): Promise<PairingFullRow[]> {
  const condition =
    'id' in where
      ? sql`p.id = ${where.id}`
      : 'citizenId' in where
        ? sql`p.citizen_id = ${where.citizenId}`
        : sql`p.id_pe = ${where.idPe}`;
  const result = await sql<FullSqlRow>`
    select ${fullColumns}, d.catalogue_status, d.product_version, d.convention
    from pairings p
    join citizens c on c.id = p.citizen_id
    left join exchange_services d on d.oid = p.service_oid
    left join products pr on pr.id = d.product_id
    left join organisations o on o.id = d.organisation_id
    where ${condition}
    order by p.paired_at desc, p.id`.execute(db);
  return result.rows.map(toFull);
}

/**
 * The rows one data access is decided on: the service of the OID (`d`, whether or not the citizen paired it),
 * the pairing of that idPe with it (`p`) and its citizen (`c`), and `a.value`, a scalar SQL expression of
 * the caller's (the resource server's token checks), read by the same statement.
 */
function accessFrom(idPe: string, serviceOid: string, alongside: RawBuilder<unknown> | undefined) {
  return sql`from (select cast(${serviceOid} as text) as oid) q
    left join exchange_services d on d.oid = q.oid
    left join pairings p on p.service_oid = q.oid and p.id_pe = ${idPe}
    left join citizens c on c.id = p.citizen_id
    cross join lateral (select (${alongside ?? sql`null`}) as value) a`;
}

/**
 * A digest of every fact a decision reads (as `decide` and the FHIR gate use them): the service's catalogue
 * status and version; the pairing's id, citizen, status and acknowledged version; the citizen's birthdate;
 * each consent's finalité, category, action, status, grant time and grantor; the caller's `a.value`. Nothing
 * else (names, convention, scopes), so that what does not change a decision does not change the digest.
 */
const decisionDigest = sql<string>`md5(cast(row(
    d.catalogue_status, d.product_version, p.id, p.citizen_id, p.status, p.acknowledged_version, c.birthdate,
    (select string_agg(cast(row(k.finalite, k.category, k.action, k.status, k.granted_at, k.granted_by) as text),
        ',' order by k.finalite, k.category, k.action)
      from consents k where k.pairing_id = p.id),
    cast(a.value as text)
  ) as text))`;

/**
 * Everything one data access is decided on, in one statement: the service's catalogue status and version
 * (whether or not the citizen paired it), and the pairing of that idPe with that service with its consents;
 * with `fingerprint`, the digest of what a decision reads, which `accessFactsHold` computes again inside a
 * later statement to tell whether any of it changed since. `alongside`, a scalar SQL expression of the
 * caller's (the resource server's token checks), is read by the same statement and answered as is.
 */
export async function accessFacts(
  db: Db,
  idPe: string,
  serviceOid: string,
  alongside?: RawBuilder<unknown>,
): Promise<AccessRow & { alongside?: unknown; fingerprint: string }> {
  const result = await sql<FullSqlRow & { alongside: unknown; fingerprint: string }>`${prepared}
    select ${fullColumns}, d.catalogue_status, d.product_version, d.convention, a.value as alongside,
      ${decisionDigest} as fingerprint
    ${accessFrom(idPe, serviceOid, alongside)}
    left join products pr on pr.id = d.product_id
    left join organisations o on o.id = d.organisation_id`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('the access facts statement answered no row');
  return {
    catalogueStatus: row.catalogue_status,
    currentVersion: row.product_version,
    pairing: row.id ? toFull(row) : undefined,
    fingerprint: row.fingerprint,
    ...(alongside ? { alongside: row.alongside } : {}),
  };
}

/**
 * A SQL condition, for a statement that acts on a decision made on facts read earlier by `accessFacts` (with
 * the same `alongside`): true when what a decision reads of them still has this fingerprint. Evaluated in the
 * statement's own snapshot, so that the statement's reads and writes are those of a call decided on the
 * facts as they are when it runs.
 */
export function accessFactsHold(
  idPe: string,
  serviceOid: string,
  fingerprint: string,
  alongside?: RawBuilder<unknown>,
): RawBuilder<boolean> {
  return sql<boolean>`coalesce((select ${decisionDigest} ${accessFrom(idPe, serviceOid, alongside)}) = ${fingerprint}, false)`;
}

/** Locks a pairing for a change (the caller's transaction holds it until commit). */
export async function lockPairing(trx: Db, id: string): Promise<PairingRow | undefined> {
  const row = await trx
    .selectFrom('pairings')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && toRow(row);
}

/** The citizen's pairing with a service, locked: the active one, else the latest unpaired one. */
export async function lockPairingOf(
  trx: Db,
  citizenId: string,
  serviceOid: string,
): Promise<PairingRow | undefined> {
  const row = await trx
    .selectFrom('pairings')
    .selectAll()
    .where('citizen_id', '=', citizenId)
    .where('service_oid', '=', serviceOid)
    .orderBy(sql`status = 'active'`, 'desc')
    .orderBy('paired_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
  return row && toRow(row);
}

function toRow(r: PairingSqlRow): PairingRow {
  return {
    id: r.id,
    citizenId: r.citizen_id,
    serviceOid: r.service_oid,
    productId: r.product_id,
    dossierId: r.dossier_id,
    idPe: r.id_pe,
    serviceUserId: r.service_user_id,
    status: r.status,
    acknowledgedVersion: r.acknowledged_version,
    scopes: asJson<string[]>(r.scopes),
    pairedBy: r.paired_by,
    pairedAt: asDate(r.paired_at),
    unpairedAt: asDateOrNull(r.unpaired_at),
    rowVersion: Number(r.row_version),
  };
}

export async function insertPairing(
  trx: Db,
  p: Omit<PairingRow, 'rowVersion' | 'unpairedAt' | 'status'>,
): Promise<void> {
  await trx
    .insertInto('pairings')
    .values({
      id: p.id,
      citizen_id: p.citizenId,
      service_oid: p.serviceOid,
      product_id: p.productId,
      dossier_id: p.dossierId,
      id_pe: p.idPe,
      service_user_id: p.serviceUserId,
      status: 'active',
      acknowledged_version: p.acknowledgedVersion,
      scopes: JSON.stringify(p.scopes),
      paired_by: p.pairedBy,
      paired_at: p.pairedAt,
      unpaired_at: null,
      row_version: 1,
    })
    .execute();
}

export interface PairingUpdate {
  status?: 'active' | 'unpaired';
  acknowledgedVersion?: string;
  serviceUserId?: string | null;
  scopes?: string[];
  pairedBy?: string;
  pairedAt?: Date;
  unpairedAt?: Date | null;
  productId?: string;
  dossierId?: string | null;
}

/** Changes a pairing if it is still at `rowVersion`, and moves it on by one; false when it was not. */
export async function updatePairing(
  trx: Db,
  id: string,
  rowVersion: number,
  u: PairingUpdate,
): Promise<boolean> {
  const result = await trx
    .updateTable('pairings')
    .set({
      ...(u.status !== undefined && { status: u.status }),
      ...(u.acknowledgedVersion !== undefined && { acknowledged_version: u.acknowledgedVersion }),
      ...(u.serviceUserId !== undefined && { service_user_id: u.serviceUserId }),
      ...(u.scopes !== undefined && { scopes: JSON.stringify(u.scopes) }),
      ...(u.pairedBy !== undefined && { paired_by: u.pairedBy }),
      ...(u.pairedAt !== undefined && { paired_at: u.pairedAt }),
      ...(u.unpairedAt !== undefined && { unpaired_at: u.unpairedAt }),
      ...(u.productId !== undefined && { product_id: u.productId }),
      ...(u.dossierId !== undefined && { dossier_id: u.dossierId }),
      row_version: sql`row_version + 1`,
    })
    .where('id', '=', id)
    .where('row_version', '=', rowVersion)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The citizens who paired a service and have not unpaired it (to tell them of a new version). */
export async function activePairingsOfService(
  db: Db,
  serviceOid: string,
): Promise<Array<{ id: string; citizenId: string }>> {
  const rows = await db
    .selectFrom('pairings')
    .select(['id', 'citizen_id'])
    .where('service_oid', '=', serviceOid)
    .where('status', '=', 'active')
    .execute();
  return rows.map((r) => ({ id: r.id, citizenId: r.citizen_id }));
}

// ── consents ────────────────────────────────────────────────────────────────

export interface ConsentRow {
  finalite: string;
  category: string;
  action: ConsentAction;
  status: ConsentStatus;
  grantedBy: string;
  informationTextSha256: string;
}

export async function consentsOf(trx: Db, pairingId: string): Promise<ConsentRow[]> {
  const rows = await trx
    .selectFrom('consents')
    .select(['finalite', 'category', 'action', 'status', 'granted_by', 'information_text_sha256'])
    .where('pairing_id', '=', pairingId)
    .execute();
  return rows.map((r) => ({
    finalite: r.finalite,
    category: r.category,
    action: r.action,
    status: r.status,
    grantedBy: r.granted_by,
    informationTextSha256: r.information_text_sha256,
  }));
}

export type ConsentKey = { finalite: string; category: string; action: ConsentAction };

/** Grants (or grants again) one consent: active from `at`, decided by `grantedBy` on the text of that hash. */
export async function grantConsent(
  trx: Db,
  pairingId: string,
  key: ConsentKey,
  grant: { at: Date; grantedBy: string; informationTextSha256: string },
): Promise<void> {
  await trx
    .insertInto('consents')
    .values({
      pairing_id: pairingId,
      ...key,
      status: 'active',
      granted_at: grant.at,
      withdrawn_at: null,
      granted_by: grant.grantedBy,
      information_text_sha256: grant.informationTextSha256,
    })
    .onConflict((oc) =>
      oc.columns(['pairing_id', 'finalite', 'category', 'action']).doUpdateSet({
        status: 'active',
        granted_at: grant.at,
        withdrawn_at: null,
        granted_by: grant.grantedBy,
        information_text_sha256: grant.informationTextSha256,
      }),
    )
    .execute();
}

/** Records that the citizen approved the text of this hash again, for a consent that stays as it was. */
export async function restampConsent(
  trx: Db,
  pairingId: string,
  key: ConsentKey,
  sha: string,
): Promise<void> {
  await trx
    .updateTable('consents')
    .set({ information_text_sha256: sha })
    .where('pairing_id', '=', pairingId)
    .where('finalite', '=', key.finalite)
    .where('category', '=', key.category)
    .where('action', '=', key.action)
    .execute();
}

export async function withdrawConsent(trx: Db, pairingId: string, key: ConsentKey, at: Date): Promise<void> {
  await trx
    .updateTable('consents')
    .set({ status: 'withdrawn', withdrawn_at: at })
    .where('pairing_id', '=', pairingId)
    .where('finalite', '=', key.finalite)
    .where('category', '=', key.category)
    .where('action', '=', key.action)
    .where('status', '=', 'active')
    .execute();
}

// ── activity (from the audit log) ───────────────────────────────────────────

export interface ActivityRow {
  at: Date;
  seq: number;
  action: string;
  actorType: string;
  actorId: string | null;
  data: Record<string, unknown>;
}

export const activityActions = [
  'consent.paired',
  'consent.changed',
  'consent.withdrawn',
  'consent.reapproved',
  'consent.unpaired',
  'data.access',
] as const;

/** A citizen's consent and data-access events, latest first, before a date when given. */
export async function activityRows(
  db: Db,
  citizenId: string,
  page: { before?: Date; limit: number },
): Promise<ActivityRow[]> {
  let query = db
    .selectFrom('audit_events')
    .select(['at', 'seq', 'action', 'actor_type', 'actor_id', 'data'])
    .where('subject_type', '=', 'citizen')
    .where('subject_id', '=', citizenId)
    .where('action', 'in', [...activityActions]);
  if (page.before) query = query.where('at', '<', page.before);
  const rows = await query.orderBy('at', 'desc').orderBy('seq', 'desc').limit(page.limit).execute();
  return rows.map((r) => ({
    at: asDate(r.at),
    seq: Number(r.seq),
    action: r.action,
    actorType: r.actor_type,
    actorId: r.actor_id,
    data: asJson<Record<string, unknown>>(r.data),
  }));
}
