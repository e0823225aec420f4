"""Every private scikit-learn name skbackprop uses, with its fallbacks, in one place.

skbackprop supports scikit-learn 1.6 and later. The rest of the package
imports scikit-learn's private names from here only, so that a change
upstream is met in one module; the tests do too, or import one behind a
version gate (test_poisson.py's reference loss, scikit-learn >= 1.7). Each
name says why no public API serves; where the window (1.6 to the newest)
holds versions without the name, a fallback follows, exercised by the test
run at the floors. A name present in every version of the window needs
none, and says since when it exists.

Features that need a newer scikit-learn than the floor raise an ``ImportError``
naming the version they need: :func:`require_sklearn`.

Not imported, so not here: the class attributes ``_doc_link_module`` and
``_doc_link_template`` of the estimators, scikit-learn's documented hook for
the link of the HTML repr (since 1.3), which the tests read back through
``_get_doc_link``.
"""

import inspect
import re

import numpy as np
import sklearn
from scipy import sparse
from sklearn import get_config

# _fit_context validates the parameters against _parameter_constraints once
# per fit (and skips the nested validation of inner estimators), as every
# scikit-learn estimator does; scikit-learn has no public decorator for it.
# In scikit-learn since 1.3.
from sklearn.base import _fit_context

# The namespace and device of arrays, honouring scikit-learn's
# array_api_dispatch setting (numpy's wrapper when it is off), and the copy
# of an array on the host. scikit-learn has no public API for these, and
# array_api_compat's public functions do not know the setting. In
# scikit-learn since 1.5 (wrapped below, to refuse dispatch where it fails).
from sklearn.utils._array_api import (
    _convert_to_numpy,
    _is_numpy_namespace,
)
from sklearn.utils._array_api import device as _device
from sklearn.utils._array_api import get_namespace as _get_namespace
from sklearn.utils._array_api import (
    get_namespace_and_device as _get_namespace_and_device,
)

# The constraint types of _parameter_constraints. No public API: scikit-learn
# keeps them private, though every estimator of its own uses them. In
# scikit-learn since 1.2. The tests also use generate_valid_param and
# make_constraint to try each constraint's valid and invalid values.
from sklearn.utils._param_validation import (
    Interval,
    Options,
    StrOptions,
    generate_valid_param,
    make_constraint,
)

# MLP's own ConvergenceWarning for an L-BFGS run that did not converge: its
# text changed between scikit-learn 1.6 and 1.9, and users filter MLP's
# warnings by it, so ours is read from the installed version. No public API
# gives the text. In scikit-learn since 0.22.
from sklearn.utils.optimize import _check_optimize_result

# Sample weights checked as every scikit-learn estimator checks them (shape,
# finiteness, sign). The public validate_data takes no sample_weight. In
# scikit-learn since 0.2x, with ``ensure_non_negative`` since 1.6; wrapped
# below, since it refuses all-zero weights only from 1.8.
from sklearn.utils.validation import _check_sample_weight as _sklearn_check_weight

__all__ = [
    "ARRAY_API_MIN",
    "ARRAY_API_SUPPORTED",
    "CALLBACKS_MIN",
    "SKLEARN_MIN",
    "SKLEARN_VERSION",
    "Interval",
    "Options",
    "StrOptions",
    "_check_optimize_result",
    "_check_sample_weight",
    "_convert_to_numpy",
    "_fit_context",
    "_is_numpy_namespace",
    "device",
    "generate_valid_param",
    "get_namespace",
    "get_namespace_and_device",
    "make_constraint",
    "move_estimator_to",
    "require_sklearn",
    "to_numpy",
    "version_text",
]

#: The installed scikit-learn, as (major, minor).
SKLEARN_VERSION = tuple(
    int(part) for part in re.match(r"(\d+)\.(\d+)", sklearn.__version__).groups()
)

#: The oldest scikit-learn skbackprop supports (also in pyproject.toml).
SKLEARN_MIN = (1, 6)

#: The scikit-learn that array-API dispatch needs. scikit-learn 1.8's own
#: check_array_api_input wants classes_ in the input's namespace (1.9 lets it
#: stay numpy, for string labels), and its check_array refuses a list y
#: under dispatch; 1.7 and 1.6 have more gaps.
ARRAY_API_MIN = (1, 9)

