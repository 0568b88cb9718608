import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { isMainThread } from 'node:worker_threads';

import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

import { getLogger, ValueError } from '../index.js';

const logger = getLogger('mtl.backend');

/** What `HPO_BACKEND` or the `backend` option may ask for. */
export type BackendRequest = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** The backend in use and why it was picked. */
export interface BackendChoice {
  readonly name: 'tensorflow' | 'wasm' | 'cpu';
  readonly reason: string;
}

const REQUESTS: readonly BackendRequest[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

let current: { request: BackendRequest; choice: Promise<BackendChoice> } | undefined;

/**
 * Makes TensorFlow.js ready in this thread and says which backend it runs on. `request`
 * defaults to `HPO_BACKEND`, else `'auto'`: the native TensorFlow backend when
 * `@tensorflow/tfjs-node-gpu` (or `@tensorflow/tfjs-node`) is installed and loads, else WASM
 * (its binaries load from the installed `@tensorflow/tfjs-backend-wasm`), else the pure
 * JavaScript CPU backend. The choice and its reason are logged at INFO; a fallback at WARNING.
 * Called again with the same request, it returns the first answer.
 * @throws {ValueError} for an unknown request, or `'tensorflow'` when no native package loads.
 */
export function initBackend(request?: BackendRequest): Promise<BackendChoice> {
  const wanted = request ?? parseRequest(process.env['HPO_BACKEND']);
  if (!REQUESTS.includes(wanted)) {
    return Promise.reject(
      new ValueError(
        `backend must be one of ${REQUESTS.join(', ')}, but got backend=${JSON.stringify(wanted)}.`,
      ),
    );
  }
  if (current?.request !== wanted) current = { request: wanted, choice: choose(wanted) };
  return current.choice;
}

function parseRequest(text: string | undefined): BackendRequest {
  if (text === undefined || text === '') return 'auto';
  const lower = text.toLowerCase() as BackendRequest;
  if (!REQUESTS.includes(lower)) {
    throw new ValueError(
      `HPO_BACKEND must be one of ${REQUESTS.join(', ')}, but got ` +
        `HPO_BACKEND=${JSON.stringify(text)}.`,
    );
  }
  return lower;
}

async function choose(request: BackendRequest): Promise<BackendChoice> {
  // Production mode skips tfjs's debug checks and its console banner about tfjs-node.
  tf.enableProdMode();
  if (request === 'tensorflow' || request === 'auto') {
    const native = await loadNative();
    if (native !== undefined) return use('tensorflow', `${native} is installed and loaded`);
    if (request === 'tensorflow') {
      throw new ValueError(
        'backend "tensorflow" needs @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node, but ' +
          'neither is installed here; install one, or set HPO_BACKEND=wasm.',
      );
    }
  }
  if (request === 'wasm' || request === 'auto') {
    const why = request === 'wasm' ? 'requested' : 'no native TensorFlow package is installed';
    try {
      setWasmPaths(wasmDirectory());
      // In a pool thread the pool is the parallelism: XNNPACK threads per worker would
      // oversubscribe the cores. (tfjs 4 loads the single-threaded binary in Node anyway.)
      if (!isMainThread) setThreadsCount(1);
      if (await tf.setBackend('wasm')) return use('wasm', why);
    } catch (error) {
      if (request === 'wasm') throw error;
    }
    logger.warn('the WASM backend failed to start; falling back to the CPU backend.');
  }
  await tf.setBackend('cpu');
  return use('cpu', request === 'cpu' ? 'requested' : 'the WASM backend failed to start');
}

async function use(name: BackendChoice['name'], reason: string): Promise<BackendChoice> {
  await tf.ready();
  logger.info(`TensorFlow.js backend: ${name} (${reason}).`);
  return { name, reason };
}

/**
 * Loads a native binding if one is installed. Its package registers the `tensorflow` backend.
 * TODO(issue 5): the native addon cannot load in a second worker thread of one process; the
 * runner would need worker processes for it. Neither package is installed here, so that path
 * is untested.
 */
async function loadNative(): Promise<string | undefined> {
  for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      await import(name);
      if (await tf.setBackend('tensorflow')) return name;
    } catch (error) {
      logger.debug(
        `${name} did not load: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return undefined;
}

/** The folder holding the `.wasm` files of the installed WASM backend, with a trailing slash. */
function wasmDirectory(): string {
  const require = createRequire(import.meta.url);
  const binary = require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm');
  return `${dirname(binary)}/`;
}
