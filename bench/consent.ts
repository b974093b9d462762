/**
 * The consent decision with many consents loaded: (a) the pure `decide` over an in-memory index of the
 * consents, (b) `accessDecision` through the database (one statement per call: the pairing, its consents, the
 * service's catalogue status and version), against a baseline of one bare SELECT of a pairing by its primary
 * key on the same database, in the same run.
 *
 *   npx tsx bench/consent.ts [--consents 100000] [--services 200] [--decisions 2000000] [--duration 5]
 *     [--connections 10] [--runs 5] [--json]
 *
 * Database: PGlite in a temporary folder (as `mesref serve` runs by default), or, when DATABASE_URL is set, a
 * fresh database created on that PostgreSQL server for the run and dropped at the end. The schema comes from
 * mesref's migrations (`buildApp`, logger off, no worker).
 *
 * Corpus, written in the database by a few `insert … select from generate_series` statements (deterministic:
 * every choice is a hash of the row number, so every run and both databases get the same corpus):
 * `--services` published services with data exchange (one in twenty SUSPENDUE, their convention two
 * finalités × four data categories read and write, published version 2.0), `--consents` ÷ 4 pairings of
 * `--consents` ÷ 5 citizens (a citizen pairs one or two services), four consents each (two finalités, one
 * category, read and write); one pairing in twenty unpaired, one in twenty acknowledged for the older version
 * 1.0, one consent in ten withdrawn, and one citizen in fifty come of age with consents a guardian gave.
 * VACUUM ANALYZE runs after the load.
 *
 * (a) Every consent is read back into a map idPe → (pairing facts, consents) and a map OID → service facts;
 * random requests (a known idPe nine times in ten, its own service or another one, a random category among the
 * four, read or write, a finalité named half the time) are drawn beforehand; the timed loop looks both maps up
 * and calls `decide`, `--decisions` times per run. (b) For one connection, then `--connections` at once, each
 * for `--duration` seconds: `accessDecision` with random requests, then the baseline; calls per second and
 * latencies (median, p95) of every call. Every figure is the median over `--runs` runs; the ratio is the
 * median of each run's accessDecision ÷ baseline calls per second.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import {
  type ConsentGrant,
  decide,
  majorityDate,
  type PairingFacts,
  type ServiceFacts,
} from '../src/consent/model.ts';
import { accessDecision } from '../src/consent/service.ts';
import { randomToken } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/index.ts';
import { machine, positiveIntegers, quantile, random, rankMedian } from './lib.ts';
import { runBench, startMesref } from './lib-app.ts';

const { values } = parseArgs({
  options: {
    consents: { type: 'string', default: '100000' },
    services: { type: 'string', default: '200' },
    decisions: { type: 'string', default: '2000000' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    runs: { type: 'string', default: '5' },
    json: { type: 'boolean', default: false },
  },
});
const consentCount = Number(values.consents);
const serviceCount = Number(values.services);
const decisions = Number(values.decisions);
const duration = Number(values.duration);
const connections = Number(values.connections);
const runs = Number(values.runs);
positiveIntegers({ consents: consentCount, services: serviceCount, decisions, duration, connections, runs });
const pairingCount = Math.ceil(consentCount / 4);
const citizenCount = Math.max(1, Math.ceil(consentCount / 5));
const CATEGORIES = ['poids', 'tension', 'sommeil', 'activite'];
const FINALITES = ['prevention', 'soins'];

// ── the corpus ──────────────────────────────────────────────────────────────

/** `h(tag, n) % m`: a deterministic choice per row. */
const pick = (tag: string, column: string, m: number) =>
  sql.raw(`(abs(hashtext('${tag}' || ${column})) % ${m})`);

