// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadReferentials, parseReferentials } from '../referential/files.ts';
import type { ReferentialVersion } from '../referential/model.ts';
import {
  answersTemplate,
  criteriaForTypology,
  type Problem,
  parseAnswersFile,
  serializeAnswersFile,
  TYPOLOGIES,
} from './answers-file.ts';
import { type AssessmentInput, type CriterionAnswer, evaluateAssessment } from './model.ts';

/**
 * Two small versions whose content the tests control (the shipped ones grow as the annex is written):
 * test-v1 (official) and test-v2 (demonstration, newest) which adds FIN 01.
 */
const V1 = `
id: test-v1
title: { fr: Référentiel d’essai v1, en: Test framework v1 }
status: official
legalSource: { text: Arrêté d’essai, date: '2022-06-23' }
effectiveDate: '2022-07-05'
rubriques:
  - id: urbanisation
    title: { fr: Urbanisation, en: Urbanisation }
    themes: [{ id: hebergement, title: { fr: Hébergement, en: Hosting } }]
  - id: securite
    title: { fr: Sécurité, en: Security }
    themes: [{ id: echange-donnees, title: { fr: Échange de données, en: Data exchange } }]
  - id: ethique
    title: { fr: Éthique, en: Ethics }
    themes:
      - { id: eco-conception, title: { fr: Éco-conception, en: Eco-design } }
      - { id: accessibilite, title: { fr: Accessibilité, en: Accessibility } }
      - { id: finalites, title: { fr: Finalités, en: Purposes } }
questionnaire:
  - id: echange_donnees
    type: boolean
    label: { fr: Échange de données avec Mon espace santé ?, en: Data exchange with Mon espace santé? }
    help: { fr: Lecture ou écriture de mesures ou de documents., en: Reading or writing measures or documents. }
  - id: finalites
    type: multi
    showWhen: { question: echange_donnees, equals: true }
    label: { fr: Finalités ?, en: Purposes? }
    options:
      - { value: prevention, label: { fr: Prévention, en: Prevention } }
      - { value: soins, label: { fr: Soins, en: Care } }
  - id: donnees_sante
    type: boolean
    label: { fr: Données de santé conservées ?, en: Health data kept? }
  - id: compte_usager
    type: choice
    label: { fr: Connexion des usagers ?, en: How users sign in? }
    options:
      - { value: aucun, label: { fr: Sans compte, en: Without an account } }
      - { value: compte-propre, label: { fr: Compte propre, en: Own account } }
criteria:
  - id: URB 01
    rubrique: urbanisation
    theme: hebergement
    part: base
    level: obligatoire
    appliesWhen: { question: donnees_sante, equals: true }
    title: { fr: Hébergement certifié HDS, en: HDS-certified hosting }
    requirement: { fr: Les données de santé DOIVENT être hébergées chez un hébergeur certifié HDS., en: Health data MUST be hosted by an HDS-certified host. }
    evidence: [document]
    guidance: { fr: Joignez le certificat HDS., en: Attach the HDS certificate. }
    source: CSP L.1111-8
  - id: SED 01
    rubrique: securite
    theme: echange-donnees
    part: securite-echange
    level: obligatoire
    appliesWhen: { question: echange_donnees, equals: true }
    title: { fr: Appariement conforme, en: Conforming pairing }
    requirement: { fr: L’appariement DOIT suivre la spécification., en: Pairing MUST follow the specification. }
    evidence: [connection-test]
    guidance: { fr: Joignez le rapport de test d’accrochage., en: Attach the connection-test report. }
    source: Arrêté du 23 octobre 2023
  - id: ETH 10
    rubrique: ethique
    theme: accessibilite
    part: base
    level: obligatoire
    notApplicableWhen: { question: compte_usager, equals: aucun }
    title: { fr: Déclaration d’accessibilité, en: Accessibility statement }
    requirement: { fr: Le service DOIT publier une déclaration d’accessibilité., en: The service MUST publish an accessibility statement. }
    evidence: [url]
    guidance: { fr: Donnez l’adresse de la déclaration., en: Give the statement's address. }
    source: RGAA 4.1
  - id: ETH 32
    rubrique: ethique
    theme: eco-conception
    part: base
    level: obligatoire
    title: { fr: Évaluation par l’écoscore, en: Écoscore assessment }
    requirement: { fr: Le Système DOIT être évalué au moyen de la méthode d'écoscore., en: The System MUST be assessed with the écoscore method. }
    evidence: [ecoscore]
    guidance: { fr: Mesurez un parcours représentatif., en: Measure a representative journey. }
    source: Arrêté du 23 juin 2022, ETH 32
  - id: ETH 33
    rubrique: ethique
    theme: eco-conception
    part: base
    level: optionnel
    title: { fr: Référentiel d’écoconception, en: Eco-design framework }
    requirement: { fr: Le service PEUT suivre le RGESN., en: The service MAY follow the RGESN. }
    evidence: [document]
    guidance: { fr: Joignez l’auto-évaluation RGESN., en: Attach the RGESN self-assessment. }
    source: RGESN
`;

