"""Hostile parameters and windows, drawn at random, against a fitted regressor.

The contract of every draw: either a correct result (a fitted model whose
forecasts have the documented shape), or a ``ValueError`` / ``TypeError``
whose message names the parameter or input at fault. Never another exception
type, never a changed input, and never a changed fitted model: a refit that
fails leaves the previous model forecasting bit for bit as before.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sk_seq2seq import Seq2SeqRegressor, make_sine_cosine

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TINY = {"num_layers": 1, "max_epochs": 1, "random_state": 0}

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


SAYS = {
    "nan": "contains NaN",
    "inf": "contains infinity",
    "text": "holds text",
    "ragged": "ragged",
    "length": "inconsistent numbers of samples",
    "shape": "X has 4 dimensions",
}


@pytest.fixture(scope="module")
def fitted():
    s = make_sine_cosine(24, 10, random_state=0)
    model = Seq2SeqRegressor(hidden_dim=2, **TINY).fit(s[:, :6], s[:, 6:])
    return model, s[:, :6], model.predict(s[:, :6])


def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value


@SETTINGS
@given(draw=parameter_draws())
def test_parameters(fitted, draw):
    model, X_old, before = fitted
    name, value, refused = draw
    event(f"{name}={value!r}: {'refused' if refused else 'accepted'}")
    s = make_sine_cosine(24, 10, random_state=1)
    X, y = s[:, :6], s[:, 6:]
    X_before = X.copy()
    candidate = Seq2SeqRegressor(hidden_dim=2, **TINY).set_params(**{name: value})
    if refused:
        with pytest.raises((ValueError, TypeError), match=name):
            candidate.fit(X, y)
    else:
        forecast = candidate.fit(X, y).predict(X)
        assert forecast.shape == (24, 4, 1) and np.isfinite(forecast).all()
    np.testing.assert_array_equal(X, X_before)
    # another estimator's failure never touches the fitted one
    np.testing.assert_array_equal(model.predict(X_old), before)


@SETTINGS
@given(draw=window_draws())
def test_windows_refit_on_a_fitted_model(fitted, draw):
    model, X_old, before = fitted
    X, y, problem = draw
    event(f"problem: {problem}")
    X_before, y_before = _copy(X), _copy(y)
    if problem is None:
        forecast = Seq2SeqRegressor(hidden_dim=2, **TINY).fit(X, y).predict(X)
        assert forecast.shape == (24, 4, 1)
    else:
        with pytest.raises((ValueError, TypeError), match=SAYS[problem]):
            model.fit(X, y)
        # the failed refit left the fitted model as it was
        np.testing.assert_array_equal(model.predict(X_old), before)
    if isinstance(X_before, np.ndarray):
        np.testing.assert_array_equal(X, X_before)
    if isinstance(y_before, np.ndarray):
        np.testing.assert_array_equal(y, y_before)
