/**
 * The self-assessment reports (rapports d'auto-évaluation) of a service against one referential version, as
 * pure functions of an evaluation: a JSON document of stable shape, and a standalone printable HTML page. The
 * PDF (`report-pdf.ts`) renders the same report. Every report says, at its top, when the referential version
 * is a demonstration one.
 */
import { renderToString } from 'preact-render-to-string';
import { type Locale, type Translate, translator } from '../platform/i18n.ts';
import type { ReferentialVersion, Rubrique } from '../referential/model.ts';
import { type AnswerStatus, type CriterionState, type Evaluation, type Evidence, gaps } from './model.ts';
import { reportBytes, reportMessages, reportPlural } from './report-messages.ts';

/** What a report says of the service it is about (a product of the publisher's, with its publisher's name). */
export interface ReportSubject {
  displayName: string;
  version: string;
  organisationName: string;
}

export interface ReportInput {
  evaluation: Evaluation;
  /** The version the evaluation was made on. */
  version: ReferentialVersion;
  subject: ReportSubject;
  generatedAt: Date;
  locale: Locale;
}

// ── the JSON report ─────────────────────────────────────────────────────────

/** A piece of evidence as reports show it: a file by its name, size and digest, never its bytes. */
export type ReportEvidence =
  | { kind: 'file'; name: string; size: number | null; sha256: string | null }
  | { kind: 'url'; url: string }
  | { kind: 'text'; text: string };

export interface ReportCriterion {
  /** As the annex gives it (« URB 01 »). */
  id: string;
  rubrique: Rubrique;
  theme: string;
  level: 'obligatoire' | 'optionnel';
  /** Texts are in the report's locale. */
  title: string;
  requirement: string;
  source: string;
  /** Why the criterion applies to this service, from its orientation answers. */
  appliesBecause: string;
  /** See `CriterionState` in `model.ts`: `ready` is the only state that is not a gap. */
  state: CriterionState;
  /** Mandatory and not ready: keeps the service from being ready. */
  blocking: boolean;
  /** The publisher's answer, null when not answered. */
  status: AnswerStatus | null;
  justification: string | null;
  evidence: ReportEvidence[];
  /** YYYY-MM-DD, the date planned to close the gap; null when none is set. */
  targetDate: string | null;
}

/**
 * The JSON report (`format` `mesref-assessment-report`, `formatVersion` 1). Fields are never left out: an
 * absent value is null. Texts (titles, reasons, labels) are in `locale`; ids and codes are stable.
 */
export interface AssessmentReport {
  format: 'mesref-assessment-report';
  formatVersion: 1;
  locale: Locale;
  /** ISO 8601, UTC. */
  generatedAt: string;
  version: {
    id: string;
    title: string;
    /** `demonstration`: written by mesref from public facts, not the official referential. */
    status: 'official' | 'demonstration';
    legalSource: { text: string; date: string };
  };
  subject: ReportSubject;
  /** Every applicable mandatory criterion ready, and no orientation question left unanswered. */
  ready: boolean;
  counts: {
    applicable: number;
    mandatory: number;
    answered: number;
    ready: number;
    blocking: number;
    gaps: number;
    notApplicable: number;
    missingQuestions: number;
  };
  byRubrique: {
    rubrique: Rubrique;
    title: string;
    applicable: number;
    answered: number;
    ready: number;
    mandatory: number;
    mandatoryReady: number;
  }[];
  /** Every applicable criterion, in the referential's order. */
  criteria: ReportCriterion[];
  /** The gaps (criteria not ready), blocking first, then by rubrique: the action plan. */
  plan: { id: string; state: CriterionState; blocking: boolean; targetDate: string | null }[];
  /** Criteria that do not apply, with the condition under which they would. */
  notApplicable: {
    id: string;
    rubrique: Rubrique;
    theme: string;
    level: 'obligatoire' | 'optionnel';
    title: string;
    appliesIf: string;
  }[];
  /** Orientation questions still to answer. */
  missingQuestions: { id: string; label: string }[];
}

