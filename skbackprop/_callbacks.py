"""scikit-learn's callback API (1.9 and later) on the training loop's epochs.

On an older scikit-learn the estimators have no ``set_callbacks`` and fit
exactly as before.
"""

try:
    from sklearn.callback import CallbackSupportMixin
except ImportError:  # scikit-learn < 1.9

    class CallbackSupportMixin:
        """Stand-in: this scikit-learn has no callback API."""


CALLBACKS_SUPPORTED = hasattr(CallbackSupportMixin, "set_callbacks")

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
            return {
                "coefs_": [c.copy() for c in params.coefs],
                "intercepts_": [b.copy() for b in params.intercepts],
            }

        return task.call_on_fit_task_end(
            estimator=self.estimator, reconstruction_attributes=weights, **self.data
        )

    def close(self):
        """End a task that was begun but did not finish, with nothing to report."""
        if self.task is not None:
            self.task.call_on_fit_task_end(estimator=self.estimator)
            self.task = None
