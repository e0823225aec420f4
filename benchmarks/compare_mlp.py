"""Fit time, throughput and accuracy of skbackprop against scikit-learn's MLP.

Run ``python benchmarks/compare_mlp.py`` (``--quick`` for a short smoke run).

Both estimators get identical settings: logistic hidden units, the same
solver, batch size, learning rate, L2 penalty and seed, and a fixed number of
epochs (``tol=0`` and ``n_iter_no_change=max_iter``, so neither stops early;
the script checks that both ran every epoch).  Fits alternate, ours then
scikit-learn's, and the median of the pairs is reported, so that load from
other processes hits both sides alike.

Training GFLOP/s counts ``6 * n_params * n_samples`` per epoch (forward pass,
weight gradients and back-propagated deltas: three matrix products of two
flops per multiply-add) and is compared with the peak of ``numpy.matmul`` at
the products of one training batch of that configuration, measured after
every pair of fits; the row reports the best of those, taken while its fits
ran rather than once at the start of the run.
"""

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
import warnings

import numpy as np
import scipy
import sklearn
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification, make_friedman1
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_info

from skbackprop import BackpropClassifier, BackpropRegressor

DTYPES = (np.float64, np.float32)


# ----------------------------------------------------------------------
# Machine and matmul peak
# ----------------------------------------------------------------------
def describe_machine():
    """Lines describing the CPU, the libraries and the BLAS in use."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [ln.split(":", 1)[1].strip() for ln in f if "model name" in ln]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    lines = [
        f"CPU: {cpu}, {os.cpu_count()} logical cores; load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg()),
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"scipy {scipy.__version__}, scikit-learn {sklearn.__version__}",
    ]
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            lines.append(
                f"BLAS {pool['internal_api']} {pool.get('version')} "
                f"kernel {pool.get('architecture')}, {pool['num_threads']} "
                f"threads ({os.path.basename(pool['filepath'])})"
            )
    env = {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS")}
    lines.append(f"OPENBLAS_* environment: {env or 'none'}")
    return lines


def matmul_peak(dtype, shapes, repeats=5, seconds=0.2):
    """Best GFLOP/s of ``numpy.matmul`` into a preallocated output over ``shapes``.

    Parameters
    ----------
    dtype : dtype
    shapes : list of (m, k, n)
        Products ``(m, k) @ (k, n)`` to time.
    repeats : int
        Timings per shape; the best is kept.
    seconds : float
        Rough duration of one timing.

    Returns
    -------
    gflops : float
    """
    rng = np.random.default_rng(0)
    best = 0.0
    for m, k, n in shapes:
        a = rng.standard_normal((m, k)).astype(dtype)
        b = rng.standard_normal((k, n)).astype(dtype)
        c = np.empty((m, n), dtype=dtype)
        flops = 2.0 * m * k * n
        np.matmul(a, b, out=c)
        t = time.perf_counter()
        np.matmul(a, b, out=c)
        calls = max(10, int(seconds / max(time.perf_counter() - t, 1e-7)))
        for _ in range(repeats):
            t = time.perf_counter()
            for _ in range(calls):
                np.matmul(a, b, out=c)
            best = max(best, flops * calls / (time.perf_counter() - t) / 1e9)
    return best


def mlp_shapes(n_features, hidden, n_outputs, batch_size):
    """The matrix products of one training batch, as (m, k, n)."""
    units = [n_features, *hidden, n_outputs]
    shapes = []
    for a, b in zip(units[:-1], units[1:]):
        shapes += [(batch_size, a, b), (a, batch_size, b), (batch_size, b, a)]
    return shapes


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def large_classification():
    """The "large" configuration's data: 50,000 x 100, 10 classes."""
    return make_classification(
        n_samples=50_000,
        n_features=100,
        n_informative=50,
        n_redundant=10,
        n_classes=10,
        n_clusters_per_class=2,
        class_sep=1.5,
        random_state=0,
    )


