"""Out-of-core training, prediction and scoring on dask arrays (the ``dask`` extra)."""

import copy
from numbers import Integral

import numpy as np
from sklearn.base import is_classifier
from sklearn.utils import check_random_state

try:
    import dask
    import dask.array as da
except ImportError as error:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "skbackprop.dask needs dask: pip install 'skbackprop[dask]'"
    ) from error

__all__ = ["fit_blocks", "predict", "predict_proba", "predict_log_proba", "score"]


def fit_blocks(
    estimator,
    X,
    y,
    *,
    epochs=1,
    classes=None,
    sample_weight=None,
    shuffle_blocks=True,
    random_state=None,
):
    """Train ``estimator`` by ``partial_fit`` on a dask array, one block at a time.

    Each epoch visits every row block of ``X`` once, in an order drawn from
    ``random_state`` (a fresh permutation per epoch), and calls
    ``estimator.partial_fit`` on that block. The block is computed where dask
    computes it (on a ``distributed`` worker when a client is active) and the
    model is sent to it, so the data never passes through this process. On a
    cluster the next block is computed while the model trains on the current
    one: a worker holds two blocks at most. The result
    is bitwise the same as the plain loop over the same blocks in memory,
    run in the same process or on a worker with the same BLAS threads::

        rng = np.random.RandomState(random_state)
        for epoch in range(epochs):
            for i in rng.permutation(n_blocks):
                if len(X_block[i]):  # empty blocks are skipped
                    estimator.partial_fit(X_block[i], y_block[i], classes=classes)

    Blocks without rows (common after boolean filtering) are skipped. If a
    block is refused (``partial_fit`` raises: NaN in it, an unseen label...),
    the error is raised and ``estimator`` is restored to its state before
    the call, never left trained on the blocks before that one; a Ctrl-C
    (``KeyboardInterrupt``) between blocks is raised too, and leaves the
    blocks finished so far trained in.

    Training is sequential: one model visits one block after another, so more
    workers do not make it faster; they help only to compute the blocks.

    Parameters
    ----------
    estimator : estimator with ``partial_fit``
        Trained in place, e.g. a :class:`~skbackprop.BackpropClassifier` with
        ``solver="sgd"`` or ``"adam"``. An already fitted estimator carries on
        from its weights and optimizer state.
    X : dask array of shape (n_samples, n_features)
        Training data, chunked along the rows (column chunks are joined).
    y : dask array or ndarray of shape (n_samples,) or (n_samples, n_outputs)
        Targets; rechunked to the row chunks of ``X`` when they differ.
    epochs : int, default=1
        Passes over the data.
    classes : array-like, default=None
        Every class label (classifiers): required when ``estimator`` is not
        fitted yet, as for ``partial_fit``; e.g. ``da.unique(y).compute()``.
    sample_weight : dask array or ndarray of shape (n_samples,), default=None
        Weights of the rows, passed block by block to ``partial_fit``.
    shuffle_blocks : bool, default=True
        Visit the blocks in a random order each epoch; else in their order.
    random_state : int, RandomState instance or None, default=None
        Draws the order of the blocks. The order of the rows inside a block
        is the estimator's own business (its ``shuffle`` and
        ``random_state``).

    Returns
    -------
    estimator : estimator
        The same object, trained ``epochs`` passes further.

    Examples
    --------
    >>> import dask.array as da
    >>> from skbackprop import BackpropClassifier
    >>> from skbackprop.dask import fit_blocks, score
    >>> X = da.random.default_rng(0).normal(size=(20_000, 5), chunks=(5000, 5))
    >>> y = (X[:, 0] + X[:, 1] > 0).astype(int)
    >>> clf = BackpropClassifier(hidden_layer_sizes=(8,), random_state=0)
    >>> clf = fit_blocks(clf, X, y, epochs=5, classes=[0, 1], random_state=0)
    >>> len(clf.loss_curve_)  # one partial_fit per block and epoch
    20
    >>> score(clf, X, y) > 0.95
    True
    """
    if not hasattr(estimator, "partial_fit"):
        raise TypeError(
            f"{type(estimator).__name__} has no partial_fit; fit_blocks trains "
            "by partial_fit, one block at a time."
        )
    if not isinstance(epochs, Integral) or isinstance(epochs, bool) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}.")
    if (
        is_classifier(estimator)
        and classes is None
        and not hasattr(estimator, "classes_")
    ):
        raise ValueError(
            "classes must be given when the classifier is not fitted yet: every "
            "label that any block holds, e.g. classes=da.unique(y).compute()."
        )
    X = _row_blocks(X)
    y = _rows_like(y, X, "y")
    sample_weight = (
        None if sample_weight is None else _rows_like(sample_weight, X, "sample_weight")
    )
    kwargs = {} if classes is None else {"classes": classes}

    rng = check_random_state(random_state)
    n_blocks = X.numblocks[0]
    if not any(X.chunks[0]):
        raise ValueError(f"X has no rows: its {n_blocks} row block(s) are empty.")
    visits = (
        i
        for _ in range(epochs)
        for i in (rng.permutation(n_blocks) if shuffle_blocks else range(n_blocks))
        if X.chunks[0][i]
    )

    def block(i):
        parts = [X.blocks[i], y.blocks[i]]
        if sample_weight is not None:
            parts.append(sample_weight.blocks[i])
        # On a cluster the next block is computed on a worker while the
        # model trains on this one: at most two blocks per worker at a time.
        return client.persist(parts) if client is not None else parts

    client = _distributed_client()
    before = copy.deepcopy(vars(estimator))
    try:
        following = block(next(visits))
        for i in visits:
            current, following = following, block(i)
            _step(estimator, current, kwargs)
        _step(estimator, following, kwargs)
    except Exception:
        vars(estimator).clear()
        vars(estimator).update(before)
        raise
    return estimator


