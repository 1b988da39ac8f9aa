"""A fitted pipeline's next steps as a tidy, dated ``DataFrame``."""

from __future__ import annotations

from numbers import Real

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._long_format import is_long, split_long
from ._windower import SeriesWindower, future_index

ATTRS_KEY = "sk_seq2seq"


def forecast(pipeline, history, *, future=None, coverage=None):
    """Forecast the next ``n_future`` steps of every series as a tidy DataFrame.

    The route from a history to dated forecasts with intervals: for a fitted
    ``Pipeline`` whose first step is a :class:`SeriesWindower` and whose last
    step forecasts windows (:class:`Seq2SeqRegressor`,
    :class:`NaiveForecaster`), it windows the end of ``history``, forecasts
    it, and labels every forecast step with its series and time stamp.

    ``Pipeline`` forwards only the methods scikit-learn defines (``predict``,
    ``transform``, ...), so a pipeline has no ``predict_interval``: the
    intervals of a pipeline come from here (``coverage``). A whole fitted
    pipeline is saved with ``joblib.dump(pipeline, path)`` (pickle: only for
    files you made yourself); the safe ``save`` format holds one
    :class:`Seq2SeqRegressor`.

    Parameters
    ----------
    pipeline : Pipeline
        Fitted; its first step a ``SeriesWindower``, its last a window
        forecaster (with ``predict_interval`` when ``coverage`` is given).
    history : DataFrame, Series, array-like or list of series
        What the pipeline was fitted on, up to now, in the same layout: a long
        frame (id, time and value columns) for a windower with
        ``id_column``; a ``Series`` or ``DataFrame`` indexed by time; an array
        ``(n_timesteps,)``, ``(n_series, n_timesteps)`` or
        ``(n_series, n_timesteps, n_features)``; or a list of series.
    future : DataFrame, ndarray or None, default=None
        The known features (the windower's ``future_features``) over the
        ``n_future`` steps of the forecast period, in the history's layout:
        for a long history, the id and time columns and the known columns
        (neuralforecast's ``futr_df``); for a ``DataFrame`` indexed by time,
        the known columns indexed by the forecast's stamps; for a 3-D array,
        ``(n_series, n_future, n_known)`` (or every feature, the others NaN).
        Required exactly when the windower has ``future_features``.
    coverage : float in (0, 1) or None, default=None
        With a value, add ``<target>_lower`` and ``<target>_upper``, the
        bounds of the model's conformal prediction intervals.

    Returns
    -------
    frame : pandas.DataFrame of shape (n_series * n_future, n_columns)
        One row per series and forecast step, ordered by series then time:

        - the id column (named as the windower's ``id_column``; for several
          series given otherwise, ``unique_id`` holding their positions 0, 1,
          ...; absent for one series);
        - the time column (the windower's ``time_column``, else ``ds``): each
          series' next time stamps by its frequency, or integer positions
          continuing a ``RangeIndex`` or an array;
        - one column per target, named as the target (a column name, a
          ``Series``' name; ``y`` for one unnamed target, ``y0, y1, ...`` for
          several);
        - with ``coverage``, ``<target>_lower`` and ``<target>_upper``.

        ``frame.attrs["sk_seq2seq"]`` says which columns are which, for
        :func:`plot_forecast`.

    See Also
    --------
    plot_forecast : Draw a history's tail and this forecast.
    future_index : The time stamps of one pandas history's forecast.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from sklearn.pipeline import make_pipeline
    >>> from sk_seq2seq import NaiveForecaster, SeriesWindower, forecast
    >>> frame = pd.DataFrame({
    ...     "unique_id": ["a"] * 30 + ["b"] * 40,
    ...     "ds": list(pd.date_range("2024-01-01", periods=30, freq="D"))
    ...     + list(pd.date_range("2024-03-01", periods=40, freq="D")),
    ...     "y": np.arange(70.0),
    ... })
    >>> pipe = make_pipeline(
    ...     SeriesWindower(10, 3, id_column="unique_id", time_column="ds"),
    ...     NaiveForecaster("last"),  # the horizon comes with the windows
    ... ).fit(frame)
    >>> forecast(pipe, frame, coverage=0.9)
      unique_id         ds     y  y_lower  y_upper
    0         a 2024-01-31  29.0     28.0     30.0
    1         a 2024-02-01  29.0     27.0     31.0
    2         a 2024-02-02  29.0     26.0     32.0
    3         b 2024-04-10  69.0     68.0     70.0
    4         b 2024-04-11  69.0     67.0     71.0
    5         b 2024-04-12  69.0     66.0     72.0
    """
    import pandas as pd

    windower, model = _check_pipeline(pipeline, coverage)
    n_future = windower.n_future
    layout = _layout(windower, history, n_future)
    X = _with_future(windower, history, future, layout)
    inputs = pipeline[:-1].transform(X)
    columns = [_as_3d(model.predict(inputs))]
    if coverage is not None:
        columns += [_as_3d(bound) for bound in model.predict_interval(inputs, coverage)]
    n_series, horizon, n_targets = columns[0].shape
    if n_series != len(layout.ids):
        raise ValueError(
            f"The pipeline forecast {n_series} series, but the history holds "
            f"{len(layout.ids)}. Pass the history in the layout it was fitted on."
        )
    names = _target_names(windower, model, history, n_targets)
    data = {}
    if layout.id_name is not None:
        data[layout.id_name] = np.repeat(np.asarray(layout.ids, dtype=object), horizon)
        if all(isinstance(i, (int, np.integer)) for i in layout.ids):
            data[layout.id_name] = data[layout.id_name].astype(np.int64)
    stamps = [stamp[:horizon] for stamp in layout.stamps]
    data[layout.time_name] = (
        stamps[0].append(stamps[1:]) if len(stamps) > 1 else stamps[0]
    )
    for target, name in enumerate(names):
        data[name] = columns[0][:, :, target].ravel()
        if coverage is not None:
            data[f"{name}_lower"] = columns[1][:, :, target].ravel()
            data[f"{name}_upper"] = columns[2][:, :, target].ravel()
    frame = pd.DataFrame(data)
    frame.attrs[ATTRS_KEY] = {
        "id_column": layout.id_name,
        "time_column": layout.time_name,
        "targets": names,
        "target_positions": _target_positions(windower, model, n_targets),
        "coverage": coverage,
        "windower": {
            "id_column": windower.id_column,
            "time_column": windower.time_column,
            "freq": windower.freq,
        },
    }
    return frame


