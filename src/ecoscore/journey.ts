/**
 * Journey files (parcours): a user journey on a service as ordered steps, written in YAML, checked against
 * a schema with every problem reported by line, then checked against the hosts the service may reach.
 *
 * ```yaml
 * name: Prise de rendez-vous
 * device: smartphone          # smartphone | tablet | desktop
 * role: patient               # optional, téléconsultation: patient | professionnel
 * steps:
 *   - { label: Accueil, goto: https://rdv.example.fr/ }
 *   - { label: Recherche, fill: '#q', value: cardiologue }
 *   - { label: Résultats, click: 'button[type=submit]', timeout: 20 }
 *   - { label: Liste chargée, waitFor: '.resultats' }
 *   - { label: Bas de page, scroll: bottom }
 *   - { label: Lecture, pause: 5 }
 * ```
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DataFileError, type DataFileProblem, parseLocatedDataFile } from '../platform/datafile.ts';
import { DEVICES } from './method.ts';

export type JourneyProblem = DataFileProblem;

/** A step without `timeout` waits this long at most. */
export const DEFAULT_STEP_TIMEOUT_SECONDS = 30;
export const MAX_STEP_TIMEOUT_SECONDS = 120;
export const MAX_PAUSE_SECONDS = 120;
export const MAX_STEPS = 50;

const Label = Type.String({ minLength: 1, maxLength: 120 });
const Selector = Type.String({ minLength: 1, maxLength: 500 });
const Timeout = Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_STEP_TIMEOUT_SECONDS }));

const step = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object({ label: Label, ...properties, timeout: Timeout }, { additionalProperties: false });

/** One schema per action, chosen by the action's key, so that a problem names the right property. */
export const STEP_SCHEMAS = {
  goto: step({ goto: Type.String({ minLength: 1, maxLength: 2000 }) }),
  click: step({ click: Selector }),
  fill: step({ fill: Selector, value: Type.String({ maxLength: 1000 }) }),
  waitFor: step({ waitFor: Selector }),
  scroll: step({
    scroll: Type.Union([Type.Literal('bottom'), Type.Integer({ minimum: 1, maximum: 100_000 })]),
  }),
  pause: step({ pause: Type.Number({ exclusiveMinimum: 0, maximum: MAX_PAUSE_SECONDS }) }),
} as const;

export type StepAction = keyof typeof STEP_SCHEMAS;
export const STEP_ACTIONS = Object.keys(STEP_SCHEMAS) as StepAction[];

export type GotoStep = Static<(typeof STEP_SCHEMAS)['goto']>;
export type ClickStep = Static<(typeof STEP_SCHEMAS)['click']>;
export type FillStep = Static<(typeof STEP_SCHEMAS)['fill']>;
export type WaitForStep = Static<(typeof STEP_SCHEMAS)['waitFor']>;
export type ScrollStep = Static<(typeof STEP_SCHEMAS)['scroll']>;
export type PauseStep = Static<(typeof STEP_SCHEMAS)['pause']>;
/** Narrow with `'goto' in step`, or with `stepAction(step)`. */
export type JourneyStep = GotoStep | ClickStep | FillStep | WaitForStep | ScrollStep | PauseStep;

export const JOURNEY_ROLES = ['patient', 'professionnel'] as const;

const JourneyFileSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    device: Type.Union(DEVICES.map((d) => Type.Literal(d))),
    role: Type.Optional(Type.Union(JOURNEY_ROLES.map((r) => Type.Literal(r)))),
    // Each step is checked against its action's schema below.
    steps: Type.Array(Type.Object({}), { minItems: 1, maxItems: MAX_STEPS }),
  },
  { additionalProperties: false },
);

export interface Journey {
  name: string;
  device: (typeof DEVICES)[number];
  role?: (typeof JOURNEY_ROLES)[number];
  steps: JourneyStep[];
  /** Where it was read: for problems found after parsing (hosts) to give a line. */
  source?: { file: string; stepLines: number[] };
}

export function stepAction(step: JourneyStep): StepAction {
  return STEP_ACTIONS.find((action) => action in step)!;
}

export function stepTimeoutSeconds(step: JourneyStep): number {
  return step.timeout ?? DEFAULT_STEP_TIMEOUT_SECONDS;
}

