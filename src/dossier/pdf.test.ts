// mesref-test: no-database (runs once, not once per database lane)
/**
 * The two PDFs of a referencing file, from a view built by hand: what each says (read back through the fonts'
 * ToUnicode maps, accents included), their metadata, page numbers, and that a fixed date gives the same bytes.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { flat, pdfInfo, pdfText } from '../../test/pdf-text.ts';
import type { AssessmentReport } from '../assessment/index.ts';
import { type Locale, mergeCatalogs, translator } from '../platform/i18n.ts';
import { dossierMessages } from './messages.ts';
import { opinionLetterPdf, requestSummaryPdf } from './pdf.ts';
import { dossierPdfMessages } from './pdf-messages.ts';
import { loadProcess } from './process.ts';
import type { DossierView } from './service.ts';

const catalog = mergeCatalogs(dossierMessages, dossierPdfMessages);
const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
const t = (locale: Locale) => translator(catalog, locale);
const process = loadProcess();
const SHA_CGU = `${'a1'.repeat(16)}${'b2'.repeat(16)}`;
const SHA_EVIDENCE = 'c3'.repeat(32);
const GENERATED = new Date('2026-03-20T10:15:00Z');

const referential = {
  finalites: [
    { code: 'prevention', title: { fr: 'Prévention', en: 'Prevention' } },
    { code: 'soins', title: { fr: 'Soins', en: 'Care' } },
  ],
  dataCategories: [
    { code: 'poids', kind: 'measure' as const, title: { fr: 'Poids', en: 'Weight' } },
    {
      code: 'pression-arterielle',
      kind: 'measure' as const,
      title: { fr: 'Pression artérielle', en: 'Blood pressure' },
    },
  ],
};

const report: AssessmentReport = {
  format: 'mesref-assessment-report',
  formatVersion: 1,
  locale: 'fr',
  generatedAt: '2026-03-12T09:00:00.000Z',
  version: {
    id: '2023-v2',
    title: 'Référentiel de référencement v2 (démonstration)',
    status: 'demonstration',
    legalSource: { text: 'Arrêté', date: '2023-01-01' },
  },
  subject: {
    displayName: 'Suivi Tension iOS Mobile',
    version: '2.4.1',
    organisationName: 'Œnologie & Santé SAS',
  },
  ready: true,
  counts: {
    applicable: 3,
    mandatory: 2,
    answered: 3,
    ready: 3,
    blocking: 0,
    gaps: 0,
    notApplicable: 1,
    missingQuestions: 0,
  },
  byRubrique: [],
  criteria: [
    {
      id: 'URB 01',
      rubrique: 'urbanisation',
      theme: 'hebergement',
      level: 'obligatoire',
      title: 'Hébergement certifié HDS',
      requirement: '…',
      source: '…',
      appliesBecause: '…',
      state: 'ready',
      blocking: false,
      status: 'conforme',
      justification: 'Hébergé chez un hébergeur certifié œuvrant en France',
      evidence: [{ kind: 'file', name: 'certificat-hds.pdf', size: 123_456, sha256: SHA_EVIDENCE }],
      targetDate: null,
    },
    {
      id: 'ETH 32',
      rubrique: 'ethique',
      theme: 'ecoconception',
      level: 'optionnel',
      title: 'Évaluation par l’écoscore',
      requirement: '…',
      source: '…',
      appliesBecause: '…',
      state: 'ready',
      blocking: false,
      status: 'non-applicable',
      justification: 'Service sans interface web mesurable',
      evidence: [],
      targetDate: null,
    },
    {
      id: 'SEC 02',
      rubrique: 'securite',
      theme: 'acces',
      level: 'obligatoire',
      title: 'Authentification forte',
      requirement: '…',
      source: '…',
      appliesBecause: '…',
      state: 'ready',
      blocking: false,
      status: 'conforme',
      justification: null,
      evidence: [],
      targetDate: null,
    },
  ],
  plan: [],
  notApplicable: [],
  missingQuestions: [],
} as unknown as AssessmentReport;

function document(
  kind: string,
  name: string,
  size: number,
  sha256: string,
  criterionId: string | null = null,
) {
  return {
    id: `00000000-0000-4000-8000-${String(Math.floor(size)).padStart(12, '0')}`,
    kind,
    criterionId,
    infoRequestId: null,
    name,
    mediaType: 'application/pdf',
    size,
    sha256,
    uploadedAt: new Date('2026-03-10T08:00:00Z'),
  };
}

/** A filed request with data exchange, its evidence frozen, and the commission's opinion with two reservations. */
function view(overrides: Partial<DossierView> = {}): DossierView {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    number: 'MES-2026-000042',
    kind: 'initial',
    parentId: null,
    organisation: {
      id: '22222222-2222-4222-8222-222222222222',
      legalName: 'Œnologie & Santé SAS',
      siren: '552100554',
    },
    product: {
      id: '33333333-3333-4333-8333-333333333333',
      organisationId: '22222222-2222-4222-8222-222222222222',
      commercialName: 'Suivi Tension',
      displayName: 'Suivi Tension iOS Mobile',
      version: '2.5.0',
      dataExchange: true,
    } as DossierView['product'],
    productVersion: '2.4.1',
    typology: 'avec-echange',
    referentialVersion: '2023-v2',
    assessmentId: null,
    state: 'opinion_given',
    stateSince: new Date('2026-03-12T09:00:00Z'),
    catalogueStatus: null,
    request: {
      presentation: 'Un carnet de tension partagé avec le médecin traitant.',
      dataExchange: {
        justification: 'Le suivi de la tension artérielle nécessite les mesures déjà saisies par l’usager.',
        access: 'API Mesures de Mon espace santé, avec le consentement de l’usager.',
        categories: [
          { code: 'pression-arterielle', read: true, write: true },
          { code: 'poids', read: true, write: false },
        ],
        finalites: ['prevention', 'soins'],
        retention: 'Deux ans après la dernière connexion.',
        security: 'Chiffrement au repos et en transit ; hébergement HDS.',
        consentText: 'J’accepte que Suivi Tension lise mes mesures de tension.',
        redirectUris: ['https://suivi-tension.example/callback'],
        jwksUri: 'https://suivi-tension.example/jwks.json',
        supportContact: 'support@suivi-tension.example',
      },
    },
    snapshot: {
      frozenAt: '2026-03-12T09:00:00.000Z',
      assessment: report,
      ecoscore: {
        official: { score: 72, measuredOn: '2026-02-01', journeyName: 'Découverte' },
        latestRun: { score: 68, finishedAt: '2026-02-20T10:00:00.000Z' },
        gap: 4,
      },
    },
    touchedCriteria: null,
    opinion: {
      kind: 'FAVORABLE_RESERVES_SUSPENSIVES',
      reasons:
        'Le service répond aux exigences, sous réserve de la mise à jour de sa politique de confidentialité.',
      sitting: process.commission.seats
        .slice(0, 4)
        .map((s) => ({ id: s.id, role: s.role, holder: s.holder })),
      finalites: ['prevention'],
      at: '2026-03-12T09:00:00.000Z',
      by: null,
    },
    reservations: [
      {
        id: 'R1',
        text: 'Publier la politique de confidentialité mise à jour.',
        suspensive: true,
        liftedAt: '2026-03-14T10:00:00.000Z',
        liftedBy: 'instructeur',
      },
      { id: 'R2', text: 'Fournir le rapport de test d’intrusion.', suspensive: true },
    ],
    decision: null,
    convention: null,
    phaseDueAt: null,
    paused: false,
    overdue: false,
    expectedFrom: 'decideur',
    assignedTo: null,
    oid: null,
    referencedUntil: null,
    renewalRequested: false,
    updateDueAt: null,
    submittedAt: new Date('2026-03-01T09:00:00Z'),
    publishedAt: null,
    rowVersion: 7,
    createdAt: new Date('2026-02-25T09:00:00Z'),
    updatedAt: new Date('2026-03-14T10:00:00Z'),
    documents: [
      document('cgu', 'cgu-suivi-tension.pdf', 123_456, SHA_CGU),
      document('privacy', 'confidentialite.pdf', 2_048, 'd4'.repeat(32)),
      document('dpia', 'aipd.pdf', 900, 'e5'.repeat(32)),
      document('evidence', 'certificat-hds.pdf', 123_457, SHA_EVIDENCE, 'URB 01'),
      // Added after the filing: not part of the request as filed.
      document('info_answer', 'reponse-complements.pdf', 5_000, 'f6'.repeat(32)),
    ],
    infoRequests: [],
    testReports: [],
    requestProblems: {},
    roles: ['instructeur'],
    actions: [],
    mayEditRequest: false,
    mayRecordVerdicts: false,
    ...overrides,
  };
}

