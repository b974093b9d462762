/**
 * The self-assessment report as a PDF: the same content as the HTML report (`report.tsx`), laid out for A4.
 * The text is set in DejaVu Sans, embedded (subset) in the file: the PDF standard fonts' WinAnsi encoding lacks
 * characters French needs (’, œ, narrow no-break space) and the symbols of the referential's texts.
 */
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import type { CriterionState } from './model.ts';
import { isWebLink, type ReportCriterion, type ReportInput, type ReportView, reportView } from './report.tsx';

const FONT_REGULAR = fileURLToPath(new URL('./fonts/DejaVuSans.ttf', import.meta.url));
const FONT_BOLD = fileURLToPath(new URL('./fonts/DejaVuSans-Bold.ttf', import.meta.url));

/** The DSFR's colours, as in the HTML report. */
const COLOURS = {
  text: '#161616',
  muted: '#3a3a3a',
  blue: '#000091',
  border: '#929292',
  light: '#dddddd',
  header: '#eeeeee',
  success: '#18753c',
  error: '#ce0500',
  warning: '#b34000',
  info: '#0063cb',
  noticeBackground: '#fff4f3',
  readyBackground: '#f6fef9',
  notReadyBackground: '#fff4f4',
};

const stateColour: Record<CriterionState, string> = {
  ready: COLOURS.success,
  unanswered: COLOURS.info,
  'non-conforme': COLOURS.error,
  'no-evidence': COLOURS.warning,
  'not-applicable-refused': COLOURS.error,
  'justification-missing': COLOURS.warning,
};

const MARGIN = 50;
const FOOTER_SPACE = 30;

type Doc = PDFKit.PDFDocument;

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

interface Cell {
  text: string;
  bold?: boolean;
  colour?: string;
  /** Draws a progress bar above the text: the share done, from 0 to 1. */
  progress?: number;
}

/** Writes the report with a PDF document's drawing functions. */
class Writer {
  constructor(
    readonly doc: Doc,
    readonly view: ReportView,
  ) {}

  get left(): number {
    return this.doc.page.margins.left;
  }

  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page when less than `height` is left on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  heading(text: string, level: 1 | 2 | 3): void {
    const size = level === 1 ? 20 : level === 2 ? 15 : 12;
    const { doc } = this;
    doc.font('bold').fontSize(size);
    // A heading is kept with what follows it: a few lines of it at least.
    this.ensureSpace(doc.heightOfString(text, { width: this.width }) + (level === 1 ? 40 : 100));
    if (level === 2) doc.moveDown(0.8);
    if (level === 3) doc.moveDown(0.5);
    doc.fillColor(COLOURS.text).text(text, this.left, doc.y, { width: this.width });
    if (level === 2) {
      const y = doc.y + 2;
      doc
        .moveTo(this.left, y)
        .lineTo(this.left + this.width, y)
        .lineWidth(1.5)
        .strokeColor(COLOURS.blue)
        .stroke();
      doc.y = y + 6;
    } else {
      doc.moveDown(0.3);
    }
    doc.font('regular').fontSize(10);
  }

  paragraph(text: string, options: { bold?: boolean; colour?: string; size?: number } = {}): void {
    const { doc } = this;
    doc
      .font(options.bold ? 'bold' : 'regular')
      .fontSize(options.size ?? 10)
      .fillColor(options.colour ?? COLOURS.text)
      .text(text, this.left, doc.y, { width: this.width });
    doc.moveDown(0.3);
  }

  /** « Label : value », the label in bold (a link when the value is one). */
  field(label: string, value: string, link?: string): void {
    const { doc } = this;
    const separator = this.view.locale === 'fr' ? '\u00a0: ' : ': ';
    doc
      .font('bold')
      .fontSize(10)
      .fillColor(COLOURS.text)
      .text(`${label}${separator}`, this.left, doc.y, { width: this.width, continued: true })
      .font('regular');
    if (link) doc.fillColor(COLOURS.blue).text(value, { link, underline: true });
    else doc.text(value);
    doc.fillColor(COLOURS.text).moveDown(0.15);
  }

