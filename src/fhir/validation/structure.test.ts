// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ValidationIssue } from './issues.ts';
import { validationMessages } from './messages.ts';
import { structureMessages } from './messages-structure.ts';
import { checkStructure, isResourceType } from './structure.ts';

type Json = Record<string, unknown>;

/** A body weight as MES receives it: valid FHIR R4. */
function bodyWeight(): Json {
  return {
    resourceType: 'Observation',
    id: 'poids-1',
    meta: {
      profile: [
        'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/mesures-fr-observation-body-weight',
      ],
      source: 'urn:oid:1.2.250.1.213.1.1.9',
    },
    text: {
      status: 'generated',
      div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Poids : 71,2 kg</p></div>',
    },
    extension: [
      {
        url: 'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/mesures-reason-for-measurement',
        valueString: 'Suivi du poids',
      },
    ],
    status: 'final',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/observation-category',
            code: 'vital-signs',
            display: 'Vital Signs',
          },
        ],
      },
    ],
    code: {
      coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body weight' }],
      text: 'Poids',
    },
    subject: {
      identifier: { system: 'urn:oid:1.2.250.1.213.1.4.10', value: '1234567890123', use: 'official' },
    },
    effectiveDateTime: '2024-03-31T08:30:00+02:00',
    issued: '2024-03-31T08:31:12.123Z',
    valueQuantity: {
      value: 71.2,
      unit: 'kg',
      system: 'http://unitsofmeasure.org',
      code: 'kg',
      comparator: '<',
    },
    note: [{ text: 'Mesure du matin, à jeun.', time: '2024-03-31' }],
    device: { reference: 'Device/balance-1' },
  };
}

function bloodPressure(): Json {
  const observation = bodyWeight();
  delete observation.valueQuantity;
  observation.code = { coding: [{ system: 'http://loinc.org', code: '85354-9' }] };
  observation.component = [
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
      valueQuantity: { value: 107, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
    {
      code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
      valueQuantity: { value: 60, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
    },
  ];
  return observation;
}

function patient(): Json {
  return {
    resourceType: 'Patient',
    identifier: [{ use: 'official', system: 'urn:oid:1.2.250.1.213.1.4.8', value: '248092B12345678' }],
    name: [{ use: 'official', family: 'Durand', given: ['Marie', 'Anne'] }],
    gender: 'female',
    birthDate: '1980-02-29',
    _birthDate: {
      extension: [
        {
          url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime',
          valueDateTime: '1980-02-29T10:15:00+01:00',
        },
      ],
    },
    multipleBirthInteger: 2,
  };
}

function documentReference(): Json {
  return {
    resourceType: 'DocumentReference',
    contained: [
      { resourceType: 'Binary', contentType: 'text/plain', data: 'aGVsbG8=' },
      { resourceType: 'Patient', id: 'p', name: [{ family: 'Durand' }] },
    ],
    status: 'current',
    docStatus: 'final',
    subject: { reference: '#p' },
    content: [
      {
        attachment: {
          contentType: 'text/plain',
          url: 'Binary/b1',
          size: 5,
          hash: 'qvTGHdzF6KLavt4PO0gs2a6pQ00=',
        },
      },
    ],
  };
}

function pushBundle(): Json {
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:6f3c2a1e-5b4d-4c3a-9e8f-7a6b5c4d3e2f',
        resource: { resourceType: 'Device', status: 'active', serialNumber: 'SN-1' },
        request: { method: 'POST', url: 'Device', ifNoneExist: 'identifier=urn:oid:1.2.3|SN-1' },
      },
      {
        fullUrl: 'urn:uuid:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        resource: bodyWeight(),
        request: { method: 'POST', url: 'Observation' },
      },
    ],
  };
}

function check(resource: Json, root?: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const type = typeof resource.resourceType === 'string' ? resource.resourceType : 'Resource';
  checkStructure(resource, root ?? type, issues);
  return issues;
}

interface Expected {
  messageId: string;
  expression: string;
  severity?: ValidationIssue['severity'];
  code?: ValidationIssue['code'];
  params?: ValidationIssue['params'];
}

interface Case {
  name: string;
  resource: () => Json;
  /** Nothing for a passing case. */
  expected?: Expected[];
}

/** A resource changed by `change`, for a failing (or passing) case. */
function changed(base: () => Json, change: (resource: Json) => void): () => Json {
  return () => {
    const resource = base();
    change(resource);
    return resource;
  };
}

function get(resource: Json, path: string): Json {
  let value: unknown = resource;
  for (const part of path.split('.')) value = (value as Record<string, unknown>)[part];
  return value as Json;
}

function runCases(cases: Case[]): void {
  for (const { name, resource, expected = [] } of cases) {
    it(name, () => {
      const issues = check(resource());
      assert.deepEqual(
        issues.map((issue, index) => {
          const wanted = expected[index];
          const shown: Expected = { messageId: issue.messageId, expression: issue.expression };
          if (wanted?.severity) shown.severity = issue.severity;
          if (wanted?.code) shown.code = issue.code;
          if (wanted?.params) shown.params = issue.params;
          return shown;
        }),
        expected,
      );
    });
  }
}

