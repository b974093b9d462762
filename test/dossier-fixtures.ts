/**
 * Fixtures for the referencing-file tests (service, instruction pages, publisher pages, PDFs, API): publishers
 * with a service and a ready self-assessment, staff actors, draft files, a file walked to a given state, and a
 * multipart body builder. Everything goes through the modules' own use cases.
 */
import type { AppContext } from '../src/app.ts';
import {
  createAssessment,
  getAssessment,
  importAnswers,
  saveAnswer,
  saveOrientation,
} from '../src/assessment/service.ts';
import { seedDemoAdminFile } from '../src/dossier/admin-file-service.ts';
import { passingTestReport, readyAssessmentInput } from '../src/dossier/demo.ts';
import type { DossierAction, DossierState } from '../src/dossier/model.ts';
import { dossierDeps } from '../src/dossier/plugin.ts';
import {
  act,
  addDocument,
  createDossier,
  type DossierDeps,
  type DossierView,
  recordTestReport,
  updateRequest,
} from '../src/dossier/service.ts';
import type { Actor, OrganisationRole, StaffRole } from '../src/identity/model.ts';
import { newId, randomToken } from '../src/platform/crypto.ts';
import type { Db } from '../src/platform/db/index.ts';
import { createProduct } from '../src/product/service.ts';
import { type OrientationAnswers, visibleQuestions } from '../src/referential/index.ts';
import { createAccount, createOrganisation, sessionCookie, type TestAccount } from './helpers.ts';

/** What the fixtures need of a running app (a `TestApp` from helpers.ts, or a browser suite's `mesref`). */
export type FixtureApp = Pick<AppContext, 'db' | 'config' | 'referentials' | 'keys' | 'notifier'>;

/** The dossier module's dependencies for an app (the same the app's pages and API use). */
export function dossierDepsOf(app: FixtureApp): DossierDeps {
  return dossierDeps(app as AppContext);
}

