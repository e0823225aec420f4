"""BackpropClassifier and BackpropRegressor: thin layers over the shared estimator."""

import re
import textwrap

import numpy as np
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import column_or_1d

from ._arrays import ops, to_host
from ._base import _BaseBackprop
from ._compat import StrOptions, _fit_context

# Where the documentation lives (a placeholder until it is hosted); also
# ``[project.urls] Documentation`` in pyproject.toml.
DOC_URL = "https://skbackprop.readthedocs.io/en/latest/"

_SHARED_PARAMETERS = """
    hidden_layer_sizes : tuple of int, default=(50,)
        Units of each hidden layer. ``()`` means no hidden layer: a
        single-layer perceptron, which cannot learn XOR.
    activation : {"logistic", "tanh", "relu", "identity"}, default="logistic"
        Activation ``f`` of the hidden layers; "logistic" is the classic
        sigmoid ``1 / (1 + exp(-net))`` with ``f' = out (1 - out)``.
    solver : {"sgd", "adam", "lbfgs"}, default="adam"
        "sgd": mini-batch gradient descent with momentum, the classic
        ``w <- w - eta * dE/dw``; "adam": Kingma and Ba's adaptive steps;
        "lbfgs": full-batch L-BFGS through ``scipy.optimize.minimize``.
    alpha : float, default=1e-4
        L2 penalty: the objective adds ``alpha / 2 * sum(W**2)`` (weights,
        not biases) divided by the batch's total sample weight.  The default
        is MLP's; a strong penalty can hold a small data set on the plateau
        of the constant prediction (see :class:`~skbackprop.LearnedNothingWarning`).
    batch_size : int or "auto", default="auto"
        Rows per gradient step of sgd and adam; "auto" is
        ``min(200, n_samples)``. 1 is online learning, one update per example,
        exactly the pseudocode of the classic algorithm.
    learning_rate : {"constant", "invscaling", "adaptive"}, default="constant"
        Schedule of the sgd learning rate: constant; ``learning_rate_init /
        (t + 1) ** power_t`` with ``t`` the samples seen; or divided by 5
        each time ``n_iter_no_change`` epochs bring no improvement.
    learning_rate_init : float or "auto", default="auto"
        Initial learning rate ``eta``; "auto" is 0.1 for sgd and 0.02 for
        adam (unused by lbfgs).
    power_t : float, default=0.5
        Exponent of the "invscaling" schedule.
    max_iter : int, default=500
        Most epochs (sgd, adam) or iterations (lbfgs).  MLP's default is 200:
        sigmoid networks on small data sets often need more, and the
        tolerance rule still stops them once they converge.
    shuffle : bool, default=True
        Whether to shuffle the rows before each epoch (sgd, adam).
    random_state : int, RandomState instance or None, default=None
        Seeds the initial weights, the shuffling and the validation split.
    tol : float, default=1e-4
        Training stops when the loss (or, with early stopping, the validation
        score) has not improved by ``tol`` for ``n_iter_no_change`` epochs.
        Epochs whose loss is still within 1% of the constant prediction's
        (the plateau where the network has learned nothing yet) do not count.
        Also L-BFGS's gradient tolerance.
    verbose : bool, default=False
        Print one line per epoch: epoch, loss, validation score and loss.
    warm_start : bool, default=False
        Continue from the fitted weights and history (``loss_curve_``,
        ``t_``, best scores); ``n_iter_`` counts the new call's epochs. Each
        fit builds its optimizer from the current parameters; only
        ``partial_fit`` carries the optimizer's state (momentum, adam's
        moments) from call to call.
    momentum : float, default=0.9
        Momentum of sgd, in [0, 1]; 0 is plain gradient descent.
    nesterovs_momentum : bool, default=True
        Whether sgd uses Nesterov's momentum.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the rows (stratified for the
        classifier) and stop when the validation score stops improving; the
        weights of the best validation epoch are kept. Ignored by lbfgs, as
        in MLPClassifier and MLPRegressor, and by ``partial_fit``.
    validation_fraction : float, default=0.1
        Fraction of rows held out by early stopping, in [0, 1); it must hold
        out at least 2 rows.
    beta_1 : float, default=0.9
        Adam's decay of the first moment, in [0, 1).
    beta_2 : float, default=0.999
        Adam's decay of the second moment, in [0, 1).
    epsilon : float, default=1e-8
        Adam's numerical stabiliser.
    n_iter_no_change : int or np.inf, default=50
        Epochs without improvement by ``tol`` before training stops (MLP's
        default is 10: on small data sets, an epoch of a few batches is too
        short a wait to tell a slow stretch from convergence);
        ``np.inf`` never stops for lack of improvement.
    max_fun : int, default=15000
        Most calls of the objective by lbfgs.
    n_init : int, default=1
        Random starting points to train from; the run with the lowest final
        objective (the best validation score under early stopping) is kept.
        Gradient descent finds a local minimum that depends on the start.
        Only random starts count: with ``coefs_init`` or a warm start one
        run is made.
    precondition : {"auto", "standardize"} or None, default="auto"
        Where the stochastic solvers take their steps.  "standardize" steps
        the first layer's weights and biases as if each feature were
        standardised: centred on its mean and divided by its standard
        deviation, weighted by ``sample_weight`` and ``class_weight``, over
        the fit's training rows.  The network then leaves the sigmoid's
        plateau on uncentred inputs such as MinMax-scaled ones.  Only the
        path changes: the loss, the L2 term and the fitted weights are those
        of the inputs as given.  None steps in the inputs' own coordinates,
        as scikit-learn's MLP does.  "auto" is "standardize" for adam at its
        automatic rate (``learning_rate_init="auto"``, chosen with these
        steps) and None otherwise: a rate set by hand keeps MLP's path, so
        MLP's settings give MLP's fit, and sgd's step stays the tutorial's
        ``w <- w - eta * dE/dw``.  ``partial_fit`` goes on in the
        coordinates of the fit it continues; started afresh (or after a
        divergence) it takes those of its call's rows under "standardize",
        and none under "auto", as one call's rows need not stand for the
        data.  L-BFGS ignores it.
    scoring : str or callable, default=None
        Scorer of early stopping (any name of
        ``sklearn.metrics.get_scorer_names()`` or a callable
        ``scorer(estimator, X, y)``); None uses the estimator's ``score``."""

