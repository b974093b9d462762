/**
 * EcoIndex (GreenIT / cnumr) of one web page, from its three measures: DOM elements, HTTP requests and
 * transferred size. The algorithm is pinned and named by `ECOINDEX_ALGORITHM`, stored with every result:
 * - the 21-bound quantile tables of the cnumr reference (`cnumr/ecoindex_reference`);
 * - the corrected interpolation `(i − 1) + (v − q[i−1]) / (q[i] − q[i−1])` (an older reference version
 *   returned `i + …`, one grade-step too harsh);
 * - rounding half to even, as the Python reference does with its built-in `round()`;
 * - strict grade thresholds (`score > threshold`, so 80 is a B), G being the fallback: rule `strict`.
 * Reimplemented from the published formula, not copied from a reference implementation.
 */

/** mesref's name for the pinned combination above; a change of any part gets a new name. */
export const ECOINDEX_ALGORITHM = 'ecoindex-cnumr-2022';
/** The grade-boundary rule: a score equal to a threshold takes the grade below it. */
export const ECOINDEX_GRADE_RULE = 'strict';

export interface EcoindexInput {
  /** DOM elements of the page. */
  dom: number;
  /** HTTP requests made by the page. */
  requests: number;
  /** Transferred size in KB (1 KB = 1024 bytes). */
  sizeKb: number;
}

export type EcoindexGrade = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G';

export interface EcoindexResult {
  /** 0 (heaviest) to 100 (lightest), an integer. */
  score: number;
  grade: EcoindexGrade;
  /** Greenhouse gases, grams of CO2 equivalent, two decimals. */
  ghgGco2e: number;
  /** Water, centilitres, two decimals. */
  waterCl: number;
  algorithm: typeof ECOINDEX_ALGORITHM;
  gradeRule: typeof ECOINDEX_GRADE_RULE;
}

/** Quantile bounds q[0] … q[20] of each measure (HTTPArchive, about 500 000 pages). */
export const QUANTILES = {
  dom: [
    0, 47, 75, 159, 233, 298, 358, 417, 476, 537, 603, 674, 753, 843, 949, 1076, 1237, 1459, 1801, 2479,
    594601,
  ],
  requests: [0, 2, 15, 25, 34, 42, 49, 56, 63, 70, 78, 86, 95, 105, 117, 130, 147, 170, 205, 281, 3920],
  sizeKb: [
    0, 1.37, 144.7, 319.53, 479.46, 631.97, 783.38, 937.91, 1098.62, 1265.47, 1448.32, 1648.27, 1876.08,
    2142.06, 2465.37, 2866.31, 3401.59, 4155.73, 5400.08, 8037.54, 223212.26,
  ],
} as const satisfies Record<keyof EcoindexInput, readonly number[]>;

/** Grades from best to worst, with their lower threshold (exclusive) and their colour. */
export const ECOINDEX_GRADES: ReadonlyArray<{ grade: EcoindexGrade; threshold: number; colour: string }> = [
  { grade: 'A', threshold: 80, colour: '#349A47' },
  { grade: 'B', threshold: 70, colour: '#51B84B' },
  { grade: 'C', threshold: 55, colour: '#CADB2A' },
  { grade: 'D', threshold: 40, colour: '#F6EB15' },
  { grade: 'E', threshold: 25, colour: '#FECD06' },
  { grade: 'F', threshold: 10, colour: '#F99839' },
  { grade: 'G', threshold: 0, colour: '#ED2124' },
];

/** A measure that cannot be a page's: negative, not a number, or infinite. */
export class EcoindexInputError extends RangeError {
  readonly code = 'ecoindex.invalid_input';
  readonly field: keyof EcoindexInput;
  constructor(field: keyof EcoindexInput, value: unknown) {
    super(`${field} doit être un nombre fini positif ou nul (reçu : ${String(value)})`);
    this.name = 'EcoindexInputError';
    this.field = field;
  }
}

/** Python 3's `round()` on a float: halves go to the even neighbour (92.5 → 92, 97.5 → 98). */
export function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  // Exact for the magnitudes met here: a float minus its floor loses nothing.
  const fraction = value - floor;
  if (fraction === 0.5) return floor % 2 === 0 ? floor : floor + 1;
  return Math.round(value);
}

/** Position of `value` in the quantile table, from 0 to 20, linear between two bounds. */
export function quantile(bounds: readonly number[], value: number): number {
  for (let i = 1; i < bounds.length; i++) {
    if (value < bounds[i]) return i - 1 + (value - bounds[i - 1]) / (bounds[i] - bounds[i - 1]);
  }
  return bounds.length - 1;
}

/** The grade of a score under the strict rule: the first of A…F whose threshold is below it, else G. */
export function ecoindexGrade(score: number): EcoindexGrade {
  for (const { grade, threshold } of ECOINDEX_GRADES) {
    if (grade !== 'G' && score > threshold) return grade;
  }
  return 'G';
}

export function gradeColour(grade: EcoindexGrade): string {
  return ECOINDEX_GRADES.find((g) => g.grade === grade)!.colour;
}

function checked(input: EcoindexInput, field: keyof EcoindexInput): number {
  const value = input[field];
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new EcoindexInputError(field, value);
  }
  return value;
}

/** The EcoIndex of a page. Throws `EcoindexInputError` on a negative, NaN or infinite measure. */
export function ecoindex(input: EcoindexInput): EcoindexResult {
  const dom = quantile(QUANTILES.dom, checked(input, 'dom'));
  const requests = quantile(QUANTILES.requests, checked(input, 'requests'));
  const size = quantile(QUANTILES.sizeKb, checked(input, 'sizeKb'));
  // Weights 3 (DOM) : 2 (requests) : 1 (size).
  const score = roundHalfEven(100 - (5 * (3 * dom + 2 * requests + size)) / 6);
  return {
    score,
    grade: ecoindexGrade(score),
    ghgGco2e: roundHalfEven(100 * (2 + (2 * (50 - score)) / 100)) / 100,
    waterCl: roundHalfEven(100 * (3 + (3 * (50 - score)) / 100)) / 100,
    algorithm: ECOINDEX_ALGORITHM,
    gradeRule: ECOINDEX_GRADE_RULE,
  };
}
