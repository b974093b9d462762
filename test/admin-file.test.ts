import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type AdminFileMove,
  type AdminFileStatus,
  adminFileStatuses,
  agreementFileName,
  agreementProblem,
  checkContacts,
  isPdf,
  isPlausiblePhone,
  nextStatus,
  submissionProblems,
} from '../src/dossier/admin-file.ts';
import { demoPdf, isAdminFileValidated, seedDemoAdminFile } from '../src/dossier/admin-file-service.ts';
import {
  CSRF,
  createAccount,
  createOrganisation,
  sessionCookie,
  startTestApp,
  type TestApp,
} from './helpers.ts';

/** The publisher's administrative file: its rules, the JSON API and the pages (rights, concurrency, audit). */

type Cookies = Record<string, string>;

const PDF = demoPdf(['Convention de test']);
const contact = (role: string, name = 'Camille Durand', email = 'camille@exemple.fr', phone = '') => ({
  role,
  name,
  email,
  phone,
});

// ── pure rules ──────────────────────────────────────────────────────────────

describe('administrative file rules', () => {
  it('checks each contact and names the row of each problem', () => {
    const cases: Array<[string, Parameters<typeof checkContacts>[0], Record<string, string> | number]> = [
      ['a valid administrative contact', [contact('administratif')], 1],
      ['rows left empty are dropped', [contact('', '', '', ''), contact('technique')], 1],
      [
        'text is trimmed',
        [{ role: ' dpo ', name: '  Ana  ', email: ' ana@exemple.fr ', phone: ' +33 1 23 45 67 89 ' }],
        1,
      ],
      [
        'an unknown role',
        [contact('commercial')],
        { 'contacts.0.role': 'dossier.admin_file.contact.role_invalid' },
      ],
      [
        'a missing name and email, named by their row in the form',
        [contact('', '', '', ''), contact('support', '', '', '')],
        {
          'contacts.1.name': 'dossier.admin_file.contact.required',
          'contacts.1.email': 'dossier.admin_file.contact.required',
        },
      ],
      [
        'an email without a domain',
        [contact('technique', 'Léa', 'lea@exemple')],
        { 'contacts.0.email': 'dossier.admin_file.contact.email_invalid' },
      ],
      [
        'an implausible phone',
        [contact('technique', 'Léa', 'lea@exemple.fr', '12-ab')],
        { 'contacts.0.phone': 'dossier.admin_file.contact.phone_invalid' },
      ],
      [
        'a name with a control character',
        [contact('technique', 'Léa\u0000', 'lea@exemple.fr')],
        { 'contacts.0.name': 'dossier.admin_file.contact.name_invalid' },
      ],
      [
        'more than six contacts',
        Array.from({ length: 7 }, () => contact('support')),
        { contacts: 'dossier.admin_file.contacts_too_many' },
      ],
    ];
    for (const [name, input, expected] of cases) {
      const result = checkContacts(input);
      if (typeof expected === 'number') {
        assert.ok(result.ok, name);
        assert.equal(result.contacts.length, expected, name);
      } else {
        assert.ok(!result.ok, name);
        assert.deepEqual(result.problems, expected, name);
      }
    }
    const trimmed = checkContacts([
      { role: ' dpo ', name: '  Ana  ', email: ' ana@exemple.fr ', phone: ' 0612345678 ' },
    ]);
    assert.ok(trimmed.ok);
    assert.deepEqual(trimmed.contacts, [
      { role: 'dpo', name: 'Ana', email: 'ana@exemple.fr', phone: '0612345678' },
    ]);
  });

  it('knows a plausible telephone number', () => {
    const cases: Array<[string, boolean]> = [
      ['01 23 45 67 89', true],
      ['+33 1 23 45 67 89', true],
      ['01.23.45.67.89', true],
      ['(0)1-23-45-67-89', true],
      ['+1 (555) 010-9999', true],
      ['1234567', false],
      ['1234567890123456', false],
      ['01 23 45 67 8x', false],
      ['33+123456789', false],
    ];
    for (const [phone, expected] of cases) assert.equal(isPlausiblePhone(phone), expected, phone);
  });

  it('moves between statuses only as the process allows', () => {
    const table: Record<AdminFileStatus, Record<AdminFileMove, AdminFileStatus | undefined>> = {
      draft: {
        save: 'draft',
        submit: 'submitted',
        reopen: undefined,
        validate: undefined,
        reject: undefined,
      },
      rejected: {
        save: 'draft',
        submit: 'submitted',
        reopen: undefined,
        validate: undefined,
        reject: undefined,
      },
      submitted: {
        save: undefined,
        submit: undefined,
        reopen: 'draft',
        validate: 'validated',
        reject: 'rejected',
      },
      validated: {
        save: undefined,
        submit: undefined,
        reopen: 'draft',
        validate: undefined,
        reject: undefined,
      },
    };
    for (const status of adminFileStatuses)
      for (const [move, expected] of Object.entries(table[status]))
        assert.equal(nextStatus(status, move as AdminFileMove), expected, `${status} --${move}->`);
  });

  it('never validates a file that was changed after its submission (property)', () => {
    const moves: AdminFileMove[] = ['save', 'submit', 'reopen', 'validate', 'reject'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...moves), { maxLength: 30 }), (sequence) => {
        let status: AdminFileStatus = 'draft';
        let changedSinceSubmission = false;
        for (const move of sequence) {
          const next = nextStatus(status, move);
          if (!next) continue;
          if (move === 'save') changedSinceSubmission = true;
          if (move === 'submit') changedSinceSubmission = false;
          if (next === 'validated') assert.equal(changedSinceSubmission, false);
          // Every change of the content leaves a draft, which must be submitted again.
          if (move === 'save' || move === 'reopen') assert.equal(next, 'draft');
          status = next;
        }
      }),
    );
  });

  it('says what a submission lacks', () => {
    assert.deepEqual(submissionProblems({ contacts: [], agreement: null }), {
      'contacts.administratif': 'dossier.admin_file.missing_contact.administratif',
      'contacts.technique': 'dossier.admin_file.missing_contact.technique',
      agreement: 'dossier.admin_file.agreement.required',
    });
    const complete = {
      contacts: [
        { role: 'administratif' as const, name: 'A', email: 'a@b.fr', phone: '' },
        { role: 'technique' as const, name: 'B', email: 'b@b.fr', phone: '' },
      ],
      agreement: { name: 'c.pdf', mediaType: 'application/pdf', size: 10, sha256: 'x' },
    };
    assert.deepEqual(submissionProblems(complete), {});
    assert.deepEqual(Object.keys(submissionProblems({ ...complete, contacts: complete.contacts.slice(1) })), [
      'contacts.administratif',
    ]);
  });

  it('takes a PDF by its bytes only, within the size limit', () => {
    assert.equal(isPdf(PDF), true);
    assert.equal(isPdf(Buffer.from('<html>%PDF-')), false);
    assert.equal(agreementProblem(Buffer.alloc(0), 100), 'dossier.admin_file.agreement.missing');
    assert.equal(agreementProblem(Buffer.from('GIF89a...'), 100), 'dossier.admin_file.agreement.not_pdf');
    assert.equal(
      agreementProblem(Buffer.from(`%PDF-${'x'.repeat(100)}`), 100),
      'dossier.admin_file.agreement.too_large',
    );
    assert.equal(agreementProblem(PDF, PDF.length), undefined);
    assert.equal(agreementFileName('C:\\docs\\convention signée.pdf'), 'convention signée.pdf');
    assert.equal(agreementFileName('../"x"\n'), 'x.pdf');
    assert.equal(agreementFileName(''), 'convention.pdf');
  });

  it('makes a well-formed demo PDF (its cross-reference table points at its objects)', () => {
    const text = PDF.toString('latin1');
    assert.ok(text.startsWith('%PDF-1.4\n'));
    assert.ok(text.endsWith('%%EOF\n'));
    const xref = Number(/startxref\n(\d+)/.exec(text)?.[1]);
    assert.ok(text.slice(xref).startsWith('xref\n0 6\n'));
    const offsets = [...text.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    assert.equal(offsets.length, 5);
    for (const [i, offset] of offsets.entries())
      assert.ok(text.slice(offset).startsWith(`${i + 1} 0 obj`), `object ${i + 1}`);
  });
});

