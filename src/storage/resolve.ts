import { resolve } from 'node:path';

import { describe, ValueError } from '../errors.js';
import type { Storage } from './base.js';
import { InMemoryStorage } from './memory.js';
import { SqliteStorage, type SqliteStorageOptions } from './sqlite/index.js';

/** One connection per SQLite URL in this process, shared by every study opened by it. */
const sqliteByPath = new Map<string, SqliteStorage>();

/**
 * The store a storage option names: absent or `':memory:'` → a new in-memory store,
 * `'sqlite:PATH'` → the SQLite file at PATH (relative to the working directory), with
 * `SqliteStorage` options as a query: `'sqlite:PATH?heartbeatInterval=60&gracePeriod=120'`.
 * @throws {ValueError} for any other string.
 */
export function resolveStorage(storage: string | Storage | undefined): Storage {
  if (storage === undefined || storage === ':memory:') return new InMemoryStorage();
  if (typeof storage !== 'string') {
    if (typeof storage === 'object' && storage !== null && 'getAllTrials' in storage)
      return storage;
    throw new ValueError(`storage must be a string or a Storage, but got ${describe(storage)}.`);
  }
  if (storage.startsWith('sqlite:')) {
    const [location = '', query] = storage.split('?', 2);
    const path = resolve(sqlitePath(location));
    const options = sqliteOptions(query, storage);
    const key = `${path}?${JSON.stringify(options)}`;
    let store = sqliteByPath.get(key);
    if (store === undefined || store.closed) {
      store = new SqliteStorage(path, options);
      sqliteByPath.set(key, store);
    }
    return store;
  }
  if (storage.startsWith('postgres://') || storage.startsWith('postgresql://')) {
    throw new ValueError(
      `PostgreSQL stores are not available in this version of hpo; got ${describe(storage)}. ` +
        "Use 'sqlite:PATH' or ':memory:'.",
    );
  }
  throw new ValueError(
    `storage must be ':memory:', 'sqlite:PATH' or 'postgres://USER:PASS@HOST:PORT/DB', ` +
      `but got ${describe(storage)}.`,
  );
}

const SQLITE_QUERY_KEYS = ['heartbeatInterval', 'gracePeriod', 'busyTimeout'] as const;

/** The `SqliteStorage` options in a URL's query; each a number of seconds. */
function sqliteOptions(query: string | undefined, url: string): SqliteStorageOptions {
  const options: SqliteStorageOptions = {};
  for (const [key, text] of new URLSearchParams(query ?? '')) {
    const value = Number(text);
    if (!(SQLITE_QUERY_KEYS as readonly string[]).includes(key) || !Number.isFinite(value)) {
      throw new ValueError(
        `a sqlite URL's query may set ${SQLITE_QUERY_KEYS.join(', ')} to numbers of seconds, ` +
          `but got ${key}=${describe(text)} in ${describe(url)}.`,
      );
    }
    options[key as (typeof SQLITE_QUERY_KEYS)[number]] = value;
  }
  return options;
}

/**
 * The file path of a `sqlite:` URL. SQLAlchemy's form is accepted too: `sqlite:///rel.db` for a
 * relative path, `sqlite:////abs.db` for an absolute one.
 */
function sqlitePath(url: string): string {
  let path = url.slice('sqlite:'.length);
  if (path.startsWith('///')) path = path.slice(3);
  if (path.length === 0) {
    throw new ValueError(
      `a sqlite storage URL needs a file path, as in 'sqlite:studies/x.db', but got ` +
        `${describe(url)}.`,
    );
  }
  return path;
}
