/**
 * Referential versions and the pure rules over them: which orientation questions are asked, which criteria
 * apply and why, and how two versions differ. Takes plain data, no I/O.
 */
import type { Locale } from '../platform/i18n.ts';
import type { Condition, Criterion, LocalizedText, Question, ReferentialFile, Rubrique } from './schema.ts';

export type { Condition, Criterion, LocalizedText, Question, Rubrique };

/** A version with its base resolved: everything it holds, inherited or its own. */
export interface ReferentialVersion {
  id: string;
  title: LocalizedText;
  status: 'official' | 'demonstration';
  legalSource: { text: string; date: string };
  effectiveDate: string;
  basedOn?: string;
  rubriques: NonNullable<ReferentialFile['rubriques']>;
  questionnaire: Question[];
  finalites: NonNullable<ReferentialFile['finalites']>;
  dataCategories: NonNullable<ReferentialFile['dataCategories']>;
  criteria: Criterion[];
}

/** Answers to the orientation questionnaire: yes/no, one option, or several options. */
export type OrientationAnswers = Record<string, boolean | string | string[] | undefined>;

export function evaluateCondition(condition: Condition | undefined, answers: OrientationAnswers): boolean {
  if (!condition) return true;
  if ('always' in condition) return true;
  if ('all' in condition) return (condition.all as Condition[]).every((c) => evaluateCondition(c, answers));
  if ('any' in condition) return (condition.any as Condition[]).some((c) => evaluateCondition(c, answers));
  if ('not' in condition) return !evaluateCondition(condition.not as Condition, answers);
  const answer = answers[condition.question];
  if (condition.equals !== undefined) {
    return Array.isArray(answer) ? answer.includes(String(condition.equals)) : answer === condition.equals;
  }
  if (condition.in) {
    const wanted = condition.in;
    if (Array.isArray(answer)) return answer.some((value) => wanted.includes(value));
    return typeof answer === 'string' && wanted.includes(answer);
  }
  return answer !== undefined;
}

/** The questions asked for these answers, in order (a question shows when its condition holds). */
export function visibleQuestions(version: ReferentialVersion, answers: OrientationAnswers): Question[] {
  return version.questionnaire.filter((question) => evaluateCondition(question.showWhen, answers));
}

/** Questions asked but not answered yet. */
export function missingAnswers(version: ReferentialVersion, answers: OrientationAnswers): Question[] {
  return visibleQuestions(version, answers).filter((question) => {
    const answer = answers[question.id];
    return answer === undefined || (question.type !== 'multi' && answer === '');
  });
}

function answerLabel(question: Question | undefined, value: unknown, locale: Locale): string {
  if (typeof value === 'boolean')
    return value ? (locale === 'fr' ? 'oui' : 'yes') : locale === 'fr' ? 'non' : 'no';
  const option = question?.options?.find((o) => o.value === value);
  return option ? option.label[locale] : String(value);
}

/** A condition said in words, with the question labels and answers: why a criterion applies. */
export function describeCondition(
  version: ReferentialVersion,
  condition: Condition | undefined,
  locale: Locale,
): string {
  if (!condition || 'always' in condition) {
    return locale === 'fr' ? 's’applique à tout service' : 'applies to every service';
  }
  const join = (parts: Condition[], word: { fr: string; en: string }) =>
    parts.map((part) => describeCondition(version, part, locale)).join(` ${word[locale]} `);
  if ('all' in condition) return join(condition.all as Condition[], { fr: 'et', en: 'and' });
  if ('any' in condition) return `(${join(condition.any as Condition[], { fr: 'ou', en: 'or' })})`;
  if ('not' in condition) {
    return `${locale === 'fr' ? 'pas' : 'not'} (${describeCondition(version, condition.not as Condition, locale)})`;
  }
  const question = version.questionnaire.find((q) => q.id === condition.question);
  const label = question ? question.label[locale] : condition.question;
  // French puts a space before the colon, English does not.
  const colon = locale === 'fr' ? ' : ' : ': ';
  if (condition.equals !== undefined)
    return `${label}${colon}${answerLabel(question, condition.equals, locale)}`;
  if (condition.in) {
    const values = condition.in.map((value) => answerLabel(question, value, locale));
    return `${label}${colon}${values.join(locale === 'fr' ? ' ou ' : ' or ')}`;
  }
  return label;
}

