"""
.. _backprop_picture_example:

===========================================
A picture of backpropagation: one step seen
===========================================

:meth:`BackpropTrace.plot <skbackprop.BackpropTrace.plot>` draws one forward
and one backward pass on the network, the way Matt Mazur draws his worked
example: every node shows its weighted input ``net``, its output
``out = f(net)`` and its ``delta = dE/dnet``; every edge carries its weight,
named ``w1, w2, ...`` as Mazur numbers them, and the gradient ``dE/dw`` that
backpropagation found for it. Edge colour shows the weight (blue positive,
red negative), edge width the size of ``dE/dw``: the thick edges are the ones
the next step will move most.

This page draws Mazur's 2-2-2 network before and after one gradient step,
then the trace of a fitted estimator.
"""

# %%
# Mazur's network, before the step
# --------------------------------
# Inputs 0.05 and 0.10, targets 0.01 and 0.99, sigmoid nodes, squared error
# ``E = sum 1/2 (t - out)^2``. The output o1 is far too high
# (0.751 for a target of 0.01), so its delta is large and the weights into
# it, ``w5`` and ``w6``, have the largest gradients: the thickest edges.
import matplotlib.pyplot as plt
import numpy as np

from skbackprop import BackpropClassifier, backprop_trace

X = np.array([[0.05, 0.10]])
Y = np.array([[0.01, 0.99]])
coefs = [
    np.array([[0.15, 0.25], [0.20, 0.30]]),  # [[w1, w3], [w2, w4]]
    np.array([[0.40, 0.50], [0.45, 0.55]]),  # [[w5, w7], [w6, w8]]
]
intercepts = [np.array([0.35, 0.35]), np.array([0.60, 0.60])]

before = backprop_trace(X, Y, coefs, intercepts)
before.plot()
plt.show()

# %%
# One step, ``w <- w - eta * dE/dw``
# ----------------------------------
# With Mazur's learning rate ``eta = 0.5`` every weight moves against its
# gradient; as in his text the biases stay fixed. All gradients were taken
# before any weight changed. The new weights are his published ones
# (``w5 = 0.35891648``, ``w1 = 0.149780716``...), ``out_o1`` has come down
# and ``E`` with it.
eta = 0.5
stepped = [W - eta * grad for W, grad in zip(coefs, before.coef_grads)]
after = backprop_trace(X, Y, stepped, intercepts)
print(f"E before the step: {before.loss:.9f}")
print(f"E after the step:  {after.loss:.9f}")
print("w5 after the step:", round(stepped[1][0, 0], 8))
after.plot()
plt.show()

# %%
# The same numbers as a table: ``print(trace)`` lists every node and weight
# with nine decimals.
print(after)

# %%
# The trace of a fitted estimator
# -------------------------------
# ``estimator.trace(X, y)`` runs the pass with the estimator's own weights,
# activations, loss and L2 penalty, here a classifier that learnt XOR with
# two hidden nodes. Its output is one sigmoid node with the log-loss, whose
# delta is simply ``out - t``. With several samples the nodes show one of
# them (``sample=``), each with its own delta, while the gradients on the
# edges are means over all the samples, plus the L2 term's.
X_xor = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y_xor = np.array([0, 1, 1, 0])
clf = BackpropClassifier(
    hidden_layer_sizes=(2,), solver="lbfgs", alpha=0.01, random_state=0
).fit(X_xor, y_xor)
print("P(y=1):", clf.predict_proba(X_xor)[:, 1].round(3), "targets:", y_xor)

trace = clf.trace(X_xor, y_xor)
fig, axes = plt.subplots(1, 2, figsize=(14, 5), layout="constrained")
trace.plot(ax=axes[0], sample=1)
trace.plot(ax=axes[1], sample=3)
plt.show()

# %%
# Training has stopped at a minimum of the objective, so every gradient is
# close to 0 (the edge widths are relative to the largest gradient in the
# picture): each sample's delta is far from 0, but the samples pull the
# weights in opposite directions and their pulls, with the L2 term, cancel.
print("output delta of each sample:", trace.delta[-1].ravel().round(3))
largest = max(np.abs(g).max() for g in trace.coef_grads)
print(f"largest |dE/dw|: {largest:.1e}")
