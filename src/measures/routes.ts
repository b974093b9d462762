/**
 * The read routes of the Mesures de santé API (the push is `POST /fhir`, in the FHIR exchange scope). They
 * are registered inside that scope, which reads bodies, and answers errors as OperationOutcome. The search runs
 * on the facts its grant's previous call found (its statement checks they still hold); a read by id, whose
 * 404 may rest on a decision alone, reads them afresh.
 */
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../app.ts';
import { withDataCaller } from '../fhir/api/gate.ts';
import type { App } from '../platform/http.ts';
import { etagOf } from './model.ts';
import {
  observationHistory,
  observationVersion,
  type ReadResult,
  readDevice,
  readObservation,
  searchMeasures,
} from './service.ts';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

function send(reply: FastifyReply, body: unknown) {
  return reply.code(200).type(FHIR_JSON).header('cache-control', 'no-store').send(JSON.stringify(body));
}

function sendResource(reply: FastifyReply, read: ReadResult) {
  reply.header('etag', etagOf(read.versionId)).header('last-modified', read.lastUpdated.toUTCString());
  return send(reply, read.resource);
}

const route = (summary: string) => ({
  config: { action: 'service.api' as const },
  schema: { tags: ['FHIR'], summary, security: [{ bearer: [] }] },
});

/** The query's parameters in order, repeated ones kept (`date=ge…&date=le…`). */
function queryOf(url: string): Array<[string, string]> {
  const at = url.indexOf('?');
  return at === -1 ? [] : [...new URLSearchParams(url.slice(at + 1))];
}

export function measuresRoutes(ctx: AppContext) {
  return async (app: App) => {
    app.get(
      '/fhir/Observation',
      route(
        'Rechercher des mesures (code, subject.identifier, date, _count, _offset, _sort, _include) / search measures',
      ),
      async (request, reply) => {
        // On the facts of the grant's previous call: the search's statement checks they still hold.
        const answer = await withDataCaller(
          ctx,
          request.headers.authorization,
          (caller) => searchMeasures(ctx, caller, queryOf(request.url)),
          { remembered: true },
        );
        return send(reply, answer);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/fhir/Observation/:id',
      route('Lire une mesure / read a measure'),
      async (request, reply) => {
        const answer = await withDataCaller(ctx, request.headers.authorization, (caller) =>
          readObservation(ctx, caller, request.params.id),
        );
        return sendResource(reply, answer);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/fhir/Observation/:id/_history',
      route('Historique d’une mesure / history of a measure'),
      async (request, reply) => {
        const answer = await withDataCaller(ctx, request.headers.authorization, (caller) =>
          observationHistory(ctx, caller, request.params.id),
        );
        return send(reply, answer);
      },
    );

    app.get<{ Params: { id: string; vid: string } }>(
      '/fhir/Observation/:id/_history/:vid',
      route('Lire une version d’une mesure / read a version of a measure'),
      async (request, reply) => {
        const answer = await withDataCaller(ctx, request.headers.authorization, (caller) =>
          observationVersion(ctx, caller, request.params.id, request.params.vid),
        );
        return sendResource(reply, answer);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/fhir/Device/:id',
      route('Lire un appareil de mesure / read a measuring device'),
      async (request, reply) => {
        const answer = await withDataCaller(ctx, request.headers.authorization, (caller) =>
          readDevice(ctx, caller, request.params.id),
        );
        return sendResource(reply, answer);
      },
    );
  };
}
