export { CategoricalDistribution } from './categorical.js';
export { FloatDistribution, type FloatOptions } from './float.js';
export { IntDistribution, type IntOptions } from './int.js';
export { SIMPLEX_LOG_RATIO_BOUND, SimplexDistribution } from './simplex.js';
export {
  distributionFromJson,
  distributionToJson,
  type Distribution,
  type DistributionJson,
  type ScalarDistribution,
} from './json.js';
export type {
  CategoricalChoice,
  InternalValue,
  JsonValue,
  ParamValue,
  SimplexWeights,
} from './types.js';
