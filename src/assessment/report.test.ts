// mesref-test: no-database (runs once, not once per database lane)
/**
 * The self-assessment reports, from the shipped referentials and a few answers: the JSON report's shape and
 * values, what the HTML page says (and an axe-core check in Chromium when it is there), and the PDF's
 * metadata and text, accents included (read with pdftotext when installed, and by mesref's own reading of
 * the PDF's streams in any case).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { CHROMIUM_ARGS } from '../platform/chromium.ts';
import type { Locale } from '../platform/i18n.ts';
import { loadReferentials } from '../referential/files.ts';
import type { ReferentialVersion } from '../referential/model.ts';
import { type AssessmentInput, type Evidence, evaluateAssessment } from './model.ts';
import { type ReportInput, reportHtml, reportJson } from './report.tsx';
import { reportPdf } from './report-pdf.ts';

const referentials = loadReferentials();
const v2 = referentials.get('2023-v2') as ReferentialVersion;
const SHA = 'ab'.repeat(32);

/** A service that keeps health data and exchanges none: URB 01 and ETH 32 apply, FIN 01 does not. */
const assessment: AssessmentInput = {
  orientation: { echange_donnees: false, donnees_sante: true },
  answers: {
    'URB 01': {
      status: 'conforme',
      evidence: [
        // A stored file may carry more than reports show: its bytes must never reach a report.
        {
          kind: 'file',
          name: 'certificat-hds.pdf',
          size: 123_456,
          sha256: SHA,
          content: 'JVBERi0xLjcK',
        } as Evidence,
        { kind: 'url', url: 'https://exemple.fr/hebergement' },
      ],
    },
    'ETH 32': {
      status: 'non-conforme',
      justification: 'Mesure de l’écoscore prévue au trimestre prochain <script>alert(1)</script>',
      evidence: [{ kind: 'url', url: 'javascript:alert(1)' }],
      targetDate: '2027-03-15',
    },
  },
};

function input(overrides: Partial<ReportInput> = {}, locale: Locale = 'fr'): ReportInput {
  const version = overrides.version ?? v2;
  return {
    evaluation: evaluateAssessment(version, assessment),
    version,
    subject: {
      displayName: 'Suivi Tension iOS Mobile',
      version: '2.4.1',
      organisationName: 'Œnologie & Santé SAS',
    },
    generatedAt: new Date('2026-05-04T09:30:00Z'),
    locale,
    ...overrides,
  };
}

/** The same answers on an official version, every orientation question answered and every gap closed. */
function readyInput(): ReportInput {
  const version: ReferentialVersion = {
    ...v2,
    status: 'official',
    title: { fr: 'Référentiel officiel', en: 'Official' },
  };
  const orientation = Object.fromEntries(
    version.questionnaire.map((q) => [
      q.id,
      q.type === 'boolean' ? false : q.type === 'multi' ? [] : q.options?.[0].value,
    ]),
  );
  const answers = Object.fromEntries(
    version.criteria.map((c) => [
      c.id,
      { status: 'conforme' as const, evidence: [{ kind: 'text' as const, text: 'Déclaré' }] },
    ]),
  );
  const evaluation = evaluateAssessment(version, {
    orientation: { ...orientation, donnees_sante: true },
    answers,
  });
  return { ...input({ version }), evaluation };
}

