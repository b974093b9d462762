/**
 * Applies a profile's rules (its element rules, slices, bindings, extensions and invariants, after those
 * of its bases) to one resource. Pure: takes JSON and the registry, pushes issues.
 */
import { checkInvariants } from './invariants.ts';
import {
  type IssueType,
  literal,
  type MessageParams,
  type Severity,
  type ValidationIssue,
} from './issues.ts';
import type { BindingSpec, ElementRule, ExtensionFile, ProfileFile } from './profile-schema.ts';
import { type CompiledValueSet, profileChain, type Registry } from './registry.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The IG version whose rules the validator applies; rules added after an earlier accepted version warn. */
export const TARGET_VERSIONS: Record<string, string> = { mesures: '3.1.1' };

export interface ProfileContext {
  registry: Registry;
  issues: ValidationIssue[];
}

function push(
  ctx: ProfileContext,
  severity: Severity,
  code: IssueType,
  messageId: string,
  expression: string,
  params?: MessageParams,
): void {
  ctx.issues.push(
    params ? { severity, code, messageId, expression, params } : { severity, code, messageId, expression },
  );
}

/** Errors for rules of the current version; a rule added by a later version only warns (earlier resources). */
function severityOf(since: string | undefined): Severity {
  return since ? 'warning' : 'error';
}

function sinceParam(since: string | undefined): { fr: string; en: string } {
  if (!since) return { fr: '', en: '' };
  return {
    fr: ` (exigé depuis la version ${since} ; accepté pour une ressource d’une version antérieure)`,
    en: ` (required since version ${since}; accepted for a resource of an earlier version)`,
  };
}

/** Finds the JSON key of a path segment: `value[x]` matches `valueQuantity`, another name itself. */
function keyOf(node: Json, segment: string): string | undefined {
  if (!segment.endsWith('[x]')) return segment in node ? segment : undefined;
  const prefix = segment.slice(0, -3);
  for (const key in node) {
    if (key.length > prefix.length && key.startsWith(prefix)) {
      const next = key.charCodeAt(prefix.length);
      if (next >= 65 && next <= 90) return key;
    }
  }
  return undefined;
}

interface Located {
  value: unknown;
  expression: string;
}

/** Every instance reached by following `segments` from `node` (arrays are walked through). */
function resolve(
  node: Json,
  expression: string,
  segments: readonly string[],
  depth: number,
  out: Located[],
): void {
  if (depth === segments.length) {
    out.push({ value: node, expression });
    return;
  }
  const key = keyOf(node, segments[depth]);
  if (key === undefined) return;
  const value = node[key];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (isObject(item)) resolve(item, `${expression}.${key}[${i}]`, segments, depth + 1, out);
    }
  } else if (isObject(value)) {
    resolve(value, `${expression}.${key}`, segments, depth + 1, out);
  }
}

/** FHIR pattern matching: primitives equal, objects key by key, each pattern array item matched by an item. */
export function matchesPattern(value: unknown, pattern: unknown): boolean {
  if (pattern === null || typeof pattern !== 'object') return value === pattern;
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value)) return false;
    return pattern.every((wanted) => value.some((item) => matchesPattern(item, wanted)));
  }
  if (!isObject(value)) return false;
  for (const key in pattern as Json) {
    if (!matchesPattern(value[key], (pattern as Json)[key])) return false;
  }
  return true;
}

/** Short text of a pattern for messages: `http://loinc.org|29463-7`, `kg`, or compact JSON. */
export function describePattern(pattern: unknown): string {
  if (typeof pattern !== 'object' || pattern === null) return String(pattern);
  const p = pattern as Json;
  if (Array.isArray(p.coding) && p.coding.length > 0) return p.coding.map(describePattern).join(', ');
  if (typeof p.system === 'string' && typeof p.code === 'string') return `${p.system}|${p.code}`;
  return JSON.stringify(pattern);
}

