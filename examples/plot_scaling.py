"""
.. _scaling_example:

===============================================
Scaled inputs: why a sigmoid network needs them
===============================================

A sigmoid node passes its ``net`` through ``f(net) = 1 / (1 + exp(-net))``,
whose derivative is ``out (1 - out)``: at most 1/4, at ``net = 0``, and
nearly 0 once ``|net|`` is more than about 5, where ``out`` is pinned to 0 or
1. Backpropagation multiplies every hidden delta by that derivative, so a
saturated node passes almost no gradient back and its weights stop moving.
This is the vanishing gradient of the backpropagation algorithm itself.

The initial weights are drawn for inputs of order 1. The breast cancer data
has features up to several thousands (the worst area of a tumour is given in
square pixels), so ``net = sum w_i x_i + b`` starts in the hundreds and the
hidden nodes are saturated from the first epoch. Standardising the features
first (:class:`~sklearn.preprocessing.StandardScaler` in a pipeline, so that
each feature has mean 0 and standard deviation 1 on the training rows) keeps
``net`` in the sigmoid's steep range. Below the same network is trained
both ways with the tutorial's gradient descent (``solver="sgd"``).
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
print(f"feature ranges: {X_train.min():.3g} to {X_train.max():.4g}")


def network():
    return BackpropClassifier(
        hidden_layer_sizes=(20,), activation="logistic", solver="sgd", random_state=0
    )


# %%
# Two fits
# --------
# The same network, the same starting weights; one sees the raw features,
# the other standardised ones. The unscaled fit ends with a
# :class:`~skbackprop.SaturationWarning`, printed here: it names the cause
# and the fix.
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    raw = network().fit(X_train, y_train)
for w in caught:
    print(f"{w.category.__name__}: {w.message}")

scaled = make_pipeline(StandardScaler(), network()).fit(X_train, y_train)

# Each estimator with the training rows as it saw them.
fits = {
    "raw features": (raw, X_train),
    "standardised": (scaled[-1], scaled[0].transform(X_train)),
}
for name, model in [("raw features", raw), ("standardised", scaled)]:
    print(f"{name:>13}: test accuracy {model.score(X_test, y_test):.3f}")

# %%
# The share of saturated hidden outputs
# -------------------------------------
# Every fit measures ``saturated_share_``: the share of the hidden outputs,
# over (at most 1000) training rows, whose ``f'(net)`` is below 1% of its
# largest value. It is what the warning reads.
for name, (est, _) in fits.items():
    print(f"{name:>13}: saturated_share_ = {est.saturated_share_:.2f}")

# %%
# Inside the hidden layer
# -----------------------
# :meth:`~skbackprop.BackpropClassifier.trace` gives every hidden node's
# ``out`` and ``delta`` on the training rows. With raw features the outputs
# pile up at 0 and 1 and the deltas, each multiplied by ``out (1 - out)``,
# are vanishingly small: there is nothing left for the weights to learn from.
traces = {name: est.trace(Xs, y_train) for name, (est, Xs) in fits.items()}
for name, trace in traces.items():
    print(
        f"{name:>13}: mean |delta| of the hidden nodes "
        f"{np.abs(trace.delta[0]).mean():.2e}"
    )

fig, (ax0, ax1) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
for (name, (est, _)), colour in zip(fits.items(), ["tab:red", "tab:blue"]):
    ax0.plot(est.loss_curve_, color=colour, label=name)
ax0.set_yscale("log")
ax0.set_xlabel("epoch")
ax0.set_ylabel("training loss (log-loss + L2)")
ax0.set_title("Loss curves: raw features barely learn")
ax0.legend()
bins = np.linspace(0, 1, 21)
for (name, trace), (est, _), colour in zip(
    traces.items(), fits.values(), ["tab:red", "tab:blue"]
):
    ax1.hist(
        trace.out[0].ravel(),
        bins=bins,
        color=colour,
        alpha=0.6,
        label=f"{name}: saturated_share_ {est.saturated_share_:.0%}",
        weights=np.full(trace.out[0].size, 100 / trace.out[0].size),
    )
ax1.set_xlabel("out of a hidden node (all nodes, all training rows)")
ax1.set_ylabel("% of hidden outputs")
ax1.set_title("Hidden outputs: at 0 and 1 without scaling")
ax1.legend(loc="upper center", fontsize=9)
plt.show()
