"""
.. _dask_example:

===================================================
Out-of-core training and a search on a dask cluster
===================================================

When the data outgrows memory, :func:`skbackprop.dask.fit_blocks` trains a
:class:`~skbackprop.BackpropClassifier` through ``partial_fit``, one block
of a dask array at a time, the blocks in a seeded random order each epoch;
:func:`skbackprop.dask.score` and :func:`skbackprop.dask.predict` evaluate
it block by block. When the search outgrows one machine, scikit-learn's
own search runs its fits on the cluster's workers through joblib's dask
backend. Both run here on a :class:`~distributed.LocalCluster`; pointing
the same code at a remote scheduler is a matter of
``Client("tcp://host:8786")`` (see :doc:`/scaling_out`).
"""

import dask.array as da
import joblib
import matplotlib.pyplot as plt
import numpy as np
from distributed import Client, LocalCluster

from skbackprop import BackpropClassifier
from skbackprop.dask import fit_blocks, predict, score

# %%
# A local cluster
# ---------------
# Two workers with one thread each, in this process (``processes=False``)
# so that the example starts quickly; a real set-up uses worker processes
# or a remote scheduler.
cluster = LocalCluster(
    n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
)
client = Client(cluster)

# %%
# Data that dask makes block by block
# -----------------------------------
# 60,000 rows of 20 features in blocks of 10,000 rows, drawn by dask's
# seeded generator: nothing is computed yet, and the client never holds
# the whole array. The label is a noisy nonlinear rule of the features.
rng = da.random.default_rng(0)


def make_data(n_rows):
    X = rng.standard_normal((n_rows, 20), chunks=(10_000, 20))
    noise = rng.standard_normal(n_rows, chunks=10_000)
    y = (X[:, 0] * X[:, 1] + X[:, 2] + 0.3 * noise > 0).astype(int)
    return X, y


X_train, y_train = make_data(60_000)
X_test, y_test = make_data(20_000)
X_train

# %%
# Training epoch by epoch
# -----------------------
# Each call of :func:`~skbackprop.dask.fit_blocks` makes one pass here, so
# that the test accuracy can be recorded after each. Passing the same
# ``RandomState`` instance to every call draws a fresh block order each
# time: the five calls give bitwise the weights of one call with
# ``epochs=5, random_state=0`` (an integer seed would repeat the first
# order at every call).
clf = BackpropClassifier(hidden_layer_sizes=(16,), solver="adam", random_state=0)
order = np.random.RandomState(0)
accuracy = []
for epoch in range(5):
    fit_blocks(clf, X_train, y_train, classes=[0, 1], random_state=order)
    accuracy.append(score(clf, X_test, y_test))
    print(f"epoch {epoch + 1}: test accuracy {accuracy[-1]:.4f}")

fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(range(1, 6), accuracy, marker="o")
ax.set_xticks(range(1, 6))
ax.set_xlabel("epoch (one pass over the 6 blocks)")
ax.set_ylabel("test accuracy")
ax.set_title("BackpropClassifier trained block by block")
fig.tight_layout()

# %%
# Predictions stay lazy: a dask array with the row blocks of ``X_test``,
# computed only when asked for.
labels = predict(clf, X_test)
print(labels)
print("first predictions:", labels[:10].compute())

# %%
# A search on the cluster
# -----------------------
# Any scikit-learn search runs its fits on the workers under
# ``joblib.parallel_backend("dask")``. Its results are those of the
# sequential run (bitwise where both use the same number of BLAS threads,
# within rounding otherwise: see :doc:`/scaling_out`); the wall time changes.
from sklearn.model_selection import GridSearchCV  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

X_small, y_small = X_train[:600].compute(), y_train[:600].compute()
pipe = make_pipeline(
    StandardScaler(),
    BackpropClassifier(solver="lbfgs", max_iter=300, random_state=0),
)
grid = {
    "backpropclassifier__hidden_layer_sizes": [(4,), (16,)],
    "backpropclassifier__alpha": [1e-3, 1.0],
}
with joblib.parallel_backend("dask"):
    search = GridSearchCV(pipe, grid, cv=3).fit(X_small, y_small)
sequential = GridSearchCV(pipe, grid, cv=3).fit(X_small, y_small)
print("best:", search.best_params_, f"score {search.best_score_:.4f}")
print(
    "same scores as sequential:",
    np.array_equal(
        search.cv_results_["mean_test_score"],
        sequential.cv_results_["mean_test_score"],
    ),
)

# %%
# Close the client and the cluster when done.
client.close()
cluster.close()
