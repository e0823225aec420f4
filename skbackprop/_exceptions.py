"""Warnings of skbackprop's own."""

from sklearn.base import is_classifier
from sklearn.exceptions import ConvergenceWarning

from ._training import PLATEAU_MARGIN

# A fit warns when more than this share of the hidden outputs are saturated
# (or of relu units dead) and its loss stayed above STALLED_LOSS_RATIO times
# that of its first epoch. Measured with the default settings
# (benchmarks/saturation.py): standardised features and targets of unit scale
# give shares up to 0.35; five features multiplied by 1000, or the raw
# breast-cancer or wine features, give 0.98 to 0.998 with the loss still at
# 0.26 to 0.89 of the first epoch's (near chance accuracy for the first).
# Networks that fit their rows can saturate too (XOR solved with alpha=0 up to
# 0.94, raw digits with tanh and lbfgs 0.92), but their loss falls to under
# 0.01 of the first epoch's: their saturated units carry the fit.
SATURATION_WARNING_SHARE = 0.9
STALLED_LOSS_RATIO = 0.1


class SaturationWarning(ConvergenceWarning):
    """Most hidden units are saturated (sigmoid, tanh) or dead (relu) after fit.

    A saturated unit has ``f'(net)`` close to 0 on the training rows, so
    backpropagation passes almost no delta back through it and its incoming
    weights barely move; a dead relu unit outputs 0 on every row and passes
    none. Training then stalls, often at chance accuracy, without diverging.
    The usual cause is features on large scales (or, for regression, large
    targets); scaling them, e.g. with ``StandardScaler`` in a pipeline, is
    the fix.

    A fit warns when more than 90% of the hidden outputs are saturated (or
    of the relu units dead; the estimator's ``saturated_share_``) and its
    loss stayed above a tenth of its first epoch's: a network that fits its
    rows closely may saturate its units without harm.
    """


def saturation_message(estimator):
    """The text of a :class:`SaturationWarning` about a fitted estimator, or None.

    None when at most ``SATURATION_WARNING_SHARE`` of the hidden outputs are
    saturated, or when the loss fell below ``STALLED_LOSS_RATIO`` times that
    of the first epoch.
    """
    share, activation = estimator.saturated_share_, estimator.activation
    curve = estimator.loss_curve_
    stalled = not curve or estimator.loss_ > STALLED_LOSS_RATIO * curve[0]
    if share <= SATURATION_WARNING_SHARE or not stalled:
        return None
    if activation == "relu":
        what = f"{share:.0%} of the hidden relu units are dead (0 on every row)"
    else:
        what = (
            f"{share:.0%} of the hidden {activation} outputs are saturated "
            "(f'(net) near 0)"
        )
    targets = (
        " and the targets (e.g. with TransformedTargetRegressor)"
        if not is_classifier(estimator)
        else ""
    )
    return (
        f"{what} after training, so backpropagation passes almost nothing back "
        "through them and training stalls. Scale the features, e.g. with "
        f"make_pipeline(StandardScaler(), {type(estimator).__name__}(...)){targets}."
    )


class LearnedNothingWarning(ConvergenceWarning):
    """The fitted network predicts no better than a constant.

    After ``fit``, the training loss without the L2 term (the data term of
    ``E``, at the final weights) is compared with the loss of the best
    constant prediction: the class frequencies for a classifier, the mean
    target for a regressor (weighted by ``sample_weight``).  A fit whose loss
    is not at least 1% below it has learned nothing from ``X``, and warns.

    The usual causes are the sigmoid's plateau (``f'(net) = out (1 - out)``
    is at most 0.25, so little of the error is passed back at the start of
    training, least of all on features that are not centred), an L2 penalty
    ``alpha`` too strong for the data, or too few epochs.  ``partial_fit``
    does not check (one call is one epoch), nor does
    :func:`skbackprop.dask.fit_blocks` per block, nor a fit that was
    interrupted, stopped by a callback or diverged.
    """


def learned_nothing_message(estimator, data_loss, constant_loss):
    """The text of a :class:`LearnedNothingWarning`, or None if the fit learned.

    ``data_loss`` is the fitted network's mean training loss without the L2
    term; ``constant_loss`` that of the best constant prediction, 0 when the
    targets are constant and there is nothing to learn.
    """
    if not constant_loss > 0 or data_loss < (1 - PLATEAU_MARGIN) * constant_loss:
        return None
    constant = (
        "the class frequencies" if is_classifier(estimator) else "the mean target"
    )
    activation = estimator.activation
    causes = []
    if activation in ("logistic", "tanh"):
        causes.append(
            f"the {activation} units' plateau, where f'(net) passes little of the "
            "error back (worst on features that are not centred: scale them, "
            f"e.g. with make_pipeline(StandardScaler(), "
            f"{type(estimator).__name__}(...)))"
        )
    else:
        causes.append("features far from unit scale (scale them)")
    causes.append(
        f"an L2 penalty too strong for the data (alpha={estimator.alpha:g}: lower it)"
    )
    if estimator.n_iter_ >= estimator.max_iter:
        if estimator.solver == "lbfgs":
            causes.append(f"too few iterations ({estimator.n_iter_}: raise max_iter)")
        else:
            causes.append(
                f"too few epochs ({estimator.n_iter_} of max_iter="
                f"{estimator.max_iter}: raise max_iter or learning_rate_init)"
            )
    return (
        f"The fit learned nothing from X: its training loss without the L2 "
        f"term, {data_loss:.6g}, is not {PLATEAU_MARGIN:.0%} below "
        f"{constant_loss:.6g}, the loss of predicting {constant} for every row. "
        f"Likely causes: {'; '.join(causes)}."
    )
