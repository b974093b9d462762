import { CitizenDataLinks } from '../consent/pages.tsx';
import { TableFrame } from '../web/components.tsx';
import { formatCalendarDay } from '../web/dates.ts';
import { Page, type PageContext, renderPage } from '../web/layout.tsx';
import { INS_NIR_TEST_SYSTEM, type TestIdentity } from './citizen-model.ts';
import type { CitizenRow } from './citizen-service.ts';

/** A `YYYY-MM-DD` day in the reader's language ("14 mars 1984"). */
export const formatDay = (ctx: PageContext, day: string): string => formatCalendarDay(ctx.locale, day);

function Ins({ ctx, value, system }: { ctx: PageContext; value: string; system: string | null }) {
  return (
    <>
      <span class="mesref-secret">{value}</span>
      {system === INS_NIR_TEST_SYSTEM ? (
        <span class="fr-hint-text">{ctx.t('citizen.field.ins_hint', { system })}</span>
      ) : null}
    </>
  );
}

function CitizenSpace({
  ctx,
  citizen,
  minors,
}: {
  ctx: PageContext;
  citizen: CitizenRow;
  minors: CitizenRow[];
}) {
  const { t } = ctx;
  const name = `${citizen.givenName} ${citizen.familyName}`;
  return (
    // `form` styles the hint texts (DSFR's fr-hint-text is a line of its own there).
    <Page ctx={ctx} title={t('citizen.space.title')} css={['table', 'callout', 'form']}>
      <h1>{t('citizen.space.hello', { name })}</h1>
      <section class="fr-mb-4w" aria-labelledby="identite">
        <h2 id="identite">{t('citizen.space.identity')}</h2>
        <p class="fr-text--sm">{t('citizen.space.identity_source')}</p>
        <dl>
          <dt class="fr-text--bold">{t('citizen.field.name')}</dt>
          <dd>{name}</dd>
          <dt class="fr-text--bold">{t('citizen.field.birthdate')}</dt>
          <dd>{citizen.birthdate ? formatDay(ctx, citizen.birthdate) : t('citizen.field.unknown')}</dd>
          {citizen.insValue ? (
            <>
              <dt class="fr-text--bold">{t('citizen.field.ins')}</dt>
              <dd>
                <Ins ctx={ctx} value={citizen.insValue} system={citizen.insSystem} />
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      {minors.length > 0 ? (
        <section class="fr-mb-4w" aria-labelledby="mineurs">
          <h2 id="mineurs">{t('citizen.space.minors')}</h2>
          <p>{t('citizen.space.minors_lead')}</p>
          <TableFrame>
            <caption>{t('citizen.space.minors_caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('citizen.field.name')}</th>
                <th scope="col">{t('citizen.field.birthdate')}</th>
                <th scope="col">{t('citizen.field.ins')}</th>
              </tr>
            </thead>
            <tbody>
              {minors.map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.givenName} {m.familyName}
                  </td>
                  <td>{m.birthdate ? formatDay(ctx, m.birthdate) : t('citizen.field.unknown')}</td>
                  <td>
                    {m.insValue ? (
                      <span class="mesref-secret">{m.insValue}</span>
                    ) : (
                      t('citizen.field.unknown')
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </TableFrame>
        </section>
      ) : null}
      <CitizenDataLinks ctx={ctx} />
      <section class="fr-mb-4w" aria-labelledby="signalements">
        <h2 id="signalements">{t('complaint.citizen.space_link')}</h2>
        <p>{t('complaint.citizen.space_lead')}</p>
        <p>
          <a class="fr-link" href="/usager/signalements">
            {t('complaint.citizen.space_see')}
          </a>
        </p>
      </section>
      <div class="fr-callout">
        <p class="fr-callout__text">{t('citizen.space.next')}</p>
      </div>
    </Page>
  );
}

export const citizenSpacePage = (ctx: PageContext, citizen: CitizenRow, minors: CitizenRow[]) =>
  renderPage(<CitizenSpace ctx={ctx} citizen={citizen} minors={minors} />);

/** A sign-in that did not complete: what happened, and a way to start again. */
export function signInFailedPage(ctx: PageContext, message: string, retryHref: string): string {
  const { t } = ctx;
  return renderPage(
    <Page ctx={ctx} title={t('citizen.sign_in.failed_title')} css={['alert']}>
      <h1>{t('citizen.sign_in.failed_title')}</h1>
      <div class="fr-alert fr-alert--error fr-mb-3w">
        <p>{message}</p>
      </div>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a class="fr-btn" href={retryHref}>
            {t('citizen.sign_in.retry')}
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href="/">
            {t('error.back_home')}
          </a>
        </li>
      </ul>
    </Page>,
  );
}

// ── the sandbox's test identity provider ────────────────────────────────────

function SandboxNotice({ ctx }: { ctx: PageContext }) {
  return (
    <div class="fr-notice fr-notice--info fr-mb-3w">
      <div class="fr-container">
        <div class="fr-notice__body">
          <p>
            <span class="fr-notice__title">{ctx.t('test_idp.notice')}</span>
          </p>
        </div>
      </div>
    </div>
  );
}

function TestIdpChooser({
  ctx,
  uid,
  clientName,
  identities,
}: {
  ctx: PageContext;
  uid: string;
  clientName: string;
  identities: TestIdentity[];
}) {
  const { t } = ctx;
  const base = `/test-idp/interaction/${encodeURIComponent(uid)}`;
  return (
    // `form` styles the hint texts (a person's description on a line of its own, under their name).
    <Page ctx={ctx} title={t('test_idp.title')} css={['notice', 'table', 'form']}>
      <h1>{t('test_idp.title')}</h1>
      <SandboxNotice ctx={ctx} />
      <p class="fr-text--lead">{t('test_idp.lead', { client: clientName })}</p>
      <TableFrame hideCaption>
        <caption>{t('test_idp.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('test_idp.col.person')}</th>
            <th scope="col">{t('test_idp.col.birthdate')}</th>
            <th scope="col">{t('test_idp.col.ins')}</th>
            <th scope="col">{t('test_idp.col.action')}</th>
          </tr>
        </thead>
        <tbody>
          {identities.map((identity) => {
            const name = `${identity.given_name} ${identity.family_name}`;
            return (
              <tr key={identity.sub}>
                <td>
                  <span class="fr-text--bold">{name}</span>
                  {identity.description ? (
                    <span class="fr-hint-text">{identity.description[ctx.locale]}</span>
                  ) : null}
                </td>
                <td>{formatDay(ctx, identity.birthdate)}</td>
                <td>
                  {identity.ins ? <span class="mesref-secret">{identity.ins}</span> : t('test_idp.no_ins')}
                </td>
                <td>
                  <form method="post" action={`${base}/login`}>
                    <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                    <input type="hidden" name="sub" value={identity.sub} />
                    <button type="submit" class="fr-btn fr-btn--sm">
                      {t('test_idp.sign_in_as', { name })}
                    </button>
                  </form>
                </td>
              </tr>
            );
          })}
        </tbody>
      </TableFrame>
      <form method="post" action={`${base}/abort`}>
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <button type="submit" class="fr-btn fr-btn--tertiary">
          {t('test_idp.cancel')}
        </button>
      </form>
    </Page>
  );
}

export const testIdpChooserPage = (
  ctx: PageContext,
  uid: string,
  clientName: string,
  identities: TestIdentity[],
) => renderPage(<TestIdpChooser ctx={ctx} uid={uid} clientName={clientName} identities={identities} />);

/** A page of the test provider with one message (expired request, signed out, protocol error). */
export function testIdpMessagePage(ctx: PageContext, message: string, kind: 'info' | 'error'): string {
  const { t } = ctx;
  return renderPage(
    <Page ctx={ctx} title={t('test_idp.title')} css={['notice', 'alert']}>
      <h1>{t('test_idp.title')}</h1>
      <SandboxNotice ctx={ctx} />
      <div class={`fr-alert fr-alert--${kind} fr-mb-3w`}>
        <p>{message}</p>
      </div>
      <p>
        <a class="fr-link" href="/">
          {t('error.back_home')}
        </a>
      </p>
    </Page>,
  );
}

/** The provider's sign-out confirmation: its own form (action and anti-forgery value given by oidc-provider). */
export function testIdpLogoutPage(ctx: PageContext, action: string, xsrf: string): string {
  const { t } = ctx;
  return renderPage(
    <Page ctx={ctx} title={t('test_idp.logout.title')} css={['notice']}>
      <h1>{t('test_idp.logout.title')}</h1>
      <SandboxNotice ctx={ctx} />
      <p>{t('test_idp.logout.question')}</p>
      <form method="post" action={action}>
        <input type="hidden" name="xsrf" value={xsrf} />
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn" name="logout" value="yes">
              {t('test_idp.logout.yes')}
            </button>
          </li>
          <li>
            <button type="submit" class="fr-btn fr-btn--secondary">
              {t('test_idp.logout.no')}
            </button>
          </li>
        </ul>
      </form>
    </Page>,
  );
}
