"""precondition: adam and sgd stepping the first layer in standardised coordinates."""

import pickle
import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning

from skbackprop import BackpropClassifier, BackpropRegressor
from skbackprop._network import init_params

rng = np.random.RandomState(0)
X, y = make_classification(120, 4, n_informative=3, n_redundant=0, random_state=0)
X = X * [2.0, 0.5, 1.0, 0.2] + [3.0, -2.0, 1.0, 0.0]  # uncentred, unscaled
SETTINGS = dict(
    hidden_layer_sizes=(7,),
    alpha=0.0,
    max_iter=20,
    tol=0.0,
    n_iter_no_change=1000,
    random_state=0,
)


def _fit(X, y, **params):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return BackpropClassifier(**{**SETTINGS, **params}).fit(X, y)


def _mapped_fit(Estimator, X, y, settings):
    """The same network trained by the plain path on standardised ``X``.

    Its start is the drawn one mapped there, so that both start as the
    same function; its first layer is then mapped back to ``X``'s units.
    Returns that first layer's weights and biases, and the plain fit.
    """
    mean, scale = X.mean(axis=0), X.std(axis=0)
    n_out = y.shape[1] if y.ndim > 1 else 1
    units = [X.shape[1], *settings["hidden_layer_sizes"], n_out]
    start = init_params(units, "logistic", np.random.RandomState(0))
    W, b = start.coefs[0], start.intercepts[0]
    plain = Estimator(**{**settings, "precondition": None})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        plain.fit(
            (X - mean) / scale,
            y,
            coefs_init=[W * scale[:, None], *start.coefs[1:]],
            intercepts_init=[b + mean @ W, *start.intercepts[1:]],
        )
    W_back = plain.coefs_[0] / scale[:, None]
    return W_back, plain.intercepts_[0] - mean @ W_back, plain


