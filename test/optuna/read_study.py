"""Prints, as JSON, every trial of a study that hpo wrote, as Optuna 4.1 reads it.

Usage: optuna-python read_study.py DB_PATH STUDY_NAME
"""
import json
import sys

import optuna

from optuna_dump import dump

optuna.logging.set_verbosity(optuna.logging.WARNING)
print(json.dumps(dump(f"sqlite:///{sys.argv[1]}", sys.argv[2])))
