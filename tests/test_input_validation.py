"""What the estimators refuse: bad data, bad parameters; inputs are never modified."""

import re

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from skbackprop import BackpropClassifier, BackpropRegressor

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

rng = np.random.RandomState(0)
X = rng.normal(size=(20, 3))
y_clf = np.array([0, 1] * 10)
y_reg = X @ np.array([1.0, -2.0, 0.5])
FAST = dict(hidden_layer_sizes=(3,), max_iter=3, random_state=0)


def _with(a, index, value):
    a = np.array(a, dtype=float)
    a[index] = value
    return a


# ----------------------------------------------------------------------------
# Bad data
# ----------------------------------------------------------------------------
BAD_FIT_DATA = [
    ("nan in X", _with(X, (3, 1), np.nan), None, None, "Input X contains NaN"),
    ("inf in X", _with(X, (3, 1), np.inf), None, None, "Input X contains infinity"),
    ("-inf in X", _with(X, (0, 0), -np.inf), None, None, "X contains infinity"),
    ("empty X", np.empty((0, 3)), np.empty(0), None, "0 sample"),
    ("no features", np.empty((20, 0)), None, None, "0 feature"),
    ("strings in X", np.array([["a", "b"]] * 20), None, None, "convert string"),
    ("complex X", X + 1j, None, None, "Complex data not supported"),
    ("3-d X", X[:, :, None], None, None, "3"),
    ("short y", X, "short", None, "inconsistent numbers of samples"),
    ("nan sample_weight", X, None, _with(np.ones(20), 2, np.nan), "sample_weight"),
    ("inf sample_weight", X, None, _with(np.ones(20), 2, np.inf), "sample_weight"),
    ("negative sample_weight", X, None, _with(np.ones(20), 2, -1), "Negative"),
    ("zero sample_weight", X, None, np.zeros(20), "non-zero"),
    ("short sample_weight", X, None, np.ones(19), r"sample_weight.shape"),
]


@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
@pytest.mark.parametrize(
    "Xb, yb, sw, message",
    [c[1:] for c in BAD_FIT_DATA],
    ids=[c[0] for c in BAD_FIT_DATA],
)
def test_bad_training_data_is_a_value_error_naming_it(Estimator, Xb, yb, sw, message):
    y = y_clf if Estimator is BackpropClassifier else y_reg
    if isinstance(yb, str):
        yb = y[:-1]
    elif yb is None:
        yb = y
    with pytest.raises(ValueError, match=message):
        Estimator(**FAST).fit(Xb, yb, sample_weight=sw)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_y_of_regressor_is_refused(bad):
    with pytest.raises(ValueError, match="Input y contains (NaN|infinity)"):
        BackpropRegressor(**FAST).fit(X, _with(y_reg, 4, bad))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_y_of_classifier_is_refused(bad):
    with pytest.raises(ValueError, match="Input y contains (NaN|infinity)"):
        BackpropClassifier(**FAST).fit(X, _with(y_clf, 4, bad))


@pytest.mark.parametrize("labels", [np.zeros(20), np.array(["a"] * 20)])
def test_single_class_is_refused(labels):
    with pytest.raises(ValueError, match="at least 2 classes"):
        BackpropClassifier(**FAST).fit(X, labels)


def test_continuous_y_of_classifier_is_refused():
    with pytest.raises(ValueError, match="Unknown label type"):
        BackpropClassifier(**FAST).fit(X, y_reg)


def test_logistic_output_needs_targets_in_unit_interval():
    with pytest.raises(ValueError, match=r"targets in \[0, 1\]"):
        BackpropRegressor(out_activation="logistic", **FAST).fit(X, y_reg)


@pytest.mark.parametrize(
    "bad_X, message",
    [
        (_with(X, (1, 2), np.nan), "Input X contains NaN"),
        (_with(X, (1, 2), np.inf), "Input X contains infinity"),
        (X[:, :2], "X has 2 features, but BackpropClassifier is expecting 3"),
        (np.hstack([X, X]), "X has 6 features"),
        (np.empty((0, 3)), "0 sample"),
        (np.array([["a", "b", "c"]]), "convert string"),
    ],
)
@pytest.mark.parametrize("method", ["predict", "predict_proba", "predict_log_proba"])
def test_bad_prediction_data_is_a_value_error(method, bad_X, message):
    clf = BackpropClassifier(**FAST).fit(X, y_clf)
    with pytest.raises(ValueError, match=message):
        getattr(clf, method)(bad_X)


def test_regressor_predict_refuses_wrong_features_and_nan():
    reg = BackpropRegressor(**FAST).fit(X, y_reg)
    with pytest.raises(ValueError, match="X has 4 features.*expecting 3"):
        reg.predict(np.hstack([X, X[:, :1]]))
    with pytest.raises(ValueError, match="NaN"):
        reg.predict(_with(X, (0, 0), np.nan))


