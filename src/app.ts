import { join } from 'node:path';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyReply, FastifyRequest } from 'fastify';
import pino from 'pino';
import { assessmentMessages } from './assessment/messages.ts';
import { assessmentPlugin } from './assessment/plugin.ts';
import { catalogueMessages, cataloguePlugin } from './catalogue/index.ts';
import { seedDemoDossierFiles } from './cli/seed.ts';
import { conformanceMessages, conformancePlugin, installRecorder } from './conformance/index.ts';
import { conformancePageMessages } from './conformance/page-messages.ts';
import { conformancePageRoutes } from './conformance/page-routes.ts';
import { consentMessages, consentPlugin } from './consent/index.ts';
import { consentPageMessages } from './consent/page-messages.ts';
import { consentPageRoutes } from './consent/page-routes.ts';
import { documentsPageMessages } from './documents/page-messages.ts';
import { documentsPageRoutes } from './documents/page-routes.ts';
import { dossierCatalog, dossierPlugin, runClock } from './dossier/index.ts';
import { loadProcess } from './dossier/process.ts';
import { ecoscoreMessages, ecoscorePlugin, ecoscoreRunHandler } from './ecoscore/index.ts';
import { answerFhirBadUrl } from './fhir/api/plugin.ts';
import { fhirMessages } from './fhir/messages.ts';
import { fhirPlugin } from './fhir/plugin.ts';
import { citizenMessages } from './identity/citizen-messages.ts';
import { citizenPlugin } from './identity/citizen-plugin.ts';
import { identityMessages } from './identity/messages.ts';
import { type Action, type Actor, authorize, type ResourceContext } from './identity/model.ts';
import { identityPlugin } from './identity/plugin.ts';
import { resolveActor } from './identity/sessions.ts';
import { measuresPageMessages } from './measures/page-messages.ts';
import { measuresPageRoutes } from './measures/page-routes.ts';
import {
  createNotifier,
  type Notifier,
  notificationMessages,
  notificationPlugin,
} from './notification/index.ts';
import { oauthMessages, purgeExpiredOidcPayloads } from './oauth/index.ts';
import { oauthPlugin } from './oauth/plugin.ts';
import { pathwayMessages } from './pathway/messages.ts';
import { pathwayPlugin } from './pathway/plugin.ts';
import type { Config } from './platform/config.ts';
import { type DatabaseHandle, type Db, openDatabase } from './platform/db/index.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { ensureDeploymentMode } from './platform/deployment.ts';
import { type App, createHttp, sendError, wantsJson } from './platform/http.ts';
import { mergeCatalogs } from './platform/i18n.ts';
import { enqueueJob, type JobHandler, Worker } from './platform/jobs.ts';
import { loadSigningKeys, type SigningKeys } from './platform/keys.ts';
import { mailJobHandler } from './platform/mail.ts';
import { platformRoutes } from './platform/routes.ts';
import { productMessages } from './product/messages.ts';
import { productPlugin } from './product/plugin.ts';
import { loadReferentials, type Referentials } from './referential/index.ts';
import { referentialMessages } from './referential/messages.ts';
import { referentialPlugin } from './referential/plugin.ts';
import { ASSETS_PREFIX, assetRoutes, DSFR_VERSION } from './web/assets.ts';
import type { PageContext } from './web/layout.tsx';
import { webMessages } from './web/messages.ts';
import { ErrorPage, webPages } from './web/pages.tsx';
import { workspaceMessages, workspacePages } from './web/workspace.tsx';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    /** What a page needs to render for this request. */
    pageContext(): PageContext;
  }
  interface FastifyContextConfig {
    /** The action this route does: `authorize` decides it before the handler runs. */
    action?: Action;
    /** What the route touches, for the decision (for example the organisation in its path). */
    resource?: (request: FastifyRequest) => ResourceContext;
    /** Where an anonymous browser is sent to sign in (default: the publisher and staff sign-in). */
    signIn?: string;
  }
}

/** Everything a module's routes may use. Built once per app by `buildApp`. */
export interface AppContext {
  config: Config;
  db: Db;
  dbKind: DatabaseHandle['kind'];
  keys: SigningKeys;
  worker: Worker;
  /** The referential versions, loaded once at start from `config.referentialsDir`. */
  referentials: Referentials;
  /** Writes notifications (inbox and mail) in the caller's transaction. */
  notifier: Notifier;
}

