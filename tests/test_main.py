"""The main job, ``python -m skbackprop``: what it prints and its --help."""

import re

import pytest

from skbackprop import __main__ as job


def table_rows(out):
    return {
        m.group(1): (float(m.group(2)), int(m.group(4)))
        for m in re.finditer(
            r"^(BackpropClassifier|MLPClassifier)\s+([\d.]+)\s+([\d.]+)\s+(\d+)$",
            out,
            flags=re.MULTILINE,
        )
    }


def test_help_prints_usage_and_trains_nothing(monkeypatch, capsys):
    monkeypatch.setattr(job, "compare", lambda *a: pytest.fail("trained"))
    with pytest.raises(SystemExit) as stop:
        job.main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m skbackprop")
    assert "held-out test set" in out and "standardised" in out


def test_an_unknown_argument_is_an_error(capsys):
    with pytest.raises(SystemExit) as stop:
        job.main(["--fast"])
    assert stop.value.code == 2
    assert "unrecognized arguments: --fast" in capsys.readouterr().err


def test_says_scaling_test_set_and_max_iter_reached(monkeypatch, capsys):
    monkeypatch.setitem(job.SETTINGS, "max_iter", 3)
    assert job.main([]) == 0
    out = capsys.readouterr().out
    assert "features standardised" in out
    assert "1347 training rows, 450 held-out test rows" in out
    assert "at most 3 epochs" in out
    flat = " ".join(out.split())  # long lines are wrapped
    rows = table_rows(out)
    assert set(rows) == {"BackpropClassifier", "MLPClassifier"}
    assert all(0 <= acc <= 1 and epochs == 3 for acc, epochs in rows.values())
    assert "test accuracy: the share of the 450 held-out test rows" in flat
    for name in rows:
        assert (
            f"{name}: ran all max_iter=3 epochs without converging: the training "
            "loss was still improving by tol=0.0001 or more" in flat
        )


def test_says_why_training_stopped_early(monkeypatch, capsys):
    # A tolerance no epoch can meet: after the first epoch nothing counts as
    # an improvement, so both stop once n_iter_no_change epochs are exceeded.
    monkeypatch.setitem(job.SETTINGS, "tol", 1e3)
    monkeypatch.setitem(job.SETTINGS, "n_iter_no_change", 2)
    monkeypatch.setitem(job.SETTINGS, "max_iter", 50)
    job.main([])
    out = capsys.readouterr().out
    rows, flat = table_rows(out), " ".join(out.split())
    assert len(rows) == 2
    for name, (_, epochs) in rows.items():
        assert epochs < 50
        assert (
            f"{name}: stopped after {epochs} of at most 50 epochs: the training "
            "loss had not improved by at least tol=1000 for more than "
            "n_iter_no_change=2 epochs in a row." in flat
        )
