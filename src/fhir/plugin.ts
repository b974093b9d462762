import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { fhirExchangePlugin } from './api/plugin.ts';
import { fhirPages } from './pages.tsx';
import { fhirRoutes } from './routes.ts';

/**
 * The FHIR module's routes: the `$validate` operation (anyone may call it), the « Valider une ressource » page
 * of the publisher space, and the exchange API of referenced services (Mesures, documents). Each in its own
 * scope: the operation and the API read JSON as text, the page reads forms.
 */
export function fhirPlugin(ctx: AppContext) {
  return async (app: App) => {
    await app.register(fhirRoutes(ctx));
    await app.register(fhirPages(ctx));
    await app.register(fhirExchangePlugin(ctx));
  };
}