/** Asserts every phrase is in the text (white space compared loosely: lines wrap). */
function assertSays(text: string, phrases: string[]): void {
  const haystack = flat(text);
  for (const phrase of phrases)
    assert.ok(haystack.includes(flat(phrase)), `« ${phrase} » is not in the PDF's text:\n${haystack}`);
}

/** No message key was left untranslated (the translator shows a missing key as itself). */
function assertNoKeys(text: string): void {
  assert.doesNotMatch(text, /dossier\.[a-z_]+\./);
}

describe('the request summary PDF', () => {
  it('is a PDF with its title, author, language, page numbers and footer', async () => {
    const pdf = await requestSummaryPdf(view(), t('fr'), 'fr', { generatedAt: GENERATED, referential });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const info = pdfInfo(pdf);
    assert.equal(info.Title, 'Récapitulatif de la demande MES-2026-000042 — Suivi Tension iOS Mobile');
    assert.equal(info.Author, 'mesref');
    assert.match(pdf.toString('latin1'), /\/Lang \(fr-FR\)/);
    const text = flat(pdfText(pdf));
    const pages = Number(/Page 1 sur (\d+) — MES-2026-000042/.exec(text)?.[1]);
    assert.ok(pages >= 2, text);
    assert.ok(text.includes(`Page ${pages} sur ${pages} — MES-2026-000042`));
    assertSays(text, [
      'Document généré par mesref le 20 mars 2026 à 11:15 — reflète la demande telle que déposée (figée au dépôt)',
    ]);
    assertNoKeys(text);
  });

  it('gives the identity, the declaration, the documents as filed, the frozen assessment and écoscore', async () => {
    const text = pdfText(
      await requestSummaryPdf(view(), t('fr'), 'fr', { generatedAt: GENERATED, referential }),
    );
    assertSays(text, [
      'Récapitulatif de la demande MES-2026-000042',
      'Numéro d’évaluation : MES-2026-000042',
      'Date de dépôt : 1 mars 2026',
      'Éditeur : Œnologie & Santé SAS',
      'SIREN : 552 100 554',
      'Service : Suivi Tension iOS Mobile',
      // The version filed, not the service's current one.
      'Version du service : 2.4.1',
      'Typologie : Avec échange de données',
      'Version du référentiel : Référentiel de référencement v2 (démonstration) (2023-v2)',
      'Un carnet de tension partagé avec le médecin traitant.',
      'Déclaration d’échange de données (CSP, art. R.1111-39)',
      'nécessite les mesures déjà saisies par l’usager.',
      'API Mesures de Mon espace santé',
      'Pression artérielle (pression-arterielle)',
      'Poids (poids)',
      'Prévention (prevention)',
      'Soins (soins)',
      'Deux ans après la dernière connexion.',
      'Chiffrement au repos et en transit ; hébergement HDS.',
      'J’accepte que Suivi Tension lise mes mesures de tension.',
      'https://suivi-tension.example/callback',
      'Clés publiques du service : https://suivi-tension.example/jwks.json',
      'Contact support : support@suivi-tension.example',
      'Pièces déposées',
      'Conditions générales d’utilisation',
      'cgu-suivi-tension.pdf',
      '120,6 Kio',
      SHA_CGU.slice(0, 32),
      SHA_CGU.slice(32),
      'Politique de confidentialité',
      'Analyse d’impact (AIPD)',
      // The label may wrap after « auto- »: its end is enough.
      'évaluation (figée au dépôt) — critère URB 01',
      'certificat-hds.pdf',
      SHA_EVIDENCE.slice(0, 32),
      'Auto-évaluation figée au dépôt',
      'Version de démonstration du référentiel',
      'Prête pour le dépôt : chaque critère obligatoire applicable était satisfait.',
      'Critères applicables : 3 (dont 2 obligatoires) ; satisfaits : 3 ; écarts : 0',
      'Réponses : 2 conformes, 0 non conformes, 1 non applicables, 0 sans réponse.',
      'URB 01 — Hébergement certifié HDS',
      'Hébergé chez un hébergeur certifié œuvrant en France',
      'ETH 32 — Évaluation par l’écoscore',
      'Non applicable',
      'Écoscore officiel : 72/100, mesuré le 1 février 2026 (parcours « Découverte »)',
      'Dernière mesure par mesref : 68/100, le 20 février 2026',
      'Écart entre les deux : 4 points',
    ]);
    assert.ok(
      !flat(text).includes('reponse-complements.pdf'),
      'a document added after the filing is not listed',
    );
  });

  it('says « JWKS fourni » for keys given as a JWKS, and « sans objet » without data exchange', async () => {
    const base = view();
    const declaration = base.request.dataExchange as NonNullable<DossierView['request']['dataExchange']>;
    const { jwksUri: _uri, ...withoutUri } = declaration;
    const jwks = pdfText(
      await requestSummaryPdf(
        view({ request: { dataExchange: { ...withoutUri, jwks: '{"keys":[{"kty":"EC"}]}' } } }),
        t('fr'),
        'fr',
        { generatedAt: GENERATED },
      ),
    );
    // Without the referential's titles, the codes are shown.
    assertSays(jwks, ['Clés publiques du service : JWKS fourni', 'pression-arterielle', 'prevention']);
    assert.ok(!flat(jwks).includes('"kty"'), 'the JWKS itself is not printed');
    const none = pdfText(
      await requestSummaryPdf(
        view({ typology: 'sans-echange', request: {}, snapshot: { assessment: report, ecoscore: null } }),
        t('fr'),
        'fr',
        {
          generatedAt: GENERATED,
        },
      ),
    );
    assertSays(none, [
      'Typologie : Sans échange de données',
      'Sans objet : le service n’échange pas de données avec Mon espace santé.',
      'Aucune mesure d’écoscore n’était enregistrée au dépôt.',
    ]);
  });

  it('is in English too', async () => {
    const pdf = await requestSummaryPdf(view(), t('en'), 'en', { generatedAt: GENERATED, referential });
    assert.match(pdf.toString('latin1'), /\/Lang \(en-GB\)/);
    const text = pdfText(pdf);
    assertSays(text, [
      'Summary of request MES-2026-000042',
      'Filed on: 1 March 2026',
      'Data-exchange declaration (CSP, art. R.1111-39)',
      'Blood pressure (pression-arterielle)',
      'Self-assessment frozen at filing',
      'Page 1 of',
      'Document generated by mesref on 20 March 2026',
    ]);
    assertNoKeys(text);
  });

  it('gives the same bytes for the same date, and reads the same uncompressed', async () => {
    const options = { generatedAt: GENERATED, referential };
    const first = await requestSummaryPdf(view(), t('fr'), 'fr', options);
    const second = await requestSummaryPdf(view(), t('fr'), 'fr', options);
    assert.ok(first.equals(second));
    const plain = await requestSummaryPdf(view(), t('fr'), 'fr', { ...options, compress: false });
    assert.ok(!plain.toString('latin1').includes('/FlateDecode'));
    assert.equal(pdfText(plain), pdfText(first));
  });

  it('names the service and publisher as filed, not as since renamed', async () => {
    const renamed = view({
      product: { ...view().product, displayName: 'Tension Plus iOS Mobile' },
      organisation: { ...view().organisation, legalName: 'Nouveau Nom SAS' },
    });
    const text = pdfText(await requestSummaryPdf(renamed, t('fr'), 'fr', { generatedAt: GENERATED }));
    assertSays(text, ['Éditeur : Œnologie & Santé SAS', 'Service : Suivi Tension iOS Mobile']);
    assert.ok(!flat(text).includes('Tension Plus') && !flat(text).includes('Nouveau Nom'));
  });

  it('is refused for a request not filed', () => {
    assert.throws(() => requestSummaryPdf(view({ number: null }), t('fr'), 'fr'), /not filed/);
  });
});

