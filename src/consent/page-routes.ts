/**
 * The citizen's pages for services and consents (`/usager/services`, `/usager/activite`), the export of their
 * data and the closing of their space. Every route declares its action; the consent service decides whose
 * pairing it is (404 for anyone else's).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import { idPeSystemOf } from '../fhir/api/gate.ts';
import { closeSession } from '../identity/sessions.ts';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { formField, formFields } from '../web/forms.ts';
import { renderPage, sendHtml } from '../web/layout.tsx';
import {
  CLOSE_CONFIRMATION_FIELD,
  closeCitizenSpace,
  erasureSteps,
  exportCitizenData,
  exportCitizenFhir,
} from './citizen-data.ts';
import { consentTitles } from './components.tsx';
import {
  ACTIVITY_PATH,
  ActivityPage,
  CLOSE_PATH,
  ClosedPage,
  ClosePage,
  EXPORT_FHIR_PATH,
  EXPORT_JSON_PATH,
  type PersonServices,
  SERVICES_PATH,
  ServicePage,
  type ServiceShown,
  ServicesPage,
  servicePath,
  UnpairPage,
} from './pages.tsx';
import {
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

/** Activity items per page. */
export const ACTIVITY_PAGE_SIZE = 50;

const flashes = new Set(['saved', 'withdrawn', 'reapproved', 'unpaired']);

function queryText(request: FastifyRequest, name: string): string {
  return formField(request.query, name);
}

/** The row version a form sent (NaN when none: the service refuses it with a field error). */
function rowVersionOf(body: unknown): number {
  const text = formField(body, 'rowVersion');
  return /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
}

