import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/helpers.ts';
import { DEMO_ORGANISATION, seedDemo } from '../cli/seed.ts';
import { listProductsOf } from './index.ts';

describe('demo services of a sandbox', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.stop());

  it('gives the demo organisation one service without and one with data exchange, each with a logo, once', async () => {
    const report = await seedDemo({ db: t.db, config: t.config });
    assert.deepEqual(report.products, ['Pas à Pas iOS Mobile', 'Tensio Suivi Android Mobile']);
    const org = await t.db
      .selectFrom('organisations')
      .select('id')
      .where('siren', '=', DEMO_ORGANISATION.siren)
      .executeTakeFirstOrThrow();
    const products = await listProductsOf(t.db, org.id);
    assert.deepEqual(
      products.map((p) => [p.displayName, p.dataExchange, p.hasLogo]),
      [
        ['Pas à Pas iOS Mobile', false, true],
        ['Tensio Suivi Android Mobile', true, true],
      ],
    );
    assert.deepEqual(products[1].medicalDevice, { is: true, class: 'IIa' });
    const logo = await t.db
      .selectFrom('product_images')
      .select(['media_type', 'content'])
      .where('product_id', '=', products[0].id)
      .executeTakeFirstOrThrow();
    assert.equal(logo.media_type, 'image/png');

    const again = await seedDemo({ db: t.db, config: t.config });
    assert.deepEqual(again.products, []);
    assert.equal((await listProductsOf(t.db, org.id)).length, 2);
  });
});
