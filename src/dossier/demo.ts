/**
 * Demo referencing files of the sandbox, in every state, made through the same use cases as people's
 * (create, submit, each step of the instruction) with the clock set back, so the dashboard, its deadlines
 * and medians, and the publishers' timelines are alive on first start. Demo services with data exchange stop
 * at the connection tests: no test report is made up.
 */

import type { CriterionAnswer } from '../assessment/index.ts';
import {
  createAssessment,
  evaluateAssessment,
  importAnswers,
  listAssessments,
  visibleQuestionIds,
} from '../assessment/index.ts';
import type { Actor } from '../identity/index.ts';
import { createProduct, listProductsOf, type Product } from '../product/index.ts';
import type { OrientationAnswers, ReferentialVersion } from '../referential/index.ts';
import { demoPdf, seedDemoAdminFile } from './admin-file-service.ts';
import { seedDemoComplaint } from './complaint-service.ts';
import type { DossierAction } from './model.ts';
import {
  act,
  addDocument,
  assign,
  createDossier,
  type DossierDeps,
  type DossierView,
  declareVersion,
  evaluationOf,
  recordRemainingConforme,
  updateRequest,
} from './service.ts';
import { dossiersOfProduct } from './store.ts';

/**
 * The orientation that answers every visible question (data exchange as the service declares it, otherwise
 * « non » or the first option) and « conforme » with a link as evidence on every mandatory applicable
 * criterion: an assessment that is ready.
 */
export function readyAssessmentInput(
  version: ReferentialVersion,
  dataExchange: boolean,
  evidenceBase = 'https://preuves.demo.mesref.test',
  justification = (criterionId: string) => `Exigence satisfaite : voir la preuve jointe (${criterionId}).`,
): { orientation: OrientationAnswers; answers: Record<string, CriterionAnswer> } {
  const orientation: Record<string, unknown> = {};
  for (let round = 0; round < 10; round++) {
    let added = false;
    for (const id of visibleQuestionIds(version, orientation)) {
      if (id in orientation) continue;
      const q = version.questionnaire.find((x) => x.id === id);
      if (!q) continue;
      if (id === 'echange_donnees') orientation[id] = dataExchange;
      else if (q.type === 'boolean') orientation[id] = false;
      else if (q.type === 'choice') orientation[id] = q.options?.[0]?.value;
      else orientation[id] = [q.options?.[0]?.value];
      added = true;
    }
    if (!added) break;
  }
  const evaluation = evaluateAssessment(version, {
    orientation: orientation as OrientationAnswers,
    answers: {},
  });
  const answers: Record<string, CriterionAnswer> = {};
  for (const c of evaluation.criteria) {
    if (c.criterion.level !== 'obligatoire') continue;
    answers[c.criterion.id] = {
      status: 'conforme',
      justification: justification(c.criterion.id),
      evidence: [{ kind: 'url', url: `${evidenceBase}/${encodeURIComponent(c.criterion.id)}` }],
    };
  }
  return { orientation: orientation as OrientationAnswers, answers };
}

/** Starts the service's assessment on the newest version and makes it ready, in one import. */
export async function readyAssessment(deps: DossierDeps, actor: Actor, product: Product): Promise<string> {
  const aDeps = { db: deps.db, config: deps.config, referentials: deps.referentials };
  const { id } = await createAssessment(aDeps, actor, product.id);
  const version = deps.referentials.newest();
  await importAnswers(
    aDeps,
    actor,
    id,
    { versionId: version.id, input: readyAssessmentInput(version, product.dataExchange) },
    'demo.yaml',
    'demo',
  );
  return id;
}

export interface DemoPublisher {
  organisationId: string;
  actor: Actor;
}

export interface DemoStaff {
  instructeur: Actor;
  instructeur2: Actor;
  commission: Actor;
  decideur: Actor;
}

