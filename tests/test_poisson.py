"""BackpropRegressor(loss="poisson"): the half Poisson deviance with a log link."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import PoissonRegressor
from sklearn.neural_network import MLPRegressor

from skbackprop import BackpropRegressor
from skbackprop._activations import exp
from skbackprop._compat import SKLEARN_VERSION
from skbackprop._losses import loss_value, output_delta

rng = np.random.RandomState(0)
X = rng.normal(size=(300, 4))
y = rng.poisson(np.exp(X @ [0.3, -0.2, 0.1, 0.0] + 0.5)).astype(float)
ALPHA = 0.01  # PoissonRegressor's alpha; ours is that times the total weight
GLM = dict(
    hidden_layer_sizes=(), solver="lbfgs", tol=1e-12, max_iter=1000, random_state=0
)


# MLPRegressor has loss="poisson" from scikit-learn 1.7 on.
MLP_POISSON = pytest.mark.skipif(
    SKLEARN_VERSION < (1, 7), reason="MLPRegressor's poisson loss: scikit-learn >= 1.7"
)


@MLP_POISSON
def test_loss_is_mlp_regressors_half_poisson_deviance():
    from sklearn.neural_network._base import poisson_loss as mlp_poisson_loss

    r = np.random.RandomState(1)
    Y = r.poisson(2.0, size=(20, 3)).astype(float)
    Y[:5] = 0.0  # t log t is 0 at t = 0
    out = r.uniform(0.1, 5.0, size=(20, 3))
    sw = r.uniform(0.5, 2.0, size=20)
    for weights in (None, sw):
        total = 20 if weights is None else sw.sum()
        ours = loss_value("poisson", "exp", Y, out, weights) / total
        np.testing.assert_allclose(ours, mlp_poisson_loss(Y, out, weights))


def test_output_delta_is_out_minus_t():
    Y = np.array([[0.0, 3.0]])
    out = np.array([[0.5, 2.0]])
    delta = output_delta("poisson", "exp", Y, out, np.empty_like(out))
    np.testing.assert_array_equal(delta, [[0.5, -1.0]])


def test_exp_activation_overflows_silently_to_inf():
    net = np.array([0.0, 1.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = exp(net, np.empty(3))
    np.testing.assert_array_equal(out, [1.0, np.e, np.inf])


@pytest.mark.parametrize("weighted", [False, True])
def test_network_without_hidden_layer_is_sklearns_poisson_glm(weighted):
    sw = np.random.RandomState(2).uniform(0.5, 2.0, len(y)) if weighted else None
    total = len(y) if sw is None else sw.sum()
    glm = PoissonRegressor(alpha=ALPHA, tol=1e-12, max_iter=1000)
    glm.fit(X, y, sample_weight=sw)
    net = BackpropRegressor(loss="poisson", alpha=ALPHA * total, **GLM)
    net.fit(X, y, sample_weight=sw)
    assert net.out_activation_ == "exp"
    # L-BFGS-B stops on a relative change of the objective (ftol) of about
    # 2e-9, which leaves the weights accurate to some 1e-5.
    np.testing.assert_allclose(net.coefs_[0].ravel(), glm.coef_, atol=2e-5)
    np.testing.assert_allclose(net.intercepts_[0], [glm.intercept_], atol=2e-5)
    # exp(net) turns weights within 2e-5 into predictions within |x| * 2e-5.
    np.testing.assert_allclose(net.predict(X), glm.predict(X), rtol=5e-5)


@MLP_POISSON
def test_loss_curve_is_comparable_with_mlp_regressors():
    params = dict(loss="poisson", alpha=ALPHA * len(y), **GLM)
    ours = BackpropRegressor(**params).fit(X, y)
    mlp = MLPRegressor(**params).fit(X, y)
    assert mlp.out_activation_ == ours.out_activation_ == "exp"
    np.testing.assert_allclose(ours.loss_, mlp.loss_, rtol=1e-8)
    np.testing.assert_allclose(ours.predict(X), mlp.predict(X), rtol=1e-4)


def test_hidden_layers_fit_a_poisson_target():
    r = np.random.RandomState(3)
    Xr = r.uniform(-2, 2, size=(400, 1))
    yr = r.poisson(np.exp(np.sin(2 * Xr[:, 0]) + 1)).astype(float)
    est = BackpropRegressor(loss="poisson", hidden_layer_sizes=(10,), random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(Xr, yr)
    pred = est.predict(Xr)
    assert (pred > 0).all()
    # Close to the true mean, far better than the constant mean.
    truth = np.exp(np.sin(2 * Xr[:, 0]) + 1)
    assert np.mean((pred - truth) ** 2) < 0.2 * np.mean((yr.mean() - truth) ** 2)


def test_negative_targets_are_refused():
    with pytest.raises(ValueError, match="non-negative targets"):
        BackpropRegressor(loss="poisson").fit(X, y - 1)


def test_all_zero_targets_fit_towards_zero():
    est = BackpropRegressor(loss="poisson", random_state=0, max_iter=50)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        est.fit(X, np.zeros(len(y)))
    pred = est.predict(X)
    assert np.isfinite(est.loss_curve_).all()
    assert (pred >= 0).all() and pred.max() < 0.1


def test_logistic_output_is_refused_with_poisson():
    est = BackpropRegressor(loss="poisson", out_activation="logistic")
    with pytest.raises(ValueError, match="exponential output layer"):
        est.fit(X, y)


def test_partial_fit_and_a_warm_start_with_another_loss():
    est = BackpropRegressor(loss="poisson", random_state=0)
    est.partial_fit(X, y).partial_fit(X, y)
    assert est.out_activation_ == "exp" and len(est.loss_curve_) == 2
    with pytest.raises(ValueError, match="exp output"):
        est.set_params(loss="squared_error").partial_fit(X, y)
