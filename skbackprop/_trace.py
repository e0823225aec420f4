"""Look inside one backpropagation step: the trace and the gradient check."""

import numbers
from dataclasses import dataclass

import numpy as np

from ._arrays import NUMPY, ops, to_host
from ._losses import loss_value
from ._network import Parameters, allocate, l2_penalty, loss_and_gradient

_OUT_ACTIVATIONS = ("identity", "logistic", "softmax", "tanh", "relu", "exp")


@dataclass
class BackpropTrace:
    """Every intermediate value of one forward and one backward pass.

    Layers are counted after the input: index 0 is the first hidden layer (or
    the output layer when there is none), index -1 the output layer.
    ``print(trace)`` shows the pass as a table (:meth:`to_text`) and
    :meth:`plot` draws it on the network.

    Attributes
    ----------
    net : list of ndarray
        ``net[l]`` of shape (n_samples, units): weighted input of each node.
    out : list of ndarray
        ``out[l] = f(net[l])`` of shape (n_samples, units).
    delta : list of ndarray
        ``delta[l]`` of shape (n_samples, units): each sample's own delta,
        ``dE_s/dnet`` of each node for the error ``E_s`` of sample ``s``
        alone, as in the tutorial (not divided by the number of samples).
    coef_grads : list of ndarray
        Gradient of the objective with respect to each weight, shaped like
        the weights: the mean over the samples of ``delta * out_prev``, plus
        the L2 term's gradient.
    intercept_grads : list of ndarray
        Gradient with respect to each bias (the mean of ``delta``), shaped
        like the biases.
    loss : float
        The objective: the mean of ``E_s`` over the samples plus the L2 term
        ``alpha / 2 * sum(W**2) / n_samples``. With one sample and
        ``alpha=0`` it is the tutorial's ``E``.
    X : ndarray of shape (n_samples, n_features)
        The input.
    coefs, intercepts : list of ndarray
        Copies of the weights the pass used.
    y : ndarray of shape (n_samples, n_outputs) or None
        The targets ``t`` the pass used (one-hot rows for classification).
    activation, out_activation : str
        Activations of the hidden and output layers.
    loss_name : {"squared_error", "log_loss", "poisson"}
        The loss ``E`` per sample.
    alpha : float
        The L2 penalty.
    """

    net: list
    out: list
    delta: list
    coef_grads: list
    intercept_grads: list
    loss: float
    X: np.ndarray
    coefs: list
    intercepts: list
    y: np.ndarray = None
    activation: str = "logistic"
    out_activation: str = "logistic"
    loss_name: str = "squared_error"
    alpha: float = 0.0

    @property
    def n_samples(self):
        """Number of samples (rows of ``X``) in the pass."""
        return self.X.shape[0]

    def node_names(self):
        """Names of the nodes per layer in the tutorial's style.

        Returns
        -------
        names : list of list of str
            ``i1, i2, ...`` for the inputs, ``h1, h2, ...`` for a single
            hidden layer (``h1_1, h1_2, ...``, ``h2_1, ...`` for several) and
            ``o1, o2, ...`` for the outputs.
        """
        n_hidden = len(self.coefs) - 1
        names = [[f"i{k + 1}" for k in range(self.X.shape[1])]]
        for layer, coef in enumerate(self.coefs):
            units = coef.shape[1]
            if layer == n_hidden:
                prefix = "o"
            elif n_hidden == 1:
                prefix = "h"
            else:
                prefix = f"h{layer + 1}_"
            names.append([f"{prefix}{k + 1}" for k in range(units)])
        return names

    def weight_names(self):
        """Names ``w1, w2, ...`` numbered as in Mazur's worked example.

        Weights are numbered layer by layer, and within a layer by the node
        they lead to, then by the node they come from: ``w1`` is i1 -> h1,
        ``w2`` is i2 -> h1, ``w3`` is i1 -> h2.

        Returns
        -------
        names : list of ndarray of str
            Shaped like ``coefs``.
        """
        names, start = [], 1
        for coef in self.coefs:
            n_in, n_out = coef.shape
            numbers = start + np.arange(n_in * n_out).reshape(n_out, n_in).T
            names.append(np.char.add("w", numbers.astype(str)))
            start += n_in * n_out
        return names

    def _check_sample(self, sample):
        """Validate a sample index; return it as an int."""
        if isinstance(sample, bool) or not isinstance(sample, numbers.Integral):
            raise TypeError(
                f"sample must be an integer row index of X, got {sample!r}."
            )
        if not 0 <= sample < self.n_samples:
            raise ValueError(
                f"sample={sample} is out of range: this trace has "
                f"{self.n_samples} sample(s), numbered 0 to {self.n_samples - 1}."
            )
        return int(sample)

    def error_description(self):
        """What ``E`` is, per sample, in words and symbols.

        Returns
        -------
        text : str
            E.g. ``"squared error E = sum_k 1/2 (t_k - out_k)^2"``.
        """
        if self.loss_name == "squared_error":
            return "squared error E = sum_k 1/2 (t_k - out_k)^2"
        if self.loss_name == "poisson":
            return "half Poisson deviance E = sum_k t_k log(t_k / out_k) - t_k + out_k"
        if self.out_activation == "softmax":
            return "log-loss E = -sum_k t_k log out_k"
        return "log-loss E = -sum_k [t_k log out_k + (1 - t_k) log(1 - out_k)]"

    def sample_error(self, sample):
        """``E`` of one sample alone, without the L2 term.

        Parameters
        ----------
        sample : int
            Row of ``X``.

        Returns
        -------
        error : float
        """
        s = self._check_sample(sample)
        if self.y is None:
            raise ValueError("This trace does not hold its targets y.")
        rows = slice(s, s + 1)
        out = self.out[-1][rows]
        return loss_value(
            self.loss_name,
            self.out_activation,
            self.y[rows],
            out,
            None,
            work=np.empty_like(out),
        )

    def l2_term(self):
        """The L2 term of the objective, ``alpha / 2 * sum(W**2) / n_samples``.

        Returns
        -------
        term : float
        """
        if not self.alpha:
            return 0.0
        params = Parameters.from_layers(self.coefs, self.intercepts, np.float64)
        return l2_penalty(params, self.alpha) / self.n_samples

    def to_text(self, sample=0):
        """A table of the pass in the tutorial's names, for one sample.

        The first lines say what ``E`` is and which sample the node table is
        for; the node table gives ``net``, ``out`` and the sample's own
        ``delta`` (and the target ``t`` of each output); the weight and bias
        tables give the values and the gradients of the objective, which are
        means over all the samples.

        Parameters
        ----------
        sample : int, default=0
            Which row of ``X`` to show the nodes of.

        Returns
        -------
        text : str
        """
        s = self._check_sample(sample)
        n = self.n_samples
        lines = []
        if n > 1:
            lines.append(
                f"{n} samples: the node table is for sample {s} "
                "(to_text(sample=k) or plot(sample=k) shows sample k)."
            )
        described = self.y is not None
        if described and n == 1 and not self.alpha:
            lines.append(f"{self.error_description()} = {self.loss:.9f}")
        elif described:
            error = self.loss - self.l2_term() if self.alpha else self.loss
            mean = f", mean over the {n} samples" if n > 1 else ""
            lines.append(f"{self.error_description()}{mean} = {error:.9f}")
            if n > 1:
                lines.append(f"E of sample {s} = {self.sample_error(s):.9f}")
            if self.alpha:
                lines.append(
                    f"L2 term alpha/2 * sum(W^2) / {n} = {self.l2_term():.9f} "
                    f"(alpha={self.alpha:g})"
                )
                lines.append(f"objective, mean E + L2 term = {self.loss:.9f}")
        else:
            lines.append(f"objective (mean over {n} sample(s)) = {self.loss:.9f}")
        nodes = self.node_names()
        delta = "delta" if n == 1 else f"delta_{s}"
        lines += ["", f"{'node':<8}{'net':>15}{'out':>15}{delta:>15}{'target':>15}"]
        for k, name in enumerate(nodes[0]):
            lines.append(f"{name:<8}{'':>15}{self.X[s, k]:>15.9f}")
        last = len(nodes) - 2
        for layer, names in enumerate(nodes[1:]):
            for k, name in enumerate(names):
                row = (
                    f"{name:<8}{self.net[layer][s, k]:>15.9f}"
                    f"{self.out[layer][s, k]:>15.9f}"
                    f"{self.delta[layer][s, k]:>15.9f}"
                )
                if layer == last and self.y is not None:
                    row += f"{self.y[s, k]:>15.9f}"
                lines.append(row)
        if n > 1:
            lines.append(
                f"({delta} = dE/dnet for sample {s} alone, the tutorial's delta.)"
            )
        lines += ["", f"{'weight':<8}{'from -> to':<14}{'value':>15}{'dE/dw':>15}"]
        for layer, (names, coef, grad) in enumerate(
            zip(self.weight_names(), self.coefs, self.coef_grads)
        ):
            order = np.argsort(
                np.char.lstrip(names.ravel(), "w").astype(int), kind="stable"
            )
            for flat in order:
                j, k = divmod(int(flat), coef.shape[1])
                link = f"{nodes[layer][j]} -> {nodes[layer + 1][k]}"
                lines.append(
                    f"{names[j, k]:<8}{link:<14}{coef[j, k]:>15.9f}{grad[j, k]:>15.9f}"
                )
        lines += ["", f"{'bias of':<22}{'value':>15}{'dE/db':>15}"]
        for layer, (b, g) in enumerate(zip(self.intercepts, self.intercept_grads)):
            for k in range(b.shape[0]):
                lines.append(f"{nodes[layer + 1][k]:<22}{b[k]:>15.9f}{g[k]:>15.9f}")
        if n > 1 or self.alpha:
            over = f"means over the {n} samples" if n > 1 else "of the objective"
            l2 = ", with the L2 term's alpha * W / n in dE/dw" if self.alpha else ""
            lines.append(f"(dE/dw and dE/db: gradients of the objective, {over}{l2}.)")
        return "\n".join(lines)

    def __str__(self):
        return self.to_text()

    def plot(self, ax=None, sample=0):
        """Draw the network with this pass on it, as Mazur draws his example.

        Each node is a box with its name and ``net``, ``out`` and ``delta``
        of one sample, its bias ``b`` (and, with several samples, ``dE/db``);
        inputs show their value, outputs also their target ``t``. Each edge
        is labelled with the weight's name (``w1``, ``w2``, ... as
        :meth:`weight_names` numbers them), its value and ``dE/dw``. Edge
        colour shows the weight's sign and size, edge width ``|dE/dw|``
        relative to the largest in the picture. Every node is labelled up to
        8 units per layer (about 4 layers of 8 fit a figure); edges are
        labelled between layers with at most 9 weights and 3 units in the
        later layer, and read from colour and width beyond. Numbers show
        three significant digits; ``print(trace)`` has them all. Needs
        matplotlib (the ``plot`` extra).

        Parameters
        ----------
        ax : matplotlib.axes.Axes, default=None
            Where to draw; None makes a new figure sized for the network.
        sample : int, default=0
            Which row of ``X`` the nodes show. The gradients on the edges
            are over all the samples.

        Returns
        -------
        ax : matplotlib.axes.Axes
        """
        from ._trace_plot import plot_trace

        return plot_trace(self, ax=ax, sample=self._check_sample(sample))


