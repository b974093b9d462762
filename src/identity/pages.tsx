import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { AppContext } from '../app.ts';
import { AppError } from '../platform/errors.ts';
import { type App, LOCALE_COOKIE } from '../platform/http.ts';
import type { Locale } from '../platform/i18n.ts';
import {
  Alert,
  Csrf,
  type PageError,
  pageErrorOf as pageError,
  SelectField as SharedSelect,
  TextField,
} from '../web/components.tsx';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import {
  type AccountActor,
  API_TOKEN_MAX_DAYS,
  type FieldErrors,
  grantableRoles,
  isOrganisationRole,
  landingPath,
  MIN_PASSWORD_LENGTH,
  type OrganisationRole,
  type StaffRole,
  safeReturnPath,
  staffRoles,
} from './model.ts';
import type { IdentityDeps } from './service.ts';
import * as service from './service.ts';
import { closeSession, openSession, sessionIdOf } from './sessions.ts';
import { groupSecret } from './totp.ts';

type Body = Record<string, unknown>;
type Values = Record<string, string>;

/** A form field's value as text: forms send strings; anything else counts as empty. */
function str(body: unknown, name: string): string {
  const value = (body as Body | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

function query(request: FastifyRequest, name: string): string {
  return str(request.query, name);
}

// ── components ──────────────────────────────────────────────────────────────

interface FieldProps {
  ctx: PageContext;
  name: string;
  label: string;
  hint?: string;
  type?: string;
  value?: string;
  errors?: FieldErrors;
  autocomplete?: string;
  required?: boolean;
  inputmode?: 'numeric' | 'email' | 'text';
  /** Form prefix, so two forms on one page keep distinct ids. */
  idPrefix?: string;
  min?: number;
  max?: number;
}

/** A text input of these forms: its id from the form's prefix and its name, its error from the form's errors. */
function Field(props: FieldProps) {
  const { errors, idPrefix, type, inputmode, ...rest } = props;
  return (
    <TextField
      {...rest}
      id={`${idPrefix ?? 'f'}-${props.name}`}
      type={type as Parameters<typeof TextField>[0]['type']}
      inputMode={inputmode}
      error={errors?.[props.name]}
    />
  );
}

function SelectField(props: {
  ctx: PageContext;
  name: string;
  label: string;
  options: Array<[string, string]>;
  value?: string;
  errors?: FieldErrors;
  idPrefix?: string;
}) {
  const { errors, idPrefix, ...rest } = props;
  return <SharedSelect {...rest} id={`${idPrefix ?? 'f'}-${props.name}`} error={errors?.[props.name]} />;
}

/** The alert above a form: the error's message, and the fields to correct. */
function FormError({ ctx, error }: { ctx: PageContext; error?: PageError }) {
  if (!error) return null;
  return (
    <Alert kind="error" title={ctx.t('identity.form.error_title')}>
      <p>{error.message}</p>
    </Alert>
  );
}

function Flash({ ctx, flash }: { ctx: PageContext; flash?: string }) {
  if (!flash) return null;
  return (
    <Alert kind="success">
      <p>{ctx.t(flash)}</p>
    </Alert>
  );
}

function RoleBadge({ ctx, role }: { ctx: PageContext; role: OrganisationRole | StaffRole }) {
  const kind = role === 'mandataire' || role === 'admin' ? 'new' : role === 'representant' ? 'info' : '';
  return (
    <span class={`fr-badge fr-badge--sm${kind ? ` fr-badge--${kind}` : ''}`}>{ctx.t(`role.${role}`)}</span>
  );
}

/**
 * A DSFR table; `hideCaption` when a heading just above already says what the caption says. Multiline (DSFR's
 * documented variant): its cells wrap to fit the column, and a table too wide for a small screen scrolls in its
 * own box instead of widening the whole page sideways (WCAG 1.4.10).
 */
function Table({
  caption,
  head,
  children,
  hideCaption = false,
}: {
  caption: string;
  head: string[];
  children: ComponentChildren;
  hideCaption?: boolean;
}) {
  return (
    <div class={`fr-table fr-table--multiline${hideCaption ? ' fr-table--no-caption' : ''}`}>
      <div class="fr-table__wrapper">
        <div class="fr-table__container">
          <div class="fr-table__content">
            <table>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  {head.map((h) => (
                    <th scope="col" key={h}>
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>{children}</tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

function formatDate(ctx: PageContext, date: Date, withTime = false): string {
  return date.toLocaleString(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' } : {}),
    timeZone: 'Europe/Paris',
  });
}

/**
 * A small form with one button (revoke, remove, unlock…). `title` says what the button acts on ("Retirer
 * Camille Martin de l’organisation"): it is also the button's accessible name, so a column of "Retirer" buttons
 * tells a screen reader whom each one removes. Every such title starts with the visible label (WCAG 2.5.3).
 */
function ButtonForm({
  ctx,
  action,
  label,
  secondary = true,
  title,
  hidden = {},
}: {
  ctx: PageContext;
  action: string;
  label: string;
  secondary?: boolean;
  title?: string;
  hidden?: Record<string, string>;
}) {
  return (
    <form method="post" action={action} class="mesref-inline-form">
      <Csrf ctx={ctx} />
      {Object.entries(hidden).map(([name, value]) => (
        <input type="hidden" name={name} value={value} key={name} />
      ))}
      <button
        type="submit"
        class={`fr-btn fr-btn--sm${secondary ? ' fr-btn--secondary' : ''}`}
        title={title}
        aria-label={title}
      >
        {label}
      </button>
    </form>
  );
}

const flashes: Record<string, string> = {
  verified: 'identity.flash.verified',
  password_reset: 'identity.flash.password_reset',
  invitation: 'identity.flash.invitation',
  profile: 'identity.flash.profile',
  password: 'identity.flash.password',
  totp_enabled: 'identity.flash.totp_enabled',
  totp_disabled: 'identity.flash.totp_disabled',
  token_revoked: 'identity.flash.token_revoked',
  invited: 'identity.flash.invited',
  role_changed: 'identity.flash.role_changed',
  removed: 'identity.flash.removed',
  joined: 'identity.flash.joined',
  done: 'identity.flash.done',
};

function flashOf(request: FastifyRequest): string | undefined {
  return flashes[query(request, 'ok')];
}

// ── registration ────────────────────────────────────────────────────────────

function RegisterPage({ ctx, values, error }: { ctx: PageContext; values: Values; error?: PageError }) {
  const { t } = ctx;
  const fields = error?.fields;
  const common = { ctx, errors: fields, idPrefix: 'reg' };
  return (
    <Page ctx={ctx} title={t('identity.register.title')} css={['form', 'input', 'alert']}>
      <h1>{t('identity.register.title')}</h1>
      <p class="fr-text--lead">{t('identity.register.lead')}</p>
      <FormError ctx={ctx} error={error} />
      <form method="post" action="/inscription" novalidate>
        <Csrf ctx={ctx} />
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">{t('identity.register.organisation')}</legend>
          <div class="fr-fieldset__element">
            <Field
              {...common}
              name="legalName"
              label={t('identity.field.legal_name')}
              value={values.legalName}
              autocomplete="organization"
              required
            />
          </div>
          <div class="fr-fieldset__element">
            <Field
              {...common}
              name="siren"
              label={t('identity.field.siren')}
              hint={t('identity.field.siren_hint')}
              value={values.siren}
              inputmode="numeric"
              required
            />
          </div>
          <div class="fr-fieldset__element">
            <Field
              {...common}
              name="address"
              label={t('identity.field.address')}
              value={values.address}
              autocomplete="street-address"
              required
            />
          </div>
          <div class="fr-fieldset__element">
            <Field
              {...common}
              name="legalRepresentative"
              label={t('identity.field.legal_representative')}
              hint={t('identity.field.legal_representative_hint')}
              value={values.legalRepresentative}
              required
            />
          </div>
        </fieldset>
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">{t('identity.register.person')}</legend>
          <div class="fr-fieldset__element">
            <Field
              {...common}
              name="displayName"
              label={t('identity.field.display_name')}
              value={values.displayName}
              autocomplete="name"
              required
            />
          </div>
          <div class="fr-fieldset__element">
            <Field
              {...common}
              name="email"
              type="email"
              label={t('identity.field.email')}
              hint={t('identity.field.email_hint')}
              value={values.email}
              autocomplete="email"
              required
            />
          </div>
          <div class="fr-fieldset__element">
            <Field
              {...common}
              name="password"
              type="password"
              label={t('identity.field.password')}
              hint={t('identity.field.password_hint', { min: MIN_PASSWORD_LENGTH })}
              autocomplete="new-password"
              required
            />
          </div>
        </fieldset>
        <p class="fr-text--sm">{t('identity.register.mandataire_note')}</p>
        <button type="submit" class="fr-btn">
          {t('identity.register.submit')}
        </button>
      </form>
      <p class="fr-mt-3w">
        {t('identity.register.have_account')}{' '}
        <a class="fr-link" href="/connexion">
          {t('identity.signin.title')}
        </a>
      </p>
    </Page>
  );
}

function MessagePage({
  ctx,
  title,
  kind,
  text,
  links = [],
}: {
  ctx: PageContext;
  title: string;
  kind: 'success' | 'error' | 'info';
  text: string;
  links?: Array<[string, string]>;
}) {
  return (
    <Page ctx={ctx} title={title} css={['alert']}>
      <h1>{title}</h1>
      <Alert kind={kind}>
        <p>{text}</p>
      </Alert>
      {links.length > 0 ? (
        <ul class="fr-btns-group fr-btns-group--inline-md">
          {links.map(([href, label]) => (
            <li key={href}>
              <a class="fr-btn fr-btn--secondary" href={href}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </Page>
  );
}

// ── sign-in ─────────────────────────────────────────────────────────────────

function SignInPage({
  ctx,
  email,
  retour,
  error,
  flash,
}: {
  ctx: PageContext;
  email?: string;
  retour?: string;
  error?: PageError;
  flash?: string;
}) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('identity.signin.title')} css={['form', 'input', 'alert']}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <h1>{t('identity.signin.title')}</h1>
          <p>{t('identity.signin.lead')}</p>
          <Flash ctx={ctx} flash={flash} />
          <FormError ctx={ctx} error={error} />
          <form method="post" action="/connexion" novalidate>
            <Csrf ctx={ctx} />
            {retour ? <input type="hidden" name="retour" value={retour} /> : null}
            <Field
              ctx={ctx}
              errors={error?.fields}
              name="email"
              type="email"
              label={t('identity.field.email')}
              value={email}
              autocomplete="username"
              required
            />
            <Field
              ctx={ctx}
              errors={error?.fields}
              name="password"
              type="password"
              label={t('identity.field.password')}
              autocomplete="current-password"
              required
            />
            <p>
              <a class="fr-link" href="/mot-de-passe-oublie">
                {t('identity.signin.forgot')}
              </a>
            </p>
            <button type="submit" class="fr-btn">
              {t('identity.signin.submit')}
            </button>
          </form>
          <hr class="fr-mt-4w" />
          <h2 class="fr-h5">{t('identity.signin.new_title')}</h2>
          <p>
            <a class="fr-btn fr-btn--secondary" href="/inscription">
              {t('identity.register.title')}
            </a>
          </p>
        </div>
      </div>
    </Page>
  );
}

function CodePage({ ctx, retour, error }: { ctx: PageContext; retour?: string; error?: PageError }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('identity.code.title')} css={['form', 'input', 'alert']}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-8 fr-col-lg-6">
          <h1>{t('identity.code.title')}</h1>
          <p>{t('identity.code.lead')}</p>
          <FormError ctx={ctx} error={error} />
          <form method="post" action="/connexion/code" novalidate>
            <Csrf ctx={ctx} />
            {retour ? <input type="hidden" name="retour" value={retour} /> : null}
            <Field
              ctx={ctx}
              errors={error?.fields}
              name="code"
              label={t('identity.field.code')}
              hint={t('identity.field.code_hint')}
              inputmode="numeric"
              autocomplete="one-time-code"
              required
            />
            <button type="submit" class="fr-btn">
              {t('identity.code.submit')}
            </button>
          </form>
          <form method="post" action="/deconnexion" class="fr-mt-3w">
            <Csrf ctx={ctx} />
            <button type="submit" class="fr-btn fr-btn--tertiary">
              {t('identity.code.cancel')}
            </button>
          </form>
        </div>
      </div>
    </Page>
  );
}

function ForgotPage({
  ctx,
  email,
  error,
  sent,
}: {
  ctx: PageContext;
  email?: string;
  error?: PageError;
  sent?: boolean;
}) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('identity.forgot.title')} css={['form', 'input', 'alert']}>
      <h1>{t('identity.forgot.title')}</h1>
      {sent ? (
        <Alert kind="success">
          <p>{t('identity.forgot.sent')}</p>
        </Alert>
      ) : (
        <p>{t('identity.forgot.lead')}</p>
      )}
      <FormError ctx={ctx} error={error} />
      <form method="post" action="/mot-de-passe-oublie" novalidate>
        <Csrf ctx={ctx} />
        <Field
          ctx={ctx}
          errors={error?.fields}
          name="email"
          type="email"
          label={t('identity.field.email')}
          value={email}
          autocomplete="email"
          required
        />
        <button type="submit" class="fr-btn">
          {t('identity.forgot.submit')}
        </button>
      </form>
    </Page>
  );
}

function ResetPage({ ctx, token, error }: { ctx: PageContext; token: string; error?: PageError }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('identity.reset.title')} css={['form', 'input', 'alert']}>
      <h1>{t('identity.reset.title')}</h1>
      <FormError ctx={ctx} error={error} />
      <form method="post" action="/reinitialisation" novalidate>
        <Csrf ctx={ctx} />
        <input type="hidden" name="jeton" value={token} />
        <Field
          ctx={ctx}
          errors={error?.fields}
          name="password"
          type="password"
          label={t('identity.field.new_password')}
          hint={t('identity.field.password_hint', { min: MIN_PASSWORD_LENGTH })}
          autocomplete="new-password"
          required
        />
        <button type="submit" class="fr-btn">
          {t('identity.reset.submit')}
        </button>
      </form>
    </Page>
  );
}

// ── second factor ───────────────────────────────────────────────────────────

function TotpPage({
  ctx,
  enrolment,
  enabled,
  staff,
  retour,
  error,
}: {
  ctx: PageContext;
  enrolment?: service.TotpEnrolment;
  enabled: boolean;
  staff: boolean;
  retour?: string;
  error?: PageError;
}) {
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('identity.totp.title')}
      css={['form', 'input', 'alert', 'badge']}
      breadcrumb={[
        [t('identity.account.title'), '/compte'],
        [t('identity.totp.title'), '/compte/double-authentification'],
      ]}
    >
      <h1>{t('identity.totp.title')}</h1>
      <FormError ctx={ctx} error={error} />
      {enabled ? (
        <>
          <p>
            <span class="fr-badge fr-badge--success">{t('identity.totp.enabled')}</span>
          </p>
          {staff ? (
            <p>{t('identity.totp.staff_required')}</p>
          ) : (
            <>
              <h2 class="fr-h4">{t('identity.totp.disable_title')}</h2>
              <p>{t('identity.totp.disable_lead')}</p>
              <form method="post" action="/compte/double-authentification/desactivation" novalidate>
                <Csrf ctx={ctx} />
                <Field
                  ctx={ctx}
                  errors={error?.fields}
                  name="code"
                  idPrefix="off"
                  label={t('identity.field.code')}
                  inputmode="numeric"
                  autocomplete="one-time-code"
                  required
                />
                <button type="submit" class="fr-btn fr-btn--secondary">
                  {t('identity.totp.disable_submit')}
                </button>
              </form>
            </>
          )}
        </>
      ) : enrolment ? (
        <>
          {staff ? (
            <Alert kind="info">
              <p>{t('identity.totp.staff_must_enrol')}</p>
            </Alert>
          ) : null}
          <p>{t('identity.totp.lead')}</p>
          <ol>
            <li>{t('identity.totp.step_app')}</li>
            <li>
              {t('identity.totp.step_secret')}
              <p class="fr-mt-1w">
                <code class="mesref-secret" id="totp-secret">
                  {groupSecret(enrolment.secret)}
                </code>
              </p>
              <p class="fr-text--sm">
                {t('identity.totp.uri_label')}{' '}
                <a href={enrolment.uri} class="fr-link fr-text--sm mesref-secret">
                  {enrolment.uri}
                </a>
              </p>
            </li>
            <li>{t('identity.totp.step_code')}</li>
          </ol>
          <form method="post" action="/compte/double-authentification" novalidate>
            <Csrf ctx={ctx} />
            {retour ? <input type="hidden" name="retour" value={retour} /> : null}
            <Field
              ctx={ctx}
              errors={error?.fields}
              name="code"
              label={t('identity.field.code')}
              hint={t('identity.field.code_hint')}
              inputmode="numeric"
              autocomplete="one-time-code"
              required
            />
            <button type="submit" class="fr-btn">
              {t('identity.totp.confirm')}
            </button>
          </form>
        </>
      ) : null}
    </Page>
  );
}

