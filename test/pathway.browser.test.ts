import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import { blockPageScripts, checkPage, describeBrowser, signIn } from './browser.ts';
import { openPage, submitAndCheck } from './browser-forms.ts';
import { createAccount, createOrganisation } from './helpers.ts';
import { createTestProduct } from './pathway-fixtures.ts';

/** One step: the options to pick (by their visible label), then the submit button. */
interface StepChoice {
  heading: string | RegExp;
  pick: string[];
}

const french: StepChoice[] = [
  { heading: 'Public du service', pick: ['Aux usagers (patients, citoyens, aidants)'] },
  { heading: 'Secteur', pick: ['Sanitaire (santé et bien-être)'] },
  { heading: 'Forme du service', pick: ['Une application mobile'] },
  { heading: 'Disponibilité', pick: ['Oui'] },
  { heading: 'Dispositif médical', pick: ['Oui'] },
  { heading: 'Marquage CE', pick: ['Oui'] },
  { heading: 'Échange de données', pick: ['Oui'] },
  { heading: 'Finalités', pick: ['Prévention', 'Soins'] },
  { heading: 'Téléconsultation', pick: ['Oui'] },
];

const english: StepChoice[] = [
  { heading: 'Audience of the service', pick: ['Users (patients, citizens, carers)'] },
  { heading: 'Sector', pick: ['Social care'] },
  { heading: 'Form of the service', pick: ['A website'] },
  { heading: 'Availability', pick: ['Yes'] },
  { heading: 'Medical device', pick: ['No'] },
  { heading: 'Data exchange', pick: ['No'] },
  { heading: 'Teleconsultation', pick: ['No'] },
];

/** Goes through the steps as a person would: pick, then submit; each page checked with axe. */
async function walk(page: Page, steps: StepChoice[], lang: 'fr' | 'en'): Promise<void> {
  for (const [index, step] of steps.entries()) {
    await page.getByRole('heading', { level: 2, name: step.heading }).waitFor();
    // The total counts the steps that may still be asked: it goes down as answers hide some.
    const state = lang === 'fr' ? `Étape ${index + 1} sur ` : `Step ${index + 1} of `;
    const total = index === steps.length - 1 ? String(steps.length) : '';
    assert.ok(await page.getByText(`${state}${total}`).isVisible(), `${state}${total}`);
    // The DSFR draws the radio over its label: the click lands on the label, as a person's would.
    for (const label of step.pick) await page.getByLabel(label, { exact: true }).check({ force: true });
    const last = index === steps.length - 1;
    const button =
      lang === 'fr' ? (last ? 'Voir le résultat' : 'Étape suivante') : last ? 'See the result' : 'Next step';
    await submitAndCheck(page, () => page.getByRole('button', { name: button, exact: true }).click(), {
      lang,
    });
  }
}

describeBrowser('guided pathway in a browser', {}, (suite) => {
  it('French: the whole pathway without JavaScript, to an eligible result with data exchange', async (t) => {
    const page = await openPage(suite, t);
    await blockPageScripts(page);
    await checkPage(page, `${suite.url}/parcours`, {
      lang: 'fr',
      expectText: ['Mon service peut-il être référencé ?'],
    });
    // Nothing chosen: the same step again, with the error said.
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Étape suivante' }).click(), {
      status: 400,
      lang: 'fr',
      expectText: ['Choisissez une réponse pour continuer.'],
    });
    await walk(page, french, 'fr');
    assert.match(page.url(), /\/parcours\/resultat\?/);
    for (const text of [
      'Votre service peut être référencé',
      'Référencement avec échange de données',
      'Feuille de route',
      'Tester les API dans l’environnement des éditeurs',
      'Points de vigilance',
      'moyenne des deux',
      'Critères applicables',
    ]) {
      assert.ok(await page.getByText(text).first().isVisible(), text);
    }
    // Back from the result to a step: the answer is kept.
    await submitAndCheck(
      page,
      () =>
        page
          .getByRole('link', {
            name: 'Modifier la réponse « Votre service permet-il des téléconsultations ? »',
          })
          .click(),
      { lang: 'fr' },
    );
    assert.ok(await page.getByLabel('Oui', { exact: true }).isChecked());
    await submitAndCheck(page, () => page.getByRole('link', { name: 'Étape précédente' }).click(), {
      lang: 'fr',
      expectText: ['Finalités'],
    });
    assert.ok(await page.getByLabel('Soins', { exact: true }).isChecked());
  });

  it('English: the whole pathway without JavaScript, to simple referencing', async (t) => {
    const page = await openPage(suite, t);
    await blockPageScripts(page);
    await checkPage(page, `${suite.url}/parcours?lang=en`, {
      lang: 'en',
      expectText: ['Can my service be referenced?'],
    });
    await walk(page, english, 'en');
    for (const text of [
      'Your service can be referenced',
      'Referencing without data exchange (simple referencing)',
      'Simple referencing needs no exchange tests',
    ]) {
      assert.ok(await page.getByText(text).first().isVisible(), text);
    }
  });

  it('a blocking answer ends the pathway with the rule and its source', async (t) => {
    const page = await openPage(suite, t);
    await blockPageScripts(page);
    await checkPage(page, `${suite.url}/parcours`, { lang: 'fr' });
    await page.getByLabel('Aux professionnels (santé, médico-social, social)').check({ force: true });
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Étape suivante' }).click(), {
      lang: 'fr',
      expectText: [
        'Votre service relève d’une autre offre que le catalogue de Mon espace santé',
        'Parcours guidé G_NIUS',
      ],
    });
  });

  it('resources, in French and in English', async (t) => {
    const page = await openPage(suite, t);
    await checkPage(page, `${suite.url}/ressources`, {
      lang: 'fr',
      expectText: [
        'Ressources officielles',
        'Référencement éditeurs et guide du référencement',
        'Guides et outils de mesref',
      ],
    });
    await checkPage(page, `${suite.url}/ressources?lang=en`, {
      lang: 'en',
      expectText: ['Official resources', 'Convergence, the maturity assessment', 'mesref guides and tools'],
    });
  });

  it('a publisher saves the result onto its service and sees it there', async (t) => {
    const db = suite.server.mesref.db;
    const orgId = await createOrganisation(db, 'Éditeur du navigateur');
    const productId = await createTestProduct(db, orgId, 'Poids Facile');
    const account = await createAccount(db, { organisation: { id: orgId, role: 'mandataire' } });
    const page = await openPage(suite, t);
    await blockPageScripts(page);
    await signIn(page, suite.server, { accountId: account.accountId });
    const query =
      'public=usagers&secteur=sanitaire&forme=application-mobile&utilisable=oui&dispositif_medical=non&echange_donnees=oui&finalites=soins&teleconsultation=non';
    await checkPage(page, `${suite.url}/parcours/resultat?${query}`, {
      lang: 'fr',
      expectText: ['Enregistrer ce résultat sur un service'],
    });
    await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Poids Facile iOS Mobile' });
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Enregistrer le résultat' }).click(), {
      lang: 'fr',
      expectText: ['Résultat enregistré', 'Référencement avec échange de données'],
    });
    assert.match(page.url(), new RegExp(`/editeur/services/${productId}/parcours`));
    await checkPage(page, `${suite.url}/editeur/services/${productId}/parcours?lang=en`, {
      lang: 'en',
      expectText: ['Last result saved on', 'Referencing with data exchange'],
    });
  });
});