_SHARED_ATTRIBUTES = """
    coefs_ : list of ndarray
        ``coefs_[i]`` of shape ``(units_i, units_{i+1})``: the weights from
        layer ``i`` to layer ``i + 1``. Predictions read them, so edited or
        replaced weights change predictions.
    intercepts_ : list of ndarray
        ``intercepts_[i]`` of shape ``(units_{i+1},)``: the biases of layer
        ``i + 1``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features, when X had string column names.
    n_iter_ : int
        Epochs (sgd, adam) or iterations (lbfgs) of the last ``fit`` or
        ``partial_fit`` call (1 after ``partial_fit``), as in scikit-learn:
        ``n_iter_ < max_iter`` after ``fit`` means training stopped before
        its limit.
    t_ : int
        Training samples seen, over all calls: the epochs of ``loss_curve_``
        times the training rows.
    loss_ : float
        The objective after the last epoch.
    loss_curve_ : list of float
        The objective at each epoch (the mean of its batches), over all
        calls: a warm start or ``partial_fit`` appends to it.
    best_loss_ : float or None
        Lowest ``loss_curve_`` value; None under early stopping.
    validation_scores_ : list of float or None
        Validation score per epoch under early stopping, else None.
    validation_loss_curve_ : list of float or None
        Mean loss (without the L2 term) on the validation rows per epoch
        under early stopping, else None.
    best_validation_score_ : float or None
        Best of ``validation_scores_``; None without early stopping.
    n_layers_ : int
        Layers, input and output included.
    n_outputs_ : int
        Units of the output layer.
    out_activation_ : str
        Activation of the output layer.
    saturated_share_ : float
        Share, in [0, 1], of the hidden units' outputs that are saturated
        after training (logistic, tanh: ``f'(net)`` below 1% of its largest
        value), or for relu the share of dead units (0 on every row); 0 for
        the identity. Measured on at most 1000 evenly spaced training rows
        (200 for ``partial_fit``, on its batch). Above 0.9, with a
        loss still above a tenth of the first epoch's, fitting warns with a
        :class:`~skbackprop.SaturationWarning`: scale the features."""


