import Database from 'better-sqlite3';

import {
  distributionToJson,
  type Distribution,
  type InternalValue,
  type JsonValue,
} from '../../distributions/index.js';
import {
  describe,
  DuplicatedStudyError,
  HpoError,
  StorageError,
  StudyNotFoundError,
  TrialNotFoundError,
  UpdateFinishedTrialError,
  ValueError,
} from '../../errors.js';
import {
  emptyTrialRecord,
  freezeTrial,
  isFinished,
  type FrozenTrial,
  type IntermediateValue,
  type StudyDirection,
  type TrialState,
} from '../../trial/index.js';
import {
  checkStoredValues,
  HEARTBEAT_FAIL_REASON,
  type HeartbeatStorage,
  type Storage,
  type StoredStudy,
  type TrialTemplate,
} from '../base.js';
import {
  decodeDirection,
  encodeDirection,
  encodeFloat,
  encodeVector,
  formatDatetime,
  fromJsonText,
  toJsonText,
} from './codec.js';
import { WriteBatch, type PendingWrite } from './batch.js';
import { SqliteHeartbeat } from './heartbeat.js';
import { openDatabase, resolveOptions, type SqliteStorageOptions } from './options.js';
import {
  prepareStatements,
  type PartRow,
  type Picking,
  type Statements,
  type TrialRow,
} from './statements.js';
import {
  INTERMEDIATE_ATTR,
  SIMPLEX_ATTR,
  TrialAssembler,
  WEIGHT_DISTRIBUTION_JSON,
  type ReadTrial,
} from './trials.js';

/** What the store keeps of a study between reads. */
interface StudyCache {
  studyId: number;
  studyName: string;
  directions: readonly StudyDirection[] | undefined;
  /** Snapshots by trial number. Finished ones never change, so they are never read again. */
  trials: FrozenTrial[];
  /** The highest trial id read so far: newer trials are those above it. */
  lastTrialId: number;
  /** Ids of trials read while RUNNING or WAITING; another process may finish them. */
  unfinished: Set<number>;
}

/** The unfinished-trial id that never matches, for reads by range only. */
const NO_IDS = '[]';

/**
 * A study store in one SQLite file, in the table layout of Optuna 4.x's RDB storage (schema
 * head v3.2.0.a): Optuna and optuna-dashboard open an hpo store as it is, and hpo opens
 * stores that Optuna wrote. Several processes and worker threads may share one file.
 *
 * What Optuna's layout cannot hold goes into trial system attributes that hpo hides from
 * `systemAttrs`: a simplex parameter NAME is stored as float params `NAME.label` (its
 * weights, which Optuna shows) plus `hpo:simplex:NAME` = `{labels, coords}`, from which its
 * exact coordinates are rebuilt; a vector intermediate value at STEP goes into
 * `hpo:intermediate:STEP`, its first entry also into Optuna's intermediate values table.
 *
 * The file runs in WAL mode with synchronous=NORMAL: readers never block the writer, and a
 * commit costs no fsync (a power cut may lose the last commits, never corrupt the file).
 * Every change of several rows is one transaction, BEGIN IMMEDIATE when it reads first.
 * Finished trials are cached per study: `getAllTrials` reads only trials that are new or
 * were unfinished when last read.
 *
 * @throws {StorageError} when the file is not an Optuna/hpo store (it is left byte for byte
 *   unchanged), has an older or newer schema, or cannot be opened; database errors later on
 *   are StorageErrors too, with the SQLite error as `cause`.
 * @throws {ValueError} for a bad path or option.
 */
export class SqliteStorage implements Storage {
  /** The database file. */
  readonly path: string;
  /** Seconds a statement waits for another connection's write lock (the resolved option). */
  readonly busyTimeout: number;
  /** Present only when `heartbeatInterval` is set. */
  declare readonly heartbeat?: HeartbeatStorage;

  private readonly db: Database.Database;
  private readonly sql: Statements;
  private readonly assembler = new TrialAssembler();
  private readonly studies = new Map<number, StudyCache>();
  private readonly finishedById = new Map<number, FrozenTrial>();
  private readonly transaction: Database.Transaction<(work: () => unknown) => unknown>;
  private readonly batch = new WriteBatch((writes) => this.commitBatch(writes));

