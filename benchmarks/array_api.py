"""Fit time of the same network on numpy, torch and cupy arrays, alternated.

Run ``python benchmarks/array_api.py``.  The "large" configuration of
``compare_mlp.py`` (50,000 x 100, logistic (256, 128), batches of 200, its
data and training parameters) trains
for a few epochs on each array library and device present: numpy; torch on
the CPU; torch on CUDA and cupy when a GPU and those libraries are there
(their rows are skipped otherwise, and say why).  The fits alternate
(numpy, torch, ..., numpy, torch, ...) in one process, so that load from
other processes hits every row alike; the medians and their ratio to numpy
are printed.  Each library gets one untimed warm-up fit first.

GPU rows: on a machine with CUDA, ``pip install torch`` (a CUDA build) and/or
``pip install cupy-cuda12x``, then run the script as it is.
"""

import os

# scikit-learn dispatches to torch and cupy only when scipy sees this first.
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import argparse  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import sklearn  # noqa: E402
from ab_versions import print_round, print_summary  # noqa: E402
from compare_mlp import large_classification  # noqa: E402
from compare_mlp import settings as compare_settings  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402

from skbackprop import BackpropClassifier  # noqa: E402


def _backends(dtype):
    """(name, to_array, synchronize) per array library and device present."""
    rows = [("numpy", lambda a: a, lambda: None)]
    skipped = []
    try:
        import torch
    except ImportError:
        skipped.append("torch: not installed")
    else:
        rows.append(("torch cpu", lambda a: torch.asarray(a), lambda: None))
        if torch.cuda.is_available():
            rows.append(
                (
                    "torch cuda",
                    lambda a: torch.asarray(a, device="cuda"),
                    torch.cuda.synchronize,
                )
            )
        else:
            skipped.append("torch cuda: no CUDA device")
    try:
        import cupy
    except ImportError:
        skipped.append("cupy: not installed")
    else:
        try:
            cupy.cuda.runtime.getDeviceCount()
        except Exception as exc:  # noqa: BLE001 - any CUDA error means no device
            skipped.append(f"cupy: no usable device ({exc})")
        else:
            sync = cupy.cuda.Device().synchronize
            rows.append(("cupy", cupy.asarray, sync))
    return rows, skipped


def main(argv=None):
    """Alternate the fits and print each round and the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rows", type=int, default=50_000, help="at most 50,000")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--solver", default="sgd", choices=("sgd", "adam"))
    parser.add_argument("--dtype", default="float32", choices=("float64", "float32"))
    args = parser.parse_args(argv)
    X, y = large_classification()
    X, y = X[: args.rows].astype(args.dtype), y[: args.rows]
    settings = compare_settings(args.solver, (256, 128), args.epochs, 200)
    backends, skipped = _backends(args.dtype)
    print(
        f"{args.rows} rows x 100, (256, 128) logistic, {args.solver}, "
        f"{args.dtype}, {args.epochs} epochs; {args.rounds} alternated rounds"
    )
    for reason in skipped:
        print(f"skipped {reason}")
    data = {name: (to(X), to(y)) for name, to, _ in backends}
    times = {name: [] for name, _, _ in backends}
    with warnings.catch_warnings(), sklearn.config_context(array_api_dispatch=True):
        warnings.simplefilter("ignore", ConvergenceWarning)
        for name, _, sync in backends:  # warm-up: kernels, allocator, BLAS
            Xb, yb = data[name]
            BackpropClassifier(**{**settings, "max_iter": 1}).fit(
                Xb[:2000, ...], yb[:2000]
            )
            sync()
        for i in range(args.rounds):
            for name, _, sync in backends:
                Xb, yb = data[name]
                start = time.perf_counter()
                BackpropClassifier(**settings).fit(Xb, yb)
                sync()
                times[name].append(time.perf_counter() - start)
            print_round(i, times)
    print_summary(times, "numpy")


if __name__ == "__main__":
    main()
