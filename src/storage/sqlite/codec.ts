/**
 * How hpo's values map onto the columns of Optuna's layout: datetimes, non-finite floats,
 * directions, and the JSON that Python's `json` module writes and reads.
 */
import type { JsonValue } from '../../distributions/index.js';
import type { StudyDirection } from '../../trial/index.js';

/** `value_type` / `intermediate_value_type`: the float column holds NULL unless FINITE. */
export type FloatType = 'FINITE' | 'INF_POS' | 'INF_NEG' | 'NAN';

/** The (column value, type) pair Optuna stores for a float. NaN only for intermediates. */
export function encodeFloat(value: number): [number | null, FloatType] {
  if (Number.isFinite(value)) return [value, 'FINITE'];
  if (Number.isNaN(value)) return [null, 'NAN'];
  return [null, value > 0 ? 'INF_POS' : 'INF_NEG'];
}

/** The float a (column value, type) pair stands for. */
export function decodeFloat(value: number | null, type: string): number {
  switch (type) {
    case 'INF_POS':
      return Infinity;
    case 'INF_NEG':
      return -Infinity;
    case 'NAN':
      return NaN;
    default:
      return value ?? NaN;
  }
}

/** Optuna's enum names for directions, as stored in `study_directions.direction`. */
export function encodeDirection(direction: StudyDirection): 'MINIMIZE' | 'MAXIMIZE' {
  return direction === 'maximize' ? 'MAXIMIZE' : 'MINIMIZE';
}

/** A stored direction; Optuna's NOT_SET reads as minimize, as Optuna itself optimizes it. */
export function decodeDirection(stored: string): StudyDirection {
  return stored === 'MAXIMIZE' ? 'maximize' : 'minimize';
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * A datetime as Python's `datetime.now()` is stored by SQLAlchemy: naive local time,
 * 'YYYY-MM-DD HH:MM:SS.ffffff'. JavaScript dates hold milliseconds, so the last three digits
 * are zeros and the text reads back to the same Date.
 */
export function formatDatetime(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.` +
    `${pad(date.getMilliseconds(), 3)}000`
  );
}

const DATETIME = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?/;

/** Reads a stored naive local datetime; undefined for NULL or text in another form. */
export function parseDatetime(text: string | null): Date | undefined {
  if (text === null) return undefined;
  const match = DATETIME.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '0'] = match;
  const ms = Math.floor(Number(fraction.padEnd(6, '0')) / 1000);
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
}

/** Marks a non-finite number inside JSON text while it passes through JSON.stringify. */
const MARK = '\u0000hpo-nonfinite:';
const MARKED = /"\u0000hpo-nonfinite:(NaN|Infinity|-Infinity)"/g;
/** A bare NaN/Infinity token outside strings, as Python's json.dumps writes them. */
const PYTHON_TOKENS = /"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g;

/**
 * JSON text of an attribute value as Python's `json.dumps` would write it: NaN and ±Infinity
 * become the bare tokens `NaN`, `Infinity`, `-Infinity` that Python reads back, where
 * `JSON.stringify` would silently write `null`.
 */
export function toJsonText(value: unknown): string {
  let marked = false;
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item !== 'number' || Number.isFinite(item)) return item;
    marked = true;
    return MARK + String(item);
  });
  if (text === undefined) return 'null';
  return marked ? text.replace(MARKED, '$1') : text;
}

/** Reads JSON text written by hpo or by Python (which may hold bare NaN and Infinity). */
export function fromJsonText(text: string | null): JsonValue {
  if (text === null) return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    const marked = text.replace(PYTHON_TOKENS, (token) =>
      token.startsWith('"') ? token : JSON.stringify(MARK + token),
    );
    if (marked === text) throw error;
    return JSON.parse(marked, (_key, item: unknown) =>
      typeof item === 'string' && item.startsWith(MARK) ? Number(item.slice(MARK.length)) : item,
    ) as JsonValue;
  }
}

/**
 * Entries of a vector intermediate value in the system attribute that holds it: numbers, with
 * NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity" so that any JSON reader
 * (not only Python's) can read the attribute.
 */
export function encodeVector(values: readonly number[]): (number | string)[] {
  return values.map((value) => (Number.isFinite(value) ? value : String(value)));
}

/** The numbers of a stored vector intermediate value; undefined when it is not one. */
export function decodeVector(stored: JsonValue): readonly number[] | undefined {
  if (!Array.isArray(stored)) return undefined;
  const values = stored.map((entry) => (typeof entry === 'string' ? Number(entry) : entry));
  return values.every((v) => typeof v === 'number') ? Object.freeze(values as number[]) : undefined;
}
