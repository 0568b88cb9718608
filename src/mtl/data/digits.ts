import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

import { HpoError, Random, ValueError } from '../../index.js';
import { cutSplits, permutation, type DataSplit, type MultiTaskDataset } from './dataset.js';

/** The checksum of `data/digits/digits.csv.gz`, from its README. */
export const DIGITS_SHA256 = '46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a';

const SIDE = 8;
const PIXEL_MAX = 16;

/** The UCI digits: `n` images of 8×8 pixels scaled to [0, 1], and their labels. */
export interface Digits {
  readonly n: number;
  readonly pixels: Float32Array;
  readonly labels: Uint8Array;
}

/** Options of {@link loadMultiDigits}. */
export interface MultiDigitsOptions {
  /** Seed of the source split and of the pairing. Default 0. */
  seed?: number;
  /** Image pairs drawn for each split. Defaults 4000, 1000, 1000. */
  nTrain?: number;
  nValidation?: number;
  nTest?: number;
  /** Columns shared by the two digits on the canvas, 0..7. Default 2 (canvas 8×14). */
  overlap?: number;
  /** Path of `digits.csv.gz`; default: the copy in the package's `data/digits/`. */
  path?: string;
}

const DEFAULTS: Readonly<Required<Omit<MultiDigitsOptions, 'path'>>> = Object.freeze({
  seed: 0,
  nTrain: 4000,
  nValidation: 1000,
  nTest: 1000,
  overlap: 2,
});

let cached: { path: string; digits: Digits } | undefined;

/**
 * Reads the UCI digits, checking the file's sha256 first.
 * @throws {HpoError} when the file is missing, its checksum differs, or a row is malformed.
 */
export function loadDigits(path: string = defaultDigitsPath()): Digits {
  if (cached?.path === path) return cached.digits;
  const packed = readFileSync(path);
  const sha = createHash('sha256').update(packed).digest('hex');
  if (sha !== DIGITS_SHA256) {
    throw new HpoError(
      `the digits file must have sha256 ${DIGITS_SHA256}, but ${path} has ${sha}; ` +
        'restore it from the hpo package.',
    );
  }
  const digits = parseDigits(gunzipSync(packed).toString('utf8'), path);
  cached = { path, digits };
  return digits;
}

function parseDigits(text: string, path: string): Digits {
  const rows = text.split('\n').filter((line) => line.trim().length > 0);
  const pixels = new Float32Array(rows.length * SIDE * SIDE);
  const labels = new Uint8Array(rows.length);
  rows.forEach((line, row) => {
    const cells = line.split(',').map(Number);
    if (cells.length !== SIDE * SIDE + 1 || cells.some((cell) => !Number.isInteger(cell))) {
      throw new HpoError(`row ${row + 1} of ${path} must hold 65 integers, but got "${line}".`);
    }
    for (let i = 0; i < SIDE * SIDE; i++) pixels[row * SIDE * SIDE + i] = cells[i]! / PIXEL_MAX;
    labels[row] = cells[SIDE * SIDE]!;
  });
  return { n: rows.length, pixels, labels };
}

/** The packaged copy of the digits, found by walking up from this module (src, dist, build). */
export function defaultDigitsPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 8; up++) {
    const candidate = join(dir, 'data', 'digits', 'digits.csv.gz');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new HpoError('data/digits/digits.csv.gz was not found above ' + import.meta.url + '.');
}

/**
 * MultiDigits, the 8×8 analogue of MultiMNIST (Sener & Koltun, 2018): two digit images side by
 * side on one canvas whose middle `overlap` columns they share (pixels combined by maximum).
 * Tasks: `left` and `right` (the two classes, 10 each) and `sum` (their sum, a regression).
 * Source images are split first (seeded), so no image appears in two splits; pairs are then
 * drawn within each split.
 * @throws {ValueError} for counts that are not positive integers or an overlap outside 0..7.
 */
export function loadMultiDigits(options: MultiDigitsOptions = {}): MultiTaskDataset {
  const resolved = { ...DEFAULTS, ...options };
  checkOptions(resolved);
  const digits = loadDigits(options.path);
  const random = new Random(resolved.seed);
  const sources = cutSplits(
    permutation(digits.n, () => random.uniform()),
    {
      validation: 0.2,
      test: 0.2,
    },
  );
  const width = 2 * SIDE - resolved.overlap;
  const pair = (pool: Int32Array, n: number): DataSplit =>
    drawPairs(digits, pool, n, resolved.overlap, random);
  return {
    name: `MultiDigits(overlap=${resolved.overlap}, seed=${resolved.seed})`,
    nFeatures: SIDE * width,
    tasks: [
      { name: 'left', kind: 'classification', nClasses: 10 },
      { name: 'right', kind: 'classification', nClasses: 10 },
      { name: 'sum', kind: 'regression' },
    ],
    train: pair(sources.train, resolved.nTrain),
    validation: pair(sources.validation, resolved.nValidation),
    test: pair(sources.test, resolved.nTest),
  };
}

function checkOptions(options: Required<Omit<MultiDigitsOptions, 'path'>>): void {
  for (const key of ['nTrain', 'nValidation', 'nTest'] as const) {
    const value = options[key];
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new ValueError(
        `loadMultiDigits: ${key} must be an integer >= 1, but got ${key}=${value}.`,
      );
    }
  }
  const { overlap } = options;
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= SIDE) {
    throw new ValueError(
      `loadMultiDigits: overlap must be an integer in 0..7, but got overlap=${overlap}.`,
    );
  }
}

function drawPairs(
  digits: Digits,
  pool: Int32Array,
  n: number,
  overlap: number,
  random: Random,
): DataSplit {
  const width = 2 * SIDE - overlap;
  const x = new Float32Array(n * SIDE * width);
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  const sum = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const a = pool[random.integer(pool.length)]!;
    const b = pool[random.integer(pool.length)]!;
    paint(x, k * SIDE * width, width, digits.pixels, a, 0);
    paint(x, k * SIDE * width, width, digits.pixels, b, SIDE - overlap);
    left[k] = digits.labels[a]!;
    right[k] = digits.labels[b]!;
    sum[k] = left[k]! + right[k]!;
  }
  return { n, x, targets: { left, right, sum } };
}

/** Draws image `index` onto the canvas at column `offset`, keeping the brighter pixel. */
function paint(
  canvas: Float32Array,
  start: number,
  width: number,
  pixels: Float32Array,
  index: number,
  offset: number,
): void {
  for (let row = 0; row < SIDE; row++) {
    for (let col = 0; col < SIDE; col++) {
      const at = start + row * width + offset + col;
      canvas[at] = Math.max(canvas[at]!, pixels[(index * SIDE + row) * SIDE + col]!);
    }
  }
}
