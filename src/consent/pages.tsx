/**
 * The citizen's space for services and consents: the paired services (their own and those of the minors in
 * their care), one service's consents (change, withdraw, re-approve, unpair), the activity history, the export
 * of all their data and the closing of the space. Server-rendered DSFR pages that work without JavaScript.
 */
import { Alert, Csrf, TableFrame } from '../web/components.tsx';
import { formatDate } from '../web/dates.ts';
import { Page, type PageContext } from '../web/layout.tsx';
import type { ErasureStep } from './citizen-data.ts';
import {
  actionsText,
  activeFinalites,
  ConsentSummary,
  type ConsentTitles,
  FinaliteChoices,
  PersonSelect,
} from './components.tsx';
import type { ActivityItem, ManagedCitizen, PairingView } from './service.ts';

export const SERVICES_PATH = '/usager/services';
export const ACTIVITY_PATH = '/usager/activite';
export const CLOSE_PATH = '/usager/fermer';
export const EXPORT_JSON_PATH = '/usager/export.json';
export const EXPORT_FHIR_PATH = '/usager/export.fhir.json';
export const servicePath = (pairingId: string) => `${SERVICES_PATH}/${pairingId}`;

// ── the status of a pairing ─────────────────────────────────────────────────

export type PairingState = 'active' | 'reapproval' | 'suspended' | 'unavailable' | 'unpaired';

const exchanging = new Set(['EN_LIGNE', 'PRESERIE']);

/** What the citizen is told of a pairing, most pressing first. */
export function pairingState(p: PairingView): PairingState {
  if (p.status === 'unpaired') return 'unpaired';
  if (p.catalogueStatus === 'SUSPENDUE') return 'suspended';
  if (!exchanging.has(p.catalogueStatus ?? '')) return 'unavailable';
  if (p.needsReapproval) return 'reapproval';
  return 'active';
}

const badgeClass: Record<PairingState, string> = {
  active: 'fr-badge--success',
  reapproval: 'fr-badge--warning',
  suspended: 'fr-badge--error',
  unavailable: 'fr-badge--error',
  unpaired: 'fr-badge--info',
};

export function StateBadge({ ctx, pairing }: { ctx: PageContext; pairing: PairingView }) {
  const state = pairingState(pairing);
  return (
    <p class={`fr-badge fr-badge--sm ${badgeClass[state]}`}>{ctx.t(`citizen_services.state.${state}`)}</p>
  );
}

/** Why the state is what it is, in a sentence (none for an active pairing). */
export function stateExplanation(ctx: PageContext, p: PairingView): string | undefined {
  const state = pairingState(p);
  if (state === 'reapproval')
    return p.needsReapproval === 'majority'
      ? ctx.t('citizen_services.why.majority')
      : ctx.t('citizen_services.why.version', { version: p.currentVersion });
  if (state === 'active') return undefined;
  return ctx.t(`citizen_services.why.${state}`, { date: formatDate(ctx.locale, p.unpairedAt, 'day') });
}

// ── my services ─────────────────────────────────────────────────────────────

export interface PersonServices {
  person: ManagedCitizen;
  pairings: PairingView[];
}

