/**
 * The answers file: a service's self-assessment as YAML, kept in the publisher's own repository. One format
 * for `mesref check`, and for the import and export of the web assessment.
 *
 * ```yaml
 * referential: 2023-v2          # optional: the newest version otherwise
 * service: Mon Appli iOS Mobile # optional
 * orientation:
 *   echange_donnees: true
 *   finalites: [prevention, soins]
 * answers:
 *   "URB 01":
 *     status: conforme          # conforme | non-conforme | non-applicable
 *     justification: …
 *     evidence:
 *       - url: https://…
 *       - text: …
 *       - file: preuves/certificat-hds.pdf
 *     targetDate: 2025-06-30    # for a gap: the date by which it will be closed
 * ```
 *
 * Every problem is reported at once with its file, line and path; answers to criteria that do not apply are
 * warnings (they do not count), not errors.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Type } from '@sinclair/typebox';
import { isMap, isNode, isScalar, isSeq, LineCounter, parse, parseDocument, stringify } from 'yaml';
import { DataFileError, type DataFileProblem, parseLocatedDataFile } from '../platform/datafile.ts';
import { type Catalog, type Locale, type Translate, translator } from '../platform/i18n.ts';
import type { Referentials } from '../referential/files.ts';
import {
  type Condition,
  type Criterion,
  describeCondition,
  evaluateCondition,
  type OrientationAnswers,
  type Question,
  type ReferentialVersion,
  visibleQuestions,
} from '../referential/model.ts';
import { RUBRIQUES } from '../referential/schema.ts';
import {
  ANSWER_STATUSES,
  type AnswerStatus,
  type AssessmentInput,
  type CriterionAnswer,
  type Evidence,
} from './model.ts';

export type Problem = DataFileProblem;

/** Référencement simple (sans échange de données) or avec échange de données. */
export type Typology = 'sans-echange' | 'avec-echange';
export const TYPOLOGIES: readonly Typology[] = ['sans-echange', 'avec-echange'];

/** The orientation question whose answer is the typology (yes: avec échange de données). */
export const TYPOLOGY_QUESTION = 'echange_donnees';

