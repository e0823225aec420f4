"""
.. _xor_example:

=================================
XOR: why a hidden layer is needed
=================================

A single-layer perceptron draws one straight line through the plane: it can
learn AND and OR, which are linearly separable, but not XOR. One hidden layer
of a few sigmoid nodes is enough to learn it.

``hidden_layer_sizes=()`` gives the network no hidden layer: the inputs feed
the output node directly, ``out = f(w1 x1 + w2 x2 + b)``.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np

from skbackprop import BackpropClassifier

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
targets = {
    "AND": np.array([0, 0, 0, 1]),
    "OR": np.array([0, 1, 1, 1]),
    "XOR": np.array([0, 1, 1, 0]),
}


def perceptron(hidden):
    """The sigmoid network with every default but its hidden layers."""
    return BackpropClassifier(hidden_layer_sizes=hidden, random_state=0)


# %%
# Training accuracy on the four points
# ------------------------------------
# Every setting but ``hidden_layer_sizes`` is the default. The perceptron
# without a hidden layer gets AND and OR right but not XOR: no line separates
# its classes, and the lowest log-loss it can reach is to answer 0.5 for
# every point (a loss of ``ln 2 = 0.6931``, that of predicting the class
# frequencies), with weights of nearly 0; which side of 0.5 each point then
# falls is down to rounding. The fit says so: it warns with a
# :class:`~skbackprop.LearnedNothingWarning`. With the default hidden layer
# of 50 nodes all three are learnt, for every ``random_state``.
models = {}
for hidden, label in [((), "no hidden layer"), ((50,), "hidden layer of 50")]:
    for name, y in targets.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = perceptron(hidden).fit(X, y)
        models[label, name] = model
        said = ", ".join(sorted({w.category.__name__ for w in caught})) or "nothing"
        print(
            f"{label:<18} {name:<4} accuracy {model.score(X, y):.2f}  "
            f"log-loss {model.loss_:.4f}  warned: {said}"
        )

# %%
# Decision boundaries
# -------------------
# The colour is the predicted probability of class 1. Without a hidden layer
# the boundary ``out = 0.5`` is the line ``w1 x1 + w2 x2 + b = 0``; the hidden
# layer bends it around the XOR points.
grid = np.linspace(-0.5, 1.5, 201)
xx, yy = np.meshgrid(grid, grid)
plane = np.c_[xx.ravel(), yy.ravel()]

fig, axes = plt.subplots(
    2, 3, figsize=(9.5, 6.5), sharex=True, sharey=True, layout="constrained"
)
for row, label in enumerate(["no hidden layer", "hidden layer of 50"]):
    for col, name in enumerate(targets):
        ax = axes[row, col]
        model = models[label, name]
        proba = model.predict_proba(plane)[:, 1].reshape(xx.shape)
        filled = ax.contourf(xx, yy, proba, levels=np.linspace(0, 1, 11), cmap="RdBu_r")
        ax.contour(xx, yy, proba, levels=[0.5], colors="k", linewidths=1.5)
        y = targets[name]
        ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu_r", edgecolors="k", s=120)
        ax.set_title(f"{name}, {label}\naccuracy {model.score(X, y):.2f}")
        ax.set_aspect("equal")
for ax in axes[-1]:
    ax.set_xlabel("$x_1$")
for ax in axes[:, 0]:
    ax.set_ylabel("$x_2$")
fig.colorbar(
    filled, ax=axes, shrink=0.8, label="P(y = 1); black line: 0.5, the boundary"
)
plt.show()

# %%
# What the hidden layer does
# --------------------------
# Each hidden node is itself a perceptron with its own straight line. The
# output node combines their ``out`` values, and in the space of the hidden
# outputs the four XOR points are linearly separable. The hidden ``out`` of
# each point can be read from :meth:`~skbackprop.BackpropClassifier.trace`.
xor = models["hidden layer of 50", "XOR"]
trace = xor.trace(X, targets["XOR"])
np.set_printoptions(precision=3, suppress=True)
print("hidden out of the first 6 of 50 nodes (rows: (0,0), (0,1), (1,0), (1,1)):")
print(trace.out[0][:, :6])
print("output out per point:", trace.out[1].ravel())
