"""Optuna 4.1 TPE cost per proposal on the 10-parameter space, around given trial counts.

Usage: optuna_cost.py MODE CHECKPOINTS WINDOW  (MODE: univariate | multivariate | mo)
Prints one JSON line: {"mode": ..., "ms": {checkpoint: {"mean": ms, "median": ms}}}, per
proposal.
The history up to each checkpoint is filled by RandomSampler (TPE's proposals depend only on
the history, so its cost at n trials does not depend on who proposed them); then TPESampler
proposes one untimed trial and WINDOW timed ones; the mean and median time of ask + suggests
are reported.
"""
import json
import statistics
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


def run_trial(study, n_objectives, timed):
    start = time.perf_counter()
    trial = study.ask()
    xs, ns, cs = space(trial)
    elapsed = time.perf_counter() - start
    values = [value(xs, ns, cs, k) for k in range(n_objectives)]
    study.tell(trial, values if n_objectives > 1 else values[0])
    return elapsed if timed else 0.0


def main():
    mode, window = sys.argv[1], int(sys.argv[3])
    checkpoints = [int(c) for c in sys.argv[2].split(",")]
    tpe = optuna.samplers.TPESampler(seed=0, multivariate=mode == "multivariate")
    n_objectives = 2 if mode == "mo" else 1
    study = optuna.create_study(directions=["minimize"] * n_objectives,
                                sampler=optuna.samplers.RandomSampler(seed=0))
    result = {}
    n_trials = 0
    for checkpoint in sorted(checkpoints):
        study.sampler = optuna.samplers.RandomSampler(seed=checkpoint)
        # study.trials deep-copies every trial, so count instead of asking for its length.
        for _ in range(checkpoint - n_trials):
            run_trial(study, n_objectives, False)
        n_trials = max(n_trials, checkpoint) + window + 1
        study.sampler = tpe
        run_trial(study, n_objectives, False)  # untimed, as on the hpo side
        times = sorted(run_trial(study, n_objectives, True) * 1000 for _ in range(window))
        result[checkpoint] = {"mean": sum(times) / window, "median": statistics.median(times)}
    print(json.dumps({"mode": mode, "ms": result}))


if __name__ == "__main__":
    main()
