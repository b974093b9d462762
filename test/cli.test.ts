import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair } from 'jose';
import { sql } from 'kysely';
import { appendAuditEvent } from '../src/audit/index.ts';
import { type DatabaseHandle, openDatabase } from '../src/platform/db/index.ts';
import { queueMail } from '../src/platform/mail.ts';
import { freshDatabase, lane, tempDir } from './helpers.ts';

/**
 * The `mesref` command as an operator runs it: child processes on a throwaway DATA_DIR (or, on the
 * PostgreSQL lane, a fresh database of DATABASE_URL), checked by exit code, output and database state.
 */

const BIN = join(import.meta.dirname, '..', 'bin', 'mesref.js');
const onPglite = lane === 'pglite' ? {} : { skip: 'the embedded database’s lock: PGlite lane only' };

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  delete base.NODE_TEST_CONTEXT;
  return {
    ...base,
    MESREF_MODE: 'sandbox',
    MESREF_DEMO_DATA: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    ...env,
  };
}

function spawnMesref(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => {
    out.stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    out.stderr += chunk;
  });
  const exited = new Promise<Outcome>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, ...out })),
  );
  return { child, out, exited };
}

/** Runs a command to its end. */
async function mesref(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  const { child, exited } = spawnMesref(args, env);
  // A hang detector, not a speed check: a loaded 2-core machine has taken over a minute to start a command.
  const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

interface Server {
  child: ChildProcess;
  url: string;
  out: { stdout: string; stderr: string };
  exited: Promise<Outcome>;
  stop(signal?: NodeJS.Signals): Promise<Outcome>;
}

/** Starts `mesref serve` and waits until it says where it listens. */
async function serve(env: Record<string, string>): Promise<Server> {
  const { child, out, exited } = spawnMesref(['serve'], env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start:\n${out.stdout}\n${out.stderr}`)),
      90_000,
    );
    const onData = () => {
      const match = /écoute sur (http:\/\/\S+)/.exec(out.stdout);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    exited.then((o) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${o.code}) before listening:\n${o.stdout}\n${o.stderr}`));
    });
  });
  return {
    child,
    url,
    out,
    exited,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      child.kill(signal);
      return exited;
    },
  };
}

