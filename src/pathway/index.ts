/** What other modules may use of the guided pathway: a service's latest saved outcome, and the pure rules. */
export {
  decideOutcome,
  type PathwayAnswers,
  type PathwayOutcome,
  type PathwayRules,
  type Verdict,
  type Workload,
} from './model.ts';
export { OutcomeView, productOutcomePage } from './pages.tsx';
export { loadPathwayRules } from './rules.ts';
export { latestOutcome } from './service.ts';
export type { SavedOutcome } from './store.ts';
