/**
 * Standard normal functions in log space, for truncated normal kernels: the complementary
 * error function, log Φ, the log mass of an interval, and inverse sampling of a truncated
 * standard normal. Pure and allocation-free; NaN in gives NaN out.
 *
 * erfc follows the piecewise rational approximations of Sun's fdlibm `s_erf.c` (coefficients
 * from there); it keeps full relative precision in the tail, which log Φ needs far from the
 * mean.
 */

const ERX = 8.45062911510467529297e-1;

/** erf near 0: numerator. */
function pp(z: number): number {
  return (
    (((-2.37630166566501626084e-5 * z + -5.77027029648944159157e-3) * z +
      -2.84817495755985104766e-2) *
      z +
      -3.2504210724700149937e-1) *
      z +
    1.28379167095512558561e-1
  );
}

/** erf near 0: denominator. */
function qq(z: number): number {
  return (
    ((((-3.9602282787753681232e-6 * z + 1.32494738004321644526e-4) * z +
      5.08130628187576562776e-3) *
      z +
      6.50222499887672944485e-2) *
      z +
      3.97917223959155352819e-1) *
      z +
    1
  );
}

/** erfc on [0.84375, 1.25): numerator. */
function pa(s: number): number {
  return (
    (((((-2.166375594868790843e-3 * s + 3.54783043256182359371e-2) * s +
      -1.10894694282396677476e-1) *
      s +
      3.18346619901161753674e-1) *
      s +
      -3.72207876035701323847e-1) *
      s +
      4.14856118683748331666e-1) *
      s +
    -2.36211856075265944077e-3
  );
}

/** erfc on [0.84375, 1.25): denominator. */
function qa(s: number): number {
  return (
    (((((1.1984499846799107417e-2 * s + 1.36370839120290507362e-2) * s +
      1.26171219808761642112e-1) *
      s +
      7.18286544141962662868e-2) *
      s +
      5.40397917702171048937e-1) *
      s +
      1.06420880400844228286e-1) *
      s +
    1
  );
}

/** erfc on [1.25, 1/0.35): numerator. */
function ra(s: number): number {
  return (
    ((((((-9.81432934416914548592 * s + -8.12874355063065934246e1) * s +
      -1.84605092906711035994e2) *
      s +
      -1.62396669462573470355e2) *
      s +
      -6.23753324503260060396e1) *
      s +
      -1.05586262253232909814e1) *
      s +
      -6.93858572707181764372e-1) *
      s +
    -9.86494403484714822705e-3
  );
}

/** erfc on [1.25, 1/0.35): denominator. */
function sa(s: number): number {
  return (
    (((((((-6.04244152148580987438e-2 * s + 6.57024977031928170135) * s +
      1.08635005541779435134e2) *
      s +
      4.29008140027567833386e2) *
      s +
      6.45387271733267880336e2) *
      s +
      4.34565877475229228821e2) *
      s +
      1.376577541435190426e2) *
      s +
      1.96512716674392571292e1) *
      s +
    1
  );
}

/** erfc beyond 1/0.35: numerator. */
function rb(s: number): number {
  return (
    (((((-4.83519191608651397019e2 * s + -1.02509513161107724954e3) * s +
      -6.37566443368389627722e2) *
      s +
      -1.60636384855821916062e2) *
      s +
      -1.77579549177547519889e1) *
      s +
      -7.99283237680523006574e-1) *
      s +
    -9.86494292470009928597e-3
  );
}

/** erfc beyond 1/0.35: denominator. */
function sb(s: number): number {
  return (
    ((((((-2.24409524465858183362e1 * s + 4.74528541206955367215e2) * s +
      2.55305040643316442583e3) *
      s +
      3.19985821950859553908e3) *
      s +
      1.53672958608443695994e3) *
      s +
      3.25792512996573918826e2) *
      s +
      3.03380607434824582924e1) *
      s +
    1
  );
}

