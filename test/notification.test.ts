/**
 * Notifications: the notifier other modules call in their transactions (recipients resolved and
 * de-duplicated, mail through the outbox in each account's language, nothing written on rollback), and the
 * inbox a person reads through the API and the « Notifications » page (their own only, in French and English).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { catalog } from '../src/app.ts';
import { API_TOKEN_PREFIX } from '../src/identity/sessions.ts';
import { insertApiToken } from '../src/identity/store.ts';
import { createNotifier, type NotificationInput } from '../src/notification/index.ts';
import { newId, randomToken, sha256 } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/index.ts';
import {
  CSRF,
  createAccount,
  createCitizen,
  createOrganisation,
  sessionCookie,
  startTestApp,
  type TestAccount,
  type TestApp,
} from './helpers.ts';

/**
 * The kinds these tests send. The modules that notify bring their own messages; here they are added to the
 * app's catalog before the app is built, so that pages and API render them like any other.
 */
const TEST_KINDS = {
  'test.notify.submitted.subject': {
    fr: 'Dossier {number} déposé',
    en: 'File {number} submitted',
  },
  'test.notify.submitted.body': {
    fr: 'Le dossier {number} de {service} a été déposé.',
    en: 'File {number} of {service} was submitted.',
  },
  'test.notify.ping.subject': { fr: 'Message {n}', en: 'Message {n}' },
  'test.notify.ping.body': { fr: 'Bonjour numéro {n}', en: 'Hello number {n}' },
};
Object.assign(catalog, TEST_KINDS);

const PUBLIC_URL = 'https://referencement.exemple.test';

async function inboxRows(db: Db, kind?: string) {
  let query = db.selectFrom('notifications').selectAll();
  if (kind) query = query.where('kind', '=', kind);
  return query.execute();
}

async function mailsTo(db: Db, addresses: string[]) {
  if (addresses.length === 0) return [];
  return db.selectFrom('outbox_mails').selectAll().where('to_address', 'in', addresses).execute();
}

