// mesref-test: no-database (runs once, not once per database lane)
/**
 * Properties of the validator on inputs nobody wrote by hand: random JSON values, random texts (garbled
 * fixtures, random unicode, absurd nesting, huge numbers) and random single mutations of the valid
 * fixtures. Whatever it is given, it answers (never throws, never hangs), its answer is consistent
 * (`valid` is false exactly when an issue is an error or fatal) and every issue is one a person can read
 * (a message id of the catalogue, an expression rooted at the resource type). And every valid fixture is
 * valid under both rule sets.
 *
 * Each validation runs in a worker thread that this file waits for synchronously with a time budget: a
 * validation that loops forever fails its case (the worker is replaced) instead of stalling the suite, and
 * one that takes longer than the budget fails too. The worker's stack is sized like a main thread's, so a
 * stack overflow there is one the CLI or the server would hit.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import fc from 'fast-check';
import type { ValidationIssue } from './issues.ts';
import { validationMessages } from './messages.ts';
import type { ValidateOptions, ValidationResult } from './validator.ts';

/**
 * A validation with no answer after this long is a hang (a runaway on some input), and fails. Speed itself is
 * measured by `npm run bench:validator`, never asserted here: a loaded machine would make such a test flaky.
 */
const HANG_MS = 30_000;
/** Loading the validator and its definitions in a fresh worker. */
const STARTUP_MS = 60_000;

// Seeds are random on each run; fast-check prints the failing one, which MESREF_FC_SEED replays.
if (process.env.MESREF_FC_SEED) fc.configureGlobal({ seed: Number(process.env.MESREF_FC_SEED) });

type Json = fc.JsonValue;
type Rules = NonNullable<ValidateOptions['rules']>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ── fixtures ────────────────────────────────────────────────────────────────────────────────────────────

interface Fixture {
  name: string;
  /** `*.ig-only.json`: valid under the IG profiles, refused by the MES API rules (a BMI, for one). */
  igOnly: boolean;
  text: string;
  value: { resourceType: string } & Record<string, Json>;
}

const FIXTURE_DIRS = ['mesures', 'pdsm'].map((dir) =>
  fileURLToPath(new URL(`./fixtures/${dir}/`, import.meta.url)),
);

/**
 * A body-weight measure as MES receives it (Mesures de santé IG 3.1.1 example, 71 kg), used only while the
 * fixture folders hold no file.
 */
const FALLBACK_OBSERVATION = {
  resourceType: 'Observation',
  id: '5138af77-df7e-4b9d-ba17-07ba3ebb950a',
  meta: {
    profile: [
      'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/mesures-fr-observation-body-weight',
    ],
  },
  extension: [
    {
      url: 'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/mesures-reason-for-measurement',
      valueString: 'Mon nouveau poids !',
    },
  ],
  status: 'final',
  category: [
    {
      coding: [
        {
          system: 'http://terminology.hl7.org/CodeSystem/observation-category',
          code: 'vital-signs',
          display: 'vital-signs',
        },
      ],
    },
  ],
  code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Poids corporel' }] },
  subject: { identifier: { system: 'urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2560', value: 'id-value' } },
  effectiveDateTime: '2022-08-22T01:56:16+01:00',
  valueQuantity: { value: 71, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
};

/** Every `*.json` file directly in the fixture folders (sub-folders are left to the rule tests). */
function loadFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const dir of FIXTURE_DIRS) {
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.json')) continue;
      const text = readFileSync(join(dir, file), 'utf8');
      fixtures.push({
        name: `${dir.split('/').at(-2)}/${file}`,
        igOnly: file.includes('.ig-only.'),
        text,
        value: JSON.parse(text),
      });
    }
  }
  if (fixtures.length === 0) {
    const text = JSON.stringify(FALLBACK_OBSERVATION, null, 2);
    fixtures.push({ name: 'fallback body-weight Observation', igOnly: false, text, value: JSON.parse(text) });
  }
  return fixtures;
}

// ── the validator in a worker, called synchronously with a time budget ──────────────────────────────────

type Request =
  | { kind: 'value'; value: unknown; options: ValidateOptions }
  | { kind: 'parsed'; text: string; options: ValidateOptions }
  | { kind: 'text'; text: string; options: ValidateOptions };

type Outcome =
  | { state: 'answered'; result: ValidationResult; ms: number }
  | { state: 'threw'; error: string; ms: number }
  | { state: 'hung' };

