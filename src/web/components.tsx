/** DSFR pieces every module's pages use the same way. */
import type { ComponentChildren } from 'preact';
import type { PageContext } from './layout.tsx';

/** The form's CSRF token (every form that changes something carries it). */
export function Csrf({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

/** A DSFR alert; an error one is announced to screen readers at once. */
export function Alert({
  kind,
  title,
  children,
}: {
  kind: 'error' | 'success' | 'info' | 'warning';
  title?: string;
  children?: ComponentChildren;
}) {
  return (
    <div class={`fr-alert fr-alert--${kind} fr-mb-3w`} role={kind === 'error' ? 'alert' : undefined}>
      {title ? <h2 class="fr-alert__title">{title}</h2> : null}
      {children}
    </div>
  );
}

// ── forms ───────────────────────────────────────────────────────────────────

/** What a failed service call shows on a page: its message, translated, and its field problems. */
export interface PageError {
  message: string;
  fields: Record<string, string>;
}

/** The page form of an application error (`params` replace the error's own, e.g. translated states). */
export function pageErrorOf(
  request: { t(key: string, params?: Record<string, string | number>): string },
  error: { message: string; params?: Record<string, string | number>; fields?: Record<string, string> },
  params: Record<string, string | number> | undefined = error.params,
): PageError {
  return { message: request.t(error.message, params), fields: error.fields ?? {} };
}

/** The DSFR messages group below a field: its error (a message key), if any. */
export function FieldMessages({ ctx, id, error }: { ctx: PageContext; id: string; error?: string }) {
  return (
    <div class="fr-messages-group" id={`${id}-messages`} aria-live="polite">
      {error ? (
        <p class="fr-message fr-message--error" id={`${id}-message-error`}>
          {ctx.t(error)}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A DSFR text input (or text area) with its label, hint and error message, as DSFR documents it: the hint
 * inside the label (read once, with the label), the message in a messages group the input is described by.
 */
export function TextField(props: {
  ctx: PageContext;
  id: string;
  name: string;
  label: string;
  hint?: string;
  value?: string;
  error?: string;
  type?: 'text' | 'url' | 'email' | 'tel' | 'password' | 'date' | 'number' | 'search';
  multiline?: boolean;
  rows?: number;
  required?: boolean;
  autocomplete?: string;
  inputMode?: string;
  min?: number | string;
  max?: number | string;
  maxLength?: number;
}) {
  const common = {
    class: 'fr-input',
    id: props.id,
    name: props.name,
    required: props.required,
    maxLength: props.maxLength,
    'aria-describedby': `${props.id}-messages`,
    'aria-invalid': props.error ? ('true' as const) : undefined,
  };
  return (
    <div class={`fr-input-group${props.error ? ' fr-input-group--error' : ''}`}>
      <label class="fr-label" for={props.id}>
        {props.label}
        {props.hint ? <span class="fr-hint-text">{props.hint}</span> : null}
      </label>
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 5}>
          {props.value ?? ''}
        </textarea>
      ) : (
        <input
          {...common}
          type={props.type ?? 'text'}
          value={props.type === 'password' ? undefined : props.value}
          autocomplete={props.autocomplete}
          inputMode={props.inputMode}
          min={props.min}
          max={props.max}
        />
      )}
      <FieldMessages ctx={props.ctx} id={props.id} error={props.error} />
    </div>
  );
}

/** A DSFR select with its label and error message. */
export function SelectField(props: {
  ctx: PageContext;
  id: string;
  name: string;
  label: string;
  hint?: string;
  options: Array<[string, string]>;
  value?: string;
  error?: string;
  /** An empty first option, e.g. « Choisir ». */
  placeholder?: string;
}) {
  return (
    <div class={`fr-select-group${props.error ? ' fr-select-group--error' : ''}`}>
      <label class="fr-label" for={props.id}>
        {props.label}
        {props.hint ? <span class="fr-hint-text">{props.hint}</span> : null}
      </label>
      <select
        class="fr-select"
        id={props.id}
        name={props.name}
        aria-describedby={`${props.id}-messages`}
        aria-invalid={props.error ? 'true' : undefined}
      >
        {props.placeholder !== undefined ? (
          <option value="" selected={!props.value}>
            {props.placeholder}
          </option>
        ) : null}
        {props.options.map(([value, label]) => (
          <option value={value} selected={value === props.value} key={value}>
            {label}
          </option>
        ))}
      </select>
      <FieldMessages ctx={props.ctx} id={props.id} error={props.error} />
    </div>
  );
}

/** A DSFR fieldset of checkboxes (several choices) or radios (one), with its legend and error message. */
export function ChoiceGroup(props: {
  ctx: PageContext;
  id: string;
  name: string;
  legend: string;
  hint?: string;
  type: 'checkbox' | 'radio';
  options: Array<[string, string]>;
  checked: readonly string[];
  error?: string;
  inline?: boolean;
  /** The small DSFR variant. */
  small?: boolean;
  /** Each option's id: `${id}-${value}` (default) or `${id}-${index}` when values are not fit for an id. */
  optionIds?: 'value' | 'index';
}) {
  const group = props.type === 'checkbox' ? 'fr-checkbox-group' : 'fr-radio-group';
  const groupClass = props.small ? `${group} ${group}--sm` : group;
  return (
    <fieldset
      class={`fr-fieldset${props.error ? ' fr-fieldset--error' : ''}`}
      id={props.id}
      aria-labelledby={`${props.id}-legend ${props.id}-messages`}
    >
      <legend class="fr-fieldset__legend fr-fieldset__legend--regular" id={`${props.id}-legend`}>
        {props.legend}
        {props.hint ? <span class="fr-hint-text">{props.hint}</span> : null}
      </legend>
      {props.options.map(([value, label], i) => {
        const optionId = `${props.id}-${props.optionIds === 'index' ? i : value}`;
        return (
          <div
            class={`fr-fieldset__element${props.inline ? ' fr-fieldset__element--inline' : ''}`}
            key={value}
          >
            <div class={groupClass}>
              <input
                type={props.type}
                id={optionId}
                name={props.name}
                value={value}
                checked={props.checked.includes(value)}
              />
              <label class="fr-label" for={optionId}>
                {label}
              </label>
            </div>
          </div>
        );
      })}
      <FieldMessages ctx={props.ctx} id={props.id} error={props.error} />
    </fieldset>
  );
}

/**
 * The alert above a form: the message, then each field to correct, as a link to it when `targets` knows
 * where it is (its label and the id of its element).
 */
export function FormError({
  ctx,
  error,
  targets,
}: {
  ctx: PageContext;
  error?: PageError;
  targets: Record<string, [string, string]> | ((field: string) => [string, string] | undefined);
}) {
  if (!error) return null;
  const target = typeof targets === 'function' ? targets : (field: string) => targets[field];
  const fields = Object.entries(error.fields);
  return (
    <Alert kind="error" title={error.message}>
      {fields.length > 0 ? (
        <ul>
          {fields.map(([field, message]) => {
            const [label, anchor] = target(field) ?? [field, ''];
            return (
              <li key={field}>
                {anchor ? <a href={`#${anchor}`}>{label}</a> : label} : {ctx.t(message)}
              </li>
            );
          })}
        </ul>
      ) : null}
    </Alert>
  );
}

// ── lists ───────────────────────────────────────────────────────────────────

/** A DSFR table in its documented frame; multiline: cells wrap, and it scrolls only where it cannot fit. */
export function TableFrame({
  caption,
  hideCaption = false,
  children,
}: {
  caption?: string;
  hideCaption?: boolean;
  children: ComponentChildren;
}) {
  return (
    <div class={`fr-table fr-table--multiline${hideCaption ? ' fr-table--no-caption' : ''}`}>
      <div class="fr-table__wrapper">
        <div class="fr-table__container">
          <div class="fr-table__content">
            <table>
              {caption ? <caption>{caption}</caption> : null}
              {children}
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

/** The DSFR pagination: first, previous, the pages around this one, next, last; `href` makes a page's link. */
export function Pagination({
  ctx,
  page,
  pages,
  href,
  label,
}: {
  ctx: PageContext;
  page: number;
  pages: number;
  href: (page: number) => string;
  /** The navigation's name for screen readers (« Pages de la file »). */
  label: string;
}) {
  const { t } = ctx;
  if (pages <= 1 && page <= 1) return null;
  const numbers: number[] = [];
  for (let p = Math.max(1, page - 2); p <= Math.min(pages, page + 2); p++) numbers.push(p);
  const edge = (target: number, enabled: boolean, modifier: string, text: string) => (
    <li>
      {enabled ? (
        <a class={`fr-pagination__link ${modifier}`} href={href(target)}>
          {text}
        </a>
      ) : (
        // biome-ignore lint/a11y/useValidAnchor: the DSFR pagination's disabled link has no href
        <a class={`fr-pagination__link ${modifier}`} aria-disabled="true" role="link">
          {text}
        </a>
      )}
    </li>
  );
  return (
    <nav class="fr-pagination" aria-label={label}>
      <ul class="fr-pagination__list">
        {edge(1, page > 1, 'fr-pagination__link--first', t('pagination.first'))}
        {edge(
          page - 1,
          page > 1,
          'fr-pagination__link--prev fr-pagination__link--lg-label',
          t('pagination.previous'),
        )}
        {numbers.map((p) => (
          <li key={p}>
            <a
              class="fr-pagination__link"
              href={href(p)}
              aria-current={p === page ? 'page' : undefined}
              title={t('pagination.page', { page: p })}
            >
              {p}
            </a>
          </li>
        ))}
        {edge(
          page + 1,
          page < pages,
          'fr-pagination__link--next fr-pagination__link--lg-label',
          t('pagination.next'),
        )}
        {edge(pages, page < pages, 'fr-pagination__link--last', t('pagination.last'))}
      </ul>
    </nav>
  );
}
