"""The same random_state gives bit-identical weights, in and across processes."""

import hashlib
import subprocess
import sys
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, KFold

from skbackprop import BackpropClassifier, BackpropRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

X, y_clf = make_classification(
    n_samples=60, n_features=5, n_informative=3, n_classes=3, random_state=0
)
y_reg = X @ np.arange(1.0, 6.0)
SOLVERS = ["sgd", "adam", "lbfgs"]


def _digest(est):
    """A hash of every weight's bytes: equal digests mean bit-identical weights."""
    h = hashlib.sha256()
    for a in est.coefs_ + est.intercepts_:
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def _make(Estimator, solver, seed=0, **extra):
    params = dict(hidden_layer_sizes=(6, 4), max_iter=15, batch_size=16)
    return Estimator(solver=solver, random_state=seed, **{**params, **extra})


VARIANTS = [
    {},
    {"early_stopping": True},
    {"n_init": 2},
    {"learning_rate": "invscaling", "shuffle": False},
]


@pytest.mark.parametrize("extra", VARIANTS, ids=["plain", "early", "n_init", "sched"])
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize(
    "Estimator, y", [(BackpropClassifier, y_clf), (BackpropRegressor, y_reg)]
)
def test_same_seed_gives_bit_identical_weights(Estimator, y, solver, extra):
    if solver == "lbfgs" and extra.get("early_stopping"):
        extra = {**extra, "max_iter": 5}
    first = _make(Estimator, solver, **extra).fit(X, y)
    second = _make(Estimator, solver, **extra).fit(X, y)
    refit = first.fit(X, y)  # refitting the same object is no different
    assert _digest(first) == _digest(second) == _digest(refit)
    assert first.loss_curve_ == second.loss_curve_


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_different_seed_gives_different_weights(solver):
    # Without this the equality above could hold for a seed that is ignored.
    a = _make(BackpropClassifier, solver, seed=0).fit(X, y_clf)
    b = _make(BackpropClassifier, solver, seed=1).fit(X, y_clf)
    assert _digest(a) != _digest(b)


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_partial_fit_and_warm_start_sequences_are_reproducible(solver):
    def run():
        clf = _make(BackpropClassifier, solver, warm_start=True)
        clf.partial_fit(X, y_clf, classes=[0, 1, 2]).partial_fit(X, y_clf)
        clf.fit(X, y_clf)
        return _digest(clf)

    assert run() == run()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float32_and_float64_are_each_reproducible(dtype):
    a = _make(BackpropRegressor, "adam").fit(X.astype(dtype), y_reg)
    b = _make(BackpropRegressor, "adam").fit(X.astype(dtype), y_reg)
    assert a.coefs_[0].dtype == dtype
    assert _digest(a) == _digest(b)


_CHILD = """
import hashlib, sys, warnings
import numpy as np
from sklearn.datasets import make_classification
from skbackprop import BackpropClassifier
warnings.simplefilter("ignore")
X, y = make_classification(
    n_samples=60, n_features=5, n_informative=3, n_classes=3, random_state=0
)
for solver in ["sgd", "adam", "lbfgs"]:
    clf = BackpropClassifier(
        hidden_layer_sizes=(6, 4), solver=solver, max_iter=15, batch_size=16,
        random_state=0,
    ).fit(X, y)
    h = hashlib.sha256()
    for a in clf.coefs_ + clf.intercepts_:
        h.update(np.ascontiguousarray(a).tobytes())
    print(h.hexdigest())
"""


def test_same_seed_gives_the_same_weights_in_a_fresh_process():
    here = [_digest(_make(BackpropClassifier, s).fit(X, y_clf)) for s in SOLVERS]
    child = subprocess.run(
        [sys.executable, "-c", _CHILD],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert child.stdout.split() == here


def _weights_scorer(est, X, y):
    """A "score" that is a hash of the fitted weights, so CV compares bits."""
    return float(int(_digest(est)[:12], 16))


def test_grid_search_gives_the_same_weights_with_n_jobs():
    est = _make(BackpropClassifier, "sgd", max_iter=5)
    grid = {"solver": SOLVERS}
    cv = KFold(n_splits=2, shuffle=True, random_state=0)
    results = []
    for n_jobs in (1, 2):
        search = GridSearchCV(est, grid, cv=cv, scoring=_weights_scorer, n_jobs=n_jobs)
        search.fit(X, y_clf)
        results.append(search)
    serial, parallel = results
    for k in range(2):
        key = f"split{k}_test_score"
        np.testing.assert_array_equal(
            serial.cv_results_[key], parallel.cv_results_[key]
        )
    # ... and each fold's weights are those of a plain fit on that fold.
    train, _ = next(cv.split(X))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for i, solver in enumerate(SOLVERS):
            alone = clone(est).set_params(solver=solver).fit(X[train], y_clf[train])
            assert serial.cv_results_["split0_test_score"][i] == _weights_scorer(
                alone, None, None
            )
    assert _digest(serial.best_estimator_) == _digest(parallel.best_estimator_)
