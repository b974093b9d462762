import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase } from '../../test/helpers.ts';
import type { DatabaseHandle } from '../platform/db/index.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { PostgresAdapter, postgresAdapter, purgeExpiredOidcPayloads } from './adapter.ts';

describe('oauth: PostgreSQL adapter of oidc-provider', () => {
  let database: DatabaseHandle;
  before(async () => {
    database = await freshDatabase();
    await migrateToLatest(database.db);
  });
  after(() => database.close());

  it('upserts and finds a payload, and replaces it on a second upsert', async () => {
    const sessions = new PostgresAdapter(database.db, 'p1', 'Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'a', exp: 1 }, 60);
    assert.deepEqual(await sessions.find('s1'), { uid: 'u1', accountId: 'a', exp: 1 });
    await sessions.upsert('s1', { uid: 'u2', accountId: 'b' }, 60);
    assert.deepEqual(await sessions.find('s1'), { uid: 'u2', accountId: 'b' });
    assert.equal(await sessions.find('missing'), undefined);
  });

  it('keeps providers and models apart', async () => {
    const a = postgresAdapter(database.db, 'provider-a');
    const b = postgresAdapter(database.db, 'provider-b');
    await a('AccessToken').upsert('same-id', { who: 'a' }, 60);
    await b('AccessToken').upsert('same-id', { who: 'b' }, 60);
    await a('RefreshToken').upsert('same-id', { who: 'a-rt' }, 60);
    assert.deepEqual(await a('AccessToken').find('same-id'), { who: 'a' });
    assert.deepEqual(await b('AccessToken').find('same-id'), { who: 'b' });
    assert.deepEqual(await a('RefreshToken').find('same-id'), { who: 'a-rt' });
    await a('AccessToken').destroy('same-id');
    assert.equal(await a('AccessToken').find('same-id'), undefined);
    assert.deepEqual(await b('AccessToken').find('same-id'), { who: 'b' });
  });

  it('finds a session by uid and a device code by user code', async () => {
    const adapter = postgresAdapter(database.db, 'p2');
    await adapter('Session').upsert('sess', { uid: 'the-uid', accountId: 'x' }, 60);
    assert.deepEqual(await adapter('Session').findByUid('the-uid'), { uid: 'the-uid', accountId: 'x' });
    assert.equal(await adapter('Session').findByUid('other'), undefined);
    await adapter('DeviceCode').upsert('dc', { userCode: 'ABCD-EFGH', grantId: 'g' }, 60);
    assert.deepEqual(await adapter('DeviceCode').findByUserCode('ABCD-EFGH'), {
      userCode: 'ABCD-EFGH',
      grantId: 'g',
    });
    assert.equal(await adapter('DeviceCode').findByUserCode('NOPE'), undefined);
  });

  it('marks a code consumed, and a later upsert does not clear the mark', async () => {
    const codes = new PostgresAdapter(database.db, 'p3', 'AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    assert.equal((await codes.find('c1'))?.consumed, undefined);
    const before = Math.floor(Date.now() / 1000);
    await codes.consume('c1');
    const consumed = (await codes.find('c1'))?.consumed;
    assert.equal(typeof consumed, 'number');
    assert.ok((consumed as number) >= before - 5);
    await codes.upsert('c1', { grantId: 'g1', extra: true }, 60);
    assert.ok((await codes.find('c1'))?.consumed);
  });

  it('revokes every token of a grant, for its model and provider only', async () => {
    const adapter = postgresAdapter(database.db, 'p4');
    const other = postgresAdapter(database.db, 'p4-other');
    await adapter('AccessToken').upsert('at1', { grantId: 'G' }, 60);
    await adapter('AccessToken').upsert('at2', { grantId: 'G' }, 60);
    await adapter('AccessToken').upsert('at3', { grantId: 'H' }, 60);
    await adapter('RefreshToken').upsert('rt1', { grantId: 'G' }, 60);
    await other('AccessToken').upsert('at1', { grantId: 'G' }, 60);
    await adapter('AccessToken').revokeByGrantId('G');
    assert.equal(await adapter('AccessToken').find('at1'), undefined);
    assert.equal(await adapter('AccessToken').find('at2'), undefined);
    assert.deepEqual(await adapter('AccessToken').find('at3'), { grantId: 'H' });
    assert.deepEqual(await adapter('RefreshToken').find('rt1'), { grantId: 'G' });
    assert.deepEqual(await other('AccessToken').find('at1'), { grantId: 'G' });
  });

  it('does not return expired payloads, keeps those without expiry, and purges the expired', async () => {
    const adapter = new PostgresAdapter(database.db, 'p5', 'Interaction');
    await adapter.upsert('live', { n: 1 }, 60);
    await adapter.upsert('forever', { n: 2 }, undefined);
    await adapter.upsert('gone', { n: 3 }, 60);
    await database.db
      .updateTable('oidc_payloads')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('provider', '=', 'p5')
      .where('id', '=', 'gone')
      .execute();
    assert.deepEqual(await adapter.find('live'), { n: 1 });
    assert.deepEqual(await adapter.find('forever'), { n: 2 });
    assert.equal(await adapter.find('gone'), undefined);
    const purged = await purgeExpiredOidcPayloads(database.db);
    assert.ok(purged >= 1);
    const left = await database.db
      .selectFrom('oidc_payloads')
      .select('id')
      .where('provider', '=', 'p5')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      left.map((r) => r.id),
      ['forever', 'live'],
    );
  });
});
