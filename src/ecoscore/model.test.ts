// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type EcoscoreMethod, loadMethod } from './method.ts';
import {
  computeEcoscore,
  improvements,
  medianOf,
  medianStep,
  type StepMetrics,
  StepMetricsError,
  subScore,
  teleconsultationScore,
} from './model.ts';

/**
 * A method with round figures, so that each expected value can be worked out by hand:
 * - CPU 3.6 W: 1000 ms of CPU = 1 mWh; screen 1.8 W: 1000 ms on screen = 0.5 mWh;
 * - network 1 Wh per MB (10^6 bytes); electricity 100 gCO2e and 1 L per Wh;
 * - a device living 1 year at 1/365 h a day (1 active hour) and made with 3.6 kgCO2e and 3.6 L:
 *   1 gCO2e and 0.001 L per second of screen time;
 * - thresholds per step: energy 1–3 mWh, performance 1000–3000 ms, data 100–300 KB.
 */
function roundMethod(): EcoscoreMethod {
  const method = structuredClone(loadMethod());
  const coefficient = (value: number, unit: string) => ({
    value,
    unit,
    basis: 'assumption' as const,
    source: 'test',
  });
  method.networkEnergy = coefficient(1, 'Wh/MB');
  method.electricity = { ghg: coefficient(100, 'gCO2e/Wh'), water: coefficient(1, 'L/Wh') };
  const profile = method.devices.smartphone;
  profile.power = { cpuActive: coefficient(3.6, 'W'), screen: coefficient(1.8, 'W') };
  profile.lifetimeYears = 1;
  profile.usageHoursPerDay = coefficient(1 / 365, 'h/day');
  profile.manufacturing = { ghg: coefficient(3.6, 'kgCO2e'), water: coefficient(3.6, 'L') };
  profile.thresholds = {
    energy: { good: 1, bad: 3, unit: 'mWh' },
    performance: { good: 1000, bad: 3000, unit: 'ms' },
    data: { good: 100, bad: 300, unit: 'KB' },
  };
  return method;
}

const KB = 1024;
const step = (
  label: string,
  kb: number,
  cpuMs: number,
  durationMs: number,
  extra: Partial<StepMetrics> = {},
) => ({
  label,
  bytes: kb * KB,
  requests: 10,
  domElements: 300,
  cpuMs,
  durationMs,
  ...extra,
});
const noIdle = step('repos', 0, 0, 1000);
const close = (actual: number, expected: number, what: string) =>
  assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

describe('écoscore: one step against the thresholds', () => {
  const method = roundMethod();
  // [step, idle, device mWh, sub energy, sub performance, sub data, step score]
  const cases: Array<[string, StepMetrics, StepMetrics, number, number, number, number, number]> = [
    // 0.5 mWh of screen, no CPU: all at or under good.
    ['light', step('a', 100, 0, 1000), noIdle, 0.5, 100, 100, 100, 100],
    // 2 mWh CPU + 1.5 mWh screen = 3.5 ≥ bad; 3000 ms = bad; 300 KB = bad.
    ['heavy', step('b', 300, 2000, 3000), noIdle, 3.5, 0, 0, 0, 0],
    // 1 + 1 = 2 mWh, midway; 2000 ms midway; 200 KB midway.
    ['midway', step('c', 200, 1000, 2000), noIdle, 2, 50, 50, 50, 50],
    // 0.5 + 0.5 = 1 mWh (good); 1000 ms (good); 150 KB: (300 − 150) / 200 = 75.
    ['data only', step('d', 150, 500, 1000), noIdle, 1, 100, 100, 75, 91.7],
    // Idle 100 ms of CPU per 1000 ms: 1000 − 0.1 × 2000 = 800 ms → 0.8 + 1 = 1.8 mWh → (3 − 1.8) / 2 = 60.
    ['idle subtracted', step('e', 200, 1000, 2000), step('repos', 0, 100, 1000), 1.8, 60, 50, 50, 53.3],
    // Idle busier than the step: the CPU share stays at 0, never negative.
    ['idle above', step('f', 100, 100, 1000), step('repos', 0, 900, 1000), 0.5, 100, 100, 100, 100],
    // A 4 s pause is screen time (0.5 + 2 mWh), not a performance cost.
    ['pause', step('g', 100, 0, 1000, { pauseMs: 4000 }), noIdle, 2.5, 25, 100, 100, 75],
  ];
  for (const [name, s, idle, mWh, energy, performance, data, score] of cases) {
    it(name, () => {
      const [result] = computeEcoscore(method, 'smartphone', [s], idle).perStep;
      close(result.deviceEnergyWh * 1000, mWh, 'device mWh');
      assert.deepEqual(result.sub, { energy, performance, data });
      assert.equal(result.score, score);
    });
  }
});

