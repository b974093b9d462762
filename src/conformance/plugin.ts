import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { loadPlans } from './plans.ts';
import { conformanceRoutes } from './routes.ts';
import type { ConformanceDeps } from './service.ts';

/**
 * Connection tests' JSON API (sandbox only; the pages are `conformancePageRoutes`). A production deployment
 * registers nothing, so every address of the module is « not found » there. `inject` is the whole app's: the
 * headless authorization goes through its real pages.
 */
export function conformancePlugin(
  ctx: AppContext,
  options: { inject: (o: InjectOptions) => Promise<LightMyRequestResponse> },
) {
  return async (app: App) => {
    if (ctx.config.mode !== 'sandbox') return;
    const deps: ConformanceDeps = {
      db: ctx.db,
      config: ctx.config,
      keys: ctx.keys,
      referentials: ctx.referentials,
      plans: loadPlans(),
      inject: options.inject,
    };
    await app.register(conformanceRoutes(deps));
  };
}
