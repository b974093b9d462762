/**
 * Cost of applicability + readiness (`evaluateAssessment`) per assessment, against a baseline measured in the
 * same run on the same assessments.
 *
 *   npx tsx bench/assessment.ts [--count 10000] [--rounds 5] [--seed 20231031] [--referential <id>] [--json]
 *
 * Corpus: `--count` assessments over one referential version (the newest by default), made by a seeded
 * generator, the same on every run: each orientation question answered nine times in ten with one of its
 * values; each criterion answered four times in five, with a status, a justification or not, zero to two
 * pieces of evidence and a target date now and then. One assessment in five is a diligent publisher's (every
 * question answered, nearly every criterion conforme with evidence), so that some are ready. Every assessment
 * has its own applicable criteria, states and gaps.
 *
 * Baseline: the bare cost of what any evaluation has to do, iterating the version's criteria and reading each
 * answer (its status and evidence count). The ratio evaluateAssessment ÷ baseline shows what the rules cost
 * on top of that.
 *
 * Method: a warm-up of both, then `--rounds` rounds; in each, the baseline and evaluateAssessment go over the
 * whole corpus one after the other (the first alternating between rounds), each call timed. Reported: the
 * median and 95th percentile time per assessment over every call, and the ratio of the medians. Target: under
 * 1 ms per assessment. Timings belong here, never in tests.
 */

import { parseArgs } from 'node:util';
import {
  ANSWER_STATUSES,
  type AssessmentInput,
  type CriterionAnswer,
  evaluateAssessment,
} from '../src/assessment/model.ts';
import { loadReferentials } from '../src/referential/files.ts';
import type { OrientationAnswers, ReferentialVersion } from '../src/referential/model.ts';
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
    count: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '5' },
    seed: { type: 'string', default: '20231031' },
    'warmup-ms': { type: 'string', default: '1000' },
    referential: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const count = Number(values.count);
const rounds = Number(values.rounds);
const seed = Number(values.seed);
const warmupMs = Number(values['warmup-ms']);
positiveIntegers({ count, rounds });
checkSeed(seed);
checkWarmupMs(warmupMs);

// ── corpus ──────────────────────────────────────────────────────────────────────────────────────────────

function generate(version: ReferentialVersion, next: () => number): AssessmentInput {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  // One in five is a diligent publisher's: every question answered, nearly every criterion conforme.
  const diligent = next() < 0.2;
  const orientation: OrientationAnswers = {};
  for (const question of version.questionnaire) {
    if (!diligent && next() >= 0.9) continue;
    const options = (question.options ?? []).map((o) => o.value);
    if (question.type === 'boolean') orientation[question.id] = next() < 0.5;
    else if (question.type === 'choice') orientation[question.id] = pick(options);
    else orientation[question.id] = options.filter(() => next() < 0.5);
  }
  const answers: AssessmentInput['answers'] = {};
  for (const criterion of version.criteria) {
    if (!diligent && next() >= 0.8) continue;
    const status = diligent && next() < 0.995 ? 'conforme' : pick(ANSWER_STATUSES);
    const answer: CriterionAnswer = { status, evidence: [] };
    if (next() < 0.6) answer.justification = 'Justification de l’éditeur.';
    const pieces = diligent ? 1 + Math.floor(next() * 2) : Math.floor(next() * 3);
    for (let i = 0; i < pieces; i++) {
      answer.evidence.push(
        pick([
          { kind: 'url', url: 'https://exemple.fr/preuve' },
          { kind: 'text', text: 'Déclaration de l’éditeur.' },
          { kind: 'file', name: 'preuve.pdf' },
        ] as const),
      );
    }
    if (next() < 0.3) answer.targetDate = '2025-06-30';
    answers[criterion.id] = answer;
  }
  return { orientation, answers };
}

// ── the two contenders ──────────────────────────────────────────────────────────────────────────────────

interface Contender {
  name: string;
  what: string;
  /** Returns a number that depends on the work, so that none of it can be skipped. */
  run: (input: AssessmentInput) => number;
}

function contenders(version: ReferentialVersion): Contender[] {
  const baseline: Contender = {
    name: 'baseline',
    what: 'iterate the criteria and read each answer (status, evidence count)',
    run: (input) => {
      let seen = 0;
      for (const criterion of version.criteria) {
        const answer = input.answers[criterion.id];
        if (answer?.status === 'conforme') seen += answer.evidence.length + 1;
      }
      return seen;
    },
  };
  const evaluate: Contender = {
    name: 'evaluateAssessment',
    what: 'applicability (with the reason of each criterion), states, progress per rubrique, readiness',
    run: (input) => {
      const evaluation = evaluateAssessment(version, input);
      return evaluation.counts.ready + (evaluation.ready ? 1 : 0);
    },
  };
  return [baseline, evaluate];
}

