"""The training loop: epochs, batches, the L-BFGS bridge, stopping and divergence.

A floor of its own: it takes the data, the parameters, the settings and the
run's history, trains, and returns what happened.  It knows nothing of
scikit-learn's estimator API; the estimators turn its results into fitted
attributes.
"""

import copy
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning

from ._arrays import NUMPY, ops, to_host
from ._losses import loss_value
from ._mlp_messages import mlp_convergence_message
from ._network import (
    Parameters,
    allocate,
    forward_pass,
    l2_penalty,
    loss_and_gradient,
)
from ._optimizers import SGD, Adam, lbfgs, scipy_blas_single_thread

# An epoch loss this many times the first one means the run has diverged.
_EXPLOSION = 1e6

# A loss within this share of the constant prediction's is on the plateau:
# the network has learned nothing from X yet.
PLATEAU_MARGIN = 0.01


class _Diverged(Exception):
    """Raised inside a training run when the objective stops being finite."""


class TrainingDiverged(Exception):
    """Training diverged before any finished epoch improved on its start.

    Parameters
    ----------
    epoch : int
        The epoch (of this run) in which the objective stopped being finite
        or exploded.
    start_objective : float
        The objective at the starting weights, which no epoch beat.
    """

    def __init__(self, epoch, start_objective):
        super().__init__(epoch, start_objective)
        self.epoch = epoch
        self.start_objective = start_objective


@dataclass(frozen=True)
class Network:
    """What the forward and backward passes need besides the weights.

    Parameters
    ----------
    activation : str
        Activation of the hidden layers.
    out_activation : str
        Activation of the output layer.
    loss : str
        Name of the loss ``E``.
    alpha : float
        L2 penalty.
    """

    activation: str
    out_activation: str
    loss: str
    alpha: float

    def forward(self, X, coefs, intercepts, chunk_rows=None):
        """The network's output on ``X`` (a forward pass into fresh buffers).

        With ``chunk_rows``, the hidden layers' buffers hold that many rows
        and are reused chunk after chunk; each chunk's output is written
        into its rows of the result.
        """
        F = ops(coefs[0])
        layer_units = [X.shape[1]] + [c.shape[1] for c in coefs]
        dtype = F.result_type(X.dtype, *coefs, *intercepts)
        # numpy promotes in matmul; torch refuses: its X is cast (by chunk).
        cast = F is not NUMPY and X.dtype != dtype
        n_rows = X.shape[0]
        if chunk_rows is None or chunk_rows >= n_rows:
            X = F.xp.astype(X, dtype) if cast else X
            outs, _ = allocate(layer_units, n_rows, dtype, deltas=False, F=F)
            return forward_pass(
                X, coefs, intercepts, self.activation, self.out_activation, outs
            )
        if sparse.issparse(X) and X.format != "csr":
            X = X.tocsr()  # row slices of CSR cost their rows, of CSC all of it
        result = F.empty((n_rows, layer_units[-1]), dtype)
        hidden, _ = allocate(layer_units[:-1], chunk_rows, dtype, deltas=False, F=F)
        for start in range(0, n_rows, chunk_rows):
            stop = min(start + chunk_rows, n_rows)
            outs = [None] + [o[: stop - start, ...] for o in hidden[1:]]
            outs.append(result[start:stop, ...])
            X_chunk = X[start:stop, ...]
            forward_pass(
                F.xp.astype(X_chunk, dtype) if cast else X_chunk,
                coefs,
                intercepts,
                self.activation,
                self.out_activation,
                outs,
            )
        return result

    def mean_loss(self, X, Y, sw, params, penalty=False, chunk=1024):
        """Weighted mean loss of ``params`` on ``X``, ``Y`` (plus the L2 term).

        The forward pass runs ``chunk`` rows at a time, so that memory stays
        O(chunk x widest layer) whatever the number of rows.
        """
        E = 0.0
        for start in range(0, X.shape[0], chunk):
            rows = slice(start, min(start + chunk, X.shape[0]))
            out = self.forward(X[rows, ...], params.coefs, params.intercepts)
            w = None if sw is None else sw[rows]
            E += loss_value(self.loss, self.out_activation, Y[rows, ...], out, w)
        if penalty:
            E += l2_penalty(params, self.alpha)
        return E / (X.shape[0] if sw is None else ops(sw).total(sw))

    def constant_loss(self, Y, sw):
        """Weighted mean loss of the best constant prediction, the mean of ``Y``.

        Every row predicts the (weighted) mean target: the class frequencies
        for a classifier, the mean for a regressor.  This is the loss of a
        network that has learned nothing from ``X``, the plateau that
        sigmoid networks often start on.  0 when ``Y`` is constant up to
        rounding: then there is nothing to learn.
        """
        # On the host in float64 (the targets are small next to X), so that
        # the rounding of a float32 mean does not pass for variation.
        Y = np.asarray(to_host(Y), dtype=np.float64)
        sw = None if sw is None else np.asarray(to_host(sw), dtype=np.float64)
        total = Y.shape[0] if sw is None else sw.sum()
        mean = (Y.sum(axis=0) if sw is None else sw @ Y) / total
        out = np.broadcast_to(mean, Y.shape)
        E = loss_value(self.loss, self.out_activation, Y, out, sw) / total
        # Below 64 eps of the largest target squared, E is rounding (or the
        # log-losses' clipping at eps); divided twice, so as not to overflow.
        largest = np.abs(Y).max()
        if not largest > 0 or not E / largest / largest > 64 * np.finfo(float).eps:
            return 0.0
        return E

    def loss_and_gradient(self, X, Y, params, grads, outs, deltas, sw):
        """Objective of one batch; writes its gradient into ``grads``."""
        return loss_and_gradient(
            X,
            Y,
            params,
            grads,
            outs,
            deltas,
            activation=self.activation,
            out_activation=self.out_activation,
            loss=self.loss,
            alpha=self.alpha,
            sample_weight=sw,
            overwrite_outs=True,
        )


