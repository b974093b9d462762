/** The authorization server's names and pure rules: paths, issuer, resource, claims, scopes. */
import { consentActions, scopeOf } from '../consent/model.ts';
import type { Referentials } from '../referential/index.ts';

/** Where the authorization server is mounted; its issuer is the public URL plus this. */
export const OAUTH_PATH = '/oauth';
/** The interaction (sign-in, whose space, consent) of a pairing: a page of mesref. */
export const PAIRING_PATH = '/appariement';
/** The authorization parameter that carries the service's own user id, kept on the pairing. */
export const SERVICE_USER_ID_PARAM = 'service_user_id';
/** The claim that names the grant an access token belongs to (its revocation stops the token at once). */
export const GRANT_CLAIM = 'grant_id';
/** Access and ID tokens are signed with the deployment's ES256 key. */
export const TOKEN_ALG = 'ES256';

export const oauthIssuer = (config: { publicUrl: string }): string => `${config.publicUrl}${OAUTH_PATH}`;
/** The FHIR base: the one resource server, the default `resource` and the access tokens' `aud`. */
export const fhirBaseOf = (config: { publicUrl: string }): string => `${config.publicUrl}/fhir`;

/** Every data scope: `<category>.read` and `<category>.write` for each category of the referential versions. */
export function dataScopesOf(referentials: Referentials): string[] {
  const scopes = new Set<string>();
  for (const version of referentials.versions)
    for (const c of version.dataCategories) for (const a of consentActions) scopes.add(scopeOf(c.code, a));
  return [...scopes].sort();
}

/** The endpoints of the authorization server (oidc-provider's routes under the issuer). */
export function endpointsOf(issuer: string) {
  return {
    authorization_endpoint: `${issuer}/auth`,
    token_endpoint: `${issuer}/token`,
    introspection_endpoint: `${issuer}/token/introspection`,
    revocation_endpoint: `${issuer}/token/revocation`,
    jwks_uri: `${issuer}/jwks`,
  };
}

/**
 * `.well-known/smart-configuration` under the FHIR base (SMART App Launch 2): what is true of mesref's
 * authorization server. A standalone launch by a confidential client (keys, or a secret), OpenID Connect,
 * refresh tokens. Not claimed: SMART v1/v2 scopes (`permission-v1`, `permission-v2`: MES scopes are
 * `<category>.read|write`), a patient launch context (the idPe is the token's `sub`), EHR launch, public clients.
 */
export function smartConfiguration(issuer: string, dataScopes: readonly string[]) {
  return {
    issuer,
    ...endpointsOf(issuer),
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic'],
    token_endpoint_auth_signing_alg_values_supported: ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA'],
    scopes_supported: ['openid', 'offline_access', ...dataScopes],
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-standalone',
      'client-confidential-asymmetric',
      'client-confidential-symmetric',
      'sso-openid-connect',
      'permission-offline',
      'authorize-post',
    ],
  };
}
