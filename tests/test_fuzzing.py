"""Property-based fuzzing: hostile input, drawn at random, at the public API.

Three families of draws, one section each:

1. Hostile input for the windower, ``future_index`` and validation.
2. Random shapes, dtypes and values for the regressor and the windower.
3. Hostile parameters and windows against a fitted regressor.

In section 1, each strategy draws an input together with what is wrong with
it: the problems it holds, each as the words its error must say. The contract: with
no problem, the documented result (checked against a plain loop); with
problems, a ``ValueError`` or ``TypeError`` whose message names one of them.
Never another exception type, never a changed input, never a writable view of
the caller's data (what is writable is written to, and the input checked).

The contract of section 2: whatever hypothesis passes, each call either returns
a result of the documented shape (finite forecasts) or raises one of our clear
errors (``ValueError``, ``TypeError``, ``NotFittedError``) with a message; never
a torch stack trace or another exception type.

The contract of section 3: either a correct result (a fitted model whose
forecasts have the documented shape), or a ``ValueError`` / ``TypeError``
whose message names the parameter or input at fault. Never another exception
type, never a changed input, and never a changed fitted model: a refit that
fails leaves the previous model forecasting bit for bit as before.
"""

import copy
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.metrics import r2_score

from sk_seq2seq import Seq2SeqRegressor, SeriesWindower, future_index, make_sine_cosine
from sk_seq2seq._value_checks import check_values

# -- 1. hostile input for the windower, future_index and validation ---------
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


# -- 2. random shapes, dtypes and values at the public API ------------------
MAX_EXAMPLES = 60
TINY = {"hidden_dim": 3, "num_layers": 1, "max_epochs": 1, "random_state": 0}
CLEAR_ERRORS = (ValueError, TypeError, NotFittedError)
ANY_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

finite = st.floats(-1e3, 1e3, allow_nan=False, width=32)
weird = st.sampled_from([np.nan, np.inf, -np.inf, 1e39, -1e300, 0.0])
floats = st.one_of(finite, finite, finite, weird)
shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)


@st.composite
def arrays(draw, shape=None):
    """An array of a random shape, dtype and values, or a list of lists."""
    shape = draw(shapes) if shape is None else shape
    kind = draw(st.sampled_from(["float"] * 6 + ["int", "bool", "complex", "text"]))
    # most arrays are finite: a single odd value would hide every later check
    elements = draw(st.sampled_from([finite, finite, finite, floats]))
    values = draw(hnp.arrays(np.float64, shape, elements=elements))
    if kind == "int":
        return np.nan_to_num(values, posinf=0, neginf=0).clip(-1e3, 1e3).astype(int)
    if kind == "bool":
        return values > 0
    if kind == "complex":
        return values + 1j
    if kind == "text":
        return values.astype(str)
    return values if draw(st.booleans()) else values.tolist()


@st.composite
def windows(draw):
    """Mostly well-shaped windows (X, y), sometimes with odd dtypes or values."""
    n = draw(st.sampled_from([0, 1, 2, 5]))
    n_past, n_future = draw(st.integers(0, 4)), draw(st.integers(0, 3))
    n_features, n_targets = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    if draw(st.booleans()):  # a well-shaped problem, values still random
        n, n_past, n_future = max(n, 1), max(n_past, 1), max(n_future, 1)
        n_features, n_targets = max(n_features, 1), max(n_targets, 1)
    X = draw(st.one_of(arrays((n, n_past, n_features)), arrays((n, n_past)), arrays()))
    y = draw(
        st.one_of(
            arrays((n, n_future, n_targets)),
            arrays((n, n_future)),
            arrays((n,)),
            arrays(),
            st.none(),
        )
    )
    return X, y


def expected_shape(X, y):
    n = np.shape(X)[0]
    if y is None:
        return None
    return (n, *np.shape(y)[1:]) if np.ndim(y) > 1 else (n,)


# The library's diagnoses: each names the input or parameter at fault and says
# what was wrong with it. A message outside this list (a numpy, torch or skorch
# internal, or a new message without a row here) fails the test.
INPUT = r"(Input )?(X|y)"
DIAGNOSES = [
    r"The '\w+' parameter of \w+ must be ",
    rf"^{INPUT} contains (NaN|infinity|masked values|pd\.NA or NaT) \(\d+ of ",
    rf"^{INPUT} (holds text|holds dates or durations|is a scalar|is empty|is None)",
    rf"^{INPUT} (is ragged|has different numbers of features along axis)",
    rf"^{INPUT} has shape \(.*\): it needs at least one",
    r"^Complex data not supported: (X|y) has dtype",
    r"^Expected 2D array, got 1D array instead: (X|y) has shape",
    r"Expected an array of shape .*(got|X has|y has) \d+ dimensions",
    r"^X has \d+ features( per time step)?, but (Seq2SeqRegressor|SeriesWindower)",
    r"^y has shape \(.*\), but the model forecasts",
    r"^The windows hold values too large for the model",
    r"^The windows hold only values too small for the model",
    r"^(The series|Series \d+) has \d+ time steps, but (fit|transform) needs",
    r"^With y=None, X holds joined past\+future windows",
    r"^Found input variables with inconsistent numbers of samples",
    r"instance is not fitted yet",
]


