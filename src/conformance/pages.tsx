/**
 * The connection-test pages of the sandbox publisher space: the sessions and the form that opens one
 * (`/editeur/tests-accrochage`), a session's page (credentials once, test citizens, plans and tests with their
 * instructions and status, the platform-side actions, the recorded calls, the report links) and the report's
 * HTML page. The session page works without JavaScript; with it, `mesref-conformance.js` polls the session's
 * JSON API and updates the statuses.
 */
import type { ComponentChildren } from 'preact';
import type { Locale } from '../platform/i18n.ts';
import {
  Alert,
  ChoiceGroup,
  Csrf,
  FormError,
  type PageError,
  SelectField,
  TableFrame,
  TextField,
} from '../web/components.tsx';
import { Page, type PageContext } from '../web/layout.tsx';
import type { PlanVerdict, RecordedAction, RecordedCall, TestPlan, TestStatus } from './model.ts';
import { evidenceCalls, formatReportDate, type ReportDocument } from './report.ts';

export const CONFORMANCE_PATH = '/editeur/tests-accrochage';
export const sessionPath = (id: string) => `${CONFORMANCE_PATH}/${id}`;
export const sessionActionPath = (id: string) => `${sessionPath(id)}/actions`;
export const sessionClosePath = (id: string) => `${sessionPath(id)}/cloture`;
export const sessionReferencePath = (id: string) => `${sessionPath(id)}/client-de-reference`;
export const sessionApiPath = (id: string) => `/api/v1/conformance/sessions/${id}`;

/** The most recorded calls the session page lists (the newest); the JSON API gives them all. */
export const CALLS_SHOWN = 200;

const statusBadge: Record<TestStatus, string> = {
  passed: 'fr-badge--success',
  failed: 'fr-badge--error',
  not_run: 'fr-badge--info',
};

function StatusBadge({
  ctx,
  status,
  attr,
}: {
  ctx: PageContext;
  status: TestStatus;
  attr?: Record<string, string>;
}) {
  return (
    <span class={`fr-badge fr-badge--sm fr-badge--no-icon ${statusBadge[status]}`} {...attr}>
      {ctx.t(`conformance.status.${status}`)}
    </span>
  );
}

const date = (ctx: PageContext, value: string | Date) => formatReportDate(value, ctx.locale);

// ── the list and the form ───────────────────────────────────────────────────

export interface SessionSummary {
  id: string;
  productName: string;
  productVersion?: string | null;
  status: 'open' | 'closed';
  createdAt: string | Date;
  /** Failed if a plan failed, passed if all passed, else not run. */
  result: TestStatus;
}

export interface OpenFormOptions {
  products: Array<{ id: string; name: string }>;
  categories: Array<{ code: string; title: string }>;
  finalites: Array<{ code: string; title: string }>;
}

export interface OpenFormValues {
  productId: string;
  /** `<code>:read`, `<code>:write` */
  categories: string[];
  finalites: string[];
  redirectUris: string;
  jwks: string;
}

export const emptyOpenForm: OpenFormValues = {
  productId: '',
  categories: [],
  finalites: [],
  redirectUris: '',
  jwks: '',
};

