"""ONNX export: the graph, run by onnxruntime, computes what predict computes."""

import ast
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skbackprop import BackpropClassifier, BackpropRegressor

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
skl2onnx = pytest.importorskip("skl2onnx")
skbackprop_onnx = pytest.importorskip("skbackprop.onnx")

# The models are fitted for a few iterations only: what is tested is that the
# graph reproduces predict for whatever weights the model has.
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

ACTIVATIONS = ["logistic", "tanh", "relu", "identity"]
DTYPES = [np.float32, np.float64]
# Tolerance of the outputs by the dtype of the graph's input and outputs.
TOL = {np.float32: 1e-5, np.float64: 1e-12}

rng = np.random.RandomState(0)
X = rng.normal(size=(40, 4))
TARGETS = {
    "binary": (X[:, 0] > 0).astype(int) * 5 - 2,  # labels -2 and 3
    "multiclass": X[:, :3].argmax(axis=1),
    "strings": np.array(["ant", "bee", "cat"])[X[:, :3].argmax(axis=1)],
    "booleans": X[:, 1] + X[:, 2] > 0,
    "multilabel-2": (X[:, :2] > 0).astype(int),
    "multilabel-3": (X[:, 1:] > 0).astype(int),
}


def _fit(estimator, X, y, hidden=(5, 3), **params):
    """``estimator`` fitted briefly by L-BFGS (the weights need not be good)."""
    params = {"solver": "lbfgs", "max_iter": 15, "random_state": 0, **params}
    return estimator(hidden_layer_sizes=hidden, **params).fit(X, y)


def _run(model, X):
    """Outputs of ``model`` on ``X`` through onnxruntime, by output name."""
    onnx.checker.check_model(model, full_check=True)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(None, {session.get_inputs()[0].name: X})))


def _check_classifier(clf, X_in, outputs):
    tol = TOL[X_in.dtype.type]
    expected = clf.predict(X_in)
    np.testing.assert_array_equal(outputs["label"], expected)
    if expected.dtype.kind not in "UO":
        assert outputs["label"].dtype == expected.dtype
    assert outputs["probabilities"].dtype == X_in.dtype
    np.testing.assert_allclose(
        outputs["probabilities"], clf.predict_proba(X_in), rtol=tol, atol=tol
    )


# Every hidden activation with log-loss; the squared error (its normalised
# sigmoid outputs) with two of them: the hidden layers and the output layer
# are converted apart.
ACTIVATION_LOSS = [(a, "log_loss") for a in ACTIVATIONS] + [
    ("logistic", "squared_error"),
    ("relu", "squared_error"),
]


@pytest.mark.parametrize("fit_dtype", DTYPES)
@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("activation, loss", ACTIVATION_LOSS)
def test_classifier_matches_predict(activation, loss, target, fit_dtype):
    clf = _fit(
        BackpropClassifier,
        X.astype(fit_dtype),
        TARGETS[target],
        activation=activation,
        loss=loss,
    )
    assert len(np.unique(clf.predict(X), axis=0)) > 1
    for dtype in DTYPES:
        X_in = X.astype(dtype)
        outputs = _run(skbackprop_onnx.to_onnx(clf, X_in), X_in)
        _check_classifier(clf, X_in, outputs)


@pytest.mark.parametrize("hidden", [(), (6, 5, 4)])
@pytest.mark.parametrize("target", ["binary", "multiclass", "multilabel-2"])
def test_classifier_depths(hidden, target):
    clf = _fit(BackpropClassifier, X, TARGETS[target], hidden, activation="tanh")
    for dtype in DTYPES:
        X_in = X.astype(dtype)
        _check_classifier(clf, X_in, _run(skbackprop_onnx.to_onnx(clf, X_in), X_in))


@pytest.mark.parametrize(
    "labels",
    [
        np.array(["no", "yes"], dtype=object),
        np.array([3, 7], dtype=np.int32),
        np.array([3, 7], dtype=np.uint8),
        np.array([1.0, 3.0]),
    ],
    ids=["object", "int32", "uint8", "float"],
)
def test_label_types(labels):
    y = labels[(X[:, 0] > 0).astype(int)]
    clf = _fit(BackpropClassifier, X, y, (3,))
    outputs = _run(skbackprop_onnx.to_onnx(clf, X), X)
    np.testing.assert_array_equal(outputs["label"], clf.predict(X))
    if labels.dtype != object:
        kept = labels.dtype if labels.dtype != np.uint8 else np.int64
        assert outputs["label"].dtype == kept


