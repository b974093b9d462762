/**
 * Data files: the rules that follow regulation (referentials, FHIR profiles, value sets, thresholds) are
 * YAML files checked against a TypeBox schema when they are loaded. A file that does not conform is refused
 * with every problem at once, each with its file, line and path, so the person who edits it can fix it.
 */
import { readFileSync } from 'node:fs';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { isNode, LineCounter, parseDocument } from 'yaml';

export interface DataFileProblem {
  file: string;
  line: number;
  /** JSON pointer of the value concerned (`/elements/3/min`), empty for the whole file. */
  path: string;
  message: string;
}

export class DataFileError extends Error {
  readonly problems: DataFileProblem[];
  constructor(problems: DataFileProblem[]) {
    super(
      `Fichier de données refusé :\n${problems.map((p) => `  ${p.file}:${p.line} ${p.path || '/'} — ${p.message}`).join('\n')}`,
    );
    this.name = 'DataFileError';
    this.problems = problems;
  }
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Parses YAML text and checks it against a schema; `file` names the source in the problems. */
export function parseDataFile<S extends TSchema>(text: string, schema: S, file: string): Static<S> {
  return parseLocatedDataFile(text, schema, file).value;
}

/**
 * Like `parseDataFile`, and also gives the line of any JSON pointer in the file, for the checks that come
 * after the schema (a reference to an unknown id, a duplicate) to say where they are.
 */
export function parseLocatedDataFile<S extends TSchema>(
  text: string,
  schema: S,
  file: string,
): { value: Static<S>; lineOf(pointer: string): number } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  const problems: DataFileProblem[] = [];
  // The first syntax errors are the useful ones: the rest usually follow from them.
  for (const error of doc.errors.slice(0, 5)) {
    problems.push({
      file,
      line: error.linePos?.[0].line ?? 1,
      path: '',
      message: error.message.split('\n')[0],
    });
  }
  if (problems.length > 0) throw new DataFileError(problems);
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  const lineOf = (pointer: string): number => {
    const segments = pointerSegments(pointer);
    // The deepest node that exists: for a missing property, the object that lacks it.
    for (let length = segments.length; length >= 0; length--) {
      const node = length === 0 ? doc.contents : doc.getIn(segments.slice(0, length), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return 1;
  };
  const seen = new Set<string>();
  for (const error of Value.Errors(schema, value)) {
    // One problem per path: a missing property also fails its type check, which says nothing more.
    if (seen.has(error.path)) continue;
    seen.add(error.path);
    problems.push({ file, line: lineOf(error.path), path: error.path, message: error.message });
    if (problems.length >= 50) break;
  }
  if (problems.length > 0) throw new DataFileError(problems);
  return { value: value as Static<S>, lineOf };
}

export function loadDataFile<S extends TSchema>(path: string, schema: S, displayName = path): Static<S> {
  return parseDataFile(readFileSync(path, 'utf8'), schema, displayName);
}
