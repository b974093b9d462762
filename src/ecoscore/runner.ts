/**
 * Measures a journey (parcours) in headless Chromium: N runs, each in a fresh browser context with the device
 * profile's viewport, user agent, CPU slowdown and network conditions, and per step the bytes transferred,
 * the requests, the DOM elements, the CPU time and the duration. A reference idle step opens each run.
 *
 * Only the allowed hosts are ever reached: the journey's `goto` hosts are checked before Chromium starts, and
 * every request (page, sub-resource, frame, popup) to another host is aborted by routing and reported.
 * Routing turns Chromium's HTTP cache off, so every step counts what it downloads as if the cache were empty:
 * a pessimistic figure, but a reproducible one.
 *
 * playwright-core is loaded only when a journey runs, so that reading the result types costs nothing.
 */
import type { Browser, BrowserContext, CDPSession, Page, Request } from 'playwright-core';
import { CHROMIUM_ARGS } from '../platform/chromium.ts';
import { DEFAULT_ECOSCORE_CHROMIUM } from '../platform/config.ts';
import {
  checkHosts,
  DEFAULT_STEP_TIMEOUT_SECONDS,
  type Journey,
  type JourneyStep,
  resolveGoto,
} from './journey.ts';
import { type DeviceProfile, type EcoscoreMethod, loadMethod } from './method.ts';
import { medianStep, type StepMetrics } from './model.ts';

/** Why a step failed; the remaining steps of its run are skipped. */
export type FailureReason =
  | 'unreachable-host'
  | 'missing-selector'
  | 'timeout'
  | 'host-not-allowed'
  | 'navigation-error';

export interface StepFailure {
  /** 1-based run number. */
  run: number;
  /** 1-based step number in the journey (the idle step is not counted). */
  step: number;
  label: string;
  reason: FailureReason;
  /** For a person, in French. */
  message: string;
}

/** A request to a host not allowed, aborted before it left the browser. */
export interface BlockedRequest {
  run: number;
  /** 1-based step number, 0 for the idle step. */
  step: number;
  url: string;
  host: string;
}

export interface RunEnvironment {
  chromium: string;
  device: Journey['device'];
  viewport: { width: number; height: number };
  dpr: number;
  userAgent: string;
  cpuSlowdown: number;
  network: { name: string; latencyMs: number; downloadKbps: number; uploadKbps: number };
  locale: string;
  /** ISO 8601. */
  startedAt: string;
  durationMs: number;
}

export interface RunResult {
  /** Per run, per step; `runs[r][0]` is the reference idle step, then the journey's steps that ran. */
  runs: StepMetrics[][];
  /** Median of each figure per journey step (over the runs that reached it), without the idle step. */
  medians: StepMetrics[];
  /** Median of the idle steps. */
  idle: StepMetrics;
  failures: StepFailure[];
  blocked: BlockedRequest[];
  environment: RunEnvironment;
}

export type ProgressEvent =
  | { type: 'run-start'; run: number; runs: number }
  | { type: 'step-start'; run: number; runs: number; step: number; steps: number; label: string }
  | { type: 'step-end'; run: number; runs: number; step: number; steps: number; label: string; ok: boolean }
  | { type: 'run-end'; run: number; runs: number; ok: boolean };

export interface RunOptions {
  /** Runs of the whole journey; the medians are taken over them. 3 by default. */
  runs?: number;
  /** Hosts the journey may reach (`host` or `host:port`): the service's declared hosts plus configuration. */
  allowedHosts: readonly string[];
  onProgress?(event: ProgressEvent): void;
  signal?: AbortSignal;
  /** Chromium to drive; /usr/bin/chromium by default. */
  executablePath?: string;
  /** The longest a step may take to act and load, in ms, when the step sets no `timeout`; 30 s by default. */
  stepTimeoutMs?: number;
  /** How long the reference idle step leaves a blank page, in ms; 3 s by default. */
  idleMs?: number;
  /** The method whose device profiles apply; the shipped one by default. */
  method?: EcoscoreMethod;
  /** Cookies every run starts with (a signed-in journey); only those of allowed hosts are set. */
  cookies?: ReadonlyArray<{ name: string; value: string; url: string }>;
}