export const answersFileMessages = {
  'answers.root': {
    fr: 'le fichier doit être un dictionnaire YAML (referential, service, orientation, answers)',
    en: 'the file must be a YAML mapping (referential, service, orientation, answers)',
  },
  'answers.unknown_key': {
    fr: 'clé inconnue « {key} » (attendu : {expected})',
    en: 'unknown key "{key}" (expected: {expected})',
  },
  'answers.string': { fr: '« {key} » doit être un texte', en: '"{key}" must be a text' },
  'answers.mapping': { fr: '« {key} » doit être un dictionnaire', en: '"{key}" must be a mapping' },
  'answers.referential_unknown': {
    fr: 'version du référentiel inconnue « {id} » (versions connues : {known})',
    en: 'unknown referential version "{id}" (known versions: {known})',
  },
  'answers.referential_overridden': {
    fr: 'le fichier indique la version {file} ; la vérification utilise {used} (--referential)',
    en: 'the file names version {file}; the check uses {used} (--referential)',
  },
  'answers.question_unknown': {
    fr: 'question d’orientation inconnue « {id} » dans {version} (questions : {known})',
    en: 'unknown orientation question "{id}" in {version} (questions: {known})',
  },
  'answers.question_hidden': {
    fr: 'la question « {id} » n’est pas posée avec ces réponses ({condition})',
    en: 'question "{id}" is not asked with these answers ({condition})',
  },
  'answers.boolean': {
    fr: 'la question « {id} » attend true (oui) ou false (non), pas « {value} »',
    en: 'question "{id}" expects true (yes) or false (no), not "{value}"',
  },
  'answers.option_unknown': {
    fr: 'option inconnue « {value} » pour la question « {id} » (options : {options})',
    en: 'unknown option "{value}" for question "{id}" (options: {options})',
  },
  'answers.choice': {
    fr: 'la question « {id} » attend une option parmi : {options}',
    en: 'question "{id}" expects one option among: {options}',
  },
  'answers.multi': {
    fr: 'la question « {id} » attend une liste d’options, par exemple [{example}]',
    en: 'question "{id}" expects a list of options, for instance [{example}]',
  },
  'answers.criterion_unknown': {
    fr: 'critère inconnu « {id} » dans {version}{hint}',
    en: 'unknown criterion "{id}" in {version}{hint}',
  },
  'answers.criterion_hint': { fr: ' (vouliez-vous dire « {id} » ?)', en: ' (did you mean "{id}"?)' },
  'answers.answer_mapping': {
    fr: 'la réponse au critère « {id} » doit être un dictionnaire (status, justification, evidence, targetDate)',
    en: 'the answer to criterion "{id}" must be a mapping (status, justification, evidence, targetDate)',
  },
  'answers.status_unknown': {
    fr: 'statut inconnu « {value} » (statuts : {expected})',
    en: 'unknown status "{value}" (statuses: {expected})',
  },
  'answers.evidence_list': {
    fr: '« evidence » doit être une liste de preuves (- url: …, - text: …, - file: …)',
    en: '"evidence" must be a list of pieces of evidence (- url: …, - text: …, - file: …)',
  },
  'answers.evidence_item': {
    fr: 'une preuve a exactement une clé : url, text ou file',
    en: 'a piece of evidence has exactly one key: url, text or file',
  },
  'answers.evidence_empty': {
    fr: 'la preuve « {kind} » est vide',
    en: 'the "{kind}" evidence is empty',
  },
  'answers.url_invalid': {
    fr: 'adresse invalide « {value} » (attendu : une URL http ou https complète)',
    en: 'invalid address "{value}" (expected: a full http or https URL)',
  },
  'answers.file_missing': {
    fr: 'fichier de preuve introuvable : {file} (chemin relatif au fichier de réponses)',
    en: 'evidence file not found: {file} (path relative to the answers file)',
  },
  'answers.date_format': {
    fr: 'date invalide « {value} » (format AAAA-MM-JJ, par exemple 2025-06-30)',
    en: 'invalid date "{value}" (format YYYY-MM-DD, for instance 2025-06-30)',
  },
  'answers.not_applicable': {
    fr: 'le critère « {id} » ne s’applique pas avec ces réponses d’orientation ({condition}) : sa réponse ne compte pas',
    en: 'criterion "{id}" does not apply with these orientation answers ({condition}): its answer does not count',
  },
  'answers.header': { fr: 'Auto-évaluation mesref — {title}', en: 'mesref self-assessment — {title}' },
  'answers.template_header': {
    fr: 'Modèle de réponses mesref — {title}',
    en: 'mesref answers template — {title}',
  },
  'answers.demonstration': {
    fr: 'Version de démonstration : critères rédigés par mesref d’après les textes publics, ce n’est pas l’annexe officielle.',
    en: 'Demonstration version: criteria written by mesref from the public texts, not the official annex.',
  },
  'answers.generated': { fr: 'Exporté le {date}.', en: 'Exported on {date}.' },
  'answers.check_with': {
    fr: 'Vérifier : mesref check <ce fichier> (format : docs/publisher-guide.md).',
    en: 'Check: mesref check <this file> (format: docs/publisher-guide.md).',
  },
  'answers.template_typology': {
    fr: 'Typologie : {typology}. {count} critère(s) peuvent s’appliquer, dont {mandatory} obligatoire(s) ; l’orientation décide lesquels.',
    en: 'Typology: {typology}. {count} criteria may apply, {mandatory} of them mandatory; the orientation decides which.',
  },
  'answers.template_how': {
    fr: 'Répondez d’abord à l’orientation, puis à chaque critère : status (conforme | non-conforme | non-applicable), justification (demandée pour non-conforme et non-applicable), evidence (- url: …, - text: …, - file: chemin relatif à ce fichier ; au moins une pour conforme), targetDate (AAAA-MM-JJ, pour un écart). Un critère laissé vide reste sans réponse.',
    en: 'Answer the orientation first, then each criterion: status (conforme | non-conforme | non-applicable), justification (needed for non-conforme and non-applicable), evidence (- url: …, - text: …, - file: path relative to this file; at least one for conforme), targetDate (YYYY-MM-DD, for a gap). A criterion left empty stays unanswered.',
  },
  'answers.service_comment': {
    fr: 'Nom commercial du service, tel que montré aux usagers : « [Nom] [OS] [Appareil] ».',
    en: 'Commercial name of the service as shown to users: "[Name] [OS] [Device]".',
  },
  'answers.typology.sans-echange': {
    fr: 'référencement simple, sans échange de données',
    en: 'simple referencing, without data exchange',
  },
  'answers.typology.avec-echange': {
    fr: 'référencement avec échange de données',
    en: 'referencing with data exchange',
  },
  'answers.asked_when': { fr: 'Posée seulement si : {condition}', en: 'Asked only if: {condition}' },
  'answers.expect_boolean': {
    fr: 'Réponse : true (oui) ou false (non)',
    en: 'Answer: true (yes) or false (no)',
  },
  'answers.expect_choice': { fr: 'Une option parmi :', en: 'One option among:' },
  'answers.expect_multi': { fr: 'Une liste d’options parmi :', en: 'A list of options among:' },
  'answers.other_answers': {
    fr: 'Réponses à des critères absents de cette version',
    en: 'Answers to criteria absent from this version',
  },
  'answers.level.obligatoire': { fr: 'obligatoire', en: 'mandatory' },
  'answers.level.optionnel': { fr: 'optionnel', en: 'optional' },
  'answers.requirement': { fr: 'Exigence : {text}', en: 'Requirement: {text}' },
  'answers.target_levels': { fr: 'Niveaux cibles : {levels}', en: 'Target levels: {levels}' },
  'answers.guidance': { fr: 'Conseil : {text}', en: 'Guidance: {text}' },
  'answers.evidence_expected': { fr: 'Preuves attendues : {kinds}', en: 'Evidence expected: {kinds}' },
  'answers.applies': { fr: 'S’applique : {condition}', en: 'Applies: {condition}' },
  'answers.na_allowed': {
    fr: 'Non applicable permis si : {condition}',
    en: 'Not applicable allowed if: {condition}',
  },
  'answers.na_refused': {
    fr: 'Obligatoire : « non-applicable » n’est pas permis.',
    en: 'Mandatory: "non-applicable" is not allowed.',
  },
  'answers.source': { fr: 'Source : {text}', en: 'Source: {text}' },
  'answers.evidence_kind.document': { fr: 'document', en: 'document' },
  'answers.evidence_kind.url': { fr: 'adresse web', en: 'web address' },
  'answers.evidence_kind.declaration': { fr: 'déclaration', en: 'declaration' },
  'answers.evidence_kind.ecoscore': { fr: 'résultat d’écoscore', en: 'écoscore result' },
  'answers.evidence_kind.connection-test': {
    fr: 'rapport de test d’accrochage',
    en: 'connection-test report',
  },
  'answers.evidence_kind.automated-check': { fr: 'vérification automatique', en: 'automated check' },
} satisfies Catalog;

