/**
 * The self-assessment over HTTP (inject): the JSON API with a personal API token (409 with the colleague's
 * answer, 422 with the problems by line, YAML in and out, the JSON report), and the pages' forms without
 * JavaScript (multipart upload, evidence download headers, conflict shown, rights).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API_TOKEN_PREFIX } from '../src/identity/sessions.ts';
import { insertApiToken } from '../src/identity/store.ts';
import { newId, randomToken, sha256 } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/index.ts';
import {
  CSRF,
  createAccount,
  createOrganisation,
  sessionCookie,
  startTestApp,
  type TestApp,
} from './helpers.ts';

/** A service of the organisation, written directly (the product module's own tests cover its checks). */
async function createTestProduct(db: Db, organisationId: string, name = 'Suivi Tension'): Promise<string> {
  const id = newId();
  await db
    .insertInto('products')
    .values({
      id,
      organisation_id: organisationId,
      commercial_name: name,
      os: 'ios',
      device: 'mobile',
      version: '1.0',
      description: 'Service de test',
      url_web: null,
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
  return id;
}

async function apiToken(db: Db, accountId: string, organisationId: string): Promise<string> {
  const token = `${API_TOKEN_PREFIX}${randomToken()}`;
  await insertApiToken(db, {
    id: newId(),
    accountId,
    organisationId,
    name: 'CI',
    tokenHash: sha256(token),
    prefix: token.slice(0, 16),
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return token;
}

/** A multipart body, as a browser sends a form with a file. */
function multipart(
  fields: Record<string, string>,
  file?: { field: string; name: string; type: string; bytes: Buffer },
) {
  const boundary = `----mesref${randomToken(8)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

const PDF = Buffer.from('%PDF-1.4\n% preuve\n%%EOF\n');

describe('assessment over HTTP', () => {
  let app: TestApp;
  let productId: string;
  let token: string;
  let aliceCookies: Record<string, string>;
  let bobCookies: Record<string, string>;
  let outsiderCookies: Record<string, string>;
  let staffCookies: Record<string, string>;
  let criterion: string;

  before(async () => {
    app = await startTestApp({ MESREF_EVIDENCE_MAX_BYTES: '4096' });
    const orgId = await createOrganisation(app.db);
    const otherOrg = await createOrganisation(app.db, 'Autre');
    productId = await createTestProduct(app.db, orgId);
    const alice = await createAccount(app.db, { organisation: { id: orgId, role: 'mandataire' } });
    const bob = await createAccount(app.db, { organisation: { id: orgId, role: 'salarie' } });
    const outsider = await createAccount(app.db, { organisation: { id: otherOrg, role: 'mandataire' } });
    const agent = await createAccount(app.db, { staff: ['instructeur'] });
    token = await apiToken(app.db, alice.accountId, orgId);
    aliceCookies = await sessionCookie(app.db, alice);
    bobCookies = await sessionCookie(app.db, bob);
    outsiderCookies = await sessionCookie(app.db, outsider);
    staffCookies = await sessionCookie(app.db, agent);
    criterion = app.referentials.newest().criteria.find((c) => !c.appliesWhen)?.id as string;
  });
  after(() => app.stop());

  const bearer = () => ({ authorization: `Bearer ${token}` });

  it('runs the assessment through the API with a personal token', async () => {
    const created = await app.inject({
      method: 'POST',
      url: `/api/v1/products/${productId}/assessments`,
      headers: bearer(),
      payload: {},
    });
    assert.equal(created.statusCode, 201, created.body);
    const assessment = created.json();
    assert.equal(assessment.referential.id, app.referentials.newest().id);
    assert.equal(assessment.evaluation.ready, false);
    const id = assessment.id as string;

    const orientation = await app.inject({
      method: 'PUT',
      url: `/api/v1/assessments/${id}/orientation`,
      headers: bearer(),
      payload: { orientation: { echange_donnees: false }, version: assessment.version },
    });
    assert.equal(orientation.statusCode, 200, orientation.body);
    assert.equal(orientation.json().version, assessment.version + 1);

    const url = `/api/v1/assessments/${id}/answers/${encodeURIComponent(criterion)}`;
    const saved = await app.inject({
      method: 'PUT',
      url,
      headers: bearer(),
      payload: {
        status: 'conforme',
        justification: 'Fait',
        version: 0,
        addEvidence: [{ url: 'https://exemple.test/p' }],
      },
    });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json().version, 1);

    // A colleague's save based on the version read before: 409 with the current answer; nothing overwritten.
    const stale = await app.inject({
      method: 'PUT',
      url,
      headers: bearer(),
      payload: { status: 'non-conforme', justification: 'Autre avis', version: 0 },
    });
    assert.equal(stale.statusCode, 409);
    const body = stale.json();
    assert.equal(body.error.code, 'conflict');
    assert.equal(body.current.status, 'conforme');
    assert.equal(body.current.justification, 'Fait');
    assert.equal(body.current.version, 1);

    const read = await app.inject({ method: 'GET', url: `/api/v1/assessments/${id}`, headers: bearer() });
    const evaluated = read.json().evaluation.criteria.find((c: { id: string }) => c.id === criterion);
    assert.equal(evaluated.state, 'ready');

    // Export, then import the same file back: same answers.
    const exported = await app.inject({
      method: 'GET',
      url: `/api/v1/assessments/${id}/answers-file`,
      headers: bearer(),
    });
    assert.equal(exported.statusCode, 200);
    assert.match(exported.headers['content-type'] as string, /yaml/);
    assert.match(exported.body, new RegExp(`referential: ${app.referentials.newest().id}`));
    const imported = await app.inject({
      method: 'PUT',
      url: `/api/v1/assessments/${id}/answers-file`,
      headers: { ...bearer(), 'content-type': 'application/yaml' },
      payload: exported.body,
    });
    assert.equal(imported.statusCode, 200, imported.body);
    const after = imported.json().answers.find((a: { criterionId: string }) => a.criterionId === criterion);
    assert.equal(after.status, 'conforme');
    assert.equal(after.evidence[0].url, 'https://exemple.test/p');

    // A broken file: 422 with its problems by line, and nothing changed.
    const broken = await app.inject({
      method: 'PUT',
      url: `/api/v1/assessments/${id}/answers-file`,
      headers: { ...bearer(), 'content-type': 'text/yaml' },
      payload: `answers:\n  "${criterion}":\n    status: peut-être\n`,
    });
    assert.equal(broken.statusCode, 422);
    assert.equal(broken.json().problems[0].line, 3);
    const again = await app.inject({ method: 'GET', url: `/api/v1/assessments/${id}`, headers: bearer() });
    assert.deepEqual(again.json().answers, imported.json().answers);

    const report = await app.inject({
      method: 'GET',
      url: `/api/v1/assessments/${id}/report`,
      headers: bearer(),
    });
    assert.equal(report.statusCode, 200, report.body);
    assert.equal(report.json().version.id, app.referentials.newest().id);

    const list = await app.inject({
      method: 'GET',
      url: `/api/v1/products/${productId}/assessments`,
      headers: bearer(),
    });
    assert.deepEqual(
      list.json().map((a: { id: string }) => a.id),
      [id],
    );
  });

  it('answers 404 to other organisations and refuses staff writes', async () => {
    const { json } = await app.inject({
      method: 'GET',
      url: `/api/v1/products/${productId}/assessments`,
      headers: bearer(),
    });
    const id = (json() as Array<{ id: string }>)[0].id;
    const theirs = await app.inject({
      method: 'GET',
      url: `/api/v1/assessments/${id}`,
      cookies: outsiderCookies,
      headers: { accept: 'application/json' },
    });
    assert.equal(theirs.statusCode, 404);
    const page = await app.inject({
      method: 'GET',
      url: `/editeur/auto-evaluations/${id}`,
      cookies: outsiderCookies,
    });
    assert.equal(page.statusCode, 404);
    const staffRead = await app.inject({
      method: 'GET',
      url: `/editeur/auto-evaluations/${id}`,
      cookies: staffCookies,
    });
    assert.equal(staffRead.statusCode, 200);
    const staffWrite = await app.inject({
      method: 'PUT',
      url: `/api/v1/assessments/${id}/answers/${encodeURIComponent(criterion)}`,
      cookies: staffCookies,
      headers: { 'x-csrf-token': CSRF },
      payload: { status: 'conforme', version: 0 },
    });
    assert.equal(staffWrite.statusCode, 403);
    const anonymous = await app.inject({ method: 'GET', url: `/api/v1/assessments/${id}` });
    assert.equal(anonymous.statusCode, 401);
  });

  it('answers a criterion from the page with a file, serves it back as an attachment, and shows conflicts', async () => {
    const other = await createTestProduct(
      app.db,
      (await app.db.selectFrom('products').select('organisation_id').executeTakeFirstOrThrow())
        .organisation_id,
      'Page',
    );
    const start = await app.inject({
      method: 'POST',
      url: `/editeur/services/${other}/auto-evaluation`,
      cookies: aliceCookies,
      payload: { _csrf: CSRF, referential: app.referentials.newest().id },
    });
    assert.equal(start.statusCode, 303, start.body);
    const base = start.headers.location as string;
    const overview = await app.inject({ method: 'GET', url: base, cookies: aliceCookies });
    assert.equal(overview.statusCode, 200);
    assert.match(overview.body, /<progress/);
    assert.match(overview.body, /Version de démonstration/);

    const form = multipart(
      { _csrf: CSRF, version: '0', status: 'conforme', justification: 'Voir le certificat', targetDate: '' },
      { field: 'evidenceFile', name: 'certificat.pdf', type: 'application/octet-stream', bytes: PDF },
    );
    const saved = await app.inject({
      method: 'POST',
      url: `${base}/criteres/${encodeURIComponent(criterion)}`,
      cookies: aliceCookies,
      ...form,
    });
    assert.equal(saved.statusCode, 303, saved.body);
    const rubriquePage = await app.inject({
      method: 'GET',
      url: saved.headers.location as string,
      cookies: aliceCookies,
    });
    assert.equal(rubriquePage.statusCode, 200);
    assert.match(rubriquePage.body, /Réponse au critère .* enregistrée/);
    const link = rubriquePage.body.match(/href="([^"]*\/preuves\/[0-9a-f-]{36})"/)?.[1];
    assert.ok(link, 'a download link for the file');
    const download = await app.inject({ method: 'GET', url: link, cookies: bobCookies });
    assert.equal(download.statusCode, 200);
    assert.equal(download.headers['content-type'], 'application/pdf');
    assert.match(download.headers['content-disposition'] as string, /^attachment; filename="certificat.pdf"/);
    assert.equal(download.headers['x-content-type-options'], 'nosniff');
    assert.deepEqual(download.rawPayload, PDF);
    const forbidden = await app.inject({ method: 'GET', url: link, cookies: outsiderCookies });
    assert.equal(forbidden.statusCode, 404);

    // Bob had the page open before Alice saved: his save is refused and both answers are shown.
    const conflict = await app.inject({
      method: 'POST',
      url: `${base}/criteres/${encodeURIComponent(criterion)}`,
      cookies: bobCookies,
      ...multipart({
        _csrf: CSRF,
        version: '0',
        status: 'non-conforme',
        justification: 'Je ne trouve pas le certificat',
      }),
    });
    assert.equal(conflict.statusCode, 409);
    assert.match(conflict.body, /Réponse enregistrée par votre collègue/);
    assert.match(conflict.body, /Voir le certificat/);
    assert.match(conflict.body, /Je ne trouve pas le certificat/);

    // A file too large, or of a refused type: the form comes back with why, nothing written.
    const tooLarge = await app.inject({
      method: 'POST',
      url: `${base}/criteres/${encodeURIComponent(criterion)}`,
      cookies: aliceCookies,
      ...multipart(
        { _csrf: CSRF, version: '1', status: 'conforme', justification: '' },
        { field: 'evidenceFile', name: 'gros.pdf', type: 'application/pdf', bytes: Buffer.alloc(5000, 0x25) },
      ),
    });
    assert.equal(tooLarge.statusCode, 422);
    assert.match(tooLarge.body, /dépasse la taille maximale/);

    // Without a CSRF token the form is refused.
    const noCsrf = await app.inject({
      method: 'POST',
      url: `${base}/criteres/${encodeURIComponent(criterion)}`,
      cookies: aliceCookies,
      ...multipart({ version: '1', status: '' }),
    });
    assert.equal(noCsrf.statusCode, 403);

    for (const path of [
      '/orientation',
      '/rubriques/ethique',
      '/plan',
      '/fichier',
      '/version',
      '/rapport.html',
    ]) {
      const response = await app.inject({ method: 'GET', url: `${base}${path}`, cookies: aliceCookies });
      assert.equal(response.statusCode, 200, `${path}: ${response.body.slice(0, 300)}`);
    }
    const yaml = await app.inject({ method: 'GET', url: `${base}/fichier.yaml`, cookies: aliceCookies });
    assert.match(yaml.headers['content-disposition'] as string, /^attachment; filename="reponses-.*\.yaml"/);
    const pdf = await app.inject({ method: 'GET', url: `${base}/rapport.pdf`, cookies: aliceCookies });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  });

  it('shows new orientation questions after a save, without JavaScript', async () => {
    const org = (await app.db.selectFrom('products').select('organisation_id').executeTakeFirstOrThrow())
      .organisation_id;
    const product = await createTestProduct(app.db, org, 'Orientation');
    const start = await app.inject({
      method: 'POST',
      url: `/editeur/services/${product}/auto-evaluation`,
      cookies: aliceCookies,
      payload: { _csrf: CSRF },
    });
    const base = start.headers.location as string;
    const first = await app.inject({ method: 'GET', url: `${base}/orientation`, cookies: aliceCookies });
    assert.doesNotMatch(first.body, /name="q\.finalites"/);
    const saved = await app.inject({
      method: 'POST',
      url: `${base}/orientation`,
      cookies: aliceCookies,
      payload: { _csrf: CSRF, version: '1', 'q.echange_donnees': 'true' },
    });
    assert.equal(saved.statusCode, 303);
    assert.match(saved.headers.location as string, /ok=more/);
    const next = await app.inject({
      method: 'GET',
      url: saved.headers.location as string,
      cookies: aliceCookies,
    });
    assert.match(next.body, /name="q\.finalites"/);
    assert.match(next.body, /De nouvelles questions sont apparues/);
    const stale = await app.inject({
      method: 'POST',
      url: `${base}/orientation`,
      cookies: bobCookies,
      payload: { _csrf: CSRF, version: '1', 'q.echange_donnees': 'false' },
    });
    assert.equal(stale.statusCode, 409);
  });
});
