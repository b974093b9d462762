/**
 * The self-assessment report as a PDF: the same content as the HTML report (`report.tsx`), laid out for A4.
 * The text is set in DejaVu Sans, embedded (subset) in the file: the PDF standard fonts' WinAnsi encoding lacks
 * characters French needs (’, œ, narrow no-break space) and the symbols of the referential's texts.
 */
import { COLOURS, type Doc, newPdfDocument, PdfWriter } from '../web/pdf.ts';
import type { CriterionState } from './model.ts';
import { isWebLink, type ReportCriterion, type ReportInput, type ReportView, reportView } from './report.tsx';

/** The colour of each criterion state, as in the HTML report. */
const stateColour: Record<CriterionState, string> = {
  ready: COLOURS.success,
  unanswered: COLOURS.info,
  'non-conforme': COLOURS.error,
  'no-evidence': COLOURS.warning,
  'not-applicable-refused': COLOURS.error,
  'justification-missing': COLOURS.warning,
};

/** The shared PDF writer, with the report it writes. */
class Writer extends PdfWriter {
  constructor(
    doc: Doc,
    readonly view: ReportView,
  ) {
    super(doc, view.locale);
  }
}

function titlePage(w: Writer): void {
  const { view, doc } = w;
  const { t, report } = view;
  w.heading(view.title, 1);
  if (view.demonstration) {
    w.box([view.demonstration.title, view.demonstration.body], COLOURS.warning, COLOURS.noticeBackground);
  }
  w.heading(t('report.subject'), 3);
  w.field(t('report.service'), report.subject.displayName);
  w.field(t('report.service_version'), report.subject.version);
  w.field(t('report.organisation'), report.subject.organisationName);
  w.field(t('report.referential'), `${report.version.title} (${report.version.id})`);
  w.field(t('report.legal_source'), report.version.legalSource.text);
  w.field(t('report.generated_at'), view.generatedAt);
  doc.moveDown(0.5);
  w.heading(t('report.verdict.heading'), 2);
  w.box(
    [view.verdict.headline, ...view.verdict.details],
    view.verdict.ready ? COLOURS.success : COLOURS.error,
    view.verdict.ready ? COLOURS.successBackground : COLOURS.errorBackground,
  );
  if (report.missingQuestions.length > 0) {
    w.heading(t('report.missing_questions'), 3);
    for (const q of report.missingQuestions) w.paragraph(`• ${q.label}`);
  }
}

function progress(w: Writer): void {
  const { view } = w;
  const { t, report } = view;
  w.heading(t('report.progress.heading'), 2);
  w.table(
    [
      { header: t('report.progress.rubrique'), width: 3 },
      { header: t('report.progress.applicable'), width: 2, align: 'right' },
      { header: t('report.progress.answered'), width: 2, align: 'right' },
      { header: t('report.progress.ready'), width: 2, align: 'right' },
      { header: t('report.progress.mandatory'), width: 2.2, align: 'right' },
      { header: t('report.progress.bar'), width: 3.5 },
    ],
    report.byRubrique.map((p) => [
      { text: p.title, bold: true },
      { text: String(p.applicable) },
      { text: String(p.answered) },
      { text: String(p.ready) },
      { text: `${p.mandatoryReady} / ${p.mandatory}` },
      { text: view.progressText(p), progress: p.applicable > 0 ? p.ready / p.applicable : undefined },
    ]),
  );
}

function plan(w: Writer): void {
  const { view } = w;
  const { t, report } = view;
  w.heading(t('report.plan.heading'), 2);
  if (report.plan.length === 0) {
    w.paragraph(t('report.plan.none'));
    return;
  }
  w.paragraph(t('report.plan.intro'));
  w.table(
    [
      { header: t('report.plan.criterion'), width: 5 },
      { header: t('report.progress.rubrique'), width: 2.2 },
      { header: t('report.criteria.level'), width: 2.2 },
      { header: t('report.plan.state'), width: 2.6 },
      { header: t('report.plan.target'), width: 2.2 },
    ],
    report.plan.map((gap) => {
      const c = view.criterion(gap.id);
      return [
        { text: `${c.id} — ${c.title}`, bold: true },
        { text: view.rubriqueTitle(c.rubrique) },
        { text: `${t(`report.level.${c.level}`)}${gap.blocking ? ` (${t('report.plan.blocking')})` : ''}` },
        { text: t(`report.state.${gap.state}`), bold: true, colour: stateColour[gap.state] },
        { text: gap.targetDate === null ? t('report.plan.no_target') : view.formatDate(gap.targetDate) },
      ];
    }),
  );
}

