"""partial_fit and warm_start: training that continues where it stopped."""

import numpy as np
import pytest
from sklearn.datasets import load_iris

from skbackprop import BackpropClassifier, BackpropRegressor

X, y = load_iris(return_X_y=True)
X = (X - X.mean(0)) / X.std(0)


def test_first_partial_fit_needs_classes():
    with pytest.raises(ValueError, match="classes must be given"):
        BackpropClassifier().partial_fit(X, y)


def test_partial_fit_learns_over_calls_and_sees_all_classes():
    clf = BackpropClassifier(hidden_layer_sizes=(8,), solver="sgd", random_state=0)
    clf.partial_fit(X[y == 0], y[y == 0], classes=[0, 1, 2])
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    for _ in range(100):
        clf.partial_fit(X, y)
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 101
    assert clf.t_ == 50 + 100 * 150
    assert clf.score(X, y) > 0.9


def test_partial_fit_rejects_unknown_labels_and_other_classes():
    clf = BackpropClassifier(hidden_layer_sizes=(3,)).partial_fit(
        X, y, classes=[0, 1, 2]
    )
    with pytest.raises(ValueError, match=r"labels not in classes_.*\[7\]"):
        clf.partial_fit(X[:2], [0, 7])
    with pytest.raises(ValueError, match="not the same as on the first call"):
        clf.partial_fit(X, y, classes=[0, 1, 2, 3])


@pytest.mark.parametrize("precondition", ["standardize", None])
def test_partial_fit_is_one_epoch_of_fit(precondition):
    # Under precondition="auto" a fresh partial_fit steps plainly, a fit in
    # standardised coordinates (tests/test_precondition.py).
    params = dict(
        hidden_layer_sizes=(5,),
        random_state=0,
        shuffle=False,
        precondition=precondition,
    )
    a = BackpropClassifier(max_iter=1, **params)
    with pytest.warns(Warning):
        a.fit(X, y)
    b = BackpropClassifier(**params).partial_fit(X, y, classes=[0, 1, 2])
    for ca, cb in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_array_equal(ca, cb)


def test_partial_fit_multilabel():
    Y = np.column_stack([y == 0, y == 1, X[:, 0] > 0]).astype(int)
    clf = BackpropClassifier(hidden_layer_sizes=(10,), random_state=0)
    clf.partial_fit(X, Y, classes=[0, 1, 2])
    first = clf.loss_
    for _ in range(200):
        clf.partial_fit(X, Y)
    assert clf.loss_ < first / 3
    assert (clf.predict(X) == Y).mean() > 0.9


def test_partial_fit_regressor():
    reg = BackpropRegressor(hidden_layer_sizes=(5,), solver="adam", random_state=0)
    for _ in range(300):
        reg.partial_fit(X[:, :3], X[:, 3])
    assert reg.score(X[:, :3], X[:, 3]) > 0.8


def test_partial_fit_is_not_offered_by_lbfgs():
    assert not hasattr(BackpropClassifier(solver="lbfgs"), "partial_fit")
    assert hasattr(BackpropClassifier(solver="adam"), "partial_fit")


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_warm_start_continues_training(solver):
    params = dict(hidden_layer_sizes=(5,), solver=solver, random_state=0)
    once = BackpropClassifier(max_iter=10, **params)
    with pytest.warns(Warning):
        once.fit(X, y)
    warm = BackpropClassifier(max_iter=10, warm_start=True, **params)
    with pytest.warns(Warning):
        warm.fit(X, y)
    loss_after_first = warm.loss_
    with pytest.warns(Warning):
        warm.fit(X, y)
    assert len(warm.loss_curve_) == 20
    assert warm.loss_ < loss_after_first
    # Without warm_start, a second fit starts afresh.
    with pytest.warns(Warning):
        once.fit(X, y)
    assert len(once.loss_curve_) == 10