describe('écoscore: a journey', () => {
  const method = roundMethod();
  const steps = [
    step('Accueil', 100, 0, 1000),
    step('Recherche', 300, 2000, 3000),
    step('Résultats', 200, 1000, 2000),
  ];
  const result = computeEcoscore(method, 'smartphone', steps, noIdle);

  it('is the mean of its step scores, with the method, device, thresholds and notice', () => {
    assert.equal(result.score, 50); // (100 + 0 + 50) / 3
    assert.equal(result.methodVersion, 'mesref-ecoscore-v1');
    assert.equal(result.device, 'smartphone');
    assert.deepEqual(result.thresholds, method.devices.smartphone.thresholds);
    assert.match(result.notice.fr, /pas l’écoscore officiel/);
    assert.match(result.notice.en, /not the official écoscore/);
  });

  it('adds the network energy, the electricity impacts and the manufacturing share', () => {
    const [, , third] = result.perStep;
    // 2 mWh on the device + 204 800 bytes × 1 Wh/MB.
    close(third.energyWh, 0.002 + 0.2048, 'energy Wh');
    // 100 g/Wh, plus 1 g per second of screen time (2 s).
    close(third.ghgGco2e, 0.2068 * 100 + 2, 'gCO2e');
    close(third.waterL, 0.2068 + 0.002, 'water L');
    close(result.totals.manufacturing.ghgGco2e, 6, 'manufacturing g'); // 1 + 3 + 2 s
    close(result.totals.manufacturing.waterL, 0.006, 'manufacturing L');
    const energyWh = 0.0005 + 0.1024 + (0.0035 + 0.3072) + 0.2068;
    close(result.totals.energyWh, energyWh, 'total Wh');
    close(result.totals.ghgGco2e, energyWh * 100 + 6, 'total g');
    close(result.totals.manufacturingShare, 6 / (energyWh * 100 + 6), 'share');
    assert.equal(result.totals.bytes, 600 * KB);
    assert.equal(result.totals.requests, 30);
    assert.equal(result.totals.screenMs, 6000);
  });

  it('gives each page its EcoIndex', () => {
    // 300 DOM: q 5 + 2/60 = 5.033; 10 requests: q 1 + 8/13 = 1.615; T = 15.1 + 3.231 + q_size.
    // 100 KB: q 1.688 → raw 100 − 5 × 20.019 / 6 = 83.32; 300 KB: q 2.888 → 82.32; 200 KB: q 2.316 → 82.79.
    assert.deepEqual(
      result.perStep.map((s) => [s.ecoindex.score, s.ecoindex.grade]),
      [
        [83, 'A'],
        [82, 'A'],
        [83, 'A'],
      ],
    );
  });

  it('rounds the journey half to even', () => {
    // Step scores 100 and 75 (a 4 s pause: energy 25): 87.5 → 88.
    const light = step('a', 100, 0, 1000);
    const paused = step('b', 100, 0, 1000, { pauseMs: 4000 });
    assert.equal(computeEcoscore(method, 'smartphone', [light, paused], noIdle).score, 88);
    // Step scores 100 and 25 (energy 2 + 1.5 mWh: 0, 3000 ms: 0, 150 KB: 75): 62.5 → 62, not 63.
    const heavy = step('c', 150, 2000, 3000);
    assert.equal(computeEcoscore(method, 'smartphone', [light, heavy], noIdle).score, 62);
  });

  it('refuses no steps and impossible figures', () => {
    assert.throws(() => computeEcoscore(method, 'smartphone', [], noIdle), StepMetricsError);
    assert.throws(
      () => computeEcoscore(method, 'smartphone', [step('a', 1, Number.NaN, 1)], noIdle),
      StepMetricsError,
    );
    assert.throws(
      () => computeEcoscore(method, 'smartphone', [step('a', -1, 1, 1)], noIdle),
      StepMetricsError,
    );
  });

  it('uses each device’s own profile', () => {
    const shipped = loadMethod();
    const s = [step('a', 1000, 1500, 2500)];
    const phone = computeEcoscore(shipped, 'smartphone', s, noIdle);
    const desktop = computeEcoscore(shipped, 'desktop', s, noIdle);
    assert.deepEqual(desktop.thresholds, shipped.devices.desktop.thresholds);
    assert.notEqual(phone.perStep[0].deviceEnergyWh, desktop.perStep[0].deviceEnergyWh);
  });
});

