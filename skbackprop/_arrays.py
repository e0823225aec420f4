"""The array operations the math is written in: numpy's, or any array-API library's."""

import contextlib

import numpy as np
from scipy import sparse
from scipy.linalg import blas
from scipy.special import xlogy as _xlogy

# Level-1 BLAS: one pass over memory for ``y += a * x``, where numpy makes two
# (``a * x``, then the sum).  They run on scipy's OpenBLAS, which training
# holds to one thread (``_optimizers.scipy_blas_single_thread``), because
# numpy and scipy wheels each bundle an OpenBLAS whose thread pools contend
# for the cores when used in turn.
_AXPY = {np.dtype(np.float64): blas.daxpy, np.dtype(np.float32): blas.saxpy}
_SCAL = {np.dtype(np.float64): blas.dscal, np.dtype(np.float32): blas.sscal}
_GER = {np.dtype(np.float64): blas.dger, np.dtype(np.float32): blas.sger}

# The functions the math calls with numpy's signature (``out=`` included).
_FUNCTIONS = (
    "negative exp reciprocal tanh maximum subtract multiply divide sign sqrt "
    "clip log log1p matmul sum max take errstate finfo result_type"
).split()


def _blas_ok(x, y):
    """Whether BLAS can update ``y`` in place from ``x`` (f2py would copy else)."""
    # Spelled out, not looped: called twice per optimizer step.
    fx, fy = x.flags, y.flags
    return (
        y.dtype in _AXPY
        and x.dtype == y.dtype
        and x.ndim == 1
        and y.ndim == 1
        and y.size > 0
        and x.shape == y.shape
        and fy.writeable
        and fx.c_contiguous
        and fy.c_contiguous
        and fx.aligned
        and fy.aligned
    )


class NumpyOps:
    """numpy itself, plus the few operations numpy spells otherwise.

    ``F.exp(x, out=x)`` is ``np.exp(x, out=x)``: the numpy path runs exactly
    the calls it would run without this layer, in place and allocation-free.
    """

    xp = np

    def __init__(self):
        for name in _FUNCTIONS:
            setattr(self, name, getattr(np, name))

    @staticmethod
    def axpy(a, x, y):
        """``y += a * x`` in place on flat arrays, in one pass with BLAS when it can."""
        if _blas_ok(x, y):
            _AXPY[y.dtype](x, y, a=a)
        else:
            y += a * x
        return y

    @staticmethod
    def scal(a, x):
        """``x *= a`` in place on a flat array."""
        if _blas_ok(x, x):
            _SCAL[x.dtype](a, x)
        else:
            x *= a
        return x

    @staticmethod
    def ger(a, x, y, A):
        """``A += a * outer(x, y)`` in place, with BLAS and no temporary when it can."""
        if (
            A.dtype in _GER
            and A.size > 0
            and A.flags.c_contiguous
            and A.flags.aligned
            and A.flags.writeable
            and x.dtype == y.dtype == A.dtype
        ):
            # A.T is Fortran-ordered, as BLAS wants: A.T += a * outer(y, x).
            _GER[A.dtype](a, y, x, a=A.T, overwrite_a=True)
        else:
            A += a * np.multiply.outer(x, y)
        return A

    @staticmethod
    def weighted_sum(A, sample_weight, B=None):
        """``sum_i s_i sum_k A_ik (B_ik)`` with no temporary (s_i = 1 if None)."""
        operands = (A,) if B is None else (A, B)
        subscripts = ",".join(["ij"] * len(operands))
        if sample_weight is None:
            return float(np.einsum(subscripts + "->", *operands))
        return float(np.einsum(subscripts + ",i->", *operands, sample_weight))

    @staticmethod
    def xlogy(x, y, out=None):
        """``x * log(y)``, 0 where ``x`` is 0."""
        return _xlogy(x, y, out=out)

    @staticmethod
    def empty(shape, dtype):
        return np.empty(shape, dtype=dtype)

    @staticmethod
    def zeros(shape, dtype):
        return np.zeros(shape, dtype=dtype)

    @staticmethod
    def asarray(a, dtype=None):
        """``a`` (host data, e.g. drawn by numpy's generator) as an array here."""
        return np.asarray(a, dtype=dtype)

    @staticmethod
    def copy(a):
        return a.copy()

    @staticmethod
    def all_finite(a):
        return bool(np.isfinite(a).all())

    @staticmethod
    def total(a):
        """The sum of all of ``a`` as a Python float."""
        return float(a.sum())

    @staticmethod
    def count(mask):
        """The number of true entries of ``mask``."""
        return int(np.count_nonzero(mask))

    @staticmethod
    def any(x, axis=None):
        return np.any(x, axis=axis)

    @staticmethod
    def concat(arrays, axis=0):
        return np.concatenate(arrays, axis=axis)

    @staticmethod
    def astype(x, dtype):
        return x.astype(dtype)

    @staticmethod
    def argmax(x, axis=None):
        return x.argmax(axis=axis)


