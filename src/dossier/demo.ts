/**
 * Demo referencing files of the sandbox, in every state, made through the same use cases as people's
 * (create, submit, each step of the instruction) with the clock set back, so the dashboard, its deadlines
 * and medians, and the publishers' timelines are alive on first start, and the public catalogue has a dozen
 * services online (logos, descriptions, thematics, regions, platforms, official écoscores, data exchange).
 * A demo service with data exchange goes online through the real gate: a connection-test report signed by
 * this sandbox and filed like any other (see `fileDemoTestReport`); one stays at the connection tests.
 */

import type { CriterionAnswer } from '../assessment/index.ts';
import {
  createAssessment,
  evaluateAssessment,
  importAnswers,
  listAssessments,
  visibleQuestionIds,
} from '../assessment/index.ts';
import { signTestReport } from '../conformance/index.ts';
import { recordOfficial } from '../ecoscore/index.ts';
import type { Actor } from '../identity/index.ts';
import {
  addProductImage,
  createProduct,
  type DemoGlyph,
  demoServiceLogo,
  listProductsOf,
  type Product,
  type ProductInput,
} from '../product/index.ts';
import type { OrientationAnswers, ReferentialVersion } from '../referential/index.ts';
import { demoPdf, seedDemoAdminFile } from './admin-file-service.ts';
import { seedDemoComplaint } from './complaint-service.ts';
import { type DossierAction, requiredTestPlans } from './model.ts';
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
  recordTestReport,
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

/** What a demo service with data exchange declares, and what its convention then allows. */
interface DemoExchange {
  /** Data categories of the referential, and whether the service reads and/or writes each. */
  categories: Array<{ code: string; read: boolean; write: boolean }>;
  /** Finalités of the referential. */
  finalites: string[];
  presentation: string;
  justification: string;
  access: string;
  /** The R.1111-39 text the citizen reads on the consent page. */
  consentText: string;
}

