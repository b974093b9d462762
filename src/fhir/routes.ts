import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { translator } from '../platform/i18n.ts';
import {
  type CheckedText,
  checkText,
  type Outcome,
  outcomeOf,
  plainOutcome,
  toOperationOutcome,
  tooLargeIssue,
} from './index.ts';
import { fhirMessages, formatBytes } from './messages.ts';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

// ── schemas (the OpenAPI documentation; the body is read as text, see below) ──────────────────────────

const OperationOutcomeSchema = Type.Object(
  {
    resourceType: Type.Literal('OperationOutcome'),
    text: Type.Optional(
      Type.Object(
        { status: Type.Literal('generated'), div: Type.String() },
        {
          description:
            'Les messages de l’API MES (« Observation resource not valid. »…) / the MES API messages',
        },
      ),
    ),
    issue: Type.Array(
      Type.Object({
        severity: Type.Union(['fatal', 'error', 'warning', 'information'].map((s) => Type.Literal(s))),
        code: Type.String({ description: 'http://hl7.org/fhir/issue-type' }),
        details: Type.Object({
          coding: Type.Optional(
            Type.Array(
              Type.Object({
                system: Type.String(),
                code: Type.String({ description: 'Identifiant du message / message id' }),
              }),
            ),
          ),
          text: Type.String({
            description: 'Message dans la langue demandée / message in the language asked',
          }),
        }),
        diagnostics: Type.Optional(
          Type.String({ description: 'Texte exact que MES répond / the exact text MES answers' }),
        ),
        expression: Type.Optional(Type.Array(Type.String({ examples: ['Observation.valueQuantity.code'] }))),
        location: Type.Optional(Type.Array(Type.String({ examples: ['Line[12] Col[7]'] }))),
      }),
    ),
  },
  { description: 'OperationOutcome FHIR R4' },
);

const outcome = (description: string) => ({
  description,
  content: { 'application/fhir+json': { schema: OperationOutcomeSchema } },
});

const Query = Type.Object({
  rules: Type.Optional(
    Type.Union([Type.Literal('mes'), Type.Literal('ig')], {
      description:
        'mes (défaut) : profils de l’IG et règles de l’API MES qui ne dépendent pas de l’appelant ; ig : profils de l’IG seulement / mes (default): IG profiles and the MES API rules that do not depend on the caller; ig: IG profiles only',
    }),
  ),
});

const TypeParams = Type.Object({
  type: Type.String({
    description: 'Type de ressource attendu / expected resource type',
    examples: ['Observation'],
  }),
});

// Read as text (not parsed here): the validator needs the text itself for duplicate keys and positions.
const Body = Type.Unsafe<string>({
  description:
    'La ressource FHIR R4 en JSON, ou un Parameters dont le paramètre « resource » la porte / the FHIR R4 resource in JSON, or a Parameters whose "resource" parameter holds it',
});

const responses = {
  200: outcome('Ressource examinée, valide ou non / resource examined, valid or not'),
  400: outcome('Corps illisible : JSON mal formé, paramètre invalide / unreadable body'),
  413: outcome('Ressource trop volumineuse / resource too large'),
  415: outcome('Type de contenu autre que JSON / content type other than JSON'),
  422: outcome('Le validateur n’a pas pu examiner la ressource / the validator could not examine it'),
};

// ── the Parameters of a standard $validate ──────────────────────────────────

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The index of the `resource` parameter of a Parameters resource, if it has one holding a resource. */
export function resourceParameterIndex(value: unknown): number | undefined {
  if (!isObject(value) || value.resourceType !== 'Parameters' || !Array.isArray(value.parameter))
    return undefined;
  let found: number | undefined;
  value.parameter.forEach((parameter, index) => {
    if (
      found === undefined &&
      isObject(parameter) &&
      parameter.name === 'resource' &&
      isObject(parameter.resource)
    )
      found = index;
  });
  return found;
}

/**
 * Where the value at `path` starts and ends in a JSON text (already known to parse), as JSON.parse reads it: of
 * repeated keys, the last one. Iterative, so that deep nesting cannot overflow the stack.
 */
