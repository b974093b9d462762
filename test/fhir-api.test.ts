/**
 * The FHIR exchange API's own frame: the CapabilityStatement, and that every answer under /fhir, errors
 * included, is an OperationOutcome in application/fhir+json (the measures and documents tests cover the
 * resources themselves).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from './helpers.ts';

const FHIR_JSON = /^application\/fhir\+json/;

describe('the FHIR exchange API frame', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ MESREF_FHIR_MAX_BYTES: '20000' });
  });
  after(() => app.stop());

  it('describes what it supports in GET /fhir/metadata, without a token', async () => {
    const res = await app.inject({ method: 'GET', url: '/fhir/metadata' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, FHIR_JSON);
    const cs = res.json();
    assert.equal(cs.resourceType, 'CapabilityStatement');
    assert.equal(cs.fhirVersion, '4.0.1');
    const types = cs.rest[0].resource.map((r: { type: string }) => r.type);
    assert.deepEqual(types, ['Observation', 'Device', 'DocumentReference', 'Binary', 'List']);
    const observation = cs.rest[0].resource[0];
    assert.deepEqual(observation.searchInclude, ['Observation:device']);
    assert.ok(observation.searchParam.some((p: { name: string }) => p.name === 'subject.identifier'));
    assert.equal(cs.rest[0].interaction[0].code, 'transaction');
  });

  it('answers 401 with an OperationOutcome and WWW-Authenticate without a valid bearer token', async () => {
    for (const authorization of [undefined, 'Bearer nope', 'Basic abc', 'Bearer a.b.c']) {
      const res = await app.inject({
        method: 'POST',
        url: '/fhir',
        headers: { 'content-type': 'application/fhir+json', ...(authorization ? { authorization } : {}) },
        payload: JSON.stringify({ resourceType: 'Bundle', type: 'transaction', entry: [] }),
      });
      assert.equal(res.statusCode, 401, String(authorization));
      assert.match(res.headers['content-type'] as string, FHIR_JSON);
      assert.match(res.headers['www-authenticate'] as string, /Bearer error="invalid_token"/);
      const outcome = res.json();
      assert.equal(outcome.resourceType, 'OperationOutcome');
      assert.equal(outcome.issue[0].code, 'login');
      assert.equal(outcome.issue[0].details.text, 'The access_token is not valid.');
    }
    for (const url of ['/fhir/Observation?code=29463-7', '/fhir/DocumentReference?status=current']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 401, url);
      assert.equal(res.json().resourceType, 'OperationOutcome');
    }
  });

  it('answers an OperationOutcome for an unknown path or method, a wrong media type, a body too large', async () => {
    const unknown = await app.inject({ method: 'GET', url: '/fhir/Patient/123' });
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.headers['content-type'] as string, FHIR_JSON);
    assert.equal(unknown.json().issue[0].code, 'not-supported');

    const xml = await app.inject({
      method: 'POST',
      url: '/fhir',
      headers: { 'content-type': 'application/fhir+xml', authorization: 'Bearer x' },
      payload: '<Bundle/>',
    });
    assert.equal(xml.statusCode, 415);
    assert.equal(xml.json().resourceType, 'OperationOutcome');

    const large = await app.inject({
      method: 'POST',
      url: '/fhir',
      headers: { 'content-type': 'application/fhir+json', authorization: 'Bearer x' },
      payload: JSON.stringify({ resourceType: 'Bundle', padding: 'x'.repeat(30_000) }),
    });
    assert.equal(large.statusCode, 413);
    assert.equal(large.json().resourceType, 'OperationOutcome');
  });

  it('keeps the validation operation and the SMART configuration beside the API', async () => {
    const validate = await app.inject({
      method: 'POST',
      url: '/fhir/$validate',
      headers: { 'content-type': 'application/fhir+json' },
      payload: JSON.stringify({ resourceType: 'Device' }),
    });
    assert.equal(validate.statusCode, 200);
    assert.equal(validate.json().resourceType, 'OperationOutcome');
    const smart = await app.inject({ method: 'GET', url: '/fhir/.well-known/smart-configuration' });
    assert.equal(smart.statusCode, 200);
    assert.ok(smart.json().authorization_endpoint);
  });
});
