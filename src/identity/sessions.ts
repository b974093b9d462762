import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../platform/config.ts';
import { randomToken, sha256 } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import type { Actor } from './model.ts';
import * as store from './store.ts';

export const SESSION_COOKIE = 'mesref_session';
/** A session ends after this long without use. */
export const SESSION_IDLE_SECONDS = 8 * 3600;
/** API tokens carry this prefix, so secret scanners recognise them. */
export const API_TOKEN_PREFIX = 'mesref_pat_';

export interface SessionDeps {
  db: Db;
  config: Config;
}

/** Opens a server-side session and sets its cookie. Returns the session id (the token's hash). */
export async function openSession(
  deps: SessionDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  who: { accountId: string; secondFactorOk?: boolean } | { citizenId: string; idTokenHint?: string },
): Promise<string> {
  // A new session at every sign-in: a session id known before sign-in is never reused (fixation).
  const previous = request.cookies[SESSION_COOKIE];
  if (previous) await store.deleteSession(deps.db, sha256(previous));
  const token = randomToken();
  const id = sha256(token);
  await store.insertSession(deps.db, {
    id,
    ...('accountId' in who
      ? { accountId: who.accountId, secondFactorAt: who.secondFactorOk ? new Date() : null }
      : { citizenId: who.citizenId, idTokenHint: who.idTokenHint ?? null }),
    expiresAt: new Date(Date.now() + SESSION_IDLE_SECONDS * 1000),
    userAgent: request.headers['user-agent'] ?? null,
  });
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.config.secureCookies,
  });
  return id;
}

export async function closeSession(
  deps: SessionDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const token = request.cookies[SESSION_COOKIE];
  if (token) await store.deleteSession(deps.db, sha256(token));
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/** The id of the request's live session, if any. */
export function sessionIdOf(request: FastifyRequest): string | undefined {
  const token = request.cookies[SESSION_COOKIE];
  return token ? sha256(token) : undefined;
}

async function accountActor(
  db: Db,
  accountId: string,
  secondFactorOk: boolean,
  apiTokenOrganisationId?: string,
): Promise<Actor> {
  const account = await store.findAccountById(db, accountId);
  if (!account || account.disabled_at) return { kind: 'anonymous' };
  const roles = await store.rolesOf(db, accountId);
  return {
    kind: 'account',
    accountId,
    email: account.email,
    displayName: account.display_name,
    staffRoles: apiTokenOrganisationId ? [] : roles.staffRoles,
    memberships: apiTokenOrganisationId
      ? roles.memberships.filter((m) => m.organisationId === apiTokenOrganisationId)
      : roles.memberships,
    secondFactorOk: apiTokenOrganisationId ? true : secondFactorOk,
    totpEnabled: account.totp_enabled_at !== null,
    apiTokenOrganisationId,
  };
}

/**
 * Who is making the request: a personal API token (Authorization: Bearer mesref_pat_…), else the session
 * cookie, else anonymous. Sliding expiry: each use of a session extends it.
 */
export async function resolveActor(deps: SessionDeps, request: FastifyRequest): Promise<Actor> {
  const authorization = request.headers.authorization;
  if (authorization && /^bearer\s/i.test(authorization)) {
    const token = authorization.slice(7).trim();
    if (!token.startsWith(API_TOKEN_PREFIX)) return { kind: 'anonymous' };
    const row = await store.findLiveApiToken(deps.db, sha256(token));
    if (!row) return { kind: 'anonymous' };
    const roles = await store.rolesOf(deps.db, row.account_id);
    // The token stops working when its owner leaves the organisation.
    if (!roles.memberships.some((m) => m.organisationId === row.organisation_id))
      return { kind: 'anonymous' };
    await store.touchApiToken(deps.db, row.id);
    return accountActor(deps.db, row.account_id, true, row.organisation_id);
  }
  const id = sessionIdOf(request);
  if (!id) return { kind: 'anonymous' };
  const session = await store.findLiveSession(deps.db, id);
  if (!session) return { kind: 'anonymous' };
  const expiresAt = new Date(Date.now() + SESSION_IDLE_SECONDS * 1000);
  // Extend at most once a minute: no write on every request.
  if (Date.now() - new Date(session.last_seen_at).getTime() > 60_000)
    await store.touchSession(deps.db, id, expiresAt);
  if (session.account_id) return accountActor(deps.db, session.account_id, session.second_factor_at !== null);
  if (session.citizen_id) {
    const citizen = await store.findCitizenById(deps.db, session.citizen_id);
    if (!citizen) return { kind: 'anonymous' };
    return {
      kind: 'citizen',
      citizenId: citizen.id,
      displayName: `${citizen.given_name} ${citizen.family_name}`,
    };
  }
  return { kind: 'anonymous' };
}
