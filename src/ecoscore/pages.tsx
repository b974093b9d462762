/**
 * The écoscore pages of the publisher space: a service's journeys, the journey editor (text or upload, errors
 * with their lines), launching a run, its progress (the page refreshes itself while the run goes on, with or
 * without JavaScript), the report, the history across the service's versions, the téléconsultation mean and
 * the official écoscore record. Bars are drawn in SVG (no inline style under the CSP) and every bar has its
 * figure in text beside it; grade colours always come with the grade's letter.
 */
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { Alert, Csrf } from '../web/components.tsx';
import { type FormBody as Body, formField as field, lastValue as last } from '../web/forms.ts';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import { gradeColour } from './ecoindex.ts';
import type { EcoscoreResult } from './model.ts';
import * as service from './service.ts';

export const ecoscorePath = (productId: string) => `/editeur/services/${productId}/ecoscore`;
export const journeyPath = (id: string) => `/editeur/ecoscore/parcours/${id}`;
export const runPath = (id: string) => `/editeur/ecoscore/mesures/${id}`;
/** While a run goes on, its page asks to be loaded again after this many seconds. */
const REFRESH_SECONDS = 3;

interface Upload {
  fileName: string;
  bytes: Buffer;
  truncated: boolean;
}

function upload(body: Body, name: string): Upload | undefined {
  const value = last(body?.[name]) as Partial<Upload> | undefined;
  if (!value || typeof value !== 'object' || !Buffer.isBuffer(value.bytes)) return undefined;
  if (!value.fileName && value.bytes.length === 0) return undefined;
  return { fileName: String(value.fileName ?? ''), bytes: value.bytes, truncated: value.truncated === true };
}

// ── small components ────────────────────────────────────────────────────────

const number = (ctx: PageContext, value: number, digits = 1) =>
  new Intl.NumberFormat(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: digits }).format(
    value,
  );
const dateTime = (ctx: PageContext, value: Date) =>
  new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  }).format(value);
