"""Optimizers: sgd (momentum, Nesterov, schedules), adam, and the bridge to L-BFGS."""

import functools
import os
import threading

import numpy as np
import scipy
from scipy.optimize import minimize
from threadpoolctl import ThreadpoolController

from ._arrays import NUMPY, ops


class _Optimizer:
    """What SGD and Adam share: a step, taken in the inputs' coordinates or not.

    With :meth:`standardise_inputs`, the first layer's weights ``W`` and
    biases ``b`` are stepped as ``V = s W`` and ``c = b + m W`` would be, the
    weights and biases the same network has on the standardised inputs
    ``(x - m) / s``: ``net = x W + b = ((x - m) / s) V + c``.  The gradient
    is mapped there, ``dE/dV = (dE/dW - m dE/db) / s`` and ``dE/dc = dE/db``,
    the optimizer's step ``(dV, dc)`` is mapped back, ``dW = dV / s`` and
    ``db = dc - m dW``, and added.  Only the path changes: the loss, the L2
    term on ``W`` and the fitted weights are those of the inputs as given.
    """

    input_mean = input_scale = None

    def standardise_inputs(self, mean, scale, params):
        """Step the first layer as if the inputs were ``(x - mean) / scale``.

        Parameters
        ----------
        mean : ndarray of shape (n_features,)
            ``m``, on the parameters' device and in their dtype.
        scale : ndarray of shape (n_features, 1)
            ``s``, positive.
        params : Parameters
            The network's parameters (their layout is what counts).
        """
        self.input_mean, self.input_scale = mean, scale
        self.n_hidden = params.coefs[0].shape[1]
        self.first_bias = params.coef_flat.shape[0]
        F = ops(params.flat)
        self._delta = F.empty(self.size, params.flat.dtype)
        self._bias_step = F.empty(self.n_hidden, params.flat.dtype)

    def step(self, params, grad):
        """Update the flat ``params`` in place from the flat gradient ``grad``.

        With standardised inputs, ``grad`` is overwritten.
        """
        m, s = self.input_mean, self.input_scale
        if m is None:
            self._update(params, grad)
            return
        F, n_in, h, at = ops(params), m.shape[0], self.n_hidden, self.first_bias
        xp = F.xp
        gW, gb = xp.reshape(grad[: n_in * h], (n_in, h)), grad[at : at + h]
        F.ger(-1.0, m, gb, gW)
        F.divide(gW, s, out=gW)  # dE/dV = (dE/dW - m dE/db) / s
        delta = self._delta
        delta[...] = 0
        self._update(delta, grad)
        dW, db = xp.reshape(delta[: n_in * h], (n_in, h)), delta[at : at + h]
        F.divide(dW, s, out=dW)  # dW = dV / s
        F.axpy(-1.0, F.matmul(m, dW, out=self._bias_step), db)  # db = dc - m dW
        F.axpy(1.0, delta, params)


