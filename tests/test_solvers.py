"""The three solvers and the learning-rate schedules."""

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier, BackpropRegressor
from skbackprop._optimizers import SGD, Adam


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_every_solver_works_with_its_defaults(digits, solver):
    X_train, X_test, y_train, y_test = digits
    clf = BackpropClassifier(hidden_layer_sizes=(64,), solver=solver, random_state=0)
    clf.fit(X_train, y_train)
    assert clf.score(X_test, y_test) >= 0.95
    assert np.all(np.diff(clf.loss_curve_[:5]) < 0)


def test_lbfgs_respects_max_fun_and_records_its_loss_curve(digits):
    X_train, _, y_train, _ = digits
    clf = BackpropClassifier(hidden_layer_sizes=(8,), solver="lbfgs", max_fun=20)
    with pytest.warns(ConvergenceWarning):
        clf.fit(X_train, y_train)
    assert clf.n_iter_ <= 20
    assert len(clf.loss_curve_) == clf.n_iter_


def test_sgd_momentum_and_nesterov_steps():
    grad = np.array([1.0, -2.0])
    params = np.zeros(2)
    opt = SGD(2, np.float64, 0.1, momentum=0.5, nesterov=False)
    opt.step(params, grad)
    opt.step(params, grad)
    # v1 = -0.1 g, v2 = 0.5 v1 - 0.1 g = -0.15 g; w = v1 + v2
    np.testing.assert_allclose(params, -0.25 * grad)
    params = np.zeros(2)
    opt = SGD(2, np.float64, 0.1, momentum=0.5, nesterov=True)
    opt.step(params, grad)
    # v1 = -0.1 g; w = 0.5 v1 - 0.1 g
    np.testing.assert_allclose(params, -0.15 * grad)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    "momentum, nesterov", [(0.0, False), (0.9, False), (0.9, True)]
)
def test_sgd_steps_match_the_textbook_formulas(dtype, momentum, nesterov):
    # The optimizers update in place through level-1 BLAS; check them against
    # the formulas written out in plain numpy, over several steps.
    rng = np.random.RandomState(0)
    grads = rng.normal(size=(4, 50)).astype(dtype)
    params = rng.normal(size=50).astype(dtype)
    w, v = params.astype(np.float64), np.zeros(50)
    opt = SGD(50, dtype, 0.1, momentum=momentum, nesterov=nesterov)
    for g in grads:
        opt.step(params, g)
        v = momentum * v - 0.1 * g
        w = w + (momentum * v - 0.1 * g if nesterov else v)
    assert params.dtype == opt.velocity.dtype == dtype
    np.testing.assert_allclose(params, w, rtol=1e-5 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_adam_steps_match_the_textbook_formulas(dtype):
    rng = np.random.RandomState(0)
    grads = rng.normal(size=(4, 50)).astype(dtype)
    params = rng.normal(size=50).astype(dtype)
    w, m, v = params.astype(np.float64), np.zeros(50), np.zeros(50)
    opt = Adam(50, dtype, 0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-8)
    for t, g in enumerate(grads, start=1):
        opt.step(params, g)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g.astype(np.float64) ** 2
        lr = 0.01 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
        w = w - lr * m / (np.sqrt(v) + 1e-8)
    assert params.dtype == dtype
    np.testing.assert_allclose(params, w, rtol=1e-5 if dtype == np.float32 else 1e-12)


def test_axpy_and_scal_work_in_place_on_any_array():
    from skbackprop._arrays import NUMPY

    axpy, scal = NUMPY.axpy, NUMPY.scal

    y = np.arange(12.0)
    assert axpy(2.0, np.ones(12), y) is y  # contiguous: BLAS
    np.testing.assert_array_equal(y, np.arange(12.0) + 2)
    strided = np.arange(12.0)[::2]  # not contiguous: numpy
    axpy(-1.0, np.ones(6), strided)
    np.testing.assert_array_equal(strided, np.arange(0.0, 12, 2) - 1)
    base = np.arange(12.0)
    scal(0.5, base[::3])
    np.testing.assert_array_equal(base[::3], np.arange(0.0, 12, 3) / 2)
    assert scal(3.0, y) is y
    np.testing.assert_array_equal(y, (np.arange(12.0) + 2) * 3)


def test_axpy_and_scal_never_write_to_a_copy_or_a_read_only_array():
    from skbackprop._arrays import NUMPY

    axpy, scal = NUMPY.axpy, NUMPY.scal

    # Misaligned: BLAS would work on a copy and lose the update.
    raw = np.zeros(8 * 10 + 1, dtype=np.uint8)
    y = raw[1:].view(np.float64)
    assert not y.flags.aligned
    axpy(2.0, np.ones(10), y)
    scal(3.0, y)
    np.testing.assert_array_equal(y, np.full(10, 6.0))
    # Read-only: numpy's clear error, not a write through BLAS.
    frozen = np.zeros(10)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        axpy(1.0, np.ones(10), frozen)
    with pytest.raises(ValueError, match="read-only"):
        scal(2.0, frozen)
    np.testing.assert_array_equal(frozen, 0.0)
    empty = np.empty(0)
    assert axpy(1.0, np.empty(0), empty) is empty and scal(2.0, empty) is empty


def test_overlapping_holds_restore_scipys_threads_once_the_last_ends():
    from skbackprop._optimizers import _scipy_blas, scipy_blas_single_thread

    pools = _scipy_blas()
    if not pools.lib_controllers:
        pytest.skip("scipy shares numpy's BLAS here")
    before = [lib.num_threads for lib in pools.lib_controllers]
    first, second = scipy_blas_single_thread(), scipy_blas_single_thread()
    # As two fits in threads may: the first ends while the second runs.
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert all(lib.num_threads == 1 for lib in pools.lib_controllers)
    second.__exit__(None, None, None)
    assert [lib.num_threads for lib in pools.lib_controllers] == before


def test_adam_first_step_has_size_learning_rate():
    params = np.zeros(3)
    opt = Adam(3, np.float64, 0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-12)
    opt.step(params, np.array([3.0, -0.5, 1e-3]))
    np.testing.assert_allclose(params, [-0.01, 0.01, -0.01], rtol=1e-6)


def test_invscaling_schedule():
    opt = SGD(1, np.float64, 0.1, learning_rate="invscaling", power_t=0.5)
    opt.end_epoch(99)
    assert opt.learning_rate_ == pytest.approx(0.01)


def test_adaptive_schedule_divides_by_five_then_stops():
    opt = SGD(1, np.float64, 1e-4, learning_rate="adaptive")
    assert opt.stalled() is False and opt.learning_rate_ == pytest.approx(2e-5)
    assert opt.stalled() is False and opt.learning_rate_ == pytest.approx(4e-6)
    assert opt.stalled() is False and opt.learning_rate_ == pytest.approx(8e-7)
    assert opt.stalled() is True  # as MLPClassifier: stop once below 1e-6


def test_adaptive_learning_rate_trains_longer_than_constant(digits):
    X_train, _, y_train, _ = digits
    params = dict(
        hidden_layer_sizes=(16,), solver="sgd", random_state=0, tol=1e-2, max_iter=500
    )
    constant = BackpropClassifier(**params).fit(X_train, y_train)
    adaptive = BackpropClassifier(learning_rate="adaptive", **params)
    adaptive.fit(X_train, y_train)
    assert adaptive.n_iter_ > constant.n_iter_
    assert adaptive._optimizer.learning_rate_ < adaptive._learning_rate_init()


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_regressor_solvers(solver):
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 2))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2
    reg = BackpropRegressor(hidden_layer_sizes=(20,), solver=solver, random_state=0)
    lr = 0.1 if solver == "sgd" else 0.01
    reg.set_params(max_iter=2000, tol=1e-7, learning_rate_init=lr, batch_size=32)
    reg.fit(X, y)
    assert reg.score(X, y) > 0.9


