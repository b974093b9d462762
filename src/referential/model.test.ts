// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DataFileError } from '../platform/datafile.ts';
import { loadReferentials, parseReferentials, type ReferentialSource } from './files.ts';
import {
  applicability,
  applicableCriteria,
  type Condition,
  type Criterion,
  describeCondition,
  diffVersions,
  evaluateCondition,
  mayBeNotApplicable,
  type OrientationAnswers,
  type ReferentialVersion,
  resolveVersion,
} from './model.ts';
import type { Question, ReferentialFile } from './schema.ts';

const questionnaire: Question[] = [
  { id: 'echange', type: 'boolean', label: { fr: 'Échange', en: 'Exchange' } },
  { id: 'dm', type: 'boolean', label: { fr: 'Dispositif médical', en: 'Medical device' } },
  {
    id: 'compte',
    type: 'choice',
    label: { fr: 'Compte', en: 'Account' },
    options: [
      { value: 'aucun', label: { fr: 'Sans compte', en: 'None' } },
      { value: 'propre', label: { fr: 'Compte propre', en: 'Own account' } },
    ],
  },
  {
    id: 'donnees',
    type: 'multi',
    label: { fr: 'Données', en: 'Data' },
    showWhen: { question: 'echange', equals: true },
    options: [
      { value: 'mesures', label: { fr: 'Mesures', en: 'Measures' } },
      { value: 'documents', label: { fr: 'Documents', en: 'Documents' } },
    ],
  },
];

function criterion(id: string, extra: Partial<Criterion> = {}): Criterion {
  return {
    id,
    rubrique: 'securite',
    theme: 'gouvernance',
    part: 'base',
    title: { fr: `Titre ${id}`, en: `Title ${id}` },
    requirement: { fr: 'Exigence', en: 'Requirement' },
    level: 'obligatoire',
    evidence: ['document'],
    guidance: { fr: 'Aide', en: 'Guidance' },
    source: 'PGSSI-S',
    ...extra,
  };
}

function version(criteria: Criterion[], id = 'v'): ReferentialVersion {
  return {
    id,
    title: { fr: id, en: id },
    status: 'demonstration',
    legalSource: { text: 'Arrêté', date: '2022-06-23' },
    effectiveDate: '2022-07-05',
    rubriques: [
      {
        id: 'securite',
        title: { fr: 'Sécurité', en: 'Security' },
        themes: [{ id: 'gouvernance', title: { fr: 'Gouvernance', en: 'Governance' } }],
      },
    ],
    questionnaire,
    finalites: [],
    dataCategories: [],
    criteria,
  };
}

describe('evaluateCondition', () => {
  const cases: Array<[string, Condition | undefined, OrientationAnswers, boolean]> = [
    ['no condition', undefined, {}, true],
    ['always', { always: true }, {}, true],
    ['yes/no equals true', { question: 'echange', equals: true }, { echange: true }, true],
    ['yes/no equals true, answered no', { question: 'echange', equals: true }, { echange: false }, false],
    ['yes/no, unanswered', { question: 'echange', equals: true }, {}, false],
    ['choice equals', { question: 'compte', equals: 'propre' }, { compte: 'propre' }, true],
    ['choice equals, other option', { question: 'compte', equals: 'propre' }, { compte: 'aucun' }, false],
    ['choice in', { question: 'compte', in: ['aucun', 'propre'] }, { compte: 'aucun' }, true],
    [
      'multi in, one matches',
      { question: 'donnees', in: ['documents'] },
      { donnees: ['mesures', 'documents'] },
      true,
    ],
    ['multi in, none matches', { question: 'donnees', in: ['documents'] }, { donnees: ['mesures'] }, false],
    ['multi equals', { question: 'donnees', equals: 'mesures' }, { donnees: ['mesures'] }, true],
    ['multi, empty answer', { question: 'donnees', in: ['mesures'] }, { donnees: [] }, false],
    ['answered at all', { question: 'compte' }, { compte: 'aucun' }, true],
    [
      'all',
      {
        all: [
          { question: 'echange', equals: true },
          { question: 'dm', equals: false },
        ],
      },
      { echange: true, dm: false },
      true,
    ],
    [
      'all, one fails',
      {
        all: [
          { question: 'echange', equals: true },
          { question: 'dm', equals: false },
        ],
      },
      { echange: true, dm: true },
      false,
    ],
    [
      'any',
      {
        any: [
          { question: 'echange', equals: true },
          { question: 'dm', equals: true },
        ],
      },
      { echange: false, dm: true },
      true,
    ],
    ['not', { not: { question: 'dm', equals: true } }, { dm: false }, true],
    ['not of unanswered', { not: { question: 'dm', equals: true } }, {}, true],
  ];
  for (const [name, condition, answers, expected] of cases) {
    it(name, () => assert.equal(evaluateCondition(condition, answers), expected));
  }
});

