/**
 * The referential's public pages and JSON API through `inject`; the versions are loaded once at start and
 * shared through the app context.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../src/app.ts';
import { DataFileError } from '../src/platform/datafile.ts';
import { parseReferentials } from '../src/referential/files.ts';
import { freshDatabase, startTestApp, type TestApp, tempDir, testConfig } from './helpers.ts';

describe('referential pages and API', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.stop());

  it('loads the shipped versions into the app context', () => {
    assert.deepEqual(
      app.referentials.versions.map((v) => v.id),
      ['2023-v2', '2022-v1'],
    );
  });

  it('lists the versions, with the demonstration notice', async () => {
    const response = await app.inject({ method: 'GET', url: '/referentiels' });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /text\/html/);
    assert.match(response.body, /<h1>Référentiels de référencement<\/h1>/);
    assert.match(response.body, /class="fr-notice fr-notice--info/);
    assert.match(response.body, /La version 2023-v2 n’est pas l’annexe officielle/);
    assert.match(response.body, /href="\/referentiels\/2022-v1\/diff\/2023-v2"/);
    assert.match(response.body, /74 critères dont 61 obligatoires/);
  });

  it('shows a version: rubriques, themes, criteria, level and condition in words', async () => {
    const response = await app.inject({ method: 'GET', url: '/referentiels/2023-v2' });
    assert.equal(response.statusCode, 200);
    const body = response.body;
    assert.match(body, /Référentiel de référencement v2 \(démonstration\)/);
    assert.match(body, /La version 2023-v2 n’est pas l’annexe officielle/);
    for (const text of [
      'Urbanisation',
      'Interopérabilité',
      'Sécurité',
      'Éthique',
      'Échange de données avec Mon espace santé',
    ]) {
      assert.ok(body.includes(text), text);
    }
    assert.match(body, /<th scope="row">SED 01<\/th>/);
    assert.match(body, /Le service lira-t-il ou écrira-t-il des données dans Mon espace santé \? : oui/);
    assert.match(
      body,
      /Peut être déclaré non applicable si\s: Le service conserve-t-il des données de santé de ses usagers \? : non/,
    );
    assert.match(body, /href="\/referentiels\/2022-v1\/diff\/2023-v2"/);
    const en = await app.inject({ method: 'GET', url: '/referentiels/2023-v2?lang=en' });
    assert.match(en.body, /Referencing framework v2 \(demonstration\)/);
    assert.match(en.body, /Version 2023-v2 is not the official annex/);
    assert.match(en.body, /applies to every service/);
  });

  it('compares two versions', async () => {
    const response = await app.inject({ method: 'GET', url: '/referentiels/2022-v1/diff/2023-v2' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /Critères ajoutés \(17\)/);
    assert.match(response.body, /Critères retirés \(1\)/);
    assert.match(response.body, /Critères modifiés \(3\)/);
    assert.match(response.body, /Champs modifiés : exigence, niveau, aide/);
    assert.match(response.body, /La version 2022-v1 n’est pas/);
    const form = await app.inject({ method: 'GET', url: '/referentiels/comparer?de=2023-v2&vers=2022-v1' });
    assert.equal(form.statusCode, 303);
    assert.equal(form.headers.location, '/referentiels/2023-v2/diff/2022-v1');
  });

  it('answers 404 for an unknown version', async () => {
    for (const url of [
      '/referentiels/1999-v0',
      '/referentiels/2022-v1/diff/nope',
      '/referentiels/comparer?de=x&vers=2022-v1',
    ]) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 404, url);
      assert.match(response.body, /Cette version du référentiel n’existe pas/);
    }
    const api = await app.inject({ method: 'GET', url: '/api/v1/referentiels/1999-v0?lang=en' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, 'not_found');
    assert.equal(api.json().error.message, 'This framework version does not exist.');
  });

  it('gives the same data as JSON', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/v1/referentiels' });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list
        .json()
        .versions.map((v: { id: string; criteria: number; status: string }) => [v.id, v.criteria, v.status]),
      [
        ['2023-v2', 74, 'demonstration'],
        ['2022-v1', 58, 'demonstration'],
      ],
    );
    const version = await app.inject({ method: 'GET', url: '/api/v1/referentiels/2022-v1' });
    assert.equal(version.json().criteria.length, 58);
    assert.equal(version.json().questionnaire[0].id, 'echange_donnees');
    const diff = await app.inject({ method: 'GET', url: '/api/v1/referentiels/2022-v1/diff/2023-v2' });
    assert.deepEqual(
      diff.json().removed.map((c: { id: string }) => c.id),
      ['INT 04'],
    );
  });
});

describe('loading at start', () => {
  it('uses the versions given to buildApp', async () => {
    const referentials = parseReferentials([
      {
        file: 'one.yaml',
        text: "id: one\ntitle: { fr: Une, en: One }\nstatus: official\nlegalSource: { text: Arrêté, date: '2024-01-01' }\neffectiveDate: '2024-01-01'\n",
      },
    ]);
    const database = await freshDatabase();
    const mesref = await buildApp(testConfig(), { database, logger: false, referentials });
    try {
      const page = await mesref.app.inject({ method: 'GET', url: '/referentiels' });
      assert.doesNotMatch(page.body, /fr-notice/, 'an official version shows no demonstration notice');
      assert.match(page.body, /href="\/referentiels\/one"/);
    } finally {
      await mesref.close();
      await database.close();
    }
  });

  it('refuses to start on an invalid version file, with its problems, before opening the database', async () => {
    const dir = tempDir();
    writeFileSync(join(dir.path, 'bad.yaml'), 'id: bad\nstatus: draft\n');
    const dataDir = join(dir.path, 'data');
    try {
      await assert.rejects(
        buildApp(testConfig({ MESREF_REFERENTIALS_DIR: dir.path, DATA_DIR: dataDir }), { logger: false }),
        (error: unknown) =>
          error instanceof DataFileError &&
          error.problems.some((p) => p.file.endsWith('bad.yaml') && p.line === 2),
      );
      assert.equal(existsSync(dataDir), false, 'the database was never opened');
    } finally {
      dir.remove();
    }
  });

  it('refuses a MESREF_REFERENTIALS_DIR that is not a folder', () => {
    assert.throws(
      () => testConfig({ MESREF_REFERENTIALS_DIR: '/nonexistent/referentials' }),
      /MESREF_REFERENTIALS_DIR doit être un dossier existant/,
    );
  });
});