describe('checkStructure: valid resources', () => {
  runCases([
    { name: 'a body weight', resource: bodyWeight },
    { name: 'a blood pressure with components', resource: bloodPressure },
    { name: 'a patient with a primitive extension', resource: patient },
    { name: 'a document reference with contained resources', resource: documentReference },
    { name: 'a push bundle', resource: pushBundle },
    {
      name: 'a minimal resource (resourceType alone)',
      resource: () => ({ resourceType: 'Basic', code: { text: 'x' } }),
    },
    {
      name: 'parameters with a resource',
      resource: () => ({
        resourceType: 'Parameters',
        parameter: [{ name: 'resource', resource: bodyWeight() }],
      }),
    },
  ]);

  it('accepts a big bundle', () => {
    const bundle: Json = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: Array.from({ length: 1000 }, (_, i) => ({
        fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        resource: i % 2 === 0 ? bodyWeight() : bloodPressure(),
      })),
    };
    assert.deepEqual(check(bundle), []);
  });
});

describe('checkStructure: resource type', () => {
  runCases([
    {
      name: 'refuses a resource without resourceType',
      resource: changed(bodyWeight, (r) => delete r.resourceType),
      expected: [
        { messageId: 'resource-type-missing', expression: 'Resource', severity: 'error', code: 'required' },
      ],
    },
    {
      name: 'refuses a resourceType that is not a string',
      resource: () => ({ resourceType: 42 }),
      expected: [
        {
          messageId: 'resource-type-not-string',
          expression: 'Resource',
          severity: 'error',
          code: 'structure',
        },
      ],
    },
    {
      name: 'refuses a misspelt resource type, naming the close one',
      resource: () => ({ resourceType: 'Observatoin', status: 'final' }),
      expected: [
        {
          messageId: 'resource-type-unknown-hint',
          expression: 'Observatoin',
          severity: 'error',
          code: 'not-supported',
          params: { resourceType: 'Observatoin', suggestion: 'Observation' },
        },
      ],
    },
    {
      name: 'refuses an unknown resource type',
      resource: () => ({ resourceType: 'Pesee' }),
      expected: [
        { messageId: 'resource-type-unknown', expression: 'Pesee', params: { resourceType: 'Pesee' } },
      ],
    },
    {
      name: 'refuses a resource type of a later FHIR version',
      resource: () => ({ resourceType: 'SubscriptionStatus' }),
      expected: [{ messageId: 'resource-type-unknown', expression: 'SubscriptionStatus' }],
    },
    {
      name: 'refuses DomainResource (abstract)',
      resource: () => ({ resourceType: 'DomainResource' }),
      expected: [
        { messageId: 'resource-type-abstract', expression: 'DomainResource', code: 'not-supported' },
      ],
    },
    {
      name: 'refuses Resource (abstract)',
      resource: () => ({ resourceType: 'Resource' }),
      expected: [{ messageId: 'resource-type-abstract', expression: 'Resource' }],
    },
    {
      name: 'refuses resourceType inside a data type',
      resource: changed(bodyWeight, (r) => {
        get(r, 'code').resourceType = 'CodeableConcept';
      }),
      expected: [{ messageId: 'unknown-element', expression: 'Observation.code.resourceType' }],
    },
  ]);

  it('knows the R4 resource types', () => {
    assert.equal(isResourceType('Observation'), true);
    assert.equal(isResourceType('Bundle'), true);
    assert.equal(isResourceType('DomainResource'), false);
    assert.equal(isResourceType('Quantity'), false);
    assert.equal(isResourceType('Bot'), false);
  });
});

describe('checkStructure: elements', () => {
  runCases([
    {
      name: 'refuses an unknown element',
      resource: changed(bodyWeight, (r) => {
        r.mesure = 1;
      }),
      expected: [
        {
          messageId: 'unknown-element',
          expression: 'Observation.mesure',
          severity: 'error',
          code: 'structure',
          params: { name: 'mesure', type: 'Observation' },
        },
      ],
    },
    {
      name: 'refuses a misspelt element, naming the close one',
      resource: changed(bodyWeight, (r) => {
        r.valueQuantiy = r.valueQuantity;
        delete r.valueQuantity;
      }),
      expected: [
        {
          messageId: 'unknown-element-hint',
          expression: 'Observation.valueQuantiy',
          params: { name: 'valueQuantiy', type: 'Observation', suggestion: 'valueQuantity' },
        },
      ],
    },
    {
      name: 'refuses an unknown element in a data type, with a hint',
      resource: changed(bodyWeight, (r) => {
        get(r, 'device').referense = 'Device/1';
      }),
      expected: [
        {
          messageId: 'unknown-element-hint',
          expression: 'Observation.device.referense',
          params: { name: 'referense', type: 'Reference', suggestion: 'reference' },
        },
      ],
    },
    {
      name: 'refuses an unknown element in a backbone element',
      resource: changed(bloodPressure, (r) => {
        (r.component as Json[])[1].unit = 'mmHg';
      }),
      expected: [
        {
          messageId: 'unknown-element',
          expression: 'Observation.component[1].unit',
          params: { name: 'unit', type: 'Observation.component' },
        },
      ],
    },
  ]);
});