class ArrayAPIOps:
    """The same operations on any array-API namespace ``xp`` and ``device``.

    The standard has no ``out=``: each function computes its result and, when
    given ``out``, writes it there with ``out[...] = result``, so callers
    keep one spelling (in place where numpy can, a copy where not).
    """

    def __init__(self, xp, device):
        self.xp, self.device = xp, device

    def _to(self, result, out):
        if out is None:
            return result
        out[...] = result
        return out

    def _scalar(self, value, like):
        return self.xp.asarray(value, dtype=like.dtype, device=self.device)

    def negative(self, x, out=None):
        return self._to(-x, out)

    def exp(self, x, out=None):
        return self._to(self.xp.exp(x), out)

    def reciprocal(self, x, out=None):
        return self._to(1 / x, out)

    def tanh(self, x, out=None):
        return self._to(self.xp.tanh(x), out)

    def maximum(self, x, y, out=None):
        return self._to(self.xp.maximum(x, self._scalar(y, x)), out)

    def subtract(self, x, y, out=None):
        return self._to(x - y, out)

    def multiply(self, x, y, out=None):
        return self._to(x * y, out)

    def divide(self, x, y, out=None):
        return self._to(x / y, out)

    def sign(self, x, out=None):
        return self._to(self.xp.sign(x), out)

    def sqrt(self, x, out=None):
        return self._to(self.xp.sqrt(x), out)

    def clip(self, x, low, high, out=None):
        return self._to(self.xp.clip(x, low, high), out)

    def log(self, x, out=None):
        return self._to(self.xp.log(x), out)

    def log1p(self, x, out=None):
        return self._to(self.xp.log1p(x), out)

    def matmul(self, a, b, out=None):
        return self._to(a @ b, out)

    def sum(self, x, axis=None, out=None, keepdims=False):
        return self._to(self.xp.sum(x, axis=axis, keepdims=keepdims), out)

    def max(self, x, axis=None, keepdims=False):
        return self.xp.max(x, axis=axis, keepdims=keepdims)

    def take(self, x, indices, axis=None, out=None, mode=None):
        return self._to(self.xp.take(x, indices, axis=axis), out)

    def errstate(self, **kwargs):
        return contextlib.nullcontext()

    def finfo(self, dtype):
        return self.xp.finfo(dtype)

    def result_type(self, *arrays_and_dtypes):
        return self.xp.result_type(*arrays_and_dtypes)

    def axpy(self, a, x, y):
        y += float(a) * x
        return y

    def scal(self, a, x):
        x *= float(a)
        return x

    def ger(self, a, x, y, A):
        A += float(a) * (x[:, None] * y[None, :])
        return A

    def weighted_sum(self, A, sample_weight, B=None):
        product = A if B is None else A * B
        if sample_weight is not None:
            product = product * sample_weight[:, None]
        return float(self.xp.sum(product))

    def xlogy(self, x, y, out=None):
        xp = self.xp
        zero = self._scalar(0, x)
        return self._to(xp.where(x == 0, zero, x * xp.log(y)), out)

    def empty(self, shape, dtype):
        return self.xp.empty(shape, dtype=dtype, device=self.device)

    def zeros(self, shape, dtype):
        return self.xp.zeros(shape, dtype=dtype, device=self.device)

    def asarray(self, a, dtype=None):
        return self.xp.asarray(a, dtype=dtype, device=self.device)

    def copy(self, a):
        return self.xp.asarray(a, copy=True)

    def all_finite(self, a):
        return bool(self.xp.all(self.xp.isfinite(a)))

    def total(self, a):
        return float(self.xp.sum(a))

    def count(self, mask):
        return int(self.xp.count_nonzero(mask))

    def any(self, x, axis=None):
        return self.xp.any(x, axis=axis)

    def concat(self, arrays, axis=0):
        return self.xp.concat(arrays, axis=axis)

    def astype(self, x, dtype):
        return self.xp.astype(x, dtype)

    def argmax(self, x, axis=None):
        return self.xp.argmax(x, axis=axis)


NUMPY = NumpyOps()
_OPS = {}


def to_host(a):
    """``a`` as a numpy array if it is an array of any library or device.

    Anything else (numpy arrays, lists, sparse matrices, data frames) is
    returned as it is. Needs no array API dispatch, so export code can read
    a model's weights whatever it was fitted on.
    """
    if isinstance(a, np.ndarray):
        return a
    from ._compat import to_numpy

    return to_numpy(a)


def ops(x):
    """The operations for arrays like ``x`` (numpy, sparse, or array-API)."""
    if isinstance(x, np.ndarray) or sparse.issparse(x):
        return NUMPY
    from ._compat import device, get_namespace

    xp, is_array_api = get_namespace(x)
    if not is_array_api:
        return NUMPY
    where = device(x)
    key = (xp.__name__, str(where))
    if key not in _OPS:
        _OPS[key] = NUMPY if xp.__name__.endswith("numpy") else ArrayAPIOps(xp, where)
    return _OPS[key]