/**
 * CommonJS run by the worker: loads the validator through tsx, then answers each request on `port` and
 * raises the shared flag. 'parsed' requests are JSON texts the worker parses before calling
 * `validateResource`, since structured cloning would itself overflow on deep values.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const flag = new Int32Array(workerData.flag);
function reply(message) {
  try { workerData.port.postMessage(message); }
  catch (error) { workerData.port.postMessage({ error: 'answer not transferable: ' + error, ms: message.ms }); }
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
import(workerData.tsx)
  .then(({ register }) => { register(); return import(workerData.validator); })
  .then((validator) => {
    reply({ ready: true });
    parentPort.on('message', (request) => {
      const value = request.kind === 'parsed' ? JSON.parse(request.text) : request.value;
      const started = performance.now();
      try {
        const result = request.kind === 'text'
          ? validator.validateText(request.text, request.options)
          : validator.validateResource(value, request.options);
        reply({ result, ms: performance.now() - started });
      } catch (error) {
        reply({ error: String((error && error.stack) || error), ms: performance.now() - started });
      }
    });
  })
  .catch((error) => reply({ error: 'the validator did not load: ' + ((error && error.stack) || error) }));
`;

class ValidatorWorker {
  private worker!: Worker;
  private port!: MessagePort;
  private flag!: Int32Array;

  constructor() {
    this.start();
  }

  private start(): void {
    const channel = new MessageChannel();
    const shared = new SharedArrayBuffer(4);
    this.flag = new Int32Array(shared);
    this.port = channel.port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // About a main thread's V8 stack (984 kB), so that deep inputs overflow here when they would there.
      resourceLimits: { stackSizeMb: 1 },
      workerData: {
        flag: shared,
        port: channel.port2,
        tsx: import.meta.resolve('tsx/esm/api'),
        validator: new URL('./validator.ts', import.meta.url).href,
      },
      transferList: [channel.port2],
    });
    this.worker.unref();
    const answer = this.wait(STARTUP_MS);
    if (!answer || !(answer as { ready?: boolean }).ready) {
      throw new Error(
        `validator worker: ${answer ? (answer as { error: string }).error : 'no answer at startup'}`,
      );
    }
  }

  private wait(ms: number): unknown {
    if (Atomics.wait(this.flag, 0, 0, ms) === 'timed-out') return undefined;
    Atomics.store(this.flag, 0, 0);
    // The flag can be raised before the port has delivered the message: poll briefly for it.
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (let tries = 0; tries < 1000; tries++) {
      const received = receiveMessageOnPort(this.port);
      if (received) return received.message;
      Atomics.wait(sleeper, 0, 0, 1);
    }
    return undefined;
  }

  run(request: Request): Outcome {
    this.worker.postMessage(request);
    const answer = this.wait(HANG_MS) as
      | { result?: ValidationResult; error?: string; ms: number }
      | undefined;
    if (!answer) {
      void this.worker.terminate();
      this.port.close();
      this.start();
      return { state: 'hung' };
    }
    if (answer.result) return { state: 'answered', result: answer.result, ms: answer.ms };
    return { state: 'threw', error: answer.error ?? 'unknown', ms: answer.ms };
  }

  close(): Promise<number> {
    this.port.close();
    return this.worker.terminate();
  }
}

// ── what every answer must be ───────────────────────────────────────────────────────────────────────────

const SEVERITIES = new Set(['fatal', 'error', 'warning', 'information']);

const describeInput = (input: string) =>
  input.length > 300 ? `${input.slice(0, 300)}… (${input.length} chars)` : input;

/** A generated text, reported by fast-check by its start and length: some are megabytes long. */
interface Text extends fc.WithToStringMethod {
  text: string;
}
const asText = (text: string): Text => ({
  text,
  [fc.toStringMethod]: () => JSON.stringify(describeInput(text)),
});

/**
 * Checks one answer. `root` is the resource type every expression must start with, or undefined when the
 * input is not a JSON object with a resourceType (then `Resource`, or whatever the text parses to).
 */