export function SessionListPage({
  ctx,
  sessions,
  options,
  values = emptyOpenForm,
  error,
}: {
  ctx: PageContext;
  sessions: SessionSummary[];
  options: OpenFormOptions;
  values?: OpenFormValues;
  error?: PageError;
}) {
  const { t } = ctx;
  const title = t('conformance.list.title');
  const fieldLabels: Record<string, [string, string]> = {
    productId: [t('conformance.form.product'), 'session-product'],
    categories: [t('conformance.form.categories'), 'session-categories'],
    finalites: [t('conformance.form.finalites'), 'session-finalites'],
    redirectUris: [t('conformance.form.redirect_uris'), 'session-redirect-uris'],
    jwks: [t('conformance.form.jwks'), 'session-jwks'],
  };
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['table', 'badge', 'form', 'input', 'select', 'checkbox', 'alert']}
      breadcrumb={[
        [t('nav.publisher'), '/editeur'],
        [title, CONFORMANCE_PATH],
      ]}
    >
      <h1>{title}</h1>
      <p class="fr-text--lead">{t('conformance.list.lead')}</p>
      <h2>{t('conformance.list.sessions')}</h2>
      {sessions.length === 0 ? (
        <p>{t('conformance.list.none')}</p>
      ) : (
        <TableFrame caption={t('conformance.list.sessions')} hideCaption>
          <thead>
            <tr>
              <th scope="col">{t('conformance.list.product')}</th>
              <th scope="col">{t('conformance.list.opened')}</th>
              <th scope="col">{t('conformance.list.state')}</th>
              <th scope="col">{t('conformance.list.result')}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  <a
                    href={sessionPath(s.id)}
                    title={t('conformance.list.open_link', { name: s.productName })}
                  >
                    {s.productVersion ? `${s.productName} ${s.productVersion}` : s.productName}
                  </a>
                </td>
                <td>{date(ctx, s.createdAt)}</td>
                <td>{t(`conformance.state.${s.status}`)}</td>
                <td>
                  <StatusBadge ctx={ctx} status={s.result} />
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      )}
      <h2 id="ouvrir">{t('conformance.form.title')}</h2>
      {options.products.length === 0 ? (
        <p>{t('conformance.form.no_product')}</p>
      ) : (
        <form method="post" action={CONFORMANCE_PATH} aria-labelledby="ouvrir">
          <Csrf ctx={ctx} />
          <FormError ctx={ctx} error={error} targets={fieldLabels} />
          <SelectField
            ctx={ctx}
            id="session-product"
            name="productId"
            label={t('conformance.form.product')}
            hint={t('conformance.form.product_hint')}
            options={options.products.map((p) => [p.id, p.name])}
            value={values.productId}
            error={error?.fields.productId}
          />
          <ChoiceGroup
            ctx={ctx}
            id="session-categories"
            name="categories"
            type="checkbox"
            legend={t('conformance.form.categories')}
            hint={t('conformance.form.categories_hint')}
            options={options.categories.flatMap(
              (c): Array<[string, string]> => [
                [`${c.code}:read`, t('conformance.form.read', { category: c.title })],
                [`${c.code}:write`, t('conformance.form.write', { category: c.title })],
              ],
            )}
            checked={values.categories}
            error={error?.fields.categories}
            optionIds="index"
          />
          <ChoiceGroup
            ctx={ctx}
            id="session-finalites"
            name="finalites"
            type="checkbox"
            legend={t('conformance.form.finalites')}
            options={options.finalites.map((f): [string, string] => [f.code, f.title])}
            checked={values.finalites}
            error={error?.fields.finalites}
            optionIds="index"
          />
          <TextField
            ctx={ctx}
            id="session-redirect-uris"
            name="redirectUris"
            label={t('conformance.form.redirect_uris')}
            hint={t('conformance.form.redirect_uris_hint')}
            multiline
            rows={3}
            value={values.redirectUris}
            error={error?.fields.redirectUris}
            required
          />
          <TextField
            ctx={ctx}
            id="session-jwks"
            name="jwks"
            label={t('conformance.form.jwks')}
            hint={t('conformance.form.jwks_hint')}
            multiline
            rows={4}
            value={values.jwks}
            error={error?.fields.jwks}
          />
          <button class="fr-btn" type="submit">
            {t('conformance.form.submit')}
          </button>
        </form>
      )}
    </Page>
  );
}

// ── a session ───────────────────────────────────────────────────────────────

