"""The estimators' API: attributes, starting weights, sparse and float32 input."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import load_iris, make_classification

from skbackprop import BackpropClassifier, BackpropRegressor, backprop_trace

# API tests train for a few epochs: running out of them is expected here.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

X_iris, y_iris = load_iris(return_X_y=True)
X_iris = (X_iris - X_iris.mean(0)) / X_iris.std(0)


def test_fitted_attributes_of_classifier():
    clf = BackpropClassifier(hidden_layer_sizes=(6, 4), random_state=0).fit(
        X_iris, y_iris
    )
    assert [c.shape for c in clf.coefs_] == [(4, 6), (6, 4), (4, 3)]
    assert [b.shape for b in clf.intercepts_] == [(6,), (4,), (3,)]
    assert clf.n_layers_ == 4 and clf.n_outputs_ == 3
    assert clf.out_activation_ == "softmax"
    assert clf.n_features_in_ == 4
    assert len(clf.loss_curve_) == clf.n_iter_
    assert clf.t_ == clf.n_iter_ * X_iris.shape[0]
    assert clf.loss_ == clf.loss_curve_[-1]
    assert clf.best_loss_ == min(clf.loss_curve_)
    proba = clf.predict_proba(X_iris)
    np.testing.assert_allclose(proba.sum(axis=1), 1)
    np.testing.assert_allclose(np.exp(clf.predict_log_proba(X_iris)), proba)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(1)], clf.predict(X_iris))


def test_binary_uses_one_sigmoid_output():
    clf = BackpropClassifier(hidden_layer_sizes=(3,), random_state=0)
    clf.fit(X_iris, y_iris == 2)
    assert clf.n_outputs_ == 1 and clf.out_activation_ == "logistic"
    proba = clf.predict_proba(X_iris)
    assert proba.shape == (150, 2)
    np.testing.assert_array_equal(clf.predict(X_iris), proba[:, 1] > 0.5)


def test_squared_error_classifier_uses_sigmoid_outputs():
    clf = BackpropClassifier(
        hidden_layer_sizes=(5,), loss="squared_error", solver="lbfgs", random_state=0
    ).fit(X_iris, y_iris)
    assert clf.out_activation_ == "logistic"
    np.testing.assert_allclose(clf.predict_proba(X_iris).sum(axis=1), 1)
    assert clf.score(X_iris, y_iris) > 0.9


def test_predictions_read_the_edited_weights():
    clf = BackpropClassifier(hidden_layer_sizes=(5,), random_state=0)
    clf.fit(X_iris, y_iris)
    before = clf.predict_proba(X_iris)
    clf.coefs_[-1][:] = 0
    clf.intercepts_[-1][:] = [0.0, 5.0, 0.0]
    assert np.all(clf.predict(X_iris) == 1)
    clf.coefs_ = [np.zeros_like(c) for c in clf.coefs_]
    clf.intercepts_[-1][:] = [5.0, 0.0, 0.0]
    assert np.all(clf.predict(X_iris) == 0)
    assert not np.allclose(before, clf.predict_proba(X_iris))


def test_coefs_init_is_copied_and_used():
    coefs = [np.full((4, 3), 0.1), np.full((3, 3), -0.2)]
    intercepts = [np.zeros(3), np.zeros(3)]
    saved = [a.copy() for a in coefs + intercepts]
    clf = BackpropClassifier(hidden_layer_sizes=(3,), max_iter=1, random_state=0)
    with pytest.warns(Warning):
        clf.fit(X_iris, y_iris, coefs_init=coefs, intercepts_init=intercepts)
    for a, b in zip(coefs + intercepts, saved):
        np.testing.assert_array_equal(a, b)
    assert all(not np.shares_memory(c, d) for c, d in zip(coefs, clf.coefs_))
    # One epoch from these weights moves them only a little.
    assert np.abs(clf.coefs_[0] - 0.1).max() < 0.5


@pytest.mark.parametrize(
    "coefs, intercepts",
    [
        ([np.zeros((3, 3)), np.zeros((3, 3))], None),
        ([np.zeros((4, 3))], None),
        ([np.zeros((4, 3)), np.zeros((3, 3))], [np.zeros(2), np.zeros(3)]),
    ],
)
def test_coefs_init_shape_mismatch_is_a_clear_error(coefs, intercepts):
    clf = BackpropClassifier(hidden_layer_sizes=(3,))
    with pytest.raises(ValueError, match="coefs_init shapes"):
        clf.fit(X_iris, y_iris, coefs_init=coefs, intercepts_init=intercepts)


def test_online_learning_is_one_update_per_example_in_order():
    # batch_size=1 and shuffle=False: the tutorial's pseudocode, one sgd step per
    # example in the given order, each computed by a backprop trace.
    rng = np.random.RandomState(0)
    X = rng.normal(size=(5, 3))
    y = rng.uniform(size=(5, 2))
    coefs = [rng.normal(size=(3, 4)), rng.normal(size=(4, 2))]
    intercepts = [rng.normal(size=4), rng.normal(size=2)]
    reg = BackpropRegressor(
        hidden_layer_sizes=(4,),
        solver="sgd",
        out_activation="logistic",
        learning_rate_init=0.3,
        momentum=0,
        alpha=0,
        batch_size=1,
        max_iter=1,
        shuffle=False,
    )
    with pytest.warns(Warning):
        reg.fit(X, y, coefs_init=coefs, intercepts_init=intercepts)
    w, b = [c.copy() for c in coefs], [i.copy() for i in intercepts]
    for i in range(5):
        trace = backprop_trace(X[i : i + 1], y[i : i + 1], w, b)
        w = [c - 0.3 * g for c, g in zip(w, trace.coef_grads)]
        b = [c - 0.3 * g for c, g in zip(b, trace.intercept_grads)]
    for got, want in zip(reg.coefs_ + reg.intercepts_, w + b):
        np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("solver", ["sgd", "lbfgs"])
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_sparse_input_trains_as_dense(solver, fmt):
    X, y = make_classification(n_samples=80, n_features=6, random_state=0)
    X[X < 0.3] = 0
    params = dict(hidden_layer_sizes=(4,), solver=solver, random_state=0, max_iter=30)
    dense = BackpropClassifier(**params)
    sp = BackpropClassifier(**params)
    with pytest.warns(Warning):
        dense.fit(X, y)
    with pytest.warns(Warning):
        sp.fit(sparse.csr_matrix(X).asformat(fmt), y)
    for a, b in zip(dense.coefs_, sp.coefs_):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(
        dense.predict_proba(X), sp.predict_proba(sparse.csr_matrix(X))
    )


def test_float32_in_float32_out():
    X = X_iris.astype(np.float32)
    clf = BackpropClassifier(hidden_layer_sizes=(5,), random_state=0).fit(X, y_iris)
    assert all(c.dtype == np.float32 for c in clf.coefs_ + clf.intercepts_)
    assert clf.predict_proba(X).dtype == np.float32
    reg = BackpropRegressor(hidden_layer_sizes=(5,), random_state=0, max_iter=20)
    with pytest.warns(Warning):
        reg.fit(X[:, :3], X[:, 3])
    assert reg.predict(X[:, :3]).dtype == np.float32
    assert clf.score(X, y_iris) > 0.9


def test_regressor_1d_and_2d_targets():
    X = X_iris[:, :2]
    y = X_iris[:, 2]
    reg = BackpropRegressor(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0)
    assert reg.fit(X, y).predict(X).shape == (150,)
    assert reg.fit(X, X_iris[:, 2:]).predict(X).shape == (150, 2)
    assert reg.n_outputs_ == 2 and reg.out_activation_ == "identity"


def test_logistic_output_regressor_needs_targets_in_unit_interval():
    reg = BackpropRegressor(out_activation="logistic")
    with pytest.raises(ValueError, match=r"targets in \[0, 1\]"):
        reg.fit(X_iris, X_iris[:, 0])


def test_bad_hidden_layer_sizes_is_a_clear_error():
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        BackpropClassifier(hidden_layer_sizes=(3, 0)).fit(X_iris, y_iris)


def test_trace_of_a_fitted_estimator_is_its_next_gradient():
    clf = BackpropClassifier(hidden_layer_sizes=(4,), solver="lbfgs", random_state=0)
    clf.fit(X_iris, y_iris)
    trace = clf.trace(X_iris[:10], y_iris[:10])
    assert [n.shape for n in trace.net] == [(10, 4), (10, 3)]
    np.testing.assert_allclose(trace.out[-1], clf.predict_proba(X_iris[:10]))
    assert trace.loss > 0
    before = [c.copy() for c in clf.coefs_]
    clf.trace(X_iris, y_iris)
    for a, b in zip(before, clf.coefs_):
        np.testing.assert_array_equal(a, b)
    assert "delta" in str(trace) and "o3" in str(trace)
