import {
  CategoricalDistribution,
  FloatDistribution,
  IntDistribution,
  SimplexDistribution,
  type CategoricalChoice,
  type Distribution,
  type FloatOptions,
  type IntOptions,
  type InternalValue,
  type JsonValue,
  type ParamValue,
  type SimplexWeights,
} from '../distributions/index.js';
import { describe, HpoError, ValueError } from '../errors.js';
import { getLogger } from '../logging.js';
import { freezeTrial, type FrozenTrial, type IntermediateValue } from '../trial/index.js';
import type { TrialContext } from './context.js';

const logger = getLogger('trial');

/**
 * A running trial, handed to the objective. Parameters are asked for define-by-run: each
 * `suggest*` returns at once, from an enqueued value, the sampler's joint proposal, or an
 * independent draw, and is written to the store as it is chosen.
 */
export class Trial {
  /** The trial's number in its study: 0, 1, 2, … */
  readonly number: number;
  /** The store's key of this trial. */
  readonly id: number;

  private readonly context: TrialContext;
  /** The trial as the store handed it out; what samplers are shown. */
  private readonly start: FrozenTrial;
  private readonly record;
  /** The trial as frozen at its last change; undefined while a change is not frozen yet. */
  private snapshot: FrozenTrial | undefined;
  private readonly pending: Promise<void>[] = [];
  private refreshing = false;

  /** @internal Trials are made by `Study.ask`; the context carries the study's parts. */
  constructor(context: TrialContext, start: FrozenTrial) {
    this.context = context;
    this.number = start.number;
    this.id = start.id;
    this.start = start;
    this.snapshot = start;
    this.record = {
      id: start.id,
      number: start.number,
      state: start.state,
      values: undefined,
      distributions: new Map(Object.entries(start.distributions)),
      internalParams: new Map(start.internalParams),
      intermediateValues: new Map(start.intermediateValues),
      userAttrs: new Map(Object.entries(start.userAttrs)),
      systemAttrs: new Map(Object.entries(start.systemAttrs)),
      datetimeStart: start.datetimeStart,
      datetimeComplete: undefined,
    };
  }

  /**
   * A real parameter in `[low, high]`.
   * @param options.log sample on a log scale (needs `low > 0`).
   * @param options.step sample on the grid `low + k * step`.
   * @throws {ValueError} for bad bounds or options, or when `name` was asked before with
   *   another distribution in this trial.
   */
  suggestFloat(name: string, low: number, high: number, options: FloatOptions = {}): number {
    return this.suggest(name, new FloatDistribution(low, high, options)) as number;
  }

  /** An integer parameter in `[low, high]`; see {@link Trial.suggestFloat}. */
  suggestInt(name: string, low: number, high: number, options: IntOptions = {}): number {
    return this.suggest(name, new IntDistribution(low, high, options)) as number;
  }

  /** One of `choices` (strings, numbers, booleans or null). */
  suggestCategorical<T extends CategoricalChoice>(name: string, choices: readonly T[]): T {
    return this.suggest(name, new CategoricalDistribution(choices)) as T;
  }

  /**
   * A point on the probability simplex over `labels`, as `{ [label]: weight }` with weights
   * that are non-negative and sum to 1. One parameter to the sampler; stored as `name.label`.
   */
  suggestSimplex<L extends string>(name: string, labels: readonly L[]): Record<L, number> {
    return this.suggest(name, new SimplexDistribution(labels)) as Record<L, number>;
  }

  /**
   * Reports an intermediate value at a step (an epoch, say). In a multi-objective study the
   * value may be an array with one entry per objective. A second report for one step is
   * ignored with a warning, as in Optuna.
   * @throws {ValueError} for a step that is not a non-negative integer or a value of the
   *   wrong shape.
   */
  report(value: number | readonly number[], step: number): void {
    if (!Number.isSafeInteger(step) || step < 0) {
      throw new ValueError(
        `report: step must be a non-negative integer, but got ${describe(step)}.`,
      );
    }
    const checked = this.checkIntermediate(value);
    if (this.record.intermediateValues.has(step)) {
      logger.warn(`trial ${this.number}: a value was already reported at step ${step}; ignored.`);
      return;
    }
    this.record.intermediateValues.set(step, checked);
    this.snapshot = undefined;
    this.track(this.context.storage.setTrialIntermediateValue(this.id, step, checked));
  }

  /**
   * Whether the study's pruner would stop this trial now, judged against the trials in the
   * store. Throw `new TrialPruned()` when it says yes. Other trials are seen as of the trial's
   * start or its previous `shouldPrune` call, whichever is later.
   */
  shouldPrune(): boolean {
    const decision = this.context.pruner.prune(this.context.view, this.frozen);
    this.refreshView();
    return decision;
  }

