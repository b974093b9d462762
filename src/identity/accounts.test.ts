import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import {
  CSRF,
  createAccount,
  createOrganisation,
  randomSiren,
  sessionCookie,
  startTestApp,
  type TestApp,
} from '../../test/helpers.ts';
import { SESSION_COOKIE } from './sessions.ts';
import { totpCode } from './totp.ts';

/** Registration, address verification, sign-in, lockout, password reset, second factor, account page. */

let ipCounter = 0;
/** Each test signs in from its own address, so the per-IP limiter of one test does not touch another. */
const newIp = () => {
  ipCounter++;
  return `10.1.${Math.floor(ipCounter / 250)}.${ipCounter % 250}`;
};

function post(
  t: TestApp,
  url: string,
  fields: Record<string, string>,
  options: { cookies?: Record<string, string>; ip?: string } = {},
): Promise<LightMyRequestResponse> {
  return t.inject({
    method: 'POST',
    url,
    remoteAddress: options.ip ?? newIp(),
    cookies: { mesref_csrf: CSRF, ...options.cookies },
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams({ _csrf: CSRF, ...fields }).toString(),
  });
}

function get(t: TestApp, url: string, cookies: Record<string, string> = {}) {
  return t.inject({
    method: 'GET',
    url,
    cookies: { mesref_csrf: CSRF, ...cookies },
    headers: { accept: 'text/html' },
  });
}

/** The session cookie a response set, ready to send back. */
function sessionFrom(res: LightMyRequestResponse): Record<string, string> {
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
  assert.ok(cookie, `no session cookie (status ${res.statusCode})`);
  return { [SESSION_COOKIE]: cookie.value };
}

async function mailsTo(t: TestApp, email: string) {
  return t.db
    .selectFrom('outbox_mails')
    .selectAll()
    .where('to_address', '=', email)
    .orderBy('created_at', 'desc')
    .execute();
}

/** The token in the link of the latest mail to an address. */
async function tokenFromMail(t: TestApp, email: string, path: string): Promise<string> {
  const [mail] = await mailsTo(t, email);
  assert.ok(mail, `no mail to ${email}`);
  const match = mail.text_body.match(new RegExp(`${path}\\?jeton=([A-Za-z0-9_-]+)`));
  assert.ok(match, `no ${path} link in: ${mail.text_body}`);
  return match[1];
}

