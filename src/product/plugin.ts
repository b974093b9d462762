import multipart from '@fastify/multipart';
import type { AppContext } from '../app.ts';
import type { App } from '../platform/http.ts';
import { productPages } from './pages.tsx';
import type { Upload } from './routes.ts';
import { productRoutes } from './routes.ts';
import type { ProductDeps } from './service.ts';

/** Routes and pages of a publisher's services: the JSON API and « Mes services ». */
export function productPlugin(ctx: AppContext) {
  return async (app: App) => {
    const deps: ProductDeps = { db: ctx.db, config: ctx.config };
    const maxBytes = ctx.config.productImageMaxBytes;
    // In this plugin's scope only, for image uploads (pages and API). Fields come as text (the CSRF check
    // reads `_csrf`); the file as bytes, cut one byte past the limit so an oversized image is told apart
    // without being read whole.
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      throwFileSizeLimit: false,
      limits: { fileSize: maxBytes + 1, fieldSize: 10_000, files: 1, fields: 10, parts: 12 },
      async onFile(part) {
        const bytes = await part.toBuffer();
        (part as unknown as { value: Upload }).value = {
          fileName: part.filename,
          bytes,
          truncated: part.file.truncated,
        };
      },
    });
    await app.register(productRoutes(deps));
    await app.register(productPages(ctx, deps));
  };
}
