/**
 * The public catalogue's pages, without sign-in: the list (a GET form: the search lives in the address and
 * works without JavaScript), a service's page, and the images of the services online.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { Alert } from '../web/components.tsx';
import { formatDate } from '../web/dates.ts';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import {
  type CatalogueEntry,
  type CatalogueQuery,
  economicModels,
  hasFilters,
  PAGE_SIZE,
  pageLinks,
  parseCatalogueQuery,
  platforms,
  productAudiences,
  productRegions,
  productThematics,
  type QueryProblems,
  searchOf,
  shortDescription,
  sorts,
} from './model.ts';
import {
  type CatalogueDeps,
  type CataloguePage,
  inlineLogos,
  listedImage,
  publishedService,
  type ServiceDetail,
  searchCatalogue,
} from './service.ts';

export const CATALOGUE_PATH = '/catalogue';
export const servicePath = (dossierId: string) => `/services/${dossierId}`;
export const imagePath = (dossierId: string, image: { id: string }) =>
  `/services/${dossierId}/images/${image.id}`;
const reportPath = (dossierId: string) => `/services/${dossierId}/signaler`;
export const CSV_PATH = '/api/v1/catalogue.csv';
export const API_PATH = '/api/v1/catalogue';

// ── the list ────────────────────────────────────────────────────────────────

function Select(props: {
  ctx: PageContext;
  name: keyof CatalogueQuery;
  label: string;
  hint?: string;
  any?: string;
  options: ReadonlyArray<readonly [string, string]>;
  value: string | undefined;
  error?: string;
}) {
  const id = `f-${props.name}`;
  return (
    <div class={`fr-col-12 fr-col-md-4 fr-select-group${props.error ? ' fr-select-group--error' : ''}`}>
      <label class="fr-label" for={id}>
        {props.label}
        {props.hint ? <span class="fr-hint-text">{props.hint}</span> : null}
      </label>
      <select
        class="fr-select"
        id={id}
        name={props.name}
        aria-describedby={props.error ? `${id}-error` : undefined}
        aria-invalid={props.error ? 'true' : undefined}
      >
        {props.any !== undefined ? <option value="">{props.any}</option> : null}
        {props.options.map(([value, label]) => (
          <option value={value} selected={value === props.value} key={value}>
            {label}
          </option>
        ))}
      </select>
      {props.error ? (
        <p class="fr-error-text" id={`${id}-error`}>
          {props.ctx.t(props.error)}
        </p>
      ) : null}
    </div>
  );
}

function SearchForm({
  ctx,
  query,
  problems,
}: {
  ctx: PageContext;
  query: CatalogueQuery;
  problems: QueryProblems;
}) {
  const { t } = ctx;
  const yesNo = [
    ['oui', t('catalogue.filter.yes')],
    ['non', t('catalogue.filter.no')],
  ] as const;
  return (
    <form method="get" action={CATALOGUE_PATH} class="fr-mb-4w">
      <fieldset class="fr-fieldset">
        <legend class="fr-fieldset__legend fr-h5">{t('catalogue.search.legend')}</legend>
        <div class={`fr-fieldset__element fr-input-group${problems.q ? ' fr-input-group--error' : ''}`}>
          <label class="fr-label" for="f-q">
            {t('catalogue.search.label')}
            <span class="fr-hint-text">{t('catalogue.search.hint')}</span>
          </label>
          <input
            class="fr-input"
            type="search"
            id="f-q"
            name="q"
            value={query.text}
            maxLength={100}
            aria-describedby={problems.q ? 'f-q-error' : undefined}
            aria-invalid={problems.q ? 'true' : undefined}
          />
          {problems.q ? (
            <p class="fr-error-text" id="f-q-error">
              {t(problems.q)}
            </p>
          ) : null}
        </div>
        <div class="fr-fieldset__element fr-grid-row fr-grid-row--gutters">
          <Select
            ctx={ctx}
            name="thematique"
            label={t('catalogue.filter.thematique')}
            any={t('catalogue.filter.any')}
            options={productThematics.map((v) => [v, t(`product.thematic.${v}`)] as const)}
            value={query.thematique}
            error={problems.thematique}
          />
          <Select
            ctx={ctx}
            name="region"
            label={t('catalogue.filter.region')}
            any={t('catalogue.filter.any')}
            options={productRegions.map((v) => [v, t(`product.region.${v}`)] as const)}
            value={query.region}
            error={problems.region}
          />
          <Select
            ctx={ctx}
            name="public"
            label={t('catalogue.filter.public')}
            any={t('catalogue.filter.any_m')}
            options={productAudiences.map((v) => [v, t(`product.audience.${v}`)] as const)}
            value={query.public}
            error={problems.public}
          />
          <Select
            ctx={ctx}
            name="modele"
            label={t('catalogue.filter.modele')}
            any={t('catalogue.filter.indifferent')}
            options={economicModels.map((v) => [v, t(`product.economic.${v}`)] as const)}
            value={query.modele}
            error={problems.modele}
          />
          <Select
            ctx={ctx}
            name="plateforme"
            label={t('catalogue.filter.plateforme')}
            any={t('catalogue.filter.any')}
            options={platforms.map((v) => [v, t(`catalogue.platform.${v}`)] as const)}
            value={query.plateforme}
            error={problems.plateforme}
          />
          <Select
            ctx={ctx}
            name="dispositifMedical"
            label={t('catalogue.filter.dispositifMedical')}
            any={t('catalogue.filter.indifferent')}
            options={yesNo}
            value={query.dispositifMedical}
            error={problems.dispositifMedical}
          />
          <Select
            ctx={ctx}
            name="echange"
            label={t('catalogue.filter.echange')}
            any={t('catalogue.filter.indifferent')}
            options={yesNo}
            value={query.echange}
            error={problems.echange}
          />
          <Select
            ctx={ctx}
            name="tri"
            label={t('catalogue.sort')}
            options={sorts.map((v) => [v, t(`catalogue.sort.${v}`)] as const)}
            value={query.tri}
            error={problems.tri}
          />
        </div>
        <div class="fr-fieldset__element">
          <button type="submit" class="fr-btn">
            {t('catalogue.submit')}
          </button>
          {query.text || hasFilters(query) ? (
            <a class="fr-link fr-ml-3w" href={CATALOGUE_PATH}>
              {t('catalogue.clear')}
            </a>
          ) : null}
        </div>
      </fieldset>
    </form>
  );
}

function Entry({ ctx, entry, inline }: { ctx: PageContext; entry: CatalogueEntry; inline?: string }) {
  const { t } = ctx;
  return (
    <li class="fr-col-12 fr-col-md-6">
      {entry.logo ? (
        // A small logo comes inside the page; a larger one is a link, loaded when it nears the screen.
        <img
          src={inline ?? imagePath(entry.dossierId, entry.logo)}
          alt={t('catalogue.logo_alt', { name: entry.commercialName })}
          width={48}
          height={48}
          loading={inline ? undefined : 'lazy'}
          decoding="async"
        />
      ) : null}
      <h3 class="fr-h6 fr-mb-1v">
        <a href={servicePath(entry.dossierId)}>{entry.name}</a>
      </h3>
      <p class="fr-text--sm fr-mb-1v">
        {t('catalogue.publisher', { name: entry.publisher })} ·{' '}
        {t('catalogue.platforms', {
          list: entry.platforms.map((p) => t(`catalogue.platform.${p}`)).join(', '),
        })}
      </p>
      <p class="fr-text--sm fr-mb-0">
        {shortDescription(entry.description)}{' '}
        <span class="fr-badge fr-badge--sm fr-badge--no-icon">
          {t(`product.economic.${entry.economicModel}`)}
        </span>{' '}
        {entry.medicalDevice.is ? (
          <span class="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon">
            {t('catalogue.badge.medical_device')}
          </span>
        ) : null}{' '}
        {entry.dataExchange ? (
          <span class="fr-badge fr-badge--sm fr-badge--new fr-badge--no-icon">
            {t('catalogue.badge.data_exchange')}
          </span>
        ) : null}
      </p>
    </li>
  );
}

function Pagination({ ctx, result }: { ctx: PageContext; result: CataloguePage }) {
  const { t } = ctx;
  const { query, pages } = result;
  const current = query.page;
  if (pages <= 1) return null;
  const href = (page: number) =>
    `${CATALOGUE_PATH}${searchOf(query, { page: page === 1 ? undefined : page })}`;
  const edge = (page: number, label: string, kind: string, enabled: boolean) => (
    <li>
      {enabled ? (
        <a class={`fr-pagination__link fr-pagination__link--${kind}`} href={href(page)}>
          {label}
        </a>
      ) : (
        // biome-ignore lint/a11y/useValidAnchor: the DSFR pagination's disabled link, as documented
        <a class={`fr-pagination__link fr-pagination__link--${kind}`} aria-disabled="true" role="link">
          {label}
        </a>
      )}
    </li>
  );
  return (
    <nav class="fr-pagination fr-mt-4w" aria-label={t('catalogue.pagination')}>
      <ul class="fr-pagination__list">
        {edge(1, t('catalogue.pagination.first'), 'first', current > 1)}
        {edge(current - 1, t('catalogue.pagination.prev'), 'prev fr-pagination__link--lg-label', current > 1)}
        {pageLinks(Math.min(current, pages), pages).map((page, i) =>
          page === null ? (
            <li key={`gap-${i}`}>
              <span class="fr-pagination__link fr-displayed-lg">…</span>
            </li>
          ) : (
            <li key={page}>
              {page === current ? (
                // biome-ignore lint/a11y/useValidAnchor: the DSFR pagination's current page, as documented
                <a
                  class="fr-pagination__link"
                  aria-current="page"
                  title={t('catalogue.pagination.page', { page })}
                >
                  {page}
                </a>
              ) : (
                <a
                  class="fr-pagination__link"
                  href={href(page)}
                  title={t('catalogue.pagination.page', { page })}
                >
                  {page}
                </a>
              )}
            </li>
          ),
        )}
        {edge(
          current + 1,
          t('catalogue.pagination.next'),
          'next fr-pagination__link--lg-label',
          current < pages,
        )}
        {edge(pages, t('catalogue.pagination.last'), 'last', current < pages)}
      </ul>
    </nav>
  );
}

function ListPage({
  ctx,
  result,
  problems,
  inline = new Map(),
}: {
  ctx: PageContext;
  result: CataloguePage;
  problems: QueryProblems;
  /** The `data:` URLs of the small logos, by image id. */
  inline?: ReadonlyMap<string, string>;
}) {
  const { t } = ctx;
  const { query, total, pages, entries } = result;
  const invalid = Object.keys(problems).length > 0;
  const title = invalid
    ? t('catalogue.title')
    : t('catalogue.title_results', { count: total, page: query.page, pages });
  return (
    <Page ctx={ctx} title={title} css={['form', 'input', 'select', 'badge', 'pagination', 'alert']}>
      <h1>{t('catalogue.title')}</h1>
      <p class="fr-text--lead">{t('catalogue.lead')}</p>
      {invalid ? <Alert kind="error" title={t('catalogue.query.invalid')} /> : null}
      <SearchForm ctx={ctx} query={query} problems={problems} />
      <h2 id="resultats">{t('catalogue.results')}</h2>
      {invalid ? null : (
        <p role="status" class="fr-text--bold">
          {pages > 1
            ? t('catalogue.count_page', { count: total, page: query.page, pages })
            : t('catalogue.count', { count: total })}
        </p>
      )}
      {!invalid && entries.length === 0 ? (
        total === 0 ? (
          <Alert kind="info" title={t('catalogue.none')}>
            <p>{t('catalogue.none_text')}</p>
            {query.text || hasFilters(query) ? (
              <p>
                <a href={CATALOGUE_PATH}>{t('catalogue.clear')}</a>
              </p>
            ) : null}
          </Alert>
        ) : (
          <Alert kind="info" title={t('catalogue.page_past_end')}>
            <p>
              <a href={`${CATALOGUE_PATH}${searchOf(query, { page: undefined })}`}>
                {t('catalogue.first_page')}
              </a>
            </p>
          </Alert>
        )
      ) : null}
      {entries.length > 0 ? (
        <ul class="fr-grid-row fr-grid-row--gutters fr-raw-list">
          {entries.map((entry) => (
            <Entry
              ctx={ctx}
              entry={entry}
              inline={entry.logo ? inline.get(entry.logo.id) : undefined}
              key={entry.dossierId}
            />
          ))}
        </ul>
      ) : null}
      <Pagination ctx={ctx} result={result} />
      {invalid ? null : (
        <p class="fr-mt-4w">
          <a
            class="fr-link fr-link--download"
            href={`${CSV_PATH}${searchOf(query, { page: undefined, tri: undefined })}`}
            download
          >
            {t('catalogue.csv_link')}
          </a>
        </p>
      )}
    </Page>
  );
}

