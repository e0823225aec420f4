"""The network core: weights, forward pass, backward pass and gradients, on arrays."""

import numpy as np
from scipy import sparse

from ._activations import ACTIVATIONS, DERIVATIVES
from ._arrays import NUMPY, ops
from ._losses import loss_value, output_delta


class Parameters:
    """All weights and biases of a network in one flat array, with per-layer views.

    The flat array holds every weight matrix first, then every bias vector, so
    the part that L2 regularisation touches (``coef_flat``) is contiguous and
    an optimizer updates the whole network with one vector operation.

    Parameters
    ----------
    layer_units : sequence of int
        Units per layer, input layer first and output layer last.
    flat : ndarray of shape (n_params,), default=None
        The values; zeros of ``dtype`` when None.
    dtype : dtype, default=np.float64
        Used when ``flat`` is None.
    F : array operations, default=numpy's
        Where ``flat`` is made when None (see ``_arrays.ops``).

    Attributes
    ----------
    flat : ndarray of shape (n_params,)
    coefs : list of ndarray
        ``coefs[i]`` of shape ``(layer_units[i], layer_units[i + 1])`` holds
        the weights from layer ``i`` to layer ``i + 1``; a view of ``flat``.
    intercepts : list of ndarray
        ``intercepts[i]`` of shape ``(layer_units[i + 1],)``: the biases of
        layer ``i + 1``; a view of ``flat``.
    coef_flat : ndarray
        The weights alone (no biases), a view of ``flat``.
    """

    def __init__(self, layer_units, flat=None, dtype=np.float64, F=NUMPY):
        shapes = list(zip(layer_units[:-1], layer_units[1:]))
        n_coef = sum(a * b for a, b in shapes)
        n_params = n_coef + sum(b for _, b in shapes)
        self.flat = F.zeros(n_params, dtype) if flat is None else flat
        if tuple(self.flat.shape) != (n_params,):
            raise ValueError(f"Expected {n_params} parameters, got {self.flat.shape}.")
        self.coef_flat = self.flat[:n_coef]
        self.coefs, self.intercepts = [], []
        start = 0
        xp = ops(self.flat).xp
        for a, b in shapes:
            self.coefs.append(xp.reshape(self.flat[start : start + a * b], (a, b)))
            start += a * b
        for _, b in shapes:
            self.intercepts.append(self.flat[start : start + b])
            start += b

    @classmethod
    def from_layers(cls, coefs, intercepts, dtype, F=NUMPY):
        """Copy per-layer arrays into a new flat ``Parameters``."""
        layer_units = [c.shape[0] for c in coefs] + [coefs[-1].shape[1]]
        params = cls(layer_units, dtype=dtype, F=F)
        for dst, src in zip(params.coefs + params.intercepts, coefs + intercepts):
            dst[...] = F.asarray(src, dtype)
        return params


def init_params(layer_units, activation, rng, dtype=np.float64, F=NUMPY):
    """Random initial weights and biases (the tutorial's step 1).

    Glorot uniform: every value of layer ``i`` is drawn from
    ``U(-b, b)`` with ``b = sqrt(k * 6 / (fan_in + fan_out))``, ``k = 2`` for
    the logistic activation and 1 otherwise.  The values are drawn on the
    host and then moved, so a seed gives the same start on every device.

    Parameters
    ----------
    layer_units : sequence of int
        Units per layer, input first.
    activation : str
        Hidden activation.
    rng : numpy.random.RandomState
        Source of randomness.
    dtype : dtype, default=np.float64
    F : array operations, default=numpy's
        Where the parameters live.

    Returns
    -------
    params : Parameters
    """
    params = Parameters(layer_units, dtype=dtype, F=F)
    k = 2.0 if activation == "logistic" else 1.0
    for coef, intercept in zip(params.coefs, params.intercepts):
        fan_in, fan_out = coef.shape
        bound = np.sqrt(k * 6.0 / (fan_in + fan_out))
        coef[...] = F.asarray(rng.uniform(-bound, bound, coef.shape), dtype)
        intercept[...] = F.asarray(rng.uniform(-bound, bound, intercept.shape), dtype)
    return params


