"""Every bad input is answered by a clear error, and the caller's data is untouched.

One row per case: what is called, on which input, the error and (part of) its
exact message. Each row also checks that the arrays it passed are unchanged,
values and flags. The table holds the parameters' rows too (``fit-lr=0`` ...),
so that one check keeps every row distinct; the parameters' other tests are in
``test_invalid_params.py``. Below the table: scores, dtypes and saved files.
"""

import copy
import inspect
import io
import json
import warnings
import zipfile
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline

from sk_seq2seq import Seq2SeqRegressor, SeriesWindower, future_index, make_sine_cosine

TINY = {"hidden_dim": 4, "num_layers": 1, "max_epochs": 1, "random_state": 0}
N_PAST, N_FUTURE = 6, 4
FLAGS = ("C_CONTIGUOUS", "F_CONTIGUOUS", "OWNDATA", "WRITEABLE", "ALIGNED")


@pytest.fixture(scope="module")
def data():
    """Past (24, 6, 1) and future (24, 4, 1) windows."""
    series = make_sine_cosine(24, N_PAST + N_FUTURE, random_state=0)
    return series[:, :N_PAST], series[:, N_PAST:]


@pytest.fixture(scope="module")
def fitted(data):
    return Seq2SeqRegressor(**TINY).fit(*data)


@pytest.fixture(scope="module")
def windower():
    return SeriesWindower(n_past=N_PAST, n_future=N_FUTURE).fit(np.zeros((2, 20)))


# -- the calls ---------------------------------------------------------------
def fit(**params):
    def call(ctx, *args):
        return Seq2SeqRegressor(**{**TINY, **params}).fit(*args)

    return call


def predict(ctx, X):
    return ctx["fitted"].predict(X)


def score(ctx, X, y):
    return ctx["fitted"].score(X, y)


def unfitted_predict(ctx, X):
    return Seq2SeqRegressor(**TINY).predict(X)


def unfitted_score(ctx, X, y):
    return Seq2SeqRegressor(**TINY).score(X, y)


def windower_fit(**params):
    def call(ctx, X):
        params_ = {"n_past": N_PAST, "n_future": N_FUTURE, **params}
        return SeriesWindower(**params_).fit_transform(X)

    return call


def transform(ctx, X):
    return ctx["windower"].transform(X)


def unfitted_transform(ctx, X):
    return SeriesWindower().transform(X)


def dated(n_future=3):
    def call(ctx, history):
        return future_index(history, n_future)

    return call


def pipeline_score_without_y(ctx, history):
    windower = SeriesWindower(n_past=N_PAST, n_future=N_FUTURE)
    return (
        make_pipeline(windower, Seq2SeqRegressor(n_future=N_FUTURE, **TINY))
        .fit(history)
        .score(history)
    )


def pipeline_with_other_n_future(ctx, history):
    windower = SeriesWindower(n_past=N_PAST, n_future=N_FUTURE)
    model = Seq2SeqRegressor(n_future=N_FUTURE - 1, **TINY)
    return make_pipeline(windower, model).fit(history).predict(history)


# -- the inputs: functions of the good past X and future y -------------------
def with_value(value, where="X"):
    def make(X, y):
        X, y = X.copy(), y.copy()
        (X if where == "X" else y)[1, 2, 0] = value
        return X, y

    return make


def good(X, y):
    return X.copy(), y.copy()


@dataclass
class Case:
    id: str
    call: Callable
    make: Callable
    error: type
    match: str


NAN, INF = "Input X contains NaN (1 of", "Input X contains infinity (1 of"
NAN_Y, INF_Y = NAN.replace(" X ", " y "), INF.replace(" X ", " y ")
RAGGED = "is ragged: its nested sequences have different lengths along axis 1 "
RAGGED_1_2 = RAGGED + "(time steps): 1 and 2. Pass a rectangular array"
TEXT = "holds text (e.g. 'a'), but must hold numbers. Convert it first"
COMPLEX = "Complex data not supported: X has dtype complex128. Pass real values"
SCALAR = "X is a scalar (array(1.5)), but must be an array of shape"
EMPTY = "X is empty: its shape (0, 6, 1) holds no samples. Pass at least one window"
NO_STEP = "it needs at least one time step and one feature per time step. Pass"
FOUR_D = "X has 4 dimensions with shape (24, 6, 1, 1). Reshape it"
NOT_FITTED = "instance is not fitted yet. Call 'fit' with appropriate arguments"
SHORT = "The series has 8 time steps, but fit needs at least 10 (n_past + n_future"


def param(name, value, expected):
    return Case(
        f"fit-{name}={value!r}",
        fit(**{name: value}),
        good,
        ValueError,
        f"The '{name}' parameter of Seq2SeqRegressor must be {expected}. Got "
        f"{value!r} instead.",
    )


