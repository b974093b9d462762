/**
 * The reference client from the command line, against a connection-test session of a mesref sandbox:
 *
 *   MESREF_URL=https://sandbox.example MESREF_API_TOKEN=mesref_pat_… MESREF_SESSION=<id> \
 *   MESREF_CLIENT_SECRET=… npx tsx examples/reference-client/main.ts
 *
 * MESREF_PRIVATE_KEY (a private JWK file) instead of MESREF_CLIENT_SECRET when the session was opened with
 * a JWKS; MESREF_REDIRECT_URI (the session's first by default), MESREF_CITIZEN (its first test citizen by
 * default), MESREF_IDPE_SYSTEM (`urn:oid:2.999.250.1.0`, the sandbox's, by default), MESREF_FAULT (a
 * deliberate mistake: no-pkce, wrong-unit, retry-422, ignore-403). The rest comes from the session itself.
 */
import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { FAULTS, type Fault, runReferenceClient } from './client.ts';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (!value) {
    process.stderr.write(`${name} is required (see README.md)\n`);
    process.exit(2);
  }
  return value;
};

const baseUrl = env('MESREF_URL').replace(/\/+$/, '');
const sessionId = env('MESREF_SESSION');
const headers = { authorization: `Bearer ${env('MESREF_API_TOKEN')}`, accept: 'application/json' };
const fault = process.env.MESREF_FAULT as Fault | undefined;
if (fault && !FAULTS.includes(fault)) {
  process.stderr.write(`MESREF_FAULT: ${FAULTS.join(', ')}\n`);
  process.exit(2);
}

// What the session declared: its OAuth client, its test OID, categories, finalités and test citizens.
const res = await fetch(`${baseUrl}/api/v1/conformance/sessions/${sessionId}`, { headers });
if (res.status !== 200) {
  process.stderr.write(`session ${sessionId}: ${res.status} ${await res.text()}\n`);
  process.exit(1);
}
const session = (await res.json()) as {
  clientId: string;
  oid: string;
  finalites: string[];
  categories: Array<{ code: string; read: boolean; write: boolean }>;
  redirectUris: string[];
  testCitizens: Array<{ sub: string }>;
};

const privateKey = process.env.MESREF_PRIVATE_KEY;
const run = await runReferenceClient({
  baseUrl,
  session: { id: sessionId, headers: { authorization: headers.authorization } },
  clientId: session.clientId,
  redirectUri: env('MESREF_REDIRECT_URI', session.redirectUris[0]),
  auth: privateKey
    ? { privateJwk: JSON.parse(readFileSync(privateKey, 'utf8')) as JWK }
    : { clientSecret: env('MESREF_CLIENT_SECRET') },
  oid: session.oid,
  idPeSystem: env('MESREF_IDPE_SYSTEM', 'urn:oid:2.999.250.1.0'),
  citizen: env('MESREF_CITIZEN', session.testCitizens[0]?.sub),
  finalites: session.finalites,
  categories: session.categories,
  ...(fault ? { fault } : {}),
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(
  `\n${run.pushes.length} push(es); ${run.stopped ? `stopped: ${run.stopped}` : 'done'}. ` +
    `Verdicts: ${baseUrl}/editeur/tests-accrochage/${sessionId}\n`,
);
