import { NopPruner } from './pruners/nop.js';
import type { Pruner } from './pruners/base.js';
import { RandomSampler } from './samplers/random.js';
import type { Sampler } from './samplers/base.js';

// TODO(issue 3, issue 4): API.md makes TPESampler and MedianPruner the defaults; until those
// land, studies default to RandomSampler and NopPruner.
/** The sampler a study gets when none is given. */
export const DEFAULT_SAMPLER = (): Sampler => new RandomSampler();

/** The pruner a study gets when none is given. */
export const DEFAULT_PRUNER = (): Pruner => new NopPruner();
