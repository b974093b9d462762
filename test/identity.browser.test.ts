/**
 * The identity module's pages in a real Chromium: every page a publisher, a staff member or an administrator
 * reaches, in French and in English, checked by axe-core (WCAG 2.1 AA); the main forms submitted with and
 * without JavaScript; and the journeys end to end (registration, staff second factor, invitation).
 */
import assert from 'node:assert/strict';
import { before, describe, it, type TestContext } from 'node:test';
import type { BrowserContextOptions, Locator, Page } from 'playwright-core';
import { insertEmailToken } from '../src/identity/store.ts';
import { totpCode } from '../src/identity/totp.ts';
import { randomToken, sha256 } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/index.ts';
import { assertAccessible, checkPage, describeBrowser, isVisibleText, mainText, signIn } from './browser.ts';
import { CONCURRENCY, en, openPage, submitAndCheck, visibleButton } from './browser-forms.ts';
import { createAccount, createOrganisation, randomSiren, type TestAccount } from './helpers.ts';

type Text = string | RegExp;

/** What assistive technologies read as a field's description: the texts its aria-describedby points to. */
async function descriptionOf(field: Locator): Promise<string> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const texts = await Promise.all(ids.map((id) => field.page().locator(`[id="${id}"]`).textContent()));
  return texts.join(' ').replace(/\s+/g, ' ').trim();
}

/** A live mail link token (reset, verification, invitation), as the service would have mailed it. */
async function mailToken(
  db: Db,
  row: Omit<Parameters<typeof insertEmailToken>[1], 'id' | 'expiresAt'>,
): Promise<string> {
  const token = randomToken();
  await insertEmailToken(db, { ...row, id: sha256(token), expiresAt: new Date(Date.now() + 3600_000) });
  return token;
}

const LABELS = {
  fr: { email: 'Adresse électronique', password: 'Mot de passe', signIn: 'Se connecter' },
  en: { email: 'Email address', password: 'Password', signIn: 'Sign in' },
};

/** Types an address and a password into the sign-in form and sends it, as a person would. */
async function fillSignIn(page: Page, who: { email: string; password: string }, lang: 'fr' | 'en' = 'fr') {
  const l = LABELS[lang];
  await page.getByLabel(l.email, { exact: true }).fill(who.email);
  await page.getByLabel(l.password, { exact: true }).fill(who.password);
  return page.getByRole('button', { name: l.signIn, exact: true }).click();
}

interface Registration {
  legalName: string;
  siren: string;
  address: string;
  legalRepresentative: string;
  displayName: string;
  email: string;
  password: string;
}

/** Fills the registration form through its labels (French or English). */
async function fillRegistration(page: Page, r: Registration, lang: 'fr' | 'en' = 'fr') {
  const labels =
    lang === 'fr'
      ? [
          'Raison sociale',
          /^SIREN/,
          'Adresse du siège',
          /^Représentant légal/,
          'Prénom et nom',
          /^Adresse électronique/,
          /^Mot de passe/,
        ]
      : [
          'Legal name',
          /^SIREN number/,
          'Registered office address',
          /^Legal representative/,
          'First and last name',
          /^Email address/,
          /^Password/,
        ];
  const values = [r.legalName, r.siren, r.address, r.legalRepresentative, r.displayName, r.email, r.password];
  for (const [i, label] of labels.entries()) {
    await page.getByLabel(label, typeof label === 'string' ? { exact: true } : {}).fill(values[i]);
  }
}

/** A registration with a SIREN whose check digit is wrong and a password too short. */
const badRegistration: Registration = {
  legalName: 'Santé Connectée SAS',
  siren: '123456789',
  address: '12 rue des Lilas, 69003 Lyon',
  legalRepresentative: 'Claire Moreau',
  displayName: 'Claire Moreau',
  email: 'claire.moreau@exemple.test',
  password: 'court',
};

const fieldErrors = {
  fr: [
    'Le formulaire n’a pas été envoyé',
    'Certains champs sont à corriger.',
    'Ce SIREN n’est pas valide : sa clé de contrôle ne correspond pas. Vérifiez les chiffres.',
    'Le mot de passe doit comporter au moins 12 caractères.',
  ],
  en: [
    'The form was not sent',
    'Some fields need correcting.',
    'This SIREN number is not valid: its check digit does not match. Check the digits.',
    'The password must have at least 12 characters.',
  ],
};

