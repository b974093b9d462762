import multipart from '@fastify/multipart';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import type { OrganisationView } from '../identity/index.ts';
import { type App, ErrorBody } from '../platform/http.ts';
import {
  type AdminFile,
  adminFileStatuses,
  contactRoles,
  MAX_CONTACTS,
  MAX_REASON_LENGTH,
} from './admin-file.ts';
import { adminFilePages, sendAgreement, type Upload } from './admin-file-pages.tsx';
import * as service from './admin-file-service.ts';
import { AdminFileConflict, type AdminFileDeps } from './admin-file-service.ts';

export { adminFileMessages } from './admin-file-messages.ts';

// ── schemas ─────────────────────────────────────────────────────────────────

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(schema: T, options: { description?: string } = {}) =>
  Type.Union([schema, Type.Null()], options);
const literals = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

const Identity = Type.Object({
  legalName: Type.String(),
  siren: Type.String(),
  address: Type.String(),
  legalRepresentative: Type.String(),
});

const ContactSchema = Type.Object({
  role: literals(contactRoles),
  name: Type.String(),
  email: Type.String(),
  phone: Type.String({ description: 'Facultatif (chaîne vide) / optional (empty string)' }),
});

export const AdminFileSchema = Type.Object({
  organisationId: Type.String({ description: 'UUID' }),
  status: literals(adminFileStatuses),
  organisation: Type.Intersect([Identity, Type.Object({ status: literals(['active', 'suspended']) })], {
    description:
      'L’identité actuelle de l’organisation (module identité) / the organisation’s current identity',
  }),
  identity: Nullable(Identity, {
    description: 'L’identité transmise à la dernière soumission / the identity sent with the last submission',
  }),
  contacts: Type.Array(ContactSchema),
  agreement: Nullable(
    Type.Object({
      name: Type.String(),
      mediaType: Type.String(),
      size: Type.Integer(),
      sha256: Type.String(),
      url: Type.String({ description: 'Téléchargement / download' }),
    }),
  ),
  reviewReason: Nullable(Type.String({ description: 'Motif du refus / reason of the refusal' })),
  reviewedAt: Nullable(DateTime),
  submittedAt: Nullable(DateTime),
  rowVersion: Type.Integer({
    description:
      'Version du dossier (0 : jamais enregistré), à renvoyer avec toute modification / the version to send back with any change',
  }),
  createdAt: Nullable(DateTime),
  updatedAt: Nullable(DateTime),
});

const ConflictBody = Type.Object(
  {
    error: Type.Object({ code: Type.Literal('conflict'), message: Type.String() }),
    current: AdminFileSchema,
  },
  { description: 'Modification concurrente : le dossier actuel / concurrent change: the current file' },
);

const RowVersion = Type.Integer({
  minimum: 0,
  description: 'La version lue / the version the change is based on',
});
const VersionBody = Type.Object({ rowVersion: RowVersion });
const SaveBody = Type.Object({
  rowVersion: RowVersion,
  contacts: Type.Array(
    Type.Object({
      role: Type.String({ maxLength: 50 }),
      name: Type.String({ maxLength: 1000 }),
      email: Type.String({ maxLength: 1000 }),
      phone: Type.Optional(Type.String({ maxLength: 100 })),
    }),
    { maxItems: MAX_CONTACTS },
  ),
});
const RejectBody = Type.Object({
  rowVersion: RowVersion,
  reason: Type.String({ maxLength: MAX_REASON_LENGTH * 2 }),
});
const AgreementQuery = Type.Object({
  rowVersion: Type.Integer({
    minimum: 0,
    description: 'La version lue / the version the change is based on',
  }),
  fileName: Type.Optional(Type.String({ maxLength: 300, description: 'Nom du fichier / file name' })),
});
const OrgParams = Type.Object({ orgId: Type.String() });

const errors = { '4xx': ErrorBody };
const bearer = [{ bearer: [] }];
const tags = ['dossier administratif / administrative file'];

// ── JSON ────────────────────────────────────────────────────────────────────

export const agreementUrl = (organisationId: string) =>
  `/api/v1/organisations/${organisationId}/admin-file/agreement`;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function adminFileJson(
  file: AdminFile,
  organisation: OrganisationView,
): Static<typeof AdminFileSchema> {
  return {
    organisationId: file.organisationId,
    status: file.status,
    organisation: {
      legalName: organisation.legalName,
      siren: organisation.siren,
      address: organisation.address,
      legalRepresentative: organisation.legalRepresentative,
      status: organisation.status,
    },
    identity: file.identity,
    contacts: file.contacts,
    agreement: file.agreement ? { ...file.agreement, url: agreementUrl(file.organisationId) } : null,
    reviewReason: file.reviewReason,
    reviewedAt: iso(file.reviewedAt),
    submittedAt: iso(file.submittedAt),
    rowVersion: file.rowVersion,
    createdAt: iso(file.createdAt),
    updatedAt: iso(file.updatedAt),
  };
}

