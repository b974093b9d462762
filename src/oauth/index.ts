export { PostgresAdapter, postgresAdapter, purgeExpiredOidcPayloads } from './adapter.ts';
