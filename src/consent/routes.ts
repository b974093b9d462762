/**
 * The citizen's JSON API of pairings and consents (/api/v1/usager), signed in by the session cookie: the
 * same use cases as the pages. A pairing that is not the citizen's (nor a minor's in their care) answers 404,
 * as one that does not exist: existence is never revealed. Every change names the row version it read; a
 * stale one gets 409 with the pairing as it stands.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type App, ErrorBody } from '../platform/http.ts';
import {
  type ActivityItem,
  activityOf,
  type ConsentDeps,
  managedCitizens,
  PairingConflict,
  type PairingView,
  pairingsOf,
  pairingView,
  setConsents,
  unpair,
} from './service.ts';

const Id = Type.String({ description: 'UUID' });
/** An error, with the consent as it now stands when a change came too late (409). */
const ConsentError = Type.Object(
  { error: ErrorBody.properties.error, current: Type.Optional(Type.Unknown()) },
  { description: 'Erreur / error' },
);
const ConsentJson = Type.Object({
  finalite: Type.String(),
  category: Type.String(),
  action: Type.Union([Type.Literal('read'), Type.Literal('write')]),
  status: Type.Union([Type.Literal('active'), Type.Literal('withdrawn')]),
  grantedAt: Type.String({ format: 'date-time' }),
  withdrawnAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  grantedBy: Type.String(),
});
const PairingJson = Type.Object(
  {
    id: Id,
    citizenId: Id,
    serviceOid: Type.String(),
    serviceName: Type.String(),
    organisationName: Type.String(),
    idPe: Type.String({ description: 'L’identifiant pseudonyme du citoyen pour ce service / the idPe' }),
    serviceUserId: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('active'), Type.Literal('unpaired')]),
    pairedAt: Type.String({ format: 'date-time' }),
    unpairedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    acknowledgedVersion: Type.String(),
    currentVersion: Type.String(),
    needsReapproval: Type.Union([Type.Literal('version'), Type.Literal('majority'), Type.Null()]),
    catalogueStatus: Type.Union([Type.String(), Type.Null()]),
    offer: Type.Object({
      finalites: Type.Array(
        Type.Object({
          code: Type.String(),
          exchanges: Type.Array(Type.Object({ category: Type.String(), action: Type.String() })),
        }),
      ),
    }),
    consents: Type.Array(ConsentJson),
    rowVersion: Type.Integer(),
  },
  { description: 'Un appariement et ses accords / a pairing and its consents' },
);
const ActivityJson = Type.Object({
  at: Type.String({ format: 'date-time' }),
  serviceName: Type.String(),
  serviceOid: Type.String(),
  kind: Type.String({ description: 'paired, changed, withdrawn, reapproved, unpaired, access' }),
  by: Type.String({ description: 'self, guardian, service' }),
  finalites: Type.Optional(Type.Array(Type.String())),
  category: Type.Optional(Type.String()),
  action: Type.Optional(Type.String()),
  outcome: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  operation: Type.Optional(Type.String()),
});
const errors = { '4xx': ConsentError };
const tags = ['usager : appariements et accords / citizen: pairings and consents'];
const IdParams = Type.Object({ id: Id });

export function pairingJson(p: PairingView): Static<typeof PairingJson> {
  return {
    id: p.id,
    citizenId: p.citizenId,
    serviceOid: p.serviceOid,
    serviceName: p.serviceName,
    organisationName: p.organisationName,
    idPe: p.idPe,
    serviceUserId: p.serviceUserId,
    status: p.status,
    pairedAt: p.pairedAt.toISOString(),
    unpairedAt: p.unpairedAt?.toISOString() ?? null,
    acknowledgedVersion: p.acknowledgedVersion,
    currentVersion: p.currentVersion,
    needsReapproval: p.needsReapproval,
    catalogueStatus: p.catalogueStatus,
    offer: p.offer,
    consents: p.consents.map((c) => ({
      ...c,
      grantedAt: c.grantedAt.toISOString(),
      withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
    })),
    rowVersion: p.rowVersion,
  };
}

const activityJson = (a: ActivityItem): Static<typeof ActivityJson> => ({ ...a, at: a.at.toISOString() });

