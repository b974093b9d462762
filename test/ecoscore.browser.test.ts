/**
 * The écoscore pages in a real Chromium, checked by axe-core (WCAG 2.1 AA) in French and English: the journey
 * editor (a refused journey shows its line), a finished run's report (seeded in the database, no browser
 * measurement here), and the official record form. Sessions are made in the database.
 */
import { before, it } from 'node:test';
import { createJourney } from '../src/ecoscore/index.ts';
import { loadMethod } from '../src/ecoscore/method.ts';
import { computeEcoscore, type StepMetrics } from '../src/ecoscore/model.ts';
import type { Actor } from '../src/identity/model.ts';
import { newId } from '../src/platform/crypto.ts';
import { checkPage, describeBrowser, signIn } from './browser.ts';
import { submitAndCheck } from './browser-forms.ts';
import { createAccount, createOrganisation, type TestAccount } from './helpers.ts';

const JOURNEY = `name: Prise de rendez-vous
device: smartphone
steps:
  - { label: Accueil, goto: https://rdv.exemple.fr/ }
  - { label: Bas de page, scroll: bottom }
`;

describeBrowser('écoscore pages', {}, (suite) => {
  let publisher: TestAccount;
  let productId: string;
  let journeyId: string;
  let runId: string;

  before(async () => {
    const db = suite.server.mesref.db;
    const orgId = await createOrganisation(db);
    publisher = await createAccount(db, { organisation: { id: orgId, role: 'mandataire' } });
    productId = newId();
    await db
      .insertInto('products')
      .values({
        id: productId,
        organisation_id: orgId,
        commercial_name: 'Rendez-vous Santé',
        os: 'web',
        device: 'site-web',
        version: '2.0',
        description: 'Prise de rendez-vous',
        url_web: 'https://rdv.exemple.fr/',
        url_ios: null,
        url_android: null,
        url_cgu: null,
        url_privacy: null,
        thematics: '[]',
        regions: '[]',
        audience: '[]',
        economic_model: 'gratuit',
        medical_device: false,
        medical_device_class: null,
        data_exchange: false,
        row_version: 1,
        created_by: null,
        updated_at: new Date(),
      })
      .execute();
    const actor: Actor = {
      kind: 'account',
      accountId: publisher.accountId,
      email: publisher.email,
      displayName: 'Test',
      staffRoles: [],
      memberships: [{ organisationId: orgId, role: 'mandataire' }],
      secondFactorOk: true,
      totpEnabled: false,
    };
    const { mesref } = suite.server;
    journeyId = (
      await createJourney(
        { db, config: mesref.config, referentials: mesref.referentials },
        actor,
        productId,
        {
          source: JOURNEY,
        },
      )
    ).id;
    // A finished run, as the worker leaves it.
    const steps: StepMetrics[] = [
      {
        label: 'Accueil',
        url: 'https://rdv.exemple.fr/',
        bytes: 900_000,
        requests: 45,
        domElements: 700,
        cpuMs: 900,
        durationMs: 2500,
      },
      {
        label: 'Bas de page',
        url: 'https://rdv.exemple.fr/',
        bytes: 120_000,
        requests: 6,
        domElements: 720,
        cpuMs: 150,
        durationMs: 800,
      },
    ];
    const idle = { label: 'repos', bytes: 0, requests: 0, domElements: 1, cpuMs: 5, durationMs: 3000 };
    const score = computeEcoscore(loadMethod(), 'smartphone', steps, idle);
    runId = newId();
    await db
      .insertInto('ecoscore_runs')
      .values({
        id: runId,
        journey_id: journeyId,
        product_id: productId,
        journey_version: 1,
        product_version: '2.0',
        runs: 3,
        status: 'done',
        progress: JSON.stringify({ done: 6, total: 6 }),
        result: JSON.stringify({
          ...score,
          medians: steps,
          idle,
          pages: [
            {
              url: 'https://rdv.exemple.fr/',
              steps: ['Accueil', 'Bas de page'],
              dom: 720,
              requests: 51,
              sizeKb: 996,
              ecoindex: { score: 58, grade: 'C', ghgGco2e: 1.84, waterCl: 2.76 },
            },
          ],
          environment: {
            chromium: '120.0',
            viewport: { width: 360, height: 800 },
            network: { name: '4G' },
            cpuSlowdown: 4,
          },
        }),
        failures: '[]',
        error: null,
        score: score.score,
        method_version: score.methodVersion,
        requested_by: publisher.accountId,
        started_at: new Date(),
        heartbeat_at: new Date(),
        finished_at: new Date(),
      })
      .execute();
  });

  it('shows the journeys, the editor, a report and the official record form, in French then English', async (t) => {
    const page = await suite.newPage();
    t.after(() => page.context().close());
    await signIn(page, suite.server, { accountId: publisher.accountId });
    const base = `${suite.url}/editeur/services/${productId}/ecoscore`;

    await checkPage(page, base, {
      lang: 'fr',
      expectText: [
        'Prise de rendez-vous',
        'Écoscore indicatif, pas l’écoscore officiel',
        'Historique des mesures',
      ],
    });
    await checkPage(page, `${base}/parcours/nouveau`, {
      expectText: ['Nouveau parcours', 'Texte du parcours (YAML)'],
    });
    await page
      .getByLabel(/Texte du parcours/)
      .fill('name: Ailleurs\ndevice: smartphone\nsteps:\n  - { label: A, goto: https://autre.test/ }\n');
    await submitAndCheck(page, () => page.getByRole('button', { name: 'Ajouter le parcours' }).click(), {
      status: 422,
      expectText: [/Parcours refusé/, /Ligne 4/],
    });

    await checkPage(page, `${suite.url}/editeur/ecoscore/parcours/${journeyId}`, {
      expectText: ['Mesurer ce parcours', 'Lancer la mesure'],
    });
    await checkPage(page, `${suite.url}/editeur/ecoscore/mesures/${runId}`, {
      expectText: [
        'Étape par étape',
        'EcoIndex des pages atteintes',
        'Note C',
        'Seuils utilisés',
        'À améliorer en premier',
      ],
    });
    await checkPage(page, `${base}/officiel`, {
      expectText: ['Score officiel sur 100', 'Rapport officiel (fichier)'],
    });
    await page.getByLabel(/Score officiel sur 100/).fill('50');
    await page.getByLabel(/Date de la mesure/).fill('2999-05-02');
    await page.getByLabel(/Nom du parcours mesuré/).fill('Prise de rendez-vous');
    await submitAndCheck(
      page,
      () => page.getByRole('button', { name: 'Enregistrer l’écoscore officiel' }).click(),
      {
        status: 422,
        expectText: [
          'Le formulaire contient des erreurs',
          'La date ne peut pas être future.',
          'Joignez le rapport officiel (fichier) ou donnez son adresse.',
        ],
      },
    );

    await checkPage(page, `${base}?lang=en`, { lang: 'en', expectText: ['Measurement history', 'Journeys'] });
    await checkPage(page, `${suite.url}/editeur/ecoscore/parcours/${journeyId}`, {
      lang: 'en',
      expectText: ['Measure this journey'],
    });
    await checkPage(page, `${suite.url}/editeur/ecoscore/mesures/${runId}`, {
      lang: 'en',
      expectText: ['Step by step', 'Grade C', 'Thresholds used', 'What to improve first'],
    });
    await checkPage(page, `${base}/officiel`, { lang: 'en', expectText: ['Official score out of 100'] });
  });
});
