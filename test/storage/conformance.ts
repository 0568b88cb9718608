/**
 * The contract every study store keeps, run for each store by memory.test.ts and
 * sqlite.test.ts (and later by the PostgreSQL store):
 * - studies are found by name and id, names are unique, directions and attributes persist;
 * - trial numbers are 0, 1, 2, … per study; a WAITING trial is claimed once;
 * - params (simplex included), intermediate values (vectors, NaN, ±Infinity), values and
 *   attributes read back exactly as written;
 * - a finished trial never changes, and snapshots never change after they are returned;
 * - unknown studies and trials are reported with their own error classes.
 */
import assert from 'node:assert/strict';
import { after, afterEach, describe, it } from 'node:test';

import {
  CategoricalDistribution,
  FloatDistribution,
  IntDistribution,
  SimplexDistribution,
  type Distribution,
} from '../../src/distributions/index.js';
import {
  DuplicatedStudyError,
  StudyNotFoundError,
  TrialNotFoundError,
  UpdateFinishedTrialError,
  ValueError,
} from '../../src/errors.js';
import type { Storage } from '../../src/storage/index.js';
import type { FrozenTrial } from '../../src/trial/index.js';

/** Makes a fresh, empty store for one test; `cleanup` runs once after the whole suite. */
export interface StoreFactory {
  make: () => Storage | Promise<Storage>;
  cleanup?: () => void;
}

const FLOAT = new FloatDistribution(-2, 3);
const LOG = new FloatDistribution(1e-4, 1, { log: true });
const STEP = new FloatDistribution(0, 1, { step: 0.25 });
const INT = new IntDistribution(1, 9, { step: 2 });
const CHOICES = new CategoricalDistribution(['a', null, true, 2.5]);
const SIMPLEX = new SimplexDistribution(['ce', 'mse', 'aux']);

/** Runs the conformance suite for one store. */
export function storageConformance(name: string, factory: StoreFactory): void {
  describe(`${name} keeps the Storage contract`, () => {
    const open: Storage[] = [];
    const fresh = async (): Promise<Storage> => {
      const store = await factory.make();
      open.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of open.splice(0)) await store.close();
    });
    after(() => factory.cleanup?.());

    studyCases(fresh);
    trialCases(fresh);
    valueCases(fresh);
    finishedCases(fresh);
  });
}

type Fresh = () => Promise<Storage>;

function studyCases(fresh: Fresh): void {
  it('finds a created study by name and keeps its directions', async () => {
    const store = await fresh();
    const a = await store.createStudy('a', ['minimize']);
    const b = await store.createStudy('b', ['maximize', 'minimize']);
    assert.notEqual(a, b);
    assert.equal(await store.getStudyId('b'), b);
    assert.deepEqual(await store.getStudyDirections(b), ['maximize', 'minimize']);
    const all = await store.getAllStudies();
    assert.deepEqual(
      all.map((s) => [s.studyId, s.studyName, [...s.directions]]),
      [
        [a, 'a', ['minimize']],
        [b, 'b', ['maximize', 'minimize']],
      ],
    );
  });

  it('refuses a second study with a taken name', async () => {
    const store = await fresh();
    await store.createStudy('same', ['minimize']);
    await assert.rejects(store.createStudy('same', ['maximize']), DuplicatedStudyError);
    assert.equal((await store.getAllStudies()).length, 1);
  });

  it('reports unknown studies with StudyNotFoundError', async () => {
    const store = await fresh();
    await assert.rejects(store.getStudyId('nope'), StudyNotFoundError);
    await assert.rejects(store.getStudyDirections(999), StudyNotFoundError);
    await assert.rejects(store.getAllTrials(999), StudyNotFoundError);
    await assert.rejects(store.createTrial(999), StudyNotFoundError);
    await assert.rejects(store.claimWaitingTrial(999), StudyNotFoundError);
    await assert.rejects(store.setStudyUserAttr(999, 'k', 1), StudyNotFoundError);
    await assert.rejects(store.deleteStudy(999), StudyNotFoundError);
  });

  it('deletes a study with its trials and leaves the others', async () => {
    const store = await fresh();
    const gone = await store.createStudy('gone', ['minimize']);
    const kept = await store.createStudy('kept', ['minimize']);
    const trial = await store.createTrial(gone);
    await store.setTrialParam(trial.id, 'x', 1, FLOAT);
    await store.createTrial(kept);
    await store.deleteStudy(gone);
    await assert.rejects(store.getStudyId('gone'), StudyNotFoundError);
    await assert.rejects(store.getTrial(trial.id), TrialNotFoundError);
    assert.equal((await store.getAllTrials(kept)).length, 1);
    const again = await store.createStudy('gone', ['maximize']);
    assert.deepEqual(await store.getAllTrials(again), []);
  });

  it('stores study attributes as JSON and overwrites them by key', async () => {
    const store = await fresh();
    const id = await store.createStudy('attrs', ['minimize']);
    await store.setStudyUserAttr(id, 'nested', { a: [1, 'two', null, true], b: { c: 0.5 } });
    await store.setStudyUserAttr(id, 'n', 1);
    await store.setStudyUserAttr(id, 'n', 2);
    await store.setStudySystemAttr(id, 'sys', 'x');
    assert.deepEqual(await store.getStudyUserAttrs(id), {
      nested: { a: [1, 'two', null, true], b: { c: 0.5 } },
      n: 2,
    });
    assert.deepEqual(await store.getStudySystemAttrs(id), { sys: 'x' });
  });
}