describe('applicability and « non applicable »', () => {
  const v = version([
    criterion('A'),
    criterion('B', { appliesWhen: { question: 'echange', equals: true } }),
    criterion('C', { level: 'optionnel', appliesWhen: { question: 'compte', equals: 'propre' } }),
    criterion('D', { notApplicableWhen: { question: 'dm', equals: false } }),
  ]);
  const cases: Array<[string, OrientationAnswers, string[]]> = [
    ['nothing answered', {}, ['A', 'D']],
    ['data exchange', { echange: true }, ['A', 'B', 'D']],
    ['own account', { compte: 'propre' }, ['A', 'C', 'D']],
    ['everything', { echange: true, compte: 'propre', dm: true }, ['A', 'B', 'C', 'D']],
  ];
  for (const [name, answers, ids] of cases) {
    it(`applies: ${name}`, () => {
      assert.deepEqual(
        applicableCriteria(v, answers).map((c) => c.id),
        ids,
      );
      const reasons = applicability(v, answers);
      assert.equal(reasons.length, 4);
      assert.deepEqual(
        reasons.filter((r) => r.applies).map((r) => r.criterion.id),
        ids,
      );
    });
  }

  it('says why, in both languages', () => {
    const [a, b] = applicability(v, { echange: true });
    assert.equal(a.reason.fr, 's’applique à tout service');
    assert.equal(a.reason.en, 'applies to every service');
    assert.equal(b.reason.fr, 'Échange : oui');
    assert.equal(b.reason.en, 'Exchange: yes');
  });

  it('describes compound conditions with labels', () => {
    const condition: Condition = {
      all: [{ question: 'echange', equals: true }, { not: { question: 'compte', in: ['aucun', 'propre'] } }],
    };
    assert.equal(
      describeCondition(v, condition, 'fr'),
      'Échange : oui et pas (Compte : Sans compte ou Compte propre)',
    );
    assert.equal(
      describeCondition(v, condition, 'en'),
      'Exchange: yes and not (Account: None or Own account)',
    );
  });

  const naCases: Array<[string, Criterion, OrientationAnswers, boolean]> = [
    ['optional: always', criterion('x', { level: 'optionnel' }), {}, true],
    ['mandatory without condition: never', criterion('x'), { dm: false }, false],
    [
      'mandatory, condition holds',
      criterion('x', { notApplicableWhen: { question: 'dm', equals: false } }),
      { dm: false },
      true,
    ],
    [
      'mandatory, condition fails',
      criterion('x', { notApplicableWhen: { question: 'dm', equals: false } }),
      { dm: true },
      false,
    ],
  ];
  for (const [name, c, answers, expected] of naCases) {
    it(`may be « non applicable »: ${name}`, () => assert.equal(mayBeNotApplicable(c, answers), expected));
  }
});

describe('diffVersions', () => {
  const before = version([criterion('A'), criterion('B'), criterion('C')], 'v1');
  const after = version(
    [
      criterion('A'),
      criterion('B', { level: 'optionnel', title: { fr: 'Nouveau', en: 'New' } }),
      criterion('D'),
    ],
    'v2',
  );
  const cases: Array<[string, ReferentialVersion, ReferentialVersion, object]> = [
    ['same version', before, before, { added: [], removed: [], changed: [] }],
    [
      'added, removed, changed',
      before,
      after,
      { added: ['D'], removed: ['C'], changed: [['B', ['title', 'level']]] },
    ],
    ['the other way', after, before, { added: ['C'], removed: ['D'], changed: [['B', ['title', 'level']]] }],
  ];
  for (const [name, from, to, expected] of cases) {
    it(name, () => {
      const diff = diffVersions(from, to);
      assert.deepEqual(
        {
          added: diff.added.map((c) => c.id),
          removed: diff.removed.map((c) => c.id),
          changed: diff.changed.map((c) => [c.id, c.fields]),
        },
        expected,
      );
    });
  }

  it('sees a change of condition', () => {
    const changed = version([criterion('A', { appliesWhen: { question: 'dm', equals: true } })], 'v3');
    assert.deepEqual(diffVersions(before, changed).changed[0].fields, ['appliesWhen']);
  });
});

