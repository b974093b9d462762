/**
 * The pages of a pairing (appariement): whose space, the consent page, and the answers when a request cannot go
 * on. Plain French first (English too), DSFR, usable without JavaScript.
 */
import { type ConsentTitles, FinaliteChoices } from '../consent/components.tsx';
import type { ConsentOffer } from '../consent/model.ts';
import { Alert, Csrf } from '../web/components.tsx';
import { formatCalendarDay } from '../web/dates.ts';
import { Page, type PageContext, renderPage } from '../web/layout.tsx';

/** What the consent page shows of the service (from `serviceForConsent`). */
export interface PairingService {
  name: string;
  organisationName: string;
  logoUrl: string | null;
  version: string;
  consentText: string;
  cguUrl: string | null;
  privacyUrl: string | null;
}

export interface ManagedPerson {
  id: string;
  name: string;
  self: boolean;
  majorityDate: string | null;
}

function ServiceHeader({ ctx, service }: { ctx: PageContext; service: PairingService }) {
  return (
    <div class="fr-grid-row fr-grid-row--middle fr-grid-row--gutters fr-mb-3w">
      {service.logoUrl ? (
        <div class="fr-col-auto">
          {/* The name follows: the logo adds nothing a reader must hear. */}
          <img src={service.logoUrl} alt="" width={72} height={72} style="object-fit: contain" />
        </div>
      ) : null}
      <div class="fr-col">
        <p class="fr-text--lead fr-mb-1v">
          <strong>{service.name}</strong>
        </p>
        <p class="fr-mb-0">
          {ctx.t('oauth.pairing.publisher', { organisation: service.organisationName })}
          {' · '}
          {ctx.t('oauth.pairing.version', { version: service.version })}
        </p>
      </div>
    </div>
  );
}

/** « Pour quel espace santé ? »: the signed-in citizen and the minors in their care. */
export function whosePage(
  ctx: PageContext,
  input: { uid: string; service: PairingService; people: ManagedPerson[]; error?: boolean },
): string {
  const { t } = ctx;
  const title = t('oauth.pairing.whose.title', { service: input.service.name });
  const messagesId = 'pour-messages';
  return renderPage(
    <Page ctx={ctx} title={title} css={['radio', 'form', 'alert']}>
      <h1>{title}</h1>
      <ServiceHeader ctx={ctx} service={input.service} />
      <form method="get" action={`/appariement/${encodeURIComponent(input.uid)}`}>
        <fieldset
          class={`fr-fieldset${input.error ? ' fr-fieldset--error' : ''}`}
          id="pour"
          aria-labelledby={`pour-legend ${messagesId}`}
        >
          <legend class="fr-fieldset__legend" id="pour-legend">
            {t('oauth.pairing.whose.legend')}
            <span class="fr-hint-text">{t('oauth.pairing.whose.hint')}</span>
          </legend>
          {input.people.map((p, i) => (
            <div class="fr-fieldset__element" key={p.id}>
              <div class="fr-radio-group">
                <input type="radio" id={`pour-${i}`} name="pour" value={p.id} required />
                <label class="fr-label" for={`pour-${i}`}>
                  {p.self
                    ? t('oauth.pairing.whose.self', { name: p.name })
                    : t('oauth.pairing.whose.minor', { name: p.name })}
                </label>
              </div>
            </div>
          ))}
          <div class="fr-messages-group" id={messagesId} aria-live="polite">
            {input.error ? (
              <p class="fr-message fr-message--error">{t('oauth.pairing.whose.required')}</p>
            ) : null}
          </div>
        </fieldset>
        <button type="submit" class="fr-btn">
          {t('oauth.pairing.whose.continue')}
        </button>
      </form>
    </Page>,
  );
}