// ── routes ──────────────────────────────────────────────────────────────────

/** The administrative file's JSON API under /api/v1: the same use cases as the pages. */
export function adminFileRoutes(deps: AdminFileDeps) {
  const maxBytes = deps.config.evidenceMaxBytes;
  return async (app: App) => {
    // The agreement as a request body (PDF), in this plugin's scope only; one byte past the limit is read so
    // that the service names the limit.
    app.addContentTypeParser(
      'application/pdf',
      { parseAs: 'buffer', bodyLimit: maxBytes + 1 },
      (_r, body, done) => done(null, body),
    );

    const orgOf = (request: FastifyRequest) => ({
      organisationId: (request.params as { orgId: string }).orgId,
    });
    const view = { action: 'dossier.view_one' as const, resource: orgOf };
    const publisher = { action: 'dossier.publisher' as const, resource: orgOf };
    const staff = { action: 'dossier.staff' as const, resource: orgOf };
    const path = '/api/v1/organisations/:orgId/admin-file';

    /** The file as it now stands, as the answer of a read or a change. */
    const answer = async (request: FastifyRequest, organisationId: string) => {
      const { file, organisation } = await service.getAdminFile(deps, request.actor, organisationId);
      return adminFileJson(file, organisation);
    };

    /** A change: the file after it, or 409 with the current file when it was based on a stale version. */
    const change = async (
      request: FastifyRequest<{ Params: { orgId: string } }>,
      reply: FastifyReply,
      run: () => Promise<unknown>,
    ) => {
      try {
        await run();
      } catch (error) {
        if (error instanceof AdminFileConflict) {
          const { organisation } = await service.getAdminFile(deps, request.actor, request.params.orgId);
          return reply.code(409).send({
            error: { code: 'conflict' as const, message: request.t(error.message, error.params) },
            current: adminFileJson(error.current, organisation),
          });
        }
        throw error;
      }
      return answer(request, request.params.orgId);
    };

    const response = { 200: AdminFileSchema, 409: Type.Union([ConflictBody, ErrorBody]), ...errors };

    app.get(
      '/api/v1/admin-files',
      {
        config: { action: 'dossier.staff' },
        schema: {
          tags,
          summary: 'Les dossiers administratifs à instruire / administrative files to review (instruction)',
          description: 'Les dossiers soumis d’abord (le plus ancien en premier), puis les autres.',
          security: bearer,
          response: {
            200: Type.Object({
              adminFiles: Type.Array(
                Type.Object({
                  organisationId: Type.String(),
                  legalName: Type.String(),
                  siren: Type.String(),
                  status: literals(adminFileStatuses),
                  submittedAt: Nullable(DateTime),
                  updatedAt: Nullable(DateTime),
                  rowVersion: Type.Integer(),
                }),
              ),
            }),
            ...errors,
          },
        },
      },
      async (request) => ({
        adminFiles: (await service.listAdminFilesForInstruction(deps, request.actor)).map(
          ({ file, organisation }) => ({
            organisationId: file.organisationId,
            legalName: organisation.legalName,
            siren: organisation.siren,
            status: file.status,
            submittedAt: iso(file.submittedAt),
            updatedAt: iso(file.updatedAt),
            rowVersion: file.rowVersion,
          }),
        ),
      }),
    );

    app.get(
      path,
      {
        config: view,
        schema: {
          tags,
          summary: 'Le dossier administratif d’une organisation / an organisation’s administrative file',
          description:
            'Pour ses membres et les agents. Avant le premier enregistrement : un brouillon vide de version 0.',
          security: bearer,
          params: OrgParams,
          response: { 200: AdminFileSchema, ...errors },
        },
      },
      async (request) => answer(request, request.params.orgId),
    );

    app.put(
      path,
      {
        config: publisher,
        schema: {
          tags,
          summary: 'Enregistrer les contacts / save the contacts',
          description:
            'Remplace les contacts (rôles administratif, technique, dpo, support ; au plus 6). Possible sur un brouillon ou un dossier refusé, qui redevient brouillon. `rowVersion` est la version lue : si le dossier a changé depuis, rien n’est écrit et la réponse 409 contient le dossier actuel (`current`).',
          security: bearer,
          params: OrgParams,
          body: SaveBody,
          response,
        },
      },
      (request, reply) =>
        change(request, reply, () =>
          service.saveContacts(
            deps,
            request.actor,
            request.params.orgId,
            request.body.rowVersion,
            request.body.contacts.map((c) => ({ ...c, phone: c.phone ?? '' })),
          ),
        ),
    );

    app.get(
      `${path}/agreement`,
      {
        config: view,
        schema: {
          tags,
          summary: 'La convention signée (PDF) / the signed agreement (PDF)',
          security: bearer,
          params: OrgParams,
        },
      },
      async (request, reply) =>
        sendAgreement(reply, await service.agreementFile(deps, request.actor, request.params.orgId)),
    );

    app.put(
      `${path}/agreement`,
      {
        config: publisher,
        schema: {
          tags,
          summary: 'Déposer la convention signée / upload the signed agreement',
          description: `Corps \`application/pdf\` (reconnu à son contenu, \`%PDF-\`), au plus MESREF_EVIDENCE_MAX_BYTES (${Math.floor(maxBytes / 1024)} Kio ici). \`rowVersion\` (paramètre) est la version lue ; \`fileName\` le nom du fichier.`,
          consumes: ['application/pdf'],
          security: bearer,
          params: OrgParams,
          querystring: AgreementQuery,
          response,
        },
      },
      (request, reply) =>
        change(request, reply, () =>
          service.uploadAgreement(deps, request.actor, request.params.orgId, request.query.rowVersion, {
            fileName: request.query.fileName ?? 'convention.pdf',
            bytes: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          }),
        ),
    );

    const move = (
      suffix: string,
      config: { action: 'dossier.publisher' | 'dossier.staff'; resource: typeof orgOf },
      summary: string,
      description: string,
      run: (organisationId: string, rowVersion: number, request: FastifyRequest) => Promise<unknown>,
      body: typeof VersionBody | typeof RejectBody = VersionBody,
    ) =>
      app.post(
        `${path}/${suffix}`,
        {
          config,
          schema: { tags, summary, description, security: bearer, params: OrgParams, body, response },
        },
        (request, reply) =>
          change(request, reply, () =>
            run(request.params.orgId, (request.body as { rowVersion: number }).rowVersion, request),
          ),
      );

    move(
      'submit',
      publisher,
      'Soumettre pour validation / submit for validation',
      'Le mandataire ou le représentant. Il faut un contact administratif, un contact technique et la convention signée (422 sinon). Les instructeurs sont notifiés.',
      (orgId, rowVersion, request) => service.submitAdminFile(deps, request.actor, orgId, rowVersion),
    );
    move(
      'reopen',
      publisher,
      'Modifier un dossier soumis ou validé / reopen a submitted or validated file',
      'Le dossier redevient brouillon : il devra être soumis et validé de nouveau avant toute demande de référencement.',
      (orgId, rowVersion, request) => service.reopenAdminFile(deps, request.actor, orgId, rowVersion),
    );
    move(
      'validate',
      staff,
      'Valider le dossier (instructeur) / validate the file (instructor)',
      'Un dossier soumis ; les membres de l’organisation sont notifiés.',
      (orgId, rowVersion, request) => service.validateAdminFile(deps, request.actor, orgId, rowVersion),
    );
    move(
      'reject',
      staff,
      'Refuser le dossier (instructeur) / reject the file (instructor)',
      'Un dossier soumis, avec un motif (`reason`, obligatoire) que l’éditeur lit ; ses membres sont notifiés.',
      (orgId, rowVersion, request) =>
        service.rejectAdminFile(
          deps,
          request.actor,
          orgId,
          rowVersion,
          (request.body as { reason: string }).reason,
        ),
      RejectBody,
    );
  };
}

// ── the plugin ──────────────────────────────────────────────────────────────

/** Routes and pages of the administrative file: the JSON API, the publisher's page and the instruction's. */
export function adminFilePlugin(ctx: AppContext) {
  return async (app: App) => {
    const deps: AdminFileDeps = {
      db: ctx.db,
      config: ctx.config,
      notifier: ctx.notifier,
    };
    const maxBytes = ctx.config.evidenceMaxBytes;
    // In this plugin's scope only, for the agreement's upload form. Fields come as text (the CSRF check reads
    // `_csrf`); the file as bytes, cut one byte past the limit so an oversized one is told apart without being
    // read whole.
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
    await app.register(adminFileRoutes(deps));
    await app.register(adminFilePages(deps));
  };
}
