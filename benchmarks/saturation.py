"""Saturated hidden units: the share on scaled and unscaled data, and its cost.

Run ``python benchmarks/saturation.py``.  Part one fits the estimators with
their defaults on data whose features are standardised and on the same data
with some features left on large scales, and prints ``saturated_share_`` with
the training score, the figures behind ``SATURATION_WARNING_SHARE``.  Part two
times ``hidden_saturation`` (what ``fit`` adds after training) against a
default fit on the digits data; the median of several repeats is reported.
"""

import statistics
import time
import warnings

from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_wine,
    make_classification,
    make_regression,
)
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier, BackpropRegressor
from skbackprop._network import hidden_saturation


def datasets():
    X, y = make_classification(3000, 20, random_state=0)
    unscaled = X.copy()
    unscaled[:, :5] *= 1000
    yield "classification, standardised", BackpropClassifier, X, y
    yield "classification, 5 columns x1000", BackpropClassifier, unscaled, y
    for name, load in [("breast cancer", load_breast_cancer), ("wine", load_wine)]:
        X, y = load(return_X_y=True)
        yield f"{name}, raw", BackpropClassifier, X, y
        yield f"{name}, standardised", BackpropClassifier, _std(X), y
    X, y = load_digits(return_X_y=True)
    yield "digits, raw (0 to 16)", BackpropClassifier, X, y
    yield "digits, standardised", BackpropClassifier, _std(X), y
    X, y = make_regression(1000, 10, noise=5, random_state=0)
    unscaled = X.copy()
    unscaled[:, :3] *= 1000
    yield "regression, standardised, y / std(y)", BackpropRegressor, X, y / y.std()
    yield "regression, standardised, raw y", BackpropRegressor, X, y
    yield "regression, 3 columns x1000", BackpropRegressor, unscaled, y / y.std()


def _std(X):
    return StandardScaler().fit_transform(X)


def shares():
    print(f"{'data':40s} {'activation':10s} {'solver':6s} {'share':>6s} {'score':>6s}")
    for name, Estimator, X, y in datasets():
        for activation in ("logistic", "tanh", "relu"):
            for solver in ("adam", "lbfgs"):
                est = Estimator(activation=activation, solver=solver, random_state=0)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    est.fit(X, y)
                print(
                    f"{name:40s} {activation:10s} {solver:6s} "
                    f"{est.saturated_share_:6.3f} {est.score(X, y):6.3f}"
                )


def cost(repeats=5):
    X, y = load_digits(return_X_y=True)
    fits, checks = [], []
    for seed in range(repeats):
        est = BackpropClassifier(random_state=seed)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            est.fit(X, y)
        fits.append(time.perf_counter() - start)
        start = time.perf_counter()
        hidden_saturation(
            X, est.coefs_, est.intercepts_, est.activation, est.out_activation_
        )
        checks.append(time.perf_counter() - start)
    fit, check = statistics.median(fits), statistics.median(checks)
    print(
        f"\ndigits ({X.shape[0]} rows), default BackpropClassifier: fit "
        f"{fit * 1e3:.0f} ms (median of {repeats}), of which the saturation "
        f"measure {check * 1e3:.2f} ms = {100 * check / fit:.2f}%"
    )


if __name__ == "__main__":
    shares()
    cost()