def assert_clear(error):
    """The error is ours, and its message is one of the known diagnoses."""
    event(type(error).__name__)
    assert isinstance(error, CLEAR_ERRORS), f"{type(error).__name__}: {error}"
    message = str(error)
    matched = [pattern for pattern in DIAGNOSES if re.search(pattern, message)]
    assert matched, f"message names no known problem: {message!r}"
    event(matched[0])


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.RandomState(0)
    return Seq2SeqRegressor(**TINY).fit(
        rng.normal(size=(8, 3, 1)), rng.normal(size=(8, 2))
    )


@ANY_SETTINGS
@given(data=windows())
def test_fit_then_predict(data):
    X, y = data
    try:
        model = Seq2SeqRegressor(n_future=2, **TINY).fit(X, y)
        y_pred = model.predict(X)
    except Exception as error:  # noqa: BLE001 - the type is what is tested
        assert_clear(error)
        return
    shape = expected_shape(X, y)
    if shape is None:  # joined windows: the last n_future=2 steps were the target
        shape = (np.shape(X)[0], 2, 1 if np.ndim(X) == 2 else np.shape(X)[2])
    event("fitted and predicted")
    assert y_pred.shape == shape
    assert y_pred.dtype == np.float64 and np.isfinite(y_pred).all()


@ANY_SETTINGS
@given(data=st.data(), n=st.sampled_from([0, 1, 4]))
def test_predict_and_score(fitted, data, n):
    fits = st.one_of(arrays((n, 3, 1)), arrays((n, 3)))  # the fitted model's X
    X = data.draw(st.one_of(fits, fits, arrays(), windows().map(lambda d: d[0])))
    y = data.draw(st.one_of(arrays((n, 2)), arrays((n, 2, 1)), arrays()))
    try:
        y_pred = fitted.predict(X)
    except Exception as error:  # noqa: BLE001
        assert_clear(error)
        return
    assert y_pred.shape == (np.shape(X)[0], 2) and np.isfinite(y_pred).all()
    try:
        result = fitted.score(X, y)
    except Exception as error:  # noqa: BLE001
        assert_clear(error)
        return
    event("scored")
    expected = r2_score(np.asarray(y, dtype=float).ravel(), y_pred.ravel())
    # values whose squares overflow (1e300) give scikit-learn's R² nan too
    assert result == pytest.approx(expected, nan_ok=True)


@ANY_SETTINGS
@given(
    X=st.one_of(
        arrays(),
        st.tuples(st.integers(0, 3), st.integers(0, 12), st.integers(0, 2))
        .flatmap(lambda shape: st.sampled_from([shape, shape[:2], shape[1:2]]))
        .flatmap(arrays),
    ),
    n_past=st.integers(0, 4),
    n_future=st.integers(0, 3),
    step=st.sampled_from([0, 1, 1, 2]),
)
def test_series_windower_any_shape(X, n_past, n_future, step):
    windower = SeriesWindower(n_past=n_past, n_future=n_future, step=step)
    try:
        windows_ = windower.fit_transform(X)
        past = windower.transform(X)
    except Exception as error:  # noqa: BLE001
        assert_clear(error)
        return
    event("windowed")
    shape = np.shape(X)
    n_series = 1 if len(shape) == 1 else shape[0]
    n_features = shape[2] if len(shape) == 3 else 1
    assert windows_.shape[1:] == (n_past + n_future, n_features)
    assert past.shape == (n_series, n_past, n_features)


# -- 3. hostile parameters and windows against a fitted regressor ----------
REFIT_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
REFIT_TINY = {"num_layers": 1, "max_epochs": 1, "random_state": 0}

