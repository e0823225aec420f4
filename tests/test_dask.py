"""Search on a dask cluster and out-of-core training on dask arrays."""

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import GridSearchCV, KFold, RandomizedSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier, BackpropRegressor

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")
import dask  # noqa: E402

from skbackprop.dask import (  # noqa: E402
    fit_blocks,
    predict,
    predict_log_proba,
    predict_proba,
    score,
)

X_iris, y_iris = load_iris(return_X_y=True)
CV = KFold(n_splits=3, shuffle=True, random_state=0)
# Settings that converge on iris within max_iter, so that no fit warns.
PIPE = make_pipeline(
    StandardScaler(),
    BackpropClassifier(
        hidden_layer_sizes=(4,), solver="lbfgs", max_iter=400, random_state=0
    ),
)
GRID = {
    "backpropclassifier__alpha": [1e-3, 1.0],
    "backpropclassifier__hidden_layer_sizes": [(3,), (6,)],
}


@contextmanager
def _client(processes):
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=processes,
        # Threads talk in-process; process workers only on the loopback.
        **({"host": "127.0.0.1"} if processes else {}),
        # No dashboard; the HTTP endpoints (/health, /metrics) on the loopback.
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        worker_dashboard_address="127.0.0.1:0",
        # A worker process that cannot start or reach the scheduler gives up.
        death_timeout=30,
    )
    with cluster, distributed.Client(cluster, timeout=30) as client:
        client.wait_for_workers(2, timeout=30)
        yield client


@pytest.fixture(scope="module")
def thread_client():
    with _client(processes=False) as client:
        yield client


def _weights(est):
    est = est[-1] if hasattr(est, "steps") else est
    return est.coefs_ + est.intercepts_


def _assert_same_weights(a, b):
    wa, wb = _weights(a), _weights(b)
    assert len(wa) == len(wb)
    for u, v in zip(wa, wb):
        np.testing.assert_array_equal(u, v)


def _assert_same_search(sequential, on_cluster):
    scores = [k for k in sequential.cv_results_ if k.endswith("score")]
    assert "split2_train_score" in scores
    for key in scores:
        np.testing.assert_array_equal(
            sequential.cv_results_[key], on_cluster.cv_results_[key], err_msg=key
        )
    assert on_cluster.best_params_ == sequential.best_params_
    assert on_cluster.best_index_ == sequential.best_index_
    _assert_same_weights(sequential.best_estimator_, on_cluster.best_estimator_)


def _searches():
    return [
        GridSearchCV(PIPE, GRID, cv=CV, return_train_score=True),
        RandomizedSearchCV(
            PIPE,
            {**GRID, "backpropclassifier__alpha": [1e-4, 1e-3, 1e-2, 0.1, 1.0]},
            n_iter=5,
            cv=CV,
            return_train_score=True,
            random_state=0,
        ),
    ]


@pytest.fixture(scope="module")
def sequential():
    return [search.fit(X_iris, y_iris) for search in _searches()]


# First, so that no thread cluster runs alongside (they share 2 cores in CI).
def test_process_workers_search_and_fit_blocks(sequential):
    """Both recipes on worker processes, as on a real cluster."""
    search = _searches()[0]
    # A failing task fails the run at once instead of being retried elsewhere.
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        _client(processes=True) as client,
    ):

        def run():
            _search_on(client, search)
            with client.as_current():
                _check_fit_blocks(carry_on=False)

        # Guard: a stuck cluster fails this test after a minute, not hanging.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(run).result(timeout=60)
    _assert_same_search(sequential[0], search)


def _search_on(client, search):
    """Fit ``search`` under joblib's dask backend; check that workers ran it."""
    with distributed.get_task_stream(client) as tasks:
        with joblib.parallel_backend("dask", wait_for_workers_timeout=30):
            search.fit(X_iris, y_iris)
    # joblib batches the fits into tasks, so there are fewer tasks than fits.
    workers = {task["worker"] for task in tasks.data}
    assert workers and workers <= set(client.scheduler_info()["workers"])


@pytest.mark.parametrize("i", [0, 1], ids=["grid", "randomized"])
def test_search_on_a_thread_cluster_is_the_sequential_search(
    thread_client, sequential, i
):
    search = _searches()[i]
    _search_on(thread_client, search)
    _assert_same_search(sequential[i], search)