function criterionBlock(w: Writer, c: ReportCriterion): void {
  const { view, doc } = w;
  const { t } = view;
  w.ensureSpace(90);
  w.paragraph(`${c.id} — ${c.title}`, { bold: true, size: 11 });
  w.field(
    t('report.criteria.state'),
    `${t(`report.state.${c.state}`)}${c.blocking ? ` (${t('report.plan.blocking')})` : ''}`,
  );
  w.field(t('report.criteria.theme'), view.themeTitle(c.rubrique, c.theme));
  w.field(t('report.criteria.level'), t(`report.level.${c.level}`));
  w.field(t('report.criteria.applies_because'), c.appliesBecause);
  w.field(t('report.criteria.requirement'), c.requirement);
  w.field(
    t('report.criteria.answer'),
    c.status === null ? t('report.criteria.no_answer') : t(`report.status.${c.status}`),
  );
  if (c.justification !== null) w.field(t('report.criteria.justification'), c.justification);
  if (c.evidence.length === 0) {
    w.field(t('report.criteria.evidence'), t('report.criteria.no_evidence'));
  } else {
    w.paragraph(t('report.criteria.evidence'), { bold: true });
    for (const evidence of c.evidence) {
      const text = `• ${view.evidenceText(evidence)}`;
      const link = evidence.kind === 'url' && isWebLink(evidence.url) ? evidence.url : undefined;
      doc
        .font('regular')
        .fontSize(10)
        .fillColor(link ? COLOURS.blue : COLOURS.text)
        .text(text, w.left + 10, doc.y, { width: w.width - 10, link, underline: link !== undefined });
      doc.fillColor(COLOURS.text).moveDown(0.15);
    }
  }
  if (c.state !== 'ready') {
    w.field(
      t('report.plan.target'),
      c.targetDate === null ? t('report.plan.no_target') : view.formatDate(c.targetDate),
    );
  }
  w.field(t('report.criteria.source'), c.source);
  const y = doc.y + 4;
  doc
    .moveTo(w.left, y)
    .lineTo(w.left + w.width, y)
    .lineWidth(0.5)
    .strokeColor(COLOURS.light)
    .stroke();
  doc.y = y + 8;
}

function criteria(w: Writer): void {
  const { t, report } = w.view;
  w.heading(t('report.criteria.heading'), 2);
  if (report.criteria.length === 0) w.paragraph(t('report.criteria.none'));
  for (const p of report.byRubrique.filter((r) => r.applicable > 0)) {
    w.heading(p.title, 3);
    for (const c of report.criteria.filter((c) => c.rubrique === p.rubrique)) criterionBlock(w, c);
  }
}

function notApplicable(w: Writer): void {
  const { view } = w;
  const { t, report } = view;
  w.heading(t('report.not_applicable.heading'), 2);
  if (report.notApplicable.length === 0) {
    w.paragraph(t('report.not_applicable.none'));
    return;
  }
  w.table(
    [
      { header: t('report.plan.criterion'), width: 5 },
      { header: t('report.progress.rubrique'), width: 2.2 },
      { header: t('report.criteria.level'), width: 2 },
      { header: t('report.not_applicable.reason'), width: 5 },
    ],
    report.notApplicable.map((c) => [
      { text: `${c.id} — ${c.title}`, bold: true },
      { text: view.rubriqueTitle(c.rubrique) },
      { text: t(`report.level.${c.level}`) },
      { text: c.appliesIf },
    ]),
  );
}

/** « Page 2 sur 7 » at the foot of every page. */
function pageNumbers(w: Writer): void {
  const { view } = w;
  w.footers(
    undefined,
    (page, pages) => `${view.t('report.pdf.page', { page, pages })} — ${view.report.subject.displayName}`,
  );
}

/** The report as a PDF document (A4, fonts embedded, page numbers, title and author in its metadata). */
export function reportPdf(input: ReportInput): Promise<Buffer> {
  const view = reportView(input);
  const { doc, done } = newPdfDocument({
    locale: view.locale,
    title: view.title,
    subject: `${view.report.version.title} (${view.report.version.id})`,
    keywords: `Mon espace santé, ${view.report.version.id}, ${view.report.subject.displayName}`,
    generatedAt: input.generatedAt,
  });
  const w = new Writer(doc, view);
  titlePage(w);
  progress(w);
  plan(w);
  criteria(w);
  notApplicable(w);
  doc.fillColor(COLOURS.muted);
  w.paragraph(view.t('report.generator', { date: view.generatedAt }), { colour: COLOURS.muted, size: 9 });
  pageNumbers(w);
  doc.end();
  return done;
}
