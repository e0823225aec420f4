"""Array-API input (array-api-strict, torch): the same fit on the input's arrays.

scikit-learn's own array-API checks run in ``test_common.py``; these compare
the weights with the numpy fit's and cover what those checks do not.
"""

import numpy as np
import pytest
import sklearn
from sklearn.datasets import make_classification, make_regression

from skbackprop import BackpropClassifier, BackpropRegressor
from skbackprop._compat import (
    ARRAY_API_MIN,
    ARRAY_API_SUPPORTED,
    SKLEARN_VERSION,
    _convert_to_numpy,
    get_namespace,
    get_namespace_and_device,
    move_estimator_to,
    version_text,
)

if not ARRAY_API_SUPPORTED:
    pytest.skip(
        f"array API dispatch needs scikit-learn >= {version_text(ARRAY_API_MIN)}"
        " (tests/test_compat.py checks the error before it)",
        allow_module_level=True,
    )

LIBRARIES = [
    "array_api_strict",
    pytest.param("torch", marks=pytest.mark.filterwarnings("ignore::UserWarning")),
]


def _namespace(name):
    return pytest.importorskip(name)


def _host(a):
    with sklearn.config_context(array_api_dispatch=True):
        xp, _ = get_namespace(a)
        return _convert_to_numpy(a, xp)


def _data(kind, dtype):
    if kind == "classifier":
        X, y = make_classification(120, 6, n_informative=4, n_classes=3, random_state=0)
        return X.astype(dtype), y
    X, y = make_regression(120, 6, n_targets=2, noise=1.0, random_state=0)
    return X.astype(dtype), y / 100


def _fit_both(lib, kind, dtype, method="fit", **params):
    xp = _namespace(lib)
    X, y = _data(kind, dtype)
    Estimator = BackpropClassifier if kind == "classifier" else BackpropRegressor
    settings = dict(hidden_layer_sizes=(7, 5), max_iter=15, random_state=0)
    settings.update(params)
    kwargs = (
        {"classes": np.unique(y)}
        if method == "partial_fit" and kind == ("classifier")
        else {}
    )
    reference = getattr(Estimator(**settings), method)(X, y, **kwargs)
    X_xp, y_xp = xp.asarray(X), xp.asarray(y)
    if kwargs:
        kwargs = {"classes": xp.asarray(kwargs["classes"])}
    with sklearn.config_context(array_api_dispatch=True):
        fitted = getattr(Estimator(**settings), method)(X_xp, y_xp, **kwargs)
    return reference, fitted, X_xp, y_xp


def _assert_same_weights(reference, fitted, dtype, tol=None):
    tol = tol or (1e-12 if dtype == np.float64 else 1e-6)
    ours = fitted.coefs_ + fitted.intercepts_
    theirs = reference.coefs_ + reference.intercepts_
    for a, b in zip(ours, theirs):
        assert _host(a).dtype == b.dtype
        np.testing.assert_allclose(_host(a), b, rtol=0, atol=tol)
    np.testing.assert_allclose(fitted.loss_curve_, reference.loss_curve_, rtol=tol)


# Training on these small problems runs out of epochs, on purpose: the
# weights after 15 epochs are what is compared.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.mark.parametrize("lib", LIBRARIES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_stochastic_fit_matches_the_numpy_fit(lib, dtype, solver, kind):
    reference, fitted, *_ = _fit_both(lib, kind, dtype, solver=solver)
    _assert_same_weights(reference, fitted, dtype)


@pytest.mark.parametrize("lib", LIBRARIES)
@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_lbfgs_fit_matches_the_numpy_fit(lib, kind):
    # float64: scipy's L-BFGS-B sees the same objective and gradients to the
    # last bits.  (In float32 the line search amplifies the rounding
    # differences of another matrix-product order; see docs/gpu.rst.)
    reference, fitted, *_ = _fit_both(lib, kind, np.float64, solver="lbfgs")
    _assert_same_weights(reference, fitted, np.float64)


@pytest.mark.parametrize("lib", LIBRARIES)
def test_early_stopping_sample_and_class_weights_match_the_numpy_fit(lib):
    xp = _namespace(lib)
    X, y = _data("classifier", np.float64)
    w = np.linspace(0.5, 2.0, len(y))
    settings = dict(
        hidden_layer_sizes=(6,),
        max_iter=12,
        random_state=0,
        early_stopping=True,
        class_weight={0: 2.0},
    )
    reference = BackpropClassifier(**settings).fit(X, y, sample_weight=w)
    with sklearn.config_context(array_api_dispatch=True):
        fitted = BackpropClassifier(**settings).fit(
            xp.asarray(X), xp.asarray(y), sample_weight=xp.asarray(w)
        )
    _assert_same_weights(reference, fitted, np.float64)
    np.testing.assert_allclose(
        fitted.validation_scores_, reference.validation_scores_, rtol=1e-12
    )