def test_predict_before_fit_is_not_fitted_error():
    with pytest.raises(NotFittedError):
        BackpropClassifier().predict(X)
    with pytest.raises(NotFittedError):
        BackpropRegressor().predict(X)


@pytest.mark.parametrize(
    "Xb, sw, message",
    [
        (_with(X, (0, 0), np.nan), None, "Input X contains NaN"),
        (_with(X, (0, 0), np.inf), None, "Input X contains infinity"),
        (X, _with(np.ones(20), 0, np.nan), "sample_weight contains NaN"),
        (X, _with(np.ones(20), 0, -2.0), "Negative"),
    ],
)
def test_partial_fit_refuses_bad_data_on_first_and_later_calls(Xb, sw, message):
    clf = BackpropClassifier(solver="sgd", **FAST)
    with pytest.raises(ValueError, match=message):
        clf.partial_fit(Xb, y_clf, classes=[0, 1], sample_weight=sw)
    clf.partial_fit(X, y_clf, classes=[0, 1])
    before = [c.copy() for c in clf.coefs_]
    with pytest.raises(ValueError, match=message):
        clf.partial_fit(Xb, y_clf, sample_weight=sw)
    for a, b in zip(before, clf.coefs_):
        np.testing.assert_array_equal(a, b)


def test_partial_fit_refuses_a_different_number_of_features():
    reg = BackpropRegressor(solver="adam", **FAST).partial_fit(X, y_reg)
    with pytest.raises(ValueError, match="X has 2 features.*expecting 3"):
        reg.partial_fit(X[:, :2], y_reg)


def test_warm_start_refuses_a_different_number_of_features():
    clf = BackpropClassifier(warm_start=True, **FAST).fit(X, y_clf)
    with pytest.raises(ValueError, match="X has 2 features.*expecting 3"):
        clf.fit(X[:, :2], y_clf)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_coefs_init_is_refused(bad):
    coefs = [np.zeros((3, 3)), np.zeros((3, 1))]
    coefs[1][0, 0] = bad
    with pytest.raises(ValueError, match="coefs_init and intercepts_init must be"):
        BackpropRegressor(**FAST).fit(X, y_reg, coefs_init=coefs)


@pytest.mark.parametrize(
    "class_weight", [{0: -1.0, 1: 1.0}, {0: np.nan, 1: 1.0}, {0: np.inf, 1: 1.0}]
)
def test_bad_class_weight_values_are_refused(class_weight):
    # Negative or non-finite class weights used to train silently on negative
    # sample weights, or to "diverge" at once and keep the random weights.
    clf = BackpropClassifier(class_weight=class_weight, **FAST)
    with pytest.raises(ValueError, match="class_weight"):
        clf.fit(X, y_clf)


# ----------------------------------------------------------------------------
# Bad constructor parameters
# ----------------------------------------------------------------------------
_SHARED_BAD = {
    "hidden_layer_sizes": [(0,), (-3,), (4, 0), 0, -1, (2.5,), (True,), "abc"],
    "activation": ["sigmoid", "softmax", None],
    "solver": ["newton", None],
    "alpha": [-1e-3, np.nan, "big"],
    "batch_size": [0, -5, 2.5, "big"],
    "learning_rate": ["fast"],
    "learning_rate_init": [0, -0.1, np.nan, np.inf, "big"],
    "power_t": [-0.5],
    "max_iter": [0, -1, 2.5],
    "shuffle": ["yes"],
    "random_state": [-1, "seed"],
    "tol": [-1e-4, np.nan],
    "verbose": [-1, "loud"],
    "warm_start": ["no"],
    "momentum": [-0.1, 1.5, np.nan],
    "nesterovs_momentum": ["yes"],
    "early_stopping": ["yes"],
    "validation_fraction": [1, -0.1, 1.5],
    "beta_1": [1, -0.1],
    "beta_2": [1, -0.1],
    "epsilon": [0, -1e-8],
    "n_iter_no_change": [0, -1],
    "max_fun": [0],
    "n_init": [0, -1, 1.5],
    "precondition": ["standardise", True, "none"],
    "scoring": ["nope", 3],
}
BAD_PARAMS = {
    BackpropClassifier: {
        **_SHARED_BAD,
        "loss": ["hinge", "absolute_error"],
        "class_weight": ["auto", [1, 2]],
    },
    BackpropRegressor: {
        **_SHARED_BAD,
        "loss": ["log_loss"],
        "out_activation": ["softmax", "relu"],
    },
}
BAD_PARAM_CASES = [
    pytest.param(Est, name, value, id=f"{Est.__name__}-{name}={value!r}")
    for Est, params in BAD_PARAMS.items()
    for name, values in params.items()
    for value in values
]


@pytest.mark.parametrize("Estimator, name, value", BAD_PARAM_CASES)
def test_bad_parameter_is_a_value_error_at_fit_naming_it(Estimator, name, value):
    est = Estimator(**{**FAST, name: value})  # constructing never validates
    y = y_clf if Estimator is BackpropClassifier else y_reg
    with pytest.raises(ValueError, match=re.escape(name)):
        est.fit(X, y)


