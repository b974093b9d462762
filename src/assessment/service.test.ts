/**
 * The self-assessment's service and store on a real database (PGlite, and PostgreSQL on its lane): rights,
 * optimistic concurrency between colleagues, audit events, evidence files, import that changes nothing when
 * refused, moving to another version.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount, createOrganisation, freshDatabase } from '../../test/helpers.ts';
import type { Actor } from '../identity/model.ts';
import { newId } from '../platform/crypto.ts';
import type { DatabaseHandle, Db } from '../platform/db/index.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { loadReferentials } from '../referential/index.ts';
import { readAnswersFile } from './routes.ts';
import * as service from './service.ts';

const referentials = loadReferentials();

async function createTestProduct(db: Db, organisationId: string, name = 'Suivi Tension'): Promise<string> {
  const id = newId();
  await db
    .insertInto('products')
    .values({
      id,
      organisation_id: organisationId,
      commercial_name: name,
      os: 'ios',
      device: 'mobile',
      version: '1.0',
      description: 'Service de test',
      url_web: null,
      url_ios: null,
      url_android: null,
      url_cgu: null,
      url_privacy: null,
      thematics: '[]',
      regions: '[]',
      audience: '[]',
      economic_model: 'gratuit',
      medical_device: false,
      medical_device_class: null,
      data_exchange: false,
      row_version: 1,
      created_by: null,
      updated_at: new Date(),
    })
    .execute();
  return id;
}

function member(accountId: string, organisationId: string): Actor {
  return {
    kind: 'account',
    accountId,
    email: `${accountId}@exemple.test`,
    displayName: 'Membre',
    staffRoles: [],
    memberships: [{ organisationId, role: 'salarie' }],
    secondFactorOk: true,
    totpEnabled: false,
  };
}

function staff(accountId: string): Actor {
  return {
    kind: 'account',
    accountId,
    email: `${accountId}@exemple.test`,
    displayName: 'Agent',
    staffRoles: ['instructeur'],
    memberships: [],
    secondFactorOk: true,
    totpEnabled: false,
  };
}

async function auditActions(db: Db, assessmentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_events')
    .select('action')
    .where('chain', '=', `assessment:${assessmentId}`)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.action);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('assessment service', () => {
  let handle: DatabaseHandle;
  let db: Db;
  let deps: service.AssessmentDeps;
  let orgId: string;
  let productId: string;
  let alice: Actor;
  let bob: Actor;
  let outsider: Actor;
  let agent: Actor;

  before(async () => {
    handle = await freshDatabase();
    db = handle.db;
    await migrateToLatest(db);
    deps = { db, config: { evidenceMaxBytes: 1024 * 1024 }, referentials };
    orgId = await createOrganisation(db);
    const otherOrg = await createOrganisation(db, 'Autre éditeur');
    productId = await createTestProduct(db, orgId);
    const a = await createAccount(db, { organisation: { id: orgId, role: 'mandataire' } });
    const b = await createAccount(db, { organisation: { id: orgId, role: 'salarie' } });
    const o = await createAccount(db, { organisation: { id: otherOrg, role: 'mandataire' } });
    const s = await createAccount(db, { staff: ['instructeur'] });
    alice = member(a.accountId, orgId);
    bob = member(b.accountId, orgId);
    outsider = member(o.accountId, otherOrg);
    agent = staff(s.accountId);
  });
  after(() => handle.close());

  it('creates one assessment per service and version, on the newest version by default', async () => {
    const first = await service.createAssessment(deps, alice, productId);
    assert.equal(first.created, true);
    const view = await service.getAssessment(deps, alice, first.id);
    assert.equal(view.version.id, referentials.newest().id);
    assert.equal(view.mayEdit, true);
    const again = await service.createAssessment(deps, bob, productId, referentials.newest().id);
    assert.deepEqual(again, { id: first.id, created: false });
    assert.deepEqual(await auditActions(db, first.id), ['assessment.created']);
    await assert.rejects(service.createAssessment(deps, alice, productId, 'nope'), { status: 422 });
  });

  it('hides the assessment from other organisations, lets staff read but not write', async () => {
    const { id } = await service.createAssessment(deps, alice, productId);
    await assert.rejects(service.getAssessment(deps, outsider, id), { status: 404 });
    await assert.rejects(service.listAssessments(deps, outsider, productId), { status: 404 });
    await assert.rejects(service.createAssessment(deps, outsider, productId), { status: 404 });
    await assert.rejects(
      service.saveAnswer(deps, outsider, id, 'URB 01', {
        status: '',
        justification: '',
        targetDate: '',
        baseVersion: 0,
      }),
      { status: 404 },
    );
    const seen = await service.getAssessment(deps, agent, id);
    assert.equal(seen.mayEdit, false);
    await assert.rejects(
      service.saveAnswer(deps, agent, id, 'URB 01', {
        status: '',
        justification: '',
        targetDate: '',
        baseVersion: 0,
      }),
      { status: 403 },
    );
    const unverified = { ...agent, secondFactorOk: false } as Actor;
    await assert.rejects(service.getAssessment(deps, unverified, id), { status: 404 });
    await assert.rejects(service.getAssessment(deps, alice, newId()), { status: 404 });
    await assert.rejects(service.getAssessment(deps, alice, 'pas-un-uuid'), { status: 404 });
  });

  it('saves the orientation, keeps only answers to questions asked, and refuses a stale save', async () => {
    const product = await createTestProduct(db, orgId, 'Orientation');
    const { id } = await service.createAssessment(deps, alice, product);
    const saved = await service.saveOrientation(deps, alice, id, {
      orientation: { echange_donnees: false, finalites: ['soins'], donnees_sante: true },
      baseVersion: 1,
    });
    assert.equal(saved.version, 2);
    // finalites is asked only with data exchange: its answer is not kept.
    assert.deepEqual(saved.orientation, { echange_donnees: false, donnees_sante: true });
    await assert.rejects(
      service.saveOrientation(deps, bob, id, { orientation: { echange_donnees: true }, baseVersion: 1 }),
      (error: unknown) =>
        error instanceof service.OrientationConflict &&
        error.current.version === 2 &&
        error.current.orientation.donnees_sante === true,
    );
    await assert.rejects(
      service.saveOrientation(deps, alice, id, {
        orientation: { echange_donnees: 'peut-être' },
        baseVersion: 2,
      }),
      { status: 422 },
    );
    await assert.rejects(
      service.saveOrientation(deps, alice, id, { orientation: { inconnue: true }, baseVersion: 2 }),
      { status: 422 },
    );
    assert.deepEqual(await auditActions(db, id), ['assessment.created', 'assessment.orientation_saved']);
  });

  it('gives the second colleague a conflict with the first one’s answer, and overwrites nothing', async () => {
    const product = await createTestProduct(db, orgId, 'Conflit');
    const { id } = await service.createAssessment(deps, alice, product);
    const criterion = referentials.newest().criteria.find((c) => !c.appliesWhen)?.id as string;
    // Both open the criterion while it has no answer (version 0).
    const first = await service.saveAnswer(deps, alice, id, criterion, {
      status: 'conforme',
      justification: 'Hébergeur certifié',
      targetDate: '',
      baseVersion: 0,
      addEvidence: [{ kind: 'url', url: 'https://exemple.test/certificat' }],
    });
    assert.equal(first.version, 1);
    await assert.rejects(
      service.saveAnswer(deps, bob, id, criterion, {
        status: 'non-conforme',
        justification: 'Pas encore',
        targetDate: '2030-01-31',
        baseVersion: 0,
        addEvidence: [{ kind: 'text', text: 'ne devrait pas être écrit' }],
      }),
      (error: unknown) => {
        assert.ok(error instanceof service.AnswerConflict);
        assert.equal(error.status, 409);
        assert.equal(error.current.status, 'conforme');
        assert.equal(error.current.justification, 'Hébergeur certifié');
        assert.equal(error.current.version, 1);
        assert.equal(error.current.evidence.length, 1);
        return true;
      },
    );
    // A stale update (based on version 1 after alice saved version 2) is refused as well.
    await service.saveAnswer(deps, alice, id, criterion, {
      status: 'conforme',
      justification: 'Hébergeur certifié HDS',
      targetDate: '',
      baseVersion: 1,
    });
    await assert.rejects(
      service.saveAnswer(deps, bob, id, criterion, {
        status: '',
        justification: '',
        targetDate: '',
        baseVersion: 1,
      }),
      service.AnswerConflict,
    );
    const answer = await service.getAnswer(deps, alice, id, criterion);
    assert.equal(answer.status, 'conforme');
    assert.equal(answer.justification, 'Hébergeur certifié HDS');
    assert.equal(answer.version, 2);
    assert.deepEqual(
      answer.evidence.map((e) => e.kind),
      ['url'],
    );
    assert.deepEqual(await auditActions(db, id), [
      'assessment.created',
      'assessment.answer_saved',
      'assessment.evidence_added',
      'assessment.answer_saved',
    ]);
  });

  it('checks answers: statuses, justification, dates, URLs, and non applicable only where allowed', async () => {
    const product = await createTestProduct(db, orgId, 'Contrôles');
    const { id } = await service.createAssessment(deps, alice, product);
    const version = referentials.newest();
    const mandatory = version.criteria.find(
      (c) => c.level === 'obligatoire' && !c.notApplicableWhen && !c.appliesWhen,
    );
    assert.ok(mandatory);
    const base = { justification: 'x', targetDate: '', baseVersion: 0 };
    await assert.rejects(
      service.saveAnswer(deps, alice, id, mandatory.id, { ...base, status: 'peut-être' }),
      {
        status: 422,
      },
    );
    await assert.rejects(
      service.saveAnswer(deps, alice, id, mandatory.id, { ...base, status: 'non-applicable' }),
      (error: { fields?: Record<string, string> }) =>
        error.fields?.status === 'assessment.field.not_applicable_refused',
    );
    await assert.rejects(
      service.saveAnswer(deps, alice, id, mandatory.id, {
        ...base,
        status: 'conforme',
        targetDate: '2025-02-30',
      }),
      { status: 422 },
    );
    await assert.rejects(
      service.saveAnswer(deps, alice, id, mandatory.id, {
        ...base,
        status: 'conforme',
        addEvidence: [{ kind: 'url', url: 'javascript:alert(1)' }],
      }),
      { status: 422 },
    );
    await assert.rejects(service.saveAnswer(deps, alice, id, 'XYZ 99', { ...base, status: 'conforme' }), {
      status: 404,
    });
    assert.equal((await service.getAnswer(deps, alice, id, mandatory.id)).version, 0, 'nothing was written');
  });

  it('keeps evidence files with their detected type, size and SHA-256; refuses others', async () => {
    const product = await createTestProduct(db, orgId, 'Preuves');
    const { id } = await service.createAssessment(deps, alice, product);
    const criterion = referentials.newest().criteria.find((c) => !c.appliesWhen)?.id as string;
    const saved = await service.saveAnswer(deps, alice, id, criterion, {
      status: 'conforme',
      justification: '',
      targetDate: '',
      baseVersion: 0,
      addEvidence: [{ kind: 'file', name: 'certificat.pdf', bytes: PDF }],
    });
    const file = saved.evidence[0];
    assert.equal(file.kind, 'file');
    assert.equal(file.mediaType, 'application/pdf');
    assert.equal(file.size, PDF.length);
    assert.match(file.sha256 ?? '', /^[0-9a-f]{64}$/);
    const download = await service.evidenceFile(deps, agent, id, file.id);
    assert.deepEqual(download.content, PDF);
    await assert.rejects(service.evidenceFile(deps, outsider, id, file.id), { status: 404 });

    for (const [name, bytes, field] of [
      ['page.html', Buffer.from('<!doctype html><script>alert(1)</script>'), 'assessment.field.file_type'],
      ['outil.exe', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03]), 'assessment.field.file_type'],
      ['gros.pdf', Buffer.alloc(1024 * 1024 + 1, 0x41), 'assessment.field.file_too_large'],
      ['vide.pdf', Buffer.alloc(0), 'assessment.field.file_empty'],
    ] as const) {
      await assert.rejects(
        service.saveAnswer(deps, alice, id, criterion, {
          status: 'conforme',
          justification: '',
          targetDate: '',
          baseVersion: saved.version,
          addEvidence: [{ kind: 'file', name, bytes }],
        }),
        (error: { fields?: Record<string, string> }) => error.fields?.evidenceFile === field,
        name,
      );
    }
    // Removing evidence names the answer's version too.
    await assert.rejects(service.removeEvidence(deps, bob, id, file.id, 0), service.AnswerConflict);
    const removed = await service.removeEvidence(deps, bob, id, file.id, saved.version);
    assert.equal(removed.evidence.length, 0);
    const actions = await auditActions(db, id);
    assert.deepEqual(actions.slice(-1), ['assessment.evidence_removed']);
    assert.ok(actions.includes('assessment.evidence_added'));
  });

  it('sets target dates for the plan', async () => {
    const product = await createTestProduct(db, orgId, 'Plan');
    const { id } = await service.createAssessment(deps, alice, product);
    const criterion = referentials.newest().criteria.find((c) => !c.appliesWhen)?.id as string;
    const dated = await service.setTargetDate(deps, alice, id, criterion, '2030-06-30', 0);
    assert.equal(dated.targetDate, '2030-06-30');
    await assert.rejects(
      service.setTargetDate(deps, bob, id, criterion, '2031-01-01', 0),
      service.AnswerConflict,
    );
    const view = await service.getAssessment(deps, alice, id);
    assert.equal(view.input.answers[criterion]?.targetDate, '2030-06-30');
  });

  it('imports an answers file in one go, and a refused file changes nothing', async () => {
    const product = await createTestProduct(db, orgId, 'Import');
    const { id } = await service.createAssessment(deps, alice, product);
    const version = referentials.newest();
    const always = version.criteria.filter((c) => !c.appliesWhen).slice(0, 2);
    await service.saveAnswer(deps, alice, id, always[1].id, {
      status: 'conforme',
      justification: '',
      targetDate: '',
      baseVersion: 0,
      addEvidence: [{ kind: 'file', name: 'garde.pdf', bytes: PDF }],
    });
    const before = await service.getAssessment(deps, alice, id);
    const eventsBefore = await auditActions(db, id);

    const bad = `referential: ${version.id}\norientation:\n  echange_donnees: peut-être\nanswers:\n  "${always[0].id}":\n    status: oui\n`;
    const refused = readAnswersFile(deps, bad, 'reponses.yaml', version.id, 'fr');
    await assert.rejects(
      service.importAnswers(deps, alice, id, refused, 'reponses.yaml', 'x'),
      (error: unknown) => {
        assert.ok(error instanceof service.ImportRefused);
        assert.ok(error.problems.length >= 2);
        assert.ok(error.problems.every((p) => p.line >= 3));
        return true;
      },
    );
    const otherVersion = referentials.versions.find((v) => v.id !== version.id)?.id as string;
    const wrong = readAnswersFile(deps, `referential: ${otherVersion}\n`, 'autre.yaml', version.id, 'fr');
    await assert.rejects(
      service.importAnswers(deps, alice, id, wrong, 'autre.yaml', 'x'),
      service.ImportRefused,
    );
    const unchanged = await service.getAssessment(deps, alice, id);
    assert.deepEqual(unchanged.orientation, before.orientation);
    assert.deepEqual(unchanged.answers, before.answers);
    assert.deepEqual(await auditActions(db, id), eventsBefore);

    const good = [
      `referential: ${version.id}`,
      'orientation:',
      '  echange_donnees: false',
      '  donnees_sante: true',
      'answers:',
      `  "${always[0].id}":`,
      '    status: conforme',
      '    evidence:',
      '      - url: https://exemple.test/preuve',
      `  "${always[1].id}":`,
      '    status: conforme',
      '    evidence:',
      '      - file: garde.pdf',
      '',
    ].join('\n');
    const parsed = readAnswersFile(deps, good, 'reponses.yaml', version.id, 'fr');
    const imported = await service.importAnswers(deps, alice, id, parsed, 'reponses.yaml', 'sha');
    assert.deepEqual(imported.orientation, { echange_donnees: false, donnees_sante: true });
    assert.equal(imported.answers[always[0].id].status, 'conforme');
    assert.equal(imported.answers[always[0].id].evidence[0].url, 'https://exemple.test/preuve');
    // The stored file named again is kept, bytes included.
    const kept = imported.answers[always[1].id].evidence;
    assert.equal(kept.length, 1);
    assert.equal(kept[0].stored, true);
    assert.ok(imported.rowVersion > before.rowVersion);
    assert.ok(imported.answers[always[1].id].version > before.answers[always[1].id].version);
    assert.deepEqual((await auditActions(db, id)).slice(-1), ['assessment.imported']);
  });

  it('moves to another version, keeping what still counts with its evidence', async () => {
    const product = await createTestProduct(db, orgId, 'Migration');
    const [newest, older] = referentials.versions;
    const { id } = await service.createAssessment(deps, alice, product, older.id);
    const shared = older.criteria.find(
      (c) =>
        !c.appliesWhen && JSON.stringify(newest.criteria.find((n) => n.id === c.id)) === JSON.stringify(c),
    );
    assert.ok(shared, 'a criterion unchanged between the versions');
    await service.saveAnswer(deps, alice, id, shared.id, {
      status: 'conforme',
      justification: '',
      targetDate: '',
      baseVersion: 0,
      addEvidence: [{ kind: 'file', name: 'preuve.pdf', bytes: PDF }],
    });
    const preview = await service.previewMove(deps, alice, id, newest.id);
    assert.ok(preview.kept.includes(shared.id));
    assert.ok(preview.toAnswer.length > 0);
    const moved = await service.moveToVersion(deps, alice, id, newest.id);
    const view = await service.getAssessment(deps, alice, moved.id);
    assert.equal(view.version.id, newest.id);
    assert.equal(view.answers[shared.id].status, 'conforme');
    assert.equal(view.answers[shared.id].evidence[0].stored, true);
    await assert.rejects(service.moveToVersion(deps, alice, id, newest.id), { status: 409 });
    assert.deepEqual(await auditActions(db, moved.id), ['assessment.created']);
  });
});
