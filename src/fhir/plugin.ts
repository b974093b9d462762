import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { fhirPages } from './pages.tsx';
import { fhirRoutes } from './routes.ts';

/**
 * The FHIR module's routes: the `$validate` operation (anyone may call it) and the « Valider une ressource »
 * page of the publisher space. Each in its own scope: the operation reads JSON as text, the page reads forms.
 */
export function fhirPlugin(ctx: AppContext) {
  return async (app: App) => {
    await app.register(fhirRoutes(ctx));
    await app.register(fhirPages(ctx));
  };
}
