"""scikit-learn's common estimator checks, with no expected failures."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skbackprop import BackpropClassifier, BackpropRegressor


# The checks fit on small random data with the default max_iter: running out
# of epochs there is expected, and says nothing about compatibility. Some fit
# on deliberately unscaled features (X ~ N(100, 1)) with random targets, where
# most sigmoids saturate: a SaturationWarning (a ConvergenceWarning) is right.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks([BackpropClassifier(), BackpropRegressor()])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
