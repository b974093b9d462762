/**
 * « Mes mesures »: the health measures the connected services wrote into a citizen's profile (their own or a
 * minor's in their care), one section per data category. Each section has a chart, drawn in the browser by
 * mesref-charts.js from the JSON data block beside it (a data block is not executed: the CSP allows no inline
 * script), and always the table of the values: the table is what works without JavaScript and what a screen
 * reader reads.
 */
import { type ManagedCitizen, PersonSelect } from '../consent/index.ts';
import type { Locale, Translate } from '../platform/i18n.ts';
import { TableFrame } from '../web/components.tsx';
import { formatDate } from '../web/dates.ts';
import { Page, type PageContext } from '../web/layout.tsx';
import type { MeasureRow } from './service.ts';

export const MEASURES_PATH = '/usager/mesures';

/** The periods a citizen may choose, as the form's values: 30 days, 12 months, everything. */
export const PERIODS = ['30j', '1an', 'tout'] as const;
export type Period = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: Period = '1an';

/** The start of a period ending now (undefined: no start). */
export function periodStart(period: Period, now: Date): Date | undefined {
  if (period === '30j') return new Date(now.getTime() - 30 * 86_400_000);
  if (period === '1an') {
    const start = new Date(now);
    start.setUTCFullYear(start.getUTCFullYear() - 1);
    return start;
  }
  return undefined;
}

/** One category's measures in the period, newest first. */
export interface CategoryMeasures {
  category: string;
  title: string;
  /** The newest measure of the category, whatever the period. */
  last: Date;
  rows: MeasureRow[];
  /** More measures than shown lie in the period. */
  truncated: boolean;
}

/** One line of a chart and one column of a table: a component of the measure (systolic, diastolic) or the value. */
interface Series {
  code: string;
  label: string;
  unit: string;
}

const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

const UNIT_TEXT: Record<string, string> = {
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  '[degF]': '°F',
  '{beats}/min': '/min',
};
const STEP_UNITS = new Set(['steps/day', '1/(24.h)', '/d', 'steps', '{steps}/d']);

/** A unit as a person reads it (UCUM's `mm[Hg]` is mmHg; steps in the reader's language). */
export function unitText(t: Translate, unit: string): string {
  if (STEP_UNITS.has(unit)) return t('measures_page.unit.steps');
  return UNIT_TEXT[unit] ?? unit;
}

/** The series of a category: each value code in the order first met (blood pressure: systolic, diastolic). */
function seriesOf(t: Translate, title: string, rows: readonly MeasureRow[]): Series[] {
  const found = new Map<string, Series>();
  for (const row of rows) {
    for (const value of row.values) {
      if (found.has(value.code)) continue;
      found.set(value.code, { code: value.code, label: value.label ?? value.code, unit: value.unit });
    }
  }
  const series = [...found.values()];
  if (series.length === 1) return [{ ...series[0], label: title }];
  const order = (code: string) => (code === SYSTOLIC ? 0 : code === DIASTOLIC ? 1 : 2);
  return series
    .sort((a, b) => order(a.code) - order(b.code))
    .map((s) => ({
      ...s,
      label:
        s.code === SYSTOLIC
          ? t('measures_page.series.systolic')
          : s.code === DIASTOLIC
            ? t('measures_page.series.diastolic')
            : s.label,
    }));
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();
function formatNumber(locale: Locale, value: number): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 });
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

const parisTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A measure's date: the day alone for a measure of a whole day (steps), else the day and time (Paris). */
function measureDate(locale: Locale, at: Date): string {
  return formatDate(locale, at, parisTime.format(at) === '00:00:00' ? 'day' : 'date-time');
}

function measureValue(row: MeasureRow, code: string): number | undefined {
  return row.values.find((v) => v.code === code)?.value;
}

