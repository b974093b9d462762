// mesref-test: no-database
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DataFileError } from '../platform/datafile.ts';
import { loadComplaintCategories } from './complaint-categories.ts';
import {
  addFindings,
  type ComplaintMove,
  type ComplaintStatus,
  closingProblems,
  complaintMovesFrom,
  complaintReference,
  complaintStatuses,
  dueDateOf,
  limitReached,
  MESSAGE_MAX,
  MESSAGE_MIN,
  mayAuditOn,
  mayReportOn,
  moveTo,
  nextComplaintStatus,
  openingProblems,
  overdueFindings,
  referencePrefix,
  reportProblems,
  resolveFinding,
  staffRights,
} from './complaint-model.ts';
import type { CatalogueStatus, DossierState } from './model.ts';

const categories = loadComplaintCategories();
const now = new Date('2026-06-01T10:00:00Z');
const moves: ComplaintMove[] = ['take', 'answer', 'close'];

describe('report categories (data file)', () => {
  it('loads the seven categories with both languages and rubriques', () => {
    assert.deepEqual(
      categories.map((c) => c.code),
      [
        'donnees-personnelles',
        'securite',
        'contenu-sante',
        'accessibilite',
        'ethique-transparence',
        'publicite',
        'autre',
      ],
    );
    for (const c of categories) {
      assert.ok(c.label.fr && c.label.en && c.hint.fr && c.hint.en);
      assert.ok(c.rubriques.length > 0);
    }
  });

  it('refuses a file with a duplicate code, naming its line', () => {
    const path = join(tmpdir(), `complaint-categories-${process.pid}.yaml`);
    const one = (code: string) =>
      `  - code: ${code}\n    label: { fr: a, en: a }\n    hint: { fr: b, en: b }\n    rubriques: [ethique]\n`;
    writeFileSync(path, `version: "1"\ncategories:\n${one('autre')}${one('autre')}`);
    assert.throws(
      () => loadComplaintCategories(path),
      (e: unknown) =>
        e instanceof DataFileError && e.problems[0]?.line === 7 && /duplicate/.test(e.problems[0].message),
    );
    writeFileSync(path, `version: "1"\ncategories:\n  - code: Autre\n    label: { fr: a }\n`);
    assert.throws(() => loadComplaintCategories(path), DataFileError);
  });
});

describe('report statuses', () => {
  it('goes new → in review → answered → closed, one move each', () => {
    const table: Array<[ComplaintStatus, ComplaintMove, ComplaintStatus | undefined]> = [
      ['new', 'take', 'in_review'],
      ['new', 'answer', undefined],
      ['new', 'close', undefined],
      ['in_review', 'take', undefined],
      ['in_review', 'answer', 'answered'],
      ['in_review', 'close', undefined],
      ['answered', 'take', undefined],
      ['answered', 'answer', undefined],
      ['answered', 'close', 'closed'],
      ['closed', 'take', undefined],
      ['closed', 'answer', undefined],
      ['closed', 'close', undefined],
    ];
    for (const [from, move, to] of table)
      assert.equal(nextComplaintStatus(from, move), to, `${from} ${move}`);
    assert.deepEqual(complaintMovesFrom('new'), ['take']);
    assert.equal(moveTo('answered'), 'answer');
    assert.equal(moveTo('new'), undefined);
  });

  it('never leaves « closed » and never goes back (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...moves), { maxLength: 20 }), (sequence) => {
        let status: ComplaintStatus = 'new';
        for (const move of sequence) {
          const next = nextComplaintStatus(status, move);
          if (status === 'closed') assert.equal(next, undefined);
          if (next) {
            assert.ok(complaintStatuses.indexOf(next) === complaintStatuses.indexOf(status) + 1);
            status = next;
          }
        }
      }),
    );
  });

  it('gives instructors the handling, the commission and deciders the reading, publishers nothing', () => {
    assert.deepEqual(staffRights(['instructeur']), { read: true, handle: true });
    assert.deepEqual(staffRights(['commission']), { read: true, handle: false });
    assert.deepEqual(staffRights(['decideur']), { read: true, handle: false });
    assert.deepEqual(staffRights(['publisher', 'publisher_manager']), { read: false, handle: false });
  });
});

