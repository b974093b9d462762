/**
 * The guided pathway's pure rules: which steps are asked for the answers given, whether the service is
 * eligible (and which rule says it is not, citing its public source), its typology (sans-echange /
 * avec-echange), the workload ahead in the newest referential version, the roadmap and the points of
 * vigilance made concrete for this service. Takes plain data (the rules of rules.yaml, the answers, a
 * referential version), no I/O.
 */
import type { Locale } from '../platform/i18n.ts';
import type { ReferentialVersion } from '../referential/model.ts';
import { type Condition, evaluateCondition, type OrientationAnswers } from '../referential/model.ts';
import type { LocalizedText } from '../referential/schema.ts';
import type {
  PathwayQuestion,
  PathwayRules,
  Resource,
  Rule,
  Source,
  Step,
  TextVariant,
  Typology,
} from './schema.ts';

export type { PathwayRules, Resource, Source, Step };

/** The pathway's answers: yes/no, one option, or several options, by question id. */
export type PathwayAnswers = Record<string, boolean | string | string[]>;

/** Facts derived from the answers, usable in the conditions of rules.yaml beside the question ids. */
export const DERIVED_FACTS = ['finalites_retenues', 'typologie', 'echange', 'criteres_indetermines'] as const;

/** What the texts of rules.yaml may contain between braces, filled by `fillText`. */
export const PLACEHOLDERS = [
  'applicable',
  'mandatory',
  'optional',
  'undetermined',
  'exchangeRules',
  'referential',
  'typology',
  'finalites',
] as const;

/** Query and form values for yes/no answers (the address stays readable in French). */
export const YES = 'oui';
export const NO = 'non';

// ── reading the answers ─────────────────────────────────────────────────────

type RawValue = string | string[] | undefined;

function firstString(value: RawValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** One question's answer read from a form or a query string; undefined when absent or not a valid value. */
export function parseAnswer(
  question: PathwayQuestion,
  value: RawValue,
): boolean | string | string[] | undefined {
  if (question.type === 'boolean') {
    const text = firstString(value);
    if (text === YES) return true;
    if (text === NO) return false;
    return undefined;
  }
  const allowed = new Set((question.options ?? []).map((o) => o.value));
  if (question.type === 'choice') {
    const text = firstString(value);
    return text !== undefined && allowed.has(text) ? text : undefined;
  }
  const values = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v) =>
    allowed.has(v),
  );
  return values.length > 0 ? [...new Set(values)] : undefined;
}

/** Answers sent as JSON (yes/no as booleans), read as a form's would be. */
export function answersFromJson(
  rules: PathwayRules,
  json: Record<string, boolean | string | string[]>,
): PathwayAnswers {
  const raw: Record<string, RawValue> = {};
  for (const [key, value] of Object.entries(json)) {
    raw[key] = typeof value === 'boolean' ? (value ? YES : NO) : value;
  }
  return readAnswers(rules, raw);
}

/** An answer as it goes back into a form or an address. */
export function answerValues(answer: boolean | string | string[] | undefined): string[] {
  if (answer === undefined) return [];
  if (typeof answer === 'boolean') return [answer ? YES : NO];
  return Array.isArray(answer) ? answer : [answer];
}

/**
 * The answers of a form or query: each valid value kept, in step order, and the answers of a step hidden by
 * the answers before it dropped (changing an earlier answer can hide a later step).
 */
export function readAnswers(rules: PathwayRules, raw: Record<string, RawValue>): PathwayAnswers {
  const answers: PathwayAnswers = {};
  for (const step of rules.steps) {
    if (!evaluateCondition(step.showWhen, answers)) continue;
    for (const question of step.questions) {
      const value = parseAnswer(question, raw[question.id]);
      if (value !== undefined) answers[question.id] = value;
    }
  }
  return answers;
}

/** The answers as query parameters, in step order. */
export function answersToQuery(rules: PathwayRules, answers: PathwayAnswers): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const step of rules.steps) {
    for (const question of step.questions) {
      for (const value of answerValues(answers[question.id])) pairs.push([question.id, value]);
    }
  }
  return pairs;
}

