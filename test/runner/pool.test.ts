import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import Database from 'better-sqlite3';

import '../helpers.js';
import { fixture, tempDir } from '../helpers.js';
import { createStudy, ValueError, type Study } from '../../src/index.js';
import { workerStorageUrl } from '../../src/runner/pool.js';
import { resolveStorage, SqliteStorage } from '../../src/storage/index.js';

// Worker threads read their log level from the environment.
process.env['HPO_LOG_LEVEL'] ??= 'silent';
const module = fixture('runner-objectives');

describe('module objectives in the worker pool', () => {
  let dir: string;
  let cleanup: () => void;
  let counter = 0;
  before(() => ({ dir, cleanup } = tempDir('hpo-runner-')));
  after(() => cleanup());

  const sqliteStudy = (): Promise<Study> =>
    createStudy({ storage: `sqlite:${join(dir, `s${counter++}.db`)}`, studyName: 'pool' });

  it('runs nTrials trials with 2 workers, each stored COMPLETE with dense numbers', async () => {
    const study = await sqliteStudy();
    const seen: number[] = [];
    await study.optimize(
      { module },
      { nTrials: 6, workers: 2, callbacks: [(_s, trial) => seen.push(trial.number)] },
    );
    const trials = await study.getTrials();
    assert.deepEqual(
      trials.map((t) => t.number),
      [0, 1, 2, 3, 4, 5],
    );
    assert.ok(trials.every((t) => t.state === 'COMPLETE'));
    assert.ok(trials.every((t) => t.value === ((t.params['x'] as number) - 2) ** 2));
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4, 5]);
  });

  const failures = [
    { exportName: 'throwsOnOne', reason: /boom in trial 1/ },
    { exportName: 'exitsOnOne', reason: /worker ended/ },
    { exportName: 'hangsOnOne', reason: /trialTimeout=1 s/ },
  ];
  for (const { exportName, reason } of failures) {
    const rule = `a worker trial that ${exportName} fails alone with its reason; the study goes on`;
    it(rule, async () => {
      const study = await sqliteStudy();
      await study.optimize({ module, exportName }, { nTrials: 4, workers: 2, trialTimeout: 1 });
      const trials = await study.getTrials();
      assert.equal(trials.length, 4);
      const failed = trials.filter((t) => t.state === 'FAIL');
      assert.deepEqual(
        failed.map((t) => t.number),
        [1],
      );
      assert.match(String(failed[0]!.systemAttrs['fail_reason']), reason);
      assert.equal(trials.filter((t) => t.state === 'COMPLETE').length, 3);
    });
  }

  it('an aborted signal starts no more trials and ends the running ones as FAIL', async () => {
    const study = await sqliteStudy();
    const controller = new AbortController();
    await study.optimize(
      { module, exportName: 'slow' },
      { nTrials: 20, workers: 2, signal: controller.signal, callbacks: [() => controller.abort()] },
    );
    const trials = await study.getTrials();
    assert.ok(trials.length >= 1 && trials.length <= 3, `ran ${trials.length} trials`);
    assert.ok(trials.some((t) => t.state === 'COMPLETE'));
    assert.ok(trials.every((t) => t.state === 'COMPLETE' || t.state === 'FAIL'));
    const aborted = trials.filter((t) => t.state === 'FAIL');
    assert.ok(aborted.every((t) => /aborted/.test(String(t.systemAttrs['fail_reason']))));
  });

  it('refuses workers > 1 on an in-memory study and says to use a SQLite store', async () => {
    const study = await createStudy();
    await assert.rejects(study.optimize({ module }, { nTrials: 1, workers: 2 }), (error: Error) => {
      assert.ok(error instanceof ValueError);
      assert.match(error.message, /workers=2 .*in memory.*Use a SQLite store/);
      return true;
    });
  });

  it('runs a module objective in this thread for an in-memory study with one worker', async () => {
    const study = await createStudy();
    await study.optimize({ module, exportName: 'empty' }, { nTrials: 3 });
    assert.deepEqual(
      (await study.getTrials()).map((t) => t.value),
      [0, 1, 2],
    );
  });

  it('rejects with the reason when the module lacks the export, creating no trial', async () => {
    const study = await sqliteStudy();
    await assert.rejects(
      study.optimize({ module, exportName: 'missing' }, { nTrials: 2, workers: 1 }),
      /must export a function named "missing"/,
    );
    assert.equal((await study.getTrials()).length, 0);
  });

  const badOptions = [
    { options: { workers: 0 }, message: /workers must be an integer >= 1, but got 0/ },
    { options: { trialTimeout: -1 }, message: /trialTimeout must be a number of seconds > 0/ },
  ];
  for (const { options, message } of badOptions) {
    it(`rejects ${JSON.stringify(options)} with a message naming the option`, async () => {
      const study = await sqliteStudy();
      await assert.rejects(study.optimize({ module }, { nTrials: 1, ...options }), message);
    });
  }

  it("a worker opens the store with the parent's busy timeout, heartbeat and grace", () => {
    const url = `sqlite:${join(dir, 'options.db')}`;
    const cases = [
      { query: '?heartbeatInterval=0.5&gracePeriod=2&busyTimeout=7', beat: [0.5, 2], busy: 7 },
      { query: '?heartbeatInterval=3', beat: [3, 6], busy: 30 },
      { query: '', beat: undefined, busy: 30 },
    ];
    for (const { query, beat, busy } of cases) {
      const parent = resolveStorage(url + query) as SqliteStorage;
      const worker = resolveStorage(workerStorageUrl(parent)) as SqliteStorage;
      assert.ok(worker instanceof SqliteStorage);
      assert.equal(worker.path, parent.path);
      assert.equal(worker.busyTimeout, busy);
      const heartbeat = worker.heartbeat;
      const seen = heartbeat && [heartbeat.intervalSeconds, heartbeat.gracePeriodSeconds];
      assert.deepEqual(seen, beat, `for ${JSON.stringify(query)}`);
    }
  });

  it('workers beat for their trials and fail a trial whose heartbeat lapsed', async () => {
    const storage = `sqlite:${join(dir, 'beat.db')}?heartbeatInterval=0.1&gracePeriod=0.3`;
    const study = await createStudy({ storage, studyName: 'beat' });
    const orphan = await study.storage.createTrial(study.studyId);
    await study.storage.heartbeat!.recordHeartbeat(orphan.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await study.optimize({ module, exportName: 'empty' }, { nTrials: 2, workers: 1 });
    const trials = await study.getTrials();
    assert.deepEqual(
      trials.map((t) => t.state),
      ['FAIL', 'COMPLETE', 'COMPLETE'],
    );
    assert.match(String(trials[0]!.systemAttrs['fail_reason']), /heartbeat stopped/);
    const db = new Database(join(dir, 'beat.db'), { readonly: true });
    const beating = db.prepare('SELECT trial_id FROM trial_heartbeats ORDER BY trial_id').all();
    db.close();
    assert.deepEqual(
      beating.map((row) => (row as { trial_id: number }).trial_id),
      trials.map((t) => t.id),
    );
  });
});
