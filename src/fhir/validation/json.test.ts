// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { ValidationIssue } from './issues.ts';
import { parseJson } from './json.ts';
import { structureMessages } from './messages-structure.ts';

interface ExpectedIssue {
  messageId: string;
  severity: ValidationIssue['severity'];
  code: ValidationIssue['code'];
  expression: string;
  location?: { line: number; column: number };
  params?: ValidationIssue['params'];
}

function issuesOf(text: string, options?: { maxDepth?: number }): ValidationIssue[] {
  const parsed = parseJson(text, options);
  assert.equal(parsed.ok, false, 'the text should be refused');
  return parsed.ok ? [] : parsed.issues;
}

function assertIssues(actual: ValidationIssue[], expected: ExpectedIssue[]): void {
  assert.deepEqual(
    actual.map((issue) => {
      const shown: ExpectedIssue = {
        messageId: issue.messageId,
        severity: issue.severity,
        code: issue.code,
        expression: issue.expression,
      };
      if (issue.location) shown.location = issue.location;
      if (expected.some((e) => e.params)) shown.params = issue.params;
      return shown;
    }),
    expected,
  );
}

const observation = `{
  "resourceType": "Observation",
  "status": "final",
  "category": [
    {
      "coding": [
        { "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs" }
      ]
    }
  ],
  "code": { "coding": [{ "system": "http://loinc.org", "code": "29463-7" }] },
  "valueQuantity": { "value": 71.2, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg" }
}`;

describe('parseJson: valid text', () => {
  const cases: { name: string; text: string; value: unknown }[] = [
    { name: 'a resource', text: observation, value: JSON.parse(observation) },
    {
      name: 'a leading byte order mark',
      text: '\uFEFF{"resourceType":"Patient"}',
      value: { resourceType: 'Patient' },
    },
    {
      name: 'escapes in keys and strings',
      text: '{"resourceType":"Patient","\\u0069d":"a","name":[{"text":"Zo\\u00e9 \\"Z\\"\\n\\/"}]}',
      value: { resourceType: 'Patient', id: 'a', name: [{ text: 'Zoé "Z"\n/' }] },
    },
    {
      name: 'numbers in every JSON form',
      text: '[0, -0, 12, -3.25, 1e3, 2E-2, 4.5e+1]',
      value: [0, -0, 12, -3.25, 1e3, 2e-2, 4.5e1],
    },
    {
      name: 'literals and empty containers',
      text: '{"a":true,"b":false,"c":null,"d":{},"e":[]}',
      value: JSON.parse('{"a":true,"b":false,"c":null,"d":{},"e":[]}'),
    },
    {
      name: 'the same key in two objects',
      text: '{"a":{"id":"x"},"b":{"id":"x"}}',
      value: { a: { id: 'x' }, b: { id: 'x' } },
    },
    {
      name: 'nesting at the default limit (64)',
      text: `${'['.repeat(64)}${']'.repeat(64)}`,
      value: JSON.parse(`${'['.repeat(64)}${']'.repeat(64)}`),
    },
    {
      name: 'an object with many distinct keys',
      text: JSON.stringify(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]))),
      value: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i])),
    },
  ];
  for (const { name, text, value } of cases) {
    it(`accepts ${name}`, () => {
      const parsed = parseJson(text);
      assert.ok(parsed.ok, JSON.stringify(parsed));
      assert.deepEqual(parsed.value, value);
    });
  }

  it('accepts a big bundle', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: Array.from({ length: 2000 }, (_, i) => ({
        fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        resource: { ...JSON.parse(observation), id: `obs-${i}` },
      })),
    };
    const text = JSON.stringify(bundle, null, 2);
    const parsed = parseJson(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, bundle);
    assert.deepEqual(parsed.locate('Bundle.entry[1999].resource.valueQuantity.code'), {
      line: text.slice(0, text.lastIndexOf('"code": "kg"')).split('\n').length,
      column: 11,
    });
  });
});

