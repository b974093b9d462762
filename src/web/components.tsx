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