export function consentPageRoutes(ctx: AppContext) {
  const deps: ConsentDeps = { db: ctx.db, notifier: ctx.notifier };
  const { db } = ctx;
  return async (app: App) => {
    const hide = { hide: true };
    const consents = { action: 'citizen.consents' as const, signIn: '/usager/connexion' };
    const exporting = { action: 'citizen.export' as const, signIn: '/usager/connexion' };
    const closing = { action: 'citizen.close' as const, signIn: '/usager/connexion' };
    type IdParams = { Params: { pairingId: string } };

    const titlesOf = (request: FastifyRequest) => consentTitles(ctx.referentials, request.locale);

    /** Whose space a pairing is in, as a page names it (undefined: the signed-in citizen's own). */
    const personOf = async (request: FastifyRequest, pairing: PairingView): Promise<string | undefined> => {
      const people = await managedCitizens(db, request.actor);
      const person = people.find((p) => p.id === pairing.citizenId);
      return person && !person.self ? person.name : undefined;
    };

    const showService = async (
      request: FastifyRequest,
      reply: FastifyReply,
      pairing: PairingView,
      status: number,
      shown: ServiceShown,
    ) =>
      sendHtml(
        reply,
        status,
        renderPage(
          ServicePage({
            ctx: request.pageContext(),
            pairing,
            person: await personOf(request, pairing),
            titles: titlesOf(request),
            shown,
          }),
        ),
      );

    // ── my services

    app.get(SERVICES_PATH, { config: consents, schema: hide }, async (request, reply) => {
      const people = await managedCitizens(db, request.actor);
      const entries: PersonServices[] = [];
      for (const person of people)
        entries.push({ person, pairings: await pairingsOf(db, request.actor, person.id) });
      return sendHtml(
        reply,
        200,
        renderPage(ServicesPage({ ctx: request.pageContext(), people: entries, titles: titlesOf(request) })),
      );
    });

    app.get<IdParams>(
      `${SERVICES_PATH}/:pairingId`,
      { config: consents, schema: hide },
      async (request, reply) => {
        const pairing = await pairingView(db, request.actor, request.params.pairingId);
        const ok = queryText(request, 'ok');
        return showService(request, reply, pairing, 200, {
          flash: flashes.has(ok) ? (ok as ServiceShown['flash']) : undefined,
        });
      },
    );

    /** A change of consents: the chosen finalités (none: withdraw everything). */
    const change = async (request: FastifyRequest<IdParams>, reply: FastifyReply, finalites: string[]) => {
      const { pairingId } = request.params;
      // Read first: someone else's pairing is not found before anything else is said about the form.
      const before = await pairingView(db, request.actor, pairingId);
      try {
        const after = await setConsents(
          deps,
          request.actor,
          pairingId,
          rowVersionOf(request.body),
          finalites,
        );
        const flash =
          finalites.length === 0
            ? 'withdrawn'
            : before.needsReapproval && !after.needsReapproval
              ? 'reapproved'
              : 'saved';
        return reply.redirect(`${servicePath(pairingId)}?ok=${flash}`, 303);
      } catch (error) {
        if (error instanceof PairingConflict)
          return showService(request, reply, error.current, 409, { conflict: true });
        if (error instanceof AppError && (error.status === 409 || error.status === 422)) {
          const current = await pairingView(db, request.actor, pairingId);
          const field = Object.values(error.fields)[0];
          return showService(request, reply, current, error.status, {
            error: request.t(field ?? error.message, error.params),
            chosen: finalites,
          });
        }
        throw error;
      }
    };

    app.post<IdParams>(`${SERVICES_PATH}/:pairingId`, { config: consents, schema: hide }, (request, reply) =>
      change(request, reply, formFields(request.body, 'finalites')),
    );

    app.post<IdParams>(
      `${SERVICES_PATH}/:pairingId/retrait`,
      { config: consents, schema: hide },
      (request, reply) => change(request, reply, []),
    );

    app.get<IdParams>(
      `${SERVICES_PATH}/:pairingId/desynchroniser`,
      { config: consents, schema: hide },
      async (request, reply) => {
        const pairing = await pairingView(db, request.actor, request.params.pairingId);
        if (pairing.status !== 'active') return reply.redirect(servicePath(pairing.id), 303);
        return sendHtml(
          reply,
          200,
          renderPage(
            UnpairPage({ ctx: request.pageContext(), pairing, person: await personOf(request, pairing) }),
          ),
        );
      },
    );

    app.post<IdParams>(
      `${SERVICES_PATH}/:pairingId/desynchroniser`,
      { config: consents, schema: hide },
      async (request, reply) => {
        const { pairingId } = request.params;
        await pairingView(db, request.actor, pairingId);
        try {
          await unpair(deps, request.actor, pairingId, rowVersionOf(request.body));
          return reply.redirect(`${servicePath(pairingId)}?ok=unpaired`, 303);
        } catch (error) {
          if (error instanceof PairingConflict)
            return showService(request, reply, error.current, 409, { conflict: true });
          if (error instanceof AppError && (error.status === 409 || error.status === 422)) {
            const current = await pairingView(db, request.actor, pairingId);
            return showService(request, reply, current, error.status, {
              error: request.t(Object.values(error.fields)[0] ?? error.message, error.params),
            });
          }
          throw error;
        }
      },
    );

    // ── activity

    app.get(ACTIVITY_PATH, { config: consents, schema: hide }, async (request, reply) => {
      const people = await managedCitizens(db, request.actor);
      const wanted = queryText(request, 'personne');
      const selected = wanted ? people.find((p) => p.id === wanted) : people.find((p) => p.self);
      // Anyone not in the actor's care: the service says not found (404), as for a pairing.
      if (!selected) await activityOf(db, request.actor, wanted || 'none', { limit: 1 });
      const person = selected ?? people[0];
      const beforeText = queryText(request, 'avant');
      const before = beforeText && !Number.isNaN(Date.parse(beforeText)) ? new Date(beforeText) : undefined;
      const items = await activityOf(db, request.actor, person.id, { before, limit: ACTIVITY_PAGE_SIZE + 1 });
      const more = items.length > ACTIVITY_PAGE_SIZE;
      const shown = items.slice(0, ACTIVITY_PAGE_SIZE);
      const base = `${ACTIVITY_PATH}?personne=${encodeURIComponent(person.id)}`;
      const last = shown[shown.length - 1];
      return sendHtml(
        reply,
        200,
        renderPage(
          ActivityPage({
            ctx: request.pageContext(),
            people,
            selected: person,
            items: shown,
            titles: titlesOf(request),
            olderHref:
              more && last
                ? `${base}&avant=${encodeURIComponent(new Date(last.at).toISOString())}`
                : undefined,
            newestHref: before ? base : undefined,
          }),
        ),
      );
    });

    // ── export

    const attachment = (reply: FastifyReply, name: string, type: string, body: unknown) =>
      reply
        .code(200)
        .type(type)
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(JSON.stringify(body, null, 2));

    app.get(EXPORT_JSON_PATH, { config: exporting, schema: hide }, async (request, reply) => {
      const data = await exportCitizenData(db, request.actor, request.t);
      const day = new Date().toISOString().slice(0, 10);
      return attachment(reply, `mes-donnees-${day}.json`, 'application/json; charset=utf-8', data);
    });

    app.get(EXPORT_FHIR_PATH, { config: exporting, schema: hide }, async (request, reply) => {
      const bundle = await exportCitizenFhir(db, request.actor, { idPeSystem: idPeSystemOf(ctx.config) });
      const day = new Date().toISOString().slice(0, 10);
      return attachment(
        reply,
        `mes-donnees-fhir-${day}.json`,
        'application/fhir+json; charset=utf-8',
        bundle,
      );
    });

    // ── closing the space

    const showClose = async (
      request: FastifyRequest,
      reply: FastifyReply,
      status: number,
      error?: string,
    ) => {
      const people = await managedCitizens(db, request.actor);
      return sendHtml(
        reply,
        status,
        renderPage(
          ClosePage({
            ctx: request.pageContext(),
            steps: erasureSteps,
            minors: people.filter((p) => !p.self).map((p) => p.name),
            error,
          }),
        ),
      );
    };

    app.get(CLOSE_PATH, { config: closing, schema: hide }, (request, reply) =>
      showClose(request, reply, 200),
    );

    app.post(CLOSE_PATH, { config: closing, schema: hide }, async (request, reply) => {
      const confirmed = formField(request.body, CLOSE_CONFIRMATION_FIELD) === 'oui';
      try {
        await closeCitizenSpace(db, request.actor, confirmed);
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return showClose(
            request,
            reply,
            422,
            request.t(error.fields[CLOSE_CONFIRMATION_FIELD] ?? error.message),
          );
        throw error;
      }
      // The sessions are gone with the space: the cookie goes too, and the page speaks to a signed-out visitor.
      await closeSession(ctx, request, reply);
      request.actor = { kind: 'anonymous' };
      return sendHtml(reply, 200, renderPage(ClosedPage({ ctx: request.pageContext() })));
    });
  };
}
