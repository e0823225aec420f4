"""The defaults against MLP's: many small standard problems, held-out scores.

Run ``python benchmarks/defaults.py`` (``--seeds 20`` by default, seeds 0-19;
``--first-seed 10 --seeds 10`` runs seeds 10-19; ``--only circles,iris`` runs
some problems; ``--ours '{"alpha": 1e-4}'`` tries other settings for our
estimators).

Every problem is one of scikit-learn's bundled data sets or generators, taken
raw, MinMax-scaled and standardised (the scaler fitted on the training rows, in
a pipeline).  For each seed the rows are split 75/25 (stratified for
classifiers) with that seed, and both estimators are fitted with every default
but ``random_state=seed``: ``BackpropClassifier`` against ``MLPClassifier``,
``BackpropRegressor`` against ``MLPRegressor``, alternating which fits first.
The table gives the mean held-out score (accuracy, R²) over the seeds, the
difference, and the fit times summed; a row is marked ``<<`` where ours is
more than 0.02 below MLP's mean.  Warnings are counted, not shown: the
"warned" columns count the fits that raised any.
"""

import argparse
import json
import os
import platform
import statistics
import time
import warnings
from functools import partial

import numpy as np
import sklearn
from sklearn.datasets import (
    load_breast_cancer,
    load_diabetes,
    load_digits,
    load_iris,
    load_wine,
    make_blobs,
    make_circles,
    make_classification,
    make_friedman1,
    make_gaussian_quantiles,
    make_moons,
    make_regression,
)
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from threadpoolctl import threadpool_limits

import skbackprop
from skbackprop import BackpropClassifier, BackpropRegressor

# The target: our mean score at most this far below MLP's, on every row.
TOLERANCE = 0.02


def _linear(random_state):
    # plot_classifier_comparison's "linearly separable" set.
    X, y = make_classification(
        300,
        n_features=2,
        n_redundant=0,
        n_informative=2,
        n_clusters_per_class=1,
        random_state=random_state,
    )
    X += 2 * np.random.RandomState(random_state).uniform(size=X.shape)
    return X, y


def _sine(random_state):
    # A noisy sine on [0, 6]: one input, 300 rows.
    rng = np.random.RandomState(random_state)
    X = rng.uniform(0, 6, size=(300, 1))
    return X, np.sin(X).ravel() + rng.normal(scale=0.1, size=300)


def _bundled(load):
    return lambda random_state: load(return_X_y=True)


# name: (classifier?, data(seed) -> X, y)
PROBLEMS = {
    "circles": (True, partial(make_circles, 300, noise=0.2, factor=0.5)),
    "moons": (True, partial(make_moons, 300, noise=0.3)),
    "quantiles": (True, partial(make_gaussian_quantiles, n_samples=300)),
    "linear": (True, _linear),
    "blobs": (True, partial(make_blobs, 300, centers=3, cluster_std=2.0)),
    "iris": (True, _bundled(load_iris)),
    "wine": (True, _bundled(load_wine)),
    "breast_cancer": (True, _bundled(load_breast_cancer)),
    "digits": (True, _bundled(load_digits)),
    "sine": (False, _sine),
    "diabetes": (False, _bundled(load_diabetes)),
    "friedman1": (False, partial(make_friedman1, 500, noise=1.0)),
    "regression": (False, partial(make_regression, 300, 10, noise=10.0)),
}
SCALINGS = {"raw": None, "minmax": MinMaxScaler, "standard": StandardScaler}


def split(problem, seed):
    """The training and test rows of ``problem`` for ``seed``."""
    classifier, data = PROBLEMS[problem]
    X, y = data(random_state=seed)
    return train_test_split(
        X, y, test_size=0.25, random_state=seed, stratify=y if classifier else None
    )


def model(estimator, scaling):
    """``estimator`` behind the scaling's scaler, in a pipeline."""
    scaler = SCALINGS[scaling]
    return estimator if scaler is None else make_pipeline(scaler(), estimator)


def fit_and_score(estimator, scaling, X_train, X_test, y_train, y_test):
    """Held-out score, fit time and the number of warnings the fit raised."""
    pipe = model(estimator, scaling)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        start = time.perf_counter()
        pipe.fit(X_train, y_train)
        seconds = time.perf_counter() - start
    return pipe.score(X_test, y_test), seconds, len(caught)


