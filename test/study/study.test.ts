import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { tempDir } from '../helpers.js';
import {
  createStudy,
  deleteStudy,
  DuplicatedStudyError,
  HpoError,
  InMemoryStorage,
  listStudies,
  loadStudy,
  MedianPruner,
  ParetoPruner,
  RandomSampler,
  StudyNotFoundError,
  TrialPruned,
  UpdateFinishedTrialError,
  ValueError,
  type Pruner,
  type Trial,
} from '../../src/index.js';

const sampler = () => new RandomSampler({ seed: 1 });

describe('Study.optimize', () => {
  it('runs nTrials trials and finds the best one of a single objective', async () => {
    const study = await createStudy({ sampler: sampler() });
    await study.optimize((trial) => (trial.suggestFloat('x', -10, 10) - 2) ** 2, { nTrials: 30 });
    const trials = await study.getTrials();
    assert.equal(trials.length, 30);
    assert.deepEqual(
      trials.map((t) => t.number),
      [...Array(30).keys()],
    );
    const best = await study.bestTrial;
    assert.equal(best.value, Math.min(...trials.map((t) => t.value!)));
    assert.equal(await study.bestValue, best.value);
    assert.deepEqual(await study.bestParams, best.params);
  });

  it('maximizes when asked to', async () => {
    const study = await createStudy({ direction: 'maximize', sampler: sampler() });
    await study.optimize((trial) => trial.suggestFloat('x', 0, 1), { nTrials: 10 });
    const values = (await study.getTrials()).map((t) => t.value!);
    assert.equal(await study.bestValue, Math.max(...values));
  });

  it('gives the exact Pareto front of a multi-objective study as bestTrials', async () => {
    const study = await createStudy({ directions: ['minimize', 'maximize'], sampler: sampler() });
    const points = [
      [1, 1],
      [2, 3],
      [0, 0],
      [2, 2],
      [1, 3],
      [3, 4],
    ];
    let i = 0;
    await study.optimize(() => points[i++]!, { nTrials: points.length });
    const front = (await study.bestTrials).map((t) => t.number);
    assert.deepEqual(front, [2, 4, 5]);
    await assert.rejects(study.bestTrial, /single-objective studies.*use bestTrials/);
  });

  const badResults: [string, unknown, RegExp][] = [
    ['NaN', Number.NaN, /must be finite.*NaN is not finite/],
    ['Infinity', Infinity, /must be finite/],
    ['two values for one objective', [1, 2], /must return 1 value, but it returned 2/],
    ['a string', 'oops', /must return a number or an array of numbers, but returned "oops"/],
  ];
  for (const [what, result, reason] of badResults) {
    it(`fails only the trial whose objective returns ${what}, storing why`, async () => {
      const study = await createStudy({ sampler: sampler() });
      let n = 0;
      await study.optimize(() => (n++ === 1 ? (result as number) : n), { nTrials: 3 });
      const states = (await study.getTrials()).map((t) => t.state);
      assert.deepEqual(states, ['COMPLETE', 'FAIL', 'COMPLETE']);
      const failed = (await study.getTrials())[1]!;
      assert.match(String(failed.systemAttrs['fail_reason']), reason);
    });
  }

  it('stores a throwing trial as FAIL with its message and re-throws the error', async () => {
    const study = await createStudy({ sampler: sampler() });
    await assert.rejects(
      study.optimize(
        () => {
          throw new RangeError('boom');
        },
        { nTrials: 5 },
      ),
      /boom/,
    );
    const trials = await study.getTrials();
    assert.equal(trials.length, 1);
    assert.equal(trials[0]!.state, 'FAIL');
    assert.equal(trials[0]!.systemAttrs['fail_reason'], 'RangeError: boom');
  });

  it('goes on after errors of the classes listed in catch', async () => {
    const study = await createStudy({ sampler: sampler() });
    await study.optimize(
      () => {
        throw new RangeError('boom');
      },
      { nTrials: 3, catch: [RangeError] },
    );
    assert.deepEqual(
      (await study.getTrials()).map((t) => t.state),
      ['FAIL', 'FAIL', 'FAIL'],
    );
  });

  it('ends a trial that throws TrialPruned as PRUNED with its last reported value', async () => {
    const study = await createStudy({ sampler: sampler() });
    await study.optimize(
      (trial) => {
        trial.report(0.5, 0);
        trial.report(0.25, 1);
        throw new TrialPruned();
      },
      { nTrials: 1 },
    );
    const [trial] = await study.getTrials();
    assert.equal(trial!.state, 'PRUNED');
    assert.equal(trial!.value, 0.25);
    assert.deepEqual(
      [...trial!.intermediateValues],
      [
        [0, 0.5],
        [1, 0.25],
      ],
    );
  });

  it('runs trials concurrently up to the concurrency option', async () => {
    const study = await createStudy({ sampler: sampler() });
    let inFlight = 0;
    let peak = 0;
    await study.optimize(
      async (trial) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return trial.suggestFloat('x', 0, 1);
      },
      { nTrials: 12, concurrency: 4 },
    );
    assert.equal(peak, 4);
    assert.equal((await study.getTrials({ states: ['COMPLETE'] })).length, 12);
  });

  it('stops starting trials when the signal aborts and stores the running one', async () => {
    const study = await createStudy({ sampler: sampler() });
    const controller = new AbortController();
    await study.optimize(
      async (trial) => {
        if (trial.number === 2) controller.abort();
        await new Promise((resolve) => setTimeout(resolve, 1));
        return trial.number;
      },
      { signal: controller.signal },
    );
    assert.deepEqual(
      (await study.getTrials()).map((t) => t.state),
      ['COMPLETE', 'COMPLETE', 'COMPLETE'],
    );
  });

  it('stops starting trials after the timeout', async () => {
    const study = await createStudy({ sampler: sampler() });
    await study.optimize(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return 1;
      },
      { timeout: 0.05 },
    );
    const n = (await study.getTrials()).length;
    assert.ok(n >= 1 && n <= 3, `expected 1 to 3 trials, got ${n}`);
  });

  it('calls every callback with the study and the finished trial', async () => {
    const study = await createStudy({ sampler: sampler() });
    const seen: number[] = [];
    await study.optimize(() => 1, { nTrials: 3, callbacks: [(s, t) => seen.push(t.number)] });
    assert.deepEqual(seen, [0, 1, 2]);
  });

  const badOptions: [string, object, RegExp][] = [
    ['a negative nTrials', { nTrials: -1 }, /nTrials must be an integer >= 0, but got -1/],
    ['a zero concurrency', { concurrency: 0 }, /concurrency must be an integer >= 1, but got 0/],
    ['a zero timeout', { timeout: 0 }, /timeout must be a number of seconds > 0, but got 0/],
    [
      'a callback that is not a function',
      { callbacks: [1] },
      /callbacks must be an array of functions/,
    ],
  ];
  for (const [what, options, message] of badOptions) {
    it(`rejects ${what} before running any trial`, async () => {
      const study = await createStudy({ sampler: sampler() });
      await assert.rejects(
        study.optimize(() => 1, options),
        (e: unknown) => e instanceof ValueError && message.test(e.message),
      );
      assert.equal((await study.getTrials()).length, 0);
    });
  }
});

