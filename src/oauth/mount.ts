/**
 * How an oidc-provider instance lives inside mesref's fastify: its protocol endpoints under a path (it reads
 * its own bodies, so no parser runs there), the fastify request behind each raw request (so its pages are
 * rendered in the site's frame and language), and the interaction of the browser in a page's path.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Interaction, Provider } from 'oidc-provider';
import type { App } from '../platform/http.ts';

/** The fastify requests behind oidc-provider's raw requests, while they are served. */
export type RequestsOfRaw = WeakMap<IncomingMessage, FastifyRequest>;

/** Mounts `provider`'s endpoints at `path`; `requests` learns the fastify request of each call. */
export async function mountProvider(app: App, provider: Provider, path: string, requests: RequestsOfRaw) {
  await app.register(
    async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
      const callback = provider.callback();
      scope.all(
        '/*',
        { config: { action: 'public.view', csrf: false }, schema: { hide: true } },
        async (request, reply) => {
          requests.set(request.raw, request);
          const raw = request.raw as IncomingMessage & { originalUrl?: string; baseUrl?: string };
          // oidc-provider routes on the path below its mount, and builds its URLs from the difference.
          raw.originalUrl = raw.url;
          raw.baseUrl = path;
          raw.url = (raw.url ?? '/').slice(path.length) || '/';
          reply.hijack();
          await callback(raw, reply.raw);
        },
      );
    },
    { prefix: path },
  );
}

/** The interaction of this browser when it is the one in the page's path; undefined when absent or expired. */
export async function interactionOf(
  provider: Provider,
  request: FastifyRequest<{ Params: { uid: string } }>,
  reply: FastifyReply,
): Promise<Interaction | undefined> {
  try {
    const interaction = await provider.interactionDetails(request.raw, reply.raw);
    return interaction.uid === request.params.uid ? interaction : undefined;
  } catch {
    // No interaction cookie, or the interaction expired: the page says so.
    return undefined;
  }
}