describe('resolveVersion', () => {
  const base = resolveVersion({
    id: 'base',
    title: { fr: 'Base', en: 'Base' },
    status: 'official',
    legalSource: { text: 'Arrêté', date: '2022-06-23' },
    effectiveDate: '2022-07-05',
    rubriques: version([]).rubriques,
    questionnaire,
    criteria: [criterion('A'), criterion('B'), criterion('C')],
  });
  const file = (extra: Partial<ReferentialFile>): ReferentialFile => ({
    id: 'next',
    title: { fr: 'Suite', en: 'Next' },
    status: 'demonstration',
    legalSource: { text: 'Arrêté 2', date: '2023-10-23' },
    effectiveDate: '2023-10-31',
    basedOn: 'base',
    ...extra,
  });
  const cases: Array<[string, Partial<ReferentialFile>, string[], string]> = [
    ['inherits everything', {}, ['A', 'B', 'C'], 'Titre B'],
    ['adds', { criteria: [criterion('D')] }, ['A', 'B', 'C', 'D'], 'Titre B'],
    [
      'replaces by id, in place',
      { criteria: [criterion('B', { title: { fr: 'Remplacé', en: 'Replaced' } })] },
      ['A', 'B', 'C'],
      'Remplacé',
    ],
    ['removes', { removedCriteria: ['A', 'C'] }, ['B'], 'Titre B'],
  ];
  for (const [name, extra, ids, titleOfB] of cases) {
    it(name, () => {
      const resolved = resolveVersion(file(extra), base);
      assert.deepEqual(
        resolved.criteria.map((c) => c.id),
        ids,
      );
      assert.equal(resolved.criteria.find((c) => c.id === 'B')?.title.fr, titleOfB);
      assert.equal(resolved.questionnaire, base.questionnaire);
      assert.equal(resolved.basedOn, 'base');
    });
  }
});

// ── consistency checks, each reported with its file and line ─────────────────

const BASE_YAML = `id: base
title: { fr: Base, en: Base }
status: demonstration
legalSource: { text: Arrêté, date: '2022-06-23' }
effectiveDate: '2022-07-05'
rubriques:
  - id: securite
    title: { fr: Sécurité, en: Security }
    themes:
      - { id: gouvernance, title: { fr: Gouvernance, en: Governance } }
questionnaire:
  - id: echange
    type: boolean
    label: { fr: Échange, en: Exchange }
criteria:
  - id: SEC 01
    rubrique: securite
    theme: gouvernance
    part: base
    level: obligatoire
    title: { fr: Titre, en: Title }
    requirement: { fr: Exigence, en: Requirement }
    evidence: [document]
    guidance: { fr: Aide, en: Guidance }
    source: PGSSI-S
`;

function problemsOf(sources: ReferentialSource[]): Array<{ file: string; line: number; message: string }> {
  try {
    parseReferentials(sources);
  } catch (error) {
    assert.ok(error instanceof DataFileError, String(error));
    return error.problems.map(({ file, line, message }) => ({ file, line, message }));
  }
  assert.fail('the files were accepted');
}