describe('JSON report', () => {
  it('has the documented shape and the evaluation’s values', () => {
    const report = reportJson(input());
    assert.deepEqual(Object.keys(report), [
      'format',
      'formatVersion',
      'locale',
      'generatedAt',
      'version',
      'subject',
      'ready',
      'counts',
      'byRubrique',
      'criteria',
      'plan',
      'notApplicable',
      'missingQuestions',
    ]);
    assert.equal(report.format, 'mesref-assessment-report');
    assert.equal(report.formatVersion, 1);
    assert.equal(report.generatedAt, '2026-05-04T09:30:00.000Z');
    assert.deepEqual(report.version, {
      id: '2023-v2',
      title: 'Référentiel de référencement v2 (démonstration)',
      status: 'demonstration',
      legalSource: v2.legalSource,
    });
    assert.deepEqual(report.subject, {
      displayName: 'Suivi Tension iOS Mobile',
      version: '2.4.1',
      organisationName: 'Œnologie & Santé SAS',
    });
    const { evaluation } = input();
    assert.equal(report.ready, false);
    assert.deepEqual(report.counts, {
      ...evaluation.counts,
      gaps: evaluation.criteria.filter((c) => c.state !== 'ready').length,
      notApplicable: evaluation.notApplicable.length,
      missingQuestions: evaluation.missingQuestions.length,
    });
    assert.equal(report.counts.applicable + report.counts.notApplicable, v2.criteria.length);
    assert.ok(report.counts.ready >= 1 && report.counts.blocking >= 1);
    assert.deepEqual(
      report.byRubrique.map((r) => r.rubrique),
      ['urbanisation', 'interoperabilite', 'securite', 'ethique'],
    );
    assert.deepEqual(report.byRubrique[0], { ...evaluation.byRubrique[0], title: 'Urbanisation' });
    assert.ok(report.byRubrique[0].ready >= 1, 'URB 01 is met');
    // The shape is plain data: it survives JSON as it is.
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  });

  it('gives each applicable criterion its reason, answer, evidence (no file bytes) and target date', () => {
    const report = reportJson(input());
    const urb = report.criteria.find((c) => c.id === 'URB 01');
    assert.ok(urb);
    assert.equal(urb.rubrique, 'urbanisation');
    assert.equal(urb.theme, 'hebergement');
    assert.equal(urb.level, 'obligatoire');
    assert.equal(urb.state, 'ready');
    assert.equal(urb.status, 'conforme');
    assert.equal(urb.justification, null);
    assert.equal(urb.targetDate, null);
    assert.match(urb.appliesBecause, /données de santé.*oui/);
    assert.deepEqual(urb.evidence, [
      { kind: 'file', name: 'certificat-hds.pdf', size: 123_456, sha256: SHA },
      { kind: 'url', url: 'https://exemple.fr/hebergement' },
    ]);
    assert.ok(!JSON.stringify(report).includes('JVBERi0xLjcK'));
    const eth = report.criteria.find((c) => c.id === 'ETH 32');
    assert.ok(eth);
    assert.equal(eth.state, 'non-conforme');
    assert.equal(eth.blocking, true);
    assert.equal(eth.targetDate, '2027-03-15');
    assert.deepEqual(
      report.plan.find((gap) => gap.id === 'ETH 32'),
      { id: 'ETH 32', state: 'non-conforme', blocking: true, targetDate: '2027-03-15' },
    );
    assert.ok(!report.plan.some((gap) => gap.id === 'URB 01'), 'a criterion met is no gap');
    assert.deepEqual(
      report.plan.map((gap) => gap.id),
      report.criteria
        .filter((c) => c.state !== 'ready')
        .map((c) => c.id)
        .sort((a, b) => {
          const blocking = (id: string) => Number(report.criteria.find((c) => c.id === id)?.blocking);
          const rubrique = (id: string) =>
            report.byRubrique.findIndex(
              (r) => r.rubrique === report.criteria.find((c) => c.id === id)?.rubrique,
            );
          return blocking(b) - blocking(a) || rubrique(a) - rubrique(b);
        }),
      'blocking gaps first, then by rubrique',
    );
  });

  it('lists the criteria that do not apply with their condition, and the questions left', () => {
    const report = reportJson(input());
    const fin = report.notApplicable.find((c) => c.id === 'FIN 01');
    assert.ok(fin);
    assert.equal(fin.level, 'obligatoire');
    assert.match(fin.appliesIf, /Mon espace santé.*oui/);
    assert.ok(report.missingQuestions.some((q) => q.id === 'dispositif_medical'));
    assert.equal(report.counts.missingQuestions, report.missingQuestions.length);
  });

  it('speaks English when asked', () => {
    const report = reportJson(input({}, 'en'));
    assert.equal(report.locale, 'en');
    assert.equal(report.version.title, 'Referencing framework v2 (demonstration)');
    assert.equal(report.criteria.find((c) => c.id === 'URB 01')?.title, 'HDS-certified hosting');
    assert.equal(report.byRubrique[3].title, 'Ethics');
  });
});

