"""The training loop's counters and stopping, side by side with scikit-learn's MLP."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_friedman1
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from skbackprop import BackpropClassifier, BackpropRegressor

X_clf, y_clf = make_classification(120, 5, random_state=0)
X_reg, y_reg = make_friedman1(120, random_state=0)

PAIRS = [
    (BackpropClassifier, MLPClassifier, X_clf, y_clf),
    (BackpropRegressor, MLPRegressor, X_reg, y_reg),
]
# scikit-learn's defaults where ours differ, so that both train alike.
SHARED = dict(
    hidden_layer_sizes=(6,),
    activation="logistic",
    alpha=1e-4,
    learning_rate_init=1e-3,
    n_iter_no_change=10,
    random_state=0,
)


def _quiet(call, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return call(*args, **kwargs)


@pytest.mark.parametrize("ours, theirs, X, y", PAIRS)
@pytest.mark.parametrize("early_stopping", [False, True])
def test_warm_started_fits_count_their_own_epochs(ours, theirs, X, y, early_stopping):
    settings = dict(SHARED, max_iter=10, warm_start=True, early_stopping=early_stopping)
    n_train = len(X) - (round(0.1 * len(X)) if early_stopping else 0)
    for est in (ours(**settings), theirs(**settings)):
        per_call = []
        for _ in range(3):
            _quiet(est.fit, X, y)
            per_call.append(est.n_iter_)
            # n_iter_ is this call's epochs; the history keeps growing.
            assert 1 <= est.n_iter_ <= 10
            assert len(est.loss_curve_) == sum(per_call)
            assert est.t_ == sum(per_call) * n_train
            if early_stopping:
                assert len(est.validation_scores_) == sum(per_call)
            else:
                assert est.validation_scores_ is None
        if not early_stopping:
            assert per_call == [10, 10, 10], type(est).__name__


@pytest.mark.parametrize("ours, theirs, X, y", PAIRS)
def test_partial_fit_counts_one_epoch_per_call(ours, theirs, X, y):
    a, b = ours(solver="sgd", **SHARED), theirs(solver="sgd", **SHARED)
    extra = {"classes": np.unique(y)} if ours is BackpropClassifier else {}
    for call in range(1, 4):
        a.partial_fit(X, y, **extra)
        b.partial_fit(X, y, **extra)
        assert a.n_iter_ == b.n_iter_ == 1
        assert len(a.loss_curve_) == len(b.loss_curve_) == call
        assert a.t_ == b.t_ == call * len(X)


@pytest.mark.parametrize("ours, theirs, X, y", PAIRS)
def test_n_iter_below_max_iter_means_converged_as_in_mlp(ours, theirs, X, y):
    # Settings under which both fits learn before they converge. With a
    # coarser tol (0.1) or MLP's rate of 1e-3 MLP "converges" at chance or on
    # the mean prediction (R^2 of -6) without a word, where ours says that it
    # learned nothing (tested in test_learned_nothing.py).
    settings = dict(SHARED, solver="adam", max_iter=500, tol=1e-3)
    settings["learning_rate_init"] = 1e-2
    if ours is BackpropRegressor:
        y = (y - y.mean()) / y.std()
    for est in (ours(**settings), theirs(**settings)):
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            est.fit(X, y)  # stops early, without a warning
        assert est.n_iter_ < est.max_iter
    settings["max_iter"] = 3
    for est in (ours(**settings), theirs(**settings)):
        with pytest.warns(ConvergenceWarning):
            est.fit(X, y)
        assert est.n_iter_ == est.max_iter


def test_lbfgs_runs_as_long_as_mlps_and_fits_as_well():
    # L-BFGS stops by scipy's criteria (tol, max_iter, max_fun), not by
    # n_iter_no_change: small regressions once stopped at a third of MLP's
    # iterations with a visibly worse R^2.
    settings = dict(SHARED, hidden_layer_sizes=(10,), solver="lbfgs")
    settings["max_iter"] = 400
    ours = _quiet(BackpropRegressor(**settings).fit, X_reg, y_reg)
    theirs = _quiet(MLPRegressor(**settings).fit, X_reg, y_reg)
    assert ours.n_iter_ >= 0.8 * theirs.n_iter_
    assert ours.score(X_reg, y_reg) >= theirs.score(X_reg, y_reg) - 0.01
    # n_iter_no_change has no say over L-BFGS without early stopping.
    impatient = BackpropRegressor(**{**settings, "n_iter_no_change": 1})
    _quiet(impatient.fit, X_reg, y_reg)
    assert impatient.n_iter_ == ours.n_iter_


def test_n_iter_no_change_inf_runs_max_iter_epochs():
    settings = dict(SHARED, solver="sgd", max_iter=30, tol=1.0)
    for Estimator in (BackpropClassifier, MLPClassifier):
        est = Estimator(**{**settings, "n_iter_no_change": np.inf})
        with pytest.warns(ConvergenceWarning):
            est.fit(X_clf, y_clf)
        assert est.n_iter_ == 30
