"""Optimizers: sgd (momentum, Nesterov, schedules), adam, and the bridge to L-BFGS."""

import os

import numpy as np
import scipy
from scipy.optimize import minimize
from threadpoolctl import ThreadpoolController

from ._network import axpy


class SGD:
    """Stochastic gradient descent, the seed's ``w <- w - eta * dE/dw``.

    With momentum ``mu`` the step is ``v <- mu * v - eta * g; w <- w + v``;
    Nesterov's variant then steps ``w <- w + mu * v - eta * g``.  With
    ``mu = 0`` both are exactly ``w <- w - eta * g``.

    Parameters
    ----------
    n_params : int
        Size of the flat parameter vector.
    dtype : dtype
        Its dtype.
    learning_rate_init : float
        Initial learning rate ``eta``.
    learning_rate : {"constant", "invscaling", "adaptive"}
        Schedule: constant; ``eta / (t + 1) ** power_t`` with ``t`` the number
        of samples seen; or divided by 5 each time training stalls.
    momentum : float
        ``mu`` in [0, 1].
    nesterov : bool
        Whether to use Nesterov's momentum.
    power_t : float
        Exponent of the "invscaling" schedule.

    Attributes
    ----------
    learning_rate_ : float
        The current learning rate.
    velocity : ndarray of shape (n_params,)
        ``v``.
    """

    def __init__(
        self,
        n_params,
        dtype,
        learning_rate_init,
        learning_rate="constant",
        momentum=0.9,
        nesterov=True,
        power_t=0.5,
    ):
        self.learning_rate_init = learning_rate_init
        self.learning_rate_ = learning_rate_init
        self.schedule = learning_rate
        self.momentum = momentum
        self.nesterov = nesterov
        self.power_t = power_t
        self.size = n_params
        self.velocity = np.zeros(n_params, dtype=dtype)
        self._scratch = np.empty(n_params, dtype=dtype)

    def step(self, params, grad):
        """Update the flat ``params`` in place from the flat gradient ``grad``."""
        mu, v = self.momentum, self.velocity
        step = np.multiply(grad, -self.learning_rate_, out=self._scratch)
        if mu == 0:
            params += step
            return
        v *= mu
        v += step
        if self.nesterov:
            # w + mu * v - eta * g, with ``step`` still holding -eta * g
            params += step
            params += np.multiply(v, mu, out=step)
        else:
            params += v

    def end_epoch(self, n_samples_seen):
        """Apply the "invscaling" schedule after an epoch."""
        if self.schedule == "invscaling":
            self.learning_rate_ = self.learning_rate_init / (
                (n_samples_seen + 1) ** self.power_t
            )

    def stalled(self, verbose=False):
        """Training stopped improving: lower the rate, or say to stop.

        Returns
        -------
        stop : bool
            True unless the "adaptive" schedule lowered the rate and training
            should go on.
        """
        if self.schedule != "adaptive" or self.learning_rate_ <= 1e-6:
            return True
        self.learning_rate_ /= 5.0
        if verbose:
            print(f"Setting learning rate to {self.learning_rate_:f}")
        return False


class Adam:
    """Adam (Kingma and Ba, 2014): steps scaled by running moments of the gradient.

    ``m <- b1 m + (1 - b1) g``, ``v <- b2 v + (1 - b2) g**2``, and
    ``w <- w - eta_t m / (sqrt(v) + eps)`` with
    ``eta_t = eta sqrt(1 - b2**t) / (1 - b1**t)``.

    Parameters
    ----------
    n_params : int
        Size of the flat parameter vector.
    dtype : dtype
        Its dtype.
    learning_rate_init : float
        ``eta``.
    beta_1, beta_2 : float
        Decay of the first and second moments, in [0, 1).
    epsilon : float
        Added to ``sqrt(v)``.

    Attributes
    ----------
    learning_rate_ : float
        ``eta_t`` of the last step.
    t : int
        Number of steps taken.
    """

    def __init__(self, n_params, dtype, learning_rate_init, beta_1, beta_2, epsilon):
        self.learning_rate_init = learning_rate_init
        self.learning_rate_ = learning_rate_init
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.t = 0
        self.size = n_params
        self.m = np.zeros(n_params, dtype=dtype)
        self.v = np.zeros(n_params, dtype=dtype)
        self._scratch = np.empty(n_params, dtype=dtype)

    def step(self, params, grad):
        """Update the flat ``params`` in place from the flat gradient ``grad``."""
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        self.learning_rate_ = (
            self.learning_rate_init * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        )
        s = self._scratch
        self.m *= b1
        axpy(1 - b1, grad, self.m, s)
        np.multiply(grad, grad, out=s)
        s *= 1 - b2
        self.v *= b2
        self.v += s
        np.sqrt(self.v, out=s)
        s += self.epsilon
        np.divide(self.m, s, out=s)
        s *= self.learning_rate_
        params -= s

    def end_epoch(self, n_samples_seen):
        """Adam has no schedule between epochs."""

    def stalled(self, verbose=False):
        """Training stopped improving: stop.  Returns True."""
        return True


def _scipy_blas():
    """threadpoolctl's handle on the BLAS that scipy ships apart from numpy's.

    Wheels of numpy and scipy each bundle an OpenBLAS with its own thread
    pool. L-BFGS-B calls scipy's between our numpy products, and the two pools
    then wait on each other's spinning threads: a digits fit took 2.7 times
    as long (far more on a busy machine). Its vector operations need no
    threads, so scipy's pool is held to one while L-BFGS runs (threadpoolctl
    comes with scikit-learn). Where scipy uses the same BLAS as numpy,
    nothing is selected and nothing changes.
    """
    scipy_dir = os.path.dirname(scipy.__file__)
    own = (scipy_dir + os.sep, scipy_dir + ".libs" + os.sep)
    controller = ThreadpoolController()
    return controller.select(
        filepath=[
            lib.filepath
            for lib in controller.lib_controllers
            if lib.user_api == "blas" and lib.filepath.startswith(own)
        ]
    )


def lbfgs(fun, x0, *, max_iter, max_fun, tol, callback=None, verbose=False):
    """Minimise ``fun`` (returning objective and gradient) with scipy's L-BFGS-B.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> (objective, gradient)`` on flat float64 vectors.
    x0 : ndarray
        Starting point.
    max_iter, max_fun : int
        Limits on iterations and on calls to ``fun``.
    tol : float
        Passed as ``gtol``.
    callback : callable, default=None
        ``callback(intermediate_result)`` after each iteration; it may raise
        ``StopIteration`` to end early.
    verbose : bool, default=False
        Unused by scipy's current L-BFGS-B; the estimator prints per iteration.

    Returns
    -------
    result : scipy.optimize.OptimizeResult
    """
    with _scipy_blas().limit(limits=1):
        return minimize(
            fun,
            x0,
            method="L-BFGS-B",
            jac=True,
            callback=callback,
            options={"maxiter": max_iter, "maxfun": max_fun, "gtol": tol},
        )
