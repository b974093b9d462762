import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import {
  Alert,
  Csrf,
  FieldMessages,
  FormError,
  type PageError,
  pageErrorOf as pageError,
  TableFrame,
} from '../web/components.tsx';
import { formatDate as formatPageDate } from '../web/dates.ts';
import { type FormBody as Body, lastValue as last } from '../web/forms.ts';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import {
  type AdminFile,
  type AdminFileStatus,
  type ContactInput,
  contactRoles,
  type FieldProblems,
  MAX_CONTACTS,
  nextStatus,
  type OrganisationIdentity,
  submissionProblems,
} from './admin-file.ts';
import * as service from './admin-file-service.ts';
import {
  AdminFileConflict,
  type AdminFileDeps,
  type AdminFileView,
  instructionPageOf,
  publisherPageOf,
} from './admin-file-service.ts';

export const INSTRUCTION_LIST = '/instruction/dossiers-administratifs';

// ── reading forms ───────────────────────────────────────────────────────────

/** A text field of a form (urlencoded or multipart read as key/values). */
export function textField(body: unknown, name: string): string {
  const value = last((body as Body)?.[name]);
  return typeof value === 'string' ? value : '';
}

/** An uploaded file, as the multipart reader of the admin-file plugin leaves it in the body. */
export interface Upload {
  fileName: string;
  bytes: Buffer;
  truncated: boolean;
}

export function uploadField(body: unknown): Upload | undefined {
  const value = last((body as Body)?.file) as Partial<Upload> | undefined;
  // Only the multipart reader makes a Buffer: a JSON or urlencoded body cannot pass for an upload.
  if (!value || typeof value !== 'object' || !Buffer.isBuffer(value.bytes)) return undefined;
  return { fileName: String(value.fileName ?? ''), bytes: value.bytes, truncated: value.truncated === true };
}

/**
 * The version a form was read at. A form without one was not ours: it is refused before anything is decided
 * (as the JSON API's schema refuses a body without `rowVersion`).
 */
function formVersion(body: unknown): number {
  const text = textField(body, 'rowVersion');
  const value = Number(text);
  if (!/^\d{1,9}$/.test(text) || !Number.isSafeInteger(value))
    throw new AppError('bad_request', 400, 'dossier.admin_file.form_version');
  return value;
}

/** The contact rows as typed. */
function formContacts(body: unknown): ContactInput[] {
  return Array.from({ length: MAX_CONTACTS }, (_, i) => ({
    role: textField(body, `contact_${i}_role`),
    name: textField(body, `contact_${i}_name`),
    email: textField(body, `contact_${i}_email`),
    phone: textField(body, `contact_${i}_phone`),
  }));
}

// ── components ──────────────────────────────────────────────────────────────

function formatDate(ctx: PageContext, date: Date | null): string {
  return formatPageDate(ctx.locale, date);
}

const badgeKinds: Record<AdminFileStatus, string> = {
  draft: 'info',
  submitted: 'new',
  validated: 'success',
  rejected: 'error',
};

export function StatusBadge({ ctx, status }: { ctx: PageContext; status: AdminFileStatus }) {
  return (
    <span class={`fr-badge fr-badge--sm fr-badge--${badgeKinds[status]}`}>
      {ctx.t(`dossier.admin_file.status.${status}`)}
    </span>
  );
}

/** Where each reported field is on the page, and its label: for the links of the error summary. */
function fieldTarget(ctx: PageContext, field: string): [string, string] {
  const { t } = ctx;
  const row = /^contacts\.(\d+)\.(role|name|email|phone)$/.exec(field);
  if (row) {
    const n = Number(row[1]);
    return [
      `${t('dossier.admin_file.contact.legend', { n: n + 1 })} — ${t(`dossier.admin_file.contact.${row[2]}`)}`,
      `f-contact-${n}-${row[2]}`,
    ];
  }
  if (field.startsWith('contacts')) return [t('dossier.admin_file.contacts.title'), 'f-contact-0-role'];
  if (field === 'agreement') return [t('dossier.admin_file.agreement.title'), 'f-agreement'];
  if (field === 'reason') return [t('dossier.admin_file.review.reason'), 'f-reason'];
  return [field, ''];
}

