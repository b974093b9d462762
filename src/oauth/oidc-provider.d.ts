// The part of oidc-provider 9's API that mesref uses (the package ships no type declarations).
// Kept to what the code calls, so the compiler checks those calls; see panva/node-oidc-provider docs.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** What oidc-provider stores for one model instance (session, grant, code, token, interaction...). */
  export interface AdapterPayload {
    [key: string]: unknown;
    /** Tokens and codes: the grant they belong to. */
    grantId?: string;
    /** Device codes: the code the user types. */
    userCode?: string;
    /** Sessions: their uid. */
    uid?: string;
    /** Set when a code or token has been used once. */
    consumed?: unknown;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    client_name?: string;
    redirect_uris?: string[];
    post_logout_redirect_uris?: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
    id_token_signed_response_alg?: string;
    [key: string]: unknown;
  }

  export interface Client {
    clientId: string;
    clientName?: string;
  }

  export interface Session {
    accountId?: string;
    grantIdFor(clientId: string): string | undefined;
  }

  export interface Grant {
    jti: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    /** Scopes for a resource server (resource indicators, RFC 8707), space-separated. */
    addResourceScope(resource: string, scope: string): void;
    /** Requested scopes the end-user did not grant: the consent prompt counts them as answered. */
    rejectOIDCScope(scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    save(ttl?: number): Promise<string>;
  }

  export interface GrantConstructor {
    new (properties: { clientId: string; accountId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface OIDCContext {
    readonly client?: Client;
    readonly session: Session;
    readonly result?: { consent?: { grantId?: string } } & Record<string, unknown>;
    readonly provider: Provider;
    readonly requestParamOIDCScopes: Set<string>;
    readonly requestParamClaims: Set<string>;
    readonly params?: Record<string, unknown>;
    /** The endpoint being served (`authorization`, `token`, `introspection`, `revocation`...). */
    readonly route?: string;
  }

  /** The Koa context oidc-provider hands to configuration hooks. */
  export interface KoaContextWithOIDC {
    req: IncomingMessage;
    res: ServerResponse;
    type: string;
    body: unknown;
    status: number;
    host: string;
    oidc: OIDCContext;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims: unknown, rejected: string[]): Promise<Record<string, unknown>>;
  }

  export interface ErrorOut {
    error: string;
    error_description?: string;
    [key: string]: unknown;
  }

  export interface Interaction {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown>;
    session?: { accountId?: string; uid?: string };
    returnTo: string;
  }

  export type InteractionResults =
    | { login: { accountId: string; remember?: boolean }; consent?: { grantId?: string } }
    | { consent: { grantId?: string } }
    | { error: string; error_description?: string };

  export interface Configuration {
    adapter?: (name: string) => Adapter;
    clients?: ClientMetadata[];
    jwks?: { keys: Record<string, unknown>[] };
    cookies?: {
      keys?: string[];
      names?: { session?: string; interaction?: string; resume?: string };
      long?: Record<string, unknown>;
      short?: Record<string, unknown>;
    };
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    responseTypes?: string[];
    pkce?: { required?: (ctx: KoaContextWithOIDC, client: Client) => boolean };
    features?: Record<string, Record<string, unknown>>;
    ttl?: Record<string, number | ((...args: unknown[]) => number)>;
    interactions?: { url?: (ctx: KoaContextWithOIDC, interaction: Interaction) => Promise<string> | string };
    findAccount?: (
      ctx: KoaContextWithOIDC,
      sub: string,
      token?: unknown,
    ) => Promise<Account | undefined> | Account | undefined;
    loadExistingGrant?: (ctx: KoaContextWithOIDC) => Promise<Grant | undefined>;
    renderError?: (ctx: KoaContextWithOIDC, out: ErrorOut, error: Error) => Promise<void> | void;
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean;
    [key: string]: unknown;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    /** Trust X-Forwarded-* headers (Koa's `proxy`). */
    proxy: boolean;
    readonly Grant: GrantConstructor;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    /** Koa middleware around every endpoint (before `next()`: the request; after: the answer). */
    use(middleware: (koa: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): void;
  }

  export const errors: {
    SessionNotFound: new (...args: unknown[]) => Error;
    InvalidTarget: new (...args: unknown[]) => Error;
    OIDCProviderError: new (...args: unknown[]) => Error & { error: string; error_description?: string };
  };

  export default Provider;
}