def windower_param(name, value, expected):
    return Case(
        f"windower-{name}={value!r}",
        lambda ctx, X, y: windower_fit(**{name: value})(ctx, X),
        good,
        ValueError,
        f"The '{name}' parameter of SeriesWindower must be {expected}. Got "
        f"{value!r} instead.",
    )


def future_index_param(value):
    return Case(
        f"future_index-n_future={value!r}",
        dated(value),
        lambda X, y: (HISTORY,),
        ValueError,
        "The 'n_future' parameter of future_index must be an int in the range "
        f"[1, inf). Got {value!r} instead.",
    )


# a daily history of 12 steps, the shortest the windower (6 + 4) accepts twice
HISTORY = pd.Series(
    np.arange(12.0), index=pd.date_range("2020-01-01", periods=12, freq="D")
)


def with_nullable(dtype):
    """Two columns of 12 steps, the first nullable with pd.NA at row 2."""
    values = pd.array([1, 0, None] + [1] * 9, dtype=dtype)
    return pd.DataFrame({"a": values, "b": np.arange(12.0)})


def nested(depth):
    value = [0.0]
    for _ in range(depth - 1):
        value = [value]
    return value


def x_only(make):
    """An input maker for calls that take X alone."""
    return lambda X, y: make(X, y)[:1]