class SGD(_Optimizer):
    """Stochastic gradient descent, the tutorial's ``w <- w - eta * dE/dw``.

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
    F : array operations, default=numpy's
        Where the optimizer's state lives (``_arrays.ops`` of the parameters).

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
        F=NUMPY,
    ):
        self.learning_rate_init = learning_rate_init
        self.learning_rate_ = learning_rate_init
        self.schedule = learning_rate
        self.momentum = momentum
        self.nesterov = nesterov
        self.power_t = power_t
        self.size = n_params
        self.velocity = F.zeros(n_params, dtype)

    def _update(self, params, grad):
        lr, mu, v = self.learning_rate_, self.momentum, self.velocity
        F = ops(params)
        axpy, scal = F.axpy, F.scal
        if mu == 0:
            axpy(-lr, grad, params)  # w <- w - eta * g
            return
        scal(mu, v)
        axpy(-lr, grad, v)  # v <- mu * v - eta * g
        if self.nesterov:
            axpy(-lr, grad, params)
            axpy(mu, v, params)  # w <- w + mu * v - eta * g
        else:
            axpy(1.0, v, params)  # w <- w + v

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


class Adam(_Optimizer):
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
    F : array operations, default=numpy's
        Where the optimizer's state lives (``_arrays.ops`` of the parameters).

    Attributes
    ----------
    learning_rate_ : float
        ``eta_t`` of the last step.
    t : int
        Number of steps taken.
    """

    def __init__(
        self, n_params, dtype, learning_rate_init, beta_1, beta_2, epsilon, F=NUMPY
    ):
        self.learning_rate_init = learning_rate_init
        self.learning_rate_ = learning_rate_init
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.t = 0
        self.size = n_params
        self.m = F.zeros(n_params, dtype)
        self.v = F.zeros(n_params, dtype)
        self._scratch = F.empty(n_params, dtype)

    def _update(self, params, grad):
        self.t += 1
        b1, b2 = self.beta_1, self.beta_2
        self.learning_rate_ = (
            self.learning_rate_init * np.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        )
        m, v, s, F = self.m, self.v, self._scratch, ops(params)
        F.scal(b1, m)
        F.axpy(1 - b1, grad, m)  # m <- b1 m + (1 - b1) g
        F.multiply(grad, grad, out=s)
        F.scal(b2, v)
        F.axpy(1 - b2, s, v)  # v <- b2 v + (1 - b2) g**2
        F.sqrt(v, out=s)
        s += self.epsilon
        F.divide(m, s, out=s)
        F.axpy(-self.learning_rate_, s, params)  # w <- w - eta_t m / (sqrt(v) + eps)

    def end_epoch(self, n_samples_seen):
        """Adam has no schedule between epochs."""

    def stalled(self, verbose=False):
        """Training stopped improving: stop.  Returns True."""
        return True


@functools.cache
def _scipy_blas():
    """threadpoolctl's handle on the BLAS that scipy ships apart from numpy's.

    Wheels of numpy and scipy each bundle an OpenBLAS with its own thread
    pool.  Training calls scipy's (L-BFGS-B, and the level-1 routines behind
    :meth:`~skbackprop._arrays.NumpyOps.axpy`) between numpy's products, and the two
    pools then wait on each other's spinning threads: a digits L-BFGS fit took
    1.15 s instead of 0.28 s (far longer on a busy machine).  Those calls are vector
    operations that need no threads, so scipy's pool is held to one while
    training runs (threadpoolctl comes with scikit-learn).  Where scipy uses
    the same BLAS as numpy, nothing is selected and nothing changes.  Made
    once per process: the search through the loaded libraries takes
    milliseconds.
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


class _SingleThreadHold:
    """Holds scipy's own BLAS to one thread while any training runs.

    A count, so that fits running at once in threads of one process (a
    threading backend) lift the limit only when the last of them ends, back
    to the number of threads from before the first.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._count = 0
        self._limiter = None

    def __enter__(self):
        with self._lock:
            if self._count == 0:
                self._limiter = _scipy_blas().limit(limits=1)
            self._count += 1
        return self

    def __exit__(self, *exc_info):
        with self._lock:
            self._count -= 1
            if self._count == 0:
                self._limiter.restore_original_limits()
                self._limiter = None


_HOLD = _SingleThreadHold()


def scipy_blas_single_thread():
    """Context manager that holds scipy's own BLAS to one thread (see above)."""
    return _HOLD


def lbfgs(fun, x0, *, max_iter, max_fun, tol, callback=None, verbose=False):
    """Minimise ``fun`` (returning objective and gradient) with scipy's L-BFGS-B.

    Call it under :func:`scipy_blas_single_thread`, as training does.

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
    return minimize(
        fun,
        x0,
        method="L-BFGS-B",
        jac=True,
        callback=callback,
        options={"maxiter": max_iter, "maxfun": max_fun, "gtol": tol},
    )
