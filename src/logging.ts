/**
 * One library logger, injectable by the host. hpo logs the trial lifecycle at INFO, failed
 * trials and fallbacks at WARNING and internal decisions at DEBUG; numeric code never logs.
 *
 * By default lines go to standard error at INFO and above; `HPO_LOG_LEVEL` (debug, info,
 * warn, error, silent) changes the threshold, and {@link setLogger} replaces the sink with
 * any object that has `debug`, `info`, `warn` and `error` methods (pino, winston, console).
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** The shape of a log sink: one method per level, each taking a message and optional data. */
export interface LogSink {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

function parseLevel(text: string | undefined): LogLevel {
  const level = text?.toLowerCase();
  return level !== undefined && level in RANK ? (level as LogLevel) : 'info';
}

const stderrSink: LogSink = {
  debug: (message) => writeLine('D', message),
  info: (message) => writeLine('I', message),
  warn: (message) => writeLine('W', message),
  error: (message) => writeLine('E', message),
};

function writeLine(tag: string, message: string): void {
  const stamp = new Date().toISOString().replace('T', ' ').slice(0, 23);
  process.stderr.write(`[${tag} ${stamp}] ${message}\n`);
}

let sink: LogSink = stderrSink;
let threshold: LogLevel = parseLevel(process.env['HPO_LOG_LEVEL']);

/** Replaces where hpo's log lines go. Pass `undefined` to restore standard error. */
export function setLogger(next: LogSink | undefined): void {
  sink = next ?? stderrSink;
}

/** Sets the lowest level that is passed to the sink; `'silent'` drops everything. */
export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/** The level now in force. */
export function getLogLevel(): LogLevel {
  return threshold;
}

/** A module's logger: prefixes its messages with the module name and honours the level. */
export class Logger {
  constructor(readonly module: string) {}

  debug(message: string, data?: Record<string, unknown>): void {
    if (RANK[threshold] <= RANK.debug) sink.debug(`${this.module}: ${message}`, data);
  }

  info(message: string, data?: Record<string, unknown>): void {
    if (RANK[threshold] <= RANK.info) sink.info(`${this.module}: ${message}`, data);
  }

  warn(message: string, data?: Record<string, unknown>): void {
    if (RANK[threshold] <= RANK.warn) sink.warn(`${this.module}: ${message}`, data);
  }

  error(message: string, data?: Record<string, unknown>): void {
    if (RANK[threshold] <= RANK.error) sink.error(`${this.module}: ${message}`, data);
  }

  /** Whether a message at this level would reach the sink (to skip building costly ones). */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean {
    return RANK[threshold] <= RANK[level];
  }
}

/** The logger of one hpo module, e.g. `getLogger('study')`. */
export function getLogger(module: string): Logger {
  return new Logger(`hpo.${module}`);
}
