/**
 * Importing an official annex spreadsheet into a new referential version file. Every row is checked (column
 * mapping and condition syntax in docs/referential-format.md); the file is written only when every row is
 * valid, through a temporary file linked into place, so a failed import leaves nothing behind and an
 * existing version is never overwritten.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { stringify } from 'yaml';
import { randomToken } from '../platform/crypto.ts';
import { DataFileError } from '../platform/datafile.ts';
import { parseConditionText } from './condition-text.ts';
import { parseReferentials, type ReferentialSource, type Referentials } from './files.ts';
import type { ReferentialVersion } from './model.ts';
import {
  type Criterion,
  EVIDENCE_KINDS,
  type EvidenceKind,
  type LocalizedText,
  type ReferentialFile,
  type Rubrique,
} from './schema.ts';
import { columnLetter, type Sheet } from './spreadsheet.ts';

/** A problem of the spreadsheet: its line (row) and column when it concerns one cell. */
export interface ImportProblem {
  line?: number;
  column?: string;
  message: string;
}

export interface ImportOptions {
  id: string;
  titleFr: string;
  titleEn?: string;
  legalText: string;
  legalDate: string;
  effectiveDate: string;
  status: 'official' | 'demonstration';
  basedOn?: string;
  /** The file's name, said in the header comment of the version written. */
  sourceName: string;
}

/** What English text says when the spreadsheet has no English column: the French text, untranslated. */
export const UNTRANSLATED = '[French text, not translated] ';
export const untranslated = (fr: string) => `${UNTRANSLATED}${fr}`;

// ── columns ─────────────────────────────────────────────────────────────────

type Field =
  | 'id'
  | 'rubrique'
  | 'theme'
  | 'themeEn'
  | 'part'
  | 'title'
  | 'titleEn'
  | 'requirement'
  | 'requirementEn'
  | 'level'
  | 'targetLevels'
  | 'targetLevelsEn'
  | 'appliesWhen'
  | 'notApplicableWhen'
  | 'evidence'
  | 'guidance'
  | 'guidanceEn'
  | 'source';

/** Headers each field is recognised by, compared without case, accents or punctuation. */
export const COLUMN_NAMES: Record<Field, string[]> = {
  id: ['id', 'identifiant', 'identifier', 'reference critere', 'numero'],
  rubrique: ['rubrique', 'section'],
  theme: ['theme', 'thematique'],
  themeEn: ['theme en'],
  part: ['partie', 'part'],
  title: ['titre', 'intitule', 'title'],
  titleEn: ['titre en', 'intitule en', 'title en'],
  requirement: ['exigence', 'enonce', 'requirement'],
  requirementEn: ['exigence en', 'enonce en', 'requirement en'],
  level: ['niveau', 'niveau d exigence', 'level'],
  targetLevels: ['niveau cible', 'niveaux cibles', 'target level', 'target levels'],
  targetLevelsEn: ['niveau cible en', 'niveaux cibles en', 'target levels en'],
  appliesWhen: ['condition d applicabilite', 'applicabilite', 'condition', 'applies when'],
  notApplicableWhen: ['non applicable si', 'not applicable when'],
  evidence: ['preuves attendues', 'preuves', 'preuve attendue', 'evidence'],
  guidance: ['aide', 'aide au remplissage', 'guidance'],
  guidanceEn: ['aide en', 'guidance en'],
  source: ['source', 'texte de reference', 'reference'],
};

const REQUIRED: Field[] = ['id', 'rubrique', 'theme', 'title', 'requirement', 'level'];

/** Lower case, no accents, punctuation as spaces: « Condition d'applicabilité » → condition d applicabilite. */
export function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const slug = (text: string) => normalize(text).replace(/ /g, '-');

// ── values ──────────────────────────────────────────────────────────────────

const LEVELS: Record<string, Criterion['level']> = {
  obligatoire: 'obligatoire',
  mandatory: 'obligatoire',
  o: 'obligatoire',
  optionnel: 'optionnel',
  optional: 'optionnel',
  facultatif: 'optionnel',
  recommande: 'optionnel',
};

const PARTS: Record<string, Criterion['part']> = {
  base: 'base',
  socle: 'base',
  'securite echange': 'securite-echange',
  'securite des echanges': 'securite-echange',
  'securite des echanges de donnees': 'securite-echange',
  'echange de donnees': 'securite-echange',
  finalites: 'finalites',
};

