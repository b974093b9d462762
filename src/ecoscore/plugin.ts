import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { ecoscorePages } from './pages.tsx';
import { ecoscoreRoutes } from './routes.ts';
import type { EcoscoreDeps } from './service.ts';

/** Routes and pages of the écoscore: the publisher space's pages and the /api/v1 JSON API. */
export function ecoscorePlugin(ctx: AppContext) {
  return async (app: App) => {
    const deps: EcoscoreDeps = { db: ctx.db, config: ctx.config, referentials: ctx.referentials };
    await app.register(ecoscoreRoutes(deps));
    await app.register(ecoscorePages(deps));
  };
}
