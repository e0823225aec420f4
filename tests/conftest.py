"""Test-session set-up: scipy's array API support, which scikit-learn's needs.

scikit-learn dispatches to torch, cupy or array-api-strict arrays only when
scipy was imported with ``SCIPY_ARRAY_API=1``; set before any test module
imports scipy, so that the array-API checks run rather than skip.
"""

import os

os.environ.setdefault("SCIPY_ARRAY_API", "1")
