"""skbackprop: scikit-learn estimators on a hand-written backpropagation network."""

from importlib.metadata import PackageNotFoundError, version

from ._estimators import BackpropClassifier, BackpropRegressor
from ._exceptions import LearnedNothingWarning, SaturationWarning
from ._trace import BackpropTrace, GradientCheck, backprop_trace, check_gradients

try:
    # The version is written once, in pyproject.toml; installing records it.
    __version__ = version("skbackprop")
except PackageNotFoundError:  # a checkout on sys.path that was never installed
    __version__ = "0+unknown"

__all__ = [
    "BackpropClassifier",
    "BackpropRegressor",
    "BackpropTrace",
    "GradientCheck",
    "LearnedNothingWarning",
    "SaturationWarning",
    "backprop_trace",
    "check_gradients",
    "__version__",
]
