"""Shared by the Optuna cross tests: a study's trials as JSON that JavaScript can read.

NaN and infinities become the strings "NaN", "Infinity" and "-Infinity".
"""
import json
import math

import optuna


def _float(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def _clean(value):
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return _float(value)


def dump(storage_url, study_name):
    study = optuna.load_study(study_name=study_name, storage=storage_url)
    trials = []
    for t in study.get_trials(deepcopy=False):
        trials.append(
            {
                "number": t.number,
                "state": t.state.name,
                "values": _clean(t.values),
                "params": _clean(t.params),
                "distributions": {k: type(d).__name__ for k, d in t.distributions.items()},
                "intermediate_values": _clean(
                    {str(k): v for k, v in t.intermediate_values.items()}
                ),
                "user_attrs": _clean(t.user_attrs),
                "system_attrs": _clean(t.system_attrs),
                "has_start": t.datetime_start is not None,
            }
        )
    directions = [d.name for d in study.directions]
    return {"directions": directions, "trials": trials}