# Two epochs learn nothing; fit says so as well.
@pytest.mark.filterwarnings("ignore::skbackprop.LearnedNothingWarning")
def test_max_iter_reached_is_a_convergence_warning():
    X = np.random.RandomState(0).normal(size=(40, 3))
    y = X[:, 0] > 0
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        BackpropClassifier(max_iter=2, random_state=0).fit(X, y)


def test_verbose_prints_one_line_per_epoch(capsys):
    X = np.random.RandomState(0).normal(size=(40, 3))
    y = X[:, 0] > 0
    with pytest.warns(ConvergenceWarning):
        BackpropClassifier(max_iter=3, verbose=True, random_state=0).fit(X, y)
    start, *lines = capsys.readouterr().out.strip().splitlines()
    assert start == (
        "Training a (3, 50, 1) network (logistic hidden, logistic output) with "
        "adam on 40 rows (float64), up to 3 epochs."
    )
    assert [line.split(",")[0] for line in lines] == [
        f"Iteration {i}" for i in (1, 2, 3)
    ]
    assert all("loss = " in line and line.endswith(" s") for line in lines)


# Five epochs are enough to see the threads; they do not converge.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("solver", ["lbfgs", "sgd", "adam"])
def test_training_holds_scipys_own_blas_to_one_thread(monkeypatch, solver):
    # numpy and scipy wheels ship separate OpenBLAS pools, which contend when
    # scipy's (L-BFGS-B, the optimizers' axpy) and numpy's (the network's
    # products) take turns.
    from skbackprop import _training
    from skbackprop._optimizers import _scipy_blas

    pools = _scipy_blas()
    if not pools.lib_controllers:
        pytest.skip("scipy shares numpy's BLAS here")
    before = [lib.num_threads for lib in pools.lib_controllers]
    if max(before) == 1:
        pytest.skip("scipy's BLAS runs on one thread anyway")
    seen = []
    real = _training.loss_and_gradient

    def spy(*args, **kwargs):
        seen.append([lib.num_threads for lib in _scipy_blas().lib_controllers])
        return real(*args, **kwargs)

    monkeypatch.setattr(_training, "loss_and_gradient", spy)
    X = np.random.RandomState(0).normal(size=(50, 3))
    BackpropClassifier(hidden_layer_sizes=(4,), solver=solver, max_iter=5).fit(
        X, X[:, 0] > 0
    )
    assert seen and all(threads == [1] * len(before) for threads in seen)
    assert [lib.num_threads for lib in _scipy_blas().lib_controllers] == before
