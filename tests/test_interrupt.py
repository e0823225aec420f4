"""Ctrl-C during fit: keep the last finished epoch, warn, stay usable."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

import skbackprop._training as training
from skbackprop import BackpropClassifier, BackpropRegressor

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")

rng = np.random.RandomState(0)
X = rng.normal(size=(40, 3))
y_clf = np.arange(40) % 3
y_reg = X @ np.array([1.0, -1.0, 0.5])
INTERRUPTED = "interrupted by the user"


def _interrupt_at(monkeypatch, call):
    """Make the ``call``-th batch gradient of training raise KeyboardInterrupt.

    The training loop computes each batch's objective and gradient through
    ``loss_and_gradient``: raising there is a Ctrl-C in the middle of an epoch.
    """
    real = training.loss_and_gradient
    calls = []

    def interrupting(*args, **kwargs):
        calls.append(None)
        if len(calls) == call:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(training, "loss_and_gradient", interrupting)
    return calls


def _quiet_fit(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kwargs)


STOCHASTIC = [
    (BackpropClassifier, y_clf, "sgd"),
    (BackpropClassifier, y_clf, "adam"),
    (BackpropRegressor, y_reg, "sgd"),
    (BackpropRegressor, y_reg, "adam"),
]


@pytest.mark.parametrize("Estimator, y, solver", STOCHASTIC)
@pytest.mark.parametrize("early_stopping", [False, True])
def test_interrupt_mid_epoch_keeps_the_last_finished_epoch(
    monkeypatch, Estimator, y, solver, early_stopping
):
    params = dict(
        hidden_layer_sizes=(5,),
        solver=solver,
        batch_size=10,
        max_iter=50,
        random_state=0,
        early_stopping=early_stopping,
        n_iter_no_change=50,
    )
    batches = 4  # 40 rows (36 under early stopping), 10 per batch
    # Interrupt in the middle of the fourth epoch: three are finished.
    calls = _interrupt_at(monkeypatch, 3 * batches + 2)
    est = Estimator(**params)
    with pytest.warns(UserWarning, match=INTERRUPTED):
        est.fit(X, y)
    assert len(calls) == 3 * batches + 2  # training stopped at once
    monkeypatch.undo()
    assert est.n_iter_ == 3 and len(est.loss_curve_) == 3
    # The same run stopped by max_iter after three epochs: the same weights.
    reference = _quiet_fit(Estimator(**{**params, "max_iter": 3}), X, y)
    for a, b in zip(
        est.coefs_ + est.intercepts_, reference.coefs_ + reference.intercepts_
    ):
        np.testing.assert_array_equal(a, b)
    assert est.loss_curve_ == reference.loss_curve_
    # Usable: predicts, scores, and trains on.
    assert np.isfinite(est.predict(X)).all()
    assert est.score(X, y) == reference.score(X, y)
    est.partial_fit(X, y)
    assert est.n_iter_ == 1 and len(est.loss_curve_) == 4


@pytest.mark.parametrize(
    "Estimator, y", [(BackpropClassifier, y_clf), (BackpropRegressor, y_reg)]
)
def test_interrupt_of_lbfgs_keeps_the_last_finished_iteration(
    monkeypatch, Estimator, y
):
    params = dict(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0)
    calls = _interrupt_at(monkeypatch, 12)
    est = Estimator(**params)
    with pytest.warns(UserWarning, match=INTERRUPTED):
        est.fit(X, y)
    assert len(calls) == 12
    monkeypatch.undo()
    assert 1 <= est.n_iter_ < 12
    reference = _quiet_fit(Estimator(**{**params, "max_iter": est.n_iter_}), X, y)
    for a, b in zip(
        est.coefs_ + est.intercepts_, reference.coefs_ + reference.intercepts_
    ):
        np.testing.assert_array_equal(a, b)
    assert np.isfinite(est.predict(X)).all()


def test_interrupt_in_the_first_epoch_keeps_the_starting_weights(monkeypatch):
    coefs = [np.full((3, 4), 0.1), np.full((4, 3), -0.1)]
    _interrupt_at(monkeypatch, 2)
    clf = BackpropClassifier(hidden_layer_sizes=(4,), solver="sgd", batch_size=10)
    with pytest.warns(UserWarning, match=INTERRUPTED):
        clf.fit(X, y_clf, coefs_init=coefs)
    assert clf.n_iter_ == 0 and clf.loss_curve_ == []
    for a, b in zip(clf.coefs_, coefs):
        np.testing.assert_array_equal(a, b)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1)


def test_interrupt_of_partial_fit_keeps_the_weights_before_the_call(monkeypatch):
    reg = BackpropRegressor(hidden_layer_sizes=(5,), solver="adam", batch_size=10)
    reg.set_params(random_state=0).partial_fit(X, y_reg).partial_fit(X, y_reg)
    before = [a.copy() for a in reg.coefs_ + reg.intercepts_]
    _interrupt_at(monkeypatch, 3)
    with pytest.warns(UserWarning, match=INTERRUPTED):
        reg.partial_fit(X, y_reg)
    for a, b in zip(reg.coefs_ + reg.intercepts_, before):
        np.testing.assert_array_equal(a, b)
    assert reg.n_iter_ == 0 and len(reg.loss_curve_) == 2
    monkeypatch.undo()
    reg.partial_fit(X, y_reg)
    assert reg.n_iter_ == 1 and len(reg.loss_curve_) == 3
    assert np.isfinite(reg.predict(X)).all()


def test_interrupt_during_restarts_keeps_the_best_finished_run(monkeypatch):
    params = dict(hidden_layer_sizes=(5,), solver="sgd", batch_size=40, random_state=0)
    single = _quiet_fit(BackpropClassifier(**{**params, "max_iter": 5}), X, y_clf)
    # Run 1 of 3 trains its 5 epochs (5 batches); run 2 is interrupted.
    _interrupt_at(monkeypatch, 8)
    clf = BackpropClassifier(**{**params, "max_iter": 5, "n_init": 3})
    with pytest.warns(UserWarning, match=INTERRUPTED):
        _quiet_fit(clf, X, y_clf)
    for a, b in zip(clf.coefs_, single.coefs_):
        np.testing.assert_array_equal(a, b)
    assert clf.n_iter_ == 5


def test_interrupt_leaves_no_scratch_state_behind(monkeypatch):
    _interrupt_at(monkeypatch, 5)
    clf = BackpropClassifier(hidden_layer_sizes=(3,), solver="sgd", batch_size=10)
    with pytest.warns(UserWarning, match=INTERRUPTED):
        clf.fit(X, y_clf)
    private = {k for k in vars(clf) if k.startswith("_") and not k.startswith("__")}
    assert private <= {"_optimizer", "_no_improvement_count", "_y_type"}
