import type { Distribution, InternalValue, JsonValue } from '../distributions/index.js';
import {
  DuplicatedStudyError,
  StudyNotFoundError,
  TrialNotFoundError,
  UpdateFinishedTrialError,
} from '../errors.js';
import {
  emptyTrialRecord,
  freezeTrial,
  isFinished,
  type FrozenTrial,
  type IntermediateValue,
  type StudyDirection,
  type TrialRecord,
  type TrialState,
} from '../trial/index.js';
import { checkStoredValues, type Storage, type StoredStudy, type TrialTemplate } from './base.js';

interface MemoryStudy {
  studyId: number;
  studyName: string;
  directions: readonly StudyDirection[];
  userAttrs: Map<string, JsonValue>;
  systemAttrs: Map<string, JsonValue>;
  /** How many trials the study has: the next trial's number. */
  nTrials: number;
  /** Snapshots by trial number; a changed trial is re-frozen when it is next read. */
  frozen: FrozenTrial[];
  stale: Set<TrialRecord>;
  /** WAITING trials, oldest first. */
  waiting: TrialRecord[];
}

interface TrialEntry {
  readonly study: MemoryStudy;
  readonly number: number;
  record: TrialRecord | undefined;
}

/**
 * A store that lives in this process's memory and ends with it. The default store; it cannot
 * be shared with worker threads or other processes (use {@link SqliteStorage} for that).
 */
export class InMemoryStorage implements Storage {
  private readonly studies = new Map<number, MemoryStudy>();
  /** Every trial by id; the mutable record is dropped once the trial has finished. */
  private readonly trials = new Map<number, TrialEntry>();
  private nextStudyId = 1;
  private nextTrialId = 1;

  async createStudy(studyName: string, directions: readonly StudyDirection[]): Promise<number> {
    for (const study of this.studies.values()) {
      if (study.studyName === studyName) {
        throw new DuplicatedStudyError(
          `a study named "${studyName}" already exists; pass loadIfExists: true to resume it.`,
        );
      }
    }
    const studyId = this.nextStudyId++;
    this.studies.set(studyId, {
      studyId,
      studyName,
      directions: Object.freeze([...directions]),
      userAttrs: new Map(),
      systemAttrs: new Map(),
      nTrials: 0,
      frozen: [],
      stale: new Set(),
      waiting: [],
    });
    return studyId;
  }

  async deleteStudy(studyId: number): Promise<void> {
    const study = this.study(studyId);
    for (const trial of study.frozen) this.trials.delete(trial.id);
    this.studies.delete(studyId);
  }

  async getStudyId(studyName: string): Promise<number> {
    for (const study of this.studies.values()) {
      if (study.studyName === studyName) return study.studyId;
    }
    throw new StudyNotFoundError(`no study named "${studyName}" exists in this in-memory store.`);
  }

  async getStudyDirections(studyId: number): Promise<readonly StudyDirection[]> {
    return this.study(studyId).directions;
  }

  async getAllStudies(): Promise<readonly StoredStudy[]> {
    return [...this.studies.values()].map(({ studyId, studyName, directions }) => ({
      studyId,
      studyName,
      directions,
    }));
  }

