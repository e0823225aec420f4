"""Drop-in parity with MLPClassifier and MLPRegressor, checked side by side."""

import inspect
import re
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from skbackprop import BackpropClassifier, BackpropRegressor
from skbackprop._compat import (
    SKLEARN_VERSION,
    Interval,
    Options,
    StrOptions,
    generate_valid_param,
    make_constraint,
)
from skbackprop._estimators import DOC_URL

ROOT = Path(__file__).resolve().parents[1]

PAIRS = [(MLPClassifier, BackpropClassifier), (MLPRegressor, BackpropRegressor)]
PAIR_IDS = ["classifier", "regressor"]

rng = np.random.RandomState(0)
X = rng.randn(60, 3)
Y = {
    BackpropClassifier: np.arange(60) % 2,
    MLPClassifier: np.arange(60) % 2,
    BackpropRegressor: X[:, 0] + 0.1 * X[:, 1],
    MLPRegressor: X[:, 0] + 0.1 * X[:, 1],
}
# sklearn's defaults, pinned where ours differ; small so the tests are fast.
PINNED = dict(
    hidden_layer_sizes=(5,),
    activation="relu",
    alpha=0.0001,
    learning_rate_init=0.001,
    random_state=0,
)


def _accepted_values(constraint):
    """Values that a constraint of sklearn's MLP accepts, endpoints included."""
    constraint = make_constraint(constraint)
    if isinstance(constraint, StrOptions | Options):
        return sorted(constraint.options, key=str)
    values = [generate_valid_param(constraint)]
    if isinstance(constraint, Interval) and constraint.left is not None:
        if constraint.closed in ("left", "both"):
            values.append(constraint.left)
    return values


@pytest.mark.parametrize(("MLP", "Ours"), PAIRS, ids=PAIR_IDS)
def test_every_value_mlp_accepts_is_accepted(MLP, Ours):
    for name, constraints in MLP._parameter_constraints.items():
        ours = [make_constraint(c) for c in Ours._parameter_constraints[name]]
        for constraint in constraints:
            for value in _accepted_values(constraint):
                assert any(c.is_satisfied_by(value) for c in ours), (name, value)


# 15 epochs of these settings learn nothing; fit says so as well.
@pytest.mark.filterwarnings("ignore::skbackprop.LearnedNothingWarning")
@pytest.mark.parametrize(("MLP", "Ours"), PAIRS, ids=PAIR_IDS)
def test_n_iter_no_change_inf_trains_max_iter_epochs(MLP, Ours):
    # tol so large that no epoch counts as an improvement: only the
    # n_iter_no_change=inf setting keeps training going to max_iter.
    params = dict(PINNED, n_iter_no_change=np.inf, tol=1e3, max_iter=15)
    for Estimator in (MLP, Ours):
        with pytest.warns(ConvergenceWarning, match="[Mm]aximum iterations"):
            est = Estimator(**params).fit(X, Y[Estimator])
        assert est.n_iter_ == 15, Estimator.__name__


@pytest.mark.parametrize(("MLP", "Ours"), PAIRS, ids=PAIR_IDS)
@pytest.mark.parametrize(("n_rows", "fraction"), [(2, 0.1), (10, 0.1), (40, 0.0)])
def test_early_stopping_refuses_a_validation_set_of_one_row(
    MLP, Ours, n_rows, fraction
):
    Xs, ys = X[:n_rows], Y[Ours][:n_rows]
    if SKLEARN_VERSION >= (1, 7):  # before, MLPRegressor validated on one row
        with pytest.raises(ValueError):
            MLP(**PINNED, early_stopping=True, validation_fraction=fraction).fit(Xs, ys)
    est = Ours(**PINNED, early_stopping=True, validation_fraction=fraction)
    with pytest.raises(ValueError, match="validation set is too small"):
        est.fit(Xs, ys)


@pytest.mark.parametrize(("MLP", "Ours"), PAIRS, ids=PAIR_IDS)
def test_early_stopping_with_two_validation_rows_trains(MLP, Ours):
    Xs, ys = X[:20], Y[Ours][:20]
    for Estimator in (MLP, Ours):
        est = Estimator(**PINNED, early_stopping=True, max_iter=3)
        with pytest.warns(ConvergenceWarning):
            est.fit(Xs, ys)
        assert np.isfinite(est.validation_scores_).all(), Estimator.__name__


