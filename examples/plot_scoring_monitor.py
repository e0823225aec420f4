"""
Training and validation accuracy at every epoch
===============================================

scikit-learn's ``ScoringMonitor`` callback (scikit-learn 1.9 or later; the
callback API is experimental there) scores the model at the end of every
epoch. Its ``scoring`` may be a callable that returns several scores: here
the accuracy on the training rows and on held-out rows, so one fit gives both
curves of the classic picture of over-fitting.
"""

import warnings

import matplotlib.pyplot as plt
from sklearn.callback import ScoringMonitor
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier

X, y = load_digits(return_X_y=True)
X_train, X_val, y_train, y_val = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=0
)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train), scaler.transform(X_val)


def train_and_validation(estimator, X, y):
    """The accuracy on the rows given to fit and on the held-out rows."""
    return {"train": estimator.score(X, y), "validation": estimator.score(X_val, y_val)}


monitor = ScoringMonitor(scoring=train_and_validation)
clf = BackpropClassifier(
    hidden_layer_sizes=(50,),
    solver="sgd",
    learning_rate_init=0.05,
    alpha=1e-4,
    max_iter=60,
    n_iter_no_change=60,
    random_state=0,
)
with warnings.catch_warnings():
    # 60 epochs on purpose, to see the curves part: not a convergence problem.
    warnings.simplefilter("ignore", ConvergenceWarning)
    clf.set_callbacks(monitor).fit(X_train, y_train)

# %%
# One row per epoch (the fit's own row, the last, scores the final model).
epochs = [row for row in monitor.get_logs().data if row["task_name"] == "epoch"]
train = [row["train"] for row in epochs]
validation = [row["validation"] for row in epochs]
print(f"{len(epochs)} epochs scored; n_iter_ = {clf.n_iter_}")
print(f"last epoch: train {train[-1]:.4f}, validation {validation[-1]:.4f}")
print(f"score() on the training rows: {clf.score(X_train, y_train):.4f}")

# %%
# The error rate (1 - accuracy) on a log scale shows both the fast first
# epochs and the gap that opens between the rows trained on and the others.
fig, ax = plt.subplots(figsize=(7, 4))
epoch = range(1, len(train) + 1)
ax.semilogy(epoch, [1 - a for a in train], label="training rows")
ax.semilogy(epoch, [1 - a for a in validation], label="held-out rows")
ax.set_xlabel("epoch")
ax.set_ylabel("error rate (1 - accuracy)")
ax.set_title("Error rate after each epoch, recorded by ScoringMonitor")
ax.legend(loc="upper right")
ax.grid(alpha=0.3, which="both")
fig.tight_layout()
plt.show()
