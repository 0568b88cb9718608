import type { Distribution, InternalValue } from '../distributions/index.js';
import type { Random } from '../random.js';

/**
 * A uniform draw from a distribution, in its internal form: uniform in value (or in log value
 * when `log`), uniform over the step grid, over the choices, and over the simplex
 * (a flat Dirichlet, drawn as normalized exponentials).
 */
export function sampleUniform(distribution: Distribution, random: Random): InternalValue {
  switch (distribution.kind) {
    case 'float': {
      const { low, high, log, step } = distribution;
      // exp(log(x)) can land an ulp outside [low, high], hence the clamp.
      if (log) return clamp(Math.exp(random.uniformIn(Math.log(low), Math.log(high))), low, high);
      if (step === undefined) return random.uniformIn(low, high);
      return distribution.toExternal(low + step * random.integer(gridSize(low, high, step)));
    }
    case 'int': {
      const { low, high, log, step } = distribution;
      if (!log) return low + step * random.integer(gridSize(low, high, step));
      const logValue = random.uniformIn(Math.log(low - 0.5), Math.log(high + 0.5));
      return distribution.toExternal(Math.exp(logValue));
    }
    case 'categorical':
      return random.integer(distribution.choices.length);
    case 'simplex': {
      const k = distribution.labels.length;
      const draws = new Float64Array(k);
      for (let i = 0; i < k; i++) draws[i] = random.exponential();
      const coords = new Float64Array(k - 1);
      const bound = distribution.high;
      const last = Math.log(draws[k - 1]!);
      for (let i = 0; i < k - 1; i++) {
        coords[i] = Math.max(-bound, Math.min(bound, Math.log(draws[i]!) - last));
      }
      return coords;
    }
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function gridSize(low: number, high: number, step: number): number {
  return Math.round((high - low) / step) + 1;
}
