import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import '../helpers.js';
import { UsageError } from '../../src/cli/errors.js';
import { parseStudyFile, studyFileJsonSchema } from '../../src/cli/study-file.js';

// From build/test/cli/ the repository root is one level further up than from test/cli/.
const up = import.meta.url.endsWith('.ts') ? '../../' : '../../../';
const studiesDir = fileURLToPath(new URL(`${up}studies/`, import.meta.url));

const valid = {
  name: 'demo',
  directions: ['minimize'],
  trials: 10,
  searchSpace: { x: { type: 'float', low: 0, high: 1 } },
  objective: { module: './objective.mjs' },
};

function problems(file: unknown): string {
  try {
    parseStudyFile(JSON.stringify(file), 'demo.json');
  } catch (error) {
    assert.ok(error instanceof UsageError);
    return error.message;
  }
  return assert.fail('expected the study file to be refused');
}

test('a valid study file gets its defaults filled in', () => {
  const file = parseStudyFile(JSON.stringify(valid), '/tmp/demo.json');
  assert.equal(file.storage, 'sqlite:studies/demo.db');
  assert.deepEqual(file.metrics, ['objective0']);
  assert.equal(file.workers, 1);
  assert.equal(file.reportDir, 'reports/demo');
  assert.deepEqual(file.objective, { module: '/tmp/objective.mjs' });
});

const cases: { rule: string; patch: Record<string, unknown>; expected: RegExp }[] = [
  {
    rule: 'the name is a file-safe word',
    patch: { name: 'a b' },
    expected: /- name: expected a name/,
  },
  {
    rule: 'directions are minimize or maximize',
    patch: { directions: ['down'] },
    expected: /- directions\[0\]: .*"minimize"\|"maximize"/,
  },
  {
    rule: 'the budget is a positive integer',
    patch: { trials: 0 },
    expected: /- trials: .*>=1/,
  },
  {
    rule: 'metrics match directions',
    patch: { metrics: ['a', 'b'] },
    expected: /- metrics: expected one metric per direction \(1\), got 2/,
  },
  {
    rule: 'high is not below low',
    patch: { searchSpace: { x: { type: 'float', low: 2, high: 1 } } },
    expected: /- searchSpace\.x\.high: expected high >= low \(2\), got 1/,
  },
  {
    rule: 'a log scale starts above zero',
    patch: { searchSpace: { x: { type: 'int', low: 0, high: 9, log: true } } },
    expected: /- searchSpace\.x\.low: expected low > 0 on a log scale, got 0/,
  },
  {
    rule: 'a simplex has two labels or more',
    patch: { searchSpace: { w: { type: 'simplex', labels: ['a'] } } },
    expected: /- searchSpace\.w\.labels: .*>=2/,
  },
  {
    rule: 'unknown sampler types are named',
    patch: { sampler: { type: 'cmaes' } },
    expected: /- sampler\.type: .*"tpe"/,
  },
  {
    rule: 'unknown keys are refused',
    patch: { trails: 5 },
    expected: /- \(top level\): Unrecognized key: "trails"/,
  },
  {
    rule: 'a shared store is needed for several workers',
    patch: { workers: 2, storage: ':memory:' },
    expected: /- storage: expected a shared store/,
  },
];

for (const { rule, patch, expected } of cases) {
  test(`a study file is refused when it breaks a rule: ${rule}`, () => {
    assert.match(problems({ ...valid, ...patch }), expected);
  });
}

test('every problem of a study file is reported at once, each with its path', () => {
  const message = problems({
    name: 'bad name',
    directions: ['up'],
    trials: -1,
    workers: 0,
    searchSpace: {
      lr: { type: 'float', low: 1, high: 0 },
      depth: { type: 'int', low: 1.5, high: 3 },
    },
    objective: { module: '' },
  });
  const paths = [
    'name',
    'directions[0]',
    'trials',
    'workers',
    'searchSpace.lr.high',
    'searchSpace.depth.low',
    'objective.module',
  ];
  assert.match(message, /^demo\.json has 7 problems:/);
  for (const path of paths) assert.ok(message.includes(`- ${path}: `), `${path} in:\n${message}`);
});

test('text that is not JSON is refused with the parser message', () => {
  assert.throws(
    () => parseStudyFile('{ nope', 'x.json'),
    (error: unknown) => {
      return error instanceof UsageError && /^x\.json is not valid JSON/.test(error.message);
    },
  );
});

test('the study files shipped in studies/ are valid', () => {
  const files = readdirSync(studiesDir).filter(
    (name) => name.endsWith('.json') && !name.includes('schema'),
  );
  assert.ok(files.length >= 3, `found ${files.join(', ')}`);
  for (const name of files) {
    const path = join(studiesDir, name);
    assert.doesNotThrow(() => parseStudyFile(readFileSync(path, 'utf8'), path), name);
  }
});

test('the committed JSON Schema matches the zod schema', () => {
  const committed = JSON.parse(readFileSync(join(studiesDir, 'study.schema.json'), 'utf8'));
  assert.deepEqual(committed, JSON.parse(JSON.stringify(studyFileJsonSchema())));
});
