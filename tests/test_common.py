"""scikit-learn's common estimator checks, with no expected failures."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skbackprop import BackpropClassifier, BackpropRegressor


@parametrize_with_checks([BackpropClassifier(), BackpropRegressor()])
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
