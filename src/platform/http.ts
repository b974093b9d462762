import { randomBytes, timingSafeEqual } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import helmet from 'helmet';
import type { Config } from './config.ts';
import { AppError } from './errors.ts';
import { type Catalog, type Locale, negotiateLocale, type Translate, translator } from './i18n.ts';
import { lazyCompilers } from './schema-compilers.ts';

export const LOCALE_COOKIE = 'mesref_lang';
export const CSRF_COOKIE = 'mesref_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const kCsrf = Symbol('csrf token');
const kReply = Symbol('reply');

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
    /** The CSRF token forms of this response must carry. */
    csrfToken: string;
    /** True when the request authenticates with a bearer token (no cookie, so no CSRF check). */
    bearerAuth: boolean;
  }
  interface FastifyInstance {
    /** Compiles the route schemas no request has needed yet (they compile on first use): before listening. */
    compileSchemas(): void;
  }
  interface FastifyContextConfig {
    /** Skip the CSRF check (protocol endpoints that authenticate otherwise). */
    csrf?: false;
  }
}

export type App = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface HttpOptions {
  config: Config;
  catalog: Catalog;
  logger: boolean | object;
  /** Renders an HTML error page for browsers; JSON clients get `{ error }`. */
  renderErrorPage: (request: FastifyRequest, status: number, message: string) => string;
  /**
   * Answers a URL the router cannot read (bad percent-encoding) on paths that have their own error format;
   * returns undefined to leave the plain 400 of the platform.
   */
  answerBadUrl?: (request: FastifyRequest, reply: FastifyReply, message: string) => FastifyReply | undefined;
}

/** Paths whose clients are programs: errors are JSON there. */
export function wantsJson(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0];
  if (path.startsWith('/api/') || path === '/health' || path === '/ready') return true;
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** The JSON error every API route answers (`sendError`), for the routes' OpenAPI schemas. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      fields: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  },
  { description: 'Erreur / error' },
);

/** Sends an error as JSON `{ error: { code, message, fields? } }` or as an HTML page, never with a stack. */
export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  renderErrorPage: HttpOptions['renderErrorPage'],
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string>,
): FastifyReply {
  reply.code(status);
  if (wantsJson(request)) {
    return reply.send({
      error: { code, message, ...(fields && Object.keys(fields).length ? { fields } : {}) },
    });
  }
  return reply.type('text/html; charset=utf-8').send(renderErrorPage(request, status, message));
}

/**
 * Request log lines hold the method, the path (never the query string: it may carry codes or tokens),
 * the status and the time: no header, no body, no identity, so no secret and no health data.
 */
class RequestLogController extends LogController {
  incomingRequest(): void {}
  requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      path: request.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error)
      reply.log.error({ ...line, err: { type: error.name, message: error.message } }, 'request errored');
    else reply.log.info(line, 'request');
  }
}

