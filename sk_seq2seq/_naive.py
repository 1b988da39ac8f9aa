"""NaiveForecaster: the simple forecasts every model must beat."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    check_is_fitted,
)

from ._conformal import check_coverage, window_scales
from ._forecaster import WindowForecasterMixin
from ._window_checks import check_training_windows, feature_names_in, window_roles


class NaiveForecaster(WindowForecasterMixin, RegressorMixin, BaseEstimator):
    """Forecast each window's future by a simple rule of its own past.

    The baseline of forecasting, in the style of scikit-learn's
    :class:`~sklearn.dummy.DummyRegressor`: it learns nothing from the
    training windows but their shapes (the horizon, the targets), and
    forecasts every window from its past alone. It reads and returns the
    same shapes as :class:`Seq2SeqRegressor`, so the two are compared on the
    same windows. :meth:`predict_interval` adds split-conformal intervals,
    calibrated on its errors on the fit windows.

    Parameters
    ----------
    strategy : {"last", "mean", "seasonal", "drift"}, default="last"
        How a window's past ``x_1, ..., x_T`` (``T = n_past``) becomes the
        forecast of its step ``h = 1, ..., n_future``:

        - ``"last"``: the last value, ``x_T``;
        - ``"mean"``: the mean of the past, ``(x_1 + ... + x_T) / T``;
        - ``"seasonal"``: the value one season before,
          ``x_{T - m + 1 + (h - 1) mod m}`` with ``m = season_length``: the
          last ``m`` past steps repeated cyclically over the horizon;
        - ``"drift"``: the line through the first and last past values,
          extended, ``x_T + h (x_T - x_1) / (T - 1)``.
    season_length : int or None, default=None
        The period ``m`` of ``strategy="seasonal"``, in time steps (e.g. 12
        for monthly data with a yearly cycle); at most ``n_past``. Required
        by ``"seasonal"``, ignored by the other strategies.
    n_future : int or None, default=None
        Steps to forecast when ``fit`` gets joined windows and no ``y``: the
        last ``n_future`` steps of each window are its target. ``None`` takes
        the horizon told to the :class:`SeriesWindower` that cut them (say it
        once, there; said to both, they must agree); plain arrays of joined
        windows need it. With ``y``, the horizon is ``y``'s.
    target_features : list of int or None, default=None
        Which past features (last axis of ``X``) the targets are, in ``y``'s
        order: the forecast of a target is made from that feature's past.
        ``None``: all features, which needs ``y`` with as many targets per
        step as ``X`` has features (with ``y=None``, every feature's future
        is a target).

    Attributes
    ----------
    n_features_in_ : int
        Past steps per window seen in fit (``X.shape[1]``, scikit-learn's
        convention for the second axis).
    n_past_ : int
        Past steps per window; ``predict`` requires it.
    n_channels_in_ : int
        Features of each past step, the last axis of ``X``.
    n_future_ : int
        Steps each forecast covers, as in the target seen in fit.
    n_targets_ : int
        Values forecast at each future step.
    target_index_ : list of int
        The past features that are the targets.
    calibration_residuals_ : ndarray of shape (n_samples, n_future, n_targets)
        Errors ``y - forecast`` on the fit windows, which calibrate
        :meth:`predict_interval`.
    calibration_scales_ : ndarray of shape (n_samples, n_targets)
        Each fit window's scale (the mean absolute step of its past
        targets): the errors are compared in these units, and an interval is
        as wide, in units of its own window's scale.

    See Also
    --------
    Seq2SeqRegressor : The model these baselines are compared with.
    sklearn.dummy.DummyRegressor : The same idea for tabular data.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_seq2seq import NaiveForecaster
    >>> X = np.array([[1.0, 2.0, 4.0]])                 # one window, 3 past steps
    >>> y = np.zeros((1, 2))                            # a horizon of 2 steps
    >>> NaiveForecaster().fit(X, y).predict(X)
    array([[4., 4.]])
    >>> NaiveForecaster("drift").fit(X, y).predict(X)
    array([[5.5, 7. ]])
    >>> NaiveForecaster("seasonal", season_length=2).fit(X, y).predict(X)
    array([[2., 4.]])
    """

    _parameter_constraints: dict = {
        "strategy": [StrOptions({"last", "mean", "seasonal", "drift"})],
        "season_length": [None, Interval(Integral, 1, None, closed="left")],
        "n_future": [None, Interval(Integral, 1, None, closed="left")],
        "target_features": [None, "array-like"],
    }

    def __init__(
        self,
        strategy: str = "last",
        *,
        season_length: int | None = None,
        n_future: int | None = None,
        target_features: list[int] | None = None,
    ):
        self.strategy = strategy
        self.season_length = season_length
        self.n_future = n_future
        self.target_features = target_features

    def fit(self, X, y=None) -> NaiveForecaster:
        """Learn the horizon and the targets, and the errors on these windows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_past, n_features) or \
                (n_samples, n_past)
            Past windows; or, with ``y=None``, joined windows
            ``(n_samples, n_past + n_future, n_features)`` as
            :meth:`SeriesWindower.fit_transform` cuts them, their last
            ``n_future`` steps being the target.
        y : array-like of shape (n_samples, n_future, n_targets), \
                (n_samples, n_future), (n_samples,) or None, default=None
            The windows' futures (1-D: a horizon of one step); forecasts have
            as many dimensions.

        Returns
        -------
        self : NaiveForecaster
            The fitted forecaster.
        """
        self._validate_params()
        roles = window_roles(
            X,
            y,
            "NaiveForecaster",
            n_future=self.n_future,
            target_features=self.target_features,
            future_features=None,
        )
        past, _, future, shapes = check_training_windows(
            X, y, n_future=roles["n_future"], target_features=roles["target_features"]
        )
        if shapes.target_index is None and self.target_features is not None:
            raise ValueError(
                f"target_features={self.target_features!r} says that y is not among "
                "X's features, but NaiveForecaster forecasts each target from its "
                "own past, so it needs the feature of X that each target is. "
                "Pass target_features=[...] listing them, e.g. [0]."
            )
        if shapes.target_index is None:
            raise ValueError(
                f"y has {shapes.n_targets} targets per step but X has "
                f"{shapes.n_channels} features, so NaiveForecaster cannot tell "
                "which features the targets are. Pass target_features, the index "
                "of the feature of X that each target of y is (e.g. "
                "target_features=[0])."
            )
        target_index = list(shapes.target_index)
        self._check_strategy(shapes.n_past)
        forecast = self._forecast(past[:, :, target_index], shapes.n_future)

        # fitted state only once everything has passed: a failed fit leaves
        # a fitted forecaster as it was
        self._set_fitted_shapes(shapes, feature_names_in(X, shapes))
        self.calibration_residuals_ = future - forecast
        self.calibration_scales_ = window_scales(past[:, :, target_index])
        return self

    def predict(self, X) -> np.ndarray:
        """Forecast the future of each past window by the strategy.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_past, n_features) or \
                (n_samples, n_past)
            Past windows of ``n_past_`` steps, with the features seen in fit.

        Returns
        -------
        y_pred : ndarray of shape (n_samples, n_future, n_targets)
            Float64 forecasts, shaped like the ``y`` seen in fit: 2-D
            ``(n_samples, n_future)`` or 1-D ``(n_samples,)`` when it was.
        """
        check_is_fitted(self)
        past = self._check_past(X)
        forecast = self._forecast(past[:, :, self.target_index_], self.n_future_)
        return self._as_y_ndim(forecast)

    def predict_interval(self, X, coverage: float = 0.9):
        """Forecast with split-conformal intervals of the given coverage.

        The half-width of the interval of each horizon step and target is the
        ``ceil((n + 1) * coverage)``-th smallest of the absolute errors of
        this forecaster on its ``n`` fit windows (``calibration_residuals_``),
        each divided by its window's scale (``calibration_scales_``), times
        the scale of the window forecast: intervals in each series' own
        units. A naive
        forecaster learns nothing from those windows but their shapes, so its
        errors on them are those of windows it never saw: the fit windows are
        a valid calibration set, and no data need be held out. If new windows
        are exchangeable with the fit windows (drawn from the same
        distribution, e.g. not from a later regime of a drifting series), the
        interval holds the true value with probability at least ``coverage``,
        on average over windows and separately at each step and target.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_past, n_features) or \
                (n_samples, n_past)
            Past windows with the ``n_past_`` steps and features seen in fit.
        coverage : float, default=0.9
            Nominal probability that an interval holds the true value,
            strictly between 0 and 1. ``fit`` must have seen at least
            ``coverage / (1 - coverage)`` windows (9 for 0.9).

        Returns
        -------
        lower, upper : ndarray, each shaped like ``predict(X)``
            The bounds: ``(n_samples, n_future, n_targets)``, or 2-D / 1-D
            when the ``y`` seen in fit was.

        Examples
        --------
        >>> import numpy as np
        >>> from sk_seq2seq import NaiveForecaster
        >>> walks = np.random.default_rng(0).normal(size=(500, 6)).cumsum(axis=1)
        >>> model = NaiveForecaster(n_future=2).fit(walks)      # 4 past, 2 future
        >>> lower, upper = model.predict_interval(walks[:3, :4], coverage=0.8)
        >>> lower.shape
        (3, 2, 1)
        >>> bool(np.all(lower < upper))
        True
        """
        check_is_fitted(self)
        coverage = check_coverage(coverage)
        past = self._check_past(X)
        forecast = self._forecast(past[:, :, self.target_index_], self.n_future_)
        return self._bounds(forecast, past, coverage)

    def _check_strategy(self, n_past):
        if self.strategy == "seasonal" and self.season_length is None:
            raise ValueError(
                'strategy="seasonal" needs the season\'s length. Pass '
                "season_length, e.g. season_length=12 for monthly data with a "
                "yearly cycle."
            )
        if self.strategy == "seasonal" and self.season_length > n_past:
            raise ValueError(
                f"season_length={self.season_length} is longer than the windows' "
                f"past (n_past={n_past}): a window must hold a whole season. Pass "
                "longer windows or a shorter season_length."
            )
        if self.strategy == "drift" and n_past < 2:
            raise ValueError(
                'strategy="drift" draws a line through the first and last past '
                "values, so it needs windows of at least 2 past steps, but they "
                "have 1. Pass longer windows or another strategy."
            )

    def _forecast(self, past, n_future):
        """``(n, n_past, n_targets)`` past values -> ``(n, n_future, n_targets)``."""
        steps = np.arange(1, n_future + 1)[:, np.newaxis]
        last = past[:, -1:]
        if self.strategy == "last":
            forecast = np.repeat(last, n_future, axis=1)
        elif self.strategy == "mean":
            forecast = np.repeat(past.mean(axis=1, keepdims=True), n_future, axis=1)
        elif self.strategy == "seasonal":
            season = self.season_length
            forecast = past[:, past.shape[1] - season + (steps[:, 0] - 1) % season]
        else:  # drift
            slope = (last - past[:, :1]) / (past.shape[1] - 1)
            forecast = last + steps * slope
        return forecast.astype(np.float64)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.required = False
        tags.target_tags.multi_output = True
        tags.regressor_tags.poor_score = True
        return tags
