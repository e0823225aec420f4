"""predict runs in row chunks bounded by scikit-learn's working_memory."""

import tracemalloc
import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn import config_context
from sklearn.exceptions import ConvergenceWarning

import skbackprop._training as training
from skbackprop import BackpropClassifier, BackpropRegressor

# The multiclass labels are random and the fits short: fit rightly says it
# learned nothing (tested in test_learned_nothing.py).
pytestmark = pytest.mark.filterwarnings("ignore::skbackprop.LearnedNothingWarning")

rng = np.random.RandomState(0)
X = rng.normal(size=(1003, 6))
HIDDEN = (40, 24)
# Bytes per row of the layers' buffers (float64): hidden units and outputs.
ROW_BYTES = {3: 8 * (40 + 24 + 3), 1: 8 * (40 + 24 + 1), 2: 8 * (40 + 24 + 2)}


def _fitted(Estimator, y, **params):
    model = Estimator(hidden_layer_sizes=HIDDEN, solver="lbfgs", max_iter=30)
    model.set_params(random_state=0, **params)
    with warnings.catch_warnings():
        # 30 iterations may or may not reach scipy's tolerance: either will do.
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y)


CASES = {
    "multiclass": (BackpropClassifier, np.arange(1003) % 3),
    "binary": (BackpropClassifier, X[:, 0] > 0),
    "multilabel": (BackpropClassifier, (X[:, :3] > 0).astype(int)),
    "regressor": (BackpropRegressor, X[:, :2] @ np.ones((2, 2))),
}


def _outputs(model, X_in):
    out = [model.predict(X_in)]
    if hasattr(model, "predict_proba"):
        out += [model.predict_proba(X_in), model.predict_log_proba(X_in)]
    return out


@pytest.mark.parametrize("form", ["float64", "float32", "csr"])
@pytest.mark.parametrize("case", list(CASES))
def test_chunked_predictions_match_one_pass(case, form):
    model = _fitted(*CASES[case])
    X_in = {"float64": X, "float32": X.astype(np.float32), "csr": sparse.csr_matrix(X)}[
        form
    ]
    whole = _outputs(model, X_in)
    # 0.01 MiB: chunks of a few dozen rows, the last one shorter.
    with config_context(working_memory=0.01):
        chunked = _outputs(model, X_in)
    # Labels are the same; values within 1e-12: BLAS may sum a chunk's
    # products in another order than the whole array's.
    if CASES[case][0] is BackpropClassifier:
        np.testing.assert_array_equal(chunked[0], whole[0])
        chunked, whole = chunked[1:], whole[1:]
    for a, b in zip(chunked, whole):
        assert a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_chunks_hold_working_memory_rows(forward_rows):
    model = _fitted(*CASES["multiclass"])
    seen = forward_rows(training)
    with config_context(working_memory=0.05):
        model.predict(X)
    rows = int(0.05 * 2**20 // ROW_BYTES[3])
    assert seen == [rows] * (1003 // rows) + [1003 % rows]
    seen.clear()
    # float32 input to float64 weights: a chunk's float64 copy counts too.
    with config_context(working_memory=0.05):
        model.predict(X.astype(np.float32))
    assert seen[0] == int(0.05 * 2**20 // (ROW_BYTES[3] + 8 * 6))
    seen.clear()
    with config_context(working_memory=1e-9):  # less than a row: one at a time
        model.predict(X[:5])
    assert seen == [1] * 5
    seen.clear()
    model.predict(X)  # the default, 1024 MiB: one pass
    assert seen == [1003]


def test_peak_memory_stays_within_working_memory():
    wide = BackpropRegressor(hidden_layer_sizes=(512,), solver="sgd", max_iter=1)
    with pytest.warns(Warning, match="Maximum iterations"):
        wide.fit(X[:50], X[:50, 0])
    X_big = np.random.RandomState(1).normal(size=(40_000, 6))
    # One pass would take 40000 x 512 x 8 bytes = 156 MiB for the hidden layer.
    tracemalloc.start()
    try:
        with config_context(working_memory=2):
            tracemalloc.reset_peak()
            wide.predict(X_big)
            _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 6 * 2**20
