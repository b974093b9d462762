/**
 * The OAuth2 clients of referenced services with data exchange. A service becomes a client when it is
 * published (its client id is its OID); its status follows the catalogue: a suspended or dereferenced
 * service's client gets no token. The authorization server reads them here.
 */
import type { Db } from '../platform/db/index.ts';

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
}

/** Creates the client of a published service, or updates it when the service is published again. */
export async function registerServiceClient(
  trx: Db,
  c: {
    serviceOid: string;
    productId: string;
    dossierId: string;
    redirectUris: string[];
    jwksUri?: string;
    jwks?: Record<string, unknown>;
  },
): Promise<ServiceClient> {
  const values = {
    client_id: c.serviceOid,
    service_oid: c.serviceOid,
    product_id: c.productId,
    dossier_id: c.dossierId,
    redirect_uris: JSON.stringify(c.redirectUris),
    jwks_uri: c.jwksUri ?? null,
    jwks: c.jwks ? JSON.stringify(c.jwks) : null,
    token_endpoint_auth_method: 'private_key_jwt' as const,
    status: 'active' as const,
    origin: 'publication' as const,
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
  return (await findServiceClient(trx, c.serviceOid)) as ServiceClient;
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
  };
}
