import { HpoError } from '../errors.js';

/**
 * Bad command-line usage or a bad study file: the CLI prints the message and exits with code
 * 2, without a stack trace, because the fix is in what the user typed.
 */
export class UsageError extends HpoError {}

/** Exit codes of the `hpo` command. */
export const EXIT = Object.freeze({
  /** The command did what was asked. */
  ok: 0,
  /** Trials failed above the study's threshold, or the command itself failed. */
  failed: 1,
  /** Bad usage or a bad study file. */
  usage: 2,
  /** Interrupted by Ctrl-C (128 + SIGINT), as shells report it. */
  interrupted: 130,
});
