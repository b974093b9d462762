import { sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { Membership, OrganisationRole, StaffRole } from './model.ts';

// ── sessions ────────────────────────────────────────────────────────────────

export async function insertSession(
  db: Db,
  row: {
    id: string;
    accountId?: string;
    citizenId?: string;
    expiresAt: Date;
    secondFactorAt?: Date | null;
    idTokenHint?: string | null;
    userAgent?: string | null;
  },
): Promise<void> {
  const now = new Date();
  await db
    .insertInto('sessions')
    .values({
      id: row.id,
      account_id: row.accountId ?? null,
      citizen_id: row.citizenId ?? null,
      expires_at: row.expiresAt,
      last_seen_at: now,
      second_factor_at: row.secondFactorAt ?? null,
      id_token_hint: row.idTokenHint ?? null,
      user_agent: row.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
}

export function findLiveSession(db: Db, id: string) {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', id)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

export async function touchSession(db: Db, id: string, expiresAt: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: new Date(), expires_at: expiresAt })
    .where('id', '=', id)
    .execute();
}

export async function markSecondFactor(db: Db, id: string): Promise<void> {
  await db.updateTable('sessions').set({ second_factor_at: new Date() }).where('id', '=', id).execute();
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

export async function deleteAccountSessions(db: Db, accountId: string, exceptId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('account_id', '=', accountId);
  if (exceptId) q = q.where('id', '<>', exceptId);
  await q.execute();
}

// ── accounts ────────────────────────────────────────────────────────────────

export function findAccountById(db: Db, id: string) {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAccountByEmail(db: Db, email: string) {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where(sql`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

export async function rolesOf(
  db: Db,
  accountId: string,
): Promise<{ staffRoles: StaffRole[]; memberships: Membership[] }> {
  const [staff, members] = await Promise.all([
    db.selectFrom('staff_roles').select('role').where('account_id', '=', accountId).orderBy('role').execute(),
    db
      .selectFrom('memberships')
      .select(['organisation_id', 'role'])
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .execute(),
  ]);
  return {
    staffRoles: staff.map((s) => s.role),
    memberships: members.map((m) => ({
      organisationId: m.organisation_id,
      role: m.role as OrganisationRole,
    })),
  };
}

// ── API tokens ──────────────────────────────────────────────────────────────

export function findLiveApiToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, id: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}

// ── citizens ────────────────────────────────────────────────────────────────

export function findCitizenById(db: Db, id: string) {
  return db.selectFrom('citizens').selectAll().where('id', '=', id).executeTakeFirst();
}
