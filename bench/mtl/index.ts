/**
 * Multi-task trainer benchmark. Run: npm run bench:mtl.
 * 1. Epoch time of the default MultiDigits model, WASM vs CPU backend.
 * 2. The MultiMNIST table of Sener & Koltun (NeurIPS 2018) rebuilt on MultiDigits: test
 *    accuracy on left and right for single-task models, uniform λ and the λ tuned by a study
 *    (TPE/default sampler on validation error), mean ± sd over seeds, same epochs for each.
 * 3. Accuracy lost by ~2×, 4× and 8× smaller models (quantization and pruning).
 * Sizes shrink with BENCH_EPOCHS, BENCH_SEEDS and BENCH_TUNE_TRIALS. No Optuna baseline: the
 * figures are about the trainer, not the sampler.
 */
import * as tf from '@tensorflow/tfjs';

import { createStudy, setLogLevel } from '../../src/index.js';
import {
  initBackend,
  loadMultiDigits,
  multiTaskObjective,
  trainMultiTask,
  type TrainConfig,
} from '../../src/mtl/index.js';

setLogLevel('warn');
const epochs = Number(process.env['BENCH_EPOCHS'] ?? 5);
const nSeeds = Number(process.env['BENCH_SEEDS'] ?? 5);
const nTune = Number(process.env['BENCH_TUNE_TRIALS'] ?? 12);
const data = loadMultiDigits();
const base: TrainConfig = {
  width: 128,
  depth: 2,
  dropout: 0.1,
  activation: 'relu',
  learningRate: 0.003,
  batchSize: 64,
  epochs,
  lossWeights: { left: 1 / 3, right: 1 / 3, sum: 1 / 3 },
  sparsity: 0,
  bits: 32,
  seed: 0,
};

async function epochMs(backend: 'wasm' | 'cpu'): Promise<number> {
  await initBackend(backend);
  await trainMultiTask(data, { ...base, epochs: 1 }); // warm-up
  const start = performance.now();
  await trainMultiTask(data, { ...base, epochs: 2 });
  return (performance.now() - start) / 2;
}
const cpu = await epochMs('cpu');
const wasm = await epochMs('wasm');
console.log(
  `epoch time (4000 pairs, 128×2 trunk): wasm ${wasm.toFixed(0)} ms, cpu ${cpu.toFixed(0)} ms, ` +
    `speed-up ${(cpu / wasm).toFixed(2)}× (tfjs ${tf.version.tfjs})`,
);

async function accuracy(
  config: Partial<TrainConfig>,
): Promise<{ left: number[]; right: number[]; bytes: number }> {
  const left: number[] = [];
  const right: number[] = [];
  let bytes = 0;
  for (let seed = 0; seed < nSeeds; seed++) {
    const { metrics } = await trainMultiTask(data, { ...base, ...config, seed });
    left.push(100 * (1 - metrics['test.left']!));
    right.push(100 * (1 - metrics['test.right']!));
    bytes = metrics['bytes']!;
  }
  return { left, right, bytes };
}
const stat = (xs: number[]): string => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${mean.toFixed(2)} ± ${sd.toFixed(2)}`;
};

const study = await createStudy();
await study.optimize(
  multiTaskObjective({
    dataset: data,
    objectives: ['val.left'],
    fixed: { ...base, lossWeights: undefined, seed: 100 },
  }),
  { nTrials: nTune },
);
// Rank by the mean of left and right validation error, from the stored metrics.
const ranked = (await study.getTrials({ states: ['COMPLETE'] }))
  .map((trial) => {
    const m = trial.userAttrs['metrics'] as Record<string, number>;
    const lambda = {
      left: trial.params['lambda.left'] as number,
      right: trial.params['lambda.right'] as number,
      sum: trial.params['lambda.sum'] as number,
    };
    return { score: m['val.left']! + m['val.right']!, lambda };
  })
  .sort((a, b) => a.score - b.score);
const tuned = ranked[0]!.lambda;

const rows: [string, Partial<TrainConfig>][] = [
  ['single task: left', { lossWeights: { left: 1 } }],
  ['single task: right', { lossWeights: { right: 1 } }],
  ['uniform λ (1/3 each)', {}],
  [`tuned λ (${nTune} trials) ${JSON.stringify(rounded(tuned))}`, { lossWeights: tuned }],
];
console.log(`\ntest accuracy %, mean ± sd over ${nSeeds} seeds, ${epochs} epochs each`);
const results: Record<string, { left: number[]; right: number[]; bytes: number }> = {};
for (const [name, config] of rows) {
  results[name] = await accuracy(config);
  console.log(
    `${name.padEnd(60)} left ${stat(results[name]!.left)}  right ${stat(results[name]!.right)}`,
  );
}

console.log('\ncompressed models (uniform λ), test accuracy % and size');
const dense = results['uniform λ (1/3 each)']!;
for (const [name, config] of [
  ['16-bit', { bits: 16 }],
  ['8-bit', { bits: 8 }],
  ['8-bit, 65% pruned', { bits: 8, sparsity: 0.65 }],
] as [string, Partial<TrainConfig>][]) {
  const r = await accuracy(config);
  const lost = (xs: number[], ys: number[]): string =>
    (xs.reduce((a, b) => a + b, 0) / xs.length - ys.reduce((a, b) => a + b, 0) / ys.length).toFixed(
      2,
    );
  console.log(
    `${name.padEnd(20)} ${(dense.bytes / r.bytes).toFixed(2)}× smaller (${r.bytes} B): ` +
      `left ${stat(r.left)} (lost ${lost(dense.left, r.left)}), right ${stat(r.right)} (lost ` +
      `${lost(dense.right, r.right)})`,
  );
}

/** Weights rounded to two decimals, for printing. */
function rounded(weights: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, +v.toFixed(2)]));
}
