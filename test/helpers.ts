import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp, type Mesref } from '../src/app.ts';
import type { OrganisationRole, StaffRole } from '../src/identity/model.ts';
import { SESSION_COOKIE } from '../src/identity/sessions.ts';
import { insertSession } from '../src/identity/store.ts';
import { type Config, loadConfig } from '../src/platform/config.ts';
import { hashPassword, newId, randomToken, sha256 } from '../src/platform/crypto.ts';
import { cachedCluster, type DatabaseHandle, type Db, openDatabase } from '../src/platform/db/index.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { createScratchDatabase } from '../src/platform/db/scratch.ts';

/** Which database this test run uses: scripts/test.mjs sets MESREF_TEST_LANE for each file's run. */
export const lane: 'pglite' | 'postgres' =
  process.env.MESREF_TEST_LANE === 'postgres' ? 'postgres' : 'pglite';

export function tempDir(prefix = 'mesref-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A configuration for tests: sandbox, quiet, a throwaway data folder. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    MESREF_MODE: 'sandbox',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATA_DIR: join(tmpdir(), `mesref-unused-${randomToken(6)}`),
    MESREF_IN_PROCESS_WORKER: 'false',
    ...env,
  });
}

/**
 * A fresh, empty database for one test: PGlite in memory, or on the PostgreSQL lane a new database
 * created on the server of DATABASE_URL and dropped afterwards.
 */
export async function freshDatabase(): Promise<DatabaseHandle & { url?: string }> {
  if (lane === 'postgres') {
    const database = await createScratchDatabase(process.env.DATABASE_URL as string, 'mesref_t_', {
      // A test database is thrown away: its commits need not wait for the disk.
      settings: { synchronous_commit: 'off' },
    });
    const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' });
    return {
      ...handle,
      url: database.url,
      close: async () => {
        await handle.close();
        await database.drop();
      },
    };
  }
  return openDatabase({ dataDir: '' }, { memory: true });
}

let migratedPglite: Promise<Uint8Array> | undefined;
const migratedTemplates = new Map<string, Promise<string>>();

/** A name for the migrations as they are now: a template made from other migrations is never used. */
function migrationsDigest(): string {
  const dir = join(import.meta.dirname, '..', 'src', 'platform', 'db', 'migrations');
  const text = readdirSync(dir)
    .sort()
    .map((name) => `${name}\n${readFileSync(join(dir, name), 'utf8')}`)
    .join('\n');
  return sha256(text)
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()
    .slice(0, 16);
}

/**
 * On PostgreSQL, a template database with every migration applied, made once per server and migration set
 * (under an advisory lock, so that concurrent test files make it once) and kept: each test database is then a
 * copy of it rather than fourteen migrations run again.
 */
async function postgresTemplate(serverUrl: string): Promise<string> {
  const name = `mesref_tpl_${migrationsDigest()}`;
  let made = migratedTemplates.get(name);
  if (!made) {
    made = (async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query('select pg_advisory_lock(hashtext($1))', [name]);
        const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) {
          const building = await createScratchDatabase(serverUrl, 'mesref_tplbuild_');
          const handle = await openDatabase({ databaseUrl: building.url, dataDir: '' });
          try {
            await migrateToLatest(handle.db);
          } finally {
            await handle.close();
          }
          await client.query(`alter database ${new URL(building.url).pathname.slice(1)} rename to ${name}`);
        }
        return name;
      } finally {
        await client.query('select pg_advisory_unlock(hashtext($1))', [name]).catch(() => {});
        await client.end();
      }
    })();
    migratedTemplates.set(name, made);
  }
  return made;
}

/**
 * A fresh database with every migration applied, for an app (what `buildApp` would do first): on PGlite a copy
 * of a cluster migrated once per machine and migration set (kept in the temporary folder), on PostgreSQL a copy
 * of the migrated template.
 */
export async function migratedDatabase(): Promise<DatabaseHandle & { url?: string }> {
  if (lane === 'postgres') {
    const serverUrl = process.env.DATABASE_URL as string;
    const template = await postgresTemplate(serverUrl);
    const database = await createScratchDatabase(serverUrl, 'mesref_t_', {
      template,
      settings: { synchronous_commit: 'off' },
    });
    const handle = await openDatabase({ databaseUrl: database.url, dataDir: '' });
    return {
      ...handle,
      url: database.url,
      close: async () => {
        await handle.close();
        await database.drop();
      },
    };
  }
  migratedPglite ??= cachedCluster(`migrated-${migrationsDigest()}`, async () => {
    const first = await openDatabase({ dataDir: '' }, { memory: true });
    try {
      await migrateToLatest(first.db);
      return await (first.dump as () => Promise<Uint8Array>)();
    } finally {
      await first.close();
    }
  });
  return openDatabase({ dataDir: '' }, { memory: true, from: await migratedPglite });
}

