"""scikit-learn's callback API (1.9 and later) on the training loop's epochs.

On an older scikit-learn the estimators fit exactly as before, and their
``set_callbacks`` raises an ImportError naming the version needed.
"""

from ._arrays import ops
from ._compat import CALLBACKS_MIN, require_sklearn

try:
    from sklearn.callback import CallbackSupportMixin

    CALLBACKS_SUPPORTED = True
except ImportError:  # scikit-learn < 1.9
    CALLBACKS_SUPPORTED = False

    class CallbackSupportMixin:
        """Stand-in: this scikit-learn has no callback API."""

        def set_callbacks(self, *callbacks):
            """Refuse: scikit-learn's callbacks need scikit-learn 1.9 or later.

            Parameters
            ----------
            *callbacks : callback objects
                The callbacks that were to be set.

            Raises
            ------
            ImportError
                Always, naming the scikit-learn version that is needed.
            """
            require_sklearn(CALLBACKS_MIN, "set_callbacks (scikit-learn's callbacks)")


# Attributes the callback API keeps on an estimator while it fits; restoring
# an estimator after a failed call leaves them to the API's own teardown.
CALLBACK_STATE = ("_callback_fit_ctx", "_skl_callbacks_to_teardown")


class EpochHooks:
    """The training loop's hooks, forwarded to scikit-learn's callbacks.

    Each epoch (each L-BFGS iteration) is a task under ``context``: the loop
    calls :meth:`begin` when one starts, :meth:`end` with the weights when it
    finishes (a True return asks training to stop), and :meth:`close` when
    training ends, which ends a task that was begun but never finished.

    Parameters
    ----------
    estimator : estimator
        The estimator being fitted.
    context : sklearn.callback.CallbackContext
        The task the epochs belong to (the fit, or one of ``n_init`` runs).
    X, y : array-like
        The data given to ``fit``, passed to the callbacks.
    metadata : dict or None
        ``{"sample_weight": ...}`` as given to ``fit``.
    task_name : str, default="epoch"
        "epoch", or "iteration" for L-BFGS.
    """

    def __init__(self, estimator, context, X, y, metadata, task_name="epoch"):
        self.estimator, self.context = estimator, context
        self.data = dict(X=X, y=y, metadata=metadata)
        self.task_name, self.task = task_name, None

    def begin(self):
        """Start the next epoch's task."""
        self.task = self.context.subcontext(task_name=self.task_name)
        self.task.call_on_fit_task_begin(estimator=self.estimator, **self.data)

    def end(self, params):
        """End the epoch's task; return whether a callback asks to stop."""
        task, self.task = self.task, None

        def weights():
            # A snapshot: the callbacks may keep the model after training.
            F = ops(params.flat)
            return {
                "coefs_": [F.copy(c) for c in params.coefs],
                "intercepts_": [F.copy(b) for b in params.intercepts],
            }

        return task.call_on_fit_task_end(
            estimator=self.estimator, reconstruction_attributes=weights, **self.data
        )

    def close(self):
        """End a task that was begun but did not finish, with nothing to report."""
        if self.task is not None:
            self.task.call_on_fit_task_end(estimator=self.estimator)
            self.task = None


class FitTask:
    """A fit as scikit-learn's callbacks see it: runs, then epochs.

    One run's epochs are the fit's subtasks; with ``n_init`` runs each run
    is a subtask with its epochs below it.  ``partial_fit`` is one task with
    no subtasks, as scikit-learn's own ``partial_fit`` methods report.

    Parameters
    ----------
    estimator : estimator
        The estimator being fitted; its callback context is made here.
    X, y : array-like
        The data given to ``fit``.
    sample_weight : array-like or None
        As given to ``fit``.
    n_runs : int
        Training runs (``n_init``, or 1).
    incremental : bool
        Whether this is a ``partial_fit`` call.
    """

    def __init__(self, estimator, X, y, sample_weight, n_runs, incremental):
        self.estimator, self.n_runs = estimator, n_runs
        metadata = None if sample_weight is None else {"sample_weight": sample_weight}
        self.data = dict(X=X, y=y, metadata=metadata)
        epochs = estimator.max_iter + (estimator.solver == "lbfgs")
        self.per_run = 0 if incremental else epochs
        self.context = estimator._init_callback_context(
            max_subtasks=self.per_run if n_runs == 1 else n_runs
        )
        self.context.call_on_fit_task_begin(estimator=estimator, **self.data)
        # Nothing listens: no hooks per epoch, no cost.
        self.listening = bool(getattr(estimator, "_skl_callbacks", None))
        self.run_context = None

    def begin_run(self):
        """Hooks for the epochs of the next run, or None when nothing listens."""
        if not self.listening or self.per_run == 0:
            return None
        context = self.context
        if self.n_runs > 1:
            context = context.subcontext(task_name="run", max_subtasks=self.per_run)
            context.call_on_fit_task_begin(estimator=self.estimator, **self.data)
            self.run_context = context
        name = "iteration" if self.estimator.solver == "lbfgs" else "epoch"
        return EpochHooks(self.estimator, context, **self.data, task_name=name)

    def end_run(self, params):
        """End the run's task (under ``n_init``) with its final weights."""
        if self.run_context is not None:
            weights = {"coefs_": params.coefs, "intercepts_": params.intercepts}
            self.run_context.call_on_fit_task_end(
                estimator=self.estimator, reconstruction_attributes=weights, **self.data
            )
            self.run_context = None

    def finish(self, estimator):
        """End the fit's task with the fitted estimator."""
        self.context.call_on_fit_task_end(
            estimator=estimator, reconstruction_attributes={}, **self.data
        )
