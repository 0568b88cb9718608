export { runModuleObjective, type ModuleObjective } from './pool.js';
