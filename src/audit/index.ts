export type { AuditEventInput, ChainBreak } from './model.ts';
export {
  type AuditEventView,
  appendAuditEvent,
  listAuditEvents,
  type VerifyResult,
  verifyAuditLog,
} from './store.ts';
