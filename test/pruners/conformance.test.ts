import '../helpers.js';

import {
  HyperbandPruner,
  MedianPruner,
  ParetoPruner,
  PatientPruner,
  PercentilePruner,
  SuccessiveHalvingPruner,
  ThresholdPruner,
} from '../../src/pruners/index.js';
import { prunerConformance } from './conformance.js';

prunerConformance('MedianPruner', {
  make: () => new MedianPruner({ nWarmupSteps: 3 }),
  warmupSteps: 3,
});
prunerConformance('MedianPruner with an interval', {
  make: () => new MedianPruner({ nStartupTrials: 10, nWarmupSteps: 2, intervalSteps: 3 }),
  warmupSteps: 2,
});
prunerConformance('PercentilePruner', {
  make: () => new PercentilePruner({ percentile: 25, nWarmupSteps: 4 }),
  warmupSteps: 4,
});
prunerConformance('SuccessiveHalvingPruner', {
  make: () => new SuccessiveHalvingPruner({ minResource: 2, reductionFactor: 3 }),
  warmupSteps: 2,
});
prunerConformance('SuccessiveHalvingPruner with automatic resources', {
  make: () => new SuccessiveHalvingPruner(),
  warmupSteps: 1,
});
prunerConformance('SuccessiveHalvingPruner in a two-objective study', {
  make: () => new SuccessiveHalvingPruner({ minResource: 1, reductionFactor: 2 }),
  nObjectives: 2,
  warmupSteps: 1,
});
prunerConformance('HyperbandPruner', {
  make: () => new HyperbandPruner({ minResource: 1, maxResource: 20 }),
  warmupSteps: 1,
});
prunerConformance('HyperbandPruner with automatic resources', {
  make: () => new HyperbandPruner({ minResource: 2 }),
  warmupSteps: 2,
});
prunerConformance('HyperbandPruner in a three-objective study', {
  make: () => new HyperbandPruner({ minResource: 1, maxResource: 20, reductionFactor: 2 }),
  nObjectives: 3,
  warmupSteps: 1,
});
prunerConformance('ThresholdPruner', {
  make: () => new ThresholdPruner({ upper: 5, nWarmupSteps: 2 }),
  warmupSteps: 2,
});
prunerConformance('PatientPruner without a wrapped pruner', {
  make: () => new PatientPruner(null, { patience: 3 }),
  warmupSteps: 4,
});
prunerConformance('PatientPruner around a MedianPruner', {
  make: () => new PatientPruner(new MedianPruner(), { patience: 2, minDelta: 0.1 }),
  warmupSteps: 3,
});
prunerConformance('ParetoPruner', {
  make: () => new ParetoPruner({ nWarmupSteps: 2 }),
  nObjectives: 2,
  warmupSteps: 2,
});
prunerConformance('ParetoPruner in a single-objective study', {
  make: () => new ParetoPruner({ nWarmupSteps: 1, shrink: 0.2 }),
  warmupSteps: 1,
});