class _Layout:
    """Series ids, their forecast stamps, and the frame's id and time names."""

    def __init__(self, ids, stamps, id_name, time_name, long=None):
        self.ids, self.stamps = ids, stamps
        self.id_name, self.time_name = id_name, time_name
        self.long = long


def _check_pipeline(pipeline, coverage):
    if not isinstance(pipeline, Pipeline) or not isinstance(
        pipeline[0], SeriesWindower
    ):
        raise TypeError(
            "forecast needs a fitted Pipeline whose first step is a SeriesWindower "
            f"and whose last forecasts windows, got {type(pipeline).__name__}. "
            "Build it with make_pipeline(SeriesWindower(...), Seq2SeqRegressor()); "
            "after a search, pass search.best_estimator_."
        )
    windower, model = pipeline[0], pipeline[-1]
    check_is_fitted(windower)
    check_is_fitted(model)
    if coverage is not None:
        if (
            not isinstance(coverage, Real)
            or isinstance(coverage, bool)
            or not 0 < coverage < 1
        ):
            raise ValueError(
                f"coverage must be a number in (0, 1), got {coverage!r}; e.g. "
                "coverage=0.9 for 90% intervals, or None for none."
            )
        if not hasattr(model, "predict_interval"):
            raise TypeError(
                f"coverage needs a model with predict_interval, but the pipeline "
                f"ends with a {type(model).__name__}. End it with a "
                "Seq2SeqRegressor or NaiveForecaster, or pass coverage=None."
            )
    return windower, model


def _layout(windower, history, n_future) -> _Layout:
    import pandas as pd

    time_name = windower.time_column if windower.time_column is not None else "ds"
    if is_long(windower):
        long = split_long(
            history,
            id_column=windower.id_column,
            time_column=windower.time_column,
            freq=windower.freq,
            name="history",
        )
        return _Layout(
            [one.id for one in long],
            [pd.Index(one.next_times(n_future)) for one in long],
            windower.id_column,
            time_name,
            long,
        )
    if isinstance(history, (pd.Series, pd.DataFrame)):
        return _Layout([0], [_next_stamps(history, n_future)], None, time_name)
    if isinstance(history, (list, tuple)) and _is_list_of_series(history):
        stamps = [_next_stamps(item, n_future) for item in history]
        return _Layout(list(range(len(history))), stamps, "unique_id", time_name)
    shape = np.shape(history)
    n_series = 1 if len(shape) < 2 else shape[0]
    length = shape[0] if len(shape) == 1 else shape[1]
    positions = pd.RangeIndex(length, length + n_future)
    if n_series == 1:
        return _Layout([0], [positions], None, time_name)
    return _Layout(
        list(range(n_series)), [positions] * n_series, "unique_id", time_name
    )


def _is_list_of_series(history) -> bool:
    lengths = {len(item) for item in history if hasattr(item, "__len__")}
    return len(lengths) > 1


def _next_stamps(series, n_future):
    import pandas as pd

    index = getattr(series, "index", None)
    if isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex, pd.RangeIndex)):
        return future_index(index, n_future)
    return pd.RangeIndex(len(series), len(series) + n_future)


def _with_future(windower, history, future, layout):
    """The windower's input: the history, then the forecast period if known."""
    known = list(windower.future_features_index_)
    if not known:
        if future is not None:
            raise ValueError(
                "future holds known features of the forecast period, but the "
                "pipeline's SeriesWindower has no future_features, so it reads "
                "none. Pass future=None, or fit with future_features."
            )
        return history
    if future is None:
        raise ValueError(
            f"The pipeline's SeriesWindower has future_features="
            f"{windower.future_features!r}, known over the forecast period: pass "
            f"their values for the n_future={windower.n_future} steps as future= "
            "(in the history's layout)."
        )
    if layout.long is not None:
        return _long_with_future(windower, history, future, layout)
    import pandas as pd

    if isinstance(history, pd.DataFrame):
        return _frame_with_future(windower, history, future, layout)
    return _array_with_future(windower, history, future)


