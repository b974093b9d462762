/**
 * Errors of the FHIR exchange API: each is answered as an OperationOutcome with its HTTP status (the plugin's
 * error handler). The MES wording is kept verbatim where MES specifies it, so that publishers see the
 * answers they will get in production.
 */
import { type Outcome, plainOutcome } from '../index.ts';

export class FhirError extends Error {
  readonly status: number;
  readonly outcome: Outcome;

  constructor(status: number, outcome: Outcome) {
    super(outcome.issue[0]?.details.text ?? `FHIR error ${status}`);
    this.name = 'FhirError';
    this.status = status;
    this.outcome = outcome;
  }
}

/** 400 « Request not valid » with MES's diagnostics (search parameters). */
export function requestNotValid(diagnostics: string): FhirError {
  return new FhirError(
    400,
    plainOutcome({ severity: 'error', code: 'invalid', text: 'Request not valid', diagnostics }),
  );
}

/** 400 « No bundle provided. » (MES API 1.5.2): the body of a POST /fhir is not a Bundle. */
export function noBundle(diagnostics?: string): FhirError {
  return new FhirError(
    400,
    plainOutcome({
      severity: 'error',
      code: 'invalid',
      text: 'No bundle provided.',
      ...(diagnostics ? { diagnostics } : {}),
    }),
  );
}

/**
 * 404 for a resource that is absent, another citizen's, or of a category the caller may not read: the same
 * answer in every case, so that its existence is never revealed.
 */
export function notFound(type: string, id: string): FhirError {
  return new FhirError(
    404,
    plainOutcome({
      severity: 'error',
      code: 'not-found',
      text: `Resource ${type}/${id} is not known.`,
    }),
  );
}

/** 422 with the validator's outcome (or a rule of the API that depends on the caller). */
export function unprocessable(outcome: Outcome): FhirError {
  return new FhirError(422, outcome);
}