// ── account ─────────────────────────────────────────────────────────────────

function AccountPage({
  ctx,
  account,
  tokens,
  error,
  errorForm,
  values = {},
  flash,
}: {
  ctx: PageContext;
  account: service.AccountView;
  tokens: service.ApiTokenView[];
  error?: PageError;
  errorForm?: 'profile' | 'password' | 'token';
  values?: Values;
  flash?: string;
}) {
  const { t } = ctx;
  const errorsOf = (form: typeof errorForm) => (errorForm === form ? error?.fields : undefined);
  return (
    <Page
      ctx={ctx}
      title={t('identity.account.title')}
      css={['form', 'input', 'select', 'alert', 'badge', 'table']}
    >
      <h1>{t('identity.account.title')}</h1>
      <Flash ctx={ctx} flash={flash} />
      <FormError ctx={ctx} error={error} />
      <p>
        {t('identity.field.email')} : <strong>{account.email}</strong>
      </p>
      {account.staffRoles.length > 0 ? (
        <p>
          {t('identity.account.staff_roles')}{' '}
          {account.staffRoles.map((r) => (
            <RoleBadge ctx={ctx} role={r} key={r} />
          ))}
        </p>
      ) : null}

      <h2 class="fr-mt-4w">{t('identity.account.profile_title')}</h2>
      <form method="post" action="/compte" novalidate>
        <Csrf ctx={ctx} />
        <Field
          ctx={ctx}
          errors={errorsOf('profile')}
          idPrefix="profile"
          name="displayName"
          label={t('identity.field.display_name')}
          value={values.displayName ?? account.displayName}
          autocomplete="name"
          required
        />
        <SelectField
          ctx={ctx}
          errors={errorsOf('profile')}
          idPrefix="profile"
          name="locale"
          label={t('identity.field.locale')}
          value={values.locale ?? account.locale}
          options={[
            ['fr', 'Français'],
            ['en', 'English'],
          ]}
        />
        <button type="submit" class="fr-btn fr-mt-2w">
          {t('identity.account.save')}
        </button>
      </form>

      <h2 class="fr-mt-4w">{t('identity.account.password_title')}</h2>
      <form method="post" action="/compte/mot-de-passe" novalidate>
        <Csrf ctx={ctx} />
        <Field
          ctx={ctx}
          errors={errorsOf('password')}
          idPrefix="pw"
          name="currentPassword"
          type="password"
          label={t('identity.field.current_password')}
          autocomplete="current-password"
          required
        />
        <Field
          ctx={ctx}
          errors={errorsOf('password')}
          idPrefix="pw"
          name="newPassword"
          type="password"
          label={t('identity.field.new_password')}
          hint={t('identity.field.password_hint', { min: MIN_PASSWORD_LENGTH })}
          autocomplete="new-password"
          required
        />
        <button type="submit" class="fr-btn">
          {t('identity.account.password_submit')}
        </button>
      </form>

      <h2 class="fr-mt-4w">{t('identity.totp.title')}</h2>
      <p>
        {account.totpEnabled ? (
          <span class="fr-badge fr-badge--success">{t('identity.totp.enabled')}</span>
        ) : (
          <span class="fr-badge fr-badge--warning">{t('identity.totp.disabled')}</span>
        )}
      </p>
      <p>
        <a class="fr-link" href="/compte/double-authentification">
          {account.totpEnabled ? t('identity.totp.manage') : t('identity.totp.enrol')}
        </a>
      </p>

      {account.organisations.length > 0 ? (
        <ApiTokens
          ctx={ctx}
          account={account}
          tokens={tokens}
          errors={errorsOf('token')}
          values={errorForm === 'token' ? values : {}}
        />
      ) : null}
    </Page>
  );
}

