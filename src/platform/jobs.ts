import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { randomToken } from './crypto.ts';
import type { Db } from './db/index.ts';

export interface JobOptions {
  /** When to run it (default now). */
  runAt?: Date;
  maxAttempts?: number;
  /** A job with the same key is never queued again, even once done: put the period or version in the key. */
  dedupeKey?: string;
}

/** Queues a job. Pass the transaction of the change that needs it: the job exists only if the change commits. */
export async function enqueueJob(
  db: Db,
  kind: string,
  payload: Record<string, unknown>,
  options: JobOptions = {},
): Promise<number | undefined> {
  const row = await db
    .insertInto('jobs')
    .values({
      kind,
      payload: JSON.stringify(payload),
      status: 'queued',
      // The database's clock, like the workers' polls: app servers' clocks may drift.
      run_at: options.runAt ?? sql<Date>`now()`,
      max_attempts: options.maxAttempts ?? 5,
      lease_until: null,
      locked_by: null,
      last_error: null,
      dedupe_key: options.dedupeKey ?? null,
      finished_at: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export interface RunningJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  /** This run's number, from 1. */
  attempts: number;
  /** When `attempts` reaches it, a failure is final. */
  maxAttempts: number;
  /**
   * Aborted when the worker stops: a long job checks it between its steps and stops there (a failed attempt,
   * queued again), so stopping the process never waits for it to end.
   */
  signal?: AbortSignal;
}

export type JobHandler = (job: RunningJob) => Promise<void>;

/** Delay before the next try: 2^attempts seconds, capped at one hour. */
export function backoffSeconds(attempts: number): number {
  return Math.min(3600, 2 ** Math.max(0, attempts));
}

export interface WorkerOptions {
  db: Db;
  handlers: Record<string, JobHandler>;
  log?: FastifyBaseLogger;
  /** How long a taken job stays this worker's before returning to the queue (renewed while it runs). */
  leaseSeconds?: number;
  pollMs?: number;
  batch?: number;
}

/**
 * Takes due jobs with FOR UPDATE SKIP LOCKED, so any number of workers share one table. A job whose worker
 * died goes back to the queue when its lease ends; a worker renews the lease of the jobs it holds, and only
 * the holder of the current lease (same worker, same attempt) may start or finish a job, so a job never
 * runs twice at once.
 */
export class Worker {
  readonly id = `${hostname()}:${process.pid}:${randomToken(4)}`;
  readonly #db: Db;
  readonly #handlers: Record<string, JobHandler>;
  readonly #log?: FastifyBaseLogger;
  readonly #lease: number;
  readonly #pollMs: number;
  readonly #batch: number;
  #timer?: NodeJS.Timeout;
  #running?: Promise<void>;
  /** Bumped by start and stop, so a loop of an earlier start never schedules itself again. */
  #generation = 0;
  #stopped = true;
  #abort = new AbortController();

  constructor(options: WorkerOptions) {
    this.#db = options.db;
    this.#handlers = options.handlers;
    this.#log = options.log;
    this.#lease = options.leaseSeconds ?? 60;
    this.#pollMs = options.pollMs ?? 1000;
    this.#batch = options.batch ?? 5;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    if (this.#abort.signal.aborted) this.#abort = new AbortController();
    const generation = ++this.#generation;
    const loop = async () => {
      if (this.#stopped || generation !== this.#generation) return;
      this.#running = this.runOnce()
        .then(() => undefined)
        .catch((error: Error) => this.#log?.error({ err: { message: error.message } }, 'worker poll failed'));
      await this.#running;
      if (!this.#stopped && generation === this.#generation) this.#timer = setTimeout(loop, this.#pollMs);
    };
    this.#timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#generation++;
    if (this.#timer) clearTimeout(this.#timer);
    this.#abort.abort();
    await this.#running;
  }

  /** Takes and runs the due jobs once; returns how many were run. */
  async runOnce(): Promise<number> {
    const kinds = Object.keys(this.#handlers);
    if (kinds.length === 0) return 0;
    // A job whose worker died during its last allowed attempt is not retried for ever: it has failed.
    await sql`
      update jobs set status = 'failed', finished_at = now(), lease_until = null, locked_by = null,
        last_error = coalesce(last_error || ' / ', '') || 'lease expired: its worker stopped during attempt ' || attempts
      where kind in (${sql.join(kinds)}) and status = 'running' and lease_until < now() and attempts >= max_attempts`.execute(
      this.#db,
    );
    // MATERIALIZED: the locking select runs exactly once, so no more than `batch` rows are ever taken.
    const taken = await sql<{
      id: number;
      kind: string;
      payload: Record<string, unknown>;
      attempts: number;
      max_attempts: number;
    }>`
      with next as materialized (
        select id from jobs
        where kind in (${sql.join(kinds)})
          and ((status = 'queued' and run_at <= now()) or (status = 'running' and lease_until < now()))
        order by run_at, id
        limit ${this.#batch}
        for update skip locked
      )
      update jobs set status = 'running', attempts = jobs.attempts + 1, locked_by = ${this.id},
        lease_until = now() + make_interval(secs => ${this.#lease})
      from next
      where jobs.id = next.id
      returning jobs.id, jobs.kind, jobs.payload, jobs.attempts, jobs.max_attempts`.execute(this.#db);
    const jobs: RunningJob[] = taken.rows
      .map((r) => ({
        id: Number(r.id),
        kind: r.kind,
        payload: r.payload,
        attempts: r.attempts,
        maxAttempts: r.max_attempts,
        signal: this.#abort.signal,
      }))
      .sort((a, b) => a.id - b.id);
    if (jobs.length === 0) return 0;
    const pending = new Set(jobs);
    // Every job taken stays ours while earlier ones of the batch run, not only the one running.
    const renew = setInterval(
      () => {
        for (const job of pending) this.#renewLease(job).catch(() => undefined);
      },
      Math.max(200, (this.#lease * 1000) / 3),
    );
    let run = 0;
    try {
      for (const job of jobs) {
        if (await this.#run(job)) run++;
        pending.delete(job);
      }
    } finally {
      clearInterval(renew);
    }
    return run;
  }

  /** Extends this worker's lease on a job; false when the lease was lost (the job is someone else's now). */
  async #renewLease(job: RunningJob): Promise<boolean> {
    const result = await this.#db
      .updateTable('jobs')
      .set({ lease_until: sql`now() + make_interval(secs => ${this.#lease})` })
      .where('id', '=', job.id)
      .where('locked_by', '=', this.id)
      .where('attempts', '=', job.attempts)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async #run(job: RunningJob): Promise<boolean> {
    // A job that waited in the batch may have been lost meanwhile: run only what is still ours.
    if (!(await this.#renewLease(job))) {
      this.#log?.warn(
        { job: job.id, kind: job.kind },
        'job lease lost before it ran; left to its new holder',
      );
      return false;
    }
    try {
      await this.#handlers[job.kind](job);
      const done = await this.#db
        .updateTable('jobs')
        .set({ status: 'done', finished_at: sql`now()`, lease_until: null, last_error: null })
        .where('id', '=', job.id)
        .where('locked_by', '=', this.id)
        .where('attempts', '=', job.attempts)
        .where('status', '=', 'running')
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) {
        this.#log?.warn({ job: job.id, kind: job.kind }, 'job finished after its lease was lost');
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#log?.warn(
        { job: job.id, kind: job.kind, attempts: job.attempts, err: { message } },
        'job failed',
      );
      await sql`
        update jobs set
          status = case when attempts >= max_attempts then 'failed' else 'queued' end,
          run_at = now() + make_interval(secs => ${backoffSeconds(job.attempts)}),
          finished_at = case when attempts >= max_attempts then now() else null end,
          lease_until = null, locked_by = null, last_error = ${message.slice(0, 2000)}
        where id = ${job.id} and locked_by = ${this.id} and attempts = ${job.attempts}
          and status = 'running'`.execute(this.#db);
    }
    return true;
  }
}
