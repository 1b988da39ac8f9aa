"""Rolling-origin backtests: forecast a history from many origins, as in use."""

from __future__ import annotations

from numbers import Integral, Real
from typing import TYPE_CHECKING

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.utils._param_validation import HasMethods, Interval, validate_params
from sklearn.utils.validation import FLOAT_DTYPES

from ._value_checks import check_values
from ._window_checks import resolve_features
from ._window_container import Windows
from ._windower import _is_pandas, check_time_order

if TYPE_CHECKING:
    import pandas as pd

_FRAME_COLUMNS = ("origin", "step", "target", "actual", "forecast", "lower", "upper")


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"])],
        "history": ["array-like"],
        "n_past": [Interval(Integral, 1, None, closed="left")],
        "n_future": [Interval(Integral, 1, None, closed="left")],
        "start": [Interval(Integral, 0, None, closed="left")],
        "stride": [Interval(Integral, 1, None, closed="left")],
        "refit": ["boolean", Interval(Integral, 1, None, closed="left")],
        "coverage": [None, Interval(Real, 0, 1, closed="neither")],
        "target_features": [None, "array-like"],
        "future_features": [None, "array-like"],
        "n_jobs": [None, Integral],
    },
    prefer_skip_nested_validation=False,
)
def backtest(
    estimator,
    history,
    n_past: int,
    n_future: int,
    *,
    start: int,
    stride: int = 1,
    refit: bool | int = False,
    coverage: float | None = None,
    target_features: list | None = None,
    future_features: list | None = None,
    n_jobs: int | None = None,
) -> pd.DataFrame:
    """Forecast a history from rolling origins, never reading past an origin.

    A clone of ``estimator`` is fitted on every window of ``n_past +
    n_future`` steps that lies wholly before ``start``; it then forecasts the
    ``n_future`` steps from each origin ``start, start + stride, ...`` whose
    future lies within the history, reading only the ``n_past`` steps before
    that origin. With ``refit=k`` a fresh clone is fitted every ``k`` origins
    on every window that lies wholly before the first of them. No value at or
    after an origin is ever read to forecast from it: neither in training nor
    as input.

    Parameters
    ----------
    estimator : estimator
        Any scikit-learn regressor that fits ``(past, future)`` windows:
        :class:`Seq2SeqRegressor`, :class:`NaiveForecaster`, or, for a
        univariate history, any regressor of tables such as ``Ridge`` (past
        steps as columns). Cloned, never fitted itself.
    history : array-like of shape (n_timesteps,) or (n_timesteps, n_features)
        One series, time along the first axis: a 1-D array or a pandas
        ``Series`` (univariate), or a 2-D array or a pandas ``DataFrame``
        with one column per feature. A pandas index of time stamps or numbers
        must increase strictly, as for :class:`SeriesWindower`. A univariate
        history (one feature) gives 2-D windows, past ``(n_windows, n_past)``
        and future ``(n_windows, n_future)``, or ``(n_windows,)`` when
        ``n_future=1``, so that plain scikit-learn regressors work; a
        multivariate one gives 3-D windows, past ``(n_windows, n_past,
        n_features)`` and future ``(n_windows, n_future, n_targets)``, which
        only estimators that read windows take.
    n_past : int
        Past steps the estimator reads.
    n_future : int
        Steps forecast from each origin.
    start : int
        Position (0-based, also for pandas) of the first origin. At least
        ``n_past + n_future``, so that one training window fits before it.
    stride : int, default=1
        Steps between consecutive origins.
    refit : bool or int, default=False
        ``False`` fits once, before ``start``; an int ``k`` fits a fresh clone
        every ``k`` origins on everything before the first of them; ``True``
        is ``1``, a fit per origin.
    coverage : float or None, default=None
        With a value in (0, 1), also return the bounds of the estimator's
        prediction intervals of that coverage, from
        ``estimator.predict_interval(X, coverage=coverage)``.
    target_features : list of int, list of str or None, default=None
        The features of a multivariate history that are forecast (indices,
        or column names of a ``DataFrame``, whole tuples for a
        ``MultiIndex``); ``None``: all. Every feature's past is read. Tell the
        estimator the same, where it asks (e.g.
        ``NaiveForecaster(target_features=[0])``): an estimator whose own
        ``target_features`` name other features is refused, since the frame
        would label one feature's forecast as another's.
    future_features : list of int, list of str or None, default=None
        Features known in advance (indices or column names), for estimators
        that read them over the forecast period, such as
        ``Seq2SeqRegressor(future_features=...)``: every window, in training
        and from each origin, then holds ``n_past + n_future`` steps, and
        over its last ``n_future`` steps only these features' values are
        given (the others are NaN). Those are the only values at or after an
        origin that its forecast reads: values known at forecast time. The
        estimator must take the same ``future_features``; one that takes none
        (``NaiveForecaster``, ``Ridge``) is refused.
    n_jobs : int or None, default=None
        Fits to run in parallel with joblib when ``refit`` fits more than
        once; ``None`` is 1 unless in a ``joblib.parallel_backend`` context
        (the Dask backend works as for ``GridSearchCV``), ``-1`` uses all
        processors.

    Returns
    -------
    frame : pandas.DataFrame
        One row per origin, horizon step and target, in that order. Columns:
        ``origin`` (the position of the origin, the first forecast step, or
        its index label when ``history`` is pandas), ``step`` (1 to
        ``n_future``: the row forecasts position ``origin + step - 1``),
        ``target`` (the column name for pandas, else the feature's index),
        ``actual``, ``forecast``, and with ``coverage`` ``lower`` and
        ``upper``. :func:`backtest_summary` scores it.

    See Also
    --------
    backtest_summary : Errors and coverage per horizon step.
    SeriesWindower : Cut a history into the same windows for a pipeline.

    Notes
    -----
    Requires pandas. Only the history before an origin is handed to the fit
    that serves it, so leakage is ruled out by construction, not by care.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_seq2seq import NaiveForecaster, backtest
    >>> history = np.array([1.0, 2, 4, 3, 5, 6, 8, 7, 9])
    >>> backtest(NaiveForecaster(), history, n_past=3, n_future=2, start=6)
       origin  step  target  actual  forecast
    0       6     1       0     8.0       6.0
    1       6     2       0     7.0       6.0
    2       7     1       0     7.0       8.0
    3       7     2       0     9.0       8.0

    Several estimators compare on the same origins with a short loop:

    >>> import pandas as pd
    >>> from sklearn.linear_model import Ridge
    >>> from sk_seq2seq import backtest_summary
    >>> days = pd.date_range("2024-01-01", periods=120, freq="D")
    >>> series = pd.Series(np.sin(np.arange(120) / 3), index=days, name="y")
    >>> models = {"naive": NaiveForecaster(), "ridge": Ridge(alpha=1e-3)}
    >>> frame = pd.concat(
    ...     backtest(model, series, n_past=8, n_future=2, start=60).assign(model=name)
    ...     for name, model in models.items()
    ... )
    >>> frame["origin"].iloc[0]
    Timestamp('2024-03-01 00:00:00')
    >>> backtest_summary(frame).round(3)
                       mae   rmse
    model target step
    naive y      1   0.207  0.231
                 2   0.406  0.454
    ridge y      1   0.000  0.000
                 2   0.000  0.000
    """
    import pandas as pd

    if coverage is not None and not hasattr(estimator, "predict_interval"):
        raise TypeError(
            f"coverage={coverage} asks for prediction intervals, but "
            f"{type(estimator).__name__} has no predict_interval method. Pass an "
            "estimator that has one (NaiveForecaster, Seq2SeqRegressor), or "
            "coverage=None."
        )
    values, index, names, columns = _check_history(history)
    n_timesteps, n_features = values.shape
    targets = _resolve("target_features", target_features, columns, n_features)
    if targets is None:
        targets = np.arange(n_features)
    known = _resolve("future_features", future_features, columns, n_features)
    _check_roles(estimator, targets, known, columns, n_features)
    univariate = n_features == 1 and known is None
    if not univariate and not _reads_windows(estimator):
        raise ValueError(
            f"{type(estimator).__name__} reads 2-D tables, but "
            + (
                f"the history has {n_features} features"
                if known is None
                else "with future_features"
            )
            + ", so backtest gives it 3-D windows (n_windows, n_past, n_features). "
            "Backtest one feature at a time (e.g. history['y']), or pass an "
            "estimator that reads windows, e.g. Seq2SeqRegressor or "
            "NaiveForecaster."
        )
    if start < n_past + n_future:
        raise ValueError(
            f"start={start} leaves no training window before the first origin: a "
            f"window needs n_past + n_future = {n_past} + {n_future} = "
            f"{n_past + n_future} steps. Pass start >= {n_past + n_future}, or "
            "shorter windows."
        )
    if n_timesteps < n_past + 2 * n_future:
        axes = ""
        if np.ndim(history) == 2 and n_timesteps < n_features:
            axes = (
                f" A 2-D history is (n_timesteps, n_features), time along the "
                f"first axis: this one is {n_timesteps} step(s) of {n_features} "
                "features. For one series of those values pass history.ravel() "
                "(or history.T for a series per row, one at a time)."
            )
        raise ValueError(
            f"The history has {n_timesteps} time steps, too few for a backtest: "
            f"one training window (n_past + n_future = {n_past + n_future} steps) "
            f"then one forecast of n_future={n_future} steps need "
            f"{n_past + 2 * n_future}."
            + (axes or " Pass a longer history or shorter windows.")
        )
    if start + n_future > n_timesteps:
        raise ValueError(
            f"No origin's future fits in the history: it has {n_timesteps} steps, "
            f"and the first origin, start={start}, needs n_future={n_future} "
            f"steps from it on. Pass start <= {n_timesteps - n_future}."
        )
    origins = np.arange(start, n_timesteps - n_future + 1, stride)
    every = int(refit) if refit else len(origins)
    chunks = np.split(origins, np.arange(every, len(origins), every))
    input_length = n_past if known is None else n_past + n_future
    inputs = _windows(values, input_length)
    results = Parallel(n_jobs=n_jobs)(
        delayed(_fit_and_forecast)(
            clone(estimator),
            values[: chunk[0]],
            _origin_inputs(inputs, chunk - n_past, n_past, known),
            n_past=n_past,
            n_future=n_future,
            targets=targets,
            known=known,
            univariate=univariate,
            coverage=coverage,
        )
        for chunk in chunks
    )
    forecasts = {}
    for position, name in enumerate(("forecast", "lower", "upper")[: len(results[0])]):
        forecasts[name] = _checked_forecast(
            np.concatenate([result[position] for result in results]),
            (len(origins), n_future, len(targets)),
            type(estimator).__name__,
        )
    actual = _windows(values[:, targets], n_future)[origins]
    origin_at, step_at, target_at = (at.ravel() for at in np.indices(actual.shape))
    return pd.DataFrame(
        {
            "origin": index[origins[origin_at]],
            "step": step_at + 1,
            "target": names[targets[target_at]],
            "actual": actual.ravel(),
            **{name: value.ravel() for name, value in forecasts.items()},
        }
    )


