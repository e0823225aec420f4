"""Divergence keeps the best finished epoch, or refuses and changes nothing."""

import copy
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

import skbackprop._training as training
from skbackprop import BackpropClassifier, BackpropRegressor

# A numpy RuntimeWarning escaping from training fails the test.
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

rng = np.random.RandomState(0)
X = rng.normal(size=(40, 3))
y_reg = X @ np.array([1.0, 2.0, -1.0])
y_clf = (X[:, 0] + X[:, 1] > 0).astype(int)

DIVERGED = "diverged.*lower learning_rate_init"
REFUSED = "diverged.*no finished epoch improved.*as it was before this call"

# Settings that diverge after some finished epochs improved on the start.
KEEPS = {
    "sgd-regressor": (
        BackpropRegressor,
        dict(solver="sgd", activation="tanh", learning_rate_init=0.5),
        X,
        y_reg,
    ),
    "sgd-classifier-large-X": (
        BackpropClassifier,
        dict(solver="sgd", activation="relu", learning_rate_init=1e20),
        X * 1e6,
        y_clf,
    ),
}

# Settings that diverge before any finished epoch improved on the start.
REFUSES = {
    "sgd-regressor": (
        BackpropRegressor,
        dict(solver="sgd", activation="identity", learning_rate_init=100.0),
        X,
        y_reg,
    ),
    "adam-regressor": (
        BackpropRegressor,
        dict(solver="adam", activation="tanh", learning_rate_init=1e4),
        X,
        y_reg,
    ),
    "sgd-classifier": (
        BackpropClassifier,
        dict(solver="sgd", activation="relu", learning_rate_init=1e100),
        X,
        y_clf,
    ),
}


def _estimator(Estimator, params, **extra):
    est = Estimator(hidden_layer_sizes=(8,), random_state=0, alpha=0, max_iter=50)
    return est.set_params(**params, **extra)


def _fit(Estimator, params, Xd, y, **extra):
    return _estimator(Estimator, params, **extra).fit(Xd, y)


def _all_finite(est):
    return all(np.isfinite(a).all() for a in est.coefs_ + est.intercepts_)


def _objective(est, Xd, y):
    """The training objective at the estimator's weights (alpha is 0)."""
    with np.errstate(all="ignore"):
        loss = est.trace(Xd, y).loss
    return loss if np.isfinite(loss) else np.inf


def _state(est):
    """Everything an estimator holds, deep-copied for comparison."""
    return copy.deepcopy(vars(est))


def _assert_same_state(a, b):
    assert a.keys() == b.keys()
    for key in a:
        va, vb = a[key], b[key]
        if key == "_optimizer" and va is not None:
            va, vb = vars(va), vars(vb)
            assert va.keys() == vb.keys()
            for k in va:
                np.testing.assert_array_equal(va[k], vb[k])
        elif isinstance(va, list) and va and isinstance(va[0], np.ndarray):
            for x, z in zip(va, vb, strict=True):
                np.testing.assert_array_equal(x, z)
        else:
            np.testing.assert_array_equal(va, vb)


