import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../platform/http.ts';
import type { Product } from '../product/index.ts';
import type { LocalizedText } from '../referential/schema.ts';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import {
  answersToQuery,
  answerValues,
  countedSteps,
  missingQuestions,
  NO,
  type PathwayAnswers,
  type PathwayOutcome,
  type PathwayRules,
  previousStep,
  progress,
  queryString,
  readAnswers,
  type Source,
  type Step,
  visibleSteps,
  YES,
} from './model.ts';
import type { PathwayQuestion } from './schema.ts';
import { outcomeFor, type PathwayDeps, productsForSaving, saveOutcome, viewOutcome } from './service.ts';
import type { SavedOutcome } from './store.ts';

export const PATHWAY_PAGE = '/parcours';
export const RESULT_PAGE = '/parcours/resultat';
export const SAVE_PAGE = '/parcours/enregistrer';
export const RESOURCES_PAGE = '/ressources';
export const productOutcomePage = (productId: string) => `/editeur/services/${productId}/parcours`;

/** mesref's own guides served as text from docs/ (only these names: nothing else of the folder is served). */
const GUIDES: Record<string, string> = {
  'publisher-guide': 'publisher-guide.md',
  'fhir-validation': 'fhir-validation.md',
};
const DOCS_DIR = fileURLToPath(new URL('../../docs/', import.meta.url));

const HTML = 'text/html; charset=utf-8';

type Raw = Record<string, string | string[] | undefined>;

const text = (ctx: PageContext, value: LocalizedText) => value[ctx.locale];

function withQuery(path: string, pairs: Array<[string, string]>): string {
  const query = queryString(pairs);
  return query ? `${path}?${query}` : path;
}

// ── components ──────────────────────────────────────────────────────────────

/** Hidden fields carrying the answers a form does not ask (the pathway keeps no session). */
function HiddenAnswers({
  rules,
  answers,
  except = [],
}: {
  rules: PathwayRules;
  answers: PathwayAnswers;
  except?: string[];
}) {
  return (
    <>
      {answersToQuery(rules, answers)
        .filter(([name]) => !except.includes(name))
        .map(([name, value]) => (
          <input type="hidden" name={name} value={value} key={`${name}=${value}`} />
        ))}
    </>
  );
}

function Sources({ ctx, sources }: { ctx: PageContext; sources: Source[] }) {
  if (sources.length === 0) return null;
  return (
    <p class="fr-text--sm fr-mb-1w">
      {ctx.t(sources.length > 1 ? 'pathway.result.sources_many' : 'pathway.result.sources')}{' '}
      {sources.map((source, i) => (
        <span key={source.id}>
          {i > 0 ? ' ; ' : ''}
          {source.url ? <a href={source.url}>{text(ctx, source.title)}</a> : text(ctx, source.title)}
        </span>
      ))}
    </p>
  );
}

