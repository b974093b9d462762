/**
 * Citizens' reports and audits over HTTP (inject): a citizen reports a problem on a published service (page
 * and API), is refused on a draft or unknown file and when signed out, is limited; instructors take, answer
 * and close the report (the citizen reads the answer), open an audit from it with findings and close it,
 * suspend the service through the file's state machine; stale versions get 409; the publisher never sees a
 * report nor who made it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { listAuditEvents } from '../src/audit/index.ts';
import { loadComplaintCategories } from '../src/dossier/complaint-categories.ts';
import { complaintDeps, fileComplaint, seedDemoComplaint } from '../src/dossier/complaint-service.ts';
import { getDossier } from '../src/dossier/service.ts';
import {
  createStaff,
  dossierDepsOf,
  draftDossier,
  type ReadyPublisher,
  readyPublisher,
  type Staff,
  walkTo,
} from './dossier-fixtures.ts';
import { CSRF, createAccount, createCitizen, sessionCookie, startTestApp, type TestApp } from './helpers.ts';

const MESSAGE =
  'Le service affiche des publicités ciblées à partir de mes mesures de tension, ce que sa politique ne dit pas.';

describe('citizens’ reports and audits', () => {
  let app: TestApp;
  let staff: Staff;
  let publisher: ReadyPublisher;
  let dossierId: string;
  let draftId: string;
  let citizenId: string;
  let citizen: Record<string, string>;
  let instructor: Record<string, string>;
  let commission: Record<string, string>;
  let publisherCookies: Record<string, string>;
  let complaintId: string;

  const accountOf = (actor: Staff['instructeur']) => (actor.kind === 'account' ? actor.accountId : '');

  before(async () => {
    app = await startTestApp();
    staff = await createStaff(app);
    publisher = await readyPublisher(app, { name: 'Tension Facile' });
    const published = await walkTo(app, staff, publisher, await draftDossier(app, publisher), 'published');
    assert.equal(published.state, 'published');
    assert.equal(published.catalogueStatus, 'EN_LIGNE');
    dossierId = published.id;
    const other = await readyPublisher(app, { name: 'Brouillon Santé' });
    draftId = (await draftDossier(app, other)).id;
    citizenId = await createCitizen(app.db, 'Alice', 'Signalante');
    citizen = await sessionCookie(app.db, { citizenId });
    instructor = await sessionCookie(app.db, { accountId: accountOf(staff.instructeur) });
    commission = await sessionCookie(app.db, { accountId: accountOf(staff.commission) });
    publisherCookies = await sessionCookie(app.db, { accountId: publisher.accountId });
  });
  after(() => app.stop());

  const api = (
    cookies: Record<string, string> | undefined,
    method: InjectOptions['method'],
    url: string,
    payload?: object,
  ) =>
    app.inject({
      method,
      url,
      cookies,
      headers: { accept: 'application/json', 'x-csrf-token': CSRF },
      ...(payload ? { payload } : {}),
    });

  const form = (cookies: Record<string, string> | undefined, url: string, fields: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url,
      cookies,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      payload: new URLSearchParams({ _csrf: CSRF, ...fields }).toString(),
    });

  const page = (cookies: Record<string, string> | undefined, url: string) =>
    app.inject({ method: 'GET', url, cookies, headers: { accept: 'text/html' } });

  const notificationsOf = (who: { accountId: string } | { citizenId: string }) =>
    app.db
      .selectFrom('notifications')
      .selectAll()
      .where(
        'accountId' in who ? 'recipient_account_id' : 'recipient_citizen_id',
        '=',
        'accountId' in who ? who.accountId : who.citizenId,
      )
      .execute();

  it('lets a signed-in citizen report a problem on a published service, with a reference', async () => {
    const form_ = await page(citizen, `/services/${dossierId}/signaler`);
    assert.equal(form_.statusCode, 200);
    assert.match(form_.body, /Signaler un problème sur ce service/);
    assert.match(form_.body, /non-conformit|ne respecte pas les exigences du référencement/);
    assert.match(form_.body, /support du service/);
    assert.match(form_.body, /Tension Facile/);
    for (const code of ['donnees-personnelles', 'securite', 'publicite', 'autre'])
      assert.match(form_.body, new RegExp(`value="${code}"`));

    // Too short, unknown category: the form again, with what was typed and why.
    const refused = await form(citizen, `/services/${dossierId}/signaler`, {
      category: 'bogue',
      message: 'Trop court',
    });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Choisissez une catégorie de la liste/);
    assert.match(refused.body, /Au moins 20 caractères/);
    assert.match(refused.body, />Trop court</);

    const sent = await form(citizen, `/services/${dossierId}/signaler`, {
      category: 'publicite',
      message: MESSAGE,
    });
    assert.equal(sent.statusCode, 303, sent.body);
    const location = String(sent.headers.location);
    assert.match(location, /^\/usager\/signalements\/[0-9a-f-]{36}\?ok=filed$/);
    complaintId = location.split('/').pop()?.split('?')[0] as string;
    const confirmation = await page(citizen, location);
    assert.equal(confirmation.statusCode, 200);
    assert.match(confirmation.body, /Signalement envoyé/);
    const reference = `SIG-${complaintId.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
    assert.ok(confirmation.body.includes(reference));

    const row = await app.db
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', complaintId)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'new');
    assert.equal(row.citizen_id, citizenId);
    assert.equal(row.dossier_id, dossierId);
    assert.equal(row.row_version, 1);
    // Instructors are told; the audit log has the filing but never the message (it may hold health data).
    const told = await notificationsOf({ accountId: accountOf(staff.instructeur) });
    assert.ok(
      told.some(
        (n) =>
          n.kind === 'dossier.notify.complaint_filed' && n.link === `/instruction/plaintes/${complaintId}`,
      ),
    );
    const events = await listAuditEvents(app.db, { subjectType: 'complaint', subjectId: complaintId });
    assert.deepEqual(
      events.map((e) => e.action),
      ['complaint.filed'],
    );
    assert.ok(!JSON.stringify(events).includes('publicités'));

    // The same through the API.
    const created = await api(citizen, 'POST', `/api/v1/services/${dossierId}/complaints`, {
      category: 'securite',
      message: 'Je vois les mesures d’une autre personne dans mon tableau de bord.',
    });
    assert.equal(created.statusCode, 201, created.body);
    assert.equal(created.json().status, 'new');
    assert.match(created.json().reference, /^SIG-[0-9A-F]{8}$/);
    const invalid = await api(citizen, 'POST', `/api/v1/services/${dossierId}/complaints`, {
      category: 'securite',
      message: 'court',
    });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.json().error.fields.message, /Au moins 20 caractères/);

    const mine = await api(citizen, 'GET', '/api/v1/citizen/complaints');
    assert.equal(mine.statusCode, 200);
    assert.equal(mine.json().items.length, 2);
    const list = await page(citizen, '/usager/signalements');
    assert.equal(list.statusCode, 200);
    assert.ok(list.body.includes(reference));
    // The citizen's space links to the list.
    assert.match((await page(citizen, '/usager')).body, /href="\/usager\/signalements"/);
  });

  it('refuses a draft or unknown file (404), the signed-out (sign-in) and accounts (403)', async () => {
    assert.equal((await page(citizen, `/services/${draftId}/signaler`)).statusCode, 404);
    assert.equal(
      (await page(citizen, '/services/00000000-0000-4000-8000-000000000000/signaler')).statusCode,
      404,
    );
    assert.equal((await page(citizen, '/services/pas-un-id/signaler')).statusCode, 404);
    const draft = await api(citizen, 'POST', `/api/v1/services/${draftId}/complaints`, {
      category: 'securite',
      message: MESSAGE,
    });
    assert.equal(draft.statusCode, 404);
    assert.equal(
      await app.db.selectFrom('complaints').where('dossier_id', '=', draftId).select('id').executeTakeFirst(),
      undefined,
    );

    const anonymous = await page(undefined, `/services/${dossierId}/signaler`);
    assert.equal(anonymous.statusCode, 303);
    assert.equal(
      anonymous.headers.location,
      `/usager/connexion?retour=${encodeURIComponent(`/services/${dossierId}/signaler`)}`,
    );
    const anonymousApi = await api(undefined, 'POST', `/api/v1/services/${dossierId}/complaints`, {
      category: 'securite',
      message: MESSAGE,
    });
    assert.equal(anonymousApi.statusCode, 401);
    assert.equal((await page(undefined, '/usager/signalements')).statusCode, 303);
    const account = await api(publisherCookies, 'POST', `/api/v1/services/${dossierId}/complaints`, {
      category: 'securite',
      message: MESSAGE,
    });
    assert.equal(account.statusCode, 403);
  });

  it('limits a citizen to 5 open reports per service and a number per day', async () => {
    const other = await createCitizen(app.db, 'Bruno', 'Insistant');
    const cookies = await sessionCookie(app.db, { citizenId: other });
    for (let i = 0; i < 5; i++) {
      const res = await api(cookies, 'POST', `/api/v1/services/${dossierId}/complaints`, {
        category: 'autre',
        message: `${MESSAGE} (signalement ${i + 1})`,
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const sixth = await api(cookies, 'POST', `/api/v1/services/${dossierId}/complaints`, {
      category: 'autre',
      message: MESSAGE,
    });
    assert.equal(sixth.statusCode, 429);
    assert.equal(sixth.json().error.code, 'too_many_requests');
    assert.match(sixth.json().error.message, /5 signalements en cours/);
    const page6 = await form(cookies, `/services/${dossierId}/signaler`, {
      category: 'autre',
      message: MESSAGE,
    });
    assert.equal(page6.statusCode, 429);
    assert.match(page6.body, /attendez la réponse/);
    const count = await app.db
      .selectFrom('complaints')
      .where('citizen_id', '=', other)
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 5);

    // The daily limit counts every report of the last 24 hours, answered or not.
    const deps = {
      ...complaintDeps(dossierDepsOf(app), app.notifier, loadComplaintCategories()),
      limits: { openPerService: 100, perDay: 6 },
    };
    const actor = { kind: 'citizen' as const, citizenId: other, displayName: 'Bruno' };
    await fileComplaint(deps, actor, dossierId, { category: 'autre', message: MESSAGE });
    await assert.rejects(
      fileComplaint(deps, actor, dossierId, { category: 'autre', message: MESSAGE }),
      (e: Error & { status?: number; message: string }) =>
        e.status === 429 && e.message === 'complaint.error.too_many_today',
    );
  });

  it('lets an instructor take, answer and close a report; the citizen reads the answer', async () => {
    const queue = await page(instructor, '/instruction/plaintes');
    assert.equal(queue.statusCode, 200);
    assert.ok(queue.body.indexOf('Nouveau') > 0);
    const listed = await api(instructor, 'GET', '/api/v1/complaints?status=new');
    assert.equal(listed.statusCode, 200);
    const items = listed.json().items as Array<{ id: string; createdAt: string; status: string }>;
    assert.ok(items.every((i) => i.status === 'new'));
    assert.equal(items[0]?.id, complaintId, 'oldest first');
    const sorted = [...items].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    assert.deepEqual(
      items.map((i) => i.id),
      sorted.map((i) => i.id),
    );

    const detail = await page(instructor, `/instruction/plaintes/${complaintId}`);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, new RegExp(`href="/instruction/dossiers/${dossierId}"`));
    assert.match(detail.body, /autre\(s\) signalement\(s\) sur ce service/);
    assert.match(detail.body, /Prendre en charge/);

    // A commission member reads, does not handle.
    assert.equal((await api(commission, 'GET', `/api/v1/complaints/${complaintId}`)).statusCode, 200);
    const notAllowed = await api(commission, 'POST', `/api/v1/complaints/${complaintId}/status`, {
      rowVersion: 1,
      status: 'in_review',
    });
    assert.equal(notAllowed.statusCode, 403);

    const taken = await form(instructor, `/instruction/plaintes/${complaintId}/prise-en-charge`, {
      rowVersion: '1',
    });
    assert.equal(taken.statusCode, 303);
    assert.equal(taken.headers.location, `/instruction/plaintes/${complaintId}?ok=taken`);
    // A colleague's page read at version 1: 409, the report as it stands, nothing written.
    const stale = await form(instructor, `/instruction/plaintes/${complaintId}/prise-en-charge`, {
      rowVersion: '1',
    });
    assert.equal(stale.statusCode, 409);
    assert.match(stale.body, /Modifié entre-temps/);
    assert.match(stale.body, /En cours d’examen/);
    const staleApi = await api(instructor, 'POST', `/api/v1/complaints/${complaintId}/status`, {
      rowVersion: 1,
      status: 'answered',
      answer: 'Réponse',
    });
    assert.equal(staleApi.statusCode, 409);
    assert.equal(staleApi.json().error.code, 'conflict');
    assert.equal(staleApi.json().current.status, 'in_review');
    assert.equal(staleApi.json().current.rowVersion, 2);
    const skip = await api(instructor, 'POST', `/api/v1/complaints/${complaintId}/status`, {
      rowVersion: 2,
      status: 'closed',
    });
    assert.equal(skip.statusCode, 409);
    assert.equal(skip.json().error.code, 'illegal_transition');
    const empty = await api(instructor, 'POST', `/api/v1/complaints/${complaintId}/status`, {
      rowVersion: 2,
      status: 'answered',
      answer: ' ',
    });
    assert.equal(empty.statusCode, 422);

    const answer = 'Nous avons demandé à l’éditeur de retirer ces publicités et ouvrons un contrôle.';
    const answered = await form(instructor, `/instruction/plaintes/${complaintId}/reponse`, {
      rowVersion: '2',
      answer,
    });
    assert.equal(answered.statusCode, 303);
    const view = (await api(instructor, 'GET', `/api/v1/complaints/${complaintId}`)).json();
    assert.equal(view.status, 'answered');
    assert.equal(view.answer, answer);
    assert.equal(view.handledBy.id, accountOf(staff.instructeur));

    const toCitizen = await notificationsOf({ citizenId });
    assert.ok(
      toCitizen.some(
        (n) =>
          n.kind === 'dossier.notify.complaint_answered' && n.link === `/usager/signalements/${complaintId}`,
      ),
    );
    const read = await page(citizen, `/usager/signalements/${complaintId}`);
    assert.match(read.body, /Réponse de l’administration/);
    assert.ok(read.body.includes('Nous avons demandé à l’éditeur de retirer ces publicités'));
    const mine = (await api(citizen, 'GET', '/api/v1/citizen/complaints')).json().items as Array<{
      id: string;
      answer: string;
    }>;
    assert.equal(mine.find((c) => c.id === complaintId)?.answer, answer);
    // Another citizen's report is not found.
    const stranger = await sessionCookie(app.db, {
      citizenId: await createCitizen(app.db, 'Chloé', 'Curieuse'),
    });
    assert.equal((await page(stranger, `/usager/signalements/${complaintId}`)).statusCode, 404);

    const closed = await api(instructor, 'POST', `/api/v1/complaints/${complaintId}/status`, {
      rowVersion: 3,
      status: 'closed',
    });
    assert.equal(closed.statusCode, 200);
    assert.equal(closed.json().status, 'closed');
    assert.deepEqual(closed.json().moves, []);
    const events = await listAuditEvents(app.db, { subjectType: 'complaint', subjectId: complaintId });
    assert.deepEqual(events.map((e) => e.action).reverse(), [
      'complaint.filed',
      'complaint.taken',
      'complaint.answered',
      'complaint.closed',
    ]);
  });

  it('opens an audit from a report, adds and resolves findings, closes it; the publisher is told, not who reported', async () => {
    const report = await api(citizen, 'POST', `/api/v1/services/${dossierId}/complaints`, {
      category: 'donnees-personnelles',
      message: 'Mes données de santé sont envoyées à un outil de mesure d’audience américain.',
    });
    const id = report.json().id as string;
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);

    const refused = await api(instructor, 'POST', `/api/v1/dossiers/${dossierId}/audits`, {
      scope: '',
      dueAt: '2020-01-01',
      complaintId: id,
      complaintRowVersion: 1,
    });
    assert.equal(refused.statusCode, 422);
    assert.deepEqual(Object.keys(refused.json().error.fields).sort(), ['dueAt', 'scope']);

    const opened = await form(instructor, `/instruction/plaintes/${id}/audit`, {
      rowVersion: '1',
      scope: 'Traitements de données et traceurs du service (ETH, SEC).',
      dueAt: due,
      finding_0_text: 'Un traceur de mesure d’audience tiers reçoit des données de santé.',
      finding_0_dueAt: soon,
      finding_1_text: '',
      finding_1_dueAt: '',
      finding_2_text: '',
      finding_2_dueAt: '',
    });
    assert.equal(opened.statusCode, 303, opened.body);
    const auditId = String(opened.headers.location).match(
      /\/instruction\/audits\/([0-9a-f-]{36})/,
    )?.[1] as string;
    assert.ok(auditId);
    assert.equal((await page(instructor, `/instruction/audits/${auditId}`)).statusCode, 200);
    let audit = (await api(instructor, 'GET', `/api/v1/audits/${auditId}`)).json();
    assert.equal(audit.status, 'open');
    assert.equal(audit.complaintId, id);
    assert.equal(audit.findings.length, 1);
    assert.equal(audit.findings[0].dueAt, `${soon}T23:59:59.000Z`);
    const linked = (await api(instructor, 'GET', `/api/v1/complaints/${id}`)).json();
    assert.equal(linked.status, 'in_review', 'the report is taken on when an audit is opened from it');
    assert.equal(linked.audits[0].id, auditId);

    const added = await api(instructor, 'PUT', `/api/v1/audits/${auditId}`, {
      rowVersion: audit.rowVersion,
      addFindings: [{ text: 'La politique de confidentialité ne cite pas ce destinataire.', dueAt: soon }],
    });
    assert.equal(added.statusCode, 200, added.body);
    audit = added.json();
    assert.equal(audit.findings.length, 2);
    const stale = await api(instructor, 'PUT', `/api/v1/audits/${auditId}`, {
      rowVersion: audit.rowVersion - 1,
      resolveFindings: [audit.findings[0].id],
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().current.findings.length, 2);
    const resolved = await form(
      instructor,
      `/instruction/audits/${auditId}/constats/${audit.findings[0].id}/corrige`,
      {
        rowVersion: String(audit.rowVersion),
      },
    );
    assert.equal(resolved.statusCode, 303);
    audit = (await api(instructor, 'GET', `/api/v1/audits/${auditId}`)).json();
    assert.ok(audit.findings[0].resolvedAt);
    assert.equal(audit.findings[1].resolvedAt, undefined);

    const noConclusion = await api(instructor, 'PUT', `/api/v1/audits/${auditId}`, {
      rowVersion: audit.rowVersion,
      close: { conclusion: '' },
    });
    assert.equal(noConclusion.statusCode, 422);
    const closed = await form(instructor, `/instruction/audits/${auditId}/cloture`, {
      rowVersion: String(audit.rowVersion),
      conclusion: 'Traceur retiré ; la politique doit être mise à jour sous 10 jours.',
    });
    assert.equal(closed.statusCode, 303);
    audit = (await api(instructor, 'GET', `/api/v1/audits/${auditId}`)).json();
    assert.equal(audit.status, 'closed');
    assert.ok(audit.closedAt);
    const after = await api(instructor, 'PUT', `/api/v1/audits/${auditId}`, {
      rowVersion: audit.rowVersion,
      addFindings: [{ text: 'Encore', dueAt: soon }],
    });
    assert.equal(after.statusCode, 409);
    const events = await listAuditEvents(app.db, { subjectType: 'service_audit', subjectId: auditId });
    assert.deepEqual(events.map((e) => e.action).reverse(), [
      'service_audit.opened',
      'service_audit.finding_added',
      'service_audit.finding_resolved',
      'service_audit.closed',
    ]);

    // The publisher: told of the audit (scope, deadline), each finding, its closing; reads its audits.
    const told = await notificationsOf({ accountId: publisher.accountId });
    const kinds = told.map((n) => n.kind);
    for (const kind of [
      'dossier.notify.audit_opened',
      'dossier.notify.audit_finding',
      'dossier.notify.audit_closed',
    ])
      assert.ok(kinds.includes(kind), kind);
    assert.equal(told.find((n) => n.kind === 'dossier.notify.audit_opened')?.params.dueAt, due);
    const audits = await api(publisherCookies, 'GET', `/api/v1/dossiers/${dossierId}/audits`);
    assert.equal(audits.statusCode, 200);
    assert.equal(audits.json().items[0].complaintId, null);
    assert.equal(audits.json().items[0].openedBy, null);

    // From the file, without a report.
    const newPage = await page(instructor, `/instruction/dossiers/${dossierId}/audits/nouveau`);
    assert.equal(newPage.statusCode, 200);
    const fromFile = await form(instructor, `/instruction/dossiers/${dossierId}/audits`, {
      scope: 'Contrôle périodique.',
      dueAt: due,
    });
    assert.equal(fromFile.statusCode, 303);
    const list = (await api(instructor, 'GET', '/api/v1/audits?status=open')).json().items as Array<{
      complaintId: string | null;
    }>;
    assert.ok(list.some((a) => a.complaintId === null));
    assert.equal((await page(instructor, '/instruction/audits')).statusCode, 200);
    const onDraft = await form(instructor, `/instruction/dossiers/${draftId}/audits`, {
      scope: 'Contrôle.',
      dueAt: due,
    });
    assert.equal(onDraft.statusCode, 409);
  });

  it('never shows reports to the publisher, nor the citizen’s identity', async () => {
    assert.equal((await api(publisherCookies, 'GET', '/api/v1/complaints')).statusCode, 403);
    assert.equal((await api(publisherCookies, 'GET', `/api/v1/complaints/${complaintId}`)).statusCode, 403);
    assert.equal((await page(publisherCookies, '/instruction/plaintes')).statusCode, 403);
    assert.equal((await page(publisherCookies, `/instruction/plaintes/${complaintId}`)).statusCode, 403);
    const other = await createAccount(app.db, {
      organisation: { id: publisher.organisationId, role: 'salarie' },
    });
    const colleague = await sessionCookie(app.db, { accountId: other.accountId });
    assert.equal((await api(colleague, 'GET', '/api/v1/audits')).statusCode, 403);

    const seen = [
      JSON.stringify(await notificationsOf({ accountId: publisher.accountId })),
      (await api(publisherCookies, 'GET', `/api/v1/dossiers/${dossierId}/audits`)).body,
      (await api(publisherCookies, 'GET', `/api/v1/dossiers/${dossierId}/timeline`)).body,
      (await api(publisherCookies, 'GET', `/api/v1/dossiers/${dossierId}`)).body,
      JSON.stringify(await app.db.selectFrom('outbox_mails').selectAll().execute()),
    ].join('\n');
    assert.ok(!seen.includes(citizenId), 'no citizen id');
    assert.ok(!seen.includes('Signalante'), 'no citizen name');
    assert.ok(!seen.includes('publicités ciblées'), 'no report message');
  });

  it('seeds one demo report per citizen and service', async () => {
    const demo = await createCitizen(app.db, 'Démo', 'Usager');
    const id = await seedDemoComplaint(app.db, dossierDepsOf(app), dossierId, demo);
    assert.ok(id);
    assert.equal(await seedDemoComplaint(app.db, dossierDepsOf(app), dossierId, demo), undefined);
    const row = await app.db
      .selectFrom('complaints')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.status, 'new');
    assert.equal(row.category, 'donnees-personnelles');
  });

  it('suspends the service from a report through the file’s state machine', async () => {
    const report = await api(citizen, 'POST', `/api/v1/services/${dossierId}/complaints`, {
      category: 'securite',
      message: 'La connexion se fait sans mot de passe sur un lien envoyé en clair.',
    });
    const id = report.json().id as string;
    const complaint = (await api(instructor, 'GET', `/api/v1/complaints/${id}`)).json();
    assert.equal(complaint.maySuspend, true);
    const dossierVersion = complaint.service.rowVersion as number;

    const noReason = await api(instructor, 'POST', `/api/v1/complaints/${id}/suspension`, {
      rowVersion: 1,
      dossierRowVersion: dossierVersion,
      reasons: '',
    });
    assert.equal(noReason.statusCode, 422);
    const staleFile = await api(instructor, 'POST', `/api/v1/complaints/${id}/suspension`, {
      rowVersion: 1,
      dossierRowVersion: dossierVersion - 1,
      reasons: 'Faille d’authentification.',
    });
    assert.equal(staleFile.statusCode, 409);
    assert.equal(staleFile.json().error.code, 'conflict');
    const byCommission = await api(commission, 'POST', `/api/v1/complaints/${id}/suspension`, {
      rowVersion: 1,
      dossierRowVersion: dossierVersion,
      reasons: 'Faille d’authentification.',
    });
    assert.equal(byCommission.statusCode, 403);

    const suspended = await form(instructor, `/instruction/plaintes/${id}/suspension`, {
      rowVersion: '1',
      dossierRowVersion: String(dossierVersion),
      reasons: 'Faille d’authentification en cours de contrôle.',
    });
    assert.equal(suspended.statusCode, 303, suspended.body);
    const file = await getDossier(dossierDepsOf(app), staff.instructeur, dossierId);
    assert.equal(file.catalogueStatus, 'SUSPENDUE');
    assert.equal(file.state, 'published');
    const after = (await api(instructor, 'GET', `/api/v1/complaints/${id}`)).json();
    assert.equal(after.status, 'in_review');
    assert.equal(after.maySuspend, false);
    const events = await listAuditEvents(app.db, { subjectType: 'complaint', subjectId: id });
    assert.ok(
      events.some((e) => e.action === 'complaint.service_suspended' && e.data.catalogueTo === 'SUSPENDUE'),
    );
    const told = await notificationsOf({ accountId: publisher.accountId });
    assert.ok(told.some((n) => n.kind === 'dossier.notify.suspend'));

    // Suspending again: the state machine refuses (409), the page says why.
    const again = await api(instructor, 'POST', `/api/v1/complaints/${id}/suspension`, {
      rowVersion: after.rowVersion,
      dossierRowVersion: file.rowVersion,
      reasons: 'Encore.',
    });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'illegal_transition');

    // A suspended service can still be reported on.
    assert.equal((await page(citizen, `/services/${dossierId}/signaler`)).statusCode, 200);
  });
});
