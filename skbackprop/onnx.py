"""ONNX export: skl2onnx converters for BackpropClassifier and BackpropRegressor.

Importing this module registers a parser, a shape calculator and a converter
for each estimator with skl2onnx, so that ``skl2onnx.to_onnx(model, X[:1])``
works on them alone and inside a ``Pipeline``; :func:`to_onnx` does the same
in one call. It needs the ``onnx`` extra (``skl2onnx``, ``onnx``,
``onnxruntime``); ``import skbackprop`` never imports it.

The graph computes what ``predict`` and ``predict_proba`` compute, node for
node: ``net = out_prev @ W + b`` and ``out = f(net)`` layer after layer, in
the dtype the estimator's forward pass uses (that of the input and the
weights together, so a float64 model fed float32 computes in float64 and
casts its outputs to float32 at the end); then the same label choice and
the same normalisation of the probabilities. Integer (int32, int64) and
boolean inputs are cast to float32 inside the graph, as skl2onnx's own MLP
converter does: the graph computes ``predict(X.astype(np.float32))``.
"""

import numpy as np
from sklearn.utils.validation import check_is_fitted

from ._arrays import to_host
from ._estimators import BackpropClassifier, BackpropRegressor

try:
    from onnx import TensorProto, numpy_helper
    from skl2onnx import to_onnx as _skl2onnx_to_onnx
    from skl2onnx import update_registered_converter

    # skl2onnx's own ZipMap step, so that the option acts as on its classifiers.
    from skl2onnx._parse import _apply_zipmap
    from skl2onnx.common.data_types import (
        BooleanTensorType,
        DoubleTensorType,
        FloatTensorType,
        Int32TensorType,
        Int64TensorType,
        StringTensorType,
    )
except ImportError as error:
    raise ImportError(
        "skbackprop.onnx needs skl2onnx, onnx and onnxruntime: "
        'pip install "skbackprop[onnx]"'
    ) from error

__all__ = ["to_onnx"]

# ONNX operator of each activation in ``_activations.ACTIVATIONS`` (and the
# exponential output of the Poisson loss); the identity adds no node. ONNX's
# Sigmoid, Tanh, Relu, Softmax and Exp are defined by the same formulas:
# ``1 / (1 + exp(-net))``, ``tanh(net)``, ``max(net, 0)``, the row-wise
# ``exp(net - max) / sum(exp(net - max))`` and ``exp(net)``.
_ONNX_ACTIVATIONS = {
    "logistic": "Sigmoid",
    "tanh": "Tanh",
    "relu": "Relu",
    "identity": None,
    "softmax": "Softmax",
    "exp": "Exp",
}

_FLOAT_TYPES = {
    np.dtype(np.float32): (TensorProto.FLOAT, FloatTensorType),
    np.dtype(np.float64): (TensorProto.DOUBLE, DoubleTensorType),
}

# Input types cast to float32 at the graph's start, as skl2onnx does.
_CAST_INPUTS = (Int32TensorType, Int64TensorType, BooleanTensorType)
_CAST_DTYPES = {np.dtype(np.int32), np.dtype(np.int64), np.dtype(np.bool_)}

_CLASSIFIER_ALIAS = "SkbackpropBackpropClassifier"
_REGRESSOR_ALIAS = "SkbackpropBackpropRegressor"


def _io_dtype(variable_type, model):
    """numpy dtype of the graph's input (and outputs) for this estimator."""
    if isinstance(variable_type, (FloatTensorType, *_CAST_INPUTS)):
        return np.dtype(np.float32)
    if isinstance(variable_type, DoubleTensorType):
        return np.dtype(np.float64)
    raise TypeError(
        f"{type(model).__name__} takes a float32, float64, int32, int64 or bool "
        f"tensor in ONNX, got {type(variable_type).__name__}; cast X to float32 "
        "or float64."
    )


def _weights(model):
    """``coefs_`` and ``intercepts_`` as numpy arrays (a model fitted on torch
    or cupy arrays keeps them on its device)."""
    return [to_host(W) for W in model.coefs_], [to_host(b) for b in model.intercepts_]


def _compute_dtype(io_dtype, model):
    """The dtype ``predict`` computes in: that of X and every weight together."""
    coefs, intercepts = _weights(model)
    return np.result_type(io_dtype, *coefs, *intercepts)


