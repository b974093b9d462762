/**
 * The format of the guided pathway's rules (`src/pathway/rules.yaml`): the public texts they rest on, the
 * steps and their questions, the eligibility rules, the typologies, the orientation answers the pathway gives
 * the referential, the roadmap, the points of vigilance and the resources. Checked when loaded; a file that
 * does not conform is refused with its file, line and path (see src/platform/datafile.ts).
 */
import { type Static, Type } from '@sinclair/typebox';
import { ConditionSchema, Localized } from '../referential/schema.ts';

const Identifier = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$' });
const Url = Type.String({ pattern: '^(https://|/)[^\\s]*$' });

/** A text that may depend on the answers: the first variant whose condition holds is shown. */
const Variant = Type.Object(
  {
    when: Type.Optional(ConditionSchema),
    fr: Type.String({ minLength: 1 }),
    en: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
const Variants = Type.Array(Variant, { minItems: 1 });

const Link = Type.Object({ label: Localized, url: Url }, { additionalProperties: false });

export const SourceSchema = Type.Object(
  {
    id: Identifier,
    /** The public text, as it is cited. */
    title: Localized,
    url: Type.Optional(Url),
  },
  { additionalProperties: false },
);

export const PathwayQuestionSchema = Type.Object(
  {
    /** Also the name of the form field and of the query parameter. */
    id: Identifier,
    type: Type.Union([Type.Literal('boolean'), Type.Literal('choice'), Type.Literal('multi')]),
    label: Localized,
    help: Type.Optional(Localized),
    /** Choice and multiple choice: the options (yes/no questions have theirs). */
    options: Type.Optional(
      Type.Array(
        Type.Object(
          { value: Identifier, label: Localized, hint: Type.Optional(Localized) },
          { additionalProperties: false },
        ),
        { minItems: 2 },
      ),
    ),
  },
  { additionalProperties: false },
);

export const StepSchema = Type.Object(
  {
    /** Also the value of `etape` in the address. */
    id: Identifier,
    title: Localized,
    intro: Type.Optional(Localized),
    /** Shown only when this holds over the answers given before; a hidden step is skipped. */
    showWhen: Type.Optional(ConditionSchema),
    questions: Type.Array(PathwayQuestionSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const RuleSchema = Type.Object(
  {
    id: Identifier,
    /**
     * redirect: the service belongs elsewhere (professionals); not-eligible: it cannot be referenced (yet);
     * no-data-exchange: it may be referenced, without data exchange.
     */
    effect: Type.Union([
      Type.Literal('redirect'),
      Type.Literal('not-eligible'),
      Type.Literal('no-data-exchange'),
    ]),
    when: ConditionSchema,
    /** What the person is told, citing the rule. */
    wording: Localized,
    /** Ids of the public texts the rule rests on (first one cited first). */
    sources: Type.Array(Identifier, { minItems: 1 }),
    /** Where to go instead (a redirect), or what to read next. */
    link: Type.Optional(Link),
  },
  { additionalProperties: false },
);

export const TypologySchema = Type.Object(
  {
    id: Type.Union([Type.Literal('sans-echange'), Type.Literal('avec-echange')]),
    /** The first typology whose condition holds is the service's; the last one has none. */
    when: Type.Optional(ConditionSchema),
    title: Localized,
    description: Localized,
    sources: Type.Array(Identifier, { minItems: 1 }),
  },
  { additionalProperties: false },
);

/** An orientation answer of the referential, taken from a pathway answer or fact. */
export const OrientationMappingSchema = Type.Object(
  {
    /** The question id in the referential's orientation questionnaire (skipped when the version lacks it). */
    question: Identifier,
    /** The pathway answer or fact it takes (`echange`, `finalites_retenues`, `typologie`, or a question id). */
    from: Identifier,
  },
  { additionalProperties: false },
);

export const RoadmapStepSchema = Type.Object(
  {
    id: Identifier,
    title: Localized,
    text: Variants,
    /** Only for the services for which this holds (for instance, the data-exchange typology). */
    when: Type.Optional(ConditionSchema),
    /** What to prepare: each item shown when its own condition holds. */
    prepare: Type.Array(Variant),
    links: Type.Optional(Type.Array(Link)),
    sources: Type.Optional(Type.Array(Identifier)),
  },
  { additionalProperties: false },
);

export const VigilanceSchema = Type.Object(
  {
    id: Identifier,
    title: Localized,
    /** Placeholders filled from the answers and the workload: see `PLACEHOLDERS` in model.ts. */
    text: Variants,
    when: Type.Optional(ConditionSchema),
    sources: Type.Optional(Type.Array(Identifier)),
  },
  { additionalProperties: false },
);

export const ResourceSchema = Type.Object(
  {
    id: Identifier,
    group: Type.Union([Type.Literal('official'), Type.Literal('mesref')]),
    title: Localized,
    description: Localized,
    url: Url,
    /** Who publishes it (for official resources). */
    publisher: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export const PathwayRulesSchema = Type.Object(
  {
    /** Raised when the meaning of the rules changes: saved outcomes keep the version they were made with. */
    version: Type.Integer({ minimum: 1 }),
    sources: Type.Array(SourceSchema, { minItems: 1 }),
    steps: Type.Array(StepSchema, { minItems: 1 }),
    rules: Type.Array(RuleSchema, { minItems: 1 }),
    /** Why an eligible service is eligible (the conditions met), citing the official FAQ. */
    eligible: Type.Object(
      { wording: Localized, sources: Type.Array(Identifier, { minItems: 1 }) },
      { additionalProperties: false },
    ),
    typologies: Type.Array(TypologySchema, { minItems: 2 }),
    /** The finalités for which data exchange is allowed (option values of the finalités question). */
    legalFinalites: Type.Object(
      { question: Identifier, values: Type.Array(Identifier, { minItems: 1 }) },
      { additionalProperties: false },
    ),
    orientation: Type.Array(OrientationMappingSchema),
    roadmap: Type.Array(RoadmapStepSchema, { minItems: 1 }),
    vigilance: Type.Array(VigilanceSchema, { minItems: 1 }),
    resources: Type.Array(ResourceSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type PathwayRules = Static<typeof PathwayRulesSchema>;
export type Step = Static<typeof StepSchema>;
export type PathwayQuestion = Static<typeof PathwayQuestionSchema>;
export type Rule = Static<typeof RuleSchema>;
export type Typology = Static<typeof TypologySchema>;
export type RoadmapStep = Static<typeof RoadmapStepSchema>;
export type Vigilance = Static<typeof VigilanceSchema>;
export type Resource = Static<typeof ResourceSchema>;
export type Source = Static<typeof SourceSchema>;
export type TextVariant = Static<typeof Variant>;
