"""Scorers of window forecasts, for scikit-learn's model selection.

scikit-learn's own scorers (``scoring="neg_mean_squared_error"``) check ``y``
as a table and refuse the 3-D futures of windows before any forecast is
made; nor can they score joined windows, fitted without ``y``. These score
every forecast value of every window, split the target off joined windows as
``fit(X)`` does, and follow scikit-learn's sign convention: greater is better,
so errors are negated.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import (
    mean_absolute_error,
    mean_squared_error,
    r2_score,
    root_mean_squared_error,
)
from sklearn.utils._param_validation import StrOptions, validate_params

from ._forecaster import _value_weights
from ._value_checks import check_values
from ._window_checks import DTYPES

# name -> (metric of flat arrays, sign that makes greater better)
_METRICS = {
    "mse": (mean_squared_error, -1),
    "rmse": (root_mean_squared_error, -1),
    "mae": (mean_absolute_error, -1),
    "r2": (r2_score, 1),
}


@validate_params(
    {"metric": [StrOptions(set(_METRICS))]}, prefer_skip_nested_validation=True
)
def make_window_scorer(metric: str = "mse"):
    """A scorer of window forecasts for ``GridSearchCV`` and ``cross_val_score``.

    Parameters
    ----------
    metric : {"mse", "rmse", "mae", "r2"}, default="mse"
        The score, over every forecast value of every window (3-D arrays
        flattened): mean squared error, its root, mean absolute error, or R².
        Errors are negated (``-mse``), as by scikit-learn's
        ``"neg_mean_squared_error"``, so that greater is better.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y=None, sample_weight=None) -> float``. ``X``
        are past windows ``(n_samples, n_past, n_features)`` and ``y`` their
        true futures ``(n_samples, n_future, n_targets)`` (or 2-D / 1-D, as
        the model was fitted); with ``y=None``, ``X`` holds joined windows
        ``(n_samples, n_past + n_future, n_features)`` whose last
        ``n_future`` steps are the true futures, split off as ``fit(X)``
        does, so that a search over windows fitted without ``y`` scores them.
        ``sample_weight`` ``(n_samples,)`` weighs each window.

    See Also
    --------
    Seq2SeqRegressor.score : R² of the forecasts, the default score.

    Examples
    --------
    >>> from sklearn.model_selection import TimeSeriesSplit, cross_val_score
    >>> from sk_seq2seq import NaiveForecaster, make_sine_cosine, make_window_scorer
    >>> windows = make_sine_cosine(60, 12, random_state=0)     # joined, no y
    >>> scores = cross_val_score(
    ...     NaiveForecaster(n_future=4), windows,
    ...     scoring=make_window_scorer("mae"), cv=TimeSeriesSplit(3, gap=11),
    ... )
    >>> bool(scores.max() < 0)
    True
    """
    return _WindowScorer(metric)


class _WindowScorer:
    """Callable ``(estimator, X, y=None, sample_weight=None) -> score``."""

    def __init__(self, metric: str):
        self.metric = metric

    def __call__(self, estimator, X, y=None, sample_weight=None) -> float:
        score, sign = _METRICS[self.metric]
        y_true, y_pred = _truth_and_forecast(estimator, X, y)
        weights = _value_weights(sample_weight, y_pred)
        return sign * float(
            score(y_true.ravel(), y_pred.ravel(), sample_weight=weights)
        )

    def __repr__(self) -> str:
        return f"make_window_scorer({self.metric!r})"


def _truth_and_forecast(estimator, X, y):
    """The true futures and the forecasts of ``X``, of the same shape."""
    if hasattr(estimator, "_truth_and_forecast"):
        return estimator._truth_and_forecast(X, y)
    # another estimator (e.g. a Pipeline ending in a window forecaster)
    name = type(estimator).__name__
    if y is None:
        raise ValueError(
            f"make_window_scorer splits the true futures off joined windows only "
            f"for Seq2SeqRegressor and NaiveForecaster, not for a {name}. Pass y, "
            "the true futures of X's windows."
        )
    y_pred = np.asarray(estimator.predict(X), dtype=float)
    y_true = check_values(
        y, ensure_2d=False, allow_nd=True, dtype=DTYPES, input_name="y"
    )
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y has shape {y_true.shape}, but {name} forecasts {y_pred.shape} for "
            "X. Pass the true futures of X's windows, shaped like predict(X)."
        )
    return y_true, y_pred