@dataclass(frozen=True)
class Settings:
    """How to train: the estimator's training parameters, resolved.

    ``batch_size`` is a number of rows; ``make_optimizer(n_params, dtype, F)``
    builds a fresh sgd or adam optimizer with its state made by the array
    operations ``F`` (None for lbfgs).  With ``standardise``, a fresh
    optimizer steps the first layer as if the inputs were standardised
    (:func:`input_coordinates` of the rows it is made for); a kept one
    (``partial_fit``) keeps the coordinates it was made with.
    """

    solver: str
    batch_size: int
    shuffle: bool
    max_iter: int
    tol: float
    n_iter_no_change: float
    max_fun: int
    verbose: int
    make_optimizer: object = None
    standardise: bool = False


@dataclass
class Validation:
    """The held-out rows of early stopping.

    ``score(params)`` is the estimator's score of the weights ``params`` on
    the held-out rows; ``X``, ``Y`` and ``sample_weight`` give the
    validation loss.
    """

    X: object
    Y: np.ndarray
    sample_weight: object
    score: object


@dataclass
class History:
    """The record of training that fitted attributes are made from.

    A run starts from a fresh history or continues a fitted one (warm start,
    ``partial_fit``); it updates it as epochs finish.
    """

    loss: float = np.inf
    loss_curve: list = field(default_factory=list)
    best_loss: float = np.inf
    validation_scores: list = None
    validation_loss_curve: list = None
    best_validation_score: float = None
    n_iter: int = 0
    t: int = 0
    optimizer: object = None
    no_improvement_count: int = 0

    @classmethod
    def fresh(cls, validating):
        """An empty history; with validation it tracks validation scores."""
        if validating:
            return cls(
                best_loss=None,
                validation_scores=[],
                validation_loss_curve=[],
                best_validation_score=-np.inf,
            )
        return cls()

    def continued(self, validating):
        """A copy to continue, tracking what this run tracks.

        The copy counts its own epochs (``n_iter`` starts at 0, as
        scikit-learn's ``n_iter_`` counts those of the last call) and keeps
        the rest: the loss curve, ``t``, the best scores, and a copy of the
        optimizer, so that a failed run leaves the original as it was.  A run
        with a validation set tracks the validation score; one without (no
        early stopping, or ``partial_fit``) tracks ``best_loss``, which a run
        under early stopping left as None.
        """
        h = History(**vars(self))
        h.n_iter = 0
        h.optimizer = copy.deepcopy(self.optimizer)
        h.loss_curve = list(self.loss_curve)
        if self.validation_scores is not None:
            h.validation_scores = list(self.validation_scores)
            h.validation_loss_curve = list(self.validation_loss_curve)
        if validating and h.validation_scores is None:
            h.validation_scores = []
            h.validation_loss_curve = []
            h.best_validation_score = -np.inf
        if not validating and h.best_loss is None:
            h.best_loss = min(h.loss_curve, default=np.inf)
        return h


