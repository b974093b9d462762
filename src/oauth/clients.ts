/**
 * The OAuth2 clients of referenced services with data exchange. A service becomes a client when it is
 * published (its client id is its OID); its status follows the catalogue: a suspended or dereferenced
 * service's client gets no token. The authorization server reads them here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ClientMetadata } from 'oidc-provider';
import type { Mode } from '../platform/config.ts';
import { randomToken, sha256 } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import type { SigningKeys } from '../platform/keys.ts';

export interface ServiceClient {
  clientId: string;
  serviceOid: string;
  productId: string | null;
  dossierId: string | null;
  redirectUris: string[];
  jwksUri: string | null;
  jwks: Record<string, unknown> | null;
  tokenEndpointAuthMethod: 'private_key_jwt' | 'client_secret_basic' | 'client_secret_post';
  status: 'active' | 'suspended' | 'revoked';
  origin: 'publication' | 'test_session';
  /** `v1.<salt>.<SHA-256 of the secret>` when a client secret was issued (the secret itself is never kept). */
  clientSecretHash: string | null;
}

/**
 * Creates the client of a published service, or updates it when the service is published again. A
 * connection-test session of the sandbox registers its test service's client the same way, under a client id
 * of its own (`sandbox-…`, origin `test_session`), with keys or, when `secretFrom` is given, a client secret
 * derived from the deployment's keys (`client_secret_basic`), returned here once and never stored.
 */
export async function registerServiceClient(
  trx: Db,
  c: {
    serviceOid: string;
    productId: string;
    dossierId: string | null;
    redirectUris: string[];
    jwksUri?: string;
    jwks?: Record<string, unknown>;
    /** The client id when it is not the service's OID. */
    clientId?: string;
    origin?: ServiceClient['origin'];
    secretFrom?: SigningKeys;
  },
): Promise<ServiceClient & { clientSecret?: string }> {
  const clientId = c.clientId ?? c.serviceOid;
  const salt = c.secretFrom ? randomToken(16) : undefined;
  const secret = c.secretFrom && salt ? deriveClientSecret(c.secretFrom, clientId, salt) : undefined;
  const values = {
    client_id: clientId,
    service_oid: c.serviceOid,
    product_id: c.productId,
    dossier_id: c.dossierId,
    redirect_uris: JSON.stringify(c.redirectUris),
    jwks_uri: c.jwksUri ?? null,
    jwks: c.jwks ? JSON.stringify(c.jwks) : null,
    token_endpoint_auth_method: secret ? ('client_secret_basic' as const) : ('private_key_jwt' as const),
    client_secret_hash: secret ? `v1.${salt}.${sha256(secret)}` : null,
    status: 'active' as const,
    origin: c.origin ?? ('publication' as const),
    updated_at: new Date(),
  };
  await trx
    .insertInto('oauth_clients')
    .values(values)
    .onConflict((oc) =>
      oc.column('client_id').doUpdateSet({
        redirect_uris: values.redirect_uris,
        jwks_uri: values.jwks_uri,
        jwks: values.jwks,
        dossier_id: values.dossier_id,
        status: 'active',
        updated_at: values.updated_at,
      }),
    )
    .execute();
  const client = (await findServiceClient(trx, clientId)) as ServiceClient;
  return secret ? { ...client, clientSecret: secret } : client;
}

/** Sets the client's status as its service's catalogue status requires. */
export async function setServiceClientStatus(
  trx: Db,
  serviceOid: string,
  status: ServiceClient['status'],
): Promise<void> {
  await trx
    .updateTable('oauth_clients')
    .set({ status, updated_at: new Date() })
    .where('service_oid', '=', serviceOid)
    .execute();
}

export async function findServiceClient(db: Db, clientId: string): Promise<ServiceClient | undefined> {
  const r = await db
    .selectFrom('oauth_clients')
    .selectAll()
    .where('client_id', '=', clientId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    clientId: r.client_id,
    serviceOid: r.service_oid,
    productId: r.product_id,
    dossierId: r.dossier_id,
    redirectUris: r.redirect_uris,
    jwksUri: r.jwks_uri,
    jwks: r.jwks,
    tokenEndpointAuthMethod: r.token_endpoint_auth_method,
    status: r.status,
    origin: r.origin,
    clientSecretHash: r.client_secret_hash,
  };
}

// ── client secrets ──────────────────────────────────────────────────────────

