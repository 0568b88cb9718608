import * as tf from '@tensorflow/tfjs';

import { Random, ValueError } from '../index.js';
import type { DataSplit, MultiTaskDataset, TaskSpec } from './data/dataset.js';
import { permutation } from './data/dataset.js';
import {
  gradualSparsity,
  magnitudeMask,
  modelBytes,
  quantizeSymmetric,
  type BitWidth,
  type StoredTensor,
} from './compress.js';
import {
  buildNetwork,
  denseLayers,
  forward,
  type Activation,
  type ArchitectureConfig,
  type Network,
} from './model.js';

/** Everything one training run needs; {@link suggestTrainConfig} draws it from a trial. */
export interface TrainConfig extends ArchitectureConfig {
  /** Adam's step size. */
  learningRate: number;
  /** Rows per gradient step. */
  batchSize: number;
  /** Passes over the training split. */
  epochs: number;
  /** λ_t of the loss Σ λ_t ℓ_t, by task name (tasks absent here get 0). */
  lossWeights: Readonly<Record<string, number>>;
  /** Fraction of kernel weights pruned by the end of training, in [0, 1). */
  sparsity: number;
  /** Bit width of the stored kernels after training. */
  bits: BitWidth;
  /** Seed of the initial weights, the batch order and dropout. */
  seed: number;
}

/** Metrics by name: `val.TASK` and `test.TASK` (1 − accuracy, or RMSE), `bytes`, … */
export type Metrics = Readonly<Record<string, number>>;

/** Options of {@link trainMultiTask}. */
export interface TrainOptions {
  /**
   * Called after each epoch with its validation metrics (on the masked, unquantized weights)
   * and `bytes`, the size of the weights as they stand (current sparsity, target bit width).
   * May throw (e.g. `TrialPruned`) to stop training; the network is disposed either way.
   */
  onEpoch?: (epoch: number, metrics: Metrics) => void;
  /** Called with the compressed network before it is disposed, e.g. to save a checkpoint. */
  onFinished?: (network: Network, metrics: Metrics) => Promise<void>;
}

/** The result of a training run: metrics on the compressed weights. */
export interface TrainResult {
  readonly metrics: Metrics;
}

/**
 * Trains a multi-task network on `dataset`: Adam on Σ λ_t ℓ_t (cross-entropy for
 * classification, MSE on the standardized target for regression), gradual magnitude pruning
 * to `config.sparsity` between 25 % and 75 % of the steps with fine-tuning after, then
 * symmetric per-channel quantization of the kernels to `config.bits`. Final metrics are measured
 * on the compressed weights: `val.T` and `test.T` per task, `bytes` (see `modelBytes`),
 * `denseBytes` (the float32 model), `sparsity` (achieved) and `latencyMs` (inference time per
 * 1000 test rows). Every tensor it creates is disposed before it returns or throws.
 * Call `initBackend` first to choose the backend.
 * @throws {ValueError} for a config that breaks its bounds.
 */
export async function trainMultiTask(
  dataset: MultiTaskDataset,
  config: TrainConfig,
  options: TrainOptions = {},
): Promise<TrainResult> {
  checkConfig(config, dataset.tasks);
  const session = new Session(dataset, config);
  try {
    await session.fit(options.onEpoch);
    session.quantize();
    const metrics = session.finalMetrics();
    await options.onFinished?.(session.network, metrics);
    return { metrics };
  } finally {
    session.dispose();
  }
}

/** One run's tensors and state; exists only inside {@link trainMultiTask}. */
class Session {
  readonly network: Network;
  private readonly targets: TargetScaler;
  private readonly train: SplitTensors;
  private readonly validation: SplitTensors;
  private readonly test: SplitTensors;
  private readonly optimizer: tf.Optimizer;
  private masks: tf.Tensor[] | undefined;
  private dropoutSeed: number;

  constructor(
    private readonly dataset: MultiTaskDataset,
    private readonly config: TrainConfig,
  ) {
    this.targets = new TargetScaler(dataset);
    this.network = buildNetwork(dataset.nFeatures, dataset.tasks, config, config.seed);
    this.train = toTensors(dataset.train, dataset);
    this.validation = toTensors(dataset.validation, dataset);
    this.test = toTensors(dataset.test, dataset);
    this.optimizer = tf.train.adam(config.learningRate);
    this.dropoutSeed = config.seed * 100_003;
  }