/** Answers a stale row version with the pairing as it stands; any other error goes to the app's handler. */
function conflictAnswer(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof PairingConflict) {
    return reply.code(409).send({
      error: { code: 'conflict', message: request.t(error.message, error.params) },
      current: pairingJson(error.current),
    });
  }
  throw error;
}

export function consentRoutes(deps: ConsentDeps) {
  return async (app: App) => {
    const now = () => (deps.now ? deps.now() : new Date());

    app.get(
      '/api/v1/usager/appariements',
      {
        config: { action: 'citizen.consents' },
        schema: {
          tags,
          summary:
            'Mes services appariés et ceux des mineurs à ma charge / my paired services and my minors’',
          response: {
            200: Type.Object({
              citizens: Type.Array(
                Type.Object({
                  id: Id,
                  name: Type.String(),
                  self: Type.Boolean(),
                  majorityDate: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
              pairings: Type.Array(PairingJson),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const at = now();
        const citizens = await managedCitizens(deps.db, request.actor, at);
        const pairings: PairingView[] = [];
        for (const c of citizens) pairings.push(...(await pairingsOf(deps.db, request.actor, c.id, at)));
        return { citizens, pairings: pairings.map(pairingJson) };
      },
    );

    app.get(
      '/api/v1/usager/appariements/:id',
      {
        config: { action: 'citizen.consents' },
        schema: {
          tags,
          summary: 'Un appariement et ses accords / one pairing and its consents',
          params: IdParams,
          response: { 200: PairingJson, ...errors },
        },
      },
      async (request) => pairingJson(await pairingView(deps.db, request.actor, request.params.id, now())),
    );

    app.put(
      '/api/v1/usager/appariements/:id/consentements',
      {
        config: { action: 'citizen.consents' },
        schema: {
          tags,
          summary:
            'Changer, retirer ([]) ou renouveler ses accords / change, withdraw ([]) or renew consents',
          description:
            'Les finalités cochées remplacent les accords du service : celles de l’offre seulement (422 sinon). Une liste vide retire tout et révoque les jetons du service. / The ticked finalités replace the consents.',
          params: IdParams,
          body: Type.Object(
            {
              rowVersion: Type.Integer({ minimum: 1 }),
              finalites: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: PairingJson, ...errors },
        },
      },
      async (request, reply) => {
        try {
          const view = await setConsents(
            deps,
            request.actor,
            request.params.id,
            request.body.rowVersion,
            request.body.finalites,
          );
          return pairingJson(view);
        } catch (error) {
          return conflictAnswer(request, reply, error);
        }
      },
    );

    app.delete(
      '/api/v1/usager/appariements/:id',
      {
        config: { action: 'citizen.consents' },
        schema: {
          tags,
          summary: 'Désynchroniser un service / unpair a service',
          params: IdParams,
          querystring: Type.Object({ rowVersion: Type.Integer({ minimum: 1 }) }),
        },
      },
      async (request, reply) => {
        try {
          await unpair(deps, request.actor, request.params.id, request.query.rowVersion);
          return reply.code(204).send();
        } catch (error) {
          return conflictAnswer(request, reply, error);
        }
      },
    );

    app.get(
      '/api/v1/usager/activite',
      {
        config: { action: 'citizen.consents' },
        schema: {
          tags,
          summary: 'Historique d’activité des services / the services’ activity history',
          querystring: Type.Object({
            citoyen: Type.Optional(Id),
            avant: Type.Optional(Type.String({ format: 'date-time' })),
            limite: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
          }),
          response: { 200: Type.Object({ items: Type.Array(ActivityJson) }), ...errors },
        },
      },
      async (request) => {
        const actor = request.actor;
        const citizenId = request.query.citoyen ?? (actor.kind === 'citizen' ? actor.citizenId : '');
        const items = await activityOf(
          deps.db,
          actor,
          citizenId,
          {
            before: request.query.avant ? new Date(request.query.avant) : undefined,
            limit: request.query.limite ?? 50,
          },
          now(),
        );
        return { items: items.map(activityJson) };
      },
    );
  };
}
