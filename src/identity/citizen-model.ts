import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** System of the INS of fictitious test patients (FR Core slice INS-NIR-TEST). */
export const INS_NIR_TEST_SYSTEM = 'urn:oid:1.2.250.1.213.1.4.10';

/** Custom claims of the sandbox's test identity provider, released with the `ins` scope. */
export const INS_CLAIM = 'ins';
export const INS_SYSTEM_CLAIM = 'ins_system';

/** A person of the test identity provider, as written in `test-identities.json`. */
export const TestIdentitySchema = Type.Object(
  {
    sub: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{2,63}$' }),
    given_name: Type.String({ minLength: 1, maxLength: 100 }),
    family_name: Type.String({ minLength: 1, maxLength: 100 }),
    birthdate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
    gender: Type.Union([Type.Literal('female'), Type.Literal('male')]),
    /** Test INS: 13 digits of a NIR-like number and its 2-digit key. */
    ins: Type.Optional(Type.String({ pattern: '^[12]\\d{14}$' })),
    /** For a minor: the subs of their legal guardians (représentants légaux). */
    guardians: Type.Optional(Type.Array(Type.String(), { minItems: 1, maxItems: 2 })),
    description: Type.Optional(Type.Object({ fr: Type.String(), en: Type.String() })),
  },
  { additionalProperties: false },
);
export type TestIdentity = Static<typeof TestIdentitySchema>;

export const TestIdentitiesFileSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    identities: Type.Array(TestIdentitySchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

/** The NIR key: 97 minus the 13-digit number modulo 97. */
export function nirKeyIsValid(value: string): boolean {
  if (!/^\d{15}$/.test(value)) return false;
  const key = 97n - (BigInt(value.slice(0, 13)) % 97n);
  return key === BigInt(value.slice(13));
}

function isRealDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Age in whole years on a day (both `YYYY-MM-DD`). */
export function ageOn(birthdate: string, today: string): number {
  const [by, bm, bd] = birthdate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number);
  let age = ty - by;
  if (tm < bm || (tm === bm && td < bd)) age--;
  return age;
}

export function isMinor(birthdate: string, today: string): boolean {
  return ageOn(birthdate, today) < 18;
}

/** Today as `YYYY-MM-DD` (UTC). */
export const isoDay = (date: Date = new Date()): string => date.toISOString().slice(0, 10);

/**
 * Checks the test identities file against its schema and its own rules (unique subs, real dates,
 * valid INS keys, guardians that exist and are not themselves under guardianship). Throws with every
 * problem found, so a bad edit stops mesref at start rather than at someone's sign-in.
 */
export function parseTestIdentities(raw: unknown): TestIdentity[] {
  if (!Value.Check(TestIdentitiesFileSchema, raw)) {
    const problems = [...Value.Errors(TestIdentitiesFileSchema, raw)].map(
      (e) => `${e.path || '/'}: ${e.message}`,
    );
    throw new Error(`test identities: schema check failed:\n  ${problems.slice(0, 20).join('\n  ')}`);
  }
  const identities = raw.identities;
  const problems: string[] = [];
  const bySub = new Map<string, TestIdentity>();
  for (const identity of identities) {
    if (bySub.has(identity.sub)) problems.push(`${identity.sub}: sub used twice`);
    bySub.set(identity.sub, identity);
    if (!isRealDate(identity.birthdate)) problems.push(`${identity.sub}: birthdate is not a date`);
    if (identity.ins !== undefined && !nirKeyIsValid(identity.ins))
      problems.push(`${identity.sub}: the INS key (last two digits) is wrong`);
  }
  for (const identity of identities) {
    for (const guardian of identity.guardians ?? []) {
      const g = bySub.get(guardian);
      if (!g) problems.push(`${identity.sub}: guardian ${guardian} is not in the file`);
      else if (g.guardians?.length) problems.push(`${identity.sub}: guardian ${guardian} is a minor`);
      if (guardian === identity.sub) problems.push(`${identity.sub}: is their own guardian`);
    }
  }
  if (problems.length) throw new Error(`test identities:\n  ${problems.join('\n  ')}`);
  return identities;
}