const SQRT1_2 = Math.SQRT1_2;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** erfc(x) for x ≥ 1.25: exp(−x²) times a rational correction, without cancellation. */
function erfcTail(x: number): number {
  if (x >= 28) return 0;
  const s = 1 / (x * x);
  const ratio = x < 1 / 0.35 ? ra(s) / sa(s) : rb(s) / sb(s);
  // fdlibm splits x² to gain the last bits; one exp keeps a relative error near 1e-13 at
  // x = 27, which is far below what the kernels need.
  return Math.exp(-x * x - 0.5625 + ratio) / x;
}

/** The complementary error function, with full relative precision for large x. O(1). */
export function erfc(x: number): number {
  const a = Math.abs(x);
  let tail: number;
  if (a < 0.84375) {
    const z = x * x;
    return 1 - (x + x * (pp(z) / qq(z)));
  }
  if (a < 1.25) {
    tail = 1 - ERX - pa(a - 1) / qa(a - 1);
  } else {
    tail = erfcTail(a);
  }
  return x >= 0 ? tail : 2 - tail;
}

/** Φ(a), the standard normal distribution function. */
export function ndtr(a: number): number {
  return 0.5 * erfc(-a * SQRT1_2);
}

/** log φ(x), the standard normal log density. */
export function logNormalPdf(x: number): number {
  return -0.5 * x * x - LOG_SQRT_2PI;
}

/** log Φ(a), accurate in both tails (an asymptotic series below −20). O(1). */
export function logNdtr(a: number): number {
  if (a > 6) return Math.log1p(-ndtr(-a));
  if (a > -20) return Math.log(ndtr(a));
  // Φ(a) = φ(a)/(−a) · (1 − 1/a² + 3/a⁴ − …) for a → −∞.
  const inverseSquare = 1 / (a * a);
  let term = 1;
  let total = 1;
  for (let i = 1; i < 12; i++) {
    term *= -(2 * i - 1) * inverseSquare;
    total += term;
  }
  return logNormalPdf(a) - Math.log(-a) + Math.log(total);
}

/** log(p − q) from log p and log q, for p ≥ q. */
function logDiff(logP: number, logQ: number): number {
  return logP + Math.log1p(-Math.exp(logQ - logP));
}

/** log(p + q) from log p and log q. */
export function logAddExp(logP: number, logQ: number): number {
  const max = Math.max(logP, logQ);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(Math.exp(logP - max) + Math.exp(logQ - max));
}

/** Below this many σ from the mean, tail masses are taken as differences of erfc values. */
const DIRECT_TAIL = 37;

/**
 * log(Φ(b) − Φ(a)) for a ≤ b: the log mass of a standard normal on [a, b], computed on the
 * side of the mean where it does not cancel. O(1).
 */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logTailMass(-b, -a);
  if (a > 0) return logTailMass(a, b);
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** log(Q(a) − Q(b)) for 0 ≤ a ≤ b, Q the upper tail; from erfc values while they are normal. */
function logTailMass(a: number, b: number): number {
  if (a < DIRECT_TAIL) {
    const qa = erfc(a * SQRT1_2);
    const qb = erfc(b * SQRT1_2);
    if (qa > 0) return Math.log(0.5 * (qa - qb));
  }
  return logDiff(logNdtr(-a), logNdtr(-b));
}

/** Acklam's rational approximation of Φ⁻¹(p) (relative error about 1e-9), given p and 1 − p. */
function ndtriGuess(p: number, q: number): number {
  if (p < 0.02425) {
    const r = Math.sqrt(-2 * Math.log(p));
    return lowerTail(r);
  }
  if (q < 0.02425) return -lowerTail(Math.sqrt(-2 * Math.log(q)));
  const x = p - 0.5;
  const r = x * x;
  const num =
    ((((-3.969683028665376e1 * r + 2.209460984245205e2) * r - 2.759285104469687e2) * r +
      1.38357751867269e2) *
      r -
      3.066479806614716e1) *
      r +
    2.506628277459239;
  const den =
    ((((-5.447609879822406e1 * r + 1.615858368580409e2) * r - 1.556989798598866e2) * r +
      6.680131188771972e1) *
      r -
      1.328068155288572e1) *
      r +
    1;
  return (x * num) / den;
}

