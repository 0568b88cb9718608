import { finished, spawnFixture, tempDir } from '../helpers.js';

import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';

import { createStudy, SqliteStorage } from '../../src/index.js';
import type { FrozenTrial } from '../../src/trial/index.js';

const temp = tempDir('hpo-sqlite-processes-');
after(() => temp.cleanup());

/** Every trial of a study, read by a fresh connection. */
async function trialsOf(path: string, studyName: string): Promise<readonly FrozenTrial[]> {
  const store = new SqliteStorage(path);
  try {
    return await store.getAllTrials(await store.getStudyId(studyName));
  } finally {
    await store.close();
  }
}

async function runWriter(args: string[]): Promise<{ numbers: number[] }> {
  const result = await finished(spawnFixture('sqlite-writer', args));
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as { numbers: number[] };
}

describe('SqliteStorage shared by processes', () => {
  it('keeps numbers unique and dense and every tell when two processes write at once', async () => {
    const path = join(temp.dir, 'two-writers.db');
    const runs = await Promise.all([
      runWriter([path, 'shared', '40', '1', 'plain']),
      runWriter([path, 'shared', '40', '2', 'plain']),
    ]);
    const trials = await trialsOf(path, 'shared');
    assert.deepEqual(
      trials.map((t) => t.number),
      Array.from({ length: 80 }, (_, i) => i),
    );
    assert.ok(trials.every((t) => t.state === 'COMPLETE' && t.values?.length === 1));
    const ran = [...runs[0]!.numbers, ...runs[1]!.numbers].sort((a, b) => a - b);
    assert.deepEqual(
      ran,
      trials.map((t) => t.number),
    );
  });

  it("fails a killed writer's trial when the next one starts, and resumes numbering", async () => {
    const path = join(temp.dir, 'killed.db');
    const child = spawnFixture('sqlite-writer', [path, 'crash', '1', '3', 'hang']);
    const exit = finished(child);
    let output = '';
    while (!output.includes('started 0')) {
      output += String((await once(child.stdout!, 'data'))[0]);
    }
    child.kill('SIGKILL');
    assert.equal((await exit).signal, 'SIGKILL');
    assert.equal((await trialsOf(path, 'crash'))[0]?.state, 'RUNNING');

    await sleep(2200); // past the 2 s grace period since the dead process's last beat
    const resumed = await runWriter([path, 'crash', '3', '4', 'heartbeat']);
    const trials = await trialsOf(path, 'crash');
    assert.deepEqual(resumed.numbers, [1, 2, 3]);
    assert.deepEqual(
      trials.map((t) => t.state),
      ['FAIL', 'COMPLETE', 'COMPLETE', 'COMPLETE'],
    );
    assert.match(String(trials[0]!.systemAttrs['fail_reason']), /heartbeat/);
    assert.ok(trials[0]!.datetimeComplete instanceof Date);
  });

  it('lets exactly one of two processes run an enqueued trial', async () => {
    const path = join(temp.dir, 'enqueued.db');
    const store = new SqliteStorage(path);
    const study = await createStudy({ storage: store, studyName: 'queue' });
    await study.enqueueTrial({ x: 0.123 });
    await store.close();
    await Promise.all([
      runWriter([path, 'queue', '5', '5', 'plain']),
      runWriter([path, 'queue', '5', '6', 'plain']),
    ]);
    const trials = await trialsOf(path, 'queue');
    assert.equal(trials.length, 10); // the enqueued trial is one of the ten
    const fixed = trials.filter((t) => t.params['x'] === 0.123);
    assert.equal(fixed.length, 1);
    assert.equal(fixed[0]!.number, 0);
    assert.ok(trials.every((t) => t.state === 'COMPLETE'));
  });
});
