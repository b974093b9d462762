/**
 * The FHIR R4 exchange API under /fhir (Mesures de santé, documents PDSm): one encapsulated scope with its own
 * body reader and error answers, so that every answer, errors included, is an OperationOutcome in
 * `application/fhir+json`. `POST /fhir` takes a transaction Bundle: a documents provide (ITI-65) when it holds
 * a SubmissionSet, otherwise a measures push. The resource routes belong to their modules (src/measures,
 * src/documents); this scope gives them the caller (`withDataCaller`) and the answers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app.ts';
import { documentsRoutes } from '../../documents/routes.ts';
import { provideDocuments } from '../../documents/service.ts';
import { unstorableText } from '../../measures/model.ts';
import { measuresRoutes } from '../../measures/routes.ts';
import { pushMeasures } from '../../measures/service.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http.ts';
import { type Outcome, plainOutcome, toOperationOutcome, tooLargeIssue } from '../index.ts';
import { parseJson } from '../validation/json.ts';
import { bundleKind } from '../validation/validator.ts';
import { capabilityStatement } from './capability.ts';
import { FhirError, noBundle, requestNotValid, unprocessable } from './errors.ts';
import { staleFacts, withDataCaller } from './gate.ts';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Sends a FHIR resource (or an OperationOutcome) as `application/fhir+json`, never cached by the way. */
export function sendFhir(reply: FastifyReply, status: number, body: unknown) {
  return reply.code(status).type(FHIR_JSON).header('cache-control', 'no-store').send(JSON.stringify(body));
}

/** A URL under /fhir the router cannot decode: 400 « Request not valid », an OperationOutcome like every answer there. */
export function answerFhirBadUrl(request: FastifyRequest, reply: FastifyReply, message: string) {
  if (!/^\/fhir(\/|\?|$)/.test(request.url)) return undefined;
  const refused = requestNotValid(message);
  return sendFhir(reply, refused.status, refused.outcome);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body of a POST as a parsed Bundle, or 400 « No bundle provided. » with what was wrong. */
function bundleOf(request: FastifyRequest): Record<string, unknown> {
  const text = typeof request.body === 'string' ? request.body : '';
  if (text.trim() === '') throw noBundle();
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const outcome = toOperationOutcome(parsed.issues, request.locale);
    throw new FhirError(400, {
      ...outcome,
      issue: [
        { severity: 'error', code: 'invalid', details: { text: 'No bundle provided.' } },
        ...outcome.issue,
      ],
    } as Outcome);
  }
  if (!isObject(parsed.value) || parsed.value.resourceType !== 'Bundle') {
    throw noBundle('The body must be a FHIR Bundle of type transaction.');
  }
  if (parsed.value.type !== 'transaction') {
    throw unprocessable(
      plainOutcome({
        severity: 'error',
        code: 'invalid',
        text: 'Bundle not valid.',
        diagnostics: `Bundle.type must be transaction (received ${JSON.stringify(parsed.value.type ?? null)}).`,
      }),
    );
  }
  // JavaScript reads half of a surrogate pair and JSON escapes a NUL; PostgreSQL's text and jsonb refuse both:
  // refused here, never a failed write.
  const unstorable = unstorableText(parsed.value);
  if (unstorable) {
    throw unprocessable(
      plainOutcome({
        severity: 'error',
        code: 'invalid',
        text: 'Bundle not valid.',
        diagnostics:
          unstorable === 'nul'
            ? 'Bundle contains a string with a NUL character (U+0000), which cannot be stored.'
            : 'Bundle contains a string that is not valid Unicode (a lone surrogate).',
      }),
    );
  }
  return parsed.value;
}

export function fhirExchangePlugin(ctx: AppContext) {
  const limit = ctx.config.fhirMaxResourceBytes;
  return async (app: App) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      ['application/fhir+json', 'application/json'],
      { parseAs: 'string', bodyLimit: limit },
      (_request, body, done) => done(null, body),
    );
    // ITI-67 also searches by POST with a form body.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_request, body, done) => done(null, body),
    );

    app.setErrorHandler((error, request, reply) => {
      if (error instanceof FhirError) return sendFhir(reply, error.status, error.outcome);
      if (error instanceof AppError) {
        if (error.status === 401) reply.header('www-authenticate', 'Bearer error="invalid_token"');
        const code = error.status === 401 ? 'login' : error.status === 409 ? 'conflict' : 'forbidden';
        return sendFhir(
          reply,
          error.status,
          plainOutcome({ severity: 'error', code, text: request.t(error.message, error.params) }),
        );
      }
      const err = error as { statusCode?: number; validation?: unknown; message: string };
      const status = err.statusCode ?? 500;
      if (status === 413) {
        return sendFhir(reply, 413, toOperationOutcome([tooLargeIssue(limit)], request.locale));
      }
      if (status === 415) {
        return sendFhir(
          reply,
          415,
          plainOutcome({
            severity: 'error',
            code: 'not-supported',
            text: request.t('fhir.outcome.media_type'),
          }),
        );
      }
      if (err.validation || (status >= 400 && status < 500)) {
        return sendFhir(
          reply,
          status,
          plainOutcome({
            severity: 'error',
            code: 'invalid',
            text: 'Request not valid',
            diagnostics: err.message,
          }),
        );
      }
      // Never the body, the resource or the token in the log: the error's type and message only.
      request.log.error({ err: { type: (error as Error).name, message: err.message } }, 'FHIR API failure');
      return sendFhir(
        reply,
        500,
        plainOutcome({ severity: 'fatal', code: 'exception', text: request.t('error.internal') }),
      );
    });

    // Any other path under /fhir: an OperationOutcome too (the router prefers every declared route to this one).
    app.all(
      '/fhir/*',
      { config: { action: 'public.view', csrf: false }, schema: { hide: true } },
      (request, reply) =>
        sendFhir(
          reply,
          404,
          plainOutcome({
            severity: 'error',
            code: 'not-supported',
            text: `${request.method} ${request.url.split('?')[0]} is not supported by this server.`,
          }),
        ),
    );

    app.get(
      '/fhir/metadata',
      {
        config: { action: 'public.view' },
        schema: {
          tags: ['FHIR'],
          summary: 'CapabilityStatement: ce que l’API FHIR prend en charge / what the FHIR API supports',
        },
      },
      async (_request, reply) => sendFhir(reply, 200, capabilityStatement(ctx.config)),
    );

    app.post(
      '/fhir',
      {
        config: { action: 'service.api', csrf: false },
        bodyLimit: limit,
        schema: {
          tags: ['FHIR'],
          summary:
            'Transaction : envoi de mesures (Bundle d’alimentation) ou de documents (ITI-65) / measures push or documents provide',
          security: [{ bearer: [] }],
        },
      },
      async (request, reply) => {
        let bundle: Record<string, unknown> | undefined;
        const answer = await withDataCaller(
          ctx,
          request.headers.authorization,
          async (caller) => {
            bundle ??= bundleOf(request);
            if (bundleKind(bundle) !== 'documents') return pushMeasures(ctx, caller, bundle, request.locale);
            // A provide decides on facts read for it, not on those of the grant's previous call.
            if (caller.remembered) throw staleFacts();
            return provideDocuments(ctx, caller, bundle, request.locale);
          },
          { remembered: true },
        );
        return sendFhir(reply, answer.status, answer.body);
      },
    );

    await app.register(measuresRoutes(ctx));
    await app.register(documentsRoutes(ctx));
  };
}
