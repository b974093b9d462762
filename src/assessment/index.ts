/** What other modules (and the CLI) may use of the self-assessment module. */

export { assessmentMessages } from './messages.ts';
export { type CriterionAnswer, evaluateAssessment } from './model.ts';
export { assessmentPath, productAssessmentsPath } from './pages.tsx';
export { assessmentPlugin } from './plugin.ts';
export type { AssessmentReport } from './report.tsx';
export {
  type AnswerView,
  type AssessmentDeps,
  type AssessmentView,
  createAssessment,
  type FrozenEvidenceFile,
  freezeAssessment,
  getAssessment,
  importAnswers,
  listAssessments,
  saveAnswer,
  saveOrientation,
  seedDemoAssessment,
  visibleQuestionIds,
} from './service.ts';