describe('checkStructure: JSON shapes', () => {
  runCases([
    {
      name: 'refuses a single object for a repeating element',
      resource: changed(bodyWeight, (r) => {
        r.category = (r.category as Json[])[0];
      }),
      expected: [{ messageId: 'array-expected', expression: 'Observation.category', code: 'structure' }],
    },
    {
      name: 'refuses an array for a non-repeating element',
      resource: changed(bodyWeight, (r) => {
        r.code = [r.code];
      }),
      expected: [{ messageId: 'array-unexpected', expression: 'Observation.code' }],
    },
    {
      name: 'refuses an array for a non-repeating primitive',
      resource: changed(bodyWeight, (r) => {
        r.status = ['final'];
      }),
      expected: [{ messageId: 'array-unexpected', expression: 'Observation.status' }],
    },
    {
      name: 'refuses an array in an array',
      resource: changed(bodyWeight, (r) => {
        r.category = [r.category];
      }),
      expected: [{ messageId: 'array-unexpected', expression: 'Observation.category[0]' }],
    },
    {
      name: 'refuses a string for a data type',
      resource: changed(bodyWeight, (r) => {
        r.code = '29463-7';
      }),
      expected: [
        {
          messageId: 'object-expected',
          expression: 'Observation.code',
          params: { name: 'code', type: 'CodeableConcept' },
        },
      ],
    },
    {
      name: 'refuses a string for a contained resource',
      resource: changed(documentReference, (r) => {
        (r.contained as unknown[])[0] = 'Binary/b1';
      }),
      expected: [{ messageId: 'object-expected', expression: 'DocumentReference.contained[0]' }],
    },
    {
      name: 'refuses null',
      resource: changed(bodyWeight, (r) => {
        r.issued = null;
      }),
      expected: [{ messageId: 'null-value', expression: 'Observation.issued', code: 'structure' }],
    },
    {
      name: 'refuses null in an array',
      resource: changed(bodyWeight, (r) => {
        (r.category as unknown[]).push(null);
      }),
      expected: [{ messageId: 'null-value', expression: 'Observation.category[1]' }],
    },
    {
      name: 'refuses an empty object',
      resource: changed(bodyWeight, (r) => {
        r.method = {};
      }),
      expected: [{ messageId: 'empty-object', expression: 'Observation.method', params: { name: 'method' } }],
    },
    {
      name: 'refuses an object with only an id (ele-1)',
      resource: changed(bodyWeight, (r) => {
        r.method = { id: 'm' };
      }),
      expected: [{ messageId: 'empty-object', expression: 'Observation.method' }],
    },
    {
      name: 'refuses an empty array',
      resource: changed(bodyWeight, (r) => {
        r.note = [];
      }),
      expected: [{ messageId: 'empty-array', expression: 'Observation.note' }],
    },
    {
      name: 'refuses an empty string',
      resource: changed(bodyWeight, (r) => {
        get(r, 'code').text = '';
      }),
      expected: [{ messageId: 'empty-string', expression: 'Observation.code.text', code: 'value' }],
    },
  ]);
});

