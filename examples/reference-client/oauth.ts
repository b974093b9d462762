/**
 * The OAuth 2 side of the reference client: discovery, the authorization request with PKCE S256, the code
 * exchange and the refresh, authenticated by the service's client secret (`client_secret_basic`) or by a
 * signed assertion (`private_key_jwt`), and the ID token checked against the server's keys.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createRemoteJWKSet, importJWK, type JWK, jwtVerify, SignJWT } from 'jose';

/** How the service authenticates at the token endpoint. */
export type ClientAuth =
  | { clientSecret: string }
  /** The private key (JWK) whose public half the session or the file declared. */
  | { privateJwk: JWK };

export interface OAuthSettings {
  /** The deployment's public URL: the issuer is `<baseUrl>/oauth`. */
  baseUrl: string;
  clientId: string;
  redirectUri: string;
  auth: ClientAuth;
}

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

export interface Tokens {
  accessToken: string;
  refreshToken?: string;
  /** When the access token stops working (ms since the epoch). */
  expiresAt: number;
  scope: string;
}

/** A pending authorization: what the application keeps (in the user's session) until the redirect comes back. */
export interface PendingAuthorization {
  url: string;
  state: string;
  nonce: string;
  /** Undefined only for a client that does not do PKCE (refused by MES). */
  verifier?: string;
}

export class TokenError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description?: string,
  ) {
    super(`${status} ${error}${description ? `: ${description}` : ''}`);
  }
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

export class OAuthClient {
  private discovery?: Discovery;
  private jwks?: ReturnType<typeof createRemoteJWKSet>;

  constructor(readonly settings: OAuthSettings) {}

  /** The issuer's metadata (OpenID Connect discovery), read once. */
  async metadata(): Promise<Discovery> {
    if (!this.discovery) {
      const res = await fetch(`${this.settings.baseUrl}/oauth/.well-known/openid-configuration`);
      if (!res.ok) throw new Error(`discovery: ${res.status}`);
      this.discovery = (await res.json()) as Discovery;
    }
    return this.discovery;
  }

  /**
   * The URL to send the citizen to: authorization code, `state` and `nonce` (checked on the way back), PKCE
   * S256 (a verifier kept here, its SHA-256 sent), `prompt=consent` so that `offline_access` gives a refresh
   * token.
   */
  async authorizationRequest(scope: string, options: { pkce?: boolean } = {}): Promise<PendingAuthorization> {
    const { authorization_endpoint } = await this.metadata();
    const state = base64url(randomBytes(16));
    const nonce = base64url(randomBytes(16));
    const verifier = options.pkce === false ? undefined : base64url(randomBytes(32));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUri,
      scope,
      state,
      nonce,
      prompt: 'consent',
    });
    if (verifier) {
      query.set('code_challenge', base64url(createHash('sha256').update(verifier).digest()));
      query.set('code_challenge_method', 'S256');
    }
    return { url: `${authorization_endpoint}?${query}`, state, nonce, verifier };
  }

  /**
   * The code of the redirect back to the application, after checking that it answers this request (`state`)
   * and comes from this issuer (`iss`, RFC 9207). Throws with the error MES sent (`access_denied`…).
   */
  async codeOf(redirectTo: string, pending: PendingAuthorization): Promise<string> {
    const url = new URL(redirectTo);
    const params = url.searchParams;
    if (params.get('state') !== pending.state)
      throw new Error('the redirect does not answer our request (state)');
    const iss = params.get('iss');
    if (iss && iss !== (await this.metadata()).issuer) throw new Error(`unexpected issuer ${iss}`);
    const error = params.get('error');
    if (error) throw new TokenError(0, error, params.get('error_description') ?? undefined);
    const code = params.get('code');
    if (!code) throw new Error('no code in the redirect');
    return code;
  }

  /** Exchanges the code (with the PKCE verifier); checks the ID token; returns the tokens and the idPe. */
  async exchange(code: string, pending: PendingAuthorization): Promise<{ tokens: Tokens; idPe: string }> {
    const body = await this.token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: this.settings.redirectUri,
      ...(pending.verifier ? { code_verifier: pending.verifier } : {}),
    });
    const idToken = String(body.id_token ?? '');
    const { issuer, jwks_uri } = await this.metadata();
    this.jwks ??= createRemoteJWKSet(new URL(jwks_uri));
    const { payload } = await jwtVerify(idToken, this.jwks, { issuer, audience: this.settings.clientId });
    if (payload.nonce !== pending.nonce) throw new Error('the ID token does not answer our request (nonce)');
    // The ID token's `sub` is the idPe: the citizen's pseudonym for this service, named in every resource.
    return { tokens: tokensOf(body), idPe: String(payload.sub) };
  }

  /** A new access token; the refresh token rotates (the old one stops working), so keep the new one. */
  async refresh(refreshToken: string): Promise<Tokens> {
    return tokensOf(await this.token({ grant_type: 'refresh_token', refresh_token: refreshToken }));
  }

  private async token(params: Record<string, string>): Promise<Record<string, unknown>> {
    const { token_endpoint, issuer } = await this.metadata();
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    const form = new URLSearchParams(params);
    const { auth, clientId } = this.settings;
    if ('clientSecret' in auth) {
      // RFC 6749 §2.3.1: both parts form-encoded before base64.
      const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(auth.clientSecret)}`;
      headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    } else {
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', await assertion(auth.privateJwk, clientId, issuer));
    }
    const res = await fetch(token_endpoint, { method: 'POST', headers, body: form.toString() });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok) {
      throw new TokenError(res.status, String(body.error ?? 'error'), body.error_description as string);
    }
    return body;
  }
}

/** private_key_jwt (RFC 7523): `iss` = `sub` = the client id, `aud` = the issuer, a unique `jti`, one minute. */
async function assertion(jwk: JWK, clientId: string, audience: string): Promise<string> {
  const alg = jwk.alg ?? 'ES256';
  const key = await importJWK(jwk, alg);
  return new SignJWT({})
    .setProtectedHeader({ alg, ...(jwk.kid ? { kid: jwk.kid } : {}) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(key);
}

function tokensOf(body: Record<string, unknown>): Tokens {
  return {
    accessToken: String(body.access_token),
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    expiresAt: Date.now() + Number(body.expires_in ?? 0) * 1000,
    scope: String(body.scope ?? ''),
  };
}