async function load(db: Db): Promise<void> {
  const convention = JSON.stringify({
    finalites: FINALITES,
    categories: CATEGORIES.map((code) => ({ code, read: true, write: true })),
  });
  await sql`
    insert into organisations (id, legal_name, siren, address, legal_representative)
    values (md5('org')::uuid, 'Éditeur du banc', '000000001', '1 rue de la Santé, 75013 Paris', 'Camille Martin')`.execute(
    db,
  );
  await sql`
    insert into products (id, organisation_id, commercial_name, os, device, version, description, economic_model,
                          data_exchange)
    select md5('prod' || s)::uuid, md5('org')::uuid, 'Service ' || s, 'web', 'site-web', '2.0', 'Banc', 'gratuit', true
    from generate_series(1, ${serviceCount}) s`.execute(db);
  await sql`
    insert into dossiers (id, kind, organisation_id, product_id, product_version, typology, referential_version, state,
                          catalogue_status, convention, oid, published_at)
    select md5('dos' || s)::uuid, 'initial', md5('org')::uuid, md5('prod' || s)::uuid, '2.0', 'avec-echange', 'bench',
           'published', case when ${pick('susp', 's', 20)} = 0 then 'SUSPENDUE' else 'EN_LIGNE' end,
           ${convention}::jsonb, '1.2.250.1.213.9.' || s, now()
    from generate_series(1, ${serviceCount}) s`.execute(db);
  await sql`
    insert into citizens (id, issuer, subject, given_name, family_name, birthdate)
    select md5('cit' || n)::uuid, 'bench', 'c' || n, 'Prénom', 'Nom ' || n,
           case when ${pick('adult', 'n', 50)} = 0 then date '2005-01-01' else date '1980-01-01' end
    from generate_series(1, ${citizenCount}) n`.execute(db);
  // Pairing i: citizen i mod C; its service shifts with each round over the citizens, so no citizen pairs one
  // service twice.
  await sql`
    insert into pairings (id, citizen_id, service_oid, product_id, dossier_id, id_pe, status, acknowledged_version,
                          scopes, paired_by, paired_at, unpaired_at)
    select md5('pair' || i)::uuid, md5('cit' || (i % ${citizenCount} + 1))::uuid,
           '1.2.250.1.213.9.' || ((i * 37 + i / ${citizenCount}) % ${serviceCount} + 1),
           md5('prod' || ((i * 37 + i / ${citizenCount}) % ${serviceCount} + 1))::uuid,
           md5('dos' || ((i * 37 + i / ${citizenCount}) % ${serviceCount} + 1))::uuid,
           md5('idpe' || i),
           case when ${pick('unp', 'i', 20)} = 0 then 'unpaired' else 'active' end,
           case when ${pick('ver', 'i', 20)} = 0 then '1.0' else '2.0' end,
           '[]'::jsonb, md5('cit' || (i % ${citizenCount} + 1))::uuid, now() - interval '30 days',
           case when ${pick('unp', 'i', 20)} = 0 then now() - interval '1 day' end
    from generate_series(0, ${pairingCount - 1}) i`.execute(db);
  await sql`
    insert into consents (pairing_id, finalite, category, action, status, granted_at, withdrawn_at, granted_by,
                          information_text_sha256)
    select p.id, f.finalite, ${sql.raw(`(array['${CATEGORIES.join("','")}'])`)}[${pick('cat', 'p.id_pe', 4)} + 1],
           a.action,
           case when p.status = 'unpaired' or ${pick('wd', 'p.id_pe || f.finalite || a.action', 10)} = 0
                then 'withdrawn' else 'active' end,
           now() - interval '30 days',
           case when p.status = 'unpaired' or ${pick('wd', 'p.id_pe || f.finalite || a.action', 10)} = 0
                then now() - interval '2 days' end,
           case when c.birthdate = date '2005-01-01' then md5('guardian')::uuid else p.citizen_id end,
           repeat('0', 64)
    from pairings p
    join citizens c on c.id = p.citizen_id
    cross join (values ('prevention'), ('soins')) f (finalite)
    cross join (values ('read'), ('write')) a (action)`.execute(db);
  await sql`vacuum analyze`.execute(db);
}

// ── (a) the pure decision over an in-memory index ──────────────────────────

interface Entry {
  pairing: PairingFacts;
  serviceOid: string;
  consents: ConsentGrant[];
}

