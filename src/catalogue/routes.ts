/**
 * The catalogue as open data: `GET /api/v1/catalogue` (JSON, paged, the page's filters as query parameters),
 * `GET /api/v1/catalogue/{oid}` and `GET /api/v1/catalogue.csv` (RFC 4180, UTF-8, every match). Answers
 * carry an ETag (the SHA-256 of the body) and may be cached a minute; `If-None-Match` gets a 304.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sha256 } from '../platform/crypto.ts';
import type { App } from '../platform/http.ts';
import { allowedValues, type CatalogueEntry, queryParameters, searchOf, toCsv } from './model.ts';
import { imagePath, servicePath } from './pages.tsx';
import {
  type CatalogueDeps,
  listedServiceByOid,
  queryOf,
  type ServiceDetail,
  searchCatalogue,
  wholeCatalogue,
} from './service.ts';

export interface CatalogueApiDeps extends CatalogueDeps {
  publicUrl: string;
}

const Localized = Type.Object({ fr: Type.String(), en: Type.String() });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const EntrySchema = Type.Object(
  {
    oid: Type.String({ description: 'Identifiant (OID) du service référencé' }),
    name: Type.String({ description: 'Nom selon la règle Convergence : « [Nom] [OS] [Appareil] »' }),
    commercialName: Type.String(),
    publisher: Type.String(),
    description: Type.String(),
    thematics: Type.Array(Type.String()),
    regions: Type.Array(Type.String(), { description: 'Codes INSEE ; vide : toute la France' }),
    audience: Type.Array(Type.String()),
    economicModel: Type.String({ enum: ['gratuit', 'payant', 'gratuit-achats-integres'] }),
    medicalDevice: Type.Object({ is: Type.Boolean(), class: Nullable(Type.String()) }),
    dataExchange: Type.Boolean(),
    platforms: Type.Array(Type.String({ enum: ['ios', 'android', 'web'] })),
    urls: Type.Object({
      web: Nullable(Type.String()),
      ios: Nullable(Type.String()),
      android: Nullable(Type.String()),
      cgu: Nullable(Type.String()),
      privacy: Nullable(Type.String()),
    }),
    version: Type.String(),
    logoUrl: Nullable(Type.String()),
    ecoscore: Type.Union([
      Type.Object({ score: Type.Number(), measuredOn: Type.String({ format: 'date' }) }),
      Type.Null(),
    ]),
    publishedAt: Nullable(Type.String({ format: 'date-time' })),
    referencedUntil: Nullable(Type.String({ format: 'date-time' })),
    status: Type.String({ enum: ['EN_LIGNE'] }),
    pageUrl: Type.String(),
  },
  { $id: 'CatalogueEntry' },
);

const ListSchema = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  parPage: Type.Integer(),
  pages: Type.Integer(),
  items: Type.Array(Type.Ref('CatalogueEntry')),
  links: Type.Object({
    self: Type.String(),
    next: Nullable(Type.String()),
    prev: Nullable(Type.String()),
    csv: Type.String(),
  }),
});

const DetailSchema = Type.Intersect([
  Type.Ref('CatalogueEntry'),
  Type.Object({
    screenshots: Type.Array(Type.Object({ url: Type.String(), altText: Type.String() })),
    finalites: Type.Array(Type.Object({ code: Type.String(), title: Localized })),
    categories: Type.Array(
      Type.Object({ code: Type.String(), title: Localized, read: Type.Boolean(), write: Type.Boolean() }),
    ),
  }),
]);

const ErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    fields: Type.Optional(Type.Record(Type.String(), Type.String())),
  }),
});

const described: Record<string, string> = {
  q: 'Texte cherché dans le nom, la description et l’éditeur (sans tenir compte des majuscules ni des accents ; chaque mot doit figurer).',
  page: 'Numéro de page, à partir de 1.',
  parPage: 'Services par page (1 à 100, 20 par défaut). JSON seulement.',
  region: 'Code INSEE de la région ; un service sans région (national) correspond à toutes. Valeurs : ',
};

/** The query parameters, documented (values are checked by the catalogue's rules: 422 with the fields). */
const QuerySchema = Type.Object(
  Object.fromEntries(
    queryParameters.map((name) => {
      const values = allowedValues[name];
      const description = `${described[name] ?? ''}${values && name !== 'region' ? 'Valeurs : ' : ''}${values ? values.join(', ') : ''}`;
      return [name, Type.Optional(Type.String({ description }))];
    }),
  ),
);

type Query = Static<typeof QuerySchema>;

function entryJson(publicUrl: string, entry: CatalogueEntry): Static<typeof EntrySchema> {
  return {
    oid: entry.oid,
    name: entry.name,
    commercialName: entry.commercialName,
    publisher: entry.publisher,
    description: entry.description,
    thematics: entry.thematics,
    regions: entry.regions,
    audience: entry.audience,
    economicModel: entry.economicModel,
    medicalDevice: entry.medicalDevice,
    dataExchange: entry.dataExchange,
    platforms: entry.platforms,
    urls: entry.urls,
    version: entry.version,
    logoUrl: entry.logo ? `${publicUrl}${imagePath(entry.dossierId, entry.logo)}` : null,
    ecoscore: entry.ecoscore,
    publishedAt: entry.publishedAt ? new Date(entry.publishedAt).toISOString() : null,
    referencedUntil: entry.referencedUntil ? new Date(entry.referencedUntil).toISOString() : null,
    status: entry.catalogueStatus,
    pageUrl: `${publicUrl}${servicePath(entry.dossierId)}`,
  };
}

