/**
 * The authorization server of referenced services, wired into the app: the protocol endpoints under /oauth,
 * the pairing pages at /appariement/:uid, the pairing API for services (GET /api/v1/appariement), and the
 * SMART discovery document under /fhir.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Interaction } from 'oidc-provider';
import type { AppContext } from '../app.ts';
import { consentTitles } from '../consent/components.tsx';
import { managedCitizens, pair, pairingByIdPe, serviceForConsent } from '../consent/index.ts';
import { type ConsentOffer, offerOf, parseScope, scopesOf } from '../consent/model.ts';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { sendHtml } from '../web/layout.tsx';
import { findServiceClient } from './clients.ts';
import { consentPage, type ManagedPerson, pairingMessagePage, whosePage } from './interaction-pages.tsx';
import { PAIRING_PATH, SERVICE_USER_ID_PARAM, smartConfiguration } from './model.ts';
import { interactionOf } from './mount.ts';
import { mountServicesProvider } from './provider.ts';
import { verifyServiceToken } from './verify.ts';

/** Catalogue statuses under which a service may be paired. */
const PAIRABLE = new Set(['EN_LIGNE', 'PRESERIE']);

interface PairingBody {
  pour?: string;
  finalites?: string | string[];
  decision?: string;
}

/** The service's own user id as sent in the authorization request: printable, 1 to 200 characters. */
function serviceUserIdOf(params: Record<string, unknown>): string | undefined {
  const value = params[SERVICE_USER_ID_PARAM];
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return /^[\x21-\x7e]{1,200}$/.test(trimmed) ? trimmed : undefined;
}

/**
 * The page's forms end, after redirects, at the service's redirect URI: the browser enforces `form-action`
 * on the whole chain, so this response's policy names that origin too (oidc-provider checked the URI).
 */
function allowFormActionTo(reply: FastifyReply, interaction: Interaction): void {
  const redirectUri = interaction.params.redirect_uri;
  if (typeof redirectUri !== 'string' || !URL.canParse(redirectUri)) return;
  const origin = new URL(redirectUri).origin;
  const csp = String(reply.getHeader('content-security-policy') ?? '');
  if (!csp) return;
  reply.header(
    'content-security-policy',
    csp.replace(/form-action ([^;]*)/, (_all, sources: string) => `form-action ${sources} ${origin}`),
  );
}

