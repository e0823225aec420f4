"""
.. _worked_example:

====================================================
The worked example, step by step (Mazur's 2-2-2 net)
====================================================

Matt Mazur's "A Step by Step Backpropagation Example" (2015), the example the
Korean backpropagation tutorial of the :ref:`user guide <user_guide>` builds
on, works one step of backpropagation by hand on a network
of two inputs, two hidden sigmoid nodes and two sigmoid outputs. This page
replays it with skbackprop's own calls and prints every figure of the
original: the forward pass, the error ``E``, the deltas, every gradient and
the eight updated weights. It then trains on and shows ``E`` falling.

The notation is the tutorial's: ``net`` is a node's weighted input,
``out = f(net)`` its output, ``E = sum 1/2 (t - out)^2`` the error and
``delta = dE/dnet``.
"""

# %%
# The network
# -----------
# Inputs ``i1 = 0.05, i2 = 0.10``, targets ``o1 = 0.01, o2 = 0.99``.
# skbackprop stores the weights of layer ``l`` as a matrix ``coefs[l]`` whose
# entry ``[j, k]`` is the weight *from* node ``j`` *to* node ``k``, so Mazur's
# ``w1`` (i1 -> h1) is ``coefs[0][0, 0]`` and ``w2`` (i2 -> h1) is
# ``coefs[0][1, 0]``. The bias 0.35 is shared by h1 and h2, and 0.60 by o1
# and o2.
import matplotlib.pyplot as plt
import numpy as np

from skbackprop import BackpropRegressor, backprop_trace

X = np.array([[0.05, 0.10]])  # i1, i2
Y = np.array([[0.01, 0.99]])  # targets of o1, o2
coefs = [
    np.array([[0.15, 0.25], [0.20, 0.30]]),  # [[w1, w3], [w2, w4]]
    np.array([[0.40, 0.50], [0.45, 0.55]]),  # [[w5, w7], [w6, w8]]
]
intercepts = [np.array([0.35, 0.35]), np.array([0.60, 0.60])]

# %%
# One forward and one backward pass
# ---------------------------------
# :func:`~skbackprop.backprop_trace` runs the functions the estimators train
# with (``forward_pass``, ``output_delta`` and ``backward_pass``) once,
# updates nothing and keeps every intermediate value. Printing it gives
# a table in the tutorial's names.
trace = backprop_trace(
    X,
    Y,
    coefs,
    intercepts,
    activation="logistic",
    out_activation="logistic",
    loss="squared_error",
)
print(trace)

# %%
# The same pass drawn on the network, as Mazur draws it:
# :meth:`~skbackprop.BackpropTrace.plot` puts ``net``, ``out`` and ``delta``
# on every node and the weight and its gradient ``dE/dw`` on every edge,
# numbered ``w1`` to ``w8``. The thickest edges have the largest gradients.
trace.plot()
plt.show()

# %%
# The forward pass
# ----------------
# ``net_h1 = w1 i1 + w2 i2 + b1 = 0.15 * 0.05 + 0.20 * 0.10 + 0.35`` and
# ``out_h1 = 1 / (1 + exp(-net_h1))``; then the same for the output layer,
# from ``out_h1`` and ``out_h2``. ``trace.net[0]`` and ``trace.out[0]`` are
# the hidden layer, ``trace.net[1]`` and ``trace.out[1]`` the output layer.
net_h, out_h = trace.net[0][0], trace.out[0][0]
net_o, out_o = trace.net[1][0], trace.out[1][0]
print(f"net_h1 = {net_h[0]:.4f}        (Mazur: 0.3775)")
print(f"out_h1 = {out_h[0]:.9f}  (Mazur: 0.593269992)")
print(f"out_h2 = {out_h[1]:.9f}  (Mazur: 0.596884378)")
print(f"net_o1 = {net_o[0]:.9f}  (Mazur: 1.105905967)")
print(f"out_o1 = {out_o[0]:.8f}    (Mazur: 0.75136507)")
print(f"out_o2 = {out_o[1]:.9f}  (Mazur: 0.772928465)")

# %%
# The error
# ---------
# ``E = 1/2 (t_o1 - out_o1)^2 + 1/2 (t_o2 - out_o2)^2``, summed over the
# outputs as in the tutorial. With one sample, the mean over samples that
# ``trace.loss`` reports is ``E`` itself.
E_o = 0.5 * (Y[0] - out_o) ** 2
print(f"E_o1 = {E_o[0]:.9f}  (Mazur: 0.274811083)")
print(f"E_o2 = {E_o[1]:.9f}  (Mazur: 0.023560026)")
print(f"E    = {trace.loss:.9f}  (Mazur: 0.298371109)")

