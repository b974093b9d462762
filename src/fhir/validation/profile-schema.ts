/**
 * Schemas of the FHIR definition files under `src/fhir/profiles/`: profiles, extensions and value sets are
 * data (one YAML file each), so a new IG version is a data change. They are mesref's own compact
 * definitions, written from the published IGs: a profile lists the rules it adds to its base, flattened
 * (the chain of parents is written out once, in the files named by `basedOn`).
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';

const Localized = Type.Object(
  { fr: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  {
    additionalProperties: false,
  },
);

const Binding = Type.Object(
  {
    /** Canonical URL of the value set (a value-set file, or an external one that is not checked). */
    valueSet: Type.String({ minLength: 1 }),
    /** required: a code outside the set is an error; extensible: a warning; preferred/example: nothing. */
    strength: Type.Union([
      Type.Literal('required'),
      Type.Literal('extensible'),
      Type.Literal('preferred'),
      Type.Literal('example'),
    ]),
  },
  { additionalProperties: false },
);

/** Dotted path of JSON names from the element the rule applies to; `[x]` marks a choice (`value[x]`). */
const ElementPath = Type.String({
  pattern: '^[a-zA-Z][a-zA-Z0-9]*(\\[x\\])?(\\.[a-zA-Z][a-zA-Z0-9]*(\\[x\\])?)*$',
});

const Since = Type.String({ pattern: '^\\d+\\.\\d+\\.\\d+$' });

const elementFields = (Self: TSchema) => ({
  path: ElementPath,
  min: Type.Optional(Type.Integer({ minimum: 0 })),
  max: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Literal('*')])),
  /** For a choice path: the type suffixes allowed (`Quantity`, `dateTime`). */
  types: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z]+$' }), { minItems: 1 })),
  /** FHIR pattern: primitives equal; objects match key by key; each array item of the pattern matches an item. */
  pattern: Type.Optional(Type.Unknown()),
  binding: Type.Optional(Binding),
  /** For a Reference: resource types a literal `reference` may point to. */
  referenceTypes: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z][A-Za-z]+$' }), { minItems: 1 })),
  /** Regular expression a primitive value must match (used sparingly, for identifiers the IGs define). */
  regex: Type.Optional(Type.String()),
  /** Slices of an array element: items that match `match` must follow `elements`. */
  slices: Type.Optional(
    Type.Array(
      Type.Object(
        {
          name: Type.String({ minLength: 1 }),
          match: Type.Unknown(),
          min: Type.Optional(Type.Integer({ minimum: 0 })),
          max: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Literal('*')])),
          since: Type.Optional(Since),
          elements: Type.Optional(Type.Array(Self)),
        },
        { additionalProperties: false },
      ),
    ),
  ),
  /** IG version that added the rule: resources of earlier versions get a warning instead of an error. */
  since: Type.Optional(Since),
  /** Why the rule is there, for people reading the file. */
  note: Type.Optional(Type.String()),
});

export const ElementRuleSchema = Type.Recursive(
  (Self) => Type.Object(elementFields(Self), { additionalProperties: false }),
  {
    $id: 'ElementRule',
  },
);

const ExtensionUse = Type.Object(
  {
    slice: Type.String({ minLength: 1 }),
    url: Type.String({ minLength: 1 }),
    min: Type.Optional(Type.Integer({ minimum: 0 })),
    max: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Literal('*')])),
    /** Binds the extension's value in this profile (the extension itself may leave it open). */
    binding: Type.Optional(Binding),
    since: Type.Optional(Since),
  },
  { additionalProperties: false },
);

const Source = Type.String({ minLength: 1, description: 'the public text the definition rests on' });

