"""Property-based tests: any valid input fits, and predictions are finite."""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.exceptions import ConvergenceWarning

from skbackprop import BackpropClassifier, BackpropRegressor

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # a fixed sequence of examples: the suite is repeatable
    suppress_health_check=[HealthCheck.too_slow],
)

shapes = st.tuples(
    st.integers(1, 40),  # rows
    st.integers(1, 8),  # features
    st.lists(st.integers(1, 6), min_size=0, max_size=3).map(tuple),  # hidden
)
scales = st.floats(-3, 3).map(lambda e: 10.0**e)
solvers = st.sampled_from(["sgd", "adam", "lbfgs"])
activations = st.sampled_from(["identity", "logistic", "tanh", "relu"])


def _fit_quietly(est, X, y):
    """Fit; return whether it fitted.

    Convergence, divergence and clipped-batch warnings are expected on
    random data; a numpy RuntimeWarning is not.  A fit that diverged before
    any epoch improved refuses, and must leave the estimator unfitted.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)
        try:
            est.fit(X, y)
        except ValueError as exc:
            assert "diverged" in str(exc)
            assert not hasattr(est, "coefs_") and not hasattr(est, "n_features_in_")
            return False
    return True


def _data(seed, n_rows, n_features, scale):
    rng = np.random.RandomState(seed)
    return rng, rng.normal(size=(n_rows, n_features)) * scale


@SETTINGS
@given(
    shape=shapes,
    x_scale=scales,
    n_classes=st.integers(2, 4),
    solver=solvers,
    activation=activations,
    loss=st.sampled_from(["log_loss", "squared_error"]),
    seed=st.integers(0, 2**16),
)
def test_classifier_fits_and_predicts_any_valid_input(
    shape, x_scale, n_classes, solver, activation, loss, seed
):
    n_rows, n_features, hidden = shape
    n_rows = max(n_rows, 2)  # a classifier needs two classes, so two rows
    rng, X = _data(seed, n_rows, n_features, x_scale)
    y = rng.randint(n_classes, size=n_rows)
    y[:2] = [0, 1]
    clf = BackpropClassifier(
        hidden_layer_sizes=hidden,
        solver=solver,
        activation=activation,
        loss=loss,
        max_iter=8,
        random_state=seed,
    )
    if not _fit_quietly(clf, X, y):
        return
    assert all(np.isfinite(a).all() for a in clf.coefs_ + clf.intercepts_)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        proba = clf.predict_proba(X)
        log_proba = clf.predict_log_proba(X)
        labels = clf.predict(X)
    assert proba.shape == (n_rows, len(clf.classes_))
    assert np.isfinite(proba).all() and np.isfinite(log_proba).all()
    assert ((proba >= 0) & (proba <= 1)).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-7)
    assert np.isin(labels, clf.classes_).all()
    np.testing.assert_array_equal(labels, clf.classes_[proba.argmax(axis=1)])


@SETTINGS
@given(
    shape=shapes,
    x_scale=scales,
    y_scale=scales,
    n_outputs=st.integers(1, 3),
    solver=solvers,
    activation=activations,
    seed=st.integers(0, 2**16),
)
def test_regressor_fits_and_predicts_any_valid_input(
    shape, x_scale, y_scale, n_outputs, solver, activation, seed
):
    n_rows, n_features, hidden = shape
    rng, X = _data(seed, n_rows, n_features, x_scale)
    y = rng.normal(size=(n_rows, n_outputs)) * y_scale
    if n_outputs == 1:
        y = y[:, 0]
    reg = BackpropRegressor(
        hidden_layer_sizes=hidden,
        solver=solver,
        activation=activation,
        max_iter=8,
        random_state=seed,
    )
    if not _fit_quietly(reg, X, y):
        return
    assert all(np.isfinite(a).all() for a in reg.coefs_ + reg.intercepts_)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        pred = reg.predict(X)
    assert pred.shape == y.shape
    assert np.isfinite(pred).all()


@SETTINGS
@given(
    shape=shapes,
    x_scale=scales,
    solver=st.sampled_from(["sgd", "adam"]),
    activation=activations,
    batch_size=st.integers(1, 50),
    seed=st.integers(0, 2**16),
)
def test_partial_fit_keeps_a_finite_model(
    shape, x_scale, solver, activation, batch_size, seed
):
    n_rows, n_features, hidden = shape
    rng, X = _data(seed, n_rows, n_features, x_scale)
    y = (rng.uniform(size=n_rows) > 0.5).astype(int)
    clf = BackpropClassifier(
        hidden_layer_sizes=hidden,
        solver=solver,
        activation=activation,
        batch_size=batch_size,
        random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", UserWarning)
        for _ in range(3):
            try:
                clf.partial_fit(X, y, classes=[0, 1])
            except ValueError as exc:
                assert "diverged" in str(exc)
        if not hasattr(clf, "coefs_"):
            return
        proba = clf.predict_proba(X)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1)


@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_a_one_row_training_set_is_enough_for_the_regressor_only(Estimator):
    # The one row that a classifier refuses (one class) the regressor takes.
    X1, y1 = np.ones((1, 3)), np.array([1])
    est = Estimator(hidden_layer_sizes=(2,), max_iter=3, random_state=0)
    if Estimator is BackpropClassifier:
        with pytest.raises(ValueError, match="at least 2 classes"):
            est.fit(X1, y1)
    else:
        assert _fit_quietly(est, X1, y1)
        assert np.isfinite(est.predict(X1)).all()
