"""The shared estimator: parameters, validation, and fitted state from training."""

import copy
import warnings
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn import get_config
from sklearn.base import BaseEstimator, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from ._arrays import NUMPY, ops, to_host
from ._callbacks import (
    CALLBACK_STATE,
    CALLBACKS_SUPPORTED,
    CallbackSupportMixin,
    FitTask,
)
from ._compat import (
    ARRAY_API_SUPPORTED,
    Interval,
    Options,
    StrOptions,
    _check_sample_weight,
    _fit_context,
    _is_numpy_namespace,
    get_namespace,
    get_namespace_and_device,
)
from ._exceptions import (
    LearnedNothingWarning,
    SaturationWarning,
    learned_nothing_message,
    saturation_message,
)
from ._network import Parameters, hidden_saturation, init_params
from ._optimizers import SGD, Adam
from ._restarts import train_runs
from ._trace import backprop_trace
from ._training import (
    History,
    Network,
    Settings,
    TrainingDiverged,
    Validation,
)

# Fitted attributes made from a run's History (training's record of a run).
_HISTORY_ATTRIBUTES = {
    "loss_": "loss",
    "loss_curve_": "loss_curve",
    "best_loss_": "best_loss",
    "validation_scores_": "validation_scores",
    "validation_loss_curve_": "validation_loss_curve",
    "best_validation_score_": "best_validation_score",
    "n_iter_": "n_iter",
    "t_": "t",
    "_optimizer": "optimizer",
    "_no_improvement_count": "no_improvement_count",
}


@dataclass
class _FitData:
    """A fit's prepared data, handed from step to step of ``fit``.

    ``X``, ``Y`` and ``sw`` are the training rows on ``X``'s device (``F``
    its array operations); ``val`` the held-out rows of early stopping or
    None; ``X_orig``, ``y_orig`` and ``sample_weight`` (on the host) as
    given; ``rng`` the fit's random stream; ``layer_units`` the network's
    layer sizes, input to output.
    """

    X: object
    Y: object
    sw: object
    val: dict
    X_orig: object
    y_orig: object
    sample_weight: object
    rng: np.random.RandomState
    layer_units: list
    F: object


# Features whose root mean square exceeds this are far from unit scale.
_FAR_FROM_UNIT_SCALE = 10.0

# learning_rate_init="auto": rates that train well with these solvers' defaults.
_AUTO_LEARNING_RATE = {"sgd": 0.1, "adam": 0.02, "lbfgs": None}


