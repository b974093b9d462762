/**
 * Browser tests: a real listening mesref, driven by Debian's Chromium through playwright-core, with an
 * axe-core check (WCAG 2.1 A and AA) of each page.
 *
 * A page test file (`*.browser.test.ts`, run by `node scripts/test.mjs browser`) looks like:
 *
 *   import { it } from 'node:test';
 *   import { checkPage, describeBrowser } from '../../test/browser.ts';
 *
 *   describeBrowser('publisher pages', { env: { MESREF_OPERATOR_NAME: 'ANS' } }, (suite) => {
 *     it('shows the dashboard', async () => {
 *       const page = await suite.newPage(); // a fresh context: French, desktop-sized, no cookies
 *       await checkPage(page, `${suite.url}/editeur`, { expectText: ['Espace éditeur'] });
 *     });
 *   });
 *
 * `suite.server.mesref.db` is the running app's database (to seed data or sign someone in: see helpers.ts).
 * `checkPage` asserts the status, visible texts, no script error or broken resource, and no axe violation.
 * Without /usr/bin/chromium the suite is skipped with a message, except under CI=true where it fails.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { after, afterEach, before, beforeEach, describe } from 'node:test';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type ConsoleMessage,
  chromium,
  type Page,
  type Request,
  type Response,
} from 'playwright-core';
import { buildApp, type Mesref } from '../src/app.ts';
import { CHROMIUM_ARGS } from '../src/platform/chromium.ts';
import type { DatabaseHandle } from '../src/platform/db/index.ts';
import { migratedDatabase, sessionCookie, testConfig } from './helpers.ts';

/** Debian's Chromium (MESREF_TEST_CHROMIUM may point elsewhere; playwright never downloads a browser here). */
export const CHROMIUM_PATH = process.env.MESREF_TEST_CHROMIUM || '/usr/bin/chromium';

/**
 * Why browser tests cannot run here, or false when they can. Under CI a missing Chromium is a failure
 * (the suite runs and its launch fails), never a silent skip.
 */
export function browserSkipReason(): string | false {
  if (existsSync(CHROMIUM_PATH)) return false;
  if (process.env.CI && process.env.CI !== 'false') return false;
  return `browser tests skipped: ${CHROMIUM_PATH} is missing (apt-get install -y chromium; .ci/run installs it)`;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `${CHROMIUM_PATH} is missing: browser tests need Debian's chromium (apt-get install -y chromium)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A free TCP port on the loopback (the OS picks it; it is released before mesref binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningMesref {
  /** The base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  mesref: Mesref;
  database: DatabaseHandle;
  stop(): Promise<void>;
}

/** A real mesref listening on the loopback, on a fresh test database, with MESREF_PUBLIC_URL its own address. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningMesref> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const database = await migratedDatabase();
  try {
    const config = testConfig({ PORT: String(port), HOST: '127.0.0.1', MESREF_PUBLIC_URL: url, ...env });
    const mesref = await buildApp(config, { database, logger: false });
    await mesref.listen();
    return {
      url,
      mesref,
      database,
      stop: async () => {
        await mesref.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Signs the page's browser context in, as `sessionCookie` in helpers.ts does for `inject`. */
export async function signIn(
  page: Page,
  server: RunningMesref,
  who: Parameters<typeof sessionCookie>[1],
): Promise<void> {
  const cookies = await sessionCookie(server.mesref.db, who);
  await page
    .context()
    .addCookies(Object.entries(cookies).map(([name, value]) => ({ name, value, url: server.url })));
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG levels mesref commits to (RGAA 4.1 maps onto WCAG 2.1 AA). */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: string; summary: string }>;
}

/**
 * Runs axe-core in the page, limited to WCAG 2.1 A and AA rules, and returns its violations. axe is injected
 * with Playwright's evaluate: a script tag (addScriptTag) would be refused by the page's CSP (script-src
 * 'self'), which the tests keep as it is in production.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const already = await page.evaluate(() => 'axe' in window);
  if (!already) await page.evaluate(axeSource);
  // axe yields through timers, which never fire in a page whose JavaScript is disabled: fail, don't hang.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `axe-core did not finish on ${page.url()} within 60 s (a context with javaScriptEnabled: false cannot run it: use blockPageScripts)`,
          ),
        ),
      60_000,
    );
  });
  const run = page.evaluate(async (tags) => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is injected into the page at run time
    const axe = (window as any).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    // biome-ignore lint/suspicious/noExplicitAny: axe's result shape
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      // biome-ignore lint/suspicious/noExplicitAny: axe's result shape
      nodes: v.nodes.map((n: any) => ({ target: n.target.join(' '), summary: n.failureSummary ?? '' })),
    }));
  }, AXE_TAGS);
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Makes the page render as it does without JavaScript while the test can still run axe in it: the page's
 * own scripts are refused (inline scripts are already refused by the CSP).
 */
export async function blockPageScripts(page: Page): Promise<void> {
  await page.route('**/*', (route) =>
    route.request().resourceType() === 'script' ? route.abort('blockedbyclient') : route.continue(),
  );
}

export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map(
      (v) =>
        `• ${v.id} (${v.impact}): ${v.help}\n  ${v.helpUrl}\n` +
        v.nodes.map((n) => `    - ${n.target}\n      ${n.summary.replace(/\n/g, '\n      ')}`).join('\n'),
    )
    .join('\n');
}

/** Fails with a readable list when axe finds any WCAG 2.1 A/AA violation in the page. */
export async function assertAccessible(page: Page): Promise<void> {
  const violations = await axeViolations(page);
  assert.equal(
    violations.length,
    0,
    `axe-core found ${violations.length} WCAG 2.1 AA violation(s) on ${page.url()}:\n${formatViolations(violations)}`,
  );
}

export interface CheckPageOptions {
  /** Texts a person must see on the page (visible, not just present in the markup). */
  expectText?: Array<string | RegExp>;
  /** The HTTP status expected (200 by default). */
  status?: number;
  /** The page's language, as in <html lang> (checked when given). */
  lang?: 'fr' | 'en';
  /** Run axe-core (on by default; it cannot run in a context whose JavaScript is disabled). */
  axe?: boolean;
}

/** Whether the text is visible on the page. */
export async function isVisibleText(page: Page, text: string | RegExp): Promise<boolean> {
  const locator = page.getByText(text, { exact: false });
  const count = await locator.count();
  for (let i = 0; i < count; i++) if (await locator.nth(i).isVisible()) return true;
  return false;
}

/**
 * Opens a page and checks what a person gets: the status, the language, visible texts, no script error, no
 * broken sub-resource (style sheet, script, font, image), and no WCAG 2.1 AA violation.
 * Returns the response for further checks.
 */
export async function checkPage(page: Page, url: string, options: CheckPageOptions = {}) {
  const problems: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    // Failed loads are reported below with their address; the console only says "Failed to load resource".
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console error: ${message.text()}`);
    }
  };
  const onPageError = (error: Error) => problems.push(`script error: ${error.message}`);
  const onResponse = (response: Response) => {
    if (response.request().isNavigationRequest()) return;
    if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
  };
  const onRequestFailed = (request: Request) => {
    const failure = request.failure()?.errorText ?? '';
    if (!failure.includes('ERR_BLOCKED_BY_CLIENT') && !failure.includes('ERR_ABORTED')) {
      problems.push(`request failed: ${request.url()} (${failure})`);
    }
  };
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  page.on('response', onResponse);
  page.on('requestfailed', onRequestFailed);
  try {
    const response = await page.goto(url, { waitUntil: 'load' });
    assert.ok(response, `no response for ${url}`);
    assert.equal(response.status(), options.status ?? 200, `status of ${url}`);
    if (options.lang) {
      assert.equal(await page.locator('html').getAttribute('lang'), options.lang, `language of ${url}`);
    }
    for (const text of options.expectText ?? []) {
      assert.ok(await isVisibleText(page, text), `"${text}" is not visible on ${url}`);
    }
    if (options.axe !== false) await assertAccessible(page);
    assert.deepEqual(problems, [], `problems while loading ${url}`);
    return response;
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
    page.off('response', onResponse);
    page.off('requestfailed', onRequestFailed);
  }
}

