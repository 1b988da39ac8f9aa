"""Panels in long format: one row per series and time stamp, split into series.

A long ``DataFrame`` (``unique_id, ds, y`` in neuralforecast's words, the
shape databases and most forecasting libraries hold panels in) is split here
into one series per id, each sorted by time and checked for a regular
frequency, with no gap and no repeated stamp. pandas is imported only when a
long frame is read.
"""

from __future__ import annotations

import dataclasses

import numpy as np


@dataclasses.dataclass(frozen=True)
class LongSeries:
    """One series of a long frame, sorted by time.

    Attributes
    ----------
    id : object
        The series' id (its value in the id column), or ``None`` for the one
        series of a frame without an id column.
    times : pandas.Index of shape (n_timesteps,)
        Its time stamps, increasing, without gap or repeat.
    freq : pandas offset, int or None
        The step between two stamps: a pandas offset for dates and periods,
        an int for integer times; ``None`` when one stamp cannot say it.
    values : pandas.DataFrame of shape (n_timesteps, n_features)
        Its value columns, rows in time order.
    """

    id: object
    times: object
    freq: object
    values: object

    def name(self) -> str:
        return "the series" if self.id is None else f"series {self.id!r}"

    def next_times(self, n_future: int):
        """The ``n_future`` time stamps that follow the series' end."""
        import pandas as pd

        if self.freq is None:
            raise ValueError(
                f"The frequency of {self.name()} cannot be read from its one time "
                "stamp, so its forecast cannot be dated. Pass freq to "
                "SeriesWindower (e.g. freq='D')."
            )
        last = self.times[-1]
        if isinstance(self.times, pd.PeriodIndex):
            return pd.period_range(last + 1, periods=n_future, freq=self.times.freq)
        if isinstance(self.times, pd.DatetimeIndex):
            return pd.date_range(last, periods=n_future + 1, freq=self.freq)[1:]
        return pd.Index(last + self.freq * np.arange(1, n_future + 1))


def is_long(windower) -> bool:
    """Whether a windower reads long frames (an id or a time column)."""
    return windower.id_column is not None or windower.time_column is not None


def value_columns(frame, id_column, time_column) -> list:
    """The columns of a long frame that hold values (features)."""
    return [c for c in frame.columns if c not in (id_column, time_column)]