def allocate(layer_units, n_rows, dtype=np.float64, deltas=True, F=NUMPY):
    """Buffers for a batch of ``n_rows``: ``out`` and ``delta`` of every layer.

    Parameters
    ----------
    layer_units : sequence of int
        Units per layer, input first.
    n_rows : int
        Rows of the batch.
    dtype : dtype, default=np.float64
    deltas : bool, default=True
        Whether to allocate the deltas too (prediction needs none).
    F : array operations, default=numpy's
        Where to allocate.

    Returns
    -------
    outs : list
        ``outs[0]`` is None (the input goes there); ``outs[i]`` of shape
        ``(n_rows, layer_units[i])`` for ``i >= 1``.
    deltas : list of ndarray or None
        ``deltas[i]`` of shape ``(n_rows, layer_units[i + 1])``: dE/dnet of
        layer ``i + 1``.
    """
    outs = [None] + [F.empty((n_rows, u), dtype) for u in layer_units[1:]]
    if not deltas:
        return outs, None
    return outs, [F.empty((n_rows, u), dtype) for u in layer_units[1:]]


def l2_penalty(params, alpha):
    """``alpha / 2 * sum(W**2)`` over the weights (not the biases) of ``params``."""
    w = params.coef_flat
    return 0.5 * alpha * float(w @ w)


def _matmul(a, b, out):
    if sparse.issparse(a):
        out[...] = a @ b
    else:
        ops(b).matmul(a, b, out=out)
    return out


def forward_pass(X, coefs, intercepts, activation, out_activation, outs, nets=None):
    """Compute ``net`` and ``out`` of every layer (the tutorial's step 1).

    ``net = out_prev @ W + b`` and ``out = f(net)``, layer after layer.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        The input; it becomes ``outs[0]``.
    coefs, intercepts : list of ndarray
        Weights and biases per layer.
    activation, out_activation : str
        Activation of the hidden layers and of the output layer.
    outs : list
        Buffers from :func:`allocate`, written in place.
    nets : list, default=None
        Buffers for ``net``; when None, ``net`` is computed in ``outs`` and
        overwritten by ``out`` (training keeps only ``out``).

    Returns
    -------
    out : ndarray of shape (n_samples, n_outputs)
        The network's output, ``outs[-1]``.
    """
    nets = outs if nets is None else nets
    outs[0] = X
    last = len(coefs) - 1
    for i, (W, b) in enumerate(zip(coefs, intercepts)):
        net = _matmul(outs[i], W, out=nets[i + 1])
        net += b
        ACTIVATIONS[out_activation if i == last else activation](net, outs[i + 1])
    return outs[-1]


def backward_pass(
    coefs,
    outs,
    deltas,
    coef_grads,
    intercept_grads,
    activation,
    overwrite_outs=False,
):
    """Propagate the deltas back and sum the gradients over the batch (steps 2-3).

    ``deltas[-1]`` must hold the output layer's delta.  From the output layer
    back to the first hidden layer: ``dE/dW = out_prev.T @ delta`` and
    ``dE/db = sum(delta)``, then the delta of the layer behind,
    ``delta_prev = (delta @ W.T) * f'(net_prev)``, the tutorial's general rule.

    Parameters
    ----------
    coefs : list of ndarray
        Weights per layer.
    outs : list of ndarray
        ``out`` of every layer from :func:`forward_pass`.
    deltas : list of ndarray
        Written in place but for ``deltas[-1]``, which is read.
    coef_grads, intercept_grads : list of ndarray
        Written in place: gradients summed over the batch.
    activation : str
        Hidden activation.
    overwrite_outs : bool, default=False
        Whether a hidden layer's ``out`` buffer, once read for the last time,
        may serve as work space for its derivative; then nothing is
        allocated, and ``outs[1:-1]`` no longer hold ``out`` afterwards.
    """
    derivative, F = DERIVATIVES[activation], ops(deltas[-1])
    for i in range(len(coefs) - 1, -1, -1):
        _matmul(outs[i].T, deltas[i], out=coef_grads[i])
        F.sum(deltas[i], axis=0, out=intercept_grads[i])
        if i > 0:
            delta = F.matmul(deltas[i], coefs[i].T, out=deltas[i - 1])
            derivative(outs[i], delta, outs[i] if overwrite_outs else None)