export interface Mesref extends AppContext {
  app: App;
  /** Every route the app serves, with the action it declares (for the authorization walk). */
  routes: Array<{ method: string; url: string; action: Action }>;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export const catalog = mergeCatalogs(
  webMessages,
  workspaceMessages,
  identityMessages,
  citizenMessages,
  fhirMessages,
  productMessages,
  referentialMessages,
  pathwayMessages,
  assessmentMessages,
  ecoscoreMessages,
  notificationMessages,
  dossierCatalog,
  catalogueMessages,
  consentPageMessages,
  consentMessages,
  measuresPageMessages,
  documentsPageMessages,
  oauthMessages,
  conformanceMessages,
  conformancePageMessages,
);

/** Routes that need no declared action: static files and the API documentation. */
const PUBLIC_PREFIXES = ['/dsfr/', '/static/', ASSETS_PREFIX, '/api/docs'];

function makeLogger(config: Config) {
  return pino({
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
      remove: true,
    },
    serializers: {
      // The path only: query strings may carry codes or tokens.
      req: (req: { method: string; url: string }) => ({ method: req.method, path: req.url.split('?')[0] }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}

/** Every kind of background job and its handler: `serve`'s worker and `mesref worker` run the same list. */
export function jobHandlers(
  db: Db,
  config: Config,
  referentials: Referentials = loadReferentials(config.referentialsDir),
): Record<string, JobHandler> {
  return {
    // The demo referencing files of a sandbox's first start, made in the background.
    'demo.dossiers': async (job) => {
      await seedDemoDossierFiles({ db, config }, job.signal);
    },
    'dossier.clock': async () => {
      await runClock({
        db,
        config,
        referentials,
        keys: { privateJwks: [], publicJwks: [] },
        process: loadProcess(config.processFile),
        notifier: createNotifier(catalog, config.publicUrl),
      });
      await queueClock(db, new Date(Date.now() + 3600_000));
    },
    'mail.send': mailJobHandler(db, config.mail, { publicUrl: config.publicUrl }),
    'ecoscore.run': ecoscoreRunHandler({ db, config }),
    'oauth.purge_expired': async () => {
      await purgeExpiredOidcPayloads(db);
      await queueDailyJobs(db, new Date(Date.now() + 24 * 3600_000));
    },
  };
}

/**
 * Housekeeping, once a day: queued at start for today and, by each run, for the next day. The dedupe key
 * makes it once a day whichever instances start.
 */
export async function queueDailyJobs(db: Db, day = new Date()): Promise<void> {
  const date = day.toISOString().slice(0, 10);
  await enqueueJob(
    db,
    'oauth.purge_expired',
    {},
    {
      dedupeKey: `oauth.purge_expired:${date}`,
      runAt: day.getTime() > Date.now() ? new Date(`${date}T03:00:00Z`) : new Date(),
    },
  );
}

/**
 * The referencing files' clock (reminders, expiry, overdue phases), once an hour: each run queues the next;
 * the dedupe key makes it once an hour whichever instances start.
 */
export async function queueClock(db: Db, at = new Date()): Promise<void> {
  const hour = at.toISOString().slice(0, 13);
  await enqueueJob(db, 'dossier.clock', {}, { dedupeKey: `dossier.clock:${hour}`, runAt: at });
}

/**
 * Builds mesref from its configuration: opens (or takes) the database, migrates it, checks the deployment
 * mode, and wires every module. Tests build as many apps as they need.
 */
export async function buildApp(
  config: Config,
  options: {
    database?: DatabaseHandle;
    logger?: boolean;
    extraJobHandlers?: Record<string, JobHandler>;
    /** Referential versions to use instead of those of `config.referentialsDir`. */
    referentials?: Referentials;
  } = {},
): Promise<Mesref> {
  // Before the database opens: an invalid version file stops the start with its problems listed.
  const referentials = options.referentials ?? loadReferentials(config.referentialsDir);
  const database = options.database ?? (await openDatabase(config));
  try {
    const { db } = database;
    await migrateToLatest(db);
    await ensureDeploymentMode(db, config.mode);
    const keys = await loadSigningKeys(db, config);
    const logger = options.logger === false ? false : makeLogger(config);

    const worker = new Worker({
      db,
      handlers: { ...jobHandlers(db, config, referentials), ...options.extraJobHandlers },
      log: logger ? (logger as never) : undefined,
    });
    const ctx: AppContext = {
      config,
      db,
      dbKind: database.kind,
      keys,
      worker,
      referentials,
      notifier: createNotifier(catalog, config.publicUrl),
    };

    const renderErrorPage = (request: FastifyRequest, status: number, message: string) =>
      ErrorPage(request.pageContext(), status, message);
    const app = await createHttp({
      config,
      catalog,
      logger: logger ? { loggerInstance: logger } : false,
      renderErrorPage,
      answerBadUrl: answerFhirBadUrl,
    } as never);

    app.decorateRequest('actor', null as never);
    app.decorateRequest('pageContext', function (this: FastifyRequest): PageContext {
      const request = this;
      return {
        t: this.t,
        locale: this.locale,
        actor: this.actor ?? { kind: 'anonymous' },
        // Read when a form needs it: a page without a form makes no token and sets no cookie.
        get csrfToken() {
          return request.csrfToken;
        },
        path: this.url.split('?')[0],
        stateBrand: config.stateBrand,
        operatorName: config.operatorName,
        mode: config.mode,
      };
    });

    const routes: Mesref['routes'] = [];
    app.addHook('onRoute', (route) => {
      const url = route.url ?? route.path;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      let action = route.config?.action;
      if (!action) {
        if (!PUBLIC_PREFIXES.some((p) => url.startsWith(p))) {
          throw new Error(
            `route ${methods.join(',')} ${url} declares no action: every route says what it does`,
          );
        }
        action = 'public.view';
        route.config = { ...route.config, action };
      }
      for (const method of methods) if (method !== 'HEAD') routes.push({ method, url, action });
    });

    app.addHook('onRequest', async (request) => {
      request.actor = await resolveActor({ db, config }, request);
    });
    // Connection tests record the calls of their sessions' clients (sandbox only), on every route below.
    if (config.mode === 'sandbox') installRecorder(app, ctx);

    // The one authorization check: every route's declared action, decided before its schema is even
    // checked (an unauthorised caller learns nothing from validation errors).
    app.addHook('preValidation', async (request: FastifyRequest, reply: FastifyReply) => {
      const config_ = request.routeOptions.config;
      const action = config_?.action;
      if (!action) return;
      const resource = { mode: config.mode, ...config_.resource?.(request) };
      const decision = authorize(request.actor, action, resource);
      if (decision.allowed) return;
      const json = wantsJson(request);
      if (decision.reason === 'unauthenticated') {
        if (!json && request.method === 'GET') {
          const target = config_.signIn ?? (action === 'citizen.space' ? '/usager/connexion' : '/connexion');
          return reply.redirect(`${target}?retour=${encodeURIComponent(request.url)}`, 303);
        }
        return sendError(
          request,
          reply,
          renderErrorPage,
          401,
          'unauthenticated',
          request.t('error.unauthenticated'),
        );
      }
      if (decision.reason === 'second_factor_required') {
        if (!json && request.method === 'GET') {
          const second =
            request.actor.kind === 'account' && request.actor.totpEnabled
              ? '/connexion/code'
              : '/compte/double-authentification';
          return reply.redirect(`${second}?retour=${encodeURIComponent(request.url)}`, 303);
        }
        return sendError(
          request,
          reply,
          renderErrorPage,
          403,
          'second_factor_required',
          request.t('error.second_factor_required'),
        );
      }
      return sendError(request, reply, renderErrorPage, 403, 'forbidden', request.t('error.forbidden'));
    });

    // Text answers (pages, JSON, the DSFR's SVGs) compressed on the fly, brotli at a modest quality (4) or
    // gzip; the style and script bundles come compressed once, at the highest level (web/assets.ts).
    await app.register(fastifyCompress, { encodings: ['br', 'gzip'], threshold: 1024 });
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'mesref API',
          version: '1',
          description:
            'API JSON de mesref (/api/v1). Authentification : jeton personnel (Authorization: Bearer mesref_pat_…) ou session.',
        },
        components: {
          securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        },
      },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

    const dsfrDist = join(import.meta.dirname, '..', 'node_modules', '@gouvfr', 'dsfr', 'dist');
    await app.register(async (dsfr) => {
      // The DSFR's files linked with their version (`?v=`: fonts, favicon) are kept a year; others a week.
      dsfr.addHook('onSend', async (request, reply) => {
        if (reply.statusCode >= 400) return;
        const versioned = (request.query as { v?: string }).v === DSFR_VERSION;
        reply.header(
          'cache-control',
          versioned ? 'public, max-age=31536000, immutable' : 'public, max-age=604800',
        );
      });
      await dsfr.register(fastifyStatic, { root: dsfrDist, prefix: '/dsfr/', cacheControl: false });
    });
    await app.register(assetRoutes);
    await app.register(fastifyStatic, {
      root: join(import.meta.dirname, 'web', 'static'),
      prefix: '/static/',
      decorateReply: false,
      maxAge: '1h',
    });

    await app.register(platformRoutes(ctx));
    await app.register(webPages(ctx));
    await app.register(workspacePages(ctx));
    await app.register(identityPlugin(ctx));
    await app.register(citizenPlugin(ctx));
    await app.register(fhirPlugin(ctx));
    await app.register(productPlugin(ctx));
    await app.register(referentialPlugin(ctx));
    await app.register(pathwayPlugin(ctx));
    await app.register(assessmentPlugin(ctx));
    await app.register(ecoscorePlugin(ctx));
    await app.register(notificationPlugin(ctx));
    await app.register(dossierPlugin(ctx));
    await app.register(cataloguePlugin(ctx));
    await app.register(consentPlugin(ctx));
    await app.register(consentPageRoutes(ctx));
    await app.register(measuresPageRoutes(ctx));
    await app.register(documentsPageRoutes(ctx));
    await app.register(conformancePageRoutes(ctx));
    await app.register(conformancePlugin(ctx, { inject: (options) => app.inject(options) }));
    await app.register(oauthPlugin(ctx));

    return {
      ...ctx,
      app,
      routes,
      async listen() {
        // Route schemas compile on first use (tests and commands build the app without serving every route);
        // a server compiles them all before it takes a request, and does not start on one that fails.
        await app.ready();
        app.compileSchemas();
        const address = await app.listen({ port: config.port, host: config.host });
        if (config.inProcessWorker) {
          await queueDailyJobs(db);
          await queueClock(db);
          worker.start();
        }
        return address;
      },
      async close() {
        await worker.stop();
        await app.close();
        if (!options.database) await database.close();
      },
    };
  } catch (error) {
    if (!options.database) await database.close();
    throw error;
  }
}
