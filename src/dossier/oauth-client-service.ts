/**
 * The OAuth2 credentials of a published service with data exchange, as its publisher sees and manages them
 * (identifiants OAuth2): the client made at publication (client id = the service's OID), the authorization
 * server's endpoints, and the client secret a mandataire or représentant may issue instead of the keys
 * (`client_secret_basic`), or drop to go back to `private_key_jwt`. A secret is shown once, to the person who
 * issued it: it is never stored, logged, audited nor put on the file's timeline.
 */
import { appendAuditEvent } from '../audit/index.ts';
import type { Actor } from '../identity/index.ts';
import {
  dropClientSecret,
  endpointsOf,
  findServiceClient,
  issueClientSecret,
  oauthIssuer,
  type ServiceClient,
} from '../oauth/index.ts';
import type { Db } from '../platform/db/index.ts';
import { AppError, forbidden, notFound } from '../platform/errors.ts';
import { type DossierDeps, type DossierView, rolesOn } from './service.ts';
import * as store from './store.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What the publisher's page shows of the service's client. */
export interface OAuthClientView {
  clientId: string;
  status: ServiceClient['status'];
  tokenEndpointAuthMethod: ServiceClient['tokenEndpointAuthMethod'];
  /** A secret was issued and is the way the client authenticates now. */
  hasSecret: boolean;
  redirectUris: string[];
  jwksUri: string | null;
  /** The public keys declared inline (their ids and algorithms), when the request gave a JWKS. */
  keys: Array<{ kid: string; kty: string; alg: string }>;
  issuer: string;
  discoveryUrl: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  /** The viewer may issue or drop a secret now (a mandataire or représentant, the client active). */
  mayManage: boolean;
}

/** What issuing a secret answers: the only time the secret is ever shown. */
export interface IssuedClientSecret {
  clientId: string;
  clientSecret: string;
  tokenEndpointAuthMethod: 'client_secret_basic';
}

/** Whether a file is the one a service's client belongs to: published, with data exchange, its OID given. */
function hasClient(file: {
  state: string;
  typology: string;
  kind: string;
  oid: string | null;
}): file is { state: string; typology: string; kind: string; oid: string } {
  return (
    file.state === 'published' && file.typology === 'avec-echange' && file.kind === 'initial' && !!file.oid
  );
}

function keysOf(jwks: Record<string, unknown> | null): OAuthClientView['keys'] {
  const keys = Array.isArray(jwks?.keys) ? (jwks.keys as Array<Record<string, unknown>>) : [];
  return keys.map((k) => ({ kid: String(k.kid ?? ''), kty: String(k.kty ?? ''), alg: String(k.alg ?? '') }));
}

/**
 * The client of a file the viewer already sees (`view` comes from `getDossier`, which checked the rights);
 * undefined when the file has none (not published, without data exchange, an update file).
 */
export async function oauthClientOf(
  deps: DossierDeps,
  view: DossierView,
): Promise<OAuthClientView | undefined> {
  if (!hasClient(view)) return undefined;
  const client = await findServiceClient(deps.db, view.oid);
  if (!client) return undefined;
  const issuer = oauthIssuer(deps.config);
  const endpoints = endpointsOf(issuer);
  return {
    clientId: client.clientId,
    status: client.status,
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod,
    hasSecret: client.clientSecretHash !== null && client.tokenEndpointAuthMethod !== 'private_key_jwt',
    redirectUris: client.redirectUris,
    jwksUri: client.jwksUri,
    keys: keysOf(client.jwks),
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    authorizationEndpoint: endpoints.authorization_endpoint,
    tokenEndpoint: endpoints.token_endpoint,
    mayManage: view.roles.includes('publisher_manager') && client.status === 'active',
  };
}

/**
 * Locks the file and finds its client, for a change by a mandataire or représentant of the organisation:
 * 404 when the file is not the actor's to see, 403 for another role, 409 when the service is not published
 * with data exchange or its client is not active.
 */
async function lockClient(
  trx: Db,
  actor: Actor,
  id: string,
): Promise<{ row: store.DossierRow; client: ServiceClient; accountId: string | null }> {
  if (!UUID.test(id)) throw notFound();
  const row = await store.lockDossier(trx, id);
  if (!row) throw notFound();
  const roles = rolesOn(actor, row.organisationId);
  if (roles.length === 0 || (row.state === 'draft' && !roles.includes('publisher'))) throw notFound();
  if (!roles.includes('publisher_manager')) throw forbidden('dossier.client.error.role');
  const client = hasClient(row) ? await findServiceClient(trx, row.oid) : undefined;
  if (!client) throw new AppError('client_unavailable', 409, 'dossier.client.error.not_published');
  if (client.status !== 'active')
    throw new AppError('client_inactive', 409, `dossier.client.error.${client.status}`);
  return { row, client, accountId: actor.kind === 'account' ? actor.accountId : null };
}

/** The step on the file's timeline and its audit event (neither carries the secret). */
async function record(
  trx: Db,
  deps: DossierDeps,
  actor: Actor,
  id: string,
  type: 'client_secret_issued' | 'client_secret_dropped',
  data: Record<string, unknown>,
): Promise<void> {
  const accountId = actor.kind === 'account' ? actor.accountId : null;
  await store.insertEvent(trx, {
    dossierId: id,
    actorAccountId: accountId,
    actorRole: 'publisher_manager',
    type,
    data,
    at: deps.now ? deps.now() : new Date(),
  });
  await appendAuditEvent(trx, {
    actorType: accountId ? 'account' : 'anonymous',
    actorId: accountId,
    action: `dossier.${type}`,
    subjectType: 'dossier',
    subjectId: id,
    data,
  });
}

/**
 * Issues a new client secret for the file's service: the client authenticates with `client_secret_basic`
 * from now on, and the previous secret (if any) stops working at once.
 */
export async function issueDossierClientSecret(
  deps: DossierDeps,
  actor: Actor,
  id: string,
): Promise<IssuedClientSecret> {
  return deps.db.transaction().execute(async (trx) => {
    const { client } = await lockClient(trx, actor, id);
    const clientSecret = await issueClientSecret(trx, deps.keys, client.clientId);
    await record(trx, deps, actor, id, 'client_secret_issued', {
      clientId: client.clientId,
      method: 'client_secret_basic',
      replaced: client.clientSecretHash !== null,
    });
    return {
      clientId: client.clientId,
      clientSecret,
      tokenEndpointAuthMethod: 'client_secret_basic' as const,
    };
  });
}

/** Drops the client secret: the client authenticates with its declared keys (`private_key_jwt`) again. */
export async function dropDossierClientSecret(
  deps: DossierDeps,
  actor: Actor,
  id: string,
): Promise<{ clientId: string; tokenEndpointAuthMethod: 'private_key_jwt' }> {
  return deps.db.transaction().execute(async (trx) => {
    const { client } = await lockClient(trx, actor, id);
    if (client.tokenEndpointAuthMethod === 'private_key_jwt' && client.clientSecretHash === null)
      throw new AppError('no_client_secret', 409, 'dossier.client.error.no_secret');
    if (!(await dropClientSecret(trx, client.clientId)))
      throw new AppError('no_client_keys', 409, 'dossier.client.error.no_keys');
    await record(trx, deps, actor, id, 'client_secret_dropped', {
      clientId: client.clientId,
      method: 'private_key_jwt',
    });
    return { clientId: client.clientId, tokenEndpointAuthMethod: 'private_key_jwt' as const };
  });
}
