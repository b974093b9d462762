/**
 * HTTP throughput of mesref against a bare fastify route measured in the same run.
 *
 *   npx tsx bench/http.ts [--duration 10] [--connections 10] [--runs 3] [--warmup 2]
 *
 * Targets, all started in this process: (a) a bare fastify route answering a small JSON (the baseline),
 * (b) mesref's /health, (c) mesref's home page. mesref runs on PGlite in a temporary folder, logger off.
 * autocannon fires from a child process, so the load does not share the servers' event loop. Targets are
 * measured in turn, round after round; the table gives each target's median over the rounds and its ratio
 * to the baseline of the same run.
 *
 * Besides throughput, the servers' CPU time per request is measured (this process does nothing else while a
 * target is loaded): on a machine shared with other work, req/s swings with the neighbours' load, while CPU
 * time per request mostly does not, so its ratio is the steadier estimate of what a request costs.
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Result } from 'autocannon';
import Fastify from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/platform/config.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const runs = Number(values.runs);
const warmup = Number(values.warmup);
for (const [name, value] of Object.entries({ duration, connections, runs })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
}

interface Target {
  name: string;
  url: string;
  /** What a correct answer contains: a benchmark of error pages would measure nothing. */
  expect: RegExp;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Measure {
  result: Result;
  /** CPU time of this process (the servers) per completed request, in microseconds. */
  cpuPerRequest: number;
}

const autocannonCli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** Loads a target for `seconds` with autocannon in a child process. */
async function fire(target: Target, seconds: number): Promise<Measure> {
  const cpuBefore = process.cpuUsage();
  const child = spawn(
    process.execPath,
    [autocannonCli, '--json', '-c', String(connections), '-d', String(seconds), target.url],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
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
  const result = JSON.parse(out.trim().split('\n').at(-1) as string) as Result;
  const done = result.requests.total || 1;
  return { result, cpuPerRequest: (cpu.user + cpu.system) / done };
}

async function main() {
  // (a) the baseline: fastify with nothing but one route.
  const bare = Fastify({ logger: false });
  bare.get('/', async () => ({ hello: 'world' }));
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

  // (b, c) mesref, as `mesref serve` builds it, on PGlite in a temporary folder.
  const dataDir = mkdtempSync(join(tmpdir(), 'mesref-bench-'));
  const mesref = await buildApp(
    loadConfig({
      MESREF_MODE: 'sandbox',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      MESREF_IN_PROCESS_WORKER: 'false',
      MESREF_DEMO_DATA: 'false',
    }),
    { logger: false },
  );
  const mesrefUrl = await mesref.listen();

  const targets: Target[] = [
    { name: 'bare fastify JSON (baseline)', url: `${bareUrl}/`, expect: /"hello":"world"/ },
    { name: 'mesref /health', url: `${mesrefUrl}/health`, expect: /"status":"ok"/ },
    { name: 'mesref home page /', url: `${mesrefUrl}/`, expect: /Référencer un service numérique en santé/ },
  ];
  for (const target of targets) {
    const res = await fetch(target.url);
    const body = await res.text();
    if (res.status !== 200 || !target.expect.test(body)) {
      throw new Error(`${target.name} answers ${res.status} without the expected content`);
    }
  }

  const cpu = cpus();
  console.log(`# HTTP benchmark — ${new Date().toISOString()}`);
  console.log(
    `node ${process.version}, ${cpu.length} cores (${cpu[0]?.model ?? '?'}), load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `autocannon: ${connections} connections, ${duration} s per target, ${runs} round(s), ${warmup} s warm-up\n`,
  );

  if (warmup > 0) for (const target of targets) await fire(target, warmup);

  const measures = new Map<string, Measure[]>(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= runs; round++) {
    for (const target of targets) {
      const measure = await fire(target, duration);
      measures.get(target.name)?.push(measure);
      const { result } = measure;
      console.log(
        `round ${round}  ${target.name.padEnd(30)} ${result.requests.average.toFixed(0).padStart(7)} req/s  ` +
          `p99 ${result.latency.p99} ms  server CPU ${measure.cpuPerRequest.toFixed(0)} µs/req  ` +
          `non-2xx ${result.non2xx}  errors ${result.errors}`,
      );
    }
  }

  const summary = targets.map((t) => {
    const ms = measures.get(t.name) ?? [];
    return {
      name: t.name,
      rps: median(ms.map((m) => m.result.requests.average)),
      p99: median(ms.map((m) => m.result.latency.p99)),
      cpu: median(ms.map((m) => m.cpuPerRequest)),
      failures: ms.reduce((n, m) => n + m.result.non2xx + m.result.errors + m.result.timeouts, 0),
    };
  });
  const base = summary[0];
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(
    `\n| target | req/s (median of ${runs} means) | vs baseline | p99 latency ms (median) | vs baseline | server CPU µs/req (median) | baseline CPU ÷ target CPU | non-2xx + errors |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const s of summary) {
    console.log(
      `| ${s.name} | ${s.rps.toFixed(0)} | ${pct(s.rps / base.rps)} | ${s.p99} | ${(s.p99 / Math.max(base.p99, 1)).toFixed(2)}× | ${s.cpu.toFixed(0)} | ${pct(base.cpu / s.cpu)} | ${s.failures} |`,
    );
  }
  const home = summary[2];
  const goal = 0.4;
  const byRps = home.rps / base.rps;
  const byCpu = base.cpu / home.cpu;
  console.log(
    `\nhome page: ${pct(byRps)} of the baseline's req/s, ${pct(byCpu)} by CPU time per request ` +
      `(target ≥ ${pct(goal)} on both): ${byRps >= goal && byCpu >= goal ? 'met' : 'NOT met'}`,
  );
  const busy = loadavg()[0] > cpu.length;
  if (busy) {
    console.log(
      `warning: load average ${loadavg()[0].toFixed(1)} on ${cpu.length} cores: other work shares the machine, ` +
        'so req/s ratios are unreliable; the CPU-time ratio is the steadier figure',
    );
  }

  await mesref.close();
  await bare.close();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