def _label_type(model, zipmap):
    """skl2onnx tensor type of the predicted labels, and the classes to store.

    The labels keep the dtype of ``classes_``, as ``predict`` returns them;
    ONNX's ZipMap keys classes by int64 or string only, so with it booleans,
    floats and other integers become int64 (skl2onnx's convention).
    """
    if model._y_type == "multilabel":
        return Int64TensorType, None
    classes = model.classes_
    if classes.dtype == object:  # labels given as Python objects: their own type
        classes = np.array(classes.tolist())
    dtype = classes.dtype
    if dtype.kind in "UO":
        return StringTensorType, classes.astype(str)
    if zipmap is not False:
        return Int64TensorType, classes.astype(np.int64)
    if dtype == np.bool_:
        return BooleanTensorType, classes
    if dtype == np.int32:
        return Int32TensorType, classes
    if dtype.kind in "iu":
        return Int64TensorType, classes.astype(np.int64)
    if dtype in _FLOAT_TYPES:
        return _FLOAT_TYPES[dtype][1], classes
    raise TypeError(f"Class labels of dtype {dtype} cannot be exported to ONNX.")


def _constant(scope, container, name, array):
    """Add ``array`` as an initializer, exactly (raw bytes, or strings)."""
    unique = scope.get_unique_variable_name(name)
    array = np.asarray(array)
    if array.dtype.kind in "UO":
        values = [str(s).encode("utf-8") for s in array.ravel()]
        container.add_initializer(unique, TensorProto.STRING, list(array.shape), values)
    else:
        container.add_initializer(unique, None, None, numpy_helper.from_array(array))
    return unique


def _node(scope, container, op_type, inputs, output=None, name=None, **attrs):
    """Add one node; its output is a new unique name unless ``output`` is given."""
    if output is None:
        output = scope.get_unique_variable_name(name or op_type.lower())
    container.add_node(
        op_type,
        inputs,
        output,
        name=scope.get_unique_operator_name(op_type),
        **attrs,
    )
    return output


def _forward_pass(scope, container, operator):
    """Nodes of ``_network.forward_pass``; returns the output layer's ``out``
    (in the compute dtype) and that dtype."""
    model = operator.raw_operator
    io_dtype = _io_dtype(operator.inputs[0].type, model)
    dtype = _compute_dtype(io_dtype, model)
    out = operator.inputs[0].full_name
    if isinstance(operator.inputs[0].type, _CAST_INPUTS):
        out = _node(scope, container, "Cast", out, to=TensorProto.FLOAT)
    if dtype != io_dtype:
        out = _node(scope, container, "Cast", out, to=_FLOAT_TYPES[dtype][0])
    coefs, intercepts = _weights(model)
    last = len(coefs) - 1
    for i, (W, b) in enumerate(zip(coefs, intercepts)):
        activation = model.out_activation_ if i == last else model.activation
        if activation not in _ONNX_ACTIVATIONS:
            raise ValueError(f"Activation {activation!r} has no ONNX conversion.")
        W = _constant(scope, container, f"coef{i}", np.asarray(W, dtype=dtype))
        b = _constant(scope, container, f"intercept{i}", np.asarray(b, dtype=dtype))
        net = _node(scope, container, "MatMul", [out, W], name="net")
        net = _node(scope, container, "Add", [net, b], name="net")
        op_type = _ONNX_ACTIVATIONS[activation]
        if op_type is None:
            out = net
        elif op_type == "Softmax":
            out = _node(scope, container, op_type, net, name="out", axis=1)
        else:
            out = _node(scope, container, op_type, net, name="out")
    return out, dtype, io_dtype


def _to_output(scope, container, value, output, dtype, io_dtype):
    """Write ``value`` (in ``dtype``) to the graph output ``output``."""
    if dtype != io_dtype:
        _node(scope, container, "Cast", value, output, to=_FLOAT_TYPES[io_dtype][0])
    else:
        _node(scope, container, "Identity", value, output)


def _convert_regressor(scope, operator, container):
    """Converter of BackpropRegressor: ``predict`` as an (N, n_outputs) tensor."""
    out, dtype, io_dtype = _forward_pass(scope, container, operator)
    _to_output(scope, container, out, operator.outputs[0].full_name, dtype, io_dtype)