function checkAnswer(outcome: Outcome, input: () => string, root?: string): ValidationResult {
  if (outcome.state === 'hung') assert.fail(`no answer within ${HANG_MS} ms for ${describeInput(input())}`);
  if (outcome.state === 'threw') assert.fail(`threw ${outcome.error}\nfor ${describeInput(input())}`);
  const { issues, valid } = outcome.result;
  assert.ok(Array.isArray(issues), 'issues is an array');
  const errors = issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
  assert.equal(valid, errors.length === 0, `valid is ${valid} with ${errors.length} error(s)`);
  for (const issue of issues as ValidationIssue[]) {
    assert.ok(SEVERITIES.has(issue.severity), `severity ${issue.severity}`);
    assert.ok(typeof issue.messageId === 'string' && issue.messageId.length > 0, 'a message id');
    assert.ok(
      Object.hasOwn(validationMessages, issue.messageId),
      `message id ${issue.messageId} in the catalogue`,
    );
    assert.equal(typeof issue.expression, 'string', `expression of ${issue.messageId}`);
    if (root !== undefined) {
      const rooted = issue.expression === root || /^[.[]/.test(issue.expression.slice(root.length));
      assert.ok(
        issue.expression.startsWith(root) && rooted,
        `${issue.messageId}: expression ${issue.expression} not rooted at ${root}`,
      );
    }
  }
  return outcome.result;
}

/** The root every expression of a parsed resource starts with. */
const rootOf = (value: unknown): string =>
  isObject(value) && typeof value.resourceType === 'string' ? value.resourceType : 'Resource';

// ── generators ──────────────────────────────────────────────────────────────────────────────────────────

const rulesArb = fc.constantFrom<Rules>('mes', 'ig');

const RESOURCE_TYPES = [
  'Observation',
  'Bundle',
  'Device',
  'Patient',
  'DocumentReference',
  'List',
  'Binary',
  'Practitioner',
  'Organization',
  'OperationOutcome',
];

/** Resource types, real and not: lookups by a type name must not find inherited object members. */
const resourceTypeArb = fc.oneof(
  fc.constantFrom(...RESOURCE_TYPES),
  fc.constantFrom('', ' ', 'observation', 'Resource', 'DomainResource', 'Element', 'Quantity', 'string'),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'),
  fc.string({ maxLength: 12 }),
);

/** Element names mesref reads, names that collide with object members, and random ones. */
const keyArb = fc.oneof(
  fc.constantFrom(
    'resourceType',
    'id',
    'meta',
    'profile',
    'extension',
    'url',
    'valueString',
    'valueQuantity',
    'valueCodeableConcept',
    'value',
    'unit',
    'system',
    'code',
    'coding',
    'status',
    'category',
    'subject',
    'identifier',
    'reference',
    'effectiveDateTime',
    'effectivePeriod',
    'component',
    'device',
    'entry',
    'resource',
    'fullUrl',
    'request',
    'method',
    'ifNoneExist',
    'contained',
    'content',
    'attachment',
    'data',
    'size',
    'hash',
    'type',
    '_status',
    '_effectiveDateTime',
  ),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'length', '0', ''),
  fc.string({ maxLength: 10 }),
);

/** JSON values shaped like resources: objects with FHIR element names, arrays, primitives. */
const { fhirish } = fc.letrec<{ fhirish: Json }>((tie) => ({
  fhirish: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.jsonValue({ maxDepth: 1 }),
    fc.dictionary(keyArb, tie('fhirish'), { maxKeys: 6 }) as fc.Arbitrary<Json>,
    fc.array(tie('fhirish'), { maxLength: 4 }),
  ),
}));

const resourceLikeArb = fc
  .tuple(resourceTypeArb, fc.dictionary(keyArb, fhirish, { maxKeys: 8 }))
  .map(([resourceType, rest]) => ({ ...rest, resourceType }) as Json);

/** Values no JSON text gives: undefined, NaN, boxed values, dates, maps, sparse arrays… */
const exoticArb = fc.oneof(
  fc.anything({
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withSparseArray: true,
    withTypedArray: true,
    maxDepth: 3,
  }),
  fc
    .tuple(
      resourceTypeArb,
      fc.object({ key: keyArb, maxDepth: 3, withBoxedValues: true, withSparseArray: true }),
    )
    .map(([resourceType, rest]) => ({ ...rest, resourceType })),
);

