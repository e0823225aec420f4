"""Soak test: many consecutive fits and predicts in one process do not grow memory.

Run ``python benchmarks/soak_memory.py [n_fits]`` (1,000 by default).  Every
fit uses a fresh estimator and fresh data and cycles through the solvers,
both estimators, early stopping and ``partial_fit``; the resident set size
(RSS, from ``/proc/self/status``, else ``resource``'s peak) is printed at
intervals.  The growth is measured from the RSS after a warm-up (the first
tenth of the fits: imports, caches and allocator pools settle there) to the
end; the script exits with status 1 when it exceeds ``--limit`` MiB.
"""

import argparse
import gc
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from skbackprop import BackpropClassifier, BackpropRegressor


def rss_mib():
    """Current resident set size in MiB (peak RSS where /proc is missing)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


CONFIGS = [
    (BackpropClassifier, dict(solver="adam")),
    (BackpropClassifier, dict(solver="sgd", early_stopping=True)),
    (BackpropClassifier, dict(solver="lbfgs")),
    (BackpropRegressor, dict(solver="sgd", batch_size=16)),
    (BackpropRegressor, dict(solver="adam", n_init=2)),
    (BackpropRegressor, dict(solver="lbfgs", activation="tanh")),
]


def one_round(i):
    """Fit a fresh estimator on fresh data, predict, and drop everything."""
    rng = np.random.RandomState(i)
    X = rng.normal(size=(120, 10))
    Estimator, params = CONFIGS[i % len(CONFIGS)]
    est = Estimator(hidden_layer_sizes=(16, 8), max_iter=20, random_state=i)
    est.set_params(**params)
    if Estimator is BackpropClassifier:
        y = (X[:, 0] + rng.normal(scale=0.5, size=120) > 0).astype(int)
        est.fit(X, y)
        est.predict_proba(X)
        if params["solver"] != "lbfgs":
            est.partial_fit(X, y)
    else:
        y = X @ rng.normal(size=10)
        est.fit(X, y)
        if params["solver"] != "lbfgs":
            est.partial_fit(X, y)
    return est.predict(X).sum()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n_fits", nargs="?", type=int, default=1000)
    parser.add_argument("--every", type=int, default=100, help="print interval")
    parser.add_argument(
        "--limit", type=float, default=4.0, help="allowed growth after warm-up, MiB"
    )
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", ConvergenceWarning)

    warm_up = max(1, args.n_fits // 10)
    start = time.perf_counter()
    print(f"fits  rss_mib  (start {rss_mib():.1f} MiB)")
    baseline = None
    for i in range(1, args.n_fits + 1):
        one_round(i)
        if i == warm_up:
            gc.collect()
            baseline = rss_mib()
            print(f"{i:5d}  {baseline:7.1f}  <- baseline after warm-up")
        elif i % args.every == 0 or i == args.n_fits:
            print(f"{i:5d}  {rss_mib():7.1f}")
    gc.collect()
    end = rss_mib()
    growth = end - baseline
    per_fit = 1024 * growth / max(1, args.n_fits - warm_up)
    elapsed = time.perf_counter() - start
    print(
        f"growth after warm-up: {growth:+.1f} MiB over {args.n_fits - warm_up} "
        f"fits ({per_fit:+.2f} KiB per fit); {elapsed:.0f} s in all"
    )
    if growth > args.limit:
        print(f"FAIL: memory grew by more than {args.limit} MiB")
        return 1
    print("OK: no memory growth beyond the limit")
    return 0


if __name__ == "__main__":
    sys.exit(main())
