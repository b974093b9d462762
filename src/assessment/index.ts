/** What other modules (and the CLI) may use of the self-assessment module. */

export { assessmentMessages } from './messages.ts';
export { assessmentPath, productAssessmentsPath } from './pages.tsx';
export { assessmentPlugin } from './plugin.ts';
export {
  type AnswerView,
  type AssessmentDeps,
  type AssessmentView,
  createAssessment,
  getAssessment,
  listAssessments,
  saveAnswer,
  saveOrientation,
  seedDemoAssessment,
} from './service.ts';
