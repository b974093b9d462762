/**
 * The FHIR definitions mesref knows: every profile, extension and value set file under `src/fhir/profiles/`,
 * loaded once, checked against their schemas and against each other (a profile's base, the value sets its
 * bindings name, the invariants it lists), and indexed for the validator.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataFileError, type DataFileProblem, parseDataFile } from '../../platform/datafile.ts';
import { invariants } from './invariants.ts';
import {
  type ExtensionFile,
  ExtensionFileSchema,
  type ProfileFile,
  ProfileFileSchema,
  type ValueSetFile,
  ValueSetFileSchema,
} from './profile-schema.ts';

export interface CompiledValueSet {
  file: ValueSetFile;
  /** `system|code` of every enumerated concept, under the system and its aliases. */
  pairs: Set<string>;
  /** Bare codes, for elements of type `code` (no system). */
  codes: Set<string>;
  /** Systems included whole. */
  wholeSystems: Set<string>;
}

export interface Registry {
  profiles: Map<string, ProfileFile>;
  /** Canonical URLs and their aliases, without a `|version`, to profiles. */
  profileByUrl: Map<string, ProfileFile>;
  /** `system|code` to the profiles a resource with that code and no meta.profile most likely claims. */
  profilesByCode: Map<string, ProfileFile[]>;
  extensions: Map<string, ExtensionFile>;
  valueSets: Map<string, CompiledValueSet>;
}

export const PROFILES_DIR = fileURLToPath(new URL('../profiles/', import.meta.url));

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (name.endsWith('.yaml')) out.push(path);
  }
  return out;
}

type Definition =
  | { kind: 'profile'; file: string; def: ProfileFile }
  | { kind: 'extension'; file: string; def: ExtensionFile }
  | { kind: 'valueset'; file: string; def: ValueSetFile };

/** Parses one definition file, choosing its schema from its `kind`. */
export function parseDefinition(text: string, file: string): Definition {
  const kind = /^kind:\s*([a-z]+)\s*$/m.exec(text)?.[1];
  if (kind === 'profile') return { kind, file, def: parseDataFile(text, ProfileFileSchema, file) };
  if (kind === 'extension') return { kind, file, def: parseDataFile(text, ExtensionFileSchema, file) };
  if (kind === 'valueset') return { kind, file, def: parseDataFile(text, ValueSetFileSchema, file) };
  throw new DataFileError([
    { file, line: 1, path: '/kind', message: 'kind must be profile, extension or valueset' },
  ]);
}

export function stripVersion(url: string): string {
  const bar = url.indexOf('|');
  return bar === -1 ? url : url.slice(0, bar);
}

function compileValueSet(file: ValueSetFile): CompiledValueSet {
  const pairs = new Set<string>();
  const codes = new Set<string>();
  const wholeSystems = new Set<string>();
  for (const include of file.include) {
    const systems = [include.system, ...(include.systemAliases ?? [])];
    if (include.all) for (const system of systems) wholeSystems.add(system);
    for (const concept of include.concepts ?? []) {
      codes.add(concept.code);
      for (const system of systems) pairs.add(`${system}|${concept.code}`);
    }
  }
  return { file, pairs, codes, wholeSystems };
}

