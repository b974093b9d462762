/**
 * The categories of a citizen's report (`complaint-categories.yaml`), checked against their schema when they
 * are loaded: they follow the referencing requirements, so they are data, not code.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Static, Type } from '@sinclair/typebox';
import { DataFileError, parseLocatedDataFile } from '../platform/datafile.ts';
import { RUBRIQUES } from '../referential/schema.ts';
import type { ComplaintCategory } from './complaint-model.ts';

const Localized = Type.Object(
  { fr: Type.String({ minLength: 1, maxLength: 500 }), en: Type.String({ minLength: 1, maxLength: 500 }) },
  { additionalProperties: false },
);

export const ComplaintCategoriesSchema = Type.Object(
  {
    version: Type.String({ minLength: 1 }),
    categories: Type.Array(
      Type.Object(
        {
          code: Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' }),
          label: Localized,
          hint: Localized,
          rubriques: Type.Array(Type.Union(RUBRIQUES.map((r) => Type.Literal(r))), { minItems: 1 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 30 },
    ),
  },
  { additionalProperties: false },
);
export type ComplaintCategoriesFile = Static<typeof ComplaintCategoriesSchema>;

export const DEFAULT_COMPLAINT_CATEGORIES = fileURLToPath(
  new URL('./complaint-categories.yaml', import.meta.url),
);

/** Loads and checks the categories; codes must be unique (the schema cannot say it). */
export function loadComplaintCategories(path = DEFAULT_COMPLAINT_CATEGORIES): ComplaintCategory[] {
  const { value: file, lineOf } = parseLocatedDataFile(
    readFileSync(path, 'utf8'),
    ComplaintCategoriesSchema,
    path,
  );
  const seen = new Set<string>();
  const problems = [];
  for (const [i, c] of file.categories.entries()) {
    const at = `/categories/${i}/code`;
    if (seen.has(c.code))
      problems.push({ file: path, line: lineOf(at), path: at, message: `duplicate code ${c.code}` });
    seen.add(c.code);
  }
  if (problems.length > 0) throw new DataFileError(problems);
  return file.categories;
}
