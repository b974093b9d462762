/**
 * The citizen's space for services and consents in a real Chromium, in French and English, each page checked
 * by axe-core (WCAG 2.1 AA): my services (with a minor's section), one service's consents, a change saved, a
 * stale change, the unpairing confirmation, the activity history, and closing the space; then the same
 * consent change and unpairing with JavaScript disabled.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { type ConsentDeps, pair } from '../src/consent/index.ts';
import type { Actor } from '../src/identity/model.ts';
import { checkPage, describeBrowser, signIn } from './browser.ts';
import { CONCURRENCY, en, openPage, submitAndCheck } from './browser-forms.ts';
import { createCitizen } from './helpers.ts';
import { type PublishedService, publishExchangeService } from './oauth-fixtures.ts';

const citizen = (citizenId: string): Actor => ({ kind: 'citizen', citizenId, displayName: 'Usager' });

const TEXTS = {
  fr: {
    list: 'Mes services connectés',
    mine: 'Mes services',
    minor: 'Services de Léo Parent',
    active: 'Actif',
    consents: 'Vos accords',
    immediate: 'Un retrait prend effet immédiatement',
    soins: 'Soins',
    save: 'Enregistrer',
    saved: 'Vos accords sont enregistrés.',
    conflict: 'Une modification a été faite entre-temps',
    unpair: 'Désynchroniser ce service',
    unpairTitle: 'Désynchroniser Tension Nette ?',
    unpairConfirm: 'Oui, désynchroniser',
    unpaired: 'Le service est désynchronisé.',
    activity: 'Historique d’activité',
    paired: 'Synchronisation et accords donnés',
    close: 'Fermer mon espace',
    erased: 'Ce qui est effacé',
    confirm: 'Je comprends que mon espace et mes données seront effacés définitivement.',
    closeSubmit: 'Fermer définitivement mon espace',
    confirmRequired: 'Cochez la case de confirmation pour fermer votre espace.',
    closed: 'Votre espace est fermé',
  },
  en: {
    list: 'My connected services',
    mine: 'My services',
    minor: 'Services of Léo Parent',
    active: 'Active',
    consents: 'Your consents',
    immediate: 'A withdrawal takes effect at once',
    soins: 'Care',
    save: 'Save',
    saved: 'Your consents are saved.',
    conflict: 'A change was made meanwhile',
    unpair: 'Unsynchronise this service',
    unpairTitle: 'Unsynchronise Tension Nette?',
    unpairConfirm: 'Yes, unsynchronise',
    unpaired: 'The service is unsynchronised.',
    activity: 'Activity history',
    paired: 'Synchronised, consents given',
    close: 'Close my space',
    erased: 'What is erased',
    confirm: 'I understand that my space and my data will be erased for good.',
    closeSubmit: 'Close my space for good',
    confirmRequired: 'Tick the confirmation box to close your space.',
    closed: 'Your space is closed',
  },
};

describeBrowser('the citizen space for services and consents in a browser', {}, (suite) => {
  let service: PublishedService;
  let deps: ConsentDeps;

  before(async () => {
    const app = suite.server.mesref;
    deps = { db: app.db, notifier: app.notifier };
    service = await publishExchangeService(app, {
      name: 'Tension Nette',
      redirectUri: 'https://tension-nette.exemple.test/retour',
    });
  });

  /** A guardian with a minor in care; the guardian paired the service for themself and for the minor. */
  async function family(lang: string) {
    const db = suite.server.mesref.db;
    const parent = await createCitizen(db, 'Camille', `Parent ${lang}`);
    const minor = await createCitizen(db, 'Léo', 'Parent');
    await db
      .updateTable('citizens')
      .set({ birthdate: `${new Date().getUTCFullYear() - 9}-06-01` })
      .where('id', '=', minor)
      .execute();
    await db.insertInto('guardianships').values({ guardian_id: parent, minor_id: minor }).execute();
    const own = await pair(deps, citizen(parent), {
      serviceOid: service.oid,
      forCitizenId: parent,
      finalites: ['prevention'],
      scopes: ['pression-arterielle.read', 'pression-arterielle.write', 'poids.read'],
    });
    await pair(deps, citizen(parent), {
      serviceOid: service.oid,
      forCitizenId: minor,
      finalites: ['soins'],
      scopes: ['pression-arterielle.read'],
    });
    return { parent, minor, own };
  }

  describe('with JavaScript', { concurrency: CONCURRENCY }, () => {
    for (const lang of ['fr', 'en'] as const) {
      const l = TEXTS[lang];
      const url = (path: string) => `${suite.url}${lang === 'en' ? en(path) : path}`;

      it(`${lang}: lists, changes, meets a stale change, unpairs, reads the history, closes the space`, async (t) => {
        const { parent, own } = await family(lang);
        const page = await openPage(suite, t);
        await signIn(page, suite.server, { citizenId: parent });

        await checkPage(page, url('/usager/services'), {
          lang,
          expectText: [l.list, l.mine, l.minor, 'Tension Nette', l.active],
        });
        const servicePage = url(`/usager/services/${own.pairingId}`);
        await checkPage(page, servicePage, { lang, expectText: ['Tension Nette', l.consents, l.immediate] });

        // A second tab changes the consents first: this tab's change is then stale.
        const other = await openPage(suite, t);
        await signIn(other, suite.server, { citizenId: parent });
        await other.goto(servicePage);
        await other.locator('label[for="finalites-soins"]').click();
        await submitAndCheck(other, () => other.getByRole('button', { name: l.save, exact: true }).click(), {
          lang,
          expectText: [l.saved],
        });
        await page.locator('label[for="finalites-prevention"]').click();
        await submitAndCheck(page, () => page.getByRole('button', { name: l.save, exact: true }).click(), {
          lang,
          status: 409,
          expectText: [l.conflict],
        });
        assert.ok(await page.getByRole('checkbox', { name: new RegExp(`^${l.soins}`) }).isChecked());
        // Now from the current state.
        await page.locator('label[for="finalites-prevention"]').click();
        await submitAndCheck(page, () => page.getByRole('button', { name: l.save, exact: true }).click(), {
          lang,
          expectText: [l.saved],
        });
        assert.equal(await page.getByRole('checkbox', { name: /^Prév|^Prevention/ }).isChecked(), false);

        await submitAndCheck(page, () => page.getByRole('link', { name: l.unpair }).click(), {
          lang,
          expectText: [l.unpairTitle],
        });
        await submitAndCheck(page, () => page.getByRole('button', { name: l.unpairConfirm }).click(), {
          lang,
          expectText: [l.unpaired],
        });

        await checkPage(page, url('/usager/activite'), { lang, expectText: [l.activity, l.paired] });

        await checkPage(page, url('/usager/fermer'), { lang, expectText: [l.close, l.erased] });
        await submitAndCheck(page, () => page.getByRole('button', { name: l.closeSubmit }).click(), {
          lang,
          status: 422,
          expectText: [l.confirmRequired],
        });
        await page.locator('label[for="confirmation"]').click();
        await submitAndCheck(page, () => page.getByRole('button', { name: l.closeSubmit }).click(), {
          lang,
          expectText: [l.closed],
        });
      });
    }
  });

  it('works without JavaScript: change consents, unpair with its confirmation page', async (t) => {
    const { parent, own } = await family('nojs');
    const page = await openPage(suite, t, { javaScriptEnabled: false });
    await signIn(page, suite.server, { citizenId: parent });
    const l = TEXTS.fr;
    await checkPage(page, `${suite.url}/usager/services/${own.pairingId}`, {
      axe: false,
      expectText: [l.consents],
    });
    await page.getByRole('checkbox', { name: /^Soins/ }).check({ force: true });
    await submitAndCheck(page, () => page.getByRole('button', { name: l.save, exact: true }).click(), {
      axe: false,
      expectText: [l.saved],
    });
    assert.ok(await page.getByRole('checkbox', { name: /^Soins/ }).isChecked());
    await submitAndCheck(page, () => page.getByRole('link', { name: l.unpair }).click(), {
      axe: false,
      expectText: [l.unpairTitle],
    });
    await submitAndCheck(page, () => page.getByRole('button', { name: l.unpairConfirm }).click(), {
      axe: false,
      expectText: [l.unpaired],
    });
  });
});
