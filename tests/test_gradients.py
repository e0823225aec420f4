"""Backpropagation's gradients against central finite differences."""

import numpy as np
import pytest

from skbackprop import BackpropClassifier, BackpropRegressor, check_gradients
from skbackprop._network import Parameters

ACTIVATIONS = ["logistic", "tanh", "relu", "identity"]
# (loss, output activation, kind of target): every pairing the estimators use.
HEADS = [
    ("squared_error", "identity", "real"),  # BackpropRegressor
    ("squared_error", "logistic", "unit"),  # regressor out_activation="logistic"
    ("log_loss", "logistic", "binary"),  # classifier, binary and multilabel
    ("log_loss", "softmax", "onehot"),  # classifier, several classes
    ("poisson", "exp", "count"),  # regressor loss="poisson"
]


def make_problem(kind, n_samples=7, n_features=4, n_outputs=3, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n_samples, n_features))
    if kind == "real":
        Y = rng.normal(size=(n_samples, n_outputs))
    elif kind == "unit":
        Y = rng.uniform(size=(n_samples, n_outputs))
    elif kind == "count":
        Y = rng.poisson(1.5, size=(n_samples, n_outputs)).astype(float)
    elif kind == "binary":
        Y = rng.randint(0, 2, size=(n_samples, n_outputs)).astype(float)
    else:
        Y = np.eye(n_outputs)[rng.randint(0, n_outputs, size=n_samples)]
    return X, Y


def random_network(units, seed=0):
    rng = np.random.RandomState(seed)
    coefs = [rng.normal(scale=0.8, size=(a, b)) for a, b in zip(units, units[1:])]
    intercepts = [rng.normal(scale=0.5, size=b) for b in units[1:]]
    return coefs, intercepts


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss, out_activation, kind", HEADS)
@pytest.mark.parametrize("hidden", [(), (5,), (5, 3)])
def test_analytic_gradient_matches_finite_differences(
    activation, loss, out_activation, kind, hidden
):
    X, Y = make_problem(kind)
    coefs, intercepts = random_network([X.shape[1], *hidden, Y.shape[1]])
    sample_weight = np.random.RandomState(1).uniform(0.5, 2.0, size=X.shape[0])
    result = check_gradients(
        X,
        Y,
        coefs,
        intercepts,
        activation=activation,
        out_activation=out_activation,
        loss=loss,
        alpha=0.3,
        sample_weight=sample_weight,
        # exp outputs make E large (hundreds here), and the round-off of
        # E(w + eps) - E(w - eps) with it: a larger step keeps that small.
        eps=1e-4 if loss == "poisson" else 1e-5,
    )
    assert result.max_relative_error < 1e-6


def test_gradient_check_detects_a_wrong_gradient(monkeypatch):
    # The check must be able to fail: break the sigmoid's derivative.
    from skbackprop import _activations

    def wrong(out, delta, scratch=None):
        delta *= out
        return delta

    monkeypatch.setitem(_activations.DERIVATIVES, "logistic", wrong)
    X, Y = make_problem("real")
    coefs, intercepts = random_network([4, 5, 3])
    result = check_gradients(X, Y, coefs, intercepts, out_activation="identity")
    assert result.max_relative_error > 1e-2


def full_batch_step(estimator, X, y, coefs, intercepts, lr):
    """Parameters after one full-batch sgd step without momentum."""
    estimator.set_params(
        solver="sgd",
        learning_rate_init=lr,
        momentum=0,
        batch_size=X.shape[0],
        max_iter=1,
        shuffle=False,
        alpha=0.1,
    )
    with pytest.warns(Warning):  # one epoch never converges
        estimator.fit(X, y, coefs_init=coefs, intercepts_init=intercepts)
    return Parameters.from_layers(
        estimator.coefs_, estimator.intercepts_, np.float64
    ).flat


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_regressor_step_is_minus_lr_times_numerical_gradient(activation):
    X, Y = make_problem("real", n_outputs=2)
    coefs, intercepts = random_network([4, 5, 2])
    est = BackpropRegressor(hidden_layer_sizes=(5,), activation=activation)
    after = full_batch_step(est, X, Y, coefs, intercepts, lr=0.01)
    numerical = check_gradients(
        X,
        Y,
        coefs,
        intercepts,
        activation=activation,
        out_activation="identity",
        alpha=0.1,
    ).numerical
    before = Parameters.from_layers(coefs, intercepts, np.float64).flat
    np.testing.assert_allclose(after, before - 0.01 * numerical, rtol=0, atol=1e-9)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("n_classes", [2, 3])
def test_classifier_step_is_minus_lr_times_numerical_gradient(activation, n_classes):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(9, 4))
    y = np.arange(9) % n_classes
    n_out = 1 if n_classes == 2 else n_classes
    Y = (y == 1)[:, None].astype(float) if n_classes == 2 else np.eye(n_classes)[y]
    coefs, intercepts = random_network([4, 5, n_out])
    est = BackpropClassifier(hidden_layer_sizes=(5,), activation=activation)
    after = full_batch_step(est, X, y, coefs, intercepts, lr=0.01)
    numerical = check_gradients(
        X,
        Y,
        coefs,
        intercepts,
        activation=activation,
        out_activation="logistic" if n_classes == 2 else "softmax",
        loss="log_loss",
        alpha=0.1,
    ).numerical
    before = Parameters.from_layers(coefs, intercepts, np.float64).flat
    np.testing.assert_allclose(after, before - 0.01 * numerical, rtol=0, atol=1e-9)
