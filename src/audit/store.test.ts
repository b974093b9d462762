import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase, lane } from '../../test/helpers.ts';
import type { DatabaseHandle, Db } from '../platform/db/index.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { appendAuditEvent, listAuditEvents, verifyAuditLog } from './index.ts';

const onPostgres = lane === 'postgres' ? {} : { skip: 'needs several connections: PostgreSQL lane only' };

/** A promise and the function that resolves it: holds a transaction open until the test lets it go. */
function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

async function seqsOf(db: Db, chain: string): Promise<number[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select('seq')
    .where('chain', '=', chain)
    .orderBy('seq')
    .execute();
  return rows.map((r) => Number(r.seq));
}

async function headOf(db: Db, chain: string) {
  const head = await db
    .selectFrom('audit_chain_heads')
    .selectAll()
    .where('chain', '=', chain)
    .executeTakeFirst();
  return head && { seq: Number(head.seq), hash: head.hash };
}

/** Runs SQL as a table owner who switched the append-only triggers off: what an attacker could do. */
async function asTableOwner(db: Db, statement: ReturnType<typeof sql>) {
  await db.transaction().execute(async (trx) => {
    await sql`alter table audit_events disable trigger user`.execute(trx);
    await sql`alter table audit_chain_heads disable trigger user`.execute(trx);
    await statement.execute(trx);
    await sql`alter table audit_events enable trigger user`.execute(trx);
    await sql`alter table audit_chain_heads enable trigger user`.execute(trx);
  });
}