const V2 = `
id: test-v2
title: { fr: Référentiel d’essai v2, en: Test framework v2 }
status: demonstration
legalSource: { text: Arrêté d’essai modificatif, date: '2023-10-23' }
effectiveDate: '2023-10-31'
basedOn: test-v1
criteria:
  - id: FIN 01
    rubrique: ethique
    theme: finalites
    part: finalites
    level: obligatoire
    appliesWhen: { question: echange_donnees, equals: true }
    title: { fr: Finalités des échanges, en: Purposes of the exchanges }
    requirement: { fr: Le service NE DOIT échanger des données que pour les finalités permises., en: The service MUST exchange data only for the permitted purposes. }
    evidence: [declaration]
    guidance: { fr: Décrivez la finalité de chaque catégorie., en: Describe the purpose of each category. }
    source: Arrêté du 23 octobre 2023
`;

const referentials = parseReferentials([
  { file: 'test-v1.yaml', text: V1 },
  { file: 'test-v2.yaml', text: V2 },
]);
const v2 = referentials.get('test-v2') as ReferentialVersion;

const parse = (text: string, options: Parameters<typeof parseAnswersFile>[3] = {}) =>
  parseAnswersFile(text, 'reponses.yaml', referentials, options);

function problemsOf(text: string, options: Parameters<typeof parseAnswersFile>[3] = {}): Problem[] {
  const result = parse(text, options);
  assert.equal(result.ok, false, 'the file was accepted');
  return result.ok ? [] : result.problems;
}

const complete: AssessmentInput = {
  orientation: {
    echange_donnees: true,
    finalites: ['prevention', 'soins'],
    donnees_sante: true,
    compte_usager: 'aucun',
  },
  answers: {
    'URB 01': {
      status: 'conforme',
      justification:
        'Hébergé chez un hébergeur certifié HDS : « périmètre 1 à 6 ».\nCertificat renouvelé en 2024.',
      evidence: [
        { kind: 'file', name: 'preuves/certificat hds.pdf' },
        { kind: 'url', url: 'https://exemple.fr/hds?x=1#a' },
      ],
    },
    'SED 01': {
      status: 'non-conforme',
      justification: 'Tests d’accrochage prévus: "semaine 12" # pas encore',
      evidence: [],
      targetDate: '2025-06-30',
    },
    'ETH 10': { status: 'non-applicable', justification: 'Sans compte usager.', evidence: [] },
    'ETH 32': {
      status: 'conforme',
      evidence: [{ kind: 'text', text: 'Écoscore : B (mesuré le 2024-03-01)' }],
    },
    'FIN 01': {
      status: 'conforme',
      evidence: [
        { kind: 'text', text: 'true' },
        { kind: 'text', text: '- 12' },
      ],
    },
  },
};

