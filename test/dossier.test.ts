import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { CompactSign, exportJWK, generateKeyPair } from 'jose';
import { saveAnswer } from '../src/assessment/service.ts';
import { verifyAuditLog } from '../src/audit/index.ts';
import { dossierDeps } from '../src/dossier/plugin.ts';
import {
  act,
  assign,
  DossierConflict,
  dashboard,
  evaluationOf,
  getDossier,
  IllegalTransition,
  recordTestReport,
  recordVerdict,
  runClock,
  timeline,
} from '../src/dossier/service.ts';
import { findServiceClient } from '../src/oauth/index.ts';
import { createStaff, draftDossier, readyPublisher, type Staff, walkTo } from './dossier-fixtures.ts';
import { startTestApp, type TestApp } from './helpers.ts';

describe('the referencing file, from request to publication', () => {
  let app: TestApp;
  let staff: Staff;
  before(async () => {
    app = await startTestApp();
    staff = await createStaff(app);
  });
  after(() => app.stop());

  it('files a request with an evaluation number and freezes the assessment', async () => {
    const deps = dossierDeps(app);
    const publisher = await readyPublisher(app, { name: 'Gel Santé' });
    const draft = await draftDossier(app, publisher);
    assert.equal(draft.state, 'draft');
    assert.deepEqual(draft.requestProblems, {});
    const filed = await act(deps, publisher.actor, draft.id, draft.rowVersion, { type: 'submit' });
    assert.equal(filed.state, 'submitted');
    assert.match(filed.number ?? '', /^MES-\d{4}-\d{6}$/);
    assert.ok(filed.phaseDueAt);
    const before = JSON.stringify(filed.snapshot?.assessment);
    // The publisher edits the assessment after filing: what was filed does not change.
    const report = filed.snapshot?.assessment as { criteria: Array<{ id: string }> } | undefined;
    const criterion = report?.criteria[0]?.id as string;
    await saveAnswer(
      { db: app.db, config: app.config, referentials: app.referentials },
      publisher.actor,
      publisher.assessmentId,
      criterion,
      { status: 'non-conforme', justification: 'changé après le dépôt', targetDate: '', baseVersion: 1 },
    ).catch(() => undefined);
    const again = await getDossier(deps, publisher.actor, filed.id);
    assert.equal(JSON.stringify(again.snapshot?.assessment), before);
  });

  it('refuses a submission before the administrative file is validated', async () => {
    const deps = dossierDeps(app);
    const publisher = await readyPublisher(app, { name: 'Sans Agrément', adminFile: 'submitted' });
    const draft = await draftDossier(app, publisher);
    await assert.rejects(
      act(deps, publisher.actor, draft.id, draft.rowVersion, { type: 'submit' }),
      (e: Error & { message: string }) => e.message === 'dossier.guard.admin_file',
    );
    const still = await getDossier(deps, publisher.actor, draft.id);
    assert.equal(still.state, 'draft');
    assert.equal(still.number, null);
  });

  it('walks a service without data exchange to publication, with an OID under the root', async () => {
    const deps = dossierDeps(app);
    const publisher = await readyPublisher(app, { name: 'Dos Actif' });
    const draft = await draftDossier(app, publisher);
    const published = await walkTo(app, staff, publisher, draft, 'published');
    assert.equal(published.state, 'published');
    assert.equal(published.catalogueStatus, 'EN_LIGNE');
    assert.ok(published.oid?.startsWith(`${app.config.oidRoot}.`));
    assert.ok(published.referencedUntil);
    const steps = (await timeline(deps, publisher.actor, published.id)).map((e) => e.type);
    assert.deepEqual(
      steps.filter((s) => s !== 'verdict'),
      [
        'created',
        'submit',
        'declare_admissible',
        'send_to_commission',
        'give_opinion',
        'decide',
        'sign_convention',
        'publish',
      ],
    );
    // Catalogue statuses: suspension, then back online; an illegal move is refused clearly.
    let view = await act(deps, staff.instructeur, published.id, published.rowVersion, {
      type: 'suspend',
      reasons: 'Audit en cours.',
    });
    assert.equal(view.catalogueStatus, 'SUSPENDUE');
    await assert.rejects(
      act(deps, staff.instructeur, view.id, view.rowVersion, { type: 'put_online' }),
      IllegalTransition,
    );
    await assert.rejects(
      act(deps, staff.instructeur, view.id, view.rowVersion, { type: 'lift_suspension' }),
      /dossier.error.role/,
    );
    view = await act(deps, staff.decideur, view.id, view.rowVersion, { type: 'lift_suspension' });
    assert.equal(view.catalogueStatus, 'HORS_LIGNE');
    view = await act(deps, staff.instructeur, view.id, view.rowVersion, { type: 'put_online' });
    assert.equal(view.catalogueStatus, 'EN_LIGNE');
    assert.equal((await verifyAuditLog(app.db)).firstBreak, undefined);
  });

  it('pauses the instruction clock while the publisher answers a request for information', async () => {
    const deps = dossierDeps(app);
    const publisher = await readyPublisher(app, { name: 'Pause Horloge' });
    let view = await walkTo(app, staff, publisher, await draftDossier(app, publisher), 'evaluation');
    const due = view.phaseDueAt as Date;
    let now = new Date(Date.now() + 5 * 86_400_000);
    const later = { ...deps, now: () => now };
    view = await act(later, staff.instructeur, view.id, view.rowVersion, {
      type: 'request_info',
      message: 'Précisez l’hébergeur.',
      criteria: [],
      dueAt: new Date(now.getTime() + 10 * 86_400_000).toISOString(),
    });
    assert.equal(view.state, 'info_requested');
    assert.equal(view.paused, true);
    now = new Date(now.getTime() + 7 * 86_400_000);
    view = await act(
      later,
      publisher.actor,
      view.id,
      view.rowVersion,
      { type: 'answer_info', text: 'Hébergeur HDS X.' },
      [{ name: 'attestation.pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') }],
    );
    assert.equal(view.state, 'evaluation');
    assert.equal(view.paused, false);
    // The deadline moved by the 7 days the publisher took.
    assert.equal(Math.round(((view.phaseDueAt as Date).getTime() - due.getTime()) / 86_400_000), 7);
    assert.equal(view.infoRequests[0]?.answer, 'Hébergeur HDS X.');
    assert.equal(view.documents.filter((d) => d.kind === 'info_answer').length, 1);
  });

  it('keeps the decision waiting for suspensive reservations, then publishes', async () => {
    const deps = dossierDeps(app);
    const publisher = await readyPublisher(app, { name: 'Réserves' });
    let view = await walkTo(
      app,
      staff,
      publisher,
      await draftDossier(app, publisher),
      'ready_for_commission',
    );
    const seats = deps.process.commission.seats.map((s) => s.id);
    await assert.rejects(
      act(deps, staff.commission, view.id, view.rowVersion, {
        type: 'give_opinion',
        opinion: 'FAVORABLE',
        reasons: 'ok',
        reservations: [],
        sitting: seats.slice(0, 1),
        finalites: [],
      }),
      (e: Error & { fields?: Record<string, string> }) => e.fields?.sitting === 'dossier.field.quorum',
    );
    view = await act(deps, staff.commission, view.id, view.rowVersion, {
      type: 'give_opinion',
      opinion: 'FAVORABLE_RESERVES_SUSPENSIVES',
      reasons: 'Favorable sous réserve.',
      reservations: [{ text: 'Publier la politique de confidentialité à jour.', suspensive: true }],
      sitting: seats,
      finalites: [],
    });
    await assert.rejects(
      act(deps, staff.decideur, view.id, view.rowVersion, {
        type: 'decide',
        decision: 'referenced',
        reasons: 'ok',
      }),
      /suspensive_reservations/,
    );
    view = await act(deps, staff.instructeur, view.id, view.rowVersion, {
      type: 'lift_reservation',
      reservationId: 'R1',
    });
    assert.ok(view.reservations[0]?.liftedAt);
    view = await act(deps, staff.decideur, view.id, view.rowVersion, {
      type: 'decide',
      decision: 'referenced',
      reasons: 'Réserve levée.',
    });
    assert.equal(view.state, 'accepted');
  });

  it('lets one of two instructors win the same step; the other gets a conflict and nothing is lost', async () => {
    const deps = dossierDeps(app);
    const publisher = await readyPublisher(app, { name: 'Course' });
    const view = await walkTo(app, staff, publisher, await draftDossier(app, publisher), 'submitted');
    const results = await Promise.allSettled([
      act(deps, staff.instructeur, view.id, view.rowVersion, { type: 'declare_admissible' }),
      act(deps, staff.instructeur2, view.id, view.rowVersion, {
        type: 'declare_inadmissible',
        reasons: 'Pièces manquantes.',
      }),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    assert.equal(ok.length, 1);
    assert.equal(failed.length, 1);
    assert.ok(failed[0]?.reason instanceof DossierConflict);
    const events = (await timeline(deps, staff.instructeur, view.id)).filter((e) => e.toState);
    assert.equal(events.length, 3); // created, submit, and exactly one of the two
    // Verdicts too: two instructors on the same criterion.
    const now = await getDossier(deps, staff.instructeur, view.id);
    if (now.state === 'evaluation') {
      const [first] = await evaluationOf(deps, staff.instructeur, view.id);
      const id = first?.criterionId as string;
      const both = await Promise.allSettled([
        recordVerdict(deps, staff.instructeur, view.id, id, {
          verdict: 'conforme',
          comment: '',
          rowVersion: 0,
        }),
        recordVerdict(deps, staff.instructeur2, view.id, id, {
          verdict: 'non_conforme',
          comment: 'Preuve absente.',
          rowVersion: 0,
        }),
      ]);
      assert.equal(both.filter((r) => r.status === 'fulfilled').length, 1);
    }
  });

  it('gates the publication of a data-exchange service on a signed connection-test report', async () => {
    const deps = dossierDeps(app);
    const publisher = await readyPublisher(app, { name: 'Tension Connect', dataExchange: true });
    let view = await walkTo(
      app,
      staff,
      publisher,
      await draftDossier(app, publisher, true),
      'convention_signed',
    );
    assert.equal(view.state, 'connection_tests');
    await assert.rejects(
      act(deps, staff.instructeur, view.id, view.rowVersion, { type: 'publish', pilot: false }),
      /connection_tests/,
    );
    // A report signed by this deployment, about this service.
    const key = app.keys.privateJwks.find((k) => k.alg === 'ES256') ?? app.keys.privateJwks[0];
    const { importJWK } = await import('jose');
    const privateKey = await importJWK(key as never, key?.alg as string);
    const org = await app.db
      .selectFrom('organisations')
      .select('siren')
      .where('id', '=', publisher.organisationId)
      .executeTakeFirstOrThrow();
    const payload = {
      format: 'mesref-connection-test-report',
      formatVersion: 1,
      iss: app.config.publicUrl,
      iat: Math.floor(Date.now() / 1000),
      subject: { siren: org.siren, productName: 'Tension Connect' },
      plans: [
        { id: 'pairing', status: 'passed' },
        { id: 'mesures', status: 'passed' },
      ],
      passed: true,
    };
    const sign = (p: unknown) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(p)))
        .setProtectedHeader({ alg: key?.alg as string, kid: key?.kid })
        .sign(privateKey);
    const jws = await sign(payload);
    // Altered after signing: refused.
    const [h, , s] = jws.split('.');
    const forged = `${h}.${Buffer.from(
      JSON.stringify({
        ...payload,
        plans: [
          { id: 'pairing', status: 'passed' },
          { id: 'mesures', status: 'passed' },
          { id: 'documents', status: 'passed' },
        ],
      }),
    ).toString('base64url')}.${s}`;
    await assert.rejects(
      recordTestReport(deps, publisher.actor, view.id, view.rowVersion, forged),
      (e: Error & { fields?: Record<string, string> }) =>
        e.fields?.report === 'dossier.field.report_signature',
    );
    // Signed by a stranger's key: refused.
    const stranger = await generateKeyPair('ES256');
    const foreign = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'ES256', kid: 'x' })
      .sign(stranger.privateKey);
    await assert.rejects(
      recordTestReport(deps, publisher.actor, view.id, view.rowVersion, foreign),
      /validation/,
    );
    void exportJWK;
    view = await recordTestReport(deps, publisher.actor, view.id, view.rowVersion, jws);
    assert.equal(view.testReports[0]?.passed, true);
    view = await act(deps, staff.instructeur, view.id, view.rowVersion, { type: 'publish', pilot: true });
    assert.equal(view.catalogueStatus, 'PRESERIE');
    const client = await findServiceClient(app.db, view.oid as string);
    assert.equal(client?.status, 'active');
    assert.deepEqual(client?.redirectUris, ['https://exemple.test/retour']);
    view = await act(deps, staff.instructeur, view.id, view.rowVersion, {
      type: 'suspend',
      reasons: 'Fuite signalée.',
    });
    assert.equal((await findServiceClient(app.db, view.oid as string))?.status, 'suspended');
  });

  it('accepts a report signed by the configured sandbox, and publishes the deployment’s public keys', async () => {
    const { writeFileSync } = await import('node:fs');
    const { tempDir } = await import('./helpers.ts');
    const sandbox = await generateKeyPair('ES256', { extractable: true });
    const dir = tempDir();
    const file = `${dir.path}/sandbox-jwks.json`;
    writeFileSync(
      file,
      JSON.stringify({ keys: [{ ...(await exportJWK(sandbox.publicKey)), kid: 'sbx-1', alg: 'ES256' }] }),
    );
    const prod = await startTestApp({ MESREF_SANDBOX_JWKS_FILE: file });
    try {
      const jwks = await prod.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      assert.equal(jwks.statusCode, 200);
      assert.ok(jwks.json().keys.length >= 1);
      assert.ok(
        jwks.json().keys.every((k: Record<string, unknown>) => !('d' in k)),
        'public keys only',
      );
      const deps = dossierDeps(prod);
      const crew = await createStaff(prod);
      const publisher = await readyPublisher(prod, { name: 'Venu Du Bac', dataExchange: true });
      const view = await walkTo(
        prod,
        crew,
        publisher,
        await draftDossier(prod, publisher, true),
        'convention_signed',
      );
      const org = await prod.db
        .selectFrom('organisations')
        .select('siren')
        .where('id', '=', publisher.organisationId)
        .executeTakeFirstOrThrow();
      const payload = {
        format: 'mesref-connection-test-report',
        formatVersion: 1,
        iss: 'https://bac-a-sable.exemple',
        iat: Math.floor(Date.now() / 1000),
        subject: { siren: org.siren, productName: 'Venu Du Bac' },
        plans: [
          { id: 'pairing', status: 'passed' },
          { id: 'mesures', status: 'passed' },
        ],
        passed: true,
      };
      const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader({ alg: 'ES256', kid: 'sbx-1' })
        .sign(sandbox.privateKey);
      const recorded = await recordTestReport(deps, publisher.actor, view.id, view.rowVersion, jws);
      assert.equal(recorded.testReports[0]?.origin, 'sandbox');
      // A report about another service is refused even when its signature holds.
      const other = await new CompactSign(
        new TextEncoder().encode(
          JSON.stringify({ ...payload, subject: { siren: org.siren, productName: 'Autre' } }),
        ),
      )
        .setProtectedHeader({ alg: 'ES256', kid: 'sbx-1' })
        .sign(sandbox.privateKey);
      await assert.rejects(
        recordTestReport(deps, publisher.actor, view.id, recorded.rowVersion, other),
        (e: Error & { fields?: Record<string, string> }) =>
          e.fields?.report === 'dossier.field.report_subject',
      );
    } finally {
      await prod.stop();
      dir.remove();
    }
  });

  it('reminds before the end of the referencing, and takes the service offline when it ends', async () => {
    const deps = dossierDeps(app);
    const publisher = await readyPublisher(app, { name: 'Expiration' });
    const view = await walkTo(app, staff, publisher, await draftDossier(app, publisher), 'published');
    const end = (view.referencedUntil as Date).getTime();
    const first = await runClock({ ...deps, now: () => new Date(end - 29 * 86_400_000) });
    assert.ok(first.reminders >= 1);
    const again = await runClock({ ...deps, now: () => new Date(end - 29 * 86_400_000) });
    assert.equal(again.reminders, 0);
    const expired = await runClock({ ...deps, now: () => new Date(end + 3600_000) });
    assert.ok(expired.expired >= 1);
    const after = await getDossier(deps, publisher.actor, view.id);
    assert.equal(after.catalogueStatus, 'HORS_LIGNE');
    // Renewal: requested by the publisher, granted by an instructor, adds the renewal period.
    let renewed = await act(deps, publisher.actor, after.id, after.rowVersion, { type: 'request_renewal' });
    renewed = await act(deps, staff.instructeur, renewed.id, renewed.rowVersion, { type: 'renew' });
    assert.ok((renewed.referencedUntil as Date).getTime() > Date.now() + 700 * 86_400_000);
  });

  it('random steps by random people never reach a state the machine does not allow, and the audit chain holds', async () => {
    const deps = dossierDeps(app);
    const edges = new Set([
      'draft>submitted',
      'draft>withdrawn',
      'submitted>evaluation',
      'submitted>inadmissible',
      'submitted>info_requested',
      'submitted>withdrawn',
      'evaluation>info_requested',
      'evaluation>ready_for_commission',
      'evaluation>withdrawn',
      'info_requested>evaluation',
      'info_requested>submitted',
      'info_requested>withdrawn',
      'ready_for_commission>opinion_given',
      'ready_for_commission>withdrawn',
      'opinion_given>accepted',
      'opinion_given>refused',
      'accepted>convention_signed',
      'accepted>connection_tests',
      'convention_signed>published',
      'connection_tests>published',
    ]);
    const seats = deps.process.commission.seats.map((s) => s.id);
    const actionOf = (type: string, variant: number): Record<string, unknown> => ({
      type,
      reasons: 'Motif de test.',
      message: 'Précisez.',
      dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      text: 'Réponse.',
      opinion: [
        'FAVORABLE',
        'FAVORABLE_RESERVES_NON_SUSPENSIVES',
        'FAVORABLE_RESERVES_SUSPENSIVES',
        'DEFAVORABLE',
      ][variant % 4],
      reservations:
        variant % 4 === 1
          ? [{ text: 'r', suspensive: false }]
          : variant % 4 === 2
            ? [{ text: 'r', suspensive: true }]
            : [],
      sitting: seats,
      finalites: [],
      reservationId: 'R1',
      decision: variant % 3 === 0 ? 'refused' : 'referenced',
      convention: {
        parties: ['Éditeur', 'Ministre', 'CNAM'],
        categories: [],
        finalites: [],
        durationMonths: 12,
        withdrawalTerms: 'retrait',
        signedOn: '2026-11-27',
      },
      pilot: variant % 2 === 0,
    });
    const { actionFrom } = await import('../src/dossier/service.ts');
    const { actionTypes } = await import('../src/dossier/model.ts');
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            type: fc.constantFrom(...actionTypes.filter((t) => t !== 'expire')),
            who: fc.constantFrom(
              'publisher',
              'instructeur',
              'instructeur2',
              'commission',
              'decideur',
              'stranger',
            ),
            variant: fc.nat(11),
            verdicts: fc.boolean(),
          }),
          { minLength: 8, maxLength: 25 },
        ),
        async (steps) => {
          const publisher = await readyPublisher(app, {
            name: `Hasard ${Math.random().toString(36).slice(2, 8)}`,
          });
          const stranger = (
            await readyPublisher(app, { name: `Autre ${Math.random().toString(36).slice(2, 8)}` })
          ).actor;
          let view = await draftDossier(app, publisher);
          const people = { publisher: publisher.actor, stranger, ...staff };
          for (const s of steps) {
            const actor = people[s.who as keyof typeof people];
            if (s.verdicts && view.state === 'evaluation') {
              const { allConforme } = await import('./dossier-fixtures.ts');
              await allConforme(deps, staff.instructeur, view.id);
            }
            const before = await getDossier(deps, staff.instructeur, view.id).catch(() =>
              getDossier(deps, publisher.actor, view.id),
            );
            try {
              const action = actionFrom(actionOf(s.type, s.variant));
              const after = await act(deps, actor, view.id, before.rowVersion, action);
              if (after.state !== before.state)
                assert.ok(edges.has(`${before.state}>${after.state}`), `${before.state}>${after.state}`);
              assert.equal(after.state === 'published', after.catalogueStatus !== null);
              view = after;
            } catch (error) {
              const status = (error as { status?: number }).status;
              assert.ok(status !== undefined && status >= 400 && status < 500, `unexpected ${String(error)}`);
              if (s.who === 'stranger') assert.equal(status, 404);
              const unchanged = await getDossier(deps, publisher.actor, view.id);
              assert.equal(unchanged.rowVersion, before.rowVersion, 'a refused step changed the file');
            }
          }
        },
      ),
      { numRuns: 4 },
    );
    assert.equal((await verifyAuditLog(app.db)).firstBreak, undefined);
  });

  it('shows the queue sorted by deadline with workload and assignment', async () => {
    const deps = dossierDeps(app);
    const publisher = await readyPublisher(app, { name: 'File Attente' });
    let view = await walkTo(app, staff, publisher, await draftDossier(app, publisher), 'submitted');
    view = await assign(
      deps,
      staff.instructeur,
      view.id,
      view.rowVersion,
      staff.instructeur.kind === 'account' ? staff.instructeur.accountId : null,
    );
    const board = await dashboard(deps, staff.instructeur, {});
    const dues = board.rows.map((r) => r.phaseDueAt?.getTime() ?? Number.POSITIVE_INFINITY);
    assert.deepEqual(
      dues,
      [...dues].sort((a, b) => a - b),
    );
    assert.ok(board.workload.some((w) => w.open >= 1));
    const mine = await dashboard(deps, staff.instructeur, { assigned: 'me' });
    assert.ok(mine.rows.some((r) => r.id === view.id));
    await assert.rejects(dashboard(deps, publisher.actor, {}), /forbidden/);
  });
});