async function apiToken(db: Db, accountId: string, organisationId: string): Promise<string> {
  const token = `${API_TOKEN_PREFIX}${randomToken()}`;
  await insertApiToken(db, {
    id: newId(),
    accountId,
    organisationId,
    name: 'CI',
    tokenHash: sha256(token),
    prefix: token.slice(0, 16),
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return token;
}

describe('notifier', () => {
  let t: TestApp;
  let orgId: string;
  let otherOrgId: string;
  let mandataire: TestAccount;
  let salarie: TestAccount;
  let disabledMember: TestAccount;
  let outsider: TestAccount;
  let instructeur: TestAccount;
  let instructeurAndMember: TestAccount;
  let admin: TestAccount;
  let citizenId: string;
  const notifier = createNotifier({ ...catalog, ...TEST_KINDS }, PUBLIC_URL);

  before(async () => {
    t = await startTestApp({ MESREF_PUBLIC_URL: PUBLIC_URL });
    orgId = await createOrganisation(t.db, 'Éditeur A');
    otherOrgId = await createOrganisation(t.db, 'Éditeur B');
    mandataire = await createAccount(t.db, { organisation: { id: orgId, role: 'mandataire' } });
    salarie = await createAccount(t.db, { organisation: { id: orgId, role: 'salarie' } });
    disabledMember = await createAccount(t.db, { organisation: { id: orgId, role: 'salarie' } });
    await t.db
      .updateTable('accounts')
      .set({ disabled_at: new Date() })
      .where('id', '=', disabledMember.accountId)
      .execute();
    outsider = await createAccount(t.db, { organisation: { id: otherOrgId, role: 'mandataire' } });
    instructeur = await createAccount(t.db, { staff: ['instructeur'] });
    // Both an instructor and a member of the organisation: named twice, notified once.
    instructeurAndMember = await createAccount(t.db, {
      staff: ['instructeur'],
      organisation: { id: orgId, role: 'representant' },
    });
    await t.db
      .updateTable('accounts')
      .set({ locale: 'en' })
      .where('id', '=', instructeurAndMember.accountId)
      .execute();
    admin = await createAccount(t.db, { staff: ['admin'] });
    citizenId = await createCitizen(t.db);
  });
  after(() => t.stop());

  const submitted = (recipients: NotificationInput['recipients']): NotificationInput => ({
    recipients,
    kind: 'test.notify.submitted',
    params: { number: 'EVAL-2026-0042', service: 'Rendez-vous Web' },
    link: '/editeur/dossiers/42',
  });

  it('writes one inbox row per person, however often named, and one mail per account in its language', async () => {
    const written = await t.db
      .transaction()
      .execute((trx) =>
        notifier.notify(
          trx,
          submitted([
            { organisationId: orgId },
            { staffRole: 'instructeur' },
            { accountId: mandataire.accountId },
            { accountId: instructeurAndMember.accountId },
            { citizenId },
            { citizenId },
          ]),
        ),
      );
    const rows = await inboxRows(t.db, 'test.notify.submitted');
    const accounts = rows.map((r) => r.recipient_account_id).filter((id) => id !== null);
    const expected = [mandataire, salarie, instructeur, instructeurAndMember].map((a) => a.accountId);
    assert.deepEqual([...accounts].sort(), [...expected].sort());
    assert.deepEqual(
      rows.filter((r) => r.recipient_citizen_id !== null).map((r) => r.recipient_citizen_id),
      [citizenId],
    );
    assert.equal(written, 5);
    assert.equal(rows.length, 5);
    for (const row of rows) {
      assert.deepEqual(row.params, { number: 'EVAL-2026-0042', service: 'Rendez-vous Web' });
      assert.equal(row.link, '/editeur/dossiers/42');
      assert.equal(row.read_at, null);
    }
    // Neither the disabled member, nor the other organisation, nor staff of another role.
    for (const nobody of [disabledMember, outsider, admin])
      assert.ok(!accounts.includes(nobody.accountId), nobody.email);

    const mails = await mailsTo(
      t.db,
      [mandataire, salarie, instructeur, instructeurAndMember, disabledMember, outsider, admin].map(
        (a) => a.email,
      ),
    );
    assert.deepEqual(
      mails.map((m) => m.to_address).sort(),
      [mandataire, salarie, instructeur, instructeurAndMember].map((a) => a.email).sort(),
    );
    const french = mails.find((m) => m.to_address === mandataire.email);
    assert.equal(french?.subject, 'Dossier EVAL-2026-0042 déposé');
    assert.match(french?.text_body ?? '', /^Le dossier EVAL-2026-0042 de Rendez-vous Web a été déposé\./);
    assert.match(
      french?.text_body ?? '',
      /Pour le consulter : https:\/\/referencement\.exemple\.test\/editeur\/dossiers\/42/,
    );
    assert.match(french?.text_body ?? '', /https:\/\/referencement\.exemple\.test\/notifications/);
    const english = mails.find((m) => m.to_address === instructeurAndMember.email);
    assert.equal(english?.subject, 'File EVAL-2026-0042 submitted');
    assert.match(english?.text_body ?? '', /^File EVAL-2026-0042 of Rendez-vous Web was submitted\./);
    assert.match(
      english?.text_body ?? '',
      /To see it: https:\/\/referencement\.exemple\.test\/editeur\/dossiers\/42/,
    );
    // Each mail is delivered by its own job.
    const jobs = await t.db
      .selectFrom('jobs')
      .select(sql<string>`payload->>'id'`.as('mail'))
      .where('kind', '=', 'mail.send')
      .execute();
    for (const m of mails) assert.ok(jobs.some((j) => j.mail === m.id));
  });

  it('notifies only the organisation roles named', async () => {
    await t.db.transaction().execute((trx) =>
      notifier.notify(trx, {
        recipients: [{ organisationId: orgId, roles: ['mandataire', 'representant'] }],
        kind: 'test.notify.ping',
        params: { n: 1 },
      }),
    );
    const rows = await inboxRows(t.db, 'test.notify.ping');
    assert.deepEqual(
      rows.map((r) => r.recipient_account_id).sort(),
      [mandataire.accountId, instructeurAndMember.accountId].sort(),
    );
    assert.equal(rows[0].link, null);
    await t.db.deleteFrom('notifications').where('kind', '=', 'test.notify.ping').execute();
  });

  it('sends no mail when told not to, and none ever to a citizen', async () => {
    const before = (await t.db.selectFrom('outbox_mails').select('id').execute()).length;
    const written = await t.db
      .transaction()
      .execute((trx) =>
        notifier.notify(trx, { ...submitted([{ accountId: salarie.accountId }]), email: false }),
      );
    const citizenOnly = await t.db
      .transaction()
      .execute((trx) => notifier.notify(trx, submitted([{ citizenId }])));
    assert.equal(written, 1);
    assert.equal(citizenOnly, 1);
    assert.equal((await t.db.selectFrom('outbox_mails').select('id').execute()).length, before);
  });

  it('writes neither inbox rows nor mail when the change rolls back', async () => {
    const rowsBefore = (await inboxRows(t.db)).length;
    const mailsBefore = (await t.db.selectFrom('outbox_mails').select('id').execute()).length;
    await assert.rejects(
      t.db.transaction().execute(async (trx) => {
        const n = await notifier.notify(trx, submitted([{ organisationId: orgId }, { citizenId }]));
        assert.equal(n, 4);
        throw new Error('the change fails');
      }),
      /the change fails/,
    );
    assert.equal((await inboxRows(t.db)).length, rowsBefore);
    assert.equal((await t.db.selectFrom('outbox_mails').select('id').execute()).length, mailsBefore);
  });

  it('throws on a kind the catalog lacks, or a link that is not a path of the site, and writes nothing', async () => {
    const rowsBefore = (await inboxRows(t.db)).length;
    await assert.rejects(
      t.db
        .transaction()
        .execute((trx) =>
          notifier.notify(trx, { recipients: [{ accountId: salarie.accountId }], kind: 'test.notify.nope' }),
        ),
      /unknown notification kind test\.notify\.nope/,
    );
    // A subject without its body is just as unknown.
    const halfCatalog = createNotifier({ 'test.half.subject': { fr: 'Sujet', en: 'Subject' } }, PUBLIC_URL);
    await assert.rejects(
      t.db
        .transaction()
        .execute((trx) =>
          halfCatalog.notify(trx, { recipients: [{ accountId: salarie.accountId }], kind: 'test.half' }),
        ),
      /unknown notification kind test\.half: no body message/,
    );
    for (const link of ['https://ailleurs.example/x', '//ailleurs.example/x', 'editeur/dossiers']) {
      await assert.rejects(
        t.db.transaction().execute((trx) => notifier.notify(trx, { ...submitted([{ citizenId }]), link })),
        /not a site path/,
        link,
      );
    }
    assert.equal((await inboxRows(t.db)).length, rowsBefore);
  });

  it('skips people who do not exist, without breaking the caller’s transaction', async () => {
    const written = await t.db.transaction().execute(async (trx) => {
      const n = await notifier.notify(
        trx,
        submitted([
          { accountId: 'not-a-uuid' },
          { accountId: '00000000-0000-4000-8000-000000000000' },
          { citizenId: 'nobody' },
          { citizenId: '00000000-0000-4000-8000-000000000000' },
          { organisationId: 'nope' },
          { organisationId: orgId, roles: [] },
        ]),
      );
      // The transaction is still usable afterwards.
      await trx.selectFrom('accounts').select('id').limit(1).execute();
      return n;
    });
    assert.equal(written, 0);
  });
});

describe('inbox: API and page', () => {
  let t: TestApp;
  let orgId: string;
  let alice: TestAccount;
  let bob: TestAccount;
  let staff: TestAccount;
  let citizenId: string;
  let aliceCookies: Record<string, string>;
  let bobCookies: Record<string, string>;
  let citizenCookies: Record<string, string>;
  let aliceToken: string;
  /** Alice's notifications, oldest first. */
  const aliceIds: string[] = [];
  let bobId: string;
  let citizenNotificationId: string;

  before(async () => {
    t = await startTestApp();
    orgId = await createOrganisation(t.db);
    alice = await createAccount(t.db, { organisation: { id: orgId, role: 'mandataire' } });
    bob = await createAccount(t.db, { organisation: { id: orgId, role: 'salarie' } });
    staff = await createAccount(t.db, { staff: ['instructeur'] });
    citizenId = await createCitizen(t.db);
    aliceCookies = await sessionCookie(t.db, alice);
    bobCookies = await sessionCookie(t.db, bob);
    citizenCookies = await sessionCookie(t.db, { citizenId });
    aliceToken = await apiToken(t.db, alice.accountId, orgId);
    // 65 notifications for Alice, one transaction each (so each has its own time), through the app's notifier.
    for (let n = 1; n <= 65; n++) {
      await t.db.transaction().execute((trx) =>
        t.notifier.notify(trx, {
          recipients: [{ accountId: alice.accountId }],
          kind: 'test.notify.ping',
          params: { n },
          link: `/editeur/dossiers/${n}`,
          email: false,
        }),
      );
    }
    const rows = await t.db
      .selectFrom('notifications')
      .select('id')
      .where('recipient_account_id', '=', alice.accountId)
      .orderBy('created_at')
      .execute();
    aliceIds.push(...rows.map((r) => r.id));
    await t.db.transaction().execute((trx) =>
      t.notifier.notify(trx, {
        recipients: [{ accountId: bob.accountId }, { citizenId }],
        kind: 'test.notify.submitted',
        params: { number: 'EVAL-7', service: 'Suivi Diabète' },
        link: '/usager',
        email: false,
      }),
    );
    bobId = (
      await t.db
        .selectFrom('notifications')
        .select('id')
        .where('recipient_account_id', '=', bob.accountId)
        .executeTakeFirstOrThrow()
    ).id;
    citizenNotificationId = (
      await t.db
        .selectFrom('notifications')
        .select('id')
        .where('recipient_citizen_id', '=', citizenId)
        .executeTakeFirstOrThrow()
    ).id;
  });
  after(() => t.stop());

  const api = (
    cookies: Record<string, string>,
    method: 'GET' | 'POST',
    url: string,
    headers: Record<string, string> = {},
  ) =>
    t.inject({
      method,
      url,
      cookies,
      headers: { accept: 'application/json', 'x-csrf-token': CSRF, ...headers },
    });

  it('lists one’s own notifications, newest first, 30 a page, in the request’s language', async () => {
    const first = await api(aliceCookies, 'GET', '/api/v1/notifications');
    assert.equal(first.statusCode, 200, first.body);
    const body = first.json();
    assert.equal(body.page, 1);
    assert.equal(body.pages, 3);
    assert.equal(body.unread, 65);
    assert.equal(body.items.length, 30);
    assert.deepEqual(body.items[0], {
      id: aliceIds[64],
      kind: 'test.notify.ping',
      text: 'Bonjour numéro 65',
      link: '/editeur/dossiers/65',
      createdAt: body.items[0].createdAt,
      readAt: null,
    });
    assert.ok(!Number.isNaN(Date.parse(body.items[0].createdAt)));
    assert.equal(body.items[29].text, 'Bonjour numéro 36');

    const last = (await api(aliceCookies, 'GET', '/api/v1/notifications?page=3&lang=en')).json();
    assert.deepEqual(
      last.items.map((i: { text: string }) => i.text),
      [5, 4, 3, 2, 1].map((n) => `Hello number ${n}`),
    );
    const english = await api(aliceCookies, 'GET', '/api/v1/notifications?page=1', {
      'accept-language': 'en-GB,en;q=0.9',
    });
    assert.equal(english.json().items[0].text, 'Hello number 65');
    const beyond = (await api(aliceCookies, 'GET', '/api/v1/notifications?page=4')).json();
    assert.deepEqual([beyond.items.length, beyond.pages], [0, 3]);
    const invalid = await api(aliceCookies, 'GET', '/api/v1/notifications?page=0');
    assert.equal(invalid.statusCode, 400);

    // Nobody else's: Bob sees his one notification only.
    const bobs = (await api(bobCookies, 'GET', '/api/v1/notifications')).json();
    assert.deepEqual(
      bobs.items.map((i: { id: string; text: string }) => [i.id, i.text]),
      [[bobId, 'Le dossier EVAL-7 de Suivi Diabète a été déposé.']],
    );
    // With a personal API token too.
    const byToken = await t.inject({
      method: 'GET',
      url: '/api/v1/notifications?page=2',
      headers: { authorization: `Bearer ${aliceToken}` },
    });
    assert.equal(byToken.statusCode, 200, byToken.body);
    assert.equal(byToken.json().items[0].text, 'Bonjour numéro 35');
  });

  it('marks one read, only one’s own: another person’s is not found', async () => {
    const id = aliceIds[64];
    const others = await api(bobCookies, 'POST', `/api/v1/notifications/${id}/read`);
    assert.equal(others.statusCode, 404);
    assert.equal(others.json().error.code, 'not_found');
    const unknown = await api(aliceCookies, 'POST', '/api/v1/notifications/not-an-id/read');
    assert.equal(unknown.statusCode, 404);

    const marked = await api(aliceCookies, 'POST', `/api/v1/notifications/${id}/read`);
    assert.equal(marked.statusCode, 200, marked.body);
    const readAt = marked.json().readAt;
    assert.ok(readAt);
    assert.equal(marked.json().text, 'Bonjour numéro 65');
    // Marking it again keeps the first reading time.
    const again = await api(aliceCookies, 'POST', `/api/v1/notifications/${id}/read`);
    assert.equal(again.json().readAt, readAt);

    const list = (await api(aliceCookies, 'GET', '/api/v1/notifications')).json();
    assert.equal(list.unread, 64);
    assert.equal(list.items[0].readAt, readAt);
    const unread = (await api(aliceCookies, 'GET', '/api/v1/notifications?unread=true')).json();
    assert.equal(unread.unread, 64);
    assert.equal(unread.pages, 3);
    assert.equal(unread.items[0].id, aliceIds[63]);
    assert.ok(unread.items.every((i: { readAt: string | null }) => i.readAt === null));
    // Bob's stays unread.
    assert.equal((await api(bobCookies, 'GET', '/api/v1/notifications')).json().unread, 1);
  });

  it('asks for the CSRF token when a cookie authenticates the change', async () => {
    const res = await t.inject({
      method: 'POST',
      url: `/api/v1/notifications/${aliceIds[0]}/read`,
      cookies: aliceCookies,
      headers: { accept: 'application/json' },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'csrf');
  });

  it('refuses anonymous callers: 401 for the API, the sign-in page for a browser', async () => {
    const list = await t.inject({ method: 'GET', url: '/api/v1/notifications' });
    assert.equal(list.statusCode, 401);
    assert.equal(list.json().error.code, 'unauthenticated');
    const read = await t.inject({
      method: 'POST',
      url: `/api/v1/notifications/${aliceIds[0]}/read`,
      cookies: { mesref_csrf: CSRF },
      headers: { 'x-csrf-token': CSRF },
    });
    assert.equal(read.statusCode, 401);
    const page = await t.inject({ method: 'GET', url: '/notifications', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/connexion?retour=%2Fnotifications');
  });

  it('shows the inbox page with « Nouveau » on unread items, a form per item, and pagination', async () => {
    const res = await t.inject({ method: 'GET', url: '/notifications', cookies: aliceCookies });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    const page = res.body;
    assert.match(page, /<html lang="fr"/);
    assert.match(page, /<h1>Notifications<\/h1>/);
    assert.match(page, /Vous avez 64 notifications non lues\./);
    assert.match(
      page,
      /<a class="fr-nav__link" href="\/notifications" aria-current="page">Notifications<\/a>/,
    );
    // Newest first; the read one has no badge and no button.
    assert.ok(page.indexOf('Bonjour numéro 65') < page.indexOf('Bonjour numéro 64'));
    assert.ok(!page.includes('Bonjour numéro 35'));
    assert.equal(page.match(/fr-badge--new/g)?.length, 29);
    assert.equal(page.match(/Marquer comme lu<span/g)?.length, 29);
    assert.match(page, /<a href="\/editeur\/dossiers\/65">Message 65<\/a>/);
    assert.match(page, /Reçue le \d{1,2} \S+ \d{4}/);
    assert.match(page, /lue le /);
    assert.match(page, new RegExp(`action="/notifications/${aliceIds[63]}/lu"`));
    assert.match(page, new RegExp(`name="_csrf" value="${CSRF}"`));
    assert.match(page, /Tout marquer comme lu/);
    assert.match(page, /class="fr-pagination"/);
    assert.match(page, /href="\/notifications\?page=2"/);
    assert.match(page, /href="\/notifications\?page=3"[^>]*>Dernière page</);

    const third = (await t.inject({ method: 'GET', url: '/notifications?page=3', cookies: aliceCookies }))
      .body;
    assert.match(third, /Bonjour numéro 5</);
    assert.ok(!third.includes('Bonjour numéro 6<'));
    assert.match(third, /<a class="fr-pagination__link" href="\/notifications\?page=3" aria-current="page"/);

    const english = (await t.inject({ method: 'GET', url: '/notifications?lang=en', cookies: aliceCookies }))
      .body;
    assert.match(english, /<html lang="en"/);
    assert.match(english, /You have 64 unread notifications\./);
    assert.match(english, /Hello number 65/);
    assert.match(english, />New</);
    assert.match(english, /Mark as read<span/);
    assert.match(english, /Mark all as read/);
    assert.match(english, /Received on /);
  });

  it('marks read from the page without JavaScript, and back to the same page', async () => {
    const form = (url: string, fields: Record<string, string>, cookies = aliceCookies) =>
      t.inject({
        method: 'POST',
        url,
        cookies,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: new URLSearchParams({ _csrf: CSRF, ...fields }).toString(),
      });
    const one = await form(`/notifications/${aliceIds[10]}/lu`, { page: '2' });
    assert.equal(one.statusCode, 303);
    assert.equal(one.headers.location, '/notifications?page=2&ok=read');
    const afterMark = await t.inject({
      method: 'GET',
      url: '/notifications?page=2&ok=read',
      cookies: aliceCookies,
    });
    assert.match(afterMark.body, /Notification marquée comme lue\./);
    assert.match(afterMark.body, /Vous avez 63 notifications non lues\./);

    const others = await form(`/notifications/${bobId}/lu`, { page: '1' });
    assert.equal(others.statusCode, 404);
    assert.match(others.body, /introuvable/);
    const withoutToken = await t.inject({
      method: 'POST',
      url: '/notifications/tout-lu',
      cookies: aliceCookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    assert.equal(withoutToken.statusCode, 403);

    const all = await form('/notifications/tout-lu', {});
    assert.equal(all.statusCode, 303);
    assert.equal(all.headers.location, '/notifications?ok=all_read');
    const done = (await t.inject({ method: 'GET', url: '/notifications?ok=all_read', cookies: aliceCookies }))
      .body;
    assert.match(done, /Toutes vos notifications sont marquées comme lues\./);
    assert.match(done, /Vous n’avez aucune notification non lue\./);
    assert.ok(!done.includes('fr-badge--new'));
    assert.ok(!done.includes('Tout marquer comme lu'));
    const api1 = (await api(aliceCookies, 'GET', '/api/v1/notifications')).json();
    assert.equal(api1.unread, 0);
    // Bob's were not touched.
    assert.equal((await api(bobCookies, 'GET', '/api/v1/notifications')).json().unread, 1);
    const readAll = await api(bobCookies, 'POST', '/api/v1/notifications/read-all');
    assert.deepEqual(readAll.json(), { marked: 1 });
    assert.deepEqual((await api(bobCookies, 'POST', '/api/v1/notifications/read-all')).json(), { marked: 0 });
  });

  it('gives a citizen their own inbox', async () => {
    const page = await t.inject({ method: 'GET', url: '/notifications', cookies: citizenCookies });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Le dossier EVAL-7 de Suivi Diabète a été déposé\./);
    assert.match(page.body, /Vous avez une notification non lue\./);
    assert.match(page.body, /href="\/notifications"[^>]*>Notifications<\/a>/);
    assert.ok(!page.body.includes('Bonjour numéro'));
    assert.ok(!page.body.includes('class="fr-pagination"'), 'one page: no pagination');
    const marked = await api(citizenCookies, 'POST', `/api/v1/notifications/${citizenNotificationId}/read`);
    assert.equal(marked.statusCode, 200);
    assert.equal((await api(citizenCookies, 'GET', '/api/v1/notifications')).json().unread, 0);
    assert.equal((await api(citizenCookies, 'POST', `/api/v1/notifications/${bobId}/read`)).statusCode, 404);
  });

  it('shows an empty inbox to someone who has none, and the menu item to every signed-in person', async () => {
    const cookies = await sessionCookie(t.db, staff);
    const page = await t.inject({ method: 'GET', url: '/notifications', cookies });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Vous n’avez aucune notification\./);
    const home = await t.inject({ method: 'GET', url: '/', cookies: bobCookies });
    assert.match(home.body, /href="\/notifications"[^>]*>Notifications<\/a>/);
    const anonymousHome = await t.inject({ method: 'GET', url: '/' });
    assert.ok(!anonymousHome.body.includes('href="/notifications"'));
  });
});
