/**
 * The publisher's pages of the referencing file (dossier de référencement): the files of each organisation
 * with a « Nouvelle demande » form; a file with what is expected of the publisher, its timeline and the
 * processing times; the draft request (data-exchange declaration, documents, checklist, submission); what
 * was filed (the frozen snapshot); the publisher's steps (answering a request for information, withdrawing,
 * taking offline, renewal, new versions, connection-test reports). Forms work without JavaScript: each POST
 * redirects to the page it changed, or shows that page again with what went wrong and what was typed.
 */
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { AppContext } from '../app.ts';
import { type AssessmentReport, type AssessmentView, getAssessment } from '../assessment/index.ts';
import { listOrganisationsOf, type OrganisationOfAccount } from '../identity/index.ts';
import { AppError, notFound, validationFailed } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { listProductsOf, type Product } from '../product/index.ts';
import type { ReferentialVersion } from '../referential/index.ts';
import {
  Alert,
  ChoiceGroup,
  Csrf,
  FieldMessages,
  FormError,
  type PageError,
  pageErrorOf,
  TextField,
} from '../web/components.tsx';
import { formatDate as formatPageDate } from '../web/dates.ts';
import { type FormBody as Body, formField as field, formFields as fields } from '../web/forms.ts';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import { isAdminFileValidated, publisherPageOf } from './admin-file-service.ts';
import {
  type CatalogueStatus,
  type DataExchangeDeclaration,
  type DossierState,
  dossierStates,
  finalStates,
  type RequestContent,
  requiredDocuments,
  type Typology,
} from './model.ts';
import { OAuthClientSection } from './oauth-client-section.tsx';
import { type OAuthClientView, oauthClientOf } from './oauth-client-service.ts';
import * as service from './service.ts';
import {
  DossierConflict,
  type DossierDeps,
  type DossierSummary,
  type DossierView,
  type TimelineEntry,
} from './service.ts';

export const PUBLISHER_FILES = '/editeur/dossiers';
export const publisherFilePath = (id: string) => `${PUBLISHER_FILES}/${id}`;

/** How many files an answer to a request for information may carry. */
export const MAX_ANSWER_FILES = 5;

/** Kinds of document a publisher attaches to a draft request. */
const publisherDocumentKinds = ['cgu', 'privacy', 'dpia', 'other'] as const;

/** The steps the publisher's forms may post (the service decides whether the person may take them). */
const publisherSteps = [
  'submit',
  'withdraw',
  'answer_info',
  'take_offline',
  'request_renewal',
  'declare_version',
  'test_report',
] as const;
type PublisherStep = (typeof publisherSteps)[number];

type Current = DossierConflict['current'];

// ── reading forms ───────────────────────────────────────────────────────────

/** A file as the multipart reader of this plugin leaves it in the body. */
interface Upload {
  fileName: string;
  bytes: Buffer;
  truncated: boolean;
}

/** The files sent under `name`; an empty file input (no file chosen) sends nothing worth keeping. */
function uploads(body: Body, name: string): service.Upload[] {
  const value = body?.[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return (
    list
      // Only the multipart reader makes a Buffer: a urlencoded field cannot pass for an upload.
      .filter((u): u is Upload => typeof u === 'object' && u !== null && Buffer.isBuffer((u as Upload).bytes))
      .filter((u) => u.fileName !== '' || u.bytes.length > 0)
      .map((u) => ({ name: u.fileName, bytes: u.bytes }))
  );
}

/** The version the form was read at; a form without one was not ours: it can only conflict with what is stored. */
function formVersion(body: Body): number {
  const raw = field(body, 'rowVersion');
  return /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
}

const emptyDeclaration: DataExchangeDeclaration = {
  justification: '',
  access: '',
  categories: [],
  finalites: [],
  retention: '',
  security: '',
  consentText: '',
  redirectUris: [],
  supportContact: '',
};

/** The request as the person typed it in the form. */
function requestFrom(body: Body, typology: Typology): RequestContent {
  const content: RequestContent = { presentation: field(body, 'presentation') };
  if (typology !== 'avec-echange') return content;
  const read = fields(body, 'categoryRead');
  const write = fields(body, 'categoryWrite');
  const codes = [...new Set([...read, ...write])];
  content.dataExchange = {
    justification: field(body, 'justification'),
    access: field(body, 'access'),
    categories: codes.map((code) => ({ code, read: read.includes(code), write: write.includes(code) })),
    finalites: fields(body, 'finalites'),
    retention: field(body, 'retention'),
    security: field(body, 'security'),
    consentText: field(body, 'consentText'),
    redirectUris: field(body, 'redirectUris')
      .split(/\r?\n/)
      .map((u) => u.trim())
      .filter(Boolean),
    jwksUri: field(body, 'jwksUri'),
    jwks: field(body, 'jwks'),
    supportContact: field(body, 'supportContact'),
  };
  return content;
}

// ── small components ────────────────────────────────────────────────────────

function formatDate(ctx: PageContext, date: Date | string | null | undefined, withTime = true): string {
  return formatPageDate(ctx.locale, date, withTime ? 'date-time' : 'long-day');
}

function Time({ ctx, date, withTime = true }: { ctx: PageContext; date: Date | string; withTime?: boolean }) {
  const d = typeof date === 'string' ? new Date(date) : date;
  return (
    <time dateTime={Number.isNaN(d.getTime()) ? undefined : d.toISOString()}>
      {formatDate(ctx, d, withTime)}
    </time>
  );
}

function formatBytes(ctx: PageContext, bytes: number): string {
  if (bytes >= 1024 * 1024)
    return ctx.t('dossier.publisher.size.mib', { count: Math.round((bytes / 1048576) * 10) / 10 });
  if (bytes >= 1024) return ctx.t('dossier.publisher.size.kib', { count: Math.round(bytes / 1024) });
  return ctx.t('dossier.publisher.size.bytes', { count: bytes });
}

const stateBadges: Record<DossierState, string> = {
  draft: 'info',
  submitted: 'new',
  inadmissible: 'error',
  evaluation: 'new',
  info_requested: 'warning',
  ready_for_commission: 'new',
  opinion_given: 'new',
  accepted: 'new',
  refused: 'error',
  convention_signed: 'new',
  connection_tests: 'warning',
  published: 'success',
  withdrawn: 'error',
  update_accepted: 'success',
  update_refused: 'error',
};

const catalogueBadges: Record<CatalogueStatus, string> = {
  EN_LIGNE: 'success',
  PRESERIE: 'info',
  HORS_LIGNE: 'warning',
  SUSPENDUE: 'error',
  DEREFERENCEE: 'error',
};

function StateBadge({ ctx, state }: { ctx: PageContext; state: DossierState }) {
  return (
    <span class={`fr-badge fr-badge--sm fr-badge--no-icon fr-badge--${stateBadges[state] ?? 'info'}`}>
      {ctx.t(`dossier.state.${state}`)}
    </span>
  );
}

function CatalogueBadge({ ctx, status }: { ctx: PageContext; status: CatalogueStatus | null }) {
  if (!status) return <>—</>;
  return (
    <span class={`fr-badge fr-badge--sm fr-badge--no-icon fr-badge--${catalogueBadges[status] ?? 'info'}`}>
      {ctx.t(`dossier.catalogue.${status}`)}
    </span>
  );
}

/** A text as the person typed it: its paragraphs and line breaks kept. */
function Typed({ text }: { text: string }) {
  const paragraphs = text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => p.split(/\r?\n/));
  return (
    <>
      {paragraphs.map((lines) => (
        <p class="fr-mb-1w" key={lines.join('\n')}>
          {lines.map((line, i) => (
            <>
              {i > 0 ? <br /> : null}
              {line}
            </>
          ))}
        </p>
      ))}
    </>
  );
}

function documentLabel(ctx: PageContext, kind: string): string {
  const key = `dossier.document.${kind}`;
  const label = ctx.t(key);
  return label === key ? ctx.t('dossier.document.other') : label;
}

/** A file input, DSFR upload group. */
function UploadField(props: {
  ctx: PageContext;
  id: string;
  name: string;
  label: string;
  hint: string;
  error?: string;
  multiple?: boolean;
  accept?: string;
}) {
  return (
    <div class={`fr-upload-group${props.error ? ' fr-upload-group--error' : ''}`}>
      <label class="fr-label" for={props.id}>
        {props.label}
        <span class="fr-hint-text">{props.hint}</span>
      </label>
      <input
        class="fr-upload"
        type="file"
        id={props.id}
        name={props.name}
        multiple={props.multiple}
        accept={props.accept}
        aria-describedby={`${props.id}-messages`}
        aria-invalid={props.error ? 'true' : undefined}
      />
      <FieldMessages ctx={props.ctx} id={props.id} error={props.error} />
    </div>
  );
}

/** Someone changed the file since the page was read: what it is now, and what to do. */
function ConflictAlert({
  ctx,
  current,
  children,
}: {
  ctx: PageContext;
  current: Current;
  children?: ComponentChildren;
}) {
  const { t } = ctx;
  return (
    <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert">
      <h2 class="fr-alert__title">{t('dossier.publisher.conflict.title')}</h2>
      <p>{t('dossier.conflict', { version: current.rowVersion })}</p>
      <p>
        {t('dossier.publisher.conflict.now')} <StateBadge ctx={ctx} state={current.state} />
        {current.catalogueStatus ? (
          <>
            {' '}
            <CatalogueBadge ctx={ctx} status={current.catalogueStatus} />
          </>
        ) : null}
      </p>
      {children}
      <p>{t('dossier.publisher.conflict.next')}</p>
    </div>
  );
}

function Flash({
  ctx,
  flash,
  params,
}: {
  ctx: PageContext;
  flash?: string;
  params?: Record<string, string>;
}) {
  if (!flash) return null;
  return (
    <Alert kind="success">
      <p>{ctx.t(`dossier.publisher.flash.${flash}`, params)}</p>
    </Alert>
  );
}

const flashes = new Set([
  'created',
  'saved',
  'document_added',
  'document_removed',
  'submit',
  'withdraw',
  'answer_info',
  'take_offline',
  'request_renewal',
  'version_declared',
  'update_created',
  'test_report',
  'client_secret_dropped',
]);

function flashOf(request: FastifyRequest): string | undefined {
  const ok = field(request.query as Body, 'ok');
  return flashes.has(ok) ? ok : undefined;
}

function fileTitle(ctx: PageContext, view: Pick<DossierView, 'number'>): string {
  return view.number ?? ctx.t('dossier.publisher.draft_number');
}

const pageCss = [
  'alert',
  'badge',
  'table',
  'callout',
  'form',
  'input',
  'checkbox',
  'radio',
  'select',
  'upload',
] as const;

function Breadcrumb(ctx: PageContext, view?: DossierView, last?: [string, string]): Array<[string, string]> {
  const trail: Array<[string, string]> = [
    [ctx.t('identity.publisher.title'), '/editeur'],
    [ctx.t('dossier.publisher.list.title'), PUBLISHER_FILES],
  ];
  if (view) trail.push([`${fileTitle(ctx, view)} — ${view.product.displayName}`, publisherFilePath(view.id)]);
  if (last) trail.push(last);
  return trail;
}

// ── the list of files ───────────────────────────────────────────────────────

interface OrganisationFiles {
  organisation: OrganisationOfAccount;
  files: DossierSummary[];
  products: Product[];
  adminFileValidated: boolean;
}

interface ListState {
  status: number;
  create?: { organisationId?: string; productId: string; error: PageError };
}