  async fit(onEpoch: TrainOptions['onEpoch']): Promise<void> {
    const { epochs, batchSize, seed, sparsity } = this.config;
    const n = this.dataset.train.n;
    const stepsPerEpoch = Math.ceil(n / batchSize);
    const schedule = pruningSchedule(epochs * stepsPerEpoch, stepsPerEpoch, sparsity);
    const random = new Random(seed + 7919);
    let step = 0;
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = permutation(n, () => random.uniform());
      for (let start = 0; start < n; start += batchSize) {
        this.step(order.subarray(start, Math.min(n, start + batchSize)));
        const target = schedule(step++);
        if (target !== undefined) this.prune(target);
        if (this.masks !== undefined) this.applyMasks();
      }
      const validation = this.evaluate('val', this.validation, this.dataset.validation);
      onEpoch?.(epoch, {
        ...validation,
        bytes: modelBytes(this.storedTensors(), this.config.bits),
      });
      // Yield to the event loop so that heartbeats and aborts get through between epochs.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private step(rows: Int32Array): void {
    const variables = denseLayers(this.network).flatMap((layer) => [layer.kernel, layer.bias]);
    tf.tidy(() => {
      const index = tf.tensor1d(rows, 'int32');
      const x = tf.gather(this.train.x, index) as tf.Tensor2D;
      const seed = this.dropoutSeed++;
      this.optimizer.minimize(() => this.loss(x, index, seed), false, variables);
    });
  }

  private loss(x: tf.Tensor2D, index: tf.Tensor1D, seed: number): tf.Scalar {
    const outputs = forward(this.network, x, seed);
    let total = tf.scalar(0);
    for (const task of this.dataset.tasks) {
      const weight = this.config.lossWeights[task.name] ?? 0;
      if (weight === 0) continue;
      const output = outputs.get(task.name)!;
      const target = tf.gather(this.train.targets.get(task.name)!, index);
      const term =
        task.kind === 'classification'
          ? tf.losses.softmaxCrossEntropy(tf.oneHot(target as tf.Tensor1D, task.nClasses!), output)
          : tf.losses.meanSquaredError(
              this.targets.standardize(task.name, target),
              output.squeeze([1]),
            );
      total = tf.add(total, tf.mul(term, weight));
    }
    return total as tf.Scalar;
  }

  /** Recomputes every kernel's mask to hold `sparsity` by magnitude. */
  private prune(sparsity: number): void {
    this.masks?.forEach((mask) => mask.dispose());
    this.masks = denseLayers(this.network).map((layer) => {
      const mask = magnitudeMask(layer.kernel.dataSync() as Float32Array, sparsity);
      return tf.tensor(Float32Array.from(mask), layer.kernel.shape);
    });
  }

  private applyMasks(): void {
    denseLayers(this.network).forEach((layer, i) => {
      tf.tidy(() => layer.kernel.assign(tf.mul(layer.kernel, this.masks![i]!)));
    });
  }

  /** Replaces every kernel by its round trip through `config.bits`. */
  quantize(): void {
    for (const layer of denseLayers(this.network)) {
      const [rows, cols] = layer.kernel.shape as [number, number];
      const values = layer.kernel.dataSync() as Float32Array;
      const { values: quantized } = quantizeSymmetric(values, rows, cols, this.config.bits);
      tf.tidy(() => layer.kernel.assign(tf.tensor2d(quantized, [rows, cols])));
    }
  }

  /** The weights as they would be stored now: kernels and biases of every dense layer. */
  private storedTensors(): StoredTensor[] {
    return denseLayers(this.network).flatMap((layer) => [
      storedTensor('kernel', layer.kernel),
      storedTensor('bias', layer.bias),
    ]);
  }

  finalMetrics(): Metrics {
    const stored = this.storedTensors();
    const kernels = stored.filter((tensor) => tensor.role === 'kernel');
    const nWeights = kernels.reduce((sum, tensor) => sum + tensor.values.length, 0);
    const nZero = kernels.reduce((sum, t) => sum + t.values.filter((v) => v === 0).length, 0);
    const nParameters = stored.reduce((sum, tensor) => sum + tensor.values.length, 0);
    return {
      ...this.evaluate('val', this.validation, this.dataset.validation),
      ...this.evaluate('test', this.test, this.dataset.test),
      bytes: modelBytes(stored, this.config.bits),
      denseBytes: nParameters * 4,
      sparsity: nZero / nWeights,
      latencyMs: this.latency(),
    };
  }

  /** Error per task on one split: 1 − accuracy, or RMSE in the target's own units. */
  private evaluate(prefix: string, tensors: SplitTensors, split: DataSplit): Metrics {
    const outputs = tf.tidy(() => {
      const predicted = forward(this.network, tensors.x);
      return this.dataset.tasks.map((task) => {
        const output = predicted.get(task.name)!;
        return task.kind === 'classification' ? tf.argMax(output, 1) : output.squeeze([1]);
      });
    });
    const metrics: Record<string, number> = {};
    this.dataset.tasks.forEach((task, t) => {
      const values = outputs[t]!.dataSync();
      const truth = split.targets[task.name]!;
      metrics[`${prefix}.${task.name}`] =
        task.kind === 'classification'
          ? errorRate(values, truth)
          : this.targets.rmse(task.name, values, truth);
    });
    outputs.forEach((output) => output.dispose());
    return metrics;
  }

  /** Milliseconds to predict every task for 1000 test rows (one warm-up pass first). */
  private latency(): number {
    const run = (): void => {
      const outputs = tf.tidy(() => [...forward(this.network, this.test.x).values()]);
      outputs.forEach((output) => output.dataSync());
      tf.dispose(outputs);
    };
    run();
    const start = performance.now();
    run();
    return ((performance.now() - start) * 1000) / this.dataset.test.n;
  }

