import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import {
  csvField,
  FOLD_FROM,
  FOLD_TO,
  fold,
  pageLinks,
  parseCatalogueQuery,
  searchWords,
  shortDescription,
  toCsv,
} from '../src/catalogue/model.ts';
import { startTestApp, type TestApp } from './helpers.ts';

describe('catalogue rules', () => {
  it('folds case and accents', () => {
    assert.equal(FOLD_FROM.length, FOLD_TO.length);
    assert.equal(fold('Prévention ÉTÉ Œuvre Cœur Ægis'), 'prevention ete oeuvre coeur aegis');
    assert.deepEqual(searchWords('  Santé, « MENTALE »  santé '), ['sante', 'mentale']);
  });

  it('reads a search and names each bad parameter', () => {
    const ok = parseCatalogueQuery({ q: ' Sommeil ', region: '53', tri: 'recent', page: '2' });
    assert.ok(ok.ok);
    assert.equal(ok.query.text, 'Sommeil');
    assert.equal(ok.query.page, 2);
    assert.equal(ok.query.parPage, 20);
    const bad = parseCatalogueQuery(
      { region: '99', page: '0', echange: ['oui', 'non'], parPage: '500' },
      { allowPageSize: true },
    );
    assert.ok(!bad.ok);
    assert.deepEqual(bad.problems, {
      region: 'catalogue.query.choice',
      page: 'catalogue.query.number',
      echange: 'catalogue.query.single',
      parPage: 'catalogue.query.number',
    });
  });

  it('shows the first, last and neighbouring pages', () => {
    assert.deepEqual(pageLinks(1, 1), [1]);
    assert.deepEqual(pageLinks(5, 10), [1, null, 4, 5, 6, null, 10]);
    assert.deepEqual(pageLinks(2, 3), [1, 2, 3]);
  });

  it('writes RFC 4180 fields and neutralises formulas', () => {
    assert.equal(csvField('simple'), 'simple');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('dit "oui"'), '"dit ""oui"""');
    assert.equal(csvField('deux\r\nlignes'), '"deux\r\nlignes"');
    assert.equal(csvField('=1+1'), "'=1+1");
    assert.equal(csvField('-5', false), '-5');
    assert.equal(toCsv(['a', 'b'], [[{ value: 1, text: false }, { value: null }]]), 'a,b\r\n1,\r\n');
  });

  it('cuts a long description at a word', () => {
    assert.equal(shortDescription('court'), 'court');
    const long = 'mot '.repeat(60);
    const cut = shortDescription(long, 20);
    assert.ok(cut.endsWith('…') && cut.length <= 21, cut);
    // Counted in characters, not UTF-16 units: 10 emoji fit in 10, never half of one.
    const emoji = '🫀'.repeat(10);
    assert.equal(shortDescription(emoji, 10), emoji);
    const halved = shortDescription(`${emoji} ${emoji}`, 15);
    assert.equal(halved, `${emoji}…`);
  });
});

describe('catalogue folding in the database', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app?.stop());

  it('folds in SQL exactly as the search folds what is typed', async () => {
    const samples = [FOLD_FROM, 'Prévention ÉTÉ Œuvre Cœur Ægis', 'ABC xyz 123 l’été'];
    for (const text of samples) {
      const { rows } = await sql<{ f: string }>`select catalogue_fold(${text}) as f`.execute(app.db);
      assert.equal(rows[0].f, fold(text), text);
    }
  });
});
