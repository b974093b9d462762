/**
 * The referencing's processing times, public: the deployment's target per phase and the median observed over
 * the last 90 days, for anyone (publishers before they file, citizens, journalists). No file is named.
 */
import type { App } from '../platform/http.ts';
import type { Catalog } from '../platform/i18n.ts';
import { sendHtml as html, Page, renderPage } from '../web/layout.tsx';
import type { DossierState } from './model.ts';
import { ProcessingTimes } from './publisher-pages.tsx';
import { type DossierDeps, publicProcessingTimes } from './service.ts';

export const PROCESSING_TIMES_PATH = '/referencement/delais';

export const publicPageMessages: Catalog = {
  'dossier.public.times.title': {
    fr: 'Délais de traitement du référencement',
    en: 'Referencing processing times',
  },
  'dossier.public.times.lead': {
    fr: 'Pour chaque phase d’une demande de référencement : le délai que s’engage à tenir cette instance et le délai médian constaté. Le délai d’une phase est suspendu pendant que l’éditeur répond à une demande de compléments.',
    en: 'For each phase of a referencing request: the time this instance commits to, and the median time observed. A phase’s clock stops while the publisher answers a request for information.',
  },
  'dossier.public.times.version': {
    fr: 'Engagements de délai : version {version} du fichier de processus.',
    en: 'Time commitments: version {version} of the process file.',
  },
};

export function publicPages(deps: DossierDeps) {
  return async (app: App) => {
    app.get(
      PROCESSING_TIMES_PATH,
      { config: { action: 'public.view' }, schema: { hide: true } },
      async (request, reply) => {
        const ctx = request.pageContext();
        const medians = await publicProcessingTimes(deps);
        const targets = deps.process.deadlines as Partial<Record<DossierState, number>>;
        return html(
          reply,
          200,
          renderPage(
            <Page ctx={ctx} title={ctx.t('dossier.public.times.title')}>
              <h1>{ctx.t('dossier.public.times.title')}</h1>
              <p class="fr-text--lead">{ctx.t('dossier.public.times.lead')}</p>
              <ProcessingTimes ctx={ctx} medians={medians} targets={targets} />
              <p class="fr-text--sm">
                {ctx.t('dossier.public.times.version', { version: deps.process.version })}
              </p>
            </Page>,
          ),
        );
      },
    );
  };
}