def _check_network(X, Y, coefs, intercepts):
    X = np.array(X, dtype=np.float64, ndmin=2)
    Y = np.asarray(Y, dtype=np.float64)
    Y = Y.reshape(-1, 1) if Y.ndim == 1 else Y
    coefs = [np.array(c, dtype=np.float64, ndmin=2) for c in coefs]
    intercepts = [np.array(b, dtype=np.float64, ndmin=1) for b in intercepts]
    if not coefs or len(coefs) != len(intercepts):
        raise ValueError(
            "coefs and intercepts need one array per layer, as many of each."
        )
    if coefs[0].shape[0] != X.shape[1] or coefs[-1].shape[1] != Y.shape[1]:
        raise ValueError(
            f"X has {X.shape[1]} features and y {Y.shape[1]} outputs, but the "
            f"weights map {coefs[0].shape[0]} inputs to {coefs[-1].shape[1]} outputs."
        )
    for i, (c, b) in enumerate(zip(coefs, intercepts)):
        if (i and c.shape[0] != coefs[i - 1].shape[1]) or b.shape != (c.shape[1],):
            raise ValueError(
                f"The shapes of layer {i} do not chain: {c.shape}, {b.shape}."
            )
    if X.shape[0] != Y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {Y.shape[0]}.")
    return X, Y, Parameters.from_layers(coefs, intercepts, np.float64)


