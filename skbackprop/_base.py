"""The shared estimator: validation, initialisation and the training loop."""

import warnings
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, _fit_context, is_classifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_sample_weight,
    check_is_fitted,
    validate_data,
)

from ._losses import loss_value
from ._network import (
    Parameters,
    allocate,
    forward_pass,
    init_params,
    l2_penalty,
    loss_and_gradient,
)
from ._optimizers import SGD, Adam, lbfgs, scipy_blas_single_thread
from ._trace import backprop_trace

# Fitted state that one training run produces; ``n_init`` keeps the best run's.
_RUN_STATE = (
    "coefs_",
    "intercepts_",
    "loss_",
    "loss_curve_",
    "best_loss_",
    "validation_scores_",
    "validation_loss_curve_",
    "best_validation_score_",
    "n_iter_",
    "t_",
    "_optimizer",
    "_no_improvement_count",
)

# learning_rate_init="auto": rates that train well with these solvers' defaults.
_AUTO_LEARNING_RATE = {"sgd": 0.1, "adam": 0.01, "lbfgs": None}

# An epoch loss this many times the first one means the run has diverged.
_EXPLOSION = 1e6


class _Diverged(Exception):
    """Raised inside a training run when the objective stops being finite."""


class _BaseBackprop(BaseEstimator):
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
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "beta_1": [Interval(Real, 0, 1, closed="left")],
        "beta_2": [Interval(Real, 0, 1, closed="left")],
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "max_fun": [Interval(Integral, 1, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
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
        self.scoring = scoring

    # ------------------------------------------------------------------
    # Hooks for the subclasses
    # ------------------------------------------------------------------
    def _encode_targets(self, y, first_call, classes=None):
        """Validate ``y``, set target state on the first call, return 2-D targets."""
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

    def _fit(
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
        hidden = self._hidden_units()
        fitted = hasattr(self, "coefs_")
        continuing = (
            fitted
            and (incremental or self.warm_start)
            and coefs_init is None
            and intercepts_init is None
        )
        X_orig, y_orig = X, y
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse=("csr", "csc"),
            dtype=(np.float64, np.float32),
            multi_output=True,
            y_numeric=not is_classifier(self),
            reset=not continuing,
        )
        if sparse.issparse(X):
            X = X.tocsr()
        if sparse.issparse(y):
            y = y.toarray()
        dtype = X.dtype
        Y = self._encode_targets(y, first_call=not continuing, classes=classes)
        Y = np.ascontiguousarray(Y, dtype=dtype)
        sw = self._sample_weight(X, y, sample_weight, incremental)

        if continuing and isinstance(self.random_state, Integral):
            # A fresh stream per continued call, reproducible from the seed.
            rng = np.random.RandomState([self.random_state, self.n_iter_])
        else:
            rng = check_random_state(self.random_state)

        layer_units = [X.shape[1], *hidden, self.n_outputs_]
        val = None
        if self.early_stopping and not incremental:
            X, Y, sw, val = self._split_validation(X_orig, y_orig, X, y, Y, sw, rng)

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
            if not incremental:
                # A new fit uses the current hyperparameters; only partial_fit
                # carries the optimizer's state (momentum, moments) over.
                self._optimizer = None
            starts = [Parameters.from_layers(self.coefs_, self.intercepts_, dtype)]
        elif coefs_init is not None or intercepts_init is not None:
            starts = [
                self._initial_params(layer_units, coefs_init, intercepts_init, dtype)
            ]
        else:
            starts = None  # random, drawn per run so that runs draw in sequence
        self.n_layers_ = len(layer_units)

        n_runs = 1 if starts is not None else self.n_init
        best_state, best_key = None, None
        for run in range(n_runs):
            params = (
                starts[0]
                if starts is not None
                else init_params(layer_units, self.activation, rng, dtype)
            )
            if continuing:
                self._continue_run_state(validating=val is not None)
            else:
                self._reset_run_state(validating=val is not None)
            interrupted = self._train(X, Y, sw, params, val, rng, incremental)
            if n_runs == 1 or interrupted:
                break
            if val is not None:
                key = -self.best_validation_score_
                what = "best validation score"
            else:
                # loss_ averages an epoch's batches while the weights moved;
                # the runs are ranked by the objective at their final weights.
                key = self._mean_loss(X, Y, sw, params, penalty=True)
                what = "final objective"
            if self.verbose:
                print(f"Run {run + 1} of {n_runs}: {what} {abs(key):.8f}")
            if best_key is None or key < best_key:
                best_key = key
                best_state = {name: getattr(self, name) for name in _RUN_STATE}
        if best_state is not None:
            self.__dict__.update(best_state)
        return self

    def _continue_run_state(self, validating):
        """Keep the history of the fitted run, adding what this run tracks.

        A run with a validation set (early stopping) tracks the validation
        score; one without (no early stopping, or ``partial_fit``) tracks
        ``best_loss_``, which a run under early stopping left as None.
        """
        if validating and self.validation_scores_ is None:
            self.validation_scores_ = []
            self.validation_loss_curve_ = []
            self.best_validation_score_ = -np.inf
        if not validating and self.best_loss_ is None:
            self.best_loss_ = min(self.loss_curve_, default=np.inf)

    def _reset_run_state(self, validating):
        self.loss_ = np.inf
        self.loss_curve_ = []
        self.n_iter_ = 0
        self.t_ = 0
        self._no_improvement_count = 0
        self._optimizer = None
        if validating:
            self.validation_scores_ = []
            self.validation_loss_curve_ = []
            self.best_validation_score_ = -np.inf
            self.best_loss_ = None
        else:
            self.validation_scores_ = None
            self.validation_loss_curve_ = None
            self.best_validation_score_ = None
            self.best_loss_ = np.inf

    def _sample_weight(self, X, y, sample_weight, incremental):
        """Validated sample weights times class weights, or None for all ones."""
        if sample_weight is not None:
            sample_weight = _check_sample_weight(
                sample_weight, X, dtype=X.dtype, ensure_non_negative=True
            )
        class_weight = getattr(self, "class_weight", None)
        if class_weight is not None:
            cw = self._class_sample_weight(y, incremental).astype(X.dtype)
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

    def _split_validation(self, X_orig, y_orig, X, y, Y, sw, rng):
        """Hold out ``validation_fraction`` of the rows for early stopping."""
        stratify = y if is_classifier(self) and self._y_type != "multilabel" else None
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
        sw_val = None if sw is None else sw[test]
        if sw_val is not None and not sw_val.any():
            raise ValueError(
                "The sample weights of the validation set are all zero; "
                "change random_state or validation_fraction."
            )
        val = {
            "X": X[test],
            "Y": Y[test],
            "sample_weight": sw_val,
            "X_orig": _take_rows(X_orig, test),
            "y_orig": _take_rows(y_orig, test),
        }
        sw_train = None if sw is None else sw[train]
        return X[train], Y[train], sw_train, val

    def _initial_params(self, layer_units, coefs_init, intercepts_init, dtype):
        """Check ``coefs_init`` and ``intercepts_init``; copy them into flat params."""
        shapes = list(zip(layer_units[:-1], layer_units[1:]))
        if coefs_init is None:
            raise ValueError("intercepts_init needs coefs_init as well.")
        if intercepts_init is None:
            intercepts_init = [np.zeros(b) for _, b in shapes]
        coefs = [np.asarray(c, dtype=dtype) for c in coefs_init]
        intercepts = [np.asarray(b, dtype=dtype) for b in intercepts_init]
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
        return Parameters.from_layers(coefs, intercepts, dtype)

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

    def _make_optimizer(self, n_params, dtype):
        if self.solver == "sgd":
            return SGD(
                n_params,
                dtype,
                self._learning_rate_init(),
                self.learning_rate,
                self.momentum,
                self.nesterovs_momentum,
                self.power_t,
            )
        return Adam(
            n_params,
            dtype,
            self._learning_rate_init(),
            self.beta_1,
            self.beta_2,
            self.epsilon,
        )

    def _train(self, X, Y, sw, params, val, rng, incremental):
        """One training run from ``params``, setting the fitted state on ``self``.

        Returns
        -------
        interrupted : bool
            Whether the user interrupted training (KeyboardInterrupt).
        """
        self.coefs_, self.intercepts_ = params.coefs, params.intercepts
        n_epochs = 1 if incremental else self.max_iter
        n_iter_start = self.n_iter_
        # Weights of the last finished epoch, of the one before, and the start.
        last_good = params.flat.copy()
        self._previous_good = last_good.copy()
        start = last_good.copy()
        # A continued run starts from the previous run's best validation
        # weights: they stay the best until an epoch scores higher.
        validated_before = val is not None and self.validation_scores_
        self._best_flat = start.copy() if validated_before else None
        interrupted = False
        try:
            with np.errstate(all="ignore"), scipy_blas_single_thread():
                if self.solver == "lbfgs":
                    converged = self._run_lbfgs(X, Y, sw, params, val, last_good)
                else:
                    converged = self._run_stochastic(
                        X, Y, sw, params, val, rng, n_epochs, last_good
                    )
        except _Diverged:
            epoch = self.n_iter_ + 1
            snapshots = [last_good, self._previous_good, start]
            self._keep_last_finite(X, params, val, snapshots, n_iter_start)
            # The optimizer's state (momentum, moments) is spoilt; a warm start
            # or partial_fit begins afresh, with the current learning rate.
            self._optimizer = None
            advice = (
                "scale the input features (e.g. with StandardScaler)"
                if self.solver == "lbfgs"
                else "lower learning_rate_init or scale the input features"
            )
            warnings.warn(
                f"Training diverged at epoch {epoch}: the objective became "
                "non-finite or exploded. The weights of the last finished epoch "
                f"with finite outputs (epoch {self.n_iter_}) are kept; {advice}.",
                ConvergenceWarning,
            )
            converged = True
        except KeyboardInterrupt:
            snapshots = [last_good, self._previous_good, start]
            self._keep_last_finite(X, params, val, snapshots, n_iter_start)
            warnings.warn(
                f"Training interrupted by the user after {self.n_iter_} epochs; "
                "the weights of the last finished epoch are kept.",
                UserWarning,
            )
            converged = interrupted = True
        if self._best_flat is not None:
            params.flat[...] = self._best_flat
        del self._best_flat, self._previous_good
        if not converged and not incremental:
            warnings.warn(
                f"{self.solver} optimizer: maximum iterations ({self.max_iter}) "
                "reached and the optimization hasn't converged yet.",
                ConvergenceWarning,
            )
        curve = self.loss_curve_
        if not incremental and len(curve) > 1 and curve[-1] > curve[0]:
            warnings.warn(
                f"Training ended with a higher loss ({curve[-1]:.6g}) than after "
                f"its first epoch ({curve[0]:.6g}): learning_rate_init is "
                "probably too large.",
                ConvergenceWarning,
            )
        return interrupted

    def _run_stochastic(self, X, Y, sw, params, val, rng, n_epochs, last_good):
        """Epochs of mini-batch sgd or adam.  Returns whether training converged."""
        n_samples, dtype = X.shape[0], params.flat.dtype
        layer_units = [c.shape[0] for c in params.coefs] + [self.n_outputs_]
        batch_size = self._batch_size(n_samples)
        outs, deltas = allocate(layer_units, batch_size, dtype)
        grads = Parameters(layer_units, dtype=dtype)
        kind = SGD if self.solver == "sgd" else Adam
        if (
            not isinstance(self._optimizer, kind)
            or self._optimizer.size != params.flat.size
        ):
            self._optimizer = self._make_optimizer(params.flat.size, dtype)
        optimizer = self._optimizer
        total_weight = n_samples if sw is None else float(sw.sum())
        gather = self.shuffle and not sparse.issparse(X)
        if gather:
            X_buf = np.empty((batch_size, X.shape[1]), dtype=dtype)
            Y_buf = np.empty((batch_size, Y.shape[1]), dtype=dtype)
            sw_buf = None if sw is None else np.empty(batch_size, dtype=dtype)
        bounds = [
            (start, min(start + batch_size, n_samples))
            for start in range(0, n_samples, batch_size)
        ]
        for _ in range(n_epochs):
            order = rng.permutation(n_samples) if self.shuffle else None
            accumulated = 0.0
            for start, stop in bounds:
                m = stop - start
                if order is None:
                    Xb, Yb = X[start:stop], Y[start:stop]
                    swb = None if sw is None else sw[start:stop]
                elif gather:
                    # mode="clip" lets numpy gather straight into the buffer
                    # (the indices are in range; "raise" copies through one).
                    idx = order[start:stop]
                    Xb = np.take(X, idx, axis=0, out=X_buf[:m], mode="clip")
                    Yb = np.take(Y, idx, axis=0, out=Y_buf[:m], mode="clip")
                    swb = (
                        None
                        if sw is None
                        else np.take(sw, idx, out=sw_buf[:m], mode="clip")
                    )
                else:
                    idx = order[start:stop]
                    Xb, Yb = X[idx], Y[idx]
                    swb = None if sw is None else sw[idx]
                batch_weight = m if swb is None else float(swb.sum())
                if batch_weight == 0:
                    continue
                if m == batch_size:
                    outs_b, deltas_b = outs, deltas
                else:
                    outs_b = [None] + [o[:m] for o in outs[1:]]
                    deltas_b = [d[:m] for d in deltas]
                batch_loss = loss_and_gradient(
                    Xb,
                    Yb,
                    params,
                    grads,
                    outs_b,
                    deltas_b,
                    activation=self.activation,
                    out_activation=self.out_activation_,
                    loss=self.loss,
                    alpha=self.alpha,
                    sample_weight=swb,
                    overwrite_outs=True,
                )
                if not np.isfinite(batch_loss):
                    raise _Diverged
                optimizer.step(params.flat, grads.flat)
                accumulated += batch_loss * batch_weight
            if self._end_epoch(
                params, accumulated / total_weight, val, last_good, n_samples
            ):
                return True
        return False

    def _run_lbfgs(self, X, Y, sw, params, val, last_good):
        """Full-batch L-BFGS through scipy.  Returns whether training converged."""
        dtype = params.flat.dtype
        layer_units = [c.shape[0] for c in params.coefs] + [self.n_outputs_]
        outs, deltas = allocate(layer_units, X.shape[0], dtype)
        grads = Parameters(layer_units, dtype=dtype)

        def objective(x):
            params.flat[...] = x
            value = loss_and_gradient(
                X,
                Y,
                params,
                grads,
                outs,
                deltas,
                activation=self.activation,
                out_activation=self.out_activation_,
                loss=self.loss,
                alpha=self.alpha,
                sample_weight=sw,
                overwrite_outs=True,
            )
            if not np.isfinite(value) or not np.isfinite(grads.flat).all():
                # Tell the line search to step back rather than stop on a NaN.
                return np.inf, np.zeros(x.shape)
            return value, grads.flat.astype(np.float64)

        def callback(intermediate_result):
            params.flat[...] = intermediate_result.x
            loss = float(intermediate_result.fun)
            if self._end_epoch(params, loss, val, last_good, X.shape[0]):
                raise StopIteration

        result = lbfgs(
            objective,
            params.flat.astype(np.float64),
            max_iter=self.max_iter,
            max_fun=self.max_fun,
            tol=self.tol,
            callback=callback,
        )
        params.flat[...] = result.x
        if not np.isfinite(result.fun) or not np.isfinite(params.flat).all():
            raise _Diverged
        self.loss_ = float(result.fun)
        return result.status != 1

    def _end_epoch(self, params, loss, val, last_good, n_samples):
        """Bookkeeping after an epoch: loss curve, validation, stopping.

        Parameters
        ----------
        params : Parameters
            The weights after the epoch.
        loss : float
            The epoch's objective.
        val : dict or None
            The validation set under early stopping.
        last_good : ndarray
            Flat weights of the last finished epoch, updated here.
        n_samples : int
            Training rows seen in the epoch.

        Returns
        -------
        stop : bool
            Whether training should stop now.
        """
        if not np.isfinite(loss) or not np.isfinite(params.flat).all():
            raise _Diverged
        if self.loss_curve_ and loss > _EXPLOSION * max(self.loss_curve_[0], 1.0):
            raise _Diverged
        self._previous_good[...] = last_good
        last_good[...] = params.flat
        self.n_iter_ += 1
        self.t_ += n_samples
        if self._optimizer is not None:
            self._optimizer.end_epoch(self.t_)
        self.loss_ = loss
        self.loss_curve_.append(loss)
        message = f"Iteration {self.n_iter_}, loss = {loss:.8f}"
        if val is not None:
            score = self._validation_score(val)
            val_loss = self._validation_loss(params, val)
            self.validation_scores_.append(score)
            self.validation_loss_curve_.append(val_loss)
            message += (
                f", validation score = {score:.6f}, validation loss = {val_loss:.8f}"
            )
            improved = score >= self.best_validation_score_ + self.tol
            if score > self.best_validation_score_:
                self.best_validation_score_ = score
                self._best_flat = params.flat.copy()
        else:
            improved = loss <= self.best_loss_ - self.tol
            self.best_loss_ = min(self.best_loss_, loss)
        self._no_improvement_count = 0 if improved else self._no_improvement_count + 1
        if self.verbose:
            print(message)
        if self._no_improvement_count > self.n_iter_no_change:
            what = "Validation score" if val is not None else "Training loss"
            if self.verbose:
                print(
                    f"{what} did not improve more than tol={self.tol} for "
                    f"{self.n_iter_no_change} consecutive epochs."
                )
            optimizer = self._optimizer
            stop = True if optimizer is None else optimizer.stalled(self.verbose)
            self._no_improvement_count = 0
            return stop
        return False

    def _keep_last_finite(self, X, params, val, snapshots, n_iter_start):
        """Set ``params`` to the newest snapshot whose output on ``X`` is finite.

        Training stopped early (divergence or interruption).  The weights of
        the last finished epoch were only ever seen batch by batch while they
        changed, so their output is checked on the whole of ``X``; if it is
        not finite, the epoch before is tried, then the run's starting
        weights, which are kept whatever their output.  The epochs given up
        are dropped from ``n_iter_``, ``t_`` and the loss curves.

        Parameters
        ----------
        X : {ndarray, sparse matrix} of shape (n_samples, n_features)
            The training rows.
        params : Parameters
            Written in place.
        val : dict or None
            The validation set, when this run tracks validation scores.
        snapshots : list of ndarray
            Flat weights of the last finished epoch, of the one before and of
            the run's start.
        n_iter_start : int
            ``n_iter_`` when the run started.
        """
        n_run = self.n_iter_ - n_iter_start
        candidates = [(snapshots[0], 0), (snapshots[1], 1), (snapshots[2], n_run)]
        candidates = [(flat, back) for flat, back in candidates if back <= n_run]
        back = candidates[-1][1]  # kept whatever its output
        for flat, epochs_back in candidates:
            params.flat[...] = flat
            with np.errstate(all="ignore"):
                out = self._forward(X, params.coefs, params.intercepts)
            if np.isfinite(out).all():
                back = epochs_back
                break
        for _ in range(back):
            self.loss_curve_.pop()
            if val is not None:
                self.validation_scores_.pop()
                self.validation_loss_curve_.pop()
        self.n_iter_ -= back
        self.t_ -= back * X.shape[0]
        self.loss_ = self.loss_curve_[-1] if self.loss_curve_ else np.inf
        if self.best_loss_ is not None:
            self.best_loss_ = min(self.loss_curve_, default=np.inf)

    def _validation_score(self, val):
        scorer = check_scoring(self, scoring=self.scoring)
        kwargs = {}
        if val["sample_weight"] is not None:
            kwargs["sample_weight"] = val["sample_weight"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return float(scorer(self, val["X_orig"], val["y_orig"], **kwargs))

    def _validation_loss(self, params, val):
        return self._mean_loss(val["X"], val["Y"], val["sample_weight"], params)

    def _mean_loss(self, X, Y, sw, params, penalty=False, chunk=1024):
        """Weighted mean loss of ``params`` on ``X``, ``Y`` (plus the L2 term).

        The forward pass runs ``chunk`` rows at a time, so that memory stays
        O(chunk x widest layer) whatever the number of rows.
        """
        E = 0.0
        for start in range(0, X.shape[0], chunk):
            rows = slice(start, start + chunk)
            out = self._forward(X[rows], params.coefs, params.intercepts)
            w = None if sw is None else sw[rows]
            E += loss_value(self.loss, self.out_activation_, Y[rows], out, w)
        if penalty:
            E += l2_penalty(params, self.alpha)
        return E / (X.shape[0] if sw is None else float(sw.sum()))

    # ------------------------------------------------------------------
    # Prediction
    # ------------------------------------------------------------------
    def _forward(self, X, coefs, intercepts):
        layer_units = [X.shape[1]] + [c.shape[1] for c in coefs]
        dtype = np.result_type(X.dtype, *coefs, *intercepts)
        outs, _ = allocate(layer_units, X.shape[0], dtype, deltas=False)
        return forward_pass(
            X, coefs, intercepts, self.activation, self.out_activation_, outs
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
        X, y = validate_data(
            self,
            X,
            y,
            dtype=np.float64,
            multi_output=True,
            reset=False,
            y_numeric=not is_classifier(self),
        )
        Y = self._encode_targets(y, first_call=False)
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

    def _predict_out(self, X):
        """Validate ``X``; run the forward pass with ``coefs_`` and ``intercepts_``."""
        check_is_fitted(self)
        X = validate_data(
            self,
            X,
            accept_sparse=("csr", "csc"),
            dtype=(np.float64, np.float32),
            reset=False,
        )
        with np.errstate(all="ignore"):
            out = self._forward(X, self.coefs_, self.intercepts_)
        if not np.isfinite(out).all():
            raise ValueError(
                "The network's output is not finite: coefs_ or intercepts_ hold "
                "non-finite or overflowing values."
            )
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
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


def _take_rows(a, rows):
    """Rows of an array-like (numpy, pandas, list or sparse), kept in its type."""
    if hasattr(a, "iloc"):
        return a.iloc[rows]
    if sparse.issparse(a):
        return a[rows]
    return np.asarray(a)[rows]
