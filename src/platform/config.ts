import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Deployment mode: `sandbox` is the publishers' test environment and the demo; `production` is the real service. */
export type Mode = 'sandbox' | 'production';

export type CitizenIdpConfig =
  | { kind: 'test' }
  | { kind: 'oidc'; issuer: string; clientId: string; clientSecret: string; scope: string };

export interface MailConfig {
  /** `capture` keeps outgoing mail in the sandbox mailbox page; `smtp` sends it. */
  transport: 'capture' | 'smtp';
  smtpUrl?: string;
  from: string;
}

export interface Config {
  mode: Mode;
  host: string;
  port: number;
  /** The URL users reach mesref at (links in mails, OpenID redirect URIs). */
  publicUrl: string;
  dataDir: string;
  databaseUrl?: string;
  /** Connections to the PostgreSQL server of DATABASE_URL (per process). */
  databasePoolSize: number;
  /** The operator is a public administration: show the State's brand block and Marianne fonts. */
  stateBrand: boolean;
  operatorName: string;
  mail: MailConfig;
  citizenIdp: CitizenIdpConfig;
  /** Seed demo data at first start (sandbox only). */
  demoData: boolean;
  /** Path of a JWKS file holding this deployment's private signing keys (required in production). */
  signingKeysFile?: string;
  /** Run the background worker inside `serve`. */
  inProcessWorker: boolean;
  bodyLimitBytes: number;
  /** Largest FHIR resource text the validator reads (command line, $validate, the validation page), in bytes. */
  fhirMaxResourceBytes: number;
  /** Largest logo or screenshot of a service (MESREF_PRODUCT_IMAGE_MAX_BYTES), in bytes. */
  productImageMaxBytes: number;
  /** Largest evidence file of a self-assessment (MESREF_EVIDENCE_MAX_BYTES), in bytes. */
  evidenceMaxBytes: number;
  /** Folder of the referential versions (`*.yaml`), loaded once at start. */
  referentialsDir: string;
  /**
   * Hosts écoscore journeys may reach besides those of the service's declared URLs
   * (MESREF_ECOSCORE_ALLOWED_HOSTS, comma-separated `host` or `host:port`), for tests and local fixtures.
   */
  ecoscoreAllowedHosts: string[];
  /** Chromium that measures écoscore journeys (MESREF_CHROMIUM, /usr/bin/chromium by default). */
  ecoscoreChromium: string;
  logLevel: string;
  /** Cookies marked Secure (on by default when the public URL is https). */
  secureCookies: boolean;
  /**
   * Root OID under which published services get theirs (MESREF_OID_ROOT). The sandbox defaults to an arc
   * of the example branch 2.999; production must set its own.
   */
  oidRoot: string;
  /** The referencing process file (MESREF_PROCESS_FILE): deadlines, validity, commission seats. */
  processFile?: string;
  /**
   * Public keys (JWKS file) of the sandbox deployment whose connection-test reports this deployment accepts
   * (MESREF_SANDBOX_JWKS_FILE). Reports signed by this deployment's own keys are always accepted.
   */
  sandboxJwksFile?: string;
  /** The authorization server of referenced services (src/oauth): token lifetimes and the service OID's claim. */
  oauth: OAuthSettings;
}

export interface OAuthSettings {
  /** Lifetime of an access token (MESREF_OAUTH_ACCESS_TOKEN_SECONDS, 600 by default). */
  accessTokenSeconds: number;
  /** Lifetime of a refresh token, renewed at each rotation (MESREF_OAUTH_REFRESH_TOKEN_DAYS, 30 by default). */
  refreshTokenDays: number;
  /** The claim naming the service's OID in access and ID tokens (MESREF_OAUTH_OID_CLAIM, `service_oid`). */
  oidClaim: string;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Configuration refusée :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Record<string, string | undefined>;

function bool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  problems.push(`${name} doit valoir true ou false (reçu « ${raw} »)`);
  return fallback;
}

