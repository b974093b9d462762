import { type Kysely, sql } from 'kysely';

/**
 * The audit log is append-only in the database itself: an event is never updated or deleted, and a chain's
 * head only moves forward one link at a time. The hash chain still detects a change made by someone who
 * disables these triggers (a table owner); the triggers stop every ordinary path that would make one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function audit_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'le journal d''audit n''accepte que des ajouts (% sur % refusé)', tg_op, tg_table_name
        using errcode = 'insufficient_privilege';
    end
    $$;

    create trigger audit_events_append_only before update or delete on audit_events
      for each row execute function audit_refuse_change();
    create trigger audit_events_no_truncate before truncate on audit_events
      for each statement execute function audit_refuse_change();

    create function audit_head_forward_only() returns trigger language plpgsql as $$
    begin
      if new.chain <> old.chain or new.seq <> old.seq + 1 then
        raise exception 'la tête de la chaîne d''audit % ne peut qu''avancer d''un maillon', old.chain
          using errcode = 'insufficient_privilege';
      end if;
      return new;
    end
    $$;

    create trigger audit_chain_heads_forward_only before update on audit_chain_heads
      for each row execute function audit_head_forward_only();
    create trigger audit_chain_heads_no_delete before delete on audit_chain_heads
      for each row execute function audit_refuse_change();
    create trigger audit_chain_heads_no_truncate before truncate on audit_chain_heads
      for each statement execute function audit_refuse_change();
  `.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('migrations are forward-only');
}