def backtest_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Score a backtest: errors, and coverage of intervals, per horizon step.

    Parameters
    ----------
    frame : pandas.DataFrame
        What :func:`backtest` returns, or several such frames concatenated.
        Every column besides ``origin``, ``step``, ``target``, ``actual``,
        ``forecast``, ``lower`` and ``upper`` labels the rows (e.g. a
        ``model`` column naming the estimator) and is grouped by.

    Returns
    -------
    summary : pandas.DataFrame
        One row per label, target and horizon step (the index), in order of
        appearance. Columns: ``mae`` (mean absolute error), ``rmse`` (root
        mean squared error) and, when ``frame`` has ``lower`` and ``upper``,
        ``coverage`` (the fraction of actual values within the bounds) and
        ``mean_width`` (the mean of ``upper - lower``). A row whose actual
        value is missing is left out of every score, and one whose bounds are
        missing out of ``coverage`` and ``mean_width``: a label with no row
        left to score gets NaN (e.g. a model without intervals, concatenated
        with one that has them).

    Raises
    ------
    TypeError
        When ``frame`` is not a DataFrame.
    ValueError
        When it lacks a column, or holds anything but numbers in ``actual``,
        ``forecast``, ``lower`` or ``upper``.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_seq2seq import NaiveForecaster, backtest, backtest_summary
    >>> history = np.random.default_rng(0).normal(size=300).cumsum()
    >>> frame = backtest(NaiveForecaster(), history, n_past=5, n_future=2,
    ...                  start=150, coverage=0.8)
    >>> backtest_summary(frame).round(2)
                  mae  rmse  coverage  mean_width
    target step
    0      1     0.85  1.07      0.81        3.38
           2     1.19  1.52      0.77        4.22
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"backtest_summary scores the DataFrame that backtest returns, got a "
            f"{type(frame).__name__}. Pass that frame; several models' frames "
            "concatenated with a label, e.g. pd.concat(frame.assign(model=name) "
            "for name, frame in frames.items())."
        )
    missing = {"step", "target", "actual", "forecast"} - set(frame.columns)
    if missing:
        raise ValueError(
            f"The frame lacks the columns {sorted(missing)}. Pass the DataFrame "
            "that backtest returns (several may be concatenated)."
        )
    keys = [name for name in frame.columns if name not in _FRAME_COLUMNS]
    keys += ["target", "step"]
    actual, forecast = _numbers(frame, "actual"), _numbers(frame, "forecast")
    # a missing actual value says nothing of a forecast: left out of every score
    seen = ~np.isnan(actual)
    error = actual - forecast
    scores = {"mae": np.abs(error), "squared_error": error**2}
    if {"lower", "upper"} <= set(frame.columns):
        lower, upper = _numbers(frame, "lower"), _numbers(frame, "upper")
        bounded = seen & ~np.isnan(lower) & ~np.isnan(upper)
        within = (lower <= actual) & (actual <= upper)
        # rows without bounds (a model without intervals) are not misses: NaN
        scores["coverage"] = np.where(bounded, within, np.nan)
        scores["mean_width"] = np.where(bounded, upper - lower, np.nan)
    # positional: concatenated frames repeat index labels
    scores = frame[keys].assign(**scores)
    summary = scores.groupby(keys, sort=False, dropna=False).mean()
    summary.insert(1, "rmse", np.sqrt(summary.pop("squared_error")))
    return summary


