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
  await enqueueJob(trx, 'mail.send', { id }, { maxAttempts: 8 });
  return id;
}

/** The worker's mail job: sends through SMTP, or, in the sandbox, keeps the mail for the mailbox page. */
export function mailJobHandler(db: Db, config: MailConfig): JobHandler {
  const transport =
    config.transport === 'smtp' && config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : undefined;
  return async (job) => {
    const id = String(job.payload.id);
    const mail = await db.selectFrom('outbox_mails').selectAll().where('id', '=', id).executeTakeFirst();
    if (!mail || mail.status === 'sent' || mail.status === 'captured') return;
    if (!transport) {
      await db
        .updateTable('outbox_mails')
        .set({ status: 'captured', sent_at: new Date() })
        .where('id', '=', id)
        .execute();
      return;
    }
    try {
      await transport.sendMail({
        from: config.from,
        to: mail.to_address,
        subject: mail.subject,
        text: mail.text_body,
        html: mail.html_body ?? undefined,
      });
      await db
        .updateTable('outbox_mails')
        .set({ status: 'sent', sent_at: new Date() })
        .where('id', '=', id)
        .execute();
    } catch (error) {
      await db
        .updateTable('outbox_mails')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: (error as Error).message.slice(0, 500),
          // The job will not try again: the outbox says so rather than staying pending for ever.
          ...(job.attempts >= job.maxAttempts ? { status: 'failed' as const } : {}),
        }))
        .where('id', '=', id)
        .execute();
      throw error;
    }
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
