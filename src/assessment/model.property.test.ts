// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadReferentials } from '../referential/files.ts';
import {
  applicability,
  type Condition,
  type Criterion,
  evaluateCondition,
  mayBeNotApplicable,
  type OrientationAnswers,
  type Question,
  type ReferentialVersion,
} from '../referential/model.ts';
import { RUBRIQUES } from '../referential/schema.ts';
import {
  ANSWER_STATUSES,
  type AssessmentInput,
  type CriterionAnswer,
  type Evaluation,
  evaluateAssessment,
} from './model.ts';

/**
 * Invariants of applicability and readiness, over generated versions (questionnaires, conditions, levels)
 * and over the newest shipped version, with generated orientations and answers.
 */

const localized = (text: string) => ({ fr: text, en: text });

// ── generated versions ──────────────────────────────────────────────────────────────────────────────────

const questionArb = (index: number): fc.Arbitrary<Question> =>
  fc.constantFrom('boolean', 'choice', 'multi').map((type) => ({
    id: `q${index}`,
    label: localized(`Question ${index}`),
    type: type as Question['type'],
    ...(type === 'boolean'
      ? {}
      : { options: ['a', 'b', 'c'].map((value) => ({ value, label: localized(value) })) }),
  }));

function leafArb(questions: Question[]): fc.Arbitrary<Condition> {
  return fc.constantFrom(...questions).chain((question): fc.Arbitrary<Condition> => {
    if (question.type === 'boolean') {
      return fc.oneof(
        fc.boolean().map((equals) => ({ question: question.id, equals })),
        fc.constant({ question: question.id }),
      );
    }
    const values = (question.options ?? []).map((o) => o.value);
    return fc.oneof(
      fc.constantFrom(...values).map((equals) => ({ question: question.id, equals })),
      fc.subarray(values, { minLength: 1 }).map((list) => ({ question: question.id, in: list })),
    );
  });
}

function conditionArb(questions: Question[]): fc.Arbitrary<Condition> {
  const { condition } = fc.letrec<{ condition: Condition }>((tie) => ({
    condition: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leafArb(questions),
      fc.constant({ always: true as const }),
      fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
      fc.array(tie('condition'), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
      tie('condition').map((not) => ({ not })),
    ),
  }));
  return condition;
}

