import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';

/** Citizens' sign-in through OpenID Connect, and the sandbox's test identity provider. */
export function citizenPlugin(_ctx: AppContext) {
  return async (_app: App) => {};
}