const TOP_KEYS = ['referential', 'service', 'orientation', 'answers'] as const;
const ANSWER_KEYS = ['status', 'justification', 'evidence', 'targetDate'] as const;

type ParseResult =
  | { ok: true; version: ReferentialVersion; input: AssessmentInput; service?: string; warnings: Problem[] }
  | { ok: false; problems: Problem[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** A JSON pointer from keys (criterion ids hold spaces, and may hold `/`). */
function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * The line of a JSON pointer's key (`"URB 01":` rather than the first line of its answer), or of the nearest
 * enclosing key or list item that exists.
 */
function keyLines(text: string): (pointer: string) => number {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  return (pointer) => {
    const segments = pointer
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    for (let length = segments.length; length > 0; length--) {
      const parent = length === 1 ? doc.contents : doc.getIn(segments.slice(0, length - 1), true);
      const last = segments[length - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === last);
        if (pair && isNode(pair.key) && pair.key.range) return lineAt(pair.key.range[0]);
      } else if (isSeq(parent)) {
        const item = parent.items[Number(last)];
        if (isNode(item) && item.range) return lineAt(item.range[0]);
      }
    }
    return isNode(doc.contents) && doc.contents.range ? lineAt(doc.contents.range[0]) : 1;
  };
}

/** « URB01 », « urb 1 »: the criterion a person probably meant. */
function likelyCriterion(id: string, version: ReferentialVersion): string | undefined {
  const key = (s: string) =>
    s
      .toLowerCase()
      .replace(/[\s_-]+/g, '')
      .replace(/(\D)0+(\d)/g, '$1$2');
  const wanted = key(id);
  return version.criteria.find((c) => key(c.id) === wanted)?.id;
}

const shown = (value: unknown): string =>
  typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);

/**
 * Reads an answers file against the referential versions. `options.referential` wins over the file's
 * `referential`, which wins over the newest version. With `baseDir`, file evidence must exist under it.
 */
