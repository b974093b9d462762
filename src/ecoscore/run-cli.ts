/**
 * `mesref ecoscore run journey.yaml [--runs 3] [--format text|json] [--allow-host h]...`: measures a journey
 * in headless Chromium and prints its indicative écoscore (mesref's open method), the figures of each step
 * and the EcoIndex of each page reached. A progress bar goes to standard error. Neither the database nor the
 * web app is loaded. Exit codes: 0 every run complete, 1 a step failed (or Chromium could not run), 2 a
 * usage error, an invalid journey file or a journey leaving the allowed hosts.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadEcoscoreSettings } from '../platform/config.ts';
import type { DataFileProblem } from '../platform/datafile.ts';
import { type EcoindexResult, ecoindex } from './ecoindex.ts';
import { type Journey, parseJourney } from './journey.ts';
import { type EcoscoreMethod, loadMethod } from './method.ts';
import { computeEcoscore, type EcoscoreResult, improvements } from './model.ts';
import {
  JourneyRefusedError,
  type PageReached,
  type ProgressEvent,
  pagesReached,
  type RunOptions,
  type RunResult,
  runJourney,
} from './runner.ts';

/** What the command reads and writes: the process's streams, files and environment, or a test's stand-ins. */
export interface EcoscoreRunIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readText(file: string): Promise<string>;
  env: Record<string, string | undefined>;
  /** Standard error is a terminal: the progress bar redraws one line instead of printing one per step. */
  interactive: boolean;
  /** Aborts the measure (Ctrl-C). */
  signal?: AbortSignal;
  /** Extra runner options (tests shorten the idle step and the time limits). */
  runnerOptions?: Partial<RunOptions>;
}

export function processIo(): EcoscoreRunIo {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  // The first Ctrl-C stops the measure and closes Chromium; the command then ends with its report.
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readText: (file) => readFile(file, 'utf8'),
    env: process.env,
    interactive: Boolean(process.stderr.isTTY),
    signal: controller.signal,
  };
}

const USAGE =
  'usage : mesref ecoscore run <parcours.yaml> [--runs N] [--format text|json] [--allow-host <hôte>]...';
const HELP = [
  USAGE,
  '',
  'Mesure un parcours utilisateur dans Chromium sans interface et calcule son écoscore indicatif',
  '(méthode ouverte de mesref, qui n’est pas l’écoscore officiel) et l’EcoIndex de chaque page atteinte.',
  '',
  '  --runs N              passages du parcours, médiane de chaque mesure (défaut : 3, de 1 à 10)',
  '  --format text|json    texte pour une personne (défaut) ou document JSON',
  '  --allow-host <hôte>   hôte que le parcours peut joindre (`hôte` ou `hôte:port`), à répéter ;',
  '                        s’ajoute à MESREF_ECOSCORE_ALLOWED_HOSTS. Aucun autre hôte n’est joint.',
  '',
  'Chromium : /usr/bin/chromium, ou MESREF_CHROMIUM.',
  'Codes de sortie : 0 parcours complet, 1 une étape a échoué, 2 usage incorrect ou parcours invalide.',
  'Format des parcours et méthode : docs/ecoscore.md.',
].join('\n');

const MAX_RUNS = 10;

class UsageError extends Error {}

interface Options {
  file: string;
  runs: number;
  format: 'text' | 'json';
  allowHosts: string[];
}

