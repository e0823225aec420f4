"""Scaling out with dask: one out-of-core pass, and a search on 1 and 2 workers.

Run ``python benchmarks/dask_scale.py`` (about a minute on 2 idle cores) after
``pip install -e ".[dask]"``; ``--quick`` is a smoke run on small data.
dask-ml's ``Incremental`` is measured too when dask-ml is installed (it is
no dependency of skbackprop).

1. One pass of ``partial_fit`` over 1,000,000 x 50 float64 rows (400 MB)
   that dask generates lazily in chunks of 50,000 rows (20 MB each), with
   ``skbackprop.dask.fit_blocks``: on a ``LocalCluster`` of 2 worker
   processes, and with no cluster (dask's threaded scheduler in this
   process); then dask-ml's ``Incremental.fit`` on the same cluster.
   Memory is the kernel's peak resident set size (``VmHWM`` in
   ``/proc/<pid>/status``), reset before each run by writing 5 to
   ``/proc/<pid>/clear_refs``: for this (client) process, and for each
   worker process. Linux only.
2. ``GridSearchCV`` over ``Pipeline(StandardScaler(), BackpropClassifier())``
   run sequentially in this process, then under ``joblib.parallel_backend
   ("dask")`` on a ``LocalCluster`` of 1 and of 2 worker processes (one
   thread each): wall time, and whether ``cv_results_`` are bitwise those of
   the sequential run.
"""

import argparse
import logging
import os
import platform
import time
import warnings

import dask
import dask.array as da
import joblib
import numpy as np
import sklearn
from distributed import Client, LocalCluster
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier
from skbackprop.dask import fit_blocks, score

MIB = 1024 * 1024


def reset_peak():
    """Reset this process's peak RSS (VmHWM) to its current RSS."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def memory():
    """This process's (current RSS, peak RSS since the last reset) in MiB."""
    values = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                values[line[:5]] = int(line.split()[1]) * 1024 / MIB
    return values["VmRSS"], values["VmHWM"]


def cluster(n_workers):
    return LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
        worker_dashboard_address="127.0.0.1:0",
        silence_logs=logging.ERROR,
    )


def data(n_rows, n_features, chunk):
    """Lazy data: X from dask's seeded generator, y a linear rule of X."""
    X = da.random.default_rng(0).standard_normal(
        (n_rows, n_features), chunks=(chunk, n_features)
    )
    beta = np.random.RandomState(1).normal(size=n_features)
    y = (X @ beta > 0).astype(np.int64)
    return X, y


def model():
    return BackpropClassifier(hidden_layer_sizes=(32,), solver="adam", random_state=0)


def measured(run, client=None):
    """Run ``run()``; wall time, this process's peak growth, workers' peaks."""
    workers_before = []
    if client is not None:
        client.run(reset_peak)
        workers_before = [rss for rss, _ in client.run(memory).values()]
    before, _ = memory()
    reset_peak()
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    _, peak = memory()
    workers = []
    if client is not None:
        peaks = [p for _, p in client.run(memory).values()]
        workers = list(zip(workers_before, peaks))
    return result, seconds, before, peak, workers


def same_weights(a, b):
    return all(
        np.array_equal(u, v)
        for u, v in zip(a.coefs_ + a.intercepts_, b.coefs_ + b.intercepts_)
    )


