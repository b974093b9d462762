// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { randomSiren } from '../../test/helpers.ts';
import {
  type Actor,
  afterFailure,
  apiTokenDaysProblem,
  authorize,
  grantableRoles,
  isLocked,
  isValidSiren,
  keepsAMandataire,
  LOCKOUT_MINUTES,
  LOCKOUT_THRESHOLD,
  landingPath,
  normaliseSiren,
  passwordProblem,
  safeReturnPath,
  validateRegistration,
} from './model.ts';

describe('isValidSiren', () => {
  const cases: Array<[string, boolean, string]> = [
    ['732829320', true, 'a real SIREN'],
    ['356000000', true, 'La Poste'],
    ['552100554', true, 'a real SIREN'],
    ['000000000', true, 'all zeros passes Luhn'],
    ['732829321', false, 'wrong key'],
    ['123456789', false, 'wrong key'],
    ['73282932', false, '8 digits'],
    ['7328293200', false, '10 digits'],
    ['73282932A', false, 'a letter'],
    ['732 829 320', false, 'spaces (normalise first)'],
    ['', false, 'empty'],
  ];
  for (const [siren, valid, why] of cases) {
    it(`${siren || '(empty)'} is ${valid ? 'valid' : 'invalid'}: ${why}`, () => {
      assert.equal(isValidSiren(siren), valid);
    });
  }

  it('accepts a SIREN typed with spaces once normalised', () => {
    assert.equal(normaliseSiren('732 829 320'), '732829320');
    assert.equal(isValidSiren(normaliseSiren('732 829 320')), true);
  });

  it('finds every single-digit typo (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (position, delta) => {
        const siren = randomSiren();
        const digits = siren.split('').map(Number);
        digits[position] = (digits[position] + delta) % 10;
        return !isValidSiren(digits.join(''));
      }),
    );
  });
});

describe('registration checks', () => {
  const good = {
    legalName: 'Santé Connect SAS',
    siren: '732 829 320',
    address: '1 rue de la Paix, 75002 Paris',
    legalRepresentative: 'Camille Martin',
    displayName: 'Alex Dupont',
    email: 'Alex@Exemple.fr ',
    password: 'une phrase de passe',
  };

  it('accepts a complete registration', () => {
    assert.deepEqual(validateRegistration(good), {});
  });

  it('names each field to correct', () => {
    const errors = validateRegistration({
      ...good,
      legalName: ' ',
      siren: '732829321',
      email: 'pas-une-adresse',
      password: 'court',
    });
    assert.deepEqual(errors, {
      legalName: 'identity.field.required',
      siren: 'identity.field.siren_key',
      email: 'identity.field.email_format',
      password: 'identity.field.password_short',
    });
    assert.equal(validateRegistration({ ...good, siren: '12345' }).siren, 'identity.field.siren_format');
  });

  it('wants passwords of 12 to 256 characters', () => {
    assert.equal(passwordProblem('a'.repeat(11)), 'identity.field.password_short');
    assert.equal(passwordProblem('a'.repeat(12)), undefined);
    assert.equal(passwordProblem('é'.repeat(12)), undefined);
    assert.equal(passwordProblem('a'.repeat(257)), 'identity.field.password_long');
  });
});