def datasets():
    """Name, task, train/test split and hidden layers of each configuration."""
    X, y = load_digits(return_X_y=True)
    digits = train_test_split(X / 16.0, y, test_size=0.25, random_state=0, stratify=y)

    X, y = large_classification()
    large = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)

    X, y = make_friedman1(n_samples=26_667, n_features=20, noise=0.5, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    mean, std = y_train.mean(), y_train.std()
    regression = (
        scaler.transform(X_train),
        scaler.transform(X_test),
        (y_train - mean) / std,
        (y_test - mean) / std,
    )
    return [
        ("digits", "classification", digits, (64,)),
        ("large", "classification", large, (256, 128)),
        ("regression", "regression", regression, (128, 64)),
    ]


# ----------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------
def fit_timed(est, X, y):
    t = time.perf_counter()
    est.fit(X, y)
    return time.perf_counter() - t


def predict_timed(est, X, repeats=5):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        est.predict(X)
        times.append(time.perf_counter() - t)
    return min(times)


def n_params(est):
    return sum(c.size + b.size for c, b in zip(est.coefs_, est.intercepts_))


def compare(ours, theirs, data, pairs, peak_shapes=None):
    """Fit ``ours`` and ``theirs`` alternately ``pairs`` times; medians and scores.

    ``ours`` and ``theirs`` are unfitted estimators, cloned for every fit.
    With ``peak_shapes``, the matmul peak at those shapes is measured after
    every pair, and ``result["peak"]`` is the best of those measurements.
    """
    X_train, X_test, y_train, y_test = data
    times = {"ours": [], "theirs": []}
    peaks = []
    fitted = {}
    for _ in range(pairs):
        for side, est in (("ours", ours), ("theirs", theirs)):
            est = clone(est)
            times[side].append(fit_timed(est, X_train, y_train))
            fitted[side] = est
        if peak_shapes:
            peaks.append(
                matmul_peak(X_train.dtype, peak_shapes, repeats=3, seconds=0.1)
            )
    result = {side: statistics.median(t) for side, t in times.items()}
    if peaks:
        result["peak"] = max(peaks)
    for side, est in fitted.items():
        result[side + "_score"] = est.score(X_test, y_test)
        result[side + "_predict"] = predict_timed(est, X_test)
        result[side + "_epochs"] = est.n_iter_
        result[side + "_dtype"] = est.coefs_[0].dtype
    result["n_params"] = n_params(fitted["ours"])
    return result


def settings(solver, hidden, epochs, batch_size):
    """Identical training parameters for both sides: a fixed number of epochs."""
    common = dict(
        hidden_layer_sizes=hidden,
        activation="logistic",
        solver=solver,
        alpha=1e-4,
        batch_size=batch_size,
        max_iter=epochs,
        tol=0.0,
        n_iter_no_change=epochs,
        shuffle=True,
        random_state=0,
    )
    if solver == "sgd":
        common.update(learning_rate_init=0.1, momentum=0.9, nesterovs_momentum=True)
    else:
        common.update(learning_rate_init=0.001)
    return common


HEADER = (
    f"{'config':<11}{'dtype':<8}{'solver':<7}{'epochs':>6}{'ours s':>9}"
    f"{'MLP s':>9}{'ratio':>7}{'ours smp/s':>12}{'MLP smp/s':>11}"
    f"{'ours GF/s':>10}{'%peak':>7}{'MLP GF/s':>9}{'%peak':>7}"
    f"{'ours score':>11}{'MLP score':>10}{'predict':>9}{'peak GF/s':>11}"
)


def row(name, dtype, solver, epochs, n_train, r):
    peak = r["peak"]
    samples = n_train * epochs
    flops = 6.0 * r["n_params"] * samples / 1e9
    ours_gf, theirs_gf = flops / r["ours"], flops / r["theirs"]
    return (
        f"{name:<11}{np.dtype(dtype).name:<8}{solver:<7}{epochs:>6}"
        f"{r['ours']:>9.3f}{r['theirs']:>9.3f}{r['ours'] / r['theirs']:>7.2f}"
        f"{samples / r['ours']:>12,.0f}{samples / r['theirs']:>11,.0f}"
        f"{ours_gf:>10.1f}{100 * ours_gf / peak:>6.0f}%"
        f"{theirs_gf:>9.1f}{100 * theirs_gf / peak:>6.0f}%"
        f"{r['ours_score']:>11.4f}{r['theirs_score']:>10.4f}"
        f"{r['ours_predict'] / r['theirs_predict']:>9.2f}"
        f"{peak:>11.1f}"
    )


def fit_peak_memory(est, X, y):
    """Peak of memory traced by tracemalloc during one fit, in MB."""
    tracemalloc.start()
    clone(est).fit(X, y)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=3, help="A/B pairs per row")
    parser.add_argument("--quick", action="store_true", help="few epochs, 1 pair")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=("digits", "large", "regression"),
        help="these configurations only, without the defaults and memory lines",
    )
    args = parser.parse_args(argv)
    pairs = 1 if args.quick else args.pairs
    epochs = {
        "sgd": {"digits": 50, "large": 3, "regression": 10},
        "adam": {"digits": 50, "large": 2, "regression": 5},
    }
    if args.quick:
        epochs = {
            solver: {name: max(1, n // 5) for name, n in per_config.items()}
            for solver, per_config in epochs.items()
        }
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    started = time.perf_counter()

    for line in describe_machine():
        print(line)
    configs = datasets()
    shapes = sorted(
        {s for _, _, d, h in configs for s in mlp_shapes(d[0].shape[1], h, 10, 200)}
    )
    peaks = {dt: matmul_peak(dt, shapes) for dt in DTYPES}
    print(
        "numpy matmul peak at all these MLP shapes (batch 200), at the start: "
        + ", ".join(f"{np.dtype(dt).name} {g:.1f} GFLOP/s" for dt, g in peaks.items())
    )
    print(
        f"Median of {pairs} alternating fit pairs; ratio = ours / MLP fit time; "
        "predict = ours / MLP predict time on the test set; score = test accuracy "
        "(R^2 for regression); %peak = GF/s over the best matmul rate at the row's "
        "own batch products, measured after each pair (last column)."
    )
    print()
    print(HEADER)
    for solver in ("sgd", "adam"):
        for name, task, data, hidden in configs:
            if args.only and name not in args.only:
                continue
            for dtype in DTYPES:
                cast = [a.astype(dtype) if a.dtype.kind == "f" else a for a in data]
                n_ep = epochs[solver][name]
                kw = settings(solver, hidden, n_ep, 200)
                ours, theirs = (
                    (BackpropClassifier, MLPClassifier)
                    if task == "classification"
                    else (BackpropRegressor, MLPRegressor)
                )
                n_out = 10 if task == "classification" else 1
                own = mlp_shapes(cast[0].shape[1], hidden, n_out, 200)
                r = compare(ours(**kw), theirs(**kw), cast, pairs, own)
                assert r["ours_epochs"] == r["theirs_epochs"] == n_ep, r
                assert r["ours_dtype"] == r["theirs_dtype"] == dtype, r
                n_train = cast[0].shape[0]
                print(row(name, dtype, solver, n_ep, n_train, r))
                sys.stdout.flush()
    if args.only:
        return

    print()
    name, _, data, _ = configs[0]
    r = compare(
        BackpropClassifier(random_state=0), MLPClassifier(random_state=0), data, pairs
    )
    print(
        f"defaults on {name} (each estimator's own defaults, float64): "
        f"ours {r['ours']:.3f} s, {r['ours_epochs']} epochs, accuracy "
        f"{r['ours_score']:.4f}; MLPClassifier {r['theirs']:.3f} s, "
        f"{r['theirs_epochs']} epochs, accuracy {r['theirs_score']:.4f}; "
        f"ratio {r['ours'] / r['theirs']:.2f}"
    )

    name, _, data, hidden = configs[1]
    X_train, y_train = data[0], data[2]
    kw = settings("sgd", hidden, 1, 200)
    ours_mb = fit_peak_memory(BackpropClassifier(**kw), X_train, y_train)
    theirs_mb = fit_peak_memory(MLPClassifier(**kw), X_train, y_train)
    widest = max(hidden)
    print(
        f"peak traced memory of one {name} fit (float64, tracemalloc): ours "
        f"{ours_mb:.1f} MB, MLPClassifier {theirs_mb:.1f} MB; for scale: the "
        f"training data is {X_train.nbytes / 1e6:.1f} MB and n_samples x widest "
        f"layer would be {X_train.shape[0] * widest * 8 / 1e6:.1f} MB"
    )
    print(
        "matmul peak re-measured at the end: "
        + ", ".join(
            f"{np.dtype(dt).name} {matmul_peak(dt, shapes):.1f} GFLOP/s"
            for dt in DTYPES
        )
        + "; load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
        + f"; total {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
