import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import type { AppContext } from '../app.ts';
import { migrationsApplied } from './db/migrate.ts';
import type { App } from './http.ts';

/** Liveness and readiness, for load balancers and orchestrators. */
export function platformRoutes(ctx: AppContext) {
  return async (app: App) => {
    app.get(
      '/health',
      {
        config: { action: 'public.view' },
        schema: {
          tags: ['platform'],
          summary: 'Le processus répond / the process is alive',
          response: { 200: Type.Object({ status: Type.Literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/ready',
      {
        config: { action: 'public.view' },
        schema: {
          tags: ['platform'],
          summary:
            'La base répond et les migrations sont appliquées / database reachable, migrations applied',
          response: {
            200: Type.Object({ status: Type.Literal('ready'), database: Type.String(), mode: Type.String() }),
            503: Type.Object({ status: Type.Literal('not_ready'), reason: Type.String() }),
          },
        },
      },
      async (_request, reply) => {
        try {
          await sql`select 1`.execute(ctx.db);
          if (!(await migrationsApplied(ctx.db))) {
            return reply.code(503).send({ status: 'not_ready' as const, reason: 'migrations pending' });
          }
          return { status: 'ready' as const, database: ctx.dbKind, mode: ctx.config.mode };
        } catch {
          return reply.code(503).send({ status: 'not_ready' as const, reason: 'database unreachable' });
        }
      },
    );

    // The deployment's public keys: what another deployment needs to verify what this one signs (a
    // sandbox's connection-test reports, checked by production with MESREF_SANDBOX_JWKS_FILE).
    app.get(
      '/.well-known/jwks.json',
      {
        config: { action: 'public.view' },
        schema: {
          tags: ['platform'],
          summary: 'Clés publiques de ce déploiement (JWKS) / this deployment’s public keys',
        },
      },
      async (_request, reply) =>
        reply
          .header('cache-control', 'public, max-age=300')
          .type('application/jwk-set+json')
          .send(JSON.stringify({ keys: ctx.keys.publicJwks, mode: ctx.config.mode })),
    );
  };
}
