import { sql } from 'kysely';
import { newId } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import type { CitizenProfile } from './citizen-model.ts';

export interface CitizenRow {
  id: string;
  issuer: string;
  subject: string;
  givenName: string;
  familyName: string;
  birthdate: string | null;
  gender: string | null;
  insValue: string | null;
  insSystem: string | null;
  lastSignInAt: Date | null;
}

/**
 * The columns of a citizen, the birth date as `YYYY-MM-DD` text: drivers turn a `date` into a Date at
 * some midnight whose time zone differs between `pg` and PGlite.
 */
const citizenColumns = [
  'citizens.id',
  'citizens.issuer',
  'citizens.subject',
  'citizens.given_name',
  'citizens.family_name',
  sql<string | null>`to_char(citizens.birthdate, 'YYYY-MM-DD')`.as('birthdate'),
  'citizens.gender',
  'citizens.ins_value',
  'citizens.ins_system',
  'citizens.last_sign_in_at',
] as const;

function toRow(r: {
  id: string;
  issuer: string;
  subject: string;
  given_name: string;
  family_name: string;
  birthdate: string | null;
  gender: string | null;
  ins_value: string | null;
  ins_system: string | null;
  last_sign_in_at: Date | null;
}): CitizenRow {
  return {
    id: r.id,
    issuer: r.issuer,
    subject: r.subject,
    givenName: r.given_name,
    familyName: r.family_name,
    birthdate: r.birthdate,
    gender: r.gender,
    insValue: r.ins_value,
    insSystem: r.ins_system,
    lastSignInAt: r.last_sign_in_at ? new Date(r.last_sign_in_at) : null,
  };
}

/**
 * Creates or refreshes a citizen known by (issuer, subject) with what the identity provider says now.
 * `signedIn` stamps the sign-in time (not for a minor recorded through their guardian).
 */
export async function upsertCitizen(
  db: Db,
  profile: CitizenProfile,
  signedIn: boolean,
): Promise<{ id: string; created: boolean }> {
  const identity = {
    given_name: profile.givenName,
    family_name: profile.familyName,
    birthdate: profile.birthdate,
    gender: profile.gender,
    ins_value: profile.ins?.value ?? null,
    ins_system: profile.ins?.system ?? null,
  };
  const row = await db
    .insertInto('citizens')
    .values({
      id: newId(),
      issuer: profile.issuer,
      subject: profile.subject,
      ...identity,
      last_sign_in_at: signedIn ? new Date() : null,
    })
    .onConflict((oc) =>
      oc.columns(['issuer', 'subject']).doUpdateSet({
        ...identity,
        ...(signedIn ? { last_sign_in_at: new Date() } : {}),
      }),
    )
    // xmax = 0 only on a freshly inserted row: tells a first sign-in from a return.
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();
  return { id: row.id, created: Boolean(row.created) };
}

export async function findCitizen(db: Db, id: string): Promise<CitizenRow | undefined> {
  const row = await db.selectFrom('citizens').select(citizenColumns).where('id', '=', id).executeTakeFirst();
  return row ? toRow(row) : undefined;
}

/** Records that a citizen is the legal guardian of a minor; returns false when it was already known. */
export async function addGuardianship(db: Db, guardianId: string, minorId: string): Promise<boolean> {
  const result = await db
    .insertInto('guardianships')
    .values({ guardian_id: guardianId, minor_id: minorId })
    .onConflict((oc) => oc.columns(['guardian_id', 'minor_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The minors a citizen represents, by name. */
export async function listMinorsOf(db: Db, guardianId: string): Promise<CitizenRow[]> {
  const rows = await db
    .selectFrom('guardianships')
    .innerJoin('citizens', 'citizens.id', 'guardianships.minor_id')
    .select(citizenColumns)
    .where('guardianships.guardian_id', '=', guardianId)
    .orderBy('citizens.given_name')
    .orderBy('citizens.family_name')
    .execute();
  return rows.map(toRow);
}
