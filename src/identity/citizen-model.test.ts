// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ageOn,
  INS_NIR_TEST_SYSTEM,
  isMinor,
  isoDay,
  minorsOf,
  nirKeyIsValid,
  parseTestIdentities,
  profileFromClaims,
  safeReturnPath,
  testIdentityClaims,
} from './citizen-model.ts';
import { loadTestIdentities } from './citizen-test-idp.ts';

describe('citizen model: the test identities file', () => {
  const identities = loadTestIdentities();

  it('holds at least five people with valid, distinct test INS where they have one', () => {
    assert.ok(identities.length >= 5);
    const withIns = identities.filter((i) => i.ins);
    assert.ok(withIns.length >= 5);
    for (const i of withIns) {
      assert.match(i.ins as string, /^\d{15}$/);
      assert.ok(nirKeyIsValid(i.ins as string), `${i.sub}: key`);
    }
    assert.equal(new Set(withIns.map((i) => i.ins)).size, withIns.length);
  });

  it('has a family: a minor today whose guardians are two adult parents', () => {
    const today = isoDay();
    const minors = identities.filter((i) => i.guardians?.length === 2 && isMinor(i.birthdate, today));
    assert.ok(minors.length >= 1);
    const child = minors[0];
    for (const parentSub of child.guardians ?? []) {
      const parent = identities.find((i) => i.sub === parentSub);
      assert.ok(parent, parentSub);
      assert.ok(!isMinor(parent.birthdate, today));
      assert.equal(parent.family_name, child.family_name);
      assert.deepEqual(
        minorsOf(identities, parentSub, today).map((m) => m.sub),
        [child.sub],
      );
    }
  });

  it('refuses a file that breaks the schema or its own rules, naming each problem', () => {
    const good = {
      sub: 'test-a',
      given_name: 'A',
      family_name: 'B',
      birthdate: '1980-01-01',
      gender: 'female',
      ins: '284036912300175',
    };
    assert.throws(() => parseTestIdentities({ identities: [{ ...good, nickname: 'x' }] }), /schema/);
    assert.throws(() => parseTestIdentities({ identities: [{ ...good, gender: 'other' }] }), /schema/);
    assert.throws(() => parseTestIdentities({ identities: [{ ...good, ins: '28403691230017' }] }), /schema/);
    assert.throws(() => parseTestIdentities({ identities: [] }), /schema/);
    assert.throws(
      () => parseTestIdentities({ identities: [{ ...good, ins: '284036912300176' }] }),
      /INS key/,
    );
    assert.throws(() => parseTestIdentities({ identities: [good, good] }), /sub used twice/);
    assert.throws(
      () => parseTestIdentities({ identities: [{ ...good, birthdate: '1980-02-30' }] }),
      /not a date/,
    );
    assert.throws(
      () => parseTestIdentities({ identities: [{ ...good, guardians: ['test-nobody'] }] }),
      /guardian test-nobody is not in the file/,
    );
    assert.equal(parseTestIdentities({ identities: [good] }).length, 1);
  });

  it('releases profile claims with `profile` and the test INS with its system only with `ins`', () => {
    const sophie = identities.find((i) => i.sub === 'test-sophie-dubois');
    assert.ok(sophie);
    assert.deepEqual(testIdentityClaims(sophie, new Set(['openid'])), { sub: 'test-sophie-dubois' });
    const all = testIdentityClaims(sophie, new Set(['openid', 'profile', 'ins']));
    assert.equal(all.given_name, 'Sophie');
    assert.equal(all.birthdate, '1984-03-14');
    assert.equal(all.ins, '284036912300175');
    assert.equal(all.ins_system, INS_NIR_TEST_SYSTEM);
  });
});

describe('citizen model: rules', () => {
  it('computes ages on a day, birthdays included', () => {
    const cases: Array<[string, string, number]> = [
      ['2000-06-15', '2018-06-14', 17],
      ['2000-06-15', '2018-06-15', 18],
      ['2000-02-29', '2018-02-28', 17],
      ['2000-02-29', '2018-03-01', 18],
      ['1984-03-14', '2026-01-01', 41],
    ];
    for (const [birth, day, age] of cases) assert.equal(ageOn(birth, day), age, `${birth} on ${day}`);
    assert.equal(isMinor('2000-06-15', '2018-06-14'), true);
    assert.equal(isMinor('2000-06-15', '2018-06-15'), false);
  });

  it('keeps only same-site paths as the return address', () => {
    const cases: Array<[unknown, string | undefined]> = [
      ['/usager', '/usager'],
      ['/usager/consentements?x=1#a', '/usager/consentements?x=1#a'],
      ['//evil.example/usager', undefined],
      ['/\\evil.example', undefined],
      ['https://evil.example/', undefined],
      ['javascript:alert(1)', undefined],
      ['usager', undefined],
      ['/usager\n/x', undefined],
      ['/usager/connexion', undefined],
      ['/usager/callback?code=x', undefined],
      ['', undefined],
      [undefined, undefined],
      [['/usager'], undefined],
    ];
    for (const [value, expected] of cases) assert.equal(safeReturnPath(value), expected, String(value));
  });

  it('reads a profile from claims, and takes only a test INS from the test provider', () => {
    const claims = {
      sub: 's1',
      given_name: 'Sophie',
      family_name: 'Dubois',
      birthdate: '1984-03-14',
      gender: 'female',
      ins: '284036912300175',
      ins_system: INS_NIR_TEST_SYSTEM,
    };
    const test = profileFromClaims('https://idp', claims, { acceptIns: true });
    assert.ok(test.ok);
    assert.deepEqual(test.profile.ins, { value: '284036912300175', system: INS_NIR_TEST_SYSTEM });
    const other = profileFromClaims('https://idp', claims, { acceptIns: false });
    assert.ok(other.ok);
    assert.equal(other.profile.ins, null);
    // A real INS system (INS-NIR) never enters through the test provider.
    const real = profileFromClaims(
      'https://idp',
      { ...claims, ins_system: 'urn:oid:1.2.250.1.213.1.4.8' },
      { acceptIns: true },
    );
    assert.ok(real.ok);
    assert.equal(real.profile.ins, null);
    const missing = profileFromClaims('https://idp', { sub: 's1', given_name: ' ' }, { acceptIns: true });
    assert.deepEqual(missing, { ok: false, missing: ['given_name', 'family_name'] });
    const badDate = profileFromClaims('https://idp', { ...claims, birthdate: '0000' }, { acceptIns: false });
    assert.ok(badDate.ok);
    assert.equal(badDate.profile.birthdate, null);
  });
});