describe('Trial', () => {
  it('returns the first value when a name is asked twice', async () => {
    const study = await createStudy({ sampler: sampler() });
    await study.optimize(
      (trial) => {
        const a = trial.suggestFloat('x', 0, 1);
        assert.equal(trial.suggestFloat('x', 0, 1), a);
        return a;
      },
      { nTrials: 3 },
    );
  });

  it('refuses a name asked again with another distribution, failing only that trial', async () => {
    const study = await createStudy({ sampler: sampler() });
    await assert.rejects(
      study.optimize(
        (trial) => {
          trial.suggestFloat('x', 0, 1);
          return trial.suggestInt('x', 0, 1);
        },
        { nTrials: 1 },
      ),
      /parameter "x" was already suggested in trial 0 with a different distribution/,
    );
    assert.equal((await study.getTrials())[0]!.state, 'FAIL');
  });

  it('keeps every suggestion inside its distribution', async () => {
    const study = await createStudy({ sampler: sampler() });
    await study.optimize(
      (trial) => {
        const x = trial.suggestFloat('x', 1e-4, 1, { log: true });
        const s = trial.suggestFloat('s', 0, 1, { step: 0.25 });
        const n = trial.suggestInt('n', 2, 10, { step: 4 });
        const c = trial.suggestCategorical('c', ['a', null, true]);
        assert.ok(x >= 1e-4 && x <= 1);
        assert.ok([0, 0.25, 0.5, 0.75, 1].includes(s));
        assert.ok([2, 6, 10].includes(n));
        assert.ok(['a', null, true].includes(c));
        return x;
      },
      { nTrials: 50 },
    );
  });

  it('gives simplex weights that sum to one and stores them as name.label', async () => {
    const study = await createStudy({ sampler: sampler() });
    await study.optimize(
      (trial) => {
        const w = trial.suggestSimplex('lambda', ['left', 'right', 'sum']);
        assert.ok(Math.abs(w.left + w.right + w.sum - 1) < 1e-12);
        return w.left;
      },
      { nTrials: 5 },
    );
    const [trial] = await study.getTrials();
    assert.deepEqual(Object.keys(trial!.params).sort(), [
      'lambda.left',
      'lambda.right',
      'lambda.sum',
    ]);
    assert.equal(trial!.distributions['lambda']!.kind, 'simplex');
  });

  it('rejects a negative or fractional step in report', async () => {
    const study = await createStudy({ sampler: sampler() });
    const trial = await study.ask();
    assert.throws(() => trial.report(1, -1), /step must be a non-negative integer, but got -1/);
    assert.throws(() => trial.report(1, 0.5), /step must be a non-negative integer, but got 0.5/);
  });

  it('accepts one value per objective in report of a multi-objective study', async () => {
    const study = await createStudy({ directions: ['minimize', 'minimize'] });
    const trial = await study.ask();
    trial.report([1, 2], 0);
    assert.throws(() => trial.report([1, 2, 3], 1), /an array of 2 numbers \(one per objective\)/);
    const told = await study.tell(trial, [1, 2]);
    assert.deepEqual(told.intermediateValues.get(0), [1, 2]);
  });

  it('asks the pruner with the value just reported', async () => {
    const pruner: Pruner = { prune: (_study, trial) => trial.intermediateValues.get(3) === 7 };
    const study = await createStudy({ pruner, sampler: sampler() });
    const trial = await study.ask();
    trial.report(6, 2);
    assert.equal(trial.shouldPrune(), false);
    trial.report(7, 3);
    assert.equal(trial.shouldPrune(), true);
  });

  it('stores user attributes of trials and studies', async () => {
    const study = await createStudy({ sampler: sampler() });
    await study.optimize(
      (trial: Trial) => {
        trial.setUserAttr('note', { epochs: [1, 2] });
        return 1;
      },
      { nTrials: 1 },
    );
    await study.setUserAttr('owner', 'me');
    assert.deepEqual((await study.getTrials())[0]!.userAttrs, { note: { epochs: [1, 2] } });
    assert.deepEqual(await study.userAttrs, { owner: 'me' });
  });
});

