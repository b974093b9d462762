import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Configuration, KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { CustomFetch } from 'openid-client';
import type { AppContext } from '../app.ts';
import { postgresAdapter } from '../oauth/index.ts';
import { interactionOf, mountProvider } from '../oauth/mount.ts';
import type { Config } from '../platform/config.ts';
import type { App } from '../platform/http.ts';
import type { SigningKeys } from '../platform/keys.ts';
import {
  INS_CLAIM,
  INS_SYSTEM_CLAIM,
  parseTestIdentities,
  type TestIdentity,
  testIdentityClaims,
} from './citizen-model.ts';
import { testIdpChooserPage, testIdpLogoutPage, testIdpMessagePage } from './citizen-pages.tsx';

/** Where the sandbox's test identity provider is mounted; its issuer is the public URL plus this. */
export const TEST_IDP_PATH = '/test-idp';
/** mesref itself, the one client of the test provider. */
export const TEST_IDP_CLIENT_ID = 'mesref-citizen';
export const TEST_IDP_SCOPE = 'openid profile ins';
/** The `provider` of the test provider's rows in `oidc_payloads`. */
export const TEST_IDP_STORE = 'test-idp';

export const testIdpIssuer = (config: Pick<Config, 'publicUrl'>): string =>
  `${config.publicUrl}${TEST_IDP_PATH}`;

/** The test people, checked against their schema (a bad file stops mesref at start). */
export function loadTestIdentities(path = join(import.meta.dirname, 'test-identities.json')): TestIdentity[] {
  return parseTestIdentities(JSON.parse(readFileSync(path, 'utf8')));
}

/**
 * The test provider's secrets (cookie signing keys, mesref's client secret), derived from the
 * deployment's private signing keys: every process on the same database derives the same ones, and
 * nothing more is stored.
 */
export function testIdpSecrets(keys: SigningKeys): { cookieKeys: string[]; clientSecret: string } {
  const material = keys.privateJwks
    .map((k) => `${k.kid}:${String((k as Record<string, unknown>).d ?? '')}`)
    .sort()
    .join('\n');
  const derive = (label: string) => createHmac('sha256', material).update(label).digest('base64url');
  return {
    cookieKeys: [derive('mesref test-idp cookies v1')],
    clientSecret: derive('mesref test-idp client secret v1'),
  };
}

/**
 * A fetch that answers requests for the test provider through `app.inject`, without a socket.
 * mesref reaches its own in-process test provider this way in every setting: a server listening on
 * any port or behind any proxy, and tests that never listen. Only URLs under the test issuer are
 * answered; the Host and X-Forwarded-* headers make the provider build its URLs on the public URL.
 */
export function injectFetch(app: App, publicUrl: string): CustomFetch {
  const origin = new URL(publicUrl);
  return async (url, options) => {
    const target = new URL(url);
    if (target.origin !== origin.origin || !target.pathname.startsWith(`${TEST_IDP_PATH}/`)) {
      throw new Error(
        `only the test identity provider is reached in process, not ${target.origin}${target.pathname}`,
      );
    }
    const body = options.body;
    let payload: string | Buffer | undefined;
    if (body === null || body === undefined) payload = undefined;
    else if (typeof body === 'string') payload = body;
    else if (body instanceof URLSearchParams) payload = body.toString();
    else if (body instanceof Uint8Array) payload = Buffer.from(body);
    else if (body instanceof ArrayBuffer) payload = Buffer.from(body);
    else throw new Error('a streamed body cannot be sent to the in-process test identity provider');
    const res = await app.inject({
      method: options.method as 'GET',
      url: `${target.pathname}${target.search}`,
      headers: {
        ...options.headers,
        host: origin.host,
        'x-forwarded-host': origin.host,
        'x-forwarded-proto': origin.protocol.replace(/:$/, ''),
      },
      ...(payload === undefined ? {} : { payload }),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [String(value)]) headers.append(name, v);
    }
    const noBody = [101, 204, 205, 304].includes(res.statusCode);
    return new Response(noBody ? null : new Uint8Array(res.rawPayload), { status: res.statusCode, headers });
  };
}