function trialCases(fresh: Fresh): void {
  it('numbers the trials of each study 0, 1, 2, … on their own', async () => {
    const store = await fresh();
    const a = await store.createStudy('a', ['minimize']);
    const b = await store.createStudy('b', ['minimize']);
    const numbers: number[] = [];
    for (let i = 0; i < 3; i++) {
      numbers.push((await store.createTrial(a)).number, (await store.createTrial(b)).number);
    }
    assert.deepEqual(numbers, [0, 0, 1, 1, 2, 2]);
    const trials = await store.getAllTrials(a);
    assert.deepEqual(
      trials.map((t) => t.number),
      [0, 1, 2],
    );
    assert.equal(new Set(trials.map((t) => t.id)).size, 3);
  });

  it('starts a trial RUNNING with a start time, or WAITING without one', async () => {
    const store = await fresh();
    const id = await store.createStudy('s', ['minimize']);
    const running = await store.createTrial(id);
    const waiting = await store.createTrial(id, {
      state: 'WAITING',
      userAttrs: { who: 'me' },
      systemAttrs: { fixed_params: { x: 0.5, c: null } },
    });
    assert.equal(running.state, 'RUNNING');
    assert.ok(running.datetimeStart instanceof Date);
    assert.equal(waiting.state, 'WAITING');
    assert.equal(waiting.datetimeStart, undefined);
    const read = await store.getTrial(waiting.id);
    assert.deepEqual(read.userAttrs, { who: 'me' });
    assert.deepEqual(read.systemAttrs, { fixed_params: { x: 0.5, c: null } });
  });

  it('hands out the oldest WAITING trial once, as RUNNING', async () => {
    const store = await fresh();
    const id = await store.createStudy('s', ['minimize']);
    await store.createTrial(id);
    const first = await store.createTrial(id, { state: 'WAITING' });
    const second = await store.createTrial(id, { state: 'WAITING' });
    const claims = await Promise.all([store.claimWaitingTrial(id), store.claimWaitingTrial(id)]);
    assert.deepEqual(
      claims.map((t) => t?.id),
      [first.id, second.id],
    );
    assert.ok(claims.every((t) => t?.state === 'RUNNING' && t.datetimeStart instanceof Date));
    assert.equal(await store.claimWaitingTrial(id), null);
  });

  it('starts a WAITING trial through setTrialState with a start time', async () => {
    const store = await fresh();
    const id = await store.createStudy('s', ['minimize']);
    const waiting = await store.createTrial(id, { state: 'WAITING' });
    const started = await store.setTrialState(waiting.id, 'RUNNING');
    assert.equal(started.state, 'RUNNING');
    assert.ok(started.datetimeStart instanceof Date);
    assert.equal(started.datetimeComplete, undefined);
  });

  it('lists trials by number, filtered by state', async () => {
    const store = await fresh();
    const id = await store.createStudy('s', ['minimize']);
    const states = ['COMPLETE', 'FAIL', 'RUNNING', 'PRUNED', 'COMPLETE'] as const;
    for (const state of states) {
      const trial = await store.createTrial(id);
      if (state === 'RUNNING') continue;
      await store.setTrialState(trial.id, state, state === 'COMPLETE' ? [1] : undefined);
    }
    await store.createTrial(id, { state: 'WAITING' });
    const all = await store.getAllTrials(id);
    assert.deepEqual(
      all.map((t) => t.state),
      [...states, 'WAITING'],
    );
    const done = await store.getAllTrials(id, ['COMPLETE', 'PRUNED']);
    assert.deepEqual(
      done.map((t) => t.number),
      [0, 3, 4],
    );
    assert.deepEqual(await store.getAllTrials(id, []), []);
  });

  it('reports unknown trials with TrialNotFoundError', async () => {
    const store = await fresh();
    await store.createStudy('s', ['minimize']);
    await assert.rejects(store.getTrial(12345), TrialNotFoundError);
    await assert.rejects(store.setTrialParam(12345, 'x', 1, FLOAT), TrialNotFoundError);
    await assert.rejects(store.setTrialIntermediateValue(12345, 0, 1), TrialNotFoundError);
    await assert.rejects(store.setTrialUserAttr(12345, 'k', 1), TrialNotFoundError);
    await assert.rejects(store.setTrialState(12345, 'COMPLETE', [1]), TrialNotFoundError);
  });
}

