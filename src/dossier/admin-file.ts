/**
 * The publisher's administrative file (dossier administratif) as pure rules: its contacts and their checks,
 * the signed agreement with the GIE SESAM-Vitale (« Agreement », a PDF), what a submission needs, and the
 * moves between its statuses. The GIE validates the file before the criteria assessment: an organisation
 * files referencing requests only once its administrative file is validated.
 */

// ── contacts ────────────────────────────────────────────────────────────────

/** Who a contact is for the instruction: administrative, technical, data-protection officer, user support. */
export const contactRoles = ['administratif', 'technique', 'dpo', 'support'] as const;
export type ContactRole = (typeof contactRoles)[number];

/** Roles a file cannot be submitted without. */
export const requiredContactRoles: readonly ContactRole[] = ['administratif', 'technique'];

/** How many contacts a file holds at most (the page's form has this many rows). */
export const MAX_CONTACTS = 6;
export const MAX_NAME_LENGTH = 200;
export const MAX_REASON_LENGTH = 2000;

export interface Contact {
  role: ContactRole;
  name: string;
  email: string;
  /** Optional; when given, a plausible telephone number. */
  phone: string;
}

/** A contact as typed: any text, checked by `checkContacts`. */
export interface ContactInput {
  role: string;
  name: string;
  email: string;
  phone: string;
}

/** Field problems: field path (`contacts.0.email`, `agreement`) → message key. */
export type FieldProblems = Record<string, string>;

export const isContactRole = (value: string): value is ContactRole =>
  (contactRoles as readonly string[]).includes(value);

function hasControlCharacters(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is looked for
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value);
}

/** One @, something either side, a dot in the domain, no spaces. */
export function isPlausibleEmail(value: string): boolean {
  return value.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && !hasControlCharacters(value);
}

/**
 * A telephone number as people write it: digits with spaces, dots, dashes or brackets, an optional leading
 * « + »; from 8 to 15 digits (E.164 allows 15, a French number has 10).
 */
export function isPlausiblePhone(value: string): boolean {
  if (!/^\+?[0-9 .()-]+$/.test(value)) return false;
  const digits = value.replace(/\D/g, '').length;
  return digits >= 8 && digits <= 15;
}

const blank = (c: ContactInput) => !c.role.trim() && !c.name.trim() && !c.email.trim() && !c.phone.trim();

/**
 * The contacts as they will be stored: text trimmed, rows left wholly empty dropped (a form has a fixed number
 * of rows), or the problems of each field, named by the row's position in the input (`contacts.2.email`).
 */
export function checkContacts(
  input: readonly ContactInput[],
): { ok: true; contacts: Contact[] } | { ok: false; problems: FieldProblems } {
  const problems: FieldProblems = {};
  const contacts: Contact[] = [];
  input.forEach((typed, i) => {
    const c = {
      role: typed.role.trim(),
      name: typed.name.trim(),
      email: typed.email.trim(),
      phone: typed.phone.trim(),
    };
    if (blank(c)) return;
    const at = `contacts.${i}`;
    if (!isContactRole(c.role)) problems[`${at}.role`] = 'dossier.admin_file.contact.role_invalid';
    if (!c.name) problems[`${at}.name`] = 'dossier.admin_file.contact.required';
    else if (c.name.length > MAX_NAME_LENGTH || hasControlCharacters(c.name))
      problems[`${at}.name`] = 'dossier.admin_file.contact.name_invalid';
    if (!c.email) problems[`${at}.email`] = 'dossier.admin_file.contact.required';
    else if (!isPlausibleEmail(c.email)) problems[`${at}.email`] = 'dossier.admin_file.contact.email_invalid';
    if (c.phone && !isPlausiblePhone(c.phone))
      problems[`${at}.phone`] = 'dossier.admin_file.contact.phone_invalid';
    contacts.push(c as Contact);
  });
  if (contacts.length > MAX_CONTACTS) problems.contacts = 'dossier.admin_file.contacts_too_many';
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, contacts };
}

// ── the agreement (a PDF) ───────────────────────────────────────────────────

export const AGREEMENT_MEDIA_TYPE = 'application/pdf';

/** A PDF is known by its first bytes, whatever name or type the upload claimed. */
export function isPdf(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}

