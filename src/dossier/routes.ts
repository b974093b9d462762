/**
 * The JSON API of the referencing file (/api/v1): the same use cases as the pages. Every change names the
 * row version it read; a stale one gets 409 with the file's current state, an illegal step 409
 * `illegal_transition`, a refused guard 422 with its fields.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type App, ErrorBody } from '../platform/http.ts';
import { dropDossierClientSecret, issueDossierClientSecret } from './oauth-client-service.ts';
import * as service from './service.ts';
import { DossierConflict, type DossierDeps, VerdictConflict } from './service.ts';

const Id = Type.String({ description: 'UUID' });
const RowVersion = Type.Integer({
  minimum: 1,
  description: 'La version du dossier lue / the row version of the file the change is based on',
});
// The views are described in the service (DossierView, Dashboard…); their JSON is what the service returns.
const errors = { '2xx': Type.Unknown(), '4xx': ErrorBody };
const security = [{ bearer: [] }];
const tags = ['dossiers de référencement / referencing files'];
const IdParams = Type.Object({ id: Id });

/** Answers a conflict with the file (or verdict) as it now stands; any other error goes to the app's handler. */
function conflictAnswer(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof DossierConflict) {
    return reply.code(409).send({
      error: { code: 'conflict', message: request.t(error.message, error.params) },
      current: error.current,
    });
  }
  if (error instanceof VerdictConflict) {
    return reply.code(409).send({
      error: { code: 'conflict', message: request.t(error.message, error.params) },
      current: error.current ?? null,
    });
  }
  throw error;
}

const ActionBody = Type.Object(
  {
    rowVersion: RowVersion,
    action: Type.Object(
      {
        type: Type.String({
          description:
            'submit, withdraw, declare_admissible, declare_inadmissible, request_info, answer_info, send_to_commission, give_opinion, lift_reservation, decide, sign_convention, publish, accept_update, refuse_update, take_offline, put_online, suspend, lift_suspension, dereference, request_renewal, renew',
        }),
      },
      {
        additionalProperties: true,
        description: 'L’étape et ses champs (reasons, message, dueAt, opinion…)',
      },
    ),
  },
  { additionalProperties: false },
);

