import { type RawBuilder, type Selectable, sql } from 'kysely';
import { type Db, prepared } from '../platform/db/index.ts';
import type { AuditEventTable } from '../platform/db/schema.ts';
import {
  type AuditEventInput,
  type AuditLink,
  CHAIN_START,
  type ChainBreak,
  type ChainCursor,
  chainOf,
  GENESIS_HASH,
  headMatches,
  linkBodyAround,
  verifyLinks,
} from './model.ts';

/**
 * Appends an event to its chain, in one statement: the chain's head advances (`insert … on conflict do
 * update`, which creates it or locks it), the new link's hash is computed in SQL from the head's hash, and the
 * event row is written with both. Call it with the transaction of the change it records, so both are committed
 * together or not at all; alone, the statement is atomic by itself. Only writers of the same chain wait for one
 * another (the head's row lock), and only until their transaction ends.
 *
 * The hash is `hashLink`'s: SHA-256 of the previous hash, a line feed, and the canonical JSON of the link, whose
 * `seq` the statement fills in (`verifyLinks` recomputes it in JavaScript, so both must agree byte for byte).
 */
export async function appendAuditEvent(
  trx: Db,
  event: AuditEventInput,
): Promise<{ chain: string; seq: number; hash: string }> {
  const append = auditAppendCtes(event);
  const result = await sql<{ seq: number; hash: string }>`${prepared}
    with ${append.ctes} select seq, hash from ${sql.ref(append.event)}`.execute(trx);
  const row = result.rows[0];
  if (!row) throw new Error(`the audit chain ${append.chain} did not advance`);
  return { chain: append.chain, seq: Number(row.seq), hash: row.hash };
}

/**
 * `appendAuditEvent` as common table expressions, for a use case that writes its change and its event in one
 * statement: `with <its CTEs>, ${ctes} <its final query>`. The event is appended only when `onlyIf` (a SQL
 * condition over the statement's other CTEs) holds; the CTE named `event` returns its `seq` and `hash`.
 */
export function auditAppendCtes(
  event: AuditEventInput,
  options: { onlyIf?: RawBuilder<unknown>; prefix?: string } = {},
): { chain: string; event: string; ctes: RawBuilder<unknown> } {
  const chain = chainOf(event);
  const link: Omit<AuditLink, 'seq' | 'prevHash'> = {
    chain,
    at: new Date(),
    actorType: event.actorType,
    actorId: event.actorId ?? null,
    action: event.action,
    subjectType: event.subjectType ?? null,
    subjectId: event.subjectId ?? null,
    data: event.data ?? {},
  };
  const [prefix, suffix] = linkBodyAround(link);
  const name = options.prefix ?? 'audit';
  const head = sql.ref(`${name}_head`);
  const written = `${name}_event`;
  const condition = options.onlyIf ?? sql`true`;
  const ctes = sql`${head} as (
      insert into audit_chain_heads as h (chain, seq, hash, prev_hash)
      select ${chain}, 1,
        encode(sha256(convert_to(${GENESIS_HASH} || chr(10) || ${prefix} || '1' || ${suffix}, 'UTF8')), 'hex'),
        ${GENESIS_HASH}
      where ${condition}
      on conflict (chain) do update set
        seq = h.seq + 1,
        prev_hash = h.hash,
        hash = encode(
          sha256(convert_to(h.hash || chr(10) || ${prefix} || (h.seq + 1)::text || ${suffix}, 'UTF8')),
          'hex'
        )
      returning h.seq, h.hash, h.prev_hash
    ), ${sql.ref(written)} as (
      insert into audit_events
        (chain, seq, at, actor_type, actor_id, action, subject_type, subject_id, data, prev_hash, hash)
      select ${chain}, ${head}.seq, ${link.at}, ${link.actorType}, ${link.actorId}, ${link.action},
        ${link.subjectType}, ${link.subjectId}, cast(${JSON.stringify(link.data)} as jsonb), ${head}.prev_hash,
        ${head}.hash
      from ${head}
      returning seq, hash
    )`;
  return { chain, event: written, ctes };
}

export interface VerifyResult {
  chains: number;
  events: number;
  firstBreak?: ChainBreak;
}

/** Events are read this many at a time, so a long chain never sits in memory whole. */
const VERIFY_PAGE = 1000;

/**
 * Walks every chain and names the first broken link. It reads one snapshot of the whole log (a repeatable
 * read transaction), so events appended while it runs are neither half-seen nor mistaken for tampering.
 */
export async function verifyAuditLog(db: Db): Promise<VerifyResult> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const heads = await trx.selectFrom('audit_chain_heads').selectAll().orderBy('chain').execute();
      const known = new Set(heads.map((h) => h.chain));
      const eventChains = await trx.selectFrom('audit_events').select('chain').distinct().execute();
      const orphan = eventChains.map((r) => r.chain).find((chain) => !known.has(chain));
      if (orphan !== undefined) {
        return {
          chains: heads.length,
          events: 0,
          firstBreak: { chain: orphan, seq: 1, problem: 'head_mismatch' },
        };
      }
      let events = 0;
      for (const head of heads) {
        let cursor: ChainCursor = CHAIN_START;
        for (;;) {
          const rows = await trx
            .selectFrom('audit_events')
            .selectAll()
            .where('chain', '=', head.chain)
            .where('seq', '>=', cursor.nextSeq)
            .orderBy('seq')
            .limit(VERIFY_PAGE)
            .execute();
          events += rows.length;
          const result = verifyLinks(rows.map(toLink), cursor);
          if ('broken' in result) return { chains: heads.length, events, firstBreak: result.broken };
          cursor = result.cursor;
          if (rows.length < VERIFY_PAGE) break;
        }
        if (!headMatches(cursor, { seq: Number(head.seq), hash: head.hash })) {
          return {
            chains: heads.length,
            events,
            firstBreak: { chain: head.chain, seq: Number(head.seq), problem: 'head_mismatch' },
          };
        }
      }
      return { chains: heads.length, events };
    });
}

function toLink(r: Selectable<AuditEventTable>): AuditLink & { hash: string } {
  return {
    chain: r.chain,
    seq: Number(r.seq),
    at: new Date(r.at),
    actorType: r.actor_type,
    actorId: r.actor_id,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    data: r.data as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface AuditEventView {
  chain: string;
  seq: number;
  at: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  data: Record<string, unknown>;
}

/** Latest events, optionally of one subject or one actor (for the admin console and activity pages). */
export async function listAuditEvents(
  db: Db,
  filter: { subjectType?: string; subjectId?: string; actorId?: string; limit?: number } = {},
): Promise<AuditEventView[]> {
  let query = db.selectFrom('audit_events').selectAll();
  if (filter.subjectType) query = query.where('subject_type', '=', filter.subjectType);
  if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  const rows = await query
    .orderBy('at', 'desc')
    .orderBy(sql`seq`, 'desc')
    .limit(filter.limit ?? 100)
    .execute();
  return rows.map((r) => ({
    chain: r.chain,
    seq: Number(r.seq),
    at: new Date(r.at),
    actorType: r.actor_type,
    actorId: r.actor_id,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    data: r.data as Record<string, unknown>,
  }));
}
