/**
 * The public catalogue with many services: the list page and a filtered search, against a baseline route doing
 * one small SELECT on the same database, measured in the same run.
 *
 *   npx tsx bench/catalogue.ts [--services 5000] [--others 1000] [--organisations 300] [--duration 5]
 *     [--sequential 3] [--connections 10] [--runs 2] [--warmup 2] [--seed 20260318] [--explain] [--json]
 *
 * Database: PGlite in a temporary folder (as `mesref serve` runs by default), or, when DATABASE_URL is set, a
 * fresh database created on that PostgreSQL server for the run and dropped at the end. mesref is built with
 * `buildApp`, logger off, no in-process worker.
 *
 * Corpus, made by a seeded generator and written with bulk inserts (1,000 rows per statement): `--services`
 * services online (published initial files, status EN_LIGNE) and `--others` files that the catalogue must not
 * list (published but HORS_LIGNE, SUSPENDUE, PRESERIE or DEREFERENCEE, or still in instruction), of
 * `--organisations` publishers. Each service has 1 to 3 thematics, no region (national) for half of them or 1
 * to 2 regions, 1 to 2 audiences, an economic model, a medical device one time in ten, data exchange four times
 * in ten, its OS and store or web addresses, a description of about 200 characters made of health words (with
 * accents), a logo one time in two and an official écoscore two times in three (with an older one superseded).
 * VACUUM ANALYZE runs after the load, as autovacuum would on a live database.
 *
 * Targets: (a) the baseline, a bare fastify route (no session, no authorization, no page) sharing mesref's
 * Kysely database, answering `select id, oid from dossiers where catalogue_status = 'EN_LIGNE' order by
 * published_at desc limit 20` as JSON; (b) the list page `/catalogue` (first page of 20, sorted by name);
 * (c) a filtered search page `/catalogue?q=sommeil&region=53&plateforme=android&tri=ecoscore` (text folded for
 * case and accents, a region, a platform, sorted by écoscore); (d) the JSON `/api/v1/catalogue?thematique=…`.
 * Each target's answer is checked before measuring (status and content).
 *
 * Method (as bench/instruction.ts): autocannon in a child process reports the time of every response, from
 * which the median and 95th percentile are exact. For each target, each round: `--connections` connections for
 * `--duration` seconds (throughput, latency under load), then one connection for `--sequential` seconds (page
 * time one request at a time). Ratio: the target's req/s ÷ the baseline's. With `--explain`, the plans of the
 * list's and the search's queries (EXPLAIN ANALYZE) are printed first.
 */

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp, type Mesref } from '../src/app.ts';
import { parseCatalogueQuery } from '../src/catalogue/model.ts';
import { searchQuery } from '../src/catalogue/store.ts';
import { loadConfig } from '../src/platform/config.ts';
import { newId, randomToken, sha256 } from '../src/platform/crypto.ts';
import { economicModels, productAudiences, productRegions, productThematics } from '../src/product/model.ts';
import { demoLogo } from '../src/product/png.ts';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '5000' },
    others: { type: 'string', default: '1000' },
    organisations: { type: 'string', default: '300' },
    duration: { type: 'string', default: '5' },
    sequential: { type: 'string', default: '3' },
    connections: { type: 'string', default: '10' },
    runs: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '2' },
    seed: { type: 'string', default: '20260318' },
    explain: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const services = Number(values.services);
