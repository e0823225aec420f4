"""Bit identity of fits across a refactor: record a grid of fits, compare two records.

Run ``python benchmarks/bit_identity.py record PATH`` on the code before a
change and ``python benchmarks/bit_identity.py compare PATH`` after it: the
second run fits the same grid and says which fits differ, in which fitted
attribute, warning, error text or verbose line.  The grid covers the three
solvers, the four activations, float32 and float64, early stopping,
``n_init`` (with a restart that diverges), warm starts, ``partial_fit``,
sample weights, ``class_weight``, sparse input, multilabel targets and the
regressor's two losses, on tiny data and few epochs.
"""

import contextlib
import io
import pickle
import re
import sys
import warnings

import numpy as np
from scipy import sparse

from skbackprop import BackpropClassifier, BackpropRegressor

ATTRIBUTES = (
    "coefs_",
    "intercepts_",
    "loss_",
    "loss_curve_",
    "best_loss_",
    "validation_scores_",
    "validation_loss_curve_",
    "best_validation_score_",
    "n_iter_",
    "t_",
    "saturated_share_",
    "n_layers_",
    "n_outputs_",
    "out_activation_",
    "classes_",
)


def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 4))
    y = (X[:, 0] + X[:, 1] ** 2 > 0.5).astype(int)
    y3 = np.digitize(X[:, 0] - X[:, 2], [-0.5, 0.5])
    Y_multi = np.column_stack([y, X[:, 3] > 0]).astype(int)
    y_reg = X @ [1.0, -2.0, 0.5, 0.0] + 0.1 * rng.normal(size=60)
    y_counts = rng.poisson(np.exp(0.5 * X[:, 0]))
    sw = rng.uniform(0, 2, size=60)
    return X, y, y3, Y_multi, y_reg, y_counts, sw


def grid():
    """(name, estimator factory, list of calls) per fit; calls are (method, kwargs)."""
    X, y, y3, Y_multi, y_reg, y_counts, sw = data()
    small = dict(hidden_layer_sizes=(5,), max_iter=15, random_state=0)
    cases = []
    for solver in ("sgd", "adam", "lbfgs"):
        for activation in ("logistic", "tanh", "relu", "identity"):
            for dtype in (np.float64, np.float32):
                Xd = X.astype(dtype)
                name = f"clf-{solver}-{activation}-{dtype.__name__}"
                kw = dict(small, solver=solver, activation=activation)
                cases.append((name, BackpropClassifier, kw, [("fit", (Xd, y3), {})]))
        for es in (False, True):
            for n_init in (1, 3):
                name = f"clf-{solver}-es{es}-ninit{n_init}"
                kw = dict(small, solver=solver, early_stopping=es, n_init=n_init)
                kw["validation_fraction"] = 0.2
                cases.append((name, BackpropClassifier, kw, [("fit", (X, y), {})]))
                kw = dict(kw, activation="tanh")
                cases.append(
                    (f"reg-{name}", BackpropRegressor, kw, [("fit", (X, y_reg), {})])
                )
        kw = dict(small, solver=solver, warm_start=True)
        calls = [("fit", (X, y), {}), ("fit", (X, y), {})]
        cases.append((f"clf-{solver}-warm", BackpropClassifier, kw, calls))
        kw = dict(small, solver=solver)
        fit_sw = [("fit", (X, y), {"sample_weight": sw})]
        cases.append((f"clf-{solver}-sw", BackpropClassifier, kw, fit_sw))
        cw = dict(kw, class_weight="balanced")
        fit = [("fit", (X, y), {})]
        cases.append((f"clf-{solver}-cw", BackpropClassifier, cw, fit))
        cases.append((f"clf-{solver}-cw-sw", BackpropClassifier, cw, fit_sw))
        sp = [("fit", (sparse.csr_matrix(X), y3), {})]
        cases.append((f"clf-{solver}-sparse", BackpropClassifier, kw, sp))
        ml = [("fit", (X, Y_multi), {})]
        cases.append((f"clf-{solver}-multilabel", BackpropClassifier, kw, ml))
        for loss, target in (("squared_error", y_reg), ("poisson", y_counts)):
            for es in (False, True):
                kwr = dict(kw, loss=loss, early_stopping=es, validation_fraction=0.2)
                calls = [("fit", (X, target), {})]
                if es:
                    calls.append(("fit", (X, target), {"sample_weight": sw}))
                name = f"reg-{solver}-{loss}-es{es}"
                cases.append((name, BackpropRegressor, kwr, calls))
    for solver in ("sgd", "adam"):
        kw = dict(small, solver=solver)
        calls = [("partial_fit", (X, y3), {"classes": [0, 1, 2]})] + [
            ("partial_fit", (X, y3), {})
        ] * 3
        cases.append((f"clf-{solver}-partial", BackpropClassifier, kw, calls))
        calls = [("partial_fit", (X, y_reg), {})] * 3
        cases.append((f"reg-{solver}-partial", BackpropRegressor, kw, calls))
        calls = [("fit", (X, y), {}), ("partial_fit", (X, y), {})]
        cases.append((f"clf-{solver}-fit-partial", BackpropClassifier, kw, calls))
    # Restarts of which some diverge at once and are left out (sgd, relu):
    # one of three at the first rate, two of three at the second.
    for lr, seed in ((0.31622776601683794, 1), (0.5623413251903491, 0)):
        kw = dict(
            small,
            solver="sgd",
            activation="relu",
            learning_rate_init=lr,
            n_init=3,
            random_state=seed,
            verbose=True,
        )
        name = f"reg-diverging-lr{lr:.2f}"
        cases.append((name, BackpropRegressor, kw, [("fit", (X, y_reg), {})]))
        kw = dict(kw, early_stopping=True, validation_fraction=0.2)
        cases.append((name + "-es", BackpropRegressor, kw, [("fit", (X, y_reg), {})]))
    kw = dict(small, solver="sgd", learning_rate_init=1e4, n_init=3, verbose=True)
    cases.append(("reg-all-diverge", BackpropRegressor, kw, [("fit", (X, y_reg), {})]))
    for solver in ("sgd", "adam", "lbfgs"):
        kw = dict(small, solver=solver, n_init=2, verbose=True, early_stopping=True)
        cases.append(
            (f"clf-{solver}-verbose", BackpropClassifier, kw, [("fit", (X, y), {})])
        )
    return cases


