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

import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import type { Result } from 'autocannon';
import { machine, machineLine, median, pct, positiveIntegers, warnIfBusy } from './lib.ts';
import { check, runAutocannon, runBench, startBaseline, startMesref, type Target } from './lib-app.ts';

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
positiveIntegers({ duration, connections, runs });

interface Measure {
  result: Result;
  /** CPU time of this process (the servers) per completed request, in microseconds. */
  cpuPerRequest: number;
}

const autocannonCli = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/** Loads a target for `seconds` with autocannon in a child process. */
async function fire(target: Target, seconds: number): Promise<Measure> {
  const { out, cpuMicroseconds } = await runAutocannon([
    autocannonCli,
    '--json',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    target.url,
  ]);
  const result = JSON.parse(out.trim().split('\n').at(-1) as string) as Result;
  return { result, cpuPerRequest: cpuMicroseconds / (result.requests.total || 1) };
}

await runBench(async (defer) => {
  // (a) the baseline: fastify with nothing but one route.
  const bareUrl = await startBaseline(defer, async () => ({ hello: 'world' }));

  // (b, c) mesref, as `mesref serve` builds it, on PGlite in a temporary folder.
  const mesref = await startMesref(defer, { postgres: false });
  const mesrefUrl = await mesref.listen();

  const targets: Target[] = [
    { name: 'bare fastify JSON (baseline)', url: `${bareUrl}/`, expect: /"hello":"world"/ },
    { name: 'mesref /health', url: `${mesrefUrl}/health`, expect: /"status":"ok"/ },
    { name: 'mesref home page /', url: `${mesrefUrl}/`, expect: /Référencer un service numérique en santé/ },
  ];
  for (const target of targets) await check(target);

  console.log(`# HTTP benchmark — ${new Date().toISOString()}`);
  console.log(machineLine(machine()));
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
  warnIfBusy('so req/s ratios are unreliable; the CPU-time ratio is the steadier figure');
});