@pytest.mark.parametrize("lib", LIBRARIES)
@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_partial_fit_and_warm_start_continue_on_the_device(lib, kind):
    reference, fitted, X_xp, y_xp = _fit_both(lib, kind, np.float64, "partial_fit")
    X, y = _data(kind, np.float64)
    reference.partial_fit(X, y)
    with sklearn.config_context(array_api_dispatch=True):
        fitted.partial_fit(X_xp, y_xp)
    _assert_same_weights(reference, fitted, np.float64)
    assert fitted.n_iter_ == 1 and fitted.t_ == 2 * len(y)
    reference.set_params(warm_start=True).fit(X, y)
    with sklearn.config_context(array_api_dispatch=True):
        fitted.set_params(warm_start=True).fit(X_xp, y_xp)
    _assert_same_weights(reference, fitted, np.float64)
    assert get_namespace(fitted.coefs_[0])[0] is not np


@pytest.mark.parametrize("lib", LIBRARIES)
def test_outputs_are_in_the_input_namespace(lib):
    xp = _namespace(lib)
    reference, fitted, X_xp, y_xp = _fit_both(lib, "classifier", np.float64)
    X, y = _data("classifier", np.float64)
    with sklearn.config_context(array_api_dispatch=True):
        for method in ("predict", "predict_proba", "predict_log_proba"):
            result = getattr(fitted, method)(X_xp)
            assert type(result) is type(X_xp), method
            np.testing.assert_allclose(
                _host(result), getattr(reference, method)(X), rtol=1e-12, atol=1e-12
            )
        score = fitted.score(X_xp, y_xp)
        trace = fitted.trace(X_xp[:2, ...], y_xp[:2])
    # scikit-learn's accuracy_score counts in torch's default float32.
    assert isinstance(score, float)
    assert score == pytest.approx(reference.score(X, y), abs=1e-7)
    expected = reference.trace(X[:2], y[:2])
    assert trace.loss == pytest.approx(expected.loss, rel=1e-12)
    for a, b in zip(trace.coef_grads, expected.coef_grads):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    assert xp.__name__ in type(fitted.coefs_[0]).__module__


@pytest.mark.parametrize("lib", LIBRARIES)
def test_string_labels_come_back_as_numpy(lib):
    xp = _namespace(lib)
    X, y = _data("classifier", np.float64)
    labels = np.array(["ant", "bee", "cat"])[y]
    with sklearn.config_context(array_api_dispatch=True):
        est = BackpropClassifier(hidden_layer_sizes=(5,), max_iter=5, random_state=0)
        est.fit(xp.asarray(X), labels)
        predicted = est.predict(xp.asarray(X))
    assert isinstance(predicted, np.ndarray)
    assert set(predicted) <= {"ant", "bee", "cat"}


@pytest.mark.parametrize("lib", LIBRARIES)
def test_other_namespaces_are_refused_after_fitting(lib):
    _, fitted, X_xp, _ = _fit_both(lib, "regressor", np.float64)
    X, y = _data("regressor", np.float64)
    with sklearn.config_context(array_api_dispatch=True):
        with pytest.raises(ValueError, match=r"BackpropRegressor.predict\(\) must"):
            fitted.predict(X)
        with pytest.raises(ValueError, match="same namespace"):
            fitted.set_params(warm_start=True).fit(X, y)
    with pytest.raises(ValueError, match="array API dispatch off"):
        fitted.predict(X_xp)


@pytest.mark.parametrize("lib", LIBRARIES)
@pytest.mark.skipif(
    SKLEARN_VERSION < (1, 9), reason="move_estimator_to needs scikit-learn >= 1.9"
)
def test_move_estimator_to_moves_weights_and_optimizer_state(lib):
    reference, fitted, X_xp, y_xp = _fit_both(lib, "classifier", np.float64)
    X, y = _data("classifier", np.float64)
    on_numpy = move_estimator_to(fitted, np, "cpu")
    assert all(isinstance(c, np.ndarray) for c in on_numpy.coefs_)
    np.testing.assert_allclose(on_numpy.predict_proba(X), reference.predict_proba(X))
    on_numpy.partial_fit(X, y)
    reference.partial_fit(X, y)
    _assert_same_weights(reference, on_numpy, np.float64)
    with sklearn.config_context(array_api_dispatch=True):
        xp_compat, _, device = get_namespace_and_device(X_xp)
        back = move_estimator_to(on_numpy, xp_compat, device)
        np.testing.assert_array_equal(_host(back.predict(X_xp)), reference.predict(X))
        back.partial_fit(X_xp, y_xp)
    reference.partial_fit(X, y)
    _assert_same_weights(reference, back, np.float64)
    assert isinstance(back.classes_, np.ndarray)


