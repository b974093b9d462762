import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase, lane } from '../../test/helpers.ts';
import { type DatabaseHandle, type Db, openDatabase } from './db/index.ts';
import { migrateToLatest, migrationsApplied } from './db/migrate.ts';
import { migrations } from './db/migrations/index.ts';

/**
 * What the rest of mesref relies on from either database: transactions are isolated and all-or-nothing,
 * on the embedded PGlite (one session shared under a mutex) as on a PostgreSQL server.
 */
describe('database', () => {
  let handle: DatabaseHandle & { url?: string };
  let db: Db;
  before(async () => {
    handle = await freshDatabase();
    db = handle.db;
    await sql`create table t (k text primary key, v integer not null)`.execute(db);
  });
  after(() => handle.close());

  const valueFor = async (k: string) =>
    (await sql<{ v: number }>`select v from t where k = ${k}`.execute(db)).rows[0]?.v;

  it('migrates a new database, and knows when it is up to date', async () => {
    assert.equal(await migrationsApplied(db), false);
    const applied = await migrateToLatest(db);
    assert.deepEqual(applied, Object.keys(migrations));
    assert.deepEqual(applied.slice(0, 2), ['001_foundation', '002_audit_append_only']);
    assert.deepEqual(await migrateToLatest(db), []);
    assert.equal(await migrationsApplied(db), true);
  });

  it('never runs a query from outside a transaction inside it, to be rolled back with it', async () => {
    let inside!: () => void;
    const opened = new Promise<void>((resolve) => {
      inside = resolve;
    });
    let finish!: () => void;
    const hold = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const failing = db.transaction().execute(async (trx) => {
      await sql`insert into t values ('rolled-back', 1)`.execute(trx);
      inside();
      await hold;
      throw new Error('the transaction fails');
    });
    await opened;
    const outside = sql`insert into t values ('outside', 2)`.execute(db);
    finish();
    await assert.rejects(failing, /the transaction fails/);
    await outside;
    assert.equal(await valueFor('rolled-back'), undefined);
    assert.equal(await valueFor('outside'), 2);
  });

  it('refuses to commit a transaction in which a statement failed, and keeps none of it', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await sql`insert into t values ('before-error', 1)`.execute(trx);
        // A caller that swallows an error does not get a half-done transaction committed.
        await sql`insert into t values ('before-error', 2)`.execute(trx).catch(() => undefined);
      }),
      /aborted|rolled back/i,
    );
    assert.equal(await valueFor('before-error'), undefined);
    await sql`insert into t values ('after-error', 3)`.execute(db);
    assert.equal(await valueFor('after-error'), 3, 'the database is usable afterwards');
  });

  it('rolls back to a savepoint and commits the rest', async () => {
    const trx = await db.startTransaction().execute();
    await sql`insert into t values ('kept', 1)`.execute(trx);
    const sp = await trx.savepoint('before_duplicate').execute();
    await sql`insert into t values ('kept', 2)`.execute(sp).catch(() => undefined);
    const back = await sp.rollbackToSavepoint('before_duplicate').execute();
    await sql`insert into t values ('after-savepoint', 3)`.execute(back);
    await back.commit().execute();
    assert.equal(await valueFor('kept'), 1);
    assert.equal(await valueFor('after-savepoint'), 3);
  });

  it('honours read-only transactions', async () => {
    await assert.rejects(
      db
        .transaction()
        .setAccessMode('read only')
        .execute((trx) => sql`insert into t values ('read-only', 1)`.execute(trx)),
      /read-only/,
    );
    assert.equal(await valueFor('read-only'), undefined);
  });

  it(
    'does not hand the shared session on inside a transaction a statement left open',
    lane === 'pglite' ? {} : { skip: 'PGlite’s single session only' },
    async () => {
      await sql`begin; insert into t values ('left-open', 1)`.execute(db);
      assert.equal(await valueFor('left-open'), undefined, 'rolled back when the connection was released');
      const state = await sql<{ open: boolean }>`select now() <> statement_timestamp() as open`.execute(db);
      assert.equal(state.rows[0].open, false, 'the next query runs in its own transaction');
    },
  );

  it(
    'keeps as many connections to a server as DATABASE_POOL_SIZE says',
    lane === 'postgres' ? {} : { skip: 'a PostgreSQL server only' },
    async () => {
      const backends = async (poolSize: number) => {
        const pool = await openDatabase({
          databaseUrl: handle.url as string,
          dataDir: '',
          databasePoolSize: poolSize,
        });
        try {
          const pids = await Promise.all(
            Array.from({ length: 4 }, () =>
              sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.05)`.execute(pool.db),
            ),
          );
          return new Set(pids.map((r) => r.rows[0].pid)).size;
        } finally {
          await pool.close();
        }
      };
      assert.equal(await backends(1), 1);
      assert.equal(await backends(4), 4);
    },
  );
});
