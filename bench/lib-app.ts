/**
 * What the benchmark scripts that start mesref share: the run's cleanups, mesref on a throwaway database,
 * the bare fastify baseline, autocannon in a child process, and the corpus' bulk inserts.
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { buildApp, type Mesref } from '../src/app.ts';
import { isValidSiren } from '../src/identity/model.ts';
import { loadConfig } from '../src/platform/config.ts';
import type { Db } from '../src/platform/db/index.ts';
import { createScratchDatabase } from '../src/platform/db/scratch.ts';
import { nonNegativeIntegers, positiveIntegers, quantile } from './lib.ts';

// ── the run ─────────────────────────────────────────────────────────────────────────────────────────────

/** Adds a step to run when the bench ends. */
export type Defer = (step: () => unknown) => void;

/**
 * Runs a bench; the steps it defers run at the end, the last added first, whether it succeeds or fails, and on
 * Ctrl-C (then the process exits with 130).
 */
export async function runBench(body: (defer: Defer) => Promise<void>): Promise<void> {
  const steps: Array<() => unknown> = [];
  // One cleanup, whoever asks first: an interrupted load also fails the run, which must wait for it too.
  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= (async () => {
      for (const step of steps.splice(0).reverse()) await step();
    })();
    return cleaning;
  };
  const interrupted = () => {
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  try {
    await body((step) => {
      steps.push(step);
    });
  } finally {
    process.off('SIGINT', interrupted);
    await cleanup();
  }
}

/**
 * mesref as `mesref serve` builds it, logger off, no in-process worker, no demo data: on PGlite in a temporary
 * folder or, when DATABASE_URL is set (and `postgres` is not false), on a fresh database created on that
 * PostgreSQL server for the run; `env` adds or overrides settings. The folder, the database and the app go
 * when the bench ends.
 */
export async function startMesref(
  defer: Defer,
  { postgres = true, env = {} }: { postgres?: boolean; env?: Record<string, string> } = {},
): Promise<Mesref> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mesref-bench-'));
  defer(() => rmSync(dataDir, { recursive: true, force: true }));
  const serverUrl = postgres ? process.env.DATABASE_URL : undefined;
  const database = serverUrl ? await createScratchDatabase(serverUrl, 'mesref_bench_') : undefined;
  if (database) defer(() => database.drop());
  const mesref = await buildApp(
    loadConfig({
      MESREF_MODE: 'sandbox',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      MESREF_IN_PROCESS_WORKER: 'false',
      MESREF_DEMO_DATA: 'false',
      ...env,
      ...(database ? { DATABASE_URL: database.url } : {}),
    }),
    { logger: false },
  );
  defer(() => mesref.close());
  return mesref;
}

/** `database: PostgreSQL (…)` or `database: PGlite`, for a report's header. */
export const databaseLine = (mesref: Mesref): string =>
  `database: ${mesref.dbKind === 'postgres' ? 'PostgreSQL (a fresh database, dropped at the end)' : 'PGlite'}`;

/**
 * The baseline: fastify with nothing but one route, `GET /`, answering what `handler` returns as JSON.
 * Returns its URL; it closes when the bench ends.
 */
export async function startBaseline(defer: Defer, handler: () => Promise<unknown>): Promise<string> {
  const bare = Fastify({ logger: false });
  bare.get('/', handler);
  const url = await bare.listen({ port: 0, host: '127.0.0.1' });
  defer(() => bare.close());
  return url;
}

/**
 * CPU time used so far by the PostgreSQL backends of this database, by process id, in milliseconds: read from
 * /proc, so only for a server on this machine (Linux); undefined elsewhere.
 */