  /** A framed box with a coloured left edge, holding lines of text (the first one in bold). */
  box(lines: string[], border: string, background: string): void {
    const { doc } = this;
    const padding = 10;
    const innerWidth = this.width - 2 * padding - 4;
    const heights = lines.map((line, i) =>
      doc
        .font(i === 0 ? 'bold' : 'regular')
        .fontSize(i === 0 ? 11 : 10)
        .heightOfString(line, { width: innerWidth }),
    );
    const height = heights.reduce((sum, h) => sum + h + 4, 0) + 2 * padding - 4;
    this.ensureSpace(height + 10);
    const top = doc.y;
    doc.rect(this.left, top, this.width, height).fillAndStroke(background, border);
    doc.rect(this.left, top, 5, height).fill(border);
    let y = top + padding;
    lines.forEach((line, i) => {
      doc
        .font(i === 0 ? 'bold' : 'regular')
        .fontSize(i === 0 ? 11 : 10)
        .fillColor(COLOURS.text)
        .text(line, this.left + padding + 4, y, { width: innerWidth });
      y += heights[i] + 4;
    });
    doc.x = this.left;
    doc.y = top + height + 10;
  }

  /** A table whose header row is repeated on each page it runs onto. */
  table(columns: Column[], rows: Cell[][]): void {
    const { doc } = this;
    const padding = 4;
    const scale = this.width / columns.reduce((sum, c) => sum + c.width, 0);
    const widths = columns.map((c) => c.width * scale);
    const cellHeight = (cell: Cell, width: number) =>
      doc
        .font(cell.bold ? 'bold' : 'regular')
        .fontSize(9)
        .heightOfString(cell.text, { width: width - 2 * padding }) +
      2 * padding +
      (cell.progress === undefined ? 0 : 10);
    const drawRow = (cells: Cell[], header: boolean) => {
      const height = Math.max(...cells.map((cell, i) => cellHeight(cell, widths[i])));
      if (doc.y + height > this.bottom) {
        doc.addPage();
        if (!header) drawRow(headerCells, true);
      }
      const top = doc.y;
      let x = this.left;
      cells.forEach((cell, i) => {
        if (header) doc.rect(x, top, widths[i], height).fill(COLOURS.header);
        doc.rect(x, top, widths[i], height).lineWidth(0.5).strokeColor(COLOURS.border).stroke();
        let y = top + padding;
        if (cell.progress !== undefined) {
          const barWidth = widths[i] - 2 * padding;
          doc.rect(x + padding, y, barWidth, 6).fill(COLOURS.light);
          if (cell.progress > 0)
            doc.rect(x + padding, y, barWidth * Math.min(1, cell.progress), 6).fill(COLOURS.blue);
          y += 10;
        }
        doc
          .font(cell.bold || header ? 'bold' : 'regular')
          .fontSize(9)
          .fillColor(cell.colour ?? COLOURS.text)
          .text(cell.text, x + padding, y, {
            width: widths[i] - 2 * padding,
            align: columns[i].align ?? 'left',
          });
        x += widths[i];
      });
      doc.x = this.left;
      doc.y = top + height;
    };
    const headerCells = columns.map((c) => ({ text: c.header, bold: true }));
    this.ensureSpace(60);
    drawRow(headerCells, true);
    for (const row of rows) drawRow(row, false);
    doc.fillColor(COLOURS.text).moveDown(0.5);
  }
}

function titlePage(w: Writer): void {
  const { view, doc } = w;
  const { t, report } = view;
  w.heading(view.title, 1);
  if (view.demonstration) {
    w.box([view.demonstration.title, view.demonstration.body], COLOURS.warning, COLOURS.noticeBackground);
  }
  w.heading(t('report.subject'), 3);
  w.field(t('report.service'), report.subject.displayName);
  w.field(t('report.service_version'), report.subject.version);
  w.field(t('report.organisation'), report.subject.organisationName);
  w.field(t('report.referential'), `${report.version.title} (${report.version.id})`);
  w.field(t('report.legal_source'), report.version.legalSource.text);
  w.field(t('report.generated_at'), view.generatedAt);
  doc.moveDown(0.5);
  w.heading(t('report.verdict.heading'), 2);
  w.box(
    [view.verdict.headline, ...view.verdict.details],
    view.verdict.ready ? COLOURS.success : COLOURS.error,
    view.verdict.ready ? COLOURS.readyBackground : COLOURS.notReadyBackground,
  );
  if (report.missingQuestions.length > 0) {
    w.heading(t('report.missing_questions'), 3);
    for (const q of report.missingQuestions) w.paragraph(`• ${q.label}`);
  }
}