// ── measurement ─────────────────────────────────────────────────────────────────────────────────────────

function pass(contender: Contender, corpus: AssessmentInput[], out?: number[]): number {
  let sink = 0;
  for (const input of corpus) {
    if (out) {
      const before = process.hrtime.bigint();
      sink += contender.run(input);
      out.push(Number(process.hrtime.bigint() - before) / 1000);
    } else {
      sink += contender.run(input);
    }
  }
  return sink;
}

function main(): void {
  const referentials = loadReferentials();
  const version = values.referential ? referentials.get(values.referential) : referentials.newest();
  if (!version) throw new Error(`unknown referential version ${values.referential}`);
  const next = random(seed);
  const corpus = Array.from({ length: count }, () => generate(version, next));
  const [baseline, evaluate] = contenders(version);

  // What the corpus holds, outside the timings.
  const evaluations = corpus.map((input) => evaluateAssessment(version, input));
  const mean = (f: (e: (typeof evaluations)[number]) => number) =>
    evaluations.reduce((sum, e) => sum + f(e), 0) / evaluations.length;
  const shape = {
    assessments: count,
    criteria: version.criteria.length,
    questions: version.questionnaire.length,
    meanApplicable: mean((e) => e.counts.applicable),
    meanBlocking: mean((e) => e.counts.blocking),
    ready: evaluations.filter((e) => e.ready).length,
    orientationComplete: evaluations.filter((e) => e.missingQuestions.length === 0).length,
    seed,
  };

  let sink = 0;
  const warmupStart = performance.now();
  do {
    sink += pass(baseline, corpus) + pass(evaluate, corpus);
  } while (performance.now() - warmupStart < warmupMs);

  const samples = new Map<string, number[]>([
    [baseline.name, []],
    [evaluate.name, []],
  ]);
  const roundMedians = new Map<string, number[]>([
    [baseline.name, []],
    [evaluate.name, []],
  ]);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [baseline, evaluate] : [evaluate, baseline];
    for (const contender of order) {
      const times: number[] = [];
      sink += pass(contender, corpus, times);
      samples.get(contender.name)?.push(...times);
      roundMedians.get(contender.name)?.push(median(times));
    }
  }

  const summary = [baseline, evaluate].map((contender) => {
    const all = (samples.get(contender.name) ?? []).sort((a, b) => a - b);
    return {
      name: contender.name,
      what: contender.what,
      medianMicroseconds: quantile(all, 0.5),
      p95Microseconds: quantile(all, 0.95),
      maxMicroseconds: all.at(-1) ?? Number.NaN,
      roundMediansMicroseconds: (roundMedians.get(contender.name) ?? []).map((x) => Number(x.toFixed(2))),
    };
  });
  const [base, ours] = summary;
  const targetMicroseconds = 1000;
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    referential: { id: version.id, status: version.status },
    corpus: shape,
    method: { rounds, warmupMs, callsTimedPerContender: rounds * count },
    results: summary,
    ratioOfMedians: ours.medianMicroseconds / base.medianMicroseconds,
    targetMicroseconds,
    met: ours.medianMicroseconds < targetMicroseconds && ours.p95Microseconds < targetMicroseconds,
    // Printed so that the work cannot be optimised away.
    checksum: sink,
  };

  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.log(`# Assessment benchmark — ${report.date}`);
  console.log(machineLine(report.machine));
  console.log(
    `referential ${version.id} (${version.status}): ${shape.criteria} criteria, ${shape.questions} orientation questions`,
  );
  console.log(
    `corpus: ${count} generated assessments (seed ${seed}): ${shape.meanApplicable.toFixed(1)} applicable and ` +
      `${shape.meanBlocking.toFixed(1)} blocking criteria on average, ${shape.orientationComplete} with a complete ` +
      `orientation, ${shape.ready} ready`,
  );
  console.log(
    `method: warm-up ${warmupMs} ms, ${rounds} rounds over the corpus per contender, order alternating\n`,
  );
  for (const s of summary) console.log(`${s.name}: ${s.what}`);
  console.log('\n| contender | µs per assessment: median | p95 | max | medians per round (µs) |');
  console.log('|---|---:|---:|---:|---|');
  for (const s of summary) {
    console.log(
      `| ${s.name} | ${s.medianMicroseconds.toFixed(2)} | ${s.p95Microseconds.toFixed(2)} | ` +
        `${s.maxMicroseconds.toFixed(0)} | ${s.roundMediansMicroseconds.join(' ')} |`,
    );
  }
  console.log(
    `\nevaluateAssessment ÷ baseline (medians): ${report.ratioOfMedians.toFixed(1)}×; ` +
      `target under ${targetMicroseconds} µs per assessment (median and p95): ${report.met ? 'met' : 'NOT met'}`,
  );
  warnIfBusy();
}

main();
