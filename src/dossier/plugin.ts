import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { adminFilePlugin } from './admin-file-routes.ts';
import { complaintPlugin } from './complaint-routes.ts';
import { instructionPages } from './instruction-pages.tsx';
import { oauthClientPages } from './oauth-client-pages.tsx';
import { pdfRoutes } from './pdf-routes.ts';
import { loadProcess } from './process.ts';
import { publicPages } from './public-pages.tsx';
import { publisherPages } from './publisher-pages.tsx';
import { dossierRoutes } from './routes.ts';
import type { DossierDeps } from './service.ts';

/** What the file's use cases need, from the app's context (the process file is read and checked here). */
export function dossierDeps(ctx: AppContext): DossierDeps {
  return {
    db: ctx.db,
    config: ctx.config,
    referentials: ctx.referentials,
    keys: ctx.keys,
    process: loadProcess(ctx.config.processFile),
    notifier: ctx.notifier,
    cache: {},
  };
}

/** The referencing file: its JSON API, the publisher's and the instruction's pages, PDFs, complaints. */
export function dossierPlugin(ctx: AppContext) {
  return async (app: App) => {
    const deps = dossierDeps(ctx);
    await app.register(dossierRoutes(deps));
    await app.register(instructionPages(ctx, deps));
    await app.register(publisherPages(ctx, deps));
    await app.register(oauthClientPages(deps));
    await app.register(pdfRoutes(ctx, deps));
    await app.register(adminFilePlugin(ctx));
    await app.register(complaintPlugin(ctx, deps));
    await app.register(publicPages(deps));
  };
}