def _check_names(activation, out_activation, loss):
    if activation not in ("identity", "logistic", "tanh", "relu"):
        raise ValueError(f"Unknown activation {activation!r}.")
    if out_activation not in _OUT_ACTIVATIONS:
        raise ValueError(f"Unknown out_activation {out_activation!r}.")
    if loss not in ("squared_error", "log_loss", "poisson"):
        raise ValueError(f"Unknown loss {loss!r}.")
    if loss == "poisson" and out_activation != "exp":
        raise ValueError("loss='poisson' needs out_activation 'exp' (the log link).")
    if loss == "log_loss" and out_activation not in ("logistic", "softmax"):
        raise ValueError(
            "loss='log_loss' needs out_activation 'logistic' or 'softmax'."
        )
    if loss == "squared_error" and out_activation == "softmax":
        raise ValueError("loss='squared_error' is not paired with a softmax output.")


def backprop_trace(
    X,
    y,
    coefs,
    intercepts,
    *,
    activation="logistic",
    out_activation="logistic",
    loss="squared_error",
    alpha=0.0,
):
    """Run one forward and one backward pass and keep every intermediate value.

    The pass goes through the very functions the estimators train with; no
    weight is updated and no input is modified.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Inputs.
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Targets ``t`` (one-hot rows for classification).
    coefs : list of array-like
        ``coefs[i]`` of shape ``(units_i, units_{i+1})``: the weights from
        layer ``i`` to layer ``i + 1``.
    intercepts : list of array-like
        ``intercepts[i]`` of shape ``(units_{i+1},)``.
    activation : {"logistic", "tanh", "relu", "identity"}, default="logistic"
        Hidden activation.
    out_activation : {"logistic", "identity", "softmax", "tanh", "relu", "exp"}, \
default="logistic"
        Output activation.
    loss : {"squared_error", "log_loss", "poisson"}, default="squared_error"
        The loss ``E`` per sample.
    alpha : float, default=0.0
        L2 penalty, as in the estimators.

    Returns
    -------
    trace : BackpropTrace
        ``net``, ``out`` and ``delta`` per layer, the gradients and the loss;
        ``print(trace)`` shows them in the tutorial's names.

    Examples
    --------
    >>> from skbackprop import backprop_trace
    >>> trace = backprop_trace(
    ...     [[0.05, 0.10]], [[0.01, 0.99]],
    ...     coefs=[[[0.15, 0.25], [0.20, 0.30]], [[0.40, 0.50], [0.45, 0.55]]],
    ...     intercepts=[[0.35, 0.35], [0.60, 0.60]])
    >>> round(trace.loss, 9)
    0.298371109
    """
    _check_names(activation, out_activation, loss)
    # Array-API input (torch, cupy...): checked on the host, passed on its
    # device, and the record brought back to numpy for printing and plotting.
    F = ops(X)
    coefs, intercepts = [to_host(c) for c in coefs], [to_host(b) for b in intercepts]
    X, Y, params = _check_network(to_host(X), to_host(y), coefs, intercepts)
    if F is not NUMPY:
        X, Y = F.asarray(X), F.asarray(Y)
        params = Parameters.from_layers(params.coefs, params.intercepts, X.dtype, F=F)
    units = [X.shape[1]] + [c.shape[1] for c in params.coefs]
    outs, deltas = allocate(units, X.shape[0], X.dtype, F=F)
    nets, _ = allocate(units, X.shape[0], X.dtype, deltas=False, F=F)
    grads = Parameters(units, dtype=X.dtype, F=F)
    value = loss_and_gradient(
        X,
        Y,
        params,
        grads,
        outs,
        deltas,
        activation=activation,
        out_activation=out_activation,
        loss=loss,
        alpha=alpha,
        nets=nets,
    )
    # loss_and_gradient divides the output deltas by the number of samples,
    # so that the backward pass sums to mean gradients; multiplying back
    # gives each sample's own delta, dE_s/dnet, as the tutorial has it.
    for delta in deltas:
        delta *= X.shape[0]
    on_host = to_host
    return BackpropTrace(
        net=[on_host(a) for a in nets[1:]],
        out=[on_host(a) for a in outs[1:]],
        delta=[on_host(a) for a in deltas],
        coef_grads=[on_host(a) for a in grads.coefs],
        intercept_grads=[on_host(a) for a in grads.intercepts],
        loss=value,
        X=on_host(X),
        coefs=[on_host(a) for a in params.coefs],
        intercepts=[on_host(a) for a in params.intercepts],
        y=np.array(on_host(Y)),
        activation=activation,
        out_activation=out_activation,
        loss_name=loss,
        alpha=float(alpha),
    )