async function serverCpu(db: Db, databaseUrl: string | undefined): Promise<Map<number, number> | undefined> {
  if (!databaseUrl || !['127.0.0.1', 'localhost', '[::1]'].includes(new URL(databaseUrl).hostname))
    return undefined;
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()
  `.execute(db);
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    if (!stat.includes('(postgres)')) return undefined;
    // After the command: state, then utime and stime as the 12th and 13th fields, in ticks of 10 ms.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
  }
  return cpu;
}

/**
 * Runs a load and adds to it the CPU time the database server's backends of this database spent per request
 * (`dbCpuMs`), when the server runs on this machine.
 */
export async function withDatabaseCpu<L extends { requests: number; dbCpuMs?: number }>(
  db: Db,
  databaseUrl: string | undefined,
  load: () => Promise<L>,
): Promise<L> {
  const before = await serverCpu(db, databaseUrl);
  const result = await load();
  const after = await serverCpu(db, databaseUrl);
  if (before && after) {
    let used = 0;
    for (const [pid, ms] of after) used += ms - (before.get(pid) ?? 0);
    result.dbCpuMs = used / Math.max(1, result.requests);
  }
  return result;
}

// ── load options ────────────────────────────────────────────────────────────────────────────────────────

/** The command-line options of a load with autocannon (for `parseArgs`), with the bench's defaults. */
export function loadOptions(defaults: { duration: number; sequential: number; runs: number }) {
  return {
    duration: { type: 'string', default: String(defaults.duration) },
    sequential: { type: 'string', default: String(defaults.sequential) },
    connections: { type: 'string', default: '10' },
    runs: { type: 'string', default: String(defaults.runs) },
    warmup: { type: 'string', default: '2' },
  } as const;
}

export interface LoadSettings {
  /** Seconds under `connections` connections, per target and round. */
  duration: number;
  /** Seconds with one connection after that, per target and round (0: none). */
  sequential: number;
  connections: number;
  runs: number;
  /** Seconds of warm-up per target. */
  warmup: number;
}

/** The values of `loadOptions`, checked. */
export function loadSettings(values: Record<keyof LoadSettings, string>): LoadSettings {
  const settings = {
    duration: Number(values.duration),
    sequential: Number(values.sequential),
    connections: Number(values.connections),
    runs: Number(values.runs),
    warmup: Number(values.warmup),
  };
  const { duration, connections, runs, sequential, warmup } = settings;
  positiveIntegers({ duration, connections, runs });
  nonNegativeIntegers({ sequential, warmup });
  return settings;
}

/** The settings as a report's `method`. */
export const loadMethod = ({ connections, duration, sequential, runs, warmup }: LoadSettings) => ({
  connections,
  durationSeconds: duration,
  sequentialSeconds: sequential,
  runs,
  warmupSeconds: warmup,
});

// ── load ────────────────────────────────────────────────────────────────────────────────────────────────

export interface Target {
  name: string;
  url: string;
  headers?: Record<string, string>;
  /** What a correct answer contains: a benchmark of error pages or redirects would measure nothing. */
  expect: RegExp;
}

/** Requests a target once; throws unless it answers 200 with the expected content. Returns the time taken in ms. */
export async function check(target: Target): Promise<number> {
  const start = performance.now();
  const res = await fetch(target.url, { headers: target.headers, redirect: 'manual' });
  const body = await res.text();
  const ms = performance.now() - start;
  if (res.status !== 200 || !target.expect.test(body)) {
    throw new Error(`${target.name} answers ${res.status} without the expected content`);
  }
  return ms;
}

/**
 * Runs autocannon (`node args`) in a child process, so that the load does not share this process's event loop. Returns its
 * standard output and the CPU time this process (the servers) used meanwhile, in microseconds.
 */
export async function runAutocannon(args: string[]): Promise<{ out: string; cpuMicroseconds: number }> {
  const cpuBefore = process.cpuUsage();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    err += chunk;
  });
  const [code] = (await once(child, 'close')) as [number];
  const cpu = process.cpuUsage(cpuBefore);
  if (code !== 0) throw new Error(`autocannon exited ${code}: ${err}`);
  return { out, cpuMicroseconds: cpu.user + cpu.system };
}

export interface Fire {
  rps: number;
  requests: number;
  /** Time of every 2xx response, in milliseconds. */
  times: number[];
  non2xx: number;
  errors: number;
  /** Requests without an answer within autocannon's 10 s. */
  timeouts: number;
  /** CPU time of this process (mesref, and PGlite when it is the database) per request, in milliseconds. */
  cpuMs: number;
  /** CPU time of the PostgreSQL server's processes for this database per request, in milliseconds (local server). */
  dbCpuMs?: number;
}

const autocannonPath = createRequire(import.meta.url).resolve('autocannon');

/**
 * autocannon in a child process; its `response` events give the time of every response, so that quantiles
 * are exact. The child is plain CommonJS run by `node -e`.
 */
const CHILD = `
const autocannon = require(process.argv[1]);
const times = [];
const instance = autocannon(JSON.parse(process.argv[2]), (error, result) => {
  if (error) { console.error(error); process.exit(1); }
  process.stdout.write(JSON.stringify({
    rps: result.requests.average,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    times,
  }));
});
instance.on('response', (_client, status, _bytes, ms) => {
  if (status >= 200 && status < 300) times.push(Math.round(ms * 1000) / 1000);
});
`;

/** Loads a target with `connections` connections for `seconds`, with autocannon in a child process. */
export async function fire(target: Target, seconds: number, connections: number): Promise<Fire> {
  const options = { url: target.url, headers: target.headers, connections, duration: seconds };
  const { out, cpuMicroseconds } = await runAutocannon([
    '-e',
    CHILD,
    autocannonPath,
    JSON.stringify(options),
  ]);
  const result = JSON.parse(out) as Omit<Fire, 'cpuMs'>;
  return { ...result, cpuMs: cpuMicroseconds / 1000 / Math.max(1, result.requests) };
}

/**
 * Measures the targets round after round, each in `order`: under `connections` connections for `duration` s,
 * then with one connection for `sequential` s (unless 0). Returns each target's loads, by name.
 */
export async function measureRounds(
  order: Target[],
  { duration, sequential, connections, runs }: LoadSettings,
  steps: {
    /** Before a target's run. */
    before?: (target: Target) => Promise<void>;
    /** The load under `connections` connections, when it needs more than `fire`. */
    underLoad?: (target: Target) => Promise<Fire>;
    /** After a target's run, with its load under `connections` connections. */
    after?: (round: number, target: Target, underLoad: Fire) => void;
  } = {},
): Promise<{ loaded: Map<string, Fire[]>; single: Map<string, Fire[]> }> {
  const loaded = new Map<string, Fire[]>(order.map((t) => [t.name, []]));
  const single = new Map<string, Fire[]>(order.map((t) => [t.name, []]));
  for (let round = 1; round <= runs; round++) {
    for (const target of order) {
      await steps.before?.(target);
      const underLoad = await (steps.underLoad?.(target) ?? fire(target, duration, connections));
      loaded.get(target.name)?.push(underLoad);
      if (sequential > 0) single.get(target.name)?.push(await fire(target, sequential, 1));
      steps.after?.(round, target, underLoad);
    }
  }
  return { loaded, single };
}

/** `median 1.2 ms  p95 3.4 ms`: the latencies of one load, for a round's line. */
export function latencyText(load: Fire): string {
  const sorted = [...load.times].sort((a, b) => a - b);
  return `median ${quantile(sorted, 0.5).toFixed(1)} ms  p95 ${quantile(sorted, 0.95).toFixed(1)} ms`;
}

/** The latencies of every 2xx response of some loads, in ms: median and p95 (exact), and the maximum if asked. */
export function latency(loads: Fire[], { max = false } = {}) {
  const sorted = loads.flatMap((f) => f.times).sort((a, b) => a - b);
  return {
    responses: sorted.length,
    medianMs: Number(quantile(sorted, 0.5).toFixed(2)),
    p95Ms: Number(quantile(sorted, 0.95).toFixed(2)),
    ...(max ? { maxMs: Number((sorted.at(-1) ?? Number.NaN).toFixed(2)) } : {}),
  };
}

/** A time in ms with one decimal, or – when it was not measured. */
export const msText = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(1));

/** A target met, not met, or not measured. */
export const verdict = (ok: boolean | null): string =>
  ok === null ? 'not measured' : ok ? 'met' : 'NOT met';

// ── corpus ──────────────────────────────────────────────────────────────────────────────────────────────

/** Inserts rows 1,000 per statement: loading the corpus is not what is measured. */
export async function insertBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await insert(rows.slice(i, i + 1000));
}

/** A valid SIREN made from a number, so that organisations are distinct and stable; `series` (1–9) sets its first digit. */
export function siren(n: number, series: number): string {
  const digits = String(series * 10_000_000 + n).slice(-8);
  for (let key = 0; key < 10; key++) if (isValidSiren(`${digits}${key}`)) return `${digits}${key}`;
  throw new Error('unreachable');
}
