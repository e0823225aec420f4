"""XOR: a single-layer perceptron cannot learn it; one hidden layer can."""

import numpy as np
import pytest

from skbackprop import BackpropClassifier

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y = np.array([0, 1, 1, 0])


@pytest.mark.parametrize("random_state", range(5))
def test_hidden_layer_of_sigmoids_solves_xor(random_state):
    clf = BackpropClassifier(
        hidden_layer_sizes=(4,),
        solver="lbfgs",
        alpha=0,
        random_state=random_state,
    ).fit(X, y)
    np.testing.assert_array_equal(clf.predict(X), y)


# XOR is solved long before the loss stops falling by tol.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_hidden_layer_of_sigmoids_solves_xor_with_sgd():
    clf = BackpropClassifier(
        hidden_layer_sizes=(3,),
        solver="sgd",
        learning_rate_init=0.5,
        batch_size=4,
        max_iter=2000,
        tol=0,
        alpha=0,
        random_state=0,
    ).fit(X, y)
    np.testing.assert_array_equal(clf.predict(X), y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("solver", ["sgd", "lbfgs"])
def test_single_layer_perceptron_cannot_solve_xor(solver):
    clf = BackpropClassifier(
        hidden_layer_sizes=(), solver=solver, max_iter=2000, alpha=0, random_state=0
    ).fit(X, y)
    assert clf.n_layers_ == 2
    assert [c.shape for c in clf.coefs_] == [(2, 1)]
    # A line separates at most 3 of the 4 points.
    assert (clf.predict(X) == y).sum() <= 3