  constructor(path: string, options: SqliteStorageOptions = {}) {
    if (typeof path !== 'string' || path.length === 0) {
      throw new ValueError(
        `SqliteStorage: path must be a non-empty string, but got ${describe(path)}.`,
      );
    }
    const resolved = resolveOptions(options);
    this.path = path;
    this.busyTimeout = resolved.busyTimeout;
    this.db = openDatabase(path, resolved.busyTimeout);
    this.sql = prepareStatements(this.db);
    this.transaction = this.db.transaction((work: () => unknown) => work());
    if (resolved.heartbeatInterval !== undefined) {
      this.heartbeat = new SqliteHeartbeat(resolved.heartbeatInterval, resolved.gracePeriod!, {
        beat: (trialId) => this.guard(() => this.beat(trialId)),
        failStale: (studyId, grace, spared) =>
          this.guard(() => this.failStale(studyId, grace, spared)),
      });
    }
  }

  /** Whether {@link SqliteStorage.close} has run; a closed store rejects every call. */
  get closed(): boolean {
    return !this.db.open;
  }

  async createStudy(studyName: string, directions: readonly StudyDirection[]): Promise<number> {
    return this.guard(() =>
      this.immediate(() => {
        if (this.sql.studyIdByName.get(studyName) !== undefined) {
          throw new DuplicatedStudyError(
            `a study named "${studyName}" already exists in ${this.path}; ` +
              'pass loadIfExists: true to resume it.',
          );
        }
        const studyId = Number(this.sql.insertStudy.run(studyName).lastInsertRowid);
        directions.forEach((direction, objective) =>
          this.sql.insertDirection.run(encodeDirection(direction), studyId, objective),
        );
        return studyId;
      }),
    );
  }

  async deleteStudy(studyId: number): Promise<void> {
    this.guard(() =>
      this.immediate(() => {
        this.requireStudy(studyId);
        for (const statement of this.sql.deleteStudy) statement.run(studyId);
      }),
    );
    for (const trial of this.studies.get(studyId)?.trials ?? []) this.finishedById.delete(trial.id);
    this.studies.delete(studyId);
  }

  async getStudyId(studyName: string): Promise<number> {
    const studyId = this.guard(() => this.sql.studyIdByName.get(studyName)) as number | undefined;
    if (studyId === undefined) {
      throw new StudyNotFoundError(`no study named "${studyName}" exists in ${this.path}.`);
    }
    return studyId;
  }

  async getStudyDirections(studyId: number): Promise<readonly StudyDirection[]> {
    return this.guard(() => this.directionsOf(this.cacheOf(studyId), studyId));
  }

  async getAllStudies(): Promise<readonly StoredStudy[]> {
    return this.guard(() =>
      this.read(() => {
        const directions = new Map<number, StudyDirection[]>();
        for (const [studyId, stored] of this.sql.allDirections.all() as [number, string][]) {
          const list = directions.get(studyId) ?? [];
          list.push(decodeDirection(stored));
          directions.set(studyId, list);
        }
        const rows = this.sql.allStudies.all() as [number, string][];
        return rows.map(([studyId, studyName]) => ({
          studyId,
          studyName,
          directions: Object.freeze(directions.get(studyId) ?? ['minimize']),
        }));
      }),
    );
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.setStudyAttr(this.sql.upsertStudyUserAttr, studyId, key, value);
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.setStudyAttr(this.sql.upsertStudySystemAttr, studyId, key, value);
  }

  async getStudyUserAttrs(studyId: number): Promise<Readonly<Record<string, JsonValue>>> {
    return this.studyAttrs(this.sql.studyUserAttrs, studyId);
  }

  async getStudySystemAttrs(studyId: number): Promise<Readonly<Record<string, JsonValue>>> {
    return this.studyAttrs(this.sql.studySystemAttrs, studyId);
  }

  /** The number is the count of the study's trials, taken inside BEGIN IMMEDIATE: dense. */
  async createTrial(studyId: number, template: TrialTemplate = {}): Promise<FrozenTrial> {
    const state = template.state ?? 'RUNNING';
    const now = new Date();
    const record = this.guard(() =>
      this.immediate(() => {
        this.requireStudy(studyId);
        const number = ((this.sql.lastNumber.get(studyId) as number | undefined) ?? -1) + 1;
        const start = state === 'RUNNING' ? formatDatetime(now) : null;
        const { lastInsertRowid } = this.sql.insertTrial.run(number, studyId, state, start);
        const created = emptyTrialRecord(Number(lastInsertRowid), number, state);
        created.datetimeStart = state === 'RUNNING' ? now : undefined;
        this.insertTemplateAttrs(created.id, template, created);
        return created;
      }),
    );
    return freezeTrial(record);
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    return this.guard(() => {
      const picking = this.picking(this.cacheOf(studyId));
      // A read first: most asks find nothing waiting and then take no write lock at all.
      if (this.sql.firstWaiting.get(picking) === undefined) return null;
      // The UPDATE picks and claims in one statement, so two processes never claim one trial.
      const now = formatDatetime(new Date());
      const claimed = this.sql.claimWaiting.get({ ...picking, now }) as number | undefined;
      return claimed === undefined ? null : this.readOne(claimed);
    });
  }