export function parseAnswersFile(
  text: string,
  fileName: string,
  referentials: Referentials,
  options: { referential?: string; baseDir?: string; locale?: Locale } = {},
): ParseResult {
  const t = translator(answersFileMessages, options.locale ?? 'fr');
  let located: ReturnType<typeof parseLocatedDataFile>;
  try {
    located = parseLocatedDataFile(text, Type.Unknown(), fileName);
  } catch (error) {
    if (error instanceof DataFileError) return { ok: false, problems: error.problems };
    throw error;
  }
  // Lines are looked up only when there is something to report.
  let keyLine: ((pointer: string) => number) | undefined;
  const lineOf = (pointer: string) => {
    keyLine ??= keyLines(text);
    return keyLine(pointer);
  };
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const at = (path: string, message: string): Problem => ({
    file: fileName,
    line: lineOf(path),
    path,
    message,
  });
  const error = (path: string, key: string, params?: Record<string, string | number>) =>
    problems.push(at(path, t(key, params)));
  const warn = (path: string, key: string, params?: Record<string, string | number>) =>
    warnings.push(at(path, t(key, params)));
  const failed = (): ParseResult => ({
    ok: false,
    problems: problems.sort((a, b) => a.line - b.line),
  });

  // An empty file is an assessment not started yet.
  const root = located.value ?? {};
  if (!isRecord(root)) {
    error('', 'answers.root');
    return failed();
  }
  for (const key of Object.keys(root)) {
    if (!(TOP_KEYS as readonly string[]).includes(key)) {
      error(pointer(key), 'answers.unknown_key', { key, expected: TOP_KEYS.join(', ') });
    }
  }
  const known = referentials.versions.map((v) => v.id).join(', ');
  const named = root.referential ?? undefined;
  if (named !== undefined && typeof named !== 'string')
    error('/referential', 'answers.string', { key: 'referential' });
  let version: ReferentialVersion | undefined;
  if (options.referential !== undefined) {
    version = referentials.get(options.referential);
    if (!version) {
      problems.push({
        file: fileName,
        line: 1,
        path: '',
        message: t('answers.referential_unknown', { id: options.referential, known }),
      });
      return failed();
    }
    if (typeof named === 'string' && named !== options.referential) {
      warn('/referential', 'answers.referential_overridden', { file: named, used: options.referential });
    }
  } else if (typeof named === 'string' && named !== '') {
    version = referentials.get(named);
    if (!version) {
      error('/referential', 'answers.referential_unknown', { id: named, known });
      return failed();
    }
  } else {
    version = referentials.newest();
  }

  const service = root.service ?? undefined;
  if (service !== undefined && typeof service !== 'string')
    error('/service', 'answers.string', { key: 'service' });

  const reading: Reading = { t, error, baseDir: options.baseDir };
  const orientation = readOrientation(root.orientation, version, reading);
  const answers = readAnswers(root.answers, version, reading);
  if (problems.length > 0) return failed();

  const answered = new Set(Object.keys(orientation));
  const asked = new Set(visibleQuestions(version, orientation).map((q) => q.id));
  for (const question of version.questionnaire) {
    if (answered.has(question.id) && !asked.has(question.id)) {
      warn(pointer('orientation', question.id), 'answers.question_hidden', {
        id: question.id,
        condition: describeCondition(version, question.showWhen, options.locale ?? 'fr'),
      });
    }
  }
  const criteria = new Map(version.criteria.map((c) => [c.id, c]));
  for (const id of Object.keys(answers)) {
    const criterion = criteria.get(id) as Criterion;
    if (!evaluateCondition(criterion.appliesWhen, orientation)) {
      warn(pointer('answers', id), 'answers.not_applicable', {
        id,
        condition: describeCondition(version, criterion.appliesWhen, options.locale ?? 'fr'),
      });
    }
  }
  return {
    ok: true,
    version,
    input: { orientation, answers },
    ...(typeof service === 'string' && service !== '' ? { service } : {}),
    warnings: warnings.sort((a, b) => a.line - b.line),
  };
}

type Report = (path: string, key: string, params?: Record<string, string | number>) => void;

/** What the readers below need: how to word and report a problem, and where evidence files are. */
interface Reading {
  t: Translate;
  error: Report;
  baseDir?: string;
}

function readOrientation(raw: unknown, version: ReferentialVersion, { error }: Reading): OrientationAnswers {
  const orientation: OrientationAnswers = {};
  if (raw === undefined || raw === null) return orientation;
  if (!isRecord(raw)) {
    error('/orientation', 'answers.mapping', { key: 'orientation' });
    return orientation;
  }
  const questions = new Map(version.questionnaire.map((q) => [q.id, q]));
  for (const [id, value] of Object.entries(raw)) {
    const path = pointer('orientation', id);
    const question = questions.get(id);
    if (!question) {
      error(path, 'answers.question_unknown', {
        id,
        version: version.id,
        known: [...questions.keys()].join(', '),
      });
      continue;
    }
    // Left empty: not answered yet.
    if (value === null || value === undefined || value === '') continue;
    const answer = orientationValue(question, value, path, error);
    if (answer !== undefined) orientation[id] = answer;
  }
  return orientation;
}