POSITIVE_INT = "an int in the range [1, inf)"
POSITIVE_FLOAT = "a float in the range (0.0, inf)"
OR_AUTO = " or a str among {'auto'}"  # parameters a recipe may choose
CASES = [
    # fit: values
    Case("fit-X-nan", fit(), with_value(np.nan), ValueError, NAN),
    Case("fit-X-inf", fit(), with_value(np.inf), ValueError, INF),
    Case("fit-X-neginf", fit(), with_value(-np.inf), ValueError, INF),
    Case("fit-y-nan", fit(), with_value(np.nan, "y"), ValueError, NAN_Y),
    Case("fit-y-inf", fit(), with_value(np.inf, "y"), ValueError, INF_Y),
    Case("fit-y-neginf", fit(), with_value(-np.inf, "y"), ValueError, INF_Y),
    Case(
        "fit-X-too-large-for-float32",
        fit(scale=False),
        with_value(1e39),
        ValueError,
        "The windows hold values too large for the model, which computes in "
        "float32 after scaling (the largest magnitude is 1e+39). Rescale",
    ),
    # fit: shapes and types
    Case("fit-X-0d", fit(), lambda X, y: (np.float64(1.5), y), ValueError, SCALAR),
    Case(
        "fit-y-0d",
        fit(),
        lambda X, y: (X, 2.0),
        ValueError,
        "y is a scalar (array(2.)), but must be an array of shape",
    ),
    Case(
        "fit-X-1d",
        fit(),
        lambda X, y: (X[:, 0, 0].copy(), y),
        ValueError,
        "Expected 2D array, got 1D array instead: X has shape (24,), but must be an "
        "array of shape (n_samples, n_timesteps, n_features) or (n_samples, "
        "n_timesteps). Reshape your data: X.reshape(1, -1) for one window of 24 steps",
    ),
    Case(
        "fit-X-2d-0-timesteps",
        fit(),
        lambda X, y: (X[:, :0, 0], y),
        ValueError,
        "X has shape (24, 0): it needs at least one time step.",
    ),
    Case(
        "windower-empty-text",
        windower_fit(),
        lambda X, y: (np.array([], dtype=str),),
        ValueError,
        "X holds text (dtype <U1), but must hold numbers",
    ),
    Case("fit-X-4d", fit(), lambda X, y: (X[..., None], y), ValueError, FOUR_D),
    Case(
        "fit-y-4d",
        fit(),
        lambda X, y: (X, y[..., None]),
        ValueError,
        "y has 4 dimensions with shape (24, 4, 1, 1)",
    ),
    Case(
        "fit-X-ragged",
        fit(),
        lambda X, y: ([[1.0, 2.0], [3.0]], y[:2]),
        ValueError,
        "X " + RAGGED_1_2,
    ),
    Case(
        "fit-y-ragged",
        fit(),
        lambda X, y: (X[:2], [[1.0, 2.0], [3.0]]),
        ValueError,
        "y " + RAGGED_1_2,
    ),
    Case(
        "fit-X-object-text",
        fit(),
        lambda X, y: (np.array([[1.0, "a"], [2.0, 3.0]], dtype=object), y[:2]),
        ValueError,
        "X " + TEXT,
    ),
    Case(
        "fit-X-str",
        fit(),
        lambda X, y: (np.array([["1", "a"], ["2", "3"]]), y[:2]),
        ValueError,
        "X " + TEXT,
    ),
    Case(
        "fit-y-str",
        fit(),
        lambda X, y: (X[:2], np.array([["a", "b"], ["c", "d"]])),
        ValueError,
        "y " + TEXT,
    ),
    Case(
        "fit-X-complex",
        fit(),
        lambda X, y: (X + 1j, y),
        ValueError,
        COMPLEX,
    ),
    Case(
        "fit-y-complex",
        fit(),
        lambda X, y: (X, y + 1j),
        ValueError,
        COMPLEX.replace(": X", ": y"),
    ),
    Case("fit-X-0-samples", fit(), lambda X, y: (X[:0], y[:0]), ValueError, EMPTY),
    Case(
        "fit-X-0-timesteps",
        fit(),
        lambda X, y: (X[:, :0], y),
        ValueError,
        "X has shape (24, 0, 1): " + NO_STEP,
    ),
    Case(
        "fit-X-0-features",
        fit(),
        lambda X, y: (X[:, :, :0], y),
        ValueError,
        "X has shape (24, 6, 0): " + NO_STEP,
    ),
    Case(
        "fit-y-0-timesteps",
        fit(),
        lambda X, y: (X, y[:, :0]),
        ValueError,
        "y has shape (24, 0, 1): it needs at least one future step and one target",
    ),
    Case(
        "fit-y-0-targets",
        fit(),
        lambda X, y: (X, y[:, :, :0]),
        ValueError,
        "y has shape (24, 4, 0): it needs at least one future step and one target",
    ),
    Case(
        "fit-samples-differ",
        fit(),
        lambda X, y: (X, y[:-1]),
        ValueError,
        "Found input variables with inconsistent numbers of samples: [24, 23]",
    ),
    Case(
        "fit-joined-windows-too-short",
        fit(n_future=15),
        lambda X, y: (X,),
        ValueError,
        "With y=None, X holds joined past+future windows whose last n_future=15 "
        "steps are the target, but X has only 6 time steps. Pass y",
    ),
    Case(
        "fit-target_features-out-of-range",
        fit(target_features=[3]),
        good,
        ValueError,
        "target_features=[3] must list indices of X's 1 features (last axis)",
    ),
    # fit: parameters out of range or of the wrong type
    # None: from the windows a SeriesWindower cut
    param("n_future", 0, "None or " + POSITIVE_INT),
    param("n_future", "4", "None or " + POSITIVE_INT),
    param("hidden_dim", 0, POSITIVE_INT + OR_AUTO),
    param("hidden_dim", 2.5, POSITIVE_INT + OR_AUTO),
    param("hidden_dim", "12", POSITIVE_INT + OR_AUTO),
    param("num_layers", 0, POSITIVE_INT + OR_AUTO),
    param("num_layers", None, POSITIVE_INT + OR_AUTO),
    param("max_epochs", 0, f"None or {POSITIVE_INT}"),
    param("max_epochs", "10", f"None or {POSITIVE_INT}"),
    param("max_steps", -1, POSITIVE_INT + OR_AUTO),
    param("batch_size", 0, POSITIVE_INT),
    param("batch_size", 8.0, POSITIVE_INT),
    param("lr", 0, POSITIVE_FLOAT + OR_AUTO),
    param("lr", -0.1, POSITIVE_FLOAT + OR_AUTO),
    param("lr", "0.01", POSITIVE_FLOAT + OR_AUTO),
    param("alpha", -1.0, "a float in the range [0.0, inf)" + OR_AUTO),
    param("alpha", "strong", "a float in the range [0.0, inf)" + OR_AUTO),
    param("teacher_forcing", 1.5, "a float in the range [0.0, 1.0]"),
    param("teacher_forcing", -0.1, "a float in the range [0.0, 1.0]"),
    param("teacher_forcing", None, "a float in the range [0.0, 1.0]"),
    param("clip_grad_norm", 0, f"None or {POSITIVE_FLOAT}"),
    param("warm_start", "yes", "an instance of 'bool' or an instance of 'numpy.bool'"),
    param("scale", 1, "an instance of 'bool' or an instance of 'numpy.bool'"),
    param("callbacks", "EarlyStopping", "None or an instance of 'list'"),
    param("optimizer", "adam", "a callable"),
    param("device", 0, "an instance of 'str' or an instance of 'torch.device'"),
    param(
        "random_state",
        "seed",
        "an int in the range [0, 4294967295], an instance of "
        "'numpy.random.mtrand.RandomState' or None",
    ),
    # predict
    Case(
        "predict-unfitted", unfitted_predict, x_only(good), NotFittedError, NOT_FITTED
    ),
    Case("predict-X-nan", predict, x_only(with_value(np.nan)), ValueError, NAN),
    Case("predict-X-inf", predict, x_only(with_value(np.inf)), ValueError, INF),
    Case(
        "predict-X-too-large-for-float32",
        predict,
        x_only(with_value(1e300)),
        ValueError,
        "values too large for the model, which computes in float32",
    ),
    Case("predict-X-0d", predict, lambda X, y: (np.float64(1.5),), ValueError, SCALAR),
    Case("predict-X-4d", predict, lambda X, y: (X[..., None],), ValueError, FOUR_D),
    Case(
        "predict-X-ragged",
        predict,
        lambda X, y: ([[1.0] * 6, [1.0] * 5],),
        ValueError,
        "X " + RAGGED + "(time steps): 5 and 6.",
    ),
    Case(
        "predict-X-text",
        predict,
        lambda X, y: (np.array([["a"] * 6]),),
        ValueError,
        "X " + TEXT,
    ),
    Case("predict-X-complex", predict, lambda X, y: (X + 0j,), ValueError, COMPLEX),
    Case("predict-X-0-samples", predict, lambda X, y: (X[:0],), ValueError, EMPTY),
    Case(
        "predict-X-0-timesteps",
        predict,
        lambda X, y: (X[:, :0],),
        ValueError,
        "X has shape (24, 0, 1): " + NO_STEP,
    ),
    Case(
        "predict-X-0-features",
        predict,
        lambda X, y: (X[:, :, :0],),
        ValueError,
        "X has shape (24, 6, 0): " + NO_STEP,
    ),
    Case(
        "predict-other-past-length",
        predict,
        lambda X, y: (X[:, :5],),
        ValueError,
        "X has 5 features, but Seq2SeqRegressor is expecting 6 features as input: "
        "the model reads windows of n_past=6 past steps (X.shape[1]). Pass windows",
    ),
    Case(
        "predict-other-feature-count",
        predict,
        lambda X, y: (np.concatenate([X, X], axis=2),),
        ValueError,
        "X has 2 features per time step, but Seq2SeqRegressor was fitted with 1. "
        "Pass windows with the same features",
    ),
    # score
    Case("score-unfitted", unfitted_score, good, NotFittedError, NOT_FITTED),
    Case("score-X-nan", score, with_value(np.nan), ValueError, NAN),
    Case("score-y-nan", score, with_value(np.nan, "y"), ValueError, NAN_Y),
    Case("score-y-inf", score, with_value(np.inf, "y"), ValueError, INF_Y),
    Case(
        "score-y-0d",
        score,
        lambda X, y: (X, 2.0),
        ValueError,
        "y is a scalar (array(2.)), but must be an array",
    ),
    Case(
        "score-y-ragged",
        score,
        lambda X, y: (X[:2], [[1.0, 2.0], [3.0]]),
        ValueError,
        "y " + RAGGED_1_2,
    ),
    Case(
        "score-y-text",
        score,
        lambda X, y: (X[:1], np.array([["a"] * 4])),
        ValueError,
        "y " + TEXT,
    ),
    Case(
        "score-y-complex",
        score,
        lambda X, y: (X, y + 1j),
        ValueError,
        COMPLEX.replace(": X", ": y"),
    ),
    Case(
        "score-y-other-horizon",
        score,
        lambda X, y: (X, y[:, :3]),
        ValueError,
        "y has shape (24, 3, 1), but the model forecasts (24, 4, 1) for X. Pass the "
        "true futures",
    ),
    Case(
        "score-samples-differ",
        score,
        lambda X, y: (X, y[:-1]),
        ValueError,
        "y has shape (23, 4, 1), but the model forecasts (24, 4, 1) for X",
    ),
    # SeriesWindower
    Case(
        "windower-nan",
        windower_fit(),
        lambda X, y: (np.r_[np.arange(12.0), np.nan],),
        ValueError,
        "Input X contains NaN (1 of 13 values, the first at index (12,)). The model "
        "needs finite values: fill the gaps first",
    ),
    Case(
        "windower-inf",
        windower_fit(),
        lambda X, y: (np.r_[np.arange(12.0), -np.inf],),
        ValueError,
        INF,
    ),
    Case(
        "windower-0d",
        windower_fit(),
        lambda X, y: (np.float64(1.5),),
        ValueError,
        SCALAR,
    ),
    Case(
        "windower-4d",
        windower_fit(),
        lambda X, y: (np.zeros((2, 20, 1, 1)),),
        ValueError,
        "X has 4 dimensions with shape (2, 20, 1, 1)",
    ),
    Case(
        "windower-ragged-features",
        windower_fit(),
        lambda X, y: ([[[1.0, 2.0]] * 12, [[1.0]] * 12],),
        ValueError,
        "X has different numbers of features along axis 2 (1 and 2), though every "
        "item has the same number of time steps. Pass the same features",
    ),
    Case(
        "windower-text",
        windower_fit(),
        lambda X, y: (np.array(["a"] * 12),),
        ValueError,
        "X " + TEXT,
    ),
    Case(
        "windower-object-text",
        windower_fit(),
        lambda X, y: (np.array([1.0] * 11 + ["a"], dtype=object),),
        ValueError,
        "X " + TEXT,
    ),
    Case(
        "windower-complex",
        windower_fit(),
        lambda X, y: (np.zeros(12, dtype=complex),),
        ValueError,
        COMPLEX,
    ),
    Case(
        "windower-0-series",
        windower_fit(),
        lambda X, y: (np.zeros((0, 20)),),
        ValueError,
        "X is empty: its shape (0, 20) holds no samples. Pass at least one window",
    ),
    Case(
        "windower-empty-series",
        windower_fit(),
        lambda X, y: (np.zeros(0),),
        ValueError,
        "X is empty: its shape (0,) holds no samples.",
    ),
    Case(
        "windower-0-timesteps",
        windower_fit(),
        lambda X, y: (np.zeros((2, 0, 1)),),
        ValueError,
        "The series has 0 time steps, but fit needs at least 10",
    ),
    Case(
        "windower-0-features",
        windower_fit(),
        lambda X, y: (np.zeros((2, 20, 0)),),
        ValueError,
        "X has shape (2, 20, 0): it needs at least one feature per time step",
    ),
    Case(
        "windower-windows-longer-than-series",
        windower_fit(),
        lambda X, y: (np.zeros((2, 8)),),
        ValueError,
        SHORT,
    ),
    Case(
        "windower-transform-unfitted",
        unfitted_transform,
        lambda X, y: (np.zeros(20),),
        NotFittedError,
        NOT_FITTED,
    ),
    Case(
        "windower-transform-shorter-than-n_past",
        transform,
        lambda X, y: (np.zeros((2, 5)),),
        ValueError,
        "The series has 5 time steps, but transform needs at least 6 (n_past = 6)",
    ),
    Case(
        "windower-transform-other-feature-count",
        transform,
        lambda X, y: (np.zeros((2, 20, 3)),),
        ValueError,
        "X has 3 features per time step, but SeriesWindower was fitted on 1",
    ),
    Case(
        "windower-transform-nan",
        transform,
        lambda X, y: (np.r_[np.arange(12.0), np.nan],),
        ValueError,
        "Input X contains NaN",
    ),
    windower_param("n_past", 0, POSITIVE_INT),
    windower_param("n_past", "6", POSITIVE_INT),
    windower_param("n_future", 0, POSITIVE_INT),
    windower_param("n_future", 2.5, POSITIVE_INT),
    windower_param("step", 0, POSITIVE_INT),
    windower_param("step", None, POSITIVE_INT),
    # issue 15, silent wrong results: pandas time order, masks, dates, horizons
    Case(
        "windower-pandas-shuffled-index",
        windower_fit(),
        lambda X, y: (HISTORY.sample(frac=1, random_state=0),),
        ValueError,
        "The index of X is not in increasing time order (2020-01-05 00:00:00 at "
        "row 2 follows 2020-01-12 00:00:00): windows would mix times. Sort it "
        "first: history.sort_index().",
    ),
    Case(
        "windower-pandas-reversed-index",
        windower_fit(),
        lambda X, y: (HISTORY[::-1].to_frame(),),
        ValueError,
        "The index of X is not in increasing time order (2020-01-11 00:00:00 at "
        "row 1 follows 2020-01-12 00:00:00)",
    ),
    Case(
        "windower-pandas-repeated-index",
        windower_fit(),
        lambda X, y: (pd.concat([HISTORY, HISTORY]),),
        ValueError,
        "The index of X repeats time stamps (2020-01-01 00:00:00 at rows 0, 12): "
        "windows would run across the repeats. Pass one row per time step",
    ),
    Case(
        "windower-pandas-NaT-in-index",
        windower_fit(),
        lambda X, y: (HISTORY.set_axis(HISTORY.index.insert(3, pd.NaT)[:-1]),),
        ValueError,
        "The index of X holds missing time stamps (the first at row 3)",
    ),
    Case(
        "windower-pandas-shuffled-integer-index",
        windower_fit(),
        lambda X, y: (HISTORY.reset_index(drop=True).sample(frac=1, random_state=0),),
        ValueError,
        "The index of X is not in increasing time order (4 at row 2 follows 11)",
    ),
    Case(
        "windower-list-of-pandas-one-shuffled",
        windower_fit(),
        lambda X, y: ([HISTORY, HISTORY[:11].sample(frac=1, random_state=0)],),
        ValueError,
        "The index of series 1 of X is not in increasing time order",
    ),
    Case(
        "windower-transform-pandas-shuffled-index",
        transform,
        lambda X, y: (HISTORY.sample(frac=1, random_state=0),),
        ValueError,
        "The index of X is not in increasing time order",
    ),
    Case(
        "future_index-shuffled-index",
        dated(),
        lambda X, y: (HISTORY.sample(frac=1, random_state=0),),
        ValueError,
        "The index of the history is not in increasing time order (2020-01-05 "
        "00:00:00 at row 2 follows 2020-01-12 00:00:00)",
    ),
    Case(
        "future_index-repeated-index",
        dated(),
        lambda X, y: (pd.concat([HISTORY, HISTORY]),),
        ValueError,
        "The index of the history repeats time stamps (2020-01-01 00:00:00 at rows "
        "0, 12)",
    ),
    Case(
        "windower-masked-array",
        windower_fit(),
        lambda X, y: (np.ma.masked_equal(np.r_[np.arange(11.0), -999], -999),),
        ValueError,
        "Input X contains masked values (1 of 12 values, the first at index (11,)). "
        "The model does not read masks: fill the masked values first",
    ),
    Case(
        "fit-X-masked-array",
        fit(),
        lambda X, y: (np.ma.masked_greater(X, 0.9), y),
        ValueError,
        "Input X contains masked values (",
    ),
    Case(
        "windower-datetime64",
        windower_fit(),
        lambda X, y: (np.arange(12).astype("datetime64[D]"),),
        ValueError,
        "X holds dates or durations (dtype datetime64[D]), but must hold numbers. "
        "Time stamps belong in the index of a pandas history",
    ),
    Case(
        "windower-timedelta64",
        windower_fit(),
        lambda X, y: (np.arange(12).astype("timedelta64[h]"),),
        ValueError,
        "X holds dates or durations (dtype timedelta64[h])",
    ),
    Case(
        "fit-X-datetime64",
        fit(),
        lambda X, y: (np.arange(24 * 6).reshape(24, 6).astype("datetime64[D]"), y),
        ValueError,
        "X holds dates or durations (dtype datetime64[D])",
    ),
    future_index_param(-3),
    future_index_param(0),
    future_index_param(2.5),
    future_index_param("3"),
    # issue 15, unclear errors: pandas dtypes, containers, nesting, future_index
    Case(
        "windower-dataframe-Int64-with-NA",
        windower_fit(),
        lambda X, y: (with_nullable("Int64"),),
        ValueError,
        "Input X contains NaN (1 of 24 values, the first at index (2, 0)). The "
        "model needs finite values",
    ),
    Case(
        "windower-dataframe-boolean-with-NA",
        windower_fit(),
        lambda X, y: (with_nullable("boolean"),),
        ValueError,
        "Input X contains NaN (1 of 24 values, the first at index (2, 0))",
    ),
    Case(
        "windower-dataframe-datetime-column",
        windower_fit(),
        lambda X, y: (HISTORY.to_frame().assign(date=HISTORY.index),),
        ValueError,
        "X holds dates or durations (dtype datetime64[",
    ),
    Case(
        "windower-object-pd.NA",
        windower_fit(),
        lambda X, y: (np.array([1.0] * 5 + [pd.NA] * 2 + [1.0] * 5, dtype=object),),
        ValueError,
        "Input X contains pd.NA or NaT (2 of 12 values, the first at index (5,)). "
        "The model needs finite values",
    ),
    Case(
        "windower-object-timestamps",
        windower_fit(),
        lambda X, y: (np.array(list(HISTORY.index), dtype=object),),
        ValueError,
        "X holds dates or durations (e.g. Timestamp('2020-01-01 00:00:00')",
    ),
    Case(
        "windower-categorical-text",
        windower_fit(),
        lambda X, y: (pd.DataFrame({"a": pd.Categorical(list("abc") * 4)}),),
        ValueError,
        "X holds text (e.g. 'a'), but must hold numbers",
    ),
    Case(
        "windower-sparse",
        windower_fit(),
        lambda X, y: (sparse.csr_matrix(np.ones((2, 12))),),
        ValueError,
        "X is a sparse matrix (csr_matrix), but the model needs a dense array of "
        "shape (n_samples, n_timesteps, n_features). Convert it first: X.toarray().",
    ),
    Case(
        "predict-X-sparse",
        predict,
        lambda X, y: (sparse.csr_matrix(X[:, :, 0]),),
        ValueError,
        "X is a sparse matrix (csr_matrix)",
    ),
    Case(
        "windower-dict",
        windower_fit(),
        lambda X, y: ({"a": list(range(12))},),
        ValueError,
        "X is a dict, but must be an array of shape (n_samples, n_timesteps, "
        "n_features). Pass an array of shape (n_samples, n_timesteps, n_features), "
        "e.g. np.asarray(list(X.values()))",
    ),
    Case(
        "windower-generator",
        windower_fit(),
        lambda X, y: ((float(value) for value in range(12)),),
        ValueError,
        "X is an iterator (generator), which can be read only once and has no length",
    ),
    Case(
        "windower-set",
        windower_fit(),
        lambda X, y: (set(range(12)),),
        ValueError,
        "X is a set, which has no order",
    ),
    Case(
        "windower-None",
        windower_fit(),
        lambda X, y: (None,),
        ValueError,
        "X is None, but must be an array of shape (n_samples, n_timesteps, "
        "n_features).",
    ),
    Case(
        "windower-string",
        windower_fit(),
        lambda X, y: ("123456789012",),
        ValueError,
        "X holds text (e.g. '123456789012'), but must hold numbers",
    ),
    Case(
        "windower-equal-length-series-different-features",
        windower_fit(),
        lambda X, y: ([np.zeros((12, 1)), np.zeros((12, 2))],),
        ValueError,
        "X has different numbers of features along axis 2 (1 and 2), though every "
        "item has the same number of time steps",
    ),
    Case(
        "windower-nested-70-deep",
        windower_fit(),
        lambda X, y: (nested(70),),
        ValueError,
        "X is nested more than 64 levels deep, deeper than any array, but must be "
        "an array of shape (n_samples, n_timesteps, n_features) (3 axes).",
    ),
    Case(
        "windower-nested-40-deep",
        windower_fit(),
        lambda X, y: (nested(40),),
        ValueError,
        "X has 40 dimensions with shape (1, 1,",
    ),
    Case(
        "future_index-ndarray",
        dated(),
        lambda X, y: (np.arange(12.0),),
        TypeError,
        "future_index needs a pandas Series, DataFrame or Index indexed by time, "
        "got a ndarray. Index the history by time first",
    ),
    Case(
        "future_index-list",
        dated(),
        lambda X, y: (list(range(12)),),
        TypeError,
        "future_index needs a pandas Series, DataFrame or Index indexed by time, "
        "got a list.",
    ),
    Case(
        "future_index-empty-history",
        dated(),
        lambda X, y: (HISTORY[:0],),
        ValueError,
        "The history is empty, so there is no last step to continue from.",
    ),
    Case(
        "future_index-one-row-stepping-back",
        dated(),
        lambda X, y: (HISTORY[:1][::-1],),
        ValueError,
        "The history's index steps back in time (after 2020-01-01 00:00:00 would "
        "come 2019-12-31 00:00:00), so the forecast steps cannot follow its end.",
    ),
    Case(
        "future_index-one-row-backwards-range",
        dated(),
        lambda X, y: (pd.Series([1.0], index=pd.RangeIndex(1, 0, -1)),),
        ValueError,
        "The history's index steps back in time (after 1 would come 0)",
    ),
    Case(
        "pipeline-score-without-y",
        pipeline_score_without_y,
        lambda X, y: (make_sine_cosine(2, 40, random_state=0)[:, :, 0],),
        ValueError,
        "score needs the true futures y",
    ),
    # a windower and a model that disagree on n_future
    Case(
        "pipeline-n_future-disagrees",
        pipeline_with_other_n_future,
        lambda X, y: (make_sine_cosine(2, 40, random_state=0)[:, :, 0],),
        ValueError,
        # caught at fit, naming both settings
        "The windows were cut by SeriesWindower(n_future=4), but "
        "Seq2SeqRegressor(n_future=3) splits their last 3 steps off as the "
        "target. Set the same n_future in both, or say it once, to the windower.",
    ),
]


