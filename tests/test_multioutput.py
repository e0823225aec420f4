"""Multilabel classification and multi-output regression."""

import numpy as np
import pytest
from sklearn.datasets import make_multilabel_classification, make_regression

from skbackprop import BackpropClassifier, BackpropRegressor

# Shape tests train briefly: running out of epochs is expected here.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_multilabel_classification():
    X, Y = make_multilabel_classification(n_samples=200, n_classes=4, random_state=0)
    X = (X - X.mean(0)) / X.std(0)
    clf = BackpropClassifier(hidden_layer_sizes=(20,), solver="lbfgs", random_state=0)
    clf.fit(X, Y)
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2, 3])
    assert clf.n_outputs_ == 4 and clf.out_activation_ == "logistic"
    pred = clf.predict(X)
    assert pred.shape == Y.shape and set(np.unique(pred)) <= {0, 1}
    assert (pred == Y).mean() > 0.9
    proba = clf.predict_proba(X)
    assert proba.shape == (200, 4)
    np.testing.assert_array_equal(proba > 0.5, pred.astype(bool))


def test_multi_output_regression():
    X, Y = make_regression(
        n_samples=200, n_features=5, n_targets=3, noise=1.0, random_state=0
    )
    Y = (Y - Y.mean(0)) / Y.std(0)
    reg = BackpropRegressor(hidden_layer_sizes=(20,), solver="lbfgs", random_state=0)
    reg.fit(X, Y)
    assert reg.n_outputs_ == 3 and reg.predict(X).shape == (200, 3)
    assert reg.score(X, Y) > 0.95


def test_sparse_multilabel_targets():
    from scipy import sparse

    X, Y = make_multilabel_classification(n_samples=60, n_classes=3, random_state=0)
    params = dict(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0)
    dense = BackpropClassifier(**params).fit(X, Y)
    sp = BackpropClassifier(**params).fit(X, sparse.csr_matrix(Y))
    np.testing.assert_array_equal(dense.predict(X), sp.predict(X))