@dataclass
class Outcome:
    """How a run ended.

    ``stopped`` says a callback asked to stop; ``diverged_at`` is the epoch
    of this run that diverged (None if none did), the weights kept then being
    those of an earlier, better epoch.
    """

    converged: bool
    interrupted: bool = False
    stopped: bool = False
    diverged_at: int = None


def train(
    X,
    Y,
    sw,
    params,
    history,
    network,
    settings,
    *,
    val=None,
    rng=None,
    epochs=None,
    hooks=None,
):
    """Train ``params`` in place from ``history``; return the run's outcome.

    Parameters
    ----------
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Training rows.
    Y : ndarray of shape (n_samples, n_outputs)
        Targets, encoded for the output layer.
    sw : ndarray of shape (n_samples,) or None
        Sample weights.
    params : Parameters
        Starting weights; trained in place.
    history : History
        Updated in place as epochs finish.
    network : Network
        Activations, loss and L2 penalty.
    settings : Settings
        Solver, batches and stopping rules.
    val : Validation or None
        Held-out rows of early stopping.
    rng : RandomState
        Shuffles the rows (sgd, adam).
    epochs : int or None
        Epochs to run; None for ``settings.max_iter``.  ``partial_fit`` runs one.
    hooks : object or None
        Told of each epoch (L-BFGS iteration): ``hooks.begin()`` when it
        starts, ``hooks.end(params)`` when it finishes, which returns True to
        stop training, and ``hooks.close()`` when training ends.

    Returns
    -------
    outcome : Outcome
    """
    run = _Run(X, Y, sw, params, history, network, settings, val, hooks)
    return run.train(rng, epochs)


def input_coordinates(X, sw, dtype, F, chunk=1024):
    """Each feature's (weighted) mean and deviation: where sgd and adam step.

    The first layer is stepped as if the inputs were ``(x - mean) / scale``
    (``_optimizers._Optimizer.standardise_inputs``).  A feature constant up
    to rounding (a deviation within ten roundings of its mean in ``dtype``)
    keeps its own units, mean 0 and scale 1: centred, its gradient would be
    rounding noise, which adam scales up to full steps.  Computed in float64
    on the host, in two passes (exact); ``chunk`` rows of a dense ``X`` at a
    time, the stored values of a sparse one.

    Returns
    -------
    mean : array of shape (n_features,)
    scale : array of shape (n_features, 1)
        Both on ``F``'s device, in ``dtype``.
    """
    n, n_features = X.shape
    w = np.ones(n) if sw is None else np.asarray(to_host(sw), dtype=np.float64)
    total = w.sum()
    if not total > 0:
        mean = var = np.zeros(n_features)
    elif sparse.issparse(X):
        X = X.tocsr()
        # Per stored value: its column and its row's weight; the zeros of a
        # column add (0 - mean)^2 with the weight of the rows not stored.
        col, row_w = X.indices, np.repeat(w, np.diff(X.indptr))
        values = np.asarray(X.data, dtype=np.float64)

        def column_sum(weights):
            return np.bincount(col, weights=weights, minlength=n_features)

        mean = column_sum(row_w * values) / total
        unstored = total - column_sum(row_w)
        var = column_sum(row_w * (values - mean[col]) ** 2) + unstored * mean**2
        var /= total
    else:

        def column_sum(f):
            result = np.zeros(n_features)
            for start in range(0, n, chunk):
                rows = slice(start, min(start + chunk, n))
                result += w[rows] @ f(np.asarray(to_host(X[rows, ...]), np.float64))
            return result

        mean = column_sum(lambda a: a) / total
        var = column_sum(lambda a: (a - mean) ** 2) / total
    eps = np.finfo(np.dtype(str(dtype).rsplit(".", 1)[-1])).eps
    constant = var <= (10 * eps * mean) ** 2
    mean = np.where(constant, 0.0, mean)
    scale = np.where(constant, 1.0, np.sqrt(var))
    return F.asarray(mean, dtype), F.asarray(scale[:, None], dtype)


