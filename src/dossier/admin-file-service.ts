import { appendAuditEvent } from '../audit/index.ts';
import {
  type Actor,
  authorize,
  getOrganisation,
  type OrganisationRole,
  type OrganisationView,
} from '../identity/index.ts';
import type { Notifier } from '../notification/index.ts';
import type { Config } from '../platform/config.ts';
import { sha256 } from '../platform/crypto.ts';
import type { Db } from '../platform/db/index.ts';
import { AppError, forbidden, notFound, validationFailed } from '../platform/errors.ts';
import {
  type AdminFile,
  type AdminFileMove,
  type AdminFileStatus,
  AGREEMENT_MEDIA_TYPE,
  agreementFileName,
  agreementProblem,
  type ContactInput,
  checkContacts,
  emptyAdminFile,
  nextStatus,
  type OrganisationIdentity,
  reasonProblem,
  submissionProblems,
} from './admin-file.ts';
import * as store from './admin-file-store.ts';

export interface AdminFileDeps {
  db: Db;
  config: Pick<Config, 'evidenceMaxBytes'>;
  /** The notification module's entry (`ctx.notifier`), called in the change's transaction. */
  notifier?: Notifier;
}

/**
 * A change based on a version of the file that is no longer the current one. It carries the current file so
 * the person (or program) sees the colleague's change before deciding again.
 */
export class AdminFileConflict extends AppError {
  readonly current: AdminFile;
  constructor(current: AdminFile) {
    super('conflict', 409, 'dossier.admin_file.conflict', { version: current.rowVersion });
    this.current = current;
  }
}

export const publisherPageOf = (organisationId: string) =>
  `/editeur/organisations/${organisationId}/dossier-administratif`;
