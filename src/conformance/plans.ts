/**
 * The connection-test plans (`plans/*.yaml`), one per API: data checked against their schema when they are
 * loaded. A test names the evaluator that decides it (`check`, a pure function of model.ts): a name that is
 * not one is refused at load, with its file and line, as is a missing translation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Static, Type } from '@sinclair/typebox';
import { DataFileError, type DataFileProblem, parseLocatedDataFile } from '../platform/datafile.ts';
import { ACTION_NAMES, CHECK_NAMES, type PlanRequirement, type TestPlan } from './model.ts';

const Localized = Type.Object(
  { fr: Type.String({ minLength: 1, maxLength: 2000 }), en: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const TestPlanSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' }),
    version: Type.Integer({ minimum: 1 }),
    title: Localized,
    requiredWhen: Type.Union([
      Type.Literal('always'),
      Type.Literal('measure-category'),
      Type.Literal('documents-category'),
    ]),
    /** The referencing criteria (ids of the referential) whose assessment a passing run of the plan supports. */
    evidenceFor: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 20 })),
    tests: Type.Array(
      Type.Object(
        {
          id: Type.String({ pattern: '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*$' }),
          title: Localized,
          instructions: Localized,
          check: Type.String({ minLength: 1 }),
          params: Type.Record(Type.String(), Type.Unknown()),
          action: Type.Optional(
            Type.Object(
              { id: Type.Union(ACTION_NAMES.map((a) => Type.Literal(a))), label: Localized },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
  },
  { additionalProperties: false },
);
export type TestPlanFile = Static<typeof TestPlanSchema>;

export const DEFAULT_PLANS_DIR = fileURLToPath(new URL('./plans', import.meta.url));

const REQUIREMENT_ORDER: PlanRequirement[] = ['always', 'measure-category', 'documents-category'];

/**
 * Parses and checks one plan: the schema, then what it cannot say (a known evaluator, test ids unique and
 * prefixed by the plan's id). Every problem at once.
 */
export function parsePlan(text: string, file: string): TestPlan {
  const { value: plan, lineOf } = parseLocatedDataFile(text, TestPlanSchema, file);
  const problems: DataFileProblem[] = [];
  const seen = new Set<string>();
  for (const [i, test] of plan.tests.entries()) {
    if (!CHECK_NAMES.includes(test.check)) {
      const at = `/tests/${i}/check`;
      problems.push({
        file,
        line: lineOf(at),
        path: at,
        message: `unknown check ${test.check} (known: ${CHECK_NAMES.join(', ')})`,
      });
    }
    const at = `/tests/${i}/id`;
    if (!test.id.startsWith(`${plan.id}.`))
      problems.push({ file, line: lineOf(at), path: at, message: `test id must start with ${plan.id}.` });
    if (seen.has(test.id))
      problems.push({ file, line: lineOf(at), path: at, message: `duplicate test id ${test.id}` });
    seen.add(test.id);
  }
  if (problems.length > 0) throw new DataFileError(problems);
  return plan;
}

/**
 * Loads every plan of a folder (`*.yaml`), ordered as sessions show them: the plans always required first,
 * then those of the measure categories, then documents. Plan ids must be unique.
 */
export function loadPlans(dir = DEFAULT_PLANS_DIR): TestPlan[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const plans: TestPlan[] = [];
  const problems: DataFileProblem[] = [];
  for (const name of files) {
    const file = join(dir, name);
    try {
      const plan = parsePlan(readFileSync(file, 'utf8'), file);
      if (plans.some((p) => p.id === plan.id))
        problems.push({ file, line: 1, path: '/id', message: `duplicate plan id ${plan.id}` });
      else plans.push(plan);
    } catch (error) {
      if (error instanceof DataFileError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length > 0) throw new DataFileError(problems);
  return plans.sort(
    (a, b) =>
      REQUIREMENT_ORDER.indexOf(a.requiredWhen) - REQUIREMENT_ORDER.indexOf(b.requiredWhen) ||
      a.id.localeCompare(b.id),
  );
}
