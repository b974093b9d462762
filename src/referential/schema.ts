/**
 * The format of a referential version file (`referentials/*.yaml`): the criteria of an arrêté's annex, the
 * orientation questionnaire that decides which apply, the finalités and the data categories. Checked when
 * loaded; a file that does not conform is refused with its file, line and path.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';

export const Localized = Type.Object(
  { fr: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);

/** A condition over the orientation answers. */
export const ConditionSchema = Type.Recursive(
  (Self: TSchema) =>
    Type.Union([
      Type.Object({ always: Type.Literal(true) }, { additionalProperties: false }),
      Type.Object({ all: Type.Array(Self, { minItems: 1 }) }, { additionalProperties: false }),
      Type.Object({ any: Type.Array(Self, { minItems: 1 }) }, { additionalProperties: false }),
      Type.Object({ not: Self }, { additionalProperties: false }),
      Type.Object(
        {
          /** Question id. */
          question: Type.String({ minLength: 1 }),
          /** The answer equals this value (yes/no questions: true or false; choice: an option's value). */
          equals: Type.Optional(Type.Union([Type.Boolean(), Type.String()])),
          /** The answer is one of these options (choice), or includes one of them (multiple choice). */
          in: Type.Optional(Type.Array(Type.String(), { minItems: 1 })),
        },
        { additionalProperties: false },
      ),
    ]),
  { $id: 'Condition' },
);

const Identifier = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$' });
const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

export const QuestionSchema = Type.Object(
  {
    id: Identifier,
    label: Localized,
    help: Type.Optional(Localized),
    type: Type.Union([Type.Literal('boolean'), Type.Literal('choice'), Type.Literal('multi')]),
    options: Type.Optional(
      Type.Array(Type.Object({ value: Identifier, label: Localized }, { additionalProperties: false }), {
        minItems: 1,
      }),
    ),
    /** Asked only when this holds (a question hidden by its condition needs no answer). */
    showWhen: Type.Optional(ConditionSchema),
  },
  { additionalProperties: false },
);

export const RUBRIQUES = ['urbanisation', 'interoperabilite', 'securite', 'ethique'] as const;
export const EVIDENCE_KINDS = [
  'document',
  'url',
  'declaration',
  'ecoscore',
  'connection-test',
  'automated-check',
] as const;

export const CriterionSchema = Type.Object(
  {
    /** Opaque identifier, as the official annex gives it (« ETH 32 »). */
    id: Type.String({ minLength: 1, maxLength: 40 }),
    rubrique: Type.Union(RUBRIQUES.map((r) => Type.Literal(r))),
    theme: Identifier,
    /** base: every service; securite-echange: the 15 rules for data exchange (v2); finalites: the finalités rule. */
    part: Type.Union([Type.Literal('base'), Type.Literal('securite-echange'), Type.Literal('finalites')]),
    title: Localized,
    requirement: Localized,
    level: Type.Union([Type.Literal('obligatoire'), Type.Literal('optionnel')]),
    /** Target levels (« niveaux cibles ») where the criterion has them. */
    targetLevels: Type.Optional(Type.Array(Localized, { minItems: 1 })),
    /** When the criterion applies; always when absent. */
    appliesWhen: Type.Optional(ConditionSchema),
    /** When a mandatory criterion may be answered « non applicable » (never when absent). */
    notApplicableWhen: Type.Optional(ConditionSchema),
    evidence: Type.Array(Type.Union(EVIDENCE_KINDS.map((k) => Type.Literal(k))), { minItems: 1 }),
    guidance: Localized,
    /** The public text the criterion rests on. */
    source: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export const ReferentialFileSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]*$' }),
    title: Localized,
    status: Type.Union([Type.Literal('official'), Type.Literal('demonstration')]),
    legalSource: Type.Object(
      { text: Type.String({ minLength: 1 }), date: IsoDate },
      { additionalProperties: false },
    ),
    /** Date from which the version applies (orders versions; the newest is the default). */
    effectiveDate: IsoDate,
    /** A version this one builds on: its content is inherited, then `criteria` added or replaced by id. */
    basedOn: Type.Optional(Type.String()),
    /** Criteria of the base version that this one removes. */
    removedCriteria: Type.Optional(Type.Array(Type.String())),
    rubriques: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.Union(RUBRIQUES.map((r) => Type.Literal(r))),
            title: Localized,
            themes: Type.Array(
              Type.Object({ id: Identifier, title: Localized }, { additionalProperties: false }),
              {
                minItems: 1,
              },
            ),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    questionnaire: Type.Optional(Type.Array(QuestionSchema)),
    finalites: Type.Optional(
      Type.Array(
        Type.Object(
          { code: Identifier, title: Localized, description: Type.Optional(Localized) },
          { additionalProperties: false },
        ),
      ),
    ),
    dataCategories: Type.Optional(
      Type.Array(
        Type.Object(
          {
            code: Identifier,
            title: Localized,
            kind: Type.Union([Type.Literal('measure'), Type.Literal('documents')]),
            /** Codes of the FHIR resources of this category (LOINC for measures). */
            codes: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
            /**
             * Codes that MES searches under another code of the category (a code of the older IG, or a
             * second coding): both spellings find the measure, stored under the search code.
             */
            searchCodes: Type.Optional(
              Type.Record(Type.String({ minLength: 1 }), Type.String({ minLength: 1 })),
            ),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    criteria: Type.Optional(Type.Array(CriterionSchema)),
  },
  { additionalProperties: false },
);

export type LocalizedText = Static<typeof Localized>;
export type Condition = Static<typeof ConditionSchema>;
export type Question = Static<typeof QuestionSchema>;
export type Criterion = Static<typeof CriterionSchema>;
export type ReferentialFile = Static<typeof ReferentialFileSchema>;
export type Rubrique = (typeof RUBRIQUES)[number];
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