export function dossierRoutes(deps: DossierDeps) {
  return async (app: App) => {
    // Documents are sent as their bytes (the type is read from them, whatever the header says).
    app.addContentTypeParser(
      ['application/pdf', 'application/octet-stream', 'image/png', 'image/jpeg', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: deps.config.evidenceMaxBytes + 1 },
      (_request, body, done) => done(null, body),
    );

    app.get(
      '/api/v1/organisations/:orgId/dossiers',
      {
        config: { action: 'dossier.view_one' },
        schema: {
          tags,
          security,
          summary: 'Dossiers d’une organisation / an organisation’s files',
          params: Type.Object({ orgId: Id }),
          response: errors,
        },
      },
      async (request) => ({
        items: await service.listDossiersOfOrganisation(deps, request.actor, request.params.orgId),
      }),
    );

    app.post(
      '/api/v1/dossiers',
      {
        config: { action: 'dossier.publisher' },
        schema: {
          tags,
          security,
          summary: 'Créer une demande (brouillon) / create a request (draft)',
          body: Type.Object(
            { productId: Id, assessmentId: Type.Optional(Id) },
            { additionalProperties: false },
          ),
          response: errors,
        },
      },
      async (request, reply) => {
        const view = await service.createDossier(deps, request.actor, request.body);
        return reply.code(201).send(view);
      },
    );

    app.get(
      '/api/v1/dossiers/:id',
      {
        config: { action: 'dossier.view_one' },
        schema: { tags, security, summary: 'Un dossier / one file', params: IdParams, response: errors },
      },
      async (request) => service.getDossier(deps, request.actor, request.params.id),
    );

    app.put(
      '/api/v1/dossiers/:id/request',
      {
        config: { action: 'dossier.publisher' },
        schema: {
          tags,
          security,
          summary: 'Contenu de la demande (brouillon) / the request’s content (draft)',
          params: IdParams,
          body: Type.Object({
            rowVersion: RowVersion,
            request: Type.Object({}, { additionalProperties: true }),
          }),
          response: errors,
        },
      },
      async (request, reply) => {
        try {
          return await service.updateRequest(
            deps,
            request.actor,
            request.params.id,
            request.body.rowVersion,
            request.body.request,
          );
        } catch (error) {
          return conflictAnswer(request, reply, error);
        }
      },
    );

    app.post(
      '/api/v1/dossiers/:id/documents',
      {
        config: { action: 'dossier.publisher' },
        schema: {
          tags,
          security,
          summary: 'Joindre une pièce (corps : ses octets) / attach a document (body: its bytes)',
          params: IdParams,
          querystring: Type.Object({
            kind: Type.String({ description: 'cgu, privacy, dpia, other' }),
            name: Type.String({ minLength: 1, maxLength: 255 }),
            rowVersion: Type.Integer({ minimum: 1 }),
          }),
          response: errors,
        },
      },
      async (request, reply) => {
        const body = request.body;
        const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
        try {
          const view = await service.addDocument(
            deps,
            request.actor,
            request.params.id,
            request.query.rowVersion,
            request.query.kind,
            {
              name: request.query.name,
              bytes,
            },
          );
          return reply.code(201).send(view);
        } catch (error) {
          return conflictAnswer(request, reply, error);
        }
      },
    );

    app.delete(
      '/api/v1/dossiers/:id/documents/:documentId',
      {
        config: { action: 'dossier.publisher' },
        schema: {
          tags,
          security,
          summary: 'Retirer une pièce (brouillon) / remove a document (draft)',
          params: Type.Object({ id: Id, documentId: Id }),
          querystring: Type.Object({ rowVersion: Type.Integer({ minimum: 1 }) }),
          response: errors,
        },
      },
      async (request, reply) => {
        try {
          return await service.removeDocument(
            deps,
            request.actor,
            request.params.id,
            request.query.rowVersion,
            request.params.documentId,
          );
        } catch (error) {
          return conflictAnswer(request, reply, error);
        }
      },
    );

    app.get(
      '/api/v1/dossiers/:id/documents/:documentId',
      {
        config: { action: 'dossier.view_one' },
        schema: {
          tags,
          security,
          summary: 'Une pièce (octets) / a document (bytes)',
          params: Type.Object({ id: Id, documentId: Id }),
        },
      },
      async (request, reply) => {
        const file = await service.documentFile(
          deps,
          request.actor,
          request.params.id,
          request.params.documentId,
        );
        return reply
          .header('content-type', file.mediaType)
          .header('content-disposition', `attachment; filename="${encodeURIComponent(file.name)}"`)
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .send(file.content);
      },
    );

    app.post(
      '/api/v1/dossiers/:id/actions',
      {
        config: { action: 'dossier.view_one' },
        schema: {
          tags,
          security,
          summary: 'Faire une étape du dossier / do a step of the file',
          description:
            'L’automate décide : 403 si votre rôle ne le permet pas, 409 `illegal_transition` depuis cet état, 409 `conflict` si le dossier a changé (avec `current`), 422 si une condition manque.',
          params: IdParams,
          body: ActionBody,
          response: errors,
        },
      },
      async (request, reply) => {
        const action = service.actionFrom(request.body.action as Record<string, unknown>);
        try {
          return await service.act(deps, request.actor, request.params.id, request.body.rowVersion, action);
        } catch (error) {
          return conflictAnswer(request, reply, error);
        }
      },
    );

    app.get(
      '/api/v1/dossiers/:id/timeline',
      {
        config: { action: 'dossier.view_one' },
        schema: { tags, security, summary: 'Chronologie / timeline', params: IdParams, response: errors },
      },
      async (request) => ({ items: await service.timeline(deps, request.actor, request.params.id) }),
    );

    app.get(
      '/api/v1/dossiers/:id/evaluation',
      {
        config: { action: 'dossier.staff' },
        schema: {
          tags,
          security,
          summary: 'Critères à évaluer et verdicts / criteria to evaluate and verdicts',
          params: IdParams,
          response: errors,
        },
      },
      async (request) => ({ items: await service.evaluationOf(deps, request.actor, request.params.id) }),
    );

    app.put(
      '/api/v1/dossiers/:id/verdicts/:criterionId',
      {
        config: { action: 'dossier.staff' },
        schema: {
          tags,
          security,
          summary: 'Verdict sur un critère / verdict on a criterion',
          params: Type.Object({ id: Id, criterionId: Type.String({ maxLength: 100 }) }),
          body: Type.Object({
            verdict: Type.String({ description: 'conforme, non_conforme, a_completer' }),
            comment: Type.String({ maxLength: 20_000 }),
            rowVersion: Type.Integer({
              minimum: 0,
              description: '0 pour un premier verdict / 0 for a first verdict',
            }),
          }),
          response: errors,
        },
      },
      async (request, reply) => {
        try {
          return await service.recordVerdict(
            deps,
            request.actor,
            request.params.id,
            request.params.criterionId,
            request.body,
          );
        } catch (error) {
          return conflictAnswer(request, reply, error);
        }
      },
    );

    app.put(
      '/api/v1/dossiers/:id/assignee',
      {
        config: { action: 'dossier.staff' },
        schema: {
          tags,
          security,
          summary: 'Attribuer à un instructeur / assign to an instructor',
          params: IdParams,
          body: Type.Object({ rowVersion: RowVersion, accountId: Type.Union([Id, Type.Null()]) }),
          response: errors,
        },
      },
      async (request, reply) => {
        try {
          return await service.assign(
            deps,
            request.actor,
            request.params.id,
            request.body.rowVersion,
            request.body.accountId,
          );
        } catch (error) {
          return conflictAnswer(request, reply, error);
        }
      },
    );

    app.post(
      '/api/v1/dossiers/:id/test-reports',
      {
        config: { action: 'dossier.view_one' },
        schema: {
          tags,
          security,
          summary:
            'Déposer un rapport de tests d’accrochage signé (JWS) / file a signed connection-test report',
          params: IdParams,
          body: Type.Object({ rowVersion: RowVersion, report: Type.String({ maxLength: 2_000_000 }) }),
          response: errors,
        },
      },
      async (request, reply) => {
        try {
          const view = await service.recordTestReport(
            deps,
            request.actor,
            request.params.id,
            request.body.rowVersion,
            request.body.report,
          );
          return reply.code(201).send(view);
        } catch (error) {
          return conflictAnswer(request, reply, error);
        }
      },
    );

    app.post(
      '/api/v1/dossiers/:id/versions',
      {
        config: { action: 'dossier.publisher' },
        schema: {
          tags,
          security,
          summary: 'Déclarer une nouvelle version du service / declare a new version of the service',
          params: IdParams,
          body: Type.Object({
            rowVersion: RowVersion,
            version: Type.String({ maxLength: 100 }),
            major: Type.Boolean(),
            rubriques: Type.Array(Type.String({ maxLength: 50 }), { maxItems: 10 }),
            description: Type.String({ maxLength: 20_000 }),
          }),
          response: errors,
        },
      },
      async (request, reply) => {
        try {
          const result = await service.declareVersion(
            deps,
            request.actor,
            request.params.id,
            request.body.rowVersion,
            request.body,
          );
          return reply.code(result.update ? 201 : 200).send(result);
        } catch (error) {
          return conflictAnswer(request, reply, error);
        }
      },
    );

    // ── the service's OAuth2 client secret (mandataire or représentant, published with data exchange)

    const noStore = 'no-store';
    app.post(
      '/api/v1/dossiers/:id/client-secret',
      {
        config: { action: 'dossier.publisher' },
        schema: {
          tags,
          security,
          summary: 'Générer un secret client OAuth2 / issue an OAuth2 client secret',
          description:
            'Le client du service s’authentifie ensuite en `client_secret_basic` ; le secret précédent cesse de fonctionner à l’instant. Le secret n’est renvoyé qu’ici, une fois (`Cache-Control: no-store`). 403 hors mandataire ou représentant, 409 si le service n’est pas publié avec échange de données ou si son client n’est pas actif. / The client then authenticates with `client_secret_basic`; the previous secret stops working at once. The secret is returned here only, once.',
          params: IdParams,
          response: {
            201: Type.Object({
              clientId: Type.String({ description: 'OID du service / the service’s OID' }),
              clientSecret: Type.String({
                description: 'À conserver : jamais réaffiché / keep it: never shown again',
              }),
              tokenEndpointAuthMethod: Type.Literal('client_secret_basic'),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', noStore);
        const issued = await issueDossierClientSecret(deps, request.actor, request.params.id);
        return reply.code(201).send(issued);
      },
    );

    app.delete(
      '/api/v1/dossiers/:id/client-secret',
      {
        config: { action: 'dossier.publisher' },
        schema: {
          tags,
          security,
          summary:
            'Supprimer le secret client : retour à private_key_jwt / delete the client secret: back to private_key_jwt',
          description:
            '409 s’il n’y a pas de secret, si aucune clé publique n’est déclarée, si le service n’est pas publié avec échange de données ou si son client n’est pas actif. / 409 when there is no secret, no public key is declared, the service is not published with data exchange or its client is not active.',
          params: IdParams,
          response: {
            200: Type.Object({
              clientId: Type.String(),
              tokenEndpointAuthMethod: Type.Literal('private_key_jwt'),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', noStore);
        return dropDossierClientSecret(deps, request.actor, request.params.id);
      },
    );

    const DashboardQuery = Type.Object({
      state: Type.Optional(Type.String({ maxLength: 50 })),
      assigned: Type.Optional(Type.String({ maxLength: 50 })),
      overdue: Type.Optional(Type.Boolean()),
      search: Type.Optional(Type.String({ maxLength: 100 })),
      page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    });
    app.get(
      '/api/v1/instruction/dossiers',
      {
        config: { action: 'dossier.staff' },
        schema: {
          tags,
          security,
          summary: 'Tableau de bord de l’instruction / instruction dashboard',
          querystring: DashboardQuery,
          response: errors,
        },
      },
      async (request) =>
        service.dashboard(deps, request.actor, request.query as Static<typeof DashboardQuery>),
    );

    app.get(
      '/api/v1/referencement/delais',
      {
        config: { action: 'public.view' },
        schema: {
          tags,
          summary:
            'Délais de traitement médians par phase (90 jours) / median processing time per phase (90 days)',
        },
      },
      async () => ({
        windowDays: service.MEDIAN_WINDOW_DAYS,
        phases: await service.publicProcessingTimes(deps),
      }),
    );
  };
}
