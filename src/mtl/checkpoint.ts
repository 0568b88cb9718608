import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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

/** The file in a checkpoint's folder that holds its trial's objective values, all minimized. */
export const OBJECTIVES_FILE = 'objectives.json';

/**
 * Saves a trial's checkpoint under `artifactDir/trial-N` only while it is on the Pareto front
 * of the checkpoints there (`values` all minimized), and deletes the ones it dominates. Safe
 * with any number of workers, threads or processes sharing the folder: a checkpoint is deleted
 * only when another finished trial's values dominate it (a dominated trial never returns to the
 * front), and each trial rescans after writing its values, so of two trials finishing at once
 * at least one sees the other. A folder whose values cannot be read yet is left alone.
 * @returns the checkpoint's folder, or undefined when the trial is off the front (not saved, or
 *   removed at once because a trial that finished meanwhile dominates it).
 */
export async function saveParetoCheckpoint(
  network: Network,
  artifactDir: string,
  trialNumber: number,
  values: readonly number[],
  metadata: Record<string, unknown>,
): Promise<string | undefined> {
  if (!values.every(Number.isFinite)) return undefined; // the trial will be stored as FAIL
  const dir = join(artifactDir, `trial-${trialNumber}`);
  const before = await readFront(artifactDir);
  if (before.some((other) => other.dir !== dir && dominates(other.values, values))) return;
  await saveCheckpoint(network, dir, metadata);
  // Written last and renamed into place: a reader sees the values whole or not at all.
  const temporary = join(dir, `${OBJECTIVES_FILE}.tmp`);
  await writeFile(temporary, JSON.stringify({ trial: trialNumber, values }));
  await rename(temporary, join(dir, OBJECTIVES_FILE));
  const after = await readFront(artifactDir);
  for (const entry of after) {
    if (after.some((other) => dominates(other.values, entry.values))) {
      await rm(entry.dir, { recursive: true, force: true });
    }
  }
  return after.some((other) => dominates(other.values, values)) ? undefined : dir;
}

/** The checkpoints under `artifactDir` whose objective values can be read. */
async function readFront(
  artifactDir: string,
): Promise<{ dir: string; values: readonly number[] }[]> {
  const names = await readdir(artifactDir).catch(() => [] as string[]);
  const entries = await Promise.all(
    names.map(async (name) => {
      const dir = join(artifactDir, name);
      try {
        const text = await readFile(join(dir, OBJECTIVES_FILE), 'utf8');
        const { values } = JSON.parse(text) as { values: number[] };
        return Array.isArray(values) ? { dir, values } : undefined;
      } catch {
        return undefined; // not a checkpoint, or one being written or deleted
      }
    }),
  );
  return entries.filter((entry) => entry !== undefined);
}

/** Whether `a` Pareto-dominates `b` when every value is minimized. */
function dominates(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (!(a[i]! <= b[i]!)) return false;
    if (a[i]! < b[i]!) better = true;
  }
  return better;
}

/**
 * A sweep by the store's record: deletes the checkpoints of COMPLETE trials that are not on the
 * study's Pareto front (`study.bestTrials`). `keepCheckpoints: 'pareto'` already keeps only the
 * front as trials finish; await this after `optimize` for studies whose directions are not all
 * minimize, or to check. The signature matches a callback's, but optimize does not await
 * callbacks, so do not pass it as one.
 */
export async function keepParetoCheckpoints(study: Study, _trial?: FrozenTrial): Promise<void> {
  const front = new Set((await study.bestTrials).map((trial) => trial.number));
  for (const trial of await study.getTrials({ states: ['COMPLETE'] })) {
    const dir = trial.userAttrs[CHECKPOINT_ATTR];
    if (typeof dir === 'string' && !front.has(trial.number))
      await rm(dir, { recursive: true, force: true });
  }
}
