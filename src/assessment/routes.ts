import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../identity/model.ts';
import { sha256 } from '../platform/crypto.ts';
import { AppError } from '../platform/errors.ts';
import { type App, ErrorBody } from '../platform/http.ts';
import { parseAnswersFile, serializeAnswersFile } from './answers-file.ts';
import { reportJson } from './report.tsx';
import * as service from './service.ts';

// ── schemas ─────────────────────────────────────────────────────────────────

const Evidence = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('file'), Type.Literal('url'), Type.Literal('text')]),
  url: Type.Optional(Type.String()),
  text: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  mediaType: Type.Optional(Type.String()),
  size: Type.Optional(Type.Integer()),
  sha256: Type.Optional(Type.String()),
  stored: Type.Boolean({ description: 'Fichier conservé par mesref / file kept by mesref' }),
});

const Status = Type.Union([
  Type.Literal('conforme'),
  Type.Literal('non-conforme'),
  Type.Literal('non-applicable'),
]);

const Answer = Type.Object({
  criterionId: Type.String(),
  status: Type.Optional(Status),
  justification: Type.String(),
  targetDate: Type.Optional(Type.String({ description: 'AAAA-MM-JJ / YYYY-MM-DD' })),
  version: Type.Integer({
    description: 'Version de la réponse, à renvoyer à l’enregistrement (0 : aucune réponse)',
  }),
  updatedBy: Type.Optional(Type.String()),
  updatedAt: Type.Optional(Type.String({ format: 'date-time' })),
  evidence: Type.Array(Evidence),
});

const Conflict = Type.Object(
  { error: ErrorBody.properties.error, current: Answer },
  {
    description:
      'Conflit : la réponse actuelle du ou de la collègue / conflict: the colleague’s current answer',
  },
);

const OrientationValue = Type.Union([Type.Boolean(), Type.String(), Type.Array(Type.String())]);

const CriterionResult = Type.Object({
  id: Type.String(),
  rubrique: Type.String(),
  theme: Type.String(),
  level: Type.String(),
  state: Type.String(),
  blocking: Type.Boolean(),
  reason: Type.String(),
});

const Assessment = Type.Object({
  id: Type.String(),
  productId: Type.String(),
  referential: Type.Object({ id: Type.String(), status: Type.String(), title: Type.String() }),
  version: Type.Integer({ description: 'Version du questionnaire d’orientation / orientation version' }),
  orientation: Type.Record(Type.String(), OrientationValue),
  answers: Type.Array(Answer),
  evaluation: Type.Object({
    ready: Type.Boolean(),
    counts: Type.Object({
      applicable: Type.Integer(),
      mandatory: Type.Integer(),
      answered: Type.Integer(),
      ready: Type.Integer(),
      blocking: Type.Integer(),
    }),
    missingQuestions: Type.Array(Type.String()),
    byRubrique: Type.Array(
      Type.Object({
        rubrique: Type.String(),
        applicable: Type.Integer(),
        answered: Type.Integer(),
        ready: Type.Integer(),
        mandatory: Type.Integer(),
        mandatoryReady: Type.Integer(),
      }),
    ),
    criteria: Type.Array(CriterionResult),
  }),
});

const Summary = Type.Object({
  id: Type.String(),
  referential: Type.String(),
  ready: Type.Boolean(),
  applicable: Type.Integer(),
  answered: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});

const Problems = Type.Object({
  error: ErrorBody.properties.error,
  problems: Type.Array(
    Type.Object({ file: Type.String(), line: Type.Integer(), path: Type.String(), message: Type.String() }),
  ),
});

const errors = { '4xx': ErrorBody };
const bearer = [{ bearer: [] }];
const tags = ['auto-évaluation / self-assessment'];

// ── JSON ────────────────────────────────────────────────────────────────────

export function answerJson(a: service.AnswerView): Static<typeof Answer> {
  return {
    criterionId: a.criterionId,
    ...(a.status ? { status: a.status } : {}),
    justification: a.justification,
    ...(a.targetDate ? { targetDate: a.targetDate } : {}),
    version: a.version,
    ...(a.updatedBy ? { updatedBy: a.updatedBy } : {}),
    ...(a.updatedAt ? { updatedAt: a.updatedAt.toISOString() } : {}),
    evidence: a.evidence,
  };
}

