"""Labels that cannot be sorted together are refused with a clear ValueError."""

import numpy as np
import pytest

from skbackprop import BackpropClassifier

X = np.random.RandomState(0).normal(size=(6, 2))


@pytest.mark.parametrize(
    "labels, kinds",
    [(["a", None, "b"], "NoneType, str"), (["a", 1, "b"], "int, str")],
)
def test_labels_of_mixed_types_are_refused(labels, kinds):
    y = np.array(labels * 2, dtype=object)
    clf = BackpropClassifier(hidden_layer_sizes=(2,))
    with pytest.raises(ValueError, match=f"cannot be compared: {kinds}"):
        clf.fit(X, y)
    assert not hasattr(clf, "classes_")
    with pytest.raises(ValueError, match="cannot be compared"):
        clf.partial_fit(X, y, classes=np.array(labels, dtype=object))


def test_mixed_classes_argument_is_refused():
    y = np.array(["a", "b"] * 3, dtype=object)
    clf = BackpropClassifier(hidden_layer_sizes=(2,))
    with pytest.raises(ValueError, match="classes mixes labels"):
        clf.partial_fit(X, y, classes=np.array(["a", "b", None], dtype=object))