describe('the opinion letter PDF', () => {
  const options = { generatedAt: GENERATED, referential, operatorName: 'Délégation au numérique en santé' };

  it('is a PDF with its title, author and language', async () => {
    const pdf = await opinionLetterPdf(view(), t('fr'), 'fr', process, options);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const info = pdfInfo(pdf);
    assert.equal(info.Title, 'Avis de la commission de référencement — MES-2026-000042');
    assert.equal(info.Author, 'mesref');
    assert.equal(info.Subject, 'Favorable avec réserves suspensives');
    assert.match(pdf.toString('latin1'), /\/Lang \(fr-FR\)/);
  });

  it('gives the letterhead, the object, the opinion, reasons, reservations, finalités, members and next step', async () => {
    const text = pdfText(await opinionLetterPdf(view(), t('fr'), 'fr', process, options));
    assertSays(text, [
      'Délégation au numérique en santé',
      'Commission de référencement des services numériques de Mon espace santé',
      'Le 12 mars 2026',
      'Œnologie & Santé SAS',
      'SIREN 552 100 554',
      'Objet : avis de la commission de référencement — dossier MES-2026-000042',
      'examiné la demande de référencement du service Suivi Tension iOS Mobile, déposée le 1 mars 2026',
      'Service : Suivi Tension iOS Mobile, version 2.4.1',
      'Éditeur : Œnologie & Santé SAS (SIREN 552 100 554)',
      'Favorable avec réserves suspensives',
      'Avis rendu le 12 mars 2026.',
      'sous réserve de la mise à jour de sa politique de confidentialité.',
      '1. Publier la politique de confidentialité mise à jour.',
      'Réserve suspensive — levée le 14 mars 2026 (Instruction)',
      '2. Fournir le rapport de test d’intrusion.',
      'Réserve suspensive — non levée à la date de ce document',
      'Finalités pour lesquelles l’échange de données est autorisé',
      'Prévention (prevention)',
      'Membres ayant siégé',
      'Délégué ministériel au numérique en santé (coprésidence)',
      'Titulaire de démonstration A',
      'Membre du comité citoyen',
      'Titulaire de démonstration D',
      'Quorum : 3 membres (règlement de procédure « 2026-1 ») ; 4 membres ont siégé. Le quorum était atteint.',
      'Suite de la procédure',
      'Le ministre chargé de la santé décide du référencement du service au vu de cet avis.',
      'Le service ne peut être référencé tant que les réserves suspensives ne sont pas levées.',
      'Page 1 sur',
      'Document généré par mesref le 20 mars 2026 à 11:15 à partir de l’avis enregistré au dossier MES-2026-000042',
    ]);
    // Only the finalités the opinion authorises, not every one requested.
    assert.ok(!flat(text).includes('Soins (soins)'));
    // A seat that did not sit is not listed.
    assert.ok(!flat(text).includes('Titulaire de démonstration E'));
    assertNoKeys(text);
  });

  it('gives the decision once it is taken, and a plain favourable opinion without reservations', async () => {
    const text = pdfText(
      await opinionLetterPdf(
        view({
          opinion: { ...(view().opinion as NonNullable<DossierView['opinion']>), kind: 'FAVORABLE' },
          reservations: [],
          decision: {
            decision: 'referenced',
            reasons: 'Avis favorable.',
            at: '2026-03-30T10:00:00.000Z',
            by: null,
          },
        }),
        t('fr'),
        'fr',
        process,
        options,
      ),
    );
    assertSays(text, [
      'Favorable',
      'L’avis ne comporte aucune réserve.',
      'Décision enregistrée le 30 mars 2026 : Référencé.',
    ]);
    assert.ok(!flat(text).includes('Le ministre chargé de la santé décide'));
  });

  it('is in English too', async () => {
    const text = pdfText(await opinionLetterPdf(view(), t('en'), 'en', process, options));
    assertSays(text, [
      'Subject: opinion of the referencing commission — file MES-2026-000042',
      'Favourable with suspensive reservations',
      'Suspensive reservation — lifted on 14 March 2026 (Instruction)',
      'Ministerial delegate for digital health (co-chair)',
      'Quorum: 3 members',
      'Page 1 of',
    ]);
    assertNoKeys(text);
  });

  it('is refused without an opinion', () => {
    assert.throws(() => opinionLetterPdf(view({ opinion: null }), t('fr'), 'fr', process), /no opinion/);
  });
});