#: The scikit-learn that has the callback API (``sklearn.callback``).
CALLBACKS_MIN = (1, 9)

ARRAY_API_SUPPORTED = SKLEARN_VERSION >= ARRAY_API_MIN


def version_text(version):
    """``(1, 8)`` as ``"1.8"``."""
    return ".".join(map(str, version))


def require_sklearn(version, feature):
    """Raise an ImportError naming ``version`` if scikit-learn is older.

    Parameters
    ----------
    version : tuple of int
        The oldest scikit-learn, as (major, minor), that ``feature`` works on.
    feature : str
        What needs it, for the message ("array API dispatch", ...).

    Raises
    ------
    ImportError
        If the installed scikit-learn is older than ``version``.
    """
    if SKLEARN_VERSION < version:
        needed = version_text(version)
        raise ImportError(
            f"{feature} needs scikit-learn >= {needed}; this is scikit-learn "
            f"{sklearn.__version__}. Upgrade it: pip install 'scikit-learn>={needed}'."
        )


_CHECKS_ALL_ZERO = (
    "allow_all_zero_weights" in inspect.signature(_sklearn_check_weight).parameters
)


def _check_sample_weight(sample_weight, X, **kwargs):
    """scikit-learn's ``_check_sample_weight``, refusing all-zero weights.

    scikit-learn refuses them itself from 1.8; before, this does, with its
    message (they leave nothing to train on).
    """
    checked = _sklearn_check_weight(sample_weight, X, **kwargs)
    if not _CHECKS_ALL_ZERO and not np.any(checked):  # scikit-learn < 1.8
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return checked


def _array_api_compat():
    """array_api_compat: scikit-learn's copy (1.7 and later), else the package.

    scikit-learn 1.6 has no copy of its own; there array-API dispatch needs
    the package installed, and without it no array of another library can
    have reached the estimators. None then.
    """
    try:
        from sklearn.externals import array_api_compat
    except ImportError:  # scikit-learn < 1.7
        try:
            import array_api_compat
        except ImportError:
            return None
    return array_api_compat


def _is_foreign_array(x):
    """Whether ``x`` is an array of a library other than numpy (torch, cupy...)."""
    if x is None or isinstance(x, np.ndarray) or sparse.issparse(x):
        return False
    return hasattr(x, "__array_namespace__") or hasattr(x, "__dlpack__")


def _check_dispatch(arrays):
    """Refuse other libraries' arrays under dispatch on a too old scikit-learn."""
    if (
        not ARRAY_API_SUPPORTED
        and get_config()["array_api_dispatch"]
        and any(_is_foreign_array(a) for a in arrays)
    ):
        require_sklearn(ARRAY_API_MIN, "skbackprop's array API dispatch")


def get_namespace(*arrays):
    """scikit-learn's ``get_namespace``, refusing dispatch before ARRAY_API_MIN."""
    _check_dispatch(arrays)
    return _get_namespace(*arrays)


def get_namespace_and_device(*arrays):
    """scikit-learn's ``get_namespace_and_device``, as :func:`get_namespace`."""
    _check_dispatch(arrays)
    return _get_namespace_and_device(*arrays)


def device(*arrays):
    """The device of ``arrays`` (scikit-learn's ``device``)."""
    return _device(*arrays)


def to_numpy(a):
    """``a`` (an array of any array-API library) as a numpy array on the host.

    Anything that is not such an array (lists, sparse matrices, data frames)
    is returned as it is. Needs no array API dispatch.
    """
    if isinstance(a, np.ndarray) or sparse.issparse(a):
        return a
    compat = _array_api_compat()
    if compat is None or not compat.is_array_api_obj(a):
        return a
    return _convert_to_numpy(a, compat.array_namespace(a))


def _move_estimator_to_missing(estimator, xp, device):
    require_sklearn((1, 9), "move_estimator_to")


# Moves a fitted estimator's arrays to another library or device (calling
# the estimator's __sklearn_array_api_convert__). Private in scikit-learn,
# which has no public way to move a model. In scikit-learn since 1.9: before
# that, a clear error naming the version.
try:
    from sklearn.utils._array_api import move_estimator_to
except ImportError:  # scikit-learn < 1.9
    move_estimator_to = _move_estimator_to_missing
