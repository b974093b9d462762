/**
 * `mesref conformance status <session>`: a connection-test session's plans and tests with their status, as
 * the session page shows them, for a terminal or a CI. Exit code: 0 when every required plan passed, 1
 * otherwise, 2 for a usage error, an unknown session or a production deployment (connection tests exist in a
 * sandbox only). Reads the database directly, as the operator's other commands do.
 */
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/index.ts';
import { type Locale, translator } from '../platform/i18n.ts';
import type { Referentials } from '../referential/index.ts';
import { conformanceMessages } from './messages.ts';
import type { TestPlan } from './model.ts';
import { verdictsOf } from './service.ts';
import * as store from './store.ts';

export interface StatusIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface StatusDeps {
  db: Db;
  config: Pick<Config, 'mode'>;
  referentials: Referentials;
  plans: TestPlan[];
}

const MARK = { passed: '✔', failed: '✘', not_run: '·' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function runConformanceStatus(
  args: string[],
  io: StatusIo,
  deps: StatusDeps,
  locale: Locale = 'fr',
): Promise<number> {
  const t = translator(conformanceMessages, locale);
  if (deps.config.mode !== 'sandbox') {
    io.stderr(`${t('conformance.cli.production')}\n`);
    return 2;
  }
  const positional = args.filter((a) => !a.startsWith('-'));
  if (positional.length !== 1) {
    io.stderr(`${t('conformance.cli.usage')}\n`);
    return 2;
  }
  const id = positional[0];
  const session = UUID.test(id) ? await store.findSession(deps.db, id) : undefined;
  if (!session) {
    io.stderr(`${t('conformance.cli.not_found', { id })}\n`);
    return 2;
  }
  const [calls, actions] = await Promise.all([store.callsOf(deps.db, id), store.actionsOf(deps.db, id)]);
  const verdicts = verdictsOf(deps, session, calls, actions);
  const lines = [
    t('conformance.cli.session', {
      id: session.id,
      product: `${session.productName} ${session.productVersion}`,
      oid: session.oid,
      clientId: session.clientId,
      status: t(session.status === 'open' ? 'conformance.cli.open' : 'conformance.cli.closed'),
    }),
    '',
  ];
  for (const plan of verdicts) {
    const title = deps.plans.find((p) => p.id === plan.planId)?.title[locale] ?? plan.planId;
    lines.push(
      `${MARK[plan.status]} ${title} (${plan.planId} v${plan.planVersion}) : ${t(`conformance.cli.${plan.status}`)}`,
    );
    for (const test of plan.tests) {
      lines.push(
        `    ${MARK[test.status]} ${test.testId} : ${t(`conformance.cli.${test.status}`)} — ${test.reason[locale]}`,
      );
      if (test.evidence.length > 0) lines.push(`        #${test.evidence.join(', #')}`);
    }
  }
  const passed = verdicts.length > 0 && verdicts.every((p) => p.status === 'passed');
  lines.push('', t(passed ? 'conformance.cli.all_passed' : 'conformance.cli.not_all_passed'));
  io.stdout(`${lines.join('\n')}\n`);
  return passed ? 0 : 1;
}
