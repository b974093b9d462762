// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DataFileError } from '../platform/datafile.ts';
import type { ReferentialVersion } from '../referential/model.ts';
import type { Criterion } from '../referential/schema.ts';
import {
  answersFromJson,
  checkRules,
  countedSteps,
  decideOutcome,
  evaluateTri,
  factsOf,
  type PathwayAnswers,
  progress,
  readAnswers,
  visibleSteps,
  workloadOf,
} from './model.ts';
import { loadPathwayRules, parsePathwayRules, SHIPPED_RULES_FILE } from './rules.ts';

const rules = loadPathwayRules();

/** An eligible service without data exchange; each case changes what it names. */
const base: PathwayAnswers = {
  public: 'usagers',
  secteur: 'sanitaire',
  forme: 'application-mobile',
  utilisable: true,
  dispositif_medical: false,
  echange_donnees: false,
  teleconsultation: false,
};

interface Case {
  name: string;
  answers: PathwayAnswers;
  verdict: 'eligible' | 'not-eligible' | 'redirected';
  rule: string;
  /** Id of the first source the reason cites. */
  source: string;
  typology?: 'sans-echange' | 'avec-echange';
  notice?: string;
}

const cases: Case[] = [
  {
    name: 'a service for users, health sector',
    answers: base,
    verdict: 'eligible',
    rule: 'eligible',
    source: 'faq-eligibilite',
    typology: 'sans-echange',
  },
  {
    name: 'a service for professionals is redirected',
    answers: { public: 'professionnels' },
    verdict: 'redirected',
    rule: 'public-professionnels',
    source: 'faq-eligibilite',
  },
  {
    name: 'medico-social sector',
    answers: { ...base, secteur: 'medico-social' },
    verdict: 'eligible',
    rule: 'eligible',
    source: 'faq-eligibilite',
    typology: 'sans-echange',
  },
  {
    name: 'social sector',
    answers: { ...base, secteur: 'social' },
    verdict: 'eligible',
    rule: 'eligible',
    source: 'faq-eligibilite',
    typology: 'sans-echange',
  },
  {
    name: 'another sector is not eligible',
    answers: { ...base, secteur: 'autre' },
    verdict: 'not-eligible',
    rule: 'secteur-hors-champ',
    source: 'csp-l1111-13-1',
  },
  {
    name: 'a website',
    answers: { ...base, forme: 'site-web' },
    verdict: 'eligible',
    rule: 'eligible',
    source: 'faq-eligibilite',
    typology: 'sans-echange',
  },
  {
    name: 'an app and a website',
    answers: { ...base, forme: 'application-et-site' },
    verdict: 'eligible',
    rule: 'eligible',
    source: 'faq-eligibilite',
    typology: 'sans-echange',
  },
  {
    name: 'another form is not eligible',
    answers: { ...base, forme: 'autre' },
    verdict: 'not-eligible',
    rule: 'forme-non-eligible',
    source: 'faq-eligibilite',
  },
  {
    name: 'a roadmap, not a service usable today, is not eligible',
    answers: { ...base, utilisable: false },
    verdict: 'not-eligible',
    rule: 'service-non-utilisable',
    source: 'faq-eligibilite',
  },
  {
    name: 'a medical device without CE marking is not eligible yet',
    answers: { ...base, dispositif_medical: true, marquage_ce: false },
    verdict: 'not-eligible',
    rule: 'dispositif-medical-sans-marquage-ce',
    source: 'reglement-2017-745',
  },
  {
    name: 'a CE-marked medical device is eligible',
    answers: { ...base, dispositif_medical: true, marquage_ce: true },
    verdict: 'eligible',
    rule: 'eligible',
    source: 'faq-eligibilite',
    typology: 'sans-echange',
  },
  {
    name: 'data exchange for the legal finalités',
    answers: { ...base, echange_donnees: true, finalites: ['soins', 'prevention'] },
    verdict: 'eligible',
    rule: 'eligible',
    source: 'faq-eligibilite',
    typology: 'avec-echange',
  },
  {
    name: 'data exchange for social and medico-social follow-up',
    answers: { ...base, echange_donnees: true, finalites: ['suivi-social-medico-social'] },
    verdict: 'eligible',
    rule: 'eligible',
    source: 'faq-eligibilite',
    typology: 'avec-echange',
  },
  {
    name: 'data exchange for none of the finalités: no data exchange possible',
    answers: { ...base, echange_donnees: true, finalites: ['aucune'] },
    verdict: 'eligible',
    rule: 'eligible',
    source: 'faq-eligibilite',
    typology: 'sans-echange',
    notice: 'finalites-hors-champ',
  },
  {
    name: 'the first blocking rule wins (audience before sector)',
    answers: { public: 'professionnels', secteur: 'autre' },
    verdict: 'redirected',
    rule: 'public-professionnels',
    source: 'faq-eligibilite',
  },
];

