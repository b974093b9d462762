import type { Db } from '../platform/db/index.ts';
import type { App } from '../platform/http.ts';
import { Alert, Csrf, Pagination } from '../web/components.tsx';
import { sendHtml as html, Page, type PageContext, renderPage } from '../web/layout.tsx';
import { type Notification, notificationSubject, notificationText, pageNumber } from './model.ts';
import type { InboxPage } from './service.ts';
import * as service from './service.ts';

export const INBOX_PAGE = '/notifications';

const flashes: Record<string, string> = {
  read: 'notification.flash.read',
  all_read: 'notification.flash.all_read',
};

function pageHref(page: number): string {
  return page === 1 ? INBOX_PAGE : `${INBOX_PAGE}?page=${page}`;
}

function when(ctx: PageContext, date: Date): string {
  return date.toLocaleString(ctx.locale === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone: 'Europe/Paris',
    dateStyle: 'long',
    timeStyle: 'short',
  });
}

function Item({ ctx, n, page }: { ctx: PageContext; n: Notification; page: number }) {
  const { t } = ctx;
  const subject = notificationSubject(t, n);
  const headingId = `notification-${n.id}`;
  return (
    <li class="fr-mb-4w">
      {n.readAt ? null : <p class="fr-badge fr-badge--new fr-badge--sm fr-mb-1w">{t('notification.new')}</p>}
      <h2 class="fr-h6 fr-mb-1w" id={headingId}>
        {n.link ? <a href={n.link}>{subject}</a> : subject}
      </h2>
      <p class="fr-mb-1w">{notificationText(t, n)}</p>
      <p class="fr-text--sm fr-mb-1w">
        <time datetime={n.createdAt.toISOString()}>
          {t('notification.received', { date: when(ctx, n.createdAt) })}
        </time>
        {n.readAt ? `, ${t('notification.read_at', { date: when(ctx, n.readAt) })}` : null}
      </p>
      {n.readAt ? null : (
        <form method="post" action={`${INBOX_PAGE}/${n.id}/lu`}>
          <Csrf ctx={ctx} />
          <input type="hidden" name="page" value={String(page)} />
          <button type="submit" class="fr-btn fr-btn--sm fr-btn--secondary">
            {t('notification.mark_read')}
            <span class="fr-sr-only"> — {subject}</span>
          </button>
        </form>
      )}
    </li>
  );
}

function InboxView({ ctx, inbox, flash }: { ctx: PageContext; inbox: InboxPage; flash?: string }) {
  const { t } = ctx;
  const unread =
    inbox.unread === 0
      ? t('notification.unread_none')
      : inbox.unread === 1
        ? t('notification.unread_one')
        : t('notification.unread_many', { count: inbox.unread });
  return (
    <Page ctx={ctx} title={t('notification.title')} css={['badge', 'alert', 'pagination']}>
      <h1>{t('notification.title')}</h1>
      {flash ? (
        <Alert kind="success">
          <p>{t(flash)}</p>
        </Alert>
      ) : null}
      <p>{t('notification.intro')}</p>
      <p>
        <strong>{unread}</strong>
      </p>
      {inbox.unread > 0 ? (
        <form method="post" action={`${INBOX_PAGE}/tout-lu`} class="fr-mb-4w">
          <Csrf ctx={ctx} />
          <button type="submit" class="fr-btn fr-btn--secondary">
            {t('notification.mark_all_read')}
          </button>
        </form>
      ) : null}
      {inbox.items.length === 0 ? (
        <p>{inbox.page === 1 ? t('notification.empty') : t('notification.page_empty')}</p>
      ) : (
        <ul
          class="fr-raw-list"
          aria-label={t('notification.list_label', { page: inbox.page, pages: inbox.pages })}
        >
          {inbox.items.map((n) => (
            <Item ctx={ctx} n={n} page={inbox.page} key={n.id} />
          ))}
        </ul>
      )}
      <Pagination
        ctx={ctx}
        page={inbox.page}
        pages={inbox.pages}
        href={pageHref}
        label={t('notification.pagination')}
      />
    </Page>
  );
}

type Query = Record<string, unknown> | undefined;

/** The inbox page (« Notifications ») of any signed-in account or citizen; its forms work without JavaScript. */
export function notificationPages(db: Db) {
  return async (app: App) => {
    const hide = { hide: true };

    app.get(
      INBOX_PAGE,
      { config: { action: 'notification.inbox' }, schema: hide },
      async (request, reply) => {
        const query = request.query as Query;
        const inbox = await service.listInbox(db, request.actor, { page: pageNumber(query?.page) });
        const flash = flashes[String(query?.ok ?? '')];
        return html(
          reply,
          200,
          renderPage(<InboxView ctx={request.pageContext()} inbox={inbox} flash={flash} />),
        );
      },
    );

    app.post<{ Params: { id: string } }>(
      `${INBOX_PAGE}/:id/lu`,
      { config: { action: 'notification.inbox' }, schema: hide },
      async (request, reply) => {
        await service.markNotificationRead(db, request.actor, request.params.id);
        const page = pageNumber((request.body as Query)?.page);
        const back = page === 1 ? `${INBOX_PAGE}?ok=read` : `${INBOX_PAGE}?page=${page}&ok=read`;
        return reply.redirect(back, 303);
      },
    );

    app.post(
      `${INBOX_PAGE}/tout-lu`,
      { config: { action: 'notification.inbox' }, schema: hide },
      async (request, reply) => {
        await service.markAllNotificationsRead(db, request.actor);
        return reply.redirect(`${INBOX_PAGE}?ok=all_read`, 303);
      },
    );
  };
}
