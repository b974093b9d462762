/**
 * The JSON API of connection tests (/api/v1/conformance, sandbox only): open a session, read it with live
 * verdicts and its recorded calls, drive a test citizen's authorization, trigger platform-side actions, close
 * it, and its report (JSON signed with the sandbox's key, HTML, PDF). Session cookie with the CSRF header, or
 * a personal API token; the service answers 404 to anyone outside the service's organisation.
 */
import { type Static, Type } from '@sinclair/typebox';
import { type App, ErrorBody } from '../platform/http.ts';
import { renderPage, sendHtml } from '../web/layout.tsx';
import { ACTION_NAMES } from './model.ts';
import { ReportPage } from './pages.tsx';
import { buildTestReport, type ReportDocument, renderTestReportPdf, signedTestReport } from './report.ts';
import type { ConformanceDeps } from './service.ts';
import * as service from './service.ts';

const Id = Type.String({ description: 'UUID' });
// The views are the service's (SessionView, RecordedCall…): their JSON is what the service returns.
const errors = { '2xx': Type.Unknown(), '4xx': ErrorBody };
const security = [{ bearer: [] }];
const tags = ['tests d’accrochage / connection tests'];
const IdParams = Type.Object({ id: Id });
const noStore = 'no-store';
const config = { action: 'product.edit_one' as const };

