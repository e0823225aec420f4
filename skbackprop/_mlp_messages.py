"""scikit-learn's own ConvergenceWarning texts, as MLP gives them.

The L-BFGS text is read from the installed scikit-learn at run time (it
changed between 1.6 and 1.9, see ``_compat``), so that users who filter MLP's
warnings by message filter ours.
"""

import warnings

from ._compat import _check_optimize_result


def mlp_convergence_message(solver, max_iter, lbfgs_result=None):
    """The text of MLP's ConvergenceWarning for a fit that did not converge.

    Parameters
    ----------
    solver : {"sgd", "adam", "lbfgs"}
        The solver that ran.
    max_iter : int
        The estimator's ``max_iter``.
    lbfgs_result : scipy.optimize.OptimizeResult, default=None
        scipy's result, for ``solver="lbfgs"``.

    Returns
    -------
    message : str or None
        What ``MLPClassifier`` and ``MLPRegressor`` of the installed
        scikit-learn warn for the same event; None where they do not warn.
    """
    if solver != "lbfgs":
        return (
            f"Stochastic Optimizer: Maximum iterations ({max_iter}) reached and "
            "the optimization hasn't converged yet."
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _check_optimize_result("lbfgs", lbfgs_result, max_iter)
    return str(caught[0].message) if caught else None
