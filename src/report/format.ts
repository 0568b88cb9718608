/**
 * The report's text formats: one self-contained HTML page (styles and SVG charts inline, no
 * script, no link to fetch), Markdown, JSON and a CSV of every trial.
 */
import type { Chart } from './charts.js';
import type { ReportData, ReportTrial } from './data.js';

/** The formats `hpo report` writes. */
export type ReportFormat = 'html' | 'md' | 'json' | 'csv';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 12px; margin: .5rem 0; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: right; }
th { background: #f4f4f4; } td.text { text-align: left; }
figure { display: inline-block; margin: .5rem 1rem .5rem 0; vertical-align: top; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
.note { color: #666; font-size: 12px; }
`;

/** Formats a number for a table: integers plainly, others to 4 significant digits. */
export function formatNumber(value: unknown): string {
  if (typeof value !== 'number') return value === null || value === undefined ? '' : String(value);
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1e4 || Math.abs(value) < 1e-3
    ? value.toExponential(3)
    : value.toPrecision(4);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The columns of the front table: number, objectives, then every parameter. */
function frontColumns(data: ReportData): { header: string[]; rows: string[][] } {
  const front = data.trials.filter((trial) => trial.onFront);
  const params = [...new Set(front.flatMap((trial) => Object.keys(trial.params)))].sort();
  const header = ['trial', ...data.metrics, ...params, 'seconds', 'checkpoint'];
  const rows = front.map((trial) => [
    `#${trial.number}`,
    ...data.metrics.map((_, k) => formatNumber(trial.values?.[k])),
    ...params.map((param) => formatNumber(trial.params[param])),
    formatNumber(trial.seconds),
    trial.checkpoint ?? '',
  ]);
  return { header, rows };
}

function htmlTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const head = header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function countRows(data: ReportData): string[][] {
  return Object.entries(data.counts).map(([state, n]) => [state, String(n)]);
}

function summary(data: ReportData): string {
  const objectives = data.metrics.map((metric, k) => `${metric} (${data.directions[k]})`);
  return (
    `${data.trials.length} trials; objectives: ${objectives.join(', ')}; ` +
    `${data.trialSeconds.toFixed(1)} s of trials in ${data.wallSeconds.toFixed(1)} s wall time.`
  );
}

/** The HTML page. */
export function renderHtml(data: ReportData, charts: readonly Chart[]): string {
  const front = frontColumns(data);
  const figures = charts
    .map(
      (chart) =>
        `<figure id="${chart.id}" class="chart">` +
        `<figcaption>${escapeHtml(chart.title)}</figcaption>\n${chart.svg}</figure>`,
    )
    .join('\n');
  const title = `hpo report: ${escapeHtml(data.studyName)}`;
  const frontName = data.metrics.length > 1 ? 'Pareto front' : 'Best trial';
  const frontTitle = `${frontName} (${front.rows.length})`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${STYLE}</style></head>
<body>
<h1>${title}</h1>
<p>${escapeHtml(summary(data))} Generated ${escapeHtml(data.generatedAt)}.</p>
<h2>Charts</h2>
${figures || '<p class="note">No COMPLETE trial yet, so nothing to chart.</p>'}
<p class="note">Parameter importance: ${escapeHtml(data.importanceMethod)}.</p>
<h2 id="front">${frontTitle}</h2>
${htmlTable(front.header, front.rows)}
<h2 id="counts">Trials by state</h2>
${htmlTable(['state', 'trials'], countRows(data))}
</body></html>
`;
}

function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The Markdown report (tables only; the charts are in the HTML). */
export function renderMarkdown(data: ReportData): string {
  const front = frontColumns(data);
  const importance = data.importance.map((row) => [
    row.metric,
    row.param,
    formatNumber(row.importance),
  ]);
  return [
    `# hpo report: ${data.studyName}`,
    '',
    summary(data),
    '',
    `## ${data.metrics.length > 1 ? 'Pareto front' : 'Best trial'}`,
    '',
    mdTable(front.header, front.rows),
    '',
    '## Trials by state',
    '',
    mdTable(['state', 'trials'], countRows(data)),
    '',
    '## Parameter importance',
    '',
    `Method: ${data.importanceMethod}.`,
    '',
    importance.length > 0
      ? mdTable(['objective', 'parameter', 'importance'], importance)
      : 'Too few COMPLETE trials.',
    '',
  ].join('\n');
}

function csvCell(value: unknown): string {
  const text = formatCsvValue(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function formatCsvValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One CSV row per trial: number, state, each objective, each parameter, seconds, front. */
export function renderCsv(data: ReportData): string {
  const params = [...new Set(data.trials.flatMap((trial) => Object.keys(trial.params)))].sort();
  const header = [
    'number',
    'state',
    ...data.metrics,
    ...params.map((p) => `params.${p}`),
    'seconds',
    'on_front',
  ];
  const row = (trial: ReportTrial): unknown[] => [
    trial.number,
    trial.state,
    ...data.metrics.map((_, k) => trial.values?.[k]),
    ...params.map((param) => trial.params[param]),
    trial.seconds,
    trial.onFront,
  ];
  return (
    [header, ...data.trials.map(row)].map((cells) => cells.map(csvCell).join(',')).join('\n') + '\n'
  );
}

/** The JSON report: the report data itself. */
export function renderJson(data: ReportData): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}
