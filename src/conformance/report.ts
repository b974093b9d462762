/**
 * The connection-test report (rapport de tests d'accrochage): its payload, built from a session's verdicts;
 * its signature, a compact JWS with this deployment's key that the referencing file's gate
 * (`recordTestReport`) and a production deployment verify with the sandbox's public keys; and its PDF. The
 * HTML page is `ReportPage` of pages.tsx.
 */
import { CompactSign, compactVerify, createLocalJWKSet, importJWK, type JWK } from 'jose';
import type { Locale, Translate } from '../platform/i18n.ts';
import type { SigningKeys } from '../platform/keys.ts';
import { COLOURS, newPdfDocument, PdfWriter } from '../web/pdf.ts';
import type { PlanVerdict, RecordedCall, TestPlan, TestStatus } from './model.ts';

/** The JSON report a connection-test session signs (`docs/referencing-process.md` § Connection-test report). */
export interface ConnectionTestReport {
  format: 'mesref-connection-test-report';
  formatVersion: 1;
  iss: string;
  /** Seconds since the epoch. */
  iat: number;
  subject: { siren: string; productName: string; productVersion?: string };
  plans: Array<{ id: string; status: TestStatus; version?: number }>;
  /** Every plan the session's categories require passed. */
  passed: boolean;
  /** The test session that produced it (absent from the demo's reports, which no session made). */
  session?: {
    id: string;
    oid: string;
    clientId: string;
    openedAt: string;
    closedAt?: string;
  };
  tests?: Array<{ id: string; status: TestStatus }>;
  generatedAt?: string;
}

export type UnsignedReport = Omit<ConnectionTestReport, 'format' | 'formatVersion'>;

/**
 * Signs a connection-test report with this deployment's key (ES256 when it has one): the compact JWS that
 * `recordTestReport` verifies here, and that a production deployment verifies with this sandbox's public keys.
 */
export async function signTestReport(
  keys: Pick<SigningKeys, 'privateJwks'>,
  report: UnsignedReport,
): Promise<string> {
  const key = keys.privateJwks.find((k) => k.alg === 'ES256') ?? keys.privateJwks[0];
  if (!key) throw new Error('no signing key');
  const payload: ConnectionTestReport = {
    format: 'mesref-connection-test-report',
    formatVersion: 1,
    ...report,
  };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .sign(await importJWK(key as JWK, key.alg));
}

/** The payload of a report that verifies with one of these public keys; throws otherwise. */
export async function verifyTestReport(jws: string, publicJwks: JWK[]): Promise<ConnectionTestReport> {
  const { payload } = await compactVerify(jws.trim(), createLocalJWKSet({ keys: publicJwks }));
  return JSON.parse(new TextDecoder().decode(payload)) as ConnectionTestReport;
}

export interface ReportSessionFacts {
  id: string;
  oid: string;
  clientId: string;
  siren: string;
  productName: string;
  productVersion?: string | null;
  createdAt: Date | string;
  closedAt?: Date | string | null;
}

const iso = (value: Date | string): string => new Date(value).toISOString();

/** The report of a session, from its verdicts (those of the plans its categories require). Pure. */
export function buildTestReport(input: {
  issuer: string;
  session: ReportSessionFacts;
  verdicts: PlanVerdict[];
  now: Date;
}): ConnectionTestReport {
  const { session, verdicts, now } = input;
  return {
    format: 'mesref-connection-test-report',
    formatVersion: 1,
    iss: input.issuer,
    iat: Math.floor(now.getTime() / 1000),
    subject: {
      siren: session.siren,
      productName: session.productName,
      ...(session.productVersion ? { productVersion: session.productVersion } : {}),
    },
    plans: verdicts.map((v) => ({ id: v.planId, version: v.planVersion, status: v.status })),
    passed: verdicts.length > 0 && verdicts.every((v) => v.status === 'passed'),
    session: {
      id: session.id,
      oid: session.oid,
      clientId: session.clientId,
      openedAt: iso(session.createdAt),
      ...(session.closedAt ? { closedAt: iso(session.closedAt) } : {}),
    },
    tests: verdicts.flatMap((v) => v.tests.map((t) => ({ id: t.testId, status: t.status }))),
    generatedAt: now.toISOString(),
  };
}

/** The report and its signature, as `GET …/report.json` answers them. */
export async function signedTestReport(
  keys: Pick<SigningKeys, 'privateJwks'>,
  report: ConnectionTestReport,
): Promise<{ jws: string; report: ConnectionTestReport }> {
  const { format: _format, formatVersion: _version, ...unsigned } = report;
  return { jws: await signTestReport(keys, unsigned), report };
}

