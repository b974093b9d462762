import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../test/helpers.ts';

describe('HTTP basics', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.stop());

  it('answers /health and /ready', async () => {
    const health = await t.inject({ method: 'GET', url: '/health' });
    assert.equal(health.statusCode, 200);
    assert.deepEqual(health.json(), { status: 'ok' });
    const ready = await t.inject({ method: 'GET', url: '/ready' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'ready');
  });

  it('serves the home page in French, and in English on request', async () => {
    const fr = await t.inject({ method: 'GET', url: '/' });
    assert.equal(fr.statusCode, 200);
    assert.match(fr.body, /<html lang="fr"/);
    assert.match(fr.body, /Référencer un service numérique en santé/);
    const en = await t.inject({ method: 'GET', url: '/?lang=en' });
    assert.match(en.body, /<html lang="en"/);
    assert.match(en.body, /Referencing a digital health service/);
  });

  it('answers an unknown route with 404 as JSON under /api and as a page elsewhere', async () => {
    const api = await t.inject({ method: 'GET', url: '/api/v1/nothing' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error.code, 'not_found');
    const page = await t.inject({ method: 'GET', url: '/nothing-here' });
    assert.equal(page.statusCode, 404);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assert.match(page.body, /Page ou ressource introuvable/);
  });

  it('answers a URL that cannot be decoded with 400, in the caller’s language and format', async () => {
    const page = await t.inject({ method: 'GET', url: '/ressources/guides/%E2%82' });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /L’adresse demandée est invalide/);
    const en = await t.inject({
      method: 'GET',
      url: '/ressources/guides/%C3',
      headers: { 'accept-language': 'en', accept: 'application/json' },
    });
    assert.equal(en.statusCode, 400);
    assert.deepEqual(en.json().error, {
      code: 'bad_url',
      message: 'The requested address is invalid (bad “%” encoding).',
    });
  });

  it('sets security headers', async () => {
    const res = await t.inject({ method: 'GET', url: '/' });
    assert.ok(res.headers['content-security-policy']);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
  });

  it('refuses malformed JSON with 400 and a clear error', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      headers: { 'content-type': 'application/json' },
      payload: '{"legalName": ',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, 'malformed_json');
    assert.match(res.json().error.message, /JSON/);
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/api/v1/registrations',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ legalName: 'x'.repeat(2 * 1024 * 1024) }),
    });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, 'payload_too_large');
  });

  it('refuses a form posted without its CSRF token', async () => {
    const res = await t.inject({
      method: 'POST',
      url: '/connexion',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a%40b.fr&password=x',
    });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /Le formulaire a expiré/);
  });

  it('never shows a stack trace to a client', async () => {
    const res = await t.inject({
      method: 'GET',
      url: '/api/v1/organisations/not-a-uuid',
      headers: { accept: 'application/json' },
    });
    assert.ok(res.statusCode < 500);
    assert.doesNotMatch(res.body, /at .*\.ts:\d+/);
  });
});
