/**
 * What a resource server (the FHIR API, `GET /api/v1/appariement`) asks of a service's bearer token: the JWT
 * verified locally (signature with the deployment's keys, `typ: at+jwt`, issuer, audience, expiry), then the
 * database: the service's client is active, the grant was not revoked, the pairing is active. Either read on
 * the call, or remembered from an earlier one and checked again inside the statements that act on them
 * (`ServiceCall.holds`): a suspension, an unpairing or a revoked refresh token stops the very next call.
 */
import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose';
import { type RawBuilder, sql } from 'kysely';
import type { AppContext } from '../app.ts';
import { type AccessFacts, accessFactsHold, accessFactsOf } from '../consent/index.ts';
import { setBounded } from '../platform/bounded-map.ts';
import { AppError } from '../platform/errors.ts';
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
/** 409 (MES wording): the token names an OID that is not the one the service's client is registered with. */
export const oidConflict = () => new AppError('oid_conflict', 409, 'oauth.error.oid_conflict');
/** 403 (MES wording): the consent decision refused the access. */
export const consentRefused = () => new AppError('consent_refused', 403, 'oauth.error.consent_refused');

interface AccessTokenClaims extends JWTPayload {
  client_id?: string;
  scope?: string;
  [GRANT_CLAIM]?: string;
}

const jwksCache = new WeakMap<object, ReturnType<typeof createLocalJWKSet>>();

/**
 * Tokens whose signature and fixed claims were verified, by keys: the same token string always verifies the
 * same way, so a service calling again with its token does not pay the signature again. Only the signature
 * and the fixed claims are remembered; the expiry is checked on every call, and everything that can change
 * (client, grant, pairing, consents) is the database's business (`liveCall`).
 */
const verifiedTokens = new WeakMap<object, Map<string, { claims: AccessTokenClaims; verifiedFor: string }>>();
const VERIFIED_TOKENS_MAX = 10_000;

/** The issuer and audience a token is verified against: a remembered token counts only for the same ones. */
const verifiedFor = (ctx: VerifyContext) => `${oauthIssuer(ctx.config)} ${fhirBaseOf(ctx.config)}`;

function rememberedClaims(ctx: VerifyContext, token: string): AccessTokenClaims | undefined {
  const tokens = verifiedTokens.get(ctx.keys);
  const remembered = tokens?.get(token);
  if (!remembered || remembered.verifiedFor !== verifiedFor(ctx)) return undefined;
  const { claims } = remembered;
  if (typeof claims.exp !== 'number' || claims.exp <= Math.floor(Date.now() / 1000)) {
    tokens?.delete(token);
    return undefined;
  }
  return claims;
}

function remember(ctx: VerifyContext, token: string, claims: AccessTokenClaims): void {
  let cache = verifiedTokens.get(ctx.keys);
  if (!cache) {
    cache = new Map();
    verifiedTokens.set(ctx.keys, cache);
  }
  setBounded(cache, token, { claims, verifiedFor: verifiedFor(ctx) }, VERIFIED_TOKENS_MAX);
}

/** The JWT checks alone (no database): the claims, or undefined. */
async function verifyJwt(ctx: VerifyContext, token: string): Promise<AccessTokenClaims | undefined> {
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token) || token.length > 8192) return undefined;
  const remembered = rememberedClaims(ctx, token);
  if (remembered) return remembered;
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
    remember(ctx, token, payload);
    return payload;
  } catch {
    return undefined;
  }
}

/** The client's registration and whether the grant stands, as one scalar SQL expression (a JSON object). */
function clientAndGrantSql(clientId: string, grantId: string, now: Date): RawBuilder<unknown> {
  return sql`select json_build_object('serviceOid', c.service_oid, 'status', c.status, 'grant', exists (
      select 1 from oidc_payloads g
      where g.provider = ${SERVICES_AS_PROVIDER} and g.model = 'Grant' and g.id = ${grantId}
        and (g.expires_at is null or g.expires_at > ${now})))
    from oauth_clients c where c.client_id = ${clientId}`;
}

function clientAndGrantOf(
  value: unknown,
): { serviceOid: string; status: string; grant: boolean } | undefined {
  const row = (typeof value === 'string' ? JSON.parse(value) : value) as
    | { serviceOid?: unknown; status?: unknown; grant?: unknown }
    | null
    | undefined;
  if (!row || typeof row.serviceOid !== 'string' || typeof row.status !== 'string') return undefined;
  return { serviceOid: row.serviceOid, status: row.status, grant: row.grant === true };
}

/** A verified call: the token's facts and the consent facts of its pairing. */
export interface ServiceCall {
  token: ServiceToken;
  facts: AccessFacts;
  /**
   * A SQL condition: every fact this call was verified and decided on still holds (the client active with its
   * OID, the grant standing, the pairing, its consents, the citizen's birthdate, the service's catalogue status
   * and version). A statement that acts on the call's decisions includes it, so that it acts only
   * when they are still true as it runs.
   */
  holds: RawBuilder<boolean>;
  /** The facts were remembered from an earlier call of the same token's grant, not read for this one. */
  remembered: boolean;
}

