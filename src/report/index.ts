/**
 * Study reports: the Pareto front, progress, parameter importance and counts of a study, as
 * one offline HTML page with static SVG charts, or as Markdown, JSON or CSV.
 */
export { buildCharts, renderSvg, type Chart } from './charts.js';
export { collectReport, metricNames, type ReportData, type ReportTrial } from './data.js';
export { renderCsv, renderHtml, renderJson, renderMarkdown, type ReportFormat } from './format.js';
export { forestImportance, FOREST_DEFAULTS, type ForestOptions } from './importance.js';
export { studyReport, writeReport, type WriteReportOptions } from './write.js';
