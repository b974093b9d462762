import type { FastifyReply } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Actor } from '../identity/model.ts';
import type { Locale, Translate } from '../platform/i18n.ts';
import { bundleUrl, DSFR_VERSION, hasScript } from './assets.ts';

/** DSFR components whose CSS a page may ask for, beyond those the layout always loads. */
export type DsfrComponent =
  | 'alert'
  | 'badge'
  | 'breadcrumb'
  | 'callout'
  | 'card'
  | 'checkbox'
  | 'form'
  | 'input'
  | 'notice'
  | 'password'
  | 'radio'
  | 'select'
  | 'sidemenu'
  | 'table'
  | 'tag'
  | 'tile'
  | 'toggle'
  | 'pagination'
  | 'stepper'
  | 'summary'
  | 'tab'
  | 'accordion'
  | 'upload'
  | 'connect'
  | 'highlight'
  | 'content'
  | 'segmented';

/**
 * Parts a page adds beyond the DSFR's (see assets.ts): mesref's own scripts (`src/web/static/mesref-*.js`) and
 * uPlot, the charts' library. Each is loaded as a style sheet part and as a script part when it has both.
 */
export type OwnPart = 'uplot' | `mesref-${string}`;

/** The frame's own components; `modal` holds the header's menu on small screens (DSFR header dependency). */
const alwaysLoaded = [
  'link',
  'button',
  'skiplink',
  'header',
  'footer',
  'navigation',
  'logo',
  'modal',
] as const;

/** What every page knows of the request it answers. */
export interface PageContext {
  t: Translate;
  locale: Locale;
  actor: Actor;
  csrfToken: string;
  /** The path of the page (without query), for the navigation's current item and the language switch. */
  path: string;
  stateBrand: boolean;
  operatorName: string;
  mode: 'sandbox' | 'production';
}

export interface PageProps {
  ctx: PageContext;
  title: string;
  css?: DsfrComponent[];
  children: ComponentChildren;
  /** Breadcrumb trail above the title: [label, href] pairs, the last one is the current page. */
  breadcrumb?: Array<[string, string]>;
  /** mesref's own parts, in order: scripts (one bundle after the DSFR's) and style sheets (with the page's). */
  own?: { css?: OwnPart[]; js?: OwnPart[] };
}

interface NavItem {
  href: string;
  label: string;
}

/** The header's navigation depends on who is signed in. */
export function navigationFor(ctx: PageContext): NavItem[] {
  const { t, actor } = ctx;
  const items: NavItem[] = [
    { href: '/', label: t('nav.home') },
    { href: '/catalogue', label: t('catalogue.nav') },
    { href: '/parcours', label: t('pathway.nav') },
    { href: '/ressources', label: t('pathway.resources_nav') },
  ];
  if (actor.kind === 'account') {
    if (actor.memberships.length > 0) items.push({ href: '/editeur', label: t('nav.publisher') });
    if (actor.staffRoles.length > 0) items.push({ href: '/instruction', label: t('nav.instruction') });
    if (actor.staffRoles.includes('admin')) items.push({ href: '/admin', label: t('nav.admin') });
    items.push({ href: '/notifications', label: t('notification.nav') });
    items.push({ href: '/compte', label: t('nav.account') });
  } else if (actor.kind === 'citizen') {
    items.push({ href: '/usager', label: t('nav.citizen') });
    items.push({ href: '/notifications', label: t('notification.nav') });
  }
  if (ctx.mode === 'sandbox') items.push({ href: '/bac-a-sable/courriels', label: t('nav.mailbox') });
  return items;
}

function Brand({ ctx }: { ctx: PageContext }) {
  if (!ctx.stateBrand) return null;
  return (
    <div class="fr-header__logo">
      <p class="fr-logo">
        République
        <br />
        Française
      </p>
    </div>
  );
}

