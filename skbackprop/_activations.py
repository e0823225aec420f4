"""Activation functions and their derivatives, each written in terms of ``out``."""

import numpy as np
from scipy.special import expit

# Every activation writes ``out = f(net)`` into ``out`` (which may be ``net``
# itself, so the forward pass can overwrite ``net`` in place).
#
# Every derivative multiplies ``delta`` (holding dE/dout) in place by
# f'(net), expressed through ``out`` alone, as the seed does for the sigmoid:
# f'(net) = out * (1 - out).  Afterwards ``delta`` holds dE/dnet.


def logistic(net, out):
    """Sigmoid ``out = 1 / (1 + exp(-net))``, numerically stable for any ``net``."""
    return expit(net, out=out)


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


def softmax(net, out):
    """Softmax over each row; shifting by the row maximum keeps ``exp`` finite."""
    np.subtract(net, net.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)
    return out


def logistic_derivative(out, delta):
    """Multiply ``delta`` by the sigmoid's derivative ``out * (1 - out)``."""
    delta *= out
    delta -= delta * out  # delta * out * (1 - out), one temporary fewer
    return delta


def tanh_derivative(out, delta):
    """Multiply ``delta`` by the derivative of tanh, ``1 - out**2``."""
    delta -= delta * out * out
    return delta


def relu_derivative(out, delta):
    """Multiply ``delta`` by the derivative of relu, 1 where ``out > 0`` else 0."""
    delta[out <= 0] = 0
    return delta


def identity_derivative(out, delta):
    """The identity's derivative is 1: ``delta`` is left as it is."""
    return delta


ACTIVATIONS = {
    "logistic": logistic,
    "tanh": tanh,
    "relu": relu,
    "identity": identity,
    "softmax": softmax,
}

DERIVATIVES = {
    "logistic": logistic_derivative,
    "tanh": tanh_derivative,
    "relu": relu_derivative,
    "identity": identity_derivative,
}
