"""The ``n_init`` restarts: train the runs, rank them, keep the best."""

from dataclasses import dataclass

from ._training import History, Outcome, TrainingDiverged, train


@dataclass
class Chosen:
    """The run a fit keeps: its trained weights, its history and how it ended."""

    params: object
    history: History
    outcome: Outcome


def train_runs(
    X,
    Y,
    sw,
    network,
    settings,
    draw_start,
    *,
    n_runs=1,
    previous=None,
    keep_optimizer=False,
    val=None,
    rng=None,
    epochs=None,
    task=None,
    report=None,
):
    """Train ``n_runs`` runs one after another; return the best as :class:`Chosen`.

    Runs are ranked by their best validation score under early stopping,
    else by the objective (mean loss plus L2 term) at their final weights.
    A run that diverged before improving on its start is left out; if
    every run did (or the only one), its :class:`TrainingDiverged` is
    raised.  An interrupted run, or one a callback stopped, ends the
    restarts: the best run finished so far is kept, else that one.

    Parameters
    ----------
    X, Y, sw, network, settings
        As :func:`~skbackprop._training.train` takes them.
    draw_start : callable
        ``draw_start()`` gives the starting weights of the next run; random
        starts are drawn in run order, from the same stream as the shuffles.
    n_runs : int
        Number of runs.
    previous : History or None
        The fitted history that a single run continues (warm start,
        ``partial_fit``); None starts from a fresh one.
    keep_optimizer : bool
        Whether the continued run keeps the previous optimizer's state
        (``partial_fit``) rather than building one afresh.
    val, rng, epochs
        As :func:`~skbackprop._training.train` takes them.
    task : object or None
        Told of each run: ``task.begin_run()`` gives the run's epoch hooks,
        ``task.end_run(params)`` is called when it ends.
    report : callable or None
        ``report(outcome, history)`` after each run that was not left out.

    Returns
    -------
    chosen : Chosen
    """
    runs, what, verbose = [], None, settings.verbose
    for run in range(n_runs):
        params = draw_start()
        history = _history(previous, keep_optimizer, validating=val is not None)
        hooks = task.begin_run() if task is not None else None
        try:
            outcome = train(
                X,
                Y,
                sw,
                params,
                history,
                network,
                settings,
                val=val,
                rng=rng,
                epochs=epochs,
                hooks=hooks,
            )
        except TrainingDiverged:
            if n_runs == 1 or (run == n_runs - 1 and not runs):
                raise
            if task is not None:
                task.end_run(params)
            if verbose:
                print(f"Run {run + 1} of {n_runs}: diverged, left out")
            continue
        if task is not None:
            task.end_run(params)
        if report is not None:
            report(outcome, history)
        if n_runs == 1:
            runs.append((None, params, history, run, outcome))
            break
        if outcome.interrupted or outcome.stopped:
            runs = runs or [(None, params, history, run, outcome)]
            break
        key, what = _rank(X, Y, sw, params, history, network, val)
        if verbose:
            print(f"Run {run + 1} of {n_runs}: {what} {abs(key):.8f}")
        runs.append((key, params, history, run, outcome))
    best = 0 if len(runs) == 1 else min(range(len(runs)), key=lambda i: runs[i][0])
    key, params, history, run, outcome = runs[best]
    if verbose and key is not None:
        print(
            f"Kept run {run + 1} of {n_runs}: {what} {abs(key):.8f}; its "
            f"loss_ (the mean over its last epoch's batches) {history.loss:.8f}."
        )
    return Chosen(params, history, outcome)


def _history(previous, keep_optimizer, validating):
    """The history a run starts from: fresh, or a copy of the fitted one."""
    if previous is None:
        return History.fresh(validating=validating)
    history = previous.continued(validating=validating)
    if not keep_optimizer:
        # A new fit uses the current hyperparameters; only partial_fit
        # carries the optimizer's state over.
        history.optimizer = None
    return history


def _rank(X, Y, sw, params, history, network, val):
    """A finished run's key (lower is better) and what it measures."""
    if val is not None:
        return -history.best_validation_score, "best validation score"
    # loss_ averages an epoch's batches while the weights moved; the runs
    # are ranked by the objective at their final weights.
    key = network.mean_loss(X, Y, sw, params, penalty=True)
    return key, "objective at its final weights"
