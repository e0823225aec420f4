"""backprop_trace and check_gradients on Mazur's worked example."""

import numpy as np
import pytest

from skbackprop import backprop_trace, check_gradients

X = [[0.05, 0.10]]
Y = [[0.01, 0.99]]
COEFS = [[[0.15, 0.25], [0.20, 0.30]], [[0.40, 0.50], [0.45, 0.55]]]
INTERCEPTS = [[0.35, 0.35], [0.60, 0.60]]
LR = 0.5


@pytest.fixture(scope="module")
def trace():
    return backprop_trace(X, Y, COEFS, INTERCEPTS)


def test_forward_pass_figures(trace):
    assert trace.net[0][0, 0] == pytest.approx(0.3775, abs=1e-9)
    assert trace.out[0][0, 0] == pytest.approx(0.593269992, abs=1e-9)
    assert trace.out[0][0, 1] == pytest.approx(0.596884378, abs=1e-9)
    assert trace.net[1][0, 0] == pytest.approx(1.105905967, abs=1e-9)
    assert trace.out[1][0, 0] == pytest.approx(0.75136507, abs=1e-9)
    assert trace.out[1][0, 1] == pytest.approx(0.772928465, abs=1e-9)
    assert trace.loss == pytest.approx(0.298371109, abs=1e-9)


def test_deltas_and_gradients(trace):
    # delta_o1 = -(t - out) out (1 - out) = 0.74136507 * 0.186815602
    assert trace.delta[1][0, 0] == pytest.approx(0.138498562, abs=1e-9)
    assert trace.delta[1][0, 1] == pytest.approx(-0.038098236, abs=1e-9)
    # dE/dw5 = delta_o1 * out_h1
    assert trace.coef_grads[1][0, 0] == pytest.approx(0.082167041, abs=1e-9)
    # dE/dw1 = delta_h1 * i1 (Mazur: 0.000438568)
    assert trace.coef_grads[0][0, 0] == pytest.approx(0.000438568, abs=1e-9)


def test_updated_weights(trace):
    updated = [np.asarray(c) - LR * g for c, g in zip(COEFS, trace.coef_grads)]
    # w5 w7 / w6 w8 and w1 w3 / w2 w4, as published.
    np.testing.assert_allclose(
        updated[1], [[0.35891648, 0.511301270], [0.408666186, 0.561370121]], atol=1e-8
    )
    np.testing.assert_allclose(
        updated[0], [[0.149780716, 0.24975114], [0.19956143, 0.29950229]], atol=1e-8
    )


def test_inputs_are_not_modified():
    coefs = [np.array(c) for c in COEFS]
    intercepts = [np.array(b) for b in INTERCEPTS]
    x = np.array(X)
    t = backprop_trace(x, Y, coefs, intercepts)
    t.coefs[0][:] = 99
    np.testing.assert_array_equal(coefs[0], COEFS[0])
    np.testing.assert_array_equal(x, X)


def test_text_uses_the_tutorials_names(trace):
    text = str(trace)
    for name in ["i1", "h1", "h2", "o1", "o2", "w1", "w5", "w8", "delta", "dE/dw"]:
        assert name in text
    # w5 is h1 -> o1 with value 0.4 and gradient 0.082167041.
    (line,) = [row for row in text.splitlines() if row.startswith("w5 ")]
    assert "h1 -> o1" in line and "0.400000000" in line and "0.082167041" in line
    (line,) = [row for row in text.splitlines() if row.startswith("w2 ")]
    assert "i2 -> h1" in line


def test_check_gradients_on_the_worked_example():
    result = check_gradients(X, Y, COEFS, INTERCEPTS)
    assert result.max_relative_error < 1e-7
    assert result.analytic.shape == (12,)


def test_bad_shapes_are_clear_errors():
    with pytest.raises(ValueError, match="features"):
        backprop_trace([[1.0, 2.0, 3.0]], Y, COEFS, INTERCEPTS)
    with pytest.raises(ValueError, match="activation"):
        backprop_trace(X, Y, COEFS, INTERCEPTS, activation="swish")