describe('audit store', () => {
  let handle: DatabaseHandle;
  let db: Db;
  before(async () => {
    handle = await freshDatabase();
    db = handle.db;
    await migrateToLatest(db);
  });
  after(() => handle.close());

  it('appends events to the subject’s chain, numbered from 1, and verifies them', async () => {
    for (const action of ['dossier.created', 'dossier.submitted', 'dossier.decided']) {
      await appendAuditEvent(db, {
        actorType: 'account',
        actorId: 'acc-1',
        action,
        subjectType: 'dossier',
        subjectId: 'd-intact',
        data: { note: 'é', nested: { b: 2, a: [1, 'x'] } },
      });
    }
    assert.deepEqual(await seqsOf(db, 'dossier:d-intact'), [1, 2, 3]);
    const latest = await listAuditEvents(db, { subjectType: 'dossier', subjectId: 'd-intact' });
    assert.deepEqual(
      latest.map((e) => e.action),
      ['dossier.decided', 'dossier.submitted', 'dossier.created'],
    );
    assert.deepEqual(latest[0].data, { note: 'é', nested: { b: 2, a: [1, 'x'] } });
    const result = await verifyAuditLog(db);
    assert.equal(result.firstBreak, undefined);
    assert.ok(result.events >= 3);
  });

  it('leaves no event and no head change when the transaction rolls back', async () => {
    await appendAuditEvent(db, { chain: 'rollback', actorType: 'system', action: 'first' });
    const headBefore = await headOf(db, 'rollback');
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await appendAuditEvent(trx, { chain: 'rollback', actorType: 'system', action: 'undone' });
        await appendAuditEvent(trx, { chain: 'rollback-new', actorType: 'system', action: 'undone' });
        throw new Error('the change fails');
      }),
      /the change fails/,
    );
    assert.deepEqual(await seqsOf(db, 'rollback'), [1]);
    assert.deepEqual(await headOf(db, 'rollback'), headBefore);
    assert.deepEqual(await seqsOf(db, 'rollback-new'), []);
    assert.equal(await headOf(db, 'rollback-new'), undefined);
    // The chain goes on from where the committed events left it.
    const next = await appendAuditEvent(db, { chain: 'rollback', actorType: 'system', action: 'second' });
    assert.equal(next.seq, 2);
    assert.equal((await verifyAuditLog(db)).firstBreak, undefined);
  });

  it('gives concurrent appends to one chain a gapless sequence', async () => {
    const n = 30;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        db
          .transaction()
          .execute((trx) =>
            appendAuditEvent(trx, { chain: 'busy', actorType: 'system', action: 'tick', data: { i } }),
          ),
      ),
    );
    assert.deepEqual(
      await seqsOf(db, 'busy'),
      Array.from({ length: n }, (_, i) => i + 1),
    );
    const events = await db.selectFrom('audit_events').select('data').where('chain', '=', 'busy').execute();
    assert.deepEqual(new Set(events.map((e) => (e.data as { i: number }).i)).size, n);
    assert.equal((await verifyAuditLog(db)).firstBreak, undefined);
  });

  it(
    'lets a chain be written while another chain’s writer holds its transaction open',
    onPostgres,
    async () => {
      await appendAuditEvent(db, { chain: 'chain-a', actorType: 'system', action: 'a.1' });
      await appendAuditEvent(db, { chain: 'chain-b', actorType: 'system', action: 'b.1' });
      const holdA = gate();
      const appendedA = gate();
      const writerA = db.transaction().execute(async (trx) => {
        await appendAuditEvent(trx, { chain: 'chain-a', actorType: 'system', action: 'a.2' });
        appendedA.open();
        await holdA.wait;
      });
      try {
        await appendedA.wait;
        // With a lock timeout, waiting on any lock fails instead of hanging: B must not wait at all.
        const b = await db.transaction().execute(async (trx) => {
          await sql`set local lock_timeout = '500ms'`.execute(trx);
          return appendAuditEvent(trx, { chain: 'chain-b', actorType: 'system', action: 'b.2' });
        });
        assert.equal(b.seq, 2);
        assert.deepEqual(await seqsOf(db, 'chain-b'), [1, 2]);
        // A second writer of chain A does wait for the first (its head row is locked).
        await assert.rejects(
          db.transaction().execute(async (trx) => {
            await sql`set local lock_timeout = '200ms'`.execute(trx);
            return appendAuditEvent(trx, { chain: 'chain-a', actorType: 'system', action: 'a.x' });
          }),
          (error: Error & { code?: string }) => error.code === '55P03',
        );
        assert.deepEqual(await seqsOf(db, 'chain-a'), [1]);
      } finally {
        holdA.open();
        await writerA;
      }
      assert.deepEqual(await seqsOf(db, 'chain-a'), [1, 2]);
      assert.equal((await verifyAuditLog(db)).firstBreak, undefined);
    },
  );

  it('is not misled by events appended while it verifies', onPostgres, async () => {
    const appends = Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db
          .transaction()
          .execute((trx) =>
            appendAuditEvent(trx, { chain: `moving-${i % 4}`, actorType: 'system', action: 'tick' }),
          ),
      ),
    );
    const verdicts = [];
    for (let i = 0; i < 8; i++) verdicts.push(await verifyAuditLog(db));
    await appends;
    for (const verdict of verdicts) assert.equal(verdict.firstBreak, undefined);
  });

  describe('in the database, the log only grows', () => {
    it('refuses to update, delete or truncate events, and to move a head back', async () => {
      await appendAuditEvent(db, { chain: 'guarded', actorType: 'system', action: 'one', data: { v: 1 } });
      await appendAuditEvent(db, { chain: 'guarded', actorType: 'system', action: 'two' });
      const refusals = [
        sql`update audit_events set data = '{"v":2}' where chain = 'guarded' and seq = 1`,
        sql`delete from audit_events where chain = 'guarded' and seq = 2`,
        sql`truncate audit_events`,
        sql`update audit_chain_heads set seq = 1 where chain = 'guarded'`,
        sql`delete from audit_chain_heads where chain = 'guarded'`,
      ];
      for (const statement of refusals) {
        await assert.rejects(statement.execute(db), /n'accepte que des ajouts|ne peut qu'avancer/);
      }
      assert.deepEqual(await seqsOf(db, 'guarded'), [1, 2]);
      assert.equal((await headOf(db, 'guarded'))?.seq, 2);
      assert.equal((await verifyAuditLog(db)).firstBreak, undefined);
    });
  });

  describe('tampering done directly in SQL by a table owner', () => {
    const cases: Array<{
      name: string;
      tamper: (chain: string) => ReturnType<typeof sql>;
      expected: { seq: number; problem: string };
    }> = [
      {
        name: 'an event’s data updated',
        tamper: (chain) =>
          sql`update audit_events set data = '{"amount":1000}' where chain = ${chain} and seq = 2`,
        expected: { seq: 2, problem: 'hash_mismatch' },
      },
      {
        name: 'an event’s actor changed',
        tamper: (chain) =>
          sql`update audit_events set actor_id = 'someone-else' where chain = ${chain} and seq = 3`,
        expected: { seq: 3, problem: 'hash_mismatch' },
      },
      {
        name: 'an event deleted',
        tamper: (chain) => sql`delete from audit_events where chain = ${chain} and seq = 2`,
        expected: { seq: 2, problem: 'sequence_gap' },
      },
      {
        name: 'the last event deleted',
        tamper: (chain) => sql`delete from audit_events where chain = ${chain} and seq = 4`,
        expected: { seq: 4, problem: 'head_mismatch' },
      },
      {
        name: 'two events’ contents swapped',
        tamper: (chain) => sql`
          update audit_events e set data = o.data from audit_events o
          where e.chain = ${chain} and o.chain = ${chain} and e.seq in (2, 3) and o.seq = 5 - e.seq`,
        expected: { seq: 2, problem: 'hash_mismatch' },
      },
      {
        name: 'the head moved',
        tamper: (chain) => sql`update audit_chain_heads set hash = repeat('a', 64) where chain = ${chain}`,
        expected: { seq: 4, problem: 'head_mismatch' },
      },
      {
        name: 'the head deleted',
        tamper: (chain) => sql`delete from audit_chain_heads where chain = ${chain}`,
        expected: { seq: 1, problem: 'head_mismatch' },
      },
    ];
    cases.forEach(({ name, tamper, expected }, i) => {
      it(`names the chain and seq: ${name}`, async () => {
        const chain = `dossier:tampered-${i}`;
        for (const amount of [10, 20, 30, 40]) {
          await appendAuditEvent(db, {
            actorType: 'account',
            actorId: 'instructeur-1',
            action: 'dossier.amount_set',
            subjectType: 'dossier',
            subjectId: `tampered-${i}`,
            data: { amount },
          });
        }
        assert.equal((await verifyAuditLog(db)).firstBreak, undefined);
        await asTableOwner(db, tamper(chain));
        assert.deepEqual((await verifyAuditLog(db)).firstBreak, { chain, ...expected });
        // Take the broken chain away, so the next case starts from an intact log.
        await asTableOwner(db, sql`delete from audit_events where chain = ${chain}`);
        await asTableOwner(db, sql`delete from audit_chain_heads where chain = ${chain}`);
        assert.equal((await verifyAuditLog(db)).firstBreak, undefined);
      });
    });
  });
});
