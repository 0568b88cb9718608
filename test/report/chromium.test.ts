import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { chromium } from 'playwright-core';

import { tempDir } from '../helpers.js';
import { writeReport } from '../../src/report/index.js';
import { biobjectiveStudy } from '../fixtures/cli-report-study.js';

const CHROMIUM = '/usr/bin/chromium';
// The screenshot is kept under test/artifacts/ (ignored by git) in either layout.
const up = import.meta.url.endsWith('.ts') ? '../' : '../../../test/';
const artifacts = fileURLToPath(new URL(`${up}artifacts/`, import.meta.url));

test(
  'the HTML report loads in headless Chromium with no console error and every chart drawn',
  {
    skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium)`,
  },
  async (t) => {
    const temp = tempDir();
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const [path] = await writeReport(await biobjectiveStudy(), { outDir: temp.dir });
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`fetched ${request.url()}`);
      });
      await page.goto(pathToFileURL(path!).href, { waitUntil: 'load' });

      assert.deepEqual(problems, []);
      const charts = await page.$$eval('figure.chart svg', (svgs) =>
        svgs.map((svg) => ({
          width: svg.getBoundingClientRect().width,
          marks: svg.querySelectorAll('path, text').length,
        })),
      );
      assert.equal(charts.length, 4);
      for (const chart of charts)
        assert.ok(chart.width > 100 && chart.marks > 10, JSON.stringify(chart));
      mkdirSync(artifacts, { recursive: true });
      const screenshot = join(artifacts, 'report.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      t.diagnostic(`screenshot: ${screenshot}`);
    } finally {
      await browser.close();
      temp.cleanup();
    }
  },
);
