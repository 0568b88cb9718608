export {
  defaultEiCandidates,
  defaultGamma,
  defaultMagicClip,
  defaultWeights,
  rankWeights,
  TPE_DEFAULTS,
  type TPESamplerOptions,
} from './options.js';
export { TPESampler } from './sampler.js';
