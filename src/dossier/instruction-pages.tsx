/**
 * The instruction's pages (espace d'instruction): the dashboard of the files in progress (queue by deadline,
 * counts per state, workload, processing times), a file with every step the viewer's roles allow as a form,
 * and the evaluation criterion by criterion. Forms work without JavaScript (POST, then a redirect); a change
 * based on a stale version is shown again with what was typed and the file as it now stands.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ComponentChildren, Fragment } from 'preact';
import type { AppContext } from '../app.ts';
import { staffWithRole } from '../identity/index.ts';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import type { ReferentialVersion } from '../referential/index.ts';
import {
  Alert,
  ChoiceGroup,
  Csrf,
  FieldMessages,
  Pagination,
  TableFrame,
  TextField,
} from '../web/components.tsx';
import { formatDate } from '../web/dates.ts';
import { type FormBody as Body, formField as field, formFields as fields } from '../web/forms.ts';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import { instructionPageOf } from './admin-file-service.ts';
import {
  actionTypes,
  type CatalogueStatus,
  type DossierActionType,
  type DossierState,
  dossierStates,
  finalStates,
  opinionKinds,
  verdicts,
} from './model.ts';
import {
  act,
  actionFrom,
  assign,
  type CriterionEvaluation,
  type Dashboard,
  type DashboardFilter,
  DossierConflict,
  type DossierDeps,
  type DossierView,
  dashboard,
  documentFile,
  evaluationOf,
  getDossier,
  IllegalTransition,
  MEDIAN_WINDOW_DAYS,
  OPEN_STATES,
  recordRemainingConforme,
  recordVerdict,
  type TimelineEntry,
  timeline,
  VerdictConflict,
} from './service.ts';

export const DASHBOARD_PATH = '/instruction/dossiers';
export const filePath = (id: string) => `${DASHBOARD_PATH}/${id}`;
export const evaluationPath = (id: string) => `${filePath(id)}/evaluation`;
/** The anchor of a criterion on the evaluation page (« URB 01 » → criterion-URB-01). */
export const criterionAnchor = (id: string) => `criterion-${id.replace(/[^A-Za-z0-9]+/g, '-')}`;

/** The steps the instruction's roles take on this page (the publisher's and the clock's are elsewhere). */
const STAFF_STEPS: readonly DossierActionType[] = [
  'declare_admissible',
  'declare_inadmissible',
  'request_info',
  'send_to_commission',
  'give_opinion',
  'lift_reservation',
  'decide',
  'sign_convention',
  'publish',
  'accept_update',
  'refuse_update',
  'take_offline',
  'put_online',
  'suspend',
  'lift_suspension',
  'dereference',
  'renew',
];

/** Steps that go against the publisher: their button is the secondary one. */
const ADVERSE_STEPS: readonly DossierActionType[] = [
  'declare_inadmissible',
  'refuse_update',
  'take_offline',
  'suspend',
  'dereference',
];

/** Steps whose only field is the reasons. */
const REASONS_STEPS: readonly DossierActionType[] = [
  'declare_inadmissible',
  'refuse_update',
  'take_offline',
  'suspend',
  'dereference',
];

export const MAX_RESERVATIONS = 5;

// ── reading forms ───────────────────────────────────────────────────────────

const checkedIn = (body: unknown, name: string) => ['on', 'true', '1'].includes(field(body, name));

/** The version a form was read at; a form without one was not ours and is refused before anything is decided. */
function formVersion(body: unknown): number {
  const text = field(body, 'rowVersion');
  if (!/^\d{1,9}$/.test(text)) throw new AppError('bad_request', 400, 'error.bad_request');
  return Number(text);
}

/** The data categories of a convention form: `category_<code>_read` / `category_<code>_write` checkboxes. */
function categoriesOf(body: unknown): Array<{ code: string; read: boolean; write: boolean }> {
  const byCode = new Map<string, { code: string; read: boolean; write: boolean }>();
  for (const key of Object.keys((body as Body) ?? {})) {
    const m = /^category_(.+)_(read|write)$/.exec(key);
    if (!m || !checkedIn(body, key)) continue;
    const code = m[1] as string;
    const entry = byCode.get(code) ?? { code, read: false, write: false };
    entry[m[2] as 'read' | 'write'] = true;
    byCode.set(code, entry);
  }
  return [...byCode.values()];
}

/** What a step form sends, in the shape `actionFrom` reads (the JSON API's shape). */
export function stepInput(body: unknown): Record<string, unknown> {
  const reservations = Array.from({ length: MAX_RESERVATIONS }, (_, i) => ({
    text: field(body, `reservation_${i}_text`).trim(),
    suspensive: checkedIn(body, `reservation_${i}_suspensive`),
  })).filter((r) => r.text !== '' || r.suspensive);
  return {
    type: field(body, 'type'),
    reasons: field(body, 'reasons'),
    message: field(body, 'message'),
    criteria: fields(body, 'criteria'),
    dueAt: field(body, 'dueAt'),
    opinion: field(body, 'opinion'),
    reservations,
    sitting: fields(body, 'sitting'),
    finalites: fields(body, 'finalites'),
    reservationId: field(body, 'reservationId'),
    decision: field(body, 'decision'),
    convention: {
      parties: fields(body, 'parties'),
      categories: categoriesOf(body),
      finalites: fields(body, 'finalites'),
      durationMonths: field(body, 'durationMonths'),
      withdrawalTerms: field(body, 'withdrawalTerms'),
      signedOn: field(body, 'signedOn'),
    },
    pilot: checkedIn(body, 'pilot'),
  };
}

// ── formatting ──────────────────────────────────────────────────────────────

const localeTag = (ctx: PageContext) => (ctx.locale === 'fr' ? 'fr-FR' : 'en-GB');

function formatDateTime(ctx: PageContext, date: Date | string | null | undefined): string {
  return formatDate(ctx.locale, date, 'date-time', ctx.t('dossier.instruction.none'));
}

