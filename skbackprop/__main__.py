"""The main job: BackpropClassifier and MLPClassifier side by side on digits."""

import sys
import time
import warnings

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from . import BackpropClassifier, __version__

# The same network and training for both: sigmoid, sgd with Nesterov momentum.
SETTINGS = dict(
    hidden_layer_sizes=(100,),
    activation="logistic",
    solver="sgd",
    learning_rate_init=0.1,
    momentum=0.9,
    nesterovs_momentum=True,
    batch_size=200,
    alpha=1e-4,
    max_iter=200,
    random_state=0,
)


def compare(X_train, X_test, y_train, y_test):
    """Fit both estimators; return rows of (name, accuracy, seconds, epochs)."""
    rows = []
    for est in (BackpropClassifier(**SETTINGS), MLPClassifier(**SETTINGS)):
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            est.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        rows.append(
            (type(est).__name__, est.score(X_test, y_test), seconds, est.n_iter_)
        )
    return rows


def main():
    """Print the side-by-side table."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    print(
        f"skbackprop {__version__}: digits, {len(y_train)} train / {len(y_test)} test"
    )
    print(
        "network (64, 100, 10), sigmoid hidden units, sgd with Nesterov momentum 0.9,"
    )
    print("learning rate 0.1, batches of 200, at most 200 epochs, random_state=0\n")
    print(f"{'estimator':<20}{'accuracy':>10}{'fit seconds':>13}{'epochs':>8}")
    for name, accuracy, seconds, epochs in compare(X_train, X_test, y_train, y_test):
        print(f"{name:<20}{accuracy:>10.4f}{seconds:>13.3f}{epochs:>8d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