/** A nesting of `depth` levels, as JSON text, in shapes the validator walks in different ways. */
function nested(shape: string, depth: number): string {
  switch (shape) {
    case 'arrays':
      return `{"resourceType":"Observation","note":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    case 'objects':
      return `{"resourceType":"Observation","valueQuantity":${'{"extension":[{"url":"x","valueQuantity":'.repeat(depth)}{}${'}]}'.repeat(depth)}}`;
    case 'extensions':
      return `{"resourceType":"Observation","extension":[${'{"url":"https://mesref.fr/x","extension":['.repeat(depth)}{"url":"https://mesref.fr/x","valueString":"a"}${']}'.repeat(depth)}]}`;
    case 'bundles':
      return `${'{"resourceType":"Bundle","type":"collection","entry":[{"resource":'.repeat(depth)}{"resourceType":"Patient"}${'}]}'.repeat(depth)}`;
    case 'contained':
      return `${'{"resourceType":"Observation","contained":['.repeat(depth)}{"resourceType":"Device"}${']}'.repeat(depth)}`;
    case 'unknown':
      return `{"resourceType":"Observation","unknownElement":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    default:
      return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  }
}

const NESTING_SHAPES = ['arrays', 'objects', 'extensions', 'bundles', 'contained', 'unknown', 'bare'];

const depthArb = fc.oneof(
  fc.integer({ min: 1, max: 300 }),
  fc.integer({ min: 300, max: 20_000 }),
  fc.integer({ min: 20_000, max: 100_000 }),
  fc.constant(100_000),
);

/** Shape and depth rather than the text, so that a counterexample reads `["bundles",1955]`. */
const nestingArb = fc.tuple(fc.constantFrom(...NESTING_SHAPES), depthArb);

// ── mutations of a fixture ──────────────────────────────────────────────────────────────────────────────

type Path = (string | number)[];

/** Every path below the root of a JSON value, each with the value found there. */
function pathsOf(value: unknown, prefix: Path = [], out: { path: Path; value: unknown }[] = []) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push({ path: [...prefix, index], value: item });
      pathsOf(item, [...prefix, index], out);
    });
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      out.push({ path: [...prefix, key], value: item });
      pathsOf(item, [...prefix, key], out);
    }
  }
  return out;
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  return node;
}

type Mutation =
  | { kind: 'delete'; path: Path }
  | { kind: 'replace'; path: Path; value: Json }
  | { kind: 'array'; path: Path; how: 'duplicate' | 'empty' }
  | { kind: 'retype'; path: Path; to: 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object' }
  | { kind: 'rename'; path: Path; name: string };

function retyped(value: unknown, to: string): Json {
  const primitive = value as string | number | boolean | null;
  switch (to) {
    case 'string':
      return typeof value === 'string' ? `${value}x` : String(value);
    case 'number':
      return typeof value === 'number' ? -value - 0.5 : typeof value === 'string' ? value.length : 1;
    case 'boolean':
      return typeof value === 'boolean' ? !value : true;
    case 'array':
      return [primitive];
    case 'object':
      return { value: primitive };
    default:
      return null;
  }
}

/** Applies one mutation to a copy of `value`. */
function mutate(value: Json, mutation: Mutation): Json {
  const copy = structuredClone(value);
  const parent = parentOf(copy, mutation.path);
  const last = mutation.path.at(-1) as string | number;
  switch (mutation.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      break;
    case 'replace':
      parent[last] = mutation.value;
      break;
    case 'array': {
      const array = parent[last] as Json[];
      parent[last] = mutation.how === 'empty' ? [] : [...array, ...structuredClone(array)];
      break;
    }
    case 'retype':
      parent[last] = retyped(parent[last], mutation.to);
      break;
    case 'rename': {
      // Rebuilt in order, so the renamed key keeps its place in the text.
      const entries = Object.entries(parent).map(([key, item]) => [key === last ? mutation.name : key, item]);
      for (const key of Object.keys(parent)) delete parent[key];
      for (const [key, item] of entries)
        Object.defineProperty(parent, key as string, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      break;
    }
  }
  return copy;
}

function mutationArb(fixture: Fixture): fc.Arbitrary<Mutation> {
  const all = pathsOf(fixture.value);
  const paths = all.map((entry) => entry.path);
  const keyed = paths.filter((path) => typeof path.at(-1) === 'string');
  const arrays = all.filter((entry) => Array.isArray(entry.value)).map((entry) => entry.path);
  const primitives = all
    .filter((entry) => entry.value === null || typeof entry.value !== 'object')
    .map((entry) => entry.path);
  const choices: fc.Arbitrary<Mutation>[] = [
    fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...paths) }),
    fc.record({
      kind: fc.constant('replace' as const),
      path: fc.constantFrom(...paths),
      value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fhirish),
    }),
    fc.record({
      kind: fc.constant('retype' as const),
      path: fc.constantFrom(...primitives),
      to: fc.constantFrom(
        'string' as const,
        'number' as const,
        'boolean' as const,
        'null' as const,
        'array' as const,
        'object' as const,
      ),
    }),
    fc.record({ kind: fc.constant('rename' as const), path: fc.constantFrom(...keyed), name: keyArb }),
  ];
  if (arrays.length > 0) {
    choices.push(
      fc.record({
        kind: fc.constant('array' as const),
        path: fc.constantFrom(...arrays),
        how: fc.constantFrom('duplicate' as const, 'empty' as const),
      }),
    );
  }
  return fc.oneof(...choices);
}

