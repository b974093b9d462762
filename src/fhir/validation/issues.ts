/**
 * What the validator says: issues with a severity, an OperationOutcome issue type, a message id from
 * the catalogue (French and English), and the FHIRPath-like expression of the element concerned.
 * Pure data; rendering to an OperationOutcome is `toOperationOutcome`.
 */
import type { Locale } from '../../platform/i18n.ts';
import { validationMessages } from './messages.ts';

/** A parameter is a literal (a code, a path) or a text that itself depends on the language. */
export type MessageParams = Record<string, string | number | { fr: string; en: string }>;

export type Severity = 'fatal' | 'error' | 'warning' | 'information';

/** OperationOutcome.issue.code (http://hl7.org/fhir/issue-type), the subset the validator uses. */
export type IssueType =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'invariant'
  | 'code-invalid'
  | 'not-supported'
  | 'incomplete'
  | 'too-long'
  | 'too-costly'
  | 'business-rule'
  | 'informational';

export interface ValidationIssue {
  severity: Severity;
  code: IssueType;
  /** Key in `validationMessages`; the message shown to a person. */
  messageId: string;
  params?: MessageParams;
  /** FHIRPath-like path, rooted at the resource type: `Observation.component[0].valueQuantity.code`. */
  expression: string;
  /**
   * For the MES API business rules: the exact texts MES answers (API Mesures v1.5.2), so that
   * publishers see in the sandbox what production would say. `message` is the outcome's headline
   * (« Observation resource not valid. »), `diagnostic` the issue's diagnostics.
   */
  mes?: { message: string; diagnostic: string };
  /** Line and column (1-based) in the submitted JSON text, when the text is known. */
  location?: { line: number; column: number };
}

/** Code system of the validator's message ids (OperationOutcome.issue.details.coding). */
export const MESSAGE_SYSTEM = 'https://mesref.fr/fhir/CodeSystem/validation-message';

export function formatMessage(messageId: string, locale: Locale, params?: MessageParams): string {
  const entry = validationMessages[messageId];
  let text = entry ? entry[locale] : messageId;
  if (params) {
    text = text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'object' ? value[locale] : String(value);
    });
  }
  return text;
}

/** A value shown in a message: strings as they are, anything else as compact JSON (never throws). */
export function literal(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  } catch {
    return typeof value;
  }
}

export function hasErrors(issues: readonly ValidationIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error' || issue.severity === 'fatal');
}

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  /** The messages MES answers above its diagnostics (« Observation resource not valid. »…), when an issue has one. */
  text?: { status: 'generated'; div: string };
  issue: OperationOutcomeIssue[];
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

export interface OperationOutcomeIssue {
  severity: Severity;
  code: IssueType;
  details: { coding: { system: string; code: string }[]; text: string };
  diagnostics?: string;
  expression?: string[];
  location?: string[];
}

/**
 * One OperationOutcome for a list of issues. With no issue, a single `information` issue says the
 * resource is valid (an OperationOutcome must have at least one issue).
 */
export function toOperationOutcome(issues: readonly ValidationIssue[], locale: Locale): OperationOutcome {
  if (issues.length === 0) {
    return {
      resourceType: 'OperationOutcome',
      issue: [
        {
          severity: 'information',
          code: 'informational',
          details: {
            coding: [{ system: MESSAGE_SYSTEM, code: 'valid' }],
            text: formatMessage('valid', locale),
          },
        },
      ],
    };
  }
  const mesMessages = [...new Set(issues.flatMap((issue) => (issue.mes ? [issue.mes.message] : [])))];
  return {
    resourceType: 'OperationOutcome',
    ...(mesMessages.length > 0 && {
      text: {
        status: 'generated' as const,
        div: `<div xmlns="http://www.w3.org/1999/xhtml">${mesMessages.map((m) => `<p>${escapeHtml(m)}</p>`).join('')}</div>`,
      },
    }),
    issue: issues.map((issue) => {
      const rendered: OperationOutcomeIssue = {
        severity: issue.severity,
        code: issue.code,
        details: {
          coding: [{ system: MESSAGE_SYSTEM, code: issue.messageId }],
          text: formatMessage(issue.messageId, locale, issue.params),
        },
        expression: [issue.expression],
      };
      if (issue.mes) rendered.diagnostics = issue.mes.diagnostic;
      if (issue.location) rendered.location = [`Line[${issue.location.line}] Col[${issue.location.column}]`];
      return rendered;
    }),
  };
}
