// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ECOINDEX_ALGORITHM,
  ECOINDEX_GRADE_RULE,
  ECOINDEX_GRADES,
  EcoindexInputError,
  ecoindex,
  ecoindexGrade,
  gradeColour,
  QUANTILES,
  quantile,
  roundHalfEven,
} from './ecoindex.ts';

/**
 * Score = round(100 − 5 × T / 6) with T = 3·q_dom + 2·q_req + q_size. A measure equal to a bound q[k] has
 * quantile exactly k, so the vectors below pick bounds to land on the raw score wanted:
 * T = 6 × (100 − s) / 5 gives s exactly; T one less gives s + 0.83 (rounds to s + 1), one more s − 0.83.
 */

describe('EcoIndex: the worked examples (domain §2.5)', () => {
  const examples = [
    // dom, requests, sizeKb → score, grade (strict), gCO2e, water cl
    { dom: 0, requests: 0, sizeKb: 0, score: 100, grade: 'A', ghg: 1, water: 1.5 },
    { dom: 240, requests: 20, sizeKb: 500, score: 82, grade: 'A', ghg: 1.36, water: 2.04 },
    { dom: 600, requests: 40, sizeKb: 1024, score: 61, grade: 'C', ghg: 1.78, water: 2.67 },
    { dom: 693, requests: 78, sizeKb: 2420, score: 44, grade: 'D', ghg: 2.12, water: 3.18 },
    // 10 is not above F's threshold: G under the strict rule (F with `>=`).
    { dom: 2000, requests: 200, sizeKb: 5000, score: 10, grade: 'G', ghg: 2.8, water: 4.2 },
    { dom: 600000, requests: 4000, sizeKb: 300000, score: 0, grade: 'G', ghg: 3, water: 4.5 },
  ] as const;
  for (const e of examples) {
    it(`DOM ${e.dom}, ${e.requests} requests, ${e.sizeKb} KB → ${e.score} ${e.grade}`, () => {
      assert.deepEqual(ecoindex({ dom: e.dom, requests: e.requests, sizeKb: e.sizeKb }), {
        score: e.score,
        grade: e.grade,
        ghgGco2e: e.ghg,
        waterCl: e.water,
        algorithm: 'ecoindex-cnumr-2022',
        gradeRule: 'strict',
      });
    });
  }

  it('gives the quantiles of the worked examples', () => {
    const close = (actual: number, expected: number) =>
      assert.ok(Math.abs(actual - expected) < 5e-5, `${actual}`);
    // 240 DOM: between 233 (q4) and 298 (q5): 4 + 7/65.
    close(quantile(QUANTILES.dom, 240), 4.1077);
    close(quantile(QUANTILES.requests, 20), 2.5);
    close(quantile(QUANTILES.sizeKb, 500), 4.1347);
    close(quantile(QUANTILES.dom, 2000), 18.2935);
    close(quantile(QUANTILES.requests, 200), 17.8571);
    close(quantile(QUANTILES.sizeKb, 5000), 17.6785);
  });

  it('interpolates from the bound below, (i − 1) + …: a bound gives its own index', () => {
    for (const [name, bounds] of Object.entries(QUANTILES)) {
      assert.equal(bounds.length, 21, name);
      for (const [k, bound] of bounds.entries()) assert.equal(quantile(bounds, bound), k, `${name} q[${k}]`);
    }
    assert.equal(quantile(QUANTILES.dom, 10_000_000), 20);
  });
});