function reportEvidence(evidence: Evidence): ReportEvidence {
  // Fields are picked one by one: whatever else a stored piece of evidence holds stays out of reports.
  switch (evidence.kind) {
    case 'file':
      return {
        kind: 'file',
        name: evidence.name,
        size: evidence.size ?? null,
        sha256: evidence.sha256 ?? null,
      };
    case 'url':
      return { kind: 'url', url: evidence.url };
    case 'text':
      return { kind: 'text', text: evidence.text };
  }
}

function nonEmpty(text: string | undefined): string | null {
  return text !== undefined && text.trim() !== '' ? text : null;
}

export function reportJson(input: ReportInput): AssessmentReport {
  const { evaluation, version, locale } = input;
  const rubriqueTitle = (id: Rubrique) => version.rubriques.find((r) => r.id === id)?.title[locale] ?? id;
  const plan = gaps(evaluation).map((c) => ({
    id: c.criterion.id,
    state: c.state,
    blocking: c.blocking,
    targetDate: nonEmpty(c.answer?.targetDate),
  }));
  return {
    format: 'mesref-assessment-report',
    formatVersion: 1,
    locale,
    generatedAt: input.generatedAt.toISOString(),
    version: {
      id: version.id,
      title: version.title[locale],
      status: version.status,
      legalSource: { text: version.legalSource.text, date: version.legalSource.date },
    },
    subject: {
      displayName: input.subject.displayName,
      version: input.subject.version,
      organisationName: input.subject.organisationName,
    },
    ready: evaluation.ready,
    counts: {
      ...evaluation.counts,
      gaps: plan.length,
      notApplicable: evaluation.notApplicable.length,
      missingQuestions: evaluation.missingQuestions.length,
    },
    byRubrique: evaluation.byRubrique.map((p) => ({
      rubrique: p.rubrique,
      title: rubriqueTitle(p.rubrique),
      applicable: p.applicable,
      answered: p.answered,
      ready: p.ready,
      mandatory: p.mandatory,
      mandatoryReady: p.mandatoryReady,
    })),
    criteria: evaluation.criteria.map(({ criterion, reason, answer, state, blocking }) => ({
      id: criterion.id,
      rubrique: criterion.rubrique,
      theme: criterion.theme,
      level: criterion.level,
      title: criterion.title[locale],
      requirement: criterion.requirement[locale],
      source: criterion.source,
      appliesBecause: reason[locale],
      state,
      blocking,
      status: answer?.status ?? null,
      justification: nonEmpty(answer?.justification),
      evidence: (answer?.evidence ?? []).map(reportEvidence),
      targetDate: nonEmpty(answer?.targetDate),
    })),
    plan,
    notApplicable: evaluation.notApplicable.map(({ criterion, reason }) => ({
      id: criterion.id,
      rubrique: criterion.rubrique,
      theme: criterion.theme,
      level: criterion.level,
      title: criterion.title[locale],
      appliesIf: reason[locale],
    })),
    missingQuestions: evaluation.missingQuestions.map((q) => ({ id: q.id, label: q.label[locale] })),
  };
}

// ── what the HTML and PDF reports share ─────────────────────────────────────

/** The report as both printed forms read it: the JSON report, its labels, and the texts built from it. */
export interface ReportView {
  report: AssessmentReport;
  t: Translate;
  locale: Locale;
  title: string;
  /** The demonstration notice, or null for an official version. */
  demonstration: { title: string; body: string } | null;
  verdict: { ready: boolean; headline: string; details: string[] };
  generatedAt: string;
  themeTitle(rubrique: Rubrique, theme: string): string;
  rubriqueTitle(rubrique: Rubrique): string;
  progressText(p: { ready: number; applicable: number }): string;
  percent(p: { ready: number; applicable: number }): number;
  formatDate(isoDate: string): string;
  evidenceText(evidence: ReportEvidence): string;
  criterion(id: string): ReportCriterion;
}

