/**
 * The FHIR exchange API under load: the authenticated measures push (`POST /fhir`: validation, token, consent,
 * storage) and the "last" search (`GET /fhir/Observation?…&_sort=-date&_count=1`), against a baseline route
 * doing one INSERT into the same database, measured in the same run.
 *
 *   npx tsx bench/fhir.ts [--citizens 20] [--observations 5000] [--duration 10] [--connections 10] [--runs 3]
 *     [--warmup 2] [--seed 20260318] [--json]
 *
 * Database: PGlite in a temporary folder (as `mesref serve` runs by default), or, when DATABASE_URL is set, a
 * fresh database created on that PostgreSQL server for the run and dropped at the end. For a server on this
 * machine, give its Unix socket (`postgres://postgres@localhost/postgres?host=/var/run/postgresql`), as a
 * deployment on one host would: over loopback TCP, a query's system calls cost more than a small query on a
 * virtual machine. The push and the search each make one query, as the baseline does (the token's facts are
 * those of the grant's previous call, checked inside that query). mesref is built with
 * `buildApp`, logger off, no in-process worker, access tokens of an hour (MESREF_OAUTH_ACCESS_TOKEN_SECONDS), so
 * that none expires during the run.
 *
 * Set-up, through mesref's own use cases and its real authorization server: one data-exchange service walked
 * to publication (its convention: blood pressure and weight, read and write, finalité prévention), then
 * `--citizens` citizens, each paired with it as a browser would (authorization request with PKCE S256, consent
 * page, « Autoriser », code exchanged with private_key_jwt): each has a real access token and its idPe. Then
 * `--observations` measures (weight and blood pressure in turn, over the citizens, dated over the last two
 * years by a seeded generator) pushed through the push use case (validated and stored as the API stores them).
 * VACUUM ANALYZE runs after the load, as autovacuum would on a live database.
 *
 * Targets: (a) the push, `POST /fhir`, each request a valid push Bundle with a fresh Observation (weight or
 * blood pressure in turn, its own fullUrl, effective time and value) for the next citizen with that citizen's
 * token; (b) the "last" search, `GET /fhir/Observation?code=…&subject.identifier=<system>|<idPe>&_sort=-date
 * &_count=1`, weight or blood pressure, over the same citizens; (c) the baseline, a bare fastify route (no token,
 * no validation, no consent) receiving the same Bundles and doing one INSERT of each into a table made for it
 * in the same database, through mesref's own connection pool. Before anything is measured, every citizen's
 * push and search are checked once (200 and the expected Bundle); a load with any answer that is not a 2xx
 * stops the bench with the statuses it got: a benchmark of errors would measure nothing.
 *
 * Method: autocannon runs in a child process (so the load does not share the servers' event loop), its
 * `setupRequest` building each request; it reports the time of every response, from which the median, 95th and
 * 99th percentiles are exact. Each round: each target under `--connections` connections for `--duration`
 * seconds, the baseline last. req/s is the median over the rounds; latencies are over every response of every
 * round; the ratio to the baseline is the median of each round's ratio (both measured in that round). Also
 * reported, steadier than req/s when other work shares the machine: CPU time per request of this process (mesref,
 * and PGlite when it is the database) and, for a PostgreSQL server on this machine, of the server's backends
 * serving the bench's database (read from /proc).
 * Targets (for PostgreSQL): the push at ≥ 30 % of the baseline's throughput and p99 < 50 ms.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { sql } from 'kysely';
import type { Mesref } from '../src/app.ts';
import { idPeSystemOf, withDataCaller } from '../src/fhir/api/gate.ts';
import { pushMeasures } from '../src/measures/service.ts';
import { newId } from '../src/platform/crypto.ts';
import { createStaff } from '../test/dossier-fixtures.ts';
import { createCitizen, sessionCookie, type TestApp } from '../test/helpers.ts';
import {
  clientFor,
  measure,
  PUBLIC_URL,
  pairAndToken,
  publishMeasuresService,
  pushBundle,
  type Who,
  whoOf,
} from '../test/measures-fixtures.ts';
import {
  checkSeed,
  DAY,
  machine,
  machineLine,
  nonNegativeIntegers,
  pct,
  positiveIntegers,
  quantile,
  random,
  rankMedian,
  warnIfBusy,
} from './lib.ts';
import {
  databaseLine,
  type Fire,
  measureRounds,
  msText,
  runAutocannon,
  runBench,
  startMesref,
  type Target,
  verdict,
  withDatabaseCpu,
} from './lib-app.ts';

const { values } = parseArgs({
  options: {
    citizens: { type: 'string', default: '20' },
    observations: { type: 'string', default: '5000' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '2' },
    seed: { type: 'string', default: '20260318' },
    json: { type: 'boolean', default: false },
  },
});
const citizens = Number(values.citizens);
const observations = Number(values.observations);
const duration = Number(values.duration);
const connections = Number(values.connections);
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const seed = Number(values.seed);
positiveIntegers({ citizens, duration, connections, runs });
nonNegativeIntegers({ observations, warmup });
checkSeed(seed);

/** The targets, for PostgreSQL: a share of the baseline's throughput, and the 99th percentile of latency. */
const TARGET_RATIO = 0.3;
const TARGET_P99_MS = 50;
const SCOPE = 'openid pression-arterielle.read pression-arterielle.write poids.read poids.write';
const CODES = { weight: '29463-7', bp: '85354-9' } as const;
const KINDS = ['weight', 'bp'] as const;

