import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type App, ErrorBody } from '../platform/http.ts';
import {
  economicModels,
  medicalDeviceClasses,
  type Product,
  type ProductImage,
  type ProductInput,
  productDevices,
  productOses,
} from './model.ts';
import * as service from './service.ts';
import { ProductConflict, type ProductDeps } from './service.ts';

// ── schemas ─────────────────────────────────────────────────────────────────

const Id = Type.String({ description: 'UUID' });
const DateTime = Type.String({ format: 'date-time' });
const literals = (values: readonly string[], description?: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    description ? { description } : {},
  );

const Urls = Type.Object({
  web: Type.Optional(Type.String()),
  ios: Type.Optional(Type.String()),
  android: Type.Optional(Type.String()),
  cgu: Type.Optional(Type.String()),
  privacy: Type.Optional(Type.String()),
});

export const ProductSchema = Type.Object({
  id: Id,
  organisationId: Id,
  commercialName: Type.String({ description: 'Nom commercial vu des usagers / commercial name' }),
  os: literals(productOses),
  device: literals(productDevices),
  displayName: Type.String({ description: '« [Nom] [OS] [Appareil] » (règle de nommage Convergence)' }),
  version: Type.String({ description: 'Version du service / version of the service' }),
  description: Type.String(),
  urls: Urls,
  thematics: Type.Array(Type.String()),
  regions: Type.Array(Type.String(), { description: 'Codes INSEE des régions ; vide : toute la France' }),
  economicModel: literals(economicModels),
  medicalDevice: Type.Object({ is: Type.Boolean(), class: Type.Optional(literals(medicalDeviceClasses)) }),
  audience: Type.Array(Type.String()),
  dataExchange: Type.Boolean({ description: 'Typologie avec échange de données / with data exchange' }),
  hasLogo: Type.Boolean(),
  screenshotCount: Type.Integer(),
  rowVersion: Type.Integer({
    description:
      'Version de la fiche, à renvoyer avec une modification (concurrence optimiste) / row version to send back with a change',
  }),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const ImageSchema = Type.Object({
  id: Id,
  kind: literals(['logo', 'screenshot']),
  position: Type.Integer(),
  mediaType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  altText: Type.String(),
  url: Type.String({ description: 'Adresse du contenu de l’image / where its bytes are served' }),
  createdAt: DateTime,
});

const ConflictBody = Type.Object(
  {
    error: Type.Object({ code: Type.Literal('conflict'), message: Type.String() }),
    current: ProductSchema,
  },
  { description: 'Modification concurrente : la fiche actuelle / concurrent change: the current record' },
);

const text = (maxLength = 5000) => Type.Optional(Type.String({ maxLength }));
const list = () => Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 }));
const inputFields = {
  commercialName: text(500),
  os: text(50),
  device: text(50),
  version: text(500),
  description: text(10_000),
  urls: Type.Optional(
    Type.Object({
      web: text(2000),
      ios: text(2000),
      android: text(2000),
      cgu: text(2000),
      privacy: text(2000),
    }),
  ),
  thematics: list(),
  regions: list(),
  audience: list(),
  economicModel: text(50),
  medicalDevice: Type.Optional(Type.Boolean()),
  medicalDeviceClass: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
  dataExchange: Type.Optional(Type.Boolean()),
};
// Fields are optional in the schema: a missing one is a field problem (422) the service names, and a caller
// without the right is refused before its body is looked at.
const CreateBody = Type.Object(inputFields);
const UpdateBody = Type.Object({
  rowVersion: Type.Integer({
    minimum: 1,
    description: 'La version lue / the version the change is based on',
  }),
  ...inputFields,
});

type InputBody = Static<typeof CreateBody>;

const errors = { '4xx': ErrorBody };
const bearer = [{ bearer: [] }];
const tags = ['services / produits'];

// ── JSON ────────────────────────────────────────────────────────────────────

export function productJson(p: Product): Static<typeof ProductSchema> {
  return { ...p, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() };
}

export function imageUrl(productId: string, imageId: string): string {
  return `/api/v1/products/${productId}/images/${imageId}`;
}

