import { Command, CommanderError } from 'commander';
import { buildApp, type Mesref } from '../app.ts';
import { verifyAuditLog } from '../audit/index.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/index.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { DeploymentMismatchError } from '../platform/deployment.ts';
import { DatabaseBusyError } from '../platform/errors.ts';
import { Worker } from '../platform/jobs.ts';
import { mailJobHandler } from '../platform/mail.ts';

/** Failure (1) versus usage error (2): the exit codes every command keeps. */
export class CliFailure extends Error {}

function onSignals(stop: () => Promise<void>) {
  let stopping = false;
  const handler = () => {
    if (stopping) return;
    stopping = true;
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

export function program(): Command {
  const cli = new Command('mesref')
    .description('mesref — référencement des services numériques dans Mon espace santé')
    .exitOverride()
    .showHelpAfterError();

  cli
    .command('serve')
    .description('démarre le serveur web (et le worker, sauf MESREF_IN_PROCESS_WORKER=false)')
    .action(async () => {
      const config = loadConfig();
      const mesref: Mesref = await buildApp(config);
      await seedOnFirstStart(mesref);
      const address = await mesref.listen();
      onSignals(() => mesref.close());
      printWelcome(mesref, address);
    });

  cli
    .command('worker')
    .description('exécute les tâches de fond seul, sans serveur web')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config);
      await migrateToLatest(database.db);
      const worker = new Worker({
        db: database.db,
        handlers: { 'mail.send': mailJobHandler(database.db, config.mail) },
      });
      worker.start();
      process.stdout.write(`worker ${worker.id} démarré\n`);
      onSignals(async () => {
        await worker.stop();
        await database.close();
      });
    });

  cli
    .command('migrate')
    .description('applique les migrations de la base')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config);
      try {
        const applied = await migrateToLatest(database.db);
        process.stdout.write(
          applied.length ? `migrations appliquées : ${applied.join(', ')}\n` : 'base à jour\n',
        );
      } finally {
        await database.close();
      }
    });

  const audit = cli.command('audit').description('journal d’audit');
  audit
    .command('verify')
    .description('vérifie chaque chaîne du journal et nomme le premier maillon rompu')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(config);
      try {
        const result = await verifyAuditLog(database.db);
        if (result.firstBreak) {
          const b = result.firstBreak;
          throw new CliFailure(`journal d’audit rompu : chaîne ${b.chain}, maillon ${b.seq} (${b.problem})`);
        }
        process.stdout.write(
          `journal d’audit intègre : ${result.chains} chaîne(s), ${result.events} événement(s)\n`,
        );
      } finally {
        await database.close();
      }
    });

  return cli;
}

async function seedOnFirstStart(_mesref: Mesref): Promise<void> {}

function printWelcome(mesref: Mesref, address: string): void {
  const lines = [
    `mesref (${mesref.config.mode}) écoute sur ${address} — ouvrez ${mesref.config.publicUrl}`,
    `base : ${mesref.dbKind === 'pglite' ? `PostgreSQL embarqué (PGlite) dans ${mesref.config.dataDir}` : 'serveur PostgreSQL (DATABASE_URL)'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const cli = program();
  try {
    await cli.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      )
        return 0;
      return 2;
    }
    if (error instanceof ConfigError || error instanceof CliFailure) {
      process.stderr.write(`${error.message}\n`);
      return error instanceof CliFailure && (error as CliFailure & { usage?: boolean }).usage ? 2 : 1;
    }
    if (error instanceof DatabaseBusyError || error instanceof DeploymentMismatchError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    process.stderr.write(`erreur : ${(error as Error).message}\n`);
    return 1;
  }
}

const code = await main(process.argv);
// serve and worker keep running; other commands end here.
const command = process.argv[2];
if (code !== 0 || (command !== 'serve' && command !== 'worker')) process.exit(code);