// ── texts made from the fixtures ────────────────────────────────────────────────────────────────────────

const HUGE_NUMBERS = [
  '1e999999',
  '-1e400',
  '1e-400',
  '-0',
  '1.7976931348623157e309',
  '0.0000000000000000000000000000000000000000000000001',
  '9'.repeat(400),
  `1.${'0'.repeat(5000)}1`,
  `-${'1234567890'.repeat(1000)}`,
];

function fixtureTextArb(fixtures: Fixture[]): fc.Arbitrary<string> {
  const fixtureArb = fc.constantFrom(...fixtures);
  const truncated = fc
    .tuple(fixtureArb, fc.nat())
    .map(([f, at]) => f.text.slice(0, at % (f.text.length + 1)));
  const edit = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 8 }),
    insert: fc.string({ unit: 'binary', maxLength: 4 }),
  });
  const garbled = fc.tuple(fixtureArb, fc.array(edit, { minLength: 1, maxLength: 6 })).map(([f, edits]) => {
    let text = f.text;
    for (const { at, remove, insert } of edits) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + insert + text.slice(i + remove);
    }
    return text;
  });
  // A huge number in place of any value of the fixture, written as JSON text (JSON.stringify cannot).
  const hugeNumber = fixtureArb.chain((f) =>
    fc
      .tuple(
        fc.constant(f),
        fc.constantFrom(...pathsOf(f.value).map((p) => p.path)),
        fc.constantFrom(...HUGE_NUMBERS),
      )
      .map(([fixture, path, number]) => {
        const copy = mutate(fixture.value, { kind: 'replace', path, value: '\u0000huge' });
        return JSON.stringify(copy).replace('"\\u0000huge"', number);
      }),
  );
  // A key repeated in an object: the second one must not silently win.
  const duplicateKey = fc.tuple(fixtureArb, fc.jsonValue({ maxDepth: 1 })).map(([f, value]) => {
    const key = Object.keys(f.value)[1] ?? 'resourceType';
    return f.text.replace('{', `{${JSON.stringify(key)}:${JSON.stringify(value)},`);
  });
  return fc.oneof(truncated, garbled, hugeNumber, duplicateKey);
}

const oddTextArb = fc.constantFrom(
  '',
  ' ',
  '\uFEFF',
  '\uFEFF{"resourceType":"Observation"}',
  'null',
  'true',
  '0',
  '[]',
  '{}',
  '"Observation"',
  'NaN',
  'undefined',
  '{"resourceType":"Observation"',
  '{"resourceType":"Observation",}',
  "{'resourceType':'Observation'}",
  '{"resourceType":"Observation","status":"final"}garbage',
  '{"resourceType":"Observation","resourceType":"Bundle"}',
  '{"resourceType":"\\ud800"}',
  '{"resourceType":"Observation","\\u0000":1}',
  '{"__proto__":{"resourceType":"Observation"}}',
  '{"resourceType":"Observation","__proto__":{"status":"final"}}',
  '{"resourceType":"Observation","constructor":{"prototype":{"valid":true}}}',
  '1'.repeat(20_000),
  `"${'a'.repeat(100_000)}"`,
  `{${'"a":1,'.repeat(50_000)}"resourceType":"Observation"}`,
  `[${'1,'.repeat(100_000)}1]`,
  '['.repeat(100_000),
  '{"a":'.repeat(100_000),
  `{"resourceType":"Bundle","entry":${'[{"resource":'.repeat(50_000)}`,
);

// ── the properties ──────────────────────────────────────────────────────────────────────────────────────

