"""skbackprop: scikit-learn estimators on a hand-written backpropagation network."""

from ._estimators import BackpropClassifier, BackpropRegressor
from ._exceptions import LearnedNothingWarning, SaturationWarning
from ._trace import BackpropTrace, GradientCheck, backprop_trace, check_gradients

__version__ = "0.1.0"

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