export function tinyPdf(label = 'document'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n% ${label}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

/** A small valid PDF (its type is read from its bytes). */
export const PDF = tinyPdf('piece de test');

export function publisherActor(
  accountId: string,
  organisationId: string,
  role: OrganisationRole = 'mandataire',
): Actor {
  return {
    kind: 'account',
    accountId,
    email: `${accountId.slice(0, 8)}@exemple.test`,
    displayName: `Éditeur ${accountId.slice(0, 4)}`,
    staffRoles: [],
    memberships: [{ organisationId, role }],
    secondFactorOk: true,
    totpEnabled: false,
  };
}

/** A staff actor (TOTP enabled and checked, as staff sessions must be). */
export function staffActor(accountId: string, roles: StaffRole[]): Actor {
  return {
    kind: 'account',
    accountId,
    email: `${accountId.slice(0, 8)}@exemple.test`,
    displayName: `Agent ${accountId.slice(0, 4)}`,
    staffRoles: roles,
    memberships: [],
    secondFactorOk: true,
    totpEnabled: true,
  };
}

export interface Staff {
  instructeur: Actor;
  instructeur2: Actor;
  commission: Actor;
  decideur: Actor;
}

export async function createStaff(app: FixtureApp): Promise<Staff> {
  const make = async (role: StaffRole) =>
    staffActor((await createAccount(app.db, { staff: [role] })).accountId, [role]);
  return {
    instructeur: await make('instructeur'),
    instructeur2: await make('instructeur'),
    commission: await make('commission'),
    decideur: await make('decideur'),
  };
}

/** One instructor: its account (for a session cookie) and its actor (for service calls). */
export async function instructorActor(db: Db): Promise<{ account: TestAccount; actor: Actor }> {
  const account = await createAccount(db, { staff: ['instructeur'] });
  return { account, actor: staffActor(account.accountId, ['instructeur']) };
}

/**
 * Answers the orientation (data exchange as told) and every mandatory applicable criterion « conforme » with
 * a link as evidence, in one import (the demo's `readyAssessmentInput`).
 */
export async function makeAssessmentReady(
  deps: Pick<DossierDeps, 'db' | 'config' | 'referentials'>,
  actor: Actor,
  assessmentId: string,
  dataExchange: boolean,
): Promise<void> {
  const version = deps.referentials.newest();
  await importAnswers(
    { db: deps.db, config: deps.config, referentials: deps.referentials },
    actor,
    assessmentId,
    {
      versionId: version.id,
      input: readyAssessmentInput(
        version,
        dataExchange,
        'https://exemple.test/preuves',
        (id) => `Conforme (test) : ${id}`,
      ),
    },
    'test.yaml',
    'test',
  );
}

export interface ReadyPublisher {
  organisationId: string;
  accountId: string;
  actor: Actor;
  productId: string;
  assessmentId: string;
}

/** A publisher (a mandataire) with a validated administrative file, a service and its ready assessment. */
export async function readyPublisher(
  app: FixtureApp,
  options: { name?: string; dataExchange?: boolean; adminFile?: 'validated' | 'submitted' | 'draft' } = {},
): Promise<ReadyPublisher> {
  const deps = dossierDepsOf(app);
  const organisationId = await createOrganisation(
    app.db,
    options.name ? `${options.name} SAS` : 'Éditeur de test',
  );
  const account = await createAccount(app.db, { organisation: { id: organisationId, role: 'mandataire' } });
  const actor = publisherActor(account.accountId, organisationId);
  await seedDemoAdminFile(app.db, organisationId, options.adminFile ?? 'validated');
  const product = await createProduct({ db: app.db, config: app.config }, actor, organisationId, {
    commercialName: options.name ?? 'Suivi Tension',
    os: 'ios',
    device: 'mobile',
    version: '1.0.0',
    description: 'Service de démonstration pour les tests du dossier.',
    urls: {
      web: 'https://exemple.test',
      cgu: 'https://exemple.test/cgu',
      privacy: 'https://exemple.test/confidentialite',
    },
    thematics: ['prevention'],
    regions: [],
    audience: ['tout-public'],
    economicModel: 'gratuit',
    medicalDevice: false,
    medicalDeviceClass: '',
    dataExchange: options.dataExchange ?? false,
  });
  const { id: assessmentId } = await createAssessment(
    { db: app.db, config: app.config, referentials: app.referentials },
    actor,
    product.id,
  );
  await makeAssessmentReady(deps, actor, assessmentId, options.dataExchange ?? false);
  return { organisationId, accountId: account.accountId, actor, productId: product.id, assessmentId };
}

/** A complete data-exchange request (CSP R.1111-39) on the demonstration referential's codes. */
export function dataExchangeRequest() {
  return {
    presentation: 'Application de suivi de la tension artérielle.',
    dataExchange: {
      justification: 'Le suivi de la tension par le patient demande de verser ses mesures dans son espace.',
      access: 'API Mesures de santé, écriture des mesures de tension artérielle.',
      categories: [{ code: 'pression-arterielle', read: true, write: true }],
      finalites: ['prevention'],
      retention: 'Douze mois après la dernière connexion.',
      security: 'Hébergement certifié HDS, chiffrement au repos et en transit.',
      consentText: 'J’accepte que Suivi Tension lise et écrive mes mesures de tension dans Mon espace santé.',
      redirectUris: ['https://exemple.test/retour'],
      jwksUri: 'https://exemple.test/.well-known/jwks.json',
      supportContact: 'support@exemple.test',
    },
  };
}

/** A complete draft: the request (with its declaration when data are exchanged) and the required documents. */
export async function draftDossier(
  app: FixtureApp,
  publisher: ReadyPublisher,
  dataExchange = false,
): Promise<DossierView> {
  const deps = dossierDepsOf(app);
  let view = await createDossier(deps, publisher.actor, { productId: publisher.productId });
  if (dataExchange)
    view = await updateRequest(deps, publisher.actor, view.id, view.rowVersion, dataExchangeRequest());
  for (const kind of dataExchange ? ['cgu', 'privacy', 'dpia'] : ['cgu', 'privacy']) {
    view = await addDocument(deps, publisher.actor, view.id, view.rowVersion, kind, {
      name: `${kind}.pdf`,
      bytes: tinyPdf(kind),
    });
  }
  return view;
}

/** Records a « conforme » verdict on every criterion the file's experts must evaluate (one step). */
export async function allConforme(deps: DossierDeps, instructor: Actor, dossierId: string): Promise<void> {
  const { recordRemainingConforme } = await import('../src/dossier/service.ts');
  await recordRemainingConforme(deps, instructor, dossierId);
}

/** Walks a file forward along the favourable path until it reaches `target` (or cannot go further). */
export async function walkTo(
  app: FixtureApp,
  staff: Staff,
  publisher: ReadyPublisher,
  view: DossierView,
  target: DossierState,
): Promise<DossierView> {
  const deps = dossierDepsOf(app);
  const step = (actor: Actor, action: DossierAction) => act(deps, actor, view.id, view.rowVersion, action);
  const order: DossierState[] = [
    'draft',
    'submitted',
    'evaluation',
    'ready_for_commission',
    'opinion_given',
    'accepted',
    'convention_signed',
    'published',
  ];
  const at = (s: DossierState) => order.indexOf(s);
  if (view.state === 'draft' && at(target) >= 1) view = await step(publisher.actor, { type: 'submit' });
  if (view.state === 'submitted' && at(target) >= 2)
    view = await step(staff.instructeur, { type: 'declare_admissible' });
  if (view.state === 'evaluation' && at(target) >= 3) {
    await allConforme(deps, staff.instructeur, view.id);
    view = await step(staff.instructeur, { type: 'send_to_commission' });
  }
  if (view.state === 'ready_for_commission' && at(target) >= 4) {
    const seats = deps.process.commission.seats.slice(0, deps.process.commission.quorum).map((s) => s.id);
    view = await step(staff.commission, {
      type: 'give_opinion',
      opinion: 'FAVORABLE',
      reasons: 'Le service satisfait aux critères du référentiel.',
      reservations: [],
      sitting: seats,
      finalites: view.typology === 'avec-echange' ? (view.request.dataExchange?.finalites ?? []) : [],
    });
  }
  if (view.state === 'opinion_given' && at(target) >= 5)
    view = await step(staff.decideur, {
      type: 'decide',
      decision: 'referenced',
      reasons: 'Avis favorable de la commission.',
    });
  if (view.state === 'accepted' && at(target) >= 6) {
    view = await step(staff.instructeur, {
      type: 'sign_convention',
      convention: {
        parties: deps.process.conventionParties.map((p) => p.fr),
        categories: view.request.dataExchange?.categories ?? [],
        finalites: view.request.dataExchange?.finalites ?? [],
        durationMonths: 12,
        withdrawalTerms: 'Retrait sur décision motivée après procédure contradictoire.',
        signedOn: new Date().toISOString().slice(0, 10),
      },
    });
  }
  if (view.state === 'connection_tests' && at(target) >= 7) {
    view = await recordTestReport(
      deps,
      publisher.actor,
      view.id,
      view.rowVersion,
      await passingTestReport(app, view),
    );
    view = await step(staff.instructeur, { type: 'publish', pilot: false });
  }
  if (view.state === 'convention_signed' && at(target) >= 7)
    view = await step(staff.instructeur, { type: 'publish', pilot: false });
  return view;
}

// ── the publisher pages' fixtures ───────────────────────────────────────────

/** A service of the organisation, written directly (no rights to check, any name). */
export async function insertProduct(
  db: Db,
  organisationId: string,
  options: { name?: string; dataExchange?: boolean; version?: string } = {},
): Promise<string> {
  const id = newId();
  await db
    .insertInto('products')
    .values({
      id,
      organisation_id: organisationId,
      commercial_name: options.name ?? `Suivi ${randomToken(4).replace(/[^A-Za-z]/g, 'x')}`,
      os: 'ios',
      device: 'mobile',
      version: options.version ?? '1.0',
      description: 'Service de test',
      url_web: null,
      url_ios: null,
      url_android: null,
      url_cgu: null,
      url_privacy: null,
      thematics: '[]',
      regions: '[]',
      audience: '[]',
      economic_model: 'gratuit',
      medical_device: false,
      medical_device_class: null,
      data_exchange: options.dataExchange ?? false,
      row_version: 1,
      created_by: null,
      updated_at: new Date(),
    })
    .execute();
  return id;
}

/**
 * Starts an assessment of the service on the newest referential version and answers it: every visible
 * orientation question (data exchange as the service declares it, the first option elsewhere), the first
 * applicable criterion and every mandatory one « conforme » with evidence. With `evidenceFile`, the first criterion's evidence is that
 * file (a submission then has a file to freeze); with `ready: false`, the last mandatory criterion is left
 * unanswered.
 */
export async function answeredAssessment(
  app: FixtureApp,
  actor: Actor,
  productId: string,
  options: { dataExchange?: boolean; evidenceFile?: { name: string; bytes: Buffer }; ready?: boolean } = {},
): Promise<string> {
  const deps = { db: app.db, config: app.config, referentials: app.referentials };
  const { id } = await createAssessment(deps, actor, productId);
  const version = app.referentials.newest();
  const orientation: OrientationAnswers = { echange_donnees: options.dataExchange ?? false };
  for (let round = 0; round < 10; round++) {
    const missing = visibleQuestions(version, orientation).filter((q) => orientation[q.id] === undefined);
    if (missing.length === 0) break;
    for (const q of missing) {
      const first = q.options?.[0]?.value ?? '';
      orientation[q.id] = q.type === 'boolean' ? false : q.type === 'choice' ? first : [first];
    }
  }
  await saveOrientation(deps, actor, id, { orientation, baseVersion: 1 });
  const view = await getAssessment(deps, actor, id);
  const skip =
    options.ready === false
      ? view.evaluation.criteria.filter((c) => c.criterion.level === 'obligatoire').at(-1)?.criterion.id
      : undefined;
  for (const [i, c] of view.evaluation.criteria.entries()) {
    const criterionId = c.criterion.id;
    // The mandatory criteria make readiness; the first one is answered too (it carries the file).
    if (criterionId === skip || (i > 0 && c.criterion.level !== 'obligatoire')) continue;
    await saveAnswer(deps, actor, id, criterionId, {
      status: 'conforme',
      justification: `Justification déposée ${criterionId}`,
      targetDate: '',
      baseVersion: 0,
      addEvidence:
        i === 0 && options.evidenceFile
          ? [{ kind: 'file', name: options.evidenceFile.name, bytes: options.evidenceFile.bytes }]
          : [{ kind: 'url', url: `https://exemple.test/preuves/${encodeURIComponent(criterionId)}` }],
    });
  }
  return id;
}

export interface PublisherFixture {
  organisationId: string;
  organisationName: string;
  /** The mandataire (may file), a salarié (may prepare, may not file). */
  manager: TestAccount;
  employee: TestAccount;
  managerActor: Actor;
  employeeActor: Actor;
  cookies: { manager: Record<string, string>; employee: Record<string, string> };
  productId: string;
  productName: string;
  assessmentId: string;
}

/**
 * A publisher organisation with a mandataire and a salarié (with session cookies), one service and its
 * assessment (ready unless told otherwise, its first evidence a file), and its administrative file in
 * `adminFile` status (validated by default; none when null).
 */
export async function publisherWithReadyProduct(
  app: FixtureApp,
  options: {
    dataExchange?: boolean;
    adminFile?: 'validated' | 'submitted' | 'draft' | null;
    ready?: boolean;
    organisationName?: string;
    productName?: string;
  } = {},
): Promise<PublisherFixture> {
  const organisationName = options.organisationName ?? `Éditeur ${randomToken(4)}`;
  const organisationId = await createOrganisation(app.db, organisationName);
  const manager = await createAccount(app.db, { organisation: { id: organisationId, role: 'mandataire' } });
  const employee = await createAccount(app.db, { organisation: { id: organisationId, role: 'salarie' } });
  const managerActor = publisherActor(manager.accountId, organisationId, 'mandataire');
  const productName = options.productName ?? 'Suivi Tension';
  const productId = await insertProduct(app.db, organisationId, {
    name: productName,
    dataExchange: options.dataExchange,
  });
  const assessmentId = await answeredAssessment(app, managerActor, productId, {
    dataExchange: options.dataExchange,
    evidenceFile: { name: 'attestation-hebergeur.pdf', bytes: PDF },
    ready: options.ready,
  });
  const adminFile = options.adminFile === undefined ? 'validated' : options.adminFile;
  if (adminFile) await seedDemoAdminFile(app.db, organisationId, adminFile);
  return {
    organisationId,
    organisationName,
    manager,
    employee,
    managerActor,
    employeeActor: publisherActor(employee.accountId, organisationId, 'salarie'),
    cookies: {
      manager: await sessionCookie(app.db, manager),
      employee: await sessionCookie(app.db, employee),
    },
    productId,
    productName,
    assessmentId,
  };
}

/** A request filed through the service by the fixture's mandataire (declaration and documents as required). */
export async function submittedDossier(app: FixtureApp, publisher: PublisherFixture): Promise<DossierView> {
  const view = await draftDossier(
    app,
    { ...publisher, accountId: publisher.manager.accountId, actor: publisher.managerActor },
    (await createDossierTypology(app, publisher)) === 'avec-echange',
  );
  return act(dossierDepsOf(app), publisher.managerActor, view.id, view.rowVersion, { type: 'submit' });
}

async function createDossierTypology(app: FixtureApp, publisher: PublisherFixture): Promise<string> {
  const row = await app.db
    .selectFrom('products')
    .select('data_exchange')
    .where('id', '=', publisher.productId)
    .executeTakeFirstOrThrow();
  return row.data_exchange ? 'avec-echange' : 'sans-echange';
}

/** A multipart body, as a browser sends a form with files. */
export function multipartBody(
  fields: Record<string, string | string[]>,
  files: Array<{ field: string; name: string; type?: string; bytes: Buffer }> = [],
) {
  const boundary = `----mesref${randomToken(8)}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value])
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`),
      );
  }
  for (const file of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
