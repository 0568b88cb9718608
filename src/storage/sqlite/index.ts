export { SQLITE_STORAGE_DEFAULTS, SqliteStorage, type SqliteStorageOptions } from './storage.js';
