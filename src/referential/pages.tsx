import type { AppContext } from '../app.ts';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { Page, type PageContext, renderPage } from '../web/layout.tsx';
import { fieldValue } from './describe.ts';
import type { Referentials } from './files.ts';
import {
  type Criterion,
  type CriterionChange,
  describeCondition,
  diffVersions,
  type ReferentialVersion,
  type VersionDiff,
} from './model.ts';

const HTML = 'text/html; charset=utf-8';

/** Where the versions are listed; a version is at `/referentiels/<id>`, a comparison at `…/<a>/diff/<b>`. */
export const REFERENTIALS_PAGE = '/referentiels';
export const versionPath = (id: string) => `${REFERENTIALS_PAGE}/${encodeURIComponent(id)}`;
export const diffPath = (from: string, to: string) => `${versionPath(from)}/diff/${encodeURIComponent(to)}`;

/** An anchor for a criterion (its id has spaces: « URB 01 » → critere-urb-01). */
const criterionAnchor = (id: string) => `critere-${id.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;

const formatDate = (date: string, ctx: PageContext) =>
  new Date(`${date}T12:00:00Z`).toLocaleDateString(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Paris',
  });

const notFound = () => new AppError('not_found', 404, 'referential.not_found');

function versionOrNotFound(referentials: Referentials, id: string): ReferentialVersion {
  const version = referentials.get(id);
  if (!version) throw notFound();
  return version;
}

// ── components ──────────────────────────────────────────────────────────────

/** The visible notice every page shows for each demonstration version it presents. */
function DemoNotice({ ctx, versions }: { ctx: PageContext; versions: ReferentialVersion[] }) {
  const demos = versions.filter((version) => version.status === 'demonstration');
  if (demos.length === 0) return null;
  return (
    <div class="fr-notice fr-notice--info fr-mb-4w">
      <div class="fr-container">
        <div class="fr-notice__body">
          <p>
            <span class="fr-notice__title">{ctx.t('referential.demo.title')}</span>{' '}
            {demos.map((version) => (
              <span class="fr-notice__desc" key={version.id}>
                {ctx.t('referential.demo.text', { id: version.id })}{' '}
              </span>
            ))}
          </p>
        </div>
      </div>
    </div>
  );
}

function StatusBadge({ ctx, version }: { ctx: PageContext; version: ReferentialVersion }) {
  return (
    <p
      class={`fr-badge fr-badge--sm fr-badge--no-icon ${version.status === 'official' ? 'fr-badge--success' : 'fr-badge--new'}`}
    >
      {ctx.t(`referential.status.${version.status}`)}
    </p>
  );
}

/** The level in words, never a colour alone. */
function LevelBadge({ ctx, criterion }: { ctx: PageContext; criterion: Criterion }) {
  return (
    <p
      class={`fr-badge fr-badge--sm fr-badge--no-icon ${criterion.level === 'obligatoire' ? 'fr-badge--warning' : 'fr-badge--info'}`}
    >
      {ctx.t(`referential.level.${criterion.level}`)}
    </p>
  );
}

function mandatoryCount(criteria: Criterion[]): number {
  return criteria.filter((criterion) => criterion.level === 'obligatoire').length;
}

function evidenceText(ctx: PageContext, criterion: Criterion): string {
  return criterion.evidence.map((kind) => ctx.t(`referential.evidence.${kind}`)).join(', ');
}

// ── the list of versions ────────────────────────────────────────────────────

function CompareForm({ ctx, referentials }: { ctx: PageContext; referentials: Referentials }) {
  const { t } = ctx;
  const [newest, previous] = referentials.versions;
  const options = (selected: string | undefined) =>
    referentials.versions.map((version) => (
      <option value={version.id} selected={version.id === selected} key={version.id}>
        {version.id} — {version.title[ctx.locale]}
      </option>
    ));
  return (
    <form method="get" action={`${REFERENTIALS_PAGE}/comparer`} class="fr-mt-6w">
      <fieldset class="fr-fieldset" aria-labelledby="comparer-legend">
        <legend class="fr-fieldset__legend" id="comparer-legend">
          <h2 class="fr-h4 fr-mb-0">{t('referential.compare.title')}</h2>
        </legend>
        <div class="fr-fieldset__element fr-col-12 fr-col-md-5">
          <div class="fr-select-group">
            <label class="fr-label" for="comparer-de">
              {t('referential.compare.from')}
            </label>
            <select class="fr-select" id="comparer-de" name="de">
              {options(previous?.id ?? newest?.id)}
            </select>
          </div>
        </div>
        <div class="fr-fieldset__element fr-col-12 fr-col-md-5">
          <div class="fr-select-group">
            <label class="fr-label" for="comparer-vers">
              {t('referential.compare.to')}
            </label>
            <select class="fr-select" id="comparer-vers" name="vers">
              {options(newest?.id)}
            </select>
          </div>
        </div>
        <div class="fr-fieldset__element">
          <button class="fr-btn" type="submit">
            {t('referential.compare.submit')}
          </button>
        </div>
      </fieldset>
    </form>
  );
}

function VersionList({ ctx, referentials }: { ctx: PageContext; referentials: Referentials }) {
  const { t } = ctx;
  const versions = referentials.versions;
  return (
    <Page ctx={ctx} title={t('referential.list.title')} css={['notice', 'badge', 'table', 'form', 'select']}>
      <h1>{t('referential.list.title')}</h1>
      <p class="fr-text--lead">{t('referential.list.lead')}</p>
      <DemoNotice ctx={ctx} versions={versions} />
      <div class="fr-table fr-table--no-caption">
        <table>
          <caption>{t('referential.list.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('referential.col.version')}</th>
              <th scope="col">{t('referential.col.status')}</th>
              <th scope="col">{t('referential.col.legal')}</th>
              <th scope="col">{t('referential.col.effective')}</th>
              <th scope="col">{t('referential.col.criteria')}</th>
              <th scope="col">{t('referential.col.compare')}</th>
            </tr>
          </thead>
          <tbody>
            {versions.map((version, index) => {
              const previous = versions[index + 1];
              return (
                <tr key={version.id}>
                  <th scope="row">
                    <a href={versionPath(version.id)}>{version.title[ctx.locale]}</a>
                    <br />
                    <span class="fr-text--sm">{version.id}</span>
                  </th>
                  <td>
                    <StatusBadge ctx={ctx} version={version} />
                    {index === 0 ? (
                      <p class="fr-badge fr-badge--sm fr-badge--green-emeraude fr-mt-1w">
                        {t('referential.newest')}
                      </p>
                    ) : null}
                  </td>
                  <td>{version.legalSource.text}</td>
                  <td>{formatDate(version.effectiveDate, ctx)}</td>
                  <td>
                    {t('referential.criteria_count', {
                      count: version.criteria.length,
                      mandatory: mandatoryCount(version.criteria),
                    })}
                  </td>
                  <td>
                    {previous ? (
                      <a href={diffPath(previous.id, version.id)}>
                        {t('referential.list.compare_previous', { id: previous.id })}
                      </a>
                    ) : (
                      t('referential.list.none')
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {versions.length > 1 ? <CompareForm ctx={ctx} referentials={referentials} /> : null}
    </Page>
  );
}

// ── one version ─────────────────────────────────────────────────────────────

function CriterionRow({
  ctx,
  version,
  criterion,
}: {
  ctx: PageContext;
  version: ReferentialVersion;
  criterion: Criterion;
}) {
  const { t } = ctx;
  return (
    <tr id={criterionAnchor(criterion.id)}>
      <th scope="row">{criterion.id}</th>
      <td>
        <strong>{criterion.title[ctx.locale]}</strong>
        {criterion.part !== 'base' ? (
          <span class="fr-tag fr-tag--sm fr-ml-1w">{t(`referential.version.part.${criterion.part}`)}</span>
        ) : null}
        <p class="fr-text--sm fr-mb-1w">{criterion.requirement[ctx.locale]}</p>
        {criterion.targetLevels ? (
          <p class="fr-text--sm fr-mb-1w">
            {t('referential.version.target_levels')}
            {t('referential.colon')}
            {criterion.targetLevels.map((level) => level[ctx.locale]).join(' ; ')}
          </p>
        ) : null}
        <p class="fr-text--xs fr-mb-0">
          {t('referential.version.evidence')}
          {t('referential.colon')}
          {evidenceText(ctx, criterion)}. {t('referential.version.source')}
          {t('referential.colon')}
          {criterion.source}
        </p>
      </td>
      <td>
        <LevelBadge ctx={ctx} criterion={criterion} />
      </td>
      <td>
        {describeCondition(version, criterion.appliesWhen, ctx.locale)}
        {criterion.notApplicableWhen ? (
          <p class="fr-text--sm fr-mt-1w fr-mb-0">
            {t('referential.version.not_applicable_when', {
              condition: describeCondition(version, criterion.notApplicableWhen, ctx.locale),
            })}
          </p>
        ) : null}
      </td>
    </tr>
  );
}

function CriteriaTable({
  ctx,
  version,
  caption,
  criteria,
}: {
  ctx: PageContext;
  version: ReferentialVersion;
  caption: string;
  criteria: Criterion[];
}) {
  const { t } = ctx;
  return (
    <div class="fr-table fr-table--no-caption">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('referential.col.id')}</th>
            <th scope="col">{t('referential.col.criterion')}</th>
            <th scope="col">{t('referential.col.level')}</th>
            <th scope="col">{t('referential.col.applies')}</th>
          </tr>
        </thead>
        <tbody>
          {criteria.map((criterion) => (
            <CriterionRow ctx={ctx} version={version} criterion={criterion} key={criterion.id} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function VersionPage({ ctx, version }: { ctx: PageContext; version: ReferentialVersion }) {
  const { t } = ctx;
  const title = version.title[ctx.locale];
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['notice', 'badge', 'table', 'tag']}
      breadcrumb={[
        [t('referential.list.title'), REFERENTIALS_PAGE],
        [title, versionPath(version.id)],
      ]}
    >
      <h1>{title}</h1>
      <DemoNotice ctx={ctx} versions={[version]} />
      <ul class="fr-mb-3w">
        <li>
          {t('referential.col.status')}
          {t('referential.colon')}
          {t(`referential.status.${version.status}`)} ({version.id})
        </li>
        <li>
          {t('referential.version.legal')}
          {t('referential.colon')}
          {version.legalSource.text}{' '}
          {t('referential.version.legal_date', { date: formatDate(version.legalSource.date, ctx) })}
        </li>
        <li>{t('referential.version.effective', { date: formatDate(version.effectiveDate, ctx) })}</li>
        {version.basedOn ? (
          <li>
            {t('referential.version.based_on')} <a href={versionPath(version.basedOn)}>{version.basedOn}</a> —{' '}
            <a href={diffPath(version.basedOn, version.id)}>
              {t('referential.version.compare_base', { id: version.basedOn })}
            </a>
          </li>
        ) : null}
        <li>
          {t('referential.criteria_count', {
            count: version.criteria.length,
            mandatory: mandatoryCount(version.criteria),
          })}
        </li>
      </ul>

      <div class="fr-table">
        <table>
          <caption>{t('referential.version.summary')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('referential.col.rubrique')}</th>
              <th scope="col">{t('referential.col.themes')}</th>
              <th scope="col">{t('referential.col.criteria')}</th>
              <th scope="col">{t('referential.col.mandatory')}</th>
              <th scope="col">{t('referential.col.optional')}</th>
            </tr>
          </thead>
          <tbody>
            {version.rubriques.map((rubrique) => {
              const criteria = version.criteria.filter((c) => c.rubrique === rubrique.id);
              const mandatory = mandatoryCount(criteria);
              return (
                <tr key={rubrique.id}>
                  <th scope="row">
                    <a href={`#rubrique-${rubrique.id}`}>{rubrique.title[ctx.locale]}</a>
                  </th>
                  <td>{rubrique.themes.length}</td>
                  <td>{criteria.length}</td>
                  <td>{mandatory}</td>
                  <td>{criteria.length - mandatory}</td>
                </tr>
              );
            })}
            <tr>
              <th scope="row">{t('referential.version.total')}</th>
              <td>{version.rubriques.reduce((n, r) => n + r.themes.length, 0)}</td>
              <td>{version.criteria.length}</td>
              <td>{mandatoryCount(version.criteria)}</td>
              <td>{version.criteria.length - mandatoryCount(version.criteria)}</td>
            </tr>
          </tbody>
        </table>
      </div>

      {version.rubriques.map((rubrique) => (
        <section key={rubrique.id} aria-labelledby={`rubrique-${rubrique.id}`} class="fr-mt-6w">
          <h2 id={`rubrique-${rubrique.id}`}>{rubrique.title[ctx.locale]}</h2>
          {rubrique.themes.map((theme) => {
            const criteria = version.criteria.filter(
              (c) => c.rubrique === rubrique.id && c.theme === theme.id,
            );
            return (
              <section key={theme.id} aria-labelledby={`theme-${rubrique.id}-${theme.id}`}>
                <h3 class="fr-h5" id={`theme-${rubrique.id}-${theme.id}`}>
                  {theme.title[ctx.locale]}
                </h3>
                {criteria.length === 0 ? (
                  <p>{t('referential.version.no_criteria')}</p>
                ) : (
                  <CriteriaTable
                    ctx={ctx}
                    version={version}
                    caption={t('referential.version.theme_caption', { theme: theme.title[ctx.locale] })}
                    criteria={criteria}
                  />
                )}
              </section>
            );
          })}
        </section>
      ))}

      <section aria-labelledby="questionnaire" class="fr-mt-6w">
        <h2 id="questionnaire">{t('referential.version.questionnaire')}</h2>
        <p>{t('referential.version.questionnaire_lead')}</p>
        <div class="fr-table fr-table--no-caption">
          <table>
            <caption>{t('referential.version.questionnaire')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('referential.col.question')}</th>
                <th scope="col">{t('referential.col.asked_when')}</th>
              </tr>
            </thead>
            <tbody>
              {version.questionnaire.map((question) => (
                <tr key={question.id}>
                  <th scope="row">
                    {question.label[ctx.locale]}
                    {question.options ? (
                      <span class="fr-text--sm">
                        {' '}
                        ({question.options.map((option) => option.label[ctx.locale]).join(', ')})
                      </span>
                    ) : null}
                  </th>
                  <td>
                    {question.showWhen
                      ? describeCondition(version, question.showWhen, ctx.locale)
                      : t('referential.version.always_asked')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Page>
  );
}

// ── a comparison ────────────────────────────────────────────────────────────

function ChangedCriterion({
  ctx,
  from,
  to,
  change,
}: {
  ctx: PageContext;
  from: ReferentialVersion;
  to: ReferentialVersion;
  change: CriterionChange;
}) {
  const { t } = ctx;
  const headingId = `modifie-${criterionAnchor(change.id)}`;
  return (
    <section aria-labelledby={headingId} class="fr-mb-4w">
      <h3 class="fr-h5" id={headingId}>
        {change.id} — {change.after.title[ctx.locale]}
      </h3>
      <p>
        {t('referential.diff.changed_fields', {
          fields: change.fields.map((field) => t(`referential.field.${field}`)).join(', '),
        })}
      </p>
      <div class="fr-table fr-table--no-caption">
        <table>
          <caption>{`${change.id} — ${change.after.title[ctx.locale]}`}</caption>
          <thead>
            <tr>
              <th scope="col">{t('referential.col.field')}</th>
              <th scope="col">{t('referential.col.before', { id: from.id })}</th>
              <th scope="col">{t('referential.col.after', { id: to.id })}</th>
            </tr>
          </thead>
          <tbody>
            {change.fields.map((field) => (
              <tr key={field}>
                <th scope="row">{t(`referential.field.${field}`)}</th>
                <td>{fieldValue(ctx, from, change.before, field)}</td>
                <td>{fieldValue(ctx, to, change.after, field)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function DiffPage({
  ctx,
  from,
  to,
  diff,
}: {
  ctx: PageContext;
  from: ReferentialVersion;
  to: ReferentialVersion;
  diff: VersionDiff;
}) {
  const { t } = ctx;
  const title = t('referential.diff.title', { from: from.id, to: to.id });
  const same = diff.added.length + diff.removed.length + diff.changed.length === 0;
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['notice', 'badge', 'table', 'tag']}
      breadcrumb={[
        [t('referential.list.title'), REFERENTIALS_PAGE],
        [to.title[ctx.locale], versionPath(to.id)],
        [title, diffPath(from.id, to.id)],
      ]}
    >
      <h1>{title}</h1>
      <p class="fr-text--lead">{t('referential.diff.lead', { from: from.id, to: to.id })}</p>
      <DemoNotice ctx={ctx} versions={from.id === to.id ? [to] : [from, to]} />
      {same ? <p>{t('referential.diff.same')}</p> : null}
      <section aria-labelledby="ajoutes">
        <h2 id="ajoutes">{t('referential.diff.added', { count: diff.added.length })}</h2>
        {diff.added.length === 0 ? (
          <p>{t('referential.diff.none')}</p>
        ) : (
          <CriteriaTable
            ctx={ctx}
            version={to}
            caption={t('referential.diff.added', { count: diff.added.length })}
            criteria={diff.added}
          />
        )}
      </section>
      <section aria-labelledby="retires">
        <h2 id="retires">{t('referential.diff.removed', { count: diff.removed.length })}</h2>
        {diff.removed.length === 0 ? (
          <p>{t('referential.diff.none')}</p>
        ) : (
          <CriteriaTable
            ctx={ctx}
            version={from}
            caption={t('referential.diff.removed', { count: diff.removed.length })}
            criteria={diff.removed}
          />
        )}
      </section>
      <section aria-labelledby="modifies">
        <h2 id="modifies">{t('referential.diff.changed', { count: diff.changed.length })}</h2>
        {diff.changed.length === 0 ? (
          <p>{t('referential.diff.none')}</p>
        ) : (
          diff.changed.map((change) => (
            <ChangedCriterion ctx={ctx} from={from} to={to} change={change} key={change.id} />
          ))
        )}
      </section>
    </Page>
  );
}

// ── routes ──────────────────────────────────────────────────────────────────

/** The public pages of the referential: anyone may read the versions and compare them. */
export function referentialPages(ctx: AppContext) {
  return async (app: App) => {
    const { referentials } = ctx;
    const page = { config: { action: 'public.view' as const }, schema: { hide: true } };

    app.get(REFERENTIALS_PAGE, page, async (request, reply) =>
      reply
        .type(HTML)
        .send(renderPage(<VersionList ctx={request.pageContext()} referentials={referentials} />)),
    );

    // The comparison form (a GET form: it changes nothing) leads to the comparison's own address.
    app.get<{ Querystring: { de?: string; vers?: string } }>(
      `${REFERENTIALS_PAGE}/comparer`,
      page,
      async (request, reply) => {
        const from = versionOrNotFound(referentials, String(request.query.de ?? ''));
        const to = versionOrNotFound(referentials, String(request.query.vers ?? ''));
        return reply.redirect(diffPath(from.id, to.id), 303);
      },
    );

    app.get<{ Params: { id: string } }>(`${REFERENTIALS_PAGE}/:id`, page, async (request, reply) => {
      const version = versionOrNotFound(referentials, request.params.id);
      return reply.type(HTML).send(renderPage(<VersionPage ctx={request.pageContext()} version={version} />));
    });

    app.get<{ Params: { from: string; to: string } }>(
      `${REFERENTIALS_PAGE}/:from/diff/:to`,
      page,
      async (request, reply) => {
        const from = versionOrNotFound(referentials, request.params.from);
        const to = versionOrNotFound(referentials, request.params.to);
        const diff = diffVersions(from, to);
        return reply
          .type(HTML)
          .send(renderPage(<DiffPage ctx={request.pageContext()} from={from} to={to} diff={diff} />));
      },
    );
  };
}
