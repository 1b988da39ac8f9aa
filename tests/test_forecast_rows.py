"""With future_features, the forecast period is exactly n_future rows.

Issue 23, silent result 4 and unclear error 2: 3 forecast rows for
``n_future=4`` shifted the forecast by a step; none gave a message about
features where rows were missing.
"""

import numpy as np
import pytest
from sklearn.pipeline import make_pipeline

from sk_seq2seq import Seq2SeqRegressor, SeriesWindower

N_PAST, N_FUTURE = 6, 4


@pytest.fixture(scope="module")
def history():
    """(1, 200, 2): a target and a known driver."""
    t = np.arange(200.0)
    return np.stack([np.sin(t / 4), np.cos(t / 7)], axis=1)[np.newaxis]


@pytest.fixture(scope="module")
def pipe(history):
    return make_pipeline(
        SeriesWindower(N_PAST, N_FUTURE, future_features=[1]),
        Seq2SeqRegressor(
            n_future=N_FUTURE,
            target_features=[0],
            future_features=[1],
            hidden_dim=2,
            num_layers=1,
            max_epochs=1,
            random_state=0,
        ),
    ).fit(history)


def with_rows(history, n_rows):
    rows = np.full((1, n_rows, 2), np.nan)
    rows[:, :, 1] = 0.5  # the driver is known over the forecast period
    return np.concatenate([history, rows], axis=1)


@pytest.mark.parametrize("n_rows", [1, 2, 3])
def test_too_few_forecast_rows(history, pipe, n_rows):
    message = (
        f"holds {n_rows} forecast row(s) (rows whose features not known in "
        f"advance are NaN) among its last n_future=4 steps"
    )
    with pytest.raises(
        ValueError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        pipe.predict(with_rows(history, n_rows))


def test_too_many_forecast_rows(history, pipe):
    with pytest.raises(ValueError, match="X holds NaN before the forecast period"):
        pipe.predict(with_rows(history, N_FUTURE + 1))


def test_exactly_n_future_rows(history, pipe):
    assert pipe.predict(with_rows(history, N_FUTURE)).shape == (1, N_FUTURE, 1)


def test_forgotten_forecast_rows_are_named_as_rows(history, pipe):
    model = pipe[-1]
    with pytest.raises(ValueError, match="X has 6 time steps, but") as caught:
        model.predict(history[:, -N_PAST:])
    message = str(caught.value)
    assert "n_past + n_future = 6 + 4 = 10 steps" in message
    assert "Append the 4 forecast rows" in message
    assert "features" not in message.split(":")[0]