function FilesTable({ ctx, group }: { ctx: PageContext; group: OrganisationFiles }) {
  const { t } = ctx;
  return (
    <div class="fr-table fr-table--multiline">
      <div class="fr-table__wrapper">
        <div class="fr-table__container">
          <div class="fr-table__content">
            <table>
              <caption>{t('dossier.publisher.list.caption', { name: group.organisation.legalName })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dossier.publisher.field.number')}</th>
                  <th scope="col">{t('dossier.publisher.field.service')}</th>
                  <th scope="col">{t('dossier.publisher.field.kind')}</th>
                  <th scope="col">{t('dossier.publisher.field.state')}</th>
                  <th scope="col">{t('dossier.publisher.field.catalogue')}</th>
                  <th scope="col">{t('dossier.publisher.field.phase_due')}</th>
                  <th scope="col">{t('dossier.publisher.field.expected')}</th>
                </tr>
              </thead>
              <tbody>
                {group.files.map((f) => (
                  <tr key={f.id}>
                    <th scope="row">
                      <a class="fr-link" href={publisherFilePath(f.id)}>
                        {f.number ?? t('dossier.publisher.draft_number')}
                      </a>
                    </th>
                    <td>{f.productName}</td>
                    <td>{t(`dossier.kind.${f.kind}`)}</td>
                    <td>
                      <StateBadge ctx={ctx} state={f.state} />
                    </td>
                    <td>
                      <CatalogueBadge ctx={ctx} status={f.catalogueStatus} />
                    </td>
                    <td>{f.phaseDueAt ? <Time ctx={ctx} date={f.phaseDueAt} /> : '—'}</td>
                    <td>
                      {f.expectedFrom === 'publisher' ? (
                        <strong>{t('dossier.publisher.expected.you')}</strong>
                      ) : f.expectedFrom ? (
                        t(`dossier.expected.${f.expectedFrom}`)
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

function NewRequestForm({
  ctx,
  group,
  state,
}: {
  ctx: PageContext;
  group: OrganisationFiles;
  state: ListState;
}) {
  const { t } = ctx;
  const org = group.organisation;
  const mine = state.create && state.create.organisationId === org.id ? state.create : undefined;
  const id = `f-product-${org.id}`;
  const error = mine ? Object.values(mine.error.fields)[0] : undefined;
  if (group.products.length === 0) {
    return (
      <p>
        {t('dossier.publisher.create.no_services')}{' '}
        <a class="fr-link" href="/editeur/services">
          {t('dossier.publisher.create.services_link')}
        </a>
      </p>
    );
  }
  return (
    <form method="post" action={PUBLISHER_FILES} class="fr-mt-2w" id={`nouvelle-demande-${org.id}`}>
      <Csrf ctx={ctx} />
      <h3 class="fr-h6">{t('dossier.publisher.create.title')}</h3>
      {mine && !error ? (
        <Alert kind="error">
          <p>{mine.error.message}</p>
        </Alert>
      ) : null}
      <div class={`fr-select-group${error ? ' fr-select-group--error' : ''}`}>
        <label class="fr-label" for={id}>
          {t('dossier.publisher.create.service')}
          <span class="fr-hint-text">{t('dossier.publisher.create.service_hint')}</span>
        </label>
        <select
          class="fr-select"
          id={id}
          name="productId"
          aria-describedby={`${id}-messages`}
          aria-invalid={error ? 'true' : undefined}
        >
          {group.products.map((p) => (
            <option value={p.id} key={p.id} selected={mine?.productId === p.id}>
              {`${p.displayName} — ${t(`dossier.typology.${p.dataExchange ? 'avec-echange' : 'sans-echange'}`)}`}
            </option>
          ))}
        </select>
        <FieldMessages ctx={ctx} id={id} error={error} />
      </div>
      <button type="submit" class="fr-btn fr-btn--secondary">
        {t('dossier.publisher.create.submit')}
      </button>
    </form>
  );
}

function ListPage({
  ctx,
  groups,
  state,
}: {
  ctx: PageContext;
  groups: OrganisationFiles[];
  state: ListState;
}) {
  const { t } = ctx;
  const orphan = state.create && !groups.some((g) => g.organisation.id === state.create?.organisationId);
  return (
    <Page ctx={ctx} title={t('dossier.publisher.list.title')} css={[...pageCss]} breadcrumb={Breadcrumb(ctx)}>
      <h1>{t('dossier.publisher.list.title')}</h1>
      <p>{t('dossier.publisher.list.intro')}</p>
      {orphan && state.create ? (
        <Alert kind="error">
          <p>{state.create.error.message}</p>
        </Alert>
      ) : null}
      {groups.length === 0 ? (
        <Alert kind="info">
          <p>{t('dossier.publisher.list.no_organisation')}</p>
        </Alert>
      ) : null}
      {groups.map((group) => (
        <section
          key={group.organisation.id}
          aria-labelledby={`org-${group.organisation.id}`}
          class="fr-mb-6w"
        >
          <h2 id={`org-${group.organisation.id}`}>{group.organisation.legalName}</h2>
          {group.adminFileValidated ? (
            <p>
              <span class="fr-badge fr-badge--sm fr-badge--success">
                {t('dossier.publisher.admin_file.validated')}
              </span>
            </p>
          ) : (
            <Alert kind="warning" title={t('dossier.publisher.admin_file.not_validated')}>
              <p>{t('dossier.publisher.admin_file.not_validated_body')}</p>
              <p>
                <a class="fr-link" href={publisherPageOf(group.organisation.id)}>
                  {t('dossier.publisher.admin_file.link', { name: group.organisation.legalName })}
                </a>
              </p>
            </Alert>
          )}
          {group.files.length === 0 ? (
            <p>{t('dossier.publisher.list.none')}</p>
          ) : (
            <FilesTable ctx={ctx} group={group} />
          )}
          {group.organisation.status === 'active' ? (
            <NewRequestForm ctx={ctx} group={group} state={state} />
          ) : null}
        </section>
      ))}
    </Page>
  );
}

// ── the file ────────────────────────────────────────────────────────────────

interface FileState {
  status: number;
  flash?: string;
  error?: PageError;
  /** The step form the error and the values belong to. */
  form?: string;
  values?: Body;
  conflict?: Current;
}

function SummaryList({ ctx, view }: { ctx: PageContext; view: DossierView }) {
  const { t } = ctx;
  const version = view.referentialVersion;
  const rows: Array<[string, ComponentChildren]> = [
    [t('dossier.publisher.field.number'), view.number ?? t('dossier.publisher.draft_number')],
    [
      t('dossier.publisher.field.service'),
      <a class="fr-link" href={`/editeur/services/${view.product.id}`} key="s">
        {view.product.displayName}
      </a>,
    ],
    [t('dossier.publisher.field.organisation'), view.organisation.legalName],
    [t('dossier.publisher.field.kind'), t(`dossier.kind.${view.kind}`)],
    [t('dossier.publisher.field.typology'), t(`dossier.typology.${view.typology}`)],
    [t('dossier.publisher.field.product_version'), view.productVersion],
    [
      t('dossier.publisher.field.referential'),
      <a class="fr-link" href={`/referentiels/${encodeURIComponent(version)}`} key="r">
        {version}
      </a>,
    ],
    [t('dossier.publisher.field.state'), <StateBadge ctx={ctx} state={view.state} key="st" />],
    [
      t('dossier.publisher.field.catalogue'),
      <CatalogueBadge ctx={ctx} status={view.catalogueStatus} key="c" />,
    ],
  ];
  if (view.submittedAt)
    rows.push([t('dossier.publisher.field.submitted_at'), formatDate(ctx, view.submittedAt)]);
  if (view.oid) rows.push([t('dossier.publisher.field.oid'), <code key="oid">{view.oid}</code>]);
  if (view.publishedAt)
    rows.push([t('dossier.publisher.field.published_at'), formatDate(ctx, view.publishedAt)]);
  if (view.referencedUntil)
    rows.push([t('dossier.publisher.field.referenced_until'), formatDate(ctx, view.referencedUntil, false)]);
  if (view.state === 'published')
    rows.push([
      t('dossier.publisher.field.renewal'),
      t(
        view.renewalRequested
          ? 'dossier.publisher.renewal.requested'
          : 'dossier.publisher.renewal.not_requested',
      ),
    ]);
  if (view.updateDueAt)
    rows.push([t('dossier.publisher.field.update_due'), formatDate(ctx, view.updateDueAt)]);
  if (view.parentId)
    rows.push([
      t('dossier.publisher.field.parent'),
      <a class="fr-link" href={publisherFilePath(view.parentId)} key="p">
        {t('dossier.publisher.field.parent_link')}
      </a>,
    ]);
  if (view.touchedCriteria && view.touchedCriteria.length > 0)
    rows.push([t('dossier.publisher.field.touched'), view.touchedCriteria.join(', ')]);
  return (
    <dl class="fr-mb-4w">
      {rows.map(([label, value]) => (
        <div key={label} class="fr-mb-1w">
          <dt class="fr-text--bold fr-mb-0">{label}</dt>
          <dd class="fr-ml-0">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function openInfoRequest(view: DossierView) {
  return view.state === 'info_requested'
    ? view.infoRequests.filter((r) => r.answer === null).at(-1)
    : undefined;
}

/** « Ce qui est attendu de vous »: who holds the file, until when, and what the publisher should do. */
function ExpectedBox({ ctx, view }: { ctx: PageContext; view: DossierView }) {
  const { t } = ctx;
  const due = view.phaseDueAt ? formatDate(ctx, view.phaseDueAt) : null;
  const lines: ComponentChildren[] = [];
  const base = publisherFilePath(view.id);
  if (view.expectedFrom === 'publisher') {
    if (view.state === 'draft') {
      lines.push(
        <p class="fr-callout__text" key="d">
          {t('dossier.publisher.expected.draft')}{' '}
          {view.mayEditRequest ? (
            <a class="fr-link" href={`${base}/demande`}>
              {t('dossier.publisher.expected.draft_link')}
            </a>
          ) : null}
        </p>,
      );
    } else if (view.state === 'info_requested') {
      lines.push(
        <p class="fr-callout__text" key="i">
          {t('dossier.publisher.expected.info', { due: due ?? '—' })}{' '}
          <a class="fr-link" href="#complements">
            {t('dossier.publisher.expected.info_link')}
          </a>
        </p>,
      );
    } else if (view.state === 'connection_tests') {
      lines.push(
        <p class="fr-callout__text" key="c">
          {t('dossier.publisher.expected.tests', { due: due ?? '—' })}{' '}
          <a class="fr-link" href="#tests">
            {t('dossier.publisher.expected.tests_link')}
          </a>
        </p>,
      );
    }
    if (view.paused) {
      lines.push(
        <p class="fr-callout__text" key="p">
          <strong>{t('dossier.publisher.expected.paused')}</strong>
        </p>,
      );
    }
  } else if (view.expectedFrom) {
    lines.push(
      <p class="fr-callout__text" key="s">
        {t('dossier.publisher.expected.nothing', { who: t(`dossier.expected.${view.expectedFrom}`) })}
        {due ? ` ${t('dossier.publisher.expected.phase_due', { due })}` : ''}
      </p>,
    );
    if (view.overdue)
      lines.push(
        <p class="fr-callout__text" key="o">
          {t('dossier.publisher.expected.overdue')}
        </p>,
      );
  } else if (view.state === 'published') {
    if (view.referencedUntil)
      lines.push(
        <p class="fr-callout__text" key="u">
          {t('dossier.publisher.expected.published', { until: formatDate(ctx, view.referencedUntil, false) })}{' '}
          {view.renewalRequested
            ? t('dossier.publisher.expected.renewal_requested')
            : t('dossier.publisher.expected.renewal_hint')}
        </p>,
      );
    if (view.updateDueAt)
      lines.push(
        <p class="fr-callout__text" key="v">
          {t('dossier.publisher.expected.update_due', { due: formatDate(ctx, view.updateDueAt) })}
        </p>,
      );
    if (lines.length === 0)
      lines.push(
        <p class="fr-callout__text" key="n">
          {t('dossier.publisher.expected.none')}
        </p>,
      );
  } else if (finalStates.includes(view.state)) {
    lines.push(
      <p class="fr-callout__text" key="f">
        {t('dossier.publisher.expected.closed')}
      </p>,
    );
  }
  return (
    <div class="fr-callout fr-mb-4w" id="attendu">
      <h2 class="fr-callout__title">{t('dossier.publisher.expected.title')}</h2>
      {lines}
    </div>
  );
}

function DocumentsTable({
  ctx,
  view,
  documents,
  caption,
  removable,
}: {
  ctx: PageContext;
  view: DossierView;
  documents: service.DocumentView[];
  caption: string;
  removable?: boolean;
}) {
  const { t } = ctx;
  const base = publisherFilePath(view.id);
  return (
    <div class="fr-table fr-table--multiline">
      <div class="fr-table__wrapper">
        <div class="fr-table__container">
          <div class="fr-table__content">
            <table>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dossier.publisher.documents.kind')}</th>
                  <th scope="col">{t('dossier.publisher.documents.name')}</th>
                  <th scope="col">{t('dossier.publisher.documents.details')}</th>
                  <th scope="col">{t('dossier.publisher.documents.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {documents.map((d) => (
                  <tr key={d.id}>
                    <td>
                      {documentLabel(ctx, d.kind)}
                      {d.criterionId ? ` (${d.criterionId})` : ''}
                    </td>
                    <th scope="row">{d.name}</th>
                    <td>
                      {formatBytes(ctx, d.size)} — {formatDate(ctx, d.uploadedAt)}
                      <br />
                      <span class="fr-text--xs">SHA-256 {d.sha256.slice(0, 16)}…</span>
                    </td>
                    <td>
                      <a
                        class="fr-link fr-link--sm"
                        href={`${base}/documents/${d.id}`}
                        aria-label={t('dossier.publisher.documents.download_label', { name: d.name })}
                      >
                        {t('dossier.publisher.documents.download')}
                      </a>
                      {removable ? (
                        <form method="post" action={`${base}/documents/${d.id}/suppression`} class="fr-mt-1w">
                          <Csrf ctx={ctx} />
                          <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
                          <button
                            type="submit"
                            class="fr-btn fr-btn--sm fr-btn--tertiary"
                            aria-label={t('dossier.publisher.documents.remove_label', { name: d.name })}
                          >
                            {t('dossier.publisher.documents.remove')}
                          </button>
                        </form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

/** The hidden fields every step form carries. */
function StepHidden({ ctx, view, type }: { ctx: PageContext; view: DossierView; type: PublisherStep }) {
  return (
    <>
      <Csrf ctx={ctx} />
      <input type="hidden" name="type" value={type} />
      <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
    </>
  );
}

function stepErrors(state: FileState, form: string): Record<string, string> {
  return state.form === form ? (state.error?.fields ?? {}) : {};
}

function stepValue(state: FileState, form: string, name: string): string {
  return state.form === form ? field(state.values, name) : '';
}

function InfoRequestSection({
  ctx,
  view,
  state,
  maxBytes,
}: {
  ctx: PageContext;
  view: DossierView;
  state: FileState;
  maxBytes: number;
}) {
  const { t } = ctx;
  const open = openInfoRequest(view);
  if (!open) return null;
  const errors = stepErrors(state, 'answer_info');
  const fileError = errors.files ?? errors.file;
  const canAnswer = view.actions.includes('answer_info');
  return (
    <section aria-labelledby="complements" class="fr-mb-6w">
      <h2 id="complements">{t('dossier.publisher.info.title')}</h2>
      <div class="fr-callout fr-callout--orange-terre-battue fr-mb-3w">
        <p class="fr-callout__title">
          {t('dossier.publisher.info.asked', {
            date: formatDate(ctx, open.askedAt),
            due: formatDate(ctx, open.dueAt),
          })}
        </p>
        <Typed text={open.message} />
        {open.criteria.length > 0 ? (
          <p class="fr-mb-0">
            {t('dossier.publisher.info.criteria')} {open.criteria.join(', ')}
          </p>
        ) : null}
      </div>
      {canAnswer ? (
        <form
          method="post"
          action={`${publisherFilePath(view.id)}/etapes`}
          encType="multipart/form-data"
          id="reponse"
        >
          <StepHidden ctx={ctx} view={view} type="answer_info" />
          <TextField
            ctx={ctx}
            id="f-answer-text"
            name="text"
            label={t('dossier.publisher.info.text')}
            hint={t('dossier.publisher.info.text_hint')}
            value={stepValue(state, 'answer_info', 'text')}
            error={errors.text}
            multiline
            rows={8}
          />
          <UploadField
            ctx={ctx}
            id="f-answer-files"
            name="files"
            label={t('dossier.publisher.info.files')}
            hint={t('dossier.publisher.info.files_hint', {
              count: MAX_ANSWER_FILES,
              max: Math.floor(maxBytes / 1024),
            })}
            error={fileError}
            multiple
          />
          <button type="submit" class="fr-btn">
            {t('dossier.publisher.info.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

function TestsSection({ ctx, view, state }: { ctx: PageContext; view: DossierView; state: FileState }) {
  const { t } = ctx;
  const may = view.state === 'connection_tests' && view.roles.includes('publisher');
  if (!may && view.testReports.length === 0) return null;
  const errors = stepErrors(state, 'test_report');
  return (
    <section aria-labelledby="tests" class="fr-mb-6w">
      <h2 id="tests">{t('dossier.publisher.tests.title')}</h2>
      <p>{t('dossier.publisher.tests.intro')}</p>
      {may && (
        <p>
          {t('dossier.publisher.tests.where')}
          {ctx.mode === 'sandbox' && (
            <>
              {' '}
              <a class="fr-link" href="/editeur/tests-accrochage">
                {t('dossier.publisher.tests.sandbox_link')}
              </a>
            </>
          )}
        </p>
      )}
      {view.testReports.length === 0 ? (
        <p>{t('dossier.publisher.tests.none')}</p>
      ) : (
        <div class="fr-table fr-table--multiline">
          <div class="fr-table__wrapper">
            <div class="fr-table__container">
              <div class="fr-table__content">
                <table>
                  <caption>{t('dossier.publisher.tests.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('dossier.publisher.tests.recorded')}</th>
                      <th scope="col">{t('dossier.publisher.tests.result')}</th>
                      <th scope="col">{t('dossier.publisher.tests.origin')}</th>
                      <th scope="col">{t('dossier.publisher.tests.plans')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {view.testReports.map((r) => (
                      <tr key={r.id}>
                        <th scope="row">
                          {formatDate(ctx, r.recordedAt)}
                          <br />
                          <span class="fr-text--xs">
                            {t('dossier.publisher.tests.issued', { date: formatDate(ctx, r.issuedAt) })}
                          </span>
                        </th>
                        <td>
                          <span class={`fr-badge fr-badge--sm fr-badge--${r.passed ? 'success' : 'error'}`}>
                            {t(
                              r.passed ? 'dossier.publisher.tests.passed' : 'dossier.publisher.tests.failed',
                            )}
                          </span>
                        </td>
                        <td>{t(`dossier.publisher.tests.origin_${r.origin}`)}</td>
                        <td>
                          <ul class="fr-mb-0">
                            {r.plans.map((p) => (
                              <li key={String(p.id)}>
                                {String(p.id)} : {planStatus(ctx, String(p.status))}
                              </li>
                            ))}
                          </ul>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      )}
      {may ? (
        <form
          method="post"
          action={`${publisherFilePath(view.id)}/etapes`}
          encType="multipart/form-data"
          id="rapport"
        >
          <StepHidden ctx={ctx} view={view} type="test_report" />
          <h3 class="fr-h6">{t('dossier.publisher.tests.add')}</h3>
          <TextField
            ctx={ctx}
            id="f-report"
            name="report"
            label={t('dossier.publisher.tests.report')}
            hint={t('dossier.publisher.tests.report_hint')}
            value={stepValue(state, 'test_report', 'report')}
            error={errors.report}
            multiline
            rows={4}
          />
          <UploadField
            ctx={ctx}
            id="f-report-file"
            name="reportFile"
            label={t('dossier.publisher.tests.file')}
            hint={t('dossier.publisher.tests.file_hint')}
            accept=".jws,.txt"
          />
          <button type="submit" class="fr-btn">
            {t('dossier.publisher.tests.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

function planStatus(ctx: PageContext, status: string): string {
  const key = `dossier.publisher.tests.plan_${status}`;
  const label = ctx.t(key);
  return label === key ? status : label;
}

function OpinionSection({ ctx, view }: { ctx: PageContext; view: DossierView }) {
  const { t } = ctx;
  if (!view.opinion && !view.decision && view.reservations.length === 0) return null;
  return (
    <section aria-labelledby="avis" class="fr-mb-6w">
      <h2 id="avis">{t('dossier.publisher.opinion.title')}</h2>
      {view.opinion ? (
        <>
          <p>
            <strong>{t(`dossier.opinion.${view.opinion.kind}`)}</strong> — {formatDate(ctx, view.opinion.at)}
          </p>
          {view.opinion.reasons ? <Typed text={view.opinion.reasons} /> : null}
        </>
      ) : null}
      {view.reservations.length > 0 ? (
        <>
          <h3 class="fr-h6">{t('dossier.publisher.opinion.reservations')}</h3>
          <ul>
            {view.reservations.map((r) => (
              <li key={r.id}>
                {r.id} — {r.text} (
                {t(
                  r.suspensive
                    ? 'dossier.publisher.opinion.suspensive'
                    : 'dossier.publisher.opinion.non_suspensive',
                )}
                {r.liftedAt
                  ? `, ${t('dossier.publisher.opinion.lifted', { date: formatDate(ctx, r.liftedAt) })}`
                  : ''}
                )
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {view.decision ? (
        <>
          <h3 class="fr-h6">{t('dossier.publisher.opinion.decision')}</h3>
          <p>
            <strong>{t(`dossier.decision.${view.decision.decision}`)}</strong> —{' '}
            {formatDate(ctx, view.decision.at)}
          </p>
          {view.decision.reasons ? <Typed text={view.decision.reasons} /> : null}
        </>
      ) : null}
    </section>
  );
}

function ReasonsForm({
  ctx,
  view,
  state,
  type,
  danger,
}: {
  ctx: PageContext;
  view: DossierView;
  state: FileState;
  type: 'withdraw' | 'take_offline';
  danger?: boolean;
}) {
  const { t } = ctx;
  const errors = stepErrors(state, type);
  return (
    <form method="post" action={`${publisherFilePath(view.id)}/etapes`} class="fr-mb-4w" id={`etape-${type}`}>
      <StepHidden ctx={ctx} view={view} type={type} />
      <h3 class="fr-h6">{t(`dossier.action.${type}`)}</h3>
      <p>{t(`dossier.publisher.steps.${type}_hint`)}</p>
      <TextField
        ctx={ctx}
        id={`f-${type}-reasons`}
        name="reasons"
        label={t('dossier.publisher.steps.reasons')}
        value={stepValue(state, type, 'reasons')}
        error={errors.reasons}
        multiline
        rows={3}
      />
      <button type="submit" class={`fr-btn ${danger ? 'fr-btn--secondary' : ''}`}>
        {t(`dossier.action.${type}`)}
      </button>
    </form>
  );
}

function VersionForm({
  ctx,
  view,
  state,
  rubriques,
}: {
  ctx: PageContext;
  view: DossierView;
  state: FileState;
  rubriques: Array<[string, string]>;
}) {
  const { t } = ctx;
  const errors = stepErrors(state, 'declare_version');
  const typed = state.form === 'declare_version';
  return (
    <form
      method="post"
      action={`${publisherFilePath(view.id)}/etapes`}
      class="fr-mb-4w"
      id="etape-declare_version"
    >
      <StepHidden ctx={ctx} view={view} type="declare_version" />
      <h3 class="fr-h6">{t('dossier.publisher.version.title')}</h3>
      <p>{t('dossier.publisher.version.intro')}</p>
      <TextField
        ctx={ctx}
        id="f-version"
        name="version"
        label={t('dossier.publisher.version.version')}
        hint={t('dossier.publisher.version.version_hint', { current: view.productVersion })}
        value={stepValue(state, 'declare_version', 'version')}
        error={errors.version}
      />
      <ChoiceGroup
        ctx={ctx}
        id="f-major"
        name="major"
        legend={t('dossier.publisher.version.major')}
        hint={t('dossier.publisher.version.major_hint')}
        type="radio"
        inline
        options={[
          ['non', t('dossier.publisher.version.minor_option')],
          ['oui', t('dossier.publisher.version.major_option')],
        ]}
        checked={[typed ? field(state.values, 'major') || 'non' : 'non']}
      />
      <ChoiceGroup
        ctx={ctx}
        id="f-rubriques"
        name="rubriques"
        legend={t('dossier.publisher.version.rubriques')}
        hint={t('dossier.publisher.version.rubriques_hint')}
        type="checkbox"
        options={rubriques}
        checked={typed ? fields(state.values, 'rubriques') : []}
        error={errors.rubriques}
      />
      <TextField
        ctx={ctx}
        id="f-description"
        name="description"
        label={t('dossier.publisher.version.description')}
        value={stepValue(state, 'declare_version', 'description')}
        error={errors.description}
        multiline
        rows={4}
      />
      <button type="submit" class="fr-btn fr-btn--secondary">
        {t('dossier.publisher.version.submit')}
      </button>
    </form>
  );
}

function StepsSection({
  ctx,
  view,
  state,
  rubriques,
}: {
  ctx: PageContext;
  view: DossierView;
  state: FileState;
  rubriques: Array<[string, string]>;
}) {
  const { t } = ctx;
  const isPublisher = view.roles.includes('publisher');
  const offered = isPublisher ? view.actions : [];
  const canVersion =
    view.roles.includes('publisher_manager') &&
    view.kind === 'initial' &&
    view.state === 'published' &&
    view.catalogueStatus !== 'DEREFERENCEE';
  const forms: ComponentChildren[] = [];
  if (offered.includes('request_renewal'))
    forms.push(
      <form
        method="post"
        action={`${publisherFilePath(view.id)}/etapes`}
        class="fr-mb-4w"
        id="etape-request_renewal"
        key="r"
      >
        <StepHidden ctx={ctx} view={view} type="request_renewal" />
        <h3 class="fr-h6">{t('dossier.action.request_renewal')}</h3>
        <p>{t('dossier.publisher.steps.request_renewal_hint')}</p>
        <button type="submit" class="fr-btn">
          {t('dossier.action.request_renewal')}
        </button>
      </form>,
    );
  if (canVersion)
    forms.push(<VersionForm ctx={ctx} view={view} state={state} rubriques={rubriques} key="v" />);
  if (offered.includes('take_offline'))
    forms.push(<ReasonsForm ctx={ctx} view={view} state={state} type="take_offline" danger key="o" />);
  if (offered.includes('withdraw'))
    forms.push(<ReasonsForm ctx={ctx} view={view} state={state} type="withdraw" danger key="w" />);
  if (forms.length === 0) return null;
  return (
    <section aria-labelledby="etapes" class="fr-mb-6w">
      <h2 id="etapes">{t('dossier.publisher.steps.title')}</h2>
      {forms}
    </section>
  );
}

/** What a step says beyond its name: reasons and messages as typed, dates, numbers. */
function EntryDetails({ ctx, entry }: { ctx: PageContext; entry: TimelineEntry }) {
  const { t } = ctx;
  const d = entry.data ?? {};
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const parts: ComponentChildren[] = [];
  const row = (key: string, label: string, value: ComponentChildren) =>
    parts.push(
      <div key={key}>
        <dt class="fr-text--bold fr-mb-0">{label}</dt>
        <dd class="fr-ml-0 fr-mb-1w">{value}</dd>
      </div>,
    );
  if (text(d.number)) row('number', t('dossier.publisher.timeline.number'), text(d.number));
  if (text(d.reasons))
    row('reasons', t('dossier.publisher.timeline.reasons'), <Typed text={text(d.reasons)} />);
  if (text(d.message))
    row('message', t('dossier.publisher.timeline.message'), <Typed text={text(d.message)} />);
  if (list(d.criteria).length > 0)
    row('criteria', t('dossier.publisher.timeline.criteria'), list(d.criteria).join(', '));
  if (entry.type === 'request_info' && text(d.dueAt))
    row(
      'due',
      t('dossier.publisher.timeline.expected'),
      <strong>
        {t('dossier.publisher.timeline.answer_before', { due: formatDate(ctx, text(d.dueAt)) })}
      </strong>,
    );
  else if (text(d.dueAt)) row('due', t('dossier.publisher.timeline.due'), formatDate(ctx, text(d.dueAt)));
  if (text(d.text)) row('text', t('dossier.publisher.timeline.answer'), <Typed text={text(d.text)} />);
  if (typeof d.documents === 'number' && d.documents > 0)
    row('docs', t('dossier.publisher.timeline.documents'), String(d.documents));
  if (text(d.opinion))
    row('opinion', t('dossier.publisher.timeline.opinion'), t(`dossier.opinion.${text(d.opinion)}`));
  if (text(d.decision))
    row('decision', t('dossier.publisher.timeline.decision'), t(`dossier.decision.${text(d.decision)}`));
  if (list(d.finalites).length > 0)
    row('finalites', t('dossier.publisher.timeline.finalites'), list(d.finalites).join(', '));
  if (text(d.signedOn))
    row('signed', t('dossier.publisher.timeline.signed_on'), formatDate(ctx, text(d.signedOn), false));
  if (typeof d.durationMonths === 'number')
    row(
      'duration',
      t('dossier.publisher.timeline.duration'),
      t('dossier.publisher.timeline.months', { count: d.durationMonths }),
    );
  if (text(d.oid)) row('oid', t('dossier.publisher.field.oid'), <code>{text(d.oid)}</code>);
  if (d.pilot === true) row('pilot', t('dossier.publisher.field.catalogue'), t('dossier.catalogue.PRESERIE'));
  if (text(d.version)) row('version', t('dossier.publisher.timeline.version'), text(d.version));
  if (typeof d.major === 'boolean')
    row(
      'major',
      t('dossier.publisher.timeline.version_kind'),
      t(d.major ? 'dossier.publisher.version.major_option' : 'dossier.publisher.version.minor_option'),
    );
  if (list(d.rubriques).length > 0)
    row('rubriques', t('dossier.publisher.version.rubriques'), list(d.rubriques).join(', '));
  if (text(d.description))
    row('description', t('dossier.publisher.version.description'), <Typed text={text(d.description)} />);
  if (text(d.parent)) row('parent', t('dossier.publisher.field.parent'), text(d.parent));
  if (typeof d.passed === 'boolean')
    row(
      'passed',
      t('dossier.publisher.tests.result'),
      t(d.passed ? 'dossier.publisher.tests.passed' : 'dossier.publisher.tests.failed'),
    );
  if (text(d.origin))
    row('origin', t('dossier.publisher.tests.origin'), t(`dossier.publisher.tests.origin_${text(d.origin)}`));
  if (typeof d.days === 'number') row('days', t('dossier.publisher.timeline.days_left'), String(d.days));
  if (parts.length === 0) return null;
  return <dl class="fr-mt-1w fr-mb-0">{parts}</dl>;
}

function Timeline({ ctx, entries }: { ctx: PageContext; entries: TimelineEntry[] }) {
  const { t } = ctx;
  if (entries.length === 0) return <p>{t('dossier.publisher.timeline.empty')}</p>;
  return (
    <ol class="fr-mb-0">
      {entries.map((e) => (
        <li key={`${e.at.toISOString()}-${e.type}`} class="fr-mb-3w">
          <p class="fr-mb-1v">
            <strong>{t(`dossier.action.${e.type}`)}</strong>
          </p>
          <p class="fr-text--sm fr-mb-1v">
            <Time ctx={ctx} date={e.at} /> — {t(`dossier.role.${e.actorRole}`)}
            {e.actorName ? ` (${e.actorName})` : ''}
          </p>
          {e.toState && e.toState !== e.fromState ? (
            <p class="fr-text--sm fr-mb-1v">
              {e.fromState
                ? t('dossier.publisher.timeline.state_change', {
                    from: t(`dossier.state.${e.fromState}`),
                    to: t(`dossier.state.${e.toState}`),
                  })
                : t('dossier.publisher.timeline.state_new', { to: t(`dossier.state.${e.toState}`) })}
            </p>
          ) : null}
          {e.catalogueTo ? (
            <p class="fr-text--sm fr-mb-1v">
              {t('dossier.publisher.timeline.catalogue_change', {
                from: e.catalogueFrom ? t(`dossier.catalogue.${e.catalogueFrom}`) : '—',
                to: t(`dossier.catalogue.${e.catalogueTo}`),
              })}
            </p>
          ) : null}
          <EntryDetails ctx={ctx} entry={e} />
        </li>
      ))}
    </ol>
  );
}

/** The phases, in the order a file goes through them, with the deployment's target and the observed median. */
export function ProcessingTimes({
  ctx,
  medians,
  targets,
}: {
  ctx: PageContext;
  medians: Awaited<ReturnType<typeof service.publicProcessingTimes>>;
  targets: Partial<Record<DossierState, number>>;
}) {
  const { t } = ctx;
  const phases = dossierStates.filter((s) => targets[s] !== undefined || medians[s] !== undefined);
  return (
    <section aria-labelledby="delais" class="fr-mb-6w">
      <h2 id="delais">{t('dossier.publisher.times.title')}</h2>
      <p>{t('dossier.publisher.times.intro', { days: service.MEDIAN_WINDOW_DAYS })}</p>
      <div class="fr-table">
        <div class="fr-table__wrapper">
          <div class="fr-table__container">
            <div class="fr-table__content">
              <table>
                <caption>{t('dossier.publisher.times.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('dossier.publisher.times.phase')}</th>
                    <th scope="col">{t('dossier.publisher.times.target')}</th>
                    <th scope="col">{t('dossier.publisher.times.median')}</th>
                    <th scope="col">{t('dossier.publisher.times.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  {phases.map((s) => {
                    const m = medians[s];
                    return (
                      <tr key={s}>
                        <th scope="row">{t(`dossier.state.${s}`)}</th>
                        <td>
                          {targets[s] !== undefined
                            ? t('dossier.publisher.times.days', { count: targets[s] })
                            : '—'}
                        </td>
                        <td>
                          {m
                            ? t('dossier.publisher.times.days', { count: m.days })
                            : t('dossier.publisher.times.no_data')}
                        </td>
                        <td>{m ? String(m.count) : '0'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        </div>
      </div>
    </section>
  );
}

function FilePage({
  ctx,
  view,
  entries,
  medians,
  targets,
  rubriques,
  maxBytes,
  state,
  client,
}: {
  ctx: PageContext;
  view: DossierView;
  maxBytes: number;
  /** The service's OAuth2 client, for a published file with data exchange. */
  client?: OAuthClientView;
  entries: TimelineEntry[];
  medians: Awaited<ReturnType<typeof service.publicProcessingTimes>>;
  targets: Partial<Record<DossierState, number>>;
  rubriques: Array<[string, string]>;
  state: FileState;
}) {
  const { t } = ctx;
  const base = publisherFilePath(view.id);
  const title = `${t(`dossier.kind.${view.kind}`)} — ${view.product.displayName}`;
  const filed = view.documents.filter((d) => d.kind !== 'evidence');
  const stepLabels: Record<string, [string, string]> = {
    reasons: [t('dossier.publisher.steps.reasons'), state.form ? `f-${state.form}-reasons` : ''],
    text: [t('dossier.publisher.info.text'), 'f-answer-text'],
    files: [t('dossier.publisher.info.files'), 'f-answer-files'],
    file: [t('dossier.publisher.info.files'), 'f-answer-files'],
    report: [t('dossier.publisher.tests.report'), 'f-report'],
    version: [t('dossier.publisher.version.version'), 'f-version'],
    rubriques: [t('dossier.publisher.version.rubriques'), 'f-rubriques'],
    description: [t('dossier.publisher.version.description'), 'f-description'],
    type: [t('dossier.publisher.steps.title'), 'etapes'],
  };
  return (
    <Page
      ctx={ctx}
      title={`${fileTitle(ctx, view)} — ${view.product.displayName}`}
      css={[...pageCss]}
      breadcrumb={Breadcrumb(ctx, view)}
    >
      <h1>{title}</h1>
      <p class="fr-text--lead">
        {fileTitle(ctx, view)} <StateBadge ctx={ctx} state={view.state} />{' '}
        {view.catalogueStatus ? <CatalogueBadge ctx={ctx} status={view.catalogueStatus} /> : null}
      </p>
      <Flash ctx={ctx} flash={state.flash} params={{ number: view.number ?? '' }} />
      {state.conflict ? <ConflictAlert ctx={ctx} current={state.conflict} /> : null}
      <FormError ctx={ctx} error={state.error} targets={stepLabels} />
      <ExpectedBox ctx={ctx} view={view} />
      <SummaryList ctx={ctx} view={view} />
      <ul class="fr-btns-group fr-btns-group--inline-md fr-mb-4w">
        {view.mayEditRequest ? (
          <li>
            <a class="fr-btn" href={`${base}/demande`}>
              {t('dossier.publisher.links.request')}
            </a>
          </li>
        ) : null}
        {view.snapshot ? (
          <li>
            <a class="fr-btn fr-btn--secondary" href={`${base}/depot`}>
              {t('dossier.publisher.links.snapshot')}
            </a>
          </li>
        ) : null}
        {view.assessmentId ? (
          <li>
            <a class="fr-btn fr-btn--tertiary" href={`/editeur/auto-evaluations/${view.assessmentId}`}>
              {t('dossier.publisher.links.assessment')}
            </a>
          </li>
        ) : null}
      </ul>
      <InfoRequestSection ctx={ctx} view={view} state={state} maxBytes={maxBytes} />
      <TestsSection ctx={ctx} view={view} state={state} />
      <OpinionSection ctx={ctx} view={view} />
      <StepsSection ctx={ctx} view={view} state={state} rubriques={rubriques} />
      {client ? (
        <OAuthClientSection
          ctx={ctx}
          client={client}
          filePath={base}
          isManager={view.roles.includes('publisher_manager')}
        />
      ) : null}
      {!view.mayEditRequest && filed.length > 0 ? (
        <section aria-labelledby="pieces" class="fr-mb-6w">
          <h2 id="pieces">{t('dossier.publisher.documents.filed_title')}</h2>
          <DocumentsTable
            ctx={ctx}
            view={view}
            documents={filed}
            caption={t('dossier.publisher.documents.filed_caption')}
          />
        </section>
      ) : null}
      <section aria-labelledby="historique" class="fr-mb-6w">
        <h2 id="historique">{t('dossier.publisher.timeline.title')}</h2>
        <Timeline ctx={ctx} entries={entries} />
      </section>
      <ProcessingTimes ctx={ctx} medians={medians} targets={targets} />
    </Page>
  );
}

// ── the draft request ───────────────────────────────────────────────────────

interface DraftState {
  status: number;
  flash?: string;
  /** What the request form shows (the saved request unless the person's typing is shown again). */
  values?: RequestContent;
  error?: PageError;
  documentError?: PageError;
  submitError?: PageError;
  conflict?: { current: Current; yours?: RequestContent };
  /** Show each field's problem on the field itself (after a save, or a refused submission). */
  showProblems?: boolean;
}

const declarationFields = [
  'justification',
  'access',
  'categories',
  'finalites',
  'retention',
  'security',
  'consentText',
  'redirectUris',
  'jwksUri',
  'jwks',
  'supportContact',
] as const;

/** Labels of the draft page's fields, by the name their problems are reported under, with their anchor. */
function draftLabels(ctx: PageContext): Record<string, [string, string]> {
  const { t } = ctx;
  const labels: Record<string, [string, string]> = {
    presentation: [t('dossier.publisher.request.presentation'), 'f-presentation'],
    dataExchange: [t('dossier.publisher.exchange.title'), 'declaration'],
    kind: [t('dossier.publisher.documents.kind'), 'f-kind'],
    file: [t('dossier.publisher.documents.file'), 'f-file'],
    assessmentId: [t('dossier.publisher.links.assessment'), 'auto-evaluation'],
  };
  for (const name of declarationFields) labels[name] = [t(`dossier.publisher.exchange.${name}`), `f-${name}`];
  for (const kind of publisherDocumentKinds)
    labels[`document.${kind}`] = [t(`dossier.document.${kind}`), 'documents-requis'];
  return labels;
}

/** How the request reads field by field (for the conflict table). */
function describeRequest(
  ctx: PageContext,
  content: RequestContent,
  version?: ReferentialVersion,
): Array<[string, string, string]> {
  const { t } = ctx;
  const d = content.dataExchange;
  const rows: Array<[string, string, string]> = [
    ['presentation', t('dossier.publisher.request.presentation'), content.presentation ?? ''],
  ];
  if (!d) return rows;
  const categoryTitle = (code: string) =>
    version?.dataCategories.find((c) => c.code === code)?.title[ctx.locale] ?? code;
  const finaliteTitle = (code: string) =>
    version?.finalites.find((f) => f.code === code)?.title[ctx.locale] ?? code;
  for (const name of declarationFields) {
    let value: string;
    if (name === 'categories')
      value = d.categories
        .map(
          (c) =>
            `${categoryTitle(c.code)} (${[c.read ? t('dossier.publisher.exchange.read') : '', c.write ? t('dossier.publisher.exchange.write') : ''].filter(Boolean).join(', ')})`,
        )
        .join(' ; ');
    else if (name === 'finalites') value = d.finalites.map(finaliteTitle).join(', ');
    else if (name === 'redirectUris') value = d.redirectUris.join(' ');
    else value = (d[name] ?? '').trim();
    rows.push([name, t(`dossier.publisher.exchange.${name}`), value]);
  }
  return rows;
}

function RequestConflict({
  ctx,
  current,
  saved,
  yours,
  version,
}: {
  ctx: PageContext;
  current: Current;
  saved: RequestContent;
  yours?: RequestContent;
  version?: ReferentialVersion;
}) {
  const { t } = ctx;
  const mine = yours ? describeRequest(ctx, yours, version) : [];
  const theirs = new Map(describeRequest(ctx, saved, version).map(([k, , v]) => [k, v]));
  const rows = mine.filter(([k, , v]) => (theirs.get(k) ?? '') !== v);
  return (
    <ConflictAlert ctx={ctx} current={current}>
      {rows.length > 0 ? (
        <div class="fr-table fr-table--multiline fr-mt-2w">
          <div class="fr-table__wrapper">
            <div class="fr-table__container">
              <div class="fr-table__content">
                <table>
                  <caption>{t('dossier.publisher.conflict.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('dossier.publisher.conflict.field')}</th>
                      <th scope="col">{t('dossier.publisher.conflict.current')}</th>
                      <th scope="col">{t('dossier.publisher.conflict.yours')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map(([k, label, v]) => (
                      <tr key={k}>
                        <th scope="row">{label}</th>
                        <td>{theirs.get(k) || '—'}</td>
                        <td>{v || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      ) : null}
    </ConflictAlert>
  );
}

function Checklist({
  ctx,
  view,
  assessment,
  adminFileValidated,
}: {
  ctx: PageContext;
  view: DossierView;
  assessment?: AssessmentView;
  adminFileValidated: boolean;
}) {
  const { t } = ctx;
  const labels = draftLabels(ctx);
  const problems = Object.entries(view.requestProblems);
  const ready = adminFileValidated && (assessment?.evaluation.ready ?? false) && problems.length === 0;
  const Item = ({ done, children }: { done: boolean; children: ComponentChildren }) => (
    <li class="fr-mb-1w">
      <span class={`fr-badge fr-badge--sm fr-badge--${done ? 'success' : 'warning'} fr-mr-1w`}>
        {t(done ? 'dossier.publisher.checklist.done' : 'dossier.publisher.checklist.todo')}
      </span>
      {children}
    </li>
  );
  return (
    <section aria-labelledby="avant-depot" class="fr-mb-6w">
      <h2 id="avant-depot">{t('dossier.publisher.checklist.title')}</h2>
      {ready ? (
        <Alert kind="success">
          <p>{t('dossier.publisher.checklist.ready')}</p>
        </Alert>
      ) : null}
      <ul class="fr-raw-list">
        <Item done={adminFileValidated}>
          {adminFileValidated ? (
            t('dossier.publisher.admin_file.validated')
          ) : (
            <>
              {t('dossier.publisher.admin_file.not_validated')}{' '}
              <a class="fr-link" href={publisherPageOf(view.organisation.id)}>
                {t('dossier.publisher.admin_file.link', { name: view.organisation.legalName })}
              </a>
            </>
          )}
        </Item>
        <Item done={assessment?.evaluation.ready ?? false}>
          {assessment?.evaluation.ready
            ? t('dossier.publisher.checklist.assessment_ready')
            : t('dossier.publisher.checklist.assessment_gaps', {
                count: assessment?.evaluation.counts.blocking ?? 0,
              })}{' '}
          {view.assessmentId ? (
            <a class="fr-link" href={`/editeur/auto-evaluations/${view.assessmentId}`}>
              {t('dossier.publisher.links.assessment')}
            </a>
          ) : null}
        </Item>
        {problems.length === 0 ? (
          <Item done>{t('dossier.publisher.checklist.request_complete')}</Item>
        ) : (
          problems.map(([name, message]) => {
            const [label, anchor] = labels[name] ?? [name, 'formulaire-demande'];
            return (
              <Item done={false} key={name}>
                <a class="fr-link" href={`#${anchor}`}>
                  {label}
                </a>{' '}
                : {t(message)}
              </Item>
            );
          })
        )}
      </ul>
    </section>
  );
}

function RequestForm({
  ctx,
  view,
  values,
  errors,
  version,
}: {
  ctx: PageContext;
  view: DossierView;
  values: RequestContent;
  errors: Record<string, string>;
  version?: ReferentialVersion;
}) {
  const { t } = ctx;
  const d = values.dataExchange ?? emptyDeclaration;
  const exchange = view.typology === 'avec-echange';
  const categories = version?.dataCategories ?? [];
  const finalites = version?.finalites ?? [];
  const chosen = new Map(d.categories.map((c) => [c.code, c]));
  return (
    <form method="post" action={`${publisherFilePath(view.id)}/demande`} id="formulaire-demande" novalidate>
      <Csrf ctx={ctx} />
      <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
      <h2>{t('dossier.publisher.request.title')}</h2>
      <TextField
        ctx={ctx}
        id="f-presentation"
        name="presentation"
        label={t('dossier.publisher.request.presentation')}
        hint={t('dossier.publisher.request.presentation_hint')}
        value={values.presentation ?? ''}
        error={errors.presentation}
        multiline
        rows={6}
      />
      {exchange ? (
        <section aria-labelledby="declaration" class="fr-mt-4w">
          <h3 id="declaration">{t('dossier.publisher.exchange.title')}</h3>
          <p>{t('dossier.publisher.exchange.intro')}</p>
          {errors.dataExchange ? <p class="fr-message fr-message--error">{t(errors.dataExchange)}</p> : null}
          <TextField
            ctx={ctx}
            id="f-justification"
            name="justification"
            label={t('dossier.publisher.exchange.justification')}
            hint={t('dossier.publisher.exchange.justification_hint')}
            value={d.justification}
            error={errors.justification}
            multiline
          />
          <TextField
            ctx={ctx}
            id="f-access"
            name="access"
            label={t('dossier.publisher.exchange.access')}
            hint={t('dossier.publisher.exchange.access_hint')}
            value={d.access}
            error={errors.access}
            multiline
          />
          <fieldset
            class={`fr-fieldset${errors.categories ? ' fr-fieldset--error' : ''}`}
            id="f-categories"
            aria-labelledby="f-categories-legend f-categories-messages"
          >
            <legend class="fr-fieldset__legend" id="f-categories-legend">
              {t('dossier.publisher.exchange.categories')}
              <span class="fr-hint-text">{t('dossier.publisher.exchange.categories_hint')}</span>
            </legend>
            {categories.map((c) => {
              const current = chosen.get(c.code);
              const id = `f-cat-${c.code}`;
              return (
                <div class="fr-fieldset__element" key={c.code}>
                  <fieldset class="fr-fieldset fr-mb-0" id={id} aria-labelledby={`${id}-legend`}>
                    <legend
                      class="fr-fieldset__legend fr-fieldset__legend--regular fr-pb-1w"
                      id={`${id}-legend`}
                    >
                      {c.title[ctx.locale]}
                    </legend>
                    {(['read', 'write'] as const).map((mode) => (
                      <div class="fr-fieldset__element fr-fieldset__element--inline" key={mode}>
                        <div class="fr-checkbox-group fr-checkbox-group--sm">
                          <input
                            type="checkbox"
                            id={`${id}-${mode}`}
                            name={mode === 'read' ? 'categoryRead' : 'categoryWrite'}
                            value={c.code}
                            checked={current ? current[mode] : false}
                          />
                          <label class="fr-label" for={`${id}-${mode}`}>
                            {t(`dossier.publisher.exchange.${mode}`)}
                            <span class="fr-sr-only"> — {c.title[ctx.locale]}</span>
                          </label>
                        </div>
                      </div>
                    ))}
                  </fieldset>
                </div>
              );
            })}
            <FieldMessages ctx={ctx} id="f-categories" error={errors.categories} />
          </fieldset>
          <ChoiceGroup
            ctx={ctx}
            id="f-finalites"
            name="finalites"
            legend={t('dossier.publisher.exchange.finalites')}
            hint={t('dossier.publisher.exchange.finalites_hint')}
            type="checkbox"
            options={finalites.map((f) => [f.code, f.title[ctx.locale]] as [string, string])}
            checked={d.finalites}
            error={errors.finalites}
          />
          <TextField
            ctx={ctx}
            id="f-retention"
            name="retention"
            label={t('dossier.publisher.exchange.retention')}
            hint={t('dossier.publisher.exchange.retention_hint')}
            value={d.retention}
            error={errors.retention}
            multiline
            rows={3}
          />
          <TextField
            ctx={ctx}
            id="f-security"
            name="security"
            label={t('dossier.publisher.exchange.security')}
            hint={t('dossier.publisher.exchange.security_hint')}
            value={d.security}
            error={errors.security}
            multiline
          />
          <TextField
            ctx={ctx}
            id="f-consentText"
            name="consentText"
            label={t('dossier.publisher.exchange.consentText')}
            hint={t('dossier.publisher.exchange.consentText_hint')}
            value={d.consentText}
            error={errors.consentText}
            multiline
            rows={8}
          />
          <TextField
            ctx={ctx}
            id="f-redirectUris"
            name="redirectUris"
            label={t('dossier.publisher.exchange.redirectUris')}
            hint={t('dossier.publisher.exchange.redirectUris_hint')}
            value={d.redirectUris.join('\n')}
            error={errors.redirectUris}
            multiline
            rows={3}
          />
          <TextField
            ctx={ctx}
            id="f-jwksUri"
            name="jwksUri"
            label={t('dossier.publisher.exchange.jwksUri')}
            hint={t('dossier.publisher.exchange.jwksUri_hint')}
            value={d.jwksUri ?? ''}
            error={errors.jwksUri}
            type="url"
          />
          <TextField
            ctx={ctx}
            id="f-jwks"
            name="jwks"
            label={t('dossier.publisher.exchange.jwks')}
            hint={t('dossier.publisher.exchange.jwks_hint')}
            value={d.jwks ?? ''}
            error={errors.jwks}
            multiline
            rows={4}
          />
          <TextField
            ctx={ctx}
            id="f-supportContact"
            name="supportContact"
            label={t('dossier.publisher.exchange.supportContact')}
            hint={t('dossier.publisher.exchange.supportContact_hint')}
            value={d.supportContact}
            error={errors.supportContact}
          />
        </section>
      ) : (
        <p>{t('dossier.publisher.request.no_exchange')}</p>
      )}
      <button type="submit" class="fr-btn">
        {t('dossier.publisher.request.save')}
      </button>
    </form>
  );
}

function DocumentsSection({
  ctx,
  view,
  error,
  maxBytes,
}: {
  ctx: PageContext;
  view: DossierView;
  error?: PageError;
  maxBytes: number;
}) {
  const { t } = ctx;
  const required = requiredDocuments(view.typology);
  const present = new Set(view.documents.map((d) => d.kind));
  const documents = view.documents.filter((d) => d.kind !== 'evidence');
  const errors = error?.fields ?? {};
  return (
    <section aria-labelledby="documents" class="fr-mb-6w">
      <h2 id="documents">{t('dossier.publisher.documents.title')}</h2>
      <p id="documents-requis">{t('dossier.publisher.documents.required')}</p>
      <ul>
        {required.map((kind) => (
          <li key={kind}>
            {t(`dossier.document.${kind}`)} —{' '}
            {present.has(kind) ? (
              t('dossier.publisher.documents.present')
            ) : (
              <strong>{t('dossier.publisher.documents.missing')}</strong>
            )}
          </li>
        ))}
      </ul>
      {documents.length === 0 ? (
        <p>{t('dossier.publisher.documents.none')}</p>
      ) : (
        <DocumentsTable
          ctx={ctx}
          view={view}
          documents={documents}
          caption={t('dossier.publisher.documents.caption')}
          removable={view.mayEditRequest}
        />
      )}
      {view.mayEditRequest ? (
        <form
          method="post"
          action={`${publisherFilePath(view.id)}/documents`}
          encType="multipart/form-data"
          id="formulaire-piece"
        >
          <Csrf ctx={ctx} />
          <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
          <h3 class="fr-h6">{t('dossier.publisher.documents.add')}</h3>
          {error ? <FormError ctx={ctx} error={error} targets={draftLabels(ctx)} /> : null}
          <ChoiceGroup
            ctx={ctx}
            id="f-kind"
            name="kind"
            legend={t('dossier.publisher.documents.kind')}
            type="radio"
            options={publisherDocumentKinds.map((k) => [k, t(`dossier.document.${k}`)] as [string, string])}
            checked={[publisherDocumentKinds.find((k) => required.includes(k) && !present.has(k)) ?? 'other']}
            error={errors.kind}
          />
          <UploadField
            ctx={ctx}
            id="f-file"
            name="file"
            label={t('dossier.publisher.documents.file')}
            hint={t('dossier.publisher.documents.file_hint', { max: Math.floor(maxBytes / 1024) })}
            error={errors.file}
          />
          <button type="submit" class="fr-btn fr-btn--secondary">
            {t('dossier.publisher.documents.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

function DraftPage({
  ctx,
  view,
  version,
  assessment,
  adminFileValidated,
  maxBytes,
  state,
}: {
  ctx: PageContext;
  view: DossierView;
  version?: ReferentialVersion;
  assessment?: AssessmentView;
  adminFileValidated: boolean;
  maxBytes: number;
  state: DraftState;
}) {
  const { t } = ctx;
  const title = t('dossier.publisher.request.page_title', { name: view.product.displayName });
  const labels = draftLabels(ctx);
  const errors = {
    ...(state.showProblems ? view.requestProblems : {}),
    ...(state.submitError?.fields ?? {}),
    ...(state.error?.fields ?? {}),
  };
  const canSubmit = view.actions.includes('submit');
  return (
    <Page
      ctx={ctx}
      title={title}
      css={[...pageCss]}
      breadcrumb={Breadcrumb(ctx, view, [
        t('dossier.publisher.request.crumb'),
        `${publisherFilePath(view.id)}/demande`,
      ])}
    >
      <h1>{title}</h1>
      <p class="fr-text--lead">
        {t(`dossier.kind.${view.kind}`)} — {t(`dossier.typology.${view.typology}`)} —{' '}
        {t('dossier.publisher.request.version', { version: view.referentialVersion })}
      </p>
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={publisherFilePath(view.id)}>
          {t('dossier.publisher.request.back')}
        </a>
      </p>
      <Flash ctx={ctx} flash={state.flash} />
      {state.conflict ? (
        <RequestConflict
          ctx={ctx}
          current={state.conflict.current}
          saved={view.request}
          yours={state.conflict.yours}
          version={version}
        />
      ) : null}
      <FormError ctx={ctx} error={state.submitError} targets={labels} />
      <FormError ctx={ctx} error={state.error} targets={labels} />
      <Checklist ctx={ctx} view={view} assessment={assessment} adminFileValidated={adminFileValidated} />
      <RequestForm
        ctx={ctx}
        view={view}
        values={state.values ?? view.request}
        errors={errors}
        version={version}
      />
      <hr class="fr-mt-4w" />
      <DocumentsSection ctx={ctx} view={view} error={state.documentError} maxBytes={maxBytes} />
      <section aria-labelledby="auto-evaluation" class="fr-mb-6w">
        <h2 id="auto-evaluation">{t('dossier.publisher.assessment.title')}</h2>
        {assessment ? (
          <p>
            {t('dossier.publisher.assessment.summary', {
              version: assessment.version.id,
              ready: assessment.evaluation.counts.ready,
              applicable: assessment.evaluation.counts.applicable,
              blocking: assessment.evaluation.counts.blocking,
            })}
          </p>
        ) : null}
        <p>
          <strong>{t('dossier.publisher.assessment.frozen')}</strong>
        </p>
        {view.assessmentId ? (
          <p>
            <a class="fr-link" href={`/editeur/auto-evaluations/${view.assessmentId}`}>
              {t('dossier.publisher.links.assessment')}
            </a>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="depot" class="fr-mb-6w">
        <h2 id="depot">{t('dossier.publisher.submit.title')}</h2>
        {canSubmit ? (
          <form method="post" action={`${publisherFilePath(view.id)}/etapes`} id="formulaire-depot">
            <StepHidden ctx={ctx} view={view} type="submit" />
            <div class="fr-callout fr-mb-3w">
              <p class="fr-callout__text">{t('dossier.publisher.submit.confirm')}</p>
            </div>
            <button type="submit" class="fr-btn">
              {t('dossier.action.submit')}
            </button>
          </form>
        ) : (
          <Alert kind="info">
            <p>{t('dossier.publisher.submit.managers_only')}</p>
          </Alert>
        )}
      </section>
    </Page>
  );
}

// ── what was filed ──────────────────────────────────────────────────────────

interface FrozenEcoscore {
  official: { score: number; measuredOn: string; journeyName: string } | null;
  latestRun: { score: number | null; finishedAt: string | null } | null;
  gap?: string | null;
}

function SnapshotPage({ ctx, view }: { ctx: PageContext; view: DossierView }) {
  const { t } = ctx;
  const base = publisherFilePath(view.id);
  const snapshot = view.snapshot ?? null;
  const report = snapshot?.assessment as AssessmentReport | undefined;
  const eco = (snapshot?.ecoscore ?? null) as FrozenEcoscore | null;
  const frozenAt = typeof snapshot?.frozenAt === 'string' ? snapshot.frozenAt : null;
  const evidence = view.documents.filter((d) => d.kind === 'evidence');
  const fileOf = (criterionId: string, name: string, sha: string | null) =>
    evidence.find((d) => d.criterionId === criterionId && (sha ? d.sha256 === sha : d.name === name));
  const title = t('dossier.publisher.snapshot.title');
  return (
    <Page
      ctx={ctx}
      title={`${title} — ${fileTitle(ctx, view)}`}
      css={['alert', 'badge', 'table']}
      breadcrumb={Breadcrumb(ctx, view, [title, `${base}/depot`])}
    >
      <h1>{title}</h1>
      <p class="fr-text--lead">
        {fileTitle(ctx, view)} — {view.product.displayName}
      </p>
      {!report ? (
        <Alert kind="info">
          <p>{t('dossier.publisher.snapshot.none')}</p>
        </Alert>
      ) : (
        <>
          <Alert kind="info">
            <p>
              {t('dossier.publisher.snapshot.frozen', {
                date: formatDate(ctx, frozenAt ?? view.submittedAt),
              })}
            </p>
          </Alert>
          {report.version.status === 'demonstration' ? (
            <Alert kind="warning">
              <p>{t('dossier.publisher.snapshot.demo', { version: report.version.id })}</p>
            </Alert>
          ) : null}
          <dl class="fr-mb-4w">
            {(
              [
                [t('dossier.publisher.field.referential'), `${report.version.id} — ${report.version.title}`],
                [
                  t('dossier.publisher.field.service'),
                  `${report.subject.displayName} (${report.subject.version})`,
                ],
                [
                  t('dossier.publisher.snapshot.ready'),
                  t(
                    report.ready
                      ? 'dossier.publisher.snapshot.ready_yes'
                      : 'dossier.publisher.snapshot.ready_no',
                  ),
                ],
                [
                  t('dossier.publisher.snapshot.counts'),
                  t('dossier.publisher.snapshot.counts_value', {
                    applicable: report.counts.applicable,
                    mandatory: report.counts.mandatory,
                    answered: report.counts.answered,
                    ready: report.counts.ready,
                    blocking: report.counts.blocking,
                    notApplicable: report.counts.notApplicable,
                  }),
                ],
              ] as Array<[string, string]>
            ).map(([label, value]) => (
              <div key={label} class="fr-mb-1w">
                <dt class="fr-text--bold fr-mb-0">{label}</dt>
                <dd class="fr-ml-0">{value}</dd>
              </div>
            ))}
          </dl>
          <h2>{t('dossier.publisher.snapshot.by_rubrique')}</h2>
          <div class="fr-table">
            <div class="fr-table__wrapper">
              <div class="fr-table__container">
                <div class="fr-table__content">
                  <table>
                    <caption>{t('dossier.publisher.snapshot.by_rubrique_caption')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('dossier.publisher.snapshot.rubrique')}</th>
                        <th scope="col">{t('dossier.publisher.snapshot.applicable')}</th>
                        <th scope="col">{t('dossier.publisher.snapshot.answered')}</th>
                        <th scope="col">{t('dossier.publisher.snapshot.met')}</th>
                        <th scope="col">{t('dossier.publisher.snapshot.mandatory_met')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.byRubrique.map((r) => (
                        <tr key={r.rubrique}>
                          <th scope="row">{r.title}</th>
                          <td>{r.applicable}</td>
                          <td>{r.answered}</td>
                          <td>{r.ready}</td>
                          <td>
                            {r.mandatoryReady} / {r.mandatory}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          </div>
          <h2>{t('dossier.publisher.snapshot.criteria')}</h2>
          <div class="fr-table fr-table--multiline">
            <div class="fr-table__wrapper">
              <div class="fr-table__container">
                <div class="fr-table__content">
                  <table>
                    <caption>{t('dossier.publisher.snapshot.criteria_caption')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('dossier.publisher.snapshot.criterion')}</th>
                        <th scope="col">{t('dossier.publisher.snapshot.answer')}</th>
                        <th scope="col">{t('dossier.publisher.snapshot.justification')}</th>
                        <th scope="col">{t('dossier.publisher.snapshot.evidence')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.criteria.map((c) => (
                        <tr key={c.id}>
                          <th scope="row">
                            {c.id}
                            <br />
                            <span class="fr-text--sm">{c.title}</span>
                            <br />
                            <span class="fr-text--xs">{t(`assessment.level.${c.level}`)}</span>
                          </th>
                          <td>
                            {c.status ? t(`assessment.status.${c.status}`) : t('assessment.status.none')}
                            <br />
                            <span class="fr-text--xs">{t(`assessment.state.${c.state}`)}</span>
                            {c.targetDate ? (
                              <>
                                <br />
                                <span class="fr-text--xs">
                                  {t('dossier.publisher.snapshot.target', { date: c.targetDate })}
                                </span>
                              </>
                            ) : null}
                          </td>
                          <td>{c.justification ? <Typed text={c.justification} /> : '—'}</td>
                          <td>
                            {c.evidence.length === 0 ? (
                              '—'
                            ) : (
                              <ul class="fr-mb-0">
                                {c.evidence.map((e) => {
                                  if (e.kind === 'url') return <li key={`u-${e.url}`}>{e.url}</li>;
                                  if (e.kind === 'text') return <li key={`t-${e.text}`}>{e.text}</li>;
                                  const doc = fileOf(c.id, e.name, e.sha256);
                                  return (
                                    <li key={`f-${e.name}-${e.sha256 ?? ''}`}>
                                      {doc ? (
                                        <a
                                          class="fr-link fr-link--sm"
                                          href={`${base}/documents/${doc.id}`}
                                          aria-label={t('dossier.publisher.documents.download_label', {
                                            name: e.name,
                                          })}
                                        >
                                          {e.name}
                                        </a>
                                      ) : (
                                        e.name
                                      )}
                                      {e.sha256 ? (
                                        <span class="fr-text--xs"> — SHA-256 {e.sha256.slice(0, 16)}…</span>
                                      ) : null}
                                    </li>
                                  );
                                })}
                              </ul>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </div>
            </div>
          </div>
          <h2>{t('dossier.publisher.snapshot.ecoscore')}</h2>
          {eco?.official ? (
            <p>
              {t('dossier.publisher.snapshot.ecoscore_official', {
                score: eco.official.score,
                date: eco.official.measuredOn,
                journey: eco.official.journeyName,
              })}
            </p>
          ) : (
            <p>{t('dossier.publisher.snapshot.ecoscore_none')}</p>
          )}
          {eco?.latestRun && eco.latestRun.score !== null ? (
            <p>
              {t('dossier.publisher.snapshot.ecoscore_run', {
                score: eco.latestRun.score,
                date: formatDate(ctx, eco.latestRun.finishedAt),
              })}
            </p>
          ) : null}
          {evidence.length > 0 ? (
            <>
              <h2>{t('dossier.publisher.snapshot.files')}</h2>
              <DocumentsTable
                ctx={ctx}
                view={view}
                documents={evidence}
                caption={t('dossier.publisher.snapshot.files_caption')}
              />
            </>
          ) : null}
        </>
      )}
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={base}>
          {t('dossier.publisher.request.back')}
        </a>
      </p>
    </Page>
  );
}

// ── routes ──────────────────────────────────────────────────────────────────

/** A page error, the file's state and action named in the reader's language. */
function pageError(request: FastifyRequest, error: AppError): PageError {
  const params = { ...error.params };
  if (typeof params.state === 'string' && (dossierStates as readonly string[]).includes(params.state))
    params.state = request.t(`dossier.state.${params.state}`);
  if (typeof params.action === 'string') params.action = request.t(`dossier.action.${params.action}`);
  return pageErrorOf(request, error, params);
}

/** Sends a document as a download, never displayed or sniffed into something else. */
function sendDocument(reply: FastifyReply, file: { name: string; mediaType: string; content: Buffer }) {
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
    .send(file.content);
}

/** The publisher's pages of the referencing file (« Mes demandes de référencement »). */
export function publisherPages(ctx: AppContext, deps: DossierDeps) {
  const maxBytes = deps.config.evidenceMaxBytes;
  const assessmentDeps = { db: deps.db, config: deps.config, referentials: deps.referentials };
  return async (app: App) => {
    // In this plugin's scope only: documents, answers with their files, test reports. Fields come as text
    // (the CSRF check reads `_csrf`); files as bytes, cut one byte past the limit so an oversized one is
    // told apart without being read whole.
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: {
        fileSize: maxBytes + 1,
        fieldSize: 512 * 1024,
        files: MAX_ANSWER_FILES,
        fields: 60,
        parts: 70,
      },
      async onFile(part) {
        const bytes = await part.toBuffer();
        (part as unknown as { value: Upload }).value = {
          fileName: part.filename,
          bytes,
          truncated: part.file.truncated,
        };
      },
    });
    // A form the multipart reader refuses (too many files or fields, a cut request) is shown again, with why.
    app.setErrorHandler((error, request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      const id = (request.params as { id?: string }).id;
      const path = request.url.split('?')[0] ?? '';
      if (
        !(error instanceof AppError) &&
        id &&
        request.method === 'POST' &&
        /\/(etapes|documents)$/.test(path) &&
        status >= 400 &&
        status < 500
      ) {
        const shown = {
          message: request.t('dossier.publisher.form_unreadable', { count: MAX_ANSWER_FILES }),
          fields: {},
        };
        return path.endsWith('/documents')
          ? showDraft(request, reply, id, { status, documentError: shown })
          : showFile(request, reply, id, { status, error: shown });
      }
      throw error;
    });

    const hide = { hide: true };
    const publisher = { action: 'dossier.publisher' as const };
    const viewOne = { action: 'dossier.view_one' as const };
    type P = { Params: { id: string } };
    type DocParams = { Params: { id: string; docId: string } };

    const page = (request: FastifyRequest) => request.pageContext();

    const rubriquesFor = (view: DossierView, locale: 'fr' | 'en'): Array<[string, string]> => {
      const version = deps.referentials.get(view.referentialVersion);
      if (!version) return [];
      const used = new Set(version.criteria.map((c) => c.rubrique as string));
      return version.rubriques
        .filter((r) => used.has(r.id))
        .map((r) => [r.id, r.title[locale]] as [string, string]);
    };

    // ── the list

    const showList = async (request: FastifyRequest, reply: FastifyReply, state: ListState) => {
      const actor = request.actor;
      if (actor.kind !== 'account') throw notFound();
      const organisations = (await listOrganisationsOf(ctx.db, actor.accountId)).filter(
        (o) => !actor.apiTokenOrganisationId || o.id === actor.apiTokenOrganisationId,
      );
      const groups = await Promise.all(
        organisations.map(async (organisation) => ({
          organisation,
          files: await service.listDossiersOfOrganisation(deps, actor, organisation.id),
          products: await listProductsOf(deps.db, organisation.id),
          adminFileValidated: await isAdminFileValidated(deps.db, organisation.id),
        })),
      );
      return html(
        reply,
        state.status,
        renderPage(<ListPage ctx={page(request)} groups={groups} state={state} />),
      );
    };

    app.get(PUBLISHER_FILES, { config: publisher, schema: hide }, (request, reply) =>
      showList(request, reply, { status: 200 }),
    );

    app.post(PUBLISHER_FILES, { config: publisher, schema: hide }, async (request, reply) => {
      const productId = field(request.body as Body, 'productId');
      try {
        const view = await service.createDossier(deps, request.actor, { productId });
        return reply.redirect(`${publisherFilePath(view.id)}?ok=created`, 303);
      } catch (error) {
        if (error instanceof AppError && [409, 422].includes(error.status)) {
          const actor = request.actor;
          let organisationId: string | undefined;
          if (actor.kind === 'account')
            for (const m of actor.memberships)
              if ((await listProductsOf(deps.db, m.organisationId)).some((p) => p.id === productId))
                organisationId = m.organisationId;
          return showList(request, reply, {
            status: error.status,
            create: { organisationId, productId, error: pageError(request, error) },
          });
        }
        throw error;
      }
    });

    // ── a file

    const showFile = async (request: FastifyRequest, reply: FastifyReply, id: string, state: FileState) => {
      const [view, entries, medians] = await Promise.all([
        service.getDossier(deps, request.actor, id),
        service.timeline(deps, request.actor, id),
        service.publicProcessingTimes(deps),
      ]);
      const client = await oauthClientOf(deps, view);
      const ctxPage = page(request);
      return html(
        reply,
        state.status,
        renderPage(
          <FilePage
            ctx={ctxPage}
            view={view}
            entries={entries}
            medians={medians}
            targets={deps.process.deadlines}
            rubriques={rubriquesFor(view, ctxPage.locale)}
            maxBytes={maxBytes}
            client={client}
            state={{ ...state, flash: state.flash ?? (state.status === 200 ? flashOf(request) : undefined) }}
          />,
        ),
      );
    };

    const showDraft = async (request: FastifyRequest, reply: FastifyReply, id: string, state: DraftState) => {
      const view = await service.getDossier(deps, request.actor, id);
      // Filed meanwhile (or never a draft): the file's page says what it is now.
      if (!view.mayEditRequest) {
        if (state.status === 200) return reply.redirect(publisherFilePath(id), 303);
        return showFile(request, reply, id, {
          status: state.status,
          conflict: state.conflict?.current,
          error: state.conflict ? undefined : (state.submitError ?? state.error ?? state.documentError),
        });
      }
      const [assessment, adminFileValidated] = await Promise.all([
        view.assessmentId
          ? getAssessment(assessmentDeps, request.actor, view.assessmentId).catch(() => undefined)
          : Promise.resolve(undefined),
        isAdminFileValidated(deps.db, view.organisation.id),
      ]);
      const flash = state.flash ?? (state.status === 200 ? flashOf(request) : undefined);
      return html(
        reply,
        state.status,
        renderPage(
          <DraftPage
            ctx={page(request)}
            view={view}
            version={deps.referentials.get(view.referentialVersion)}
            assessment={assessment}
            adminFileValidated={adminFileValidated}
            maxBytes={maxBytes}
            state={{ ...state, flash, showProblems: state.showProblems ?? flash === 'saved' }}
          />,
        ),
      );
    };

    app.get<P>(`${PUBLISHER_FILES}/:id`, { config: viewOne, schema: hide }, (request, reply) =>
      showFile(request, reply, request.params.id, { status: 200 }),
    );

    app.get<P>(`${PUBLISHER_FILES}/:id/demande`, { config: publisher, schema: hide }, (request, reply) =>
      showDraft(request, reply, request.params.id, { status: 200 }),
    );

    app.post<P>(
      `${PUBLISHER_FILES}/:id/demande`,
      { config: publisher, schema: hide },
      async (request, reply) => {
        const { id } = request.params;
        const body = request.body as Body;
        const view = await service.getDossier(deps, request.actor, id);
        const content = requestFrom(body, view.typology);
        try {
          await service.updateRequest(deps, request.actor, id, formVersion(body), content);
          return reply.redirect(`${publisherFilePath(id)}/demande?ok=saved`, 303);
        } catch (error) {
          if (error instanceof DossierConflict)
            return showDraft(request, reply, id, {
              status: 409,
              values: content,
              conflict: { current: error.current, yours: content },
            });
          if (error instanceof AppError && [409, 422].includes(error.status))
            return showDraft(request, reply, id, {
              status: error.status,
              values: content,
              error: pageError(request, error),
            });
          throw error;
        }
      },
    );

    // ── documents

    app.post<P>(
      `${PUBLISHER_FILES}/:id/documents`,
      { config: publisher, schema: hide },
      async (request, reply) => {
        const { id } = request.params;
        const body = request.body as Body;
        const [upload] = uploads(body, 'file');
        try {
          await service.addDocument(
            deps,
            request.actor,
            id,
            formVersion(body),
            field(body, 'kind'),
            upload ?? { name: '', bytes: Buffer.alloc(0) },
          );
          return reply.redirect(`${publisherFilePath(id)}/demande?ok=document_added#documents`, 303);
        } catch (error) {
          if (error instanceof DossierConflict)
            return showDraft(request, reply, id, { status: 409, conflict: { current: error.current } });
          if (error instanceof AppError && [409, 413, 422].includes(error.status))
            return showDraft(request, reply, id, {
              status: error.status,
              documentError: pageError(request, error),
            });
          throw error;
        }
      },
    );

    app.get<DocParams>(
      `${PUBLISHER_FILES}/:id/documents/:docId`,
      { config: viewOne, schema: hide },
      async (request, reply) =>
        sendDocument(
          reply,
          await service.documentFile(deps, request.actor, request.params.id, request.params.docId),
        ),
    );

    app.post<DocParams>(
      `${PUBLISHER_FILES}/:id/documents/:docId/suppression`,
      { config: publisher, schema: hide },
      async (request, reply) => {
        const { id, docId } = request.params;
        try {
          await service.removeDocument(deps, request.actor, id, formVersion(request.body as Body), docId);
          return reply.redirect(`${publisherFilePath(id)}/demande?ok=document_removed#documents`, 303);
        } catch (error) {
          if (error instanceof DossierConflict)
            return showDraft(request, reply, id, { status: 409, conflict: { current: error.current } });
          if (error instanceof AppError && [409, 422].includes(error.status))
            return showDraft(request, reply, id, {
              status: error.status,
              documentError: pageError(request, error),
            });
          throw error;
        }
      },
    );

    // ── what was filed

    app.get<P>(`${PUBLISHER_FILES}/:id/depot`, { config: viewOne, schema: hide }, async (request, reply) => {
      const view = await service.getDossier(deps, request.actor, request.params.id);
      return html(reply, 200, renderPage(<SnapshotPage ctx={page(request)} view={view} />));
    });

    // ── the steps

    const runStep = async (request: FastifyRequest<P>, type: PublisherStep, body: Body): Promise<string> => {
      const { id } = request.params;
      const rowVersion = formVersion(body);
      const actor = request.actor;
      switch (type) {
        case 'answer_info': {
          const files = uploads(body, 'files');
          if (files.length > MAX_ANSWER_FILES)
            throw validationFailed({ files: 'dossier.publisher.info.too_many_files' });
          await service.answerInfoRequest(deps, actor, id, rowVersion, field(body, 'text'), files);
          return `${publisherFilePath(id)}?ok=answer_info`;
        }
        case 'test_report': {
          const [file] = uploads(body, 'reportFile');
          const jws = file ? file.bytes.toString('utf8') : field(body, 'report');
          await service.recordTestReport(deps, actor, id, rowVersion, jws);
          return `${publisherFilePath(id)}?ok=test_report#tests`;
        }
        case 'declare_version': {
          const result = await service.declareVersion(deps, actor, id, rowVersion, {
            version: field(body, 'version'),
            major: field(body, 'major') === 'oui',
            rubriques: fields(body, 'rubriques'),
            description: field(body, 'description'),
          });
          return result.update
            ? `${publisherFilePath(result.update.id)}?ok=update_created`
            : `${publisherFilePath(id)}?ok=version_declared`;
        }
        default:
          await service.act(
            deps,
            actor,
            id,
            rowVersion,
            service.actionFrom({ type, reasons: field(body, 'reasons') }),
          );
          return `${publisherFilePath(id)}?ok=${type}`;
      }
    };

    app.post<P>(
      `${PUBLISHER_FILES}/:id/etapes`,
      { config: publisher, schema: hide },
      async (request, reply) => {
        const { id } = request.params;
        const body = request.body as Body;
        const raw = field(body, 'type');
        const type = (publisherSteps as readonly string[]).includes(raw) ? (raw as PublisherStep) : undefined;
        // Only text fields are kept to show the form again: files are never sent back.
        const values: Body = Object.fromEntries(
          Object.entries(body ?? {}).filter(
            ([, v]) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
          ),
        );
        try {
          if (!type) throw validationFailed({ type: 'dossier.field.unknown' });
          return reply.redirect(await runStep(request, type, body), 303);
        } catch (error) {
          const onDraft = type === 'submit';
          if (error instanceof DossierConflict) {
            return onDraft
              ? showDraft(request, reply, id, { status: 409, conflict: { current: error.current } })
              : showFile(request, reply, id, { status: 409, conflict: error.current, form: type, values });
          }
          if (error instanceof AppError && [409, 413, 422].includes(error.status)) {
            const shown = pageError(request, error);
            return onDraft
              ? showDraft(request, reply, id, {
                  status: error.status,
                  submitError: shown,
                  showProblems: true,
                })
              : showFile(request, reply, id, { status: error.status, error: shown, form: type, values });
          }
          throw error;
        }
      },
    );
  };
}
