"""Activation functions and their derivatives, each written in terms of ``out``."""

from ._arrays import ops

# Every activation writes ``out = f(net)`` into ``out`` (which may be ``net``
# itself, so the forward pass can overwrite ``net`` in place).
#
# Every derivative multiplies ``delta`` (holding dE/dout) in place by
# f'(net), expressed through ``out`` alone, as the tutorial does for the sigmoid:
# f'(net) = out * (1 - out).  Afterwards ``delta`` holds dE/dnet.  Given a
# ``scratch`` array shaped like ``delta``, a derivative allocates nothing;
# ``scratch`` may be ``out`` itself when ``out`` is not needed afterwards.
#
# ``F = ops(x)`` is numpy for numpy arrays, so ``F.exp(x, out=x)`` is
# ``np.exp(x, out=x)``; for torch, cupy and other array-API arrays it is the
# same operation in their namespace, on their device (see ``_arrays.py``).


def logistic(net, out):
    """Sigmoid ``out = 1 / (1 + exp(-net))``, exact for any ``net``.

    Written with numpy's vectorised ``exp``, about twice as fast as
    ``scipy.special.expit``.  For ``net`` below about -709 (-88 in float32)
    ``exp(-net)`` overflows to inf and ``out`` is 0 rather than the tiny
    (subnormal) true value; the overflow is harmless and not reported.
    """
    F = ops(net)
    with F.errstate(over="ignore"):
        F.negative(net, out=out)
        F.exp(out, out=out)
    out += 1
    return F.reciprocal(out, out=out)


def tanh(net, out):
    """Hyperbolic tangent ``out = tanh(net)``."""
    return ops(net).tanh(net, out=out)


def relu(net, out):
    """Rectified linear unit ``out = max(net, 0)``."""
    return ops(net).maximum(net, 0, out=out)


def identity(net, out):
    """Identity ``out = net``."""
    if out is not net:
        out[...] = net
    return out


def exp(net, out):
    """Exponential ``out = exp(net)``, the inverse of the log link.

    For ``net`` above about 709 (88 in float32) ``out`` is inf, the correctly
    rounded value, and the overflow is not reported; training treats an
    infinite objective as divergence, and prediction refuses such an output.
    """
    F = ops(net)
    with F.errstate(over="ignore"):
        return F.exp(net, out=out)


def softmax(net, out):
    """Softmax over each row; shifting by the row maximum keeps ``exp`` finite.

    A row spanning more than the float range shifts some entries to ``-inf``;
    their ``exp`` is 0, the correctly rounded value, so that overflow is not
    reported.
    """
    F = ops(net)
    with F.errstate(over="ignore"):
        F.subtract(net, F.max(net, axis=1, keepdims=True), out=out)
    F.exp(out, out=out)
    out /= F.sum(out, axis=1, keepdims=True)
    return out


def logistic_derivative(out, delta, scratch=None):
    """Multiply ``delta`` by the sigmoid's derivative ``out * (1 - out)``."""
    delta *= out
    # delta * out * (1 - out) = delta * out - (delta * out) * out
    delta -= ops(delta).multiply(delta, out, out=scratch)
    return delta


def tanh_derivative(out, delta, scratch=None):
    """Multiply ``delta`` by the derivative of tanh, ``1 - out**2``."""
    F = ops(delta)
    square = F.multiply(out, out, out=scratch)
    delta -= F.multiply(square, delta, out=square)
    return delta


def relu_derivative(out, delta, scratch=None):
    """Multiply ``delta`` by the derivative of relu, 1 where ``out > 0`` else 0."""
    # out >= 0 after a relu, so sign(out) is exactly that derivative.
    delta *= ops(delta).sign(out, out=scratch)
    return delta


def exp_derivative(out, delta, scratch=None):
    """Multiply ``delta`` by the derivative of exp, which is ``out`` itself."""
    delta *= out
    return delta


def identity_derivative(out, delta, scratch=None):
    """The identity's derivative is 1: ``delta`` is left as it is."""
    return delta


ACTIVATIONS = {
    "logistic": logistic,
    "tanh": tanh,
    "relu": relu,
    "identity": identity,
    "exp": exp,
    "softmax": softmax,
}

DERIVATIVES = {
    "logistic": logistic_derivative,
    "tanh": tanh_derivative,
    "relu": relu_derivative,
    "identity": identity_derivative,
    "exp": exp_derivative,
}