/** Reports where a value departs from a pattern, at the deepest element concerned. */
function checkPattern(
  ctx: ProfileContext,
  value: unknown,
  pattern: unknown,
  expression: string,
  since?: string,
): void {
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern) || !isObject(value)) {
    if (!matchesPattern(value, pattern)) {
      if (value === undefined) {
        push(ctx, severityOf(since), 'required', 'profile-pattern-missing', expression, {
          expected: describePattern(pattern),
          since: sinceParam(since),
        });
      } else {
        push(ctx, severityOf(since), 'value', 'profile-pattern', expression, {
          expected: describePattern(pattern),
          actual: literal(value),
          since: sinceParam(since),
        });
      }
    }
    return;
  }
  for (const key in pattern as Json) {
    const wanted = (pattern as Json)[key];
    const actual = value[key];
    if (Array.isArray(wanted)) {
      if (!matchesPattern(actual, wanted)) {
        for (const item of wanted) {
          if (!Array.isArray(actual) || !actual.some((candidate) => matchesPattern(candidate, item))) {
            push(ctx, severityOf(since), 'value', 'profile-pattern-item', `${expression}.${key}`, {
              expected: describePattern(item),
              since: sinceParam(since),
            });
          }
        }
      }
    } else {
      checkPattern(ctx, actual, wanted, `${expression}.${key}`, since);
    }
  }
}

function inValueSet(set: CompiledValueSet, system: unknown, code: unknown): boolean {
  if (typeof code !== 'string') return false;
  if (typeof system !== 'string') return set.codes.has(code);
  return set.wholeSystems.has(system) || set.pairs.has(`${system}|${code}`);
}

function allowedCodes(set: CompiledValueSet): string {
  const list: string[] = [];
  for (const include of set.file.include) {
    if (include.all) list.push(`${include.system}|*`);
    for (const concept of include.concepts ?? []) list.push(`${concept.code} (${concept.display})`);
  }
  return list.length <= 10 ? list.join(', ') : `${list.slice(0, 10).join(', ')}…`;
}

/** Checks a code, Coding, CodeableConcept or Quantity against a binding. */
function checkBinding(ctx: ProfileContext, value: unknown, binding: BindingSpec, expression: string): void {
  if (binding.strength !== 'required' && binding.strength !== 'extensible') return;
  const set = ctx.registry.valueSets.get(binding.valueSet);
  // A value set mesref does not enumerate (an external HL7 one) is not checked.
  if (!set) return;
  let ok: boolean;
  let at = expression;
  if (typeof value === 'string') ok = set.codes.has(value);
  else if (!isObject(value)) return;
  else if ('coding' in value || 'text' in value) {
    const list = Array.isArray(value.coding) ? value.coding.filter(isObject) : [];
    // A text-only concept is allowed by an extensible binding (no code fits), never by a required one.
    if (list.length === 0) ok = binding.strength === 'extensible';
    else ok = list.some((coding) => inValueSet(set, coding.system, coding.code));
    if (!ok && list.length === 1) at = `${expression}.coding[0]`;
  } else {
    ok = inValueSet(set, value.system, value.code);
  }
  if (ok) return;
  const params = { valueSet: set.file.title, url: set.file.url, allowed: allowedCodes(set) };
  if (binding.strength === 'required') push(ctx, 'error', 'code-invalid', 'binding-required', at, params);
  else push(ctx, 'warning', 'code-invalid', 'binding-extensible', at, params);
}

function checkReference(
  ctx: ProfileContext,
  value: unknown,
  types: readonly string[],
  expression: string,
): void {
  if (!isObject(value) || typeof value.reference !== 'string') return;
  const reference = value.reference;
  // `urn:uuid:` points inside a Bundle; its target is checked where the Bundle's entries are known.
  if (reference.startsWith('urn:') || reference.startsWith('#')) return;
  const parts = reference.split('/');
  const type = parts.length >= 2 ? parts[parts.length - 2] : '';
  const historyType =
    parts.length >= 4 && parts[parts.length - 2] === '_history' ? parts[parts.length - 4] : '';
  if (!types.includes(type) && !types.includes(historyType)) {
    push(ctx, 'error', 'value', 'reference-type', `${expression}.reference`, {
      reference,
      allowed: types.join(', '),
    });
  }
}

function count(value: unknown): number {
  return Array.isArray(value) ? value.length : value === undefined ? 0 : 1;
}

function applyRules(
  ctx: ProfileContext,
  rules: readonly ElementRule[],
  node: Json,
  expression: string,
): void {
  for (const rule of rules) applyRule(ctx, rule, node, expression);
}

interface CompiledRule {
  parentSegments: string[];
  last: string;
  /** The element's name without `[x]`. */
  base: string;
  regex?: RegExp;
}

// Rules are immutable data loaded once: their parsed form is kept beside them.
const compiledRules = new WeakMap<ElementRule, CompiledRule>();

function compileRule(rule: ElementRule): CompiledRule {
  let compiled = compiledRules.get(rule);
  if (!compiled) {
    const segments = rule.path.split('.');
    const last = segments[segments.length - 1];
    compiled = {
      parentSegments: segments.slice(0, -1),
      last,
      base: last.endsWith('[x]') ? last.slice(0, -3) : last,
      regex: rule.regex === undefined ? undefined : new RegExp(rule.regex),
    };
    compiledRules.set(rule, compiled);
  }
  return compiled;
}