def out_of_core(n_rows, n_features, chunk):
    X, y = data(n_rows, n_features, chunk)
    mib = n_rows * n_features * 8 / MIB
    print(
        f"\n1. One pass over {n_rows:,} x {n_features} float64 rows ({mib:.0f} MiB),"
        f" {X.numblocks[0]} blocks of {chunk:,} rows "
        f"({chunk * n_features * 8 / MIB:.0f} MiB each), generated lazily by dask"
    )
    print(
        "   model: BackpropClassifier(hidden_layer_sizes=(32,), solver='adam'), "
        "batch 200; blocks in a seeded random order"
    )
    print(
        f"   {'run':<46} {'seconds':>7} {'client RSS before':>18} "
        f"{'client peak':>12} {'growth':>8}  each worker: RSS before -> peak"
    )

    def row(name, seconds, before, peak, workers):
        peaks = ", ".join(f"{b:.0f} -> {p:.0f} MiB" for b, p in workers) or "-"
        print(
            f"   {name:<46} {seconds:7.1f} {before:14.0f} MiB {peak:8.0f} MiB "
            f"{peak - before:4.0f} MiB  {peaks}"
        )

    results = {}
    with cluster(2) as c, Client(c) as client:
        client.wait_for_workers(2)
        # Warm-up: imports and first tasks on the workers, on a small slice.
        fit_blocks(model(), X[: 2 * chunk], y[: 2 * chunk], classes=[0, 1])

        est, *figures = measured(
            lambda: fit_blocks(model(), X, y, classes=[0, 1], random_state=0),
            client,
        )
        results["cluster"] = est
        row("fit_blocks, LocalCluster 2 processes", *figures)

        s, *figures = measured(lambda: score(est, X, y), client)
        row(f"score (accuracy {s:.4f}), same cluster", *figures)

        try:
            from dask_ml.wrappers import Incremental
        except ImportError:
            print("   dask-ml not installed: Incremental not measured")
        else:
            inc, *figures = measured(
                lambda: Incremental(model(), random_state=0).fit(X, y, classes=[0, 1]),
                client,
            )
            results["dask-ml"] = inc.estimator_
            row("dask-ml Incremental.fit, same cluster", *figures)

    with dask.config.set(scheduler="threads"):
        est, *figures = measured(
            lambda: fit_blocks(model(), X, y, classes=[0, 1], random_state=0)
        )
        results["local"] = est
        row("fit_blocks, no cluster (threads, this process)", *figures)

    reference = results.pop("cluster")
    for name, est in results.items():
        same = "yes" if same_weights(reference, est) else "NO"
        print(f"   weights of '{name}' bitwise those on the cluster: {same}")


def quiet():
    """A fixed number of epochs is the point here, not convergence."""
    warnings.filterwarnings("ignore", category=ConvergenceWarning)


def search(n_rows, n_features, worker_counts):
    X, y = make_classification(
        n_samples=n_rows,
        n_features=n_features,
        n_informative=10,
        random_state=0,
    )
    pipe = make_pipeline(
        StandardScaler(),
        # 20 epochs in every fit (tol=0): the same work per fit.
        BackpropClassifier(solver="adam", max_iter=20, tol=0, random_state=0),
    )
    grid = {
        "backpropclassifier__hidden_layer_sizes": [(16,), (64,)],
        "backpropclassifier__alpha": [1e-4, 1e-2],
        "backpropclassifier__learning_rate_init": [1e-3, 1e-2],
    }
    cv = KFold(n_splits=3, shuffle=True, random_state=0)
    n_candidates = int(np.prod([len(v) for v in grid.values()]))
    print(
        f"\n2. GridSearchCV: Pipeline(StandardScaler(), BackpropClassifier(adam, "
        f"max_iter=20, tol=0)), {n_candidates} candidates x 3 folds = "
        f"{3 * n_candidates} fits + refit, "
        f"{n_rows:,} x {n_features} rows"
    )

    def fit(**backend):
        s = GridSearchCV(pipe, grid, cv=cv)
        start = time.perf_counter()
        if backend:
            # The data go to each worker once, not with every task.
            with joblib.parallel_backend("dask", scatter=[X, y]):
                s.fit(X, y)
        else:
            s.fit(X, y)
        return s, time.perf_counter() - start

    quiet()
    sequential, seconds = fit()
    print(f"   {'sequential, this process':<34} {seconds:6.1f} s")
    keys = [k for k in sequential.cv_results_ if k.endswith("_score")]
    for n in worker_counts:
        with cluster(n) as c, Client(c) as client:
            client.wait_for_workers(n)
            client.run(quiet)
            s, seconds = fit(backend="dask")
        same = all(
            np.array_equal(sequential.cv_results_[k], s.cv_results_[k]) for k in keys
        ) and same_weights(sequential.best_estimator_[-1], s.best_estimator_[-1])
        print(
            f"   {f'LocalCluster, {n} worker process' + 'es' * (n > 1):<34} "
            f"{seconds:6.1f} s   scores and best model bitwise the sequential "
            f"ones: {'yes' if same else 'NO'}"
        )
    print(f"   best: {sequential.best_params_}, score {sequential.best_score_:.4f}")


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small smoke run")
    args = parser.parse_args()
    start = time.perf_counter()
    print(
        f"CPU: {cpu_name()}, {os.cpu_count()} "
        f"logical cores; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    import distributed

    print(
        f"python {platform.python_version()}, numpy {np.__version__}, "
        f"scikit-learn {sklearn.__version__}, dask {dask.__version__}, "
        f"distributed {distributed.__version__}"
    )
    if args.quick:
        out_of_core(40_000, 50, 5_000)
        search(2_000, 20, (1, 2))
    else:
        out_of_core(1_000_000, 50, 50_000)
        search(20_000, 50, (1, 2))
    print(
        f"\nload average {' '.join(f'{v:.2f}' for v in os.getloadavg())}; "
        f"total {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