/** The consent page: the service, its information text, the finalités to tick, « Autoriser » / « Refuser ». */
export function consentPage(
  ctx: PageContext,
  input: {
    uid: string;
    service: PairingService;
    person: ManagedPerson;
    offer: ConsentOffer;
    titles: ConsentTitles;
    chosen: readonly string[];
    error?: string;
    fieldError?: string;
  },
): string {
  const { t } = ctx;
  const { service, person } = input;
  const title = person.self
    ? t('oauth.pairing.title', { service: service.name })
    : t('oauth.pairing.title_for', { service: service.name, name: person.name });
  return renderPage(
    <Page ctx={ctx} title={title} css={['checkbox', 'form', 'alert', 'callout', 'notice']}>
      <h1>{title}</h1>
      {input.error ? (
        <Alert kind="error" title={t('oauth.pairing.error_title')}>
          {<p>{input.error}</p>}
        </Alert>
      ) : null}
      <ServiceHeader ctx={ctx} service={service} />
      <p>{t('oauth.pairing.intro', { service: service.name })}</p>
      {!person.self && person.majorityDate ? (
        <div class="fr-notice fr-notice--info fr-mb-3w">
          <div class="fr-container">
            <div class="fr-notice__body">
              <p class="fr-notice__title">
                {t('oauth.pairing.for_minor', {
                  name: person.name,
                  date: formatCalendarDay(ctx.locale, person.majorityDate),
                })}
              </p>
            </div>
          </div>
        </div>
      ) : null}
      <h2>{t('oauth.pairing.information')}</h2>
      <div class="fr-callout fr-mb-3w">
        <p class="fr-callout__text" style="white-space: pre-line">
          {service.consentText}
        </p>
        <p class="fr-hint-text fr-mt-1w fr-mb-0">{t('oauth.pairing.information_hint')}</p>
      </div>
      {service.cguUrl || service.privacyUrl ? (
        <>
          <h2>{t('oauth.pairing.links')}</h2>
          <ul>
            {service.cguUrl ? (
              <li>
                <a href={service.cguUrl} target="_blank" rel="noopener noreferrer">
                  {t('oauth.pairing.cgu')} <span class="fr-sr-only">{t('oauth.pairing.new_window')}</span>
                </a>
              </li>
            ) : null}
            {service.privacyUrl ? (
              <li>
                <a href={service.privacyUrl} target="_blank" rel="noopener noreferrer">
                  {t('oauth.pairing.privacy')} <span class="fr-sr-only">{t('oauth.pairing.new_window')}</span>
                </a>
              </li>
            ) : null}
          </ul>
        </>
      ) : null}
      <h2>{t('oauth.pairing.choices')}</h2>
      <form method="post" action={`/appariement/${encodeURIComponent(input.uid)}`}>
        <Csrf ctx={ctx} />
        <input type="hidden" name="pour" value={person.id} />
        <FinaliteChoices
          ctx={ctx}
          offer={input.offer}
          chosen={input.chosen}
          titles={input.titles}
          legend={t('oauth.pairing.legend', { service: service.name })}
          hint={t('oauth.pairing.hint')}
          errors={input.fieldError ? [input.fieldError] : []}
        />
        <p>{t('oauth.pairing.revocable')}</p>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn" name="decision" value="autoriser">
              {t('oauth.pairing.allow')}
            </button>
          </li>
          <li>
            <button
              type="submit"
              class="fr-btn fr-btn--secondary"
              name="decision"
              value="refuser"
              formnovalidate
            >
              {t('oauth.pairing.refuse')}
            </button>
          </li>
        </ul>
      </form>
    </Page>,
  );
}

/** A request that cannot go on (expired, service unavailable): the message, and a way back when there is one. */
export function pairingMessagePage(
  ctx: PageContext,
  input: { title: string; message: string; uid?: string },
): string {
  const { t } = ctx;
  return renderPage(
    <Page ctx={ctx} title={input.title} css={['alert']}>
      <h1>{input.title}</h1>
      <Alert kind="error">
        <p>{input.message}</p>
      </Alert>
      {input.uid ? (
        <form method="post" action={`/appariement/${encodeURIComponent(input.uid)}`}>
          <Csrf ctx={ctx} />
          <input type="hidden" name="decision" value="refuser" />
          <button type="submit" class="fr-btn fr-btn--secondary">
            {t('oauth.pairing.back_to_service')}
          </button>
        </form>
      ) : null}
    </Page>,
  );
}

/** oidc-provider's errors that cannot go back to the service (unknown client, wrong redirect URI...). */
export function oauthErrorPage(ctx: PageContext, error: string, description: string): string {
  const { t } = ctx;
  const title = t('oauth.error.title');
  return renderPage(
    <Page ctx={ctx} title={title} css={['alert']}>
      <h1>{title}</h1>
      <Alert kind="error">
        <p>{t('oauth.error.intro')}</p>
        <p class="fr-mb-0">
          {t('oauth.error.detail', { detail: description ? `${error} — ${description}` : error })}
        </p>
      </Alert>
    </Page>,
  );
}
