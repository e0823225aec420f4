"""skbackprop.dask with empty row blocks, and a fit_blocks that fails midway."""

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
import dask  # noqa: E402

from skbackprop import BackpropClassifier, BackpropRegressor  # noqa: E402
from skbackprop.dask import fit_blocks, predict, predict_proba, score  # noqa: E402

CHUNKS = (50, 0, 40, 0, 30)
rng = np.random.RandomState(0)
X = rng.normal(size=(sum(CHUNKS), 3))
y = (X[:, 0] > 0).astype(int)


def _blocks(a):
    edges = np.cumsum((0,) + CHUNKS)
    return [a[s:e] for s, e in zip(edges[:-1], edges[1:])]


def _clf():
    return BackpropClassifier(hidden_layer_sizes=(4,), random_state=0)


@pytest.fixture(autouse=True)
def _local_threads():
    with dask.config.set(scheduler="threads"):
        yield


def test_fit_blocks_skips_empty_blocks():
    Xd, yd = da.from_array(X, chunks=(CHUNKS, 3)), da.from_array(y, chunks=(CHUNKS,))
    est = fit_blocks(_clf(), Xd, yd, epochs=3, classes=[0, 1], random_state=0)
    loop = _clf()
    order = np.random.RandomState(0)
    Xb, yb = _blocks(X), _blocks(y)
    for _ in range(3):
        for i in order.permutation(len(CHUNKS)):
            if len(Xb[i]):
                loop.partial_fit(Xb[i], yb[i], classes=[0, 1])
    assert len(est.loss_curve_) == 9
    for a, b in zip(est.coefs_ + est.intercepts_, loop.coefs_ + loop.intercepts_):
        np.testing.assert_array_equal(a, b)


def test_predict_and_score_with_empty_blocks():
    clf = _clf().partial_fit(X, y, classes=[0, 1])
    reg = BackpropRegressor(hidden_layer_sizes=(4,), random_state=0)
    reg.partial_fit(X, X[:, :2])
    Xd = da.from_array(X, chunks=(CHUNKS, 3))
    np.testing.assert_array_equal(predict(clf, Xd).compute(), clf.predict(X))
    np.testing.assert_array_equal(
        predict_proba(clf, Xd).compute(), clf.predict_proba(X)
    )
    np.testing.assert_array_equal(predict(reg, Xd).compute(), reg.predict(X))
    assert score(clf, Xd, y) == pytest.approx(clf.score(X, y))
    assert score(reg, Xd, X[:, :2]) == pytest.approx(reg.score(X, X[:, :2]))


def test_all_blocks_empty_is_refused():
    Xd = da.from_array(np.empty((0, 3)), chunks=((0,), 3))
    with pytest.raises(ValueError, match="X has no rows"):
        fit_blocks(_clf(), Xd, np.empty(0, dtype=int), classes=[0, 1])


@pytest.mark.parametrize("fitted", [False, True])
def test_a_refused_block_leaves_the_estimator_as_it_was(fitted):
    X_bad = X.copy()
    X_bad[-1, 0] = np.nan  # in the last block, visited after the others
    est = _clf()
    if fitted:
        est.partial_fit(X, y, classes=[0, 1])
    before = {
        k: np.copy(v) if isinstance(v, np.ndarray) else v for k, v in vars(est).items()
    }
    coefs = [c.copy() for c in getattr(est, "coefs_", [])]
    Xd = da.from_array(X_bad, chunks=(CHUNKS, 3))
    yd = da.from_array(y, chunks=(CHUNKS,))
    with pytest.raises(ValueError, match="NaN"):
        fit_blocks(est, Xd, yd, classes=[0, 1], shuffle_blocks=False)
    assert set(vars(est)) == set(before)
    assert hasattr(est, "coefs_") == fitted
    for a, b in zip(getattr(est, "coefs_", []), coefs):
        np.testing.assert_array_equal(a, b)
    if fitted:
        assert len(est.loss_curve_) == 1
