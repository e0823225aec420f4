"""
.. _plateau_example:

=============================================================
The plateau: a stalled sigmoid network next to a learning one
=============================================================

A sigmoid network starts near the *constant prediction*: every output close
to the class frequencies, and a loss close to theirs, ``ln 2 = 0.693`` for
two balanced classes. To leave that plateau its hidden nodes must turn to
different sides of the data, while every delta passed back to them is
multiplied by ``out (1 - out)``, at most 1/4.

Here the same network, with the same ``alpha=0.1`` and the same seed, is
fitted to the same 300 rows of two noisy circles, twice: once on features
standardised to mean 0 and deviation 1, once on the features MinMax-scaled
to [0, 1], whose deviation is about 0.2. adam steps as if both were
standardised (``precondition``), but ``alpha`` penalises the weights in the
features' own units: to move ``net`` as far, the weights on the narrow
MinMax-scaled features must be about five times as large, at about twenty
times the penalty, and the L2 term holds the network at the start.
"""

import textwrap
import warnings

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_circles
from sklearn.exceptions import ConvergenceWarning
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from skbackprop import BackpropClassifier, LearnedNothingWarning

X, y = make_circles(300, noise=0.2, factor=0.5, random_state=0)
scalers = {"standardised": StandardScaler(), "MinMax-scaled to [0, 1]": MinMaxScaler()}
fits = {}
for name, scaler in scalers.items():
    model = make_pipeline(scaler, BackpropClassifier(alpha=0.1, random_state=0))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, y)
    fits[name] = model
    clf = model[-1]
    print(f"{name}: accuracy {model.score(X, y):.2f} after {clf.n_iter_} epochs")
    for w in caught:
        if issubclass(w.category, LearnedNothingWarning):
            text = f"{w.category.__name__}: {w.message}"
            print(textwrap.fill(text, 76, initial_indent="  ", subsequent_indent="  "))

# %%
# The loss curves
# ---------------
# The standardised fit leaves the plateau after about forty epochs and
# converges. The MinMax-scaled one stays on the constant prediction's loss
# for all of its ``max_iter`` epochs. A stopping rule that counted those flat
# epochs would have stopped it after ``n_iter_no_change`` of them, at chance,
# without a word; ours counts no epoch on the plateau, so the fit runs on,
# and then says that it learned nothing, with the
# :class:`~skbackprop.LearnedNothingWarning` printed above.

fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
for (name, model), color in zip(fits.items(), ["tab:blue", "tab:red"]):
    ax.plot(model[-1].loss_curve_, color=color, label=name)
ax.axhline(np.log(2), color="gray", ls="--", label="constant prediction (ln 2)")
ax.set_xlabel("epoch")
ax.set_ylabel("loss (with the L2 term)")
ax.set_title("The same network, alpha=0.1, on two scalings of one data set")
ax.legend(loc="center right")
plt.show()

# %%
# What to do about it
# -------------------
# Centre and scale the features (``StandardScaler`` in a pipeline), lower
# ``alpha``, or train for more epochs: the warning names the figures that
# point to each. With every default (``alpha=0.0001``) both scalings learn
# the circles; both run all ``max_iter`` epochs, whose ConvergenceWarning is
# silenced here.

for name, scaler in scalers.items():
    model = make_pipeline(scaler, BackpropClassifier(random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, y)
    print(
        f"defaults, {name}: accuracy {model.score(X, y):.2f} after "
        f"{model[-1].n_iter_} epochs"
    )
