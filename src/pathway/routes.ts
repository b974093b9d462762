import { Type } from '@sinclair/typebox';
import { notFound } from '../platform/errors.ts';
import { type App, ErrorBody } from '../platform/http.ts';
import { answersFromJson, progress } from './model.ts';
import { outcomeFor, type PathwayDeps, saveOutcome, viewOutcome } from './service.ts';

const errors = { '4xx': ErrorBody };
const bearer = [{ bearer: [] }];
const tags = ['parcours guidé / guided pathway'];

const Answers = Type.Record(
  Type.String(),
  Type.Union([Type.Boolean(), Type.String(), Type.Array(Type.String())]),
  {
    description:
      'Réponses par identifiant de question (src/pathway/rules.yaml) : booléen, option, ou liste d’options / answers by question id',
  },
);
/** The outcome as the result page shows it (see `PathwayOutcome` in src/pathway/model.ts). */
const Outcome = Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true });

/** The pathway's JSON API: the same decision as the pages, and saving it onto a service. */
export function pathwayRoutes(deps: PathwayDeps) {
  return async (app: App) => {
    app.post(
      '/api/v1/pathway/outcome',
      {
        // Decides from the body alone and changes nothing: no session is needed, so no CSRF token either.
        config: { action: 'pathway.view', csrf: false },
        schema: {
          tags,
          summary: 'Décider du résultat du parcours guidé / decide the guided pathway outcome',
          body: Type.Object({ answers: Answers }),
          response: {
            200: Type.Object({
              complete: Type.Boolean(),
              nextStep: Type.Optional(Type.String()),
              outcome: Type.Optional(Outcome),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const answers = answersFromJson(deps.rules, request.body.answers);
        const state = progress(deps.rules, answers);
        if (!state.done) return { complete: false, nextStep: state.next?.id };
        return { complete: true, outcome: outcomeFor(deps, answers) as unknown as Record<string, unknown> };
      },
    );

    app.post(
      '/api/v1/products/:id/pathway-outcome',
      {
        config: { action: 'pathway.save_outcome' },
        schema: {
          tags,
          summary:
            'Enregistrer le résultat du parcours sur un service / save the pathway outcome onto a service',
          security: bearer,
          params: Type.Object({ id: Type.String() }),
          body: Type.Object({ answers: Answers }),
          response: { 201: Type.Object({ id: Type.String(), outcome: Outcome }), ...errors },
        },
      },
      async (request, reply) => {
        const answers = answersFromJson(deps.rules, request.body.answers);
        const saved = await saveOutcome(deps, request.actor, request.params.id, answers);
        return reply
          .code(201)
          .send({ id: saved.id, outcome: saved.outcome as unknown as Record<string, unknown> });
      },
    );

    app.get(
      '/api/v1/products/:id/pathway-outcome',
      {
        config: { action: 'product.view_one' },
        schema: {
          tags,
          summary:
            'Dernier résultat du parcours enregistré sur un service / latest pathway outcome of a service',
          security: bearer,
          params: Type.Object({ id: Type.String() }),
          response: {
            200: Type.Object({
              id: Type.String(),
              savedAt: Type.String(),
              rulesVersion: Type.Integer(),
              answers: Answers,
              outcome: Outcome,
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const { saved } = await viewOutcome(deps, request.actor, request.params.id);
        if (!saved) throw notFound('pathway.product.none');
        return {
          id: saved.id,
          savedAt: saved.savedAt.toISOString(),
          rulesVersion: saved.rulesVersion,
          answers: saved.answers,
          outcome: saved.outcome as unknown as Record<string, unknown>,
        };
      },
    );
  };
}