async function auditActions(t: TestApp, subjectId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('audit_events')
    .select('action')
    .where('subject_id', '=', subjectId)
    .orderBy('at')
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

function registration(overrides: Record<string, string> = {}): Record<string, string> {
  const id = Math.random().toString(36).slice(2, 8);
  return {
    legalName: `Santé Connect ${id}`,
    siren: randomSiren(),
    address: '12 rue des Lilas, 69003 Lyon',
    legalRepresentative: 'Camille Martin',
    displayName: 'Alex Dupont',
    email: `alex.${id}@exemple.fr`,
    password: 'une phrase de passe solide',
    ...overrides,
  };
}

async function count(t: TestApp, table: 'organisations' | 'accounts' | 'memberships'): Promise<number> {
  const row = await t.db
    .selectFrom(table)
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function signIn(
  t: TestApp,
  email: string,
  password: string,
  ip = newIp(),
  extra: Record<string, string> = {},
) {
  return post(t, '/connexion', { email, password, ...extra }, { ip });
}

describe('identity: registration, sign-in, reset, second factor', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.stop());

  describe('registration', () => {
    it('speaks English on request', async () => {
      const res = await get(t, '/inscription?lang=en');
      assert.match(res.body, /<html lang="en"/);
      assert.match(res.body, /Create a publisher account/);
      const signIn = await get(t, '/connexion', { mesref_lang: 'en' });
      assert.match(signIn.body, /Forgot your password\?/);
    });

    it('shows the form with its CSRF field', async () => {
      const res = await get(t, '/inscription');
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Créer un compte éditeur/);
      assert.match(res.body, /name="_csrf" value="[^"]+"/);
      assert.match(res.body, /name="siren"/);
    });

    it('creates organisation, account and mandataire membership, and mails a verification link', async () => {
      const form = registration({ siren: '732 829 320', email: 'Fondatrice@Exemple.fr' });
      const res = await post(t, '/inscription', form);
      assert.equal(res.statusCode, 201);
      assert.match(res.body, /Vérifiez votre messagerie/);
      assert.match(res.body, /fondatrice@exemple\.fr/);

      const org = await t.db
        .selectFrom('organisations')
        .selectAll()
        .where('siren', '=', '732829320')
        .executeTakeFirst();
      assert.ok(org);
      assert.equal(org.legal_name, form.legalName);
      assert.equal(org.status, 'active');
      const account = await t.db
        .selectFrom('accounts')
        .selectAll()
        .where('email', '=', 'fondatrice@exemple.fr')
        .executeTakeFirstOrThrow();
      assert.equal(account.email_verified_at, null);
      assert.match(account.password_hash ?? '', /^scrypt\$/);
      const membership = await t.db
        .selectFrom('memberships')
        .selectAll()
        .where('account_id', '=', account.id)
        .executeTakeFirstOrThrow();
      assert.equal(membership.organisation_id, org.id);
      assert.equal(membership.role, 'mandataire');

      const token = await tokenFromMail(t, 'fondatrice@exemple.fr', '/verification-courriel');
      const stored = await t.db
        .selectFrom('email_tokens')
        .selectAll()
        .where('account_id', '=', account.id)
        .execute();
      assert.equal(stored.length, 1);
      assert.notEqual(stored[0].id, token, 'the token is stored hashed');
      assert.deepEqual(await auditActions(t, org.id), ['organisation.registered']);
      assert.deepEqual(await auditActions(t, account.id), ['account.registered']);
    });

    it('refuses a SIREN already registered, keeping the values typed and writing nothing', async () => {
      const first = registration();
      assert.equal((await post(t, '/inscription', first)).statusCode, 201);
      const before = [
        await count(t, 'organisations'),
        await count(t, 'accounts'),
        await count(t, 'memberships'),
      ];
      const second = registration({ siren: first.siren, legalName: 'Autre Nom SAS' });
      const res = await post(t, '/inscription', second);
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /Une organisation avec ce SIREN est déjà inscrite/);
      assert.match(res.body, /fr-input-group--error/);
      assert.match(res.body, /value="Autre Nom SAS"/);
      assert.doesNotMatch(res.body, /une phrase de passe solide/, 'the password is never echoed');
      assert.deepEqual(before, [
        await count(t, 'organisations'),
        await count(t, 'accounts'),
        await count(t, 'memberships'),
      ]);
    });

    it('refuses an address already used, whatever its case', async () => {
      const first = registration();
      assert.equal((await post(t, '/inscription', first)).statusCode, 201);
      const orgs = await count(t, 'organisations');
      const res = await post(t, '/inscription', registration({ email: first.email.toUpperCase() }));
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /Un compte utilise déjà cette adresse/);
      assert.equal(await count(t, 'organisations'), orgs);
    });

    it('refuses a SIREN whose Luhn key is wrong, and a short password', async () => {
      const good = randomSiren();
      const bad = `${good.slice(0, 8)}${(Number(good[8]) + 1) % 10}`;
      const orgs = await count(t, 'organisations');
      const res = await post(t, '/inscription', registration({ siren: bad, password: 'court' }));
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /clé de contrôle ne correspond pas/);
      assert.match(res.body, /au moins 12 caractères/);
      assert.equal(await count(t, 'organisations'), orgs);
    });

    it('answers control characters with a field error, never a server error', async () => {
      const res = await post(t, '/inscription', registration({ legalName: 'Nom\u0000SAS' }));
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /caractères de contrôle/);
      assert.equal((await signIn(t, 'a\u0000b@exemple.fr', 'nimporte quoi du tout')).statusCode, 401);
      assert.equal((await post(t, '/mot-de-passe-oublie', { email: 'a\u0000b@exemple.fr' })).statusCode, 422);
    });

    it('registers through the JSON API too, with field errors as JSON', async () => {
      const body = registration();
      const ok = await t.inject({ method: 'POST', url: '/api/v1/registrations', payload: body });
      assert.equal(ok.statusCode, 201);
      assert.ok(ok.json().organisationId);
      const bad = await t.inject({
        method: 'POST',
        url: '/api/v1/registrations',
        payload: registration({ siren: '123456789', email: 'x' }),
      });
      assert.equal(bad.statusCode, 422);
      assert.equal(bad.json().error.code, 'validation_failed');
      assert.match(bad.json().error.fields.siren, /clé de contrôle/);
      assert.ok(bad.json().error.fields.email);
    });
  });

  describe('address verification and sign-in', () => {
    it('signs in only after the address is verified; the link serves once', async () => {
      const form = registration();
      await post(t, '/inscription', form);
      const early = await signIn(t, form.email, form.password);
      assert.equal(early.statusCode, 403);
      assert.match(early.body, /pas encore vérifiée/);
      assert.equal(
        early.cookies.find((c) => c.name === SESSION_COOKIE),
        undefined,
      );
      assert.equal((await mailsTo(t, form.email)).length, 2, 'a fresh link is sent');

      const token = await tokenFromMail(t, form.email, '/verification-courriel');
      const verified = await get(t, `/verification-courriel?jeton=${token}`);
      assert.equal(verified.statusCode, 303);
      assert.equal(verified.headers.location, '/connexion?ok=verified');
      const page = await get(t, '/connexion?ok=verified');
      assert.match(page.body, /Votre adresse électronique est vérifiée/);
      assert.equal((await get(t, `/verification-courriel?jeton=${token}`)).statusCode, 400);

      const res = await signIn(t, form.email, form.password);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, '/editeur');
      const home = await get(t, '/editeur', sessionFrom(res));
      assert.equal(home.statusCode, 200);
      assert.match(home.body, new RegExp(form.legalName));
      assert.match(home.body, /Mandataire/);
    });

    it('says the same for an unknown address and a wrong password', async () => {
      const org = await createOrganisation(t.db);
      const a = await createAccount(t.db, { organisation: { id: org, role: 'salarie' } });
      const wrong = await signIn(t, a.email, 'pas le bon mot de passe');
      const unknown = await signIn(t, 'personne@exemple.fr', 'pas le bon mot de passe');
      for (const res of [wrong, unknown]) {
        assert.equal(res.statusCode, 401);
        assert.match(res.body, /Adresse électronique ou mot de passe incorrect/);
      }
      const row = await t.db
        .selectFrom('accounts')
        .select('failed_sign_ins')
        .where('id', '=', a.accountId)
        .executeTakeFirstOrThrow();
      assert.equal(row.failed_sign_ins, 1);
      assert.ok((await auditActions(t, a.accountId)).includes('account.sign_in_failed'));
    });

    it('locks the account after 5 consecutive failures and says so', async () => {
      const a = await createAccount(t.db);
      const ip = newIp();
      for (let i = 1; i <= 4; i++)
        assert.equal((await signIn(t, a.email, 'mauvais mot de passe', ip)).statusCode, 401);
      const fifth = await signIn(t, a.email, 'mauvais mot de passe', ip);
      assert.equal(fifth.statusCode, 403);
      assert.match(fifth.body, /verrouillé temporairement/);
      assert.match(fifth.body, /15 minute/);
      const row = await t.db
        .selectFrom('accounts')
        .select('locked_until')
        .where('id', '=', a.accountId)
        .executeTakeFirstOrThrow();
      const minutes = (new Date(row.locked_until as Date).getTime() - Date.now()) / 60_000;
      assert.ok(minutes > 14 && minutes <= 15, `locked for ${minutes} minutes`);

      const right = await signIn(t, a.email, a.password, ip);
      assert.equal(right.statusCode, 403, 'even the right password waits for the lock to end');
      assert.match(right.body, /verrouillé/);
      const actions = await auditActions(t, a.accountId);
      assert.ok(actions.includes('account.locked'));
      assert.equal(actions.filter((x) => x === 'account.sign_in_failed').length, 6);
    });

    it('answers 429 after 10 attempts from one address in 5 minutes', async () => {
      const ip = newIp();
      for (let i = 0; i < 10; i++) {
        const res = await signIn(t, `inconnu${i}@exemple.fr`, 'nimporte quoi du tout', ip);
        assert.equal(res.statusCode, 401);
      }
      const limited = await signIn(t, 'inconnu@exemple.fr', 'nimporte quoi du tout', ip);
      assert.equal(limited.statusCode, 429);
      assert.match(limited.body, /Trop de tentatives en peu de temps/);
      assert.equal(
        (await signIn(t, 'inconnu@exemple.fr', 'nimporte quoi du tout')).statusCode,
        401,
        'another address is fine',
      );
    });

    it('answers 429 after 10 attempts on one account from many addresses', async () => {
      const a = await createAccount(t.db);
      // Unlock between tries so that the lockout does not answer first.
      for (let i = 0; i < 10; i++) {
        await t.db
          .updateTable('accounts')
          .set({ failed_sign_ins: 0, locked_until: null })
          .where('id', '=', a.accountId)
          .execute();
        assert.equal((await signIn(t, a.email, 'mauvais mot de passe')).statusCode, 401);
      }
      assert.equal((await signIn(t, a.email, a.password)).statusCode, 429);
    });

    it('goes back to a page of this site after sign-in, never elsewhere', async () => {
      const org = await createOrganisation(t.db);
      const a = await createAccount(t.db, { organisation: { id: org, role: 'salarie' } });
      const back = await signIn(t, a.email, a.password, newIp(), { retour: '/compte' });
      assert.equal(back.headers.location, '/compte');
      const evil = await signIn(t, a.email, a.password, newIp(), { retour: '//evil.example/x' });
      assert.equal(evil.headers.location, '/editeur');
      const page = await get(t, '/connexion?retour=https://evil.example');
      assert.doesNotMatch(page.body, /evil\.example/);
    });

    it('signs out: the session is gone', async () => {
      const a = await createAccount(t.db);
      const session = sessionFrom(await signIn(t, a.email, a.password));
      assert.equal((await get(t, '/compte', session)).statusCode, 200);
      const out = await post(t, '/deconnexion', {}, { cookies: session });
      assert.equal(out.statusCode, 303);
      const after = await get(t, '/compte', session);
      assert.equal(after.statusCode, 303);
      assert.match(String(after.headers.location), /^\/connexion\?retour=/);
      const left = await t.db
        .selectFrom('sessions')
        .select('id')
        .where('account_id', '=', a.accountId)
        .execute();
      assert.equal(left.length, 0);
    });

    it('refuses a disabled account once the password is right', async () => {
      const a = await createAccount(t.db);
      await t.db
        .updateTable('accounts')
        .set({ disabled_at: new Date() })
        .where('id', '=', a.accountId)
        .execute();
      const res = await signIn(t, a.email, a.password);
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /Ce compte est désactivé/);
    });
  });

  describe('password reset', () => {
    it('answers the same whether the address exists or not, and mails only a real one', async () => {
      const a = await createAccount(t.db);
      const known = await post(t, '/mot-de-passe-oublie', { email: a.email });
      const unknown = await post(t, '/mot-de-passe-oublie', { email: 'personne-ici@exemple.fr' });
      assert.equal(known.statusCode, 200);
      assert.equal(unknown.statusCode, 200);
      const text = (body: string) => body.match(/<main[\s\S]*<\/main>/)?.[0] ?? '';
      assert.ok(text(known.body));
      assert.equal(text(known.body), text(unknown.body));
      assert.match(known.body, /Si un compte existe pour cette adresse/);
      assert.equal((await mailsTo(t, a.email)).length, 1);
      assert.equal((await mailsTo(t, 'personne-ici@exemple.fr')).length, 0);
    });

    it('sets a new password once, unlocks, and ends every other session', async () => {
      const a = await createAccount(t.db);
      const other = await sessionCookie(t.db, { accountId: a.accountId });
      await t.db
        .updateTable('accounts')
        .set({ locked_until: new Date(Date.now() + 600_000) })
        .where('id', '=', a.accountId)
        .execute();
      await post(t, '/mot-de-passe-oublie', { email: a.email });
      const token = await tokenFromMail(t, a.email, '/reinitialisation');

      const form = await get(t, `/reinitialisation?jeton=${token}`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Choisir un nouveau mot de passe/);
      const short = await post(t, '/reinitialisation', { jeton: token, password: 'court' });
      assert.equal(short.statusCode, 422);
      assert.match(short.body, /au moins 12 caractères/);

      const done = await post(t, '/reinitialisation', {
        jeton: token,
        password: 'un tout nouveau mot de passe',
      });
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, '/connexion?ok=password_reset');
      assert.equal((await get(t, '/compte', other)).statusCode, 303, 'the other session has ended');
      assert.equal((await signIn(t, a.email, a.password)).statusCode, 401);
      assert.equal((await signIn(t, a.email, 'un tout nouveau mot de passe')).statusCode, 303);
      const again = await post(t, '/reinitialisation', {
        jeton: token,
        password: 'encore un autre mot de passe',
      });
      assert.equal(again.statusCode, 400);
      assert.match(again.body, /a déjà servi ou a expiré/);
      assert.ok((await auditActions(t, a.accountId)).includes('account.password_reset'));
    });

    it('refuses a link older than an hour', async () => {
      const a = await createAccount(t.db);
      await post(t, '/mot-de-passe-oublie', { email: a.email });
      const token = await tokenFromMail(t, a.email, '/reinitialisation');
      await t.db
        .updateTable('email_tokens')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('account_id', '=', a.accountId)
        .execute();
      assert.equal((await get(t, `/reinitialisation?jeton=${token}`)).statusCode, 400);
      assert.equal(
        (await post(t, '/reinitialisation', { jeton: token, password: 'un tout nouveau mot de passe' }))
          .statusCode,
        400,
      );
    });
  });

  describe('second factor (TOTP)', () => {
    const secretOf = async (accountId: string) =>
      (
        await t.db
          .selectFrom('accounts')
          .select('totp_secret')
          .where('id', '=', accountId)
          .executeTakeFirstOrThrow()
      ).totp_secret as string;
    const now = () => Date.now() / 1000;

    it('lets a publisher enrol, then asks for the code at sign-in and refuses a replayed code', async () => {
      const org = await createOrganisation(t.db);
      const a = await createAccount(t.db, { organisation: { id: org, role: 'mandataire' } });
      const session = sessionFrom(await signIn(t, a.email, a.password));

      const page = await get(t, '/compte/double-authentification', session);
      assert.equal(page.statusCode, 200);
      const secret = await secretOf(a.accountId);
      assert.match(page.body, /otpauth:\/\/totp\//);
      assert.match(page.body, new RegExp(secret.slice(0, 4)));
      assert.equal(
        (await get(t, '/compte/double-authentification', session)).body.includes(secret.slice(0, 4)),
        true,
      );
      assert.equal(await secretOf(a.accountId), secret, 'a reload keeps the secret being enrolled');

      const wrong = await post(
        t,
        '/compte/double-authentification',
        { code: '000000' },
        { cookies: session },
      );
      assert.equal(wrong.statusCode, 422);
      assert.match(wrong.body, /Ce code est incorrect/);
      const ok = await post(
        t,
        '/compte/double-authentification',
        { code: totpCode(secret, now()) },
        { cookies: session },
      );
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/compte?ok=totp_enabled');
      const row = await t.db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', a.accountId)
        .executeTakeFirstOrThrow();
      assert.ok(row.totp_enabled_at);
      assert.ok(row.totp_last_step);
      assert.equal(
        (await get(t, '/editeur', session)).statusCode,
        200,
        'the enrolling session counts as checked',
      );

      // Next sign-in: the password opens a session that can only type its code.
      const signed = await signIn(t, a.email, a.password);
      assert.equal(signed.statusCode, 303);
      assert.equal(signed.headers.location, '/connexion/code');
      const pending = sessionFrom(signed);
      const blocked = await get(t, '/editeur', pending);
      assert.equal(blocked.statusCode, 303);
      const api = await t.inject({ method: 'GET', url: '/api/v1/me', cookies: pending });
      assert.equal(api.statusCode, 403);
      assert.equal(api.json().error.code, 'second_factor_required');
      assert.match((await get(t, '/connexion/code', pending)).body, /Code de vérification/);
      // The enrolment used the current step: the next one is still within the window.
      const code = totpCode(secret, now() + 30);
      const passed = await post(t, '/connexion/code', { code }, { cookies: pending });
      assert.equal(passed.statusCode, 303);
      assert.equal(passed.headers.location, '/editeur');
      assert.equal((await get(t, '/editeur', pending)).statusCode, 200);

      const third = sessionFrom(await signIn(t, a.email, a.password));
      const replay = await post(t, '/connexion/code', { code }, { cookies: third });
      assert.equal(replay.statusCode, 422);
      assert.match(replay.body, /Ce code a déjà servi/);
      assert.equal((await get(t, '/editeur', third)).statusCode, 303);
      assert.ok((await auditActions(t, a.accountId)).includes('account.totp_enabled'));

      // Turning it off takes a current code.
      await t.db
        .updateTable('accounts')
        .set({ totp_last_step: null })
        .where('id', '=', a.accountId)
        .execute();
      const bad = await post(
        t,
        '/compte/double-authentification/desactivation',
        { code: '123456' },
        { cookies: session },
      );
      assert.equal(bad.statusCode, 422);
      const off = await post(
        t,
        '/compte/double-authentification/desactivation',
        { code: totpCode(secret, now()) },
        { cookies: session },
      );
      assert.equal(off.statusCode, 303);
      const after = await t.db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', a.accountId)
        .executeTakeFirstOrThrow();
      assert.equal(after.totp_enabled_at, null);
      assert.equal(after.totp_secret, null);
    });

    it('sends staff without TOTP to enrol before any staff page, and never lets them turn it off', async () => {
      const admin = await createAccount(t.db, { staff: ['admin'] });
      const signed = await signIn(t, admin.email, admin.password);
      assert.equal(signed.statusCode, 303);
      assert.equal(signed.headers.location, '/compte/double-authentification');
      const session = sessionFrom(signed);
      const stored = await t.db
        .selectFrom('sessions')
        .selectAll()
        .where('account_id', '=', admin.accountId)
        .executeTakeFirstOrThrow();
      assert.equal(stored.second_factor_at, null);

      const console1 = await get(t, '/admin', session);
      assert.equal(console1.statusCode, 303);
      assert.equal(console1.headers.location, '/compte/double-authentification?retour=%2Fadmin');
      const page = await get(t, '/compte/double-authentification', session);
      assert.match(page.body, /Les agents doivent activer la double authentification/);

      const secret = await secretOf(admin.accountId);
      const ok = await post(
        t,
        '/compte/double-authentification',
        { code: totpCode(secret, now()) },
        { cookies: session },
      );
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/admin');
      assert.equal((await get(t, '/admin', session)).statusCode, 200);

      await t.db
        .updateTable('accounts')
        .set({ totp_last_step: null })
        .where('id', '=', admin.accountId)
        .execute();
      const off = await post(
        t,
        '/compte/double-authentification/desactivation',
        { code: totpCode(secret, now()) },
        { cookies: session },
      );
      assert.equal(off.statusCode, 409);
      assert.match(off.body, /obligatoire pour les agents/);

      // Staff with TOTP: sign-in asks for the code.
      const again = await signIn(t, admin.email, admin.password);
      assert.equal(again.headers.location, '/connexion/code');
    });

    it('locks the account after 5 wrong codes and ends the half-open session', async () => {
      const a = await createAccount(t.db);
      const session = sessionFrom(await signIn(t, a.email, a.password));
      await get(t, '/compte/double-authentification', session);
      const secret = await secretOf(a.accountId);
      await post(
        t,
        '/compte/double-authentification',
        { code: totpCode(secret, now()) },
        { cookies: session },
      );
      const pending = sessionFrom(await signIn(t, a.email, a.password));
      let last: LightMyRequestResponse | undefined;
      for (let i = 0; i < 5; i++)
        last = await post(t, '/connexion/code', { code: '000000' }, { cookies: pending });
      assert.equal(last?.statusCode, 403);
      assert.match(last?.body ?? '', /verrouillé/);
      assert.equal((await get(t, '/connexion/code', pending)).statusCode, 303, 'the session is closed');
    });
  });

  describe('account page', () => {
    it('shows and changes the name and language', async () => {
      const a = await createAccount(t.db);
      const session = await sessionCookie(t.db, { accountId: a.accountId });
      const page = await get(t, '/compte', session);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, new RegExp(a.email));
      assert.match(page.body, /Non activée/);
      const bad = await post(t, '/compte', { displayName: ' ', locale: 'fr' }, { cookies: session });
      assert.equal(bad.statusCode, 422);
      assert.match(bad.body, /Ce champ est obligatoire/);
      const res = await post(
        t,
        '/compte',
        { displayName: 'Dominique Nouveau', locale: 'en' },
        { cookies: session },
      );
      assert.equal(res.statusCode, 303);
      assert.ok(res.cookies.some((c) => c.name === 'mesref_lang' && c.value === 'en'));
      const row = await t.db
        .selectFrom('accounts')
        .selectAll()
        .where('id', '=', a.accountId)
        .executeTakeFirstOrThrow();
      assert.equal(row.display_name, 'Dominique Nouveau');
      assert.equal(row.locale, 'en');
      const en = await get(t, '/compte?ok=profile', { ...session, mesref_lang: 'en' });
      assert.match(en.body, /My account/);
      assert.match(en.body, /Your details have been saved/);
    });

    it('changes the password with the current one, ending the other sessions only', async () => {
      const a = await createAccount(t.db);
      const current = await sessionCookie(t.db, { accountId: a.accountId });
      const other = await sessionCookie(t.db, { accountId: a.accountId });
      const wrong = await post(
        t,
        '/compte/mot-de-passe',
        { currentPassword: 'pas le bon', newPassword: 'un nouveau mot de passe' },
        { cookies: current },
      );
      assert.equal(wrong.statusCode, 422);
      assert.match(wrong.body, /Le mot de passe actuel est incorrect/);
      const ok = await post(
        t,
        '/compte/mot-de-passe',
        { currentPassword: a.password, newPassword: 'un nouveau mot de passe' },
        { cookies: current },
      );
      assert.equal(ok.statusCode, 303);
      assert.equal((await get(t, '/compte', current)).statusCode, 200);
      assert.equal((await get(t, '/compte', other)).statusCode, 303);
      assert.equal((await signIn(t, a.email, 'un nouveau mot de passe')).statusCode, 303);
    });

    it('refuses a form without the CSRF field', async () => {
      const a = await createAccount(t.db);
      const session = await sessionCookie(t.db, { accountId: a.accountId });
      const res = await t.inject({
        method: 'POST',
        url: '/compte',
        cookies: session,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'displayName=X&locale=fr',
      });
      assert.equal(res.statusCode, 403);
    });
  });
});
