/**
 * The validator: JSON text or a parsed resource in, every issue out, in layers (as MES applies them):
 * 1. JSON (syntax, duplicate keys, depth, size), 2. base FHIR R4 structure, 3. the IG profiles (claimed in
 * meta.profile, or inferred from the code), 4. the MES API rules that do not depend on the caller.
 * Pure and synchronous: the CLI, the $validate operation, the page and the FHIR API all call it.
 */
import { applyProfile } from './engine.ts';
import { hasErrors, type ValidationIssue } from './issues.ts';
import { parseJson } from './json.ts';
import { checkMesDevice, checkMesObservation, checkMesPushBundle } from './mes-rules.ts';
import { checkDocumentsBundle, checkSimplifiedPublish } from './pdsm.ts';
import type { ProfileFile } from './profile-schema.ts';
import { defaultRegistry, type Registry, stripVersion } from './registry.ts';
import { checkStructure } from './structure.ts';

type Json = Record<string, unknown>;

export interface ValidateOptions {
  /** 'mes' (default): the IG profiles plus the MES API rules that do not depend on the caller; 'ig': the IG profiles only. */
  rules?: 'mes' | 'ig';
  /** For POST /fhir/[type]/$validate: the type the resource must have. */
  resourceType?: string;
  /** Texts over this size are refused with an issue. */
  maxBytes?: number;
  /** Definitions to validate against (tests); the shipped ones by default. */
  registry?: Registry;
}

