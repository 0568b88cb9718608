export type { Sampler, StudyView } from './base.js';
export { RandomSampler, type RandomSamplerOptions } from './random.js';
export { IntersectionSearchSpace } from './search-space.js';
export { sampleUniform } from './uniform.js';
export * from './tpe/index.js';
