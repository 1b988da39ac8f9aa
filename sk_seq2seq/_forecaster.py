"""What every window forecaster shares: input checks, output shapes, score.

:class:`Seq2SeqRegressor` and :class:`NaiveForecaster` read past windows and
forecast futures shaped like the ``y`` seen in fit; :class:`WindowForecasterMixin`
holds the parts of that protocol that do not depend on how they forecast.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import r2_score
from sklearn.utils.validation import check_is_fitted, validate_data

from ._conformal import conformal_interval, conformal_quantiles, window_scales
from ._value_checks import check_values
from ._window_checks import DTYPES, WindowShapes, check_past

# what every window forecaster learns of its windows' shapes: set by
# ``_set_fitted_shapes``, stored and checked by persistence
FITTED_ATTRIBUTES = (
    "n_features_in_",
    "n_past_",
    "n_channels_in_",
    "n_future_",
    "n_targets_",
    "target_index_",
    "future_index_",
    "_y_ndim",
)


def fitted_shapes(estimator) -> WindowShapes:
    """The shapes of the windows a fitted window forecaster saw."""
    return WindowShapes(
        n_past=estimator.n_past_,
        n_channels=estimator.n_channels_in_,
        n_future=estimator.n_future_,
        n_targets=estimator.n_targets_,
        y_ndim=estimator._y_ndim,
        target_index=None
        if estimator.target_index_ is None
        else tuple(estimator.target_index_),
        future_index=tuple(estimator.future_index_),
    )


class WindowForecasterMixin:
    """Shared methods of estimators fitted on (past, future) windows.

    A subclass records, once its fit has succeeded, the
    ``FITTED_ATTRIBUTES`` with :meth:`_set_fitted_shapes`, and
    ``calibration_residuals_`` (errors ``y - forecast`` on windows it did not
    learn from, or ``None``).
    """

    def score(self, X, y=None, sample_weight=None) -> float:
        """R² of the forecasts over all predicted values.

        Other scores of windows, for ``GridSearchCV(scoring=...)`` and
        ``cross_val_score`` (where scikit-learn's own scorers refuse 3-D
        ``y``), come from :func:`make_window_scorer`, e.g.
        ``make_window_scorer("mse")``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_past, n_features) or \
                (n_samples, n_past)
            Past windows, as for ``predict``. With ``y=None``: joined windows
            of shape ``(n_samples, n_past + n_future, n_features)`` whose last
            ``n_future`` steps hold the true futures, as ``fit(X)`` reads them
            (what :meth:`SeriesWindower.fit_transform` returns).
        y : array-like of shape (n_samples, n_future, n_targets), \
                (n_samples, n_future), (n_samples,) or None, default=None
            True futures, shaped like ``predict``'s forecasts; ``None``: split
            off the joined windows ``X``.
        sample_weight : array-like of shape (n_samples,) or None, default=None
            Weight of each window.

        Returns
        -------
        score : float
            R² of all forecast values against ``y``, 3-D arrays flattened.
        """
        y_true, y_pred = self._truth_and_forecast(X, y)
        sample_weight = _value_weights(sample_weight, y_pred)
        return r2_score(y_true.ravel(), y_pred.ravel(), sample_weight=sample_weight)

    def _truth_and_forecast(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        """True futures and forecasts of the same shape, as ``predict`` gives.

        With ``y=None``, ``X`` holds joined windows: the target is split off
        them as ``fit(X)`` does.
        """
        check_is_fitted(self)
        if y is None:
            X, y = self._split_joined(X)
        y_pred = self.predict(X)
        y_true = check_values(
            y, ensure_2d=False, allow_nd=True, dtype=DTYPES, input_name="y"
        )
        if y_true.shape != y_pred.shape:
            raise ValueError(
                f"y has shape {y_true.shape}, but the model forecasts "
                f"{y_pred.shape} for X. Pass the true futures of X's windows, "
                "shaped like predict(X)."
            )
        return y_true, y_pred

    def _split_joined(self, X) -> tuple[np.ndarray, np.ndarray]:
        """``(inputs, true futures)`` of joined windows, as ``fit(X)`` splits them."""
        joined = check_past(X)
        length = self.n_past_ + self.n_future_
        if joined.shape[1] != length or self.target_index_ is None:
            because = (
                f"X has {joined.shape[1]} time steps, not the n_past + n_future = "
                f"{self.n_past_} + {self.n_future_} = {length} of joined windows"
                if self.target_index_ is not None
                else "the model was fitted on a y whose targets are not among X's "
                "features, so they cannot be split off X"
            )
            raise ValueError(
                "score needs the true futures y of X's windows: without y, it "
                "reads joined windows whose last n_future steps are the true "
                "futures (as fit(X) and SeriesWindower.fit_transform give them), "
                f"but {because}. Pass y, the true futures of X's windows "
                "(on a raw history in a Pipeline, cut windows first, e.g. with "
                "SeriesWindower.fit_transform)."
            )
        future = joined[:, self.n_past_ :, list(self.target_index_)]
        # with known future features, predict reads the whole joined window
        inputs = joined if len(self.future_index_) else joined[:, : self.n_past_]
        return inputs, self._as_y_ndim(future)

    def _shapes(self) -> WindowShapes:
        """The fitted windows' shapes."""
        return fitted_shapes(self)

    def _set_fitted_shapes(self, shapes: WindowShapes, feature_names) -> None:
        """Record ``shapes`` (and the input's ``feature_names``, or ``None``)."""
        state = {
            "n_features_in_": shapes.n_steps_in,
            "n_past_": shapes.n_past,
            "n_channels_in_": shapes.n_channels,
            "n_future_": shapes.n_future,
            "n_targets_": shapes.n_targets,
            "target_index_": None
            if shapes.target_index is None
            else list(shapes.target_index),
            "future_index_": list(shapes.future_index),
            "_y_ndim": shapes.y_ndim,
        }
        for name in FITTED_ATTRIBUTES:
            setattr(self, name, state[name])
        if feature_names is not None:
            self.feature_names_in_ = feature_names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_

    def _check_past(self, X, original=None) -> np.ndarray:
        """Past windows of the fitted shapes; ``original``: what the user passed."""
        past = check_past(X)
        name = type(self).__name__
        if past.shape[1] != self.n_past_ and len(self.future_index_):
            # the windows' length is about rows of time, not about features
            n_steps = past.shape[1] + self.n_future_
            raise ValueError(
                f"X has {n_steps} time steps, but {name} reads windows of n_past + "
                f"n_future = {self.n_past_} + {self.n_future_} = "
                f"{self.n_past_ + self.n_future_} steps: with future_features, "
                "each window's past, then the n_future rows of its forecast period "
                "(the known features filled in, the others NaN). "
                + (
                    f"Append the {self.n_future_} forecast rows after the history."
                    if n_steps == self.n_past_
                    else "Pass windows of that length."
                )
            )
        if past.shape[1] != self.n_past_:
            raise ValueError(
                f"X has {past.shape[1]} features, but {name} is expecting "
                f"{self.n_past_} features as input: the model reads windows of "
                f"n_past={self.n_past_} past steps (X.shape[1]). Pass windows of "
                f"that length. After a SeriesWindower, the windower and the model "
                "need the same n_future, or the model learns a different n_past."
            )
        if past.shape[2] != self.n_channels_in_:
            raise ValueError(
                f"X has {past.shape[2]} features per time step, but {name} was "
                f"fitted with {self.n_channels_in_}. Pass windows with the same "
                "features (last axis) as in fit."
            )
        # feature names, the way scikit-learn checks them
        checked = X if original is None else original
        validate_data(self, checked, reset=False, skip_check_array=True)
        return past

    def _bounds(
        self, forecast: np.ndarray, past: np.ndarray, coverage
    ) -> tuple[np.ndarray, np.ndarray]:
        """Split-conformal bounds around 3-D ``forecast``, shaped like ``y``.

        With ``calibration_scales_``, the errors are compared in units of
        each calibration window's scale, and the half-width of a window is
        their quantile times its own scale (read from its ``past``): series
        of any level get intervals in their own units.
        """
        scales = getattr(self, "calibration_scales_", None)
        if scales is None:
            half_width = conformal_quantiles(self.calibration_residuals_, coverage)
            lower, upper = conformal_interval(forecast, half_width)
        else:
            relative = self.calibration_residuals_ / scales[:, np.newaxis, :]
            half_width = (
                conformal_quantiles(relative, coverage)[np.newaxis]
                * (window_scales(past[:, :, self.target_index_])[:, np.newaxis, :])
            )
            lower, upper = forecast - half_width, forecast + half_width
        return self._as_y_ndim(lower), self._as_y_ndim(upper)

    def _as_y_ndim(self, forecast: np.ndarray) -> np.ndarray:
        """3-D ``(n, n_future, n_targets)`` forecasts shaped like fit's ``y``."""
        if self._y_ndim == 1:
            return forecast.reshape(-1)
        if self._y_ndim == 2:
            return forecast[:, :, 0]
        return forecast


def _value_weights(sample_weight, y_pred):
    """Per-window weights, repeated over each window's forecast values."""
    if sample_weight is None:
        return None
    sample_weight = np.asarray(sample_weight, dtype=float)
    if sample_weight.shape != (len(y_pred),):
        raise ValueError(
            f"sample_weight has shape {sample_weight.shape}, but X has "
            f"{len(y_pred)} windows. Pass one weight per window, shape "
            f"({len(y_pred)},)."
        )
    return np.repeat(sample_weight, y_pred[0].size)
