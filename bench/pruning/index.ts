/**
 * Pruning benchmark: steps consumed and results reached by each pruner on a simulated
 * learning-curve problem (problem.ts), 100 trials of up to 50 steps, seeds 0..9, medians over
 * seeds; Optuna 4.1's pruners run on the same curves in the same run
 * (python/optuna_pruning.py), skipped when ../shared/tools/optuna-python is missing.
 *
 * Run: npm run bench:pruning  [-- --random] [-- --quick] [-- --curves typical]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { RandomSampler, setLogLevel, TPESampler, type Sampler } from '../../src/index.js';
import { setCurves, type Curves } from './problem.js';
import { pruners, runStudy, type StudyResult } from './run.js';

setLogLevel('silent');

const here = dirname(fileURLToPath(import.meta.url));
const N_TRIALS = 100;
const SEEDS = process.argv.includes('--quick') ? [0, 1] : [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const SAMPLER = process.argv.includes('--random') ? 'random' : 'tpe';
const CURVES: Curves = process.argv.includes('typical') ? 'typical' : 'crossing';
setCurves(CURVES);

/** Medians over seeds: steps, the headline value (best loss or HV) and the true best loss. */
interface Row {
  steps: number;
  value: number;
  trueValue: number;
}

function sampler(seed: number): Sampler {
  return SAMPLER === 'tpe' ? new TPESampler({ seed }) : new RandomSampler({ seed });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function measure(nObjectives: number): Promise<Record<string, Row>> {
  const rows: Record<string, Row> = {};
  for (const [name, make] of Object.entries(pruners(nObjectives))) {
    const results: StudyResult[] = [];
    for (const seed of SEEDS) {
      results.push(await runStudy(nObjectives, seed, make(), sampler(seed), N_TRIALS));
    }
    rows[name] = {
      steps: median(results.map((r) => r.steps)),
      value: median(results.map((r) => (nObjectives === 1 ? r.best : r.hypervolume))),
      trueValue: median(results.map((r) => r.trueBest)),
    };
  }
  return rows;
}

type Baseline = Record<'single' | 'multi', Record<string, Row>>;

function optunaBaseline(): Baseline | undefined {
  const python = join(here, '..', '..', '..', 'shared', 'tools', 'optuna-python');
  if (!existsSync(python)) return undefined;
  const script = join(here, 'python', 'optuna_pruning.py');
  const args = [script, String(N_TRIALS), SEEDS.join(','), SAMPLER, CURVES];
  return JSON.parse(execFileSync(python, args, { encoding: 'utf8' })) as Baseline;
}

function format(row: Row | undefined, none: Row | undefined, digits: number): string {
  if (row === undefined || none === undefined) return '   (cannot prune)'.padEnd(40);
  return (
    `${String(row.steps).padStart(6)} ${(row.steps / none.steps).toFixed(3)} ` +
    `${row.value.toFixed(digits)} ${(row.value / none.value).toFixed(3)} ` +
    `${row.trueValue.toFixed(4)}`
  ).padEnd(40);
}

function table(title: string, ours: Record<string, Row>, theirs?: Record<string, Row>): string {
  const metric = title.startsWith('two') ? 'HV    ' : 'best  ';
  const header = ` steps  ratio ${metric} ratio  true  `.padEnd(40);
  const lines = [
    title,
    `${'pruner'.padEnd(15)}|${'hpo'.padEnd(40)}| Optuna 4.1`,
    `${''.padEnd(15)}|${header}|${header}`,
  ];
  const names = new Set([...Object.keys(ours), ...Object.keys(theirs ?? {})]);
  for (const name of names) {
    const hpo = ours[name] ? format(ours[name], ours.none, 4) : ''.padEnd(40);
    const optuna = theirs ? format(theirs[name], theirs.none, 4) : 'skipped';
    lines.push(`${name.padEnd(15)}|${hpo}|${optuna}`);
  }
  return lines.join('\n');
}

function verdicts(single: Record<string, Row>, multi: Record<string, Row>): string[] {
  const pct = (a: number, b: number) => `${((a / b - 1) * 100).toFixed(1)}%`;
  const lines = [
    'targets (hpo): SO steps <= 0.333 of none and best within 2%; ' +
      'MO HV >= 95% of none with steps <= 0.5',
  ];
  for (const name of ['halving', 'hyperband', 'halving-min5', 'hyperband-min5']) {
    const row = single[name]!;
    lines.push(
      `  SO ${name}: steps ${(row.steps / single.none!.steps).toFixed(3)}, best ` +
        `${pct(row.value, single.none!.value)}, ` +
        `true best ${pct(row.trueValue, single.none!.trueValue)}`,
    );
  }
  const moNames = ['halving', 'hyperband', 'halving-min5', 'hyperband-min5', 'pareto'];
  for (const name of [...moNames, 'pareto-0.3']) {
    const row = multi[name]!;
    lines.push(
      `  MO ${name}: HV ${((row.value / multi.none!.value) * 100).toFixed(1)}% of none, ` +
        `steps ${(row.steps / multi.none!.steps).toFixed(3)}`,
    );
  }
  return lines;
}

const single = await measure(1);
const multi = await measure(2);
let optuna: Baseline | undefined;
try {
  optuna = optunaBaseline();
  if (optuna === undefined) {
    console.log('Optuna baseline skipped: ../shared/tools/optuna-python not found.');
  }
} catch (error) {
  console.log(`Optuna baseline skipped: it failed with ${(error as Error).message}`);
}
console.log(
  `pruning benchmark: ${N_TRIALS} trials of up to 50 steps, seeds ${SEEDS.join(',')}, ` +
    `${SAMPLER} sampler, ${CURVES} curves; medians over seeds. "true" is the noise-free ` +
    'final loss of the configuration each study picked.',
);
const singleTitle = 'single objective: best reported final loss (lower is better)';
const multiTitle = 'two objectives: hypervolume of completed trials, reference (1.2, 1.2)';
console.log(table(singleTitle, single, optuna?.single));
console.log();
console.log(table(multiTitle, multi, optuna?.multi));
console.log();
console.log(verdicts(single, multi).join('\n'));
