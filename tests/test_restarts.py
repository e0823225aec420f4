"""n_init: several random starts, the best run kept (the tutorial's local minima)."""

import numpy as np
import pytest

from skbackprop import BackpropClassifier

X_xor = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
y_xor = np.array([0, 1, 1, 0])
XOR = dict(
    hidden_layer_sizes=(2,),
    solver="sgd",
    learning_rate_init=0.5,
    batch_size=4,
    max_iter=1000,
    alpha=0,
)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_two_sigmoids_get_stuck_on_xor_from_some_starts():
    solved = [
        (
            BackpropClassifier(random_state=rs, **XOR).fit(X_xor, y_xor).predict(X_xor)
            == y_xor
        ).all()
        for rs in range(20)
    ]
    assert not all(solved)  # local minima exist: restarts have work to do


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("random_state", range(20))
def test_ten_restarts_solve_xor_for_every_random_state(random_state):
    clf = BackpropClassifier(n_init=10, random_state=random_state, **XOR)
    clf.fit(X_xor, y_xor)
    np.testing.assert_array_equal(clf.predict(X_xor), y_xor)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_the_kept_run_has_the_lowest_final_objective(capsys):
    clf = BackpropClassifier(n_init=5, random_state=3, verbose=True, **XOR)
    clf.fit(X_xor, y_xor)
    lines = capsys.readouterr().out.splitlines()
    finals = [
        float(line.rsplit(" ", 1)[1])
        for line in lines
        if line.startswith("Run ") and "objective at its final weights" in line
    ]
    assert len(finals) == 5
    # The runs are ranked by the objective at their final weights, which is
    # what a trace of the kept model on the training data computes.
    assert clf.trace(X_xor, y_xor).loss == pytest.approx(min(finals), abs=1e-8)
    assert len(clf.loss_curve_) == clf.n_iter_
    # The last line names the kept run, its objective and its loss_.
    kept = lines[-1]
    best = int(np.argmin(finals)) + 1
    assert kept.startswith(f"Kept run {best} of 5: objective at its final weights")
    objective, loss = (float(part.split()[-1].rstrip(".;")) for part in kept.split(";"))
    assert objective == pytest.approx(min(finals), abs=1e-8)
    assert loss == pytest.approx(clf.loss_, abs=1e-8)


def test_verbose_names_the_kept_run_among_runs_left_out(monkeypatch, capsys):
    # Runs 1 and 3 diverge and are left out: the kept run is run 2, not the
    # first of the runs that remain.
    import skbackprop._restarts as restarts
    from skbackprop._training import TrainingDiverged

    real, calls = restarts.train, []

    def diverging_1_and_3(*args, **kwargs):
        calls.append(None)
        if len(calls) in (1, 3):
            raise TrainingDiverged(1, np.inf)
        return real(*args, **kwargs)

    monkeypatch.setattr(restarts, "train", diverging_1_and_3)
    params = dict(XOR, n_init=3, max_iter=5, verbose=True, random_state=0)
    with pytest.warns(Warning):  # five epochs: not converged
        BackpropClassifier(**params).fit(X_xor, y_xor)
    out = capsys.readouterr().out
    assert "Run 1 of 3: diverged, left out" in out
    assert "Run 3 of 3: diverged, left out" in out
    assert "Kept run 2 of 3:" in out