function applyRule(ctx: ProfileContext, rule: ElementRule, node: Json, expression: string): void {
  const { parentSegments, last, base, regex } = compileRule(rule);
  const parents: Located[] = [];
  resolve(node, expression, parentSegments, 0, parents);
  for (const parent of parents) {
    const holder = parent.value as Json;
    const key = keyOf(holder, last);
    const name = key ?? base;
    const value = key === undefined ? undefined : holder[key];
    const n = count(value);
    const at = `${parent.expression}.${name}`;
    if (rule.min !== undefined && n < rule.min) {
      push(ctx, severityOf(rule.since), 'required', 'profile-min', at, {
        name: last,
        min: rule.min,
        count: n,
        since: sinceParam(rule.since),
      });
    }
    if (rule.max !== undefined && rule.max !== '*' && n > rule.max) {
      if (rule.max === 0) push(ctx, severityOf(rule.since), 'structure', 'profile-forbidden', at);
      else push(ctx, severityOf(rule.since), 'structure', 'profile-max', at, { max: rule.max, count: n });
    }
    const items = value === undefined ? [] : Array.isArray(value) ? value : [value];
    const itemExpression = (i: number) => (Array.isArray(value) ? `${at}[${i}]` : at);
    if (rule.types && key !== undefined && last.endsWith('[x]')) {
      const suffix = key.slice(base.length);
      if (!rule.types.some((type) => type.toLowerCase() === suffix.toLowerCase())) {
        push(ctx, 'error', 'structure', 'profile-type', at, {
          type: suffix,
          allowed: rule.types.map((type) => `${base}${type[0].toUpperCase()}${type.slice(1)}`).join(', '),
        });
        continue;
      }
    }
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (rule.pattern !== undefined) checkPattern(ctx, item, rule.pattern, itemExpression(i), rule.since);
      if (rule.binding) checkBinding(ctx, item, rule.binding, itemExpression(i));
      if (rule.referenceTypes) checkReference(ctx, item, rule.referenceTypes, itemExpression(i));
      if (regex && typeof item === 'string' && !regex.test(item)) {
        push(ctx, 'error', 'value', 'profile-regex', itemExpression(i), { value: item });
      }
    }
    if (rule.slices) {
      for (const slice of rule.slices) {
        let members = 0;
        for (let i = 0; i < items.length; i++) {
          const item = items[i];
          if (!matchesPattern(item, slice.match)) continue;
          members++;
          if (slice.elements && isObject(item))
            applyRules(ctx, slice.elements as ElementRule[], item, itemExpression(i));
        }
        const since = slice.since ?? rule.since;
        if (slice.min !== undefined && members < slice.min) {
          push(ctx, severityOf(since), 'required', 'slice-min', at, {
            slice: slice.name,
            min: slice.min,
            expected: describePattern(slice.match),
            since: sinceParam(since),
          });
        }
        if (slice.max !== undefined && slice.max !== '*' && members > slice.max) {
          push(ctx, 'error', 'structure', 'slice-max', at, {
            slice: slice.name,
            max: slice.max,
            count: members,
          });
        }
      }
    }
  }
  // A required element whose parent is itself absent is reported at the parent's level by its own rule.
}

const IG_EXTENSION_BASE = 'https://interop.esante.gouv.fr/ig/fhir/';

function checkExtensionValue(
  ctx: ProfileContext,
  extension: Json,
  spec: NonNullable<ExtensionFile['value']>,
  binding: BindingSpec | undefined,
  expression: string,
): void {
  const key = keyOf(extension, 'value[x]');
  if (key === undefined) {
    push(ctx, 'error', 'required', 'extension-value-missing', expression, {
      allowed: spec.types.map((type) => `value${type[0].toUpperCase()}${type.slice(1)}`).join(', '),
    });
    return;
  }
  const suffix = key.slice(5);
  if (!spec.types.some((type) => type.toLowerCase() === suffix.toLowerCase())) {
    push(ctx, 'error', 'structure', 'profile-type', `${expression}.${key}`, {
      type: suffix,
      allowed: spec.types.map((type) => `value${type[0].toUpperCase()}${type.slice(1)}`).join(', '),
    });
    return;
  }
  if (spec.pattern !== undefined) checkPattern(ctx, extension[key], spec.pattern, `${expression}.${key}`);
  const effective = binding ?? spec.binding;
  if (effective) checkBinding(ctx, extension[key], effective, `${expression}.${key}`);
}

