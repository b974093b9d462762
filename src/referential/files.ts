/**
 * Loading the referential versions from their YAML files: each file checked against the schema, then
 * resolved against its base and checked for consistency; every problem is reported at once with its file,
 * line and path, and nothing is loaded when one file is wrong.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataFileError, type DataFileProblem, parseLocatedDataFile } from '../platform/datafile.ts';
import { checkVersion, newestFirst, type ReferentialVersion, resolveVersion } from './model.ts';
import { type ReferentialFile, ReferentialFileSchema } from './schema.ts';

/** The versions shipped with mesref. */
export const SHIPPED_REFERENTIALS_DIR = fileURLToPath(new URL('../../referentials/', import.meta.url));

export interface Referentials {
  /** Newest first. */
  versions: ReferentialVersion[];
  get(id: string): ReferentialVersion | undefined;
  /** The version that applies today (the newest). */
  newest(): ReferentialVersion;
}

export interface ReferentialSource {
  /** Shown in problems (a path relative to the working directory, or a name). */
  file: string;
  text: string;
}

export function buildReferentials(versions: ReferentialVersion[]): Referentials {
  const ordered = newestFirst(versions);
  const byId = new Map(ordered.map((version) => [version.id, version]));
  return {
    versions: ordered,
    get: (id) => byId.get(id),
    newest: () => {
      if (ordered.length === 0) throw new Error('no referential version');
      return ordered[0];
    },
  };
}

/** Parses and resolves a set of version files (each may build on another of the set). */
export function parseReferentials(sources: ReferentialSource[]): Referentials {
  const problems: DataFileProblem[] = [];
  const parsed = new Map<
    string,
    { file: ReferentialFile; source: string; lineOf(pointer: string): number }
  >();
  for (const source of sources) {
    try {
      const { value, lineOf } = parseLocatedDataFile(source.text, ReferentialFileSchema, source.file);
      if (parsed.has(value.id)) {
        problems.push({
          file: source.file,
          line: lineOf('/id'),
          path: '/id',
          message: `version ${value.id} defined twice`,
        });
      } else {
        parsed.set(value.id, { file: value, source: source.file, lineOf });
      }
    } catch (error) {
      if (error instanceof DataFileError) problems.push(...error.problems);
      else throw error;
    }
  }
  const resolved = new Map<string, ReferentialVersion>();
  const resolving = new Set<string>();
  const resolve = (id: string): ReferentialVersion | undefined => {
    const done = resolved.get(id);
    if (done) return done;
    const entry = parsed.get(id);
    if (!entry || resolving.has(id)) return undefined;
    resolving.add(id);
    let base: ReferentialVersion | undefined;
    if (entry.file.basedOn) {
      base = resolve(entry.file.basedOn);
      if (!base) {
        problems.push({
          file: entry.source,
          line: entry.lineOf('/basedOn'),
          path: '/basedOn',
          message: `unknown or circular base version ${entry.file.basedOn}`,
        });
      }
    }
    const version = resolveVersion(entry.file, base);
    for (const problem of checkVersion(version, entry.file)) {
      problems.push({
        file: entry.source,
        line: entry.lineOf(problem.path),
        path: problem.path,
        message: problem.message,
      });
    }
    resolved.set(id, version);
    return version;
  };
  for (const id of parsed.keys()) resolve(id);
  if (problems.length > 0) throw new DataFileError(problems);
  return buildReferentials([...resolved.values()]);
}

/** Loads every `*.yaml` of a folder. */
export function loadReferentials(dir = SHIPPED_REFERENTIALS_DIR): Referentials {
  const sources = readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      return { file: relative(process.cwd(), path) || name, text: readFileSync(path, 'utf8') };
    });
  return parseReferentials(sources);
}
