"""Losses: the error E of the output layer and its delta dE/dnet."""

from ._activations import DERIVATIVES
from ._arrays import ops


def squared_error(Y, out, sample_weight=None, work=None):
    """Weighted sum over samples of the tutorial's ``E = sum_k 1/2 (t_k - out_k)**2``.

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_outputs)
        Targets ``t``.
    out : ndarray of shape (n_samples, n_outputs)
        Outputs of the last layer.
    sample_weight : ndarray of shape (n_samples,), default=None
        Weight of each sample's ``E``; None weighs every sample by 1.
    work : ndarray of shape (n_samples, n_outputs), default=None
        Overwritten as work space, so that nothing is allocated; the
        training loop passes the output delta's buffer, written just after.

    Returns
    -------
    loss : float
        The (weighted) sum of ``E`` over samples; divide by the total weight
        for the mean.
    """
    F = ops(out)
    diff = F.subtract(out, Y, out=work)
    return 0.5 * F.weighted_sum(diff, sample_weight, diff)


def binary_log_loss(Y, out, sample_weight=None, work=None):
    """Weighted sum of ``-sum_k [t_k log out_k + (1 - t_k) log(1 - out_k)]``.

    The loss of sigmoid outputs: binary and multilabel classification.
    Outputs are clipped to ``[eps, 1 - eps]`` so that the log stays finite.
    Parameters and return value as in :func:`squared_error`.
    """
    F = ops(out)
    eps = F.finfo(out.dtype).eps
    # t log p + (1 - t) log(1 - p) = log(1 - p) + t log p - t log(1 - p)
    log_1mp = F.clip(out, eps, 1 - eps, out=work)
    F.log1p(F.negative(log_1mp, out=log_1mp), out=log_1mp)
    total = F.weighted_sum(log_1mp, sample_weight) - F.weighted_sum(
        Y, sample_weight, log_1mp
    )
    log_p = F.log(F.clip(out, eps, 1 - eps, out=log_1mp), out=log_1mp)
    return -(total + F.weighted_sum(Y, sample_weight, log_p))


def categorical_log_loss(Y, out, sample_weight=None, work=None):
    """Weighted sum of ``-sum_k t_k log out_k``, the loss of softmax outputs.

    Outputs are clipped to ``[eps, 1]`` so that the log stays finite.
    Parameters and return value as in :func:`squared_error`.
    """
    F = ops(out)
    eps = F.finfo(out.dtype).eps
    log_p = F.log(F.clip(out, eps, 1, out=work), out=work)
    return -F.weighted_sum(Y, sample_weight, log_p)


def poisson_loss(Y, out, sample_weight=None, work=None):
    """Weighted sum of the half Poisson deviance ``sum_k t log(t / out) - t + out``.

    The loss of an exponential output (log link) on counts or rates
    ``t >= 0``, as ``MLPRegressor(loss="poisson")`` computes it; ``t log t``
    is 0 at ``t = 0``.  Parameters and return value as in
    :func:`squared_error`.
    """
    # t log(t / out) - t + out = (out - t log out - t) + t log t
    F = ops(out)
    rest = F.xlogy(Y, out, out=work)
    F.subtract(out, rest, out=rest)
    rest -= Y
    total = F.weighted_sum(rest, sample_weight)
    return total + F.weighted_sum(F.xlogy(Y, Y, out=rest), sample_weight)


def loss_value(loss, out_activation, Y, out, sample_weight=None, work=None):
    """Weighted sum over samples of the loss named ``loss``.

    Parameters
    ----------
    loss : {"squared_error", "log_loss", "poisson"}
        The loss; ``"log_loss"`` is categorical after a softmax output layer
        and binary (per output) after a logistic one.
    out_activation : str
        Activation of the output layer.
    Y, out, sample_weight, work
        As in :func:`squared_error`.

    Returns
    -------
    loss : float
    """
    if loss == "squared_error":
        return squared_error(Y, out, sample_weight, work)
    if loss == "poisson":
        return poisson_loss(Y, out, sample_weight, work)
    if out_activation == "softmax":
        return categorical_log_loss(Y, out, sample_weight, work)
    return binary_log_loss(Y, out, sample_weight, work)


def output_delta(loss, out_activation, Y, out, delta, scratch=None):
    """Write the output layer's delta, dE/dnet, into ``delta``.

    Squared error: ``dE/dout = out - t``, times the output activation's
    derivative, as in the tutorial: ``delta_o = -(t - out) * out (1 - out)`` for a
    sigmoid output.  Log-loss and the Poisson deviance are only paired with
    their canonical links (sigmoid or softmax; exp), where the derivative
    cancels and ``delta_o = out - t``.

    Parameters
    ----------
    loss : {"squared_error", "log_loss", "poisson"}
        The loss.
    out_activation : str
        Activation of the output layer.
    Y : ndarray of shape (n_samples, n_outputs)
        Targets.
    out : ndarray of shape (n_samples, n_outputs)
        Outputs of the last layer.
    delta : ndarray of shape (n_samples, n_outputs)
        Written in place.
    scratch : ndarray of shape (n_samples, n_outputs), default=None
        Work space for the derivative, so that nothing is allocated; it may
        be ``out`` itself, which is then overwritten.

    Returns
    -------
    delta : ndarray
    """
    ops(out).subtract(out, Y, out=delta)
    if loss == "squared_error":
        DERIVATIVES[out_activation](out, delta, scratch)
    return delta
