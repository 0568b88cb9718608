import '../helpers.js';

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { finished, spawnFixture, tempDir } from '../helpers.js';

interface Outcome {
  number: number;
  state: string;
  lastStep: number;
}

async function run(args: string[]): Promise<Outcome[]> {
  const result = await finished(spawnFixture('pruner-worker', args));
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout.trim()) as Outcome[];
}

describe('pruning across processes sharing a SQLite store', () => {
  const cases = [
    { pruner: 'median', prunedAt: 0 },
    { pruner: 'halving', prunedAt: 1 },
  ];
  for (const { pruner, prunedAt } of cases) {
    it(`lets one process's trials prune the other's (${pruner})`, async () => {
      const { dir, cleanup } = tempDir();
      try {
        const db = join(dir, 'study.db');
        // The good process runs while the bad one starts, once three good trials are stored.
        const [good, bad] = await Promise.all([
          run([db, 'shared', 'good', '6', pruner]),
          run([db, 'shared', 'bad', '3', pruner, '3']),
        ]);
        assert.deepEqual(
          good.map((t) => t.state),
          Array(6).fill('COMPLETE'),
        );
        assert.deepEqual(
          bad.map((t) => [t.state, t.lastStep]),
          Array(3).fill(['PRUNED', prunedAt]),
        );
        const numbers = [...good, ...bad].map((t) => t.number).sort((a, b) => a - b);
        assert.deepEqual(numbers, [...Array(9).keys()]);
      } finally {
        cleanup();
      }
    });
  }
});