// ── a service ───────────────────────────────────────────────────────────────

function ExternalLink({ ctx, href, label }: { ctx: PageContext; href: string; label: string }) {
  return (
    <a
      class="fr-link"
      href={href}
      target="_blank"
      rel="noopener noreferrer"
      title={`${label} ${ctx.t('catalogue.service.new_window')}`}
    >
      {label}
    </a>
  );
}

function ServicePage({ ctx, service }: { ctx: PageContext; service: ServiceDetail }) {
  const { t, locale } = ctx;
  const day = (d: Date | null) => formatDate(locale, d, 'day');
  const stores = (
    [
      ['web', 'catalogue.service.web'],
      ['ios', 'catalogue.service.ios'],
      ['android', 'catalogue.service.android'],
    ] as const
  ).filter(([kind]) => service.urls[kind]);
  return (
    <Page
      ctx={ctx}
      title={service.name}
      css={['badge', 'table']}
      breadcrumb={[
        [t('nav.home'), '/'],
        [t('catalogue.title'), CATALOGUE_PATH],
        [service.name, servicePath(service.dossierId)],
      ]}
    >
      {service.logo ? (
        <img
          src={imagePath(service.dossierId, service.logo)}
          alt={t('catalogue.logo_alt', { name: service.commercialName })}
          width={96}
          height={96}
        />
      ) : null}
      <h1>{service.name}</h1>
      <p class="fr-text--lead">{t('catalogue.publisher', { name: service.publisher })}</p>
      <p>
        <span class="fr-badge fr-badge--success fr-badge--no-icon">
          {t(`catalogue.status.${service.catalogueStatus}`)}
        </span>{' '}
        <span class="fr-badge fr-badge--no-icon">{t(`product.economic.${service.economicModel}`)}</span>{' '}
        {service.medicalDevice.is ? (
          <span class="fr-badge fr-badge--info fr-badge--no-icon">{t('catalogue.badge.medical_device')}</span>
        ) : null}{' '}
        {service.dataExchange ? (
          <span class="fr-badge fr-badge--new fr-badge--no-icon">{t('catalogue.badge.data_exchange')}</span>
        ) : null}
      </p>

      <h2>{t('catalogue.service.about')}</h2>
      {service.description
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((paragraph) => (
          <p key={paragraph}>{paragraph}</p>
        ))}

      <h2>{t('catalogue.service.get')}</h2>
      {stores.length > 0 ? (
        <ul>
          {stores.map(([kind, label]) => (
            <li key={kind}>
              <ExternalLink ctx={ctx} href={service.urls[kind] as string} label={t(label)} />
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('catalogue.service.no_links')}</p>
      )}

      {service.screenshots.length > 0 ? (
        <>
          <h2>{t('catalogue.service.screenshots')}</h2>
          <ul class="fr-grid-row fr-grid-row--gutters fr-raw-list">
            {service.screenshots.map((shot) => (
              <li class="fr-col-6 fr-col-md-3" key={shot.id}>
                <img
                  class="fr-responsive-img"
                  src={imagePath(service.dossierId, shot)}
                  alt={shot.altText}
                  loading="lazy"
                />
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>{t('catalogue.service.exchange')}</h2>
      {service.dataExchange ? (
        <>
          <p>{t('catalogue.service.exchange_lead')}</p>
          <h3 class="fr-h6">{t('catalogue.service.finalites')}</h3>
          <ul>
            {service.finalites.map((f) => (
              <li key={f.code}>{f.title[locale]}</li>
            ))}
          </ul>
          <div class="fr-table">
            <table>
              <caption>{t('catalogue.service.categories_caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('catalogue.service.category')}</th>
                  <th scope="col">{t('catalogue.service.read')}</th>
                  <th scope="col">{t('catalogue.service.write')}</th>
                </tr>
              </thead>
              <tbody>
                {service.categories.map((c) => (
                  <tr key={c.code}>
                    <th scope="row">{c.title[locale]}</th>
                    <td>{t(c.read ? 'catalogue.service.yes' : 'catalogue.service.no')}</td>
                    <td>{t(c.write ? 'catalogue.service.yes' : 'catalogue.service.no')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p>{t('catalogue.service.no_exchange')}</p>
      )}

      <h2>{t('catalogue.service.details')}</h2>
      <ul>
        <li>
          {t('catalogue.service.publisher')} : {service.publisher}
        </li>
        <li>
          {t('catalogue.service.version')} : {service.version}
        </li>
        <li>
          {t('catalogue.service.thematics')} :{' '}
          {service.thematics.map((v) => t(`product.thematic.${v}`)).join(', ')}
        </li>
        <li>
          {t('catalogue.service.regions')} :{' '}
          {service.regions.length === 0
            ? t('catalogue.service.all_regions')
            : service.regions.map((v) => t(`product.region.${v}`)).join(', ')}
        </li>
        <li>
          {t('catalogue.service.audience')} :{' '}
          {service.audience.map((v) => t(`product.audience.${v}`)).join(', ')}
        </li>
        <li>
          {t('catalogue.service.economic_model')} : {t(`product.economic.${service.economicModel}`)}
        </li>
        <li>
          {t('catalogue.service.medical_device')} :{' '}
          {service.medicalDevice.is
            ? t('catalogue.service.medical_device_yes', { class: service.medicalDevice.class ?? '' })
            : t('catalogue.service.no')}
        </li>
        <li>
          {t('catalogue.service.platforms')} :{' '}
          {service.platforms.map((p) => t(`catalogue.platform.${p}`)).join(', ')}
        </li>
        <li>
          {t('catalogue.service.ecoscore')} :{' '}
          {service.ecoscore
            ? t('catalogue.service.ecoscore_value', {
                score: service.ecoscore.score,
                date: day(new Date(`${service.ecoscore.measuredOn}T12:00:00Z`)),
              })
            : t('catalogue.service.ecoscore_none')}
        </li>
      </ul>
      <p>
        {service.urls.cgu ? (
          <ExternalLink ctx={ctx} href={service.urls.cgu} label={t('catalogue.service.cgu')} />
        ) : null}
        {service.urls.cgu && service.urls.privacy ? ' · ' : null}
        {service.urls.privacy ? (
          <ExternalLink ctx={ctx} href={service.urls.privacy} label={t('catalogue.service.privacy')} />
        ) : null}
      </p>

      <h2>{t('catalogue.service.referencing')}</h2>
      <ul>
        <li>
          {t('catalogue.service.status')} : {t(`catalogue.status.${service.catalogueStatus}`)}
        </li>
        <li>
          {t('catalogue.service.published_at')} : {day(service.publishedAt)}
        </li>
        <li>
          {t('catalogue.service.valid_until')} : {day(service.referencedUntil)}
        </li>
        <li>
          {t('catalogue.service.oid')} : {service.oid}
        </li>
      </ul>

      <h2>{t('catalogue.service.report')}</h2>
      <p>{t('catalogue.service.report_lead')}</p>
      <p>
        <a class="fr-btn fr-btn--secondary" href={reportPath(service.dossierId)}>
          {t('catalogue.service.report')}
        </a>
      </p>
    </Page>
  );
}

/** A suspended or dereferenced service: only what a citizen who used it needs (no promotion of it). */
function NoticePage({ ctx, service }: { ctx: PageContext; service: ServiceDetail }) {
  const { t } = ctx;
  const status = service.catalogueStatus as 'SUSPENDUE' | 'DEREFERENCEE';
  return (
    <Page
      ctx={ctx}
      title={t(`catalogue.notice.${status}.title`)}
      css={['alert']}
      breadcrumb={[
        [t('nav.home'), '/'],
        [t('catalogue.title'), CATALOGUE_PATH],
        [service.name, servicePath(service.dossierId)],
      ]}
    >
      <h1>{service.name}</h1>
      <Alert kind="warning" title={t(`catalogue.notice.${status}.title`)}>
        <p>{t(`catalogue.notice.${status}.text`, { name: service.name, publisher: service.publisher })}</p>
      </Alert>
      <ul>
        <li>
          <a href="/usager/services">{t('catalogue.notice.my_services')}</a>
        </li>
        {status === 'SUSPENDUE' ? (
          <li>
            <a href={reportPath(service.dossierId)}>{t('catalogue.service.report')}</a>
          </li>
        ) : null}
        <li>
          <a href={CATALOGUE_PATH}>{t('catalogue.notice.back')}</a>
        </li>
      </ul>
    </Page>
  );
}

// ── routes ──────────────────────────────────────────────────────────────────

async function listPage(deps: CatalogueDeps, request: FastifyRequest, reply: FastifyReply) {
  const ctx = request.pageContext();
  const parsed = parseCatalogueQuery(request.query as Record<string, unknown>);
  if (!parsed.ok) {
    // The form again, with each bad parameter named beside its field; nothing searched.
    const fallback = parseCatalogueQuery({});
    const query = (fallback as { ok: true; query: CatalogueQuery }).query;
    const result: CataloguePage = { query, total: 0, pages: 1, entries: [] };
    return html(reply, 422, renderPage(<ListPage ctx={ctx} result={result} problems={parsed.problems} />));
  }
  const result = await searchCatalogue(deps, { ...parsed.query, parPage: PAGE_SIZE });
  const inline = await inlineLogos(
    deps,
    result.entries.flatMap((e) => (e.logo ? [e.logo] : [])),
  );
  return html(reply, 200, renderPage(<ListPage ctx={ctx} result={result} problems={{}} inline={inline} />));
}

export function cataloguePages(deps: CatalogueDeps) {
  return async (app: App) => {
    const config = { action: 'catalogue.view' as const };
    app.get(CATALOGUE_PATH, { config, schema: { hide: true } }, (request, reply) =>
      listPage(deps, request, reply),
    );

    app.get<{ Params: { dossierId: string } }>(
      '/services/:dossierId',
      { config, schema: { hide: true } },
      async (request, reply) => {
        const ctx = request.pageContext();
        const service = await publishedService(deps, { dossierId: request.params.dossierId });
        if (service.catalogueStatus === 'EN_LIGNE')
          return html(reply, 200, renderPage(<ServicePage ctx={ctx} service={service} />));
        // A citizen who linked a suspended or withdrawn service must learn why it stopped, and where to
        // unlink it; the others (pre-series, offline) are not in the catalogue at all.
        if (service.catalogueStatus === 'SUSPENDUE' || service.catalogueStatus === 'DEREFERENCEE') {
          reply.header('x-robots-tag', 'noindex');
          return html(
            reply,
            service.catalogueStatus === 'DEREFERENCEE' ? 410 : 200,
            renderPage(<NoticePage ctx={ctx} service={service} />),
          );
        }
        throw new AppError('not_found', 404, 'error.not_found');
      },
    );

    // The images of the services online only; other services' images stay with their publishers.
    app.get<{ Params: { dossierId: string; imageId: string } }>(
      '/services/:dossierId/images/:imageId',
      { config, schema: { hide: true } },
      async (request, reply) => {
        const image = await listedImage(deps, request.params.dossierId, request.params.imageId);
        const etag = `"${image.sha256}"`;
        reply
          .header('x-content-type-options', 'nosniff')
          .header('content-disposition', 'inline')
          .header('cache-control', 'public, max-age=3600')
          .header('etag', etag);
        if (request.headers['if-none-match'] === etag) return reply.code(304).send();
        return reply.header('content-type', image.mediaType).send(image.content);
      },
    );
  };
}
