import type { Distribution, InternalValue } from '../../distributions/index.js';
import { describe, ValueError } from '../../errors.js';
import { getLogger } from '../../logging.js';
import { deriveSeed, Random } from '../../random.js';
import type { FrozenTrial, TrialState } from '../../trial/index.js';
import type { Sampler, StudyView } from '../base.js';
import { IntersectionSearchSpace } from '../search-space.js';
import { sampleUniform } from '../uniform.js';
import { GroupDecomposedSearchSpace } from './group-search-space.js';
import {
  defaultMagicClip,
  resolveTPEOptions,
  type ResolvedTPEOptions,
  type TPESamplerOptions,
} from './options.js';
import {
  ParzenEstimator,
  ParzenWorkspace,
  SORT_FROM,
  type ParzenSettings,
} from './parzen-estimator.js';
import { JointSums } from './joint-sums.js';
import { SortedKernels } from './sorted-kernels.js';
import { SortedBuffers } from './sorted-layout.js';
import { ColumnScratch, ObservationCache, type Observations } from './observations.js';
import { EstimatorSpace } from './space.js';
import { splitTrials, type Split } from './split.js';
import { TrialTable } from './trial-table.js';

const logger = getLogger('samplers.tpe');

const FINISHED_FOR_TPE: readonly TrialState[] = ['COMPLETE', 'PRUNED'];

/**
 * The Tree-structured Parzen Estimator (Bergstra et al., 2011; Watanabe, 2023), hpo's default
 * sampler. After `nStartupTrials` uniform draws, it splits finished trials into good and bad
 * ones, fits a Parzen estimator l(x) to the good and g(x) to the bad, draws `nEiCandidates`
 * from l and proposes the one with the largest log l(x) − log g(x).
 *
 * - Single objective: good = the gamma(n) best values, weighted by rank (`goodWeights`;
 *   Optuna weighs them alike). Several objectives (MOTPE, Ozaki et al., 2020): good = the
 *   best non-dominated ranks, the last rank cut by hypervolume subset selection, each good
 *   trial weighted by its hypervolume contribution.
 * - PRUNED trials count by their last intermediate value, after COMPLETE ones; with
 *   `constraintsFunc`, infeasible trials after feasible ones (c-TPE style); with
 *   `constantLiar`, RUNNING trials are bad.
 * - Proposals depend only on the seed, the trial number, the parameter and the trials shown,
 *   never on what this object sampled before: a sampler re-created over a stored study
 *   proposes what the first one would have.
 *
 * @throws {ValueError} from the constructor for an invalid option.
 */
export class TPESampler implements Sampler {
  private readonly options: ResolvedTPEOptions;
  /** The estimators' settings for the current study; the magic clip's default depends on it. */
  private settings: ParzenSettings;
  private readonly seed: number;
  private readonly intersection = new IntersectionSearchSpace(true);
  private readonly grouped: GroupDecomposedSearchSpace | undefined;
  private groups: Record<string, Distribution>[] = [];
  private readonly violations = new Map<number, number>();
  private observations = new ObservationCache();
  /** The study the caches belong to; a sampler moved to another study starts them afresh. */
  private studyName: string | undefined;
  private readonly workspace = new ParzenWorkspace();
  /** The bad trials' columns, read anew into the same buffers at every proposal. */
  private readonly badColumns = new ColumnScratch();
  /** The arrays of the sorted estimator of the bad trials, reused by every parameter. */
  private readonly sortedBuffers = new SortedBuffers();
  private cached: { trials: readonly FrozenTrial[]; trialId: number; split: Split } | undefined;
  private table = new TrialTable();

  constructor(options: TPESamplerOptions = {}) {
    this.options = resolveTPEOptions(options);
    this.settings = this.settingsFor(1);
    this.seed = Random.normalizeSeed(this.options.seed);
    this.grouped = this.options.group ? new GroupDecomposedSearchSpace() : undefined;
  }

  inferRelativeSearchSpace(study: StudyView): Record<string, Distribution> {
    if (!this.options.multivariate) return {};
    if (this.grouped !== undefined) {
      this.groups = this.grouped.calculate(study).map(withoutSingles);
      return Object.assign({}, ...this.groups) as Record<string, Distribution>;
    }
    return withoutSingles(this.intersection.calculate(study));
  }

  sampleRelative(
    study: StudyView,
    trial: FrozenTrial,
    searchSpace: Record<string, Distribution>,
  ): Map<string, InternalValue> {
    const result = new Map<string, InternalValue>();
    if (Object.keys(searchSpace).length === 0 || this.inStartup(study)) return result;
    const spaces = this.grouped === undefined ? [searchSpace] : this.groups;
    for (const space of spaces) {
      const entries = Object.entries(space).filter(([name]) => name in searchSpace);
      if (entries.length === 0) continue;
      const random = this.randomFor(trial, `relative:${entries[0]![0]}`);
      for (const [name, value] of this.propose(study, trial, entries, random)) {
        result.set(name, value);
      }
    }
    return result;
  }

