"""Mazur's worked example (a 2-2-2 sigmoid network) through the estimator."""

import numpy as np
import pytest

from skbackprop import BackpropRegressor

X = np.array([[0.05, 0.10]])
Y = np.array([[0.01, 0.99]])
# coefs[i][j, k] is the weight from node j of layer i to node k of layer i + 1.
COEFS = [
    np.array([[0.15, 0.25], [0.20, 0.30]]),  # w1 w3 / w2 w4
    np.array([[0.40, 0.50], [0.45, 0.55]]),  # w5 w7 / w6 w8
]
INTERCEPTS = [np.array([0.35, 0.35]), np.array([0.60, 0.60])]


def mazur_regressor(**params):
    settings = dict(
        hidden_layer_sizes=(2,),
        activation="logistic",
        out_activation="logistic",
        solver="sgd",
        learning_rate_init=0.5,
        momentum=0,
        alpha=0,
        batch_size=1,
        max_iter=1,
        shuffle=False,
    )
    return BackpropRegressor(**{**settings, **params})


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_one_update_matches_published_figures():
    coefs = [c.copy() for c in COEFS]
    intercepts = [b.copy() for b in INTERCEPTS]
    reg = mazur_regressor().fit(X, Y, coefs_init=coefs, intercepts_init=intercepts)
    assert reg.loss_curve_[0] == pytest.approx(0.298371109, abs=1e-9)
    # w5: h1 -> o1, from 0.40 to 0.35891648 after one update.
    assert reg.coefs_[1][0, 0] == pytest.approx(0.35891648, abs=1e-8)
    # The remaining figures of the example: w5..w8 and w1..w4.
    expected_out = [[0.35891648, 0.511301270], [0.408666186, 0.561370121]]
    np.testing.assert_allclose(reg.coefs_[1], expected_out, atol=1e-9)
    expected_hidden = [[0.149780716, 0.24975114], [0.19956143, 0.29950229]]
    np.testing.assert_allclose(reg.coefs_[0], expected_hidden, atol=1e-8)
    # The inputs given as starting weights are copied, never modified.
    for given, original in zip(coefs + intercepts, COEFS + INTERCEPTS):
        np.testing.assert_array_equal(given, original)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_training_on_drives_error_down():
    reg = mazur_regressor(max_iter=10000, tol=0).fit(
        X, Y, coefs_init=COEFS, intercepts_init=INTERCEPTS
    )
    # Mazur reports E = 0.0000351085 after 10,000 rounds with fixed biases;
    # training the biases too only lowers it further.
    assert reg.loss_curve_[-1] < 3.6e-5
    assert np.all(np.diff(reg.loss_curve_) < 0)
