/**
 * Names for other modules' lists (dashboards, timelines): batch lookups by id, so a page of fifty rows asks
 * three questions, not fifty. No rights are checked here: callers show names only on pages their rights open.
 */
import type { Db } from '../platform/db/index.ts';
import type { StaffRole } from './model.ts';

/** Display names of accounts by id (unknown ids are left out). */
export async function accountNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'display_name'])
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

/** Legal names and SIRENs of organisations by id. */
export async function organisationNames(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { legalName: string; siren: string }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'legal_name', 'siren'])
    .where('id', 'in', unique)
    .execute();
  return new Map(rows.map((r) => [r.id, { legalName: r.legal_name, siren: r.siren }]));
}

/** Enabled accounts holding a staff role, by name. */
export async function staffWithRole(db: Db, role: StaffRole): Promise<Array<{ id: string; name: string }>> {
  const rows = await db
    .selectFrom('staff_roles')
    .innerJoin('accounts', 'accounts.id', 'staff_roles.account_id')
    .select(['accounts.id', 'accounts.display_name'])
    .where('staff_roles.role', '=', role)
    .where('accounts.disabled_at', 'is', null)
    .orderBy('accounts.display_name')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name }));
}
