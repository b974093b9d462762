/**
 * Pages of citizens' reports and audits: « Signaler un problème sur ce service » and « Mes signalements » for
 * citizens; the reports queue, a report, the audits and an audit for the instruction. They work without
 * JavaScript; every change is a form that names the version it was read at, and a stale one shows the
 * report or audit as it now stands (409) with what was typed.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
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
  TextField,
} from '../web/components.tsx';

/** A required text area unless told otherwise. */
const TextArea = (props: Omit<Parameters<typeof TextField>[0], 'multiline'>) => (
  <TextField required {...props} multiline />
);

/** A required date unless told otherwise. */
const DateInput = (props: Omit<Parameters<typeof TextField>[0], 'type'>) => (
  <TextField required {...props} type="date" />
);

import { formatDate as formatPageDate } from '../web/dates.ts';
import { formField as field } from '../web/forms.ts';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import {
  type AuditStatus,
  auditStatuses,
  type ComplaintCategory,
  type ComplaintMove,
  type ComplaintStatus,
  complaintStatuses,
  type FieldProblems,
  type FindingInput,
  MESSAGE_MAX,
  MESSAGE_MIN,
  overdueFindings,
} from './complaint-model.ts';
import * as service from './complaint-service.ts';
import {
  AuditConflict,
  type AuditView,
  type CitizenComplaintView,
  ComplaintConflict,
  type ComplaintDeps,
  type ComplaintView,
  type ServiceRef,
} from './complaint-service.ts';
import { DossierConflict } from './service.ts';

export const QUEUE = '/instruction/plaintes';
export const AUDITS = '/instruction/audits';
export const CITIZEN_LIST = '/usager/signalements';
export const reportFormPath = (dossierId: string) => `/services/${dossierId}/signaler`;
export const newAuditPath = (dossierId: string) => `/instruction/dossiers/${dossierId}/audits/nouveau`;
const dossierPage = (dossierId: string) => `/instruction/dossiers/${dossierId}`;

/** How many finding rows the opening form offers (more are added on the audit's page). */
const OPENING_FINDING_ROWS = 3;

// ── reading forms ───────────────────────────────────────────────────────────

/** The version a form was read at; a form without one was not ours. */
function formVersion(body: unknown, name = 'rowVersion'): number {
  const text = field(body, name);
  if (!/^\d{1,9}$/.test(text)) throw new AppError('bad_request', 400, 'complaint.form_version');
  return Number(text);
}

function formFindings(body: unknown, rows: number): FindingInput[] {
  return Array.from({ length: rows }, (_, i) => ({
    text: field(body, `finding_${i}_text`),
    dueAt: field(body, `finding_${i}_dueAt`),
  }));
}

function queryText(request: FastifyRequest, name: string): string {
  return field(request.query, name);
}

// ── pieces ──────────────────────────────────────────────────────────────────

interface Shown {
  status: number;
  error?: PageError;
  /** What was typed, by field name, shown again after a refusal. */
  values?: Record<string, string>;
  /** The form that failed, so that its error shows beside it. */
  form?: string;
  conflict?: boolean;
  flash?: string;
}

function formatDate(ctx: PageContext, date: Date | null, withTime = true): string {
  return formatPageDate(ctx.locale, date, withTime ? 'date-time' : 'day');
}

const complaintBadge: Record<ComplaintStatus, string> = {
  new: 'new',
  in_review: 'info',
  answered: 'success',
  closed: '',
};

function ComplaintBadge({ ctx, status }: { ctx: PageContext; status: ComplaintStatus }) {
  const kind = complaintBadge[status];
  return (
    <span class={`fr-badge fr-badge--sm${kind ? ` fr-badge--${kind}` : ''}`}>
      {ctx.t(`complaint.status.${status}`)}
    </span>
  );
}

function AuditBadge({ ctx, status, overdue }: { ctx: PageContext; status: AuditStatus; overdue?: boolean }) {
  if (overdue)
    return <span class="fr-badge fr-badge--sm fr-badge--warning">{ctx.t('complaint.audit.overdue')}</span>;
  return (
    <span class={`fr-badge fr-badge--sm${status === 'open' ? ' fr-badge--info' : ''}`}>
      {ctx.t(`complaint.audit.status.${status}`)}
    </span>
  );
}

function categoryLabel(ctx: PageContext, categories: readonly ComplaintCategory[], code: string): string {
  return categories.find((c) => c.code === code)?.label[ctx.locale] ?? code;
}

/** A text as typed: paragraphs and line breaks kept, nothing else interpreted. */
function Text({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n{2,}/).map((para, i) => (
        <p key={i}>
          {para.split('\n').map((line, j) => (
            <>
              {j > 0 ? <br /> : null}
              {line}
            </>
          ))}
        </p>
      ))}
    </>
  );
}

