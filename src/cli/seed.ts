import { sql } from 'kysely';
import { seedDemoAssessment } from '../assessment/index.ts';
import { seedDemoCitizenSpace } from '../consent/demo.ts';
import { seedDemoDocuments } from '../documents/demo.ts';
import { seedDemoDossiers } from '../dossier/demo.ts';
import { loadProcess } from '../dossier/process.ts';
import { seedDemoJourney } from '../ecoscore/index.ts';
import {
  createStaffOrPublisherAccount,
  type OrganisationRole,
  type StaffRole,
  seedTestCitizens,
} from '../identity/index.ts';
import { seedDemoMeasures } from '../measures/demo.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/index.ts';
import { enqueueJob } from '../platform/jobs.ts';
import { loadSigningKeys } from '../platform/keys.ts';
import { seedDemoProducts } from '../product/index.ts';
import { loadReferentials } from '../referential/index.ts';

/** The password of every demo account: a sandbox holds test identities only. */
export const DEMO_PASSWORD = 'Demo-mesref-2026!';

export const DEMO_ORGANISATION = {
  legalName: 'Santé Connectée SAS (démo)',
  // 9 digits whose Luhn key is right; fictitious.
  siren: '732829320',
  address: '12 rue des Tests, 75013 Paris',
  legalRepresentative: 'Claire Martin',
};

interface DemoPerson {
  email: string;
  displayName: string;
  staffRoles?: StaffRole[];
  organisationRole?: OrganisationRole;
}

export const DEMO_PEOPLE: DemoPerson[] = [
  { email: 'mandataire@demo.mesref.test', displayName: 'Claire Martin', organisationRole: 'mandataire' },
  { email: 'representant@demo.mesref.test', displayName: 'Hugo Bernard', organisationRole: 'representant' },
  { email: 'salarie@demo.mesref.test', displayName: 'Inès Petit', organisationRole: 'salarie' },
  { email: 'instructeur@demo.mesref.test', displayName: 'Paul Girard', staffRoles: ['instructeur'] },
  { email: 'instructrice@demo.mesref.test', displayName: 'Nadia Roux', staffRoles: ['instructeur'] },
  { email: 'commission@demo.mesref.test', displayName: 'Marc Fontaine', staffRoles: ['commission'] },
  { email: 'decideur@demo.mesref.test', displayName: 'Sarah Lambert', staffRoles: ['decideur'] },
  { email: 'admin@demo.mesref.test', displayName: 'Alex Moreau', staffRoles: ['admin'] },
];

export interface SeedReport {
  created: string[];
  existing: string[];
  citizens: string[];
  /** Demo services created (by their referencing name). */
  products: string[];
  /** Demo referencing files created. */
  dossiers: number;
  /** Demo pairings made in the test citizens' spaces. */
  pairings: number;
}

/** Extra demo publishers, whose files show every state of the instruction (fictitious SIRENs, valid keys). */
export const DEMO_EXTRA_PUBLISHERS = [
  {
    email: 'editeur.cardio@demo.mesref.test',
    displayName: 'Lucie Garnier',
    legalName: 'Cardio Suivi SAS (démo)',
    siren: '999001019',
  },
  {
    email: 'editeur.prevention@demo.mesref.test',
    displayName: 'Yann Le Goff',
    legalName: 'Prévention Plus (démo)',
    siren: '999002025',
  },
  {
    email: 'editeur.ouest@demo.mesref.test',
    displayName: 'Élise Morvan',
    legalName: 'Numérique Santé Ouest (démo)',
    siren: '999003031',
  },
];

