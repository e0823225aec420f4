"""
.. _regression_example:

======================================
Fitting a curve with BackpropRegressor
======================================

:class:`~skbackprop.BackpropRegressor` fits real-valued targets with the
tutorial's error ``E = sum 1/2 (t - out)^2`` and, by default, an identity output
node, so that ``out`` can take any value. Here it fits a noisy sine wave with
hidden layers of different sizes, trained by L-BFGS.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import r2_score

from skbackprop import BackpropRegressor

rng = np.random.RandomState(0)
X = np.sort(rng.uniform(-3, 3, 120)).reshape(-1, 1)
y = np.sin(1.5 * X.ravel()) + rng.normal(scale=0.15, size=X.shape[0])
X_test = np.linspace(-3, 3, 300).reshape(-1, 1)
y_true = np.sin(1.5 * X_test.ravel())

# %%
# Networks of 1, 3 and 20 hidden nodes
# --------------------------------------
# A single sigmoid node can only make one S-shaped step; a sine over this
# range needs several. ``alpha`` is the L2 penalty on the weights.
fits = {}
for hidden in (1, 3, 20):
    reg = BackpropRegressor(
        hidden_layer_sizes=(hidden,),
        activation="logistic",
        solver="lbfgs",
        alpha=1e-3,
        max_iter=2000,
        random_state=0,
    ).fit(X, y)
    fits[hidden] = reg
    r2 = r2_score(y_true, reg.predict(X_test))
    print(
        f"{hidden:>2} hidden node(s): {reg.n_iter_:>4} iterations, "
        f"final objective {reg.loss_:.5f}, R^2 against the noiseless sine {r2:.3f}"
    )

# %%
# The fitted curves
# -----------------
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
ax.scatter(X, y, s=10, color="0.6", label="training data")
ax.plot(X_test, y_true, "k--", lw=1, label="sin(1.5 x)")
for hidden, reg in fits.items():
    ax.plot(X_test, reg.predict(X_test), lw=2, label=f"{hidden} hidden node(s)")
ax.set_xlabel("x")
ax.set_ylabel("y")
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
ax.set_title("BackpropRegressor, logistic hidden layer, identity output")
plt.show()

# %%
# The hidden nodes as building blocks
# -----------------------------------
# The prediction of the 3-node network is ``sum_j w_j out_j + b``: a weighted
# sum of three sigmoids of ``x``, each with its own position and slope. The
# hidden ``out`` values are in :meth:`~skbackprop.BackpropRegressor.trace`.
reg = fits[3]
trace = reg.trace(X_test, y_true)
fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
w_out = reg.coefs_[1][:, 0]
for j in range(3):
    ax.plot(X_test, w_out[j] * trace.out[0][:, j], label=f"w_{j + 1} out_h{j + 1}")
ax.plot(X_test, trace.out[1][:, 0], "k", lw=2, label="prediction")
ax.set_xlabel("x")
ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
ax.set_title("3 hidden nodes: weighted sigmoids add up to the fit")
plt.show()
print("output bias b =", reg.intercepts_[1].round(4))
