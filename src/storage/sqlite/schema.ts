import { closeSync, openSync, readSync, statSync } from 'node:fs';

import type Database from 'better-sqlite3';

import { StorageError } from '../../errors.js';

/** The alembic revision of Optuna 4.x's RDB layout, the one hpo reads and writes. */
export const SCHEMA_HEAD = 'v3.2.0.a';

/** Optuna's frozen `version_info.schema_version`; revisions moved to alembic after it. */
export const SCHEMA_VERSION = 12;

/**
 * What hpo writes as `version_info.library_version` in a store it creates. Optuna only shows
 * this text in its "incompatible schema" message, so hpo names the Optuna release whose layout
 * it writes: an Optuna 4.1 user then reads a message that makes sense to them.
 */
export const LIBRARY_VERSION = '4.1.0';

/** Older alembic revisions of Optuna's layout: `optuna storage upgrade` brings them to head. */
const OLDER_REVISIONS: readonly string[] = [
  'v0.9.0.a',
  'v1.2.0.a',
  'v1.3.0.a',
  'v2.4.0.a',
  'v2.6.0.a',
  'v3.0.0.a',
  'v3.0.0.b',
  'v3.0.0.c',
  'v3.0.0.d',
];

/** The tables without which a file is not an Optuna or hpo store. */
const REQUIRED_TABLES: readonly string[] = ['studies', 'trials', 'version_info', 'alembic_version'];

/**
 * Optuna 4.1's DDL for SQLite at schema head v3.2.0.a, table for table and index for index
 * (as SQLAlchemy emits it), with IF NOT EXISTS so that two processes may create one file.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS studies (
	study_id INTEGER NOT NULL,
	study_name VARCHAR(512) NOT NULL,
	PRIMARY KEY (study_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS ix_studies_study_name ON studies (study_name);
CREATE TABLE IF NOT EXISTS version_info (
	version_info_id INTEGER NOT NULL,
	schema_version INTEGER,
	library_version VARCHAR(256),
	PRIMARY KEY (version_info_id),
	CHECK (version_info_id=1)
);
CREATE TABLE IF NOT EXISTS study_directions (
	study_direction_id INTEGER NOT NULL,
	direction VARCHAR(8) NOT NULL,
	study_id INTEGER NOT NULL,
	objective INTEGER NOT NULL,
	PRIMARY KEY (study_direction_id),
	UNIQUE (study_id, objective),
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
);
CREATE TABLE IF NOT EXISTS study_user_attributes (
	study_user_attribute_id INTEGER NOT NULL,
	study_id INTEGER,
	"key" VARCHAR(512),
	value_json TEXT,
	PRIMARY KEY (study_user_attribute_id),
	UNIQUE (study_id, "key"),
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
);
CREATE TABLE IF NOT EXISTS study_system_attributes (
	study_system_attribute_id INTEGER NOT NULL,
	study_id INTEGER,
	"key" VARCHAR(512),
	value_json TEXT,
	PRIMARY KEY (study_system_attribute_id),
	UNIQUE (study_id, "key"),
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
);
CREATE TABLE IF NOT EXISTS trials (
	trial_id INTEGER NOT NULL,
	number INTEGER,
	study_id INTEGER,
	state VARCHAR(8) NOT NULL,
	datetime_start DATETIME,
	datetime_complete DATETIME,
	PRIMARY KEY (trial_id),
	FOREIGN KEY(study_id) REFERENCES studies (study_id)
);
CREATE INDEX IF NOT EXISTS ix_trials_study_id ON trials (study_id);
CREATE TABLE IF NOT EXISTS trial_user_attributes (
	trial_user_attribute_id INTEGER NOT NULL,
	trial_id INTEGER,
	"key" VARCHAR(512),
	value_json TEXT,
	PRIMARY KEY (trial_user_attribute_id),
	UNIQUE (trial_id, "key"),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE IF NOT EXISTS trial_system_attributes (
	trial_system_attribute_id INTEGER NOT NULL,
	trial_id INTEGER,
	"key" VARCHAR(512),
	value_json TEXT,
	PRIMARY KEY (trial_system_attribute_id),
	UNIQUE (trial_id, "key"),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE IF NOT EXISTS trial_params (
	param_id INTEGER NOT NULL,
	trial_id INTEGER,
	param_name VARCHAR(512),
	param_value FLOAT,
	distribution_json TEXT,
	PRIMARY KEY (param_id),
	UNIQUE (trial_id, param_name),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE IF NOT EXISTS trial_values (
	trial_value_id INTEGER NOT NULL,
	trial_id INTEGER NOT NULL,
	objective INTEGER NOT NULL,
	value FLOAT,
	value_type VARCHAR(7) NOT NULL,
	PRIMARY KEY (trial_value_id),
	UNIQUE (trial_id, objective),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE IF NOT EXISTS trial_intermediate_values (
	trial_intermediate_value_id INTEGER NOT NULL,
	trial_id INTEGER NOT NULL,
	step INTEGER NOT NULL,
	intermediate_value FLOAT,
	intermediate_value_type VARCHAR(7) NOT NULL,
	PRIMARY KEY (trial_intermediate_value_id),
	UNIQUE (trial_id, step),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE IF NOT EXISTS trial_heartbeats (
	trial_heartbeat_id INTEGER NOT NULL,
	trial_id INTEGER NOT NULL,
	heartbeat DATETIME NOT NULL,
	PRIMARY KEY (trial_heartbeat_id),
	UNIQUE (trial_id),
	FOREIGN KEY(trial_id) REFERENCES trials (trial_id)
);
CREATE TABLE IF NOT EXISTS alembic_version (
	version_num VARCHAR(32) NOT NULL,
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
`;

/** The 16 bytes every SQLite 3 database file starts with. */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Refuses a file that exists, is not empty and is not an SQLite database, before SQLite
 * opens it (opening could leave side files or, with a later pragma, change its header).
 * @throws {StorageError}
 */
