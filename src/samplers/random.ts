import type { Distribution, InternalValue } from '../distributions/index.js';
import { deriveSeed, Random } from '../random.js';
import type { FrozenTrial } from '../trial/index.js';
import type { Sampler, StudyView } from './base.js';
import { sampleUniform } from './uniform.js';

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Seed of the sampler's random draws; absent, a random seed. */
  seed?: number;
}

/**
 * Samples every parameter independently and uniformly; the baseline of every study. Each
 * draw comes from a source seeded by (seed, trial number, parameter name), so a study resumed
 * from its store, or run by several workers, proposes what one uninterrupted run would.
 */
export class RandomSampler implements Sampler {
  private readonly seed: number;

  constructor(options: RandomSamplerOptions = {}) {
    this.seed = Random.normalizeSeed(options.seed);
  }

  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  sampleRelative(): Map<string, InternalValue> {
    return new Map();
  }

  sampleIndependent(
    _study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): InternalValue {
    return sampleUniform(distribution, new Random(deriveSeed(this.seed, trial.number, name)));
  }
}
