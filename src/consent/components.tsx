/**
 * The pieces of consent every citizen-facing page shows the same way: the choice of finalités (the
 * authorization server's consent page and the citizen's « mes services » page), and a read-only summary of a
 * pairing's consents. Titles of finalités and data categories come from the referential versions, in the
 * reader's language.
 */
import type { Locale } from '../platform/i18n.ts';
import type { Referentials } from '../referential/index.ts';
import type { PageContext } from '../web/layout.tsx';
import type { ConsentAction, ConsentOffer, Exchange } from './model.ts';

/** How a page names finalités and data categories (built once per request with `consentTitles`). */
export interface ConsentTitles {
  finalite(code: string): string;
  /** The finalité's description, when the referential gives one. */
  finaliteDescription(code: string): string | undefined;
  category(code: string): string;
}

/**
 * Titles from the referential versions, newest first (a code a newer version dropped keeps the title an older
 * one gave it); an unknown code shows as itself.
 */
export function consentTitles(referentials: Referentials, locale: Locale): ConsentTitles {
  const finalites = new Map<string, { title: string; description?: string }>();
  const categories = new Map<string, string>();
  for (const version of referentials.versions) {
    for (const f of version.finalites) {
      if (!finalites.has(f.code))
        finalites.set(f.code, { title: f.title[locale], description: f.description?.[locale] });
    }
    for (const c of version.dataCategories) {
      if (!categories.has(c.code)) categories.set(c.code, c.title[locale]);
    }
  }
  return {
    finalite: (code) => finalites.get(code)?.title ?? code,
    finaliteDescription: (code) => finalites.get(code)?.description,
    category: (code) => categories.get(code) ?? code,
  };
}

/** The actions on each data category, in the order the categories first appear. */
function actionsByCategory(
  exchanges: readonly Exchange[],
): Array<{ category: string; actions: ConsentAction[] }> {
  const byCategory = new Map<string, ConsentAction[]>();
  for (const e of exchanges) {
    const actions = byCategory.get(e.category) ?? [];
    if (!actions.includes(e.action)) actions.push(e.action);
    byCategory.set(e.category, actions);
  }
  return [...byCategory].map(([category, actions]) => ({
    category,
    actions: actions.sort((a, b) => (a === b ? 0 : a === 'read' ? -1 : 1)),
  }));
}

/** « consulter », « ajouter », « consulter et ajouter ». */
export function actionsText(ctx: PageContext, actions: readonly ConsentAction[]): string {
  const read = actions.includes('read');
  const write = actions.includes('write');
  if (read && write) return ctx.t('consent_ui.action.read_write');
  return ctx.t(read ? 'consent_ui.action.read' : 'consent_ui.action.write');
}

/**
 * In plain words, what a finalité lets the service do: « Pression artérielle : consulter et ajouter ; Poids :
 * consulter ».
 */
export function exchangesText(
  ctx: PageContext,
  titles: ConsentTitles,
  exchanges: readonly Exchange[],
): string {
  return actionsByCategory(exchanges)
    .map(({ category, actions }) =>
      ctx.t('consent_ui.exchange', {
        category: titles.category(category),
        actions: actionsText(ctx, actions),
      }),
    )
    .join(ctx.t('consent_ui.separator'));
}

/**
 * A DSFR fieldset with one checkbox per finalité of the offer: its title, and as the checkbox's hint the data
 * categories it covers and whether the service reads (« consulter ») and/or writes (« ajouter ») them. The
 * checkboxes send `name` (default `finalites`) with the finalité's code. `errors` are texts already in the
 * reader's language; they are linked to the fieldset (aria-describedby through its messages group).
 */
