import assert from 'node:assert/strict';
import { test } from 'node:test';

import '../helpers.js';
import { forestImportance } from '../../src/report/importance.js';
import { Random } from '../../src/random.js';

function columns(n: number, seed: number): Float64Array[] {
  const random = new Random(seed);
  return Array.from({ length: 3 }, () => Float64Array.from({ length: n }, () => random.uniform()));
}

test('importance goes to the one feature the target depends on', () => {
  const x = columns(60, 1);
  const target = Float64Array.from(x[1]!, (v) => Math.sin(6 * v));
  const scores = forestImportance(x, target);
  assert.ok(scores[1]! > 0.8, `scores ${[...scores]}`);
});

test('importances are non-negative and sum to one', () => {
  const x = columns(40, 2);
  const target = Float64Array.from(x[0]!, (v, i) => v + 2 * x[2]![i]!);
  const scores = forestImportance(x, target, { seed: 3 });
  assert.ok(scores.every((s) => s >= 0));
  assert.ok(Math.abs(scores.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(scores[2]! > scores[0]! && scores[0]! > scores[1]!, `scores ${[...scores]}`);
});

test('a constant target or a single row gives all-zero importance', () => {
  assert.deepEqual([...forestImportance(columns(10, 4), new Float64Array(10).fill(3))], [0, 0, 0]);
  assert.deepEqual([...forestImportance(columns(1, 4), new Float64Array(1))], [0, 0, 0]);
});

test('the same seed gives the same importance', () => {
  const x = columns(30, 5);
  const target = Float64Array.from(x[0]!, (v, i) => v * x[1]![i]!);
  assert.deepEqual(
    forestImportance(x, target, { seed: 9 }),
    forestImportance(x, target, { seed: 9 }),
  );
});
