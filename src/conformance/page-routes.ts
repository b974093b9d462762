/**
 * The connection-test pages of the publisher space (`/editeur/tests-accrochage`), sandbox only: a production
 * deployment does not register them (404). Their forms post here and call the module's service, as the JSON
 * API does; the session page shows the client secret on the answer to the form that opened it, and never
 * again.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app.ts';
import type { Actor } from '../identity/model.ts';
import { AppError, validationFailed } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import { listProductsOf } from '../product/index.ts';
import { type PageError, pageErrorOf } from '../web/components.tsx';
import { formField, formFields } from '../web/forms.ts';
import { renderPage, sendHtml } from '../web/layout.tsx';
import type { ActionName, TestStatus } from './model.ts';
import { planStatus } from './model.ts';
import {
  CONFORMANCE_PATH,
  categoryTitles,
  type OpenFormOptions,
  type OpenFormValues,
  SessionListPage,
  SessionPage,
  type SessionPageData,
  sessionActionPath,
  sessionClosePath,
  sessionPath,
  sessionReferencePath,
} from './pages.tsx';
import { loadPlans } from './plans.ts';
import { runReferenceOnSession } from './reference-run.ts';
import {
  type ConformanceDeps,
  closeSession,
  getSession,
  listSessions,
  openSession,
  type SessionView,
  sessionCalls,
  takeAction,
} from './service.ts';

const ACTIONS: readonly ActionName[] = ['withdraw-consent', 'unpair', 'refuse-next-push'];
const FLASHES = [...ACTIONS, 'closed'] as const;

/** Sessions whose reference client runs in this process now (one run at a time per session). */
const referenceRuns = new Set<string>();

/** A form's error shown on its page: validation (422) and conflicts (409); anything else is the app's. */
const shownError = (error: unknown): error is AppError =>
  error instanceof AppError && [409, 422].includes(error.status);