_MAP_DOC = """{summary} on a dask array, block by block.

    Parameters
    ----------
    estimator : fitted {kind}
        Any fitted {kind} with ``{method}``.
    X : dask array of shape (n_samples, n_features)
        Input data, chunked along the rows.

    Returns
    -------
    {returns}
        Lazy, with the row chunks of ``X``; call ``.compute()`` for a numpy
        array, or store them without computing (``da.to_zarr``).
    """


def predict(estimator, X):
    return _map_rows(estimator, "predict", X)


def predict_proba(estimator, X):
    return _map_rows(estimator, "predict_proba", X)


def predict_log_proba(estimator, X):
    return _map_rows(estimator, "predict_log_proba", X)


for _func, _summary, _kind, _returns in [
    (
        predict,
        "Predict",
        "estimator",
        "y : dask array of shape (n_samples,) or (n_samples, n_outputs)",
    ),
    (
        predict_proba,
        "Class probabilities",
        "classifier",
        "proba : dask array of shape (n_samples, n_classes)",
    ),
    (
        predict_log_proba,
        "Logarithm of the class probabilities",
        "classifier",
        "log_proba : dask array of shape (n_samples, n_classes)",
    ),
]:
    _func.__doc__ = _MAP_DOC.format(
        summary=_summary, kind=_kind, method=_func.__name__, returns=_returns
    )


def score(estimator, X, y, sample_weight=None):
    """The estimator's default score on dask arrays, in one pass over ``X``.

    Accuracy for classifiers (the fraction of rows, or of weight, whose every
    label is right), the coefficient of determination R^2 for regressors
    (averaged over the outputs, 1.0 for a constant target predicted exactly
    and 0.0 for one predicted otherwise), as ``estimator.score`` computes
    them on numpy arrays; the sums are taken block by block, so the number
    can differ from ``estimator.score`` in the last bits.

    Parameters
    ----------
    estimator : fitted classifier or regressor
        Any fitted estimator with ``predict``.
    X : dask array of shape (n_samples, n_features)
        Input data, chunked along the rows.
    y : dask array or ndarray of shape (n_samples,) or (n_samples, n_outputs)
        True targets.
    sample_weight : dask array or ndarray of shape (n_samples,), default=None
        Weights of the rows.

    Returns
    -------
    score : float
        Accuracy or R^2, computed.
    """
    X = _row_blocks(X)
    y = _rows_like(y, X, "y")
    y_pred = _map_rows(estimator, "predict", X)
    w = (
        da.ones(X.shape[0], chunks=(X.chunks[0],))
        if sample_weight is None
        else _rows_like(sample_weight, X, "sample_weight")
    )
    if is_classifier(estimator):
        right = y_pred == y
        if right.ndim == 2:  # multilabel: a row is right when all its labels are
            right = right.all(axis=1)
        hits, total = dask.compute((w * right).sum(), w.sum())
        return float(hits / total)
    y2 = y.reshape(y.shape[0], -1)
    p2 = y_pred.reshape(y.shape[0], -1)
    w2 = w[:, None]
    # Two passes over y (its weighted mean first), one over X: the residuals
    # and the spread about the mean are then summed in one go.
    total, y_sum = dask.compute(w.sum(), (w2 * y2).sum(axis=0))
    mean = y_sum / total
    ss_res, ss_tot = dask.compute(
        (w2 * (y2 - p2) ** 2).sum(axis=0), (w2 * (y2 - mean) ** 2).sum(axis=0)
    )
    ok = ss_tot != 0
    scores = np.where(ss_res == 0, 1.0, 0.0)
    scores[ok] = 1 - ss_res[ok] / ss_tot[ok]
    return float(scores.mean())