function ApiTokens({
  ctx,
  account,
  tokens,
  errors,
  values,
}: {
  ctx: PageContext;
  account: service.AccountView;
  tokens: service.ApiTokenView[];
  errors?: FieldErrors;
  values: Values;
}) {
  const { t } = ctx;
  const statusBadge = (status: service.ApiTokenView['status']) => (
    <span
      class={`fr-badge fr-badge--sm fr-badge--${status === 'active' ? 'success' : status === 'revoked' ? 'error' : 'warning'}`}
    >
      {t(`identity.tokens.status_${status}`)}
    </span>
  );
  return (
    <>
      <h2 class="fr-mt-4w">{t('identity.tokens.title')}</h2>
      <p>{t('identity.tokens.lead')}</p>
      {tokens.length === 0 ? (
        <p>{t('identity.tokens.none')}</p>
      ) : (
        <Table
          hideCaption
          caption={t('identity.tokens.title')}
          head={[
            t('identity.tokens.name'),
            t('identity.tokens.organisation'),
            t('identity.tokens.prefix'),
            t('identity.tokens.expires'),
            t('identity.tokens.last_used'),
            t('identity.tokens.status'),
            t('identity.tokens.actions'),
          ]}
        >
          {tokens.map((token) => (
            <tr key={token.id}>
              <td>{token.name}</td>
              <td>{token.organisationName}</td>
              <td>
                <code>{token.prefix}…</code>
              </td>
              <td>{formatDate(ctx, token.expiresAt)}</td>
              <td>
                {token.lastUsedAt ? formatDate(ctx, token.lastUsedAt, true) : t('identity.tokens.never')}
              </td>
              <td>{statusBadge(token.status)}</td>
              <td>
                {token.status === 'active' ? (
                  <ButtonForm
                    ctx={ctx}
                    action={`/compte/jetons/${token.id}/revocation`}
                    label={t('identity.tokens.revoke')}
                    title={t('identity.tokens.revoke_title', { name: token.name })}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <h3 class="fr-h5 fr-mt-3w">{t('identity.tokens.create_title')}</h3>
      <form method="post" action="/compte/jetons" novalidate>
        <Csrf ctx={ctx} />
        <Field
          ctx={ctx}
          errors={errors}
          idPrefix="token"
          name="name"
          label={t('identity.tokens.name')}
          hint={t('identity.tokens.name_hint')}
          value={values.name}
          required
        />
        <SelectField
          ctx={ctx}
          errors={errors}
          idPrefix="token"
          name="organisationId"
          label={t('identity.tokens.organisation')}
          value={values.organisationId}
          options={account.organisations.map((o) => [o.id, o.legalName])}
        />
        <Field
          ctx={ctx}
          errors={errors}
          idPrefix="token"
          name="days"
          type="number"
          min={1}
          max={API_TOKEN_MAX_DAYS}
          label={t('identity.tokens.days')}
          hint={t('identity.tokens.days_hint', { max: API_TOKEN_MAX_DAYS })}
          value={values.days ?? '90'}
          inputmode="numeric"
          required
        />
        <button type="submit" class="fr-btn">
          {t('identity.tokens.create')}
        </button>
      </form>
    </>
  );
}

function NewTokenPage({ ctx, token, view }: { ctx: PageContext; token: string; view: service.ApiTokenView }) {
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('identity.tokens.created_title')}
      css={['alert', 'input']}
      breadcrumb={[
        [t('identity.account.title'), '/compte'],
        [t('identity.tokens.created_title'), '/compte/jetons'],
      ]}
    >
      <h1>{t('identity.tokens.created_title')}</h1>
      <Alert kind="warning">
        <p>{t('identity.tokens.shown_once')}</p>
      </Alert>
      <p>
        {view.name} — {view.organisationName} — {t('identity.tokens.expires')}{' '}
        {formatDate(ctx, view.expiresAt)}
      </p>
      <div class="fr-input-group">
        <label class="fr-label" for="new-token">
          {t('identity.tokens.value')}
        </label>
        <input class="fr-input mesref-secret" id="new-token" type="text" readonly value={token} />
      </div>
      <p class="fr-text--sm">
        {t('identity.tokens.usage', { example: 'Authorization: Bearer mesref_pat_…' })}
      </p>
      <a class="fr-btn fr-btn--secondary" href="/compte">
        {t('identity.tokens.back')}
      </a>
    </Page>
  );
}

// ── publisher space and members ─────────────────────────────────────────────

function PublisherHome({
  ctx,
  organisations,
}: {
  ctx: PageContext;
  organisations: service.OrganisationOfAccount[];
}) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('identity.publisher.title')} css={['badge', 'table', 'alert']}>
      <h1>{t('identity.publisher.title')}</h1>
      {organisations.length === 0 ? (
        <Alert kind="info">
          <p>{t('identity.publisher.none')}</p>
        </Alert>
      ) : (
        <Table
          caption={t('identity.publisher.organisations')}
          head={[
            t('identity.field.legal_name'),
            t('identity.field.siren'),
            t('identity.members.role'),
            t('identity.members.status'),
            t('identity.tokens.actions'),
          ]}
        >
          {organisations.map((o) => (
            <tr key={o.id}>
              <td>{o.legalName}</td>
              <td>{o.siren}</td>
              <td>
                <RoleBadge ctx={ctx} role={o.role} />
              </td>
              <td>
                <OrganisationStatus ctx={ctx} status={o.status} />
              </td>
              <td>
                {/* aria-label, not an fr-sr-only span: inside a table that scrolls on small screens, an
                    absolutely positioned span escapes the scroll box and widens the whole page. */}
                <a
                  class="fr-link"
                  href={`/editeur/organisations/${o.id}/membres`}
                  aria-label={`${t('identity.publisher.members_link')} — ${o.legalName}`}
                >
                  {t('identity.publisher.members_link')}
                </a>
                <br />
                <a
                  class="fr-link"
                  href={`/editeur/organisations/${o.id}/dossier-administratif`}
                  aria-label={`${t('dossier.admin_file.home_link')} — ${o.legalName}`}
                >
                  {t('dossier.admin_file.home_link')}
                </a>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <h2>{t('identity.publisher.tools')}</h2>
      <ul>
        <li>
          <a class="fr-link" href="/editeur/services">
            {t('identity.publisher.services_link')}
          </a>{' '}
          — {t('identity.publisher.services_hint')}
        </li>
        <li>
          <a class="fr-link" href="/editeur/dossiers">
            {t('dossier.publisher.home_link')}
          </a>{' '}
          — {t('dossier.publisher.home_hint')}
        </li>
        <li>
          <a class="fr-link" href="/editeur/validation">
            {t('identity.publisher.validate_link')}
          </a>{' '}
          — {t('identity.publisher.validate_hint')}
        </li>
        {ctx.mode === 'sandbox' && (
          <li>
            <a class="fr-link" href="/editeur/tests-accrochage">
              {t('conformance.nav')}
            </a>{' '}
            — {t('conformance.home_hint')}
          </li>
        )}
      </ul>
    </Page>
  );
}

function OrganisationStatus({ ctx, status }: { ctx: PageContext; status: 'active' | 'suspended' }) {
  return (
    <span class={`fr-badge fr-badge--sm fr-badge--${status === 'active' ? 'success' : 'error'}`}>
      {ctx.t(`identity.organisation.status_${status}`)}
    </span>
  );
}

function MembersPage({
  ctx,
  organisation,
  members,
  invitations,
  error,
  values = {},
  flash,
}: {
  ctx: PageContext;
  organisation: service.OrganisationView;
  members: service.MemberView[];
  invitations: service.InvitationView[];
  error?: PageError;
  values?: Values;
  flash?: string;
}) {
  const { t, actor } = ctx;
  const base = `/editeur/organisations/${organisation.id}`;
  const active = organisation.status === 'active';
  const grantable = active ? grantableRoles(actor, organisation.id) : [];
  const mayTouch = (role: OrganisationRole) => grantable.includes(role);
  const self = actor.kind === 'account' ? actor.accountId : '';
  return (
    <Page
      ctx={ctx}
      title={t('identity.members.title', { name: organisation.legalName })}
      css={['form', 'input', 'select', 'alert', 'badge', 'table']}
      breadcrumb={[
        [t('identity.publisher.title'), '/editeur'],
        [t('identity.members.title', { name: organisation.legalName }), `${base}/membres`],
      ]}
    >
      <h1>{t('identity.members.title', { name: organisation.legalName })}</h1>
      <p>
        {t('identity.field.siren')} {organisation.siren} —{' '}
        <OrganisationStatus ctx={ctx} status={organisation.status} />
      </p>
      {active ? null : (
        <Alert kind="warning">
          <p>{t('identity.organisation.suspended')}</p>
        </Alert>
      )}
      <Flash ctx={ctx} flash={flash} />
      <FormError ctx={ctx} error={error} />
      <p class="fr-text--sm">{t('identity.members.rules')}</p>
      <Table
        caption={t('identity.members.list')}
        head={[
          t('identity.field.display_name'),
          t('identity.field.email'),
          t('identity.members.role'),
          t('identity.members.since'),
          t('identity.tokens.actions'),
        ]}
      >
        {members.map((m) => (
          <tr key={m.accountId}>
            <td>
              {m.displayName}
              {m.accountId === self ? ` (${t('identity.members.you')})` : ''}
              {m.disabled ? (
                <>
                  {' '}
                  <span class="fr-badge fr-badge--sm fr-badge--error">{t('identity.admin.disabled')}</span>
                </>
              ) : null}
            </td>
            <td>{m.email}</td>
            <td>
              <RoleBadge ctx={ctx} role={m.role} />
            </td>
            <td>{formatDate(ctx, m.since)}</td>
            <td>
              {mayTouch(m.role) ? (
                <>
                  {grantable.length > 1 ? (
                    <form
                      method="post"
                      action={`${base}/membres/${m.accountId}/role`}
                      class="mesref-inline-form"
                    >
                      <Csrf ctx={ctx} />
                      {/* Named by aria-label rather than fr-sr-only text: see the members link of PublisherHome. */}
                      <select
                        class="fr-select"
                        name="role"
                        aria-label={t('identity.members.new_role_for', { name: m.displayName })}
                      >
                        {grantable.map((r) => (
                          <option value={r} selected={r === m.role} key={r}>
                            {t(`role.${r}`)}
                          </option>
                        ))}
                      </select>
                      <button
                        type="submit"
                        class="fr-btn fr-btn--sm fr-btn--secondary"
                        aria-label={`${t('identity.members.change_role')} — ${m.displayName}`}
                      >
                        {t('identity.members.change_role')}
                      </button>
                    </form>
                  ) : null}
                  <ButtonForm
                    ctx={ctx}
                    action={`${base}/membres/${m.accountId}/retrait`}
                    label={t('identity.members.remove')}
                    title={t('identity.members.remove_title', { name: m.displayName })}
                  />
                </>
              ) : null}
            </td>
          </tr>
        ))}
      </Table>
      {invitations.length > 0 ? (
        <Table
          caption={t('identity.members.pending')}
          head={[t('identity.field.email'), t('identity.members.role'), t('identity.members.expires')]}
        >
          {invitations.map((i) => (
            <tr key={`${i.email}-${i.role}`}>
              <td>{i.email}</td>
              <td>
                <RoleBadge ctx={ctx} role={i.role} />
              </td>
              <td>{formatDate(ctx, i.expiresAt)}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {grantable.length > 0 ? (
        <>
          <h2 class="fr-mt-4w">{t('identity.members.invite_title')}</h2>
          <form method="post" action={`${base}/invitations`} novalidate>
            <Csrf ctx={ctx} />
            <Field
              ctx={ctx}
              errors={error?.fields}
              idPrefix="invite"
              name="email"
              type="email"
              label={t('identity.field.email')}
              value={values.email}
              required
            />
            <SelectField
              ctx={ctx}
              errors={error?.fields}
              idPrefix="invite"
              name="role"
              label={t('identity.members.role')}
              value={values.role ?? 'salarie'}
              options={grantable.map((r) => [r, t(`role.${r}`)])}
            />
            <button type="submit" class="fr-btn fr-mt-2w">
              {t('identity.members.invite')}
            </button>
          </form>
        </>
      ) : null}
    </Page>
  );
}

function InvitationPage({
  ctx,
  token,
  details,
  error,
  values = {},
}: {
  ctx: PageContext;
  token: string;
  details: service.InvitationDetails;
  error?: PageError;
  values?: Values;
}) {
  const { t, actor } = ctx;
  const signedInAs = actor.kind === 'account' ? actor.email.toLowerCase() : undefined;
  const retour = `/invitation?jeton=${encodeURIComponent(token)}`;
  return (
    <Page ctx={ctx} title={t('identity.invitation.title')} css={['form', 'input', 'alert', 'badge']}>
      <h1>{t('identity.invitation.title')}</h1>
      <p>
        {t('identity.invitation.lead', { organisation: details.organisationName, email: details.email })}{' '}
        <RoleBadge ctx={ctx} role={details.role} />
      </p>
      <FormError ctx={ctx} error={error} />
      {details.accountExists ? (
        signedInAs === details.email.toLowerCase() ? (
          <form method="post" action="/invitation" novalidate>
            <Csrf ctx={ctx} />
            <input type="hidden" name="jeton" value={token} />
            <button type="submit" class="fr-btn">
              {t('identity.invitation.accept')}
            </button>
          </form>
        ) : signedInAs ? (
          <Alert kind="warning">
            <p>{t('identity.invitation.other_account', { email: details.email })}</p>
          </Alert>
        ) : (
          <>
            <p>{t('identity.invitation.sign_in_first', { email: details.email })}</p>
            <a class="fr-btn" href={`/connexion?retour=${encodeURIComponent(retour)}`}>
              {t('identity.signin.title')}
            </a>
          </>
        )
      ) : signedInAs ? (
        <Alert kind="warning">
          <p>{t('identity.invitation.other_account', { email: details.email })}</p>
        </Alert>
      ) : (
        <form method="post" action="/invitation" novalidate>
          <Csrf ctx={ctx} />
          <input type="hidden" name="jeton" value={token} />
          <p>{t('identity.invitation.create_account')}</p>
          <Field
            ctx={ctx}
            errors={error?.fields}
            name="displayName"
            label={t('identity.field.display_name')}
            value={values.displayName}
            autocomplete="name"
            required
          />
          <Field
            ctx={ctx}
            errors={error?.fields}
            name="password"
            type="password"
            label={t('identity.field.password')}
            hint={t('identity.field.password_hint', { min: MIN_PASSWORD_LENGTH })}
            autocomplete="new-password"
            required
          />
          <button type="submit" class="fr-btn">
            {t('identity.invitation.accept')}
          </button>
        </form>
      )}
    </Page>
  );
}

// ── admin console ───────────────────────────────────────────────────────────

function AdminPage({
  ctx,
  q,
  people,
  orgQ,
  organisations,
  flash,
  error,
}: {
  ctx: PageContext;
  q: string;
  people: service.PersonView[];
  orgQ: string;
  organisations: service.OrganisationSummary[];
  flash?: string;
  error?: PageError;
}) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('identity.admin.title')} css={['form', 'input', 'alert', 'badge', 'table']}>
      <h1>{t('identity.admin.title')}</h1>
      <Flash ctx={ctx} flash={flash} />
      <FormError ctx={ctx} error={error} />
      <h2>{t('identity.admin.people')}</h2>
      <form method="get" action="/admin" class="fr-mb-3w">
        <input type="hidden" name="organisation" value={orgQ} />
        <Field
          ctx={ctx}
          idPrefix="people"
          name="q"
          type="search"
          label={t('identity.admin.search_email')}
          value={q}
        />
        <button type="submit" class="fr-btn fr-btn--secondary">
          {t('identity.admin.search')}
        </button>
      </form>
      {people.length === 0 ? (
        <p>{t('identity.admin.no_people')}</p>
      ) : (
        <Table
          caption={t('identity.admin.people')}
          head={[
            t('identity.field.email'),
            t('identity.field.display_name'),
            t('identity.admin.roles'),
            t('identity.members.status'),
          ]}
        >
          {people.map((p) => (
            <tr key={p.id}>
              <td>
                <a class="fr-link" href={`/admin/comptes/${p.id}`}>
                  {p.email}
                </a>
              </td>
              <td>{p.displayName}</td>
              <td>
                {p.staffRoles.map((r) => (
                  <RoleBadge ctx={ctx} role={r} key={r} />
                ))}{' '}
                {p.memberships.map((m) => (
                  <span key={m.organisationId} class="fr-text--sm">
                    {' '}
                    {t(`role.${m.role}`)} — {m.organisationName}
                  </span>
                ))}
              </td>
              <td>
                <PersonStatus ctx={ctx} person={p} />
              </td>
            </tr>
          ))}
        </Table>
      )}

      <h2 class="fr-mt-4w">{t('identity.admin.organisations')}</h2>
      <form method="get" action="/admin" class="fr-mb-3w">
        <input type="hidden" name="q" value={q} />
        <Field
          ctx={ctx}
          idPrefix="orgs"
          name="organisation"
          type="search"
          label={t('identity.admin.search_organisation')}
          value={orgQ}
        />
        <button type="submit" class="fr-btn fr-btn--secondary">
          {t('identity.admin.search')}
        </button>
      </form>
      <Table
        caption={t('identity.admin.organisations')}
        head={[
          t('identity.field.legal_name'),
          t('identity.field.siren'),
          t('identity.admin.members'),
          t('identity.members.status'),
          t('identity.tokens.actions'),
        ]}
      >
        {organisations.map((o) => (
          <tr key={o.id}>
            <td>
              <a class="fr-link" href={`/editeur/organisations/${o.id}/membres`}>
                {o.legalName}
              </a>
            </td>
            <td>{o.siren}</td>
            <td>{o.memberCount}</td>
            <td>
              <OrganisationStatus ctx={ctx} status={o.status} />
            </td>
            <td>
              {o.status === 'active' ? (
                <ButtonForm
                  ctx={ctx}
                  action={`/admin/organisations/${o.id}/suspension`}
                  label={t('identity.admin.suspend')}
                  title={t('identity.admin.suspend_title', { name: o.legalName })}
                />
              ) : (
                <ButtonForm
                  ctx={ctx}
                  action={`/admin/organisations/${o.id}/reactivation`}
                  label={t('identity.admin.reactivate')}
                  title={t('identity.admin.reactivate_title', { name: o.legalName })}
                />
              )}
            </td>
          </tr>
        ))}
      </Table>
    </Page>
  );
}

function PersonStatus({ ctx, person }: { ctx: PageContext; person: service.PersonView }) {
  const { t } = ctx;
  return (
    <>
      {person.disabled ? (
        <span class="fr-badge fr-badge--sm fr-badge--error">{t('identity.admin.disabled')}</span>
      ) : null}
      {person.lockedUntil ? (
        <span class="fr-badge fr-badge--sm fr-badge--warning">
          {t('identity.admin.locked_until', { time: formatDate(ctx, person.lockedUntil, true) })}
        </span>
      ) : null}
      {person.emailVerified ? null : (
        <span class="fr-badge fr-badge--sm fr-badge--info">{t('identity.admin.unverified')}</span>
      )}
      {!person.disabled && !person.lockedUntil && person.emailVerified ? (
        <span class="fr-badge fr-badge--sm fr-badge--success">{t('identity.admin.active')}</span>
      ) : null}
    </>
  );
}

function AdminPersonPage({
  ctx,
  person,
  events,
  flash,
  error,
}: {
  ctx: PageContext;
  person: service.PersonView;
  events: Awaited<ReturnType<typeof service.personHistory>>;
  flash?: string;
  error?: PageError;
}) {
  const { t } = ctx;
  const base = `/admin/comptes/${person.id}`;
  const missing = staffRoles.filter((r) => !person.staffRoles.includes(r));
  return (
    <Page
      ctx={ctx}
      title={person.email}
      css={['form', 'select', 'alert', 'badge', 'table']}
      breadcrumb={[
        [t('identity.admin.title'), '/admin'],
        [person.email, base],
      ]}
    >
      <h1>{person.displayName}</h1>
      <p>
        {person.email} — <PersonStatus ctx={ctx} person={person} />{' '}
        <span class={`fr-badge fr-badge--sm fr-badge--${person.totpEnabled ? 'success' : 'warning'}`}>
          {t(person.totpEnabled ? 'identity.admin.totp_on' : 'identity.admin.totp_off')}
        </span>
      </p>
      <Flash ctx={ctx} flash={flash} />
      <FormError ctx={ctx} error={error} />

      <h2>{t('identity.admin.staff_roles')}</h2>
      {person.staffRoles.length === 0 ? <p>{t('identity.admin.no_staff_role')}</p> : null}
      <ul>
        {person.staffRoles.map((r) => (
          <li key={r} class="fr-mb-1w">
            <RoleBadge ctx={ctx} role={r} />{' '}
            <ButtonForm
              ctx={ctx}
              action={`${base}/roles/${r}/retrait`}
              label={t('identity.admin.remove_role')}
              title={t('identity.admin.remove_role_title', { role: t(`role.${r}`) })}
            />
          </li>
        ))}
      </ul>
      {missing.length > 0 ? (
        <form method="post" action={`${base}/roles`} novalidate>
          <Csrf ctx={ctx} />
          <SelectField
            ctx={ctx}
            name="role"
            idPrefix="grant"
            label={t('identity.admin.grant_role')}
            options={missing.map((r) => [r, t(`role.${r}`)])}
          />
          <button type="submit" class="fr-btn fr-btn--secondary fr-mt-2w">
            {t('identity.admin.grant')}
          </button>
        </form>
      ) : null}

      <h2 class="fr-mt-4w">{t('identity.admin.organisations')}</h2>
      {person.memberships.length === 0 ? (
        <p>{t('identity.publisher.none_short')}</p>
      ) : (
        <ul>
          {person.memberships.map((m) => (
            <li key={m.organisationId}>
              <a class="fr-link" href={`/editeur/organisations/${m.organisationId}/membres`}>
                {m.organisationName}
              </a>{' '}
              <RoleBadge ctx={ctx} role={m.role} />
            </li>
          ))}
        </ul>
      )}

      <h2 class="fr-mt-4w">{t('identity.admin.access')}</h2>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        {person.lockedUntil ? (
          <li>
            <ButtonForm
              ctx={ctx}
              action={`${base}/deverrouillage`}
              label={t('identity.admin.unlock')}
              secondary={false}
            />
          </li>
        ) : null}
        <li>
          {person.disabled ? (
            <ButtonForm
              ctx={ctx}
              action={`${base}/reactivation`}
              label={t('identity.admin.enable')}
              secondary={false}
            />
          ) : (
            <ButtonForm ctx={ctx} action={`${base}/desactivation`} label={t('identity.admin.disable')} />
          )}
        </li>
      </ul>

      <h2 class="fr-mt-4w">{t('identity.admin.history')}</h2>
      {events.length === 0 ? (
        <p>{t('identity.admin.no_history')}</p>
      ) : (
        <Table
          hideCaption
          caption={t('identity.admin.history')}
          head={[t('identity.admin.when'), t('identity.admin.event')]}
        >
          {events.map((e) => (
            <tr key={`${e.chain}-${e.seq}`}>
              <td>{formatDate(ctx, e.at, true)}</td>
              <td>
                <code>{e.action}</code>
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Page>
  );
}

// ── routes ──────────────────────────────────────────────────────────────────

function account(request: FastifyRequest): AccountActor {
  // The route's action already required an account.
  return request.actor as AccountActor;
}

/** Where to go after signing in: the asked page if it is ours, else the person's home. */
function afterSignIn(retour: string | undefined, roles: Parameters<typeof landingPath>[0]): string {
  return safeReturnPath(retour) ?? landingPath(roles);
}

function setLocaleCookie(deps: IdentityDeps, reply: FastifyReply, locale: Locale) {
  reply.setCookie(LOCALE_COOKIE, locale, {
    path: '/',
    sameSite: 'lax',
    httpOnly: true,
    secure: deps.config.secureCookies,
    maxAge: 365 * 24 * 3600,
  });
}

/** Runs a form's use case; an AppError re-renders the form with its status, message and fields. */
async function attempt<T>(
  request: FastifyRequest,
  work: () => Promise<T>,
  onError: (error: PageError, status: number, appError: AppError) => unknown,
): Promise<{ ok: true; value: T } | { ok: false; sent: unknown }> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (error instanceof AppError)
      return { ok: false, sent: await onError(pageError(request, error), error.status, error) };
    throw error;
  }
}

/** Server-rendered pages of sign-in, registration, accounts, organisations and the admin console. */
export function identityPages(ctx: AppContext, deps: IdentityDeps) {
  return async (app: App) => {
    const hide = { hide: true };
    const page = (request: FastifyRequest) => request.pageContext();

    // registration
    app.get('/inscription', { config: { action: 'auth.sign_in' }, schema: hide }, async (request, reply) =>
      html(reply, 200, renderPage(<RegisterPage ctx={page(request)} values={{}} />)),
    );
    app.post('/inscription', { config: { action: 'auth.sign_in' }, schema: hide }, async (request, reply) => {
      const values: Values = {};
      for (const name of ['legalName', 'siren', 'address', 'legalRepresentative', 'displayName', 'email'])
        values[name] = str(request.body, name);
      const result = await attempt(
        request,
        () =>
          service.registerPublisher(
            deps,
            {
              legalName: values.legalName,
              siren: values.siren,
              address: values.address,
              legalRepresentative: values.legalRepresentative,
              displayName: values.displayName,
              email: values.email,
              password: str(request.body, 'password'),
            },
            { ip: request.ip, locale: request.locale },
          ),
        (error, status) =>
          html(reply, status, renderPage(<RegisterPage ctx={page(request)} values={values} error={error} />)),
      );
      if (!result.ok) return result.sent;
      const t = request.t;
      return html(
        reply,
        201,
        renderPage(
          <MessagePage
            ctx={page(request)}
            title={t('identity.register.done_title')}
            kind="success"
            text={t('identity.register.done', { email: values.email.trim().toLowerCase() })}
          />,
        ),
      );
    });

    app.get(
      '/verification-courriel',
      { config: { action: 'auth.sign_in' }, schema: hide },
      async (request, reply) => {
        const result = await attempt(
          request,
          () => service.verifyEmail(deps, query(request, 'jeton')),
          (_error, status) =>
            html(
              reply,
              status,
              renderPage(
                <MessagePage
                  ctx={page(request)}
                  title={request.t('identity.verify.title')}
                  kind="error"
                  text={request.t('identity.verify.invalid')}
                  links={[['/connexion', request.t('identity.signin.title')]]}
                />,
              ),
            ),
        );
        if (!result.ok) return result.sent;
        return reply.redirect('/connexion?ok=verified', 303);
      },
    );

    // sign-in and sign-out
    app.get('/connexion', { config: { action: 'auth.sign_in' }, schema: hide }, async (request, reply) => {
      const retour = safeReturnPath(query(request, 'retour'));
      const actor = request.actor;
      if (actor.kind === 'account' && (actor.secondFactorOk || !actor.totpEnabled))
        return reply.redirect(afterSignIn(retour, actor), 303);
      return html(
        reply,
        200,
        renderPage(<SignInPage ctx={page(request)} retour={retour} flash={flashOf(request)} />),
      );
    });
    app.post('/connexion', { config: { action: 'auth.sign_in' }, schema: hide }, async (request, reply) => {
      const email = str(request.body, 'email');
      const retour = safeReturnPath(str(request.body, 'retour'));
      const result = await attempt(
        request,
        () =>
          service.signInWithPassword(deps, {
            email,
            password: str(request.body, 'password'),
            ip: request.ip,
          }),
        (error, status) =>
          html(
            reply,
            status,
            renderPage(<SignInPage ctx={page(request)} email={email} retour={retour} error={error} />),
          ),
      );
      if (!result.ok) return result.sent;
      const signedIn = result.value;
      await openSession(ctx, request, reply, { accountId: signedIn.accountId, secondFactorOk: false });
      setLocaleCookie(deps, reply, signedIn.locale);
      const next = retour ? `?retour=${encodeURIComponent(retour)}` : '';
      if (signedIn.needsCode) return reply.redirect(`/connexion/code${next}`, 303);
      if (signedIn.mustEnrol) return reply.redirect(`/compte/double-authentification${next}`, 303);
      return reply.redirect(afterSignIn(retour, signedIn), 303);
    });

    app.get(
      '/connexion/code',
      { config: { action: 'account.second_factor' }, schema: hide },
      async (request, reply) => {
        const actor = account(request);
        const retour = safeReturnPath(query(request, 'retour'));
        // Nothing to type: without TOTP, or already typed.
        if (!actor.totpEnabled || actor.secondFactorOk)
          return reply.redirect(afterSignIn(retour, actor), 303);
        return html(reply, 200, renderPage(<CodePage ctx={page(request)} retour={retour} />));
      },
    );
    app.post(
      '/connexion/code',
      { config: { action: 'account.second_factor' }, schema: hide },
      async (request, reply) => {
        const actor = account(request);
        const retour = safeReturnPath(str(request.body, 'retour'));
        const sessionId = sessionIdOf(request);
        if (!actor.totpEnabled || actor.secondFactorOk || !sessionId)
          return reply.redirect(afterSignIn(retour, actor), 303);
        const result = await attempt(
          request,
          async () => {
            const check = await service.verifySignInCode(
              deps,
              actor,
              str(request.body, 'code'),
              sessionId,
              request.ip,
            );
            if (!check.ok) {
              // Locked out: this half-open session ends too.
              if (check.lockedUntil) await closeSession(ctx, request, reply);
              throw service.codeError(check);
            }
          },
          (error, status) =>
            html(reply, status, renderPage(<CodePage ctx={page(request)} retour={retour} error={error} />)),
        );
        if (!result.ok) return result.sent;
        return reply.redirect(afterSignIn(retour, actor), 303);
      },
    );

    app.post(
      '/deconnexion',
      { config: { action: 'auth.sign_out' }, schema: hide },
      async (request, reply) => {
        await service.recordSignOut(deps, request.actor);
        await closeSession(ctx, request, reply);
        return reply.redirect('/', 303);
      },
    );

    // password reset
    app.get(
      '/mot-de-passe-oublie',
      { config: { action: 'auth.sign_in' }, schema: hide },
      async (request, reply) => html(reply, 200, renderPage(<ForgotPage ctx={page(request)} />)),
    );
    app.post(
      '/mot-de-passe-oublie',
      { config: { action: 'auth.sign_in' }, schema: hide },
      async (request, reply) => {
        const email = str(request.body, 'email');
        const result = await attempt(
          request,
          () => service.requestPasswordReset(deps, { email, ip: request.ip }),
          (error, status) =>
            html(reply, status, renderPage(<ForgotPage ctx={page(request)} email={email} error={error} />)),
        );
        if (!result.ok) return result.sent;
        return html(reply, 200, renderPage(<ForgotPage ctx={page(request)} sent />));
      },
    );
    const invalidLink = (request: FastifyRequest, reply: FastifyReply) =>
      html(
        reply,
        400,
        renderPage(
          <MessagePage
            ctx={page(request)}
            title={request.t('identity.reset.title')}
            kind="error"
            text={request.t('identity.token.invalid')}
            links={[['/mot-de-passe-oublie', request.t('identity.forgot.title')]]}
          />,
        ),
      );
    app.get(
      '/reinitialisation',
      { config: { action: 'auth.sign_in' }, schema: hide },
      async (request, reply) => {
        const token = query(request, 'jeton');
        if (!(await service.checkResetToken(deps, token))) return invalidLink(request, reply);
        return html(reply, 200, renderPage(<ResetPage ctx={page(request)} token={token} />));
      },
    );
    app.post(
      '/reinitialisation',
      { config: { action: 'auth.sign_in' }, schema: hide },
      async (request, reply) => {
        const token = str(request.body, 'jeton');
        const result = await attempt(
          request,
          () =>
            service.resetPassword(deps, {
              token,
              password: str(request.body, 'password'),
              currentSessionId: sessionIdOf(request),
            }),
          (error, status, appError) =>
            appError.code === 'invalid_token'
              ? invalidLink(request, reply)
              : html(
                  reply,
                  status,
                  renderPage(<ResetPage ctx={page(request)} token={token} error={error} />),
                ),
        );
        if (!result.ok) return result.sent;
        return reply.redirect('/connexion?ok=password_reset', 303);
      },
    );

    // second factor
    const totpPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      status = 200,
      error?: PageError,
    ) => {
      const actor = account(request);
      if (actor.totpEnabled && !actor.secondFactorOk) return reply.redirect('/connexion/code', 303);
      const enrolment = actor.totpEnabled ? undefined : await service.beginTotpEnrolment(deps, actor);
      return html(
        reply,
        status,
        renderPage(
          <TotpPage
            ctx={page(request)}
            enrolment={enrolment}
            enabled={actor.totpEnabled}
            staff={actor.staffRoles.length > 0}
            retour={safeReturnPath(query(request, 'retour') || str(request.body, 'retour'))}
            error={error}
          />,
        ),
      );
    };
    app.get(
      '/compte/double-authentification',
      { config: { action: 'account.second_factor' }, schema: hide },
      (request, reply) => totpPage(request, reply),
    );
    app.post(
      '/compte/double-authentification',
      { config: { action: 'account.second_factor' }, schema: hide },
      async (request, reply) => {
        const actor = account(request);
        const retour = safeReturnPath(str(request.body, 'retour'));
        const result = await attempt(
          request,
          () =>
            service.confirmTotpEnrolment(
              deps,
              actor,
              str(request.body, 'code'),
              sessionIdOf(request),
              request.ip,
            ),
          (error, status) => totpPage(request, reply, status, error),
        );
        if (!result.ok) return result.sent;
        return reply.redirect(
          retour ?? (actor.staffRoles.length > 0 ? landingPath(actor) : '/compte?ok=totp_enabled'),
          303,
        );
      },
    );
    app.post(
      '/compte/double-authentification/desactivation',
      { config: { action: 'account.self' }, schema: hide },
      async (request, reply) => {
        const result = await attempt(
          request,
          () => service.disableTotp(deps, account(request), str(request.body, 'code'), request.ip),
          (error, status) => totpPage(request, reply, status, error),
        );
        if (!result.ok) return result.sent;
        return reply.redirect('/compte?ok=totp_disabled', 303);
      },
    );

    // account
    const accountPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      options: {
        status?: number;
        error?: PageError;
        errorForm?: 'profile' | 'password' | 'token';
        values?: Values;
      } = {},
    ) => {
      const actor = account(request);
      const [view, tokens] = await Promise.all([
        service.accountView(deps, actor),
        actor.memberships.length > 0 ? service.listApiTokens(deps, actor) : Promise.resolve([]),
      ]);
      return html(
        reply,
        options.status ?? 200,
        renderPage(
          <AccountPage
            ctx={page(request)}
            account={view}
            tokens={tokens}
            error={options.error}
            errorForm={options.errorForm}
            values={options.values}
            flash={flashOf(request)}
          />,
        ),
      );
    };
    app.get('/compte', { config: { action: 'account.self' }, schema: hide }, (request, reply) =>
      accountPage(request, reply),
    );
    app.post('/compte', { config: { action: 'account.self' }, schema: hide }, async (request, reply) => {
      const values = { displayName: str(request.body, 'displayName'), locale: str(request.body, 'locale') };
      const result = await attempt(
        request,
        () => service.updateProfile(deps, account(request), values),
        (error, status) => accountPage(request, reply, { status, error, errorForm: 'profile', values }),
      );
      if (!result.ok) return result.sent;
      setLocaleCookie(deps, reply, values.locale as Locale);
      return reply.redirect('/compte?ok=profile', 303);
    });
    app.post(
      '/compte/mot-de-passe',
      { config: { action: 'account.self' }, schema: hide },
      async (request, reply) => {
        const result = await attempt(
          request,
          () =>
            service.changePassword(deps, account(request), {
              current: str(request.body, 'currentPassword'),
              next: str(request.body, 'newPassword'),
              sessionId: sessionIdOf(request),
            }),
          (error, status) => accountPage(request, reply, { status, error, errorForm: 'password' }),
        );
        if (!result.ok) return result.sent;
        return reply.redirect('/compte?ok=password', 303);
      },
    );
    app.post(
      '/compte/jetons',
      { config: { action: 'account.api_tokens' }, schema: hide },
      async (request, reply) => {
        const values = {
          name: str(request.body, 'name'),
          organisationId: str(request.body, 'organisationId'),
          days: str(request.body, 'days'),
        };
        const result = await attempt(
          request,
          () =>
            service.createApiToken(deps, account(request), {
              name: values.name,
              organisationId: values.organisationId,
              days: /^\d+$/.test(values.days.trim()) ? Number(values.days.trim()) : Number.NaN,
            }),
          (error, status) => accountPage(request, reply, { status, error, errorForm: 'token', values }),
        );
        if (!result.ok) return result.sent;
        return html(
          reply,
          201,
          renderPage(
            <NewTokenPage ctx={page(request)} token={result.value.token} view={result.value.view} />,
          ),
        );
      },
    );
    app.post<{ Params: { tokenId: string } }>(
      '/compte/jetons/:tokenId/revocation',
      { config: { action: 'account.api_tokens' }, schema: hide },
      async (request, reply) => {
        await service.revokeApiToken(deps, account(request), request.params.tokenId);
        return reply.redirect('/compte?ok=token_revoked', 303);
      },
    );

    // publisher space
    app.get('/editeur', { config: { action: 'account.self' }, schema: hide }, async (request, reply) =>
      html(
        reply,
        200,
        renderPage(
          <PublisherHome
            ctx={page(request)}
            organisations={await service.listOrganisationsOf(ctx.db, account(request).accountId)}
          />,
        ),
      ),
    );

    type OrgParams = { Params: { orgId: string } };
    type MemberParams = { Params: { orgId: string; accountId: string } };
    const orgOf = (request: FastifyRequest) => ({
      organisationId: (request.params as { orgId: string }).orgId,
    });
    const targetRoleOf = (request: FastifyRequest) => {
      const role = str(request.body, 'role');
      return { ...orgOf(request), targetRole: isOrganisationRole(role) ? role : undefined };
    };
    const membersPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      options: { status?: number; error?: PageError; values?: Values } = {},
    ) => {
      const { organisationId } = orgOf(request);
      const organisation = await service.getOrganisation(deps, request.actor, organisationId);
      const { members, invitations } = await service.listMembers(deps, request.actor, organisationId);
      return html(
        reply,
        options.status ?? 200,
        renderPage(
          <MembersPage
            ctx={page(request)}
            organisation={organisation}
            members={members}
            invitations={invitations}
            error={options.error}
            values={options.values}
            flash={flashOf(request)}
          />,
        ),
      );
    };
    app.get<OrgParams>(
      '/editeur/organisations/:orgId/membres',
      { config: { action: 'organisation.view', resource: orgOf }, schema: hide },
      (request, reply) => membersPage(request, reply),
    );
    app.post<OrgParams>(
      '/editeur/organisations/:orgId/invitations',
      { config: { action: 'organisation.manage_members', resource: targetRoleOf }, schema: hide },
      async (request, reply) => {
        const values = { email: str(request.body, 'email'), role: str(request.body, 'role') };
        const result = await attempt(
          request,
          () => service.inviteMember(deps, account(request), request.params.orgId, values, request.locale),
          (error, status) => membersPage(request, reply, { status, error, values }),
        );
        if (!result.ok) return result.sent;
        return reply.redirect(`/editeur/organisations/${request.params.orgId}/membres?ok=invited`, 303);
      },
    );
    app.post<MemberParams>(
      '/editeur/organisations/:orgId/membres/:accountId/role',
      { config: { action: 'organisation.manage_members', resource: targetRoleOf }, schema: hide },
      async (request, reply) => {
        const { orgId, accountId } = request.params;
        const result = await attempt(
          request,
          () => service.changeMemberRole(deps, account(request), orgId, accountId, str(request.body, 'role')),
          (error, status) => membersPage(request, reply, { status, error }),
        );
        if (!result.ok) return result.sent;
        return reply.redirect(`/editeur/organisations/${orgId}/membres?ok=role_changed`, 303);
      },
    );
    app.post<MemberParams>(
      '/editeur/organisations/:orgId/membres/:accountId/retrait',
      { config: { action: 'organisation.manage_members', resource: orgOf }, schema: hide },
      async (request, reply) => {
        const { orgId, accountId } = request.params;
        const result = await attempt(
          request,
          () => service.removeMember(deps, account(request), orgId, accountId),
          (error, status) => membersPage(request, reply, { status, error }),
        );
        if (!result.ok) return result.sent;
        // Someone who removed themselves no longer sees the organisation (unless staff).
        const self = account(request);
        const left = accountId === self.accountId && self.staffRoles.length === 0;
        return reply.redirect(left ? '/editeur' : `/editeur/organisations/${orgId}/membres?ok=removed`, 303);
      },
    );

    // invitations
    const invitationPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      token: string,
      status = 200,
      error?: PageError,
      values?: Values,
    ) => {
      const details = await service.getInvitation(deps, token);
      if (!details)
        return html(
          reply,
          400,
          renderPage(
            <MessagePage
              ctx={page(request)}
              title={request.t('identity.invitation.title')}
              kind="error"
              text={request.t('identity.token.invalid')}
            />,
          ),
        );
      return html(
        reply,
        status,
        renderPage(
          <InvitationPage
            ctx={page(request)}
            token={token}
            details={details}
            error={error}
            values={values}
          />,
        ),
      );
    };
    app.get('/invitation', { config: { action: 'auth.sign_in' }, schema: hide }, (request, reply) =>
      invitationPage(request, reply, query(request, 'jeton')),
    );
    app.post('/invitation', { config: { action: 'auth.sign_in' }, schema: hide }, async (request, reply) => {
      const token = str(request.body, 'jeton');
      const values = { displayName: str(request.body, 'displayName') };
      const result = await attempt(
        request,
        () =>
          service.acceptInvitation(deps, request.actor, {
            token,
            displayName: values.displayName,
            password: str(request.body, 'password'),
            locale: request.locale,
          }),
        (error, status) => invitationPage(request, reply, token, status, error, values),
      );
      if (!result.ok) return result.sent;
      if (result.value.created) return reply.redirect('/connexion?ok=invitation', 303);
      return reply.redirect(`/editeur/organisations/${result.value.organisationId}/membres?ok=joined`, 303);
    });

    // admin console
    const adminPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      status = 200,
      error?: PageError,
    ) => {
      const q = query(request, 'q');
      const orgQ = query(request, 'organisation');
      const [people, organisations] = await Promise.all([
        service.searchPeople(deps, request.actor, q),
        service.searchOrganisationsForAdmin(deps, request.actor, orgQ),
      ]);
      return html(
        reply,
        status,
        renderPage(
          <AdminPage
            ctx={page(request)}
            q={q}
            people={people}
            orgQ={orgQ}
            organisations={organisations}
            flash={flashOf(request)}
            error={error}
          />,
        ),
      );
    };
    app.get('/admin', { config: { action: 'admin.console' }, schema: hide }, (request, reply) =>
      adminPage(request, reply),
    );

    type PersonParams = { Params: { accountId: string } };
    const personPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      status = 200,
      error?: PageError,
    ) => {
      const { accountId } = request.params as { accountId: string };
      const person = await service.getPerson(deps, request.actor, accountId);
      const events = await service.personHistory(deps, request.actor, accountId);
      return html(
        reply,
        status,
        renderPage(
          <AdminPersonPage
            ctx={page(request)}
            person={person}
            events={events}
            flash={flashOf(request)}
            error={error}
          />,
        ),
      );
    };
    app.get<PersonParams>(
      '/admin/comptes/:accountId',
      { config: { action: 'admin.console' }, schema: hide },
      (request, reply) => personPage(request, reply),
    );
    const adminAction = (path: string, run: (request: FastifyRequest<PersonParams>) => Promise<void>) =>
      app.post<PersonParams>(
        `/admin/comptes/:accountId${path}`,
        { config: { action: 'admin.console' }, schema: hide },
        async (request, reply) => {
          const result = await attempt(
            request,
            () => run(request),
            (error, status) => personPage(request, reply, status, error),
          );
          if (!result.ok) return result.sent;
          return reply.redirect(`/admin/comptes/${request.params.accountId}?ok=done`, 303);
        },
      );
    adminAction('/roles', (r) =>
      service.grantStaffRole(deps, account(r), r.params.accountId, str(r.body, 'role')),
    );
    app.post<{ Params: { accountId: string; role: string } }>(
      '/admin/comptes/:accountId/roles/:role/retrait',
      { config: { action: 'admin.console' }, schema: hide },
      async (request, reply) => {
        const result = await attempt(
          request,
          () =>
            service.removeStaffRole(deps, account(request), request.params.accountId, request.params.role),
          (error, status) => personPage(request, reply, status, error),
        );
        if (!result.ok) return result.sent;
        return reply.redirect(`/admin/comptes/${request.params.accountId}?ok=done`, 303);
      },
    );
    adminAction('/deverrouillage', (r) => service.unlockAccount(deps, account(r), r.params.accountId));
    adminAction('/desactivation', (r) =>
      service.setAccountDisabled(deps, account(r), r.params.accountId, true),
    );
    adminAction('/reactivation', (r) =>
      service.setAccountDisabled(deps, account(r), r.params.accountId, false),
    );

    for (const [path, status] of [
      ['suspension', 'suspended'],
      ['reactivation', 'active'],
    ] as const) {
      app.post<{ Params: { orgId: string } }>(
        `/admin/organisations/:orgId/${path}`,
        { config: { action: 'admin.console' }, schema: hide },
        async (request, reply) => {
          const result = await attempt(
            request,
            () => service.setOrganisationStatus(deps, account(request), request.params.orgId, status),
            (error, code) => adminPage(request, reply, code, error),
          );
          if (!result.ok) return result.sent;
          return reply.redirect('/admin?ok=done', 303);
        },
      );
    }
  };
}
