export {
  defaultGamma,
  defaultWeights,
  rankWeights,
  TPE_DEFAULTS,
  type TPESamplerOptions,
} from './options.js';
export { TPESampler } from './sampler.js';