describe('checkStructure: cardinality', () => {
  runCases([
    {
      name: 'refuses a resource without a required element',
      resource: changed(bodyWeight, (r) => delete r.status),
      expected: [
        {
          messageId: 'element-required',
          expression: 'Observation.status',
          severity: 'error',
          code: 'required',
          params: { name: 'status', type: 'Observation' },
        },
      ],
    },
    {
      name: 'refuses a backbone element without a required element',
      resource: changed(bloodPressure, (r) => delete (r.component as Json[])[1].code),
      expected: [
        {
          messageId: 'element-required',
          expression: 'Observation.component[1].code',
          params: { name: 'code', type: 'Observation.component' },
        },
      ],
    },
    {
      name: 'refuses a narrative without status',
      resource: changed(bodyWeight, (r) => delete get(r, 'text').status),
      expected: [{ messageId: 'element-required', expression: 'Observation.text.status' }],
    },
    {
      name: 'refuses an annotation without text',
      resource: changed(bodyWeight, (r) => delete (r.note as Json[])[0].text),
      expected: [{ messageId: 'element-required', expression: 'Observation.note[0].text' }],
    },
    {
      name: 'refuses a bundle request without method',
      resource: changed(pushBundle, (r) => delete get(r, 'entry.0.request').method),
      expected: [{ messageId: 'element-required', expression: 'Bundle.entry[0].request.method' }],
    },
    {
      name: 'accepts a required primitive given only by its extension',
      resource: changed(bodyWeight, (r) => {
        delete r.status;
        r._status = {
          extension: [
            { url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' },
          ],
        };
      }),
    },
    {
      name: 'refuses a usage context without its required value[x]',
      resource: () => ({
        resourceType: 'Library',
        status: 'active',
        type: { text: 'logic' },
        useContext: [
          { code: { system: 'http://terminology.hl7.org/CodeSystem/usage-context-type', code: 'focus' } },
        ],
      }),
      expected: [
        {
          messageId: 'choice-required',
          expression: 'Library.useContext[0].value',
          code: 'required',
          params: {
            element: 'value[x]',
            type: 'UsageContext',
            allowed: 'CodeableConcept, Quantity, Range, Reference',
          },
        },
      ],
    },
    {
      name: 'accepts a usage context with its value[x]',
      resource: () => ({
        resourceType: 'Library',
        status: 'active',
        type: { text: 'logic' },
        useContext: [{ code: { code: 'focus' }, valueCodeableConcept: { text: 'x' } }],
      }),
    },
  ]);
});

describe('checkStructure: choice types', () => {
  runCases([
    {
      name: 'refuses a choice with a type it does not allow',
      resource: changed(bodyWeight, (r) => {
        r.effectiveString = 'hier';
        delete r.effectiveDateTime;
      }),
      expected: [
        {
          messageId: 'choice-type-invalid',
          expression: 'Observation.effectiveString',
          code: 'structure',
          params: {
            name: 'effectiveString',
            choiceType: 'string',
            element: 'effective[x]',
            allowed: 'dateTime, Period, Timing, instant',
          },
        },
      ],
    },
    {
      name: 'refuses two values of the same choice',
      resource: changed(bodyWeight, (r) => {
        r.effectivePeriod = { start: '2024-03-31' };
      }),
      expected: [
        {
          messageId: 'choice-multiple',
          expression: 'Observation.effectivePeriod',
          params: { name: 'effectivePeriod', other: 'effectiveDateTime', element: 'effective[x]' },
        },
      ],
    },
    {
      name: 'accepts each allowed type of a choice',
      resource: changed(bodyWeight, (r) => {
        delete r.effectiveDateTime;
        r.effectiveInstant = '2024-03-31T08:30:00Z';
      }),
    },
  ]);
});

describe('checkStructure: primitive formats', () => {
  const observationWith = (change: (r: Json) => void) => changed(bodyWeight, change);
  const valueX = (name: string, value: unknown) =>
    observationWith((r) => {
      delete r.valueQuantity;
      r[name] = value;
    });
  const extensionValue = (name: string, value: unknown) =>
    observationWith((r) => {
      (r.extension as Json[])[0] = { url: 'http://example.org/x', [name]: value };
    });
  runCases([
    { name: 'accepts a boolean', resource: valueX('valueBoolean', false) },
    {
      name: 'refuses a boolean in quotes',
      resource: valueX('valueBoolean', 'true'),
      expected: [
        { messageId: 'primitive-expects-boolean', expression: 'Observation.valueBoolean', code: 'structure' },
      ],
    },
    { name: 'accepts an integer', resource: valueX('valueInteger', -12) },
    {
      name: 'refuses an integer in quotes',
      resource: valueX('valueInteger', '12'),
      expected: [
        {
          messageId: 'primitive-expects-number',
          expression: 'Observation.valueInteger',
          params: { name: 'valueInteger', type: 'integer' },
        },
      ],
    },
    {
      name: 'refuses a fractional integer',
      resource: valueX('valueInteger', 1.5),
      expected: [{ messageId: 'integer-invalid', expression: 'Observation.valueInteger', code: 'value' }],
    },
    {
      name: 'refuses an integer over 32 bits',
      resource: valueX('valueInteger', 2147483648),
      expected: [
        {
          messageId: 'integer-range',
          expression: 'Observation.valueInteger',
          params: {
            name: 'valueInteger',
            type: 'integer',
            value: 2147483648,
            min: -2147483648,
            max: 2147483647,
          },
        },
      ],
    },
    {
      name: 'accepts a positiveInt',
      resource: valueX('valueSampledData', { origin: { value: 0 }, period: 1, dimensions: 1, data: '1 2' }),
    },
    {
      name: 'refuses a positiveInt of 0',
      resource: valueX('valueSampledData', { origin: { value: 0 }, period: 1, dimensions: 0 }),
      expected: [{ messageId: 'integer-range', expression: 'Observation.valueSampledData.dimensions' }],
    },
    {
      name: 'accepts an unsignedInt of 0',
      resource: changed(documentReference, (r) => {
        get(r, 'content.0.attachment').size = 0;
      }),
    },
    {
      name: 'refuses a negative unsignedInt',
      resource: changed(documentReference, (r) => {
        get(r, 'content.0.attachment').size = -1;
      }),
      expected: [{ messageId: 'integer-range', expression: 'DocumentReference.content[0].attachment.size' }],
    },
    {
      name: 'refuses a decimal in quotes',
      resource: observationWith((r) => {
        get(r, 'valueQuantity').value = '71.2';
      }),
      expected: [{ messageId: 'primitive-expects-number', expression: 'Observation.valueQuantity.value' }],
    },
    {
      name: 'refuses a decimal too large to be finite',
      resource: observationWith((r) => {
        get(r, 'valueQuantity').value = JSON.parse('1e400');
      }),
      expected: [{ messageId: 'decimal-invalid', expression: 'Observation.valueQuantity.value' }],
    },
    { name: 'accepts a string of white space (R4 allows it)', resource: valueX('valueString', '   ') },
    {
      name: 'refuses a number for a string',
      resource: valueX('valueString', 12),
      expected: [{ messageId: 'primitive-expects-string', expression: 'Observation.valueString' }],
    },
    {
      name: 'warns of a control character in a string',
      resource: valueX('valueString', 'a\u0007b'),
      expected: [
        { messageId: 'string-control-character', expression: 'Observation.valueString', severity: 'warning' },
      ],
    },
    {
      name: 'refuses a string over 1 MiB',
      resource: valueX('valueString', 'a'.repeat(1024 * 1024 + 1)),
      expected: [{ messageId: 'string-too-long', expression: 'Observation.valueString', code: 'too-long' }],
    },
    {
      name: 'refuses a code with a leading space',
      resource: observationWith((r) => {
        get(r, 'valueQuantity').code = ' kg';
      }),
      expected: [{ messageId: 'format-code', expression: 'Observation.valueQuantity.code', code: 'value' }],
    },
    {
      name: 'refuses a code with a double space',
      resource: observationWith((r) => {
        get(r, 'valueQuantity').code = 'mm  Hg';
      }),
      expected: [{ messageId: 'format-code', expression: 'Observation.valueQuantity.code' }],
    },
    {
      name: 'accepts a code with single inner spaces',
      resource: observationWith((r) => (get(r, 'valueQuantity').code = 'mm Hg')),
    },
    {
      name: 'refuses a resource id with an underscore',
      resource: observationWith((r) => {
        r.id = 'poids_1';
      }),
      expected: [
        { messageId: 'format-id', expression: 'Observation.id', params: { name: 'id', value: 'poids_1' } },
      ],
    },
    {
      name: 'refuses a resource id of 65 characters',
      resource: observationWith((r) => {
        r.id = 'a'.repeat(65);
      }),
      expected: [{ messageId: 'format-id', expression: 'Observation.id' }],
    },
    {
      name: 'accepts a 64-character id',
      resource: observationWith((r) => (r.id = `${'A-z.9'.repeat(12)}abcd`)),
    },
    {
      name: 'refuses a uri with a space',
      resource: observationWith((r) => {
        get(r, 'meta').source = 'urn:oid:1.2 .3';
      }),
      expected: [
        {
          messageId: 'format-uri',
          expression: 'Observation.meta.source',
          params: { name: 'source', type: 'uri', value: 'urn:oid:1.2 .3' },
        },
      ],
    },
    {
      name: 'refuses a canonical with a space',
      resource: observationWith((r) => {
        get(r, 'meta').profile = ['https://example.org/a b'];
      }),
      expected: [{ messageId: 'format-uri', expression: 'Observation.meta.profile[0]' }],
    },
    {
      name: 'refuses a url with a space',
      resource: changed(documentReference, (r) => {
        get(r, 'content.0.attachment').url = 'Binary/b 1';
      }),
      expected: [{ messageId: 'format-uri', expression: 'DocumentReference.content[0].attachment.url' }],
    },
    { name: 'accepts an oid', resource: extensionValue('valueOid', 'urn:oid:1.2.250.1.213') },
    {
      name: 'refuses an oid without its urn prefix',
      resource: extensionValue('valueOid', '1.2.250.1.213'),
      expected: [{ messageId: 'format-oid', expression: 'Observation.extension[0].valueOid' }],
    },
    {
      name: 'accepts a uuid',
      resource: extensionValue('valueUuid', 'urn:uuid:6f3c2a1e-5b4d-4c3a-9e8f-7a6b5c4d3e2f'),
    },
    {
      name: 'refuses a uuid in capitals',
      resource: extensionValue('valueUuid', 'urn:uuid:6F3C2A1E-5B4D-4C3A-9E8F-7A6B5C4D3E2F'),
      expected: [{ messageId: 'format-uuid', expression: 'Observation.extension[0].valueUuid' }],
    },
    { name: 'accepts a year-month date', resource: changed(patient, (r) => (r.birthDate = '1980-02')) },
    {
      name: 'refuses a date with month 13',
      resource: changed(patient, (r) => {
        r.birthDate = '1980-13-01';
      }),
      expected: [{ messageId: 'format-date', expression: 'Patient.birthDate', code: 'value' }],
    },
    {
      name: 'refuses a day that does not exist',
      resource: changed(patient, (r) => {
        r.birthDate = '1981-02-29';
      }),
      expected: [{ messageId: 'date-invalid', expression: 'Patient.birthDate' }],
    },
    {
      name: 'refuses a date with a time',
      resource: changed(patient, (r) => {
        r.birthDate = '1980-02-29T10:00:00Z';
      }),
      expected: [{ messageId: 'format-date', expression: 'Patient.birthDate' }],
    },
    {
      name: 'accepts a dateTime of a day',
      resource: observationWith((r) => (r.effectiveDateTime = '2024-03-31')),
    },
    {
      name: 'refuses a dateTime with a time and no time zone',
      resource: observationWith((r) => {
        r.effectiveDateTime = '2024-03-31T08:30:00';
      }),
      expected: [{ messageId: 'format-dateTime', expression: 'Observation.effectiveDateTime' }],
    },
    {
      name: 'refuses a dateTime on 31 April',
      resource: observationWith((r) => {
        r.effectiveDateTime = '2024-04-31T08:30:00Z';
      }),
      expected: [{ messageId: 'date-invalid', expression: 'Observation.effectiveDateTime' }],
    },
    {
      name: 'refuses an instant without time zone',
      resource: observationWith((r) => {
        r.issued = '2024-03-31T08:31:12.123';
      }),
      expected: [{ messageId: 'format-instant', expression: 'Observation.issued' }],
    },
    {
      name: 'refuses an instant that is a day',
      resource: observationWith((r) => {
        r.issued = '2024-03-31';
      }),
      expected: [{ messageId: 'format-instant', expression: 'Observation.issued' }],
    },
    { name: 'accepts a time', resource: valueX('valueTime', '08:30:00.5') },
    {
      name: 'refuses a time at 24h',
      resource: valueX('valueTime', '24:00:00'),
      expected: [{ messageId: 'format-time', expression: 'Observation.valueTime' }],
    },
    {
      name: 'accepts base64 with line breaks',
      resource: changed(documentReference, (r) => {
        (r.contained as Json[])[0].data = 'aGVs\nbG8g\r\nd29y bGQ=';
      }),
    },
    {
      name: 'refuses base64 of a wrong length',
      resource: changed(documentReference, (r) => {
        (r.contained as Json[])[0].data = 'aGVsbG8';
      }),
      expected: [{ messageId: 'format-base64', expression: 'DocumentReference.contained[0].data' }],
    },
    {
      name: 'refuses base64 with padding inside',
      resource: changed(documentReference, (r) => {
        get(r, 'content.0.attachment').hash = 'aG=sbG8=';
      }),
      expected: [{ messageId: 'format-base64', expression: 'DocumentReference.content[0].attachment.hash' }],
    },
    {
      name: 'refuses empty markdown',
      resource: observationWith((r) => {
        (r.note as Json[])[0].text = '';
      }),
      expected: [{ messageId: 'empty-string', expression: 'Observation.note[0].text' }],
    },
    {
      name: 'refuses a narrative that is not a div',
      resource: observationWith((r) => {
        get(r, 'text').div = '<p>Poids</p>';
      }),
      expected: [{ messageId: 'format-xhtml', expression: 'Observation.text.div', code: 'value' }],
    },
    {
      name: 'refuses a narrative div without the xhtml namespace',
      resource: observationWith((r) => {
        get(r, 'text').div = '<div><p>Poids</p></div>';
      }),
      expected: [{ messageId: 'format-xhtml', expression: 'Observation.text.div' }],
    },
    {
      name: 'refuses a script in a narrative',
      resource: observationWith((r) => {
        get(r, 'text').div = '<div xmlns="http://www.w3.org/1999/xhtml"><SCRIPT>alert(1)</SCRIPT></div>';
      }),
      expected: [
        {
          messageId: 'xhtml-forbidden',
          expression: 'Observation.text.div',
          code: 'invariant',
          params: { name: 'div', tag: 'script' },
        },
      ],
    },
  ]);
});

describe('checkStructure: primitive extensions', () => {
  runCases([
    {
      name: 'reports an error inside a primitive extension at the primitive’s expression',
      resource: changed(patient, (r) => {
        delete (get(r, '_birthDate').extension as Json[])[0].url;
      }),
      expected: [
        {
          messageId: 'extension-url-missing',
          expression: 'Patient.birthDate.extension[0].url',
          code: 'required',
        },
      ],
    },
    {
      name: 'refuses other elements than id and extension',
      resource: changed(patient, (r) => {
        get(r, '_birthDate').value = '1980';
      }),
      expected: [
        {
          messageId: 'primitive-extension-unknown',
          expression: 'Patient.birthDate.value',
          params: { key: 'value', name: 'birthDate' },
        },
      ],
    },
    {
      name: 'refuses an empty primitive extension',
      resource: changed(patient, (r) => {
        r._gender = {};
      }),
      expected: [{ messageId: 'empty-object', expression: 'Patient.gender' }],
    },
    {
      name: 'refuses a primitive extension on a data type',
      resource: changed(patient, (r) => {
        r._name = [{ id: 'n' }];
      }),
      expected: [
        {
          messageId: 'primitive-extension-not-primitive',
          expression: 'Patient.name',
          params: { name: 'name', type: 'HumanName' },
        },
      ],
    },
    {
      name: 'refuses a primitive extension of an unknown element',
      resource: changed(patient, (r) => {
        r._birthdate = { id: 'b' };
      }),
      expected: [{ messageId: 'unknown-element-hint', expression: 'Patient._birthdate' }],
    },
    {
      name: 'accepts null placeholders aligned with the extensions',
      resource: changed(patient, (r) => {
        const name = (r.name as Json[])[0];
        name.given = ['Marie', null];
        name._given = [null, { extension: [{ url: 'http://example.org/given-initial', valueString: 'A' }] }];
      }),
    },
    {
      name: 'refuses extension arrays of another length',
      resource: changed(patient, (r) => {
        (r.name as Json[])[0]._given = [{ id: 'g1' }];
      }),
      expected: [
        {
          messageId: 'primitive-extension-misaligned',
          expression: 'Patient.name[0].given',
          params: { name: 'given' },
        },
      ],
    },
    {
      name: 'refuses null with no extension beside it',
      resource: changed(patient, (r) => {
        const name = (r.name as Json[])[0];
        name.given = ['Marie', null];
        name._given = [null, null];
      }),
      expected: [
        { messageId: 'null-value', expression: 'Patient.name[0].given[1]' },
        { messageId: 'null-value', expression: 'Patient.name[0].given[1]' },
      ],
    },
    {
      name: 'refuses a single object for a repeating primitive’s extensions',
      resource: changed(patient, (r) => {
        (r.name as Json[])[0]._given = { id: 'g' };
      }),
      expected: [{ messageId: 'array-expected', expression: 'Patient.name[0].given' }],
    },
  ]);
});

describe('checkStructure: extensions', () => {
  runCases([
    {
      name: 'refuses an extension without url',
      resource: changed(bodyWeight, (r) => delete (r.extension as Json[])[0].url),
      expected: [{ messageId: 'extension-url-missing', expression: 'Observation.extension[0].url' }],
    },
    {
      name: 'refuses an extension with a value and nested extensions (ext-1)',
      resource: changed(bodyWeight, (r) => {
        (r.extension as Json[])[0].extension = [{ url: 'part', valueBoolean: true }];
      }),
      expected: [
        {
          messageId: 'extension-value-and-children',
          expression: 'Observation.extension[0]',
          code: 'invariant',
          params: {
            url: 'https://interop.esante.gouv.fr/ig/fhir/mesures/StructureDefinition/mesures-reason-for-measurement',
            value: 'valueString',
          },
        },
      ],
    },
    {
      name: 'refuses an extension with neither value nor nested extensions (ext-1)',
      resource: changed(bodyWeight, (r) => {
        (r.extension as Json[])[0] = { url: 'http://example.org/x' };
      }),
      expected: [
        {
          messageId: 'extension-empty',
          expression: 'Observation.extension[0]',
          params: { url: 'http://example.org/x' },
        },
      ],
    },
    {
      name: 'accepts nested extensions',
      resource: changed(bodyWeight, (r) => {
        (r.extension as Json[])[0] = {
          url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability',
          extension: [{ url: 'identityStatus', valueCoding: { code: 'VALI' } }],
        };
      }),
    },
    {
      name: 'refuses a modifier extension without value',
      resource: changed(bodyWeight, (r) => {
        r.modifierExtension = [{ url: 'http://example.org/m' }];
      }),
      expected: [{ messageId: 'extension-empty', expression: 'Observation.modifierExtension[0]' }],
    },
  ]);
});

describe('checkStructure: required bindings', () => {
  runCases([
    {
      name: 'refuses an observation status outside its value set',
      resource: changed(bodyWeight, (r) => {
        r.status = 'done';
      }),
      expected: [
        {
          messageId: 'code-invalid',
          expression: 'Observation.status',
          severity: 'error',
          code: 'code-invalid',
          params: {
            name: 'status',
            value: 'done',
            allowed:
              'registered, preliminary, final, amended, corrected, cancelled, entered-in-error, unknown',
          },
        },
      ],
    },
    {
      name: 'refuses a code in another case',
      resource: changed(bodyWeight, (r) => {
        r.status = 'Final';
      }),
      expected: [{ messageId: 'code-invalid', expression: 'Observation.status' }],
    },
    {
      name: 'refuses a bundle type outside its value set',
      resource: changed(pushBundle, (r) => {
        r.type = 'push';
      }),
      expected: [{ messageId: 'code-invalid', expression: 'Bundle.type' }],
    },
    {
      name: 'refuses a request method outside its value set',
      resource: changed(pushBundle, (r) => {
        get(r, 'entry.1.request').method = 'post';
      }),
      expected: [
        {
          messageId: 'code-invalid',
          expression: 'Bundle.entry[1].request.method',
          params: { name: 'method', value: 'post', allowed: 'GET, HEAD, POST, PUT, DELETE, PATCH' },
        },
      ],
    },
    {
      name: 'refuses a quantity comparator outside its value set',
      resource: changed(bodyWeight, (r) => {
        get(r, 'valueQuantity').comparator = '=';
      }),
      expected: [{ messageId: 'code-invalid', expression: 'Observation.valueQuantity.comparator' }],
    },
    {
      name: 'refuses a narrative status outside its value set',
      resource: changed(bodyWeight, (r) => {
        get(r, 'text').status = 'complete';
      }),
      expected: [{ messageId: 'code-invalid', expression: 'Observation.text.status' }],
    },
    {
      name: 'refuses an identifier use outside its value set',
      resource: changed(bodyWeight, (r) => {
        get(r, 'subject.identifier').use = 'officiel';
      }),
      expected: [{ messageId: 'code-invalid', expression: 'Observation.subject.identifier.use' }],
    },
    {
      name: 'refuses a name use outside its value set',
      resource: changed(patient, (r) => {
        (r.name as Json[])[0].use = 'birth';
      }),
      expected: [{ messageId: 'code-invalid', expression: 'Patient.name[0].use' }],
    },
    {
      name: 'refuses document reference statuses outside their value sets',
      resource: changed(documentReference, (r) => {
        r.status = 'final';
        r.docStatus = 'current';
      }),
      expected: [
        {
          messageId: 'code-invalid',
          expression: 'DocumentReference.status',
          params: { name: 'status', value: 'final', allowed: 'current, superseded, entered-in-error' },
        },
        { messageId: 'code-invalid', expression: 'DocumentReference.docStatus' },
      ],
    },
    {
      name: 'refuses list status and mode outside their value sets',
      resource: () => ({ resourceType: 'List', status: 'active', mode: 'work' }),
      expected: [
        {
          messageId: 'code-invalid',
          expression: 'List.status',
          params: { name: 'status', value: 'active', allowed: 'current, retired, entered-in-error' },
        },
        {
          messageId: 'code-invalid',
          expression: 'List.mode',
          params: { name: 'mode', value: 'work', allowed: 'working, snapshot, changes' },
        },
      ],
    },
    {
      name: 'accepts list status and mode in their value sets',
      resource: () => ({ resourceType: 'List', status: 'current', mode: 'snapshot' }),
    },
    {
      name: 'names the value set when it has many codes',
      resource: () => ({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'wrong' }],
      }),
      expected: [
        {
          messageId: 'code-invalid-value-set',
          expression: 'OperationOutcome.issue[0].code',
          params: { name: 'code', value: 'wrong', valueSet: 'http://hl7.org/fhir/ValueSet/issue-type' },
        },
      ],
    },
  ]);
});