def _known_names(windower):
    names = getattr(windower, "feature_names_in_", None)
    if names is None:
        return None
    return [names[i] for i in windower.future_features_index_]


def _long_with_future(windower, history, future, layout):
    import pandas as pd

    id_column, time_column = windower.id_column, windower.time_column
    needed = [c for c in (id_column, time_column) if c is not None]
    known = _known_names(windower)
    if not isinstance(future, pd.DataFrame) or any(
        c not in future.columns for c in needed + known
    ):
        raise ValueError(
            f"future must be a long DataFrame with the columns {needed + known} "
            f"(the id and time columns and future_features={known}), one row per "
            "series and forecast step"
            + (
                f"; it has {list(future.columns)}."
                if isinstance(future, pd.DataFrame)
                else f"; got a {type(future).__name__}."
            )
        )
    periods = split_long(
        future[needed + known],
        id_column=id_column,
        time_column=time_column,
        freq=windower.freq,
        name="future",
    )
    by_id = {one.id: one for one in periods}
    for one, stamps in zip(layout.long, layout.stamps):
        period = by_id.pop(one.id, None)
        given = [] if period is None else list(period.times)
        if given != list(stamps):
            raise ValueError(
                f"future holds {len(given)} rows of {one.name()}, but its forecast "
                f"period is the n_future={windower.n_future} steps after its end: "
                f"{stamps[0]} to {stamps[-1]}. Pass one row per forecast step."
            )
    if by_id:
        raise ValueError(
            f"future holds series the history does not: {list(by_id)[:5]}. Pass "
            "the forecast period of the history's series only."
        )
    return pd.concat(
        [history, future[needed + known]], ignore_index=time_column is not None
    )


def _frame_with_future(windower, history, future, layout):
    import pandas as pd

    known = _known_names(windower) or [
        history.columns[i] for i in windower.future_features_index_
    ]
    if not isinstance(future, pd.DataFrame) or any(
        c not in future.columns for c in known
    ):
        raise ValueError(
            f"future must be a DataFrame with the columns {known} (the known "
            f"features), one row per forecast step, indexed by the forecast's "
            "time stamps."
        )
    stamps = layout.stamps[0]
    if len(future) != windower.n_future or not future.index.equals(stamps):
        raise ValueError(
            f"future holds {len(future)} rows indexed {list(future.index[:3])}..., "
            f"but the forecast period is the n_future={windower.n_future} steps "
            f"after the history's end, {stamps[0]} to {stamps[-1]}. Index future "
            "by them: future.index = future_index(history, n_future)."
        )
    return pd.concat([history, future[known].reindex(columns=history.columns)])


def _array_with_future(windower, history, future):
    past = np.asarray(history, dtype=float)
    period = np.asarray(future, dtype=float)
    known = list(windower.future_features_index_)
    if past.ndim != 3 or period.ndim != 3 or len(period) != len(past):
        raise ValueError(
            f"With future_features and an array history, pass the history as "
            f"(n_series, n_timesteps, n_features) and future as (n_series, "
            f"n_future, n_known) or (n_series, n_future, n_features); got shapes "
            f"{past.shape} and {period.shape}."
        )
    if period.shape[1] != windower.n_future:
        raise ValueError(
            f"future holds {period.shape[1]} steps per series, but the forecast "
            f"period is n_future={windower.n_future} steps. Pass one per step."
        )
    if period.shape[2] == len(known):
        full = np.full(period.shape[:2] + past.shape[2:], np.nan)
        full[:, :, known] = period
        period = full
    elif period.shape[2] != past.shape[2]:
        raise ValueError(
            f"future has {period.shape[2]} features per step; pass the "
            f"{len(known)} known ones (future_features) or all {past.shape[2]}."
        )
    return np.concatenate([past, period], axis=1)


def _as_3d(array):
    array = np.asarray(array)
    if array.ndim == 1:
        return array[:, np.newaxis, np.newaxis]
    return array[:, :, np.newaxis] if array.ndim == 2 else array


def _target_positions(windower, model, n_targets) -> list | None:
    """The features the model forecasts, as positions, where they are known."""
    positions = windower.target_features_index_
    if positions is None:
        positions = getattr(model, "target_index_", None)
    if positions is None and n_targets == windower.n_features_in_:
        positions = range(n_targets)
    if positions is None or len(positions) != n_targets:
        return None
    return [int(i) for i in positions]


def _target_names(windower, model, history, n_targets) -> list:
    columns = getattr(windower, "feature_names_in_", None)
    if columns is None and getattr(history, "name", None) is not None:
        columns = [history.name]
    positions = _target_positions(windower, model, n_targets)
    if columns is not None and positions is not None:
        return [_as_name(columns[i]) for i in positions]
    return ["y"] if n_targets == 1 else [f"y{i}" for i in range(n_targets)]


def _as_name(label) -> str:
    return label if isinstance(label, str) else str(label)