@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_every_parameter_has_a_bad_value_case(Estimator):
    assert set(BAD_PARAMS[Estimator]) == set(Estimator().get_params())


def test_bad_parameter_is_refused_by_partial_fit_too():
    with pytest.raises(ValueError, match="momentum"):
        BackpropClassifier(solver="sgd", momentum=2.0).partial_fit(
            X, y_clf, classes=[0, 1]
        )
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        BackpropRegressor(solver="sgd", hidden_layer_sizes=(2, -1)).partial_fit(
            X, y_reg
        )


def test_no_hidden_layer_is_a_valid_network():
    clf = BackpropClassifier(**{**FAST, "hidden_layer_sizes": ()}).fit(X, y_clf)
    assert [c.shape for c in clf.coefs_] == [(3, 1)]


# ----------------------------------------------------------------------------
# Inputs are never modified
# ----------------------------------------------------------------------------
def _frozen(a):
    a = np.array(a, copy=True)
    a.setflags(write=False)
    return a


FIT_SETTINGS = [
    dict(solver="sgd", batch_size=7),
    dict(solver="sgd", shuffle=False, batch_size=7),
    dict(solver="adam", early_stopping=True, validation_fraction=0.3),
    dict(solver="lbfgs"),
]


@pytest.mark.parametrize("settings", FIT_SETTINGS)
@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fit_never_modifies_its_inputs(Estimator, settings, dtype):
    y = y_clf if Estimator is BackpropClassifier else y_reg
    Xd = X.astype(dtype)
    sw = rng.uniform(0.5, 2.0, size=20).astype(dtype)
    coefs = [rng.normal(size=(3, 3)).astype(dtype), rng.normal(size=(3, 1))]
    intercepts = [rng.normal(size=3), rng.normal(size=1).astype(dtype)]
    saved = [a.copy() for a in [Xd, y, sw, *coefs, *intercepts]]
    est = Estimator(**{**FAST, "max_iter": 5, **settings})
    est.fit(Xd, y, sample_weight=sw, coefs_init=coefs, intercepts_init=intercepts)
    est.fit(Xd, y, sample_weight=sw)
    est.predict(Xd)
    for now, before in zip([Xd, y, sw, *coefs, *intercepts], saved):
        assert now.dtype == before.dtype
        np.testing.assert_array_equal(now, before)
    # The estimator's weights are its own, not views of coefs_init.
    for given, fitted in zip(coefs + intercepts, est.coefs_ + est.intercepts_):
        assert not np.shares_memory(given, fitted)


@pytest.mark.parametrize("settings", FIT_SETTINGS)
def test_fit_and_predict_accept_read_only_inputs(settings):
    # Read-only arrays raise on any in-place write, wherever it hides.
    Xr, yr, sw = _frozen(X), _frozen(y_clf), _frozen(rng.uniform(0.5, 2, size=20))
    coefs = [_frozen(np.full((3, 3), 0.1)), _frozen(np.full((3, 1), -0.1))]
    clf = BackpropClassifier(class_weight={0: 1.0, 1: 2.0}, **{**FAST, **settings})
    clf.fit(Xr, yr, sample_weight=sw, coefs_init=coefs)
    clf.predict_proba(Xr)
    if settings["solver"] != "lbfgs":
        clf.partial_fit(Xr, yr, sample_weight=sw)


def test_partial_fit_never_modifies_its_inputs():
    Xc, yc, sw = X.copy(), y_reg.copy(), np.linspace(0.1, 1, 20)
    saved = [Xc.copy(), yc.copy(), sw.copy()]
    reg = BackpropRegressor(solver="sgd", **FAST)
    for _ in range(3):
        reg.partial_fit(Xc, yc, sample_weight=sw)
    for now, before in zip([Xc, yc, sw], saved):
        np.testing.assert_array_equal(now, before)


@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_partial_fit_under_early_stopping_trains_without_validation(Estimator):
    # partial_fit holds no validation rows out; it used to crash on the
    # best_loss_ that early stopping leaves as None.
    y = y_clf if Estimator is BackpropClassifier else y_reg
    kwargs = {"classes": [0, 1]} if Estimator is BackpropClassifier else {}
    est = Estimator(solver="sgd", early_stopping=True, **FAST)
    est.partial_fit(X, y, **kwargs).partial_fit(X, y)
    # n_iter_ counts the last call's epochs, as in MLPClassifier.
    assert est.n_iter_ == 1 and len(est.loss_curve_) == 2
    assert np.isfinite(est.best_loss_)
    est = Estimator(solver="adam", early_stopping=True, warm_start=True, **FAST)
    est.fit(X, y).partial_fit(X, y)
    est.set_params(early_stopping=False).fit(X, y)
    assert est.n_iter_ == 3 and len(est.loss_curve_) == 3 + 1 + 3