async function accountExists(db: Db, email: string): Promise<boolean> {
  const row = await db
    .selectFrom('accounts')
    .select('id')
    .where(sql`lower(email)`, '=', email)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The demo data of a sandbox: a publisher organisation with one member per role, two instructors, a
 * commission member, a decideur and an admin. Idempotent: what exists is left as it is.
 */
export async function seedDemo(
  deps: { db: Db; config: Config },
  options: {
    /**
     * The demo referencing files take some time to walk through the instruction: `now` (the seed command)
     * makes them before returning; `queue` (first start, tests) leaves them to the worker's `demo.dossiers` job.
     */
    dossiers?: 'now' | 'queue';
  } = {},
): Promise<SeedReport> {
  if (deps.config.mode !== 'sandbox')
    throw new Error('les données de démonstration sont réservées au bac à sable');
  const report: SeedReport = {
    created: [],
    existing: [],
    citizens: [],
    products: [],
    dossiers: 0,
    pairings: 0,
  };
  let organisationId = (
    await deps.db
      .selectFrom('organisations')
      .select('id')
      .where('siren', '=', DEMO_ORGANISATION.siren)
      .executeTakeFirst()
  )?.id;
  for (const person of DEMO_PEOPLE) {
    if (await accountExists(deps.db, person.email)) {
      report.existing.push(person.email);
      continue;
    }
    const organisation = person.organisationRole
      ? organisationId
        ? { id: organisationId, role: person.organisationRole }
        : { ...DEMO_ORGANISATION, role: person.organisationRole }
      : undefined;
    const made = await createStaffOrPublisherAccount(deps, {
      email: person.email,
      displayName: person.displayName,
      password: DEMO_PASSWORD,
      staffRoles: person.staffRoles,
      organisation,
    });
    organisationId ??= made.organisationId;
    report.created.push(person.email);
  }
  report.citizens = await seedTestCitizens(deps);
  const mandataire = DEMO_PEOPLE.find((p) => p.organisationRole === 'mandataire') as DemoPerson;
  const mandataireRow = await deps.db
    .selectFrom('accounts')
    .select(['id', 'email', 'display_name'])
    .where(sql`lower(email)`, '=', mandataire.email)
    .executeTakeFirst();
  if (organisationId && mandataireRow) {
    report.products = await seedDemoProducts(deps, organisationId, {
      accountId: mandataireRow.id,
      email: mandataireRow.email,
      displayName: mandataireRow.display_name,
    });
    // A started self-assessment of the first demo service (nothing when it has one).
    await seedDemoAssessment(
      { db: deps.db, config: deps.config, referentials: loadReferentials(deps.config.referentialsDir) },
      organisationId,
      { accountId: mandataireRow.id, email: mandataireRow.email, displayName: mandataireRow.display_name },
    );
    // A demo écoscore journey of the first demo service (nothing when it has one).
    await seedDemoJourney(
      { db: deps.db, config: deps.config, referentials: loadReferentials(deps.config.referentialsDir) },
      organisationId,
      { accountId: mandataireRow.id, email: mandataireRow.email, displayName: mandataireRow.display_name },
    );
    if (options.dossiers === 'now')
      ({ dossiers: report.dossiers, pairings: report.pairings } = await seedDemoDossierFiles(deps));
    else await enqueueJob(deps.db, 'demo.dossiers', {}, { dedupeKey: 'demo.dossiers', maxAttempts: 10 });
  }
  return report;
}

async function accountRow(db: Db, email: string) {
  return db
    .selectFrom('accounts')
    .select(['id', 'email', 'display_name'])
    .where(sql`lower(email)`, '=', email)
    .executeTakeFirst();
}

/**
 * The demo referencing files: extra demo publishers, then files in every state through the instruction;
 * then the test citizen Sophie Dubois's space, with demo services online paired, and the measures and
 * documents those services wrote there. Idempotent (the
 * `demo.dossiers` job and `mesref seed --demo` both call it).
 */
export async function seedDemoDossierFiles(
  deps: { db: Db; config: Config },
  /** Stops between two files when aborted (the worker stopping); what is made stays, the rest waits. */
  signal?: AbortSignal,
): Promise<{ dossiers: number; pairings: number }> {
  const none = { dossiers: 0, pairings: 0 };
  if (deps.config.mode !== 'sandbox') return none;
  const mandataire = await accountRow(deps.db, DEMO_PEOPLE[0]?.email as string);
  const organisationId = (
    await deps.db
      .selectFrom('organisations')
      .select('id')
      .where('siren', '=', DEMO_ORGANISATION.siren)
      .executeTakeFirst()
  )?.id;
  if (!mandataire || !organisationId) return none;
  const publisherActor = (accountId: string, email: string, displayName: string, orgId: string) => ({
    kind: 'account' as const,
    accountId,
    email,
    displayName,
    staffRoles: [],
    memberships: [{ organisationId: orgId, role: 'mandataire' as const }],
    secondFactorOk: true,
    totpEnabled: false,
  });
  const extra = [];
  for (const p of DEMO_EXTRA_PUBLISHERS) {
    let row = await accountRow(deps.db, p.email);
    if (!row) {
      await createStaffOrPublisherAccount(deps, {
        email: p.email,
        displayName: p.displayName,
        password: DEMO_PASSWORD,
        organisation: {
          legalName: p.legalName,
          siren: p.siren,
          address: '1 place de la Démonstration, 35000 Rennes',
          legalRepresentative: p.displayName,
          role: 'mandataire',
        },
      });
      row = await accountRow(deps.db, p.email);
    }
    const org = await deps.db
      .selectFrom('memberships')
      .select('organisation_id')
      .where('account_id', '=', row?.id as string)
      .executeTakeFirst();
    if (row && org)
      extra.push({
        organisationId: org.organisation_id,
        actor: publisherActor(row.id, row.email, row.display_name, org.organisation_id),
      });
  }
  const staffActor = async (email: string, role: StaffRole) => {
    const row = await accountRow(deps.db, email);
    return {
      kind: 'account' as const,
      accountId: row?.id as string,
      email,
      displayName: row?.display_name ?? email,
      staffRoles: [role],
      memberships: [],
      secondFactorOk: true,
      totpEnabled: true,
    };
  };
  const referentials = loadReferentials(deps.config.referentialsDir);
  const dossiers = await seedDemoDossiers(
    {
      db: deps.db,
      config: deps.config,
      referentials,
      // The sandbox's own keys: they sign the demo's connection-test reports.
      keys: await loadSigningKeys(deps.db, deps.config),
      process: loadProcess(deps.config.processFile),
    },
    {
      organisationId,
      actor: publisherActor(mandataire.id, mandataire.email, mandataire.display_name, organisationId),
    },
    extra,
    {
      instructeur: await staffActor('instructeur@demo.mesref.test', 'instructeur'),
      instructeur2: await staffActor('instructrice@demo.mesref.test', 'instructeur'),
      commission: await staffActor('commission@demo.mesref.test', 'commission'),
      decideur: await staffActor('decideur@demo.mesref.test', 'decideur'),
    },
    (await deps.db.selectFrom('citizens').select('id').orderBy('created_at').executeTakeFirst())?.id,
    signal,
  );
  // Then the citizen space, once the demo services it pairs are online, and what those services wrote there.
  const pairings = await seedDemoCitizenSpace(deps, signal);
  const healthDeps = { db: deps.db, config: deps.config, referentials };
  await seedDemoMeasures(healthDeps, signal);
  await seedDemoDocuments(healthDeps, signal);
  return { dossiers, pairings };
}

/** What the console prints after seeding: where to go and how to sign in. */
export function demoSignInText(config: Config): string {
  const width = Math.max(...DEMO_PEOPLE.map((p) => p.email.length));
  const rows = DEMO_PEOPLE.map((p) => {
    const role = p.organisationRole ?? p.staffRoles?.join(', ') ?? '';
    return `  ${p.email.padEnd(width)}  ${role}`;
  });
  for (const p of DEMO_EXTRA_PUBLISHERS) rows.push(`  ${p.email.padEnd(width)}  mandataire (${p.legalName})`);
  return [
    `Comptes de démonstration (mot de passe commun / shared password: ${DEMO_PASSWORD})`,
    ...rows,
    `  → ${config.publicUrl}/connexion  (les agents enrôlent une double authentification TOTP à la première connexion)`,
    `Usagers de test : ${config.publicUrl}/usager/connexion  (fournisseur d'identité de test, INS de test)`,
    `Courriels capturés : ${config.publicUrl}/bac-a-sable/courriels`,
  ].join('\n');
}
