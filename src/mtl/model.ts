import * as tf from '@tensorflow/tfjs';

import type { TaskSpec } from './data/dataset.js';

/** Activations the shared trunk may use. */
export type Activation = 'relu' | 'elu' | 'tanh' | 'selu';

/** The architecture of a multi-task network. */
export interface ArchitectureConfig {
  /** Units of every trunk layer. */
  width: number;
  /** Number of trunk layers (0 means the heads read the features directly). */
  depth: number;
  /** Dropout rate after each trunk layer while training, in [0, 1). */
  dropout: number;
  activation: Activation;
}

/** One dense layer's variables. Kernels are `[inputs, units]`, row-major. */
export interface DenseWeights {
  readonly name: string;
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;
}

/** A shared trunk and one head per task, held by a Layers model so it saves in TF.js format. */
export interface Network {
  readonly model: tf.LayersModel;
  readonly trunk: readonly DenseWeights[];
  readonly heads: ReadonlyMap<string, DenseWeights>;
  readonly config: ArchitectureConfig;
}

const ACTIVATIONS: Record<Activation, (x: tf.Tensor) => tf.Tensor> = {
  relu: (x) => tf.relu(x),
  elu: (x) => tf.elu(x),
  tanh: (x) => tf.tanh(x),
  selu: (x) => tf.selu(x),
};

/**
 * Builds the network with Glorot-uniform kernels and zero biases, seeded so that one seed
 * always gives the same initial weights. Classification heads output logits, regression heads
 * one standardized value.
 */
export function buildNetwork(
  nFeatures: number,
  tasks: readonly TaskSpec[],
  config: ArchitectureConfig,
  seed: number,
): Network {
  const input = tf.input({ shape: [nFeatures], name: 'features' });
  const trunkLayers: tf.layers.Layer[] = [];
  let hidden: tf.SymbolicTensor = input;
  for (let d = 0; d < config.depth; d++) {
    const layer = dense(`trunk_${d}`, config.width, config.activation, seed + d);
    trunkLayers.push(layer);
    hidden = layer.apply(hidden) as tf.SymbolicTensor;
    if (config.dropout > 0) {
      hidden = tf.layers
        .dropout({ rate: config.dropout, name: `dropout_${d}` })
        .apply(hidden) as tf.SymbolicTensor;
    }
  }
  const headLayers = tasks.map((task, t) =>
    dense(`head_${task.name}`, task.nClasses ?? 1, 'linear', seed + 1000 + t),
  );
  const outputs = headLayers.map((layer) => layer.apply(hidden) as tf.SymbolicTensor);
  const model = tf.model({ inputs: input, outputs, name: 'multitask' });
  return {
    model,
    trunk: trunkLayers.map(weightsOf),
    heads: new Map(tasks.map((task, t) => [task.name, weightsOf(headLayers[t]!)])),
    config,
  };
}

function dense(name: string, units: number, activation: string, seed: number): tf.layers.Layer {
  return tf.layers.dense({
    name,
    units,
    activation: activation as 'linear',
    kernelInitializer: tf.initializers.glorotUniform({ seed }),
    biasInitializer: 'zeros',
  });
}

function weightsOf(layer: tf.layers.Layer): DenseWeights {
  const [kernel, bias] = layer.trainableWeights.map((weight) => weight.read() as tf.Variable);
  return { name: layer.name, kernel: kernel!, bias: bias! };
}

/** Every dense layer of the network, trunk first. */
export function denseLayers(network: Network): DenseWeights[] {
  return [...network.trunk, ...network.heads.values()];
}

/**
 * The network's outputs for `x`, one tensor per task. With `dropoutSeed` the trunk applies
 * dropout (training); each call should pass a new seed so masks differ between steps.
 */
export function forward(
  network: Network,
  x: tf.Tensor2D,
  dropoutSeed?: number,
): Map<string, tf.Tensor2D> {
  const activate = ACTIVATIONS[network.config.activation];
  let hidden: tf.Tensor2D = x;
  network.trunk.forEach((layer, d) => {
    hidden = activate(tf.add(tf.matMul(hidden, layer.kernel), layer.bias)) as tf.Tensor2D;
    if (dropoutSeed !== undefined && network.config.dropout > 0) {
      hidden = tf.dropout(
        hidden,
        network.config.dropout,
        undefined,
        dropoutSeed * 64 + d,
      ) as tf.Tensor2D;
    }
  });
  const outputs = new Map<string, tf.Tensor2D>();
  for (const [task, head] of network.heads) {
    outputs.set(task, tf.add(tf.matMul(hidden, head.kernel), head.bias));
  }
  return outputs;
}
