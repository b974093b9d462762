import { sql } from 'kysely';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { Db } from '../platform/db/index.ts';

/**
 * oidc-provider's storage in PostgreSQL (table `oidc_payloads`), so that sessions, interactions, codes
 * and tokens survive a restart and are shared by every mesref process on the same database.
 *
 * One table serves several providers: `provider` separates them (the sandbox's test identity provider,
 * the authorization server of referenced services, the citizens' relying-party requests), `model` is
 * oidc-provider's model name (Session, Grant, AuthorizationCode, AccessToken...).
 */
export class PostgresAdapter implements Adapter {
  readonly db: Db;
  readonly provider: string;
  readonly model: string;

  constructor(db: Db, provider: string, model: string) {
    this.db = db;
    this.provider = provider;
    this.model = model;
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
    const expiresAt = typeof expiresIn === 'number' ? new Date(Date.now() + expiresIn * 1000) : null;
    const columns = {
      payload: JSON.stringify(payload),
      grant_id: typeof payload.grantId === 'string' ? payload.grantId : null,
      user_code: typeof payload.userCode === 'string' ? payload.userCode : null,
      uid: typeof payload.uid === 'string' ? payload.uid : null,
      expires_at: expiresAt,
    };
    // consumed_at is left as it is: saving a consumed code again does not make it usable again.
    await this.db
      .insertInto('oidc_payloads')
      .values({ provider: this.provider, model: this.model, id, ...columns, consumed_at: null })
      .onConflict((oc) => oc.columns(['provider', 'model', 'id']).doUpdateSet(columns))
      .execute();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('id', id);
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('uid', uid);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.findWhere('user_code', userCode);
  }

  async consume(id: string): Promise<void> {
    await this.db
      .updateTable('oidc_payloads')
      .set({ consumed_at: sql<Date>`now()` })
      .where('provider', '=', this.provider)
      .where('model', '=', this.model)
      .where('id', '=', id)
      .execute();
  }

  async destroy(id: string): Promise<void> {
    await this.db
      .deleteFrom('oidc_payloads')
      .where('provider', '=', this.provider)
      .where('model', '=', this.model)
      .where('id', '=', id)
      .execute();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db
      .deleteFrom('oidc_payloads')
      .where('provider', '=', this.provider)
      .where('model', '=', this.model)
      .where('grant_id', '=', grantId)
      .execute();
  }

  private async findWhere(column: 'id' | 'uid' | 'user_code', value: string) {
    const row = await this.db
      .selectFrom('oidc_payloads')
      .select(['payload', 'consumed_at'])
      .where('provider', '=', this.provider)
      .where('model', '=', this.model)
      .where(column, '=', value)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', sql<Date>`now()`)]))
      .executeTakeFirst();
    if (!row) return undefined;
    const payload = row.payload as AdapterPayload;
    if (row.consumed_at)
      return { ...payload, consumed: Math.floor(new Date(row.consumed_at).getTime() / 1000) };
    return payload;
  }
}

/** The `adapter` setting of one oidc-provider instance: a factory of per-model adapters. */
export function postgresAdapter(db: Db, provider: string): (model: string) => PostgresAdapter {
  return (model) => new PostgresAdapter(db, provider, model);
}

/** Deletes rows past their expiry (all providers); returns how many. For a periodic job. */
export async function purgeExpiredOidcPayloads(db: Db, now: Date = new Date()): Promise<number> {
  const result = await db
    .deleteFrom('oidc_payloads')
    .where('expires_at', 'is not', null)
    .where('expires_at', '<=', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