function Facts({ rows }: { rows: Array<[string, ComponentChildren]> }) {
  return (
    <dl>
      {rows.map(([label, value]) => (
        <div key={label} class="fr-mb-1w">
          <dt class="fr-text--bold">{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
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
    <form method="post" action={action} class="fr-mb-2w">
      <Csrf ctx={ctx} />
      <input type="hidden" name="rowVersion" value={String(rowVersion)} />
      <button type="submit" class={`fr-btn${secondary ? ' fr-btn--secondary' : ''}`}>
        {label}
      </button>
    </form>
  );
}

function Flash({ ctx, shown }: { ctx: PageContext; shown: Shown }) {
  if (shown.conflict)
    return (
      <Alert kind="warning" title={ctx.t('complaint.conflict_title')}>
        <p>{ctx.t('complaint.conflict_shown')}</p>
      </Alert>
    );
  if (!shown.flash) return null;
  return (
    <Alert kind="success">
      <p>{ctx.t(shown.flash)}</p>
    </Alert>
  );
}

// ── citizens ────────────────────────────────────────────────────────────────

function ReportPage({
  ctx,
  target,
  categories,
  shown,
}: {
  ctx: PageContext;
  target: ServiceRef;
  categories: readonly ComplaintCategory[];
  shown: Shown;
}) {
  const { t } = ctx;
  const title = t('complaint.report.title');
  const values = shown.values ?? {};
  const fields = shown.error?.fields ?? {};
  const firstCategory = `f-category-${categories[0]?.code ?? ''}`;
  return (
    <Page
      ctx={ctx}
      title={`${title} — ${target.productName}`}
      css={['alert', 'callout', 'form', 'input', 'radio']}
      breadcrumb={[
        [t('nav.citizen'), '/usager'],
        [title, reportFormPath(target.dossierId)],
      ]}
    >
      <h1>{title}</h1>
      <p class="fr-text--lead">
        {t('complaint.report.service', { product: target.productName, publisher: target.organisationName })}
      </p>
      <div class="fr-callout fr-mb-4w">
        <h2 class="fr-callout__title">{t('complaint.report.scope_title')}</h2>
        <p class="fr-callout__text">{t('complaint.report.scope')}</p>
        <ul>
          <li>{t('complaint.report.scope_support')}</li>
          <li>{t('complaint.report.scope_emergency')}</li>
          <li>{t('complaint.report.scope_privacy')}</li>
        </ul>
      </div>
      {target.catalogueStatus === 'SUSPENDUE' ? (
        <Alert kind="info">
          <p>{t('complaint.report.suspended')}</p>
        </Alert>
      ) : null}
      <FormError
        ctx={ctx}
        error={shown.error}
        targets={{
          category: [t('complaint.field.category_label'), firstCategory],
          message: [t('complaint.field.message_label'), 'f-message'],
        }}
      />
      <form method="post" action={reportFormPath(target.dossierId)} novalidate>
        <Csrf ctx={ctx} />
        <fieldset
          class={`fr-fieldset${fields.category ? ' fr-fieldset--error' : ''}`}
          id="f-category"
          aria-labelledby={`f-category-legend${fields.category ? ' f-category-messages' : ''}`}
        >
          <legend class="fr-fieldset__legend" id="f-category-legend">
            {t('complaint.field.category_label')}
          </legend>
          {categories.map((c) => (
            <div class="fr-fieldset__element" key={c.code}>
              <div class="fr-radio-group">
                <input
                  type="radio"
                  id={`f-category-${c.code}`}
                  name="category"
                  value={c.code}
                  checked={values.category === c.code}
                  required
                />
                <label class="fr-label" for={`f-category-${c.code}`}>
                  {c.label[ctx.locale]}
                  <span class="fr-hint-text">{c.hint[ctx.locale]}</span>
                </label>
              </div>
            </div>
          ))}
          <FieldMessages ctx={ctx} id="f-category" error={fields.category} />
        </fieldset>
        <TextArea
          ctx={ctx}
          id="f-message"
          name="message"
          label={t('complaint.field.message_label')}
          hint={t('complaint.field.message_hint', { min: MESSAGE_MIN, max: MESSAGE_MAX })}
          value={values.message ?? ''}
          error={fields.message}
          rows={8}
          maxLength={MESSAGE_MAX}
        />
        <button type="submit" class="fr-btn fr-mt-2w">
          {t('complaint.report.submit')}
        </button>
      </form>
    </Page>
  );
}

function CitizenList({
  ctx,
  items,
  categories,
}: {
  ctx: PageContext;
  items: CitizenComplaintView[];
  categories: readonly ComplaintCategory[];
}) {
  const { t } = ctx;
  const title = t('complaint.citizen.title');
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['badge', 'table']}
      breadcrumb={[
        [t('nav.citizen'), '/usager'],
        [title, CITIZEN_LIST],
      ]}
    >
      <h1>{title}</h1>
      <p>{t('complaint.citizen.intro')}</p>
      {items.length === 0 ? (
        <p>{t('complaint.citizen.none')}</p>
      ) : (
        <TableFrame caption={t('complaint.citizen.caption')}>
          <thead>
            <tr>
              <th scope="col">{t('complaint.field.reference')}</th>
              <th scope="col">{t('complaint.field.service')}</th>
              <th scope="col">{t('complaint.field.category_label')}</th>
              <th scope="col">{t('complaint.field.sent')}</th>
              <th scope="col">{t('complaint.field.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={`${CITIZEN_LIST}/${c.id}`}>{c.reference}</a>
                </td>
                <td>{c.productName}</td>
                <td>{categoryLabel(ctx, categories, c.category)}</td>
                <td>{formatDate(ctx, c.createdAt)}</td>
                <td>
                  <ComplaintBadge ctx={ctx} status={c.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      )}
    </Page>
  );
}

function CitizenDetail({
  ctx,
  item,
  categories,
  filed,
}: {
  ctx: PageContext;
  item: CitizenComplaintView;
  categories: readonly ComplaintCategory[];
  filed: boolean;
}) {
  const { t } = ctx;
  const title = t('complaint.citizen.detail_title', { reference: item.reference });
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['alert', 'badge']}
      breadcrumb={[
        [t('nav.citizen'), '/usager'],
        [t('complaint.citizen.title'), CITIZEN_LIST],
        [item.reference, `${CITIZEN_LIST}/${item.id}`],
      ]}
    >
      <h1>{title}</h1>
      {filed ? (
        <Alert kind="success" title={t('complaint.citizen.filed_title')}>
          <p>{t('complaint.citizen.filed', { reference: item.reference })}</p>
        </Alert>
      ) : null}
      <Facts
        rows={[
          [t('complaint.field.service'), item.productName],
          [t('complaint.field.category_label'), categoryLabel(ctx, categories, item.category)],
          [t('complaint.field.sent'), formatDate(ctx, item.createdAt)],
          [t('complaint.field.status'), <ComplaintBadge ctx={ctx} status={item.status} key="s" />],
        ]}
      />
      <h2>{t('complaint.field.message_label')}</h2>
      <Text text={item.message} />
      <h2>{t('complaint.citizen.answer')}</h2>
      {item.answer ? (
        <>
          <p class="fr-text--sm">
            {t('complaint.citizen.answered_on', { date: formatDate(ctx, item.answeredAt) })}
          </p>
          <Text text={item.answer} />
        </>
      ) : (
        <p>{t('complaint.citizen.no_answer')}</p>
      )}
      <p>
        <a class="fr-link" href={CITIZEN_LIST}>
          {t('complaint.citizen.back')}
        </a>
      </p>
    </Page>
  );
}

// ── the instruction: reports ────────────────────────────────────────────────

function StatusFilter({
  ctx,
  action,
  statuses,
  current,
  prefix,
  dossierId,
}: {
  ctx: PageContext;
  action: string;
  statuses: readonly string[];
  current?: string;
  prefix: string;
  /** A service filtered on, kept when the status changes. */
  dossierId?: string;
}) {
  const { t } = ctx;
  return (
    <form method="get" action={action} class="fr-mb-3w">
      {dossierId ? <input type="hidden" name="dossier" value={dossierId} /> : null}
      <div class="fr-select-group">
        <label class="fr-label" for="f-statut">
          {t('complaint.filter.status')}
        </label>
        <select class="fr-select" id="f-statut" name="statut">
          <option value="" selected={!current}>
            {t('complaint.filter.all')}
          </option>
          {statuses.map((s) => (
            <option value={s} selected={current === s} key={s}>
              {t(`${prefix}.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="fr-btn fr-btn--secondary">
        {t('complaint.filter.apply')}
      </button>
    </form>
  );
}

function Queue({
  ctx,
  queue,
  categories,
  reference,
}: {
  ctx: PageContext;
  queue: service.ComplaintQueue;
  categories: readonly ComplaintCategory[];
  /** A reference searched for and not found. */
  reference: string;
}) {
  const { t } = ctx;
  const title = t('complaint.queue.title');
  const pageHref = (page: number) => {
    const params = new URLSearchParams();
    if (queue.status) params.set('statut', queue.status);
    if (queue.dossierId) params.set('dossier', queue.dossierId);
    params.set('page', String(page));
    return `${QUEUE}?${params}`;
  };
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['alert', 'badge', 'table', 'form', 'input', 'select', 'pagination']}
      breadcrumb={[
        [t('workspace.title'), '/instruction'],
        [title, QUEUE],
      ]}
    >
      <h1>{title}</h1>
      <p>{t('complaint.queue.intro')}</p>
      <p>
        <a class="fr-link" href={AUDITS}>
          {t('complaint.audits.title')}
        </a>
      </p>
      <form method="get" action={QUEUE} class="fr-mb-3w">
        <div class="fr-input-group">
          <label class="fr-label" for="f-reference">
            {t('complaint.queue.reference')}
            <span class="fr-hint-text">{t('complaint.queue.reference_hint')}</span>
          </label>
          <input class="fr-input" type="search" id="f-reference" name="reference" value={reference} />
        </div>
        <button type="submit" class="fr-btn fr-btn--secondary">
          {t('complaint.queue.reference_submit')}
        </button>
      </form>
      {reference ? (
        <Alert kind="info">
          <p>{t('complaint.queue.reference_unknown', { reference })}</p>
        </Alert>
      ) : null}
      <StatusFilter
        ctx={ctx}
        action={QUEUE}
        statuses={complaintStatuses}
        current={queue.status}
        prefix="complaint.status"
        dossierId={queue.dossierId}
      />
      {queue.items.length === 0 ? (
        <p>{t('complaint.queue.none')}</p>
      ) : (
        <TableFrame caption={t('complaint.queue.caption', { total: queue.total })}>
          <thead>
            <tr>
              <th scope="col">{t('complaint.field.reference')}</th>
              <th scope="col">{t('complaint.field.service')}</th>
              <th scope="col">{t('complaint.field.category_label')}</th>
              <th scope="col">{t('complaint.field.received')}</th>
              <th scope="col">{t('complaint.field.status')}</th>
            </tr>
          </thead>
          <tbody>
            {queue.items.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={service.complaintPage(c.id)}>{c.reference}</a>
                </td>
                <td>{c.productName}</td>
                <td>{categoryLabel(ctx, categories, c.category)}</td>
                <td>{formatDate(ctx, c.createdAt)}</td>
                <td>
                  <ComplaintBadge ctx={ctx} status={c.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      )}
      {queue.pages > 1 ? (
        <nav class="fr-pagination" aria-label={t('complaint.queue.pagination')}>
          <ul class="fr-pagination__list">
            <li>
              {queue.page > 1 ? (
                <a class="fr-pagination__link fr-pagination__link--prev" href={pageHref(queue.page - 1)}>
                  {t('complaint.queue.previous')}
                </a>
              ) : null}
            </li>
            <li>
              <span class="fr-pagination__link" aria-current="page">
                {t('complaint.queue.page', { page: queue.page, pages: queue.pages })}
              </span>
            </li>
            <li>
              {queue.page < queue.pages ? (
                <a class="fr-pagination__link fr-pagination__link--next" href={pageHref(queue.page + 1)}>
                  {t('complaint.queue.next')}
                </a>
              ) : null}
            </li>
          </ul>
        </nav>
      ) : null}
    </Page>
  );
}

function ServiceFacts({ ctx, service: s }: { ctx: PageContext; service: ServiceRef }) {
  const { t } = ctx;
  return (
    <Facts
      rows={[
        [
          t('complaint.field.service'),
          <a href={dossierPage(s.dossierId)} key="s">
            {s.productName}
            {s.number ? ` (${s.number})` : ''}
          </a>,
        ],
        [t('complaint.field.publisher'), s.organisationName],
        [
          t('complaint.field.catalogue_status'),
          s.catalogueStatus ? t(`dossier.catalogue.${s.catalogueStatus}`) : '—',
        ],
      ]}
    />
  );
}

function AuditTable({
  ctx,
  audits,
  caption,
}: {
  ctx: PageContext;
  audits: service.AuditSummary[];
  caption: string;
}) {
  const { t } = ctx;
  return (
    <TableFrame caption={caption}>
      <thead>
        <tr>
          <th scope="col">{t('complaint.audit.scope')}</th>
          <th scope="col">{t('complaint.audit.due')}</th>
          <th scope="col">{t('complaint.audit.findings')}</th>
          <th scope="col">{t('complaint.field.status')}</th>
        </tr>
      </thead>
      <tbody>
        {audits.map((a) => (
          <tr key={a.id}>
            <td>
              <a href={service.auditPage(a.id)}>
                {a.scope.length > 120 ? `${a.scope.slice(0, 117)}…` : a.scope}
              </a>
            </td>
            <td>{formatDate(ctx, a.dueAt, false)}</td>
            <td>{t('complaint.audit.findings_count', { total: a.findings, open: a.openFindings })}</td>
            <td>
              <AuditBadge ctx={ctx} status={a.status} />
            </td>
          </tr>
        ))}
      </tbody>
    </TableFrame>
  );
}

const moveLabels: Record<ComplaintMove, string> = {
  take: 'complaint.move.take',
  answer: 'complaint.move.answer',
  close: 'complaint.move.close',
};

function OpeningFields({
  ctx,
  values,
  fields,
}: {
  ctx: PageContext;
  values: Record<string, string>;
  fields: FieldProblems;
}) {
  const { t } = ctx;
  return (
    <>
      <TextArea
        ctx={ctx}
        id="f-scope"
        name="scope"
        label={t('complaint.audit.scope')}
        hint={t('complaint.audit.scope_hint')}
        value={values.scope ?? ''}
        error={fields.scope}
        rows={4}
      />
      <DateInput
        ctx={ctx}
        id="f-dueAt"
        name="dueAt"
        label={t('complaint.audit.due')}
        hint={t('complaint.audit.due_hint')}
        value={values.dueAt ?? ''}
        error={fields.dueAt}
      />
      {Array.from({ length: OPENING_FINDING_ROWS }, (_, i) => (
        <fieldset class="fr-fieldset" aria-labelledby={`f-finding-${i}-legend`} key={i}>
          <legend class="fr-fieldset__legend fr-text--regular" id={`f-finding-${i}-legend`}>
            {t('complaint.audit.finding_legend', { n: i + 1 })}
          </legend>
          <div class="fr-fieldset__element">
            <TextArea
              ctx={ctx}
              id={`f-finding-${i}-text`}
              name={`finding_${i}_text`}
              label={t('complaint.audit.finding_text')}
              value={values[`finding_${i}_text`] ?? ''}
              error={fields[`findings.${i}.text`]}
              rows={2}
              required={false}
            />
          </div>
          <div class="fr-fieldset__element">
            <DateInput
              ctx={ctx}
              id={`f-finding-${i}-dueAt`}
              name={`finding_${i}_dueAt`}
              label={t('complaint.audit.finding_due')}
              value={values[`finding_${i}_dueAt`] ?? ''}
              error={fields[`findings.${i}.dueAt`]}
              required={false}
            />
          </div>
        </fieldset>
      ))}
    </>
  );
}

function openingTargets(ctx: PageContext): Record<string, [string, string]> {
  const { t } = ctx;
  const targets: Record<string, [string, string]> = {
    scope: [t('complaint.audit.scope'), 'f-scope'],
    dueAt: [t('complaint.audit.due'), 'f-dueAt'],
    findings: [t('complaint.audit.findings'), 'f-finding-0-text'],
  };
  for (let i = 0; i < OPENING_FINDING_ROWS; i++) {
    const legend = t('complaint.audit.finding_legend', { n: i + 1 });
    targets[`findings.${i}.text`] = [
      `${legend} — ${t('complaint.audit.finding_text')}`,
      `f-finding-${i}-text`,
    ];
    targets[`findings.${i}.dueAt`] = [
      `${legend} — ${t('complaint.audit.finding_due')}`,
      `f-finding-${i}-dueAt`,
    ];
  }
  return targets;
}

function ComplaintDetail({
  ctx,
  view,
  categories,
  shown,
}: {
  ctx: PageContext;
  view: ComplaintView;
  categories: readonly ComplaintCategory[];
  shown: Shown;
}) {
  const { t } = ctx;
  const title = t('complaint.detail.title', { reference: view.reference });
  const base = service.complaintPage(view.id);
  const values = shown.values ?? {};
  const errorOf = (form: string) => (shown.form === form ? shown.error : undefined);
  const fieldsOf = (form: string) => errorOf(form)?.fields ?? {};
  const others = Object.values(view.otherComplaints).reduce((a, b) => a + b, 0);
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['alert', 'badge', 'table', 'form', 'input']}
      breadcrumb={[
        [t('workspace.title'), '/instruction'],
        [t('complaint.queue.title'), QUEUE],
        [view.reference, base],
      ]}
    >
      <h1>{title}</h1>
      <p>
        <ComplaintBadge ctx={ctx} status={view.status} />{' '}
        <span class="fr-text--sm">{t('complaint.detail.version', { version: view.rowVersion })}</span>
      </p>
      <Flash ctx={ctx} shown={shown} />
      {shown.form === 'general' ? <FormError ctx={ctx} error={shown.error} targets={{}} /> : null}
      <section aria-labelledby="service-title" class="fr-mb-4w">
        <h2 id="service-title">{t('complaint.detail.service')}</h2>
        <ServiceFacts ctx={ctx} service={view.service} />
        <p>
          {others === 0 ? (
            t('complaint.detail.no_other')
          ) : (
            <a href={`${QUEUE}?dossier=${view.service.dossierId}`}>
              {t('complaint.detail.others', {
                count: others,
                open: view.otherComplaints.new + view.otherComplaints.in_review,
              })}
            </a>
          )}
        </p>
      </section>
      <section aria-labelledby="report-title" class="fr-mb-4w">
        <h2 id="report-title">{t('complaint.detail.report')}</h2>
        <Facts
          rows={[
            [t('complaint.field.category_label'), categoryLabel(ctx, categories, view.category)],
            [t('complaint.field.received'), formatDate(ctx, view.createdAt)],
            [t('complaint.field.handled_by'), view.handledBy?.name ?? '—'],
          ]}
        />
        <h3>{t('complaint.field.message_label')}</h3>
        <Text text={view.message} />
        {view.answer ? (
          <>
            <h3>{t('complaint.detail.answer', { date: formatDate(ctx, view.answeredAt) })}</h3>
            <Text text={view.answer} />
          </>
        ) : null}
      </section>
      {view.audits.length > 0 ? (
        <section aria-labelledby="audits-title" class="fr-mb-4w">
          <h2 id="audits-title">{t('complaint.detail.audits')}</h2>
          <AuditTable ctx={ctx} audits={view.audits} caption={t('complaint.detail.audits_caption')} />
        </section>
      ) : null}
      {view.moves.length > 0 || view.mayOpenAudit || view.maySuspend ? (
        <section aria-labelledby="actions-title">
          <h2 id="actions-title">{t('complaint.detail.actions')}</h2>
          {view.moves.includes('take') ? (
            <VersionedButton
              ctx={ctx}
              action={`${base}/prise-en-charge`}
              rowVersion={view.rowVersion}
              label={t(moveLabels.take)}
            />
          ) : null}
          {view.moves.includes('answer') ? (
            <form method="post" action={`${base}/reponse`} class="fr-mb-4w" novalidate>
              <h3>{t(moveLabels.answer)}</h3>
              <FormError
                ctx={ctx}
                error={errorOf('answer')}
                targets={{ answer: [t('complaint.field.answer_label'), 'f-answer'] }}
              />
              <Csrf ctx={ctx} />
              <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
              <TextArea
                ctx={ctx}
                id="f-answer"
                name="answer"
                label={t('complaint.field.answer_label')}
                hint={t('complaint.field.answer_hint')}
                value={values.answer ?? ''}
                error={fieldsOf('answer').answer}
                rows={6}
              />
              <button type="submit" class="fr-btn">
                {t('complaint.move.answer_submit')}
              </button>
            </form>
          ) : null}
          {view.moves.includes('close') ? (
            <VersionedButton
              ctx={ctx}
              action={`${base}/cloture`}
              rowVersion={view.rowVersion}
              label={t(moveLabels.close)}
              secondary
            />
          ) : null}
          {view.mayOpenAudit ? (
            <form method="post" action={`${base}/audit`} class="fr-mb-4w" novalidate>
              <h3>{t('complaint.audit.open')}</h3>
              <p>{t('complaint.audit.open_intro')}</p>
              <FormError ctx={ctx} error={errorOf('audit')} targets={openingTargets(ctx)} />
              <Csrf ctx={ctx} />
              <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
              <OpeningFields
                ctx={ctx}
                values={shown.form === 'audit' ? values : {}}
                fields={fieldsOf('audit')}
              />
              <button type="submit" class="fr-btn fr-btn--secondary">
                {t('complaint.audit.open_submit')}
              </button>
            </form>
          ) : null}
          {view.maySuspend ? (
            <form method="post" action={`${base}/suspension`} class="fr-mb-4w" novalidate>
              <h3>{t('complaint.suspend.title')}</h3>
              <p>{t('complaint.suspend.intro')}</p>
              <FormError
                ctx={ctx}
                error={errorOf('suspend')}
                targets={{ reasons: [t('complaint.suspend.reasons'), 'f-reasons'] }}
              />
              <Csrf ctx={ctx} />
              <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
              <input type="hidden" name="dossierRowVersion" value={String(view.service.rowVersion)} />
              <TextArea
                ctx={ctx}
                id="f-reasons"
                name="reasons"
                label={t('complaint.suspend.reasons')}
                hint={t('complaint.suspend.reasons_hint')}
                value={shown.form === 'suspend' ? (values.reasons ?? '') : ''}
                error={fieldsOf('suspend').reasons}
                rows={4}
              />
              <button type="submit" class="fr-btn fr-btn--tertiary">
                {t('complaint.suspend.submit')}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}
    </Page>
  );
}

// ── the instruction: audits ─────────────────────────────────────────────────

function AuditListPage({
  ctx,
  items,
  status,
}: {
  ctx: PageContext;
  items: service.AuditListItem[];
  status?: AuditStatus;
}) {
  const { t } = ctx;
  const title = t('complaint.audits.title');
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['badge', 'table', 'form', 'select']}
      breadcrumb={[
        [t('workspace.title'), '/instruction'],
        [title, AUDITS],
      ]}
    >
      <h1>{title}</h1>
      <p>{t('complaint.audits.intro')}</p>
      <p>
        <a class="fr-link" href={QUEUE}>
          {t('complaint.queue.title')}
        </a>
      </p>
      <StatusFilter
        ctx={ctx}
        action={AUDITS}
        statuses={auditStatuses}
        current={status}
        prefix="complaint.audit.status"
      />
      {items.length === 0 ? (
        <p>{t('complaint.audits.none')}</p>
      ) : (
        <TableFrame caption={t('complaint.audits.caption', { total: items.length })}>
          <thead>
            <tr>
              <th scope="col">{t('complaint.field.service')}</th>
              <th scope="col">{t('complaint.audit.scope')}</th>
              <th scope="col">{t('complaint.audit.due')}</th>
              <th scope="col">{t('complaint.audit.findings')}</th>
              <th scope="col">{t('complaint.field.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id}>
                <td>{a.productName}</td>
                <td>
                  <a href={service.auditPage(a.id)}>
                    {a.scope.length > 120 ? `${a.scope.slice(0, 117)}…` : a.scope}
                  </a>
                </td>
                <td>{formatDate(ctx, a.dueAt, false)}</td>
                <td>{t('complaint.audit.findings_count', { total: a.findings, open: a.openFindings })}</td>
                <td>
                  <AuditBadge ctx={ctx} status={a.status} overdue={a.overdue} />
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      )}
    </Page>
  );
}

function AuditDetail({
  ctx,
  view,
  shown,
  now,
}: {
  ctx: PageContext;
  view: AuditView;
  shown: Shown;
  now: Date;
}) {
  const { t } = ctx;
  const title = t('complaint.audit.title', { product: view.service.productName });
  const base = service.auditPage(view.id);
  const values = shown.values ?? {};
  const errorOf = (form: string) => (shown.form === form ? shown.error : undefined);
  const fieldsOf = (form: string) => errorOf(form)?.fields ?? {};
  const late = new Set(overdueFindings(view.findings, now).map((f) => f.id));
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['alert', 'badge', 'table', 'form', 'input']}
      breadcrumb={[
        [t('workspace.title'), '/instruction'],
        [t('complaint.audits.title'), AUDITS],
        [title, base],
      ]}
    >
      <h1>{title}</h1>
      <p>
        <AuditBadge ctx={ctx} status={view.status} />{' '}
        <span class="fr-text--sm">{t('complaint.detail.version', { version: view.rowVersion })}</span>
      </p>
      <Flash ctx={ctx} shown={shown} />
      {shown.form === 'general' ? <FormError ctx={ctx} error={shown.error} targets={{}} /> : null}
      <ServiceFacts ctx={ctx} service={view.service} />
      <Facts
        rows={[
          [t('complaint.audit.due'), formatDate(ctx, view.dueAt, false)],
          [t('complaint.audit.opened'), `${formatDate(ctx, view.openedAt)} — ${view.openedBy?.name ?? '—'}`],
          [
            t('complaint.audit.from_complaint'),
            view.complaintId ? (
              <a href={service.complaintPage(view.complaintId)} key="c">
                {view.complaintReference}
              </a>
            ) : (
              t('complaint.audit.no_complaint')
            ),
          ],
        ]}
      />
      <h2>{t('complaint.audit.scope')}</h2>
      <Text text={view.scope} />
      <section aria-labelledby="findings-title" class="fr-mb-4w">
        <h2 id="findings-title">{t('complaint.audit.findings')}</h2>
        {view.findings.length === 0 ? (
          <p>{t('complaint.audit.no_findings')}</p>
        ) : (
          <TableFrame caption={t('complaint.audit.findings_caption')}>
            <thead>
              <tr>
                <th scope="col">{t('complaint.audit.finding_text')}</th>
                <th scope="col">{t('complaint.audit.finding_due')}</th>
                <th scope="col">{t('complaint.audit.finding_state')}</th>
              </tr>
            </thead>
            <tbody>
              {view.findings.map((f) => (
                <tr key={f.id}>
                  <td>{f.text}</td>
                  <td>{formatDate(ctx, new Date(f.dueAt), false)}</td>
                  <td>
                    {f.resolvedAt ? (
                      t('complaint.audit.resolved_on', {
                        date: formatDate(ctx, new Date(f.resolvedAt), false),
                      })
                    ) : view.mayChange ? (
                      <form method="post" action={`${base}/constats/${f.id}/corrige`}>
                        <Csrf ctx={ctx} />
                        <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
                        {late.has(f.id) ? (
                          <p class="fr-badge fr-badge--sm fr-badge--warning fr-mb-1w">
                            {t('complaint.audit.late')}
                          </p>
                        ) : null}
                        <button
                          type="submit"
                          class="fr-btn fr-btn--sm fr-btn--secondary"
                          title={t('complaint.audit.resolve_title', { text: f.text.slice(0, 80) })}
                        >
                          {t('complaint.audit.resolve')}
                        </button>
                      </form>
                    ) : late.has(f.id) ? (
                      t('complaint.audit.late')
                    ) : (
                      t('complaint.audit.pending')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </TableFrame>
        )}
        {view.mayChange ? (
          <form method="post" action={`${base}/constats`} class="fr-mt-2w" novalidate>
            <h3>{t('complaint.audit.add_finding')}</h3>
            <FormError
              ctx={ctx}
              error={errorOf('finding')}
              targets={{
                'findings.0.text': [t('complaint.audit.finding_text'), 'f-new-text'],
                'findings.0.dueAt': [t('complaint.audit.finding_due'), 'f-new-dueAt'],
                findings: [t('complaint.audit.findings'), 'f-new-text'],
              }}
            />
            <Csrf ctx={ctx} />
            <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
            <TextArea
              ctx={ctx}
              id="f-new-text"
              name="finding_0_text"
              label={t('complaint.audit.finding_text')}
              value={shown.form === 'finding' ? (values.finding_0_text ?? '') : ''}
              error={fieldsOf('finding')['findings.0.text']}
              rows={3}
            />
            <DateInput
              ctx={ctx}
              id="f-new-dueAt"
              name="finding_0_dueAt"
              label={t('complaint.audit.finding_due')}
              hint={t('complaint.audit.finding_due_hint')}
              value={shown.form === 'finding' ? (values.finding_0_dueAt ?? '') : ''}
              error={fieldsOf('finding')['findings.0.dueAt']}
            />
            <button type="submit" class="fr-btn fr-btn--secondary">
              {t('complaint.audit.add_finding_submit')}
            </button>
          </form>
        ) : null}
      </section>
      <section aria-labelledby="conclusion-title">
        <h2 id="conclusion-title">{t('complaint.audit.conclusion')}</h2>
        {view.status === 'closed' ? (
          <>
            <p class="fr-text--sm">
              {t('complaint.audit.closed_on', { date: formatDate(ctx, view.closedAt) })}
            </p>
            <Text text={view.conclusion ?? ''} />
          </>
        ) : view.mayChange ? (
          <form method="post" action={`${base}/cloture`} novalidate>
            <FormError
              ctx={ctx}
              error={errorOf('close')}
              targets={{ conclusion: [t('complaint.audit.conclusion'), 'f-conclusion'] }}
            />
            <Csrf ctx={ctx} />
            <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
            <TextArea
              ctx={ctx}
              id="f-conclusion"
              name="conclusion"
              label={t('complaint.audit.conclusion')}
              hint={t('complaint.audit.conclusion_hint')}
              value={shown.form === 'close' ? (values.conclusion ?? '') : ''}
              error={fieldsOf('close').conclusion}
              rows={5}
            />
            <button type="submit" class="fr-btn">
              {t('complaint.audit.close')}
            </button>
          </form>
        ) : (
          <p>{t('complaint.audit.open_still')}</p>
        )}
      </section>
    </Page>
  );
}

function NewAuditPage({ ctx, target, shown }: { ctx: PageContext; target: ServiceRef; shown: Shown }) {
  const { t } = ctx;
  const title = t('complaint.audit.new_title', { product: target.productName });
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['alert', 'form', 'input']}
      breadcrumb={[
        [t('workspace.title'), '/instruction'],
        [target.productName, dossierPage(target.dossierId)],
        [title, newAuditPath(target.dossierId)],
      ]}
    >
      <h1>{title}</h1>
      <p>{t('complaint.audit.open_intro')}</p>
      <FormError ctx={ctx} error={shown.error} targets={openingTargets(ctx)} />
      <form method="post" action={`/instruction/dossiers/${target.dossierId}/audits`} novalidate>
        <Csrf ctx={ctx} />
        <OpeningFields ctx={ctx} values={shown.values ?? {}} fields={shown.error?.fields ?? {}} />
        <button type="submit" class="fr-btn">
          {t('complaint.audit.open_submit')}
        </button>
      </form>
    </Page>
  );
}

// ── routes ──────────────────────────────────────────────────────────────────

const flashes: Record<string, string> = {
  taken: 'complaint.flash.taken',
  answered: 'complaint.flash.answered',
  closed: 'complaint.flash.closed',
  suspended: 'complaint.flash.suspended',
  audit: 'complaint.flash.audit_opened',
  finding: 'complaint.flash.finding_added',
  resolved: 'complaint.flash.finding_resolved',
  audit_closed: 'complaint.flash.audit_closed',
};

/** Expected refusals of a change shown on its page: conflicts, illegal steps, field problems, limits. */
const shownStatuses = [409, 422, 429];

export function complaintPages(deps: ComplaintDeps) {
  return async (app: App) => {
    const hide = { hide: true };
    type IdParams = { Params: { id: string } };
    type DossierParams = { Params: { dossierId: string } };
    const citizen = { action: 'complaint.file' as const, signIn: '/usager/connexion' };
    const citizenSpace = { action: 'citizen.space' as const, signIn: '/usager/connexion' };
    const staff = { action: 'dossier.staff' as const };
    const flashOf = (request: FastifyRequest) => flashes[queryText(request, 'ok')];

    // ── citizens

    const showReport = async (
      request: FastifyRequest,
      reply: FastifyReply,
      dossierId: string,
      shown: Shown,
    ) => {
      const target = await service.reportTarget(deps, dossierId);
      return html(
        reply,
        shown.status,
        renderPage(
          <ReportPage
            ctx={request.pageContext()}
            target={target}
            categories={deps.categories}
            shown={shown}
          />,
        ),
      );
    };

    app.get<DossierParams>(
      '/services/:dossierId/signaler',
      { config: citizen, schema: hide },
      (request, reply) => showReport(request, reply, request.params.dossierId, { status: 200 }),
    );

    app.post<DossierParams>(
      '/services/:dossierId/signaler',
      { config: citizen, schema: hide },
      async (request, reply) => {
        const values = { category: field(request.body, 'category'), message: field(request.body, 'message') };
        try {
          const filed = await service.fileComplaint(deps, request.actor, request.params.dossierId, values);
          return reply.redirect(`${CITIZEN_LIST}/${filed.id}?ok=filed`, 303);
        } catch (error) {
          if (error instanceof AppError && shownStatuses.includes(error.status))
            return showReport(request, reply, request.params.dossierId, {
              status: error.status,
              error: pageError(request, error),
              values,
            });
          throw error;
        }
      },
    );

    app.get(CITIZEN_LIST, { config: citizenSpace, schema: hide }, async (request, reply) =>
      html(
        reply,
        200,
        renderPage(
          <CitizenList
            ctx={request.pageContext()}
            items={await service.citizenComplaints(deps, request.actor)}
            categories={deps.categories}
          />,
        ),
      ),
    );

    app.get<IdParams>(`${CITIZEN_LIST}/:id`, { config: citizenSpace, schema: hide }, async (request, reply) =>
      html(
        reply,
        200,
        renderPage(
          <CitizenDetail
            ctx={request.pageContext()}
            item={await service.citizenComplaint(deps, request.actor, request.params.id)}
            categories={deps.categories}
            filed={queryText(request, 'ok') === 'filed'}
          />,
        ),
      ),
    );

    // ── the instruction: reports

    app.get(QUEUE, { config: staff, schema: hide }, async (request, reply) => {
      const status = queryText(request, 'statut');
      const page = Number(queryText(request, 'page'));
      const reference = queryText(request, 'reference').trim();
      const queue = await service.complaintQueue(deps, request.actor, {
        status: (complaintStatuses as readonly string[]).includes(status)
          ? (status as ComplaintStatus)
          : undefined,
        page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
        dossierId: queryText(request, 'dossier') || undefined,
        reference: reference || undefined,
      });
      // A citizen's reference (a telephone call, a mail) leads straight to their report.
      if (queue.found) return reply.redirect(service.complaintPage(queue.found), 303);
      return html(
        reply,
        200,
        renderPage(
          <Queue
            ctx={request.pageContext()}
            queue={queue}
            categories={deps.categories}
            reference={reference}
          />,
        ),
      );
    });

    const showComplaint = async (request: FastifyRequest, reply: FastifyReply, id: string, shown: Shown) => {
      const view = await service.getComplaint(deps, request.actor, id);
      return html(
        reply,
        shown.status,
        renderPage(
          <ComplaintDetail
            ctx={request.pageContext()}
            view={view}
            categories={deps.categories}
            shown={{ ...shown, flash: shown.flash ?? (shown.status === 200 ? flashOf(request) : undefined) }}
          />,
        ),
      );
    };

    app.get<IdParams>(`${QUEUE}/:id`, { config: staff, schema: hide }, (request, reply) =>
      showComplaint(request, reply, request.params.id, { status: 200 }),
    );

    /** Runs a change of a report; its expected refusals are shown on the report's page, with what was typed. */
    const complaintChange = async (
      request: FastifyRequest<IdParams>,
      reply: FastifyReply,
      form: string,
      run: () => Promise<unknown>,
      ok: string,
      values: Record<string, string> = {},
      redirect?: (result: unknown) => string,
    ) => {
      const { id } = request.params;
      try {
        const result = await run();
        return reply.redirect(redirect ? redirect(result) : `${service.complaintPage(id)}?ok=${ok}`, 303);
      } catch (error) {
        const conflict = error instanceof ComplaintConflict || error instanceof DossierConflict;
        if (error instanceof AppError && shownStatuses.includes(error.status)) {
          return showComplaint(request, reply, id, {
            status: error.status,
            conflict,
            error: conflict ? undefined : pageError(request, error),
            form: conflict ? undefined : Object.keys(error.fields).length > 0 ? form : 'general',
            values,
          });
        }
        throw error;
      }
    };

    const simpleMove = (suffix: string, move: ComplaintMove, ok: string) =>
      app.post<IdParams>(`${QUEUE}/:id/${suffix}`, { config: staff, schema: hide }, (request, reply) => {
        const rowVersion = formVersion(request.body);
        return complaintChange(
          request,
          reply,
          move,
          () => service.moveComplaint(deps, request.actor, request.params.id, rowVersion, move),
          ok,
        );
      });
    simpleMove('prise-en-charge', 'take', 'taken');
    simpleMove('cloture', 'close', 'closed');

    app.post<IdParams>(`${QUEUE}/:id/reponse`, { config: staff, schema: hide }, (request, reply) => {
      const rowVersion = formVersion(request.body);
      const answer = field(request.body, 'answer');
      return complaintChange(
        request,
        reply,
        'answer',
        () => service.moveComplaint(deps, request.actor, request.params.id, rowVersion, 'answer', answer),
        'answered',
        { answer },
      );
    });

    app.post<IdParams>(`${QUEUE}/:id/suspension`, { config: staff, schema: hide }, (request, reply) => {
      const rowVersion = formVersion(request.body);
      const dossierRowVersion = formVersion(request.body, 'dossierRowVersion');
      const reasons = field(request.body, 'reasons');
      return complaintChange(
        request,
        reply,
        'suspend',
        () =>
          service.suspendFromComplaint(
            deps,
            request.actor,
            request.params.id,
            rowVersion,
            dossierRowVersion,
            reasons,
          ),
        'suspended',
        { reasons },
      );
    });

    app.post<IdParams>(`${QUEUE}/:id/audit`, { config: staff, schema: hide }, async (request, reply) => {
      const rowVersion = formVersion(request.body);
      const view = await service.getComplaint(deps, request.actor, request.params.id);
      const values: Record<string, string> = {
        scope: field(request.body, 'scope'),
        dueAt: field(request.body, 'dueAt'),
      };
      const findings = formFindings(request.body, OPENING_FINDING_ROWS);
      findings.forEach((f, i) => {
        values[`finding_${i}_text`] = f.text;
        values[`finding_${i}_dueAt`] = f.dueAt;
      });
      return complaintChange(
        request,
        reply,
        'audit',
        () =>
          service.openAudit(deps, request.actor, view.service.dossierId, {
            scope: values.scope as string,
            dueAt: values.dueAt as string,
            findings,
            complaint: { id: view.id, rowVersion },
          }),
        'audit',
        values,
        (result) => `${service.auditPage((result as AuditView).id)}?ok=audit`,
      );
    });

    // ── the instruction: audits

    app.get(AUDITS, { config: staff, schema: hide }, async (request, reply) => {
      const s = queryText(request, 'statut');
      const status = (auditStatuses as readonly string[]).includes(s) ? (s as AuditStatus) : undefined;
      return html(
        reply,
        200,
        renderPage(
          <AuditListPage
            ctx={request.pageContext()}
            items={await service.auditList(deps, request.actor, { status })}
            status={status}
          />,
        ),
      );
    });

    const showAudit = async (request: FastifyRequest, reply: FastifyReply, id: string, shown: Shown) => {
      // The instruction's page: staff only (a publisher reads its audits through the API and its file's page).
      const view = await service.getAudit(deps, request.actor, id);
      return html(
        reply,
        shown.status,
        renderPage(
          <AuditDetail
            ctx={request.pageContext()}
            view={view}
            now={deps.now ? deps.now() : new Date()}
            shown={{ ...shown, flash: shown.flash ?? (shown.status === 200 ? flashOf(request) : undefined) }}
          />,
        ),
      );
    };

    app.get<IdParams>(`${AUDITS}/:id`, { config: staff, schema: hide }, (request, reply) =>
      showAudit(request, reply, request.params.id, { status: 200 }),
    );

    const auditChange = async (
      request: FastifyRequest<IdParams>,
      reply: FastifyReply,
      form: string,
      change: service.AuditChange,
      ok: string,
      values: Record<string, string> = {},
    ) => {
      const { id } = request.params;
      const rowVersion = formVersion(request.body);
      try {
        await service.changeAudit(deps, request.actor, id, rowVersion, change);
        return reply.redirect(`${service.auditPage(id)}?ok=${ok}`, 303);
      } catch (error) {
        const conflict = error instanceof AuditConflict;
        if (error instanceof AppError && shownStatuses.includes(error.status))
          return showAudit(request, reply, id, {
            status: error.status,
            conflict,
            error: conflict ? undefined : pageError(request, error),
            form: conflict ? undefined : Object.keys(error.fields).length > 0 ? form : 'general',
            values,
          });
        throw error;
      }
    };

    app.post<IdParams>(`${AUDITS}/:id/constats`, { config: staff, schema: hide }, (request, reply) => {
      const [finding] = formFindings(request.body, 1);
      const f = finding as FindingInput;
      return auditChange(request, reply, 'finding', { addFindings: [f] }, 'finding', {
        finding_0_text: f.text,
        finding_0_dueAt: f.dueAt,
      });
    });

    app.post<{ Params: { id: string; findingId: string } }>(
      `${AUDITS}/:id/constats/:findingId/corrige`,
      { config: staff, schema: hide },
      (request, reply) =>
        auditChange(request, reply, 'general', { resolveFindings: [request.params.findingId] }, 'resolved'),
    );

    app.post<IdParams>(`${AUDITS}/:id/cloture`, { config: staff, schema: hide }, (request, reply) => {
      const conclusion = field(request.body, 'conclusion');
      return auditChange(request, reply, 'close', { close: { conclusion } }, 'audit_closed', { conclusion });
    });

    // ── audits opened from the file

    const showNewAudit = async (
      request: FastifyRequest,
      reply: FastifyReply,
      dossierId: string,
      shown: Shown,
    ) => {
      const target = await service.auditTarget(deps, request.actor, dossierId);
      return html(
        reply,
        shown.status,
        renderPage(<NewAuditPage ctx={request.pageContext()} target={target} shown={shown} />),
      );
    };

    app.get<IdParams>(
      '/instruction/dossiers/:id/audits/nouveau',
      { config: staff, schema: hide },
      (request, reply) => showNewAudit(request, reply, request.params.id, { status: 200 }),
    );

    app.post<IdParams>(
      '/instruction/dossiers/:id/audits',
      { config: staff, schema: hide },
      async (request, reply) => {
        const values: Record<string, string> = {
          scope: field(request.body, 'scope'),
          dueAt: field(request.body, 'dueAt'),
        };
        const findings = formFindings(request.body, OPENING_FINDING_ROWS);
        findings.forEach((f, i) => {
          values[`finding_${i}_text`] = f.text;
          values[`finding_${i}_dueAt`] = f.dueAt;
        });
        try {
          const audit = await service.openAudit(deps, request.actor, request.params.id, {
            scope: values.scope as string,
            dueAt: values.dueAt as string,
            findings,
          });
          return reply.redirect(`${service.auditPage(audit.id)}?ok=audit`, 303);
        } catch (error) {
          if (error instanceof AppError && shownStatuses.includes(error.status))
            return showNewAudit(request, reply, request.params.id, {
              status: error.status,
              error: pageError(request, error),
              values,
            });
          throw error;
        }
      },
    );
  };
}
