/**
 * Invariants the profiles name by key. Their FHIRPath is kept beside each one as written in the
 * specifications, for people; the check itself is plain code over the JSON, because it runs on every
 * write and a general FHIRPath engine would cost more than the whole rest of the validation.
 */
import type { ValidationIssue } from './issues.ts';

type Json = Record<string, unknown>;

export interface Invariant {
  human: { fr: string; en: string };
  /** The FHIRPath of the specification that defines it. */
  expression: string;
  /** Reports each violation (`at` is the expression of the element concerned). */
  check(node: Json, expression: string, fail: (at: string) => void): void;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

function hasChoice(node: Json, prefix: string): boolean {
  for (const key in node) {
    if (key.length > prefix.length && key.startsWith(prefix)) {
      const next = key.charCodeAt(prefix.length);
      if (next >= 65 && next <= 90) return true;
    }
  }
  return false;
}

/** `system|code` of a coding whose system and code are strings. */
function codingKey(coding: Json): string | undefined {
  return typeof coding.system === 'string' && typeof coding.code === 'string'
    ? `${coding.system}|${coding.code}`
    : undefined;
}

function codings(concept: unknown): Json[] {
  return isObject(concept) ? (asArray(concept.coding).filter(isObject) as Json[]) : [];
}

const INS_SYSTEMS = new Set([
  'urn:oid:1.2.250.1.213.1.4.8',
  'urn:oid:1.2.250.1.213.1.4.9',
  'urn:oid:1.2.250.1.213.1.4.10',
  'urn:oid:1.2.250.1.213.1.4.11',
]);
const IDENTITY_RELIABILITY = 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability';

function identityValidated(patient: Json): boolean {
  for (const extension of asArray(patient.extension)) {
    if (!isObject(extension) || extension.url !== IDENTITY_RELIABILITY) continue;
    for (const sub of asArray(extension.extension)) {
      if (!isObject(sub) || sub.url !== 'identityStatus') continue;
      const value = sub.valueCoding ?? sub.valueCode;
      if (value === 'VALI' || (isObject(value) && value.code === 'VALI')) return true;
    }
  }
  return false;
}

export const invariants: Record<string, Invariant> = {
  'vs-1': {
    human: {
      fr: 'une date et heure de mesure est précise au moins au jour (AAAA-MM-JJ)',
      en: 'a measurement date-time is precise to the day at least (YYYY-MM-DD)',
    },
    expression: '($this as dateTime).toString().length() >= 8',
    check(node, expression, fail) {
      const value = node.effectiveDateTime;
      if (typeof value === 'string' && value.length < 10) fail(`${expression}.effectiveDateTime`);
    },
  },
  'vs-2': {
    human: {
      fr: 'sans composant ni membre, une observation porte une valeur ou une raison d’absence (dataAbsentReason)',
      en: 'without components or members, an observation has a value or a dataAbsentReason',
    },
    expression:
      '(component.empty() and hasMember.empty()) implies (dataAbsentReason.exists() or value.exists())',
    check(node, expression, fail) {
      if (node.component !== undefined || node.hasMember !== undefined) return;
      if (node.dataAbsentReason === undefined && !hasChoice(node, 'value')) fail(expression);
    },
  },
  'vs-3': {
    human: {
      fr: 'chaque composant porte une valeur ou une raison d’absence (dataAbsentReason)',
      en: 'each component has a value or a dataAbsentReason',
    },
    expression: 'value.exists() or dataAbsentReason.exists()',
    check(node, expression, fail) {
      asArray(node.component).forEach((component, index) => {
        if (!isObject(component)) return;
        if (component.dataAbsentReason === undefined && !hasChoice(component, 'value')) {
          fail(`${expression}.component[${index}]`);
        }
      });
    },
  },
  'obs-3': {
    human: {
      fr: 'un intervalle de référence a une borne basse, une borne haute ou un texte',
      en: 'a reference range has a low, a high or a text',
    },
    expression: 'low.exists() or high.exists() or text.exists()',
    check(node, expression, fail) {
      asArray(node.referenceRange).forEach((range, index) => {
        if (
          isObject(range) &&
          range.low === undefined &&
          range.high === undefined &&
          range.text === undefined
        ) {
          fail(`${expression}.referenceRange[${index}]`);
        }
      });
    },
  },
  'obs-6': {
    human: {
      fr: 'une raison d’absence (dataAbsentReason) n’est donnée que si la valeur est absente',
      en: 'dataAbsentReason is only given when the value is absent',
    },
    expression: 'dataAbsentReason.empty() or value.empty()',
    check(node, expression, fail) {
      if (node.dataAbsentReason !== undefined && hasChoice(node, 'value'))
        fail(`${expression}.dataAbsentReason`);
    },
  },
  'obs-7': {
    human: {
      fr: 'si l’observation a une valeur, aucun composant ne reprend le code de l’observation',
      en: 'if the observation has a value, no component has the same code as the observation',
    },
    expression:
      'value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()',
    check(node, expression, fail) {
      if (!hasChoice(node, 'value')) return;
      const own = new Set(
        codings(node.code)
          .map(codingKey)
          .filter((key) => key !== undefined),
      );
      asArray(node.component).forEach((component, index) => {
        if (!isObject(component)) return;
        if (
          codings(component.code).some((c) => {
            const key = codingKey(c);
            return key !== undefined && own.has(key);
          })
        ) {
          fail(`${expression}.component[${index}].code`);
        }
      });
    },
  },
  'fr-core-1': {
    human: {
      fr: 'une identité qualifiée (statut VALI) porte un identifiant INS (NIR, NIA, NIR de test ou de démonstration) d’usage « official »',
      en: 'a qualified identity (status VALI) has an INS identifier (NIR, NIA, test or demo NIR) with use "official"',
    },
    expression:
      "(extension('https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability').extension('identityStatus').value.exists(code = 'VALI')) implies (identifier.where(system = 'urn:oid:1.2.250.1.213.1.4.8' and use = 'official').exists() or … 4.9, 4.10, 4.11)",
    check(node, expression, fail) {
      if (!identityValidated(node)) return;
      const found = asArray(node.identifier).some(
        (id) =>
          isObject(id) &&
          id.use === 'official' &&
          typeof id.system === 'string' &&
          INS_SYSTEMS.has(id.system),
      );
      if (!found) fail(`${expression}.identifier`);
    },
  },
  'fr-core-2': {
    human: {
      fr: 'une identité qualifiée (statut VALI) a exactement un identifiant d’usage « official »',
      en: 'a qualified identity (status VALI) has exactly one identifier with use "official"',
    },
    expression:
      "(extension('https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability').extension('identityStatus').value.exists(code = 'VALI')) implies (identifier.where(use = 'official').count() = 1)",
    check(node, expression, fail) {
      if (!identityValidated(node)) return;
      const official = asArray(node.identifier).filter((id) => isObject(id) && id.use === 'official').length;
      if (official !== 1) fail(`${expression}.identifier`);
    },
  },
};

/** Runs the named invariants on a node, reporting each failure as an error. */
export function checkInvariants(
  keys: readonly string[],
  node: Json,
  expression: string,
  issues: ValidationIssue[],
  severity: 'error' | 'warning' = 'error',
): void {
  for (const key of keys) {
    const invariant = invariants[key];
    invariant.check(node, expression, (at) => {
      issues.push({
        severity,
        code: 'invariant',
        messageId: 'invariant-failed',
        params: { key, rule: invariant.human },
        expression: at,
      });
    });
  }
}
