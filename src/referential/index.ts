/**
 * What other modules may use of the referential: the versions loaded at start (`ctx.referentials`), the
 * pure rules over them (applicability, conditions in words, diff), and the loader.
 */
export {
  buildReferentials,
  loadReferentials,
  parseReferentials,
  type ReferentialSource,
  type Referentials,
  SHIPPED_REFERENTIALS_DIR,
} from './files.ts';
export {
  type Applicability,
  applicability,
  applicableCriteria,
  type CriterionChange,
  checkVersion,
  describeCondition,
  diffVersions,
  evaluateCondition,
  mayBeNotApplicable,
  missingAnswers,
  newestFirst,
  type OrientationAnswers,
  type ReferentialVersion,
  resolveVersion,
  type VersionDiff,
  visibleQuestions,
} from './model.ts';
export {
  type Condition,
  type Criterion,
  EVIDENCE_KINDS,
  type EvidenceKind,
  type LocalizedText,
  type Question,
  type ReferentialFile,
  ReferentialFileSchema,
  RUBRIQUES,
  type Rubrique,
} from './schema.ts';