export function FinaliteChoices({
  ctx,
  offer,
  chosen,
  titles,
  name = 'finalites',
  legend,
  hint,
  errors = [],
  id = 'finalites',
}: {
  ctx: PageContext;
  offer: ConsentOffer;
  chosen: readonly string[];
  titles: ConsentTitles;
  name?: string;
  legend?: string;
  hint?: string;
  errors?: readonly string[];
  /** The fieldset's id (prefix of its checkboxes' ids): set it when a page shows two of them. */
  id?: string;
}) {
  const { t } = ctx;
  const hasError = errors.length > 0;
  const messagesId = `${id}-messages`;
  return (
    <fieldset
      class={`fr-fieldset${hasError ? ' fr-fieldset--error' : ''}`}
      id={id}
      aria-labelledby={`${id}-legend ${messagesId}`}
    >
      <legend class="fr-fieldset__legend" id={`${id}-legend`}>
        {legend ?? t('consent_ui.legend')}
        <span class="fr-hint-text">{hint ?? t('consent_ui.hint')}</span>
      </legend>
      {offer.finalites.length === 0 ? (
        <div class="fr-fieldset__element">
          <p>{t('consent_ui.nothing_offered')}</p>
        </div>
      ) : null}
      {offer.finalites.map((f) => {
        const inputId = `${id}-${f.code}`;
        const description = titles.finaliteDescription(f.code);
        return (
          <div class="fr-fieldset__element" key={f.code}>
            <div class="fr-checkbox-group">
              <input
                type="checkbox"
                id={inputId}
                name={name}
                value={f.code}
                checked={chosen.includes(f.code)}
                aria-describedby={hasError ? messagesId : undefined}
              />
              <label class="fr-label" for={inputId}>
                {titles.finalite(f.code)}
                <span class="fr-hint-text">
                  {description ? `${description} ` : ''}
                  {t('consent_ui.covers', { exchanges: exchangesText(ctx, titles, f.exchanges) })}
                </span>
              </label>
            </div>
          </div>
        );
      })}
      <div class="fr-messages-group" id={messagesId} aria-live="polite">
        {errors.map((error, i) => (
          <p class="fr-message fr-message--error" id={`${id}-error-${i}`} key={error}>
            {error}
          </p>
        ))}
      </div>
    </fieldset>
  );
}

/** One consent as the summary shows it. */
export interface ConsentLine {
  finalite: string;
  category: string;
  action: ConsentAction;
  status: 'active' | 'withdrawn';
  grantedAt: Date | string;
  withdrawnAt: Date | string | null;
}

/**
 * The active consents of a pairing, per finalité, read-only: « Prévention — Pression artérielle : consulter et
 * ajouter ». Nothing active: says so.
 */
export function ConsentSummary({
  ctx,
  consents,
  titles,
}: {
  ctx: PageContext;
  consents: readonly ConsentLine[];
  titles: ConsentTitles;
}) {
  const active = consents.filter((c) => c.status === 'active');
  if (active.length === 0) return <p class="fr-mb-0">{ctx.t('consent_ui.none_active')}</p>;
  const finalites = [...new Set(active.map((c) => c.finalite))];
  return (
    <ul class="fr-mb-0">
      {finalites.map((code) => (
        <li key={code}>
          <strong>{titles.finalite(code)}</strong>
          {ctx.t('consent_ui.dash')}
          {exchangesText(
            ctx,
            titles,
            active.filter((c) => c.finalite === code),
          )}
        </li>
      ))}
    </ul>
  );
}

/** The finalités with at least one active consent. */
export function activeFinalites(consents: readonly ConsentLine[]): string[] {
  return [...new Set(consents.filter((c) => c.status === 'active').map((c) => c.finalite))];
}

/**
 * The select of whose space a page shows (the citizen, or a minor in their care), named `personne`; the caller
 * puts it in its GET form and shows it only when there is a choice.
 */
export function PersonSelect({
  people,
  selected,
  label,
  selfLabel,
}: {
  people: readonly { id: string; name: string; self: boolean }[];
  selected: { id: string };
  label: string;
  /** How the citizen themself is named in the list. */
  selfLabel: string;
}) {
  return (
    <div class="fr-select-group">
      <label class="fr-label" for="personne">
        {label}
      </label>
      <select class="fr-select" id="personne" name="personne">
        {people.map((p) => (
          <option value={p.id} selected={p.id === selected.id} key={p.id}>
            {p.self ? selfLabel : p.name}
          </option>
        ))}
      </select>
    </div>
  );
}