export interface SessionPageData {
  id: string;
  productName: string;
  productVersion?: string | null;
  status: 'open' | 'closed';
  createdAt: string | Date;
  closedAt?: string | Date | null;
  oid: string;
  clientId: string;
  issuer: string;
  fhirBase: string;
  redirectUris: string[];
  /** `client_secret_basic` (the platform can run the reference client) or `private_key_jwt`. */
  tokenEndpointAuthMethod?: string;
  categories: { finalites: string[]; categories: Array<{ code: string; read: boolean; write: boolean }> };
  testCitizens: Array<{ sub: string; name: string }>;
  verdicts: PlanVerdict[];
  calls: RecordedCall[];
  actions: RecordedAction[];
}

function Definitions({ rows }: { rows: Array<[string, ComponentChildren]> }) {
  return (
    <dl class="mesref-definitions">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt class="fr-text--bold fr-mb-0">{term}</dt>
          <dd class="fr-ml-0 fr-mb-2w">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ActionForm({
  ctx,
  session,
  action,
  label,
  categoryTitle,
  testId,
}: {
  ctx: PageContext;
  session: SessionPageData;
  action: string;
  label: string;
  categoryTitle: (code: string) => string;
  testId: string;
}) {
  const { t } = ctx;
  const writable = session.categories.categories.filter((c) => c.write && c.code !== 'documents');
  const id = `action-${testId.replace(/\./g, '-')}`;
  return (
    <form method="post" action={sessionActionPath(session.id)} class="fr-mt-2w" aria-label={label}>
      <Csrf ctx={ctx} />
      <input type="hidden" name="action" value={action} />
      <div class="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom">
        <div class="fr-col-12 fr-col-md-5">
          <SelectField
            ctx={ctx}
            id={`${id}-citizen`}
            name="citizen"
            label={t('conformance.session.action_citizen')}
            options={session.testCitizens.map((c) => [c.sub, c.name])}
          />
        </div>
        {action === 'withdraw-consent' && writable.length > 0 ? (
          <div class="fr-col-12 fr-col-md-4">
            <SelectField
              ctx={ctx}
              id={`${id}-category`}
              name="category"
              label={t('conformance.session.action_category')}
              options={writable.map((c) => [c.code, categoryTitle(c.code)])}
            />
          </div>
        ) : null}
        <div class="fr-col-12 fr-col-md-3 fr-mb-3w">
          <button class="fr-btn fr-btn--secondary" type="submit">
            {label}
          </button>
        </div>
      </div>
    </form>
  );
}

function CallsTable({ ctx, calls }: { ctx: PageContext; calls: RecordedCall[] }) {
  const { t } = ctx;
  const shown = [...calls].sort((a, b) => b.id - a.id).slice(0, CALLS_SHOWN);
  return (
    <>
      <p data-conformance-calls-count>{t('conformance.calls.count', { count: calls.length })}</p>
      {calls.length > CALLS_SHOWN ? <p>{t('conformance.calls.shown', { count: CALLS_SHOWN })}</p> : null}
      {shown.length === 0 ? null : (
        <TableFrame caption={t('conformance.calls.title')} hideCaption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('conformance.calls.at')}</th>
              <th scope="col">{t('conformance.calls.kind')}</th>
              <th scope="col">{t('conformance.calls.request')}</th>
              <th scope="col">{t('conformance.calls.status')}</th>
              <th scope="col">{t('conformance.calls.ms')}</th>
              <th scope="col">{t('conformance.calls.facts')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.id} id={`appel-${c.id}`}>
                <td>{c.id}</td>
                <td>{date(ctx, c.at)}</td>
                <td>
                  <code>{c.kind}</code>
                </td>
                <td>
                  <code>
                    {c.method} {c.path}
                  </code>
                </td>
                <td>{c.status}</td>
                <td>{Math.round(c.ms)}</td>
                <td>
                  <code>{factsText(c.facts)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      )}
    </>
  );
}

/** A call's facts in one short line (`pkce=S256 scope=…`); digests shortened. */
function factsText(facts: Record<string, unknown>): string {
  return Object.entries(facts)
    .map(([key, value]) => {
      let text = typeof value === 'string' ? value : JSON.stringify(value);
      if (key === 'bodySha256' && text.length > 12) text = `${text.slice(0, 12)}…`;
      if (text.length > 120) text = `${text.slice(0, 120)}…`;
      return `${key}=${text}`;
    })
    .join(' ');
}

export function SessionPage({
  ctx,
  session,
  plans,
  categoryTitle,
  clientSecret,
  notice,
  error,
}: {
  ctx: PageContext;
  session: SessionPageData;
  plans: TestPlan[];
  categoryTitle: (code: string) => string;
  /** Shown once, on the answer to the form that opened the session. */
  clientSecret?: string;
  notice?: string;
  error?: PageError;
}) {
  const { t, locale } = ctx;
  const name = session.productVersion
    ? `${session.productName} ${session.productVersion}`
    : session.productName;
  const title = t('conformance.session.title', { name });
  const open = session.status === 'open';
  const api = sessionApiPath(session.id);
  const callsIds = new Set(session.calls.map((c) => c.id));
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['table', 'badge', 'form', 'select', 'alert', 'callout']}
      breadcrumb={[
        [t('nav.publisher'), '/editeur'],
        [t('conformance.list.title'), CONFORMANCE_PATH],
        [title, sessionPath(session.id)],
      ]}
      own={{ js: ['mesref-conformance'] }}
    >
      <div
        data-conformance-session={session.id}
        data-conformance-api={api}
        data-label-passed={t('conformance.status.passed')}
        data-label-failed={t('conformance.status.failed')}
        data-label-not_run={t('conformance.status.not_run')}
        data-label-updated={t('conformance.session.updated', { count: '{count}' })}
        data-label-new-calls={t('conformance.session.new_calls')}
        data-calls={String(session.calls.length)}
        data-open={open ? 'true' : 'false'}
      >
        <h1>{title}</h1>
        <p>
          {t(`conformance.state.${session.status}`)}.{' '}
          {t('conformance.session.opened', { date: date(ctx, session.createdAt) })}
          {session.closedAt
            ? ` ${t('conformance.session.closed_on', { date: date(ctx, session.closedAt) })}`
            : ''}
        </p>
        {error ? <FormError ctx={ctx} error={error} targets={{}} /> : null}
        {notice ? <Alert kind="success">{<p>{notice}</p>}</Alert> : null}
        {!open ? (
          <Alert kind="info">
            <p>{t('conformance.session.closed_notice')}</p>
          </Alert>
        ) : null}
        {clientSecret ? (
          <div class="fr-alert fr-alert--warning fr-mb-3w">
            <h2 class="fr-alert__title">{t('conformance.session.credentials')}</h2>
            <p>{t('conformance.session.secret_once')}</p>
            <p>
              {t('conformance.session.client_id')} : <code>{session.clientId}</code>
            </p>
            <p>
              {t('conformance.session.client_secret')} : <code data-client-secret>{clientSecret}</code>
            </p>
          </div>
        ) : null}

        <h2>{t('conformance.session.connection')}</h2>
        <Definitions
          rows={[
            [t('conformance.session.client_id'), <code key="c">{session.clientId}</code>],
            [t('conformance.session.oid'), <code key="o">{session.oid}</code>],
            [t('conformance.session.issuer'), <code key="i">{session.issuer}</code>],
            [t('conformance.session.fhir_base'), <code key="f">{session.fhirBase}</code>],
            [
              t('conformance.form.redirect_uris'),
              <ul class="fr-mb-0" key="r">
                {session.redirectUris.map((u) => (
                  <li key={u}>
                    <code>{u}</code>
                  </li>
                ))}
              </ul>,
            ],
            [
              t('conformance.session.categories'),
              <ul class="fr-mb-0" key="k">
                {session.categories.categories.map((c) => (
                  <li key={c.code}>
                    {[
                      c.read ? t('conformance.form.read', { category: categoryTitle(c.code) }) : '',
                      c.write ? t('conformance.form.write', { category: categoryTitle(c.code) }) : '',
                    ]
                      .filter(Boolean)
                      .join(' ; ')}
                  </li>
                ))}
              </ul>,
            ],
            [t('conformance.session.api'), <code key="a">{api}</code>],
          ]}
        />

        <h2>{t('conformance.session.citizens')}</h2>
        <p>{t('conformance.session.citizens_hint')}</p>
        <TableFrame caption={t('conformance.session.citizens')} hideCaption>
          <thead>
            <tr>
              <th scope="col">{t('conformance.session.citizen_name')}</th>
              <th scope="col">{t('conformance.session.citizen_sub')}</th>
            </tr>
          </thead>
          <tbody>
            {session.testCitizens.map((c) => (
              <tr key={c.sub}>
                <td>{c.name}</td>
                <td>
                  <code>{c.sub}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>

        {open ? (
          <form method="post" action={sessionReferencePath(session.id)} aria-labelledby="reference">
            <Csrf ctx={ctx} />
            <h2 id="reference">{t('conformance.reference.title')}</h2>
            <p>{t('conformance.reference.hint')}</p>
            {session.tokenEndpointAuthMethod === 'private_key_jwt' ? (
              <p>{t('conformance.reference.private_key')}</p>
            ) : (
              <button class="fr-btn fr-btn--secondary" type="submit">
                {t('conformance.reference.run')}
              </button>
            )}
          </form>
        ) : null}

        <h2>{t('conformance.session.plans')}</h2>
        <p>
          {t('conformance.session.live')} <noscript>{t('conformance.session.live_noscript')}</noscript>{' '}
          <a class="fr-link" href={sessionPath(session.id)}>
            {t('conformance.session.reload')}
          </a>
        </p>
        <p class="fr-sr-only" aria-live="polite" data-conformance-live />
        {session.verdicts.map((verdict) => {
          const plan = plans.find((p) => p.id === verdict.planId);
          const headingId = `plan-${verdict.planId}`;
          return (
            <section key={verdict.planId} aria-labelledby={headingId} class="fr-mb-6w">
              <h3 id={headingId}>
                {plan?.title[locale] ?? verdict.planId}{' '}
                <StatusBadge
                  ctx={ctx}
                  status={verdict.status}
                  attr={{ 'data-plan-status': verdict.planId }}
                />
              </h3>
              {verdict.tests.map((test) => {
                const planTest = plan?.tests.find((x) => x.id === test.testId);
                const testHeading = `test-${test.testId.replace(/\./g, '-')}`;
                return (
                  <div key={test.testId} class="fr-callout fr-mb-3w">
                    <h4 id={testHeading} class="fr-callout__title fr-h6">
                      {planTest?.title[locale] ?? test.testId}{' '}
                      <StatusBadge
                        ctx={ctx}
                        status={test.status}
                        attr={{ 'data-test-status': test.testId }}
                      />
                    </h4>
                    <p class="fr-text--sm fr-mb-1w">
                      <code>{test.testId}</code>
                    </p>
                    {planTest ? (
                      <p class="fr-callout__text fr-text--md">
                        <span class="fr-text--bold">{t('conformance.session.instructions')} : </span>
                        {planTest.instructions[locale]}
                      </p>
                    ) : null}
                    <p class="fr-mb-1w" data-test-reason={test.testId}>
                      {test.reason[locale]}
                    </p>
                    <p class="fr-text--sm fr-mb-0" data-test-evidence={test.testId}>
                      {test.evidence.length > 0 ? (
                        <>
                          {t('conformance.session.evidence')}
                          {test.evidence.map((id, i) => (
                            <span key={id}>
                              {i > 0 ? ', ' : ''}
                              {callsIds.has(id) ? (
                                <a href={`#appel-${id}`}>{t('conformance.session.evidence_call', { id })}</a>
                              ) : (
                                t('conformance.session.evidence_call', { id })
                              )}
                            </span>
                          ))}
                        </>
                      ) : null}
                    </p>
                    {open && planTest?.action && session.testCitizens.length > 0 ? (
                      <ActionForm
                        ctx={ctx}
                        session={session}
                        action={planTest.action.id}
                        label={planTest.action.label[locale]}
                        categoryTitle={categoryTitle}
                        testId={test.testId}
                      />
                    ) : null}
                  </div>
                );
              })}
            </section>
          );
        })}

        {session.actions.length > 0 ? (
          <>
            <h2>{t('conformance.actions.title')}</h2>
            <ul>
              {session.actions.map((a) => (
                <li key={a.id}>
                  {date(ctx, a.at)} — {t(`conformance.action.${a.action}`)}
                  {typeof a.detail.category === 'string' ? ` (${categoryTitle(a.detail.category)})` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}

        <h2 id="appels">{t('conformance.calls.title')}</h2>
        <p>{t('conformance.calls.hint')}</p>
        <p class="fr-sr-only" aria-live="polite" data-conformance-new-calls />
        <CallsTable ctx={ctx} calls={session.calls} />

        <h2>{t('conformance.session.report')}</h2>
        <p>{t('conformance.session.report_hint')}</p>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <a class="fr-btn fr-btn--secondary" href={`${api}/report.html`}>
              {t('conformance.session.report_html')}
            </a>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={`${api}/report.pdf`}>
              {t('conformance.session.report_pdf')}
            </a>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={`${api}/report.json`}>
              {t('conformance.session.report_json')}
            </a>
          </li>
        </ul>

        {open ? (
          <form method="post" action={sessionClosePath(session.id)} class="fr-mt-4w" aria-labelledby="clore">
            <Csrf ctx={ctx} />
            <h2 id="clore">{t('conformance.session.close')}</h2>
            <p>{t('conformance.session.close_hint')}</p>
            <button class="fr-btn fr-btn--tertiary" type="submit">
              {t('conformance.session.close')}
            </button>
          </form>
        ) : null}
        <p class="fr-mt-4w">
          <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={CONFORMANCE_PATH}>
            {t('conformance.session.back')}
          </a>
        </p>
      </div>
    </Page>
  );
}

// ── the report ──────────────────────────────────────────────────────────────

/** The report as a page (`GET /api/v1/conformance/sessions/:id/report.html`). */
export function ReportPage({ ctx, document }: { ctx: PageContext; document: ReportDocument }) {
  const { t, locale } = ctx;
  const { report } = document;
  const title = t('conformance.report.title', { name: report.subject.productName });
  const sessionId = report.session?.id;
  const evidence = evidenceCalls(document);
  const rows: Array<[string, string]> = [
    [t('conformance.report.siren'), report.subject.siren],
    [
      t('conformance.report.product'),
      report.subject.productVersion
        ? `${report.subject.productName} ${report.subject.productVersion}`
        : report.subject.productName,
    ],
  ];
  if (report.session) {
    rows.push([t('conformance.report.session'), report.session.id]);
    rows.push([t('conformance.report.oid'), report.session.oid]);
    rows.push([t('conformance.report.client_id'), report.session.clientId]);
    rows.push([t('conformance.report.opened_at'), formatReportDate(report.session.openedAt, locale)]);
  }
  rows.push([t('conformance.report.issuer'), report.iss]);
  rows.push([
    t('conformance.report.generated_at'),
    formatReportDate(report.generatedAt ?? report.iat * 1000, locale),
  ]);
  return (
    <Page ctx={ctx} title={title} css={['table', 'badge', 'alert']}>
      <h1>{title}</h1>
      <Definitions rows={rows} />
      <Alert
        kind={report.passed ? 'success' : 'error'}
        title={t(report.passed ? 'conformance.report.passed' : 'conformance.report.not_passed')}
      >
        <p>{t('conformance.report.signed_hint')}</p>
      </Alert>
      {document.verdicts.map((verdict) => {
        const plan = document.plans.find((p) => p.id === verdict.planId);
        const name = plan?.title[locale] ?? verdict.planId;
        return (
          <section key={verdict.planId} aria-labelledby={`rapport-${verdict.planId}`}>
            <h2 id={`rapport-${verdict.planId}`}>
              {name} <StatusBadge ctx={ctx} status={verdict.status} />
            </h2>
            <TableFrame caption={name} hideCaption>
              <thead>
                <tr>
                  <th scope="col">{t('conformance.report.test')}</th>
                  <th scope="col">{t('conformance.report.status')}</th>
                  <th scope="col">{t('conformance.report.reason')}</th>
                  <th scope="col">{t('conformance.report.evidence')}</th>
                </tr>
              </thead>
              <tbody>
                {verdict.tests.map((test) => (
                  <tr key={test.testId}>
                    <td>
                      {plan?.tests.find((x) => x.id === test.testId)?.title[locale] ?? test.testId}
                      <br />
                      <code>{test.testId}</code>
                    </td>
                    <td>
                      <StatusBadge ctx={ctx} status={test.status} />
                    </td>
                    <td>{test.reason[locale]}</td>
                    <td>{test.evidence.length > 0 ? test.evidence.map((id) => `#${id}`).join(', ') : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </TableFrame>
          </section>
        );
      })}
      {evidence.length > 0 ? (
        <>
          <h2>{t('conformance.report.calls')}</h2>
          <TableFrame caption={t('conformance.report.calls')} hideCaption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('conformance.calls.at')}</th>
                <th scope="col">{t('conformance.calls.kind')}</th>
                <th scope="col">{t('conformance.calls.request')}</th>
                <th scope="col">{t('conformance.calls.status')}</th>
              </tr>
            </thead>
            <tbody>
              {evidence.map((c) => (
                <tr key={c.id}>
                  <td>{c.id}</td>
                  <td>{formatReportDate(c.at, locale)}</td>
                  <td>
                    <code>{c.kind}</code>
                  </td>
                  <td>
                    <code>
                      {c.method} {c.path}
                    </code>
                  </td>
                  <td>{c.status}</td>
                </tr>
              ))}
            </tbody>
          </TableFrame>
        </>
      ) : null}
      {sessionId ? (
        <p class="fr-mt-4w">
          <a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href={sessionPath(sessionId)}>
            {t('conformance.report.back')}
          </a>
        </p>
      ) : null}
    </Page>
  );
}

/** Category titles of the newest referential that has them (codes otherwise). */
export function categoryTitles(
  versions: ReadonlyArray<{ dataCategories: Array<{ code: string; title: Record<Locale, string> }> }>,
  locale: Locale,
): (code: string) => string {
  const titles = new Map<string, string>();
  for (const version of versions)
    for (const c of version.dataCategories) if (!titles.has(c.code)) titles.set(c.code, c.title[locale]);
  return (code) => titles.get(code) ?? code;
}

// ── evidence in the assessment ──────────────────────────────────────────────

/** A criterion's connection-test evidence, shown with its answer in the self-assessment. */
export function ConnectionTestEvidence({
  ctx,
  evidence,
}: {
  ctx: PageContext;
  evidence: ReadonlyArray<{
    planId: string;
    planTitle: { fr: string; en: string };
    status: TestStatus;
    sessionId: string;
    at: string;
  }>;
}) {
  const { t } = ctx;
  if (evidence.length === 0) return null;
  return (
    <div class="fr-callout fr-mb-3w">
      <h5 class="fr-callout__title">{t('conformance.evidence.title')}</h5>
      <ul class="fr-callout__text fr-text--sm">
        {evidence.map((e) => (
          <li key={`${e.planId}-${e.sessionId}`}>
            {t('conformance.evidence.plan', {
              plan: e.planTitle[ctx.locale],
              status: t(`conformance.status.${e.status}`),
              date: date(ctx, e.at),
            })}{' '}
            <a class="fr-link" href={sessionPath(e.sessionId)}>
              {t('conformance.evidence.see')}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