const EVIDENCE: Record<string, EvidenceKind> = {
  document: 'document',
  documents: 'document',
  'piece jointe': 'document',
  url: 'url',
  'adresse web': 'url',
  lien: 'url',
  declaration: 'declaration',
  'declaration sur l honneur': 'declaration',
  ecoscore: 'ecoscore',
  'resultat d ecoscore': 'ecoscore',
  'connection test': 'connection-test',
  'tests d accrochage': 'connection-test',
  'rapport de tests d accrochage': 'connection-test',
  'automated check': 'automated-check',
  'controle automatise': 'automated-check',
};
for (const kind of EVIDENCE_KINDS) EVIDENCE[normalize(kind)] = kind;

/** Several values in one cell: one per line, or separated by « | ». */
const splitLines = (cell: string) =>
  cell
    .split(/\r?\n|\|/)
    .map((part) => part.trim())
    .filter(Boolean);

const isDate = (text: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;

// ── the conversion ──────────────────────────────────────────────────────────

export interface Conversion {
  file: ReferentialFile;
  /** Row of each criterion of `file.criteria`, in order. */
  lines: number[];
  addedThemes: Array<{ rubrique: Rubrique; id: string }>;
}

/** Checks the options of an import against the versions already there. */
export function checkImportOptions(options: ImportOptions, referentials: Referentials): ImportProblem[] {
  const problems: ImportProblem[] = [];
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(options.id)) {
    problems.push({
      message: `identifiant de version invalide « ${options.id} » (minuscules, chiffres, . et -)`,
    });
  } else if (referentials.get(options.id)) {
    problems.push({ message: `la version ${options.id} existe déjà : choisissez un autre identifiant` });
  }
  for (const [name, value] of [
    ['--legal-date', options.legalDate],
    ['--effective-date', options.effectiveDate],
  ] as const) {
    if (!isDate(value))
      problems.push({ message: `${name} doit être une date AAAA-MM-JJ (reçu « ${value} »)` });
  }
  if (options.basedOn && !referentials.get(options.basedOn)) {
    problems.push({ message: `--based-on : version inconnue « ${options.basedOn} »` });
  }
  if (!options.basedOn && referentials.versions.length === 0) {
    problems.push({
      message:
        'aucune version existante dont reprendre les rubriques et le questionnaire : ajoutez-en une au dossier',
    });
  }
  return problems;
}

/**
 * Turns the sheet's rows into a version file. The rubriques, questionnaire, finalités and data categories
 * come from the base version (`--based-on`, else the newest one); the sheet's rows are the version's complete
 * list of criteria, so base criteria the sheet lacks are listed as removed.
 */