/** The journey asks for a host that is not allowed: nothing was run. */
export class JourneyRefusedError extends Error {
  readonly code = 'ecoscore.journey_refused';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`parcours refusé :\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'JourneyRefusedError';
    this.problems = problems;
  }
}

const LOCALE = 'fr-FR';
const IDLE_LABEL = 'repos (référence)';
/** After a step's action: the network must stay quiet this long for the step to end… */
const QUIET_MS = 400;
/** …or the step ends anyway after this long (a page that polls forever). */
const SETTLE_CAP_MS = 8_000;

/** A fixed user agent per device class, so that a service serves the same variant at every run. */
function userAgentOf(device: Journey['device'], chromiumVersion: string): string {
  const major = chromiumVersion.split('.')[0];
  const chrome = `AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0`;
  if (device === 'smartphone') return `Mozilla/5.0 (Linux; Android 14; K) ${chrome} Mobile Safari/537.36`;
  if (device === 'tablet') return `Mozilla/5.0 (Linux; Android 14; K) ${chrome} Safari/537.36`;
  return `Mozilla/5.0 (X11; Linux x86_64) ${chrome} Safari/537.36`;
}

/** Whether a URL's host is one of the allowed ones (`host` matches any port, `host:port` that port only). */
export function hostAllowed(url: string, allowedHosts: readonly string[]): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // Nothing leaves the browser for these.
  if (['data:', 'blob:', 'about:'].includes(parsed.protocol)) return true;
  const hostname = parsed.hostname.toLowerCase();
  const host = parsed.host.toLowerCase();
  return allowedHosts.some((entry) => {
    const allowed = entry.trim().toLowerCase();
    return allowed !== '' && (allowed === hostname || allowed === host);
  });
}

interface RequestRecord {
  step: number;
  url: string;
  type: string;
  bytes: number;
  done: boolean;
}

/** What the page did during one run: every request, by the step it started in. */
class RunRecorder {
  step = 0;
  readonly requests = new Map<Request, RequestRecord>();
  readonly blockedRequests = new WeakSet<Request>();
  /** A main-frame navigation to a host not allowed, in the current step. */
  blockedNavigation?: string;
  private pending = 0;
  private lastActivity = Date.now();

  started(request: Request): void {
    if (this.blockedRequests.has(request)) return;
    if (!/^https?:/.test(request.url())) return;
    this.requests.set(request, {
      step: this.step,
      url: request.url(),
      type: request.resourceType(),
      bytes: 0,
      done: false,
    });
    this.pending++;
    this.lastActivity = Date.now();
  }

  async finished(request: Request, ok: boolean): Promise<void> {
    const record = this.requests.get(request);
    if (!record || record.done) return;
    if (ok) {
      try {
        const sizes = await request.sizes();
        record.bytes = sizes.responseBodySize + sizes.responseHeadersSize;
      } catch {
        // The context closed meanwhile: the request counts without its bytes.
      }
    }
    record.done = true;
    this.pending--;
    this.lastActivity = Date.now();
  }

  /** A request aborted by the allowlist: it never left the browser, so it is not the page's. */
  blocked(request: Request): void {
    this.blockedRequests.add(request);
    const record = this.requests.get(request);
    if (!record) return;
    this.requests.delete(request);
    if (!record.done) this.pending--;
  }

  quietFor(ms: number): boolean {
    return this.pending <= 0 && Date.now() - this.lastActivity >= ms;
  }

  figuresOf(step: number): Pick<StepMetrics, 'bytes' | 'requests' | 'resources'> {
    const resources = [...this.requests.values()]
      .filter((r) => r.step === step)
      .map((r) => ({ url: r.url, bytes: r.bytes, type: r.type }));
    return {
      bytes: resources.reduce((sum, r) => sum + r.bytes, 0),
      requests: resources.length,
      resources: resources.sort((a, b) => b.bytes - a.bytes),
    };
  }
}

class StepError extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException('la mesure a été interrompue', 'AbortError');
}

/** Waits `ms`, or less when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

const UNREACHABLE = [
  'ERR_CONNECTION_REFUSED',
  'ERR_NAME_NOT_RESOLVED',
  'ERR_ADDRESS_UNREACHABLE',
  'ERR_CONNECTION_TIMED_OUT',
  'ERR_CONNECTION_RESET',
  'ERR_CONNECTION_CLOSED',
  'ERR_INTERNET_DISCONNECTED',
  'ERR_NETWORK_UNREACHABLE',
  'ERR_EMPTY_RESPONSE',
];

/** Turns what Playwright threw during a step into the step's failure. */
async function failureOf(
  error: unknown,
  page: Page,
  recorder: RunRecorder,
  selector?: string,
): Promise<StepError> {
  if (error instanceof StepError) return error;
  if (recorder.blockedNavigation) {
    return new StepError(
      'host-not-allowed',
      `navigation vers un hôte non autorisé refusée : ${recorder.blockedNavigation}`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0];
  if (error instanceof Error && error.name === 'TimeoutError') {
    if (selector !== undefined) {
      const count = await page
        .locator(selector)
        .count()
        .catch(() => 0);
      if (count === 0) return new StepError('missing-selector', `aucun élément ne répond à « ${selector} »`);
      return new StepError('timeout', `« ${selector} » est présent mais n’a pas pu servir à temps`);
    }
    return new StepError('timeout', `délai dépassé : ${firstLine}`);
  }
  const code = UNREACHABLE.find((c) => message.includes(c));
  if (code) return new StepError('unreachable-host', `hôte injoignable (${code})`);
  if (message.includes('ERR_BLOCKED_BY_CLIENT')) {
    return new StepError('host-not-allowed', 'navigation vers un hôte non autorisé refusée');
  }
  return new StepError('navigation-error', firstLine);
}

/** The journey's action of one step, with the step's time limit. */
async function act(page: Page, journey: Journey, index: number, timeout: number): Promise<void> {
  const step = journey.steps[index];
  if ('goto' in step) {
    const url = resolveGoto(journey, index);
    const response = await page.goto(url, { waitUntil: 'load', timeout });
    if (response && response.status() >= 400) {
      throw new StepError('navigation-error', `${url} a répondu ${response.status()}`);
    }
  } else if ('click' in step) {
    await page.locator(step.click).first().click({ timeout });
  } else if ('fill' in step) {
    await page.locator(step.fill).first().fill(step.value, { timeout });
  } else if ('waitFor' in step) {
    await page.locator(step.waitFor).first().waitFor({ state: 'visible', timeout });
  } else if ('scroll' in step) {
    await scroll(page, step.scroll);
  }
  // A pause is timed apart: screen time, not the step's work.
}

/** Scrolls by a number of pixels, or to the bottom a screen at a time (lazy content gets its chance to load). */
async function scroll(page: Page, target: 'bottom' | number): Promise<void> {
  if (typeof target === 'number') {
    await page.evaluate((y) => window.scrollBy(0, y), target);
    return;
  }
  await page.evaluate(async () => {
    for (let i = 0; i < 40; i++) {
      const before = window.scrollY;
      window.scrollBy(0, window.innerHeight);
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (window.scrollY === before) break;
    }
  });
}

function selectorOf(step: JourneyStep): string | undefined {
  if ('click' in step) return step.click;
  if ('fill' in step) return step.fill;
  if ('waitFor' in step) return step.waitFor;
  return undefined;
}

/** Lets the page finish what the step started: its load event, then a quiet network. */
async function settle(page: Page, recorder: RunRecorder, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + SETTLE_CAP_MS;
  await page.waitForLoadState('load', { timeout: SETTLE_CAP_MS }).catch(() => {});
  while (Date.now() < deadline && !recorder.quietFor(QUIET_MS) && !signal?.aborted) {
    await sleep(50, signal);
  }
}

async function taskSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
}

async function domElements(page: Page): Promise<number> {
  return page.evaluate(() => document.getElementsByTagName('*').length).catch(() => 0);
}

interface RunContext {
  run: number;
  runs: number;
  journey: Journey;
  options: RunOptions;
  stepTimeoutMs: number;
  idleMs: number;
  failures: StepFailure[];
  blocked: BlockedRequest[];
}

async function measureRun(
  browser: Browser,
  profile: DeviceProfile,
  userAgent: string,
  ctx: RunContext,
): Promise<StepMetrics[]> {
  const { journey, options, run, runs } = ctx;
  const recorder = new RunRecorder();
  // A fresh context per run: empty cache, no cookies, no storage.
  const context: BrowserContext = await browser.newContext({
    viewport: profile.viewport,
    deviceScaleFactor: profile.deviceScaleFactor,
    isMobile: profile.mobile,
    hasTouch: profile.mobile,
    userAgent,
    locale: LOCALE,
    // Service workers would fetch outside the routing below.
    serviceWorkers: 'block',
  });
  try {
    const cookies = (options.cookies ?? []).filter((cookie) => hostAllowed(cookie.url, options.allowedHosts));
    if (cookies.length > 0) await context.addCookies([...cookies]);
    await context.route('**/*', async (route) => {
      const request = route.request();
      if (hostAllowed(request.url(), options.allowedHosts)) return route.continue();
      recorder.blocked(request);
      const host = new URL(request.url()).host;
      ctx.blocked.push({ run, step: recorder.step, url: request.url(), host });
      if (request.isNavigationRequest() && request.frame().parentFrame() === null) {
        recorder.blockedNavigation = host;
      }
      return route.abort('blockedbyclient');
    });
    context.on('request', (request) => recorder.started(request));
    context.on('requestfinished', (request) => void recorder.finished(request, true));
    context.on('requestfailed', (request) => void recorder.finished(request, false));

    const page = await context.newPage();
    page.setDefaultTimeout(ctx.stepTimeoutMs);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuSlowdown });
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: profile.network.latencyMs,
      // kbit/s to bytes/s.
      downloadThroughput: (profile.network.downloadKbps * 1024) / 8,
      uploadThroughput: (profile.network.uploadKbps * 1024) / 8,
    });

    const steps: StepMetrics[] = [];
    // The reference idle step: a blank page, left alone.
    {
      const cpuBefore = await taskSeconds(cdp);
      const start = Date.now();
      await sleep(ctx.idleMs, options.signal);
      steps.push({
        label: IDLE_LABEL,
        ...recorder.figuresOf(0),
        domElements: await domElements(page),
        cpuMs: Math.max(0, (await taskSeconds(cdp)) - cpuBefore) * 1000,
        durationMs: Date.now() - start,
      });
    }

    for (const [index, step] of journey.steps.entries()) {
      if (options.signal?.aborted) throw abortError(options.signal);
      const number = index + 1;
      const progress = { run, runs, step: number, steps: journey.steps.length, label: step.label };
      options.onProgress?.({ type: 'step-start', ...progress });
      recorder.step = number;
      recorder.blockedNavigation = undefined;
      const timeout = step.timeout !== undefined ? step.timeout * 1000 : ctx.stepTimeoutMs;
      const cpuBefore = await taskSeconds(cdp);
      const start = Date.now();
      let pauseMs: number | undefined;
      try {
        if ('pause' in step) {
          await sleep(step.pause * 1000, options.signal);
          pauseMs = Date.now() - start;
        } else {
          await act(page, journey, index, timeout);
        }
        await settle(page, recorder, options.signal);
        if (recorder.blockedNavigation) throw await failureOf(undefined, page, recorder);
      } catch (error) {
        if (options.signal?.aborted) throw abortError(options.signal);
        const failure = await failureOf(error, page, recorder, selectorOf(step));
        ctx.failures.push({
          run,
          step: number,
          label: step.label,
          reason: failure.reason,
          message: failure.message,
        });
        options.onProgress?.({ type: 'step-end', ...progress, ok: false });
        return steps;
      }
      const url = page.url();
      steps.push({
        label: step.label,
        ...(/^https?:/.test(url) ? { url } : {}),
        ...recorder.figuresOf(number),
        domElements: await domElements(page),
        cpuMs: Math.max(0, (await taskSeconds(cdp)) - cpuBefore) * 1000,
        durationMs: Date.now() - start - (pauseMs ?? 0),
        ...(pauseMs !== undefined ? { pauseMs } : {}),
      });
      options.onProgress?.({ type: 'step-end', ...progress, ok: true });
    }
    return steps;
  } finally {
    await context.close().catch(() => {});
  }
}

/**
 * Runs the journey `runs` times and returns every figure, their medians and what failed.
 * Throws JourneyRefusedError (before starting Chromium) when a `goto` leaves the allowed hosts, and the
 * signal's reason when it aborts; Chromium is closed in every case.
 */
export async function runJourney(journey: Journey, options: RunOptions): Promise<RunResult> {
  const refused = checkHosts(journey, [...options.allowedHosts]);
  if (refused.length > 0) throw new JourneyRefusedError(refused.map(problemText));
  const runs = Math.max(1, Math.floor(options.runs ?? 3));
  const profile = (options.method ?? loadMethod()).devices[journey.device];
  if (options.signal?.aborted) throw abortError(options.signal);

  const startedAt = new Date();
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: options.executablePath ?? DEFAULT_ECOSCORE_CHROMIUM,
    args: CHROMIUM_ARGS,
  });
  // Closing the browser makes whatever Playwright is waiting for fail at once; and whatever it still waits
  // for is abandoned: an abort always ends the run, even when Playwright's own promise never settles.
  let closing: Promise<void> | undefined;
  let rejectOnAbort: (error: Error) => void = () => {};
  const whenAborted = new Promise<never>((_, reject) => {
    rejectOnAbort = reject;
  });
  whenAborted.catch(() => {});
  const closeOnAbort = () => {
    closing = browser.close().catch(() => {});
    if (options.signal) rejectOnAbort(abortError(options.signal));
  };
  options.signal?.addEventListener('abort', closeOnAbort, { once: true });
  // An abort while Chromium was starting: the listener came too late to hear it.
  if (options.signal?.aborted) closeOnAbort();
  try {
    const version = browser.version();
    const userAgent = userAgentOf(journey.device, version);
    const ctx = {
      runs,
      journey,
      options,
      stepTimeoutMs: options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_SECONDS * 1000,
      idleMs: options.idleMs ?? 3_000,
      failures: [] as StepFailure[],
      blocked: [] as BlockedRequest[],
    };
    const all: StepMetrics[][] = [];
    for (let run = 1; run <= runs; run++) {
      if (options.signal?.aborted) throw abortError(options.signal);
      options.onProgress?.({ type: 'run-start', run, runs });
      const failuresBefore = ctx.failures.length;
      try {
        const measuring = measureRun(browser, profile, userAgent, { ...ctx, run });
        measuring.catch(() => {}); // abandoned after an abort: its failure is no longer anyone's
        all.push(await Promise.race([measuring, whenAborted]));
      } catch (error) {
        if (options.signal?.aborted) throw abortError(options.signal);
        throw error;
      }
      options.onProgress?.({ type: 'run-end', run, runs, ok: ctx.failures.length === failuresBefore });
    }
    return {
      runs: all,
      medians: mediansOf(all),
      idle: medianStep(all.map((steps) => steps[0])),
      failures: ctx.failures,
      blocked: ctx.blocked,
      environment: {
        chromium: version,
        device: journey.device,
        viewport: profile.viewport,
        dpr: profile.deviceScaleFactor,
        userAgent,
        cpuSlowdown: profile.cpuSlowdown,
        network: {
          name: profile.network.name,
          latencyMs: profile.network.latencyMs,
          downloadKbps: profile.network.downloadKbps,
          uploadKbps: profile.network.uploadKbps,
        },
        locale: LOCALE,
        startedAt: startedAt.toISOString(),
        durationMs: Date.now() - startedAt.getTime(),
      },
    };
  } finally {
    options.signal?.removeEventListener('abort', closeOnAbort);
    await (closing ?? browser.close().catch(() => {}));
  }
}

function problemText(problem: unknown): string {
  if (typeof problem === 'string') return problem;
  if (problem && typeof problem === 'object' && 'message' in problem) {
    const { message, line } = problem as { message: string; line?: number };
    return line ? `ligne ${line} : ${message}` : message;
  }
  return String(problem);
}

/** The median of each journey step over the runs that reached it (the idle step left out). */
function mediansOf(all: StepMetrics[][]): StepMetrics[] {
  const longest = Math.max(0, ...all.map((steps) => steps.length));
  const medians: StepMetrics[] = [];
  for (let i = 1; i < longest; i++) {
    medians.push(medianStep(all.filter((steps) => steps.length > i).map((steps) => steps[i])));
  }
  return medians;
}

/** A page the journey reached: its figures are those of every step spent on it, from arrival to departure. */
export interface PageReached {
  url: string;
  /** Labels of the steps spent on the page. */
  steps: string[];
  /** DOM elements after the last of them. */
  dom: number;
  requests: number;
  sizeKb: number;
}

/**
 * The pages of a journey's steps, for their EcoIndex: a page starts at the step that arrived at its URL and
 * takes the requests and bytes of every following step on the same URL (as EcoIndex measures a page loaded,
 * then scrolled and waited on), and the DOM count left by the last of them.
 */
export function pagesReached(steps: readonly StepMetrics[]): PageReached[] {
  const pages: PageReached[] = [];
  for (const step of steps) {
    if (!step.url) continue;
    const current = pages.at(-1);
    if (current && current.url === step.url) {
      current.steps.push(step.label);
      current.dom = step.domElements;
      current.requests += step.requests;
      current.sizeKb += step.bytes / 1024;
    } else {
      pages.push({
        url: step.url,
        steps: [step.label],
        dom: step.domElements,
        requests: step.requests,
        sizeKb: step.bytes / 1024,
      });
    }
  }
  return pages;
}
