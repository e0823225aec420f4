"""scikit-learn's callback API: a task per epoch, scores, stopping, nesting."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier, BackpropRegressor

callback = pytest.importorskip("sklearn.callback", reason="scikit-learn < 1.9")

X_digits, y_digits = load_digits(return_X_y=True)
X, y = X_digits[:300] / 16, y_digits[:300]
FAST = dict(hidden_layer_sizes=(8,), random_state=0)


class Recorder:
    """A callback that records every hook call, and can ask to stop."""

    def __init__(self, stop_after=None):
        self.calls, self.stop_after, self.ended = [], stop_after, 0

    def setup(self, estimator, context):
        self.calls.append(("setup", context.task_name))

    def teardown(self, estimator, context):
        self.calls.append(("teardown", context.task_name))

    def on_fit_task_begin(self, estimator, context, *, X=None, y=None, metadata=None):
        self.calls.append(("begin", context.task_name, X, y, metadata))

    def on_fit_task_end(
        self,
        estimator,
        context,
        *,
        X=None,
        y=None,
        metadata=None,
        fitted_estimator=None,
    ):
        self.calls.append(("end", context.task_name, X, y, metadata, fitted_estimator))
        if context.task_name in ("epoch", "iteration"):
            self.ended += 1
            return self.stop_after is not None and self.ended >= self.stop_after
        return False

    def tasks(self, event):
        return [call[1] for call in self.calls if call[0] == event]


def _quiet(est, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(*args, **kwargs)


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_one_task_per_epoch_with_the_users_data(solver):
    recorder = Recorder()
    sw = np.linspace(0.5, 1.5, len(y))
    clf = BackpropClassifier(solver=solver, max_iter=4, **FAST)
    _quiet(clf.set_callbacks(recorder), X, y, sample_weight=sw)
    epoch = "iteration" if solver == "lbfgs" else "epoch"
    # As in LogisticRegression, L-BFGS's last iteration task was begun after
    # its last step and never ran: it ends empty, with no model.
    ran = [c for c in recorder.calls if c[0] == "end" and c[1] == epoch and c[5]]
    assert len(ran) == clf.n_iter_ == 4
    empty = recorder.tasks("end").count(epoch) - len(ran)
    assert empty == (solver == "lbfgs")
    assert recorder.tasks("end")[-1] == "fit"
    assert recorder.calls[0] == ("setup", "fit")
    assert recorder.calls[-1] == ("teardown", "fit")
    for call in recorder.calls:
        if call[0] in ("begin", "end") and call[2] is not None:
            assert call[2] is X and call[3] is y
            assert call[4]["sample_weight"] is sw
    # Each epoch's model is a snapshot that predicts as the weights then did.
    fitted = [c[5] for c in ran]
    np.testing.assert_array_equal(fitted[-1].predict_proba(X), clf.predict_proba(X))
    assert not np.array_equal(fitted[0].coefs_[0], fitted[-1].coefs_[0])
    # Nothing of the callback machinery stays on the estimator.
    assert not any(k.startswith("_callback") for k in vars(clf))


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_scoring_monitor_records_a_score_per_epoch_ending_at_score(solver):
    monitor = callback.ScoringMonitor(scoring="accuracy")
    clf = BackpropClassifier(solver=solver, max_iter=6, **FAST)
    _quiet(clf.set_callbacks(monitor), X, y)
    rows = monitor.get_logs().data
    epochs = [r for r in rows if r["task_name"] in ("epoch", "iteration")]
    assert len(epochs) == clf.n_iter_ == 6
    assert [r["task_id_path"] for r in epochs] == [(0, i) for i in range(6)]
    assert epochs[-1]["accuracy"] == clf.score(X, y)


def test_restarts_are_a_level_with_their_epochs_below():
    monitor = callback.ScoringMonitor(scoring="accuracy")
    clf = BackpropClassifier(max_iter=3, n_init=2, **FAST)
    _quiet(clf.set_callbacks(monitor), X, y)
    paths = {r["task_id_path"]: r["task_name"] for r in monitor.get_logs().data}
    assert paths[(0,)] == "fit"
    assert paths[(0, 0)] == paths[(0, 1)] == "run"
    assert [p for p, name in paths.items() if name == "epoch"] == [
        (0, run, epoch) for run in range(2) for epoch in range(3)
    ]


@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_a_callback_can_stop_training(solver):
    clf = BackpropClassifier(solver=solver, max_iter=50, n_iter_no_change=100, **FAST)
    with warnings.catch_warnings():
        # Stopped, not run out; and a stopped fit is not judged on what it
        # learned (no LearnedNothingWarning, a ConvergenceWarning).
        warnings.simplefilter("error", ConvergenceWarning)
        clf.set_callbacks(Recorder(stop_after=3)).fit(X, y)
    assert clf.n_iter_ == 3 and len(clf.loss_curve_) == 3


def test_partial_fit_is_one_task_without_subtasks():
    recorder = Recorder()
    reg = BackpropRegressor(solver="sgd", **FAST).set_callbacks(recorder)
    reg.partial_fit(X, y.astype(float)).partial_fit(X, y.astype(float))
    assert recorder.tasks("begin") == recorder.tasks("end") == ["fit", "fit"]
    assert recorder.calls[-1] == ("teardown", "fit")


def test_callbacks_change_nothing_in_the_fit():
    plain = _quiet(BackpropClassifier(max_iter=5, **FAST), X, y)
    watched = BackpropClassifier(max_iter=5, **FAST)
    _quiet(watched.set_callbacks(callback.ScoringMonitor(scoring="accuracy")), X, y)
    for a, b in zip(
        plain.coefs_ + plain.intercepts_, watched.coefs_ + watched.intercepts_
    ):
        np.testing.assert_array_equal(a, b)
    assert plain.loss_curve_ == watched.loss_curve_


def test_a_failed_fit_tears_the_callbacks_down_and_changes_nothing():
    recorder = Recorder()
    reg = BackpropRegressor(solver="sgd", learning_rate_init=1e100, **FAST)
    reg.set_callbacks(recorder)
    with pytest.raises(ValueError, match="diverged"):
        reg.fit(X, y.astype(float))
    assert recorder.calls[-1] == ("teardown", "fit")
    assert set(vars(reg)) == set(reg.get_params()) | {"_skl_callbacks"}


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_progress_bars_nest_inside_a_search(n_jobs, capsys):
    pytest.importorskip("rich")
    search = GridSearchCV(
        make_pipeline(StandardScaler(), BackpropClassifier(max_iter=3, **FAST)),
        {"backpropclassifier__alpha": [0.01, 0.1]},
        cv=2,
        n_jobs=n_jobs,
    )
    plain = GridSearchCV(**search.get_params(deep=False))
    _quiet(plain, X, y)
    search.set_callbacks(callback.ProgressBar(max_propagation_depth=None))
    _quiet(search, X, y)
    # The bars do not change the search.
    np.testing.assert_array_equal(
        search.cv_results_["mean_test_score"], plain.cv_results_["mean_test_score"]
    )


def test_saving_with_skops_after_clearing_the_callbacks():
    sio = pytest.importorskip("skops.io")
    clf = BackpropClassifier(max_iter=2, **FAST)
    clf.set_callbacks(callback.ScoringMonitor(scoring="accuracy"))
    _quiet(clf, X, y)
    untrusted = sio.get_untrusted_types(data=sio.dumps(clf))
    assert any("callback" in name for name in untrusted)  # why the docs say clear
    clf.set_callbacks()  # what the docs say to do before saving
    data = sio.dumps(clf)
    assert sio.get_untrusted_types(data=data) == [
        "skbackprop._estimators.BackpropClassifier"
    ]
    loaded = sio.loads(data, trusted=["skbackprop._estimators.BackpropClassifier"])
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
