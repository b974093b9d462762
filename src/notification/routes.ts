import { type Static, Type } from '@sinclair/typebox';
import type { Db } from '../platform/db/index.ts';
import { type App, ErrorBody } from '../platform/http.ts';
import type { Translate } from '../platform/i18n.ts';
import { type Notification, notificationText } from './model.ts';
import * as service from './service.ts';

// ── schemas ─────────────────────────────────────────────────────────────────

const DateTime = Type.String({ format: 'date-time' });

export const NotificationSchema = Type.Object({
  id: Type.String({ description: 'UUID' }),
  kind: Type.String({
    description: 'Nature de la notification / kind of notification (dossier.notify.submitted…)',
  }),
  text: Type.String({ description: 'Texte dans la langue de la requête / text in the request’s language' }),
  link: Type.Union([Type.String(), Type.Null()], {
    description: 'Chemin de la page concernée / path of the page it is about',
  }),
  createdAt: DateTime,
  readAt: Type.Union([DateTime, Type.Null()]),
});

const ListQuery = Type.Object({
  unread: Type.Optional(Type.Boolean({ description: 'Seulement les non lues / unread ones only' })),
  page: Type.Optional(Type.Integer({ minimum: 1, description: '30 par page / 30 a page' })),
});

const ListBody = Type.Object({
  items: Type.Array(NotificationSchema),
  unread: Type.Integer({ description: 'Non lues dans toute la boîte / unread in the whole inbox' }),
  page: Type.Integer(),
  pages: Type.Integer(),
});

const errors = { '4xx': ErrorBody };
const bearer = [{ bearer: [] }];
const tags = ['notifications'];

export function notificationJson(t: Translate, n: Notification): Static<typeof NotificationSchema> {
  return {
    id: n.id,
    kind: n.kind,
    text: notificationText(t, n),
    link: n.link,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt ? n.readAt.toISOString() : null,
  };
}

// ── routes ──────────────────────────────────────────────────────────────────

/** The caller's own notifications under /api/v1: the same use cases as the inbox page. */
export function notificationRoutes(db: Db) {
  return async (app: App) => {
    app.get(
      '/api/v1/notifications',
      {
        config: { action: 'notification.inbox' },
        schema: {
          tags,
          summary: 'Mes notifications / my notifications',
          description: 'Les plus récentes d’abord, 30 par page / newest first, 30 a page.',
          security: bearer,
          querystring: ListQuery,
          response: { 200: ListBody, ...errors },
        },
      },
      async (request) => {
        const inbox = await service.listInbox(db, request.actor, {
          page: request.query.page ?? 1,
          unreadOnly: request.query.unread === true,
        });
        return { ...inbox, items: inbox.items.map((n) => notificationJson(request.t, n)) };
      },
    );

    app.post(
      '/api/v1/notifications/:id/read',
      {
        config: { action: 'notification.inbox' },
        schema: {
          tags,
          summary: 'Marquer une notification comme lue / mark a notification as read',
          security: bearer,
          params: Type.Object({ id: Type.String() }),
          response: { 200: NotificationSchema, ...errors },
        },
      },
      async (request) =>
        notificationJson(request.t, await service.markNotificationRead(db, request.actor, request.params.id)),
    );

    app.post(
      '/api/v1/notifications/read-all',
      {
        config: { action: 'notification.inbox' },
        schema: {
          tags,
          summary: 'Tout marquer comme lu / mark all as read',
          security: bearer,
          response: {
            200: Type.Object({
              marked: Type.Integer({ description: 'Combien étaient non lues / how many were unread' }),
            }),
            ...errors,
          },
        },
      },
      async (request) => ({ marked: await service.markAllNotificationsRead(db, request.actor) }),
    );
  };
}
