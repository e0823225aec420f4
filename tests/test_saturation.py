"""Saturated or dead hidden units: saturated_share_ and SaturationWarning."""

import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import skbackprop._network as network
from skbackprop import BackpropClassifier, BackpropRegressor, SaturationWarning
from skbackprop._network import saturated_share

X, y = make_classification(3000, 20, random_state=0)
X_unscaled = X.copy()
X_unscaled[:, :5] *= 1000


def test_unscaled_features_warn_with_the_share_and_the_fix():
    # Stepping in the inputs' own coordinates, as MLP does: stuck near chance.
    clf = BackpropClassifier(random_state=0, precondition=None)
    with pytest.warns(SaturationWarning, match="StandardScaler") as record:
        clf.fit(X_unscaled, y)
    assert clf.saturated_share_ > 0.9
    assert f"{clf.saturated_share_:.0%} of the hidden logistic outputs" in str(
        record[0].message
    )
    assert clf.score(X_unscaled, y) < 0.7  # near chance: the failure warned of


def test_standardised_steps_on_unscaled_features_still_warn():
    # Standardised steps learn something, but the start's large nets on the
    # features in thousands stay saturated: the warning still fires.
    clf = BackpropClassifier(random_state=0, max_iter=100)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        with pytest.warns(SaturationWarning, match="StandardScaler"):
            clf.fit(X_unscaled, y)
    assert clf.saturated_share_ > 0.9


def test_scaled_features_train_without_warning():
    clf = BackpropClassifier(random_state=0, max_iter=50)
    pipe = make_pipeline(StandardScaler(), clf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("error", SaturationWarning)
        pipe.fit(X_unscaled, y)
    assert pipe[-1].saturated_share_ < 0.5
    assert pipe.score(X_unscaled, y) > 0.95


def test_saturation_warning_is_a_convergence_warning():
    assert issubclass(SaturationWarning, ConvergenceWarning)
    api = (Path(__file__).resolve().parents[1] / "docs" / "api.rst").read_text()
    assert ".. autoclass:: SaturationWarning" in api


def test_regressor_on_unscaled_features_warns_and_names_the_targets():
    Xr, yr = make_regression(1000, 10, random_state=0)
    Xr[:, :3] *= 1000
    reg = BackpropRegressor(random_state=0, max_iter=50)
    with pytest.warns(SaturationWarning, match="TransformedTargetRegressor"):
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", "Stochastic Optimizer: Max", ConvergenceWarning
            )
            reg.fit(Xr, yr / yr.std())
    assert reg.saturated_share_ > 0.9


def test_dead_relu_units_are_counted_and_warned_of():
    # Biases of -1000 leave every relu unit at 0 on every row: no delta
    # reaches them, so they stay dead however long training runs.
    clf = BackpropClassifier(hidden_layer_sizes=(6,), activation="relu", max_iter=5)
    coefs = [np.full((20, 6), 0.01), np.full((6, 1), 0.01)]
    with pytest.warns(SaturationWarning, match="100% of the hidden relu units"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            warnings.simplefilter("always", SaturationWarning)
            clf.fit(X, y, coefs_init=coefs, intercepts_init=[np.full(6, -1e3), [0]])
    assert clf.saturated_share_ == 1.0


def test_a_network_that_fits_its_rows_does_not_warn():
    # XOR solved without L2: large weights saturate the sigmoids, but the
    # loss fell to almost 0, so training did not stall.
    Xx = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SaturationWarning)
        clf = BackpropClassifier(
            hidden_layer_sizes=(4,), solver="lbfgs", alpha=0, random_state=2
        ).fit(Xx, [0, 1, 1, 0])
    assert clf.saturated_share_ > 0.9


def test_partial_fit_measures_its_batch():
    clf = BackpropClassifier(random_state=0)
    with pytest.warns(SaturationWarning):
        clf.partial_fit(X_unscaled[:500], y[:500], classes=[0, 1])
    assert clf.saturated_share_ > 0.9
    clf.partial_fit(X[:500] / 1000, y[:500])  # tiny inputs: nothing saturates
    assert clf.saturated_share_ == 0.0


def test_fit_measures_at_most_1000_evenly_spaced_rows(forward_rows):
    seen = forward_rows(network)
    clf = BackpropClassifier(hidden_layer_sizes=(3,), max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X, y)
    assert seen[-1] == 1000  # the last forward pass: the measure's
    share = clf.saturated_share_
    assert network.hidden_saturation(
        X, clf.coefs_, clf.intercepts_, "logistic", "logistic"
    ) == pytest.approx(share)


def test_saturated_share_uses_the_derivative_through_out():
    # f'(net) = out (1 - out): 0.25, then about 0.001 twice (saturated).
    out = np.array([[0.5, 0.001], [0.999, 0.5]])
    kept = out.copy()
    assert saturated_share([out], "logistic") == 0.5
    np.testing.assert_array_equal(out, kept)  # not modified
    # tanh: f' = 1 - out**2 is 1, 0.0199 and 0.002 (saturated).
    assert saturated_share([np.array([[0.0, 0.99, -0.999]])], "tanh") == 1 / 3
    assert saturated_share([np.full((3, 4), 1e6)], "identity") == 0.0
    assert saturated_share([], "logistic") == 0.0


def test_relu_share_counts_units_dead_on_every_row():
    first = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])  # unit 0 and 2 dead
    second = np.array([[2.0], [0.0]])  # alive on one row
    assert saturated_share([first, second], "relu") == 2 / 4


@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_saturated_share_is_documented(Estimator):
    assert "saturated_share_ : float" in Estimator.__doc__
