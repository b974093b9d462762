/**
 * Route schemas compiled when a route first needs them rather than when the app starts. Fastify compiles every
 * route's request validators (ajv) and response serializers (fast-json-stringify) as the routes are added:
 * seconds of CPU for mesref's few hundred routes, paid by every process that builds the app (each test file,
 * each command), whatever routes it then serves. Here each route gets a stand-in that compiles the real
 * function, with fastify's own compilers and options, on its first call; `compileAll` compiles what is still
 * pending, so that `mesref serve` still refuses to start on a schema that does not compile.
 * One difference fastify makes for compilers of its options: it no longer lower-cases the property names of a
 * `headers` schema (no route has one; write them in lower case).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

type Compiled = ((data: unknown) => unknown) & { errors?: unknown };
type Compile = (route: unknown) => Compiled;
type Builder = (externalSchemas: unknown, options: unknown) => Compile;

// The compilers fastify itself would use, resolved from fastify's own folder (the versions it depends on).
const fastifyRequire = createRequire(fileURLToPath(import.meta.resolve('fastify')));
const ajvCompilers = fastifyRequire('@fastify/ajv-compiler') as () => Builder;
const serializerCompilers = fastifyRequire('@fastify/fast-json-stringify-compiler') as () => Builder;

export interface LazyCompilers {
  /** For `Fastify({ schemaController: { compilersFactory } })`. */
  compilersFactory: { buildValidator: Builder; buildSerializer: Builder };
  /** Compiles every route schema not compiled yet; throws what fastify would have thrown at start-up. */
  compileAll(): void;
}

export function lazyCompilers(): LazyCompilers {
  const pending = new Set<() => Compiled>();
  const lazily =
    (build: Builder): Builder =>
    (externalSchemas, options) => {
      const compile = build(externalSchemas, options);
      return (route) => {
        let compiled: Compiled | undefined;
        const real = () => {
          if (!compiled) {
            pending.delete(real);
            try {
              compiled = compile(route);
            } catch (error) {
              const { method, url, httpPart } = route as { method?: string; url?: string; httpPart?: string };
              const part = httpPart ?? 'response';
              throw new Error(
                `${method} ${url}: the ${part} schema does not compile: ${(error as Error).message}`,
              );
            }
          }
          return compiled;
        };
        pending.add(real);
        // Fastify reads a validator's `errors` after a call that returned false, as ajv leaves them.
        const standIn: Compiled = (data) => {
          const fn = real();
          const result = fn(data);
          standIn.errors = fn.errors;
          return result;
        };
        return standIn;
      };
    };
  return {
    compilersFactory: {
      buildValidator: lazily(ajvCompilers()),
      buildSerializer: lazily(serializerCompilers()),
    },
    compileAll() {
      for (const real of [...pending]) real();
    },
  };
}