@pytest.mark.parametrize("case", KEEPS)
def test_divergence_keeps_the_finished_epoch_with_the_lowest_objective(case):
    Estimator, params, Xd, y = KEEPS[case]
    with pytest.warns(ConvergenceWarning, match=DIVERGED) as caught:
        est = _fit(Estimator, params, Xd, y)
    diverged_at = int(
        next(str(w.message) for w in caught if "diverged" in str(w.message))
        .split("epoch ")[1]
        .split(":")[0]
    )
    assert 1 <= est.n_iter_ < diverged_at
    if case == "sgd-regressor":
        assert est.n_iter_ < diverged_at - 2  # not simply the last epochs
    assert _all_finite(est)
    assert np.isfinite(est.loss_curve_).all() and est.loss_ == est.loss_curve_[-1]
    assert len(est.loss_curve_) == est.n_iter_ and est.t_ == est.n_iter_ * len(Xd)
    assert np.isfinite(est.predict(Xd)).all()
    # The kept weights are those of a real epoch of the run: the same run
    # stopped by max_iter there has them.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        stopped = _fit(Estimator, params, Xd, y, max_iter=est.n_iter_)
        for a, b in zip(
            est.coefs_ + est.intercepts_, stopped.coefs_ + stopped.intercepts_
        ):
            np.testing.assert_array_equal(a, b)
        # No other candidate epoch (the last two finished, the lowest loss)
        # has a lower objective, and the start has a higher one.
        kept = _objective(est, Xd, y)
        last = diverged_at - 1
        untroubled = _fit(Estimator, params, Xd, y, max_iter=last)
        lowest_loss = int(np.argmin(untroubled.loss_curve_)) + 1
        for epoch in {last, last - 1, lowest_loss} - {0}:
            other = _fit(Estimator, params, Xd, y, max_iter=epoch)
            assert kept <= _objective(other, Xd, y)
        start = _fit(
            Estimator, {**params, "learning_rate_init": 1e-300}, Xd, y, max_iter=1
        )
        assert kept < _objective(start, Xd, y)


@pytest.mark.parametrize("case", REFUSES)
def test_divergence_without_improvement_refuses_and_leaves_it_unfitted(case):
    Estimator, params, Xd, y = REFUSES[case]
    est = _estimator(Estimator, params)
    before = _state(est)
    with pytest.raises(ValueError, match=REFUSED):
        est.fit(Xd, y)
    _assert_same_state(_state(est), before)
    assert not hasattr(est, "n_features_in_")


def test_the_issues_example_refuses_and_names_the_fixes():
    # sgd at a rate of 100 on unscaled data: once, epoch-1 weights whose
    # predictions were 1e37 were kept; now the fit refuses, naming both fixes.
    Xu = np.random.RandomState(1).normal(size=(200, 5)) * [1, 10, 100, 1000, 1]
    yu = Xu @ np.ones(5)
    reg = BackpropRegressor(solver="sgd", learning_rate_init=100, random_state=0)
    with pytest.raises(ValueError) as info:
        reg.fit(Xu, yu)
    message = str(info.value)
    assert "lower learning_rate_init (now 100)" in message
    assert "StandardScaler" in message and "RMS" in message
    assert not hasattr(reg, "coefs_")