/** The message key of what is wrong with an uploaded agreement, if anything. */
export function agreementProblem(bytes: Uint8Array, maxBytes: number): string | undefined {
  if (bytes.length === 0) return 'dossier.admin_file.agreement.missing';
  if (bytes.length > maxBytes) return 'dossier.admin_file.agreement.too_large';
  if (!isPdf(bytes)) return 'dossier.admin_file.agreement.not_pdf';
  return undefined;
}

/** A file name safe to store and to send back in a Content-Disposition: no path, no control character. */
export function agreementFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = [...base]
    .filter((ch) => ch !== '"' && !hasControlCharacters(ch) && ch !== '\n' && ch !== '\t' && ch !== '\r')
    .join('')
    .trim()
    .slice(0, 200);
  if (!clean) return 'convention.pdf';
  return /\.pdf$/i.test(clean) ? clean : `${clean}.pdf`;
}

// ── statuses ────────────────────────────────────────────────────────────────

export const adminFileStatuses = ['draft', 'submitted', 'validated', 'rejected'] as const;
export type AdminFileStatus = (typeof adminFileStatuses)[number];

/** What can happen to a file. `save` is any change of its contacts or agreement. */
export type AdminFileMove = 'save' | 'submit' | 'reopen' | 'validate' | 'reject';

/**
 * The status a move leads to from a status, or undefined when the move is not possible there. A draft or
 * rejected file is edited (a rejected one edited goes back to draft); a submitted or validated one is read-only
 * until « Modifier » reopens it as a draft, which then needs a new validation.
 */
export function nextStatus(status: AdminFileStatus, move: AdminFileMove): AdminFileStatus | undefined {
  switch (move) {
    case 'save':
      return status === 'draft' || status === 'rejected' ? 'draft' : undefined;
    case 'submit':
      return status === 'draft' || status === 'rejected' ? 'submitted' : undefined;
    case 'reopen':
      return status === 'submitted' || status === 'validated' ? 'draft' : undefined;
    case 'validate':
      return status === 'submitted' ? 'validated' : undefined;
    case 'reject':
      return status === 'submitted' ? 'rejected' : undefined;
  }
}

export const isEditable = (status: AdminFileStatus) => nextStatus(status, 'save') !== undefined;

// ── the file ────────────────────────────────────────────────────────────────

/** The organisation's identity, as the identity module holds it (and as it was at submission). */
export interface OrganisationIdentity {
  legalName: string;
  siren: string;
  address: string;
  legalRepresentative: string;
}

export interface AgreementInfo {
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
}

export interface AdminFile {
  organisationId: string;
  /** False until something is first saved: the file is then an empty draft of version 0. */
  stored: boolean;
  contacts: Contact[];
  /** The identity snapshot taken at the last submission. */
  identity: OrganisationIdentity | null;
  agreement: AgreementInfo | null;
  status: AdminFileStatus;
  /** The instructor's reason of the last refusal (kept while the publisher corrects the file). */
  reviewReason: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  submittedAt: Date | null;
  rowVersion: number;
  createdAt: Date | null;
  updatedAt: Date | null;
}

/** The file of an organisation that has saved nothing yet. */
export function emptyAdminFile(organisationId: string): AdminFile {
  return {
    organisationId,
    stored: false,
    contacts: [],
    identity: null,
    agreement: null,
    status: 'draft',
    reviewReason: null,
    reviewedBy: null,
    reviewedAt: null,
    submittedAt: null,
    rowVersion: 0,
    createdAt: null,
    updatedAt: null,
  };
}

/** What a file lacks to be submitted: the required contact roles and the agreement. */
export function submissionProblems(file: Pick<AdminFile, 'contacts' | 'agreement'>): FieldProblems {
  const problems: FieldProblems = {};
  const present = new Set(file.contacts.map((c) => c.role));
  for (const role of requiredContactRoles)
    if (!present.has(role)) problems[`contacts.${role}`] = `dossier.admin_file.missing_contact.${role}`;
  if (!file.agreement) problems.agreement = 'dossier.admin_file.agreement.required';
  return problems;
}

/** The message key of what is wrong with an instructor's refusal reason, if anything. */
export function reasonProblem(reason: string): string | undefined {
  const text = reason.trim();
  if (!text) return 'dossier.admin_file.reason.required';
  if (text.length > MAX_REASON_LENGTH) return 'dossier.admin_file.reason.too_long';
  return undefined;
}
