import type Database from 'better-sqlite3';

/** States in which a trial may still change. */
const MUTABLE = "('RUNNING', 'WAITING')";

/**
 * The trials a read picks: those of study @study with an id above @after, plus the ids in the
 * JSON array @ids (the ones known unfinished, or the ones asked for by id). The first arm
 * scans the rowid range above @after only; the second looks each id up.
 */
const PICKED_WHERE =
  '(trial_id > @after AND study_id = @study) OR trial_id IN (SELECT value FROM json_each(@ids))';

/** The parameters of the picking statements. */
export interface Picking {
  study: number;
  after: number;
  ids: string;
}

/** One row of a trial for the reader: [id, number, state, start, complete, study id]. */
export type TrialRow = [number, number, string, string | null, string | null, number];

/**
 * One row of a trial's parts: [kind, trial id, order, key, number, text], where kind is
 * 0 param (order = param_id, text = distribution JSON), 1 value (order = objective, text =
 * value type), 2 intermediate value (order = step, text = type), 3 user attribute and
 * 4 system attribute (text = value JSON). Rows come in no particular order.
 */
export type PartRow = [
  0 | 1 | 2 | 3 | 4,
  number,
  number,
  string | null,
  number | null,
  string | null,
];

/** The trials whose parts a read fetches: a JSON array of trial ids. */
const IDS = 'trial_id IN (SELECT value FROM json_each(@ids))';

/**
 * Reading all parts of many trials in one statement keeps a refresh to two round trips into
 * SQLite however many tables a trial spans. No ORDER BY: sorting in SQLite costs a temporary
 * B-tree per arm, while the reader sorts the few rows it needs ordered.
 */
const PARTS = `
SELECT 0, trial_id, param_id, param_name, param_value, distribution_json
  FROM trial_params WHERE ${IDS}
UNION ALL SELECT 1, trial_id, objective, NULL, value, value_type
  FROM trial_values WHERE ${IDS}
UNION ALL SELECT 2, trial_id, step, NULL, intermediate_value, intermediate_value_type
  FROM trial_intermediate_values WHERE ${IDS}
UNION ALL SELECT 3, trial_id, trial_user_attribute_id, "key", NULL, value_json
  FROM trial_user_attributes WHERE ${IDS}
UNION ALL SELECT 4, trial_id, trial_system_attribute_id, "key", NULL, value_json
  FROM trial_system_attributes WHERE ${IDS}`;

/**
 * An upsert of one row that happens only while trial @trial is RUNNING or WAITING: checking
 * and writing in one statement makes the check atomic without an explicit transaction.
 * Parameters: @trial, @key, @num, @text.
 */
function guardedUpsert(table: string, columns: string, conflict: string, update: string): string {
  return (
    `INSERT INTO ${table} (${columns}) SELECT @trial, @key, @num, @text ` +
    `WHERE EXISTS (SELECT 1 FROM trials WHERE trial_id = @trial AND state IN ${MUTABLE}) ` +
    `ON CONFLICT (${conflict}) DO UPDATE SET ${update}`
  );
}

/** The same for attribute tables, which have no number column. Parameters: @trial, @key, @text. */
function guardedAttrUpsert(table: string): string {
  return (
    `INSERT INTO ${table} (trial_id, "key", value_json) SELECT @trial, @key, @text ` +
    `WHERE EXISTS (SELECT 1 FROM trials WHERE trial_id = @trial AND state IN ${MUTABLE}) ` +
    'ON CONFLICT (trial_id, "key") DO UPDATE SET value_json = excluded.value_json'
  );
}

