"""BackpropTrace.plot: the pass drawn on the network, as Mazur draws it."""

import re

import numpy as np
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402

from skbackprop import BackpropRegressor, backprop_trace  # noqa: E402

X = [[0.05, 0.10]]
Y = [[0.01, 0.99]]
COEFS = [[[0.15, 0.25], [0.20, 0.30]], [[0.40, 0.50], [0.45, 0.55]]]
INTERCEPTS = [[0.35, 0.35], [0.60, 0.60]]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts_by_gid(ax, prefix):
    return {
        t.get_gid().split(":", 1)[1]: t.get_text()
        for t in ax.texts
        if t.get_gid() and t.get_gid().startswith(prefix + ":")
    }


def numbers(text):
    return [float(v) for v in re.findall(r"=\s*(-?[\d.]+(?:e-?\d+)?)", text)]


def edges(ax):
    return {c.get_gid(): c for c in ax.collections if isinstance(c, LineCollection)}


@pytest.fixture(scope="module")
def mazur():
    return backprop_trace(X, Y, COEFS, INTERCEPTS)


def test_mazur_network_is_drawn_with_w1_to_w8(mazur):
    ax = mazur.plot()
    assert isinstance(ax, matplotlib.axes.Axes)
    labels = texts_by_gid(ax, "weight")
    assert sorted(labels, key=lambda n: int(n[1:])) == [f"w{i}" for i in range(1, 9)]
    names = mazur.weight_names()
    for layer, (coef, grad) in enumerate(zip(mazur.coefs, mazur.coef_grads)):
        for j, k in np.ndindex(coef.shape):
            value, gradient = numbers(labels[names[layer][j, k]])
            assert value == pytest.approx(coef[j, k], rel=5e-3)
            assert gradient == pytest.approx(grad[j, k], rel=5e-3)
    # w5 is h1 -> o1: 0.4 and dE/dw5 = 0.082167041.
    assert numbers(labels["w5"]) == pytest.approx([0.4, 0.0822])
    assert "dE/dw" in labels["w5"]


def test_nodes_show_net_out_delta_and_the_target(mazur):
    ax = mazur.plot()
    nodes = texts_by_gid(ax, "node")
    assert set(nodes) == {"i1", "i2", "h1", "h2", "o1", "o2"}
    assert numbers(nodes["i2"]) == pytest.approx([0.1])
    net, out, delta, bias = numbers(nodes["h1"])
    assert (net, out, delta, bias) == pytest.approx(
        [0.3775, 0.593269992, 0.008771355, 0.35], rel=5e-3
    )
    assert "δ" in nodes["h1"] and "net" in nodes["h1"]
    net, out, delta, target, bias = numbers(nodes["o1"])
    assert out == pytest.approx(0.75136507, rel=5e-3)
    assert delta == pytest.approx(0.138498562, rel=5e-3)
    assert target == pytest.approx(0.01) and bias == pytest.approx(0.6)
    assert "E = 0.298" in ax.get_title()


def test_one_edge_per_weight_coloured_by_sign_and_widened_by_gradient(mazur):
    ax = mazur.plot()
    drawn = edges(ax)
    assert sorted(drawn) == ["weights:0", "weights:1"]
    assert [len(drawn[g].get_segments()) for g in sorted(drawn)] == [4, 4]
    widths = np.concatenate([drawn[g].get_linewidths() for g in sorted(drawn)])
    # Edges are ordered from-node by to-node: w5 (h1 -> o1) is the first of
    # layer 1; w6 (h2 -> o1) has the largest gradient, w1 (i1 -> h1) a tiny one.
    assert widths[6] == widths.max() and widths[4] > 3 * widths[0]
    other = backprop_trace(X, Y, [COEFS[0], [[0.40, -0.50], [0.45, 0.55]]], INTERCEPTS)
    colours = edges(other.plot())["weights:1"].get_colors()
    # Positive weights are blue, the negative w7 red.
    assert colours[0][2] > colours[0][0] and colours[1][0] > colours[1][2]


def test_draws_into_a_given_axes_and_for_a_chosen_sample():
    X3 = [[0.05, 0.10], [0.5, -0.2], [1.0, 0.3]]
    Y3 = [[0.01, 0.99], [0.5, 0.5], [0.9, 0.1]]
    trace = backprop_trace(X3, Y3, COEFS, INTERCEPTS)
    fig, ax = plt.subplots()
    assert trace.plot(ax=ax, sample=2) is ax
    nodes = texts_by_gid(ax, "node")
    assert numbers(nodes["i1"]) == pytest.approx([1.0])
    assert numbers(nodes["h2"])[0] == pytest.approx(trace.net[0][2, 1], rel=5e-3)
    assert numbers(nodes["h2"])[2] == pytest.approx(trace.delta[0][2, 1], rel=5e-3)
    assert "sample 2 of 3" in ax.get_title()
    assert "mean over the 3 samples" in ax.get_title()


@pytest.mark.parametrize("sample", [1, -1, 2])
def test_sample_out_of_range_is_a_clear_error(mazur, sample):
    with pytest.raises(ValueError, match=r"out of range.*1 sample\(s\)"):
        mazur.plot(sample=sample)


@pytest.mark.parametrize("sample", [0.0, "0", True, None])
def test_sample_must_be_an_integer(mazur, sample):
    with pytest.raises(TypeError, match="sample must be an integer"):
        mazur.plot(sample=sample)


def test_four_layers_of_eight_units_label_nodes_not_weights():
    rng = np.random.RandomState(0)
    units = [8, 8, 8, 8]
    coefs = [rng.randn(a, b) for a, b in zip(units, units[1:])]
    intercepts = [rng.randn(b) for b in units[1:]]
    trace = backprop_trace(rng.randn(3, 8), rng.rand(3, 8), coefs, intercepts)
    ax = trace.plot(sample=1)
    assert sum(len(c.get_segments()) for c in edges(ax).values()) == 3 * 64
    assert len(texts_by_gid(ax, "node")) == 32
    assert texts_by_gid(ax, "weight") == {}
    assert numbers(texts_by_gid(ax, "node")["h2_3"])[0] == pytest.approx(
        trace.net[1][1, 2], rel=5e-3
    )


def test_a_fitted_estimator_trace_plots():
    rng = np.random.RandomState(0)
    Xr, yr = rng.rand(20, 3), rng.rand(20)
    reg = BackpropRegressor(hidden_layer_sizes=(2,), solver="lbfgs", random_state=0)
    reg.fit(Xr, yr)
    ax = reg.trace(Xr[:4], yr[:4]).plot(sample=3)
    assert len(texts_by_gid(ax, "weight")) == 3 * 2 + 2 * 1
    assert sum(len(c.get_segments()) for c in edges(ax).values()) == 8
