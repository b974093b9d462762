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

/**
 * Enabled accounts to notify, with their address and language: some by id, an organisation's members
 * (of the given roles, all when none are given), or the holders of a staff role. Ids must be UUIDs.
 */
export function accountsToNotify(
  db: Db,
  group:
    | { accountIds: string[] }
    | { organisationId: string; roles?: OrganisationRole[] }
    | { staffRole: StaffRole },
) {
  let query = db
    .selectFrom('accounts')
    .select(['accounts.id', 'accounts.email', 'accounts.locale'])
    .where('accounts.disabled_at', 'is', null);
  if ('accountIds' in group) {
    if (group.accountIds.length === 0) return Promise.resolve([]);
    query = query.where('accounts.id', 'in', group.accountIds);
  } else if ('organisationId' in group) {
    const { organisationId, roles } = group;
    if (roles?.length === 0) return Promise.resolve([]);
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('memberships')
          .select('memberships.account_id')
          .whereRef('memberships.account_id', '=', 'accounts.id')
          .where('memberships.organisation_id', '=', organisationId)
          .$if(roles !== undefined, (q) => q.where('memberships.role', 'in', roles ?? [])),
      ),
    );
  } else {
    const { staffRole } = group;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('staff_roles')
          .select('staff_roles.account_id')
          .whereRef('staff_roles.account_id', '=', 'accounts.id')
          .where('staff_roles.role', '=', staffRole),
      ),
    );
  }
  return query.orderBy('accounts.id').execute();
}

// ── API tokens ──────────────────────────────────────────────────────────────

/** A token that is neither revoked nor expired, of an organisation that is not suspended. */
export function findLiveApiToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('organisations', 'organisations.id', 'api_tokens.organisation_id')
    .selectAll('api_tokens')
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where('api_tokens.expires_at', '>', sql<Date>`now()`)
    .where('organisations.status', '=', 'active')
    .executeTakeFirst();
}

export async function touchApiToken(db: Db, id: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}

// ── citizens ────────────────────────────────────────────────────────────────