def loss_and_gradient(
    X,
    Y,
    params,
    grads,
    outs,
    deltas,
    *,
    activation,
    out_activation,
    loss,
    alpha,
    sample_weight=None,
    nets=None,
    overwrite_outs=False,
):
    """Objective of a batch and its gradient: one forward and one backward pass.

    The objective is the weighted mean of the per-sample loss plus the L2
    penalty, ``(sum_i s_i E_i + alpha / 2 * sum(W**2)) / sum_i s_i``, with
    ``s_i = 1`` when ``sample_weight`` is None.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_outputs)
        Targets, in the dtype of the parameters.
    params : Parameters
        Weights and biases.
    grads : Parameters
        Written in place with the gradient of the objective.
    outs, deltas : list
        Buffers from :func:`allocate` with ``n_samples`` rows.
    activation, out_activation : str
        Hidden and output activations.
    loss : {"squared_error", "log_loss"}
        The loss.
    alpha : float
        L2 penalty.
    sample_weight : ndarray of shape (n_samples,), default=None
        Weights of the samples; their sum must be positive.
    nets : list, default=None
        Buffers to keep ``net`` apart from ``out`` (see :func:`forward_pass`).
    overwrite_outs : bool, default=False
        Whether the ``out`` buffers may serve as work space once read for the
        last time, so that nothing is allocated (training sets it); they then
        no longer hold ``out`` afterwards, but for ``outs[0]``, the input.

    Returns
    -------
    objective : float
    """
    out = forward_pass(
        X, params.coefs, params.intercepts, activation, out_activation, outs, nets
    )
    if sample_weight is None:
        total = X.shape[0]
    else:
        total = ops(sample_weight).total(sample_weight)
    # The output delta's buffer is the loss's work space until it is written.
    E = loss_value(loss, out_activation, Y, out, sample_weight, work=deltas[-1])
    output_delta(
        loss, out_activation, Y, out, deltas[-1], out if overwrite_outs else None
    )
    # Dividing the output deltas by the total weight, rather than every
    # gradient afterwards, makes the gradients means at once.
    if sample_weight is not None:
        deltas[-1] *= sample_weight[:, None]
    deltas[-1] *= 1.0 / total
    backward_pass(
        params.coefs,
        outs,
        deltas,
        grads.coefs,
        grads.intercepts,
        activation,
        overwrite_outs,
    )
    if alpha:
        ops(params.flat).axpy(alpha / total, params.coef_flat, grads.coef_flat)
        E += l2_penalty(params, alpha)
    return E / total


# A sigmoid or tanh unit whose f'(net) is below this passes back less than
# 1% of the delta that reaches it (f'(0) is 0.25 for the sigmoid, 1 for tanh,
# so the sigmoid's bound is |net| > 6.0 and tanh's |net| > 3.0).
SATURATED_DERIVATIVE = {"logistic": 0.0025, "tanh": 0.01}


def saturated_share(hidden_outs, activation):
    """Share of the hidden layers' outputs that are saturated, or of dead units.

    A saturated output has ``f'(net)`` below ``SATURATED_DERIVATIVE`` (1% of
    the derivative's largest value), computed from ``out`` by the
    activation's own derivative; backpropagation then passes almost nothing
    back through it. A relu unit is dead when its ``out`` is 0 on every row:
    no delta passes through it and its incoming weights never change again;
    for relu the share is that of dead units. The identity never saturates.

    Parameters
    ----------
    hidden_outs : list of ndarray
        ``out`` of every hidden layer from :func:`forward_pass`
        (``outs[1:-1]``), each of shape (n_rows, units); not modified.
    activation : str
        The hidden activation.

    Returns
    -------
    share : float
        In [0, 1]; 0 when there is no hidden layer.
    """
    n_units = sum(out.shape[1] for out in hidden_outs)
    if activation == "identity" or n_units == 0:
        return 0.0
    F = ops(hidden_outs[0])
    if activation == "relu":
        dead = sum(F.count(~F.any(out > 0, axis=0)) for out in hidden_outs)
        return dead / n_units
    derivative, bound = DERIVATIVES[activation], SATURATED_DERIVATIVE[activation]
    saturated = total = 0
    for out in hidden_outs:
        ones = F.empty(out.shape, out.dtype)
        ones[...] = 1
        f_prime = derivative(out, ones)
        saturated += F.count(f_prime < bound)
        total += out.shape[0] * out.shape[1]
    return saturated / total if total else 0.0


def hidden_saturation(X, coefs, intercepts, activation, out_activation, max_rows=1000):
    """:func:`saturated_share` of a forward pass on at most ``max_rows`` rows of ``X``.

    The rows are evenly spaced through ``X`` (no random draw), so the figure
    is the same for the same data and weights.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
    coefs, intercepts : list of ndarray
        Weights and biases per layer.
    activation, out_activation : str
        Hidden and output activations.
    max_rows : int, default=1000

    Returns
    -------
    share : float
    """
    F = ops(coefs[0])
    rows = np.unique(
        np.linspace(0, X.shape[0] - 1, min(X.shape[0], max_rows)).astype(int)
    )
    X_rows = X[rows] if F is NUMPY else F.take(X, F.asarray(rows), axis=0)
    units = [X.shape[1]] + [c.shape[1] for c in coefs]
    dtype = F.result_type(X.dtype, *coefs)
    outs, _ = allocate(units, len(rows), dtype, deltas=False, F=F)
    with F.errstate(all="ignore"):
        forward_pass(X_rows, coefs, intercepts, activation, out_activation, outs)
    return saturated_share(outs[1:-1], activation)