export function jsonValueSpan(
  text: string,
  path: Array<string | number>,
): { start: number; end: number } | undefined {
  interface Frame {
    array: boolean;
    key: string | number | undefined;
    index: number;
    /** This container's own path matches the target up to its depth. */
    onPath: boolean;
  }
  const stack: Frame[] = [];
  let span: { start: number; end: number } | undefined;
  let openAt = -1;
  let openDepth = -1;
  let expectKey = false;
  let pendingKey: string | undefined;
  let i = 0;
  const depth = () => stack.length;
  const matchesHere = (): boolean => {
    const parent = stack[stack.length - 1];
    if (!parent?.onPath || depth() > path.length) return false;
    const key = parent.array ? parent.index : pendingKey;
    return key === path[depth() - 1];
  };
  const valueStarts = (at: number): boolean => {
    // The root is on every path; below it, a value is on the path when its key or index is the next step.
    const here = stack.length === 0 || matchesHere();
    if (here && depth() === path.length) {
      openAt = at;
      openDepth = depth();
    }
    return here;
  };
  const valueEnds = (at: number) => {
    if (openAt >= 0 && depth() === openDepth) {
      span = { start: openAt, end: at };
      openAt = -1;
    }
  };
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === ',') {
      i++;
      continue;
    }
    if (c === ':') {
      i++;
      continue;
    }
    if (c === '{' || c === '[') {
      const onPath = valueStarts(i);
      stack.push({ array: c === '[', key: pendingKey, index: 0, onPath });
      expectKey = c === '{';
      i++;
      continue;
    }
    if (c === '}' || c === ']') {
      stack.pop();
      i++;
      valueEnds(i);
      const parent = stack[stack.length - 1];
      if (parent?.array) parent.index++;
      expectKey = parent ? !parent.array : false;
      continue;
    }
    // A string (a key or a value) or a literal (number, true, false, null).
    const start = i;
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else {
      while (i < text.length && !' \n\r\t,:]}'.includes(text[i])) i++;
    }
    const parent = stack[stack.length - 1];
    if (expectKey && parent && !parent.array) {
      pendingKey = JSON.parse(text.slice(start, i)) as string;
      expectKey = false;
      continue;
    }
    valueStarts(start);
    valueEnds(i);
    if (parent?.array) parent.index++;
    else expectKey = true;
  }
  return span;
}

/**
 * The text of a Parameters' `resource`, in place: everything around it becomes spaces (line breaks kept), so
 * that the validator reports the lines and columns of the text that was sent.
 */
export function isolateSpan(text: string, span: { start: number; end: number }): string {
  const blank = (part: string) => part.replace(/[^\n\r]/gu, ' ');
  return blank(text.slice(0, span.start)) + text.slice(span.start, span.end) + blank(text.slice(span.end));
}

// ── routes ──────────────────────────────────────────────────────────────────

function send(reply: FastifyReply, status: number, body: Outcome) {
  return reply.code(status).type(FHIR_JSON).header('cache-control', 'no-store').send(JSON.stringify(body));
}