def _numbers(frame, column) -> np.ndarray:
    """A column of the frame as float64, missing values as NaN; text refused."""
    import pandas as pd

    values = frame[column]
    if values.ndim != 1 or not (
        pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    ):
        raise ValueError(
            f"The column {column!r} of the frame holds {_kind(values)}, not "
            f"numbers, so backtest_summary cannot score it. Pass the frame "
            f"backtest returns, or convert the column first, e.g. "
            f"frame[{column!r}] = pd.to_numeric(frame[{column!r}])."
        )
    return values.to_numpy(dtype=np.float64, na_value=np.nan)


def _kind(values) -> str:
    if values.ndim != 1:
        return "several columns of that name"
    shown = values.dropna()
    example = f" (e.g. {shown.iloc[0]!r})" if len(shown) else ""
    return f"{values.dtype} values{example}"


def _check_history(history):
    """Values ``(n_timesteps, n_features)``, time labels, feature names, columns.

    ``columns`` are the names a user may list features by (a ``DataFrame``'s
    columns, a named ``Series``' name), else ``None``.
    """
    import pandas as pd

    if _is_pandas(history):
        # as SeriesWindower: rows are read in order, so time must run forwards
        check_time_order(history.index, "history")
    values = check_values(
        history,
        ensure_2d=False,
        allow_nd=True,
        dtype=FLOAT_DTYPES,
        ensure_min_samples=1,
        input_name="history",
    )
    if values.ndim > 2:
        raise ValueError(
            f"history has shape {values.shape}, but must be one series: "
            "(n_timesteps,) or (n_timesteps, n_features), time along the first "
            "axis. Backtest one series at a time."
        )
    values = values.reshape(len(values), -1)
    if isinstance(history, pd.DataFrame):
        return values, history.index, history.columns, history.columns
    if isinstance(history, pd.Series):
        if history.name is None:
            return values, history.index, pd.Index([0]), None
        return values, history.index, pd.Index([history.name]), [history.name]
    return values, pd.RangeIndex(len(values)), pd.RangeIndex(values.shape[1]), None


