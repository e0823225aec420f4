"""Activation functions and their derivatives, each written in terms of ``out``."""

import numpy as np

# Every activation writes ``out = f(net)`` into ``out`` (which may be ``net``
# itself, so the forward pass can overwrite ``net`` in place).
#
# Every derivative multiplies ``delta`` (holding dE/dout) in place by
# f'(net), expressed through ``out`` alone, as the tutorial does for the sigmoid:
# f'(net) = out * (1 - out).  Afterwards ``delta`` holds dE/dnet.  Given a
# ``scratch`` array shaped like ``delta``, a derivative allocates nothing;
# ``scratch`` may be ``out`` itself when ``out`` is not needed afterwards.


def logistic(net, out):
    """Sigmoid ``out = 1 / (1 + exp(-net))``, exact for any ``net``.

    Written with numpy's vectorised ``exp``, about twice as fast as
    ``scipy.special.expit``.  For ``net`` below about -709 (-88 in float32)
    ``exp(-net)`` overflows to inf and ``out`` is 0 rather than the tiny
    (subnormal) true value; the overflow is harmless and not reported.
    """
    with np.errstate(over="ignore"):
        np.negative(net, out=out)
        np.exp(out, out=out)
    out += 1
    return np.reciprocal(out, out=out)


def tanh(net, out):
    """Hyperbolic tangent ``out = tanh(net)``."""
    return np.tanh(net, out=out)


def relu(net, out):
    """Rectified linear unit ``out = max(net, 0)``."""
    return np.maximum(net, 0, out=out)


def identity(net, out):
    """Identity ``out = net``."""
    if out is not net:
        np.copyto(out, net)
    return out


def exp(net, out):
    """Exponential ``out = exp(net)``, the inverse of the log link.

    For ``net`` above about 709 (88 in float32) ``out`` is inf, the correctly
    rounded value, and the overflow is not reported; training treats an
    infinite objective as divergence, and prediction refuses such an output.
    """
    with np.errstate(over="ignore"):
        return np.exp(net, out=out)


def softmax(net, out):
    """Softmax over each row; shifting by the row maximum keeps ``exp`` finite.

    A row spanning more than the float range shifts some entries to ``-inf``;
    their ``exp`` is 0, the correctly rounded value, so that overflow is not
    reported.
    """
    with np.errstate(over="ignore"):
        np.subtract(net, net.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)
    return out


def logistic_derivative(out, delta, scratch=None):
    """Multiply ``delta`` by the sigmoid's derivative ``out * (1 - out)``."""
    delta *= out
    # delta * out * (1 - out) = delta * out - (delta * out) * out
    delta -= np.multiply(delta, out, out=scratch)
    return delta


def tanh_derivative(out, delta, scratch=None):
    """Multiply ``delta`` by the derivative of tanh, ``1 - out**2``."""
    square = np.multiply(out, out, out=scratch)
    delta -= np.multiply(square, delta, out=square)
    return delta


def relu_derivative(out, delta, scratch=None):
    """Multiply ``delta`` by the derivative of relu, 1 where ``out > 0`` else 0."""
    # out >= 0 after a relu, so sign(out) is exactly that derivative.
    delta *= np.sign(out, out=scratch)
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
