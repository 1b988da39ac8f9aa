"""Cut raw series into (past, future) training windows."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, validate_params
from sklearn.utils.validation import check_is_fitted

from ._value_checks import as_3d, check_values
from ._window_checks import feature_index
from ._window_container import Windows


class SeriesWindower(TransformerMixin, BaseEstimator):
    """Window raw series into joined past/future pairs for seq2seq training.

    ``fit_transform`` returns every window of ``n_past + n_future`` steps (past
    and future joined along time), the training data of a following
    :class:`Seq2SeqRegressor`, which splits the last ``n_future`` steps off as
    its target. ``transform`` returns each series' last ``n_past`` steps: the
    input for forecasting the ``n_future`` steps that follow its end.

    With ``future_features`` (features known in advance: the calendar, a
    weather forecast, a planned price), ``transform`` instead reads the
    history followed by the ``n_future`` rows of the forecast period, in
    which the known features are filled in and the others are NaN, and
    returns each series' last ``n_past + n_future`` rows: the input of a
    ``Seq2SeqRegressor(n_future=..., future_features=...)``.

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
    future_features : list of int, list of str or None, default=None
        Features known in advance: indices of the last axis, or column names
        when fitted on a pandas ``DataFrame``. ``transform`` then expects the
        ``n_future`` rows of the forecast period after the history (see
        above); NaN is allowed only in those rows, and only in the other
        features. ``None``: no feature is known in advance, and ``transform``
        reads the history alone. The following regressor takes the same
        features as indices (``future_features_index_``).

    Attributes
    ----------
    n_features_in_ : int
        Number of features (channels) per time step seen in ``fit``.
    future_features_index_ : tuple of int
        The positions of ``future_features`` among the features; empty
        without them.

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

    Both methods return read-only outputs, so that nothing written into them
    reaches the caller's history. The training windows are computed only when
    indexed: ``fit_transform`` returns a lazy ``Windows`` that holds the
    series, so that a long history (300 series of 26,000 steps) never becomes
    one copy per window; the model draws its batches from it.

    Input may be one series ``(n_timesteps,)``, univariate series
    ``(n_series, n_timesteps)`` or ``(n_series, n_timesteps, n_features)``;
    a list of series of different lengths, each ``(n_timesteps,)`` or
    ``(n_timesteps, n_features)``, windowed one by one; or a pandas ``Series``
    or ``DataFrame`` holding one series with time as rows and features as
    columns. Rows are read in their order, so an index of time stamps,
    periods or numbers must increase strictly: an unsorted index or repeated
    stamps are refused, as by :func:`future_index`, which dates the forecast
    of a history indexed by time. Nullable columns (``Int64``, ``boolean``)
    are read with ``pd.NA`` as NaN, and so refused like NaN; dates are not
    values and are refused too.

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

    With a feature known in advance, ``transform`` reads the forecast period
    too: here a target (NaN in the forecast period) and its known driver.

    >>> driver = np.arange(45.0) % 4
    >>> history = np.stack([np.arange(45.0), driver], axis=-1)[np.newaxis]
    >>> history[0, -5:, 0] = np.nan                # the 5 steps to forecast
    >>> windower = SeriesWindower(n_past=10, n_future=5, future_features=[1])
    >>> windower.fit_transform(history[:, :-5]).shape
    (26, 15, 2)
    >>> windower.transform(history).shape
    (1, 15, 2)
    """

    _parameter_constraints: dict = {
        "n_past": [Interval(Integral, 1, None, closed="left")],
        "n_future": [Interval(Integral, 1, None, closed="left")],
        "step": [Interval(Integral, 1, None, closed="left")],
        "future_features": [None, "array-like"],
    }

    def __init__(
        self,
        n_past: int = 15,
        n_future: int = 15,
        *,
        step: int = 1,
        future_features: list[int] | list[str] | None = None,
    ):
        self.n_past = n_past
        self.n_future = n_future
        self.step = step
        self.future_features = future_features

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
        groups = self._check_series(X, self.n_past + self.n_future, "fit")
        future_index = self._future_features_index(X, groups[0].shape[2])
        self.n_features_in_ = groups[0].shape[2]
        self.future_features_index_ = future_index
        return groups

    def fit_transform(self, X, y=None) -> Windows:
        """Fit, then return every training window of every series, lazily.

        Parameters
        ----------
        X : array-like of shape (n_timesteps,), (n_series, n_timesteps) or \
                (n_series, n_timesteps, n_features), a list of series, or pandas
            The raw history; see the class docstring for lists and pandas.
        y : None
            Ignored.

        Returns
        -------
        windows : Windows of shape (n_windows, n_past + n_future, n_features)
            Every window of ``n_past + n_future`` consecutive steps, starting
            every ``step`` steps, series after series; no window crosses two
            series. A read-only array-like that holds only the (float) series
            and computes the windows that are indexed (``windows[:256]`` is an
            ndarray; ``np.asarray(windows)`` computes them all), so that a
            long history never becomes one copy per window.
            :class:`Seq2SeqRegressor` trains on it batch by batch.
        """
        groups = self._fit(X)
        return Windows(
            groups,
            self.n_past + self.n_future,
            step=self.step,
            n_future=self.n_future,
            future_features=self.future_features_index_,
        )

    def transform(self, X) -> np.ndarray:
        """Return each series' last steps, the input to forecast from.

        Parameters
        ----------
        X : array-like of shape (n_timesteps,), (n_series, n_timesteps) or \
                (n_series, n_timesteps, n_features), a list of series, or pandas
            The series to forecast; any length of at least ``n_past``. With
            ``future_features``: each series' history followed by the
            ``n_future`` rows of its forecast period, at least ``n_past +
            n_future`` rows, the known features filled in over the forecast
            period and the other features NaN there (or any value: they are
            not read).

        Returns
        -------
        past : ndarray of shape (n_series, n_past, n_features), or \
                (n_series, n_past + n_future, n_features) with future_features
            The last ``n_past`` steps of each series; with ``future_features``
            the last ``n_past + n_future``, forecast period included.
            Read-only.
        """
        check_is_fitted(self)
        known = len(self.future_features_index_) > 0
        length = self.n_past + self.n_future if known else self.n_past
        groups = self._check_series(X, length, "transform", allow_nan=known)
        if groups[0].shape[2] != self.n_features_in_:
            raise ValueError(
                f"X has {groups[0].shape[2]} features per time step, but "
                f"SeriesWindower was fitted on {self.n_features_in_}. Pass series "
                "with the same features (last axis) as in fit."
            )
        if known:
            self._check_forecast_period(X, groups)
        return _read_only([series[:, -length:] for series in groups])

    def _future_features_index(self, X, n_features) -> tuple[int, ...]:
        """Positions of ``future_features``, from indices or column names."""
        if self.future_features is None:
            return ()
        listed = np.ravel(np.asarray(self.future_features, dtype=object)).tolist()
        if not any(isinstance(name, str) for name in listed):
            return feature_index("future_features", self.future_features, n_features)
        columns = _column_names(X)
        if columns is None:
            raise ValueError(
                f"future_features={self.future_features!r} names columns, but X "
                "is not a pandas DataFrame, so its features have no names. Pass "
                "their indices (last axis), e.g. future_features=[1], or fit on "
                "a DataFrame."
            )
        unknown = [name for name in listed if name not in columns]
        if unknown:
            raise ValueError(
                f"future_features={self.future_features!r} names {unknown}, which "
                f"are not columns of X ({list(columns)}). Pass column names of X."
            )
        return feature_index(
            "future_features", [columns.index(name) for name in listed], n_features
        )

    def _check_forecast_period(self, X, groups) -> None:
        """NaN only in the forecast period, and never in a known feature."""
        columns = _column_names(X)
        known = list(self.future_features_index_)
        for position, series in enumerate(groups):
            missing = np.isnan(series)
            missing[
                :,
                -self.n_future :,
                [f for f in range(series.shape[2]) if f not in known],
            ] = False
            if not missing.any():
                continue
            row_in_group, step, feature = (int(i) for i in np.argwhere(missing)[0])
            name = (
                f"feature {feature}"
                if columns is None
                else f"column {columns[feature]!r}"
            )
            series_at = row_in_group if len(groups) == 1 else position
            which = (
                ""
                if len(groups) == 1 and len(series) == 1
                else f" of series {series_at}"
            )
            period_start = series.shape[1] - self.n_future
            if step < period_start:
                raise ValueError(
                    f"X holds NaN before the forecast period: {name} at step {step}"
                    f"{which}, one of the last {series.shape[1] - step} steps. "
                    f"With future_features, X is the history followed by the "
                    f"n_future={self.n_future} rows of the forecast period, and "
                    "only those rows may hold NaN. Fill the gaps of the history "
                    "first (e.g. interpolate), or append the forecast rows."
                )
            raise ValueError(
                f"The known future value of {name} at forecast step "
                f"{step - period_start + 1} of {self.n_future}{which} is NaN. "
                f"future_features={self.future_features!r} must be known at every "
                "step of the forecast period: fill it in (it is known in advance), "
                "or drop the feature from future_features."
            )

    def _check_series(self, X, min_length, method, *, allow_nan=False):
        """Validated series as 3-D groups ``(n_series, n_timesteps, n_features)``.

        One group for an array; one group per series for a list of series of
        different lengths.
        """
        if _is_pandas(X):
            check_time_order(X.index, "X")
        elif isinstance(X, (list, tuple)):
            for position, item in enumerate(X):
                if _is_pandas(item):
                    check_time_order(item.index, f"series {position} of X")
        if _is_pandas(X):
            # pandas holds time as rows: one series, columns as features
            groups = [
                self._check_group(X, one_d="series", rows=True, allow_nan=allow_nan)
            ]
        elif _is_list_of_unequal_series(X):
            groups = [
                self._check_group(item, one_d="series", rows=True, allow_nan=allow_nan)
                for item in X
            ]
        else:
            groups = [self._check_group(X, one_d="series", allow_nan=allow_nan)]
        if len({group.shape[2] for group in groups}) > 1:
            raise ValueError(
                "The series have different numbers of features "
                f"({sorted({group.shape[2] for group in groups})}). Pass series "
                "with the same features."
            )
        for position, group in enumerate(groups):
            if group.shape[1] < min_length:
                need = (
                    f"n_past + n_future = {self.n_past} + {self.n_future}"
                    if min_length > self.n_past
                    else f"n_past = {self.n_past}"
                )
                if method == "transform" and min_length > self.n_past:
                    need += (
                        ": with future_features, the history then the "
                        "n_future rows of the forecast period"
                    )
                which = f"Series {position}" if len(groups) > 1 else "The series"
                raise ValueError(
                    f"{which} has {group.shape[1]} time steps, but {method} needs "
                    f"at least {min_length} ({need}). Pass a longer history or "
                    "make the windows shorter."
                )
        return groups

    @staticmethod
    def _check_group(X, *, one_d, rows=False, allow_nan=False):
        array = check_values(
            X,
            allow_nan=allow_nan,
            ensure_2d=False,
            allow_nd=True,
            dtype="numeric",
            ensure_min_samples=1,
            input_name="X",
        )
        if rows and array.ndim == 2:
            # an item of a list is one series: (n_timesteps, n_features)
            array = array[np.newaxis]
        elif rows and array.ndim > 2:
            raise ValueError(
                f"An item of the list of series has shape {array.shape}; each "
                "must be one series, (n_timesteps,) or (n_timesteps, n_features)."
            )
        series = as_3d(array, one_d=one_d, input_name="X")
        if series.shape[2] == 0:
            raise ValueError(
                f"X has shape {series.shape}: it needs at least one feature per "
                "time step. Pass series of shape (n_series, n_timesteps, "
                "n_features) with n_features >= 1."
            )
        return series

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags


def _read_only(arrays):
    """One array from groups, never a writable view of the caller's data."""
    array = arrays[0] if len(arrays) == 1 else np.concatenate(arrays)
    # a new view, so that the caller's own array keeps its flags
    array = array.view()
    array.flags.writeable = False
    return array