describe('safeReturnPath', () => {
  const cases: Array<[unknown, string | undefined]> = [
    ['/editeur', '/editeur'],
    ['/invitation?jeton=abc', '/invitation?jeton=abc'],
    ['//evil.example/', undefined],
    ['/\\evil.example', undefined],
    ['https://evil.example/', undefined],
    ['javascript:alert(1)', undefined],
    ['editeur', undefined],
    ['/a\nb', undefined],
    ['', undefined],
    [undefined, undefined],
    [42, undefined],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${expected ?? 'refused'}`, () =>
      assert.equal(safeReturnPath(input), expected));
  }
});

describe('lockout rule', () => {
  it(`locks for ${LOCKOUT_MINUTES} minutes at the ${LOCKOUT_THRESHOLD}th consecutive failure`, () => {
    const now = new Date('2025-01-01T10:00:00Z');
    let failed = 0;
    for (let i = 1; i < LOCKOUT_THRESHOLD; i++) {
      const next = afterFailure(failed, now);
      assert.equal(next.lockedUntil, null);
      failed = next.failed;
    }
    const last = afterFailure(failed, now);
    assert.equal(last.lockedUntil?.toISOString(), '2025-01-01T10:15:00.000Z');
    assert.equal(last.failed, 0);
    assert.equal(isLocked(last.lockedUntil, now), true);
    assert.equal(isLocked(last.lockedUntil, new Date('2025-01-01T10:15:01Z')), false);
    assert.equal(isLocked(null, now), false);
  });
});

describe('member management rules', () => {
  const org = 'org-1';
  const member = (role: 'mandataire' | 'representant' | 'salarie'): Actor => ({
    kind: 'account',
    accountId: `a-${role}`,
    email: `${role}@x.test`,
    displayName: role,
    staffRoles: [],
    memberships: [{ organisationId: org, role }],
    secondFactorOk: false,
    totpEnabled: false,
  });

  it('lets the mandataire give every role, the representant only salarie, the salarie none', () => {
    assert.deepEqual(grantableRoles(member('mandataire'), org), ['mandataire', 'representant', 'salarie']);
    assert.deepEqual(grantableRoles(member('representant'), org), ['salarie']);
    assert.deepEqual(grantableRoles(member('salarie'), org), []);
    assert.deepEqual(grantableRoles(member('mandataire'), 'other-org'), []);
  });

  it('always keeps one mandataire', () => {
    const members = [
      { accountId: 'm', role: 'mandataire' as const },
      { accountId: 's', role: 'salarie' as const },
    ];
    assert.equal(keepsAMandataire(members, 'm', undefined), false);
    assert.equal(keepsAMandataire(members, 'm', 'representant'), false);
    assert.equal(keepsAMandataire(members, 's', undefined), true);
    assert.equal(keepsAMandataire(members, 's', 'mandataire'), true);
    assert.equal(
      keepsAMandataire([...members, { accountId: 'm2', role: 'mandataire' }], 'm', undefined),
      true,
    );
  });

  it('keeps a TOTP session that has not typed its code out of everything but the code step', () => {
    const pending: Actor = { ...member('mandataire'), totpEnabled: true, secondFactorOk: false } as Actor;
    assert.deepEqual(authorize(pending, 'organisation.view', { organisationId: org }), {
      allowed: false,
      reason: 'second_factor_required',
    });
    assert.equal(authorize(pending, 'account.self').allowed, false);
    assert.equal(authorize(pending, 'account.second_factor').allowed, true);
    assert.equal(authorize(pending, 'auth.sign_out').allowed, true);
    const done = { ...pending, secondFactorOk: true } as Actor;
    assert.equal(authorize(done, 'organisation.view', { organisationId: org }).allowed, true);
  });

  it('lets an API token read who it is, never manage its own tokens', () => {
    const token: Actor = { ...member('salarie'), secondFactorOk: true, apiTokenOrganisationId: org } as Actor;
    assert.equal(authorize(token, 'account.view').allowed, true);
    assert.equal(authorize(token, 'account.api_tokens').allowed, false);
    assert.equal(authorize(token, 'account.second_factor').allowed, false);
  });
});

describe('other rules', () => {
  it('takes API token lifetimes of 1 to 365 whole days', () => {
    assert.equal(apiTokenDaysProblem(1), undefined);
    assert.equal(apiTokenDaysProblem(365), undefined);
    for (const bad of [0, 366, 1.5, Number.NaN])
      assert.equal(apiTokenDaysProblem(bad), 'identity.field.token_days');
  });

  it('lands each kind of person in their space', () => {
    assert.equal(
      landingPath({ staffRoles: [], memberships: [{ organisationId: 'o', role: 'salarie' }] }),
      '/editeur',
    );
    assert.equal(landingPath({ staffRoles: ['instructeur'], memberships: [] }), '/instruction');
    assert.equal(landingPath({ staffRoles: ['admin'], memberships: [] }), '/admin');
    assert.equal(landingPath({ staffRoles: [], memberships: [] }), '/compte');
  });
});

describe('identity message catalog', () => {
  it('has French and English for every key the module uses', async () => {
    const { readFileSync } = await import('node:fs');
    const { identityMessages } = await import('./messages.ts');
    const files = ['model.ts', 'service.ts', 'routes.ts', 'pages.tsx'];
    const used = new Set<string>();
    for (const file of files) {
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      for (const [, key] of source.matchAll(/'(identity\.[a-z_.]+[a-z_])'/g)) used.add(key);
    }
    for (const kind of ['verify', 'reset', 'welcome', 'invitation'])
      for (const part of ['subject', 'text']) used.add(`identity.mail.${kind}.${part}`);
    for (const s of ['active', 'suspended']) used.add(`identity.organisation.status_${s}`);
    for (const s of ['active', 'revoked', 'expired']) used.add(`identity.tokens.status_${s}`);
    assert.ok(used.size > 100);
    const missing = [...used].filter((key) => !identityMessages[key]?.fr || !identityMessages[key]?.en);
    assert.deepEqual(missing, []);
  });
});