export interface TestApp extends Mesref {
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Closes the app and its database. */
  stop(): Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await migratedDatabase();
  const mesref = await buildApp(testConfig(env), { database, logger: false });
  return {
    ...mesref,
    inject: (options) => mesref.app.inject(options),
    stop: async () => {
      await mesref.close();
      await database.close();
    },
  };
}

export interface TestAccount {
  accountId: string;
  email: string;
  password: string;
  organisationId?: string;
}

/** Creates an organisation directly in the database (a valid SIREN each time). */
export async function createOrganisation(db: Db, legalName = 'Éditeur de test'): Promise<string> {
  const id = newId();
  await db
    .insertInto('organisations')
    .values({
      id,
      legal_name: legalName,
      siren: randomSiren(),
      address: '1 rue de la Santé, 75013 Paris',
      legal_representative: 'Camille Martin',
      status: 'active',
      updated_at: new Date(),
    })
    .execute();
  return id;
}

/** A random 9-digit SIREN whose Luhn key is right. */
export function randomSiren(): string {
  const digits = Array.from({ length: 8 }, () => Math.floor(Math.random() * 10));
  for (let check = 0; check < 10; check++) {
    const candidate = [...digits, check];
    const sum = candidate
      .slice()
      .reverse()
      .reduce((acc, d, i) => {
        if (i % 2 === 1) {
          const doubled = d * 2;
          return acc + (doubled > 9 ? doubled - 9 : doubled);
        }
        return acc + d;
      }, 0);
    if (sum % 10 === 0) return candidate.join('');
  }
  throw new Error('unreachable');
}

/** Creates a verified account with the given roles, directly in the database. */
export async function createAccount(
  db: Db,
  roles: { staff?: StaffRole[]; organisation?: { id: string; role: OrganisationRole } } = {},
  password = 'Mot de passe solide 42 !',
): Promise<TestAccount> {
  const accountId = newId();
  const email = `${accountId.slice(0, 8)}@exemple.test`;
  await db
    .insertInto('accounts')
    .values({
      id: accountId,
      email,
      display_name: `Test ${accountId.slice(0, 4)}`,
      password_hash: await hashPassword(password),
      locale: 'fr',
      email_verified_at: new Date(),
      totp_secret: null,
      totp_enabled_at: null,
      totp_last_step: null,
      locked_until: null,
      disabled_at: null,
      updated_at: new Date(),
    })
    .execute();
  for (const role of roles.staff ?? []) {
    await db.insertInto('staff_roles').values({ account_id: accountId, role }).execute();
  }
  if (roles.organisation) {
    await db
      .insertInto('memberships')
      .values({
        organisation_id: roles.organisation.id,
        account_id: accountId,
        role: roles.organisation.role,
      })
      .execute();
  }
  return { accountId, email, password, organisationId: roles.organisation?.id };
}

/** A session cookie for an account (second factor marked as checked unless told otherwise). */
export async function sessionCookie(
  db: Db,
  who: { accountId: string; secondFactor?: boolean } | { citizenId: string },
): Promise<Record<string, string>> {
  const token = randomToken();
  await insertSession(db, {
    id: sha256(token),
    ...('accountId' in who
      ? { accountId: who.accountId, secondFactorAt: who.secondFactor === false ? null : new Date() }
      : { citizenId: who.citizenId }),
    expiresAt: new Date(Date.now() + 3600_000),
  });
  return { [SESSION_COOKIE]: token, mesref_csrf: CSRF };
}

/** A fixed CSRF value tests send in both the cookie and the form. */
export const CSRF = 'test-csrf-token-0123456789abcdefghijkl';

export async function createCitizen(db: Db, given = 'Alice', family = 'Testeur'): Promise<string> {
  const id = newId();
  await db
    .insertInto('citizens')
    .values({
      id,
      issuer: 'test',
      subject: id,
      given_name: given,
      family_name: family,
      birthdate: '1980-01-01',
      gender: 'female',
      ins_value: null,
      ins_system: null,
      last_sign_in_at: null,
    })
    .execute();
  return id;
}
