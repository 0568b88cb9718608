export type { HeartbeatStorage, Storage, StoredStudy, TrialTemplate } from './base.js';
export { InMemoryStorage } from './memory.js';
export { resolveStorage } from './resolve.js';
export { SqliteStorage, type SqliteStorageOptions } from './sqlite/index.js';
