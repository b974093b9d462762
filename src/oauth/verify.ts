/**
 * What a resource server (the FHIR API, `GET /api/v1/appariement`) asks of a service's bearer token: the JWT
 * verified locally (signature with the deployment's keys, `typ: at+jwt`, issuer, audience, expiry), then, on
 * every call, the database: the service's client is active, the grant was not revoked, the pairing is active.
 * No cache: a suspension, an unpairing or a revoked refresh token stops the very next call.
 */
import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { AppContext } from '../app.ts';
import { pairingByIdPe } from '../consent/index.ts';
import { AppError } from '../platform/errors.ts';
import { findServiceClient } from './clients.ts';
import { SERVICES_AS_PROVIDER } from './grants.ts';
import { fhirBaseOf, GRANT_CLAIM, oauthIssuer, TOKEN_ALG } from './model.ts';

export type VerifyContext = Pick<AppContext, 'db' | 'config' | 'keys'>;

/** A verified service token: who (the idPe), which service, what it was granted. */
export interface ServiceToken {
  idPe: string;
  serviceOid: string;
  clientId: string;
  scopes: string[];
  citizenId: string;
  pairingId: string;
  grantId: string;
  expiresAt: Date;
}

/** 401: no token, or one that is not a valid, live access token of an active service. */
export const invalidToken = () => new AppError('invalid_token', 401, 'oauth.error.invalid_token');
/** 403 (MES wording): the idPe a call names is not the token's. */
export const idPeMismatch = () => new AppError('idpe_mismatch', 403, 'oauth.error.idpe_mismatch');
/** 403 (MES wording): the consent decision refused the access. */
export const consentRefused = () => new AppError('consent_refused', 403, 'oauth.error.consent_refused');

interface AccessTokenClaims extends JWTPayload {
  client_id?: string;
  scope?: string;
  [GRANT_CLAIM]?: string;
}

const jwksCache = new WeakMap<object, ReturnType<typeof createLocalJWKSet>>();

/** The JWT checks alone (no database): the claims, or undefined. */
async function verifyJwt(ctx: VerifyContext, token: string): Promise<AccessTokenClaims | undefined> {
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) || token.length > 8192) return undefined;
  let jwks = jwksCache.get(ctx.keys);
  if (!jwks) {
    jwks = createLocalJWKSet({ keys: ctx.keys.publicJwks as never });
    jwksCache.set(ctx.keys, jwks);
  }
  try {
    const { payload } = await jwtVerify<AccessTokenClaims>(token, jwks, {
      issuer: oauthIssuer(ctx.config),
      audience: fhirBaseOf(ctx.config),
      typ: 'at+jwt',
      algorithms: [TOKEN_ALG],
      requiredClaims: ['sub', 'exp', 'iat', 'jti', 'client_id'],
    });
    if (typeof payload[GRANT_CLAIM] !== 'string') return undefined;
    return payload;
  } catch {
    return undefined;
  }
}

async function grantExists(ctx: VerifyContext, grantId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('oidc_payloads')
    .select('id')
    .where('provider', '=', SERVICES_AS_PROVIDER)
    .where('model', '=', 'Grant')
    .where('id', '=', grantId)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', new Date())]))
    .executeTakeFirst();
  return row !== undefined;
}

/** The token's facts once the database confirmed them, or undefined. */
async function liveToken(ctx: VerifyContext, claims: AccessTokenClaims): Promise<ServiceToken | undefined> {
  const clientId = claims.client_id as string;
  const serviceOid = String(claims[ctx.config.oauth.oidClaim] ?? clientId);
  if (serviceOid !== clientId) return undefined;
  const client = await findServiceClient(ctx.db, clientId);
  if (client?.status !== 'active') return undefined;
  const grantId = claims[GRANT_CLAIM] as string;
  if (!(await grantExists(ctx, grantId))) return undefined;
  const pairing = await pairingByIdPe(ctx.db, claims.sub as string);
  if (pairing?.status !== 'active' || pairing.serviceOid !== client.serviceOid) return undefined;
  return {
    idPe: pairing.idPe,
    serviceOid: client.serviceOid,
    clientId,
    scopes: (claims.scope ?? '').split(' ').filter(Boolean),
    citizenId: pairing.citizenId,
    pairingId: pairing.id,
    grantId,
    expiresAt: new Date((claims.exp as number) * 1000),
  };
}

/**
 * Verifies `Authorization: Bearer <access token>`: the JWT locally, then the client, grant and pairing in the
 * database. Throws `invalidToken()` (401) otherwise. When the call names an idPe (`expectedIdPe`), a
 * different one is refused with MES's 403 « idPe requested do not match authorized idPe. ».
 */
export async function verifyServiceToken(
  ctx: VerifyContext,
  authorizationHeader: string | undefined,
  options: { expectedIdPe?: string } = {},
): Promise<ServiceToken> {
  const match = /^bearer\s+(\S+)\s*$/i.exec(authorizationHeader ?? '');
  if (!match) throw invalidToken();
  const claims = await verifyJwt(ctx, match[1]);
  if (!claims) throw invalidToken();
  const token = await liveToken(ctx, claims);
  if (!token) throw invalidToken();
  if (options.expectedIdPe !== undefined && options.expectedIdPe !== token.idPe) throw idPeMismatch();
  return token;
}

/**
 * RFC 7662 answer for one of our JWT access tokens, asked by the client it was issued to (oidc-provider has
 * authenticated that client); undefined when the token is not such a token (oidc-provider's answer stands).
 */
export async function introspectServiceToken(
  ctx: VerifyContext,
  token: string,
  clientId: string,
): Promise<Record<string, unknown> | undefined> {
  const claims = await verifyJwt(ctx, token);
  if (!claims || claims.client_id !== clientId) return undefined;
  const live = await liveToken(ctx, claims);
  if (!live) return undefined;
  return {
    active: true,
    token_type: 'Bearer',
    client_id: clientId,
    sub: live.idPe,
    [ctx.config.oauth.oidClaim]: live.serviceOid,
    scope: live.scopes.join(' '),
    iss: claims.iss,
    aud: claims.aud,
    exp: claims.exp,
    iat: claims.iat,
    jti: claims.jti,
  };
}

/**
 * RFC 7009 for one of our JWT access tokens: they are not stored, so revoking one revokes its grant (its
 * refresh token and every access token issued under it, which `verifyServiceToken` then refuses).
 */
export async function revokeServiceToken(ctx: VerifyContext, token: string, clientId: string): Promise<void> {
  const claims = await verifyJwt(ctx, token);
  if (!claims || claims.client_id !== clientId) return;
  await revokeGrant(ctx, claims[GRANT_CLAIM] as string);
}

/** Deletes a grant and everything issued under it (refresh tokens, codes). */
export async function revokeGrant(ctx: Pick<VerifyContext, 'db'>, grantId: string): Promise<void> {
  await ctx.db
    .deleteFrom('oidc_payloads')
    .where('provider', '=', SERVICES_AS_PROVIDER)
    .where((eb) =>
      eb.or([eb.and([eb('model', '=', 'Grant'), eb('id', '=', grantId)]), eb('grant_id', '=', grantId)]),
    )
    .execute();
}
