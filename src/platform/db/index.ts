import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { lockDataDir } from './lock.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { Database } from './schema.ts';

export type { Database } from './schema.ts';
export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
  /** An in-memory PGlite's whole cluster (a tar), to start others from (tests: a migrated one, made once). */
  dump?(): Promise<Uint8Array>;
}

// bigint (count(*), bigserial) as a number, as PGlite gives it.
pg.types.setTypeParser(20, (value) => Number(value));

const PREPARED_MARK = '/* prepared */ ';

/**
 * Starts a statement that a hot path runs again and again with the same text (`sql\`${prepared}select …\``):
 * on a PostgreSQL server it is prepared once per connection and its plan reused, where an unnamed statement
 * is parsed and planned on every call (for a query of many joins, planning costs more than running it).
 * PGlite reads it as a comment.
 */
export const prepared = sql.raw(PREPARED_MARK);

const statementNames = new Map<string, string>();

/** The name of a prepared statement: from its text, so one name never stands for two texts. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `mesref_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    if (statementNames.size < 10_000) statementNames.set(text, name);
  }
  return name;
}

const kPreparing = Symbol('prepares marked statements');

/** The pool Kysely uses: its clients run a statement marked `prepared` as a named prepared statement. */
function preparingPool(pool: pg.Pool) {
  return {
    async connect() {
      const client = (await pool.connect()) as pg.PoolClient & { [kPreparing]?: true };
      if (!client[kPreparing]) {
        const query = client.query.bind(client) as (...args: unknown[]) => unknown;
        client.query = ((config: unknown, ...rest: unknown[]) =>
          typeof config === 'string' && config.startsWith(PREPARED_MARK)
            ? query({ name: statementName(config), text: config, values: rest[0] }, ...rest.slice(1))
            : query(config, ...rest)) as typeof client.query;
        client[kPreparing] = true;
      }
      return client;
    },
    end: () => pool.end(),
  };
}

/** Opens the configured database: a PostgreSQL server when DATABASE_URL is set, else PGlite under DATA_DIR. */
export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'> & Partial<Pick<Config, 'databasePoolSize'>>,
  options: {
    /** Connections to the PostgreSQL server (default: `config.databasePoolSize`, else 10). */
    poolSize?: number;
    /** PGlite in memory, for tests: nothing on disk, no lock. */
    memory?: boolean;
    /** With `memory`: start from this cluster (a `dump()` of another) rather than an empty one. */
    from?: Uint8Array;
  } = {},
): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: options.poolSize ?? config.databasePoolSize ?? 10,
      // A statement marked `prepared` is planned once, for any parameters (they are keys: one plan fits all);
      // unnamed statements are planned on every call as before.
      options: '-c plan_cache_mode=force_generic_plan',
    });
    pool.on('error', () => {
      // an idle client lost its connection; the pool replaces it
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
    await sql`select 1`.execute(db);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  if (options.memory) {
    const pglite = options.from ? await pgliteFrom(options.from) : await createInMemory();
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      close: () => db.destroy(),
      dump: () => tarOf(pglite),
    };
  }
  const release = lockDataDir(config.dataDir);
  try {
    const dir = join(config.dataDir, 'pgdata');
    mkdirSync(config.dataDir, { recursive: true });
    const pglite = await PGlite.create(dir);
    const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
    return {
      db,
      kind: 'pglite',
      close: async () => {
        try {
          await db.destroy();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** An in-memory PGlite's whole cluster, as a tar. */
async function tarOf(pglite: PGlite): Promise<Uint8Array> {
  return new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer());
}

/**
 * An in-memory PGlite started from a cluster's tar. PGlite reads the tar through `arrayBuffer()`; a Node 20
 * `Blob` of tens of megabytes copies them chunk by chunk (most of a second of CPU each time), so the bytes are
 * handed over as they are.
 */
function pgliteFrom(tar: Uint8Array): Promise<PGlite> {
  const bytes = { type: 'application/x-tar', size: tar.byteLength, arrayBuffer: async () => tar };
  return PGlite.create({ loadDataDir: bytes as unknown as Blob });
}

/**
 * A PGlite cluster (its tar) kept in the temporary folder under `name` and shared by every process of this
 * user: read from there when a process made it already, else made by `make` and written for the next ones.
 * Tests start many databases; loading a cluster costs a fraction of making it.
 */
export async function cachedCluster(name: string, make: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(dirname(require.resolve('@electric-sql/pglite')));
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const path = join(tmpdir(), `mesref-pglite-${version}-${name}.tar`);
  try {
    // Only a cluster this user made: the temporary folder may be shared with others.
    if (statSync(path).uid === process.getuid?.()) return readFileSync(path);
  } catch {
    // not made yet
  }
  const tar = await make();
  // Written aside then renamed: a process never reads a half-written cluster.
  const aside = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(aside, tar);
    renameSync(aside, path);
  } catch {
    // not kept this time: the next process makes it
    rmSync(aside, { force: true });
  }
  return tar;
}

/** An in-memory PGlite with an empty cluster: initdb costs seconds, so the empty cluster is made once. */
async function createInMemory(): Promise<PGlite> {
  const tar = await cachedCluster('empty', async () => {
    const pglite = await PGlite.create();
    try {
      return await tarOf(pglite);
    } finally {
      await pglite.close();
    }
  });
  return pgliteFrom(tar);
}