describe('consistency checks', () => {
  it('accepts a consistent file', () => {
    const referentials = parseReferentials([{ file: 'base.yaml', text: BASE_YAML }]);
    assert.equal(referentials.newest().criteria.length, 1);
  });

  const cases: Array<[string, string, { line: number; message: RegExp }]> = [
    [
      'unknown question',
      BASE_YAML.replace(
        '    source: PGSSI-S\n',
        '    source: PGSSI-S\n    appliesWhen: { question: inconnue, equals: true }\n',
      ),
      { line: 26, message: /unknown question inconnue/ },
    ],
    [
      'unknown theme',
      BASE_YAML.replace('    theme: gouvernance\n    part', '    theme: absent\n    part'),
      { line: 18, message: /no theme absent in rubrique securite/ },
    ],
    [
      'duplicate id',
      BASE_YAML +
        BASE_YAML.slice(BASE_YAML.indexOf('  - id: SEC 01')).replace(
          'title: { fr: Titre',
          'title: { fr: Autre',
        ),
      { line: 26, message: /criterion SEC 01 defined twice/ },
    ],
    [
      'option that does not exist',
      BASE_YAML.replace(
        '    source: PGSSI-S\n',
        '    source: PGSSI-S\n    appliesWhen: { question: echange, equals: peut-etre }\n',
      ),
      { line: 26, message: /has no option peut-etre/ },
    ],
    [
      'schema: a level that does not exist',
      BASE_YAML.replace('level: obligatoire', 'level: recommandé'),
      { line: 20, message: /./ },
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(`reports ${name} with file and line`, () => {
      const problems = problemsOf([{ file: 'referentials/base.yaml', text }]);
      const problem = problems.find((p) => expected.message.test(p.message));
      assert.ok(problem, JSON.stringify(problems));
      assert.equal(problem.file, 'referentials/base.yaml');
      assert.equal(problem.line, expected.line, JSON.stringify(problems));
    });
  }

  it('reports a bad basedOn with file and line', () => {
    const next = `id: next\ntitle: { fr: Suite, en: Next }\nstatus: demonstration\nlegalSource: { text: A, date: '2023-10-23' }\neffectiveDate: '2023-10-31'\nbasedOn: absente\n`;
    const problems = problemsOf([
      { file: 'referentials/base.yaml', text: BASE_YAML },
      { file: 'referentials/next.yaml', text: next },
    ]);
    assert.deepEqual(problems, [
      { file: 'referentials/next.yaml', line: 6, message: 'unknown or circular base version absente' },
    ]);
  });

  it('reports a circular basedOn', () => {
    const file = (id: string, base: string) =>
      `id: ${id}\ntitle: { fr: X, en: X }\nstatus: demonstration\nlegalSource: { text: A, date: '2023-10-23' }\neffectiveDate: '2023-10-31'\nbasedOn: ${base}\n`;
    const problems = problemsOf([
      { file: 'a.yaml', text: file('a', 'b') },
      { file: 'b.yaml', text: file('b', 'a') },
    ]);
    assert.ok(problems.some((p) => /circular/.test(p.message) && p.line === 6));
  });

  it('reports two files with the same version id', () => {
    const problems = problemsOf([
      { file: 'one.yaml', text: BASE_YAML },
      { file: 'two.yaml', text: BASE_YAML },
    ]);
    assert.deepEqual(problems, [{ file: 'two.yaml', line: 1, message: 'version base defined twice' }]);
  });
});

// ── properties ──────────────────────────────────────────────────────────────

const questionIds = ['echange', 'dm', 'compte', 'donnees'];
const answerValue = fc.oneof(
  fc.boolean(),
  fc.constantFrom('aucun', 'propre'),
  fc.subarray(['mesures', 'documents']),
  fc.constant(undefined),
);
const answers = fc.dictionary(fc.constantFrom(...questionIds), answerValue);
const leaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({
    question: fc.constantFrom(...questionIds),
    equals: fc.oneof(fc.boolean(), fc.constantFrom('aucun', 'propre', 'mesures')),
  }),
  fc.record({
    question: fc.constantFrom(...questionIds),
    in: fc.subarray(['aucun', 'propre', 'mesures', 'documents'], { minLength: 1 }),
  }),
);
const condition: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ all: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('c') }),
  ),
})).c;

function shuffled<T>(items: T[], seed: number): T[] {
  const copy = [...items];
  let state = seed || 1;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 48271) % 2147483647;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe('properties', () => {
  it('applicability is deterministic and independent of the order of the answers', () => {
    fc.assert(
      fc.property(
        fc.array(condition, { maxLength: 6 }),
        answers,
        fc.integer({ min: 1, max: 1e9 }),
        (conditions, given, seed) => {
          const v = version(conditions.map((c, i) => criterion(`C${i}`, { appliesWhen: c })));
          const reordered = Object.fromEntries(shuffled(Object.entries(given), seed));
          const first = applicability(v, given).map((a) => [a.applies, a.reason]);
          assert.deepEqual(
            applicability(v, given).map((a) => [a.applies, a.reason]),
            first,
          );
          assert.deepEqual(
            applicability(v, reordered).map((a) => [a.applies, a.reason]),
            first,
          );
        },
      ),
    );
  });

  it('a criterion without condition always applies', () => {
    fc.assert(
      fc.property(answers, (given) => {
        const v = version([criterion('X')]);
        assert.equal(applicability(v, given)[0].applies, true);
        assert.deepEqual(
          applicableCriteria(v, given).map((c) => c.id),
          ['X'],
        );
      }),
    );
  });

  it('a version compared with itself has no difference, and diff is symmetric', () => {
    fc.assert(
      fc.property(fc.array(condition, { maxLength: 5 }), fc.array(condition, { maxLength: 5 }), (a, b) => {
        const va = version(
          a.map((c, i) => criterion(`C${i}`, { appliesWhen: c })),
          'a',
        );
        const vb = version(
          b.map((c, i) => criterion(`C${i}`, { appliesWhen: c })),
          'b',
        );
        const same = diffVersions(va, va);
        assert.equal(same.added.length + same.removed.length + same.changed.length, 0);
        const forth = diffVersions(va, vb);
        const back = diffVersions(vb, va);
        assert.deepEqual(
          forth.added.map((c) => c.id),
          back.removed.map((c) => c.id),
        );
        assert.deepEqual(
          forth.changed.map((c) => c.id),
          back.changed.map((c) => c.id),
        );
      }),
    );
  });
});

