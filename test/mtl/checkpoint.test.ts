import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import '../helpers.js';
import { tempDir } from '../helpers.js';
import { createStudy, Random, ValueError } from '../../src/index.js';
import { initBackend } from '../../src/mtl/backend.js';
import { OBJECTIVES_FILE, saveParetoCheckpoint } from '../../src/mtl/checkpoint.js';
import { loadMultiDigits } from '../../src/mtl/data/digits.js';
import { buildNetwork, type Network } from '../../src/mtl/model.js';
import { multiTaskObjective } from '../../src/mtl/objective.js';

/** The trial numbers whose values no other value Pareto-dominates (all minimized). */
function front(values: readonly (readonly number[])[]): number[] {
  const dominates = (a: readonly number[], b: readonly number[]): boolean =>
    a.every((x, i) => x <= b[i]!) && a.some((x, i) => x < b[i]!);
  return values.flatMap((v, i) => (values.some((o) => dominates(o, v)) ? [] : [i]));
}

const saved = (dir: string): number[] =>
  readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, OBJECTIVES_FILE)))
    .map((name) => Number(name.slice('trial-'.length)))
    .sort((a, b) => a - b);

describe("keepCheckpoints: 'pareto'", () => {
  let root: string;
  let cleanup: () => void;
  let network: Network;
  let counter = 0;
  const fresh = (): string => join(root, `run-${counter++}`);
  before(async () => {
    ({ dir: root, cleanup } = tempDir('hpo-pareto-'));
    await initBackend('wasm');
    const tasks = [{ name: 'y', kind: 'regression' as const }];
    network = buildNetwork(4, tasks, { width: 3, depth: 1, dropout: 0, activation: 'relu' }, 1);
  });
  after(() => {
    network.model.dispose();
    cleanup();
  });

  it('keeps a checkpoint on the front and deletes it once a later trial dominates it', async () => {
    const dir = fresh();
    const values = [
      [3, 3],
      [1, 4],
      [2, 2],
      [5, 5],
      [2, 2],
    ];
    const kept: (string | undefined)[] = [];
    for (const [number, v] of values.entries()) {
      kept.push(await saveParetoCheckpoint(network, dir, number, v, {}));
    }
    assert.deepEqual(
      kept.map((folder) => folder !== undefined),
      [true, true, true, false, true],
    );
    assert.deepEqual(saved(dir), [1, 2, 4]);
    assert.ok(!existsSync(join(dir, 'trial-0')) && !existsSync(join(dir, 'trial-3')));
    assert.ok(existsSync(join(dir, 'trial-2', 'weights.bin')));
  });

  it('leaves exactly the front when many trials finish at once', async () => {
    const random = new Random(11);
    for (let round = 0; round < 3; round++) {
      const dir = fresh();
      const values = Array.from({ length: 24 }, () => [random.integer(8), random.uniform()]);
      await Promise.all(values.map((v, i) => saveParetoCheckpoint(network, dir, i, v, {})));
      assert.deepEqual(saved(dir), front(values), `round ${round}`);
    }
  });

  it('keeps only front trials of a study run through the objective', async () => {
    const artifactDir = fresh();
    const study = await createStudy({ directions: ['minimize', 'minimize'] });
    const objective = multiTaskObjective({
      dataset: loadMultiDigits({ nTrain: 300, nValidation: 100, nTest: 100, seed: 5 }),
      objectives: ['val.left', 'bytes'],
      artifactDir,
      keepCheckpoints: 'pareto',
      fixed: { epochs: 1, depth: 1, dropout: 0, activation: 'relu', learningRate: 0.01 },
    });
    await study.optimize(objective, { nTrials: 5 });
    const best = (await study.bestTrials).map((t) => t.number).sort((a, b) => a - b);
    assert.deepEqual(saved(artifactDir), best);
  });

  it('refuses an objective that is better larger, naming it', () => {
    assert.throws(
      () =>
        multiTaskObjective({
          dataset: () => loadMultiDigits(),
          objectives: ['val.left', 'sparsity'],
          artifactDir: root,
          keepCheckpoints: 'pareto',
        }),
      (error: Error) =>
        error instanceof ValueError && /sparsity is better larger/.test(error.message),
    );
  });
});
