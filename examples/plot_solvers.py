"""
.. _solvers_example:

===================================
Loss curves of sgd, adam and L-BFGS
===================================

The three solvers minimise the same objective, the mean log-loss plus the L2
term, with gradients from the same backward pass; they differ in how they
step.

* ``"sgd"``: the tutorial's ``w <- w - eta * dE/dw`` on mini-batches, here with
  Nesterov momentum 0.9 and also without momentum;
* ``"adam"``: steps scaled by running averages of the gradient and of its
  square;
* ``"lbfgs"``: full-batch quasi-Newton steps by ``scipy.optimize``; one
  "iteration" is one step on the whole training set.

``loss_curve_`` holds the objective after each epoch (each iteration for
L-BFGS).
"""

import time
import warnings

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

settings = {
    "sgd, momentum 0.9 (Nesterov)": dict(solver="sgd", learning_rate_init=0.1),
    "sgd, no momentum": dict(solver="sgd", learning_rate_init=0.1, momentum=0.0),
    "adam": dict(solver="adam", learning_rate_init=0.01),
    "lbfgs": dict(solver="lbfgs"),
}

# %%
# Training
# --------
# The same network for all: 50 sigmoid hidden nodes, ``alpha=0.03``, at most
# 100 epochs (or iterations), the same random starting weights.
models = {}
print(f"{'solver':<30}{'epochs':>7}{'final loss':>12}{'test acc.':>11}{'s':>7}")
for name, params in settings.items():
    model = BackpropClassifier(
        hidden_layer_sizes=(50,), alpha=0.03, max_iter=100, random_state=0, **params
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    models[name] = model
    print(
        f"{name:<30}{model.n_iter_:>7}{model.loss_:>12.4f}"
        f"{model.score(X_test, y_test):>11.3f}{seconds:>7.2f}"
    )

# %%
# Loss curves
# -----------
# Per epoch, sgd with momentum and adam descend fastest; plain sgd at the same
# learning rate lags far behind (momentum sums past steps, so it moves
# further along a direction the gradients agree on). L-BFGS takes one step
# per pass over the training set, yet here it stops early, after the
# iterations shown in the table above, at the lowest objective of the four.
# Seconds are wall time on the machine that built these pages.
fig, ax = plt.subplots(figsize=(6.5, 4))
for name, model in models.items():
    ax.semilogy(range(1, model.n_iter_ + 1), model.loss_curve_, label=name)
ax.set_xlabel("epoch (iteration for lbfgs)")
ax.set_ylabel("objective: mean log-loss + L2 term")
ax.set_title("digits, 64-50-10 sigmoid network")
ax.legend()
ax.grid(True, which="both", alpha=0.3)
fig.tight_layout()
plt.show()
