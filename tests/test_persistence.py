"""pickle, joblib and skops.io round-trips; the saved state is easy to trust."""

import io
import pickle

import joblib
import numpy as np
import pytest
from sklearn.datasets import make_classification

from skbackprop import BackpropClassifier, BackpropRegressor

sio = pytest.importorskip("skops.io")

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

X, y_clf = make_classification(
    n_samples=60, n_features=5, n_informative=3, n_classes=3, random_state=0
)
y_reg = X @ np.arange(1.0, 6.0)
y_multilabel = np.stack([y_clf == 0, y_clf == 1], axis=1).astype(int)


def _pickle(est):
    return pickle.loads(pickle.dumps(est))


def _joblib(est):
    buffer = io.BytesIO()
    joblib.dump(est, buffer)
    buffer.seek(0)
    return joblib.load(buffer)


def _skops(est):
    data = sio.dumps(est)
    return sio.loads(data, trusted=sio.get_untrusted_types(data=data))


ROUND_TRIPS = {"pickle": _pickle, "joblib": _joblib, "skops": _skops}

MODELS = {
    "clf-sgd": (BackpropClassifier(solver="sgd"), y_clf),
    "clf-adam-early": (BackpropClassifier(early_stopping=True), y_clf),
    "clf-lbfgs-binary": (BackpropClassifier(solver="lbfgs"), y_clf == 1),
    "clf-multilabel": (BackpropClassifier(), y_multilabel),
    "clf-strings": (BackpropClassifier(solver="sgd"), np.array(list("abc"))[y_clf]),
    "reg-adam": (BackpropRegressor(), y_reg),
    "reg-sgd-2d": (BackpropRegressor(solver="sgd"), np.c_[y_reg, -y_reg]),
    "reg-lbfgs-logistic": (
        BackpropRegressor(solver="lbfgs", out_activation="logistic"),
        (y_reg - y_reg.min()) / np.ptp(y_reg),
    ),
}


def _fitted(name):
    est, y = MODELS[name]
    est = est.set_params(hidden_layer_sizes=(6,), max_iter=10, random_state=0)
    return est.fit(X, y), y


def _outputs(est):
    methods = ["predict", "predict_proba", "predict_log_proba"]
    return [getattr(est, m)(X) for m in methods if hasattr(est, m)]


@pytest.mark.parametrize("how", ROUND_TRIPS)
@pytest.mark.parametrize("name", MODELS)
def test_round_trip_gives_identical_predictions(name, how):
    est, y = _fitted(name)
    loaded = ROUND_TRIPS[how](est)
    assert type(loaded) is type(est)
    for a, b in zip(_outputs(est), _outputs(loaded)):
        np.testing.assert_array_equal(a, b)
    assert loaded.score(X, y) == est.score(X, y)
    for a, b in zip(est.coefs_ + est.intercepts_, loaded.coefs_ + loaded.intercepts_):
        assert a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    assert loaded.get_params() == est.get_params()


@pytest.mark.parametrize("how", ROUND_TRIPS)
@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_training_goes_on_identically_after_a_round_trip(solver, how):
    # The optimizer's state (momentum, Adam's moments) is saved and restored.
    est = BackpropRegressor(
        hidden_layer_sizes=(6,), solver=solver, max_iter=5, random_state=0
    ).fit(X, y_reg)
    loaded = ROUND_TRIPS[how](est)
    for model in (est, loaded):
        model.partial_fit(X, y_reg)
        model.set_params(warm_start=True).fit(X, y_reg)
    for a, b in zip(est.coefs_ + est.intercepts_, loaded.coefs_ + loaded.intercepts_):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_partial_fit_goes_on_after_a_read_only_memory_mapped_load(solver, tmp_path):
    # joblib hands back read-only arrays; the optimizer must not write to them.
    est = BackpropRegressor(
        hidden_layer_sizes=(300,), solver=solver, max_iter=2, random_state=0
    ).fit(X, y_reg)
    path = tmp_path / "model.joblib"
    joblib.dump(est, path)
    loaded = joblib.load(path, mmap_mode="r")
    est.partial_fit(X, y_reg)
    loaded.partial_fit(X, y_reg)
    for a, b in zip(est.coefs_ + est.intercepts_, loaded.coefs_ + loaded.intercepts_):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("how", ROUND_TRIPS)
def test_unfitted_estimator_round_trips(how):
    est = BackpropClassifier(hidden_layer_sizes=(3, 2), alpha=0.5)
    loaded = ROUND_TRIPS[how](est)
    assert loaded.get_params() == est.get_params()
    assert not hasattr(loaded, "coefs_")


@pytest.mark.parametrize("name", MODELS)
def test_skops_lists_only_the_estimator_class_as_untrusted(name):
    est, _ = _fitted(name)
    data = sio.dumps(est)
    expected = f"skbackprop._estimators.{type(est).__name__}"
    assert sio.get_untrusted_types(data=data) == [expected]


def test_skops_refuses_to_load_untrusted_types_by_default(tmp_path):
    est, _ = _fitted("clf-sgd")
    path = tmp_path / "model.skops"
    sio.dump(est, path)
    with pytest.raises(Exception, match="[Uu]ntrusted"):
        sio.load(path)
    loaded = sio.load(path, trusted=["skbackprop._estimators.BackpropClassifier"])
    np.testing.assert_array_equal(loaded.predict(X), est.predict(X))


PLAIN = (np.ndarray, str, int, float, bool, type(None), np.generic)


def _is_plain(value):
    if isinstance(value, list | tuple):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    if isinstance(value, np.ndarray):
        return value.dtype != object
    return isinstance(value, PLAIN)


@pytest.mark.parametrize("name", MODELS)
def test_saved_state_is_plain_arrays_and_builtins(name):
    est, _ = _fitted(name)
    state = est.__getstate__()
    odd = {k: type(v).__name__ for k, v in state.items() if not _is_plain(v)}
    assert not odd
    # Saving leaves the live estimator as it was.
    assert not isinstance(est.__dict__.get("_optimizer"), dict)
