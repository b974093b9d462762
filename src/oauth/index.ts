export { PostgresAdapter, postgresAdapter, purgeExpiredOidcPayloads } from './adapter.ts';
export {
  dropClientSecret,
  findServiceClient,
  issueClientSecret,
  redirectUriAllowed,
  registerServiceClient,
  type ServiceClient,
  setServiceClientStatus,
} from './clients.ts';
export { revokeAccountGrants, SERVICES_AS_PROVIDER } from './grants.ts';
export { oauthMessages } from './messages.ts';
export {
  dataScopesOf,
  endpointsOf,
  fhirBaseOf,
  oauthIssuer,
  PAIRING_PATH,
  SERVICE_USER_ID_PARAM,
} from './model.ts';
export { type OAuthCallFacts, oauthCallOf } from './provider.ts';
export {
  consentRefused,
  idPeMismatch,
  invalidToken,
  type ServiceToken,
  verifyServiceToken,
} from './verify.ts';
