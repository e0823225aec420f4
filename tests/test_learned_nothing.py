"""A fit that learned nothing says so, and the tolerance rule never stops it there."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import make_circles, make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from skbackprop import BackpropClassifier, BackpropRegressor, LearnedNothingWarning
from skbackprop._training import Network

X_XOR = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y_XOR = np.array([0, 1, 1, 0])
rng = np.random.RandomState(0)
X_REG = rng.normal(size=(60, 2))
y_REG = X_REG[:, 0] * X_REG[:, 1] + 3.0


def _caught(call, *args, **kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = call(*args, **kwargs)
    return result, [w for w in caught if issubclass(w.category, LearnedNothingWarning)]


def test_is_a_public_convergence_warning():
    assert issubclass(LearnedNothingWarning, ConvergenceWarning)


def test_a_classifier_held_on_the_plateau_warns_with_both_figures():
    # alpha=0.03 (the old default) holds the four XOR rows at the constant
    # prediction, whose loss is ln 2 for balanced classes.
    clf = BackpropClassifier(alpha=0.03, max_iter=300, random_state=0)
    with pytest.warns(ConvergenceWarning, match="[Mm]aximum iterations"):
        with pytest.warns(LearnedNothingWarning) as record:
            clf.fit(X_XOR, y_XOR)
    (message,) = [str(w.message) for w in record if w.category is LearnedNothingWarning]
    assert f"{np.log(2):.6g}" in message  # the constant prediction's loss
    assert "the class frequencies" in message
    assert "plateau" in message and "StandardScaler" in message
    assert "alpha=0.03" in message and "300 of max_iter=300" in message
    data_loss = float(message.split("term, ")[1].split(",")[0])
    assert data_loss >= 0.99 * np.log(2)


def test_a_regressor_that_learned_nothing_names_the_mean_target():
    reg = BackpropRegressor(alpha=100.0, max_iter=200, random_state=0)
    with pytest.warns(ConvergenceWarning):
        with pytest.warns(LearnedNothingWarning, match="the mean target"):
            reg.fit(X_REG, y_REG)


def test_a_fit_that_learned_says_nothing():
    for est, X, y in [
        (BackpropClassifier(random_state=0), X_XOR, y_XOR),
        (BackpropRegressor(solver="lbfgs", random_state=0), X_REG, y_REG),
    ]:
        with warnings.catch_warnings():
            warnings.simplefilter("error", ConvergenceWarning)
            est.fit(X, y)


def test_constant_targets_leave_nothing_to_learn_and_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        reg = BackpropRegressor(max_iter=300, random_state=0).fit(
            X_REG, np.full(len(X_REG), 2.5)
        )
    assert reg.n_iter_ < reg.max_iter  # and the stopping rule is not held up


def test_the_constant_prediction_is_weighted_by_sample_weight():
    Y = np.array([[1.0], [0.0], [0.0], [1.0]])
    sw = np.array([3.0, 1.0, 1.0, 1.0])
    p = 4.0 / 6.0  # the weighted frequency of class 1
    expected = -(p * np.log(p) + (1 - p) * np.log(1 - p))
    network = Network("logistic", "logistic", "log_loss", 0.0)
    assert network.constant_loss(Y, sw) == pytest.approx(expected, rel=1e-12)
    # Squared error: half the weighted variance; softmax: the class entropy.
    y = np.array([[1.0], [2.0], [4.0]])
    w = np.array([1.0, 0.0, 1.0])
    sq = Network("logistic", "identity", "squared_error", 0.0)
    assert sq.constant_loss(y, w) == pytest.approx(0.5 * 2.25, rel=1e-12)
    Y3 = np.eye(3)[[0, 1, 2, 2]]
    soft = Network("logistic", "softmax", "log_loss", 0.0)
    q = np.array([0.25, 0.25, 0.5])
    assert soft.constant_loss(Y3, None) == pytest.approx(-(q * np.log(q)).sum())


def test_sample_weights_decide_what_learning_means():
    # Weights that put all the mass on one class make the constant
    # prediction perfect: nothing to learn, no warning however long the fit.
    sw = np.array([1.0, 0.0, 0.0, 1.0])
    _, caught = _caught(
        BackpropClassifier(max_iter=50, random_state=0).fit,
        X_XOR,
        y_XOR,
        sample_weight=sw,
    )
    assert caught == []


def test_partial_fit_does_not_check():
    clf = BackpropClassifier(alpha=0.03, random_state=0)
    for _ in range(3):
        _, caught = _caught(clf.partial_fit, X_XOR, y_XOR, classes=[0, 1])
        assert caught == []


def test_fit_blocks_does_not_warn_per_block():
    da = pytest.importorskip("dask.array")
    from skbackprop.dask import fit_blocks

    X = da.from_array(np.tile(X_XOR, (4, 1)), chunks=(4, 2))
    y = da.from_array(np.tile(y_XOR, 4), chunks=4)
    clf = BackpropClassifier(alpha=0.03, random_state=0)
    _, caught = _caught(fit_blocks, clf, X, y, classes=np.array([0, 1]))
    assert caught == [] and len(clf.loss_curve_) == 4


def test_the_tolerance_rule_does_not_stop_on_the_plateau():
    # MLP's rule stops these fits after a few dozen epochs, at chance; ours
    # keeps training (and then says that it learned nothing).
    params = dict(activation="logistic", alpha=0.03, n_iter_no_change=10, max_iter=300)
    for random_state in range(3):
        clf = BackpropClassifier(random_state=random_state, **params)
        with pytest.warns(ConvergenceWarning, match="[Mm]aximum iterations"):
            with pytest.warns(LearnedNothingWarning):
                clf.fit(X_XOR, y_XOR)
        assert clf.n_iter_ == 300
        mlp = MLPClassifier(random_state=random_state, **params).fit(X_XOR, y_XOR)
        assert mlp.n_iter_ < 300 and mlp.score(X_XOR, y_XOR) <= 0.75


def test_the_rule_stops_once_off_the_plateau():
    # Off the plateau no-improvement epochs count as before: a fit that has
    # learned converges before max_iter.
    clf = BackpropClassifier(random_state=0).fit(X_XOR, y_XOR)
    assert clf.n_iter_ < clf.max_iter
    assert clf.loss_curve_[-1] < 0.99 * np.log(2)


def test_a_strong_alpha_fit_that_converged_stops():
    # Its objective (with the L2 term) sits near the constant's, but its data
    # loss is far below: off the plateau, so the tolerance rule stops it.
    X, y = make_classification(60, 5, class_sep=2, random_state=0)
    X = StandardScaler().fit_transform(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf = BackpropClassifier(alpha=10, random_state=0).fit(X, y)
    assert clf.n_iter_ < clf.max_iter and clf.score(X, y) > 0.9


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_a_loss_above_the_constant_is_off_the_plateau():
    # A rate so high that the loss stays far above the constant prediction's:
    # those epochs count, and the adaptive schedule lowers the rate.
    X, y = make_classification(300, 5, random_state=0)
    X = StandardScaler().fit_transform(X)
    clf = BackpropClassifier(
        solver="sgd",
        learning_rate="adaptive",
        learning_rate_init=50.0,
        max_iter=600,
        random_state=0,
    ).fit(X, y)
    assert clf._optimizer.learning_rate_ < 1e-3


def test_float32_targets_keep_their_constant_loss():
    x = rng.normal(size=200).astype(np.float32)
    y = (1000 + 0.3 * x).astype(np.float32)[:, None]
    network = Network("logistic", "identity", "squared_error", 0.0)
    expected = 0.5 * np.var(y.astype(np.float64))
    assert network.constant_loss(y, None) == pytest.approx(expected, rel=1e-9)


def test_interrupted_stopped_or_diverged_fits_are_not_judged(monkeypatch):
    import skbackprop._training as training

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(training, "loss_and_gradient", interrupt)
    with pytest.warns(UserWarning, match="interrupted") as record:
        BackpropClassifier(alpha=0.03, random_state=0).fit(X_XOR, y_XOR)
    assert not [w for w in record if w.category is LearnedNothingWarning]


def test_the_plateau_examples_stalled_and_learning_fits():
    # examples/plot_plateau.py: one network, alpha=0.1, one seed, on the
    # circles standardised and MinMax-scaled. The standardised fit leaves the
    # plateau and says nothing; the MinMax-scaled one stays there and warns.
    X, y = make_circles(300, noise=0.2, factor=0.5, random_state=0)
    results = {}
    for name, scaler in [("standard", StandardScaler()), ("minmax", MinMaxScaler())]:
        model = make_pipeline(scaler, BackpropClassifier(alpha=0.1, random_state=0))
        results[name] = _caught(model.fit, X, y)
    learning, learned_nothing = results["standard"], results["minmax"]
    assert learning[1] == [] and learning[0].score(X, y) > 0.8
    assert min(learning[0][-1].loss_curve_) < 0.8 * np.log(2)
    assert len(learned_nothing[1]) == 1 and learned_nothing[0].score(X, y) < 0.6
    curve = learned_nothing[0][-1].loss_curve_
    assert len(curve) == 500 and min(curve[10:]) > 0.95 * np.log(2)
