"""Optuna 4.1 TPE cost per proposal on the 10-parameter space, around given trial counts.

Usage: optuna_cost.py MODE CHECKPOINTS WINDOW SETTLE [HISTORY [GAP]]
  (MODE: univariate | multivariate | mo; HISTORY: random, the default, or tpe; GAP: ms to
  wait before each timed proposal, 0 by default)
Prints one JSON line: {"mode": ..., "ms": {checkpoint: [ms of each timed proposal]}}.
The history up to each checkpoint is filled by RandomSampler (or, with HISTORY tpe, by the
TPESampler itself, as in a real study); then TPESampler proposes SETTLE untimed trials and
WINDOW timed ones, as the hpo side does; the time of ask + suggests is reported.
"""
import json
import sys
import time
import warnings

import optuna

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)


def space(trial):
    xs = [trial.suggest_float(f"x{i}", 1e-3 if i < 2 else -5, 10, log=i < 2) for i in range(6)]
    ns = [trial.suggest_int(f"n{i}", 1, 100) for i in range(2)]
    cs = [trial.suggest_categorical(f"c{i}", ["a", "b", "c", "d"]) for i in range(2)]
    return xs, ns, cs


def value(xs, ns, cs, k):
    v = sum(x * x for x in xs) + sum(ns) + sum(c != "a" for c in cs)
    return v if k == 0 else 1000 / (1 + v) + xs[2]


def run_trial(study, n_objectives, timed, gap=0.0):
    if gap > 0:
        time.sleep(gap)
    start = time.perf_counter()
    trial = study.ask()
    xs, ns, cs = space(trial)
    elapsed = time.perf_counter() - start
    values = [value(xs, ns, cs, k) for k in range(n_objectives)]
    study.tell(trial, values if n_objectives > 1 else values[0])
    return elapsed if timed else 0.0


def main():
    mode, window, settle = sys.argv[1], int(sys.argv[3]), int(sys.argv[4])
    history = sys.argv[5] if len(sys.argv) > 5 else "random"
    gap = float(sys.argv[6]) / 1000 if len(sys.argv) > 6 else 0.0
    checkpoints = [int(c) for c in sys.argv[2].split(",")]
    tpe = optuna.samplers.TPESampler(seed=0, multivariate=mode == "multivariate")
    n_objectives = 2 if mode == "mo" else 1
    study = optuna.create_study(directions=["minimize"] * n_objectives,
                                sampler=optuna.samplers.RandomSampler(seed=0))
    result = {}
    n_trials = 0
    for checkpoint in sorted(checkpoints):
        filler = optuna.samplers.RandomSampler(seed=checkpoint)
        study.sampler = tpe if history == "tpe" else filler
        # study.trials deep-copies every trial, so count instead of asking for its length.
        for _ in range(checkpoint - n_trials):
            run_trial(study, n_objectives, False)
        n_trials = max(n_trials, checkpoint) + settle + window
        study.sampler = tpe
        for _ in range(settle):
            run_trial(study, n_objectives, False)
        result[checkpoint] = [run_trial(study, n_objectives, True, gap) * 1000
                              for _ in range(window)]
    print(json.dumps({"mode": mode, "ms": result}))


if __name__ == "__main__":
    main()
