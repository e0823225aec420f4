"""Draw a BackpropTrace on its network, as Mazur draws his worked example."""

import numpy as np

# Up to this many units in the tallest layer every node shows its values;
# up to the second, nodes are named; beyond, they are dots.
_MAX_LABELLED_UNITS = 8
_MAX_NAMED_UNITS = 24
# A pair of layers with at most this many weights (and at most
# _MAX_LABELLED_FAN units in the later layer) gets a label on every edge;
# larger ones are read from the edges' colour and width.
_MAX_LABELLED_WEIGHTS = 9
_MAX_LABELLED_FAN = 3


def _fmt(value):
    """A number as the picture shows it: three significant digits."""
    return f"{value:.3g}"


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - only without matplotlib
        raise ImportError(
            "BackpropTrace.plot needs matplotlib: pip install 'skbackprop[plot]'."
        ) from exc
    return plt


def _labelled(n_in, n_out):
    """Whether the edges between layers of these sizes get labels."""
    return n_in * n_out <= _MAX_LABELLED_WEIGHTS and n_out <= _MAX_LABELLED_FAN


def _figure_size(units):
    """Inches (width, height) that keep the labels apart."""
    tallest = max(units)
    # A wider fan puts the edge labels nearer the source (see plot_trace):
    # wider columns keep them clear of its box.
    fans = [b for a, b in zip(units, units[1:]) if _labelled(a, b)]
    column = {0: 2.4, 1: 2.6, 2: 2.9}.get(max(fans, default=0), 3.8)
    row = 1.7 if tallest <= 4 else (1.15 if tallest <= _MAX_LABELLED_UNITS else 0.3)
    height = min(11.0, max(3.5, row * (tallest - 1) + 2.6))
    width = min(16.0, column * (len(units) - 1) + 1.3)
    return width, height


def _node_text(trace, layer, k, sample):
    """The lines a node's box shows: its name, then its values."""
    name = trace.node_names()[layer][k].replace("_", r"\_")
    lines = [rf"$\mathbf{{{name}}}$"]
    if layer == 0:
        return "\n".join(lines + [f"out = {_fmt(trace.X[sample, k])}"])
    i = layer - 1
    lines += [
        f"net = {_fmt(trace.net[i][sample, k])}",
        f"out = {_fmt(trace.out[i][sample, k])}",
        f"δ = {_fmt(trace.delta[i][sample, k])}",
    ]
    if layer == len(trace.coefs) and trace.y is not None:
        lines.append(f"t = {_fmt(trace.y[sample, k])}")
    lines.append(f"b = {_fmt(trace.intercepts[i][k])}")
    if trace.n_samples > 1:
        lines.append(f"dE/db = {_fmt(trace.intercept_grads[i][k])}")
    return "\n".join(lines)


def plot_trace(trace, ax=None, sample=0):
    """Draw ``trace`` for one sample; see :meth:`BackpropTrace.plot`."""
    plt = _pyplot()
    units = [trace.X.shape[1]] + [c.shape[1] for c in trace.coefs]
    last, tallest = len(units) - 1, max(units)
    if ax is None:
        _, ax = plt.subplots(figsize=_figure_size(units), layout="constrained")
    # One column per layer, nodes from the top down, one unit apart.
    pos = [
        np.column_stack([np.full(n, float(x)), (n - 1) / 2 - np.arange(n, dtype=float)])
        for x, n in enumerate(units)
    ]
    detailed = tallest <= _MAX_LABELLED_UNITS
    font = 8 if tallest <= 4 else 6.5
    top = (tallest - 1) / 2 + (0.75 if detailed else 1.2)
    bottom = -(tallest - 1) / 2 - (0.65 if detailed else 1.0)
    ax.set_xlim(-0.4, last + 0.4)
    ax.set_ylim(bottom, top + 0.3)
    # Inches per layer, to keep edge labels clear of the nodes' boxes
    # (about half an inch on either side of a node).
    column = ax.get_position().width * ax.figure.get_figwidth() / (last + 0.8)
    box = min(0.3, 0.55 / column)
    _draw_edges(ax, trace, pos, box, font)
    _draw_nodes(ax, trace, pos, sample, font)
    _draw_headers(ax, last, top, font)
    _draw_captions(ax, trace, sample, font)
    ax.set_axis_off()
    return ax