def _convert_classifier(scope, operator, container):
    """Converter of BackpropClassifier: ``predict`` and ``predict_proba``."""
    model = operator.raw_operator
    out, dtype, io_dtype = _forward_pass(scope, container, operator)
    label_name = operator.outputs[0].full_name
    proba_name = operator.outputs[1].full_name

    if model._y_type == "multilabel":
        # predict: (out > 0.5).astype(int); predict_proba: out.
        half = _constant(scope, container, "half", np.array(0.5, dtype=dtype))
        above = _node(scope, container, "Greater", [out, half], name="above")
        _node(scope, container, "Cast", above, label_name, to=TensorProto.INT64)
        _to_output(scope, container, out, proba_name, dtype, io_dtype)
        return

    _, classes = _label_type(model, _zipmap(container, model))
    classes = _constant(scope, container, "classes", classes)
    if model.n_outputs_ == 1:
        # predict: classes_[out[:, 0] > 0.5]; predict_proba: [1 - out, out].
        half = _constant(scope, container, "half", np.array(0.5, dtype=dtype))
        above = _node(scope, container, "Greater", [out, half], name="above")
        index = _node(scope, container, "Cast", above, to=TensorProto.INT64)
        flat = _constant(scope, container, "flat", np.array([-1], dtype=np.int64))
        index = _node(scope, container, "Reshape", [index, flat], name="index")
        one = _constant(scope, container, "one", np.array(1, dtype=dtype))
        negative = _node(scope, container, "Sub", [one, out], name="negative")
        proba = _node(scope, container, "Concat", [negative, out], axis=1)
    else:
        # predict: classes_[out.argmax(axis=1)] (the first maximum on ties).
        index = _node(scope, container, "ArgMax", out, axis=1, keepdims=0)
        if model.out_activation_ == "softmax":
            proba = out
        else:
            # Sigmoid outputs of the squared error, normalised as predict_proba
            # does: floored at the smallest positive float, divided by the sum.
            tiny = np.array(np.finfo(dtype).tiny, dtype=dtype)
            tiny = _constant(scope, container, "tiny", tiny)
            floored = _node(scope, container, "Max", [out, tiny], name="floored")
            if container.target_opset >= 13:  # axes became an input in opset 13
                axes = np.array([1], dtype=np.int64)
                axes = [_constant(scope, container, "axes", axes)]
                attrs = {}
            else:
                axes, attrs = [], {"axes": [1]}
            total = _node(
                scope,
                container,
                "ReduceSum",
                [floored, *axes],
                name="total",
                keepdims=1,
                **attrs,
            )
            proba = _node(scope, container, "Div", [floored, total], name="proba")
    _node(scope, container, "Gather", [classes, index], label_name, axis=0)
    _to_output(scope, container, proba, proba_name, dtype, io_dtype)


def _shape_regressor(operator):
    """Shape calculator of BackpropRegressor: (N, n_outputs) in the input's type."""
    model = operator.raw_operator
    _, tensor_type = _FLOAT_TYPES[_io_dtype(operator.inputs[0].type, model)]
    n_rows = operator.inputs[0].get_first_dimension()
    operator.outputs[0].type = tensor_type([n_rows, model.n_outputs_])


def _shape_classifier(operator):
    """Shape calculator of BackpropClassifier: labels, then probabilities."""
    model = operator.raw_operator
    _, tensor_type = _FLOAT_TYPES[_io_dtype(operator.inputs[0].type, model)]
    n_rows = operator.inputs[0].get_first_dimension()
    n_classes = len(model.classes_)
    # The parser chose the labels' type (it depends on the zipmap option).
    label_type = type(operator.outputs[0].type)
    multilabel = model._y_type == "multilabel"
    operator.outputs[0].type = label_type(
        [n_rows, n_classes] if multilabel else [n_rows]
    )
    operator.outputs[1].type = tensor_type([n_rows, n_classes])


def _zipmap(scope, model):
    """The classifier's ``zipmap`` option (from a scope or a container)."""
    return scope.get_options(model, dict(zipmap=True))["zipmap"]


def _parse_regressor(scope, model, inputs, custom_parsers=None):
    """Parser of BackpropRegressor: one output, ``variable``."""
    operator = scope.declare_local_operator(_REGRESSOR_ALIAS, model)
    operator.inputs = inputs
    _, tensor_type = _FLOAT_TYPES[_io_dtype(inputs[0].type, model)]
    operator.outputs.append(scope.declare_local_variable("variable", tensor_type()))
    return operator.outputs