  async setTrialParam(
    trialId: number,
    name: string,
    internal: InternalValue,
    distribution: Distribution,
  ): Promise<void> {
    if (distribution.kind === 'simplex') {
      const coords = internal as Float64Array;
      return this.queue(trialId, () => this.writeSimplex(trialId, name, coords, distribution));
    }
    const text = JSON.stringify(distributionToJson(distribution));
    const param = { trial: trialId, key: name, num: internal as number, text };
    return this.queue(trialId, () => this.mutate(trialId, this.sql.upsertParam.run(param).changes));
  }

  async setTrialIntermediateValue(
    trialId: number,
    step: number,
    value: IntermediateValue,
  ): Promise<void> {
    if (typeof value === 'number') {
      return this.queue(trialId, () =>
        this.mutate(trialId, this.upsertIntermediate(trialId, step, value)),
      );
    }
    const vector = encodeVector(value);
    return this.queue(trialId, () => {
      this.requireMutable(trialId);
      this.upsertIntermediate(trialId, step, value[0] ?? NaN);
      this.upsertAttr(this.sql.upsertTrialSystemAttr, trialId, INTERMEDIATE_ATTR + step, vector);
    });
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    const statement = this.sql.upsertTrialUserAttr;
    return this.queue(trialId, () =>
      this.mutate(trialId, this.upsertAttr(statement, trialId, key, value)),
    );
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    const statement = this.sql.upsertTrialSystemAttr;
    return this.queue(trialId, () =>
      this.mutate(trialId, this.upsertAttr(statement, trialId, key, value)),
    );
  }

  /**
   * Checks the trial is RUNNING or WAITING, writes its values, then its state, all in one
   * IMMEDIATE transaction: of two processes telling one trial, the second sees it finished.
   */
  async setTrialState(
    trialId: number,
    state: TrialState,
    values?: readonly number[],
  ): Promise<FrozenTrial> {
    checkStoredValues(values);
    const read = this.guard(() =>
      this.immediate(() => {
        const row = this.requireMutable(trialId);
        values?.forEach((value, objective) => {
          const [num, text] = encodeFloat(value);
          this.sql.upsertValue.run({ trial: trialId, key: objective, num, text });
        });
        const now = formatDatetime(new Date());
        const start = state === 'RUNNING' ? (row.datetime_start ?? now) : row.datetime_start;
        this.sql.updateTrialState.run(state, start, isFinished(state) ? now : null, trialId);
        return this.readOneWithStudy(trialId);
      }),
    );
    if (isFinished(state)) {
      (this.heartbeat as SqliteHeartbeat | undefined)?.forget(trialId);
      this.remember(read);
    }
    return read.frozen;
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    return this.finishedById.get(trialId) ?? this.guard(() => this.readOne(trialId));
  }

  async getAllTrials(
    studyId: number,
    states?: readonly TrialState[],
  ): Promise<readonly FrozenTrial[]> {
    const trials = this.guard(() => this.refresh(studyId));
    return states === undefined ? trials.slice() : trials.filter((t) => states.includes(t.state));
  }

  /** Commits the writes still batched, then closes the file. */
  async close(): Promise<void> {
    if (!this.db.open) return;
    this.batch.flush();
    this.db.close();
  }

  /**
   * Runs `work` with the store open, after the batched writes (so that this process reads
   * its own writes), turning database failures into StorageErrors.
   */
  private guard<T>(work: () => T): T {
    this.requireOpen();
    this.batch.flush();
    try {
      return work();
    } catch (error) {
      throw this.wrap(error);
    }
  }

  private requireOpen(): void {
    if (!this.db.open) {
      throw new StorageError(`the SQLite store ${this.path} is closed; open a new SqliteStorage.`);
    }
  }

  private wrap(error: unknown): unknown {
    if (error instanceof HpoError) return error;
    return new StorageError(`SQLite failed on ${this.path}: ${message(error)}`, { cause: error });
  }

  /** Queues a write of a running trial for the next batch (see {@link WriteBatch}). */
  private queue(trialId: number, write: () => void): Promise<void> {
    this.requireOpen();
    return this.batch.add(trialId, write);
  }