/** What the HTML and PDF renderings show: the report, and the details behind each status. */
export interface ReportDocument {
  report: ConnectionTestReport;
  verdicts: PlanVerdict[];
  /** The plans (titles of the plans and of their tests). */
  plans: TestPlan[];
  /** The session's recorded calls: those cited as evidence are listed. */
  calls: RecordedCall[];
}

export const statusColour: Record<TestStatus, string> = {
  passed: COLOURS.success,
  failed: COLOURS.error,
  not_run: COLOURS.muted,
};

/** The calls a report cites as evidence, in order. */
export function evidenceCalls(document: Pick<ReportDocument, 'verdicts' | 'calls'>): RecordedCall[] {
  const ids = new Set(document.verdicts.flatMap((v) => v.tests.flatMap((t) => t.evidence)));
  return document.calls.filter((c) => ids.has(c.id)).sort((a, b) => a.id - b.id);
}

/** Dates in the report's language, in Paris time. */
export function formatReportDate(value: string | number | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'medium',
    timeZone: 'Europe/Paris',
  }).format(new Date(value));
}

/** The report as a PDF (A4, DSFR colours, as the other reports of mesref). */
export async function renderTestReportPdf(
  document: ReportDocument,
  t: Translate,
  locale: Locale,
  options: { compress?: boolean } = {},
): Promise<Buffer> {
  const { report } = document;
  const generatedAt = new Date(report.generatedAt ?? report.iat * 1000);
  const title = t('conformance.report.title', { name: report.subject.productName });
  const { doc, done } = newPdfDocument({
    locale,
    title,
    subject: t('conformance.report.subject'),
    generatedAt,
    ...(options.compress === undefined ? {} : { compress: options.compress }),
  });
  const w = new PdfWriter(doc, locale);
  w.heading(title, 1);
  w.field(t('conformance.report.siren'), report.subject.siren);
  w.field(
    t('conformance.report.product'),
    report.subject.productVersion
      ? `${report.subject.productName} ${report.subject.productVersion}`
      : report.subject.productName,
  );
  if (report.session) {
    w.field(t('conformance.report.session'), report.session.id);
    w.field(t('conformance.report.oid'), report.session.oid);
    w.field(t('conformance.report.client_id'), report.session.clientId);
    w.field(t('conformance.report.opened_at'), formatReportDate(report.session.openedAt, locale));
  }
  w.field(t('conformance.report.issuer'), report.iss);
  w.field(t('conformance.report.generated_at'), formatReportDate(generatedAt, locale));
  doc.moveDown(0.5);
  w.box(
    [
      t(report.passed ? 'conformance.report.passed' : 'conformance.report.not_passed'),
      t('conformance.report.signed_hint'),
    ],
    report.passed ? COLOURS.success : COLOURS.error,
    report.passed ? COLOURS.successBackground : COLOURS.errorBackground,
  );
  for (const verdict of document.verdicts) {
    const plan = document.plans.find((p) => p.id === verdict.planId);
    w.heading(`${plan?.title[locale] ?? verdict.planId} — ${t(`conformance.status.${verdict.status}`)}`, 2);
    w.table(
      [
        { header: t('conformance.report.test'), width: 3 },
        { header: t('conformance.report.status'), width: 1.3 },
        { header: t('conformance.report.reason'), width: 4 },
        { header: t('conformance.report.evidence'), width: 1.5 },
      ],
      verdict.tests.map((test) => {
        const planTest = plan?.tests.find((x) => x.id === test.testId);
        return [
          { text: `${planTest?.title[locale] ?? test.testId}\n${test.testId}` },
          { text: t(`conformance.status.${test.status}`), bold: true, colour: statusColour[test.status] },
          { text: test.reason[locale] },
          { text: test.evidence.length > 0 ? test.evidence.map((id) => `#${id}`).join(', ') : '—' },
        ];
      }),
    );
  }
  const evidence = evidenceCalls(document);
  if (evidence.length > 0) {
    w.heading(t('conformance.report.calls'), 2);
    w.table(
      [
        { header: '#', width: 0.8 },
        { header: t('conformance.calls.at'), width: 2.4 },
        { header: t('conformance.calls.kind'), width: 2 },
        { header: t('conformance.calls.request'), width: 4 },
        { header: t('conformance.calls.status'), width: 1, align: 'right' },
      ],
      evidence.map((c) => [
        { text: String(c.id) },
        { text: formatReportDate(c.at, locale) },
        { text: c.kind },
        { text: `${c.method} ${c.path}` },
        { text: String(c.status) },
      ]),
    );
  }
  w.footers(t('conformance.report.footer', { name: report.subject.productName }), (page, pages) =>
    t('conformance.report.page', { page, pages }),
  );
  doc.end();
  return done;
}
