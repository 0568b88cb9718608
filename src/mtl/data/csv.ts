import { readFileSync } from 'node:fs';

import { HpoError, Random, ValueError } from '../../index.js';
import {
  cutSplits,
  permutation,
  type DataSplit,
  type MultiTaskDataset,
  type SplitFractions,
  type TaskKind,
  type TaskSpec,
} from './dataset.js';

/** One task of a CSV data set: its target column and whether it is a class or a number. */
export interface CsvTask {
  /** The task's name; default: the column's name. */
  name?: string;
  column: string;
  kind: TaskKind;
}

/** Options of {@link loadCsvDataset}. */
export interface CsvDatasetOptions {
  /** One entry per task. */
  tasks: readonly CsvTask[];
  /** Feature columns; default: every column that is not a target. */
  features?: readonly string[];
  /** Fractions of rows kept for validation and test. Default 0.2 each. */
  split?: SplitFractions;
  /** Seed of the row split. Default 0. */
  seed?: number;
}

/**
 * Reads a user's multi-task data set from a CSV file with a header row. Feature cells and
 * regression targets must be numbers; classification targets may be any text (classes are
 * numbered in sorted order of their labels). Features are standardized with the training
 * split's mean and deviation. Rows are split at random (seeded) into disjoint parts.
 * @throws {HpoError} for an empty file, a missing column or a non-numeric cell, naming the row.
 */
export function loadCsvDataset(path: string, options: CsvDatasetOptions): MultiTaskDataset {
  return parseCsvDataset(readFileSync(path, 'utf8'), options, path);
}

/** {@link loadCsvDataset} on text already in memory; `source` names it in messages. */
export function parseCsvDataset(
  text: string,
  options: CsvDatasetOptions,
  source = 'the CSV text',
): MultiTaskDataset {
  const { header, rows } = splitCsv(text, source);
  const columns = resolveColumns(header, options, source);
  const n = rows.length;
  const x = new Float32Array(n * columns.features.length);
  rows.forEach((cells, row) => {
    columns.features.forEach((column, j) => {
      x[row * columns.features.length + j] = numeric(cells, column, header, row, source);
    });
  });
  const { specs, targets } = readTargets(rows, header, columns.tasks, source);
  const fractions = { validation: 0.2, test: 0.2, ...options.split };
  checkFractions(fractions);
  const random = new Random(options.seed ?? 0);
  const parts = cutSplits(
    permutation(n, () => random.uniform()),
    fractions,
  );
  if (parts.train.length === 0) {
    throw new HpoError(`${source} has ${n} data rows, too few to leave any for training.`);
  }
  const nFeatures = columns.features.length;
  const split = (rows: Int32Array): DataSplit => take(x, nFeatures, targets, rows);
  const data = { train: split(parts.train), validation: split(parts.validation) };
  const test = split(parts.test);
  standardize([data.train, data.validation, test], nFeatures);
  return { name: source, nFeatures, tasks: specs, ...data, test };
}

function splitCsv(text: string, source: string): { header: string[]; rows: string[][] } {
  const lines = text.split(/\r?\n/).filter((line) => line.trim().length > 0);
  if (lines.length === 0) {
    throw new HpoError(
      `${source} is empty; a data set needs a header row and at least one data ` + `row.`,
    );
  }
  if (lines.length === 1) {
    throw new HpoError(`${source} has a header but no data rows.`);
  }
  const header = lines[0]!.split(',').map((cell) => cell.trim());
  const rows = lines.slice(1).map((line, index) => {
    const cells = line.split(',').map((cell) => cell.trim());
    if (cells.length !== header.length) {
      throw new HpoError(
        `row ${index + 2} of ${source} must have ${header.length} cells like the header, ` +
          `but has ${cells.length}.`,
      );
    }
    return cells;
  });
  return { header, rows };
}

interface Columns {
  features: number[];
  tasks: { spec: CsvTask; index: number }[];
}