def split_long(frame, *, id_column, time_column, freq, name="X") -> list[LongSeries]:
    """Split a long DataFrame into its series, each sorted and checked.

    Series come in the order of their sorted ids (as ``groupby`` gives them).
    Raises ``TypeError`` for anything but a ``DataFrame`` and ``ValueError``
    for a missing column, missing ids or stamps, a repeated stamp, a gap, or
    a frequency that cannot be inferred, naming the series.
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"SeriesWindower(id_column={id_column!r}, time_column={time_column!r}) "
            f"reads a long pandas DataFrame (one row per series and time stamp), "
            f"but {name} is a {type(frame).__name__}. Pass a DataFrame with those "
            "columns, or leave id_column and time_column at None for arrays."
        )
    for role, column in (("id_column", id_column), ("time_column", time_column)):
        if column is not None and column not in frame.columns:
            raise ValueError(
                f"{role}={column!r} is not a column of {name}; its columns are "
                f"{list(frame.columns)}. Pass the name of the column that holds "
                f"the {'series ids' if role == 'id_column' else 'time stamps'}."
            )
    columns = value_columns(frame, id_column, time_column)
    if not columns:
        raise ValueError(
            f"{name} holds no value column besides id_column={id_column!r} and "
            f"time_column={time_column!r}. Add the columns to forecast."
        )
    if time_column is None:
        times = frame.index
        if not isinstance(times, (pd.DatetimeIndex, pd.RangeIndex, pd.PeriodIndex)):
            raise ValueError(
                f"Without time_column, the index of {name} is the time, but it is "
                f"a {type(times).__name__}. Pass time_column (the column of time "
                "stamps), or index the frame by a DatetimeIndex or RangeIndex."
            )
    else:
        times = pd.Index(frame[time_column])
    times = _check_time_type(times, time_column, name)
    if times.hasnans:
        row = int(np.flatnonzero(times.isna())[0])
        raise ValueError(
            f"The time stamps of {name} hold a missing value (at row {row}). "
            "Drop or fill those rows first."
        )
    if id_column is None:
        groups = [(None, np.arange(len(frame)))]
    else:
        ids = frame[id_column]
        if ids.isna().any():
            row = int(np.flatnonzero(ids.isna().to_numpy())[0])
            raise ValueError(
                f"The id column {id_column!r} of {name} holds a missing id (at row "
                f"{row}). Give every row the id of its series."
            )
        groups = [
            (key, rows)
            for key, rows in pd.Series(np.arange(len(frame))).groupby(
                ids.to_numpy(), sort=True
            )
        ]
        groups = [(key, rows.to_numpy()) for key, rows in groups]
    series = []
    for key, rows in groups:
        stamps = times[rows]
        order = np.argsort(
            stamps.to_numpy()
            if not isinstance(stamps, pd.PeriodIndex)
            else stamps.asi8,
            kind="stable",
        )
        stamps, rows = stamps[order], rows[order]
        one = LongSeries(key, stamps, None, frame.iloc[rows][columns])
        series.append(dataclasses.replace(one, freq=_check_steps(one, freq)))
    return series


def _check_time_type(times, time_column, name):
    import pandas as pd

    if isinstance(times, (pd.DatetimeIndex, pd.PeriodIndex)):
        return times
    if pd.api.types.is_integer_dtype(times) and not pd.api.types.is_bool_dtype(times):
        return pd.Index(np.asarray(times, dtype=np.int64))
    where = f"column {time_column!r}" if time_column is not None else "index"
    raise ValueError(
        f"The time {where} of {name} holds {times.dtype} values; time stamps "
        "must be dates (datetime64), periods or integers. Parse text first, e.g. "
        f"frame[{time_column!r}] = pd.to_datetime(frame[{time_column!r}])."
    )


def _check_steps(series: LongSeries, freq):
    """The series' frequency, after refusing repeats, gaps and irregular steps."""
    import pandas as pd

    stamps = series.times
    if not stamps.is_unique:
        repeated = stamps[stamps.duplicated()][0]
        raise ValueError(
            f"{series.name().capitalize()} repeats the time stamp {repeated}. Pass "
            "one row per series and time stamp: aggregate the repeats first "
            "(e.g. frame.groupby([id_column, time_column]).mean())."
        )
    if isinstance(stamps, pd.PeriodIndex):
        steps = np.diff(stamps.asi8)
        _refuse_gap(series, steps, 1, f"freq={stamps.freqstr!r}")
        return stamps.freq
    if isinstance(stamps, pd.DatetimeIndex):
        if freq is not None:
            offset = pd.tseries.frequencies.to_offset(freq)
            expected = pd.date_range(stamps[0], periods=len(stamps), freq=offset)
            if not expected.equals(stamps):
                at = int(np.flatnonzero(expected != stamps)[0])
                raise ValueError(
                    f"{series.name().capitalize()} is not regular at freq={freq!r}: "
                    f"after {stamps[at - 1] if at else 'its start'} comes "
                    f"{stamps[at]}, where {expected[at]} was expected (a gap, or a "
                    "stamp off the frequency). Fill the missing rows first (e.g. "
                    "resample and interpolate), or pass the series' own freq."
                )
            return offset
        if len(stamps) < 2:
            return None
        if len(stamps) == 2:
            return pd.tseries.frequencies.to_offset(stamps[1] - stamps[0])
        # "infer" rather than pd.infer_freq, which warns of its pandas-4 change
        inferred = pd.DatetimeIndex(stamps, freq="infer").freq
        if inferred is not None:
            return inferred
        steps = np.diff(stamps.asi8)
        _refuse_gap(series, steps, _most_common(steps), "")
        raise ValueError(
            f"The frequency of {series.name()} cannot be inferred from its time "
            f"stamps ({stamps[0]}, {stamps[1]}, {stamps[2]}, ...). Pass freq to "
            "SeriesWindower (e.g. freq='D', or 'MS' for month starts): a stamp "
            "off it is then named."
        )
    steps = np.diff(stamps.to_numpy())
    if freq is not None:
        _refuse_gap(series, steps, int(freq), f"freq={freq!r}")
        return int(freq)
    if len(stamps) < 2:
        return None
    step = _most_common(steps)
    _refuse_gap(series, steps, step, "")
    return int(step)


def _refuse_gap(series: LongSeries, steps, step, said: str) -> None:
    irregular = np.flatnonzero(steps != step)
    if not irregular.size:
        return
    at = int(irregular[0])
    before, after = series.times[at], series.times[at + 1]
    of = f" ({said})" if said else ""
    if steps[at] > 0 and steps[at] % step == 0:
        what = f"a gap{of}: after {before} comes {after}, {steps[at] // step} steps"
        what += " later"
    else:
        what = (
            f"an irregular step{of}: after {before} comes {after}, off the step "
            "between its other stamps"
        )
    raise ValueError(
        f"{series.name().capitalize()} has {what}. Windows would run across it: "
        "fill the missing rows first (e.g. reindex to every stamp and "
        "interpolate), split the series in two ids, or pass its freq."
    )


def _most_common(steps) -> int:
    values, counts = np.unique(steps, return_counts=True)
    return int(values[np.argmax(counts)])
