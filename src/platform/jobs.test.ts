import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { freshDatabase, lane } from '../../test/helpers.ts';
import { type DatabaseHandle, type Db, openDatabase } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { backoffSeconds, enqueueJob, type JobHandler, type RunningJob, Worker } from './jobs.ts';

function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

async function jobRow(db: Db, id: number) {
  return db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Seconds from the database's now to the job's run_at. */
async function secondsUntilRun(db: Db, id: number): Promise<number> {
  const { s } = await sql<{ s: number }>`
    select extract(epoch from run_at - now())::float8 as s from jobs where id = ${id}`
    .execute(db)
    .then((r) => r.rows[0]);
  return Number(s);
}

/** Makes a job due now, as if its backoff had passed. */
async function makeDue(db: Db, id: number) {
  await db
    .updateTable('jobs')
    .set({ run_at: sql`now() - interval '1 second'` })
    .where('id', '=', id)
    .execute();
}

/** Makes a running job's lease expire, as if its worker had stopped renewing it. */
async function expireLease(db: Db, id: number) {
  await db
    .updateTable('jobs')
    .set({ lease_until: sql`now() - interval '1 second'` })
    .where('id', '=', id)
    .execute();
}

describe('jobs', () => {
  let handle: DatabaseHandle & { url?: string };
  let db: Db;
  /** Each test uses its own job kind, so workers of one test never see another's jobs. */
  let kind: string;
  let counter = 0;

  before(async () => {
    handle = await freshDatabase();
    db = handle.db;
    await migrateToLatest(db);
  });
  after(() => handle.close());
  beforeEach(() => {
    kind = `test.kind${++counter}`;
  });

  const worker = (handler: JobHandler, options: { db?: Db; batch?: number; leaseSeconds?: number } = {}) =>
    new Worker({ db: options.db ?? db, handlers: { [kind]: handler }, leaseSeconds: 30, ...options });

  it('queues a job once per dedupe key', async () => {
    const first = await enqueueJob(db, kind, { n: 1 }, { dedupeKey: `${kind}:renewal:d1` });
    const second = await enqueueJob(db, kind, { n: 2 }, { dedupeKey: `${kind}:renewal:d1` });
    const other = await enqueueJob(db, kind, { n: 3 }, { dedupeKey: `${kind}:renewal:d2` });
    assert.equal(typeof first, 'number');
    assert.equal(second, undefined);
    assert.equal(typeof other, 'number');
    const rows = await db
      .selectFrom('jobs')
      .select(['payload', 'status'])
      .where('kind', '=', kind)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.payload, r.status]),
      [
        [{ n: 1 }, 'queued'],
        [{ n: 3 }, 'queued'],
      ],
    );
  });

  it('queues nothing when the transaction that asked for the job rolls back', async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await enqueueJob(trx, kind, {});
        throw new Error('the change fails');
      }),
    );
    assert.equal((await db.selectFrom('jobs').select('id').where('kind', '=', kind).execute()).length, 0);
  });

  it('runs a job once, with its payload, and marks it done', async () => {
    const seen: RunningJob[] = [];
    const w = worker(async (job) => {
      seen.push(job);
    });
    const id = (await enqueueJob(db, kind, { dossier: 'd-42' }, { maxAttempts: 3 })) as number;
    assert.equal(await w.runOnce(), 1);
    assert.equal(await w.runOnce(), 0);
    assert.deepEqual(
      seen.map(({ signal: _signal, ...job }) => job),
      [{ id, kind, payload: { dossier: 'd-42' }, attempts: 1, maxAttempts: 3 }],
    );
    // The job's signal is live while the worker runs; stopping the worker aborts it.
    assert.equal(seen[0]?.signal?.aborted, false);
    await w.stop();
    assert.equal(seen[0]?.signal?.aborted, true);
    const row = await jobRow(db, id);
    assert.equal(row.status, 'done');
    assert.equal(row.attempts, 1);
    assert.equal(row.last_error, null);
    assert.equal(row.lease_until, null);
    assert.ok(row.finished_at);
  });

  it('waits for a job’s run_at', async () => {
    let runs = 0;
    const w = worker(async () => {
      runs++;
    });
    const id = (await enqueueJob(db, kind, {}, { runAt: new Date(Date.now() + 3600_000) })) as number;
    assert.equal(await w.runOnce(), 0);
    await makeDue(db, id);
    assert.equal(await w.runOnce(), 1);
    assert.equal(runs, 1);
  });

  it('leaves jobs of kinds it has no handler for', async () => {
    const id = (await enqueueJob(db, `${kind}.unknown`, {})) as number;
    assert.equal(await worker(async () => {}).runOnce(), 0);
    assert.equal((await jobRow(db, id)).status, 'queued');
  });

  it('backs off exponentially, capped at one hour', () => {
    assert.deepEqual([0, 1, 2, 3, 10, 11, 12, 40].map(backoffSeconds), [1, 2, 4, 8, 1024, 2048, 3600, 3600]);
  });

  it('retries a failing job with backoff, then marks it failed with the last error', async () => {
    let runs = 0;
    const w = worker(async (job) => {
      runs++;
      throw new Error(`remote refused (try ${job.attempts})`);
    });
    const id = (await enqueueJob(db, kind, {}, { maxAttempts: 3 })) as number;

    assert.equal(await w.runOnce(), 1);
    let row = await jobRow(db, id);
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 1);
    assert.equal(row.last_error, 'remote refused (try 1)');
    assert.equal(row.locked_by, null);
    let wait = await secondsUntilRun(db, id);
    assert.ok(wait > 1 && wait <= 2, `first retry in ${wait}s, expected 2s`);
    assert.equal(await w.runOnce(), 0, 'not retried before its backoff');

    await makeDue(db, id);
    assert.equal(await w.runOnce(), 1);
    row = await jobRow(db, id);
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 2);
    wait = await secondsUntilRun(db, id);
    assert.ok(wait > 3 && wait <= 4, `second retry in ${wait}s, expected 4s`);

    await makeDue(db, id);
    assert.equal(await w.runOnce(), 1);
    row = await jobRow(db, id);
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 3);
    assert.equal(row.last_error, 'remote refused (try 3)');
    assert.ok(row.finished_at);

    await makeDue(db, id);
    assert.equal(await w.runOnce(), 0, 'a failed job is never taken again');
    assert.equal(runs, 3);
  });

  it('gives a job whose worker died back to the queue when its lease ends, and another worker runs it', async () => {
    const ran: string[] = [];
    const id = (await enqueueJob(db, kind, {})) as number;
    // A worker took it (attempt 1) and died: the row stays running with a lease nobody renews.
    await db
      .updateTable('jobs')
      .set({
        status: 'running',
        attempts: 1,
        locked_by: 'dead-host:1:xx',
        lease_until: sql`now() + interval '1 hour'`,
      })
      .where('id', '=', id)
      .execute();
    const w = worker(async () => {
      ran.push(w.id);
    });
    assert.equal(await w.runOnce(), 0, 'not taken while the lease runs');
    await expireLease(db, id);
    assert.equal(await w.runOnce(), 1);
    assert.deepEqual(ran, [w.id]);
    const row = await jobRow(db, id);
    assert.equal(row.status, 'done');
    assert.equal(row.attempts, 2);
    assert.equal(row.locked_by, w.id);
  });

  it('fails a job whose worker died during its last allowed attempt, instead of retrying it for ever', async () => {
    let runs = 0;
    const id = (await enqueueJob(db, kind, {}, { maxAttempts: 2 })) as number;
    await db
      .updateTable('jobs')
      .set({
        status: 'running',
        attempts: 2,
        locked_by: 'dead-host:1:xx',
        lease_until: sql`now() - interval '1 second'`,
      })
      .where('id', '=', id)
      .execute();
    const w = worker(async () => {
      runs++;
    });
    assert.equal(await w.runOnce(), 0);
    assert.equal(runs, 0);
    const row = await jobRow(db, id);
    assert.equal(row.status, 'failed');
    assert.match(row.last_error ?? '', /lease expired/);
    assert.ok(row.finished_at);
  });

  it('does not let a worker that lost its lease finish the job over its new holder', async () => {
    const release = gate();
    const started = gate();
    const runsBy: string[] = [];
    const stale = worker(async () => {
      runsBy.push('stale');
      started.open();
      await release.wait;
    });
    const fresh = worker(async () => {
      runsBy.push('fresh');
    });
    const id = (await enqueueJob(db, kind, {})) as number;
    const staleRun = stale.runOnce();
    await started.wait;
    // The stale worker hangs past its lease (a long GC pause, a partition): the job is taken again.
    await expireLease(db, id);
    assert.equal(await fresh.runOnce(), 1);
    let row = await jobRow(db, id);
    assert.equal(row.status, 'done');
    assert.equal(row.locked_by, fresh.id);
    assert.equal(row.attempts, 2);

    release.open();
    await staleRun;
    row = await jobRow(db, id);
    assert.equal(row.status, 'done');
    assert.equal(row.locked_by, fresh.id);
    assert.equal(row.attempts, 2);
    assert.deepEqual(runsBy, ['stale', 'fresh']);
  });

  it('does not let a worker that lost its lease requeue, with its error, a job the new holder runs', async () => {
    const release = gate();
    const started = gate();
    const stale = worker(async () => {
      started.open();
      await release.wait;
      throw new Error('stale failure');
    });
    const holding = gate();
    const freshStarted = gate();
    const fresh = worker(async () => {
      freshStarted.open();
      await holding.wait;
    });
    const id = (await enqueueJob(db, kind, {})) as number;
    const staleRun = stale.runOnce();
    await started.wait;
    await expireLease(db, id);
    const freshRun = fresh.runOnce();
    await freshStarted.wait;
    release.open();
    await staleRun;
    let row = await jobRow(db, id);
    assert.equal(row.status, 'running', 'still the new holder’s');
    assert.equal(row.locked_by, fresh.id);
    assert.equal(row.last_error, null);
    holding.open();
    await freshRun;
    row = await jobRow(db, id);
    assert.equal(row.status, 'done');
  });

  it('does not run a job of its batch whose lease it lost while running an earlier one', async () => {
    const release = gate();
    const firstStarted = gate();
    const runs: Array<[string, number]> = [];
    const a = worker(
      async (job) => {
        runs.push(['a', job.id]);
        if (runs.length === 1) {
          firstStarted.open();
          await release.wait;
        }
      },
      { batch: 2 },
    );
    const b = worker(async (job) => {
      runs.push(['b', job.id]);
    });
    const first = (await enqueueJob(db, kind, { n: 1 })) as number;
    const second = (await enqueueJob(db, kind, { n: 2 })) as number;
    const aRun = a.runOnce();
    await firstStarted.wait;
    assert.equal((await jobRow(db, second)).locked_by, a.id, 'a took both jobs');
    await expireLease(db, second);
    assert.equal(await b.runOnce(), 1);
    release.open();
    assert.equal(await aRun, 1, 'a ran only the job it still held');
    assert.deepEqual(runs, [
      ['a', first],
      ['b', second],
    ]);
    assert.equal((await jobRow(db, first)).status, 'done');
    assert.equal((await jobRow(db, second)).locked_by, b.id);
  });

  it('renews the lease of a job while it runs', async () => {
    const release = gate();
    const started = gate();
    const w = worker(
      async () => {
        started.open();
        await release.wait;
      },
      { leaseSeconds: 1 },
    );
    const id = (await enqueueJob(db, kind, {})) as number;
    const run = w.runOnce();
    await started.wait;
    // Longer than the lease: without renewal it would have ended and another worker could take the job.
    await sleep(1600);
    const other = worker(async () => {
      assert.fail('taken while its worker still ran it');
    });
    assert.equal(await other.runOnce(), 0);
    release.open();
    await run;
    assert.equal((await jobRow(db, id)).status, 'done');
  });

  it('runs in the background from start until stop', async () => {
    const ran: number[] = [];
    const w = new Worker({ db, handlers: { [kind]: async (job) => void ran.push(job.id) }, pollMs: 20 });
    w.start();
    w.start(); // a second start does not start a second loop
    try {
      const ids = [await enqueueJob(db, kind, {}), await enqueueJob(db, kind, {})];
      for (let i = 0; i < 200 && ran.length < 2; i++) await sleep(20);
      assert.deepEqual(ran.sort(), (ids as number[]).sort());
    } finally {
      await w.stop();
    }
    const after = await enqueueJob(db, kind, {});
    await sleep(100);
    assert.equal((await jobRow(db, after as number)).status, 'queued', 'a stopped worker takes nothing');
    assert.equal(ran.length, 2);
  });

  it('never runs a job twice when two workers poll concurrently', async () => {
    // On PostgreSQL each worker has its own pool, as two processes would; PGlite has one session.
    const other =
      lane === 'postgres'
        ? await openDatabase({ databaseUrl: handle.url as string, dataDir: '' })
        : undefined;
    try {
      const n = 60;
      const ids: number[] = [];
      for (let i = 0; i < n; i++) ids.push((await enqueueJob(db, kind, { i })) as number);
      const runs = new Map<number, string[]>();
      const record = (who: string) => async (job: RunningJob) => {
        runs.set(job.id, [...(runs.get(job.id) ?? []), who]);
        await sleep(Math.random() * 3);
      };
      const one = worker(record('one'), { batch: 3 });
      const two = worker(record('two'), { batch: 3, db: other?.db ?? db });
      const drain = async (w: Worker) => {
        let total = 0;
        for (let empty = 0; empty < 3; ) {
          const ran = await w.runOnce();
          total += ran;
          empty = ran === 0 ? empty + 1 : 0;
        }
        return total;
      };
      const [byOne, byTwo] = await Promise.all([drain(one), drain(two)]);
      assert.equal(byOne + byTwo, n);
      for (const id of ids)
        assert.equal(runs.get(id)?.length, 1, `job ${id} ran ${runs.get(id)?.length ?? 0} times`);
      if (lane === 'postgres')
        assert.ok(byOne > 0 && byTwo > 0, `both workers took jobs (${byOne}/${byTwo})`);
      const rows = await db
        .selectFrom('jobs')
        .select(['status', 'attempts'])
        .where('kind', '=', kind)
        .execute();
      assert.ok(rows.every((r) => r.status === 'done' && r.attempts === 1));
    } finally {
      await other?.close();
    }
  });
});
