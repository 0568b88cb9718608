/**
 * Worker-pool benchmark: per-trial cost of an empty objective in process vs through the pool,
 * and MultiDigits trials per hour with 1 and 2 workers. Run: npm run bench:pool.
 * No Optuna baseline: Optuna has no thread pool (its n_jobs shares one interpreter).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { createStudy, RandomSampler, setLogLevel } from '../../src/index.js';

setLogLevel('warn');
// Worker threads read their level from the environment.
process.env['HPO_LOG_LEVEL'] = 'warn';
const dir = mkdtempSync(join(tmpdir(), 'hpo-bench-pool-'));
const fixtures = fileURLToPath(new URL('../../test/fixtures/runner-bench.ts', import.meta.url));
let counter = 0;
const sqlite = (): string => `sqlite:${join(dir, `b${counter++}.db`)}`;

async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

const nEmpty = Number(process.env['BENCH_EMPTY_TRIALS'] ?? 200);
const { empty } = await import(fixtures);
const inProcess = await createStudy({ storage: sqlite(), sampler: new RandomSampler({ seed: 1 }) });
const msInProcess = await timed(() => inProcess.optimize(empty, { nTrials: nEmpty }));
const pooled = await createStudy({ storage: sqlite() });
// Warm the pool's threads first so that thread start-up is not charged to the trials.
await pooled.optimize({ module: fixtures, exportName: 'empty' }, { nTrials: 2, workers: 1 });
const msPool = await timed(() =>
  pooled.optimize({ module: fixtures, exportName: 'empty' }, { nTrials: nEmpty, workers: 1 }),
);
console.log(`empty trial, SQLite store, in process: ${(msInProcess / nEmpty).toFixed(2)} ms/trial`);
console.log(
  `empty trial, SQLite store, pool of 1 (incl. start): ${(msPool / nEmpty).toFixed(2)} ms/trial`,
);
console.log(`pool overhead: ${((msPool - msInProcess) / nEmpty).toFixed(2)} ms/trial`);

const nDigits = Number(process.env['BENCH_DIGIT_TRIALS'] ?? 6);
for (const workers of [1, 2]) {
  const study = await createStudy({ storage: sqlite() });
  const ms = await timed(() =>
    study.optimize({ module: fixtures, exportName: 'digits' }, { nTrials: nDigits, workers }),
  );
  const perHour = (nDigits / ms) * 3_600_000;
  console.log(
    `MultiDigits 1-epoch trials, ${workers} worker(s): ${perHour.toFixed(0)} trials/hour ` +
      `(${nDigits} trials in ${(ms / 1000).toFixed(1)} s)`,
  );
}
rmSync(dir, { recursive: true, force: true });