/** What an earlier call of the same subject, service, client and grant found, once the database confirmed it. */
interface RememberedCall {
  idPe: string;
  serviceOid: string;
  citizenId: string;
  pairingId: string;
  facts: AccessFacts;
}

/**
 * Verified calls by database, then by subject, service, client and grant. Nothing here is trusted on its own:
 * a call on remembered facts acts only through statements that include its `holds`, which compares the facts
 * as they are in the database with these. So an unpairing, a withdrawal, a suspension or a revoked grant made
 * by any process stops the very next statement, without anyone having to tell this cache.
 */
const rememberedCalls = new WeakMap<object, Map<string, RememberedCall>>();
const REMEMBERED_CALLS_MAX = 10_000;

function rememberCall(ctx: VerifyContext, key: string, call: RememberedCall | undefined): void {
  const calls = rememberedCalls.get(ctx.db);
  if (!call) calls?.delete(key);
  else if (calls) setBounded(calls, key, call, REMEMBERED_CALLS_MAX);
  else rememberedCalls.set(ctx.db, new Map([[key, call]]));
}

/**
 * The token's facts once the database confirmed them (client active with the OID the token names, grant
 * standing, pairing active), with the consent facts of the pairing: one statement. With `remembered`, the
 * facts an earlier call of the same grant found are used instead when there are some (no statement at all):
 * the caller must then act only through statements that include `holds`.
 */
async function liveCall(
  ctx: VerifyContext,
  claims: AccessTokenClaims,
  options: { remembered?: boolean } = {},
): Promise<ServiceCall | undefined> {
  const clientId = claims.client_id as string;
  const serviceOid = String(claims[ctx.config.oauth.oidClaim] ?? clientId);
  const grantId = claims[GRANT_CLAIM] as string;
  const idPe = claims.sub as string;
  const now = new Date();
  const alongside = clientAndGrantSql(clientId, grantId, now);
  const key = `${idPe}\n${serviceOid}\n${clientId}\n${grantId}`;
  const tokenOf = (call: RememberedCall): ServiceToken => ({
    idPe: call.idPe,
    serviceOid: call.serviceOid,
    clientId,
    scopes: (claims.scope ?? '').split(' ').filter(Boolean),
    citizenId: call.citizenId,
    pairingId: call.pairingId,
    grantId,
    expiresAt: new Date((claims.exp as number) * 1000),
  });
  const remembered = options.remembered ? rememberedCalls.get(ctx.db)?.get(key) : undefined;
  if (remembered) {
    return {
      token: tokenOf(remembered),
      facts: remembered.facts,
      holds: accessFactsHold(idPe, serviceOid, remembered.facts.fingerprint, alongside),
      remembered: true,
    };
  }
  // One statement: the client and its grant, read alongside the pairing and its consents.
  const facts = await accessFactsOf(ctx.db, idPe, serviceOid, now, alongside);
  const client = clientAndGrantOf(facts.alongside);
  const pairing = facts.pairing;
  if (
    client?.status !== 'active' ||
    !client.grant ||
    client.serviceOid !== serviceOid ||
    pairing?.status !== 'active' ||
    pairing.serviceOid !== client.serviceOid
  ) {
    rememberCall(ctx, key, undefined);
    if (client?.status === 'active' && client.grant && client.serviceOid !== serviceOid) throw oidConflict();
    return undefined;
  }
  const call: RememberedCall = {
    idPe: pairing.idPe,
    serviceOid: client.serviceOid,
    citizenId: pairing.citizenId,
    pairingId: pairing.id,
    facts,
  };
  rememberCall(ctx, key, call);
  return {
    token: tokenOf(call),
    facts,
    holds: accessFactsHold(idPe, serviceOid, facts.fingerprint, alongside),
    remembered: false,
  };
}

/**
 * Verifies `Authorization: Bearer <access token>`: the JWT locally, then the client, grant, pairing and its
 * consents in the database. Throws `invalidToken()` (401) otherwise, `oidConflict()` (409) when the token's
 * OID is not the one the client is registered with. With `remembered`, the database's facts may be those an
 * earlier call of the same grant found (see `liveCall`): only for a caller whose statements include `holds`.
 */
export async function verifyServiceCall(
  ctx: VerifyContext,
  authorizationHeader: string | undefined,
  options: { remembered?: boolean } = {},
): Promise<ServiceCall> {
  const match = /^bearer\s+(\S+)\s*$/i.exec(authorizationHeader ?? '');
  if (!match) throw invalidToken();
  const claims = await verifyJwt(ctx, match[1]);
  if (!claims) throw invalidToken();
  const call = await liveCall(ctx, claims, options);
  if (!call) throw invalidToken();
  return call;
}

/**
 * `verifyServiceCall` for a route that needs the token alone. When the call names an idPe (`expectedIdPe`), a
 * different one is refused with MES's 403 « idPe requested do not match authorized idPe. ».
 */
export async function verifyServiceToken(
  ctx: VerifyContext,
  authorizationHeader: string | undefined,
  options: { expectedIdPe?: string } = {},
): Promise<ServiceToken> {
  const { token } = await verifyServiceCall(ctx, authorizationHeader);
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
  const live = await liveCall(ctx, claims)
    .then((call) => call?.token)
    .catch(() => undefined);
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
