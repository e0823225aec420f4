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


def test_one_sample_text_is_mazurs_error_with_no_batch_wording(trace):
    text = str(trace)
    first = text.splitlines()[0]
    assert first == "squared error E = sum_k 1/2 (t_k - out_k)^2 = 0.298371109"
    assert "sample" not in text and "L2" not in text
    o1 = next(row for row in text.splitlines() if row.startswith("o1 "))
    assert "0.138498562" in o1 and o1.rstrip().endswith("0.010000000")


X3 = [[0.05, 0.10], [0.5, -0.2], [1.0, 0.3]]
Y3 = [[0.01, 0.99], [0.5, 0.5], [0.9, 0.1]]


def test_delta_is_each_samples_own_and_gradients_are_means():
    batch = backprop_trace(X3, Y3, COEFS, INTERCEPTS)
    singles = [backprop_trace([x], [t], COEFS, INTERCEPTS) for x, t in zip(X3, Y3)]
    for layer in range(2):
        for s, single in enumerate(singles):
            np.testing.assert_allclose(
                batch.delta[layer][s], single.delta[layer][0], rtol=1e-12
            )
        np.testing.assert_allclose(
            batch.coef_grads[layer],
            np.mean([single.coef_grads[layer] for single in singles], axis=0),
            rtol=1e-12,
        )
    assert batch.loss == pytest.approx(np.mean([s.loss for s in singles]))
    assert batch.sample_error(1) == pytest.approx(singles[1].loss, rel=1e-12)


def test_several_samples_say_which_sample_and_what_is_averaged():
    batch = backprop_trace(X3, Y3, COEFS, INTERCEPTS)
    text = batch.to_text(sample=1)
    lines = text.splitlines()
    assert lines[0].startswith("3 samples: the node table is for sample 1")
    assert "to_text(sample=k)" in lines[0]
    assert "mean over the 3 samples" in lines[1]
    assert f"E of sample 1 = {batch.sample_error(1):.9f}" in text
    assert "delta_1" in text and "sample 1 alone" in text
    assert "means over the 3 samples" in text
    h2 = next(row for row in lines if row.startswith("h2 "))  # the node table
    assert f"{batch.delta[0][1, 1]:.9f}" in h2
    assert f"{batch.net[0][1, 1]:.9f}" in h2


def test_log_loss_and_the_l2_term_are_named():
    batch = backprop_trace(
        X3, np.eye(3)[:, :2], COEFS, INTERCEPTS, loss="log_loss", alpha=0.3
    )
    text = str(batch)
    assert "log-loss E = -sum_k [t_k log out_k + (1 - t_k) log(1 - out_k)]" in text
    l2 = 0.3 / 2 * sum(float(np.sum(np.square(c))) for c in COEFS) / 3
    assert batch.l2_term() == pytest.approx(l2)
    assert f"L2 term alpha/2 * sum(W^2) / 3 = {l2:.9f}" in text
    error = batch.loss - l2
    assert f"mean over the 3 samples = {error:.9f}" in text
    assert f"objective, mean E + L2 term = {batch.loss:.9f}" in text
    softmax = backprop_trace(
        X3,
        np.eye(3)[:, :2],
        COEFS,
        INTERCEPTS,
        out_activation="softmax",
        loss="log_loss",
    )
    assert str(softmax).splitlines()[1].startswith("log-loss E = -sum_k t_k log out_k")


def test_to_text_rejects_a_sample_out_of_range(trace):
    with pytest.raises(ValueError, match="out of range"):
        trace.to_text(sample=1)


def test_poisson_error_is_named():
    poisson = backprop_trace(
        X3,
        [[1.0, 0.0], [2.0, 1.0], [0.0, 3.0]],
        COEFS,
        INTERCEPTS,
        out_activation="exp",
        loss="poisson",
    )
    first = str(poisson).splitlines()[1]
    assert first.startswith("half Poisson deviance E = sum_k t_k log(t_k / out_k)")
    assert poisson.sample_error(0) >= 0
