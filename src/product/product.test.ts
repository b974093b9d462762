import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CSRF,
  createAccount,
  createOrganisation,
  sessionCookie,
  startTestApp,
  type TestApp,
} from '../../test/helpers.ts';
import { getProduct, listProductsOf, mayEditProduct } from './index.ts';
import { generatePng } from './png.ts';

/** A publisher's services through the JSON API and the pages: rights, concurrency, images, audit. */

type Cookies = Record<string, string>;

function api(
  t: TestApp,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  auth: { cookies?: Cookies; token?: string; csrf?: boolean },
  payload?: unknown,
) {
  return t.inject({
    method,
    url,
    cookies: auth.cookies,
    headers: {
      ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
      ...(auth.cookies && auth.csrf !== false ? { 'x-csrf-token': CSRF } : {}),
    },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

function form(t: TestApp, url: string, fields: Array<[string, string]>, cookies: Cookies, csrf = CSRF) {
  const body = new URLSearchParams(csrf ? [['_csrf', csrf], ...fields] : fields);
  return t.inject({
    method: 'POST',
    url,
    cookies,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: body.toString(),
  });
}

function page(t: TestApp, url: string, cookies: Cookies) {
  return t.inject({ method: 'GET', url, cookies, headers: { accept: 'text/html' } });
}

/** A multipart body, as a browser's upload form sends it. */
function multipart(fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }) {
  const boundary = '----mesrefTestBoundary7MA4YWxk';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function upload(
  t: TestApp,
  url: string,
  cookies: Cookies | undefined,
  fields: Record<string, string>,
  file?: { name: string; type: string; bytes: Buffer },
  token?: string,
) {
  const body = multipart(fields, file);
  return t.inject({
    method: 'POST',
    url,
    cookies,
    headers: {
      'content-type': body.contentType,
      accept: url.startsWith('/api/') ? 'application/json' : 'text/html',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    payload: body.payload,
  });
}

const base = {
  commercialName: 'Forme+',
  os: 'ios',
  device: 'mobile',
  version: '2.4.1',
  description: 'Suivi de l’activité physique au quotidien.',
  urls: { ios: 'https://apps.apple.com/fr/app/forme-plus/id1', cgu: 'https://forme.example/cgu' },
  thematics: ['activite-physique'],
  regions: ['53'],
  audience: ['tout-public'],
  economicModel: 'gratuit',
  medicalDevice: false,
  dataExchange: false,
};

const LOGO = generatePng(16, 16, (x, y) => [x * 16, y * 16, 128]);

async function auditActions(t: TestApp, productId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('audit_events')
    .select('action')
    .where('subject_type', '=', 'product')
    .where('subject_id', '=', productId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

describe('services (products)', () => {
  let t: TestApp;
  let orgId: string;
  let otherOrgId: string;
  const cookies: Record<'mandataire' | 'salarie' | 'outsider' | 'instructeur' | 'citizen', Cookies> =
    {} as never;

  before(async () => {
    t = await startTestApp({ MESREF_PRODUCT_IMAGE_MAX_BYTES: '4096' });
    orgId = await createOrganisation(t.db, 'Éditeur A');
    otherOrgId = await createOrganisation(t.db, 'Éditeur B');
    const mandataire = await createAccount(t.db, { organisation: { id: orgId, role: 'mandataire' } });
    const salarie = await createAccount(t.db, { organisation: { id: orgId, role: 'salarie' } });
    const outsider = await createAccount(t.db, { organisation: { id: otherOrgId, role: 'mandataire' } });
    const instructeur = await createAccount(t.db, { staff: ['instructeur'] });
    cookies.mandataire = await sessionCookie(t.db, { accountId: mandataire.accountId });
    cookies.salarie = await sessionCookie(t.db, { accountId: salarie.accountId });
    cookies.outsider = await sessionCookie(t.db, { accountId: outsider.accountId });
    cookies.instructeur = await sessionCookie(t.db, { accountId: instructeur.accountId });
  });
  after(() => t.stop());

  const create = (body: Record<string, unknown> = base, who: Cookies = cookies.salarie) =>
    api(t, 'POST', `/api/v1/organisations/${orgId}/products`, { cookies: who }, body);

  it('creates a service named by the Convergence rule, lists it and audits it', async () => {
    const res = await create();
    assert.equal(res.statusCode, 201, res.body);
    const product = res.json();
    assert.equal(product.displayName, 'Forme+ iOS Mobile');
    assert.equal(product.rowVersion, 1);
    assert.equal(product.hasLogo, false);
    assert.deepEqual(product.medicalDevice, { is: false });
    assert.equal(res.headers.location, `/api/v1/products/${product.id}`);

    const list = await api(t, 'GET', `/api/v1/organisations/${orgId}/products`, {
      cookies: cookies.mandataire,
    });
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().products.some((p: { id: string }) => p.id === product.id));
    assert.deepEqual(await auditActions(t, product.id), ['product.created']);

    // What other modules read through index.ts.
    const read = await getProduct(t.db, product.id);
    assert.equal(read?.displayName, 'Forme+ iOS Mobile');
    assert.ok((await listProductsOf(t.db, orgId)).some((p) => p.id === product.id));
    assert.equal(await getProduct(t.db, 'not-a-uuid'), undefined);
  });

  it('names each field to correct and writes nothing', async () => {
    const before = (await listProductsOf(t.db, orgId)).length;
    const res = await create({
      ...base,
      commercialName: '',
      os: 'ios',
      device: 'site-web',
      urls: { web: 'http://x.fr' },
    });
    assert.equal(res.statusCode, 422);
    const fields = res.json().error.fields;
    assert.ok(fields.commercialName);
    assert.match(fields.device, /mobile ou tablette/);
    assert.ok(fields['urls.web']);
    assert.equal((await listProductsOf(t.db, orgId)).length, before);
  });

  it('refuses a second service of the same name, OS and device in the organisation', async () => {
    const first = await create({ ...base, commercialName: 'Doublon' });
    assert.equal(first.statusCode, 201);
    const again = await create({ ...base, commercialName: 'doublon' });
    assert.equal(again.statusCode, 422);
    assert.ok(again.json().error.fields.commercialName);
    const otherDevice = await create({ ...base, commercialName: 'Doublon', device: 'tablette' });
    assert.equal(otherDevice.statusCode, 201);
  });

  it('updates with the version read, and refuses a stale version showing the current values', async () => {
    const product = (await create({ ...base, commercialName: 'Concurrence' })).json();
    const url = `/api/v1/products/${product.id}`;
    const first = await api(
      t,
      'PATCH',
      url,
      { cookies: cookies.mandataire },
      { rowVersion: 1, version: '3.0' },
    );
    assert.equal(first.statusCode, 200, first.body);
    assert.equal(first.json().rowVersion, 2);
    assert.equal(first.json().version, '3.0');
    assert.equal(first.json().description, base.description, 'absent fields keep their value');

    // The colleague still holds version 1.
    const stale = await api(t, 'PATCH', url, { cookies: cookies.salarie }, { rowVersion: 1, version: '2.9' });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'conflict');
    assert.equal(stale.json().current.version, '3.0');
    assert.equal(stale.json().current.rowVersion, 2);
    assert.equal((await getProduct(t.db, product.id))?.version, '3.0', 'the stale change wrote nothing');

    // A change that changes nothing keeps the version.
    const same = await api(t, 'PATCH', url, { cookies: cookies.salarie }, { rowVersion: 2, version: '3.0' });
    assert.equal(same.json().rowVersion, 2);
    assert.deepEqual(await auditActions(t, product.id), ['product.created', 'product.updated']);
  });

  it('lets only one of two simultaneous changes on the same version through', async () => {
    const product = (await create({ ...base, commercialName: 'Simultané' })).json();
    const url = `/api/v1/products/${product.id}`;
    const [a, b] = await Promise.all([
      api(t, 'PATCH', url, { cookies: cookies.mandataire }, { rowVersion: 1, version: 'A' }),
      api(t, 'PATCH', url, { cookies: cookies.salarie }, { rowVersion: 1, version: 'B' }),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 409]);
    const winner = a.statusCode === 200 ? 'A' : 'B';
    assert.equal((await getProduct(t.db, product.id))?.version, winner);
  });

  it('hides a service from another organisation and lets staff see but not change it', async () => {
    const product = (await create({ ...base, commercialName: 'Réservé' })).json();
    const url = `/api/v1/products/${product.id}`;
    assert.equal((await api(t, 'GET', url, { cookies: cookies.outsider })).statusCode, 404);
    assert.equal(
      (await api(t, 'PATCH', url, { cookies: cookies.outsider }, { rowVersion: 1, version: 'x' })).statusCode,
      404,
    );
    assert.equal(
      (await api(t, 'GET', `/api/v1/organisations/${orgId}/products`, { cookies: cookies.outsider }))
        .statusCode,
      403,
    );
    assert.equal(
      (await api(t, 'POST', `/api/v1/organisations/${orgId}/products`, { cookies: cookies.outsider }, base))
        .statusCode,
      403,
    );
    assert.equal((await api(t, 'GET', url, { cookies: cookies.instructeur })).statusCode, 200);
    assert.equal(
      (await api(t, 'PATCH', url, { cookies: cookies.instructeur }, { rowVersion: 1, version: 'x' }))
        .statusCode,
      403,
    );
    assert.equal((await api(t, 'GET', url, {})).statusCode, 401);
    const staffPage = await page(t, `/editeur/services/${product.id}`, cookies.instructeur);
    assert.equal(staffPage.statusCode, 200);
    assert.doesNotMatch(staffPage.body, /id="formulaire-service"/);
    assert.equal((await page(t, `/editeur/services/${product.id}`, cookies.outsider)).statusCode, 404);
    assert.equal((await getProduct(t.db, product.id))?.version, base.version);
  });

  it('works with a personal API token, within its organisation only', async () => {
    const created = await api(
      t,
      'POST',
      '/api/v1/me/api-tokens',
      { cookies: cookies.mandataire },
      { name: 'ci', organisationId: orgId, days: 7 },
    );
    assert.equal(created.statusCode, 201, created.body);
    const token = created.json().token as string;
    const res = await api(
      t,
      'POST',
      `/api/v1/organisations/${orgId}/products`,
      { token },
      { ...base, commercialName: 'Par jeton' },
    );
    assert.equal(res.statusCode, 201);
    const id = res.json().id;
    const logo = await upload(
      t,
      `/api/v1/products/${id}/images`,
      undefined,
      { kind: 'logo' },
      {
        name: 'logo.png',
        type: 'image/png',
        bytes: LOGO,
      },
      token,
    );
    assert.equal(logo.statusCode, 201, logo.body);
    assert.equal(
      (await api(t, 'GET', `/api/v1/organisations/${otherOrgId}/products`, { token })).statusCode,
      403,
    );
  });

  it('stores images checked by their content and serves them back as what they are', async () => {
    const product = (await create({ ...base, commercialName: 'Imagé' })).json();
    const url = `/api/v1/products/${product.id}/images`;
    // Declared as a PNG, but it is an SVG with a script: refused.
    const svg = await upload(
      t,
      url,
      cookies.salarie,
      { _csrf: CSRF, kind: 'logo' },
      {
        name: 'logo.png',
        type: 'image/png',
        bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      },
    );
    assert.equal(svg.statusCode, 422);
    assert.ok(svg.json().error.fields.file);
    // Over the configured 4 KiB.
    const big = await upload(
      t,
      url,
      cookies.salarie,
      { _csrf: CSRF, kind: 'logo' },
      {
        name: 'big.png',
        type: 'image/png',
        bytes: Buffer.concat([LOGO, Buffer.alloc(5000)]),
      },
    );
    assert.equal(big.statusCode, 413);
    // Declared as JPEG, it is a PNG: stored as a PNG.
    const ok = await upload(
      t,
      url,
      cookies.salarie,
      { _csrf: CSRF, kind: 'logo' },
      {
        name: 'logo.jpg',
        type: 'image/jpeg',
        bytes: LOGO,
      },
    );
    assert.equal(ok.statusCode, 201, ok.body);
    const image = ok.json();
    assert.equal(image.mediaType, 'image/png');
    assert.match(image.sha256, /^[0-9a-f]{64}$/);
    const served = await api(t, 'GET', image.url, { cookies: cookies.instructeur });
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers['content-type'], 'image/png');
    assert.equal(served.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(served.rawPayload, LOGO);
    assert.equal((await api(t, 'GET', image.url, { cookies: cookies.outsider })).statusCode, 404);

    // A screenshot needs its text alternative.
    const noAlt = await upload(
      t,
      url,
      cookies.salarie,
      { _csrf: CSRF, kind: 'screenshot' },
      {
        name: 's.png',
        type: 'image/png',
        bytes: LOGO,
      },
    );
    assert.equal(noAlt.statusCode, 422);
    assert.ok(noAlt.json().error.fields.altText);

    // A second logo replaces the first.
    const second = await upload(
      t,
      url,
      cookies.salarie,
      { _csrf: CSRF, kind: 'logo' },
      {
        name: 'logo2.png',
        type: 'image/png',
        bytes: generatePng(8, 8, () => [0, 0, 0]),
      },
    );
    assert.equal(second.statusCode, 201);
    const images = (await api(t, 'GET', url, { cookies: cookies.mandataire })).json().images;
    assert.equal(images.filter((i: { kind: string }) => i.kind === 'logo').length, 1);
    assert.equal((await getProduct(t.db, product.id))?.hasLogo, true);

    // Staff cannot add one.
    const staff = await upload(
      t,
      url,
      cookies.instructeur,
      { _csrf: CSRF, kind: 'logo' },
      {
        name: 'logo.png',
        type: 'image/png',
        bytes: LOGO,
      },
    );
    assert.equal(staff.statusCode, 403);
    const removed = await api(t, 'DELETE', `${url}/${second.json().id}`, { cookies: cookies.mandataire });
    assert.equal(removed.statusCode, 204);
    assert.equal((await getProduct(t.db, product.id))?.hasLogo, false);
    assert.deepEqual(await auditActions(t, product.id), [
      'product.created',
      'product.image_added',
      'product.image_added',
      'product.image_removed',
    ]);
  });

  it('keeps at most six screenshots', async () => {
    const product = (await create({ ...base, commercialName: 'Galerie' })).json();
    const url = `/api/v1/products/${product.id}/images`;
    for (let i = 1; i <= 6; i++) {
      const res = await upload(
        t,
        url,
        cookies.salarie,
        { _csrf: CSRF, kind: 'screenshot', altText: `Écran ${i}` },
        {
          name: `${i}.png`,
          type: 'image/png',
          bytes: LOGO,
        },
      );
      assert.equal(res.statusCode, 201, res.body);
    }
    const seventh = await upload(
      t,
      url,
      cookies.salarie,
      { _csrf: CSRF, kind: 'screenshot', altText: 'Écran 7' },
      {
        name: '7.png',
        type: 'image/png',
        bytes: LOGO,
      },
    );
    assert.equal(seventh.statusCode, 409);
    assert.equal((await getProduct(t.db, product.id))?.screenshotCount, 6);
  });

  describe('pages', () => {
    it('lists, creates, edits and shows a conflict to the person', async () => {
      const list = await page(t, '/editeur/services', cookies.salarie);
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Éditeur A/);
      assert.match(list.body, new RegExp(`/editeur/organisations/${orgId}/services/nouveau`));

      const fields: Array<[string, string]> = [
        ['commercialName', 'Carnet'],
        ['os', 'web'],
        ['device', 'site-web'],
        ['version', '1.0'],
        ['description', 'Un carnet de suivi.'],
        ['url_web', 'https://carnet.example'],
        ['thematics', 'prevention'],
        ['thematics', 'nutrition'],
        ['audience', 'parents'],
        ['economicModel', 'payant'],
        ['medicalDevice', 'non'],
        ['dataExchange', 'oui'],
      ];
      const created = await form(t, `/editeur/organisations/${orgId}/services`, fields, cookies.salarie);
      assert.equal(created.statusCode, 303, created.body);
      const location = String(created.headers.location);
      const id = location.match(/services\/([0-9a-f-]{36})/)?.[1] as string;
      const product = await getProduct(t.db, id);
      assert.equal(product?.displayName, 'Carnet Web Site Web');
      assert.deepEqual(product?.thematics, ['prevention', 'nutrition']);
      assert.equal(product?.dataExchange, true);
      assert.equal(product?.economicModel, 'payant');

      const shown = await page(t, location, cookies.salarie);
      assert.match(shown.body, /Le service a été déclaré/);
      assert.match(shown.body, /name="rowVersion" value="1"/);

      // Two people opened version 1; the first saves.
      const edit = (version: string, change: string) =>
        form(
          t,
          `/editeur/services/${id}`,
          [...fields.filter(([k]) => k !== 'version'), ['version', change], ['rowVersion', version]],
          cookies.salarie,
        );
      assert.equal((await edit('1', '1.1')).statusCode, 303);
      const conflict = await edit('1', '1.2');
      assert.equal(conflict.statusCode, 409);
      assert.match(conflict.body, /Modification concurrente/);
      assert.match(conflict.body, /<td>1\.1<\/td><td>1\.2<\/td>/);
      // The form now rests on the current version, with what the person typed.
      assert.match(conflict.body, /name="rowVersion" value="2"/);
      assert.match(conflict.body, /id="f-version"[^>]*value="1\.2"|value="1\.2"[^>]*id="f-version"/);
      assert.equal((await getProduct(t.db, id))?.version, '1.1');

      const invalid = await edit('2', '');
      assert.equal(invalid.statusCode, 422);
      assert.match(invalid.body, /href="#f-version"/);

      // In English too.
      const english = await page(t, `/editeur/services/${id}?lang=en`, cookies.salarie);
      assert.match(english.body, /Save the changes/);
    });

    it('uploads a logo from the page and shows it', async () => {
      const product = (await create({ ...base, commercialName: 'Logo page' })).json();
      const res = await upload(
        t,
        `/editeur/services/${product.id}/images`,
        cookies.salarie,
        {
          _csrf: CSRF,
          kind: 'logo',
        },
        { name: 'logo.png', type: 'image/png', bytes: LOGO },
      );
      assert.equal(res.statusCode, 303, res.body);
      const shown = await page(t, `/editeur/services/${product.id}`, cookies.salarie);
      assert.match(
        shown.body,
        /<img src="\/api\/v1\/products\/[0-9a-f-]+\/images\/[0-9a-f-]+" alt="Logo de Logo page iOS Mobile"/,
      );

      const wrong = await upload(
        t,
        `/editeur/services/${product.id}/images`,
        cookies.salarie,
        {
          _csrf: CSRF,
          kind: 'logo',
        },
        { name: 'logo.png', type: 'image/png', bytes: Buffer.from('GIF89a...') },
      );
      assert.equal(wrong.statusCode, 422);
      assert.match(wrong.body, /PNG, JPEG ou WebP/);
    });

    it('refuses a form without its CSRF token', async () => {
      const product = (await create({ ...base, commercialName: 'Sans jeton' })).json();
      const res = await form(
        t,
        `/editeur/services/${product.id}`,
        [
          ['version', '9'],
          ['rowVersion', '1'],
        ],
        cookies.salarie,
        '',
      );
      assert.equal(res.statusCode, 403);
      const noCsrfUpload = await upload(
        t,
        `/editeur/services/${product.id}/images`,
        cookies.salarie,
        { kind: 'logo' },
        {
          name: 'logo.png',
          type: 'image/png',
          bytes: LOGO,
        },
      );
      assert.equal(noCsrfUpload.statusCode, 403);
      const json = await api(
        t,
        'PATCH',
        `/api/v1/products/${product.id}`,
        { cookies: cookies.salarie, csrf: false },
        {
          rowVersion: 1,
          version: '9',
        },
      );
      assert.equal(json.statusCode, 403);
      const read = await getProduct(t.db, product.id);
      assert.equal(read?.version, base.version);
      assert.equal(read?.hasLogo, false);
      assert.ok(read && mayEditProduct({ kind: 'anonymous' }, read) === false);
    });
  });
});