// ── the shipped demonstration versions ──────────────────────────────────────

describe('the shipped versions', () => {
  const referentials = loadReferentials();
  const v1 = referentials.get('2022-v1') as ReferentialVersion;
  const v2 = referentials.get('2023-v2') as ReferentialVersion;
  const counts = (v: ReferentialVersion, rubrique: string) => {
    const of = v.criteria.filter((c) => c.rubrique === rubrique);
    return {
      mandatory: of.filter((c) => c.level === 'obligatoire').length,
      optional: of.filter((c) => c.level === 'optionnel').length,
    };
  };

  it('are both demonstration versions, v2 the newest and built on v1', () => {
    assert.deepEqual(
      referentials.versions.map((v) => v.id),
      ['2023-v2', '2022-v1'],
    );
    assert.equal(referentials.newest().id, '2023-v2');
    assert.equal(v2.basedOn, '2022-v1');
    for (const v of [v1, v2]) assert.equal(v.status, 'demonstration');
  });

  it('follow the published counts: urbanisation 14 mandatory and 3 optional, few mandatory in interoperability, security mostly mandatory', () => {
    assert.deepEqual(counts(v1, 'urbanisation'), { mandatory: 14, optional: 3 });
    assert.ok(counts(v1, 'interoperabilite').mandatory <= 4);
    const security = counts(v1, 'securite');
    assert.ok(security.mandatory > 2 * security.optional);
  });

  it('hold at least 60 criteria in v2, with the 15 data-exchange security rules and the finalités rule', () => {
    assert.ok(v2.criteria.length >= 60, `${v2.criteria.length}`);
    const exchange = v2.criteria.filter((c) => c.part === 'securite-echange');
    assert.equal(exchange.length, 15);
    for (const rule of exchange) {
      assert.deepEqual(rule.appliesWhen, { question: 'echange_donnees', equals: true });
      assert.equal(rule.theme, 'echange-donnees');
      assert.equal(rule.level, 'obligatoire');
    }
    assert.deepEqual(
      v2.criteria.filter((c) => c.part === 'finalites').map((c) => c.id),
      ['FIN 01'],
    );
    assert.equal(v1.criteria.filter((c) => c.part !== 'base').length, 0);
  });

  it('keep the official wording of ETH 32', () => {
    for (const v of [v1, v2]) {
      const eth32 = v.criteria.find((c) => c.id === 'ETH 32');
      assert.equal(
        eth32?.requirement.fr,
        "Le Système DOIT être évalué à l'aune de l'impact environnemental de son utilisation au moyen de la méthode d'écoscore fournie par la DNS et l'ANS",
      );
      assert.equal(eth32?.level, 'obligatoire');
      assert.deepEqual(eth32?.evidence, ['ecoscore']);
    }
  });

  it('cover every theme of every rubrique, and each criterion names its source', () => {
    for (const v of [v1, v2]) {
      for (const rubrique of v.rubriques) {
        for (const theme of rubrique.themes) {
          assert.ok(
            v.criteria.some((c) => c.rubrique === rubrique.id && c.theme === theme.id),
            `${v.id}: no criterion in ${rubrique.id}/${theme.id}`,
          );
        }
      }
      for (const c of v.criteria) assert.ok(c.source.length > 5, `${c.id} has no source`);
    }
  });

  it('ask about the medical device, and require CE marking when it is one', () => {
    const ce = applicableCriteria(v2, { dispositif_medical: true }).map((c) => c.id);
    assert.ok(ce.includes('ETH 16'));
    assert.ok(!applicableCriteria(v2, { dispositif_medical: false }).some((c) => c.id === 'ETH 16'));
  });

  it('give a service with data exchange many more criteria than one without', () => {
    const simple = applicableCriteria(v2, { echange_donnees: false, donnees_sante: true }).length;
    const exchange = applicableCriteria(v2, {
      echange_donnees: true,
      donnees_sante: true,
      donnees_echangees: ['mesures'],
      finalites: ['prevention'],
    }).length;
    assert.ok(exchange >= simple + 16, `${simple} → ${exchange}`);
  });
});