export interface Applicability {
  criterion: Criterion;
  applies: boolean;
  /** Why it applies (or not), in both languages. */
  reason: LocalizedText;
}

/** Every criterion of the version, whether it applies to a service with these answers, and why. */
export function applicability(version: ReferentialVersion, answers: OrientationAnswers): Applicability[] {
  return version.criteria.map((criterion) => {
    let reason: LocalizedText | undefined;
    return {
      criterion,
      applies: evaluateCondition(criterion.appliesWhen, answers),
      // Said in words only when someone reads it: evaluations that only count need not pay for it.
      get reason(): LocalizedText {
        reason ??= {
          fr: describeCondition(version, criterion.appliesWhen, 'fr'),
          en: describeCondition(version, criterion.appliesWhen, 'en'),
        };
        return reason;
      },
    };
  });
}

export function applicableCriteria(version: ReferentialVersion, answers: OrientationAnswers): Criterion[] {
  return version.criteria.filter((criterion) => evaluateCondition(criterion.appliesWhen, answers));
}

/** Whether a criterion may be answered « non applicable » for these answers. */
export function mayBeNotApplicable(criterion: Criterion, answers: OrientationAnswers): boolean {
  if (criterion.level === 'optionnel') return true;
  return criterion.notApplicableWhen !== undefined && evaluateCondition(criterion.notApplicableWhen, answers);
}

export interface CriterionChange {
  id: string;
  /** The fields that differ (title, requirement, level, appliesWhen…). */
  fields: string[];
  before: Criterion;
  after: Criterion;
}

export interface VersionDiff {
  from: string;
  to: string;
  added: Criterion[];
  removed: Criterion[];
  changed: CriterionChange[];
}

const CRITERION_FIELDS: (keyof Criterion)[] = [
  'rubrique',
  'theme',
  'part',
  'title',
  'requirement',
  'level',
  'targetLevels',
  'appliesWhen',
  'notApplicableWhen',
  'evidence',
  'guidance',
  'source',
];

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Criteria added, removed and changed from one version to another. */
export function diffVersions(from: ReferentialVersion, to: ReferentialVersion): VersionDiff {
  const before = new Map(from.criteria.map((c) => [c.id, c]));
  const after = new Map(to.criteria.map((c) => [c.id, c]));
  const changed: CriterionChange[] = [];
  for (const [id, criterion] of after) {
    const previous = before.get(id);
    if (!previous) continue;
    const fields = CRITERION_FIELDS.filter((field) => !same(previous[field], criterion[field]));
    if (fields.length > 0) changed.push({ id, fields, before: previous, after: criterion });
  }
  return {
    from: from.id,
    to: to.id,
    added: to.criteria.filter((c) => !before.has(c.id)),
    removed: from.criteria.filter((c) => !after.has(c.id)),
    changed,
  };
}

/** Resolves a version file against its base (already resolved): inherited parts, criteria added or replaced. */
export function resolveVersion(file: ReferentialFile, base?: ReferentialVersion): ReferentialVersion {
  const removed = new Set(file.removedCriteria ?? []);
  const criteria = new Map<string, Criterion>();
  for (const criterion of base?.criteria ?? [])
    if (!removed.has(criterion.id)) criteria.set(criterion.id, criterion);
  for (const criterion of file.criteria ?? []) criteria.set(criterion.id, criterion);
  return {
    id: file.id,
    title: file.title,
    status: file.status,
    legalSource: file.legalSource,
    effectiveDate: file.effectiveDate,
    basedOn: file.basedOn,
    rubriques: file.rubriques ?? base?.rubriques ?? [],
    questionnaire: file.questionnaire ?? base?.questionnaire ?? [],
    finalites: file.finalites ?? base?.finalites ?? [],
    dataCategories: file.dataCategories ?? base?.dataCategories ?? [],
    criteria: [...criteria.values()],
  };
}

