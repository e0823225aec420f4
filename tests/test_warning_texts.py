"""ConvergenceWarning texts: MLP's own, on the installed scikit-learn."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor

from skbackprop import BackpropClassifier, BackpropRegressor


def _convergence_messages(estimator, X, y):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        estimator.fit(X, y)
    # MLP's texts, not our LearnedNothingWarning (a subclass) that may follow.
    return [str(w.message) for w in caught if w.category is ConvergenceWarning]


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
@pytest.mark.parametrize(
    "ours, theirs",
    [(BackpropClassifier, MLPClassifier), (BackpropRegressor, MLPRegressor)],
)
def test_max_iter_warning_is_mlps_text(solver, ours, theirs):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 4))
    y = X[:, 0] > 0 if ours is BackpropClassifier else X[:, 0] + X[:, 1] ** 2
    params = dict(
        hidden_layer_sizes=(5,), solver=solver, max_iter=3, random_state=0, alpha=1e-4
    )
    expected = _convergence_messages(theirs(**params), X, y)
    got = _convergence_messages(ours(**params), X, y)
    assert len(expected) == 1
    assert got == expected


# Two epochs learn nothing; fit says so as well.
@pytest.mark.filterwarnings("ignore::skbackprop.LearnedNothingWarning")
def test_stochastic_text_is_the_one_users_filter():
    X = np.random.RandomState(0).normal(size=(40, 3))
    with pytest.warns(
        ConvergenceWarning,
        match=r"^Stochastic Optimizer: Maximum iterations \(2\) reached and the "
        r"optimization hasn't converged yet\.$",
    ):
        BackpropClassifier(max_iter=2, random_state=0).fit(X, X[:, 0] > 0)
