import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { Study } from '../index.js';
import { buildCharts } from './charts.js';
import { collectReport, metricNames, type ReportData } from './data.js';
import { renderCsv, renderHtml, renderJson, renderMarkdown, type ReportFormat } from './format.js';

/** Options of {@link writeReport}. */
export interface WriteReportOptions {
  /** The folder the files go to; created when missing. */
  outDir: string;
  /** Which files to write. Default `['html']`. */
  formats?: readonly ReportFormat[];
}

const FILE_NAMES: Readonly<Record<ReportFormat, string>> = Object.freeze({
  html: 'report.html',
  md: 'report.md',
  json: 'report.json',
  csv: 'trials.csv',
});

/** Reads a study's trials and computes the report's data. */
export async function studyReport(study: Study): Promise<ReportData> {
  const [trials, attrs] = await Promise.all([study.getTrials(), study.userAttrs]);
  const metrics = metricNames(attrs, study.directions.length);
  return collectReport(study.studyName, study.directions, metrics, trials);
}

/**
 * Writes a study's report in each of `formats` and returns the absolute paths written, in
 * the order of `formats`.
 */
export async function writeReport(study: Study, options: WriteReportOptions): Promise<string[]> {
  const formats = options.formats ?? ['html'];
  const data = await studyReport(study);
  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const paths: string[] = [];
  for (const format of formats) {
    const path = join(outDir, FILE_NAMES[format]);
    writeFileSync(path, await render(format, data));
    paths.push(path);
  }
  return paths;
}

async function render(format: ReportFormat, data: ReportData): Promise<string> {
  switch (format) {
    case 'html':
      return renderHtml(data, await buildCharts(data));
    case 'md':
      return renderMarkdown(data);
    case 'json':
      return renderJson(data);
    case 'csv':
      return renderCsv(data);
  }
}
