import '../helpers.js';

import { RandomSampler, TPESampler } from '../../src/index.js';
import { samplerConformance } from './conformance.js';

samplerConformance('RandomSampler', (seed) => new RandomSampler({ seed }));
samplerConformance('TPESampler', (seed) => new TPESampler({ seed, nStartupTrials: 5 }));
samplerConformance(
  'TPESampler (multivariate, group)',
  (seed) =>
    new TPESampler({
      seed,
      nStartupTrials: 5,
      multivariate: true,
      group: true,
      warnIndependentSampling: false,
    }),
);
samplerConformance(
  'TPESampler (constant liar, constraints)',
  (seed) =>
    new TPESampler({
      seed,
      nStartupTrials: 5,
      constantLiar: true,
      constraintsFunc: (t) => [(t.value ?? 0) - 3],
    }),
);