/** The minors a test identity is a legal guardian of, on a given day (a child who came of age is no longer). */
export function minorsOf(identities: TestIdentity[], guardianSub: string, today: string): TestIdentity[] {
  return identities.filter((i) => i.guardians?.includes(guardianSub) && isMinor(i.birthdate, today));
}

/** The OpenID claims the test identity provider releases for a person, by scope. */
export function testIdentityClaims(
  identity: TestIdentity,
  scopes: ReadonlySet<string>,
): Record<string, string> {
  const claims: Record<string, string> = { sub: identity.sub };
  if (scopes.has('profile')) {
    claims.given_name = identity.given_name;
    claims.family_name = identity.family_name;
    claims.birthdate = identity.birthdate;
    claims.gender = identity.gender;
  }
  if (scopes.has('ins') && identity.ins) {
    claims[INS_CLAIM] = identity.ins;
    claims[INS_SYSTEM_CLAIM] = INS_NIR_TEST_SYSTEM;
  }
  return claims;
}

/** A citizen as an identity provider describes them. */
export interface CitizenProfile {
  issuer: string;
  subject: string;
  givenName: string;
  familyName: string;
  birthdate: string | null;
  gender: string | null;
  ins: { value: string; system: string } | null;
}

export function profileOfTestIdentity(issuer: string, identity: TestIdentity): CitizenProfile {
  return {
    issuer,
    subject: identity.sub,
    givenName: identity.given_name,
    familyName: identity.family_name,
    birthdate: identity.birthdate,
    gender: identity.gender,
    ins: identity.ins ? { value: identity.ins, system: INS_NIR_TEST_SYSTEM } : null,
  };
}

const str = (value: unknown, max = 200): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : null;

/**
 * The profile from an identity provider's claims (ID token merged with userinfo). The INS is taken only
 * from the test identity provider (`acceptIns`), and only with the test system: a real INS never enters
 * a sandbox. Returns the names of the missing claims when the provider did not give what mesref needs.
 */
export function profileFromClaims(
  issuer: string,
  claims: Record<string, unknown>,
  options: { acceptIns: boolean },
): { ok: true; profile: CitizenProfile } | { ok: false; missing: string[] } {
  const subject = str(claims.sub, 255);
  const givenName = str(claims.given_name);
  const familyName = str(claims.family_name);
  const missing = [
    ...(subject ? [] : ['sub']),
    ...(givenName ? [] : ['given_name']),
    ...(familyName ? [] : ['family_name']),
  ];
  if (!subject || !givenName || !familyName) return { ok: false, missing };
  const birthdate = str(claims.birthdate, 10);
  const insValue = str(claims[INS_CLAIM], 15);
  const insSystem = str(claims[INS_SYSTEM_CLAIM]);
  const ins =
    options.acceptIns && insValue && insSystem === INS_NIR_TEST_SYSTEM && nirKeyIsValid(insValue)
      ? { value: insValue, system: insSystem }
      : null;
  return {
    ok: true,
    profile: {
      issuer,
      subject,
      givenName,
      familyName,
      birthdate: birthdate && isRealDate(birthdate) ? birthdate : null,
      gender: str(claims.gender, 20),
      ins,
    },
  };
}

/**
 * Where to send a citizen after sign-in: a path of this site only (`/…`, not `//host` nor `/\host`),
 * so the `retour` parameter can never send someone to another site.
 */
export function safeReturnPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1000) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) return undefined;
  const base = 'http://mesref.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base) return undefined;
  // Never back into the sign-in itself.
  if (url.pathname === '/usager/connexion' || url.pathname === '/usager/callback') return undefined;
  return `${url.pathname}${url.search}${url.hash}`;
}
