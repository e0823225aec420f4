"""sample_weight and class_weight, and their routing through meta-estimators."""

import numpy as np
import pytest
import sklearn
from sklearn.datasets import load_iris
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier, BackpropRegressor
from skbackprop._compat import SKLEARN_VERSION

X, y = load_iris(return_X_y=True)
X = (X - X.mean(0)) / X.std(0)
LBFGS = dict(hidden_layer_sizes=(4,), solver="lbfgs", random_state=0, max_iter=100)
# A strong L2 term makes the minimum unique and well conditioned, so that
# rounding differences between two equivalent problems do not grow.
CONVEX = dict(LBFGS, alpha=10.0, tol=1e-10, max_iter=500)


def assert_same_model(a, b, atol=1e-7):
    for ca, cb in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_):
        np.testing.assert_allclose(ca, cb, rtol=0, atol=atol)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_integer_weights_equal_repeated_rows(Estimator):
    target = y if Estimator is BackpropClassifier else X[:, 0]
    Xf = X[:, 1:] if Estimator is BackpropRegressor else X
    sw = np.random.RandomState(0).randint(1, 4, size=len(target))
    weighted = Estimator(**CONVEX).fit(Xf, target, sample_weight=sw)
    repeated = Estimator(**CONVEX).fit(np.repeat(Xf, sw, 0), np.repeat(target, sw))
    assert_same_model(weighted, repeated)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_zero_weight_equals_dropping_the_row():
    sw = np.ones(len(y))
    sw[::3] = 0
    weighted = BackpropClassifier(**CONVEX).fit(X, y, sample_weight=sw)
    dropped = BackpropClassifier(**CONVEX).fit(X[sw > 0], y[sw > 0])
    assert_same_model(weighted, dropped)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_weights_act_in_partial_fit():
    sw = np.where(y == 2, 0.0, 1.0)
    params = dict(hidden_layer_sizes=(4,), random_state=0, shuffle=False)
    a = BackpropClassifier(**params).partial_fit(
        X, y, classes=[0, 1, 2], sample_weight=sw
    )
    b = BackpropClassifier(**params).partial_fit(X, y, classes=[0, 1, 2])
    assert not np.allclose(a.coefs_[0], b.coefs_[0])


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_class_weight_acts_as_matching_sample_weight():
    weights = {0: 1.0, 1: 3.0, 2: 0.5}
    by_class = BackpropClassifier(class_weight=weights, **LBFGS).fit(X, y)
    sw = np.array([weights[c] for c in y])
    by_sample = BackpropClassifier(**LBFGS).fit(X, y, sample_weight=sw)
    assert_same_model(by_class, by_sample, atol=0)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_balanced_class_weight():
    keep = np.r_[0:50, 50:60, 100:150]
    Xi, yi = X[keep], y[keep]
    counts = np.bincount(yi)
    sw = (len(yi) / (3 * counts))[yi]
    balanced = BackpropClassifier(class_weight="balanced", **LBFGS).fit(Xi, yi)
    by_sample = BackpropClassifier(**LBFGS).fit(Xi, yi, sample_weight=sw)
    assert_same_model(balanced, by_sample, atol=0)
    with pytest.raises(ValueError, match="partial_fit"):
        BackpropClassifier(class_weight="balanced").partial_fit(
            Xi, yi, classes=[0, 1, 2]
        )


def test_class_weight_multiplies_sample_weight():
    weights = {0: 2.0, 1: 1.0, 2: 1.0}
    sw = np.linspace(0.5, 1.5, len(y))
    a = BackpropClassifier(class_weight=weights, **LBFGS).fit(X, y, sample_weight=sw)
    b = BackpropClassifier(**LBFGS).fit(
        X, y, sample_weight=sw * np.where(y == 0, 2.0, 1.0)
    )
    assert_same_model(a, b, atol=0)


@pytest.fixture
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize(
    "scoring",
    [
        # The estimator's own score, through Pipeline.score: GridSearchCV
        # routes sample_weight there from scikit-learn 1.9 on.
        pytest.param(
            None,
            marks=pytest.mark.skipif(
                SKLEARN_VERSION < (1, 9),
                reason="GridSearchCV routes sample_weight to Pipeline.score "
                "from scikit-learn 1.9",
            ),
            id="score",
        ),
        pytest.param("scorer", id="scorer"),
    ],
)
def test_weights_are_routed_through_pipeline_and_grid_search(routing, scoring):
    from sklearn.metrics import accuracy_score, make_scorer

    if scoring == "scorer":
        scoring = make_scorer(accuracy_score).set_score_request(sample_weight=True)
    sw = np.where(y == 0, 5.0, 1.0)
    clf = BackpropClassifier(**LBFGS).set_fit_request(sample_weight=True)
    clf.set_score_request(sample_weight=True)
    pipe = make_pipeline(StandardScaler().set_fit_request(sample_weight=False), clf)
    pipe.fit(X, y, sample_weight=sw)
    direct = BackpropClassifier(**LBFGS).fit(
        StandardScaler().fit_transform(X), y, sample_weight=sw
    )
    assert_same_model(pipe[-1], direct, atol=1e-10)

    grid = {"backpropclassifier__alpha": [1e-4, 1.0]}
    search = GridSearchCV(pipe, grid, cv=3, scoring=scoring)
    search.fit(X, y, sample_weight=sw)
    assert search.best_score_ > 0.8
    unweighted = GridSearchCV(
        make_pipeline(StandardScaler(), BackpropClassifier(**LBFGS)),
        grid,
        cv=3,
        scoring=scoring,
    ).fit(X, y)
    assert not np.allclose(
        search.cv_results_["mean_test_score"],
        unweighted.cv_results_["mean_test_score"],
    )


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_weights_reach_scoring_through_cross_validation(routing):
    from sklearn.metrics import accuracy_score
    from sklearn.model_selection import KFold, cross_validate

    sw = np.where(y == 0, 5.0, 1.0)
    # Fit unweighted, score weighted: only the scores see the weights. The
    # L2 term keeps the model from a perfect score, where weights would not
    # change it.
    clf = BackpropClassifier(**LBFGS, alpha=0.03).set_fit_request(sample_weight=False)
    clf.set_score_request(sample_weight=True)
    cv = KFold(3, shuffle=True, random_state=0)
    result = cross_validate(
        clf, X, y, cv=cv, params={"sample_weight": sw}, return_estimator=True
    )
    for (_, test), est, score in zip(
        cv.split(X), result["estimator"], result["test_score"]
    ):
        expected = accuracy_score(y[test], est.predict(X[test]), sample_weight=sw[test])
        assert score == pytest.approx(expected)
        assert expected != pytest.approx(est.score(X[test], y[test]))