describe('checkStructure: nested resources', () => {
  runCases([
    {
      name: 'reports an error of a contained resource at its place',
      resource: changed(documentReference, (r) => {
        (r.contained as Json[])[1].name = [{ family: 12 }];
      }),
      expected: [
        {
          messageId: 'primitive-expects-string',
          expression: 'DocumentReference.contained[1].name[0].family',
        },
      ],
    },
    {
      name: 'reports an unknown contained resource type at its place',
      resource: changed(documentReference, (r) => {
        (r.contained as Json[])[0].resourceType = 'Binaire';
      }),
      expected: [{ messageId: 'resource-type-unknown-hint', expression: 'DocumentReference.contained[0]' }],
    },
    {
      name: 'reports an error of a bundle entry’s resource at its place',
      resource: changed(pushBundle, (r) => {
        get(r, 'entry.1.resource').status = 'done';
        get(r, 'entry.1.resource.valueQuantity').value = '71';
      }),
      expected: [
        { messageId: 'code-invalid', expression: 'Bundle.entry[1].resource.status' },
        { messageId: 'primitive-expects-number', expression: 'Bundle.entry[1].resource.valueQuantity.value' },
      ],
    },
    {
      name: 'reports an error of a parameter’s resource at its place',
      resource: () => ({
        resourceType: 'Parameters',
        parameter: [{ name: 'resource', resource: { resourceType: 'Patient', birthDate: '31/03/1980' } }],
      }),
      expected: [{ messageId: 'format-date', expression: 'Parameters.parameter[0].resource.birthDate' }],
    },
    {
      name: 'stops at absurd nesting',
      resource: () => {
        let extension: Json = { url: 'x', valueString: 'deep' };
        for (let i = 0; i < 200; i++) extension = { url: 'x', extension: [extension] };
        return { resourceType: 'Basic', code: { text: 'x' }, extension: [extension] };
      },
      expected: [
        {
          messageId: 'structure-too-deep',
          expression: `Basic${'.extension[0]'.repeat(128)}`,
          code: 'too-costly',
        },
      ],
    },
  ]);

  it('roots the expressions at the given expression', () => {
    const issues: ValidationIssue[] = [];
    checkStructure(
      { resourceType: 'Observation', status: 'done', code: { text: 'x' } },
      'Bundle.entry[3].resource',
      issues,
    );
    assert.deepEqual(
      issues.map((issue) => issue.expression),
      ['Bundle.entry[3].resource.status'],
    );
  });
});

