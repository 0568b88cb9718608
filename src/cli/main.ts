#!/usr/bin/env node
/**
 * The `hpo` command: `run`, `report`, `studies` and `best`. It parses arguments and study
 * files, then calls the public API as a user would. Exit codes: 0 done, 1 failed (trials
 * above the threshold, or an error), 2 bad usage or a bad study file, 130 interrupted.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

import { HpoError, setLogLevel, type LogLevel } from '../index.js';
import { EXIT, UsageError } from './errors.js';
import type { CliStreams } from './run.js';

const VERSION = '0.1.0';

function positiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`expected an integer >= 1, but got "${text}".`);
  }
  return value;
}

function positiveNumber(text: string): number {
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0)) {
    throw new InvalidArgumentError(`expected a number of seconds > 0, but got "${text}".`);
  }
  return value;
}

/**
 * The command modules load on demand: `--help` and the read-only commands then start without
 * Vega, and the report's charting libraries load only when a report is written.
 */
function commands(): Promise<typeof import('./commands.js')> {
  return import('./commands.js');
}

/** Builds the command-line program; `setCode` receives each command's exit code. */
export function buildProgram(io: CliStreams, setCode: (code: number) => void): Command {
  const program = new Command('hpo')
    .description('Hyperparameter optimization studies: run them, resume them, report on them.')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });

  program
    .command('run')
    .description('Run a study file; resumes a stored study and runs only what is missing.')
    .argument('<study-file>', 'the study file (JSON)')
    .option('--trials <n>', 'trial budget (COMPLETE + PRUNED), overriding the file', positiveInt)
    .option('--workers <n>', 'worker processes, overriding the file', positiveInt)
    .option('--storage <url>', "store URL, e.g. 'sqlite:studies/x.db', overriding the file")
    .option('--timeout <s>', 'seconds after which no new trial starts', positiveNumber)
    .addOption(new Option('--worker', 'started by another hpo run as an extra worker').hideHelp())
    .addHelpText('after', '\nEnds by printing the path of the HTML report it wrote.')
    .action(async (path: string, flags) => {
      const [{ runCommand }, { readStudyFile }] = await Promise.all([
        import('./run.js'),
        import('./study-file.js'),
      ]);
      setCode(await runCommand(readStudyFile(path), flags, io));
    });

  program
    .command('report')
    .description('Write a study report: Pareto front, progress, importance, front table.')
    .argument('<study-name>', 'the study to report on')
    .option('--storage <url>', 'store URL (default: sqlite:studies/STUDY_NAME.db)')
    .option('--out <dir>', 'output folder (default: reports/STUDY_NAME)')
    .addOption(
      new Option('--format <format>', 'what to write')
        .choices(['html', 'md', 'json', 'csv'])
        .default('html'),
    )
    .action(async (name: string, flags) => {
      setCode(await (await commands()).reportCommand(name, flags, io));
    });

  program
    .command('studies')
    .description('List the studies of a store (default: every studies/*.db).')
    .option('--storage <url>', 'store URL')
    .action(async (flags) => setCode(await (await commands()).studiesCommand(flags, io)));

  program
    .command('best')
    .description('Print the best trial (one objective) or the Pareto front (several).')
    .argument('<study-name>', 'the study')
    .option('--storage <url>', 'store URL (default: sqlite:studies/STUDY_NAME.db)')
    .action(async (name: string, flags) => {
      setCode(await (await commands()).bestCommand(name, flags, io));
    });

  program
    .command('schema')
    .description('Print the JSON Schema of study files (for editors and "$schema").')
    .action(async () => {
      const { studyFileJsonSchema } = await import('./study-file.js');
      io.stdout.write(`${JSON.stringify(studyFileJsonSchema(), null, 2)}\n`);
    });

  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  }
  return program;
}

/** Runs the CLI on `argv` (without node and the script) and resolves with the exit code. */
export async function main(argv: readonly string[], io: CliStreams): Promise<number> {
  if (process.env['HPO_LOG_LEVEL'] === undefined) setLogLevel('warn' satisfies LogLevel);
  let code: number = EXIT.ok;
  const program = buildProgram(io, (next) => (code = next));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    return reportError(error, io);
  }
}

function reportError(error: unknown, io: CliStreams): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof UsageError) {
    io.stderr.write(`hpo: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof HpoError) {
    io.stderr.write(`hpo: ${error.message}\n`);
    return EXIT.failed;
  }
  io.stderr.write(
    `hpo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.failed;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
  });
  process.exitCode = code;
}
