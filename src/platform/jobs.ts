import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { randomToken } from './crypto.ts';
import type { Db } from './db/index.ts';

export interface JobOptions {
  /** When to run it (default now). */
  runAt?: Date;
  maxAttempts?: number;
  /** A job with the same key is not queued twice. */
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
      run_at: options.runAt ?? new Date(),
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
  attempts: number;
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
 * died goes back to the queue when its lease ends; a worker renews the lease of the jobs it runs, and only
 * the holder of the current lease may finish a job, so a job never runs twice at once.
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
  #stopped = true;

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
    const loop = async () => {
      if (this.#stopped) return;
      this.#running = this.runOnce()
        .then(() => undefined)
        .catch((error: Error) => this.#log?.error({ err: { message: error.message } }, 'worker poll failed'));
      await this.#running;
      if (!this.#stopped) this.#timer = setTimeout(loop, this.#pollMs);
    };
    this.#timer = setTimeout(loop, 0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  /** Takes and runs the due jobs once; returns how many were run. */
  async runOnce(): Promise<number> {
    const kinds = Object.keys(this.#handlers);
    if (kinds.length === 0) return 0;
    const taken = await sql<{ id: number; kind: string; payload: Record<string, unknown>; attempts: number }>`
      update jobs set status = 'running', attempts = attempts + 1, locked_by = ${this.id},
        lease_until = now() + make_interval(secs => ${this.#lease})
      where id in (
        select id from jobs
        where kind in (${sql.join(kinds)})
          and ((status = 'queued' and run_at <= now()) or (status = 'running' and lease_until < now()))
        order by run_at, id
        limit ${this.#batch}
        for update skip locked
      )
      returning id, kind, payload, attempts`.execute(this.#db);
    for (const job of taken.rows) await this.#run({ ...job, id: Number(job.id) });
    return taken.rows.length;
  }

  async #run(job: RunningJob): Promise<void> {
    const renew = setInterval(
      () => {
        this.#db
          .updateTable('jobs')
          .set({ lease_until: sql`now() + make_interval(secs => ${this.#lease})` })
          .where('id', '=', job.id)
          .where('locked_by', '=', this.id)
          .where('status', '=', 'running')
          .execute()
          .catch(() => undefined);
      },
      Math.max(1000, (this.#lease * 1000) / 3),
    );
    try {
      await this.#handlers[job.kind](job);
      await this.#db
        .updateTable('jobs')
        .set({ status: 'done', finished_at: new Date(), lease_until: null, last_error: null })
        .where('id', '=', job.id)
        .where('locked_by', '=', this.id)
        .where('attempts', '=', job.attempts)
        .execute();
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
        where id = ${job.id} and locked_by = ${this.id} and attempts = ${job.attempts}`.execute(this.#db);
    } finally {
      clearInterval(renew);
    }
  }
}