describe('pathway rules', () => {
  it('loads the shipped rules without a problem', () => {
    assert.deepEqual(checkRules(rules), []);
    assert.ok(rules.steps.length >= 8);
  });

  for (const c of cases) {
    it(c.name, () => {
      const state = progress(rules, c.answers);
      assert.equal(state.done, true, 'the answers end the pathway');
      const outcome = decideOutcome(rules, c.answers);
      assert.equal(outcome.verdict, c.verdict);
      assert.equal(outcome.reason.ruleId, c.rule);
      assert.equal(outcome.reason.sources[0].id, c.source);
      assert.ok(outcome.reason.wording.fr.length > 20 && outcome.reason.wording.en.length > 20);
      assert.equal(outcome.typology?.id, c.typology);
      assert.deepEqual(
        outcome.notices.map((n) => n.ruleId),
        c.notice ? [c.notice] : [],
      );
      if (c.verdict !== 'eligible') assert.deepEqual(outcome.roadmap, []);
    });
  }

  it('gives the professionals the link to go elsewhere', () => {
    const outcome = decideOutcome(rules, { public: 'professionnels' });
    assert.match(outcome.reason.link?.url ?? '', /^https:\/\/gnius\.esante\.gouv\.fr\//);
  });

  it('skips the CE-marking step unless the service is a medical device, and the finalités without exchange', () => {
    const ids = (answers: PathwayAnswers) => visibleSteps(rules, answers).map((s) => s.id);
    assert.ok(!ids(base).includes('marquage-ce'));
    assert.ok(ids({ ...base, dispositif_medical: true }).includes('marquage-ce'));
    assert.ok(!ids(base).includes('finalites'));
    assert.ok(ids({ ...base, echange_donnees: true }).includes('finalites'));
    // A medical device must still answer the CE marking: the pathway is not over.
    const state = progress(rules, { ...base, dispositif_medical: true });
    assert.equal(state.done, false);
    assert.equal(state.next?.id, 'marquage-ce');
  });

  it('counts for the stepper the steps that may still be asked: the total only goes down', () => {
    const total = (answers: PathwayAnswers) => countedSteps(rules, answers).length;
    assert.equal(total({}), rules.steps.length);
    assert.equal(total({ dispositif_medical: true }), rules.steps.length);
    assert.equal(total({ dispositif_medical: false }), rules.steps.length - 1);
    assert.equal(total({ dispositif_medical: false, echange_donnees: false }), rules.steps.length - 2);
  });

  it('asks the steps in order and stops at the first blocking answer', () => {
    assert.equal(progress(rules, {}).next?.id, 'public');
    assert.equal(progress(rules, { public: 'usagers' }).next?.id, 'secteur');
    const blocked = progress(rules, { public: 'usagers', secteur: 'autre' });
    assert.equal(blocked.done, true);
    assert.equal(blocked.blockedBy?.id, 'secteur-hors-champ');
  });

  it('reads answers from a query: unknown values and answers of hidden steps are dropped', () => {
    const answers = readAnswers(rules, {
      public: 'usagers',
      secteur: 'spatial',
      utilisable: 'oui',
      dispositif_medical: 'non',
      marquage_ce: 'oui',
      echange_donnees: 'non',
      finalites: ['soins', 'pirate'],
      teleconsultation: 'peut-être',
    });
    assert.deepEqual(answers, {
      public: 'usagers',
      utilisable: true,
      dispositif_medical: false,
      echange_donnees: false,
    });
    assert.deepEqual(
      readAnswers(rules, { echange_donnees: 'oui', finalites: ['soins', 'pirate', 'soins'] }),
      {
        echange_donnees: true,
        finalites: ['soins'],
      },
    );
    assert.deepEqual(answersFromJson(rules, { utilisable: true, public: 'usagers' }), {
      public: 'usagers',
      utilisable: true,
    });
  });

  it('keeps the finalités in their legal order and names them in the typology', () => {
    const outcome = decideOutcome(rules, {
      ...base,
      echange_donnees: true,
      finalites: ['soins', 'aucune', 'prevention'],
    });
    assert.deepEqual(outcome.finalites, ['prevention', 'soins']);
    assert.match(outcome.typology?.description.fr ?? '', /prévention et soins/);
    assert.match(outcome.typology?.description.en ?? '', /prevention and care/);
  });

  it('adds the API tests to the roadmap and the exchange items only for the data-exchange typology', () => {
    const simple = decideOutcome(rules, base);
    const exchange = decideOutcome(rules, { ...base, echange_donnees: true, finalites: ['soins'] });
    assert.deepEqual(
      simple.roadmap.map((r) => r.id),
      ['verifier', 'typologie', 'questionnaires', 'guide', 'formulaire-prealable'],
    );
    assert.deepEqual(
      exchange.roadmap.map((r) => r.id),
      ['verifier', 'typologie', 'questionnaires', 'guide', 'formulaire-prealable', 'tests-api'],
    );
    const typologyStep = exchange.roadmap.find((r) => r.id === 'typologie');
    assert.ok(typologyStep?.prepare.some((p) => /R\.1111-39/.test(p.fr)));
    assert.ok(
      !simple.roadmap.find((r) => r.id === 'typologie')?.prepare.some((p) => /R\.1111-39/.test(p.fr)),
    );
    assert.match(
      exchange.vigilance.find((v) => v.id === 'equipe-technique')?.text.fr ?? '',
      /tests d’accrochage/,
    );
    assert.match(
      simple.vigilance.find((v) => v.id === 'equipe-technique')?.text.fr ?? '',
      /ne demande pas de tests/,
    );
  });

  it('makes the écoscore vigilance point concrete for teleconsultation', () => {
    const tele = decideOutcome(rules, { ...base, teleconsultation: true });
    const plain = decideOutcome(rules, base);
    const delay = (o: typeof tele) => o.vigilance.find((v) => v.id === 'delais')?.text ?? { fr: '', en: '' };
    assert.match(delay(tele).fr, /patient .*professionnelle .*moyenne des deux/);
    assert.match(delay(tele).en, /mean of both/);
    assert.match(delay(plain).fr, /parcours représentatif/);
    const prepare = (o: typeof tele) =>
      o.roadmap
        .find((r) => r.id === 'questionnaires')
        ?.prepare.map((p) => p.fr)
        .join(' ');
    assert.match(prepare(tele) ?? '', /Deux parcours écoscore/);
    assert.match(prepare(plain) ?? '', /Un parcours écoscore/);
  });

  it('every eligible outcome has the four points of vigilance, each with its text filled', () => {
    for (const c of cases.filter((x) => x.verdict === 'eligible')) {
      const outcome = decideOutcome(rules, c.answers, demoVersion);
      assert.deepEqual(
        outcome.vigilance.map((v) => v.id),
        ['doctrine', 'qualite-de-service', 'delais', 'equipe-technique'],
      );
      for (const text of [...outcome.vigilance.map((v) => v.text), ...outcome.roadmap.map((r) => r.text)]) {
        assert.doesNotMatch(text.fr, /\{\w+\}/, c.name);
        assert.doesNotMatch(text.en, /\{\w+\}/, c.name);
      }
    }
  });
});

// ── workload ────────────────────────────────────────────────────────────────

function criterion(
  id: string,
  level: 'obligatoire' | 'optionnel',
  part: Criterion['part'],
  appliesWhen?: Criterion['appliesWhen'],
): Criterion {
  return {
    id,
    rubrique: 'securite',
    theme: 't',
    part,
    level,
    title: { fr: id, en: id },
    requirement: { fr: id, en: id },
    evidence: ['declaration'],
    guidance: { fr: id, en: id },
    source: 'test',
    ...(appliesWhen ? { appliesWhen } : {}),
  };
}

const demoVersion: ReferentialVersion = {
  id: 'demo',
  title: { fr: 'Démo', en: 'Demo' },
  status: 'demonstration',
  legalSource: { text: 'test', date: '2023-01-01' },
  effectiveDate: '2023-01-01',
  rubriques: [],
  questionnaire: [
    { id: 'echange_donnees', type: 'boolean', label: { fr: 'e', en: 'e' } },
    {
      id: 'finalites',
      type: 'multi',
      label: { fr: 'f', en: 'f' },
      showWhen: { question: 'echange_donnees', equals: true },
      options: [
        { value: 'soins', label: { fr: 's', en: 's' } },
        { value: 'prevention', label: { fr: 'p', en: 'p' } },
      ],
    },
    { id: 'donnees_sante', type: 'boolean', label: { fr: 'd', en: 'd' } },
    { id: 'teleconsultation', type: 'boolean', label: { fr: 't', en: 't' } },
  ],
  finalites: [],
  dataCategories: [],
  criteria: [
    criterion('ALL 1', 'obligatoire', 'base'),
    criterion('ALL 2', 'optionnel', 'base'),
    criterion('SEC 1', 'obligatoire', 'securite-echange', { question: 'echange_donnees', equals: true }),
    criterion('SEC 2', 'obligatoire', 'securite-echange', { question: 'echange_donnees', equals: true }),
    criterion('FIN 1', 'obligatoire', 'finalites', { question: 'finalites', in: ['soins'] }),
    criterion('HDS 1', 'obligatoire', 'base', { question: 'donnees_sante', equals: true }),
    criterion('TLC 1', 'obligatoire', 'base', { question: 'teleconsultation', equals: true }),
    criterion('MIX 1', 'optionnel', 'base', {
      any: [
        { question: 'teleconsultation', equals: true },
        { question: 'donnees_sante', equals: true },
      ],
    }),
  ],
};

describe('pathway workload', () => {
  const workload = (answers: PathwayAnswers) => workloadOf(rules, demoVersion, factsOf(rules, answers));

  const table: Array<{
    name: string;
    answers: PathwayAnswers;
    applicable: number;
    mandatory: number;
    undetermined: number;
    exchangeRules: number;
  }> = [
    {
      name: 'without exchange',
      answers: base,
      applicable: 2,
      mandatory: 1,
      undetermined: 2,
      exchangeRules: 0,
    },
    {
      name: 'with exchange for care',
      answers: { ...base, echange_donnees: true, finalites: ['soins'] },
      applicable: 5,
      mandatory: 4,
      undetermined: 2,
      exchangeRules: 2,
    },
    {
      name: 'with exchange for prevention only',
      answers: { ...base, echange_donnees: true, finalites: ['prevention'] },
      applicable: 4,
      mandatory: 3,
      undetermined: 2,
      exchangeRules: 2,
    },
    {
      name: 'wish to exchange outside the finalités',
      answers: { ...base, echange_donnees: true, finalites: ['aucune'] },
      applicable: 2,
      mandatory: 1,
      undetermined: 2,
      exchangeRules: 0,
    },
    {
      name: 'teleconsultation settles the « any » criterion',
      answers: { ...base, teleconsultation: true },
      applicable: 4,
      mandatory: 2,
      undetermined: 1,
      exchangeRules: 0,
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const w = workload(row.answers);
      assert.deepEqual(
        {
          applicable: w.applicable,
          mandatory: w.mandatory,
          undetermined: w.undetermined,
          exchangeRules: w.exchangeRules,
        },
        {
          applicable: row.applicable,
          mandatory: row.mandatory,
          undetermined: row.undetermined,
          exchangeRules: row.exchangeRules,
        },
      );
      assert.equal(w.optional, row.applicable - row.mandatory);
      assert.deepEqual(w.openQuestions, ['donnees_sante']);
    });
  }

  it('derives the orientation answers from the pathway answers', () => {
    assert.deepEqual(
      workload({ ...base, echange_donnees: true, finalites: ['soins', 'aucune'] }).orientationAnswers,
      {
        echange_donnees: true,
        finalites: ['soins'],
        teleconsultation: false,
      },
    );
    // Wishing to exchange outside the finalités gives no exchange.
    assert.equal(
      workload({ ...base, echange_donnees: true, finalites: ['aucune'] }).orientationAnswers.echange_donnees,
      false,
    );
  });

  it('fills the roadmap with the counts', () => {
    const outcome = decideOutcome(
      rules,
      { ...base, echange_donnees: true, finalites: ['soins'] },
      demoVersion,
    );
    const text = outcome.roadmap.find((r) => r.id === 'questionnaires')?.text.fr ?? '';
    assert.match(
      text,
      /référentiel demo qui s’appliquent à votre service d’après vos réponses : 5, dont obligatoires : 4/,
    );
    assert.match(text, /intelligence artificielle…\) : 2/);
    assert.equal(outcome.workload?.referentialStatus, 'demonstration');
  });
});