def test_warm_start_starts_from_edited_weights():
    clf = BackpropClassifier(
        hidden_layer_sizes=(5,),
        max_iter=1,
        warm_start=True,
        momentum=0,
        learning_rate_init=1e-12,
    )
    with pytest.warns(Warning):
        clf.fit(X, y)
    clf.coefs_ = [np.zeros_like(c) for c in clf.coefs_]
    with pytest.warns(Warning):
        clf.fit(X, y)
    assert all(np.abs(c).max() < 1e-9 for c in clf.coefs_)


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_coefs_init_with_every_solver_and_warm_start(solver):
    coefs = [np.full((4, 3), 0.01), np.full((3, 3), 0.01)]
    intercepts = [np.zeros(3), np.zeros(3)]
    clf = BackpropClassifier(
        hidden_layer_sizes=(3,),
        solver=solver,
        warm_start=True,
        max_iter=1,
        random_state=0,
    )
    with pytest.warns(Warning):
        clf.fit(X, y)  # fitted from random weights
    with pytest.warns(Warning):
        clf.fit(X, y, coefs_init=coefs, intercepts_init=intercepts)
    # coefs_init wins over the warm start: one step from 0.01 stays near it.
    assert np.abs(clf.coefs_[0] - 0.01).max() < 0.2
    assert len(clf.loss_curve_) == 1


def test_warm_started_fit_uses_the_new_hyperparameters():
    clf = BackpropClassifier(
        hidden_layer_sizes=(8,),
        solver="sgd",
        learning_rate_init=0.1,
        momentum=0.9,
        max_iter=3,
        warm_start=True,
        random_state=0,
    )
    with pytest.warns(Warning):
        clf.fit(X, y)
    before = [c.copy() for c in clf.coefs_]
    clf.set_params(learning_rate_init=1e-12, momentum=0.0, max_iter=1)
    with pytest.warns(Warning):
        clf.fit(X, y)
    # No momentum left over from the first fit: the step is tiny.
    assert max(np.abs(a - b).max() for a, b in zip(clf.coefs_, before)) < 1e-9


def test_partial_fit_keeps_the_optimizer_state():
    clf = BackpropClassifier(hidden_layer_sizes=(4,), solver="adam", random_state=0)
    clf.partial_fit(X, y, classes=[0, 1, 2])
    clf.partial_fit(X, y)
    assert clf._optimizer.t == 2  # one adam step per call (150 rows, one batch)


def test_warm_start_refuses_a_loss_that_needs_another_output_layer():
    clf = BackpropClassifier(hidden_layer_sizes=(4,), max_iter=2, warm_start=True)
    with pytest.warns(Warning):
        clf.fit(X, y)
    clf.set_params(loss="squared_error")
    with pytest.raises(ValueError, match="softmax output layer"):
        clf.fit(X, y)
    reg = BackpropRegressor(hidden_layer_sizes=(3,), max_iter=2, warm_start=True)
    with pytest.warns(Warning):
        reg.fit(X[:, :3], (X[:, 3] > 0).astype(float))
    reg.set_params(out_activation="logistic")
    with pytest.raises(ValueError, match="identity output layer"):
        reg.fit(X[:, :3], (X[:, 3] > 0).astype(float))


def test_intercepts_init_alone_is_refused_on_a_warm_start_too():
    clf = BackpropClassifier(hidden_layer_sizes=(4,), max_iter=2, warm_start=True)
    with pytest.warns(Warning):
        clf.fit(X, y)
    with pytest.raises(ValueError, match="needs coefs_init"):
        clf.fit(X, y, intercepts_init=[np.zeros(4), np.zeros(3)])


def test_class_weight_dict_with_chunks_missing_a_class():
    clf = BackpropClassifier(hidden_layer_sizes=(4,), class_weight={0: 2.0})
    clf.partial_fit(X, y, classes=[0, 1, 2])
    clf.partial_fit(X[y > 0], y[y > 0])  # no class 0 in this chunk
    assert clf.n_iter_ == 1 and len(clf.loss_curve_) == 2