type Target =
  | 'draft'
  | 'submitted'
  | 'inadmissible'
  | 'evaluation'
  | 'info_requested'
  | 'ready_for_commission'
  | 'opinion_given'
  | 'accepted'
  | 'refused'
  | 'convention_signed'
  | 'connection_tests'
  | 'withdrawn'
  | 'EN_LIGNE'
  | 'HORS_LIGNE'
  | 'SUSPENDUE'
  | 'PRESERIE'
  | 'DEREFERENCEE'
  | 'update';

interface DemoFile {
  name: string;
  description: string;
  dataExchange?: boolean;
  target: Target;
  /** How many days ago the request was created. */
  startedDaysAgo: number;
}

/** The demo files of the extra demo publishers, by organisation. */
export const DEMO_FILES: Array<{ legalName: string; files: DemoFile[] }> = [
  {
    legalName: 'Cardio Suivi SAS (démo)',
    files: [
      {
        name: 'Tension Facile',
        description: 'Suivi de la tension artérielle à domicile, avec synchronisation des mesures.',
        dataExchange: true,
        target: 'connection_tests',
        startedDaysAgo: 150,
      },
      {
        name: 'Mémo Santé',
        description: 'Rappels de rendez-vous et de traitements.',
        target: 'opinion_given',
        startedDaysAgo: 110,
      },
      {
        name: 'Sommeil Plus',
        description: 'Conseils et journal du sommeil.',
        target: 'submitted',
        startedDaysAgo: 24,
      },
      {
        name: 'Nutri Conseil',
        description: 'Conseils nutritionnels personnalisés.',
        target: 'refused',
        startedDaysAgo: 130,
      },
    ],
  },
  {
    legalName: 'Prévention Plus (démo)',
    files: [
      {
        name: 'Respire',
        description: 'Exercices de respiration pour les personnes asthmatiques.',
        target: 'ready_for_commission',
        startedDaysAgo: 80,
      },
      {
        name: 'Gym Douce',
        description: 'Programmes d’activité physique adaptée.',
        target: 'accepted',
        startedDaysAgo: 120,
      },
      {
        name: 'Allergo Alerte',
        description: 'Alertes polliniques et journal des symptômes.',
        target: 'convention_signed',
        startedDaysAgo: 140,
      },
      {
        name: 'Vaccins à Jour',
        description: 'Carnet de vaccination et rappels.',
        target: 'SUSPENDUE',
        startedDaysAgo: 330,
      },
    ],
  },
  {
    legalName: 'Numérique Santé Ouest (démo)',
    files: [
      {
        name: 'Marche Active',
        description: 'Podomètre et défis de marche.',
        target: 'HORS_LIGNE',
        startedDaysAgo: 300,
      },
      {
        name: 'Bien Vieillir',
        description: 'Prévention de la perte d’autonomie.',
        target: 'inadmissible',
        startedDaysAgo: 60,
      },
      {
        name: 'Stop Tabac',
        description: 'Accompagnement à l’arrêt du tabac.',
        target: 'withdrawn',
        startedDaysAgo: 50,
      },
      {
        name: 'Maman Bébé',
        description: 'Suivi de grossesse et des premiers mois.',
        target: 'update',
        startedDaysAgo: 260,
      },
      {
        name: 'Ordo Rappel',
        description: 'Rappels de renouvellement d’ordonnance.',
        target: 'DEREFERENCEE',
        startedDaysAgo: 360,
      },
      {
        name: 'Kiné Maison',
        description: 'Exercices de rééducation guidés.',
        target: 'PRESERIE',
        startedDaysAgo: 200,
      },
    ],
  },
];

const DAY = 86_400_000;

/**
 * Walks one file from its creation to `target`, each step a few days after the one before (the clock of
 * `deps` set back), as the publisher and the staff would do it.
 */
