/**
 * The authorization server of referenced services (OAuth 2 / OpenID Connect, oidc-provider) at
 * `${publicUrl}/oauth`: authorization code with PKCE S256 (always required), refresh tokens that rotate (a
 * rotated one used again revokes its whole grant), introspection (RFC 7662), revocation (RFC 7009),
 * discovery, JWKS. Clients are the published services with data exchange (`oauth_clients`, active only).
 * Access tokens are JWTs (RFC 9068, `typ: at+jwt`) for the FHIR base `${publicUrl}/fhir`; their `sub` is the
 * citizen's idPe for the service. Behaviour is configuration, as oidc-provider intends.
 */
import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { Configuration, Provider } from 'oidc-provider';
import type { AppContext } from '../app.ts';
import { appendAuditEvent } from '../audit/index.ts';
import { pairingByIdPe } from '../consent/index.ts';
import type { App } from '../platform/http.ts';
import type { SigningKeys } from '../platform/keys.ts';
import { PostgresAdapter } from './adapter.ts';
import { findServiceClient, providerMetadataOf } from './clients.ts';
import { SERVICES_AS_PROVIDER } from './grants.ts';
import { oauthErrorPage } from './interaction-pages.tsx';
import {
  dataScopesOf,
  fhirBaseOf,
  GRANT_CLAIM,
  OAUTH_PATH,
  oauthIssuer,
  PAIRING_PATH,
  SERVICE_USER_ID_PARAM,
  TOKEN_ALG,
} from './model.ts';
import { mountProvider } from './mount.ts';
import { introspectServiceToken, revokeServiceToken } from './verify.ts';

const OAUTH_CALL = Symbol('oauth call facts');

/**
 * What a protocol call to the authorization server was, for the sandbox's connection tests (which record the
 * calls of their clients): the route, the client, and facts that are neither secrets nor codes.
 */
export interface OAuthCallFacts {
  route: string;
  clientId?: string;
  /** Authorization: `code_challenge_method` when a challenge was sent (`plain` when none was named), else null. */
  pkce?: string | null;
  scope?: string;
  redirectUriMatched?: boolean;
  grantType?: string;
  /** The OAuth error code of the answer, if any. */
  error?: string;
}

/** The facts of the call served on this raw request, once the authorization server answered it. */
export function oauthCallOf(raw: IncomingMessage): OAuthCallFacts | undefined {
  return (raw as IncomingMessage & { [OAUTH_CALL]?: OAuthCallFacts })[OAUTH_CALL];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The client of a call whose client was not authenticated: the assertion's issuer, or the Basic user. */
function claimedClient(
  params: Record<string, unknown>,
  authorization: string | undefined,
): string | undefined {
  const assertion = text(params.client_assertion);
  if (assertion) {
    try {
      const payload = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString()) as {
        iss?: unknown;
      };
      if (typeof payload.iss === 'string') return payload.iss;
    } catch {
      // Not a JWT: no client named.
    }
  }
  const basic = /^basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic) {
    const user = Buffer.from(basic[1], 'base64').toString().split(':')[0];
    try {
      return decodeURIComponent(user);
    } catch {
      return user;
    }
  }
  return undefined;
}

/**
 * Records the tokens the token endpoint just issued in the audit log: `oauth.token_issued` on the citizen's
 * chain (the service, the grant type, the scopes; never a token). Not awaited by the answer: a refresh token,
 * once rotated, must reach its client even when the log cannot be written; such a failure is logged.
 */
// biome-ignore lint/suspicious/noExplicitAny: koa's context as oidc-provider extends it
function recordTokenIssued(ctx: Pick<AppContext, 'db'>, app: App, koa: any): void {
  const grant = koa.oidc?.entities?.Grant as { accountId?: unknown; clientId?: unknown } | undefined;
  const idPe = text(grant?.accountId);
  const clientId = text(grant?.clientId);
  if (koa.status !== 200 || !idPe || !clientId) return;
  const grantType = text(koa.oidc?.params?.grant_type) ?? '';
  const scope = text((koa.body as { scope?: unknown } | undefined)?.scope) ?? '';
  (async () => {
    const pairing = await pairingByIdPe(ctx.db, idPe);
    const serviceOid = pairing?.serviceOid ?? clientId;
    await appendAuditEvent(ctx.db, {
      actorType: 'client',
      actorId: serviceOid,
      action: 'oauth.token_issued',
      subjectType: pairing ? 'citizen' : 'service',
      subjectId: pairing?.citizenId ?? serviceOid,
      data: { serviceOid, clientId, grantType, scope, ...(pairing ? {} : { idPe }) },
    });
  })().catch((error: unknown) => {
    app.log.error({ err: { message: (error as Error).message } }, 'audit: a token issued was not recorded');
  });
}

