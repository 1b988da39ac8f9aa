"""Split-conformal prediction intervals from held-out residuals.

Split conformal prediction (Vovk et al. 2005; Lei et al. 2018, "Distribution-
free predictive inference for regression") turns any point forecaster into
one with intervals: the absolute errors of its forecasts on ``n`` calibration
windows that it did not learn from give, per horizon step and target, the
``ceil((n + 1) * coverage)``-th smallest error ``q``, and ``forecast +- q``
covers a new window's true value with probability at least ``coverage``
whenever the new window and the calibration windows are exchangeable. That is
the finite-sample guarantee darts' ``ConformalNaiveModel``, neuralforecast's
``PredictionIntervals`` and sktime's ``ConformalIntervals`` rely on; it holds
on average over windows, not for each window.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np


def check_coverage(coverage) -> float:
    """Return ``coverage`` as a float, or raise if it is not in (0, 1).

    Parameters
    ----------
    coverage : float
        The probability the intervals should hold the true value with.

    Returns
    -------
    coverage : float
        The same value.
    """
    if isinstance(coverage, bool) or not isinstance(coverage, Real):
        given = f"{coverage!r} of type {type(coverage).__name__}"
    elif not 0 < coverage < 1:
        given = repr(coverage)
    else:
        return float(coverage)
    raise ValueError(
        f"coverage must be a float strictly between 0 and 1, got {given}. Pass "
        "e.g. coverage=0.9 for 90% intervals (not 90)."
    )


def conformal_quantiles(residuals, coverage: float) -> np.ndarray:
    """Width of split-conformal intervals, per horizon step and target.

    Parameters
    ----------
    residuals : array-like of shape (n_calibration, n_future, n_targets)
        Forecast errors ``y - y_pred`` (or their absolute values) of
        ``n_calibration`` windows the model did not learn from. Any trailing
        shape works: ``(n_calibration, n_future)`` gives ``(n_future,)``.
    coverage : float
        Nominal coverage, strictly between 0 and 1.

    Returns
    -------
    quantiles : ndarray of shape (n_future, n_targets)
        The ``ceil((n_calibration + 1) * coverage)``-th smallest absolute
        residual of each step and target (at least the smallest): the
        half-width of the intervals, which never shrinks as ``coverage``
        grows.

    Raises
    ------
    ValueError
        When ``n_calibration < coverage / (1 - coverage)``: then the rank
        exceeds ``n_calibration`` and only an infinite interval has the
        guarantee (9 windows are needed for 0.9, 19 for 0.95).

    Examples
    --------
    >>> import numpy as np
    >>> residuals = np.arange(1.0, 20.0).reshape(19, 1, 1)   # errors 1, ..., 19
    >>> conformal_quantiles(residuals, coverage=0.9)         # rank ceil(20 * 0.9)
    array([[18.]])
    """
    coverage = check_coverage(coverage)
    magnitudes = np.abs(np.asarray(residuals, dtype=float))
    n_calibration = magnitudes.shape[0]
    # the small epsilon keeps float noise, as in (9 + 1) * 0.9 = 9.000000000000002,
    # from raising the rank by one; the rank is at least 1, else a tiny
    # coverage would index from the end (the widest interval) and widths
    # would shrink as coverage grows
    rank = max(1, math.ceil((n_calibration + 1) * coverage - 1e-9))
    if rank > n_calibration:
        needed = math.ceil(coverage / (1 - coverage) - 1e-9)
        raise ValueError(
            f"{n_calibration} calibration windows are too few for coverage="
            f"{coverage}: split-conformal intervals need at least {needed} "
            f"(coverage / (1 - coverage)), else only an infinite interval holds "
            "the true value that often. Calibrate on more windows or ask for a "
            "lower coverage."
        )
    return np.partition(magnitudes, rank - 1, axis=0)[rank - 1]


def window_scales(past_targets) -> np.ndarray:
    """How much each window's targets move per step: the unit of its interval.

    Parameters
    ----------
    past_targets : array-like of shape (n_samples, n_past, n_targets)
        The past values of each window's targets.

    Returns
    -------
    scales : ndarray of shape (n_samples, n_targets)
        The mean absolute step of each target over its window (its mean
        absolute value for a one-step past), at least a thousandth of its
        mean absolute level; 1 for a window of zeros. A window multiplied by
        ``c`` has ``c`` times the scale, so errors divided by it compare
        across series of any level.

    Examples
    --------
    >>> import numpy as np
    >>> window_scales(np.array([[[1.0], [2.0], [4.0]], [[10.0], [20.0], [40.0]]]))
    array([[ 1.5],
           [15. ]])
    """
    values = np.asarray(past_targets, dtype=float)
    level = np.abs(values).mean(axis=1)
    if values.shape[1] > 1:
        step = np.abs(np.diff(values, axis=1)).mean(axis=1)
    else:
        step = level
    scales = np.maximum(step, 1e-3 * level)
    return np.where(scales > 0, scales, 1.0)


def conformal_interval(
    forecast: np.ndarray, quantiles: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Bounds ``forecast - quantiles`` and ``forecast + quantiles``.

    Parameters
    ----------
    forecast : ndarray of shape (n_samples, n_future, n_targets), \
            (n_samples, n_future) or (n_samples,)
        Point forecasts.
    quantiles : ndarray of shape (n_future, n_targets)
        Half-widths from :func:`conformal_quantiles`, one per step and target;
        reshaped to ``forecast.shape[1:]``, so that 2-D and 1-D forecasts
        (one target, or one step and one target) work too.

    Returns
    -------
    lower, upper : ndarray, each shaped like ``forecast``
        The interval's bounds.

    Examples
    --------
    >>> import numpy as np
    >>> lower, upper = conformal_interval(np.zeros((2, 3)), np.array([[1.0], [2], [3]]))
    >>> upper
    array([[1., 2., 3.],
           [1., 2., 3.]])
    """
    half_width = np.reshape(quantiles, forecast.shape[1:])
    return forecast - half_width, forecast + half_width
