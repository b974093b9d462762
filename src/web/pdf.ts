/**
 * What mesref's PDF documents share (the self-assessment report, the referencing file's request summary and
 * opinion letter): A4 with DejaVu Sans embedded (fonts/, with its licence), the DSFR's colours, and a writer
 * of headings, paragraphs, « label : value » fields, framed boxes, tables whose header repeats on each page,
 * and page footers. Each document adds its own parts on top.
 */
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import type { Locale } from '../platform/i18n.ts';

const FONT_REGULAR = fileURLToPath(new URL('./fonts/DejaVuSans.ttf', import.meta.url));
const FONT_BOLD = fileURLToPath(new URL('./fonts/DejaVuSans-Bold.ttf', import.meta.url));

/** The DSFR's colours, as in the HTML pages. */
export const COLOURS = {
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
  successBackground: '#f6fef9',
  errorBackground: '#fff4f4',
  warningBackground: '#fff4f3',
  infoBackground: '#f4f6ff',
};

export const MARGIN = 50;
export const FOOTER_SPACE = 30;

export type Doc = PDFKit.PDFDocument;

export interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right';
}

export interface Cell {
  text: string;
  bold?: boolean;
  colour?: string;
  size?: number;
  /** Draws a progress bar above the text: the share done, from 0 to 1. */
  progress?: number;
}

/** A new A4 document with the fonts registered and its bytes collected. */
export function newPdfDocument(options: {
  locale: Locale;
  title: string;
  subject?: string;
  keywords?: string;
  generatedAt: Date;
  compress?: boolean;
}): { doc: Doc; done: Promise<Buffer> } {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE / 2 },
    bufferPages: true,
    compress: options.compress ?? true,
    lang: options.locale === 'fr' ? 'fr-FR' : 'en-GB',
    displayTitle: true,
    pdfVersion: '1.7',
    info: {
      Title: options.title,
      Author: 'mesref',
      ...(options.subject ? { Subject: options.subject } : {}),
      ...(options.keywords ? { Keywords: options.keywords } : {}),
      Creator: 'mesref',
      Producer: 'mesref',
      CreationDate: options.generatedAt,
      ModDate: options.generatedAt,
    },
  });
  // Registered by name and set before any text: never pdfkit's default font, which it would parse again.
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);
  doc.font('regular');
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}

/** Draws text, fields, boxes and tables with a PDF document's drawing functions. */
export class PdfWriter {
  constructor(
    readonly doc: Doc,
    readonly locale: Locale,
    /** Room kept under a heading for what follows it, so a heading never ends a page alone. */
    readonly headingKeep = 100,
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
    this.ensureSpace(doc.heightOfString(text, { width: this.width }) + (level === 1 ? 40 : this.headingKeep));
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

  paragraph(
    text: string,
    options: {
      bold?: boolean;
      colour?: string;
      size?: number;
      indent?: number;
      align?: 'left' | 'right';
    } = {},
  ): void {
    const { doc } = this;
    const indent = options.indent ?? 0;
    doc
      .font(options.bold ? 'bold' : 'regular')
      .fontSize(options.size ?? 10)
      .fillColor(options.colour ?? COLOURS.text)
      .text(text, this.left + indent, doc.y, { width: this.width - indent, align: options.align ?? 'left' });
    doc.fillColor(COLOURS.text).moveDown(0.3);
  }

  /** « Label : value », the label in bold (a link when the value is one). */
  field(label: string, value: string, link?: string): void {
    const { doc } = this;
    const separator = this.locale === 'fr' ? '\u00a0: ' : ': ';
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
      y += (heights[i] ?? 0) + 4;
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
        .fontSize(cell.size ?? 9)
        .heightOfString(cell.text, { width: width - 2 * padding }) +
      2 * padding +
      (cell.progress === undefined ? 0 : 10);
    const headerCells: Cell[] = columns.map((c) => ({ text: c.header, bold: true }));
    const drawRow = (cells: Cell[], header: boolean) => {
      const height = Math.max(...cells.map((cell, i) => cellHeight(cell, widths[i] ?? 0)));
      if (doc.y + height > this.bottom) {
        doc.addPage();
        if (!header) drawRow(headerCells, true);
      }
      const top = doc.y;
      let x = this.left;
      cells.forEach((cell, i) => {
        const width = widths[i] ?? 0;
        if (header) doc.rect(x, top, width, height).fill(COLOURS.header);
        doc.rect(x, top, width, height).lineWidth(0.5).strokeColor(COLOURS.border).stroke();
        let y = top + padding;
        if (cell.progress !== undefined) {
          const barWidth = width - 2 * padding;
          doc.rect(x + padding, y, barWidth, 6).fill(COLOURS.light);
          if (cell.progress > 0)
            doc.rect(x + padding, y, barWidth * Math.min(1, cell.progress), 6).fill(COLOURS.blue);
          y += 10;
        }
        doc
          .font(cell.bold || header ? 'bold' : 'regular')
          .fontSize(cell.size ?? 9)
          .fillColor(cell.colour ?? COLOURS.text)
          .text(cell.text, x + padding, y, {
            width: width - 2 * padding,
            align: columns[i]?.align ?? 'left',
          });
        x += width;
      });
      doc.x = this.left;
      doc.y = top + height;
    };
    this.ensureSpace(60);
    drawRow(headerCells, true);
    for (const row of rows) drawRow(row, false);
    doc.fillColor(COLOURS.text).moveDown(0.5);
  }

  /** The footer of every page: a line of text (when given), then the page's label (« Page 2 sur 7 — … »). */
  footers(line: string | undefined, pageLabel: (page: number, pages: number) => string): void {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const bottom = doc.page.margins.bottom;
      // Writing in the bottom margin must not start a new page.
      doc.page.margins.bottom = 0;
      const base = doc.page.height - bottom + (bottom - FOOTER_SPACE) / 2;
      doc.font('regular').fontSize(8).fillColor(COLOURS.muted);
      if (line)
        doc.text(line, doc.page.margins.left, base - 4, {
          width: this.width,
          align: 'center',
          lineBreak: false,
        });
      doc.text(pageLabel(i + 1, range.count), doc.page.margins.left, line ? base + 7 : base + 6, {
        width: this.width,
        align: 'center',
        lineBreak: false,
      });
      doc.page.margins.bottom = bottom;
    }
  }
}
