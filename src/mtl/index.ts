/**
 * hpo/mtl: a multi-task trainer on TensorFlow.js, written as a user of the public `hpo` API.
 * MultiDigits and CSV data sets, a shared trunk with one head per task, loss weights from
 * `suggestSimplex`, pruning and quantization, checkpoints in the TensorFlow.js format.
 * Importing `hpo` alone never loads TensorFlow.js; importing `hpo/mtl` does.
 */
export { initBackend, type BackendChoice, type BackendRequest } from './backend.js';
export { CHECKPOINT_ATTR, keepParetoCheckpoints, saveCheckpoint } from './checkpoint.js';
export {
  gradualSparsity,
  magnitudeMask,
  modelBytes,
  quantizeSymmetric,
  type BitWidth,
  type Quantized,
  type StoredTensor,
} from './compress.js';
export {
  loadCsvDataset,
  parseCsvDataset,
  type CsvDatasetOptions,
  type CsvTask,
} from './data/csv.js';
export type {
  DataSplit,
  MultiTaskDataset,
  SplitFractions,
  TaskKind,
  TaskSpec,
} from './data/dataset.js';
export {
  DIGITS_SHA256,
  loadDigits,
  loadMultiDigits,
  type Digits,
  type MultiDigitsOptions,
} from './data/digits.js';
export { buildNetwork, type Activation, type ArchitectureConfig, type Network } from './model.js';
export {
  multiTaskObjective,
  suggestTrainConfig,
  type KeepCheckpoints,
  type MultiTaskObjectiveOptions,
  type SearchSpaceOptions,
} from './objective.js';
export {
  trainMultiTask,
  type Metrics,
  type TrainConfig,
  type TrainOptions,
  type TrainResult,
} from './train.js';
