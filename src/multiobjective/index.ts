export { crowdingDistance } from './crowding-distance.js';
export { dominates, toMinimization } from './dominance.js';
export { hypervolume } from './hypervolume.js';
export { hypervolumeContributions } from './hypervolume-contributions.js';
export { nonDominatedSort, type NonDominatedSortOptions } from './non-dominated-sort.js';
export { paretoFront } from './pareto.js';