/** What the chart says to a screen reader: how many measures, over what dates, and per series min, max, last. */
function chartSummary(ctx: PageContext, section: CategoryMeasures, series: readonly Series[]): string {
  const { t, locale } = ctx;
  const newest = section.rows[0];
  const oldest = section.rows[section.rows.length - 1];
  const parts = series.map((s) => {
    const values = section.rows
      .map((r) => measureValue(r, s.code))
      .filter((v): v is number => v !== undefined);
    const last = section.rows.map((r) => measureValue(r, s.code)).find((v) => v !== undefined);
    return t('measures_page.chart_series', {
      label: s.label,
      min: formatNumber(locale, Math.min(...values)),
      max: formatNumber(locale, Math.max(...values)),
      last: last === undefined ? '—' : formatNumber(locale, last),
      unit: unitText(t, s.unit),
    });
  });
  return t('measures_page.chart_summary', {
    title: section.title,
    count: section.rows.length,
    from: formatDate(locale, oldest.effectiveAt, 'day'),
    to: formatDate(locale, newest.effectiveAt, 'day'),
    series: parts.join(' '),
  });
}

/** What mesref-charts.js draws: times in seconds (oldest first) and, per series, its values (null: none). */
export interface ChartData {
  /** The name of the time in the chart's legend (« Date »). */
  dateLabel: string;
  unit: string;
  x: number[];
  series: Array<{ label: string; unit: string; values: Array<number | null> }>;
}

function chartData(t: Translate, rows: readonly MeasureRow[], series: readonly Series[]): ChartData {
  const ordered = [...rows].reverse();
  return {
    dateLabel: t('measures_page.col.date'),
    unit: unitText(t, series[0]?.unit ?? ''),
    x: ordered.map((r) => Math.round(r.effectiveAt.getTime() / 1000)),
    series: series.map((s) => ({
      label: s.label,
      unit: unitText(t, s.unit),
      values: ordered.map((r) => measureValue(r, s.code) ?? null),
    })),
  };
}

/** JSON safe inside a <script> element: no `</script>`, no line separators JavaScript would choke on. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const serviceText = (row: MeasureRow) => row.serviceName ?? row.serviceOid;

function CategorySection({ ctx, section }: { ctx: PageContext; section: CategoryMeasures }) {
  const { t, locale } = ctx;
  const headingId = `mesures-${section.category}`;
  const series = seriesOf(t, section.title, section.rows);
  const services = [...new Set(section.rows.map(serviceText))];
  const dataId = `mesures-donnees-${section.category}`;
  const single = series.length === 1;
  return (
    <section class="fr-mb-6w" aria-labelledby={headingId}>
      <h2 id={headingId}>{section.title}</h2>
      {section.rows.length === 0 ? (
        <p>{t('measures_page.none_in_period', { date: formatDate(locale, section.last, 'day') })}</p>
      ) : (
        <>
          <p class="fr-mb-1w">
            {t('measures_page.count', {
              count: section.rows.length,
              from: formatDate(locale, section.rows[section.rows.length - 1].effectiveAt, 'day'),
              to: formatDate(locale, section.rows[0].effectiveAt, 'day'),
            })}
          </p>
          <div class="fr-mb-2w">
            <span class="fr-text--sm fr-mr-1w">{t('measures_page.sources')}</span>
            <ul class="fr-tags-group">
              {services.map((name) => (
                <li key={name}>
                  <p class="fr-tag fr-tag--sm">{name}</p>
                </li>
              ))}
            </ul>
          </div>
          {section.truncated ? (
            <p class="fr-text--sm">{t('measures_page.truncated', { max: section.rows.length })}</p>
          ) : null}
          {/* Drawn by mesref-charts.js; hidden until then, so that without JavaScript only the table shows. */}
          <div
            class="mesref-chart fr-mb-3w"
            id={`mesures-courbe-${section.category}`}
            data-chart={dataId}
            role="img"
            aria-label={chartSummary(ctx, section, series)}
            hidden
          />
          <script
            type="application/json"
            id={dataId}
            // A JSON data block, escaped by scriptJson: the browser reads it, never runs it.
            dangerouslySetInnerHTML={{ __html: scriptJson(chartData(t, section.rows, series)) }}
          />
          <TableFrame caption={t('measures_page.caption', { title: section.title })}>
            <thead>
              <tr>
                <th scope="col">{t('measures_page.col.date')}</th>
                {series.map((s) => (
                  <th scope="col" key={s.code}>
                    {single ? t('measures_page.col.value') : s.label}
                  </th>
                ))}
                <th scope="col">{t('measures_page.col.unit')}</th>
                <th scope="col">{t('measures_page.col.service')}</th>
              </tr>
            </thead>
            <tbody>
              {section.rows.map((row) => (
                <tr key={row.id}>
                  <td>{measureDate(locale, row.effectiveAt)}</td>
                  {series.map((s) => {
                    const value = measureValue(row, s.code);
                    return <td key={s.code}>{value === undefined ? '—' : formatNumber(locale, value)}</td>;
                  })}
                  <td>{unitText(t, row.values[0]?.unit ?? series[0]?.unit ?? '')}</td>
                  <td>{serviceText(row)}</td>
                </tr>
              ))}
            </tbody>
          </TableFrame>
        </>
      )}
    </section>
  );
}