// ── mesref ──────────────────────────────────────────────────────────────────────────────────────────────

// ── set-up: a published service, paired citizens, a corpus ─────────────────────────────────────────────

interface Citizen {
  token: string;
  idPe: string;
  who: Who;
}

async function pairCitizens(mesref: Mesref): Promise<{ oid: string; people: Citizen[] }> {
  const t = {
    ...mesref,
    inject: (options) => mesref.app.inject(options),
    stop: () => mesref.close(),
  } as TestApp;
  const staff = await createStaff(mesref);
  const service = await publishMeasuresService(mesref, {
    name: 'Banc Mesures',
    redirectUri: 'http://127.0.0.1:4997/client/callback',
    categories: [
      { code: 'pression-arterielle', read: true, write: true },
      { code: 'poids', read: true, write: true },
    ],
    staff,
  });
  const client = clientFor(t, service);
  const people: Citizen[] = [];
  for (let n = 0; n < citizens; n++) {
    const citizenId = await createCitizen(mesref.db, 'Camille', `Banc ${n + 1}`);
    const cookies = await sessionCookie(mesref.db, { citizenId });
    const { accessToken, idPe } = await pairAndToken(t, client, cookies, SCOPE);
    people.push({ token: accessToken, idPe, who: whoOf(mesref, service, idPe) });
  }
  return { oid: service.oid, people };
}

/** `--observations` measures through the push use case, ten at a time, dated over the last two years. */
async function loadCorpus(mesref: Mesref, people: Citizen[]): Promise<void> {
  const next = random(seed);
  const now = Date.now();
  for (let start = 0; start < observations; start += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, observations - start) }, async (_, k) => {
        const i = start + k;
        const person = i % people.length;
        const kind = KINDS[Math.floor(i / people.length) % 2];
        const effective = new Date(now - DAY - Math.floor(next() * 730 * DAY)).toISOString();
        const value = kind === 'weight' ? 50 + Math.round(next() * 500) / 10 : 100 + Math.floor(next() * 60);
        const bundle = pushBundle(measure(kind, people[person].who, effective, value));
        const answer = await withDataCaller(
          mesref,
          `Bearer ${people[person].token}`,
          (caller) => pushMeasures(mesref, caller, bundle, 'fr'),
          { remembered: true },
        );
        if (answer.status !== 200) throw new Error(`corpus push answered ${answer.status}`);
      }),
    );
  }
  await sql`vacuum analyze`.execute(mesref.db);
}

// ── the requests ────────────────────────────────────────────────────────────────────────────────────────

