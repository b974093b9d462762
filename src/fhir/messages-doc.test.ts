// mesref-test: no-database (runs once, not once per database lane)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { validationMessages } from './validation/messages.ts';

/** The script that writes the catalogue into docs/fhir-validation.md (a plain .mjs: loaded by its URL). */
const script = pathToFileURL(join(import.meta.dirname, '..', '..', 'scripts', 'fhir-messages-doc.mjs')).href;

describe('the message catalogue in docs/fhir-validation.md', () => {
  it('is the validator’s catalogue as it is now (npm run docs:fhir-messages rewrites it)', async () => {
    const { DOC_PATH, messagesTable, withTable } = await import(script);
    const doc = readFileSync(DOC_PATH, 'utf8');
    const expected = withTable(doc, await messagesTable());
    assert.ok(
      doc === expected,
      'docs/fhir-validation.md: the message catalogue is out of date; run npm run docs:fhir-messages',
    );
  });

  it('lists every message id with its French and English text', async () => {
    const { messagesTable } = await import(script);
    const table: string = await messagesTable();
    for (const [id, { fr, en }] of Object.entries(validationMessages)) {
      const row = table.split('\n').find((line) => line.startsWith(`| \`${id}\` |`));
      assert.ok(row, `${id} is in the table`);
      assert.ok(row.includes(fr.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')), `${id}: French text`);
      assert.ok(row.includes(en.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ')), `${id}: English text`);
    }
  });

  it('refuses a document without its markers', async () => {
    const { withTable } = await import(script);
    assert.throws(() => withTable('# no markers', '| table |'), /markers/);
    assert.equal(
      withTable('a\n<!-- messages:start -->\nold\n<!-- messages:end -->\nb', 'new'),
      'a\n<!-- messages:start -->\nnew\n<!-- messages:end -->\nb',
    );
  });
});