function imageJson(i: ProductImage): Static<typeof ImageSchema> {
  return {
    id: i.id,
    kind: i.kind,
    position: i.position,
    mediaType: i.mediaType,
    sizeBytes: i.sizeBytes,
    sha256: i.sha256,
    altText: i.altText,
    url: imageUrl(i.productId, i.id),
    createdAt: i.createdAt.toISOString(),
  };
}

/** The fields a body gives, as a (partial) product input: what is absent stays absent. */
function inputOf(body: InputBody): Partial<ProductInput> {
  const input: Partial<ProductInput> = {};
  const b = body as Record<string, unknown>;
  for (const key of ['commercialName', 'os', 'device', 'version', 'description', 'economicModel'] as const) {
    if (typeof b[key] === 'string') input[key] = b[key] as string;
  }
  for (const key of ['thematics', 'regions', 'audience'] as const) {
    if (Array.isArray(b[key])) input[key] = b[key] as string[];
  }
  if (body.urls) input.urls = body.urls as Record<string, string>;
  if (typeof body.medicalDevice === 'boolean') input.medicalDevice = body.medicalDevice;
  if (body.medicalDeviceClass !== undefined) input.medicalDeviceClass = body.medicalDeviceClass ?? '';
  if (typeof body.dataExchange === 'boolean') input.dataExchange = body.dataExchange;
  return input;
}

/** A full input for a creation: what is absent is empty (and so named as missing when it is required). */
function fullInput(body: InputBody): ProductInput {
  return {
    commercialName: '',
    os: '',
    device: '',
    version: '',
    description: '',
    urls: {},
    thematics: [],
    regions: [],
    audience: [],
    economicModel: '',
    medicalDevice: false,
    medicalDeviceClass: '',
    dataExchange: false,
    ...inputOf(body),
  };
}

// ── uploads ─────────────────────────────────────────────────────────────────

/** An uploaded file, as the multipart reader of the product plugin leaves it in the body. */
export interface Upload {
  fileName: string;
  bytes: Buffer;
  truncated: boolean;
}

