import { type Selectable, sql } from 'kysely';
import type { Db } from '../platform/db/index.ts';
import type { AuditEventTable } from '../platform/db/schema.ts';
import {
  type AuditEventInput,
  type AuditLink,
  CHAIN_START,
  type ChainBreak,
  type ChainCursor,
  chainOf,
  GENESIS_HASH,
  hashLink,
  headMatches,
  verifyLinks,
} from './model.ts';

/**
 * Appends an event to its chain. Call it with the transaction of the change it records, so both are
 * committed together or not at all. Only writers of the same chain wait for one another (row lock on the head).
 */
export async function appendAuditEvent(
  trx: Db,
  event: AuditEventInput,
): Promise<{ chain: string; seq: number; hash: string }> {
  const chain = chainOf(event);
  await trx
    .insertInto('audit_chain_heads')
    .values({ chain, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column('chain').doNothing())
    .execute();
  const head = await trx
    .selectFrom('audit_chain_heads')
    .select(['seq', 'hash'])
    .where('chain', '=', chain)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const link: AuditLink = {
    chain,
    seq: Number(head.seq) + 1,
    at: new Date(),
    actorType: event.actorType,
    actorId: event.actorId ?? null,
    action: event.action,
    subjectType: event.subjectType ?? null,
    subjectId: event.subjectId ?? null,
    data: event.data ?? {},
    prevHash: head.hash,
  };
  const hash = hashLink(link);
  await trx
    .insertInto('audit_events')
    .values({
      chain,
      seq: link.seq,
      at: link.at,
      actor_type: event.actorType,
      actor_id: link.actorId,
      action: link.action,
      subject_type: link.subjectType,
      subject_id: link.subjectId,
      data: JSON.stringify(link.data),
      prev_hash: link.prevHash,
      hash,
    })
    .execute();
  await trx
    .updateTable('audit_chain_heads')
    .set({ seq: link.seq, hash })
    .where('chain', '=', chain)
    .execute();
  return { chain, seq: link.seq, hash };
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
