/**
 * The MES API's own rules on writes (API Mesures v1.5.2), beyond the IG profiles, with the exact texts MES
 * answers. Only the rules that do not depend on who calls are here; the caller-dependent ones (meta.source
 * under the calling solution's OID, the idPe the token covers) take the caller as a parameter.
 */
import { type IssueType, literal, type MessageParams, type ValidationIssue } from './issues.ts';
import type { ProfileFile } from './profile-schema.ts';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The headlines MES puts on a refused write. */
export const MES_MESSAGES = {
  bundle: 'Bundle not valid.',
  link: 'Observation and Device link not valid.',
  observation: 'Observation resource not valid.',
  device: 'Device resource not valid.',
  noBundle: 'No bundle provided.',
} as const;

function mesIssue(
  issues: ValidationIssue[],
  code: IssueType,
  messageId: string,
  expression: string,
  mes: { message: string; diagnostic: string },
  params?: MessageParams,
): void {
  const issue: ValidationIssue = { severity: 'error', code, messageId, expression, mes };
  if (params) issue.params = params;
  issues.push(issue);
}

function hasMetaProfile(resource: Json): boolean {
  return isObject(resource.meta) && Array.isArray(resource.meta.profile) && resource.meta.profile.length > 0;
}

function hasChoice(node: Json, prefix: string): boolean {
  for (const key in node) {
    if (key.length > prefix.length && key.startsWith(prefix)) {
      const next = key.charCodeAt(prefix.length);
      if (next >= 65 && next <= 90) return true;
    }
  }
  return false;
}

const OID_URN = /^urn:oid:[0-2](\.(0|[1-9][0-9]*))+$/;

/** Rules on one Observation written through the MES API. */
export function checkMesObservation(
  resource: Json,
  expression: string,
  profile: ProfileFile | undefined,
  issues: ValidationIssue[],
): void {
  if (!hasMetaProfile(resource)) {
    mesIssue(issues, 'invalid', 'mes-meta-profile', `${expression}.meta.profile`, {
      message: MES_MESSAGES.observation,
      diagnostic: 'Observation must provide meta.profile value.',
    });
  }
  const meta = isObject(resource.meta) ? resource.meta : undefined;
  if (meta && typeof meta.source === 'string' && !OID_URN.test(meta.source)) {
    issues.push({
      severity: 'error',
      code: 'value',
      messageId: 'mes-meta-source',
      expression: `${expression}.meta.source`,
      params: { value: meta.source },
    });
  }
  const subject = isObject(resource.subject) ? resource.subject : undefined;
  const identifier = subject && isObject(subject.identifier) ? subject.identifier : undefined;
  if (!identifier || typeof identifier.value !== 'string') {
    mesIssue(issues, 'invalid', 'mes-subject-identifier', `${expression}.subject.identifier`, {
      message: MES_MESSAGES.observation,
      diagnostic: 'Observation.subject.identifier is mandatory.',
    });
  } else if (typeof identifier.system !== 'string' || !OID_URN.test(identifier.system)) {
    issues.push({
      severity: 'error',
      code: 'value',
      messageId: 'mes-subject-system',
      expression: `${expression}.subject.identifier.system`,
      params: { system: literal(identifier.system ?? '') },
    });
  }
  if (resource.effectiveDateTime === undefined) {
    issues.push({
      severity: 'error',
      code: 'required',
      messageId: 'mes-effective-datetime',
      expression: `${expression}.effectiveDateTime`,
    });
  }
  if (profile?.mes && !profile.mes.creatable) {
    mesIssue(issues, 'not-supported', 'mes-bmi-not-creatable', expression, {
      message: MES_MESSAGES.observation,
      diagnostic: 'Bmi observation cannot be created.',
    });
  }
  const valueQuantity = {
    message: MES_MESSAGES.observation,
    diagnostic: 'Observation value quantity not provided.',
  };
  if (profile?.mes?.valueIn === 'component') {
    const components = Array.isArray(resource.component) ? resource.component : [];
    if (components.length === 0)
      mesIssue(issues, 'value', 'mes-value-quantity', `${expression}.component`, valueQuantity);
    components.forEach((component, index) => {
      if (isObject(component) && !isObject(component.valueQuantity)) {
        mesIssue(
          issues,
          'value',
          'mes-value-quantity',
          `${expression}.component[${index}].valueQuantity`,
          valueQuantity,
        );
      }
    });
  } else if (!isObject(resource.valueQuantity)) {
    // A value of another type is already an error of the profile; MES names only the missing quantity.
    if (!hasChoice(resource, 'value')) {
      mesIssue(issues, 'value', 'mes-value-quantity', `${expression}.valueQuantity`, valueQuantity);
    }
  }
  const rules = profile?.mes?.extensionRules;
  if (rules) {
    const codes = new Set(
      (isObject(resource.code) && Array.isArray(resource.code.coding) ? resource.code.coding : [])
        .filter(isObject)
        .map((coding) => coding.code),
    );
    const extensions = Array.isArray(resource.extension) ? resource.extension.filter(isObject) : [];
    for (const rule of rules) {
      if (!codes.has(rule.code)) continue;
      const present = extensions.some((extension) => extension.url === rule.extension);
      if (rule.presence === 'required' && !present) {
        mesIssue(
          issues,
          'incomplete',
          'mes-extension-required',
          `${expression}.extension`,
          {
            message: MES_MESSAGES.observation,
            diagnostic: `Observation.extension.${rule.name} is mandatory`,
          },
          { code: rule.code, extension: rule.name },
        );
      } else if (rule.presence === 'forbidden' && present) {
        mesIssue(
          issues,
          'invalid',
          'mes-extension-forbidden',
          `${expression}.extension`,
          {
            message: MES_MESSAGES.observation,
            diagnostic: `Observation.extension.${rule.name} cannot be added`,
          },
          { code: rule.code, extension: rule.name },
        );
      }
    }
  }
}

