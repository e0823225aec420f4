"""
.. _digits_example:

==============================================
BackpropClassifier and MLPClassifier on digits
==============================================

:class:`~skbackprop.BackpropClassifier` takes the parameters of
:class:`sklearn.neural_network.MLPClassifier` under the same names, so the
two can be run side by side. This example compares them on the 8x8 digits
data in two ways:

* each with its own defaults (skbackprop: adam, 50 sigmoid units,
  ``alpha=0.0001``, learning rate 0.02, at most 500 epochs and a patience of
  50; scikit-learn: adam, 100 relu units, ``alpha=0.0001``, learning rate
  0.001, at most 200 epochs and a patience of 10);
* both with the same network and training: 100 sigmoid units, sgd with
  Nesterov momentum 0.9, learning rate 0.1, batches of 200, ``alpha=1e-4``,
  at most 200 epochs (the settings of ``python -m skbackprop``).
"""

import time
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

same = dict(
    hidden_layer_sizes=(100,),
    activation="logistic",
    solver="sgd",
    learning_rate_init=0.1,
    momentum=0.9,
    nesterovs_momentum=True,
    batch_size=200,
    alpha=1e-4,
    max_iter=200,
)

# %%
# Fitting
# -------
# Two random seeds per configuration; the table shows the test accuracy,
# the fit time and the number of epochs of each fit.
configs = {
    ("defaults", "BackpropClassifier"): lambda seed: BackpropClassifier(
        random_state=seed
    ),
    ("defaults", "MLPClassifier"): lambda seed: MLPClassifier(random_state=seed),
    ("same settings", "BackpropClassifier"): lambda seed: BackpropClassifier(
        random_state=seed, **same
    ),
    ("same settings", "MLPClassifier"): lambda seed: MLPClassifier(
        random_state=seed, **same
    ),
}
results = {}
print(f"{'settings':<15}{'estimator':<20}{'seed':>5}{'accuracy':>10}{'s':>7}{'ep':>5}")
for key, make in configs.items():
    for seed in range(2):
        model = make(seed)
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        accuracy = model.score(X_test, y_test)
        results.setdefault(key, []).append((accuracy, seconds, model))
        print(
            f"{key[0]:<15}{key[1]:<20}{seed:>5}{accuracy:>10.4f}"
            f"{seconds:>7.2f}{model.n_iter_:>5}"
        )

# %%
# Accuracy and fit time
# ---------------------
# The bars are the means over the two seeds, the dots the single fits.
# The fit times are wall-clock seconds on the machine
# that built this page; they vary between machines and runs.
fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
labels = [f"{s}\n{e.replace('Classifier', '')}" for s, e in results]
colors = ["tab:blue", "tab:orange"] * 2
for ax, column, title in [
    (axes[0], 0, "test accuracy"),
    (axes[1], 1, "fit time (s)"),
]:
    values = [np.array([r[column] for r in runs]) for runs in results.values()]
    ax.bar(range(len(values)), [v.mean() for v in values], color=colors, alpha=0.6)
    for i, v in enumerate(values):
        ax.plot(np.full(v.size, i), v, "k.")
    ax.set_xticks(range(len(values)), labels, fontsize=8)
    ax.set_title(title)
axes[0].set_ylim(0.9, 1.0)
fig.tight_layout()
plt.show()

# %%
# Loss curves with the same settings
# ----------------------------------
# With the same network, optimizer and settings both minimise the same
# objective: mean log-loss plus ``alpha / 2 * sum(W**2)`` divided by the
# number of samples. Their initial weights are drawn differently, so the
# curves are close but not identical.
fig, ax = plt.subplots(figsize=(6, 3.5))
for (settings, name), runs in results.items():
    if settings == "same settings":
        model = runs[0][2]
        ax.semilogy(model.loss_curve_, label=f"{name}, random_state=0")
ax.set_xlabel("epoch")
ax.set_ylabel("training loss")
ax.legend()
ax.grid(True, which="both", alpha=0.3)
fig.tight_layout()
plt.show()
