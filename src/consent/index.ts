/** What other modules (the authorization server, resource servers, the referencing file) may use of consents. */

export { PersonSelect } from './components.tsx';
export { consentMessages } from './messages.ts';
export {
  type ConsentAction,
  type ConsentOffer,
  type ConventionAllowance,
  type Decision,
  type DenyReason,
  decide,
  grantsOf,
  majorityDate,
  offerOf,
  parseScope,
  scopeOf,
  scopesOf,
} from './model.ts';
export { consentDeps, consentPlugin } from './plugin.ts';
export {
  type AccessFacts,
  type AccessQuestion,
  type ActivityItem,
  type ActivityKind,
  accessDecision,
  accessEvent,
  accessFactsHold,
  accessFactsOf,
  activityOf,
  type ConsentDeps,
  type ConsentServiceView,
  type ConsentView,
  type ManagedCitizen,
  managedCitizens,
  notifyNewVersion,
  PairingConflict,
  type PairingView,
  pair,
  pairingByIdPe,
  pairingsOf,
  pairingView,
  personInCare,
  serviceForConsent,
  setConsents,
  unpair,
  withdrawExchange,
} from './service.ts';