/** A request autocannon sends; in a body, `__UUID__`, `__EFFECTIVE__` and `__VALUE__` are made per request. */
interface RequestTemplate {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** The push Bundle of `kind` for a citizen, its Observation's fullUrl, time and value left to fill. */
function pushTemplate(person: Citizen, kind: (typeof KINDS)[number], path: string): RequestTemplate {
  const bundle = pushBundle(measure(kind, person.who, '2000-01-01T00:00:00Z', 1234.5));
  const entry = (bundle.entry as Array<Record<string, unknown>>)[0];
  entry.fullUrl = 'urn:uuid:__UUID__';
  const body = JSON.stringify(bundle)
    .replace('"effectiveDateTime":"2000-01-01T00:00:00Z"', '"effectiveDateTime":"__EFFECTIVE__"')
    .replace(/"value":1234\.5/, '"value":__VALUE__');
  if (!body.includes('__EFFECTIVE__') || !body.includes('__VALUE__')) throw new Error('template not made');
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${person.token}` },
    body,
  };
}

function lastSearchPath(mesref: Mesref, person: Citizen, kind: (typeof KINDS)[number]): string {
  const query = new URLSearchParams({
    code: CODES[kind],
    'subject.identifier': `${idPeSystemOf(mesref.config)}|${person.idPe}`,
    _sort: '-date',
    _count: '1',
  });
  return `/fhir/Observation?${query}`;
}

/** Request `i` of a load made from its template, as autocannon's `setupRequest` makes it. */
function fill(template: RequestTemplate, i: number, base: number): RequestTemplate {
  if (!template.body) return template;
  return {
    ...template,
    body: template.body
      .replace('__UUID__', newId())
      .replace('__EFFECTIVE__', new Date(base + i * 1000).toISOString())
      .replace('__VALUE__', String(100 + (i % 400) / 10)),
  };
}

/**
 * The child that runs autocannon: request `i` (over every connection) is template `i mod n`, filled in as `fill`
 * does; it reports the time of every 2xx response and how many answers of each status, with the first body of a
 * non-2xx one.
 */
const CHILD = `
const { randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const autocannon = require(process.argv[1]);
const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const times = [];
const statuses = {};
let firstFailure;
let i = 0;
const base = Date.now() - 30 * 86400000;
const setupRequest = (req) => {
  const t = spec.templates[i % spec.templates.length];
  const n = i++;
  req.method = t.method;
  req.path = t.path;
  req.headers = t.headers;
  if (t.body) {
    req.body = t.body
      .replace('__UUID__', randomUUID())
      .replace('__EFFECTIVE__', new Date(base + n * 1000).toISOString())
      .replace('__VALUE__', String(100 + (n % 400) / 10));
  }
  return req;
};
const onResponse = (status, body) => {
  if ((status < 200 || status >= 300) && firstFailure === undefined) firstFailure = String(body).slice(0, 600);
};
const instance = autocannon(
  { url: spec.url, connections: spec.connections, duration: spec.duration, requests: [{ setupRequest, onResponse }] },
  (error, result) => {
    if (error) { console.error(error); process.exit(1); }
    process.stdout.write(JSON.stringify({
      rps: result.requests.average,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      times,
      statuses,
      firstFailure,
    }));
  },
);
instance.on('response', (_client, status, _bytes, ms) => {
  statuses[status] = (statuses[status] ?? 0) + 1;
  if (status >= 200 && status < 300) times.push(Math.round(ms * 1000) / 1000);
});
`;

const autocannonPath = createRequire(import.meta.url).resolve('autocannon');

interface Load extends Fire {
  statuses: Record<string, number>;
  firstFailure?: string;
}

/**
 * Loads `url` with the templates in turn under `conns` connections for `seconds`; throws unless every answer
 * was a 2xx.
 */
async function fireTemplates(
  name: string,
  url: string,
  templates: RequestTemplate[],
  seconds: number,
  conns: number,
  scratch: string,
): Promise<Load> {
  const specFile = join(scratch, `${newId()}.json`);
  writeFileSync(specFile, JSON.stringify({ url, connections: conns, duration: seconds, templates }));
  const { out, cpuMicroseconds } = await runAutocannon(['-e', CHILD, autocannonPath, specFile]);
  rmSync(specFile, { force: true });
  const result = JSON.parse(out) as Omit<Load, 'cpuMs'>;
  if (result.non2xx > 0 || result.errors > 0 || result.requests === 0) {
    throw new Error(
      `${name}: ${result.requests} requests, ${result.non2xx} answers not 2xx, ${result.errors} errors ` +
        `(statuses ${JSON.stringify(result.statuses)})${result.firstFailure ? `; first failure: ${result.firstFailure}` : ''}`,
    );
  }
  return { ...result, cpuMs: cpuMicroseconds / 1000 / Math.max(1, result.requests) };
}

/** Sends a request once; throws unless it answers 200 with the expected content. */
async function checkOnce(name: string, url: string, request: RequestTemplate, expect: RegExp): Promise<void> {
  const res = await fetch(`${url}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body ? { body: request.body } : {}),
  });
  const body = await res.text();
  if (res.status !== 200 || !expect.test(body)) {
    throw new Error(`${name} answers ${res.status} without the expected content: ${body.slice(0, 600)}`);
  }
}

