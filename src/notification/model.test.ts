// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { notificationMessages } from './messages.ts';
import { inboxOwnerOf, inputProblem, isSitePath, PAGE_SIZE, pageCount, pageNumber } from './model.ts';

describe('notification rules', () => {
  const links: Array<[string, boolean]> = [
    ['/editeur/dossiers/42', true],
    ['/notifications?page=2#x', true],
    ['/', true],
    ['//ailleurs.example/x', false],
    ['/\\ailleurs.example', false],
    ['https://ailleurs.example/', false],
    ['javascript:alert(1)', false],
    ['editeur/dossiers', false],
    ['/a b', false],
    ['/a\nb', false],
    ['', false],
    [`/${'a'.repeat(2000)}`, false],
  ];
  for (const [link, ok] of links) {
    it(`${ok ? 'takes' : 'refuses'} the link ${JSON.stringify(link.slice(0, 30))}`, () => {
      assert.equal(isSitePath(link), ok);
    });
  }

  it('reads a page number, 1 for anything else', () => {
    const cases: Array<[unknown, number]> = [
      ['2', 2],
      [3, 3],
      ['0', 1],
      ['-1', 1],
      ['1.5', 1],
      ['abc', 1],
      [undefined, 1],
      [['2'], 1],
    ];
    for (const [value, page] of cases) assert.equal(pageNumber(value), page, JSON.stringify(value));
  });

  it('counts pages so that every item has one and no page is empty but the first', () => {
    assert.equal(pageCount(0), 1);
    assert.equal(PAGE_SIZE, 30);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (total) => {
        const pages = pageCount(total);
        return (pages - 1) * PAGE_SIZE < total && total <= pages * PAGE_SIZE;
      }),
    );
  });

  it('names what is wrong with an input: a kind without both messages, a link off the site', () => {
    const catalog = {
      'x.done.subject': { fr: 'Fait', en: 'Done' },
      'x.done.body': { fr: 'C’est fait', en: 'It is done' },
      'x.half.subject': { fr: 'Moitié', en: 'Half' },
    };
    assert.equal(inputProblem(catalog, { recipients: [], kind: 'x.done', link: '/a' }), undefined);
    assert.match(inputProblem(catalog, { recipients: [], kind: 'x.none' }) ?? '', /no subject message/);
    assert.match(inputProblem(catalog, { recipients: [], kind: 'x.half' }) ?? '', /no body message/);
    assert.match(
      inputProblem(catalog, { recipients: [], kind: 'x.done', link: 'https://a.example' }) ?? '',
      /not a site path/,
    );
  });

  it('gives accounts and citizens an inbox, nobody else', () => {
    assert.deepEqual(inboxOwnerOf({ kind: 'citizen', citizenId: 'c', displayName: 'C' }), { citizenId: 'c' });
    assert.equal(inboxOwnerOf({ kind: 'anonymous' }), undefined);
  });

  it('has French and English for every message the module uses', () => {
    const used = new Set<string>();
    for (const file of ['service.ts', 'pages.tsx', 'routes.ts']) {
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      for (const [, key] of source.matchAll(/'(notification\.[a-z_.]+[a-z_])'/g)) used.add(key);
    }
    assert.ok(used.size > 15);
    used.delete('notification.inbox'); // the action, not a message
    const missing = [...used].filter(
      (key) => !notificationMessages[key]?.fr || !notificationMessages[key]?.en,
    );
    assert.deepEqual(missing, []);
  });
});

describe('parameters in the reader’s language', () => {
  it('translates `@key` values when the notification is read, and leaves others as they are', async () => {
    const { localParams } = await import('./model.ts');
    const { translator } = await import('../platform/i18n.ts');
    const catalog = { 'x.state': { fr: 'En ligne', en: 'Online' } };
    assert.deepEqual(
      localParams(translator(catalog, 'en'), { status: '@x.state', n: 3, text: '@ pas une clé' }),
      {
        status: 'Online',
        n: 3,
        text: '@ pas une clé',
      },
    );
    assert.equal(localParams(translator(catalog, 'fr'), { status: '@x.state' }).status, 'En ligne');
  });
});