const others = Number(values.others);
const organisations = Number(values.organisations);
const duration = Number(values.duration);
const sequential = Number(values.sequential);
const connections = Number(values.connections);
const runs = Number(values.runs);
const warmup = Number(values.warmup);
const seed = Number(values.seed);
for (const [name, value] of Object.entries({ services, organisations, duration, connections, runs })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
}
for (const [name, value] of Object.entries({ others, sequential, warmup })) {
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be an integer ≥ 0`);
}

const DAY = 86_400_000;
const BATCH = 1000;

/** mulberry32: a small seeded generator, so that the corpus is the same on every run. */
function random(seedValue: number): () => number {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
const median = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

/** A valid SIREN (Luhn) made from a number. */
function siren(n: number): string {
  const digits = String(20_000_000 + n)
    .slice(-8)
    .split('')
    .map(Number);
  for (let check = 0; check < 10; check++) {
    const sum = [...digits, check]
      .reverse()
      .reduce((acc, d, i) => acc + (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0);
    if (sum % 10 === 0) return [...digits, check].join('');
  }
  throw new Error('unreachable');
}

const WORDS = [
  'suivi',
  'prévention',
  'sommeil',
  'activité',
  'physique',
  'tension',
  'artérielle',
  'diabète',
  'nutrition',
  'équilibre',
  'grossesse',
  'vaccination',
  'rééducation',
  'santé',
  'mentale',
  'méditation',
  'journal',
  'rappels',
  'traitement',
  'médicaments',
  'téléconsultation',
  'rendez-vous',
  'conseils',
  'programme',
  'personnalisé',
  'mesures',
  'poids',
  'asthme',
  'allergies',
  'arrêt',
  'tabac',
  'parcours',
  'aidants',
  'autonomie',
  'quotidien',
];

// ── corpus ──────────────────────────────────────────────────────────────────────────────────────────────

async function insertBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

async function load(mesref: Mesref, now: Date) {
  const { db } = mesref;
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const some = <T>(list: readonly T[], min: number, max: number) => {
    const n = min + Math.floor(next() * (max - min + 1));
    return [...new Set(Array.from({ length: n }, () => pick(list)))];
  };
  const orgs = Array.from({ length: organisations }, (_, n) => ({ id: newId(), n }));
  await insertBatches(orgs, (batch) =>
    db
      .insertInto('organisations')
      .values(
        batch.map((o) => ({
          id: o.id,
          legal_name: `${pick(['Santé', 'Médi', 'Bien-être', 'Prévention', 'Numérique'])} ${pick(['Conseil', 'Ouest', 'Est', 'Labs', 'Études'])} ${o.n + 1} SAS`,
          siren: siren(o.n),
          address: '1 rue de la Santé, 75013 Paris',
          legal_representative: 'Camille Martin',
          status: 'active' as const,
          updated_at: now,
        })),
      )
      .execute(),
  );
  const total = services + others;
  const products = [];
  const dossiers = [];
  const logos = [];
  const ecoscores = [];
  const logo = demoLogo(64, [0, 99, 203]);
  const logoSha = sha256(logo);
  const statusOf = (i: number): { state: string; status: string | null } => {
    if (i < services) return { state: 'published', status: 'EN_LIGNE' };
    const r = next();
    if (r < 0.6)
      return { state: 'published', status: pick(['HORS_LIGNE', 'SUSPENDUE', 'PRESERIE', 'DEREFERENCEE']) };
    return { state: pick(['submitted', 'evaluation', 'accepted']), status: null };
  };
  for (let i = 0; i < total; i++) {
    const org = orgs[i % orgs.length];
    const os = pick(['ios', 'android', 'web', 'multi'] as const);
    const device: 'site-web' | 'mobile' | 'ordinateur' =
      os === 'web' ? 'site-web' : os === 'multi' ? pick(['mobile', 'ordinateur'] as const) : 'mobile';
    const medical = next() < 0.1;
    const dataExchange = next() < 0.4;
    const slug = `service-${i + 1}`;
    const id = newId();
    products.push({
      id,
      organisation_id: org.id,
      commercial_name: `${pick(WORDS).replace(/^./, (c) => c.toUpperCase())} ${pick(['Plus', 'Facile', 'Suivi', 'Zen', 'Actif', 'Santé'])} ${i + 1}`,
      os,
      device,
      version: '1.0',
      description: Array.from({ length: 26 }, () => pick(WORDS)).join(' '),
      url_web: os === 'web' || os === 'multi' ? `https://${slug}.exemple.fr` : null,
      url_ios:
        os === 'ios' || (os === 'multi' && next() < 0.7)
          ? `https://apps.apple.com/fr/app/${slug}/id${i}`
          : null,
      url_android:
        os === 'android' || (os === 'multi' && next() < 0.7)
          ? `https://play.google.com/store/apps/details?id=fr.exemple.${i}`
          : null,
      url_cgu: `https://${slug}.exemple.fr/cgu`,
      url_privacy: `https://${slug}.exemple.fr/confidentialite`,
      thematics: JSON.stringify(some(productThematics, 1, 3)),
      regions: JSON.stringify(next() < 0.5 ? [] : some(productRegions, 1, 2)),
      audience: JSON.stringify(some(productAudiences, 1, 2)),
      economic_model: pick(economicModels),
      medical_device: medical,
      medical_device_class: medical ? pick(['I', 'IIa', 'IIb'] as const) : null,
      data_exchange: dataExchange,
      row_version: 1,
      created_by: null,
      updated_at: now,
    });
    const { state, status } = statusOf(i);
    const publishedAt = state === 'published' ? new Date(now.getTime() - next() * 900 * DAY) : null;
    dossiers.push({
      id: newId(),
      number: null,
      kind: 'initial' as const,
      parent_id: null,
      organisation_id: org.id,
      product_id: id,
      product_version: '1.0',
      typology: dataExchange ? ('avec-echange' as const) : ('sans-echange' as const),
      referential_version: mesref.referentials.newest().id,
      assessment_id: null,
      state,
      state_since: publishedAt ?? now,
      catalogue_status: status,
      request: '{}',
      snapshot: null,
      touched_criteria: null,
      opinion: null,
      reservations: '[]',
      decision: null,
      convention: dataExchange
        ? JSON.stringify({
            finalites: ['prevention'],
            categories: [{ code: 'poids', read: true, write: true }],
          })
        : null,
      info_return_state: null,
      phase_due_at: null,
      paused_at: null,
      paused_phase_due_at: null,
      overdue_notified_state: null,
      assigned_to: null,
      oid: publishedAt ? `${mesref.config.oidRoot}.${i + 1}` : null,
      referenced_until: publishedAt ? new Date(publishedAt.getTime() + 365 * DAY) : null,
      reminders_sent: '[]',
      update_due_at: null,
      submitted_at: publishedAt,
      published_at: publishedAt,
      created_by: null,
      created_at: publishedAt ?? now,
      updated_at: now,
    });
    if (next() < 0.5)
      logos.push({
        id: newId(),
        product_id: id,
        kind: 'logo' as const,
        position: 0,
        media_type: 'image/png' as const,
        size_bytes: logo.length,
        sha256: logoSha,
        content: logo,
        alt_text: '',
        created_by: null,
      });
    if (next() < 0.67) {
      for (const [score, daysAgo] of [
        [Math.floor(next() * 60), 400],
        [20 + Math.floor(next() * 80), 100],
      ])
        ecoscores.push({
          id: newId(),
          product_id: id,
          score,
          measured_on: new Date(now.getTime() - daysAgo * DAY).toISOString().slice(0, 10),
          journey_name: 'Parcours type',
          report_url: `https://${slug}.exemple.fr/ecoscore`,
          file_name: null,
          media_type: null,
          size_bytes: null,
          sha256: null,
          content: null,
          recorded_by: null,
          recorded_at: new Date(now.getTime() - daysAgo * DAY),
        });
    }
  }
  await insertBatches(products, (batch) => db.insertInto('products').values(batch).execute());
  await insertBatches(dossiers, (batch) => db.insertInto('dossiers').values(batch).execute());
  await insertBatches(logos, (batch) => db.insertInto('product_images').values(batch).execute());
  await insertBatches(ecoscores, (batch) => db.insertInto('ecoscore_official').values(batch).execute());
  await sql`vacuum analyze`.execute(db);
  return { services, others, logos: logos.length, ecoscores: ecoscores.length };
}

