import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose';
import { freshDatabase, lane, tempDir } from '../../test/helpers.ts';
import { type DatabaseHandle, openDatabase } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { DeploymentMismatchError, ensureDeploymentMode } from './deployment.ts';
import { loadSigningKeys, SigningKeysError } from './keys.ts';

/** A production JWKS file with one private ES256 key. */
async function keysFile(dir: string, name = 'keys.json'): Promise<{ path: string; kid: string }> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `prod-${name}`;
  const path = join(dir, name);
  writeFileSync(
    path,
    JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' }] }),
  );
  return { path, kid };
}

describe('a sandbox database, across restarts', () => {
  const dir = tempDir();
  let url: string | undefined;
  /** The handle open now; closed at the end. */
  let open: Array<DatabaseHandle> = [];
  /** Opens the same database again, as a restarted process would. */
  const reopen = async () => {
    const handle = url
      ? await openDatabase({ databaseUrl: url, dataDir: '' })
      : await openDatabase({ dataDir: dir.path });
    open.push(handle);
    return handle;
  };

  after(async () => {
    for (const handle of open.reverse()) await handle.close();
    open = [];
    dir.remove();
  });

  it('keeps its mode and its generated keys, and refuses to serve production', async () => {
    let first: DatabaseHandle;
    if (lane === 'postgres') {
      const fresh = await freshDatabase();
      open.push(fresh);
      url = fresh.url;
      first = fresh;
    } else first = await reopen();
    await migrateToLatest(first.db);
    await ensureDeploymentMode(first.db, 'sandbox');
    const keys = await loadSigningKeys(first.db, { mode: 'sandbox' });
    assert.deepEqual(
      keys.privateJwks.map((k) => k.alg),
      ['ES256', 'RS256'],
    );
    for (const key of keys.privateJwks) assert.ok('d' in key, 'a sandbox keeps its private keys');
    for (const key of keys.publicJwks) assert.ok(!('d' in key), 'public keys hold no private part');
    // The embedded database is one process's at a time: stop before starting again.
    if (lane === 'pglite') {
      await first.close();
      open = [];
    }

    const restarted = await reopen();
    await migrateToLatest(restarted.db);
    await ensureDeploymentMode(restarted.db, 'sandbox');
    const again = await loadSigningKeys(restarted.db, { mode: 'sandbox' });
    assert.deepEqual(again, keys, 'the same keys after a restart');
    // What was signed before the restart still verifies with the keys published after it.
    const es = keys.privateJwks.find((k) => k.alg === 'ES256')!;
    const token = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'ES256', kid: es.kid })
      .sign(await importJWK(es, 'ES256'));
    const published = again.publicJwks.find((k) => k.kid === es.kid)!;
    assert.equal((await jwtVerify(token, await importJWK(published, 'ES256'))).payload.sub, 'x');

    await assert.rejects(ensureDeploymentMode(restarted.db, 'production'), DeploymentMismatchError);
    const row = await restarted.db.selectFrom('deployment').select('mode').executeTakeFirstOrThrow();
    assert.equal(row.mode, 'sandbox');
  });
});