function orientationValue(
  question: Question,
  value: unknown,
  path: string,
  error: Report,
): boolean | string | string[] | undefined {
  const options = (question.options ?? []).map((o) => o.value);
  const isOption = (v: unknown, where: string): v is string => {
    if (typeof v === 'string' && options.includes(v)) return true;
    error(where, 'answers.option_unknown', { id: question.id, value: shown(v), options: options.join(', ') });
    return false;
  };
  switch (question.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      error(path, 'answers.boolean', { id: question.id, value: shown(value) });
      return undefined;
    case 'choice':
      if (Array.isArray(value) || isRecord(value)) {
        error(path, 'answers.choice', { id: question.id, options: options.join(', ') });
        return undefined;
      }
      return isOption(value, path) ? value : undefined;
    case 'multi': {
      if (!Array.isArray(value)) {
        error(path, 'answers.multi', { id: question.id, example: options.slice(0, 2).join(', ') });
        return undefined;
      }
      const values = value.filter((v, index) => isOption(v, `${path}/${index}`)) as string[];
      return values.length === value.length ? values : undefined;
    }
  }
}

function readAnswers(
  raw: unknown,
  version: ReferentialVersion,
  reading: Reading,
): Record<string, CriterionAnswer> {
  const { error, t } = reading;
  const answers: Record<string, CriterionAnswer> = {};
  if (raw === undefined || raw === null) return answers;
  if (!isRecord(raw)) {
    error('/answers', 'answers.mapping', { key: 'answers' });
    return answers;
  }
  const ids = new Set(version.criteria.map((c) => c.id));
  for (const [id, value] of Object.entries(raw)) {
    const path = pointer('answers', id);
    if (!ids.has(id)) {
      const likely = likelyCriterion(id, version);
      error(path, 'answers.criterion_unknown', {
        id,
        version: version.id,
        hint: likely ? t('answers.criterion_hint', { id: likely }) : '',
      });
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) {
      error(path, 'answers.answer_mapping', { id });
      continue;
    }
    const answer = readAnswer(value, path, reading);
    if (answer && !isEmpty(answer)) answers[id] = answer;
  }
  return answers;
}

/** One criterion's answer, or undefined when it has a problem (each one reported). */
function readAnswer(
  value: Record<string, unknown>,
  path: string,
  reading: Reading,
): CriterionAnswer | undefined {
  let problems = 0;
  const report: Report = (p, key, params) => {
    problems++;
    reading.error(p, key, params);
  };
  const answer: CriterionAnswer = { evidence: [] };
  for (const key of Object.keys(value)) {
    if (!(ANSWER_KEYS as readonly string[]).includes(key)) {
      report(`${path}${pointer(key)}`, 'answers.unknown_key', { key, expected: ANSWER_KEYS.join(', ') });
    }
  }
  const status = value.status ?? undefined;
  if (status !== undefined && status !== '') {
    if (typeof status === 'string' && (ANSWER_STATUSES as readonly string[]).includes(status)) {
      answer.status = status as AnswerStatus;
    } else {
      report(`${path}/status`, 'answers.status_unknown', {
        value: shown(status),
        expected: ANSWER_STATUSES.join(', '),
      });
    }
  }
  const justification = value.justification ?? undefined;
  if (justification !== undefined) {
    if (typeof justification !== 'string') {
      report(`${path}/justification`, 'answers.string', { key: 'justification' });
    } else if (justification !== '') {
      answer.justification = justification;
    }
  }
  const evidence = value.evidence ?? undefined;
  if (evidence !== undefined) {
    if (!Array.isArray(evidence)) report(`${path}/evidence`, 'answers.evidence_list');
    else {
      evidence.forEach((item, index) => {
        const piece = readEvidence(item, `${path}/evidence/${index}`, report, reading.baseDir);
        if (piece) answer.evidence.push(piece);
      });
    }
  }
  const targetDate = value.targetDate ?? undefined;
  if (targetDate !== undefined && targetDate !== '') {
    if (typeof targetDate === 'string' && isCalendarDate(targetDate)) answer.targetDate = targetDate;
    else report(`${path}/targetDate`, 'answers.date_format', { value: shown(targetDate) });
  }
  return problems === 0 ? answer : undefined;
}