// ── measurement (as bench/instruction.ts) ─────────────────────────────────────────────────────────────

interface Target {
  name: string;
  url: string;
  expect: RegExp;
}

interface Fire {
  rps: number;
  requests: number;
  times: number[];
  non2xx: number;
  errors: number;
  timeouts: number;
  cpuMs: number;
}

const autocannonPath = createRequire(import.meta.url).resolve('autocannon');

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

async function fire(target: Target, seconds: number, conns: number): Promise<Fire> {
  const options = { url: target.url, connections: conns, duration: seconds };
  const cpuBefore = process.cpuUsage();
  const child = spawn(process.execPath, ['-e', CHILD, autocannonPath, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  const result = JSON.parse(out) as Omit<Fire, 'cpuMs'>;
  return { ...result, cpuMs: (cpu.user + cpu.system) / 1000 / Math.max(1, result.requests) };
}

async function check(target: Target): Promise<void> {
  const res = await fetch(target.url, { redirect: 'manual' });
  const body = await res.text();
  if (res.status !== 200 || !target.expect.test(body)) {
    throw new Error(`${target.name} answers ${res.status} without the expected content`);
  }
}

async function createDatabase(base: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `mesref_bench_${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

const SEARCH = 'q=sommeil&region=53&plateforme=android&tri=ecoscore';

async function explain(mesref: Mesref): Promise<void> {
  for (const [label, raw] of [
    ['list (first page, by name)', {}],
    ['search (text, region, platform, by écoscore)', Object.fromEntries(new URLSearchParams(SEARCH))],
  ] as const) {
    const parsed = parseCatalogueQuery(raw);
    if (!parsed.ok) throw new Error('bad query');
    const compiled = searchQuery(mesref.db, parsed.query, { limit: 20, offset: 0 }).compile();
    const { rows } = await mesref.db.executeQuery<{ 'QUERY PLAN': string }>({
      ...compiled,
      sql: `explain (analyze, costs off) ${compiled.sql}`,
    });
    console.log(`\n## plan: ${label}\n${rows.map((r) => r['QUERY PLAN']).join('\n')}`);
  }
}

async function main() {
  const base = process.env.DATABASE_URL;
  const dataDir = mkdtempSync(join(tmpdir(), 'mesref-bench-'));
  const database = base ? await createDatabase(base) : undefined;
  const cleanups: Array<() => Promise<void>> = [
    async () => rmSync(dataDir, { recursive: true, force: true }),
    async () => database?.drop(),
  ];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) await step();
  };
  process.once('SIGINT', () => {
    void cleanup().finally(() => process.exit(130));
  });
  try {
    await run(dataDir, database?.url, cleanups);
  } finally {
    await cleanup();
  }
}