@dataclass
class GradientCheck:
    """Analytic against numerical gradients, flat over all weights then biases.

    Attributes
    ----------
    analytic : ndarray of shape (n_params,)
        Gradient from backpropagation.
    numerical : ndarray of shape (n_params,)
        Gradient from central finite differences.
    max_relative_error : float
        ``max |a - n| / max(|a| + |n|, 1e-8)`` over the parameters.
    """

    analytic: np.ndarray
    numerical: np.ndarray
    max_relative_error: float


def check_gradients(
    X,
    y,
    coefs,
    intercepts,
    *,
    activation="logistic",
    out_activation="logistic",
    loss="squared_error",
    alpha=0.0,
    sample_weight=None,
    eps=1e-5,
):
    """Compare backpropagation's gradient with central finite differences.

    ``(E(w + eps) - E(w - eps)) / (2 eps)`` for every weight and bias in
    turn; a correct backward pass agrees to about ``1e-7`` in float64 for
    smooth activations.

    Parameters
    ----------
    X, y, coefs, intercepts, activation, out_activation, loss, alpha
        As in :func:`backprop_trace`.
    sample_weight : array-like of shape (n_samples,), default=None
        Weights of the samples in the objective.
    eps : float, default=1e-5
        Step of the finite differences.

    Returns
    -------
    result : GradientCheck
        Both gradients and the largest relative error.
    """
    _check_names(activation, out_activation, loss)
    X, Y, params = _check_network(X, y, coefs, intercepts)
    if sample_weight is not None:
        sample_weight = np.asarray(sample_weight, dtype=np.float64)
    units = [X.shape[1]] + [c.shape[1] for c in params.coefs]
    outs, deltas = allocate(units, X.shape[0])
    grads = Parameters(units)
    settings = dict(
        activation=activation,
        out_activation=out_activation,
        loss=loss,
        alpha=alpha,
        sample_weight=sample_weight,
    )

    def objective():
        return loss_and_gradient(X, Y, params, grads, outs, deltas, **settings)

    objective()
    analytic = grads.flat.copy()
    numerical = np.empty_like(analytic)
    for k in range(params.flat.size):
        original = params.flat[k]
        params.flat[k] = original + eps
        upper = objective()
        params.flat[k] = original - eps
        lower = objective()
        params.flat[k] = original
        numerical[k] = (upper - lower) / (2 * eps)
    error = np.abs(analytic - numerical) / np.maximum(
        np.abs(analytic) + np.abs(numerical), 1e-8
    )
    return GradientCheck(analytic, numerical, float(error.max()))
