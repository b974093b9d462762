/**
 * The JSON API of citizens' reports and of audits (/api/v1): the same use cases as the pages. Every change
 * names the row version it read; a stale one gets 409 with the report or audit as it now stands (`current`).
 */
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import { validationFailed } from '../platform/errors.ts';
import { type App, ErrorBody } from '../platform/http.ts';
import { loadComplaintCategories } from './complaint-categories.ts';
import {
  ANSWER_MAX,
  type AuditStatus,
  auditStatuses,
  CONCLUSION_MAX,
  type ComplaintStatus,
  complaintStatuses,
  FINDING_MAX,
  FINDINGS_MAX,
  MESSAGE_MAX,
  moveTo,
  REASONS_MAX,
  SCOPE_MAX,
} from './complaint-model.ts';
import { complaintPages } from './complaint-pages.tsx';
import * as service from './complaint-service.ts';
import {
  AuditConflict,
  type AuditView,
  ComplaintConflict,
  type ComplaintDeps,
  type ComplaintView,
} from './complaint-service.ts';
import type { DossierDeps } from './service.ts';

// ── schemas ─────────────────────────────────────────────────────────────────

const Id = Type.String({ description: 'UUID' });
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const RowVersion = Type.Integer({
  minimum: 1,
  description: 'La version lue / the row version the change is based on',
});

const errors = { '4xx': ErrorBody };
const security = [{ bearer: [] }];
const tags = ['signalements et audits / complaints and audits'];
const IdParams = Type.Object({ id: Id });

const CitizenComplaint = Type.Object({
  id: Id,
  reference: Type.String({
    description: 'SIG-XXXXXXXX : la référence donnée à l’usager / the citizen’s reference',
  }),
  dossierId: Id,
  productName: Type.String(),
  category: Type.String(),
  message: Type.String(),
  status: literals(complaintStatuses),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(DateTime),
  createdAt: DateTime,
});

const Service = Type.Object({
  dossierId: Id,
  number: Nullable(Type.String()),
  productId: Id,
  productName: Type.String(),
  organisationId: Id,
  organisationName: Type.String(),
  catalogueStatus: Nullable(Type.String()),
  rowVersion: Type.Integer({
    description: 'La version du dossier (pour suspendre) / the file’s row version',
  }),
});

const AuditSummary = Type.Object({
  id: Id,
  dossierId: Id,
  complaintId: Nullable(Id),
  scope: Type.String(),
  status: literals(auditStatuses),
  dueAt: DateTime,
  openedAt: DateTime,
  closedAt: Nullable(DateTime),
  findings: Type.Integer(),
  openFindings: Type.Integer(),
});

const StatusCounts = Type.Object({
  new: Type.Integer(),
  in_review: Type.Integer(),
  answered: Type.Integer(),
  closed: Type.Integer(),
});

const Complaint = Type.Object({
  id: Id,
  reference: Type.String(),
  service: Service,
  category: Type.String(),
  message: Type.String(),
  status: literals(complaintStatuses),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(DateTime),
  handledBy: Nullable(Type.Object({ id: Id, name: Type.String() })),
  citizenId: Nullable(Id),
  createdAt: DateTime,
  updatedAt: DateTime,
  rowVersion: Type.Integer(),
  otherComplaints: StatusCounts,
  audits: Type.Array(AuditSummary),
  moves: Type.Array(literals(['take', 'answer', 'close'])),
  mayOpenAudit: Type.Boolean(),
  maySuspend: Type.Boolean(),
});

const FindingSchema = Type.Object({
  id: Type.String(),
  text: Type.String(),
  dueAt: DateTime,
  resolvedAt: Type.Optional(DateTime),
});

const Audit = Type.Object({
  id: Id,
  service: Service,
  complaintId: Nullable(Id),
  complaintReference: Nullable(Type.String()),
  scope: Type.String(),
  status: literals(auditStatuses),
  findings: Type.Array(FindingSchema),
  dueAt: DateTime,
  conclusion: Nullable(Type.String()),
  openedBy: Nullable(Type.Object({ id: Id, name: Type.String() })),
  openedAt: DateTime,
  closedAt: Nullable(DateTime),
  rowVersion: Type.Integer(),
  mayChange: Type.Boolean(),
});

const FindingInput = Type.Object(
  {
    text: Type.String({ maxLength: FINDING_MAX * 2 }),
    dueAt: Type.String({ maxLength: 40, description: 'AAAA-MM-JJ (fin de ce jour) ou date-heure ISO 8601' }),
  },
  { additionalProperties: false },
);

