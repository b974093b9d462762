/**
 * Reading back the PDFs mesref makes (pdfkit, DejaVu embedded as two-byte CID fonts): the document information
 * entries and the text as a viewer shows it, through each font's ToUnicode map. The same reading as
 * src/assessment/report.test.ts, shared here for the tests of other PDFs.
 */
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';

/** A PDF literal string's bytes as text (UTF-16BE when it starts with a byte order mark). */
function pdfString(literal: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < literal.length; i++) {
    const ch = literal[i] as string;
    if (ch !== '\\') {
      bytes.push(ch.charCodeAt(0));
      continue;
    }
    const next = literal[++i] as string;
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
    const body = match[2] as string;
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
export function pdfInfo(pdf: Buffer): Record<string, string> {
  const objects = pdfObjects(pdf);
  const trailer = /trailer\s*<<([\s\S]*?)>>\s*startxref/.exec(pdf.toString('latin1'));
  const infoRef = /\/Info (\d+) 0 R/.exec(trailer?.[1] ?? '');
  assert.ok(infoRef, 'the PDF has an information dictionary');
  const info: Record<string, string> = {};
  for (const [, key, ref] of (objects.get(Number(infoRef[1]))?.dict ?? '').matchAll(/\/(\w+) (\d+) 0 R/g)) {
    const value = objects.get(Number(ref))?.dict.trim() ?? '';
    if (value.startsWith('(')) info[key as string] = pdfString(value.slice(1, value.lastIndexOf(')')));
  }
  return info;
}

/** The number of pages of the document. */
export function pdfPageCount(pdf: Buffer): number {
  return [...pdf.toString('latin1').matchAll(/\/Type \/Page\b(?!s)/g)].length;
}

/**
 * The PDF's text, read the way a viewer does: each font's ToUnicode map, and the glyph codes the pages'
 * content streams show with it; one line per text run, white space as it is.
 */
export function pdfText(pdf: Buffer): string {
  const objects = pdfObjects(pdf);
  const unicodeOf = new Map<number, Map<number, string>>();
  for (const [id, object] of objects) {
    const ref = /\/ToUnicode (\d+) 0 R/.exec(object.dict);
    if (!ref) continue;
    const cmap = objects.get(Number(ref[1]))?.stream?.toString('latin1') ?? '';
    const map = new Map<number, string>();
    for (const [, from, , list] of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
      // An entry may hold several characters (a ligature's glyph): « <0066 0066 0069> ».
      [...(list as string).matchAll(/<([0-9a-f ]*)>/gi)].forEach(([, hex], i) => {
        const utf16 = Buffer.from((hex as string).replace(/ /g, ''), 'hex').swap16();
        map.set(Number.parseInt(from as string, 16) + i, utf16.toString('utf16le'));
      });
    }
    unicodeOf.set(id, map);
  }
  const fontByName = new Map<string, Map<number, string>>();
  for (const object of objects.values()) {
    for (const [, name, ref] of object.dict.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const map = unicodeOf.get(Number(ref));
      if (map) fontByName.set(name as string, map);
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
      for (const [, hex] of (shown as string).matchAll(/<([0-9a-f]+)>/gi)) {
        for (let i = 0; i < (hex as string).length; i += 4)
          line += font?.get(Number.parseInt((hex as string).slice(i, i + 4), 16)) ?? '?';
      }
      lines.push(line);
    }
  }
  return lines.join('\n');
}

/** Text with every run of white space as one space, to look for phrases that wrap. */
export const flat = (text: string) => text.replace(/\s+/g, ' ');