class _DocLink:
    """The HTML repr's "?" links to the estimator's entry on the API page."""

    _doc_link_module = "skbackprop"
    _doc_link_template = DOC_URL + "api.html#{estimator_module}.{estimator_name}"


class BackpropClassifier(_DocLink, ClassifierMixin, _BaseBackprop):
    """Multilayer perceptron classifier trained by hand-written backpropagation.

    Every step of training is the classic backpropagation algorithm of the
    user guide, written in numpy: forward pass (``net`` and ``out`` of every
    node), error ``E``, deltas from the output layer back to the first hidden
    layer, and gradient steps ``w <- w - eta * delta * out``.

    Parameters
    ----------
    {shared_parameters}
    loss : {"log_loss", "squared_error"}, default="log_loss"
        "log_loss": softmax output for several classes, sigmoid for two or
        for multilabel targets. "squared_error": the classic
        ``E = sum 1/2 (t - out)**2`` on one-hot targets with sigmoid outputs.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, acting exactly as the matching
        ``sample_weight``; "balanced" weighs each class by
        ``n_samples / (n_classes * count)``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels; for multilabel targets, the label indices.
    {shared_attributes}

    See Also
    --------
    BackpropRegressor : The regressor on the same network.
    sklearn.neural_network.MLPClassifier : scikit-learn's own MLP.

    Notes
    -----
    float32 input trains float32 weights and predicts float32 probabilities.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skbackprop import BackpropClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = BackpropClassifier(hidden_layer_sizes=(10,), random_state=0)
    >>> clf.fit(X, y).score(X, y) > 0.9
    True
    """

    _parameter_constraints = {
        **_BaseBackprop._parameter_constraints,
        "loss": [StrOptions({"log_loss", "squared_error"})],
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        hidden_layer_sizes=(50,),
        activation="logistic",
        *,
        solver="adam",
        alpha=1e-4,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init="auto",
        power_t=0.5,
        max_iter=500,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=50,
        max_fun=15000,
        n_init=1,
        precondition="auto",
        scoring=None,
        loss="log_loss",
        class_weight=None,
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
            n_init=n_init,
            precondition=precondition,
            scoring=scoring,
        )
        self.loss = loss
        self.class_weight = class_weight

    def _encode_targets(self, y, first_call, classes=None, all_classes=False):
        _check_comparable_labels(y, "y")
        if classes is not None:
            _check_comparable_labels(np.asarray(classes), "classes")
        check_classification_targets(y)
        y_type = type_of_target(y)
        multilabel = y_type == "multilabel-indicator"
        if y_type == "multiclass-multioutput":
            raise ValueError(
                "Multiclass-multioutput targets are not supported; use a "
                "multilabel indicator matrix or one target column."
            )
        if not multilabel and y.ndim == 2:
            y = column_or_1d(y, warn=True)
        if first_call:
            if classes is None:
                classes = np.arange(y.shape[1]) if multilabel else np.unique(y)
            elif multilabel and len(classes) != y.shape[1]:
                raise ValueError(
                    f"classes has {len(classes)} labels but y is a multilabel "
                    f"indicator with {y.shape[1]} columns."
                )
            classes = np.unique(classes)
            if len(classes) < 2 and not multilabel:
                raise ValueError(
                    "The classifier needs samples of at least 2 classes; got one "
                    f"class: {classes[0]!r}."
                )
            self.classes_ = classes
            self._y_type = "multilabel" if multilabel else "multiclass"
            self.n_outputs_ = (
                1 if len(classes) == 2 and not multilabel else len(classes)
            )
            self.out_activation_ = self._output_activation()
        else:
            if classes is not None and not np.array_equal(
                np.unique(classes), self.classes_
            ):
                raise ValueError(
                    f"classes={classes!r} is not the same as on the first call "
                    f"to partial_fit: {self.classes_!r}."
                )
            if multilabel != (self._y_type == "multilabel"):
                raise ValueError(
                    "y is multilabel now but was not when the model was fitted, "
                    "or the other way round."
                )
        if multilabel:
            if y.shape[1] != len(self.classes_):
                raise ValueError(
                    f"y has {y.shape[1]} labels; the model was fitted with "
                    f"{len(self.classes_)}."
                )
            return y
        if all_classes and not np.array_equal(np.unique(y), self.classes_):
            raise ValueError(
                "warm_start=True needs y to have the same classes as the fitted "
                f"model: classes_ is {self.classes_.tolist()}, y has "
                f"{np.unique(y).tolist()}. Set warm_start=False to start afresh."
            )
        unseen = np.setdiff1d(y, self.classes_)
        if unseen.size:
            raise ValueError(
                f"y contains labels not in classes_ {self.classes_.tolist()}: "
                f"{unseen.tolist()}."
            )
        index = np.searchsorted(self.classes_, y)
        if self.n_outputs_ == 1:
            return (index == 1)[:, None]
        return np.eye(self.n_outputs_)[index]

    def _output_activation(self):
        """Output layer for ``loss``: softmax over several exclusive classes
        with log-loss, else sigmoids (two classes, multilabel, squared error)."""
        several = self._y_type == "multiclass" and len(self.classes_) > 2
        return "softmax" if several and self.loss == "log_loss" else "logistic"

    def _class_sample_weight(self, y, incremental):
        if self._y_type == "multilabel":
            raise ValueError("class_weight is not supported for multilabel targets.")
        if incremental and self.class_weight == "balanced":
            raise ValueError(
                "class_weight='balanced' needs all the data at once and cannot "
                "be used with partial_fit; pass a dict of class weights instead."
            )
        if self.class_weight == "balanced":
            return compute_sample_weight("balanced", y.ravel())
        classes = self.classes_.tolist()
        unknown = [key for key in self.class_weight if key not in classes]
        if unknown:
            raise ValueError(
                f"class_weight has keys that are not classes: {unknown!r}; the "
                f"classes are {classes!r}."
            )
        weights = np.array([self.class_weight.get(c, 1.0) for c in self.classes_])
        return weights[np.searchsorted(self.classes_, y.ravel())]

    @available_if(_BaseBackprop._check_stochastic_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Train one epoch of sgd or adam on ``X`` and ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Class labels, or a multilabel indicator matrix.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the rows.
        classes : array-like of shape (n_classes,), default=None
            Every class that any call will see. Required on the first call
            (the label indices ``range(n_labels)`` for multilabel targets);
            later calls may omit it. Third in MLPClassifier's order, after
            ``sample_weight``.

        Returns
        -------
        self : object
            The estimator, trained one epoch further.
        """
        if not hasattr(self, "coefs_") and classes is None:
            raise ValueError(
                "classes must be given on the first call to partial_fit: every "
                "label that any call will see."
            )
        return self._partial_fit(X, y, classes=classes, sample_weight=sample_weight)

    def predict(self, X):
        """Predict class labels.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_labels)
            Predicted classes, or a 0/1 indicator matrix for multilabel
            targets.
        """
        out = self._predict_out(X, "predict")
        F = ops(out)
        int64 = F.xp.int64
        if self._y_type == "multilabel":
            return F.astype(out > 0.5, int64)
        if self.n_outputs_ == 1:
            index = F.astype(out[:, 0] > 0.5, int64)
        else:
            index = F.argmax(out, axis=1)
        if self.classes_.dtype.kind in "biuf":
            # Numeric labels are looked up where the output is (a device).
            return F.take(F.asarray(self.classes_), index, axis=0)
        # Other labels (strings) exist only in numpy.
        return self.classes_[to_host(index)]

    def predict_proba(self, X):
        """Probability of each class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Rows sum to 1, but for multilabel targets, where each column is
            that label's own probability. With ``loss="squared_error"`` and
            several classes the sigmoid outputs are normalised to sum to 1.
        """
        return self._proba(self._predict_out(X, "predict_proba"))

    def _proba(self, out):
        F = ops(out)
        if self._y_type == "multilabel":
            return out
        if self.n_outputs_ == 1:
            return F.concat([1 - out, out], axis=1)
        if self.out_activation_ == "softmax":
            return out
        out = F.maximum(out, F.finfo(out.dtype).smallest_normal)
        return out / F.sum(out, axis=1, keepdims=True)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Probabilities too small to be represented give the log of the
        smallest positive float rather than ``-inf``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        proba = self._proba(self._predict_out(X, "predict_log_proba"))
        F = ops(proba)
        return F.log(F.maximum(proba, F.finfo(proba.dtype).smallest_normal))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


def _check_comparable_labels(labels, name):
    """Refuse labels that cannot be sorted together (None with strings...)."""
    if labels.dtype != object:
        return
    try:
        np.unique(labels)
    except TypeError:
        kinds = sorted({type(label).__name__ for label in labels.ravel()})
        raise ValueError(
            f"{name} mixes labels of types that cannot be compared: "
            f"{', '.join(kinds)}. Class labels must be all strings or all "
            "numbers (None is not a label: drop or relabel those rows)."
        ) from None


class BackpropRegressor(_DocLink, RegressorMixin, _BaseBackprop):
    """Multilayer perceptron regressor trained by hand-written backpropagation.

    The classic backpropagation network for real-valued targets: forward
    pass, squared error ``E = sum 1/2 (t - out)**2``, deltas from the output
    layer back, gradient steps.

    Parameters
    ----------
    loss : {"squared_error", "poisson"}, default="squared_error"
        "squared_error": the classic ``E = sum over outputs of 1/2 (t - out)**2``.
        "poisson": the half Poisson deviance
        ``E = sum over outputs of t log(t / out) - t + out``, as in
        ``MLPRegressor``, with an exponential output layer (the log link,
        ``out_activation_ == "exp"``); targets must be non-negative (counts,
        rates).
    {shared_parameters}
    out_activation : {"identity", "logistic"}, default="identity"
        Activation of the output layer. "logistic" needs targets in [0, 1]
        and gives the all-sigmoid network of Mazur's example.
        Ignored with ``loss="poisson"``, which always has an exp output;
        "logistic" is then refused.

    Attributes
    ----------
    {shared_attributes}

    See Also
    --------
    BackpropClassifier : The classifier on the same network.
    sklearn.neural_network.MLPRegressor : scikit-learn's own MLP.

    Notes
    -----
    float32 input trains float32 weights and predicts float32 values.

    Examples
    --------
    >>> import numpy as np
    >>> from skbackprop import BackpropRegressor
    >>> X = np.linspace(-1, 1, 100).reshape(-1, 1)
    >>> y = X.ravel() ** 2
    >>> reg = BackpropRegressor(hidden_layer_sizes=(10,), solver="lbfgs",
    ...                         random_state=0)
    >>> reg.fit(X, y).score(X, y) > 0.9
    True
    """

    _parameter_constraints = {
        **_BaseBackprop._parameter_constraints,
        "loss": [StrOptions({"squared_error", "poisson"})],
        "out_activation": [StrOptions({"identity", "logistic"})],
    }

    def __init__(
        self,
        loss="squared_error",
        hidden_layer_sizes=(50,),
        activation="logistic",
        *,
        solver="adam",
        alpha=1e-4,
        batch_size="auto",
        learning_rate="constant",
        learning_rate_init="auto",
        power_t=0.5,
        max_iter=500,
        shuffle=True,
        random_state=None,
        tol=1e-4,
        verbose=False,
        warm_start=False,
        momentum=0.9,
        nesterovs_momentum=True,
        early_stopping=False,
        validation_fraction=0.1,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        n_iter_no_change=50,
        max_fun=15000,
        n_init=1,
        precondition="auto",
        scoring=None,
        out_activation="identity",
    ):
        super().__init__(
            hidden_layer_sizes=hidden_layer_sizes,
            activation=activation,
            solver=solver,
            alpha=alpha,
            batch_size=batch_size,
            learning_rate=learning_rate,
            learning_rate_init=learning_rate_init,
            power_t=power_t,
            max_iter=max_iter,
            shuffle=shuffle,
            random_state=random_state,
            tol=tol,
            verbose=verbose,
            warm_start=warm_start,
            momentum=momentum,
            nesterovs_momentum=nesterovs_momentum,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=epsilon,
            n_iter_no_change=n_iter_no_change,
            max_fun=max_fun,
            n_init=n_init,
            precondition=precondition,
            scoring=scoring,
        )
        self.loss = loss
        self.out_activation = out_activation

    def _encode_targets(self, y, first_call, classes=None, all_classes=False):
        if y.ndim == 2 and y.shape[1] == 1:
            # A column vector is one target, as in MLPRegressor (which warns).
            y = column_or_1d(y, warn=True)
        Y = y.reshape(-1, 1) if y.ndim == 1 else y
        if self.loss == "poisson":
            if self.out_activation == "logistic":
                raise ValueError(
                    "loss='poisson' has an exponential output layer (the log "
                    "link); out_activation='logistic' cannot be used with it."
                )
            if (Y < 0).any():
                raise ValueError(
                    "loss='poisson' needs non-negative targets (counts or "
                    f"rates); y has values down to {Y.min()}."
                )
        elif self.out_activation == "logistic" and ((Y < 0) | (Y > 1)).any():
            raise ValueError(
                "out_activation='logistic' needs targets in [0, 1]; y ranges over "
                f"[{Y.min()}, {Y.max()}]."
            )
        if first_call:
            self.n_outputs_ = Y.shape[1]
            self.out_activation_ = self._output_activation()
            self._y_ndim = y.ndim
        elif Y.shape[1] != self.n_outputs_:
            raise ValueError(
                f"y has {Y.shape[1]} outputs; the model was fitted with "
                f"{self.n_outputs_}."
            )
        return Y

    def _output_activation(self):
        return "exp" if self.loss == "poisson" else self.out_activation

    @available_if(_BaseBackprop._check_stochastic_solver)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Train one epoch of sgd or adam on ``X`` and ``y``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the rows.

        Returns
        -------
        self : object
            The estimator, trained one epoch further.
        """
        return self._partial_fit(X, y, sample_weight=sample_weight)

    def predict(self, X):
        """Predict targets.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions, in the dtype of the weights and ``X``.
        """
        out = self._predict_out(X, "predict")
        return out[:, 0] if self._y_ndim == 1 else out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


def _fill(doc, placeholder, text):
    """``doc`` with the line ``{placeholder}`` replaced by ``text``, indented alike.

    Python 3.13 strips the docstring's common indentation at compile time, so
    the placeholder's indentation is read, not assumed.
    """
    text = textwrap.dedent(text.strip("\n"))
    return re.sub(
        rf"^([ \t]*)\{{{placeholder}\}}$",
        lambda match: textwrap.indent(text, match.group(1)),
        doc,
        flags=re.M,
    )


for _cls in (BackpropClassifier, BackpropRegressor):
    _cls.__doc__ = _fill(
        _fill(_cls.__doc__, "shared_parameters", _SHARED_PARAMETERS),
        "shared_attributes",
        _SHARED_ATTRIBUTES,
    )