function assessmentJson(v: service.AssessmentView, locale: 'fr' | 'en'): Static<typeof Assessment> {
  const e = v.evaluation;
  return {
    id: v.id,
    productId: v.product.id,
    referential: { id: v.version.id, status: v.version.status, title: v.version.title[locale] },
    version: v.rowVersion,
    orientation: v.orientation as Record<string, boolean | string | string[]>,
    answers: Object.values(v.answers).map(answerJson),
    evaluation: {
      ready: e.ready,
      counts: e.counts,
      missingQuestions: e.missingQuestions.map((q) => q.id),
      byRubrique: e.byRubrique,
      criteria: e.criteria.map((c) => ({
        id: c.criterion.id,
        rubrique: c.criterion.rubrique,
        theme: c.criterion.theme,
        level: c.criterion.level,
        state: c.state,
        blocking: c.blocking,
        reason: c.reason[locale],
      })),
    },
  };
}

/** The conflicts and refused imports carry more than `{ error }`: the current answer, the problems. */
export function sendAssessmentError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  if (!(error instanceof AppError)) throw error;
  const body = {
    code: error.code,
    message: request.t(error.message, error.params),
    ...(Object.keys(error.fields).length
      ? { fields: Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k, request.t(v)])) }
      : {}),
  };
  if (error instanceof service.AnswerConflict)
    return reply.code(409).send({ error: body, current: answerJson(error.current) });
  if (error instanceof service.OrientationConflict)
    return reply.code(409).send({ error: body, current: error.current });
  if (error instanceof service.ImportRefused)
    return reply.code(422).send({ error: body, problems: error.problems });
  throw error;
}

/** Reads an answers file against this assessment's version, as the service's import takes it. */
export function readAnswersFile(
  deps: service.AssessmentDeps,
  text: string,
  fileName: string,
  referential: string,
  locale: 'fr' | 'en',
): service.ParsedAnswersFile | { problems: service.FileProblem[] } {
  const parsed = parseAnswersFile(text, fileName, deps.referentials, { referential, locale });
  if (!parsed.ok) return { problems: parsed.problems };
  // A file written for another version is refused rather than read against this one.
  const other = parsed.warnings.filter((w) => w.path === '/referential');
  if (other.length > 0) return { problems: other };
  return { versionId: parsed.version.id, input: parsed.input };
}

export function exportAnswers(view: service.AssessmentView, locale: 'fr' | 'en'): string {
  return serializeAnswersFile(view.version, view.input, {
    service: view.product.displayName,
    generatedAt: new Date(),
    locale,
  });
}

export function answersFileName(view: service.AssessmentView): string {
  const slug = view.product.displayName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  return `reponses-${slug || 'service'}-${view.version.id}.yaml`;
}

// ── routes ──────────────────────────────────────────────────────────────────

/** The legal name of the service's publisher, for the reports. */
export type OrganisationName = (actor: Actor, organisationId: string) => Promise<string>;

