"""Divergence stops training, keeps the last finite weights and says so."""

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

# Settings that diverge after at least one finished epoch.
CASES = {
    "sgd-regressor": (
        BackpropRegressor,
        dict(solver="sgd", activation="identity", learning_rate_init=100.0),
        X,
        y_reg,
    ),
    "adam-regressor": (
        BackpropRegressor,
        dict(solver="adam", activation="tanh", learning_rate_init=1e3),
        X,
        y_reg,
    ),
    "sgd-classifier": (
        BackpropClassifier,
        dict(solver="sgd", activation="relu", learning_rate_init=1e100),
        X,
        y_clf,
    ),
    "sgd-classifier-large-X": (
        BackpropClassifier,
        dict(solver="sgd", activation="relu", learning_rate_init=1e20),
        X * 1e6,
        y_clf,
    ),
}


def _fit(Estimator, params, Xd, y, **extra):
    est = Estimator(hidden_layer_sizes=(8,), random_state=0, alpha=0, max_iter=50)
    return est.set_params(**params, **extra).fit(Xd, y)


def _all_finite(est):
    return all(np.isfinite(a).all() for a in est.coefs_ + est.intercepts_)


@pytest.mark.parametrize("case", CASES)
def test_divergence_warns_and_keeps_finite_weights(case):
    Estimator, params, Xd, y = CASES[case]
    with pytest.warns(ConvergenceWarning, match=DIVERGED):
        est = _fit(Estimator, params, Xd, y)
    assert 1 <= est.n_iter_ < est.max_iter
    assert _all_finite(est)
    assert np.isfinite(est.loss_curve_).all() and np.isfinite(est.loss_)
    assert est.loss_ == est.loss_curve_[-1]
    assert np.isfinite(est.predict(Xd)).all()
    if Estimator is BackpropClassifier:
        proba = est.predict_proba(Xd)
        assert np.isfinite(proba).all()
        np.testing.assert_allclose(proba.sum(axis=1), 1)


@pytest.mark.parametrize("case", CASES)
def test_divergence_keeps_exactly_the_last_finished_epoch(case):
    Estimator, params, Xd, y = CASES[case]
    with pytest.warns(ConvergenceWarning, match=DIVERGED):
        diverged = _fit(Estimator, params, Xd, y)
    # The same run stopped by max_iter at that epoch: the same weights.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        stopped = _fit(Estimator, params, Xd, y, max_iter=diverged.n_iter_)
    for a, b in zip(
        diverged.coefs_ + diverged.intercepts_, stopped.coefs_ + stopped.intercepts_
    ):
        np.testing.assert_array_equal(a, b)
    assert diverged.loss_curve_ == stopped.loss_curve_


def test_a_finite_but_exploding_loss_counts_as_divergence(monkeypatch):
    seen = []
    end_epoch = training._Run._end_epoch

    def spy(self, loss):
        seen.append(loss)
        return end_epoch(self, loss)

    monkeypatch.setattr(training._Run, "_end_epoch", spy)
    reg = BackpropRegressor(
        hidden_layer_sizes=(8,),
        solver="sgd",
        activation="tanh",
        learning_rate_init=1e3,
        alpha=0,
        random_state=0,
    )
    with pytest.warns(ConvergenceWarning, match=DIVERGED):
        reg.fit(X, y_reg)
    # Every epoch's loss was finite, the last one more than a million times
    # the first: the explosion, not an overflow, stopped training.
    assert np.isfinite(seen).all()
    assert seen[-1] > 1e6 * seen[0]
    assert reg.loss_curve_ == seen[:-1]
    assert reg.t_ == reg.n_iter_ * X.shape[0]  # the diverged epoch is not counted
    assert _all_finite(reg)


def test_lbfgs_divergence_warns_and_keeps_finite_weights():
    # The objective overflows from the start: there is no finite step.
    reg = BackpropRegressor(
        hidden_layer_sizes=(4,), solver="lbfgs", activation="identity", random_state=0
    )
    with pytest.warns(ConvergenceWarning, match="diverged.*scale the input"):
        reg.fit(X * 1e200, y_reg)
    assert _all_finite(reg)
    assert np.isfinite(reg.predict(X)).all()


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
def test_partial_fit_divergence_keeps_the_previous_weights(solver):
    reg = BackpropRegressor(
        hidden_layer_sizes=(8,),
        solver=solver,
        activation="identity",
        learning_rate_init=1e4,
        alpha=0,
        random_state=0,
    )
    messages = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(5):
            reg.partial_fit(X, y_reg)
            assert _all_finite(reg)
            assert np.isfinite(reg.predict(X)).all()
        messages = [str(w.message) for w in caught]
    assert any("diverged" in m for m in messages)


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


def test_restarts_skip_a_run_that_diverged_at_once():
    # Every run diverges; the estimator is still finite and usable.
    clf = BackpropClassifier(
        hidden_layer_sizes=(8,),
        solver="sgd",
        activation="relu",
        learning_rate_init=1e8,
        n_init=3,
        random_state=0,
    )
    with pytest.warns(ConvergenceWarning, match=DIVERGED):
        clf.fit(X * 1e3, y_clf)
    assert _all_finite(clf)
    assert np.isfinite(clf.predict_proba(X)).all()


@pytest.mark.parametrize("activation", ["relu", "identity", "logistic"])
def test_adam_with_an_absurd_learning_rate_leaves_a_finite_classifier(activation):
    # Adam's steps are bounded by the rate, so weights grow huge but finite
    # and the saturated outputs keep the log-loss finite: no divergence, but
    # a warning that the rate is too large, and finite probabilities.
    clf = BackpropClassifier(
        hidden_layer_sizes=(8,),
        solver="adam",
        activation=activation,
        learning_rate_init=1e100,
        max_iter=20,
        random_state=0,
    )
    with pytest.warns(ConvergenceWarning, match="learning_rate_init"):
        clf.fit(X, y_clf)
    assert _all_finite(clf)
    proba = clf.predict_proba(X)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1)


def test_kept_weights_have_finite_outputs_even_if_the_last_epoch_has_not(
    monkeypatch,
):
    # Here the last finished epoch ends on weights whose output overflows
    # (seen only when the next epoch's first batch is computed); the epoch
    # before is kept instead, and the history is cut back to it.
    finished = []
    end_epoch = training._Run._end_epoch

    def spy(self, loss):
        stop = end_epoch(self, loss)
        finished.append(loss)
        return stop

    monkeypatch.setattr(training._Run, "_end_epoch", spy)
    Estimator, params, Xd, y = CASES["sgd-classifier-large-X"]
    with pytest.warns(ConvergenceWarning, match=DIVERGED):
        clf = _fit(Estimator, params, Xd, y)
    assert clf.n_iter_ < len(finished)
    assert clf.loss_curve_ == finished[: clf.n_iter_]
    assert clf.t_ == clf.n_iter_ * Xd.shape[0]
    assert np.isfinite(clf.predict_proba(Xd)).all()
