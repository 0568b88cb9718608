/**
 * The contract every sampler passes: `samplerConformance('name', (seed) => new XSampler({ seed }))`
 * registers its tests. Proposals must be reproducible from the seed and the stored trials,
 * and every value must lie in its distribution: in bounds, on the step grid, among the
 * choices, on the simplex.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  createStudy,
  InMemoryStorage,
  loadStudy,
  type FrozenTrial,
  type ParamValue,
  type Sampler,
  type Trial,
} from '../../src/index.js';

const LABELS = ['ce', 'mse', 'kl'] as const;

/** A space with every kind of distribution, and a conditional parameter. */
function objective(trial: Trial): number {
  const x = trial.suggestFloat('x', -3, 3);
  const lr = trial.suggestFloat('lr', 1e-5, 1e-1, { log: true });
  const q = trial.suggestFloat('q', 0, 1, { step: 0.1 });
  const n = trial.suggestInt('n', -4, 20, { step: 3 });
  const units = trial.suggestInt('units', 1, 512, { log: true });
  const act = trial.suggestCategorical('act', ['relu', 'tanh', null, 3]);
  const weights = trial.suggestSimplex('w', LABELS);
  let value = x * x + Math.abs(Math.log10(lr) + 3) + q + Math.abs(n - 5) / 10;
  value += Math.abs(Math.log2(units) - 6) + (act === 'tanh' ? 0 : 0.5) + weights.kl;
  if (act === 'relu') value += trial.suggestFloat('slope', 0, 1) ** 2;
  return value;
}

async function run(sampler: Sampler, nTrials: number): Promise<readonly FrozenTrial[]> {
  const study = await createStudy({ sampler });
  await study.optimize(objective, { nTrials });
  return study.getTrials();
}

function paramsOf(trials: readonly FrozenTrial[]): Readonly<Record<string, ParamValue>>[] {
  return trials.map((trial) => trial.params);
}

/** Copies trials into a fresh store as enqueued trials with the same values. */
async function replay(trials: readonly FrozenTrial[], storage: InMemoryStorage): Promise<string> {
  const study = await createStudy({ storage });
  for (const trial of trials) {
    const params = Object.fromEntries(
      Object.entries(trial.distributions).map(([name, d]) => [
        name,
        d.kind === 'simplex'
          ? d.toExternal(trial.internalParams.get(name) as Float64Array)
          : d.toExternal(trial.internalParams.get(name) as number),
      ]),
    );
    await study.enqueueTrial(params);
  }
  await study.optimize(objective, { nTrials: trials.length });
  return study.studyName;
}

/** Registers the sampler contract tests for one sampler. */
export function samplerConformance(name: string, makeSampler: (seed: number) => Sampler): void {
  describe(`${name} conformance`, () => {
    it('proposes the same parameters for the same seed', async () => {
      const first = await run(makeSampler(3), 30);
      const second = await run(makeSampler(3), 30);
      assert.deepEqual(paramsOf(second), paramsOf(first));
    });

    it('proposes different parameters for different seeds', async () => {
      const first = await run(makeSampler(3), 12);
      const second = await run(makeSampler(4), 12);
      assert.notDeepEqual(paramsOf(second), paramsOf(first));
    });

    it('keeps every value in its distribution: bounds, step grid, choices, simplex', async () => {
      const trials = await run(makeSampler(5), 40);
      assert.equal(trials.filter((t) => t.state === 'COMPLETE').length, 40);
      for (const trial of trials) {
        for (const [param, distribution] of Object.entries(trial.distributions)) {
          const internal = trial.internalParams.get(param)!;
          assert.ok(
            (distribution.contains as (v: typeof internal) => boolean)(internal),
            `${param}=${String(internal)} in trial ${trial.number}`,
          );
        }
        const p = trial.params;
        assert.ok(Number.isInteger(Math.round((p['q'] as number) * 10 * 1e9) / 1e9));
        assert.equal(((p['n'] as number) + 4) % 3, 0);
        assert.ok(Number.isInteger(p['units']));
        assert.ok(['relu', 'tanh', null, 3].includes(p['act'] as never));
        const weights = LABELS.map((label) => p[`w.${label}`] as number);
        assert.ok(weights.every((w) => w >= 0));
        assert.ok(Math.abs(weights.reduce((a, b) => a + b, 0) - 1) < 1e-9);
      }
    });

    it('proposes the same after a resume: a new sampler, same seed, same trials', async () => {
      const history = await run(makeSampler(8), 14);
      const continued: Readonly<Record<string, ParamValue>>[][] = [];
      for (let copy = 0; copy < 2; copy++) {
        const storage = new InMemoryStorage();
        const studyName = await replay(history, storage);
        const study = await loadStudy({ storage, studyName, sampler: makeSampler(9) });
        await study.optimize(objective, { nTrials: 12 });
        continued.push(paramsOf((await study.getTrials()).slice(history.length)));
      }
      assert.deepEqual(continued[1], continued[0]);
    });

    it('proposes the same resumed from its store as in one uninterrupted run', async () => {
      const whole = paramsOf(await run(makeSampler(11), 24));
      const storage = new InMemoryStorage();
      const first = await createStudy({ storage, sampler: makeSampler(11) });
      await first.optimize(objective, { nTrials: 13 });
      const resumed = await loadStudy({
        storage,
        studyName: first.studyName,
        sampler: makeSampler(11),
      });
      await resumed.optimize(objective, { nTrials: 11 });
      assert.deepEqual(paramsOf(await resumed.getTrials()), whole);
    });
  });
}
