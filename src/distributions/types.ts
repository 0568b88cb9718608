/** Shared types of the distributions module. */

/** One choice of a categorical parameter. */
export type CategoricalChoice = string | number | boolean | null;

/** The weights of a simplex parameter, one per label, non-negative and summing to one. */
export type SimplexWeights = Readonly<Record<string, number>>;

/** A parameter value as the objective sees it. */
export type ParamValue = number | CategoricalChoice | SimplexWeights;

/**
 * The numeric form that samplers work in: a number for float, int and categorical parameters
 * (the value itself, or the index of the choice), a vector for a simplex (log-ratio coordinates).
 */
export type InternalValue = number | Float64Array;

/** A plain JSON value, as stored for attributes and distributions. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