  async setStudyUserAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.study(studyId).userAttrs.set(key, structuredClone(value));
  }

  async setStudySystemAttr(studyId: number, key: string, value: JsonValue): Promise<void> {
    this.study(studyId).systemAttrs.set(key, structuredClone(value));
  }

  async getStudyUserAttrs(studyId: number): Promise<Readonly<Record<string, JsonValue>>> {
    return Object.fromEntries(this.study(studyId).userAttrs);
  }

  async getStudySystemAttrs(studyId: number): Promise<Readonly<Record<string, JsonValue>>> {
    return Object.fromEntries(this.study(studyId).systemAttrs);
  }

  async createTrial(studyId: number, template: TrialTemplate = {}): Promise<FrozenTrial> {
    const study = this.study(studyId);
    const record = emptyTrialRecord(
      this.nextTrialId++,
      study.nTrials++,
      template.state ?? 'RUNNING',
    );
    for (const [key, value] of Object.entries(template.userAttrs ?? {})) {
      record.userAttrs.set(key, structuredClone(value));
    }
    for (const [key, value] of Object.entries(template.systemAttrs ?? {})) {
      record.systemAttrs.set(key, structuredClone(value));
    }
    if (record.state === 'WAITING') study.waiting.push(record);
    this.trials.set(record.id, { study, number: record.number, record });
    return this.refreeze(study, record);
  }

  async claimWaitingTrial(studyId: number): Promise<FrozenTrial | null> {
    const study = this.study(studyId);
    const record = study.waiting.shift();
    if (record === undefined) return null;
    record.state = 'RUNNING';
    record.datetimeStart = new Date();
    return this.refreeze(study, record);
  }

  async setTrialParam(
    trialId: number,
    name: string,
    internal: InternalValue,
    distribution: Distribution,
  ): Promise<void> {
    const [study, record] = this.runningTrial(trialId);
    record.distributions.set(name, distribution);
    record.internalParams.set(name, typeof internal === 'number' ? internal : internal.slice());
    study.stale.add(record);
  }

  async setTrialIntermediateValue(
    trialId: number,
    step: number,
    value: IntermediateValue,
  ): Promise<void> {
    const [study, record] = this.runningTrial(trialId);
    record.intermediateValues.set(
      step,
      typeof value === 'number' ? value : Object.freeze([...value]),
    );
    study.stale.add(record);
  }

  async setTrialUserAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    const [study, record] = this.runningTrial(trialId);
    record.userAttrs.set(key, structuredClone(value));
    study.stale.add(record);
  }

  async setTrialSystemAttr(trialId: number, key: string, value: JsonValue): Promise<void> {
    const [study, record] = this.runningTrial(trialId);
    record.systemAttrs.set(key, structuredClone(value));
    study.stale.add(record);
  }

  async setTrialState(
    trialId: number,
    state: TrialState,
    values?: readonly number[],
  ): Promise<FrozenTrial> {
    checkStoredValues(values);
    const [study, record] = this.runningTrial(trialId);
    if (record.state === 'WAITING') study.waiting.splice(study.waiting.indexOf(record), 1);
    record.state = state;
    if (values !== undefined) record.values = [...values];
    if (state === 'RUNNING' && record.datetimeStart === undefined) {
      record.datetimeStart = new Date();
    }
    if (!isFinished(state)) return this.refreeze(study, record);
    record.datetimeComplete = new Date();
    // A finished trial never changes again: its snapshot may keep the record's maps, and the
    // record itself is let go.
    const snapshot = freezeTrial(record, { final: true });
    study.frozen[record.number] = snapshot;
    study.stale.delete(record);
    this.trials.get(trialId)!.record = undefined;
    return snapshot;
  }

  async getTrial(trialId: number): Promise<FrozenTrial> {
    const entry = this.trials.get(trialId);
    if (entry === undefined) {
      throw new TrialNotFoundError(`no trial with id ${trialId} exists in this store.`);
    }
    const { study, record } = entry;
    if (record !== undefined && study.stale.has(record)) return this.refreeze(study, record);
    return study.frozen[entry.number]!;
  }

  async getAllTrials(
    studyId: number,
    states?: readonly TrialState[],
  ): Promise<readonly FrozenTrial[]> {
    const study = this.study(studyId);
    for (const record of study.stale) this.refreeze(study, record);
    const { frozen } = study;
    return states === undefined ? frozen.slice() : frozen.filter((t) => states.includes(t.state));
  }

  async close(): Promise<void> {}

  private study(studyId: number): MemoryStudy {
    const study = this.studies.get(studyId);
    if (study === undefined) {
      throw new StudyNotFoundError(`no study with id ${studyId} exists in this in-memory store.`);
    }
    return study;
  }

  /** The study and record of a trial that may still change (RUNNING or WAITING). */
  private runningTrial(trialId: number): [MemoryStudy, TrialRecord] {
    const entry = this.trials.get(trialId);
    if (entry === undefined) {
      throw new TrialNotFoundError(`no trial with id ${trialId} exists in this store.`);
    }
    const { study, record } = entry;
    if (record === undefined) {
      const { number, state } = study.frozen[entry.number]!;
      throw new UpdateFinishedTrialError(
        `trial ${number} is already ${state} and cannot be changed.`,
      );
    }
    return [study, record];
  }

  private refreeze(study: MemoryStudy, record: TrialRecord): FrozenTrial {
    const snapshot = freezeTrial(record);
    study.frozen[record.number] = snapshot;
    study.stale.delete(record);
    return snapshot;
  }
}
