// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { ecoindex } from '../src/ecoscore/ecoindex.ts';
import type { Journey } from '../src/ecoscore/journey.ts';
import { loadMethod } from '../src/ecoscore/method.ts';
import { computeEcoscore } from '../src/ecoscore/model.ts';
import { type EcoscoreRunIo, type RunReport, runEcoscoreRun } from '../src/ecoscore/run-cli.ts';
import {
  JourneyRefusedError,
  type ProgressEvent,
  pagesReached,
  type RunOptions,
  runJourney,
} from '../src/ecoscore/runner.ts';
import { browserSkipReason, freePort } from './browser.ts';

/**
 * The runner on a local fixture site (test/fixtures/ecosite): a light page and a heavy one, a page that loads
 * a resource from a host not allowed, and an address that never answers. Only 127.0.0.1 is allowed; the same
 * server reached as `localhost` stands for another machine, so that a request that escaped the allowlist
 * would be seen arriving.
 */

const FIXTURES = join(import.meta.dirname, 'fixtures', 'ecosite');
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css',
  js: 'text/javascript',
  json: 'application/json',
  png: 'image/png',
};

/** Deterministic bytes that no compression would shrink. */
function noise(length: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = seed >> 16;
  }
  return bytes;
}

/** A valid PNG of about `kb` KB: random pixels, stored without compression, so the browser loads it whole. */
function png(kb: number): Buffer {
  const width = 256;
  const height = Math.max(1, Math.ceil((kb * 1024) / (width * 3 + 1)));
  const rows = Buffer.concat(
    Array.from({ length: height }, (_, y) => Buffer.concat([Buffer.from([0]), noise(width * 3, y + 1)])),
  );
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 0 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A generated resource of `kb` KB, valid for its type. */
function generated(name: string, kb: number): Buffer {
  const extension = name.split('.').pop() ?? '';
  if (extension === 'png') return png(kb);
  const text = Buffer.from(noise(kb * 1024).map((byte) => 97 + (byte % 26)));
  if (extension === 'js' || extension === 'css')
    return Buffer.concat([Buffer.from('/*'), text, Buffer.from('*/')]);
  if (extension === 'json') return Buffer.concat([Buffer.from('{"d":"'), text, Buffer.from('"}')]);
  return text;
}

describe('ecoscore runner on the fixture site', { skip: browserSkipReason() }, () => {
  let server: Server;
  let base: string;
  let otherHost: string;
  /** Every request the fixture server received, as `host path`. */
  const received: string[] = [];
  const allowedHosts = ['127.0.0.1'];
  const fast: Partial<RunOptions> = { runs: 1, idleMs: 300, stepTimeoutMs: 5_000 };

  before(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? '/', 'http://fixture');
      received.push(`${request.headers.host} ${url.pathname}`);
      if (url.pathname === '/slow') return; // never answers: the step's time limit ends it
      const name = url.pathname.slice(1) || 'light.html';
      const type = TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
      let body: Buffer;
      if (name.startsWith('generated/')) {
        body = generated(name, Number(url.searchParams.get('kb') ?? 1));
      } else if (/^[a-z-]+\.(html|css|js)$/.test(name)) {
        try {
          body = Buffer.from(
            readFileSync(join(FIXTURES, name), 'utf8').replaceAll('{{OTHER_HOST}}', otherHost),
          );
        } catch {
          response.writeHead(404).end();
          return;
        }
      } else {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    base = `http://127.0.0.1:${port}`;
    otherHost = `localhost:${port}`;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  /** Chromium processes this test process still has. */
  function chromiumChildren(): string[] {
    const table = execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,comm='], { encoding: 'utf8' });
    return table
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(
        ([, ppid, stat, comm]) =>
          Number(ppid) === process.pid && !stat?.startsWith('Z') && /chrom/i.test(comm ?? ''),
      )
      .map((fields) => fields.join(' '));
  }

  const journey = (steps: Journey['steps'], device: Journey['device'] = 'desktop'): Journey => ({
    name: 'parcours de test',
    device,
    steps,
  });

  it('scores the heavy page worse than the light one, with plausible figures', async () => {
    const method = loadMethod();
    const light = await runJourney(
      journey([
        { label: 'accueil', goto: `${base}/light.html` },
        { label: 'défilement', scroll: 'bottom' },
      ]),
      { ...fast, allowedHosts },
    );
    const heavy = await runJourney(
      journey([
        { label: 'tableau de bord', goto: `${base}/heavy.html` },
        { label: 'défilement', scroll: 'bottom' },
      ]),
      { ...fast, allowedHosts },
    );
    assert.deepEqual(light.failures, []);
    assert.deepEqual(heavy.failures, []);

    const [lightLoad] = light.medians;
    const [heavyLoad] = heavy.medians;
    // light.html, light.css, light.js (a favicon request may come too).
    assert.ok(lightLoad.requests >= 3 && lightLoad.requests <= 4, `light requests: ${lightLoad.requests}`);
    assert.ok(lightLoad.bytes > 1_000 && lightLoad.bytes < 10_000, `light bytes: ${lightLoad.bytes}`);
    // heavy.html, 1 style sheet, 3 scripts, 7 images, 8 data fetches.
    assert.ok(heavyLoad.requests >= 20 && heavyLoad.requests <= 22, `heavy requests: ${heavyLoad.requests}`);
    // 120 + 250 + 150 + 180 + 6 × 60 + 8 × 20 = 1220 KB of bodies.
    assert.ok(
      heavyLoad.bytes > 1_220 * 1024 && heavyLoad.bytes < 1_300 * 1024,
      `heavy bytes: ${heavyLoad.bytes}`,
    );
    assert.ok(heavyLoad.domElements > 2_000, `heavy DOM: ${heavyLoad.domElements}`);
    assert.ok(lightLoad.domElements < 30, `light DOM: ${lightLoad.domElements}`);
    assert.ok(
      heavyLoad.cpuMs > lightLoad.cpuMs,
      `CPU ms: heavy ${heavyLoad.cpuMs}, light ${lightLoad.cpuMs}`,
    );
    // What to improve first: the heaviest resource leads the list.
    assert.match(heavyLoad.resources?.[0]?.url ?? '', /framework\.js/);

    const [lightPage] = pagesReached(light.medians);
    const [heavyPage] = pagesReached(heavy.medians);
    assert.equal(lightPage.url, `${base}/light.html`);
    assert.deepEqual(lightPage.steps, ['accueil', 'défilement']);
    const lightIndex = ecoindex(lightPage);
    const heavyIndex = ecoindex(heavyPage);
    assert.ok(lightIndex.score > heavyIndex.score, `EcoIndex ${lightIndex.score} vs ${heavyIndex.score}`);
    assert.equal(lightIndex.grade, 'A');

    const lightScore = computeEcoscore(method, 'desktop', light.medians, light.idle);
    const heavyScore = computeEcoscore(method, 'desktop', heavy.medians, heavy.idle);
    assert.ok(lightScore.score > heavyScore.score, `écoscore ${lightScore.score} vs ${heavyScore.score}`);

    // The idle step opens every run, on a blank page.
    assert.equal(light.runs[0].length, 3);
    assert.equal(light.idle.requests, 0);
    assert.equal(light.idle.bytes, 0);
    assert.equal(light.environment.viewport.width, method.devices.desktop.viewport.width);
    assert.match(light.environment.chromium, /^\d+\./);
    assert.deepEqual(chromiumChildren(), []);
  });

  it('plays every kind of step on the smartphone profile, with its viewport and slow network', async () => {
    const events: ProgressEvent[] = [];
    const result = await runJourney(
      journey(
        [
          { label: 'formulaire', goto: `${base}/light.html` },
          { label: 'nom', fill: '#nom', value: 'Dupont' },
          { label: 'envoi', click: '#envoyer' },
          { label: 'confirmation', waitFor: '#merci' },
          { label: 'lecture', pause: 0.2 },
        ],
        'smartphone',
      ),
      { ...fast, allowedHosts, onProgress: (event) => events.push(event) },
    );
    assert.deepEqual(result.failures, []);
    assert.equal(result.runs.length, 1);
    assert.deepEqual(
      result.medians.map((step) => step.label),
      ['formulaire', 'nom', 'envoi', 'confirmation', 'lecture'],
    );
    assert.deepEqual(result.environment.viewport, { width: 360, height: 800 });
    assert.equal(result.environment.dpr, 3);
    assert.equal(result.environment.cpuSlowdown, 4);
    assert.match(result.environment.userAgent, /Mobile/);
    // Three requests over a 562.5 ms round trip each (one connection at a time at least once).
    assert.ok(result.medians[0].durationMs > 1_000, `load on 4G: ${result.medians[0].durationMs} ms`);
    assert.ok((result.medians[4].pauseMs ?? 0) >= 200);
    const stepEnds = events.filter((event) => event.type === 'step-end');
    assert.equal(stepEnds.length, 5);
    assert.deepEqual(events[0], { type: 'run-start', run: 1, runs: 1 });
    assert.deepEqual(events.at(-1), { type: 'run-end', run: 1, runs: 1, ok: true });
  });

  it('reports a missing selector, skips the rest of the run and closes Chromium', async () => {
    const before = received.length;
    const result = await runJourney(
      journey([
        // The page load gets a minute (a loaded 2-core machine took over a second); the missing button fails
        // after the short default.
        { label: 'accueil', goto: `${base}/light.html`, timeout: 60 },
        { label: 'bouton absent', click: '#absent' },
        { label: 'jamais joué', goto: `${base}/heavy.html` },
      ]),
      { ...fast, runs: 2, stepTimeoutMs: 1_000, allowedHosts },
    );
    assert.deepEqual(
      result.failures.map(({ run, step, label, reason }) => ({ run, step, label, reason })),
      [
        { run: 1, step: 2, label: 'bouton absent', reason: 'missing-selector' },
        { run: 2, step: 2, label: 'bouton absent', reason: 'missing-selector' },
      ],
    );
    assert.match(result.failures[0].message, /#absent/);
    assert.deepEqual(
      result.runs.map((steps) => steps.length),
      [2, 2],
    );
    assert.equal(result.medians.length, 1);
    assert.ok(!received.slice(before).some((line) => line.endsWith('/heavy.html')), 'a skipped step ran');
    assert.deepEqual(chromiumChildren(), []);
  });

  it('reports an unreachable host', async () => {
    const closedPort = await freePort();
    const result = await runJourney(
      journey([
        { label: 'service arrêté', goto: `http://127.0.0.1:${closedPort}/` },
        { label: 'jamais joué', goto: `${base}/light.html` },
      ]),
      { ...fast, allowedHosts },
    );
    assert.deepEqual(
      result.failures.map((f) => [f.step, f.reason]),
      [[1, 'unreachable-host']],
    );
    assert.match(result.failures[0].message, /ERR_CONNECTION_REFUSED/);
    assert.deepEqual(result.medians, []);
    assert.deepEqual(chromiumChildren(), []);
  });

  it('reports a page that does not load in time', async () => {
    const started = Date.now();
    const result = await runJourney(journey([{ label: 'page lente', goto: `${base}/slow` }]), {
      ...fast,
      stepTimeoutMs: 1_500,
      allowedHosts,
    });
    assert.deepEqual(
      result.failures.map((f) => [f.step, f.reason]),
      [[1, 'timeout']],
    );
    // Ended by the step's limit, not left hanging on a page that never answers (Chromium may take seconds to
    // start on a loaded machine).
    assert.ok(Date.now() - started < 60_000, `${Date.now() - started} ms`);
    assert.deepEqual(chromiumChildren(), []);
  });

  it('refuses a journey whose goto leaves the allowed hosts, before starting Chromium', async () => {
    const before = received.length;
    await assert.rejects(
      runJourney(journey([{ label: 'ailleurs', goto: `http://${otherHost}/light.html` }]), {
        ...fast,
        allowedHosts,
      }),
      (error: unknown) => error instanceof JourneyRefusedError && /localhost/.test(error.message),
    );
    assert.equal(received.length, before);
  });

  it('blocks a sub-resource from a host not allowed, and a link that leads to one', async () => {
    const result = await runJourney(
      journey([
        { label: 'page avec traceur', goto: `${base}/third-party.html` },
        { label: 'accueil', goto: `${base}/light.html` },
        { label: 'lien sortant', click: '#vers-ailleurs' },
        { label: 'jamais joué', pause: 0.1 },
      ]),
      { ...fast, allowedHosts },
    );
    assert.deepEqual(
      result.blocked.map(({ step, host }) => ({ step, host })),
      [
        { step: 1, host: otherHost },
        { step: 3, host: otherHost },
      ],
    );
    assert.match(result.blocked[0].url, /pixel\.png/);
    // The tracker is not counted as a request of the page: it never left the browser.
    assert.equal(result.medians[0].requests, 1);
    assert.deepEqual(
      result.failures.map((f) => [f.step, f.reason]),
      [[3, 'host-not-allowed']],
    );
    assert.ok(!received.some((line) => line.startsWith('localhost')), received.join('\n'));
    assert.deepEqual(chromiumChildren(), []);
  });

  it('stops when its signal aborts, and closes Chromium', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 800);
    await assert.rejects(
      runJourney(journey([{ label: 'longue attente', pause: 120 }]), {
        ...fast,
        allowedHosts,
        signal: controller.signal,
      }),
      { name: 'AbortError' },
    );
    // Stopped by the signal, not by the end of the two-minute pause (Chromium may take seconds to start on a
    // loaded machine: one run took 8.7 s in all).
    assert.ok(Date.now() - started < 60_000, `${Date.now() - started} ms`);
    assert.deepEqual(chromiumChildren(), []);
  });

  /** `mesref ecoscore run` in-process, with journey files in memory. */
  async function cli(args: string[], files: Record<string, string>, env: Record<string, string> = {}) {
    const out = { stdout: '', stderr: '' };
    const io: EcoscoreRunIo = {
      stdout: (text) => {
        out.stdout += text;
      },
      stderr: (text) => {
        out.stderr += text;
      },
      readText: async (file) => {
        if (!(file in files)) throw Object.assign(new Error('absent'), { code: 'ENOENT' });
        return files[file];
      },
      env,
      interactive: false,
      runnerOptions: { idleMs: 200, stepTimeoutMs: 2_000 },
    };
    const code = await runEcoscoreRun(args, io);
    return { code, ...out };
  }

  it('mesref ecoscore run: the écoscore, the steps and the EcoIndex of each page, or exit 1 on a failed step', async () => {
    const journeyFile = [
      'name: Tableau de bord',
      'device: desktop',
      'steps:',
      `  - { label: Accueil, goto: ${base}/light.html }`,
      '  - { label: Tableau, click: "#vers-lourde" }',
      '',
    ].join('\n');
    const json = await cli(
      ['run.yaml', '--runs', '1', '--format', 'json'],
      { 'run.yaml': journeyFile },
      {
        MESREF_ECOSCORE_ALLOWED_HOSTS: '127.0.0.1',
      },
    );
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as RunReport;
    assert.equal(report.complete, true);
    assert.ok(report.ecoscore && report.ecoscore.score >= 0 && report.ecoscore.score <= 100);
    assert.deepEqual(
      report.pages.map((page) => [new URL(page.url).pathname, page.ecoindex.grade === 'A']),
      [
        ['/light.html', true],
        ['/heavy.html', false],
      ],
    );
    assert.match(json.stderr, /\[#+\] 2\/2 passage 1\/1 · étape 2\/2 Tableau ✓/);

    const failing = journeyFile.replace('#vers-lourde', '#absent');
    const text = await cli(['run.yaml', '--runs', '1', '--allow-host', '127.0.0.1'], { 'run.yaml': failing });
    assert.equal(text.code, 1);
    assert.match(text.stdout, /Écoscore non calculé/);
    assert.match(text.stdout, /A \d+\/100 {2}http:\/\/127\.0\.0\.1:\d+\/light\.html/);
    assert.match(text.stdout, /passage 1, étape 2 « Tableau » : missing-selector/);
    assert.match(text.stdout, /n’est pas l’écoscore officiel/);
  });

  it('mesref ecoscore run: exit 2 on a usage error, an invalid journey or a host not allowed', async () => {
    const valid = `name: x\ndevice: desktop\nsteps:\n  - { label: a, goto: ${base}/light.html }\n`;
    const cases: Array<[string[], Record<string, string>, RegExp]> = [
      [['a.yaml', '--runs', '0'], {}, /--runs/],
      [['a.yaml', '--format', 'xml'], {}, /--format/],
      [['a.yaml', '--allow-host', 'http://x'], {}, /--allow-host/],
      [[], {}, /un fichier de parcours/],
      [['absent.yaml'], {}, /ENOENT/],
      [['a.yaml'], { 'a.yaml': 'name: x\ndevice: watch\nsteps: []\n' }, /parcours invalide[\s\S]*a\.yaml:2/],
      [['a.yaml'], { 'a.yaml': valid }, /parcours refusé[\s\S]*127\.0\.0\.1/],
    ];
    for (const [args, files, message] of cases) {
      const result = await cli(args, files);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stdout, '');
    }
    assert.deepEqual(chromiumChildren(), []);
  });
});
