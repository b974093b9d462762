import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount, sessionCookie, startTestApp, type TestApp } from '../../test/helpers.ts';
import { queueMail } from '../platform/mail.ts';

describe('public pages', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.stop());

  it('serves anonymous visitors the same page, and signed-in people their own', async () => {
    const account = await createAccount(t.db);
    const cookies = await sessionCookie(t.db, { accountId: account.accountId });
    for (const url of ['/', '/accessibilite', '/mentions-legales', '/donnees-personnelles']) {
      const first = await t.inject({ method: 'GET', url });
      const signedIn = await t.inject({ method: 'GET', url, cookies });
      const again = await t.inject({ method: 'GET', url });
      assert.equal(first.statusCode, 200);
      assert.equal(again.body, first.body, `${url}: the anonymous page is the same`);
      const name = signedIn.body.match(/Se déconnecter \(([^)]+)\)/)?.[1];
      assert.ok(name, `${url}: the signed-in page offers to sign out`);
      assert.ok(!again.body.includes(name), `${url}: the anonymous page shows nobody's name`);
      assert.ok(!again.body.includes('Se déconnecter'));
      // Each locale has its own page.
      const english = await t.inject({ method: 'GET', url: `${url}?lang=en` });
      assert.match(english.body, /<html lang="en"/);
      assert.match((await t.inject({ method: 'GET', url })).body, /<html lang="fr"/);
    }
  });

  it('never shares a CSRF token between visitors', async () => {
    const a = await t.inject({ method: 'GET', url: '/' });
    const b = await t.inject({ method: 'GET', url: '/' });
    const tokenOf = (res: typeof a) => String(res.headers['set-cookie']).match(/mesref_csrf=([^;]+)/)?.[1];
    const [ta, tb] = [tokenOf(a), tokenOf(b)];
    if (ta && tb) assert.notEqual(ta, tb);
    if (ta) assert.ok(!b.body.includes(ta), 'the second visitor never gets the first one’s token');
    // A page with a form shows each visitor the token of their own cookie.
    const form = await t.inject({ method: 'GET', url: '/connexion' });
    const field = form.body.match(/name="_csrf" value="([^"]+)"/)?.[1];
    assert.ok(field, 'the sign-in form carries a CSRF token');
    assert.equal(field, tokenOf(form));
  });

  it('shows the sandbox mailbox with every mail whole and its links as links', async () => {
    await queueMail(t.db, {
      to: 'dominique@exemple.test',
      subject: 'Vérifiez votre adresse',
      text: 'Bonjour,\nOuvrez https://mesref.exemple.test/verifier?jeton=abc&x=1 pour confirmer.\n<b>pas du HTML</b>',
    });
    const res = await t.inject({ method: 'GET', url: '/bac-a-sable/courriels' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Vérifiez votre adresse/);
    assert.match(res.body, /À : dominique@exemple\.test/);
    assert.match(
      res.body,
      /<a href="https:\/\/mesref\.exemple\.test\/verifier\?jeton=abc&amp;x=1">https:\/\/mesref\.exemple\.test\/verifier\?jeton=abc&amp;x=1<\/a>/,
    );
    assert.match(res.body, /&lt;b>pas du HTML&lt;\/b>/);
  });
});
