import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { consentRoutes } from './routes.ts';
import type { ConsentDeps } from './service.ts';

/** What the consent use cases need, from the app's context. */
export function consentDeps(ctx: AppContext): ConsentDeps {
  return { db: ctx.db, notifier: ctx.notifier };
}

/** Pairings and consents: the citizen's JSON API. */
export function consentPlugin(ctx: AppContext) {
  return async (app: App) => {
    await app.register(consentRoutes(consentDeps(ctx)));
  };
}