export function conformancePageRoutes(ctx: AppContext, deps?: ConformanceDeps) {
  return async (app: App) => {
    if (ctx.config.mode !== 'sandbox') return;
    const conformance: ConformanceDeps = deps ?? {
      db: ctx.db,
      config: ctx.config,
      keys: ctx.keys,
      referentials: ctx.referentials,
      plans: loadPlans(),
    };
    const { plans } = conformance;
    const config = { action: 'product.edit_one' as const };
    const schema = { hide: true };
    type P = { Params: { id: string } };

    const titleOf = (request: FastifyRequest) => categoryTitles(ctx.referentials.versions, request.locale);

    const formOptions = async (request: FastifyRequest): Promise<OpenFormOptions> => {
      const actor = request.actor;
      const organisations =
        actor.kind === 'account'
          ? actor.memberships
              .map((m) => m.organisationId)
              .filter((o) => !actor.apiTokenOrganisationId || o === actor.apiTokenOrganisationId)
          : [];
      const products = (await Promise.all(organisations.map((o) => listProductsOf(ctx.db, o))))
        .flat()
        .filter((p) => p.dataExchange);
      const newest = ctx.referentials.newest();
      return {
        products: products.map((p) => ({ id: p.id, name: `${p.displayName} (${p.version})` })),
        categories: newest.dataCategories.map((c) => ({ code: c.code, title: c.title[request.locale] })),
        finalites: newest.finalites.map((f) => ({ code: f.code, title: f.title[request.locale] })),
      };
    };

    const showList = async (
      request: FastifyRequest,
      reply: FastifyReply,
      status: number,
      values?: OpenFormValues,
      error?: PageError,
    ) => {
      const [sessions, options] = await Promise.all([
        listSessions(conformance, request.actor),
        formOptions(request),
      ]);
      return sendHtml(
        reply,
        status,
        renderPage(
          SessionListPage({
            ctx: request.pageContext(),
            sessions: sessions.map((s) => ({
              id: s.id,
              productName: s.productName,
              productVersion: s.productVersion,
              status: s.status,
              createdAt: s.createdAt,
              result: planStatus(s.plans) as TestStatus,
            })),
            options,
            ...(values ? { values } : {}),
            ...(error ? { error } : {}),
          }),
        ),
      );
    };

    const pageData = async (actor: Actor, view: SessionView): Promise<SessionPageData> => ({
      id: view.id,
      productName: view.productName,
      productVersion: view.productVersion,
      status: view.status,
      createdAt: view.createdAt,
      closedAt: view.closedAt,
      oid: view.oid,
      clientId: view.clientId,
      issuer: view.issuer,
      fhirBase: view.fhirBase,
      redirectUris: view.redirectUris,
      tokenEndpointAuthMethod: view.tokenEndpointAuthMethod,
      categories: { finalites: view.finalites, categories: view.categories },
      testCitizens: view.testCitizens,
      verdicts: view.plans,
      calls: await sessionCalls(conformance, actor, view.id),
      actions: view.actions,
    });

    const showSession = async (
      request: FastifyRequest,
      reply: FastifyReply,
      view: SessionView,
      state: { status: number; clientSecret?: string; notice?: string; error?: PageError },
    ) =>
      sendHtml(
        reply,
        state.status,
        renderPage(
          SessionPage({
            ctx: request.pageContext(),
            session: await pageData(request.actor, view),
            plans,
            categoryTitle: titleOf(request),
            ...(state.clientSecret ? { clientSecret: state.clientSecret } : {}),
            ...(state.notice ? { notice: state.notice } : {}),
            ...(state.error ? { error: state.error } : {}),
          }),
        ),
      );

    app.get(CONFORMANCE_PATH, { config, schema }, (request, reply) => showList(request, reply, 200));

    app.post(CONFORMANCE_PATH, { config, schema }, async (request, reply) => {
      const body = request.body;
      const values: OpenFormValues = {
        productId: formField(body, 'productId'),
        categories: formFields(body, 'categories'),
        finalites: formFields(body, 'finalites'),
        redirectUris: formField(body, 'redirectUris'),
        jwks: formField(body, 'jwks'),
      };
      // `<code>:read` and `<code>:write` checkboxes, one category each.
      const categories = new Map<string, { code: string; read: boolean; write: boolean }>();
      for (const value of values.categories) {
        const [code = '', how] = value.split(':');
        const category = categories.get(code) ?? { code, read: false, write: false };
        if (how === 'read') category.read = true;
        if (how === 'write') category.write = true;
        categories.set(code, category);
      }
      let jwks: Record<string, unknown> | undefined;
      if (values.jwks.trim() !== '') {
        try {
          jwks = JSON.parse(values.jwks) as Record<string, unknown>;
        } catch {
          return showList(request, reply, 422, values, {
            message: request.t('conformance.form.error'),
            fields: { jwks: 'conformance.field.jwks' },
          });
        }
      }
      try {
        const opened = await openSession(conformance, request.actor, {
          productId: values.productId,
          categories: [...categories.values()],
          finalites: values.finalites,
          redirectUris: values.redirectUris
            .split(/\r?\n/)
            .map((u) => u.trim())
            .filter(Boolean),
          ...(jwks ? { jwks } : {}),
        });
        const { clientSecret, ...view } = opened;
        // The secret is in this answer only: not in a redirect, not in a later page.
        return showSession(request, reply, view, { status: 201, ...(clientSecret ? { clientSecret } : {}) });
      } catch (error) {
        if (shownError(error))
          return showList(request, reply, error.status, values, pageErrorOf(request, error));
        throw error;
      }
    });

    app.get<P>(`${CONFORMANCE_PATH}/:id`, { config, schema }, async (request, reply) => {
      const view = await getSession(conformance, request.actor, request.params.id);
      const ok = (request.query as { ok?: string }).ok ?? '';
      let notice: string | undefined;
      if (ok === 'reference') notice = request.t('conformance.reference.started');
      else if (ok === 'reference-running') notice = request.t('conformance.reference.running');
      else if ((FLASHES as readonly string[]).includes(ok))
        notice =
          ok === 'closed'
            ? request.t('conformance.session.closed_done')
            : request.t('conformance.session.action_done', { action: request.t(`conformance.action.${ok}`) });
      return showSession(request, reply, view, { status: 200, ...(notice ? { notice } : {}) });
    });

    app.post<P>(sessionActionPath(':id'), { config, schema }, async (request, reply) => {
      const { id } = request.params;
      const action = formField(request.body, 'action');
      const category = formField(request.body, 'category');
      const citizen = formField(request.body, 'citizen');
      try {
        if (!(ACTIONS as readonly string[]).includes(action))
          throw validationFailed({ action: 'error.validation' });
        await takeAction(conformance, request.actor, id, {
          action: action as ActionName,
          ...(citizen ? { citizen } : {}),
          ...(category ? { category } : {}),
        });
        return reply.redirect(`${sessionPath(id)}?ok=${action}`, 303);
      } catch (error) {
        if (shownError(error))
          return showSession(request, reply, await getSession(conformance, request.actor, id), {
            status: error.status,
            error: pageErrorOf(request, error),
          });
        throw error;
      }
    });

    // The reference client, run by the platform against its own public address; the page's live progress
    // shows its calls being judged. It runs after the answer, one run at a time per session.
    app.post<P>(sessionReferencePath(':id'), { config, schema }, async (request, reply) => {
      const view = await getSession(conformance, request.actor, request.params.id);
      if (view.status !== 'open') throw validationFailed({ session: 'conformance.session.closed_notice' });
      if (referenceRuns.has(view.id))
        return reply.redirect(`${sessionPath(view.id)}?ok=reference-running`, 303);
      referenceRuns.add(view.id);
      const log = request.log;
      const io = {
        stdout: () => {},
        stderr: (text: string) => log.warn({ session: view.id, text }, 'reference client'),
      };
      void runReferenceOnSession(conformance, io, { sessionId: view.id, baseUrl: ctx.config.publicUrl })
        .catch((error: Error) =>
          log.warn({ session: view.id, err: { message: error.message } }, 'reference client stopped'),
        )
        .finally(() => referenceRuns.delete(view.id));
      return reply.redirect(`${sessionPath(view.id)}?ok=reference`, 303);
    });

    app.post<P>(sessionClosePath(':id'), { config, schema }, async (request, reply) => {
      const { id } = request.params;
      await closeSession(conformance, request.actor, id);
      return reply.redirect(`${sessionPath(id)}?ok=closed`, 303);
    });
  };
}
