"""Early stopping: held-out validation, best weights kept, curves and scoring."""

import numpy as np
import pytest
from sklearn.datasets import load_digits, make_regression
from sklearn.metrics import accuracy_score

from skbackprop import BackpropClassifier, BackpropRegressor

X_digits, y_digits = load_digits(return_X_y=True)
X_digits = X_digits / 16.0


def test_attributes_under_early_stopping():
    clf = BackpropClassifier(
        hidden_layer_sizes=(16,), early_stopping=True, random_state=0
    ).fit(X_digits, y_digits)
    assert clf.best_loss_ is None
    assert len(clf.validation_scores_) == clf.n_iter_ == len(clf.loss_curve_)
    assert len(clf.validation_loss_curve_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.n_iter_ < 200


def test_attributes_without_early_stopping():
    clf = BackpropClassifier(hidden_layer_sizes=(4,), max_iter=30, random_state=0)
    with pytest.warns(Warning):
        clf.fit(X_digits[:200], y_digits[:200])
    assert clf.validation_scores_ is None
    assert clf.validation_loss_curve_ is None
    assert clf.best_validation_score_ is None
    assert clf.best_loss_ == min(clf.loss_curve_)


def held_out(clf, X, y):
    """The validation rows the estimator held out, by the same split."""
    from sklearn.model_selection import train_test_split

    rng = np.random.RandomState(clf.random_state)
    _, test = train_test_split(
        np.arange(len(y)),
        test_size=clf.validation_fraction,
        random_state=rng,
        stratify=y,
    )
    return X[test], y[test]


@pytest.mark.parametrize("solver", ["sgd", "adam"])
def test_keeps_the_weights_of_the_best_validation_epoch(solver):
    clf = BackpropClassifier(
        hidden_layer_sizes=(16,),
        solver=solver,
        early_stopping=True,
        n_iter_no_change=5,
        random_state=0,
    ).fit(X_digits, y_digits)
    X_val, y_val = held_out(clf, X_digits, y_digits)
    best = int(np.argmax(clf.validation_scores_))
    assert best < clf.n_iter_ - 1  # training went on past the best epoch
    assert accuracy_score(y_val, clf.predict(X_val)) == clf.best_validation_score_


def test_validation_split_is_stratified(monkeypatch):
    import skbackprop._base as base

    splits = []
    real = base.train_test_split

    def spy(*args, **kwargs):
        splits.append(real(*args, **kwargs))
        return splits[-1]

    monkeypatch.setattr(base, "train_test_split", spy)
    y = np.array([0] * 90 + [1] * 10)
    X = np.random.RandomState(0).normal(size=(100, 3))
    clf = BackpropClassifier(
        hidden_layer_sizes=(2,),
        early_stopping=True,
        validation_fraction=0.2,
        random_state=0,
        max_iter=3,
    )
    with pytest.warns(Warning):
        clf.fit(X, y)
    ((_, held),) = splits
    assert np.bincount(y[held]).tolist() == [18, 2]


def test_validation_loss_curve_is_the_mean_validation_loss():
    clf = BackpropClassifier(
        hidden_layer_sizes=(16,), early_stopping=True, random_state=0, alpha=0
    ).fit(X_digits, y_digits)
    assert all(np.isfinite(clf.validation_loss_curve_))
    # The validation loss falls at first, as the training loss does.
    assert clf.validation_loss_curve_[3] < clf.validation_loss_curve_[0]
    X_val, y_val = held_out(clf, X_digits, y_digits)
    proba = clf.predict_proba(X_val)
    final = -np.mean(np.log(proba[np.arange(len(y_val)), y_val]))
    best = int(np.argmax(clf.validation_scores_))
    assert final == pytest.approx(clf.validation_loss_curve_[best], rel=1e-9)


# Each scorer is compared on a short run.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_scoring_chooses_the_validation_metric():
    X, y = make_regression(n_samples=200, n_features=4, noise=5, random_state=0)
    y = (y - y.mean()) / y.std()
    reg = BackpropRegressor(
        hidden_layer_sizes=(8,),
        solver="adam",
        early_stopping=True,
        scoring="neg_mean_absolute_error",
        random_state=0,
    ).fit(X, y)
    assert all(s <= 0 for s in reg.validation_scores_)
    default = BackpropRegressor(
        hidden_layer_sizes=(8,), solver="adam", early_stopping=True, random_state=0
    ).fit(X, y)
    assert max(default.validation_scores_) <= 1  # R^2
    assert default.validation_scores_ != reg.validation_scores_


def test_unknown_scoring_is_a_clear_error():
    with pytest.raises(ValueError, match="scoring"):
        BackpropClassifier(scoring="no_such_metric").fit(X_digits, y_digits)


def test_warm_start_keeps_the_best_weights_seen_so_far():
    params = dict(
        hidden_layer_sizes=(16,),
        early_stopping=True,
        warm_start=True,
        random_state=0,
    )
    clf = BackpropClassifier(**params).fit(X_digits, y_digits)
    best, kept = clf.best_validation_score_, [c.copy() for c in clf.coefs_]
    # A second fit with a ruinous learning rate scores no epoch higher.
    clf.set_params(learning_rate_init=50.0, max_iter=3)
    with pytest.warns(Warning):
        clf.fit(X_digits, y_digits)
    assert max(clf.validation_scores_[-3:]) < best == clf.best_validation_score_
    for a, b in zip(clf.coefs_, kept):
        np.testing.assert_array_equal(a, b)


def test_n_init_keeps_the_run_with_the_best_validation_score(capsys):
    clf = BackpropClassifier(
        hidden_layer_sizes=(4,),
        early_stopping=True,
        n_init=3,
        max_iter=15,
        verbose=True,
        random_state=0,
    )
    with pytest.warns(Warning):
        clf.fit(X_digits, y_digits)
    runs = [
        float(line.rsplit(" ", 1)[1])
        for line in capsys.readouterr().out.splitlines()
        if line.startswith("Run ")
    ]
    assert len(runs) == 3 and len(set(runs)) > 1
    assert clf.best_validation_score_ == pytest.approx(max(runs), abs=1e-8)


def test_verbose_reports_the_validation_score(capsys):
    clf = BackpropClassifier(
        hidden_layer_sizes=(4,),
        early_stopping=True,
        max_iter=2,
        verbose=True,
        random_state=0,
    )
    with pytest.warns(Warning):
        clf.fit(X_digits, y_digits)
    start, *lines = capsys.readouterr().out.strip().splitlines()
    assert start.startswith("Training a (64, 4, 10) network")
    assert len(lines) == 2
    assert all("validation score = " in line for line in lines)
