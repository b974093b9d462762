/**
 * Browser-test helpers for forms, beside test/browser.ts: checkPage opens an address, submitAndCheck checks the
 * page a submitted form leads to in the same way.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { BrowserContextOptions, ConsoleMessage, Page, Request, Response } from 'playwright-core';
import { assertAccessible, type BrowserSuite, type CheckPageOptions, isVisibleText } from './browser.ts';

/**
 * How many tests of a file run side by side (each in its own contexts): most of a page test is waiting on
 * Chromium or on the server, so three keep two cores busy.
 */
export const CONCURRENCY = 3;

/** The same address in English (the language cookie then keeps English for the next pages). */
export const en = (path: string) => `${path}${path.includes('?') ? '&' : '?'}lang=en`;

/** A page in a fresh context of the suite, closed when the test ends (a French desktop browser by default). */
export async function openPage(
  suite: BrowserSuite,
  t: TestContext,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const page = await suite.newPage(options);
  t.after(() => page.context().close());
  return page;
}

/**
 * Collects what checkPage calls problems (script and console errors, broken sub-resources) while a form is
 * submitted: checkPage itself only opens addresses.
 */
export function watchProblems(page: Page): { problems: string[]; stop(): void } {
  const problems: string[] = [];
  const onConsole = (message: ConsoleMessage) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(`console error: ${message.text()}`);
  };
  const onPageError = (error: Error) => problems.push(`script error: ${error.message}`);
  const onResponse = (response: Response) => {
    if (!response.request().isNavigationRequest() && response.status() >= 400)
      problems.push(`${response.status()} for ${response.url()}`);
  };
  const onRequestFailed = (request: Request) => {
    const failure = request.failure()?.errorText ?? '';
    if (!failure.includes('ERR_BLOCKED_BY_CLIENT') && !failure.includes('ERR_ABORTED'))
      problems.push(`request failed: ${request.url()} (${failure})`);
  };
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  page.on('response', onResponse);
  page.on('requestfailed', onRequestFailed);
  return {
    problems,
    stop() {
      page.off('console', onConsole);
      page.off('pageerror', onPageError);
      page.off('response', onResponse);
      page.off('requestfailed', onRequestFailed);
    },
  };
}

/**
 * Submits a form (by `submit`, a click or a key press) and checks the page it leads to as checkPage checks an
 * address: status, language, visible texts, no problem while loading, and axe unless told not to.
 */
export async function submitAndCheck(
  page: Page,
  submit: () => Promise<unknown>,
  options: CheckPageOptions = {},
): Promise<Response> {
  const watch = watchProblems(page);
  try {
    const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), submit()]);
    assert.ok(response, 'the form led to a page');
    assert.equal(response.status(), options.status ?? 200, `status after submitting, on ${page.url()}`);
    if (options.lang)
      assert.equal(
        await page.locator('html').getAttribute('lang'),
        options.lang,
        `language of ${page.url()}`,
      );
    for (const text of options.expectText ?? [])
      assert.ok(await isVisibleText(page, text), `"${text}" is not visible on ${page.url()}`);
    if (options.axe !== false) await assertAccessible(page);
    assert.deepEqual(watch.problems, [], `problems while loading ${page.url()}`);
    return response;
  } finally {
    watch.stop();
  }
}

/** The visible copy of a header control (the header repeats its tools in the small-screen menu). */
export const visibleButton = (page: Page, name: string | RegExp) =>
  page.getByRole('button', { name }).filter({ visible: true });