def check_time_order(index, name: str) -> None:
    """Refuse a time index that does not increase strictly, row after row.

    Only indexes of time stamps, periods, durations or numbers say an order;
    others (labels, a ``MultiIndex``) are left to the user.
    """
    import pandas as pd

    if isinstance(index, pd.MultiIndex) or not (
        isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex, pd.TimedeltaIndex))
        or (pd.api.types.is_numeric_dtype(index) and not index.dtype == bool)
    ):
        return
    if index.hasnans:
        row = int(np.flatnonzero(index.isna())[0])
        raise ValueError(
            f"The index of {name} holds missing time stamps (the first at row "
            f"{row}), so the order of its rows is unknown. Drop or fill those "
            "rows first, e.g. history[history.index.notna()]."
        )
    if not index.is_unique:
        repeated = index[index.duplicated()][0]
        rows = np.flatnonzero(index == repeated)
        raise ValueError(
            f"The index of {name} repeats time stamps ({repeated} at rows "
            f"{_few(rows)}): windows would run across the repeats. Pass one row "
            "per time step: aggregate the repeats first (e.g. "
            "history.groupby(level=0).mean()), or pass several series as a list."
        )
    if not index.is_monotonic_increasing:
        row = int(np.flatnonzero(index[1:] < index[:-1])[0]) + 1
        raise ValueError(
            f"The index of {name} is not in increasing time order ({index[row]} at "
            f"row {row} follows {index[row - 1]}): windows would mix times. Sort "
            "it first: history.sort_index()."
        )


