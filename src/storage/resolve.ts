import { resolve } from 'node:path';

import { describe, ValueError } from '../errors.js';
import type { Storage } from './base.js';
import { InMemoryStorage } from './memory.js';
import { SqliteStorage } from './sqlite/index.js';

/** One connection per SQLite file in this process, shared by every study opened by URL. */
const sqliteByPath = new Map<string, SqliteStorage>();

/**
 * The store a storage option names: absent or `':memory:'` → a new in-memory store,
 * `'sqlite:PATH'` → the SQLite file at PATH (relative to the working directory).
 * @throws {ValueError} for any other string.
 */
export function resolveStorage(storage: string | Storage | undefined): Storage {
  if (storage === undefined || storage === ':memory:') return new InMemoryStorage();
  if (typeof storage !== 'string') {
    if (typeof storage === 'object' && storage !== null && 'getAllTrials' in storage) return storage;
    throw new ValueError(`storage must be a string or a Storage, but got ${describe(storage)}.`);
  }
  if (storage.startsWith('sqlite:')) {
    const path = resolve(sqlitePath(storage));
    let store = sqliteByPath.get(path);
    if (store === undefined || store.closed) {
      store = new SqliteStorage(path);
      sqliteByPath.set(path, store);
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

/**
 * The file path of a `sqlite:` URL. SQLAlchemy's form is accepted too: `sqlite:///rel.db` for a
 * relative path, `sqlite:////abs.db` for an absolute one.
 */
function sqlitePath(url: string): string {
  let path = url.slice('sqlite:'.length);
  if (path.startsWith('///')) path = path.slice(3);
  if (path.length === 0) {
    throw new ValueError(`a sqlite storage URL needs a file path, as in 'sqlite:studies/x.db', but got ${describe(url)}.`);
  }
  return path;
}
