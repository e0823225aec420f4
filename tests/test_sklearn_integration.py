"""The estimators in scikit-learn's machinery: Pipeline, search, CV, clone, pickle."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris, make_regression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier, BackpropRegressor

# Integration tests train briefly: running out of epochs is expected here.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

X_iris, y_iris = load_iris(return_X_y=True)


def test_pipeline_and_grid_search_in_parallel():
    pipe = make_pipeline(
        StandardScaler(), BackpropClassifier(hidden_layer_sizes=(8,), random_state=0)
    )
    search = GridSearchCV(
        pipe,
        {
            "backpropclassifier__alpha": [1e-4, 1e-2],
            "backpropclassifier__solver": ["sgd", "lbfgs"],
        },
        cv=3,
        n_jobs=2,
    ).fit(X_iris, y_iris)
    assert search.best_score_ > 0.9
    assert set(search.best_params_) == {
        "backpropclassifier__alpha",
        "backpropclassifier__solver",
    }


def test_cross_val_score_regressor():
    X, y = make_regression(n_samples=150, n_features=5, noise=1.0, random_state=0)
    reg = make_pipeline(
        StandardScaler(),
        BackpropRegressor(hidden_layer_sizes=(10,), solver="lbfgs", random_state=0),
    )
    y = (y - y.mean()) / y.std()
    assert cross_val_score(reg, X, y, cv=3).mean() > 0.9


def test_clone_keeps_parameters_and_drops_fit():
    clf = BackpropClassifier(hidden_layer_sizes=(3, 2), alpha=0.5).fit(X_iris, y_iris)
    copy = clone(clf)
    assert copy.get_params() == clf.get_params()
    assert not hasattr(copy, "coefs_")


@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_pickle_round_trip_gives_identical_predictions(Estimator):
    y = y_iris if Estimator is BackpropClassifier else X_iris[:, 0]
    est = Estimator(hidden_layer_sizes=(5,), random_state=0, max_iter=50)
    est.set_params(solver="lbfgs").fit(X_iris, y)
    loaded = pickle.loads(pickle.dumps(est))
    np.testing.assert_array_equal(loaded.predict(X_iris), est.predict(X_iris))


def test_string_labels():
    labels = np.array(["setosa", "versicolor", "virginica"])[y_iris]
    clf = BackpropClassifier(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0)
    clf.fit(X_iris, labels)
    np.testing.assert_array_equal(clf.classes_, ["setosa", "versicolor", "virginica"])
    assert set(clf.predict(X_iris)) <= set(labels)
    assert clf.score(X_iris, labels) > 0.9


def test_pandas_input_keeps_feature_names():
    df = pd.DataFrame(X_iris, columns=["sl", "sw", "pl", "pw"])
    clf = BackpropClassifier(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0)
    clf.fit(df, pd.Series(y_iris))
    np.testing.assert_array_equal(clf.feature_names_in_, ["sl", "sw", "pl", "pw"])
    with pytest.warns(UserWarning, match="feature names"):
        clf.predict(X_iris)
