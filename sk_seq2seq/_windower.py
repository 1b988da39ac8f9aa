"""Cut raw series into (past, future) training windows."""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import NamedTuple

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import Interval, validate_params
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from ._long_format import is_long, split_long
from ._value_checks import as_3d, check_values
from ._window_checks import resolve_features
from ._window_container import Windows


class SeriesWindower(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):
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
        Number of future steps the model forecasts. The windows carry it, so
        a following regressor need not be told it again.
    step : int, default=1
        Stride between the starts of two consecutive training windows.
    id_column : hashable or None, default=None
        With a long ``DataFrame`` (one row per series and time stamp), the
        column that holds each row's series id. Every id is one series, of
        any length and start; series come in the order of their sorted ids.
        ``None``: the input is arrays, one series per ``DataFrame``, or (with
        ``time_column``) a long frame of one series.
    time_column : hashable or None, default=None
        With a long ``DataFrame``, the column of time stamps (dates, periods
        or integers). Each series' rows may come in any order: they are
        sorted by it. ``None`` with ``id_column``: the frame's index is the
        time (a ``DatetimeIndex``, ``PeriodIndex`` or ``RangeIndex``).
    freq : str, pandas offset, int or None, default=None
        The step between two time stamps of a long frame ('D', 'h', 'MS', or
        an int for integer times). ``None``: inferred per series. A series
        whose stamps are not regular at it (a gap, a stamp off it) is refused
        by name.
    target_features : list of int, list of str or None, default=None
        The features to forecast: indices of the last axis, or column names
        when fitted on a ``DataFrame``; every other feature is a covariate.
        The windows carry them as positions, so the following regressor need
        not be told them again. ``None``: not said here (the regressor's own
        ``target_features`` decide; by default every feature is a target).
    future_features : list of int, list of str or None, default=None
        Features known in advance: indices of the last axis, or column names
        when fitted on a pandas ``DataFrame``. ``transform`` then expects the
        ``n_future`` rows of the forecast period after the history (see
        above); NaN is allowed only in those rows, and only in the other
        features. ``None``: no feature is known in advance, and ``transform``
        reads the history alone. The windows carry them as positions
        (``future_features_index_``).

    Attributes
    ----------
    n_features_in_ : int
        Number of features (channels) per time step seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        The names of those features: the ``DataFrame``'s columns (for a long
        frame, those other than the id and time columns). Defined only when
        fitted on a ``DataFrame``; ``transform`` then refuses columns that
        differ, or come in another order.
    future_features_index_ : tuple of int
        The positions of ``future_features`` among the features; empty
        without them.
    target_features_index_ : tuple of int or None
        The positions of ``target_features``; ``None`` without them.
    n_series_left_out_ : int
        Series of a long frame too short for one window, left out of the
        training windows (a warning counts them).

    See Also
    --------
    Seq2SeqRegressor : The model that reads these windows.
    forecast : Dated, tidy forecasts of a pipeline that starts with this
        windower, with intervals.
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

    The windows are 3-D, so they stay arrays whatever
    ``sklearn.set_config(transform_output=...)`` says: the windower opts out of
    scikit-learn's automatic pandas (or polars) output, and ``set_output``
    accepts and ignores the setting so that ``Pipeline.set_output`` works. A
    dated, tidy forecast comes from :func:`forecast`.

    Arrays are read with time in the middle: a 2-D array is
    ``(n_series, n_timesteps)``, one feature per step. One series of several
    features with time as rows, ``(n_timesteps, n_features)``, is
    ``X[np.newaxis]`` or a ``DataFrame``.

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
    columns; or, with ``id_column`` (or ``time_column``), a long
    ``DataFrame`` of several series (see Parameters). Otherwise rows are read
    in their order, so an index of time stamps, periods or numbers must
    increase strictly: an unsorted index or repeated
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

    A long frame: one row per series and time stamp, series of any lengths.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({
    ...     "unique_id": ["a"] * 30 + ["b"] * 40,
    ...     "ds": list(pd.date_range("2024-01-01", periods=30, freq="D"))
    ...     + list(pd.date_range("2024-03-01", periods=40, freq="D")),
    ...     "y": np.arange(70.0),
    ... })
    >>> windower = SeriesWindower(n_past=10, n_future=5, id_column="unique_id",
    ...                           time_column="ds")
    >>> windower.fit_transform(frame).shape   # 16 windows of "a", 26 of "b"
    (42, 15, 1)
    >>> windower.transform(frame).shape
    (2, 10, 1)
    >>> windower.get_feature_names_out().tolist()
    ['y']
    """

    _parameter_constraints: dict = {
        "n_past": [Interval(Integral, 1, None, closed="left")],
        "n_future": [Interval(Integral, 1, None, closed="left")],
        "step": [Interval(Integral, 1, None, closed="left")],
        "id_column": "no_validation",
        "time_column": "no_validation",
        "freq": "no_validation",
        "target_features": [None, "array-like"],
        "future_features": [None, "array-like"],
    }

    def __init__(
        self,
        n_past: int = 15,
        n_future: int = 15,
        *,
        step: int = 1,
        id_column=None,
        time_column=None,
        freq=None,
        target_features: list[int] | list[str] | None = None,
        future_features: list[int] | list[str] | None = None,
    ):
        self.n_past = n_past
        self.n_future = n_future
        self.step = step
        self.id_column = id_column
        self.time_column = time_column
        self.freq = freq
        self.target_features = target_features
        self.future_features = future_features

    def fit(self, X, y=None) -> SeriesWindower:
        """Check the series and remember their features.

        Parameters
        ----------
        X : array-like of shape (n_timesteps,), (n_series, n_timesteps) or \
                (n_series, n_timesteps, n_features), a list of series, or pandas
            The raw history; see the class docstring for lists and pandas.
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
        series = self._read(X, "fit")
        groups, left_out = self._long_enough(series, "fit")
        n_features = groups[0].shape[2]
        columns = series.columns
        future_index = self._features_index("future_features", columns, n_features)
        target_index = self._features_index("target_features", columns, n_features)
        self.n_features_in_ = n_features
        if columns is not None:
            names = np.empty(len(columns), dtype=object)
            names[:] = columns
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self.future_features_index_ = future_index or ()
        self.target_features_index_ = target_index
        self.n_series_left_out_ = left_out
        return groups

    def fit_transform(self, X, y=None) -> Windows:
        """Fit, then return every training window of every series, lazily.

        Parameters
        ----------
        X : array-like of shape (n_timesteps,), (n_series, n_timesteps) or \
                (n_series, n_timesteps, n_features), a list of series, or pandas
            The history to learn from and cut, in any layout :meth:`fit`
            takes.
        y : None
            Not used; here for scikit-learn's API.

        Returns
        -------
        windows : Windows of shape (n_windows, n_past + n_future, n_features)
            Every window of ``n_past + n_future`` consecutive steps, starting
            every ``step`` steps, series after series; no window crosses two
            series. A read-only array-like that holds only the (float) series
            and computes the windows that are indexed (``windows[:256]`` is an
            ndarray; ``np.asarray(windows)`` computes them all), so that a
            long history never becomes one copy per window.
            :class:`Seq2SeqRegressor` trains on it batch by batch. It carries
            ``n_future``, ``target_features`` and ``future_features`` (as
            positions) for the model fitted on it; an indexed part, an
            ndarray, carries none of them.
        """
        groups = self._fit(X)
        return Windows(
            groups,
            self.n_past + self.n_future,
            step=self.step,
            n_future=self.n_future,
            future_features=self.future_features_index_,
            target_features=self.target_features_index_,
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
        series = self._read(X, "transform")
        groups, _ = self._long_enough(series, "transform")
        if groups[0].shape[2] != self.n_features_in_:
            raise ValueError(
                f"X has {groups[0].shape[2]} features per time step, but "
                f"SeriesWindower was fitted on {self.n_features_in_}. Pass series "
                "with the same features (last axis) as in fit."
                + _axis_hint(X, "features")
            )
        if self.future_features_index_:
            self._check_forecast_period(series, groups)
        return _read_only([group[:, -self._input_length() :] for group in groups])

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """The names of the windows' features (their last axis).

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            ``None``: the columns seen in ``fit`` (for a long frame, its value
            columns), else ``x0, x1, ...``. Given, they must match those.

        Returns
        -------
        feature_names_out : ndarray of str objects of shape (n_features_in_,)
            One name per feature of the windows; the windows themselves stay
            3-D arrays.
        """
        check_is_fitted(self, "n_features_in_")
        return _check_feature_names_in(self, input_features)

    def set_output(self, *, transform=None) -> SeriesWindower:
        """Accept an output container and keep returning arrays.

        Windows are 3-D ``(n_windows, n_timesteps, n_features)``, which no
        ``DataFrame`` holds, so they stay arrays; this method exists so that
        ``Pipeline.set_output(transform="pandas")`` configures the other
        steps. A dated, tidy forecast comes from :func:`forecast`.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None, default=None
            Ignored, after checking it is one of these.

        Returns
        -------
        self : SeriesWindower
        """
        if transform not in (None, "default", "pandas", "polars"):
            raise ValueError(
                f"transform={transform!r} is not an output scikit-learn knows. "
                "Pass 'default', 'pandas', 'polars' or None."
            )
        return self

    def _input_length(self) -> int:
        known = bool(self.future_features_index_)
        return self.n_past + self.n_future if known else self.n_past

    def _read(self, X, method) -> _Series:
        """The series of X as 3-D groups, with their names and column names."""
        allow_nan = method == "transform" and bool(self.future_features_index_)
        if is_long(self):
            long = split_long(
                X,
                id_column=self.id_column,
                time_column=self.time_column,
                freq=self.freq,
            )
            _check_value_columns(long[0].values)
            groups = [self._check_long_series(one, allow_nan) for one in long]
            columns = list(long[0].values.columns)
            names = [one.name() for one in long]
        else:
            groups = self._check_series(X, allow_nan=allow_nan)
            columns = _column_names(X)
            names = None
        if method == "transform":
            self._check_columns(columns)
        return _Series(groups, columns, names, X)

    def _check_long_series(self, one, allow_nan):
        """One series of a long frame, 3-D; its errors name it."""
        try:
            return self._check_group(
                one.values, one_d="series", rows=True, allow_nan=allow_nan
            )
        except ValueError as error:
            raise ValueError(
                f"In {one.name()} (its rows sorted by time, from {one.times[0]}): "
                f"{error}"
            ) from error

    def _check_columns(self, columns) -> None:
        """Refuse columns other than fit's: features are read by position."""
        fitted = getattr(self, "feature_names_in_", None)
        if fitted is None or columns is None or list(columns) == list(fitted):
            return
        missing = [name for name in fitted if name not in columns]
        extra = [name for name in columns if name not in list(fitted)]
        if missing or extra:
            detail = f"missing {missing}" if missing else ""
            detail += (", " if missing and extra else "") + (
                f"unexpected {extra}" if extra else ""
            )
        else:
            detail = "the same names in another order"
        raise ValueError(
            f"X's feature columns {list(columns)} are not those seen in fit "
            f"{list(fitted)} ({detail}). The windower reads features by position, "
            f"so other columns would be forecast as these: pass X[{list(fitted)}]."
        )

    def _long_enough(self, series: _Series, method):
        """Groups long enough to window; at fit, drop (and count) the others."""
        if method == "fit":
            min_length, need = (
                self.n_past + self.n_future,
                f"n_past + n_future = {self.n_past} + {self.n_future}",
            )
        elif self.future_features_index_:
            min_length = self.n_past + self.n_future
            need = (
                f"n_past + n_future = {self.n_past} + {self.n_future}: with "
                "future_features, the history then the n_future rows of the "
                "forecast period"
            )
        else:
            min_length, need = self.n_past, f"n_past = {self.n_past}"
        short = [i for i, g in enumerate(series.groups) if g.shape[1] < min_length]
        if series.names is not None and method == "fit" and short:
            kept = [g for i, g in enumerate(series.groups) if i not in short]
            if not kept:
                raise ValueError(
                    f"Every series of X is shorter than {need} time steps (the "
                    f"longest has {max(g.shape[1] for g in series.groups)}), so "
                    "there is no window to train on. Pass longer series or make "
                    "the windows shorter."
                )
            named = ", ".join(series.names[i] for i in short[:5])
            warnings.warn(
                f"{len(short)} of {len(series.groups)} series are shorter than "
                f"{need} time steps and were left out of the training windows "
                f"({named}{', ...' if len(short) > 5 else ''}).",
                UserWarning,
                stacklevel=4,
            )
            return kept, len(short)
        if short:
            position = short[0]
            length = series.groups[position].shape[1]
            if series.names is not None:
                which = series.names[position].capitalize()
            elif len(series.groups) > 1:
                which = f"Series {position}"
            else:
                which = "The series"
            raise ValueError(
                f"{which} has {_steps(length)}, but {method} needs at least "
                f"{min_length} ({need}). Pass a longer history or make the "
                "windows shorter." + _axis_hint(series.X, "steps")
            )
        return series.groups, 0

    def _features_index(self, role, columns, n_features) -> tuple[int, ...] | None:
        """Positions of ``target_features`` or ``future_features``, or None."""
        listed = getattr(self, role)
        if listed is None:
            return None
        return resolve_features(role, listed, n_features, columns)

    def _check_forecast_period(self, series: _Series, groups) -> None:
        """NaN only in the forecast period, and never in a known feature."""
        columns = series.columns
        known = list(self.future_features_index_)
        for position, group in enumerate(groups):
            missing = np.isnan(group)
            missing[
                :,
                -self.n_future :,
                [f for f in range(group.shape[2]) if f not in known],
            ] = False
            if not missing.any():
                continue
            row_in_group, step, feature = (int(i) for i in np.argwhere(missing)[0])
            name = (
                f"feature {feature}"
                if columns is None
                else f"column {columns[feature]!r}"
            )
            if series.names is not None:
                which = f" of {series.names[position]}"
            else:
                series_at = row_in_group if len(groups) == 1 else position
                which = (
                    ""
                    if len(groups) == 1 and len(group) == 1
                    else f" of series {series_at}"
                )
            period_start = group.shape[1] - self.n_future
            if step < period_start:
                raise ValueError(
                    f"X holds NaN before the forecast period: {name} at step {step}"
                    f"{which}, one of the last {group.shape[1] - step} steps. "
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

    def _check_series(self, X, *, allow_nan=False):
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


def _check_value_columns(values) -> None:
    """Name a long frame's value column that holds no numbers."""
    import pandas as pd

    for column in values.columns:
        dtype = values[column].dtype
        if not (
            pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        ):
            raise ValueError(
                f"Column {column!r} of X holds {dtype} values, but every column "
                "besides the id and time columns is a feature and must hold "
                f"numbers. Drop it (X.drop(columns={column!r})) or encode it as "
                "numbers first."
            )


class _Series(NamedTuple):
    """What the windower read from X."""

    groups: list  # 3-D arrays (n_series, n_timesteps, n_features)
    columns: list | None  # the features' names, if X has columns
    names: list | None  # "series 'a'" per group of a long frame, else None
    X: object  # the input, for messages


def _axis_hint(X, what: str) -> str:
    """How a 2-D array was read, for errors about its steps or features."""
    if _is_pandas(X) or isinstance(X, (list, tuple)) or np.ndim(X) != 2:
        return ""
    n_rows, n_columns = np.shape(X)
    read = (
        f"{n_rows} series of {_steps(n_columns)}"
        if what == "steps"
        else f"{n_rows} series of {_steps(n_columns)}, one feature each"
    )
    return (
        f" X is a 2-D array of shape {np.shape(X)}, read as (n_series, "
        f"n_timesteps): {read}. One series with time as rows is "
        "(n_timesteps, n_features): pass X[np.newaxis] (or X.T for one "
        "feature), or a DataFrame."
    )


def _steps(n: int) -> str:
    # "1 time steps" too: tests and users match one phrase
    return f"{n} time steps"


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