/**
 * A client secret is derived, never stored: HMAC-SHA256 of the deployment's private signing keys over the
 * client id and a random salt. The database keeps the salt and the secret's SHA-256 only, so neither a copy
 * of the database nor its backups give the secret (in production the private keys live in
 * MESREF_SIGNING_KEYS_FILE, outside the database). Every process derives the same secret; issuing a new one
 * (a new salt) replaces the old one; a change of the deployment's keys voids every secret.
 */
export function deriveClientSecret(keys: SigningKeys, clientId: string, salt: string): string {
  const material = keys.privateJwks
    .map((k) => `${k.kid}:${String((k as Record<string, unknown>).d ?? '')}`)
    .sort()
    .join('\n');
  return createHmac('sha256', material)
    .update(`mesref oauth client secret v1\n${clientId}\n${salt}`)
    .digest('base64url');
}

/** The secret of a client whose stored hash it matches; undefined when there is none or the keys changed. */
export function clientSecretOf(keys: SigningKeys, client: ServiceClient): string | undefined {
  const [version, salt, hash] = (client.clientSecretHash ?? '').split('.');
  if (version !== 'v1' || !salt || !hash) return undefined;
  const secret = deriveClientSecret(keys, client.clientId, salt);
  const a = Buffer.from(sha256(secret));
  const b = Buffer.from(hash);
  return a.length === b.length && timingSafeEqual(a, b) ? secret : undefined;
}

/**
 * Issues a new client secret (shown once to the publisher) and makes `client_secret_basic` the client's
 * authentication method; the previous secret stops working at once.
 */
export async function issueClientSecret(trx: Db, keys: SigningKeys, clientId: string): Promise<string> {
  const salt = randomToken(16);
  const secret = deriveClientSecret(keys, clientId, salt);
  await trx
    .updateTable('oauth_clients')
    .set({
      client_secret_hash: `v1.${salt}.${sha256(secret)}`,
      token_endpoint_auth_method: 'client_secret_basic',
      updated_at: new Date(),
    })
    .where('client_id', '=', clientId)
    .execute();
  return secret;
}

/** Drops the client secret: the client authenticates with its keys again (`private_key_jwt`). */
export async function dropClientSecret(trx: Db, clientId: string): Promise<boolean> {
  const result = await trx
    .updateTable('oauth_clients')
    .set({ client_secret_hash: null, token_endpoint_auth_method: 'private_key_jwt', updated_at: new Date() })
    .where('client_id', '=', clientId)
    .where((eb) => eb.or([eb('jwks_uri', 'is not', null), eb('jwks', 'is not', null)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// ── what the authorization server sees ──────────────────────────────────────

/**
 * A redirect URI the authorization server accepts: https, or (in a sandbox only) http on the loopback
 * (RFC 8252 §7.3), so that publishers and tests can run a client on their own machine.
 */
export function redirectUriAllowed(uri: string, mode: Mode): boolean {
  if (!URL.canParse(uri)) return false;
  const url = new URL(uri);
  if (url.hash) return false;
  if (url.protocol === 'https:') return true;
  return (
    mode === 'sandbox' &&
    url.protocol === 'http:' &&
    ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  );
}

/**
 * The client as oidc-provider knows it: an active service only; authorization code only, refresh tokens;
 * `private_key_jwt` with the service's keys, or `client_secret_basic` with its derived secret.
 */
export function providerMetadataOf(
  client: ServiceClient,
  context: { keys: SigningKeys; mode: Mode },
): ClientMetadata | undefined {
  if (client.status !== 'active') return undefined;
  const redirectUris = client.redirectUris.filter((u) => redirectUriAllowed(u, context.mode));
  if (redirectUris.length === 0) return undefined;
  const metadata: ClientMetadata = {
    client_id: client.clientId,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    application_type: 'web',
    id_token_signed_response_alg: 'ES256',
  };
  if (client.tokenEndpointAuthMethod === 'private_key_jwt') {
    if (client.jwks) metadata.jwks = client.jwks;
    else if (client.jwksUri) metadata.jwks_uri = client.jwksUri;
    else return undefined;
    metadata.token_endpoint_auth_method = 'private_key_jwt';
    return metadata;
  }
  const secret = clientSecretOf(context.keys, client);
  if (!secret) return undefined;
  metadata.token_endpoint_auth_method = client.tokenEndpointAuthMethod;
  metadata.client_secret = secret;
  return metadata;
}
