import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import type { Config } from '../platform/config.ts';
import type { App } from '../platform/http.ts';
import {
  isoDay,
  minorsOf,
  profileFromClaims,
  profileOfTestIdentity,
  safeReturnPath,
} from './citizen-model.ts';
import {
  type CitizenIdpSettings,
  CitizenRelyingParty,
  SIGN_IN_REQUEST_SECONDS,
  type SignInFailure,
} from './citizen-oidc.ts';
import { citizenSpacePage, signInFailedPage } from './citizen-pages.tsx';
import { citizenSpace, recordCitizenSignIn, recordCitizenSignOut } from './citizen-service.ts';
import {
  loadTestIdentities,
  mountTestIdp,
  TEST_IDP_CLIENT_ID,
  TEST_IDP_SCOPE,
  type TestIdp,
} from './citizen-test-idp.ts';
import { closeSession, openSession, sessionIdOf } from './sessions.ts';
import { findLiveSession } from './store.ts';

/** Holds the handle of the pending sign-in request; sent back only to the callback. */
export const SIGN_IN_COOKIE = 'mesref_citizen_sign_in';
const CALLBACK_PATH = '/usager/callback';

/** Which provider citizens sign in with: the sandbox's own test provider, or the configured one. */
export function relyingPartySettings(config: Config, testIdp: TestIdp | undefined): CitizenIdpSettings {
  const common = {
    redirectUri: `${config.publicUrl}${CALLBACK_PATH}`,
    postLogoutRedirectUri: `${config.publicUrl}/`,
  };
  if (testIdp) {
    return {
      ...common,
      issuer: testIdp.issuer,
      clientId: TEST_IDP_CLIENT_ID,
      clientSecret: testIdp.clientSecret,
      scope: TEST_IDP_SCOPE,
      allowHttp: true,
      fetch: testIdp.fetch,
      acceptIns: true,
    };
  }
  const idp = config.citizenIdp;
  if (idp.kind !== 'oidc') throw new Error('the test identity provider exists only in sandbox mode');
  return {
    ...common,
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    scope: idp.scope,
    allowHttp: config.mode === 'sandbox',
    acceptIns: false,
  };
}

const FAILURE_STATUS: Record<SignInFailure | 'unavailable' | 'missing_claims', number> = {
  no_request: 400,
  state_mismatch: 400,
  cancelled: 400,
  refused: 400,
  provider_error: 502,
  unavailable: 502,
  missing_claims: 502,
};

/** Citizens' sign-in through OpenID Connect, their space, and the sandbox's test identity provider. */
export function citizenPlugin(ctx: AppContext) {
  return async (app: App) => {
    const { config, db } = ctx;
    const testIdp =
      config.citizenIdp.kind === 'test' && config.mode === 'sandbox'
        ? await mountTestIdp(app, ctx, loadTestIdentities())
        : undefined;
    const rp = new CitizenRelyingParty(db, relyingPartySettings(config, testIdp));
    const html = 'text/html; charset=utf-8';

    const failed = (
      request: FastifyRequest,
      reply: FastifyReply,
      reason: keyof typeof FAILURE_STATUS,
      params: Record<string, string> = {},
      returnTo: string | null = null,
    ) => {
      const retry = returnTo
        ? `/usager/connexion?retour=${encodeURIComponent(returnTo)}`
        : '/usager/connexion';
      return reply
        .code(FAILURE_STATUS[reason])
        .type(html)
        .header('cache-control', 'no-store')
        .send(
          signInFailedPage(
            request.pageContext(),
            request.t(`citizen.sign_in.error.${reason}`, params),
            retry,
          ),
        );
    };

    app.get<{ Querystring: { retour?: string } }>(
      '/usager/connexion',
      { config: { action: 'auth.sign_in' }, schema: { hide: true } },
      async (request, reply) => {
        const returnTo = safeReturnPath(request.query.retour) ?? null;
        if (request.actor.kind === 'citizen') return reply.redirect(returnTo ?? '/usager', 303);
        let started: Awaited<ReturnType<CitizenRelyingParty['start']>>;
        try {
          started = await rp.start(returnTo);
        } catch (error) {
          request.log.warn(
            { err: { message: (error as Error).message } },
            'citizen identity provider unreachable',
          );
          return failed(request, reply, 'unavailable', {}, returnTo);
        }
        reply.setCookie(SIGN_IN_COOKIE, started.handle, {
          path: CALLBACK_PATH,
          httpOnly: true,
          // Lax: the provider's answer is a top-level GET navigation from another site.
          sameSite: 'lax',
          secure: config.secureCookies,
          maxAge: SIGN_IN_REQUEST_SECONDS,
        });
        return reply.header('cache-control', 'no-store').redirect(started.url.href, 303);
      },
    );

    app.get(
      CALLBACK_PATH,
      { config: { action: 'auth.sign_in' }, schema: { hide: true } },
      async (request, reply) => {
        const handle = request.cookies[SIGN_IN_COOKIE];
        reply.clearCookie(SIGN_IN_COOKIE, { path: CALLBACK_PATH });
        const outcome = await rp.finish(handle, new URL(request.url, config.publicUrl));
        if (!outcome.ok) {
          if (outcome.reason === 'provider_error') {
            request.log.warn({ detail: outcome.detail }, 'citizen sign-in: provider answer refused');
          }
          return failed(request, reply, outcome.reason, { detail: outcome.detail ?? '' });
        }
        const read = profileFromClaims(rp.settings.issuer, outcome.claims, {
          acceptIns: rp.settings.acceptIns,
        });
        if (!read.ok) return failed(request, reply, 'missing_claims', { claims: read.missing.join(', ') });
        const minors = testIdp
          ? minorsOf(testIdp.identities, read.profile.subject, isoDay()).map((m) =>
              profileOfTestIdentity(testIdp.issuer, m),
            )
          : [];
        const { citizenId } = await recordCitizenSignIn(db, read.profile, minors);
        await openSession(ctx, request, reply, { citizenId, idTokenHint: outcome.idToken });
        return reply.redirect(outcome.returnTo ?? '/usager', 303);
      },
    );

    app.post(
      '/usager/deconnexion',
      { config: { action: 'auth.sign_out' }, schema: { hide: true } },
      async (request, reply) => {
        const actor = request.actor;
        const sessionId = sessionIdOf(request);
        const session = sessionId ? await findLiveSession(db, sessionId) : undefined;
        await closeSession(ctx, request, reply);
        if (actor.kind !== 'citizen') return reply.redirect('/', 303);
        await recordCitizenSignOut(db, actor.citizenId);
        // Also end the session at the identity provider, when it offers that.
        let target = '/';
        try {
          target = (await rp.endSessionUrl(session?.id_token_hint ?? null))?.href ?? '/';
        } catch (error) {
          request.log.warn(
            { err: { message: (error as Error).message } },
            'citizen identity provider unreachable',
          );
        }
        return reply.redirect(target, 303);
      },
    );

    app.get(
      '/usager',
      { config: { action: 'citizen.space' }, schema: { hide: true } },
      async (request, reply) => {
        const actor = request.actor;
        if (actor.kind !== 'citizen') return reply.redirect('/usager/connexion', 303);
        const space = await citizenSpace(db, actor.citizenId);
        if (!space) {
          await closeSession(ctx, request, reply);
          return reply.redirect('/usager/connexion', 303);
        }
        return reply
          .type(html)
          .header('cache-control', 'no-store')
          .send(citizenSpacePage(request.pageContext(), space.citizen, space.minors));
      },
    );
  };
}
