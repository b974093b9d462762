import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { identityPages } from './pages.tsx';
import { identityRoutes } from './routes.ts';
import { identityDeps } from './service.ts';

/** Routes and pages of the identity module: publishers' and staff's accounts, organisations, admin console. */
export function identityPlugin(ctx: AppContext) {
  return async (app: App) => {
    // One attempt limiter per app: pages and API count the same attempts.
    const deps = identityDeps(ctx);
    await app.register(identityRoutes(deps));
    await app.register(identityPages(ctx, deps));
  };
}
