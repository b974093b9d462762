import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../src/platform/db/index.ts';
import { migrations as allMigrations } from '../src/platform/db/migrations/index.ts';
import { queueMail } from '../src/platform/mail.ts';
import { createAccount, freshDatabase, lane, sessionCookie, tempDir } from './helpers.ts';

/**
 * Scale-out: several `mesref serve` processes on one PostgreSQL database hold no state of their own.
 * A session works on any of them, and a queued job runs once whichever process's worker polls first.
 */

const BIN = join(import.meta.dirname, '..', 'bin', 'mesref.js');

interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

async function serve(env: Record<string, string>): Promise<Served> {
  const base = { ...process.env };
  delete base.NODE_TEST_CONTEXT;
  // Started from another working directory than the project's, as a service manager may start it.
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: tmpdir(),
    env: { ...base, MESREF_MODE: 'sandbox', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.on('data', (chunk) => {
    out += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 90_000);
    const onData = () => {
      const match = /écoute sur (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', onData);
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening:\n${out}`));
    });
  });
  return { child, url, output: () => out, exited };
}

describe('several mesref processes on one PostgreSQL database', () => {
  if (lane !== 'postgres') {
    it('needs a PostgreSQL server', {
      skip: 'set DATABASE_URL: several processes share PostgreSQL, not PGlite',
    }, () => {});
    return;
  }

  let database: DatabaseHandle & { url?: string };
  const dir = tempDir();
  const servers: Served[] = [];

  before(async () => {
    database = await freshDatabase();
    // Both start at once on the empty database: migrations, deployment mode and keys are set up once.
    const env = {
      DATABASE_URL: database.url as string,
      DATA_DIR: dir.path,
      MESREF_IN_PROCESS_WORKER: 'true',
    };
    servers.push(...(await Promise.all([serve(env), serve(env)])));
  });

  after(async () => {
    for (const s of servers) s.child.kill('SIGTERM');
    const codes = await Promise.all(servers.map((s) => s.exited));
    await database.close();
    dir.remove();
    assert.deepEqual(codes, [0, 0], servers.map((s) => s.output()).join('\n---\n'));
  });

  it('both are ready, on a database set up once', async () => {
    assert.notEqual(servers[0].url, servers[1].url);
    for (const s of servers) {
      const ready = await fetch(`${s.url}/ready`);
      assert.equal(ready.status, 200, s.output());
      assert.deepEqual(await ready.json(), { status: 'ready', database: 'postgres', mode: 'sandbox' });
      const home = await fetch(`${s.url}/`);
      assert.equal(home.status, 200, s.output());
      assert.match(await home.text(), /Mon espace santé/);
    }
    const { db } = database;
    const migrations = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      db,
    );
    // Each migration once, though two processes started on the new database together.
    assert.deepEqual(
      migrations.rows.map((r) => r.name),
      Object.keys(allMigrations).sort(),
    );
    const keys = await db.selectFrom('signing_keys').select(['alg', 'origin']).orderBy('alg').execute();
    assert.deepEqual(keys, [
      { alg: 'ES256', origin: 'sandbox' },
      { alg: 'RS256', origin: 'sandbox' },
    ]);
  });

  it('honours a session on whichever process receives the request', async () => {
    const { db } = database;
    const account = await createAccount(db);
    const cookies = await sessionCookie(db, { accountId: account.accountId });
    const cookie = Object.entries(cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
    for (const s of servers) {
      const me = await fetch(`${s.url}/api/v1/me`, { headers: { cookie, accept: 'application/json' } });
      assert.equal(me.status, 200, `${s.url}: ${await me.clone().text()}`);
      assert.equal((await me.json()).email, account.email);
      const anonymous = await fetch(`${s.url}/api/v1/me`, { headers: { accept: 'application/json' } });
      assert.equal(anonymous.status, 401);
    }
    // Signing out on one (the session row goes) signs out on the other.
    await db.deleteFrom('sessions').where('account_id', '=', account.accountId).execute();
    for (const s of servers) {
      const me = await fetch(`${s.url}/api/v1/me`, { headers: { cookie, accept: 'application/json' } });
      assert.equal(me.status, 401);
    }
  });

  it('runs each queued job exactly once while both workers poll', async () => {
    const { db } = database;
    const n = 24;
    const ids = await db.transaction().execute(async (trx) => {
      const queued: string[] = [];
      for (let i = 0; i < n; i++) {
        queued.push(
          await queueMail(trx, { to: `u${i}@exemple.test`, subject: `Message ${i}`, text: 'Bonjour' }),
        );
      }
      return queued;
    });
    // A worker captures the mail, then marks its job done (two steps): wait for both.
    for (let i = 0; i < 300; i++) {
      const pending = await db
        .selectFrom('outbox_mails')
        .select('id')
        .where('id', 'in', ids)
        .where('status', '!=', 'captured')
        .execute();
      const running = await db
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', 'mail.send')
        .where(sql<string>`payload->>'id'`, 'in', ids)
        .where('status', '!=', 'done')
        .execute();
      if (pending.length === 0 && running.length === 0) break;
      await sleep(100);
    }
    const mails = await db.selectFrom('outbox_mails').select('status').where('id', 'in', ids).execute();
    assert.deepEqual(
      mails.map((m) => m.status),
      ids.map(() => 'captured'),
    );
    const jobs = await db
      .selectFrom('jobs')
      .select(['status', 'attempts', 'locked_by'])
      .where('kind', '=', 'mail.send')
      .where(sql<string>`payload->>'id'`, 'in', ids)
      .execute();
    assert.equal(jobs.length, n);
    for (const job of jobs) {
      assert.equal(job.status, 'done');
      assert.equal(job.attempts, 1, 'taken once');
    }
    const pids = new Set(jobs.map((j) => (j.locked_by ?? '').split(':')[1]));
    const serverPids = new Set(servers.map((s) => String(s.child.pid)));
    for (const pid of pids) assert.ok(serverPids.has(pid), `job run by an unknown process ${pid}`);
  });
});