  /** Commits a batch in one IMMEDIATE transaction; a refused write does not stop the rest. */
  private commitBatch(writes: readonly PendingWrite[]): readonly unknown[] {
    try {
      return this.immediate(() => writes.map((pending) => this.attempt(pending)));
    } catch (error) {
      throw this.wrap(error);
    }
  }

  private attempt(pending: PendingWrite): unknown {
    try {
      pending.write();
      return undefined;
    } catch (error) {
      // A refused write (missing or finished trial) changed no row; the batch goes on.
      if (error instanceof HpoError) return error;
      throw error;
    }
  }

  /** Runs `work` inside BEGIN IMMEDIATE (a savepoint when already inside a transaction). */
  private immediate<T>(work: () => T): T {
    return this.transaction.immediate(work) as T;
  }

  /** Runs `work` inside a deferred transaction: its reads see one snapshot of the file. */
  private read<T>(work: () => T): T {
    return this.transaction.deferred(work) as T;
  }

  private requireStudy(studyId: number): string {
    const name = this.sql.studyName.get(studyId) as string | undefined;
    if (name === undefined) {
      throw new StudyNotFoundError(`no study with id ${studyId} exists in ${this.path}.`);
    }
    return name;
  }

  /** The cache of a study, checking that it exists (and dropping a stale cache of its id). */
  private cacheOf(studyId: number): StudyCache {
    const studyName = this.requireStudy(studyId);
    let cache = this.studies.get(studyId);
    if (cache === undefined || cache.studyName !== studyName) {
      cache = {
        studyId,
        studyName,
        directions: undefined,
        trials: [],
        lastTrialId: 0,
        unfinished: new Set(),
      };
      this.studies.set(studyId, cache);
    }
    return cache;
  }

  private directionsOf(cache: StudyCache, studyId: number): readonly StudyDirection[] {
    if (cache.directions === undefined) {
      const stored = this.sql.directions.all(studyId) as string[];
      const directions = stored.length > 0 ? stored.map(decodeDirection) : ['minimize' as const];
      cache.directions = Object.freeze(directions);
    }
    return cache.directions;
  }

  private setStudyAttr(
    statement: Database.Statement<unknown[], unknown>,
    studyId: number,
    key: string,
    value: JsonValue,
  ): void {
    this.guard(() =>
      this.immediate(() => {
        this.requireStudy(studyId);
        statement.run(studyId, key, toJsonText(value));
      }),
    );
  }

  private studyAttrs(
    statement: Database.Statement<unknown[], unknown>,
    studyId: number,
  ): Readonly<Record<string, JsonValue>> {
    return this.guard(() =>
      this.read(() => {
        this.requireStudy(studyId);
        const rows = statement.all(studyId) as [string, string | null][];
        return Object.fromEntries(rows.map(([key, text]) => [key, fromJsonText(text)]));
      }),
    );
  }

  /** Reads the trials of a study that are new or were unfinished; returns all, by number. */
  private refresh(studyId: number): FrozenTrial[] {
    return this.read(() => {
      const cache = this.cacheOf(studyId);
      for (const read of this.readPicked(this.picking(cache))) this.keep(cache, read.frozen);
      return cache.trials;
    });
  }

  /** What a refresh of the study must read: trials newer than the last seen, and unfinished. */
  private picking(cache: StudyCache): Picking {
    const ids = cache.unfinished.size === 0 ? NO_IDS : JSON.stringify([...cache.unfinished]);
    return { study: cache.studyId, after: cache.lastTrialId, ids };
  }

  private keep(cache: StudyCache, frozen: FrozenTrial): void {
    cache.trials[frozen.number] = frozen;
    cache.lastTrialId = Math.max(cache.lastTrialId, frozen.id);
    if (isFinished(frozen.state)) {
      cache.unfinished.delete(frozen.id);
      this.finishedById.set(frozen.id, frozen);
    } else {
      cache.unfinished.add(frozen.id);
    }
  }

  private readPicked(picking: Picking): ReadTrial[] {
    const trialRows = this.sql.pickedTrials.all(picking) as TrialRow[];
    if (trialRows.length === 0) return [];
    const ids = JSON.stringify(trialRows.map((row) => row[0]));
    const partRows = this.sql.partsByIds.all({ ids }) as PartRow[];
    return this.assembler.assemble(trialRows, partRows);
  }

  /** @throws {TrialNotFoundError} */
  private readOne(trialId: number): FrozenTrial {
    return this.readOneWithStudy(trialId).frozen;
  }

