import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { freshDatabase } from '../../test/helpers.ts';
import type { MailConfig } from './config.ts';
import type { DatabaseHandle, Db } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { enqueueJob, Worker } from './jobs.ts';
import { listMail, type MailTransport, mailJobHandler, outboxMessageId, queueMail } from './mail.ts';

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Just enough of an SMTP server to accept mail, keeping each message's raw data. */
async function fakeSmtp(): Promise<{ port: number; messages: string[]; server: Server }> {
  const messages: string[] = [];
  const server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    let data = '';
    socket.write('220 fake ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let eol = buffer.indexOf('\r\n'); eol >= 0; eol = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(data);
            data = '';
            socket.write('250 queued\r\n');
          } else data += `${line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 fake\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, messages, server };
}

const mail = {
  to: 'editeur@exemple.test',
  subject: 'Votre dossier',
  text: 'Bonjour,\nvotre dossier avance.',
};

async function outboxRow(db: Db, id: string) {
  return db.selectFrom('outbox_mails').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function mailJob(db: Db, id: string) {
  return db
    .selectFrom('jobs')
    .selectAll()
    .where('kind', '=', 'mail.send')
    .where(sql`payload->>'id'`, '=', id)
    .executeTakeFirstOrThrow();
}

describe('mail outbox', () => {
  let handle: DatabaseHandle;
  let db: Db;
  before(async () => {
    handle = await freshDatabase();
    db = handle.db;
    await migrateToLatest(db);
  });
  after(() => handle.close());

  const workerFor = (config: MailConfig) =>
    new Worker({ db, handlers: { 'mail.send': mailJobHandler(db, config) }, batch: 20 });

  it('queues nothing when the transaction that sends the mail rolls back', async () => {
    let id = '';
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        id = await queueMail(trx, mail);
        throw new Error('the change fails');
      }),
    );
    assert.equal(
      await db.selectFrom('outbox_mails').select('id').where('id', '=', id).executeTakeFirst(),
      undefined,
    );
    const jobs = await db.selectFrom('jobs').select('id').where(sql`payload->>'id'`, '=', id).execute();
    assert.equal(jobs.length, 0);
  });

  it('keeps mail for the sandbox mailbox in capture mode', async () => {
    const id = await db.transaction().execute((trx) => queueMail(trx, mail));
    assert.equal((await outboxRow(db, id)).status, 'pending');
    await workerFor({ transport: 'capture', from: 'mesref <no-reply@localhost>' }).runOnce();
    const row = await outboxRow(db, id);
    assert.equal(row.status, 'captured');
    assert.ok(row.sent_at);
    assert.equal((await mailJob(db, id)).status, 'done');
    const mailbox = await listMail(db);
    assert.deepEqual(
      mailbox.filter((m) => m.id === id).map((m) => [m.to, m.subject, m.text, m.status]),
      [[mail.to, mail.subject, mail.text, 'captured']],
    );
  });

  it('sends through SMTP and marks the mail sent', async () => {
    const smtp = await fakeSmtp();
    try {
      const id = await queueMail(db, { ...mail, subject: 'Envoi SMTP' });
      await workerFor({
        transport: 'smtp',
        smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
        from: 'mesref <no-reply@exemple.test>',
      }).runOnce();
      const row = await outboxRow(db, id);
      assert.equal(row.status, 'sent');
      assert.equal(smtp.messages.length, 1);
      assert.match(smtp.messages[0], /Subject: Envoi SMTP/);
      assert.match(smtp.messages[0], /To: editeur@exemple\.test/);
      assert.equal((await mailJob(db, id)).status, 'done');
    } finally {
      smtp.server.close();
    }
  });

  it('retries when the SMTP server is unreachable, records the error, and gives up after the last attempt', async () => {
    const port = await closedPort();
    const worker = workerFor({
      transport: 'smtp',
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'x <x@exemple.test>',
    });
    const id = await queueMail(db, { ...mail, subject: 'Injoignable' });

    await worker.runOnce();
    let row = await outboxRow(db, id);
    let job = await mailJob(db, id);
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? '', /ECONNREFUSED/);
    assert.equal(job.status, 'queued', 'the job will be tried again');
    assert.equal(job.attempts, 1);
    assert.match(job.last_error ?? '', /ECONNREFUSED/);
    assert.ok(new Date(job.run_at).getTime() > Date.now(), 'after a backoff');

    // The last allowed attempt: the mail is then marked failed, not left pending for ever.
    await db
      .updateTable('jobs')
      .set({ max_attempts: 2, run_at: sql`now() - interval '1 second'` })
      .where('id', '=', job.id)
      .execute();
    await worker.runOnce();
    row = await outboxRow(db, id);
    job = await mailJob(db, id);
    assert.equal(job.status, 'failed');
    assert.equal(job.attempts, 2);
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 2);
    assert.match(row.last_error ?? '', /ECONNREFUSED/);
  });
});

describe('mail delivery: never lost, never sent twice', () => {
  let handle: DatabaseHandle;
  let db: Db;
  before(async () => {
    handle = await freshDatabase();
    db = handle.db;
    await migrateToLatest(db);
  });
  after(() => handle.close());

  const smtpConfig: MailConfig = {
    transport: 'smtp',
    smtpUrl: 'smtp://unused',
    from: 'mesref <no-reply@exemple.test>',
  };
  const publicUrl = 'https://referencement.exemple.test';

  /** A transport that fails its first `failures` sends, then delivers; it keeps every call. */
  function flakyTransport(failures: number) {
    const calls: Array<{ to: string; subject: string; messageId: string }> = [];
    const delivered: typeof calls = [];
    const transport: MailTransport = {
      async sendMail(message) {
        calls.push(message);
        if (calls.length <= failures) throw new Error(`451 try again later (${calls.length})`);
        delivered.push(message);
        return { messageId: message.messageId };
      },
    };
    return { transport, calls, delivered };
  }

  /** Makes the mail's queued job due now (instead of after its backoff). */
  async function dueNow(id: string) {
    await db
      .updateTable('jobs')
      .set({ run_at: sql`now() - interval '1 second'` })
      .where(sql`payload->>'id'`, '=', id)
      .where('status', '=', 'queued')
      .execute();
  }

  it('retries a failing transport and delivers once, with one Message-ID on every attempt', async () => {
    const flaky = flakyTransport(2);
    const worker = new Worker({
      db,
      handlers: { 'mail.send': mailJobHandler(db, smtpConfig, { publicUrl, transport: flaky.transport }) },
    });
    const id = await db.transaction().execute((trx) => queueMail(trx, { ...mail, subject: 'Trois essais' }));

    await worker.runOnce();
    let row = await outboxRow(db, id);
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error ?? '', /451 try again later \(1\)/);
    await dueNow(id);
    await worker.runOnce();
    assert.equal((await outboxRow(db, id)).attempts, 2);
    await dueNow(id);
    await worker.runOnce();
    await dueNow(id);
    await worker.runOnce(); // nothing left to do

    row = await outboxRow(db, id);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 3, 'every attempt counted');
    assert.ok(row.sent_at);
    const job = await mailJob(db, id);
    assert.equal(job.status, 'done');
    assert.equal(job.attempts, 3);
    assert.equal(flaky.calls.length, 3);
    assert.equal(flaky.delivered.length, 1, 'one delivery');
    assert.deepEqual(
      [...new Set(flaky.calls.map((c) => c.messageId))],
      [`<${id}@referencement.exemple.test>`],
    );
  });

  it('queues one job per mail, and a duplicate job of a mail sends nothing more', async () => {
    const flaky = flakyTransport(0);
    const handler = mailJobHandler(db, smtpConfig, { publicUrl, transport: flaky.transport });
    const worker = new Worker({ db, handlers: { 'mail.send': handler } });
    const id = await queueMail(db, { ...mail, subject: 'Une fois' });
    const jobs = await db.selectFrom('jobs').select('id').where(sql`payload->>'id'`, '=', id).execute();
    assert.equal(jobs.length, 1, 'one job per mail');

    // A second job for the same mail (as an older release or a hand-made retry could leave) runs in the
    // same batch after the first: it finds the mail sent.
    await enqueueJob(db, 'mail.send', { id });
    assert.equal(await worker.runOnce(), 2);
    // And the same job run again (its worker lost after sending) finds it sent too.
    await handler({ id: jobs[0].id, kind: 'mail.send', payload: { id }, attempts: 2, maxAttempts: 8 });

    assert.equal(flaky.delivered.length, 1, 'one delivery');
    const row = await outboxRow(db, id);
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 1);
  });

  it('sends again with the same Message-ID when a crash lost the record of a send', async () => {
    const flaky = flakyTransport(0);
    const handler = mailJobHandler(db, smtpConfig, { publicUrl, transport: flaky.transport });
    const id = await queueMail(db, { ...mail, subject: 'Après une panne' });
    const job = { id: 0, kind: 'mail.send', payload: { id }, attempts: 1, maxAttempts: 8 };
    await handler(job);
    // The process died between the send and its record: the row still says pending.
    await db
      .updateTable('outbox_mails')
      .set({ status: 'pending', sent_at: null })
      .where('id', '=', id)
      .execute();
    await handler({ ...job, attempts: 2 });
    assert.equal(flaky.delivered.length, 2);
    assert.equal(flaky.delivered[0].messageId, flaky.delivered[1].messageId);
    assert.equal(flaky.delivered[0].messageId, outboxMessageId(id, publicUrl));
    assert.equal((await outboxRow(db, id)).status, 'sent');
  });

  it("names the Message-ID after the public URL's host on the wire (mesref without one)", async () => {
    assert.equal(outboxMessageId('abc'), '<abc@mesref>');
    assert.equal(outboxMessageId('abc', 'http://localhost:3000'), '<abc@localhost>');
    const smtp = await fakeSmtp();
    try {
      const id = await queueMail(db, { ...mail, subject: 'Identifiant stable' });
      await new Worker({
        db,
        handlers: {
          'mail.send': mailJobHandler(
            db,
            { transport: 'smtp', smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'x <x@exemple.test>' },
            { publicUrl },
          ),
        },
      }).runOnce();
      assert.equal((await outboxRow(db, id)).status, 'sent');
      const raw = smtp.messages.find((m) => m.includes('Subject: Identifiant stable')) ?? '';
      assert.match(raw, new RegExp(`Message-ID:\\s+<${id}@referencement\\.exemple\\.test>`, 'i'));
    } finally {
      smtp.server.close();
    }
  });
});
