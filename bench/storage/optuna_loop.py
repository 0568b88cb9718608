"""Optuna 4.1 side of bench/storage: the same ask/tell loop, printed as JSON on stdout.

Usage: optuna-python optuna_loop.py STORAGE_KIND N_TRIALS N_REPORTS DB_PATH
"""
import json
import sys
import time

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)


def run(kind: str, n_trials: int, n_reports: int, path: str) -> list[float]:
    storage = None if kind == "memory" else f"sqlite:///{path}"
    study = optuna.create_study(storage=storage, sampler=optuna.samplers.RandomSampler(seed=0))
    times = []
    for _ in range(n_trials):
        start = time.perf_counter()
        trial = study.ask()
        value = 0.0
        for i in range(6):
            value += trial.suggest_float(f"f{i}", 1e-5 if i < 2 else 0.0, 1.0, log=i < 2)
        value += trial.suggest_int("i0", 1, 100)
        value += trial.suggest_int("i1", 0, 16, step=2)
        trial.suggest_categorical("c0", ["a", "b", "c", "d"])
        trial.suggest_categorical("c1", [1, 2, 4, 8])
        for step in range(n_reports):
            trial.report(value / (step + 1), step)
        study.tell(trial, value)
        times.append((time.perf_counter() - start) * 1000)
    return times


if __name__ == "__main__":
    kind, n, reports, db = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    print(json.dumps(run(kind, n, reports, db)))
