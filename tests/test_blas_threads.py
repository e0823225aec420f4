"""Where a fit runs does not change its weights, for the same BLAS threads.

What scaling_out.rst promises: a fit depends on its data, parameters,
random_state and the number of BLAS threads of the process it runs in.
A joblib (loky) worker holding BLAS to one thread gives bitwise the weights
of the same fit in this process held to one thread. (With other thread
counts the sums of large matrix products are split differently, and the
weights differ by rounding, about 1e-12, as MLPClassifier's do.)
"""

import warnings

import numpy as np
import pytest
from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits

from skbackprop import BackpropClassifier, BackpropRegressor

# Large enough for OpenBLAS to thread its products when allowed to.
rng = np.random.RandomState(0)
X = rng.normal(size=(2000, 120))
TARGETS = {BackpropClassifier: X[:, 0] > 0, BackpropRegressor: X[:, 0] - X[:, 1]}


def _fit_on_one_blas_thread(Estimator, solver):
    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = Estimator(
            hidden_layer_sizes=(96,),
            solver=solver,
            max_iter=3,
            random_state=0,
            alpha=1e-4,
            learning_rate_init=1e-3,
        )
        model.fit(X, TARGETS[Estimator])
    return model.coefs_ + model.intercepts_


@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_worker_with_one_blas_thread_gives_bitwise_the_local_fit(Estimator):
    local = {s: _fit_on_one_blas_thread(Estimator, s) for s in ("adam", "lbfgs")}
    remote = Parallel(n_jobs=2, backend="loky")(
        delayed(_fit_on_one_blas_thread)(Estimator, s) for s in ("adam", "lbfgs")
    )
    for solver, weights in zip(("adam", "lbfgs"), remote):
        for a, b in zip(local[solver], weights):
            np.testing.assert_array_equal(a, b, err_msg=solver)
