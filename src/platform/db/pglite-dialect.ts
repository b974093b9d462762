import type { PGlite } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * A Kysely dialect for the embedded PGlite database.
 *
 * PGlite is one session: a query sent while another caller's transaction is open would run inside that
 * transaction (and be rolled back with it). The driver therefore hands out its single connection under a
 * mutex: a caller holds it from acquire to release, so a transaction owns the session for its whole length.
 */
export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#pglite);
  }
  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
}

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => {
      release = r;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    return previous.then(() => release);
  }
}

/** Like PostgreSQL's own COMMIT answer: the transaction had failed, so it was rolled back, not committed. */
export class PGliteAbortedTransactionError extends Error {
  constructor() {
    super('the transaction was aborted by an earlier error and has been rolled back');
    this.name = 'PGliteAbortedTransactionError';
  }
}

const raw = (sql: string) => ({ sql, parameters: [] }) as unknown as CompiledQuery;
const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

class PGliteDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #mutex = new Mutex();
  readonly #releases = new WeakMap<DatabaseConnection, () => void>();

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  async init(): Promise<void> {
    await this.#pglite.waitReady;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#mutex.lock();
    const connection = new PGliteConnection(this.#pglite);
    this.#releases.set(connection, release);
    return connection;
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    let statement = 'start transaction';
    if (settings.isolationLevel) statement += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) statement += ` ${settings.accessMode}`;
    await connection.executeQuery(raw(statement));
    (connection as PGliteConnection).failed = false;
  }
  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // PostgreSQL answers COMMIT of a failed transaction by rolling it back; say so instead of pretending.
    if ((connection as PGliteConnection).failed) {
      await connection.executeQuery(raw('rollback'));
      throw new PGliteAbortedTransactionError();
    }
    await connection.executeQuery(raw('commit'));
  }
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(raw('rollback'));
  }
  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(raw(`savepoint ${quoteIdent(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(raw(`rollback to savepoint ${quoteIdent(name)}`));
    (connection as PGliteConnection).failed = false;
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(raw(`release savepoint ${quoteIdent(name)}`));
  }
  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const release = this.#releases.get(connection);
    this.#releases.delete(connection);
    try {
      // The session is shared: never hand it on inside a transaction someone left open.
      if (!this.#pglite.closed && this.#pglite.isInTransaction()) await this.#pglite.exec('rollback');
    } finally {
      release?.();
    }
  }
  async destroy(): Promise<void> {
    const release = await this.#mutex.lock();
    try {
      if (!this.#pglite.closed) await this.#pglite.close();
    } finally {
      release();
    }
  }
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  /** A statement failed since the transaction began (or since the last rollback to a savepoint). */
  failed = false;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    try {
      // Without parameters, the simple protocol runs scripts of several statements (migrations).
      const result =
        compiledQuery.parameters.length === 0
          ? ((await this.#pglite.exec(compiledQuery.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
          : await this.#pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters]);
      const affected = result.affectedRows;
      return {
        rows: result.rows as R[],
        numAffectedRows: affected === undefined ? undefined : BigInt(affected),
      };
    } catch (error) {
      this.failed = true;
      throw error;
    }
  }
  // biome-ignore lint/correctness/useYield: streaming is not offered by PGlite
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not stream query results');
  }
}