interface DemoFile {
  name: string;
  description: string;
  dataExchange?: boolean;
  target: Target;
  /** How many days ago the request was created. */
  startedDaysAgo: number;
  /** The service's fields beyond the defaults (a website, prevention, everyone, free, the whole country). */
  product?: Partial<Omit<ProductInput, 'commercialName' | 'description' | 'dataExchange'>>;
  logo?: { colour: [number, number, number]; glyph: DemoGlyph };
  /** With data exchange: what it exchanges (blood pressure and heart rate when not said). */
  exchange?: DemoExchange;
  /** The official écoscore its publisher records once the service is online. */
  ecoscore?: { score: number; journeyName: string };
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
      {
        name: 'Glyco Carnet',
        description:
          'Carnet de glycémie pour les personnes vivant avec un diabète de type 1 ou de type 2. ' +
          'Les glycémies, les repas et les doses d’insuline se notent en quelques gestes ; les tendances de la semaine et les hypoglycémies ressortent en couleur et en texte. ' +
          'Avec l’accord de l’usager, les glycémies, l’hémoglobine glyquée et le poids sont partagés avec Mon espace santé pour préparer la consultation.',
        dataExchange: true,
        target: 'EN_LIGNE',
        startedDaysAgo: 250,
        product: {
          os: 'multi',
          device: 'mobile',
          version: '2.3.1',
          urls: {
            ios: 'https://glyco-carnet.example/app/ios',
            android: 'https://glyco-carnet.example/app/android',
            cgu: 'https://glyco-carnet.example/cgu',
            privacy: 'https://glyco-carnet.example/confidentialite',
          },
          thematics: ['maladies-chroniques', 'suivi-de-mesures', 'nutrition'],
          audience: ['patients-chroniques', 'parents'],
          economicModel: 'gratuit-achats-integres',
          medicalDevice: true,
          medicalDeviceClass: 'I',
        },
        logo: { colour: [176, 0, 32], glyph: 'ring' },
        exchange: {
          categories: [
            { code: 'glycemie', read: true, write: true },
            { code: 'hba1c', read: true, write: false },
            { code: 'poids', read: true, write: true },
          ],
          finalites: ['soins', 'prevention'],
          presentation:
            'Glyco Carnet aide les personnes diabétiques à tenir leur carnet de glycémie et à le partager avec leurs soignants.',
          justification:
            'Les glycémies notées à domicile et le poids sont utiles au suivi du diabète : les verser dans Mon espace santé les rend visibles des soignants de l’usager ; l’hémoglobine glyquée du laboratoire complète les courbes.',
          access:
            'API Mesures de santé : écriture des glycémies et du poids, lecture des glycémies, du poids et de l’hémoglobine glyquée.',
          consentText:
            'J’autorise Glyco Carnet à ajouter mes glycémies et mon poids dans Mon espace santé, et à y lire ces mesures ainsi que mon hémoglobine glyquée, pour mes soins et la prévention des complications. Je peux retirer cette autorisation à tout moment.',
        },
      },
      {
        name: 'Rythme Cœur',
        description:
          'Programme de réadaptation cardiaque à domicile après un infarctus ou une chirurgie du cœur. ' +
          'Des séances d’exercices progressives, validées par des cardiologues et des kinésithérapeutes, s’adaptent à l’essoufflement ressenti. ' +
          'Proposé avec les centres de réadaptation partenaires d’Auvergne-Rhône-Alpes et de Provence-Alpes-Côte d’Azur.',
        target: 'EN_LIGNE',
        startedDaysAgo: 280,
        product: {
          version: '1.8.0',
          urls: {
            web: 'https://rythme-coeur.example',
            cgu: 'https://rythme-coeur.example/cgu',
            privacy: 'https://rythme-coeur.example/confidentialite',
          },
          thematics: ['maladies-chroniques', 'activite-physique'],
          regions: ['84', '93'],
          audience: ['patients-chroniques', 'seniors'],
          economicModel: 'payant',
        },
        logo: { colour: [206, 5, 0], glyph: 'heart' },
        ecoscore: { score: 55, journeyName: 'Connexion, séance du jour, questionnaire d’essoufflement' },
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
      {
        name: 'Bouge Ensemble',
        description:
          'Défis de marche entre amis, en famille ou entre collègues, pour atteindre chaque jour un nombre de pas adapté à sa forme. ' +
          'Le podomètre du téléphone compte les pas ; des parcours près de chez soi et des conseils d’activité physique accompagnent la progression. ' +
          'Avec l’accord de l’usager, le nombre de pas et le poids sont partagés avec Mon espace santé.',
        dataExchange: true,
        target: 'EN_LIGNE',
        startedDaysAgo: 240,
        product: {
          os: 'multi',
          device: 'mobile',
          version: '4.0.2',
          urls: {
            ios: 'https://bouge-ensemble.example/app/ios',
            android: 'https://bouge-ensemble.example/app/android',
            cgu: 'https://bouge-ensemble.example/cgu',
            privacy: 'https://bouge-ensemble.example/confidentialite',
          },
          thematics: ['activite-physique', 'prevention'],
          audience: ['tout-public', 'seniors'],
        },
        logo: { colour: [214, 110, 0], glyph: 'steps' },
        exchange: {
          categories: [
            { code: 'pas', read: true, write: true },
            { code: 'poids', read: true, write: true },
          ],
          finalites: ['prevention', 'soins'],
          presentation: 'Bouge Ensemble encourage la marche au quotidien par des défis collectifs.',
          justification:
            'Le nombre de pas et le poids, suivis dans le temps, éclairent le médecin traitant sur l’activité physique de son patient et la prévention du surpoids.',
          access:
            'API Mesures de santé : écriture du nombre de pas quotidien et du poids, lecture du poids déjà enregistré.',
          consentText:
            'J’autorise Bouge Ensemble à ajouter mon nombre de pas quotidien et mon poids dans Mon espace santé, et à y lire mon poids, pour la prévention et, si je le choisis, pour mes soins. Je peux retirer cette autorisation à tout moment.',
        },
        ecoscore: { score: 77, journeyName: 'Accueil, défi du jour, historique des pas' },
      },
      {
        name: 'Sommeil Serein',
        description:
          'Programme en six semaines pour mieux dormir, fondé sur les thérapies cognitives et comportementales de l’insomnie. ' +
          'Un agenda du sommeil, des exercices de relaxation audio et des conseils personnalisés aident à retrouver un rythme régulier. ' +
          'Le programme ne remplace pas l’avis d’un médecin en cas de trouble persistant.',
        target: 'EN_LIGNE',
        startedDaysAgo: 200,
        product: {
          os: 'ios',
          device: 'mobile',
          version: '2.1.0',
          urls: {
            ios: 'https://sommeil-serein.example/app/ios',
            cgu: 'https://sommeil-serein.example/cgu',
            privacy: 'https://sommeil-serein.example/confidentialite',
          },
          thematics: ['sommeil', 'sante-mentale'],
          audience: ['tout-public'],
          economicModel: 'gratuit-achats-integres',
        },
        logo: { colour: [105, 56, 160], glyph: 'moon' },
        ecoscore: { score: 84, journeyName: 'Agenda du sommeil, exercice de relaxation' },
      },
      {
        name: 'Croissance Junior',
        description:
          'Carnet de croissance de l’enfant, de la naissance à l’adolescence : poids, taille et courbes de référence. ' +
          'Les parents notent les mesures prises à la maison ou chez le médecin et retrouvent les documents utiles au suivi. ' +
          'Avec l’accord d’un représentant légal, les mesures sont versées dans l’espace santé de l’enfant.',
        dataExchange: true,
        target: 'EN_LIGNE',
        startedDaysAgo: 230,
        product: {
          os: 'multi',
          device: 'mobile',
          version: '1.6.0',
          urls: {
            web: 'https://croissance-junior.example',
            ios: 'https://croissance-junior.example/app/ios',
            android: 'https://croissance-junior.example/app/android',
            cgu: 'https://croissance-junior.example/cgu',
            privacy: 'https://croissance-junior.example/confidentialite',
          },
          thematics: ['grossesse-parentalite', 'suivi-de-mesures', 'prevention'],
          audience: ['parents', 'enfants-adolescents'],
        },
        logo: { colour: [0, 128, 96], glyph: 'plus' },
        exchange: {
          categories: [
            { code: 'poids', read: true, write: true },
            { code: 'taille', read: true, write: true },
            { code: 'documents', read: true, write: false },
          ],
          finalites: ['prevention', 'soins'],
          presentation:
            'Croissance Junior aide les parents à suivre la croissance de leur enfant entre les consultations.',
          justification:
            'Le poids et la taille de l’enfant, suivis sur ses courbes, sont utiles à son médecin ; lire ses documents de santé évite de les ressaisir.',
          access:
            'API Mesures de santé : écriture et lecture du poids et de la taille ; API Documents : lecture des documents de santé.',
          consentText:
            'J’autorise Croissance Junior à ajouter le poids et la taille de l’enfant dans son espace santé et à les y lire, ainsi que ses documents de santé, pour la prévention et ses soins. Je peux retirer cette autorisation à tout moment.',
        },
      },
      {
        name: 'Écoute Ados',
        description:
          'Un espace d’écoute et d’information pour les 12-18 ans sur le stress, le harcèlement, les écrans et les consommations. ' +
          'Des articles relus par des psychologues, des quiz et un annuaire des lieux d’écoute gratuits près de chez soi. ' +
          'Aucune inscription n’est demandée.',
        target: 'EN_LIGNE',
        startedDaysAgo: 190,
        product: {
          version: '3.0.0',
          urls: {
            web: 'https://ecoute-ados.example',
            cgu: 'https://ecoute-ados.example/cgu',
            privacy: 'https://ecoute-ados.example/confidentialite',
          },
          thematics: ['sante-mentale', 'addictions', 'prevention'],
          audience: ['enfants-adolescents', 'parents'],
        },
        logo: { colour: [90, 130, 20], glyph: 'bubble' },
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
        description:
          'Suivi de grossesse semaine après semaine, puis des premiers mois du bébé. ' +
          'Le calendrier des examens et des échographies, des fiches relues par des sages-femmes et un journal des tétées et du sommeil du nourrisson. ' +
          'Les maternités partenaires de Bretagne y publient leurs réunions d’information.',
        target: 'update',
        startedDaysAgo: 260,
        product: {
          version: '1.0.0',
          urls: {
            web: 'https://maman-bebe.example',
            ios: 'https://maman-bebe.example/app/ios',
            cgu: 'https://maman-bebe.example/cgu',
            privacy: 'https://maman-bebe.example/confidentialite',
          },
          thematics: ['grossesse-parentalite', 'prevention'],
          regions: ['53'],
          audience: ['femmes-enceintes', 'parents'],
        },
        logo: { colour: [186, 50, 120], glyph: 'heart' },
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
      {
        name: 'Doc Santé Ouest',
        description:
          'Classeur numérique des documents de santé pour les habitants de Bretagne et des Pays de la Loire. ' +
          'Ordonnances, comptes rendus et résultats d’analyses se rangent par spécialité et se retrouvent en un instant avant un rendez-vous. ' +
          'Avec l’accord de l’usager, les documents sont échangés avec Mon espace santé ; un aidant peut être invité à consulter le classeur.',
        dataExchange: true,
        target: 'EN_LIGNE',
        startedDaysAgo: 270,
        product: {
          version: '2.0.4',
          urls: {
            web: 'https://doc-sante-ouest.example',
            cgu: 'https://doc-sante-ouest.example/cgu',
            privacy: 'https://doc-sante-ouest.example/confidentialite',
          },
          thematics: ['documents-de-sante', 'rendez-vous-teleconsultation'],
          regions: ['53', '52'],
          audience: ['tout-public', 'aidants'],
        },
        logo: { colour: [0, 120, 140], glyph: 'document' },
        exchange: {
          categories: [{ code: 'documents', read: true, write: true }],
          finalites: ['soins', 'suivi-social-medico-social'],
          presentation:
            'Doc Santé Ouest range les documents de santé des usagers et les partage avec leurs soignants.',
          justification:
            'Les documents réunis par l’usager (ordonnances, comptes rendus) sont utiles à ses soignants et aux professionnels qui l’accompagnent : les verser dans Mon espace santé évite les pertes et les doublons.',
          access: 'API Documents : dépôt des documents choisis par l’usager et lecture de ses documents.',
          consentText:
            'J’autorise Doc Santé Ouest à déposer dans Mon espace santé les documents que je choisis et à lire mes documents de santé, pour mes soins et mon accompagnement social et médico-social. Je peux retirer cette autorisation à tout moment.',
        },
      },
      {
        name: 'Relais Aidants',
        description:
          'Pour les proches aidants de Bretagne : un agenda partagé des soins et des visites, des fiches pratiques sur les aides et les droits, et la carte des plateformes de répit. ' +
          'Plusieurs aidants d’une même personne se coordonnent sans s’échanger de messages à toute heure.',
        target: 'EN_LIGNE',
        startedDaysAgo: 210,
        product: {
          version: '1.2.0',
          urls: {
            web: 'https://relais-aidants.example',
            android: 'https://relais-aidants.example/app/android',
            cgu: 'https://relais-aidants.example/cgu',
            privacy: 'https://relais-aidants.example/confidentialite',
          },
          thematics: ['autonomie-handicap'],
          regions: ['53'],
          audience: ['aidants', 'seniors', 'personnes-handicap'],
        },
        logo: { colour: [0, 99, 203], glyph: 'house' },
        ecoscore: { score: 88, journeyName: 'Agenda partagé, fiche pratique' },
      },
      {
        name: 'Pilulier Clair',
        description:
          'Un pilulier sur tablette pensé pour les personnes âgées : de grands boutons, une alarme à l’heure de chaque prise et la photo de chaque boîte. ' +
          'Un proche aidant peut être prévenu d’une prise oubliée. ' +
          'Dispositif médical de classe I.',
        target: 'EN_LIGNE',
        startedDaysAgo: 290,
        product: {
          os: 'android',
          device: 'tablette',
          version: '5.1.0',
          urls: {
            android: 'https://pilulier-clair.example/app/android',
            cgu: 'https://pilulier-clair.example/cgu',
            privacy: 'https://pilulier-clair.example/confidentialite',
          },
          thematics: ['medicaments', 'autonomie-handicap'],
          audience: ['seniors', 'aidants', 'patients-chroniques'],
          economicModel: 'payant',
          medicalDevice: true,
          medicalDeviceClass: 'I',
        },
        logo: { colour: [50, 50, 120], glyph: 'pill' },
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
  file: Pick<DemoFile, 'target' | 'startedDaysAgo' | 'exchange'>,
): Promise<DossierView> {
  const exchange = product.dataExchange ? demoExchange(product.commercialName, file.exchange) : undefined;
  let at = Date.now() - file.startedDaysAgo * DAY;
  const deps: DossierDeps = { ...base, now: () => new Date(at) };
  const later = (days: number) => {
    at = Math.min(at + days * DAY, Date.now() - 3600_000);
  };
  let view = await createDossier(deps, publisher.actor, { productId: product.id });
  if (file.target === 'draft') return view;
  if (exchange) view = await updateRequest(deps, publisher.actor, view.id, view.rowVersion, exchange.request);
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
      finalites: exchange?.finalites ?? [],
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
        categories: exchange?.categories ?? [],
        finalites: exchange?.finalites ?? [],
        durationMonths: 12,
        withdrawalTerms:
          'Retrait du référencement sur décision motivée, après une procédure contradictoire de quinze jours.',
        signedOn: new Date(at + 12 * DAY).toISOString().slice(0, 10),
      },
    },
    12,
  );
  if (file.target === 'convention_signed' || file.target === 'connection_tests') return view;
  // With data exchange, the file waits for a passing connection-test report.
  if (view.state === 'connection_tests') {
    later(9);
    view = await fileDemoTestReport(deps, publisher, view, at);
  }
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

/** A name as a host name label: « Écoute Ados » → `ecoute-ados`. */
function slugOf(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * The request's data-exchange declaration of a demo service (blood pressure and heart rate when its file
 * says nothing else), with what its convention then allows.
 */
function demoExchange(name: string, spec?: DemoExchange) {
  const slug = slugOf(name);
  const categories = spec?.categories ?? [
    { code: 'pression-arterielle', read: true, write: true },
    { code: 'frequence-cardiaque', read: true, write: true },
  ];
  const finalites = spec?.finalites ?? ['prevention'];
  return {
    categories,
    finalites,
    request: {
      presentation:
        spec?.presentation ??
        `${name} aide les patients à suivre leur tension artérielle entre deux consultations.`,
      dataExchange: {
        justification:
          spec?.justification ??
          'Les mesures prises à domicile sont utiles au suivi du patient : les verser dans Mon espace santé les rend visibles de ses soignants.',
        access:
          spec?.access ??
          'API Mesures de santé : écriture des mesures de tension, lecture des dernières mesures pour les courbes.',
        categories,
        finalites,
        retention: 'Les données sont conservées 12 mois après la dernière connexion, puis supprimées.',
        security:
          'Hébergement certifié HDS, chiffrement TLS 1.3 et au repos (AES-256), authentification forte des agents.',
        consentText:
          spec?.consentText ??
          `J’autorise ${name} à lire et à ajouter mes mesures de tension artérielle et de fréquence cardiaque dans Mon espace santé, pour la prévention. Je peux retirer cette autorisation à tout moment.`,
        redirectUris: [`https://${slug}.example/mes/retour`],
        jwksUri: `https://${slug}.example/.well-known/jwks.json`,
        supportContact: `support@${slug}.example`,
      },
    },
  };
}

/**
 * Files a passing connection-test report for a demo service, so that it can be published through the same
 * gate as any other. This report is made by the demo, not by a test session: no test client ran against the
 * demo service (its addresses are example domains). It is signed with this sandbox's key, dated at the demo's
 * clock, and names the plans that the convention's data categories require; `recordTestReport` checks it
 * like any report a publisher brings.
 */
async function fileDemoTestReport(
  deps: DossierDeps,
  publisher: DemoPublisher,
  view: DossierView,
  at: number,
): Promise<DossierView> {
  const jws = await passingTestReport(deps, view, at);
  return recordTestReport(deps, publisher.actor, view.id, view.rowVersion, jws);
}

/**
 * A connection-test report saying that every plan the file's data categories require passed, signed with this
 * deployment's key and dated `at`: the demo's (above) and the tests' way through the publication gate.
 */
export async function passingTestReport(
  deps: Pick<DossierDeps, 'db' | 'keys' | 'config'>,
  view: Pick<DossierView, 'id' | 'convention' | 'request'>,
  at: number = Date.now(),
): Promise<string> {
  const row = await deps.db
    .selectFrom('dossiers')
    .innerJoin('organisations', 'organisations.id', 'dossiers.organisation_id')
    .innerJoin('products', 'products.id', 'dossiers.product_id')
    .select(['organisations.siren', 'products.commercial_name'])
    .where('dossiers.id', '=', view.id)
    .executeTakeFirstOrThrow();
  const categories = (view.convention?.categories ?? view.request.dataExchange?.categories ?? []) as Array<{
    code: string;
  }>;
  return signTestReport(deps.keys, {
    iss: deps.config.publicUrl,
    iat: Math.floor(at / 1000),
    subject: { siren: row.siren, productName: row.commercial_name },
    plans: requiredTestPlans(categories).map((id) => ({ id, status: 'passed' as const })),
    passed: true,
  });
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
  // The service whose assessment the demo has started gets a draft; the others, ready, go further (Hydra
  // Santé and Tensio Suivi online, Carnet Migraine waiting for its publisher's answer).
  const aDeps = { db: deps.db, config: deps.config, referentials: deps.referentials };
  const onward: DemoFile[] = [];
  // Two more services of the main publisher, so that its mandataire sees files online and one waiting for them.
  for (const extraFile of MAIN_PUBLISHER_FILES) {
    if (mainProducts.some((p) => p.commercialName === extraFile.name)) continue;
    mainProducts.push(await demoProduct(deps, main, extraFile));
  }
  for (const extraFile of MAIN_PUBLISHER_FILES) onward.push(extraFile);
  for (const product of mainProducts) {
    signal?.throwIfAborted();
    if (await hasFile(deps, product.id)) continue;
    const { assessments } = await listAssessments(aDeps, main.actor, product.id);
    let file: Pick<DemoFile, 'target' | 'startedDaysAgo' | 'exchange' | 'ecoscore'> | undefined;
    if (assessments.length > 0) file = { target: 'draft', startedDaysAgo: 3 };
    else {
      file =
        onward.find((f) => f.name === product.commercialName) ??
        (product.dataExchange ? { target: 'connection_tests', startedDaysAgo: 160 } : undefined);
      if (!file) continue;
      await readyAssessment(deps, main.actor, product);
    }
    await walk(deps, main, staff, product, file);
    await recordDemoEcoscore(deps, main, product, file);
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
      await recordDemoEcoscore(deps, publisher, product, file);
      if (citizenId && file.target === 'SUSPENDUE')
        await seedDemoComplaint(deps.db, deps, view.id, citizenId);
      made++;
    }
  }
  return made;
}

