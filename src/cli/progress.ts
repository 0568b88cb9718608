/**
 * The progress line of `hpo run`: trials done of the budget, running, pruned, failed, the best
 * value or the Pareto front's size, elapsed time and rate. On a terminal it is one line
 * rewritten in place; otherwise a plain line is printed whenever the counts change.
 */
import type { FrozenTrial, StudyDirection } from '../index.js';
import { paretoFront } from '../index.js';

/** Counts shown on the progress line. */
export interface ProgressCounts {
  done: number;
  running: number;
  pruned: number;
  failed: number;
  best: string;
}

/** Summarizes a study's trials for the progress line. */
export function countTrials(
  trials: readonly FrozenTrial[],
  directions: readonly StudyDirection[],
): ProgressCounts {
  const complete = trials.filter((trial) => trial.state === 'COMPLETE' && trial.values);
  const pruned = trials.filter((trial) => trial.state === 'PRUNED').length;
  let best = '-';
  if (complete.length > 0 && directions.length === 1) {
    const sign = directions[0] === 'minimize' ? 1 : -1;
    const top = Math.min(...complete.map((trial) => sign * trial.values![0]!)) * sign;
    best = `best ${top.toPrecision(5)}`;
  } else if (complete.length > 0) {
    best = `Pareto ${
      paretoFront(
        complete.map((t) => t.values!),
        directions,
      ).length
    }`;
  }
  return {
    done: complete.length + pruned,
    running: trials.filter((trial) => trial.state === 'RUNNING').length,
    pruned,
    failed: trials.filter((trial) => trial.state === 'FAIL').length,
    best,
  };
}

/** Writes the progress line to a stream (standard error in the CLI). */
export class ProgressLine {
  private readonly started = Date.now();
  private last = '';
  private shown = false;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly budget: number,
  ) {}

  /** Shows new counts; on a terminal rewrites the line, elsewhere prints only changes. */
  update(counts: ProgressCounts): void {
    const { text, key } = this.format(counts);
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.shown = true;
    } else if (key !== this.last) {
      this.stream.write(`${text}\n`);
    }
    this.last = key;
  }

  /** Clears the terminal line so that another message can be printed cleanly. */
  clear(): void {
    if (this.stream.isTTY && this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }

  /** Ends the line (terminal) so that later output starts on a fresh one. */
  end(): void {
    if (this.stream.isTTY && this.shown) this.stream.write('\n');
    this.shown = false;
  }

  private format(counts: ProgressCounts): { text: string; key: string } {
    const seconds = (Date.now() - this.started) / 1000;
    const perMinute = seconds > 0 ? (counts.done * 60) / seconds : 0;
    const key =
      `trials ${counts.done}/${this.budget} | running ${counts.running} | ` +
      `pruned ${counts.pruned} | failed ${counts.failed} | ${counts.best}`;
    return { text: `${key} | ${clock(seconds)} | ${perMinute.toFixed(1)} trials/min`, key };
  }
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}