function formatDay(ctx: PageContext, date: Date | string | null | undefined): string {
  return formatDate(ctx.locale, date, 'day', ctx.t('dossier.instruction.none'));
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

function formatSize(ctx: PageContext, bytes: number): string {
  return bytes >= 1024
    ? ctx.t('dossier.instruction.size.kib', { count: Math.round(bytes / 1024) })
    : ctx.t('dossier.instruction.size.bytes', { count: bytes });
}

/** A label from the catalog, or the raw value when the catalog has none (a step another module adds). */
function labelOr(ctx: PageContext, key: string, fallback: string): string {
  const text = ctx.t(key);
  return text === key ? fallback : text;
}

const stateBadgeKind: Partial<Record<DossierState, string>> = {
  draft: 'info',
  inadmissible: 'error',
  refused: 'error',
  withdrawn: 'warning',
  update_refused: 'error',
  info_requested: 'warning',
  connection_tests: 'warning',
  published: 'success',
  update_accepted: 'success',
};

export function StateBadge({ ctx, state }: { ctx: PageContext; state: DossierState }) {
  return (
    <span class={`fr-badge fr-badge--sm fr-badge--no-icon fr-badge--${stateBadgeKind[state] ?? 'new'}`}>
      {ctx.t(`dossier.state.${state}`)}
    </span>
  );
}

const catalogueBadgeKind: Record<CatalogueStatus, string> = {
  EN_LIGNE: 'success',
  PRESERIE: 'info',
  HORS_LIGNE: 'warning',
  SUSPENDUE: 'error',
  DEREFERENCEE: 'error',
};

function CatalogueBadge({ ctx, status }: { ctx: PageContext; status: CatalogueStatus }) {
  return (
    <span class={`fr-badge fr-badge--sm fr-badge--no-icon fr-badge--${catalogueBadgeKind[status]}`}>
      {ctx.t(`dossier.catalogue.${status}`)} ({status})
    </span>
  );
}

/** A deadline: the date, and in words (a badge with its text, not colour alone) whether it is passed or paused. */
function Deadline({
  ctx,
  dueAt,
  overdue,
  paused,
  now,
}: {
  ctx: PageContext;
  dueAt: Date | null;
  overdue: boolean;
  paused: boolean;
  now: Date;
}) {
  const { t } = ctx;
  if (!dueAt) return <>{t('dossier.instruction.no_deadline')}</>;
  const days = Math.max(1, Math.floor((now.getTime() - dueAt.getTime()) / 86_400_000));
  return (
    <>
      <span>{formatDay(ctx, dueAt)}</span>
      {paused ? (
        <>
          {' '}
          <span class="fr-badge fr-badge--sm fr-badge--info">{t('dossier.instruction.paused')}</span>
        </>
      ) : overdue ? (
        <>
          {' '}
          <strong class="fr-badge fr-badge--sm fr-badge--error">
            {t('dossier.instruction.overdue_by', { days })}
          </strong>
        </>
      ) : null}
    </>
  );
}

/** A text typed on several lines, its line breaks kept. */
function Lines({ text }: { text: string }) {
  const lines = text.split(/\r?\n/);
  return (
    <>
      {lines.map((line, i) => (
        <Fragment key={i}>
          {i > 0 ? <br /> : null}
          {line}
        </Fragment>
      ))}
    </>
  );
}

function SingleCheckbox(props: { id: string; name: string; label: string; checked: boolean }) {
  return (
    <div class="fr-checkbox-group fr-checkbox-group--sm fr-mb-2w">
      <input type="checkbox" id={props.id} name={props.name} value="on" checked={props.checked} />
      <label class="fr-label" for={props.id}>
        {props.label}
      </label>
    </div>
  );
}

// ── the dashboard ───────────────────────────────────────────────────────────

/** The dashboard's filters as typed in its address, each checked (an unknown value is ignored). */
export interface DashboardQuery {
  state: string;
  assigned: string;
  overdue: boolean;
  q: string;
  page: number;
}

/** The states the queue may be filtered on: every state but the draft, which is the publisher's alone. */
const FILTER_STATES = dossierStates.filter((s) => s !== 'draft');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function dashboardQuery(query: unknown): DashboardQuery {
  const state = field(query, 'state');
  const assigned = field(query, 'assigned');
  const page = Number(field(query, 'page'));
  return {
    state: (FILTER_STATES as readonly string[]).includes(state) ? state : '',
    assigned: assigned === 'me' || assigned === 'none' || UUID.test(assigned) ? assigned : '',
    overdue: checkedIn(query, 'overdue'),
    q: field(query, 'q').trim().slice(0, 40),
    page: Number.isInteger(page) && page >= 1 && page <= 10_000 ? page : 1,
  };
}

function dashboardHref(query: DashboardQuery, page: number): string {
  const params = new URLSearchParams();
  if (query.state) params.set('state', query.state);
  if (query.assigned) params.set('assigned', query.assigned);
  if (query.overdue) params.set('overdue', '1');
  if (query.q) params.set('q', query.q);
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `${DASHBOARD_PATH}?${text}` : DASHBOARD_PATH;
}

function FilterForm({ ctx, query, data }: { ctx: PageContext; query: DashboardQuery; data: Dashboard }) {
  const { t } = ctx;
  const stateOptions: Array<[string, string]> = [
    ['', t('dossier.instruction.filter.state_open')],
    ...FILTER_STATES.map((s): [string, string] => [s, t(`dossier.state.${s}`)]),
  ];
  const assignedOptions: Array<[string, string]> = [
    ['', t('dossier.instruction.filter.assigned_any')],
    ['me', t('dossier.instruction.filter.assigned_me')],
    ['none', t('dossier.instruction.filter.assigned_none')],
    ...data.instructors.map((i): [string, string] => [i.id, i.name]),
  ];
  const select = (
    id: string,
    name: string,
    label: string,
    options: Array<[string, string]>,
    value: string,
  ) => (
    <div class="fr-select-group">
      <label class="fr-label" for={id}>
        {label}
      </label>
      <select class="fr-select" id={id} name={name}>
        {options.map(([v, l]) => (
          <option value={v} selected={v === value} key={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form method="get" action={DASHBOARD_PATH} aria-labelledby="filtres-title" class="fr-mb-4w">
      <h2 id="filtres-title" class="fr-h4">
        {t('dossier.instruction.filters')}
      </h2>
      <div class="fr-grid-row fr-grid-row--gutters">
        <div class="fr-col-12 fr-col-md-3">
          {select('f-state', 'state', t('dossier.instruction.filter.state'), stateOptions, query.state)}
        </div>
        <div class="fr-col-12 fr-col-md-3">
          {select(
            'f-assigned',
            'assigned',
            t('dossier.instruction.filter.assigned'),
            assignedOptions,
            query.assigned,
          )}
        </div>
        <div class="fr-col-12 fr-col-md-4">
          <TextField
            ctx={ctx}
            id="f-q"
            name="q"
            label={t('dossier.instruction.filter.search')}
            hint={t('dossier.instruction.filter.search_hint')}
            value={query.q}
            type="search"
          />
        </div>
        <div class="fr-col-12 fr-col-md-2">
          <SingleCheckbox
            id="f-overdue"
            name="overdue"
            label={t('dossier.instruction.filter.overdue')}
            checked={query.overdue}
          />
        </div>
      </div>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <button type="submit" class="fr-btn">
            {t('dossier.instruction.filter.submit')}
          </button>
        </li>
        <li>
          <a class="fr-btn fr-btn--tertiary" href={DASHBOARD_PATH}>
            {t('dossier.instruction.filter.reset')}
          </a>
        </li>
      </ul>
    </form>
  );
}

function DashboardPage({
  ctx,
  data,
  query,
  now,
}: {
  ctx: PageContext;
  data: Dashboard;
  query: DashboardQuery;
  now: Date;
}) {
  const { t } = ctx;
  const title = t('dossier.instruction.title');
  const medians = dossierStates.filter((s) => data.medians[s]);
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['form', 'input', 'select', 'checkbox', 'badge', 'table', 'pagination', 'alert']}
      breadcrumb={[
        [t('workspace.title'), '/instruction'],
        [title, DASHBOARD_PATH],
      ]}
    >
      <h1>{title}</h1>
      <p>{t('dossier.instruction.intro')}</p>
      <nav aria-label={t('dossier.instruction.other_lists')} class="fr-mb-3w">
        <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
          <li>
            <a class="fr-btn fr-btn--secondary" href="/instruction/dossiers-administratifs">
              {t('dossier.instruction.admin_files')}
            </a>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href="/instruction/plaintes">
              {t('dossier.instruction.complaints')}
            </a>
          </li>
        </ul>
      </nav>

      <section aria-labelledby="etats-title">
        <h2 id="etats-title">{t('dossier.instruction.by_state')}</h2>
        <p>
          <a href={dashboardHref({ ...query, state: '', overdue: true, page: 1 }, 1)} class="fr-link">
            {t('dossier.instruction.overdue_total', { count: data.overdue })}
          </a>
        </p>
        <TableFrame caption={t('dossier.instruction.by_state_caption')}>
          <thead>
            <tr>
              <th scope="col">{t('dossier.instruction.state')}</th>
              <th scope="col">{t('dossier.instruction.count')}</th>
            </tr>
          </thead>
          <tbody>
            {OPEN_STATES.map((s) => (
              <tr key={s}>
                <th scope="row">
                  <a class="fr-link" href={dashboardHref({ ...query, state: s, page: 1 }, 1)}>
                    {t(`dossier.state.${s}`)}
                  </a>
                </th>
                <td>{data.byState[s] ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      </section>

      <section aria-labelledby="file-title">
        <h2 id="file-title">{t('dossier.instruction.queue')}</h2>
        <FilterForm ctx={ctx} query={query} data={data} />
        {data.rows.length === 0 ? (
          <Alert kind="info">
            <p>{t('dossier.instruction.queue_empty')}</p>
          </Alert>
        ) : (
          <TableFrame
            caption={t('dossier.instruction.queue_caption', {
              total: data.total,
              page: data.page,
              pages: data.pages,
            })}
          >
            <thead>
              <tr>
                <th scope="col">{t('dossier.instruction.col.number')}</th>
                <th scope="col">{t('dossier.instruction.col.service')}</th>
                <th scope="col">{t('dossier.instruction.col.organisation')}</th>
                <th scope="col">{t('dossier.instruction.col.state')}</th>
                <th scope="col">{t('dossier.instruction.col.deadline')}</th>
                <th scope="col">{t('dossier.instruction.col.expected')}</th>
                <th scope="col">{t('dossier.instruction.col.assigned')}</th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((r) => (
                <tr key={r.id} data-overdue={r.overdue ? 'true' : undefined}>
                  <th scope="row">
                    <a class="fr-link" href={filePath(r.id)}>
                      {r.number ?? t('dossier.instruction.no_number')}
                    </a>
                  </th>
                  <td>{r.productName}</td>
                  <td>{r.organisationName}</td>
                  <td>
                    <StateBadge ctx={ctx} state={r.state} />
                  </td>
                  <td>
                    <Deadline
                      ctx={ctx}
                      dueAt={r.phaseDueAt}
                      overdue={r.overdue}
                      paused={r.paused}
                      now={now}
                    />
                  </td>
                  <td>
                    {r.expectedFrom
                      ? t(`dossier.expected.${r.expectedFrom}`)
                      : t('dossier.instruction.nobody_expected')}
                  </td>
                  <td>{r.assignedTo?.name || t('dossier.instruction.nobody')}</td>
                </tr>
              ))}
            </tbody>
          </TableFrame>
        )}
        <Pagination
          ctx={ctx}
          page={data.page}
          pages={data.pages}
          href={(p) => dashboardHref(query, p)}
          label={t('dossier.instruction.pagination')}
        />
      </section>

      <section aria-labelledby="charge-title" class="fr-mt-4w">
        <h2 id="charge-title">{t('dossier.instruction.workload')}</h2>
        {data.workload.length === 0 ? (
          <p>{t('dossier.instruction.workload_empty')}</p>
        ) : (
          <TableFrame caption={t('dossier.instruction.workload_caption')}>
            <thead>
              <tr>
                <th scope="col">{t('dossier.instruction.workload.instructor')}</th>
                <th scope="col">{t('dossier.instruction.workload.open')}</th>
                <th scope="col">{t('dossier.instruction.workload.overdue')}</th>
              </tr>
            </thead>
            <tbody>
              {data.workload.map((w) => (
                <tr key={w.id}>
                  <th scope="row">
                    <a class="fr-link" href={dashboardHref({ ...query, assigned: w.id, page: 1 }, 1)}>
                      {w.name}
                    </a>
                  </th>
                  <td>{w.open}</td>
                  <td>{w.overdue}</td>
                </tr>
              ))}
            </tbody>
          </TableFrame>
        )}
      </section>

      <section aria-labelledby="delais-title" class="fr-mt-4w">
        <h2 id="delais-title">{t('dossier.instruction.medians')}</h2>
        {medians.length === 0 ? (
          <p>{t('dossier.instruction.medians_empty', { days: MEDIAN_WINDOW_DAYS })}</p>
        ) : (
          <TableFrame caption={t('dossier.instruction.medians_caption', { days: MEDIAN_WINDOW_DAYS })}>
            <thead>
              <tr>
                <th scope="col">{t('dossier.instruction.medians.phase')}</th>
                <th scope="col">{t('dossier.instruction.medians.days')}</th>
                <th scope="col">{t('dossier.instruction.medians.count')}</th>
              </tr>
            </thead>
            <tbody>
              {medians.map((s) => {
                const m = data.medians[s] as { days: number; count: number };
                return (
                  <tr key={s}>
                    <th scope="row">{t(`dossier.state.${s}`)}</th>
                    <td>{m.days.toLocaleString(localeTag(ctx))}</td>
                    <td>{m.count}</td>
                  </tr>
                );
              })}
            </tbody>
          </TableFrame>
        )}
      </section>
    </Page>
  );
}

// ── the file ────────────────────────────────────────────────────────────────

/** What a failed step leaves on the page: which form, what was typed, and what went wrong. */
interface StepFeedback {
  type: string;
  typed: Body;
  /** Field → message key. */
  errors: Record<string, string>;
}

interface FilePageState {
  status: number;
  flash?: string;
  conflict?: DossierConflict['current'];
  error?: { message: string; fields: Record<string, string> };
  step?: StepFeedback;
}

interface FileData {
  view: DossierView;
  events: TimelineEntry[];
  version: ReferentialVersion | undefined;
  instructors: Array<{ id: string; name: string }>;
  /** The criteria to evaluate with their verdicts (staff only; empty otherwise). */
  evaluation: CriterionEvaluation[];
  deps: DossierDeps;
}

function Summary({ ctx, data, now }: { ctx: PageContext; data: FileData; now: Date }) {
  const { t } = ctx;
  const { view } = data;
  const row = (label: string, value: ComponentChildren) => (
    <div class="fr-mb-1w">
      <dt class="fr-text--bold">{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <section aria-labelledby="synthese-title">
      <h2 id="synthese-title">{t('dossier.instruction.summary')}</h2>
      <dl>
        {row(t('dossier.instruction.field.number'), view.number ?? t('dossier.instruction.no_number'))}
        {row(t('dossier.instruction.field.kind'), t(`dossier.kind.${view.kind}`))}
        {row(
          t('dossier.instruction.field.service'),
          t('dossier.instruction.field.service_version', {
            name: view.product?.displayName ?? '',
            version: view.productVersion,
          }),
        )}
        {row(
          t('dossier.instruction.field.organisation'),
          <a class="fr-link" href={instructionPageOf(view.organisation.id)}>
            {t('dossier.instruction.field.organisation_link', {
              name: view.organisation.legalName,
              siren: view.organisation.siren,
            })}
          </a>,
        )}
        {row(t('dossier.instruction.field.typology'), t(`dossier.typology.${view.typology}`))}
        {row(
          t('dossier.instruction.field.referential'),
          data.version
            ? `${data.version.title[ctx.locale]} (${view.referentialVersion})`
            : view.referentialVersion,
        )}
        {row(
          t('dossier.instruction.field.state'),
          <>
            <StateBadge ctx={ctx} state={view.state} />{' '}
            {t('dossier.instruction.field.state_since', { date: formatDateTime(ctx, view.stateSince) })}
          </>,
        )}
        {row(
          t('dossier.instruction.field.deadline'),
          <>
            <Deadline
              ctx={ctx}
              dueAt={view.phaseDueAt}
              overdue={view.overdue}
              paused={view.paused}
              now={now}
            />
            {view.paused && view.phaseDueAt ? (
              <span class="fr-hint-text">
                {t('dossier.instruction.paused_until', { date: formatDay(ctx, view.phaseDueAt) })}
              </span>
            ) : null}
          </>,
        )}
        {row(
          t('dossier.instruction.field.expected'),
          view.expectedFrom
            ? t(`dossier.expected.${view.expectedFrom}`)
            : t('dossier.instruction.nobody_expected'),
        )}
        {row(
          t('dossier.instruction.field.assigned'),
          view.assignedTo?.name || t('dossier.instruction.nobody'),
        )}
        {row(t('dossier.instruction.field.submitted_at'), formatDateTime(ctx, view.submittedAt))}
        {row(t('dossier.instruction.field.oid'), view.oid ?? t('dossier.instruction.none'))}
        {row(
          t('dossier.instruction.field.catalogue'),
          view.catalogueStatus ? (
            <CatalogueBadge ctx={ctx} status={view.catalogueStatus} />
          ) : (
            t('dossier.instruction.none')
          ),
        )}
        {row(t('dossier.instruction.field.published_at'), formatDateTime(ctx, view.publishedAt))}
        {row(t('dossier.instruction.field.referenced_until'), formatDay(ctx, view.referencedUntil))}
        {view.renewalRequested
          ? row(t('dossier.instruction.field.renewal'), t('dossier.instruction.field.renewal_requested'))
          : null}
        {view.updateDueAt
          ? row(t('dossier.instruction.field.update_due'), formatDay(ctx, view.updateDueAt))
          : null}
      </dl>
    </section>
  );
}

function AssignForm({ ctx, data }: { ctx: PageContext; data: FileData }) {
  const { t } = ctx;
  const { view } = data;
  if (!view.roles.includes('instructeur') || view.state === 'draft' || finalStates.includes(view.state))
    return null;
  const current = view.assignedTo?.id ?? '';
  return (
    <section aria-labelledby="attribution-title" class="fr-mb-4w">
      <h2 id="attribution-title">{t('dossier.instruction.assign.title')}</h2>
      <form
        method="post"
        action={`${filePath(view.id)}/attribution`}
        class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom"
      >
        <Csrf ctx={ctx} />
        <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
        <div class="fr-col-12 fr-col-md-6 fr-select-group">
          <label class="fr-label" for="f-assign">
            {t('dossier.instruction.assign.label')}
          </label>
          <select class="fr-select" id="f-assign" name="accountId">
            <option value="" selected={current === ''}>
              {t('dossier.instruction.assign.nobody')}
            </option>
            {data.instructors.map((i) => (
              <option value={i.id} selected={i.id === current} key={i.id}>
                {i.name}
              </option>
            ))}
          </select>
        </div>
        <div class="fr-col-12 fr-col-md-3 fr-mb-3w">
          <button type="submit" class="fr-btn fr-btn--secondary">
            {t('dossier.instruction.assign.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}

function RequestAsFiled({ ctx, data }: { ctx: PageContext; data: FileData }) {
  const { t } = ctx;
  const { view, version } = data;
  const d = view.request.dataExchange;
  const categoryTitle = (code: string) =>
    version?.dataCategories.find((c) => c.code === code)?.title[ctx.locale] ?? code;
  const finaliteTitle = (code: string) =>
    version?.finalites.find((f) => f.code === code)?.title[ctx.locale] ?? code;
  const item = (label: string, value: ComponentChildren) => (
    <div class="fr-mb-2w">
      <dt class="fr-text--bold">{label}</dt>
      <dd>{typeof value === 'string' ? <Lines text={value} /> : value}</dd>
    </div>
  );
  return (
    <section aria-labelledby="demande-title" class="fr-mt-4w">
      <h2 id="demande-title">{t('dossier.instruction.request.title')}</h2>
      {view.request.presentation ? (
        <dl>{item(t('dossier.instruction.request.presentation'), view.request.presentation)}</dl>
      ) : null}
      {view.typology === 'sans-echange' ? (
        <p>{t('dossier.instruction.request.no_exchange')}</p>
      ) : (
        <>
          <h3>{t('dossier.instruction.request.exchange')}</h3>
          {!d ? (
            <p>{t('dossier.instruction.request.missing')}</p>
          ) : (
            <>
              <dl>
                {item(t('dossier.instruction.request.justification'), d.justification)}
                {item(t('dossier.instruction.request.access'), d.access)}
                {item(
                  t('dossier.instruction.request.finalites'),
                  <ul>
                    {d.finalites.map((f) => (
                      <li key={f}>
                        {finaliteTitle(f)} ({f})
                      </li>
                    ))}
                  </ul>,
                )}
                {item(t('dossier.instruction.request.retention'), d.retention)}
                {item(t('dossier.instruction.request.security'), d.security)}
                {item(t('dossier.instruction.request.consent'), <blockquote>{d.consentText}</blockquote>)}
                {item(
                  t('dossier.instruction.request.redirect_uris'),
                  <ul>
                    {d.redirectUris.map((u) => (
                      <li key={u}>
                        <code>{u}</code>
                      </li>
                    ))}
                  </ul>,
                )}
                {d.jwksUri ? item(t('dossier.instruction.request.jwks_uri'), <code>{d.jwksUri}</code>) : null}
                {d.jwks ? item(t('dossier.instruction.request.jwks'), <pre>{d.jwks}</pre>) : null}
                {item(t('dossier.instruction.request.support'), d.supportContact)}
              </dl>
              <TableFrame caption={t('dossier.instruction.request.categories_caption')}>
                <thead>
                  <tr>
                    <th scope="col">{t('dossier.instruction.request.category')}</th>
                    <th scope="col">{t('dossier.instruction.request.read')}</th>
                    <th scope="col">{t('dossier.instruction.request.write')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.categories.map((c) => (
                    <tr key={c.code}>
                      <th scope="row">
                        {categoryTitle(c.code)} ({c.code})
                      </th>
                      <td>{t(c.read ? 'dossier.instruction.yes' : 'dossier.instruction.no')}</td>
                      <td>{t(c.write ? 'dossier.instruction.yes' : 'dossier.instruction.no')}</td>
                    </tr>
                  ))}
                </tbody>
              </TableFrame>
            </>
          )}
        </>
      )}
    </section>
  );
}

function Outcome({ ctx, data }: { ctx: PageContext; data: FileData }) {
  const { t } = ctx;
  const { view, version } = data;
  const finaliteTitle = (code: string) =>
    version?.finalites.find((f) => f.code === code)?.title[ctx.locale] ?? code;
  const convention = view.convention as {
    parties?: string[];
    categories?: Array<{ code: string; read: boolean; write: boolean }>;
    finalites?: string[];
    durationMonths?: number;
    withdrawalTerms?: string;
    signedOn?: string;
  } | null;
  return (
    <section aria-labelledby="avis-title" class="fr-mt-4w">
      <h2 id="avis-title">{t('dossier.instruction.outcome.title')}</h2>
      {!view.opinion ? <p>{t('dossier.instruction.outcome.none')}</p> : null}
      {view.opinion ? (
        <>
          <h3>{t('dossier.instruction.outcome.opinion')}</h3>
          <p>
            <strong>{t(`dossier.opinion.${view.opinion.kind}`)}</strong> —{' '}
            {t('dossier.instruction.outcome.opinion_at', { date: formatDateTime(ctx, view.opinion.at) })}
          </p>
          <p>
            {t('dossier.instruction.outcome.reasons')} : <Lines text={view.opinion.reasons} />
          </p>
          <p>{t('dossier.instruction.outcome.sitting')} :</p>
          <ul>
            {view.opinion.sitting.map((s) => (
              <li key={s.id}>
                {t('dossier.instruction.field.seat', { role: s.role[ctx.locale], holder: s.holder })}
              </li>
            ))}
          </ul>
          {view.opinion.finalites.length > 0 ? (
            <p>
              {t('dossier.instruction.outcome.finalites')} :{' '}
              {view.opinion.finalites.map(finaliteTitle).join(', ')}
            </p>
          ) : null}
        </>
      ) : null}
      {view.reservations.length > 0 ? (
        <>
          <h3>{t('dossier.instruction.outcome.reservations')}</h3>
          <ul>
            {view.reservations.map((r) => (
              <li key={r.id}>
                <strong>{r.id}</strong> — {r.text}{' '}
                <span
                  class={`fr-badge fr-badge--sm fr-badge--no-icon${r.suspensive ? ' fr-badge--warning' : ''}`}
                >
                  {t(
                    r.suspensive
                      ? 'dossier.instruction.outcome.suspensive'
                      : 'dossier.instruction.outcome.non_suspensive',
                  )}
                </span>{' '}
                <span class={`fr-badge fr-badge--sm ${r.liftedAt ? 'fr-badge--success' : 'fr-badge--info'}`}>
                  {r.liftedAt
                    ? t('dossier.instruction.outcome.lifted', { date: formatDay(ctx, r.liftedAt) })
                    : t('dossier.instruction.outcome.not_lifted')}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {view.decision ? (
        <>
          <h3>{t('dossier.instruction.outcome.decision')}</h3>
          <p>
            <strong>{t(`dossier.decision.${view.decision.decision}`)}</strong> —{' '}
            {t('dossier.instruction.outcome.decision_at', { date: formatDateTime(ctx, view.decision.at) })}
          </p>
          <p>
            {t('dossier.instruction.outcome.reasons')} : <Lines text={view.decision.reasons} />
          </p>
        </>
      ) : null}
      {convention ? (
        <>
          <h3>{t('dossier.instruction.outcome.convention')}</h3>
          <p>
            {t('dossier.instruction.outcome.signed_on', {
              date: formatDay(ctx, convention.signedOn ?? null),
            })}{' '}
            — {t('dossier.instruction.outcome.duration', { months: convention.durationMonths ?? '' })}
          </p>
          <p>
            {t('dossier.instruction.outcome.parties')} : {(convention.parties ?? []).join(' ; ')}
          </p>
          {(convention.categories ?? []).length > 0 ? (
            <ul>
              {(convention.categories ?? []).map((c) => (
                <li key={c.code}>
                  {c.code} —{' '}
                  {[
                    c.read ? t('dossier.instruction.request.read') : '',
                    c.write ? t('dossier.instruction.request.write') : '',
                  ]
                    .filter(Boolean)
                    .join(', ')}
                </li>
              ))}
            </ul>
          ) : null}
          {(convention.finalites ?? []).length > 0 ? (
            <p>
              {t('dossier.instruction.outcome.finalites')} :{' '}
              {(convention.finalites ?? []).map(finaliteTitle).join(', ')}
            </p>
          ) : null}
          <p>
            {t('dossier.instruction.outcome.withdrawal')} : <Lines text={convention.withdrawalTerms ?? ''} />
          </p>
        </>
      ) : null}
    </section>
  );
}

function documentHref(dossierId: string, documentId: string) {
  return `${filePath(dossierId)}/documents/${documentId}`;
}

function Documents({ ctx, view }: { ctx: PageContext; view: DossierView }) {
  const { t } = ctx;
  const docs = view.documents.filter((d) => d.kind !== 'info_answer');
  return (
    <section aria-labelledby="pieces-title" class="fr-mt-4w">
      <h2 id="pieces-title">{t('dossier.instruction.documents.title')}</h2>
      {docs.length === 0 ? (
        <p>{t('dossier.instruction.documents.none')}</p>
      ) : (
        <TableFrame caption={t('dossier.instruction.documents.caption')}>
          <thead>
            <tr>
              <th scope="col">{t('dossier.instruction.documents.name')}</th>
              <th scope="col">{t('dossier.instruction.documents.kind')}</th>
              <th scope="col">{t('dossier.instruction.documents.size')}</th>
              <th scope="col">{t('dossier.instruction.documents.date')}</th>
            </tr>
          </thead>
          <tbody>
            {docs.map((d) => (
              <tr key={d.id}>
                <th scope="row">
                  <a
                    class="fr-link fr-link--download"
                    href={documentHref(view.id, d.id)}
                    download
                    title={t('dossier.instruction.documents.download', { name: d.name })}
                  >
                    {d.name}
                  </a>
                </th>
                <td>
                  {labelOr(ctx, `dossier.document.${d.kind}`, d.kind)}
                  {d.criterionId
                    ? ` ${t('dossier.instruction.documents.criterion', { id: d.criterionId })}`
                    : ''}
                </td>
                <td>{formatSize(ctx, d.size)}</td>
                <td>{formatDateTime(ctx, d.uploadedAt)}</td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      )}
    </section>
  );
}

function InfoRequests({ ctx, view }: { ctx: PageContext; view: DossierView }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="complements-title" class="fr-mt-4w">
      <h2 id="complements-title">{t('dossier.instruction.info.title')}</h2>
      {view.infoRequests.length === 0 ? (
        <p>{t('dossier.instruction.info.none')}</p>
      ) : (
        <ol>
          {view.infoRequests.map((r) => {
            const attachments = view.documents.filter((d) => d.infoRequestId === r.id);
            return (
              <li key={r.id} class="fr-mb-3w">
                <p class="fr-text--sm fr-mb-1w">
                  {t('dossier.instruction.info.asked', {
                    date: formatDateTime(ctx, r.askedAt),
                    name: r.askedByName ?? t('dossier.role.instructeur'),
                    due: formatDay(ctx, r.dueAt),
                  })}
                </p>
                <p>
                  <Lines text={r.message} />
                </p>
                {r.criteria.length > 0 ? (
                  <p>{t('dossier.instruction.info.criteria', { list: r.criteria.join(', ') })}</p>
                ) : null}
                {r.answeredAt ? (
                  <>
                    <p class="fr-text--bold fr-mb-1w">
                      {t('dossier.instruction.info.answered', {
                        date: formatDateTime(ctx, r.answeredAt),
                        name: r.answeredByName ?? t('dossier.role.publisher'),
                      })}
                    </p>
                    <p>
                      <Lines text={r.answer ?? ''} />
                    </p>
                  </>
                ) : (
                  <p>
                    <em>{t('dossier.instruction.info.waiting')}</em>
                  </p>
                )}
                {attachments.length > 0 ? (
                  <>
                    <p class="fr-mb-1w">{t('dossier.instruction.info.attachments')}</p>
                    <ul>
                      {attachments.map((d) => (
                        <li key={d.id}>
                          <a class="fr-link fr-link--download" href={documentHref(view.id, d.id)} download>
                            {d.name} <span class="fr-link__detail">{formatSize(ctx, d.size)}</span>
                          </a>
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function TestReports({ ctx, view }: { ctx: PageContext; view: DossierView }) {
  const { t } = ctx;
  if (view.typology !== 'avec-echange' && view.testReports.length === 0) return null;
  return (
    <section aria-labelledby="tests-title" class="fr-mt-4w">
      <h2 id="tests-title">{t('dossier.instruction.tests.title')}</h2>
      {view.testReports.length === 0 ? (
        <p>{t('dossier.instruction.tests.none')}</p>
      ) : (
        <TableFrame caption={t('dossier.instruction.tests.caption')}>
          <thead>
            <tr>
              <th scope="col">{t('dossier.instruction.tests.issued')}</th>
              <th scope="col">{t('dossier.instruction.tests.origin')}</th>
              <th scope="col">{t('dossier.instruction.tests.result')}</th>
              <th scope="col">{t('dossier.instruction.tests.plans')}</th>
            </tr>
          </thead>
          <tbody>
            {view.testReports.map((r) => (
              <tr key={r.id}>
                <th scope="row">{formatDateTime(ctx, r.issuedAt)}</th>
                <td>
                  {t(`dossier.instruction.tests.origin.${r.origin}`)} ({r.issuer})
                </td>
                <td>
                  <span class={`fr-badge fr-badge--sm ${r.passed ? 'fr-badge--success' : 'fr-badge--error'}`}>
                    {t(r.passed ? 'dossier.instruction.tests.passed' : 'dossier.instruction.tests.failed')}
                  </span>
                </td>
                <td>{r.plans.map((p) => `${String(p.id)} : ${String(p.status)}`).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      )}
    </section>
  );
}

function Timeline({ ctx, data }: { ctx: PageContext; data: FileData }) {
  const { t } = ctx;
  const names = new Map(data.instructors.map((i) => [i.id, i.name]));
  const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
  return (
    <section aria-labelledby="historique-title" class="fr-mt-4w">
      <h2 id="historique-title">{t('dossier.instruction.timeline.title')}</h2>
      <ol>
        {[...data.events].reverse().map((e, i) => {
          const details: string[] = [];
          if (e.toState && e.fromState)
            details.push(
              t('dossier.instruction.timeline.states', {
                from: t(`dossier.state.${e.fromState}`),
                to: t(`dossier.state.${e.toState}`),
              }),
            );
          if (e.catalogueTo)
            details.push(
              t('dossier.instruction.timeline.catalogue', {
                from: e.catalogueFrom ? t(`dossier.catalogue.${e.catalogueFrom}`) : '—',
                to: t(`dossier.catalogue.${e.catalogueTo}`),
              }),
            );
          if (e.type === 'verdict' && typeof e.data.count === 'number')
            details.push(
              t('dossier.instruction.timeline.verdicts', {
                count: e.data.count,
                verdict: labelOr(ctx, `dossier.verdict.${String(e.data.verdict)}`, String(e.data.verdict)),
              }),
            );
          if (e.type === 'verdict' && text(e.data.criterionId))
            details.push(
              t('dossier.instruction.timeline.verdict', {
                id: String(e.data.criterionId),
                verdict: labelOr(ctx, `dossier.verdict.${String(e.data.verdict)}`, String(e.data.verdict)),
              }),
            );
          if (e.type === 'assigned')
            details.push(
              typeof e.data.accountId === 'string'
                ? t('dossier.instruction.timeline.assigned_to', { name: names.get(e.data.accountId) ?? '' })
                : t('dossier.instruction.timeline.unassigned'),
            );
          if (e.type === 'give_opinion' && text(e.data.opinion))
            details.push(t(`dossier.opinion.${String(e.data.opinion)}`));
          if (e.type === 'decide' && text(e.data.decision))
            details.push(t(`dossier.decision.${String(e.data.decision)}`));
          if (text(e.data.oid))
            details.push(t('dossier.instruction.timeline.oid', { oid: String(e.data.oid) }));
          if (e.type === 'request_info' && text(e.data.dueAt))
            details.push(
              t('dossier.instruction.timeline.due', { date: formatDay(ctx, String(e.data.dueAt)) }),
            );
          const quoted = text(e.data.reasons) ?? text(e.data.message) ?? text(e.data.text);
          const who = e.actorName ?? t(`dossier.role.${e.actorRole}`);
          return (
            <li key={`${e.at.toISOString()}-${i}`} class="fr-mb-2w">
              <p class="fr-mb-0">
                <time dateTime={e.at.toISOString()}>{formatDateTime(ctx, e.at)}</time> —{' '}
                <strong>{labelOr(ctx, `dossier.action.${e.type}`, e.type)}</strong>{' '}
                {t('dossier.instruction.timeline.by', { name: who })}
              </p>
              {details.length > 0 ? <p class="fr-text--sm fr-mb-0">{details.join(' · ')}</p> : null}
              {quoted ? (
                <p class="fr-text--sm fr-mb-0">
                  « <Lines text={quoted} /> »
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

// ── the step forms ──────────────────────────────────────────────────────────

interface StepProps {
  ctx: PageContext;
  data: FileData;
  /** What was typed in this form and its problems, when it was just refused. */
  typed?: Body;
  errors: Record<string, string>;
}

/** The frame of every step form: the step's name, its hidden type and version, and its button. */
function StepForm({
  ctx,
  view,
  type,
  children,
  button,
  title = true,
}: {
  ctx: PageContext;
  view: DossierView;
  type: DossierActionType;
  children?: ComponentChildren;
  button?: string;
  title?: boolean;
}) {
  const label = ctx.t(`dossier.action.${type}`);
  return (
    <form method="post" action={`${filePath(view.id)}/etapes`} novalidate class="fr-mb-3w">
      <Csrf ctx={ctx} />
      <input type="hidden" name="type" value={type} />
      <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
      {title ? <h3 class="fr-h5">{label}</h3> : null}
      {children}
      <button type="submit" class={`fr-btn${ADVERSE_STEPS.includes(type) ? ' fr-btn--secondary' : ''}`}>
        {button ?? label}
      </button>
    </form>
  );
}

const fid = (type: string, name: string) => `f-${type}-${name}`;

function ReasonsField({
  ctx,
  type,
  typed,
  errors,
}: {
  ctx: PageContext;
  type: string;
  typed?: Body;
  errors: Record<string, string>;
}) {
  return (
    <TextField
      ctx={ctx}
      id={fid(type, 'reasons')}
      name="reasons"
      label={ctx.t('dossier.instruction.field.reasons')}
      hint={ctx.t('dossier.instruction.field.reasons_hint')}
      value={field(typed, 'reasons')}
      error={errors.reasons}
      multiline
      required
    />
  );
}

function RequestInfoForm({ ctx, data, typed, errors, now }: StepProps & { now: Date }) {
  const { t } = ctx;
  const days = data.deps.process.deadlines.info_requested;
  const defaultDue = isoDay(new Date(now.getTime() + days * 86_400_000));
  const titles = new Map(data.version?.criteria.map((c) => [c.id, c.title[ctx.locale]]) ?? []);
  const suggested = data.evaluation
    .filter((e) => e.verdict?.verdict === 'a_completer')
    .map((e) => e.criterionId);
  return (
    <StepForm ctx={ctx} view={data.view} type="request_info">
      <TextField
        ctx={ctx}
        id={fid('request_info', 'message')}
        name="message"
        label={t('dossier.instruction.field.message')}
        value={field(typed, 'message')}
        error={errors.message}
        multiline
        required
      />
      {data.evaluation.length > 0 ? (
        <ChoiceGroup
          small
          optionIds="index"
          ctx={ctx}
          id={fid('request_info', 'criteria')}
          name="criteria"
          legend={t('dossier.instruction.field.criteria')}
          hint={t('dossier.instruction.field.criteria_hint')}
          type="checkbox"
          options={data.evaluation.map((e): [string, string] => [
            e.criterionId,
            `${e.criterionId} — ${titles.get(e.criterionId) ?? ''}`,
          ])}
          checked={typed ? fields(typed, 'criteria') : suggested}
          error={errors.criteria}
        />
      ) : null}
      <TextField
        ctx={ctx}
        id={fid('request_info', 'dueAt')}
        name="dueAt"
        type="date"
        label={t('dossier.instruction.field.due_at')}
        hint={t('dossier.instruction.field.due_at_hint', { days })}
        value={typed ? field(typed, 'dueAt') : defaultDue}
        error={errors.dueAt}
        required
      />
    </StepForm>
  );
}

function SendToCommissionForm({ ctx, data }: StepProps) {
  const done = data.evaluation.filter((e) => e.verdict).length;
  return (
    <StepForm ctx={ctx} view={data.view} type="send_to_commission">
      <p>{ctx.t('dossier.instruction.send.progress', { done, total: data.evaluation.length })}</p>
    </StepForm>
  );
}

function OpinionForm({ ctx, data, typed, errors }: StepProps) {
  const { t } = ctx;
  const { view, version } = data;
  const { seats, quorum } = data.deps.process.commission;
  const requested = view.request.dataExchange?.finalites ?? [];
  const type = 'give_opinion';
  return (
    <StepForm ctx={ctx} view={view} type={type}>
      <ChoiceGroup
        small
        optionIds="index"
        ctx={ctx}
        id={fid(type, 'opinion')}
        name="opinion"
        legend={t('dossier.instruction.field.opinion')}
        type="radio"
        options={opinionKinds.map((k): [string, string] => [k, t(`dossier.opinion.${k}`)])}
        checked={[field(typed, 'opinion')]}
        error={errors.opinion}
      />
      <ReasonsField ctx={ctx} type={type} typed={typed} errors={errors} />
      <fieldset
        class={`fr-fieldset${errors.reservations ? ' fr-fieldset--error' : ''}`}
        id={fid(type, 'reservations')}
        aria-labelledby={`${fid(type, 'reservations')}-legend ${fid(type, 'reservations')}-messages`}
      >
        <legend
          class="fr-fieldset__legend fr-fieldset__legend--regular"
          id={`${fid(type, 'reservations')}-legend`}
        >
          {t('dossier.instruction.field.reservations')}
          <span class="fr-hint-text">
            {t('dossier.instruction.field.reservations_hint', { count: MAX_RESERVATIONS })}
          </span>
        </legend>
        {Array.from({ length: MAX_RESERVATIONS }, (_, i) => (
          <div class="fr-fieldset__element" key={i}>
            <TextField
              ctx={ctx}
              id={fid(type, `reservation_${i}_text`)}
              name={`reservation_${i}_text`}
              label={t('dossier.instruction.field.reservation_text', { n: i + 1 })}
              value={field(typed, `reservation_${i}_text`)}
            />
            <SingleCheckbox
              id={fid(type, `reservation_${i}_suspensive`)}
              name={`reservation_${i}_suspensive`}
              label={t('dossier.instruction.field.reservation_suspensive', { n: i + 1 })}
              checked={checkedIn(typed, `reservation_${i}_suspensive`)}
            />
          </div>
        ))}
        <FieldMessages ctx={ctx} id={fid(type, 'reservations')} error={errors.reservations} />
      </fieldset>
      <ChoiceGroup
        small
        optionIds="index"
        ctx={ctx}
        id={fid(type, 'sitting')}
        name="sitting"
        legend={t('dossier.instruction.field.sitting')}
        hint={t('dossier.instruction.field.sitting_hint', { quorum, seats: seats.length })}
        type="checkbox"
        options={seats.map((s): [string, string] => [
          s.id,
          t('dossier.instruction.field.seat', { role: s.role[ctx.locale], holder: s.holder }),
        ])}
        checked={fields(typed, 'sitting')}
        error={errors.sitting}
      />
      {view.typology === 'avec-echange' ? (
        <ChoiceGroup
          small
          optionIds="index"
          ctx={ctx}
          id={fid(type, 'finalites')}
          name="finalites"
          legend={t('dossier.instruction.field.finalites')}
          hint={t('dossier.instruction.field.finalites_hint')}
          type="checkbox"
          options={(version?.finalites ?? []).map((f): [string, string] => [f.code, f.title[ctx.locale]])}
          checked={typed ? fields(typed, 'finalites') : requested}
          error={errors.finalites}
        />
      ) : null}
    </StepForm>
  );
}

function LiftReservationForms({ ctx, data }: StepProps) {
  const { t } = ctx;
  const open = data.view.reservations.filter((r) => !r.liftedAt);
  return (
    <div class="fr-mb-3w">
      <h3 class="fr-h5">{t('dossier.action.lift_reservation')}</h3>
      {open.map((r) => (
        <StepForm
          ctx={ctx}
          view={data.view}
          type="lift_reservation"
          title={false}
          button={t('dossier.instruction.lift.button', { id: r.id })}
          key={r.id}
        >
          <input type="hidden" name="reservationId" value={r.id} />
          <p class="fr-mb-1w">
            <strong>{r.id}</strong> — {r.text} (
            {t(
              r.suspensive
                ? 'dossier.instruction.outcome.suspensive'
                : 'dossier.instruction.outcome.non_suspensive',
            )}
            )
          </p>
        </StepForm>
      ))}
    </div>
  );
}

function DecisionForm({ ctx, data, typed, errors }: StepProps) {
  const { t } = ctx;
  const type = 'decide';
  return (
    <StepForm ctx={ctx} view={data.view} type={type}>
      <ChoiceGroup
        small
        optionIds="index"
        ctx={ctx}
        id={fid(type, 'decision')}
        name="decision"
        legend={t('dossier.instruction.field.decision')}
        type="radio"
        inline
        options={[
          ['referenced', t('dossier.decision.referenced')],
          ['refused', t('dossier.decision.refused')],
        ]}
        checked={[field(typed, 'decision')]}
        error={errors.decision}
      />
      <ReasonsField ctx={ctx} type={type} typed={typed} errors={errors} />
    </StepForm>
  );
}

function ConventionForm({ ctx, data, typed, errors, now }: StepProps & { now: Date }) {
  const { t } = ctx;
  const { view, version } = data;
  const type = 'sign_convention';
  const exchange = view.typology === 'avec-echange';
  const requested = view.request.dataExchange?.categories ?? [];
  const parties = typed
    ? fields(typed, 'parties')
    : [...data.deps.process.conventionParties.map((p) => p[ctx.locale]), ''];
  while (parties.length < data.deps.process.conventionParties.length + 1) parties.push('');
  const categoryTitle = (code: string) =>
    version?.dataCategories.find((c) => c.code === code)?.title[ctx.locale] ?? code;
  const finalites = typed
    ? fields(typed, 'finalites')
    : (view.opinion?.finalites ?? view.request.dataExchange?.finalites ?? []);
  return (
    <StepForm ctx={ctx} view={view} type={type}>
      <fieldset
        class={`fr-fieldset${errors.parties ? ' fr-fieldset--error' : ''}`}
        id={fid(type, 'parties')}
        aria-labelledby={`${fid(type, 'parties')}-legend ${fid(type, 'parties')}-messages`}
      >
        <legend
          class="fr-fieldset__legend fr-fieldset__legend--regular"
          id={`${fid(type, 'parties')}-legend`}
        >
          {t('dossier.instruction.field.parties')}
        </legend>
        {parties.map((p, i) => (
          <div class="fr-fieldset__element" key={i}>
            <TextField
              ctx={ctx}
              id={fid(type, `party_${i}`)}
              name="parties"
              label={t('dossier.instruction.field.party', { n: i + 1 })}
              value={p}
            />
          </div>
        ))}
        <FieldMessages ctx={ctx} id={fid(type, 'parties')} error={errors.parties} />
      </fieldset>
      {exchange ? (
        <fieldset
          class={`fr-fieldset${errors.categories ? ' fr-fieldset--error' : ''}`}
          id={fid(type, 'categories')}
          aria-labelledby={`${fid(type, 'categories')}-legend ${fid(type, 'categories')}-messages`}
        >
          <legend
            class="fr-fieldset__legend fr-fieldset__legend--regular"
            id={`${fid(type, 'categories')}-legend`}
          >
            {t('dossier.instruction.field.categories')}
            <span class="fr-hint-text">{t('dossier.instruction.field.categories_hint')}</span>
          </legend>
          {requested.map((c) => (
            <div class="fr-fieldset__element fr-fieldset__element--inline" key={c.code}>
              {(['read', 'write'] as const).map((mode) => {
                const name = `category_${c.code}_${mode}`;
                return (
                  <SingleCheckbox
                    key={mode}
                    id={fid(type, name)}
                    name={name}
                    label={t(`dossier.instruction.field.category_${mode}`, { name: categoryTitle(c.code) })}
                    checked={typed ? checkedIn(typed, name) : c[mode]}
                  />
                );
              })}
            </div>
          ))}
          <FieldMessages ctx={ctx} id={fid(type, 'categories')} error={errors.categories} />
        </fieldset>
      ) : null}
      {exchange ? (
        <ChoiceGroup
          small
          optionIds="index"
          ctx={ctx}
          id={fid(type, 'finalites')}
          name="finalites"
          legend={t('dossier.instruction.field.finalites')}
          type="checkbox"
          options={(version?.finalites ?? []).map((f): [string, string] => [f.code, f.title[ctx.locale]])}
          checked={finalites}
          error={errors.finalites}
        />
      ) : null}
      <TextField
        ctx={ctx}
        id={fid(type, 'durationMonths')}
        name="durationMonths"
        type="number"
        min={1}
        max={120}
        label={t('dossier.instruction.field.duration')}
        value={typed ? field(typed, 'durationMonths') : '12'}
        error={errors.durationMonths}
        required
      />
      <TextField
        ctx={ctx}
        id={fid(type, 'withdrawalTerms')}
        name="withdrawalTerms"
        label={t('dossier.instruction.field.withdrawal')}
        value={field(typed, 'withdrawalTerms')}
        error={errors.withdrawalTerms}
        multiline
        required
      />
      <TextField
        ctx={ctx}
        id={fid(type, 'signedOn')}
        name="signedOn"
        type="date"
        label={t('dossier.instruction.field.signed_on')}
        hint={t('dossier.instruction.field.date_hint')}
        value={typed ? field(typed, 'signedOn') : isoDay(now)}
        error={errors.signedOn}
        required
      />
    </StepForm>
  );
}

function PublishForm({ ctx, data, typed }: StepProps) {
  const { t } = ctx;
  return (
    <StepForm ctx={ctx} view={data.view} type="publish">
      {data.view.state === 'connection_tests' ? <p>{t('dossier.instruction.publish.tests_needed')}</p> : null}
      <SingleCheckbox
        id={fid('publish', 'pilot')}
        name="pilot"
        label={t('dossier.instruction.field.pilot')}
        checked={checkedIn(typed, 'pilot')}
      />
    </StepForm>
  );
}

function StepForms({
  ctx,
  data,
  state,
  now,
}: {
  ctx: PageContext;
  data: FileData;
  state: FilePageState;
  now: Date;
}) {
  const { t } = ctx;
  const { view } = data;
  const steps = STAFF_STEPS.filter((s) => view.actions.includes(s));
  const staffRoles = view.roles.filter((r) => r === 'instructeur' || r === 'commission' || r === 'decideur');
  const props = (type: DossierActionType): StepProps => ({
    ctx,
    data,
    typed: state.step?.type === type ? state.step.typed : undefined,
    errors: state.step?.type === type ? state.step.errors : {},
  });
  return (
    <section aria-labelledby="etapes-title" class="fr-mt-4w" id="etapes">
      <h2 id="etapes-title">{t('dossier.instruction.steps.title')}</h2>
      <p class="fr-text--sm">
        {t('dossier.instruction.steps.roles', {
          roles: staffRoles.map((r) => t(`dossier.role.${r}`)).join(', '),
        })}
      </p>
      {steps.length === 0 ? <p>{t('dossier.instruction.steps.none')}</p> : null}
      {steps.map((type) => {
        const p = props(type);
        switch (type) {
          case 'request_info':
            return <RequestInfoForm key={type} {...p} now={now} />;
          case 'send_to_commission':
            return <SendToCommissionForm key={type} {...p} />;
          case 'give_opinion':
            return <OpinionForm key={type} {...p} />;
          case 'lift_reservation':
            return <LiftReservationForms key={type} {...p} />;
          case 'decide':
            return <DecisionForm key={type} {...p} />;
          case 'sign_convention':
            return <ConventionForm key={type} {...p} now={now} />;
          case 'publish':
            return <PublishForm key={type} {...p} />;
          default:
            return (
              <StepForm key={type} ctx={ctx} view={view} type={type}>
                {REASONS_STEPS.includes(type) ? (
                  <ReasonsField ctx={ctx} type={type} typed={p.typed} errors={p.errors} />
                ) : null}
              </StepForm>
            );
        }
      })}
    </section>
  );
}

/** What was typed in a refused form, for the person to copy when its form is no longer offered. */
function TypedTexts({ ctx, typed }: { ctx: PageContext; typed: Body }) {
  const texts = [
    'reasons',
    'message',
    'withdrawalTerms',
    ...Array.from({ length: MAX_RESERVATIONS }, (_, i) => `reservation_${i}_text`),
  ]
    .map((name) => field(typed, name).trim())
    .filter(Boolean);
  if (texts.length === 0) return null;
  return (
    <>
      <p class="fr-mb-1w">{ctx.t('dossier.instruction.conflict.typed')} :</p>
      <ul>
        {texts.map((text, i) => (
          <li key={i}>
            <Lines text={text} />
          </li>
        ))}
      </ul>
    </>
  );
}

function FilePage({
  ctx,
  data,
  state,
  now,
}: {
  ctx: PageContext;
  data: FileData;
  state: FilePageState;
  now: Date;
}) {
  const { t } = ctx;
  const { view } = data;
  const number = view.number ?? t('dossier.instruction.no_number');
  const title = t('dossier.instruction.file_title', { number, service: view.product?.displayName ?? '' });
  const done = data.evaluation.filter((e) => e.verdict).length;
  const staffView = view.roles.some((r) => r === 'instructeur' || r === 'commission' || r === 'decideur');
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['form', 'input', 'select', 'checkbox', 'radio', 'badge', 'table', 'alert']}
      breadcrumb={[
        [t('workspace.title'), '/instruction'],
        [t('dossier.instruction.title'), DASHBOARD_PATH],
        [number, filePath(view.id)],
      ]}
    >
      <h1>{title}</h1>
      <p id="etat">
        <StateBadge ctx={ctx} state={view.state} />{' '}
        {view.catalogueStatus ? <CatalogueBadge ctx={ctx} status={view.catalogueStatus} /> : null}{' '}
        <span class="fr-text--sm">
          {t('dossier.instruction.version_info', {
            version: view.rowVersion,
            date: formatDateTime(ctx, view.updatedAt),
          })}
        </span>
      </p>
      {state.flash ? (
        <Alert kind="success">
          <p>{state.flash}</p>
        </Alert>
      ) : null}
      {state.conflict ? (
        <Alert kind="error" title={t('dossier.instruction.conflict.title')}>
          <p>
            {t('dossier.instruction.conflict.body', {
              state: t(`dossier.state.${state.conflict.state}`),
              version: state.conflict.rowVersion,
            })}
          </p>
          {state.step ? <TypedTexts ctx={ctx} typed={state.step.typed} /> : null}
        </Alert>
      ) : null}
      {state.error ? (
        <Alert kind="error" title={t('dossier.instruction.refused.title')}>
          <p>{state.error.message}</p>
          {Object.keys(state.error.fields).length > 0 ? (
            <ul>
              {Object.entries(state.error.fields).map(([name, message]) => (
                <li key={name}>
                  <a href={`#${name === 'accountId' ? 'f-assign' : fid(state.step?.type ?? '', name)}`}>
                    {fieldLabel(ctx, name)}
                  </a>{' '}
                  : {t(message)}
                </li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      <nav aria-label={t('dossier.instruction.links')} class="fr-mb-3w">
        <ul>
          {staffView && view.number ? (
            <li>
              <a class="fr-link" href={evaluationPath(view.id)}>
                {data.evaluation.length > 0
                  ? t('dossier.instruction.evaluation_link', { done, total: data.evaluation.length })
                  : t('dossier.instruction.evaluation_link_plain')}
              </a>
            </li>
          ) : null}
          {view.number ? (
            <li>
              <a class="fr-link fr-link--download" href={`${filePath(view.id)}/demande.pdf`}>
                {t('dossier.instruction.request_pdf')}
              </a>
            </li>
          ) : null}
          {view.opinion ? (
            <li>
              <a class="fr-link fr-link--download" href={`${filePath(view.id)}/avis.pdf`}>
                {t('dossier.instruction.opinion_pdf')}
              </a>
            </li>
          ) : null}
        </ul>
      </nav>
      <Summary ctx={ctx} data={data} now={now} />
      <AssignForm ctx={ctx} data={data} />
      <StepForms ctx={ctx} data={data} state={state} now={now} />
      <RequestAsFiled ctx={ctx} data={data} />
      <Outcome ctx={ctx} data={data} />
      <Documents ctx={ctx} view={view} />
      <InfoRequests ctx={ctx} view={view} />
      <TestReports ctx={ctx} view={view} />
      <Timeline ctx={ctx} data={data} />
    </Page>
  );
}

/** The label of a field named in a refusal (the step forms' fields). */
function fieldLabel(ctx: PageContext, name: string): string {
  const keys: Record<string, string> = {
    reasons: 'dossier.instruction.field.reasons',
    message: 'dossier.instruction.field.message',
    criteria: 'dossier.instruction.field.criteria',
    dueAt: 'dossier.instruction.field.due_at',
    opinion: 'dossier.instruction.field.opinion',
    reservations: 'dossier.instruction.field.reservations',
    sitting: 'dossier.instruction.field.sitting',
    finalites: 'dossier.instruction.field.finalites',
    reservationId: 'dossier.instruction.field.reservation_id',
    decision: 'dossier.instruction.field.decision',
    parties: 'dossier.instruction.field.parties',
    categories: 'dossier.instruction.field.categories',
    durationMonths: 'dossier.instruction.field.duration',
    withdrawalTerms: 'dossier.instruction.field.withdrawal',
    signedOn: 'dossier.instruction.field.signed_on',
    accountId: 'dossier.instruction.assign.label',
    verdict: 'dossier.instruction.evaluation.verdict',
    comment: 'dossier.instruction.evaluation.comment',
  };
  return keys[name] ? ctx.t(keys[name]) : name;
}

// ── the evaluation ──────────────────────────────────────────────────────────

interface VerdictFeedback {
  criterionId: string;
  typed: { verdict: string; comment: string };
  errors: Record<string, string>;
  /** The colleague's verdict recorded in the meantime. */
  conflict?: { verdict: string; comment: string; rowVersion: number; name: string };
}

interface EvaluationState {
  status: number;
  flash?: string;
  error?: string;
  feedback?: VerdictFeedback;
}

const verdictBadge: Record<string, string> = {
  conforme: 'success',
  non_conforme: 'error',
  a_completer: 'warning',
};

function FiledAnswer({
  ctx,
  view,
  item,
}: {
  ctx: PageContext;
  view: DossierView;
  item: CriterionEvaluation;
}) {
  const { t } = ctx;
  const filed = item.filed as
    | {
        status?: string | null;
        justification?: string | null;
        evidence?: Array<{ kind: string; name?: string; url?: string; text?: string }>;
        targetDate?: string | null;
      }
    | undefined;
  const frozen = view.documents.filter((d) => d.kind === 'evidence' && d.criterionId === item.criterionId);
  if (!filed) return <p>{t('dossier.instruction.evaluation.not_filed')}</p>;
  const evidence = filed.evidence ?? [];
  return (
    <div class="fr-mb-2w">
      <p class="fr-mb-1w">
        <strong>{t('dossier.instruction.evaluation.filed')} :</strong>{' '}
        {filed.status
          ? labelOr(ctx, `assessment.status.${filed.status}`, filed.status)
          : t('assessment.status.none')}
      </p>
      {filed.justification ? (
        <p class="fr-mb-1w">
          {t('dossier.instruction.evaluation.justification')} : <Lines text={filed.justification} />
        </p>
      ) : null}
      <p class="fr-mb-1w">{t('dossier.instruction.evaluation.evidence')} :</p>
      {evidence.length === 0 ? (
        <p>{t('dossier.instruction.evaluation.no_evidence')}</p>
      ) : (
        <ul>
          {evidence.map((e, i) => {
            const doc = e.kind === 'file' ? frozen.find((d) => d.name === e.name) : undefined;
            return (
              <li key={i}>
                {e.kind === 'file' ? (
                  doc ? (
                    <a class="fr-link fr-link--download" href={documentHref(view.id, doc.id)} download>
                      {e.name} <span class="fr-link__detail">{formatSize(ctx, doc.size)}</span>
                    </a>
                  ) : (
                    e.name
                  )
                ) : e.kind === 'url' ? (
                  <code>{e.url}</code>
                ) : (
                  <Lines text={e.text ?? ''} />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

function VerdictForm({
  ctx,
  view,
  item,
  feedback,
}: {
  ctx: PageContext;
  view: DossierView;
  item: CriterionEvaluation;
  feedback?: VerdictFeedback;
}) {
  const { t } = ctx;
  const anchor = criterionAnchor(item.criterionId);
  const typed = feedback?.typed ?? {
    verdict: item.verdict?.verdict ?? '',
    comment: item.verdict?.comment ?? '',
  };
  const errors = feedback?.errors ?? {};
  const rowVersion = feedback?.conflict?.rowVersion ?? item.verdict?.rowVersion ?? 0;
  return (
    <form
      method="post"
      action={`${filePath(view.id)}/verdicts/${encodeURIComponent(item.criterionId)}`}
      novalidate
    >
      <Csrf ctx={ctx} />
      <input type="hidden" name="rowVersion" value={String(rowVersion)} />
      <ChoiceGroup
        small
        optionIds="index"
        ctx={ctx}
        id={`${anchor}-verdict`}
        name="verdict"
        legend={t('dossier.instruction.evaluation.verdict')}
        type="radio"
        inline
        options={verdicts.map((v): [string, string] => [v, t(`dossier.verdict.${v}`)])}
        checked={[typed.verdict]}
        error={errors.verdict}
      />
      <TextField
        ctx={ctx}
        id={`${anchor}-comment`}
        name="comment"
        label={t('dossier.instruction.evaluation.comment')}
        hint={t('dossier.instruction.evaluation.comment_hint')}
        value={typed.comment}
        error={errors.comment}
        multiline
      />
      <button type="submit" class="fr-btn fr-btn--secondary">
        {t('dossier.instruction.evaluation.submit', { id: item.criterionId })}
      </button>
    </form>
  );
}

function EvaluationPage({
  ctx,
  view,
  items,
  version,
  state,
}: {
  ctx: PageContext;
  view: DossierView;
  items: CriterionEvaluation[];
  version: ReferentialVersion | undefined;
  state: EvaluationState;
}) {
  const { t } = ctx;
  const number = view.number ?? t('dossier.instruction.no_number');
  const title = t('dossier.instruction.evaluation.title', { number });
  const criteria = new Map(version?.criteria.map((c) => [c.id, c]) ?? []);
  const done = items.filter((i) => i.verdict).length;
  const count = (v: string) => items.filter((i) => i.verdict?.verdict === v).length;
  const rubriques = (version?.rubriques ?? []).map((r) => ({
    id: r.id as string,
    title: r.title[ctx.locale],
    items: items.filter((i) => criteria.get(i.criterionId)?.rubrique === r.id),
  }));
  const orphans = items.filter((i) => !criteria.has(i.criterionId));
  if (orphans.length > 0)
    rubriques.push({
      id: 'autres',
      title: t('dossier.instruction.evaluation.unknown_criterion'),
      items: orphans,
    });
  const groups = rubriques.filter((r) => r.items.length > 0);
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['form', 'input', 'radio', 'badge', 'alert']}
      breadcrumb={[
        [t('workspace.title'), '/instruction'],
        [t('dossier.instruction.title'), DASHBOARD_PATH],
        [number, filePath(view.id)],
        [t('dossier.instruction.evaluation_link_plain'), evaluationPath(view.id)],
      ]}
    >
      <h1>{title}</h1>
      <p>
        {view.product?.displayName} — <StateBadge ctx={ctx} state={view.state} />
      </p>
      <p>{t('dossier.instruction.evaluation.intro')}</p>
      {state.flash ? (
        <Alert kind="success">
          <p>{state.flash}</p>
        </Alert>
      ) : null}
      {state.error ? (
        <Alert kind="error" title={t('dossier.instruction.refused.title')}>
          <p>{state.error}</p>
        </Alert>
      ) : null}
      {!view.mayRecordVerdicts ? (
        <Alert kind="info">
          <p>{t('dossier.instruction.evaluation.read_only')}</p>
        </Alert>
      ) : null}
      <p class="fr-mb-1w">
        <label for="progression-verdicts">
          {t('dossier.instruction.evaluation.progress', { done, total: items.length })}
        </label>
      </p>
      <progress
        class="mesref-progress"
        id="progression-verdicts"
        max={Math.max(1, items.length)}
        value={done}
      >
        {done} / {items.length}
      </progress>
      <p class="fr-text--sm">
        {t('dossier.instruction.evaluation.counts', {
          conforme: count('conforme'),
          non_conforme: count('non_conforme'),
          a_completer: count('a_completer'),
        })}
      </p>
      <p>
        <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={filePath(view.id)}>
          {t('dossier.instruction.evaluation.back')}
        </a>
      </p>
      {items.length === 0 ? <p>{t('dossier.instruction.evaluation.none')}</p> : null}
      {view.mayRecordVerdicts && done < items.length ? (
        <form method="post" action={`${evaluationPath(view.id)}/conformes`} class="fr-mb-3w">
          <Csrf ctx={ctx} />
          <p class="fr-hint-text">{t('dossier.instruction.evaluation.remaining_hint')}</p>
          <button type="submit" class="fr-btn fr-btn--secondary">
            {t('dossier.instruction.evaluation.remaining', { count: items.length - done })}
          </button>
        </form>
      ) : null}
      {groups.length > 1 ? (
        <nav aria-label={t('dossier.instruction.evaluation.rubriques')} class="fr-mb-3w">
          <ul>
            {groups.map((g) => (
              <li key={g.id}>
                <a class="fr-link" href={`#rubrique-${g.id}`}>
                  {g.title} —{' '}
                  {t('dossier.instruction.evaluation.rubrique_progress', {
                    done: g.items.filter((i) => i.verdict).length,
                    total: g.items.length,
                  })}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {groups.map((g) => (
        <section key={g.id} aria-labelledby={`rubrique-${g.id}`} class="fr-mt-4w">
          <h2 id={`rubrique-${g.id}`}>{g.title}</h2>
          {g.items.map((item) => {
            const criterion = criteria.get(item.criterionId);
            const anchor = criterionAnchor(item.criterionId);
            const feedback = state.feedback?.criterionId === item.criterionId ? state.feedback : undefined;
            return (
              <article
                key={item.criterionId}
                id={anchor}
                aria-labelledby={`${anchor}-title`}
                class="fr-mb-4w fr-pb-2w"
              >
                <h3 id={`${anchor}-title`} class="fr-h5">
                  {item.criterionId}
                  {criterion ? ` — ${criterion.title[ctx.locale]}` : ''}
                </h3>
                {criterion ? (
                  <p class="fr-mb-1w">
                    <span
                      class={`fr-badge fr-badge--sm fr-badge--no-icon${criterion.level === 'obligatoire' ? ' fr-badge--new' : ''}`}
                    >
                      {t(`assessment.level.${criterion.level}`)}
                    </span>
                  </p>
                ) : null}
                {criterion ? (
                  <p class="fr-text--sm">
                    {t('dossier.instruction.evaluation.requirement')} : {criterion.requirement[ctx.locale]}
                  </p>
                ) : null}
                <FiledAnswer ctx={ctx} view={view} item={item} />
                <p class="fr-mb-1w">
                  <strong>{t('dossier.instruction.evaluation.verdict')} :</strong>{' '}
                  {item.verdict ? (
                    <>
                      <span
                        class={`fr-badge fr-badge--sm fr-badge--${verdictBadge[item.verdict.verdict] ?? 'info'}`}
                      >
                        {t(`dossier.verdict.${item.verdict.verdict}`)}
                      </span>{' '}
                      <span class="fr-text--sm">
                        {t('dossier.instruction.evaluation.decided', {
                          name: item.decidedByName ?? '',
                          date: formatDateTime(ctx, item.verdict.decidedAt),
                        })}
                      </span>
                    </>
                  ) : (
                    t('dossier.instruction.evaluation.no_verdict')
                  )}
                </p>
                {item.verdict?.comment ? (
                  <p class="fr-text--sm">
                    <Lines text={item.verdict.comment} />
                  </p>
                ) : null}
                {feedback?.conflict ? (
                  <Alert kind="warning" title={t('dossier.instruction.evaluation.conflict.title')}>
                    <p>
                      {t('dossier.instruction.evaluation.conflict.body', {
                        verdict: t(`dossier.verdict.${feedback.conflict.verdict}`),
                        name: feedback.conflict.name,
                        comment: feedback.conflict.comment || '—',
                      })}
                    </p>
                  </Alert>
                ) : null}
                {view.mayRecordVerdicts ? (
                  <VerdictForm ctx={ctx} view={view} item={item} feedback={feedback} />
                ) : null}
              </article>
            );
          })}
        </section>
      ))}
    </Page>
  );
}

// ── routes ──────────────────────────────────────────────────────────────────

/** Params of a refusal's message: the state is named in words, a guard's count too. */
function messageOf(request: FastifyRequest, error: AppError): string {
  const params: Record<string, string | number> = { ...error.params };
  if (typeof params.state === 'string') params.state = request.t(`dossier.state.${params.state}`);
  // A guard that counts (verdicts missing…) reports its count among the fields.
  if (error.fields.count !== undefined) params.count = error.fields.count;
  return request.t(error.message, params);
}

/** The instruction's pages; every route is for staff (`dossier.staff`), the dossier service then checks each role. */
export function instructionPages(_ctx: AppContext, deps: DossierDeps) {
  const nowOf = () => (deps.now ? deps.now() : new Date());
  return async (app: App) => {
    const hide = { hide: true };
    const staff = { action: 'dossier.staff' as const };
    type IdParams = { Params: { id: string } };

    app.get(DASHBOARD_PATH, { config: staff, schema: hide }, async (request, reply) => {
      const query = dashboardQuery(request.query);
      const filter: DashboardFilter = {
        state: query.state || undefined,
        assigned: query.assigned || undefined,
        overdue: query.overdue,
        search: query.q || undefined,
        page: query.page,
      };
      const data = await dashboard(deps, request.actor, filter);
      return html(
        reply,
        200,
        renderPage(<DashboardPage ctx={request.pageContext()} data={data} query={query} now={nowOf()} />),
      );
    });

    const fileData = async (request: FastifyRequest, id: string): Promise<FileData> => {
      const view = await getDossier(deps, request.actor, id);
      const staffView = view.roles.some((r) => r === 'instructeur' || r === 'commission' || r === 'decideur');
      const [events, instructors, evaluation] = await Promise.all([
        timeline(deps, request.actor, id),
        staffWithRole(deps.db, 'instructeur'),
        staffView && view.number ? evaluationOf(deps, request.actor, id) : Promise.resolve([]),
      ]);
      return {
        view,
        events,
        instructors,
        evaluation,
        version: deps.referentials.get(view.referentialVersion),
        deps,
      };
    };

    const showFile = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      state: FilePageState,
    ) => {
      const data = await fileData(request, id);
      return html(
        reply,
        state.status,
        renderPage(<FilePage ctx={request.pageContext()} data={data} state={state} now={nowOf()} />),
      );
    };

    app.get<IdParams & { Querystring: { ok?: string } }>(
      `${DASHBOARD_PATH}/:id`,
      { config: staff, schema: hide },
      (request, reply) => {
        const ok = field(request.query, 'ok');
        const flash =
          ok === 'assigned'
            ? request.t('dossier.instruction.assigned_ok')
            : (actionTypes as readonly string[]).includes(ok)
              ? request.t('dossier.instruction.done', { action: request.t(`dossier.action.${ok}`) })
              : undefined;
        return showFile(request, reply, request.params.id, { status: 200, flash });
      },
    );

    app.post<IdParams>(
      `${DASHBOARD_PATH}/:id/etapes`,
      { config: staff, schema: hide },
      async (request, reply) => {
        const body = request.body as Body;
        const { id } = request.params;
        const rowVersion = formVersion(body);
        const type = field(body, 'type');
        try {
          await act(deps, request.actor, id, rowVersion, actionFrom(stepInput(body)));
          return reply.redirect(`${filePath(id)}?ok=${encodeURIComponent(type)}`, 303);
        } catch (error) {
          if (error instanceof DossierConflict)
            return showFile(request, reply, id, {
              status: 409,
              conflict: error.current,
              step: { type, typed: body, errors: {} },
            });
          if (error instanceof IllegalTransition)
            return showFile(request, reply, id, {
              status: 409,
              error: { message: messageOf(request, error), fields: {} },
              step: { type, typed: body, errors: {} },
            });
          if (error instanceof AppError && error.status === 422) {
            const { count: _count, ...problems } = error.fields;
            return showFile(request, reply, id, {
              status: 422,
              error: { message: messageOf(request, error), fields: problems },
              step: { type, typed: body, errors: problems },
            });
          }
          throw error;
        }
      },
    );

    app.post<IdParams>(
      `${DASHBOARD_PATH}/:id/attribution`,
      { config: staff, schema: hide },
      async (request, reply) => {
        const body = request.body as Body;
        const { id } = request.params;
        const rowVersion = formVersion(body);
        const accountId = field(body, 'accountId');
        try {
          await assign(deps, request.actor, id, rowVersion, accountId === '' ? null : accountId);
          return reply.redirect(`${filePath(id)}?ok=assigned`, 303);
        } catch (error) {
          if (error instanceof DossierConflict)
            return showFile(request, reply, id, { status: 409, conflict: error.current });
          if (error instanceof AppError && (error.status === 422 || error instanceof IllegalTransition))
            return showFile(request, reply, id, {
              status: error.status,
              error: { message: messageOf(request, error), fields: error.fields },
            });
          throw error;
        }
      },
    );

    app.get<{ Params: { id: string; docId: string } }>(
      `${DASHBOARD_PATH}/:id/documents/:docId`,
      { config: staff, schema: hide },
      async (request, reply) => {
        const file = await documentFile(deps, request.actor, request.params.id, request.params.docId);
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
      },
    );

    const showEvaluation = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      state: EvaluationState,
    ) => {
      const view = await getDossier(deps, request.actor, id);
      const items = await evaluationOf(deps, request.actor, id);
      return html(
        reply,
        state.status,
        renderPage(
          <EvaluationPage
            ctx={request.pageContext()}
            view={view}
            items={items}
            version={deps.referentials.get(view.referentialVersion)}
            state={state}
          />,
        ),
      );
    };

    app.get<IdParams>(
      `${DASHBOARD_PATH}/:id/evaluation`,
      { config: staff, schema: hide },
      (request, reply) => {
        const ok = field(request.query, 'ok');
        const conformes = field(request.query, 'conformes');
        const flash = ok
          ? request.t('dossier.instruction.evaluation.saved', { id: ok.slice(0, 40) })
          : /^\d{1,4}$/.test(conformes)
            ? request.t('dossier.instruction.evaluation.remaining_done', { count: Number(conformes) })
            : undefined;
        return showEvaluation(request, reply, request.params.id, { status: 200, flash });
      },
    );

    app.post<IdParams>(
      `${DASHBOARD_PATH}/:id/evaluation/conformes`,
      { config: staff, schema: hide },
      async (request, reply) => {
        const { id } = request.params;
        try {
          const count = await recordRemainingConforme(deps, request.actor, id);
          return reply.redirect(`${evaluationPath(id)}?conformes=${count}`, 303);
        } catch (error) {
          if (error instanceof IllegalTransition)
            return showEvaluation(request, reply, id, { status: 409, error: messageOf(request, error) });
          throw error;
        }
      },
    );

    app.post<{ Params: { id: string; criterionId: string } }>(
      `${DASHBOARD_PATH}/:id/verdicts/:criterionId`,
      { config: staff, schema: hide },
      async (request, reply) => {
        const body = request.body as Body;
        const { id, criterionId } = request.params;
        const rowVersion = formVersion(body);
        const typed = { verdict: field(body, 'verdict'), comment: field(body, 'comment') };
        try {
          await recordVerdict(deps, request.actor, id, criterionId, { ...typed, rowVersion });
          return reply.redirect(
            `${evaluationPath(id)}?ok=${encodeURIComponent(criterionId)}#${criterionAnchor(criterionId)}`,
            303,
          );
        } catch (error) {
          if (error instanceof VerdictConflict) {
            const current = error.current;
            const names = current?.decidedBy ? await staffWithRole(deps.db, 'instructeur') : [];
            return showEvaluation(request, reply, id, {
              status: 409,
              feedback: {
                criterionId,
                typed,
                errors: {},
                conflict: current
                  ? {
                      verdict: current.verdict,
                      comment: current.comment,
                      rowVersion: current.rowVersion,
                      name: names.find((n) => n.id === current.decidedBy)?.name ?? '',
                    }
                  : { verdict: '', comment: '', rowVersion: 0, name: '' },
              },
            });
          }
          if (error instanceof IllegalTransition)
            return showEvaluation(request, reply, id, { status: 409, error: messageOf(request, error) });
          if (error instanceof AppError && error.status === 422)
            return showEvaluation(request, reply, id, {
              status: 422,
              feedback: { criterionId, typed, errors: error.fields },
            });
          throw error;
        }
      },
    );
  };
}
