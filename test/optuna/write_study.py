"""Writes a study with Optuna 4.1 for hpo to read, then prints it as Optuna sees it (JSON).

Usage: optuna-python write_study.py DB_PATH STUDY_NAME
"""
import json
import sys

import optuna

from optuna_dump import dump

optuna.logging.set_verbosity(optuna.logging.WARNING)
url = f"sqlite:///{sys.argv[1]}"
study = optuna.create_study(
    study_name=sys.argv[2], storage=url, sampler=optuna.samplers.RandomSampler(seed=3)
)


def suggest_all(trial):
    x = trial.suggest_float("x", -3.0, 3.0)
    trial.suggest_float("lr", 1e-5, 1e-1, log=True)
    trial.suggest_float("q", 0.0, 1.0, step=0.25)
    trial.suggest_int("n", 1, 9, step=2)
    trial.suggest_int("m", 1, 1024, log=True)
    trial.suggest_categorical("opt", ["adam", None, True, 2.5])
    return x


for i in range(3):
    trial = study.ask()
    x = suggest_all(trial)
    trial.set_user_attr("note", {"i": i, "tags": ["a", None]})
    for step, value in enumerate([x, float("inf"), float("-inf"), float("nan")]):
        trial.report(value, step)
    study.tell(trial, [x * x, float("inf"), None][i] if i < 2 else None,
               state=optuna.trial.TrialState.PRUNED if i == 2 else None)

failed = study.ask()
suggest_all(failed)
study.tell(failed, state=optuna.trial.TrialState.FAIL)
study.enqueue_trial({"x": 1.5, "opt": None}, user_attrs={"queued": True})

print(json.dumps(dump(url, sys.argv[2])))
