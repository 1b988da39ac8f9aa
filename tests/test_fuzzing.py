"""Hostile input, drawn at random, for the windower, future_index and validation.

Each strategy draws an input together with what is wrong with it: the
problems it holds, each as the words its error must say. The contract: with
no problem, the documented result (checked against a plain loop); with
problems, a ``ValueError`` or ``TypeError`` whose message names one of them.
Never another exception type, never a changed input, never a writable view of
the caller's data (what is writable is written to, and the input checked).
"""

import copy
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from scipy import sparse

from sk_seq2seq import SeriesWindower, future_index
from sk_seq2seq._value_checks import check_values

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# what the error must say, per problem
SAYS = {
    "complex": r"Complex data not supported: X",
    "text": r"X holds text",
    "dates": r"X holds dates or durations",
    "nan": r"Input X contains NaN",
    "inf": r"Input X contains infinity",
    "masked": r"Input X contains masked values",
    "na": r"Input X contains (pd\.NA or NaT|NaN)",
    "scalar": r"X is a scalar",
    "empty": r"X is empty",
    "no steps": r"X has shape \(\d+, 0\): it needs at least one time step",
    "no features": r"it needs at least one feature per time step",
    "too deep": r"X has \d+ dimensions",
    "ragged": r"X is ragged: its nested sequences have different lengths along axis 1",
    "features differ": r"X has different numbers of features along axis 2",
    "container": r"X is (None|a dict|a set|an iterator|a sparse matrix)",
    "unsorted": r"is not in increasing time order \(.* at row \d+ follows ",
    "repeated": r"repeats time stamps \(.* at rows \d+",
    "NaT": r"holds missing time stamps \(the first at row \d+\)",
    "short": r"has \d+ time steps, but (fit|transform) needs at least \d+",
    "irregular": r"DatetimeIndex has no regular frequency",
    "backwards": r"The history's index steps back in time \(after .* would come",
    "not pandas": r"future_index needs a pandas Series, DataFrame or Index",
    "empty history": r"The history is empty",
    "no time index": r"future_index needs a DatetimeIndex, PeriodIndex or RangeIndex",
}


def param_says(name, owner):
    return rf"The '{name}' parameter of {owner} must be an int in the range \[1, inf\)"


def assert_names_a_problem(error, problems):
    """A clear error whose message says one of the input's problems."""
    assert isinstance(error, (ValueError, TypeError)), repr(error)
    message = str(error)
    said = [p for p in problems if re.search(SAYS.get(p, p), message)]
    assert said, f"{message!r} names none of {sorted(problems)}"
    event(f"refused: {said[0]}")


# -- snapshots of the caller's input ------------------------------------------
def snapshot(value):
    if isinstance(value, (list, tuple)):
        return [snapshot(item) for item in value]
    if isinstance(value, np.ndarray):
        return value.copy(), np.ma.getmaskarray(value).copy(), value.flags.writeable
    if isinstance(value, (pd.Series, pd.DataFrame, pd.Index)):
        return value.copy(deep=True)
    if sparse.issparse(value):
        return value.copy()
    if isinstance(value, Iterator):
        return None  # the test checks it was not read
    return copy.deepcopy(value)


def assert_unchanged(value, before):
    if isinstance(value, (list, tuple)):
        for item, item_before in zip(value, before, strict=True):
            assert_unchanged(item, item_before)
    elif isinstance(value, np.ndarray):
        values, mask, writeable = before
        if value.dtype == object:  # pd.NA has no truth value: compare identities
            assert all(a is b for a, b in zip(value.ravel(), values.ravel()))
        else:
            np.testing.assert_array_equal(np.ma.getdata(value), np.ma.getdata(values))
        np.testing.assert_array_equal(np.ma.getmaskarray(value), mask)
        assert value.flags.writeable == writeable
    elif isinstance(value, pd.Index):
        pd.testing.assert_index_equal(value, before, exact=True)
    elif isinstance(value, pd.Series):
        pd.testing.assert_series_equal(value, before, check_exact=True)
    elif isinstance(value, pd.DataFrame):
        pd.testing.assert_frame_equal(value, before, check_exact=True)
    elif sparse.issparse(value):
        assert (value != before).nnz == 0
    elif isinstance(value, Iterator):
        assert next(value, "read") == 1.0  # still at its first item
    else:  # None, a scalar, a dict or a set; NaN and pd.NA have no equality
        assert repr(value) == repr(before)


# -- arrays, lists and containers, with their problems ------------------------
DTYPES = [
    "float64",
    "float32",
    "float16",
    "int64",
    "uint8",
    "bool",
    "complex128",
    "str",
    "object-text",
    "object-NA",
    "datetime64[D]",
    "timedelta64[h]",
    "masked",
]


