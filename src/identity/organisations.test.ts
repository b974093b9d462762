import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import {
  CSRF,
  createAccount,
  createOrganisation,
  randomSiren,
  sessionCookie,
  startTestApp,
  type TestAccount,
  type TestApp,
} from '../../test/helpers.ts';
import { sha256 } from '../platform/crypto.ts';
import { createStaffOrPublisherAccount, listOrganisationsOf } from './index.ts';
import { SESSION_COOKIE } from './sessions.ts';

/** API tokens, organisation members, invitations, the admin console and operator-made accounts. */

function post(
  t: TestApp,
  url: string,
  fields: Record<string, string>,
  cookies: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return t.inject({
    method: 'POST',
    url,
    cookies: { mesref_csrf: CSRF, ...cookies },
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

/** A JSON call with a session cookie (and its CSRF header) or a bearer token. */
function api(
  t: TestApp,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  auth: { cookies?: Record<string, string>; token?: string; csrf?: boolean },
  payload?: unknown,
) {
  return t.inject({
    method,
    url,
    cookies: auth.cookies,
    headers: {
      ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
      ...(auth.cookies && auth.csrf !== false ? { 'x-csrf-token': CSRF } : {}),
    },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

async function latestMailTo(t: TestApp, email: string) {
  return t.db
    .selectFrom('outbox_mails')
    .selectAll()
    .where('to_address', '=', email)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

async function tokenFromMail(t: TestApp, email: string, path: string): Promise<string> {
  const mail = await latestMailTo(t, email);
  const match = mail?.text_body.match(new RegExp(`${path}\\?jeton=([A-Za-z0-9_-]+)`));
  assert.ok(match, `no ${path} link mailed to ${email}`);
  return match[1];
}

async function roleOf(t: TestApp, organisationId: string, accountId: string) {
  const row = await t.db
    .selectFrom('memberships')
    .select('role')
    .where('organisation_id', '=', organisationId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row?.role;
}

async function auditActions(t: TestApp, subjectId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('audit_events')
    .select('action')
    .where('subject_id', '=', subjectId)
    .execute();
  return rows.map((r) => r.action);
}

interface Org {
  id: string;
  mandataire: TestAccount;
  representant: TestAccount;
  salarie: TestAccount;
  cookies: Record<'mandataire' | 'representant' | 'salarie', Record<string, string>>;
}

async function makeOrg(t: TestApp, name = 'Éditeur Exemple'): Promise<Org> {
  const id = await createOrganisation(t.db, name);
  const mandataire = await createAccount(t.db, { organisation: { id, role: 'mandataire' } });
  const representant = await createAccount(t.db, { organisation: { id, role: 'representant' } });
  const salarie = await createAccount(t.db, { organisation: { id, role: 'salarie' } });
  return {
    id,
    mandataire,
    representant,
    salarie,
    cookies: {
      mandataire: await sessionCookie(t.db, { accountId: mandataire.accountId }),
      representant: await sessionCookie(t.db, { accountId: representant.accountId }),
      salarie: await sessionCookie(t.db, { accountId: salarie.accountId }),
    },
  };
}

describe('identity: API tokens, members, admin console', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.stop());

  describe('personal API tokens', () => {
    it('shows a new token once, stores only its hash, and lists it by prefix', async () => {
      const org = await makeOrg(t);
      const res = await post(
        t,
        '/compte/jetons',
        { name: 'CI production', organisationId: org.id, days: '30' },
        org.cookies.salarie,
      );
      assert.equal(res.statusCode, 201);
      assert.match(res.body, /il ne sera plus jamais affiché/);
      const token = res.body.match(/mesref_pat_[A-Za-z0-9_-]{20,}/)?.[0];
      assert.ok(token);
      assert.equal(res.headers['cache-control'], 'no-store');
      const row = await t.db
        .selectFrom('api_tokens')
        .selectAll()
        .where('account_id', '=', org.salarie.accountId)
        .executeTakeFirstOrThrow();
      assert.equal(row.token_hash, sha256(token));
      assert.ok(token.startsWith(row.prefix));
      assert.ok(row.prefix.length < 20);
      const days = (new Date(row.expires_at).getTime() - Date.now()) / 86_400_000;
      assert.ok(days > 29.9 && days <= 30);
      const page = await get(t, '/compte', org.cookies.salarie);
      assert.match(page.body, /CI production/);
      assert.match(page.body, new RegExp(row.prefix));
      assert.doesNotMatch(page.body, new RegExp(token));
      assert.ok((await auditActions(t, org.salarie.accountId)).includes('api_token.created'));
    });

    it('refuses a lifetime out of 1–365 days or an organisation that is not the person’s', async () => {
      const org = await makeOrg(t);
      const other = await createOrganisation(t.db);
      const res = await post(
        t,
        '/compte/jetons',
        { name: 'x', organisationId: other, days: '400' },
        org.cookies.salarie,
      );
      assert.equal(res.statusCode, 422);
      assert.match(res.body, /de 1 à 365/);
      assert.match(res.body, /Choisissez une de vos organisations/);
      const json = await api(
        t,
        'POST',
        '/api/v1/me/api-tokens',
        { cookies: org.cookies.salarie },
        { name: 'x', organisationId: org.id, days: 0 },
      );
      assert.equal(json.statusCode, 422);
      assert.ok(json.json().error.fields.days);
    });

    it('authenticates API calls for its organisation only, without CSRF, and stops when revoked', async () => {
      const org = await makeOrg(t);
      const otherOrg = await makeOrg(t, 'Autre éditeur');
      // The mandataire of both organisations makes a token bound to the first one.
      await t.db
        .insertInto('memberships')
        .values({ organisation_id: otherOrg.id, account_id: org.mandataire.accountId, role: 'mandataire' })
        .execute();
      const created = await api(
        t,
        'POST',
        '/api/v1/me/api-tokens',
        { cookies: org.cookies.mandataire },
        { name: 'script', organisationId: org.id, days: 7 },
      );
      assert.equal(created.statusCode, 201);
      const { token, id, prefix } = created.json();
      assert.ok(token.startsWith('mesref_pat_'));
      assert.ok(token.startsWith(prefix));
      const noCsrf = await api(
        t,
        'POST',
        '/api/v1/me/api-tokens',
        { cookies: org.cookies.mandataire, csrf: false },
        {
          name: 'x',
          organisationId: org.id,
          days: 7,
        },
      );
      assert.equal(noCsrf.statusCode, 403);
      assert.equal(noCsrf.json().error.code, 'csrf');

      const me = await api(t, 'GET', '/api/v1/me', { token });
      assert.equal(me.statusCode, 200);
      assert.equal(me.json().id, org.mandataire.accountId);
      assert.deepEqual(
        me.json().organisations.map((o: { id: string }) => o.id),
        [org.id],
      );
      assert.equal(
        (await api(t, 'GET', `/api/v1/organisations/${org.id}/members`, { token })).statusCode,
        200,
      );
      const bounded = await api(t, 'GET', `/api/v1/organisations/${otherOrg.id}/members`, { token });
      assert.equal(bounded.statusCode, 403);
      const invite = await api(
        t,
        'POST',
        `/api/v1/organisations/${org.id}/invitations`,
        { token },
        {
          email: 'ci-invite@exemple.fr',
          role: 'salarie',
        },
      );
      assert.equal(invite.statusCode, 201, 'a bearer token needs no CSRF header');
      assert.equal(
        (await api(t, 'GET', '/api/v1/me/api-tokens', { token })).statusCode,
        403,
        'tokens are managed by session only',
      );

      const list = await api(t, 'GET', '/api/v1/me/api-tokens', { cookies: org.cookies.mandataire });
      assert.equal(list.json()[0].status, 'active');
      assert.ok(list.json()[0].lastUsedAt);
      assert.equal(
        (await api(t, 'DELETE', `/api/v1/me/api-tokens/${id}`, { cookies: org.cookies.mandataire }))
          .statusCode,
        204,
      );
      const revoked = await api(t, 'GET', '/api/v1/me', { token });
      assert.equal(revoked.statusCode, 401);
      assert.equal(
        (await api(t, 'DELETE', `/api/v1/me/api-tokens/${id}`, { cookies: org.cookies.mandataire }))
          .statusCode,
        404,
      );
    });

    it('stops working once expired, and revokes from the page', async () => {
      const org = await makeOrg(t);
      const created = await api(
        t,
        'POST',
        '/api/v1/me/api-tokens',
        { cookies: org.cookies.salarie },
        {
          name: 'court',
          organisationId: org.id,
          days: 1,
        },
      );
      const { token, id } = created.json();
      assert.equal((await api(t, 'GET', '/api/v1/me', { token })).statusCode, 200);
      await t.db
        .updateTable('api_tokens')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', id)
        .execute();
      assert.equal((await api(t, 'GET', '/api/v1/me', { token })).statusCode, 401);
      assert.match((await get(t, '/compte', org.cookies.salarie)).body, /Expiré/);

      const second = (
        await api(
          t,
          'POST',
          '/api/v1/me/api-tokens',
          { cookies: org.cookies.salarie },
          {
            name: 'autre',
            organisationId: org.id,
            days: 5,
          },
        )
      ).json();
      const res = await post(t, `/compte/jetons/${second.id}/revocation`, {}, org.cookies.salarie);
      assert.equal(res.statusCode, 303);
      assert.equal((await api(t, 'GET', '/api/v1/me', { token: second.token })).statusCode, 401);
    });

    it('is not offered to staff without an organisation', async () => {
      const staff = await createAccount(t.db, { staff: ['instructeur'] });
      const cookies = await sessionCookie(t.db, { accountId: staff.accountId });
      assert.equal((await api(t, 'GET', '/api/v1/me/api-tokens', { cookies })).statusCode, 403);
      assert.doesNotMatch((await get(t, '/compte', cookies)).body, /Jetons d’API personnels/);
    });
  });

  describe('organisation members', () => {
    it('lists members with role badges to every member; only managers see the forms', async () => {
      const org = await makeOrg(t);
      const forMandataire = await get(t, `/editeur/organisations/${org.id}/membres`, org.cookies.mandataire);
      assert.equal(forMandataire.statusCode, 200);
      for (const a of [org.mandataire, org.representant, org.salarie])
        assert.match(forMandataire.body, new RegExp(a.email));
      assert.match(forMandataire.body, /fr-badge[^>]*>Mandataire</);
      assert.match(forMandataire.body, /fr-badge[^>]*>Représentant</);
      assert.match(forMandataire.body, /Inviter une personne/);
      const forSalarie = await get(t, `/editeur/organisations/${org.id}/membres`, org.cookies.salarie);
      assert.equal(forSalarie.statusCode, 200);
      assert.doesNotMatch(forSalarie.body, /Inviter une personne/);
      const outsider = await makeOrg(t);
      assert.equal(
        (await get(t, `/editeur/organisations/${org.id}/membres`, outsider.cookies.mandataire)).statusCode,
        403,
      );
      assert.equal(
        (await get(t, '/editeur/organisations/pas-un-uuid/membres', org.cookies.mandataire)).statusCode,
        403,
      );
      const home = await get(t, '/editeur', org.cookies.salarie);
      assert.match(home.body, /Éditeur Exemple/);
      assert.match(home.body, new RegExp(`/editeur/organisations/${org.id}/membres`));
    });

    it('lets no salarie manage accounts', async () => {
      const org = await makeOrg(t);
      const res = await post(
        t,
        `/editeur/organisations/${org.id}/invitations`,
        { email: 'x@exemple.fr', role: 'salarie' },
        org.cookies.salarie,
      );
      assert.equal(res.statusCode, 403);
      const remove = await post(
        t,
        `/editeur/organisations/${org.id}/membres/${org.representant.accountId}/retrait`,
        {},
        org.cookies.salarie,
      );
      assert.equal(remove.statusCode, 403);
      assert.equal(await roleOf(t, org.id, org.representant.accountId), 'representant');
    });

    it('lets a representant invite and manage salariés, but not touch mandataire or representant roles', async () => {
      const org = await makeOrg(t);
      const invite = await post(
        t,
        `/editeur/organisations/${org.id}/invitations`,
        { email: 'Nouvelle@Exemple.fr', role: 'salarie' },
        org.cookies.representant,
      );
      assert.equal(invite.statusCode, 303);
      assert.ok(await latestMailTo(t, 'nouvelle@exemple.fr'));
      const page = await get(
        t,
        `/editeur/organisations/${org.id}/membres?ok=invited`,
        org.cookies.representant,
      );
      assert.match(page.body, /L’invitation a été envoyée/);
      assert.match(page.body, /nouvelle@exemple\.fr/);

      const asRepresentant = await post(
        t,
        `/editeur/organisations/${org.id}/invitations`,
        { email: 'r@exemple.fr', role: 'representant' },
        org.cookies.representant,
      );
      assert.equal(asRepresentant.statusCode, 403);
      const promote = await post(
        t,
        `/editeur/organisations/${org.id}/membres/${org.salarie.accountId}/role`,
        { role: 'representant' },
        org.cookies.representant,
      );
      assert.equal(promote.statusCode, 403);
      const demoteMandataire = await post(
        t,
        `/editeur/organisations/${org.id}/membres/${org.mandataire.accountId}/role`,
        { role: 'salarie' },
        org.cookies.representant,
      );
      assert.equal(demoteMandataire.statusCode, 403);
      assert.match(demoteMandataire.body, /Seul un mandataire/);
      assert.equal(await roleOf(t, org.id, org.mandataire.accountId), 'mandataire');

      const removeSalarie = await post(
        t,
        `/editeur/organisations/${org.id}/membres/${org.salarie.accountId}/retrait`,
        {},
        org.cookies.representant,
      );
      assert.equal(removeSalarie.statusCode, 303);
      assert.equal(await roleOf(t, org.id, org.salarie.accountId), undefined);
      const actions = await auditActions(t, org.id);
      assert.ok(actions.includes('organisation.member_invited'));
      assert.ok(actions.includes('organisation.member_removed'));
    });

    it('lets the mandataire appoint representatives, and always keeps one mandataire', async () => {
      const org = await makeOrg(t);
      const promote = await post(
        t,
        `/editeur/organisations/${org.id}/membres/${org.salarie.accountId}/role`,
        { role: 'representant' },
        org.cookies.mandataire,
      );
      assert.equal(promote.statusCode, 303);
      assert.equal(await roleOf(t, org.id, org.salarie.accountId), 'representant');

      const leave = await post(
        t,
        `/editeur/organisations/${org.id}/membres/${org.mandataire.accountId}/retrait`,
        {},
        org.cookies.mandataire,
      );
      assert.equal(leave.statusCode, 409);
      assert.match(leave.body, /au moins un mandataire/);
      const demote = await api(
        t,
        'PATCH',
        `/api/v1/organisations/${org.id}/members/${org.mandataire.accountId}`,
        { cookies: org.cookies.mandataire },
        { role: 'salarie' },
      );
      assert.equal(demote.statusCode, 409);
      assert.equal(demote.json().error.code, 'last_mandataire');
      assert.equal(await roleOf(t, org.id, org.mandataire.accountId), 'mandataire');

      // With a second mandataire, the first may step down.
      const second = await api(
        t,
        'PATCH',
        `/api/v1/organisations/${org.id}/members/${org.representant.accountId}`,
        { cookies: org.cookies.mandataire },
        { role: 'mandataire' },
      );
      assert.equal(second.statusCode, 200);
      assert.equal(second.json().role, 'mandataire');
      const stepDown = await api(
        t,
        'DELETE',
        `/api/v1/organisations/${org.id}/members/${org.mandataire.accountId}`,
        { cookies: org.cookies.mandataire },
      );
      assert.equal(stepDown.statusCode, 204);
      const actions = await auditActions(t, org.id);
      assert.equal(actions.filter((a) => a === 'organisation.member_role_changed').length, 2);
    });

    it('creates the account of a new person from an invitation', async () => {
      const org = await makeOrg(t);
      await post(
        t,
        `/editeur/organisations/${org.id}/invitations`,
        { email: 'invitee@exemple.fr', role: 'representant' },
        org.cookies.mandataire,
      );
      const token = await tokenFromMail(t, 'invitee@exemple.fr', '/invitation');
      const page = await get(t, `/invitation?jeton=${token}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Éditeur Exemple/);
      assert.match(page.body, /Représentant/);
      const short = await post(t, '/invitation', { jeton: token, displayName: 'Invitée', password: 'court' });
      assert.equal(short.statusCode, 422);
      assert.match(short.body, /value="Invitée"/);
      const ok = await post(t, '/invitation', {
        jeton: token,
        displayName: 'Invitée Exemple',
        password: 'une phrase de passe solide',
      });
      assert.equal(ok.statusCode, 303);
      assert.equal(ok.headers.location, '/connexion?ok=invitation');
      const account = await t.db
        .selectFrom('accounts')
        .selectAll()
        .where('email', '=', 'invitee@exemple.fr')
        .executeTakeFirstOrThrow();
      assert.ok(account.email_verified_at);
      assert.equal(await roleOf(t, org.id, account.id), 'representant');
      assert.equal((await get(t, `/invitation?jeton=${token}`)).statusCode, 400, 'the link serves once');
      const signIn = await post(t, '/connexion', {
        email: 'invitee@exemple.fr',
        password: 'une phrase de passe solide',
      });
      assert.equal(signIn.statusCode, 303);
      assert.ok(signIn.cookies.some((c) => c.name === SESSION_COOKIE));
    });

    it('adds the membership to the signed-in account with the invited address', async () => {
      const org = await makeOrg(t);
      const other = await makeOrg(t, 'Deuxième éditeur');
      await post(
        t,
        `/editeur/organisations/${other.id}/invitations`,
        { email: org.salarie.email, role: 'salarie' },
        other.cookies.mandataire,
      );
      const token = await tokenFromMail(t, org.salarie.email, '/invitation');
      const anonymous = await get(t, `/invitation?jeton=${token}`);
      assert.match(anonymous.body, /connectez-vous avec ce compte/);
      const wrongAccount = await post(t, '/invitation', { jeton: token }, org.cookies.mandataire);
      assert.equal(wrongAccount.statusCode, 403);
      const ok = await post(t, '/invitation', { jeton: token }, org.cookies.salarie);
      assert.equal(ok.statusCode, 303);
      assert.equal(await roleOf(t, other.id, org.salarie.accountId), 'salarie');
      const orgs = await listOrganisationsOf(t.db, org.salarie.accountId);
      assert.deepEqual(orgs.map((o) => o.legalName).sort(), ['Deuxième éditeur', 'Éditeur Exemple']);
    });

    it('refuses to invite someone already a member', async () => {
      const org = await makeOrg(t);
      const res = await api(
        t,
        'POST',
        `/api/v1/organisations/${org.id}/invitations`,
        { cookies: org.cookies.mandataire },
        {
          email: org.salarie.email.toUpperCase(),
          role: 'salarie',
        },
      );
      assert.equal(res.statusCode, 422);
      assert.match(res.json().error.fields.email, /déjà membre/);
    });
  });

  describe('admin console', () => {
    let admin: TestAccount;
    let cookies: Record<string, string>;
    before(async () => {
      admin = await createAccount(t.db, { staff: ['admin'] });
      cookies = await sessionCookie(t.db, { accountId: admin.accountId });
    });

    it('is for administrators only', async () => {
      const org = await makeOrg(t);
      assert.equal((await get(t, '/admin', org.cookies.mandataire)).statusCode, 403);
      const instructeur = await createAccount(t.db, { staff: ['instructeur'] });
      assert.equal(
        (await get(t, '/admin', await sessionCookie(t.db, { accountId: instructeur.accountId }))).statusCode,
        403,
      );
      const res = await get(t, '/admin', cookies);
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /Administration/);
    });

    it('finds people by address and grants and removes staff roles', async () => {
      const person = await createAccount(t.db);
      const search = await get(t, `/admin?q=${encodeURIComponent(person.email.slice(0, 6))}`, cookies);
      assert.match(search.body, new RegExp(person.email));
      const detail = await get(t, `/admin/comptes/${person.accountId}`, cookies);
      assert.equal(detail.statusCode, 200);
      assert.match(detail.body, /Aucun rôle d’agent/);

      const grant = await post(
        t,
        `/admin/comptes/${person.accountId}/roles`,
        { role: 'instructeur' },
        cookies,
      );
      assert.equal(grant.statusCode, 303);
      const roles = await t.db
        .selectFrom('staff_roles')
        .select('role')
        .where('account_id', '=', person.accountId)
        .execute();
      assert.deepEqual(
        roles.map((r) => r.role),
        ['instructeur'],
      );
      assert.equal(
        (await post(t, `/admin/comptes/${person.accountId}/roles`, { role: 'roi' }, cookies)).statusCode,
        422,
      );
      const remove = await post(
        t,
        `/admin/comptes/${person.accountId}/roles/instructeur/retrait`,
        {},
        cookies,
      );
      assert.equal(remove.statusCode, 303);
      assert.equal(
        (
          await t.db
            .selectFrom('staff_roles')
            .select('role')
            .where('account_id', '=', person.accountId)
            .execute()
        ).length,
        0,
      );
      const actions = await auditActions(t, person.accountId);
      assert.ok(actions.includes('account.staff_role_granted'));
      assert.ok(actions.includes('account.staff_role_removed'));
    });

    it('unlocks a locked account', async () => {
      const person = await createAccount(t.db);
      await t.db
        .updateTable('accounts')
        .set({ locked_until: new Date(Date.now() + 600_000), failed_sign_ins: 0 })
        .where('id', '=', person.accountId)
        .execute();
      assert.match((await get(t, `/admin/comptes/${person.accountId}`, cookies)).body, /Verrouillé jusqu’à/);
      const res = await post(t, `/admin/comptes/${person.accountId}/deverrouillage`, {}, cookies);
      assert.equal(res.statusCode, 303);
      const row = await t.db
        .selectFrom('accounts')
        .select('locked_until')
        .where('id', '=', person.accountId)
        .executeTakeFirstOrThrow();
      assert.equal(row.locked_until, null);
      assert.equal(
        (await post(t, '/connexion', { email: person.email, password: person.password })).statusCode,
        303,
      );
      assert.ok((await auditActions(t, person.accountId)).includes('account.unlocked'));
    });

    it('disables an account (sessions and tokens stop) and enables it again', async () => {
      const org = await makeOrg(t);
      const token = (
        await api(
          t,
          'POST',
          '/api/v1/me/api-tokens',
          { cookies: org.cookies.salarie },
          {
            name: 'ci',
            organisationId: org.id,
            days: 10,
          },
        )
      ).json().token;
      const res = await post(t, `/admin/comptes/${org.salarie.accountId}/desactivation`, {}, cookies);
      assert.equal(res.statusCode, 303);
      assert.equal((await get(t, '/compte', org.cookies.salarie)).statusCode, 303);
      assert.equal((await api(t, 'GET', '/api/v1/me', { token })).statusCode, 401);
      const signIn = await post(t, '/connexion', {
        email: org.salarie.email,
        password: org.salarie.password,
      });
      assert.equal(signIn.statusCode, 403);
      const enable = await post(t, `/admin/comptes/${org.salarie.accountId}/reactivation`, {}, cookies);
      assert.equal(enable.statusCode, 303);
      assert.equal((await api(t, 'GET', '/api/v1/me', { token })).statusCode, 200);
      const self = await post(t, `/admin/comptes/${admin.accountId}/desactivation`, {}, cookies);
      assert.equal(self.statusCode, 409);
      assert.match(self.body, /propre compte/);
    });

    it('keeps at least one active administrator', async () => {
      // In this database, the console's administrator is the only one.
      const res = await api(t, 'DELETE', `/api/v1/admin/accounts/${admin.accountId}/staff-roles/admin`, {
        cookies,
      });
      assert.equal(res.statusCode, 409);
      assert.equal(res.json().error.code, 'last_admin');
      assert.match(res.json().error.message, /au moins un administrateur/);
    });

    it('suspends an organisation (its tokens stop, its members are frozen) and reactivates it', async () => {
      const org = await makeOrg(t, 'Éditeur à suspendre');
      const token = (
        await api(
          t,
          'POST',
          '/api/v1/me/api-tokens',
          { cookies: org.cookies.mandataire },
          {
            name: 'ci',
            organisationId: org.id,
            days: 10,
          },
        )
      ).json().token;
      const list = await get(t, `/admin?organisation=${encodeURIComponent('à suspendre')}`, cookies);
      assert.match(list.body, /Éditeur à suspendre/);
      const res = await post(t, `/admin/organisations/${org.id}/suspension`, {}, cookies);
      assert.equal(res.statusCode, 303);
      const row = await t.db
        .selectFrom('organisations')
        .select('status')
        .where('id', '=', org.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'suspended');
      assert.equal((await api(t, 'GET', '/api/v1/me', { token })).statusCode, 401);
      const page = await get(t, `/editeur/organisations/${org.id}/membres`, org.cookies.mandataire);
      assert.match(page.body, /Cette organisation est suspendue/);
      const invite = await post(
        t,
        `/editeur/organisations/${org.id}/invitations`,
        { email: 'x@exemple.fr', role: 'salarie' },
        org.cookies.mandataire,
      );
      assert.equal(invite.statusCode, 409);
      const back = await api(t, 'POST', `/api/v1/admin/organisations/${org.id}/reactivate`, { cookies });
      assert.equal(back.statusCode, 204);
      assert.equal((await api(t, 'GET', '/api/v1/me', { token })).statusCode, 200);
      const actions = await auditActions(t, org.id);
      assert.ok(actions.includes('organisation.suspended'));
      assert.ok(actions.includes('organisation.reactivated'));
    });

    it('answers the same through the JSON API', async () => {
      const person = await createAccount(t.db);
      const found = await api(t, 'GET', `/api/v1/admin/accounts?email=${encodeURIComponent(person.email)}`, {
        cookies,
      });
      assert.equal(found.statusCode, 200);
      assert.equal(found.json()[0].id, person.accountId);
      const granted = await api(
        t,
        'POST',
        `/api/v1/admin/accounts/${person.accountId}/staff-roles`,
        { cookies },
        { role: 'commission' },
      );
      assert.equal(granted.statusCode, 200);
      assert.deepEqual(granted.json().staffRoles, ['commission']);
      assert.equal(
        (await api(t, 'GET', '/api/v1/admin/accounts/00000000-0000-4000-8000-000000000000', { cookies }))
          .statusCode,
        404,
      );
    });
  });

  describe('accounts made by the operator', () => {
    it('creates a staff account and a publisher with a new organisation', async () => {
      const staff = await createStaffOrPublisherAccount(t, {
        email: 'Agent@Exemple.fr',
        displayName: 'Agent Instructeur',
        password: 'un mot de passe solide',
        staffRoles: ['instructeur', 'commission'],
      });
      const roles = await t.db
        .selectFrom('staff_roles')
        .select('role')
        .where('account_id', '=', staff.accountId)
        .orderBy('role')
        .execute();
      assert.deepEqual(
        roles.map((r) => r.role),
        ['commission', 'instructeur'],
      );
      const signIn = await post(t, '/connexion', {
        email: 'agent@exemple.fr',
        password: 'un mot de passe solide',
      });
      assert.equal(signIn.headers.location, '/compte/double-authentification');

      const siren = randomSiren();
      const publisher = await createStaffOrPublisherAccount(t, {
        email: 'editeur@exemple.fr',
        displayName: 'Éditrice Démo',
        organisation: {
          legalName: 'Démo Santé',
          siren,
          address: '1 place de la Gare, Lille',
          legalRepresentative: 'Éditrice Démo',
        },
      });
      assert.ok(publisher.organisationId);
      assert.equal(await roleOf(t, publisher.organisationId, publisher.accountId), 'mandataire');
      assert.match(publisher.setPasswordLink ?? '', /\/reinitialisation\?jeton=/);
      assert.ok(await latestMailTo(t, 'editeur@exemple.fr'));

      await assert.rejects(
        createStaffOrPublisherAccount(t, { email: 'editeur@exemple.fr', displayName: 'Doublon' }),
        (error: { status: number; fields: Record<string, string> }) =>
          error.status === 422 && error.fields.email === 'identity.field.email_taken',
      );
      await assert.rejects(
        createStaffOrPublisherAccount(t, {
          email: 'autre@exemple.fr',
          displayName: 'X',
          organisation: { legalName: 'Y', siren: '123456789', address: 'a', legalRepresentative: 'b' },
        }),
        (error: { fields: Record<string, string> }) => error.fields.siren === 'identity.field.siren_key',
      );
    });
  });
});