/** The self-assessment JSON API under /api/v1: the same use cases as the pages. */
export function assessmentRoutes(deps: service.AssessmentDeps, organisationName: OrganisationName) {
  return async (app: App) => {
    // YAML bodies (an answers file), read as text in this plugin's scope only.
    app.addContentTypeParser(
      ['text/yaml', 'application/yaml', 'application/x-yaml', 'text/x-yaml'],
      { parseAs: 'string' },
      (_request, body, done) => done(null, body),
    );

    const view = { action: 'product.view_one' as const };
    const edit = { action: 'product.edit_one' as const };
    const ProductParams = Type.Object({ id: Type.String() });
    const Params = Type.Object({ assessmentId: Type.String() });
    const AnswerParams = Type.Object({ assessmentId: Type.String(), criterionId: Type.String() });

    app.get<{ Params: Static<typeof ProductParams> }>(
      '/api/v1/products/:id/assessments',
      {
        config: view,
        schema: {
          tags,
          summary: 'Auto-évaluations d’un service / a service’s self-assessments',
          security: bearer,
          params: ProductParams,
          response: { 200: Type.Array(Summary), ...errors },
        },
      },
      async (request) => {
        const { assessments } = await service.listAssessments(deps, request.actor, request.params.id);
        return assessments.map((a) => ({
          id: a.id,
          referential: a.referentialVersion,
          ready: a.ready,
          applicable: a.counts.applicable,
          answered: a.counts.answered,
          updatedAt: a.updatedAt.toISOString(),
        }));
      },
    );

    app.post<{ Params: Static<typeof ProductParams>; Body: { referential?: string } }>(
      '/api/v1/products/:id/assessments',
      {
        config: edit,
        schema: {
          tags,
          summary: 'Commencer une auto-évaluation / start a self-assessment',
          description:
            'Sur la version nommée, la plus récente sinon. Une par service et par version : 200 avec l’existante si elle existe déjà.',
          security: bearer,
          params: ProductParams,
          body: Type.Object({ referential: Type.Optional(Type.String({ maxLength: 100 })) }),
          response: { 200: Assessment, 201: Assessment, ...errors },
        },
      },
      async (request, reply) => {
        const { id, created } = await service.createAssessment(
          deps,
          request.actor,
          request.params.id,
          request.body?.referential,
        );
        const v = await service.getAssessment(deps, request.actor, id);
        return reply.code(created ? 201 : 200).send(assessmentJson(v, request.locale));
      },
    );

    app.get<{ Params: Static<typeof Params> }>(
      '/api/v1/assessments/:assessmentId',
      {
        config: view,
        schema: {
          tags,
          summary: 'Une auto-évaluation et son évaluation / a self-assessment and its evaluation',
          security: bearer,
          params: Params,
          response: { 200: Assessment, ...errors },
        },
      },
      async (request) =>
        assessmentJson(
          await service.getAssessment(deps, request.actor, request.params.assessmentId),
          request.locale,
        ),
    );

    app.put<{
      Params: Static<typeof Params>;
      Body: { orientation: Record<string, unknown>; version: number };
    }>(
      '/api/v1/assessments/:assessmentId/orientation',
      {
        config: edit,
        schema: {
          tags,
          summary: 'Enregistrer le questionnaire d’orientation / save the orientation questionnaire',
          description:
            '`version` : celle lue avec l’auto-évaluation ; 409 si un ou une collègue l’a changée entre-temps.',
          security: bearer,
          params: Params,
          body: Type.Object({
            orientation: Type.Record(Type.String(), OrientationValue),
            version: Type.Integer({ minimum: 1 }),
          }),
          response: {
            200: Type.Object({
              version: Type.Integer(),
              orientation: Type.Record(Type.String(), OrientationValue),
            }),
            409: Type.Object({
              error: ErrorBody.properties.error,
              current: Type.Object({
                version: Type.Integer(),
                orientation: Type.Record(Type.String(), OrientationValue),
              }),
            }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        try {
          const saved = await service.saveOrientation(deps, request.actor, request.params.assessmentId, {
            orientation: request.body.orientation,
            baseVersion: request.body.version,
          });
          return saved;
        } catch (error) {
          return sendAssessmentError(request, reply, error);
        }
      },
    );

    const AnswerBody = Type.Object({
      status: Type.Optional(Type.Union([Status, Type.Literal('')])),
      justification: Type.Optional(Type.String({ maxLength: service.JUSTIFICATION_MAX + 100 })),
      targetDate: Type.Optional(Type.String({ maxLength: 20 })),
      version: Type.Integer({ minimum: 0, description: 'Version lue (0 : pas encore de réponse)' }),
      addEvidence: Type.Optional(
        Type.Array(
          Type.Union([
            Type.Object(
              { url: Type.String({ maxLength: service.EVIDENCE_URL_MAX + 10 }) },
              { additionalProperties: false },
            ),
            Type.Object(
              { text: Type.String({ maxLength: service.EVIDENCE_TEXT_MAX + 10 }) },
              { additionalProperties: false },
            ),
          ]),
          { maxItems: 20 },
        ),
      ),
    });

    app.get<{ Params: Static<typeof AnswerParams> }>(
      '/api/v1/assessments/:assessmentId/answers/:criterionId',
      {
        config: view,
        schema: {
          tags,
          summary: 'La réponse à un critère / the answer to one criterion',
          security: bearer,
          params: AnswerParams,
          response: { 200: Answer, ...errors },
        },
      },
      async (request) =>
        answerJson(
          await service.getAnswer(
            deps,
            request.actor,
            request.params.assessmentId,
            request.params.criterionId,
          ),
        ),
    );

    app.put<{ Params: Static<typeof AnswerParams>; Body: Static<typeof AnswerBody> }>(
      '/api/v1/assessments/:assessmentId/answers/:criterionId',
      {
        config: edit,
        schema: {
          tags,
          summary: 'Enregistrer la réponse à un critère / save the answer to one criterion',
          description:
            '`version` : celle de la réponse lue. Si un ou une collègue l’a changée entre-temps : 409, rien n’est écrasé, et `current` donne sa réponse.',
          security: bearer,
          params: AnswerParams,
          body: AnswerBody,
          response: { 200: Answer, 409: Conflict, ...errors },
        },
      },
      async (request, reply) => {
        const b = request.body;
        try {
          return answerJson(
            await service.saveAnswer(
              deps,
              request.actor,
              request.params.assessmentId,
              request.params.criterionId,
              {
                status: b.status ?? '',
                justification: b.justification ?? '',
                targetDate: b.targetDate ?? '',
                baseVersion: b.version,
                addEvidence: (b.addEvidence ?? []).map((e) =>
                  'url' in e ? { kind: 'url' as const, url: e.url } : { kind: 'text' as const, text: e.text },
                ),
              },
            ),
          );
        } catch (error) {
          return sendAssessmentError(request, reply, error);
        }
      },
    );

    app.delete<{
      Params: { assessmentId: string; evidenceId: string };
      Querystring: { version: number };
    }>(
      '/api/v1/assessments/:assessmentId/evidence/:evidenceId',
      {
        config: edit,
        schema: {
          tags,
          summary: 'Retirer une preuve / remove a piece of evidence',
          security: bearer,
          params: Type.Object({ assessmentId: Type.String(), evidenceId: Type.String() }),
          querystring: Type.Object({
            version: Type.Integer({ minimum: 1, description: 'Version de la réponse lue' }),
          }),
          response: { 200: Answer, 409: Conflict, ...errors },
        },
      },
      async (request, reply) => {
        try {
          return answerJson(
            await service.removeEvidence(
              deps,
              request.actor,
              request.params.assessmentId,
              request.params.evidenceId,
              request.query.version,
            ),
          );
        } catch (error) {
          return sendAssessmentError(request, reply, error);
        }
      },
    );

    app.put<{ Params: Static<typeof Params>; Body: string }>(
      '/api/v1/assessments/:assessmentId/answers-file',
      {
        config: edit,
        bodyLimit: Math.max(deps.config.evidenceMaxBytes, 1024 * 1024),
        schema: {
          tags,
          summary: 'Importer un fichier de réponses YAML / import a YAML answers file',
          description:
            'Corps en `text/yaml` ou `application/yaml` (le format de `mesref check`). Remplace l’orientation et toutes les réponses en une transaction ; 422 avec les problèmes ligne par ligne sinon, rien n’est modifié.',
          security: bearer,
          params: Params,
          response: { 200: Assessment, 422: Problems, ...errors },
        },
      },
      async (request, reply) => {
        if (typeof request.body !== 'string') {
          throw new AppError('unsupported_media_type', 415, 'assessment.import.media_type');
        }
        try {
          const current = await service.getAssessment(deps, request.actor, request.params.assessmentId);
          const fileName = 'answers.yaml';
          const parsed = readAnswersFile(deps, request.body, fileName, current.version.id, request.locale);
          const v = await service.importAnswers(
            deps,
            request.actor,
            request.params.assessmentId,
            parsed,
            fileName,
            sha256(request.body),
          );
          return assessmentJson(v, request.locale);
        } catch (error) {
          return sendAssessmentError(request, reply, error);
        }
      },
    );

    app.get<{ Params: Static<typeof Params> }>(
      '/api/v1/assessments/:assessmentId/answers-file',
      {
        config: view,
        schema: {
          tags,
          summary: 'Exporter le fichier de réponses YAML / export the YAML answers file',
          security: bearer,
          params: Params,
          produces: ['application/yaml'],
        },
      },
      async (request, reply) => {
        const v = await service.getAssessment(deps, request.actor, request.params.assessmentId);
        return reply
          .type('application/yaml; charset=utf-8')
          .header('content-disposition', `attachment; filename="${answersFileName(v)}"`)
          .header('cache-control', 'no-store')
          .send(exportAnswers(v, request.locale));
      },
    );

    app.get<{ Params: Static<typeof Params> }>(
      '/api/v1/assessments/:assessmentId/report',
      {
        config: view,
        schema: {
          tags,
          summary: 'Rapport JSON de l’auto-évaluation / the self-assessment report as JSON',
          security: bearer,
          params: Params,
        },
      },
      async (request, reply) => {
        const v = await service.getAssessment(deps, request.actor, request.params.assessmentId);
        return reply
          .header('cache-control', 'no-store')
          .send(
            reportJson(
              reportInputOf(
                v,
                await organisationName(request.actor, v.product.organisationId),
                request.locale,
              ),
            ),
          );
      },
    );
  };
}

/** What the reports need of an assessment. */
export function reportInputOf(
  v: service.AssessmentView,
  organisationName: string,
  locale: 'fr' | 'en',
): Parameters<typeof reportJson>[0] {
  return {
    evaluation: v.evaluation,
    version: v.version,
    subject: { displayName: v.product.displayName, version: v.product.version, organisationName },
    generatedAt: new Date(),
    locale,
  };
}