describe('HTML report', () => {
  it('is a standalone page with the demonstration notice at the top, then the verdict', () => {
    const html = reportHtml(input());
    assert.ok(html.startsWith('<!doctype html><html lang="fr">'));
    assert.match(html, /<title>Rapport d’auto-évaluation — Suivi Tension iOS Mobile<\/title>/);
    assert.ok(!html.includes('<link'), 'no external resource: it reads the same once saved');
    const notice = html.indexOf('Version de démonstration');
    const verdict = html.indexOf('Pas encore prêt pour le dépôt.');
    assert.ok(notice > 0 && verdict > notice, 'notice first, then the verdict');
    assert.ok(notice < html.indexOf('<dl class="subject"'), 'the notice comes before everything else');
    const blocking = reportJson(input()).counts.blocking;
    assert.ok(
      html.includes(
        `${blocking} critère${blocking > 1 ? 's obligatoires ne sont pas satisfaits' : ' obligatoire n’est pas satisfait'}.`,
      ),
    );
  });

  it('shows progress per rubrique in words, the plan with target dates, every criterion and those that do not apply', () => {
    const html = reportHtml(input());
    for (const p of reportJson(input()).byRubrique) {
      const percent = p.applicable === 0 ? 0 : Math.round((p.ready / p.applicable) * 100);
      const words =
        p.applicable === 0
          ? 'aucun critère applicable'
          : `${p.ready} sur ${p.applicable} (${percent}\u00a0%)`;
      assert.ok(html.includes(`${p.title}</th>`) && html.includes(words), `${p.rubrique}: ${words}`);
    }
    const plan = html.slice(html.indexOf('id="plan"'), html.indexOf('id="criteres"'));
    assert.match(plan, /ETH 32 — Évaluation par l’écoscore/);
    assert.match(plan, /<time dateTime="2027-03-15">15 mars 2027<\/time>/i);
    assert.match(plan, /Non conforme/);
    assert.ok(!plan.includes('URB 01'), 'a criterion met is no gap');
    const criteria = html.slice(html.indexOf('id="criteres"'), html.indexOf('id="non-applicables"'));
    assert.match(
      criteria,
      /Fichier « certificat-hds\.pdf » \(120,6 Kio, empreinte SHA-256 <span class="hash">ab/,
    );
    assert.match(criteria, /<a href="https:\/\/exemple\.fr\/hebergement">/);
    assert.match(criteria, /Mesure de l’écoscore prévue/);
    const notApplicable = html.slice(html.indexOf('id="non-applicables"'));
    assert.match(notApplicable, /FIN 01 — Finalités des échanges/);
    assert.match(notApplicable, /S’appliquerait si/);
  });

  it('escapes what the publisher wrote and links only web addresses', () => {
    const html = reportHtml(input());
    assert.ok(!html.includes('<script>alert(1)</script>'));
    assert.match(html, /&lt;script>alert\(1\)&lt;\/script>|&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.ok(!html.includes('href="javascript:'));
    assert.match(html, /Lien javascript:alert\(1\)/);
  });

  it('says when the service is ready, and no notice for an official version', () => {
    const html = reportHtml(readyInput());
    assert.ok(!html.includes('Version de démonstration'));
    assert.match(html, /Prêt pour le dépôt : chaque critère obligatoire applicable est satisfait\./);
    assert.match(html, /Aucun écart : chaque critère applicable est satisfait\./);
  });

  it('is written in English when asked', () => {
    const html = reportHtml(input({}, 'en'));
    assert.ok(html.startsWith('<!doctype html><html lang="en">'));
    assert.match(html, /Demonstration version/);
    assert.match(html, /Not ready to file yet\./);
    assert.match(html, /March 15, 2027|15 March 2027/);
  });

  const chromium = process.env.MESREF_TEST_CHROMIUM || '/usr/bin/chromium';
  it('passes axe-core (WCAG 2.1 A and AA) in Chromium', {
    skip: existsSync(chromium) ? false : `${chromium} is missing`,
  }, async () => {
    const { chromium: launcher } = await import('playwright-core');
    const browser = await launcher.launch({
      executablePath: chromium,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = await browser.newPage();
      const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
      for (const locale of ['fr', 'en'] as const) {
        await page.setContent(reportHtml(input({}, locale)), { waitUntil: 'load' });
        await page.evaluate(axeSource);
        const violations = await page.evaluate(async () => {
          type Axe = { run(...args: unknown[]): Promise<{ violations: AxeViolation[] }> };
          const { axe } = window as unknown as { axe: Axe };
          const result = await axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
            resultTypes: ['violations'],
          });
          return result.violations.map(
            (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
          );
        });
        assert.deepEqual(violations, [], `axe-core violations in the ${locale} report`);
      }
    } finally {
      await browser.close();
    }
  });
});

// ── reading a PDF back ──────────────────────────────────────────────────────

/** A PDF literal string's bytes as text (UTF-16BE when it starts with a byte order mark). */
function pdfString(literal: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < literal.length; i++) {
    const ch = literal[i];
    if (ch !== '\\') {
      bytes.push(ch.charCodeAt(0));
      continue;
    }
    const next = literal[++i];
    const octal = /^[0-7]{1,3}/.exec(literal.slice(i));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += octal[0].length - 1;
    } else {
      bytes.push(({ n: 10, r: 13, t: 9, b: 8, f: 12 } as Record<string, number>)[next] ?? next.charCodeAt(0));
    }
  }
  const buffer = Buffer.from(bytes);
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return buffer.subarray(2).swap16().toString('utf16le');
  return buffer.toString('latin1');
}

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  for (const match of text.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) {
    const body = match[2];
    const at = body.indexOf('stream\n');
    if (at < 0) {
      objects.set(Number(match[1]), { dict: body });
      continue;
    }
    const dict = body.slice(0, at);
    const start = (match.index ?? 0) + match[0].indexOf(body) + at + 'stream\n'.length;
    const end = text.indexOf('\nendstream', start);
    const raw = pdf.subarray(start, end);
    objects.set(Number(match[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(raw) : raw });
  }
  return objects;
}

