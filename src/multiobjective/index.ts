export { paretoFront } from './pareto.js';