def _column_names(X) -> list | None:
    """The column names of a DataFrame, or of a list of DataFrames, else None."""
    frames = X if isinstance(X, (list, tuple)) else [X]
    if not frames or not all(hasattr(frame, "columns") for frame in frames):
        return None
    return list(frames[0].columns)


def _check_forwards(last, following) -> None:
    # a one-row index is sorted, yet may carry a step back in time
    if not following > last:
        raise ValueError(
            f"The history's index steps back in time (after {last} would come "
            f"{following}), so the forecast steps cannot follow its end. Index "
            "the history forwards in time, e.g. with pd.date_range(start, "
            "periods=len(history), freq='D')."
        )


def _few(rows) -> str:
    shown = ", ".join(str(int(row)) for row in rows[:5])
    return shown + (", ..." if len(rows) > 5 else "")


def _is_pandas(X) -> bool:
    return type(X).__module__.partition(".")[0] == "pandas" and hasattr(X, "index")


def _is_list_of_unequal_series(X) -> bool:
    if not isinstance(X, (list, tuple)) or len(X) < 2:
        return False
    if not all(hasattr(item, "__len__") and not isinstance(item, str) for item in X):
        return False
    return len({len(item) for item in X}) > 1


@validate_params(
    {
        "history": "no_validation",
        "n_future": [Interval(Integral, 1, None, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def future_index(history, n_future: int = 15):
    """Label the ``n_future`` steps after the end of a pandas history.

    Parameters
    ----------
    history : pandas.Series, pandas.DataFrame or pandas.Index
        A history indexed by time, in increasing order without repeats: a
        ``DatetimeIndex`` with a frequency (set or inferable), a
        ``PeriodIndex`` or a ``RangeIndex``; of shape (n_timesteps,) or
        (n_timesteps, n_features).
    n_future : int, default=15
        Number of future steps, at least 1, as in :class:`SeriesWindower`.

    Returns
    -------
    index : pandas.Index of shape (n_future,)
        The time stamps (or positions) of the forecast steps.

    Examples
    --------
    >>> import pandas as pd
    >>> from sk_seq2seq import future_index
    >>> history = pd.Series(range(36), index=pd.date_range("2020-01", periods=36,
    ...                                                    freq="MS"))
    >>> future_index(history, n_future=3).strftime("%Y-%m").tolist()
    ['2023-01', '2023-02', '2023-03']
    """
    import pandas as pd

    if isinstance(history, pd.Index):
        index = history
    elif isinstance(history, (pd.Series, pd.DataFrame)):
        index = history.index
    else:
        raise TypeError(
            f"future_index needs a pandas Series, DataFrame or Index indexed by "
            f"time, got a {type(history).__name__}. Index the history by time "
            "first, e.g. pd.Series(values, index=pd.date_range(start, "
            "periods=len(values), freq='D')); the steps after a plain array of "
            "n values are simply n, n + 1, ..."
        )
    if len(index) == 0:
        raise ValueError(
            "The history is empty, so there is no last step to continue from. "
            "Pass a history with at least one time step."
        )
    check_time_order(index, "the history")
    if isinstance(index, pd.PeriodIndex):
        return pd.period_range(index[-1] + 1, periods=n_future, freq=index.freq)
    if isinstance(index, pd.DatetimeIndex):
        # "infer" rather than pd.infer_freq, which warns of its pandas-4 change
        freq = index.freq or pd.DatetimeIndex(index, freq="infer").freq
        if freq is None:
            raise ValueError(
                "The history's DatetimeIndex has no regular frequency, so the "
                "forecast steps cannot be dated. Resample it to one first, e.g. "
                "history.asfreq('MS') or history.resample('W').mean()."
            )
        _check_forwards(index[-1], index[-1] + freq)
        return pd.date_range(index[-1], periods=n_future + 1, freq=freq)[1:]
    if isinstance(index, pd.RangeIndex):
        _check_forwards(index[-1], index[-1] + index.step)
        return pd.RangeIndex(
            index[-1] + index.step, index[-1] + index.step * (n_future + 1), index.step
        )
    raise ValueError(
        f"The history's index is a {type(index).__name__}; future_index needs a "
        "DatetimeIndex, PeriodIndex or RangeIndex. Index the history by time."
    )
