import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { finished, fixture, tempDir } from '../helpers.js';
import { spawnCli, writeStudy } from '../fixtures/cli-run.js';
import { loadStudy, SqliteStorage, type FrozenTrial } from '../../src/index.js';

const temp = tempDir('hpo-cli-signals-');
after(() => temp.cleanup());

/** Resolves once the child's progress output shows at least `done` finished trials. */
function afterTrials(child: ChildProcess, done: number): Promise<void> {
  return new Promise((resolve) => {
    let text = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const counts = [...text.matchAll(/trials (\d+)\//g)].map((m) => Number(m[1]));
      if (counts.some((n) => n >= done)) resolve();
    });
  });
}

async function storedTrials(path: string, name: string): Promise<readonly FrozenTrial[]> {
  const storage = new SqliteStorage(path);
  try {
    return await (await loadStudy({ studyName: name, storage })).getTrials();
  } finally {
    await storage.close();
  }
}

function slowStudy(name: string, trials: number): { file: string; db: string } {
  const db = join(temp.dir, `${name}.db`);
  const file = writeStudy(temp.dir, {
    name,
    storage: `sqlite:${db}`,
    trials,
    heartbeat: { interval: 0.2, gracePeriod: 1 },
    objective: { module: fixture('cli-objective'), exportName: 'slow' },
  });
  return { file, db };
}

test('a run killed with SIGKILL resumes with no trial lost or duplicated', async () => {
  const { file, db } = slowStudy('killed', 8);
  const first = spawnCli(['run', file], temp.dir);
  const exited = finished(first);
  await afterTrials(first, 3);
  // Trials take 200 ms: 100 ms after a progress line, the next trial is mid-run.
  await new Promise((resolve) => setTimeout(resolve, 100));
  first.kill('SIGKILL');
  assert.equal((await exited).signal, 'SIGKILL');

  const second = await finished(spawnCli(['run', file], temp.dir));
  assert.equal(second.code, 0, second.stderr);
  const trials = await storedTrials(db, 'killed');
  assert.deepEqual(
    trials.map((t) => t.number),
    trials.map((_, i) => i),
  );
  assert.equal(trials.filter((t) => t.state === 'COMPLETE').length, 8);
  assert.equal(trials.filter((t) => t.state === 'RUNNING' || t.state === 'WAITING').length, 0);
  const dead = trials.filter((t) => t.state === 'FAIL');
  assert.ok(dead.length >= 1, 'the kill landed while a trial ran, so one trial died with it');
  for (const died of dead) {
    const retry = trials.find((t) => t.userAttrs['retry_of'] === died.number);
    assert.ok(retry, `trial ${died.number} died with its process and was queued again`);
    assert.deepEqual(retry.params, died.params);
  }
});

test('Ctrl-C stops handing out trials, lets the running one finish, and exits 130', async () => {
  const { file, db } = slowStudy('interrupted', 50);
  const child = spawnCli(['run', file], temp.dir);
  const exited = finished(child);
  await afterTrials(child, 2);
  child.kill('SIGINT');
  const { code, stderr } = await exited;
  assert.equal(code, 130);
  assert.match(stderr, /stopping; waiting up to 30 s for 1 running trial/);
  const trials = await storedTrials(db, 'interrupted');
  assert.ok(trials.length < 50);
  assert.ok(
    trials.every((t) => t.state === 'COMPLETE'),
    'the running trial ended cleanly',
  );
});

test('a second Ctrl-C fails the running trials and exits at once', async () => {
  const { file, db } = slowStudy('twice', 50);
  const child = spawnCli(['run', file], temp.dir, { HPO_TEST_SLEEP_MS: '20000' });
  const exited = finished(child);
  await afterTrials(child, 0);
  await new Promise((done) => setTimeout(done, 500));
  child.kill('SIGINT');
  await new Promise((done) => setTimeout(done, 200));
  child.kill('SIGINT');
  assert.equal((await exited).code, 130);
  const trials = await storedTrials(db, 'twice');
  assert.equal(trials.length, 1);
  assert.equal(trials[0]!.state, 'FAIL');
  assert.match(String(trials[0]!.systemAttrs['fail_reason']), /^interrupted: a second SIGINT/);
});

test('workers: 2 runs a second process that shares the budget through the store', async () => {
  const { file, db } = slowStudy('pair', 6);
  const { code, stderr } = await finished(spawnCli(['run', file, '--workers', '2'], temp.dir));
  assert.equal(code, 0, stderr);
  const trials = await storedTrials(db, 'pair');
  assert.equal(trials.filter((t) => t.state === 'COMPLETE').length, 6);
  // A process that lost the race for the last place ends its trial unrun, never a 7th.
  for (const trial of trials.filter((t) => t.state === 'FAIL')) {
    assert.match(String(trial.systemAttrs['fail_reason']), /not run: other processes/);
  }
});
