import { readFileSync } from 'node:fs';
import { exportJWK, generateKeyPair } from 'jose';
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

/**
 * The deployment's signing keys. A sandbox generates its own at first start (kept in its database);
 * production brings its own in a JWKS file and never holds a sandbox key.
 */
export async function loadSigningKeys(
  db: Db,
  config: Pick<Config, 'mode' | 'signingKeysFile'>,
): Promise<SigningKeys> {
  if (config.mode === 'production') {
    const sandboxKey = await db
      .selectFrom('signing_keys')
      .select('kid')
      .where('origin', '=', 'sandbox')
      .executeTakeFirst();
    if (sandboxKey) throw new Error('cette base contient des clés de bac à sable : refusée en production');
    const file = JSON.parse(readFileSync(config.signingKeysFile as string, 'utf8')) as {
      keys?: PrivateJwk[];
    };
    const keys = (file.keys ?? []).filter(
      (k) => typeof k.kid === 'string' && typeof k.alg === 'string' && 'd' in k,
    );
    if (keys.length === 0)
      throw new Error(`${config.signingKeysFile} ne contient aucune clé privée (JWKS avec kid, alg, d)`);
    for (const key of keys) {
      await db
        .insertInto('signing_keys')
        .values({
          kid: key.kid,
          alg: key.alg,
          origin: 'configured',
          private_jwk: JSON.stringify({ kid: key.kid }),
          public_jwk: JSON.stringify(publicPart(key)),
        })
        .onConflict((oc) => oc.column('kid').doUpdateSet({ public_jwk: JSON.stringify(publicPart(key)) }))
        .execute();
    }
    return { privateJwks: keys, publicJwks: keys.map(publicPart) };
  }

  let rows = await db
    .selectFrom('signing_keys')
    .selectAll()
    .where('retired_at', 'is', null)
    .orderBy('created_at')
    .execute();
  if (rows.length === 0) {
    const generated = [await generate('ES256'), await generate('RS256')];
    for (const { priv, pub } of generated) {
      await db
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
    rows = await db
      .selectFrom('signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('created_at')
      .execute();
  }
  return {
    privateJwks: rows.map((r) => r.private_jwk as unknown as PrivateJwk),
    publicJwks: rows.map((r) => r.public_jwk as Record<string, unknown>),
  };
}