describe('fhir validation: properties of the validator', () => {
  const fixtures = loadFixtures();
  let worker: ValidatorWorker;
  const validateResource = (value: unknown, rules: Rules) =>
    worker.run({ kind: 'value', value, options: { rules } });
  const validateParsed = (text: string, rules: Rules) =>
    worker.run({ kind: 'parsed', text, options: { rules } });
  const validateText = (text: string, options: ValidateOptions) =>
    worker.run({ kind: 'text', text, options });

  before(() => {
    worker = new ValidatorWorker();
  });
  after(() => worker.close());

  it('answers any JSON value without throwing, with a consistent verdict and catalogued messages', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 4 }), resourceLikeArb), rulesArb, (value, rules) => {
        const text = JSON.stringify(value);
        checkAnswer(validateParsed(text, rules), () => text, rootOf(value));
      }),
      { numRuns: 1500 },
    );
  });

  it('answers values no JSON text gives (undefined, NaN, boxed values, sparse arrays…) without throwing', () => {
    fc.assert(
      fc.property(exoticArb, rulesArb, (value, rules) => {
        checkAnswer(validateResource(value, rules), () => fc.stringify(value), rootOf(value));
      }),
      { numRuns: 500 },
    );
  });

  it('answers resources nested up to 100 000 levels deep (as a JSON body parser gives them)', () => {
    fc.assert(
      fc.property(nestingArb, rulesArb, ([shape, depth], rules) => {
        const text = nested(shape, depth);
        checkAnswer(
          validateParsed(text, rules),
          () => `${shape} nested ${depth} levels`,
          rootOf(JSON.parse(text)),
        );
      }),
      {
        numRuns: 40,
        examples: NESTING_SHAPES.map((shape) => [[shape, 100_000], 'mes'] as [[string, number], Rules]),
      },
    );
  });

  it('answers any text: random unicode, JSON, garbled or truncated fixtures, huge numbers, deep nesting', () => {
    const textArb = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 50 }),
      fc.json({ maxDepth: 4 }),
      resourceLikeArb.map((value) => JSON.stringify(value, null, 2)),
      fixtureTextArb(fixtures),
      fixtureTextArb(fixtures),
      nestingArb.map(([shape, depth]) => nested(shape, depth)),
      fc
        .tuple(
          fc.constantFrom('[', '{"a":', '{"resourceType":"Observation","extension":[{"extension":['),
          depthArb,
        )
        .map(([open, depth]) => open.repeat(depth)),
      oddTextArb,
    );
    fc.assert(
      fc.property(textArb.map(asText), rulesArb, ({ text }, rules) => {
        checkAnswer(validateText(text, { rules }), () => text);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a text over the size limit, and reaches the nesting check when the limit is raised', () => {
    const large = checkAnswer(
      validateText(`{"resourceType":"Observation"${' '.repeat(5 * 1024 * 1024)}}`, {}),
      () => 'a 5 MiB text',
    );
    assert.equal(large.valid, false);
    for (const shape of NESTING_SHAPES) {
      const text = nested(shape, 100_000);
      const deep = checkAnswer(validateText(text, { maxBytes: 64 * 1024 * 1024 }), () => text);
      assert.equal(deep.valid, false, `${shape} nested 100 000 levels is refused`);
    }
  });

  it('answers every single mutation of every fixture, with expressions rooted at the resource type', () => {
    const byName = new Map(fixtures.map((fixture) => [fixture.name, fixture]));
    const arb = fc
      .constantFrom(...byName.keys())
      .chain((name) =>
        fc.tuple(fc.constant(name), mutationArb(byName.get(name) as Fixture), rulesArb, fc.boolean()),
      );
    fc.assert(
      fc.property(arb, ([name, mutation, rules, alsoAsText]) => {
        const mutant = mutate((byName.get(name) as Fixture).value, mutation);
        const text = JSON.stringify(mutant, null, alsoAsText ? 2 : undefined);
        const input = () => `${name} with ${JSON.stringify(mutation)}`;
        checkAnswer(validateParsed(text, rules), input, rootOf(mutant));
        if (alsoAsText) checkAnswer(validateText(text, { rules }), input, rootOf(mutant));
      }),
      { numRuns: 2500 },
    );
  });

  for (const rules of ['mes', 'ig'] as const) {
    it(`finds no error in any valid fixture under the '${rules}' rules`, () => {
      for (const fixture of fixtures.filter((f) => rules === 'ig' || !f.igOnly)) {
        for (const [how, outcome] of [
          ['validateResource', validateResource(fixture.value, rules)],
          ['validateText', validateText(fixture.text, { rules })],
        ] as const) {
          const { issues, valid } = checkAnswer(outcome, () => fixture.name, fixture.value.resourceType);
          const errors = issues.filter((issue) => issue.severity === 'error' || issue.severity === 'fatal');
          assert.ok(
            valid && errors.length === 0,
            `${fixture.name} (${how}): ${errors.map((e) => `${e.expression} ${e.messageId} ${JSON.stringify(e.params ?? {})}`).join('; ')}`,
          );
        }
      }
    });
  }
});
