"""ONNX export with int32, int64 and bool input: cast to float32 in the graph."""

import numpy as np
import pytest

from skbackprop import BackpropClassifier, BackpropRegressor

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")
skl2onnx = pytest.importorskip("skl2onnx")
skbackprop_onnx = pytest.importorskip("skbackprop.onnx")

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

rng = np.random.RandomState(0)
X_int = rng.randint(-3, 4, size=(40, 4))
INPUTS = {
    "int32": X_int.astype(np.int32),
    "int64": X_int.astype(np.int64),
    "bool": X_int > 0,
}
TOL = 1e-5  # float32 outputs


def _run(model, X):
    onnx.checker.check_model(model, full_check=True)
    session = ort.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(None, {session.get_inputs()[0].name: X})))


def _fit(Estimator, X, y, dtype):
    model = Estimator(
        hidden_layer_sizes=(5,), solver="lbfgs", max_iter=15, random_state=0
    )
    return model.fit(X.astype(dtype), y)


@pytest.mark.parametrize("fit_dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", list(INPUTS))
@pytest.mark.parametrize("target", ["binary", "multiclass"])
def test_classifier_with_integer_or_boolean_input(kind, target, fit_dtype):
    X = INPUTS[kind]
    y = X_int[:, 0] > 0 if target == "binary" else X_int[:, :3].argmax(axis=1)
    clf = _fit(BackpropClassifier, X_int, y, fit_dtype)
    for model in (
        skbackprop_onnx.to_onnx(clf, X),
        skl2onnx.to_onnx(clf, X[:1], options={"zipmap": False}),
    ):
        outputs = _run(model, X)
        X_cast = X.astype(np.float32)
        np.testing.assert_array_equal(outputs["label"], clf.predict(X_cast))
        assert outputs["probabilities"].dtype == np.float32
        np.testing.assert_allclose(
            outputs["probabilities"], clf.predict_proba(X_cast), rtol=TOL, atol=TOL
        )


@pytest.mark.parametrize("kind", list(INPUTS))
def test_regressor_with_integer_or_boolean_input(kind):
    X = INPUTS[kind]
    reg = _fit(BackpropRegressor, X_int, X_int[:, :2] @ [1.0, -0.5], np.float64)
    outputs = _run(skbackprop_onnx.to_onnx(reg, X), X)
    assert outputs["variable"].dtype == np.float32
    np.testing.assert_allclose(
        outputs["variable"][:, 0], reg.predict(X.astype(np.float32)), rtol=TOL, atol=TOL
    )


def test_zipmap_with_int64_input():
    X = INPUTS["int64"]
    clf = _fit(BackpropClassifier, X_int, X_int[:, :3].argmax(axis=1), np.float64)
    outputs = _run(skbackprop_onnx.to_onnx(clf, X, zipmap=True), X)
    proba = clf.predict_proba(X.astype(np.float32))
    got = np.array(
        [[row[c] for c in clf.classes_] for row in outputs["output_probability"]]
    )
    np.testing.assert_allclose(got, proba, rtol=TOL, atol=TOL)
