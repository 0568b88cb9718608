export { SQLITE_STORAGE_DEFAULTS, type SqliteStorageOptions } from './options.js';
export { SqliteStorage } from './storage.js';