def _resolve(parameter, listed, columns, n_features):
    """Positions of a feature list of backtest's, or ``None``."""
    if listed is None:
        return None
    positions = resolve_features(
        parameter, listed, n_features, columns, source="the history"
    )
    return np.asarray(positions)


def _check_roles(estimator, targets, known, columns, n_features):
    """Refuse an estimator told other targets or known features than backtest.

    Its windows are cut from backtest's lists; an estimator that reads other
    features as its targets would label one feature's forecast as another's,
    and one that does not read the known future would read the NaN written
    over the rest of it.
    """
    forecaster = _final_estimator(estimator)
    params = {}
    if hasattr(forecaster, "get_params"):
        params = forecaster.get_params(deep=False)
    name = type(forecaster).__name__
    if known is not None and "future_features" not in params:
        raise ValueError(
            f"future_features={_listed(known, columns)} makes backtest hand "
            f"{name} windows of n_past + n_future steps whose future holds only "
            f"those features' values (the others are NaN), but {name} takes no "
            "future_features, so it would read them as a past full of NaN. Pass "
            "future_features=None, or an estimator that reads a known future, "
            "e.g. Seq2SeqRegressor(future_features=[...])."
        )
    own = params.get("future_features")
    if "future_features" in params and (
        (known is None) != (own is None)
        or (
            own is not None
            and _own("future_features", own, columns, n_features) != tuple(known)
        )
    ):
        raise ValueError(
            f"{name}(future_features={own!r}) disagrees with backtest's "
            f"future_features={None if known is None else _listed(known, columns)}:"
            " backtest cuts the windows, so it must know which features are known "
            "in advance. Pass the same features to both."
        )
    if "target_features" not in params:
        return
    own = params["target_features"]
    if own is None:
        # the estimator then takes y's targets for X's features, in order
        if len(targets) != n_features or np.array_equal(targets, np.arange(n_features)):
            return
        expected = tuple(range(n_features))
    else:
        expected = _own("target_features", own, columns, n_features)
    if expected != tuple(targets):
        raise ValueError(
            f"{name}(target_features={own!r}) disagrees with backtest's "
            f"target_features={_listed(targets, columns)}: the forecasts of "
            f"{_listed(expected, columns)} would be labelled as "
            f"{_listed(targets, columns)}. Pass the same features to both (as "
            "indices to the estimator)."
        )