@pytest.mark.parametrize("lib", LIBRARIES)
def test_scoring_monitor_scores_the_device_weights_each_epoch(lib):
    callback = pytest.importorskip("sklearn.callback")
    xp = _namespace(lib)
    X, y = _data("classifier", np.float64)
    monitor = callback.ScoringMonitor(scoring="accuracy")
    est = BackpropClassifier(hidden_layer_sizes=(5,), max_iter=4, random_state=0)
    with sklearn.config_context(array_api_dispatch=True):
        est.set_callbacks(monitor).fit(xp.asarray(X), xp.asarray(y))
        score = est.score(xp.asarray(X), xp.asarray(y))
    epochs = [r for r in monitor.get_logs().data if r["task_name"] == "epoch"]
    assert len(epochs) == 4
    assert epochs[-1]["accuracy"] == pytest.approx(score, abs=1e-7)


# Indexing numpy with a tensor converts it through __array__, which a CUDA
# tensor refuses; on the CPU numpy only warns, so the warning fails the test.
@pytest.mark.filterwarnings("error::DeprecationWarning")
@pytest.mark.parametrize("lib", LIBRARIES)
@pytest.mark.parametrize("mix", ["y numpy", "y list", "X numpy"])
def test_mixed_inputs_follow_X(lib, mix):
    # Early stopping holds out rows of the user's X and y, whatever their types.
    xp = _namespace(lib)
    X, y = _data("classifier", np.float64)
    w = np.linspace(0.5, 2.0, len(y))
    settings = dict(hidden_layer_sizes=(5,), max_iter=5, random_state=0)
    reference = BackpropClassifier(early_stopping=True, **settings).fit(
        X, y, sample_weight=w
    )
    X_in = X if mix == "X numpy" else xp.asarray(X)
    y_in = {"y numpy": y, "y list": y.tolist(), "X numpy": xp.asarray(y)}[mix]
    with sklearn.config_context(array_api_dispatch=True):
        fitted = BackpropClassifier(early_stopping=True, **settings).fit(
            X_in, y_in, sample_weight=xp.asarray(w)
        )
    assert type(fitted.coefs_[0]) is type(X_in)
    _assert_same_weights(reference, fitted, np.float64)
    assert fitted.validation_scores_ == pytest.approx(reference.validation_scores_)


def test_partial_fit_classes_on_another_device():
    # array-api-strict's second device stands in for a GPU: nothing on it
    # converts to numpy implicitly, so classes must be brought over explicitly.
    xp = _namespace("array_api_strict")
    device = xp.Device("device1")
    X, y = _data("classifier", np.float64)
    reference = BackpropClassifier(hidden_layer_sizes=(4,), random_state=0)
    reference.partial_fit(X, y, classes=np.unique(y))
    with sklearn.config_context(array_api_dispatch=True):
        est = BackpropClassifier(hidden_layer_sizes=(4,), random_state=0)
        est.partial_fit(
            xp.asarray(X, device=device),
            xp.asarray(y, device=device),
            classes=xp.asarray(np.unique(y), device=device),
        )
    assert est.coefs_[0].device == device
    _assert_same_weights(reference, est, np.float64)


@pytest.mark.parametrize("lib", LIBRARIES)
def test_predict_promotes_X_of_another_float_dtype_as_numpy_does(lib):
    xp = _namespace(lib)
    reference, fitted, *_ = _fit_both(lib, "classifier", np.float64)
    X, _ = _data("classifier", np.float32)
    with sklearn.config_context(array_api_dispatch=True):
        proba = fitted.predict_proba(xp.asarray(X))
    np.testing.assert_allclose(_host(proba), reference.predict_proba(X), rtol=1e-12)


# Arrays have no column names: scikit-learn says so, rightly, when predicting.
@pytest.mark.filterwarnings("ignore:X does not have valid feature names")
@pytest.mark.parametrize("lib", LIBRARIES)
@pytest.mark.skipif(
    SKLEARN_VERSION < (1, 9), reason="move_estimator_to needs scikit-learn >= 1.9"
)
def test_a_model_fitted_on_a_dataframe_moves_with_its_feature_names(lib):
    pd = pytest.importorskip("pandas")

    xp = _namespace(lib)
    X, y = _data("classifier", np.float64)
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    est = BackpropClassifier(hidden_layer_sizes=(4,), max_iter=3, random_state=0)
    est.fit(frame, y)
    with sklearn.config_context(array_api_dispatch=True):
        moved = move_estimator_to(est, get_namespace(xp.asarray(X))[0], None)
        proba = moved.predict_proba(xp.asarray(X))
    assert list(moved.feature_names_in_) == list(frame.columns)
    np.testing.assert_allclose(_host(proba), est.predict_proba(frame), rtol=1e-12)