# %%
# The output layer: ``w5`` by the chain rule
# ------------------------------------------
# ``dE/dw5 = dE/dout_o1 * dout_o1/dnet_o1 * dnet_o1/dw5``. The first factor is
# ``-(t_o1 - out_o1)``, the second the sigmoid's derivative
# ``out_o1 (1 - out_o1)``, and their product is the **delta** of o1; the last
# factor is ``out_h1``.
dE_dout_o1 = -(Y[0, 0] - out_o[0])
dout_dnet_o1 = out_o[0] * (1 - out_o[0])
delta_o1 = trace.delta[1][0, 0]
print(f"dE/dout_o1     = {dE_dout_o1:.9f}  (Mazur: 0.74136507)")
print(f"dout_o1/dnet_o1 = {dout_dnet_o1:.9f}  (Mazur: 0.186815602)")
print(f"delta_o1 (by hand)     = {dE_dout_o1 * dout_dnet_o1:.9f}")
print(f"delta_o1 (trace.delta) = {delta_o1:.9f}")
print(f"delta_o2 (trace.delta) = {trace.delta[1][0, 1]:.9f}")
print(f"dE/dw5 = delta_o1 * out_h1 = {delta_o1 * out_h[0]:.9f}")
grad_w5 = trace.coef_grads[1][0, 0]
print(f"trace.coef_grads[1][0, 0]  = {grad_w5:.9f}  (Mazur: 0.082167041)")

# %%
# The hidden layer: ``w1`` by the chain rule
# ------------------------------------------
# ``out_h1`` feeds both outputs, so its share of the error is
# ``dE/dout_h1 = delta_o1 w5 + delta_o2 w7``. Times ``out_h1 (1 - out_h1)``
# it gives the delta of h1, and ``dE/dw1 = delta_h1 * i1``.
delta_o = trace.delta[1][0]
dE_dout_h1 = delta_o[0] * coefs[1][0, 0] + delta_o[1] * coefs[1][0, 1]
delta_h1 = dE_dout_h1 * out_h[0] * (1 - out_h[0])
print(f"dE/dout_h1 = {dE_dout_h1:.9f}  (Mazur: 0.036350306)")
print(f"delta_h1 (by hand)     = {delta_h1:.9f}")
print(f"delta_h1 (trace.delta) = {trace.delta[0][0, 0]:.9f}")
print(f"delta_h2 (trace.delta) = {trace.delta[0][0, 1]:.9f}")
print(f"dE/dw1 = delta_h1 * i1 = {delta_h1 * X[0, 0]:.9f}  (Mazur: 0.000438568)")

# %%
# Every gradient, by name
# -----------------------
# :meth:`~skbackprop.BackpropTrace.weight_names` numbers the weights as Mazur
# does, so the gradients can be listed as ``w1`` to ``w8``. The biases have
# gradients too (``trace.intercept_grads``); Mazur leaves the biases fixed.
names = trace.weight_names()
for layer in (1, 0):
    for j, k in np.ndindex(coefs[layer].shape):
        print(f"dE/d{names[layer][j, k]} = {trace.coef_grads[layer][j, k]:.9f}")

# %%
# One update with the estimator
# -----------------------------
# The tutorial's rule is ``w <- w - eta * dE/dw`` with ``eta = 0.5``, one example
# at a time. :class:`~skbackprop.BackpropRegressor` does exactly that with
# plain sgd (no momentum, no L2 term), one example per batch, one epoch, no
# shuffling, starting from the given weights. All gradients are computed
# before any weight changes, so the hidden weights are updated with the
# *original* ``w5 .. w8``, as in Mazur's text.
#
# One epoch of training warns that training has not converged; that is
# expected here.
import warnings

from sklearn.exceptions import ConvergenceWarning


def mazur_regressor(max_iter, **params):
    """The tutorial's network: sigmoid everywhere, squared error, sgd at 0.5."""
    return BackpropRegressor(
        hidden_layer_sizes=(2,),
        activation="logistic",
        out_activation="logistic",
        solver="sgd",
        learning_rate_init=0.5,
        momentum=0,
        alpha=0,
        batch_size=1,
        max_iter=max_iter,
        shuffle=False,
        **params,
    )


with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    reg = mazur_regressor(max_iter=1).fit(
        X, Y, coefs_init=coefs, intercepts_init=intercepts
    )