@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
def test_divergence_without_improvement_keeps_the_previous_fit(how):
    reg = BackpropRegressor(
        hidden_layer_sizes=(8,),
        solver="sgd",
        activation="identity",
        learning_rate_init=0.01,
        alpha=0,
        max_iter=5,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg.fit(X, y_reg)
        reg.partial_fit(X, y_reg)  # an optimizer with momentum to keep
    before = _state(reg)
    with pytest.raises(ValueError, match=REFUSED):
        if how == "warm_start":
            # A warm start builds a fresh optimizer at the new rate.
            reg.set_params(learning_rate_init=1e4, warm_start=True)
            before["learning_rate_init"], before["warm_start"] = 1e4, True
            reg.fit(X, y_reg)
        else:
            # partial_fit keeps its optimizer: data that overflows at once.
            reg.partial_fit(X * 1e200, y_reg)
    _assert_same_state(_state(reg), before)


def test_a_finite_but_exploding_loss_counts_as_divergence(monkeypatch):
    seen = []
    end_epoch = training._Run._end_epoch

    def spy(self, loss):
        seen.append(loss)
        return end_epoch(self, loss)

    monkeypatch.setattr(training._Run, "_end_epoch", spy)
    Estimator, params, Xd, y = KEEPS["sgd-regressor"]
    with pytest.warns(ConvergenceWarning, match=DIVERGED):
        reg = _fit(Estimator, params, Xd, y)
    # Every epoch's loss was finite, the last one more than a million times
    # the first: the explosion, not an overflow, stopped training.
    assert np.isfinite(seen).all()
    assert seen[-1] > 1e6 * seen[0]
    assert reg.loss_curve_ == seen[: reg.n_iter_]
    assert reg.t_ == reg.n_iter_ * X.shape[0]  # the diverged epoch is not counted
    assert _all_finite(reg)


def test_lbfgs_divergence_refuses_and_says_to_scale():
    # The objective overflows from the start: there is no finite step.
    reg = BackpropRegressor(
        hidden_layer_sizes=(4,), solver="lbfgs", activation="identity", random_state=0
    )
    with pytest.raises(ValueError, match="diverged.*scale the input"):
        reg.fit(X * 1e200, y_reg)
    assert not hasattr(reg, "coefs_")


def test_lbfgs_steps_back_from_a_non_finite_objective():
    # Large but trainable input: any overflow the line search meets is
    # stepped back from, and the result is a fitted, finite network.
    clf = BackpropClassifier(
        hidden_layer_sizes=(6,), solver="lbfgs", activation="relu", random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X * 1e3, y_clf)
    assert _all_finite(clf) and np.isfinite(clf.loss_curve_).all()
    assert clf.score(X * 1e3, y_clf) > 0.9


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_partial_fit_divergence_keeps_a_finite_model(solver):
    reg = BackpropRegressor(
        hidden_layer_sizes=(8,),
        solver=solver,
        activation="identity",
        learning_rate_init=1e4,
        alpha=0,
        random_state=0,
    )
    refused = 0
    for _ in range(5):
        try:
            reg.partial_fit(X, y_reg)
        except ValueError as exc:
            assert "diverged" in str(exc)
            refused += 1
        if hasattr(reg, "coefs_"):
            assert _all_finite(reg)
            assert np.isfinite(reg.predict(X)).all()
    assert refused


def test_divergence_under_early_stopping_keeps_the_best_validation_weights():
    reg = BackpropRegressor(
        hidden_layer_sizes=(8,),
        solver="sgd",
        activation="identity",
        learning_rate_init=0.5,
        early_stopping=True,
        alpha=0,
        random_state=0,
    )
    with pytest.warns(ConvergenceWarning, match=DIVERGED):
        reg.fit(X, y_reg)
    assert _all_finite(reg)
    assert np.isfinite(reg.validation_scores_).all()
    assert np.isfinite(reg.predict(X)).all()


def test_restarts_refuse_when_every_run_diverged_at_once():
    clf = BackpropClassifier(
        hidden_layer_sizes=(8,),
        solver="sgd",
        activation="relu",
        learning_rate_init=1e100,
        n_init=3,
        random_state=0,
    )
    with pytest.raises(ValueError, match=REFUSED):
        clf.fit(X, y_clf)
    assert not hasattr(clf, "coefs_")


def test_restarts_leave_out_a_run_that_diverged_at_once(monkeypatch):
    # Run 1 of 2 diverges at once (its gradient is poisoned); run 2 is kept.
    real = training.loss_and_gradient
    calls = []

    def poisoned(*args, **kwargs):
        calls.append(None)
        value = real(*args, **kwargs)
        return np.inf if len(calls) == 1 else value

    monkeypatch.setattr(training, "loss_and_gradient", poisoned)
    params = dict(hidden_layer_sizes=(4,), solver="sgd", max_iter=3, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = BackpropClassifier(n_init=2, **params).fit(X, y_clf)
    assert clf.n_iter_ == 3 and _all_finite(clf)


@pytest.mark.parametrize("activation", ["relu", "identity", "logistic"])
def test_adam_with_an_absurd_learning_rate_refuses(activation):
    # Adam's first steps are as large as the rate: the objective explodes in
    # the second epoch and the first was no better than the start.
    clf = BackpropClassifier(
        hidden_layer_sizes=(8,),
        solver="adam",
        activation=activation,
        learning_rate_init=1e100,
        max_iter=20,
        random_state=0,
    )
    with pytest.raises(ValueError, match=REFUSED):
        clf.fit(X, y_clf)
    assert not hasattr(clf, "coefs_")