describe('what a citizen may report on, and what they type', () => {
  it('takes a published initial file shown (or once shown) in the catalogue', () => {
    const file = (
      state: DossierState,
      catalogueStatus: CatalogueStatus | null,
      kind: 'initial' | 'update' = 'initial',
    ) => ({
      kind,
      state,
      catalogueStatus,
    });
    for (const s of ['EN_LIGNE', 'PRESERIE', 'HORS_LIGNE', 'SUSPENDUE'] as const)
      assert.ok(mayReportOn(file('published', s)));
    assert.ok(!mayReportOn(file('published', 'DEREFERENCEE')));
    assert.ok(!mayReportOn(file('draft', null)));
    assert.ok(!mayReportOn(file('convention_signed', null)));
    assert.ok(!mayReportOn(file('published', 'EN_LIGNE', 'update')));
    assert.ok(mayAuditOn(file('published', 'SUSPENDUE')));
    assert.ok(!mayAuditOn(file('published', 'DEREFERENCEE')));
  });

  it('needs a known category and 20 to 5000 characters', () => {
    const ok = 'x'.repeat(MESSAGE_MIN);
    assert.deepEqual(reportProblems({ category: 'securite', message: ok }, categories), {});
    assert.deepEqual(reportProblems({ category: 'bogue', message: ok }, categories), {
      category: 'complaint.field.category',
    });
    assert.equal(
      reportProblems({ category: 'securite', message: '  court  ' }, categories).message,
      'complaint.field.too_short',
    );
    assert.equal(
      reportProblems({ category: 'securite', message: '   ' }, categories).message,
      'complaint.field.required',
    );
    assert.equal(
      reportProblems({ category: 'securite', message: 'x'.repeat(MESSAGE_MAX + 1) }, categories).message,
      'complaint.field.too_long',
    );
    assert.equal(
      reportProblems({ category: 'securite', message: `${ok}\u0007` }, categories).message,
      'complaint.field.control_characters',
    );
  });

  it('limits open reports per service and reports per day', () => {
    assert.equal(limitReached({ openOnService: 4, lastDay: 19 }), undefined);
    assert.equal(limitReached({ openOnService: 5, lastDay: 0 }), 'complaint.error.too_many_open');
    assert.equal(limitReached({ openOnService: 0, lastDay: 20 }), 'complaint.error.too_many_today');
    assert.equal(
      limitReached({ openOnService: 1, lastDay: 1 }, { openPerService: 1, perDay: 10 }),
      'complaint.error.too_many_open',
    );
  });

  it('makes a reference that leads back to the id', () => {
    const id = '1a2b3c4d-0000-4000-8000-000000000000';
    assert.equal(complaintReference(id), 'SIG-1A2B3C4D');
    assert.equal(referencePrefix(' sig-1a2b3c4d '), '1a2b3c4d');
    assert.equal(referencePrefix('SIG-XYZ'), undefined);
  });
});

describe('audits', () => {
  it('reads a day as its end, and refuses what is not a date', () => {
    assert.equal(dueDateOf('2026-07-01')?.toISOString(), '2026-07-01T23:59:59.000Z');
    assert.equal(dueDateOf('2026-07-01T08:00:00Z')?.toISOString(), '2026-07-01T08:00:00.000Z');
    assert.equal(dueDateOf('demain'), undefined);
    assert.equal(dueDateOf('2026-13-45'), undefined);
    assert.equal(dueDateOf('2026-02-30'), undefined);
  });

  it('needs a scope and a deadline to come; initial findings are checked row by row', () => {
    assert.deepEqual(openingProblems({ scope: 'Données', dueAt: '2026-07-01', findings: [] }, now), {});
    assert.deepEqual(openingProblems({ scope: ' ', dueAt: '2026-05-01', findings: [] }, now), {
      scope: 'complaint.field.required',
      dueAt: 'complaint.field.due_future',
    });
    assert.deepEqual(
      openingProblems(
        {
          scope: 'Données',
          dueAt: '2026-07-01',
          findings: [
            { text: '', dueAt: '' },
            { text: 'Traceur publicitaire', dueAt: 'bientôt' },
            { text: '', dueAt: '2026-07-01' },
          ],
        },
        now,
      ),
      { 'findings.1.dueAt': 'complaint.field.date', 'findings.2.text': 'complaint.field.required' },
    );
  });

  it('adds findings with their deadlines and marks them corrected once', () => {
    const added = addFindings([], [{ text: 'Traceur', dueAt: '2026-06-15' }], ['f1'], now);
    assert.ok(added.ok);
    assert.deepEqual(added.findings, [{ id: 'f1', text: 'Traceur', dueAt: '2026-06-15T23:59:59.000Z' }]);
    const resolved = resolveFinding(added.findings, 'f1', now);
    assert.ok(resolved.ok);
    assert.equal(resolved.findings[0]?.resolvedAt, now.toISOString());
    assert.deepEqual(resolveFinding(resolved.findings, 'f1', now), {
      ok: false,
      key: 'complaint.audit.finding_resolved',
    });
    assert.deepEqual(resolveFinding(resolved.findings, 'f2', now), {
      ok: false,
      key: 'complaint.audit.finding_unknown',
    });
    assert.deepEqual(
      overdueFindings(added.findings, new Date('2026-06-16T00:00:00Z')).map((f) => f.id),
      ['f1'],
    );
    assert.deepEqual(overdueFindings(resolved.findings, new Date('2026-06-16T00:00:00Z')), []);
  });

  it('closes with a conclusion only', () => {
    assert.deepEqual(closingProblems(''), { conclusion: 'complaint.field.required' });
    assert.deepEqual(closingProblems('Conforme après corrections.'), {});
  });
});