export function convertSheet(
  sheet: Sheet,
  options: ImportOptions,
  frame: ReferentialVersion,
): { conversion?: Conversion; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  const headerLine = sheet.headerLine;

  // Columns: each header to its field; unknown headers are ignored (annexes may carry notes).
  const columnOf = new Map<Field, number>();
  sheet.headers.forEach((header, index) => {
    const name = normalize(header);
    if (name === '') return;
    const field = (Object.keys(COLUMN_NAMES) as Field[]).find((f) => COLUMN_NAMES[f].includes(name));
    if (!field) return;
    if (columnOf.has(field)) {
      problems.push({
        line: headerLine,
        column: `${columnLetter(index)} (« ${header} »)`,
        message: `colonne en double : « ${header} » répète la colonne ${columnLetter(columnOf.get(field) as number)}`,
      });
      return;
    }
    columnOf.set(field, index);
  });
  for (const field of REQUIRED) {
    if (!columnOf.has(field)) {
      problems.push({
        line: headerLine,
        message: `colonne obligatoire absente : « ${COLUMN_NAMES[field][0]} » (en-têtes lus : ${sheet.headers.join(', ')})`,
      });
    }
  }
  if (problems.length > 0) return { problems };
  if (sheet.rows.length === 0)
    return { problems: [{ line: headerLine, message: 'aucune ligne de critère' }] };

  const rubriques = structuredClone(frame.rubriques);
  const addedThemes: Conversion['addedThemes'] = [];
  const criteria: Criterion[] = [];
  const lines: number[] = [];
  const firstLineOf = new Map<string, number>();

  for (const row of sheet.rows) {
    const at = (field: Field) => {
      const index = columnOf.get(field);
      return index === undefined ? '' : (row.cells[index] ?? '').trim();
    };
    const where = (field: Field) => {
      const index = columnOf.get(field) as number;
      return `${columnLetter(index)} (« ${sheet.headers[index]} »)`;
    };
    const rowProblems: ImportProblem[] = [];
    const problem = (field: Field, message: string) =>
      rowProblems.push({ line: row.line, column: where(field), message });

    for (const field of REQUIRED) if (at(field) === '') problem(field, 'cellule vide');

    const id = at('id');
    if (id && firstLineOf.has(id))
      problem('id', `identifiant ${id} déjà utilisé ligne ${firstLineOf.get(id)}`);
    if (id.length > 40) problem('id', 'identifiant de plus de 40 caractères');

    const rubriqueCell = at('rubrique');
    const rubrique = rubriqueCell
      ? rubriques.find((r) =>
          [r.id, r.title.fr, r.title.en].some((name) => normalize(name) === normalize(rubriqueCell)),
        )
      : undefined;
    if (rubriqueCell && !rubrique) {
      problem(
        'rubrique',
        `rubrique inconnue « ${rubriqueCell} » (attendu : ${rubriques.map((r) => r.title.fr).join(', ')})`,
      );
    }

    let themeId: string | undefined;
    const themeCell = at('theme');
    if (rubrique && themeCell) {
      const found = rubrique.themes.find((t) =>
        [t.id, t.title.fr, t.title.en].some((name) => normalize(name) === normalize(themeCell)),
      );
      if (found) {
        themeId = found.id;
      } else if (!/^[a-z0-9]/.test(slug(themeCell))) {
        problem('theme', `thème sans lettre ni chiffre « ${themeCell} »`);
      } else {
        // An annex may name a theme the base version does not have: it is added to the rubrique.
        themeId = slug(themeCell);
        const themeEn = at('themeEn');
        rubrique.themes.push({
          id: themeId,
          title: { fr: themeCell, en: themeEn || untranslated(themeCell) },
        });
        addedThemes.push({ rubrique: rubrique.id, id: themeId });
      }
    }

    const partCell = at('part');
    const part = partCell === '' ? 'base' : PARTS[normalize(partCell)];
    if (!part)
      problem('part', `partie inconnue « ${partCell} » (attendu : base, sécurité des échanges, finalités)`);

    const levelCell = at('level');
    const level = LEVELS[normalize(levelCell)];
    if (levelCell && !level)
      problem('level', `niveau inconnu « ${levelCell} » (attendu : Obligatoire ou Optionnel)`);

    const localized = (fr: string, en: string): LocalizedText => ({ fr, en: en || untranslated(fr) });

    let targetLevels: LocalizedText[] | undefined;
    const targets = splitLines(at('targetLevels'));
    if (targets.length > 0) {
      const targetsEn = splitLines(at('targetLevelsEn'));
      if (targetsEn.length > 0 && targetsEn.length !== targets.length) {
        problem(
          'targetLevelsEn',
          `${targetsEn.length} niveau(x) cible(s) en anglais pour ${targets.length} en français`,
        );
      }
      targetLevels = targets.map((fr, i) => localized(fr, targetsEn[i] ?? ''));
    }

    const condition = (field: 'appliesWhen' | 'notApplicableWhen') => {
      const parsed = parseConditionText(at(field), frame.questionnaire);
      if (!parsed.ok) {
        problem(field, `condition invalide : ${parsed.error}`);
        return undefined;
      }
      return parsed.condition;
    };
    const appliesWhen = condition('appliesWhen');
    const notApplicableWhen = condition('notApplicableWhen');
    if (notApplicableWhen && level === 'optionnel') {
      problem(
        'notApplicableWhen',
        'un critère optionnel peut toujours être déclaré non applicable : laissez vide',
      );
    }

    const evidence: EvidenceKind[] = [];
    for (const word of at('evidence')
      .split(/[,;\n|]/)
      .map((w) => w.trim())
      .filter(Boolean)) {
      const kind = EVIDENCE[normalize(word)];
      if (!kind) {
        problem(
          'evidence',
          `preuve inconnue « ${word} » (attendu : document, URL, déclaration, écoscore, tests d’accrochage, contrôle automatisé)`,
        );
      } else if (!evidence.includes(kind)) {
        evidence.push(kind);
      }
    }

    if (id && !firstLineOf.has(id)) firstLineOf.set(id, row.line);
    if (rowProblems.length > 0) {
      problems.push(...rowProblems);
      continue;
    }
    const guidance = at('guidance');
    criteria.push({
      id,
      rubrique: (rubrique as { id: Rubrique }).id,
      theme: themeId as string,
      part: part as Criterion['part'],
      title: localized(at('title'), at('titleEn')),
      requirement: localized(at('requirement'), at('requirementEn')),
      level: level as Criterion['level'],
      ...(targetLevels ? { targetLevels } : {}),
      ...(appliesWhen ? { appliesWhen } : {}),
      ...(notApplicableWhen ? { notApplicableWhen } : {}),
      evidence: evidence.length > 0 ? evidence : ['declaration'],
      guidance: guidance
        ? localized(guidance, at('guidanceEn'))
        : {
            fr: 'Pas d’aide dans l’annexe pour ce critère.',
            en: 'No guidance in the annex for this criterion.',
          },
      source: at('source') || `${options.legalText}, annexe, critère ${id}`,
    });
    lines.push(row.line);
  }
  if (problems.length > 0) return { problems };

  const inSheet = new Set(criteria.map((c) => c.id));
  const file: ReferentialFile = {
    id: options.id,
    title: { fr: options.titleFr, en: options.titleEn || untranslated(options.titleFr) },
    status: options.status,
    legalSource: { text: options.legalText, date: options.legalDate },
    effectiveDate: options.effectiveDate,
  };
  if (options.basedOn) {
    file.basedOn = options.basedOn;
    if (addedThemes.length > 0) file.rubriques = rubriques;
    const removed = frame.criteria.filter((c) => !inSheet.has(c.id)).map((c) => c.id);
    if (removed.length > 0) file.removedCriteria = removed;
  } else {
    file.rubriques = rubriques;
    file.questionnaire = frame.questionnaire;
    file.finalites = frame.finalites;
    file.dataCategories = frame.dataCategories;
  }
  file.criteria = criteria;
  return { conversion: { file, lines, addedThemes }, problems: [] };
}