# Mazur's published values, to the digits he gives.
published = {
    "w1": "0.149780716",
    "w2": "0.19956143",
    "w3": "0.24975114",
    "w4": "0.29950229",
    "w5": "0.35891648",
    "w6": "0.408666186",
    "w7": "0.511301270",
    "w8": "0.561370121",
}
print("E before the update (loss_curve_[0]):", f"{reg.loss_curve_[0]:.9f}")
print(f"{'weight':<8}{'before':>8}{'after':>14}{'Mazur':>14}")
for name in sorted(published, key=lambda n: int(n[1:])):
    layer, j, k = next(
        (layer, j, k)
        for layer in (0, 1)
        for j, k in np.ndindex(coefs[layer].shape)
        if names[layer][j, k] == name
    )
    print(
        f"{name:<8}{coefs[layer][j, k]:>8.2f}"
        f"{reg.coefs_[layer][j, k]:>14.9f}{published[name]:>14}"
    )

# %%
# The network after the step, drawn from the fitted estimator's own
# :meth:`~skbackprop.BackpropRegressor.trace`: ``out_o1`` has come down
# towards its target 0.01, ``E`` with it, and so have the gradients.
reg.trace(X, Y).plot()
plt.show()

# %%
# The biases are updated as well (``b <- b - eta * dE/db``), which Mazur does
# not do. In the first step this changes none of the weights above, since
# every gradient is taken at the starting point.
print("biases after the update:", [b.round(9).tolist() for b in reg.intercepts_])

# %%
# :meth:`~skbackprop.BackpropRegressor.trace` runs the same pass on the fitted
# estimator: the error of the updated network, biases included.
print(f"E after one update, biases trained = {reg.trace(X, Y).loss:.9f}")

# %%
# To follow Mazur exactly, keep the original biases: the updated weights with
# the biases 0.35 and 0.60. His text gives 0.291027924 for this error; the
# computation below, exact in float64, agrees with it to six decimals.
fixed = backprop_trace(X, Y, reg.coefs_, intercepts)
print(f"E after one update, biases fixed   = {fixed.loss:.9f}")

# %%
# Training on, Mazur's way
# ------------------------
# Mazur repeats the step 10,000 times with the biases fixed and reports
# ``E = 0.0000351085``. The loop below does the same with
# :func:`~skbackprop.backprop_trace` and the tutorial's rule
# ``w <- w - eta * dE/dw``, updating the weights only. ``E`` of the forward
# pass of round ``r`` is ``fixed_curve[r - 1]``.
weights = [c.copy() for c in coefs]
fixed_curve = []
for _ in range(10_000):
    step = backprop_trace(X, Y, weights, intercepts)
    fixed_curve.append(step.loss)
    for W, grad in zip(weights, step.coef_grads):
        W -= 0.5 * grad
final = backprop_trace(X, Y, weights, intercepts)
print(f"E in round 10,000       = {fixed_curve[-1]:.10f}  (Mazur: 0.0000351085)")
print(f"E after 10,000 updates  = {final.loss:.10f}")
print("outputs after 10,000 updates:", final.out[-1].round(6), "targets:", Y)

# %%
# Training on with the estimator
# ------------------------------
# The estimator trains the biases as well, so it ends lower. ``tol=0`` keeps
# it training for all 10,000 epochs. ``loss_curve_[e]`` is the error measured
# in epoch ``e + 1``, before that epoch's update.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    reg = mazur_regressor(max_iter=10_000, tol=0).fit(
        X, Y, coefs_init=coefs, intercepts_init=intercepts
    )
curve = np.asarray(reg.loss_curve_)
for epoch in (1, 2, 10, 100, 1000, 10_000):
    print(
        f"epoch {epoch:>6}: E = {curve[epoch - 1]:.10f}"
        f"   (biases fixed: {fixed_curve[epoch - 1]:.10f})"
    )
print("outputs now:", reg.predict(X).round(6), "targets:", Y)

# %%
# Both errors fall at every update; on a log scale the training of the biases
# shows as a steeper descent.
epochs = np.arange(1, curve.size + 1)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.loglog(epochs, fixed_curve, label="weights only (Mazur)")
ax.loglog(epochs, curve, label="weights and biases (BackpropRegressor)")
ax.set_xlabel("round (one update per round)")
ax.set_ylabel("E")
ax.set_title("Mazur's example: the error falls with every update")
ax.grid(True, which="both", alpha=0.3)
ax.legend()
fig.tight_layout()
plt.show()
