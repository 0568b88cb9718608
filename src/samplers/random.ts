import type { Distribution, InternalValue } from '../distributions/index.js';
import { Random } from '../random.js';
import type { Sampler } from './base.js';
import { sampleUniform } from './uniform.js';

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Seed of the sampler's own random source; absent, a random seed. */
  seed?: number;
}

/** Samples every parameter independently and uniformly; the baseline of every study. */
export class RandomSampler implements Sampler {
  private readonly random: Random;

  constructor(options: RandomSamplerOptions = {}) {
    this.random = new Random(options.seed);
  }

  inferRelativeSearchSpace(): Record<string, Distribution> {
    return {};
  }

  sampleRelative(): Map<string, InternalValue> {
    return new Map();
  }

  sampleIndependent(
    _study: unknown,
    _trial: unknown,
    _name: string,
    distribution: Distribution,
  ): InternalValue {
    return sampleUniform(distribution, this.random);
  }
}
