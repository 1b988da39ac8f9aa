"""Cut raw series into (past, future) training windows."""

from __future__ import annotations

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, validate_params
from sklearn.utils.validation import check_is_fitted

from ._validation import as_3d, check_values
from ._windows import Windows


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
        groups = self._check_series(X, self.n_past + self.n_future, "fit")
        self.n_features_in_ = groups[0].shape[2]
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
        return Windows(groups, self.n_past + self.n_future, step=self.step)

    def transform(self, X) -> np.ndarray:
        """Return each series' last ``n_past`` steps, the input to forecast from.

        Parameters
        ----------
        X : array-like of shape (n_timesteps,), (n_series, n_timesteps) or \
                (n_series, n_timesteps, n_features), a list of series, or pandas
            The series to forecast; any length of at least ``n_past``.

        Returns
        -------
        past : ndarray of shape (n_series, n_past, n_features)
            The last ``n_past`` steps of each series. Read-only.
        """
        check_is_fitted(self)
        groups = self._check_series(X, self.n_past, "transform")
        if groups[0].shape[2] != self.n_features_in_:
            raise ValueError(
                f"X has {groups[0].shape[2]} features per time step, but "
                f"SeriesWindower was fitted on {self.n_features_in_}. Pass series "
                "with the same features (last axis) as in fit."
            )
        return _read_only([series[:, -self.n_past :] for series in groups])

    def _check_series(self, X, min_length, method):
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
            groups = [self._check_group(X, one_d="series", rows=True)]
        elif _is_list_of_unequal_series(X):
            groups = [self._check_group(item, one_d="series", rows=True) for item in X]
        else:
            groups = [self._check_group(X, one_d="series")]
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
                    if method == "fit"
                    else f"n_past = {self.n_past}"
                )
                which = f"Series {position}" if len(groups) > 1 else "The series"
                raise ValueError(
                    f"{which} has {group.shape[1]} time steps, but {method} needs "
                    f"at least {min_length} ({need}). Pass a longer history or "
                    "make the windows shorter."
                )
        return groups

    @staticmethod
    def _check_group(X, *, one_d, rows=False):
        array = check_values(
            X,
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
        freq = index.freq or (pd.infer_freq(index) if len(index) >= 3 else None)
        if freq is None:
            raise ValueError(
                "The history's DatetimeIndex has no regular frequency, so the "
                "forecast steps cannot be dated. Resample it to one first, e.g. "
                "history.asfreq('MS') or history.resample('W').mean()."
            )
        return pd.date_range(index[-1], periods=n_future + 1, freq=freq)[1:]
    if isinstance(index, pd.RangeIndex):
        return pd.RangeIndex(
            index[-1] + index.step, index[-1] + index.step * (n_future + 1), index.step
        )
    raise ValueError(
        f"The history's index is a {type(index).__name__}; future_index needs a "
        "DatetimeIndex, PeriodIndex or RangeIndex. Index the history by time."
    )
