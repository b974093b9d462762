import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { pathwayPages } from './pages.tsx';
import { pathwayRoutes } from './routes.ts';
import { loadPathwayRules } from './rules.ts';
import type { PathwayDeps } from './service.ts';

/**
 * The guided pathway: its pages (public, no account: /parcours, /parcours/resultat, /ressources), saving an
 * outcome onto a service, a service's latest outcome, and the same as JSON under /api/v1. The rules are read
 * (and checked) once, when the app is built.
 */
export function pathwayPlugin(ctx: AppContext) {
  const deps: PathwayDeps = { db: ctx.db, rules: loadPathwayRules(), referentials: ctx.referentials };
  return async (app: App) => {
    await app.register(pathwayRoutes(deps));
    await app.register(pathwayPages(deps));
  };
}
