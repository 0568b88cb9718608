import Database from 'better-sqlite3';

import { describe, HpoError, StorageError, ValueError } from '../../errors.js';
import { checkFileHeader, createSchema, inspectStore } from './schema.js';

/** Options of {@link SqliteStorage}. Every duration is in seconds. */
export interface SqliteStorageOptions {
  /**
   * Seconds between heartbeats of each running trial. Absent (the default), no heartbeats
   * are written and dead workers' trials stay RUNNING, as in Optuna.
   */
  heartbeatInterval?: number;
  /**
   * Seconds after its last heartbeat when a RUNNING trial counts as dead and the next trial
   * started in the study marks it FAIL. Default: twice `heartbeatInterval`, as in Optuna.
   * Must be greater than `heartbeatInterval`.
   */
  gracePeriod?: number;
  /** Seconds a statement waits for another process's write lock before failing. Default 30. */
  busyTimeout?: number;
}

/** Defaults of {@link SqliteStorageOptions}. */
export const SQLITE_STORAGE_DEFAULTS = Object.freeze({
  busyTimeout: 30,
  /** gracePeriod = gracePeriodFactor × heartbeatInterval when gracePeriod is absent. */
  gracePeriodFactor: 2,
});

/** The options with defaults applied, checked. */
export function resolveOptions(options: SqliteStorageOptions): {
  heartbeatInterval: number | undefined;
  gracePeriod: number | undefined;
  busyTimeout: number;
} {
  const {
    heartbeatInterval,
    gracePeriod,
    busyTimeout = SQLITE_STORAGE_DEFAULTS.busyTimeout,
  } = options ?? {};
  checkSeconds('heartbeatInterval', heartbeatInterval);
  checkSeconds('gracePeriod', gracePeriod);
  checkSeconds('busyTimeout', busyTimeout);
  if (gracePeriod !== undefined && heartbeatInterval === undefined) {
    throw new ValueError(
      `SqliteStorage: gracePeriod needs heartbeatInterval, but got gracePeriod=${gracePeriod} ` +
        'and no heartbeatInterval.',
    );
  }
  if (heartbeatInterval === undefined) return { heartbeatInterval, gracePeriod, busyTimeout };
  const grace = gracePeriod ?? SQLITE_STORAGE_DEFAULTS.gracePeriodFactor * heartbeatInterval;
  if (!(grace > heartbeatInterval)) {
    throw new ValueError(
      'SqliteStorage: gracePeriod must be greater than heartbeatInterval (a live trial beats ' +
        `once per interval), but got gracePeriod=${grace}, heartbeatInterval=${heartbeatInterval}.`,
    );
  }
  return { heartbeatInterval, gracePeriod: grace, busyTimeout };
}

function checkSeconds(name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValueError(
      `SqliteStorage: ${name} must be a finite number of seconds > 0, ` +
        `but got ${name}=${describe(value)}.`,
    );
  }
}

/**
 * Opens the file and makes sure it is a store at schema head, creating the schema in a new
 * or empty file. Nothing is written (not even the WAL switch) before the checks pass.
 */
export function openDatabase(path: string, busyTimeout: number): Database.Database {
  checkFileHeader(path);
  let db: Database.Database | undefined;
  try {
    const timeout = Math.round(busyTimeout * 1000);
    db = new Database(path, { timeout });
    const open = db;
    // Another process opening the same new file at the same moment can make these statements
    // fail busy without SQLite's busy handler (seen once in the two-writers test); they only
    // read or switch the journal, so they are retried until the busy timeout.
    const kind = retryWhileBusy(() => {
      const found = inspectStore(open, path);
      open.pragma('journal_mode = WAL');
      open.pragma('synchronous = NORMAL');
      return found;
    }, timeout);
    if (kind === 'empty') createSchema(db, path);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof HpoError) throw error;
    throw new StorageError(
      `cannot open the SQLite store ${path}: ${error instanceof Error ? error.message : error}`,
      {
        cause: error,
      },
    );
  }
}

/** Wakes nobody: {@link retryWhileBusy} waits on it to sleep without spinning. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs `run`, again after a short pause each time it fails because the database is busy or
 * locked, until it succeeds or `timeoutMs` has passed (then its last error is thrown).
 * Other errors are thrown at once.
 */
export function retryWhileBusy<T>(run: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 1; ; pause = Math.min(2 * pause, 50)) {
    try {
      return run();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
      if (!busy || Date.now() >= deadline) throw error;
      Atomics.wait(PAUSE, 0, 0, pause);
    }
  }
}
