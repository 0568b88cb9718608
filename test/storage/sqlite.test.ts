import { tempDir } from '../helpers.js';

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import Database from 'better-sqlite3';

import { FloatDistribution, SimplexDistribution } from '../../src/distributions/index.js';
import { StorageError, ValueError } from '../../src/errors.js';
import { SqliteStorage } from '../../src/storage/index.js';
import { retryWhileBusy } from '../../src/storage/sqlite/options.js';
import { storageConformance } from './conformance.js';

const temp = tempDir('hpo-sqlite-');
let files = 0;
const newPath = (): string => join(temp.dir, `store-${files++}.db`);

storageConformance('SqliteStorage', { make: () => new SqliteStorage(newPath()) });

after(() => temp.cleanup());

/** Optuna 4.1's tables and indexes at schema head v3.2.0.a (SQLite autoindexes aside). */
const OPTUNA_TABLES = [
  'alembic_version',
  'studies',
  'study_directions',
  'study_system_attributes',
  'study_user_attributes',
  'trial_heartbeats',
  'trial_intermediate_values',
  'trial_params',
  'trial_system_attributes',
  'trial_user_attributes',
  'trial_values',
  'trials',
  'version_info',
];

function schemaOf(path: string): { tables: string[]; indexes: string[] } {
  const db = new Database(path, { readonly: true });
  try {
    const list = db
      .prepare("SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'")
      .pluck();
    const names = (type: string): string[] => (list.all(type) as string[]).sort();
    return { tables: names('table'), indexes: names('index') };
  } finally {
    db.close();
  }
}

