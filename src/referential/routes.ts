import { Type } from '@sinclair/typebox';
import type { AppContext } from '../app.ts';
import { AppError } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { diffVersions, type ReferentialVersion } from './model.ts';

const VersionSummary = Type.Object({
  id: Type.String({ examples: ['2023-v2'] }),
  title: Type.Object({ fr: Type.String(), en: Type.String() }),
  status: Type.Union([Type.Literal('official'), Type.Literal('demonstration')]),
  legalSource: Type.Object({ text: Type.String(), date: Type.String() }),
  effectiveDate: Type.String(),
  basedOn: Type.Optional(Type.String()),
  criteria: Type.Integer({ description: 'Nombre de critères / number of criteria' }),
  mandatory: Type.Integer({ description: 'Dont obligatoires / of which mandatory' }),
});

const Params = Type.Object({ id: Type.String() });
const DiffParams = Type.Object({ from: Type.String(), to: Type.String() });

function summary(version: ReferentialVersion) {
  return {
    id: version.id,
    title: version.title,
    status: version.status,
    legalSource: version.legalSource,
    effectiveDate: version.effectiveDate,
    basedOn: version.basedOn,
    criteria: version.criteria.length,
    mandatory: version.criteria.filter((criterion) => criterion.level === 'obligatoire').length,
  };
}

/** The referential versions as JSON, for anyone: the same data as the pages. */
export function referentialRoutes(ctx: AppContext) {
  return async (app: App) => {
    const { referentials } = ctx;
    const get = (id: string) => {
      const version = referentials.get(id);
      if (!version) throw new AppError('not_found', 404, 'referential.not_found');
      return version;
    };

    app.get(
      '/api/v1/referentiels',
      {
        config: { action: 'public.view' },
        schema: {
          tags: ['referential'],
          summary: 'Versions du référentiel, la plus récente d’abord / framework versions, newest first',
          response: { 200: Type.Object({ versions: Type.Array(VersionSummary) }) },
        },
      },
      async () => ({ versions: referentials.versions.map(summary) }),
    );

    app.get(
      '/api/v1/referentiels/:id',
      {
        config: { action: 'public.view' },
        schema: {
          tags: ['referential'],
          summary:
            'Une version résolue : rubriques, thèmes, critères, questionnaire, finalités, catégories de données / one resolved version',
          params: Params,
        },
      },
      async (request) => get((request.params as { id: string }).id),
    );

    app.get(
      '/api/v1/referentiels/:from/diff/:to',
      {
        config: { action: 'public.view' },
        schema: {
          tags: ['referential'],
          summary:
            'Critères ajoutés, retirés et modifiés (avec les champs modifiés) / criteria added, removed, changed',
          params: DiffParams,
        },
      },
      async (request) => {
        const { from, to } = request.params as { from: string; to: string };
        return diffVersions(get(from), get(to));
      },
    );
  };
}