function resolveColumns(header: string[], options: CsvDatasetOptions, source: string): Columns {
  if (!Array.isArray(options?.tasks) || options.tasks.length === 0) {
    throw new ValueError(
      `loadCsvDataset: tasks must be a non-empty array, but got ` + `${String(options?.tasks)}.`,
    );
  }
  const find = (column: string, role: string): number => {
    const index = header.indexOf(column);
    if (index < 0) {
      throw new HpoError(
        `${source} has no column "${column}" (${role}); its columns are: ${header.join(', ')}.`,
      );
    }
    return index;
  };
  const tasks = options.tasks.map((spec) => {
    if (spec.kind !== 'classification' && spec.kind !== 'regression') {
      throw new ValueError(
        `loadCsvDataset: a task's kind must be "classification" or "regression", but got ` +
          `kind=${JSON.stringify(spec.kind)} for column "${spec.column}".`,
      );
    }
    return { spec, index: find(spec.column, `target of task ${spec.name ?? spec.column}`) };
  });
  const targetIndices = new Set(tasks.map((task) => task.index));
  const features =
    options.features === undefined
      ? header.map((_, index) => index).filter((index) => !targetIndices.has(index))
      : options.features.map((column) => find(column, 'feature'));
  if (features.length === 0) throw new HpoError(`${source} has no feature columns.`);
  return { features, tasks };
}

function numeric(
  cells: string[],
  column: number,
  header: string[],
  row: number,
  source: string,
): number {
  const cell = cells[column]!;
  const value = cell.length === 0 ? Number.NaN : Number(cell);
  if (!Number.isFinite(value)) {
    throw new HpoError(
      `column "${header[column]}" of ${source} must hold numbers, but row ${row + 2} has ` +
        `${JSON.stringify(cell)}.`,
    );
  }
  return value;
}

function readTargets(
  rows: string[][],
  header: string[],
  tasks: Columns['tasks'],
  source: string,
): { specs: TaskSpec[]; targets: Record<string, Float32Array> } {
  const specs: TaskSpec[] = [];
  const targets: Record<string, Float32Array> = {};
  for (const { spec, index } of tasks) {
    const name = spec.name ?? spec.column;
    const column = new Float32Array(rows.length);
    if (spec.kind === 'regression') {
      rows.forEach((cells, row) => (column[row] = numeric(cells, index, header, row, source)));
      specs.push({ name, kind: 'regression' });
    } else {
      const labels = [...new Set(rows.map((cells) => cells[index]!))].sort();
      const classOf = new Map(labels.map((label, k) => [label, k]));
      rows.forEach((cells, row) => (column[row] = classOf.get(cells[index]!)!));
      specs.push({ name, kind: 'classification', nClasses: labels.length, labels });
    }
    targets[name] = column;
  }
  return { specs, targets };
}

function checkFractions(fractions: Required<SplitFractions>): void {
  const { validation, test } = fractions;
  if (!(validation >= 0 && test >= 0 && validation + test < 1)) {
    throw new ValueError(
      'loadCsvDataset: split fractions must be >= 0 and sum to less than 1, but got ' +
        `validation=${validation}, test=${test}.`,
    );
  }
}

function take(
  x: Float32Array,
  nFeatures: number,
  targets: Record<string, Float32Array>,
  rows: Int32Array,
): DataSplit {
  const part = new Float32Array(rows.length * nFeatures);
  rows.forEach((row, k) =>
    part.set(x.subarray(row * nFeatures, (row + 1) * nFeatures), k * nFeatures),
  );
  const picked: Record<string, Float32Array> = {};
  for (const [name, column] of Object.entries(targets)) {
    picked[name] = Float32Array.from(rows, (row) => column[row]!);
  }
  return { n: rows.length, x: part, targets: picked };
}

/** Centres and scales every feature by the training split's statistics (constant → 1). */
function standardize(splits: DataSplit[], nFeatures: number): void {
  const train = splits[0]!;
  for (let j = 0; j < nFeatures; j++) {
    let mean = 0;
    for (let i = 0; i < train.n; i++) mean += train.x[i * nFeatures + j]!;
    mean /= train.n;
    let variance = 0;
    for (let i = 0; i < train.n; i++) variance += (train.x[i * nFeatures + j]! - mean) ** 2;
    const scale = Math.sqrt(variance / train.n) || 1;
    for (const split of splits) {
      for (let i = 0; i < split.n; i++) {
        split.x[i * nFeatures + j] = (split.x[i * nFeatures + j]! - mean) / scale;
      }
    }
  }
}