def snapshot(value):
    """A copy of an argument, and how to compare it later."""
    if isinstance(value, (list, tuple)):
        return [snapshot(item) for item in value], "sequence"
    if isinstance(value, np.ndarray):
        flags = {flag: value.flags[flag] for flag in FLAGS}
        return (value.copy(), np.ma.getmaskarray(value).copy(), flags), "array"
    if isinstance(value, (pd.Series, pd.DataFrame)):
        return value.copy(deep=True), "pandas"
    if sparse.issparse(value):
        return value.copy(), "sparse"
    if inspect.isgenerator(value):
        return None, "generator"
    return copy.deepcopy(value), "value"


def assert_unchanged(value, before):
    expected, kind = before
    if kind == "sequence":
        assert len(value) == len(expected)
        for item, item_before in zip(value, expected):
            assert_unchanged(item, item_before)
    elif kind == "array":
        values, mask, flags = expected
        if value.dtype == object:  # pd.NA has no truth value: compare identities
            assert all(a is b for a, b in zip(value.ravel(), values.ravel()))
        else:
            np.testing.assert_array_equal(np.ma.getdata(value), np.ma.getdata(values))
        np.testing.assert_array_equal(np.ma.getmaskarray(value), mask)
        assert value.dtype == values.dtype and value.shape == values.shape
        assert {flag: value.flags[flag] for flag in FLAGS} == flags
    elif kind == "pandas":
        if isinstance(value, pd.Series):
            pd.testing.assert_series_equal(value, expected, check_exact=True)
        else:
            pd.testing.assert_frame_equal(value, expected, check_exact=True)
    elif kind == "sparse":
        assert (value != expected).nnz == 0
    elif kind == "generator":  # never read
        assert inspect.getgeneratorstate(value) == inspect.GEN_CREATED
    else:
        assert value == expected


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_refused_clearly_and_left_untouched(case, data, request):
    ctx = {
        "fitted": request.getfixturevalue("fitted"),
        "windower": request.getfixturevalue("windower"),
    }
    args = case.make(*data)
    before = [snapshot(arg) for arg in args]
    with pytest.raises(case.error) as raised:
        case.call(ctx, *args)
    assert case.match in str(raised.value)
    for arg, copy_ in zip(args, before):
        assert_unchanged(arg, copy_)