function detailJson(publicUrl: string, detail: ServiceDetail) {
  return {
    ...entryJson(publicUrl, detail),
    screenshots: detail.screenshots.map((s) => ({
      url: `${publicUrl}${imagePath(detail.dossierId, s)}`,
      altText: s.altText,
    })),
    finalites: detail.finalites,
    categories: detail.categories,
  };
}

/** Does the request already hold this version (If-None-Match, weak or strong, or `*`)? */
function fresh(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/** Sends a body with its ETag and a minute of public caching, or 304 when the client has it. */
function sendCached(request: FastifyRequest, reply: FastifyReply, type: string, body: string) {
  const etag = `"${sha256(body).slice(0, 32)}"`;
  reply.header('etag', etag).header('cache-control', 'public, max-age=60').header('vary', 'accept-encoding');
  if (fresh(request, etag)) return reply.code(304).send();
  return reply.type(type).send(body);
}

const CSV_HEADER = [
  'oid',
  'nom',
  'nom_commercial',
  'editeur',
  'description',
  'thematiques',
  'regions',
  'public',
  'modele_economique',
  'dispositif_medical',
  'classe_dispositif_medical',
  'echange_donnees',
  'plateformes',
  'url_web',
  'url_ios',
  'url_android',
  'url_cgu',
  'url_confidentialite',
  'version',
  'ecoscore',
  'ecoscore_date',
  'date_referencement',
  'valide_jusqu_au',
  'statut',
  'page',
];

function csvOf(publicUrl: string, entries: CatalogueEntry[]): string {
  const day = (d: Date | null) => (d ? new Date(d).toISOString().slice(0, 10) : null);
  return toCsv(
    CSV_HEADER,
    entries.map((e) => [
      { value: e.oid, text: false },
      { value: e.name },
      { value: e.commercialName },
      { value: e.publisher },
      { value: e.description },
      { value: e.thematics.join(';') },
      { value: e.regions.join(';') },
      { value: e.audience.join(';') },
      { value: e.economicModel },
      { value: e.medicalDevice.is ? 'oui' : 'non' },
      { value: e.medicalDevice.class },
      { value: e.dataExchange ? 'oui' : 'non' },
      { value: e.platforms.join(';') },
      { value: e.urls.web },
      { value: e.urls.ios },
      { value: e.urls.android },
      { value: e.urls.cgu },
      { value: e.urls.privacy },
      { value: e.version },
      { value: e.ecoscore?.score ?? null, text: false },
      { value: e.ecoscore?.measuredOn ?? null, text: false },
      { value: day(e.publishedAt), text: false },
      { value: day(e.referencedUntil), text: false },
      { value: e.catalogueStatus },
      { value: `${publicUrl}${servicePath(e.dossierId)}` },
    ]),
  );
}

export function catalogueRoutes(deps: CatalogueApiDeps) {
  return async (app: App) => {
    app.addSchema(EntrySchema);
    const config = { action: 'catalogue.view' as const };
    const errors = { 400: ErrorSchema, 422: ErrorSchema };

    app.get<{ Querystring: Query }>(
      '/api/v1/catalogue',
      {
        config,
        schema: {
          tags: ['catalogue'],
          summary: 'Les services en ligne du catalogue (données ouvertes), paginés et filtrés',
          querystring: QuerySchema,
          response: { 200: ListSchema, ...errors },
        },
      },
      async (request, reply) => {
        const query = queryOf(request.query, { allowPageSize: true });
        const result = await searchCatalogue(deps, query);
        const base = `${deps.publicUrl}/api/v1/catalogue`;
        const body = {
          total: result.total,
          page: query.page,
          parPage: query.parPage,
          pages: result.pages,
          items: result.entries.map((e) => entryJson(deps.publicUrl, e)),
          links: {
            self: `${base}${searchOf(query)}`,
            next: query.page < result.pages ? `${base}${searchOf(query, { page: query.page + 1 })}` : null,
            prev:
              query.page > 1
                ? `${base}${searchOf(query, { page: query.page - 1 === 1 ? undefined : query.page - 1 })}`
                : null,
            csv: `${deps.publicUrl}/api/v1/catalogue.csv${searchOf(query, { page: undefined, parPage: undefined, tri: undefined })}`,
          },
        };
        return sendCached(request, reply, 'application/json; charset=utf-8', JSON.stringify(body));
      },
    );

    app.get<{ Querystring: Query }>(
      '/api/v1/catalogue.csv',
      {
        config,
        schema: {
          tags: ['catalogue'],
          summary: 'Tout le catalogue filtré en CSV (RFC 4180, UTF-8, séparateur virgule)',
          querystring: QuerySchema,
          produces: ['text/csv'],
          response: {
            200: { description: 'Le CSV, une ligne d’en-tête puis un service par ligne', type: 'string' },
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const query = queryOf({ ...request.query, page: undefined, parPage: undefined }, {});
        const entries = await wholeCatalogue(deps, query);
        reply.header('content-disposition', 'attachment; filename="catalogue-services.csv"');
        return sendCached(
          request,
          reply,
          'text/csv; charset=utf-8; header=present',
          csvOf(deps.publicUrl, entries),
        );
      },
    );

    app.get<{ Params: { oid: string } }>(
      '/api/v1/catalogue/:oid',
      {
        config,
        schema: {
          tags: ['catalogue'],
          summary: 'Un service en ligne par son OID',
          params: Type.Object({ oid: Type.String() }),
          response: { 200: DetailSchema, 404: ErrorSchema },
        },
      },
      async (request, reply) => {
        const detail = await listedServiceByOid(deps, request.params.oid);
        return sendCached(
          request,
          reply,
          'application/json; charset=utf-8',
          JSON.stringify(detailJson(deps.publicUrl, detail)),
        );
      },
    );
  };
}
