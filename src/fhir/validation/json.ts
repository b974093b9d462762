/**
 * Reading the JSON text a publisher submits, before any FHIR rule: a single linear scan that refuses what
 * `JSON.parse` would refuse (saying where and what was expected), what it would silently accept but FHIR
 * forbids (duplicate keys: `JSON.parse` keeps the last one), and absurd nesting. The scan is iterative with
 * bounded stacks, so no input can overflow the call stack or make it hang; the value itself then comes from
 * the native `JSON.parse`. `locate` maps an issue's expression back to a line and column, computed on demand.
 */
import type { IssueType, Severity, ValidationIssue } from './issues.ts';

export interface JsonPosition {
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
}

export type ParsedJson =
  | { ok: true; value: unknown; locate(expression: string): JsonPosition | undefined }
  | { ok: false; issues: ValidationIssue[] };

export interface ParseJsonOptions {
  /** Deepest nesting of objects and arrays accepted (the root object is depth 1). Default 64. */
  maxDepth?: number;
}

export const DEFAULT_MAX_DEPTH = 64;

/** Root of an expression when the text has no top-level `resourceType` to name it. */
const UNNAMED_ROOT = 'Resource';

const OBJECT = 1;
const ARRAY = 2;
/** Objects with more keys than this are checked for duplicates with a set rather than by comparing spans. */
const LINEAR_KEY_LIMIT = 16;

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const UNDERSCORE = 0x5f;

/** A syntax problem found by the scan; thrown to leave the scanning loop, caught in `parseJson`. */
class JsonSyntaxProblem {
  constructor(
    readonly messageId: string,
    readonly position: number,
    readonly params: Record<string, string | number>,
    readonly code: IssueType = 'structure',
  ) {}
}

interface DuplicateKey {
  position: number;
  name: string;
  segments: (string | number)[];
}

export function parseJson(text: string, options: ParseJsonOptions = {}): ParsedJson {
  const maxDepth = Math.max(1, Math.floor(options.maxDepth ?? DEFAULT_MAX_DEPTH));
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (skipWhitespace(source, 0) >= source.length) {
    return { ok: false, issues: [issue('fatal', 'invalid', 'json-empty', UNNAMED_ROOT)] };
  }
  const scanner = new Scanner(source, maxDepth);
  try {
    scanner.scan();
  } catch (caught) {
    if (!(caught instanceof JsonSyntaxProblem)) throw caught;
    const root = scanner.rootName();
    const severity: Severity = 'fatal';
    const found: ValidationIssue = issue(severity, caught.code, caught.messageId, scanner.expression(root));
    if (Object.keys(caught.params).length > 0) found.params = caught.params;
    found.location = lineColumn(source, caught.position);
    return { ok: false, issues: [found] };
  }
  if (scanner.duplicates.length > 0) {
    const root = scanner.rootName();
    const positions = new PositionCursor(source);
    return {
      ok: false,
      issues: scanner.duplicates.map((duplicate) => ({
        ...issue('error', 'structure', 'json-duplicate-key', joinExpression(root, duplicate.segments)),
        params: { name: duplicate.name },
        location: positions.at(duplicate.position),
      })),
    };
  }
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    // The scan accepts only what JSON.parse accepts; this is a safety net, not an expected path.
    return { ok: false, issues: [issue('fatal', 'structure', 'json-invalid', scanner.rootName())] };
  }
  let positions: Map<string, JsonPosition> | undefined;
  return {
    ok: true,
    value,
    locate(expression: string): JsonPosition | undefined {
      positions ??= mapPositions(source, scanner.rootName());
      return positions.get(expression);
    },
  };
}

function issue(severity: Severity, code: IssueType, messageId: string, expression: string): ValidationIssue {
  return { severity, code, messageId, expression };
}

function isWhitespace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

function skipWhitespace(source: string, from: number): number {
  let i = from;
  const length = source.length;
  while (i < length && isWhitespace(source.charCodeAt(i))) i++;
  return i;
}

/** Also false for NaN, the code of a position past the end. */
function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

function isHexDigit(c: number): boolean {
  return (c >= DIGIT_0 && c <= DIGIT_9) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** How a character is shown in a message: itself when printable, its code point otherwise. */
function describeCharacter(source: string, position: number): string {
  const c = source.codePointAt(position) ?? 0;
  if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0))
    return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return String.fromCodePoint(c);
}

