import type { JsonValue } from '../distributions/index.js';
import type { Distribution, InternalValue } from '../distributions/index.js';
import type { Pruner } from '../pruners/base.js';
import type { Sampler, StudyView } from '../samplers/base.js';
import type { Storage } from '../storage/base.js';

/** What a live trial needs of its study: the parts, and what was decided when it started. */
export interface TrialContext {
  readonly storage: Storage;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  /** The study's trials as last read; replaced by `refresh`. */
  readonly view: StudyView;
  readonly relativeSpace: Record<string, Distribution>;
  readonly relativeParams: ReadonlyMap<string, InternalValue>;
  /** Values given by `enqueueTrial`, by parameter name, in external form. */
  readonly fixedParams: Readonly<Record<string, JsonValue>> | undefined;
  /** Reads the study's trials again into `view`. */
  refresh(): Promise<void>;
}
