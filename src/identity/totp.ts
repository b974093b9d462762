import { createHmac, randomBytes } from 'node:crypto';

/**
 * Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226), as authenticator apps expect them:
 * SHA-1, 6 digits, 30-second steps, secrets in base32 (RFC 4648, no padding).
 */

export type TotpAlgorithm = 'sha1' | 'sha256' | 'sha512';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps accepted either side of now, for clocks that drift a little. */
export const TOTP_WINDOW = 1;

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32, ignoring case, spaces and padding; throws on any other character. */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=]/g, '');
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of clean) {
    const index = BASE32.indexOf(char);
    if (index < 0) throw new Error('invalid base32 character');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** A new random secret: 160 bits, the length RFC 4226 recommends for SHA-1. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(20));
}

/** HOTP (RFC 4226 §5.3): HMAC of the 8-byte counter, dynamically truncated, modulo 10^digits. */
export function hotp(
  key: Uint8Array,
  counter: number,
  digits = TOTP_DIGITS,
  algorithm: TotpAlgorithm = 'sha1',
): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary =
    ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The time step of a moment (seconds since the epoch / period). */
export function totpStep(unixSeconds: number, period = TOTP_PERIOD_SECONDS): number {
  return Math.floor(unixSeconds / period);
}

/** The code of a moment (RFC 6238 §4.2). */
export function totp(
  key: Uint8Array,
  unixSeconds: number,
  options: { digits?: number; algorithm?: TotpAlgorithm; period?: number } = {},
): string {
  return hotp(key, totpStep(unixSeconds, options.period), options.digits, options.algorithm);
}

/** The 6-digit code of a base32 secret at a moment (what the user's app shows). */
export function totpCode(secret: string, unixSeconds = Date.now() / 1000): string {
  return totp(base32Decode(secret), unixSeconds);
}

/**
 * Checks a code typed by a person against a base32 secret, one step either side of now. Returns the step it
 * matched, or undefined. A step at or before `lastStep` is refused, so a code is never accepted twice.
 */
export function verifyTotp(
  secret: string,
  code: string,
  options: { now?: number; lastStep?: number | null } = {},
): number | undefined {
  const typed = code.replace(/[\s-]/g, '');
  if (!/^\d{6}$/.test(typed)) return undefined;
  let key: Buffer;
  try {
    key = base32Decode(secret);
  } catch {
    return undefined;
  }
  const current = totpStep(options.now ?? Date.now() / 1000);
  let matched: number | undefined;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    // Every candidate is computed, so timing does not tell which step matched.
    if (hotp(key, step) === typed && matched === undefined) matched = step;
  }
  if (matched === undefined) return undefined;
  if (options.lastStep !== null && options.lastStep !== undefined && matched <= options.lastStep)
    return undefined;
  return matched;
}

/** The otpauth:// URI authenticator apps import (Key URI Format). */
export function otpauthUri(secret: string, accountName: string, issuer: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(accountName)}`;
  const params = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${params.toString()}`;
}

/** The secret in groups of four characters, easier to type. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}
