import { Command, CommanderError } from 'commander';
import type { Mesref } from '../app.ts';
import { ConfigError, loadConfig } from '../platform/config.ts';
import { DeploymentMismatchError } from '../platform/deployment.ts';
import { DatabaseBusyError } from '../platform/errors.ts';

// Each command loads what it needs when it runs: `mesref --help` or a usage error answers at once, without
// loading the web server or the database drivers.

/** Failure (1) versus usage error (2): the exit codes every command keeps. */
export class CliFailure extends Error {}

/**
 * Stops cleanly on SIGINT/SIGTERM: the database is closed and the embedded database's lock released.
 * Installed before the slow start-up, so a signal during it still ends in a clean stop; a second signal
 * while stopping ends the process at once.
 */
function shutdownOnSignals(): { stopWith(stop: () => Promise<void>): void } {
  let stop: (() => Promise<void>) | undefined;
  let requested = false;
  const run = () => {
    (stop as () => Promise<void>)().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`arrêt : ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  const handler = (signal: NodeJS.Signals) => {
    if (requested) {
      process.stderr.write(`${signal} reçu pendant l’arrêt : sortie immédiate\n`);
      process.exit(130);
    }
    requested = true;
    if (stop) run();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stopWith(fn) {
      stop = fn;
      if (requested) run();
    },
  };
}

export function program(): Command {
  const cli = new Command('mesref')
    .description('mesref — référencement des services numériques dans Mon espace santé')
    .exitOverride()
    .showHelpAfterError()
    .addHelpText(
      'after',
      [
        '',
        'Commandes :',
        '  mesref serve          démarre mesref (web et worker) sur PORT, 3000 par défaut',
        '  mesref worker         exécute les tâches de fond seul',
        '  mesref migrate        applique les migrations de la base',
        '  mesref seed --demo    données de démonstration (bac à sable)',
        '  mesref user create --email … --role …   crée un compte',
        '  mesref audit verify   vérifie le journal d’audit',
        '  mesref fhir validate <fichier...>   valide des ressources FHIR R4 (profils MES), hors ligne',
        '  mesref check <réponses.yaml>   vérifie une auto-évaluation : écarts, prêt ou non (0 prêt, 1 écarts, 2 invalide)',
        '  mesref referential import <fichier.csv|.xlsx> --id …   importe une annexe officielle',
        '  mesref referential diff <a> <b>   critères ajoutés, retirés, modifiés entre deux versions',
        '  mesref ecoscore run <parcours.yaml>   mesure un parcours dans Chromium : écoscore indicatif et EcoIndex',
        '  mesref demo-client --session <id> [--fault …]   client de référence contre une session de tests d’accrochage',
        '',
        'Codes de sortie : 0 succès, 1 échec, 2 usage incorrect.',
        'Configuration par variables d’environnement (MESREF_MODE, DATABASE_URL, DATA_DIR, PORT…) : voir le README.',
      ].join('\n'),
    );

  cli
    .command('serve')
    .description('démarre le serveur web (et le worker, sauf MESREF_IN_PROCESS_WORKER=false)')
    .action(async () => {
      const config = loadConfig();
      const shutdown = shutdownOnSignals();
      const { buildApp } = await import('../app.ts');
      const mesref: Mesref = await buildApp(config);
      try {
        await seedOnFirstStart(mesref);
        const address = await mesref.listen();
        await printWelcome(mesref, address);
      } catch (error) {
        await mesref.close();
        throw error;
      }
      shutdown.stopWith(() => mesref.close());
    });

  cli
    .command('worker')
    .description('exécute les tâches de fond seul, sans serveur web')
    .action(async () => {
      const config = loadConfig();
      const shutdown = shutdownOnSignals();
      const [
        { default: pino },
        { openDatabase },
        { migrateToLatest },
        { ensureDeploymentMode },
        { Worker },
        { jobHandlers, queueDailyJobs, queueClock },
      ] = await Promise.all([
        import('pino'),
        import('../platform/db/index.ts'),
        import('../platform/db/migrate.ts'),
        import('../platform/deployment.ts'),
        import('../platform/jobs.ts'),
        import('../app.ts'),
      ]);
      const database = await openDatabase(config);
      let worker: InstanceType<typeof Worker>;
      try {
        await migrateToLatest(database.db);
        await ensureDeploymentMode(database.db, config.mode);
        worker = new Worker({
          db: database.db,
          handlers: jobHandlers(database.db, config),
          log: pino({ level: config.logLevel }),
        });
      } catch (error) {
        await database.close();
        throw error;
      }
      await queueDailyJobs(database.db);
      await queueClock(database.db);
      worker.start();
      process.stdout.write(`worker ${worker.id} démarré\n`);
      shutdown.stopWith(async () => {
        await worker.stop();
        await database.close();
      });
    });

  cli
    .command('migrate')
    .description('applique les migrations de la base')
    .action(async () => {
      const config = loadConfig();
      const [{ openDatabase }, { migrateToLatest }] = await Promise.all([
        import('../platform/db/index.ts'),
        import('../platform/db/migrate.ts'),
      ]);
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

  cli
    .command('seed')
    .description('données de démonstration du bac à sable (idempotent)')
    .requiredOption('--demo', 'organisation, agents et usagers de test')
    .action(async () => {
      const config = loadConfig();
      if (config.mode !== 'sandbox') throw new CliFailure('seed --demo est réservé au mode sandbox');
      const database = await openMigrated(config);
      try {
        const { seedDemo, demoSignInText } = await import('./seed.ts');
        const report = await seedDemo({ db: database.db, config }, { dossiers: 'now' });
        process.stdout.write(
          `${report.created.length} compte(s) créé(s), ${report.existing.length} déjà présent(s), ` +
            `${report.citizens.length} usager(s) de test, ${report.dossiers} dossier(s) de référencement, ` +
            `${report.pairings} appariement(s)\n${demoSignInText(config)}\n`,
        );
      } finally {
        await database.close();
      }
    });

  const user = cli.command('user').description('comptes');
  user
    .command('create')
    .description('crée un compte (rôle d’agent, ou rôle dans une organisation avec --organisation)')
    .requiredOption('--email <email>', 'adresse électronique')
    .requiredOption(
      '--role <role...>',
      'instructeur | commission | decideur | admin | mandataire | representant | salarie',
    )
    .option('--name <name>', 'nom affiché (par défaut : la partie locale de l’adresse)')
    .option(
      '--organisation <id-or-siren>',
      'organisation existante (identifiant ou SIREN), pour un rôle éditeur',
    )
    .option(
      '--password-stdin',
      'lire le mot de passe sur l’entrée standard (sinon un lien pour le choisir est envoyé)',
    )
    .action(
      async (options: {
        email: string;
        role: string[];
        name?: string;
        organisation?: string;
        passwordStdin?: boolean;
      }) => {
        const { organisationRoles, staffRoles } = await import('../identity/model.ts');
        const staff = options.role.filter((r) => (staffRoles as readonly string[]).includes(r));
        const publisher = options.role.filter((r) => (organisationRoles as readonly string[]).includes(r));
        const unknown = options.role.filter((r) => !staff.includes(r) && !publisher.includes(r));
        if (unknown.length) throw usage(`rôle inconnu : ${unknown.join(', ')}`);
        if (publisher.length > 1) throw usage('un seul rôle éditeur à la fois');
        if (publisher.length === 1 && !options.organisation)
          throw usage(`le rôle ${publisher[0]} demande --organisation`);
        if (publisher.length === 0 && options.organisation)
          throw usage('--organisation va avec un rôle éditeur');
        const password = options.passwordStdin ? (await readStdin()).replace(/\r?\n$/, '') : undefined;
        const config = loadConfig();
        const database = await openMigrated(config);
        try {
          let organisation: { id: string; role: 'mandataire' | 'representant' | 'salarie' } | undefined;
          if (options.organisation) {
            const key = options.organisation.replace(/\s/g, '');
            const row = await database.db
              .selectFrom('organisations')
              .select('id')
              .where(/^\d{9}$/.test(key) ? 'siren' : 'id', '=', key)
              .executeTakeFirst()
              .catch(() => undefined);
            if (!row) throw new CliFailure(`organisation introuvable : ${options.organisation}`);
            organisation = { id: row.id, role: publisher[0] as 'mandataire' | 'representant' | 'salarie' };
          }
          const { createStaffOrPublisherAccount } = await import('../identity/index.ts');
          const { AppError } = await import('../platform/errors.ts');
          const { catalog } = await import('../app.ts');
          const { translator } = await import('../platform/i18n.ts');
          try {
            const made = await createStaffOrPublisherAccount(
              { db: database.db, config },
              {
                email: options.email,
                displayName: options.name ?? options.email.split('@')[0],
                password,
                staffRoles: staff as Array<'instructeur' | 'commission' | 'decideur' | 'admin'>,
                organisation,
              },
            );
            process.stdout.write(
              `compte créé : ${options.email} (${options.role.join(', ')}) — ${made.accountId}\n`,
            );
            if (made.setPasswordLink) {
              process.stdout.write(
                `lien pour choisir le mot de passe (72 h, aussi envoyé par courriel) : ${made.setPasswordLink}\n`,
              );
            }
          } catch (error) {
            if (error instanceof AppError) {
              const t = translator(catalog, 'fr');
              const fields = Object.entries(error.fields).map(([field, key]) => `  - ${field} : ${t(key)}`);
              throw new CliFailure([t(error.message, error.params), ...fields].join('\n'));
            }
            throw error;
          }
        } finally {
          await database.close();
        }
      },
    );

  const audit = cli.command('audit').description('journal d’audit');
  audit
    .command('verify')
    .description('vérifie chaque chaîne du journal et nomme le premier maillon rompu')
    .action(async () => {
      const config = loadConfig();
      const [{ openDatabase }, { verifyAuditLog }] = await Promise.all([
        import('../platform/db/index.ts'),
        import('../audit/index.ts'),
      ]);
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

  const fhir = cli.command('fhir').description('ressources FHIR R4 des API de Mon espace santé');
  fhir
    .command('validate')
    .summary('valide des ressources FHIR R4 contre les profils MES, hors ligne')
    .description(
      'valide des fichiers JSON (« - » : l’entrée standard) ; mesref fhir validate --help pour les options',
    )
    .argument('[arguments...]', 'options et fichiers')
    // The command reads its own options (runValidate), so that its tests run it in-process.
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_files: string[], _options: object, command: Command) => {
      // Neither the database nor the app: only the validator, so that it starts fast.
      const { processIo, runValidate } = await import('../fhir/cli.ts');
      const code = await runValidate(command.args, processIo());
      if (code !== 0) {
        // Its report is already written: leave with its code once the output is flushed.
        await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
        process.exit(code);
      }
    });

  cli
    .command('referential')
    .summary('versions du référentiel : import d’une annexe officielle, différences entre deux versions')
    .description(
      'mesref referential import <fichier> --id … | mesref referential diff <a> <b> ; --help pour les options',
    )
    .argument('[arguments...]', 'sous-commande, options et fichiers')
    // The command reads its own options (runReferential), so that its tests run it in-process.
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_args: string[], _options: object, command: Command) => {
      // Neither the database nor the app: the version files only.
      const { processIo, runReferential } = await import('../referential/cli.ts');
      const code = await runReferential(command.args, processIo());
      if (code !== 0) {
        await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
        process.exit(code);
      }
    });

  cli
    .command('check')
    .summary('vérifie un fichier de réponses d’auto-évaluation (conformité en continu)')
    .description(
      'mesref check <réponses.yaml> | mesref check --init --typology avec-echange|sans-echange ; --help pour les options',
    )
    .argument('[arguments...]', 'options et fichier')
    // The command reads its own options (runCheck), so that its tests run it in-process.
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_args: string[], _options: object, command: Command) => {
      // Neither the database nor the app: the referential files and the answers file only.
      const { processIo, runCheck } = await import('../assessment/cli.ts');
      const code = await runCheck(command.args, processIo());
      if (code !== 0) {
        await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
        process.exit(code);
      }
    });

  cli
    .command('ecoindex')
    .summary('EcoIndex d’une page mesurée ailleurs : score, note, gCO2e et eau')
    .description(
      'mesref ecoindex --dom N --requests N --size-kb N [--format text|json] ; --help pour les options',
    )
    .argument('[arguments...]', 'options')
    // The command reads its own options (runEcoindex), so that its tests run it in-process.
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_args: string[], _options: object, command: Command) => {
      // Neither the database nor the app: the formula only.
      const { processIo, runEcoindex } = await import('../ecoscore/cli.ts');
      const code = await runEcoindex(command.args, processIo());
      if (code !== 0) {
        await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
        process.exit(code);
      }
    });

  const ecoscore = cli.command('ecoscore').description('écoscore indicatif d’un parcours (méthode mesref)');
  ecoscore
    .command('run')
    .summary('mesure un parcours dans Chromium : écoscore indicatif, mesures par étape, EcoIndex des pages')
    .description(
      'mesref ecoscore run <parcours.yaml> [--runs N] [--format text|json] [--allow-host <hôte>]... ; --help pour les options',
    )
    .argument('[arguments...]', 'options et fichier')
    // The command reads its own options (runEcoscoreRun), so that its tests run it in-process.
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_args: string[], _options: object, command: Command) => {
      // Neither the database nor the app: the journey file, the method and Chromium.
      const { processIo, runEcoscoreRun } = await import('../ecoscore/run-cli.ts');
      const code = await runEcoscoreRun(command.args, processIo());
      if (code !== 0) {
        await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
        process.exit(code);
      }
    });

  const conformance = cli.command('conformance').description('tests d’accrochage du bac à sable');
  conformance
    .command('status')
    .summary('plans et tests d’une session de tests d’accrochage, avec leur statut')
    .description('mesref conformance status <session> (0 : tous les plans requis réussis, 1 sinon)')
    .argument('[arguments...]', 'identifiant de la session')
    .allowExcessArguments()
    .action(async (_args: string[], _options: object, command: Command) => {
      const config = loadConfig();
      const [{ runConformanceStatus }, { loadPlans }, { loadReferentials }] = await Promise.all([
        import('../conformance/cli.ts'),
        import('../conformance/plans.ts'),
        import('../referential/index.ts'),
      ]);
      const io = {
        stdout: (t: string) => process.stdout.write(t),
        stderr: (t: string) => process.stderr.write(t),
      };
      let code = 2;
      if (config.mode !== 'sandbox') {
        code = await runConformanceStatus(command.args, io, {
          db: undefined as never,
          config,
          referentials: undefined as never,
          plans: [],
        });
      } else {
        const database = await openMigrated(config);
        try {
          code = await runConformanceStatus(command.args, io, {
            db: database.db,
            config,
            referentials: loadReferentials(config.referentialsDir),
            plans: loadPlans(),
          });
        } finally {
          await database.close();
        }
      }
      if (code !== 0) {
        await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
        process.exit(code);
      }
    });

  cli
    .command('demo-client')
    .summary('exécute le client de référence contre une session de tests d’accrochage (bac à sable)')
    .description(
      'mesref demo-client --session <id> [--fault no-pkce|wrong-unit|retry-422|ignore-403] [--base-url <url>] ; --help pour les options',
    )
    .argument('[arguments...]', 'options')
    // The command reads its own options (runDemoClient), so that its tests run it in-process.
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_args: string[], _options: object, command: Command) => {
      const { DemoClientFailure, runDemoClient } = await import('./demo-client.ts');
      const io = {
        stdout: (t: string) => process.stdout.write(t),
        stderr: (t: string) => process.stderr.write(t),
        env: process.env,
      };
      const code = await runDemoClient(command.args, io, async (use) => {
        const config = loadConfig();
        if (config.mode !== 'sandbox')
          throw new DemoClientFailure('demo-client est réservé au bac à sable (MESREF_MODE=sandbox)');
        const { loadSigningKeys } = await import('../platform/keys.ts');
        const database = await openMigrated(config);
        try {
          return await use({ db: database.db, config, keys: await loadSigningKeys(database.db, config) });
        } finally {
          await database.close();
        }
      });
      if (code !== 0) {
        await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
        process.exit(code);
      }
    });

  return cli;
}

function usage(message: string): CliFailure {
  return Object.assign(new CliFailure(message), { usage: true });
}

function isDataFileError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'DataFileError';
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Opens the configured database, migrated and checked against the deployment mode. */
async function openMigrated(config: import('../platform/config.ts').Config) {
  const [{ openDatabase }, { migrateToLatest }, { ensureDeploymentMode }] = await Promise.all([
    import('../platform/db/index.ts'),
    import('../platform/db/migrate.ts'),
    import('../platform/deployment.ts'),
  ]);
  const database = await openDatabase(config);
  try {
    await migrateToLatest(database.db);
    await ensureDeploymentMode(database.db, config.mode);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * A sandbox with demo data seeds it when its database holds no account yet (its first start). Several
 * instances may start at once on one PostgreSQL: an advisory lock lets one seed while the others wait, then
 * find the accounts there.
 */
async function seedOnFirstStart(mesref: Mesref): Promise<boolean> {
  if (mesref.config.mode !== 'sandbox' || !mesref.config.demoData) return false;
  const { sql } = await import('kysely');
  const SEED_LOCK = 7_316_001;
  return mesref.db.connection().execute(async (db) => {
    await sql`select pg_advisory_lock(${SEED_LOCK})`.execute(db);
    try {
      const any = await db.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
      if (any) return false;
      const { seedDemo } = await import('./seed.ts');
      await seedDemo({ db, config: mesref.config });
      return true;
    } finally {
      await sql`select pg_advisory_unlock(${SEED_LOCK})`.execute(db);
    }
  });
}

async function printWelcome(mesref: Mesref, address: string): Promise<void> {
  const lines = [
    `mesref (${mesref.config.mode}) écoute sur ${address} — ouvrez ${mesref.config.publicUrl}`,
    `base : ${mesref.dbKind === 'pglite' ? `PostgreSQL embarqué (PGlite) dans ${mesref.config.dataDir}` : 'serveur PostgreSQL (DATABASE_URL)'}`,
  ];
  if (mesref.config.mode === 'sandbox' && mesref.config.demoData) {
    const { demoSignInText } = await import('./seed.ts');
    lines.push(demoSignInText(mesref.config));
  }
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
    // A referential version file refused at start (read by name: the data-file module loads lazily).
    if (
      error instanceof DatabaseBusyError ||
      error instanceof DeploymentMismatchError ||
      isDataFileError(error)
    ) {
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