export interface TestIdp {
  issuer: string;
  clientSecret: string;
  identities: TestIdentity[];
  /** Reaches the provider in process (see injectFetch). */
  fetch: CustomFetch;
  provider: Provider;
}

const html = 'text/html; charset=utf-8';

/**
 * Mounts the sandbox's OpenID Connect provider at /test-idp: oidc-provider for the protocol, stored in
 * `oidc_payloads` (provider `test-idp`) so sessions and codes survive restarts and are shared across
 * processes; mesref's own pages for choosing a test person and for signing out.
 */
export async function mountTestIdp(app: App, ctx: AppContext, identities: TestIdentity[]): Promise<TestIdp> {
  // Loaded only here: production never loads the test provider (and oidc-provider warns on Node 20).
  const { Provider } = await import('oidc-provider');
  const { config, keys, db } = ctx;
  const issuer = testIdpIssuer(config);
  const secrets = testIdpSecrets(keys);
  const bySub = new Map(identities.map((i) => [i.sub, i]));
  /** The fastify request behind a raw request, so oidc-provider's pages are rendered in the site's frame. */
  const requests = new WeakMap<IncomingMessage, FastifyRequest>();

  const render = (koa: KoaContextWithOIDC, page: (request: FastifyRequest) => string) => {
    const request = requests.get(koa.req);
    koa.type = 'html';
    koa.body = request ? page(request) : '';
  };

  const providerConfig: Configuration = {
    adapter: postgresAdapter(db, TEST_IDP_STORE),
    clients: [
      {
        client_id: TEST_IDP_CLIENT_ID,
        client_secret: secrets.clientSecret,
        client_name: config.operatorName,
        redirect_uris: [`${config.publicUrl}/usager/callback`],
        post_logout_redirect_uris: [`${config.publicUrl}/`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    jwks: { keys: keys.privateJwks },
    cookies: {
      keys: secrets.cookieKeys,
      names: {
        session: 'mesref_test_idp_session',
        interaction: 'mesref_test_idp_interaction',
        resume: 'mesref_test_idp_resume',
      },
      long: { httpOnly: true, sameSite: 'lax', path: TEST_IDP_PATH },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    scopes: ['openid', 'profile', 'ins'],
    claims: {
      openid: ['sub'],
      profile: ['given_name', 'family_name', 'birthdate', 'gender'],
      ins: [INS_CLAIM, INS_SYSTEM_CLAIM],
    },
    responseTypes: ['code'],
    pkce: { required: () => true },
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: 10 * 60,
      AuthorizationCode: 60,
      IdToken: 10 * 60,
      Interaction: 10 * 60,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (koa: KoaContextWithOIDC, form: string) => {
          const action = /action="([^"]+)"/.exec(form)?.[1];
          const xsrf = /name="xsrf" value="([^"]+)"/.exec(form)?.[1];
          if (!action || !xsrf) throw new Error('oidc-provider changed its sign-out form');
          render(koa, (r) => testIdpLogoutPage(r.pageContext(), action, xsrf));
        },
        postLogoutSuccessSource: async (koa: KoaContextWithOIDC) => {
          render(koa, (r) => testIdpMessagePage(r.pageContext(), r.t('test_idp.logged_out'), 'info'));
        },
      },
    },
    interactions: {
      url: (_koa, interaction) => `${TEST_IDP_PATH}/interaction/${interaction.uid}`,
    },
    findAccount: (_koa, sub) => {
      const identity = bySub.get(sub);
      if (!identity) return undefined;
      return {
        accountId: sub,
        // oidc-provider keeps only the claims the granted scopes allow.
        claims: async () => testIdentityClaims(identity, new Set(['profile', 'ins'])),
      };
    },
    // mesref is the test provider's own first-party client: consent is implicit, the grant covers what it asked.
    loadExistingGrant: async (koa) => {
      const { oidc } = koa;
      const clientId = oidc.client?.clientId;
      const accountId = oidc.session.accountId;
      if (!clientId || !accountId) return undefined;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(clientId);
      const existing = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      if (clientId !== TEST_IDP_CLIENT_ID) return undefined;
      const grant = new oidc.provider.Grant({ clientId, accountId });
      grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
      if (oidc.requestParamClaims.size) grant.addOIDCClaims([...oidc.requestParamClaims]);
      await grant.save();
      return grant;
    },
    renderError: (koa, out) => {
      const description = String(out.error_description ?? out.error);
      render(koa, (r) =>
        testIdpMessagePage(r.pageContext(), r.t('test_idp.error', { description }), 'error'),
      );
    },
  };
  const provider = new Provider(issuer, providerConfig);
  // Behind mesref's fastify (and maybe a proxy): trust X-Forwarded-* for the protocol and host.
  provider.proxy = true;
  provider.on('server_error', (_koa, error) => {
    app.log.error({ err: { message: (error as Error).message } }, 'test identity provider error');
  });

  await mountProvider(app, provider, TEST_IDP_PATH, requests);

  // The interaction: mesref's page listing the test people, and the two answers it can give.
  await app.register(
    async (pages) => {
      const details = (request: FastifyRequest<{ Params: { uid: string } }>, reply: FastifyReply) =>
        interactionOf(provider, request, reply);
      const expired = (request: FastifyRequest, reply: FastifyReply) =>
        reply
          .code(400)
          .type(html)
          .header('cache-control', 'no-store')
          .send(testIdpMessagePage(request.pageContext(), request.t('test_idp.expired'), 'error'));

      pages.get<{ Params: { uid: string } }>(
        '/interaction/:uid',
        { config: { action: 'auth.sign_in' }, schema: { hide: true } },
        async (request, reply) => {
          const interaction = await details(request, reply);
          if (!interaction) return expired(request, reply);
          return reply
            .type(html)
            .header('cache-control', 'no-store')
            .send(
              testIdpChooserPage(request.pageContext(), interaction.uid, config.operatorName, identities),
            );
        },
      );

      pages.post<{ Params: { uid: string }; Body: { sub?: string } }>(
        '/interaction/:uid/login',
        { config: { action: 'auth.sign_in' }, schema: { hide: true } },
        async (request, reply) => {
          const interaction = await details(request, reply);
          if (!interaction) return expired(request, reply);
          const sub = typeof request.body?.sub === 'string' ? request.body.sub : '';
          if (!bySub.has(sub)) {
            return reply
              .code(400)
              .type(html)
              .send(
                testIdpMessagePage(request.pageContext(), request.t('test_idp.unknown_identity'), 'error'),
              );
          }
          const returnTo = await provider.interactionResult(
            request.raw,
            reply.raw,
            { login: { accountId: sub } },
            { mergeWithLastSubmission: false },
          );
          return reply.redirect(returnTo, 303);
        },
      );

      pages.post<{ Params: { uid: string } }>(
        '/interaction/:uid/abort',
        { config: { action: 'auth.sign_in' }, schema: { hide: true } },
        async (request, reply) => {
          const interaction = await details(request, reply);
          if (!interaction) return expired(request, reply);
          const returnTo = await provider.interactionResult(
            request.raw,
            reply.raw,
            { error: 'access_denied', error_description: 'End-User aborted interaction' },
            { mergeWithLastSubmission: false },
          );
          return reply.redirect(returnTo, 303);
        },
      );
    },
    { prefix: TEST_IDP_PATH },
  );

  return {
    issuer,
    clientSecret: secrets.clientSecret,
    identities,
    fetch: injectFetch(app, config.publicUrl),
    provider,
  };
}