function last(value: unknown): unknown {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

export function textField(body: unknown, name: string): string {
  const value = last((body as Record<string, unknown> | undefined)?.[name]);
  return typeof value === 'string' ? value : '';
}

export function uploadField(body: unknown): Upload | undefined {
  const value = last((body as Record<string, unknown> | undefined)?.file) as Partial<Upload> | undefined;
  // Only the multipart reader makes a Buffer: a JSON body cannot pass for an upload.
  if (!value || typeof value !== 'object' || !Buffer.isBuffer(value.bytes)) return undefined;
  return { fileName: String(value.fileName ?? ''), bytes: value.bytes, truncated: value.truncated === true };
}

/** Serves an image's bytes as what they were detected to be, never sniffed into something else. */
export function sendImage(reply: FastifyReply, found: { image: ProductImage; content: Buffer }) {
  return reply
    .header('content-type', found.image.mediaType)
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', 'inline')
    .header('cache-control', 'private, max-age=300')
    .header('etag', `"${found.image.sha256}"`)
    .send(found.content);
}

// ── routes ──────────────────────────────────────────────────────────────────

type ProductParams = { Params: { id: string } };

/** The services JSON API under /api/v1: the same use cases as the pages. */
export function productRoutes(deps: ProductDeps) {
  return async (app: App) => {
    const orgOf = (request: FastifyRequest) => ({
      organisationId: (request.params as { orgId: string }).orgId,
    });
    const OrgParams = Type.Object({ orgId: Type.String() });
    const ProductParams = Type.Object({ id: Type.String() });
    const ImageParams = Type.Object({ id: Type.String(), imageId: Type.String() });

    app.get(
      '/api/v1/organisations/:orgId/products',
      {
        config: { action: 'product.view', resource: orgOf },
        schema: {
          tags,
          summary: 'Les services d’une organisation / an organisation’s services',
          security: bearer,
          params: OrgParams,
          response: { 200: Type.Object({ products: Type.Array(ProductSchema) }), ...errors },
        },
      },
      async (request) => ({
        products: (await service.listOrganisationProducts(deps, request.actor, request.params.orgId)).map(
          productJson,
        ),
      }),
    );

    app.post(
      '/api/v1/organisations/:orgId/products',
      {
        config: { action: 'product.edit', resource: orgOf },
        schema: {
          tags,
          summary: 'Déclarer un service / declare a service',
          description:
            'Un service par nom commercial, système (os) et appareil (device) : son nom de référencement suit la règle « [Nom] [OS] [Appareil] ».',
          security: bearer,
          params: OrgParams,
          body: CreateBody,
          response: { 201: ProductSchema, ...errors },
        },
      },
      async (request, reply) => {
        const product = await service.createProduct(
          deps,
          request.actor,
          request.params.orgId,
          fullInput(request.body),
        );
        return reply
          .code(201)
          .header('location', `/api/v1/products/${product.id}`)
          .send(productJson(product));
      },
    );

    app.get(
      '/api/v1/products/:id',
      {
        config: { action: 'product.view_one' },
        schema: {
          tags,
          summary: 'Un service / one service',
          security: bearer,
          params: ProductParams,
          response: { 200: ProductSchema, ...errors },
        },
      },
      async (request) => productJson(await service.getProductFor(deps, request.actor, request.params.id)),
    );

    app.patch(
      '/api/v1/products/:id',
      {
        config: { action: 'product.edit_one' },
        schema: {
          tags,
          summary: 'Modifier un service / change a service',
          description:
            'Seuls les champs présents changent. `rowVersion` est la version lue : si quelqu’un a modifié le service depuis, rien n’est écrit et la réponse 409 contient la fiche actuelle (`current`).',
          security: bearer,
          params: ProductParams,
          body: UpdateBody,
          response: { 200: ProductSchema, 409: ConflictBody, ...errors },
        },
      },
      async (request, reply) => {
        try {
          const product = await service.updateProduct(
            deps,
            request.actor,
            request.params.id,
            request.body.rowVersion,
            inputOf(request.body),
          );
          return productJson(product);
        } catch (error) {
          if (error instanceof ProductConflict) {
            return reply.code(409).send({
              error: { code: 'conflict' as const, message: request.t(error.message, error.params) },
              current: productJson(error.current),
            });
          }
          throw error;
        }
      },
    );

    app.get(
      '/api/v1/products/:id/images',
      {
        config: { action: 'product.view_one' },
        schema: {
          tags,
          summary: 'Logo et captures d’écran d’un service / a service’s logo and screenshots',
          security: bearer,
          params: ProductParams,
          response: { 200: Type.Object({ images: Type.Array(ImageSchema) }), ...errors },
        },
      },
      async (request) => ({
        images: (await service.listProductImages(deps, request.actor, request.params.id)).map(imageJson),
      }),
    );

    app.post(
      '/api/v1/products/:id/images',
      {
        config: { action: 'product.edit_one' },
        schema: {
          tags,
          summary: 'Ajouter un logo ou une capture d’écran / add a logo or a screenshot',
          description:
            'multipart/form-data : `kind` (logo ou screenshot), `altText` (obligatoire pour une capture), `file` (PNG, JPEG ou WebP, reconnu à son contenu). Un logo remplace le précédent.',
          consumes: ['multipart/form-data'],
          security: bearer,
          params: ProductParams,
          response: { 201: ImageSchema, ...errors },
        },
      },
      async (request, reply) => {
        const upload = uploadField(request.body);
        const image = await service.addProductImage(deps, request.actor, request.params.id, {
          kind: textField(request.body, 'kind'),
          altText: textField(request.body, 'altText'),
          bytes: upload?.bytes ?? Buffer.alloc(0),
        });
        return reply.code(201).header('location', imageUrl(image.productId, image.id)).send(imageJson(image));
      },
    );

    app.get<{ Params: { id: string; imageId: string } }>(
      '/api/v1/products/:id/images/:imageId',
      {
        config: { action: 'product.view_one' },
        schema: {
          tags,
          summary: 'Le contenu d’une image / an image’s bytes',
          security: bearer,
          params: ImageParams,
        },
      },
      async (request, reply) =>
        sendImage(
          reply,
          await service.productImageContent(deps, request.actor, request.params.id, request.params.imageId),
        ),
    );

    app.delete(
      '/api/v1/products/:id/images/:imageId',
      {
        config: { action: 'product.edit_one' },
        schema: {
          tags,
          summary: 'Retirer une image / remove an image',
          security: bearer,
          params: ImageParams,
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        await service.removeProductImage(deps, request.actor, request.params.id, request.params.imageId);
        return reply.code(204).send(null);
      },
    );
  };
}

export type { ProductParams };
