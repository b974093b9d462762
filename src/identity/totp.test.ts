// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  otpauthUri,
  type TotpAlgorithm,
  totp,
  totpCode,
  verifyTotp,
} from './totp.ts';

// RFC 6238 appendix B: the seeds are the ASCII digits repeated to the hash's length; codes have 8 digits.
const seeds: Record<TotpAlgorithm, Buffer> = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const vectors: Array<[number, string, TotpAlgorithm]> = [
  [59, '94287082', 'sha1'],
  [59, '46119246', 'sha256'],
  [59, '90693936', 'sha512'],
  [1111111109, '07081804', 'sha1'],
  [1111111109, '68084774', 'sha256'],
  [1111111109, '25091201', 'sha512'],
  [1111111111, '14050471', 'sha1'],
  [1111111111, '67062674', 'sha256'],
  [1111111111, '99943326', 'sha512'],
  [1234567890, '89005924', 'sha1'],
  [1234567890, '91819424', 'sha256'],
  [1234567890, '93441116', 'sha512'],
  [2000000000, '69279037', 'sha1'],
  [2000000000, '90698825', 'sha256'],
  [2000000000, '38618901', 'sha512'],
  [20000000000, '65353130', 'sha1'],
  [20000000000, '77737706', 'sha256'],
  [20000000000, '47863826', 'sha512'],
];

describe('TOTP (RFC 6238)', () => {
  for (const [time, code, algorithm] of vectors) {
    it(`T=${time} ${algorithm.toUpperCase()} → ${code}`, () => {
      assert.equal(totp(seeds[algorithm], time, { digits: 8, algorithm }), code);
    });
  }

  it('matches the HOTP test values of RFC 4226 appendix D', () => {
    const expected = [
      '755224',
      '287082',
      '359152',
      '969429',
      '338314',
      '254676',
      '287922',
      '162583',
      '399871',
      '520489',
    ];
    assert.deepEqual(
      expected.map((_, counter) => hotp(seeds.sha1, counter)),
      expected,
    );
  });

  it('round-trips base32 (RFC 4648 vectors, no padding)', () => {
    assert.equal(base32Encode(Buffer.from('foobar')), 'MZXW6YTBOI');
    assert.equal(base32Encode(Buffer.from('f')), 'MY');
    assert.equal(base32Decode('mzxw 6ytb oi==').toString(), 'foobar');
    assert.throws(() => base32Decode('M1'));
    const secret = generateTotpSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(base32Encode(base32Decode(secret)), secret);
  });

  it('accepts one step either side of now, not two', () => {
    const secret = base32Encode(seeds.sha1);
    const now = 1111111111;
    assert.equal(verifyTotp(secret, totpCode(secret, now), { now }), Math.floor(now / 30));
    assert.equal(verifyTotp(secret, totpCode(secret, now - 30), { now }), Math.floor(now / 30) - 1);
    assert.equal(verifyTotp(secret, totpCode(secret, now + 30), { now }), Math.floor(now / 30) + 1);
    assert.equal(verifyTotp(secret, totpCode(secret, now - 60), { now }), undefined);
    assert.equal(verifyTotp(secret, totpCode(secret, now + 60), { now }), undefined);
  });

  it('refuses a step already used, so a code cannot be replayed', () => {
    const secret = generateTotpSecret();
    const now = 1_700_000_000;
    const code = totpCode(secret, now);
    const step = verifyTotp(secret, code, { now });
    assert.ok(step);
    assert.equal(verifyTotp(secret, code, { now, lastStep: step }), undefined);
    assert.equal(verifyTotp(secret, totpCode(secret, now + 30), { now, lastStep: step }), step + 1);
  });

  it('ignores spaces in typed codes and refuses anything but 6 digits', () => {
    const secret = generateTotpSecret();
    const now = 1_700_000_000;
    const code = totpCode(secret, now);
    assert.ok(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, { now }));
    assert.equal(verifyTotp(secret, '', { now }), undefined);
    assert.equal(verifyTotp(secret, 'abcdef', { now }), undefined);
    assert.equal(verifyTotp(secret, `${code}0`, { now }), undefined);
  });

  it('writes the otpauth URI authenticator apps import', () => {
    const uri = new URL(otpauthUri('JBSWY3DPEHPK3PXP', 'alex@exemple.fr', 'mesref'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/mesref:alex@exemple.fr');
    assert.equal(uri.searchParams.get('secret'), 'JBSWY3DPEHPK3PXP');
    assert.equal(uri.searchParams.get('issuer'), 'mesref');
    assert.equal(uri.searchParams.get('digits'), '6');
    assert.equal(uri.searchParams.get('period'), '30');
  });
});
