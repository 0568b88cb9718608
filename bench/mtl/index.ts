/**
 * Multi-task trainer benchmark. Run: npm run bench:mtl.
 * 1. Epoch time of the default MultiDigits model, WASM vs CPU backend.
 * 2. The MultiMNIST table of Sener & Koltun (NeurIPS 2018) rebuilt on MultiDigits: test
 *    accuracy on left and right for single-task models, uniform λ and the λ tuned by a study
 *    (TPE, λ and learning rate together, validation errors of left and right as two
 *    objectives, the pick from the front described below), mean ± sd over
 *    seeds, same epochs for each. Every row's learning rate is chosen on validation too. As in
 *    the paper's MultiMNIST, the multi-task rows train the two tasks left and right only.
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
const epochs = Number(process.env['BENCH_EPOCHS'] ?? 10);
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
  lossWeights: { left: 1 / 2, right: 1 / 2 },
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
async function bestLearningRate(
  lossWeights: Record<string, number>,
): Promise<{ lr: number; errors: Record<string, number> }> {
  const tasks = Object.keys(lossWeights);
  let best = { lr: lrGrid[0]!, errors: {} as Record<string, number>, score: Infinity };
  for (const lr of lrGrid) {
    const errors = await validationErrors({ lossWeights, learningRate: lr });
    const score = tasks.reduce((sum, t) => sum + errors[t]!, 0);
    if (score < best.score) best = { lr, errors, score };
  }
  return best;
}

/** Validation error of left and right, averaged over the selection seeds. */
async function validationErrors(config: Partial<TrainConfig>): Promise<Record<string, number>> {
  const total = { left: 0, right: 0 };
  for (const seed of selectionSeeds) {
    const { metrics } = await trainMultiTask(data, { ...base, ...config, seed });
    total.left += metrics['val.left']! / selectionSeeds.length;
    total.right += metrics['val.right']! / selectionSeeds.length;
  }
  return total;
}

const uniform = { left: 1 / 2, right: 1 / 2 };
const rows: [string, Partial<TrainConfig>][] = [];
let uniformErrors: Record<string, number> = {};
for (const [name, lossWeights] of [
  ['single task: left', { left: 1 }],
  ['single task: right', { right: 1 }],
  ['uniform λ (1/2 each)', uniform],
] as [string, Record<string, number>][]) {
  const { lr, errors } = await bestLearningRate(lossWeights);
  if (lossWeights === uniform) uniformErrors = errors;
  rows.push([`${name}, lr ${lr}`, { lossWeights, learningRate: lr }]);
}

// The study tunes λ and the learning rate together, with the two validation errors as two
// objectives; it sees validation errors only. The tuned λ is the Pareto-optimal trial that
// improves most on uniform λ's validation errors in its worse task (the largest
// min(Δleft, Δright)): a λ that buys one task at the other's expense is not picked.
const study = await createStudy({
  directions: ['minimize', 'minimize'],
  sampler: new TPESampler({ seed: 7 }),
});
await study.optimize(
  async (trial) => {
    const config = suggestTrainConfig(trial, ['left', 'right'], {
      fixed: { ...base, lossWeights: undefined, learningRate: undefined },
    });
    const errors = await validationErrors(config);
    return [errors['left']!, errors['right']!];
  },
  { nTrials: nTune },
);
const front = await study.bestTrials;
const margin = (t: (typeof front)[number]): number =>
  Math.min(uniformErrors['left']! - t.values![0]!, uniformErrors['right']! - t.values![1]!);
const bestTrial = front.reduce((a, b) => (margin(b) > margin(a) ? b : a));
const percents = (values: readonly number[]): string =>
  values.map((v) => (100 * v).toFixed(2)).join(' / ');
console.log(
  `study: ${front.length} trials on the front; picked trial ${bestTrial.number}, validation ` +
    `error ${percents(bestTrial.values!)} % vs uniform ` +
    `${percents([uniformErrors['left']!, uniformErrors['right']!])} %`,
);
const tuned = {
  left: bestTrial.params['lambda.left'] as number,
  right: bestTrial.params['lambda.right'] as number,
};
const tunedLr = bestTrial.params['learningRate'] as number;
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
