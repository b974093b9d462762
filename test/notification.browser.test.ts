/**
 * The « Notifications » page in a real Chromium: French and English, axe-core on each, and marking read by
 * its forms with JavaScript disabled.
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { catalog } from '../src/app.ts';
import { checkPage, describeBrowser, signIn } from './browser.ts';
import { createAccount, createCitizen, createOrganisation, type TestAccount } from './helpers.ts';

// The kind these tests send, added to the app's catalog before the app is built (see notification.test.ts).
Object.assign(catalog, {
  'test.notify.review.subject': { fr: 'Dossier {number} à compléter', en: 'File {number} to complete' },
  'test.notify.review.body': {
    fr: 'L’instructeur demande des compléments pour le dossier {number}.',
    en: 'The instructor asks for more information on file {number}.',
  },
});

describeBrowser('notification pages', {}, (suite) => {
  let account: TestAccount;
  let citizenId: string;

  before(async () => {
    const { db, notifier } = suite.server.mesref;
    const orgId = await createOrganisation(db);
    account = await createAccount(db, { organisation: { id: orgId, role: 'mandataire' } });
    citizenId = await createCitizen(db);
    for (const number of ['EVAL-1', 'EVAL-2', 'EVAL-3']) {
      await db.transaction().execute((trx) =>
        notifier.notify(trx, {
          recipients: [{ organisationId: orgId }, { citizenId }],
          kind: 'test.notify.review',
          params: { number },
          link: '/editeur',
        }),
      );
    }
  });

  it('shows the inbox in French and English, accessible', async () => {
    const page = await suite.newPage();
    await signIn(page, suite.server, account);
    await checkPage(page, `${suite.url}/notifications`, {
      lang: 'fr',
      expectText: [
        'Vous avez 3 notifications non lues.',
        'Dossier EVAL-3 à compléter',
        'L’instructeur demande des compléments pour le dossier EVAL-1.',
        'Nouveau',
        'Tout marquer comme lu',
      ],
    });
    await checkPage(page, `${suite.url}/notifications?lang=en`, {
      lang: 'en',
      expectText: [
        'You have 3 unread notifications.',
        'File EVAL-3 to complete',
        'The instructor asks for more information on file EVAL-1.',
        'New',
        'Mark all as read',
      ],
    });
  });

  it('marks read with the page’s forms, without JavaScript', async () => {
    const page = await suite.newPage({ javaScriptEnabled: false });
    await signIn(page, suite.server, account);
    await page.goto(`${suite.url}/notifications`);
    await page.getByRole('button', { name: /Marquer comme lu — Dossier EVAL-3 à compléter/ }).click();
    await page.waitForURL(/ok=read/);
    assert.ok(await page.getByText('Notification marquée comme lue.').isVisible());
    assert.ok(await page.getByText('Vous avez 2 notifications non lues.').isVisible());
    assert.equal(await page.locator('.fr-badge--new').count(), 2);
    await page.getByRole('button', { name: 'Tout marquer comme lu' }).click();
    await page.waitForURL(/ok=all_read/);
    assert.ok(await page.getByText('Vous n’avez aucune notification non lue.').isVisible());
    assert.equal(await page.locator('.fr-badge--new').count(), 0);
  });

  it('gives a citizen their inbox, with the menu item', async () => {
    const page = await suite.newPage();
    await signIn(page, suite.server, { citizenId });
    await checkPage(page, `${suite.url}/notifications`, {
      lang: 'fr',
      expectText: ['Vous avez 3 notifications non lues.', 'Dossier EVAL-2 à compléter'],
    });
    assert.equal(
      await page.locator('#navigation a[href="/notifications"]').getAttribute('aria-current'),
      'page',
    );
  });
});
