// mesref-test: once (which answers every route gives each role does not depend on the database under it)
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Actor, authorize, type OrganisationRole, type StaffRole } from '../src/identity/model.ts';
import {
  CSRF,
  createAccount,
  createCitizen,
  createOrganisation,
  sessionCookie,
  startTestApp,
  type TestApp,
} from './helpers.ts';

/**
 * Walks every route the app serves, as every kind of actor, and checks the answer against the one
 * authorization function: a denied action never reaches its handler, an allowed one is never refused.
 */
interface Persona {
  name: string;
  actor: Actor;
  cookies: () => Promise<Record<string, string>>;
}

// `service.api` routes answer a referenced service's OAuth bearer token, never a person: test/oauth.test.ts,
// test/fhir-api.test.ts and the measures and documents API tests check them.
const SKIP = [/^\/test-idp/, /^\/dsfr\//, /^\/static\//, /^\/api\/docs/, /\*/];

describe('authorization: every route × every role', () => {
  let t: TestApp;
  let orgId: string;
  const personas: Persona[] = [];

  before(async () => {
    t = await startTestApp();
    const db = t.db;
    orgId = await createOrganisation(db, 'Organisation A');
    const otherOrg = await createOrganisation(db, 'Organisation B');

    const member = async (role: OrganisationRole, org = orgId) => {
      const a = await createAccount(db, { organisation: { id: org, role } });
      return a;
    };
    const staff = async (role: StaffRole) => createAccount(db, { staff: [role] });
    const accountActor = (
      a: { accountId: string; email: string },
      staffRoles: StaffRole[],
      memberships: Array<{ organisationId: string; role: OrganisationRole }>,
      secondFactorOk = true,
    ): Actor => ({
      kind: 'account',
      accountId: a.accountId,
      email: a.email,
      displayName: 'x',
      staffRoles,
      memberships,
      secondFactorOk,
      totpEnabled: secondFactorOk,
    });

    personas.push({
      name: 'anonymous',
      actor: { kind: 'anonymous' },
      cookies: async () => ({ mesref_csrf: CSRF }),
    });
    const citizenId = await createCitizen(db);
    personas.push({
      name: 'citizen',
      actor: { kind: 'citizen', citizenId, displayName: 'Alice Testeur' },
      cookies: () => sessionCookie(db, { citizenId }),
    });
    for (const role of ['mandataire', 'representant', 'salarie'] as const) {
      const a = await member(role);
      personas.push({
        name: role,
        actor: accountActor(a, [], [{ organisationId: orgId, role }]),
        cookies: () => sessionCookie(db, { accountId: a.accountId }),
      });
    }
    const outsider = await member('mandataire', otherOrg);
    personas.push({
      name: 'mandataire of another organisation',
      actor: accountActor(outsider, [], [{ organisationId: otherOrg, role: 'mandataire' }]),
      cookies: () => sessionCookie(db, { accountId: outsider.accountId }),
    });
    for (const role of ['instructeur', 'commission', 'decideur', 'admin'] as const) {
      const a = await staff(role);
      personas.push({
        name: role,
        actor: accountActor(a, [role], []),
        cookies: () => sessionCookie(db, { accountId: a.accountId }),
      });
    }
    const adminNo2fa = await staff('admin');
    personas.push({
      name: 'admin before the second factor',
      actor: accountActor(adminNo2fa, ['admin'], [], false),
      cookies: () => sessionCookie(db, { accountId: adminNo2fa.accountId, secondFactor: false }),
    });
  });
  after(() => t.stop());

  it('declares an action on every route', () => {
    assert.ok(t.routes.length > 5);
    for (const route of t.routes) assert.ok(route.action, `${route.method} ${route.url}`);
  });

  it('compiles every route schema, as `mesref serve` does before listening', () => {
    t.app.compileSchemas();
  });

  it('answers every route as the authorization function decides', async () => {
    const failures: string[] = [];
    let checked = 0;
    // A GET never ends a session: one session per persona serves its GETs; any other method gets a fresh one
    // (it may sign out or revoke sessions), and the next GET a fresh one too.
    const sessions = new Map<Persona, Record<string, string>>();
    const cookiesFor = async (persona: Persona, method: string) => {
      if (method !== 'GET') {
        sessions.delete(persona);
        return persona.cookies();
      }
      let cookies = sessions.get(persona);
      if (!cookies) {
        cookies = await persona.cookies();
        sessions.set(persona, cookies);
      }
      return cookies;
    };
    for (const route of t.routes) {
      if (route.action === 'service.api' || SKIP.some((re) => re.test(route.url))) continue;
      const url = route.url
        .replace(/:orgId/g, orgId)
        .replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      for (const persona of personas) {
        const decision = authorize(persona.actor, route.action, {
          organisationId: orgId,
          mode: t.config.mode,
        });
        const isApi = url.startsWith('/api/');
        const res = await t.inject({
          method: route.method as 'GET',
          url,
          cookies: await cookiesFor(persona, route.method),
          headers: {
            'x-csrf-token': CSRF,
            accept: isApi ? 'application/json' : 'text/html',
            ...(route.method === 'GET' || route.method === 'DELETE'
              ? {}
              : { 'content-type': 'application/json' }),
          },
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: '{}' }),
        });
        checked++;
        const location = String(res.headers.location ?? '');
        const refused =
          res.statusCode === 401 ||
          res.statusCode === 403 ||
          (res.statusCode === 303 &&
            /^\/(connexion|usager\/connexion|compte\/double-authentification)/.test(location));
        if (decision.allowed && refused) {
          failures.push(
            `${persona.name} refused ${route.method} ${route.url} (${res.statusCode} ${location})`,
          );
        }
        if (!decision.allowed && !refused) {
          failures.push(`${persona.name} NOT refused ${route.method} ${route.url} (${res.statusCode})`);
        }
      }
    }
    assert.ok(checked > 0);
    assert.deepEqual(failures, []);
  });
});