describe('parseJson: refused text', () => {
  const cases: { name: string; text: string; maxDepth?: number; expected: ExpectedIssue[] }[] = [
    {
      name: 'an empty text',
      text: '',
      expected: [{ messageId: 'json-empty', severity: 'fatal', code: 'invalid', expression: 'Resource' }],
    },
    {
      name: 'a text of white space',
      text: ' \n\t\r\n ',
      expected: [{ messageId: 'json-empty', severity: 'fatal', code: 'invalid', expression: 'Resource' }],
    },
    {
      name: 'a byte order mark alone',
      text: '\uFEFF',
      expected: [{ messageId: 'json-empty', severity: 'fatal', code: 'invalid', expression: 'Resource' }],
    },
    {
      name: 'a trailing comma in an object',
      text: '{"resourceType":"Patient",}',
      expected: [
        {
          messageId: 'json-expected-property-name',
          severity: 'fatal',
          code: 'structure',
          expression: 'Patient',
          location: { line: 1, column: 27 },
          params: { found: '}' },
        },
      ],
    },
    {
      name: 'a missing comma between properties',
      text: '{\n  "resourceType": "Patient"\n  "id": "x"\n}',
      expected: [
        {
          messageId: 'json-expected-comma-or-brace',
          severity: 'fatal',
          code: 'structure',
          expression: 'Patient.resourceType',
          location: { line: 3, column: 3 },
          params: { found: '"' },
        },
      ],
    },
    {
      name: 'a missing colon',
      text: '{"resourceType":"Patient","id" "x"}',
      expected: [
        {
          messageId: 'json-expected-colon',
          severity: 'fatal',
          code: 'structure',
          expression: 'Patient.id',
          location: { line: 1, column: 32 },
          params: { found: '"' },
        },
      ],
    },
    {
      name: 'a missing comma in an array',
      text: '{"resourceType":"Patient","name":[{"given":["a" "b"]}]}',
      expected: [
        {
          messageId: 'json-expected-comma-or-bracket',
          severity: 'fatal',
          code: 'structure',
          expression: 'Patient.name[0].given[0]',
          location: { line: 1, column: 49 },
          params: { found: '"' },
        },
      ],
    },
    {
      name: 'a trailing comma in an array',
      text: '{"resourceType":"Patient","name":[{"given":["a",]}]}',
      expected: [
        {
          messageId: 'json-expected-value',
          severity: 'fatal',
          code: 'structure',
          expression: 'Patient.name[0].given[1]',
          location: { line: 1, column: 49 },
          params: { found: ']' },
        },
      ],
    },
    {
      name: 'a single-quoted string',
      text: "{'resourceType':'Patient'}",
      expected: [
        {
          messageId: 'json-expected-property-name',
          severity: 'fatal',
          code: 'structure',
          expression: 'Resource',
          location: { line: 1, column: 2 },
          params: { found: "'" },
        },
      ],
    },
    {
      name: 'a literal in capitals',
      text: '{"resourceType":"Patient","active":True}',
      expected: [
        {
          messageId: 'json-expected-value',
          severity: 'fatal',
          code: 'structure',
          expression: 'Patient.active',
          location: { line: 1, column: 36 },
          params: { found: 'T' },
        },
      ],
    },
    {
      name: 'a misspelt literal',
      text: '{"resourceType":"Patient","active":tru}',
      expected: [
        {
          messageId: 'json-invalid-literal',
          severity: 'fatal',
          code: 'structure',
          expression: 'Patient.active',
          location: { line: 1, column: 36 },
          params: { found: 'tru' },
        },
      ],
    },
    {
      name: 'a number with a leading zero',
      text: '{"resourceType":"Observation","valueInteger":012}',
      expected: [
        {
          messageId: 'json-invalid-number',
          severity: 'fatal',
          code: 'structure',
          expression: 'Observation.valueInteger',
          location: { line: 1, column: 47 },
          params: { found: '1' },
        },
      ],
    },
    {
      name: 'a number without digits after the point',
      text: '[1.]',
      expected: [
        {
          messageId: 'json-invalid-number',
          severity: 'fatal',
          code: 'structure',
          expression: 'Resource[0]',
          location: { line: 1, column: 4 },
          params: { found: ']' },
        },
      ],
    },
    {
      name: 'a wrong escape',
      text: '{"resourceType":"Patient","id":"a\\qb"}',
      expected: [
        {
          messageId: 'json-invalid-escape',
          severity: 'fatal',
          code: 'structure',
          expression: 'Patient.id',
          location: { line: 1, column: 34 },
          params: { found: '\\q' },
        },
      ],
    },
    {
      name: 'a short unicode escape',
      text: '{"resourceType":"Patient","id":"\\u12G4"}',
      expected: [
        {
          messageId: 'json-invalid-escape',
          severity: 'fatal',
          code: 'structure',
          expression: 'Patient.id',
          location: { line: 1, column: 33 },
          params: { found: '\\u12G' },
        },
      ],
    },
    {
      name: 'a raw line break in a string',
      text: '{"resourceType":"Patient","id":"a\nb"}',
      expected: [
        {
          messageId: 'json-control-character',
          severity: 'fatal',
          code: 'structure',
          expression: 'Patient.id',
          location: { line: 1, column: 34 },
          params: { found: 'U+000A' },
        },
      ],
    },
    {
      name: 'a text that stops inside an object',
      text: '{"resourceType":"Patient","name":[{"family":"Durand"',
      expected: [
        {
          messageId: 'json-unexpected-end',
          severity: 'fatal',
          code: 'structure',
          expression: 'Patient.name[0].family',
          location: { line: 1, column: 53 },
          params: { closers: '}]}' },
        },
      ],
    },
    {
      name: 'a text that stops inside a string',
      text: '{"resourceType":"Pat',
      expected: [
        {
          messageId: 'json-unexpected-end',
          severity: 'fatal',
          code: 'structure',
          expression: 'Resource.resourceType',
          location: { line: 1, column: 21 },
          params: { closers: '"}' },
        },
      ],
    },
    {
      name: 'content after the resource',
      text: '{"resourceType":"Patient"}\n{"resourceType":"Patient"}',
      expected: [
        {
          messageId: 'json-trailing-content',
          severity: 'fatal',
          code: 'structure',
          expression: 'Patient',
          location: { line: 2, column: 1 },
          params: { found: '{' },
        },
      ],
    },
    {
      name: '100 000 nested arrays',
      text: '['.repeat(100_000),
      expected: [
        {
          messageId: 'json-too-deep',
          severity: 'fatal',
          code: 'too-costly',
          expression: `Resource${'[0]'.repeat(64)}`,
          location: { line: 1, column: 65 },
          params: { maxDepth: 64 },
        },
      ],
    },
    {
      name: '100 000 nested objects',
      text: '{"a":'.repeat(100_000),
      expected: [
        {
          messageId: 'json-too-deep',
          severity: 'fatal',
          code: 'too-costly',
          expression: `Resource${'.a'.repeat(64)}`,
          location: { line: 1, column: 64 * 5 + 1 },
          params: { maxDepth: 64 },
        },
      ],
    },
    {
      name: 'nesting over a smaller limit',
      text: '{"resourceType":"Observation","code":{"coding":[{"system":"x"}]}}',
      maxDepth: 3,
      expected: [
        {
          messageId: 'json-too-deep',
          severity: 'fatal',
          code: 'too-costly',
          expression: 'Observation.code.coding[0]',
          location: { line: 1, column: 49 },
          params: { maxDepth: 3 },
        },
      ],
    },
    {
      name: 'a duplicate key at the top level',
      text: '{"resourceType":"Patient","id":"a","id":"b"}',
      expected: [
        {
          messageId: 'json-duplicate-key',
          severity: 'error',
          code: 'structure',
          expression: 'Patient.id',
          location: { line: 1, column: 36 },
          params: { name: 'id' },
        },
      ],
    },
    {
      name: 'a duplicate key at depth',
      text: [
        '{',
        '  "resourceType": "Observation",',
        '  "code": {',
        '    "coding": [',
        '      { "system": "http://loinc.org", "code": "29463-7" },',
        '      { "system": "http://loinc.org", "code": "3141-9", "system": "http://snomed.info/sct" }',
        '    ]',
        '  }',
        '}',
      ].join('\n'),
      expected: [
        {
          messageId: 'json-duplicate-key',
          severity: 'error',
          code: 'structure',
          expression: 'Observation.code.coding[1].system',
          location: { line: 6, column: 57 },
          params: { name: 'system' },
        },
      ],
    },
    {
      name: 'a duplicate key spelt with an escape',
      text: '{"resourceType":"Patient","id":"a","\\u0069d":"b"}',
      expected: [
        {
          messageId: 'json-duplicate-key',
          severity: 'error',
          code: 'structure',
          expression: 'Patient.id',
          location: { line: 1, column: 36 },
          params: { name: 'id' },
        },
      ],
    },
    {
      name: 'a duplicate key in a primitive extension, before resourceType',
      text: '{"_birthDate":{"extension":[{"url":"a","url":"b"}]},"resourceType":"Patient"}',
      expected: [
        {
          messageId: 'json-duplicate-key',
          severity: 'error',
          code: 'structure',
          expression: 'Patient.birthDate.extension[0].url',
          location: { line: 1, column: 40 },
          params: { name: 'url' },
        },
      ],
    },
    {
      name: 'two duplicates, one in an object of many keys',
      text: `{"resourceType":"Basic",${Array.from({ length: 30 }, (_, i) => `"k${i}":${i}`).join(',')},"k7":0,"code":{"text":"a","text":"b"}}`,
      expected: [
        {
          messageId: 'json-duplicate-key',
          severity: 'error',
          code: 'structure',
          expression: 'Basic.k7',
          location: { line: 1, column: 275 },
          params: { name: 'k7' },
        },
        {
          messageId: 'json-duplicate-key',
          severity: 'error',
          code: 'structure',
          expression: 'Basic.code.text',
          location: { line: 1, column: 301 },
          params: { name: 'text' },
        },
      ],
    },
  ];
  for (const { name, text, maxDepth, expected } of cases) {
    it(`refuses ${name}`, () => {
      assertIssues(issuesOf(text, maxDepth === undefined ? undefined : { maxDepth }), expected);
    });
  }

  it('has a French and an English message for every refusal', () => {
    for (const { expected } of cases) {
      for (const { messageId } of expected) {
        assert.ok(structureMessages[messageId]?.fr && structureMessages[messageId]?.en, messageId);
      }
    }
  });
});

