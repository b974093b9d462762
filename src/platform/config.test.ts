import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

/** The settings a production deployment needs, all valid. */
const production = {
  MESREF_MODE: 'production',
  MESREF_PUBLIC_URL: 'https://mesref.exemple.fr',
  MESREF_MAIL: 'smtp',
  SMTP_URL: 'smtp://relay.exemple.fr:587',
  MESREF_CITIZEN_IDP: 'oidc',
  MESREF_CITIZEN_OIDC_ISSUER: 'https://fc.exemple.fr',
  MESREF_CITIZEN_OIDC_CLIENT_ID: 'mesref',
  MESREF_CITIZEN_OIDC_CLIENT_SECRET: 'secret',
  MESREF_SIGNING_KEYS_FILE: '/etc/mesref/keys.json',
  MESREF_OID_ROOT: '1.2.250.1.999.1',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    return error.problems;
  }
  return [];
}

describe('configuration', () => {
  it('defaults to a sandbox that works without any setting', () => {
    const config = loadConfig({});
    assert.equal(config.mode, 'sandbox');
    assert.equal(config.port, 3000);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.publicUrl, 'http://localhost:3000');
    assert.equal(config.dataDir, resolve('./data'));
    assert.equal(config.databaseUrl, undefined);
    assert.deepEqual(config.mail, {
      transport: 'capture',
      smtpUrl: undefined,
      from: 'mesref <no-reply@localhost>',
    });
    assert.deepEqual(config.citizenIdp, { kind: 'test' });
    assert.equal(config.demoData, true);
    assert.equal(config.signingKeysFile, undefined);
    assert.equal(config.inProcessWorker, true);
    assert.equal(config.stateBrand, false);
    assert.equal(config.secureCookies, false);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.bodyLimitBytes, 1024 * 1024);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({
      MESREF_MODE: '',
      PORT: '',
      MESREF_MAIL: '',
      MESREF_DEMO_DATA: '',
      LOG_LEVEL: '',
    });
    assert.equal(config.mode, 'sandbox');
    assert.equal(config.port, 3000);
    assert.equal(config.mail.transport, 'capture');
    assert.equal(config.demoData, true);
  });

  it('accepts a complete production configuration', () => {
    const config = loadConfig(production);
    assert.equal(config.mode, 'production');
    assert.equal(config.mail.transport, 'smtp');
    assert.equal(config.citizenIdp.kind, 'oidc');
    assert.equal(config.demoData, false);
    assert.equal(config.secureCookies, true, 'Secure cookies follow the https public URL');
  });

  it('reads the settings it is given', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      MESREF_PUBLIC_URL: 'https://bac-a-sable.exemple.fr/',
      DATABASE_URL: 'postgres://db/mesref',
      DATABASE_POOL_SIZE: '24',
      DATA_DIR: '/var/lib/mesref',
      MESREF_STATE_BRAND: 'yes',
      MESREF_IN_PROCESS_WORKER: '0',
      MESREF_BODY_LIMIT: '2048',
      MESREF_DEMO_DATA: 'off',
      LOG_LEVEL: 'warn',
    });
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.publicUrl, 'https://bac-a-sable.exemple.fr', 'without its trailing slash');
    assert.equal(config.databaseUrl, 'postgres://db/mesref');
    assert.equal(config.databasePoolSize, 24);
    assert.equal(config.dataDir, '/var/lib/mesref');
    assert.equal(config.stateBrand, true);
    assert.equal(config.inProcessWorker, false);
    assert.equal(config.bodyLimitBytes, 2048);
    assert.equal(config.demoData, false);
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.secureCookies, true);
  });

  describe('production refuses every sandbox setting', () => {
    const cases: Array<[string, Record<string, string | undefined>, RegExp]> = [
      ['the test identity provider', { MESREF_CITIZEN_IDP: 'test' }, /fournisseur d’identité de test/],
      ['captured mail', { MESREF_MAIL: 'capture' }, /capture des courriels/],
      ['demo data', { MESREF_DEMO_DATA: 'true' }, /données de démonstration/],
      ['missing signing keys', { MESREF_SIGNING_KEYS_FILE: undefined }, /MESREF_SIGNING_KEYS_FILE/],
      ['an http public URL', { MESREF_PUBLIC_URL: 'http://mesref.exemple.fr' }, /MESREF_PUBLIC_URL en https/],
      ['cookies without Secure', { MESREF_SECURE_COOKIES: 'false' }, /cookies sans l’attribut Secure/],
      ['smtp without its URL', { SMTP_URL: undefined }, /MESREF_MAIL=smtp demande SMTP_URL/],
      ['no root OID for the services', { MESREF_OID_ROOT: undefined }, /MESREF_OID_ROOT/],
      ['a root OID that is not one', { MESREF_OID_ROOT: '1.2.x' }, /MESREF_OID_ROOT doit être un OID/],
      [
        'an incomplete OpenID provider',
        { MESREF_CITIZEN_OIDC_CLIENT_SECRET: '' },
        /MESREF_CITIZEN_OIDC_CLIENT_SECRET/,
      ],
    ];
    for (const [name, change, expected] of cases) {
      it(`refuses ${name}`, () => {
        const problems = problemsOf({ ...production, ...change });
        assert.equal(problems.length, 1, problems.join('\n'));
        assert.match(problems[0], expected);
      });
    }

    it('lists every problem at once', () => {
      const problems = problemsOf({ MESREF_MODE: 'production' });
      for (const expected of [
        /MESREF_MAIL=smtp demande SMTP_URL/,
        /MESREF_CITIZEN_OIDC_ISSUER/,
        /MESREF_CITIZEN_OIDC_CLIENT_ID/,
        /MESREF_CITIZEN_OIDC_CLIENT_SECRET/,
        /MESREF_SIGNING_KEYS_FILE/,
        /MESREF_PUBLIC_URL en https/,
        /MESREF_OID_ROOT/,
      ]) {
        assert.ok(
          problems.some((p) => expected.test(p)),
          `${expected} missing from:\n${problems.join('\n')}`,
        );
      }
      assert.equal(problems.length, 7);
      const all = problemsOf({
        ...production,
        MESREF_CITIZEN_IDP: 'test',
        MESREF_MAIL: 'capture',
        MESREF_DEMO_DATA: '1',
        MESREF_SIGNING_KEYS_FILE: '',
        MESREF_PUBLIC_URL: 'http://x.fr',
      });
      assert.equal(all.length, 5, all.join('\n'));
    });

    it('puts every problem in the error message', () => {
      assert.throws(
        () => loadConfig({ MESREF_MODE: 'production', MESREF_MAIL: 'capture', MESREF_DEMO_DATA: 'true' }),
        (error: Error) =>
          /capture des courriels/.test(error.message) &&
          /données de démonstration/.test(error.message) &&
          /MESREF_SIGNING_KEYS_FILE/.test(error.message),
      );
    });
  });

  describe('refuses bad values, naming the variable and what it received', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ MESREF_MODE: 'foo' }, /MESREF_MODE doit valoir sandbox ou production \(reçu « foo »\)/],
      [{ PORT: 'abc' }, /PORT doit être un entier .*\(reçu « abc »\)/],
      [{ PORT: '-1' }, /PORT doit être un entier/],
      [{ PORT: '3000.5' }, /PORT doit être un entier/],
      [{ PORT: '70000' }, /PORT doit être un entier entre 0 et 65535/],
      [{ PORT: '0x50' }, /PORT doit être un entier/],
      [{ DATABASE_POOL_SIZE: '0' }, /DATABASE_POOL_SIZE doit être un entier entre 1 et 1000/],
      [{ MESREF_MAIL: 'pigeon' }, /MESREF_MAIL doit valoir capture ou smtp/],
      [{ MESREF_CITIZEN_IDP: 'saml' }, /MESREF_CITIZEN_IDP doit valoir test ou oidc/],
      [{ MESREF_DEMO_DATA: 'maybe' }, /MESREF_DEMO_DATA doit valoir true ou false/],
      [{ MESREF_STATE_BRAND: 'oui' }, /MESREF_STATE_BRAND doit valoir true ou false/],
      [{ MESREF_IN_PROCESS_WORKER: 'sometimes' }, /MESREF_IN_PROCESS_WORKER doit valoir true ou false/],
      [{ MESREF_SECURE_COOKIES: '2' }, /MESREF_SECURE_COOKIES doit valoir true ou false/],
      [{ MESREF_BODY_LIMIT: '0' }, /MESREF_BODY_LIMIT doit être un entier entre 1/],
      [{ MESREF_BODY_LIMIT: '1MB' }, /MESREF_BODY_LIMIT doit être un entier/],
      [{ LOG_LEVEL: 'verbose' }, /LOG_LEVEL doit valoir fatal, error, warn, info, debug, trace, silent/],
      [{ MESREF_PUBLIC_URL: 'not a url' }, /MESREF_PUBLIC_URL doit être une URL http\(s\)/],
      [{ MESREF_PUBLIC_URL: 'ftp://files.exemple.fr' }, /MESREF_PUBLIC_URL doit être une URL http\(s\)/],
    ];
    for (const [env, expected] of cases) {
      it(`${Object.entries(env)[0].join('=')}`, () => {
        const problems = problemsOf(env);
        assert.equal(problems.length, 1, problems.join('\n'));
        assert.match(problems[0], expected);
      });
    }

    it('reports several bad values together', () => {
      const problems = problemsOf({
        MESREF_MODE: 'foo',
        PORT: 'abc',
        MESREF_STATE_BRAND: 'oui',
        LOG_LEVEL: 'loud',
      });
      assert.equal(problems.length, 4, problems.join('\n'));
    });
  });
});
