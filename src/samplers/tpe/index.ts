export { defaultGamma, defaultWeights, TPE_DEFAULTS, type TPESamplerOptions } from './options.js';
export { TPESampler } from './sampler.js';