describe('the PDFs read by another reader', () => {
  it('gives the same text to pdftotext, when it is installed', { skip: !hasPdftotext }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mesref-dossier-pdf-'));
    try {
      const read = async (name: string, pdf: Promise<Buffer>) => {
        writeFileSync(join(dir, name), await pdf);
        return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, name), '-'], { encoding: 'utf8' });
      };
      assertSays(
        await read('demande.pdf', requestSummaryPdf(view(), t('fr'), 'fr', { generatedAt: GENERATED })),
        [
          'Récapitulatif de la demande MES-2026-000042',
          'Éditeur : Œnologie & Santé SAS',
          'J’accepte que Suivi Tension lise mes mesures de tension.',
        ],
      );
      assertSays(
        await read('avis.pdf', opinionLetterPdf(view(), t('fr'), 'fr', process, { generatedAt: GENERATED })),
        [
          'Objet : avis de la commission de référencement — dossier MES-2026-000042',
          'Favorable avec réserves suspensives',
          'Titulaire de démonstration C',
        ],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the PDFs’ message catalog', () => {
  it('has French and English for every key the PDFs use, and no key they do not use', () => {
    const used = new Set<string>();
    // Message keys have two dots at least; route actions (`dossier.staff`) have one.
    for (const file of ['pdf.ts', 'pdf-routes.ts']) {
      const source = readFileSync(new URL(file, import.meta.url), 'utf8');
      for (const [, key] of source.matchAll(/'(dossier\.[a-z_-]+\.[a-z0-9_.-]*[a-z0-9_])'/g))
        used.add(key as string);
    }
    // Keys made from a value.
    for (const level of ['obligatoire', 'optionnel']) used.add(`dossier.pdf.level.${level}`);
    for (const status of ['conforme', 'non-conforme', 'non-applicable'])
      used.add(`dossier.pdf.status.${status}`);
    const fromValues = [
      ...['initial', 'update'].map((k) => `dossier.kind.${k}`),
      ...['sans-echange', 'avec-echange'].map((k) => `dossier.typology.${k}`),
      ...[
        'FAVORABLE',
        'FAVORABLE_RESERVES_NON_SUSPENSIVES',
        'FAVORABLE_RESERVES_SUSPENSIVES',
        'DEFAVORABLE',
      ].map((k) => `dossier.opinion.${k}`),
      ...['cgu', 'privacy', 'dpia', 'other', 'evidence'].map((k) => `dossier.document.${k}`),
      ...['instructeur', 'commission'].map((k) => `dossier.role.${k}`),
      ...['referenced', 'refused'].map((k) => `dossier.decision.${k}`),
    ];
    const missing = [...used, ...fromValues].filter((key) => !catalog[key]?.fr || !catalog[key]?.en);
    assert.deepEqual(missing, []);
    const unused = Object.keys(dossierPdfMessages).filter((key) => !used.has(key));
    assert.deepEqual(unused, []);
  });
});
