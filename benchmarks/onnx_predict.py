"""Prediction time of skbackprop against its ONNX export run by onnxruntime.

Run ``python benchmarks/onnx_predict.py`` (``--quick`` for a short smoke run);
it needs the ``onnx`` and ``benchmark`` extras
(``pip install -e ".[onnx,benchmark]"``).

A classifier and a regressor are fitted on the digits data (64 features,
hidden layers ``(100, 50)``), each in float64 and float32, and exported with
:func:`skbackprop.onnx.to_onnx` for input of the same dtype. Per row of the
table: the time of one call of ``predict_proba`` (``predict`` for the
regressor) and of ``session.run`` on one row and on a batch of rows, both
sides alternating, the best of the repeats reported (load from other
processes only ever adds time, so the best is the least disturbed). The ONNX
outputs are checked against ours first (labels equal, probabilities within
1e-5 in float32 and 1e-12 in float64).

Two sets of columns: each side with its default threads (numpy's BLAS
threads, onnxruntime's intra-op threads), then each held to one thread
(``threadpoolctl`` for numpy), the fairer comparison on a busy machine.
"""

import argparse
import os
import time
import warnings
from functools import partial

import numpy as np
import onnxruntime as ort
from compare_mlp import describe_machine
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skbackprop import BackpropClassifier, BackpropRegressor
from skbackprop.onnx import to_onnx


def session(model, threads=0):
    """An onnxruntime session on the CPU; ``threads=0`` is its default."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    return ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def per_call(fn, min_seconds):
    """Seconds of one call of ``fn``, from a loop of at least ``min_seconds``."""
    fn()
    n, elapsed = 1, 0.0
    while True:
        start = time.perf_counter()
        for _ in range(n):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return elapsed / n
        n *= 2


def best_times(fns, repeats, min_seconds):
    """Best seconds per call of each of ``fns``, measured in alternation."""
    times = [[] for _ in fns]
    for _ in range(repeats):
        for t, fn in zip(times, fns):
            t.append(per_call(fn, min_seconds))
    return [min(t) for t in times]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run")
    args = parser.parse_args()
    repeats, min_seconds = (1, 0.02) if args.quick else (7, 0.2)

    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    batch = np.tile(X, (3, 1))[:5000]
    for line in describe_machine():
        print(line)
    print(f"onnxruntime {ort.__version__}")
    print(
        f"digits, hidden (100, 50); one row and a batch of {len(batch)} rows; "
        f"best of {repeats}; us = microseconds per call; ratio = onnx / ours"
    )
    print(
        f"{'':26}{'-- default threads --':>29}{'-- one thread each --':>29}\n"
        f"{'model':<11}{'dtype':<9}{'rows':>6}"
        + f"{'ours us':>11}{'onnx us':>11}{'ratio':>7}"
        * 2
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        models = {
            "classifier": BackpropClassifier((100, 50), max_iter=30, random_state=0),
            "regressor": BackpropRegressor(
                hidden_layer_sizes=(100, 50), max_iter=30, random_state=0
            ),
        }
        targets = {"classifier": y, "regressor": y / 9.0}
        for name, model in models.items():
            for dtype in (np.float64, np.float32):
                Xd, batch_d = X.astype(dtype), batch.astype(dtype)
                model.fit(Xd, targets[name])
                onnx_model = to_onnx(model, Xd)
                ours = model.predict_proba if name == "classifier" else model.predict
                check(model, session(onnx_model), batch_d)
                sessions = [session(onnx_model), session(onnx_model, threads=1)]
                for rows in (batch_d[:1], batch_d):
                    times = best_times(
                        [
                            partial(ours, rows),
                            partial(sessions[0].run, None, {"X": rows}),
                        ],
                        repeats,
                        min_seconds,
                    )
                    with threadpool_limits(1, "blas"):
                        times += best_times(
                            [
                                partial(ours, rows),
                                partial(sessions[1].run, None, {"X": rows}),
                            ],
                            repeats,
                            min_seconds,
                        )
                    print(
                        f"{name:<11}{np.dtype(dtype).name:<9}{len(rows):>6}"
                        + "".join(
                            f"{a * 1e6:>11.1f}{b * 1e6:>11.1f}{b / a:>7.2f}"
                            for a, b in (times[:2], times[2:])
                        )
                    )
    print(f"load average at the end: {load_average()}")


def load_average():
    """The 1, 5 and 15 minute load averages, as printed."""
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def check(model, sess, X):
    """The export gives our labels and values (1e-5 float32, 1e-12 float64)."""
    tol = 1e-5 if X.dtype == np.float32 else 1e-12
    outputs = sess.run(None, {"X": X})
    if isinstance(model, BackpropClassifier):
        np.testing.assert_array_equal(outputs[0], model.predict(X))
        np.testing.assert_allclose(
            outputs[1], model.predict_proba(X), rtol=tol, atol=tol
        )
    else:
        np.testing.assert_allclose(
            outputs[0][:, 0], model.predict(X), rtol=tol, atol=tol
        )


if __name__ == "__main__":
    main()
