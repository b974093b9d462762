/**
 * The citizen's « Mes mesures » page (`/usager/mesures`): their own measures or those of a minor in their care.
 * The citizen reads their own data here: no consent is asked and no access is recorded, as neither is a
 * service's.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import { personInCare } from '../consent/index.ts';
import type { App } from '../platform/http.ts';
import type { Locale } from '../platform/i18n.ts';
import type { Referentials } from '../referential/index.ts';
import { formField } from '../web/forms.ts';
import { renderPage, sendHtml } from '../web/layout.tsx';
import {
  type CategoryMeasures,
  DEFAULT_PERIOD,
  MEASURES_PATH,
  MeasuresPage,
  PERIODS,
  type Period,
  periodStart,
} from './pages.tsx';
import { measureCategoriesOf, measuresOf } from './service.ts';

/** The most measures a section shows (its chart and its table): a year of two measures a day fits. */
export const MAX_SHOWN = 800;

/** The data categories' titles in the reader's language, newest referential first, and their order. */
function categoryTitles(referentials: Referentials, locale: Locale) {
  const titles = new Map<string, string>();
  for (const version of referentials.versions)
    for (const c of version.dataCategories) if (!titles.has(c.code)) titles.set(c.code, c.title[locale]);
  const order = [...titles.keys()];
  return {
    title: (code: string) => titles.get(code) ?? code,
    rank: (code: string) => {
      const at = order.indexOf(code);
      return at === -1 ? order.length : at;
    },
  };
}

const isPeriod = (value: string): value is Period => (PERIODS as readonly string[]).includes(value);

export function measuresPageRoutes(ctx: AppContext) {
  const { db } = ctx;
  return async (app: App) => {
    const config = { action: 'citizen.space' as const, signIn: '/usager/connexion' };

    app.get(MEASURES_PATH, { config, schema: { hide: true } }, async (request: FastifyRequest, reply) => {
      const { people, selected } = await personInCare(
        db,
        request.actor,
        formField(request.query, 'personne'),
      );
      const asked = formField(request.query, 'periode');
      const period = isPeriod(asked) ? asked : DEFAULT_PERIOD;
      const from = periodStart(period, new Date());
      const titles = categoryTitles(ctx.referentials, request.locale);
      const categories = (await measureCategoriesOf(db, selected.id)).sort(
        (a, b) => titles.rank(a.category) - titles.rank(b.category),
      );
      const sections: CategoryMeasures[] = [];
      for (const c of categories) {
        const rows = await measuresOf(db, selected.id, {
          category: c.category,
          ...(from ? { from } : {}),
          limit: MAX_SHOWN + 1,
        });
        sections.push({
          category: c.category,
          title: titles.title(c.category),
          last: c.last,
          rows: rows.slice(0, MAX_SHOWN),
          truncated: rows.length > MAX_SHOWN,
        });
      }
      return sendHtml(
        reply,
        200,
        renderPage(MeasuresPage({ ctx: request.pageContext(), people, selected, period, sections })),
      );
    });
  };
}