interface PageCase {
  name: string;
  /** The address: a function when it needs the fixtures' ids, or a single-use link for each visit. */
  path: string | (() => string | Promise<string>);
  /** Who is signed in (a session made in the database, as the sign-in would make it). */
  as?: () => TestAccount;
  /** The session is past the password but still owes its second factor. */
  codePending?: true;
  status?: number;
  fr: Text[];
  en: Text[];
  /** Runs after each language's check, on the page as loaded. */
  also?: (page: Page, lang: 'fr' | 'en') => Promise<void>;
}

describeBrowser('identity pages in a browser', {}, (suite) => {
  const db = () => suite.server.mesref.db;
  const url = (path: string) => `${suite.url}${path}`;

  let organisationId: string;
  let mandataire: TestAccount;
  let salarie: TestAccount;
  let admin: TestAccount;
  let instructeur: TestAccount;
  let publisher: TestAccount;
  let tokenOwner: TestAccount;
  let withTotp: TestAccount;
  const ORGANISATION = 'Télésanté Horizon';

  const open = (t: TestContext, options: BrowserContextOptions = {}) => openPage(suite, t, options);

  /** A fresh context where `who` is signed in (second factor checked unless told otherwise). */
  async function pageAs(
    t: TestContext,
    who: TestAccount,
    { secondFactor, ...options }: BrowserContextOptions & { secondFactor?: boolean } = {},
  ): Promise<Page> {
    const page = await open(t, options);
    await signIn(page, suite.server, { accountId: who.accountId, secondFactor });
    return page;
  }

  /**
   * Opens the sandbox mailbox and follows the link of the newest mail to `to` that leads to `path` (the mailbox
   * page itself is checked by axe in pages.browser.test.ts).
   */
  async function followMailLink(page: Page, to: string, path: string) {
    await checkPage(page, url('/bac-a-sable/courriels'), {
      expectText: ['Courriels capturés du bac à sable'],
      axe: false,
    });
    const mail = page
      .getByRole('region')
      .filter({ hasText: `À : ${to}` })
      .first();
    const link = mail.getByRole('link', { name: new RegExp(`${path}\\?jeton=`) });
    await Promise.all([page.waitForNavigation(), link.click()]);
  }

  before(async () => {
    organisationId = await createOrganisation(db(), ORGANISATION);
    const other = await createOrganisation(db(), 'Cabinet Numérique');
    [mandataire, salarie, admin, instructeur, publisher, tokenOwner, withTotp] = await Promise.all([
      createAccount(db(), { organisation: { id: organisationId, role: 'mandataire' } }),
      createAccount(db(), { organisation: { id: organisationId, role: 'salarie' } }),
      createAccount(db(), { staff: ['admin'] }),
      createAccount(db(), { staff: ['instructeur'] }),
      createAccount(db(), { organisation: { id: other, role: 'mandataire' } }),
      createAccount(db(), { organisation: { id: other, role: 'representant' } }),
      createAccount(db()),
    ]);
    for (const [who, name] of [
      [mandataire, 'Camille Martin'],
      [salarie, 'Lucas Bernard'],
    ] as const)
      await db()
        .updateTable('accounts')
        .set({ display_name: name })
        .where('id', '=', who.accountId)
        .execute();
    await db()
      .updateTable('accounts')
      .set({ totp_secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', totp_enabled_at: new Date() })
      .where('id', '=', withTotp.accountId)
      .execute();
  });

  const pages: PageCase[] = [
    {
      name: 'registration form',
      path: '/inscription',
      fr: [
        'Créer un compte éditeur',
        'Tous les champs sont obligatoires.',
        'Votre organisation',
        'Raison sociale',
        'Au moins 12 caractères.',
        'Vous serez le mandataire de l’organisation',
      ],
      en: [
        'Create a publisher account',
        'All fields are required.',
        'Your organisation',
        'Legal name',
        'At least 12 characters.',
        'You will be the organisation’s mandataire',
      ],
      also: async (page, lang) => {
        assert.ok(
          await page
            .getByRole('button', { name: lang === 'fr' ? 'Créer le compte' : 'Create the account' })
            .isVisible(),
        );
      },
    },
    {
      name: 'sign-in form',
      path: '/connexion',
      fr: [
        'Se connecter',
        'Espace des éditeurs et des agents chargés du référencement.',
        'Mot de passe oublié ?',
        'Vous n’avez pas de compte ?',
      ],
      en: [
        'Sign in',
        'Space for publishers and for the staff in charge of referencing.',
        'Forgot your password?',
        'No account yet?',
      ],
    },
    {
      name: 'second-factor code',
      path: '/connexion/code',
      as: () => withTotp,
      codePending: true,
      fr: [
        'Code de vérification',
        'Votre compte est protégé par la double authentification.',
        'Code à 6 chiffres',
        'Annuler et se déconnecter',
      ],
      en: [
        'Verification code',
        'Your account is protected by two-factor authentication.',
        '6-digit code',
        'Cancel and sign out',
      ],
    },
    {
      name: 'forgotten password',
      path: '/mot-de-passe-oublie',
      fr: ['Mot de passe oublié', 'Saisissez l’adresse de votre compte', 'Recevoir le lien'],
      en: ['Forgot password', 'Enter your account’s address', 'Send me the link'],
    },
    {
      name: 'password reset (valid link)',
      path: async () =>
        `/reinitialisation?jeton=${await mailToken(db(), { purpose: 'reset_password', email: publisher.email, accountId: publisher.accountId })}`,
      fr: ['Choisir un nouveau mot de passe', 'Nouveau mot de passe', 'Enregistrer le mot de passe'],
      en: ['Choose a new password', 'New password', 'Save the password'],
    },
    {
      name: 'password reset (invalid link)',
      path: '/reinitialisation?jeton=pas-un-vrai-jeton',
      status: 400,
      fr: [
        'Choisir un nouveau mot de passe',
        'Ce lien n’est pas valide, a déjà servi ou a expiré.',
        'Mot de passe oublié',
      ],
      en: [
        'Choose a new password',
        'This link is not valid, has already been used or has expired.',
        'Forgot password',
      ],
    },
    {
      name: 'address verification (valid link: back to the sign-in, with a confirmation)',
      path: async () => {
        const person = await createAccount(db());
        await db()
          .updateTable('accounts')
          .set({ email_verified_at: null })
          .where('id', '=', person.accountId)
          .execute();
        return `/verification-courriel?jeton=${await mailToken(db(), { purpose: 'verify_email', email: person.email, accountId: person.accountId })}`;
      },
      fr: ['Votre adresse électronique est vérifiée. Vous pouvez vous connecter.', 'Se connecter'],
      en: ['Your email address is verified. You can sign in.', 'Sign in'],
      also: async (page) => assert.match(page.url(), /\/connexion\?ok=verified/),
    },
    {
      name: 'address verification (invalid link)',
      path: '/verification-courriel?jeton=pas-un-vrai-jeton',
      status: 400,
      fr: [
        'Vérification de l’adresse',
        'Ce lien de vérification n’est pas valide, a déjà servi ou a expiré.',
      ],
      en: [
        'Address verification',
        'This verification link is not valid, has already been used or has expired.',
      ],
    },
    {
      name: 'invitation (a new person)',
      path: async () =>
        `/invitation?jeton=${await mailToken(db(), { purpose: 'invitation', email: 'nouvelle.recrue@exemple.test', organisationId, role: 'salarie', createdBy: mandataire.accountId })}`,
      fr: [
        'Vous êtes invité à rejoindre Télésanté Horizon (nouvelle.recrue@exemple.test) avec le rôle :',
        'Salarié',
        'Créez votre compte pour accepter.',
        'Accepter l’invitation',
      ],
      en: [
        'You are invited to join Télésanté Horizon (nouvelle.recrue@exemple.test) with the role:',
        'Employee',
        'Create your account to accept.',
        'Accept the invitation',
      ],
    },
    {
      name: 'invitation (invalid link)',
      path: '/invitation?jeton=pas-un-vrai-jeton',
      status: 400,
      fr: ['Invitation', 'Ce lien n’est pas valide, a déjà servi ou a expiré.'],
      en: ['Invitation', 'This link is not valid, has already been used or has expired.'],
    },
    {
      name: 'my account',
      path: '/compte',
      as: () => publisher,
      fr: [
        'Mon compte',
        'Informations personnelles',
        'Langue préférée',
        'Changer de mot de passe',
        'Non activée',
        'Activer la double authentification',
        'Jetons d’API personnels',
        'Aucun jeton pour le moment.',
        'Créer un jeton',
      ],
      en: [
        'My account',
        'Personal details',
        'Preferred language',
        'Change password',
        'Off',
        'Turn on two-factor authentication',
        'Personal API tokens',
        'No token yet.',
        'Create a token',
      ],
    },
    {
      name: 'second factor enrolment',
      path: '/compte/double-authentification',
      as: () => publisher,
      fr: [
        'Double authentification',
        'Installez une application d’authentification (TOTP)',
        'Ajoutez-y un compte avec cette clé secrète',
        'Lien de configuration :',
        'Saisissez le code que l’application affiche pour confirmer.',
      ],
      en: [
        'Two-factor authentication',
        'Install an authenticator app (TOTP)',
        'Add an account to it with this secret key',
        'Setup link:',
        'Enter the code the app shows to confirm.',
      ],
      also: async (page, lang) => {
        assert.match(
          (await page.locator('#totp-secret').textContent()) ?? '',
          /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/,
        );
        assert.ok(
          await page
            .getByRole('button', { name: lang === 'fr' ? 'Activer' : 'Turn on', exact: true })
            .isVisible(),
        );
      },
    },
    {
      name: 'publisher space',
      path: '/editeur',
      as: () => mandataire,
      fr: ['Espace éditeur', 'Mes organisations', ORGANISATION, 'Mandataire', 'Active', 'Membres'],
      en: [
        'Publisher space',
        'My organisations',
        ORGANISATION,
        'Authorised agent (mandataire)',
        'Active',
        'Members',
      ],
    },
    {
      name: 'members, as the mandataire (invite form and member controls)',
      path: () => `/editeur/organisations/${organisationId}/membres`,
      as: () => mandataire,
      fr: [
        `Membres — ${ORGANISATION}`,
        'Membres de l’organisation',
        'Camille Martin (vous)',
        'Inviter une personne',
        'Envoyer l’invitation',
      ],
      en: [
        `Members — ${ORGANISATION}`,
        'Members of the organisation',
        'Camille Martin (you)',
        'Invite someone',
        'Send the invitation',
      ],
      also: async (page, lang) => {
        const invite = page.getByRole('button', {
          name: lang === 'fr' ? 'Envoyer l’invitation' : 'Send the invitation',
        });
        assert.ok(await invite.isVisible());
        // The mandataire manages the salarie; each control says whom it is about.
        const row = page.getByRole('row').filter({ hasText: 'Lucas Bernard' });
        const [remove, change] =
          lang === 'fr'
            ? ['Retirer Lucas Bernard de l’organisation', 'Changer le rôle — Lucas Bernard']
            : ['Remove Lucas Bernard from the organisation', 'Change role — Lucas Bernard'];
        assert.ok(await row.getByRole('button', { name: remove, exact: true }).isVisible());
        assert.ok(await row.getByRole('button', { name: change, exact: true }).isVisible());
        assert.ok(await row.getByRole('combobox', { name: /Lucas Bernard/ }).isVisible());
      },
    },
    {
      name: 'members, as a salarie (no management control)',
      path: () => `/editeur/organisations/${organisationId}/membres`,
      as: () => salarie,
      fr: [
        `Membres — ${ORGANISATION}`,
        'Membres de l’organisation',
        'Lucas Bernard (vous)',
        'Salarié',
        'Camille Martin',
        'Mandataire',
      ],
      en: [
        `Members — ${ORGANISATION}`,
        'Members of the organisation',
        'Lucas Bernard (you)',
        'Employee',
        'Camille Martin',
        'Authorised agent (mandataire)',
      ],
      also: async (page, lang) => {
        assert.equal(
          await isVisibleText(page, lang === 'fr' ? 'Inviter une personne' : 'Invite someone'),
          false,
        );
        assert.equal(await page.locator('main').getByRole('button').count(), 0, 'no button in the page');
        assert.equal(await page.locator('main').getByRole('combobox').count(), 0, 'no role selector');
      },
    },
    {
      name: 'administration console (people and organisations)',
      path: () => `/admin?q=${encodeURIComponent(mandataire.email)}`,
      as: () => admin,
      fr: [
        'Administration',
        'Personnes',
        'Rechercher par adresse électronique',
        'Organisations',
        ORGANISATION,
        'Suspendre',
      ],
      en: ['Administration', 'People', 'Search by email address', 'Organisations', ORGANISATION, 'Suspend'],
      also: async (page) => {
        assert.ok(await page.getByRole('link', { name: mandataire.email }).isVisible());
      },
    },
    {
      name: 'administration console (one person)',
      path: () => `/admin/comptes/${salarie.accountId}`,
      as: () => admin,
      fr: [
        'Lucas Bernard',
        'Rôles d’agent',
        'Aucun rôle d’agent.',
        'Accès',
        'Désactiver le compte',
        'Historique du compte',
        'Salarié',
      ],
      en: [
        'Lucas Bernard',
        'Staff roles',
        'No staff role.',
        'Access',
        'Disable the account',
        'Account history',
        'Employee',
      ],
    },
    {
      name: 'staff workspace',
      path: '/instruction',
      as: () => instructeur,
      fr: [
        'Espace d’instruction',
        'Vos rôles',
        'Instructeur : recevabilité des demandes',
        'Dossiers de référencement : file d’instruction, échéances et charge',
      ],
      en: [
        'Instruction space',
        'Your roles',
        'Instructor: admissibility of requests',
        'Referencing files: instruction queue, deadlines and workload',
      ],
    },
  ];

  // Each test has its own contexts and accounts: they run side by side.
  describe('pages, forms and journeys', { concurrency: CONCURRENCY }, () => {
    for (const p of pages) {
      it(`${p.name}: French and English, accessible`, async (t) => {
        const who = p.as?.();
        const page = who ? await pageAs(t, who, { secondFactor: !p.codePending }) : await open(t);
        const path = async () => (typeof p.path === 'string' ? p.path : p.path());
        await checkPage(page, url(await path()), { status: p.status, lang: 'fr', expectText: p.fr });
        await p.also?.(page, 'fr');
        await checkPage(page, url(en(await path())), { status: p.status, lang: 'en', expectText: p.en });
        await p.also?.(page, 'en');
      });
    }

    it('API documentation: loads (swagger-ui is third-party: no axe check there)', async (t) => {
      const page = await open(t);
      // axe is skipped: the page is swagger-ui's own markup, not mesref's.
      await checkPage(page, url('/api/docs'), { axe: false });
      await page.getByText('mesref API').first().waitFor();
    });

    it('registration: a bad SIREN key and a short password re-render the form with its errors, in French and English', async (t) => {
      for (const lang of ['fr', 'en'] as const) {
        const page = await open(t);
        // The empty form is checked by axe with the page cases; here what matters is the form after the submit.
        await checkPage(page, url(lang === 'fr' ? '/inscription' : en('/inscription')), { lang, axe: false });
        await fillRegistration(page, badRegistration, lang);
        await submitAndCheck(
          page,
          () =>
            page
              .getByRole('button', { name: lang === 'fr' ? 'Créer le compte' : 'Create the account' })
              .click(),
          { status: 422, lang, expectText: fieldErrors[lang] },
        );
        // Each wrong field says so, and its message is tied to it; the right values are kept, the password never.
        const siren = page.getByLabel(lang === 'fr' ? /^SIREN/ : /^SIREN number/);
        assert.equal(await siren.getAttribute('aria-invalid'), 'true');
        // The field's description is its error alone (its hint is already read with its label).
        assert.equal(await descriptionOf(siren), fieldErrors[lang][2]);
        assert.equal(await siren.inputValue(), badRegistration.siren);
        const password = page.getByLabel(lang === 'fr' ? /^Mot de passe/ : /^Password/);
        assert.equal(await password.getAttribute('aria-invalid'), 'true');
        assert.equal(await descriptionOf(password), fieldErrors[lang][3]);
        assert.equal(await password.inputValue(), '');
        assert.equal(
          await page.getByLabel(lang === 'fr' ? 'Raison sociale' : 'Legal name').inputValue(),
          badRegistration.legalName,
        );
        assert.equal(
          await page.getByLabel(lang === 'fr' ? 'Raison sociale' : 'Legal name').getAttribute('aria-invalid'),
          null,
        );
      }
    });

    it('registration: without JavaScript, the bad submit gives the same page', async (t) => {
      const results: string[] = [];
      for (const javaScriptEnabled of [true, false]) {
        const page = await open(t, { javaScriptEnabled });
        await page.goto(url('/inscription'));
        await fillRegistration(page, badRegistration);
        await submitAndCheck(page, () => page.getByRole('button', { name: 'Créer le compte' }).click(), {
          status: 422,
          lang: 'fr',
          expectText: fieldErrors.fr,
          axe: javaScriptEnabled,
        });
        results.push(await mainText(page));
      }
      assert.equal(results[1], results[0]);
    });

    it('sign-in: a wrong password shows the error, in French and English, and the same without JavaScript', async (t) => {
      const who = { email: 'personne.inconnue@exemple.test', password: 'Pas le bon mot de passe' };
      const expected = {
        fr: ['Le formulaire n’a pas été envoyé', 'Adresse électronique ou mot de passe incorrect.'],
        en: ['The form was not sent', 'Wrong email address or password.'],
      };
      const texts: string[] = [];
      for (const [lang, javaScriptEnabled] of [
        ['fr', true],
        ['en', true],
        ['fr', false],
      ] as const) {
        const page = await open(t, { javaScriptEnabled });
        await page.goto(url(lang === 'fr' ? '/connexion' : en('/connexion')));
        await submitAndCheck(page, () => fillSignIn(page, who, lang), {
          status: 401,
          lang,
          expectText: expected[lang],
          axe: javaScriptEnabled,
        });
        // The address typed is kept, so only the password needs typing again.
        assert.equal(await page.getByLabel(LABELS[lang].email, { exact: true }).inputValue(), who.email);
        if (lang === 'fr') texts.push(await mainText(page));
      }
      assert.equal(texts[1], texts[0]);
    });

    it('forgotten password: the request is acknowledged the same way, in French and English, and without JavaScript', async (t) => {
      const sent = {
        fr: 'Si un compte existe pour cette adresse, un lien valable une heure vient d’y être envoyé.',
        en: 'If an account exists for this address, a link valid for one hour has just been sent to it.',
      };
      // Its own account: a new reset link retires the account's previous ones.
      const forgetful = await createAccount(db());
      const texts: string[] = [];
      for (const [lang, javaScriptEnabled] of [
        ['fr', true],
        ['en', true],
        ['fr', false],
      ] as const) {
        const page = await open(t, { javaScriptEnabled });
        await page.goto(url(lang === 'fr' ? '/mot-de-passe-oublie' : en('/mot-de-passe-oublie')));
        await page.getByLabel(LABELS[lang].email, { exact: true }).fill(forgetful.email);
        await submitAndCheck(
          page,
          () =>
            page
              .getByRole('button', { name: lang === 'fr' ? 'Recevoir le lien' : 'Send me the link' })
              .click(),
          { lang, expectText: [sent[lang]], axe: javaScriptEnabled },
        );
        if (lang === 'fr') texts.push(await mainText(page));
      }
      assert.equal(texts[1], texts[0]);
    });

    it('API token: created from my account, shown once, then only its start is listed (French and English)', async (t) => {
      const page = await pageAs(t, tokenOwner);
      for (const lang of ['fr', 'en'] as const) {
        await checkPage(page, url(lang === 'fr' ? '/compte' : en('/compte')), { lang, axe: false });
        const name = `CI ${lang}`;
        await page.getByLabel(lang === 'fr' ? /^Nom du jeton/ : /^Token name/).fill(name);
        await submitAndCheck(
          page,
          () =>
            page.getByRole('button', { name: lang === 'fr' ? 'Créer le jeton' : 'Create the token' }).click(),
          {
            status: 201,
            lang,
            expectText:
              lang === 'fr'
                ? [
                    'Votre nouveau jeton',
                    'Copiez ce jeton maintenant : il ne sera plus jamais affiché.',
                    'Authorization: Bearer mesref_pat_…',
                  ]
                : [
                    'Your new token',
                    'Copy this token now: it will never be shown again.',
                    'Authorization: Bearer mesref_pat_…',
                  ],
          },
        );
        const token = await page.getByLabel(lang === 'fr' ? 'Jeton' : 'Token', { exact: true }).inputValue();
        assert.match(token, /^mesref_pat_/);
        await Promise.all([
          page.waitForNavigation(),
          page
            .getByRole('link', { name: lang === 'fr' ? 'Retour à mon compte' : 'Back to my account' })
            .click(),
        ]);
        const row = page.getByRole('row').filter({ hasText: name });
        assert.ok(await row.isVisible(), 'the token is listed');
        // Its revoke button says which token it revokes.
        const revoke = lang === 'fr' ? `Révoquer le jeton « ${name} »` : `Revoke the token “${name}”`;
        assert.ok(await row.getByRole('button', { name: revoke, exact: true }).isVisible());
        assert.equal((await page.content()).includes(token), false, 'the token itself is never shown again');
        await assertAccessible(page);
      }
    });

    it('people search of the console works without JavaScript', async (t) => {
      const page = await pageAs(t, admin, { javaScriptEnabled: false });
      await page.goto(url('/admin'));
      await page.getByLabel('Rechercher par adresse électronique').fill(salarie.email);
      await submitAndCheck(page, () => page.getByRole('button', { name: 'Rechercher' }).first().click(), {
        lang: 'fr',
        expectText: [salarie.email],
        axe: false,
      });
      assert.equal(await page.getByRole('link', { name: mandataire.email }).count(), 0);
      assert.match(page.url(), /\?organisation=&q=/);
    });

    it('on a 320-px-wide screen the pages reflow: nothing scrolls sideways but a wide table, in its own box', async (t) => {
      const small = { viewport: { width: 320, height: 640 } };
      const visits: Array<[Page, string]> = [];
      const anonymous = await open(t, small);
      const publisherPage = await pageAs(t, mandataire, small);
      const adminPage = await pageAs(t, admin, small);
      visits.push(
        [anonymous, '/inscription'],
        [publisherPage, '/editeur'],
        [publisherPage, '/compte'],
        [publisherPage, `/editeur/organisations/${organisationId}/membres`],
        [adminPage, `/admin?q=${encodeURIComponent(mandataire.email)}`],
        [adminPage, `/admin/comptes/${salarie.accountId}`],
      );
      for (const [page, path] of visits) {
        await page.goto(url(path));
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.equal(width, 320, `${path} is ${width} px wide on a 320-px screen`);
      }
      // The members table is wider than the screen: it scrolls within its box, its controls still reachable.
      const members = publisherPage.getByRole('table', { name: 'Membres de l’organisation' });
      await members
        .getByRole('button', { name: 'Retirer Lucas Bernard de l’organisation' })
        .scrollIntoViewIfNeeded();
      assert.ok(
        await members.getByRole('button', { name: 'Retirer Lucas Bernard de l’organisation' }).isVisible(),
      );
    });

    // ── journeys ──────────────────────────────────────────────────────────────

    it('journey: registration → verification link from the mailbox → sign-in → the publisher space shows the organisation', async (t) => {
      const page = await open(t);
      const registration: Registration = {
        legalName: 'Diabète Compagnon SAS',
        siren: randomSiren(),
        address: '3 place Bellecour, 69002 Lyon',
        legalRepresentative: 'Hugo Lambert',
        displayName: 'Inès Garnier',
        email: `ines.garnier.${randomToken(4)
          .toLowerCase()
          .replace(/[^a-z0-9]/g, '')}@exemple.test`,
        password: 'Une phrase de passe très solide',
      };
      await checkPage(page, url('/'), { lang: 'fr', axe: false });
      await page
        .getByRole('banner')
        .getByRole('link', { name: 'Se connecter' })
        .filter({ visible: true })
        .click();
      await page.getByRole('link', { name: 'Créer un compte éditeur' }).click();
      await page.waitForURL(/\/inscription$/);
      await fillRegistration(page, registration);
      await submitAndCheck(page, () => page.getByRole('button', { name: 'Créer le compte' }).click(), {
        status: 201,
        lang: 'fr',
        expectText: [
          'Vérifiez votre messagerie',
          `Un lien de vérification a été envoyé à ${registration.email} : ouvrez-le pour pouvoir vous connecter.`,
        ],
      });

      await followMailLink(page, registration.email, '/verification-courriel');
      assert.match(page.url(), /\/connexion\?ok=verified$/);
      assert.ok(
        await isVisibleText(page, 'Votre adresse électronique est vérifiée. Vous pouvez vous connecter.'),
      );
      await assertAccessible(page);

      await submitAndCheck(page, () => fillSignIn(page, registration), {
        lang: 'fr',
        expectText: ['Espace éditeur', registration.legalName, registration.siren, 'Mandataire'],
      });
      assert.match(page.url(), /\/editeur$/);
      assert.ok(await visibleButton(page, `Se déconnecter (${registration.displayName})`).isVisible());
    });

    it('journey: staff sign-in → second factor enrolment → staff space; sign out; sign in again → asked for the code', async (t) => {
      const staff = await createAccount(db(), { staff: ['instructeur'] });
      const page = await open(t);
      await page.goto(url('/connexion'));
      await submitAndCheck(page, () => fillSignIn(page, staff), {
        lang: 'fr',
        expectText: [
          'Les agents doivent activer la double authentification avant d’accéder à leur espace.',
          'Double authentification',
        ],
      });
      assert.match(page.url(), /\/compte\/double-authentification/);
      const secret = ((await page.locator('#totp-secret').textContent()) ?? '').replace(/\s/g, '');
      await page.getByLabel(/^Code à 6 chiffres/).fill(totpCode(secret));
      await submitAndCheck(page, () => page.getByRole('button', { name: 'Activer', exact: true }).click(), {
        lang: 'fr',
        expectText: ['Espace d’instruction', 'Instructeur : recevabilité des demandes'],
      });
      assert.match(page.url(), /\/instruction$/);

      await submitAndCheck(page, () => visibleButton(page, /^Se déconnecter/).click(), {
        lang: 'fr',
        expectText: ['Référencer un service numérique en santé'],
      });
      assert.equal(await visibleButton(page, /^Se déconnecter/).count(), 0, 'signed out');

      await page.goto(url('/instruction'));
      assert.match(page.url(), /\/connexion\?retour=%2Finstruction$/);
      await submitAndCheck(page, () => fillSignIn(page, staff), {
        lang: 'fr',
        expectText: ['Code de vérification', 'Votre compte est protégé par la double authentification.'],
      });
      assert.match(page.url(), /\/connexion\/code\?retour=%2Finstruction$/);
      // The code of the next 30-second step: the one typed at enrolment cannot serve twice.
      await page.getByLabel(/^Code à 6 chiffres/).fill(totpCode(secret, Date.now() / 1000 + 30));
      await submitAndCheck(page, () => page.getByRole('button', { name: 'Valider' }).click(), {
        lang: 'fr',
        expectText: ['Espace d’instruction'],
      });
      assert.match(page.url(), /\/instruction$/);
    });

    it('journey: the mandataire invites a salarie, who accepts from the mailed link, chooses a password and is a member', async (t) => {
      const organisation = await createOrganisation(db(), 'Sommeil Serein');
      const owner = await createAccount(db(), { organisation: { id: organisation, role: 'mandataire' } });
      const invitee = `jules.roux.${randomToken(4)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, '')}@exemple.test`;

      const ownerPage = await pageAs(t, owner);
      await checkPage(ownerPage, url('/editeur'), { expectText: ['Sommeil Serein'], axe: false });
      await ownerPage.getByRole('link', { name: 'Membres — Sommeil Serein' }).click();
      await ownerPage.waitForURL(/\/membres$/);
      await ownerPage.getByLabel('Adresse électronique', { exact: true }).fill(invitee);
      await ownerPage.getByLabel('Rôle', { exact: true }).selectOption({ label: 'Salarié' });
      await submitAndCheck(
        ownerPage,
        () => ownerPage.getByRole('button', { name: 'Envoyer l’invitation' }).click(),
        {
          lang: 'fr',
          expectText: ['L’invitation a été envoyée par courriel.', 'Invitations en attente', invitee],
        },
      );

      // Jules's browser runs no JavaScript: the mail link, the account form and the sign-in work all the same
      // (the invitation page itself is checked by axe above, with the page cases).
      const page = await open(t, { javaScriptEnabled: false });
      await followMailLink(page, invitee, '/invitation');
      assert.ok(
        await isVisibleText(page, `Vous êtes invité à rejoindre Sommeil Serein (${invitee}) avec le rôle :`),
      );
      await page.getByLabel('Prénom et nom', { exact: true }).fill('Jules Roux');
      await page.getByLabel(/^Mot de passe/).fill('Un mot de passe bien long');
      await submitAndCheck(page, () => page.getByRole('button', { name: 'Accepter l’invitation' }).click(), {
        lang: 'fr',
        expectText: ['Votre compte est créé. Connectez-vous pour rejoindre l’organisation.'],
        axe: false,
      });
      await submitAndCheck(
        page,
        () => fillSignIn(page, { email: invitee, password: 'Un mot de passe bien long' }),
        { lang: 'fr', expectText: ['Espace éditeur', 'Sommeil Serein', 'Salarié'], axe: false },
      );
      assert.match(page.url(), /\/editeur$/);

      // The mandataire now sees Jules among the members, no longer among the invitations.
      await checkPage(ownerPage, url(`/editeur/organisations/${organisation}/membres`), {
        expectText: ['Jules Roux', invitee],
      });
      const julesRow = ownerPage.getByRole('row').filter({ hasText: 'Jules Roux' });
      assert.ok(await julesRow.getByRole('cell', { name: 'Salarié', exact: true }).isVisible());
      assert.equal(await isVisibleText(ownerPage, 'Invitations en attente'), false);
    });
  });
});