describe('mesref command line', () => {
  it('--help exits 0 and lists every command', async () => {
    const { code, stdout } = await mesref(['--help']);
    assert.equal(code, 0);
    for (const command of ['serve', 'worker', 'migrate', 'seed --demo', 'user create', 'audit verify']) {
      assert.ok(stdout.includes(`mesref ${command}`), `${command} missing from:\n${stdout}`);
    }
  });

  const usageErrors: Array<[string[], RegExp]> = [
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['migrate', '--force'], /unknown option '--force'/],
    [['audit', 'verify', '--chain'], /unknown option '--chain'/],
    [['audit', 'rewrite'], /unknown command 'rewrite'/],
  ];
  for (const [args, expected] of usageErrors) {
    it(`exits 2 on a usage error: mesref ${args.join(' ')}`, async () => {
      const { code, stderr } = await mesref(args);
      assert.equal(code, 2, stderr);
      assert.match(stderr, expected);
    });
  }

  it('exits 1 on a bad configuration, listing every problem, before touching any data', async () => {
    const dir = tempDir();
    try {
      const dataDir = join(dir.path, 'data');
      const { code, stderr, stdout } = await mesref(['migrate'], {
        MESREF_MODE: 'production',
        DATA_DIR: dataDir,
      });
      assert.equal(code, 1);
      assert.equal(stdout, '');
      assert.match(stderr, /Configuration refusée/);
      for (const expected of [
        /SMTP_URL/,
        /MESREF_CITIZEN_OIDC_ISSUER/,
        /MESREF_CITIZEN_OIDC_CLIENT_ID/,
        /MESREF_CITIZEN_OIDC_CLIENT_SECRET/,
        /MESREF_SIGNING_KEYS_FILE/,
        /MESREF_PUBLIC_URL en https/,
      ]) {
        assert.match(stderr, expected);
      }
      assert.equal(existsSync(dataDir), false, 'nothing created');
      const bad = await mesref(['serve'], { MESREF_MODE: 'foo', PORT: 'abc', DATA_DIR: dataDir });
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /MESREF_MODE doit valoir sandbox ou production \(reçu « foo »\)/);
      assert.match(bad.stderr, /PORT doit être un entier/);
    } finally {
      dir.remove();
    }
  });

  describe('on one database, from process to process', () => {
    const dir = tempDir();
    const dataDir = join(dir.path, 'data');
    const lockFile = join(dataDir, 'mesref.lock');
    let server: DatabaseHandle & { url?: string };
    let env: Record<string, string>;

    /** Opens the database in this process for a moment (the embedded one only while no child holds it). */
    async function withDatabase<T>(fn: (db: DatabaseHandle['db']) => Promise<T>): Promise<T> {
      const handle = server?.url
        ? await openDatabase({ databaseUrl: server.url, dataDir: '' })
        : await openDatabase({ dataDir });
      try {
        return await fn(handle.db);
      } finally {
        await handle.close();
      }
    }

    before(async () => {
      if (lane === 'postgres') {
        server = await freshDatabase();
        env = { DATABASE_URL: server.url as string, DATA_DIR: dataDir };
      } else env = { DATABASE_URL: '', DATA_DIR: dataDir };
    });
    after(async () => {
      await server?.close();
      dir.remove();
    });

    it('migrate applies the migrations once, then finds the database up to date', async () => {
      const first = await mesref(['migrate'], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^migrations appliquées : 001_foundation, 002_audit_append_only/);
      const second = await mesref(['migrate'], env);
      assert.equal(second.code, 0, second.stderr);
      assert.equal(second.stdout, 'base à jour\n');
      if (lane === 'pglite') assert.equal(existsSync(lockFile), false, 'lock released');
    });

    it('audit verify exits 0 on an intact log', async () => {
      const { code, stdout, stderr } = await mesref(['audit', 'verify'], env);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /journal d’audit intègre : 0 chaîne\(s\), 0 événement\(s\)/);
    });

    it('keeps what one process wrote for the next ones', async () => {
      await withDatabase(async (db) => {
        for (const action of ['dossier.created', 'dossier.submitted', 'dossier.admissible']) {
          await appendAuditEvent(db, {
            actorType: 'system',
            action,
            subjectType: 'dossier',
            subjectId: 'cli',
          });
        }
        await queueMail(db, {
          to: 'editeur@exemple.test',
          subject: 'Courriel d’un autre processus',
          text: 'Bonjour',
        });
      });
      const verified = await mesref(['audit', 'verify'], env);
      assert.equal(verified.code, 0, verified.stderr);
      assert.match(verified.stdout, /1 chaîne\(s\), 3 événement\(s\)/);

      const running = await serve(env);
      try {
        const ready = await fetch(`${running.url}/ready`);
        assert.equal(ready.status, 200);
        assert.equal((await ready.json()).status, 'ready');
        const mailbox = await (await fetch(`${running.url}/bac-a-sable/courriels`)).text();
        assert.match(mailbox, /Courriel d’un autre processus/);
      } finally {
        const stopped = await running.stop('SIGTERM');
        assert.equal(stopped.code, 0, stopped.stderr);
      }
      if (lane === 'pglite') assert.equal(existsSync(lockFile), false, 'lock removed on SIGTERM');
      // What serve wrote (its deployment mode, its keys, the mail its worker delivered) is there afterwards.
      await withDatabase(async (db) => {
        const mail = await db.selectFrom('outbox_mails').select('status').executeTakeFirstOrThrow();
        assert.equal(mail.status, 'captured');
        const mode = await db.selectFrom('deployment').select('mode').executeTakeFirstOrThrow();
        assert.equal(mode.mode, 'sandbox');
        assert.equal((await db.selectFrom('signing_keys').select('kid').execute()).length, 2);
      });
    });

    it('serve stops cleanly on SIGINT too, releasing the embedded database', onPglite, async () => {
      const running = await serve(env);
      assert.equal(readFileSync(lockFile, 'utf8').split('\n')[0], String(running.child.pid));
      const stopped = await running.stop('SIGINT');
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.doesNotMatch(stopped.stderr, /erreur|error/i);
      assert.equal(existsSync(lockFile), false, 'lock removed');
    });

    it(
      'refuses a second process on the embedded database while serve holds it, naming the holder',
      onPglite,
      async () => {
        const running = await serve(env);
        const pid = running.child.pid as number;
        try {
          const refused = await mesref(['migrate'], env);
          assert.equal(refused.code, 1, `${refused.stdout}${refused.stderr}`);
          assert.match(
            refused.stderr,
            new RegExp(`déjà ouverte par un autre processus mesref \\(pid ${pid}\\)`),
          );
          const second = await mesref(['serve'], env);
          assert.equal(second.code, 1);
          assert.match(second.stderr, new RegExp(`pid ${pid}`));
          // The holder is unharmed.
          assert.equal(readFileSync(lockFile, 'utf8').split('\n')[0], String(pid));
          const ready = await fetch(`${running.url}/ready`);
          assert.equal(ready.status, 200);
        } finally {
          const stopped = await running.stop('SIGTERM');
          assert.equal(stopped.code, 0, stopped.stderr);
        }
        const after = await mesref(['migrate'], env);
        assert.equal(after.code, 0, after.stderr);
        assert.equal(after.stdout, 'base à jour\n');
      },
    );

    it('takes over the lock a killed serve left behind, with the data intact', onPglite, async () => {
      const running = await serve(env);
      const pid = running.child.pid as number;
      const killed = await running.stop('SIGKILL');
      assert.equal(killed.signal, 'SIGKILL');
      assert.equal(
        readFileSync(lockFile, 'utf8').split('\n')[0],
        String(pid),
        'the dead process’s lock is still there',
      );

      const verified = await mesref(['audit', 'verify'], env);
      assert.equal(verified.code, 0, verified.stderr);
      assert.match(verified.stdout, /1 chaîne\(s\), 3 événement\(s\)/);
      assert.equal(existsSync(lockFile), false);
    });

    it('refuses to serve production on a database initialised as a sandbox', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const keys = join(dir.path, 'keys.json');
      writeFileSync(
        keys,
        JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: 'p1', alg: 'ES256' }] }),
      );
      const { code, stderr } = await mesref(['serve'], {
        ...env,
        MESREF_MODE: 'production',
        MESREF_PUBLIC_URL: 'https://mesref.exemple.fr',
        SMTP_URL: 'smtp://127.0.0.1:1',
        MESREF_CITIZEN_OIDC_ISSUER: 'https://idp.exemple.fr',
        MESREF_CITIZEN_OIDC_CLIENT_ID: 'mesref',
        MESREF_CITIZEN_OIDC_CLIENT_SECRET: 'secret',
        MESREF_SIGNING_KEYS_FILE: keys,
        MESREF_OID_ROOT: '1.2.250.1.999.1',
      });
      assert.equal(code, 1);
      assert.match(stderr, /initialisée en mode sandbox ; elle ne peut pas servir en mode production/);
      if (lane === 'pglite') assert.equal(existsSync(lockFile), false);
    });

    it('audit verify exits 1 after tampering, naming the chain and the link', async () => {
      await withDatabase(async (db) => {
        await db.transaction().execute(async (trx) => {
          await sql`alter table audit_events disable trigger user`.execute(trx);
          await sql`update audit_events set data = '{"forged":true}' where chain = 'dossier:cli' and seq = 2`.execute(
            trx,
          );
          await sql`alter table audit_events enable trigger user`.execute(trx);
        });
      });
      const { code, stdout, stderr } = await mesref(['audit', 'verify'], env);
      assert.equal(code, 1);
      assert.equal(stdout, '');
      assert.match(stderr, /journal d’audit rompu : chaîne dossier:cli, maillon 2 \(hash_mismatch\)/);
    });
  });

  // The accounts and data these commands make are tested in process (test/seed.test.ts): here, what the
  // command line itself decides before touching any database.
  const accountUsageErrors: Array<[string[], RegExp]> = [
    [
      ['user', 'create', '--email', 'x@exemple.test', '--role', 'representant'],
      /le rôle representant demande --organisation/,
    ],
    [['user', 'create', '--email', 'x@exemple.test', '--role', 'chef'], /rôle inconnu : chef/],
    [
      ['user', 'create', '--email', 'x@exemple.test', '--role', 'admin', '--organisation', '732829320'],
      /--organisation va avec un rôle éditeur/,
    ],
    [['user', 'create', '--role', 'admin'], /required option '--email <email>' not specified/],
    [['seed'], /required option '--demo' not specified/],
  ];
  for (const [args, expected] of accountUsageErrors) {
    it(`exits 2 on a usage error: mesref ${args.join(' ')}`, async () => {
      const { code, stderr } = await mesref(args);
      assert.equal(code, 2, stderr);
      assert.match(stderr, expected);
    });
  }
});