/** The document information entries (Title, Author…), read from the PDF itself. */
function pdfInfo(pdf: Buffer): Record<string, string> {
  const objects = pdfObjects(pdf);
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref/.exec(pdf.toString('latin1'));
  const infoRef = /\/Info (\d+) 0 R/.exec(trailer?.[1] ?? '');
  assert.ok(infoRef, 'the PDF has an information dictionary');
  const info: Record<string, string> = {};
  for (const [, key, ref] of (objects.get(Number(infoRef[1]))?.dict ?? '').matchAll(/\/(\w+) (\d+) 0 R/g)) {
    const value = objects.get(Number(ref))?.dict.trim() ?? '';
    if (value.startsWith('(')) info[key] = pdfString(value.slice(1, value.lastIndexOf(')')));
  }
  return info;
}

/**
 * The PDF's text, read the way a viewer does: each font's ToUnicode map, and the glyph codes the pages'
 * content streams show with it. Enough for the fonts mesref embeds (two-byte codes).
 */
function pdfText(pdf: Buffer): string {
  const objects = pdfObjects(pdf);
  const unicodeOf = new Map<number, Map<number, string>>();
  for (const [id, object] of objects) {
    const ref = /\/ToUnicode (\d+) 0 R/.exec(object.dict);
    if (!ref) continue;
    const cmap = objects.get(Number(ref[1]))?.stream?.toString('latin1') ?? '';
    const map = new Map<number, string>();
    for (const [, from, , list] of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
      // An entry may hold several characters (a ligature's glyph): « <0066 0066 0069> ».
      [...list.matchAll(/<([0-9a-f ]*)>/gi)].forEach(([, hex], i) => {
        const utf16 = Buffer.from(hex.replace(/ /g, ''), 'hex').swap16();
        map.set(Number.parseInt(from, 16) + i, utf16.toString('utf16le'));
      });
    }
    unicodeOf.set(id, map);
  }
  const fontByName = new Map<string, Map<number, string>>();
  for (const object of objects.values()) {
    for (const [, name, ref] of object.dict.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const map = unicodeOf.get(Number(ref));
      if (map) fontByName.set(name, map);
    }
  }
  const lines: string[] = [];
  for (const object of objects.values()) {
    const content = object.stream?.toString('latin1') ?? '';
    if (!content.includes(' Tf')) continue;
    let font: Map<number, string> | undefined;
    for (const [, name, shown] of content.matchAll(/\/(F\d+) [\d.]+ Tf|(\[[^\]]*\]) TJ/g)) {
      if (name) {
        font = fontByName.get(name);
        continue;
      }
      let line = '';
      for (const [, hex] of shown.matchAll(/<([0-9a-f]+)>/gi)) {
        for (let i = 0; i < hex.length; i += 4)
          line += font?.get(Number.parseInt(hex.slice(i, i + 4), 16)) ?? '?';
      }
      lines.push(line);
    }
  }
  return lines.join('\n');
}

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[] }[];
}