/** Decoded text of a string token whose content is `source[start, end)`. */
function stringAt(source: string, start: number, end: number, escaped: boolean): string {
  return escaped ? (JSON.parse(source.slice(start - 1, end + 1)) as string) : source.slice(start, end);
}

function expressionSegment(segment: string | number): string {
  return typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
}

function joinExpression(root: string, segments: readonly (string | number)[]): string {
  let expression = root;
  for (const segment of segments) expression += expressionSegment(segment);
  return expression;
}

/** A property name as it appears in an expression: `_birthDate` (its primitive extension) is `birthDate`. */
function propertySegment(name: string): string {
  return name.length > 1 && name.charCodeAt(0) === UNDERSCORE ? name.slice(1) : name;
}

class Scanner {
  // Per open container, indexed by depth (plain arrays: cheaper to create than typed arrays for one read).
  private readonly kinds: number[] = [0];
  private readonly indices: number[] = [0];
  /** Current key of each open object: content span, -1 when the object is between two properties. */
  private readonly keyStarts: number[] = [-1];
  private readonly keyEnds: number[] = [0];
  private readonly keyEscapes: number[] = [0];
  /** Where each open object's keys begin in `keys` (triples start, end, escaped). */
  private readonly keyBases: number[] = [0];
  private readonly keySets: (Set<string> | undefined)[] = [undefined];
  /** Keys of the open objects, innermost last; `keyTop` is the end of the used part. */
  private readonly keys: number[] = [];
  private keyTop = 0;
  private depth = 0;
  private position = 0;
  /** Whether the last string token had escapes (set by `scanString`). */
  private escaped = false;
  private rootTypeExpected = false;
  private rootTypeStart = -1;
  private rootTypeEnd = -1;
  private rootTypeEscaped = false;
  readonly duplicates: DuplicateKey[] = [];

  constructor(
    private readonly source: string,
    private readonly maxDepth: number,
  ) {}

  /** The top-level `resourceType` when the scan met it as a string, else a neutral root. */
  rootName(): string {
    if (this.rootTypeStart < 0) return UNNAMED_ROOT;
    const name = stringAt(this.source, this.rootTypeStart, this.rootTypeEnd, this.rootTypeEscaped);
    return name.length > 0 ? name : UNNAMED_ROOT;
  }

  /** Expression of where the scan stands. */
  expression(root: string): string {
    return joinExpression(root, this.segments());
  }

  private segments(): (string | number)[] {
    const segments: (string | number)[] = [];
    for (let d = 1; d <= this.depth; d++) {
      if (this.kinds[d] === ARRAY) segments.push(this.indices[d]);
      else if (this.keyStarts[d] >= 0) {
        const name = stringAt(this.source, this.keyStarts[d], this.keyEnds[d], this.keyEscapes[d] === 1);
        segments.push(propertySegment(name));
      }
    }
    return segments;
  }

  private fail(messageId: string, position: number, params: Record<string, string | number> = {}): never {
    throw new JsonSyntaxProblem(messageId, position, params);
  }

  /** At the end of the text while something is still open: say what would close it. */
  private failAtEnd(inString: boolean): never {
    let closers = inString ? '"' : '';
    for (let d = this.depth; d >= 1 && closers.length < 12; d--)
      closers += this.kinds[d] === OBJECT ? '}' : ']';
    if (this.depth >= 1 && closers.length >= 12) closers += '…';
    this.fail('json-unexpected-end', this.source.length, { closers });
  }