describe('a production database', () => {
  const dir = tempDir();
  let handle: DatabaseHandle;
  before(async () => {
    handle = await freshDatabase();
    await migrateToLatest(handle.db);
  });
  after(async () => {
    await handle.close();
    dir.remove();
  });

  it('refuses to serve as a sandbox', async () => {
    await ensureDeploymentMode(handle.db, 'production');
    await ensureDeploymentMode(handle.db, 'production');
    await assert.rejects(ensureDeploymentMode(handle.db, 'sandbox'), (error: Error) => {
      assert.ok(error instanceof DeploymentMismatchError);
      assert.match(error.message, /initialisée en mode production ; elle ne peut pas servir en mode sandbox/);
      return true;
    });
  });

  it('loads its keys from the JWKS file and stores only their public part', async () => {
    const file = await keysFile(dir.path);
    const keys = await loadSigningKeys(handle.db, { mode: 'production', signingKeysFile: file.path });
    assert.deepEqual(
      keys.privateJwks.map((k) => k.kid),
      [file.kid],
    );
    assert.ok('d' in keys.privateJwks[0]);
    assert.ok(!('d' in keys.publicJwks[0]));
    const rows = await handle.db.selectFrom('signing_keys').selectAll().execute();
    assert.deepEqual(
      rows.map((r) => [r.kid, r.origin]),
      [[file.kid, 'configured']],
    );
    assert.ok(!('d' in (rows[0].private_jwk as object)), 'the private key stays in the file');
    // Loading again (a restart) changes nothing.
    assert.deepEqual(
      await loadSigningKeys(handle.db, { mode: 'production', signingKeysFile: file.path }),
      keys,
    );
  });

  it('refuses to start when the sandbox keys it trusts hold one of its own keys', async () => {
    const file = await keysFile(dir.path, 'shared.json');
    const own = JSON.parse(readFileSync(file.path, 'utf8')).keys[0];
    const { d: _private, ...ownPublic } = own;
    const other = await keysFile(dir.path, 'sandbox-own.json');
    const { d: _otherPrivate, ...otherPublic } = JSON.parse(readFileSync(other.path, 'utf8')).keys[0];
    for (const [name, sandboxKeys] of [
      ['the same key', [otherPublic, ownPublic]],
      ['the same key under another kid', [{ ...ownPublic, kid: 'sandbox-1' }]],
      ['another key under the same kid', [{ ...otherPublic, kid: file.kid }]],
    ] as const) {
      const sandboxFile = join(dir.path, 'sandbox-jwks.json');
      writeFileSync(sandboxFile, JSON.stringify({ keys: sandboxKeys }));
      await assert.rejects(
        loadSigningKeys(handle.db, {
          mode: 'production',
          signingKeysFile: file.path,
          sandboxJwksFile: sandboxFile,
        }),
        (error: Error) => {
          assert.ok(error instanceof SigningKeysError, name);
          assert.match(error.message, /contient une clé de production/);
          return true;
        },
      );
    }
    // The sandbox's own keys are trusted for its reports.
    const sandboxFile = join(dir.path, 'sandbox-jwks.json');
    writeFileSync(sandboxFile, JSON.stringify({ keys: [{ ...otherPublic, kid: 'sandbox-2' }] }));
    const keys = await loadSigningKeys(handle.db, {
      mode: 'production',
      signingKeysFile: file.path,
      sandboxJwksFile: sandboxFile,
    });
    assert.deepEqual(
      keys.privateJwks.map((k) => k.kid),
      [file.kid],
    );
  });

  const badFiles: Array<[string, string, RegExp]> = [
    ['missing', '', /illisible/],
    ['not JSON', '{ keys: ', /illisible/],
    [
      'without a private key',
      JSON.stringify({ keys: [{ kty: 'EC', kid: 'k', alg: 'ES256', crv: 'P-256', x: 'a', y: 'b' }] }),
      /aucune clé privée/,
    ],
    [
      'with a broken key',
      JSON.stringify({ keys: [{ kty: 'EC', kid: 'k', alg: 'ES256', crv: 'P-256', x: 'a', y: 'b', d: 'c' }] }),
      /la clé k est invalide/,
    ],
  ];
  for (const [name, content, expected] of badFiles) {
    it(`refuses a keys file ${name}, naming it`, async () => {
      const path = join(dir.path, `bad-${name.replace(/\W/g, '_')}.json`);
      if (content) writeFileSync(path, content);
      await assert.rejects(
        loadSigningKeys(handle.db, { mode: 'production', signingKeysFile: path }),
        (error: Error) => {
          assert.ok(error instanceof SigningKeysError);
          assert.match(error.message, expected);
          assert.ok(error.message.includes(path));
          return true;
        },
      );
    });
  }

  it('refuses a database that holds sandbox keys', async () => {
    await handle.db
      .insertInto('signing_keys')
      .values({ kid: 'es256-sandbox', alg: 'ES256', origin: 'sandbox', private_jwk: '{}', public_jwk: '{}' })
      .execute();
    const file = await keysFile(dir.path, 'other.json');
    await assert.rejects(
      loadSigningKeys(handle.db, { mode: 'production', signingKeysFile: file.path }),
      /clés de bac à sable \(es256-sandbox\) : refusée en production/,
    );
  });
});

describe('sandbox keys on a new database shared by several processes', () => {
  it(
    'are generated once, so every process signs with the same keys',
    lane === 'postgres' ? {} : { skip: 'several processes share a database on PostgreSQL only' },
    async () => {
      const handle = await freshDatabase();
      const others = await Promise.all(
        [1, 2, 3].map(() => openDatabase({ databaseUrl: handle.url as string, dataDir: '' })),
      );
      try {
        await migrateToLatest(handle.db);
        const sets = await Promise.all(
          [handle, ...others].map((h) => loadSigningKeys(h.db, { mode: 'sandbox' })),
        );
        const kids = sets.map((s) => s.privateJwks.map((k) => k.kid).join(','));
        assert.equal(new Set(kids).size, 1, kids.join(' | '));
        assert.equal((await handle.db.selectFrom('signing_keys').select('kid').execute()).length, 2);
      } finally {
        await Promise.all(others.map((o) => o.close()));
        await handle.close();
      }
    },
  );
});