export function reportView(input: ReportInput): ReportView {
  const report = reportJson(input);
  const { locale, version } = input;
  const t = translator(reportMessages, locale);
  const tag = locale === 'fr' ? 'fr-FR' : 'en-GB';
  const details: string[] = [];
  if (report.counts.blocking > 0) {
    details.push(reportPlural(t, 'report.verdict.blocking', report.counts.blocking, locale));
  }
  if (report.counts.missingQuestions > 0) {
    details.push(reportPlural(t, 'report.verdict.questions', report.counts.missingQuestions, locale));
  }
  details.push(
    t('report.verdict.counts', {
      ready: report.counts.ready,
      applicable: report.counts.applicable,
      mandatory: report.counts.mandatory,
      answered: report.counts.answered,
    }),
  );
  const byId = new Map(report.criteria.map((c) => [c.id, c]));
  const percent = (p: { ready: number; applicable: number }) =>
    p.applicable === 0 ? 0 : Math.round((p.ready / p.applicable) * 100);
  return {
    report,
    t,
    locale,
    title: t('report.title_for', { name: report.subject.displayName }),
    demonstration:
      report.version.status === 'demonstration'
        ? { title: t('report.demo.title'), body: t('report.demo.body', { version: report.version.title }) }
        : null,
    verdict: {
      ready: report.ready,
      headline: t(report.ready ? 'report.verdict.ready' : 'report.verdict.not_ready'),
      details,
    },
    generatedAt: new Intl.DateTimeFormat(tag, {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: 'Europe/Paris',
    }).format(input.generatedAt),
    themeTitle: (rubrique, theme) =>
      version.rubriques.find((r) => r.id === rubrique)?.themes.find((th) => th.id === theme)?.title[locale] ??
      theme,
    rubriqueTitle: (rubrique) => report.byRubrique.find((r) => r.rubrique === rubrique)?.title ?? rubrique,
    percent,
    progressText: (p) =>
      p.applicable === 0
        ? t('report.progress.none')
        : t('report.progress.value', { ready: p.ready, applicable: p.applicable, percent: percent(p) }),
    formatDate: (isoDate) => {
      const date = new Date(`${isoDate}T00:00:00Z`);
      return Number.isNaN(date.getTime())
        ? isoDate
        : new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
    },
    evidenceText: (evidence) => {
      switch (evidence.kind) {
        case 'file': {
          const extra = [
            evidence.size === null ? null : reportBytes(t, evidence.size, locale),
            evidence.sha256 === null ? null : `${t('report.evidence.sha256')} ${evidence.sha256}`,
          ].filter((part) => part !== null);
          const name = t('report.evidence.file', { name: evidence.name });
          return extra.length > 0 ? `${name} (${extra.join(', ')})` : name;
        }
        case 'url':
          return `${t('report.evidence.link')} ${evidence.url}`;
        case 'text':
          return t('report.evidence.text', { text: evidence.text });
      }
    },
    criterion: (id) => {
      const found = byId.get(id);
      if (!found) throw new Error(`criterion ${id} is not in the report`);
      return found;
    },
  };
}

