"""Losses: the error E of the output layer and its delta dE/dnet."""

import numpy as np
from scipy.special import xlogy

from ._activations import DERIVATIVES


def _weighted_sum(per_sample, sample_weight):
    if sample_weight is None:
        return float(per_sample.sum())
    return float(per_sample @ sample_weight)


def squared_error(Y, out, sample_weight=None):
    """Weighted sum over samples of the seed's ``E = sum_k 1/2 (t_k - out_k)**2``.

    Parameters
    ----------
    Y : ndarray of shape (n_samples, n_outputs)
        Targets ``t``.
    out : ndarray of shape (n_samples, n_outputs)
        Outputs of the last layer.
    sample_weight : ndarray of shape (n_samples,), default=None
        Weight of each sample's ``E``; None weighs every sample by 1.

    Returns
    -------
    loss : float
        The (weighted) sum of ``E`` over samples; divide by the total weight
        for the mean.
    """
    diff = out - Y
    return 0.5 * _weighted_sum(np.einsum("ij,ij->i", diff, diff), sample_weight)


def binary_log_loss(Y, out, sample_weight=None):
    """Weighted sum of ``-sum_k [t_k log out_k + (1 - t_k) log(1 - out_k)]``.

    The loss of sigmoid outputs: binary and multilabel classification.
    Parameters and return value as in :func:`squared_error`.
    """
    eps = np.finfo(out.dtype).eps
    p = np.clip(out, eps, 1 - eps)
    per_sample = -(xlogy(Y, p) + xlogy(1 - Y, 1 - p)).sum(axis=1)
    return _weighted_sum(per_sample, sample_weight)


def categorical_log_loss(Y, out, sample_weight=None):
    """Weighted sum of ``-sum_k t_k log out_k``, the loss of softmax outputs.

    Parameters and return value as in :func:`squared_error`.
    """
    eps = np.finfo(out.dtype).eps
    p = np.clip(out, eps, 1)
    return _weighted_sum(-xlogy(Y, p).sum(axis=1), sample_weight)


def loss_value(loss, out_activation, Y, out, sample_weight=None):
    """Weighted sum over samples of the loss named ``loss``.

    Parameters
    ----------
    loss : {"squared_error", "log_loss"}
        The loss; ``"log_loss"`` is categorical after a softmax output layer
        and binary (per output) after a logistic one.
    out_activation : str
        Activation of the output layer.
    Y, out, sample_weight
        As in :func:`squared_error`.

    Returns
    -------
    loss : float
    """
    if loss == "squared_error":
        return squared_error(Y, out, sample_weight)
    if out_activation == "softmax":
        return categorical_log_loss(Y, out, sample_weight)
    return binary_log_loss(Y, out, sample_weight)


def output_delta(loss, out_activation, Y, out, delta):
    """Write the output layer's delta, dE/dnet, into ``delta``.

    Squared error: ``dE/dout = out - t``, times the output activation's
    derivative, as in the seed: ``delta_o = -(t - out) * out (1 - out)`` for a
    sigmoid output.  Log-loss is only paired with its canonical link (sigmoid
    or softmax), where the derivative cancels and ``delta_o = out - t``.

    Parameters
    ----------
    loss : {"squared_error", "log_loss"}
        The loss.
    out_activation : str
        Activation of the output layer.
    Y : ndarray of shape (n_samples, n_outputs)
        Targets.
    out : ndarray of shape (n_samples, n_outputs)
        Outputs of the last layer.
    delta : ndarray of shape (n_samples, n_outputs)
        Written in place.

    Returns
    -------
    delta : ndarray
    """
    np.subtract(out, Y, out=delta)
    if loss == "squared_error":
        DERIVATIVES[out_activation](out, delta)
    return delta
