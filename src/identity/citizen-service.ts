import { appendAuditEvent } from '../audit/index.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/index.ts';
import { type CitizenProfile, isoDay, minorsOf, profileOfTestIdentity } from './citizen-model.ts';
import * as store from './citizen-store.ts';
import { loadTestIdentities, testIdpIssuer } from './citizen-test-idp.ts';

export type { CitizenRow } from './citizen-store.ts';

/**
 * A citizen signed in at their identity provider: records who they are now, the minors they represent
 * (from the test identity provider's data), and the sign-in, in one transaction.
 */
export async function recordCitizenSignIn(
  db: Db,
  profile: CitizenProfile,
  minors: CitizenProfile[] = [],
): Promise<{ citizenId: string; created: boolean }> {
  return db.transaction().execute(async (trx) => {
    const citizen = await store.upsertCitizen(trx, profile, true);
    for (const minorProfile of minors) {
      const minor = await store.upsertCitizen(trx, minorProfile, false);
      if (await store.addGuardianship(trx, citizen.id, minor.id)) {
        await appendAuditEvent(trx, {
          actorType: 'citizen',
          actorId: citizen.id,
          action: 'citizen.guardianship.record',
          subjectType: 'citizen',
          subjectId: minor.id,
          data: { guardianId: citizen.id, source: profile.issuer },
        });
      }
    }
    await appendAuditEvent(trx, {
      actorType: 'citizen',
      actorId: citizen.id,
      action: 'citizen.sign_in',
      subjectType: 'citizen',
      subjectId: citizen.id,
      data: { issuer: profile.issuer, firstSignIn: citizen.created },
    });
    return { citizenId: citizen.id, created: citizen.created };
  });
}

export async function recordCitizenSignOut(db: Db, citizenId: string): Promise<void> {
  await db.transaction().execute((trx) =>
    appendAuditEvent(trx, {
      actorType: 'citizen',
      actorId: citizenId,
      action: 'citizen.sign_out',
      subjectType: 'citizen',
      subjectId: citizenId,
    }),
  );
}

/** What the citizen's space shows: the identity held and the minors they represent. */
export async function citizenSpace(
  db: Db,
  citizenId: string,
): Promise<{ citizen: store.CitizenRow; minors: store.CitizenRow[] } | undefined> {
  const citizen = await store.findCitizen(db, citizenId);
  if (!citizen) return undefined;
  return { citizen, minors: await store.listMinorsOf(db, citizenId) };
}

/**
 * The test identity provider's people as citizens of this sandbox, with the minors their guardians
 * represent, so they are there before anyone signs in. Their data is refreshed at each sign-in.
 */
export async function seedTestCitizens(deps: { db: Db; config: Config }): Promise<string[]> {
  const issuer = testIdpIssuer(deps.config);
  const identities = loadTestIdentities();
  const today = isoDay();
  return deps.db.transaction().execute(async (trx) => {
    const ids = new Map<string, string>();
    for (const identity of identities) {
      const { id } = await store.upsertCitizen(trx, profileOfTestIdentity(issuer, identity), false);
      ids.set(identity.sub, id);
    }
    for (const identity of identities) {
      for (const minor of minorsOf(identities, identity.sub, today)) {
        await store.addGuardianship(trx, ids.get(identity.sub) as string, ids.get(minor.sub) as string);
      }
    }
    return identities.map((i) => `${i.given_name} ${i.family_name}`);
  });
}

/**
 * Test identities of the sandbox as citizens, by `sub` (made if absent, as `seedTestCitizens` does, without
 * a sign-in): the connection tests act as them. Unknown subs are left out.
 */
export async function testCitizensBySub(
  deps: { db: Db; config: Config },
  subs: readonly string[],
): Promise<Array<{ sub: string; name: string; citizenId: string }>> {
  const issuer = testIdpIssuer(deps.config);
  const wanted = loadTestIdentities().filter((i) => subs.includes(i.sub));
  if (wanted.length === 0) return [];
  return deps.db.transaction().execute(async (trx) => {
    const found: Array<{ sub: string; name: string; citizenId: string }> = [];
    for (const identity of wanted) {
      const { id } = await store.upsertCitizen(trx, profileOfTestIdentity(issuer, identity), false);
      found.push({
        sub: identity.sub,
        name: `${identity.given_name} ${identity.family_name}`,
        citizenId: id,
      });
    }
    return found;
  });
}

/** The name of each test identity of the sandbox, by `sub`. */
export function testIdentityNames(): Map<string, string> {
  return new Map(loadTestIdentities().map((i) => [i.sub, `${i.given_name} ${i.family_name}`]));
}