def _final_estimator(estimator):
    """The estimator that forecasts: a Pipeline's last step, a search's estimator."""
    while True:
        if hasattr(estimator, "steps"):
            estimator = estimator.steps[-1][1]
        elif hasattr(getattr(estimator, "estimator", None), "fit"):
            estimator = estimator.estimator
        else:
            return estimator


def _own(parameter, listed, columns, n_features):
    """An estimator's own feature list, as positions (``()`` for ``[]``)."""
    if hasattr(listed, "__len__") and not isinstance(listed, str) and len(listed) == 0:
        return ()
    return resolve_features(
        parameter, listed, n_features, columns, source="the history"
    )


def _listed(positions, columns) -> list:
    """Feature positions as the user knows them: column names, else indices."""
    if columns is None:
        return [int(i) for i in positions]
    labels = list(columns)
    return [labels[i] for i in positions]


def _reads_windows(estimator) -> bool:
    """Whether ``estimator`` reads 3-D windows (unknown kinds are trusted)."""
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.utils import get_tags

    if hasattr(estimator, "steps"):  # a Pipeline: its first step reads them
        first = estimator.steps[0][1]
        return first in (None, "passthrough") or _reads_windows(first)
    inner = getattr(estimator, "estimator", None)
    if hasattr(inner, "fit"):  # a search or another wrapper
        return _reads_windows(inner)
    if isinstance(estimator, FunctionTransformer):
        return True
    try:
        return get_tags(estimator).input_tags.three_d_array
    except Exception:  # no tags to read: let the estimator say
        return True


