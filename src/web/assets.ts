/**
 * The pages' style sheets and scripts, served as a few bundles rather than one file per DSFR component: each
 * bundle is the concatenation of the DSFR files a page asks for (plus mesref's own sheets), built once from
 * node_modules/@gouvfr/dsfr/dist, compressed once (brotli 11 and gzip 9, kept in memory) and served under a
 * URL that names its content (`/assets/<hash>/<parts>.css`), so that a browser keeps it for a year and never
 * asks again. The parts stand in the URL: any instance of mesref can rebuild a bundle another one linked.
 *
 * In the style sheets, the DSFR's relative `url()`s are rewritten: its small SVG icons are inlined (no request
 * each), its fonts point to `/dsfr/fonts/…?v=<version>`, served immutable by the static files.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DSFR_DIST = join(import.meta.dirname, '..', '..', 'node_modules', '@gouvfr', 'dsfr', 'dist');
const STATIC_DIR = join(import.meta.dirname, 'static');
/** uPlot, the charts' library (its IIFE build and its sheet), served in bundles like the DSFR's files. */
const UPLOT_DIST = join(import.meta.dirname, '..', '..', 'node_modules', 'uplot', 'dist');
export const DSFR_VERSION: string = JSON.parse(
  readFileSync(join(DSFR_DIST, '..', 'package.json'), 'utf8'),
).version;
export const ASSETS_PREFIX = '/assets/';
/** Icons up to this size are inlined in the style sheets; larger files stay requests. */
const INLINE_MAX_BYTES = 4096;
/** A year: the URL changes with the content. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

type Kind = 'css' | 'js';
const PART = /^[a-z][a-z-]{0,40}$/;

/** The file of one part of a bundle, or undefined when the part does not exist. */
function partFile(kind: Kind, part: string): string | undefined {
  if (!PART.test(part)) return undefined;
  let file: string;
  if (part.startsWith('mesref')) file = join(STATIC_DIR, `${part}.${kind}`);
  else if (part === 'uplot') file = join(UPLOT_DIST, kind === 'css' ? 'uPlot.min.css' : 'uPlot.iife.min.js');
  else if (part === 'core')
    file = join(DSFR_DIST, 'core', kind === 'css' ? 'core.min.css' : 'core.module.min.js');
  else file = join(DSFR_DIST, 'component', part, `${part}.${kind === 'css' ? 'min.css' : 'module.min.js'}`);
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

/** Whether the DSFR ships a script for a component (the others work with their style sheet alone). */
export function hasScript(component: string): boolean {
  return partFile('js', component) !== undefined;
}

const svgCache = new Map<string, string | null>();

/** A small DSFR SVG as a `data:` URL (percent-encoded: it compresses better than base64), or null. */
function inlineSvg(path: string): string | null {
  const cached = svgCache.get(path);
  if (cached !== undefined) return cached;
  const file = join(DSFR_DIST, path);
  let value: string | null = null;
  if (file.startsWith(DSFR_DIST) && existsSync(file) && statSync(file).size <= INLINE_MAX_BYTES) {
    const svg = readFileSync(file, 'utf8').replace(/\s+/g, ' ').trim();
    value = `data:image/svg+xml;charset=utf8,${svg.replace(/[%#<>"\n]/g, (c) => encodeURIComponent(c))}`;
  }
  svgCache.set(path, value);
  return value;
}

/** A DSFR sheet with its relative URLs resolved from where it lies in dist/ (`fromDir`, e.g. `component/x/`). */
function rewriteCss(css: string, fromDir: string): string {
  return css.replace(/url\((['"]?)([^'")]+)\1\)/g, (whole, _quote: string, ref: string) => {
    if (/^(data:|https?:|\/|#)/.test(ref)) return whole;
    const path = new URL(ref, `http://dsfr/${fromDir}`).pathname.slice(1);
    if (path.endsWith('.svg')) {
      const data = inlineSvg(path);
      if (data) return `url("${data}")`;
    }
    return `url(/dsfr/${path}?v=${DSFR_VERSION})`;
  });
}

function partContent(kind: Kind, part: string, file: string): string {
  const text = readFileSync(file, 'utf8');
  if (kind === 'js') {
    // Each DSFR module declares its own top-level constants: a block keeps them apart.
    return `{\n${text}\n}\n`;
  }
  if (part.startsWith('mesref') || part === 'uplot') return `${text}\n`;
  const dir = part === 'core' ? 'core/' : `component/${part}/`;
  return `${rewriteCss(text, dir)}\n`;
}

interface Bundle {
  url: string;
  hash: string;
  type: string;
  body: Buffer;
  br: Promise<Buffer>;
  gzip: Promise<Buffer>;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const bundles = new Map<string, Bundle>();

/** The most parts a bundle may have (a page's components; far more than any page uses). */
const MAX_PARTS = 40;

/** A bundle's content and name, uncompressed; undefined for an unknown part, a repeated one, or too many. */
function contentOf(kind: Kind, parts: readonly string[]) {
  if (parts.length === 0 || parts.length > MAX_PARTS || new Set(parts).size !== parts.length)
    return undefined;
  const files = parts.map((part) => partFile(kind, part));
  if (files.some((f) => f === undefined)) return undefined;
  const key = `${parts.join('.')}.${kind}`;
  const body = Buffer.from(parts.map((part, i) => partContent(kind, part, files[i] as string)).join(''));
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 12);
  const type = kind === 'css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
  return { key, url: `${ASSETS_PREFIX}${hash}/${key}`, hash, type, body };
}

/**
 * The bundle of parts this app's pages link: made once, kept, compressed once at the highest levels off the
 * event loop. Only the app's own pages add to it, so a visitor cannot make it grow or make it compress.
 */
function bundleOf(kind: Kind, parts: readonly string[]): Bundle | undefined {
  const known = bundles.get(`${parts.join('.')}.${kind}`);
  if (known) return known;
  const content = contentOf(kind, parts);
  if (!content) return undefined;
  const br = brotli(content.body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: content.body.length,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    },
  });
  const gz = gzipAsync(content.body, { level: 9 });
  // A failure surfaces when the bundle is asked for, not as an unhandled rejection.
  br.catch(() => {});
  gz.catch(() => {});
  const bundle: Bundle = { ...content, br, gzip: gz };
  bundles.set(content.key, bundle);
  return bundle;
}

/** The URL of the bundle of these parts, in this order (DSFR `core`, component names, `mesref…` sheets). */
export function bundleUrl(kind: Kind, parts: readonly string[]): string {
  const bundle = bundleOf(kind, parts);
  if (!bundle) throw new Error(`unknown ${kind} part in ${parts.join(', ')}`);
  return bundle.url;
}

/** The encodings the client accepts (q > 0), from its Accept-Encoding header. */
function accepted(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const item of (header ?? '').split(',')) {
    const [name, ...params] = item.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && (!q || Number(q.slice(2)) > 0)) out.add(name);
  }
  return out;
}

async function serveBundle(
  request: FastifyRequest<{ Params: { hash: string; name: string } }>,
  reply: FastifyReply,
) {
  const match = /^([a-z.-]+)\.(css|js)$/.exec(request.params.name);
  const known = bundles.get(request.params.name);
  // A bundle this instance never linked (another instance's page may have): made for this answer, not kept;
  // the compression of responses applies to it as to any text.
  const bundle = known ?? (match ? contentOf(match[2] as Kind, match[1].split('.')) : undefined);
  // A hash of another version of the files is not served under this one's name (it is kept a year).
  if (!bundle || bundle.hash !== request.params.hash) return reply.callNotFound();
  reply
    .header('cache-control', IMMUTABLE)
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff')
    .type(bundle.type);
  if (!known) return reply.send(bundle.body);
  const encodings = accepted(request.headers['accept-encoding']);
  if (encodings.has('br')) return reply.header('content-encoding', 'br').send(await known.br);
  if (encodings.has('gzip')) return reply.header('content-encoding', 'gzip').send(await known.gzip);
  return reply.send(known.body);
}

/** The route of the bundles (public: no declared action, as the other static files). */
export async function assetRoutes(app: FastifyInstance) {
  app.get<{ Params: { hash: string; name: string } }>(
    `${ASSETS_PREFIX}:hash/:name`,
    { schema: { hide: true } },
    serveBundle,
  );
}