function PersonSection({
  ctx,
  entry,
  titles,
}: {
  ctx: PageContext;
  entry: PersonServices;
  titles: ConsentTitles;
}) {
  const { t } = ctx;
  const { person, pairings } = entry;
  const headingId = `personne-${person.id}`;
  const heading = person.self
    ? t('citizen_services.mine')
    : t('citizen_services.of_minor', { name: person.name });
  return (
    <section class="fr-mb-6w" aria-labelledby={headingId}>
      <h2 id={headingId}>{heading}</h2>
      {!person.self && person.majorityDate ? (
        <p class="fr-text--sm">
          {t('citizen_services.minor_until', {
            date: formatDate(ctx.locale, person.majorityDate, 'long-day'),
          })}
        </p>
      ) : null}
      {pairings.length === 0 ? (
        <p>
          {person.self
            ? t('citizen_services.none_self')
            : t('citizen_services.none_minor', { name: person.name })}{' '}
          <a class="fr-link" href="/catalogue">
            {t('citizen_services.to_catalogue')}
          </a>
        </p>
      ) : (
        <TableFrame caption={t('citizen_services.caption', { who: heading })}>
          <thead>
            <tr>
              <th scope="col">{t('citizen_services.col.service')}</th>
              <th scope="col">{t('citizen_services.col.state')}</th>
              <th scope="col">{t('citizen_services.col.consents')}</th>
              <th scope="col">{t('citizen_services.col.manage')}</th>
            </tr>
          </thead>
          <tbody>
            {pairings.map((p) => {
              const why = stateExplanation(ctx, p);
              return (
                <tr key={p.id}>
                  <td>
                    <span class="fr-text--bold">{p.serviceName}</span>
                    <span class="fr-hint-text">{p.organisationName}</span>
                  </td>
                  <td>
                    <StateBadge ctx={ctx} pairing={p} />
                    {why ? <span class="fr-hint-text">{why}</span> : null}
                  </td>
                  <td>
                    {p.status === 'active' ? (
                      <ConsentSummary ctx={ctx} consents={p.consents} titles={titles} />
                    ) : (
                      t('citizen_services.unpaired_short')
                    )}
                  </td>
                  <td>
                    <a class="fr-link" href={servicePath(p.id)}>
                      {p.status === 'active'
                        ? t('citizen_services.manage', { service: p.serviceName })
                        : t('citizen_services.see', { service: p.serviceName })}
                    </a>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </TableFrame>
      )}
    </section>
  );
}

export function ServicesPage({
  ctx,
  people,
  titles,
}: {
  ctx: PageContext;
  people: PersonServices[];
  titles: ConsentTitles;
}) {
  const { t } = ctx;
  const title = t('citizen_services.title');
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['badge', 'table', 'form']}
      breadcrumb={[
        [t('nav.citizen'), '/usager'],
        [title, SERVICES_PATH],
      ]}
    >
      <h1>{title}</h1>
      <p class="fr-text--lead">{t('citizen_services.lead')}</p>
      {people.map((entry) => (
        <PersonSection ctx={ctx} entry={entry} titles={titles} key={entry.person.id} />
      ))}
      <p>
        <a class="fr-link" href={ACTIVITY_PATH}>
          {t('citizen_services.to_activity')}
        </a>
      </p>
    </Page>
  );
}

// ── one service ─────────────────────────────────────────────────────────────

export type ServiceFlash = 'saved' | 'withdrawn' | 'reapproved' | 'unpaired';

export interface ServiceShown {
  flash?: ServiceFlash;
  /** The change was made on an older version of the pairing: the page shows the current one. */
  conflict?: boolean;
  /** A refused change: its message, already in the reader's language. */
  error?: string;
  /** The finalités ticked in the refused form (shown again). */
  chosen?: string[];
}

function ConsentHistory({
  ctx,
  pairing,
  titles,
}: {
  ctx: PageContext;
  pairing: PairingView;
  titles: ConsentTitles;
}) {
  const { t } = ctx;
  if (pairing.consents.length === 0) return <p>{t('citizen_services.history_none')}</p>;
  return (
    <TableFrame caption={t('citizen_services.history_caption')}>
      <thead>
        <tr>
          <th scope="col">{t('citizen_services.col.finalite')}</th>
          <th scope="col">{t('citizen_services.col.category')}</th>
          <th scope="col">{t('citizen_services.col.action')}</th>
          <th scope="col">{t('citizen_services.col.consent_state')}</th>
          <th scope="col">{t('citizen_services.col.granted')}</th>
          <th scope="col">{t('citizen_services.col.withdrawn')}</th>
        </tr>
      </thead>
      <tbody>
        {pairing.consents.map((c) => (
          <tr key={`${c.finalite}-${c.category}-${c.action}`}>
            <td>{titles.finalite(c.finalite)}</td>
            <td>{titles.category(c.category)}</td>
            <td>{actionsText(ctx, [c.action])}</td>
            <td>{t(`citizen_services.consent.${c.status}`)}</td>
            <td>{formatDate(ctx.locale, c.grantedAt)}</td>
            <td>{c.withdrawnAt ? formatDate(ctx.locale, c.withdrawnAt) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </TableFrame>
  );
}

export function ServicePage({
  ctx,
  pairing,
  person,
  titles,
  shown = {},
}: {
  ctx: PageContext;
  pairing: PairingView;
  /** Whose space the pairing is in, when it is not the signed-in citizen's (a minor in their care). */
  person?: string;
  titles: ConsentTitles;
  shown?: ServiceShown;
}) {
  const { t } = ctx;
  const title = pairing.serviceName;
  const state = pairingState(pairing);
  const why = stateExplanation(ctx, pairing);
  const active = pairing.status === 'active';
  const chosen = shown.chosen ?? activeFinalites(pairing.consents);
  const path = servicePath(pairing.id);
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['badge', 'table', 'form', 'checkbox', 'alert', 'callout']}
      breadcrumb={[
        [t('nav.citizen'), '/usager'],
        [t('citizen_services.title'), SERVICES_PATH],
        [title, path],
      ]}
    >
      <h1>{title}</h1>
      <p class="fr-text--lead">
        {t('citizen_services.by', { organisation: pairing.organisationName })}
        {person ? ` — ${t('citizen_services.for_minor', { name: person })}` : ''}
      </p>
      {shown.flash ? (
        <Alert kind="success" title={t(`citizen_services.flash.${shown.flash}`)}>
          {shown.flash === 'withdrawn' || shown.flash === 'unpaired' ? (
            <p>{t('citizen_services.immediate')}</p>
          ) : null}
        </Alert>
      ) : null}
      {shown.conflict ? (
        <Alert kind="warning" title={t('citizen_services.conflict_title')}>
          <p>{t('citizen_services.conflict')}</p>
        </Alert>
      ) : null}
      {shown.error ? (
        <Alert kind="error" title={t('citizen_services.refused')}>
          <p>{shown.error}</p>
        </Alert>
      ) : null}
      <dl class="fr-mb-3w">
        <dt class="fr-text--bold">{t('citizen_services.col.state')}</dt>
        <dd>
          <StateBadge ctx={ctx} pairing={pairing} />
          {why ? <p class="fr-mt-1w">{why}</p> : null}
        </dd>
        <dt class="fr-text--bold">{t('citizen_services.paired_at')}</dt>
        <dd>{formatDate(ctx.locale, pairing.pairedAt)}</dd>
        {pairing.unpairedAt && !active ? (
          <>
            <dt class="fr-text--bold">{t('citizen_services.unpaired_at')}</dt>
            <dd>{formatDate(ctx.locale, pairing.unpairedAt)}</dd>
          </>
        ) : null}
        <dt class="fr-text--bold">{t('citizen_services.version')}</dt>
        <dd>
          {pairing.acknowledgedVersion === pairing.currentVersion
            ? pairing.currentVersion
            : t('citizen_services.version_changed', {
                approved: pairing.acknowledgedVersion,
                current: pairing.currentVersion,
              })}
        </dd>
      </dl>

      {active ? (
        <>
          <h2>{t('citizen_services.consents_title')}</h2>
          <div class="fr-callout fr-mb-3w">
            <p class="fr-callout__text">{t('citizen_services.immediate_notice')}</p>
          </div>
          <form method="post" action={path}>
            <Csrf ctx={ctx} />
            <input type="hidden" name="rowVersion" value={String(pairing.rowVersion)} />
            <FinaliteChoices
              ctx={ctx}
              offer={pairing.offer}
              chosen={chosen}
              titles={titles}
              legend={t('citizen_services.choices_legend', { service: pairing.serviceName })}
            />
            <button type="submit" class="fr-btn" name="intent" value="save">
              {state === 'reapproval' ? t('citizen_services.reapprove') : t('citizen_services.save')}
            </button>
          </form>

          <h2 class="fr-mt-6w">{t('citizen_services.stop_title')}</h2>
          <form method="post" action={`${path}/retrait`} class="fr-mb-3w">
            <Csrf ctx={ctx} />
            <input type="hidden" name="rowVersion" value={String(pairing.rowVersion)} />
            <p>{t('citizen_services.withdraw_all_lead')}</p>
            <button type="submit" class="fr-btn fr-btn--secondary">
              {t('citizen_services.withdraw_all')}
            </button>
          </form>
          <p>{t('citizen_services.unpair_lead')}</p>
          <p>
            <a class="fr-btn fr-btn--tertiary" href={`${path}/desynchroniser`}>
              {t('citizen_services.unpair')}
            </a>
          </p>
        </>
      ) : (
        <p>
          {t('citizen_services.unpaired_lead')}{' '}
          <a class="fr-link" href="/catalogue">
            {t('citizen_services.to_catalogue')}
          </a>
        </p>
      )}

      <h2 class="fr-mt-6w">{t('citizen_services.history_title')}</h2>
      <ConsentHistory ctx={ctx} pairing={pairing} titles={titles} />
      <p>
        <a class="fr-link" href={`${ACTIVITY_PATH}?personne=${encodeURIComponent(pairing.citizenId)}`}>
          {t('citizen_services.to_activity')}
        </a>
      </p>
    </Page>
  );
}

/** The confirmation step of unpairing (désynchroniser): what it does, confirm or go back. */
export function UnpairPage({
  ctx,
  pairing,
  person,
}: {
  ctx: PageContext;
  pairing: PairingView;
  person?: string;
}) {
  const { t } = ctx;
  const title = t('citizen_services.unpair_title', { service: pairing.serviceName });
  const path = servicePath(pairing.id);
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['alert']}
      breadcrumb={[
        [t('nav.citizen'), '/usager'],
        [t('citizen_services.title'), SERVICES_PATH],
        [pairing.serviceName, path],
        [t('citizen_services.unpair'), `${path}/desynchroniser`],
      ]}
    >
      <h1>{title}</h1>
      {person ? <p class="fr-text--lead">{t('citizen_services.for_minor', { name: person })}</p> : null}
      <Alert kind="warning" title={t('citizen_services.unpair_what_title')}>
        <p>{t('citizen_services.unpair_what', { service: pairing.serviceName })}</p>
      </Alert>
      <p>{t('citizen_services.unpair_again')}</p>
      <form method="post" action={`${path}/desynchroniser`}>
        <Csrf ctx={ctx} />
        <input type="hidden" name="rowVersion" value={String(pairing.rowVersion)} />
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn">
              {t('citizen_services.unpair_confirm')}
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href={path}>
              {t('citizen_services.unpair_cancel')}
            </a>
          </li>
        </ul>
      </form>
    </Page>
  );
}

// ── activity ────────────────────────────────────────────────────────────────

export function ActivityPage({
  ctx,
  people,
  selected,
  items,
  titles,
  olderHref,
  newestHref,
}: {
  ctx: PageContext;
  people: ManagedCitizen[];
  selected: ManagedCitizen;
  items: ActivityItem[];
  titles: ConsentTitles;
  olderHref?: string;
  newestHref?: string;
}) {
  const { t } = ctx;
  const title = t('citizen_activity.title');
  const who = selected.self ? t('citizen_activity.who_self') : selected.name;
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['table', 'form', 'select', 'pagination']}
      breadcrumb={[
        [t('nav.citizen'), '/usager'],
        [title, ACTIVITY_PATH],
      ]}
    >
      <h1>{title}</h1>
      <p class="fr-text--lead">{t('citizen_activity.lead')}</p>
      {people.length > 1 ? (
        <form method="get" action={ACTIVITY_PATH} class="fr-mb-3w">
          <PersonSelect
            people={people}
            selected={selected}
            label={t('citizen_activity.person')}
            selfLabel={t('citizen_activity.who_self')}
          />
          <button type="submit" class="fr-btn fr-btn--secondary">
            {t('citizen_activity.show')}
          </button>
        </form>
      ) : null}
      {items.length === 0 ? (
        <p>{newestHref ? t('citizen_activity.no_older') : t('citizen_activity.none')}</p>
      ) : (
        <TableFrame caption={t('citizen_activity.caption', { who })}>
          <thead>
            <tr>
              <th scope="col">{t('citizen_activity.col.date')}</th>
              <th scope="col">{t('citizen_activity.col.service')}</th>
              <th scope="col">{t('citizen_activity.col.what')}</th>
              <th scope="col">{t('citizen_activity.col.data')}</th>
              <th scope="col">{t('citizen_activity.col.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => (
              <tr key={i}>
                <td>{formatDate(ctx.locale, item.at)}</td>
                <td>{item.serviceName}</td>
                <td>
                  {t(`citizen_activity.kind.${item.kind}`)}
                  {item.kind !== 'access' && item.by === 'guardian' ? (
                    <span class="fr-hint-text">{t('citizen_activity.by_guardian')}</span>
                  ) : null}
                  {item.finalites && item.finalites.length > 0 ? (
                    <span class="fr-hint-text">
                      {t('citizen_activity.finalites', {
                        list: item.finalites.map((f) => titles.finalite(f)).join(', '),
                      })}
                    </span>
                  ) : null}
                </td>
                <td>
                  {item.category ? titles.category(item.category) : '—'}
                  {item.action ? <span class="fr-hint-text">{actionsText(ctx, [item.action])}</span> : null}
                </td>
                <td>
                  {item.outcome
                    ? t(`citizen_activity.outcome.${item.outcome}`) +
                      (item.outcome === 'deny' && item.reason
                        ? ` — ${t(`citizen_activity.reason.${item.reason}`)}`
                        : '')
                    : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </TableFrame>
      )}
      {olderHref || newestHref ? (
        <nav class="fr-pagination" aria-label={t('citizen_activity.pages')}>
          <ul class="fr-pagination__list">
            {newestHref ? (
              <li>
                <a class="fr-pagination__link fr-pagination__link--first" href={newestHref}>
                  {t('citizen_activity.newest')}
                </a>
              </li>
            ) : null}
            {olderHref ? (
              <li>
                <a
                  class="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
                  href={olderHref}
                >
                  {t('citizen_activity.older')}
                </a>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </Page>
  );
}

// ── my data: export and closing ─────────────────────────────────────────────

export function ClosePage({
  ctx,
  steps,
  minors,
  error,
}: {
  ctx: PageContext;
  steps: readonly ErasureStep[];
  /** Names of the minors in the citizen's care (their spaces stay: they are theirs). */
  minors: string[];
  error?: string;
}) {
  const { t } = ctx;
  const title = t('citizen_data.close.title');
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['alert', 'form', 'checkbox', 'callout']}
      breadcrumb={[
        [t('nav.citizen'), '/usager'],
        [title, CLOSE_PATH],
      ]}
    >
      <h1>{title}</h1>
      {error ? (
        <Alert kind="error" title={t('citizen_data.close.refused')}>
          <p>
            <a href="#confirmation">{error}</a>
          </p>
        </Alert>
      ) : null}
      <p class="fr-text--lead">{t('citizen_data.close.lead')}</p>
      <h2>{t('citizen_data.close.erased_title')}</h2>
      <ul>
        {steps.map((s) => (
          <li key={s.name}>{t(s.label)}</li>
        ))}
      </ul>
      <h2>{t('citizen_data.close.kept_title')}</h2>
      <ul>
        <li>{t('citizen_data.kept.audit')}</li>
        <li>{t('citizen_data.kept.complaints')}</li>
        <li>{t('citizen_data.kept.minors_consents')}</li>
      </ul>
      <p>
        <a class="fr-link" href="/donnees-personnelles">
          {t('citizen_data.close.privacy_link')}
        </a>
      </p>
      {minors.length > 0 ? (
        <div class="fr-callout fr-mb-3w">
          <p class="fr-callout__text">{t('citizen_data.close.minors', { names: minors.join(', ') })}</p>
        </div>
      ) : null}
      <div class="fr-callout fr-mb-3w">
        <p class="fr-callout__text">
          {t('citizen_data.close.export_first')}{' '}
          <a class="fr-link" href={EXPORT_JSON_PATH}>
            {t('citizen_data.export.json')}
          </a>
        </p>
      </div>
      <form method="post" action={CLOSE_PATH}>
        <Csrf ctx={ctx} />
        <fieldset
          class={`fr-fieldset${error ? ' fr-fieldset--error' : ''}`}
          id="confirmation-set"
          aria-labelledby="confirmation-legend confirmation-messages"
        >
          <legend class="fr-fieldset__legend" id="confirmation-legend">
            {t('citizen_data.close.confirm_legend')}
          </legend>
          <div class="fr-fieldset__element">
            <div class="fr-checkbox-group">
              <input
                type="checkbox"
                id="confirmation"
                name="confirmation"
                value="oui"
                aria-describedby={error ? 'confirmation-messages' : undefined}
              />
              <label class="fr-label" for="confirmation">
                {t('citizen_data.close.confirm_label')}
              </label>
            </div>
          </div>
          <div class="fr-messages-group" id="confirmation-messages" aria-live="polite">
            {error ? <p class="fr-message fr-message--error">{error}</p> : null}
          </div>
        </fieldset>
        <ul class="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button type="submit" class="fr-btn">
              {t('citizen_data.close.submit')}
            </button>
          </li>
          <li>
            <a class="fr-btn fr-btn--secondary" href="/usager">
              {t('citizen_data.close.cancel')}
            </a>
          </li>
        </ul>
      </form>
    </Page>
  );
}

export function ClosedPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  const title = t('citizen_data.closed.title');
  return (
    <Page ctx={ctx} title={title} css={['alert']}>
      <h1>{title}</h1>
      <Alert kind="success" title={t('citizen_data.closed.done')}>
        <p>{t('citizen_data.closed.signed_out')}</p>
      </Alert>
      <p>{t('citizen_data.closed.kept')}</p>
      <ul class="fr-btns-group fr-btns-group--inline-md">
        <li>
          <a class="fr-btn" href="/">
            {t('error.back_home')}
          </a>
        </li>
        <li>
          <a class="fr-btn fr-btn--secondary" href="/donnees-personnelles">
            {t('citizen_data.close.privacy_link')}
          </a>
        </li>
      </ul>
    </Page>
  );
}

/** The « Mes données » sections of `/usager`: my services, history, health data, export, closing. */
export function CitizenDataLinks({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <>
      <section class="fr-mb-4w" aria-labelledby="mes-services">
        <h2 id="mes-services">{t('citizen_services.title')}</h2>
        <p>{t('citizen_services.space_lead')}</p>
        <ul>
          <li>
            <a class="fr-link" href={SERVICES_PATH}>
              {t('citizen_services.space_link')}
            </a>
          </li>
          <li>
            <a class="fr-link" href={ACTIVITY_PATH}>
              {t('citizen_activity.title')}
            </a>
          </li>
        </ul>
      </section>
      <section class="fr-mb-4w" aria-labelledby="mes-donnees-sante">
        <h2 id="mes-donnees-sante">{t('measures_page.space_title')}</h2>
        <p>{t('measures_page.space_lead')}</p>
        <ul>
          <li>
            <a class="fr-link" href="/usager/mesures">
              {t('measures_page.title')}
            </a>
          </li>
          <li>
            <a class="fr-link" href="/usager/documents">
              {t('documents_page.title')}
            </a>
          </li>
        </ul>
      </section>
      <section class="fr-mb-4w" aria-labelledby="mes-donnees">
        <h2 id="mes-donnees">{t('citizen_data.title')}</h2>
        <p>{t('citizen_data.lead')}</p>
        <ul>
          <li>
            <a class="fr-link" href={EXPORT_JSON_PATH} download>
              {t('citizen_data.export.json')}
            </a>
          </li>
          <li>
            <a class="fr-link" href={EXPORT_FHIR_PATH} download>
              {t('citizen_data.export.fhir')}
            </a>
          </li>
          <li>
            <a class="fr-link" href={CLOSE_PATH}>
              {t('citizen_data.close.title')}
            </a>
          </li>
        </ul>
      </section>
    </>
  );
}
