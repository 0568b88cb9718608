"""Optuna 4.1 side of the TPE quality bench.

Usage: optuna_quality.py TRIALS SEEDS [PROBLEM,...] [first-seed=S] [own-startup]
Runs seeds S..S+SEEDS-1 (S = 0 unless given).
Prints one JSON line per (problem, sampler, seed): final regret (single objective) or the
hypervolume of the final Pareto front (multi-objective).

With "own-startup", single-objective problems also run multivariate TPE whose startup
RandomSampler has a seed of its own. Optuna seeds both the TPE sampler and its startup
sampler with the same seed, so the first TPE proposal draws the very uniforms that placed the
startup trials; the variant shows what that coupling is worth.
"""
import json
import sys
import warnings

import optuna
from optuna._hypervolume import compute_hypervolume
import numpy as np

from problems import MULTI, SINGLE

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)


def single_samplers(seed, own_startup):
    samplers = {
        "optuna-tpe": optuna.samplers.TPESampler(seed=seed),
        "optuna-tpe-mv": optuna.samplers.TPESampler(seed=seed, multivariate=True),
        "optuna-random": optuna.samplers.RandomSampler(seed=seed),
    }
    if own_startup:
        apart = optuna.samplers.TPESampler(seed=seed, multivariate=True)
        # The startup sampler is a private attribute of Optuna 4.1's TPESampler.
        apart._random_sampler = optuna.samplers.RandomSampler(seed=seed + 1_000_003)
        samplers["optuna-tpe-mv-own-startup"] = apart
    return samplers


def multi_samplers(seed):
    return {
        "optuna-motpe": optuna.samplers.TPESampler(seed=seed),
        "optuna-nsga2": optuna.samplers.NSGAIISampler(seed=seed),
        "optuna-random": optuna.samplers.RandomSampler(seed=seed),
    }


def main():
    n_trials, n_seeds = int(sys.argv[1]), int(sys.argv[2])
    wanted = sys.argv[3].split(",") if len(sys.argv) > 3 else list(SINGLE) + list(MULTI)
    flags = sys.argv[4:]
    own_startup = "own-startup" in flags
    first = next((int(f.split("=")[1]) for f in flags if f.startswith("first-seed=")), 0)
    for name in wanted:
        for seed in range(first, first + n_seeds):
            if name in SINGLE:
                objective, optimum = SINGLE[name]
                for label, sampler in single_samplers(seed, own_startup).items():
                    study = optuna.create_study(sampler=sampler)
                    study.optimize(objective, n_trials=n_trials)
                    print(json.dumps({"problem": name, "sampler": label, "seed": seed,
                                      "score": study.best_value - optimum}), flush=True)
            else:
                objective, reference = MULTI[name]
                for label, sampler in multi_samplers(seed).items():
                    directions = ["minimize"] * len(reference)
                    study = optuna.create_study(directions=directions, sampler=sampler)
                    study.optimize(objective, n_trials=n_trials)
                    points = np.array([t.values for t in study.best_trials])
                    inside = points[(points < np.array(reference)).all(axis=1)]
                    hv = 0.0
                    if len(inside):
                        hv = float(compute_hypervolume(inside, np.array(reference)))
                    record = {"problem": name, "sampler": label, "seed": seed, "score": hv}
                    print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