describe('answers file: serialize then parse', () => {
  it('gives back the same input, service and version', () => {
    const text = serializeAnswersFile(v2, complete, {
      service: 'Mon Appli iOS Mobile',
      generatedAt: new Date(0),
    });
    const result = parse(text);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
    assert.deepEqual(result.input, complete);
    assert.equal(result.service, 'Mon Appli iOS Mobile');
    assert.equal(result.version.id, 'test-v2');
    assert.deepEqual(result.warnings, []);
  });

  it('writes the titles as comments, grouped by rubrique in the version’s order', () => {
    const text = serializeAnswersFile(v2, complete, { generatedAt: new Date('2025-01-02T03:04:05Z') });
    const order = ['# ── Urbanisation', '# URB 01 — Hébergement certifié HDS · obligatoire', '"URB 01":'];
    order.push(
      '# ── Sécurité',
      '"SED 01":',
      '# ── Éthique',
      '"ETH 10":',
      '"ETH 32":',
      '# FIN 01 — Finalités',
      '"FIN 01":',
    );
    let at = -1;
    for (const mark of order) {
      const next = text.indexOf(mark, at + 1);
      assert.ok(next > at, `${mark} after the previous mark in:\n${text}`);
      at = next;
    }
    assert.match(text, /^# Version de démonstration/m);
    assert.match(text, /Exporté le 2025-01-02T03:04:05.000Z/);
    assert.match(text, /^referential: test-v2$/m);
    assert.match(text, /^ {2}# Échange de données avec Mon espace santé \?\n {2}echange_donnees: true$/m);
    assert.match(text, /^ {2}finalites: \[prevention, soins\]$/m);
  });

  it('writes in English when asked, and the result still parses the same', () => {
    const text = serializeAnswersFile(v2, complete, { locale: 'en' });
    assert.match(text, /# URB 01 — HDS-certified hosting · mandatory/);
    assert.match(text, /# Demonstration version/);
    const result = parse(text);
    assert.ok(result.ok);
    assert.deepEqual(result.input, complete);
  });

  it('keeps any text as it is (property)', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 });
    const nonBlank = text.filter((s) => s.trim() !== '');
    const multiLine = fc.array(fc.string({ unit: 'grapheme', maxLength: 15 }), {
      minLength: 1,
      maxLength: 4,
    });
    const anyText = fc.oneof(
      nonBlank,
      multiLine.map((lines) => lines.join('\n')).filter((s) => s.trim() !== ''),
    );
    const evidence = fc.oneof(
      fc
        .webUrl({ withQueryParameters: true, withFragments: true })
        .map((url) => ({ kind: 'url' as const, url })),
      anyText.map((t) => ({ kind: 'text' as const, text: t })),
      nonBlank.map((name) => ({ kind: 'file' as const, name })),
    );
    const date = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    const answer: fc.Arbitrary<CriterionAnswer> = fc
      .record(
        {
          status: fc.constantFrom('conforme', 'non-conforme', 'non-applicable' as const),
          justification: anyText,
          evidence: fc.array(evidence, { maxLength: 3 }),
          targetDate: date,
        },
        { requiredKeys: ['evidence'] },
      )
      .filter(
        (a) =>
          a.status !== undefined ||
          a.justification !== undefined ||
          a.evidence.length > 0 ||
          a.targetDate !== undefined,
      );
    const ids = v2.criteria.map((c) => c.id);
    const input = fc.record({
      orientation: fc.record(
        {
          echange_donnees: fc.boolean(),
          finalites: fc.subarray(['prevention', 'soins']),
          donnees_sante: fc.boolean(),
          compte_usager: fc.constantFrom('aucun', 'compte-propre'),
        },
        { requiredKeys: [] },
      ),
      answers: fc.dictionary(fc.constantFrom(...ids), answer),
    });
    fc.assert(
      fc.property(input, fc.option(nonBlank, { nil: undefined }), (given, service) => {
        const result = parse(serializeAnswersFile(v2, given as AssessmentInput, { service }));
        assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
        // fast-check builds objects without prototype: compare plain copies.
        assert.deepEqual(result.input, JSON.parse(JSON.stringify(given)));
        assert.equal(result.service, service);
      }),
      { numRuns: 100 },
    );
  });
});

describe('answers file: the version used', () => {
  it('--referential wins over the file, which wins over the newest', () => {
    const newest = parse('orientation: {}\n');
    assert.ok(newest.ok);
    assert.equal(newest.version.id, 'test-v2');
    const named = parse('referential: test-v1\n');
    assert.ok(named.ok);
    assert.equal(named.version.id, 'test-v1');
    const forced = parse('referential: test-v1\n', { referential: 'test-v2' });
    assert.ok(forced.ok);
    assert.equal(forced.version.id, 'test-v2');
    assert.deepEqual(
      forced.warnings.map((w) => [w.line, w.path]),
      [[1, '/referential']],
    );
    assert.match(forced.warnings[0].message, /indique la version test-v1 ; la vérification utilise test-v2/);
  });

  it('an empty file is an assessment not started', () => {
    const result = parse('');
    assert.ok(result.ok);
    assert.deepEqual(result.input, { orientation: {}, answers: {} });
  });
});

describe('answers file: each problem with its line', () => {
  // [what, file text, expected problems as "line path" and a message pattern]
  const cases: [string, string, [number, string, RegExp][]][] = [
    ['a YAML syntax error', 'answers:\n  "URB 01": {status: conforme\n', [[3, '', /./]]],
    [
      'a repeated key',
      'orientation:\n  donnees_sante: true\n  donnees_sante: false\n',
      [[3, '', /unique|duplicate/i]],
    ],
    ['a file that is a list', '- a\n- b\n', [[1, '', /dictionnaire YAML/]]],
    [
      'an unknown top-level key',
      'service: A\nreponses: {}\n',
      [[2, '/reponses', /clé inconnue « reponses »/]],
    ],
    [
      'an unknown referential',
      'service: A\nreferential: v9\n',
      [[2, '/referential', /version du référentiel inconnue « v9 » \(versions connues : test-v2, test-v1\)/]],
    ],
    ['a service that is not a text', 'service: [a]\n', [[1, '/service', /doit être un texte/]]],
    [
      'an unknown question',
      'orientation:\n  echange_donnees: true\n  audience: patients\n',
      [[3, '/orientation/audience', /question d’orientation inconnue « audience »/]],
    ],
    [
      'a yes/no question answered otherwise',
      'orientation:\n  donnees_sante: oui\n',
      [[2, '/orientation/donnees_sante', /attend true \(oui\) ou false \(non\), pas « oui »/]],
    ],
    [
      'an unknown option',
      'orientation:\n  compte_usager: franceconnect\n',
      [[2, '/orientation/compte_usager', /option inconnue « franceconnect ».*aucun, compte-propre/]],
    ],
    [
      'a multiple choice not given as a list',
      'orientation:\n  echange_donnees: true\n  finalites: soins\n',
      [[3, '/orientation/finalites', /attend une liste d’options, par exemple \[prevention, soins\]/]],
    ],
    [
      'an unknown option in a list',
      'orientation:\n  echange_donnees: true\n  finalites:\n    - soins\n    - recherche\n',
      [[5, '/orientation/finalites/1', /option inconnue « recherche »/]],
    ],
    [
      'an unknown criterion, with the likely one',
      'answers:\n  "ETH 32": {status: conforme, evidence: [{text: B}]}\n  URB1:\n    status: conforme\n',
      [[3, '/answers/URB1', /critère inconnu « URB1 » dans test-v2 \(vouliez-vous dire « URB 01 » \?\)/]],
    ],
    [
      'an answer that is not a mapping',
      'answers:\n  "ETH 32": conforme\n',
      [[2, '/answers/ETH 32', /doit être un dictionnaire/]],
    ],
    [
      'an unknown status',
      'answers:\n  "ETH 32":\n    status: non conforme\n',
      [
        [
          3,
          '/answers/ETH 32/status',
          /statut inconnu « non conforme » \(statuts : conforme, non-conforme, non-applicable\)/,
        ],
      ],
    ],
    [
      'an unknown answer key',
      'answers:\n  "ETH 32":\n    status: conforme\n    preuves: []\n',
      [
        [
          4,
          '/answers/ETH 32/preuves',
          /clé inconnue « preuves » \(attendu : status, justification, evidence, targetDate\)/,
        ],
      ],
    ],
    [
      'evidence not given as a list',
      'answers:\n  "ETH 32":\n    evidence: https://exemple.fr\n',
      [[3, '/answers/ETH 32/evidence', /liste de preuves/]],
    ],
    [
      'a piece of evidence with two keys',
      'answers:\n  "ETH 32":\n    evidence:\n      - text: B\n        url: https://exemple.fr\n',
      [[4, '/answers/ETH 32/evidence/0', /exactement une clé/]],
    ],
    [
      'an address that is not a URL',
      'answers:\n  "ETH 32":\n    evidence:\n      - url: exemple.fr/ecoscore\n',
      [[4, '/answers/ETH 32/evidence/0/url', /adresse invalide « exemple.fr\/ecoscore »/]],
    ],
    [
      'an empty text',
      'answers:\n  "ETH 32":\n    evidence:\n      - text: "  "\n',
      [[4, '/answers/ETH 32/evidence/0/text', /la preuve « text » est vide/]],
    ],
    [
      'a date in another format',
      'answers:\n  "ETH 32":\n    status: non-conforme\n    targetDate: 30/06/2025\n',
      [[4, '/answers/ETH 32/targetDate', /date invalide « 30\/06\/2025 » \(format AAAA-MM-JJ/]],
    ],
    [
      'a date that does not exist',
      'answers:\n  "ETH 32":\n    targetDate: 2025-02-30\n',
      [[3, '/answers/ETH 32/targetDate', /date invalide « 2025-02-30 »/]],
    ],
    [
      'every problem at once, in the order of the lines',
      'orientation:\n  donnees_sante: 1\nanswers:\n  "ETH 32":\n    status: ok\n    targetDate: demain\n  "XYZ 9": {}\n',
      [
        [2, '/orientation/donnees_sante', /attend true/],
        [5, '/answers/ETH 32/status', /statut inconnu « ok »/],
        [6, '/answers/ETH 32/targetDate', /date invalide « demain »/],
        [7, '/answers/XYZ 9', /critère inconnu « XYZ 9 » dans test-v2$/],
      ],
    ],
  ];
  for (const [what, text, expected] of cases) {
    it(what, () => {
      const problems = problemsOf(text);
      assert.deepEqual(
        problems.map((p) => `${p.line} ${p.path}`),
        expected.map(([line, path]) => `${line} ${path}`),
        JSON.stringify(problems, null, 2),
      );
      problems.forEach((problem, index) => {
        assert.equal(problem.file, 'reponses.yaml');
        assert.match(problem.message, expected[index][2]);
      });
    });
  }

  it('an unknown --referential is a problem of the whole file', () => {
    const problems = problemsOf('orientation: {}\n', { referential: 'v9' });
    assert.deepEqual(
      problems.map((p) => [p.line, p.path]),
      [[1, '']],
    );
    assert.match(problems[0].message, /« v9 »/);
  });

  it('speaks English when asked', () => {
    const problems = problemsOf('answers:\n  "ETH 32":\n    status: done\n', { locale: 'en' });
    assert.equal(
      problems[0].message,
      'unknown status "done" (statuses: conforme, non-conforme, non-applicable)',
    );
  });

  it('checks that file evidence exists, relative to the answers file, only when told where', () => {
    const dir = join(tmpdir(), `mesref-answers-${process.pid}-${Date.now()}`);
    mkdirSync(join(dir, 'preuves'), { recursive: true });
    writeFileSync(join(dir, 'preuves', 'ecoscore.pdf'), '%PDF-1.4');
    const text =
      'answers:\n  "ETH 32":\n    status: conforme\n    evidence:\n      - file: preuves/ecoscore.pdf\n      - file: preuves/absent.pdf\n';
    const problems = problemsOf(text, { baseDir: dir });
    assert.deepEqual(
      problems.map((p) => [p.line, p.path]),
      [[6, '/answers/ETH 32/evidence/1/file']],
    );
    assert.match(problems[0].message, /fichier de preuve introuvable : preuves\/absent.pdf/);
    // The web import keeps its files itself: without baseDir, names are taken as they are.
    const imported = parse(text);
    assert.ok(imported.ok);
    assert.deepEqual(imported.input.answers['ETH 32']?.evidence, [
      { kind: 'file', name: 'preuves/ecoscore.pdf' },
      { kind: 'file', name: 'preuves/absent.pdf' },
    ]);
  });
});

describe('answers file: warnings', () => {
  it('an answer to a criterion that does not apply is a warning with its line, and does not count', () => {
    const text = [
      'orientation:',
      '  echange_donnees: false',
      '  donnees_sante: false',
      '  compte_usager: compte-propre',
      'answers:',
      '  "SED 01":',
      '    status: conforme',
      '    evidence: [{ text: rapport }]',
      '',
    ].join('\n');
    const result = parse(text);
    assert.ok(result.ok);
    assert.deepEqual(
      result.warnings.map((w) => [w.line, w.path]),
      [[6, '/answers/SED 01']],
    );
    assert.match(
      result.warnings[0].message,
      /ne s’applique pas avec ces réponses d’orientation \(Échange de données/,
    );
    const evaluation = evaluateAssessment(result.version, result.input);
    assert.deepEqual(evaluation.strayAnswers, ['SED 01']);
    assert.ok(!evaluation.criteria.some((c) => c.criterion.id === 'SED 01'));
  });

  it('an answer to a question that is not asked is a warning', () => {
    const result = parse('orientation:\n  echange_donnees: false\n  finalites: [soins]\n');
    assert.ok(result.ok);
    assert.deepEqual(
      result.warnings.map((w) => [w.line, w.path]),
      [[3, '/orientation/finalites']],
    );
  });

  it('empty answers, as in a template, are no answers', () => {
    const result = parse(
      'orientation:\n  donnees_sante:\nanswers:\n  "ETH 32":\n    status:\n    justification:\n    evidence: []\n    targetDate:\n',
    );
    assert.ok(result.ok);
    assert.deepEqual(result.input, { orientation: {}, answers: {} });
    assert.deepEqual(result.warnings, []);
  });
});

describe('answers file: the template', () => {
  it('with data exchange: the typology answered, every criterion that may apply with its requirement and guidance', () => {
    const text = answersTemplate(v2, 'avec-echange');
    assert.match(text, /^ {2}echange_donnees: true$/m);
    assert.match(text, /^ {2}finalites:$/m);
    assert.match(
      text,
      /# Une liste d’options parmi :\n {2}# {3}prevention — Prévention\n {2}# {3}soins — Soins/,
    );
    assert.match(text, /# Lecture ou écriture de mesures ou de documents\./);
    for (const id of ['URB 01', 'SED 01', 'ETH 10', 'ETH 32', 'ETH 33', 'FIN 01']) {
      assert.match(
        text,
        new RegExp(
          `^ {2}"${id}":\\n {4}status:\\n {4}justification:\\n {4}evidence: \\[\\]\\n {4}targetDate:$`,
          'm',
        ),
      );
    }
    assert.match(
      text,
      /# Exigence : L’appariement DOIT suivre la spécification\.\n {2}# Conseil : Joignez le rapport de test d’accrochage\./,
    );
    assert.match(text, /# Preuves attendues : rapport de test d’accrochage/);
    assert.match(text, /# Non applicable permis si : Connexion des usagers \? : Sans compte/);
    assert.match(
      text,
      /# Typologie : référencement avec échange de données\. 6 critère\(s\) peuvent s’appliquer, dont 5 obligatoire/,
    );
    assert.match(text, /^# Version de démonstration/m);
  });

  it('without data exchange: neither the exchange criteria nor the questions only asked with an exchange', () => {
    const text = answersTemplate(v2, 'sans-echange');
    assert.match(text, /^ {2}echange_donnees: false$/m);
    assert.doesNotMatch(text, /finalites:/);
    assert.doesNotMatch(text, /"SED 01"|"FIN 01"/);
    assert.match(text, /"URB 01":/);
    assert.deepEqual(
      criteriaForTypology(v2, 'sans-echange').map((c) => c.id),
      ['URB 01', 'ETH 10', 'ETH 32', 'ETH 33'],
    );
  });

  it('in English', () => {
    const text = answersTemplate(v2, 'avec-echange', 'en');
    assert.match(text, /# Requirement: Pairing MUST follow the specification\./);
    assert.match(text, /# Answer: true \(yes\) or false \(no\)/);
  });

  it('parses without a problem, for each shipped version and typology, and holds every criterion that may apply', () => {
    const shipped = loadReferentials();
    for (const version of shipped.versions) {
      for (const typology of TYPOLOGIES) {
        const text = answersTemplate(version, typology);
        const result = parseAnswersFile(text, 'modele.yaml', shipped, { referential: version.id });
        assert.ok(result.ok, `${version.id} ${typology}: ${JSON.stringify(!result.ok && result.problems)}`);
        assert.deepEqual(result.warnings, [], `${version.id} ${typology}`);
        assert.equal(result.version.id, version.id);
        const expected = criteriaForTypology(version, typology);
        assert.ok(expected.length > 0);
        for (const criterion of expected)
          assert.ok(text.includes(`\n  ${JSON.stringify(criterion.id)}:\n`), criterion.id);
        const keys = text.match(/^ {2}"[^"]+":$/gm) ?? [];
        assert.equal(keys.length, expected.length, `${version.id} ${typology}`);
        assert.deepEqual(
          result.input.orientation,
          version.questionnaire.some((q) => q.id === 'echange_donnees')
            ? { echange_donnees: typology === 'avec-echange' }
            : {},
        );
      }
    }
  });
});
