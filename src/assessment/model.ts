/**
 * A service's self-assessment against one referential version, as pure rules: which criteria apply, the
 * state of each answer, progress per rubrique, the gaps, and readiness (every applicable mandatory criterion
 * « conforme » with evidence). The web assessment, `mesref check` and the reports all ask these functions.
 */
import {
  applicability,
  type Criterion,
  type LocalizedText,
  mayBeNotApplicable,
  missingAnswers,
  type OrientationAnswers,
  type Question,
  type ReferentialVersion,
  type Rubrique,
} from '../referential/model.ts';
import { RUBRIQUES } from '../referential/schema.ts';

export type AnswerStatus = 'conforme' | 'non-conforme' | 'non-applicable';
export const ANSWER_STATUSES: readonly AnswerStatus[] = ['conforme', 'non-conforme', 'non-applicable'];

/** A piece of evidence: a file kept by mesref, a URL, or a text (a declaration). */
export type Evidence =
  | { kind: 'file'; name: string; sha256?: string; size?: number; id?: string }
  | { kind: 'url'; url: string }
  | { kind: 'text'; text: string };

export interface CriterionAnswer {
  status?: AnswerStatus;
  justification?: string;
  evidence: Evidence[];
  /** For a gap: the date by which the publisher plans to close it (YYYY-MM-DD). */
  targetDate?: string;
}

export interface AssessmentInput {
  orientation: OrientationAnswers;
  answers: Record<string, CriterionAnswer | undefined>;
}

/**
 * - ready: answered so that readiness holds (conforme with evidence, or a permitted non applicable);
 * - unanswered, non-conforme, no-evidence: a gap;
 * - not-applicable-refused: « non applicable » on a mandatory criterion whose condition does not allow it;
 * - justification-missing: « non applicable » or « non conforme » without a justification.
 */
export type CriterionState =
  | 'ready'
  | 'unanswered'
  | 'non-conforme'
  | 'no-evidence'
  | 'not-applicable-refused'
  | 'justification-missing';

export interface CriterionEvaluation {
  criterion: Criterion;
  reason: LocalizedText;
  answer?: CriterionAnswer;
  state: CriterionState;
  /** A mandatory criterion in any state other than ready keeps the service from being ready. */
  blocking: boolean;
}

export interface RubriqueProgress {
  rubrique: Rubrique;
  applicable: number;
  answered: number;
  ready: number;
  mandatory: number;
  mandatoryReady: number;
}

export interface Evaluation {
  versionId: string;
  criteria: CriterionEvaluation[];
  /** Criteria that do not apply, for reports (with the reason they do not). */
  notApplicable: { criterion: Criterion; reason: LocalizedText }[];
  byRubrique: RubriqueProgress[];
  /** Orientation questions still to answer (applicability is incomplete until they are). */
  missingQuestions: Question[];
  /** Criteria answered for that are not applicable, or unknown to the version. */
  strayAnswers: string[];
  ready: boolean;
  counts: { applicable: number; mandatory: number; answered: number; ready: number; blocking: number };
}

function stateOf(
  criterion: Criterion,
  answer: CriterionAnswer | undefined,
  orientation: OrientationAnswers,
): CriterionState {
  if (!answer?.status) return 'unanswered';
  const justified = (answer.justification ?? '').trim().length > 0;
  switch (answer.status) {
    case 'conforme':
      return answer.evidence.length > 0 ? 'ready' : 'no-evidence';
    case 'non-conforme':
      return justified ? 'non-conforme' : 'justification-missing';
    case 'non-applicable':
      if (!mayBeNotApplicable(criterion, orientation)) return 'not-applicable-refused';
      return justified ? 'ready' : 'justification-missing';
  }
}

export function evaluateAssessment(version: ReferentialVersion, input: AssessmentInput): Evaluation {
  const criteria: CriterionEvaluation[] = [];
  const notApplicable: Evaluation['notApplicable'] = [];
  for (const item of applicability(version, input.orientation)) {
    const { criterion } = item;
    // The reason stays lazy: said in words only when a page or a report reads it.
    if (!item.applies) {
      notApplicable.push({
        criterion,
        get reason() {
          return item.reason;
        },
      });
      continue;
    }
    const answer = input.answers[criterion.id];
    const state = stateOf(criterion, answer, input.orientation);
    criteria.push({
      criterion,
      get reason() {
        return item.reason;
      },
      answer,
      state,
      blocking: criterion.level === 'obligatoire' && state !== 'ready',
    });
  }
  const byRubrique = RUBRIQUES.map((rubrique) => {
    const own = criteria.filter((c) => c.criterion.rubrique === rubrique);
    const mandatory = own.filter((c) => c.criterion.level === 'obligatoire');
    return {
      rubrique,
      applicable: own.length,
      answered: own.filter((c) => c.state !== 'unanswered').length,
      ready: own.filter((c) => c.state === 'ready').length,
      mandatory: mandatory.length,
      mandatoryReady: mandatory.filter((c) => c.state === 'ready').length,
    };
  });
  const applicableIds = new Set(criteria.map((c) => c.criterion.id));
  const strayAnswers = Object.keys(input.answers).filter(
    (id) => input.answers[id] !== undefined && !applicableIds.has(id),
  );
  const missingQuestions = missingAnswers(version, input.orientation);
  const blocking = criteria.filter((c) => c.blocking).length;
  return {
    versionId: version.id,
    criteria,
    notApplicable,
    byRubrique,
    missingQuestions,
    strayAnswers,
    ready: missingQuestions.length === 0 && blocking === 0,
    counts: {
      applicable: criteria.length,
      mandatory: criteria.filter((c) => c.criterion.level === 'obligatoire').length,
      answered: criteria.filter((c) => c.state !== 'unanswered').length,
      ready: criteria.filter((c) => c.state === 'ready').length,
      blocking,
    },
  };
}

/** The gaps of an evaluation: applicable criteria not ready, mandatory first, then by rubrique. */
export function gaps(evaluation: Evaluation): CriterionEvaluation[] {
  return evaluation.criteria
    .filter((c) => c.state !== 'ready')
    .sort(
      (a, b) =>
        Number(b.blocking) - Number(a.blocking) ||
        RUBRIQUES.indexOf(a.criterion.rubrique) - RUBRIQUES.indexOf(b.criterion.rubrique),
    );
}

/**
 * What changes for an assessment made on one version when it moves to another: the criteria that must be
 * answered again (new, or changed in what they ask), and the answers that no longer count.
 */
export function carryOver(
  from: ReferentialVersion,
  to: ReferentialVersion,
  input: AssessmentInput,
): { toAnswer: Criterion[]; dropped: string[]; kept: string[] } {
  const before = new Map(from.criteria.map((c) => [c.id, c]));
  const toAnswer: Criterion[] = [];
  const kept: string[] = [];
  const applicableNow = applicability(to, input.orientation).filter((a) => a.applies);
  for (const { criterion } of applicableNow) {
    const previous = before.get(criterion.id);
    const answered = input.answers[criterion.id]?.status !== undefined;
    const sameAsk =
      previous !== undefined &&
      JSON.stringify([previous.requirement, previous.level, previous.evidence]) ===
        JSON.stringify([criterion.requirement, criterion.level, criterion.evidence]);
    if (answered && sameAsk) kept.push(criterion.id);
    else toAnswer.push(criterion);
  }
  const applicableIds = new Set(applicableNow.map((a) => a.criterion.id));
  const dropped = Object.keys(input.answers).filter((id) => !applicableIds.has(id));
  return { toAnswer, dropped, kept };
}