export const instructionPageOf = (organisationId: string) =>
  `/instruction/dossiers-administratifs/${organisationId}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ── who may do what ─────────────────────────────────────────────────────────

/** How the person reaches the file: as a member of its organisation, or as staff (who read it). */
type Access =
  | { kind: 'member'; role: OrganisationRole; accountId: string }
  | { kind: 'staff'; accountId: string };

/** A member (within the organisation of its API token), or staff; anyone else does not see the file (404). */
function accessOf(actor: Actor, organisationId: string): Access {
  if (!UUID.test(organisationId)) throw notFound();
  if (actor.kind === 'anonymous') throw new AppError('unauthenticated', 401, 'error.unauthenticated');
  if (actor.kind !== 'account') throw notFound();
  const bounded = !actor.apiTokenOrganisationId || actor.apiTokenOrganisationId === organisationId;
  const membership = bounded ? actor.memberships.find((m) => m.organisationId === organisationId) : undefined;
  if (membership) return { kind: 'member', role: membership.role, accountId: actor.accountId };
  if (authorize(actor, 'dossier.staff').allowed) return { kind: 'staff', accountId: actor.accountId };
  throw notFound();
}

function memberAccess(actor: Actor, organisationId: string): Extract<Access, { kind: 'member' }> {
  const access = accessOf(actor, organisationId);
  if (access.kind !== 'member') throw forbidden();
  return access;
}

/** Those who commit the organisation submit its file: its mandataire and its representant. */
const maySubmit = (role: OrganisationRole) => role === 'mandataire' || role === 'representant';

const isInstructor = (actor: Actor) =>
  actor.kind === 'account' &&
  actor.staffRoles.includes('instructeur') &&
  authorize(actor, 'dossier.staff').allowed;

function instructorAccess(actor: Actor, organisationId: string): Extract<Access, { kind: 'staff' }> {
  const access = accessOf(actor, organisationId);
  if (access.kind !== 'staff' || !isInstructor(actor)) throw forbidden('dossier.admin_file.instructor_only');
  return access;
}

/** The organisation as the identity module shows it to this person. */
function organisationFor(db: Db, actor: Actor, organisationId: string): Promise<OrganisationView> {
  // getOrganisation reads the database only: the identity deps' limiter is not used there.
  const identity = { db } as unknown as Parameters<typeof getOrganisation>[0];
  return getOrganisation(identity, actor, organisationId);
}

const identityOf = (o: OrganisationView): OrganisationIdentity => ({
  legalName: o.legalName,
  siren: o.siren,
  address: o.address,
  legalRepresentative: o.legalRepresentative,
});

async function activeOrganisation(db: Db, actor: Actor, organisationId: string): Promise<OrganisationView> {
  const organisation = await organisationFor(db, actor, organisationId);
  if (organisation.status !== 'active')
    throw new AppError('organisation_suspended', 409, 'dossier.admin_file.organisation_suspended');
  return organisation;
}

// ── reading ─────────────────────────────────────────────────────────────────

/** What the person may do with the file now (for the pages' buttons; the writes check again). */
export interface AdminFileRights {
  edit: boolean;
  submit: boolean;
  reopen: boolean;
  review: boolean;
}

export interface AdminFileView {
  file: AdminFile;
  /** The organisation's identity as it stands (the file keeps the one of its last submission). */
  organisation: OrganisationView;
  rights: AdminFileRights;
  /** Members may submit only as mandataire or representant: said on the page. */
  viewer: 'member' | 'staff';
}

async function currentFile(db: Db, organisationId: string): Promise<AdminFile> {
  return (await store.findAdminFile(db, organisationId)) ?? emptyAdminFile(organisationId);
}

/** An organisation's file for its members and staff; an empty draft (version 0) before its first save. */
export async function getAdminFile(
  deps: AdminFileDeps,
  actor: Actor,
  organisationId: string,
): Promise<AdminFileView> {
  const access = accessOf(actor, organisationId);
  const organisation = await organisationFor(deps.db, actor, organisationId);
  const file = await currentFile(deps.db, organisationId);
  const active = organisation.status === 'active';
  const member = access.kind === 'member';
  return {
    file,
    organisation,
    viewer: access.kind,
    rights: {
      edit: member && active && nextStatus(file.status, 'save') !== undefined,
      submit: member && active && maySubmit(access.role) && nextStatus(file.status, 'submit') !== undefined,
      reopen: member && active && nextStatus(file.status, 'reopen') !== undefined,
      review: !member && isInstructor(actor) && file.status === 'submitted',
    },
  };
}

/** The signed agreement's bytes, for the organisation's members and staff. */
export async function agreementFile(
  deps: AdminFileDeps,
  actor: Actor,
  organisationId: string,
): Promise<{ name: string; mediaType: string; sha256: string; content: Buffer }> {
  accessOf(actor, organisationId);
  const found = await store.agreementContent(deps.db, organisationId);
  if (!found) throw notFound();
  return found;
}

export interface AdminFileListItem {
  file: AdminFile;
  /** The identity submitted, or the current one for a file never submitted. */
  organisation: OrganisationIdentity;
}

/** Every file for the instruction: submitted ones first (oldest first), then the others. Staff only. */
export async function listAdminFilesForInstruction(
  deps: AdminFileDeps,
  actor: Actor,
): Promise<AdminFileListItem[]> {
  if (actor.kind !== 'account' || !authorize(actor, 'dossier.staff').allowed) throw forbidden();
  const files = await store.listAdminFiles(deps.db);
  const items: AdminFileListItem[] = [];
  for (const file of files) {
    const organisation =
      file.identity ?? identityOf(await organisationFor(deps.db, actor, file.organisationId));
    items.push({ file, organisation });
  }
  return items;
}

/** Whether the organisation's administrative file is validated: the guard of a referencing request. */
export async function isAdminFileValidated(db: Db, organisationId: string): Promise<boolean> {
  if (!UUID.test(organisationId)) return false;
  return (await store.adminFileStatus(db, organisationId)) === 'validated';
}

// ── writing ─────────────────────────────────────────────────────────────────

const statusProblems: Record<AdminFileMove, string> = {
  save: 'dossier.admin_file.locked',
  submit: 'dossier.admin_file.cannot_submit',
  reopen: 'dossier.admin_file.cannot_reopen',
  validate: 'dossier.admin_file.cannot_review',
  reject: 'dossier.admin_file.cannot_review',
};

/**
 * One change of the file in one transaction: the row lock, the version the change was based on (stale:
 * AdminFileConflict, nothing written), the status move, the write that bumps the version, then the audit
 * event and the notifications of the change.
 */
async function change(
  deps: AdminFileDeps,
  organisationId: string,
  rowVersion: number,
  move: AdminFileMove,
  apply: (trx: Db, current: AdminFile, status: AdminFileStatus) => Promise<store.AdminFileChanges>,
  after: (trx: Db, before: AdminFile, written: store.AdminFileChanges) => Promise<void>,
): Promise<AdminFile> {
  await deps.db.transaction().execute(async (trx) => {
    const current = (await store.lockAdminFile(trx, organisationId)) ?? emptyAdminFile(organisationId);
    if (current.rowVersion !== rowVersion) throw new AdminFileConflict(current);
    const status = nextStatus(current.status, move);
    if (!status)
      throw new AppError('admin_file_status', 409, statusProblems[move], { status: current.status });
    const changes = await apply(trx, current, status);
    if (!(await store.writeAdminFile(trx, organisationId, rowVersion, { ...changes, status }))) {
      throw new AdminFileConflict(await currentFile(trx, organisationId));
    }
    await after(trx, current, { ...changes, status });
  });
  return currentFile(deps.db, organisationId);
}

async function audit(
  trx: Db,
  actor: Actor,
  action: string,
  organisationId: string,
  data: Record<string, unknown>,
): Promise<void> {
  await appendAuditEvent(trx, {
    actorType: actor.kind === 'account' ? 'account' : 'system',
    actorId: actor.kind === 'account' ? actor.accountId : null,
    action,
    subjectType: 'organisation',
    subjectId: organisationId,
    data,
  });
}

const versions = (before: AdminFile) => ({
  fromVersion: before.rowVersion,
  toVersion: before.rowVersion + 1,
});

/**
 * Replaces the contacts (any member, on a draft or rejected file; a rejected file goes back to draft).
 * `rowVersion` is the version the change was based on (0 for a file never saved).
 */
export async function saveContacts(
  deps: AdminFileDeps,
  actor: Actor,
  organisationId: string,
  rowVersion: number,
  contacts: readonly ContactInput[],
): Promise<AdminFile> {
  memberAccess(actor, organisationId);
  await activeOrganisation(deps.db, actor, organisationId);
  const checked = checkContacts(contacts);
  if (!checked.ok) throw validationFailed(checked.problems);
  return change(
    deps,
    organisationId,
    rowVersion,
    'save',
    async () => ({ contacts: checked.contacts }),
    (trx, before, written) =>
      audit(trx, actor, 'admin_file.saved', organisationId, {
        ...versions(before),
        statusBefore: before.status,
        status: written.status,
        // Roles only: the audit log is permanent, the contacts' names and addresses are not kept in it.
        contactRoles: checked.contacts.map((c) => c.role),
      }),
  );
}

/** Sets the signed agreement (PDF, known by its bytes; at most `evidenceMaxBytes`), replacing the one before. */
export async function uploadAgreement(
  deps: AdminFileDeps,
  actor: Actor,
  organisationId: string,
  rowVersion: number,
  upload: { fileName: string; bytes: Buffer },
): Promise<AdminFile> {
  memberAccess(actor, organisationId);
  await activeOrganisation(deps.db, actor, organisationId);
  const max = deps.config.evidenceMaxBytes;
  const problem = agreementProblem(upload.bytes, max);
  if (problem === 'dossier.admin_file.agreement.too_large')
    throw new AppError(
      'payload_too_large',
      413,
      problem,
      { max: Math.floor(max / 1024) },
      { agreement: problem },
    );
  if (problem) throw validationFailed({ agreement: problem });
  const agreement = {
    name: agreementFileName(upload.fileName),
    mediaType: AGREEMENT_MEDIA_TYPE,
    size: upload.bytes.length,
    sha256: sha256(upload.bytes),
    content: upload.bytes,
  };
  return change(
    deps,
    organisationId,
    rowVersion,
    'save',
    async () => ({ agreement }),
    (trx, before, written) =>
      audit(trx, actor, 'admin_file.agreement_uploaded', organisationId, {
        ...versions(before),
        statusBefore: before.status,
        status: written.status,
        name: agreement.name,
        size: agreement.size,
        sha256: agreement.sha256,
        ...(before.agreement ? { replaced: before.agreement.sha256 } : {}),
      }),
  );
}

/**
 * Submits the file for validation (the mandataire or representant): it needs an administrative and a technical
 * contact and the agreement. The organisation's identity is copied into the file as it stands; instructors
 * are notified.
 */
export async function submitAdminFile(
  deps: AdminFileDeps,
  actor: Actor,
  organisationId: string,
  rowVersion: number,
): Promise<AdminFile> {
  const access = memberAccess(actor, organisationId);
  if (!maySubmit(access.role)) throw forbidden('dossier.admin_file.submit_forbidden');
  const organisation = await activeOrganisation(deps.db, actor, organisationId);
  const identity = identityOf(organisation);
  return change(
    deps,
    organisationId,
    rowVersion,
    'submit',
    async (_trx, current) => {
      const problems = submissionProblems(current);
      if (Object.keys(problems).length > 0) throw validationFailed(problems, 'dossier.admin_file.incomplete');
      return { identity, submittedAt: new Date(), reviewReason: null, reviewedBy: null, reviewedAt: null };
    },
    async (trx, before) => {
      await audit(trx, actor, 'admin_file.submitted', organisationId, {
        ...versions(before),
        contactRoles: before.contacts.map((c) => c.role),
        agreementSha256: before.agreement?.sha256 ?? null,
        identity,
      });
      await deps.notifier?.notify(trx, {
        recipients: [{ staffRole: 'instructeur' }],
        kind: 'dossier.notify.admin_file_submitted',
        params: { organisation: identity.legalName },
        link: instructionPageOf(organisationId),
      });
    },
  );
}

/**
 * « Modifier »: a submitted or validated file back to draft, to be changed and validated again (any member).
 * Until then the organisation cannot file a referencing request.
 */
export async function reopenAdminFile(
  deps: AdminFileDeps,
  actor: Actor,
  organisationId: string,
  rowVersion: number,
): Promise<AdminFile> {
  memberAccess(actor, organisationId);
  await activeOrganisation(deps.db, actor, organisationId);
  return change(
    deps,
    organisationId,
    rowVersion,
    'reopen',
    async () => ({ reviewReason: null }),
    (trx, before) =>
      audit(trx, actor, 'admin_file.reopened', organisationId, {
        ...versions(before),
        statusBefore: before.status,
      }),
  );
}

/** An instructor validates a submitted file; the organisation's members are notified. */
export async function validateAdminFile(
  deps: AdminFileDeps,
  actor: Actor,
  organisationId: string,
  rowVersion: number,
): Promise<AdminFile> {
  const access = instructorAccess(actor, organisationId);
  return change(
    deps,
    organisationId,
    rowVersion,
    'validate',
    async () => ({ reviewReason: null, reviewedBy: access.accountId, reviewedAt: new Date() }),
    async (trx, before) => {
      await audit(trx, actor, 'admin_file.validated', organisationId, versions(before));
      await deps.notifier?.notify(trx, {
        recipients: [{ organisationId }],
        kind: 'dossier.notify.admin_file_validated',
        params: { organisation: before.identity?.legalName ?? '' },
        link: publisherPageOf(organisationId),
      });
    },
  );
}

/** An instructor refuses a submitted file, with the reason the publisher reads; its members are notified. */
export async function rejectAdminFile(
  deps: AdminFileDeps,
  actor: Actor,
  organisationId: string,
  rowVersion: number,
  reason: string,
): Promise<AdminFile> {
  const access = instructorAccess(actor, organisationId);
  const problem = reasonProblem(reason);
  if (problem) throw validationFailed({ reason: problem });
  const text = reason.trim();
  return change(
    deps,
    organisationId,
    rowVersion,
    'reject',
    async () => ({ reviewReason: text, reviewedBy: access.accountId, reviewedAt: new Date() }),
    async (trx, before) => {
      await audit(trx, actor, 'admin_file.rejected', organisationId, { ...versions(before), reason: text });
      await deps.notifier?.notify(trx, {
        recipients: [{ organisationId }],
        kind: 'dossier.notify.admin_file_rejected',
        params: { organisation: before.identity?.legalName ?? '', reason: text },
        link: publisherPageOf(organisationId),
      });
    },
  );
}

// ── demo data ───────────────────────────────────────────────────────────────

/** A one-page PDF (PDF 1.4, Helvetica) with these lines of ASCII text: the demo's signed agreement. */
export function demoPdf(lines: string[]): Buffer {
  const pdfText = (s: string) => s.replace(/[^\x20-\x7e]/g, '?').replace(/([\\()])/g, '\\$1');
  const text = lines
    .map((line, i) => `BT /F1 12 Tf 72 ${770 - i * 20} Td (${pdfText(line)}) Tj ET`)
    .join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/**
 * The sandbox's demo: an administrative file with its contacts and a small signed agreement, in the status
 * asked for. Does nothing when the organisation already has one.
 */
export async function seedDemoAdminFile(
  db: Db,
  organisationId: string,
  status: 'validated' | 'submitted' | 'draft',
): Promise<void> {
  if (await store.findAdminFile(db, organisationId)) return;
  // The organisation's identity, read as one of its members would read it.
  const reader: Actor = {
    kind: 'account',
    accountId: '00000000-0000-4000-8000-000000000000',
    email: 'seed@demo.mesref.test',
    displayName: 'seed',
    staffRoles: [],
    memberships: [{ organisationId, role: 'mandataire' }],
    secondFactorOk: true,
    totpEnabled: false,
  };
  const organisation = await organisationFor(db, reader, organisationId);
  const content = demoPdf([
    'Convention GIE SESAM-Vitale (demonstration)',
    organisation.legalName,
    `SIREN ${organisation.siren}`,
    'Document fictif du bac a sable mesref.',
  ]);
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    await store.writeAdminFile(trx, organisationId, 0, {
      contacts: [
        {
          role: 'administratif',
          name: 'Claire Martin',
          email: 'administratif@demo.mesref.test',
          phone: '01 23 45 67 89',
        },
        { role: 'technique', name: 'Hugo Bernard', email: 'technique@demo.mesref.test', phone: '' },
        { role: 'dpo', name: 'Inès Petit', email: 'dpo@demo.mesref.test', phone: '' },
      ],
      agreement: {
        name: 'convention-gie-sesam-vitale.pdf',
        mediaType: AGREEMENT_MEDIA_TYPE,
        size: content.length,
        sha256: sha256(content),
        content,
      },
      status,
      ...(status === 'draft' ? {} : { identity: identityOf(organisation), submittedAt: now }),
      ...(status === 'validated' ? { reviewedAt: now } : {}),
    });
    await audit(trx, { kind: 'anonymous' }, 'admin_file.saved', organisationId, { demo: true, status });
  });
}
