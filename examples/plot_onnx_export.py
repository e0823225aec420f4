"""
.. _onnx_example:

=============================================
Deploying with ONNX: export, run and compare
=============================================

:func:`skbackprop.onnx.to_onnx` turns a fitted model, or a pipeline ending in
one, into an ONNX graph that any ONNX runtime can serve without Python,
scikit-learn or skbackprop. The graph computes what ``predict`` and
``predict_proba`` compute, in the same dtype, so its answers are ours to the
last digits. Here a digits classifier is exported, run with onnxruntime,
compared with ``predict`` and ``predict_proba``, and timed against
``predict_proba``.

This needs the ``onnx`` extra: ``pip install "skbackprop[onnx]"``.
"""

import time

import matplotlib.pyplot as plt
import numpy as np
import onnx
import onnxruntime as ort
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier
from skbackprop.onnx import to_onnx

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)

model = make_pipeline(
    StandardScaler(),
    BackpropClassifier(hidden_layer_sizes=(64,), max_iter=300, random_state=0),
)
model.fit(X_train, y_train)
print(f"test accuracy: {model.score(X_test, y_test):.4f}")

# %%
# Export
# ------
# The sample passed with the model sets the input of the graph: its number of
# columns and its dtype. float64 here, as the model was fitted; the graph then
# computes in float64 like ``predict`` does. ``to_onnx`` returns an
# ``onnx.ModelProto``; ``SerializeToString()`` gives the bytes to save in a
# ``.onnx`` file.

onnx_model = to_onnx(model, X_train)
for i in onnx_model.graph.input:
    print(
        "input:  ", i.name, onnx.TensorProto.DataType.Name(i.type.tensor_type.elem_type)
    )
print("outputs:", [o.name for o in onnx_model.graph.output])
print("nodes:  ", " ".join(node.op_type for node in onnx_model.graph.node))
onnx_bytes = onnx_model.SerializeToString()
print(f"{len(onnx_bytes) / 1024:.1f} KiB")

# %%
# Run with onnxruntime and compare
# --------------------------------
# The classifier's graph has two outputs: the labels, as ``predict`` chooses
# them, and the probabilities, as ``predict_proba`` gives them.

session = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
labels, proba = session.run(None, {"X": X_test})

print("labels equal to predict:", np.array_equal(labels, model.predict(X_test)))
diff = np.abs(proba - model.predict_proba(X_test)).max()
print(f"largest difference from predict_proba: {diff:.1e}")

# %%
# In float32
# ----------
# A float32 sample gives a graph with float32 input and outputs. The model's
# weights are float64, so, like ``predict`` on float32 input, the graph still
# computes in float64 and casts the probabilities to float32 at the end: the
# labels are the same, the probabilities ours rounded to float32.

X_test32 = X_test.astype(np.float32)
session32 = ort.InferenceSession(
    to_onnx(model, X_test32).SerializeToString(), providers=["CPUExecutionProvider"]
)
labels32, proba32 = session32.run(None, {"X": X_test32})
print("labels equal to predict:", np.array_equal(labels32, model.predict(X_test32)))
diff32 = np.abs(proba32 - model.predict_proba(X_test32)).max()
print(f"probabilities: {proba32.dtype}, largest difference {diff32:.1e}")

# %%
# Prediction time
# ---------------
# ``predict_proba`` validates its input and runs numpy; onnxruntime runs
# compiled kernels without Python between them. Each figure is the best of
# a few loops (other load can only add time) on the machine that built this
# page, so it moves from build to build; ``benchmarks/onnx_predict.py``
# measures more carefully.


def seconds_per_call(fn, repeats=7, loops=50):
    """Best over ``repeats`` of the mean time of ``loops`` calls."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(loops):
            fn()
        times.append((time.perf_counter() - start) / loops)
    return min(times)


batches = {"one row": X_test[:1], f"{len(X_test)} rows": X_test}
timings = {}
for name, rows in batches.items():
    timings[name] = (
        seconds_per_call(lambda rows=rows: model.predict_proba(rows)),
        seconds_per_call(lambda rows=rows: session.run(None, {"X": rows})),
    )
    ours, onnx = timings[name]
    print(f"{name:>9}: predict_proba {ours * 1e6:7.1f} us, onnx {onnx * 1e6:7.1f} us")

fig, ax = plt.subplots(figsize=(6, 3))
positions = np.arange(len(timings))
ax.barh(
    positions + 0.2, [t[0] * 1e6 for t in timings.values()], 0.4, label="predict_proba"
)
ax.barh(
    positions - 0.2, [t[1] * 1e6 for t in timings.values()], 0.4, label="onnxruntime"
)
ax.set_yticks(positions, list(timings))
ax.set_xscale("log")
ax.set_xlim(right=20 * max(max(t) for t in timings.values()) * 1e6)  # legend room
ax.set_xlabel("microseconds per call (log scale)")
ax.set_title("Digits classifier, float64")
ax.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %%
# One row is where the export pays most: the call's fixed cost in Python
# (validating ``X``, dispatching numpy) dwarfs the arithmetic of a small
# network. For large float64 batches onnxruntime's float64 kernels can be
# the slower ones; a model fitted in float32 gets float32 kernels throughout.
