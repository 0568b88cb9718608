import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import * as tf from '@tensorflow/tfjs';

import type { Study, FrozenTrial } from '../index.js';
import type { Network } from './model.js';

/** The trial user attribute that holds a checkpoint's folder. */
export const CHECKPOINT_ATTR = 'checkpoint';

/**
 * Saves the network in the TensorFlow.js layers format (`model.json` + `weights.bin`, loadable
 * with `tf.loadLayersModel`) under `dir`. The weights are the compressed ones, stored as
 * float32 values; `metadata` lands in `userDefinedMetadata`.
 */
export async function saveCheckpoint(
  network: Network,
  dir: string,
  metadata: Record<string, unknown>,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await network.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const chunks = data === undefined ? [] : Array.isArray(data) ? data : [data];
      const manifest = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
        userDefinedMetadata: metadata,
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(manifest));
      await writeFile(join(dir, 'weights.bin'), Buffer.concat(chunks.map((c) => Buffer.from(c))));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
}

/**
 * A study callback for `keepCheckpoints: 'pareto'`: after each trial, deletes the checkpoints
 * of COMPLETE trials that are no longer on the study's Pareto front. Pass it in
 * `optimize(..., { callbacks: [keepParetoCheckpoints] })`; it runs in the main process, which
 * sees every worker's trials through the store.
 */
export async function keepParetoCheckpoints(study: Study, _trial: FrozenTrial): Promise<void> {
  const front = new Set((await study.bestTrials).map((trial) => trial.number));
  for (const trial of await study.getTrials({ states: ['COMPLETE'] })) {
    const dir = trial.userAttrs[CHECKPOINT_ATTR];
    if (typeof dir === 'string' && !front.has(trial.number))
      await rm(dir, { recursive: true, force: true });
  }
}
