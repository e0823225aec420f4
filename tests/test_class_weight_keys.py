"""class_weight keys that are not classes are refused, naming them."""

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning

from skbackprop import BackpropClassifier

# Two epochs learn nothing, and fit says so (tested in
# test_learned_nothing.py).
pytestmark = pytest.mark.filterwarnings("ignore::skbackprop.LearnedNothingWarning")

X = np.random.RandomState(0).normal(size=(30, 3))
y = np.arange(30) % 3


@pytest.mark.parametrize(
    "class_weight, unknown",
    [
        ({"1": 100.0}, "['1']"),
        ({5: 2.0}, "[5]"),
        ({0: 2.0, 7: 1.0, "a": 1}, "[7, 'a']"),
    ],
)
def test_unknown_class_weight_keys_are_refused(class_weight, unknown):
    clf = BackpropClassifier(hidden_layer_sizes=(3,), class_weight=class_weight)
    with pytest.raises(ValueError, match="not classes") as info:
        clf.fit(X, y)
    assert unknown in str(info.value)
    assert not hasattr(clf, "coefs_")


def test_unknown_keys_refused_by_partial_fit():
    clf = BackpropClassifier(hidden_layer_sizes=(3,), class_weight={3: 1.0})
    with pytest.raises(ValueError, match=r"not classes: \[3\]"):
        clf.partial_fit(X, y, classes=[0, 1, 2])


def test_known_keys_of_numpy_and_string_labels_are_accepted():
    params = dict(hidden_layer_sizes=(3,), max_iter=2, random_state=0)
    labels = np.array(["a", "b", "c"])[y]
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        BackpropClassifier(**params, class_weight={np.int64(1): 2.0}).fit(X, y)
    with pytest.warns(ConvergenceWarning, match="Maximum iterations"):
        BackpropClassifier(**params, class_weight={"b": 2.0}).fit(X, labels)