describe('EcoIndex: at and around each grade boundary (strict rule)', () => {
  // [dom, requests, sizeKb, T, raw score, score, grade]
  const vectors: Array<[number, number, number, number, string, number, string]> = [
    // A / B at 80: T = 24 → 80 exactly.
    [417, 2, 0, 23, '80.83', 81, 'A'], // q_dom 7 → 21, q_req 1 → 2
    [476, 0, 0, 24, '80', 80, 'B'], // q_dom 8 → 24
    [476, 0, 1.37, 25, '79.17', 79, 'B'], // + q_size 1
    // B / C at 70: T = 36.
    [674, 2, 0, 35, '70.83', 71, 'B'], // q_dom 11 → 33, + 2
    [753, 0, 0, 36, '70', 70, 'C'], // q_dom 12 → 36
    [753, 0, 1.37, 37, '69.17', 69, 'C'],
    // C / D at 55: T = 54.
    [1459, 2, 0, 53, '55.83', 56, 'C'], // q_dom 17 → 51, + 2
    [1801, 0, 0, 54, '55', 55, 'D'], // q_dom 18 → 54
    [1801, 0, 1.37, 55, '54.17', 54, 'D'],
    // D / E at 40: T = 72.
    [594601, 42, 1.37, 71, '40.83', 41, 'D'], // q_dom 20 → 60, q_req 5 → 10, + 1
    [594601, 49, 0, 72, '40', 40, 'E'], // 60 + q_req 6 → 12
    [594601, 49, 1.37, 73, '39.17', 39, 'E'],
    // E / F at 25: T = 90.
    [594601, 117, 1.37, 89, '25.83', 26, 'E'], // 60 + q_req 14 → 28 + 1
    [594601, 130, 0, 90, '25', 25, 'F'], // 60 + q_req 15 → 30
    [594601, 130, 1.37, 91, '24.17', 24, 'F'],
    // F / G at 10: T = 108.
    [594601, 3920, 937.91, 107, '10.83', 11, 'F'], // 60 + 40 + q_size 7
    [594601, 3920, 1098.62, 108, '10', 10, 'G'], // 60 + 40 + q_size 8
    [594601, 3920, 1265.47, 109, '9.17', 9, 'G'], // 60 + 40 + q_size 9
    // The floor: 0 is G (G is the fallback).
    [594601, 3920, 223212.26, 120, '0', 0, 'G'],
  ];
  for (const [dom, requests, sizeKb, t, raw, score, grade] of vectors) {
    it(`T = ${t}: raw ${raw} → ${score} ${grade}`, () => {
      const result = ecoindex({ dom, requests, sizeKb });
      assert.equal(result.score, score);
      assert.equal(result.grade, grade);
    });
  }

  it('grades each threshold down and the point above it up', () => {
    const expected: Record<number, [string, string]> = {
      80: ['B', 'A'],
      70: ['C', 'B'],
      55: ['D', 'C'],
      40: ['E', 'D'],
      25: ['F', 'E'],
      10: ['G', 'F'],
    };
    for (const [threshold, [at, above]] of Object.entries(expected)) {
      assert.equal(ecoindexGrade(Number(threshold)), at, `at ${threshold}`);
      assert.equal(ecoindexGrade(Number(threshold) + 1), above, `at ${Number(threshold) + 1}`);
    }
    assert.equal(ecoindexGrade(100), 'A');
    assert.equal(ecoindexGrade(0), 'G');
  });

  it('has the published colours', () => {
    assert.deepEqual(
      ECOINDEX_GRADES.map((g) => `${g.grade}${g.threshold}${g.colour}`),
      ['A80#349A47', 'B70#51B84B', 'C55#CADB2A', 'D40#F6EB15', 'E25#FECD06', 'F10#F99839', 'G0#ED2124'],
    );
    assert.equal(gradeColour('C'), '#CADB2A');
    assert.equal(ECOINDEX_ALGORITHM, 'ecoindex-cnumr-2022');
    assert.equal(ECOINDEX_GRADE_RULE, 'strict');
  });
});

describe('EcoIndex: rounding half to even, as the Python reference', () => {
  it('rounds a raw 92.5 to 92 (Math.round would give 93)', () => {
    // DOM 159 = q[3]: T = 9, raw = 100 − 45/6 = 92.5 exactly.
    const result = ecoindex({ dom: 159, requests: 0, sizeKb: 0 });
    assert.equal(result.score, 92);
    assert.equal(result.ghgGco2e, 1.16); // 2 + 2 × (50 − 92) / 100
    assert.equal(result.waterCl, 1.74);
  });

  it('rounds a raw 82.5 to 82 and 97.5 to 98', () => {
    // DOM 298 = q[5] (15) + requests 25 = q[3] (6): T = 21, raw 82.5.
    assert.equal(ecoindex({ dom: 298, requests: 25, sizeKb: 0 }).score, 82);
    // Size 319.53 = q[3]: T = 3, raw 97.5.
    assert.equal(ecoindex({ dom: 0, requests: 0, sizeKb: 319.53 }).score, 98);
  });

  it('roundHalfEven', () => {
    const cases: Array<[number, number]> = [
      [0.5, 0],
      [1.5, 2],
      [2.5, 2],
      [92.5, 92],
      [92.50000000000001, 93],
      [92.49, 92],
      [7, 7],
    ];
    for (const [value, expected] of cases) assert.equal(roundHalfEven(value), expected, `${value}`);
  });
});

describe('EcoIndex: inputs refused', () => {
  const bad: Array<[string, { dom: number; requests: number; sizeKb: number }]> = [
    ['dom', { dom: -1, requests: 0, sizeKb: 0 }],
    ['requests', { dom: 0, requests: Number.NaN, sizeKb: 0 }],
    ['sizeKb', { dom: 0, requests: 0, sizeKb: -0.01 }],
    ['sizeKb', { dom: 0, requests: 0, sizeKb: Number.POSITIVE_INFINITY }],
    ['dom', { dom: '12' as unknown as number, requests: 0, sizeKb: 0 }],
  ];
  for (const [field, input] of bad) {
    it(`${field} = ${String(input[field as keyof typeof input])}`, () => {
      assert.throws(
        () => ecoindex(input),
        (error: unknown) => error instanceof EcoindexInputError && error.field === field,
      );
    });
  }
});

describe('EcoIndex: properties', () => {
  const measure = (max: number) => fc.double({ min: 0, max, noNaN: true });
  it('the score is an integer from 0 to 100, and never rises when a measure grows', () => {
    fc.assert(
      fc.property(measure(1e6), measure(1e4), measure(3e5), measure(1e3), (dom, requests, sizeKb, extra) => {
        const base = ecoindex({ dom, requests, sizeKb });
        assert.ok(Number.isInteger(base.score) && base.score >= 0 && base.score <= 100);
        assert.ok(ecoindex({ dom: dom + extra, requests, sizeKb }).score <= base.score);
        assert.ok(ecoindex({ dom, requests: requests + extra, sizeKb }).score <= base.score);
        assert.ok(ecoindex({ dom, requests, sizeKb: sizeKb + extra }).score <= base.score);
      }),
    );
  });
});
