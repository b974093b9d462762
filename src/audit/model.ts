import { createHash } from 'node:crypto';

/** The first link of every chain points at this. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEventInput {
  /** The chain the event joins; unrelated chains never wait for one another. Default: its subject's. */
  chain?: string;
  actorType: 'account' | 'citizen' | 'system' | 'client' | 'anonymous';
  actorId?: string | null;
  action: string;
  subjectType?: string | null;
  subjectId?: string | null;
  /** What changed. Never secrets, never health data. */
  data?: Record<string, unknown>;
}

export interface AuditLink {
  chain: string;
  seq: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  data: Record<string, unknown>;
  prevHash: string;
}

export function chainOf(event: AuditEventInput): string {
  if (event.chain) return event.chain;
  if (event.subjectType && event.subjectId) return `${event.subjectType}:${event.subjectId}`;
  return 'platform';
}

/** JSON with object keys sorted at every depth, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The object whose canonical JSON a link's hash covers. */
function hashedFields(link: Omit<AuditLink, 'prevHash' | 'seq'> & { seq: number | string }) {
  return {
    chain: link.chain,
    seq: link.seq,
    at: link.at.toISOString(),
    actorType: link.actorType,
    actorId: link.actorId,
    action: link.action,
    subjectType: link.subjectType,
    subjectId: link.subjectId,
    data: link.data,
  };
}

export function hashLink(link: AuditLink): string {
  const body = canonicalJson(hashedFields(link));
  return createHash('sha256').update(link.prevHash).update('\n').update(body).digest('hex');
}

/**
 * The canonical JSON of a link whose `seq` is not known yet, as the text before and the text after its value:
 * the store fills the seq in when the chain's head gives it (in SQL, in the same statement).
 */
export function linkBodyAround(link: Omit<AuditLink, 'prevHash' | 'seq'>): [string, string] {
  const body = canonicalJson(hashedFields({ ...link, seq: -1 }));
  // The top-level seq is the last `"seq":` key: only subjectId and subjectType, two scalars, sort after it, and
  // a quote inside a JSON string is always escaped, so no string value holds this text.
  const at = body.lastIndexOf(SEQ_MARK) + SEQ_MARK.length - 2;
  return [body.slice(0, at), body.slice(at + 2)];
}

const SEQ_MARK = '"seq":-1';

export interface ChainBreak {
  chain: string;
  seq: number;
  problem: 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'head_mismatch';
}

/** Where a chain's verification stands: the hash the next link must point at, and its expected seq. */
export interface ChainCursor {
  prevHash: string;
  nextSeq: number;
}

export const CHAIN_START: ChainCursor = { prevHash: GENESIS_HASH, nextSeq: 1 };

/**
 * Checks a run of one chain's links in order, starting from `from` (the chain's start by default), so a
 * long chain can be checked page by page. Returns the first broken link, or where the next page starts.
 */
export function verifyLinks(
  links: Array<AuditLink & { hash: string }>,
  from: ChainCursor = CHAIN_START,
): { broken: ChainBreak } | { cursor: ChainCursor } {
  let prev = from.prevHash;
  let expectedSeq = from.nextSeq;
  for (const link of links) {
    if (link.seq !== expectedSeq)
      return { broken: { chain: link.chain, seq: expectedSeq, problem: 'sequence_gap' } };
    if (link.prevHash !== prev)
      return { broken: { chain: link.chain, seq: link.seq, problem: 'prev_hash_mismatch' } };
    if (hashLink(link) !== link.hash)
      return { broken: { chain: link.chain, seq: link.seq, problem: 'hash_mismatch' } };
    prev = link.hash;
    expectedSeq++;
  }
  return { cursor: { prevHash: prev, nextSeq: expectedSeq } };
}

/** True when the chain's recorded head is where the verified links end. */
export function headMatches(cursor: ChainCursor, head: { seq: number; hash: string }): boolean {
  return head.seq === cursor.nextSeq - 1 && head.hash === cursor.prevHash;
}

/** Checks one chain's links in order; returns the first broken link, if any. */
export function verifyChain(
  links: Array<AuditLink & { hash: string }>,
  head?: { chain?: string; seq: number; hash: string },
): ChainBreak | undefined {
  const result = verifyLinks(links);
  if ('broken' in result) return result.broken;
  if (head && !headMatches(result.cursor, head)) {
    return { chain: head.chain ?? links[0]?.chain ?? '', seq: head.seq, problem: 'head_mismatch' };
  }
  return undefined;
}