/** Builds the registry from definition files; every cross-reference problem is reported at once. */
export function buildRegistry(definitions: Definition[]): Registry {
  const registry: Registry = {
    profiles: new Map(),
    profileByUrl: new Map(),
    profilesByCode: new Map(),
    extensions: new Map(),
    valueSets: new Map(),
  };
  const problems: DataFileProblem[] = [];
  const fileOf = new Map<object, string>();
  const claim = <T>(map: Map<string, T>, key: string, value: T, file: string, what: string) => {
    if (map.has(key)) problems.push({ file, line: 1, path: '', message: `${what} ${key} defined twice` });
    else map.set(key, value);
  };
  for (const entry of definitions) {
    fileOf.set(entry.def, entry.file);
    if (entry.kind === 'profile') {
      claim(registry.profiles, entry.def.id, entry.def, entry.file, 'profile');
      for (const url of [entry.def.canonical, ...(entry.def.aliases ?? [])]) {
        if (url) claim(registry.profileByUrl, url, entry.def, entry.file, 'profile URL');
      }
    } else if (entry.kind === 'extension') {
      for (const url of [entry.def.url, ...(entry.def.aliases ?? [])]) {
        claim(registry.extensions, url, entry.def, entry.file, 'extension URL');
      }
    } else {
      const compiled = compileValueSet(entry.def);
      for (const url of [entry.def.url, ...(entry.def.aliases ?? [])]) {
        claim(registry.valueSets, url, compiled, entry.file, 'value set URL');
      }
    }
  }
  for (const profile of registry.profiles.values()) {
    const file = fileOf.get(profile) as string;
    if (profile.basedOn) {
      const base = registry.profiles.get(profile.basedOn);
      if (!base)
        problems.push({ file, line: 1, path: '/basedOn', message: `unknown profile ${profile.basedOn}` });
      else if (base.resourceType !== profile.resourceType) {
        problems.push({
          file,
          line: 1,
          path: '/basedOn',
          message: `${profile.basedOn} is not a ${profile.resourceType}`,
        });
      }
    }
    if (!profile.abstract && !profile.canonical) {
      problems.push({
        file,
        line: 1,
        path: '/canonical',
        message: 'a profile that is not abstract needs a canonical',
      });
    }
    for (const [index, key] of (profile.invariants ?? []).entries()) {
      if (!(key in invariants)) {
        problems.push({
          file,
          line: 1,
          path: `/invariants/${index}`,
          message: `no invariant ${key} in the engine`,
        });
      }
    }
    for (const [index, use] of (profile.extensions ?? []).entries()) {
      if (!registry.extensions.has(use.url)) {
        problems.push({
          file,
          line: 1,
          path: `/extensions/${index}/url`,
          message: `unknown extension ${use.url}`,
        });
      }
    }
    if (!profile.abstract) {
      for (const coding of profile.identifiedBy ?? []) {
        const key = `${coding.system}|${coding.code}`;
        const list = registry.profilesByCode.get(key) ?? [];
        list.push(profile);
        registry.profilesByCode.set(key, list);
      }
    }
  }
  // A cycle of bases would make the validator loop: refuse it.
  for (const profile of registry.profiles.values()) {
    const seen = new Set<string>();
    for (
      let current: ProfileFile | undefined = profile;
      current;
      current = registry.profiles.get(current.basedOn ?? '')
    ) {
      if (seen.has(current.id)) {
        problems.push({
          file: fileOf.get(profile) as string,
          line: 1,
          path: '/basedOn',
          message: 'cycle of bases',
        });
        break;
      }
      seen.add(current.id);
    }
  }
  if (problems.length > 0) throw new DataFileError(problems);
  return registry;
}

export function loadRegistry(dir = PROFILES_DIR): Registry {
  const problems: DataFileProblem[] = [];
  const definitions: Definition[] = [];
  for (const path of yamlFiles(dir)) {
    const file = relative(process.cwd(), path);
    try {
      definitions.push(parseDefinition(readFileSync(path, 'utf8'), file));
    } catch (error) {
      if (error instanceof DataFileError) problems.push(...error.problems);
      else throw error;
    }
  }
  if (problems.length > 0) throw new DataFileError(problems);
  return buildRegistry(definitions);
}

let shared: Registry | undefined;

/** The registry of the shipped definitions, loaded on first use (immutable afterwards). */
export function defaultRegistry(): Registry {
  shared ??= loadRegistry();
  return shared;
}

/** A profile followed by its bases, base first. */
export function profileChain(registry: Registry, profile: ProfileFile): ProfileFile[] {
  const chain: ProfileFile[] = [];
  for (
    let current: ProfileFile | undefined = profile;
    current;
    current = registry.profiles.get(current.basedOn ?? '')
  ) {
    chain.unshift(current);
  }
  return chain;
}
