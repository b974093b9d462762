/**
 * Citizens' reports on a referenced service (plaintes, « Signaler un problème sur ce service ») and the audits
 * of referenced services (contrôles), as pure rules: the statuses and their moves, who may do what, the checks
 * of what is typed, the limits per citizen, and the findings of an audit. A report must concern the service's
 * non-conformity to the referencing requirements (referencing.md §7.7); it triggers checks, which may lead to
 * an audit and to the sanctions of the file's state machine (suspension, dereferencing).
 */
import type { CatalogueStatus, DossierKind, DossierRole, DossierState } from './model.ts';

// ── categories ──────────────────────────────────────────────────────────────

export interface LocalizedText {
  fr: string;
  en: string;
}

/** What a report is about, from the categories data file (`complaint-categories.yaml`). */
export interface ComplaintCategory {
  code: string;
  label: LocalizedText;
  /** What the category covers, shown under the choice. */
  hint: LocalizedText;
  /** The rubriques of the referential whose requirements the category is about. */
  rubriques: string[];
}

// ── statuses ────────────────────────────────────────────────────────────────

export const complaintStatuses = ['new', 'in_review', 'answered', 'closed'] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];

/** Statuses the instruction still works on: they count against the citizen's open reports on a service. */
export const openComplaintStatuses: readonly ComplaintStatus[] = ['new', 'in_review'];

/** « Prendre en charge », « Répondre », « Clore ». */
export type ComplaintMove = 'take' | 'answer' | 'close';

const complaintMoves: Record<ComplaintMove, { from: ComplaintStatus; to: ComplaintStatus }> = {
  take: { from: 'new', to: 'in_review' },
  answer: { from: 'in_review', to: 'answered' },
  close: { from: 'answered', to: 'closed' },
};

/** The status a move leads to from `status`, or undefined when the move is not allowed there. */
export function nextComplaintStatus(
  status: ComplaintStatus,
  move: ComplaintMove,
): ComplaintStatus | undefined {
  const m = complaintMoves[move];
  return m.from === status ? m.to : undefined;
}

/** The move that leads to `to` (the API names the status wanted). */
export function moveTo(to: ComplaintStatus): ComplaintMove | undefined {
  return (Object.keys(complaintMoves) as ComplaintMove[]).find((m) => complaintMoves[m].to === to);
}

/** The moves possible from a status (the pages' buttons). */
export function complaintMovesFrom(status: ComplaintStatus): ComplaintMove[] {
  return (Object.keys(complaintMoves) as ComplaintMove[]).filter((m) => complaintMoves[m].from === status);
}

/** The queue's order: new first, then in review, answered, closed; oldest first within a status. */
export function queueRank(status: ComplaintStatus): number {
  return complaintStatuses.indexOf(status);
}

// ── who may do what ─────────────────────────────────────────────────────────

/**
 * What a person may do with reports and audits, from their roles: instructors handle them; the commission
 * and deciders read them; a publisher never sees a report (nor who made it), only the audits of its service.
 */
export interface ComplaintRights {
  read: boolean;
  handle: boolean;
}

export function staffRights(roles: readonly DossierRole[]): ComplaintRights {
  const handle = roles.includes('instructeur');
  const read = handle || roles.includes('commission') || roles.includes('decideur');
  return { read, handle };
}

/** Catalogue statuses of a service a citizen may report on: it is or was shown in the catalogue, not withdrawn. */
export const reportableStatuses: readonly CatalogueStatus[] = [
  'EN_LIGNE',
  'PRESERIE',
  'HORS_LIGNE',
  'SUSPENDUE',
];

/** A report concerns a referenced service: a published initial file whose status is one of the above. */
export function mayReportOn(file: {
  kind: DossierKind;
  state: DossierState;
  catalogueStatus: CatalogueStatus | null;
}): boolean {
  return (
    file.kind === 'initial' &&
    file.state === 'published' &&
    file.catalogueStatus !== null &&
    reportableStatuses.includes(file.catalogueStatus)
  );
}

