/**
 * `mesref demo-client --session <id>`: runs the reference client (examples/reference-client/) against a
 * connection-test session of this sandbox, then prints the session's verdicts. It runs on the deployment,
 * so it takes what a publisher would paste from the session page from the deployment itself: the client
 * secret is derived again from the deployment's keys (never stored), and the session API is called with a
 * personal API token of the session's opener, made for this run and revoked at its end (both audited), unless
 * `--api-token` (or MESREF_API_TOKEN) gives one.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JWK } from 'jose';
import { FAULTS, type Fault, runReferenceClient } from '../../examples/reference-client/client.ts';
import type { ClientAuth } from '../../examples/reference-client/oauth.ts';
import { findSession } from '../conformance/store.ts';
import { idPeSystemOf } from '../fhir/api/gate.ts';
import type { AccountActor, OrganisationRole } from '../identity/model.ts';
import { createApiToken, identityDeps, revokeApiToken } from '../identity/service.ts';
import { clientSecretOf, findServiceClient } from '../oauth/clients.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/index.ts';
import type { SigningKeys } from '../platform/keys.ts';

export interface DemoClientIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
}

export interface DemoClientDeps {
  db: Db;
  config: Config;
  keys: SigningKeys;
}

export const DEMO_CLIENT_USAGE = [
  'mesref demo-client --session <id> [--fault no-pkce|wrong-unit|retry-422|ignore-403]',
  '                   [--base-url <url>] [--citizen <sub>] [--api-token <jeton>] [--private-key <clé.jwk.json>]',
  '',
  'Exécute le client de référence (examples/reference-client/) contre une session de tests d’accrochage',
  'du bac à sable, puis affiche les verdicts. Codes de sortie : 0 tous les plans requis réussis, 1 sinon',
  '(ou erreur), 2 usage incorrect.',
  '  --base-url     adresse publique de mesref (MESREF_PUBLIC_URL par défaut)',
  '  --fault        un client volontairement fautif : chaque défaut fait échouer le seul test qui le couvre',
  '  --citizen      le citoyen de test (le premier de la session par défaut)',
  '  --api-token    jeton d’API personnel pour l’API de la session (MESREF_API_TOKEN) ; sans lui, un jeton',
  '                 de l’auteur de la session est créé pour l’exécution puis révoqué',
  '  --private-key  clé privée (JWK) quand la session s’authentifie par private_key_jwt',
].join('\n');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A refusal of the command (exit code 1), its message for the operator. */
export class DemoClientFailure extends Error {}

interface SessionVerdicts {
  passed: boolean;
  plans: Array<{ planId: string; status: string; tests: Array<{ testId: string; status: string }> }>;
}

const STATUS_TEXT: Record<string, string> = { passed: 'réussi', failed: 'échoué', not_run: 'non exécuté' };

/**
 * Runs the command; returns its exit code. `withDeps` opens the database and the keys only once the
 * arguments are right (a usage error or `--help` answers without them).
 */