// biome-ignore lint/suspicious/noExplicitAny: oidc-provider's Koa context, typed loosely by its declarations.
function callFactsOf(koa: any): OAuthCallFacts {
  const oidc = koa.oidc;
  const route = String(oidc?.route ?? '');
  const params = (oidc?.params ?? {}) as Record<string, unknown>;
  const client = oidc?.client as { clientId: string; redirectUris?: string[] } | undefined;
  const clientId =
    client?.clientId ?? text(params.client_id) ?? claimedClient(params, koa.req.headers.authorization);
  const body = koa.body as { error?: unknown } | undefined;
  const error = koa.status >= 400 || typeof body?.error === 'string' ? text(body?.error) : undefined;
  const facts: OAuthCallFacts = { route, ...(clientId ? { clientId } : {}), ...(error ? { error } : {}) };
  if (route === 'authorization') {
    const challenge = text(params.code_challenge);
    facts.pkce = challenge ? (text(params.code_challenge_method) ?? 'plain') : null;
    facts.scope = text(params.scope) ?? '';
    const redirectUri = text(params.redirect_uri);
    facts.redirectUriMatched = !!redirectUri && !!client?.redirectUris?.includes(redirectUri);
    // An authorization error goes back to the client in the redirect's query.
    const location = text(koa.response?.get?.('location'));
    if (!facts.error && location && URL.canParse(location)) {
      const redirected = new URL(location).searchParams.get('error');
      if (redirected) facts.error = redirected;
    }
  }
  if (route === 'token') facts.grantType = text(params.grant_type) ?? '';
  return facts;
}

/** The provider's cookie keys, derived from the deployment's private keys (same in every process). */
function cookieKeysOf(keys: SigningKeys): string[] {
  const material = keys.privateJwks
    .map((k) => `${k.kid}:${String((k as Record<string, unknown>).d ?? '')}`)
    .sort()
    .join('\n');
  return [createHmac('sha256', material).update('mesref oauth cookies v1').digest('base64url')];
}

/** oidc-provider's `Client` model read from `oauth_clients`: never written, found fresh on every request. */
class ServiceClientAdapter extends PostgresAdapter {
  readonly context: Pick<AppContext, 'keys'> & { mode: 'sandbox' | 'production' };
  constructor(ctx: AppContext) {
    super(ctx.db, SERVICES_AS_PROVIDER, 'Client');
    this.context = { keys: ctx.keys, mode: ctx.config.mode };
  }
  override async find(id: string) {
    const client = await findServiceClient(this.db, id);
    return client ? providerMetadataOf(client, this.context) : undefined;
  }
  override async upsert(): Promise<void> {
    throw new Error('services’ clients are made by publication, not by the authorization server');
  }
}

export interface ServicesProvider {
  provider: Provider;
  issuer: string;
  fhirBase: string;
  dataScopes: string[];
}