function progress(w: Writer): void {
  const { view } = w;
  const { t, report } = view;
  w.heading(t('report.progress.heading'), 2);
  w.table(
    [
      { header: t('report.progress.rubrique'), width: 3 },
      { header: t('report.progress.applicable'), width: 2, align: 'right' },
      { header: t('report.progress.answered'), width: 2, align: 'right' },
      { header: t('report.progress.ready'), width: 2, align: 'right' },
      { header: t('report.progress.mandatory'), width: 2.2, align: 'right' },
      { header: t('report.progress.bar'), width: 3.5 },
    ],
    report.byRubrique.map((p) => [
      { text: p.title, bold: true },
      { text: String(p.applicable) },
      { text: String(p.answered) },
      { text: String(p.ready) },
      { text: `${p.mandatoryReady} / ${p.mandatory}` },
      { text: view.progressText(p), progress: p.applicable > 0 ? p.ready / p.applicable : undefined },
    ]),
  );
}

function plan(w: Writer): void {
  const { view } = w;
  const { t, report } = view;
  w.heading(t('report.plan.heading'), 2);
  if (report.plan.length === 0) {
    w.paragraph(t('report.plan.none'));
    return;
  }
  w.paragraph(t('report.plan.intro'));
  w.table(
    [
      { header: t('report.plan.criterion'), width: 5 },
      { header: t('report.progress.rubrique'), width: 2.2 },
      { header: t('report.criteria.level'), width: 2.2 },
      { header: t('report.plan.state'), width: 2.6 },
      { header: t('report.plan.target'), width: 2.2 },
    ],
    report.plan.map((gap) => {
      const c = view.criterion(gap.id);
      return [
        { text: `${c.id} — ${c.title}`, bold: true },
        { text: view.rubriqueTitle(c.rubrique) },
        { text: `${t(`report.level.${c.level}`)}${gap.blocking ? ` (${t('report.plan.blocking')})` : ''}` },
        { text: t(`report.state.${gap.state}`), bold: true, colour: stateColour[gap.state] },
        { text: gap.targetDate === null ? t('report.plan.no_target') : view.formatDate(gap.targetDate) },
      ];
    }),
  );
}

function criterionBlock(w: Writer, c: ReportCriterion): void {
  const { view, doc } = w;
  const { t } = view;
  w.ensureSpace(90);
  w.paragraph(`${c.id} — ${c.title}`, { bold: true, size: 11 });
  w.field(
    t('report.criteria.state'),
    `${t(`report.state.${c.state}`)}${c.blocking ? ` (${t('report.plan.blocking')})` : ''}`,
  );
  w.field(t('report.criteria.theme'), view.themeTitle(c.rubrique, c.theme));
  w.field(t('report.criteria.level'), t(`report.level.${c.level}`));
  w.field(t('report.criteria.applies_because'), c.appliesBecause);
  w.field(t('report.criteria.requirement'), c.requirement);
  w.field(
    t('report.criteria.answer'),
    c.status === null ? t('report.criteria.no_answer') : t(`report.status.${c.status}`),
  );
  if (c.justification !== null) w.field(t('report.criteria.justification'), c.justification);
  if (c.evidence.length === 0) {
    w.field(t('report.criteria.evidence'), t('report.criteria.no_evidence'));
  } else {
    w.paragraph(t('report.criteria.evidence'), { bold: true });
    for (const evidence of c.evidence) {
      const text = `• ${view.evidenceText(evidence)}`;
      const link = evidence.kind === 'url' && isWebLink(evidence.url) ? evidence.url : undefined;
      doc
        .font('regular')
        .fontSize(10)
        .fillColor(link ? COLOURS.blue : COLOURS.text)
        .text(text, w.left + 10, doc.y, { width: w.width - 10, link, underline: link !== undefined });
      doc.fillColor(COLOURS.text).moveDown(0.15);
    }
  }
  if (c.state !== 'ready') {
    w.field(
      t('report.plan.target'),
      c.targetDate === null ? t('report.plan.no_target') : view.formatDate(c.targetDate),
    );
  }
  w.field(t('report.criteria.source'), c.source);
  const y = doc.y + 4;
  doc
    .moveTo(w.left, y)
    .lineTo(w.left + w.width, y)
    .lineWidth(0.5)
    .strokeColor(COLOURS.light)
    .stroke();
  doc.y = y + 8;
}