@st.composite
def raw_values(draw, shape=None):
    """An ndarray of a drawn shape and dtype, and its problems."""
    shape = shape or draw(
        st.lists(st.integers(0, 4), min_size=0, max_size=4).map(tuple)
    )
    dtype = draw(st.sampled_from(DTYPES))
    values = np.asarray(np.arange(int(np.prod(shape)), dtype=float) % 7 - 3)
    values = values.reshape(shape)
    problems = set()
    odd = draw(st.sampled_from([None, None, None, np.nan, np.inf, -np.inf]))
    if odd is not None and values.size and dtype in ("float64", "float32", "masked"):
        values.flat[draw(st.integers(0, values.size - 1))] = odd
        problems.add("nan" if np.isnan(odd) else "inf")
    if dtype == "complex128":
        values, problems = values + 1j, problems | {"complex"}
    elif dtype == "str":
        values = values.astype(str)
        problems.add("text")
    elif dtype in ("object-text", "object-NA"):
        values = values.astype(object)
        if values.size:
            values.flat[-1] = "a" if dtype == "object-text" else pd.NA
            problems.add("text" if dtype == "object-text" else "na")
    elif dtype.startswith(("datetime", "timedelta")):
        values, problems = values.astype("int64").astype(dtype), problems | {"dates"}
    elif dtype == "masked":
        masked = draw(st.booleans()) and values.size > 0
        values = np.ma.masked_array(values, mask=np.zeros(shape, bool))
        if masked:
            values[np.unravel_index(values.size - 1, shape)] = np.ma.masked
            problems.add("masked")
    else:
        values = values.astype(dtype)
    return values, problems | shape_problems(shape)


SHAPES = {"scalar", "empty", "no steps", "too deep"}


def shape_problems(shape):
    if len(shape) == 0:
        return {"scalar"}
    if shape[0] == 0:
        return {"empty"}
    if len(shape) == 2 and shape[1] == 0:
        return {"no steps"}
    if len(shape) > 3:
        return {"too deep"}
    return set()


@st.composite
def anything(draw):
    """An array, its nested lists, a ragged list or a container; its problems."""
    kind = draw(
        st.sampled_from(["array"] * 5 + ["list", "ragged", "features", "container"])
    )
    if kind in ("array", "list"):
        values, problems = draw(raw_values())
        if kind == "list" and not np.ma.isMaskedArray(values):
            # lists of no values lose the dtype, and the axes after an empty one
            problems = problems if values.size else set()
            values = values.tolist()
            problems = (problems - SHAPES) | shape_problems(np.shape(values))
        return values, problems
    if kind == "ragged":
        lengths = draw(st.lists(st.integers(1, 4), min_size=2, max_size=3, unique=True))
        return [[0.5] * n for n in lengths], {"ragged"}
    if kind == "features":
        counts = draw(st.lists(st.integers(1, 3), min_size=2, max_size=3, unique=True))
        return [np.ones((4, n)) for n in counts], {"features differ"}
    make = draw(
        st.sampled_from(
            [
                lambda: None,
                lambda: {"a": [1.0, 2.0]},
                lambda: {1.0, 2.0},
                lambda: iter([1.0, 2.0]),
                lambda: (value for value in [1.0, 2.0]),
                lambda: sparse.csr_matrix(np.ones((2, 3))),
            ]
        )
    )
    return make(), {"container"}


@SETTINGS
@given(drawn=anything())
def test_check_values(drawn):
    X, problems = drawn
    before = snapshot(X)
    try:
        array = check_values(
            X, input_name="X", ensure_2d=False, allow_nd=True, dtype="numeric"
        )
    except Exception as error:  # noqa: BLE001 - the type is what is tested
        assert_names_a_problem(error, problems)
    else:
        # allowed here, refused by the estimators' own shape checks
        problems -= {"too deep"}
        assert not problems, f"accepted despite {problems}"
        expected = np.asarray(np.ma.getdata(X))
        assert array.shape == expected.shape
        np.testing.assert_array_equal(array, expected)
        event(f"accepted {array.dtype}")
    assert_unchanged(X, before)


# -- pandas histories -----------------------------------------------------------
# the well-formed kinds twice, so that a fair share of histories is windowed
INDEXES = ["range", "sorted", "labels"] * 2 + [
    "shuffled",
    "reversed",
    "repeated",
    "NaT",
]
COLUMNS = ["float64", "Int64", "Float64"] * 2 + [
    "Int64-NA",
    "boolean-NA",
    "dates",
    "nan",
]


