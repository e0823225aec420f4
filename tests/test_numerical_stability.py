"""Sigmoid, softmax and log-loss stay finite and warning-free for any finite input."""

import numpy as np
import pytest

from skbackprop import BackpropClassifier, BackpropRegressor
from skbackprop._activations import logistic, softmax
from skbackprop._losses import (
    binary_log_loss,
    categorical_log_loss,
    loss_value,
    output_delta,
)

# Any RuntimeWarning (overflow, invalid value, divide by zero) fails a test.
pytestmark = [
    pytest.mark.filterwarnings("error::RuntimeWarning"),
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
]
RAISE = dict(over="raise", divide="raise", invalid="raise")
EXTREMES = [-1e300, -1e6, -1e3, -50.0, -1.0, 0.0, 1.0, 50.0, 1e3, 1e6, 1e300]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_sigmoid_is_finite_and_exact_at_the_extremes(dtype):
    net = np.array(EXTREMES, dtype=np.float64)
    net = np.clip(net, np.finfo(dtype).min, np.finfo(dtype).max).astype(dtype)
    with np.errstate(**RAISE):
        out = logistic(net.copy(), np.empty_like(net))
    assert out.dtype == dtype
    assert np.isfinite(out).all()
    assert ((out >= 0) & (out <= 1)).all()
    assert (np.diff(out) >= 0).all()
    assert out[0] == 0 and out[1] == 0 and out[-2] == 1 and out[-1] == 1
    assert out[5] == 0.5


def _softmax(rows, dtype=np.float64):
    net = np.array(rows, dtype=dtype)
    with np.errstate(**RAISE):
        return softmax(net.copy(), np.empty_like(net))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softmax_is_finite_and_sums_to_one_for_huge_nets(dtype):
    rows = [
        [1e6, -1e6, 0.0],
        [-1e6, -1e6, -1e6],
        [1e6, 1e6, 1e6],
        [1e6, 1e6 - 1, -1e6],
        [0.0, 0.0, 0.0],
        [-3e37, 3e37, 1.0],
        # A row spanning the whole float range: the shift overflows to -inf.
        [np.finfo(dtype).max, np.finfo(dtype).min, 0.0],
    ]
    out = _softmax(rows, dtype)
    assert out.dtype == dtype
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out.sum(axis=1), 1, rtol=1e-6)
    np.testing.assert_allclose(out[0], [1, 0, 0])
    np.testing.assert_allclose(out[1], [1 / 3] * 3, rtol=1e-6)
    np.testing.assert_allclose(out[2], [1 / 3] * 3, rtol=1e-6)
    e = np.exp(-1.0)
    np.testing.assert_allclose(out[3], [1 / (1 + e), e / (1 + e), 0], rtol=1e-6)
    np.testing.assert_allclose(out[5], [0, 1, 0])
    np.testing.assert_allclose(out[6], [1, 0, 0])


def test_softmax_matches_the_textbook_formula_on_moderate_nets():
    net = np.random.RandomState(0).normal(scale=5, size=(10, 4))
    expected = np.exp(net) / np.exp(net).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(_softmax(net), expected, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_log_losses_are_finite_for_saturated_outputs(dtype):
    # Outputs of exactly 0 and 1, right and wrong: log(0) must never appear.
    Y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]], dtype=dtype)
    wrong = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]], dtype=dtype)
    with np.errstate(**RAISE):
        bad_binary = binary_log_loss(Y, wrong)
        bad_categorical = categorical_log_loss(Y, wrong)
        good_binary = binary_log_loss(Y, Y.copy())
        good_categorical = categorical_log_loss(Y, Y.copy())
    for value in (bad_binary, bad_categorical, good_binary, good_categorical):
        assert np.isfinite(value)
    assert 0 <= good_binary < 1e-3 and 0 <= good_categorical < 1e-3
    # Large but bounded: -log(eps) per wrong output.
    bound = -np.log(np.finfo(dtype).eps) * 1.01
    assert 3 < bad_categorical / 3 <= bound
    assert 3 < bad_binary / 6 <= bound


@pytest.mark.parametrize("out_activation", ["softmax", "logistic"])
def test_loss_and_delta_of_a_network_with_huge_nets_are_finite(out_activation):
    rng = np.random.RandomState(0)
    net = rng.choice([-1e6, 1e6], size=(8, 3))
    out = np.empty_like(net)
    with np.errstate(**RAISE):
        (softmax if out_activation == "softmax" else logistic)(net, out)
        Y = np.eye(3)[rng.randint(3, size=8)]
        value = loss_value("log_loss", out_activation, Y, out, rng.uniform(size=8))
        delta = output_delta("log_loss", out_activation, Y, out, np.empty_like(out))
    assert np.isfinite(value) and value > 0
    assert np.isfinite(delta).all() and np.abs(delta).max() <= 1


X = np.random.RandomState(1).normal(size=(30, 4))


def _blow_up(est, factor=1e6):
    """Scale the fitted weights so that every |net| is around ``factor``."""
    for c in est.coefs_:
        c *= factor
    for b in est.intercepts_:
        b *= factor
    return est


@pytest.mark.parametrize(
    "y, loss",
    [
        (np.arange(30) % 2, "log_loss"),
        (np.arange(30) % 3, "log_loss"),
        (np.arange(30) % 3, "squared_error"),
        (np.eye(3, dtype=int)[np.arange(30) % 3], "log_loss"),
    ],
    ids=["binary", "softmax", "squared-error", "multilabel"],
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_probabilities_stay_finite_with_huge_weights(y, loss, dtype):
    clf = BackpropClassifier(hidden_layer_sizes=(5,), loss=loss, max_iter=5)
    clf.fit(X.astype(dtype), y)
    _blow_up(clf)
    with np.errstate(**RAISE):
        proba = clf.predict_proba(X.astype(dtype))
        log_proba = clf.predict_log_proba(X.astype(dtype))
        clf.predict(X.astype(dtype))
    assert np.isfinite(proba).all() and np.isfinite(log_proba).all()
    assert ((proba >= 0) & (proba <= 1)).all()
    if y.ndim == 1:
        np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)


def test_logistic_regressor_output_is_finite_with_huge_weights():
    reg = BackpropRegressor(hidden_layer_sizes=(5,), out_activation="logistic")
    reg.set_params(max_iter=5).fit(X, np.linspace(0, 1, 30))
    _blow_up(reg)
    pred = reg.predict(X)
    assert np.isfinite(pred).all() and ((pred >= 0) & (pred <= 1)).all()


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize("scale", [1e-6, 1e6])
def test_training_on_extreme_scales_leaks_no_warning_and_stays_finite(solver, scale):
    y = np.arange(30) % 3
    clf = BackpropClassifier(
        hidden_layer_sizes=(4,), solver=solver, max_iter=20, random_state=0
    )
    clf.fit(X * scale, y)
    proba = clf.predict_proba(X * scale)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    assert all(np.isfinite(c).all() for c in clf.coefs_ + clf.intercepts_)
    assert np.isfinite(clf.loss_curve_).all()
