import nodemailer from 'nodemailer';
import type { MailConfig } from './config.ts';
import { newId } from './crypto.ts';
import type { Db } from './db/index.ts';
import { enqueueJob, type JobHandler } from './jobs.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Puts a mail in the outbox, in the caller's transaction; the worker delivers it. */
export async function queueMail(trx: Db, mail: OutgoingMail): Promise<string> {
  const id = newId();
  await trx
    .insertInto('outbox_mails')
    .values({
      id,
      to_address: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
      status: 'pending',
      last_error: null,
      sent_at: null,
    })
    .execute();
  // One job per mail, ever: two jobs of one mail could otherwise run at once on two workers and both send.
  await enqueueJob(trx, 'mail.send', { id }, { maxAttempts: 8, dedupeKey: `mail.send:${id}` });
  return id;
}

/** What sends a mail: nodemailer's SMTP transport, or a stand-in in tests. */
export interface MailTransport {
  sendMail(mail: {
    from: string;
    to: string;
    subject: string;
    text: string;
    html?: string;
    messageId: string;
  }): Promise<unknown>;
}

/**
 * The Message-ID of an outbox mail: the same on every attempt, so that a mail sent again after a crash
 * between sending and recording it is recognised by receivers as the same message.
 */
export function outboxMessageId(outboxId: string, publicUrl?: string): string {
  let host = 'mesref';
  try {
    if (publicUrl) host = new URL(publicUrl).hostname || host;
  } catch {
    // A public URL that does not parse names no host: keep the default.
  }
  return `<${outboxId}@${host}>`;
}

/**
 * The worker's mail job: sends through SMTP, or, in the sandbox, keeps the mail for the mailbox page.
 * Never lost: the mail is in the outbox with the change that sent it, and a failed send is retried with the
 * job's backoff until its last attempt marks it `failed`. Never sent twice: one job per mail (its dedupe key),
 * a job never runs twice at once (leases), the row is read again before each send and a mail already `sent`
 * or `captured` is left alone, and the one window left (a crash after sending, before recording it) resends
 * with the same Message-ID.
 */
export function mailJobHandler(
  db: Db,
  config: MailConfig,
  options: { publicUrl?: string; transport?: MailTransport } = {},
): JobHandler {
  const transport: MailTransport | undefined =
    options.transport ??
    (config.transport === 'smtp' && config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined);
  return async (job) => {
    const id = String(job.payload.id);
    const mail = await db.selectFrom('outbox_mails').selectAll().where('id', '=', id).executeTakeFirst();
    if (mail?.status !== 'pending') return;
    if (!transport) {
      await db
        .updateTable('outbox_mails')
        .set({ status: 'captured', sent_at: new Date() })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
      return;
    }
    // Every attempt is counted before it is made, so a send cut short by a crash still shows.
    const claimed = await db
      .updateTable('outbox_mails')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return;
    try {
      await transport.sendMail({
        from: config.from,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        html: mail.html_body ?? undefined,
        messageId: outboxMessageId(mail.id, options.publicUrl),
      });
    } catch (error) {
      await db
        .updateTable('outbox_mails')
        .set({
          last_error: (error as Error).message.slice(0, 500),
          // The job will not try again: the outbox says so rather than staying pending for ever.
          ...(job.attempts >= job.maxAttempts ? { status: 'failed' as const } : {}),
        })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .execute();
      throw error;
    }
    await db
      .updateTable('outbox_mails')
      .set({ status: 'sent', sent_at: new Date() })
      .where('id', '=', id)
      .execute();
  };
}

export interface CapturedMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  status: string;
  createdAt: Date;
}

/** The sandbox mailbox: latest mail, newest first. */
export async function listMail(db: Db, limit = 50): Promise<CapturedMail[]> {
  const rows = await db
    .selectFrom('outbox_mails')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    to: r.to_address,
    subject: r.subject,
    text: r.text_body,
    status: r.status,
    createdAt: new Date(r.created_at),
  }));
}