@pytest.mark.parametrize("solver", ["adam", "sgd"])
def test_steps_are_those_of_standardised_inputs(solver):
    ours = _fit(X, y, solver=solver, precondition="standardize")
    W, b, plain = _mapped_fit(BackpropClassifier, X, y, {**SETTINGS, "solver": solver})
    np.testing.assert_allclose(ours.coefs_[0], W, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours.intercepts_[0], b, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(ours.coefs_[1], plain.coefs_[1], rtol=1e-9)
    np.testing.assert_allclose(ours.loss_curve_, plain.loss_curve_, rtol=1e-9)


def test_the_path_differs_from_the_plain_one():
    standardised = _fit(X, y, precondition="standardize")
    plain = _fit(X, y, precondition=None)
    assert not np.allclose(standardised.coefs_[0], plain.coefs_[0])


@pytest.mark.parametrize(
    ("settings", "same_as"),
    [
        ({"solver": "adam"}, "standardize"),
        # A rate set by hand keeps MLP's path; sgd keeps the tutorial's step.
        ({"solver": "adam", "learning_rate_init": 0.01}, None),
        ({"solver": "sgd"}, None),
    ],
)
def test_auto_standardises_adam_at_its_automatic_rate_only(settings, same_as):
    auto = _fit(X, y, **settings)
    assert auto.precondition == "auto"
    other = _fit(X, y, **settings, precondition=same_as)
    np.testing.assert_array_equal(auto.coefs_[0], other.coefs_[0])
    assert (auto._optimizer.input_mean is None) == (same_as is None)


def test_lbfgs_ignores_it():
    a = _fit(X, y, solver="lbfgs", precondition="standardize")
    b = _fit(X, y, solver="lbfgs", precondition=None)
    np.testing.assert_array_equal(a.coefs_[0], b.coefs_[0])


def test_sample_weight_weights_the_mean_and_deviation():
    # Integer weights are repeated rows: the same coordinates, the same fit
    # (no shuffling, one batch: the same steps).
    w = rng.randint(1, 4, size=X.shape[0]).astype(float)
    repeated = np.repeat(np.arange(X.shape[0]), w.astype(int))
    weighted = BackpropClassifier(**SETTINGS, shuffle=False, batch_size=len(X))
    copies = BackpropClassifier(**SETTINGS, shuffle=False, batch_size=len(repeated))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        weighted.fit(X, y, sample_weight=w)
        copies.fit(X[repeated], y[repeated])
    np.testing.assert_allclose(weighted.coefs_[0], copies.coefs_[0], rtol=1e-7)
    np.testing.assert_allclose(
        weighted._optimizer.input_mean, np.average(X, axis=0, weights=w)
    )


def test_sparse_and_dense_coordinates_agree_on_a_large_offset():
    # 1e4 plus a small variation: E[x^2] - mean^2 would cancel to rounding.
    Xo = np.column_stack([1e4 + 1e-3 * rng.normal(size=X.shape[0]), X[:, 1]])
    dense, sp = _fit(Xo, y), _fit(sparse.csr_matrix(Xo), y)
    np.testing.assert_allclose(
        sp._optimizer.input_scale, dense._optimizer.input_scale, rtol=1e-9
    )
    np.testing.assert_allclose(dense._optimizer.input_scale.ravel(), Xo.std(axis=0))


def test_sparse_input_takes_the_same_steps():
    Xs = X.copy()
    Xs[Xs < 0.5] = 0.0
    dense = _fit(Xs, y)
    for fmt in ("csr", "csc"):
        sp = _fit(sparse.csr_matrix(Xs).asformat(fmt), y)
        np.testing.assert_allclose(sp.coefs_[0], dense.coefs_[0], rtol=1e-7)


def test_a_constant_feature_keeps_scale_one():
    Xc = X.copy()
    Xc[:, 1] = 7.0
    Xc[::2, 2] = 100.0 * (1 + 4 * np.finfo(float).eps)  # rounding noise
    Xc[1::2, 2] = 100.0
    for data in (Xc, sparse.csr_matrix(Xc), Xc.astype(np.float32)):
        clf = _fit(data, y)
        scale = clf._optimizer.input_scale.ravel()
        # Left in its own units: centred, its gradient would be rounding.
        assert scale[1] == 1.0 and scale[2] == 1.0
        assert clf._optimizer.input_mean[1] == clf._optimizer.input_mean[2] == 0
        np.testing.assert_allclose(scale[[0, 3]], Xc[:, [0, 3]].std(axis=0), rtol=1e-6)
        assert all(np.isfinite(c).all() for c in clf.coefs_)


def test_partial_fit_keeps_the_first_calls_coordinates():
    clf = BackpropClassifier(
        hidden_layer_sizes=(5,), random_state=0, precondition="standardize"
    )
    clf.partial_fit(X[:60], y[:60], classes=[0, 1])
    mean = clf._optimizer.input_mean.copy()
    np.testing.assert_allclose(mean, X[:60].mean(axis=0))
    clf.partial_fit(X[60:] + 2.0, y[60:])
    np.testing.assert_array_equal(clf._optimizer.input_mean, mean)
    # A saved model goes on in the same coordinates.
    loaded = pickle.loads(pickle.dumps(clf))
    clf.partial_fit(X[60:], y[60:])
    loaded.partial_fit(X[60:], y[60:])
    np.testing.assert_array_equal(clf.coefs_[0], loaded.coefs_[0])


def test_auto_partial_fit_steps_plainly_unless_it_continues_a_fit():
    # One call's rows need not stand for the data: a fresh partial_fit takes
    # MLP's path; after a fit it goes on in the fit's coordinates.
    fresh = BackpropClassifier(hidden_layer_sizes=(5,), random_state=0)
    fresh.partial_fit(X[:60], y[:60], classes=[0, 1])
    assert fresh._optimizer.input_mean is None
    fitted = _fit(X, y)
    fitted.partial_fit(X[:10] + 2.0, y[:10])
    np.testing.assert_allclose(fitted._optimizer.input_mean, X.mean(axis=0))


def test_a_warm_start_takes_the_new_datas_coordinates():
    clf = _fit(X, y, warm_start=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X + 2.0, y)
    np.testing.assert_allclose(clf._optimizer.input_mean, (X + 2.0).mean(axis=0))


def test_regressor_too():
    t = X @ [1.0, -2.0, 0.1, 3.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        reg = BackpropRegressor(**SETTINGS).fit(X, t)
    np.testing.assert_allclose(reg._optimizer.input_mean, X.mean(axis=0))


def test_deeper_networks_and_several_outputs_take_the_same_steps():
    # Only the first layer is mapped: two hidden layers, two outputs.
    T = np.column_stack([X @ [1.0, -2.0, 0.1, 3.0], np.tanh(X[:, 0])])
    settings = {**SETTINGS, "hidden_layer_sizes": (6, 4)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ours = BackpropRegressor(**settings, precondition="standardize").fit(X, T)
    W, b, plain = _mapped_fit(BackpropRegressor, X, T, settings)
    np.testing.assert_allclose(ours.coefs_[0], W, rtol=1e-8, atol=1e-11)
    np.testing.assert_allclose(ours.intercepts_[0], b, rtol=1e-8, atol=1e-9)
    for mine, theirs in zip(ours.coefs_[1:], plain.coefs_[1:]):
        np.testing.assert_allclose(mine, theirs, rtol=1e-8, atol=1e-11)