/** Builds the authorization server and mounts its protocol endpoints under /oauth. */
export async function mountServicesProvider(app: App, ctx: AppContext): Promise<ServicesProvider> {
  const { Provider, errors } = await import('oidc-provider');
  const { config, keys, db, referentials } = ctx;
  const issuer = oauthIssuer(config);
  const fhirBase = fhirBaseOf(config);
  const dataScopes = dataScopesOf(referentials);
  const { accessTokenSeconds, refreshTokenDays, oidClaim } = config.oauth;
  const requests = new WeakMap<IncomingMessage, FastifyRequest>();
  const clientAdapter = new ServiceClientAdapter(ctx);

  const providerConfig: Configuration = {
    adapter: (model) =>
      model === 'Client' ? clientAdapter : new PostgresAdapter(db, SERVICES_AS_PROVIDER, model),
    jwks: { keys: keys.privateJwks },
    cookies: {
      keys: cookieKeysOf(keys),
      names: {
        session: 'mesref_oauth_session',
        interaction: 'mesref_oauth_interaction',
        resume: 'mesref_oauth_resume',
      },
      long: { httpOnly: true, sameSite: 'lax', path: OAUTH_PATH },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    // Data scopes belong to the resource server (below), not to OpenID Connect.
    scopes: ['openid', 'offline_access'],
    claims: { openid: ['sub', oidClaim] },
    // The ID token carries the service's OID as well as the idPe, whether or not userinfo exists.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: ['private_key_jwt', 'client_secret_basic'],
    enabledJWA: {
      idTokenSigningAlgValues: [TOKEN_ALG, 'RS256'],
      clientAuthSigningAlgValues: ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'],
    },
    pkce: { required: () => true },
    extraParams: [SERVICE_USER_ID_PARAM],
    allowOmittingSingleRegisteredRedirectUri: false,
    clientBasedCORS: () => false,
    rotateRefreshToken: () => true,
    issueRefreshToken: async (_koa: unknown, client: unknown, code: unknown) =>
      (client as unknown as { grantTypeAllowed(t: string): boolean }).grantTypeAllowed('refresh_token') &&
      (code as { scopes: Set<string> }).scopes.has('offline_access'),
    ttl: {
      AccessToken: accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: accessTokenSeconds,
      Interaction: 30 * 60,
      Session: 3600,
      // A refresh token lives this long from its issue, renewed at each rotation; the grant, one year at most.
      RefreshToken: refreshTokenDays * 86_400,
      Grant: 365 * 86_400,
    },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      introspection: {
        enabled: true,
        // A service introspects its own tokens only.
        allowedPolicy: (_koa: unknown, client: { clientId: string }, token: { clientId?: string }) =>
          token.clientId === client.clientId,
      },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirBase,
        useGrantedResource: () => true,
        getResourceServerInfo: (_koa: unknown, resource: string) => {
          if (resource !== fhirBase) throw new errors.InvalidTarget();
          return {
            scope: dataScopes.join(' '),
            audience: fhirBase,
            accessTokenTTL: accessTokenSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: TOKEN_ALG } },
          };
        },
      },
    },
    // The service's OID: its client id, but for a sandbox test session's client (an id of its own).
    extraTokenClaims: async (_koa: unknown, token: { clientId?: string; grantId?: string }) => ({
      [oidClaim]:
        (token.clientId && (await findServiceClient(db, token.clientId))?.serviceOid) ?? token.clientId,
      [GRANT_CLAIM]: token.grantId,
    }),
    interactions: { url: (_koa, interaction) => `${PAIRING_PATH}/${interaction.uid}` },
    // Every authorization shows the consent page (the citizen decides each time, for themself or a minor):
    // the only grant used is the one the consent page just made.
    loadExistingGrant: async (koa) => {
      const grantId = koa.oidc.result?.consent?.grantId;
      return grantId ? koa.oidc.provider.Grant.find(grantId) : undefined;
    },
    findAccount: async (koa, sub) => {
      const pairing = await pairingByIdPe(db, sub);
      const clientId = koa.oidc.client?.clientId;
      if (pairing?.status !== 'active') return undefined;
      if (
        clientId &&
        pairing.serviceOid !== ((await findServiceClient(db, clientId))?.serviceOid ?? clientId)
      )
        return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, [oidClaim]: pairing.serviceOid }),
      };
    },
    renderError: (koa, out) => {
      const request = requests.get(koa.req);
      koa.type = 'html';
      koa.body = request
        ? oauthErrorPage(request.pageContext(), String(out.error), String(out.error_description ?? ''))
        : '';
    },
  };
  const provider = new Provider(issuer, providerConfig);
  provider.proxy = true;
  provider.on('server_error', (_koa, error) => {
    app.log.error({ err: { message: (error as Error).message } }, 'authorization server error');
  });
  // Access tokens are JWTs, not stored: introspection and revocation of them are answered here, after
  // oidc-provider authenticated the client (its own answers cover refresh tokens).
  provider.use(async (koa, next) => {
    try {
      await next();
    } finally {
      (koa.req as IncomingMessage & { [OAUTH_CALL]?: OAuthCallFacts })[OAUTH_CALL] = callFactsOf(koa);
    }
    const route = koa.oidc?.route;
    if (route === 'token') recordTokenIssued(ctx, app, koa);
    if (route !== 'introspection' && route !== 'revocation') return;
    const client = koa.oidc?.client;
    const token = koa.oidc?.params?.token;
    // oidc-provider answers a JWT with `unsupported_token_type` once it has authenticated the client.
    const structured = (koa.body as { error?: string } | undefined)?.error === 'unsupported_token_type';
    if (!client || typeof token !== 'string' || !structured) return;
    koa.status = 200;
    if (route === 'introspection') {
      koa.body = (await introspectServiceToken(ctx, token, client.clientId)) ?? { active: false };
    } else {
      await revokeServiceToken(ctx, token, client.clientId);
      koa.body = '';
    }
  });

  await mountProvider(app, provider, OAUTH_PATH, requests);

  return { provider, issuer, fhirBase, dataScopes };
}
