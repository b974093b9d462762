/**
 * The mesref écoscore (méthode mesref v1) from a journey's measured steps: pure, data in, data out.
 *
 * For each step and each measure m ∈ {energy, performance, data}:
 *   sub(m)     = 100 × clamp((bad_m − x_m) / (bad_m − good_m), 0, 1)     thresholds per device profile
 *   step score = (sub(energy) + sub(performance) + sub(data)) / 3           equal weighting
 *   score      = round(mean of the step scores)                             /100, half to even
 * where
 *   x_energy      = the device's energy for the step, in mWh: CPU time beyond the idle reference × CPU power,
 *                   plus screen time × screen power. The bytes' network and data-centre energy is reported
 *                   but left out of this sub-score: the bytes already make the data measure;
 *   x_performance = the step's active duration (ms), its explicit pause excluded;
 *   x_data        = the bytes transferred, in KB (1024 bytes).
 * The idle reference (the browser doing nothing, measured by the runner) gives a CPU rate per ms that is
 * subtracted from each step's CPU time: the browser's own background work is not the service's. Bytes and
 * requests are not reduced (a service's background traffic is its own), nor is screen time (the screen is on
 * for the service).
 * Impacts: energy (device + network and data centres) × the electricity factors, plus the device's
 * manufacturing footprint amortised over its active life (lifetime years × 365 × daily hours of use) for the
 * step's screen time.
 */
import { type EcoindexResult, ecoindex, roundHalfEven } from './ecoindex.ts';
import type { Device, EcoscoreMethod, Measure, Thresholds } from './method.ts';

export interface StepResource {
  url: string;
  /** Bytes transferred (encoded size, headers included when known). */
  bytes: number;
  /** Resource type as the browser gives it (document, script, image, font, xhr, …). */
  type: string;
}

/** What one step measured (or the median over runs: see `medianOf`). */
export interface StepMetrics {
  label: string;
  /** The page the step ended on. */
  url?: string;
  /** Bytes transferred during the step. */
  bytes: number;
  /** HTTP requests made during the step. */
  requests: number;
  /** DOM elements at the end of the step. */
  domElements: number;
  /** CPU time of the page (Chromium's TaskDuration), ms, under the profile's CPU slowdown. */
  cpuMs: number;
  /** Active duration of the step, ms, its explicit pause excluded. */
  durationMs: number;
  /** Time spent in an explicit `pause`, ms: screen time, not a performance cost. */
  pauseMs?: number;
  /** Per-resource transfers of the step, when the runner records them. */
  resources?: StepResource[];
}

export interface StepScore {
  label: string;
  url?: string;
  bytes: number;
  requests: number;
  domElements: number;
  cpuMs: number;
  durationMs: number;
  /** Device + network and data centres, Wh. */
  energyWh: number;
  /** The device's share, Wh (the energy sub-score's measure). */
  deviceEnergyWh: number;
  sub: Record<Measure, number>;
  /** 0–100, one decimal. */
  score: number;
  ghgGco2e: number;
  waterL: number;
  ecoindex: EcoindexResult;
  resources?: StepResource[];
}

export interface EcoscoreResult {
  methodVersion: string;
  device: Device;
  /** 0–100, an integer. */
  score: number;
  perStep: StepScore[];
  totals: {
    energyWh: number;
    bytes: number;
    requests: number;
    /** Screen time of the journey, ms (active durations and pauses). */
    screenMs: number;
    ghgGco2e: number;
    waterL: number;
    /** Fraction (0–1) of the journey's gCO2e that is the device's manufacturing share. */
    manufacturingShare: number;
    /** The device's manufacturing footprint amortised over the journey's screen time. */
    manufacturing: { ghgGco2e: number; waterL: number };
  };
  /** The thresholds used, per step, for the report. */
  thresholds: Thresholds;
  /** Says plainly that this is mesref's open method, not the official écoscore. */
  notice: { fr: string; en: string };
}

const MS_PER_HOUR = 3_600_000;
const BYTES_PER_MB = 1_000_000;
const BYTES_PER_KB = 1024;

/** A measure outside what a step can measure (negative, NaN, infinite), or no step at all. */
export class StepMetricsError extends RangeError {
  readonly code = 'ecoscore.invalid_metrics';
}

const FIGURES = ['bytes', 'requests', 'domElements', 'cpuMs', 'durationMs'] as const;