# (parameter, values that must work, values that must be refused)
PARAMETERS = {
    "hidden_dim": ([2, np.int64(3), "auto"], [0, -1, 2.5, "2", None, True]),
    "batch_size": ([4, np.int32(8)], [0, 8.0, "8", None]),
    "lr": ([0.01, np.float32(0.02), "auto"], [0, -1.0, "0.1", None]),
    "alpha": ([0.0, 1e-3, "auto"], [-1.0, "strong"]),
    "segment_length": ([1, 2, "auto"], [0, 1.5, "two"]),
    "decoder": (["recurrent", "parallel", "auto"], ["Parallel", "rnn", 1]),
    "window_norm": (["revin", "last_value", None, "auto"], ["RevIN", "mean", 0]),
    # [] says y is not among X's features (issue 23, silent result 8)
    "target_features": ([None, [0], np.array([0]), []], [[0.7], [True], [3]]),
    "calibration": ([None, 0.1, 0.5], [0, 1, 1.5, "0.1"]),
    "device": (["cpu"], ["bogus", 0]),
}


@st.composite
def parameter_draws(draw):
    name = draw(st.sampled_from(sorted(PARAMETERS)))
    good, bad = PARAMETERS[name]
    refused = draw(st.booleans())
    value = draw(st.sampled_from(bad if refused else good))
    return name, value, refused


@st.composite
def window_draws(draw):
    """Past and future windows, maybe spoiled in one way; the spoiling named."""
    X, y = make_sine_cosine(24, 10, random_state=0)[:, :6], None
    y = make_sine_cosine(24, 10, random_state=0)[:, 6:]
    problem = draw(
        st.sampled_from(
            [None, "nan", "inf", "text", "dtype", "ragged", "length", "shape"]
        )
    )
    if problem == "nan":
        X = X.copy()
        X[draw(st.integers(0, 23)), draw(st.integers(0, 5)), 0] = np.nan
    elif problem == "inf":
        y = y.copy()
        y[draw(st.integers(0, 23)), 0, 0] = np.inf
    elif problem == "text":
        X = X.astype(str)
    elif problem == "dtype":
        X = X.astype(draw(st.sampled_from([np.float16, np.float32, np.int64])))
        problem = None  # numbers of any real dtype are accepted
    elif problem == "ragged":
        X = [list(row[:, 0]) for row in X[:-1]] + [[0.0]]
    elif problem == "length":
        y = y[: draw(st.integers(1, 23))]
    elif problem == "shape":
        X = X[..., np.newaxis]
    return X, y, problem


REFIT_SAYS = {
    "nan": "contains NaN",
    "inf": "contains infinity",
    "text": "holds text",
    "ragged": "ragged",
    "length": "inconsistent numbers of samples",
    "shape": "X has 4 dimensions",
}


@pytest.fixture(scope="module")
def fitted_and_forecast():
    s = make_sine_cosine(24, 10, random_state=0)
    model = Seq2SeqRegressor(hidden_dim=2, **REFIT_TINY).fit(s[:, :6], s[:, 6:])
    return model, s[:, :6], model.predict(s[:, :6])


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value


@REFIT_SETTINGS
@given(draw=parameter_draws())
def test_parameters(fitted_and_forecast, draw):
    model, X_old, before = fitted_and_forecast
    name, value, refused = draw
    event(f"{name}={value!r}: {'refused' if refused else 'accepted'}")
    s = make_sine_cosine(24, 10, random_state=1)
    X, y = s[:, :6], s[:, 6:]
    X_before = X.copy()
    candidate = Seq2SeqRegressor(hidden_dim=2, **REFIT_TINY).set_params(**{name: value})
    if refused:
        with pytest.raises((ValueError, TypeError), match=name):
            candidate.fit(X, y)
    else:
        forecast = candidate.fit(X, y).predict(X)
        assert forecast.shape == (24, 4, 1) and np.isfinite(forecast).all()
    np.testing.assert_array_equal(X, X_before)
    # another estimator's failure never touches the fitted one
    np.testing.assert_array_equal(model.predict(X_old), before)


@REFIT_SETTINGS
@given(draw=window_draws())
def test_windows_refit_on_a_fitted_model(fitted_and_forecast, draw):
    model, X_old, before = fitted_and_forecast
    X, y, problem = draw
    event(f"problem: {problem}")
    X_before, y_before = _copy(X), _copy(y)
    if problem is None:
        forecast = Seq2SeqRegressor(hidden_dim=2, **REFIT_TINY).fit(X, y).predict(X)
        assert forecast.shape == (24, 4, 1)
    else:
        with pytest.raises((ValueError, TypeError), match=REFIT_SAYS[problem]):
            model.fit(X, y)
        # the failed refit left the fitted model as it was
        np.testing.assert_array_equal(model.predict(X_old), before)
    if isinstance(X_before, np.ndarray):
        np.testing.assert_array_equal(X, X_before)
    if isinstance(y_before, np.ndarray):
        np.testing.assert_array_equal(y, y_before)
