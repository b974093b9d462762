/**
 * The two PDFs of a referencing file, as pure functions of the file's view: the summary of the request as it
 * was filed (identity, data-exchange declaration, documents with their digests, the frozen self-assessment and
 * écoscore), and the commission's opinion letter. Same look as the self-assessment report
 * (`assessment/report-pdf.ts`): A4, DSFR colours, DejaVu Sans embedded (the same font files, by path), title,
 * author and language in the metadata, page numbers. With `generatedAt` fixed, the bytes are the same each time.
 */
import type { AssessmentReport } from '../assessment/index.ts';
import type { Locale, Translate } from '../platform/i18n.ts';
import type { ReferentialVersion } from '../referential/index.ts';
import { COLOURS, type Doc, newPdfDocument, PdfWriter } from '../web/pdf.ts';
import type { DocumentKind } from './model.ts';
import type { ProcessFile } from './process.ts';
import type { DossierView } from './service.ts';

export interface PdfOptions {
  /** When the document is made (metadata and footer): fixed, the output is the same bytes each time. */
  generatedAt?: Date;
  /** The file's referential version: titles of finalités and data categories (their codes otherwise). */
  referential?: Pick<ReferentialVersion, 'finalites' | 'dataCategories'>;
  /** Content streams left uncompressed (for reading them back in tests); compressed by default. */
  compress?: boolean;
}

export interface LetterOptions extends PdfOptions {
  /** The letterhead: the operator of this deployment (`config.operatorName`). */
  operatorName?: string;
}

/** The documents of the request as filed: the publisher's pieces and the evidence copied at filing. */
const filedKinds: readonly string[] = ['cgu', 'privacy', 'dpia', 'other', 'evidence'] satisfies Array<
  DocumentKind | 'evidence'
>;

/** Dates and sizes in the document's language (times in Paris, where the commission sits). */
class Formats {
  readonly tag: string;
  constructor(
    readonly t: Translate,
    readonly locale: Locale,
  ) {
    this.tag = locale === 'fr' ? 'fr-FR' : 'en-GB';
  }

  date(value: Date | string): string {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return String(value);
    return new Intl.DateTimeFormat(this.tag, { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(date);
  }

  dateTime(value: Date): string {
    return new Intl.DateTimeFormat(this.tag, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Europe/Paris',
    }).format(value);
  }

  bytes(bytes: number): string {
    const number = (value: number) =>
      new Intl.NumberFormat(this.tag, { maximumFractionDigits: 1 }).format(value);
    if (bytes >= 1024 * 1024) return this.t('dossier.pdf.size.mib', { count: number(bytes / 1048576) });
    if (bytes >= 1024) return this.t('dossier.pdf.size.kib', { count: number(bytes / 1024) });
    return this.t('dossier.pdf.size.bytes', { count: bytes });
  }

  /** « SIREN 123 456 789 » is read more easily in groups of three. */
  siren(value: string): string {
    return /^\d{9}$/.test(value) ? value.replace(/(\d{3})(\d{3})(\d{3})/, '$1\u00a0$2\u00a0$3') : value;
  }
}

/** The shared PDF writer, with the free texts of a file (kept as typed) and lists. */
class Writer extends PdfWriter {
  constructor(doc: Doc, locale: Locale) {
    super(doc, locale, 80);
  }

  /** A label in bold over a free text the publisher or the commission typed (kept as typed, line breaks too). */
  block(label: string, text: string): void {
    this.ensureSpace(40);
    this.paragraph(label, { bold: true });
    this.doc.moveUp(0.15);
    this.paragraph(text.trim() === '' ? '—' : text, { indent: 10 });
  }