function readEvidence(
  item: unknown,
  path: string,
  error: Report,
  baseDir: string | undefined,
): Evidence | undefined {
  if (!isRecord(item) || Object.keys(item).length !== 1) {
    error(path, 'answers.evidence_item');
    return undefined;
  }
  const [kind, value] = Object.entries(item)[0];
  if (kind !== 'url' && kind !== 'text' && kind !== 'file') {
    error(path, 'answers.evidence_item');
    return undefined;
  }
  const where = `${path}/${kind}`;
  if (typeof value !== 'string') {
    error(where, 'answers.string', { key: kind });
    return undefined;
  }
  if (value.trim() === '') {
    error(where, 'answers.evidence_empty', { kind });
    return undefined;
  }
  if (kind === 'url') {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      error(where, 'answers.url_invalid', { value });
      return undefined;
    }
    return { kind: 'url', url: value };
  }
  if (kind === 'text') return { kind: 'text', text: value };
  if (baseDir !== undefined && !existsSync(resolve(baseDir, value))) {
    error(where, 'answers.file_missing', { file: value });
    return undefined;
  }
  return { kind: 'file', name: value };
}

const isEmpty = (answer: CriterionAnswer): boolean =>
  answer.status === undefined &&
  answer.justification === undefined &&
  answer.evidence.length === 0 &&
  answer.targetDate === undefined;

// ── writing ─────────────────────────────────────────────────────────────────────────────────────────────

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A string as a YAML scalar that reads back as the same string: plain or quoted on one line, or a literal
 * block for a multi-line text that a block keeps exactly.
 */
function scalar(value: string, indent: string): string {
  const candidates: string[] = [];
  if (
    value.includes('\n') &&
    !value.endsWith('\n') &&
    !/^\s/.test(value) &&
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters have no literal form
    !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(value) &&
    !LONE_SURROGATE.test(value)
  ) {
    candidates.push(
      `|-\n${value
        .split('\n')
        .map((line) => (line ? `${indent}  ${line}` : ''))
        .join('\n')}`,
    );
  } else if (!value.includes('\n') && !LONE_SURROGATE.test(value)) {
    candidates.push(stringify(value, { lineWidth: 0 }).trimEnd());
  }
  // Some texts (trailing Unicode spaces, a line of spaces only) do not survive a plain or block form: the
  // form is kept only when it reads back as the same text; a JSON string always does.
  const readsBack = (text: string) => {
    const [first, ...rest] = text.split('\n');
    const unindented = [first, ...rest.map((line) => line.slice(indent.length))].join('\n');
    try {
      return (parse(`k: ${unindented}\n`) as { k?: unknown }).k === value;
    } catch {
      return false;
    }
  };
  return candidates.find(readsBack) ?? JSON.stringify(value);
}

/** A key: plain when it reads back as itself, else quoted (criterion ids are always quoted). */
function key(value: string): string {
  return /^[a-z0-9][a-z0-9_-]*$/.test(value) && !/^(true|false|null|y|n|yes|no|on|off|~|\d+)$/i.test(value)
    ? value
    : JSON.stringify(value);
}

function orientationScalar(value: boolean | string | string[]): string {
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => scalar(v, '')).join(', ')}]`;
  return scalar(value, '');
}

/** Comment lines, wrapped at about 110 columns. */
function comment(text: string, indent: string, width = 110): string[] {
  const room = Math.max(40, width - indent.length - 2);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > room) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines.map((line) => (line ? `${indent}# ${line}` : `${indent}#`));
}

/** The version's rubriques in its order, then any other the schema knows. */
function rubriqueOrder(version: ReferentialVersion): string[] {
  const own = version.rubriques.map((r) => r.id as string);
  return [...own, ...RUBRIQUES.filter((r) => !own.includes(r))];
}

function rubriqueTitle(version: ReferentialVersion, id: string, locale: Locale): string {
  return version.rubriques.find((r) => r.id === id)?.title[locale] ?? id;
}

function criterionHeading(criterion: Criterion, locale: Locale, t: Translate): string {
  return `${criterion.id} — ${criterion.title[locale]} · ${t(`answers.level.${criterion.level}`)}`;
}

function answerLines(answer: CriterionAnswer): string[] {
  const lines: string[] = [];
  const inner = '    ';
  if (answer.status) lines.push(`${inner}status: ${answer.status}`);
  if (answer.justification !== undefined)
    lines.push(`${inner}justification: ${scalar(answer.justification, inner)}`);
  if (answer.evidence.length > 0) {
    lines.push(`${inner}evidence:`);
    for (const piece of answer.evidence) {
      const item = `${inner}  - `;
      if (piece.kind === 'url') lines.push(`${item}url: ${scalar(piece.url, `${inner}    `)}`);
      else if (piece.kind === 'text') lines.push(`${item}text: ${scalar(piece.text, `${inner}    `)}`);
      else lines.push(`${item}file: ${scalar(piece.name, `${inner}    `)}`);
    }
  }
  if (answer.targetDate) lines.push(`${inner}targetDate: ${scalar(answer.targetDate, inner)}`);
  return lines.length > 0 ? lines : [];
}