/** Every kind of parameter, with its internal value and the params entry it must produce. */
const PARAMS: [string, Distribution, number | Float64Array][] = [
  ['float', FLOAT, -1.25],
  ['log', LOG, 0.003],
  ['step', STEP, 0.75],
  ['int', INT, 7],
  ['choice-null', CHOICES, 1],
  ['choice-bool', CHOICES, 2],
  ['weights', SIMPLEX, Float64Array.from([0.5, -1.5])],
];

function valueCases(fresh: Fresh): void {
  it('reads params back with their distributions, a simplex as one entry', async () => {
    const store = await fresh();
    const id = await store.createStudy('s', ['minimize']);
    const trial = await store.createTrial(id);
    for (const [name, distribution, internal] of PARAMS) {
      await store.setTrialParam(trial.id, name, internal, distribution);
    }
    const read = await store.getTrial(trial.id);
    assert.deepEqual(
      Object.keys(read.distributions),
      PARAMS.map(([name]) => name),
    );
    for (const [name, distribution, internal] of PARAMS) {
      assert.ok(read.distributions[name]!.equals(distribution), name);
      assert.deepEqual(read.internalParams.get(name), internal, name);
    }
    const weights = SIMPLEX.weightsOf(Float64Array.from([0.5, -1.5]));
    assert.deepEqual(read.params, {
      float: -1.25,
      log: 0.003,
      step: 0.75,
      int: 7,
      'choice-null': null,
      'choice-bool': true,
      'weights.ce': weights[0],
      'weights.mse': weights[1],
      'weights.aux': weights[2],
    });
    assert.deepEqual(read.systemAttrs, {});
  });

  it('keeps NaN and infinite intermediate values, and vectors per step', async () => {
    const store = await fresh();
    const id = await store.createStudy('s', ['minimize', 'maximize']);
    const trial = await store.createTrial(id);
    const reports: [number, number | number[]][] = [
      [0, 1.5],
      [3, NaN],
      [1, Infinity],
      [2, -Infinity],
      [5, [0.25, NaN]],
      [4, [Infinity, -Infinity]],
    ];
    for (const [step, value] of reports) {
      await store.setTrialIntermediateValue(trial.id, step, value);
    }
    const read = await store.getTrial(trial.id);
    assert.deepEqual(
      [...read.intermediateValues],
      [
        [0, 1.5],
        [1, Infinity],
        [2, -Infinity],
        [3, NaN],
        [4, [Infinity, -Infinity]],
        [5, [0.25, NaN]],
      ],
    );
  });

  it('stores values, infinite ones included, and the completion time', async () => {
    const store = await fresh();
    const id = await store.createStudy('s', ['minimize', 'maximize', 'minimize']);
    const trial = await store.createTrial(id);
    const done = await store.setTrialState(trial.id, 'COMPLETE', [0.5, Infinity, -Infinity]);
    assert.deepEqual(done.values, [0.5, Infinity, -Infinity]);
    assert.equal(done.value, undefined);
    assert.ok(done.datetimeComplete instanceof Date);
    assert.ok(done.datetimeComplete >= done.datetimeStart!);
    assert.deepEqual(await store.getTrial(trial.id), done);
    const failed = await store.setTrialState((await store.createTrial(id)).id, 'FAIL');
    assert.equal(failed.values, undefined);
  });

  it('refuses NaN among the values of a trial and leaves it RUNNING', async () => {
    const store = await fresh();
    const id = await store.createStudy('s', ['minimize']);
    const trial = await store.createTrial(id);
    await assert.rejects(store.setTrialState(trial.id, 'COMPLETE', [NaN]), ValueError);
    assert.equal((await store.getTrial(trial.id)).state, 'RUNNING');
  });

  it('stores trial attributes as JSON and overwrites them by key', async () => {
    const store = await fresh();
    const id = await store.createStudy('s', ['minimize']);
    const trial = await store.createTrial(id);
    await store.setTrialUserAttr(trial.id, 'list', [1, { b: null }]);
    await store.setTrialUserAttr(trial.id, 'k', 'v1');
    await store.setTrialUserAttr(trial.id, 'k', 'v2');
    await store.setTrialSystemAttr(trial.id, 'fail_reason', 'because');
    const read = await store.getTrial(trial.id);
    assert.deepEqual(read.userAttrs, { list: [1, { b: null }], k: 'v2' });
    assert.deepEqual(read.systemAttrs, { fail_reason: 'because' });
  });

  it('returns the same trial from getTrial and getAllTrials', async () => {
    const store = await fresh();
    const id = await store.createStudy('s', ['minimize']);
    const trial = await store.createTrial(id);
    for (const [name, distribution, internal] of PARAMS) {
      await store.setTrialParam(trial.id, name, internal, distribution);
    }
    await store.setTrialIntermediateValue(trial.id, 0, 2);
    const done = await store.setTrialState(trial.id, 'COMPLETE', [2]);
    const [listed] = await store.getAllTrials(id);
    assert.deepEqual(listed, done);
    assert.deepEqual(await store.getTrial(trial.id), done);
  });
}

