import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import { listOrganisationsOf } from '../identity/index.ts';
import type { FieldErrors } from '../identity/model.ts';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import {
  Alert,
  ChoiceGroup,
  Csrf,
  FieldMessages,
  FormError,
  type PageError,
  pageErrorOf as pageError,
  SelectField,
  TextField,
} from '../web/components.tsx';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import {
  economicModels,
  inputOf,
  MAX_SCREENSHOTS,
  mayEditProduct,
  medicalDeviceClasses,
  type Product,
  type ProductImage,
  type ProductInput,
  productAudiences,
  productDevices,
  productOses,
  productRegions,
  productThematics,
  productUrlKinds,
} from './model.ts';
import { imageUrl, textField, uploadField } from './routes.ts';
import * as service from './service.ts';
import { ProductConflict, type ProductDeps } from './service.ts';

export const SERVICES_PAGE = '/editeur/services';

type Body = Record<string, unknown> | undefined;

// ── reading forms ───────────────────────────────────────────────────────────

function str(body: Body, name: string): string {
  const value = body?.[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  return typeof value === 'string' ? value : '';
}

function strs(body: Body, name: string): string[] {
  const value = body?.[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

/** The service form as the person filled it in. */
function formInput(body: Body): ProductInput {
  const urls: ProductInput['urls'] = {};
  for (const kind of productUrlKinds) urls[kind] = str(body, `url_${kind}`);
  const medicalDevice = str(body, 'medicalDevice') === 'oui';
  return {
    commercialName: str(body, 'commercialName'),
    os: str(body, 'os'),
    device: str(body, 'device'),
    version: str(body, 'version'),
    description: str(body, 'description'),
    urls,
    thematics: strs(body, 'thematics'),
    regions: strs(body, 'regions'),
    audience: strs(body, 'audience'),
    economicModel: str(body, 'economicModel'),
    medicalDevice,
    // A class left selected when « not a medical device » is chosen is dropped rather than refused.
    medicalDeviceClass: medicalDevice ? str(body, 'medicalDeviceClass') : '',
    dataExchange: str(body, 'dataExchange') === 'oui',
  };
}

const emptyInput: ProductInput = {
  commercialName: '',
  os: '',
  device: '',
  version: '',
  description: '',
  urls: {},
  thematics: [],
  regions: [],
  audience: [],
  economicModel: '',
  medicalDevice: false,
  medicalDeviceClass: '',
  dataExchange: false,
};

// ── components ──────────────────────────────────────────────────────────────

/** Labels of the form's fields, by the name their problems are reported under. */
function fieldLabels(ctx: PageContext): Record<string, [string, string]> {
  const { t } = ctx;
  const labels: Record<string, [string, string]> = {
    commercialName: [t('product.field.commercial_name'), 'f-commercialName'],
    os: [t('product.field.os'), 'f-os'],
    device: [t('product.field.device'), 'f-device'],
    version: [t('product.field.version'), 'f-version'],
    description: [t('product.field.description'), 'f-description'],
    thematics: [t('product.field.thematics'), 'f-thematics'],
    regions: [t('product.field.regions'), 'f-regions'],
    audience: [t('product.field.audience'), 'f-audience'],
    economicModel: [t('product.field.economic_model'), 'f-economicModel'],
    medicalDeviceClass: [t('product.field.medical_device_class'), 'f-medicalDeviceClass'],
    dataExchange: [t('product.field.typology'), 'f-dataExchange'],
    file: [t('product.images.file'), 'f-file'],
    altText: [t('product.images.alt'), 'f-altText'],
    kind: [t('product.images.kind'), 'f-kind'],
  };
  for (const kind of productUrlKinds)
    labels[`urls.${kind}`] = [t(`product.field.url_${kind}`), `f-url_${kind}`];
  return labels;
}

function formatDate(ctx: PageContext, date: Date): string {
  return date.toLocaleString(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Europe/Paris',
  });
}

function TypologyBadge({ ctx, dataExchange }: { ctx: PageContext; dataExchange: boolean }) {
  return (
    <span class={`fr-badge fr-badge--sm fr-badge--${dataExchange ? 'new' : 'info'} fr-badge--no-icon`}>
      {ctx.t(dataExchange ? 'product.field.data_exchange_yes' : 'product.field.data_exchange_no')}
    </span>
  );
}

const css = ['form', 'input', 'select', 'checkbox', 'radio', 'alert', 'badge', 'table', 'upload'] as const;

// ── the service form ────────────────────────────────────────────────────────

function ProductForm({
  ctx,
  action,
  values,
  errors = {},
  rowVersion,
  submit,
}: {
  ctx: PageContext;
  action: string;
  values: ProductInput;
  errors?: FieldErrors;
  rowVersion?: number;
  submit: string;
}) {
  const { t } = ctx;
  const option = (prefix: string) => (v: string) => [v, t(`${prefix}.${v}`)] as [string, string];
  return (
    <form method="post" action={action} id="formulaire-service" novalidate>
      <Csrf ctx={ctx} />
      {rowVersion !== undefined ? <input type="hidden" name="rowVersion" value={String(rowVersion)} /> : null}
      <TextField
        ctx={ctx}
        id="f-commercialName"
        name="commercialName"
        label={t('product.field.commercial_name')}
        hint={t('product.field.commercial_name_hint')}
        value={values.commercialName}
        error={errors.commercialName}
        required
        autocomplete="off"
      />
      <SelectField
        ctx={ctx}
        id="f-os"
        name="os"
        label={t('product.field.os')}
        options={productOses.map(option('product.os'))}
        value={values.os}
        error={errors.os}
        placeholder="—"
      />
      <SelectField
        ctx={ctx}
        id="f-device"
        name="device"
        label={t('product.field.device')}
        options={productDevices.map(option('product.device'))}
        value={values.device}
        error={errors.device}
        placeholder="—"
      />
      <TextField
        ctx={ctx}
        id="f-version"
        name="version"
        label={t('product.field.version')}
        value={values.version}
        error={errors.version}
        required
        autocomplete="off"
      />
      <TextField
        ctx={ctx}
        id="f-description"
        name="description"
        label={t('product.field.description')}
        hint={t('product.field.description_hint')}
        value={values.description}
        error={errors.description}
        multiline
        required
      />
      <fieldset class="fr-fieldset" id="f-urls" aria-labelledby="f-urls-legend">
        <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="f-urls-legend">
          {t('product.field.urls')}
          <span class="fr-hint-text">{t('product.field.urls_hint')}</span>
        </legend>
        {productUrlKinds.map((kind) => (
          <div class="fr-fieldset__element" key={kind}>
            <TextField
              ctx={ctx}
              id={`f-url_${kind}`}
              name={`url_${kind}`}
              label={t(`product.field.url_${kind}`)}
              value={values.urls[kind] ?? ''}
              error={errors[`urls.${kind}`]}
              type="url"
              autocomplete="url"
            />
          </div>
        ))}
      </fieldset>
      <ChoiceGroup
        ctx={ctx}
        id="f-thematics"
        name="thematics"
        legend={t('product.field.thematics')}
        type="checkbox"
        options={productThematics.map(option('product.thematic'))}
        checked={values.thematics}
        error={errors.thematics}
      />
      <ChoiceGroup
        ctx={ctx}
        id="f-audience"
        name="audience"
        legend={t('product.field.audience')}
        type="checkbox"
        options={productAudiences.map(option('product.audience'))}
        checked={values.audience}
        error={errors.audience}
      />
      <ChoiceGroup
        ctx={ctx}
        id="f-regions"
        name="regions"
        legend={t('product.field.regions')}
        hint={t('product.field.regions_hint')}
        type="checkbox"
        options={productRegions.map(option('product.region'))}
        checked={values.regions}
        error={errors.regions}
      />
      <ChoiceGroup
        ctx={ctx}
        id="f-economicModel"
        name="economicModel"
        legend={t('product.field.economic_model')}
        type="radio"
        options={economicModels.map(option('product.economic'))}
        checked={[values.economicModel]}
        error={errors.economicModel}
      />
      <ChoiceGroup
        ctx={ctx}
        id="f-medicalDevice"
        name="medicalDevice"
        legend={t('product.field.medical_device')}
        type="radio"
        inline
        options={[
          ['oui', t('product.field.yes')],
          ['non', t('product.field.no')],
        ]}
        checked={[values.medicalDevice ? 'oui' : 'non']}
      />
      <SelectField
        ctx={ctx}
        id="f-medicalDeviceClass"
        name="medicalDeviceClass"
        label={t('product.field.medical_device_class')}
        options={medicalDeviceClasses.map((c) => [c, c] as [string, string])}
        value={values.medicalDeviceClass}
        error={errors.medicalDeviceClass}
        placeholder={t('product.field.medical_device_none')}
      />
      <ChoiceGroup
        ctx={ctx}
        id="f-dataExchange"
        name="dataExchange"
        legend={t('product.field.data_exchange')}
        type="radio"
        inline
        options={[
          ['oui', t('product.field.yes')],
          ['non', t('product.field.no')],
        ]}
        checked={[values.dataExchange ? 'oui' : 'non']}
      />
      <button type="submit" class="fr-btn">
        {submit}
      </button>
    </form>
  );
}

// ── pages ───────────────────────────────────────────────────────────────────

function ListPage({ ctx, groups }: { ctx: PageContext; groups: service.OrganisationProducts[] }) {
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('product.title')}
      css={['alert', 'badge', 'table']}
      breadcrumb={[
        [t('identity.publisher.title'), '/editeur'],
        [t('product.title'), SERVICES_PAGE],
      ]}
    >
      <h1>{t('product.title')}</h1>
      <p>{t('product.intro')}</p>
      {groups.length === 0 ? (
        <Alert kind="info">
          <p>{t('product.none')}</p>
        </Alert>
      ) : null}
      {groups.map(({ organisation, products }) => (
        <section key={organisation.id} aria-labelledby={`org-${organisation.id}`}>
          <h2 id={`org-${organisation.id}`}>{organisation.legalName}</h2>
          {products.length === 0 ? (
            <p>{t('product.organisation_empty')}</p>
          ) : (
            <div class="fr-table fr-table--multiline fr-table--no-caption">
              <div class="fr-table__wrapper">
                <div class="fr-table__container">
                  <div class="fr-table__content">
                    <table>
                      <caption>{t('product.list_caption', { name: organisation.legalName })}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t('product.field.display_name')}</th>
                          <th scope="col">{t('product.field.version')}</th>
                          <th scope="col">{t('product.field.typology')}</th>
                          <th scope="col">{t('product.field.economic_model')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {products.map((p) => (
                          <tr key={p.id}>
                            <th scope="row">
                              <a class="fr-link" href={`${SERVICES_PAGE}/${p.id}`}>
                                {p.displayName}
                              </a>
                            </th>
                            <td>{p.version}</td>
                            <td>
                              <TypologyBadge ctx={ctx} dataExchange={p.dataExchange} />
                            </td>
                            <td>{t(`product.economic.${p.economicModel}`)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </div>
              </div>
            </div>
          )}
          {organisation.status === 'active' ? (
            <p>
              <a
                class="fr-btn fr-btn--secondary"
                href={`/editeur/organisations/${organisation.id}/services/nouveau`}
                aria-label={`${t('product.create_link')} — ${organisation.legalName}`}
              >
                {t('product.create_link')}
              </a>
            </p>
          ) : (
            <Alert kind="warning">
              <p>{t('product.organisation_suspended')}</p>
            </Alert>
          )}
        </section>
      ))}
    </Page>
  );
}

function CreatePage({
  ctx,
  organisation,
  values,
  error,
}: {
  ctx: PageContext;
  organisation: { id: string; legalName: string };
  values: ProductInput;
  error?: PageError;
}) {
  const { t } = ctx;
  const title = t('product.create_title', { name: organisation.legalName });
  return (
    <Page
      ctx={ctx}
      title={title}
      css={[...css]}
      breadcrumb={[
        [t('identity.publisher.title'), '/editeur'],
        [t('product.title'), SERVICES_PAGE],
        [title, `/editeur/organisations/${organisation.id}/services/nouveau`],
      ]}
    >
      <h1>{title}</h1>
      <p>{t('product.intro')}</p>
      <FormError ctx={ctx} targets={fieldLabels(ctx)} error={error} />
      <ProductForm
        ctx={ctx}
        action={`/editeur/organisations/${organisation.id}/services`}
        values={values}
        errors={error?.fields}
        submit={t('product.create_submit')}
      />
    </Page>
  );
}

/** How a field's value reads in the conflict table. */
function describe(ctx: PageContext, field: string, input: ProductInput): string {
  const { t } = ctx;
  const joined = (prefix: string, values: string[], none = '—') =>
    values.length ? values.map((v) => t(`${prefix}.${v}`)).join(', ') : none;
  switch (field) {
    case 'os':
      return input.os ? t(`product.os.${input.os}`) : '—';
    case 'device':
      return input.device ? t(`product.device.${input.device}`) : '—';
    case 'urls':
      return (
        productUrlKinds
          .filter((k) => input.urls[k])
          .map((k) => `${t(`product.field.url_${k}`)} : ${input.urls[k]}`)
          .join(' ; ') || '—'
      );
    case 'thematics':
      return joined('product.thematic', input.thematics);
    case 'regions':
      return joined('product.region', input.regions, t('product.field.all_regions'));
    case 'audience':
      return joined('product.audience', input.audience);
    case 'economicModel':
      return input.economicModel ? t(`product.economic.${input.economicModel}`) : '—';
    case 'medicalDevice':
      return input.medicalDevice
        ? `${t('product.field.yes')} (${input.medicalDeviceClass || '—'})`
        : t('product.field.no');
    case 'dataExchange':
      return t(input.dataExchange ? 'product.field.data_exchange_yes' : 'product.field.data_exchange_no');
    default:
      return String((input as unknown as Record<string, unknown>)[field] ?? '') || '—';
  }
}

const conflictFields = [
  ['commercialName', 'product.field.commercial_name'],
  ['os', 'product.field.os'],
  ['device', 'product.field.device'],
  ['version', 'product.field.version'],
  ['description', 'product.field.description'],
  ['urls', 'product.field.urls'],
  ['thematics', 'product.field.thematics'],
  ['audience', 'product.field.audience'],
  ['regions', 'product.field.regions'],
  ['economicModel', 'product.field.economic_model'],
  ['medicalDevice', 'product.field.medical_device_class'],
  ['dataExchange', 'product.field.typology'],
] as const;

/** The colleague's change next to the person's own, field by field, where they differ. */
function ConflictNotice({
  ctx,
  current,
  yours,
}: {
  ctx: PageContext;
  current: Product;
  yours: ProductInput;
}) {
  const { t } = ctx;
  const saved = inputOf(current);
  const rows = conflictFields.filter(
    ([field]) => describe(ctx, field, saved) !== describe(ctx, field, yours),
  );
  return (
    <div class="fr-alert fr-alert--warning fr-mb-3w" role="alert">
      <h2 class="fr-alert__title">{t('product.conflict.title')}</h2>
      <p>{t('product.conflict', { version: current.rowVersion })}</p>
      {rows.length > 0 ? (
        <div class="fr-table fr-table--multiline fr-mt-2w">
          <div class="fr-table__wrapper">
            <div class="fr-table__container">
              <div class="fr-table__content">
                <table>
                  <caption>{t('product.conflict.caption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('product.conflict.field')}</th>
                      <th scope="col">{t('product.conflict.current')}</th>
                      <th scope="col">{t('product.conflict.yours')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map(([field, label]) => (
                      <tr key={field}>
                        <th scope="row">{t(label)}</th>
                        <td>{describe(ctx, field, saved)}</td>
                        <td>{describe(ctx, field, yours)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      ) : null}
      <p>{t('product.conflict.next')}</p>
    </div>
  );
}

function Images({
  ctx,
  product,
  images,
  editable,
  maxBytes,
  errors = {},
}: {
  ctx: PageContext;
  product: Product;
  images: ProductImage[];
  editable: boolean;
  maxBytes: number;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const logo = images.find((i) => i.kind === 'logo');
  const screenshots = images.filter((i) => i.kind === 'screenshot');
  const base = `${SERVICES_PAGE}/${product.id}`;
  const details = (i: ProductImage) =>
    t('product.images.details', {
      type: i.mediaType.replace('image/', '').toUpperCase(),
      size: Math.max(1, Math.round(i.sizeBytes / 1024)),
    });
  const remove = (i: ProductImage, name: string) =>
    editable ? (
      <form method="post" action={`${base}/images/${i.id}/suppression`} class="mesref-inline-form">
        <Csrf ctx={ctx} />
        <button
          type="submit"
          class="fr-btn fr-btn--sm fr-btn--secondary"
          title={t('product.images.remove_label', { name })}
          aria-label={t('product.images.remove_label', { name })}
        >
          {t('product.images.remove')}
        </button>
      </form>
    ) : null;
  const logoAlt = t('product.images.logo_alt', { name: product.displayName });
  return (
    <section aria-labelledby="images-title">
      <h2 id="images-title">{t('product.images.title')}</h2>
      <h3>{t('product.images.logo')}</h3>
      {logo ? (
        <figure class="fr-mb-3w">
          <img src={imageUrl(product.id, logo.id)} alt={logoAlt} width={96} />
          <figcaption class="fr-text--sm">{details(logo)}</figcaption>
          {remove(logo, logoAlt)}
        </figure>
      ) : (
        <p>{t('product.images.no_logo')}</p>
      )}
      <h3>{t('product.images.screenshots', { count: screenshots.length, max: MAX_SCREENSHOTS })}</h3>
      {screenshots.length === 0 ? (
        <p>{t('product.images.no_screenshots')}</p>
      ) : (
        <ul class="fr-raw-list">
          {screenshots.map((s) => (
            <li key={s.id} class="fr-mb-2w">
              <figure>
                <img src={imageUrl(product.id, s.id)} alt={s.altText} width={240} />
                <figcaption class="fr-text--sm">
                  {s.altText} — {details(s)}
                </figcaption>
                {remove(s, s.altText)}
              </figure>
            </li>
          ))}
        </ul>
      )}
      {editable ? (
        <form method="post" action={`${base}/images`} encType="multipart/form-data" id="formulaire-image">
          <Csrf ctx={ctx} />
          <h3>{t('product.images.add_title')}</h3>
          <ChoiceGroup
            ctx={ctx}
            id="f-kind"
            name="kind"
            legend={t('product.images.kind')}
            type="radio"
            inline
            options={[
              ['logo', t('product.images.kind_logo')],
              ['screenshot', t('product.images.kind_screenshot')],
            ]}
            checked={[logo ? 'screenshot' : 'logo']}
            error={errors.kind}
          />
          <div class={`fr-upload-group${errors.file ? ' fr-upload-group--error' : ''}`}>
            <label class="fr-label" for="f-file">
              {t('product.images.file')}
              <span class="fr-hint-text">
                {t('product.images.file_hint', { max: Math.floor(maxBytes / 1024) })}
              </span>
            </label>
            <input
              class="fr-upload"
              type="file"
              id="f-file"
              name="file"
              accept="image/png,image/jpeg,image/webp"
              aria-describedby="f-file-messages"
              aria-invalid={errors.file ? 'true' : undefined}
            />
            <FieldMessages ctx={ctx} id="f-file" error={errors.file} />
          </div>
          <TextField
            ctx={ctx}
            id="f-altText"
            name="altText"
            label={t('product.images.alt')}
            hint={t('product.images.alt_hint')}
            value=""
            error={errors.altText}
            autocomplete="off"
          />
          <button type="submit" class="fr-btn fr-btn--secondary">
            {t('product.images.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

function Summary({ ctx, product }: { ctx: PageContext; product: Product }) {
  const { t } = ctx;
  const input = inputOf(product);
  return (
    <dl>
      {conflictFields.map(([field, label]) => (
        <div key={field} class="fr-mb-1w">
          <dt class="fr-text--bold">{t(label)}</dt>
          <dd>{describe(ctx, field, input)}</dd>
        </div>
      ))}
    </dl>
  );
}

const flashes: Record<string, string> = {
  created: 'product.created',
  updated: 'product.updated',
  image_added: 'product.image_added',
  image_removed: 'product.image_removed',
};

function ProductPage({
  ctx,
  product,
  images,
  maxBytes,
  values,
  error,
  imageErrors,
  conflict,
  flash,
}: {
  ctx: PageContext;
  product: Product;
  images: ProductImage[];
  maxBytes: number;
  values?: ProductInput;
  error?: PageError;
  imageErrors?: PageError;
  conflict?: { yours: ProductInput };
  flash?: string;
}) {
  const { t } = ctx;
  const editable = mayEditProduct(ctx.actor, product);
  const title = t('product.edit_title', { name: product.displayName });
  return (
    <Page
      ctx={ctx}
      title={title}
      css={[...css]}
      breadcrumb={[
        [t('identity.publisher.title'), '/editeur'],
        [t('product.title'), SERVICES_PAGE],
        [product.displayName, `${SERVICES_PAGE}/${product.id}`],
      ]}
    >
      <h1>{title}</h1>
      <p>
        <TypologyBadge ctx={ctx} dataExchange={product.dataExchange} />{' '}
        <span class="fr-text--sm">
          {t('product.version_info', {
            version: product.rowVersion,
            date: formatDate(ctx, product.updatedAt),
          })}
        </span>
      </p>
      <nav aria-label={t('product.preparation')}>
        <ul>
          <li>
            <a class="fr-link" href={`${SERVICES_PAGE}/${product.id}/auto-evaluation`}>
              {t('product.preparation.assessment')}
            </a>
          </li>
          <li>
            <a class="fr-link" href={`${SERVICES_PAGE}/${product.id}/parcours`}>
              {t('product.preparation.pathway')}
            </a>
          </li>
          <li>
            <a class="fr-link" href={`${SERVICES_PAGE}/${product.id}/ecoscore`}>
              {t('ecoscore.link')}
            </a>
          </li>
        </ul>
      </nav>
      {flash ? (
        <Alert kind="success">
          <p>{t(flash)}</p>
        </Alert>
      ) : null}
      {conflict ? <ConflictNotice ctx={ctx} current={product} yours={conflict.yours} /> : null}
      <FormError ctx={ctx} targets={fieldLabels(ctx)} error={error} />
      <FormError ctx={ctx} targets={fieldLabels(ctx)} error={imageErrors} />
      {editable ? (
        <ProductForm
          ctx={ctx}
          action={`${SERVICES_PAGE}/${product.id}`}
          values={values ?? inputOf(product)}
          errors={error?.fields}
          rowVersion={product.rowVersion}
          submit={t('product.edit_submit')}
        />
      ) : (
        <>
          <Alert kind="info">
            <p>{t('product.read_only')}</p>
          </Alert>
          <Summary ctx={ctx} product={product} />
        </>
      )}
      <Images
        ctx={ctx}
        product={product}
        images={images}
        editable={editable}
        maxBytes={maxBytes}
        errors={imageErrors?.fields}
      />
    </Page>
  );
}

// ── routes ──────────────────────────────────────────────────────────────────

/** « Mes services »: the list, the creation form, a service's page with its form and images. */
export function productPages(ctx: AppContext, deps: ProductDeps) {
  const maxBytes = ctx.config.productImageMaxBytes;
  return async (app: App) => {
    const hide = { hide: true };
    type OrgParams = { Params: { orgId: string } };
    type IdParams = { Params: { id: string } };
    type ImageParams = { Params: { id: string; imageId: string } };
    const orgOf = (request: FastifyRequest) => ({
      organisationId: (request.params as { orgId: string }).orgId,
    });

    // A form the multipart reader refuses (too many parts or files, a cut request) is shown again, with why.
    app.setErrorHandler((error, request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 500;
      const id = (request.params as { id?: string }).id;
      if (
        !(error instanceof AppError) &&
        id &&
        request.method === 'POST' &&
        /\/images$/.test(request.url.split('?')[0]) &&
        status >= 400 &&
        status < 500
      ) {
        return showProduct(request, reply, id, status, {
          imageErrors: { message: request.t('product.image.unreadable'), fields: {} },
        });
      }
      throw error;
    });

    const organisationOf = async (request: FastifyRequest, organisationId: string) => {
      const actor = request.actor;
      if (actor.kind !== 'account') return undefined;
      return (await listOrganisationsOf(ctx.db, actor.accountId)).find((o) => o.id === organisationId);
    };

    const showProduct = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: string,
      status: number,
      options: {
        product?: Product;
        values?: ProductInput;
        error?: PageError;
        imageErrors?: PageError;
        conflict?: { yours: ProductInput };
      } = {},
    ) => {
      const product = options.product ?? (await service.getProductFor(deps, request.actor, id));
      const images = await service.listProductImages(deps, request.actor, product.id);
      const flash = flashes[str(request.query as Body, 'ok')];
      return html(
        reply,
        status,
        renderPage(
          <ProductPage
            ctx={request.pageContext()}
            product={product}
            images={images}
            maxBytes={maxBytes}
            values={options.values}
            error={options.error}
            imageErrors={options.imageErrors}
            conflict={options.conflict}
            flash={status === 200 ? flash : undefined}
          />,
        ),
      );
    };

    app.get(SERVICES_PAGE, { config: { action: 'account.self' }, schema: hide }, async (request, reply) =>
      html(
        reply,
        200,
        renderPage(
          <ListPage ctx={request.pageContext()} groups={await service.listMyProducts(deps, request.actor)} />,
        ),
      ),
    );

    const showCreate = async (
      request: FastifyRequest,
      reply: FastifyReply,
      status: number,
      values: ProductInput,
      error?: PageError,
    ) => {
      const { organisationId } = orgOf(request);
      const organisation = await organisationOf(request, organisationId);
      if (!organisation) throw new AppError('not_found', 404, 'error.not_found');
      return html(
        reply,
        status,
        renderPage(
          <CreatePage
            ctx={request.pageContext()}
            organisation={organisation}
            values={values}
            error={error}
          />,
        ),
      );
    };

    app.get<OrgParams>(
      '/editeur/organisations/:orgId/services/nouveau',
      { config: { action: 'product.edit', resource: orgOf }, schema: hide },
      (request, reply) => showCreate(request, reply, 200, emptyInput),
    );

    app.post<OrgParams>(
      '/editeur/organisations/:orgId/services',
      { config: { action: 'product.edit', resource: orgOf }, schema: hide },
      async (request, reply) => {
        const values = formInput(request.body as Body);
        try {
          const product = await service.createProduct(deps, request.actor, request.params.orgId, values);
          return reply.redirect(`${SERVICES_PAGE}/${product.id}?ok=created`, 303);
        } catch (error) {
          if (error instanceof AppError && error.status < 500 && error.status !== 404) {
            return showCreate(request, reply, error.status, values, pageError(request, error));
          }
          throw error;
        }
      },
    );

    app.get<IdParams>(
      `${SERVICES_PAGE}/:id`,
      { config: { action: 'product.view_one' }, schema: hide },
      (request, reply) => showProduct(request, reply, request.params.id, 200),
    );

    app.post<IdParams>(
      `${SERVICES_PAGE}/:id`,
      { config: { action: 'product.edit_one' }, schema: hide },
      async (request, reply) => {
        const body = request.body as Body;
        const values = formInput(body);
        const rowVersion = Number(str(body, 'rowVersion'));
        try {
          // Without a version the form was not ours: it can only be a conflict with what is stored.
          await service.updateProduct(
            deps,
            request.actor,
            request.params.id,
            Number.isSafeInteger(rowVersion) ? rowVersion : 0,
            values,
          );
          return reply.redirect(`${SERVICES_PAGE}/${request.params.id}?ok=updated`, 303);
        } catch (error) {
          if (error instanceof ProductConflict) {
            return showProduct(request, reply, request.params.id, 409, {
              product: error.current,
              values,
              conflict: { yours: values },
            });
          }
          if (error instanceof AppError && error.status === 422) {
            return showProduct(request, reply, request.params.id, 422, {
              values,
              error: pageError(request, error),
            });
          }
          throw error;
        }
      },
    );

    app.post<IdParams>(
      `${SERVICES_PAGE}/:id/images`,
      { config: { action: 'product.edit_one' }, schema: hide },
      async (request, reply) => {
        const upload = uploadField(request.body);
        try {
          await service.addProductImage(deps, request.actor, request.params.id, {
            kind: textField(request.body, 'kind'),
            altText: textField(request.body, 'altText'),
            bytes: upload?.bytes ?? Buffer.alloc(0),
          });
          return reply.redirect(`${SERVICES_PAGE}/${request.params.id}?ok=image_added#images-title`, 303);
        } catch (error) {
          if (error instanceof AppError && [409, 413, 422].includes(error.status)) {
            const imageErrors = pageError(request, error);
            return showProduct(request, reply, request.params.id, error.status, { imageErrors });
          }
          throw error;
        }
      },
    );

    app.post<ImageParams>(
      `${SERVICES_PAGE}/:id/images/:imageId/suppression`,
      { config: { action: 'product.edit_one' }, schema: hide },
      async (request, reply) => {
        await service.removeProductImage(deps, request.actor, request.params.id, request.params.imageId);
        return reply.redirect(`${SERVICES_PAGE}/${request.params.id}?ok=image_removed#images-title`, 303);
      },
    );
  };
}