function headerLines(version: ReferentialVersion, t: Translate, locale: Locale, title: string): string[] {
  const lines = comment(t(title, { title: `${version.title[locale]} [${version.id}]` }), '');
  if (version.status === 'demonstration') lines.push(...comment(t('answers.demonstration'), ''));
  return lines;
}

/**
 * The assessment as an answers file: orientation in the questionnaire's order, answers grouped by rubrique
 * with each criterion's title as a comment. Parsing it back gives the same input.
 */
export function serializeAnswersFile(
  version: ReferentialVersion,
  input: AssessmentInput,
  meta: { service?: string; generatedAt?: Date; locale?: Locale } = {},
): string {
  const locale = meta.locale ?? 'fr';
  const t = translator(answersFileMessages, locale);
  const lines = headerLines(version, t, locale, 'answers.header');
  if (meta.generatedAt)
    lines.push(...comment(t('answers.generated', { date: meta.generatedAt.toISOString() }), ''));
  lines.push(...comment(t('answers.check_with'), ''));
  lines.push(`referential: ${scalar(version.id, '')}`);
  if (meta.service !== undefined) lines.push(`service: ${scalar(meta.service, '')}`);

  const orientation = Object.entries(input.orientation).filter(([, value]) => value !== undefined) as [
    string,
    boolean | string | string[],
  ][];
  if (orientation.length === 0) lines.push('orientation: {}');
  else {
    lines.push('orientation:');
    const order = new Map(version.questionnaire.map((q, index) => [q.id, index]));
    orientation.sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity));
    for (const [id, value] of orientation) {
      const question = version.questionnaire.find((q) => q.id === id);
      if (question) lines.push(...comment(question.label[locale], '  '));
      lines.push(`  ${key(id)}: ${orientationScalar(value)}`);
    }
  }

  const given = new Map(
    Object.entries(input.answers).filter((entry): entry is [string, CriterionAnswer] => {
      const answer = entry[1];
      return answer !== undefined && !isEmpty(answer);
    }),
  );
  const body: string[] = [];
  for (const rubrique of rubriqueOrder(version)) {
    const own = version.criteria.filter((c) => c.rubrique === rubrique && given.has(c.id));
    if (own.length === 0) continue;
    body.push(`  # ── ${rubriqueTitle(version, rubrique, locale)} ──`);
    for (const criterion of own) {
      body.push(...comment(criterionHeading(criterion, locale, t), '  '));
      body.push(
        `  ${JSON.stringify(criterion.id)}:`,
        ...answerLines(given.get(criterion.id) as CriterionAnswer),
      );
      given.delete(criterion.id);
    }
  }
  if (given.size > 0) {
    body.push(`  # ── ${t('answers.other_answers')} ──`);
    for (const [id, answer] of given) body.push(`  ${JSON.stringify(id)}:`, ...answerLines(answer));
  }
  if (body.length === 0) lines.push('answers: {}');
  else lines.push('answers:', ...body);
  return `${lines.join('\n')}\n`;
}

/**
 * Whether a condition holds when only some questions are answered: true or false when the known answers
 * decide it, undefined when it depends on the others.
 */
function mayHold(condition: Condition | undefined, known: OrientationAnswers): boolean | undefined {
  if (!condition || 'always' in condition) return true;
  if ('all' in condition) {
    const parts = (condition.all as Condition[]).map((c) => mayHold(c, known));
    return parts.includes(false) ? false : parts.every((p) => p === true) ? true : undefined;
  }
  if ('any' in condition) {
    const parts = (condition.any as Condition[]).map((c) => mayHold(c, known));
    return parts.includes(true) ? true : parts.every((p) => p === false) ? false : undefined;
  }
  if ('not' in condition) {
    const inner = mayHold(condition.not as Condition, known);
    return inner === undefined ? undefined : !inner;
  }
  return condition.question in known ? evaluateCondition(condition, known) : undefined;
}

/** The orientation a typology fixes (nothing when the version has no typology question). */
export function typologyOrientation(version: ReferentialVersion, typology: Typology): OrientationAnswers {
  return version.questionnaire.some((q) => q.id === TYPOLOGY_QUESTION)
    ? { [TYPOLOGY_QUESTION]: typology === 'avec-echange' }
    : {};
}

/** The criteria that may apply to a service of this typology, whatever its other answers. */
export function criteriaForTypology(version: ReferentialVersion, typology: Typology): Criterion[] {
  const known = typologyOrientation(version, typology);
  return version.criteria.filter((c) => mayHold(c.appliesWhen, known) !== false);
}

