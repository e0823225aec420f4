"""Ctrl-C while the validation rows are scored: every curve stays in step."""

import numpy as np
import pytest

import skbackprop._training as training
from skbackprop import BackpropClassifier, BackpropRegressor

# A few epochs on these rows learn nothing, and fit says so (tested in
# test_learned_nothing.py).
pytestmark = pytest.mark.filterwarnings("ignore::skbackprop.LearnedNothingWarning")

rng = np.random.RandomState(0)
X = rng.normal(size=(60, 3))
TARGETS = {BackpropClassifier: np.arange(60) % 2, BackpropRegressor: X[:, 0]}


def _check_in_step(model, epochs):
    assert model.n_iter_ == epochs
    assert len(model.loss_curve_) == epochs
    assert len(model.validation_scores_) == epochs
    assert len(model.validation_loss_curve_) == epochs
    assert model.t_ == epochs * 48


@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_interrupt_in_the_validation_score(Estimator):
    calls = []

    def scorer(estimator, X_val, y_val):
        calls.append(None)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return -len(calls)  # never improves after the first epoch

    model = Estimator(hidden_layer_sizes=(3,), early_stopping=True, random_state=0)
    model.set_params(scoring=scorer, validation_fraction=0.2, n_iter_no_change=50)
    with pytest.warns(UserWarning, match="interrupted by the user after 3 epochs"):
        model.fit(X, TARGETS[Estimator])
    _check_in_step(model, 3)
    assert model.validation_scores_ == [-1, -2, -3]


@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_interrupt_in_the_validation_loss(Estimator, monkeypatch):
    real = training.Network.mean_loss
    calls = []

    def interrupting(self, X_, Y, sw, params, penalty=False, chunk=1024):
        if not penalty and X_.shape[0] == 12:
            calls.append(None)
            if len(calls) == 3:
                raise KeyboardInterrupt
        return real(self, X_, Y, sw, params, penalty=penalty, chunk=chunk)

    monkeypatch.setattr(training.Network, "mean_loss", interrupting)
    model = Estimator(hidden_layer_sizes=(3,), early_stopping=True, random_state=0)
    model.set_params(validation_fraction=0.2, n_iter_no_change=50)
    with pytest.warns(UserWarning, match="interrupted by the user after 2 epochs"):
        model.fit(X, TARGETS[Estimator])
    _check_in_step(model, 2)