class _BaseBackprop(CallbackSupportMixin, BaseEstimator):
    """Base class of the backpropagation estimators; not for direct use."""

    _parameter_constraints: dict = {
        "hidden_layer_sizes": [
            "array-like",
            Interval(Integral, 1, None, closed="left"),
        ],
        "activation": [StrOptions({"identity", "logistic", "tanh", "relu"})],
        "solver": [StrOptions({"sgd", "adam", "lbfgs"})],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "batch_size": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
        ],
        "learning_rate": [StrOptions({"constant", "invscaling", "adaptive"})],
        "learning_rate_init": [
            StrOptions({"auto"}),
            Interval(Real, 0, None, closed="neither"),
        ],
        "power_t": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "random_state": ["random_state"],
        "tol": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
        "momentum": [Interval(Real, 0, 1, closed="both")],
        "nesterovs_momentum": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [
            Interval(Integral, 1, None, closed="left"),
            Options(Real, {np.inf}),
        ],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "precondition": [StrOptions({"auto", "standardize"}), None],
        "scoring": [None, StrOptions(set(get_scorer_names())), callable],
    }

    def __init__(
        self,
        hidden_layer_sizes,
        activation,
        solver,
        alpha,
        batch_size,
        learning_rate,
        learning_rate_init,
        power_t,
        max_iter,
        shuffle,
        random_state,
        tol,
        verbose,
        warm_start,
        momentum,
        nesterovs_momentum,
        early_stopping,
        validation_fraction,
        beta_1,
        beta_2,
        epsilon,
        n_iter_no_change,
        max_fun,
        n_init,
        precondition,
        scoring,
    ):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.activation = activation
        self.solver = solver
        self.alpha = alpha
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.learning_rate_init = learning_rate_init
        self.power_t = power_t
        self.max_iter = max_iter
        self.shuffle = shuffle
        self.random_state = random_state
        self.tol = tol
        self.verbose = verbose
        self.warm_start = warm_start
        self.momentum = momentum
        self.nesterovs_momentum = nesterovs_momentum
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.n_iter_no_change = n_iter_no_change
        self.max_fun = max_fun
        self.n_init = n_init
        self.precondition = precondition
        self.scoring = scoring

    # ------------------------------------------------------------------
    # Hooks for the subclasses
    # ------------------------------------------------------------------
    def _encode_targets(self, y, first_call, classes=None, all_classes=False):
        """Validate ``y``, set target state on the first call, return 2-D targets.

        ``all_classes``: a warm-started ``fit``, whose ``y`` must hold the
        fitted classes, no more and no fewer (as in MLPClassifier).
        """
        raise NotImplementedError

    def _output_activation(self):
        """Activation of the output layer that the current parameters ask for."""
        raise NotImplementedError

    # ------------------------------------------------------------------
    # Public API shared by both estimators
    # ------------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None, coefs_init=None, intercepts_init=None):
        """Fit the network to ``X`` and ``y`` by backpropagation.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 input trains float32 weights.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights: the loss and its gradient are weighted
            means, normalised by the sum of the weights, so an integer weight
            acts as that many copies of the row and a zero weight as dropping
            it.
        coefs_init : list of array-like, default=None
            Starting weights, shaped as ``coefs_``; copied, never modified.
            When given, training starts from them (one run, whatever
            ``n_init`` and ``warm_start`` say) instead of random weights.
        intercepts_init : list of array-like, default=None
            Starting biases, shaped as ``intercepts_``; zeros when only
            ``coefs_init`` is given.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(
            X,
            y,
            sample_weight=sample_weight,
            incremental=False,
            coefs_init=coefs_init,
            intercepts_init=intercepts_init,
        )

    def _partial_fit(self, X, y, classes=None, sample_weight=None):
        return self._fit(
            X, y, sample_weight=sample_weight, incremental=True, classes=classes
        )

    def _check_stochastic_solver(self):
        if self.solver not in ("sgd", "adam"):
            raise AttributeError(
                f"partial_fit is only available for stochastic optimizers; "
                f"solver={self.solver!r} is not one of them."
            )
        return True

    # ------------------------------------------------------------------
    # Fitting
    # ------------------------------------------------------------------
    def _hidden_units(self):
        sizes = self.hidden_layer_sizes
        sizes = [sizes] if isinstance(sizes, Integral) else list(sizes)
        if not all(
            isinstance(h, Integral) and not isinstance(h, bool) and h > 0 for h in sizes
        ):
            raise ValueError(
                "hidden_layer_sizes must hold positive integers, "
                f"got {self.hidden_layer_sizes!r}."
            )
        return [int(h) for h in sizes]

    def _fit(self, X, y, **kwargs):
        """Fit, or leave the estimator exactly as it was if the call fails."""
        before = dict(self.__dict__)
        try:
            return self._fit_unguarded(X, y, **kwargs)
        except BaseException:
            kept = {k: v for k, v in self.__dict__.items() if k in CALLBACK_STATE}
            self.__dict__.clear()
            self.__dict__.update(before, **kept)
            raise

    def _fit_unguarded(
        self,
        X,
        y,
        *,
        sample_weight,
        incremental,
        classes=None,
        coefs_init=None,
        intercepts_init=None,
    ):
        """Fit: prepare the data, choose the starts, train, set and check the fit."""
        hidden = self._hidden_units()
        continuing = (
            hasattr(self, "coefs_")
            and (incremental or self.warm_start)
            and coefs_init is None
            and intercepts_init is None
        )
        data = self._prepare_data(
            X, y, sample_weight, classes, hidden, continuing, incremental
        )
        draw_start, n_runs = self._choose_starts(
            data, continuing, coefs_init, intercepts_init
        )
        self._print_header(data, n_runs, incremental)
        chosen, task = self._train(data, draw_start, n_runs, continuing, incremental)
        self._set_fitted_state(data, chosen, incremental)
        self._check_result(data, chosen, incremental)
        if task is not None:
            task.finish(self)
        return self

    def _prepare_data(
        self, X, y, sample_weight, classes, hidden, continuing, incremental
    ):
        """Validate ``X`` and ``y``; encode targets and weights; hold out rows.

        Returns the fit's :class:`_FitData`, the training rows on ``X``'s
        device with the validation rows of early stopping held out.
        """
        X_orig, y_orig = X, y
        if continuing:
            self._check_namespace(X, "partial_fit" if incremental else "fit")
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=("csr", "csc"),
            dtype=_float_dtypes(X),
            multi_output=True,
            y_numeric=not is_classifier(self),
            reset=not continuing,
        )
        if sparse.issparse(X):
            X = X.tocsr()
        if sparse.issparse(y):
            y = y.toarray()
        # Array-API input (torch, cupy...): the weights, buffers and passes live
        # on X's device; targets and sample weights are checked on the host
        # and moved there.
        F = ops(X)
        y = to_host(y)
        if sample_weight is not None:
            sample_weight = to_host(sample_weight)
        if classes is not None:
            classes = to_host(classes)
        dtype = X.dtype
        Y = self._encode_targets(
            y,
            first_call=not continuing,
            classes=classes,
            all_classes=continuing and not incremental,
        )
        sw = self._sample_weight(
            X.shape[0], _np_dtype(dtype), y, sample_weight, incremental
        )
        Y = F.asarray(np.ascontiguousarray(Y, dtype=_np_dtype(dtype)))
        sw = None if sw is None else F.asarray(sw)
        rng = self._random_stream(continuing)
        layer_units = [X.shape[1], *hidden, self.n_outputs_]
        val = None
        # As MLP, L-BFGS ignores early stopping: it trains on every row.
        if self.early_stopping and not incremental and self.solver != "lbfgs":
            X, Y, sw, val = self._split_validation(X_orig, y_orig, X, y, Y, sw, rng, F)
        return _FitData(
            X, Y, sw, val, X_orig, y_orig, sample_weight, rng, layer_units, F
        )

    def _random_stream(self, continuing):
        """The fit's random stream: starts, shuffles and the validation split."""
        if continuing and isinstance(self.random_state, Integral):
            # A fresh stream per continued call, reproducible from random_state:
            # t_ (samples seen) grows with every call that trains.
            return np.random.RandomState([self.random_state, *divmod(self.t_, 2**32)])
        return check_random_state(self.random_state)

    def _choose_starts(self, data, continuing, coefs_init, intercepts_init):
        """How each run's starting weights are drawn, and how many runs.

        The fitted weights (warm start, ``partial_fit``) or ``coefs_init``
        give one run; otherwise ``n_init`` runs draw random starts one after
        another from the fit's random stream.
        """
        layer_units, dtype, F = data.layer_units, data.X.dtype, data.F
        if continuing:
            if [c.shape for c in self.coefs_] != [
                (a, b) for a, b in zip(layer_units[:-1], layer_units[1:])
            ]:
                raise ValueError(
                    "The fitted coefs_ do not match the network for this data; "
                    "set warm_start=False to start afresh."
                )
            if self._output_activation() != self.out_activation_:
                raise ValueError(
                    f"The model was fitted with a {self.out_activation_} output "
                    f"layer; loss={self.loss!r} needs a "
                    f"{self._output_activation()} one. Set warm_start=False to "
                    "start afresh."
                )
            start = Parameters.from_layers(self.coefs_, self.intercepts_, dtype, F=F)
        elif coefs_init is not None or intercepts_init is not None:
            start = self._initial_params(
                layer_units, coefs_init, intercepts_init, dtype, F
            )
        else:

            def draw_random_start():
                return init_params(layer_units, self.activation, data.rng, dtype, F=F)

            return draw_random_start, self.n_init
        return (lambda: start), 1

    def _print_header(self, data, n_runs, incremental):
        """With ``verbose``, say what is about to be trained, and how."""
        if not self.verbose:
            return
        what = "one epoch" if incremental else f"up to {self.max_iter} epochs"
        if self.solver == "lbfgs":
            what = f"up to {self.max_iter} iterations"
        runs = f", {n_runs} runs" if n_runs > 1 else ""
        print(
            f"Training a {tuple(data.layer_units)} network ({self.activation} "
            f"hidden, {self.out_activation_} output) with {self.solver} on "
            f"{data.X.shape[0]} rows ({_dtype_name(data.X.dtype)}), {what}{runs}."
        )

    def _train(self, data, draw_start, n_runs, continuing, incremental):
        """Train the runs; return the chosen one and the fit's callback task.

        The task (None without scikit-learn's callbacks) ends once the fit
        has been checked.
        """
        network = self._network()
        settings = self._settings(data.X.shape[0], incremental)
        validation = None if data.val is None else self._validation(data.val)
        task = self._callback_task(
            data.X_orig, data.y_orig, data.sample_weight, n_runs, incremental
        )
        try:
            chosen = train_runs(
                data.X,
                data.Y,
                data.sw,
                network,
                settings,
                draw_start,
                n_runs=n_runs,
                previous=self._history() if continuing else None,
                keep_optimizer=incremental,
                val=validation,
                rng=data.rng,
                epochs=1 if incremental else None,
                task=task,
                report=lambda outcome, history: self._warn_about_the_run(
                    outcome, history, data.X, data.Y
                ),
            )
        except TrainingDiverged as exc:
            raise ValueError(self._divergence_message(exc, data.X, data.Y)) from None
        return chosen, task

    def _set_fitted_state(self, data, chosen, incremental):
        """Fitted attributes from the chosen run's weights and history."""
        params = chosen.params
        self.n_layers_ = len(data.layer_units)
        self.coefs_, self.intercepts_ = params.coefs, params.intercepts
        for name, field_name in _HISTORY_ATTRIBUTES.items():
            setattr(self, name, getattr(chosen.history, field_name))
        # Saturated or dead hidden units, measured on at most 1000 training rows.
        self.saturated_share_ = hidden_saturation(
            data.X,
            params.coefs,
            params.intercepts,
            self.activation,
            self.out_activation_,
            max_rows=200 if incremental else 1000,
        )

    def _check_result(self, data, chosen, incremental):
        """Warn about saturated hidden units and a fit that learned nothing.

        Not after ``partial_fit`` (one call is one epoch: too soon to judge),
        nor after a run that was interrupted, stopped by a callback or
        diverged: its own warning has said why it ended.
        """
        message = saturation_message(self)
        if message is not None:
            warnings.warn(message, SaturationWarning)
        outcome = chosen.outcome
        ended_early = (
            outcome.interrupted or outcome.stopped or outcome.diverged_at is not None
        )
        if not incremental and not ended_early:
            self._check_learned(data, chosen.params)

    def _check_learned(self, data, params):
        """Warn if the fit predicts no better than a constant on its rows."""
        network = self._network()
        with np.errstate(all="ignore"):
            data_loss = network.mean_loss(data.X, data.Y, data.sw, params)
        constant = network.constant_loss(data.Y, data.sw)
        message = learned_nothing_message(self, data_loss, constant)
        if message is not None:
            warnings.warn(message, LearnedNothingWarning)

    def _callback_task(self, X, y, sample_weight, n_runs, incremental):
        """The fit's task for scikit-learn's callbacks (None before sklearn 1.9)."""
        if not CALLBACKS_SUPPORTED:
            return None
        return FitTask(self, X, y, sample_weight, n_runs, incremental)

    def _warn_about_the_run(self, outcome, history, X, Y):
        """Say when a run diverged and kept an earlier epoch, or ended worse."""
        if outcome.diverged_at is not None:
            warnings.warn(
                f"Training diverged at epoch {outcome.diverged_at}: the objective "
                "became non-finite or exploded. The weights of the finished epoch "
                f"with the lowest objective (epoch {history.n_iter}) are kept; "
                f"{self._advice(X, Y)}.",
                ConvergenceWarning,
            )
            return
        curve = history.loss_curve[len(history.loss_curve) - history.n_iter :]
        if self.solver != "lbfgs" and len(curve) > 1 and curve[-1] > curve[0]:
            warnings.warn(
                f"Training ended with a higher loss ({curve[-1]:.6g}) than after "
                f"its first epoch ({curve[0]:.6g}): {self._advice(X, Y)}.",
                ConvergenceWarning,
            )

    def _divergence_message(self, exc, X, Y):
        start = (
            f" (the objective there was {exc.start_objective:.6g})"
            if np.isfinite(exc.start_objective)
            else ""
        )
        return (
            f"Training diverged at epoch {exc.epoch}: the objective became "
            "non-finite or exploded, and no finished epoch improved on the "
            f"starting weights{start}. Nothing was fitted; the estimator is as "
            f"it was before this call. To train, "
            f"{self._advice(X, Y, start_overflows=exc.start_objective == np.inf)}."
        )

    def _advice(self, X, Y, start_overflows=False):
        """What to change after a divergence or a rising loss.

        ``start_overflows``: the objective at the starting weights was already
        infinite, which no learning rate can change.
        """
        scales = []
        target = 0.0 if is_classifier(self) else _target_scale(Y)
        if target > _FAR_FROM_UNIT_SCALE:
            # Poisson targets must stay non-negative: divide, do not centre.
            how = (
                "divide it by a positive constant, e.g. its mean"
                if getattr(self, "loss", None) == "poisson"
                else "e.g. with TransformedTargetRegressor("
                "transformer=StandardScaler())"
            )
            scales.append(
                f"scale the target, {how} (the largest target's RMS is {target:.3g})"
            )
        scale = _feature_scale(X)
        if scale > _FAR_FROM_UNIT_SCALE or (self.solver == "lbfgs" and not scales):
            scales.append(
                "scale the input features, e.g. with StandardScaler in a pipeline"
                + (f" (the largest feature's RMS is {scale:.3g})" if scale > 1 else "")
            )
        advice = []
        if self.solver != "lbfgs" and not (start_overflows and scales):
            rate = self._learning_rate_init()
            if self.learning_rate_init == "auto":
                advice.append(
                    f"lower learning_rate_init (learning_rate_init='auto' chose "
                    f"{rate:g} for {self.solver})"
                )
            else:
                advice.append(f"lower learning_rate_init (now {rate:g})")
        if target > _FAR_FROM_UNIT_SCALE:  # the target's scale comes first
            advice = scales[:1] + advice + scales[1:]
        else:
            advice = advice + scales
        return " or ".join(advice)

    def _history(self):
        """The fitted training history, as training's History."""
        return History(
            **{f: getattr(self, name) for name, f in _HISTORY_ATTRIBUTES.items()}
        )

    def _network(self):
        """Activations, loss and L2 penalty of the network, for training's floor."""
        return Network(self.activation, self.out_activation_, self.loss, self.alpha)

    def _settings(self, n_samples, incremental=False):
        """The training parameters, resolved for ``n_samples`` rows."""
        stochastic = self.solver != "lbfgs"
        return Settings(
            solver=self.solver,
            batch_size=self._batch_size(n_samples) if stochastic else n_samples,
            shuffle=self.shuffle,
            max_iter=self.max_iter,
            tol=self.tol,
            n_iter_no_change=self.n_iter_no_change,
            max_fun=self.max_fun,
            verbose=self.verbose,
            make_optimizer=self._make_optimizer if stochastic else None,
            standardise=self._standardise(incremental),
        )

    def _standardise(self, incremental):
        """Whether a fresh optimizer steps the first layer in standardised coordinates.

        A kept one (``partial_fit`` after a fit) keeps the coordinates it has.
        """
        if self.precondition == "auto":
            # The automatic rate was chosen with standardised steps; a rate
            # set by hand keeps MLP's path, so MLP's settings give MLP's fit.
            # One partial_fit call's rows need not stand for the data.
            return (
                self.solver == "adam"
                and self.learning_rate_init == "auto"
                and not incremental
            )
        return self.precondition == "standardize" and self.solver != "lbfgs"

    def _validation(self, val):
        """Early stopping's held-out rows, scored by the estimator's scorer."""
        scorer = check_scoring(self, scoring=self.scoring)
        kwargs = {}
        if val["sample_weight"] is not None:
            kwargs["sample_weight"] = val["sample_weight"]

        def score(params):
            # A shallow copy that predicts with the weights being trained;
            # the estimator itself is not touched during the fit.
            model = copy.copy(self)
            model.coefs_, model.intercepts_ = params.coefs, params.intercepts
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                return float(scorer(model, val["X_orig"], val["y_orig"], **kwargs))

        return Validation(val["X"], val["Y"], val["sample_weight"], score)

    def _sample_weight(self, n_samples, dtype, y, sample_weight, incremental):
        """Validated sample weights times class weights, or None for all ones.

        On the host: ``dtype`` is a numpy dtype and the weights a numpy array.
        """
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight,
                np.empty((n_samples, 0), dtype=dtype),
                dtype=dtype,
                ensure_non_negative=True,
            )
        class_weight = getattr(self, "class_weight", None)
        if class_weight is not None:
            cw = self._class_sample_weight(y, incremental).astype(dtype)
            if not (np.isfinite(cw).all() and (cw >= 0).all()):
                raise ValueError(
                    "class_weight must give every class a finite, non-negative "
                    f"weight; got {class_weight!r}."
                )
            sample_weight = cw if sample_weight is None else sample_weight * cw
            if not sample_weight.any():
                raise ValueError(
                    "Sample weights times class weights are all zero: "
                    "nothing is left to train on."
                )
        return sample_weight

    def _split_validation(self, X_orig, y_orig, X, y, Y, sw, rng, F):
        """Hold out ``validation_fraction`` of the rows for early stopping."""
        # train_test_split holds out ceil(fraction * n) rows; a score on
        # fewer than 2 is undefined (R²) or meaningless, as in MLPClassifier.
        n_val = int(np.ceil(self.validation_fraction * X.shape[0]))
        if n_val < 2:
            raise ValueError(
                f"The validation set is too small: validation_fraction="
                f"{self.validation_fraction} of {X.shape[0]} rows holds out "
                f"{n_val}, and early stopping needs at least 2. Increase "
                "'validation_fraction' or the size of your dataset."
            )
        stratify = y if is_classifier(self) and self._y_type != "multilabel" else None
        if stratify is not None:
            labels, counts = np.unique(stratify, return_counts=True)
            n_train = X.shape[0] - n_val
            if counts.min() < 2 or min(n_val, n_train) < len(labels):
                rarest = labels.tolist()[np.argmin(counts)]
                warnings.warn(
                    "early_stopping: the validation split cannot be stratified "
                    f"(class {rarest!r} has {counts.min()} row(s), and the "
                    f"{n_val} validation and {n_train} training rows must each "
                    f"hold all {len(labels)} classes); the validation rows are "
                    "drawn without stratifying.",
                    UserWarning,
                )
                stratify = None
        train, test = train_test_split(
            np.arange(X.shape[0]),
            test_size=self.validation_fraction,
            random_state=rng,
            stratify=stratify,
        )
        if len(train) == 0 or len(test) == 0:
            raise ValueError(
                f"validation_fraction={self.validation_fraction} leaves no "
                f"training or no validation rows out of {X.shape[0]}."
            )
        val_orig = (_take_rows(X_orig, test), _take_rows(y_orig, test))
        if F is not NUMPY:
            train, test = F.asarray(train), F.asarray(test)
        sw_val = None if sw is None else _rows(F, sw, test)
        if sw_val is not None and not F.total(sw_val) > 0:
            raise ValueError(
                "The sample weights of the validation set are all zero; "
                "change random_state or validation_fraction."
            )
        val = {
            "X": _rows(F, X, test),
            "Y": _rows(F, Y, test),
            "sample_weight": sw_val,
            "X_orig": val_orig[0],
            "y_orig": val_orig[1],
        }
        sw_train = None if sw is None else _rows(F, sw, train)
        return _rows(F, X, train), _rows(F, Y, train), sw_train, val

    def _initial_params(self, layer_units, coefs_init, intercepts_init, dtype, F):
        """Check ``coefs_init`` and ``intercepts_init``; copy them into flat params."""
        shapes = list(zip(layer_units[:-1], layer_units[1:]))
        if coefs_init is None:
            raise ValueError("intercepts_init needs coefs_init as well.")
        if intercepts_init is None:
            intercepts_init = [np.zeros(b) for _, b in shapes]
        host = _np_dtype(dtype)
        coefs = [np.asarray(to_host(c), dtype=host) for c in coefs_init]
        intercepts = [np.asarray(to_host(b), dtype=host) for b in intercepts_init]
        got_c = [c.shape for c in coefs]
        got_b = [b.shape for b in intercepts]
        if got_c != shapes or got_b != [(b,) for _, b in shapes]:
            raise ValueError(
                f"coefs_init shapes {got_c} and intercepts_init shapes {got_b} do "
                f"not match the network: expected {shapes} and "
                f"{[(b,) for _, b in shapes]}."
            )
        if not all(np.isfinite(a).all() for a in coefs + intercepts):
            raise ValueError("coefs_init and intercepts_init must be finite.")
        return Parameters.from_layers(coefs, intercepts, dtype, F=F)

    def _batch_size(self, n_samples):
        if self.batch_size == "auto":
            return min(200, n_samples)
        if self.batch_size > n_samples:
            warnings.warn(
                f"batch_size={self.batch_size} is larger than the {n_samples} "
                "samples; it is clipped to the number of samples.",
                UserWarning,
            )
        return min(self.batch_size, n_samples)

    def _learning_rate_init(self):
        if self.learning_rate_init != "auto":
            return self.learning_rate_init
        return _AUTO_LEARNING_RATE[self.solver]

    def _make_optimizer(self, n_params, dtype, F):
        if self.solver == "sgd":
            return SGD(
                n_params,
                dtype,
                self._learning_rate_init(),
                self.learning_rate,
                self.momentum,
                self.nesterovs_momentum,
                self.power_t,
                F=F,
            )
        return Adam(
            n_params,
            dtype,
            self._learning_rate_init(),
            self.beta_1,
            self.beta_2,
            self.epsilon,
            F=F,
        )

    # ------------------------------------------------------------------
    # Prediction
    # ------------------------------------------------------------------
    def _forward(self, X, coefs, intercepts):
        return self._network().forward(
            X, coefs, intercepts, chunk_rows=_predict_chunk_rows(X, coefs)
        )

    def trace(self, X, y):
        """One forward and one backward pass of the fitted network, kept whole.

        Nothing is updated: this shows what the next gradient step on
        ``X, y`` would be computed from, with the estimator's own weights,
        activations, loss and L2 term.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs (dense).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets, as for :meth:`fit`.

        Returns
        -------
        trace : BackpropTrace
            ``net``, ``out`` and ``delta`` per layer, gradients and loss;
            ``print(trace)`` shows them in the tutorial's names.
        """
        check_is_fitted(self)
        self._check_namespace(X, "trace")
        X, y = validate_data(
            self,
            X,
            y,
            dtype=_float_dtypes(X)[0],
            multi_output=True,
            reset=False,
            y_numeric=not is_classifier(self),
        )
        Y = self._encode_targets(to_host(y), first_call=False)
        return backprop_trace(
            X,
            Y,
            self.coefs_,
            self.intercepts_,
            activation=self.activation,
            out_activation=self.out_activation_,
            loss=self.loss,
            alpha=self.alpha,
        )

    def _predict_out(self, X, method="predict"):
        """Validate ``X``; run the forward pass with ``coefs_`` and ``intercepts_``."""
        check_is_fitted(self)
        self._check_namespace(X, method)
        X = validate_data(
            self,
            X,
            accept_sparse=("csr", "csc"),
            dtype=_float_dtypes(X),
            reset=False,
        )
        F = ops(X)
        with F.errstate(all="ignore"):
            out = self._forward(X, self.coefs_, self.intercepts_)
        if not F.all_finite(out):
            raise ValueError(
                "The network's output is not finite: coefs_ or intercepts_ hold "
                "non-finite or overflowing values."
            )
        return out

    def _check_namespace(self, X, method):
        """Refuse ``X`` from another array namespace or device than the fit's.

        As scikit-learn's ``check_same_namespace``; a model fitted on
        array-API arrays also refuses to work with array API dispatch off.
        """
        coef = self.coefs_[0]
        if not get_config()["array_api_dispatch"]:
            if isinstance(coef, np.ndarray):
                return
            raise ValueError(
                f"{type(self).__name__}.{method}() was called with array API "
                f"dispatch off, but the model was fitted on {type(coef).__module__} "
                "arrays with it on: call it inside "
                "sklearn.config_context(array_api_dispatch=True), with X of the "
                "same library and device."
            )
        fit_xp, _, fit_device = get_namespace_and_device(self.coefs_[0])
        X_xp, _, X_device = get_namespace_and_device(X)
        if fit_xp == X_xp and fit_device == X_device:
            return
        if _is_numpy_namespace(fit_xp) and _is_numpy_namespace(X_xp):
            return
        raise ValueError(
            f"Inputs passed to {type(self).__name__}.{method}() must use the same "
            "namespace and the same device as those passed to fit(): the model "
            f"was fitted on {fit_xp.__name__} arrays on {fit_device}, X is "
            f"{X_xp.__name__ if X_device is not None else 'array-like'} on "
            f"{X_device}. Move X there, or refit on X's arrays."
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.array_api_support = ARRAY_API_SUPPORTED
        return tags

    # ------------------------------------------------------------------
    # Persistence
    # ------------------------------------------------------------------
    def __getstate__(self):
        """The state to save: the optimizer's state as a plain dict.

        Everything fitted is then arrays, numbers, strings, lists and dicts,
        so ``skops.io.get_untrusted_types`` lists only the estimator's class.
        """
        state = super().__getstate__()
        optimizer = state.get("_optimizer")
        if optimizer is not None and not isinstance(optimizer, dict):
            saved = {"class": type(optimizer).__name__, "state": dict(vars(optimizer))}
            state = {**state, "_optimizer": saved}
        return state

    def __sklearn_array_api_convert__(self, converter):
        """A copy with every fitted array passed through ``converter``.

        scikit-learn's ``move_estimator_to`` calls this to move a fitted model
        to another array library or device: the weights, biases and the
        optimizer's state move together, so ``predict``, a warm start and
        ``partial_fit`` all work there; ``classes_`` stays numpy.
        """
        state = _convert_arrays(self.__getstate__(), converter)
        if "classes_" in state:
            state["classes_"] = self.classes_
        new = type(self).__new__(type(self))
        new.__setstate__(state)
        return new

    def __setstate__(self, state):
        """Restore a saved state, rebuilding the optimizer from its dict."""
        saved = state.get("_optimizer")
        if isinstance(saved, dict):
            kind = {cls.__name__: cls for cls in (SGD, Adam)}[saved["class"]]
            optimizer = kind.__new__(kind)
            # Copies: the optimizer updates its arrays in place, and a loader
            # may hand read-only ones (joblib.load with mmap_mode="r").
            optimizer.__dict__.update(
                {
                    name: np.array(value) if isinstance(value, np.ndarray) else value
                    for name, value in saved["state"].items()
                }
            )
            state = {**state, "_optimizer": optimizer}
        super().__setstate__(state)


def _convert_arrays(value, converter):
    """``value`` with every array in it (in dicts, lists, tuples) converted."""
    if isinstance(value, dict):
        return {k: _convert_arrays(v, converter) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_convert_arrays(v, converter) for v in value)
    if isinstance(value, np.ndarray) and value.dtype.kind not in "biuf":
        return value  # feature_names_in_ and other object arrays stay numpy
    if isinstance(value, np.ndarray) or hasattr(value, "__dlpack__"):
        return converter(value)
    return value


def _take_rows(a, rows):
    """Rows (a numpy index array) of an array-like, kept in its type.

    numpy, pandas, lists, sparse matrices, or arrays of an array-API library.
    """
    if hasattr(a, "iloc"):
        return a.iloc[rows]
    if sparse.issparse(a):
        # COO, DIA and BSR cannot be indexed by rows; the fit reads CSR anyway.
        return (a if a.format in ("csr", "csc", "lil") else a.tocsr())[rows]
    F = ops(a)
    if F is not NUMPY:
        return F.take(a, F.asarray(rows), axis=0)
    return np.asarray(a)[rows]


def _target_scale(Y):
    """The largest root mean square of a target column, without overflow."""
    Y = np.asarray(to_host(Y), dtype=np.float64)
    if Y.size == 0:
        return 0.0
    top = np.max(np.abs(Y), axis=0)
    top[top == 0] = 1.0
    return float(np.max(top * np.sqrt(np.mean((Y / top) ** 2, axis=0))))


def _predict_chunk_rows(X, coefs):
    """Rows per chunk of a prediction, at least one.

    The buffers of a chunk's layers (hidden and output), and its copy of
    ``X`` in the weights' dtype where ``X`` has another (float32 input to
    float64 weights), fit in scikit-learn's ``working_memory`` (MiB), as
    ``pairwise_distances_chunked`` reads it.
    """
    F = ops(coefs[0])
    dtype = F.result_type(X.dtype, *coefs)
    units = sum(c.shape[1] for c in coefs)
    if not sparse.issparse(X) and X.dtype != dtype:
        units += X.shape[1]
    row_bytes = np.dtype(_dtype_name(dtype)).itemsize * units
    return max(1, int(get_config()["working_memory"] * 2**20 // row_bytes))


def _float_dtypes(X):
    """float64 and float32 of ``X``'s namespace (numpy's unless dispatching)."""
    xp, _ = get_namespace(X)
    return (xp.float64, xp.float32)


def _rows(F, a, rows):
    """``a[rows]`` for rows given as an index array of ``F``'s namespace."""
    return a[rows] if F is NUMPY else F.take(a, rows, axis=0)


def _np_dtype(dtype):
    """The numpy dtype of the same name as an array library's ``dtype``."""
    return np.dtype(_dtype_name(dtype))


def _dtype_name(dtype):
    return getattr(dtype, "name", None) or str(dtype).rsplit(".", 1)[-1]


def _feature_scale(X):
    """The largest root mean square of a feature (column) of ``X``."""
    if sparse.issparse(X):
        squares = X.multiply(X).mean(axis=0)
    elif ops(X) is not NUMPY:
        F = ops(X)
        squares = to_host(F.sum(X * X, axis=0)) / X.shape[0]
    else:
        squares = np.einsum("ij,ij->j", X, X) / X.shape[0]
    return float(np.sqrt(np.max(squares))) if X.shape[1] else 0.0