describe('checkStructure: properties', () => {
  /** Every place in a JSON value where a mutation can land: [container, key] pairs. */
  function places(value: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []) {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        out.push([value, index]);
        places(item, out);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        out.push([value as Record<string, unknown>, key]);
        places(item, out);
      }
    }
    return out;
  }

  it('never throws on a single mutation of a valid resource, and says everything from its catalogue', () => {
    const bases = [bodyWeight, bloodPressure, patient, documentReference, pushBundle];
    fc.assert(
      fc.property(
        fc.nat({ max: bases.length - 1 }),
        fc.nat(),
        fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom(undefined, null, '', [], {}, 'x y', -1, 1.5)),
        (baseIndex, placeIndex, replacement) => {
          const resource = bases[baseIndex]();
          const all = places(resource);
          const [container, key] = all[placeIndex % all.length];
          if (replacement === undefined && !Array.isArray(container)) delete container[key as string];
          else (container as Record<string | number, unknown>)[key] = replacement;
          const issues = check(resource, 'Root');
          for (const issue of issues) {
            assert.ok(structureMessages[issue.messageId], issue.messageId);
            assert.ok(issue.expression.startsWith('Root'), issue.expression);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('structure messages', () => {
  it('has a French and an English text for each message, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [id, { fr, en }] of Object.entries(structureMessages)) {
      assert.ok(fr.length > 0 && en.length > 0, id);
      assert.deepEqual(placeholders(fr), placeholders(en), id);
      assert.ok(!fr.includes("'"), `straight apostrophe in the French text of ${id}`);
    }
  });

  it('keeps its messages in the merged catalogue (no other part reuses an id)', () => {
    const overridden = Object.keys(structureMessages).filter(
      (id) => validationMessages[id] !== structureMessages[id],
    );
    assert.deepEqual(overridden, []);
  });
});

describe('R4 model', () => {
  it('is what the generator builds from the definitions', async () => {
    const generator = new URL('../../../scripts/fhir-r4-model.mjs', import.meta.url).href;
    const { buildModel, renderModel } = (await import(generator)) as {
      buildModel: () => unknown;
      renderModel: (model: unknown) => string;
    };
    const committed = readFileSync(new URL('./r4-model.json', import.meta.url), 'utf8');
    assert.equal(renderModel(buildModel()), committed);
  });
});
