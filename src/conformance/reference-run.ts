/**
 * A run of the reference client (examples/reference-client/) against a connection-test session of this
 * sandbox, from the deployment itself: the client secret is derived again from the deployment's keys (never
 * stored), and the session API is called with a personal API token of the session's opener, made for this run
 * and revoked at its end (both audited), unless one is given. `mesref demo-client` and the session page's
 * « Lancer le client de référence » both run it.
 */
import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { type Fault, runReferenceClient } from '../../examples/reference-client/client.ts';
import type { ClientAuth } from '../../examples/reference-client/oauth.ts';
import { idPeSystemOf } from '../fhir/api/gate.ts';
import type { AccountActor, OrganisationRole } from '../identity/model.ts';
import { createApiToken, identityDeps, revokeApiToken } from '../identity/service.ts';
import { clientSecretOf, findServiceClient } from '../oauth/clients.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/index.ts';
import type { SigningKeys } from '../platform/keys.ts';
import { findSession } from './store.ts';

export interface ReferenceRunIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface ReferenceRunDeps {
  db: Db;
  config: Config;
  keys: SigningKeys;
}

/** A refusal of the run (exit code 1 for the command), its message for the operator. */
export class DemoClientFailure extends Error {}

interface SessionVerdicts {
  passed: boolean;
  plans: Array<{ planId: string; status: string; tests: Array<{ testId: string; status: string }> }>;
}

const STATUS_TEXT: Record<string, string> = { passed: 'réussi', failed: 'échoué', not_run: 'non exécuté' };

/** Runs the reference client on the session and prints its verdicts: 0 when every required plan passed. */
export async function runReferenceOnSession(
  deps: ReferenceRunDeps,
  io: ReferenceRunIo,
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
  deps: ReferenceRunDeps,
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
  deps: ReferenceRunDeps,
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