  sampleIndependent(
    study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): InternalValue {
    const random = this.randomFor(trial, name);
    if (this.inStartup(study) || distribution.single()) return sampleUniform(distribution, random);
    if (this.options.multivariate && this.options.warnIndependentSampling) {
      const seen = study.getTrials(FINISHED_FOR_TPE).some((other) => name in other.distributions);
      if (seen) {
        logger.warn(
          `The parameter "${name}" in trial ${trial.number} is sampled independently, not by ` +
            'multivariate TPE (it is outside the search space that every trial shares). Pass ' +
            'warnIndependentSampling: false to silence this when it is intended.',
        );
      }
    }
    return this.propose(study, trial, [[name, distribution]], random).get(name)!;
  }

  private settingsFor(nObjectives: number): ParzenSettings {
    const { considerPrior, priorWeight, considerMagicClip, considerEndpoints, multivariate } =
      this.options;
    return {
      considerPrior,
      priorWeight,
      considerMagicClip: considerMagicClip ?? defaultMagicClip(multivariate, nObjectives),
      considerEndpoints,
      multivariate,
    };
  }

  /** Whether too few trials have finished for TPE to start; counted once per snapshot. */
  private inStartup(study: StudyView): boolean {
    const trials = study.getTrials();
    const known = this.finishedCount;
    if (known?.trials !== trials || known.length !== trials.length) {
      let finished = 0;
      for (const other of trials) {
        if (other.state === 'COMPLETE' || other.state === 'PRUNED') finished++;
      }
      this.finishedCount = { trials, length: trials.length, finished };
    }
    return this.finishedCount!.finished < this.options.nStartupTrials;
  }

  private finishedCount:
    { trials: readonly FrozenTrial[]; length: number; finished: number } | undefined;

  /** A random source for one decision, derived from the seed, the trial and a key. */
  private randomFor(trial: FrozenTrial, key: string): Random {
    return new Random(deriveSeed(this.seed, trial.number, key));
  }

  /** One TPE proposal for a set of parameters modelled jointly. */
  private propose(
    study: StudyView,
    trial: FrozenTrial,
    entries: readonly (readonly [string, Distribution])[],
    random: Random,
  ): Map<string, InternalValue> {
    if (study.studyName !== this.studyName) {
      this.studyName = study.studyName;
      this.settings = this.settingsFor(study.directions.length);
      this.observations = new ObservationCache();
      this.violations.clear();
      this.cached = undefined;
      this.table = new TrialTable();
    }
    const split = this.split(study, trial);
    const space = new EstimatorSpace(entries);
    const { weights } = this.options;
    // Value orders serve only the neighbour widths of univariate numeric kernels.
    const withOrders =
      !this.options.multivariate && space.dims.some((dim) => dim.kind !== 'categorical');
    const { observations } = this;
    const below = observations.collect(space, split.below, split.belowWeights, weights, withOrders);
    const { settings, workspace } = this;
    const good = estimator(space, below, settings, workspace);
    const bad =
      this.sortedEstimator(space, split.above) ??
      this.scoredEstimator(
        space,
        observations.collect(space, split.above, undefined, weights, withOrders, this.badColumns),
      );

    const n = this.options.nEiCandidates;
    const candidates = good.sample(random, n);
    const logGood = new Float64Array(n);
    good.logPdf(candidates, n, logGood);
    const best = bad.argmaxRatio(candidates, n, logGood);
    return new Map(
      space.params.map((param) => [param.name, space.decode(param, candidates, best)]),
    );
  }

  /**
   * Univariate TPE's estimator of the bad trials for one numeric parameter, built in one pass
   * over the parameter's cached value order (the bad trials are most trials, so this is the
   * estimator whose build dominates a proposal). Undefined where the general path applies:
   * multivariate or categorical, few kernels, or trials the cache cannot read.
   */
  private sortedEstimator(
    space: EstimatorSpace,
    trials: readonly FrozenTrial[],
  ): Pick<ParzenEstimator, 'argmaxRatio'> | undefined {
    const [dim] = space.dims;
    const [param] = space.params;
    if (this.options.multivariate || space.dims.length !== 1 || dim!.kind === 'categorical') {
      return undefined;
    }
    if (trials.length + 1 < SORT_FROM) return undefined;
    const sorted = this.observations.sortedObservations(param!.name, param!.distribution, trials);
    if (sorted === undefined) return undefined;
    const { considerPrior, priorWeight } = this.settings;
    const weights = this.observations.weightsOf(trials, this.options.weights);
    const mixture = this.workspace.mixtureOf(weights, considerPrior ? priorWeight : 0);
    const kernels = SortedKernels.fromSorted(
      dim!,
      sorted.values,
      sorted.rows,
      mixture,
      this.settings,
      this.sortedBuffers,
    );
    return {
      argmaxRatio: (samples, n, logGood) => kernels.argmaxRatio(samples[0]!, n, logGood),
    };
  }