/**
 * The files of the main demo publisher's services: those the demo adds (by name), and the file of its
 * service with data exchange (« Tensio Suivi », made by the product module's demo), which goes online.
 */
const MAIN_PUBLISHER_FILES: DemoFile[] = [
  {
    name: 'Hydra Santé',
    description:
      'Rappels d’hydratation au fil de la journée, adaptés à l’âge, à l’activité et à la météo. ' +
      'En cas d’alerte canicule dans le département, le service envoie des conseils pour se protéger de la chaleur et prévient, si on le souhaite, un proche. ' +
      'Pensé pour les personnes âgées et leurs aidants, il se lit aussi en gros caractères.',
    target: 'EN_LIGNE',
    startedDaysAgo: 220,
    product: {
      version: '2.4.0',
      urls: {
        web: 'https://hydra-sante.example',
        android: 'https://hydra-sante.example/app/android',
        cgu: 'https://hydra-sante.example/cgu',
        privacy: 'https://hydra-sante.example/confidentialite',
      },
      thematics: ['prevention', 'nutrition'],
      audience: ['seniors', 'aidants', 'tout-public'],
    },
    logo: { colour: [0, 145, 210], glyph: 'drop' },
    ecoscore: { score: 81, journeyName: 'Accueil, rappel du jour, conseils canicule' },
  },
  {
    name: 'Tensio Suivi',
    description: 'Carnet de tension artérielle et de fréquence cardiaque.',
    dataExchange: true,
    target: 'EN_LIGNE',
    startedDaysAgo: 170,
    exchange: {
      categories: [
        { code: 'pression-arterielle', read: true, write: true },
        { code: 'frequence-cardiaque', read: true, write: true },
        { code: 'poids', read: true, write: true },
      ],
      finalites: ['prevention', 'soins'],
      presentation:
        'Tensio Suivi aide les personnes hypertendues à suivre leur tension artérielle entre deux consultations.',
      justification:
        'Les mesures de tension prises à domicile (automesure) et le poids sont utiles au suivi de l’hypertension : les verser dans Mon espace santé les rend visibles du médecin traitant et du cardiologue.',
      access:
        'API Mesures de santé : écriture et lecture de la tension artérielle, de la fréquence cardiaque et du poids.',
      consentText:
        'J’autorise Tensio Suivi à ajouter ma tension artérielle, ma fréquence cardiaque et mon poids dans Mon espace santé et à y lire ces mesures, pour la prévention et mes soins. Je peux retirer cette autorisation à tout moment.',
    },
    ecoscore: { score: 62, journeyName: 'Connexion, saisie d’une mesure, courbe du mois' },
  },
  {
    name: 'Carnet Migraine',
    description: 'Journal des crises de migraine et de leurs déclencheurs.',
    target: 'info_requested',
    startedDaysAgo: 40,
  },
];