export function checkMesDevice(resource: Json, expression: string, issues: ValidationIssue[]): void {
  if (!hasMetaProfile(resource)) {
    mesIssue(issues, 'invalid', 'mes-device-meta-profile', `${expression}.meta.profile`, {
      message: MES_MESSAGES.device,
      diagnostic: 'Device must provide meta.profile value.',
    });
  }
}

/** The published form of a Device's conditional create: `identifier=urn:oid:<OID>|<DEVICE ID>`. */
const IF_NONE_EXIST = /^identifier=urn:oid:[0-9]+(\.[0-9]+)+\|[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$/;

/**
 * Rules on a measures push Bundle (`MesBundleFluxAlimentation` as MES applies it). `profileOf` gives the
 * profile the validator resolved for each entry's resource.
 */
export function checkMesPushBundle(
  bundle: Json,
  profileOf: (resource: Json) => ProfileFile | undefined,
  issues: ValidationIssue[],
): void {
  const entries = Array.isArray(bundle.entry) ? bundle.entry : [];
  if (bundle.type !== 'transaction') {
    issues.push({
      severity: 'error',
      code: 'value',
      messageId: 'mes-bundle-type',
      expression: 'Bundle.type',
      params: { type: literal(bundle.type ?? '') },
    });
  }
  const observations: { resource: Json; index: number }[] = [];
  const devices: { resource: Json; index: number; request: Json }[] = [];
  entries.forEach((entry, index) => {
    if (!isObject(entry)) return;
    const at = `Bundle.entry[${index}]`;
    const resource = isObject(entry.resource) ? entry.resource : undefined;
    const request = isObject(entry.request) ? entry.request : {};
    const type = resource ? literal(resource.resourceType) : 'undefined';
    const method = literal(request.method);
    if ((type !== 'Observation' && type !== 'Device') || method !== 'POST') {
      mesIssue(
        issues,
        'not-supported',
        'mes-bundle-entry-not-acceptable',
        at,
        {
          message: MES_MESSAGES.bundle,
          diagnostic: `Resource of type ${type} is not acceptable with method ${method}.`,
        },
        { type, method },
      );
      return;
    }
    if (typeof entry.fullUrl !== 'string') {
      issues.push({
        severity: 'error',
        code: 'required',
        messageId: 'mes-full-url',
        expression: `${at}.fullUrl`,
      });
    }
    if (type === 'Observation') observations.push({ resource: resource as Json, index });
    else devices.push({ resource: resource as Json, index, request });
  });
  if (observations.length !== 1) {
    mesIssue(
      issues,
      'invalid',
      'mes-bundle-one-observation',
      'Bundle.entry',
      { message: MES_MESSAGES.bundle, diagnostic: 'Bundle must contains one observation creation (POST)' },
      { count: observations.length },
    );
  }
  if (devices.length > 1) {
    issues.push({
      severity: 'error',
      code: 'structure',
      messageId: 'mes-bundle-one-device',
      expression: 'Bundle.entry',
      params: { count: devices.length },
    });
  }
  for (const device of devices) {
    const ifNoneExist = device.request.ifNoneExist;
    if (typeof ifNoneExist !== 'string' || !IF_NONE_EXIST.test(ifNoneExist)) {
      mesIssue(
        issues,
        'invalid',
        'mes-device-if-none-exist',
        `Bundle.entry[${device.index}].request.ifNoneExist`,
        {
          message: MES_MESSAGES.bundle,
          diagnostic:
            'Device request must have a valid IfNoneExist attribute : identifier=urn:oid:<OID>|<DEVICE ID>',
        },
      );
    }
  }
  for (const observation of observations) {
    const profile = profileOf(observation.resource);
    if (profile?.mes && !profile.mes.pushBundle && profile.mes.creatable) {
      issues.push({
        severity: 'error',
        code: 'not-supported',
        messageId: 'mes-push-profile',
        expression: `Bundle.entry[${observation.index}].resource.meta.profile`,
        params: { title: profile.title },
      });
    }
    if (devices.length === 1) {
      const device = devices[0].resource;
      const at = `Bundle.entry[${observation.index}].resource.device`;
      const reference = isObject(observation.resource.device)
        ? observation.resource.device.reference
        : undefined;
      if (typeof reference !== 'string') {
        mesIssue(issues, 'invalid', 'mes-device-reference-missing', `${at}.reference`, {
          message: MES_MESSAGES.link,
          diagnostic: 'Observation.device.reference is mandatory.',
        });
      } else if (typeof device.id !== 'string' || reference !== `Device/${device.id}`) {
        mesIssue(
          issues,
          'invalid',
          'mes-device-not-linked',
          `${at}.reference`,
          {
            message: MES_MESSAGES.link,
            diagnostic:
              'Observation and device not linked by id (Observation.device.reference <-> Device.id)',
          },
          { expected: `Device/${literal(device.id ?? '<id>')}`, actual: reference },
        );
      }
    }
  }
}

/**
 * The caller-dependent rule on meta.source: the solution's OID must sit under the publisher's root OID.
 * Used by the FHIR API, which knows the calling service.
 */
export function checkMetaSourceUnderRoot(
  resource: Json,
  expression: string,
  rootOid: string,
  issues: ValidationIssue[],
): void {
  const meta = isObject(resource.meta) ? resource.meta : undefined;
  if (!meta || typeof meta.source !== 'string') return;
  const oid = meta.source.replace(/^urn:oid:/, '');
  if (oid !== rootOid && !oid.startsWith(`${rootOid}.`)) {
    mesIssue(
      issues,
      'value',
      'mes-meta-source-root',
      `${expression}.meta.source`,
      {
        message: MES_MESSAGES.observation,
        diagnostic: `Solution oid contains in Observation.meta.source don't belong to root editor oid (${rootOid}).`,
      },
      { oid: rootOid },
    );
  }
}