function lowerTail(r: number): number {
  const num =
    ((((-7.784894002430293e-3 * r - 3.223964580411365e-1) * r - 2.400758277161838) * r -
      2.549732539343734) *
      r +
      4.374664141464968) *
      r +
    2.938163982698783;
  const den =
    (((7.784695709041462e-3 * r + 3.224671290700398e-1) * r + 2.445134137142996) * r +
      3.754408661907416) *
      r +
    1;
  return num / den;
}

/**
 * Φ⁻¹(exp(y)) for y ≤ 0: the standard normal quantile of a log probability, from Acklam's
 * guess refined by Newton steps on log Φ (concave, so the steps converge fast). O(1).
 */
export function ndtriExp(y: number): number {
  if (Number.isNaN(y) || y > 0) return Number.NaN;
  if (y === 0) return Infinity;
  if (y === -Infinity) return -Infinity;
  let x =
    y < -700 ? -Math.sqrt(-2 * y - Math.log(-2 * y)) : ndtriGuess(Math.exp(y), -Math.expm1(y));
  for (let i = 0; i < 4; i++) {
    const logPhi = logNdtr(x);
    const step = (logPhi - y) / Math.exp(logNormalPdf(x) - logPhi);
    if (!Number.isFinite(step)) break;
    x -= step;
    if (Math.abs(step) < 1e-14 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/** Below this probability a quantile is taken in log space (φ would underflow). */
const SMALLEST_DIRECT = 1e-300;

/**
 * Φ⁻¹(p) for SMALLEST_DIRECT ≤ p ≤ ½: Acklam's guess and one Halley step on Φ (cubic
 * convergence from a relative error of 1e-9 leaves only the rounding of Φ); NaN below the
 * range, where the caller takes the log-space path.
 */
function ndtriBelowHalf(p: number): number {
  if (!(p >= SMALLEST_DIRECT)) return Number.NaN;
  const x = ndtriGuess(p, 1 - p);
  const e = (ndtr(x) - p) * Math.exp(0.5 * x * x + LOG_SQRT_2PI);
  return x - e / (1 + 0.5 * x * e);
}

/**
 * The quantile `u` ∈ [0, 1) of a standard normal truncated to [a, b], by inversion in log
 * space on whichever side of the mean keeps precision. Returns a value in [a, b].
 */
export function truncatedNormalQuantile(u: number, a: number, b: number): number {
  if (!(a < b)) return a;
  if (a <= 0 && b > 0) {
    // The bounds hold the mean: the probability on the nearer side of the mean keeps its
    // precision, so the inversion needs no logs (about twice as fast).
    const below = ndtr(a);
    const above = ndtr(-b);
    const mass = 1 - below - above;
    const p = below + u * mass;
    const x = p <= 0.5 ? ndtriBelowHalf(p) : -ndtriBelowHalf(above + (1 - u) * mass);
    if (!Number.isNaN(x)) return Math.min(b, Math.max(a, x));
  }
  const logMass = logGaussMass(a, b);
  let x: number;
  if (a < 0) {
    x = ndtriExp(logAddExp(logNdtr(a), Math.log(u) + logMass));
  } else {
    x = -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-u) + logMass));
  }
  if (Number.isNaN(x)) return 0.5 * (a + b);
  return Math.min(b, Math.max(a, x));
}

/**
 * Bounds −log(mass within the bounds) of a kernel whose mean is inside them and whose width is
 * at most the range: the bounds then hold an interval of at least one width that contains the
 * mean, of mass at least Φ(1) − ½ (−log 0.3413 = 1.075).
 */
export const MAX_NEG_LOG_MASS = 1.1;

/** Beyond this many σ from the mean, a normal's mass is below 1e-17. */
const FAR = 8.5;

/**
 * log mass of [a, b] for a ≤ 0 < b (a kernel's mean inside the bounds): the mass beyond each
 * end, skipped without an erfc call where that end is far out.
 */
export function logMassWithin(a: number, b: number): number {
  if (!(a <= 0 && b > 0)) return logGaussMass(a, b);
  const left = a < -FAR ? 0 : ndtrBelowZero(a);
  const right = b > FAR ? 0 : ndtrBelowZero(-b);
  return left === 0 && right === 0 ? 0 : Math.log1p(-left - right);
}

