"""Optuna 4.1 baseline for bench/pruning: the same simulated curves (problem.ts, ported
below bit for bit), the same trial budget and seeds, Optuna's own pruners and samplers.

Usage: optuna_pruning.py N_TRIALS SEEDS(comma-separated) SAMPLER(tpe|random) [CURVES]
CURVES: crossing (default) or typical, as in problem.ts.
Prints JSON: {"single": {pruner: {"steps", "value", "trueValue"}}, "multi": {...}}, medians
over seeds. Optuna refuses to prune multi-objective studies, so "multi" has "none" only.
"""
import json
import math
import statistics
import sys

import optuna

N_STEPS = 50
MASK = 0xFFFFFFFF


CURVES = sys.argv[4] if len(sys.argv) > 4 else "crossing"


def loss(k, x, y, step):
    if k == 0:
        a = 0.1 + (x - 0.7) ** 2 + 0.5 * (y - 0.3) ** 2
        r = 0.03 + 0.3 * y if CURVES == "crossing" else 0.06 + 0.24 * (1 - abs(y - 0.3))
    else:
        a = 0.1 + (x - 0.2) ** 2 + 0.5 * (y - 0.8) ** 2
        r = 0.03 + 0.3 * (1 - x) if CURVES == "crossing" else 0.06 + 0.24 * (1 - abs(x - 0.2))
    return a + (1 - a) * math.exp(-r * step)


def hash_unit(*values):
    h = 0x9E3779B9
    for v in values:
        h = ((h ^ v) * 0x85EBCA6B) & MASK
        h ^= h >> 13
        h = (h * 0xC2B2AE35) & MASK
        h ^= h >> 16
    return (h + 0.5) / 4294967296


def observed(k, x, y, step, seed, trial):
    u1 = hash_unit(seed, trial, step, 2 * k)
    u2 = hash_unit(seed, trial, step, 2 * k + 1)
    eps = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
    return loss(k, x, y, step) + 0.01 * eps


def pruners():
    return {
        "none": optuna.pruners.NopPruner,
        "median": optuna.pruners.MedianPruner,
        "halving": optuna.pruners.SuccessiveHalvingPruner,
        "hyperband": optuna.pruners.HyperbandPruner,
        "halving-min5": lambda: optuna.pruners.SuccessiveHalvingPruner(
            min_resource=5, reduction_factor=3
        ),
        "hyperband-min5": lambda: optuna.pruners.HyperbandPruner(
            min_resource=5, max_resource=N_STEPS
        ),
    }


def run(n_objectives, seed, pruner, sampler_name, n_trials):
    steps = 0
    sampler = (
        optuna.samplers.TPESampler(seed=seed)
        if sampler_name == "tpe"
        else optuna.samplers.RandomSampler(seed=seed)
    )
    study = optuna.create_study(
        study_name=f"pruning-{seed}",
        directions=["minimize"] * n_objectives,
        sampler=sampler,
        pruner=pruner,
    )

    def objective(trial):
        nonlocal steps
        x = trial.suggest_float("x", 0, 1)
        y = trial.suggest_float("y", 0, 1)
        values = []
        for step in range(N_STEPS):
            values = [observed(k, x, y, step, seed, trial.number) for k in range(n_objectives)]
            steps += 1
            if n_objectives == 1:
                trial.report(values[0], step)
                if trial.should_prune():
                    raise optuna.TrialPruned()
        return values[0] if n_objectives == 1 else values

    study.optimize(objective, n_trials=n_trials)
    complete = study.get_trials(states=(optuna.trial.TrialState.COMPLETE,))
    chosen = min(complete, key=lambda t: t.values[0])
    true_best = loss(0, chosen.params["x"], chosen.params["y"], N_STEPS - 1)
    if n_objectives == 1:
        return steps, chosen.values[0], true_best
    from optuna._hypervolume import compute_hypervolume
    import numpy as np

    points = np.array([t.values for t in complete])
    return steps, float(compute_hypervolume(points, np.array([1.2, 1.2]))), true_best


def main():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    n_trials = int(sys.argv[1])
    seeds = [int(s) for s in sys.argv[2].split(",")]
    sampler_name = sys.argv[3]
    out = {"single": {}, "multi": {}}
    for n_objectives, key, names in ((1, "single", pruners()), (2, "multi", {"none": None})):
        for name in names:
            results = [
                run(n_objectives, seed, pruners()[name](), sampler_name, n_trials) for seed in seeds
            ]
            out[key][name] = {
                "steps": statistics.median(r[0] for r in results),
                "value": statistics.median(r[1] for r in results),
                "trueValue": statistics.median(r[2] for r in results),
            }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