function questionLines(
  version: ReferentialVersion,
  question: Question,
  known: OrientationAnswers,
  locale: Locale,
  t: Translate,
): string[] {
  const lines = comment(question.label[locale], '  ');
  if (question.help) lines.push(...comment(question.help[locale], '  '));
  if (question.showWhen && mayHold(question.showWhen, known) === undefined) {
    lines.push(
      ...comment(
        t('answers.asked_when', { condition: describeCondition(version, question.showWhen, locale) }),
        '  ',
      ),
    );
  }
  if (question.type === 'boolean') lines.push(...comment(t('answers.expect_boolean'), '  '));
  else {
    lines.push(
      ...comment(t(question.type === 'multi' ? 'answers.expect_multi' : 'answers.expect_choice'), '  '),
    );
    for (const option of question.options ?? [])
      lines.push(`  #   ${option.value} — ${option.label[locale]}`);
  }
  const value = known[question.id];
  lines.push(`  ${key(question.id)}:${value === undefined ? '' : ` ${orientationScalar(value)}`}`);
  return lines;
}

function criterionLines(
  version: ReferentialVersion,
  criterion: Criterion,
  locale: Locale,
  t: Translate,
): string[] {
  const lines = comment(criterionHeading(criterion, locale, t), '  ');
  lines.push(...comment(t('answers.requirement', { text: criterion.requirement[locale] }), '  '));
  if (criterion.targetLevels) {
    lines.push(
      ...comment(
        t('answers.target_levels', { levels: criterion.targetLevels.map((l) => l[locale]).join(' ; ') }),
        '  ',
      ),
    );
  }
  lines.push(...comment(t('answers.guidance', { text: criterion.guidance[locale] }), '  '));
  lines.push(
    ...comment(
      t('answers.evidence_expected', {
        kinds: criterion.evidence.map((k) => t(`answers.evidence_kind.${k}`)).join(', '),
      }),
      '  ',
    ),
  );
  if (criterion.appliesWhen && !('always' in criterion.appliesWhen)) {
    lines.push(
      ...comment(
        t('answers.applies', { condition: describeCondition(version, criterion.appliesWhen, locale) }),
        '  ',
      ),
    );
  }
  if (criterion.level === 'obligatoire') {
    lines.push(
      ...comment(
        criterion.notApplicableWhen
          ? t('answers.na_allowed', {
              condition: describeCondition(version, criterion.notApplicableWhen, locale),
            })
          : t('answers.na_refused'),
        '  ',
      ),
    );
  }
  lines.push(...comment(t('answers.source', { text: criterion.source }), '  '));
  lines.push(
    `  ${JSON.stringify(criterion.id)}:`,
    '    status:',
    '    justification:',
    '    evidence: []',
    '    targetDate:',
  );
  return lines;
}

/**
 * A commented answers file to start from: the orientation questions that may be asked for this typology
 * (its own question answered), then every criterion that may apply, grouped by rubrique, with its
 * requirement, guidance and expected evidence as comments and an empty answer. It parses without error.
 */
export function answersTemplate(
  version: ReferentialVersion,
  typology: Typology,
  locale: Locale = 'fr',
): string {
  const t = translator(answersFileMessages, locale);
  const known = typologyOrientation(version, typology);
  const criteria = criteriaForTypology(version, typology);
  const lines = headerLines(version, t, locale, 'answers.template_header');
  lines.push(
    ...comment(
      t('answers.template_typology', {
        typology: t(`answers.typology.${typology}`),
        count: criteria.length,
        mandatory: criteria.filter((c) => c.level === 'obligatoire').length,
      }),
      '',
    ),
    ...comment(t('answers.template_how'), ''),
    ...comment(t('answers.check_with'), ''),
    `referential: ${scalar(version.id, '')}`,
    ...comment(t('answers.service_comment'), ''),
    'service:',
    'orientation:',
  );
  const questions = version.questionnaire.filter((q) => mayHold(q.showWhen, known) !== false);
  for (const question of questions) lines.push(...questionLines(version, question, known, locale, t));
  if (questions.length === 0) lines[lines.length - 1] = 'orientation: {}';
  lines.push(criteria.length === 0 ? 'answers: {}' : 'answers:');
  for (const rubrique of rubriqueOrder(version)) {
    const own = criteria.filter((c) => c.rubrique === rubrique);
    if (own.length === 0) continue;
    lines.push(`  # ══ ${rubriqueTitle(version, rubrique, locale)} ══`);
    for (const criterion of own) lines.push(...criterionLines(version, criterion, locale, t));
  }
  return `${lines.join('\n')}\n`;
}
