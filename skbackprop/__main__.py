"""The main job: BackpropClassifier and MLPClassifier side by side on digits."""

import argparse
import sys
import textwrap
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
    tol=1e-4,
    n_iter_no_change=10,
    random_state=0,
)
TEST_SIZE = 0.25

DESCRIPTION = f"""\
Train skbackprop's BackpropClassifier and scikit-learn's MLPClassifier with
the same network and settings on the 8x8 digits data, and print the accuracy
of each on a held-out test set ({TEST_SIZE:.0%} of the rows, stratified), the
time each fit took, how many epochs it ran and why it stopped. The features
are standardised with a StandardScaler fitted on the training rows only."""


def stop_reason(est, warned):
    """Why the fit of ``est`` ended, in words.

    Parameters
    ----------
    est : fitted BackpropClassifier or MLPClassifier
        Trained with sgd or adam and without early stopping.
    warned : bool
        Whether the fit raised a ConvergenceWarning.

    Returns
    -------
    reason : str
    """
    params = est.get_params()
    if est.n_iter_ < params["max_iter"]:
        return (
            f"stopped after {est.n_iter_} of at most {params['max_iter']} epochs: "
            f"the training loss had not improved by at least tol={params['tol']:g} "
            f"for more than n_iter_no_change={params['n_iter_no_change']} epochs "
            "in a row"
        )
    reason = f"ran all max_iter={params['max_iter']} epochs"
    if warned:
        reason += (
            " without converging: the training loss was still improving by "
            f"tol={params['tol']:g} or more (a ConvergenceWarning, silenced here)"
        )
    return reason


def compare(X_train, X_test, y_train, y_test):
    """Fit both estimators.

    Returns
    -------
    rows : list of tuple
        ``(name, test accuracy, fit seconds, epochs, why it stopped)`` each.
    """
    rows = []
    for est in (BackpropClassifier(**SETTINGS), MLPClassifier(**SETTINGS)):
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            est.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        warned = any(issubclass(w.category, ConvergenceWarning) for w in caught)
        rows.append(
            (
                type(est).__name__,
                est.score(X_test, y_test),
                seconds,
                est.n_iter_,
                stop_reason(est, warned),
            )
        )
    return rows


def _describe_settings():
    s = SETTINGS
    momentum = (
        f"Nesterov momentum {s['momentum']:g}"
        if s["nesterovs_momentum"]
        else f"momentum {s['momentum']:g}"
    )
    return [
        f"network (64, {', '.join(map(str, s['hidden_layer_sizes']))}, 10): "
        f"{'sigmoid' if s['activation'] == 'logistic' else s['activation']} "
        "hidden units, softmax output, log-loss",
        f"training: {s['solver']} with {momentum}, learning rate "
        f"{s['learning_rate_init']:g}, batches of {s['batch_size']},",
        f"          alpha={s['alpha']:g}, at most {s['max_iter']} epochs, "
        f"random_state={s['random_state']}",
    ]


def main(argv=None):
    """Parse the command line, run the comparison and print the table."""
    parser = argparse.ArgumentParser(
        prog="python -m skbackprop",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.parse_args(argv)
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=TEST_SIZE, stratify=y, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    print(f"skbackprop {__version__}: BackpropClassifier and MLPClassifier on digits")
    print(
        f"data: {len(y_train)} training rows, {len(y_test)} held-out test rows "
        "(stratified split, random_state=0);"
    )
    print("      features standardised (StandardScaler fitted on the training rows)")
    for line in _describe_settings():
        print(line)
    print()
    print(f"{'estimator':<20}{'test accuracy':>15}{'fit seconds':>13}{'epochs':>8}")
    rows = compare(X_train, X_test, y_train, y_test)
    for name, accuracy, seconds, epochs, _ in rows:
        print(f"{name:<20}{accuracy:>15.4f}{seconds:>13.3f}{epochs:>8d}")
    print()
    print(
        textwrap.fill(
            f"test accuracy: the share of the {len(y_test)} held-out test rows "
            "classified correctly (neither estimator saw them in training).",
            width=79,
        )
    )
    print("why training stopped:")
    for name, *_, reason in rows:
        print(
            textwrap.fill(
                f"{name}: {reason}.", 79, initial_indent="  ", subsequent_indent="    "
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
