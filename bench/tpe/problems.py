"""The TPE bench problems for Optuna, mirroring problems.ts (same names, bounds and formulas)."""
import math

HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
              [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
              [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
              [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.665],
              [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]
HARTMANN_ALPHA = [1, 1.2, 3, 3.2]
MIXED_OFFSET = {"a": 2, "b": 0, "c": 1, "d": 3}


def floats(trial, n, low, high):
    return [trial.suggest_float(f"x{i}", low, high) for i in range(n)]


def branin(trial):
    x = trial.suggest_float("x0", -5, 10)
    y = trial.suggest_float("x1", 0, 15)
    b = 5.1 / (4 * math.pi ** 2)
    first = (y - b * x * x + 5 / math.pi * x - 6) ** 2
    return first + 10 * (1 - 1 / (8 * math.pi)) * math.cos(x) + 10


def hartmann6(trial):
    x = floats(trial, 6, 0, 1)
    total = 0.0
    for i in range(4):
        inner = sum(HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j]) ** 2 for j in range(6))
        total += HARTMANN_ALPHA[i] * math.exp(-inner)
    return -total


def rosenbrock5(trial):
    x = floats(trial, 5, -5, 10)
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(4))


def ackley5(trial):
    x = floats(trial, 5, -32.768, 32.768)
    squares = sum(v * v for v in x) / 5
    cosines = sum(math.cos(2 * math.pi * v) for v in x) / 5
    return -20 * math.exp(-0.2 * math.sqrt(squares)) - math.exp(cosines) + 20 + math.e


def styblinski8(trial):
    x = floats(trial, 8, -5, 5)
    return sum((v ** 4 - 16 * v * v + 5 * v) / 2 for v in x)


def mixed(trial):
    i = trial.suggest_int("i", -10, 10)
    j = trial.suggest_int("j", 1, 1000, log=True)
    k = trial.suggest_int("k", 0, 100, step=5)
    c = trial.suggest_categorical("c", ["a", "b", "c", "d"])
    z = trial.suggest_float("z", -5, 5)
    return (i - 3) ** 2 + (math.log10(j) - 2) ** 2 + ((k - 35) / 10) ** 2 + MIXED_OFFSET[c] + z * z


def zdt(trial, shape):
    x = floats(trial, 10, 0, 1)
    g = 1 + 9 * sum(x[1:]) / 9
    return [x[0], g * shape(x[0], g)]


def dtlz2(trial):
    x = floats(trial, 7, 0, 1)
    g = sum((v - 0.5) ** 2 for v in x[2:])
    a, b = x[0] * math.pi / 2, x[1] * math.pi / 2
    r = 1 + g
    return [r * math.cos(a) * math.cos(b), r * math.cos(a) * math.sin(b), r * math.sin(a)]


SINGLE = {
    "branin": (branin, 0.397887357729738),
    "hartmann6": (hartmann6, -3.32236801141551),
    "rosenbrock5": (rosenbrock5, 0.0),
    "ackley5": (ackley5, 0.0),
    "styblinski8": (styblinski8, -39.16616570377142 * 8),
    "mixed": (mixed, 0.0),
}
MULTI = {
    "zdt1": (lambda t: zdt(t, lambda f, g: 1 - math.sqrt(f / g)), [11.0, 11.0]),
    "zdt2": (lambda t: zdt(t, lambda f, g: 1 - (f / g) ** 2), [11.0, 11.0]),
    "zdt3": (
        lambda t: zdt(t, lambda f, g: 1 - math.sqrt(f / g) - f / g * math.sin(10 * math.pi * f)),
        [11.0, 11.0],
    ),
    "dtlz2": (dtlz2, [2.5, 2.5, 2.5]),
}