async function memoryIndex(db: Db) {
  const services = new Map<string, ServiceFacts>();
  for (const s of await db
    .selectFrom('dossiers')
    .select(['oid', 'catalogue_status', 'product_version'])
    .where('oid', 'is not', null)
    .execute()) {
    services.set(s.oid as string, {
      oid: s.oid as string,
      catalogueStatus: s.catalogue_status,
      version: s.product_version,
    });
  }
  const rows = await sql<{
    id_pe: string;
    service_oid: string;
    citizen_id: string;
    status: 'active' | 'unpaired';
    acknowledged_version: string;
    birthdate: string | null;
    finalite: string;
    category: string;
    action: 'read' | 'write';
    consent_status: 'active' | 'withdrawn';
    granted_at: Date;
    withdrawn_at: Date | null;
    granted_by: string;
  }>`
    select p.id_pe, p.service_oid, p.citizen_id, p.status, p.acknowledged_version,
           to_char(c.birthdate, 'YYYY-MM-DD') as birthdate, k.finalite, k.category, k.action,
           k.status as consent_status, k.granted_at, k.withdrawn_at, k.granted_by
    from consents k join pairings p on p.id = k.pairing_id join citizens c on c.id = p.citizen_id`.execute(
    db,
  );
  const index = new Map<string, Entry>();
  for (const r of rows.rows) {
    let entry = index.get(r.id_pe);
    if (!entry) {
      entry = {
        serviceOid: r.service_oid,
        pairing: {
          citizenId: r.citizen_id,
          status: r.status,
          acknowledgedVersion: r.acknowledged_version,
          majorityDate: majorityDate(r.birthdate),
        },
        consents: [],
      };
      index.set(r.id_pe, entry);
    }
    entry.consents.push({
      finalite: r.finalite,
      category: r.category,
      action: r.action,
      status: r.consent_status,
      grantedAt: new Date(r.granted_at),
      withdrawnAt: r.withdrawn_at ? new Date(r.withdrawn_at) : null,
      grantedBy: r.granted_by,
    });
  }
  return { services, index, consents: rows.rows.length };
}

interface Question {
  idPe: string;
  serviceOid: string;
  category: string;
  action: 'read' | 'write';
  finalite?: string;
}

function questions(index: Map<string, Entry>, oids: string[], count: number, seed: number): Question[] {
  const rand = random(seed);
  const idPes = [...index.keys()];
  const list: Question[] = [];
  for (let i = 0; i < count; i++) {
    const known = rand() < 0.9;
    const idPe = known ? idPes[Math.floor(rand() * idPes.length)] : randomToken(16);
    const own = known && rand() < 0.9 ? (index.get(idPe) as Entry).serviceOid : undefined;
    const q: Question = {
      idPe,
      serviceOid: own ?? oids[Math.floor(rand() * oids.length)],
      category: CATEGORIES[Math.floor(rand() * CATEGORIES.length)],
      action: rand() < 0.5 ? 'read' : 'write',
    };
    if (rand() < 0.5) q.finalite = FINALITES[Math.floor(rand() * FINALITES.length)];
    list.push(q);
  }
  return list;
}

function pureRun(services: Map<string, ServiceFacts>, index: Map<string, Entry>, qs: Question[]) {
  const missing: ServiceFacts = { oid: '', catalogueStatus: null, version: '' };
  const now = new Date();
  let permits = 0;
  const start = performance.now();
  for (let i = 0; i < decisions; i++) {
    const q = qs[i % qs.length];
    const entry = index.get(q.idPe);
    const paired = entry && entry.serviceOid === q.serviceOid ? entry : undefined;
    const d = decide(services.get(q.serviceOid) ?? missing, paired?.pairing, paired?.consents ?? [], q, now);
    if (d.permit) permits++;
  }
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: decisions / seconds, permits: permits / decisions };
}

// ── (b) through the database ────────────────────────────────────────────────

interface Load {
  perSecond: number;
  latencies: number[];
}

async function fire(conns: number, seconds: number, call: (k: number) => Promise<unknown>): Promise<Load> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let k = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: conns }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        await call(k++);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { perSecond: latencies.length / ((performance.now() - start) / 1000), latencies };
}