async function walk(
  base: DossierDeps,
  publisher: DemoPublisher,
  staff: DemoStaff,
  product: Product,
  file: Pick<DemoFile, 'target' | 'startedDaysAgo'>,
): Promise<DossierView> {
  let at = Date.now() - file.startedDaysAgo * DAY;
  const deps: DossierDeps = { ...base, now: () => new Date(at) };
  const later = (days: number) => {
    at = Math.min(at + days * DAY, Date.now() - 3600_000);
  };
  let view = await createDossier(deps, publisher.actor, { productId: product.id });
  if (file.target === 'draft') return view;
  if (product.dataExchange) {
    view = await updateRequest(
      deps,
      publisher.actor,
      view.id,
      view.rowVersion,
      demoDataExchange(product.commercialName),
    );
  }
  for (const kind of product.dataExchange ? ['cgu', 'privacy', 'dpia'] : ['cgu', 'privacy']) {
    view = await addDocument(deps, publisher.actor, view.id, view.rowVersion, kind, {
      name: `${kind}-${product.commercialName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.pdf`,
      bytes: demoPdf([`${product.commercialName} — ${kind}`, 'Document de démonstration (bac à sable).']),
    });
  }
  const step = async (actor: Actor, action: DossierAction, days = 3) => {
    later(days);
    view = await act(deps, actor, view.id, view.rowVersion, action);
  };
  if (file.target === 'withdrawn') {
    await step(publisher.actor, { type: 'submit' }, 2);
    await step(
      publisher.actor,
      { type: 'withdraw', reasons: 'Nous déposerons une nouvelle version au printemps.' },
      6,
    );
    return view;
  }
  await step(publisher.actor, { type: 'submit' }, 2);
  if (file.target === 'submitted') return view;
  later(1);
  view = await assign(deps, staff.instructeur, view.id, view.rowVersion, accountOf(staff.instructeur));
  if (file.target === 'inadmissible') {
    await step(
      staff.instructeur,
      {
        type: 'declare_inadmissible',
        reasons: 'L’analyse d’impact (AIPD) jointe ne porte pas sur ce service.',
      },
      9,
    );
    return view;
  }
  await step(staff.instructeur, { type: 'declare_admissible' }, 8);
  if (file.target === 'evaluation') return view;
  // A request for information on the way, answered.
  const criteria = (await evaluationOf(deps, staff.instructeur, view.id))
    .slice(0, 2)
    .map((c) => c.criterionId);
  await step(
    staff.instructeur,
    {
      type: 'request_info',
      message:
        'Merci de joindre l’attestation de votre hébergeur de données de santé (HDS) en cours de validité.',
      criteria,
      dueAt: new Date(at + 20 * DAY).toISOString(),
    },
    12,
  );
  if (file.target === 'info_requested') return view;
  later(6);
  view = await act(
    deps,
    publisher.actor,
    view.id,
    view.rowVersion,
    {
      type: 'answer_info',
      text: 'Vous trouverez l’attestation HDS jointe, valable jusqu’en 2028.',
    },
    [{ name: 'attestation-hds.pdf', bytes: demoPdf(['Attestation HDS (démonstration)']) }],
  );
  later(5);
  await recordRemainingConforme(deps, staff.instructeur, view.id);
  await step(staff.instructeur, { type: 'send_to_commission' }, 2);
  if (file.target === 'ready_for_commission') return view;
  const seats = deps.process.commission.seats.map((s) => s.id);
  const suspensive = file.target === 'opinion_given';
  const refused = file.target === 'refused';
  await step(
    staff.commission,
    {
      type: 'give_opinion',
      opinion: refused ? 'DEFAVORABLE' : suspensive ? 'FAVORABLE_RESERVES_SUSPENSIVES' : 'FAVORABLE',
      reasons: refused
        ? 'Les contenus de santé ne citent pas leurs sources et ne sont pas validés par un professionnel de santé.'
        : 'Le service satisfait aux exigences du référentiel.',
      reservations: suspensive
        ? [
            {
              text: 'Publier la politique de confidentialité mise à jour avant la mise en ligne.',
              suspensive: true,
            },
          ]
        : [],
      sitting: seats,
      finalites: product.dataExchange ? ['prevention'] : [],
    },
    20,
  );
  if (file.target === 'opinion_given') return view;
  await step(
    staff.decideur,
    {
      type: 'decide',
      decision: refused ? 'refused' : 'referenced',
      reasons: refused ? 'Avis défavorable de la commission.' : 'Avis favorable de la commission.',
    },
    10,
  );
  if (file.target === 'refused' || file.target === 'accepted') return view;
  await step(
    staff.instructeur,
    {
      type: 'sign_convention',
      convention: {
        parties: deps.process.conventionParties.map((p) => p.fr),
        categories: product.dataExchange
          ? demoDataExchange(product.commercialName).dataExchange.categories
          : [],
        finalites: product.dataExchange ? ['prevention'] : [],
        durationMonths: 12,
        withdrawalTerms:
          'Retrait du référencement sur décision motivée, après une procédure contradictoire de quinze jours.',
        signedOn: new Date(at + 12 * DAY).toISOString().slice(0, 10),
      },
    },
    12,
  );
  // With data exchange, the file waits for a real connection-test report.
  if (file.target === 'convention_signed' || view.state === 'connection_tests') return view;
  await step(staff.instructeur, { type: 'publish', pilot: file.target === 'PRESERIE' }, 4);
  switch (file.target) {
    case 'HORS_LIGNE':
      await step(
        publisher.actor,
        { type: 'take_offline', reasons: 'Maintenance de notre plateforme d’hébergement.' },
        40,
      );
      break;
    case 'SUSPENDUE':
      await step(
        staff.instructeur,
        {
          type: 'suspend',
          reasons: 'Signalements concordants sur la sécurité des données : audit en cours.',
        },
        60,
      );
      break;
    case 'DEREFERENCEE':
      await step(
        staff.decideur,
        { type: 'dereference', reasons: 'Le service n’est plus maintenu par l’éditeur.' },
        90,
      );
      break;
    case 'update': {
      later(30);
      const result = await declareVersion(deps, publisher.actor, view.id, view.rowVersion, {
        version: '2.0.0',
        major: true,
        rubriques: ['securite'],
        description: 'Nouvelle authentification des usagers et nouvel hébergeur.',
      });
      view = result.dossier;
      if (result.update) {
        let update = result.update;
        for (const kind of ['cgu', 'privacy']) {
          update = await addDocument(deps, publisher.actor, update.id, update.rowVersion, kind, {
            name: `${kind}-v2.pdf`,
            bytes: demoPdf([`${product.commercialName} 2.0 — ${kind}`]),
          });
        }
        later(2);
        update = await act(deps, publisher.actor, update.id, update.rowVersion, { type: 'submit' });
        later(5);
        await act(deps, staff.instructeur2, update.id, update.rowVersion, { type: 'declare_admissible' });
      }
      break;
    }
  }
  return view;
}

