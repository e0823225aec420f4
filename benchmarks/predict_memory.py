"""Peak memory of prediction against the input's size, by network width.

Run ``python benchmarks/predict_memory.py [--rows 10000 100000 300000]``.
For BackpropClassifier (``predict_proba``) and BackpropRegressor
(``predict``), and MLPClassifier and MLPRegressor for reference, each with a
few hidden layer sizes, it fits float64 weights on a small sample, then
predicts float32 inputs of 100 features and of growing numbers of rows, and
prints the peak of the memory allocated during the call (numpy's
allocations, traced by ``tracemalloc``; BLAS's own small buffers are not
counted), in MiB and as a multiple of the input's size. skbackprop runs
with scikit-learn's default ``working_memory`` (1024 MiB) and with 64 MiB,
the bound of its row chunks; MLP ignores the setting.
"""

import argparse
import platform
import tracemalloc
import warnings

import numpy as np
import sklearn
from sklearn import config_context
from sklearn.neural_network import MLPClassifier, MLPRegressor

import skbackprop
from skbackprop import BackpropClassifier, BackpropRegressor

N_FEATURES = 100
WIDTHS = [(64,), (256, 128), (1024,)]
ESTIMATORS = [
    ("BackpropClassifier", BackpropClassifier, "predict_proba"),
    ("MLPClassifier", MLPClassifier, "predict_proba"),
    ("BackpropRegressor", BackpropRegressor, "predict"),
    ("MLPRegressor", MLPRegressor, "predict"),
]


def fitted(Estimator, hidden):
    """A model with float64 weights, fitted one epoch on a small sample."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, N_FEATURES))
    y = np.arange(300) % 3 if "Classifier" in Estimator.__name__ else X[:, 0]
    model = Estimator(hidden_layer_sizes=hidden, max_iter=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(X, y)


def peak_mib(method, X, working_memory):
    """Peak MiB allocated by ``method(X)`` beyond what was allocated before."""
    with config_context(working_memory=working_memory):
        tracemalloc.start()
        try:
            method(X)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return peak / 2**20


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, nargs="+", default=[10_000, 100_000, 300_000]
    )
    args = parser.parse_args()
    print(
        f"skbackprop {skbackprop.__version__}, scikit-learn {sklearn.__version__}, "
        f"numpy {np.__version__}, Python {platform.python_version()}"
    )
    print(
        f"float32 input of {N_FEATURES} features; float64 weights; peak MiB (x input)"
    )
    header = f"{'estimator':<19} {'hidden':<11} {'working_memory':>14}"
    header += "".join(f" {f'{n:,} rows':>20}" for n in args.rows)
    print(header)
    inputs = [
        np.random.RandomState(1).normal(size=(n, N_FEATURES)).astype(np.float32)
        for n in args.rows
    ]
    for name, Estimator, method_name in ESTIMATORS:
        ours = name.startswith("Backprop")
        for hidden in WIDTHS:
            method = getattr(fitted(Estimator, hidden), method_name)
            for working_memory in (1024, 64) if ours else (1024,):
                label = f"{working_memory} MiB" if ours else "(ignored)"
                cells = []
                for X in inputs:
                    peak = peak_mib(method, X, working_memory)
                    cells.append(f"{peak:9.1f} ({peak / (X.nbytes / 2**20):4.2f}x)")
                row = f"{name:<19} {str(hidden):<11} {label:>14}"
                print(row + "".join(f" {c:>20}" for c in cells), flush=True)


if __name__ == "__main__":
    main()