def _draw_edges(ax, trace, pos, box, font):
    """The weights as edges: colour the weight, width its gradient; labels."""
    plt = _pyplot()
    from matplotlib.collections import LineCollection
    from matplotlib.colors import Normalize

    w_max = max(float(np.abs(c).max(initial=0.0)) for c in trace.coefs) or 1.0
    g_max = max(float(np.abs(g).max(initial=0.0)) for g in trace.coef_grads) or 1.0
    cmap, norm = plt.get_cmap("coolwarm_r"), Normalize(-w_max, w_max)
    weight_names = trace.weight_names()
    for layer, (coef, grad) in enumerate(zip(trace.coefs, trace.coef_grads)):
        n_in, n_out = coef.shape
        src, dst = pos[layer], pos[layer + 1]
        edges = LineCollection(
            [(src[j], dst[k]) for j in range(n_in) for k in range(n_out)],
            colors=cmap(norm(coef.ravel())),
            linewidths=0.5 + 3.5 * np.abs(grad).ravel() / g_max,
            zorder=1,
        )
        edges.set_gid(f"weights:{layer}")
        ax.add_collection(edges)
        if not _labelled(n_in, n_out):
            continue
        # Every label sits at the same fraction t of its edge from the source
        # node, past the source's box. At a fixed t the edges of a pair of
        # layers are all at different heights, at least min(t, 1 - n_out t)
        # apart, so even crossing edges keep their labels apart.
        t = min(box + (1 - 2 * box) / (n_out + 1), (1 - 0.8 / (n_out + 1)) / n_out)
        for j, k in np.ndindex(n_in, n_out):
            x, y = (1 - t) * src[j] + t * dst[k]
            label = ax.text(
                x,
                y,
                f"{weight_names[layer][j, k]} = {_fmt(coef[j, k])}\n"
                f"dE/dw = {_fmt(grad[j, k])}",
                fontsize=font - 1,
                ha="center",
                va="center",
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.9),
                zorder=3,
            )
            label.set_gid(f"weight:{weight_names[layer][j, k]}")


def _draw_nodes(ax, trace, pos, sample, font):
    """The units: boxes with their values, named circles, or dots."""
    names = trace.node_names()
    last, tallest = len(pos) - 1, max(len(xy) for xy in pos)
    detailed = tallest <= _MAX_LABELLED_UNITS
    for layer, xy in enumerate(pos):
        face = "#e3edfa" if layer == 0 else ("#fdebd3" if layer == last else "white")
        if not detailed:
            size = 260 if tallest <= _MAX_NAMED_UNITS else 25
            ax.scatter(xy[:, 0], xy[:, 1], s=size, c=face, ec="0.2", zorder=2)
        for k, (x, y) in enumerate(xy):
            if detailed:
                node = ax.text(
                    x,
                    y,
                    _node_text(trace, layer, k, sample),
                    ha="center",
                    va="center",
                    fontsize=font,
                    linespacing=1.25,
                    bbox=dict(boxstyle="round,pad=0.4", fc=face, ec="0.25", lw=1),
                    zorder=4,
                )
                node.set_gid(f"node:{names[layer][k]}")
            elif tallest <= _MAX_NAMED_UNITS:
                ax.text(x, y, names[layer][k], ha="center", va="center", fontsize=5.5)


def _draw_headers(ax, last, top, font):
    """The layers' names above their columns."""
    headers = ["input"] + [f"hidden {i}" for i in range(1, last)] + ["output"]
    if last == 2:
        headers[1] = "hidden"
    for x, header in enumerate(headers):
        ax.text(x, top, header, ha="center", va="bottom", fontsize=font + 1.5)


def _draw_captions(ax, trace, sample, font):
    """The title (what is shown, and the loss) and the key to the edges."""
    n = trace.n_samples
    if n == 1:
        what = (
            f"one sample, E = {_fmt(trace.loss)}"
            if not trace.alpha
            else (f"one sample, objective (E + L2 term) = {_fmt(trace.loss)}")
        )
        legend = "nodes: net, out, δ = dE/dnet, bias b; edges: weight, dE/dw"
    else:
        what = f"sample {sample} of {n}, objective = {_fmt(trace.loss)}"
        legend = (
            f"nodes: net, out, δ = dE/dnet of sample {sample}, bias b; "
            f"edges: weight, dE/dw (mean over the {n} samples)"
        )
    ax.set_title(f"Backpropagation, {what}\n{legend}", fontsize=font + 2)
    ax.text(
        0.5,
        0.0,
        "edge colour: weight (blue > 0, red < 0); "
        "edge width: |dE/dw|, relative to the largest",
        transform=ax.transAxes,
        ha="center",
        va="top",
        fontsize=font - 0.5,
        color="0.35",
    )
