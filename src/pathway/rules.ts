/**
 * Loading the pathway's rules from `rules.yaml`: checked against the schema, then for consistency (unknown
 * sources, questions, options or placeholders); every problem reported at once with its file and line.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataFileError, parseLocatedDataFile } from '../platform/datafile.ts';
import { checkRules, type PathwayRules } from './model.ts';
import { PathwayRulesSchema } from './schema.ts';

export const SHIPPED_RULES_FILE = fileURLToPath(new URL('./rules.yaml', import.meta.url));

/** Parses and checks a rules text; `file` names it in the problems. */
export function parsePathwayRules(text: string, file: string): PathwayRules {
  const { value, lineOf } = parseLocatedDataFile(text, PathwayRulesSchema, file);
  const problems = checkRules(value);
  if (problems.length > 0) {
    throw new DataFileError(
      problems.map((p) => ({ file, line: lineOf(p.path), path: p.path, message: p.message })),
    );
  }
  return value;
}

/** Reads the rules (the shipped file by default). */
export function loadPathwayRules(path = SHIPPED_RULES_FILE): PathwayRules {
  return parsePathwayRules(readFileSync(path, 'utf8'), relative(process.cwd(), path) || path);
}