await runBench(async (defer) => {
  const mesref = await startMesref(defer);
  const db = mesref.db;
  const loadStart = performance.now();
  await load(db);
  const loadSeconds = (performance.now() - loadStart) / 1000;

  const { services, index, consents } = await memoryIndex(db);
  const oids = [...services.keys()];
  const qs = questions(index, oids, 100_000, 20260318);
  const pure: Array<{ perSecond: number; permits: number }> = [];
  pureRun(services, index, qs); // warm-up: the JIT compiles the loop
  for (let r = 0; r < runs; r++) pure.push(pureRun(services, index, qs));

  const pairingIds = (await db.selectFrom('pairings').select('id').execute()).map((r) => r.id);
  const now = new Date();
  const access = (k: number) => accessDecision(db, qs[k % qs.length], now);
  const bare = (k: number) =>
    db
      .selectFrom('pairings')
      .select(['id', 'status'])
      .where('id', '=', pairingIds[(k * 7919) % pairingIds.length])
      .executeTakeFirst();
  // The answers are right before anything is timed: the database's decision is the in-memory one.
  for (const q of qs.slice(0, 200)) {
    const entry = index.get(q.idPe);
    const paired = entry && entry.serviceOid === q.serviceOid ? entry : undefined;
    const expected = decide(
      services.get(q.serviceOid) ?? { oid: '', catalogueStatus: null, version: '' },
      paired?.pairing,
      paired?.consents ?? [],
      q,
      now,
    );
    const got = (await accessDecision(db, q, now)).decision;
    if (JSON.stringify(got) !== JSON.stringify(expected))
      throw new Error(`accessDecision ${JSON.stringify(got)} ≠ decide ${JSON.stringify(expected)}`);
  }
  await fire(connections, 1, access);
  await fire(connections, 1, bare);
  const levels = [...new Set([1, connections])];
  const db2: Record<number, { access: Load[]; bare: Load[] }> = {};
  for (const c of levels) db2[c] = { access: [], bare: [] };
  for (let r = 0; r < runs; r++) {
    for (const c of levels) {
      db2[c].access.push(await fire(c, duration, access));
      db2[c].bare.push(await fire(c, duration, bare));
    }
  }
  const summary = (loads: Load[]) => {
    const all = loads.flatMap((l) => l.latencies).sort((a, b) => a - b);
    return {
      perSecond: Math.round(rankMedian(loads.map((l) => l.perSecond))),
      medianMs: Number(quantile(all, 0.5).toFixed(3)),
      p95Ms: Number(quantile(all, 0.95).toFixed(3)),
    };
  };
  const host = machine();
  const result = {
    database: mesref.dbKind === 'postgres' ? 'PostgreSQL' : 'PGlite',
    machine: `${host.cores} × ${host.cpu}, Node ${host.node}`,
    corpus: {
      services: serviceCount,
      citizens: citizenCount,
      pairings: pairingCount,
      consents,
      loadSeconds,
    },
    pure: {
      decisionsPerSecond: Math.round(rankMedian(pure.map((p) => p.perSecond))),
      runs: pure.map((p) => Math.round(p.perSecond)),
      permitShare: Number(pure[0].permits.toFixed(3)),
    },
    database_: Object.fromEntries(
      levels.map((c) => {
        const a = summary(db2[c].access);
        const b = summary(db2[c].bare);
        const ratios = db2[c].access.map((l, k) => l.perSecond / db2[c].bare[k].perSecond);
        return [
          `${c} at once`,
          { accessDecision: a, baseline: b, ratio: Number(rankMedian(ratios).toFixed(3)) },
        ];
      }),
    ),
  };
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    console.log(`consent bench — ${result.database} — ${result.machine}`);
    console.log(
      `corpus: ${serviceCount} services, ${citizenCount} citizens, ${pairingCount} pairings, ${consents} consents (loaded in ${loadSeconds.toFixed(1)} s)`,
    );
    console.log(
      `(a) pure decide over the in-memory index: ${result.pure.decisionsPerSecond.toLocaleString('en')} decisions/s (median of ${runs} runs of ${decisions.toLocaleString('en')}; permits ${(result.pure.permitShare * 100).toFixed(1)} %)`,
    );
    for (const [level, r] of Object.entries(result.database_)) {
      console.log(
        `(b) ${level}: accessDecision ${r.accessDecision.perSecond}/s (median ${r.accessDecision.medianMs} ms, p95 ${r.accessDecision.p95Ms} ms); baseline SELECT by primary key ${r.baseline.perSecond}/s (median ${r.baseline.medianMs} ms, p95 ${r.baseline.p95Ms} ms); ratio ${r.ratio}`,
      );
    }
  }
});
