import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import '../helpers.js';
import { tempDir } from '../helpers.js';
import { HpoError } from '../../src/index.js';
import { loadCsvDataset, parseCsvDataset } from '../../src/mtl/data/csv.js';
import { loadDigits, loadMultiDigits } from '../../src/mtl/data/digits.js';

describe('MultiDigits', () => {
  it('loads the 1797 UCI digits after checking their sha256', () => {
    const digits = loadDigits();
    assert.equal(digits.n, 1797);
    assert.ok(digits.pixels.every((p) => p >= 0 && p <= 1));
  });

  it('refuses a digits file whose checksum differs', () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'digits.csv.gz');
    writeFileSync(path, 'not the data');
    assert.throws(() => loadDigits(path), /must have sha256 46abec6b.*but .* has /);
    cleanup();
  });

  it('builds seeded 8×14 canvases whose sum target is left + right', () => {
    const a = loadMultiDigits({ nTrain: 50, nValidation: 10, nTest: 10, seed: 5 });
    const b = loadMultiDigits({ nTrain: 50, nValidation: 10, nTest: 10, seed: 5 });
    assert.equal(a.nFeatures, 112);
    assert.deepEqual(a.train.x, b.train.x);
    const { left, right, sum } = a.train.targets;
    for (let i = 0; i < 50; i++) assert.equal(sum![i], left![i]! + right![i]!);
  });

  it('never puts one source image in two splits', () => {
    // With overlap 0 each half of a canvas is a source image verbatim.
    const data = loadMultiDigits({
      nTrain: 400,
      nValidation: 200,
      nTest: 200,
      overlap: 0,
      seed: 1,
    });
    const halves = (split: typeof data.train): Set<string> => {
      const seen = new Set<string>();
      for (let k = 0; k < split.n; k++) {
        for (const offset of [0, 8]) {
          const rows = [];
          for (let r = 0; r < 8; r++)
            rows.push(
              ...split.x.subarray(k * 128 + r * 16 + offset, k * 128 + r * 16 + offset + 8),
            );
          seen.add(rows.join(','));
        }
      }
      return seen;
    };
    const [train, validation, test] = [
      halves(data.train),
      halves(data.validation),
      halves(data.test),
    ];
    for (const image of test) assert.ok(!train.has(image) && !validation.has(image));
    for (const image of validation) assert.ok(!train.has(image));
  });
});

describe('CSV data sets', () => {
  const tasks = [
    { column: 'kind', kind: 'classification' as const },
    { column: 'size', kind: 'regression' as const },
  ];
  const text = [
    'a,b,kind,size',
    ...Array.from({ length: 10 }, (_, i) => `${i},${i % 3},k${i % 2},${i * 1.5}`),
  ].join('\n');

  it('reads features and one target per task, classes numbered by sorted label', () => {
    const data = parseCsvDataset(text, { tasks });
    assert.equal(data.nFeatures, 2);
    assert.equal(data.train.n + data.validation.n + data.test.n, 10);
    assert.deepEqual(data.tasks[0], {
      name: 'kind',
      kind: 'classification',
      nClasses: 2,
      labels: ['k0', 'k1'],
    });
  });

  const errors = [
    { name: 'an empty file', text: '\n\n', message: /is empty; a data set needs a header row/ },
    { name: 'a header only', text: 'a,kind,size\n', message: /has a header but no data rows/ },
    {
      name: 'a missing column',
      text: 'a,b,size\n1,2,3',
      message: /has no column "kind" \(target of task kind\); its columns are: a, b, size/,
    },
    {
      name: 'a non-numeric feature',
      text: 'a,kind,size\n1,x,2\noops,y,3',
      message: /column "a" of .* must hold numbers, but row 3 has "oops"/,
    },
    {
      name: 'a non-numeric regression target',
      text: 'a,kind,size\n1,x,big',
      message: /column "size" .* row 2 has "big"/,
    },
    {
      name: 'a short row',
      text: 'a,kind,size\n1,x',
      message: /row 2 .* must have 3 cells like the header, but has 2/,
    },
  ];
  for (const { name, text: source, message } of errors) {
    it(`rejects ${name} with an HpoError that says what is wrong`, () => {
      assert.throws(
        () => parseCsvDataset(source, { tasks }),
        (error: Error) => {
          assert.ok(error instanceof HpoError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('names the file in messages when loading from disk', () => {
    const { dir, cleanup } = tempDir();
    const path = join(dir, 'empty.csv');
    writeFileSync(path, '');
    assert.throws(() => loadCsvDataset(path, { tasks }), new RegExp(`${path} is empty`));
    cleanup();
  });
});