def run(problems, seeds, ours_params, mlp=True):
    """Rows of results: one per problem and scaling, over the ``seeds``."""
    rows = []
    for problem in problems:
        classifier = PROBLEMS[problem][0]
        Ours = BackpropClassifier if classifier else BackpropRegressor
        Theirs = MLPClassifier if classifier else MLPRegressor
        for scaling in SCALINGS:
            res = {"ours": [], "mlp": []}
            for seed in seeds:
                data = split(problem, seed)
                pair = [
                    ("ours", Ours(random_state=seed, **ours_params)),
                    ("mlp", Theirs(random_state=seed)),
                ]
                if not mlp:
                    pair = pair[:1]
                for side, est in pair[:: 1 if seed % 2 == 0 else -1]:
                    res[side].append(fit_and_score(est, scaling, *data))
            row = {"problem": problem, "scaling": scaling}
            for side, results in res.items():
                if results:
                    scores, times, warned = zip(*results)
                    row[side] = statistics.fmean(scores)
                    row[side + "_time"] = sum(times)
                    row[side + "_warned"] = sum(w > 0 for w in warned)
            rows.append(row)
            _print_row(row)
    return rows


def _print_row(row):
    ours = row["ours"]
    text = f"{row['problem']:14s} {row['scaling']:9s} {ours:7.3f}"
    if "mlp" in row:
        diff = ours - row["mlp"]
        mark = "<<" if diff < -TOLERANCE else "  "
        text += (
            f" {row['mlp']:7.3f} {diff:+7.3f} {mark}"
            f" {row['ours_time']:7.2f} {row['mlp_time']:7.2f}"
            f" {row['ours_warned']:3d} {row['mlp_warned']:3d}"
        )
    else:
        text += f" {row['ours_time']:7.2f} {row['ours_warned']:3d}"
    print(text, flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument(
        "--first-seed", type=int, default=0, help="seeds from this one (default 0)"
    )
    parser.add_argument("--only", default=None, help="comma-separated problems")
    parser.add_argument("--ours", default="{}", help="JSON of parameters for ours")
    parser.add_argument("--no-mlp", action="store_true", help="ours alone")
    parser.add_argument(
        "--threads", type=int, default=1, help="BLAS threads of both (default 1)"
    )
    args = parser.parse_args()
    # One BLAS thread by default: on a small, shared machine numpy's threads
    # contend with other processes, and MLP's wider matrix products slow down
    # erratically (up to tenfold) while ours barely do.
    threadpool_limits(args.threads, user_api="blas")
    problems = args.only.split(",") if args.only else list(PROBLEMS)
    ours_params = json.loads(args.ours)
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, skbackprop {skbackprop.__version__}; "
        f"{os.cpu_count()} cores, load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    print(
        f"{args.seeds} seeds ({seeds.start}-{seeds.stop - 1}), "
        f"{args.threads} BLAS thread(s); "
        f"ours: defaults {ours_params or ''}"
    )
    print(
        f"{'problem':14s} {'scaling':9s} {'ours':>7s} {'mlp':>7s} {'diff':>7s}    "
        f"{'t ours':>7s} {'t mlp':>7s} {'warned':>7s}"
    )
    rows = run(problems, seeds, ours_params, mlp=not args.no_mlp)
    if args.no_mlp:
        return
    short = [r for r in rows if r["ours"] - r["mlp"] < -TOLERANCE]
    ours_time = sum(r["ours_time"] for r in rows)
    mlp_time = sum(r["mlp_time"] for r in rows)
    print(
        f"\n{len(rows) - len(short)} of {len(rows)} rows within {TOLERANCE} of "
        f"MLP's mean or better; fit time {ours_time:.1f} s against MLP's "
        f"{mlp_time:.1f} s ({ours_time / mlp_time:.2f}x)."
    )
    for r in short:
        print(f"short: {r['problem']} {r['scaling']} {r['ours'] - r['mlp']:+.3f}")


if __name__ == "__main__":
    main()