const SQL = {
  studyIdByName: 'SELECT study_id FROM studies WHERE study_name = ?',
  studyName: 'SELECT study_name FROM studies WHERE study_id = ?',
  insertStudy: 'INSERT INTO studies (study_name) VALUES (?)',
  insertDirection: 'INSERT INTO study_directions (direction, study_id, objective) VALUES (?, ?, ?)',
  directions: 'SELECT direction FROM study_directions WHERE study_id = ? ORDER BY objective',
  allStudies: 'SELECT study_id, study_name FROM studies ORDER BY study_id',
  allDirections: 'SELECT study_id, direction FROM study_directions ORDER BY study_id, objective',
  upsertStudyUserAttr:
    'INSERT INTO study_user_attributes (study_id, "key", value_json) VALUES (?, ?, ?) ' +
    'ON CONFLICT (study_id, "key") DO UPDATE SET value_json = excluded.value_json',
  upsertStudySystemAttr:
    'INSERT INTO study_system_attributes (study_id, "key", value_json) VALUES (?, ?, ?) ' +
    'ON CONFLICT (study_id, "key") DO UPDATE SET value_json = excluded.value_json',
  studyUserAttrs: 'SELECT "key", value_json FROM study_user_attributes WHERE study_id = ?',
  studySystemAttrs: 'SELECT "key", value_json FROM study_system_attributes WHERE study_id = ?',

  // The number of the study's newest trial: one index probe, where COUNT(*) walks every
  // entry. Numbers are dense (0 … n−1), so newest + 1 is the count of the study's trials.
  lastNumber: 'SELECT number FROM trials WHERE study_id = ? ORDER BY trial_id DESC LIMIT 1',
  insertTrial: 'INSERT INTO trials (number, study_id, state, datetime_start) VALUES (?, ?, ?, ?)',
  // WAITING trials are unfinished, so they are among the picked ones (new, or known
  // unfinished): the claim never scans the study's finished trials.
  firstWaiting: `SELECT trial_id FROM trials WHERE state = 'WAITING' AND (${PICKED_WHERE}) LIMIT 1`,
  claimWaiting:
    "UPDATE trials SET state = 'RUNNING', datetime_start = @now WHERE trial_id = " +
    `(SELECT trial_id FROM trials WHERE state = 'WAITING' AND (${PICKED_WHERE}) ` +
    'ORDER BY trial_id LIMIT 1) RETURNING trial_id',
  trialState: 'SELECT state, number, datetime_start FROM trials WHERE trial_id = ?',
  updateTrialState:
    'UPDATE trials SET state = ?, datetime_start = ?, datetime_complete = ? WHERE trial_id = ?',
  upsertParam: guardedUpsert(
    'trial_params',
    'trial_id, param_name, param_value, distribution_json',
    'trial_id, param_name',
    'param_value = excluded.param_value, distribution_json = excluded.distribution_json',
  ),
  upsertIntermediate: guardedUpsert(
    'trial_intermediate_values',
    'trial_id, step, intermediate_value, intermediate_value_type',
    'trial_id, step',
    'intermediate_value = excluded.intermediate_value, ' +
      'intermediate_value_type = excluded.intermediate_value_type',
  ),
  upsertValue: guardedUpsert(
    'trial_values',
    'trial_id, objective, value, value_type',
    'trial_id, objective',
    'value = excluded.value, value_type = excluded.value_type',
  ),
  upsertTrialUserAttr: guardedAttrUpsert('trial_user_attributes'),
  upsertTrialSystemAttr: guardedAttrUpsert('trial_system_attributes'),
  pickedTrials:
    'SELECT trial_id, number, state, datetime_start, datetime_complete, study_id FROM trials ' +
    `WHERE ${PICKED_WHERE} ORDER BY number`,
  partsByIds: PARTS,

  recordHeartbeat:
    'INSERT INTO trial_heartbeats (trial_id, heartbeat) ' +
    "SELECT @trial, strftime('%Y-%m-%d %H:%M:%f', 'now') || '000' " +
    'WHERE EXISTS (SELECT 1 FROM trials WHERE trial_id = @trial) ' +
    'ON CONFLICT (trial_id) DO UPDATE SET heartbeat = excluded.heartbeat',
  // Heartbeats are UTC (SQLite's clock, like Optuna's CURRENT_TIMESTAMP), so processes in
  // different time zones agree; julianday reads both Optuna's and hpo's text forms.
  staleTrials:
    'SELECT t.trial_id FROM trials t JOIN trial_heartbeats h ON h.trial_id = t.trial_id ' +
    "WHERE t.study_id = ? AND t.state = 'RUNNING' " +
    "AND (julianday('now') - julianday(h.heartbeat)) * 86400.0 > ?",
} as const;

const DELETE_STUDY = [
  'trial_params',
  'trial_values',
  'trial_intermediate_values',
  'trial_user_attributes',
  'trial_system_attributes',
  'trial_heartbeats',
]
  .map(
    (table) =>
      `DELETE FROM ${table} WHERE trial_id IN (SELECT trial_id FROM trials WHERE study_id = ?)`,
  )
  .concat(
    [
      'trials',
      'study_directions',
      'study_user_attributes',
      'study_system_attributes',
      'studies',
    ].map((table) => `DELETE FROM ${table} WHERE study_id = ?`),
  );

type Statement = Database.Statement<unknown[], unknown>;

/** Every statement the store runs, prepared once when the store opens. */
export type Statements = { readonly [K in keyof typeof SQL]: Statement } & {
  readonly deleteStudy: readonly Statement[];
};

/** Prepares every statement; reads of trials and parts return arrays (raw mode) for speed. */
export function prepareStatements(db: Database.Database): Statements {
  const prepared = Object.fromEntries(
    Object.entries(SQL).map(([name, sql]) => [name, db.prepare(sql)]),
  ) as Record<keyof typeof SQL, Statement>;
  const rawRows = ['pickedTrials', 'partsByIds', 'allStudies', 'allDirections'] as const;
  for (const name of [...rawRows, 'studyUserAttrs', 'studySystemAttrs'] as const) {
    prepared[name].raw(true);
  }
  for (const name of ['studyIdByName', 'studyName', 'directions', 'lastNumber'] as const) {
    prepared[name].pluck(true);
  }
  prepared.firstWaiting.pluck(true);
  prepared.claimWaiting.pluck(true);
  prepared.staleTrials.pluck(true);
  return { ...prepared, deleteStudy: DELETE_STUDY.map((sql) => db.prepare(sql)) };
}