function checkExtension(
  ctx: ProfileContext,
  definition: ExtensionFile,
  extension: Json,
  expression: string,
  binding?: BindingSpec,
): void {
  if (definition.retiredIn) {
    push(ctx, 'warning', 'business-rule', 'extension-retired', expression, {
      title: definition.title,
      version: definition.retiredIn,
    });
  }
  if (definition.value) checkExtensionValue(ctx, extension, definition.value, binding, expression);
  else if (keyOf(extension, 'value[x]') !== undefined) {
    push(
      ctx,
      'error',
      'structure',
      'extension-value-forbidden',
      `${expression}.${keyOf(extension, 'value[x]')}`,
    );
  }
  if (!definition.extensions) return;
  const subs = Array.isArray(extension.extension) ? extension.extension : [];
  for (const spec of definition.extensions) {
    let found = 0;
    subs.forEach((sub, index) => {
      if (!isObject(sub) || sub.url !== spec.url) return;
      found++;
      checkExtensionValue(ctx, sub, spec.value, undefined, `${expression}.extension[${index}]`);
    });
    if (found < spec.min) {
      push(ctx, 'error', 'required', 'extension-part-missing', `${expression}.extension`, { part: spec.url });
    }
    if (spec.max !== '*' && found > spec.max) {
      push(ctx, 'error', 'structure', 'extension-part-max', `${expression}.extension`, {
        part: spec.url,
        max: spec.max,
      });
    }
  }
  subs.forEach((sub, index) => {
    if (
      isObject(sub) &&
      typeof sub.url === 'string' &&
      !definition.extensions?.some((s) => s.url === sub.url)
    ) {
      push(ctx, 'error', 'structure', 'extension-part-unknown', `${expression}.extension[${index}]`, {
        part: sub.url,
      });
    }
  });
}

function applyExtensions(
  ctx: ProfileContext,
  chain: readonly ProfileFile[],
  node: Json,
  expression: string,
): void {
  const list = Array.isArray(node.extension) ? node.extension : [];
  const uses = chain.flatMap((profile) => profile.extensions ?? []);
  const usedUrls = new Set<string>();
  for (const use of uses) {
    const definition = ctx.registry.extensions.get(use.url) as ExtensionFile;
    const urls = new Set([definition.url, ...(definition.aliases ?? [])]);
    for (const url of urls) usedUrls.add(url);
    let found = 0;
    list.forEach((extension, index) => {
      if (!isObject(extension) || typeof extension.url !== 'string' || !urls.has(extension.url)) return;
      found++;
      checkExtension(ctx, definition, extension, `${expression}.extension[${index}]`, use.binding);
    });
    if (use.min !== undefined && found < use.min) {
      push(ctx, severityOf(use.since), 'required', 'extension-missing', `${expression}.extension`, {
        slice: use.slice,
        url: use.url,
      });
    }
    if (use.max !== undefined && use.max !== '*' && found > use.max) {
      push(ctx, 'error', 'structure', 'extension-max', `${expression}.extension`, {
        slice: use.slice,
        max: use.max,
        count: found,
      });
    }
  }
  // The profiles' extension slicing is open: other extensions are allowed, and checked when mesref knows them.
  list.forEach((extension, index) => {
    if (!isObject(extension) || typeof extension.url !== 'string' || usedUrls.has(extension.url)) return;
    const definition = ctx.registry.extensions.get(extension.url);
    const at = `${expression}.extension[${index}]`;
    if (definition) {
      const resourceType = chain[0].resourceType;
      if (!definition.context.includes(resourceType)) {
        push(ctx, 'error', 'structure', 'extension-context', at, { url: extension.url, type: resourceType });
      } else {
        checkExtension(ctx, definition, extension, at);
      }
    } else if (extension.url.startsWith(IG_EXTENSION_BASE)) {
      push(ctx, 'error', 'structure', 'extension-unknown', at, { url: extension.url });
    }
  });
}

/** Applies a profile, after its bases, to a resource. */
export function applyProfile(
  ctx: ProfileContext,
  profile: ProfileFile,
  resource: Json,
  expression: string,
): void {
  const chain = profileChain(ctx.registry, profile);
  for (const link of chain) if (link.elements) applyRules(ctx, link.elements, resource, expression);
  applyExtensions(ctx, chain, resource, expression);
  const keys = [...new Set(chain.flatMap((link) => link.invariants ?? []))];
  checkInvariants(keys, resource, expression, ctx.issues);
}