// ── the run ─────────────────────────────────────────────────────────────────────────────────────────────

await runBench(async (defer) => {
  const scratch = mkdtempSync(join(tmpdir(), 'mesref-bench-fhir-'));
  defer(() => rmSync(scratch, { recursive: true, force: true }));
  // Access tokens of an hour, and the public URL the test fixtures pair through (`app.inject` with that Host).
  const mesref = await startMesref(defer, {
    env: { MESREF_PUBLIC_URL: PUBLIC_URL, MESREF_OAUTH_ACCESS_TOKEN_SECONDS: '3600' },
  });
  const now = new Date();

  const setupStart = performance.now();
  const { oid, people } = await pairCitizens(mesref);
  const pairSeconds = (performance.now() - setupStart) / 1000;
  const loadStart = performance.now();
  await loadCorpus(mesref, people);
  const loadSeconds = (performance.now() - loadStart) / 1000;

  // The baseline: the same Bundles, one INSERT each, in a table of its own, through mesref's pool.
  await sql`create table bench_baseline_inserts (id uuid primary key, received_at timestamptz not null,
    body jsonb not null)`.execute(mesref.db);
  const bare = Fastify({ logger: false, bodyLimit: mesref.config.fhirMaxResourceBytes });
  bare.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(String(body)));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  bare.post('/', async (request) => {
    const id = newId();
    await sql`insert into bench_baseline_inserts (id, received_at, body)
      values (${id}, ${new Date()}, ${JSON.stringify(request.body)}::jsonb)`.execute(mesref.db);
    return { id };
  });
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
  defer(() => bare.close());
  const mesrefUrl = await mesref.listen();

  const pushes = people.flatMap((p) => KINDS.map((kind) => pushTemplate(p, kind, '/fhir')));
  const searches = people.flatMap((p) =>
    KINDS.map(
      (kind): RequestTemplate => ({
        method: 'GET',
        path: lastSearchPath(mesref, p, kind),
        headers: { authorization: `Bearer ${p.token}` },
      }),
    ),
  );
  const inserts = pushes.map((t) => ({ ...t, path: '/' }));
  const base = Date.now() - 40 * DAY;
  for (const [i, request] of pushes.entries())
    await checkOnce(
      'push',
      mesrefUrl,
      fill(request, i, base),
      /"type":"transaction-response"[\s\S]*"201 Created"/,
    );
  for (const request of searches)
    await checkOnce(
      'last search',
      mesrefUrl,
      request,
      /"type":"searchset"[\s\S]*"resourceType":"Observation"/,
    );
  await checkOnce('baseline', bareUrl, fill(inserts[0], 0, base), /^\{"id":"[0-9a-f-]{36}"\}$/);

  const targets: Array<Target & { templates: RequestTemplate[] }> = [
    { name: 'push POST /fhir', url: mesrefUrl, templates: pushes, expect: /transaction-response/ },
    { name: 'last search GET /fhir/Observation', url: mesrefUrl, templates: searches, expect: /searchset/ },
    { name: 'baseline: bare route, one INSERT', url: bareUrl, templates: inserts, expect: /id/ },
  ];
  const templatesOf = (target: Target) => targets.find((t) => t.name === target.name)?.templates ?? [];

  const host = machine();
  if (!values.json) {
    console.log(`# FHIR exchange API benchmark — ${now.toISOString()}`);
    console.log(machineLine(host));
    console.log(databaseLine(mesref));
    console.log(
      `set-up: service ${oid} published, ${citizens} citizens paired through the authorization server ` +
        `(code + PKCE) in ${pairSeconds.toFixed(1)} s; ${observations} measures pushed in ${loadSeconds.toFixed(1)} s ` +
        `(seed ${seed})`,
    );
    console.log(
      `autocannon: ${connections} connections for ${duration} s per target and round; ${runs} round(s); ` +
        `${warmup} s warm-up per target`,
    );
    console.log('');
  }
  if (warmup > 0) {
    for (const target of targets)
      await fireTemplates(target.name, target.url, target.templates, warmup, connections, scratch);
  }
  const { loaded } = await measureRounds(
    targets,
    { duration, sequential: 0, connections, runs, warmup },
    {
      underLoad: (target) =>
        withDatabaseCpu(mesref.db, mesref.config.databaseUrl, () =>
          fireTemplates(target.name, target.url, templatesOf(target), duration, connections, scratch),
        ),
      after: (round, target, load) => {
        if (values.json) return;
        const sorted = [...load.times].sort((a, b) => a - b);
        console.log(
          `round ${round}  ${target.name.padEnd(36)} ${load.rps.toFixed(0).padStart(6)} req/s  ` +
            `median ${quantile(sorted, 0.5).toFixed(1)} ms  p95 ${quantile(sorted, 0.95).toFixed(1)} ms  ` +
            `p99 ${quantile(sorted, 0.99).toFixed(1)} ms  CPU ${load.cpuMs.toFixed(2)} ms/req` +
            (load.dbCpuMs === undefined ? '' : ` + db ${load.dbCpuMs.toFixed(2)}`),
        );
      },
    },
  );

  const baselineLoads = loaded.get(targets[2].name) ?? [];
  const results = targets.map((t) => {
    const loads = loaded.get(t.name) ?? [];
    const sorted = loads.flatMap((f) => f.times).sort((a, b) => a - b);
    return {
      name: t.name,
      rps: rankMedian(loads.map((f) => f.rps)),
      rpsPerRound: loads.map((f) => f.rps),
      responses: sorted.length,
      medianMs: quantile(sorted, 0.5),
      p95Ms: quantile(sorted, 0.95),
      p99Ms: quantile(sorted, 0.99),
      appCpuMsPerRequest: rankMedian(loads.map((f) => f.cpuMs)),
      dbCpuMsPerRequest: loads.every((f) => f.dbCpuMs !== undefined)
        ? rankMedian(loads.map((f) => f.dbCpuMs as number))
        : null,
      ratioToBaseline: rankMedian(loads.map((f, round) => f.rps / baselineLoads[round].rps)),
    };
  });
  const goals = results.slice(0, 2).map((r) => ({
    name: r.name,
    throughput: r.ratioToBaseline >= TARGET_RATIO,
    p99: r.p99Ms < TARGET_P99_MS,
  }));
  const report = {
    date: now.toISOString(),
    machine: host,
    database: mesref.dbKind,
    setup: {
      citizens,
      observations,
      seed,
      pairSeconds: Number(pairSeconds.toFixed(1)),
      loadSeconds: Number(loadSeconds.toFixed(1)),
    },
    method: { connections, durationSeconds: duration, runs, warmupSeconds: warmup },
    results,
    targets: { ratioToBaseline: TARGET_RATIO, p99Ms: TARGET_P99_MS, forDatabase: 'postgres' },
    met: goals,
  };
  if (values.json) {
    // Figures to a hundredth (ratios to a ten-thousandth): more would be noise.
    console.log(
      JSON.stringify(
        report,
        (key, value) =>
          typeof value === 'number' && !Number.isInteger(value)
            ? Number(value.toFixed(key === 'ratioToBaseline' ? 4 : 2))
            : value,
        2,
      ),
    );
    return;
  }
  console.log(
    `\n| target | req/s (median of ${runs}) | vs baseline | median ms | p95 ms | p99 ms | app CPU ms/req | ` +
      `db CPU ms/req | responses |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${r.rps.toFixed(0)} | ${pct(r.ratioToBaseline)} | ${msText(r.medianMs)} | ${msText(r.p95Ms)} | ` +
        `${msText(r.p99Ms)} | ${r.appCpuMsPerRequest.toFixed(2)} | ` +
        `${r.dbCpuMsPerRequest === null ? '–' : r.dbCpuMsPerRequest.toFixed(2)} | ${r.responses} |`,
    );
  }
  const note = mesref.dbKind === 'postgres' ? '' : ' (the targets are set for PostgreSQL)';
  for (const g of goals) {
    console.log(
      `${g.name}: ≥ ${pct(TARGET_RATIO)} of the baseline's throughput ${verdict(g.throughput)}, ` +
        `p99 < ${TARGET_P99_MS} ms ${verdict(g.p99)}${note}`,
    );
  }
  warnIfBusy('so the figures are lower and noisier than on an idle machine');
});