def test_the_module_fixtures_are_untouched(data, fitted):
    series = make_sine_cosine(24, N_PAST + N_FUTURE, random_state=0)
    np.testing.assert_array_equal(data[0], series[:, :N_PAST])
    assert fitted.n_past_ == N_PAST


def test_every_listed_case_is_a_distinct_row():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


# -- windows, scores and saved files the model refuses -----------------------
@pytest.fixture(scope="module")
def windows(data):
    """The same windows as ``data``, under the name the tests below use."""
    return data


def _saved(model):
    buffer = io.BytesIO()
    model.save(buffer)
    return buffer.getvalue()


def _edited(saved, edit):
    """The saved archive with its model.json changed by ``edit(document)``."""
    source = zipfile.ZipFile(io.BytesIO(saved))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "model.json":
                document = json.loads(data)
                edit(document)
                data = json.dumps(document)
            archive.writestr(name, data)
    out.seek(0)
    return out


class TestScore:
    def test_transposed_target(self, windows):
        X, y = windows
        model = Seq2SeqRegressor(**TINY).fit(X, y[:, :, 0])
        with pytest.raises(ValueError, match=r"y has shape \(4, 24\), but the model"):
            model.score(X, y[:, :, 0].T)

    def test_same_size_other_shape(self, windows, fitted):
        X, y = windows
        with pytest.raises(ValueError, match=r"y has shape \(12, 8\)"):
            fitted.score(X, y.reshape(12, 8))

    def test_sample_weight_of_another_length(self, windows, fitted):
        with pytest.raises(ValueError, match=r"sample_weight has shape \(5,\), but X"):
            fitted.score(*windows, sample_weight=np.ones(5))

    def test_a_pipeline_scored_on_a_history(self):
        history = make_sine_cosine(1, 60, random_state=0)[0, :, 0]
        pipe = make_pipeline(
            SeriesWindower(n_past=6, n_future=4), Seq2SeqRegressor(n_future=4, **TINY)
        ).fit(history)
        with pytest.raises(ValueError, match="score needs the true futures y"):
            pipe.score(history)