export function checkFileHeader(path: string): void {
  if (path === ':memory:') return;
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return; // absent: SQLite creates it
  }
  if (size === 0) return;
  const head = Buffer.alloc(SQLITE_MAGIC.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!head.equals(SQLITE_MAGIC)) {
    throw new StorageError(
      `the file ${JSON.stringify(path)} must be an hpo (Optuna) SQLite study store, but it is ` +
        'not an SQLite database; it was left unchanged.',
    );
  }
}

/**
 * Whether the open database holds no tables yet (a new or empty file). When it holds tables,
 * checks that they are an Optuna/hpo store at schema head, reading only.
 * @throws {StorageError} for another kind of database, an older layout, or a newer one.
 */
export function inspectStore(db: Database.Database, path: string): 'empty' | 'store' {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  if (tables.length === 0) return 'empty';
  const missing = REQUIRED_TABLES.filter((name) => !tables.includes(name));
  if (missing.length > 0) {
    throw new StorageError(
      `the file ${JSON.stringify(path)} must be an hpo (Optuna) study store, but it is an ` +
        `SQLite database without the tables ${JSON.stringify(missing)}; it was left unchanged.`,
    );
  }
  checkRevision(db, path);
  return 'store';
}

function checkRevision(db: Database.Database, path: string): void {
  const revisions = db.prepare('SELECT version_num FROM alembic_version').pluck().all();
  const revision = revisions.length === 1 ? String(revisions[0]) : undefined;
  if (revision === SCHEMA_HEAD) return;
  if (revision !== undefined && OLDER_REVISIONS.includes(revision)) {
    throw new StorageError(
      `the store ${JSON.stringify(path)} must have schema ${SCHEMA_HEAD}, but it has the older ` +
        `schema ${revision}; upgrade it with \`optuna storage upgrade --storage ` +
        `sqlite:///${path}\` and open it again. It was left unchanged.`,
    );
  }
  throw new StorageError(
    `the store ${JSON.stringify(path)} was written by a newer version of Optuna or hpo ` +
      `(schema ${JSON.stringify(revision ?? revisions)}); this hpo reads schema ${SCHEMA_HEAD}. ` +
      'Upgrade hpo to open it. It was left unchanged.',
  );
}

/**
 * Creates Optuna's tables and version rows in one IMMEDIATE transaction. Another process may
 * have created them between {@link inspectStore} and this call, hence IF NOT EXISTS and the
 * guarded inserts; the revision is checked again afterwards.
 */
export function createSchema(db: Database.Database, path: string): void {
  const create = db.transaction(() => {
    db.exec(DDL);
    db.prepare(
      'INSERT INTO version_info (version_info_id, schema_version, library_version) ' +
        'SELECT 1, ?, ? WHERE NOT EXISTS (SELECT 1 FROM version_info)',
    ).run(SCHEMA_VERSION, LIBRARY_VERSION);
    db.prepare(
      'INSERT INTO alembic_version (version_num) ' +
        'SELECT ? WHERE NOT EXISTS (SELECT 1 FROM alembic_version)',
    ).run(SCHEMA_HEAD);
  });
  create.immediate();
  checkRevision(db, path);
}
