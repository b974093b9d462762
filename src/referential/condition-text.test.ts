// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatConditionText, parseConditionText } from './condition-text.ts';
import { type Condition, evaluateCondition, type OrientationAnswers } from './model.ts';
import type { Question } from './schema.ts';

const questionnaire: Question[] = [
  { id: 'echange_donnees', type: 'boolean', label: { fr: 'Échange', en: 'Exchange' } },
  { id: 'dispositif_medical', type: 'boolean', label: { fr: 'DM', en: 'MD' } },
  {
    id: 'compte_usager',
    type: 'choice',
    label: { fr: 'Compte', en: 'Account' },
    options: [
      { value: 'aucun', label: { fr: 'Sans', en: 'None' } },
      { value: 'compte-propre', label: { fr: 'Propre', en: 'Own' } },
      { value: 'france-connect', label: { fr: 'FranceConnect', en: 'FranceConnect' } },
    ],
  },
];

describe('the textual condition syntax', () => {
  const valid: Array<[string, Condition | undefined]> = [
    ['', undefined],
    ['  toujours ', undefined],
    ['always', undefined],
    ['echange_donnees=oui', { question: 'echange_donnees', equals: true }],
    ['echange_donnees = Non', { question: 'echange_donnees', equals: false }],
    ['echange_donnees=yes', { question: 'echange_donnees', equals: true }],
    ['echange_donnees!=oui', { not: { question: 'echange_donnees', equals: true } }],
    ['echange_donnees ≠ oui', { not: { question: 'echange_donnees', equals: true } }],
    ['compte_usager=aucun', { question: 'compte_usager', equals: 'aucun' }],
    [
      'compte_usager=compte-propre|france-connect',
      { question: 'compte_usager', in: ['compte-propre', 'france-connect'] },
    ],
    [
      'echange_donnees=oui ET dispositif_medical=non',
      {
        all: [
          { question: 'echange_donnees', equals: true },
          { question: 'dispositif_medical', equals: false },
        ],
      },
    ],
    [
      'echange_donnees=oui OU dispositif_medical=oui et compte_usager=aucun',
      {
        any: [
          { question: 'echange_donnees', equals: true },
          {
            all: [
              { question: 'dispositif_medical', equals: true },
              { question: 'compte_usager', equals: 'aucun' },
            ],
          },
        ],
      },
    ],
    [
      'NON (echange_donnees=oui OR dispositif_medical=oui)',
      {
        not: {
          any: [
            { question: 'echange_donnees', equals: true },
            { question: 'dispositif_medical', equals: true },
          ],
        },
      },
    ],
  ];
  for (const [text, expected] of valid) {
    it(`reads « ${text} »`, () =>
      assert.deepEqual(parseConditionText(text, questionnaire), { ok: true, condition: expected }));
  }

  const invalid: Array<[string, RegExp]> = [
    ['inconnue=oui', /question inconnue « inconnue »/],
    ['echange_donnees=peut-etre', /ni oui ni non/],
    ['echange_donnees=oui|non', /une seule valeur/],
    ['compte_usager=autre', /pas d’option « autre »/],
    ['echange_donnees', /« = » ou « != » attendu/],
    ['echange_donnees=', /valeur attendue/],
    ['(echange_donnees=oui', /parenthèse fermante/],
    ['echange_donnees=oui dispositif_medical=non', /ET ou OU manquant/],
    ['echange_donnees=oui ET', /question attendue/],
    ['echange_donnees=oui & x', /caractère inattendu « & »/],
  ];
  for (const [text, message] of invalid) {
    it(`refuses « ${text} »`, () => {
      const parsed = parseConditionText(text, questionnaire);
      assert.equal(parsed.ok, false);
      assert.match((parsed as { error: string }).error, message);
    });
  }

  it('reads back what it writes, with the same meaning (property)', () => {
    const leaf: fc.Arbitrary<Condition> = fc.oneof(
      fc.record({ question: fc.constantFrom('echange_donnees', 'dispositif_medical'), equals: fc.boolean() }),
      fc.record({
        question: fc.constant('compte_usager'),
        in: fc.subarray(['aucun', 'compte-propre', 'france-connect'], { minLength: 2 }),
      }),
      fc.record({
        question: fc.constant('compte_usager'),
        equals: fc.constantFrom('aucun', 'france-connect'),
      }),
    );
    const condition = fc.letrec<{ c: Condition }>((tie) => ({
      c: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.record({ all: fc.array(tie('c'), { minLength: 2, maxLength: 3 }) }),
        fc.record({ any: fc.array(tie('c'), { minLength: 2, maxLength: 3 }) }),
        fc.record({ not: tie('c') }),
      ),
    })).c;
    const answers: fc.Arbitrary<OrientationAnswers> = fc.record({
      echange_donnees: fc.boolean(),
      dispositif_medical: fc.boolean(),
      compte_usager: fc.constantFrom('aucun', 'compte-propre', 'france-connect'),
    });
    fc.assert(
      fc.property(condition, answers, (c, given) => {
        const parsed = parseConditionText(formatConditionText(c), questionnaire);
        assert.ok(parsed.ok, `${formatConditionText(c)}: ${JSON.stringify(parsed)}`);
        assert.equal(evaluateCondition(parsed.condition, given), evaluateCondition(c, given));
      }),
    );
  });
});
