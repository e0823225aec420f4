"""Fit time of two versions of skbackprop, alternated: an A/B of a change.

Run ``python benchmarks/ab_versions.py --base DIR --head DIR`` where each DIR
holds a checkout of the package (``git worktree add /tmp/base REV`` makes
one).  Each fit runs in a fresh process that imports the package from its
DIR; the processes alternate base, head, base, head..., so that load from
other processes hits both sides alike, and the medians and their ratio are
printed.  The head is timed with no callbacks set, the way a fit runs when
nobody listens; ``--callbacks`` times it with a ``ScoringMonitor`` as well.
"""

import argparse
import os
import statistics
import subprocess
import sys

# The fit each process times: the "large" configuration of compare_mlp.py
# (50,000 x 100, logistic (256, 128), batches of 200) for a few epochs.
FIT = """
import sys, time, warnings
sys.path.insert(0, {path!r})
import numpy as np
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
import skbackprop
assert skbackprop.__file__.startswith({path!r}), skbackprop.__file__
from skbackprop import BackpropClassifier

X, y = make_classification(
    n_samples={rows}, n_features=100, n_informative=50, n_redundant=10,
    n_classes=10, n_clusters_per_class=2, class_sep=1.5, random_state=0,
)
X = X.astype({dtype!r})
settings = dict(
    hidden_layer_sizes=(256, 128), activation="logistic", solver={solver!r},
    alpha=1e-4, batch_size=200, max_iter={epochs}, tol=0.0,
    n_iter_no_change={epochs}, random_state=0,
)
clf = BackpropClassifier(**settings)
if {callbacks}:
    from sklearn.callback import ScoringMonitor
    clf.set_callbacks(ScoringMonitor(scoring="accuracy"))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)
    BackpropClassifier(**{{**settings, "max_iter": 1}}).fit(X[:2000], y[:2000])
    start = time.perf_counter()
    clf.fit(X, y)
    print(time.perf_counter() - start)
"""


def time_fit(path, args, callbacks=False):
    """Seconds of one fit in a fresh process importing skbackprop from ``path``."""
    code = FIT.format(
        path=path,
        rows=args.rows,
        dtype=args.dtype,
        solver=args.solver,
        epochs=args.epochs,
        callbacks=callbacks,
    )
    env = dict(os.environ)
    if args.threads:
        # BLAS threads: with both cores, fits on this machine fall into two
        # speeds (one of them twice the other) whatever the code; one thread
        # each makes the A/B of the Python-level code readable.
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[name] = str(args.threads)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    """Alternate the fits, print each pair and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="checkout of the old version")
    parser.add_argument("--head", required=True, help="checkout of the new version")
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--solver", default="sgd", choices=("sgd", "adam"))
    parser.add_argument("--dtype", default="float64", choices=("float64", "float32"))
    parser.add_argument("--callbacks", action="store_true")
    parser.add_argument(
        "--threads", type=int, default=0, help="BLAS threads per fit (0: default)"
    )
    args = parser.parse_args(argv)
    sides = {"base": [], "head": []}
    if args.callbacks:
        sides["head+monitor"] = []
    print(
        f"{args.rows} rows x 100, (256, 128) logistic, {args.solver}, "
        f"{args.dtype}, {args.epochs} epochs; {args.pairs} alternated rounds"
        + (f"; {args.threads} BLAS thread(s)" if args.threads else "")
    )
    for i in range(args.pairs):
        sides["base"].append(time_fit(args.base, args))
        sides["head"].append(time_fit(args.head, args))
        if args.callbacks:
            sides["head+monitor"].append(time_fit(args.head, args, callbacks=True))
        print_round(i, sides)
    print_summary(sides, "base")


def print_round(i, sides):
    """One line per round: the time of each side's latest fit."""
    print(
        f"round {i + 1}: "
        + ", ".join(f"{name} {times[-1]:.3f} s" for name, times in sides.items())
    )


def print_summary(sides, base):
    """Each side's median and range, and its ratio to the ``base`` side's."""
    median_base = statistics.median(sides[base])
    for name, times in sides.items():
        median = statistics.median(times)
        spread = f"{min(times):.3f}-{max(times):.3f}"
        print(
            f"{name:<13} median {median:.3f} s (range {spread}), "
            f"ratio to {base} {median / median_base:.3f} (of the fastest "
            f"{min(times) / min(sides[base]):.3f})"
        )


if __name__ == "__main__":
    main()