/** The main content's visible text, whitespace collapsed: to compare a page with and without JavaScript. */
export async function mainText(page: Page): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator; the rendered text is the point
  return (await page.locator('main').innerText()).replace(/\s+/g, ' ').trim();
}

export interface BrowserSuite {
  /** Base URL of the running mesref. */
  readonly url: string;
  readonly server: RunningMesref;
  readonly browser: Browser;
  /** A page in a new context (its own cookies); closed with the suite. A French desktop browser by default. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * A `describe` block with one running mesref (started with `env`) and one Chromium, shared by its tests.
 * Each `newPage()` gets a fresh browser context, so cookies never leak from one test to another.
 */
export function describeBrowser(
  name: string,
  options: { env?: Record<string, string> },
  body: (suite: BrowserSuite) => void,
): void {
  let server: RunningMesref | undefined;
  let browser: Browser | undefined;
  // Contexts made in tests close once no test of the suite runs (each keeps renderer processes alive, and a
  // suite makes dozens; some suites run two tests at a time); those made in a `before` hook stay open for the
  // suite's tests.
  const contexts: BrowserContext[] = [];
  const testContexts: BrowserContext[] = [];
  let running = 0;
  const suite: BrowserSuite = {
    get url() {
      return (server as RunningMesref).url;
    },
    get server() {
      return server as RunningMesref;
    },
    get browser() {
      return browser as Browser;
    },
    async newPage(contextOptions = {}) {
      const context = await (browser as Browser).newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'fr-FR',
        ...contextOptions,
      });
      // A step (a navigation, a click, a wait) that takes a minute has hung; one that takes 30 s may just be a
      // 2-core machine running four test files and Chromium at once.
      context.setDefaultTimeout(60_000);
      (running > 0 ? testContexts : contexts).push(context);
      return context.newPage();
    },
  };
  // No suite timeout (node's would cap the whole suite): the contexts' 60 s default bounds each step.
  describe(name, { skip: browserSkipReason() }, () => {
    before(async () => {
      const [started, launched] = await Promise.allSettled([startServer(options.env), launchBrowser()]);
      if (started.status === 'fulfilled') server = started.value;
      if (launched.status === 'fulfilled') browser = launched.value;
      if (started.status === 'rejected') throw started.reason;
      if (launched.status === 'rejected') throw launched.reason;
    });
    beforeEach(() => {
      running++;
    });
    afterEach(async () => {
      running--;
      if (running > 0) return;
      for (const context of testContexts.splice(0)) await context.close().catch(() => {});
    });
    after(async () => {
      for (const context of contexts) await context.close().catch(() => {});
      await browser?.close();
      await server?.stop();
    });
    body(suite);
  });
}
