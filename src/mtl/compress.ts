/**
 * Model compression on plain typed arrays: magnitude pruning with a gradual schedule,
 * symmetric per-channel quantization, and an honest count of the bytes a model takes.
 * Pure and deterministic: inputs are never mutated; NaN weights count as the largest.
 */

/** Bit widths a model's kernels may be stored at; 32 means unquantized float32. */
export type BitWidth = 32 | 16 | 8;

/**
 * A mask that zeroes the `floor(sparsity · n)` weights of smallest magnitude (ties broken by
 * index, the lower index pruned first). 1 keeps a weight, 0 prunes it. O(n log n).
 */
export function magnitudeMask(weights: Float32Array, sparsity: number): Uint8Array {
  const n = weights.length;
  const nPruned = Math.min(n, Math.floor(Math.max(0, sparsity) * n));
  const mask = new Uint8Array(n).fill(1);
  if (nPruned === 0) return mask;
  const magnitude = (i: number): number => {
    const value = Math.abs(weights[i]!);
    return Number.isNaN(value) ? Number.POSITIVE_INFINITY : value;
  };
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => magnitude(a) - magnitude(b) || a - b);
  for (let k = 0; k < nPruned; k++) mask[order[k]!] = 0;
  return mask;
}

/**
 * The sparsity to hold at `progress` ∈ [0, 1] of the pruning phase: the cubic schedule of
 * Zhu & Gupta ("To prune, or not to prune", 2017, eq. 1), s = s_f · (1 − (1 − progress)³),
 * which prunes fast while many redundant weights remain and slowly near the target.
 */
export function gradualSparsity(target: number, progress: number): number {
  const clamped = Math.min(1, Math.max(0, progress));
  return target * (1 - (1 - clamped) ** 3);
}

/** Quantized weights: the values after a round trip through `bits`, and one scale per column. */
export interface Quantized {
  readonly values: Float32Array;
  readonly scales: Float32Array;
}

/**
 * Symmetric per-channel quantization of a row-major `[rows, cols]` kernel: column j is stored
 * as integers q in [−(2^(b−1) − 1), 2^(b−1) − 1] with scale max|w_j| / (2^(b−1) − 1), and
 * returned dequantized (q · scale), so zeros stay zeros and pruned weights stay pruned.
 * 32 bits returns a copy with unit scales. O(rows · cols).
 */
export function quantizeSymmetric(
  weights: Float32Array,
  rows: number,
  cols: number,
  bits: BitWidth,
): Quantized {
  const values = Float32Array.from(weights);
  const scales = new Float32Array(cols).fill(1);
  if (bits === 32) return { values, scales };
  const levels = 2 ** (bits - 1) - 1;
  for (let j = 0; j < cols; j++) {
    let peak = 0;
    for (let i = 0; i < rows; i++) peak = Math.max(peak, Math.abs(weights[i * cols + j]!));
    const scale = peak > 0 ? peak / levels : 1;
    scales[j] = scale;
    for (let i = 0; i < rows; i++) {
      const q = Math.max(-levels, Math.min(levels, Math.round(weights[i * cols + j]! / scale)));
      values[i * cols + j] = q * scale;
    }
  }
  return { values, scales };
}

/** One stored tensor of a model, as {@link modelBytes} counts it. */
export interface StoredTensor {
  /** Kernels are pruned and quantized; biases stay float32. */
  readonly role: 'kernel' | 'bias';
  readonly values: Float32Array;
  /** Output channels (the kernel's columns; for a bias, its length). */
  readonly channels: number;
}

/**
 * Bytes needed to store a model: each kernel at `bits` per kept weight plus its sparsity
 * index — a bitmap of one bit per entry, used only when it makes the kernel smaller than
 * storing it dense — plus one float32 scale per output channel when quantized; biases at
 * float32. Each tensor is rounded up to whole bytes.
 */
export function modelBytes(tensors: readonly StoredTensor[], bits: BitWidth): number {
  let total = 0;
  for (const tensor of tensors) {
    if (tensor.role === 'bias') {
      total += tensor.values.length * 4;
      continue;
    }
    const n = tensor.values.length;
    let nonZero = 0;
    for (let i = 0; i < n; i++) if (tensor.values[i] !== 0) nonZero++;
    const payloadBits = Math.min(n * bits, nonZero * bits + n);
    total += Math.ceil(payloadBits / 8) + (bits < 32 ? tensor.channels * 4 : 0);
  }
  return total;
}