def _parse_classifier(scope, model, inputs, custom_parsers=None):
    """Parser of BackpropClassifier: ``label`` and ``probabilities``, then
    skl2onnx's ZipMap unless the option ``zipmap`` is False."""
    zipmap = _zipmap(scope, model)
    io_dtype = _io_dtype(inputs[0].type, model)
    operator = scope.declare_local_operator(_CLASSIFIER_ALIAS, model)
    operator.inputs = inputs
    label_type, _ = _label_type(model, zipmap)
    label = scope.declare_local_variable("label", label_type())
    proba = scope.declare_local_variable("probabilities", _FLOAT_TYPES[io_dtype][1]())
    operator.outputs.extend([label, proba])
    if zipmap is False:
        return operator.outputs
    if zipmap is True and io_dtype == np.float64:
        raise ValueError(
            "ONNX's ZipMap takes float32 probabilities only; with float64 input "
            "pass options={BackpropClassifier: {'zipmap': False}} (a probability "
            "tensor) or {'zipmap': 'columns'} (one output per class)."
        )
    return _apply_zipmap(zipmap, scope, model, inputs[0].type, operator.outputs)


def _register():
    """Register parsers, shape calculators and converters with skl2onnx."""
    update_registered_converter(
        BackpropClassifier,
        _CLASSIFIER_ALIAS,
        _shape_classifier,
        _convert_classifier,
        parser=_parse_classifier,
        # skl2onnx's ZipMap reads "nocl"; class indices instead of labels
        # are not offered.
        options={"zipmap": [True, False, "columns"], "nocl": [False]},
        overwrite=True,
    )
    update_registered_converter(
        BackpropRegressor,
        _REGRESSOR_ALIAS,
        _shape_regressor,
        _convert_regressor,
        parser=_parse_regressor,
        overwrite=True,
    )


_register()


def to_onnx(model, X, *, zipmap=False, target_opset=None, options=None):
    """Export a fitted estimator, or a pipeline ending in one, to ONNX.

    The graph computes ``predict`` (and, for a classifier,
    ``predict_proba``) as the estimator does, in the same dtype: see
    :doc:`/onnx`.

    Parameters
    ----------
    model : BackpropClassifier, BackpropRegressor or Pipeline
        A fitted estimator, or a fitted pipeline of steps that skl2onnx can
        convert (``StandardScaler`` for instance) ending in one.
    X : array-like of shape (n_samples, n_features)
        Sample input: its dtype, float32 or float64, is the dtype of the
        graph's input and outputs, and its number of columns that of the
        input. Only its first row is read. An int32, int64 or bool ``X``
        gives a graph of that input type which casts it to float32 and has
        float32 outputs, as skl2onnx's converters do.
    zipmap : bool or "columns", default=False
        False: the classifier's probabilities as one (N, n_classes) tensor.
        True: as a list of ``{class: probability}`` dicts (ONNX's ZipMap,
        float32 input only). "columns": one (N,) tensor per class.
    target_opset : int or dict, default=None
        ONNX opset; None takes the newest one that the installed skl2onnx
        has been tested with (nothing is downloaded).
    options : dict, default=None
        Further skl2onnx conversion options, as for ``skl2onnx.to_onnx``;
        ``zipmap`` is added to those of :class:`BackpropClassifier`.

    Returns
    -------
    onnx_model : onnx.ModelProto
        Input ``X``; outputs ``label`` and ``probabilities`` for a classifier
        (``output_label`` and ``output_probability`` with the ZipMap), and
        ``variable`` of shape (N, n_outputs) for a regressor.

    Examples
    --------
    >>> import numpy as np
    >>> import onnxruntime as ort
    >>> from skbackprop import BackpropClassifier
    >>> from skbackprop.onnx import to_onnx
    >>> X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    >>> clf = BackpropClassifier((4,), solver="lbfgs", random_state=0)
    >>> clf = clf.fit(X, [0, 1, 1, 0])
    >>> session = ort.InferenceSession(
    ...     to_onnx(clf, X).SerializeToString(), providers=["CPUExecutionProvider"]
    ... )
    >>> label, proba = session.run(None, {"X": X})
    >>> bool((label == clf.predict(X)).all())
    True
    >>> bool(np.allclose(proba, clf.predict_proba(X), rtol=1e-12, atol=1e-12))
    True
    """
    check_is_fitted(model)
    sample = np.asarray(X)[:1]
    if sample.ndim != 2 or not (
        sample.dtype in _FLOAT_TYPES or sample.dtype in _CAST_DTYPES
    ):
        raise ValueError(
            "X must be a 2-d float32, float64, int32, int64 or bool array (its "
            f"dtype sets the graph's input type); got shape {np.shape(X)} and "
            f"dtype {np.asarray(X).dtype}."
        )
    options = dict(options or {})
    options[BackpropClassifier] = {
        **options.get(BackpropClassifier, {}),
        "zipmap": zipmap,
    }
    return _skl2onnx_to_onnx(model, sample, target_opset=target_opset, options=options)