export function queryString(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

// ── steps ───────────────────────────────────────────────────────────────────

/** The steps asked for these answers, in order (a step shows when its condition holds). */
export function visibleSteps(rules: PathwayRules, answers: PathwayAnswers): Step[] {
  return rules.steps.filter((step) => evaluateCondition(step.showWhen, answers));
}

export function missingQuestions(step: Step, answers: PathwayAnswers): PathwayQuestion[] {
  return step.questions.filter((question) => answers[question.id] === undefined);
}

/** Facts the rules and typologies are decided on: the answers and the finalités allowed among those chosen. */
function baseFacts(rules: PathwayRules, answers: PathwayAnswers): OrientationAnswers {
  const chosen = answers[rules.legalFinalites.question];
  const retained = Array.isArray(chosen)
    ? rules.legalFinalites.values.filter((value) => chosen.includes(value))
    : [];
  return { ...answers, finalites_retenues: retained };
}

/** The first rule that stops the pathway (redirect or not eligible) for the answers given so far. */
export function blockingRule(rules: PathwayRules, answers: PathwayAnswers): Rule | undefined {
  const facts = baseFacts(rules, answers);
  return rules.rules.find(
    (rule) => rule.effect !== 'no-data-exchange' && evaluateCondition(rule.when, facts),
  );
}

export interface Progress {
  /** The steps asked for these answers. */
  steps: Step[];
  /** The first step with a question left unanswered, unless the pathway is over. */
  next?: Step;
  /** The pathway is over: every step answered, or a rule decided already. */
  done: boolean;
  blockedBy?: Rule;
}

/** Where the pathway stands: what is left to ask, or that it is over. */
export function progress(rules: PathwayRules, answers: PathwayAnswers): Progress {
  const steps = visibleSteps(rules, answers);
  const blockedBy = blockingRule(rules, answers);
  if (blockedBy) return { steps, done: true, blockedBy };
  const next = steps.find((step) => missingQuestions(step, answers).length > 0);
  return { steps, next, done: next === undefined };
}

/**
 * The steps the stepper counts: those asked, and those that may still be asked depending on answers not given
 * yet. The total only goes down as answers hide steps, never up.
 */
export function countedSteps(rules: PathwayRules, answers: PathwayAnswers): Step[] {
  const unanswered = new Set(
    rules.steps.flatMap((step) => step.questions.map((q) => q.id)).filter((id) => answers[id] === undefined),
  );
  return rules.steps.filter((step) => evaluateTri(step.showWhen, answers, unanswered) !== 'no');
}

/** The step before this one among those asked, if any. */
export function previousStep(rules: PathwayRules, answers: PathwayAnswers, stepId: string): Step | undefined {
  const steps = visibleSteps(rules, answers);
  const index = steps.findIndex((step) => step.id === stepId);
  return index > 0 ? steps[index - 1] : undefined;
}

// ── three-valued conditions (for orientation questions the pathway does not ask) ──

export type Tri = 'yes' | 'no' | 'maybe';

/**
 * A condition over answers some of which are unknown (Kleene's logic): `maybe` when the answer to an unknown
 * question could make it go either way.
 */
export function evaluateTri(
  condition: Condition | undefined,
  answers: OrientationAnswers,
  unknown: ReadonlySet<string>,
): Tri {
  if (!condition || 'always' in condition) return 'yes';
  if ('all' in condition) {
    const parts = (condition.all as Condition[]).map((c) => evaluateTri(c, answers, unknown));
    if (parts.includes('no')) return 'no';
    return parts.includes('maybe') ? 'maybe' : 'yes';
  }
  if ('any' in condition) {
    const parts = (condition.any as Condition[]).map((c) => evaluateTri(c, answers, unknown));
    if (parts.includes('yes')) return 'yes';
    return parts.includes('maybe') ? 'maybe' : 'no';
  }
  if ('not' in condition) {
    const inner = evaluateTri(condition.not as Condition, answers, unknown);
    return inner === 'maybe' ? 'maybe' : inner === 'yes' ? 'no' : 'yes';
  }
  if (unknown.has(condition.question)) return 'maybe';
  return evaluateCondition(condition, answers) ? 'yes' : 'no';
}

// ── the outcome ─────────────────────────────────────────────────────────────

export type Verdict = 'eligible' | 'not-eligible' | 'redirected';
export type TypologyId = Typology['id'];

export interface CitedReason {
  ruleId: string;
  wording: LocalizedText;
  sources: Source[];
  link?: { label: LocalizedText; url: string };
}

export interface Workload {
  referentialId: string;
  referentialTitle: LocalizedText;
  referentialStatus: 'official' | 'demonstration';
  /** Criteria that apply for sure, given the answers. */
  applicable: number;
  mandatory: number;
  optional: number;
  /** Criteria whose applicability depends on orientation questions the pathway does not ask. */
  undetermined: number;
  /** Applicable criteria of the data-exchange security rules. */
  exchangeRules: number;
  /** The orientation answers the pathway gives the referential (to start a self-assessment with). */
  orientationAnswers: OrientationAnswers;
  /** Orientation questions still to answer in the self-assessment. */
  openQuestions: string[];
}

export interface RoadmapItem {
  id: string;
  title: LocalizedText;
  text: LocalizedText;
  prepare: LocalizedText[];
  links: Array<{ label: LocalizedText; url: string }>;
  sources: Source[];
}

export interface VigilanceItem {
  id: string;
  title: LocalizedText;
  text: LocalizedText;
  sources: Source[];
}

/** Everything the result page shows, and what is saved onto a service. Plain JSON. */
export interface PathwayOutcome {
  rulesVersion: number;
  verdict: Verdict;
  /** Why: the blocking rule, or the conditions an eligible service meets. */
  reason: CitedReason;
  /** Advisory rules that apply (no data exchange outside the finalités). */
  notices: CitedReason[];
  typology?: { id: TypologyId; title: LocalizedText; description: LocalizedText; sources: Source[] };
  /** The finalités chosen for which data exchange is allowed. */
  finalites: string[];
  workload?: Workload;
  roadmap: RoadmapItem[];
  vigilance: VigilanceItem[];
}

function sourcesOf(rules: PathwayRules, ids: readonly string[] | undefined): Source[] {
  return (ids ?? []).map((id) => {
    const source = rules.sources.find((s) => s.id === id);
    if (!source) throw new Error(`unknown source ${id}`);
    return source;
  });
}

function cite(rules: PathwayRules, rule: Rule): CitedReason {
  return {
    ruleId: rule.id,
    wording: rule.wording,
    sources: sourcesOf(rules, rule.sources),
    ...(rule.link ? { link: rule.link } : {}),
  };
}

/** The typology for these answers: the first whose condition holds. */
export function typologyOf(rules: PathwayRules, answers: PathwayAnswers): Typology {
  const facts = baseFacts(rules, answers);
  const typology = rules.typologies.find((t) => evaluateCondition(t.when, facts));
  if (!typology) throw new Error('no typology applies: the last typology must have no condition');
  return typology;
}

/** Every fact the roadmap and vigilance texts may depend on. */
export function factsOf(rules: PathwayRules, answers: PathwayAnswers): OrientationAnswers {
  const typology = typologyOf(rules, answers);
  return { ...baseFacts(rules, answers), typologie: typology.id, echange: typology.id === 'avec-echange' };
}

/**
 * The workload ahead in a referential version: the orientation answers the pathway gives (through the
 * mapping of rules.yaml), then each criterion applies, does not, or depends on a question left to answer.
 */
export function workloadOf(
  rules: PathwayRules,
  version: ReferentialVersion,
  facts: OrientationAnswers,
): Workload {
  const asked = new Set(version.questionnaire.map((q) => q.id));
  const orientationAnswers: OrientationAnswers = {};
  for (const mapping of rules.orientation) {
    if (!asked.has(mapping.question)) continue;
    const value = facts[mapping.from];
    if (value !== undefined) orientationAnswers[mapping.question] = value;
  }
  // A question left unanswered is unknown when it would be asked (or might be).
  const unknown = new Set<string>();
  for (const question of version.questionnaire) {
    if (question.id in orientationAnswers) continue;
    if (evaluateTri(question.showWhen, orientationAnswers, unknown) !== 'no') unknown.add(question.id);
  }
  let applicable = 0;
  let mandatory = 0;
  let undetermined = 0;
  let exchangeRules = 0;
  for (const criterion of version.criteria) {
    const applies = evaluateTri(criterion.appliesWhen, orientationAnswers, unknown);
    if (applies === 'maybe') undetermined++;
    if (applies !== 'yes') continue;
    applicable++;
    if (criterion.level === 'obligatoire') mandatory++;
    if (criterion.part === 'securite-echange') exchangeRules++;
  }
  return {
    referentialId: version.id,
    referentialTitle: version.title,
    referentialStatus: version.status,
    applicable,
    mandatory,
    optional: applicable - mandatory,
    undetermined,
    exchangeRules,
    orientationAnswers,
    openQuestions: [...unknown],
  };
}

/** The label of a finalité (an option of the finalités question) in both languages. */
function finaliteLabel(rules: PathwayRules, value: string): LocalizedText {
  for (const step of rules.steps) {
    const question = step.questions.find((q) => q.id === rules.legalFinalites.question);
    const option = question?.options?.find((o) => o.value === value);
    if (option) return option.label;
  }
  return { fr: value, en: value };
}

function listIn(locale: Locale, items: string[]): string {
  if (items.length <= 1) return items.join('');
  const and = locale === 'fr' ? ' et ' : ' and ';
  return `${items.slice(0, -1).join(', ')}${and}${items[items.length - 1]}`;
}

/** Fills the placeholders of a text; an unknown placeholder stays as written (the rules check refuses it). */
export function fillText(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

function pick(variants: readonly TextVariant[], facts: OrientationAnswers): TextVariant | undefined {
  return variants.find((variant) => evaluateCondition(variant.when, facts));
}

/**
 * The outcome of the pathway for complete answers (see `progress`): eligible or not and why, the typology,
 * the workload in `version` (the newest referential, when given), the roadmap and the points of vigilance.
 */
export function decideOutcome(
  rules: PathwayRules,
  answers: PathwayAnswers,
  version?: ReferentialVersion,
): PathwayOutcome {
  const blocked = blockingRule(rules, answers);
  if (blocked) {
    return {
      rulesVersion: rules.version,
      verdict: blocked.effect === 'redirect' ? 'redirected' : 'not-eligible',
      reason: cite(rules, blocked),
      notices: [],
      finalites: [],
      roadmap: [],
      vigilance: [],
    };
  }
  const facts = factsOf(rules, answers);
  const typology = typologyOf(rules, answers);
  const notices = rules.rules
    .filter((rule) => rule.effect === 'no-data-exchange' && evaluateCondition(rule.when, facts))
    .map((rule) => cite(rules, rule));
  const finalites = (facts.finalites_retenues as string[]) ?? [];
  const workload = version ? workloadOf(rules, version, facts) : undefined;
  const textFacts: OrientationAnswers = {
    ...facts,
    criteres_indetermines: (workload?.undetermined ?? 0) > 0,
  };

  const fill = (variant: TextVariant): LocalizedText => {
    const values = (locale: Locale): Record<string, string | number> => ({
      applicable: workload?.applicable ?? '?',
      mandatory: workload?.mandatory ?? '?',
      optional: workload?.optional ?? '?',
      undetermined: workload?.undetermined ?? '?',
      exchangeRules: workload?.exchangeRules ?? '?',
      referential: workload?.referentialId ?? '?',
      typology: typology.title[locale],
      finalites: listIn(
        locale,
        finalites.map((value) => finaliteLabel(rules, value)[locale].toLowerCase()),
      ),
    });
    return { fr: fillText(variant.fr, values('fr')), en: fillText(variant.en, values('en')) };
  };

  const roadmap: RoadmapItem[] = [];
  for (const step of rules.roadmap) {
    if (!evaluateCondition(step.when, textFacts)) continue;
    const text = pick(step.text, textFacts);
    if (!text) continue;
    roadmap.push({
      id: step.id,
      title: step.title,
      text: fill(text),
      prepare: step.prepare.filter((item) => evaluateCondition(item.when, textFacts)).map(fill),
      links: step.links ?? [],
      sources: sourcesOf(rules, step.sources),
    });
  }
  const vigilance: VigilanceItem[] = [];
  for (const point of rules.vigilance) {
    if (!evaluateCondition(point.when, textFacts)) continue;
    const text = pick(point.text, textFacts);
    if (!text) continue;
    vigilance.push({
      id: point.id,
      title: point.title,
      text: fill(text),
      sources: sourcesOf(rules, point.sources),
    });
  }

  return {
    rulesVersion: rules.version,
    verdict: 'eligible',
    reason: {
      ruleId: 'eligible',
      wording: rules.eligible.wording,
      sources: sourcesOf(rules, rules.eligible.sources),
    },
    notices,
    typology: {
      id: typology.id,
      title: typology.title,
      description: fill(typology.description),
      sources: sourcesOf(rules, typology.sources),
    },
    finalites,
    ...(workload ? { workload } : {}),
    roadmap,
    vigilance,
  };
}

// ── consistency of the rules file ───────────────────────────────────────────

/** Problems of a rules file beyond its schema, each with the JSON pointer concerned. */
export function checkRules(rules: PathwayRules): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  const sources = new Set<string>();
  rules.sources.forEach((source, i) => {
    if (sources.has(source.id))
      problems.push({ path: `/sources/${i}/id`, message: `source ${source.id} defined twice` });
    sources.add(source.id);
  });
  const checkSources = (ids: readonly string[] | undefined, path: string) => {
    (ids ?? []).forEach((id, i) => {
      if (!sources.has(id)) problems.push({ path: `${path}/${i}`, message: `unknown source ${id}` });
    });
  };

  // Questions known at each point: a step's condition may only use the questions of earlier steps.
  const questions = new Map<string, PathwayQuestion>();
  const stepIds = new Set<string>();
  const typologyIds = rules.typologies.map((t) => t.id);
  const factValues: Record<string, string[] | 'boolean'> = {
    finalites_retenues: rules.legalFinalites.values,
    typologie: typologyIds,
    echange: 'boolean',
    criteres_indetermines: 'boolean',
  };
  const checkCondition = (
    condition: Condition | undefined,
    path: string,
    allowFacts: readonly string[],
  ): void => {
    if (!condition || 'always' in condition) return;
    if ('all' in condition || 'any' in condition) {
      const [key, parts] = 'all' in condition ? ['all', condition.all] : ['any', condition.any];
      (parts as Condition[]).forEach((c, i) => {
        checkCondition(c, `${path}/${key}/${i}`, allowFacts);
      });
      return;
    }
    if ('not' in condition) {
      checkCondition(condition.not as Condition, `${path}/not`, allowFacts);
      return;
    }
    const values = [
      ...(condition.in ?? []),
      ...(typeof condition.equals === 'string' ? [condition.equals] : []),
    ];
    const question = questions.get(condition.question);
    if (question) {
      for (const value of values) {
        if (!question.options?.some((o) => o.value === value))
          problems.push({ path, message: `question ${question.id} has no option ${value}` });
      }
      if (typeof condition.equals === 'boolean' && question.type !== 'boolean')
        problems.push({ path, message: `question ${question.id} is not a yes/no question` });
      return;
    }
    if (allowFacts.includes(condition.question)) {
      const allowed = factValues[condition.question];
      for (const value of values) {
        if (allowed === 'boolean' || !allowed.includes(value))
          problems.push({ path, message: `fact ${condition.question} has no value ${value}` });
      }
      return;
    }
    problems.push({ path: `${path}/question`, message: `unknown question ${condition.question}` });
  };

  rules.steps.forEach((step, i) => {
    if (stepIds.has(step.id))
      problems.push({ path: `/steps/${i}/id`, message: `step ${step.id} defined twice` });
    stepIds.add(step.id);
    checkCondition(step.showWhen, `/steps/${i}/showWhen`, []);
    step.questions.forEach((question, j) => {
      if (questions.has(question.id) || (DERIVED_FACTS as readonly string[]).includes(question.id))
        problems.push({
          path: `/steps/${i}/questions/${j}/id`,
          message: `question ${question.id} defined twice`,
        });
      if (question.type !== 'boolean' && !question.options)
        problems.push({
          path: `/steps/${i}/questions/${j}`,
          message: `question ${question.id} needs options`,
        });
      questions.set(question.id, question);
    });
  });

  const finalitesQuestion = questions.get(rules.legalFinalites.question);
  if (!finalitesQuestion) {
    problems.push({
      path: '/legalFinalites/question',
      message: `unknown question ${rules.legalFinalites.question}`,
    });
  } else {
    rules.legalFinalites.values.forEach((value, i) => {
      if (!finalitesQuestion.options?.some((o) => o.value === value))
        problems.push({
          path: `/legalFinalites/values/${i}`,
          message: `question ${finalitesQuestion.id} has no option ${value}`,
        });
    });
  }

  const checkTexts = (variants: readonly TextVariant[], path: string) => {
    variants.forEach((variant, i) => {
      checkCondition(variant.when, `${path}/${i}/when`, DERIVED_FACTS);
      for (const locale of ['fr', 'en'] as const) {
        for (const match of variant[locale].matchAll(/\{(\w+)\}/g)) {
          if (!(PLACEHOLDERS as readonly string[]).includes(match[1]))
            problems.push({ path: `${path}/${i}/${locale}`, message: `unknown placeholder {${match[1]}}` });
        }
      }
    });
  };
  const ruleIds = new Set<string>();
  rules.rules.forEach((rule, i) => {
    if (ruleIds.has(rule.id))
      problems.push({ path: `/rules/${i}/id`, message: `rule ${rule.id} defined twice` });
    ruleIds.add(rule.id);
    checkCondition(rule.when, `/rules/${i}/when`, ['finalites_retenues']);
    checkSources(rule.sources, `/rules/${i}/sources`);
  });
  checkSources(rules.eligible.sources, '/eligible/sources');
  rules.typologies.forEach((typology, i) => {
    checkCondition(typology.when, `/typologies/${i}/when`, ['finalites_retenues']);
    checkTexts([typology.description], `/typologies/${i}/description`);
    checkSources(typology.sources, `/typologies/${i}/sources`);
  });
  const last = rules.typologies[rules.typologies.length - 1];
  if (last?.when)
    problems.push({
      path: `/typologies/${rules.typologies.length - 1}/when`,
      message: 'the last typology must have no condition',
    });

  rules.orientation.forEach((mapping, i) => {
    if (!questions.has(mapping.from) && !(DERIVED_FACTS as readonly string[]).includes(mapping.from))
      problems.push({ path: `/orientation/${i}/from`, message: `unknown answer or fact ${mapping.from}` });
  });

  rules.roadmap.forEach((step, i) => {
    checkCondition(step.when, `/roadmap/${i}/when`, DERIVED_FACTS);
    checkTexts(step.text, `/roadmap/${i}/text`);
    checkTexts(step.prepare, `/roadmap/${i}/prepare`);
    checkSources(step.sources, `/roadmap/${i}/sources`);
  });
  rules.vigilance.forEach((point, i) => {
    checkCondition(point.when, `/vigilance/${i}/when`, DERIVED_FACTS);
    checkTexts(point.text, `/vigilance/${i}/text`);
    checkSources(point.sources, `/vigilance/${i}/sources`);
  });
  return problems;
}
