/**
 * Benchmark problems of the TPE bench, mirrored in problems.py for the Optuna side: the same
 * search spaces (parameter names, bounds, log and step) and the same formulas.
 */
import type { Trial } from '../../src/index.js';

/** A single-objective problem (minimize); regret is best value − optimum. */
export interface SingleProblem {
  readonly name: string;
  readonly optimum: number;
  readonly objective: (trial: Trial) => number;
}

/** A multi-objective problem (all minimized) scored by hypervolume against `reference`. */
export interface MultiProblem {
  readonly name: string;
  readonly nObjectives: number;
  readonly reference: readonly number[];
  readonly objective: (trial: Trial) => number[];
}

function floats(trial: Trial, n: number, low: number, high: number): number[] {
  return Array.from({ length: n }, (_, i) => trial.suggestFloat(`x${i}`, low, high));
}

const HARTMANN_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const HARTMANN_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];
const HARTMANN_ALPHA = [1, 1.2, 3, 3.2];
const MIXED_OFFSET: Record<string, number> = { a: 2, b: 0, c: 1, d: 3 };

export const SINGLE_PROBLEMS: readonly SingleProblem[] = [
  {
    name: 'branin',
    optimum: 0.397887357729738,
    objective: (trial) => {
      const x = trial.suggestFloat('x0', -5, 10);
      const y = trial.suggestFloat('x1', 0, 15);
      const b = 5.1 / (4 * Math.PI ** 2);
      return (
        (y - b * x * x + (5 / Math.PI) * x - 6) ** 2 +
        10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) +
        10
      );
    },
  },
  {
    name: 'hartmann6',
    optimum: -3.32236801141551,
    objective: (trial) => {
      const x = floats(trial, 6, 0, 1);
      let total = 0;
      for (let i = 0; i < 4; i++) {
        let inner = 0;
        for (let j = 0; j < 6; j++) inner += HARTMANN_A[i]![j]! * (x[j]! - HARTMANN_P[i]![j]!) ** 2;
        total += HARTMANN_ALPHA[i]! * Math.exp(-inner);
      }
      return -total;
    },
  },
  {
    name: 'rosenbrock5',
    optimum: 0,
    objective: (trial) => {
      const x = floats(trial, 5, -5, 10);
      let total = 0;
      for (let i = 0; i < 4; i++) total += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
      return total;
    },
  },
  {
    name: 'ackley5',
    optimum: 0,
    objective: (trial) => {
      const x = floats(trial, 5, -32.768, 32.768);
      const squares = x.reduce((s, v) => s + v * v, 0) / 5;
      const cosines = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / 5;
      return -20 * Math.exp(-0.2 * Math.sqrt(squares)) - Math.exp(cosines) + 20 + Math.E;
    },
  },
  {
    name: 'styblinski8',
    optimum: -39.16616570377142 * 8,
    objective: (trial) => {
      const x = floats(trial, 8, -5, 5);
      return x.reduce((s, v) => s + (v ** 4 - 16 * v * v + 5 * v) / 2, 0);
    },
  },
  {
    name: 'mixed',
    optimum: 0,
    objective: (trial) => {
      const i = trial.suggestInt('i', -10, 10);
      const j = trial.suggestInt('j', 1, 1000, { log: true });
      const k = trial.suggestInt('k', 0, 100, { step: 5 });
      const c = trial.suggestCategorical('c', ['a', 'b', 'c', 'd']);
      const z = trial.suggestFloat('z', -5, 5);
      return (
        (i - 3) ** 2 + (Math.log10(j) - 2) ** 2 + ((k - 35) / 10) ** 2 + MIXED_OFFSET[c]! + z * z
      );
    },
  },
];

function zdt(trial: Trial, shape: (f1: number, g: number) => number): number[] {
  const x = floats(trial, 10, 0, 1);
  const g = 1 + (9 * x.slice(1).reduce((s, v) => s + v, 0)) / 9;
  return [x[0]!, g * shape(x[0]!, g)];
}

export const MULTI_PROBLEMS: readonly MultiProblem[] = [
  {
    name: 'zdt1',
    nObjectives: 2,
    reference: [11, 11],
    objective: (t) => zdt(t, (f, g) => 1 - Math.sqrt(f / g)),
  },
  {
    name: 'zdt2',
    nObjectives: 2,
    reference: [11, 11],
    objective: (t) => zdt(t, (f, g) => 1 - (f / g) ** 2),
  },
  {
    name: 'zdt3',
    nObjectives: 2,
    reference: [11, 11],
    objective: (t) => zdt(t, (f, g) => 1 - Math.sqrt(f / g) - (f / g) * Math.sin(10 * Math.PI * f)),
  },
  {
    name: 'dtlz2',
    nObjectives: 3,
    reference: [2.5, 2.5, 2.5],
    objective: (trial) => {
      const x = floats(trial, 7, 0, 1);
      const g = x.slice(2).reduce((s, v) => s + (v - 0.5) ** 2, 0);
      const [a, b] = [(x[0]! * Math.PI) / 2, (x[1]! * Math.PI) / 2];
      return [
        (1 + g) * Math.cos(a) * Math.cos(b),
        (1 + g) * Math.cos(a) * Math.sin(b),
        (1 + g) * Math.sin(a),
      ];
    },
  },
];
