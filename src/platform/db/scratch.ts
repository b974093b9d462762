import pg from 'pg';
import { randomToken } from '../crypto.ts';

export interface ScratchDatabase {
  /** The new database's URL: the server's, with the database's name as its path. */
  url: string;
  /** Drops the database, closing the connections still open to it. */
  drop(): Promise<void>;
}

/**
 * A new, empty database on the PostgreSQL server of `serverUrl`, named `prefix` and a random suffix, for one
 * test or one benchmark run (the caller drops it when done).
 */
export async function createScratchDatabase(
  serverUrl: string,
  prefix: string,
  options: {
    /** Settings of the new database (`alter database … set`), e.g. `synchronous_commit: 'off'` for tests. */
    settings?: Record<string, 'on' | 'off'>;
    /** A database to copy (`create database … template`), nobody connected to it. */
    template?: string;
  } = {},
): Promise<ScratchDatabase> {
  const name = `${prefix}${randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')}`;
  if (options.template !== undefined && !/^[a-z0-9_]+$/.test(options.template))
    throw new Error(`not a database name: ${options.template}`);
  await onServer(
    serverUrl,
    options.template ? `create database ${name} template ${options.template}` : `create database ${name}`,
  );
  for (const [setting, value] of Object.entries(options.settings ?? {})) {
    if (!/^[a-z_]+$/.test(setting)) throw new Error(`not a setting name: ${setting}`);
    await onServer(serverUrl, `alter database ${name} set ${setting} = ${value}`);
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
