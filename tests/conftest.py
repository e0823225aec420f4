"""Test-session set-up: scipy's array API support, which scikit-learn's needs.

scikit-learn dispatches to torch, cupy or array-api-strict arrays only when
scipy was imported with ``SCIPY_ARRAY_API=1``; set before any test module
imports scipy, so that the array-API checks run rather than skip.
"""

import os

os.environ.setdefault("SCIPY_ARRAY_API", "1")

import pytest  # noqa: E402  (after the environment variable, as above)

import skbackprop._network as network  # noqa: E402


@pytest.fixture
def forward_rows(monkeypatch):
    """Spy on ``forward_pass`` where ``module`` calls it; returns the rows seen.

    ``forward_rows(module)`` patches ``module.forward_pass`` and returns the
    list that each call appends its number of input rows to.
    """

    def watch(module):
        seen = []
        real = network.forward_pass

        def spy(X, *args, **kwargs):
            seen.append(X.shape[0])
            return real(X, *args, **kwargs)

        monkeypatch.setattr(module, "forward_pass", spy)
        return seen

    return watch