/** The filters: whose profile (when the citizen has minors in care) and the period, as a GET form. */
function Filters({
  ctx,
  people,
  selected,
  period,
}: {
  ctx: PageContext;
  people: ManagedCitizen[];
  selected: ManagedCitizen;
  period: Period;
}) {
  const { t } = ctx;
  return (
    <form method="get" action={MEASURES_PATH} class="fr-mb-4w" aria-label={t('measures_page.filters')}>
      {people.length > 1 ? (
        <PersonSelect
          people={people}
          selected={selected}
          label={t('measures_page.person')}
          selfLabel={t('measures_page.who_self')}
        />
      ) : null}
      <fieldset class="fr-segmented fr-mb-2w">
        <legend class="fr-segmented__legend">{t('measures_page.period')}</legend>
        <div class="fr-segmented__elements">
          {PERIODS.map((p) => (
            <div class="fr-segmented__element" key={p}>
              <input type="radio" id={`periode-${p}`} name="periode" value={p} checked={p === period} />
              <label class="fr-label" for={`periode-${p}`}>
                {t(`measures_page.period.${p}`)}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
      <div>
        <button type="submit" class="fr-btn fr-btn--secondary">
          {t('measures_page.show')}
        </button>
      </div>
    </form>
  );
}

export function MeasuresPage({
  ctx,
  people,
  selected,
  period,
  sections,
}: {
  ctx: PageContext;
  people: ManagedCitizen[];
  selected: ManagedCitizen;
  period: Period;
  /** Every category with measures (whatever the period), in the referential's order. */
  sections: CategoryMeasures[];
}) {
  const { t } = ctx;
  const title = t('measures_page.title');
  const charts = sections.some((s) => s.rows.length > 0);
  return (
    <Page
      ctx={ctx}
      title={title}
      css={['table', 'form', 'select', 'segmented', 'tag']}
      own={charts ? { css: ['uplot'], js: ['uplot', 'mesref-charts'] } : undefined}
      breadcrumb={[
        [t('nav.citizen'), '/usager'],
        [title, MEASURES_PATH],
      ]}
    >
      <h1>{title}</h1>
      <p class="fr-text--lead">
        {t('measures_page.lead')}
        {selected.self ? '' : ` — ${t('measures_page.for_minor', { name: selected.name })}`}
      </p>
      <Filters ctx={ctx} people={people} selected={selected} period={period} />
      {sections.length === 0 ? (
        <p>
          {t('measures_page.none')}{' '}
          <a class="fr-link" href="/usager/services">
            {t('measures_page.to_services')}
          </a>
        </p>
      ) : (
        sections.map((section) => <CategorySection ctx={ctx} section={section} key={section.category} />)
      )}
    </Page>
  );
}