/**
 * Φ(b) − Φ(a) for a ≤ 0 < b, the mass of a kernel whose mean is inside the bounds: one minus
 * the mass beyond each end, without an erfc call where that end is far out. Elsewhere
 * exp of {@link logGaussMass}.
 */
export function massWithin(a: number, b: number): number {
  if (!(a <= 0 && b > 0)) return Math.exp(logGaussMass(a, b));
  const left = a < -FAR ? 0 : ndtrBelowZero(a);
  const right = b > FAR ? 0 : ndtrBelowZero(-b);
  return 1 - left - right;
}

/** Φ and φ on a grid of [−FAR, 0] with TAIL_STEPS points a unit, for {@link ndtrBelowZero}. */
const TAIL_STEPS = 64;
/** Per grid point x0 of [−FAR, 0]: x0, Φ(x0), φ(x0) and the Taylor coefficients c2 … c6. */
const TAIL_ROW = 8;
const TAIL = tailTable();

function tailTable(): Float64Array {
  const size = FAR * TAIL_STEPS + 2;
  const table = new Float64Array(size * TAIL_ROW);
  for (let i = 0; i < size; i++) {
    const x0 = -FAR + i / TAIL_STEPS;
    const x2 = x0 * x0;
    // Φ's derivatives are φ times Hermite polynomials: c_k = He_(k−1)(−x0) / k!.
    table.set(
      [
        x0,
        ndtr(x0),
        Math.exp(logNormalPdf(x0)),
        -0.5 * x0,
        (x2 - 1) * (1 / 6),
        x0 * (3 - x2) * (1 / 24),
        (x2 * x2 - 6 * x2 + 3) * (1 / 120),
        x0 * (-x2 * x2 + 10 * x2 - 15) * (1 / 720),
      ],
      i * TAIL_ROW,
    );
  }
  return table;
}

/**
 * Φ(x) for −FAR ≤ x ≤ 0, three times faster than {@link ndtr}: the nearest grid value plus a
 * degree-6 Taylor step (|h| ≤ 1/128) with the coefficients tabled, within 3e-16 of ndtr.
 * Kernel normalizers take two per kernel and coordinate.
 */
function ndtrBelowZero(x: number): number {
  const at = Math.floor((x + FAR) * TAIL_STEPS + 0.5) * TAIL_ROW;
  const h = x - TAIL[at]!;
  const c2 = TAIL[at + 3]!;
  const c3 = TAIL[at + 4]!;
  const c4 = TAIL[at + 5]!;
  const c5 = TAIL[at + 6]!;
  const c6 = TAIL[at + 7]!;
  return (
    TAIL[at + 1]! + TAIL[at + 2]! * h * (1 + h * (c2 + h * (c3 + h * (c4 + h * (c5 + h * c6)))))
  );
}

/** exp on [−EXP_RANGE, 0] by table; the kernel sums' exponents all lie there. */
const EXP_RANGE = 40;
const EXP_STEPS = 64;
const EXP_TABLE = Float64Array.from({ length: EXP_RANGE * EXP_STEPS + 2 }, (_, i) =>
  Math.exp(-i / EXP_STEPS),
);

/**
 * e^y for y ≤ 0, about three times faster than Math.exp where it matters (the sums over
 * kernels): e^(−i/64) from a table times a degree-5 Taylor polynomial of the remainder
 * (|r| ≤ 1/128, evaluated in Estrin's form), within 7e-16 relative of Math.exp. Math.exp
 * outside [−40, 0].
 */
export function expNonPositive(y: number): number {
  if (!(y >= -EXP_RANGE && y <= 0)) return Math.exp(y);
  const i = Math.floor(0.5 - y * EXP_STEPS);
  const r = y + i / EXP_STEPS;
  const r2 = r * r;
  const poly = 1 + r + r2 * (0.5 + r * (1 / 6)) + r2 * r2 * (1 / 24 + r * (1 / 120));
  return EXP_TABLE[i]! * poly;
}
