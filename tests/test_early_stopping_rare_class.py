"""Early stopping with a class too rare to stratify: a plain split, with a warning."""

import numpy as np
import pytest
from sklearn.model_selection import train_test_split

from skbackprop import BackpropClassifier

# A few epochs on these rows learn nothing, and fit says so (tested in
# test_learned_nothing.py).
pytestmark = pytest.mark.filterwarnings("ignore::skbackprop.LearnedNothingWarning")


def _data(counts):
    y = np.repeat(np.arange(len(counts)), counts)
    X = np.random.RandomState(0).normal(size=(len(y), 3)) + y[:, None]
    return X, y


@pytest.mark.parametrize("counts", [[30, 30, 1], [40, 1]])
def test_one_row_class_falls_back_to_a_plain_split(counts):
    X, y = _data(counts)
    clf = BackpropClassifier(
        hidden_layer_sizes=(4,), early_stopping=True, max_iter=20, random_state=0
    )
    clf.set_params(n_iter_no_change=100, validation_fraction=0.2)
    with pytest.warns(UserWarning, match="early_stopping: the validation split") as w:
        with pytest.warns(Warning, match="Maximum iterations"):
            clf.fit(X, y)
    assert f"class {len(counts) - 1} has 1 row(s)" in str(w[0].message)
    assert len(clf.validation_scores_) == clf.n_iter_ == 20
    np.testing.assert_array_equal(clf.classes_, np.arange(len(counts)))


def test_stratifiable_classes_stay_stratified_without_warning():
    X, y = _data([30, 30, 2])
    clf = BackpropClassifier(
        hidden_layer_sizes=(4,), early_stopping=True, max_iter=3, random_state=0
    )
    clf.set_params(validation_fraction=0.2)
    with pytest.warns(Warning, match="Maximum iterations") as caught:
        clf.fit(X, y)
    assert not [w for w in caught if "early_stopping" in str(w.message)]
    _, test = train_test_split(
        np.arange(len(y)),
        test_size=0.2,
        random_state=np.random.RandomState(0),
        stratify=y,
    )
    assert set(y[test]) == {0, 1, 2}