/** Reads a journey file; every problem at once, each with its line and path. */
export function parseJourney(
  text: string,
  fileName: string,
): { ok: true; journey: Journey } | { ok: false; problems: JourneyProblem[] } {
  let parsed: ReturnType<typeof parseLocatedDataFile<typeof JourneyFileSchema>>;
  try {
    parsed = parseLocatedDataFile(text, JourneyFileSchema, fileName);
  } catch (error) {
    if (error instanceof DataFileError) return { ok: false, problems: error.problems };
    throw error;
  }
  const { value, lineOf } = parsed;
  const problems: JourneyProblem[] = [];
  const problem = (path: string, message: string) =>
    problems.push({ file: fileName, line: lineOf(path), path, message });
  const stepLines: number[] = [];
  value.steps.forEach((raw, index) => {
    const path = `/steps/${index}`;
    stepLines.push(lineOf(path));
    const actions = STEP_ACTIONS.filter((action) => action in raw);
    if (actions.length !== 1) {
      problem(
        path,
        actions.length === 0
          ? `une étape fait une action parmi : ${STEP_ACTIONS.join(', ')}`
          : `une étape fait une seule action (ici : ${actions.join(', ')})`,
      );
      return;
    }
    const seen = new Set<string>();
    for (const error of Value.Errors(STEP_SCHEMAS[actions[0]], raw)) {
      if (seen.has(error.path)) continue;
      seen.add(error.path);
      problem(`${path}${error.path}`, error.message);
    }
  });
  const first = value.steps[0] as Partial<GotoStep>;
  if (problems.length === 0 && typeof first.goto === 'string' && !isAbsoluteHttpUrl(first.goto)) {
    problem('/steps/0/goto', 'la première étape ouvre une adresse complète (https://…)');
  } else if (problems.length === 0 && !('goto' in first)) {
    problem('/steps/0', 'la première étape ouvre une adresse (goto)');
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    journey: { ...(value as Omit<Journey, 'source'>), source: { file: fileName, stepLines } },
  };
}

function isAbsoluteHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/** A host as compared: lower case; an entry with a port matches that port only. */
function hostAllowed(url: URL, allowed: readonly string[]): boolean {
  const hostname = url.hostname.toLowerCase();
  const host = url.host.toLowerCase();
  return allowed.some((entry) => {
    const wanted = entry.trim().toLowerCase();
    return wanted.includes(':') && !wanted.startsWith('[')
      ? wanted === host
      : wanted === hostname || wanted === host;
  });
}

/**
 * Every `goto` of the journey must reach one of `allowedHosts` (the hosts of the URLs the service declared,
 * plus hosts allowed in configuration): mesref measures the service, it is not a tool to probe other
 * machines. Relative URLs resolve against the first `goto`. Only http and https.
 */
export function checkHosts(journey: Journey, allowedHosts: readonly string[]): JourneyProblem[] {
  const problems: JourneyProblem[] = [];
  const file = journey.source?.file ?? journey.name;
  let base: URL | undefined;
  journey.steps.forEach((step, index) => {
    if (!('goto' in step)) return;
    const path = `/steps/${index}/goto`;
    const line = journey.source?.stepLines[index] ?? 1;
    let url: URL;
    try {
      url = new URL(step.goto, base);
    } catch {
      problems.push({ file, line, path, message: `adresse invalide : ${step.goto}` });
      return;
    }
    base ??= url;
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      problems.push({
        file,
        line,
        path,
        message: `seules les adresses http et https sont mesurées : ${step.goto}`,
      });
    } else if (!hostAllowed(url, allowedHosts)) {
      problems.push({
        file,
        line,
        path,
        message: `l’hôte ${url.host} n’est pas parmi ceux du service (${allowedHosts.join(', ') || 'aucun'})`,
      });
    }
  });
  return problems;
}

/** The absolute URL of each `goto` step (relative ones resolved against the first), for the runner. */
export function resolveGoto(journey: Journey, index: number): string {
  let base: URL | undefined;
  for (let i = 0; i <= index; i++) {
    const step = journey.steps[i];
    if ('goto' in step) {
      const url = new URL(step.goto, base);
      base ??= url;
      if (i === index) return url.href;
    }
  }
  throw new RangeError(`step ${index} is not a goto step`);
}