const flat = (text: string) => text.replace(/\s+/g, ' ');
const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;

describe('PDF report', () => {
  it('is a PDF with its title, author, language and page numbers', async () => {
    const pdf = await reportPdf(input());
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const info = pdfInfo(pdf);
    assert.equal(info.Title, 'Rapport d’auto-évaluation — Suivi Tension iOS Mobile');
    assert.equal(info.Author, 'mesref');
    assert.match(pdf.toString('latin1'), /\/Lang \(fr-FR\)/);
    const text = flat(pdfText(pdf));
    const pages = Number(/Page 1 sur (\d+)/.exec(text)?.[1]);
    assert.ok(pages >= 2, text);
    assert.match(text, new RegExp(`Page ${pages} sur ${pages}`));
  });

  it('prints the notice, the service, the verdict, the plan and the criteria, accents included', async () => {
    const pdf = await reportPdf(input());
    const expected = [
      'Version de démonstration',
      'Ce n’est pas le référentiel officiel',
      'Suivi Tension iOS Mobile',
      'Œnologie & Santé SAS',
      'Pas encore prêt pour le dépôt.',
      'Plan d’action',
      'Évaluation par l’écoscore',
      '15 mars 2027',
      '« Référentiel de référencement v2',
      'Hébergement certifié HDS',
      'Fichier « certificat-hds.pdf » (120,6 Kio',
      'Critères non applicables',
      'FIN 01 — Finalités des échanges',
      'Avancement par rubrique',
    ];
    const texts = [flat(pdfText(pdf))];
    if (hasPdftotext) {
      const dir = mkdtempSync(join(tmpdir(), 'mesref-report-'));
      try {
        writeFileSync(join(dir, 'report.pdf'), pdf);
        texts.push(
          flat(
            execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'report.pdf'), '-'], { encoding: 'utf8' }),
          ),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    for (const text of texts) {
      for (const words of expected)
        assert.ok(text.includes(flat(words)), `« ${words} » is not in the PDF's text:\n${text}`);
      assert.ok(!text.includes('JVBERi0xLjcK'));
    }
  });

  it('says when the service is ready, in English too, and no notice for an official version', async () => {
    const text = flat(pdfText(await reportPdf({ ...readyInput(), locale: 'en' })));
    assert.ok(!text.includes('Demonstration version'));
    assert.match(text, /Ready to file: every applicable mandatory criterion is met\./);
    assert.match(text, /Page 1 of \d+/);
  });
});