describe('écoscore: sub-score property', () => {
  it('stays within 0–100 and never rises with the measure', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e3, noNaN: true }),
        fc.double({ min: 0.001, max: 1e3, noNaN: true }),
        (value, more, good, span) => {
          const threshold = { good, bad: good + span };
          const a = subScore(value, threshold);
          assert.ok(a >= 0 && a <= 100);
          assert.ok(subScore(value + more, threshold) <= a);
        },
      ),
    );
  });
});

describe('medians over runs', () => {
  it('takes the median of each figure per step (odd and even counts)', () => {
    const runs = [
      [step('a', 10, 100, 1000), step('b', 50, 500, 900)],
      [step('a', 30, 300, 1200), step('b', 70, 100, 950)],
      [step('a', 20, 900, 1100), step('b', 60, 300, 2000)],
    ];
    const medians = medianOf(runs);
    assert.deepEqual(
      medians.map((m) => [m.label, m.bytes / KB, m.cpuMs, m.durationMs]),
      [
        ['a', 20, 300, 1100],
        ['b', 60, 300, 950],
      ],
    );
    const even = medianStep([step('a', 10, 100, 1000), step('a', 30, 200, 2000)]);
    assert.deepEqual([even.bytes / KB, even.cpuMs, even.durationMs], [20, 150, 1500]);
    assert.deepEqual(medianOf([step('a', 10, 1, 1), step('a', 30, 3, 3), step('a', 20, 2, 2)]).cpuMs, 2);
  });

  it('keeps the resources of the run nearest the median bytes', () => {
    const resources = (url: string) => [{ url, bytes: 1, type: 'script' }];
    const median = medianStep([
      step('a', 10, 1, 1, { resources: resources('/r1') }),
      step('a', 21, 1, 1, { resources: resources('/r2') }),
      step('a', 40, 1, 1, { resources: resources('/r3') }),
    ]);
    assert.equal(median.resources?.[0].url, '/r2');
  });

  it('refuses runs of different steps', () => {
    assert.throws(() => medianOf([[step('a', 1, 1, 1)], [step('b', 1, 1, 1)]]), StepMetricsError);
    assert.throws(() => medianOf([[step('a', 1, 1, 1)], []]), StepMetricsError);
    assert.throws(() => medianOf([]), StepMetricsError);
  });
});

describe('téléconsultation', () => {
  const cases: Array<[number, number, number]> = [
    [72, 81, 76.5],
    [50, 50, 50],
    [0, 100, 50],
  ];
  for (const [patient, professional, mean] of cases) {
    it(`${patient} and ${professional} → ${mean}`, () => {
      assert.equal(teleconsultationScore({ score: patient }, { score: professional }), mean);
    });
  }
});

describe('what to improve first', () => {
  const method = roundMethod();
  const result = computeEcoscore(
    method,
    'smartphone',
    [
      step('Accueil', 100, 0, 1000, {
        resources: [{ url: '/index.html', bytes: 100 * KB, type: 'document' }],
      }),
      step('Recherche', 300, 2000, 3000, {
        resources: [
          { url: '/app.js', bytes: 250 * KB, type: 'script' },
          { url: '/api', bytes: 50 * KB, type: 'xhr' },
        ],
      }),
      step('Résultats', 200, 1000, 1000),
    ],
    noIdle,
  );

  it('lists the steps that cost the most points first, with their weakest measure', () => {
    const { steps } = improvements(result);
    // Recherche: 0 → 33.3 points lost; Résultats: energy (3 − 1.5) / 2 = 75, perf 100, data 50 → 75 → 8.3.
    assert.deepEqual(
      steps.map((s) => [s.label, s.pointsLost, s.weakest]),
      [
        ['Recherche', 33.3, 'energy'],
        ['Résultats', 8.3, 'data'],
      ],
    );
  });

  it('lists the heaviest resources first, with their share of the journey’s bytes', () => {
    const { resources } = improvements(result, { resources: 2 });
    assert.deepEqual(
      resources.map((r) => [r.url, r.step, r.share]),
      [
        ['/app.js', 'Recherche', 250 / 600],
        ['/index.html', 'Accueil', 100 / 600],
      ],
    );
  });
});