// ── HTTP ────────────────────────────────────────────────────────────────────

function api(
  t: TestApp,
  method: 'GET' | 'PUT' | 'POST',
  url: string,
  cookies: Cookies | undefined,
  payload?: unknown,
) {
  return t.inject({
    method,
    url,
    cookies,
    headers: { accept: 'application/json', ...(cookies ? { 'x-csrf-token': CSRF } : {}) },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

function putPdf(t: TestApp, orgId: string, rowVersion: number, bytes: Buffer, cookies: Cookies) {
  return t.inject({
    method: 'PUT',
    url: `/api/v1/organisations/${orgId}/admin-file/agreement?rowVersion=${rowVersion}&fileName=convention-signee.pdf`,
    cookies,
    headers: { 'content-type': 'application/pdf', accept: 'application/json', 'x-csrf-token': CSRF },
    payload: bytes,
  });
}

function form(t: TestApp, url: string, fields: Array<[string, string]>, cookies: Cookies) {
  return t.inject({
    method: 'POST',
    url,
    cookies,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams([['_csrf', CSRF], ...fields]).toString(),
  });
}

function page(t: TestApp, url: string, cookies: Cookies) {
  return t.inject({ method: 'GET', url, cookies, headers: { accept: 'text/html' } });
}

/** A multipart body, as a browser's upload form sends it. */
function uploadForm(
  t: TestApp,
  url: string,
  cookies: Cookies,
  fields: Record<string, string>,
  file: { name: string; type: string; bytes: Buffer },
) {
  const boundary = '----mesrefAdminFileBoundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries({ _csrf: CSRF, ...fields }))
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return t.inject({
    method: 'POST',
    url,
    cookies,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
    payload: Buffer.concat(parts),
  });
}

/** The page's text without tags (and typographic apostrophes kept), to assert on what a person reads. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

async function auditActions(t: TestApp, orgId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('audit_events')
    .select(['action', 'chain'])
    .where('subject_type', '=', 'organisation')
    .where('subject_id', '=', orgId)
    .where('action', 'like', 'admin_file.%')
    .orderBy('seq')
    .execute();
  for (const row of rows) assert.equal(row.chain, `organisation:${orgId}`);
  return rows.map((r) => r.action);
}

async function notificationsOf(t: TestApp, accountId: string): Promise<string[]> {
  const rows = await t.db
    .selectFrom('notifications')
    .select('kind')
    .where('recipient_account_id', '=', accountId)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.kind);
}

const MAX = 4096;

describe('administrative file: API and pages', () => {
  let t: TestApp;
  let orgId: string;
  let otherOrgId: string;
  const ids: Record<string, string> = {};
  const cookies: Record<
    'mandataire' | 'representant' | 'salarie' | 'outsider' | 'instructeur' | 'commission' | 'admin',
    Cookies
  > = {} as never;
  const base = () => `/api/v1/organisations/${orgId}/admin-file`;
  const publisherPage = () => `/editeur/organisations/${orgId}/dossier-administratif`;
  const instructionPage = () => `/instruction/dossiers-administratifs/${orgId}`;
  const version = async () => (await api(t, 'GET', base(), cookies.salarie)).json().rowVersion as number;

  before(async () => {
    t = await startTestApp({ MESREF_EVIDENCE_MAX_BYTES: String(MAX) });
    orgId = await createOrganisation(t.db, 'Éditeur Dossier');
    otherOrgId = await createOrganisation(t.db, 'Autre Éditeur');
    const people = {
      mandataire: await createAccount(t.db, { organisation: { id: orgId, role: 'mandataire' } }),
      representant: await createAccount(t.db, { organisation: { id: orgId, role: 'representant' } }),
      salarie: await createAccount(t.db, { organisation: { id: orgId, role: 'salarie' } }),
      outsider: await createAccount(t.db, { organisation: { id: otherOrgId, role: 'mandataire' } }),
      instructeur: await createAccount(t.db, { staff: ['instructeur'] }),
      commission: await createAccount(t.db, { staff: ['commission'] }),
      admin: await createAccount(t.db, { staff: ['admin'] }),
    };
    for (const [name, person] of Object.entries(people)) {
      ids[name] = person.accountId;
      cookies[name as keyof typeof cookies] = await sessionCookie(t.db, { accountId: person.accountId });
    }
  });
  after(() => t.stop());

  it('shows an empty draft to members and staff, and nothing to others', async () => {
    const res = await api(t, 'GET', base(), cookies.salarie);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.status, 'draft');
    assert.equal(body.rowVersion, 0);
    assert.deepEqual(body.contacts, []);
    assert.equal(body.agreement, null);
    assert.equal(body.organisation.legalName, 'Éditeur Dossier');
    assert.equal(body.organisation.legalRepresentative, 'Camille Martin');
    assert.equal((await api(t, 'GET', base(), cookies.commission)).statusCode, 200);
    assert.equal((await api(t, 'GET', base(), cookies.outsider)).statusCode, 404);
    assert.equal((await page(t, publisherPage(), cookies.outsider)).statusCode, 404);
    assert.equal((await api(t, 'GET', base(), undefined)).statusCode, 401);
    // Administrators manage people, not files.
    assert.equal((await api(t, 'GET', base(), cookies.admin)).statusCode, 403);
    assert.equal(await isAdminFileValidated(t.db, orgId), false);
  });

  it('saves contacts (any member), checks them, and refuses a stale version with the current file', async () => {
    const contacts = [contact('administratif', 'Alice Admin', 'alice@editeur.fr', '01 23 45 67 89')];
    const saved = await api(t, 'PUT', base(), cookies.salarie, { rowVersion: 0, contacts });
    assert.equal(saved.statusCode, 200, saved.body);
    assert.equal(saved.json().rowVersion, 1);
    assert.deepEqual(saved.json().contacts, contacts);

    const invalid = await api(t, 'PUT', base(), cookies.salarie, {
      rowVersion: 1,
      contacts: [contact('technique', 'Tom', 'pas-une-adresse', 'abc')],
    });
    assert.equal(invalid.statusCode, 422);
    assert.deepEqual(Object.keys(invalid.json().error.fields).sort(), [
      'contacts.0.email',
      'contacts.0.phone',
    ]);

    const stale = await api(t, 'PUT', base(), cookies.mandataire, {
      rowVersion: 0,
      contacts: [contact('technique')],
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().error.code, 'conflict');
    assert.equal(stale.json().current.rowVersion, 1);
    assert.deepEqual(stale.json().current.contacts, contacts);

    assert.equal(
      (await api(t, 'PUT', base(), cookies.outsider, { rowVersion: 1, contacts })).statusCode,
      404,
      'a member of another organisation does not see the file',
    );
    assert.equal(
      (await api(t, 'PUT', base(), cookies.instructeur, { rowVersion: 1, contacts })).statusCode,
      403,
      'staff read the file, they do not write it',
    );
    assert.equal(
      (await api(t, 'PUT', base(), cookies.salarie, { contacts })).statusCode,
      400,
      'no version read',
    );
    assert.equal(await version(), 1);
  });

  it('takes the agreement as a PDF only (by its bytes), within the size limit, and serves it as a download', async () => {
    const notPdf = await putPdf(t, orgId, 1, Buffer.from('<html>not a pdf</html>'), cookies.salarie);
    assert.equal(notPdf.statusCode, 422);
    assert.equal(
      notPdf.json().error.fields.agreement,
      'Ce fichier n’est pas un PDF (son contenu ne commence pas par « %PDF- »).',
    );
    const tooLarge = await putPdf(t, orgId, 1, Buffer.concat([PDF, Buffer.alloc(MAX)]), cookies.salarie);
    assert.equal(tooLarge.statusCode, 413);
    const justOver = await putPdf(
      t,
      orgId,
      1,
      Buffer.concat([PDF, Buffer.alloc(MAX + 1 - PDF.length)]),
      cookies.salarie,
    );
    assert.equal(justOver.statusCode, 413);
    assert.match(justOver.json().error.message, /4 Ko/);

    const ok = await putPdf(t, orgId, 1, PDF, cookies.salarie);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().rowVersion, 2);
    assert.equal(ok.json().agreement.name, 'convention-signee.pdf');
    assert.equal(ok.json().agreement.size, PDF.length);

    for (const who of [cookies.salarie, cookies.commission]) {
      const download = await api(t, 'GET', `${base()}/agreement`, who);
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers['content-type'], 'application/pdf');
      assert.match(
        String(download.headers['content-disposition']),
        /^attachment; filename="convention-signee.pdf"/,
      );
      assert.equal(download.headers['x-content-type-options'], 'nosniff');
      assert.deepEqual(download.rawPayload, PDF);
    }
    assert.equal((await api(t, 'GET', `${base()}/agreement`, cookies.outsider)).statusCode, 404);
    const fromPage = await page(t, `${publisherPage()}/convention`, cookies.salarie);
    assert.equal(fromPage.statusCode, 200);
    assert.match(String(fromPage.headers['content-disposition']), /^attachment/);
    const fromInstruction = await page(t, `${instructionPage()}/convention`, cookies.instructeur);
    assert.deepEqual(fromInstruction.rawPayload, PDF);
  });

  it('submits only by the mandataire or representant, and only a complete file', async () => {
    const bySalarie = await api(t, 'POST', `${base()}/submit`, cookies.salarie, { rowVersion: 2 });
    assert.equal(bySalarie.statusCode, 403);
    const incomplete = await api(t, 'POST', `${base()}/submit`, cookies.mandataire, { rowVersion: 2 });
    assert.equal(incomplete.statusCode, 422);
    assert.deepEqual(Object.keys(incomplete.json().error.fields), ['contacts.technique']);

    const contacts = [
      contact('administratif', 'Alice Admin', 'alice@editeur.fr', '01 23 45 67 89'),
      contact('technique', 'Théo Tech', 'theo@editeur.fr'),
    ];
    assert.equal((await api(t, 'PUT', base(), cookies.salarie, { rowVersion: 2, contacts })).statusCode, 200);
    const submitted = await api(t, 'POST', `${base()}/submit`, cookies.representant, { rowVersion: 3 });
    assert.equal(submitted.statusCode, 200, submitted.body);
    const body = submitted.json();
    assert.equal(body.status, 'submitted');
    assert.equal(body.rowVersion, 4);
    assert.equal(body.identity.legalName, 'Éditeur Dossier');
    assert.ok(body.submittedAt);
    assert.deepEqual(await notificationsOf(t, ids.instructeur), ['dossier.notify.admin_file_submitted']);
    assert.deepEqual(await notificationsOf(t, ids.commission), []);

    // Submitted: read-only for the publisher.
    const locked = await api(t, 'PUT', base(), cookies.salarie, { rowVersion: 4, contacts });
    assert.equal(locked.statusCode, 409);
    assert.equal(locked.json().error.code, 'admin_file_status');
    assert.equal((await putPdf(t, orgId, 4, PDF, cookies.salarie)).statusCode, 409);
  });

  it('is validated by an instructor only, on the version read; the members are told', async () => {
    assert.equal(
      (await api(t, 'POST', `${base()}/validate`, cookies.commission, { rowVersion: 4 })).statusCode,
      403,
      'staff who are not instructors cannot validate',
    );
    assert.equal(
      (await api(t, 'POST', `${base()}/validate`, cookies.mandataire, { rowVersion: 4 })).statusCode,
      403,
      'a publisher cannot validate',
    );
    const stale = await api(t, 'POST', `${base()}/validate`, cookies.instructeur, { rowVersion: 3 });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().current.rowVersion, 4);
    const validated = await api(t, 'POST', `${base()}/validate`, cookies.instructeur, { rowVersion: 4 });
    assert.equal(validated.statusCode, 200, validated.body);
    assert.equal(validated.json().status, 'validated');
    assert.equal(await isAdminFileValidated(t.db, orgId), true);
    for (const who of ['mandataire', 'representant', 'salarie'])
      assert.ok((await notificationsOf(t, ids[who])).includes('dossier.notify.admin_file_validated'), who);
    assert.deepEqual(await notificationsOf(t, ids.outsider), []);
  });

  it('shows a validated file read-only, with « Modifier » saying it must be validated again', async () => {
    const res = await page(t, publisherPage(), cookies.salarie);
    assert.equal(res.statusCode, 200);
    const text = textOf(res.body);
    assert.match(text, /Validé le/);
    assert.match(text, /devra être soumis et validé de nouveau/);
    assert.match(res.body, /action="\/editeur\/organisations\/[^"]+\/dossier-administratif\/modification"/);
    assert.doesNotMatch(res.body, /id="formulaire-contacts"/);
    assert.doesNotMatch(res.body, /id="formulaire-convention"/);
    assert.match(text, /Théo Tech/);
  });

  it('reopens a validated file as a draft (« Modifier »), which then needs validation again', async () => {
    const reopened = await form(t, `${publisherPage()}/modification`, [['rowVersion', '5']], cookies.salarie);
    assert.equal(reopened.statusCode, 303);
    assert.equal(reopened.headers.location, `${publisherPage()}?ok=reopened`);
    const body = (await api(t, 'GET', base(), cookies.salarie)).json();
    assert.equal(body.status, 'draft');
    assert.equal(body.rowVersion, 6);
    assert.equal(await isAdminFileValidated(t.db, orgId), false);
    const shown = await page(t, `${publisherPage()}?ok=reopened`, cookies.salarie);
    assert.match(textOf(shown.body), /de nouveau un brouillon/);
    assert.match(shown.body, /id="formulaire-contacts"/);
  });

  it('edits contacts through the page form, and shows a colleague’s change on a stale form (409)', async () => {
    const fields = (v: string, name: string): Array<[string, string]> => [
      ['rowVersion', v],
      ['contact_0_role', 'administratif'],
      ['contact_0_name', 'Alice Admin'],
      ['contact_0_email', 'alice@editeur.fr'],
      ['contact_0_phone', ''],
      ['contact_1_role', 'technique'],
      ['contact_1_name', name],
      ['contact_1_email', 'tech@editeur.fr'],
      ['contact_3_role', 'dpo'],
      ['contact_3_name', 'Dora DPO'],
      ['contact_3_email', 'dpo@editeur.fr'],
      ['contact_3_phone', '+33 6 12 34 56 78'],
    ];
    const saved = await form(t, publisherPage(), fields('6', 'Tina Tech'), cookies.salarie);
    assert.equal(saved.statusCode, 303);
    const body = (await api(t, 'GET', base(), cookies.salarie)).json();
    assert.deepEqual(
      body.contacts.map((c: { role: string }) => c.role),
      ['administratif', 'technique', 'dpo'],
    );

    const stale = await form(t, publisherPage(), fields('6', 'Ulysse Tech'), cookies.mandataire);
    assert.equal(stale.statusCode, 409);
    const text = textOf(stale.body);
    assert.match(text, /Modification concurrente/);
    assert.match(text, /Tina Tech/, 'the colleague’s change is shown');
    // What the person typed is kept in the form, now based on the current version.
    assert.match(stale.body, /value="Ulysse Tech"/);
    assert.match(stale.body, /name="rowVersion" value="7"/);

    const invalid = await form(
      t,
      publisherPage(),
      [...fields('7', 'Tina Tech'), ['contact_2_role', 'support'], ['contact_2_email', 'x@y']],
      cookies.salarie,
    );
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /href="#f-contact-2-name"/);
    assert.match(invalid.body, /href="#f-contact-2-email"/);

    const noVersion = await form(t, publisherPage(), [['contact_0_role', 'dpo']], cookies.salarie);
    assert.equal(noVersion.statusCode, 400);
  });

  it('uploads the agreement through the page (multipart), refusing what is not a PDF', async () => {
    const url = `${publisherPage()}/convention`;
    const notPdf = await uploadForm(
      t,
      url,
      cookies.salarie,
      { rowVersion: '7' },
      {
        name: 'convention.pdf',
        type: 'application/pdf',
        bytes: Buffer.from('MZ this is not a pdf'),
      },
    );
    assert.equal(notPdf.statusCode, 422);
    assert.match(textOf(notPdf.body), /Ce fichier n’est pas un PDF/);
    const tooLarge = await uploadForm(
      t,
      url,
      cookies.salarie,
      { rowVersion: '7' },
      {
        name: 'grosse.pdf',
        type: 'application/pdf',
        bytes: Buffer.concat([PDF, Buffer.alloc(MAX)]),
      },
    );
    assert.equal(tooLarge.statusCode, 413);
    assert.match(textOf(tooLarge.body), /dépasse la taille autorisée \(4 Ko\)/);
    const ok = await uploadForm(
      t,
      url,
      cookies.salarie,
      { rowVersion: '7' },
      {
        name: 'Convention signée.pdf',
        type: 'application/octet-stream',
        bytes: PDF,
      },
    );
    assert.equal(ok.statusCode, 303, ok.body);
    const body = (await api(t, 'GET', base(), cookies.salarie)).json();
    assert.equal(body.agreement.name, 'Convention signée.pdf');
    assert.equal(body.rowVersion, 8);
  });

  it('tells a salarié only the managers submit; submits through the page as the mandataire', async () => {
    const forSalarie = await page(t, publisherPage(), cookies.salarie);
    assert.match(textOf(forSalarie.body), /Seuls le mandataire et le représentant/);
    assert.doesNotMatch(forSalarie.body, /dossier-administratif\/soumission/);
    assert.equal(
      (await form(t, `${publisherPage()}/soumission`, [['rowVersion', '8']], cookies.salarie)).statusCode,
      403,
    );
    const forMandataire = await page(t, publisherPage(), cookies.mandataire);
    assert.match(forMandataire.body, /dossier-administratif\/soumission/);
    assert.match(textOf(forMandataire.body), /Soumettre pour validation/);
    const submitted = await form(
      t,
      `${publisherPage()}/soumission`,
      [['rowVersion', '8']],
      cookies.mandataire,
    );
    assert.equal(submitted.statusCode, 303);
    assert.equal((await api(t, 'GET', base(), cookies.salarie)).json().status, 'submitted');
  });

  it('lists submitted files first, oldest first, for instruction', async () => {
    // Another organisation submitted earlier, and a third keeps a draft.
    const early = await createOrganisation(t.db, 'Éditeur Précoce');
    await seedDemoAdminFile(t.db, early, 'submitted');
    await t.db
      .updateTable('admin_files')
      .set({ submitted_at: new Date('2020-01-01T00:00:00Z') })
      .where('organisation_id', '=', early)
      .execute();
    const drafting = await createOrganisation(t.db, 'Éditeur Brouillon');
    await seedDemoAdminFile(t.db, drafting, 'draft');

    const list = await page(t, '/instruction/dossiers-administratifs', cookies.commission);
    assert.equal(list.statusCode, 200);
    const text = textOf(list.body);
    const order = ['Éditeur Précoce', 'Éditeur Dossier', 'Éditeur Brouillon'].map((name) =>
      text.indexOf(name),
    );
    assert.ok(
      order.every((i) => i >= 0),
      'every file is listed',
    );
    assert.deepEqual(
      [...order].sort((a, b) => a - b),
      order,
      'submitted first, oldest first, then the others',
    );
    const json = await api(t, 'GET', '/api/v1/admin-files', cookies.instructeur);
    assert.deepEqual(
      json.json().adminFiles.map((f: { legalName: string; status: string }) => [f.legalName, f.status]),
      [
        ['Éditeur Précoce', 'submitted'],
        ['Éditeur Dossier', 'submitted'],
        ['Éditeur Brouillon', 'draft'],
      ],
    );
    assert.equal((await page(t, '/instruction/dossiers-administratifs', cookies.salarie)).statusCode, 403);
  });

  it('lets staff read the file, and only instructors act on it; a refusal needs a reason', async () => {
    const forCommission = await page(t, instructionPage(), cookies.commission);
    assert.equal(forCommission.statusCode, 200);
    assert.match(textOf(forCommission.body), /Seuls les instructeurs valident ou refusent/);
    assert.doesNotMatch(forCommission.body, /\/validation"/);
    assert.equal(
      (await form(t, `${instructionPage()}/validation`, [['rowVersion', '9']], cookies.commission))
        .statusCode,
      403,
    );

    const forInstructor = await page(t, instructionPage(), cookies.instructeur);
    const text = textOf(forInstructor.body);
    assert.match(text, /Identité transmise lors de la soumission/);
    assert.match(text, /Tina Tech/);
    assert.match(forInstructor.body, /\/validation"/);
    assert.match(forInstructor.body, /\/refus"/);

    const noReason = await form(
      t,
      `${instructionPage()}/refus`,
      [
        ['rowVersion', '9'],
        ['reason', '  '],
      ],
      cookies.instructeur,
    );
    assert.equal(noReason.statusCode, 422);
    assert.match(textOf(noReason.body), /Indiquez le motif du refus/);
    const noReasonApi = await api(t, 'POST', `${base()}/reject`, cookies.instructeur, {
      rowVersion: 9,
      reason: '',
    });
    assert.equal(noReasonApi.statusCode, 422);

    const reason = 'La convention n’est pas signée par le représentant légal.';
    const rejected = await form(
      t,
      `${instructionPage()}/refus`,
      [
        ['rowVersion', '9'],
        ['reason', reason],
      ],
      cookies.instructeur,
    );
    assert.equal(rejected.statusCode, 303);
    const body = (await api(t, 'GET', base(), cookies.salarie)).json();
    assert.equal(body.status, 'rejected');
    assert.equal(body.reviewReason, reason);
    assert.ok((await notificationsOf(t, ids.salarie)).includes('dossier.notify.admin_file_rejected'));
    const publisherView = textOf((await page(t, publisherPage(), cookies.salarie)).body);
    assert.match(publisherView, /Refusé le/);
    assert.ok(publisherView.includes(reason));
  });

  it('puts a rejected file back to draft when it is edited, keeping the reason in view', async () => {
    const res = await putPdf(t, orgId, 10, demoPdf(['Convention signée, nouvelle version']), cookies.salarie);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().status, 'draft');
    const text = textOf((await page(t, publisherPage(), cookies.salarie)).body);
    assert.match(text, /Motif du refus précédent/);
  });

  it('writes every change in the organisation’s audit chain', async () => {
    assert.deepEqual(await auditActions(t, orgId), [
      'admin_file.saved',
      'admin_file.agreement_uploaded',
      'admin_file.saved',
      'admin_file.submitted',
      'admin_file.validated',
      'admin_file.reopened',
      'admin_file.saved',
      'admin_file.agreement_uploaded',
      'admin_file.submitted',
      'admin_file.rejected',
      'admin_file.agreement_uploaded',
    ]);
    const rejected = await t.db
      .selectFrom('audit_events')
      .select(['data', 'actor_id'])
      .where('chain', '=', `organisation:${orgId}`)
      .where('action', '=', 'admin_file.rejected')
      .executeTakeFirstOrThrow();
    assert.equal(rejected.actor_id, ids.instructeur);
    assert.equal((rejected.data as { fromVersion: number }).fromVersion, 9);
    // The contacts' names and addresses stay out of the permanent log.
    const all = await t.db
      .selectFrom('audit_events')
      .select('data')
      .where('chain', '=', `organisation:${orgId}`)
      .execute();
    assert.ok(!JSON.stringify(all).includes('alice@editeur.fr'));
  });

  it('links the file from the publisher home', async () => {
    const home = await page(t, '/editeur', cookies.salarie);
    assert.match(home.body, new RegExp(`href="/editeur/organisations/${orgId}/dossier-administratif"`));
    assert.match(textOf(home.body), /Dossier administratif/);
  });

  it('refuses changes to the file of a suspended organisation', async () => {
    await t.db
      .updateTable('organisations')
      .set({ status: 'suspended' })
      .where('id', '=', otherOrgId)
      .execute();
    const outsiderBase = `/api/v1/organisations/${otherOrgId}/admin-file`;
    const res = await api(t, 'PUT', outsiderBase, cookies.outsider, { rowVersion: 0, contacts: [] });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'organisation_suspended');
  });

  it('seeds a demo file once, with a valid agreement', async () => {
    const org = await createOrganisation(t.db, 'Éditeur Démo');
    await seedDemoAdminFile(t.db, org, 'validated');
    await seedDemoAdminFile(t.db, org, 'draft');
    assert.equal(await isAdminFileValidated(t.db, org), true);
    assert.equal(await isAdminFileValidated(t.db, 'not-a-uuid'), false);
    const row = await t.db
      .selectFrom('admin_files')
      .select(['agreement_content', 'identity', 'row_version'])
      .where('organisation_id', '=', org)
      .executeTakeFirstOrThrow();
    assert.ok(isPdf(row.agreement_content as Buffer));
    assert.equal((row.identity as { legalName: string }).legalName, 'Éditeur Démo');
    assert.equal(row.row_version, 1);
  });
});
