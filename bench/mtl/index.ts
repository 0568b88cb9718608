/**
 * Multi-task trainer benchmark. Run: npm run bench:mtl.
 * 1. Epoch time of the default MultiDigits model, WASM vs CPU backend.
 * 2. The MultiMNIST table of Sener & Koltun (NeurIPS 2018) rebuilt on MultiDigits: test
 *    accuracy on left and right for single-task models, uniform λ and the λ tuned by a study
 *    (TPE, λ and learning rate together, on validation error left + right), mean ± sd over
 *    seeds, same epochs for each. Every row's learning rate is chosen on validation too.
 * 3. Accuracy lost by ~2×, 4× and 8× smaller models (quantization and pruning).
 * Sizes shrink with BENCH_EPOCHS, BENCH_SEEDS and BENCH_TUNE_TRIALS. No Optuna baseline: the
 * figures are about the trainer, not the sampler.
 */
import * as tf from '@tensorflow/tfjs';

import { createStudy, setLogLevel, TPESampler } from '../../src/index.js';
import {
  initBackend,
  loadMultiDigits,
  suggestTrainConfig,
  trainMultiTask,
  type TrainConfig,
} from '../../src/mtl/index.js';

setLogLevel('warn');
const epochs = Number(process.env['BENCH_EPOCHS'] ?? 5);
const nSeeds = Number(process.env['BENCH_SEEDS'] ?? 5);
const nTune = Number(process.env['BENCH_TUNE_TRIALS'] ?? 30);
// Seeds each validation score averages over: one seed's noise (~0.7 points) hides λ's effect.
const selectionSeeds = Array.from(
  { length: Number(process.env['BENCH_SELECT_SEEDS'] ?? 2) },
  (_, i) => 100 + i,
);
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

// Every row gets its learning rate chosen on the validation split (seeds 100+, never a test
// seed), so the tuned row differs from the others only by what the study may also tune: λ.
const lrGrid = [0.001, 0.003, 0.01];
async function bestLearningRate(lossWeights: Record<string, number>): Promise<number> {
  const tasks = Object.keys(lossWeights).filter((t) => t === 'left' || t === 'right');
  let best = { lr: lrGrid[0]!, score: Number.POSITIVE_INFINITY };
  for (const lr of lrGrid) {
    const score = await validationScore({ lossWeights, learningRate: lr }, tasks);
    if (score < best.score) best = { lr, score };
  }
  return best.lr;
}

/** The validation error summed over `tasks`, averaged over the selection seeds. */
async function validationScore(
  config: Partial<TrainConfig>,
  tasks: readonly string[],
): Promise<number> {
  let total = 0;
  for (const seed of selectionSeeds) {
    const { metrics } = await trainMultiTask(data, { ...base, ...config, seed });
    total += tasks.reduce((sum, t) => sum + metrics[`val.${t}`]!, 0);
  }
  return total / selectionSeeds.length;
}

// The study tunes λ and the learning rate together; it sees validation errors only.
const study = await createStudy({ sampler: new TPESampler({ seed: 7 }) });
await study.optimize(
  async (trial) => {
    const config = suggestTrainConfig(trial, ['left', 'right', 'sum'], {
      fixed: { ...base, lossWeights: undefined, learningRate: undefined },
    });
    return validationScore(config, ['left', 'right']);
  },
  { nTrials: nTune },
);
const bestTrial = await study.bestTrial;
const tuned = {
  left: bestTrial.params['lambda.left'] as number,
  right: bestTrial.params['lambda.right'] as number,
  sum: bestTrial.params['lambda.sum'] as number,
};
const tunedLr = bestTrial.params['learningRate'] as number;

const uniform = { left: 1 / 3, right: 1 / 3, sum: 1 / 3 };
const rows: [string, Partial<TrainConfig>][] = [];
for (const [name, lossWeights] of [
  ['single task: left', { left: 1 }],
  ['single task: right', { right: 1 }],
  ['uniform λ (1/3 each)', uniform],
] as [string, Record<string, number>][]) {
  const learningRate = await bestLearningRate(lossWeights);
  rows.push([`${name}, lr ${learningRate}`, { lossWeights, learningRate }]);
}
rows.push([
  `tuned λ ${JSON.stringify(rounded(tuned))}, lr ${tunedLr.toPrecision(2)} (${nTune} trials)`,
  { lossWeights: tuned, learningRate: tunedLr },
]);
const uniformRow = rows[2]![0];
console.log(`\ntest accuracy %, mean ± sd over ${nSeeds} seeds, ${epochs} epochs each`);
const results: Record<string, { left: number[]; right: number[]; bytes: number }> = {};
for (const [name, config] of rows) {
  results[name] = await accuracy(config);
  console.log(
    `${name.padEnd(60)} left ${stat(results[name]!.left)}  right ${stat(results[name]!.right)}`,
  );
}

console.log('\ncompressed models (uniform λ), test accuracy % and size');
const dense = results[uniformRow]!;
const uniformLr = rows[2]![1].learningRate;
for (const [name, config] of [
  ['16-bit', { bits: 16 }],
  ['8-bit', { bits: 8 }],
  ['8-bit, 65% pruned', { bits: 8, sparsity: 0.65 }],
] as [string, Partial<TrainConfig>][]) {
  const r = await accuracy({ ...config, learningRate: uniformLr });
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