export const ProfileFileSchema = Type.Object(
  {
    kind: Type.Literal('profile'),
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }),
    resourceType: Type.String({ pattern: '^[A-Z][A-Za-z]+$' }),
    title: Localized,
    /** Canonical URL a resource names in `meta.profile`; absent for an abstract rule set. */
    canonical: Type.Optional(Type.String({ minLength: 1 })),
    /** Other `meta.profile` URLs that mean this profile (earlier canonical families). */
    aliases: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    /** IG and version the definition follows. */
    ig: Type.String({ minLength: 1 }),
    version: Since,
    /** A rule set whose rules apply first (the flattened parent). */
    basedOn: Type.Optional(Type.String()),
    /** A base rule set nobody claims in meta.profile (HL7 vitalsigns). */
    abstract: Type.Optional(Type.Boolean()),
    /** Codings that identify the profile when a resource has no meta.profile. */
    identifiedBy: Type.Optional(
      Type.Array(
        Type.Object({ system: Type.String(), code: Type.String() }, { additionalProperties: false }),
      ),
    ),
    /** Bundle profiles in which a resource of this type without meta.profile takes this profile. */
    inBundles: Type.Optional(Type.Array(Type.String())),
    /** What the MES API does with resources of this profile. */
    mes: Type.Optional(
      Type.Object(
        {
          /** false: MES refuses to create it (BMI, computed by MES). */
          creatable: Type.Boolean(),
          /** Accepted as the Observation of a measures push Bundle. */
          pushBundle: Type.Boolean(),
          /** Data category of the referential (consent, scopes). */
          dataCategory: Type.Optional(Type.String()),
          /** The observation carries components instead of a value (blood pressure). */
          valueIn: Type.Optional(Type.Union([Type.Literal('value'), Type.Literal('component')])),
          /**
           * Extensions MES requires or refuses for a given code (the glucose rules of the API). `name` is the
           * word of MES's own diagnostic: « Observation.extension.<name> is mandatory ».
           */
          extensionRules: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  code: Type.String({ minLength: 1 }),
                  extension: Type.String({ minLength: 1 }),
                  name: Type.String({ minLength: 1 }),
                  presence: Type.Union([Type.Literal('required'), Type.Literal('forbidden')]),
                },
                { additionalProperties: false },
              ),
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    elements: Type.Optional(Type.Array(ElementRuleSchema)),
    extensions: Type.Optional(Type.Array(ExtensionUse)),
    /** Keys of invariants the engine implements (vs-1, obs-7, fr-core-1…). */
    invariants: Type.Optional(Type.Array(Type.String())),
    source: Source,
  },
  { additionalProperties: false },
);

const ValueSpec = Type.Object(
  {
    types: Type.Array(Type.String({ pattern: '^[A-Za-z]+$' }), { minItems: 1 }),
    binding: Type.Optional(Binding),
    pattern: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

export const ExtensionFileSchema = Type.Object(
  {
    kind: Type.Literal('extension'),
    id: Type.String({ pattern: '^[a-z0-9][a-zA-Z0-9-]*$' }),
    url: Type.String({ minLength: 1 }),
    aliases: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    title: Localized,
    ig: Type.String({ minLength: 1 }),
    version: Since,
    /** Resource types the extension may appear on. */
    context: Type.Array(Type.String(), { minItems: 1 }),
    /** A simple extension: its value. */
    value: Type.Optional(ValueSpec),
    /** A complex extension: its sub-extensions, by their relative url. */
    extensions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            url: Type.String({ minLength: 1 }),
            min: Type.Integer({ minimum: 0 }),
            max: Type.Union([Type.Integer({ minimum: 0 }), Type.Literal('*')]),
            value: ValueSpec,
          },
          { additionalProperties: false },
        ),
      ),
    ),
    /** No longer in the current IG version; accepted with a warning. */
    retiredIn: Type.Optional(Since),
    source: Source,
  },
  { additionalProperties: false },
);

export const ValueSetFileSchema = Type.Object(
  {
    kind: Type.Literal('valueset'),
    id: Type.String({ pattern: '^[a-z0-9][a-zA-Z0-9-]*$' }),
    url: Type.String({ minLength: 1 }),
    aliases: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    oid: Type.Optional(Type.String({ pattern: '^[0-9]+(\\.[0-9]+)+$' })),
    title: Localized,
    version: Type.Optional(Type.String()),
    include: Type.Array(
      Type.Object(
        {
          system: Type.String({ minLength: 1 }),
          /** Other systems that carried the same codes in earlier versions. */
          systemAliases: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
          /** Every code of the system (the code system itself is not enumerated). */
          all: Type.Optional(Type.Literal(true)),
          concepts: Type.Optional(
            Type.Array(
              Type.Object(
                { code: Type.String({ minLength: 1 }), display: Type.String() },
                { additionalProperties: false },
              ),
              { minItems: 1 },
            ),
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
    source: Source,
  },
  { additionalProperties: false },
);

export const DefinitionFileSchema = Type.Union([ProfileFileSchema, ExtensionFileSchema, ValueSetFileSchema]);

export type ElementRule = Static<typeof ElementRuleSchema>;
export type ProfileFile = Static<typeof ProfileFileSchema>;
export type ExtensionFile = Static<typeof ExtensionFileSchema>;
export type ValueSetFile = Static<typeof ValueSetFileSchema>;
export type DefinitionFile = Static<typeof DefinitionFileSchema>;
export type BindingSpec = Static<typeof Binding>;