/** An audit is opened on a referenced service that has not been dereferenced. */
export function mayAuditOn(file: {
  kind: DossierKind;
  state: DossierState;
  catalogueStatus: CatalogueStatus | null;
}): boolean {
  return file.kind === 'initial' && file.state === 'published' && file.catalogueStatus !== 'DEREFERENCEE';
}

// ── what is typed ───────────────────────────────────────────────────────────

export const MESSAGE_MIN = 20;
export const MESSAGE_MAX = 5000;
export const ANSWER_MAX = 5000;
export const REASONS_MAX = 5000;
export const SCOPE_MAX = 5000;
export const FINDING_MAX = 2000;
export const CONCLUSION_MAX = 5000;
export const FINDINGS_MAX = 50;

/** Field problems: field → message key. */
export type FieldProblems = Record<string, string>;

function hasControlCharacters(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value);
}

/** A free text, trimmed: required, at most `max` characters (and `min` when given), no control characters. */
export function textProblem(value: string, max: number, min = 1): string | undefined {
  const text = value.trim();
  if (text.length === 0) return 'complaint.field.required';
  if (hasControlCharacters(text)) return 'complaint.field.control_characters';
  if (text.length < min) return 'complaint.field.too_short';
  if (text.length > max) return 'complaint.field.too_long';
  return undefined;
}

/** A citizen's report as typed: a known category and a message of 20 to 5000 characters. */
export function reportProblems(
  input: { category: string; message: string },
  categories: readonly ComplaintCategory[],
): FieldProblems {
  const problems: FieldProblems = {};
  if (!categories.some((c) => c.code === input.category)) problems.category = 'complaint.field.category';
  const message = textProblem(input.message, MESSAGE_MAX, MESSAGE_MIN);
  if (message) problems.message = message;
  return problems;
}

// ── limits per citizen ──────────────────────────────────────────────────────

export interface ReportLimits {
  /** Reports still open (new or in review) by one citizen on one service. */
  openPerService: number;
  /** Reports by one citizen over the last 24 hours, all services. */
  perDay: number;
}

export const defaultReportLimits: ReportLimits = { openPerService: 5, perDay: 20 };

/** The message key when a new report would pass a limit, undefined otherwise. */
export function limitReached(
  counts: { openOnService: number; lastDay: number },
  limits: ReportLimits = defaultReportLimits,
): string | undefined {
  if (counts.openOnService >= limits.openPerService) return 'complaint.error.too_many_open';
  if (counts.lastDay >= limits.perDay) return 'complaint.error.too_many_today';
  return undefined;
}

/** The reference a citizen is given: short enough to read on the telephone, found again by the instruction. */
export function complaintReference(id: string): string {
  return `SIG-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
}

/** The id prefix a reference stands for (lower case hex), or undefined when the text is not a reference. */
export function referencePrefix(text: string): string | undefined {
  const m = /^\s*SIG-([0-9A-F]{8})\s*$/i.exec(text);
  return m ? (m[1] as string).toLowerCase() : undefined;
}

// ── audits ──────────────────────────────────────────────────────────────────

export const auditStatuses = ['open', 'closed'] as const;
export type AuditStatus = (typeof auditStatuses)[number];

/** One finding (constat) of an audit: what is wrong, by when the publisher must correct it, and when it was. */
export interface Finding {
  id: string;
  text: string;
  dueAt: string;
  resolvedAt?: string;
}

export interface FindingInput {
  text: string;
  /** `AAAA-MM-JJ` (the end of that day) or a full timestamp. */
  dueAt: string;
}

/** A date typed as `AAAA-MM-JJ` means the end of that day (UTC); a full timestamp is kept as it is. */
export function dueDateOf(value: string): Date | undefined {
  const s = value.trim();
  const text = /^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T23:59:59.000Z` : s;
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return undefined;
  // Date rolls 30 February over to March: a day that does not exist is refused instead.
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d ? date : undefined;
}

