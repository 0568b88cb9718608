// Runs every compiled test file (build/test/**/*.test.js) with Node's test runner. Node 20's
// runner takes no glob, and a whole folder would also run fixtures and shared suites as tests.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2] ?? 'build/test';
const files = readdirSync(root, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.test.js'))
  .sort()
  .map((file) => join(root, file));
const result = spawnSync(
  process.execPath,
  ['--test', '--test-concurrency=2', ...process.argv.slice(3), ...files],
  { stdio: 'inherit', env: { HPO_LOG_LEVEL: 'silent', ...process.env } },
);
process.exit(result.status ?? 1);
