"""solver="lbfgs" ignores early_stopping, as MLPClassifier and MLPRegressor."""

import numpy as np
import pytest
from sklearn.datasets import make_circles, make_regression
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier, BackpropRegressor


@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_lbfgs_trains_on_every_row_under_early_stopping(Estimator):
    X, y = make_regression(n_samples=80, n_features=3, random_state=0)
    X = StandardScaler().fit_transform(X)
    if Estimator is BackpropClassifier:
        y = y > 0
    else:
        y = y / y.std()
    params = dict(hidden_layer_sizes=(5,), solver="lbfgs", max_iter=1000)
    params.update(random_state=0, alpha=1e-3, tol=0.0)
    plain = Estimator(**params).fit(X, y)
    early = Estimator(**params, early_stopping=True).fit(X, y)
    assert early.validation_scores_ is None
    assert early.best_validation_score_ is None
    assert early.n_iter_ == plain.n_iter_
    assert early.t_ == plain.t_ == plain.n_iter_ * X.shape[0]
    for a, b in zip(early.coefs_, plain.coefs_):
        np.testing.assert_array_equal(a, b)


def test_plot_mlp_alpha_circles_score_as_mlp():
    # scikit-learn's plot_mlp_alpha.py: circles, lbfgs, early_stopping=True.
    X, y = make_circles(noise=0.2, factor=0.5, random_state=1)
    X = StandardScaler().fit_transform(X)
    params = dict(
        solver="lbfgs",
        alpha=1.0,
        random_state=1,
        max_iter=2000,
        early_stopping=True,
        hidden_layer_sizes=[10, 10],
        activation="relu",
    )
    ours = BackpropClassifier(**params).fit(X, y)
    mlp = MLPClassifier(**params).fit(X, y)
    assert ours.validation_scores_ is None
    assert ours.score(X, y) == pytest.approx(mlp.score(X, y), abs=0.05)
    assert ours.score(X, y) > 0.8
