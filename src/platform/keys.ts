import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { sql } from 'kysely';
import type { Config } from './config.ts';
import { randomToken } from './crypto.ts';
import type { Db } from './db/index.ts';

export interface PrivateJwk extends Record<string, unknown> {
  kid: string;
  alg: string;
  kty: string;
  use?: string;
}

export interface SigningKeys {
  /** Private keys (for oidc-provider and report signatures). */
  privateJwks: PrivateJwk[];
  /** Public keys, as published at the JWKS endpoints. */
  publicJwks: Record<string, unknown>[];
}

async function generate(alg: 'ES256' | 'RS256'): Promise<{ priv: PrivateJwk; pub: Record<string, unknown> }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `${alg.toLowerCase()}-${randomToken(8)}`;
  const priv = { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' } as PrivateJwk;
  const pub = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { priv, pub };
}

function publicPart(jwk: PrivateJwk): Record<string, unknown> {
  const { d, p, q, dp, dq, qi, k, ...pub } = jwk as Record<string, unknown>;
  return pub;
}

/** A deployment's keys cannot be used: the message says which and why. */
export class SigningKeysError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeysError';
  }
}

/** Any constant: the key of the advisory lock under which a sandbox creates its keys. */
const KEYGEN_LOCK = 0x6d65_7372;

async function readKeysFile(path: string): Promise<PrivateJwk[]> {
  let file: { keys?: unknown };
  try {
    file = JSON.parse(readFileSync(path, 'utf8')) as { keys?: unknown };
  } catch (error) {
    throw new SigningKeysError(
      `MESREF_SIGNING_KEYS_FILE ${path} illisible : ${(error as Error).message} / cannot read the signing keys file`,
    );
  }
  const keys = (Array.isArray(file.keys) ? (file.keys as PrivateJwk[]) : []).filter(
    (k) => k && typeof k.kid === 'string' && typeof k.alg === 'string' && 'd' in k,
  );
  if (keys.length === 0)
    throw new SigningKeysError(`${path} ne contient aucune clé privée (JWKS avec kid, alg, d)`);
  for (const key of keys) {
    try {
      await importJWK(key as JWK, key.alg);
    } catch (error) {
      throw new SigningKeysError(`${path} : la clé ${key.kid} est invalide (${(error as Error).message})`);
    }
  }
  return keys;
}

/** What identifies a public key whatever its kid: its type and public material. */
const keyMaterial = (jwk: Record<string, unknown>) =>
  JSON.stringify([jwk.kty, jwk.crv, jwk.x, jwk.y, jwk.n, jwk.e]);

/**
 * Production trusts the sandbox's published keys for connection-test reports only: if they held one of its own
 * signing keys (same kid or same key), a sandbox token or report would pass for production's. Refused at start.
 */
function refuseSharedKeys(keys: PrivateJwk[], sandboxJwksFile: string): void {
  let sandbox: Array<Record<string, unknown>> = [];
  try {
    const parsed = JSON.parse(readFileSync(sandboxJwksFile, 'utf8')) as { keys?: unknown };
    sandbox = Array.isArray(parsed.keys) ? (parsed.keys as Array<Record<string, unknown>>) : [];
  } catch (error) {
    throw new SigningKeysError(
      `MESREF_SANDBOX_JWKS_FILE ${sandboxJwksFile} illisible : ${(error as Error).message} / cannot read the sandbox's keys`,
    );
  }
  const own = new Set(keys.map((k) => keyMaterial(publicPart(k))));
  const kids = new Set(keys.map((k) => k.kid));
  const shared = sandbox.find((k) => kids.has(String(k.kid)) || own.has(keyMaterial(k)));
  if (shared)
    throw new SigningKeysError(
      `MESREF_SANDBOX_JWKS_FILE contient une clé de production (${String(shared.kid)}) : le bac à sable et la ` +
        'production ont chacun leurs clés / the sandbox keys file holds a production key',
    );
}

/**
 * The deployment's signing keys. A sandbox generates its own at first start (kept in its database);
 * production brings its own in a JWKS file and never holds a sandbox key.
 */
export async function loadSigningKeys(
  db: Db,
  config: Pick<Config, 'mode' | 'signingKeysFile' | 'sandboxJwksFile'>,
): Promise<SigningKeys> {
  if (config.mode === 'production') {
    const sandboxKey = await db
      .selectFrom('signing_keys')
      .select('kid')
      .where('origin', '=', 'sandbox')
      .executeTakeFirst();
    if (sandboxKey)
      throw new SigningKeysError(
        `cette base contient des clés de bac à sable (${sandboxKey.kid}) : refusée en production / ` +
          'this database holds sandbox keys and cannot serve production',
      );
    if (!config.signingKeysFile)
      throw new SigningKeysError('le mode production demande MESREF_SIGNING_KEYS_FILE');
    const keys = await readKeysFile(config.signingKeysFile);
    if (config.sandboxJwksFile) refuseSharedKeys(keys, config.sandboxJwksFile);
    for (const key of keys) {
      await db
        .insertInto('signing_keys')
        .values({
          kid: key.kid,
          alg: key.alg,
          origin: 'configured',
          // The private part stays in the file: the database never holds production secrets.
          private_jwk: JSON.stringify({ kid: key.kid }),
          public_jwk: JSON.stringify(publicPart(key)),
        })
        .onConflict((oc) => oc.column('kid').doUpdateSet({ public_jwk: JSON.stringify(publicPart(key)) }))
        .execute();
    }
    return { privateJwks: keys, publicJwks: keys.map(publicPart) };
  }

  const active = (q: Db) =>
    q
      .selectFrom('signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('created_at')
      .orderBy('kid');
  let rows = await active(db).execute();
  if (rows.length === 0) {
    // Several processes may start at once on a new database: one generates, the others read its keys,
    // so that every process signs and publishes the same key set.
    rows = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${KEYGEN_LOCK})`.execute(trx);
      const existing = await active(trx).execute();
      if (existing.length > 0) return existing;
      for (const { priv, pub } of [await generate('ES256'), await generate('RS256')]) {
        await trx
          .insertInto('signing_keys')
          .values({
            kid: priv.kid,
            alg: priv.alg,
            origin: 'sandbox',
            private_jwk: JSON.stringify(priv),
            public_jwk: JSON.stringify(pub),
          })
          .execute();
      }
      return active(trx).execute();
    });
  }
  return {
    privateJwks: rows.map((r) => r.private_jwk as unknown as PrivateJwk),
    publicJwks: rows.map((r) => r.public_jwk as Record<string, unknown>),
  };
}