  /**
   * The estimator of the bad trials where the sorted one does not apply. It is only scored,
   * never sampled, so in multivariate TPE its joint kernels are laid out straight from the
   * observations when they allow it; the general estimator serves otherwise, and when a
   * candidate falls off a discrete grid.
   */
  private scoredEstimator(
    space: EstimatorSpace,
    observations: Observations,
  ): Pick<ParzenEstimator, 'argmaxRatio'> {
    const { settings, workspace } = this;
    const general = (): ParzenEstimator => estimator(space, observations, settings, workspace);
    if (!settings.multivariate) return general();
    const prior = settings.considerPrior || observations.weights.length === 0;
    const mixture = workspace.mixtureOf(observations.weights, prior ? settings.priorWeight : 0);
    const joint = JointSums.fromObservations(space.dims, observations.columns, mixture, settings);
    if (joint === undefined) return general();
    return {
      argmaxRatio: (samples, n, logGood) => {
        const index = joint.argmaxRatio(samples, n, logGood);
        return index >= 0 ? index : general().argmaxRatio(samples, n, logGood);
      },
    };
  }

  /** The good/bad split for this trial, computed once per trial and study snapshot. */
  private split(study: StudyView, trial: FrozenTrial): Split {
    const trials = study.getTrials();
    const cached = this.cached;
    if (cached !== undefined && cached.trials === trials && cached.trialId === trial.id) {
      return cached.split;
    }
    const { constantLiar, constraintsFunc, gamma } = this.options;
    const fast =
      constraintsFunc === undefined && study.directions.length === 1
        ? this.table.splitSingle(trials, trial.id, study.directions[0]!, constantLiar, gamma)
        : undefined;
    if (fast !== undefined) {
      // The observations would read each trial's number again: take them from the table.
      this.observations.knowRows(fast.below, fast.belowNumbers);
      this.observations.knowRows(fast.above, fast.aboveNumbers);
    }
    const split = this.weighRanks(fast ?? this.splitAll(study, trial, trials));
    this.cached = { trials, trialId: trial.id, split };
    return split;
  }

  /**
   * A single-objective split with its good trials weighted by rank (`goodWeights`) times their
   * place in number order (`weights`); several objectives keep their hypervolume weights.
   */
  private weighRanks(split: Split): Split {
    const ranks = split.belowRanks;
    if (ranks === undefined) return split;
    const k = ranks.length;
    const byRank = this.options.goodWeights(k);
    const byNumber = this.options.weights(k);
    const belowWeights = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      const weight = (byRank[ranks[i]!] ?? 0) * (byNumber[i] ?? 0);
      if (!(weight >= 0 && weight < Infinity)) {
        throw new ValueError(
          'TPESampler: goodWeights and weights must give finite weights >= 0, but the good ' +
            `trial of rank ${ranks[i]} of ${k} got ${describe(byRank[ranks[i]!])} × ` +
            `${describe(byNumber[i])}.`,
        );
      }
      belowWeights[i] = weight;
    }
    return { ...split, belowWeights };
  }

  /** {@link splitTrials} of the trials shown to TPE: finished, or RUNNING under the liar. */
  private splitAll(study: StudyView, trial: FrozenTrial, trials: readonly FrozenTrial[]): Split {
    // One pass over the trials (each read touches a trial object, most of a split's cost).
    const shown: FrozenTrial[] = [];
    let nFinished = 0;
    const liar = this.options.constantLiar;
    for (const other of trials) {
      const { state } = other;
      if (other.id === trial.id) continue;
      if (state === 'COMPLETE' || state === 'PRUNED') {
        shown.push(other);
        nFinished++;
      } else if (liar && state === 'RUNNING') {
        shown.push(other);
      }
    }
    const constraints = this.options.constraintsFunc;
    return splitTrials(shown, {
      directions: study.directions,
      nBelow: Math.max(0, Math.floor(this.options.gamma(nFinished))),
      violation: constraints === undefined ? undefined : (other) => this.violation(other),
    });
  }

  /** Total positive constraint value of a finished trial, computed once per trial. */
  private violation(trial: FrozenTrial): number {
    let total = this.violations.get(trial.id);
    if (total === undefined) {
      total = 0;
      for (const value of this.options.constraintsFunc!(trial)) {
        total += Number.isNaN(value) ? Infinity : Math.max(0, value);
      }
      this.violations.set(trial.id, total);
    }
    return total;
  }
}

/** The Parzen estimator of a set of observations, reusing their value order when known. */
function estimator(
  space: EstimatorSpace,
  observations: Observations,
  settings: ParzenSettings,
  workspace: ParzenWorkspace,
): ParzenEstimator {
  const { columns, weights, orders } = observations;
  return new ParzenEstimator(space.dims, columns, weights, settings, workspace, orders);
}

/** The space without parameters that have one possible value (nothing to model). */
function withoutSingles(space: Record<string, Distribution>): Record<string, Distribution> {
  return Object.fromEntries(Object.entries(space).filter(([, d]) => !d.single()));
}
