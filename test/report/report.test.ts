import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { tempDir } from '../helpers.js';
import { createStudy, RandomSampler } from '../../src/index.js';
import { biobjectiveStudy } from '../fixtures/cli-report-study.js';
import { collectReport, renderCsv, renderMarkdown, writeReport } from '../../src/report/index.js';

test('the report data holds the front, counts, progress and importance', async () => {
  const study = await biobjectiveStudy();
  const data = collectReport(
    study.studyName,
    study.directions,
    ['a', 'b'],
    await study.getTrials(),
  );
  assert.deepEqual(data.counts, { COMPLETE: 14, PRUNED: 1, FAIL: 1, RUNNING: 0, WAITING: 0 });
  assert.ok(data.front.length >= 2);
  const front = data.trials.filter((t) => t.onFront).map((t) => t.number);
  assert.deepEqual(front, data.front);
  assert.equal(data.progressKind, 'hypervolume');
  assert.equal(data.progress.length, 14);
  for (let i = 1; i < data.progress.length; i++) {
    assert.ok(data.progress[i]!.value >= data.progress[i - 1]!.value - 1e-12, 'hypervolume grows');
  }
  const params = new Set(data.importance.map((row) => row.param));
  assert.deepEqual([...params], ['lambda.left', 'lambda.right', 'width', 'x']);
  const forB = data.importance.filter((row) => row.metric === 'b');
  assert.equal(
    forB.reduce((best, row) => (row.importance > best.importance ? row : best)).param,
    'x',
  );
});

test('a single-objective report tracks the best value over trials', async () => {
  const study = await createStudy({ sampler: new RandomSampler({ seed: 2 }) });
  await study.optimize((trial) => trial.suggestFloat('x', -1, 1) ** 2, { nTrials: 10 });
  const data = collectReport('s', study.directions, ['loss'], await study.getTrials());
  assert.equal(data.progressKind, 'best value');
  const best = Math.min(...data.trials.map((t) => t.values![0]!));
  assert.equal(data.progress[9]!.value, best);
  assert.deepEqual(data.front, [data.trials.find((t) => t.values![0] === best)!.number]);
});

test('the HTML report is self-contained: inline SVG charts, no script, no fetch', async () => {
  const temp = tempDir();
  try {
    const study = await biobjectiveStudy();
    const [path] = await writeReport(study, { outDir: temp.dir });
    assert.equal(path, join(temp.dir, 'report.html'));
    const html = readFileSync(path!, 'utf8');
    for (const id of ['pareto-0-1', 'progress', 'importance', 'parallel']) {
      assert.match(html, new RegExp(`<figure id="${id}" class="chart">.*?\\n<svg `, 's'), id);
    }
    assert.doesNotMatch(html, /<script|<link|<img|@import|url\(/i);
    const urls = html.match(/https?:\/\/[^"'\s)]+/g) ?? [];
    assert.ok(
      urls.every((url) => url.startsWith('http://www.w3.org/')),
      urls.join(' '),
    );
    assert.match(html, /Pareto front: left\.error vs model\.bytes/);
    const scatter = html.slice(html.indexOf('<figure id="pareto-0-1"'), html.indexOf('</figure>'));
    const points =
      scatter.match(/<path [^>]*class="mark-symbol|<g class="mark-symbol[^"]*"/g) ?? [];
    assert.ok(points.length > 0, 'the scatter has point marks');
    assert.match(scatter, /<text [^>]*>#\d+<\/text>/, 'front points carry trial numbers');
    assert.match(html, /<td>checkpoints\/\d+<\/td>/);
  } finally {
    temp.cleanup();
  }
});

test('the Markdown and CSV reports list the front and every trial', async () => {
  const study = await biobjectiveStudy();
  const data = collectReport(
    study.studyName,
    study.directions,
    ['a', 'b'],
    await study.getTrials(),
  );
  const md = renderMarkdown(data);
  assert.match(md, /^# hpo report: report-demo$/m);
  assert.match(
    md,
    new RegExp(
      '^\\| trial \\| a \\| b \\| lambda\\.left \\| lambda\\.right \\| width \\| x \\| ' +
        'seconds \\| checkpoint \\|$',
      'm',
    ),
  );
  const csv = renderCsv(data).trim().split('\n');
  assert.equal(csv.length, 17);
  assert.match(csv[4]!, /^3,FAIL,,,/);
});