describe('ask and tell', () => {
  it('tells by trial or by number, and refuses a second tell', async () => {
    const study = await createStudy({ sampler: sampler() });
    const a = await study.ask();
    const b = await study.ask();
    assert.equal((await study.tell(a, 1)).state, 'COMPLETE');
    assert.equal((await study.tell(b.number, 2)).value, 2);
    await assert.rejects(study.tell(a, 3), UpdateFinishedTrialError);
    assert.equal((await study.getTrials()).length, 2);
  });

  it('marks FAIL a trial told a wrong number of values, without throwing', async () => {
    const study = await createStudy({ directions: ['minimize', 'minimize'] });
    const trial = await study.ask();
    const told = await study.tell(trial, [1]);
    assert.equal(told.state, 'FAIL');
    assert.match(String(told.systemAttrs['fail_reason']), /has 2 objectives/);
  });

  it('refuses COMPLETE without values and an unknown trial number', async () => {
    const study = await createStudy();
    const trial = await study.ask();
    await assert.rejects(study.tell(trial), /a COMPLETE trial needs values/);
    await assert.rejects(study.tell(5, 1), /has no trial number 5 \(it has 1 trials\)/);
  });

  it('hands enqueued values to the next trial', async () => {
    const study = await createStudy({ sampler: sampler() });
    await study.enqueueTrial({ x: 0.125, c: 'b', w: { a: 0.25, b: 0.75 } });
    const trial = await study.ask();
    assert.equal(trial.suggestFloat('x', 0, 1), 0.125);
    assert.equal(trial.suggestCategorical('c', ['a', 'b']), 'b');
    const w = trial.suggestSimplex('w', ['a', 'b']);
    assert.ok(Math.abs(w.a - 0.25) < 1e-12);
    const other = trial.suggestInt('n', 0, 5);
    assert.ok(other >= 0 && other <= 5);
  });
});