/** Consistency problems of a resolved version: each with the JSON pointer (in its own file) concerned. */
export function checkVersion(
  version: ReferentialVersion,
  file: ReferentialFile,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const questions = new Map<string, Question>();
  version.questionnaire.forEach((question, index) => {
    if (questions.has(question.id))
      problems.push({ path: `/questionnaire/${index}/id`, message: `question ${question.id} defined twice` });
    questions.set(question.id, question);
    if (question.type !== 'boolean' && !question.options) {
      problems.push({ path: `/questionnaire/${index}`, message: `question ${question.id} needs options` });
    }
  });
  const checkCondition = (condition: Condition | undefined, path: string) => {
    if (!condition || 'always' in condition) return;
    if ('all' in condition) {
      (condition.all as Condition[]).forEach((c, i) => {
        checkCondition(c, `${path}/all/${i}`);
      });
      return;
    }
    if ('any' in condition) {
      (condition.any as Condition[]).forEach((c, i) => {
        checkCondition(c, `${path}/any/${i}`);
      });
      return;
    }
    if ('not' in condition) return checkCondition(condition.not as Condition, `${path}/not`);
    const question = questions.get(condition.question);
    if (!question) {
      problems.push({ path: `${path}/question`, message: `unknown question ${condition.question}` });
      return;
    }
    const values = [
      ...(condition.in ?? []),
      ...(typeof condition.equals === 'string' ? [condition.equals] : []),
    ];
    for (const value of values) {
      if (!question.options?.some((option) => option.value === value)) {
        problems.push({ path, message: `question ${question.id} has no option ${value}` });
      }
    }
    if (typeof condition.equals === 'boolean' && question.type !== 'boolean') {
      problems.push({ path, message: `question ${question.id} is not a yes/no question` });
    }
  };
  version.questionnaire.forEach((question, index) => {
    checkCondition(question.showWhen, `/questionnaire/${index}/showWhen`);
  });
  const themes = new Map(version.rubriques.map((r) => [r.id, new Set(r.themes.map((t) => t.id))]));
  const ownIndex = new Map((file.criteria ?? []).map((c, i) => [c.id, i]));
  const seen = new Set<string>();
  (file.criteria ?? []).forEach((criterion, index) => {
    if (seen.has(criterion.id))
      problems.push({ path: `/criteria/${index}/id`, message: `criterion ${criterion.id} defined twice` });
    seen.add(criterion.id);
  });
  for (const criterion of version.criteria) {
    const index = ownIndex.get(criterion.id);
    if (index === undefined) continue;
    const path = `/criteria/${index}`;
    if (!themes.get(criterion.rubrique)?.has(criterion.theme)) {
      problems.push({
        path: `${path}/theme`,
        message: `no theme ${criterion.theme} in rubrique ${criterion.rubrique}`,
      });
    }
    checkCondition(criterion.appliesWhen, `${path}/appliesWhen`);
    checkCondition(criterion.notApplicableWhen, `${path}/notApplicableWhen`);
  }
  for (const id of file.removedCriteria ?? []) {
    if (ownIndex.has(id))
      problems.push({ path: '/removedCriteria', message: `criterion ${id} is both removed and defined` });
  }
  return problems;
}

/** Versions newest first (by effective date, then id). */
export function newestFirst(versions: ReferentialVersion[]): ReferentialVersion[] {
  return [...versions].sort(
    (a, b) => b.effectiveDate.localeCompare(a.effectiveDate) || b.id.localeCompare(a.id),
  );
}
