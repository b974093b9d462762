/**
 * The documents API's routes under /fhir (registered by the FHIR exchange plugin, whose scope reads the
 * bodies and answers errors as OperationOutcome): ITI-67 search (GET, and POST `_search` with a form body),
 * DocumentReference read and history, List read, ITI-68 Binary retrieve.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import { withDataCaller } from '../fhir/api/gate.ts';
import { sendFhir } from '../fhir/api/plugin.ts';
import type { App } from '../platform/http.ts';
import { binaryResource, fileNameOf, parameterPairs, safeContentType } from './model.ts';
import {
  documentHistory,
  documentVersion,
  type ReadResult,
  readBinary,
  readDocument,
  readList,
  searchDocuments,
} from './service.ts';

const Id = Type.Object({
  id: Type.String({ description: 'Identifiant attribué par le serveur / server id' }),
});
const IdVersion = Type.Object({ id: Type.String(), vid: Type.String({ description: 'versionId' }) });

const doc = (summary: string) => ({ tags: ['FHIR'], summary, security: [{ bearer: [] }] });
const route = { config: { action: 'service.api' as const } };

/** The query string's parameters as sent (repeated ones kept in order). */
function queryPairs(request: FastifyRequest): Array<[string, string]> {
  const question = request.url.indexOf('?');
  return question < 0 ? [] : [...new URLSearchParams(request.url.slice(question + 1))];
}

function sendRead(reply: FastifyReply, read: ReadResult) {
  reply.header('etag', `W/"${read.versionId}"`).header('last-modified', read.lastUpdated.toUTCString());
  return sendFhir(reply, 200, read.resource);
}

/** Whether the client asks for the FHIR Binary resource rather than the document's bytes. */
function wantsFhirJson(request: FastifyRequest): boolean {
  const accept = String(request.headers.accept ?? '').toLowerCase();
  return /application\/(fhir\+)?json/.test(accept);
}

export function documentsRoutes(ctx: AppContext) {
  return async (app: App) => {
    app.get(
      '/fhir/DocumentReference',
      {
        ...route,
        schema: {
          ...doc('ITI-67 : rechercher des documents / find document references'),
          description:
            'patient (Patient/<idPe>) ou patient.identifier (<système idPe>|<idPe>) et status sont obligatoires ; aussi type, category, format, security-label, identifier, date, period-start, period-end, creation, isArchived, _count (50, max 100), _offset (page), _sort (date, -date). / patient or patient.identifier and status are required.',
        },
      },
      async (request, reply) => {
        const answer = await withDataCaller(ctx, request.headers.authorization, (caller) =>
          searchDocuments(ctx, caller, queryPairs(request)),
        );
        return sendFhir(reply, 200, answer);
      },
    );

    app.post(
      '/fhir/DocumentReference/_search',
      {
        config: { action: 'service.api', csrf: false },
        schema: doc('ITI-67 par POST (formulaire) / find document references by POST (form body)'),
      },
      async (request, reply) => {
        const form =
          typeof request.body === 'string'
            ? [...new URLSearchParams(request.body)]
            : parameterPairs(request.body);
        const answer = await withDataCaller(ctx, request.headers.authorization, (caller) =>
          searchDocuments(ctx, caller, [...queryPairs(request), ...form]),
        );
        return sendFhir(reply, 200, answer);
      },
    );

    app.get(
      '/fhir/DocumentReference/:id',
      { ...route, schema: { ...doc('Lire un document (fiche) / read a DocumentReference'), params: Id } },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const answer = await withDataCaller(ctx, request.headers.authorization, (caller) =>
          readDocument(ctx, caller, id),
        );
        return sendRead(reply, answer);
      },
    );

    app.get(
      '/fhir/DocumentReference/:id/_history',
      { ...route, schema: { ...doc('Versions d’un document / history of a DocumentReference'), params: Id } },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const answer = await withDataCaller(ctx, request.headers.authorization, (caller) =>
          documentHistory(ctx, caller, id),
        );
        return sendFhir(reply, 200, answer);
      },
    );

    app.get(
      '/fhir/DocumentReference/:id/_history/:vid',
      {
        ...route,
        schema: {
          ...doc('Une version d’un document / one version of a DocumentReference'),
          params: IdVersion,
        },
      },
      async (request, reply) => {
        const { id, vid } = request.params as { id: string; vid: string };
        const answer = await withDataCaller(ctx, request.headers.authorization, (caller) =>
          documentVersion(ctx, caller, id, vid),
        );
        return sendRead(reply, answer);
      },
    );

    app.get(
      '/fhir/List/:id',
      {
        ...route,
        schema: {
          ...doc('Lire un lot de soumission ou un classeur / read a submission set or folder'),
          params: Id,
        },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const answer = await withDataCaller(ctx, request.headers.authorization, (caller) =>
          readList(ctx, caller, id),
        );
        return sendRead(reply, answer);
      },
    );

    app.get(
      '/fhir/Binary/:id',
      {
        ...route,
        schema: {
          ...doc('ITI-68 : récupérer un document / retrieve a document'),
          description:
            'Le contenu du document avec son type ; la ressource Binary FHIR si Accept demande application/fhir+json. / The document bytes with their type; the FHIR Binary when Accept asks application/fhir+json.',
          params: Id,
        },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const binary = await withDataCaller(ctx, request.headers.authorization, (caller) =>
          readBinary(ctx, caller, id),
        );
        reply
          .header('etag', 'W/"1"')
          .header('last-modified', binary.createdAt.toUTCString())
          .header('x-content-type-options', 'nosniff');
        if (wantsFhirJson(request)) return sendFhir(reply, 200, binaryResource(binary));
        // Never rendered by the browser as a page of this site: a download, in a sandbox if opened anyway.
        const contentType = safeContentType(binary.contentType);
        return reply
          .code(200)
          .type(contentType)
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="${fileNameOf(undefined, contentType)}"`)
          .header('content-security-policy', "sandbox; default-src 'none'")
          .send(binary.data);
      },
    );
  };
}
