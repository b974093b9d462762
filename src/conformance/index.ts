/** What other modules (the referencing file's demo, the CLI) may use of connection tests. */
export { conformanceMessages } from './messages.ts';
export { ConnectionTestEvidence } from './pages.tsx';
export { loadPlans } from './plans.ts';
export { conformancePlugin } from './plugin.ts';
export { installRecorder } from './recorder.ts';
export {
  buildTestReport,
  type ConnectionTestReport,
  signedTestReport,
  signTestReport,
  verifyTestReport,
} from './report.ts';
export {
  type CriterionTestEvidence,
  criterionTestEvidence,
  SANDBOX_CLIENT_PREFIX,
  SESSION_TEST_CITIZENS,
} from './service.ts';