  scan(): void {
    const source = this.source;
    const length = source.length;
    let i = skipWhitespace(source, 0);
    for (;;) {
      // A value is expected at i.
      i = skipWhitespace(source, i);
      if (i >= length) this.failAtEnd(false);
      let c = source.charCodeAt(i);
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.depth >= this.maxDepth) {
          throw new JsonSyntaxProblem('json-too-deep', i, { maxDepth: this.maxDepth }, 'too-costly');
        }
        const d = ++this.depth;
        this.kinds[d] = c === OPEN_BRACE ? OBJECT : ARRAY;
        this.indices[d] = 0;
        this.keyStarts[d] = -1;
        this.keyEnds[d] = 0;
        this.keyEscapes[d] = 0;
        this.keyBases[d] = this.keyTop;
        this.keySets[d] = undefined;
        i = skipWhitespace(source, i + 1);
        if (i >= length) this.failAtEnd(false);
        c = source.charCodeAt(i);
        const isObject = this.kinds[d] === OBJECT;
        if (c === (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
          // An empty container: valid JSON (the FHIR layer judges emptiness).
          this.depth--;
          i++;
        } else if (isObject) {
          i = this.scanKey(i);
          continue;
        } else {
          continue;
        }
      } else if (c === QUOTE) {
        i = this.scanString(i);
        if (this.rootTypeExpected && this.depth === 1 && this.rootTypeStart < 0) {
          this.rootTypeStart = this.position + 1;
          this.rootTypeEnd = i - 1;
          this.rootTypeEscaped = this.escaped;
        }
      } else if (c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9)) {
        i = this.scanNumber(i);
      } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
        i = this.scanLiteral(i, c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null');
      } else {
        this.fail('json-expected-value', i, { found: describeCharacter(source, i) });
      }
      // After a value: close containers or move to the next item.
      for (;;) {
        i = skipWhitespace(source, i);
        const d = this.depth;
        if (d === 0) {
          if (i < length) this.fail('json-trailing-content', i, { found: describeCharacter(source, i) });
          return;
        }
        if (i >= length) this.failAtEnd(false);
        c = source.charCodeAt(i);
        if (this.kinds[d] === OBJECT) {
          if (c === COMMA) {
            this.keyStarts[d] = -1;
            i = skipWhitespace(source, i + 1);
            if (i >= length) this.failAtEnd(false);
            if (source.charCodeAt(i) !== QUOTE) {
              this.fail('json-expected-property-name', i, { found: describeCharacter(source, i) });
            }
            i = this.scanKey(i);
            break;
          }
          if (c !== CLOSE_BRACE)
            this.fail('json-expected-comma-or-brace', i, { found: describeCharacter(source, i) });
          this.keyTop = this.keyBases[d];
          this.keySets[d] = undefined;
        } else {
          if (c === COMMA) {
            this.indices[d]++;
            i++;
            break;
          }
          if (c !== CLOSE_BRACKET)
            this.fail('json-expected-comma-or-bracket', i, { found: describeCharacter(source, i) });
        }
        this.depth--;
        i++;
      }
    }
  }

  /** A property name at i (on its quote), its duplicate check, and the colon after it; returns the value's index. */
  private scanKey(at: number): number {
    const source = this.source;
    const d = this.depth;
    if (source.charCodeAt(at) !== QUOTE)
      this.fail('json-expected-property-name', at, { found: describeCharacter(source, at) });
    const end = this.scanString(at) - 1;
    const start = at + 1;
    const escaped = this.escaped;
    this.keyStarts[d] = start;
    this.keyEnds[d] = end;
    this.keyEscapes[d] = escaped ? 1 : 0;
    if (d === 1)
      this.rootTypeExpected = !escaped && end - start === 12 && source.startsWith('resourceType', start);
    this.checkDuplicate(d, start, end, escaped, at);
    let i = skipWhitespace(source, end + 1);
    if (i >= source.length) this.failAtEnd(false);
    if (source.charCodeAt(i) !== COLON)
      this.fail('json-expected-colon', i, { found: describeCharacter(source, i) });
    i++;
    return i;
  }

  private checkDuplicate(d: number, start: number, end: number, escaped: boolean, at: number): void {
    const keys = this.keys;
    const base = this.keyBases[d];
    const top = this.keyTop;
    let set = this.keySets[d];
    let duplicate = false;
    if (set !== undefined) {
      const name = stringAt(this.source, start, end, escaped);
      if (set.has(name)) duplicate = true;
      else set.add(name);
    } else {
      for (let k = base; k < top; k += 3) {
        if (this.sameKey(keys[k], keys[k + 1], keys[k + 2] === 1, start, end, escaped)) {
          duplicate = true;
          break;
        }
      }
      if (!duplicate && top - base >= LINEAR_KEY_LIMIT * 3) {
        set = new Set();
        for (let k = base; k < top; k += 3)
          set.add(stringAt(this.source, keys[k], keys[k + 1], keys[k + 2] === 1));
        set.add(stringAt(this.source, start, end, escaped));
        this.keySets[d] = set;
      } else if (!duplicate) {
        keys[top] = start;
        keys[top + 1] = end;
        keys[top + 2] = escaped ? 1 : 0;
        this.keyTop = top + 3;
      }
    }
    if (duplicate) {
      const name = stringAt(this.source, start, end, escaped);
      this.duplicates.push({ position: at, name, segments: this.segments() });
    }
  }

  private sameKey(
    aStart: number,
    aEnd: number,
    aEscaped: boolean,
    bStart: number,
    bEnd: number,
    bEscaped: boolean,
  ) {
    const source = this.source;
    if (aEscaped || bEscaped)
      return stringAt(source, aStart, aEnd, aEscaped) === stringAt(source, bStart, bEnd, bEscaped);
    const length = aEnd - aStart;
    if (length !== bEnd - bStart) return false;
    for (let k = 0; k < length; k++) {
      if (source.charCodeAt(aStart + k) !== source.charCodeAt(bStart + k)) return false;
    }
    return true;
  }

  /** A string token on its opening quote; returns the index after the closing quote. */
  private scanString(at: number): number {
    const source = this.source;
    const length = source.length;
    this.position = at;
    this.escaped = false;
    let i = at + 1;
    for (;;) {
      // Plain characters first (the common case), then what ends or escapes the string.
      let c = source.charCodeAt(i);
      while (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) c = source.charCodeAt(++i);
      if (i >= length) this.failAtEnd(true);
      if (c === QUOTE) return i + 1;
      if (c === BACKSLASH) {
        this.escaped = true;
        if (i + 1 >= length) this.failAtEnd(true);
        const e = source.charCodeAt(i + 1);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) {
            if (i + k >= length) this.failAtEnd(true);
            if (!isHexDigit(source.charCodeAt(i + k)))
              this.fail('json-invalid-escape', i, { found: source.slice(i, i + k + 1) });
          }
          i += 6;
        } else if (
          e === QUOTE ||
          e === BACKSLASH ||
          e === 0x2f ||
          e === 0x62 ||
          e === 0x66 ||
          e === 0x6e ||
          e === 0x72 ||
          e === 0x74
        ) {
          i += 2;
        } else {
          this.fail('json-invalid-escape', i, { found: `\\${describeCharacter(source, i + 1)}` });
        }
      } else {
        this.fail('json-control-character', i, { found: describeCharacter(source, i) });
      }
    }
  }

  /** `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`; returns the index after the number. */
  private scanNumber(at: number): number {
    const source = this.source;
    let i = at;
    if (source.charCodeAt(i) === MINUS) i++;
    if (!isDigit(source.charCodeAt(i))) this.badNumber(i);
    if (source.charCodeAt(i) === DIGIT_0) {
      i++;
      if (isDigit(source.charCodeAt(i))) this.badNumber(i);
    } else {
      while (isDigit(source.charCodeAt(i))) i++;
    }
    if (source.charCodeAt(i) === DOT) {
      i++;
      if (!isDigit(source.charCodeAt(i))) this.badNumber(i);
      while (isDigit(source.charCodeAt(i))) i++;
    }
    if ((source.charCodeAt(i) | 0x20) === 0x65) {
      i++;
      const sign = source.charCodeAt(i);
      if (sign === PLUS || sign === MINUS) i++;
      if (!isDigit(source.charCodeAt(i))) this.badNumber(i);
      while (isDigit(source.charCodeAt(i))) i++;
    }
    return i;
  }

  private badNumber(at: number): never {
    if (at >= this.source.length) this.failAtEnd(false);
    this.fail('json-invalid-number', at, { found: describeCharacter(this.source, at) });
  }

  private scanLiteral(at: number, literal: string): number {
    const source = this.source;
    if (source.startsWith(literal, at)) return at + literal.length;
    let end = at;
    while (end < source.length && end - at < 20 && /[A-Za-z0-9]/.test(source[end])) end++;
    this.fail('json-invalid-literal', at, { found: source.slice(at, Math.max(end, at + 1)) });
  }
}