function Question({
  ctx,
  question,
  value,
  error,
}: {
  ctx: PageContext;
  question: PathwayQuestion;
  value: boolean | string | string[] | undefined;
  error?: string;
}) {
  const { t } = ctx;
  const options =
    question.type === 'boolean'
      ? [
          { value: YES, label: { fr: t('pathway.yes'), en: t('pathway.yes') }, hint: undefined },
          { value: NO, label: { fr: t('pathway.no'), en: t('pathway.no') }, hint: undefined },
        ]
      : (question.options ?? []);
  const chosen = new Set(answerValues(value));
  const multi = question.type === 'multi';
  const base = `q-${question.id}`;
  return (
    <fieldset
      class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`}
      id={base}
      aria-labelledby={`${base}-legend${error ? ` ${base}-messages` : ''}`}
    >
      <legend class="fr-fieldset__legend" id={`${base}-legend`}>
        {text(ctx, question.label)}
        {question.help || multi ? (
          <span class="fr-hint-text">
            {question.help ? text(ctx, question.help) : null}
            {question.help && multi ? ' ' : null}
            {multi ? t('pathway.multi_hint') : null}
          </span>
        ) : null}
      </legend>
      {options.map((option) => {
        const id = `${question.id}-${option.value}`;
        return (
          <div class="fr-fieldset__element" key={option.value}>
            <div class={multi ? 'fr-checkbox-group' : 'fr-radio-group'}>
              <input
                type={multi ? 'checkbox' : 'radio'}
                id={id}
                name={question.id}
                value={option.value}
                checked={chosen.has(option.value)}
              />
              <label class="fr-label" for={id}>
                {text(ctx, option.label)}
                {option.hint ? <span class="fr-hint-text">{text(ctx, option.hint)}</span> : null}
              </label>
            </div>
          </div>
        );
      })}
      <div class="fr-messages-group" id={`${base}-messages`} aria-live="polite">
        {error ? <p class="fr-message fr-message--error">{error}</p> : null}
      </div>
    </fieldset>
  );
}

function LanguageLink({ ctx, href }: { ctx: PageContext; href: string }) {
  const other = ctx.locale === 'fr' ? 'en' : 'fr';
  return (
    <p class="fr-text--sm">
      {ctx.t('pathway.other_language')}{' '}
      <a href={`${href}${href.includes('?') ? '&' : '?'}lang=${other}`} lang={other} hreflang={other}>
        {other === 'en' ? 'English' : 'Français'}
      </a>
    </p>
  );
}

function StepPage({
  ctx,
  rules,
  answers,
  step,
  showErrors,
}: {
  ctx: PageContext;
  rules: PathwayRules;
  answers: PathwayAnswers;
  step: Step;
  showErrors: boolean;
}) {
  const { t } = ctx;
  const steps = countedSteps(rules, answers);
  const index = steps.findIndex((s) => s.id === step.id);
  const current = index + 1;
  const total = steps.length;
  // The next step surely asked (one an answer of this step may reveal is not announced).
  const asked = visibleSteps(rules, answers);
  const following = asked[asked.findIndex((s) => s.id === step.id) + 1];
  const previous = previousStep(rules, answers, step.id);
  const missing = showErrors ? new Set(missingQuestions(step, answers).map((q) => q.id)) : new Set<string>();
  const title = t('pathway.step_title', { current, total, title: text(ctx, step.title) });
  const here = withQuery(PATHWAY_PAGE, [...answersToQuery(rules, answers), ['etape', step.id]]);
  return (
    <Page
      ctx={ctx}
      title={missing.size > 0 ? `${t('pathway.form_error')} — ${title}` : title}
      css={['stepper', 'form', 'radio', 'checkbox', 'alert']}
      breadcrumb={[
        [t('nav.home'), '/'],
        [t('pathway.nav'), PATHWAY_PAGE],
      ]}
    >
      <h1>{t('pathway.title')}</h1>
      {current === 1 ? <p class="fr-text--lead">{t('pathway.lead')}</p> : null}
      <div class="fr-stepper">
        <h2 class="fr-stepper__title">
          {text(ctx, step.title)}
          <span class="fr-stepper__state">{t('pathway.step_state', { current, total })}</span>
        </h2>
        <div class="fr-stepper__steps" data-fr-current-step={String(current)} data-fr-steps={String(total)} />
        <p class="fr-stepper__details">
          {following ? (
            <>
              <span class="fr-text--bold">{t('pathway.next_step')}</span> {text(ctx, following.title)}
            </>
          ) : (
            t('pathway.last_step')
          )}
        </p>
      </div>
      {missing.size > 0 ? (
        <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert">
          <p>{t('pathway.form_error')}</p>
        </div>
      ) : null}
      {step.intro ? <p>{text(ctx, step.intro)}</p> : null}
      <form method="get" action={PATHWAY_PAGE}>
        <HiddenAnswers rules={rules} answers={answers} except={step.questions.map((q) => q.id)} />
        <input type="hidden" name="depuis" value={step.id} />
        {step.questions.map((question) => (
          <Question
            key={question.id}
            ctx={ctx}
            question={question}
            value={answers[question.id]}
            error={
              missing.has(question.id)
                ? t(question.type === 'multi' ? 'pathway.required_multi' : 'pathway.required')
                : undefined
            }
          />
        ))}
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button class="fr-btn" type="submit">
              {following ? t('pathway.next') : t('pathway.see_result')}
            </button>
          </li>
          {previous ? (
            <li>
              <a
                class="fr-btn fr-btn--secondary"
                href={withQuery(PATHWAY_PAGE, [...answersToQuery(rules, answers), ['etape', previous.id]])}
              >
                {t('pathway.previous')}
              </a>
            </li>
          ) : null}
        </ul>
      </form>
      <LanguageLink ctx={ctx} href={here} />
    </Page>
  );
}

/** The outcome itself: verdict and reason, typology, workload, roadmap, vigilance. Shared by the result page and a service's page. */
export function OutcomeView({
  ctx,
  outcome,
  headingLevel = 2,
}: {
  ctx: PageContext;
  outcome: PathwayOutcome;
  headingLevel?: 2 | 3;
}) {
  const { t } = ctx;
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Sub = headingLevel === 2 ? 'h3' : 'h4';
  const kind =
    outcome.verdict === 'eligible' ? 'success' : outcome.verdict === 'redirected' ? 'info' : 'error';
  return (
    <>
      <div class={`fr-alert fr-alert--${kind} fr-mb-4w`}>
        <H class="fr-alert__title">{t(`pathway.result.${outcome.verdict}`)}</H>
        <p>{text(ctx, outcome.reason.wording)}</p>
        <Sources ctx={ctx} sources={outcome.reason.sources} />
        {outcome.reason.link ? (
          <p>
            {t('pathway.result.go_to')}{' '}
            <a href={outcome.reason.link.url}>{text(ctx, outcome.reason.link.label)}</a>
          </p>
        ) : null}
      </div>
      {outcome.notices.map((notice) => (
        <div class="fr-alert fr-alert--warning fr-mb-4w" key={notice.ruleId}>
          <H class="fr-alert__title">{t('pathway.result.notice')}</H>
          <p>{text(ctx, notice.wording)}</p>
          <Sources ctx={ctx} sources={notice.sources} />
        </div>
      ))}
      {outcome.typology ? (
        <section aria-labelledby="typologie" class="fr-mb-4w">
          <H id="typologie">{t('pathway.result.typology')}</H>
          <div class="fr-callout">
            <Sub class="fr-callout__title">{text(ctx, outcome.typology.title)}</Sub>
            <p class="fr-callout__text">{text(ctx, outcome.typology.description)}</p>
            <Sources ctx={ctx} sources={outcome.typology.sources} />
          </div>
        </section>
      ) : null}
      {outcome.verdict === 'eligible' ? <WorkloadView ctx={ctx} outcome={outcome} H={H} /> : null}
      {outcome.roadmap.length > 0 ? (
        <section aria-labelledby="feuille-de-route" class="fr-mb-4w">
          <H id="feuille-de-route">{t('pathway.result.roadmap')}</H>
          <p>{t('pathway.result.roadmap_lead')}</p>
          <ol>
            {outcome.roadmap.map((item) => (
              <li key={item.id} class="fr-mb-3w">
                <Sub class="fr-h6 fr-mb-1w">{text(ctx, item.title)}</Sub>
                <p class="fr-mb-1w">{text(ctx, item.text)}</p>
                {item.prepare.length > 0 ? (
                  <>
                    <p class="fr-text--bold fr-mb-0">{t('pathway.result.prepare')}</p>
                    <ul>
                      {item.prepare.map((p) => (
                        <li key={p.fr}>{text(ctx, p)}</li>
                      ))}
                    </ul>
                  </>
                ) : null}
                {item.links.length > 0 ? (
                  <ul class="fr-links-group">
                    {item.links.map((link) => (
                      <li key={link.url}>
                        <a class="fr-link" href={link.url}>
                          {text(ctx, link.label)}
                        </a>
                      </li>
                    ))}
                  </ul>
                ) : null}
                <Sources ctx={ctx} sources={item.sources} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {outcome.vigilance.length > 0 ? (
        <section aria-labelledby="vigilance" class="fr-mb-4w">
          <H id="vigilance">{t('pathway.result.vigilance')}</H>
          {outcome.vigilance.map((point) => (
            <div class="fr-callout fr-callout--orange-terre-battue fr-mb-2w" key={point.id}>
              <Sub class="fr-callout__title">{text(ctx, point.title)}</Sub>
              <p class="fr-callout__text">{text(ctx, point.text)}</p>
              <Sources ctx={ctx} sources={point.sources} />
            </div>
          ))}
        </section>
      ) : null}
    </>
  );
}

function WorkloadView({ ctx, outcome, H }: { ctx: PageContext; outcome: PathwayOutcome; H: 'h2' | 'h3' }) {
  const { t } = ctx;
  const w = outcome.workload;
  return (
    <section aria-labelledby="charge" class="fr-mb-4w">
      <H id="charge">{t('pathway.result.workload')}</H>
      {w ? (
        <>
          <p>{t('pathway.result.workload_lead', { referential: w.referentialId })}</p>
          {w.referentialStatus === 'demonstration' ? (
            <p>
              <span class="fr-badge fr-badge--warning fr-badge--sm">{t('pathway.result.demonstration')}</span>
            </p>
          ) : null}
          <ul>
            <li>
              {t('pathway.result.applicable')} : <strong>{w.applicable}</strong>
              <ul>
                <li>
                  {t('pathway.result.mandatory')} : <strong>{w.mandatory}</strong>
                </li>
                <li>
                  {t('pathway.result.optional')} : <strong>{w.optional}</strong>
                </li>
                {outcome.typology?.id === 'avec-echange' ? (
                  <li>
                    {t('pathway.result.exchange_rules')} : <strong>{w.exchangeRules}</strong>
                  </li>
                ) : null}
              </ul>
            </li>
            {w.undetermined > 0 ? (
              <li>
                {t('pathway.result.undetermined')} : <strong>{w.undetermined}</strong>
              </li>
            ) : null}
          </ul>
          <p>
            <a class="fr-link" href={`/referentiels/${encodeURIComponent(w.referentialId)}`}>
              {t('pathway.result.see_criteria', { referential: w.referentialId })}
            </a>
          </p>
        </>
      ) : (
        <p>{t('pathway.result.no_referential')}</p>
      )}
    </section>
  );
}

function AnswersSummary({
  ctx,
  rules,
  answers,
}: {
  ctx: PageContext;
  rules: PathwayRules;
  answers: PathwayAnswers;
}) {
  const { t } = ctx;
  const query = answersToQuery(rules, answers);
  return (
    <section aria-labelledby="reponses" class="fr-mb-4w">
      <h2 id="reponses">{t('pathway.result.answers')}</h2>
      <ul>
        {visibleSteps(rules, answers).flatMap((step) =>
          step.questions
            .filter((question) => answers[question.id] !== undefined)
            .map((question) => {
              const values = answerValues(answers[question.id]).map((value) => {
                if (value === YES) return t('pathway.yes');
                if (value === NO) return t('pathway.no');
                const option = question.options?.find((o) => o.value === value);
                return option ? text(ctx, option.label) : value;
              });
              return (
                <li key={question.id}>
                  {text(ctx, question.label)} <strong>{values.join(', ')}</strong>{' '}
                  <a
                    class="fr-link fr-text--sm"
                    href={withQuery(PATHWAY_PAGE, [...query, ['etape', step.id]])}
                  >
                    {t('pathway.result.change')}
                    <span class="fr-sr-only">
                      {t('pathway.result.change_answer', { question: text(ctx, question.label) })}
                    </span>
                  </a>
                </li>
              );
            }),
        )}
      </ul>
    </section>
  );
}

function SaveForm({
  ctx,
  rules,
  answers,
  products,
  error,
  returnTo,
}: {
  ctx: PageContext;
  rules: PathwayRules;
  answers: PathwayAnswers;
  products: Product[] | undefined;
  error?: string;
  returnTo: string;
}) {
  const { t } = ctx;
  return (
    <section aria-labelledby="enregistrer" class="fr-mb-4w">
      <h2 id="enregistrer">{t('pathway.save.title')}</h2>
      {products === undefined ? (
        <p>
          {t('pathway.save.sign_in')}{' '}
          <a class="fr-link" href={`/connexion?retour=${encodeURIComponent(returnTo)}`}>
            {t('pathway.save.sign_in_link')}
          </a>
        </p>
      ) : products.length === 0 ? (
        <p>
          {t('pathway.save.no_product')}{' '}
          <a class="fr-link" href="/editeur">
            {t('pathway.save.publisher_space')}
          </a>
        </p>
      ) : (
        <form method="post" action={SAVE_PAGE}>
          <p>{t('pathway.save.lead')}</p>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <HiddenAnswers rules={rules} answers={answers} />
          <div class={`fr-select-group${error ? ' fr-select-group--error' : ''}`}>
            <label class="fr-label" for="pathway-product">
              {t('pathway.save.product')}
            </label>
            <select
              class="fr-select"
              id="pathway-product"
              name="produit"
              aria-describedby={error ? 'pathway-product-error' : undefined}
              aria-invalid={error ? 'true' : undefined}
            >
              <option value="">{t('pathway.save.choose')}</option>
              {products.map((product) => (
                <option value={product.id} key={product.id}>
                  {product.displayName}
                </option>
              ))}
            </select>
            {error ? (
              <p class="fr-error-text" id="pathway-product-error">
                {error}
              </p>
            ) : null}
          </div>
          <button class="fr-btn" type="submit">
            {t('pathway.save.submit')}
          </button>
        </form>
      )}
    </section>
  );
}

function ResultPage({
  ctx,
  rules,
  answers,
  outcome,
  products,
  saveError,
}: {
  ctx: PageContext;
  rules: PathwayRules;
  answers: PathwayAnswers;
  outcome: PathwayOutcome;
  products: Product[] | undefined;
  saveError?: string;
}) {
  const { t } = ctx;
  const here = withQuery(RESULT_PAGE, answersToQuery(rules, answers));
  return (
    <Page
      ctx={ctx}
      title={`${saveError ? `${t('pathway.form_error')} — ` : ''}${t('pathway.result.title')} — ${t(`pathway.result.${outcome.verdict}`)}`}
      css={['alert', 'callout', 'badge', 'form', 'select']}
      breadcrumb={[
        [t('nav.home'), '/'],
        [t('pathway.nav'), PATHWAY_PAGE],
        [t('pathway.result.title'), RESULT_PAGE],
      ]}
    >
      <h1>{t('pathway.result.title')}</h1>
      <OutcomeView ctx={ctx} outcome={outcome} />
      <AnswersSummary ctx={ctx} rules={rules} answers={answers} />
      <SaveForm
        ctx={ctx}
        rules={rules}
        answers={answers}
        products={products}
        error={saveError}
        returnTo={here}
      />
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a class="fr-btn fr-btn--secondary" href={PATHWAY_PAGE}>
            {t('pathway.restart')}
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--tertiary" href={RESOURCES_PAGE}>
            {t('pathway.result.resources')}
          </a>
        </li>
      </ul>
      <LanguageLink ctx={ctx} href={here} />
    </Page>
  );
}

function ProductOutcomePage({
  ctx,
  rules,
  product,
  saved,
  justSaved,
}: {
  ctx: PageContext;
  rules: PathwayRules;
  product: Product;
  saved?: SavedOutcome;
  justSaved: boolean;
}) {
  const { t } = ctx;
  const title = t('pathway.product.title', { name: product.displayName });
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['alert', 'callout', 'badge']}
      breadcrumb={[
        [t('nav.publisher'), '/editeur'],
        [title, productOutcomePage(product.id)],
      ]}
    >
      <h1>{title}</h1>
      {justSaved && saved ? (
        <div class="fr-alert fr-alert--success fr-mb-4w" role="status">
          <h2 class="fr-alert__title">{t('pathway.save.saved')}</h2>
          <p>{t('pathway.save.saved_text', { name: product.displayName })}</p>
        </div>
      ) : null}
      {saved ? (
        <>
          <p>
            {t('pathway.product.saved_at', {
              date: saved.savedAt.toLocaleString(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', {
                timeZone: 'Europe/Paris',
                dateStyle: 'long',
                timeStyle: 'short',
              }),
              version: saved.rulesVersion,
            })}
          </p>
          <OutcomeView ctx={ctx} outcome={saved.outcome} />
          <p>
            <a class="fr-link" href={withQuery(RESULT_PAGE, answersToQuery(rules, saved.answers))}>
              {t('pathway.product.redo')}
            </a>
          </p>
        </>
      ) : (
        <>
          <p>{t('pathway.product.none')}</p>
          <p>
            <a class="fr-btn" href={PATHWAY_PAGE}>
              {t('pathway.product.start')}
            </a>
          </p>
        </>
      )}
    </Page>
  );
}

function ResourcesPage({ ctx, rules }: { ctx: PageContext; rules: PathwayRules }) {
  const { t } = ctx;
  const group = (kind: 'official' | 'mesref') => rules.resources.filter((r) => r.group === kind);
  return (
    <Page
      ctx={ctx}
      title={t('resources.title')}
      css={['card', 'notice']}
      breadcrumb={[
        [t('nav.home'), '/'],
        [t('resources.title'), RESOURCES_PAGE],
      ]}
    >
      <h1>{t('resources.title')}</h1>
      <p class="fr-text--lead">{t('resources.lead')}</p>
      {(['official', 'mesref'] as const).map((kind) => (
        <section aria-labelledby={`ressources-${kind}`} class="fr-mb-6w" key={kind}>
          <h2 id={`ressources-${kind}`}>{t(`resources.${kind}`)}</h2>
          {kind === 'official' ? <p class="fr-text--sm">{t('resources.external_notice')}</p> : null}
          <ul class="fr-grid-row fr-grid-row--gutters fr-raw-list">
            {group(kind).map((resource) => (
              <li class="fr-col-12 fr-col-md-6 fr-col-lg-4" key={resource.id}>
                <div class="fr-card fr-enlarge-link">
                  <div class="fr-card__body">
                    <div class="fr-card__content">
                      <h3 class="fr-card__title">
                        <a href={resource.url}>{text(ctx, resource.title)}</a>
                      </h3>
                      <p class="fr-card__desc">{text(ctx, resource.description)}</p>
                      {resource.publisher ? (
                        <div class="fr-card__start">
                          <p class="fr-card__detail">
                            {t('resources.publisher', { publisher: resource.publisher })}
                          </p>
                        </div>
                      ) : null}
                      <div class="fr-card__end">
                        <p class="fr-card__detail">{resource.url.replace(/^https:\/\//, '')}</p>
                      </div>
                    </div>
                  </div>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </Page>
  );
}

// ── routes ──────────────────────────────────────────────────────────────────

/** The guided pathway's pages: the steps, the result, saving it onto a service, a service's outcome, resources. */
export function pathwayPages(deps: PathwayDeps) {
  const { rules } = deps;
  return async (app: App) => {
    const config = { action: 'pathway.view' as const };

    app.get(PATHWAY_PAGE, { config, schema: { hide: true } }, async (request, reply) => {
      const raw = request.query as Raw;
      const answers = readAnswers(rules, raw);
      const steps = visibleSteps(rules, answers);
      const from = steps.find((s) => s.id === raw.depuis);
      const asked = steps.find((s) => s.id === raw.etape);
      const ctx = request.pageContext();
      // A step submitted with an answer missing is shown again, with what is missing.
      if (from && missingQuestions(from, answers).length > 0) {
        return html(
          reply,
          400,
          renderPage(<StepPage ctx={ctx} rules={rules} answers={answers} step={from} showErrors />),
        );
      }
      if (asked) {
        return html(
          reply,
          200,
          renderPage(<StepPage ctx={ctx} rules={rules} answers={answers} step={asked} showErrors={false} />),
        );
      }
      const state = progress(rules, answers);
      if (state.done) return reply.redirect(withQuery(RESULT_PAGE, answersToQuery(rules, answers)), 303);
      return html(
        reply,
        200,
        renderPage(
          <StepPage ctx={ctx} rules={rules} answers={answers} step={state.next as Step} showErrors={false} />,
        ),
      );
    });

    const showResult = async (
      request: FastifyRequest,
      reply: FastifyReply,
      answers: PathwayAnswers,
      status = 200,
      saveError?: string,
    ) => {
      const state = progress(rules, answers);
      if (!state.done) return reply.redirect(withQuery(PATHWAY_PAGE, answersToQuery(rules, answers)), 303);
      const outcome = outcomeFor(deps, answers);
      const actor = request.actor;
      const products = actor.kind === 'account' ? await productsForSaving(deps, actor) : undefined;
      return html(
        reply,
        status,
        renderPage(
          <ResultPage
            ctx={request.pageContext()}
            rules={rules}
            answers={answers}
            outcome={outcome}
            products={products}
            saveError={saveError}
          />,
        ),
      );
    };

    app.get(RESULT_PAGE, { config, schema: { hide: true } }, (request, reply) =>
      showResult(request, reply, readAnswers(rules, request.query as Raw)),
    );

    app.post(
      SAVE_PAGE,
      { config: { action: 'pathway.save_outcome' }, schema: { hide: true } },
      async (request, reply) => {
        const body = (request.body ?? {}) as Raw;
        const answers = readAnswers(rules, body);
        const productId = typeof body.produit === 'string' ? body.produit : '';
        if (!productId)
          return showResult(request, reply, answers, 400, request.t('pathway.error.choose_product'));
        const { product } = await saveOutcome(deps, request.actor, productId, answers);
        return reply.redirect(`${productOutcomePage(product.id)}?enregistre=1`, 303);
      },
    );

    app.get(
      '/editeur/services/:id/parcours',
      { config: { action: 'product.view_one' }, schema: { hide: true } },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const { product, saved } = await viewOutcome(deps, request.actor, id);
        const justSaved = (request.query as Raw).enregistre === '1';
        return html(
          reply,
          200,
          renderPage(
            <ProductOutcomePage
              ctx={request.pageContext()}
              rules={rules}
              product={product}
              saved={saved}
              justSaved={justSaved}
            />,
          ),
        );
      },
    );

    app.get(RESOURCES_PAGE, { config, schema: { hide: true } }, async (request, reply) =>
      reply.type(HTML).send(renderPage(<ResourcesPage ctx={request.pageContext()} rules={rules} />)),
    );

    app.get('/ressources/guides/:name', { config, schema: { hide: true } }, async (request, reply) => {
      const { name } = request.params as { name: string };
      const file = Object.hasOwn(GUIDES, name) ? GUIDES[name] : undefined;
      const path = file ? `${DOCS_DIR}${file}` : undefined;
      if (!path || !existsSync(path)) {
        return reply
          .code(404)
          .type(HTML)
          .send(renderPage(<NotFound ctx={request.pageContext()} />));
      }
      // Markdown as plain text: readable as it is, and nothing in it runs.
      return reply.type('text/plain; charset=utf-8').send(readFileSync(path, 'utf8'));
    });
  };
}

function NotFound({ ctx }: { ctx: PageContext }) {
  const title = ctx.t('error.title', { status: 404 });
  return (
    <Page ctx={ctx} title={title} css={['alert']}>
      <h1>{title}</h1>
      <div class="fr-alert fr-alert--error fr-mb-3w">
        <p>{ctx.t('error.not_found')}</p>
      </div>
      <p>
        <a class="fr-link" href={RESOURCES_PAGE}>
          {ctx.t('resources.title')}
        </a>
      </p>
    </Page>
  );
}