const OpenBody = Type.Object(
  {
    productId: Id,
    finalites: Type.Array(Type.String({ maxLength: 100 }), { minItems: 1, maxItems: 20 }),
    categories: Type.Array(
      Type.Object(
        { code: Type.String({ maxLength: 100 }), read: Type.Boolean(), write: Type.Boolean() },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50 },
    ),
    redirectUris: Type.Array(Type.String({ maxLength: 2000 }), { minItems: 1, maxItems: 10 }),
    jwks: Type.Optional(
      Type.Object(
        { keys: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, maxItems: 10 }) },
        {
          description:
            'Clés publiques du client (private_key_jwt) ; sans elles, un secret client est délivré une fois / the client’s public keys; without them, a client secret is issued once',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const AuthorizeBody = Type.Object(
  {
    authorizationUrl: Type.String({ maxLength: 8000 }),
    citizen: Type.String({ maxLength: 100, description: 'sub d’un citoyen de test de la session' }),
    finalites: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
    decision: Type.Union([Type.Literal('autoriser'), Type.Literal('refuser')]),
  },
  { additionalProperties: false },
);

const ActionBody = Type.Object(
  {
    action: Type.Union(ACTION_NAMES.map((a) => Type.Literal(a))),
    citizen: Type.Optional(Type.String({ maxLength: 100 })),
    category: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

export function conformanceRoutes(deps: ConformanceDeps) {
  return async (app: App) => {
    app.get(
      '/api/v1/conformance/sessions',
      {
        config,
        schema: { tags, security, summary: 'Mes sessions de tests / my test sessions', response: errors },
      },
      async (request) => ({ items: await service.listSessions(deps, request.actor) }),
    );

    app.post<{ Body: Static<typeof OpenBody> }>(
      '/api/v1/conformance/sessions',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Ouvrir une session de tests / open a test session',
          description:
            'Crée le service de test (OID), son client OAuth2 (`sandbox-…`), nomme les citoyens de test et les plans requis. Le secret client n’est renvoyé qu’ici, une fois. / Creates the test service (OID), its OAuth2 client, names the test citizens and the required plans. The client secret is returned here only, once.',
          body: OpenBody,
          response: errors,
        },
      },
      async (request, reply) => {
        reply.header('cache-control', noStore);
        const opened = await service.openSession(deps, request.actor, request.body);
        return reply.code(201).send(opened);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/conformance/sessions/:id',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Une session et ses verdicts / a session and its verdicts',
          params: IdParams,
          response: errors,
        },
      },
      async (request, reply) => {
        reply.header('cache-control', noStore);
        return service.getSession(deps, request.actor, request.params.id);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/conformance/sessions/:id/calls',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Appels enregistrés / recorded calls',
          params: IdParams,
          response: errors,
        },
      },
      async (request, reply) => {
        reply.header('cache-control', noStore);
        return { items: await service.sessionCalls(deps, request.actor, request.params.id) };
      },
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof AuthorizeBody> }>(
      '/api/v1/conformance/sessions/:id/authorize',
      {
        config,
        schema: {
          tags,
          security,
          summary:
            'Autorisation par un citoyen de test, sans navigateur / a test citizen’s authorization, headless',
          description:
            'La plateforme suit l’adresse d’autorisation construite par l’application, connecte le citoyen de test, remplit la page de consentement et renvoie la redirection vers l’application (avec le code). / The platform follows the authorization URL the app built, signs the test citizen in, answers the consent page and returns the redirect to the app (with the code).',
          params: IdParams,
          body: AuthorizeBody,
          response: errors,
        },
      },
      async (request, reply) => {
        reply.header('cache-control', noStore);
        return service.authorizeAsTestCitizen(deps, request.actor, request.params.id, request.body);
      },
    );

    app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ActionBody> }>(
      '/api/v1/conformance/sessions/:id/actions',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Action côté plateforme / platform-side action',
          description:
            'withdraw-consent (citizen, category : l’écriture de la catégorie, ou tout sans catégorie), unpair (citizen), refuse-next-push (le prochain envoi de mesures reçoit 422). / withdraw-consent, unpair, refuse-next-push (the next measures push is answered 422).',
          params: IdParams,
          body: ActionBody,
          response: errors,
        },
      },
      async (request, reply) => {
        const action = await service.takeAction(deps, request.actor, request.params.id, request.body);
        return reply.code(201).send(action);
      },
    );

    app.post<{ Params: Static<typeof IdParams> }>(
      '/api/v1/conformance/sessions/:id/close',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Clore la session / close the session',
          params: IdParams,
          response: errors,
        },
      },
      async (request) => service.closeSession(deps, request.actor, request.params.id),
    );

    // ── the report ──────────────────────────────────────────────────────────
    const reportOf = async (actor: Parameters<typeof service.sessionRecord>[1], id: string) => {
      const record = await service.sessionRecord(deps, actor, id);
      const report = buildTestReport({
        issuer: deps.config.publicUrl,
        session: record.session,
        verdicts: record.plans,
        now: deps.now ? deps.now() : new Date(),
      });
      const document: ReportDocument = {
        report,
        verdicts: record.plans,
        plans: deps.plans,
        calls: record.calls,
      };
      return document;
    };

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/conformance/sessions/:id/report.json',
      {
        config,
        schema: {
          tags,
          security,
          summary: 'Rapport signé (JWS) / signed report (JWS)',
          description:
            '`{ jws, report }` : le JWS compact, signé avec la clé du bac à sable, est ce que l’on dépose au dossier. / `{ jws, report }`: the compact JWS, signed with the sandbox’s key, is what is filed.',
          params: IdParams,
          response: errors,
        },
      },
      async (request, reply) => {
        reply.header('cache-control', noStore);
        const { report } = await reportOf(request.actor, request.params.id);
        return signedTestReport(deps.keys, report);
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/conformance/sessions/:id/report.html',
      {
        config,
        schema: { tags, security, summary: 'Rapport (HTML) / report (HTML)', params: IdParams },
      },
      async (request, reply) => {
        const document = await reportOf(request.actor, request.params.id);
        return sendHtml(reply, 200, renderPage(ReportPage({ ctx: request.pageContext(), document })));
      },
    );

    app.get<{ Params: Static<typeof IdParams> }>(
      '/api/v1/conformance/sessions/:id/report.pdf',
      {
        config,
        schema: { tags, security, summary: 'Rapport (PDF) / report (PDF)', params: IdParams },
      },
      async (request, reply) => {
        const document = await reportOf(request.actor, request.params.id);
        const pdf = await renderTestReportPdf(document, request.t, request.locale);
        return reply
          .type('application/pdf')
          .header('cache-control', noStore)
          .header('content-disposition', `attachment; filename="rapport-tests-${request.params.id}.pdf"`)
          .send(pdf);
      },
    );
  };
}
