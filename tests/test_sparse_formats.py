"""Every sparse format that scikit-learn accepts fits as CSR does."""

import numpy as np
import pytest
from scipy import sparse

from skbackprop import BackpropClassifier, BackpropRegressor

# Five epochs on these rows may not leave the plateau: fit then says so
# (tested in test_learned_nothing.py).
pytestmark = pytest.mark.filterwarnings("ignore::skbackprop.LearnedNothingWarning")

FORMATS = ["csr", "csc", "coo", "dia", "bsr", "lil", "dok"]


def _data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 5)) * (rng.uniform(size=(60, 5)) < 0.4)
    return X, (X[:, 0] + X[:, 1] > 0).astype(int)


@pytest.mark.parametrize("container", [sparse.csr_matrix, sparse.csr_array])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("Estimator", [BackpropClassifier, BackpropRegressor])
def test_early_stopping_fits_every_sparse_format_as_csr(Estimator, fmt, container):
    X, y = _data()
    params = dict(hidden_layer_sizes=(4,), early_stopping=True, max_iter=5)
    params.update(n_iter_no_change=100, random_state=0, validation_fraction=0.2)
    X_csr = container(X)
    reference = Estimator(**params)
    with pytest.warns(Warning, match="Maximum iterations"):
        reference.fit(X_csr, y)
    model = Estimator(**params)
    with pytest.warns(Warning, match="Maximum iterations"):
        model.fit(X_csr.asformat(fmt), y)
    assert model.validation_scores_ == reference.validation_scores_
    for a, b in zip(model.coefs_, reference.coefs_):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(
        model.predict(X_csr.asformat(fmt)), reference.predict(X_csr)
    )