# Output layers: identity, logistic, and the exponential of the Poisson loss.
LOSS_OUTPUT = [
    ("squared_error", "identity"),
    ("squared_error", "logistic"),
    ("poisson", "identity"),
]


@pytest.mark.parametrize("fit_dtype", DTYPES)
@pytest.mark.parametrize("n_outputs", [1, 3])
@pytest.mark.parametrize("loss, out_activation", LOSS_OUTPUT)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_regressor_matches_predict(
    activation, loss, out_activation, n_outputs, fit_dtype
):
    y = 1 / (1 + np.exp(-X[:, :n_outputs] @ np.ones((n_outputs, n_outputs))))
    if n_outputs == 1:
        y = y.ravel()
    reg = _fit(
        BackpropRegressor,
        X.astype(fit_dtype),
        y,
        activation=activation,
        loss=loss,
        out_activation=out_activation,
    )
    assert reg.out_activation_ == ("exp" if loss == "poisson" else out_activation)
    for dtype in DTYPES:
        X_in = X.astype(dtype)
        (variable,) = _run(skbackprop_onnx.to_onnx(reg, X_in), X_in).values()
        assert variable.shape == (len(X), n_outputs) and variable.dtype == dtype
        tol = TOL[dtype]
        expected = reg.predict(X_in).reshape(len(X), n_outputs)
        np.testing.assert_allclose(variable, expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("hidden", [(), (6, 5, 4)])
def test_regressor_depths(hidden):
    reg = _fit(BackpropRegressor, X, X @ [1.0, -2.0, 0.5, 3.0], hidden)
    (variable,) = _run(skbackprop_onnx.to_onnx(reg, X), X).values()
    np.testing.assert_allclose(variable[:, 0], reg.predict(X), rtol=1e-12, atol=1e-12)


def test_float64_model_fed_float32_computes_in_float64():
    # out = sigmoid(x * (1 + 2**-30) - 1): at x = 1, net is 2**-30 in float64
    # and 0 in float32, so the label is the positive class only in float64,
    # where predict computes (float32 X, float64 weights).
    clf = BackpropClassifier((), max_iter=1, random_state=0).fit([[0.0], [1.0]], [0, 1])
    clf.coefs_ = [np.array([[1.0 + 2.0**-30]])]
    clf.intercepts_ = [np.array([-1.0])]
    X_in = np.array([[1.0]], dtype=np.float32)
    assert clf.predict(X_in)[0] == 1
    outputs = _run(skbackprop_onnx.to_onnx(clf, X_in), X_in)
    assert outputs["label"][0] == 1
    assert outputs["probabilities"].dtype == np.float32


@pytest.mark.parametrize("dtype", DTYPES)
def test_pipeline_with_scaler(dtype):
    X_in = (X * 10 + 3).astype(dtype)
    options = {BackpropClassifier: {"zipmap": False}}
    clf = make_pipeline(
        StandardScaler(),
        BackpropClassifier((5,), max_iter=15, solver="lbfgs", random_state=0),
    ).fit(X_in, TARGETS["strings"])
    outputs = _run(skl2onnx.to_onnx(clf, X_in[:1], options=options), X_in)
    _check_classifier(clf, X_in, outputs)

    reg = make_pipeline(
        StandardScaler(),
        BackpropRegressor(
            hidden_layer_sizes=(5,), max_iter=15, solver="lbfgs", random_state=0
        ),
    ).fit(X_in, X[:, 0] - X[:, 1])
    (variable,) = _run(skl2onnx.to_onnx(reg, X_in[:1]), X_in).values()
    tol = TOL[dtype]
    np.testing.assert_allclose(variable[:, 0], reg.predict(X_in), rtol=tol, atol=tol)


@pytest.mark.parametrize("target", ["strings", "booleans", "multilabel-2"])
def test_zipmap(target):
    clf = _fit(BackpropClassifier, X, TARGETS[target], (5,))
    X32 = X.astype(np.float32)
    proba = clf.predict_proba(X32)
    keys = clf.classes_.tolist() if target == "strings" else [0, 1]
    # skl2onnx's own default: zipmap=True.
    outputs = _run(skl2onnx.to_onnx(clf, X32[:1]), X32)
    np.testing.assert_array_equal(outputs["output_label"], clf.predict(X32))
    maps = outputs["output_probability"]
    assert [list(m) for m in maps] == [keys] * len(X)
    got = np.array([[m[k] for k in keys] for m in maps])
    np.testing.assert_allclose(got, proba, rtol=1e-5, atol=1e-5)

    # "columns": one output per class, in float64 too.
    for X_in in (X32, X):
        model = skbackprop_onnx.to_onnx(clf, X_in, zipmap="columns")
        columns = list(_run(model, X_in).values())[1:]
        tol = TOL[X_in.dtype.type]
        np.testing.assert_allclose(
            np.stack(columns, axis=1), clf.predict_proba(X_in), rtol=tol, atol=tol
        )


def test_zipmap_refuses_float64():
    clf = _fit(BackpropClassifier, X, TARGETS["binary"], (3,))
    with pytest.raises(ValueError, match="zipmap.*False"):
        skl2onnx.to_onnx(clf, X[:1])
    with pytest.raises(ValueError, match="zipmap.*False"):
        skbackprop_onnx.to_onnx(clf, X, zipmap=True)


def test_to_onnx_checks_its_input():
    clf = BackpropClassifier((3,))
    with pytest.raises(NotFittedError):
        skbackprop_onnx.to_onnx(clf, X)
    clf.fit(X, TARGETS["binary"])
    with pytest.raises(ValueError, match="float64, int32, int64 or bool"):
        skbackprop_onnx.to_onnx(clf, X.astype(np.uint8))
    with pytest.raises(ValueError, match="float64, int32, int64 or bool"):
        skbackprop_onnx.to_onnx(clf, X[0])


def test_opset_is_chosen_offline():
    reg = _fit(BackpropRegressor, X, X[:, 0], (3,))
    model = skbackprop_onnx.to_onnx(reg, X)
    opset = {o.domain: o.version for o in model.opset_import}[""]
    assert opset <= min(
        onnx.defs.onnx_opset_version(), skl2onnx.get_latest_tested_opset_version()
    )
    (variable,) = _run(model, X).values()
    np.testing.assert_allclose(variable[:, 0], reg.predict(X), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("opset", [11, 13, 17])
def test_target_opset(opset):
    # The squared error's normalisation sums with ReduceSum, whose axes are an
    # attribute before opset 13 and an input from it on.
    clf = _fit(BackpropClassifier, X, TARGETS["multiclass"], loss="squared_error")
    model = skbackprop_onnx.to_onnx(clf, X, target_opset=opset)
    assert {o.domain: o.version for o in model.opset_import}[""] == opset
    _check_classifier(clf, X, _run(model, X))


def _module_level_imports(tree):
    """Top names imported by a module when it loads (not inside functions)."""
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for child in ast.walk(node):
            if isinstance(child, ast.Import):
                names.update(alias.name.split(".")[0] for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0:
                names.add(child.module.split(".")[0])
            elif isinstance(child, ast.ImportFrom):  # relative: ".name"
                parts = (
                    [child.module] if child.module else [a.name for a in child.names]
                )
                names.update(f".{part.split('.')[0]}" for part in parts)
    return names


def test_import_skbackprop_imports_no_onnx():
    # Nothing that ``import skbackprop`` loads imports the ONNX packages, and
    # nothing but ``skbackprop.onnx`` itself imports that module.
    package = Path(skbackprop_onnx.__file__).parent
    for path in package.glob("*.py"):
        if path.name == "onnx.py":
            continue
        names = _module_level_imports(ast.parse(path.read_text()))
        assert not names & {"onnx", "onnxruntime", "skl2onnx", ".onnx"}, path.name
    own = _module_level_imports(ast.parse(Path(skbackprop_onnx.__file__).read_text()))
    assert {"onnx", "skl2onnx"} <= own  # the check sees the imports it looks for


def test_a_model_fitted_on_torch_tensors_exports_its_weights():
    from skbackprop._compat import ARRAY_API_MIN, ARRAY_API_SUPPORTED, version_text

    if not ARRAY_API_SUPPORTED:
        needed = version_text(ARRAY_API_MIN)
        pytest.skip(f"array API dispatch needs scikit-learn >= {needed}")
    torch = pytest.importorskip("torch")
    import sklearn
    from sklearn.datasets import make_classification

    X, y = make_classification(60, 4, random_state=0)
    with sklearn.config_context(array_api_dispatch=True):
        model = BackpropClassifier(hidden_layer_sizes=(3,), max_iter=5, random_state=0)
        model.fit(torch.asarray(X), torch.asarray(y))
        expected = model.predict_proba(torch.asarray(X)).numpy()
    onx = skbackprop_onnx.to_onnx(model, X[:1])
    session = ort.InferenceSession(onx.SerializeToString())
    labels, proba = session.run(None, {session.get_inputs()[0].name: X})
    np.testing.assert_allclose(proba, expected, rtol=1e-12, atol=1e-12)
