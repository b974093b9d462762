import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';

/** Routes and pages of the identity module. */
export function identityPlugin(_ctx: AppContext) {
  return async (_app: App) => {};
}