def _windows(values, length):
    """Every run of ``length`` steps of one series, cut as SeriesWindower does.

    A lazy :class:`Windows` ``(n_windows, length, n_features)``; indexing it
    computes copies of the windows asked for.
    """
    return Windows([values[np.newaxis]], length)


def _origin_inputs(inputs, positions, n_past, known):
    """The inputs of the origins: past, and with ``known`` their known future."""
    windows = inputs[positions]
    return windows if known is None else _unknown_future(windows, n_past, known)


def _unknown_future(windows, n_past, known):
    """A copy of ``windows`` whose future cells are NaN but for ``known``."""
    windows = np.array(windows, dtype=float)
    unknown = np.setdiff1d(np.arange(windows.shape[2]), known)
    windows[:, n_past:, unknown] = np.nan
    return windows


def _fit_and_forecast(
    estimator,
    before,
    pasts,
    *,
    n_past,
    n_future,
    targets,
    known,
    univariate,
    coverage,
):
    """Fit on the history before the first origin; forecast from each past.

    ``before`` is the history up to (not including) the first origin this fit
    serves, so the fit cannot read what it forecasts. With ``known`` feature
    positions, ``pasts`` hold each origin's past and known future.
    """
    windows = np.asarray(_windows(before, n_past + n_future))
    past, future = windows[:, :n_past], windows[:, n_past:][:, :, targets]
    if known is not None:
        past = _unknown_future(windows, n_past, known)
    if univariate:
        past, future, pasts = past[:, :, 0], future[:, :, 0], pasts[:, :, 0]
        if n_future == 1:  # what single-output scikit-learn regressors want
            future = future[:, 0]
    estimator.fit(past, future)
    fitted = getattr(estimator, "target_index_", None)
    if fitted is not None and tuple(fitted) != tuple(targets):
        raise ValueError(
            f"{type(estimator).__name__} took the features {list(fitted)} for its "
            f"targets, but backtest forecasts {list(targets)}: its forecasts "
            "would be labelled as other features'. Tell the estimator the same "
            "target_features as backtest."
        )
    if coverage is None:
        return (estimator.predict(pasts),)
    forecast = estimator.predict(pasts)
    lower, upper = estimator.predict_interval(pasts, coverage=coverage)
    return forecast, lower, upper


def _checked_forecast(forecast, shape, name):
    forecast = np.asarray(forecast, dtype=float)
    if forecast.size != np.prod(shape):
        raise ValueError(
            f"{name} forecast an array of shape {forecast.shape} for {shape[0]} "
            f"origins, but the backtest expects {shape} (origins, n_future, "
            "targets), or the same values in 2-D or 1-D. Pass an estimator that "
            "forecasts all n_future steps of every target."
        )
    return forecast.reshape(shape)