def _plain(value):
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return (value.dtype.str, value.shape, value.tobytes())
    if isinstance(value, (float, np.floating)):
        return ("float", np.float64(value).tobytes())
    return value


def run_case(factory, params, calls):
    """What a case leaves: attributes after each call, warnings, errors, output."""
    est = factory(**params)
    record = []
    for method, args, kwargs in calls:
        out = io.StringIO()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with contextlib.redirect_stdout(out):
                    getattr(est, method)(*args, **kwargs)
                error = None
            except Exception as exc:  # noqa: BLE001 - the text is what is kept
                error = (type(exc).__name__, str(exc))
        # Epoch timings vary from run to run; everything else must not.
        printed = re.sub(r", \d+\.\d+ s$", "", out.getvalue(), flags=re.M)
        record.append(
            {
                "attributes": {
                    a: _plain(getattr(est, a)) for a in ATTRIBUTES if hasattr(est, a)
                },
                "warnings": [(w.category.__name__, str(w.message)) for w in caught],
                "error": error,
                "printed": printed,
            }
        )
    return record


def record_all():
    return {name: run_case(f, p, c) for name, f, p, c in grid()}


def main(argv):
    mode, path = argv[1], argv[2]
    records = record_all()
    if mode == "record":
        with open(path, "wb") as fh:
            pickle.dump(records, fh)
        print(f"{len(records)} fits recorded in {path}")
        return 0
    with open(path, "rb") as fh:
        before = pickle.load(fh)
    differ = 0
    for name in sorted(set(before) | set(records)):
        if before.get(name) != records.get(name):
            differ += 1
            print(f"DIFFERS: {name}")
            old, new = before.get(name) or [], records.get(name) or []
            for i, (a, b) in enumerate(zip(old, new)):
                for key in a:
                    if a[key] != b[key]:
                        print(f"  call {i}: {key}")
    print(f"{len(records)} fits, {differ} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
