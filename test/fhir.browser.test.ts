/**
 * « Valider une ressource » in a real Chromium: a publisher pastes or uploads a resource and sees each issue
 * right after the line it concerns; French and English, checked by axe-core (WCAG 2.1 AA), with and without
 * JavaScript.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { checkPage, describeBrowser, signIn } from './browser.ts';
import { CONCURRENCY, en, openPage, submitAndCheck } from './browser-forms.ts';
import { createAccount, createOrganisation } from './helpers.ts';

const bodyWeight = {
  resourceType: 'Observation',
  meta: {
    profile: [
      'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/mesures-fr-observation-body-weight',
    ],
  },
  status: 'final',
  category: [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/observation-category',
          code: 'vital-signs',
          display: 'vital-signs',
        },
      ],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Poids corporel' }] },
  subject: { identifier: { system: 'urn:oid:2.999.1.1', value: 'idpe-0f6b2c1e' } },
  effectiveDateTime: '2026-11-20T08:15:00+01:00',
  valueQuantity: { value: 71.5, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
};

/** The body weight with a wrong unit code: the issue is on the line of `"code": "g"`. */
const WRONG_UNIT = JSON.stringify(bodyWeight, null, 2).replace('"code": "kg"', '"code": "g"');
const WRONG_UNIT_LINE = WRONG_UNIT.split('\n').findIndex((line) => line.includes('"code": "g"')) + 1;

const PAGE = '/editeur/validation';

const TEXTS = {
  fr: {
    title: 'Valider une ressource',
    text: 'Ressource FHIR en JSON',
    file: 'Ou déposez un fichier',
    igOnly: 'Profils de l’IG seulement',
    submit: 'Valider',
    invalid: 'La ressource n’est pas valide',
    valid: 'La ressource est valide',
    issuesOf: (line: number) => `Problèmes de la ligne ${line}`,
    error: 'Erreur',
    fromFile: 'Texte validé : le fichier poids.json.',
  },
  en: {
    title: 'Validate a resource',
    text: 'FHIR resource in JSON',
    file: 'Or upload a file',
    igOnly: 'IG profiles only',
    submit: 'Validate',
    invalid: 'The resource is not valid',
    valid: 'The resource is valid',
    issuesOf: (line: number) => `Issues of line ${line}`,
    error: 'Error',
    fromFile: 'Text validated: the file weight.json.',
  },
};

describeBrowser('« Valider une ressource » in a browser', {}, (suite) => {
  let publisher: { accountId: string };
  before(async () => {
    const orgId = await createOrganisation(suite.server.mesref.db, 'Éditeur de mesures');
    publisher = await createAccount(suite.server.mesref.db, {
      organisation: { id: orgId, role: 'representant' },
    });
  });

  /** The row just after a line's own row: the issues of that line. */
  const rowAfterLine = (page: Page, line: number) => page.locator(`tr:has(th#ligne-${line}) + tr`);

  describe('pasting and uploading', { concurrency: CONCURRENCY }, () => {
    for (const lang of ['fr', 'en'] as const) {
      const l = TEXTS[lang];
      const url = (path: string) => (lang === 'en' ? en(path) : path);

      it(`${lang}: paste an invalid resource, see its issue right after its line`, async (t) => {
        const page = await openPage(suite, t);
        await signIn(page, suite.server, { accountId: publisher.accountId });
        await checkPage(page, `${suite.url}${url(PAGE)}`, { lang, expectText: [l.title, l.text, l.igOnly] });
        await page.getByLabel(l.text).fill(WRONG_UNIT);
        await submitAndCheck(page, () => page.getByRole('button', { name: l.submit, exact: true }).click(), {
          lang,
          expectText: [l.invalid],
        });
        // The summary is announced, and links to the line.
        const status = page.getByRole('status');
        assert.match((await status.textContent()) ?? '', new RegExp(l.invalid));
        const link = page.locator(`a[href="#ligne-${WRONG_UNIT_LINE}"]`).first();
        assert.ok(await link.isVisible(), `the summary links to line ${WRONG_UNIT_LINE}`);
        // Right after the line: the issue, its severity in words, its element.
        const issues = rowAfterLine(page, WRONG_UNIT_LINE);
        assert.ok(await issues.isVisible());
        assert.equal((await issues.locator('th').textContent())?.trim(), l.issuesOf(WRONG_UNIT_LINE));
        const text = (await issues.textContent()) ?? '';
        assert.ok(text.includes(l.error), text);
        assert.ok(text.includes('Observation.valueQuantity.code'), text);
        // Following the link brings the line into view.
        await link.click();
        await page.waitForURL(new RegExp(`#ligne-${WRONG_UNIT_LINE}$`));
        assert.ok(await page.locator(`#ligne-${WRONG_UNIT_LINE}`).isVisible());
        // The text stays in the form, ready to be corrected.
        assert.equal(await page.getByLabel(l.text).inputValue(), WRONG_UNIT);
      });

      it(`${lang}: upload a file`, async (t) => {
        const page = await openPage(suite, t);
        await signIn(page, suite.server, { accountId: publisher.accountId });
        await checkPage(page, `${suite.url}${url(PAGE)}`, { lang, expectText: [l.title] });
        const name = lang === 'fr' ? 'poids.json' : 'weight.json';
        await page.getByLabel(l.file).setInputFiles({
          name,
          mimeType: 'application/json',
          buffer: Buffer.from(JSON.stringify(bodyWeight, null, 2)),
        });
        await submitAndCheck(page, () => page.getByRole('button', { name: l.submit, exact: true }).click(), {
          lang,
          expectText: [l.valid, l.fromFile],
        });
        assert.match((await page.title()) ?? '', new RegExp(l.valid));
      });
    }
  });

  it('works without JavaScript, with the IG profiles only', async (t) => {
    const page = await openPage(suite, t, { javaScriptEnabled: false });
    await signIn(page, suite.server, { accountId: publisher.accountId });
    await page.goto(`${suite.url}${PAGE}`);
    const { meta: _meta, ...withoutProfile } = bodyWeight;
    await page.getByLabel(TEXTS.fr.text).fill(JSON.stringify(withoutProfile, null, 2));
    // As a person does: the DSFR draws the box on the label, which takes the click.
    await page.locator('label[for="fhir-ig-only"]').click();
    await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Valider', exact: true }).click(),
    ]);
    assert.ok(await page.getByText(TEXTS.fr.valid, { exact: true }).isVisible());
    assert.ok(await page.getByText('Règles appliquées : profils de l’IG seulement.').isVisible());
    assert.ok(await page.getByLabel(TEXTS.fr.igOnly).isChecked());
  });
});
