"""The support window: version-gated errors and the fallbacks of ``_compat``.

Each test runs on every scikit-learn of the window; the fallbacks for the
oldest versions run in CI's floors environment (scikit-learn 1.6).
"""

import numpy as np
import pytest
import sklearn
from sklearn.datasets import make_classification

from skbackprop import BackpropClassifier, BackpropRegressor, _compat
from skbackprop._arrays import to_host

X, y = make_classification(
    60, 4, n_informative=3, n_redundant=0, n_classes=3, random_state=0
)
FAST = dict(hidden_layer_sizes=(3,), max_iter=2, random_state=0)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_the_installed_scikit_learn_is_in_the_window():
    assert _compat.SKLEARN_VERSION >= _compat.SKLEARN_MIN
    assert _compat.SKLEARN_VERSION == tuple(
        int(p) for p in sklearn.__version__.split(".")[:2]
    )


def test_require_sklearn_names_the_version_needed():
    _compat.require_sklearn(_compat.SKLEARN_MIN, "anything")  # met: silent
    with pytest.raises(ImportError) as info:
        _compat.require_sklearn((99, 0), "Time travel")
    message = str(info.value)
    assert "Time travel needs scikit-learn >= 99.0" in message
    assert f"this is scikit-learn {sklearn.__version__}" in message


@pytest.mark.skipif(
    _compat.SKLEARN_VERSION >= _compat.CALLBACKS_MIN,
    reason="scikit-learn >= 1.9 has the callbacks (tests/test_callbacks.py)",
)
def test_set_callbacks_before_1_9_names_the_version():
    est = BackpropClassifier(**FAST)
    with pytest.raises(ImportError, match=r"scikit-learn >= 1\.9"):
        est.set_callbacks(object())
    est.fit(X, y)  # and fitting is untouched


def test_array_api_dispatch_on_a_too_old_scikit_learn_names_the_version(
    monkeypatch,
):
    # Where scikit-learn can dispatch at all (not on 1.6 without
    # array_api_compat): refused with the version needed before ARRAY_API_MIN.
    xp = pytest.importorskip("array_api_strict")
    try:
        with sklearn.config_context(array_api_dispatch=True):
            pass
    except (ImportError, RuntimeError) as exc:
        pytest.skip(f"this scikit-learn cannot dispatch at all: {exc}")
    monkeypatch.setattr(_compat, "ARRAY_API_SUPPORTED", False)
    monkeypatch.setattr(_compat, "SKLEARN_VERSION", _compat.SKLEARN_MIN)
    needed = _compat.version_text(_compat.ARRAY_API_MIN)
    est = BackpropClassifier(**FAST)
    with sklearn.config_context(array_api_dispatch=True):
        with pytest.raises(ImportError, match=f"scikit-learn >= {needed}"):
            est.fit(xp.asarray(X), xp.asarray(y))
        # numpy input under dispatch is still numpy's fit
        est.fit(X, y)
        assert isinstance(est.predict(X), np.ndarray)


def test_array_api_support_tag_follows_the_version():
    tags = BackpropRegressor().__sklearn_tags__()
    assert tags.array_api_support is _compat.ARRAY_API_SUPPORTED
    assert _compat.ARRAY_API_SUPPORTED == (
        _compat.SKLEARN_VERSION >= _compat.ARRAY_API_MIN
    )


@pytest.mark.skipif(
    _compat.SKLEARN_VERSION >= (1, 9),
    reason="scikit-learn >= 1.9 has move_estimator_to (tests/test_array_api.py)",
)
def test_move_estimator_to_before_1_9_names_the_version():
    est = BackpropClassifier(**FAST).fit(X, y)
    with pytest.raises(ImportError, match=r"move_estimator_to needs scikit-learn"):
        _compat.move_estimator_to(est, np, "cpu")


def test_partial_fit_with_classes_needs_no_array_api_compat():
    # scikit-learn 1.6 has no sklearn.externals.array_api_compat: to_host's
    # fallback leaves lists and numpy arrays as they are.
    est = BackpropClassifier(**FAST)
    est.partial_fit(X, y, classes=[0, 1, 2])
    est.partial_fit(X, y)
    assert list(est.classes_) == [0, 1, 2]
    assert to_host([0, 1]) == [0, 1]
    assert to_host(X) is X


def test_to_numpy_brings_another_librarys_array_to_the_host():
    xp = pytest.importorskip("array_api_strict")
    if _compat._array_api_compat() is None:
        # scikit-learn 1.6 without array_api_compat: no dispatch is possible,
        # so no such array reaches the estimators; it is left as it is.
        a = xp.asarray([1.0, 2.0])
        assert _compat.to_numpy(a) is a
        return
    host = _compat.to_numpy(xp.asarray([1.0, 2.0]))
    assert isinstance(host, np.ndarray)
    np.testing.assert_array_equal(host, [1.0, 2.0])


@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_sample_weight_as_a_list(Estimator):
    weights = [1.0, 2.0] * 30
    est = Estimator(**FAST).fit(X, y, sample_weight=weights)
    reference = Estimator(**FAST).fit(X, y, sample_weight=np.asarray(weights))
    np.testing.assert_array_equal(est.coefs_[0], reference.coefs_[0])


def test_all_zero_sample_weights_are_refused_on_every_version():
    with pytest.raises(ValueError, match="at least one non-zero"):
        _compat._check_sample_weight(np.zeros(3), np.ones((3, 1)))
    checked = _compat._check_sample_weight([0.0, 1.0, 0.0], np.ones((3, 1)))
    np.testing.assert_array_equal(checked, [0.0, 1.0, 0.0])


def test_no_private_scikit_learn_name_outside_compat():
    # Every private scikit-learn import of the package is in _compat.py;
    # the tests import them from there or behind a version gate.
    import pathlib
    import re

    package = pathlib.Path(_compat.__file__).parent
    private = re.compile(
        r"from sklearn[\w.]*\._\w+ import|from sklearn[\w.]* import \(?\s*_\w+"
    )
    offenders = [
        path.name
        for path in package.glob("*.py")
        if path.name != "_compat.py" and private.search(path.read_text())
    ]
    assert offenders == []