  private readOneWithStudy(trialId: number): ReadTrial {
    const picking = { study: -1, after: Number.MAX_SAFE_INTEGER, ids: `[${trialId}]` };
    const [read] = this.read(() => this.readPicked(picking));
    if (read === undefined) {
      throw new TrialNotFoundError(`no trial with id ${trialId} exists in ${this.path}.`);
    }
    return read;
  }

  /**
   * Keeps a snapshot this store has just finished, so that no later read fetches it again.
   * Only when its study's cache has seen every older trial: the cache's range read relies
   * on having seen all trials up to its last id.
   */
  private remember(read: ReadTrial): void {
    this.finishedById.set(read.frozen.id, read.frozen);
    const cache = this.studies.get(read.studyId);
    if (cache !== undefined && read.frozen.id <= cache.lastTrialId) this.keep(cache, read.frozen);
  }

  /**
   * The trial's row, checked to be RUNNING or WAITING. Call inside a transaction so that the
   * state cannot change between this check and the writes after it.
   * @throws {TrialNotFoundError} @throws {UpdateFinishedTrialError}
   */
  private requireMutable(trialId: number): { state: TrialState; datetime_start: string | null } {
    const row = this.sql.trialState.get(trialId) as
      { state: TrialState; number: number; datetime_start: string | null } | undefined;
    if (row === undefined) {
      throw new TrialNotFoundError(`no trial with id ${trialId} exists in ${this.path}.`);
    }
    if (isFinished(row.state)) {
      throw new UpdateFinishedTrialError(
        `trial ${row.number} is already ${row.state} and cannot be changed.`,
      );
    }
    return row;
  }

  /** After a guarded write: no row changed means the trial is missing or finished. */
  private mutate(trialId: number, changes: number): void {
    if (changes === 0) this.requireMutable(trialId);
  }

  private upsertIntermediate(trialId: number, step: number, value: number): number {
    const [num, text] = encodeFloat(value);
    return this.sql.upsertIntermediate.run({ trial: trialId, key: step, num, text }).changes;
  }

  private upsertAttr(
    statement: Database.Statement<unknown[], unknown>,
    trialId: number,
    key: string,
    value: unknown,
  ): number {
    return statement.run({ trial: trialId, key, text: toJsonText(value) }).changes;
  }

  private writeSimplex(
    trialId: number,
    name: string,
    coords: Float64Array,
    distribution: Extract<Distribution, { kind: 'simplex' }>,
  ): void {
    this.requireMutable(trialId);
    const weights = distribution.weightsOf(coords);
    distribution.labels.forEach((label, i) => {
      const key = `${name}.${label}`;
      const text = WEIGHT_DISTRIBUTION_JSON;
      this.sql.upsertParam.run({ trial: trialId, key, num: weights[i]!, text });
    });
    const attr = { labels: [...distribution.labels], coords: [...coords] };
    this.upsertAttr(this.sql.upsertTrialSystemAttr, trialId, SIMPLEX_ATTR + name, attr);
  }

  private insertTemplateAttrs(
    trialId: number,
    template: TrialTemplate,
    record: ReturnType<typeof emptyTrialRecord>,
  ): void {
    for (const [key, value] of Object.entries(template.userAttrs ?? {})) {
      this.upsertAttr(this.sql.upsertTrialUserAttr, trialId, key, value);
      record.userAttrs.set(key, fromJsonText(toJsonText(value)));
    }
    for (const [key, value] of Object.entries(template.systemAttrs ?? {})) {
      this.upsertAttr(this.sql.upsertTrialSystemAttr, trialId, key, value);
      record.systemAttrs.set(key, fromJsonText(toJsonText(value)));
    }
  }

  private beat(trialId: number): void {
    if (this.sql.recordHeartbeat.run({ trial: trialId }).changes === 0) {
      throw new TrialNotFoundError(`no trial with id ${trialId} exists in ${this.path}.`);
    }
  }

  private failStale(studyId: number, graceSeconds: number, spared: ReadonlySet<number>): number[] {
    return this.immediate(() => {
      const stale = (this.sql.staleTrials.all(studyId, graceSeconds) as number[]).filter(
        (trialId) => !spared.has(trialId),
      );
      const reason =
        `${HEARTBEAT_FAIL_REASON} for more than ${graceSeconds} s ` +
        '(its process or worker died).';
      const now = formatDatetime(new Date());
      for (const trialId of stale) {
        const row = this.requireMutable(trialId);
        this.upsertAttr(this.sql.upsertTrialSystemAttr, trialId, 'fail_reason', reason);
        this.sql.updateTrialState.run('FAIL', row.datetime_start, now, trialId);
      }
      return stale;
    });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