  dispose(): void {
    this.masks?.forEach((mask) => mask.dispose());
    for (const split of [this.train, this.validation, this.test]) {
      split.x.dispose();
      split.targets.forEach((target) => target.dispose());
    }
    this.optimizer.dispose();
    this.network.model.dispose();
  }
}

function storedTensor(role: 'kernel' | 'bias', variable: tf.Variable): StoredTensor {
  const values = variable.dataSync() as Float32Array;
  return { role, values, channels: variable.shape[variable.shape.length - 1]! };
}

interface SplitTensors {
  readonly x: tf.Tensor2D;
  readonly targets: Map<string, tf.Tensor1D>;
}

/** A split as tensors; class targets become int32 (what `oneHot` needs). */
function toTensors(split: DataSplit, dataset: MultiTaskDataset): SplitTensors {
  const targets = new Map<string, tf.Tensor1D>();
  for (const task of dataset.tasks) {
    const values = split.targets[task.name]!;
    targets.set(
      task.name,
      task.kind === 'classification'
        ? tf.tensor1d(Int32Array.from(values), 'int32')
        : tf.tensor1d(values),
    );
  }
  return { x: tf.tensor2d(split.x, [split.n, dataset.nFeatures]), targets };
}

/** Standardizes regression targets with the training split's mean and deviation. */
class TargetScaler {
  private readonly stats = new Map<string, { mean: number; scale: number }>();

  constructor(dataset: MultiTaskDataset) {
    for (const task of dataset.tasks) {
      if (task.kind !== 'regression') continue;
      const values = dataset.train.targets[task.name]!;
      const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
      const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length;
      this.stats.set(task.name, { mean, scale: Math.sqrt(variance) || 1 });
    }
  }

  standardize(task: string, target: tf.Tensor): tf.Tensor {
    const { mean, scale } = this.stats.get(task)!;
    return tf.div(tf.sub(target, mean), scale);
  }

  rmse(task: string, standardized: ArrayLike<number>, truth: Float32Array): number {
    const { mean, scale } = this.stats.get(task)!;
    let sum = 0;
    for (let i = 0; i < truth.length; i++)
      sum += (standardized[i]! * scale + mean - truth[i]!) ** 2;
    return Math.sqrt(sum / truth.length);
  }
}

function errorRate(predicted: ArrayLike<number>, truth: Float32Array): number {
  let wrong = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] !== truth[i]) wrong++;
  return wrong / truth.length;
}

/**
 * When to recompute masks: every quarter epoch between 25 % and 75 % of the steps, with the
 * sparsity of the cubic schedule; undefined on the steps in between (masks stay as they are).
 */
function pruningSchedule(
  nSteps: number,
  stepsPerEpoch: number,
  target: number,
): (step: number) => number | undefined {
  if (target <= 0) return () => undefined;
  const begin = Math.floor(nSteps * 0.25);
  const end = Math.max(begin + 1, Math.floor(nSteps * 0.75));
  const every = Math.max(1, Math.floor(stepsPerEpoch / 4));
  return (step) => {
    if (step === end - 1) return target;
    if (step < begin || step >= end || (step - begin) % every !== 0) return undefined;
    return gradualSparsity(target, (step - begin + 1) / (end - begin));
  };
}

const ACTIVATIONS: readonly Activation[] = ['relu', 'elu', 'tanh', 'selu'];

function checkConfig(config: TrainConfig, tasks: readonly TaskSpec[]): void {
  const rules: [boolean, string][] = [
    [Number.isInteger(config.width) && config.width >= 1, 'width must be an integer >= 1'],
    [Number.isInteger(config.depth) && config.depth >= 0, 'depth must be an integer >= 0'],
    [config.dropout >= 0 && config.dropout < 1, 'dropout must be in [0, 1)'],
    [
      ACTIVATIONS.includes(config.activation),
      `activation must be one of ${ACTIVATIONS.join(', ')}`,
    ],
    [config.learningRate > 0, 'learningRate must be > 0'],
    [
      Number.isInteger(config.batchSize) && config.batchSize >= 1,
      'batchSize must be an integer >= 1',
    ],
    [Number.isInteger(config.epochs) && config.epochs >= 1, 'epochs must be an integer >= 1'],
    [config.sparsity >= 0 && config.sparsity < 1, 'sparsity must be in [0, 1)'],
    [[32, 16, 8].includes(config.bits), 'bits must be 32, 16 or 8'],
    [Number.isSafeInteger(config.seed), 'seed must be an integer'],
    [
      tasks.some((task) => (config.lossWeights[task.name] ?? 0) > 0),
      'some task needs a loss weight > 0',
    ],
  ];
  const broken = rules.find(([holds]) => !holds);
  if (broken !== undefined) {
    throw new ValueError(`trainMultiTask: ${broken[1]}, but got ${JSON.stringify(config)}.`);
  }
}