function accountOf(actor: Actor): string | null {
  return actor.kind === 'account' ? actor.accountId : null;
}

function demoDataExchange(name: string) {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return {
    presentation: `${name} aide les patients à suivre leur tension artérielle entre deux consultations.`,
    dataExchange: {
      justification:
        'Les mesures prises à domicile sont utiles au suivi du patient : les verser dans Mon espace santé les rend visibles de ses soignants.',
      access:
        'API Mesures de santé : écriture des mesures de tension, lecture des dernières mesures pour les courbes.',
      categories: [
        { code: 'pression-arterielle', read: true, write: true },
        { code: 'frequence-cardiaque', read: true, write: true },
      ],
      finalites: ['prevention'],
      retention: 'Les mesures sont conservées 12 mois après la dernière connexion, puis supprimées.',
      security:
        'Hébergement certifié HDS, chiffrement TLS 1.3 et au repos (AES-256), authentification forte des agents.',
      consentText: `J’autorise ${name} à lire et à ajouter mes mesures de tension artérielle et de fréquence cardiaque dans Mon espace santé, pour la prévention. Je peux retirer cette autorisation à tout moment.`,
      redirectUris: [`https://${slug}.demo.mesref.test/mes/retour`],
      jwksUri: `https://${slug}.demo.mesref.test/.well-known/jwks.json`,
      supportContact: `support@${slug}.demo.mesref.test`,
    },
  };
}

/**
 * The demo files: those of the main demo publisher's services (draft, in evaluation, information
 * requested, published) and those of the extra demo publishers (every other state). Idempotent: a service
 * that already has a file is left as it is.
 */