export interface ValidationResult {
  issues: ValidationIssue[];
  /** No error or fatal issue. */
  valid: boolean;
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** Structure issues after which the profiles are not applied. */
const STOPPING = new Set([
  'resource-type-missing',
  'resource-type-not-string',
  'resource-type-unknown',
  'resource-type-unknown-hint',
  'resource-type-abstract',
  'structure-too-deep',
]);

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const SUBMISSION_SET = 'submissionset';
const PUSH_BUNDLE_PROFILE = 'mesures-bundle-flux-alimentation';
const PROVIDE_BUNDLE_PROFILE = 'pdsm-comprehensive-provide-document-bundle';

/** Bundle types that carry resources to read (an export, a search answer…), never a push or a provide. */
const READING_TYPES = new Set([
  'collection',
  'searchset',
  'history',
  'document',
  'message',
  'transaction-response',
  'batch-response',
]);

/**
 * What a Bundle sent to be written is for: a documents provide (ITI-65) holds a SubmissionSet List, a measures
 * push an Observation or a Device. A Bundle of a reading type (a collection such as a citizen's export, a
 * searchset…) is neither, whatever it holds.
 */
export function bundleKind(bundle: Json): 'documents' | 'measures' | 'other' {
  if (typeof bundle.type === 'string' && READING_TYPES.has(bundle.type)) return 'other';
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  let observation = false;
  for (const entry of entries) {
    if (!isObject(entry) || !isObject(entry.resource)) continue;
    const resource = entry.resource;
    if (resource.resourceType === 'List' && isObject(resource.code) && Array.isArray(resource.code.coding)) {
      if (resource.code.coding.some((c) => isObject(c) && c.code === SUBMISSION_SET)) return 'documents';
    }
    if (resource.resourceType === 'Observation' || resource.resourceType === 'Device') observation = true;
  }
  return observation ? 'measures' : 'other';
}

interface Walk {
  registry: Registry;
  issues: ValidationIssue[];
  /** The profiles applied to each resource object, for the MES rules. */
  resolved: Map<Json, ProfileFile[]>;
}

function codingsOf(value: unknown): Json[] {
  return isObject(value) && Array.isArray(value.coding) ? (value.coding.filter(isObject) as Json[]) : [];
}

/** Profiles claimed in meta.profile, else the one its code (or the enclosing Bundle) designates. */
function resolveProfiles(walk: Walk, resource: Json, expression: string, inBundle?: string): ProfileFile[] {
  const claimed: ProfileFile[] = [];
  const meta = isObject(resource.meta) ? resource.meta : undefined;
  const urls = meta && Array.isArray(meta.profile) ? meta.profile : [];
  urls.forEach((url, index) => {
    if (typeof url !== 'string') return;
    const profile = walk.registry.profileByUrl.get(stripVersion(url));
    if (profile && profile.resourceType === resource.resourceType) claimed.push(profile);
    else {
      walk.issues.push({
        severity: 'warning',
        code: 'not-supported',
        messageId: 'profile-unknown',
        expression: `${expression}.meta.profile[${index}]`,
        params: { url },
      });
    }
  });
  if (claimed.length > 0) return claimed;
  for (const element of ['code', 'type']) {
    for (const coding of codingsOf(resource[element])) {
      if (typeof coding.system !== 'string' || typeof coding.code !== 'string') continue;
      const candidates = walk.registry.profilesByCode.get(`${coding.system}|${coding.code}`);
      const profile = candidates?.find((candidate) => candidate.resourceType === resource.resourceType);
      if (profile) {
        walk.issues.push({
          severity: 'information',
          code: 'informational',
          messageId: 'profile-inferred',
          expression: `${expression}.${element}`,
          params: { title: profile.title, code: `${coding.system}|${coding.code}` },
        });
        return [profile];
      }
    }
  }
  if (resource.resourceType === 'Bundle') {
    const kind = bundleKind(resource);
    const id =
      kind === 'measures' ? PUSH_BUNDLE_PROFILE : kind === 'documents' ? PROVIDE_BUNDLE_PROFILE : undefined;
    const profile = id ? walk.registry.profiles.get(id) : undefined;
    if (profile) return [profile];
  }
  if (inBundle) {
    for (const profile of walk.registry.profiles.values()) {
      if (profile.resourceType === resource.resourceType && profile.inBundles?.includes(inBundle))
        return [profile];
    }
  }
  return [];
}

/** Resources nested deeper than this (a Bundle in a Bundle in a Bundle…) are not profiled. */
const MAX_NESTED_RESOURCES = 16;

function validateProfiles(
  walk: Walk,
  resource: Json,
  expression: string,
  inBundle?: string,
  depth = 0,
): void {
  if (depth > MAX_NESTED_RESOURCES) return;
  const profiles = resolveProfiles(walk, resource, expression, inBundle);
  walk.resolved.set(resource, profiles);
  for (const profile of profiles)
    applyProfile({ registry: walk.registry, issues: walk.issues }, profile, resource, expression);
  if (resource.resourceType === 'Bundle' && Array.isArray(resource.entry)) {
    const bundleProfile = profiles[0]?.id;
    resource.entry.forEach((entry, index) => {
      if (isObject(entry) && isObject(entry.resource)) {
        validateProfiles(
          walk,
          entry.resource,
          `${expression}.entry[${index}].resource`,
          bundleProfile,
          depth + 1,
        );
      }
    });
  }
  if (Array.isArray(resource.contained)) {
    resource.contained.forEach((contained, index) => {
      if (isObject(contained))
        validateProfiles(walk, contained, `${expression}.contained[${index}]`, undefined, depth + 1);
    });
  }
}

function mesRules(walk: Walk, resource: Json, expression: string): void {
  const profileOf = (node: Json) => walk.resolved.get(node)?.[0];
  if (resource.resourceType === 'Observation') {
    checkMesObservation(resource, expression, profileOf(resource), walk.issues);
  } else if (resource.resourceType === 'Device') {
    checkMesDevice(resource, expression, walk.issues);
  } else if (resource.resourceType === 'Bundle' && expression === 'Bundle') {
    const kind = bundleKind(resource);
    if (kind === 'measures' || (kind === 'other' && resource.type === 'transaction')) {
      checkMesPushBundle(resource, profileOf, walk.issues);
      const entries = Array.isArray(resource.entry) ? resource.entry : [];
      entries.forEach((entry, index) => {
        if (isObject(entry) && isObject(entry.resource))
          mesRules(walk, entry.resource, `Bundle.entry[${index}].resource`);
      });
    }
  }
}

/** Removes repeated issues (the same message on the same element, as a base and its profile may both say). */
function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  // A missing element whose expected value the profile gives is said once, with that value.
  const patterned = new Set(
    issues.filter((issue) => issue.messageId === 'profile-pattern-missing').map((issue) => issue.expression),
  );
  return issues.filter((issue) => {
    if (issue.messageId === 'profile-min' && patterned.has(issue.expression)) return false;
    const key = `${issue.severity}|${issue.messageId}|${issue.expression}|${JSON.stringify(issue.params ?? {})}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function validateResource(value: unknown, options: ValidateOptions = {}): ValidationResult {
  const issues: ValidationIssue[] = [];
  if (!isObject(value) || typeof value.resourceType !== 'string') {
    issues.push({
      severity: 'error',
      code: 'structure',
      messageId: 'resource-not-object',
      expression: 'Resource',
    });
    return { issues, valid: false };
  }
  const type = value.resourceType;
  if (options.resourceType && options.resourceType !== type) {
    issues.push({
      severity: 'error',
      code: 'invalid',
      messageId: 'resource-type-mismatch',
      expression: type,
      params: { expected: options.resourceType, actual: type },
    });
  }
  checkStructure(value, type, issues);
  // An unknown resource type, or nesting too deep to walk, stops here: profiles would only repeat it.
  if (issues.some((issue) => STOPPING.has(issue.messageId))) return { issues, valid: false };
  const walk: Walk = { registry: options.registry ?? defaultRegistry(), issues, resolved: new Map() };
  validateProfiles(walk, value, type);
  // PDSm rules beyond the profile files (IG rules: applied in both modes).
  if (type === 'Bundle' && bundleKind(value) === 'documents') checkDocumentsBundle(value, issues);
  if (
    type === 'DocumentReference' &&
    walk.resolved.get(value)?.some((p) => p.id === 'pdsm-simplified-publish')
  ) {
    checkSimplifiedPublish(value, type, issues);
  }
  if ((options.rules ?? 'mes') === 'mes') mesRules(walk, value, type);
  const result = dedupe(issues);
  return { issues: result, valid: !hasErrors(result) };
}

/** Locates each issue in the text: on its element, else on its nearest ancestor that is in the text. */
function locateIssues(
  issues: ValidationIssue[],
  locate: (expression: string) => { line: number; column: number } | undefined,
): void {
  for (const issue of issues) {
    if (issue.location) continue;
    let expression = issue.expression;
    while (expression) {
      const found = locate(expression);
      if (found) {
        issue.location = found;
        break;
      }
      const cut = Math.max(expression.lastIndexOf('.'), expression.lastIndexOf('['));
      if (cut <= 0) break;
      expression = expression.slice(0, cut);
    }
  }
}

export function validateText(text: string, options: ValidateOptions = {}): ValidationResult {
  const max = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > max) {
    const issues: ValidationIssue[] = [
      {
        severity: 'fatal',
        code: 'too-long',
        messageId: 'resource-too-large',
        expression: 'Resource',
        params: { size, max },
      },
    ];
    return { issues, valid: false };
  }
  const parsed = parseJson(text);
  if (!parsed.ok) return { issues: parsed.issues, valid: false };
  const result = validateResource(parsed.value, options);
  locateIssues(result.issues, parsed.locate);
  return result;
}
