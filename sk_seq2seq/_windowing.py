"""Cut raw series into (past, future) training windows."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from ._validation import as_3d, check_values


class SeriesWindower(TransformerMixin, BaseEstimator):
    """Window raw series into joined past/future pairs for seq2seq training.

    ``fit_transform`` returns every window of ``n_past + n_future`` steps (past
    and future joined along time), the training data of a following
    :class:`Seq2SeqRegressor`, which splits the last ``n_future`` steps off as
    its target. ``transform`` returns each series' last ``n_past`` steps: the
    input for forecasting the ``n_future`` steps that follow its end.

    Read more on the shapes in the package README.

    Parameters
    ----------
    n_past : int, default=15
        Number of past steps the model reads.
    n_future : int, default=15
        Number of future steps the model forecasts. Must equal the following
        regressor's ``n_future``.
    step : int, default=1
        Stride between the starts of two consecutive training windows.

    Attributes
    ----------
    n_features_in_ : int
        Number of features (channels) per time step seen in ``fit``.

    See Also
    --------
    Seq2SeqRegressor : The model that reads these windows.
    sklearn.model_selection.TimeSeriesSplit : Splits overlapping windows
        without leaking the future; use ``gap=n_past + n_future - 1``.

    Notes
    -----
    ``fit(X).transform(X)`` does not equal ``fit_transform(X)``: in a
    :class:`~sklearn.pipeline.Pipeline`, ``fit`` calls ``fit_transform`` and so
    trains the next step on every window of the history, while ``predict``
    calls ``transform`` and so forecasts from the end of each series. The
    same asymmetry, for other reasons, is documented by scikit-learn's
    :class:`~sklearn.preprocessing.TargetEncoder`.

    The training windows of one series are read-only views of its memory
    (``numpy.lib.stride_tricks.sliding_window_view``); the copy happens only
    when the model casts them to float32 tensors. Several series are stacked
    into one array, which copies.

    Input may be one series ``(n_timesteps,)``, univariate series
    ``(n_series, n_timesteps)`` or ``(n_series, n_timesteps, n_features)``.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_seq2seq import SeriesWindower
    >>> history = np.arange(40.0)
    >>> windower = SeriesWindower(n_past=15, n_future=15)
    >>> windower.fit_transform(history).shape
    (11, 30, 1)
    >>> windower.transform(history).shape
    (1, 15, 1)
    >>> windower.transform(history)[0, :3, 0]
    array([25., 26., 27.])
    """

    _parameter_constraints: dict = {
        "n_past": [Interval(Integral, 1, None, closed="left")],
        "n_future": [Interval(Integral, 1, None, closed="left")],
        "step": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, n_past: int = 15, n_future: int = 15, *, step: int = 1):
        self.n_past = n_past
        self.n_future = n_future
        self.step = step

    def fit(self, X, y=None) -> SeriesWindower:
        """Check the series and remember their number of features.

        Parameters
        ----------
        X : array-like of shape (n_timesteps,), (n_series, n_timesteps) or \
                (n_series, n_timesteps, n_features)
            The raw history.
        y : None
            Ignored.

        Returns
        -------
        self : SeriesWindower
            The fitted windower.
        """
        self._fit(X)
        return self

    def _fit(self, X):
        self._validate_params()
        series = self._check_series(X, self.n_past + self.n_future, "fit")
        self.n_features_in_ = series.shape[2]
        return series

    def fit_transform(self, X, y=None) -> np.ndarray:
        """Fit, then return every training window of every series.

        Parameters
        ----------
        X : array-like of shape (n_timesteps,), (n_series, n_timesteps) or \
                (n_series, n_timesteps, n_features)
            The raw history.
        y : None
            Ignored.

        Returns
        -------
        windows : ndarray of shape (n_windows, n_past + n_future, n_features)
            Every window of ``n_past + n_future`` consecutive steps, starting
            every ``step`` steps, series after series. Read-only.
        """
        series = self._fit(X)
        length = self.n_past + self.n_future
        # (n_series, n_windows, n_features, length) -> time before features
        windows = sliding_window_view(series, length, axis=1)[:, :: self.step]
        windows = windows.transpose(0, 1, 3, 2)
        return windows.reshape(-1, length, series.shape[2])

    def transform(self, X) -> np.ndarray:
        """Return each series' last ``n_past`` steps, the input to forecast from.

        Parameters
        ----------
        X : array-like of shape (n_timesteps,), (n_series, n_timesteps) or \
                (n_series, n_timesteps, n_features)
            The series to forecast; any length of at least ``n_past``.

        Returns
        -------
        past : ndarray of shape (n_series, n_past, n_features)
            The last ``n_past`` steps of each series.
        """
        check_is_fitted(self)
        series = self._check_series(X, self.n_past, "transform")
        if series.shape[2] != self.n_features_in_:
            raise ValueError(
                f"X has {series.shape[2]} features per time step, but "
                f"SeriesWindower was fitted on {self.n_features_in_}. Pass series "
                "with the same features (last axis) as in fit."
            )
        return series[:, -self.n_past :]

    def _check_series(self, X, min_length, method):
        series = as_3d(
            check_values(
                X,
                ensure_2d=False,
                allow_nd=True,
                dtype="numeric",
                ensure_min_samples=1,
                input_name="X",
            ),
            one_d="series",
        )
        if series.shape[2] == 0:
            raise ValueError(
                f"X has shape {series.shape}: it needs at least one feature per "
                "time step. Pass series of shape (n_series, n_timesteps, "
                "n_features) with n_features >= 1."
            )
        if series.shape[1] < min_length:
            need = (
                f"n_past + n_future = {self.n_past} + {self.n_future}"
                if method == "fit"
                else f"n_past = {self.n_past}"
            )
            raise ValueError(
                f"The series has {series.shape[1]} time steps, but {method} needs "
                f"at least {min_length} ({need}). Pass a longer history or make "
                "the windows shorter."
            )
        return series

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags
