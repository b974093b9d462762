import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { ConnectionTestEvidence, type CriterionTestEvidence } from '../conformance/index.ts';
import { Eth32EcoscoreEvidence, type Eth32Evidence, eth32Evidence } from '../ecoscore/index.ts';
import { sha256 } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import type { Translate } from '../platform/i18n.ts';
import type { Criterion, Question, ReferentialVersion, Rubrique } from '../referential/index.ts';
import { Alert, Csrf } from '../web/components.tsx';
import {
  type FormBody as Body,
  formField as field,
  formFields as fields,
  lastValue as last,
} from '../web/forms.ts';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import { ANSWER_STATUSES, type CriterionEvaluation, type CriterionState, gaps } from './model.ts';
import { reportHtml, reportJson } from './report.tsx';
import { reportPdf } from './report-pdf.ts';
import {
  answersFileName,
  exportAnswers,
  type OrganisationName,
  readAnswersFile,
  reportInputOf,
} from './routes.ts';
import * as service from './service.ts';

/** The pages' places in the publisher space (espace éditeur). */
export const productAssessmentsPath = (productId: string) => `/editeur/services/${productId}/auto-evaluation`;
export const assessmentPath = (id: string) => `/editeur/auto-evaluations/${id}`;
const criterionAnchor = (id: string) => `critere-${id.replace(/[^A-Za-z0-9]+/g, '-')}`;

// ── reading forms ───────────────────────────────────────────────────────────

interface Upload {
  fileName: string;
  bytes: Buffer;
  truncated: boolean;
}

function upload(body: Body, name: string): Upload | undefined {
  const value = last(body?.[name]) as Partial<Upload> | undefined;
  // Only the multipart reader makes a Buffer: a form field cannot pass for an upload.
  if (!value || typeof value !== 'object' || !Buffer.isBuffer(value.bytes)) return undefined;
  if (!value.fileName && value.bytes.length === 0) return undefined;
  return { fileName: String(value.fileName ?? ''), bytes: value.bytes, truncated: value.truncated === true };
}

function version(body: Body): number {
  const raw = field(body, 'version');
  return /^\d{1,9}$/.test(raw) ? Number(raw) : -1;
}

// ── small components ────────────────────────────────────────────────────────

function DemoNotice({ ctx, version }: { ctx: PageContext; version: ReferentialVersion }) {
  if (version.status !== 'demonstration') return null;
  return (
    <Alert kind="warning" title={ctx.t('assessment.demo.title')}>
      <p>{ctx.t('assessment.demo.body', { version: version.id })}</p>
    </Alert>
  );
}

function formatBytes(t: Translate, bytes: number): string {
  if (bytes >= 1024 * 1024)
    return t('assessment.size.mib', { count: Math.round((bytes / 1024 / 1024) * 10) / 10 });
  if (bytes >= 1024) return t('assessment.size.kib', { count: Math.round(bytes / 1024) });
  return t('assessment.size.bytes', { count: bytes });
}

const stateBadge: Record<CriterionState, string> = {
  ready: 'success',
  unanswered: 'info',
  'non-conforme': 'error',
  'no-evidence': 'warning',
  'not-applicable-refused': 'error',
  'justification-missing': 'warning',
};

function StateBadge({ ctx, state }: { ctx: PageContext; state: CriterionState }) {
  return (
    <span class={`fr-badge fr-badge--sm fr-badge--no-icon fr-badge--${stateBadge[state]}`}>
      {ctx.t(`assessment.state.${state}`)}
    </span>
  );
}

function LevelBadge({ ctx, criterion }: { ctx: PageContext; criterion: Criterion }) {
  return (
    <span
      class={`fr-badge fr-badge--sm fr-badge--no-icon${criterion.level === 'obligatoire' ? ' fr-badge--new' : ''}`}
    >
      {ctx.t(`assessment.level.${criterion.level}`)}
    </span>
  );
}

/** The steps of an assessment, as a list of links (the current one marked). */
function StepsNav({
  ctx,
  view,
  current,
}: {
  ctx: PageContext;
  view: service.AssessmentView;
  current: string;
}) {
  const { t } = ctx;
  const base = assessmentPath(view.id);
  const steps: Array<[string, string]> = [
    [base, t('assessment.nav.overview')],
    [`${base}/orientation`, t('assessment.nav.orientation')],
    ...view.version.rubriques.map((r): [string, string] => [
      `${base}/rubriques/${r.id}`,
      r.title[ctx.locale],
    ]),
    [`${base}/plan`, t('assessment.nav.plan')],
    [`${base}/fichier`, t('assessment.nav.file')],
    [`${base}/version`, t('assessment.nav.version')],
  ];
  return (
    <nav aria-label={t('assessment.nav.label')} class="fr-mb-3w">
      <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
        {steps.map(([href, label]) => (
          <li key={href}>
            <a
              class={`fr-btn fr-btn--sm ${href === current ? '' : 'fr-btn--tertiary'}`}
              href={href}
              aria-current={href === current ? 'page' : undefined}
            >
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function AssessmentPage({
  ctx,
  view,
  title,
  current,
  children,
  css = [],
}: {
  ctx: PageContext;
  view: service.AssessmentView;
  title: string;
  current: string;
  children: ComponentChildren;
  css?: Parameters<typeof Page>[0]['css'];
}) {
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={`${title} — ${view.product.displayName}`}
      css={['alert', 'badge', ...(css ?? [])]}
      breadcrumb={[
        [t('identity.publisher.title'), '/editeur'],
        [view.product.displayName, `/editeur/services/${view.product.id}`],
        [t('assessment.title'), productAssessmentsPath(view.product.id)],
        [`${title} (${view.version.id})`, current],
      ]}
    >
      <h1>{title}</h1>
      <p class="fr-text--lead">
        {view.product.displayName} — {view.version.title[ctx.locale]}
      </p>
      <DemoNotice ctx={ctx} version={view.version} />
      <StepsNav ctx={ctx} view={view} current={current} />
      {children}
    </Page>
  );
}

function Readiness({ ctx, view }: { ctx: PageContext; view: service.AssessmentView }) {
  const { t } = ctx;
  const e = view.evaluation;
  return (
    <Alert
      kind={e.ready ? 'success' : 'info'}
      title={t(e.ready ? 'assessment.ready.yes' : 'assessment.ready.no')}
    >
      <p>{t('assessment.counts', { ...e.counts })}</p>
      {e.missingQuestions.length > 0 ? (
        <p>{t('assessment.ready.missing_questions', { count: e.missingQuestions.length })}</p>
      ) : null}
      {e.counts.blocking > 0 ? <p>{t('assessment.ready.blocking', { count: e.counts.blocking })}</p> : null}
    </Alert>
  );
}

/** Progress per rubrique: a native progress bar, named by its label, with the same figures in words. */
function Progress({ ctx, view }: { ctx: PageContext; view: service.AssessmentView }) {
  const { t } = ctx;
  return (
    <section class="fr-mb-4w">
      <h2>{t('assessment.progress.title')}</h2>
      {view.evaluation.byRubrique.map((p) => {
        const rubrique = view.version.rubriques.find((r) => r.id === p.rubrique);
        const name = rubrique?.title[ctx.locale] ?? p.rubrique;
        const id = `progress-${p.rubrique}`;
        return (
          <div class="fr-mb-3w" key={p.rubrique}>
            <label for={id} class="fr-label">
              {t('assessment.progress.label', { rubrique: name, ready: p.ready, applicable: p.applicable })}
              <span class="fr-hint-text">
                {p.applicable === 0
                  ? t('assessment.progress.none')
                  : t('assessment.progress.detail', { ...p })}
              </span>
            </label>
            <progress id={id} class="mesref-progress" max={Math.max(p.applicable, 1)} value={p.ready}>
              {`${p.ready}/${p.applicable}`}
            </progress>
            <p class="fr-mt-1w">
              <a class="fr-link" href={`${assessmentPath(view.id)}/rubriques/${p.rubrique}`}>
                {t('assessment.progress.open', { rubrique: name })}
              </a>
            </p>
          </div>
        );
      })}
    </section>
  );
}

// ── pages ───────────────────────────────────────────────────────────────────

function ListPage({
  ctx,
  list,
  versions,
  error,
}: {
  ctx: PageContext;
  list: Awaited<ReturnType<typeof service.listAssessments>>;
  versions: ReferentialVersion[];
  error?: string;
}) {
  const { t } = ctx;
  const { product } = list;
  return (
    <Page
      ctx={ctx}
      title={t('assessment.title_for', { name: product.displayName })}
      css={['alert', 'badge', 'table', 'form', 'select']}
      breadcrumb={[
        [t('identity.publisher.title'), '/editeur'],
        [product.displayName, `/editeur/services/${product.id}`],
        [t('assessment.title'), productAssessmentsPath(product.id)],
      ]}
    >
      <h1>{t('assessment.title_for', { name: product.displayName })}</h1>
      <p>{t('assessment.intro')}</p>
      {error ? (
        <Alert kind="error" title={t('assessment.form.error')}>
          <p>{error}</p>
        </Alert>
      ) : null}
      {list.assessments.length === 0 ? (
        <p>{t('assessment.list.none')}</p>
      ) : (
        <div class="fr-table fr-table--multiline">
          <div class="fr-table__wrapper">
            <div class="fr-table__container">
              <div class="fr-table__content">
                <table>
                  <caption>{t('assessment.list.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('assessment.list.version')}</th>
                      <th scope="col">{t('assessment.list.progress')}</th>
                      <th scope="col">{t('assessment.list.state')}</th>
                      <th scope="col">{t('assessment.list.open')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.assessments.map((a) => (
                      <tr key={a.id}>
                        <td>{a.referentialVersion}</td>
                        <td>{t('assessment.counts', { ...a.counts })}</td>
                        <td>
                          <span class={`fr-badge fr-badge--sm fr-badge--${a.ready ? 'success' : 'info'}`}>
                            {t(a.ready ? 'assessment.ready.badge_yes' : 'assessment.ready.badge_no')}
                          </span>
                        </td>
                        <td>
                          <a
                            class="fr-link"
                            href={assessmentPath(a.id)}
                            aria-label={t('assessment.list.open_named', { version: a.referentialVersion })}
                          >
                            {t('assessment.list.open')}
                          </a>
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
      <h2>{t('assessment.start.title')}</h2>
      {list.mayEdit ? (
        <form method="post" action={productAssessmentsPath(product.id)}>
          <Csrf ctx={ctx} />
          <div class="fr-select-group">
            <label class="fr-label" for="referential">
              {t('assessment.start.version')}
            </label>
            <select class="fr-select" id="referential" name="referential">
              {versions.map((v, i) => (
                <option value={v.id} key={v.id}>
                  {v.title[ctx.locale]} ({v.id}){i === 0 ? ` ${t('assessment.start.newest')}` : ''}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="fr-btn">
            {t('assessment.start.submit')}
          </button>
        </form>
      ) : (
        <p>{t('assessment.start.read_only')}</p>
      )}
    </Page>
  );
}

function OverviewPage({
  ctx,
  view,
  organisationName,
}: {
  ctx: PageContext;
  view: service.AssessmentView;
  organisationName?: string;
}) {
  const { t } = ctx;
  const base = assessmentPath(view.id);
  return (
    <AssessmentPage ctx={ctx} view={view} title={t('assessment.title')} current={base} css={['form']}>
      {organisationName ? <p class="fr-sr-only">{organisationName}</p> : null}
      <Readiness ctx={ctx} view={view} />
      <Progress ctx={ctx} view={view} />
      <h2>{t('assessment.reports.title')}</h2>
      <ul>
        <li>
          <a class="fr-link" href={`${base}/rapport.html`}>
            {t('assessment.reports.html')}
          </a>
        </li>
        <li>
          <a class="fr-link" href={`${base}/rapport.json`}>
            {t('assessment.reports.json')}
          </a>
        </li>
        <li>
          <a class="fr-link" href={`${base}/rapport.pdf`}>
            {t('assessment.reports.pdf')}
          </a>
        </li>
      </ul>
    </AssessmentPage>
  );
}

function QuestionField({
  ctx,
  question,
  value,
  error,
}: {
  ctx: PageContext;
  question: Question;
  value: unknown;
  error?: string;
}) {
  const { t } = ctx;
  const id = `q-${question.id}`;
  const options =
    question.type === 'boolean'
      ? [
          { value: 'true', label: t('assessment.yes'), checked: value === true },
          { value: 'false', label: t('assessment.no'), checked: value === false },
        ]
      : (question.options ?? []).map((o) => ({
          value: o.value,
          label: o.label[ctx.locale],
          checked: Array.isArray(value) ? value.includes(o.value) : value === o.value,
        }));
  const multi = question.type === 'multi';
  return (
    <fieldset
      class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`}
      id={id}
      aria-labelledby={`${id}-legend${error ? ` ${id}-error` : ''}`}
    >
      <legend class="fr-fieldset__legend" id={`${id}-legend`}>
        {question.label[ctx.locale]}
        {question.help ? <span class="fr-hint-text">{question.help[ctx.locale]}</span> : null}
      </legend>
      {multi ? <input type="hidden" name={`shown.${question.id}`} value="1" /> : null}
      {options.map((o) => (
        <div class="fr-fieldset__element" key={o.value}>
          <div class={multi ? 'fr-checkbox-group' : 'fr-radio-group'}>
            <input
              type={multi ? 'checkbox' : 'radio'}
              id={`${id}-${o.value}`}
              name={`q.${question.id}`}
              value={o.value}
              checked={o.checked}
            />
            <label class="fr-label" for={`${id}-${o.value}`}>
              {o.label}
            </label>
          </div>
        </div>
      ))}
      {error ? (
        <div class="fr-messages-group" id={`${id}-error`} aria-live="polite">
          <p class="fr-message fr-message--error">{error}</p>
        </div>
      ) : null}
    </fieldset>
  );
}

function OrientationPage({
  ctx,
  view,
  answers,
  flash,
  errors = {},
  conflict,
}: {
  ctx: PageContext;
  view: service.AssessmentView;
  answers: Record<string, unknown>;
  flash?: string;
  errors?: Record<string, string>;
  conflict?: boolean;
}) {
  const { t } = ctx;
  const base = assessmentPath(view.id);
  const visible = new Set(service.visibleQuestionIds(view.version, answers));
  const questions = view.version.questionnaire.filter((q) => visible.has(q.id));
  return (
    <AssessmentPage
      ctx={ctx}
      view={view}
      title={t('assessment.nav.orientation')}
      current={`${base}/orientation`}
      css={['form', 'radio', 'checkbox']}
    >
      {conflict ? (
        <Alert kind="error" title={t('assessment.form.error')}>
          <p>{t('assessment.conflict.orientation')}</p>
        </Alert>
      ) : null}
      {Object.keys(errors).length > 0 ? (
        <Alert kind="error" title={t('assessment.form.error')}>
          <p>{t('assessment.form.fields')}</p>
        </Alert>
      ) : null}
      {flash ? (
        <Alert kind="success">
          <p>{t(flash)}</p>
        </Alert>
      ) : null}
      <p>{t('assessment.orientation.intro')}</p>
      <form method="post" action={`${base}/orientation`}>
        <Csrf ctx={ctx} />
        <input type="hidden" name="version" value={String(view.rowVersion)} />
        {questions.map((q) => (
          <QuestionField ctx={ctx} question={q} value={answers[q.id]} error={errors[q.id]} key={q.id} />
        ))}
        {view.mayEdit ? (
          <button type="submit" class="fr-btn">
            {t('assessment.orientation.submit')}
          </button>
        ) : null}
      </form>
    </AssessmentPage>
  );
}

function AnswerSummary({ ctx, answer }: { ctx: PageContext; answer: Partial<service.AnswerView> }) {
  const { t } = ctx;
  return (
    <dl>
      <dt>{t('assessment.status.legend')}</dt>
      <dd>{answer.status ? t(`assessment.status.${answer.status}`) : t('assessment.status.none')}</dd>
      <dt>{t('assessment.field.justification')}</dt>
      <dd>{answer.justification || '—'}</dd>
      <dt>{t('assessment.field.target_date')}</dt>
      <dd>{answer.targetDate || '—'}</dd>
      {answer.evidence && answer.evidence.length > 0 ? (
        <>
          <dt>{t('assessment.evidence.title')}</dt>
          <dd>
            {answer.evidence
              .map((e) => (e.kind === 'url' ? e.url : e.kind === 'text' ? e.text : e.name))
              .join(' ; ')}
          </dd>
        </>
      ) : null}
      {answer.updatedBy && answer.updatedAt ? (
        <>
          <dt class="fr-sr-only">{t('assessment.criterion.last_change', { who: '', when: '' })}</dt>
          <dd class="fr-text--sm">
            {t('assessment.criterion.last_change', {
              who: answer.updatedBy,
              when: answer.updatedAt.toLocaleString(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB'),
            })}
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** What a person typed in a criterion's form, shown back after a conflict or a refused save. */
interface Typed {
  status: string;
  justification: string;
  targetDate: string;
  evidenceUrl: string;
  evidenceText: string;
}

function CriterionBlock({
  ctx,
  view,
  item,
  maxBytes,
  typed,
  errors,
  conflict,
  ecoscore,
  tests,
}: {
  ctx: PageContext;
  view: service.AssessmentView;
  item: CriterionEvaluation;
  maxBytes: number;
  typed?: Typed;
  errors?: Record<string, string>;
  conflict?: boolean;
  /** ETH 32 only: the official écoscore and mesref's latest run. */
  ecoscore?: Eth32Evidence;
  /** The connection-test plans that support this criterion, with their verdicts. */
  tests?: CriterionTestEvidence[];
}) {
  const { t, locale } = ctx;
  const c = item.criterion;
  const anchor = criterionAnchor(c.id);
  const answer = view.answers[c.id] ?? { criterionId: c.id, justification: '', version: 0, evidence: [] };
  const values: Typed = typed ?? {
    status: answer.status ?? '',
    justification: answer.justification,
    targetDate: answer.targetDate ?? '',
    evidenceUrl: '',
    evidenceText: '',
  };
  const base = assessmentPath(view.id);
  const err = (name: string) => errors?.[name];
  const errorId = (name: string) => `${anchor}-${name}-error`;
  const message = (name: string) =>
    err(name) ? (
      <div class="fr-messages-group" id={errorId(name)} aria-live="polite">
        <p class="fr-message fr-message--error">{err(name)}</p>
      </div>
    ) : null;
  return (
    <section class="fr-mb-6w" id={anchor} aria-labelledby={`${anchor}-title`}>
      <h4 id={`${anchor}-title`}>
        {c.id} — {c.title[locale]}
      </h4>
      <p>
        <LevelBadge ctx={ctx} criterion={c} /> <StateBadge ctx={ctx} state={item.state} />
      </p>
      <p class="fr-text--sm">
        {t('assessment.criterion.reason')} {item.reason[locale]}
      </p>
      <p>
        <strong>{t('assessment.criterion.requirement')}</strong> : {c.requirement[locale]}
      </p>
      {c.targetLevels ? (
        <p class="fr-text--sm">
          {t('assessment.criterion.target_levels')} {c.targetLevels.map((l) => l[locale]).join(' ; ')}
        </p>
      ) : null}
      <p class="fr-text--sm">
        <strong>{t('assessment.criterion.guidance')}</strong> : {c.guidance[locale]}
      </p>
      <p class="fr-text--xs">
        {t('assessment.criterion.expected')} {c.evidence.join(', ')} — {t('assessment.criterion.source')}{' '}
        {c.source}
      </p>
      {conflict ? (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h5 class="fr-alert__title">{t('assessment.conflict.answer', { criterion: c.id })}</h5>
          <div class="fr-grid-row fr-grid-row--gutters">
            <div class="fr-col-12 fr-col-md-6">
              <p>
                <strong>{t('assessment.conflict.theirs')}</strong>
              </p>
              <AnswerSummary ctx={ctx} answer={answer} />
            </div>
            <div class="fr-col-12 fr-col-md-6">
              <p>
                <strong>{t('assessment.conflict.yours')}</strong>
              </p>
              <AnswerSummary
                ctx={ctx}
                answer={{
                  status: (values.status || undefined) as service.AnswerView['status'],
                  justification: values.justification,
                  targetDate: values.targetDate,
                }}
              />
            </div>
          </div>
          <p>{t('assessment.conflict.form')}</p>
        </div>
      ) : errors && Object.keys(errors).length > 0 ? (
        <div class="fr-alert fr-alert--error fr-mb-3w" role="alert">
          <h5 class="fr-alert__title">{t('assessment.form.error')}</h5>
          <p>{t('assessment.form.fields')}</p>
        </div>
      ) : null}
      {ecoscore ? <Eth32EcoscoreEvidence ctx={ctx} evidence={ecoscore} /> : null}
      {tests?.length ? <ConnectionTestEvidence ctx={ctx} evidence={tests} /> : null}
      <h5 class="fr-text--md">{t('assessment.evidence.title')}</h5>
      {answer.evidence.length === 0 ? (
        <p class="fr-text--sm">{t('assessment.evidence.none')}</p>
      ) : (
        <ul>
          {answer.evidence.map((e) => {
            const label =
              e.kind === 'file' ? (e.name ?? '') : e.kind === 'url' ? (e.url ?? '') : (e.text ?? '');
            return (
              <li key={e.id}>
                {e.kind === 'url' ? (
                  <a class="fr-link" href={e.url} rel="noopener noreferrer nofollow">
                    {e.url}
                  </a>
                ) : e.kind === 'text' ? (
                  <q>{e.text}</q>
                ) : e.stored ? (
                  <a class="fr-link" href={`${base}/preuves/${e.id}`}>
                    {t('assessment.evidence.download', { name: label, size: formatBytes(t, e.size ?? 0) })}
                  </a>
                ) : (
                  t('assessment.evidence.not_stored', { name: label })
                )}
                {view.mayEdit ? (
                  <form method="post" action={`${base}/preuves/${e.id}/retrait`} class="fr-mt-1w">
                    <Csrf ctx={ctx} />
                    <input type="hidden" name="version" value={String(answer.version)} />
                    <button
                      type="submit"
                      class="fr-btn fr-btn--sm fr-btn--tertiary"
                      aria-label={t('assessment.evidence.remove_named', { name: label.slice(0, 80) })}
                    >
                      {t('assessment.evidence.remove')}
                    </button>
                  </form>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {view.mayEdit ? (
        <form
          method="post"
          action={`${base}/criteres/${encodeURIComponent(c.id)}`}
          encType="multipart/form-data"
        >
          <Csrf ctx={ctx} />
          <input type="hidden" name="version" value={String(answer.version)} />
          <input type="hidden" name="rubrique" value={c.rubrique} />
          <fieldset
            class={`fr-fieldset${err('status') ? ' fr-fieldset--error' : ''}`}
            aria-labelledby={`${anchor}-status-legend${err('status') ? ` ${errorId('status')}` : ''}`}
          >
            <legend class="fr-fieldset__legend fr-text--regular" id={`${anchor}-status-legend`}>
              {t('assessment.status.legend')} ({c.id})
            </legend>
            {['', ...ANSWER_STATUSES].map((s) => (
              <div class="fr-fieldset__element fr-fieldset__element--inline" key={s || 'none'}>
                <div class="fr-radio-group">
                  <input
                    type="radio"
                    id={`${anchor}-status-${s || 'none'}`}
                    name="status"
                    value={s}
                    checked={values.status === s}
                  />
                  <label class="fr-label" for={`${anchor}-status-${s || 'none'}`}>
                    {s ? t(`assessment.status.${s}`) : t('assessment.status.none')}
                  </label>
                </div>
              </div>
            ))}
            {message('status')}
          </fieldset>
          <div class={`fr-input-group${err('justification') ? ' fr-input-group--error' : ''}`}>
            <label class="fr-label" for={`${anchor}-justification`}>
              {t('assessment.field.justification')}
              <span class="fr-hint-text">{t('assessment.field.justification_hint')}</span>
            </label>
            <textarea
              class="fr-input"
              id={`${anchor}-justification`}
              name="justification"
              rows={3}
              maxLength={service.JUSTIFICATION_MAX}
              aria-describedby={err('justification') ? errorId('justification') : undefined}
            >
              {values.justification}
            </textarea>
            {message('justification')}
          </div>
          <div class={`fr-input-group${err('targetDate') ? ' fr-input-group--error' : ''}`}>
            <label class="fr-label" for={`${anchor}-target`}>
              {t('assessment.field.target_date')}
              <span class="fr-hint-text">{t('assessment.field.target_date_hint')}</span>
            </label>
            <input
              class="fr-input"
              type="date"
              id={`${anchor}-target`}
              name="targetDate"
              value={values.targetDate}
              aria-describedby={err('targetDate') ? errorId('targetDate') : undefined}
            />
            {message('targetDate')}
          </div>
          <div class={`fr-input-group${err('evidenceUrl') ? ' fr-input-group--error' : ''}`}>
            <label class="fr-label" for={`${anchor}-url`}>
              {t('assessment.field.evidence_url')}
              <span class="fr-hint-text">{t('assessment.field.evidence_url_hint')}</span>
            </label>
            <input
              class="fr-input"
              type="url"
              id={`${anchor}-url`}
              name="evidenceUrl"
              value={values.evidenceUrl}
              aria-describedby={err('evidenceUrl') ? errorId('evidenceUrl') : undefined}
            />
            {message('evidenceUrl')}
          </div>
          <div class={`fr-input-group${err('evidenceText') ? ' fr-input-group--error' : ''}`}>
            <label class="fr-label" for={`${anchor}-text`}>
              {t('assessment.field.evidence_text')}
            </label>
            <textarea
              class="fr-input"
              id={`${anchor}-text`}
              name="evidenceText"
              rows={2}
              aria-describedby={err('evidenceText') ? errorId('evidenceText') : undefined}
            >
              {values.evidenceText}
            </textarea>
            {message('evidenceText')}
          </div>
          <div class={`fr-upload-group${err('evidenceFile') ? ' fr-upload-group--error' : ''}`}>
            <label class="fr-label" for={`${anchor}-file`}>
              {t('assessment.field.evidence_file')}
              <span class="fr-hint-text">
                {t('assessment.field.evidence_file_hint', { max: formatBytes(t, maxBytes) })}
              </span>
            </label>
            <input
              class="fr-upload"
              type="file"
              id={`${anchor}-file`}
              name="evidenceFile"
              aria-describedby={err('evidenceFile') ? errorId('evidenceFile') : undefined}
            />
            {message('evidenceFile')}
          </div>
          <button type="submit" class="fr-btn fr-mt-2w" aria-label={t('assessment.save_named', { id: c.id })}>
            {t('assessment.save')}
          </button>
        </form>
      ) : (
        <AnswerSummary ctx={ctx} answer={answer} />
      )}
    </section>
  );
}

interface CriterionFeedback {
  criterionId: string;
  typed: Typed;
  errors?: Record<string, string>;
  conflict?: boolean;
}

function RubriquePage({
  ctx,
  view,
  rubrique,
  maxBytes,
  flash,
  feedback,
  ecoscore,
  tests,
}: {
  ctx: PageContext;
  view: service.AssessmentView;
  rubrique: Rubrique;
  maxBytes: number;
  flash?: string;
  feedback?: CriterionFeedback;
  ecoscore?: Eth32Evidence;
  /** Connection-test evidence of the service's criteria. */
  tests?: CriterionTestEvidence[];
}) {
  const { t, locale } = ctx;
  const def = view.version.rubriques.find((r) => r.id === rubrique);
  const name = def?.title[locale] ?? rubrique;
  const own = view.evaluation.criteria.filter((c) => c.criterion.rubrique === rubrique);
  const progress = view.evaluation.byRubrique.find((p) => p.rubrique === rubrique);
  return (
    <AssessmentPage
      ctx={ctx}
      view={view}
      title={t('assessment.criteria.title', { rubrique: name })}
      current={`${assessmentPath(view.id)}/rubriques/${rubrique}`}
      css={['form', 'input', 'radio', 'upload']}
    >
      {flash ? (
        <Alert kind="success">
          <p>{flash}</p>
        </Alert>
      ) : null}
      {progress ? (
        <div class="fr-mb-4w">
          <label for="progress-rubrique" class="fr-label">
            {t('assessment.progress.label', {
              rubrique: name,
              ready: progress.ready,
              applicable: progress.applicable,
            })}
            <span class="fr-hint-text">{t('assessment.progress.detail', { ...progress })}</span>
          </label>
          <progress
            id="progress-rubrique"
            class="mesref-progress"
            max={Math.max(progress.applicable, 1)}
            value={progress.ready}
          >
            {`${progress.ready}/${progress.applicable}`}
          </progress>
        </div>
      ) : null}
      {own.length === 0 ? <p>{t('assessment.criteria.none')}</p> : null}
      {(def?.themes ?? []).map((theme) => {
        const items = own.filter((c) => c.criterion.theme === theme.id);
        if (items.length === 0) return null;
        return (
          <section key={theme.id} aria-labelledby={`theme-${theme.id}`}>
            <h2 id={`theme-${theme.id}`} class="fr-h3">
              {theme.title[locale]}
            </h2>
            {items.map((item) => {
              const fb = feedback?.criterionId === item.criterion.id ? feedback : undefined;
              return (
                <CriterionBlock
                  ctx={ctx}
                  view={view}
                  item={item}
                  maxBytes={maxBytes}
                  typed={fb?.typed}
                  errors={fb?.errors}
                  conflict={fb?.conflict}
                  ecoscore={item.criterion.id === 'ETH 32' ? ecoscore : undefined}
                  tests={tests?.filter((e) => e.criterionId === item.criterion.id)}
                  key={item.criterion.id}
                />
              );
            })}
          </section>
        );
      })}
    </AssessmentPage>
  );
}

function PlanPage({
  ctx,
  view,
  flash,
  feedback,
}: {
  ctx: PageContext;
  view: service.AssessmentView;
  flash?: string;
  feedback?: { criterionId: string; message: string; current?: service.AnswerView; typed?: string };
}) {
  const { t, locale } = ctx;
  const base = assessmentPath(view.id);
  const list = gaps(view.evaluation);
  return (
    <AssessmentPage
      ctx={ctx}
      view={view}
      title={t('assessment.nav.plan')}
      current={`${base}/plan`}
      css={['table', 'form', 'input']}
    >
      <Readiness ctx={ctx} view={view} />
      {flash ? (
        <Alert kind="success">
          <p>{t(flash)}</p>
        </Alert>
      ) : null}
      {feedback ? (
        <Alert kind="error" title={t('assessment.form.error')}>
          <p>{feedback.message}</p>
          {feedback.current ? (
            <div class="fr-grid-row fr-grid-row--gutters">
              <div class="fr-col-12 fr-col-md-6">
                <p>
                  <strong>{t('assessment.conflict.theirs')}</strong>
                </p>
                <AnswerSummary ctx={ctx} answer={feedback.current} />
              </div>
              <div class="fr-col-12 fr-col-md-6">
                <p>
                  <strong>{t('assessment.conflict.yours')}</strong>
                </p>
                <p>
                  {t('assessment.field.target_date')} : {feedback.typed || '—'}
                </p>
              </div>
            </div>
          ) : null}
        </Alert>
      ) : null}
      <p>{t('assessment.plan.intro')}</p>
      {list.length === 0 ? (
        <p>{t('assessment.plan.none')}</p>
      ) : (
        <div class="fr-table fr-table--multiline">
          <div class="fr-table__wrapper">
            <div class="fr-table__container">
              <div class="fr-table__content">
                <table>
                  <caption>{t('assessment.plan.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('assessment.plan.criterion')}</th>
                      <th scope="col">{t('assessment.plan.state')}</th>
                      <th scope="col">{t('assessment.plan.target')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {list.map((item) => {
                      const c = item.criterion;
                      const answer = view.answers[c.id];
                      const anchor = `plan-${criterionAnchor(c.id)}`;
                      return (
                        <tr key={c.id}>
                          <td>
                            <a
                              class="fr-link"
                              href={`${base}/rubriques/${c.rubrique}#${criterionAnchor(c.id)}`}
                            >
                              {c.id} — {c.title[locale]}
                            </a>
                          </td>
                          <td>
                            <LevelBadge ctx={ctx} criterion={c} /> <StateBadge ctx={ctx} state={item.state} />
                          </td>
                          <td>
                            {view.mayEdit ? (
                              <form method="post" action={`${base}/plan/${encodeURIComponent(c.id)}`}>
                                <Csrf ctx={ctx} />
                                <input type="hidden" name="version" value={String(answer?.version ?? 0)} />
                                <input
                                  class="fr-input"
                                  type="date"
                                  name="targetDate"
                                  id={anchor}
                                  aria-label={t('assessment.plan.target_for', { id: c.id })}
                                  value={answer?.targetDate ?? ''}
                                />
                                <button
                                  type="submit"
                                  class="fr-btn fr-btn--sm fr-btn--secondary fr-mt-1w"
                                  aria-label={t('assessment.plan.save_for', { id: c.id })}
                                >
                                  {t('assessment.plan.save')}
                                </button>
                              </form>
                            ) : (
                              (answer?.targetDate ?? '—')
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      )}
    </AssessmentPage>
  );
}

function FilePage({
  ctx,
  view,
  flash,
  error,
  problems,
}: {
  ctx: PageContext;
  view: service.AssessmentView;
  flash?: string;
  error?: string;
  problems?: service.FileProblem[];
}) {
  const { t } = ctx;
  const base = assessmentPath(view.id);
  return (
    <AssessmentPage
      ctx={ctx}
      view={view}
      title={t('assessment.nav.file')}
      current={`${base}/fichier`}
      css={['upload', 'table', 'form']}
    >
      {flash ? (
        <Alert kind="success">
          <p>{t(flash)}</p>
        </Alert>
      ) : null}
      {error ? (
        <Alert kind="error" title={t('assessment.form.error')}>
          <p>{error}</p>
        </Alert>
      ) : null}
      {problems && problems.length > 0 ? (
        <div class="fr-table fr-table--multiline">
          <div class="fr-table__wrapper">
            <div class="fr-table__container">
              <div class="fr-table__content">
                <table>
                  <caption>{t('assessment.import.problems_caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('assessment.import.line')}</th>
                      <th scope="col">{t('assessment.import.path')}</th>
                      <th scope="col">{t('assessment.import.message')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {problems.map((p, i) => (
                      <tr key={`${p.line}-${p.path}-${i}`}>
                        <td>{p.line}</td>
                        <td>
                          <code>{p.path || '/'}</code>
                        </td>
                        <td>{p.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      ) : null}
      <p>{t('assessment.file.intro')}</p>
      <p>
        <a class="fr-btn fr-btn--secondary" href={`${base}/fichier.yaml`} download={answersFileName(view)}>
          {t('assessment.file.export')}
        </a>
      </p>
      {view.mayEdit ? (
        <>
          <h2>{t('assessment.file.import_title')}</h2>
          <p>{t('assessment.file.import_warning')}</p>
          <form method="post" action={`${base}/fichier`} encType="multipart/form-data">
            <Csrf ctx={ctx} />
            <div class="fr-upload-group">
              <label class="fr-label" for="answers-file">
                {t('assessment.file.field')}
                <span class="fr-hint-text">{t('assessment.file.field_hint')}</span>
              </label>
              <input class="fr-upload" type="file" id="answers-file" name="answersFile" accept=".yaml,.yml" />
            </div>
            <button type="submit" class="fr-btn fr-mt-2w">
              {t('assessment.file.submit')}
            </button>
          </form>
        </>
      ) : null}
    </AssessmentPage>
  );
}

function VersionPage({
  ctx,
  view,
  others,
  preview,
  error,
}: {
  ctx: PageContext;
  view: service.AssessmentView;
  others: ReferentialVersion[];
  preview?: service.MovePreview;
  error?: string;
}) {
  const { t, locale } = ctx;
  const base = assessmentPath(view.id);
  return (
    <AssessmentPage
      ctx={ctx}
      view={view}
      title={t('assessment.nav.version')}
      current={`${base}/version`}
      css={['form', 'select']}
    >
      {error ? (
        <Alert kind="error" title={t('assessment.form.error')}>
          <p>{error}</p>
        </Alert>
      ) : null}
      <p>{t('assessment.move.intro')}</p>
      {others.length === 0 ? (
        <p>{t('assessment.move.none')}</p>
      ) : (
        <form method="get" action={`${base}/version`}>
          <div class="fr-select-group">
            <label class="fr-label" for="vers">
              {t('assessment.move.choose')}
            </label>
            <select class="fr-select" id="vers" name="vers">
              {others.map((v) => (
                <option value={v.id} key={v.id} selected={preview?.to.id === v.id}>
                  {v.title[locale]} ({v.id})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="fr-btn fr-btn--secondary">
            {t('assessment.move.preview')}
          </button>
        </form>
      )}
      {preview ? (
        <section class="fr-mt-4w">
          <DemoNotice ctx={ctx} version={preview.to} />
          <p>
            {t('assessment.move.summary', {
              version: preview.to.id,
              kept: preview.kept.length,
              toAnswer: preview.toAnswer.length,
              dropped: preview.dropped.length,
            })}
          </p>
          {preview.toAnswer.length > 0 ? (
            <>
              <h2 class="fr-h4">{t('assessment.move.to_answer')}</h2>
              <ul>
                {preview.toAnswer.map((id) => {
                  const c = preview.to.criteria.find((x) => x.id === id);
                  return <li key={id}>{c ? `${c.id} — ${c.title[locale]}` : id}</li>;
                })}
              </ul>
            </>
          ) : null}
          {view.mayEdit ? (
            <form method="post" action={`${base}/version`}>
              <Csrf ctx={ctx} />
              <input type="hidden" name="referential" value={preview.to.id} />
              <button type="submit" class="fr-btn">
                {t('assessment.move.submit')}
              </button>
            </form>
          ) : null}
        </section>
      ) : null}
    </AssessmentPage>
  );
}

// ── routes ──────────────────────────────────────────────────────────────────

/** Orientation answers from a form: `q.<id>` fields, typed by the question. */
function orientationFromForm(version: ReferentialVersion, body: Body): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const q of version.questionnaire) {
    const values = fields(body, `q.${q.id}`);
    if (q.type === 'multi') {
      // A multiple choice shown and left empty is an answer (none); one not shown is no answer.
      if (values.length > 0 || field(body, `shown.${q.id}`)) out[q.id] = values;
    } else if (values.length > 0) {
      const v = values[values.length - 1];
      out[q.id] = q.type === 'boolean' ? (v === 'true' ? true : v === 'false' ? false : v) : v;
    }
  }
  return out;
}

/** Self-assessment pages of the publisher space. */
/** Evidence other modules hold for a service's criteria (connection tests), read when a rubrique is shown. */
export type TestEvidenceOf = (productId: string) => Promise<CriterionTestEvidence[]>;

export function assessmentPages(
  deps: service.AssessmentDeps,
  organisationName: OrganisationName,
  testEvidenceOf: TestEvidenceOf = async () => [],
) {
  const maxBytes = deps.config.evidenceMaxBytes;
  return async (app: App) => {
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: maxBytes, fieldSize: 64 * 1024, files: 1, fields: 20, parts: 24 },
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
    // ETH 32's écoscore evidence (official record, mesref's latest run), read when the page shows ETH 32.
    const ecoscoreOf = async (request: FastifyRequest, view: service.AssessmentView, rubrique: string) =>
      view.version.criteria.some((c) => c.id === 'ETH 32' && c.rubrique === rubrique)
        ? eth32Evidence(deps.db, request.actor, view.product.id)
        : undefined;

    // ── list and start
    app.get<{ Params: { id: string } }>(
      '/editeur/services/:id/auto-evaluation',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const list = await service.listAssessments(deps, request.actor, request.params.id);
        return html(
          reply,
          200,
          renderPage(<ListPage ctx={page(request)} list={list} versions={deps.referentials.versions} />),
        );
      },
    );

    app.post<{ Params: { id: string } }>(
      '/editeur/services/:id/auto-evaluation',
      { config: editConfig, schema: hide },
      async (request, reply) => {
        const referential = field(request.body as Body, 'referential') || undefined;
        try {
          const { id } = await service.createAssessment(deps, request.actor, request.params.id, referential);
          return reply.redirect(assessmentPath(id), 303);
        } catch (error) {
          if (error instanceof AppError && error.status === 422) {
            const list = await service.listAssessments(deps, request.actor, request.params.id);
            return html(
              reply,
              422,
              renderPage(
                <ListPage
                  ctx={page(request)}
                  list={list}
                  versions={deps.referentials.versions}
                  error={request.t('assessment.field.version_unknown')}
                />,
              ),
            );
          }
          throw error;
        }
      },
    );

    // ── overview
    app.get<P>(
      '/editeur/auto-evaluations/:id',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const view = await service.getAssessment(deps, request.actor, request.params.id);
        return html(reply, 200, renderPage(<OverviewPage ctx={page(request)} view={view} />));
      },
    );

    // ── orientation
    const orientationQuery = (request: FastifyRequest) => (request.query as { ok?: string } | undefined)?.ok;
    app.get<P>(
      '/editeur/auto-evaluations/:id/orientation',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const view = await service.getAssessment(deps, request.actor, request.params.id);
        const ok = orientationQuery(request);
        const flash =
          ok === 'saved'
            ? 'assessment.orientation.saved'
            : ok === 'more'
              ? 'assessment.orientation.new_questions'
              : undefined;
        return html(
          reply,
          200,
          renderPage(
            <OrientationPage ctx={page(request)} view={view} answers={view.orientation} flash={flash} />,
          ),
        );
      },
    );

    app.post<P>(
      '/editeur/auto-evaluations/:id/orientation',
      { config: editConfig, schema: hide },
      async (request, reply) => {
        const body = request.body as Body;
        const view = await service.getAssessment(deps, request.actor, request.params.id);
        const answers = orientationFromForm(view.version, body);
        try {
          const saved = await service.saveOrientation(deps, request.actor, view.id, {
            orientation: answers,
            baseVersion: version(body),
          });
          // New questions shown by these answers (without JavaScript, the page shows them after a save).
          const before = new Set(service.visibleQuestionIds(view.version, view.orientation));
          const unanswered = service
            .visibleQuestionIds(view.version, saved.orientation)
            .filter((id) => !before.has(id) && !(id in saved.orientation));
          const target = `${assessmentPath(view.id)}/orientation?ok=${unanswered.length > 0 ? 'more' : 'saved'}`;
          return reply.redirect(target, 303);
        } catch (error) {
          if (error instanceof service.OrientationConflict) {
            const fresh = await service.getAssessment(deps, request.actor, view.id);
            return html(
              reply,
              409,
              renderPage(
                <OrientationPage ctx={page(request)} view={fresh} answers={fresh.orientation} conflict />,
              ),
            );
          }
          if (error instanceof AppError && error.status === 422) {
            const errors = Object.fromEntries(
              Object.entries(error.fields).map(([k, v]) => [k, request.t(v)]),
            );
            return html(
              reply,
              422,
              renderPage(
                <OrientationPage ctx={page(request)} view={view} answers={answers} errors={errors} />,
              ),
            );
          }
          throw error;
        }
      },
    );

    // ── criteria of a rubrique
    const rubriqueOf = (view: service.AssessmentView, id: string): Rubrique => {
      const found = view.version.rubriques.find((r) => r.id === id);
      if (!found) throw new AppError('not_found', 404, 'error.not_found');
      return found.id;
    };

    app.get<{ Params: { id: string; rubrique: string }; Querystring: { ok?: string } }>(
      '/editeur/auto-evaluations/:id/rubriques/:rubrique',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const view = await service.getAssessment(deps, request.actor, request.params.id);
        const rubrique = rubriqueOf(view, request.params.rubrique);
        const ok = request.query?.ok;
        const flash =
          ok && view.version.criteria.some((c) => c.id === ok)
            ? request.t('assessment.saved', { id: ok })
            : ok === 'removed'
              ? request.t('assessment.evidence.removed')
              : undefined;
        return html(
          reply,
          200,
          renderPage(
            <RubriquePage
              ctx={page(request)}
              view={view}
              rubrique={rubrique}
              ecoscore={await ecoscoreOf(request, view, rubrique)}
              tests={await testEvidenceOf(view.product.id)}
              maxBytes={maxBytes}
              flash={flash}
            />,
          ),
        );
      },
    );

    app.post<{ Params: { id: string; criterionId: string } }>(
      '/editeur/auto-evaluations/:id/criteres/:criterionId',
      { config: editConfig, schema: hide },
      async (request, reply) => {
        const body = request.body as Body;
        const { criterionId } = request.params;
        const typed: Typed = {
          status: field(body, 'status'),
          justification: field(body, 'justification'),
          targetDate: field(body, 'targetDate'),
          evidenceUrl: field(body, 'evidenceUrl'),
          evidenceText: field(body, 'evidenceText'),
        };
        const addEvidence: service.EvidenceInput[] = [];
        if (typed.evidenceUrl.trim()) addEvidence.push({ kind: 'url', url: typed.evidenceUrl });
        if (typed.evidenceText.trim()) addEvidence.push({ kind: 'text', text: typed.evidenceText });
        const file = upload(body, 'evidenceFile');
        if (file)
          addEvidence.push({
            kind: 'file',
            name: file.fileName,
            bytes: file.bytes,
            truncated: file.truncated,
          });
        try {
          await service.saveAnswer(deps, request.actor, request.params.id, criterionId, {
            status: typed.status,
            justification: typed.justification,
            targetDate: typed.targetDate,
            baseVersion: version(body),
            addEvidence,
          });
          const view = await service.getAssessment(deps, request.actor, request.params.id);
          const criterion = view.version.criteria.find((c) => c.id === criterionId) as Criterion;
          return reply.redirect(
            `${assessmentPath(view.id)}/rubriques/${criterion.rubrique}?ok=${encodeURIComponent(criterionId)}#${criterionAnchor(criterionId)}`,
            303,
          );
        } catch (error) {
          const conflict = error instanceof service.AnswerConflict;
          if (!conflict && !(error instanceof AppError && error.status === 422)) throw error;
          const view = await service.getAssessment(deps, request.actor, request.params.id);
          const criterion = view.version.criteria.find((c) => c.id === criterionId) as Criterion;
          const errors = conflict
            ? undefined
            : Object.fromEntries(
                Object.entries((error as AppError).fields).map(([k, v]) => [k, request.t(v)]),
              );
          return html(
            reply,
            conflict ? 409 : 422,
            renderPage(
              <RubriquePage
                ctx={page(request)}
                view={view}
                rubrique={criterion.rubrique}
                ecoscore={await ecoscoreOf(request, view, criterion.rubrique)}
                tests={await testEvidenceOf(view.product.id)}
                maxBytes={maxBytes}
                feedback={{ criterionId, typed, errors, conflict }}
              />,
            ),
          );
        }
      },
    );

    // ── evidence files
    app.get<{ Params: { id: string; evidenceId: string } }>(
      '/editeur/auto-evaluations/:id/preuves/:evidenceId',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const file = await service.evidenceFile(
          deps,
          request.actor,
          request.params.id,
          request.params.evidenceId,
        );
        const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
        return reply
          .type(file.mediaType)
          .header(
            'content-disposition',
            `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
          )
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, no-store')
          .send(file.content);
      },
    );

    app.post<{ Params: { id: string; evidenceId: string } }>(
      '/editeur/auto-evaluations/:id/preuves/:evidenceId/retrait',
      { config: editConfig, schema: hide },
      async (request, reply) => {
        try {
          const answer = await service.removeEvidence(
            deps,
            request.actor,
            request.params.id,
            request.params.evidenceId,
            version(request.body as Body),
          );
          const view = await service.getAssessment(deps, request.actor, request.params.id);
          const criterion = view.version.criteria.find((c) => c.id === answer.criterionId) as Criterion;
          return reply.redirect(
            `${assessmentPath(view.id)}/rubriques/${criterion.rubrique}?ok=removed#${criterionAnchor(answer.criterionId)}`,
            303,
          );
        } catch (error) {
          if (!(error instanceof service.AnswerConflict)) throw error;
          const view = await service.getAssessment(deps, request.actor, request.params.id);
          const criterion = view.version.criteria.find((c) => c.id === error.criterionId) as Criterion;
          const current = error.current;
          return html(
            reply,
            409,
            renderPage(
              <RubriquePage
                ctx={page(request)}
                view={view}
                rubrique={criterion.rubrique}
                ecoscore={await ecoscoreOf(request, view, criterion.rubrique)}
                tests={await testEvidenceOf(view.product.id)}
                maxBytes={maxBytes}
                feedback={{
                  criterionId: error.criterionId,
                  conflict: true,
                  typed: {
                    status: current.status ?? '',
                    justification: current.justification,
                    targetDate: current.targetDate ?? '',
                    evidenceUrl: '',
                    evidenceText: '',
                  },
                }}
              />,
            ),
          );
        }
      },
    );

    // ── plan
    app.get<P & { Querystring: { ok?: string } }>(
      '/editeur/auto-evaluations/:id/plan',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const view = await service.getAssessment(deps, request.actor, request.params.id);
        const flash = request.query?.ok === 'saved' ? 'assessment.plan.saved' : undefined;
        return html(reply, 200, renderPage(<PlanPage ctx={page(request)} view={view} flash={flash} />));
      },
    );

    app.post<{ Params: { id: string; criterionId: string } }>(
      '/editeur/auto-evaluations/:id/plan/:criterionId',
      { config: editConfig, schema: hide },
      async (request, reply) => {
        const body = request.body as Body;
        const typed = field(body, 'targetDate');
        try {
          await service.setTargetDate(
            deps,
            request.actor,
            request.params.id,
            request.params.criterionId,
            typed,
            version(body),
          );
          return reply.redirect(`${assessmentPath(request.params.id)}/plan?ok=saved`, 303);
        } catch (error) {
          const conflict = error instanceof service.AnswerConflict;
          if (!conflict && !(error instanceof AppError && error.status === 422)) throw error;
          const view = await service.getAssessment(deps, request.actor, request.params.id);
          const e = error as AppError;
          const message = conflict
            ? request.t(e.message, e.params)
            : Object.values(e.fields)
                .map((k) => request.t(k))
                .join(' ') || request.t(e.message, e.params);
          return html(
            reply,
            conflict ? 409 : 422,
            renderPage(
              <PlanPage
                ctx={page(request)}
                view={view}
                feedback={{
                  criterionId: request.params.criterionId,
                  message,
                  current: conflict ? (error as service.AnswerConflict).current : undefined,
                  typed,
                }}
              />,
            ),
          );
        }
      },
    );

    // ── answers file
    app.get<P & { Querystring: { ok?: string } }>(
      '/editeur/auto-evaluations/:id/fichier',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const view = await service.getAssessment(deps, request.actor, request.params.id);
        const flash = request.query?.ok === 'imported' ? 'assessment.file.imported' : undefined;
        return html(reply, 200, renderPage(<FilePage ctx={page(request)} view={view} flash={flash} />));
      },
    );

    app.get<P>(
      '/editeur/auto-evaluations/:id/fichier.yaml',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const view = await service.getAssessment(deps, request.actor, request.params.id);
        return reply
          .type('application/yaml; charset=utf-8')
          .header('content-disposition', `attachment; filename="${answersFileName(view)}"`)
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'no-store')
          .send(exportAnswers(view, request.locale));
      },
    );

    app.post<P>(
      '/editeur/auto-evaluations/:id/fichier',
      { config: editConfig, schema: hide },
      async (request, reply) => {
        const view = await service.getAssessment(deps, request.actor, request.params.id);
        const file = upload(request.body as Body, 'answersFile');
        const show = (status: number, options: { error?: string; problems?: service.FileProblem[] }) =>
          html(reply, status, renderPage(<FilePage ctx={page(request)} view={view} {...options} />));
        if (!file || file.bytes.length === 0) return show(400, { error: request.t('assessment.file.empty') });
        if (file.truncated) return show(413, { error: request.t('assessment.field.file_too_large') });
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
        } catch {
          return show(422, { error: request.t('assessment.field.file_type') });
        }
        const name = file.fileName.slice(0, service.FILE_NAME_MAX) || 'answers.yaml';
        try {
          const parsed = readAnswersFile(deps, text, name, view.version.id, request.locale);
          await service.importAnswers(deps, request.actor, view.id, parsed, name, sha256(file.bytes));
          return reply.redirect(`${assessmentPath(view.id)}/fichier?ok=imported`, 303);
        } catch (error) {
          if (error instanceof service.ImportRefused) {
            return show(422, { error: request.t(error.message, error.params), problems: error.problems });
          }
          if (error instanceof AppError && error.status === 422) {
            return show(422, { error: request.t(error.message, error.params) });
          }
          throw error;
        }
      },
    );

    // ── another version
    app.get<P & { Querystring: { vers?: string } }>(
      '/editeur/auto-evaluations/:id/version',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const view = await service.getAssessment(deps, request.actor, request.params.id);
        const others = deps.referentials.versions.filter((v) => v.id !== view.version.id);
        const wanted = request.query?.vers;
        const preview =
          wanted && others.some((v) => v.id === wanted)
            ? await service.previewMove(deps, request.actor, view.id, wanted)
            : undefined;
        return html(
          reply,
          200,
          renderPage(<VersionPage ctx={page(request)} view={view} others={others} preview={preview} />),
        );
      },
    );

    app.post<P>(
      '/editeur/auto-evaluations/:id/version',
      { config: editConfig, schema: hide },
      async (request, reply) => {
        const to = field(request.body as Body, 'referential');
        try {
          const moved = await service.moveToVersion(deps, request.actor, request.params.id, to);
          return reply.redirect(assessmentPath(moved.id), 303);
        } catch (error) {
          if (!(error instanceof AppError) || (error.status !== 409 && error.status !== 422)) throw error;
          const view = await service.getAssessment(deps, request.actor, request.params.id);
          const others = deps.referentials.versions.filter((v) => v.id !== view.version.id);
          return html(
            reply,
            error.status,
            renderPage(
              <VersionPage
                ctx={page(request)}
                view={view}
                others={others}
                error={request.t(error.message, error.params)}
              />,
            ),
          );
        }
      },
    );

    // ── reports
    const reportInput = async (request: FastifyRequest, id: string) => {
      const view = await service.getAssessment(deps, request.actor, id);
      return reportInputOf(
        view,
        await organisationName(request.actor, view.product.organisationId),
        request.locale,
      );
    };
    app.get<P>(
      '/editeur/auto-evaluations/:id/rapport.html',
      { config: viewConfig, schema: hide },
      async (request, reply) => html(reply, 200, reportHtml(await reportInput(request, request.params.id))),
    );
    app.get<P>(
      '/editeur/auto-evaluations/:id/rapport.json',
      { config: viewConfig, schema: hide },
      async (request, reply) =>
        reply
          .header('cache-control', 'no-store')
          .header('content-disposition', 'inline')
          .send(reportJson(await reportInput(request, request.params.id))),
    );
    app.get<P>(
      '/editeur/auto-evaluations/:id/rapport.pdf',
      { config: viewConfig, schema: hide },
      async (request, reply) => {
        const pdf = await reportPdf(await reportInput(request, request.params.id));
        return reply
          .type('application/pdf')
          .header('content-disposition', 'attachment; filename="rapport-auto-evaluation.pdf"')
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'no-store')
          .send(pdf);
      },
    );
  };
}
