import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as tf from '@tensorflow/tfjs';

import '../helpers.js';
import { fixture, tempDir } from '../helpers.js';
import { createStudy, TrialPruned } from '../../src/index.js';
import { initBackend } from '../../src/mtl/backend.js';
import { loadMultiDigits } from '../../src/mtl/data/digits.js';
import { multiTaskObjective } from '../../src/mtl/objective.js';
import { trainMultiTask, type TrainConfig } from '../../src/mtl/train.js';

const small = loadMultiDigits({ nTrain: 600, nValidation: 200, nTest: 200, seed: 2 });
const config: TrainConfig = {
  width: 32,
  depth: 1,
  dropout: 0.1,
  activation: 'relu',
  learningRate: 0.01,
  batchSize: 64,
  epochs: 2,
  lossWeights: { left: 0.4, right: 0.4, sum: 0.2 },
  sparsity: 0,
  bits: 32,
  seed: 4,
};

describe('the multi-task trainer', () => {
  let dir: string;
  let cleanup: () => void;
  before(async () => {
    ({ dir, cleanup } = tempDir('hpo-mtl-'));
    await initBackend('wasm');
  });
  after(() => cleanup());

  it('disposes every tensor it creates, also when an epoch callback throws', async () => {
    const start = tf.memory().numTensors;
    await trainMultiTask(small, config);
    assert.equal(tf.memory().numTensors, start);
    await assert.rejects(
      trainMultiTask(small, config, {
        onEpoch: () => {
          throw new TrialPruned();
        },
      }),
      TrialPruned,
    );
    assert.equal(tf.memory().numTensors, start);
  });

  it('gives the same metrics for the same seed', async () => {
    const [a, b] = [await trainMultiTask(small, config), await trainMultiTask(small, config)];
    assert.equal(a.metrics['val.left'], b.metrics['val.left']);
    assert.equal(a.metrics['test.sum'], b.metrics['test.sum']);
  });

  it('reaches the target sparsity and counts fewer bytes when pruned and quantized', async () => {
    const dense = await trainMultiTask(small, config);
    const packed = await trainMultiTask(small, { ...config, sparsity: 0.75, bits: 8 });
    assert.equal(dense.metrics['bytes'], dense.metrics['denseBytes']);
    assert.ok(Math.abs(packed.metrics['sparsity']! - 0.75) < 0.01);
    // 112·32 + 3 heads: kernels 3584 + 672 weights; 25% kept at 8 bits + bitmaps ≈ 1.6 kB.
    assert.ok(
      packed.metrics['bytes']! < dense.metrics['bytes']! / 6,
      JSON.stringify(packed.metrics),
    );
  });

  it('saves a TF.js checkpoint and stores its folder and metrics in the trial', async () => {
    const study = await createStudy();
    const objective = multiTaskObjective({
      dataset: small,
      objectives: ['val.left'],
      fixed: { ...config },
      artifactDir: dir,
      keepCheckpoints: 'all',
    });
    await study.optimize(objective, { nTrials: 1 });
    const [trial] = await study.getTrials();
    const folder = trial!.userAttrs['checkpoint'] as string;
    assert.equal(folder, join(dir, 'trial-0'));
    const manifest = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
    assert.equal(manifest.format, 'layers-model');
    assert.ok(existsSync(join(folder, 'weights.bin')));
    assert.equal((trial!.userAttrs['metrics'] as Record<string, number>)['val.left'], trial!.value);
    assert.equal(trial!.intermediateValues.size, 2);
  });

  it('trains two MultiDigits epochs in a worker to far better than chance', async () => {
    const study = await createStudy({
      storage: `sqlite:${join(dir, 'mtl.db')}`,
      directions: ['minimize', 'minimize'],
    });
    await study.optimize(
      { module: fixture('mtl-objective'), exportName: 'objective' },
      { nTrials: 1, workers: 1 },
    );
    const [trial] = await study.getTrials();
    assert.equal(trial!.state, 'COMPLETE', String(trial!.systemAttrs['fail_reason']));
    // Chance is 0.9 error on 10 classes.
    assert.ok(trial!.values![0]! < 0.4 && trial!.values![1]! < 0.4, JSON.stringify(trial!.values));
  });
});