@pytest.mark.parametrize("n_classes", [2, 4], ids=["fewer", "more"])
def test_warm_started_fit_needs_the_fitted_classes(n_classes):
    for Estimator in (MLPClassifier, BackpropClassifier):
        est = Estimator(**PINNED, max_iter=2, warm_start=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(X, np.arange(60) % 3)
        with pytest.raises(ValueError, match="same classes"):
            est.fit(X, np.arange(60) % n_classes)


def test_warm_started_fit_with_the_same_classes_continues():
    y3 = np.arange(60) % 3
    for Estimator in (MLPClassifier, BackpropClassifier):
        est = Estimator(**PINNED, max_iter=2, warm_start=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(X, y3).fit(X[:30], y3[:30])
        np.testing.assert_array_equal(est.classes_, [0, 1, 2])


def test_partial_fit_takes_a_subset_of_classes_and_refuses_new_ones():
    y3 = np.arange(60) % 3
    for Estimator in (MLPClassifier, BackpropClassifier):
        est = Estimator(**PINNED).partial_fit(X, y3, classes=[0, 1, 2])
        est.partial_fit(X[y3 < 2], y3[y3 < 2])
        with pytest.raises(ValueError):
            est.partial_fit(X[:4], [0, 1, 2, 3])


def test_partial_fit_under_warm_start_takes_a_subset_of_classes():
    # A documented difference: MLPClassifier applies its warm-start rule to
    # partial_fit as well, against its own docstring ("y doesn't need to
    # contain all labels in classes").
    y3 = np.arange(60) % 3
    mlp = MLPClassifier(**PINNED, warm_start=True).partial_fit(X, y3, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="same classes"):
        mlp.partial_fit(X[y3 < 2], y3[y3 < 2])
    ours = BackpropClassifier(**PINNED, warm_start=True)
    ours.partial_fit(X, y3, classes=[0, 1, 2]).partial_fit(X[y3 < 2], y3[y3 < 2])
    assert len(ours.loss_curve_) == 2


# Ours follow scikit-learn 1.7's MLPs, which added MLPRegressor's ``loss``
# (first) and ``sample_weight`` to fit and partial_fit.
MLP_1_7 = pytest.mark.skipif(
    SKLEARN_VERSION < (1, 7), reason="the MLPs' signatures of scikit-learn >= 1.7"
)


@MLP_1_7
@pytest.mark.parametrize(("MLP", "Ours"), PAIRS, ids=PAIR_IDS)
def test_constructor_takes_mlp_parameters_first_in_mlp_order(MLP, Ours):
    # Positional arguments then mean the same thing; our extra parameters
    # (n_init, scoring, ...) come after MLP's.
    mlp = list(inspect.signature(MLP).parameters.values())
    ours = list(inspect.signature(Ours).parameters.values())
    assert [p.name for p in ours[: len(mlp)]] == [p.name for p in mlp]
    assert [p.kind for p in ours[: len(mlp)]] == [p.kind for p in mlp]
    assert all(p.kind == p.KEYWORD_ONLY for p in ours[len(mlp) :])


@MLP_1_7
@pytest.mark.parametrize(("MLP", "Ours"), PAIRS, ids=PAIR_IDS)
def test_methods_take_mlp_arguments_first_in_mlp_order(MLP, Ours):
    methods = ["fit", "partial_fit", "predict", "predict_proba", "score"]
    for method in [m for m in methods if hasattr(MLP, m)]:
        mlp = list(inspect.signature(getattr(MLP, method)).parameters)
        ours = list(inspect.signature(getattr(Ours, method)).parameters)
        assert ours[: len(mlp)] == mlp, method


@pytest.mark.parametrize(("MLP", "Ours"), PAIRS, ids=PAIR_IDS)
def test_column_vector_y_warns_and_predicts_one_dimension(MLP, Ours):
    for Estimator in (MLP, Ours):
        est = Estimator(**PINNED, max_iter=2)
        with pytest.warns(DataConversionWarning, match="column-vector y"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                est.fit(X, Y[Ours][:, None])
        assert est.predict(X).shape == (60,), Estimator.__name__


def _api_page_anchors():
    """Anchors of the autoclass entries of docs/api.rst: ``module.Name``."""
    text = (ROOT / "docs" / "api.rst").read_text()
    module = re.search(r"^\.\. currentmodule:: (\S+)", text, re.M).group(1)
    names = re.findall(r"^\.\. autoclass:: (\S+)", text, re.M)
    return {f"{module}.{name}" for name in names}


@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_html_repr_links_to_the_api_page(Estimator):
    link = Estimator()._get_doc_link()
    assert link == f"{DOC_URL}api.html#skbackprop.{Estimator.__name__}"
    assert link.split("#")[1] in _api_page_anchors()
    assert f'href="{link}"' in Estimator()._repr_html_()


def test_documentation_url_is_the_one_in_pyproject():
    # Read with a pattern, not tomllib: Python 3.10 has none.
    text = (ROOT / "pyproject.toml").read_text()
    urls = text.split("[project.urls]", 1)[1].split("\n[", 1)[0]
    assert re.search(r'^Documentation = "([^"]+)"', urls, re.M).group(1) == DOC_URL
