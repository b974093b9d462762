/**
 * `mesref demo-client --session <id>`: runs the reference client (examples/reference-client/) against a
 * connection-test session of this sandbox, then prints the session's verdicts. It runs on the deployment,
 * so it takes what a publisher would paste from the session page from the deployment itself: the client
 * secret is derived again from the deployment's keys (never stored), and the session API is called with a
 * personal API token of the session's opener, made for this run and revoked at its end (both audited), unless
 * `--api-token` (or MESREF_API_TOKEN) gives one.
 */
import { parseArgs } from 'node:util';
import { FAULTS, type Fault } from '../../examples/reference-client/client.ts';
import {
  DemoClientFailure,
  type ReferenceRunDeps,
  type ReferenceRunIo,
  runReferenceOnSession,
} from '../conformance/reference-run.ts';

export { DemoClientFailure };

export interface DemoClientIo extends ReferenceRunIo {
  env: Record<string, string | undefined>;
}

export type DemoClientDeps = ReferenceRunDeps;

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
      runReferenceOnSession(deps, io, {
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