/** Only web links are made clickable: a stored URL is the publisher's text. */
export function isWebLink(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

// ── the HTML report ─────────────────────────────────────────────────────────

/**
 * The page carries its own styles (the DSFR's colours and spacing, system fonts) so that it prints and reads
 * the same once saved, away from mesref.
 */
const STYLES = `
:root { color-scheme: light; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #161616; background: #fff; line-height: 1.5; }
main { max-width: 62rem; margin: 0 auto; padding: 2rem 1.5rem; }
h1 { font-size: 2rem; line-height: 1.25; margin: 0 0 1.5rem; color: #161616; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 1rem; padding-bottom: .25rem; border-bottom: 2px solid #000091; }
h3 { font-size: 1.125rem; margin: 1.5rem 0 .5rem; }
a { color: #000091; }
a:focus { outline: 2px solid #0a76f6; outline-offset: 2px; }
.subject { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.5rem; margin: 0 0 1.5rem; }
.subject dt { font-weight: 700; }
.subject dd { margin: 0; }
.notice { border: 1px solid #b34000; border-left-width: .5rem; background: #fff4f3; padding: 1rem 1.25rem; margin: 0 0 1.5rem; }
.notice p { margin: 0; }
.notice .notice__title { font-weight: 700; margin-bottom: .25rem; }
.verdict { border: 1px solid; border-left-width: .5rem; padding: 1rem 1.25rem; }
.verdict--ready { border-color: #18753c; background: #f6fef9; }
.verdict--not-ready { border-color: #ce0500; background: #fff4f4; }
.verdict p { margin: 0 0 .25rem; }
.verdict .verdict__headline { font-weight: 700; font-size: 1.125rem; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1rem; }
caption { text-align: left; font-weight: 700; padding: .5rem 0; }
th, td { border: 1px solid #929292; padding: .5rem .75rem; text-align: left; vertical-align: top; }
thead th { background: #eeeeee; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
progress { width: 8rem; height: .75rem; accent-color: #000091; vertical-align: middle; margin-right: .5rem; }
.badge { display: inline-block; border-radius: .25rem; padding: 0 .5rem; font-size: .875rem; font-weight: 700;
  text-transform: uppercase; line-height: 1.5rem; }
.badge--success { background: #b8fec9; color: #18753c; }
.badge--error { background: #ffe9e9; color: #ce0500; }
.badge--warning { background: #ffe9e6; color: #b34000; }
.badge--info { background: #e8edff; color: #0063cb; }
.criterion { border: 1px solid #dddddd; padding: 0 1.25rem 1rem; margin: 0 0 1rem; }
.criterion dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1.5rem; margin: 0; }
.criterion dt { font-weight: 700; }
.criterion dd { margin: 0; overflow-wrap: anywhere; }
.criterion ul { margin: 0; padding-left: 1.25rem; }
.hash { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .875rem; }
footer { max-width: 62rem; margin: 0 auto; padding: 1rem 1.5rem 2rem; color: #3a3a3a; border-top: 1px solid #dddddd; }
@media print {
  main { padding: 0; max-width: none; }
  h2 { break-after: avoid; }
  .criterion, tr, .notice, .verdict { break-inside: avoid; }
  a[href^="http"]::after { content: " (" attr(href) ")"; font-size: .875em; }
}
`;

const stateBadge: Record<CriterionState, string> = {
  ready: 'success',
  unanswered: 'info',
  'non-conforme': 'error',
  'no-evidence': 'warning',
  'not-applicable-refused': 'error',
  'justification-missing': 'warning',
};

/** The state in words, never a colour alone. */
function StateBadge({ view, state }: { view: ReportView; state: CriterionState }) {
  return <span class={`badge badge--${stateBadge[state]}`}>{view.t(`report.state.${state}`)}</span>;
}

function TargetDate({ view, date }: { view: ReportView; date: string | null }) {
  if (date === null) return <>{view.t('report.plan.no_target')}</>;
  return <time dateTime={date}>{view.formatDate(date)}</time>;
}

function EvidenceItem({ view, evidence }: { view: ReportView; evidence: ReportEvidence }) {
  const { t } = view;
  if (evidence.kind === 'url') {
    return isWebLink(evidence.url) ? (
      <li>
        {t('report.evidence.link')} <a href={evidence.url}>{evidence.url}</a>
      </li>
    ) : (
      <li>{view.evidenceText(evidence)}</li>
    );
  }
  if (evidence.kind === 'file') {
    const extra = [
      evidence.size === null ? null : reportBytes(t, evidence.size, view.locale),
      evidence.sha256 === null ? null : t('report.evidence.sha256'),
    ];
    return (
      <li>
        {t('report.evidence.file', { name: evidence.name })}
        {extra[0] !== null || extra[1] !== null ? (
          <>
            {' ('}
            {extra[0]}
            {extra[0] !== null && extra[1] !== null ? ', ' : null}
            {extra[1] !== null ? (
              <>
                {extra[1]} <span class="hash">{evidence.sha256}</span>
              </>
            ) : null}
            {')'}
          </>
        ) : null}
      </li>
    );
  }
  return <li>{view.evidenceText(evidence)}</li>;
}

function Verdict({ view }: { view: ReportView }) {
  const { t, report } = view;
  return (
    <section aria-labelledby="verdict">
      <h2 id="verdict">{t('report.verdict.heading')}</h2>
      <div class={`verdict ${view.verdict.ready ? 'verdict--ready' : 'verdict--not-ready'}`}>
        <p class="verdict__headline">{view.verdict.headline}</p>
        {view.verdict.details.map((line) => (
          <p key={line}>{line}</p>
        ))}
      </div>
      {report.missingQuestions.length > 0 ? (
        <>
          <h3>{t('report.missing_questions')}</h3>
          <ul>
            {report.missingQuestions.map((q) => (
              <li key={q.id}>{q.label}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function Progress({ view }: { view: ReportView }) {
  const { t, report } = view;
  return (
    <section aria-labelledby="progress">
      <h2 id="progress">{t('report.progress.heading')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('report.progress.rubrique')}</th>
            <th scope="col">{t('report.progress.applicable')}</th>
            <th scope="col">{t('report.progress.answered')}</th>
            <th scope="col">{t('report.progress.ready')}</th>
            <th scope="col">{t('report.progress.mandatory')}</th>
            <th scope="col">{t('report.progress.bar')}</th>
          </tr>
        </thead>
        <tbody>
          {report.byRubrique.map((p) => (
            <tr key={p.rubrique}>
              <th scope="row">{p.title}</th>
              <td class="number">{p.applicable}</td>
              <td class="number">{p.answered}</td>
              <td class="number">{p.ready}</td>
              <td class="number">{`${p.mandatoryReady} / ${p.mandatory}`}</td>
              <td>
                {p.applicable > 0 ? (
                  <progress
                    max={p.applicable}
                    value={p.ready}
                    aria-label={`${p.title} : ${view.progressText(p)}`}
                  />
                ) : null}
                <span>{view.progressText(p)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Plan({ view }: { view: ReportView }) {
  const { t, report } = view;
  return (
    <section aria-labelledby="plan">
      <h2 id="plan">{t('report.plan.heading')}</h2>
      {report.plan.length === 0 ? (
        <p>{t('report.plan.none')}</p>
      ) : (
        <>
          <p>{t('report.plan.intro')}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('report.plan.criterion')}</th>
                <th scope="col">{t('report.progress.rubrique')}</th>
                <th scope="col">{t('report.criteria.level')}</th>
                <th scope="col">{t('report.plan.state')}</th>
                <th scope="col">{t('report.plan.target')}</th>
              </tr>
            </thead>
            <tbody>
              {report.plan.map((gap) => {
                const c = view.criterion(gap.id);
                return (
                  <tr key={gap.id}>
                    <th scope="row">
                      <a href={`#${anchor(gap.id)}`}>{`${c.id} — ${c.title}`}</a>
                    </th>
                    <td>{view.rubriqueTitle(c.rubrique)}</td>
                    <td>
                      {t(`report.level.${c.level}`)}
                      {gap.blocking ? ` (${t('report.plan.blocking')})` : ''}
                    </td>
                    <td>
                      <StateBadge view={view} state={gap.state} />
                    </td>
                    <td>
                      <TargetDate view={view} date={gap.targetDate} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/** An id usable as a fragment (« URB 01 » → « critere-URB-01 »). */
function anchor(id: string): string {
  return `critere-${id.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

function CriterionBlock({ view, criterion: c }: { view: ReportView; criterion: ReportCriterion }) {
  const { t } = view;
  return (
    <article class="criterion" id={anchor(c.id)} aria-labelledby={`${anchor(c.id)}-titre`}>
      <h4 id={`${anchor(c.id)}-titre`}>{`${c.id} — ${c.title}`}</h4>
      <dl>
        <dt>{t('report.criteria.state')}</dt>
        <dd>
          <StateBadge view={view} state={c.state} />
          {c.blocking ? ` ${t('report.plan.blocking')}` : ''}
        </dd>
        <dt>{t('report.criteria.theme')}</dt>
        <dd>{view.themeTitle(c.rubrique, c.theme)}</dd>
        <dt>{t('report.criteria.level')}</dt>
        <dd>{t(`report.level.${c.level}`)}</dd>
        <dt>{t('report.criteria.applies_because')}</dt>
        <dd>{c.appliesBecause}</dd>
        <dt>{t('report.criteria.requirement')}</dt>
        <dd>{c.requirement}</dd>
        <dt>{t('report.criteria.answer')}</dt>
        <dd>{c.status === null ? t('report.criteria.no_answer') : t(`report.status.${c.status}`)}</dd>
        {c.justification !== null ? (
          <>
            <dt>{t('report.criteria.justification')}</dt>
            <dd>{c.justification}</dd>
          </>
        ) : null}
        <dt>{t('report.criteria.evidence')}</dt>
        <dd>
          {c.evidence.length === 0 ? (
            t('report.criteria.no_evidence')
          ) : (
            <ul>
              {c.evidence.map((e, i) => (
                <EvidenceItem view={view} evidence={e} key={i} />
              ))}
            </ul>
          )}
        </dd>
        {c.state !== 'ready' ? (
          <>
            <dt>{t('report.plan.target')}</dt>
            <dd>
              <TargetDate view={view} date={c.targetDate} />
            </dd>
          </>
        ) : null}
        <dt>{t('report.criteria.source')}</dt>
        <dd>{c.source}</dd>
      </dl>
    </article>
  );
}

function Criteria({ view }: { view: ReportView }) {
  const { t, report } = view;
  return (
    <section aria-labelledby="criteres">
      <h2 id="criteres">{t('report.criteria.heading')}</h2>
      {report.criteria.length === 0 ? <p>{t('report.criteria.none')}</p> : null}
      {report.byRubrique
        .filter((p) => p.applicable > 0)
        .map((p) => (
          <section key={p.rubrique} aria-labelledby={`rubrique-${p.rubrique}`}>
            <h3 id={`rubrique-${p.rubrique}`}>{p.title}</h3>
            {report.criteria
              .filter((c) => c.rubrique === p.rubrique)
              .map((c) => (
                <CriterionBlock view={view} criterion={c} key={c.id} />
              ))}
          </section>
        ))}
    </section>
  );
}

function NotApplicable({ view }: { view: ReportView }) {
  const { t, report } = view;
  return (
    <section aria-labelledby="non-applicables">
      <h2 id="non-applicables">{t('report.not_applicable.heading')}</h2>
      {report.notApplicable.length === 0 ? (
        <p>{t('report.not_applicable.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('report.plan.criterion')}</th>
              <th scope="col">{t('report.progress.rubrique')}</th>
              <th scope="col">{t('report.criteria.level')}</th>
              <th scope="col">{t('report.not_applicable.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {report.notApplicable.map((c) => (
              <tr key={c.id}>
                <th scope="row">{`${c.id} — ${c.title}`}</th>
                <td>{view.rubriqueTitle(c.rubrique)}</td>
                <td>{t(`report.level.${c.level}`)}</td>
                <td>{c.appliesIf}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ReportPage({ view }: { view: ReportView }) {
  const { t, report } = view;
  return (
    <html lang={view.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="generator" content="mesref" />
        <title>{view.title}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLES }} />
      </head>
      <body>
        <main id="contenu">
          <h1>{view.title}</h1>
          {view.demonstration ? (
            <div class="notice" role="note" id="demonstration">
              <p class="notice__title">{view.demonstration.title}</p>
              <p>{view.demonstration.body}</p>
            </div>
          ) : null}
          <dl class="subject">
            <dt>{t('report.service')}</dt>
            <dd>{report.subject.displayName}</dd>
            <dt>{t('report.service_version')}</dt>
            <dd>{report.subject.version}</dd>
            <dt>{t('report.organisation')}</dt>
            <dd>{report.subject.organisationName}</dd>
            <dt>{t('report.referential')}</dt>
            <dd>{`${report.version.title} (${report.version.id})`}</dd>
            <dt>{t('report.legal_source')}</dt>
            <dd>{report.version.legalSource.text}</dd>
            <dt>{t('report.generated_at')}</dt>
            <dd>
              <time dateTime={report.generatedAt}>{view.generatedAt}</time>
            </dd>
          </dl>
          <Verdict view={view} />
          <Progress view={view} />
          <Plan view={view} />
          <Criteria view={view} />
          <NotApplicable view={view} />
        </main>
        <footer>
          <p>{t('report.generator', { date: view.generatedAt })}</p>
        </footer>
      </body>
    </html>
  );
}

/** The report as a standalone HTML document (its styles inline), to show, save or print. */
export function reportHtml(input: ReportInput): string {
  return `<!doctype html>${renderToString(<ReportPage view={reportView(input)} />)}`;
}
