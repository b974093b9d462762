/**
 * The two PDFs of a referencing file, served to those who may see the file (`getDossier` decides: 404 to
 * anyone else): the summary of the request as filed, and the commission's opinion letter. The same document
 * from the publisher's space, the instruction's and the API.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import type { Action } from '../identity/model.ts';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { opinionLetterPdf, requestSummaryPdf } from './pdf.ts';
import { type DossierDeps, type DossierView, getDossier } from './service.ts';

type Params = { Params: { id: string } };

/** A file that exists but has no such document yet: not filed, or no opinion. */
const notAvailable = (key: string) => new AppError('not_available', 409, key);

function sendPdf(reply: FastifyReply, pdf: Buffer, fileName: string): FastifyReply {
  // The number is `MES-2026-000123`: nothing in it needs escaping in the header.
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return reply
    .type('application/pdf')
    .header('content-disposition', `inline; filename="${ascii}"`)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(pdf);
}

export function pdfRoutes(ctx: AppContext, deps: DossierDeps) {
  return async (app: App) => {
    const now = () => (deps.now ? deps.now() : new Date());
    const referentialOf = (view: DossierView) => deps.referentials.get(view.referentialVersion);

    const summary = async (request: FastifyRequest<Params>, reply: FastifyReply) => {
      const view = await getDossier(deps, request.actor, request.params.id);
      if (!view.number) throw notAvailable('dossier.pdf.not_filed');
      const pdf = await requestSummaryPdf(view, request.t, request.locale, {
        generatedAt: now(),
        referential: referentialOf(view),
      });
      return sendPdf(reply, pdf, `${view.number}-demande.pdf`);
    };

    const letter = async (request: FastifyRequest<Params>, reply: FastifyReply) => {
      const view = await getDossier(deps, request.actor, request.params.id);
      if (!view.opinion) throw notAvailable('dossier.pdf.no_opinion');
      const pdf = await opinionLetterPdf(view, request.t, request.locale, deps.process, {
        generatedAt: now(),
        referential: referentialOf(view),
        operatorName: ctx.config.operatorName,
      });
      return sendPdf(reply, pdf, `${view.number ?? 'avis'}-avis.pdf`);
    };

    const page = (action: Action) => ({ config: { action }, schema: { hide: true } });
    app.get<Params>('/editeur/dossiers/:id/demande.pdf', page('dossier.view_one'), summary);
    app.get<Params>('/instruction/dossiers/:id/demande.pdf', page('dossier.staff'), summary);
    app.get<Params>('/editeur/dossiers/:id/avis.pdf', page('dossier.view_one'), letter);
    app.get<Params>('/instruction/dossiers/:id/avis.pdf', page('dossier.staff'), letter);

    const api = (summaryText: string, description: string) => ({
      config: { action: 'dossier.view_one' as const },
      schema: {
        tags: ['dossiers de référencement / referencing files'],
        summary: summaryText,
        description,
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ description: 'UUID' }) }),
        produces: ['application/pdf'],
      },
    });
    app.get<Params>(
      '/api/v1/dossiers/:id/demande.pdf',
      api(
        'La demande telle que déposée (PDF) / the request as filed (PDF)',
        'Le récapitulatif de la demande figée au dépôt : identification, déclaration d’échange de données, pièces avec leur SHA-256, auto-évaluation et écoscore figés. 409 `not_available` tant que la demande n’est pas déposée ; 404 pour qui ne voit pas le dossier.',
      ),
      summary,
    );
    app.get<Params>(
      '/api/v1/dossiers/:id/avis.pdf',
      api(
        'L’avis de la commission (PDF) / the commission’s opinion letter (PDF)',
        'La lettre d’avis : avis, motifs, réserves (suspensives ou non, levées ou non), finalités autorisées, membres ayant siégé et quorum, suite de la procédure. 409 `not_available` tant que la commission n’a pas rendu d’avis ; 404 pour qui ne voit pas le dossier.',
      ),
      letter,
    );
  };
}