function Header({ ctx }: { ctx: PageContext }) {
  const { t, actor } = ctx;
  const nav = navigationFor(ctx);
  const other: Locale = ctx.locale === 'fr' ? 'en' : 'fr';
  return (
    <header class="fr-header">
      <div class="fr-header__body">
        <div class="fr-container">
          <div class="fr-header__body-row">
            <div class="fr-header__brand fr-enlarge-link">
              <div class="fr-header__brand-top">
                <Brand ctx={ctx} />
                <div class="fr-header__navbar">
                  <button
                    type="button"
                    class="fr-btn--menu fr-btn"
                    data-fr-opened="false"
                    aria-controls="modal-menu"
                    aria-haspopup="menu"
                    id="button-menu"
                    title={t('nav.menu')}
                  >
                    {t('nav.menu')}
                  </button>
                </div>
              </div>
              <div class="fr-header__service">
                <a href="/" title={t('nav.home_title', { name: ctx.operatorName })}>
                  <p class="fr-header__service-title">
                    {ctx.operatorName}
                    {ctx.mode === 'sandbox' ? (
                      <span class="fr-badge fr-badge--sm fr-badge--warning fr-ml-1w">
                        {t('mode.sandbox')}
                      </span>
                    ) : null}
                  </p>
                </a>
                <p class="fr-header__service-tagline">{t('app.tagline')}</p>
              </div>
            </div>
            <div class="fr-header__tools">
              <div class="fr-header__tools-links">
                <HeaderTools ctx={ctx} other={other} />
              </div>
            </div>
          </div>
        </div>
      </div>
      {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: the DSFR header's menu modal, as documented */}
      <div class="fr-header__menu fr-modal" id="modal-menu" aria-labelledby="button-menu">
        <div class="fr-container">
          <button
            type="button"
            class="fr-btn--close fr-btn"
            aria-controls="modal-menu"
            title={t('nav.close')}
          >
            {t('nav.close')}
          </button>
          <div class="fr-header__menu-links">
            <HeaderTools ctx={ctx} other={other} />
          </div>
          <nav class="fr-nav" id="navigation" aria-label={t('nav.main')}>
            <ul class="fr-nav__list">
              {nav.map((item) => (
                <li class="fr-nav__item" key={item.href}>
                  <a
                    class="fr-nav__link"
                    href={item.href}
                    aria-current={
                      item.href === '/'
                        ? ctx.path === '/'
                          ? 'page'
                          : undefined
                        : ctx.path.startsWith(item.href)
                          ? 'page'
                          : undefined
                    }
                  >
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </div>
      </div>
      {actor.kind === 'anonymous' ? null : (
        <span class="fr-sr-only">{t('nav.signed_in_as', { name: actorName(actor) })}</span>
      )}
    </header>
  );
}

function actorName(actor: Actor): string {
  if (actor.kind === 'account') return actor.displayName;
  if (actor.kind === 'citizen') return actor.displayName;
  return '';
}

function HeaderTools({ ctx, other }: { ctx: PageContext; other: Locale }) {
  const { t, actor } = ctx;
  return (
    <ul class="fr-btns-group">
      <li>
        <a class="fr-btn" href={`${ctx.path}?lang=${other}`} lang={other} hreflang={other}>
          {other === 'en' ? 'English' : 'Français'}
        </a>
      </li>
      {actor.kind === 'anonymous' ? (
        <>
          <li>
            <a class="fr-btn" href="/connexion">
              {t('nav.sign_in')}
            </a>
          </li>
          <li>
            <a class="fr-btn" href="/usager/connexion">
              {t('nav.citizen_sign_in')}
            </a>
          </li>
        </>
      ) : (
        <li>
          <form method="post" action={actor.kind === 'citizen' ? '/usager/deconnexion' : '/deconnexion'}>
            <input type="hidden" name="_csrf" value={ctx.csrfToken} />
            <button type="submit" class="fr-btn">
              {t('nav.sign_out', { name: actorName(actor) })}
            </button>
          </form>
        </li>
      )}
    </ul>
  );
}

function Footer({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <footer class="fr-footer" role="contentinfo" id="footer">
      <div class="fr-container">
        <div class="fr-footer__body">
          <div class="fr-footer__brand fr-enlarge-link">
            {ctx.stateBrand ? (
              <a href="/" title={t('nav.home_title', { name: ctx.operatorName })}>
                <p class="fr-logo">
                  République
                  <br />
                  Française
                </p>
              </a>
            ) : (
              <a
                class="fr-footer__brand-link"
                href="/"
                title={t('nav.home_title', { name: ctx.operatorName })}
              >
                {ctx.operatorName}
              </a>
            )}
          </div>
          <div class="fr-footer__content">
            <p class="fr-footer__content-desc">{t('footer.description')}</p>
          </div>
        </div>
        <div class="fr-footer__bottom">
          <ul class="fr-footer__bottom-list">
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/accessibilite">
                {t('footer.accessibility')}
              </a>
            </li>
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/mentions-legales">
                {t('footer.legal')}
              </a>
            </li>
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/donnees-personnelles">
                {t('footer.personal_data')}
              </a>
            </li>
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/api/docs">
                {t('footer.api')}
              </a>
            </li>
          </ul>
          <div class="fr-footer__bottom-copy">
            <p>{t('footer.licence')}</p>
          </div>
        </div>
      </div>
    </footer>
  );
}

function Breadcrumb({ ctx, trail }: { ctx: PageContext; trail: Array<[string, string]> }) {
  return (
    <nav class="fr-breadcrumb" aria-label={ctx.t('nav.breadcrumb')}>
      <ol class="fr-breadcrumb__list">
        {trail.map(([label, href], i) => (
          <li key={href}>
            {i === trail.length - 1 ? (
              // biome-ignore lint/a11y/useValidAnchor: the DSFR breadcrumb's current item is a link without href
              <a class="fr-breadcrumb__link" aria-current="page">
                {label}
              </a>
            ) : (
              <a class="fr-breadcrumb__link" href={href}>
                {label}
              </a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/**
 * The bundles a page loads (see assets.ts): the frame's sheet (the State's fonts replaced first for a neutral
 * operator, the DSFR core, the frame's components, mesref's rules), the sheet of the page's other components,
 * and the DSFR scripts of all of them (core first), with the frame's apart when the page adds its own; then
 * the page's own parts (`OwnPart`: a sheet with the page's, scripts in a bundle of their own).
 */
export function pageAssets(
  ctx: PageContext,
  css: readonly DsfrComponent[],
  breadcrumb: boolean,
  parts: { css?: readonly OwnPart[]; js?: readonly OwnPart[] } = {},
) {
  const frame: string[] = [...alwaysLoaded, ...(ctx.mode === 'sandbox' ? ['badge'] : [])];
  const own = [...new Set([...css, ...(breadcrumb ? ['breadcrumb'] : [])])].filter((c) => !frame.includes(c));
  const frameCss = bundleUrl('css', [
    ...(ctx.stateBrand ? [] : ['mesref-neutral']),
    'core',
    ...frame,
    'mesref',
  ]);
  const pageParts = [...own, ...(parts.css ?? [])];
  const pageCss = pageParts.length > 0 ? bundleUrl('css', pageParts) : undefined;
  const frameScripts = frame.filter(hasScript);
  const ownScripts = own.filter(hasScript);
  const scripts = [bundleUrl('js', ['core', ...frameScripts])];
  if (ownScripts.length > 0) scripts.push(bundleUrl('js', ownScripts));
  // mesref's scripts come last, in one bundle of their own: a module whose parts share its scope (uPlot's
  // build declares `uPlot` there for the page script after it).
  if (parts.js && parts.js.length > 0) scripts.push(bundleUrl('js', parts.js));
  return { frameCss, pageCss, scripts };
}

/** The frame of every page: skip links, header, main content, footer. */
export function Page({ ctx, title, css = [], children, breadcrumb, own }: PageProps): VNode {
  const { frameCss, pageCss, scripts } = pageAssets(ctx, css, breadcrumb !== undefined, own);
  return (
    <html lang={ctx.locale} data-fr-scheme="light" class={ctx.stateBrand ? undefined : 'mesref-neutral'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no" />
        <title>{`${title} — ${ctx.operatorName}`}</title>
        {/* The frame's sheet (the same on every page, kept by the browser), then the page's components. */}
        <link rel="stylesheet" href={frameCss} />
        {pageCss ? <link rel="stylesheet" href={pageCss} /> : null}
        <noscript>
          <link rel="stylesheet" href="/static/mesref-noscript.css" />
        </noscript>
        <link rel="icon" href={`/dsfr/favicon/favicon.svg?v=${DSFR_VERSION}`} type="image/svg+xml" />
        {scripts.map((src) => (
          <script type="module" src={src} key={src} />
        ))}
      </head>
      <body>
        <div class="fr-skiplinks">
          <nav class="fr-container" aria-label={ctx.t('nav.skiplinks')}>
            <ul class="fr-skiplinks__list">
              <li>
                <a class="fr-link" href="#contenu">
                  {ctx.t('nav.skip_content')}
                </a>
              </li>
              <li>
                <a class="fr-link" href="#navigation">
                  {ctx.t('nav.skip_menu')}
                </a>
              </li>
              <li>
                <a class="fr-link" href="#footer">
                  {ctx.t('nav.skip_footer')}
                </a>
              </li>
            </ul>
          </nav>
        </div>
        <Header ctx={ctx} />
        <main id="contenu" class="fr-container fr-py-4w" tabindex={-1}>
          {breadcrumb ? <Breadcrumb ctx={ctx} trail={breadcrumb} /> : null}
          {children}
        </main>
        <Footer ctx={ctx} />
      </body>
    </html>
  );
}

/** Renders a page to an HTML document. */
/** Sends a rendered page: HTML, never stored by a cache (pages may show who is signed in). */
export function sendHtml(reply: FastifyReply, status: number, body: string) {
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
}

export function renderPage(vnode: VNode): string {
  return `<!doctype html>${renderToString(vnode)}`;
}