async function run(dataDir: string, databaseUrl: string | undefined, cleanups: Array<() => Promise<void>>) {
  const mesref = await buildApp(
    loadConfig({
      MESREF_MODE: 'sandbox',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      MESREF_IN_PROCESS_WORKER: 'false',
      MESREF_DEMO_DATA: 'false',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    }),
    { logger: false },
  );
  cleanups.push(() => mesref.close());
  const now = new Date();
  const loadStart = performance.now();
  const shape = await load(mesref, now);
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const bare = Fastify({ logger: false });
  bare.get('/', async () =>
    mesref.db
      .selectFrom('dossiers')
      .select(['id', 'oid'])
      .where('catalogue_status', '=', 'EN_LIGNE')
      .orderBy('published_at', 'desc')
      .limit(20)
      .execute(),
  );
  const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => bare.close());
  const mesrefUrl = await mesref.listen();

  const targets: Target[] = [
    { name: 'baseline: bare route, one SELECT', url: `${bareUrl}/`, expect: /^\[\{"id":"/ },
    { name: 'list page /catalogue', url: `${mesrefUrl}/catalogue`, expect: /service\(s\) trouvé\(s\)/ },
    {
      name: 'search page (text, region, platform)',
      url: `${mesrefUrl}/catalogue?${SEARCH}`,
      expect: /service\(s\) trouvé\(s\)/,
    },
    {
      name: 'API /api/v1/catalogue?thematique=…',
      url: `${mesrefUrl}/api/v1/catalogue?thematique=sommeil`,
      expect: /"total":\d+/,
    },
  ];
  for (const target of targets) await check(target);
  const counts = {
    list: Number(/(\d+) service\(s\) trouvé/.exec(await (await fetch(targets[1].url)).text())?.[1]),
    search: Number(/(\d+) service\(s\) trouvé/.exec(await (await fetch(targets[2].url)).text())?.[1]),
  };

  const cpu = cpus();
  const machine = {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  };
  if (!values.json) {
    console.log(`# Catalogue benchmark — ${now.toISOString()}`);
    console.log(
      `node ${machine.node}, ${machine.cores} cores (${machine.cpu}), load average ${machine.loadAverage.join(' ')}`,
    );
    console.log(
      `database: ${mesref.dbKind === 'postgres' ? 'PostgreSQL (a fresh database, dropped at the end)' : 'PGlite'}`,
    );
    console.log(
      `corpus (seed ${seed}, loaded in ${loadSeconds.toFixed(1)} s): ${shape.services} services online, ${shape.others} other files, ` +
        `${organisations} publishers, ${shape.logos} logos, ${shape.ecoscores} official écoscores; ` +
        `the list finds ${counts.list}, the search ${counts.search}`,
    );
    console.log(
      `autocannon: ${connections} connections for ${duration} s, then 1 connection for ${sequential} s, per target and round; ` +
        `${runs} round(s); ${warmup} s warm-up per target`,
    );
    if (values.explain) await explain(mesref);
    console.log('');
  }

  if (warmup > 0) for (const target of targets) await fire(target, warmup, connections);
  const loaded = new Map<string, Fire[]>(targets.map((t) => [t.name, []]));
  const single = new Map<string, Fire[]>(targets.map((t) => [t.name, []]));
  for (let round = 1; round <= runs; round++) {
    for (const target of [...targets.slice(1), targets[0]]) {
      const underLoad = await fire(target, duration, connections);
      loaded.get(target.name)?.push(underLoad);
      if (sequential > 0) single.get(target.name)?.push(await fire(target, sequential, 1));
      if (!values.json) {
        const sorted = [...underLoad.times].sort((a, b) => a - b);
        console.log(
          `round ${round}  ${target.name.padEnd(38)} ${underLoad.rps.toFixed(0).padStart(6)} req/s  ` +
            `median ${quantile(sorted, 0.5).toFixed(1)} ms  p95 ${quantile(sorted, 0.95).toFixed(1)} ms  ` +
            `CPU ${underLoad.cpuMs.toFixed(2)} ms/req  non-2xx ${underLoad.non2xx}  errors ${underLoad.errors}`,
        );
      }
    }
  }
  const latency = (fires: Fire[]) => {
    const sorted = fires.flatMap((f) => f.times).sort((a, b) => a - b);
    return {
      responses: sorted.length,
      medianMs: Number(quantile(sorted, 0.5).toFixed(2)),
      p95Ms: Number(quantile(sorted, 0.95).toFixed(2)),
    };
  };
  const results = targets.map((t) => {
    const l = loaded.get(t.name) ?? [];
    const s = single.get(t.name) ?? [];
    return {
      name: t.name,
      path: new URL(t.url).pathname + new URL(t.url).search,
      rps: Number(median(l.map((f) => f.rps)).toFixed(1)),
      underLoad: latency(l),
      oneAtATime: sequential > 0 ? latency(s) : null,
      appCpuMsPerRequest: Number(median(l.map((f) => f.cpuMs)).toFixed(2)),
      failures: [...l, ...s].reduce((n, f) => n + f.non2xx + f.errors + f.timeouts, 0),
    };
  });
  const baseline = results[0];
  const withRatio = results.map((r) => ({
    ...r,
    ratioToBaseline: Number((r.rps / baseline.rps).toFixed(4)),
    p95RatioToBaseline: Number((r.underLoad.p95Ms / baseline.underLoad.p95Ms).toFixed(2)),
  }));
  const targetP95Ms = 50;
  const met = withRatio.slice(1, 3).map((r) => ({
    name: r.name,
    oneAtATime: r.oneAtATime ? r.oneAtATime.p95Ms < targetP95Ms : null,
    underLoad: r.underLoad.p95Ms < targetP95Ms,
  }));
  const report = {
    date: now.toISOString(),
    machine,
    database: mesref.dbKind,
    corpus: { ...shape, organisations, seed, loadSeconds: Number(loadSeconds.toFixed(1)), counts },
    method: {
      connections,
      durationSeconds: duration,
      sequentialSeconds: sequential,
      runs,
      warmupSeconds: warmup,
    },
    results: withRatio,
    targetP95Ms,
    met,
  };
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const ms = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(1));
  console.log(
    `\n| target | req/s (median of ${runs}) | vs baseline | ${connections} conn.: median ms | p95 ms | p95 ÷ baseline's | ` +
      '1 conn.: median ms | p95 ms | CPU ms/req | failures |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of withRatio) {
    console.log(
      `| ${r.name} | ${r.rps.toFixed(0)} | ${pct(r.ratioToBaseline)} | ${ms(r.underLoad.medianMs)} | ${ms(r.underLoad.p95Ms)} | ` +
        `${r.p95RatioToBaseline.toFixed(1)} | ${ms(r.oneAtATime?.medianMs)} | ${ms(r.oneAtATime?.p95Ms)} | ` +
        `${r.appCpuMsPerRequest.toFixed(2)} | ${r.failures} |`,
    );
  }
  const verdict = (ok: boolean | null) => (ok === null ? 'not measured' : ok ? 'met' : 'NOT met');
  for (const m of met)
    console.log(
      `${m.name}: p95 under ${targetP95Ms} ms one request at a time ${verdict(m.oneAtATime)}, under ${connections} connections ${verdict(m.underLoad)}` +
        (mesref.dbKind === 'postgres' ? '' : ' (the target is set for PostgreSQL)'),
    );
  if (loadavg()[0] > cpu.length)
    console.log(
      `warning: load average ${loadavg()[0].toFixed(1)} on ${cpu.length} cores: other work shares the machine`,
    );
}

await main();
