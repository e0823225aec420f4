"""The same random_state draws the same starting weights as MLP, in the same order.

docs/differences.rst: identical for relu, tanh and identity; for logistic
the bound is sqrt(6) times MLP's (k = 2 in init_params against MLP's factor
2 without the 6), so the weights are that multiple of MLP's.
"""

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from skbackprop._network import init_params

X = np.random.RandomState(1).normal(size=(30, 4))
y = np.arange(30) % 3
LAYERS = (7, 5)


def _mlp_start(activation):
    # One sgd epoch at a learning rate of 1e-300 leaves every weight as drawn.
    mlp = MLPClassifier(
        LAYERS,
        activation=activation,
        solver="sgd",
        learning_rate_init=1e-300,
        momentum=0.0,
        max_iter=1,
        random_state=0,
    )
    with pytest.warns(ConvergenceWarning):
        mlp.fit(X, y)
    return mlp.coefs_ + mlp.intercepts_


@pytest.mark.parametrize("activation", ["relu", "tanh", "identity", "logistic"])
def test_same_draws_in_the_same_order_as_mlp(activation):
    params = init_params([4, *LAYERS, 3], activation, np.random.RandomState(0))
    ours = params.coefs + params.intercepts
    theirs = _mlp_start(activation)
    factor = np.sqrt(6.0) if activation == "logistic" else 1.0
    for a, b in zip(ours, theirs):
        if factor == 1.0:
            np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_allclose(a, factor * b, rtol=1e-12)
