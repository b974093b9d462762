/** What other modules (and the CLI) may use of the FHIR module. */
import type { Locale } from '../platform/i18n.ts';
import {
  type OperationOutcomeIssue,
  type Severity,
  toOperationOutcome,
  type ValidationIssue,
} from './validation/issues.ts';
import { type ValidateOptions, type ValidationResult, validateText } from './validation/validator.ts';

export {
  formatMessage,
  hasErrors,
  MESSAGE_SYSTEM,
  type OperationOutcome,
  type OperationOutcomeIssue,
  type Severity,
  toOperationOutcome,
  type ValidationIssue,
} from './validation/issues.ts';
export {
  type ValidateOptions,
  type ValidationResult,
  validateResource,
  validateText,
} from './validation/validator.ts';

/** What checking a text gave: the validator's result, or the error that stopped the validator itself. */
export type CheckedText = ValidationResult & { failure?: Error };

/**
 * `validateText` that never throws: the command line, `$validate` and the page answer every input, so a
 * fault of the validator itself becomes a failure to report (with an error outcome), never a crash.
 */
export function checkText(text: string, options: ValidateOptions): CheckedText {
  try {
    return validateText(text, options);
  } catch (error) {
    return { issues: [], valid: false, failure: error instanceof Error ? error : new Error(String(error)) };
  }
}

/**
 * The validator's own issue for a text over the size limit, for the callers that refuse it before reading it
 * whole (a file larger than the limit, a request body cut at the limit). `size` when it is known.
 */
export function tooLargeIssue(max: number, size?: number): ValidationIssue {
  return {
    severity: 'fatal',
    code: 'too-long',
    messageId: 'resource-too-large',
    expression: 'Resource',
    params: { size: size ?? { fr: `plus de ${max}`, en: `more than ${max}` }, max },
  };
}

/** An issue of an outcome that does not come from the validator: an unreadable file, a wrong content type… */
export interface PlainIssue {
  severity: Severity;
  /** http://hl7.org/fhir/issue-type */
  code:
    | OperationOutcomeIssue['code']
    | 'exception'
    | 'not-found'
    | 'login'
    | 'forbidden'
    | 'conflict'
    | 'transient';
  text: string;
  diagnostics?: string;
}

/** An OperationOutcome as mesref answers it: the validator's, or one of `plainOutcome`. */
export interface Outcome {
  resourceType: 'OperationOutcome';
  issue: Array<
    Omit<OperationOutcomeIssue, 'code' | 'details'> & {
      code: PlainIssue['code'];
      details: { text: string; coding?: OperationOutcomeIssue['details']['coding'] };
    }
  >;
}

/** An OperationOutcome of issues that do not come from the validator (so they carry no message id). */
export function plainOutcome(...issues: PlainIssue[]): Outcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((issue) => ({
      severity: issue.severity,
      code: issue.code,
      details: { text: issue.text },
      ...(issue.diagnostics ? { diagnostics: issue.diagnostics } : {}),
    })),
  };
}

/** The outcome of a checked text, in a language: the validator's issues, or the failure of the validator. */
export function outcomeOf(checked: CheckedText, locale: Locale, internalText: string): Outcome {
  if (checked.failure) return plainOutcome({ severity: 'fatal', code: 'exception', text: internalText });
  return toOperationOutcome(checked.issues, locale);
}
