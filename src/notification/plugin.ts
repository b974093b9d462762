import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { notificationPages } from './pages.tsx';
import { notificationRoutes } from './routes.ts';

/** The inbox: its JSON API and its page, for every signed-in account and citizen. */
export function notificationPlugin(ctx: AppContext) {
  return async (app: App) => {
    await app.register(notificationRoutes(ctx.db));
    await app.register(notificationPages(ctx.db));
  };
}
