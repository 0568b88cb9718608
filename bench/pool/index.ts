/**
 * Worker-pool benchmark: per-trial cost of an empty objective in process vs through the pool
 * (steady state and pool start-up apart), and MultiDigits trials per hour with 1 and 2
 * workers. Run: npm run bench:pool. Started from source, it compiles the project with tsc into
 * node_modules/.cache/hpo-bench and runs the compiled copy, so worker threads start as they do
 * in a build (no TypeScript loader in each thread). BENCH_EMPTY_TRIALS and BENCH_DIGIT_TRIALS
 * set the trial counts. No Optuna baseline: Optuna has no thread pool (its n_jobs shares one
 * interpreter).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createStudy, setLogLevel, type FrozenTrial, type Study } from '../../src/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Compiles the project and runs this benchmark's compiled copy; returns its exit code. */
function runCompiled(): number {
  const out = join(root, 'node_modules', '.cache', 'hpo-bench');
  console.log(`compiling with tsc into ${out} ...`);
  try {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.test.json', '--outDir', out], { cwd: root });
  } catch {
    // Type errors elsewhere in a shared tree do not stop tsc from emitting JavaScript.
    console.log('tsc reported type errors; running the JavaScript it emitted anyway.');
  }
  // Under node_modules, Node looks for no package.json above: say the output is ESM here.
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  const script = join(out, 'bench', 'pool', 'index.js');
  return spawnSync(process.execPath, [script], { stdio: 'inherit' }).status ?? 1;
}

async function main(): Promise<void> {
  setLogLevel('warn');
  // Worker threads read their level from the environment.
  process.env['HPO_LOG_LEVEL'] = 'warn';
  const dir = mkdtempSync(join(tmpdir(), 'hpo-bench-pool-'));
  try {
    await emptyTrials(dir);
    await digitTrials(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fixtures = fileURLToPath(new URL('../../test/fixtures/runner-bench.js', import.meta.url));
let counter = 0;
const sqliteStudy = (dir: string): Promise<Study> =>
  createStudy({ storage: `sqlite:${join(dir, `b${counter++}.db`)}` });

/** The load averages over 1, 5 and 15 minutes, as `uptime` prints them. */
const load = (): string =>
  `load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`;

/** Runs the module export through a pool; returns the wall time and each trial's finish time. */
async function pooled(
  study: Study,
  exportName: string,
  nTrials: number,
  workers: number,
): Promise<{ ms: number; done: number[]; trials: FrozenTrial[]; cores: number }> {
  const done: number[] = [];
  const trials: FrozenTrial[] = [];
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const record = (_study: Study, trial: FrozenTrial): void => {
    done.push(performance.now() - start);
    trials.push(trial);
  };
  await study.optimize({ module: fixtures, exportName }, { nTrials, workers, callbacks: [record] });
  const ms = performance.now() - start;
  const { user, system } = process.cpuUsage(cpuStart);
  // CPU time of every thread of this process over the wall time: the cores it got.
  return { ms, done, trials, cores: (user + system) / 1000 / ms };
}

async function emptyTrials(dir: string): Promise<void> {
  const n = Number(process.env['BENCH_EMPTY_TRIALS'] ?? 500);
  const { empty, createSampler } = (await import(
    fixtures
  )) as typeof import('../../test/fixtures/runner-bench.js');
  const local = await createStudy({
    storage: `sqlite:${join(dir, 'local.db')}`,
    sampler: createSampler({ threadId: 0 }),
  });
  await local.optimize(empty, { nTrials: 20 }); // warm the JIT and the store's statements
  const start = performance.now();
  await local.optimize(empty, { nTrials: n });
  const msLocal = (performance.now() - start) / n;
  console.log(`empty trial in process (SQLite store): ${msLocal.toFixed(2)} ms/trial  [${load()}]`);

  const { ms, done } = await pooled(await sqliteStudy(dir), 'empty', n, 1);
  // Steady state: between the first and the last trial's finish, the thread already running.
  const steady = (done[n - 1]! - done[0]!) / (n - 1);
  console.log(
    `empty trial through a pool of 1, steady state: ${steady.toFixed(2)} ms/trial, ` +
      `overhead ${(steady - msLocal).toFixed(2)} ms/trial  [${load()}]`,
  );
  console.log(
    `pool start-up (pool, thread, module import, store open, first trial): ` +
      `${done[0]!.toFixed(0)} ms; ${n} trials in ${ms.toFixed(0)} ms = ` +
      `${(ms / n).toFixed(2)} ms/trial including start-up`,
  );
}

async function digitTrials(dir: string): Promise<void> {
  const n = Number(process.env['BENCH_DIGIT_TRIALS'] ?? 40);
  const perHour: number[] = [];
  for (const workers of [1, 2]) {
    const { ms, done, trials, cores } = await pooled(await sqliteStudy(dir), 'digits', n, workers);
    // Steady state: from the moment every thread has finished its first trial.
    const steady = ((n - workers) / (done[n - 1]! - done[workers - 1]!)) * 3_600_000;
    perHour.push(steady);
    for (const trial of trials.filter((t) => t.state !== 'COMPLETE')) {
      console.log(`  trial ${trial.number} ${trial.state}: ${trial.systemAttrs['fail_reason']}`);
    }
    const threads = new Set(trials.map((t) => t.userAttrs['threadId']));
    const wasmThreads = new Set(trials.map((t) => t.userAttrs['wasmThreads']));
    const loads = Math.max(...trials.map((t) => Number(t.userAttrs['datasetLoads'])));
    // Time inside trials (ask to tell) vs the threads' wall time: the rest is pool and start-up.
    const inTrials = trials.reduce(
      (sum, t) => sum + (t.datetimeComplete!.getTime() - t.datetimeStart!.getTime()),
      0,
    );
    console.log(
      `MultiDigits 1-epoch trials, ${workers} worker(s): ${steady.toFixed(0)} trials/hour ` +
        `steady, ${((n / ms) * 3_600_000).toFixed(0)} with start-up (${n} trials in ` +
        `${(ms / 1000).toFixed(1)} s, first after ${(done[0]! / 1000).toFixed(1)} s)  [${load()}]`,
    );
    console.log(
      `  ran on ${threads.size} thread(s) using ${cores.toFixed(2)} cores of CPU; ` +
        `WASM threads per worker: ` +
        `${[...wasmThreads].join(',')}; data set loads per thread: ${loads}; mean trial ` +
        `${(inTrials / n).toFixed(0)} ms; threads busy in trials ` +
        `${((100 * inTrials) / (workers * ms)).toFixed(0)}% of the wall time`,
    );
  }
  console.log(`2 workers vs 1: ${(perHour[1]! / perHour[0]!).toFixed(2)}× trials per hour`);
}

if (import.meta.url.endsWith('.ts')) process.exit(runCompiled());
else await main();
