/**
 * The contract every pruner keeps, run for each one by conformance.test.ts:
 * - it never prunes before its warm-up, and never a trial that has reported nothing;
 * - its decisions are a function of the stored trials alone (no memory of earlier calls, no
 *   dependence on timestamps, attributes or object identity);
 * - a study resumed with a new pruner instance goes on exactly as an uninterrupted one;
 * - ties are not losses: trials with identical curves never prune one another.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Pruner } from '../../src/pruners/index.js';
import type { StudyView } from '../../src/samplers/base.js';
import type {
  FrozenTrial,
  IntermediateValue,
  StudyDirection,
  TrialState,
} from '../../src/trial/index.js';
import { prefix, seeded, trialAt, trialOf, viewOf, type Curve } from './support.js';

/** How one pruner enters the conformance suite. */
export interface ConformanceSpec {
  /** A fresh pruner, configured as under test. */
  make: () => Pruner;
  /** The study's directions; every objective is minimized in the suite. Default one. */
  nObjectives?: number;
  /** The pruner must not prune a trial whose latest step is below this. */
  warmupSteps: number;
}

const N_STEPS = 20;
const N_COMPLETED = 30;

/** Runs the conformance suite for one pruner. */
export function prunerConformance(name: string, spec: ConformanceSpec): void {
  const nObjectives = spec.nObjectives ?? 1;
  const directions: StudyDirection[] = Array(nObjectives).fill('minimize');
  const point = (v: number): IntermediateValue =>
    nObjectives === 1 ? v : Array.from({ length: nObjectives }, (_, k) => v + 0.01 * k);

  describe(`${name} (pruner conformance)`, () => {
    it('never prunes before warm-up, nor a trial without reports, and does prune after', () => {
      const view = viewOf(completedTrials(1, point), directions);
      const bad = trialOf(N_COMPLETED, 'RUNNING', diverging(point));
      const pruner = spec.make();
      assert.equal(pruner.prune(view, trialOf(N_COMPLETED, 'RUNNING', [])), false);
      const decisions = decide(pruner, view, bad);
      assert.deepEqual(decisions.slice(0, spec.warmupSteps), Array(spec.warmupSteps).fill(false));
      assert.ok(decisions.includes(true), `a diverging trial is never pruned: ${decisions}`);
    });

    it('decides from stored values only: no memory of earlier calls or of other studies', () => {
      const view = viewOf(completedTrials(1, point), directions);
      const used = spec.make();
      decideAll(used, viewOf(completedTrials(2, point), directions, 'another-study'), point);
      const first = decideAll(used, view, point);
      assert.deepEqual(first, decideAll(spec.make(), view, point));
      assert.deepEqual(first, decideAll(used, view, point));
      const copies = viewOf(completedTrials(1, point).map(restamped), directions);
      assert.deepEqual(first, decideAll(spec.make(), copies, point));
    });

    it('goes on after a resume with a new instance exactly as without the resume', () => {
      const straight = simulate([spec.make()], directions, point);
      const resumed = simulate([spec.make(), spec.make()], directions, point);
      assert.deepEqual(resumed, straight);
      assert.ok(straight.includes('PRUNED@'), `nothing was pruned: ${straight}`);
    });

    it('treats ties as no loss: identical curves never prune one another', () => {
      const curve = Array.from({ length: N_STEPS }, (_, s) => point(1 / (s + 1)));
      const trials = Array.from({ length: N_COMPLETED }, (_, n) => trialOf(n, 'COMPLETE', curve));
      const view = viewOf(trials, directions);
      const candidate = trialOf(N_COMPLETED, 'RUNNING', curve);
      const pruner = spec.make();
      assert.deepEqual(decide(pruner, view, candidate), Array(N_STEPS).fill(false));
    });
  });
}

/** Decisions after each report of `trial`, against a fixed view. */
function decide(pruner: Pruner, view: StudyView, trial: FrozenTrial): boolean[] {
  return Array.from({ length: trial.intermediateValues.size }, (_, n) =>
    pruner.prune(view, prefix(trial, n + 1)),
  );
}

/** Decisions for a bad, a middling and a good candidate curve. */
function decideAll(pruner: Pruner, view: StudyView, point: (v: number) => IntermediateValue) {
  const curves = [diverging(point), smooth(point, 0.4, 1), smooth(point, 0.05, 0.5)];
  return curves.map((curve) => decide(pruner, view, trialOf(N_COMPLETED, 'RUNNING', curve)));
}

/** N_COMPLETED finished trials with converging curves, drawn from `seed`. */
function completedTrials(seed: number, point: (v: number) => IntermediateValue): FrozenTrial[] {
  const random = seeded(seed);
  return Array.from({ length: N_COMPLETED }, (_, n) =>
    trialOf(n, 'COMPLETE', smooth(point, 0.1 + 0.4 * random(), 0.5 + random())),
  );
}

function smooth(point: (v: number) => IntermediateValue, floor: number, scale: number): Curve {
  return Array.from({ length: N_STEPS }, (_, s) => point(floor + scale / (s + 1)));
}

function diverging(point: (v: number) => IntermediateValue): Curve {
  return Array.from({ length: N_STEPS }, (_, s) => point(10 + s));
}

/** The same stored values under a new object, new timestamps and attributes. */
function restamped(trial: FrozenTrial): FrozenTrial {
  const copy = trialAt(trial.number, trial.state, [...trial.intermediateValues]);
  return { ...copy, userAttrs: { note: 'copied' }, datetimeStart: new Date(0) };
}

/**
 * A sequential study of 40 trials, a quarter of them diverging, judged at every report.
 * The store is kept as JSON, as a database would; each pruner in `pruners` takes over an
 * equal share of the trials, the way a resumed study gets a new instance. Returns each
 * trial's outcome, e.g. `COMPLETE` or `PRUNED@3`.
 */
function simulate(
  pruners: readonly Pruner[],
  directions: readonly StudyDirection[],
  point: (v: number) => IntermediateValue,
): string {
  const random = seeded(7);
  let stored = '[]';
  const outcomes: string[] = [];
  const nTrials = 40;
  for (let n = 0; n < nTrials; n++) {
    const pruner = pruners[Math.floor((n * pruners.length) / nTrials)]!;
    const curve =
      random() < 0.25 ? diverging(point) : smooth(point, 0.1 + 0.4 * random(), 0.5 + random());
    const loaded = load(stored);
    const view = viewOf([...loaded, trialOf(n, 'RUNNING', [])], directions);
    let state: TrialState = 'COMPLETE';
    let reported = curve.length;
    for (let step = 0; step < curve.length; step++) {
      if (pruner.prune(view, trialOf(n, 'RUNNING', curve.slice(0, step + 1)))) {
        state = 'PRUNED';
        reported = step + 1;
        break;
      }
    }
    outcomes.push(state === 'PRUNED' ? `PRUNED@${reported - 1}` : state);
    stored = save([...loaded, trialOf(n, state, curve.slice(0, reported))]);
  }
  return outcomes.join(' ');
}

function save(trials: readonly FrozenTrial[]): string {
  return JSON.stringify(
    trials.map((t) => ({ number: t.number, state: t.state, values: [...t.intermediateValues] })),
  );
}

function load(text: string): FrozenTrial[] {
  const rows = JSON.parse(text) as {
    number: number;
    state: TrialState;
    values: [number, IntermediateValue][];
  }[];
  return rows.map((row) => trialAt(row.number, row.state, row.values));
}