export function findCitizenById(db: Db, id: string) {
  return db.selectFrom('citizens').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Which of these citizens exist (ids must be UUIDs). */
export async function existingCitizenIds(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('citizens').select('id').where('id', 'in', ids).orderBy('id').execute();
  return rows.map((r) => r.id);
}

// ── organisations ───────────────────────────────────────────────────────────

export function findOrganisationById(db: Db, id: string) {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findOrganisationBySiren(db: Db, siren: string) {
  return db.selectFrom('organisations').selectAll().where('siren', '=', siren).executeTakeFirst();
}

export async function insertOrganisation(
  db: Db,
  row: { id: string; legalName: string; siren: string; address: string; legalRepresentative: string },
): Promise<void> {
  await db
    .insertInto('organisations')
    .values({
      id: row.id,
      legal_name: row.legalName,
      siren: row.siren,
      address: row.address,
      legal_representative: row.legalRepresentative,
      status: 'active',
      updated_at: new Date(),
    })
    .execute();
}

export async function setOrganisationStatus(
  db: Db,
  id: string,
  status: 'active' | 'suspended',
): Promise<boolean> {
  const result = await db
    .updateTable('organisations')
    .set({ status, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '<>', status)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The organisations a person belongs to, with their role in each. */
export function organisationsOfAccount(db: Db, accountId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select([
      'organisations.id',
      'organisations.legal_name',
      'organisations.siren',
      'organisations.status',
      'memberships.role',
      'memberships.created_at',
    ])
    .where('memberships.account_id', '=', accountId)
    .orderBy('organisations.legal_name')
    .execute();
}

/** Organisations for the admin console, optionally whose name or SIREN contains `search`. */
export function searchOrganisations(db: Db, search: string | undefined, limit = 100) {
  let query = db
    .selectFrom('organisations')
    .select((eb) => [
      'organisations.id',
      'organisations.legal_name',
      'organisations.siren',
      'organisations.status',
      'organisations.created_at',
      eb
        .selectFrom('memberships')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('memberships.organisation_id', '=', 'organisations.id')
        .as('member_count'),
    ]);
  if (search) {
    const pattern = `%${escapeLike(search)}%`;
    query = query.where((eb) =>
      eb.or([
        eb(sql`lower(legal_name)`, 'like', pattern.toLowerCase()),
        eb('siren', 'like', pattern.replace(/\s/g, '')),
      ]),
    );
  }
  return query.orderBy('legal_name').limit(limit).execute();
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// ── accounts (writes) ───────────────────────────────────────────────────────

export async function insertAccount(
  db: Db,
  row: {
    id: string;
    email: string;
    displayName: string;
    passwordHash: string | null;
    locale: 'fr' | 'en';
    emailVerifiedAt: Date | null;
  },
): Promise<void> {
  await db
    .insertInto('accounts')
    .values({
      id: row.id,
      email: row.email,
      display_name: row.displayName,
      password_hash: row.passwordHash,
      locale: row.locale,
      email_verified_at: row.emailVerifiedAt,
      totp_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
      locked_until: null,
      disabled_at: null,
      updated_at: new Date(),
    })
    .execute();
}

type AccountChanges = Partial<{
  display_name: string;
  locale: 'fr' | 'en';
  password_hash: string | null;
  email_verified_at: Date | null;
  totp_secret: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
  failed_sign_ins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
}>;

export async function updateAccount(db: Db, id: string, changes: AccountChanges): Promise<void> {
  await db
    .updateTable('accounts')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The account row, locked for the rest of the transaction (counters, TOTP steps). */
export function lockAccount(db: Db, id: string) {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * Records that a TOTP step was used, only if it is later than the last one: false when another request
 * used this step (or a later one) first, so one code never serves twice.
 */
export async function consumeTotpStep(db: Db, id: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('accounts')
    .set({ totp_last_step: step, failed_sign_ins: 0, updated_at: new Date() })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** People for the admin console: one by id, or those whose address contains `email` (all when empty). */
export function searchAccounts(db: Db, filter: { id?: string; email?: string }, limit = 50) {
  const email = filter.email?.trim();
  let query = db
    .selectFrom('accounts')
    .select([
      'id',
      'email',
      'display_name',
      'email_verified_at',
      'totp_enabled_at',
      'locked_until',
      'disabled_at',
      'created_at',
    ]);
  if (filter.id) query = query.where('id', '=', filter.id);
  if (email) query = query.where(sql`lower(email)`, 'like', `%${escapeLike(email.toLowerCase())}%`);
  return query.orderBy('email').limit(limit).execute();
}

export function staffRolesOfAccounts(db: Db, accountIds: string[]) {
  if (accountIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('staff_roles')
    .select(['account_id', 'role'])
    .where('account_id', 'in', accountIds)
    .orderBy('role')
    .execute();
}

export function membershipsOfAccounts(db: Db, accountIds: string[]) {
  if (accountIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select([
      'memberships.account_id',
      'memberships.organisation_id',
      'memberships.role',
      'organisations.legal_name',
    ])
    .where('memberships.account_id', 'in', accountIds)
    .orderBy('organisations.legal_name')
    .execute();
}

// ── staff roles ─────────────────────────────────────────────────────────────

export async function insertStaffRole(db: Db, accountId: string, role: StaffRole): Promise<boolean> {
  const result = await db
    .insertInto('staff_roles')
    .values({ account_id: accountId, role })
    .onConflict((oc) => oc.columns(['account_id', 'role']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteStaffRole(db: Db, accountId: string, role: StaffRole): Promise<boolean> {
  const result = await db
    .deleteFrom('staff_roles')
    .where('account_id', '=', accountId)
    .where('role', '=', role)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Administrators whose account is enabled (the console keeps at least one). */
export async function countActiveAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('staff_roles')
    .innerJoin('accounts', 'accounts.id', 'staff_roles.account_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('staff_roles.role', '=', 'admin')
    .where('accounts.disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ── memberships ─────────────────────────────────────────────────────────────

export function membersOf(db: Db, organisationId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('accounts', 'accounts.id', 'memberships.account_id')
    .select([
      'accounts.id as account_id',
      'accounts.email',
      'accounts.display_name',
      'accounts.disabled_at',
      'memberships.role',
      'memberships.created_at',
    ])
    .where('memberships.organisation_id', '=', organisationId)
    .orderBy('accounts.display_name')
    .execute();
}

/** The organisation's memberships, locked so that concurrent role changes see one another. */
export function lockMemberships(db: Db, organisationId: string) {
  return db
    .selectFrom('memberships')
    .select(['account_id', 'role'])
    .where('organisation_id', '=', organisationId)
    .forUpdate()
    .execute();
}

export async function insertMembership(
  db: Db,
  organisationId: string,
  accountId: string,
  role: OrganisationRole,
): Promise<boolean> {
  const result = await db
    .insertInto('memberships')
    .values({ organisation_id: organisationId, account_id: accountId, role })
    .onConflict((oc) => oc.columns(['organisation_id', 'account_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateMembershipRole(
  db: Db,
  organisationId: string,
  accountId: string,
  role: OrganisationRole,
): Promise<void> {
  await db
    .updateTable('memberships')
    .set({ role })
    .where('organisation_id', '=', organisationId)
    .where('account_id', '=', accountId)
    .execute();
}

export async function deleteMembership(db: Db, organisationId: string, accountId: string): Promise<void> {
  await db
    .deleteFrom('memberships')
    .where('organisation_id', '=', organisationId)
    .where('account_id', '=', accountId)
    .execute();
}

// ── mail tokens ─────────────────────────────────────────────────────────────

export type EmailTokenPurpose = 'verify_email' | 'reset_password' | 'invitation';

export async function insertEmailToken(
  db: Db,
  row: {
    id: string;
    purpose: EmailTokenPurpose;
    email: string;
    accountId?: string | null;
    organisationId?: string | null;
    role?: string | null;
    createdBy?: string | null;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('email_tokens')
    .values({
      id: row.id,
      purpose: row.purpose,
      email: row.email,
      account_id: row.accountId ?? null,
      organisation_id: row.organisationId ?? null,
      role: row.role ?? null,
      created_by: row.createdBy ?? null,
      expires_at: row.expiresAt,
      used_at: null,
    })
    .execute();
}

/** A token (by the hash of what the mail carried) that is unused and unexpired. */
export function findLiveEmailToken(db: Db, id: string, purpose: EmailTokenPurpose) {
  return db
    .selectFrom('email_tokens')
    .selectAll()
    .where('id', '=', id)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
}

/** Marks a token used; false when it was used (or expired) already, so each token serves once. */
export async function consumeEmailToken(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('email_tokens')
    .set({ used_at: new Date() })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Ends every pending token of an account for one purpose (a newer one replaces them). */
export async function retireAccountTokens(
  db: Db,
  accountId: string,
  purpose: EmailTokenPurpose,
): Promise<void> {
  await db
    .updateTable('email_tokens')
    .set({ used_at: new Date() })
    .where('account_id', '=', accountId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/** Ends the pending invitations of one address to one organisation. */
export async function retireInvitations(db: Db, organisationId: string, email: string): Promise<void> {
  await db
    .updateTable('email_tokens')
    .set({ used_at: new Date() })
    .where('purpose', '=', 'invitation')
    .where('organisation_id', '=', organisationId)
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('used_at', 'is', null)
    .execute();
}

export function pendingInvitations(db: Db, organisationId: string) {
  return db
    .selectFrom('email_tokens')
    .select(['email', 'role', 'expires_at', 'created_at'])
    .where('purpose', '=', 'invitation')
    .where('organisation_id', '=', organisationId)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .execute();
}

// ── API tokens (writes) ─────────────────────────────────────────────────────

export async function insertApiToken(
  db: Db,
  row: {
    id: string;
    accountId: string;
    organisationId: string;
    name: string;
    tokenHash: string;
    prefix: string;
    expiresAt: Date;
  },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({
      id: row.id,
      account_id: row.accountId,
      organisation_id: row.organisationId,
      name: row.name,
      token_hash: row.tokenHash,
      prefix: row.prefix,
      expires_at: row.expiresAt,
      revoked_at: null,
      last_used_at: null,
    })
    .execute();
}

/** One person's tokens, newest first, with the name of their organisation. */
export function apiTokensOf(db: Db, accountId: string) {
  return db
    .selectFrom('api_tokens')
    .innerJoin('organisations', 'organisations.id', 'api_tokens.organisation_id')
    .select([
      'api_tokens.id',
      'api_tokens.name',
      'api_tokens.prefix',
      'api_tokens.organisation_id',
      'organisations.legal_name',
      'api_tokens.expires_at',
      'api_tokens.revoked_at',
      'api_tokens.last_used_at',
      'api_tokens.created_at',
    ])
    .where('api_tokens.account_id', '=', accountId)
    .orderBy('api_tokens.created_at', 'desc')
    .execute();
}

export async function countLiveApiTokens(db: Db, accountId: string): Promise<number> {
  const row = await db
    .selectFrom('api_tokens')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Revokes one of a person's live tokens; false when there is no such live token of theirs. */
export async function revokeApiToken(db: Db, accountId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