const complaintConflict = Type.Object({
  error: Type.Object({ code: Type.Literal('conflict'), message: Type.String() }),
  current: Complaint,
});
const auditConflict = Type.Object({
  error: Type.Object({ code: Type.Literal('conflict'), message: Type.String() }),
  current: Audit,
});

// ── JSON ────────────────────────────────────────────────────────────────────

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export function citizenComplaintJson(c: service.CitizenComplaintView) {
  return { ...c, answeredAt: isoOrNull(c.answeredAt), createdAt: iso(c.createdAt) };
}

const summaryJson = (a: service.AuditSummary) => ({
  ...a,
  dueAt: iso(a.dueAt),
  openedAt: iso(a.openedAt),
  closedAt: isoOrNull(a.closedAt),
});

export function complaintJson(c: ComplaintView) {
  return {
    ...c,
    answeredAt: isoOrNull(c.answeredAt),
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    audits: c.audits.map(summaryJson),
  };
}

export function auditJson(a: AuditView) {
  return { ...a, dueAt: iso(a.dueAt), openedAt: iso(a.openedAt), closedAt: isoOrNull(a.closedAt) };
}

// ── routes ──────────────────────────────────────────────────────────────────

export function complaintRoutes(deps: ComplaintDeps) {
  return async (app: App) => {
    /** Answers a conflict with the report or audit as it now stands, read with the caller's rights. */
    const conflict = async (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
      if (error instanceof ComplaintConflict) {
        const current = await service.getComplaint(deps, request.actor, error.current.id);
        return reply.code(409).send({
          error: { code: 'conflict' as const, message: request.t(error.message, error.params) },
          current: complaintJson(current),
        });
      }
      if (error instanceof AuditConflict) {
        const current = await service.getAudit(deps, request.actor, error.current.id);
        return reply.code(409).send({
          error: { code: 'conflict' as const, message: request.t(error.message, error.params) },
          current: auditJson(current),
        });
      }
      throw error;
    };

    // ── citizens

    app.post(
      '/api/v1/services/:dossierId/complaints',
      {
        config: { action: 'complaint.file' },
        schema: {
          tags,
          summary:
            'Signaler un problème sur ce service (usager) / report a problem on this service (citizen)',
          description:
            'Le signalement doit porter sur la non-conformité du service aux exigences du référencement (pour un bogue, le support du service). `category` : un code de la liste des catégories ; `message` : 20 à 5000 caractères. Un service publié (EN_LIGNE, PRESERIE, HORS_LIGNE, SUSPENDUE) ; 404 sinon. Au plus 5 signalements ouverts par service et 20 par jour : 429 au-delà.',
          params: Type.Object({ dossierId: Id }),
          body: Type.Object(
            {
              category: Type.String({ maxLength: 100 }),
              message: Type.String({ maxLength: MESSAGE_MAX * 2 }),
            },
            { additionalProperties: false },
          ),
          response: { 201: CitizenComplaint, ...errors },
        },
      },
      async (request, reply) => {
        const filed = await service.fileComplaint(
          deps,
          request.actor,
          request.params.dossierId,
          request.body,
        );
        return reply.code(201).send(citizenComplaintJson(filed));
      },
    );

    app.get(
      '/api/v1/citizen/complaints',
      {
        config: { action: 'citizen.space' },
        schema: {
          tags,
          summary: 'Mes signalements (usager) / my reports (citizen)',
          response: { 200: Type.Object({ items: Type.Array(CitizenComplaint) }), ...errors },
        },
      },
      async (request) => ({
        items: (await service.citizenComplaints(deps, request.actor)).map(citizenComplaintJson),
      }),
    );

    app.get(
      '/api/v1/complaint-categories',
      {
        config: { action: 'public.view' },
        schema: {
          tags,
          summary: 'Catégories de signalement / report categories',
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  code: Type.String(),
                  label: Type.Object({ fr: Type.String(), en: Type.String() }),
                  hint: Type.Object({ fr: Type.String(), en: Type.String() }),
                  rubriques: Type.Array(Type.String()),
                }),
              ),
            }),
          },
        },
      },
      async () => ({ items: deps.categories }),
    );

    // ── the instruction: reports

    app.get(
      '/api/v1/complaints',
      {
        config: { action: 'dossier.staff' },
        schema: {
          tags,
          security,
          summary: 'File des signalements (agents) / the reports queue (staff)',
          description:
            'Nouveaux d’abord, puis en cours, répondus, clos ; les plus anciens d’abord. 50 par page.',
          querystring: Type.Object(
            {
              status: Type.Optional(literals(complaintStatuses)),
              dossierId: Type.Optional(Id),
              page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  id: Id,
                  reference: Type.String(),
                  dossierId: Id,
                  productName: Type.String(),
                  category: Type.String(),
                  status: literals(complaintStatuses),
                  createdAt: DateTime,
                  updatedAt: DateTime,
                  rowVersion: Type.Integer(),
                }),
              ),
              total: Type.Integer(),
              page: Type.Integer(),
              pages: Type.Integer(),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const queue = await service.complaintQueue(deps, request.actor, {
          ...request.query,
          status: request.query.status as ComplaintStatus | undefined,
        });
        return {
          items: queue.items.map((i) => ({ ...i, createdAt: iso(i.createdAt), updatedAt: iso(i.updatedAt) })),
          total: queue.total,
          page: queue.page,
          pages: queue.pages,
        };
      },
    );

    app.get(
      '/api/v1/complaints/:id',
      {
        config: { action: 'dossier.staff' },
        schema: {
          tags,
          security,
          summary: 'Un signalement (agents) / one report (staff)',
          params: IdParams,
          response: { 200: Complaint, ...errors },
        },
      },
      async (request) => complaintJson(await service.getComplaint(deps, request.actor, request.params.id)),
    );

    app.post(
      '/api/v1/complaints/:id/status',
      {
        config: { action: 'dossier.staff' },
        schema: {
          tags,
          security,
          summary: 'Faire avancer un signalement (instructeur) / move a report (instructor)',
          description:
            '`in_review` (prendre en charge, depuis `new`), `answered` (répondre, depuis `in_review`, avec `answer` que l’usager lit ; il est notifié), `closed` (clore, depuis `answered`). Un statut qui ne suit pas : 409 `illegal_transition`.',
          params: IdParams,
          body: Type.Object(
            {
              rowVersion: RowVersion,
              status: literals(['in_review', 'answered', 'closed']),
              answer: Type.Optional(Type.String({ maxLength: ANSWER_MAX * 2 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Complaint, 409: Type.Union([complaintConflict, ErrorBody]), ...errors },
        },
      },
      async (request, reply) => {
        const move = moveTo(request.body.status as ComplaintStatus);
        if (!move) throw validationFailed({ status: 'complaint.field.status_unknown' });
        try {
          const view = await service.moveComplaint(
            deps,
            request.actor,
            request.params.id,
            request.body.rowVersion,
            move,
            request.body.answer ?? '',
          );
          return complaintJson(view);
        } catch (error) {
          return conflict(request, reply, error);
        }
      },
    );

    app.post(
      '/api/v1/complaints/:id/suspension',
      {
        config: { action: 'dossier.staff' },
        schema: {
          tags,
          security,
          summary: 'Suspendre le service signalé (instructeur) / suspend the reported service (instructor)',
          description:
            'L’étape `suspend` du dossier (mêmes règles que POST /api/v1/dossiers/{id}/actions), avec le motif que l’éditeur lit. `rowVersion` : la version du signalement ; `dossierRowVersion` : celle du dossier (`service.rowVersion`). 409 `conflict` si l’une a changé, 409 `illegal_transition` si le statut du catalogue ne le permet pas.',
          params: IdParams,
          body: Type.Object(
            {
              rowVersion: RowVersion,
              dossierRowVersion: RowVersion,
              reasons: Type.String({ maxLength: REASONS_MAX * 2 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Complaint, 409: Type.Union([complaintConflict, ErrorBody]), ...errors },
        },
      },
      async (request, reply) => {
        try {
          const view = await service.suspendFromComplaint(
            deps,
            request.actor,
            request.params.id,
            request.body.rowVersion,
            request.body.dossierRowVersion,
            request.body.reasons,
          );
          return complaintJson(view);
        } catch (error) {
          return conflict(request, reply, error);
        }
      },
    );

    // ── audits

    app.get(
      '/api/v1/dossiers/:id/audits',
      {
        config: { action: 'dossier.view_one' },
        schema: {
          tags,
          security,
          summary: 'Les audits d’un service (agents, membres de l’éditeur) / a service’s audits',
          description:
            'Les membres de l’organisation voient les audits de leur service, jamais le signalement qui les a motivés.',
          params: IdParams,
          response: { 200: Type.Object({ items: Type.Array(Audit) }), ...errors },
        },
      },
      async (request) => ({
        items: (await service.auditsOfDossier(deps, request.actor, request.params.id)).map(auditJson),
      }),
    );

    app.post(
      '/api/v1/dossiers/:id/audits',
      {
        config: { action: 'dossier.staff' },
        schema: {
          tags,
          security,
          summary: 'Ouvrir un audit (instructeur) / open an audit (instructor)',
          description:
            'Sur un service publié non déréférencé. `scope` : le périmètre ; `dueAt` : l’échéance ; `findings` : les constats déjà connus (texte et délai). Depuis un signalement : `complaintId` et sa version `complaintRowVersion` (le signalement passe en cours). L’organisation est notifiée du périmètre et de l’échéance.',
          params: IdParams,
          body: Type.Object(
            {
              scope: Type.String({ maxLength: SCOPE_MAX * 2 }),
              dueAt: Type.String({ maxLength: 40 }),
              findings: Type.Optional(Type.Array(FindingInput, { maxItems: FINDINGS_MAX })),
              complaintId: Type.Optional(Id),
              complaintRowVersion: Type.Optional(RowVersion),
            },
            { additionalProperties: false },
          ),
          response: { 201: Audit, 409: Type.Union([complaintConflict, ErrorBody]), ...errors },
        },
      },
      async (request, reply) => {
        const { complaintId, complaintRowVersion } = request.body;
        if (complaintId && complaintRowVersion === undefined)
          throw validationFailed({ complaintRowVersion: 'complaint.field.required' });
        try {
          const view = await service.openAudit(deps, request.actor, request.params.id, {
            scope: request.body.scope,
            dueAt: request.body.dueAt,
            findings: request.body.findings ?? [],
            complaint: complaintId
              ? { id: complaintId, rowVersion: complaintRowVersion as number }
              : undefined,
          });
          return reply.code(201).send(auditJson(view));
        } catch (error) {
          return conflict(request, reply, error);
        }
      },
    );

    app.get(
      '/api/v1/audits',
      {
        config: { action: 'dossier.staff' },
        schema: {
          tags,
          security,
          summary: 'Les audits (agents) / audits (staff)',
          querystring: Type.Object(
            { status: Type.Optional(literals(auditStatuses)) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Intersect([
                  AuditSummary,
                  Type.Object({ productName: Type.String(), overdue: Type.Boolean() }),
                ]),
              ),
            }),
            ...errors,
          },
        },
      },
      async (request) => ({
        items: (
          await service.auditList(deps, request.actor, {
            status: request.query.status as AuditStatus | undefined,
          })
        ).map((a) => ({
          ...summaryJson(a),
          productName: a.productName,
          overdue: a.overdue,
        })),
      }),
    );

    app.get(
      '/api/v1/audits/:id',
      {
        config: { action: 'dossier.view_one' },
        schema: {
          tags,
          security,
          summary: 'Un audit (agents, membres de l’éditeur) / one audit',
          params: IdParams,
          response: { 200: Audit, ...errors },
        },
      },
      async (request) => auditJson(await service.getAudit(deps, request.actor, request.params.id)),
    );

    app.put(
      '/api/v1/audits/:id',
      {
        config: { action: 'dossier.staff' },
        schema: {
          tags,
          security,
          summary:
            'Constats et clôture d’un audit (instructeur) / findings and closure of an audit (instructor)',
          description:
            '`addFindings` : nouveaux constats (l’organisation est notifiée de chacun) ; `resolveFindings` : les ids des constats corrigés ; `close.conclusion` : clôt l’audit (l’organisation est notifiée). Tout ou rien. Un audit clos ne change plus (409).',
          params: IdParams,
          body: Type.Object(
            {
              rowVersion: RowVersion,
              addFindings: Type.Optional(Type.Array(FindingInput, { maxItems: FINDINGS_MAX })),
              resolveFindings: Type.Optional(
                Type.Array(Type.String({ maxLength: 100 }), { maxItems: FINDINGS_MAX }),
              ),
              close: Type.Optional(
                Type.Object(
                  { conclusion: Type.String({ maxLength: CONCLUSION_MAX * 2 }) },
                  { additionalProperties: false },
                ),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: Audit, 409: Type.Union([auditConflict, ErrorBody]), ...errors },
        },
      },
      async (request, reply) => {
        try {
          const { rowVersion, ...change } = request.body;
          return auditJson(
            await service.changeAudit(deps, request.actor, request.params.id, rowVersion, change),
          );
        } catch (error) {
          return conflict(request, reply, error);
        }
      },
    );
  };
}

// ── the plugin ──────────────────────────────────────────────────────────────

/** Citizens' reports and audits: the JSON API and the pages (citizen and instruction). */
export function complaintPlugin(ctx: AppContext, deps: DossierDeps) {
  return async (app: App) => {
    const cdeps = service.complaintDeps(deps, ctx.notifier, loadComplaintCategories());
    await app.register(complaintRoutes(cdeps));
    await app.register(complaintPages(cdeps));
  };
}
