"""Divergence advice names a huge target's scale, not the learning rate."""

import numpy as np
import pytest

from skbackprop import BackpropClassifier, BackpropRegressor

rng = np.random.RandomState(0)
X = rng.normal(size=(100, 3))


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_huge_target_is_named_as_the_cause(solver):
    y = (X[:, 0] + X[:, 1]) * 1e160
    reg = BackpropRegressor(hidden_layer_sizes=(5,), solver=solver, random_state=0)
    with pytest.raises(ValueError, match="Training diverged") as info:
        reg.fit(X, y)
    message = str(info.value)
    assert "scale the target" in message
    assert "the largest target's RMS is 1.38e+160" in message
    assert "learning_rate_init" not in message
    assert "input features" not in message


def test_features_and_rate_still_advised_with_a_unit_target():
    y = X[:, 0] + X[:, 1]
    reg = BackpropRegressor(hidden_layer_sizes=(5,), solver="sgd", random_state=0)
    reg.set_params(learning_rate_init=1e4, max_iter=20)
    with pytest.raises(ValueError, match="Training diverged") as info:
        reg.fit(X * 100, y)
    message = str(info.value)
    assert "scale the target" not in message
    assert "lower learning_rate_init (now 10000)" in message
    assert "the largest feature's RMS is 1" in message


def test_large_target_named_first_next_to_the_rate_when_the_start_was_finite():
    y = (X[:, 0] + X[:, 1]) * 1e3
    reg = BackpropRegressor(hidden_layer_sizes=(5,), solver="sgd", random_state=0)
    reg.set_params(activation="relu", learning_rate_init=0.01, max_iter=30)
    with pytest.raises(ValueError, match="Training diverged at epoch 4") as info:
        reg.fit(X, y)
    message = str(info.value)
    assert message.index("scale the target") < message.index("learning_rate_init")


def test_classifier_targets_are_not_measured():
    clf = BackpropClassifier(hidden_layer_sizes=(5,), solver="sgd", random_state=0)
    clf.set_params(learning_rate_init=1e6, max_iter=5)
    with pytest.raises(ValueError, match="Training diverged") as info:
        clf.fit(X * 1e3, X[:, 0] > 0)
    assert "target" not in str(info.value)


def test_poisson_targets_are_divided_not_centred():
    # StandardScaler would make counts negative, which the Poisson loss
    # refuses: the advice divides by a positive constant instead.
    y = np.random.RandomState(1).poisson(np.exp(5 + X[:, 0])).astype(float)
    reg = BackpropRegressor(loss="poisson", solver="sgd", learning_rate_init=1.0)
    reg.set_params(hidden_layer_sizes=(5,), random_state=0)
    with pytest.raises(ValueError, match="Training diverged") as info:
        reg.fit(X, y)
    message = str(info.value)
    assert "scale the target, divide it by a positive constant" in message
    assert "TransformedTargetRegressor" not in message