/** The version file's text: a header comment that says where it comes from, then the YAML. */
export function versionFileText(file: ReferentialFile, options: ImportOptions, today: string): string {
  const header = [
    `# ${file.title.fr} — imported by mesref on ${today} from ${options.sourceName}.`,
    `# Status: ${file.status === 'official' ? 'official annex' : 'demonstration version, not the official annex'}.`,
    `# Legal source: ${file.legalSource.text} (${file.legalSource.date}).`,
    '# Format: docs/referential-format.md.',
  ];
  return `${header.join('\n')}\n${stringify(file, { lineWidth: 0 })}`;
}

/** Reads the version files of a folder as the loader does (for the import's final check). */
export function readSources(dir: string): ReferentialSource[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => ({
      file: relative(process.cwd(), join(dir, name)) || name,
      text: readFileSync(join(dir, name), 'utf8'),
    }));
}

/**
 * The final check: the new file loaded with the others, exactly as mesref will load it at start. A problem
 * in a criterion is reported at that criterion's row.
 */
export function checkWithOthers(
  text: string,
  target: string,
  sources: ReferentialSource[],
  conversion: Conversion,
): ImportProblem[] {
  try {
    parseReferentials([...sources, { file: target, text }]);
    return [];
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    return error.problems.map((problem) => {
      const match = /^\/criteria\/(\d+)/.exec(problem.path);
      const line = match && problem.file === target ? conversion.lines[Number(match[1])] : undefined;
      return line !== undefined
        ? {
            line,
            message: `${problem.path.replace(/^\/criteria\/\d+\/?/, '') || 'critère'} : ${problem.message}`,
          }
        : { message: `${problem.file}:${problem.line} ${problem.path} — ${problem.message}` };
    });
  }
}

/**
 * Writes a new file without ever replacing one: a temporary file in the same folder, flushed, then linked
 * to its name (which fails if the name exists) and removed. Where hard links are not supported, a rename
 * after a last check for the name.
 */
export function writeNewFileAtomically(path: string, text: string): void {
  const temporary = join(path, '..', `.${randomToken(8).replace(/[^A-Za-z0-9]/g, '')}.import.tmp`);
  const fd = openSync(temporary, 'wx', 0o644);
  try {
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temporary, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
      if (existsSync(path)) throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' });
      renameSync(temporary, path);
    }
  } finally {
    if (existsSync(temporary)) unlinkSync(temporary);
  }
}
