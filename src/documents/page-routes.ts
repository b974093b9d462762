/**
 * The citizen's « Mes documents » page (`/usager/documents`) and the download of a document's file, their own
 * or a minor's in their care; anyone else's is not found (404). The citizen reads their own data here: no
 * consent is asked and no access is recorded, as neither is a service's.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import { managedCitizens, personInCare } from '../consent/index.ts';
import { notFound } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { formField } from '../web/forms.ts';
import { renderPage, sendHtml } from '../web/layout.tsx';
import { DOCUMENTS_PATH, DocumentsPage } from './pages.tsx';
import { documentCountOf, documentFile, documentsOf } from './service.ts';

/** Documents per page. */
export const DOCUMENTS_PAGE_SIZE = 20;
/** Beyond this page the list is not read (an offset that large is a crafted address). */
const MAX_PAGE = 10_000;

/** A media type safe to send as a header (what the validator accepted; anything else is sent as bytes). */
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(?:\s*;\s*[\w!#$&^.+-]+=(?:[\w!#$&^.+-]+|"[ -!#-~]*"))*$/;

export function documentsPageRoutes(ctx: AppContext) {
  const { db } = ctx;
  return async (app: App) => {
    const config = { action: 'citizen.space' as const, signIn: '/usager/connexion' };
    type FileParams = { Params: { documentId: string } };

    app.get(DOCUMENTS_PATH, { config, schema: { hide: true } }, async (request: FastifyRequest, reply) => {
      const { people, selected } = await personInCare(
        db,
        request.actor,
        formField(request.query, 'personne'),
      );
      const pageText = formField(request.query, 'page');
      const page = /^[1-9]\d{0,4}$/.test(pageText) ? Math.min(Number(pageText), MAX_PAGE) : 1;
      const [found, total] = await Promise.all([
        documentsOf(db, selected.id, {
          limit: DOCUMENTS_PAGE_SIZE,
          offset: (page - 1) * DOCUMENTS_PAGE_SIZE,
        }),
        documentCountOf(db, selected.id),
      ]);
      return sendHtml(
        reply,
        200,
        renderPage(
          DocumentsPage({
            ctx: request.pageContext(),
            people,
            selected,
            documents: found,
            page,
            pages: Math.max(1, Math.ceil(total / DOCUMENTS_PAGE_SIZE)),
          }),
        ),
      );
    });

    app.get<FileParams>(
      `${DOCUMENTS_PATH}/:documentId/fichier`,
      { config, schema: { hide: true } },
      async (request, reply) => {
        // Whose it is among the people whose space the actor opens; nobody's: the same 404 as an absent one.
        let file: Awaited<ReturnType<typeof documentFile>>;
        for (const person of await managedCitizens(db, request.actor)) {
          file = await documentFile(db, person.id, request.params.documentId);
          if (file) break;
        }
        if (!file) throw notFound();
        const type = MEDIA_TYPE.test(file.contentType) ? file.contentType : 'application/octet-stream';
        const ascii = file.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
        return reply
          .code(200)
          .type(type)
          .header(
            'content-disposition',
            `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
          )
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, no-store')
          .send(file.data);
      },
    );
  };
}
