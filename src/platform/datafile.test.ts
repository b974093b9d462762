// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { DataFileError, parseDataFile } from './datafile.ts';

const Schema = Type.Object(
  {
    id: Type.String(),
    items: Type.Array(Type.Object({ min: Type.Integer() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

function problems(text: string) {
  try {
    parseDataFile(text, Schema, 'f.yaml');
  } catch (error) {
    assert.ok(error instanceof DataFileError);
    return error.problems.map((p) => `${p.file}:${p.line} ${p.path} ${p.message}`);
  }
  assert.fail('the file was accepted');
}

describe('data files', () => {
  it('returns the value of a conforming file', () => {
    assert.deepEqual(parseDataFile('id: x\nitems:\n  - min: 1\n', Schema, 'f.yaml'), {
      id: 'x',
      items: [{ min: 1 }],
    });
  });

  it('lists every schema problem at once, each with its line and path', () => {
    assert.deepEqual(problems('id: x\nitems:\n  - min: 1\n  - min: two\n  - max: 3\n'), [
      'f.yaml:4 /items/1/min Expected integer',
      'f.yaml:5 /items/2/min Expected required property',
      'f.yaml:5 /items/2/max Unexpected property',
    ]);
  });

  it('refuses YAML syntax errors and repeated keys with their line', () => {
    const [syntax] = problems('id: x\nitems: [\n  - min: 1\n');
    assert.match(syntax, /^f\.yaml:\d+ {2}/);
    const [repeated] = problems('id: x\nitems: []\nid: y\n');
    assert.match(repeated, /^f\.yaml:3 .*unique/);
  });
});
