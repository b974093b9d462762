import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { cataloguePages } from './pages.tsx';
import { catalogueRoutes } from './routes.ts';

/** The public catalogue: its pages and its open-data API. */
export function cataloguePlugin(ctx: AppContext) {
  return async (app: App) => {
    const deps = { db: ctx.db, referentials: ctx.referentials, publicUrl: ctx.config.publicUrl };
    await app.register(catalogueRoutes(deps));
    await app.register(cataloguePages(deps));
  };
}