/** A deadline in the future, or the problem's key. */
function dueProblem(value: string, now: Date): string | undefined {
  const due = dueDateOf(value);
  if (!due) return 'complaint.field.date';
  if (due.getTime() <= now.getTime()) return 'complaint.field.due_future';
  return undefined;
}

/** Findings as typed, checked: `findings.2.text` → key. Rows left wholly empty are dropped. */
export function checkFindings(
  input: readonly FindingInput[],
  now: Date,
  prefix = 'findings',
): { ok: true; findings: FindingInput[] } | { ok: false; problems: FieldProblems } {
  const problems: FieldProblems = {};
  const kept: FindingInput[] = [];
  input.forEach((f, i) => {
    if (!f.text.trim() && !f.dueAt.trim()) return;
    const text = textProblem(f.text, FINDING_MAX);
    if (text) problems[`${prefix}.${i}.text`] = text;
    const due = dueProblem(f.dueAt, now);
    if (due) problems[`${prefix}.${i}.dueAt`] = due;
    kept.push({ text: f.text.trim(), dueAt: f.dueAt.trim() });
  });
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, findings: kept };
}

/** The opening of an audit: its scope, its deadline, and the findings already known. */
export function openingProblems(
  input: { scope: string; dueAt: string; findings: readonly FindingInput[] },
  now: Date,
): FieldProblems {
  const problems: FieldProblems = {};
  const scope = textProblem(input.scope, SCOPE_MAX);
  if (scope) problems.scope = scope;
  const due = dueProblem(input.dueAt, now);
  if (due) problems.dueAt = due;
  if (input.findings.length > FINDINGS_MAX) problems.findings = 'complaint.field.too_many_findings';
  else {
    const checked = checkFindings(input.findings, now);
    if (!checked.ok) Object.assign(problems, checked.problems);
  }
  return problems;
}

/** Adds findings to an audit (new ids given by the caller), or the problems. */
export function addFindings(
  current: readonly Finding[],
  added: readonly FindingInput[],
  ids: readonly string[],
  now: Date,
): { ok: true; findings: Finding[] } | { ok: false; problems: FieldProblems } {
  const checked = checkFindings(added, now);
  if (!checked.ok) return checked;
  if (current.length + checked.findings.length > FINDINGS_MAX)
    return { ok: false, problems: { findings: 'complaint.field.too_many_findings' } };
  const findings = [
    ...current,
    ...checked.findings.map((f, i) => ({
      id: ids[i] as string,
      text: f.text,
      dueAt: (dueDateOf(f.dueAt) as Date).toISOString(),
    })),
  ];
  return { ok: true, findings };
}

/** Marks a finding corrected; an unknown or already corrected one is the problem's key. */
export function resolveFinding(
  current: readonly Finding[],
  findingId: string,
  now: Date,
): { ok: true; findings: Finding[] } | { ok: false; key: string } {
  const target = current.find((f) => f.id === findingId);
  if (!target) return { ok: false, key: 'complaint.audit.finding_unknown' };
  if (target.resolvedAt) return { ok: false, key: 'complaint.audit.finding_resolved' };
  return {
    ok: true,
    findings: current.map((f) => (f.id === findingId ? { ...f, resolvedAt: now.toISOString() } : f)),
  };
}

/** Findings not corrected yet. */
export function openFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !f.resolvedAt);
}

/** Findings past their deadline and not corrected: what may call for a sanction. */
export function overdueFindings(findings: readonly Finding[], now: Date): Finding[] {
  return findings.filter((f) => !f.resolvedAt && new Date(f.dueAt).getTime() < now.getTime());
}

/** Closing an audit takes a conclusion; findings still open stay on record (the conclusion says what follows). */
export function closingProblems(conclusion: string): FieldProblems {
  const problem = textProblem(conclusion, CONCLUSION_MAX);
  return problem ? { conclusion: problem } : {};
}

/** Nothing changes on a closed audit. */
export function mayChangeAudit(status: AuditStatus): boolean {
  return status === 'open';
}