function int(
  env: Env,
  name: string,
  fallback: number,
  problems: string[],
  range: { min?: number; max?: number } = {},
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const min = range.min ?? 0;
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  const n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    problems.push(`${name} doit être un entier entre ${min} et ${max} (reçu « ${raw} »)`);
    return fallback;
  }
  return n;
}

/** 5 MiB: far above any measure or document bundle MES takes, small enough to validate in well under a second. */
export const DEFAULT_FHIR_MAX_RESOURCE_BYTES = 5 * 1024 * 1024;
/** A text beyond this could not even be held as one JavaScript string. */
const FHIR_MAX_RESOURCE_BYTES_CEILING = 256 * 1024 * 1024;

function fhirMaxBytes(env: Env, problems: string[]): number {
  return int(env, 'MESREF_FHIR_MAX_BYTES', DEFAULT_FHIR_MAX_RESOURCE_BYTES, problems, {
    min: 1,
    max: FHIR_MAX_RESOURCE_BYTES_CEILING,
  });
}

/**
 * MESREF_FHIR_MAX_BYTES alone, checked as `loadConfig` checks it: `mesref fhir validate` needs no other
 * setting, so a configuration meant for a server (production keys, SMTP…) never stops it.
 */
export function loadFhirMaxResourceBytes(env: Env = process.env): number {
  const problems: string[] = [];
  const value = fhirMaxBytes(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return value;
}

/** The referential versions shipped with mesref. */
export const SHIPPED_REFERENTIALS_DIR = resolve(
  fileURLToPath(new URL('../../referentials/', import.meta.url)),
);

function referentialsDirOf(env: Env, problems: string[]): string {
  const raw = env.MESREF_REFERENTIALS_DIR;
  if (raw === undefined || raw === '') return SHIPPED_REFERENTIALS_DIR;
  const dir = resolve(raw);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.push(`MESREF_REFERENTIALS_DIR doit être un dossier existant (reçu « ${raw} »)`);
  }
  return dir;
}

/**
 * MESREF_REFERENTIALS_DIR alone, checked as `loadConfig` checks it: `mesref referential …` needs no other
 * setting.
 */
export function loadReferentialsDir(env: Env = process.env): string {
  const problems: string[] = [];
  const dir = referentialsDirOf(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return dir;
}

function ecoscoreAllowedHostsOf(env: Env, problems: string[]): string[] {
  const hosts = (env.MESREF_ECOSCORE_ALLOWED_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const host of hosts) {
    if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(host) && !/^\[[0-9a-f:]+\](:\d{1,5})?$/.test(host)) {
      problems.push(`MESREF_ECOSCORE_ALLOWED_HOSTS : hôte invalide « ${host} »`);
    }
  }
  return hosts;
}

/** Debian's Chromium, which measures écoscore journeys unless MESREF_CHROMIUM names another. */
export const DEFAULT_ECOSCORE_CHROMIUM = '/usr/bin/chromium';

/**
 * MESREF_ECOSCORE_ALLOWED_HOSTS and MESREF_CHROMIUM alone, checked as `loadConfig` checks them:
 * `mesref ecoscore run` needs no other setting.
 */