const day = (ctx: PageContext, iso: string) =>
  new Intl.DateTimeFormat(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${iso}T00:00:00Z`));

/** A horizontal bar for a value out of `max`; decorative: its figure is always written beside it. */
export function Bar({
  value,
  max = 100,
  colour = '#000091',
}: {
  value: number;
  max?: number;
  colour?: string;
}) {
  const width = Math.max(0, Math.min(100, (value / max) * 100));
  return (
    <svg
      class="mesref-bar"
      width="160"
      height="12"
      viewBox="0 0 100 12"
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      <rect x="0" y="0" width="100" height="12" fill="#eeeeee" />
      <rect x="0" y="0" width={String(width)} height="12" fill={colour} />
    </svg>
  );
}

/** An EcoIndex grade: its colour as a square, and its letter in text. */
export function Grade({ ctx, grade }: { ctx: PageContext; grade: string }) {
  return (
    <span>
      <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
        <rect x="0" y="0" width="14" height="14" rx="2" fill={gradeColour(grade as never)} stroke="#3a3a3a" />
      </svg>{' '}
      <strong>{ctx.t('ecoscore.grade', { grade })}</strong>
    </span>
  );
}

function statusBadge(ctx: PageContext, status: service.RunRow['status']) {
  const kind = { queued: 'info', running: 'info', done: 'success', failed: 'error' }[status];
  return <span class={`fr-badge fr-badge--sm fr-badge--${kind}`}>{ctx.t(`ecoscore.status.${status}`)}</span>;
}

function EcoscorePage({
  ctx,
  product,
  title,
  current,
  children,
  refresh,
}: {
  ctx: PageContext;
  product: { id: string; displayName: string };
  title: string;
  current?: string;
  children: ComponentChildren;
  refresh?: boolean;
}) {
  const { t } = ctx;
  const trail: Array<[string, string]> = [
    [t('identity.publisher.title'), '/editeur'],
    [product.displayName, `/editeur/services/${product.id}`],
    [t('ecoscore.title'), ecoscorePath(product.id)],
  ];
  if (current) trail.push([title, current]);
  return (
    <Page
      ctx={ctx}
      title={`${title} — ${product.displayName}`}
      css={['alert', 'badge', 'table', 'form', 'input', 'select', 'upload', 'callout']}
      breadcrumb={trail}
    >
      {refresh ? <meta http-equiv="refresh" content={String(REFRESH_SECONDS)} /> : null}
      <h1>{title}</h1>
      <p class="fr-text--lead">{product.displayName}</p>
      {children}
    </Page>
  );
}

function Notice({ ctx, text }: { ctx: PageContext; text?: string }) {
  return (
    <div class="fr-callout fr-mb-4w">
      <h2 class="fr-callout__title">{ctx.t('ecoscore.notice.title')}</h2>
      <p class="fr-callout__text">{text ?? ctx.t('ecoscore.notice.body')}</p>
    </div>
  );
}

function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <div class="fr-messages-group" id={id} aria-live="polite">
      <p class="fr-message fr-message--error">{message}</p>
    </div>
  );
}

// ── journeys list ───────────────────────────────────────────────────────────

function ListPage({ ctx, view, flash }: { ctx: PageContext; view: service.JourneysView; flash?: string }) {
  const { t } = ctx;
  const p = view.product;
  const patients = view.journeys.filter((j) => j.role === 'patient');
  const pros = view.journeys.filter((j) => j.role === 'professionnel');
  const official = view.official[0];
  return (
    <EcoscorePage ctx={ctx} product={p} title={t('ecoscore.title')}>
      {flash ? (
        <Alert kind="success">
          <p>{t(flash)}</p>
        </Alert>
      ) : null}
      <Notice ctx={ctx} />
      <h2>{t('ecoscore.journeys.title')}</h2>
      <p class="fr-text--sm">
        {t('ecoscore.journeys.hosts', { hosts: view.allowedHosts.join(', ') || '—' })}
      </p>
      {view.journeys.length === 0 ? (
        <p>{t('ecoscore.journeys.none')}</p>
      ) : (
        <div class="fr-table">
          <table>
            <caption>{t('ecoscore.journeys.caption', { name: p.displayName })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ecoscore.journey.name')}</th>
                <th scope="col">{t('ecoscore.journey.device')}</th>
                <th scope="col">{t('ecoscore.journey.role')}</th>
                <th scope="col">{t('ecoscore.journey.last_score')}</th>
                <th scope="col">{t('ecoscore.journey.state')}</th>
              </tr>
            </thead>
            <tbody>
              {view.journeys.map((j) => (
                <tr key={j.id}>
                  <td>
                    <a class="fr-link" href={journeyPath(j.id)}>
                      {j.name}
                    </a>
                  </td>
                  <td>{t(`ecoscore.device.${j.device}`)}</td>
                  <td>{t(`ecoscore.role.${j.role}`)}</td>
                  <td>
                    {j.lastRun?.score != null ? (
                      <a class="fr-link" href={runPath(j.lastRun.id)}>
                        {t('ecoscore.score_of', { score: j.lastRun.score })}
                      </a>
                    ) : (
                      t('ecoscore.journey.never')
                    )}
                  </td>
                  <td>
                    {j.activeRun ? (
                      <a class="fr-link" href={runPath(j.activeRun.id)}>
                        {t(`ecoscore.status.${j.activeRun.status}`)}
                      </a>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view.mayEdit ? (
        <p>
          <a class="fr-btn fr-btn--secondary" href={`${ecoscorePath(p.id)}/parcours/nouveau`}>
            {t('ecoscore.journey.new')}
          </a>
        </p>
      ) : null}

      {patients.length > 0 && pros.length > 0 ? (
        <section class="fr-mt-4w">
          <h2>{t('ecoscore.tele.title')}</h2>
          <p>{t('ecoscore.tele.intro')}</p>
          <form method="get" action={`${ecoscorePath(p.id)}/teleconsultation`}>
            <div class="fr-select-group">
              <label class="fr-label" for="tele-patient">
                {t('ecoscore.tele.patient')}
              </label>
              <select class="fr-select" id="tele-patient" name="patient">
                {patients.map((j) => (
                  <option value={j.id} key={j.id}>
                    {j.name}
                  </option>
                ))}
              </select>
            </div>
            <div class="fr-select-group">
              <label class="fr-label" for="tele-pro">
                {t('ecoscore.tele.professional')}
              </label>
              <select class="fr-select" id="tele-pro" name="professionnel">
                {pros.map((j) => (
                  <option value={j.id} key={j.id}>
                    {j.name}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="fr-btn fr-btn--secondary">
              {t('ecoscore.tele.submit')}
            </button>
          </form>
        </section>
      ) : null}

      <section class="fr-mt-4w">
        <h2>{t('ecoscore.official.title')}</h2>
        {official ? (
          <OfficialSummary ctx={ctx} productId={p.id} record={official} />
        ) : (
          <p>{t('ecoscore.official.none')}</p>
        )}
        {view.mayEdit ? (
          <p>
            <a class="fr-link" href={`${ecoscorePath(p.id)}/officiel`}>
              {t('ecoscore.official.record_link')}
            </a>
          </p>
        ) : null}
      </section>

      <section class="fr-mt-4w">
        <h2>{t('ecoscore.history.title')}</h2>
        {view.runs.length === 0 ? (
          <p>{t('ecoscore.history.none')}</p>
        ) : (
          <div class="fr-table">
            <table>
              <caption>{t('ecoscore.history.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('ecoscore.history.date')}</th>
                  <th scope="col">{t('ecoscore.history.version')}</th>
                  <th scope="col">{t('ecoscore.journey.name')}</th>
                  <th scope="col">{t('ecoscore.journey.state')}</th>
                  <th scope="col">{t('ecoscore.history.score')}</th>
                </tr>
              </thead>
              <tbody>
                {view.runs.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <a class="fr-link" href={runPath(r.id)}>
                        {dateTime(ctx, r.createdAt)}
                      </a>
                    </td>
                    <td>{r.productVersion}</td>
                    <td>{r.journeyName}</td>
                    <td>{statusBadge(ctx, r.status)}</td>
                    <td>
                      {r.score != null ? (
                        <>
                          <Bar value={r.score} /> {t('ecoscore.score_of', { score: r.score })}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </EcoscorePage>
  );
}

function OfficialSummary({
  ctx,
  productId,
  record,
}: {
  ctx: PageContext;
  productId: string;
  record: service.OfficialRow;
}) {
  const { t } = ctx;
  return (
    <ul>
      <li>{t('ecoscore.official.score', { score: record.score })}</li>
      <li>{t('ecoscore.official.date', { date: day(ctx, record.measuredOn) })}</li>
      <li>{t('ecoscore.official.journey', { name: record.journeyName })}</li>
      {record.fileName ? (
        <li>
          <a class="fr-link" href={`${ecoscorePath(productId)}/officiel/${record.id}/document`}>
            {t('ecoscore.official.download', { name: record.fileName })}
          </a>
        </li>
      ) : null}
      {record.reportUrl ? (
        <li>
          <a class="fr-link" href={record.reportUrl} rel="noopener noreferrer nofollow">
            {t('ecoscore.official.link')}
          </a>
        </li>
      ) : null}
    </ul>
  );
}

// ── journey editor ──────────────────────────────────────────────────────────

const EXAMPLE = `name: Prise de rendez-vous
device: smartphone
steps:
  - { label: Accueil, goto: https://exemple.fr/ }
  - { label: Recherche, fill: '#q', value: cardiologue }
  - { label: Résultats, click: 'button[type=submit]' }
  - { label: Bas de page, scroll: bottom }
  - { label: Lecture, pause: 5 }
`;

interface EditorState {
  source: string;
  role: string;
  version?: number;
  problems?: service.JourneyProblem[];
  errors?: Record<string, string>;
  conflict?: boolean;
}

function EditorPage({
  ctx,
  product,
  journey,
  state,
  allowedHosts,
  mayEdit,
  flash,
}: {
  ctx: PageContext;
  product: { id: string; displayName: string };
  journey?: service.JourneyRow;
  state: EditorState;
  allowedHosts: string[];
  mayEdit: boolean;
  flash?: string;
}) {
  const { t } = ctx;
  const action = journey ? journeyPath(journey.id) : `${ecoscorePath(product.id)}/parcours`;
  const title = journey ? t('ecoscore.editor.title', { name: journey.name }) : t('ecoscore.editor.new_title');
  const sourceError = state.errors?.source;
  const hasProblems = (state.problems?.length ?? 0) > 0;
  return (
    <EcoscorePage
      ctx={ctx}
      product={product}
      title={title}
      current={journey ? journeyPath(journey.id) : `${ecoscorePath(product.id)}/parcours/nouveau`}
    >
      {flash ? (
        <Alert kind="success">
          <p>{t(flash)}</p>
        </Alert>
      ) : null}
      {state.conflict ? (
        <Alert kind="error" title={t('ecoscore.journey.conflict')}>
          <p>{t('ecoscore.editor.conflict_body')}</p>
        </Alert>
      ) : null}
      {hasProblems ? (
        <Alert kind="error" title={t('ecoscore.journey.refused', { count: state.problems?.length ?? 0 })}>
          <ul id="journey-problems">
            {state.problems?.map((p, i) => (
              <li key={i}>
                {t('ecoscore.editor.problem', { line: p.line, path: p.path || '/', message: p.message })}
              </li>
            ))}
          </ul>
        </Alert>
      ) : state.errors && Object.keys(state.errors).length > 0 ? (
        <Alert kind="error" title={t('ecoscore.form.error')}>
          <p>{t('ecoscore.form.fields')}</p>
        </Alert>
      ) : null}
      {journey && mayEdit ? (
        <section class="fr-mb-4w">
          <h2>{t('ecoscore.launch.title')}</h2>
          <form method="post" action={`${journeyPath(journey.id)}/mesures`}>
            <Csrf ctx={ctx} />
            <div class="fr-input-group">
              <label class="fr-label" for="runs">
                {t('ecoscore.launch.runs')}
                <span class="fr-hint-text">{t('ecoscore.launch.runs_hint', { max: service.MAX_RUNS })}</span>
              </label>
              <input
                class="fr-input"
                type="number"
                id="runs"
                name="runs"
                min="1"
                max={String(service.MAX_RUNS)}
                value={String(service.DEFAULT_RUNS)}
              />
            </div>
            <button type="submit" class="fr-btn">
              {t('ecoscore.launch.submit')}
            </button>
          </form>
        </section>
      ) : null}
      <h2>{journey ? t('ecoscore.editor.file') : t('ecoscore.editor.write')}</h2>
      <p class="fr-text--sm">{t('ecoscore.editor.help')}</p>
      <p class="fr-text--sm">{t('ecoscore.journeys.hosts', { hosts: allowedHosts.join(', ') || '—' })}</p>
      {mayEdit ? (
        <form method="post" action={action} encType="multipart/form-data">
          <Csrf ctx={ctx} />
          {state.version !== undefined ? (
            <input type="hidden" name="version" value={String(state.version)} />
          ) : null}
          <div class={`fr-input-group${sourceError || hasProblems ? ' fr-input-group--error' : ''}`}>
            <label class="fr-label" for="source">
              {t('ecoscore.editor.source')}
              <span class="fr-hint-text">{t('ecoscore.editor.source_hint')}</span>
            </label>
            <textarea
              class={`fr-input${sourceError || hasProblems ? ' fr-input--error' : ''}`}
              id="source"
              name="source"
              rows={18}
              spellcheck={false}
              aria-describedby={sourceError ? 'source-error' : hasProblems ? 'journey-problems' : undefined}
            >
              {state.source}
            </textarea>
            <FieldError id="source-error" message={sourceError} />
          </div>
          <div class="fr-upload-group">
            <label class="fr-label" for="journeyFile">
              {t('ecoscore.editor.upload')}
              <span class="fr-hint-text">{t('ecoscore.editor.upload_hint')}</span>
            </label>
            <input
              class="fr-upload"
              type="file"
              id="journeyFile"
              name="journeyFile"
              accept=".yaml,.yml,text/yaml"
            />
          </div>
          <div class={`fr-select-group${state.errors?.role ? ' fr-select-group--error' : ''}`}>
            <label class="fr-label" for="role">
              {t('ecoscore.journey.role')}
              <span class="fr-hint-text">{t('ecoscore.editor.role_hint')}</span>
            </label>
            <select
              class="fr-select"
              id="role"
              name="role"
              aria-describedby={state.errors?.role ? 'role-error' : undefined}
            >
              {service.ROLES.map((r) => (
                <option value={r} selected={state.role === r} key={r}>
                  {t(`ecoscore.role.${r}`)}
                </option>
              ))}
            </select>
            <FieldError id="role-error" message={state.errors?.role} />
          </div>
          <button type="submit" class="fr-btn fr-btn--secondary">
            {journey ? t('ecoscore.editor.save') : t('ecoscore.editor.create')}
          </button>
        </form>
      ) : (
        <pre>{state.source}</pre>
      )}
    </EcoscorePage>
  );
}

// ── run: progress and report ────────────────────────────────────────────────

function RunPage({ ctx, view }: { ctx: PageContext; view: service.RunView }) {
  const { t } = ctx;
  const { run } = view;
  const active = run.status === 'queued' || run.status === 'running';
  const title = t('ecoscore.run.title', { name: view.journey.name });
  return (
    <EcoscorePage ctx={ctx} product={view.product} title={title} current={runPath(run.id)} refresh={active}>
      <p>
        {statusBadge(ctx, run.status)}{' '}
        <span class="fr-text--sm">
          {t('ecoscore.run.meta', {
            date: dateTime(ctx, run.createdAt),
            version: run.productVersion,
            journeyVersion: run.journeyVersion,
            runs: run.runs,
          })}
        </span>
      </p>
      {active ? <Progress ctx={ctx} run={run} /> : null}
      {run.status === 'failed' ? <Failure ctx={ctx} run={run} /> : null}
      {run.status === 'done' && run.result ? (
        <Report ctx={ctx} view={view} result={run.result as unknown as StoredResult} />
      ) : null}
      <p class="fr-mt-4w">
        <a class="fr-link" href={journeyPath(view.journey.id)}>
          {t('ecoscore.run.back_journey')}
        </a>
      </p>
    </EcoscorePage>
  );
}

function Progress({ ctx, run }: { ctx: PageContext; run: service.RunRow }) {
  const { t } = ctx;
  const done = run.progress.done ?? 0;
  const total = run.progress.total ?? 0;
  return (
    <section aria-labelledby="progress-title">
      <h2 id="progress-title">{t('ecoscore.progress.title')}</h2>
      {run.status === 'queued' ? (
        <p role="status">{t('ecoscore.progress.queued')}</p>
      ) : (
        <>
          <p role="status">
            {total > 0
              ? t('ecoscore.progress.steps', { done, total, percent: Math.round((done / total) * 100) })
              : t('ecoscore.progress.starting')}
            {run.progress.label
              ? ` — ${t('ecoscore.progress.current', { label: run.progress.label, run: run.progress.run ?? 1 })}`
              : ''}
          </p>
          {total > 0 ? (
            <progress max={String(total)} value={String(done)} aria-label={t('ecoscore.progress.title')}>
              {done} / {total}
            </progress>
          ) : null}
        </>
      )}
      <p class="fr-text--sm">{t('ecoscore.progress.refresh', { seconds: REFRESH_SECONDS })}</p>
      <p>
        <a class="fr-link" href={runPath(run.id)}>
          {t('ecoscore.progress.reload')}
        </a>
      </p>
    </section>
  );
}

function failureText(ctx: PageContext, f: Record<string, unknown>): string {
  if (f.reason === 'blocked')
    return ctx.t('ecoscore.failure.blocked', { run: String(f.run), url: String(f.url) });
  if (typeof f.line === 'number')
    return ctx.t('ecoscore.editor.problem', {
      line: f.line,
      path: String(f.path ?? '/'),
      message: String(f.message),
    });
  return ctx.t('ecoscore.failure.step', {
    run: String(f.run ?? '?'),
    step: String(f.step ?? '?'),
    label: String(f.label ?? ''),
    reason: ctx.t(`ecoscore.reason.${String(f.reason)}`),
    message: String(f.message ?? ''),
  });
}

function Failure({ ctx, run }: { ctx: PageContext; run: service.RunRow }) {
  const { t } = ctx;
  const known = ['interrupted', 'steps_failed', 'journey_gone', 'invalid_journey', 'host_not_allowed'];
  return (
    <Alert kind="error" title={t('ecoscore.run.failed')}>
      <p>
        {known.includes(run.error ?? '')
          ? t(`ecoscore.error.${run.error}`)
          : t('ecoscore.error.other', { message: run.error ?? '' })}
      </p>
      {run.failures.length > 0 ? (
        <ul>
          {run.failures.map((f, i) => (
            <li key={i}>{failureText(ctx, f)}</li>
          ))}
        </ul>
      ) : null}
    </Alert>
  );
}

interface StoredResult extends EcoscoreResult {
  pages?: Array<{
    url: string;
    steps: string[];
    dom: number;
    requests: number;
    sizeKb: number;
    ecoindex: { score: number; grade: string; ghgGco2e: number; waterCl: number };
  }>;
  environment?: {
    chromium?: string;
    viewport?: { width: number; height: number };
    network?: { name?: string };
    cpuSlowdown?: number;
  };
}

function Report({ ctx, view, result }: { ctx: PageContext; view: service.RunView; result: StoredResult }) {
  const { t, locale } = ctx;
  const env = result.environment;
  const advice = view.improvements;
  const thresholds = result.thresholds;
  return (
    <>
      <Notice ctx={ctx} text={result.notice?.[locale]} />
      <section aria-labelledby="score-title">
        <h2 id="score-title">{t('ecoscore.report.score_title')}</h2>
        <p class="fr-display--xs">{t('ecoscore.score_of', { score: result.score })}</p>
        <p>
          <Bar value={result.score} />{' '}
          {t('ecoscore.report.score_text', { score: result.score, method: result.methodVersion })}
        </p>
        <ul class="fr-text--sm">
          <li>{t('ecoscore.report.totals_energy', { value: number(ctx, result.totals.energyWh, 3) })}</li>
          <li>
            {t('ecoscore.report.totals_data', {
              value: number(ctx, result.totals.bytes / 1024, 0),
              requests: result.totals.requests,
            })}
          </li>
          <li>
            {t('ecoscore.report.totals_ghg', {
              value: number(ctx, result.totals.ghgGco2e, 2),
              share: number(ctx, result.totals.manufacturingShare * 100, 0),
            })}
          </li>
          <li>{t('ecoscore.report.totals_water', { value: number(ctx, result.totals.waterL, 3) })}</li>
          {env ? (
            <li>
              {t('ecoscore.report.environment', {
                device: t(`ecoscore.device.${result.device}`),
                chromium: env.chromium ?? '?',
                viewport: env.viewport ? `${env.viewport.width}×${env.viewport.height}` : '?',
                network: env.network?.name ?? '?',
                cpu: env.cpuSlowdown ?? 1,
              })}
            </li>
          ) : null}
        </ul>
      </section>

      <section aria-labelledby="steps-title">
        <h2 id="steps-title">{t('ecoscore.report.steps_title')}</h2>
        <div class="fr-table">
          <table>
            <caption>{t('ecoscore.report.steps_caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ecoscore.report.step')}</th>
                <th scope="col">{t('ecoscore.report.step_score')}</th>
                <th scope="col">{t('ecoscore.report.energy')}</th>
                <th scope="col">{t('ecoscore.report.performance')}</th>
                <th scope="col">{t('ecoscore.report.data')}</th>
                <th scope="col">{t('ecoscore.report.impacts')}</th>
              </tr>
            </thead>
            <tbody>
              {result.perStep.map((s, i) => (
                <tr key={i}>
                  <th scope="row">{s.label}</th>
                  <td>
                    <Bar value={s.score} /> {t('ecoscore.score_of', { score: number(ctx, s.score) })}
                  </td>
                  <td>
                    {t('ecoscore.report.energy_value', {
                      value: number(ctx, s.energyWh * 1000, 2),
                      sub: number(ctx, s.sub.energy, 0),
                    })}
                  </td>
                  <td>
                    {t('ecoscore.report.performance_value', {
                      duration: number(ctx, s.durationMs, 0),
                      cpu: number(ctx, s.cpuMs, 0),
                      sub: number(ctx, s.sub.performance, 0),
                    })}
                  </td>
                  <td>
                    {t('ecoscore.report.data_value', {
                      size: number(ctx, s.bytes / 1024, 0),
                      requests: s.requests,
                      dom: s.domElements,
                      sub: number(ctx, s.sub.data, 0),
                    })}
                  </td>
                  <td>
                    {t('ecoscore.report.impacts_value', {
                      ghg: number(ctx, s.ghgGco2e, 3),
                      water: number(ctx, s.waterL, 4),
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      {result.pages && result.pages.length > 0 ? (
        <section aria-labelledby="pages-title">
          <h2 id="pages-title">{t('ecoscore.report.pages_title')}</h2>
          <p class="fr-text--sm">{t('ecoscore.report.pages_intro')}</p>
          <div class="fr-table">
            <table>
              <caption>{t('ecoscore.report.pages_caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('ecoscore.report.page')}</th>
                  <th scope="col">{t('ecoscore.report.ecoindex')}</th>
                  <th scope="col">{t('ecoscore.report.grade')}</th>
                  <th scope="col">{t('ecoscore.report.page_measures')}</th>
                  <th scope="col">{t('ecoscore.report.impacts')}</th>
                </tr>
              </thead>
              <tbody>
                {result.pages.map((pg, i) => (
                  <tr key={i}>
                    <th scope="row">
                      <span class="fr-text--sm">{pg.url}</span>
                      <br />
                      <span class="fr-text--xs">{pg.steps.join(', ')}</span>
                    </th>
                    <td>
                      <Bar value={pg.ecoindex.score} colour={gradeColour(pg.ecoindex.grade as never)} />{' '}
                      {t('ecoscore.score_of', { score: pg.ecoindex.score })}
                    </td>
                    <td>
                      <Grade ctx={ctx} grade={pg.ecoindex.grade} />
                    </td>
                    <td>
                      {t('ecoscore.report.page_values', {
                        dom: pg.dom,
                        requests: pg.requests,
                        size: number(ctx, pg.sizeKb, 0),
                      })}
                    </td>
                    <td>
                      {t('ecoscore.report.ecoindex_impacts', {
                        ghg: number(ctx, pg.ecoindex.ghgGco2e, 2),
                        water: number(ctx, pg.ecoindex.waterCl, 2),
                      })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section aria-labelledby="improve-title">
        <h2 id="improve-title">{t('ecoscore.report.improve_title')}</h2>
        {advice && (advice.steps.length > 0 || advice.resources.length > 0) ? (
          <>
            {advice.steps.length > 0 ? (
              <ol>
                {advice.steps.map((s, i) => (
                  <li key={i}>
                    {t('ecoscore.report.improve_step', {
                      label: s.label,
                      points: number(ctx, s.pointsLost),
                      measure: t(`ecoscore.measure.${s.weakest}`),
                    })}
                  </li>
                ))}
              </ol>
            ) : null}
            {advice.resources.length > 0 ? (
              <>
                <h3 class="fr-h6">{t('ecoscore.report.improve_resources')}</h3>
                <ol>
                  {advice.resources.map((r, i) => (
                    <li key={i}>
                      {t('ecoscore.report.improve_resource', {
                        url: r.url,
                        size: number(ctx, r.bytes / 1024, 0),
                        share: number(ctx, r.share * 100, 0),
                        step: r.step,
                      })}
                    </li>
                  ))}
                </ol>
              </>
            ) : null}
          </>
        ) : (
          <p>{t('ecoscore.report.improve_none')}</p>
        )}
      </section>

      {view.run.failures.length > 0 ? (
        <section aria-labelledby="failures-title">
          <h2 id="failures-title">{t('ecoscore.report.failures_title')}</h2>
          <ul>
            {view.run.failures.map((f, i) => (
              <li key={i}>{failureText(ctx, f)}</li>
            ))}
          </ul>
        </section>
      ) : null}

      {thresholds ? (
        <section aria-labelledby="thresholds-title">
          <h2 id="thresholds-title">{t('ecoscore.report.thresholds_title')}</h2>
          <div class="fr-table">
            <table>
              <caption>
                {t('ecoscore.report.thresholds_caption', {
                  device: t(`ecoscore.device.${result.device}`),
                  method: result.methodVersion,
                })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('ecoscore.report.measure')}</th>
                  <th scope="col">{t('ecoscore.report.good')}</th>
                  <th scope="col">{t('ecoscore.report.bad')}</th>
                </tr>
              </thead>
              <tbody>
                {(['energy', 'performance', 'data'] as const).map((m) => (
                  <tr key={m}>
                    <th scope="row">{t(`ecoscore.measure.${m}`)}</th>
                    <td>
                      {number(ctx, thresholds[m].good, 2)} {thresholds[m].unit}
                    </td>
                    <td>
                      {number(ctx, thresholds[m].bad, 2)} {thresholds[m].unit}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="fr-text--sm">{t('ecoscore.report.thresholds_rule')}</p>
        </section>
      ) : null}
    </>
  );
}

// ── téléconsultation ────────────────────────────────────────────────────────

function TelePage({
  ctx,
  product,
  result,
}: {
  ctx: PageContext;
  product: { id: string; displayName: string };
  result?: Awaited<ReturnType<typeof service.teleconsultation>>;
}) {
  const { t } = ctx;
  return (
    <EcoscorePage
      ctx={ctx}
      product={product}
      title={t('ecoscore.tele.title')}
      current={`${ecoscorePath(product.id)}/teleconsultation`}
    >
      <Notice ctx={ctx} />
      {result ? (
        <>
          <p class="fr-display--xs">{t('ecoscore.score_of', { score: number(ctx, result.score) })}</p>
          <ul>
            <li>
              <Bar value={result.patient.score ?? 0} />{' '}
              {t('ecoscore.tele.side', {
                side: t('ecoscore.role.patient'),
                name: result.patient.journeyName,
                score: result.patient.score ?? 0,
              })}
            </li>
            <li>
              <Bar value={result.professional.score ?? 0} />{' '}
              {t('ecoscore.tele.side', {
                side: t('ecoscore.role.professionnel'),
                name: result.professional.journeyName,
                score: result.professional.score ?? 0,
              })}
            </li>
          </ul>
          <p>{t('ecoscore.tele.mean', { score: number(ctx, result.score) })}</p>
        </>
      ) : (
        <Alert kind="info">
          <p>{t('ecoscore.tele.missing')}</p>
        </Alert>
      )}
    </EcoscorePage>
  );
}

// ── official record ─────────────────────────────────────────────────────────

interface OfficialTyped {
  score: string;
  measuredOn: string;
  journeyName: string;
  reportUrl: string;
}

function OfficialPage({
  ctx,
  view,
  typed,
  errors,
  maxBytes,
  outcome,
}: {
  ctx: PageContext;
  view: service.JourneysView;
  typed?: OfficialTyped;
  errors?: Record<string, string>;
  maxBytes: number;
  outcome?: service.EvidenceOutcome;
}) {
  const { t } = ctx;
  const p = view.product;
  const v = typed ?? { score: '', measuredOn: '', journeyName: '', reportUrl: '' };
  const err = (name: string) => errors?.[name];
  const group = (
    name: string,
    label: string,
    hint: string,
    input: (describedBy?: string) => ComponentChildren,
  ) => (
    <div class={`fr-input-group${err(name) ? ' fr-input-group--error' : ''}`}>
      <label class="fr-label" for={`official-${name}`}>
        {label}
        <span class="fr-hint-text">{hint}</span>
      </label>
      {input(err(name) ? `official-${name}-error` : undefined)}
      <FieldError id={`official-${name}-error`} message={err(name)} />
    </div>
  );
  const cls = (name: string) => `fr-input${err(name) ? ' fr-input--error' : ''}`;
  return (
    <EcoscorePage
      ctx={ctx}
      product={p}
      title={t('ecoscore.official.title')}
      current={`${ecoscorePath(p.id)}/officiel`}
    >
      {outcome ? (
        outcome.assessmentId ? (
          <Alert kind="success">
            <p>{t('ecoscore.official.recorded_attached')}</p>
          </Alert>
        ) : (
          <Alert kind="warning">
            <p>{t('ecoscore.official.recorded')}</p>
            <p>{t(outcome.problem ?? 'ecoscore.official.not_attached')}</p>
          </Alert>
        )
      ) : null}
      {errors && Object.keys(errors).length > 0 ? (
        <Alert kind="error" title={t('ecoscore.form.error')}>
          <p>{t('ecoscore.form.fields')}</p>
        </Alert>
      ) : null}
      <p>{t('ecoscore.official.intro')}</p>
      {view.official.length > 0 ? (
        <>
          <h2>{t('ecoscore.official.current')}</h2>
          <OfficialSummary ctx={ctx} productId={p.id} record={view.official[0]} />
        </>
      ) : null}
      {view.mayEdit ? (
        <form method="post" action={`${ecoscorePath(p.id)}/officiel`} encType="multipart/form-data">
          <Csrf ctx={ctx} />
          <h2>{t('ecoscore.official.form_title')}</h2>
          {group(
            'score',
            t('ecoscore.official.field.score'),
            t('ecoscore.official.field.score_hint'),
            (d) => (
              <input
                class={cls('score')}
                type="number"
                min="0"
                max="100"
                id="official-score"
                name="score"
                value={v.score}
                required
                aria-describedby={d}
              />
            ),
          )}
          {group(
            'measuredOn',
            t('ecoscore.official.field.date'),
            t('ecoscore.official.field.date_hint'),
            (d) => (
              <input
                class={cls('measuredOn')}
                type="date"
                id="official-measuredOn"
                name="measuredOn"
                value={v.measuredOn}
                required
                aria-describedby={d}
              />
            ),
          )}
          {group(
            'journeyName',
            t('ecoscore.official.field.journey'),
            t('ecoscore.official.field.journey_hint'),
            (d) => (
              <input
                class={cls('journeyName')}
                type="text"
                id="official-journeyName"
                name="journeyName"
                value={v.journeyName}
                required
                aria-describedby={d}
              />
            ),
          )}
          <div class={`fr-upload-group${err('reportFile') ? ' fr-upload-group--error' : ''}`}>
            <label class="fr-label" for="official-reportFile">
              {t('ecoscore.official.field.file')}
              <span class="fr-hint-text">
                {t('ecoscore.official.field.file_hint', { max: Math.floor(maxBytes / 1024 / 1024) })}
              </span>
            </label>
            <input
              class="fr-upload"
              type="file"
              id="official-reportFile"
              name="reportFile"
              accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
              aria-describedby={err('reportFile') ? 'official-reportFile-error' : undefined}
            />
            <FieldError id="official-reportFile-error" message={err('reportFile')} />
          </div>
          {group(
            'reportUrl',
            t('ecoscore.official.field.url'),
            t('ecoscore.official.field.url_hint'),
            (d) => (
              <input
                class={cls('reportUrl')}
                type="url"
                id="official-reportUrl"
                name="reportUrl"
                value={v.reportUrl}
                aria-describedby={d}
              />
            ),
          )}
          <button type="submit" class="fr-btn">
            {t('ecoscore.official.submit')}
          </button>
        </form>
      ) : null}
    </EcoscorePage>
  );
}

// ── ETH 32 in the assessment ────────────────────────────────────────────────

/** The écoscore evidence of ETH 32, shown in the assessment's criterion view beside its other evidence. */
export function Eth32EcoscoreEvidence({
  ctx,
  evidence,
}: {
  ctx: PageContext;
  evidence: service.Eth32Evidence;
}) {
  const { t } = ctx;
  const { official, latestRun } = evidence;
  return (
    <div class="fr-callout fr-mb-3w">
      <h5 class="fr-callout__title">{t('ecoscore.eth32.title')}</h5>
      {official ? (
        <OfficialSummary ctx={ctx} productId={evidence.productId} record={official} />
      ) : (
        <p class="fr-callout__text">{t('ecoscore.eth32.no_official')}</p>
      )}
      <p class="fr-text--sm">
        {latestRun?.score != null ? (
          <>
            {t('ecoscore.eth32.latest_run', {
              score: latestRun.score,
              date: dateTime(ctx, latestRun.createdAt),
              version: latestRun.productVersion,
            })}{' '}
            <a class="fr-link" href={runPath(latestRun.id)}>
              {t('ecoscore.eth32.see_report')}
            </a>
          </>
        ) : (
          t('ecoscore.eth32.no_run')
        )}
      </p>
      {evidence.warn ? (
        <div class="fr-alert fr-alert--warning fr-alert--sm">
          <p>{t('ecoscore.eth32.gap', { gap: evidence.gap ?? 0, limit: service.OFFICIAL_GAP_WARNING })}</p>
        </div>
      ) : null}
      <p class="fr-text--sm">
        <a class="fr-link" href={ecoscorePath(evidence.productId)}>
          {t('ecoscore.eth32.open')}
        </a>
      </p>
    </div>
  );
}

// ── routes ──────────────────────────────────────────────────────────────────

export function ecoscorePages(deps: service.EcoscoreDeps) {
  const maxBytes = deps.config.evidenceMaxBytes;
  return async (app: App) => {
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: {
        fileSize: maxBytes + 1,
        fieldSize: service.JOURNEY_SOURCE_MAX * 2,
        files: 1,
        fields: 10,
        parts: 12,
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
    const page = (request: FastifyRequest) => request.pageContext();
    const viewConfig = { action: 'product.view_one' as const };
    const editConfig = { action: 'product.edit_one' as const };
    const hide = { hide: true };
    type P = { Params: { id: string } };
    const translated = (request: FastifyRequest, error: AppError) =>
      Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k, request.t(v)]));

    app.get<P & { Querystring: { ok?: string } }>(
      '/editeur/services/:id/ecoscore',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const view = await service.listJourneys(deps, request.actor, request.params.id);
        const flash = request.query.ok === 'officiel' ? 'ecoscore.official.recorded' : undefined;
        return html(reply, 200, renderPage(<ListPage ctx={page(request)} view={view} flash={flash} />));
      },
    );

    app.get<P>(
      '/editeur/services/:id/ecoscore/parcours/nouveau',
      { config: editConfig, schema: hide },
      async (request, reply) => {
        const view = await service.listJourneys(deps, request.actor, request.params.id);
        if (!view.mayEdit) throw new AppError('forbidden', 403, 'error.forbidden');
        return html(
          reply,
          200,
          renderPage(
            <EditorPage
              ctx={page(request)}
              product={view.product}
              state={{ source: EXAMPLE, role: 'service' }}
              allowedHosts={view.allowedHosts}
              mayEdit
            />,
          ),
        );
      },
    );

    /** The journey's text: the uploaded file when one was chosen, else the text area. */
    const journeyInput = (body: Body) => {
      const file = upload(body, 'journeyFile');
      if (file && file.bytes.length > 0) {
        if (file.truncated || file.bytes.length > service.JOURNEY_SOURCE_MAX)
          return {
            source: 'x'.repeat(service.JOURNEY_SOURCE_MAX + 1),
            fileName: file.fileName,
            role: field(body, 'role'),
          };
        return { source: file.bytes.toString('utf8'), fileName: file.fileName, role: field(body, 'role') };
      }
      return { source: field(body, 'source'), fileName: 'parcours.yaml', role: field(body, 'role') };
    };

    const editorError = async (
      request: FastifyRequest,
      reply: FastifyReply,
      error: unknown,
      input: { source: string; role?: string },
      product: service.JourneysView['product'],
      allowedHosts: string[],
      journey?: service.JourneyRow,
    ) => {
      const state: EditorState = {
        source: input.source.slice(0, service.JOURNEY_SOURCE_MAX),
        role: input.role ?? 'service',
        version: journey?.rowVersion,
      };
      if (error instanceof service.JourneyRefused) state.problems = error.problems;
      else if (error instanceof service.JourneyConflict) {
        state.conflict = true;
        state.version = error.current.rowVersion;
      } else if (error instanceof AppError && error.status === 422) state.errors = translated(request, error);
      else throw error;
      const status = error instanceof AppError ? error.status : 422;
      return html(
        reply,
        status,
        renderPage(
          <EditorPage
            ctx={page(request)}
            product={product}
            journey={journey}
            state={state}
            allowedHosts={allowedHosts}
            mayEdit
          />,
        ),
      );
    };

    app.post<P>(
      '/editeur/services/:id/ecoscore/parcours',
      { config: editConfig, schema: hide },
      async (request, reply) => {
        const input = journeyInput(request.body as Body);
        try {
          const journey = await service.createJourney(deps, request.actor, request.params.id, input);
          return reply.redirect(`${journeyPath(journey.id)}?ok=created`, 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.status !== 422) throw error;
          const view = await service.listJourneys(deps, request.actor, request.params.id);
          return editorError(request, reply, error, input, view.product, view.allowedHosts);
        }
      },
    );

    app.get<P & { Querystring: { ok?: string } }>(
      '/editeur/ecoscore/parcours/:id',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const found = await service.getJourney(deps, request.actor, request.params.id);
        const flash =
          request.query.ok === 'created'
            ? 'ecoscore.journey.created'
            : request.query.ok === 'saved'
              ? 'ecoscore.journey.saved'
              : undefined;
        return html(
          reply,
          200,
          renderPage(
            <EditorPage
              ctx={page(request)}
              product={found.product}
              journey={found.journey}
              state={{
                source: found.journey.source,
                role: found.journey.role,
                version: found.journey.rowVersion,
              }}
              allowedHosts={found.allowedHosts}
              mayEdit={found.mayEdit}
              flash={flash}
            />,
          ),
        );
      },
    );

    app.post<P>(
      '/editeur/ecoscore/parcours/:id',
      { config: editConfig, schema: hide },
      async (request, reply) => {
        const body = request.body as Body;
        const input = journeyInput(body);
        const raw = field(body, 'version');
        const version = /^\d{1,9}$/.test(raw) ? Number(raw) : -1;
        try {
          await service.updateJourney(deps, request.actor, request.params.id, version, input);
          return reply.redirect(`${journeyPath(request.params.id)}?ok=saved`, 303);
        } catch (error) {
          if (!(error instanceof AppError) || (error.status !== 422 && error.status !== 409)) throw error;
          const found = await service.getJourney(deps, request.actor, request.params.id);
          return editorError(request, reply, error, input, found.product, found.allowedHosts, found.journey);
        }
      },
    );

    app.post<P>(
      '/editeur/ecoscore/parcours/:id/mesures',
      { config: editConfig, schema: hide },
      async (request, reply) => {
        const raw = field(request.body as Body, 'runs');
        const runs = /^\d{1,2}$/.test(raw) ? Number(raw) : raw === '' ? service.DEFAULT_RUNS : -1;
        try {
          const run = await service.launchRun(deps, request.actor, request.params.id, runs);
          return reply.redirect(runPath(run.id), 303);
        } catch (error) {
          if (!(error instanceof AppError) || error.code !== 'run_in_progress') throw error;
          const found = await service.getJourney(deps, request.actor, request.params.id);
          const active = (await service.listJourneys(deps, request.actor, found.product.id)).journeys.find(
            (j) => j.id === found.journey.id,
          )?.activeRun;
          if (active) return reply.redirect(runPath(active.id), 303);
          throw error;
        }
      },
    );

    app.get<P>(
      '/editeur/ecoscore/mesures/:id',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const view = await service.getRun(deps, request.actor, request.params.id);
        return html(reply, 200, renderPage(<RunPage ctx={page(request)} view={view} />));
      },
    );

    app.get<P & { Querystring: { patient?: string; professionnel?: string } }>(
      '/editeur/services/:id/ecoscore/teleconsultation',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const view = await service.listJourneys(deps, request.actor, request.params.id);
        const result = await service.teleconsultation(
          deps,
          request.actor,
          view.product.id,
          request.query.patient ?? '',
          request.query.professionnel ?? '',
        );
        return html(
          reply,
          200,
          renderPage(<TelePage ctx={page(request)} product={view.product} result={result} />),
        );
      },
    );

    app.get<P>(
      '/editeur/services/:id/ecoscore/officiel',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const view = await service.listJourneys(deps, request.actor, request.params.id);
        return html(
          reply,
          200,
          renderPage(<OfficialPage ctx={page(request)} view={view} maxBytes={maxBytes} />),
        );
      },
    );

    app.post<P>(
      '/editeur/services/:id/ecoscore/officiel',
      { config: editConfig, schema: hide },
      async (request, reply) => {
        const body = request.body as Body;
        const typed: OfficialTyped = {
          score: field(body, 'score'),
          measuredOn: field(body, 'measuredOn'),
          journeyName: field(body, 'journeyName'),
          reportUrl: field(body, 'reportUrl'),
        };
        const file = upload(body, 'reportFile');
        try {
          const { evidence } = await service.recordOfficial(deps, request.actor, request.params.id, {
            ...typed,
            ...(file ? { file: { name: file.fileName, bytes: file.bytes, truncated: file.truncated } } : {}),
          });
          const view = await service.listJourneys(deps, request.actor, request.params.id);
          return html(
            reply,
            201,
            renderPage(
              <OfficialPage ctx={page(request)} view={view} maxBytes={maxBytes} outcome={evidence} />,
            ),
          );
        } catch (error) {
          if (!(error instanceof AppError) || error.status !== 422) throw error;
          const view = await service.listJourneys(deps, request.actor, request.params.id);
          return html(
            reply,
            422,
            renderPage(
              <OfficialPage
                ctx={page(request)}
                view={view}
                maxBytes={maxBytes}
                typed={typed}
                errors={translated(request, error)}
              />,
            ),
          );
        }
      },
    );

    app.get<{ Params: { id: string; officialId: string } }>(
      '/editeur/services/:id/ecoscore/officiel/:officialId/document',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const found = await service.officialDocument(
          deps,
          request.actor,
          request.params.id,
          request.params.officialId,
        );
        const name = (found.record.fileName ?? 'rapport').replace(/[^\w.-]+/g, '_');
        return reply
          .header('content-type', found.record.mediaType ?? 'application/octet-stream')
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'private, no-store')
          .send(found.content);
      },
    );
  };
}
