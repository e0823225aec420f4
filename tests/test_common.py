"""scikit-learn's common estimator checks, with no expected failures."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from skbackprop import BackpropClassifier, BackpropRegressor


# Some checks fit on deliberately unscaled features (X ~ N(100, 1)) with
# random targets, where most sigmoids saturate: the warning is right there.
@pytest.mark.filterwarnings("ignore::skbackprop.SaturationWarning")
@parametrize_with_checks([BackpropClassifier(), BackpropRegressor()])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