@st.composite
def pandas_history(draw, n_timesteps):
    """A Series or DataFrame of ``n_timesteps`` rows; its problems."""
    index_kind = draw(st.sampled_from(INDEXES))
    columns = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=2))
    problems = set()
    frame = {}
    for position, column in enumerate(columns):
        values = np.arange(n_timesteps, dtype=float) % 5
        if column in ("Int64", "Int64-NA", "Float64", "boolean-NA"):
            dtype = column.split("-")[0]
            values = pd.array((values > 1) if dtype == "boolean" else values, dtype)
            if column.endswith("NA") and n_timesteps:
                values[n_timesteps // 2] = pd.NA
                problems.add("na")
        elif column == "dates":
            values = pd.date_range("2021-01-01", periods=n_timesteps, freq="D")
            problems.add("dates")
        elif column == "nan" and n_timesteps:
            values[-1] = np.nan
            problems.add("nan")
        frame[f"c{position}"] = values
    history = pd.DataFrame(frame)
    dates = pd.date_range("2020-01-01", periods=n_timesteps, freq="D")
    if index_kind == "sorted":
        history.index = dates
    elif index_kind == "labels":
        history.index = [f"row {i}" for i in range(n_timesteps)][::-1]
    elif index_kind == "reversed":
        history.index = dates[::-1]
    elif index_kind == "shuffled":
        order = draw(st.permutations(range(n_timesteps)))
        history.index = dates[list(order)]
    elif index_kind == "repeated" and n_timesteps:
        history.index = dates[np.arange(n_timesteps) // 2]
    elif index_kind == "NaT" and n_timesteps:
        history.index = dates.insert(0, pd.NaT)[:n_timesteps]
    if index_kind != "labels":
        index = history.index
        if index.hasnans:
            problems.add("NaT")
        elif not index.is_unique:
            problems.add("repeated")
        elif not index.is_monotonic_increasing:
            problems.add("unsorted")
    if len(columns) == 1 and draw(st.booleans()):
        history = history.iloc[:, 0]
    return history, problems


def n_columns(history):
    return 1 if history.ndim == 1 else history.shape[1]


def rows_in_time_order(history):
    """The rows of one series as a (n_timesteps, n_features) float array."""
    values = history.to_numpy(dtype=float, na_value=np.nan)
    return values if values.ndim == 2 else values[:, np.newaxis]


@st.composite
def history_and_params(draw):
    """A raw history, SeriesWindower's parameters, and their problems."""
    n_past = draw(st.sampled_from([1, 2, 3, np.int64(2)] * 4 + [0, -1, 2.5, "3", None]))
    n_future = draw(st.sampled_from([1, 2] * 6 + [0, 1.0]))
    step = draw(st.sampled_from([1, 2, 3] * 4 + [0]))
    problems = {
        param_says(name, "SeriesWindower")
        for name, value in [("n_past", n_past), ("n_future", n_future), ("step", step)]
        if not isinstance(value, (int, np.integer)) or value < 1
    }
    n_timesteps = draw(st.integers(0, 9))
    kind = draw(st.sampled_from(["pandas", "pandas", "array", "list of pandas"]))
    if kind == "pandas":
        history, more = draw(pandas_history(n_timesteps))
        series = [] if more else [rows_in_time_order(history)]
    elif kind == "list of pandas":
        first, more = draw(pandas_history(n_timesteps))
        second, second_problems = draw(pandas_history(n_timesteps + 2))
        history, more = [first, second], more | second_problems
        if len({n_columns(part) for part in history}) > 1:
            more.add(r"The series have different numbers of features \(\[")
        if more:
            series = []
        else:
            series = [rows_in_time_order(part) for part in history]
    else:
        shape = draw(st.sampled_from([(n_timesteps,), (2, n_timesteps)]))
        history, more = draw(raw_values(shape))
        if more:
            series = []
        else:
            series = list(np.asarray(history, dtype=float).reshape(-1, n_timesteps, 1))
    problems |= more
    if n_timesteps == 0:
        problems |= {"empty", "no steps", "short", "no features"}
    if not problems:
        length = n_past + n_future
        if any(len(one) < length for one in series):
            problems.add("short")
    return history, (n_past, n_future, step), series, problems


@SETTINGS
@given(drawn=history_and_params())
def test_series_windower(drawn):
    history, (n_past, n_future, step), series, problems = drawn
    before = snapshot(history)
    windower = SeriesWindower(n_past=n_past, n_future=n_future, step=step)
    try:
        windows = windower.fit_transform(history)
        past = windower.transform(history)
    except Exception as error:  # noqa: BLE001 - the type is what is tested
        assert_names_a_problem(error, problems)
    else:
        assert not problems, f"accepted despite {problems}"
        length = n_past + n_future
        expected = [
            one[start : start + length]
            for one in series
            for start in range(0, len(one) - length + 1, step)
        ]
        windows = np.asarray(windows)  # fit_transform's lazy windows, computed
        np.testing.assert_array_equal(windows, np.stack(expected))
        np.testing.assert_array_equal(past, np.stack([one[-n_past:] for one in series]))
        assert not past.flags.writeable
        for out in (windows, past):
            if out.flags.writeable:  # then a copy: writing leaves the history be
                out.fill(12345.0)
        event(f"windowed {type(history).__name__}")
    assert_unchanged(history, before)


# -- future_index --------------------------------------------------------------
def inferred_freq(index):
    """The frequency set on a DatetimeIndex, or read from its stamps."""
    return index.freq or (
        len(index) >= 3 and pd.DatetimeIndex(index, freq="infer").freq
    )


@st.composite
def indexed_history(draw):
    """A history for future_index, and its problems."""
    n = draw(st.integers(0, 6))
    kind = draw(
        st.sampled_from(
            ["daily", "monthly", "period", "range", "step 2", "irregular"]
            + ["shuffled", "repeated", "labels", "backwards range", "array", "list"]
        )
    )
    problems = set()
    if kind == "array":
        return np.arange(float(n)), {"not pandas"}
    if kind == "list":
        return list(range(n)), {"not pandas"}
    index = {
        "daily": pd.date_range("2020-01-01", periods=n, freq="D"),
        "monthly": pd.date_range("2020-01-01", periods=n, freq="MS"),
        "period": pd.period_range("2020-01", periods=n, freq="M"),
        "range": pd.RangeIndex(n),
        "step 2": pd.RangeIndex(0, 2 * n, 2),
        "backwards range": pd.RangeIndex(n, 0, -1),
        "irregular": pd.DatetimeIndex(
            pd.Timestamp("2020-01-01") + pd.to_timedelta(np.arange(n) ** 2, "D")
        ),
        "shuffled": pd.date_range("2020-01-01", periods=n, freq="D")[::-1],
        "repeated": pd.date_range("2020-01-01", periods=n, freq="D")[np.arange(n) // 2],
        "labels": pd.Index([f"t{i}" for i in range(n)]),
    }[kind]
    if n == 0:
        problems.add("empty history")
    elif kind == "labels":
        problems.add("no time index")
    elif not index.is_unique:
        problems.add("repeated")
    elif not index.is_monotonic_increasing:
        problems.add("unsorted")
    elif isinstance(index, pd.DatetimeIndex) and not inferred_freq(index):
        problems.add("irregular")
    elif kind in ("shuffled", "backwards range"):  # one row, a step back in time
        problems.add("backwards")
    holder = draw(st.sampled_from(["series", "frame", "index"]))
    if holder == "index":
        return index, problems
    history = pd.Series(np.arange(float(n)), index=index)
    return (history if holder == "series" else history.to_frame()), problems


@SETTINGS
@given(
    drawn=indexed_history(),
    n_future=st.sampled_from([1, 3, np.int64(2), 0, -3, 2.5, "3", None]),
)
def test_future_index(drawn, n_future):
    history, problems = drawn
    if not isinstance(n_future, (int, np.integer)) or n_future < 1:
        problems = problems | {param_says("n_future", "future_index")}
    before = snapshot(history)
    try:
        dates = future_index(history, n_future)
    except Exception as error:  # noqa: BLE001 - the type is what is tested
        assert_names_a_problem(error, problems)
    else:
        assert not problems, f"accepted despite {problems}"
        index = history if isinstance(history, pd.Index) else history.index
        assert len(dates) == n_future
        assert dates[0] > index[-1] and dates.is_monotonic_increasing
        # the forecast continues the history's own spacing
        whole = index.append(dates)
        if isinstance(index, pd.RangeIndex):
            assert set(np.diff(whole.to_numpy())) == {index.step}
        elif isinstance(index, pd.DatetimeIndex):
            assert inferred_freq(whole) == inferred_freq(index)
        event(f"dated {type(index).__name__}")
    assert_unchanged(history, before)


@pytest.mark.parametrize(
    "history",
    [np.arange(12.0), np.arange(24.0).reshape(2, 12), pd.Series(np.arange(12.0))],
    ids=["1d", "2d", "pandas"],
)
def test_a_failed_call_leaves_a_fitted_windower_as_it_was(history):
    windower = SeriesWindower(n_past=3, n_future=2).fit(history)
    state = dict(vars(windower))
    with pytest.raises(ValueError, match="Input X contains NaN"):
        windower.transform(np.full(12, np.nan))
    assert vars(windower) == state
    np.testing.assert_array_equal(
        windower.transform(history)[0, :, 0],
        np.asarray(history).reshape(-1, 12)[0, -3:],
    )