function IdentityList({ ctx, identity }: { ctx: PageContext; identity: OrganisationIdentity }) {
  const { t } = ctx;
  const rows: Array<[string, string]> = [
    [t('dossier.admin_file.identity.legal_name'), identity.legalName],
    [t('dossier.admin_file.identity.siren'), identity.siren],
    [t('dossier.admin_file.identity.address'), identity.address],
    [t('dossier.admin_file.identity.legal_representative'), identity.legalRepresentative],
  ];
  return (
    <dl>
      {rows.map(([label, value]) => (
        <div key={label} class="fr-mb-1w">
          <dt class="fr-text--bold">{label}</dt>
          <dd>{value || '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

function ContactsTable({
  ctx,
  contacts,
  caption,
}: {
  ctx: PageContext;
  contacts: ContactInput[];
  caption: string;
}) {
  const { t } = ctx;
  if (contacts.length === 0) return <p>{t('dossier.admin_file.contacts.none')}</p>;
  return (
    <TableFrame caption={caption}>
      <thead>
        <tr>
          <th scope="col">{t('dossier.admin_file.contact.role')}</th>
          <th scope="col">{t('dossier.admin_file.contact.name')}</th>
          <th scope="col">{t('dossier.admin_file.contact.email')}</th>
          <th scope="col">{t('dossier.admin_file.contact.phone')}</th>
        </tr>
      </thead>
      <tbody>
        {contacts.map((c, i) => (
          <tr key={i}>
            <td>
              {contactRoles.includes(c.role as never) ? t(`dossier.admin_file.role.${c.role}`) : c.role}
            </td>
            <td>{c.name}</td>
            <td>{c.email}</td>
            <td>{c.phone || '—'}</td>
          </tr>
        ))}
      </tbody>
    </TableFrame>
  );
}

function ContactsForm({
  ctx,
  action,
  rowVersion,
  values,
  errors = {},
}: {
  ctx: PageContext;
  action: string;
  rowVersion: number;
  values: ContactInput[];
  errors?: FieldProblems;
}) {
  const { t } = ctx;
  const rows = Array.from(
    { length: MAX_CONTACTS },
    (_, i) => values[i] ?? { role: '', name: '', email: '', phone: '' },
  );
  const input = (
    i: number,
    field: 'name' | 'email' | 'phone',
    value: string,
    type: string,
    autocomplete: string,
  ) => {
    const id = `f-contact-${i}-${field}`;
    const error = errors[`contacts.${i}.${field}`];
    return (
      <div class={`fr-fieldset__element fr-input-group${error ? ' fr-input-group--error' : ''}`}>
        <label class="fr-label" for={id}>
          {t(`dossier.admin_file.contact.${field}`)}
          {field === 'phone' ? (
            <span class="fr-hint-text">{t('dossier.admin_file.contact.phone_hint')}</span>
          ) : null}
        </label>
        <input
          class="fr-input"
          type={type}
          id={id}
          name={`contact_${i}_${field}`}
          value={value}
          autocomplete={autocomplete}
          aria-describedby={`${id}-messages`}
          aria-invalid={error ? 'true' : undefined}
        />
        <FieldMessages ctx={ctx} id={id} error={error} />
      </div>
    );
  };
  return (
    <form method="post" action={action} id="formulaire-contacts" novalidate>
      <Csrf ctx={ctx} />
      <input type="hidden" name="rowVersion" value={String(rowVersion)} />
      <p class="fr-hint-text">{t('dossier.admin_file.contacts.hint', { max: MAX_CONTACTS })}</p>
      {rows.map((c, i) => {
        const roleId = `f-contact-${i}-role`;
        const roleError = errors[`contacts.${i}.role`];
        return (
          <fieldset
            class="fr-fieldset"
            id={`f-contact-${i}`}
            aria-labelledby={`f-contact-${i}-legend`}
            key={i}
          >
            <legend class="fr-fieldset__legend" id={`f-contact-${i}-legend`}>
              {t('dossier.admin_file.contact.legend', { n: i + 1 })}
            </legend>
            <div class={`fr-fieldset__element fr-select-group${roleError ? ' fr-select-group--error' : ''}`}>
              <label class="fr-label" for={roleId}>
                {t('dossier.admin_file.contact.role')}
              </label>
              <select
                class="fr-select"
                id={roleId}
                name={`contact_${i}_role`}
                aria-describedby={`${roleId}-messages`}
                aria-invalid={roleError ? 'true' : undefined}
              >
                <option value="" selected={c.role === ''}>
                  {t('dossier.admin_file.contact.role_none')}
                </option>
                {contactRoles.map((role) => (
                  <option value={role} selected={c.role === role} key={role}>
                    {t(`dossier.admin_file.role.${role}`)}
                  </option>
                ))}
              </select>
              <FieldMessages ctx={ctx} id={roleId} error={roleError} />
            </div>
            {input(i, 'name', c.name, 'text', 'name')}
            {input(i, 'email', c.email, 'email', 'email')}
            {input(i, 'phone', c.phone, 'tel', 'tel')}
          </fieldset>
        );
      })}
      <button type="submit" class="fr-btn">
        {t('dossier.admin_file.contacts.save')}
      </button>
    </form>
  );
}

function AgreementInfo({ ctx, file, href }: { ctx: PageContext; file: AdminFile; href: string }) {
  const { t } = ctx;
  if (!file.agreement) return <p>{t('dossier.admin_file.agreement.none')}</p>;
  const { name, size, sha256 } = file.agreement;
  return (
    <p>
      <a class="fr-link fr-link--download" href={href} download={name}>
        {t('dossier.admin_file.agreement.download', { name })}
        <span class="fr-link__detail">
          {t('dossier.admin_file.agreement.details', { size: Math.max(1, Math.round(size / 1024)) })}
        </span>
      </a>
      <br />
      <span class="fr-text--xs">SHA-256 {sha256}</span>
    </p>
  );
}

function AgreementForm({
  ctx,
  action,
  rowVersion,
  maxBytes,
  error,
}: {
  ctx: PageContext;
  action: string;
  rowVersion: number;
  maxBytes: number;
  error?: string;
}) {
  const { t } = ctx;
  return (
    <form method="post" action={action} encType="multipart/form-data" id="formulaire-convention">
      <Csrf ctx={ctx} />
      <input type="hidden" name="rowVersion" value={String(rowVersion)} />
      <div class={`fr-upload-group${error ? ' fr-upload-group--error' : ''}`}>
        <label class="fr-label" for="f-agreement">
          {t('dossier.admin_file.agreement.file')}
          <span class="fr-hint-text">
            {t('dossier.admin_file.agreement.hint', { max: Math.floor(maxBytes / 1024) })}
          </span>
        </label>
        <input
          class="fr-upload"
          type="file"
          id="f-agreement"
          name="file"
          accept="application/pdf,.pdf"
          aria-describedby="f-agreement-messages"
          aria-invalid={error ? 'true' : undefined}
        />
        <FieldMessages ctx={ctx} id="f-agreement" error={error} />
      </div>
      <button type="submit" class="fr-btn fr-btn--secondary fr-mt-2w">
        {t('dossier.admin_file.agreement.submit')}
      </button>
    </form>
  );
}

/** A one-button form that names the version it was read at. */
function VersionedButton({
  ctx,
  action,
  rowVersion,
  label,
  secondary,
}: {
  ctx: PageContext;
  action: string;
  rowVersion: number;
  label: string;
  secondary?: boolean;
}) {
  return (
    <form method="post" action={action}>
      <Csrf ctx={ctx} />
      <input type="hidden" name="rowVersion" value={String(rowVersion)} />
      <button type="submit" class={`fr-btn${secondary ? ' fr-btn--secondary' : ''}`}>
        {label}
      </button>
    </form>
  );
}

/** The status of the file, said in words with what it means for the person reading. */
function StatusNotice({
  ctx,
  file,
  viewer,
}: {
  ctx: PageContext;
  file: AdminFile;
  viewer: 'member' | 'staff';
}) {
  const { t } = ctx;
  const dates = {
    submitted: formatDate(ctx, file.submittedAt),
    reviewed: formatDate(ctx, file.reviewedAt),
  };
  switch (file.status) {
    case 'draft':
      return (
        <Alert kind="info" title={t('dossier.admin_file.status.draft')}>
          <p>
            {t(
              viewer === 'member'
                ? 'dossier.admin_file.notice.draft'
                : 'dossier.admin_file.notice.staff_draft',
            )}
          </p>
          {file.reviewReason ? (
            <p>
              {t('dossier.admin_file.notice.previous_reason')} <q>{file.reviewReason}</q>
            </p>
          ) : null}
        </Alert>
      );
    case 'submitted':
      return (
        <Alert kind="info" title={t('dossier.admin_file.status.submitted')}>
          <p>{t('dossier.admin_file.notice.submitted', { date: dates.submitted })}</p>
        </Alert>
      );
    case 'validated':
      return (
        <Alert kind="success" title={t('dossier.admin_file.status.validated')}>
          <p>{t('dossier.admin_file.notice.validated', { date: dates.reviewed })}</p>
        </Alert>
      );
    case 'rejected':
      return (
        <Alert kind="warning" title={t('dossier.admin_file.status.rejected')}>
          <p>{t('dossier.admin_file.notice.rejected', { date: dates.reviewed })}</p>
          <p>
            {t('dossier.admin_file.notice.reason')} <q>{file.reviewReason ?? ''}</q>
          </p>
          {viewer === 'member' ? <p>{t('dossier.admin_file.notice.rejected_next')}</p> : null}
        </Alert>
      );
  }
}

const contactText = (ctx: PageContext, c: ContactInput) =>
  [
    contactRoles.includes(c.role as never) ? ctx.t(`dossier.admin_file.role.${c.role}`) : c.role,
    c.name,
    c.email,
    c.phone,
  ]
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' · ');

/** A colleague changed the file since it was read: theirs next to the person's own. */
function ConflictNotice({
  ctx,
  current,
  yours,
}: {
  ctx: PageContext;
  current: AdminFile;
  yours?: ContactInput[];
}) {
  const { t } = ctx;
  const typed = (yours ?? []).filter((c) => c.role || c.name || c.email || c.phone);
  return (
    <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert">
      <h2 class="fr-alert__title">{t('dossier.admin_file.conflict.title')}</h2>
      <p>
        {t('dossier.admin_file.conflict', { version: current.rowVersion })}{' '}
        {t('dossier.admin_file.conflict.status', {
          status: t(`dossier.admin_file.status.${current.status}`),
        })}
      </p>
      {yours ? (
        <TableFrame caption={t('dossier.admin_file.conflict.caption')}>
          <thead>
            <tr>
              <th scope="col">{t('dossier.admin_file.conflict.current')}</th>
              <th scope="col">{t('dossier.admin_file.conflict.yours')}</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: Math.max(current.contacts.length, typed.length, 1) }, (_, i) => (
              <tr key={i}>
                <td>{current.contacts[i] ? contactText(ctx, current.contacts[i]) : '—'}</td>
                <td>{typed[i] ? contactText(ctx, typed[i]) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      ) : (
        <p>{t('dossier.admin_file.conflict.not_saved')}</p>
      )}
      <p>{t('dossier.admin_file.conflict.next')}</p>
    </div>
  );
}

const css = ['form', 'input', 'select', 'alert', 'badge', 'table', 'upload'] as const;

const flashes: Record<string, string> = {
  saved: 'dossier.admin_file.flash.saved',
  agreement: 'dossier.admin_file.flash.agreement',
  submitted: 'dossier.admin_file.flash.submitted',
  reopened: 'dossier.admin_file.flash.reopened',
  validated: 'dossier.admin_file.flash.validated',
  rejected: 'dossier.admin_file.flash.rejected',
};

interface PageState {
  status: number;
  view?: AdminFileView;
  values?: ContactInput[];
  error?: PageError;
  agreementError?: PageError;
  conflict?: { current: AdminFile; yours?: ContactInput[] };
  reason?: string;
  flash?: string;
}

// ── the publisher's page ────────────────────────────────────────────────────

function PublisherPage({
  ctx,
  view,
  state,
  maxBytes,
}: {
  ctx: PageContext;
  view: AdminFileView;
  state: PageState;
  maxBytes: number;
}) {
  const { t } = ctx;
  const { file, organisation, rights } = view;
  const base = publisherPageOf(organisation.id);
  const title = t('dossier.admin_file.title', { name: organisation.legalName });
  const missing = submissionProblems(file);
  const isManager =
    ctx.actor.kind === 'account' &&
    ctx.actor.memberships.some(
      (m) => m.organisationId === organisation.id && (m.role === 'mandataire' || m.role === 'representant'),
    );
  return (
    <Page
      ctx={ctx}
      title={title}
      css={[...css]}
      breadcrumb={[
        [t('identity.publisher.title'), '/editeur'],
        [title, base],
      ]}
    >
      <h1>{title}</h1>
      <p>
        <StatusBadge ctx={ctx} status={file.status} />{' '}
        <span class="fr-text--sm">
          {t('dossier.admin_file.version_info', {
            version: file.rowVersion,
            date: formatDate(ctx, file.updatedAt),
          })}
        </span>
      </p>
      <p>{t('dossier.admin_file.intro')}</p>
      {state.flash ? (
        <Alert kind="success">
          <p>{t(state.flash)}</p>
        </Alert>
      ) : null}
      {state.conflict ? (
        <ConflictNotice ctx={ctx} current={state.conflict.current} yours={state.conflict.yours} />
      ) : null}
      <FormError ctx={ctx} error={state.error} targets={(f) => fieldTarget(ctx, f)} />
      <StatusNotice ctx={ctx} file={file} viewer="member" />
      {organisation.status !== 'active' ? (
        <Alert kind="warning">
          <p>{t('dossier.admin_file.organisation_suspended')}</p>
        </Alert>
      ) : null}
      {rights.reopen ? (
        <section aria-labelledby="modifier-title" class="fr-mb-4w">
          <h2 id="modifier-title">{t('dossier.admin_file.reopen.title')}</h2>
          <p>
            {t(
              file.status === 'validated'
                ? 'dossier.admin_file.reopen.validated'
                : 'dossier.admin_file.reopen.submitted',
            )}
          </p>
          <VersionedButton
            ctx={ctx}
            action={`${base}/modification`}
            rowVersion={file.rowVersion}
            label={t('dossier.admin_file.reopen.submit')}
            secondary
          />
        </section>
      ) : null}

      <section aria-labelledby="identite-title">
        <h2 id="identite-title">{t('dossier.admin_file.identity.title')}</h2>
        <p>{t('dossier.admin_file.identity.hint')}</p>
        <IdentityList ctx={ctx} identity={organisation} />
        <p>
          <a class="fr-link" href={`/editeur/organisations/${organisation.id}/membres`}>
            {t('dossier.admin_file.identity.link')}
          </a>
        </p>
      </section>

      <section aria-labelledby="contacts-title">
        <h2 id="contacts-title">{t('dossier.admin_file.contacts.title')}</h2>
        <p>{t('dossier.admin_file.contacts.intro')}</p>
        {rights.edit ? (
          <ContactsForm
            ctx={ctx}
            action={base}
            rowVersion={file.rowVersion}
            values={state.values ?? file.contacts}
            errors={state.error?.fields}
          />
        ) : (
          <ContactsTable
            ctx={ctx}
            contacts={file.contacts}
            caption={t('dossier.admin_file.contacts.caption')}
          />
        )}
      </section>

      <section aria-labelledby="convention-title" class="fr-mt-4w">
        <h2 id="convention-title">{t('dossier.admin_file.agreement.title')}</h2>
        <p>{t('dossier.admin_file.agreement.intro')}</p>
        <FormError ctx={ctx} error={state.agreementError} targets={(f) => fieldTarget(ctx, f)} />
        <AgreementInfo ctx={ctx} file={file} href={`${base}/convention`} />
        {rights.edit ? (
          <AgreementForm
            ctx={ctx}
            action={`${base}/convention`}
            rowVersion={file.rowVersion}
            maxBytes={maxBytes}
            error={state.agreementError?.fields.agreement}
          />
        ) : null}
      </section>

      {nextStatus(file.status, 'submit') && organisation.status === 'active' ? (
        <section aria-labelledby="soumission-title" class="fr-mt-4w">
          <h2 id="soumission-title">{t('dossier.admin_file.submit.title')}</h2>
          <p>{t('dossier.admin_file.submit.intro')}</p>
          {Object.keys(missing).length > 0 ? (
            <>
              <p>{t('dossier.admin_file.submit.missing')}</p>
              <ul>
                {Object.entries(missing).map(([field, message]) => (
                  <li key={field}>{t(message)}</li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t('dossier.admin_file.submit.ready')}</p>
          )}
          {rights.submit ? (
            <VersionedButton
              ctx={ctx}
              action={`${base}/soumission`}
              rowVersion={file.rowVersion}
              label={t('dossier.admin_file.submit.button')}
            />
          ) : isManager ? null : (
            <p class="fr-text--sm">{t('dossier.admin_file.submit.managers_only')}</p>
          )}
        </section>
      ) : null}
    </Page>
  );
}

// ── the instruction pages ───────────────────────────────────────────────────

function InstructionList({ ctx, items }: { ctx: PageContext; items: service.AdminFileListItem[] }) {
  const { t } = ctx;
  const title = t('dossier.admin_file.instruction.title');
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['alert', 'badge', 'table']}
      breadcrumb={[
        [t('workspace.title'), '/instruction'],
        [title, INSTRUCTION_LIST],
      ]}
    >
      <h1>{title}</h1>
      <p>{t('dossier.admin_file.instruction.intro')}</p>
      {items.length === 0 ? (
        <Alert kind="info">
          <p>{t('dossier.admin_file.instruction.none')}</p>
        </Alert>
      ) : (
        <TableFrame caption={t('dossier.admin_file.instruction.caption')}>
          <thead>
            <tr>
              <th scope="col">{t('dossier.admin_file.identity.legal_name')}</th>
              <th scope="col">{t('dossier.admin_file.identity.siren')}</th>
              <th scope="col">{t('dossier.admin_file.instruction.status')}</th>
              <th scope="col">{t('dossier.admin_file.instruction.submitted_at')}</th>
              <th scope="col">{t('dossier.admin_file.instruction.updated_at')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map(({ file, organisation }) => (
              <tr key={file.organisationId}>
                <th scope="row">
                  <a class="fr-link" href={instructionPageOf(file.organisationId)}>
                    {organisation.legalName}
                  </a>
                </th>
                <td>{organisation.siren}</td>
                <td>
                  <StatusBadge ctx={ctx} status={file.status} />
                </td>
                <td>{file.status === 'submitted' ? formatDate(ctx, file.submittedAt) : '—'}</td>
                <td>{formatDate(ctx, file.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      )}
    </Page>
  );
}

function InstructionPage({ ctx, view, state }: { ctx: PageContext; view: AdminFileView; state: PageState }) {
  const { t } = ctx;
  const { file, organisation, rights } = view;
  const base = instructionPageOf(organisation.id);
  const name = file.identity?.legalName ?? organisation.legalName;
  const title = t('dossier.admin_file.title', { name });
  const isInstructor = ctx.actor.kind === 'account' && ctx.actor.staffRoles.includes('instructeur');
  const reasonError = state.error?.fields.reason;
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['form', 'input', 'alert', 'badge', 'table']}
      breadcrumb={[
        [t('workspace.title'), '/instruction'],
        [t('dossier.admin_file.instruction.title'), INSTRUCTION_LIST],
        [name, base],
      ]}
    >
      <h1>{title}</h1>
      <p>
        <StatusBadge ctx={ctx} status={file.status} />{' '}
        <span class="fr-text--sm">
          {t('dossier.admin_file.version_info', {
            version: file.rowVersion,
            date: formatDate(ctx, file.updatedAt),
          })}
        </span>
      </p>
      {state.flash ? (
        <Alert kind="success">
          <p>{t(state.flash)}</p>
        </Alert>
      ) : null}
      {state.conflict ? <ConflictNotice ctx={ctx} current={state.conflict.current} /> : null}
      <FormError ctx={ctx} error={state.error} targets={(f) => fieldTarget(ctx, f)} />
      <StatusNotice ctx={ctx} file={file} viewer="staff" />

      <section aria-labelledby="identite-title">
        <h2 id="identite-title">{t('dossier.admin_file.identity.title')}</h2>
        <p>
          {file.identity
            ? t('dossier.admin_file.identity.snapshot', { date: formatDate(ctx, file.submittedAt) })
            : t('dossier.admin_file.identity.current')}
        </p>
        <IdentityList ctx={ctx} identity={file.identity ?? organisation} />
      </section>

      <section aria-labelledby="contacts-title">
        <h2 id="contacts-title">{t('dossier.admin_file.contacts.title')}</h2>
        <ContactsTable
          ctx={ctx}
          contacts={file.contacts}
          caption={t('dossier.admin_file.contacts.caption')}
        />
      </section>

      <section aria-labelledby="convention-title" class="fr-mt-4w">
        <h2 id="convention-title">{t('dossier.admin_file.agreement.title')}</h2>
        <AgreementInfo ctx={ctx} file={file} href={`${base}/convention`} />
      </section>

      <section aria-labelledby="decision-title" class="fr-mt-4w">
        <h2 id="decision-title">{t('dossier.admin_file.review.title')}</h2>
        {rights.review ? (
          <>
            <p>{t('dossier.admin_file.review.intro')}</p>
            <VersionedButton
              ctx={ctx}
              action={`${base}/validation`}
              rowVersion={file.rowVersion}
              label={t('dossier.admin_file.review.validate')}
            />
            <form method="post" action={`${base}/refus`} class="fr-mt-4w" novalidate>
              <Csrf ctx={ctx} />
              <input type="hidden" name="rowVersion" value={String(file.rowVersion)} />
              <div class={`fr-input-group${reasonError ? ' fr-input-group--error' : ''}`}>
                <label class="fr-label" for="f-reason">
                  {t('dossier.admin_file.review.reason')}
                  <span class="fr-hint-text">{t('dossier.admin_file.review.reason_hint')}</span>
                </label>
                <textarea
                  class="fr-input"
                  id="f-reason"
                  name="reason"
                  rows={4}
                  required
                  aria-describedby="f-reason-messages"
                  aria-invalid={reasonError ? 'true' : undefined}
                >
                  {state.reason ?? ''}
                </textarea>
                <FieldMessages ctx={ctx} id="f-reason" error={reasonError} />
              </div>
              <button type="submit" class="fr-btn fr-btn--secondary">
                {t('dossier.admin_file.review.reject')}
              </button>
            </form>
          </>
        ) : (
          <p>
            {!isInstructor
              ? t('dossier.admin_file.review.instructors_only')
              : t('dossier.admin_file.review.nothing', {
                  status: t(`dossier.admin_file.status.${file.status}`),
                })}
          </p>
        )}
      </section>
    </Page>
  );
}

// ── routes ──────────────────────────────────────────────────────────────────

/** Sends the agreement as a download, never displayed or sniffed into something else. */
export function sendAgreement(
  reply: FastifyReply,
  file: { name: string; mediaType: string; sha256: string; content: Buffer },
) {
  const ascii = file.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return reply
    .type(file.mediaType)
    .header(
      'content-disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    )
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .header('etag', `"${file.sha256}"`)
    .send(file.content);
}

/** The publisher's « Dossier administratif » and the instructors' list and file pages. */
export function adminFilePages(deps: AdminFileDeps) {
  const maxBytes = deps.config.evidenceMaxBytes;
  return async (app: App) => {
    const hide = { hide: true };
    type OrgParams = { Params: { orgId: string } };
    const orgOf = (request: FastifyRequest) => ({
      organisationId: (request.params as { orgId: string }).orgId,
    });
    const publisher = { action: 'dossier.publisher' as const, resource: orgOf };
    const staff = { action: 'dossier.staff' as const, resource: orgOf };
    const PUBLISHER = '/editeur/organisations/:orgId/dossier-administratif';
    const INSTRUCTION = `${INSTRUCTION_LIST}/:orgId`;

    const flashOf = (request: FastifyRequest, status: number) =>
      status === 200 ? flashes[textField(request.query, 'ok')] : undefined;

    const showPublisher = async (
      request: FastifyRequest,
      reply: FastifyReply,
      orgId: string,
      state: PageState,
    ) => {
      // Read again after a failed change: the forms are then based on the file as it now stands.
      const view = state.view ?? (await service.getAdminFile(deps, request.actor, orgId));
      return html(
        reply,
        state.status,
        renderPage(
          <PublisherPage
            ctx={request.pageContext()}
            view={view}
            state={{ ...state, flash: state.flash ?? flashOf(request, state.status) }}
            maxBytes={maxBytes}
          />,
        ),
      );
    };

    const showInstruction = async (
      request: FastifyRequest,
      reply: FastifyReply,
      orgId: string,
      state: PageState,
    ) => {
      const view = await service.getAdminFile(deps, request.actor, orgId);
      return html(
        reply,
        state.status,
        renderPage(
          <InstructionPage
            ctx={request.pageContext()}
            view={view}
            state={{ ...state, flash: state.flash ?? flashOf(request, state.status) }}
          />,
        ),
      );
    };

    // A form the multipart reader refuses (too many parts, a cut request) is shown again, with why.
    app.setErrorHandler((error, request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      const orgId = (request.params as { orgId?: string }).orgId;
      if (
        !(error instanceof AppError) &&
        orgId &&
        request.method === 'POST' &&
        /\/dossier-administratif\/convention$/.test(request.url.split('?')[0]) &&
        status >= 400 &&
        status < 500 &&
        status !== 413
      ) {
        return showPublisher(request, reply, orgId, {
          status,
          agreementError: {
            message: request.t('dossier.admin_file.agreement.unreadable'),
            fields: { agreement: 'dossier.admin_file.agreement.unreadable' },
          },
        });
      }
      throw error;
    });

    /** Runs a publisher's change; its expected failures are shown on the page, with what was typed. */
    const publisherChange = async (
      request: FastifyRequest,
      reply: FastifyReply,
      run: () => Promise<unknown>,
      ok: string,
      options: { values?: ContactInput[]; agreement?: boolean } = {},
    ) => {
      const { orgId } = request.params as { orgId: string };
      try {
        await run();
        return reply.redirect(`${publisherPageOf(orgId)}?ok=${ok}`, 303);
      } catch (error) {
        if (error instanceof AdminFileConflict) {
          return showPublisher(request, reply, orgId, {
            status: 409,
            conflict: { current: error.current, yours: options.values },
            values: options.values,
          });
        }
        if (error instanceof AppError && [409, 413, 422].includes(error.status)) {
          const shown = pageError(request, error);
          return showPublisher(
            request,
            reply,
            orgId,
            options.agreement
              ? { status: error.status, agreementError: shown }
              : { status: error.status, error: shown, values: options.values },
          );
        }
        throw error;
      }
    };

    app.get<OrgParams>(PUBLISHER, { config: publisher, schema: hide }, (request, reply) =>
      showPublisher(request, reply, request.params.orgId, { status: 200 }),
    );

    app.post<OrgParams>(PUBLISHER, { config: publisher, schema: hide }, (request, reply) => {
      const rowVersion = formVersion(request.body);
      const values = formContacts(request.body);
      return publisherChange(
        request,
        reply,
        () => service.saveContacts(deps, request.actor, request.params.orgId, rowVersion, values),
        'saved',
        { values },
      );
    });

    app.get<OrgParams>(
      `${PUBLISHER}/convention`,
      { config: publisher, schema: hide },
      async (request, reply) =>
        sendAgreement(reply, await service.agreementFile(deps, request.actor, request.params.orgId)),
    );

    app.post<OrgParams>(`${PUBLISHER}/convention`, { config: publisher, schema: hide }, (request, reply) => {
      const rowVersion = formVersion(request.body);
      const upload = uploadField(request.body);
      return publisherChange(
        request,
        reply,
        () =>
          service.uploadAgreement(deps, request.actor, request.params.orgId, rowVersion, {
            fileName: upload?.fileName ?? '',
            bytes: upload?.bytes ?? Buffer.alloc(0),
          }),
        'agreement',
        { agreement: true },
      );
    });

    app.post<OrgParams>(`${PUBLISHER}/soumission`, { config: publisher, schema: hide }, (request, reply) => {
      const rowVersion = formVersion(request.body);
      return publisherChange(
        request,
        reply,
        () => service.submitAdminFile(deps, request.actor, request.params.orgId, rowVersion),
        'submitted',
      );
    });

    app.post<OrgParams>(
      `${PUBLISHER}/modification`,
      { config: publisher, schema: hide },
      (request, reply) => {
        const rowVersion = formVersion(request.body);
        return publisherChange(
          request,
          reply,
          () => service.reopenAdminFile(deps, request.actor, request.params.orgId, rowVersion),
          'reopened',
        );
      },
    );

    // ── instruction

    app.get(INSTRUCTION_LIST, { config: { action: 'dossier.staff' }, schema: hide }, async (request, reply) =>
      html(
        reply,
        200,
        renderPage(
          <InstructionList
            ctx={request.pageContext()}
            items={await service.listAdminFilesForInstruction(deps, request.actor)}
          />,
        ),
      ),
    );

    app.get<OrgParams>(INSTRUCTION, { config: staff, schema: hide }, (request, reply) =>
      showInstruction(request, reply, request.params.orgId, { status: 200 }),
    );

    app.get<OrgParams>(`${INSTRUCTION}/convention`, { config: staff, schema: hide }, async (request, reply) =>
      sendAgreement(reply, await service.agreementFile(deps, request.actor, request.params.orgId)),
    );

    const staffChange = async (
      request: FastifyRequest<OrgParams>,
      reply: FastifyReply,
      run: () => Promise<unknown>,
      ok: string,
      reason?: string,
    ) => {
      const { orgId } = request.params;
      try {
        await run();
        return reply.redirect(`${instructionPageOf(orgId)}?ok=${ok}`, 303);
      } catch (error) {
        if (error instanceof AdminFileConflict)
          return showInstruction(request, reply, orgId, {
            status: 409,
            conflict: { current: error.current },
            reason,
          });
        if (error instanceof AppError && [409, 422].includes(error.status))
          return showInstruction(request, reply, orgId, {
            status: error.status,
            error: pageError(request, error),
            reason,
          });
        throw error;
      }
    };

    app.post<OrgParams>(`${INSTRUCTION}/validation`, { config: staff, schema: hide }, (request, reply) => {
      const rowVersion = formVersion(request.body);
      return staffChange(
        request,
        reply,
        () => service.validateAdminFile(deps, request.actor, request.params.orgId, rowVersion),
        'validated',
      );
    });

    app.post<OrgParams>(`${INSTRUCTION}/refus`, { config: staff, schema: hide }, (request, reply) => {
      const rowVersion = formVersion(request.body);
      const reason = textField(request.body, 'reason');
      return staffChange(
        request,
        reply,
        () => service.rejectAdminFile(deps, request.actor, request.params.orgId, rowVersion, reason),
        'rejected',
        reason,
      );
    });
  };
}