function finishedCases(fresh: Fresh): void {
  it('never changes a finished trial', async () => {
    const store = await fresh();
    const id = await store.createStudy('s', ['minimize']);
    for (const state of ['COMPLETE', 'PRUNED', 'FAIL'] as const) {
      const trial = await store.createTrial(id);
      const values = state === 'COMPLETE' ? [1] : undefined;
      const done = await store.setTrialState(trial.id, state, values);
      const writes: Promise<unknown>[] = [
        store.setTrialState(trial.id, 'COMPLETE', [2]),
        store.setTrialState(trial.id, 'RUNNING'),
        store.setTrialParam(trial.id, 'x', 1, FLOAT),
        store.setTrialParam(trial.id, 'w', Float64Array.from([0, 0]), SIMPLEX),
        store.setTrialIntermediateValue(trial.id, 0, 1),
        store.setTrialIntermediateValue(trial.id, 1, [1, 2]),
        store.setTrialUserAttr(trial.id, 'k', 1),
        store.setTrialSystemAttr(trial.id, 'k', 1),
      ];
      for (const write of writes) await assert.rejects(write, UpdateFinishedTrialError);
      assert.deepEqual(await store.getTrial(trial.id), done);
    }
  });

  it('returns frozen snapshots that later changes leave alone', async () => {
    const store = await fresh();
    const id = await store.createStudy('s', ['minimize']);
    const trial = await store.createTrial(id);
    await store.setTrialParam(trial.id, 'x', 1, FLOAT);
    const before = await store.getTrial(trial.id);
    const list = await store.getAllTrials(id);
    await store.setTrialParam(trial.id, 'y', 2, FLOAT);
    await store.setTrialUserAttr(trial.id, 'k', 1);
    await store.setTrialState(trial.id, 'COMPLETE', [3]);
    assert.ok(Object.isFrozen(before) && Object.isFrozen(before.params));
    assert.deepEqual(before.params, { x: 1 });
    assert.deepEqual(before.userAttrs, {});
    assert.equal(before.state, 'RUNNING');
    assert.equal(list[0]!.state, 'RUNNING');
    (list as FrozenTrial[]).pop();
    assert.equal((await store.getAllTrials(id)).length, 1);
  });
}