def test_tiny_values_are_refused_not_forecast_as_noise(windows):
    X, y = windows
    with pytest.raises(ValueError, match="too small for their variance"):
        Seq2SeqRegressor(**TINY).fit(X * 1e-300, y * 1e-300)
    with pytest.raises(ValueError, match="too small for the model"):
        Seq2SeqRegressor(**TINY, scale=False).fit(X * 1e-300, y * 1e-300)


class TestQuietOnInternals:
    def test_float16_windows(self, windows):
        X, y = (a.astype(np.float16) for a in windows)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            Seq2SeqRegressor(**TINY).fit(X, y).predict(X)

    def test_float32_history_in_a_pipeline(self):
        history = make_sine_cosine(1, 60, random_state=0)[0, :, 0].astype(np.float32)
        pipe = make_pipeline(
            SeriesWindower(n_past=6, n_future=4), Seq2SeqRegressor(n_future=4, **TINY)
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            pipe.fit(history).predict(history)


class TestFiles:
    def test_save_and_load_a_file_object(self, fitted, windows):
        loaded = Seq2SeqRegressor.load(io.BytesIO(_saved(fitted)))
        np.testing.assert_array_equal(
            loaded.predict(windows[0]), fitted.predict(windows[0])
        )

    @pytest.mark.parametrize(
        "edit, match",
        [
            (lambda d: d["fitted"].update(_y_ndim=1), "1-D y cannot hold"),
            (lambda d: d["fitted"].update(_y_ndim=7), "7-D y"),
            (lambda d: d["fitted"].update(target_index_=[3]), "target_index_"),
            (lambda d: d["fitted"].update(n_past_=-2), "positive integers"),
            (lambda d: d["fitted"].update(n_future_="4"), "positive integers"),
            (lambda d: d["fitted"]["x_scaler_"].update(mean_=[0, 1]), "x_scaler_"),
            (lambda d: d["fitted"].pop("n_targets_"), "n_targets_"),
            (lambda d: d["params"].update(hidden_dim="big"), "hidden_dim"),
            (lambda d: d["params"].update(device="bogus"), "bogus"),
            (lambda d: d.update(history=5), "invalid fitted state"),
        ],
        ids=[
            "y_ndim_1",
            "y_ndim_7",
            "target_index",
            "negative_n_past",
            "text_n_future",
            "scaler_shape",
            "missing_attribute",
            "bad_param",
            "bad_device",
            "bad_history",
        ],
    )
    def test_edited_json_is_refused(self, fitted, edit, match):
        with pytest.raises(ValueError, match=match):
            Seq2SeqRegressor.load(_edited(_saved(fitted), edit))

    def test_truncated_file(self, fitted):
        saved = _saved(fitted)
        for size in (0, 10, len(saved) // 2, len(saved) - 10):
            with pytest.raises(ValueError, match="Seq2SeqRegressor.save"):
                Seq2SeqRegressor.load(io.BytesIO(saved[:size]))