function criteria(w: Writer): void {
  const { t, report } = w.view;
  w.heading(t('report.criteria.heading'), 2);
  if (report.criteria.length === 0) w.paragraph(t('report.criteria.none'));
  for (const p of report.byRubrique.filter((r) => r.applicable > 0)) {
    w.heading(p.title, 3);
    for (const c of report.criteria.filter((c) => c.rubrique === p.rubrique)) criterionBlock(w, c);
  }
}

function notApplicable(w: Writer): void {
  const { view } = w;
  const { t, report } = view;
  w.heading(t('report.not_applicable.heading'), 2);
  if (report.notApplicable.length === 0) {
    w.paragraph(t('report.not_applicable.none'));
    return;
  }
  w.table(
    [
      { header: t('report.plan.criterion'), width: 5 },
      { header: t('report.progress.rubrique'), width: 2.2 },
      { header: t('report.criteria.level'), width: 2 },
      { header: t('report.not_applicable.reason'), width: 5 },
    ],
    report.notApplicable.map((c) => [
      { text: `${c.id} — ${c.title}`, bold: true },
      { text: view.rubriqueTitle(c.rubrique) },
      { text: t(`report.level.${c.level}`) },
      { text: c.appliesIf },
    ]),
  );
}

/** « Page 2 sur 7 » at the foot of every page, and the generator line. */
function pageNumbers(w: Writer): void {
  const { doc, view } = w;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Writing in the bottom margin must not start a new page.
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(8)
      .fillColor(COLOURS.muted)
      .text(
        `${view.t('report.pdf.page', { page: i + 1, pages: range.count })} — ${view.report.subject.displayName}`,
        doc.page.margins.left,
        doc.page.height - bottom + (bottom - FOOTER_SPACE) / 2 + 6,
        { width: w.width, align: 'center', lineBreak: false },
      );
    doc.page.margins.bottom = bottom;
  }
}

/** The report as a PDF document (A4, fonts embedded, page numbers, title and author in its metadata). */
export function reportPdf(input: ReportInput): Promise<Buffer> {
  const view = reportView(input);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE / 2 },
    bufferPages: true,
    lang: view.locale === 'fr' ? 'fr-FR' : 'en-GB',
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: view.title,
      Author: 'mesref',
      Subject: `${view.report.version.title} (${view.report.version.id})`,
      Keywords: `Mon espace santé, ${view.report.version.id}, ${view.report.subject.displayName}`,
      Creator: 'mesref',
      Producer: 'mesref',
      CreationDate: input.generatedAt,
      ModDate: input.generatedAt,
    },
  });
  // Registered by name, never given as the document's default font: pdfkit then caches a font under its
  // registered name only when it was not opened before, and would parse the file again at every change.
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  doc.font('regular');
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const w = new Writer(doc, view);
  titlePage(w);
  progress(w);
  plan(w);
  criteria(w);
  notApplicable(w);
  doc.fillColor(COLOURS.muted);
  w.paragraph(view.t('report.generator', { date: view.generatedAt }), { colour: COLOURS.muted, size: 9 });
  pageNumbers(w);
  doc.end();
  return done;
}