# ----------------------------------------------------------------------
# Out-of-core training
# ----------------------------------------------------------------------
CHUNKS = (100, 70, 100, 100, 30)  # blocks of unequal size, none holds all rows


def _data(n_outputs=None):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(sum(CHUNKS), 4))
    w = rng.uniform(0.5, 2.0, size=X.shape[0])
    if n_outputs is None:
        y = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no").astype("U5")
        y[X[:, 2] > 1] = "maybe"
    else:
        y = X[:, :n_outputs] @ np.ones((n_outputs, n_outputs)) + 0.1 * X[:, [3]]
        y = y[:, 0] if n_outputs == 1 else y
    return X, y, w


def _blocks(a):
    edges = np.cumsum((0,) + CHUNKS)
    return [a[s:e] for s, e in zip(edges[:-1], edges[1:])]


def _in_memory_loop(est, X, y, w, epochs, seed, **kwargs):
    rng = np.random.RandomState(seed)
    Xb, yb, wb = _blocks(X), _blocks(y), _blocks(w)
    for _ in range(epochs):
        for i in rng.permutation(len(CHUNKS)):
            est.partial_fit(Xb[i], yb[i], sample_weight=wb[i], **kwargs)
    return est


def _dask(a, columns=False):
    chunks = (CHUNKS, 2) if columns else (CHUNKS,) + a.shape[1:]
    return da.from_array(a, chunks=chunks)


@pytest.mark.parametrize("where", ["local", "threads"])
def test_fit_blocks_is_the_loop_over_the_blocks_in_memory(where, request):
    if where == "threads":
        with request.getfixturevalue("thread_client").as_current():
            _check_fit_blocks()
    else:
        with dask.config.set(scheduler="threads"):
            _check_fit_blocks()


def _check_fit_blocks(carry_on=True):
    X, y, w = _data()
    classes = ["maybe", "no", "yes"]
    est = BackpropClassifier(hidden_layer_sizes=(5,), solver="adam", random_state=0)
    expected = _in_memory_loop(clone(est), X, y, w, 3, seed=7, classes=classes)
    # Column chunks and y chunked otherwise than X are joined and realigned.
    returned = fit_blocks(
        est,
        _dask(X, columns=True),
        da.from_array(y, chunks=50),
        epochs=3,
        classes=classes,
        sample_weight=_dask(w),
        random_state=7,
    )
    assert returned is est
    # One epoch of partial_fit per block and pass; 400 rows seen per pass.
    assert len(est.loss_curve_) == len(expected.loss_curve_) == 15
    assert est.t_ == expected.t_ == 3 * 400
    _assert_same_weights(est, expected)
    if not carry_on:
        return
    # The visiting order matters: blocks in their own order give other weights.
    in_order = fit_blocks(
        clone(est),
        _dask(X),
        y,
        epochs=3,
        classes=classes,
        sample_weight=w,
        shuffle_blocks=False,
    )
    assert not np.array_equal(in_order.coefs_[0], est.coefs_[0])
    # A fitted estimator carries on: two more epochs, as two more loop passes.
    fit_blocks(
        est, _dask(X), _dask(y), epochs=2, sample_weight=_dask(w), random_state=8
    )
    _in_memory_loop(expected, X, y, w, 2, seed=8)
    _assert_same_weights(est, expected)


def test_passes_with_one_random_state_are_one_call_with_epochs():
    X, y, w = _data()
    classes = ["maybe", "no", "yes"]
    est = BackpropClassifier(hidden_layer_sizes=(5,), solver="sgd", random_state=0)
    at_once = fit_blocks(
        clone(est), _dask(X), y, epochs=3, classes=classes, random_state=3
    )
    order = np.random.RandomState(3)
    for _ in range(3):
        fit_blocks(est, _dask(X), y, classes=classes, random_state=order)
    _assert_same_weights(est, at_once)


@pytest.mark.parametrize("n_outputs", [1, 2])
def test_fit_blocks_trains_a_regressor_on_a_cluster(thread_client, n_outputs):
    X, y, w = _data(n_outputs)
    est = BackpropRegressor(hidden_layer_sizes=(6,), solver="sgd", random_state=0)
    expected = _in_memory_loop(clone(est), X, y, w, 4, seed=0)
    fit_blocks(
        est, _dask(X), _dask(y), epochs=4, sample_weight=_dask(w), random_state=0
    )
    _assert_same_weights(est, expected)