/** `POST /fhir/$validate` and `POST /fhir/[type]/$validate`: the validator as a FHIR operation. */
export function fhirRoutes(ctx: AppContext) {
  const limit = ctx.config.fhirMaxResourceBytes;
  return async (app: App) => {
    // In this plugin's scope only: JSON bodies arrive as text, up to the FHIR size limit; any other content
    // type is refused (415).
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      ['application/fhir+json', 'application/json'],
      { parseAs: 'string', bodyLimit: limit },
      (_request, body, done) => done(null, body),
    );

    // Every answer of these routes is an OperationOutcome, errors included.
    app.setErrorHandler((error, request, reply) => {
      const err = error as { statusCode?: number; validation?: unknown; message: string };
      const t = request.t;
      const status = err.statusCode ?? 500;
      if (status === 413) {
        const sent = Number(request.headers['content-length']);
        const size = Number.isSafeInteger(sent) && sent > limit ? sent : undefined;
        return send(reply, 413, toOperationOutcome([tooLargeIssue(limit, size)], request.locale));
      }
      if (status === 415) {
        return send(
          reply,
          415,
          plainOutcome({ severity: 'error', code: 'not-supported', text: t('fhir.outcome.media_type') }),
        );
      }
      if (err.validation || (status >= 400 && status < 500)) {
        return send(
          reply,
          status === 500 ? 400 : status,
          plainOutcome({
            severity: 'error',
            code: 'invalid',
            text: t('fhir.outcome.bad_request', { detail: err.message }),
          }),
        );
      }
      request.log.error(
        { err: { type: (error as Error).name, message: err.message } },
        'fhir $validate failed',
      );
      return send(
        reply,
        500,
        plainOutcome({ severity: 'fatal', code: 'exception', text: t('error.internal') }),
      );
    });

    const validate = async (
      request: FastifyRequest<{ Querystring: Static<typeof Query>; Params: { type?: string } }>,
      reply: FastifyReply,
    ) => {
      let text = typeof request.body === 'string' ? request.body : '';
      const options = {
        rules: request.query.rules ?? 'mes',
        resourceType: request.params.type,
        maxBytes: limit,
      };
      let parsed: unknown;
      let readable = true;
      try {
        parsed = JSON.parse(text);
      } catch {
        readable = false;
      }
      // A standard $validate may wrap the resource in Parameters: validate that resource, at its place in the text.
      const index = readable ? resourceParameterIndex(parsed) : undefined;
      if (index !== undefined) {
        const span = jsonValueSpan(text, ['parameter', index, 'resource']);
        if (span) text = isolateSpan(text, span);
      }
      const checked: CheckedText = checkText(text, options);
      if (checked.failure) {
        request.log.error(
          { err: { type: checked.failure.name, message: checked.failure.message } },
          'the validator failed on a resource',
        );
      }
      const status = checked.failure ? 422 : readable ? 200 : 400;
      return send(reply, status, outcomeOf(checked, request.locale, request.t('fhir.outcome.internal')));
    };

    const description = [
      'Valide une ressource FHIR R4 contre les profils de l’IG Mesures de santé, PDSm et FR Core, et (par défaut) les règles de l’API de Mon espace santé qui ne dépendent pas de l’appelant. Sans authentification : rien n’est enregistré.',
      `Corps : la ressource en JSON (application/fhir+json ou application/json), ou un Parameters dont le paramètre « resource » la porte ; ${formatBytes(translator(fhirMessages, 'fr'), limit)} au plus.`,
      'Réponse : un OperationOutcome dans la langue d’Accept-Language (fr par défaut, en) ; 200 dès que la ressource a pu être examinée, même avec des erreurs ; chaque problème porte son expression (chemin FHIRPath) et, si elle est connue, sa position dans le texte (Line[l] Col[c]).',
      '',
      'Validates a FHIR R4 resource against the profiles and (by default) the MES API rules that do not depend on the caller. 200 whenever the resource could be examined, even with errors; messages in the language of Accept-Language.',
    ].join('\n');

    const route = {
      // No CSRF token: nothing is changed or stored, and only JSON is read, which a cross-site form cannot send.
      config: { action: 'fhir.validate' as const, csrf: false as const },
      bodyLimit: limit,
    };

    app.post(
      '/fhir/$validate',
      {
        ...route,
        schema: {
          tags: ['FHIR'],
          summary: 'Valider une ressource FHIR / validate a FHIR resource ($validate)',
          description,
          consumes: ['application/fhir+json', 'application/json'],
          produces: ['application/fhir+json'],
          querystring: Query,
          body: Body,
          response: responses,
        },
      },
      validate,
    );

    app.post(
      '/fhir/:type/$validate',
      {
        ...route,
        schema: {
          tags: ['FHIR'],
          summary: 'Valider une ressource d’un type donné / validate a resource of a given type ($validate)',
          description: `${description}\n\nLe type du chemin doit être celui de la ressource ; sinon, ou s’il est inconnu, c’est un problème de l’OperationOutcome. / The path's type must be the resource's; otherwise, or if it is unknown, it is an issue of the outcome.`,
          consumes: ['application/fhir+json', 'application/json'],
          produces: ['application/fhir+json'],
          params: TypeParams,
          querystring: Query,
          body: Body,
          response: responses,
        },
      },
      validate,
    );
  };
}
