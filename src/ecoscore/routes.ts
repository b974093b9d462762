import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import { type App, ErrorBody } from '../platform/http.ts';
import * as service from './service.ts';

// ── schemas ─────────────────────────────────────────────────────────────────

const Problems = Type.Object({
  error: ErrorBody.properties.error,
  problems: Type.Array(
    Type.Object({ file: Type.String(), line: Type.Integer(), path: Type.String(), message: Type.String() }),
  ),
});
const Journey = Type.Object({
  id: Type.String(),
  productId: Type.String(),
  name: Type.String(),
  fileName: Type.String(),
  source: Type.String({ description: 'Le parcours YAML / the YAML journey' }),
  device: Type.String(),
  role: Type.String(),
  version: Type.Integer({
    description: 'Version à renvoyer à la modification / version to send back on update',
  }),
  updatedAt: Type.String({ format: 'date-time' }),
});
const Run = Type.Object({
  id: Type.String(),
  journeyId: Type.String(),
  journeyName: Type.String(),
  status: Type.Union([
    Type.Literal('queued'),
    Type.Literal('running'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  runs: Type.Integer(),
  productVersion: Type.String(),
  journeyVersion: Type.Integer(),
  progress: Type.Record(Type.String(), Type.Unknown()),
  score: Type.Optional(Type.Integer({ description: 'Écoscore indicatif (méthode mesref), pas l’officiel' })),
  methodVersion: Type.Optional(Type.String()),
  result: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  failures: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  error: Type.Optional(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Optional(Type.String({ format: 'date-time' })),
});
const Official = Type.Object({
  id: Type.String(),
  score: Type.Integer(),
  measuredOn: Type.String(),
  journeyName: Type.String(),
  reportUrl: Type.Optional(Type.String()),
  file: Type.Optional(
    Type.Object({
      name: Type.String(),
      mediaType: Type.String(),
      size: Type.Integer(),
      sha256: Type.String(),
    }),
  ),
  recordedAt: Type.String({ format: 'date-time' }),
});
const JourneyBody = Type.Object({
  source: Type.String({ maxLength: service.JOURNEY_SOURCE_MAX * 2 }),
  fileName: Type.Optional(Type.String({ maxLength: 255 })),
  role: Type.Optional(Type.String({ maxLength: 20 })),
});
const errors = { '4xx': ErrorBody };
const bearer = [{ bearer: [] }];
const tags = ['écoscore'];
const Params = Type.Object({ id: Type.String() });

export function journeyJson(j: service.JourneyRow): Static<typeof Journey> {
  return {
    id: j.id,
    productId: j.productId,
    name: j.name,
    fileName: j.fileName,
    source: j.source,
    device: j.device,
    role: j.role,
    version: j.rowVersion,
    updatedAt: j.updatedAt.toISOString(),
  };
}

export function runJson(r: service.RunRow, full = false): Static<typeof Run> {
  return {
    id: r.id,
    journeyId: r.journeyId,
    journeyName: r.journeyName,
    status: r.status,
    runs: r.runs,
    productVersion: r.productVersion,
    journeyVersion: r.journeyVersion,
    progress: r.progress as Record<string, unknown>,
    ...(r.score !== null ? { score: r.score } : {}),
    ...(r.methodVersion ? { methodVersion: r.methodVersion } : {}),
    ...(full && r.result ? { result: r.result } : {}),
    failures: r.failures,
    ...(r.error ? { error: r.error } : {}),
    createdAt: r.createdAt.toISOString(),
    ...(r.finishedAt ? { finishedAt: r.finishedAt.toISOString() } : {}),
  };
}

function officialJson(o: service.OfficialRow): Static<typeof Official> {
  return {
    id: o.id,
    score: o.score,
    measuredOn: o.measuredOn,
    journeyName: o.journeyName,
    ...(o.reportUrl ? { reportUrl: o.reportUrl } : {}),
    ...(o.fileName && o.mediaType && o.sizeBytes && o.sha256
      ? { file: { name: o.fileName, mediaType: o.mediaType, size: o.sizeBytes, sha256: o.sha256 } }
      : {}),
    recordedAt: o.recordedAt.toISOString(),
  };
}

/** A refused journey answers its problems (with lines); a conflict, the current journey. */
function sendEcoscoreError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (!(error instanceof AppError)) throw error;
  const body = { code: error.code, message: request.t(error.message, error.params) };
  if (error instanceof service.JourneyRefused)
    return reply.code(422).send({ error: body, problems: error.problems });
  if (error instanceof service.JourneyConflict)
    return reply.code(409).send({ error: body, current: journeyJson(error.current) });
  throw error;
}

/** The écoscore JSON API under /api/v1: the same use cases as the pages. */
export function ecoscoreRoutes(deps: service.EcoscoreDeps) {
  return async (app: App) => {
    app.get(
      '/api/v1/products/:id/ecoscore',
      {
        config: { action: 'product.view_one' },
        schema: {
          tags,
          summary:
            'Parcours, mesures et écoscore officiel d’un service / journeys, runs and official écoscore',
          security: bearer,
          params: Params,
          response: {
            200: Type.Object({
              journeys: Type.Array(Journey),
              runs: Type.Array(Run),
              official: Type.Array(Official),
              allowedHosts: Type.Array(Type.String()),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const view = await service.listJourneys(deps, request.actor, request.params.id);
        return {
          journeys: view.journeys.map(journeyJson),
          runs: view.runs.map((r) => runJson(r)),
          official: view.official.map(officialJson),
          allowedHosts: view.allowedHosts,
        };
      },
    );

    app.post(
      '/api/v1/products/:id/ecoscore/journeys',
      {
        config: { action: 'product.edit_one' },
        schema: {
          tags,
          summary: 'Ajouter un parcours / add a journey',
          description: 'Le parcours ne peut atteindre que les hôtes des adresses déclarées du service.',
          security: bearer,
          params: Params,
          body: JourneyBody,
          response: { 201: Journey, 422: Problems, ...errors },
        },
      },
      async (request, reply) => {
        try {
          const journey = await service.createJourney(deps, request.actor, request.params.id, request.body);
          return reply
            .code(201)
            .header('location', `/api/v1/ecoscore/journeys/${journey.id}`)
            .send(journeyJson(journey));
        } catch (error) {
          return sendEcoscoreError(request, reply, error);
        }
      },
    );

    app.get(
      '/api/v1/ecoscore/journeys/:id',
      {
        config: { action: 'product.view_one' },
        schema: {
          tags,
          summary: 'Un parcours / one journey',
          security: bearer,
          params: Params,
          response: { 200: Journey, ...errors },
        },
      },
      async (request) =>
        journeyJson((await service.getJourney(deps, request.actor, request.params.id)).journey),
    );

    app.put(
      '/api/v1/ecoscore/journeys/:id',
      {
        config: { action: 'product.edit_one' },
        schema: {
          tags,
          summary: 'Remplacer un parcours / replace a journey',
          security: bearer,
          params: Params,
          body: Type.Intersect([JourneyBody, Type.Object({ version: Type.Integer({ minimum: 1 }) })]),
          response: {
            200: Journey,
            409: Type.Object({ error: ErrorBody.properties.error, current: Journey }),
            422: Problems,
            ...errors,
          },
        },
      },
      async (request, reply) => {
        try {
          const { version, ...input } = request.body;
          return journeyJson(
            await service.updateJourney(deps, request.actor, request.params.id, version, input),
          );
        } catch (error) {
          return sendEcoscoreError(request, reply, error);
        }
      },
    );

    app.post(
      '/api/v1/ecoscore/journeys/:id/runs',
      {
        config: { action: 'product.edit_one' },
        schema: {
          tags,
          summary: 'Lancer une mesure / start a measurement',
          description:
            'Une mesure à la fois par parcours (409 sinon). Suivez-la avec GET /api/v1/ecoscore/runs/{id}.',
          security: bearer,
          params: Params,
          body: Type.Optional(
            Type.Object({ runs: Type.Optional(Type.Integer({ minimum: 1, maximum: service.MAX_RUNS })) }),
          ),
          response: { 202: Run, ...errors },
        },
      },
      async (request, reply) => {
        const run = await service.launchRun(
          deps,
          request.actor,
          request.params.id,
          request.body?.runs ?? service.DEFAULT_RUNS,
        );
        return reply.code(202).header('location', `/api/v1/ecoscore/runs/${run.id}`).send(runJson(run));
      },
    );

    app.get(
      '/api/v1/ecoscore/runs/:id',
      {
        config: { action: 'product.view_one' },
        schema: {
          tags,
          summary: 'Une mesure, son avancement et son résultat / a run, its progress and result',
          security: bearer,
          params: Params,
          response: { 200: Run, ...errors },
        },
      },
      async (request) => runJson((await service.getRun(deps, request.actor, request.params.id)).run, true),
    );

    app.post(
      '/api/v1/products/:id/ecoscore/official',
      {
        config: { action: 'product.edit_one' },
        schema: {
          tags,
          summary:
            'Enregistrer l’écoscore officiel (lien vers le rapport) / record the official écoscore (report link)',
          description:
            'Le rapport en fichier se dépose depuis la page du service. Le lien est joint au critère ETH 32.',
          security: bearer,
          params: Params,
          body: Type.Object({
            score: Type.Integer({ minimum: 0, maximum: 100 }),
            measuredOn: Type.String({ description: 'AAAA-MM-JJ / YYYY-MM-DD' }),
            journeyName: Type.String({ maxLength: 400 }),
            reportUrl: Type.String({ maxLength: 2000 }),
          }),
          response: {
            201: Type.Object({ official: Official, assessmentId: Type.Optional(Type.String()) }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const { record, evidence } = await service.recordOfficial(
          deps,
          request.actor,
          request.params.id,
          request.body,
        );
        return reply.code(201).send({
          official: officialJson(record),
          ...(evidence.assessmentId ? { assessmentId: evidence.assessmentId } : {}),
        });
      },
    );
  };
}
