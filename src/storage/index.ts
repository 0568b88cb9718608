export {
  HEARTBEAT_FAIL_REASON,
  type HeartbeatStorage,
  type Storage,
  type StoredStudy,
  type TrialTemplate,
} from './base.js';
export { InMemoryStorage } from './memory.js';
export { resolveStorage } from './resolve.js';
export { SqliteStorage, type SqliteStorageOptions } from './sqlite/index.js';
