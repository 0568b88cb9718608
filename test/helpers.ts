/**
 * Shared test helpers. Tests run both from TypeScript sources (node --import tsx) and from the
 * compiled build/ folder (npm test); these helpers find fixtures in either layout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { setLogLevel } from '../src/logging.js';

setLogLevel('silent');

const here = fileURLToPath(new URL('.', import.meta.url));
const fromSource = import.meta.url.endsWith('.ts');

/** The absolute path of a fixture module, e.g. `fixture('writer')`. */
export function fixture(name: string): string {
  return join(here, 'fixtures', `${name}.${fromSource ? 'ts' : 'js'}`);
}

/** Starts a fixture module in a child Node process with the given arguments. */
export function spawnFixture(name: string, args: readonly string[] = []): ChildProcess {
  const loader = fromSource ? ['--import', 'tsx'] : [];
  return spawn(process.execPath, [...loader, fixture(name), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HPO_LOG_LEVEL: 'silent' },
  });
}

/** Resolves with the exit code (or signal name) and the output of a child process. */
export function finished(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** A fresh temporary folder, removed by the returned cleanup function. */
export function tempDir(prefix = 'hpo-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