const optionSpec = {
  runs: { type: 'string' },
  format: { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseStrictly(args: string[]) {
  try {
    return parseArgs({ args, options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`option refusée : ${(error as Error).message}`);
  }
}

function parse(args: string[]): Options | 'help' {
  const parsed = parseStrictly(args);
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const runsText = values.runs ?? '3';
  const runs = /^\d+$/.test(runsText) ? Number(runsText) : Number.NaN;
  if (!Number.isInteger(runs) || runs < 1 || runs > MAX_RUNS) {
    throw new UsageError(`--runs : « ${runsText} » (un entier de 1 à ${MAX_RUNS})`);
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format : « ${format} » (text ou json)`);
  const allowHosts = (values['allow-host'] ?? []).map((host) => host.trim().toLowerCase());
  for (const host of allowHosts) {
    if (!/^[a-z0-9.-]+(:\d{1,5})?$/.test(host) && !/^\[[0-9a-f:]+\](:\d{1,5})?$/.test(host)) {
      throw new UsageError(
        `--allow-host : « ${host} » n’est pas un hôte (exemple : rdv.example.fr ou localhost:8080)`,
      );
    }
  }
  if (positionals.length !== 1) throw new UsageError('un fichier de parcours, et un seul');
  return { file: positionals[0], runs, format, allowHosts };
}

function problemLines(problems: readonly DataFileProblem[]): string {
  return problems.map((p) => `  ${p.file}:${p.line} ${p.path ? `(${p.path}) ` : ''}${p.message}`).join('\n');
}

/** The progress bar: one redrawn line on a terminal, one line per step otherwise. */
function progressBar(io: EcoscoreRunIo, runs: number, steps: number): (event: ProgressEvent) => void {
  const total = runs * steps;
  const width = 24;
  return (event) => {
    if (event.type === 'run-start' || (event.type === 'run-end' && event.ok)) return;
    let done: number;
    let text: string;
    if (event.type === 'step-start') {
      done = (event.run - 1) * steps + event.step - 1;
      text = `passage ${event.run}/${event.runs} · étape ${event.step}/${event.steps} ${event.label}`;
      if (!io.interactive) return;
    } else if (event.type === 'step-end') {
      done = (event.run - 1) * steps + event.step;
      text = `passage ${event.run}/${event.runs} · étape ${event.step}/${event.steps} ${event.label} ${event.ok ? '✓' : '✗'}`;
    } else {
      done = event.run * steps;
      text = `passage ${event.run}/${event.runs} arrêté : étapes suivantes non jouées`;
    }
    const filled = Math.round((done / total) * width);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${text}`;
    if (io.interactive)
      io.stderr(`\r\x1b[2K${line}${event.type === 'run-end' || done === total ? '\n' : ''}`);
    else io.stderr(`${line}\n`);
  };
}

export interface RunReport {
  journey: { name: string; device: Journey['device']; role?: Journey['role']; steps: number };
  method: string;
  /** Every run reached every step. */
  complete: boolean;
  /** From the medians, when at least one run reached the end of the journey. */
  ecoscore: EcoscoreResult | null;
  pages: Array<PageReached & { ecoindex: EcoindexResult }>;
  result: RunResult;
}

export function reportOf(journey: Journey, method: EcoscoreMethod, result: RunResult): RunReport {
  const reachedEnd = result.medians.length === journey.steps.length;
  return {
    journey: {
      name: journey.name,
      device: journey.device,
      ...(journey.role ? { role: journey.role } : {}),
      steps: journey.steps.length,
    },
    method: method.id,
    complete: result.failures.length === 0,
    ecoscore: reachedEnd ? computeEcoscore(method, journey.device, result.medians, result.idle) : null,
    pages: pagesReached(result.medians).map((page) => ({ ...page, ecoindex: ecoindex(page) })),
    result,
  };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const fixed = (value: number, digits: number) => value.toFixed(digits);

function textReport(report: RunReport, method: EcoscoreMethod): string {
  const { result, ecoscore } = report;
  const env = result.environment;
  const out: string[] = [];
  out.push(
    `Parcours « ${report.journey.name} » — ${env.device} ${env.viewport.width}×${env.viewport.height}, DPR ${env.dpr}, ` +
      `processeur ralenti ×${env.cpuSlowdown}, réseau ${env.network.name} — Chromium ${env.chromium}, ` +
      `${result.runs.length} passage(s), ${(env.durationMs / 1000).toFixed(1)} s`,
  );
  out.push('');
  if (ecoscore) {
    out.push(`Écoscore indicatif (méthode ${ecoscore.methodVersion}) : ${ecoscore.score}/100`);
    out.push(
      `  ${fixed(ecoscore.totals.ghgGco2e, 3)} gCO2e (dont fabrication de l’appareil ${Math.round(ecoscore.totals.manufacturingShare * 100)} %), ` +
        `${fixed(ecoscore.totals.waterL, 4)} L d’eau, ${fixed(ecoscore.totals.energyWh * 1000, 2)} mWh, ` +
        `${kb(ecoscore.totals.bytes)} Ko, ${ecoscore.totals.requests} requêtes`,
    );
  } else {
    out.push('Écoscore non calculé : aucun passage n’a atteint la fin du parcours.');
  }
  out.push('');
  out.push(`Étapes (médianes de ${result.runs.length} passage(s)) :`);
  const header = ['#', 'étape', 'Ko', 'requêtes', 'DOM', 'CPU ms', 'durée ms', 'note /100'];
  const rows = result.medians.map((step, i) => [
    String(i + 1),
    step.label,
    kb(step.bytes),
    String(step.requests),
    String(step.domElements),
    String(Math.round(step.cpuMs)),
    String(Math.round(step.durationMs + (step.pauseMs ?? 0))),
    ecoscore ? fixed(ecoscore.perStep[i].score, 1) : '—',
  ]);
  rows.push([
    '·',
    result.idle.label,
    kb(result.idle.bytes),
    String(result.idle.requests),
    String(result.idle.domElements),
    String(Math.round(result.idle.cpuMs)),
    String(Math.round(result.idle.durationMs)),
    '',
  ]);
  out.push(...table(header, rows));
  if (report.pages.length > 0) {
    out.push('');
    out.push('EcoIndex des pages atteintes :');
    for (const page of report.pages) {
      const e = page.ecoindex;
      out.push(
        `  ${e.grade} ${e.score}/100  ${page.url}  (DOM ${page.dom}, ${page.requests} requêtes, ${fixed(page.sizeKb, 1)} Ko ; ` +
          `${fixed(e.ghgGco2e, 2)} gCO2e, ${fixed(e.waterCl, 2)} cl d’eau)`,
      );
    }
  }
  if (ecoscore) {
    const { resources } = improvements(ecoscore, { resources: 5 });
    if (resources.length > 0) {
      out.push('');
      out.push('Ressources les plus lourdes :');
      for (const r of resources) {
        out.push(`  ${kb(r.bytes)} Ko (${Math.round(r.share * 100)} %)  ${r.type}  ${r.url}  — ${r.step}`);
      }
    }
  }
  if (result.failures.length > 0) {
    out.push('');
    out.push('Échecs :');
    for (const f of result.failures) {
      out.push(`  passage ${f.run}, étape ${f.step} « ${f.label} » : ${f.reason} — ${f.message}`);
    }
  }
  if (result.blocked.length > 0) {
    const hosts = [...new Set(result.blocked.map((b) => b.host))];
    out.push('');
    out.push(
      `Requêtes bloquées vers des hôtes non autorisés : ${result.blocked.length} (${hosts.join(', ')}) ; ` +
        'elles manquent aux mesures (--allow-host pour les autoriser).',
    );
  }
  out.push('');
  out.push(method.statement.fr.trim());
  return `${out.join('\n')}\n`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    `  ${cells.map((cell, i) => (i === 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

export async function runEcoscoreRun(args: string[], io: EcoscoreRunIo): Promise<number> {
  let options: Options | 'help';
  try {
    options = parse(args);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  let settings: ReturnType<typeof loadEcoscoreSettings>;
  try {
    settings = loadEcoscoreSettings(io.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  let text: string;
  try {
    text = await io.readText(options.file);
  } catch (error) {
    io.stderr(
      `${options.file} : lecture impossible (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`,
    );
    return 2;
  }
  const parsed = parseJourney(text, options.file);
  if (!parsed.ok) {
    io.stderr(`parcours invalide :\n${problemLines(parsed.problems)}\n`);
    return 2;
  }
  const { journey } = parsed;
  const method = loadMethod();
  const allowedHosts = [...new Set([...options.allowHosts, ...settings.allowedHosts])];
  let result: RunResult;
  try {
    result = await runJourney(journey, {
      runs: options.runs,
      allowedHosts,
      executablePath: settings.chromium,
      signal: io.signal,
      onProgress: progressBar(io, options.runs, journey.steps.length),
      method,
      ...io.runnerOptions,
    });
  } catch (error) {
    if (error instanceof JourneyRefusedError) {
      io.stderr(
        `${error.message}\n  (--allow-host <hôte> ou MESREF_ECOSCORE_ALLOWED_HOSTS pour l’autoriser)\n`,
      );
      return 2;
    }
    if (io.signal?.aborted) {
      io.stderr('\nmesure interrompue\n');
      return 1;
    }
    const message = (error as Error).message.split('\n')[0];
    io.stderr(
      `la mesure n’a pas pu se faire : ${message}\n  (Chromium : ${settings.chromium} ; MESREF_CHROMIUM pour un autre)\n`,
    );
    return 1;
  }
  const report = reportOf(journey, method, result);
  io.stdout(options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : textReport(report, method));
  return report.complete ? 0 : 1;
}