# ----------------------------------------------------------------------
# Prediction and scoring on dask arrays
# ----------------------------------------------------------------------
def _fitted_classifier(multilabel=False):
    X, y, w = _data()
    if multilabel:
        y = np.column_stack([y == "yes", y == "no", X[:, 3] > 0]).astype(int)
    clf = BackpropClassifier(hidden_layer_sizes=(5,), solver="lbfgs", random_state=0)
    return clf.fit(X[:200], y[:200]), X, y, w


@pytest.mark.parametrize("multilabel", [False, True])
def test_predict_and_score_a_classifier_on_dask_arrays(thread_client, multilabel):
    clf, X, y, w = _fitted_classifier(multilabel)
    Xd = _dask(X, columns=True)
    labels = predict(clf, Xd)
    assert isinstance(labels, da.Array) and labels.chunks[0] == CHUNKS
    np.testing.assert_array_equal(labels.compute(), clf.predict(X))
    proba = predict_proba(clf, Xd)
    assert proba.chunks == (CHUNKS, (3,))
    np.testing.assert_allclose(proba.compute(), clf.predict_proba(X), rtol=1e-12)
    np.testing.assert_allclose(
        predict_log_proba(clf, Xd).compute(), clf.predict_log_proba(X), rtol=1e-12
    )
    for sw in (None, w):
        dw = None if sw is None else _dask(sw)
        expected = clf.score(X, y, sample_weight=sw)
        assert 0.3 < expected < 1
        assert score(clf, Xd, _dask(y), sample_weight=dw) == pytest.approx(
            expected, rel=1e-12
        )


@pytest.mark.parametrize("n_outputs", [1, 2])
def test_score_a_regressor_on_dask_arrays(n_outputs):
    X, y, w = _data(n_outputs)
    reg = BackpropRegressor(hidden_layer_sizes=(3,), solver="lbfgs", random_state=0)
    reg.fit(X[:100], y[:100])
    np.testing.assert_array_equal(predict(reg, _dask(X)).compute(), reg.predict(X))
    for sw in (None, w):
        dw = None if sw is None else _dask(sw)
        expected = reg.score(X, y, sample_weight=sw)
        assert 0.5 < expected < 1
        assert score(reg, _dask(X), y, sample_weight=dw) == pytest.approx(
            expected, rel=1e-12
        )


def test_score_follows_r2_for_constant_targets():
    X = _data()[0]
    y = np.column_stack([np.zeros(len(X)), np.ones(len(X))])
    # Predicts the first column exactly (R^2 1) and misses the second (R^2 0).
    reg = LinearRegression().fit(X, np.column_stack([y[:, 0], X[:, 0]]))
    assert reg.score(X, y) == 0.5
    assert score(reg, _dask(X), y) == 0.5


# ----------------------------------------------------------------------
# Refusals and the package without dask
# ----------------------------------------------------------------------
def test_clear_errors():
    X, y, _ = _data()
    clf = BackpropClassifier()
    with pytest.raises(ValueError, match="classes must be given"):
        fit_blocks(clf, _dask(X), y)
    with pytest.raises(TypeError, match="must be a dask array"):
        fit_blocks(clf, X, y, classes=["no", "yes", "maybe"])
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        fit_blocks(clf, _dask(X), y, epochs=0, classes=["no", "yes", "maybe"])
    with pytest.raises(ValueError, match="y has 10 rows but X has 400"):
        fit_blocks(clf, _dask(X), y[:10], classes=["no", "yes", "maybe"])
    with pytest.raises(TypeError, match="no partial_fit"):
        fit_blocks(LinearRegression(), _dask(X), y)
    with pytest.raises(ValueError, match="unknown length"):
        fit_blocks(clf, _dask(X)[_dask(X)[:, 0] > 0], y, classes=["no", "yes"])
    assert not hasattr(clf, "coefs_")


def test_the_package_works_without_dask():
    code = (
        "import sys\n"
        "sys.modules['dask'] = None\n"
        "import skbackprop\n"
        "skbackprop.BackpropRegressor(max_iter=5).fit([[0.], [1.]], [0., 1.])\n"
        "try:\n"
        "    import skbackprop.dask\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    out = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", code],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "pip install 'skbackprop[dask]'" in out