describe('parseJson: locate', () => {
  const patient = [
    '{',
    '  "resourceType": "Patient",',
    '  "_birthDate": { "extension": [{ "url": "http://example.org/precision", "valueCode": "day" }] },',
    '  "birthDate": "1970-01-01",',
    '  "name": [{ "family": "Durand", "given": ["Marie", null], "_given": [null, { "id": "g2" }] }]',
    '}',
  ].join('\n');
  const bundle = JSON.stringify(
    {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Device', status: 'active' } },
        { resource: { resourceType: 'Observation', code: { coding: [{ system: 'http://loinc.org' }] } } },
      ],
    },
    null,
    2,
  );
  const documentReference = JSON.stringify(
    {
      resourceType: 'DocumentReference',
      contained: [{ resourceType: 'Binary' }, { resourceType: 'Patient', name: [{ family: 'Durand' }] }],
    },
    null,
    2,
  );
  const cases: {
    text: string;
    expression: string;
    position: { line: number; column: number } | undefined;
  }[] = [
    { text: observation, expression: 'Observation', position: { line: 1, column: 1 } },
    { text: observation, expression: 'Observation.status', position: { line: 3, column: 3 } },
    { text: observation, expression: 'Observation.category[0]', position: { line: 5, column: 5 } },
    {
      text: observation,
      expression: 'Observation.category[0].coding[0].code',
      position: { line: 7, column: 83 },
    },
    { text: observation, expression: 'Observation.valueQuantity.code', position: { line: 12, column: 90 } },
    { text: observation, expression: 'Observation.component', position: undefined },
    { text: patient, expression: 'Patient.birthDate', position: { line: 4, column: 3 } },
    { text: patient, expression: 'Patient.birthDate.extension[0]', position: { line: 3, column: 33 } },
    {
      text: patient,
      expression: 'Patient.birthDate.extension[0].valueCode',
      position: { line: 3, column: 74 },
    },
    { text: patient, expression: 'Patient.name[0].given[1]', position: { line: 5, column: 53 } },
    { text: patient, expression: 'Patient.name[0].given[1].id', position: { line: 5, column: 79 } },
    {
      text: bundle,
      expression: 'Bundle.entry[1].resource.code.coding[0].system',
      position: { line: 17, column: 15 },
    },
    {
      text: documentReference,
      expression: 'DocumentReference.contained[1].name[0].family',
      position: { line: 11, column: 11 },
    },
  ];
  for (const { text, expression, position } of cases) {
    it(`locates ${expression}`, () => {
      const parsed = parseJson(text);
      assert.ok(parsed.ok);
      assert.deepEqual(parsed.locate(expression), position);
    });
  }
});

describe('parseJson: properties', () => {
  it('never throws, and accepts exactly what JSON.parse accepts when keys are distinct', () => {
    const texts = fc.oneof(
      fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
      fc.json({ maxDepth: 4 }),
      fc
        .json({ maxDepth: 4 })
        .chain((text) =>
          fc
            .tuple(
              fc.nat({ max: Math.max(0, text.length - 1) }),
              fc.constantFrom('', '"', '{', ']', ',', ':', '\\'),
            )
            .map(([at, inserted]) => text.slice(0, at) + inserted + text.slice(at + 1)),
        ),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const parsed = parseJson(text);
        let native: unknown;
        let nativeOk = true;
        try {
          native = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
        } catch {
          nativeOk = false;
        }
        if (parsed.ok) {
          assert.ok(nativeOk);
          assert.deepEqual(parsed.value, native);
        } else if (nativeOk) {
          assert.ok(
            parsed.issues.every(
              (issue) => issue.messageId === 'json-duplicate-key' || issue.messageId === 'json-empty',
            ),
          );
        }
      }),
      { numRuns: 500 },
    );
  });
});
