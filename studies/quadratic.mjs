/**
 * A user objective for `hpo run studies/quadratic.json`: a shifted quadratic bowl with one
 * categorical switch. The study file's search space suggests `x`, `y` and `kind` before this
 * runs and passes them in; asking the trial again would return the same values.
 */
export function objective(trial, params) {
  const { x, y, kind } = params;
  const offset = kind === 'shifted' ? 1 : 0;
  return (x - 2) ** 2 + (y + 1) ** 2 + offset;
}
