import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { finished, fixture, tempDir } from '../helpers.js';
import { spawnCli, writeStudy } from '../fixtures/cli-run.js';

const temp = tempDir('hpo-cli-');
const storage = `sqlite:${join(temp.dir, 'store.db')}`;
let runResult: Awaited<ReturnType<typeof finished>>;

before(async () => {
  const file = writeStudy(temp.dir, { storage });
  runResult = await finished(spawnCli(['run', file], temp.dir));
});
after(() => temp.cleanup());

test('hpo run runs the budget, exits 0 and ends by printing the report path', () => {
  assert.equal(runResult.code, 0, runResult.stderr);
  const lines = runResult.stdout.trim().split('\n');
  const path = lines[lines.length - 1]!;
  assert.equal(path, join(temp.dir, 'reports', 'cli-test', 'report.html'));
  assert.ok(existsSync(path));
});

test('hpo run prints plain progress lines when the output is not a terminal', () => {
  assert.match(runResult.stderr, /^trials 8\/8 \| running 0 \| pruned 0 \| failed 0 \| best /m);
  assert.doesNotMatch(runResult.stderr, /\r/);
});

test('hpo run of a finished study runs no more trials', async () => {
  const file = writeStudy(temp.dir, { storage });
  const again = await finished(spawnCli(['run', file], temp.dir));
  assert.equal(again.code, 0, again.stderr);
  const listed = await finished(spawnCli(['studies', '--storage', storage], temp.dir));
  assert.match(listed.stdout, /^cli-test\s+minimize\s+8\s/m);
});

test('hpo run --trials raises the budget of a stored study', async () => {
  const file = writeStudy(temp.dir, { storage, name: 'raised' });
  await finished(spawnCli(['run', file, '--trials', '3'], temp.dir));
  const more = await finished(spawnCli(['run', file, '--trials', '5'], temp.dir));
  assert.equal(more.code, 0, more.stderr);
  assert.match(more.stderr, /trials 5\/5/);
});

test('hpo studies lists every study of a store with its trial count and best value', async () => {
  const { code, stdout } = await finished(spawnCli(['studies', '--storage', storage], temp.dir));
  assert.equal(code, 0);
  assert.match(stdout, /^study\s+directions\s+trials\s+best\s+started\s+storage$/m);
  assert.match(stdout, /^cli-test\s+minimize\s+8\s+\d/m);
});

test('hpo best prints the best trial with its values and parameters', async () => {
  const { code, stdout } = await finished(
    spawnCli(['best', 'cli-test', '--storage', storage], temp.dir),
  );
  assert.equal(code, 0);
  assert.match(stdout, /^trial \d+: loss=[\d.e+-]+ \| x=[\d.e+-]+ y=[\d.e+-]+$/m);
});

test('hpo report writes each format where --out says', async () => {
  const out = join(temp.dir, 'out');
  for (const [format, name] of [
    ['md', 'report.md'],
    ['json', 'report.json'],
    ['csv', 'trials.csv'],
  ]) {
    const args = ['report', 'cli-test', '--storage', storage, '--out', out, '--format', format!];
    const { code, stdout } = await finished(spawnCli(args, temp.dir));
    assert.equal(code, 0);
    assert.equal(stdout.trim(), join(out, name!));
  }
  const csv = readFileSync(join(out, 'trials.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'number,state,loss,params.x,params.y,seconds,on_front');
  assert.equal(csv.length, 9);
  const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assert.equal(json.trials.length, 8);
  assert.equal(json.front.length, 1);
});

const usageCases: { rule: string; args: (dir: string) => string[]; expected: RegExp }[] = [
  { rule: 'an unknown command', args: () => ['fly'], expected: /unknown command 'fly'/ },
  {
    rule: 'a bad --trials',
    args: () => ['run', 'x.json', '--trials', '0'],
    expected: /expected an integer >= 1/,
  },
  {
    rule: 'a missing study file',
    args: () => ['run', 'nope.json'],
    expected: /cannot read the study file nope\.json/,
  },
  {
    rule: 'an invalid study file',
    args: (dir) => ['run', writeStudy(dir, { name: 'bad', trials: 0, directions: [] })],
    expected: /bad\.json has 3 problems:\n {2}- directions: .*\n {2}- trials: .*\n {2}- metrics: /,
  },
  {
    rule: 'a module without the export',
    args: (dir) => [
      'run',
      writeStudy(dir, {
        name: 'noexport',
        objective: { module: fixture('cli-objective'), exportName: 'missing' },
      }),
    ],
    expected: /objective\.exportName: .* must export a function named "missing"/,
  },
  {
    rule: 'a study that is not stored',
    args: () => ['best', 'ghost', '--storage', storage],
    expected: /ghost/,
  },
];

for (const { rule, args, expected } of usageCases) {
  test(`hpo exits 2 with a message for ${rule}`, async () => {
    const { code, stderr } = await finished(spawnCli(args(temp.dir), temp.dir));
    assert.equal(code, 2, stderr);
    assert.match(stderr, expected);
  });
}

test('--help works on every command and exits 0', async () => {
  for (const command of ['run', 'report', 'studies', 'best']) {
    const { code, stdout } = await finished(spawnCli([command, '--help'], temp.dir));
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`^Usage: hpo ${command} `));
  }
});

test('hpo run exits 1 when failed trials pass the threshold', async () => {
  const objective = { module: fixture('cli-objective'), exportName: 'broken' };
  const file = writeStudy(temp.dir, { storage, name: 'broken', objective });
  const { code, stderr } = await finished(spawnCli(['run', file], temp.dir));
  assert.equal(code, 1);
  assert.match(stderr, /3 of 3 trials failed, above maxFailedFraction=0\.25/);
});