describe('three-valued conditions', () => {
  const unknown = new Set(['u']);
  const yes = { question: 'k', equals: true };
  const no = { question: 'k', equals: false };
  const maybe = { question: 'u', equals: true };
  const table: Array<[string, Parameters<typeof evaluateTri>[0], string]> = [
    ['no condition', undefined, 'yes'],
    ['known true', yes, 'yes'],
    ['known false', no, 'no'],
    ['unknown', maybe, 'maybe'],
    ['all with a false', { all: [maybe, no] }, 'no'],
    ['all with an unknown', { all: [yes, maybe] }, 'maybe'],
    ['any with a true', { any: [maybe, yes] }, 'yes'],
    ['any with an unknown', { any: [no, maybe] }, 'maybe'],
    ['not unknown', { not: maybe }, 'maybe'],
    ['not true', { not: yes }, 'no'],
  ];
  for (const [name, condition, expected] of table) {
    it(name, () => assert.equal(evaluateTri(condition, { k: true }, unknown), expected));
  }
});

describe('rules file checks', () => {
  const text = readFileSync(SHIPPED_RULES_FILE, 'utf8');
  const refused = (changed: string) => {
    try {
      parsePathwayRules(changed, 'rules.yaml');
    } catch (error) {
      assert.ok(error instanceof DataFileError);
      return error.problems;
    }
    assert.fail('the file was accepted');
  };

  it('refuses an unknown source, with its line', () => {
    const problems = refused(
      text.replace(
        'sources: [reglement-2017-745, faq-eligibilite]',
        'sources: [reglement-inconnu, faq-eligibilite]',
      ),
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /unknown source reglement-inconnu/);
    const line =
      text.split('\n').findIndex((l) => l.includes('sources: [reglement-2017-745, faq-eligibilite]')) + 1;
    assert.equal(problems[0].line, line);
  });

  it('refuses an unknown option, question or placeholder', () => {
    assert.match(
      refused(
        text.replace('{ question: secteur, equals: autre }', '{ question: secteur, equals: spatial }'),
      )[0].message,
      /no option spatial/,
    );
    assert.match(
      refused(text.replace('{ question: forme, equals: autre }', '{ question: couleur, equals: autre }'))[0]
        .message,
      /unknown question couleur/,
    );
    assert.match(
      refused(text.replace('dont obligatoires : {mandatory} ;', 'dont obligatoires : {obligatoires} ;'))[0]
        .message,
      /unknown placeholder \{obligatoires\}/,
    );
  });

  it('refuses a file that does not follow the schema', () => {
    const problems = refused(text.replace('effect: not-eligible', 'effect: maybe'));
    assert.ok(problems.some((p) => p.path.startsWith('/rules/1/effect')));
  });
});
