/**
 * bench/storage: the ask/tell loop with RandomSampler over a 10-parameter space and a trivial
 * objective, in memory and on SQLite (with and without 10 reports per trial), next to the same
 * loop on Optuna 4.1 in the same run. Prints milliseconds per trial around trials 100, 500 and
 * 1000, and the ratios; in-memory figures are the median of three runs. Run:
 * `npm run bench:storage` (add `--trials N` to change the count).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  createStudy,
  RandomSampler,
  setLogLevel,
  SqliteStorage,
  type Storage,
} from '../../src/index.js';

setLogLevel('silent');

const here = fileURLToPath(new URL('.', import.meta.url));
const optunaPython =
  process.env['HPO_OPTUNA_PYTHON'] ?? join(here, '../../../shared/tools/optuna-python');
const nTrials = Number(argValue('--trials') ?? 1000);
const checkpoints = [100, 500, 1000].filter((n) => n <= nTrials);

interface Case {
  name: string;
  kind: 'memory' | 'sqlite';
  reports: number;
}

const cases: Case[] = [
  { name: 'in memory', kind: 'memory', reports: 0 },
  { name: 'SQLite', kind: 'sqlite', reports: 0 },
  { name: 'SQLite + 10 reports', kind: 'sqlite', reports: 10 },
];

function argValue(flag: string): string | undefined {
  const index = process.argv.indexOf(flag);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/** One trial of the benchmark's objective: 10 parameters, optional reports. */
async function hpoLoop(storage: Storage | undefined, reports: number): Promise<number[]> {
  const study = await createStudy({ storage, sampler: new RandomSampler({ seed: 0 }) });
  const times: number[] = [];
  for (let n = 0; n < nTrials; n++) {
    const start = performance.now();
    const trial = await study.ask();
    let value = 0;
    for (let i = 0; i < 6; i++) {
      value += trial.suggestFloat(`f${i}`, i < 2 ? 1e-5 : 0, 1, { log: i < 2 });
    }
    value += trial.suggestInt('i0', 1, 100);
    value += trial.suggestInt('i1', 0, 16, { step: 2 });
    trial.suggestCategorical('c0', ['a', 'b', 'c', 'd']);
    trial.suggestCategorical('c1', [1, 2, 4, 8]);
    for (let step = 0; step < reports; step++) trial.report(value / (step + 1), step);
    await study.tell(trial, value);
    times.push(performance.now() - start);
  }
  return times;
}

function optunaLoop(kind: string, reports: number, dir: string, run: number): number[] | string {
  if (!existsSync(optunaPython)) return `no Optuna interpreter at ${optunaPython}`;
  const db = join(dir, `optuna-${kind}-${reports}-${run}.db`);
  const result = spawnSync(
    optunaPython,
    [join(here, 'optuna_loop.py'), kind, String(nTrials), String(reports), db],
    {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (result.status !== 0) return `Optuna run failed: ${result.stderr.trim().split('\n').pop()}`;
  return JSON.parse(result.stdout) as number[];
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}

/** Mean milliseconds per trial over the 10% of trials that end at `n` (at least 10 trials). */
function around(times: readonly number[], n: number): number {
  const width = Math.max(10, Math.round(n / 10));
  const window = times.slice(Math.max(0, n - width), n);
  return window.reduce((sum, t) => sum + t, 0) / window.length;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hpo-bench-storage-'));
  console.log(`bench/storage: ${nTrials} trials, RandomSampler, 10 parameters; ms per trial`);
  console.log(['case', 'at', 'hpo ms', 'Optuna ms', 'Optuna / hpo'].join('\t'));
  try {
    for (const { name, kind, reports } of cases) {
      // The in-memory loops take about a second: repeat them and keep the median window, so
      // that one pause of the machine does not decide the figure. SQLite loops run once.
      const repeats = kind === 'memory' ? 3 : 1;
      const hpo: number[][] = [];
      const optuna: (number[] | string)[] = [];
      for (let r = 0; r < repeats; r++) {
        const file = join(dir, `hpo-${reports}-${r}.db`);
        const storage = kind === 'memory' ? undefined : new SqliteStorage(file);
        hpo.push(await hpoLoop(storage, reports));
        await storage?.close();
        optuna.push(optunaLoop(kind, reports, dir, r));
      }
      const failure = optuna.find((run): run is string => typeof run === 'string');
      for (const n of checkpoints) {
        const ours = median(hpo.map((times) => around(times, n)));
        const theirs =
          failure === undefined ? median(optuna.map((t) => around(t as number[], n))) : undefined;
        const ratio = theirs === undefined ? 'skipped' : (theirs / ours).toFixed(1);
        const shown = theirs === undefined ? '-' : theirs.toFixed(3);
        console.log([name, n, ours.toFixed(3), shown, ratio].join('\t'));
      }
      if (failure !== undefined) console.log(`  (${failure}; Optuna columns skipped)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