export async function seedDemoDossiers(
  deps: DossierDeps,
  main: DemoPublisher,
  extra: DemoPublisher[],
  staff: DemoStaff,
  /** A test citizen who reports a problem on the suspended demo service. */
  citizenId?: string,
  /** Checked before each file: a stopping worker does not wait for the whole demo. */
  signal?: AbortSignal,
): Promise<number> {
  let made = 0;
  await seedDemoAdminFile(deps.db, main.organisationId, 'validated');
  const mainProducts = await listProductsOf(deps.db, main.organisationId);
  // The service whose assessment the demo has started gets a draft; the others, ready, go further (a
  // service with data exchange stops at the connection tests).
  const aDeps = { db: deps.db, config: deps.config, referentials: deps.referentials };
  const onward: DemoFile[] = [];
  // Two more services of the main publisher, so that its mandataire sees a file online and one waiting for them.
  for (const extraFile of MAIN_PUBLISHER_FILES) {
    if (mainProducts.some((p) => p.commercialName === extraFile.name)) continue;
    mainProducts.push(await demoProduct(deps, main, extraFile));
  }
  for (const extraFile of MAIN_PUBLISHER_FILES) onward.push(extraFile);
  for (const product of mainProducts) {
    signal?.throwIfAborted();
    if (await hasFile(deps, product.id)) continue;
    const { assessments } = await listAssessments(aDeps, main.actor, product.id);
    let file: Pick<DemoFile, 'target' | 'startedDaysAgo'> | undefined;
    if (assessments.length > 0) file = { target: 'draft', startedDaysAgo: 3 };
    else {
      file = product.dataExchange
        ? { target: 'connection_tests', startedDaysAgo: 160 }
        : onward.find((f) => f.name === product.commercialName);
      if (!file) continue;
      await readyAssessment(deps, main.actor, product);
    }
    await walk(deps, main, staff, product, file);
    made++;
  }
  for (const [i, group] of DEMO_FILES.entries()) {
    const publisher = extra[i];
    if (!publisher) continue;
    await seedDemoAdminFile(deps.db, publisher.organisationId, 'validated');
    const existing = new Map(
      (await listProductsOf(deps.db, publisher.organisationId)).map((p) => [p.commercialName, p]),
    );
    for (const file of group.files) {
      signal?.throwIfAborted();
      let product = existing.get(file.name);
      if (product && (await hasFile(deps, product.id))) continue;
      product ??= await demoProduct(deps, publisher, file);
      await readyAssessment(deps, publisher.actor, product);
      const view = await walk(deps, publisher, staff, product, file);
      if (citizenId && file.target === 'SUSPENDUE')
        await seedDemoComplaint(deps.db, deps, view.id, citizenId);
      made++;
    }
  }
  return made;
}

/** The services of the main demo publisher that the demo adds for its files. */
const MAIN_PUBLISHER_FILES: DemoFile[] = [
  {
    name: 'Hydra Santé',
    description: 'Rappels d’hydratation et conseils en cas de fortes chaleurs.',
    target: 'EN_LIGNE',
    startedDaysAgo: 220,
  },
  {
    name: 'Carnet Migraine',
    description: 'Journal des crises de migraine et de leurs déclencheurs.',
    target: 'info_requested',
    startedDaysAgo: 40,
  },
];

function demoProduct(deps: DossierDeps, publisher: DemoPublisher, file: DemoFile): Promise<Product> {
  return createProduct({ db: deps.db, config: deps.config }, publisher.actor, publisher.organisationId, {
    commercialName: file.name,
    os: 'web',
    device: 'site-web',
    version: '1.0.0',
    description: file.description,
    urls: { web: `https://${file.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.demo.mesref.test` },
    thematics: ['prevention'],
    regions: [],
    audience: ['tout-public'],
    economicModel: 'gratuit',
    medicalDevice: false,
    medicalDeviceClass: '',
    dataExchange: file.dataExchange ?? false,
  });
}

async function hasFile(deps: DossierDeps, productId: string): Promise<boolean> {
  return (await dossiersOfProduct(deps.db, productId)).length > 0;
}