/** The fastify instance with what every route relies on: security headers, cookies, forms, locale, CSRF, errors. */
export async function createHttp(options: HttpOptions): Promise<App> {
  const { config } = options;
  const compilers = lazyCompilers();
  const app = Fastify({
    logger: options.logger,
    // Typed for fastify’s own compilers; the stand-ins behave as they do where fastify calls them.
    schemaController: { compilersFactory: compilers.compilersFactory as never },
    logController: new RequestLogController(),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    // Never log query strings or bodies: they may hold tokens or health data.
    requestIdHeader: false,
    // A URL the router cannot decode never reaches the hooks (no locale, no session): a 400 of its own,
    // in the caller's language and format.
    frameworkErrors: (error, request, anyReply) => {
      const reply = anyReply as unknown as FastifyReply;
      const locale = negotiateLocale(undefined, request.headers['accept-language']);
      const t = translator(options.catalog, locale);
      if (error.code !== 'FST_ERR_BAD_URL') {
        reply.log.error(
          { err: { type: error.name, message: error.message } },
          'request refused by the router',
        );
        return reply.code(500).type('text/plain; charset=utf-8').send(t('error.internal'));
      }
      const message = t('error.bad_url');
      if (options.answerBadUrl?.(request as FastifyRequest, reply, message)) return;
      reply.code(400);
      if (wantsJson(request)) reply.send({ error: { code: 'bad_url', message } });
      else reply.type('text/plain; charset=utf-8').send(message);
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;
  app.decorate('compileSchemas', compilers.compileAll);

  // Security headers on every answer: helmet's middleware, built once here rather than for each request.
  const secureHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'", ...(config.citizenIdp.kind === 'oidc' ? [config.citizenIdp.issuer] : [])],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: config.publicUrl.startsWith('https://') ? [] : null,
      },
    },
    hsts: config.publicUrl.startsWith('https://'),
  });
  app.addHook('onRequest', (request, reply, done) => {
    secureHeaders(request.raw, reply.raw, done as (error?: unknown) => void);
  });
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: config.bodyLimitBytes });

  app.decorateRequest('locale', 'fr');
  app.decorateRequest('t', null as unknown as Translate);
  // The CSRF token is made when a response first needs it (a page with a form), not on every request:
  // JSON calls and health checks never pay for a random token and a cookie.
  app.decorateRequest('csrfToken', {
    getter(this: FastifyRequest): string {
      const self = this as FastifyRequest & { [kCsrf]?: string; [kReply]?: FastifyReply };
      if (self[kCsrf]) return self[kCsrf];
      let csrf = this.cookies[CSRF_COOKIE];
      if (!csrf || csrf.length < 32) {
        csrf = randomBytes(24).toString('base64url');
        self[kReply]?.setCookie(CSRF_COOKIE, csrf, {
          path: '/',
          sameSite: 'lax',
          httpOnly: true,
          secure: config.secureCookies,
        });
      }
      self[kCsrf] = csrf;
      return csrf;
    },
  });
  app.decorateRequest('bearerAuth', false);

  app.addHook('onRequest', async (request, reply) => {
    const query = request.query as Record<string, string> | undefined;
    const chosen = query?.lang;
    if (chosen === 'fr' || chosen === 'en') {
      reply.setCookie(LOCALE_COOKIE, chosen, {
        path: '/',
        sameSite: 'lax',
        httpOnly: true,
        secure: config.secureCookies,
        maxAge: 365 * 24 * 3600,
      });
    }
    request.locale = negotiateLocale(
      chosen ?? request.cookies[LOCALE_COOKIE],
      request.headers['accept-language'],
    );
    request.t = translator(options.catalog, request.locale);
    request.bearerAuth = /^bearer\s/i.test(request.headers.authorization ?? '');
    (request as FastifyRequest & { [kReply]?: FastifyReply })[kReply] = reply;
  });

  // Double-submit check: a state-changing request authenticated by cookie must echo the CSRF cookie.
  app.addHook('preHandler', async (request, reply) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return;
    if (request.bearerAuth || request.routeOptions.config?.csrf === false) return;
    const body = request.body as Record<string, unknown> | undefined;
    const sent =
      (typeof request.headers[CSRF_HEADER] === 'string'
        ? (request.headers[CSRF_HEADER] as string)
        : undefined) ??
      (body && typeof body[CSRF_FIELD] === 'string' ? (body[CSRF_FIELD] as string) : undefined);
    const expected = request.cookies[CSRF_COOKIE];
    if (!sent || !expected || !safeEqual(sent, expected)) {
      return sendError(request, reply, options.renderErrorPage, 403, 'csrf', request.t('error.csrf'));
    }
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) {
      const fields = Object.fromEntries(Object.entries(error.fields).map(([k, v]) => [k, request.t(v)]));
      return sendError(
        request,
        reply,
        options.renderErrorPage,
        error.status,
        error.code,
        request.t(error.message, error.params),
        fields,
      );
    }
    const err = error as { statusCode?: number; code?: string; validation?: unknown };
    const status = err.statusCode ?? 500;
    if (status === 413)
      return sendError(
        request,
        reply,
        options.renderErrorPage,
        413,
        'payload_too_large',
        request.t('error.too_large'),
      );
    if (status === 415) {
      return sendError(
        request,
        reply,
        options.renderErrorPage,
        415,
        'unsupported_media_type',
        request.t('error.media_type'),
      );
    }
    if (err.validation) {
      return sendError(
        request,
        reply,
        options.renderErrorPage,
        400,
        'bad_request',
        request.t('error.bad_request_detail', { detail: (error as Error).message }),
      );
    }
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return sendError(
        request,
        reply,
        options.renderErrorPage,
        400,
        'malformed_json',
        request.t('error.malformed_json'),
      );
    }
    if (status === 429)
      return sendError(
        request,
        reply,
        options.renderErrorPage,
        429,
        'too_many_requests',
        request.t('error.too_many_requests'),
      );
    if (status >= 400 && status < 500) {
      return sendError(
        request,
        reply,
        options.renderErrorPage,
        status,
        'bad_request',
        request.t('error.bad_request'),
      );
    }
    request.log.error(
      {
        err: {
          type: (error as Error).name,
          message: (error as Error).message,
          stack: (error as Error).stack,
        },
      },
      'unhandled error',
    );
    return sendError(request, reply, options.renderErrorPage, 500, 'internal', request.t('error.internal'));
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(request, reply, options.renderErrorPage, 404, 'not_found', request.t('error.not_found')),
  );

  return app;
}