function lineColumn(source: string, position: number): JsonPosition {
  return new PositionCursor(source).at(position);
}

/** Line and column of increasing positions, counting lines once over the text. */
class PositionCursor {
  private offset = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly source: string) {}

  at(position: number): JsonPosition {
    if (position < this.offset) {
      this.offset = 0;
      this.line = 1;
      this.lineStart = 0;
    }
    const end = Math.min(position, this.source.length);
    for (let i = this.offset; i < end; i++) {
      if (this.source.charCodeAt(i) === LF) {
        this.line++;
        this.lineStart = i + 1;
      }
    }
    this.offset = end;
    return { line: this.line, column: position - this.lineStart + 1 };
  }
}

/**
 * Every expression of the (valid) text mapped to where it starts: a property's key, an array item's first
 * character, the root object's brace. A primitive's extension (`_birthDate`, `_given[1]`) shares the
 * expression of its value; the value's position wins, the extension's is kept when there is no value.
 */
function mapPositions(source: string, root: string): Map<string, JsonPosition> {
  const positions = new Map<string, JsonPosition>();
  const length = source.length;
  const paths: string[] = [];
  const kinds: number[] = [];
  const indices: number[] = [];
  /** Whether each open container is (inside) a primitive's extension. */
  const secondary: boolean[] = [];
  let line = 1;
  let lineStart = 0;
  let depth = 0;
  let i = 0;
  const skip = () => {
    while (i < length) {
      const c = source.charCodeAt(i);
      if (c === LF) {
        line++;
        lineStart = i + 1;
      } else if (c !== SPACE && c !== TAB && c !== CR) {
        break;
      }
      i++;
    }
  };
  const record = (expression: string, isSecondary: boolean, position: JsonPosition) => {
    if (!isSecondary || !positions.has(expression)) positions.set(expression, position);
  };
  const here = (): JsonPosition => ({ line, column: i - lineStart + 1 });
  /** Skips the string token at i; returns its decoded text when asked. */
  const string = (decode: boolean): string => {
    const start = i;
    let escaped = false;
    i++;
    for (;;) {
      const c = source.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        i += 2;
      } else {
        i++;
      }
    }
    i++;
    return decode ? stringAt(source, start + 1, i - 1, escaped) : '';
  };
  /** The property at i: records its key, moves past the colon, returns its expression. */
  const readKey = (): string => {
    const position = here();
    const name = string(true);
    const segment = propertySegment(name);
    const expression = `${paths[depth]}.${segment}`;
    valueIsSecondary = secondary[depth] || segment !== name;
    record(expression, valueIsSecondary, position);
    skip();
    i++;
    return expression;
  };
  const readItem = (): string => {
    const expression = `${paths[depth]}[${indices[depth]}]`;
    valueIsSecondary = secondary[depth];
    record(expression, valueIsSecondary, here());
    return expression;
  };
  // The expression of the value about to be read, and whether it belongs to a primitive's extension.
  let valueExpression = root;
  let valueIsSecondary = false;
  skip();
  if (i < length && source.charCodeAt(i) === OPEN_BRACE) record(root, false, here());
  for (;;) {
    skip();
    const c = source.charCodeAt(i);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      kinds[depth] = c === OPEN_BRACE ? OBJECT : ARRAY;
      paths[depth] = valueExpression;
      secondary[depth] = valueIsSecondary;
      indices[depth] = 0;
      i++;
      skip();
      const next = source.charCodeAt(i);
      if (next === CLOSE_BRACE || next === CLOSE_BRACKET) {
        depth--;
        i++;
      } else {
        valueExpression = kinds[depth] === OBJECT ? readKey() : readItem();
        continue;
      }
    } else if (c === QUOTE) {
      string(false);
    } else {
      while (i < length) {
        const d = source.charCodeAt(i);
        if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isWhitespace(d)) break;
        i++;
      }
    }
    for (;;) {
      skip();
      if (depth === 0) return positions;
      const d = source.charCodeAt(i);
      i++;
      if (d === COMMA) {
        skip();
        if (kinds[depth] === ARRAY) indices[depth]++;
        valueExpression = kinds[depth] === OBJECT ? readKey() : readItem();
        break;
      }
      depth--;
    }
  }
}
