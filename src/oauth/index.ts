export { PostgresAdapter, postgresAdapter, purgeExpiredOidcPayloads } from './adapter.ts';
export {
  findServiceClient,
  registerServiceClient,
  type ServiceClient,
  setServiceClientStatus,
} from './clients.ts';