describe('createStudy, loadStudy, deleteStudy, listStudies', () => {
  it('refuses a taken name unless loadIfExists is set', async () => {
    const storage = new InMemoryStorage();
    const first = await createStudy({ studyName: 's', storage });
    await first.optimize(() => 1, { nTrials: 2 });
    await assert.rejects(createStudy({ studyName: 's', storage }), DuplicatedStudyError);
    const again = await createStudy({ studyName: 's', storage, loadIfExists: true });
    assert.equal((await again.getTrials()).length, 2);
  });

  it('loads, lists and deletes studies by name', async () => {
    const storage = new InMemoryStorage();
    const study = await createStudy({
      studyName: 'a',
      storage,
      directions: ['minimize', 'maximize'],
    });
    await study.optimize(() => [1, 2], { nTrials: 1 });
    const loaded = await loadStudy({ studyName: 'a', storage });
    assert.deepEqual(loaded.directions, ['minimize', 'maximize']);
    const [summary] = await listStudies(storage);
    assert.equal(summary!.studyName, 'a');
    assert.equal(summary!.nTrials, 1);
    await deleteStudy({ studyName: 'a', storage });
    await assert.rejects(loadStudy({ studyName: 'a', storage }), StudyNotFoundError);
  });

  it('defaults to MedianPruner for one objective and ParetoPruner for several', async () => {
    assert.ok((await createStudy()).pruner instanceof MedianPruner);
    assert.ok(
      (await createStudy({ directions: ['minimize', 'minimize'] })).pruner instanceof ParetoPruner,
    );
  });

  const badOptions: [string, object, RegExp][] = [
    [
      'both direction and directions',
      { direction: 'minimize', directions: ['minimize'] },
      /give direction or directions, not both/,
    ],
    [
      'an unknown direction',
      { direction: 'down' },
      /each direction must be "minimize" or "maximize", but got "down"/,
    ],
    ['empty directions', { directions: [] }, /directions must be a non-empty array, but got \[\]/],
    [
      'an unparseable storage string',
      { storage: 'mysql://x' },
      /storage must be ':memory:', 'sqlite:PATH'/,
    ],
    ['an empty study name', { studyName: '' }, /studyName must be a non-empty string/],
  ];
  for (const [what, options, message] of badOptions) {
    it(`rejects ${what} with an HpoError`, async () => {
      await assert.rejects(
        createStudy(options as never),
        (e: unknown) => e instanceof HpoError && message.test(e.message),
      );
    });
  }
});

describe('storage URLs', () => {
  it('reads SqliteStorage options from the query of a sqlite URL', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const url = `sqlite:${dir}/s.db?heartbeatInterval=5&gracePeriod=20`;
      const study = await createStudy({ storage: url, studyName: 'hb' });
      assert.equal(study.storage.heartbeat?.intervalSeconds, 5);
      assert.equal(study.storage.heartbeat?.gracePeriodSeconds, 20);
      await study.storage.close();
    } finally {
      cleanup();
    }
  });

  it('refuses an unknown query key in a sqlite URL', async () => {
    await assert.rejects(
      createStudy({ storage: 'sqlite:x.db?speed=3' }),
      /query may set heartbeatInterval, gracePeriod, busyTimeout to numbers of seconds, but got sp/,
    );
  });
});