describe('SqliteStorage files', () => {
  it("creates Optuna's tables, indexes and version rows in a new file, in WAL mode", async () => {
    const path = newPath();
    await new SqliteStorage(path).close();
    assert.deepEqual(schemaOf(path), {
      tables: OPTUNA_TABLES,
      indexes: ['ix_studies_study_name', 'ix_trials_study_id'],
    });
    const db = new Database(path, { readonly: true });
    const revisions = db.prepare('SELECT version_num FROM alembic_version').pluck().all();
    assert.deepEqual(revisions, ['v3.2.0.a']);
    assert.deepEqual(db.prepare('SELECT * FROM version_info').get(), {
      version_info_id: 1,
      schema_version: 12,
      library_version: '4.1.0',
    });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  it('keeps studies and trials across reopening, and numbering goes on', async () => {
    const path = newPath();
    const first = new SqliteStorage(path);
    const studyId = await first.createStudy('kept', ['maximize']);
    const trial = await first.createTrial(studyId);
    await first.setTrialParam(trial.id, 'x', 0.25, new FloatDistribution(0, 1));
    await first.setTrialState(trial.id, 'COMPLETE', [1.5]);
    await first.close();
    const second = new SqliteStorage(path);
    const [read] = await second.getAllTrials(await second.getStudyId('kept'));
    assert.deepEqual(read?.params, { x: 0.25 });
    assert.deepEqual(read?.values, [1.5]);
    assert.equal((await second.createTrial(studyId)).number, 1);
    await second.close();
  });

  it('sees trials that another connection created and finished', async () => {
    const path = newPath();
    const [a, b] = [new SqliteStorage(path), new SqliteStorage(path)];
    const studyId = await a.createStudy('shared', ['minimize']);
    const mine = await a.createTrial(studyId);
    assert.equal((await a.getAllTrials(studyId)).length, 1);
    const theirs = await b.createTrial(studyId);
    await b.setTrialState(mine.id, 'COMPLETE', [3]);
    const seen = await a.getAllTrials(studyId);
    assert.deepEqual(
      seen.map((t) => [t.number, t.state]),
      [
        [0, 'COMPLETE'],
        [1, 'RUNNING'],
      ],
    );
    assert.equal(theirs.number, 1);
    await Promise.all([a.close(), b.close()]);
  });

  it("stores a simplex as Optuna float params plus hpo's system attribute", async () => {
    const path = newPath();
    const store = new SqliteStorage(path);
    const studyId = await store.createStudy('s', ['minimize']);
    const trial = await store.createTrial(studyId);
    const simplex = new SimplexDistribution(['a', 'b']);
    await store.setTrialParam(trial.id, 'w', Float64Array.from([0]), simplex);
    await store.setTrialIntermediateValue(trial.id, 2, [NaN, 4]);
    await store.close();
    const db = new Database(path, { readonly: true });
    const params = db.prepare('SELECT param_name, param_value FROM trial_params').raw().all();
    assert.deepEqual(params, [
      ['w.a', 0.5],
      ['w.b', 0.5],
    ]);
    const attrs = db.prepare('SELECT key, value_json FROM trial_system_attributes').raw().all();
    assert.deepEqual(attrs, [
      ['hpo:simplex:w', '{"labels":["a","b"],"coords":[0]}'],
      ['hpo:intermediate:2', '["NaN",4]'],
    ]);
    const steps = db.prepare(
      'SELECT step, intermediate_value, intermediate_value_type FROM trial_intermediate_values',
    );
    assert.deepEqual(steps.raw().all(), [[2, null, 'NAN']]);
    db.close();
  });

  it('refuses a file that is not SQLite and leaves it byte for byte unchanged', () => {
    const path = join(temp.dir, 'notes.txt');
    writeFileSync(path, 'not a database\n'.repeat(100));
    const before = readFileSync(path);
    assert.throws(
      () => new SqliteStorage(path),
      (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.match(error.message, /not an SQLite database/);
        return true;
      },
    );
    assert.deepEqual(readFileSync(path), before);
  });

  it('refuses an SQLite file with other tables and leaves it unchanged, not even in WAL', () => {
    const path = join(temp.dir, 'other.db');
    const db = new Database(path);
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)');
    db.exec("INSERT INTO customers VALUES (1, 'x')");
    db.close();
    const before = readFileSync(path);
    const refusal = /study store, but it is an SQLite database without/;
    assert.throws(() => new SqliteStorage(path), refusal);
    assert.deepEqual(readFileSync(path), before);
  });

  it('refuses a store with a newer schema, saying so', async () => {
    const path = newPath();
    await new SqliteStorage(path).close();
    const db = new Database(path);
    db.prepare("UPDATE alembic_version SET version_num = 'v5.0.0.a'").run();
    db.close();
    const before = readFileSync(path);
    assert.throws(
      () => new SqliteStorage(path),
      (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.match(error.message, /written by a newer version of Optuna or hpo/);
        assert.match(error.message, /v5\.0\.0\.a/);
        return true;
      },
    );
    assert.deepEqual(readFileSync(path), before);
  });

  it('refuses an older Optuna schema with the command that upgrades it', async () => {
    const path = newPath();
    await new SqliteStorage(path).close();
    const db = new Database(path);
    db.prepare("UPDATE alembic_version SET version_num = 'v3.0.0.d'").run();
    db.close();
    const message = /older schema v3\.0\.0\.d.*optuna storage upgrade/;
    assert.throws(() => new SqliteStorage(path), message);
  });

  it('gives an empty file the schema', async () => {
    const path = newPath();
    writeFileSync(path, '');
    const store = new SqliteStorage(path);
    assert.equal(await store.createStudy('s', ['minimize']), 1);
    await store.close();
  });

  it('wraps database failures in StorageError with the cause', () => {
    const path = join(temp.dir, 'missing-folder', 'x.db');
    assert.throws(
      () => new SqliteStorage(path),
      (error: unknown) => {
        assert.ok(error instanceof StorageError);
        assert.ok(error.cause instanceof Error);
        return true;
      },
    );
  });

  it('rejects every call once closed', async () => {
    const store = new SqliteStorage(newPath());
    await store.close();
    assert.equal(store.closed, true);
    await assert.rejects(store.getAllStudies(), StorageError);
    await assert.rejects(store.createStudy('late', ['minimize']), /is closed/);
  });
});

describe('SqliteStorage options', () => {
  const bad: [string, object, RegExp][] = [
    [
      'a negative heartbeat',
      { heartbeatInterval: -1 },
      /heartbeatInterval must be a finite number of seconds > 0, but got heartbeatInterval=-1/,
    ],
    ['a grace period alone', { gracePeriod: 5 }, /gracePeriod needs heartbeatInterval/],
    [
      'a grace period within the interval',
      { heartbeatInterval: 2, gracePeriod: 1 },
      /gracePeriod must be greater than heartbeatInterval/,
    ],
    ['a busy timeout that is not a number', { busyTimeout: '5' }, /busyTimeout must be a finite/],
  ];
  for (const [what, options, message] of bad) {
    it(`refuses ${what}`, () => {
      assert.throws(
        () => new SqliteStorage(newPath(), options),
        (error: unknown) => {
          assert.ok(error instanceof ValueError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('has a heartbeat only with heartbeatInterval, and a grace of twice the interval', async () => {
    const plain = new SqliteStorage(newPath());
    assert.equal(plain.heartbeat, undefined);
    assert.equal('heartbeat' in plain, false);
    const beating = new SqliteStorage(newPath(), { heartbeatInterval: 3 });
    assert.equal(beating.heartbeat?.intervalSeconds, 3);
    assert.equal(beating.heartbeat?.gracePeriodSeconds, 6);
    await Promise.all([plain.close(), beating.close()]);
  });
});

describe('SqliteStorage opening', () => {
  const busy = (): Error => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });

  it('retries a statement that fails busy until it succeeds', () => {
    let calls = 0;
    const value = retryWhileBusy(() => {
      calls++;
      if (calls < 4) throw busy();
      return 'opened';
    }, 1000);
    assert.equal(value, 'opened');
    assert.equal(calls, 4);
  });

  it('throws other errors at once, and a busy one once the timeout has passed', () => {
    let calls = 0;
    const other = (): never => {
      calls++;
      throw new Error('disk I/O error');
    };
    assert.throws(() => retryWhileBusy(other, 1000), /disk I\/O error/);
    assert.equal(calls, 1);
    const started = Date.now();
    assert.throws(
      () =>
        retryWhileBusy(() => {
          throw busy();
        }, 30),
      /database is locked/,
    );
    assert.ok(Date.now() - started >= 30);
  });
});

describe('SqliteStorage heartbeats', () => {
  it('fails the RUNNING trials of another connection whose beat lapsed', async () => {
    const path = newPath();
    const options = { heartbeatInterval: 0.05, gracePeriod: 0.15 };
    const [dead, live] = [new SqliteStorage(path, options), new SqliteStorage(path, options)];
    const studyId = await dead.createStudy('s', ['minimize']);
    const lost = await dead.createTrial(studyId);
    await dead.heartbeat!.recordHeartbeat(lost.id);
    const mine = await live.createTrial(studyId);
    await live.heartbeat!.recordHeartbeat(mine.id);
    const silent = await live.createTrial(studyId); // never beats: not judged by heartbeat
    assert.deepEqual(await live.heartbeat!.failStaleTrials(studyId), []);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(await live.heartbeat!.failStaleTrials(studyId), [lost.id]);
    const failed = await live.getTrial(lost.id);
    assert.equal(failed.state, 'FAIL');
    assert.match(String(failed.systemAttrs['fail_reason']), /heartbeat stopped/);
    assert.equal((await live.getTrial(mine.id)).state, 'RUNNING');
    assert.equal((await live.getTrial(silent.id)).state, 'RUNNING');
    await Promise.all([dead.close(), live.close()]);
  });
});
