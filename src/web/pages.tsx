import type { AppContext } from '../app.ts';
import { type App, CSRF_FIELD } from '../platform/http.ts';
import { listMail } from '../platform/mail.ts';
import { Page, type PageContext, renderPage } from './layout.tsx';

/** The page shown for an error, in the site's frame. */
export function ErrorPage(ctx: PageContext, status: number, message: string): string {
  const title = ctx.t('error.title', { status });
  return renderPage(
    <Page ctx={ctx} title={title} css={['alert']}>
      <h1>{title}</h1>
      <div class="fr-alert fr-alert--error fr-mb-3w">
        <p>{message}</p>
      </div>
      <p>
        <a class="fr-link" href="/">
          {ctx.t('error.back_home')}
        </a>
      </p>
    </Page>,
  );
}

function Home({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  const audiences = [
    {
      title: t('home.publisher.title'),
      text: t('home.publisher.text'),
      href: '/editeur',
      link: t('home.publisher.link'),
    },
    {
      title: t('home.staff.title'),
      text: t('home.staff.text'),
      href: '/instruction',
      link: t('home.staff.link'),
    },
    {
      title: t('home.citizen.title'),
      text: t('home.citizen.text'),
      href: '/usager',
      link: t('home.citizen.link'),
    },
    {
      title: t('home.pathway.title'),
      text: t('home.pathway.text'),
      href: '/parcours',
      link: t('pathway.nav'),
    },
    {
      title: t('home.resources.title'),
      text: t('home.resources.text'),
      href: '/ressources',
      link: t('pathway.resources_nav'),
    },
    {
      title: t('home.times.title'),
      text: t('home.times.text'),
      href: '/referencement/delais',
      link: t('home.times.link'),
    },
    { title: t('home.api.title'), text: t('home.api.text'), href: '/api/docs', link: t('home.api.link') },
  ];
  return (
    <Page ctx={ctx} title={t('home.title')} css={['card']}>
      <h1>{t('home.title')}</h1>
      <p class="fr-text--lead">{t('home.lead')}</p>
      <div class="fr-grid-row fr-grid-row--gutters">
        {audiences.map((a) => (
          <div class="fr-col-12 fr-col-md-6" key={a.href}>
            <div class="fr-card fr-enlarge-link">
              <div class="fr-card__body">
                <div class="fr-card__content">
                  <h2 class="fr-card__title">
                    <a href={a.href}>{a.link}</a>
                  </h2>
                  <p class="fr-card__desc">{a.text}</p>
                  <div class="fr-card__start">
                    <p class="fr-card__detail">{a.title}</p>
                  </div>
                </div>
              </div>
            </div>
          </div>
        ))}
      </div>
    </Page>
  );
}

/** A static text page made of catalog paragraphs: `<prefix>.title`, `<prefix>.p1`, `<prefix>.p2`, … */
function TextPage({ ctx, prefix, paragraphs }: { ctx: PageContext; prefix: string; paragraphs: number }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t(`${prefix}.title`)}>
      <h1>{t(`${prefix}.title`)}</h1>
      {Array.from({ length: paragraphs }, (_, i) => {
        const key = `${prefix}.p${i + 1}`;
        return <p key={key}>{t(key)}</p>;
      })}
    </Page>
  );
}

/** A mail's text with its web addresses as links (sandbox mails carry verification and sign-in links). */
function MailText({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"]+)/g);
  return (
    <pre class="mesref-mail__body">
      {parts.map((part, i) => (i % 2 === 1 ? <a href={part}>{part}</a> : part))}
    </pre>
  );
}

/**
 * The sandbox's captured mail, newest first. Every mail is shown whole (no disclosure widget), so the page
 * reads the same without JavaScript.
 */
function Mailbox({ ctx, mails }: { ctx: PageContext; mails: Awaited<ReturnType<typeof listMail>> }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('mailbox.title')} css={['notice']}>
      <h1>{t('mailbox.title')}</h1>
      <div class="fr-notice fr-notice--info fr-mb-4w">
        <div class="fr-container">
          <div class="fr-notice__body">
            <p class="fr-notice__title">{t('mailbox.notice')}</p>
          </div>
        </div>
      </div>
      {mails.length === 0 ? (
        <p>{t('mailbox.empty')}</p>
      ) : (
        mails.map((mail) => (
          <section class="mesref-mail fr-mb-4w" key={mail.id} aria-labelledby={`mail-${mail.id}`}>
            <h2 class="fr-h5 fr-mb-1w" id={`mail-${mail.id}`}>
              {mail.subject}
            </h2>
            <p class="fr-text--sm fr-mb-1w">
              {t('mailbox.meta', {
                to: mail.to,
                date: mail.createdAt.toLocaleString(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', {
                  timeZone: 'Europe/Paris',
                }),
              })}
            </p>
            <MailText text={mail.text} />
          </section>
        ))
      )}
    </Page>
  );
}

/**
 * For a page that shows nothing but the app's configuration and its messages: an anonymous visitor's copy is
 * rendered once per locale and path, then served as is (rendering is most of such a request's cost). Signed-in
 * people get their own render (their name, their menu). A render with a form (it carries the request's CSRF
 * token) is never kept, so a form added to such a page later cannot leak one visitor's token to another.
 */
function renderedOncePerLocale(render: (ctx: PageContext) => string): (ctx: PageContext) => string {
  const rendered = new Map<string, string>();
  return (ctx) => {
    if (ctx.actor.kind !== 'anonymous') return render(ctx);
    const key = `${ctx.locale} ${ctx.path}`;
    const kept = rendered.get(key);
    if (kept !== undefined) return kept;
    const page = render(ctx);
    if (!page.includes(`name="${CSRF_FIELD}"`)) rendered.set(key, page);
    return page;
  };
}

/** Home, legal pages and the sandbox mailbox. */
export function webPages(ctx: AppContext) {
  return async (app: App) => {
    const html = 'text/html; charset=utf-8';
    const home = renderedOncePerLocale((c) => renderPage(<Home ctx={c} />));
    app.get('/', { config: { action: 'public.view' }, schema: { hide: true } }, async (request, reply) =>
      reply.type(html).send(home(request.pageContext())),
    );
    for (const [path, prefix, paragraphs] of [
      ['/accessibilite', 'a11y', 6],
      ['/mentions-legales', 'legal', 4],
      ['/donnees-personnelles', 'privacy', 9],
    ] as const) {
      const page = renderedOncePerLocale((c) =>
        renderPage(<TextPage ctx={c} prefix={prefix} paragraphs={paragraphs} />),
      );
      app.get(path, { config: { action: 'public.view' }, schema: { hide: true } }, async (request, reply) =>
        reply.type(html).send(page(request.pageContext())),
      );
    }
    app.get(
      '/bac-a-sable/courriels',
      { config: { action: 'sandbox.mailbox' }, schema: { hide: true } },
      async (request, reply) =>
        reply
          .type(html)
          .send(renderPage(<Mailbox ctx={request.pageContext()} mails={await listMail(ctx.db)} />)),
    );
  };
}
