import * as client from 'openid-client';
import { postgresAdapter } from '../oauth/index.ts';
import { randomToken, sha256 } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';

/** How mesref reaches the citizens' identity provider (FranceConnect, any OpenID provider, or the test one). */
export interface CitizenIdpSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Plain-http issuer allowed (sandbox only). */
  allowHttp: boolean;
  /** Where requests to the provider go instead of the network (the in-process test provider). */
  fetch?: client.CustomFetch;
  /** Take the INS claims (only from the test provider, whose INS are fictitious). */
  acceptIns: boolean;
}

/** How long a started sign-in may wait for the provider's answer. */
export const SIGN_IN_REQUEST_SECONDS = 10 * 60;

/** What is kept server-side between the redirect to the provider and its answer. */
interface PendingSignIn {
  [key: string]: unknown;
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string | null;
}

export type SignInFailure =
  /** No pending request for this browser (expired, already used, or another browser). */
  | 'no_request'
  /** The answer does not carry the state this browser was given: forged or mixed-up response. */
  | 'state_mismatch'
  /** The citizen cancelled at the provider. */
  | 'cancelled'
  /** The provider answered with an error. */
  | 'refused'
  /** The provider could not be reached or its answer did not validate. */
  | 'provider_error';

export type SignInOutcome =
  | { ok: true; claims: Record<string, unknown>; idToken: string | undefined; returnTo: string | null }
  | { ok: false; reason: SignInFailure; detail?: string };

/**
 * The OpenID Connect relying party of citizens' sign-in: authorization code with PKCE, state and nonce.
 * The pending request lives in `oidc_payloads` (provider `citizen-rp`), keyed by the SHA-256 of a random
 * handle the browser holds in a cookie, so the answer may reach any mesref process sharing the database.
 */
export class CitizenRelyingParty {
  readonly settings: CitizenIdpSettings;
  private readonly pending;
  private configuration?: Promise<client.Configuration>;

  constructor(db: Db, settings: CitizenIdpSettings) {
    this.settings = settings;
    this.pending = postgresAdapter(db, 'citizen-rp')('SignInRequest');
  }

  /** The provider's metadata, discovered once per process (again after a failure). */
  discover(): Promise<client.Configuration> {
    if (!this.configuration) {
      const s = this.settings;
      const execute = s.allowHttp && s.issuer.startsWith('http://') ? [client.allowInsecureRequests] : [];
      this.configuration = client
        .discovery(new URL(s.issuer), s.clientId, s.clientSecret, undefined, {
          execute,
          ...(s.fetch ? { [client.customFetch]: s.fetch } : {}),
          timeout: 10,
        })
        .catch((error: unknown) => {
          this.configuration = undefined;
          throw error;
        });
    }
    return this.configuration;
  }

  /** Starts a sign-in: returns the provider's URL to send the browser to, and the handle for its cookie. */
  async start(returnTo: string | null): Promise<{ url: URL; handle: string }> {
    const configuration = await this.discover();
    const codeVerifier = client.randomPKCECodeVerifier();
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier,
      returnTo,
    };
    const handle = randomToken();
    await this.pending.upsert(sha256(handle), pending, SIGN_IN_REQUEST_SECONDS);
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scope,
      response_type: 'code',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url, handle };
  }

  /**
   * Takes the provider's answer at the callback URL: checks it against the pending request (used once),
   * exchanges the code, validates the ID token, and reads the userinfo claims.
   */
  async finish(handle: string | undefined, callbackUrl: URL): Promise<SignInOutcome> {
    if (!handle) return { ok: false, reason: 'no_request' };
    const id = sha256(handle);
    const pending = (await this.pending.find(id)) as PendingSignIn | undefined;
    if (!pending) return { ok: false, reason: 'no_request' };
    await this.pending.destroy(id);

    const params = callbackUrl.searchParams;
    if (params.get('state') !== pending.state) return { ok: false, reason: 'state_mismatch' };
    const error = params.get('error');
    if (error) {
      return {
        ok: false,
        reason: error === 'access_denied' ? 'cancelled' : 'refused',
        detail: error.replace(/[^\w.-]/g, '').slice(0, 60),
      };
    }

    try {
      const configuration = await this.discover();
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims() as Record<string, unknown> | undefined;
      if (!idClaims) return { ok: false, reason: 'provider_error', detail: 'no id_token' };
      let claims: Record<string, unknown> = { ...idClaims };
      if (configuration.serverMetadata().userinfo_endpoint) {
        const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, String(idClaims.sub));
        claims = { ...claims, ...userinfo };
      }
      return { ok: true, claims, idToken: tokens.id_token, returnTo: pending.returnTo };
    } catch (err) {
      const e = err as { code?: string; error?: string; message?: string };
      return { ok: false, reason: 'provider_error', detail: e.error ?? e.code ?? e.message };
    }
  }

  /** The provider's sign-out URL for this session, when it has one. */
  async endSessionUrl(idTokenHint: string | null): Promise<URL | undefined> {
    const configuration = await this.discover();
    if (!configuration.serverMetadata().end_session_endpoint) return undefined;
    return client.buildEndSessionUrl(configuration, {
      post_logout_redirect_uri: this.settings.postLogoutRedirectUri,
      ...(idTokenHint ? { id_token_hint: idTokenHint } : { client_id: this.settings.clientId }),
    });
  }
}