export function oauthPlugin(ctx: AppContext) {
  return async (app: App) => {
    const { db, referentials } = ctx;
    const as = await mountServicesProvider(app, ctx);
    const { provider, fhirBase } = as;

    /** The interaction of this browser, when it is the one in the path. */
    const details = (request: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply) =>
      interactionOf(provider, request, reply);
    const expired = (request: FastifyRequest, reply: FastifyReply) =>
      sendHtml(
        reply,
        400,
        pairingMessagePage(request.pageContext(), {
          title: request.t('oauth.pairing.expired.title'),
          message: request.t('oauth.pairing.expired'),
        }),
      );
    const finish = async (
      request: FastifyRequest,
      reply: FastifyReply,
      result: Parameters<typeof provider.interactionResult>[2],
    ) => {
      const returnTo = await provider.interactionResult(request.raw, reply.raw, result, {
        mergeWithLastSubmission: false,
      });
      return reply.header('cache-control', 'no-store').redirect(returnTo, 303);
    };

    /** What the request asks, and what may be offered: undefined when the service cannot be paired now. */
    const prepare = async (interaction: Interaction) => {
      const clientId = String(interaction.params.client_id ?? '');
      // A published service's client id is its OID; a sandbox test session's client has an id of its own.
      const serviceOid = (await findServiceClient(db, clientId))?.serviceOid ?? clientId;
      const service = await serviceForConsent(db, serviceOid);
      if (!service || !PAIRABLE.has(service.catalogueStatus ?? ''))
        return { problem: 'unavailable' as const };
      const requested = String(interaction.params.scope ?? '')
        .split(' ')
        .filter(Boolean);
      const dataScopes = requested.filter((s) => parseScope(s) !== undefined);
      const offer: ConsentOffer =
        dataScopes.length > 0 ? offerOf(service.convention, dataScopes) : { finalites: [] };
      if (offer.finalites.length === 0) return { problem: 'no_scope' as const };
      // What the service asked and its convention allows: the rest is neither offered nor granted.
      const askable = scopesOf(
        offer,
        offer.finalites.map((f) => f.code),
      );
      return { clientId, serviceOid, service, requested, dataScopes: askable, offer };
    };

    const unavailable = (
      request: FastifyRequest,
      reply: FastifyReply,
      uid: string,
      problem: 'unavailable' | 'no_scope',
    ) =>
      sendHtml(
        reply,
        409,
        pairingMessagePage(request.pageContext(), {
          title: request.t('oauth.error.title'),
          message: request.t(`oauth.pairing.${problem}`),
          uid,
        }),
      );

    const whoseFor = async (request: FastifyRequest, chosen: string | undefined) => {
      const people = (await managedCitizens(db, request.actor)) as ManagedPerson[];
      const person = chosen
        ? people.find((p) => p.id === chosen)
        : people.length === 1
          ? people[0]
          : undefined;
      return { people, person };
    };

    app.get<{ Params: { uid: string }; Querystring: { pour?: string } }>(
      `${PAIRING_PATH}/:uid`,
      { config: { action: 'citizen.space' }, schema: { hide: true } },
      async (request, reply) => {
        const interaction = await details(request, reply);
        if (!interaction) return expired(request, reply);
        allowFormActionTo(reply, interaction);
        const prepared = await prepare(interaction);
        if (prepared.problem) return unavailable(request, reply, interaction.uid, prepared.problem);
        const pc = request.pageContext();
        const { people, person } = await whoseFor(request, request.query.pour);
        if (!person) {
          return sendHtml(
            reply,
            request.query.pour ? 422 : 200,
            whosePage(pc, {
              uid: interaction.uid,
              service: prepared.service,
              people,
              error: request.query.pour !== undefined,
            }),
          );
        }
        return sendHtml(
          reply,
          200,
          consentPage(pc, {
            uid: interaction.uid,
            service: prepared.service,
            person,
            offer: prepared.offer,
            titles: consentTitles(referentials, request.locale),
            chosen: [],
          }),
        );
      },
    );

    app.post<{ Params: { uid: string }; Body: PairingBody }>(
      `${PAIRING_PATH}/:uid`,
      { config: { action: 'citizen.space' }, schema: { hide: true } },
      async (request, reply) => {
        const interaction = await details(request, reply);
        if (!interaction) return expired(request, reply);
        allowFormActionTo(reply, interaction);
        const body = request.body ?? {};
        if (body.decision !== 'autoriser') {
          return finish(request, reply, {
            error: 'access_denied',
            error_description: 'the citizen refused the authorization',
          });
        }
        const prepared = await prepare(interaction);
        if (prepared.problem) return unavailable(request, reply, interaction.uid, prepared.problem);
        const pc = request.pageContext();
        const { people, person } = await whoseFor(
          request,
          typeof body.pour === 'string' ? body.pour : undefined,
        );
        if (!person) {
          return sendHtml(
            reply,
            422,
            whosePage(pc, { uid: interaction.uid, service: prepared.service, people, error: true }),
          );
        }
        const offered = prepared.offer.finalites.map((f) => f.code);
        const ticked = (Array.isArray(body.finalites) ? body.finalites : [body.finalites ?? '']).filter(
          (f): f is string => typeof f === 'string' && offered.includes(f),
        );
        const again = (status: number, problem: { error?: string; fieldError?: string }) =>
          sendHtml(
            reply,
            status,
            consentPage(pc, {
              uid: interaction.uid,
              service: prepared.service,
              person,
              offer: prepared.offer,
              titles: consentTitles(referentials, request.locale),
              chosen: ticked,
              ...problem,
            }),
          );
        if (ticked.length === 0) return again(422, { fieldError: request.t('oauth.pairing.choose_none') });
        let paired: Awaited<ReturnType<typeof pair>>;
        try {
          paired = await pair(ctx, request.actor, {
            serviceOid: prepared.serviceOid,
            forCitizenId: person.id,
            serviceUserId: serviceUserIdOf(interaction.params),
            finalites: ticked,
            scopes: prepared.dataScopes,
          });
        } catch (error) {
          if (error instanceof AppError)
            return again(error.status, { error: request.t(error.message, error.params) });
          throw error;
        }
        const grant = new provider.Grant({ accountId: paired.idPe, clientId: prepared.clientId });
        const oidcScopes = prepared.requested.filter((s) => s === 'openid' || s === 'offline_access');
        if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(' '));
        grant.addResourceScope(fhirBase, paired.grantedScopes.join(' '));
        // Every data scope asked and not granted (unticked, or outside the convention) is answered: refused.
        const declined = prepared.requested.filter(
          (s) => parseScope(s) !== undefined && !paired.grantedScopes.includes(s),
        );
        if (declined.length > 0) grant.rejectResourceScope(fhirBase, declined.join(' '));
        const grantId = await grant.save();
        return finish(request, reply, { login: { accountId: paired.idPe }, consent: { grantId } });
      },
    );

    // ── for services: what this token may do ────────────────────────────────
    app.get(
      '/api/v1/appariement',
      {
        config: { action: 'service.api' },
        schema: {
          tags: ['appariement'],
          summary: 'The pairing of the bearer token: its status and active consents',
          security: [{ bearer: [] }],
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        let token: Awaited<ReturnType<typeof verifyServiceToken>>;
        try {
          token = await verifyServiceToken(ctx, request.headers.authorization);
        } catch (error) {
          if (error instanceof AppError && error.status === 401)
            reply.header('www-authenticate', 'Bearer error="invalid_token"');
          throw error;
        }
        const pairing = await pairingByIdPe(db, token.idPe);
        if (!pairing) throw new AppError('invalid_token', 401, 'oauth.error.invalid_token');
        return {
          idPe: pairing.idPe,
          serviceOid: pairing.serviceOid,
          serviceUserId: pairing.serviceUserId,
          status: pairing.status,
          pairedAt: pairing.pairedAt,
          acknowledgedVersion: pairing.acknowledgedVersion,
          currentVersion: pairing.currentVersion,
          needsReapproval: pairing.needsReapproval,
          catalogueStatus: pairing.catalogueStatus,
          scopes: token.scopes,
          tokenExpiresAt: token.expiresAt.toISOString(),
          consents: pairing.consents
            .filter((c) => c.status === 'active')
            .map((c) => ({
              finalite: c.finalite,
              category: c.category,
              action: c.action,
              grantedAt: c.grantedAt,
            })),
        };
      },
    );

    // ── SMART discovery, for FHIR clients that look for it ───────────────────
    app.get(
      '/fhir/.well-known/smart-configuration',
      { config: { action: 'public.view' }, schema: { hide: true } },
      async (_request, reply) =>
        reply
          .header('access-control-allow-origin', '*')
          .header('cache-control', 'public, max-age=3600')
          .send(smartConfiguration(as.issuer, as.dataScopes)),
    );
  };
}