  /** Stores a JSON value under `key` with the trial. */
  setUserAttr(key: string, value: JsonValue): void {
    if (typeof key !== 'string') {
      throw new ValueError(`setUserAttr: key must be a string, but got ${describe(key)}.`);
    }
    const copy = checkJson(value);
    this.record.userAttrs.set(key, copy);
    this.snapshot = undefined;
    this.track(this.context.storage.setTrialUserAttr(this.id, key, copy));
  }

  /** The parameters chosen so far, keyed as stored (a simplex as `name.label`). */
  get params(): Readonly<Record<string, ParamValue>> {
    return this.frozen.params;
  }

  /** The distributions asked for so far, keyed by the names passed to `suggest*`. */
  get distributions(): Readonly<Record<string, Distribution>> {
    return this.frozen.distributions;
  }

  /** User attributes set so far. */
  get userAttrs(): Readonly<Record<string, JsonValue>> {
    return this.frozen.userAttrs;
  }

  /** @internal The latest snapshot of this trial as this process knows it. */
  get frozen(): FrozenTrial {
    this.snapshot ??= freezeTrial(this.record);
    return this.snapshot;
  }

  /** @internal Waits for every write this trial started; rejects with the first failure. */
  async flush(): Promise<void> {
    const results = await Promise.allSettled(this.pending);
    this.pending.length = 0;
    const failed = results.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  }

  private suggest(name: string, distribution: Distribution): ParamValue {
    if (typeof name !== 'string' || name.length === 0) {
      throw new ValueError(
        `a parameter name must be a non-empty string, but got ${describe(name)}.`,
      );
    }
    const known = this.record.distributions.get(name);
    if (known !== undefined) {
      if (!known.equals(distribution)) {
        throw new ValueError(
          `parameter "${name}" was already suggested in trial ${this.number} with a ` +
            'different distribution; a name must keep one distribution within a trial.',
        );
      }
      return this.external(distribution, this.record.internalParams.get(name)!);
    }
    const internal = this.choose(name, distribution);
    this.record.distributions.set(name, distribution);
    this.record.internalParams.set(name, internal);
    this.snapshot = undefined;
    this.track(this.context.storage.setTrialParam(this.id, name, internal, distribution));
    return this.external(distribution, internal);
  }

  /** Enqueued value first, then the joint proposal, then an independent draw. */
  private choose(name: string, distribution: Distribution): InternalValue {
    const fixed = this.context.fixedParams?.[name];
    if (fixed !== undefined) {
      try {
        const internal = distribution.toInternal(fixed);
        if (distribution.contains(internal as never)) return internal;
      } catch (error) {
        if (!(error instanceof HpoError)) throw error;
      }
      logger.warn(
        `trial ${this.number}: enqueued value ${describe(fixed)} of "${name}" is outside ` +
          'its distribution; sampling instead.',
      );
    }
    const relative = this.context.relativeParams.get(name);
    if (relative !== undefined && distribution.equals(this.context.relativeSpace[name])) {
      return relative;
    }
    const { sampler, view } = this.context;
    return sampler.sampleIndependent(view, this.start, name, distribution);
  }

  private external(distribution: Distribution, internal: InternalValue): ParamValue {
    return distribution.kind === 'simplex'
      ? (distribution.toExternal(internal as Float64Array) as SimplexWeights)
      : distribution.toExternal(internal as number);
  }

  private checkIntermediate(value: number | readonly number[]): IntermediateValue {
    const nObjectives = this.context.view.directions.length;
    if (typeof value === 'number') return value;
    if (!Array.isArray(value) || nObjectives === 1 || value.length !== nObjectives) {
      throw new ValueError(
        nObjectives === 1
          ? `report: value must be a number, but got ${describe(value)}.`
          : `report: value must be a number or an array of ${nObjectives} numbers (one per ` +
              `objective), but got ${describe(value)}.`,
      );
    }
    if (value.some((entry) => typeof entry !== 'number')) {
      throw new ValueError(`report: every entry must be a number, but got ${describe(value)}.`);
    }
    return Object.freeze([...value]);
  }

  private refreshView(): void {
    if (this.refreshing) return;
    this.refreshing = true;
    this.context.refresh().finally(() => (this.refreshing = false));
  }

  private track(write: Promise<void>): void {
    // Writes to embedded stores are done when the call returns; keep the promise so that a
    // failure surfaces at tell() instead of as an unhandled rejection.
    write.catch(() => undefined);
    this.pending.push(write);
  }
}

function checkJson(value: JsonValue): JsonValue {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error('not JSON');
    return JSON.parse(text) as JsonValue;
  } catch {
    throw new ValueError(
      `setUserAttr: value must be JSON-serializable, but got ${describe(value)}.`,
    );
  }
}