def _step(estimator, parts, kwargs):
    """``estimator.partial_fit`` on one block, run where the block is."""
    step = dask.delayed(_partial_fit_block, pure=False)(estimator, kwargs, *parts)
    (model,) = dask.compute(step)
    if model is not estimator:
        # A distributed scheduler sends back a trained copy; its state is
        # kept after each block, so that a Ctrl-C keeps the blocks done.
        vars(estimator).clear()
        vars(estimator).update(vars(model))


def _distributed_client():
    """The ``distributed`` client that dask computes with, or None."""
    try:
        from distributed import Client
    except ImportError:
        return None
    client = getattr(dask.base.get_scheduler(), "__self__", None)
    return client if isinstance(client, Client) else None


def _partial_fit_block(model, kwargs, X, y, sample_weight=None):
    """One training step on one block; runs where the block is."""
    if sample_weight is not None:
        kwargs = {**kwargs, "sample_weight": sample_weight}
    return model.partial_fit(X, y, **kwargs)


def _map_rows(estimator, method, X):
    """``estimator.<method>`` over the row blocks of ``X``, lazily."""
    X = _row_blocks(X)
    method_of = getattr(estimator, method)
    # The output's dtype and columns, from one row of zeros; an empty block,
    # which the estimator would refuse, gives an empty output of that kind.
    sample = method_of(np.zeros((1, X.shape[1]), dtype=X.dtype))

    def func(block):
        if block.shape[0] == 0:
            return np.empty((0, *sample.shape[1:]), dtype=sample.dtype)
        return method_of(block)

    if sample.ndim == 1:
        return X.map_blocks(func, drop_axis=1, chunks=(X.chunks[0],), meta=sample[:0])
    return X.map_blocks(func, chunks=(X.chunks[0], (sample.shape[1],)), meta=sample[:0])


def _row_blocks(X):
    """``X`` as a 2-D dask array with one chunk across its columns."""
    if not isinstance(X, da.Array):
        raise TypeError(
            f"X must be a dask array, got {type(X).__name__}; wrap numpy data "
            "with dask.array.from_array(X, chunks=(rows_per_block, -1)), or a "
            "dask DataFrame with df.to_dask_array(lengths=True)."
        )
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (n_samples, n_features), got {X.ndim}-D.")
    if any(np.isnan(c) for c in X.chunks[0]):
        raise ValueError(
            "X has blocks of unknown length; call X.compute_chunk_sizes() first "
            "(or to_dask_array(lengths=True) on a dask DataFrame)."
        )
    if X.numblocks[1] > 1:
        X = X.rechunk({1: -1})
    return X


def _rows_like(a, X, name):
    """``a`` as a dask array with the row chunks of ``X``."""
    a = da.asarray(a)
    if a.shape[0] != X.shape[0]:
        raise ValueError(
            f"{name} has {a.shape[0]} rows but X has {X.shape[0]}; they must "
            "be the same rows."
        )
    if a.chunks[0] != X.chunks[0]:
        a = a.rechunk({0: X.chunks[0]})
    if a.ndim == 2 and a.numblocks[1] > 1:
        a = a.rechunk({1: -1})
    return a
