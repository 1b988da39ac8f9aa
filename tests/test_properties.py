"""Random shapes, dtypes and values at the public API: a result or a clear error.

Whatever hypothesis passes, each call either returns a result of the
documented shape (finite forecasts) or raises one of our clear errors
(``ValueError``, ``TypeError``, ``NotFittedError``) with a message; never a
torch stack trace or another exception type.
"""

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn.exceptions import NotFittedError
from sklearn.metrics import r2_score

from sk_seq2seq import Seq2SeqRegressor, SeriesWindower

MAX_EXAMPLES = 60
TINY = {"hidden_dim": 3, "num_layers": 1, "max_epochs": 1, "random_state": 0}
CLEAR_ERRORS = (ValueError, TypeError, NotFittedError)
SETTINGS = settings(
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


@SETTINGS
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


@SETTINGS
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
    assert result == pytest.approx(expected)


@SETTINGS
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
def test_series_windower(X, n_past, n_future, step):
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