class _Run:
    """One training run: the loop and its bookkeeping between epochs."""

    def __init__(self, X, Y, sw, params, history, network, settings, val, hooks):
        self.X, self.Y, self.sw, self.hooks = X, Y, sw, hooks
        self.params, self.history = params, history
        self.network, self.settings, self.val = network, settings, val
        self.F = F = ops(params.flat)
        # Weights of the last finished epoch, of the one before, and the start.
        self.last_good = F.copy(params.flat)
        self.previous_good = F.copy(params.flat)
        self.start = F.copy(params.flat)
        # The epoch with the lowest loss so far, kept if training diverges.
        self.best_epoch = F.copy(params.flat)
        self.best_epoch_loss, self.best_epoch_n = np.inf, 0
        self.epoch_began = None
        self.lbfgs_result = None
        # A continued run starts from the previous run's best validation
        # weights: they stay the best until an epoch scores higher.
        validated_before = val is not None and history.validation_scores
        self.best_flat = F.copy(params.flat) if validated_before else None
        # The constant prediction's loss, whose neighbourhood is the plateau
        # (0 when the targets leave nothing to learn); an epoch's loss adds
        # the L2 term once per batch, over the total weight.
        self.constant = network.constant_loss(Y, sw)
        self.total_weight = X.shape[0] if sw is None else F.total(sw)
        self.n_batches = (
            1 if settings.solver == "lbfgs" else -(-X.shape[0] // settings.batch_size)
        )

    def train(self, rng, epochs):
        settings, history, params = self.settings, self.history, self.params
        incremental = epochs is not None
        outcome = self.outcome = Outcome(converged=False)
        self.epoch_began = time.perf_counter()
        try:
            with np.errstate(all="ignore"), scipy_blas_single_thread():
                if settings.solver == "lbfgs":
                    outcome.converged = self._lbfgs()
                else:
                    outcome.converged = self._stochastic(
                        rng, settings.max_iter if epochs is None else epochs
                    )
        except _Diverged:
            outcome.diverged_at = history.n_iter + 1
            self._keep_best_epoch(outcome.diverged_at)
            # The optimizer's state (momentum, moments) is spoilt; a warm start
            # or partial_fit begins afresh, with the current learning rate.
            history.optimizer = None
            outcome.converged = True
        except KeyboardInterrupt:
            self._keep_last_finite()
            warnings.warn(
                f"Training interrupted by the user after {history.n_iter} epochs; "
                "the weights of the last finished epoch are kept.",
                UserWarning,
            )
            outcome.converged = outcome.interrupted = True
        finally:
            if self.hooks is not None:
                self.hooks.close()
        if self.best_flat is not None:
            params.flat[...] = self.best_flat
        if not outcome.converged and not incremental:
            message = mlp_convergence_message(
                settings.solver, settings.max_iter, self.lbfgs_result
            )
            if message is not None:
                warnings.warn(message, ConvergenceWarning)
        return outcome

    def _stochastic(self, rng, n_epochs):
        """Epochs of mini-batch sgd or adam.  Returns whether training converged."""
        X, Y, sw, params, F = self.X, self.Y, self.sw, self.params, self.F
        settings, history = self.settings, self.history
        n_samples, dtype = X.shape[0], params.flat.dtype
        layer_units = [c.shape[0] for c in params.coefs] + [Y.shape[1]]
        batch_size = settings.batch_size
        outs, deltas = allocate(layer_units, batch_size, dtype, F=F)
        grads = Parameters(layer_units, dtype=dtype, F=F)
        kind = SGD if settings.solver == "sgd" else Adam
        if (
            not isinstance(history.optimizer, kind)
            or history.optimizer.size != params.flat.shape[0]
        ):
            history.optimizer = settings.make_optimizer(params.flat.shape[0], dtype, F)
            if settings.standardise:
                mean, scale = input_coordinates(X, sw, dtype, F)
                history.optimizer.standardise_inputs(mean, scale, params)
        optimizer = history.optimizer
        total_weight = n_samples if sw is None else F.total(sw)
        gather = settings.shuffle and not sparse.issparse(X)
        if gather:
            X_buf = F.empty((batch_size, X.shape[1]), dtype)
            Y_buf = F.empty((batch_size, Y.shape[1]), dtype)
            sw_buf = None if sw is None else F.empty(batch_size, dtype)
        bounds = [
            (start, min(start + batch_size, n_samples))
            for start in range(0, n_samples, batch_size)
        ]
        for _ in range(n_epochs):
            if self.hooks is not None:
                self.hooks.begin()
            order = rng.permutation(n_samples) if settings.shuffle else None
            if gather:
                order = F.asarray(order)  # on a device: one copy per epoch
            accumulated = 0.0
            for start, stop in bounds:
                m = stop - start
                if order is None:
                    Xb, Yb = X[start:stop, ...], Y[start:stop, ...]
                    swb = None if sw is None else sw[start:stop]
                elif gather:
                    # mode="clip" lets numpy gather straight into the buffer
                    # (the indices are in range; "raise" copies through one).
                    idx = order[start:stop]
                    Xb = F.take(X, idx, axis=0, out=X_buf[:m, ...], mode="clip")
                    Yb = F.take(Y, idx, axis=0, out=Y_buf[:m, ...], mode="clip")
                    swb = (
                        None
                        if sw is None
                        else F.take(sw, idx, axis=0, out=sw_buf[:m], mode="clip")
                    )
                else:
                    idx = order[start:stop]
                    Xb, Yb = X[idx], Y[idx]
                    swb = None if sw is None else sw[idx]
                batch_weight = m if swb is None else F.total(swb)
                if batch_weight == 0:
                    continue
                if m == batch_size:
                    outs_b, deltas_b = outs, deltas
                else:
                    outs_b = [None] + [o[:m, ...] for o in outs[1:]]
                    deltas_b = [d[:m, ...] for d in deltas]
                batch_loss = self.network.loss_and_gradient(
                    Xb, Yb, params, grads, outs_b, deltas_b, swb
                )
                if not np.isfinite(batch_loss):
                    raise _Diverged
                optimizer.step(params.flat, grads.flat)
                accumulated += batch_loss * batch_weight
            if self._end_epoch(accumulated / total_weight):
                return True
        return False

    def _lbfgs(self):
        """Full-batch L-BFGS through scipy.  Returns whether training converged."""
        X, Y, sw, params, F = self.X, self.Y, self.sw, self.params, self.F
        settings = self.settings
        dtype = params.flat.dtype
        layer_units = [c.shape[0] for c in params.coefs] + [Y.shape[1]]
        outs, deltas = allocate(layer_units, X.shape[0], dtype, F=F)
        grads = Parameters(layer_units, dtype=dtype, F=F)

        # scipy's L-BFGS-B works on float64 numpy vectors on the host: only
        # the parameter vector and its gradient cross over; the passes stay
        # on the arrays' device.
        def objective(x):
            params.flat[...] = x if F is NUMPY else F.asarray(x, dtype)
            value = self.network.loss_and_gradient(
                X, Y, params, grads, outs, deltas, sw
            )
            if not np.isfinite(value) or not F.all_finite(grads.flat):
                # Tell the line search to step back rather than stop on a NaN.
                return np.inf, np.zeros(x.shape)
            return value, to_host(grads.flat).astype(np.float64)

        def callback(intermediate_result):
            x = intermediate_result.x
            params.flat[...] = x if F is NUMPY else F.asarray(x, dtype)
            if self._end_epoch(float(intermediate_result.fun)):
                raise StopIteration
            if self.hooks is not None:
                self.hooks.begin()

        if self.hooks is not None:
            self.hooks.begin()
        result = lbfgs(
            objective,
            to_host(params.flat).astype(np.float64),
            max_iter=settings.max_iter,
            max_fun=settings.max_fun,
            tol=settings.tol,
            callback=callback,
        )
        params.flat[...] = result.x if F is NUMPY else F.asarray(result.x, dtype)
        if not np.isfinite(result.fun) or not F.all_finite(params.flat):
            raise _Diverged
        self.history.loss = float(result.fun)
        self.lbfgs_result = result
        # As MLP: any ending of scipy's but success (0) warns; a callback's
        # StopIteration (99) is a requested stop.
        return result.status in (0, 99)

    def _end_epoch(self, loss):
        """Bookkeeping after an epoch: loss curve, validation, stopping.

        Parameters
        ----------
        loss : float
            The epoch's objective.

        Returns
        -------
        stop : bool
            Whether training should stop now.
        """
        params, history, settings, val = (
            self.params,
            self.history,
            self.settings,
            self.val,
        )
        if not np.isfinite(loss) or not self.F.all_finite(params.flat):
            raise _Diverged
        if history.loss_curve and loss > _EXPLOSION * max(history.loss_curve[0], 1.0):
            raise _Diverged
        if val is not None:
            # Scored before the history changes: an interruption here leaves
            # the epoch unfinished and every curve in step.
            score = val.score(params)
            val_loss = self.network.mean_loss(val.X, val.Y, val.sample_weight, params)
        self.previous_good[...] = self.last_good
        self.last_good[...] = params.flat
        history.n_iter += 1
        if loss < self.best_epoch_loss:
            self.best_epoch[...] = params.flat
            self.best_epoch_loss, self.best_epoch_n = loss, history.n_iter
        history.t += self.X.shape[0]
        if history.optimizer is not None:
            history.optimizer.end_epoch(history.t)
        history.loss = loss
        history.loss_curve.append(loss)
        message = f"Iteration {history.n_iter}, loss = {loss:.8f}"
        if val is not None:
            history.validation_scores.append(score)
            history.validation_loss_curve.append(val_loss)
            message += (
                f", validation score = {score:.6f}, validation loss = {val_loss:.8f}"
            )
            improved = score >= history.best_validation_score + settings.tol
            if score > history.best_validation_score:
                history.best_validation_score = score
                self.best_flat = self.F.copy(params.flat)
        else:
            improved = loss <= history.best_loss - settings.tol
            history.best_loss = min(history.best_loss, loss)
        if improved:
            history.no_improvement_count = 0
        elif not self._on_plateau(loss):
            # Epochs on the plateau do not count: the loss is flat there
            # because the sigmoids' out (1 - out) passes little back, not
            # because training has converged.
            history.no_improvement_count += 1
        if settings.verbose:
            seconds = time.perf_counter() - self.epoch_began
            print(f"{message}, {seconds:.3f} s")
        self.epoch_began = time.perf_counter()
        if self.hooks is not None and self.hooks.end(params):
            self.outcome.stopped = True
            if settings.verbose:
                print("A callback asked training to stop.")
            return True
        if settings.solver == "lbfgs" and val is None:
            # As MLPClassifier: L-BFGS stops by scipy's criteria alone.
            return False
        if history.no_improvement_count > settings.n_iter_no_change:
            what = "Validation score" if val is not None else "Training loss"
            if settings.verbose:
                print(
                    f"{what} did not improve more than tol={settings.tol} for "
                    f"{settings.n_iter_no_change} consecutive epochs."
                )
            optimizer = history.optimizer
            stop = True if optimizer is None else optimizer.stalled(settings.verbose)
            history.no_improvement_count = 0
            return stop
        return False

    def _on_plateau(self, loss):
        """Whether the epoch's data loss is within PLATEAU_MARGIN of the constant's.

        The data loss is the epoch's loss less its L2 terms, taken at the
        epoch's final weights: close enough for a band of 1%.
        """
        if not self.constant > 0:
            return False
        alpha = self.network.alpha
        if alpha:
            penalty = l2_penalty(self.params, alpha) / self.total_weight
            loss -= self.n_batches * penalty
        return abs(loss - self.constant) <= PLATEAU_MARGIN * self.constant

    def _keep_last_finite(self):
        """Set ``params`` to the newest snapshot whose output on ``X`` is finite.

        Training stopped early (divergence or interruption).  The weights of
        the last finished epoch were only ever seen batch by batch while they
        changed, so their output is checked on the whole of ``X``; if it is
        not finite, the epoch before is tried, then the run's starting
        weights, which are kept whatever their output.  The epochs given up
        are dropped from ``n_iter``, ``t`` and the loss curves.
        """
        params, history = self.params, self.history
        n_run = history.n_iter
        candidates = [(self.last_good, 0), (self.previous_good, 1), (self.start, n_run)]
        candidates = [(flat, back) for flat, back in candidates if back <= n_run]
        back = candidates[-1][1]  # kept whatever its output
        for flat, epochs_back in candidates:
            params.flat[...] = flat
            with np.errstate(all="ignore"):
                out = self.network.forward(self.X, params.coefs, params.intercepts)
            if self.F.all_finite(out):
                back = epochs_back
                break
        self._drop_epochs(back)

    def _keep_best_epoch(self, diverged_at):
        """After divergence, keep the finished epoch with the lowest objective.

        The candidates are the last finished epoch, the one before and the
        one with the lowest epoch loss; each is scored by the objective at its
        weights on all of ``X`` (an epoch's loss averages batches while the
        weights moved).  The best is kept if it beats the objective at the
        run's start; otherwise :class:`TrainingDiverged` is raised.  Under
        early stopping the best validation epoch is kept instead, if this
        run finished one.
        """
        params, n = self.params, self.history.n_iter
        if self.val is not None:
            if n == 0:
                raise TrainingDiverged(diverged_at, np.nan)
            self._keep_last_finite()
            return
        candidates = {
            epoch: flat
            for flat, epoch in (
                (self.best_epoch, self.best_epoch_n),
                (self.previous_good, n - 1),
                (self.last_good, n),
            )
            if epoch >= 1
        }
        start_objective = self._objective(self.start)
        scored = [(self._objective(flat), epoch) for epoch, flat in candidates.items()]
        best_objective, best_epoch = min(scored, default=(np.inf, None))
        if not best_objective < start_objective:
            raise TrainingDiverged(diverged_at, start_objective)
        params.flat[...] = candidates[best_epoch]
        self._drop_epochs(n - best_epoch)

    def _objective(self, flat):
        """The objective (mean loss plus L2 term) at the weights ``flat``."""
        self.params.flat[...] = flat
        with np.errstate(all="ignore"):
            value = self.network.mean_loss(
                self.X, self.Y, self.sw, self.params, penalty=True
            )
        return value if np.isfinite(value) else np.inf

    def _drop_epochs(self, back):
        """Cut the last ``back`` epochs from the history."""
        history, val = self.history, self.val
        for _ in range(back):
            history.loss_curve.pop()
            if val is not None:
                history.validation_scores.pop()
                history.validation_loss_curve.pop()
        history.n_iter -= back
        history.t -= back * self.X.shape[0]
        history.loss = history.loss_curve[-1] if history.loss_curve else np.inf
        if history.best_loss is not None:
            history.best_loss = min(history.loss_curve, default=np.inf)
