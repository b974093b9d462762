import { sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';

/** The `provider` of the authorization server of referenced services in `oidc_payloads`. */
export const SERVICES_AS_PROVIDER = 'services';

/**
 * Revokes everything the authorization server issued for one account (the citizen's idPe with one service):
 * grants, authorization codes, refresh tokens, sessions' grants. Called in the transaction of a withdrawal or
 * an unpairing, so that no refresh token outlives it. Access tokens are JWTs, not stored: resource servers
 * check the pairing and the consents in the database on every call, so a withdrawal also stops them.
 */
export async function revokeAccountGrants(trx: Db, accountId: string): Promise<number> {
  const result = await trx
    .deleteFrom('oidc_payloads')
    .where('provider', '=', SERVICES_AS_PROVIDER)
    .where(sql<string>`payload->>'accountId'`, '=', accountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