const versionArb: fc.Arbitrary<ReferentialVersion> = fc
  .integer({ min: 1, max: 5 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => questionArb(i))))
  .chain((questions) =>
    fc
      .tuple(
        // Some questions are asked only after an answer to an earlier one.
        fc.tuple(
          ...questions.map((_, i) =>
            i === 0 ? fc.constant(undefined) : fc.option(leafArb(questions.slice(0, i)), { nil: undefined }),
          ),
        ),
        fc.array(
          fc.record({
            rubrique: fc.constantFrom(...RUBRIQUES),
            level: fc.constantFrom('obligatoire', 'optionnel' as const),
            appliesWhen: fc.option(conditionArb(questions), { nil: undefined }),
            notApplicableWhen: fc.option(conditionArb(questions), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
      )
      .map(([showWhens, criteria]) => ({
        id: 'generated',
        title: localized('Generated'),
        status: 'demonstration' as const,
        legalSource: { text: 'test', date: '2024-01-01' },
        effectiveDate: '2024-01-01',
        rubriques: [],
        questionnaire: questions.map((q, i) => (showWhens[i] ? { ...q, showWhen: showWhens[i] } : q)),
        finalites: [],
        dataCategories: [],
        criteria: criteria.map(
          (c, i): Criterion => ({
            id: `C ${String(i + 1).padStart(2, '0')}`,
            rubrique: c.rubrique,
            theme: 'theme',
            part: 'base',
            title: localized(`Criterion ${i + 1}`),
            requirement: localized('Requirement'),
            level: c.level,
            ...(c.appliesWhen ? { appliesWhen: c.appliesWhen } : {}),
            ...(c.notApplicableWhen ? { notApplicableWhen: c.notApplicableWhen } : {}),
            evidence: ['document'],
            guidance: localized('Guidance'),
            source: 'test',
          }),
        ),
      })),
  );

const shipped = loadReferentials().newest();
/** Generated versions most of the time, the newest shipped one otherwise. */
const anyVersion = fc.oneof(
  { weight: 3, arbitrary: versionArb },
  { weight: 1, arbitrary: fc.constant(shipped) },
);

// ── orientations and answers ────────────────────────────────────────────────────────────────────────────

function answerOf(question: Question): fc.Arbitrary<boolean | string | string[]> {
  const values = (question.options ?? []).map((o) => o.value);
  if (question.type === 'boolean') return fc.boolean();
  if (question.type === 'choice') return fc.constantFrom(...values);
  return fc.subarray(values);
}

/** Answers to some of the questions (complete: to all of them). */
function orientationArb(version: ReferentialVersion, complete = false): fc.Arbitrary<OrientationAnswers> {
  const model: Record<string, fc.Arbitrary<boolean | string | string[]>> = {};
  for (const question of version.questionnaire) model[question.id] = answerOf(question);
  return fc.record(model, complete ? {} : { requiredKeys: [] }).map((o) => ({ ...o }));
}

const evidenceArb = fc.oneof(
  fc.constant({ kind: 'url' as const, url: 'https://exemple.fr/preuve' }),
  fc.constant({ kind: 'text' as const, text: 'déclaration' }),
  fc.constant({ kind: 'file' as const, name: 'preuve.pdf' }),
);

const answerArb: fc.Arbitrary<CriterionAnswer> = fc
  .record(
    {
      status: fc.constantFrom(...ANSWER_STATUSES),
      justification: fc.constantFrom('', '  ', 'Justifié.'),
      evidence: fc.array(evidenceArb, { maxLength: 2 }),
      targetDate: fc.constant('2025-06-30'),
    },
    { requiredKeys: ['evidence'] },
  )
  .map((a) => ({ ...a }));

function answersArb(version: ReferentialVersion): fc.Arbitrary<AssessmentInput['answers']> {
  const model: Record<string, fc.Arbitrary<CriterionAnswer>> = {};
  for (const criterion of version.criteria) model[criterion.id] = answerArb;
  // An answer to a criterion the version does not have is kept aside, never counted.
  return fc.record({ ...model, 'ZZZ 99': answerArb }, { requiredKeys: [] }).map((a) => ({ ...a }));
}

const assessmentArb = anyVersion.chain((version) =>
  fc.record({
    version: fc.constant(version),
    input: fc.record({ orientation: orientationArb(version), answers: answersArb(version) }),
  }),
);

/** What the rules say of a criterion's answer, written independently of the model. */
function satisfied(
  criterion: Criterion,
  answer: CriterionAnswer | undefined,
  orientation: OrientationAnswers,
): boolean {
  if (answer?.status === 'conforme') return answer.evidence.length > 0;
  if (answer?.status === 'non-applicable') {
    return mayBeNotApplicable(criterion, orientation) && (answer.justification ?? '').trim() !== '';
  }
  return false;
}

/** The parts of an evaluation a person sees, in a form that does not depend on key order. */
function outcome(evaluation: Evaluation) {
  return {
    criteria: evaluation.criteria.map((c) => [c.criterion.id, c.state, c.blocking, c.reason.fr]),
    notApplicable: evaluation.notApplicable.map((c) => [c.criterion.id, c.reason.en]),
    byRubrique: evaluation.byRubrique,
    missing: evaluation.missingQuestions.map((q) => q.id),
    stray: [...evaluation.strayAnswers].sort(),
    ready: evaluation.ready,
    counts: evaluation.counts,
  };
}

/** The same object with its keys in another order. */
function reorder<T extends object>(value: T, order: number[]): T {
  const entries = Object.entries(value);
  const ranked = entries.map((entry, i) => ({ entry, rank: order[i % Math.max(1, order.length)] ?? i }));
  ranked.sort((a, b) => a.rank - b.rank);
  return Object.fromEntries(ranked.map((r) => r.entry)) as T;
}

describe('assessment properties', () => {
  it('applicability is deterministic and does not depend on the order of the answers', () => {
    fc.assert(
      fc.property(
        assessmentArb,
        fc.array(fc.nat(), { minLength: 1, maxLength: 20 }),
        ({ version, input }, order) => {
          const first = evaluateAssessment(version, input);
          const again = evaluateAssessment(version, structuredClone(input));
          assert.deepEqual(outcome(again), outcome(first));
          const shuffled = {
            orientation: reorder(input.orientation, order),
            answers: reorder(input.answers, [...order].reverse()),
          };
          assert.deepEqual(outcome(evaluateAssessment(version, shuffled)), outcome(first));
          assert.deepEqual(
            applicability(version, shuffled.orientation).map((a) => [a.criterion.id, a.applies]),
            applicability(version, input.orientation).map((a) => [a.criterion.id, a.applies]),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('readiness is false whenever an applicable mandatory criterion lacks a conforme answer with evidence or a permitted, justified non applicable', () => {
    fc.assert(
      fc.property(assessmentArb, ({ version, input }) => {
        const evaluation = evaluateAssessment(version, input);
        const lacking = version.criteria.filter(
          (c) =>
            c.level === 'obligatoire' &&
            evaluateCondition(c.appliesWhen, input.orientation) &&
            !satisfied(c, input.answers[c.id], input.orientation),
        );
        if (lacking.length > 0) assert.equal(evaluation.ready, false);
        // And the model names exactly those as blocking.
        assert.deepEqual(
          evaluation.criteria.filter((c) => c.blocking).map((c) => c.criterion.id),
          lacking.map((c) => c.id),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('readiness is true when every applicable mandatory criterion is conforme with evidence and the orientation is complete', () => {
    const arb = anyVersion.chain((version) =>
      fc.record({
        version: fc.constant(version),
        orientation: orientationArb(version, true),
        answers: answersArb(version),
        evidence: fc.array(evidenceArb, { minLength: 1, maxLength: 2 }),
      }),
    );
    fc.assert(
      fc.property(arb, ({ version, orientation, answers, evidence }) => {
        const completed = { ...answers };
        for (const { criterion, applies } of applicability(version, orientation)) {
          if (applies && criterion.level === 'obligatoire') {
            completed[criterion.id] = { ...completed[criterion.id], status: 'conforme', evidence };
          }
        }
        const evaluation = evaluateAssessment(version, { orientation, answers: completed });
        assert.deepEqual(evaluation.missingQuestions, []);
        assert.equal(evaluation.ready, true);
        assert.equal(evaluation.counts.blocking, 0);
      }),
      { numRuns: 500 },
    );
  });

  it('an answer to an optional criterion never changes readiness', () => {
    const arb = assessmentArb
      .filter(({ version }) => version.criteria.some((c) => c.level === 'optionnel'))
      .chain(({ version, input }) =>
        fc.record({
          version: fc.constant(version),
          input: fc.constant(input),
          optional: fc.constantFrom(...version.criteria.filter((c) => c.level === 'optionnel')),
          answer: answerArb,
        }),
      );
    fc.assert(
      fc.property(arb, ({ version, input, optional, answer }) => {
        const before = evaluateAssessment(version, input);
        const after = evaluateAssessment(version, {
          ...input,
          answers: { ...input.answers, [optional.id]: answer },
        });
        assert.equal(after.ready, before.ready);
        assert.equal(after.counts.blocking, before.counts.blocking);
      }),
      { numRuns: 500 },
    );
  });
});