/** Creates a demo service as its publisher's mandataire, with its logo when the file has one. */
async function demoProduct(deps: DossierDeps, publisher: DemoPublisher, file: DemoFile): Promise<Product> {
  const pDeps = { db: deps.db, config: deps.config };
  const product = await createProduct(pDeps, publisher.actor, publisher.organisationId, {
    os: 'web',
    device: 'site-web',
    version: '1.0.0',
    urls: { web: `https://${slugOf(file.name)}.example` },
    thematics: ['prevention'],
    regions: [],
    audience: ['tout-public'],
    economicModel: 'gratuit',
    medicalDevice: false,
    medicalDeviceClass: '',
    ...file.product,
    commercialName: file.name,
    description: file.description,
    dataExchange: file.dataExchange ?? false,
  });
  if (!file.logo) return product;
  await addProductImage(pDeps, publisher.actor, product.id, {
    kind: 'logo',
    bytes: demoServiceLogo(file.logo.colour, file.logo.glyph),
  });
  return { ...product, hasLogo: true };
}

/**
 * The official écoscore the publisher of a demo service online records (score, date, journey, a link to the
 * report), as the publisher would on the écoscore page: the catalogue shows it.
 */
async function recordDemoEcoscore(
  deps: DossierDeps,
  publisher: DemoPublisher,
  product: Product,
  file: Pick<DemoFile, 'target' | 'startedDaysAgo' | 'ecoscore'>,
): Promise<void> {
  if (!file.ecoscore || file.target !== 'EN_LIGNE') return;
  const measuredOn = new Date(Date.now() - Math.max(1, file.startedDaysAgo - 30) * DAY);
  await recordOfficial(
    { db: deps.db, config: deps.config, referentials: deps.referentials },
    publisher.actor,
    product.id,
    {
      score: file.ecoscore.score,
      measuredOn: measuredOn.toISOString().slice(0, 10),
      journeyName: file.ecoscore.journeyName,
      reportUrl: `https://${slugOf(product.commercialName)}.example/ecoscore/rapport.pdf`,
    },
  );
}

async function hasFile(deps: DossierDeps, productId: string): Promise<boolean> {
  return (await dossiersOfProduct(deps.db, productId)).length > 0;
}
