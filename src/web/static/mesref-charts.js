/*
 * The charts of mesref's pages, drawn with uPlot (bundled just before this script, which names it `uPlot`).
 * Each element with `data-chart` names a JSON data block of the page (`<script type="application/json">`,
 * which the browser never runs): { dateLabel, unit, x: [seconds], series: [{ label, unit, values: [number|null] }] }.
 * The element stays hidden without JavaScript; the table beside it holds the same values for everyone.
 */
const chartHeight = 280;
const colours = ['#000091', '#c9191e', '#18753c', '#716043'];
const lang = document.documentElement.lang === 'en' ? 'en-GB' : 'fr-FR';
const numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
const dayTime = new Intl.DateTimeFormat(lang, {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'Europe/Paris',
});
const dayMonth = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', timeZone: 'Europe/Paris' });
const monthYear = new Intl.DateTimeFormat(lang, {
  month: 'short',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});

function readData(element) {
  const block = document.getElementById(element.dataset.chart || '');
  if (!block) return undefined;
  try {
    const data = JSON.parse(block.textContent || '');
    return Array.isArray(data.x) && Array.isArray(data.series) && data.x.length > 0 ? data : undefined;
  } catch {
    return undefined;
  }
}

function options(data, width) {
  const span = data.x[data.x.length - 1] - data.x[0];
  const axisDate = span > 200 * 86400 ? monthYear : dayMonth;
  return {
    width,
    height: chartHeight,
    scales: { x: { time: true } },
    legend: { live: true },
    series: [
      { label: data.dateLabel, value: (_u, v) => (v == null ? '–' : dayTime.format(new Date(v * 1000))) },
      ...data.series.map((s, i) => ({
        label: s.label,
        stroke: colours[i % colours.length],
        width: 2,
        spanGaps: true,
        points: { show: data.x.length <= 120, size: 5 },
        value: (_u, v) => (v == null ? '–' : `${numbers.format(v)} ${s.unit}`),
      })),
    ],
    axes: [
      // Room for « 14 sept. » or « sept. 2026 » between two ticks.
      { space: 80, values: (_u, splits) => splits.map((v) => axisDate.format(new Date(v * 1000))) },
      { label: data.unit, size: 64, values: (_u, splits) => splits.map((v) => numbers.format(v)) },
    ],
  };
}

const charts = [];
for (const element of document.querySelectorAll('[data-chart]')) {
  const data = readData(element);
  if (!data) continue;
  element.hidden = false;
  const width = Math.max(element.clientWidth, 280);
  const values = [data.x, ...data.series.map((s) => s.values)];
  charts.push({ element, chart: new uPlot(options(data, width), values, element) });
}

let resizing;
window.addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => {
    for (const { element, chart } of charts)
      chart.setSize({ width: Math.max(element.clientWidth, 280), height: chartHeight });
  }, 150);
});