function checkStep(step: StepMetrics, what: string): void {
  for (const figure of [...FIGURES, 'pauseMs'] as const) {
    const value = step[figure];
    if (figure === 'pauseMs' && value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new StepMetricsError(`${what} « ${step.label} » : ${figure} invalide (${String(value)})`);
    }
  }
}

/** 100 at or below `good`, 0 at or above `bad`, linear between. */
export function subScore(value: number, threshold: { good: number; bad: number }): number {
  const ratio = (threshold.bad - value) / (threshold.bad - threshold.good);
  return 100 * Math.min(1, Math.max(0, ratio));
}

const round = (value: number, decimals: number) => {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
};

/** Scores a journey's steps (medians over runs) against the method's profile for `device`. */
export function computeEcoscore(
  method: EcoscoreMethod,
  device: Device,
  steps: StepMetrics[],
  idle: StepMetrics,
): EcoscoreResult {
  if (steps.length === 0) throw new StepMetricsError('aucune étape à noter');
  checkStep(idle, 'référence au repos');
  for (const step of steps) checkStep(step, 'étape');
  const profile = method.devices[device];
  const { thresholds } = profile;
  const idleCpuPerMs = idle.durationMs > 0 ? idle.cpuMs / idle.durationMs : 0;
  const activeLifeHours = profile.lifetimeYears * 365 * profile.usageHoursPerDay.value;
  const manufacturingGPerHour = (profile.manufacturing.ghg.value * 1000) / activeLifeHours;
  const manufacturingLPerHour = profile.manufacturing.water.value / activeLifeHours;
  const gPerWh = method.electricity.ghg.value;
  const lPerWh = method.electricity.water.value;

  let manufacturingG = 0;
  let manufacturingL = 0;
  let stepScoreSum = 0;
  const perStep: StepScore[] = steps.map((step) => {
    const serviceCpuMs = Math.max(0, step.cpuMs - idleCpuPerMs * step.durationMs);
    const screenHours = (step.durationMs + (step.pauseMs ?? 0)) / MS_PER_HOUR;
    const deviceEnergyWh =
      (serviceCpuMs / MS_PER_HOUR) * profile.power.cpuActive.value + screenHours * profile.power.screen.value;
    const energyWh = deviceEnergyWh + (step.bytes / BYTES_PER_MB) * method.networkEnergy.value;
    const sub = {
      energy: subScore(deviceEnergyWh * 1000, thresholds.energy),
      performance: subScore(step.durationMs, thresholds.performance),
      data: subScore(step.bytes / BYTES_PER_KB, thresholds.data),
    };
    const score = (sub.energy + sub.performance + sub.data) / 3;
    stepScoreSum += score;
    const stepManufacturingG = screenHours * manufacturingGPerHour;
    const stepManufacturingL = screenHours * manufacturingLPerHour;
    manufacturingG += stepManufacturingG;
    manufacturingL += stepManufacturingL;
    return {
      label: step.label,
      ...(step.url !== undefined && { url: step.url }),
      bytes: step.bytes,
      requests: step.requests,
      domElements: step.domElements,
      cpuMs: step.cpuMs,
      durationMs: step.durationMs,
      energyWh,
      deviceEnergyWh,
      sub: { energy: round(sub.energy, 1), performance: round(sub.performance, 1), data: round(sub.data, 1) },
      score: round(score, 1),
      ghgGco2e: energyWh * gPerWh + stepManufacturingG,
      waterL: energyWh * lPerWh + stepManufacturingL,
      ecoindex: ecoindex({
        dom: step.domElements,
        requests: step.requests,
        sizeKb: step.bytes / BYTES_PER_KB,
      }),
      ...(step.resources && { resources: step.resources }),
    };
  });

  const sum = (figure: (step: StepScore) => number) => perStep.reduce((total, s) => total + figure(s), 0);
  const ghgGco2e = sum((s) => s.ghgGco2e);
  return {
    methodVersion: method.id,
    device,
    score: roundHalfEven(stepScoreSum / steps.length),
    perStep,
    totals: {
      energyWh: sum((s) => s.energyWh),
      bytes: sum((s) => s.bytes),
      requests: sum((s) => s.requests),
      screenMs: steps.reduce((total, s) => total + s.durationMs + (s.pauseMs ?? 0), 0),
      ghgGco2e,
      waterL: sum((s) => s.waterL),
      manufacturingShare: ghgGco2e > 0 ? manufacturingG / ghgGco2e : 0,
      manufacturing: { ghgGco2e: manufacturingG, waterL: manufacturingL },
    },
    thresholds,
    notice: method.statement,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The median of each figure of one step over its samples (one per run). The label and URL are the first
 * sample's; the resources are those of the sample whose byte count is nearest the median (a median of lists
 * would describe no real page).
 */
export function medianStep(samples: StepMetrics[]): StepMetrics {
  if (samples.length === 0) throw new StepMetricsError('aucune mesure');
  const [step] = samples;
  if (samples.some((s) => s.label !== step.label)) {
    throw new StepMetricsError('les mesures ne portent pas sur la même étape');
  }
  const result: StepMetrics = {
    label: step.label,
    ...(step.url !== undefined && { url: step.url }),
    bytes: median(samples.map((s) => s.bytes)),
    requests: median(samples.map((s) => s.requests)),
    domElements: median(samples.map((s) => s.domElements)),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    durationMs: median(samples.map((s) => s.durationMs)),
  };
  if (samples.some((s) => s.pauseMs !== undefined))
    result.pauseMs = median(samples.map((s) => s.pauseMs ?? 0));
  const withResources = samples.filter((s) => s.resources);
  if (withResources.length > 0) {
    const nearest = withResources.reduce((best, s) =>
      Math.abs(s.bytes - result.bytes) < Math.abs(best.bytes - result.bytes) ? s : best,
    );
    result.resources = nearest.resources;
  }
  return result;
}

/**
 * The median of each figure per step over several runs of the same journey (each run: its steps in order),
 * or, given one step's samples, that step's median (`medianStep`).
 */
export function medianOf(runs: StepMetrics[][]): StepMetrics[];
export function medianOf(samples: StepMetrics[]): StepMetrics;
export function medianOf(input: StepMetrics[][] | StepMetrics[]): StepMetrics[] | StepMetrics {
  if (input.length === 0) throw new StepMetricsError('aucune mesure');
  if (!Array.isArray(input[0])) return medianStep(input as StepMetrics[]);
  const runs = input as StepMetrics[][];
  const [first] = runs;
  if (runs.some((run) => run.length !== first.length)) {
    throw new StepMetricsError('les mesures ne portent pas sur les mêmes étapes');
  }
  return first.map((_, i) => medianStep(runs.map((run) => run[i])));
}

/** A téléconsultation service: the mean of its patient-side and professional-side écoscores. */
export function teleconsultationScore(patient: { score: number }, professional: { score: number }): number {
  return (patient.score + professional.score) / 2;
}

export interface StepImprovement {
  label: string;
  url?: string;
  score: number;
  /** Points of the journey's score this step costs: (100 − step score) / number of steps. */
  pointsLost: number;
  /** The measure with the lowest sub-score: where to look first. */
  weakest: Measure;
  energyWh: number;
  bytes: number;
  durationMs: number;
}

export interface ResourceImprovement extends StepResource {
  step: string;
  /** Fraction (0–1) of the journey's bytes. */
  share: number;
}

/**
 * What to improve first: the steps that cost the journey the most points, then the heaviest resources
 * (when the runner recorded them), largest first.
 */
export function improvements(
  result: EcoscoreResult,
  limits: { steps?: number; resources?: number } = {},
): { steps: StepImprovement[]; resources: ResourceImprovement[] } {
  const count = result.perStep.length;
  const steps = result.perStep
    .map((step) => {
      const measures = Object.keys(step.sub) as Measure[];
      const weakest = measures.reduce((low, m) => (step.sub[m] < step.sub[low] ? m : low), measures[0]);
      return {
        label: step.label,
        ...(step.url !== undefined && { url: step.url }),
        score: step.score,
        pointsLost: round((100 - step.score) / count, 1),
        weakest,
        energyWh: step.energyWh,
        bytes: step.bytes,
        durationMs: step.durationMs,
      };
    })
    .filter((step) => step.pointsLost > 0)
    .sort((a, b) => b.pointsLost - a.pointsLost || b.energyWh - a.energyWh);
  const totalBytes = result.totals.bytes;
  const resources = result.perStep
    .flatMap((step) => (step.resources ?? []).map((resource) => ({ ...resource, step: step.label })))
    .sort((a, b) => b.bytes - a.bytes)
    .map((resource) => ({ ...resource, share: totalBytes > 0 ? resource.bytes / totalBytes : 0 }));
  return { steps: steps.slice(0, limits.steps ?? 5), resources: resources.slice(0, limits.resources ?? 10) };
}