  list(items: string[]): void {
    for (const item of items) this.paragraph(`• ${item}`, { indent: 10 });
  }
}

/** A new A4 document with the fonts registered and its bytes collected. */
function newDocument(
  locale: Locale,
  info: { title: string; subject: string; keywords: string },
  generatedAt: Date,
  compress: boolean,
): { doc: Doc; done: Promise<Buffer> } {
  return newPdfDocument({ locale, ...info, generatedAt, compress });
}

function titleOf<T extends { code: string; title: { fr: string; en: string } }>(
  list: readonly T[] | undefined,
  code: string,
  locale: Locale,
): string {
  const found = list?.find((x) => x.code === code);
  return found ? `${found.title[locale]} (${code})` : code;
}

/** The frozen report, when the snapshot holds one in the format this code knows. */
function frozenReport(view: DossierView): AssessmentReport | undefined {
  const report = view.snapshot?.assessment as Partial<AssessmentReport> | undefined;
  return report?.format === 'mesref-assessment-report' && Array.isArray(report.criteria)
    ? (report as AssessmentReport)
    : undefined;
}

interface FrozenEcoscore {
  official: { score: number; measuredOn: string; journeyName: string } | null;
  latestRun: { score: number | null; finishedAt: string | null } | null;
  gap: number | null;
}

// ── the request as filed ────────────────────────────────────────────────────

/**
 * The service's and publisher's names as filed: those of the frozen report, which a later renaming does not
 * change (the file keeps no other copy of them); the current ones for a file frozen without a report.
 */
function filedNames(
  view: DossierView,
  report: AssessmentReport | undefined,
): { service: string; publisher: string } {
  return {
    service: report?.subject.displayName || view.product.displayName,
    publisher: report?.subject.organisationName || view.organisation.legalName,
  };
}

function identification(
  w: Writer,
  f: Formats,
  view: DossierView,
  report: AssessmentReport | undefined,
): void {
  const { t } = f;
  const names = filedNames(view, report);
  w.heading(t('dossier.pdf.summary.identification'), 2);
  w.field(t('dossier.pdf.summary.number'), view.number ?? '');
  w.field(t('dossier.pdf.summary.filed_at'), view.submittedAt ? f.date(view.submittedAt) : '—');
  w.field(t('dossier.pdf.summary.kind'), t(`dossier.kind.${view.kind}`));
  w.field(t('dossier.pdf.summary.organisation'), names.publisher);
  w.field(t('dossier.pdf.summary.siren'), f.siren(view.organisation.siren));
  w.field(t('dossier.pdf.summary.service'), names.service);
  w.field(t('dossier.pdf.summary.service_version'), view.productVersion);
  w.field(t('dossier.pdf.summary.typology'), t(`dossier.typology.${view.typology}`));
  w.field(
    t('dossier.pdf.summary.referential'),
    report ? `${report.version.title} (${view.referentialVersion})` : view.referentialVersion,
  );
  if (view.request.presentation?.trim())
    w.block(t('dossier.pdf.summary.presentation'), view.request.presentation);
}

function dataExchange(w: Writer, f: Formats, view: DossierView, options: PdfOptions): void {
  const { t, locale } = f;
  w.heading(t('dossier.pdf.exchange.heading'), 2);
  const d = view.request.dataExchange;
  if (view.typology !== 'avec-echange') {
    w.paragraph(t('dossier.pdf.exchange.not_applicable'));
    return;
  }
  if (!d) {
    w.paragraph(t('dossier.pdf.exchange.missing'));
    return;
  }
  w.block(t('dossier.pdf.exchange.justification'), d.justification);
  w.block(t('dossier.pdf.exchange.access'), d.access);
  w.heading(t('dossier.pdf.exchange.categories'), 3);
  const yesNo = (v: boolean) => t(v ? 'dossier.pdf.yes' : 'dossier.pdf.no');
  w.table(
    [
      { header: t('dossier.pdf.exchange.category'), width: 6 },
      { header: t('dossier.pdf.exchange.read'), width: 1.5 },
      { header: t('dossier.pdf.exchange.write'), width: 1.5 },
    ],
    d.categories.map((c) => [
      { text: titleOf(options.referential?.dataCategories, c.code, locale) },
      { text: yesNo(c.read) },
      { text: yesNo(c.write) },
    ]),
  );
  w.paragraph(t('dossier.pdf.exchange.finalites'), { bold: true });
  w.list(d.finalites.map((code) => titleOf(options.referential?.finalites, code, locale)));
  w.block(t('dossier.pdf.exchange.retention'), d.retention);
  w.block(t('dossier.pdf.exchange.security'), d.security);
  w.block(t('dossier.pdf.exchange.consent'), d.consentText);
  w.paragraph(t('dossier.pdf.exchange.redirect_uris'), { bold: true });
  w.list(d.redirectUris);
  const keys = d.jwksUri?.trim() ? d.jwksUri : d.jwks?.trim() ? t('dossier.pdf.exchange.jwks_provided') : '—';
  w.field(t('dossier.pdf.exchange.keys'), keys);
  w.field(t('dossier.pdf.exchange.support'), d.supportContact);
}

function documents(w: Writer, f: Formats, view: DossierView): void {
  const { t } = f;
  // The heading, its introduction and the table's first rows go together.
  w.ensureSpace(170);
  w.heading(t('dossier.pdf.documents.heading'), 2);
  const filed = view.documents.filter((d) => filedKinds.includes(d.kind));
  if (filed.length === 0) {
    w.paragraph(t('dossier.pdf.documents.none'));
    return;
  }
  w.paragraph(t('dossier.pdf.documents.intro'), { colour: COLOURS.muted, size: 9 });
  // The publisher's pieces first, then the evidence by criterion.
  const order = (kind: string) => filedKinds.indexOf(kind);
  const sorted = [...filed].sort(
    (a, b) => order(a.kind) - order(b.kind) || (a.criterionId ?? '').localeCompare(b.criterionId ?? ''),
  );
  w.table(
    [
      { header: t('dossier.pdf.documents.kind'), width: 3.4 },
      { header: t('dossier.pdf.documents.name'), width: 2.6 },
      { header: t('dossier.pdf.documents.size'), width: 1.4, align: 'right' },
      { header: t('dossier.pdf.documents.sha256'), width: 4.6 },
    ],
    sorted.map((d) => [
      {
        text: d.criterionId
          ? `${t(`dossier.document.${d.kind}`)} — ${t('dossier.pdf.documents.criterion', { id: d.criterionId })}`
          : t(`dossier.document.${d.kind}`),
        bold: true,
      },
      { text: d.name },
      { text: f.bytes(d.size) },
      // 64 hexadecimal digits in two lines of 32, so that none is cut at an arbitrary place.
      { text: `${d.sha256.slice(0, 32)}\n${d.sha256.slice(32)}`, size: 8 },
    ]),
  );
}

function assessment(w: Writer, f: Formats, view: DossierView, report: AssessmentReport | undefined): void {
  const { t } = f;
  w.heading(t('dossier.pdf.assessment.heading'), 2);
  if (!report) {
    w.paragraph(t('dossier.pdf.assessment.none'));
    return;
  }
  if (report.version.status === 'demonstration') {
    w.box(
      [t('dossier.pdf.demonstration', { version: report.version.title })],
      COLOURS.warning,
      COLOURS.noticeBackground,
    );
  }
  w.box(
    [
      t(report.ready ? 'dossier.pdf.assessment.ready' : 'dossier.pdf.assessment.not_ready'),
      t('dossier.pdf.assessment.counts', {
        applicable: report.counts.applicable,
        mandatory: report.counts.mandatory,
        ready: report.counts.ready,
        gaps: report.counts.gaps,
        notApplicable: report.counts.notApplicable,
      }),
      t('dossier.pdf.assessment.by_status', {
        conforme: report.criteria.filter((c) => c.status === 'conforme').length,
        nonConforme: report.criteria.filter((c) => c.status === 'non-conforme').length,
        nonApplicable: report.criteria.filter((c) => c.status === 'non-applicable').length,
        unanswered: report.criteria.filter((c) => c.status === null).length,
      }),
    ],
    report.ready ? COLOURS.success : COLOURS.error,
    report.ready ? COLOURS.successBackground : COLOURS.errorBackground,
  );
  const frozenAt = typeof view.snapshot?.frozenAt === 'string' ? view.snapshot.frozenAt : report.generatedAt;
  w.field(t('dossier.pdf.assessment.frozen_at'), f.date(frozenAt));
  w.field(t('dossier.pdf.summary.referential'), `${report.version.title} (${report.version.id})`);
  const statusColour = (status: string | null) =>
    status === 'conforme' ? COLOURS.success : status === 'non-conforme' ? COLOURS.error : COLOURS.text;
  w.table(
    [
      { header: t('dossier.pdf.assessment.criterion'), width: 4.5 },
      { header: t('dossier.pdf.assessment.level'), width: 1.7 },
      { header: t('dossier.pdf.assessment.answer'), width: 1.8 },
      { header: t('dossier.pdf.assessment.justification'), width: 4.2 },
      { header: t('dossier.pdf.assessment.evidence'), width: 1.5, align: 'right' },
    ],
    report.criteria.map((c) => [
      { text: `${c.id} — ${c.title}`, bold: true, size: 8 },
      { text: t(`dossier.pdf.level.${c.level}`), size: 8 },
      {
        text: c.status === null ? t('dossier.pdf.status.none') : t(`dossier.pdf.status.${c.status}`),
        bold: true,
        colour: statusColour(c.status),
        size: 8,
      },
      { text: c.justification ?? '—', size: 8 },
      { text: String(c.evidence.length), size: 8 },
    ]),
  );
}

function ecoscore(w: Writer, f: Formats, view: DossierView): void {
  const { t } = f;
  w.heading(t('dossier.pdf.ecoscore.heading'), 2);
  const eco = view.snapshot?.ecoscore as FrozenEcoscore | null | undefined;
  const run = eco?.latestRun && eco.latestRun.score !== null ? eco.latestRun : null;
  if (!eco || (!eco.official && !run)) {
    w.paragraph(t('dossier.pdf.ecoscore.none'));
    return;
  }
  w.field(
    t('dossier.pdf.ecoscore.official'),
    eco.official
      ? t('dossier.pdf.ecoscore.official_value', {
          score: eco.official.score,
          date: f.date(eco.official.measuredOn),
          journey: eco.official.journeyName,
        })
      : t('dossier.pdf.ecoscore.not_recorded'),
  );
  w.field(
    t('dossier.pdf.ecoscore.latest'),
    run
      ? t('dossier.pdf.ecoscore.latest_value', {
          score: run.score as number,
          date: run.finishedAt ? f.date(run.finishedAt) : '—',
        })
      : t('dossier.pdf.ecoscore.not_recorded'),
  );
  if (eco.gap !== null && eco.gap !== undefined)
    w.field(t('dossier.pdf.ecoscore.gap'), t('dossier.pdf.ecoscore.gap_value', { gap: eco.gap }));
}

/**
 * The summary of a filed request (`view.number` set): identity, data-exchange declaration, documents with
 * their SHA-256, the frozen self-assessment and écoscore. Throws on a request not filed (the routes answer 409).
 */
export function requestSummaryPdf(
  view: DossierView,
  t: Translate,
  locale: Locale,
  options: PdfOptions = {},
): Promise<Buffer> {
  if (!view.number) throw new Error('requestSummaryPdf: the request is not filed');
  const generatedAt = options.generatedAt ?? new Date();
  const f = new Formats(t, locale);
  const report = frozenReport(view);
  const { service } = filedNames(view, report);
  const title = t('dossier.pdf.summary.meta_title', { number: view.number, product: service });
  const { doc, done } = newDocument(
    locale,
    {
      title,
      subject: t(`dossier.kind.${view.kind}`),
      keywords: `Mon espace santé, ${view.number}, ${view.referentialVersion}, ${service}`,
    },
    generatedAt,
    options.compress ?? true,
  );
  const w = new Writer(doc, locale);
  w.heading(t('dossier.pdf.summary.title', { number: view.number }), 1);
  w.paragraph(`${t(`dossier.kind.${view.kind}`)} — ${service}`, {
    colour: COLOURS.muted,
    size: 11,
  });
  identification(w, f, view, report);
  dataExchange(w, f, view, options);
  documents(w, f, view);
  assessment(w, f, view, report);
  ecoscore(w, f, view);
  const label = view.number;
  w.footers(
    t('dossier.pdf.summary.footer', { date: f.dateTime(generatedAt) }),
    (page, pages) => `${t('dossier.pdf.page', { page, pages })} — ${label}`,
  );
  doc.end();
  return done;
}

// ── the commission's opinion letter ─────────────────────────────────────────

const opinionColours: Record<string, [string, string]> = {
  FAVORABLE: [COLOURS.success, COLOURS.successBackground],
  FAVORABLE_RESERVES_NON_SUSPENSIVES: [COLOURS.info, COLOURS.infoBackground],
  FAVORABLE_RESERVES_SUSPENSIVES: [COLOURS.warning, COLOURS.warningBackground],
  DEFAVORABLE: [COLOURS.error, COLOURS.errorBackground],
};

function letterhead(w: Writer, f: Formats, view: DossierView, operatorName: string, at: string): void {
  const { doc } = w;
  const { t } = f;
  const top = doc.y;
  const half = w.width / 2;
  doc
    .font('bold')
    .fontSize(14)
    .fillColor(COLOURS.blue)
    .text(operatorName, w.left, top, { width: half + 40 })
    .font('regular')
    .fontSize(9)
    .fillColor(COLOURS.muted)
    .text(t('dossier.pdf.letter.authority'), { width: half + 40 });
  const afterHead = doc.y;
  doc
    .font('regular')
    .fontSize(10)
    .fillColor(COLOURS.text)
    .text(t('dossier.pdf.letter.date', { date: f.date(at) }), w.left + half, top, {
      width: half,
      align: 'right',
    });
  doc.y = Math.max(afterHead, doc.y) + 15;
  // The addressee, on the right as in a French letter.
  const addressTop = doc.y;
  doc
    .font('bold')
    .fontSize(10)
    .fillColor(COLOURS.text)
    .text(view.organisation.legalName, w.left + half, addressTop, { width: half })
    .font('regular')
    .text(`SIREN ${f.siren(view.organisation.siren)}`, { width: half });
  doc.x = w.left;
  doc.y += 15;
  w.paragraph(t('dossier.pdf.letter.subject', { number: view.number ?? '' }), { bold: true, size: 11 });
  doc.moveDown(0.5);
}

/**
 * The commission's opinion letter (`view.opinion` set): letterhead, object, the service and publisher, the
 * opinion and its reasons as typed, the reservations numbered (suspensive or not, lifted or not), the finalités
 * authorised, the members who sat and the quorum of `process`, and the next step. Throws without an opinion.
 */
export function opinionLetterPdf(
  view: DossierView,
  t: Translate,
  locale: Locale,
  process: Pick<ProcessFile, 'version' | 'commission'>,
  options: LetterOptions = {},
): Promise<Buffer> {
  const opinion = view.opinion;
  if (!opinion) throw new Error('opinionLetterPdf: the commission has given no opinion');
  const number = view.number ?? '';
  const generatedAt = options.generatedAt ?? new Date();
  const f = new Formats(t, locale);
  const opinionLabel = t(`dossier.opinion.${opinion.kind}`);
  const { doc, done } = newDocument(
    locale,
    {
      title: t('dossier.pdf.letter.meta_title', { number }),
      subject: opinionLabel,
      keywords: `Mon espace santé, ${number}, ${view.product.displayName}`,
    },
    generatedAt,
    options.compress ?? true,
  );
  const w = new Writer(doc, locale);
  letterhead(w, f, view, options.operatorName ?? 'mesref', opinion.at);
  w.paragraph(
    t('dossier.pdf.letter.intro', {
      product: view.product.displayName,
      filed: view.submittedAt ? f.date(view.submittedAt) : '—',
      publisher: view.organisation.legalName,
      date: f.date(opinion.at),
    }),
  );

  w.heading(t('dossier.pdf.letter.file'), 3);
  w.field(t('dossier.pdf.summary.number'), number);
  w.field(
    t('dossier.pdf.letter.service'),
    t('dossier.pdf.letter.service_value', { name: view.product.displayName, version: view.productVersion }),
  );
  w.field(
    t('dossier.pdf.letter.publisher'),
    t('dossier.pdf.letter.publisher_value', {
      name: view.organisation.legalName,
      siren: f.siren(view.organisation.siren),
    }),
  );
  w.field(t('dossier.pdf.summary.typology'), t(`dossier.typology.${view.typology}`));
  w.field(t('dossier.pdf.summary.referential'), view.referentialVersion);

  w.heading(t('dossier.pdf.letter.opinion'), 2);
  const [border, background] = opinionColours[opinion.kind] ?? [COLOURS.info, COLOURS.infoBackground];
  w.box(
    [opinionLabel, t('dossier.pdf.letter.opinion_given', { date: f.date(opinion.at) })],
    border,
    background,
  );
  w.heading(t('dossier.pdf.letter.reasons'), 3);
  w.paragraph(opinion.reasons);

  w.heading(t('dossier.pdf.letter.reservations'), 3);
  if (view.reservations.length === 0) w.paragraph(t('dossier.pdf.letter.reservations_none'));
  view.reservations.forEach((r, i) => {
    w.ensureSpace(40);
    w.paragraph(`${i + 1}. ${r.text}`, { indent: 10 });
    doc.moveUp(0.15);
    const state = r.liftedAt
      ? t('dossier.pdf.letter.lifted', {
          date: f.date(r.liftedAt),
          by: r.liftedBy ? t(`dossier.role.${r.liftedBy}`) : '—',
        })
      : t('dossier.pdf.letter.not_lifted');
    w.paragraph(
      `${t(r.suspensive ? 'dossier.pdf.letter.suspensive' : 'dossier.pdf.letter.non_suspensive')} — ${state}`,
      { indent: 22, size: 9, colour: r.suspensive && !r.liftedAt ? COLOURS.warning : COLOURS.muted },
    );
  });

  w.heading(t('dossier.pdf.letter.finalites'), 3);
  if (view.typology !== 'avec-echange') w.paragraph(t('dossier.pdf.letter.finalites_not_applicable'));
  else if (opinion.finalites.length === 0) w.paragraph(t('dossier.pdf.letter.finalites_none'));
  else w.list(opinion.finalites.map((code) => titleOf(options.referential?.finalites, code, locale)));

  w.heading(t('dossier.pdf.letter.sitting'), 3);
  w.table(
    [
      { header: t('dossier.pdf.letter.seat_role'), width: 6 },
      { header: t('dossier.pdf.letter.seat_holder'), width: 4 },
    ],
    opinion.sitting.map((s) => [{ text: s.role[locale] }, { text: s.holder }]),
  );
  const quorum = process.commission.quorum;
  w.paragraph(
    `${t('dossier.pdf.letter.quorum', { quorum, version: process.version, count: opinion.sitting.length })} ${t(
      opinion.sitting.length >= quorum
        ? 'dossier.pdf.letter.quorum_reached'
        : 'dossier.pdf.letter.quorum_not_reached',
    )}`,
  );

  w.heading(t('dossier.pdf.letter.next'), 3);
  if (view.decision) {
    w.paragraph(
      t('dossier.pdf.letter.decided', {
        date: f.date(view.decision.at),
        decision: t(`dossier.decision.${view.decision.decision}`),
      }),
    );
  } else {
    w.paragraph(t('dossier.pdf.letter.next_decision', { number }));
    if (view.reservations.some((r) => r.suspensive && !r.liftedAt))
      w.paragraph(t('dossier.pdf.letter.next_suspensive'), { bold: true });
  }

  doc.moveDown(1);
  w.ensureSpace(30);
  w.paragraph(t('dossier.pdf.letter.signature'), { align: 'right' });
  w.footers(
    t('dossier.pdf.letter.footer', { date: f.dateTime(generatedAt), number }),
    (page, pages) => `${t('dossier.pdf.page', { page, pages })} — ${number}`,
  );
  doc.end();
  return done;
}
