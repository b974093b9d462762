export type { AuditEventInput, ChainBreak } from './model.ts';
export {
  type AuditEventView,
  appendAuditEvent,
  auditAppendCtes,
  listAuditEvents,
  type VerifyResult,
  verifyAuditLog,
} from './store.ts';
