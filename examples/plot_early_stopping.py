"""
.. _early_stopping_example:

===================================================
Early stopping: validation loss and a chosen scorer
===================================================

With ``early_stopping=True`` the estimator holds out ``validation_fraction``
of the training rows (stratified for the classifier), scores the network on
them after every epoch, stops when the score has not improved by ``tol`` for
``n_iter_no_change`` epochs, and keeps the weights of the best epoch.

Two additions over :class:`~sklearn.neural_network.MLPClassifier`: the
``scoring`` parameter picks the validation score (any scorer name, or a
callable), and ``validation_loss_curve_`` records the validation loss of
every epoch next to the training ``loss_curve_``.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)

# %%
# Accuracy or log-loss as the validation score
# --------------------------------------------
# A large network with little regularisation can overfit. The validation
# accuracy is coarse (one more sample right moves it by 1/135 here), while
# ``scoring="neg_log_loss"`` also sees the confidence of the predictions.
models = {}
for scoring in (None, "neg_log_loss"):
    model = BackpropClassifier(
        hidden_layer_sizes=(200,),
        alpha=1e-5,
        learning_rate_init=0.01,
        early_stopping=True,
        validation_fraction=0.1,
        n_iter_no_change=10,
        scoring=scoring,
        max_iter=300,
        random_state=0,
    ).fit(X_train, y_train)
    models[scoring or "accuracy (default)"] = model
    best = int(np.argmax(model.validation_scores_)) + 1
    print(
        f"scoring={scoring!r}: stopped after {model.n_iter_} epochs, best epoch "
        f"{best}, best validation score {model.best_validation_score_:.4f}, "
        f"test accuracy {model.score(X_test, y_test):.4f}"
    )

# %%
# Training loss, validation loss and validation score per epoch
# -------------------------------------------------------------
# The training loss includes the L2 term; the validation loss does not. The
# dotted line marks the epoch whose weights were kept.
fig, axes = plt.subplots(1, 2, figsize=(10, 4.3), layout="constrained")
for ax, (name, model) in zip(axes, models.items()):
    epochs = np.arange(1, model.n_iter_ + 1)
    ax.semilogy(epochs, model.loss_curve_, label="training loss_curve_")
    ax.semilogy(epochs, model.validation_loss_curve_, label="validation_loss_curve_")
    ax.axvline(np.argmax(model.validation_scores_) + 1, color="k", ls=":", label="kept")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (log scale)")
    ax.set_title(f"scoring: {name}")
    score_ax = ax.twinx()
    score_ax.plot(
        epochs,
        model.validation_scores_,
        color="tab:green",
        alpha=0.6,
        label="validation_scores_ (right axis)",
    )
    score_ax.set_ylabel("validation score", color="tab:green")
# One legend for both panels, below them, where it hides no curve.
handles = (
    axes[0].get_legend_handles_labels()[0] + score_ax.get_legend_handles_labels()[0]
)
fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=9)
plt.show()