export async function runDemoClient(
  args: string[],
  io: DemoClientIo,
  withDeps: (use: (deps: DemoClientDeps) => Promise<number>) => Promise<number>,
): Promise<number> {
  let options: {
    session?: string;
    fault?: string;
    'base-url'?: string;
    citizen?: string;
    'api-token'?: string;
    'private-key'?: string;
    help?: boolean;
  };
  try {
    options = parseArgs({
      args,
      options: {
        session: { type: 'string' },
        fault: { type: 'string' },
        'base-url': { type: 'string' },
        citizen: { type: 'string' },
        'api-token': { type: 'string' },
        'private-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${DEMO_CLIENT_USAGE}\n`);
    return 2;
  }
  if (options.help) {
    io.stdout(`${DEMO_CLIENT_USAGE}\n`);
    return 0;
  }
  if (!options.session || !UUID.test(options.session)) {
    io.stderr(
      `--session <id> : l’identifiant (UUID) d’une session de tests est requis\n\n${DEMO_CLIENT_USAGE}\n`,
    );
    return 2;
  }
  if (options.fault !== undefined && !(FAULTS as readonly string[]).includes(options.fault)) {
    io.stderr(`--fault : ${FAULTS.join(', ')} (reçu : ${options.fault})\n`);
    return 2;
  }
  const { session, fault, citizen } = options;
  try {
    return await withDeps((deps) =>
      demoClient(deps, io, {
        sessionId: session,
        fault: fault as Fault | undefined,
        baseUrl: (options['base-url'] ?? deps.config.publicUrl).replace(/\/+$/, ''),
        citizen,
        apiToken: options['api-token'] ?? io.env.MESREF_API_TOKEN,
        privateKeyFile: options['private-key'],
      }),
    );
  } catch (error) {
    if (!(error instanceof DemoClientFailure)) throw error;
    io.stderr(`${error.message}\n`);
    return 1;
  }
}

async function demoClient(
  deps: DemoClientDeps,
  io: DemoClientIo,
  o: {
    sessionId: string;
    fault?: Fault;
    baseUrl: string;
    citizen?: string;
    apiToken?: string;
    privateKeyFile?: string;
  },
): Promise<number> {
  if (deps.config.mode !== 'sandbox')
    throw new DemoClientFailure('demo-client est réservé au bac à sable (MESREF_MODE=sandbox)');
  const session = await findSession(deps.db, o.sessionId);
  if (!session) throw new DemoClientFailure(`session introuvable : ${o.sessionId}`);
  if (session.status !== 'open') throw new DemoClientFailure(`la session ${o.sessionId} est close`);
  const client = await findServiceClient(deps.db, session.clientId);
  if (!client) throw new DemoClientFailure(`client OAuth introuvable : ${session.clientId}`);
  const redirectUri = client.redirectUris[0];
  const auth = clientAuthOf(deps, client, o.privateKeyFile);

  const token: { token: string; revoke?: () => Promise<void> } = o.apiToken
    ? { token: o.apiToken }
    : await runToken(deps, session);
  try {
    const headers = { authorization: `Bearer ${token.token}` };
    const sessionUrl = `${o.baseUrl}/api/v1/conformance/sessions/${session.id}`;
    const citizen = o.citizen ?? (await sessionView(sessionUrl, headers)).testCitizens[0]?.sub;
    if (!citizen) throw new DemoClientFailure('la session ne nomme aucun citoyen de test');
    io.stdout(
      `client de référence${o.fault ? ` (défaut ${o.fault})` : ''} : session ${session.id}, client ${session.clientId}, ${o.baseUrl}\n`,
    );
    await runReferenceClient({
      baseUrl: o.baseUrl,
      session: { id: session.id, headers },
      clientId: session.clientId,
      redirectUri,
      auth,
      oid: session.oid,
      idPeSystem: idPeSystemOf(deps.config),
      citizen,
      finalites: session.categories.finalites,
      categories: session.categories.categories,
      ...(o.fault ? { fault: o.fault } : {}),
      log: (line) => io.stdout(`  ${line}\n`),
    }).catch((error: Error) => {
      throw new DemoClientFailure(`le client s’est arrêté sur une erreur : ${error.message}`);
    });
    const view = await settledView(sessionUrl, headers);
    io.stdout('\nverdicts :\n');
    for (const plan of view.plans) {
      io.stdout(`${plan.planId.padEnd(10)} ${plan.status.padEnd(8)} ${STATUS_TEXT[plan.status] ?? ''}\n`);
      for (const test of plan.tests) io.stdout(`  ${test.testId.padEnd(30)} ${test.status}\n`);
    }
    io.stdout(
      view.passed ? 'tous les plans requis sont réussis\n' : 'des plans requis ne sont pas réussis\n',
    );
    return view.passed ? 0 : 1;
  } finally {
    await token.revoke?.();
  }
}

/** The session's client credentials: its derived secret, or the private key given. */
function clientAuthOf(
  deps: DemoClientDeps,
  client: NonNullable<Awaited<ReturnType<typeof findServiceClient>>>,
  privateKeyFile: string | undefined,
): ClientAuth {
  if (privateKeyFile) {
    try {
      return { privateJwk: JSON.parse(readFileSync(privateKeyFile, 'utf8')) as JWK };
    } catch (error) {
      throw new DemoClientFailure(`--private-key : ${(error as Error).message}`);
    }
  }
  if (client.tokenEndpointAuthMethod === 'private_key_jwt')
    throw new DemoClientFailure(
      'la session s’authentifie par private_key_jwt : donnez la clé privée avec --private-key <clé.jwk.json>',
    );
  const secret = clientSecretOf(deps.keys, client);
  if (!secret)
    throw new DemoClientFailure(
      'le secret client ne peut être retrouvé (les clés du déploiement ont changé)',
    );
  return { clientSecret: secret };
}

/**
 * A personal API token of the session's opener, bound to the session's organisation, for this run only:
 * created and revoked through the identity module (both in the audit log).
 */
async function runToken(
  deps: DemoClientDeps,
  session: { id: string; organisationId: string; createdBy: string | null },
): Promise<{ token: string; revoke(): Promise<void> }> {
  if (!session.createdBy)
    throw new DemoClientFailure('la session n’a pas d’auteur : donnez un jeton d’API avec --api-token');
  const account = await deps.db
    .selectFrom('accounts')
    .select(['id', 'email', 'display_name', 'disabled_at', 'totp_enabled_at'])
    .where('id', '=', session.createdBy)
    .executeTakeFirst();
  const memberships = await deps.db
    .selectFrom('memberships')
    .select(['organisation_id', 'role'])
    .where('account_id', '=', session.createdBy)
    .execute();
  if (
    !account ||
    account.disabled_at ||
    !memberships.some((m) => m.organisation_id === session.organisationId)
  )
    throw new DemoClientFailure(
      'l’auteur de la session n’est plus membre de l’organisation : donnez un jeton d’API avec --api-token',
    );
  const actor: AccountActor = {
    kind: 'account',
    accountId: account.id,
    email: account.email,
    displayName: account.display_name,
    staffRoles: [],
    memberships: memberships.map((m) => ({
      organisationId: m.organisation_id,
      role: m.role as OrganisationRole,
    })),
    secondFactorOk: true,
    totpEnabled: account.totp_enabled_at !== null,
  };
  const identity = identityDeps(deps);
  const made = await createApiToken(identity, actor, {
    name: `mesref demo-client ${session.id.slice(0, 8)}`,
    organisationId: session.organisationId,
    days: 1,
  });
  return { token: made.token, revoke: () => revokeApiToken(identity, actor, made.view.id) };
}

/**
 * The session's verdicts once its recording has settled: each call is recorded just after its answer is
 * sent, so the last one may land a moment after the client ends (the call count stops changing).
 */
async function settledView(url: string, headers: Record<string, string>): Promise<SessionVerdicts> {
  let previous = -1;
  for (let poll = 0; ; poll++) {
    const view = await sessionView(url, headers);
    const count = Number(view.callCount);
    if (count === previous || poll >= 50) return view as unknown as SessionVerdicts;
    previous = count;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function sessionView(
  url: string,
  headers: Record<string, string>,
): Promise<{ testCitizens: Array<{ sub: string }> } & Record<string, unknown>> {
  const res = await fetch(url, { headers: { ...headers, accept: 'application/json' } });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status !== 200) throw new DemoClientFailure(`GET ${url} : ${res.status} ${JSON.stringify(body)}`);
  return body as { testCitizens: Array<{ sub: string }> } & Record<string, unknown>;
}
