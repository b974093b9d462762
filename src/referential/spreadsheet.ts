/**
 * Reading an annex spreadsheet (CSV or XLSX) into rows of text cells, each row with the line a person finds
 * it at: the row number in a workbook, the line where the row starts in a CSV file (a quoted cell may span
 * several lines). A file that cannot be read as a table is refused with a `SpreadsheetError`.
 */
import { parse } from 'csv-parse/sync';

export interface SheetRow {
  /** Where a person finds the row: its number in the workbook, or its first line in the CSV file. */
  line: number;
  cells: string[];
}

export interface Sheet {
  headers: string[];
  /** Line of the header row. */
  headerLine: number;
  rows: SheetRow[];
}

export class SpreadsheetError extends Error {
  readonly line?: number;
  constructor(message: string, line?: number) {
    super(message);
    this.name = 'SpreadsheetError';
    this.line = line;
  }
}

export type SheetFormat = 'csv' | 'xlsx';

export function formatOf(fileName: string): SheetFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.xlsx')) return 'xlsx';
  return undefined;
}

/** The delimiter of a CSV file: French spreadsheet software writes `;`, others `,` (or a tab). */
function guessDelimiter(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const outsideQuotes = firstLine.replace(/"[^"]*"/g, '');
  const counts = [';', ',', '\t'].map((d) => [d, outsideQuotes.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

function isBlank(cells: string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

function toSheet(rows: SheetRow[]): Sheet {
  const nonBlank = rows.filter((row) => !isBlank(row.cells));
  const [header, ...data] = nonBlank;
  if (!header) throw new SpreadsheetError('le fichier ne contient aucune ligne');
  return { headers: header.cells.map((cell) => cell.trim()), headerLine: header.line, rows: data };
}

export function readCsv(bytes: Buffer): Sheet {
  if (bytes.includes(0)) throw new SpreadsheetError('ce fichier n’est pas un fichier CSV (contenu binaire)');
  const text = bytes.toString('utf8');
  let records: Array<{ record: string[]; info: { lines: number; empty_lines: number } }>;
  try {
    records = parse(text, {
      delimiter: guessDelimiter(text),
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (error) {
    const csvError = error as Error & { lines?: number };
    throw new SpreadsheetError(`CSV illisible : ${csvError.message}`, csvError.lines);
  }
  const rows: SheetRow[] = [];
  let previousEnd = 0;
  let previousEmpty = 0;
  for (const { record, info } of records) {
    // `info.lines` is where the record ends; it starts after the previous one and the empty lines skipped.
    rows.push({ line: previousEnd + 1 + (info.empty_lines - previousEmpty), cells: record });
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
  }
  return toSheet(rows);
}

/** The names a criteria sheet may have in a workbook; otherwise the first sheet is read. */
const SHEET_NAMES = ['criteres', 'critères', 'criteria', 'annexe', 'referentiel', 'référentiel'];

export async function readXlsx(bytes: Buffer): Promise<Sheet> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw new SpreadsheetError(`classeur XLSX illisible : ${(error as Error).message}`);
  }
  const sheet =
    workbook.worksheets.find((ws) => SHEET_NAMES.includes(ws.name.trim().toLowerCase())) ??
    workbook.worksheets[0];
  if (!sheet) throw new SpreadsheetError('le classeur ne contient aucune feuille');
  const rows: SheetRow[] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    for (let column = 1; column <= width; column++) cells.push(row.getCell(column).text ?? '');
    rows.push({ line: rowNumber, cells });
  });
  return toSheet(rows);
}

export async function readSpreadsheet(bytes: Buffer, format: SheetFormat): Promise<Sheet> {
  return format === 'csv' ? readCsv(bytes) : readXlsx(bytes);
}

/** A column's letter, as spreadsheet software shows it (1 → A, 27 → AA). */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
