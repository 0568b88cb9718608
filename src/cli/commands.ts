/** `hpo report`, `hpo studies` and `hpo best`: read-only commands on a stored study. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import {
  listStudies,
  loadStudy,
  StudyNotFoundError,
  type FrozenTrial,
  type Study,
} from '../index.js';
import { metricNames } from '../report/data.js';
import { formatNumber, type ReportFormat } from '../report/format.js';
import { EXIT, UsageError } from './errors.js';
import type { CliStreams } from './run.js';

/** The store a study lives in when no `--storage` is given: the study file's default. */
export function defaultStorage(studyName: string): string {
  return `sqlite:studies/${studyName}.db`;
}

async function open(studyName: string, storage: string | undefined): Promise<Study> {
  const url = storage ?? defaultStorage(studyName);
  if (storage === undefined && !existsSync(url.slice('sqlite:'.length))) {
    throw new UsageError(
      `no store for study "${studyName}" at ${url.slice('sqlite:'.length)}; pass --storage URL.`,
    );
  }
  try {
    return await loadStudy({ studyName, storage: url });
  } catch (error) {
    if (error instanceof StudyNotFoundError) throw new UsageError(error.message);
    throw error;
  }
}

/** Writes a report and prints the path of each file written. */
export async function reportCommand(
  studyName: string,
  flags: { storage?: string; out?: string; format: ReportFormat },
  io: CliStreams,
): Promise<number> {
  const study = await open(studyName, flags.storage);
  const outDir = flags.out ?? `reports/${studyName}`;
  const { writeReport } = await import('../report/write.js');
  for (const path of await writeReport(study, { outDir, formats: [flags.format] })) {
    io.stdout.write(`${path}\n`);
  }
  return EXIT.ok;
}

/** Lists the studies of one store, or of every `studies/*.db` in the working directory. */
export async function studiesCommand(flags: { storage?: string }, io: CliStreams): Promise<number> {
  const urls = flags.storage !== undefined ? [flags.storage] : localStores();
  const rows: string[][] = [];
  for (const url of urls) {
    for (const study of await listStudies(url)) {
      rows.push([
        study.studyName,
        study.directions.join(','),
        String(study.nTrials),
        study.bestValues?.map(formatNumber).join(',') ?? '-',
        study.datetimeStart?.toISOString() ?? '-',
        url,
      ]);
    }
  }
  io.stdout.write(table(['study', 'directions', 'trials', 'best', 'started', 'storage'], rows));
  return EXIT.ok;
}

function localStores(): string[] {
  if (!existsSync('studies')) return [];
  return readdirSync('studies')
    .filter((name) => name.endsWith('.db'))
    .sort()
    .map((name) => `sqlite:${join('studies', name)}`);
}

/** Prints the best trial, or each trial of the Pareto front, with values and parameters. */
export async function bestCommand(
  studyName: string,
  flags: { storage?: string },
  io: CliStreams,
): Promise<number> {
  const study = await open(studyName, flags.storage);
  const best = await study.bestTrials;
  if (best.length === 0) {
    io.stderr.write(`hpo: study "${studyName}" has no COMPLETE trial yet.\n`);
    return EXIT.failed;
  }
  const metrics = metricNames(await study.userAttrs, study.directions.length);
  const shown = study.directions.length === 1 ? [await study.bestTrial] : best;
  for (const trial of shown) io.stdout.write(`${describeTrial(trial, metrics)}\n`);
  return EXIT.ok;
}

function describeTrial(trial: FrozenTrial, metrics: readonly string[]): string {
  const values = metrics.map((metric, k) => `${metric}=${formatNumber(trial.values?.[k])}`);
  const params = Object.entries(trial.params).map(([name, v]) => `${name}=${formatNumber(v)}`);
  return `trial ${trial.number}: ${values.join(' ')} | ${params.join(' ')}`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
