import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { referentialPages } from './pages.tsx';
import { referentialRoutes } from './routes.ts';

/**
 * The referential module's routes, all public: the pages that list the versions, show one, and compare two
 * (`/referentiels…`), and the same as JSON under `/api/v1/referentiels`.
 */
export function referentialPlugin(ctx: AppContext) {
  return async (app: App) => {
    await app.register(referentialPages(ctx));
    await app.register(referentialRoutes(ctx));
  };
}
