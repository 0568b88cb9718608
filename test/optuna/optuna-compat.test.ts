/**
 * Cross tests with Optuna 4.1: a study that hpo writes reads the same in Optuna, and a study
 * that Optuna writes reads the same in hpo (which can then go on optimizing it). They need the
 * interpreter `../shared/tools/optuna-python` beside the repository (or HPO_OPTUNA_PYTHON) and
 * are skipped, saying why, where it cannot import optuna.
 */
import { tempDir } from '../helpers.js';

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  createStudy,
  loadStudy,
  RandomSampler,
  SqliteStorage,
  TrialPruned,
  type Study,
} from '../../src/index.js';
import type { FrozenTrial } from '../../src/trial/index.js';

/** The repository root: the nearest folder above this file with a package.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const root = repoRoot();
const python =
  process.env['HPO_OPTUNA_PYTHON'] ?? join(root, '..', 'shared', 'tools', 'optuna-python');
const scripts = join(root, 'test', 'optuna');

/** Why the cross tests cannot run here, or undefined when they can. */
function unavailable(): string | undefined {
  if (!existsSync(python)) return `no Optuna interpreter at ${python} (set HPO_OPTUNA_PYTHON)`;
  const probe = spawnSync(python, ['-c', 'import optuna'], { encoding: 'utf8', timeout: 120_000 });
  if (probe.status === 0) return undefined;
  return `${python} cannot import optuna: ${probe.stderr.trim().slice(-300)}`;
}

interface DumpedTrial {
  number: number;
  state: string;
  values: unknown;
  params: Record<string, unknown>;
  distributions: Record<string, string>;
  intermediate_values: Record<string, unknown>;
  user_attrs: Record<string, unknown>;
  system_attrs: Record<string, unknown>;
  has_start: boolean;
}

interface Dump {
  directions: string[];
  trials: DumpedTrial[];
}

/** Runs one of the Python helpers and parses the JSON it prints. */
function runPython(script: string, args: string[]): Dump {
  const result = spawnSync(python, [join(scripts, script), ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(result.status, 0, `${script} failed: ${result.stderr}`);
  return decode(JSON.parse(result.stdout)) as Dump;
}

/** Undoes the Python side's encoding of non-finite floats as strings. */
function decode(value: unknown): unknown {
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
  if (Array.isArray(value)) return value.map(decode);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

/** A trial as both sides can show it; a vector intermediate value shows its first entry. */
function comparable(trial: FrozenTrial): Omit<DumpedTrial, 'distributions' | 'system_attrs'> {
  const steps = [...trial.intermediateValues].map(([step, value]) => [
    String(step),
    typeof value === 'number' ? value : value[0],
  ]);
  return {
    number: trial.number,
    state: trial.state,
    values: trial.values === undefined ? null : [...trial.values],
    params: { ...trial.params },
    intermediate_values: Object.fromEntries(steps),
    user_attrs: { ...trial.userAttrs },
    has_start: trial.datetimeStart !== undefined,
  };
}

function withoutExtras(trial: DumpedTrial): Omit<DumpedTrial, 'distributions' | 'system_attrs'> {
  const { distributions: _d, system_attrs: _s, ...rest } = trial;
  return rest;
}

/** Writes a single-objective study with every kind of parameter and ending. */
async function writeSingle(path: string): Promise<Study> {
  const study = await createStudy({
    storage: new SqliteStorage(path),
    studyName: 'single',
    sampler: new RandomSampler({ seed: 7 }),
  });
  const endings = ['COMPLETE', 'PRUNED', 'FAIL', 'COMPLETE', 'PRUNED'] as const;
  for (const [i, ending] of endings.entries()) {
    const trial = await study.ask();
    const x = trial.suggestFloat('x', -2, 2);
    trial.suggestFloat('lr', 1e-5, 0.1, { log: true });
    trial.suggestFloat('q', 0, 1, { step: 0.25 });
    trial.suggestInt('n', 1, 9, { step: 2 });
    trial.suggestCategorical('opt', ['adam', null, true, 4]);
    trial.suggestCategorical('flag', [false, true]);
    trial.suggestSimplex('w', ['ce', 'mse', 'aux']);
    trial.setUserAttr('info', { i, tags: ['a', null] });
    for (let step = 0; step < 3; step++) trial.report(x + step, step);
    if (i === 3) trial.report(Infinity, 3);
    await study.tell(trial, ending === 'COMPLETE' ? x * x : undefined, ending);
  }
  return study;
}

/** Writes a two-objective study with vector intermediate values. */
async function writeMulti(path: string): Promise<Study> {
  const study = await createStudy({
    storage: new SqliteStorage(path),
    studyName: 'multi',
    directions: ['minimize', 'maximize'],
    sampler: new RandomSampler({ seed: 8 }),
  });
  await study.optimize(
    (trial) => {
      const x = trial.suggestFloat('x', 0, 1);
      trial.report([x, 1 - x], 0);
      trial.report([x / 2, NaN], 1);
      if (trial.number === 2) throw new TrialPruned();
      return [x, 1 - x];
    },
    { nTrials: 4 },
  );
  return study;
}

const reason = unavailable();

describe('Optuna 4.1 and hpo read each other’s SQLite studies', { skip: reason }, () => {
  const temp = tempDir('hpo-optuna-');
  after(() => temp.cleanup());

  it('Optuna reads every trial of an hpo study as hpo wrote it', async () => {
    const path = join(temp.dir, 'from-hpo.db');
    const studies = [await writeSingle(path), await writeMulti(path)];
    for (const study of studies) {
      const dumped = runPython('read_study.py', [path, study.studyName]);
      const trials = await study.getTrials();
      assert.deepEqual(
        dumped.directions,
        study.directions.map((d) => d.toUpperCase()),
      );
      assert.deepEqual(dumped.trials.map(withoutExtras), trials.map(comparable));
      await study.storage.close();
    }
  });

  it('hpo reads every trial of an Optuna study, then claims its enqueued trial', async () => {
    const path = join(temp.dir, 'from-optuna.db');
    const written = runPython('write_study.py', [path, 'optuna-made']);
    const store = new SqliteStorage(path);
    const study = await loadStudy({ studyName: 'optuna-made', storage: store });
    const trials = await study.getTrials();
    assert.deepEqual(trials.map(comparable), written.trials.map(withoutExtras));
    const waiting = trials.find((t) => t.state === 'WAITING');
    assert.deepEqual(waiting?.systemAttrs['fixed_params'], { x: 1.5, opt: null });
    for (const [i, trial] of trials.entries()) {
      const kinds = Object.fromEntries(
        Object.entries(trial.distributions).map(([name, d]) => [name, d.constructor.name]),
      );
      assert.deepEqual(kinds, written.trials[i]!.distributions);
    }

    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', -3, 3);
        trial.suggestCategorical('opt', ['adam', null, true, 2.5]);
        return x * x;
      },
      { nTrials: 2 },
    );
    const resumed = await study.getTrials();
    assert.deepEqual(resumed.map((t) => t.state).slice(-2), ['COMPLETE', 'COMPLETE']);
    assert.equal(resumed[4]!.params['x'], 1.5);
    assert.equal(resumed[4]!.params['opt'], null);
    await store.close();

    const reread = runPython('read_study.py', [path, 'optuna-made']);
    assert.deepEqual(reread.trials.map(withoutExtras), resumed.map(comparable));
  });
});

if (reason !== undefined) {
  it(`skips the Optuna cross tests: ${reason}`, { skip: reason }, () => undefined);
}
