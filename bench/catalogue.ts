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
 * Kysely database, answering the first 20 entries of the catalogue's read model in the order of its index
 * (`select dossier_id, product_id from catalogue_entries order by name_key, os, device, product_id limit 20`) as
 * JSON; (b) the list page `/catalogue` (first page of 20, sorted by name);
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

import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { Mesref } from '../src/app.ts';
import { parseCatalogueQuery } from '../src/catalogue/model.ts';
import { searchQuery } from '../src/catalogue/store.ts';
import { newId, sha256 } from '../src/platform/crypto.ts';
import { economicModels, productAudiences, productRegions, productThematics } from '../src/product/model.ts';
import { demoLogo } from '../src/product/png.ts';
import {
  DAY,
  machine,
  machineLine,
  nonNegativeIntegers,
  pct,
  positiveIntegers,
  random,
  rankMedian,
  warnIfBusy,
} from './lib.ts';
import {
  check,
  databaseLine,
  fire,
  insertBatches,
  latency,
  latencyText,
  loadMethod,
  loadOptions,
  loadSettings,
  measureRounds,
  msText,
  runBench,
  siren,
  startBaseline,
  startMesref,
  type Target,
  verdict,
} from './lib-app.ts';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '5000' },
    others: { type: 'string', default: '1000' },
    organisations: { type: 'string', default: '300' },
    ...loadOptions({ duration: 5, sequential: 3, runs: 2 }),
    seed: { type: 'string', default: '20260318' },
    explain: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const services = Number(values.services);
const others = Number(values.others);
const organisations = Number(values.organisations);
const seed = Number(values.seed);
positiveIntegers({ services, organisations });
nonNegativeIntegers({ others });
const settings = loadSettings(values);
const { duration, sequential, connections, runs, warmup } = settings;

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
          siren: siren(o.n, 2),
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

await runBench(async (defer) => {
  const mesref = await startMesref(defer);
  const now = new Date();
  const loadStart = performance.now();
  const shape = await load(mesref, now);
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const bareUrl = await startBaseline(defer, async () =>
    mesref.db
      .selectFrom('catalogue_entries')
      .select(['dossier_id as id', 'product_id'])
      .orderBy('name_key')
      .orderBy('os')
      .orderBy('device')
      .orderBy('product_id')
      .limit(20)
      .execute(),
  );
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

  const host = machine();
  if (!values.json) {
    console.log(`# Catalogue benchmark — ${now.toISOString()}`);
    console.log(machineLine(host));
    console.log(databaseLine(mesref));
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
  const { loaded, single } = await measureRounds([...targets.slice(1), targets[0]], settings, {
    after: (round, target, underLoad) => {
      if (values.json) return;
      console.log(
        `round ${round}  ${target.name.padEnd(38)} ${underLoad.rps.toFixed(0).padStart(6)} req/s  ` +
          `${latencyText(underLoad)}  ` +
          `CPU ${underLoad.cpuMs.toFixed(2)} ms/req  non-2xx ${underLoad.non2xx}  errors ${underLoad.errors}`,
      );
    },
  });
  const results = targets.map((t) => {
    const l = loaded.get(t.name) ?? [];
    const s = single.get(t.name) ?? [];
    return {
      name: t.name,
      path: new URL(t.url).pathname + new URL(t.url).search,
      rps: Number(rankMedian(l.map((f) => f.rps)).toFixed(1)),
      underLoad: latency(l),
      oneAtATime: sequential > 0 ? latency(s) : null,
      appCpuMsPerRequest: Number(rankMedian(l.map((f) => f.cpuMs)).toFixed(2)),
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
    machine: host,
    database: mesref.dbKind,
    corpus: { ...shape, organisations, seed, loadSeconds: Number(loadSeconds.toFixed(1)), counts },
    method: loadMethod(settings),
    results: withRatio,
    targetP95Ms,
    met,
  };
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(
    `\n| target | req/s (median of ${runs}) | vs baseline | ${connections} conn.: median ms | p95 ms | p95 ÷ baseline's | ` +
      '1 conn.: median ms | p95 ms | CPU ms/req | failures |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of withRatio) {
    console.log(
      `| ${r.name} | ${r.rps.toFixed(0)} | ${pct(r.ratioToBaseline)} | ${msText(r.underLoad.medianMs)} | ${msText(r.underLoad.p95Ms)} | ` +
        `${r.p95RatioToBaseline.toFixed(1)} | ${msText(r.oneAtATime?.medianMs)} | ${msText(r.oneAtATime?.p95Ms)} | ` +
        `${r.appCpuMsPerRequest.toFixed(2)} | ${r.failures} |`,
    );
  }
  for (const m of met)
    console.log(
      `${m.name}: p95 under ${targetP95Ms} ms one request at a time ${verdict(m.oneAtATime)}, under ${connections} connections ${verdict(m.underLoad)}` +
        (mesref.dbKind === 'postgres' ? '' : ' (the target is set for PostgreSQL)'),
    );
  warnIfBusy();
});