export function loadEcoscoreSettings(env: Env = process.env): { allowedHosts: string[]; chromium: string } {
  const problems: string[] = [];
  const allowedHosts = ecoscoreAllowedHostsOf(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { allowedHosts, chromium: env.MESREF_CHROMIUM || DEFAULT_ECOSCORE_CHROMIUM };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the configuration from the environment and checks it as a whole.
 * A production deployment refuses every sandbox setting, so that a sandbox can never be mistaken for it.
 */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const modeRaw = env.MESREF_MODE || 'sandbox';
  if (modeRaw !== 'sandbox' && modeRaw !== 'production') {
    problems.push(`MESREF_MODE doit valoir sandbox ou production (reçu « ${modeRaw} »)`);
  }
  const mode: Mode = modeRaw === 'production' ? 'production' : 'sandbox';
  const sandbox = mode === 'sandbox';

  const port = int(env, 'PORT', 3000, problems, { max: 65535 });
  const host = env.HOST || '0.0.0.0';
  const publicUrl = (env.MESREF_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!URL.canParse(publicUrl) || !/^https?:$/.test(new URL(publicUrl).protocol)) {
    problems.push(`MESREF_PUBLIC_URL doit être une URL http(s) (reçu « ${publicUrl} »)`);
  }

  const transport = env.MESREF_MAIL || (sandbox ? 'capture' : 'smtp');
  if (transport !== 'capture' && transport !== 'smtp') {
    problems.push(`MESREF_MAIL doit valoir capture ou smtp (reçu « ${transport} »)`);
  }
  const mail: MailConfig = {
    transport: transport === 'smtp' ? 'smtp' : 'capture',
    smtpUrl: env.SMTP_URL || undefined,
    from: env.MESREF_MAIL_FROM ?? 'mesref <no-reply@localhost>',
  };
  if (mail.transport === 'smtp' && !mail.smtpUrl) problems.push('MESREF_MAIL=smtp demande SMTP_URL');

  const idpKind = env.MESREF_CITIZEN_IDP || (sandbox ? 'test' : 'oidc');
  let citizenIdp: CitizenIdpConfig = { kind: 'test' };
  if (idpKind === 'oidc') {
    const issuer = env.MESREF_CITIZEN_OIDC_ISSUER ?? '';
    const clientId = env.MESREF_CITIZEN_OIDC_CLIENT_ID ?? '';
    const clientSecret = env.MESREF_CITIZEN_OIDC_CLIENT_SECRET ?? '';
    for (const [name, value] of [
      ['MESREF_CITIZEN_OIDC_ISSUER', issuer],
      ['MESREF_CITIZEN_OIDC_CLIENT_ID', clientId],
      ['MESREF_CITIZEN_OIDC_CLIENT_SECRET', clientSecret],
    ] as const) {
      if (!value) problems.push(`le fournisseur d'identité des usagers demande ${name}`);
    }
    citizenIdp = {
      kind: 'oidc',
      issuer,
      clientId,
      clientSecret,
      scope: env.MESREF_CITIZEN_OIDC_SCOPE ?? 'openid profile birth',
    };
  } else if (idpKind !== 'test') {
    problems.push(`MESREF_CITIZEN_IDP doit valoir test ou oidc (reçu « ${idpKind} »)`);
  }

  const demoData = bool(env, 'MESREF_DEMO_DATA', sandbox, problems);
  const signingKeysFile = env.MESREF_SIGNING_KEYS_FILE || undefined;

  if (!sandbox) {
    if (citizenIdp.kind === 'test') {
      problems.push('le mode production refuse le fournisseur d’identité de test (MESREF_CITIZEN_IDP=test)');
    }
    if (mail.transport === 'capture') {
      problems.push('le mode production refuse la capture des courriels (MESREF_MAIL=capture)');
    }
    if (demoData) problems.push('le mode production refuse les données de démonstration (MESREF_DEMO_DATA)');
    if (!signingKeysFile) {
      problems.push('le mode production demande ses propres clés de signature (MESREF_SIGNING_KEYS_FILE)');
    }
    if (!publicUrl.startsWith('https://'))
      problems.push('le mode production demande une MESREF_PUBLIC_URL en https');
  }

  // Read before the verdict below, so that their problems are reported with the others.
  const stateBrand = bool(env, 'MESREF_STATE_BRAND', false, problems);
  const inProcessWorker = bool(env, 'MESREF_IN_PROCESS_WORKER', true, problems);
  const bodyLimitBytes = int(env, 'MESREF_BODY_LIMIT', 1024 * 1024, problems, { min: 1 });
  const databasePoolSize = int(env, 'DATABASE_POOL_SIZE', 10, problems, { min: 1, max: 1000 });
  const fhirMaxResourceBytes = fhirMaxBytes(env, problems);
  const referentialsDir = referentialsDirOf(env, problems);
  const productImageMaxBytes = int(env, 'MESREF_PRODUCT_IMAGE_MAX_BYTES', 1024 * 1024, problems, {
    min: 1024,
    max: 64 * 1024 * 1024,
  });
  const evidenceMaxBytes = int(env, 'MESREF_EVIDENCE_MAX_BYTES', 10 * 1024 * 1024, problems, {
    min: 1024,
    max: 256 * 1024 * 1024,
  });
  const ecoscoreAllowedHosts = ecoscoreAllowedHostsOf(env, problems);
  const ecoscoreChromium = env.MESREF_CHROMIUM || DEFAULT_ECOSCORE_CHROMIUM;
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL doit valoir ${LOG_LEVELS.join(', ')} (reçu « ${logLevel} »)`);
  }
  const secureCookies = bool(env, 'MESREF_SECURE_COOKIES', publicUrl.startsWith('https://'), problems);
  if (!sandbox && !secureCookies && publicUrl.startsWith('https://')) {
    problems.push(
      'le mode production refuse les cookies sans l’attribut Secure (MESREF_SECURE_COOKIES=false)',
    );
  }

  const oidRoot = env.MESREF_OID_ROOT || (sandbox ? '2.999.250.1' : '');
  if (!sandbox && !env.MESREF_OID_ROOT)
    problems.push('le mode production demande la racine OID des services (MESREF_OID_ROOT)');
  else if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(oidRoot))
    problems.push(`MESREF_OID_ROOT doit être un OID (chiffres séparés par des points ; reçu « ${oidRoot} »)`);
  const processFile = env.MESREF_PROCESS_FILE || undefined;
  if (processFile && !existsSync(processFile))
    problems.push(`MESREF_PROCESS_FILE : fichier introuvable (${processFile})`);
  const sandboxJwksFile = env.MESREF_SANDBOX_JWKS_FILE || undefined;
  if (sandboxJwksFile && !existsSync(sandboxJwksFile))
    problems.push(`MESREF_SANDBOX_JWKS_FILE : fichier introuvable (${sandboxJwksFile})`);

  const oauth: OAuthSettings = {
    accessTokenSeconds: int(env, 'MESREF_OAUTH_ACCESS_TOKEN_SECONDS', 600, problems, { min: 60, max: 3600 }),
    refreshTokenDays: int(env, 'MESREF_OAUTH_REFRESH_TOKEN_DAYS', 30, problems, { min: 1, max: 365 }),
    oidClaim: env.MESREF_OAUTH_OID_CLAIM || 'service_oid',
  };
  if (
    !/^[a-z][a-z0-9_]{1,63}$/.test(oauth.oidClaim) ||
    ['sub', 'iss', 'aud', 'exp', 'iat', 'jti', 'scope', 'client_id', 'nonce'].includes(oauth.oidClaim)
  )
    problems.push(
      `MESREF_OAUTH_OID_CLAIM doit être un nom de claim libre en minuscules (reçu « ${oauth.oidClaim} »)`,
    );

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    mode,
    host,
    port,
    publicUrl,
    dataDir: resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize,
    stateBrand,
    operatorName: env.MESREF_OPERATOR_NAME ?? 'mesref',
    mail,
    citizenIdp,
    demoData,
    signingKeysFile,
    inProcessWorker,
    bodyLimitBytes,
    fhirMaxResourceBytes,
    productImageMaxBytes,
    evidenceMaxBytes,
    referentialsDir,
    ecoscoreAllowedHosts,
    ecoscoreChromium,
    logLevel,
    secureCookies,
    oidRoot,
    processFile,
    sandboxJwksFile,
    oauth,
  };
}
