"""SeriesWindower with features known in advance (future_features)."""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline

from sk_seq2seq import Seq2SeqRegressor, SeriesWindower

N_PAST, N_FUTURE = 6, 3


@pytest.fixture(scope="module")
def frame():
    """60 hourly rows of a load driven by temperature and hour, known ahead."""
    rng = np.random.default_rng(0)
    hours = pd.date_range("2024-01-01", periods=60, freq="h")
    temp = np.sin(np.arange(60) / 4) + rng.normal(0, 0.1, 60)
    hour = (hours.hour / 24).to_numpy()
    return pd.DataFrame({"load": 2 * temp + hour, "temp": temp, "hour": hour}, hours)


def with_forecast_rows(frame, n_future=N_FUTURE):
    """The history, its last n_future rows' load unknown: the forecast period."""
    ahead = frame.copy()
    ahead.iloc[-n_future:, 0] = np.nan
    return ahead


def windower(**params):
    return SeriesWindower(
        n_past=N_PAST, n_future=N_FUTURE, future_features=["temp", "hour"], **params
    )


class TestTransform:
    def test_returns_the_last_past_and_forecast_rows(self, frame):
        ahead = with_forecast_rows(frame)
        fitted = windower().fit(frame.iloc[:-N_FUTURE])
        windows = fitted.transform(ahead)
        assert fitted.future_features_index_ == (1, 2)
        assert windows.shape == (1, N_PAST + N_FUTURE, 3)
        np.testing.assert_array_equal(windows[0], ahead.to_numpy()[-9:])
        assert np.isnan(windows[0, -N_FUTURE:, 0]).all()
        assert not windows.flags.writeable

    def test_fit_transform_is_unchanged(self, frame):
        plain = SeriesWindower(n_past=N_PAST, n_future=N_FUTURE).fit_transform(frame)
        np.testing.assert_array_equal(windower().fit_transform(frame), plain)

    def test_indices_on_arrays_and_lists_of_series(self, frame):
        values = frame.to_numpy()
        ahead = with_forecast_rows(frame).to_numpy()
        fitted = SeriesWindower(
            n_past=N_PAST, n_future=N_FUTURE, future_features=[1, 2]
        ).fit([values, values[:-5]])
        windows = fitted.transform([ahead, ahead[:-5]])
        assert windows.shape == (2, 9, 3)
        np.testing.assert_array_equal(windows[1], ahead[-14:-5])

    def test_input_is_not_modified(self, frame):
        ahead = with_forecast_rows(frame)
        before = ahead.copy()
        windower().fit(frame).transform(ahead)
        pd.testing.assert_frame_equal(ahead, before)


class TestRefused:
    def test_names_without_a_dataframe(self, frame):
        with pytest.raises(ValueError, match="names columns, but X is not a pandas"):
            windower().fit(frame.to_numpy()[np.newaxis])

    def test_unknown_names(self, frame):
        bad = SeriesWindower(future_features=["rain"], n_past=3, n_future=2)
        with pytest.raises(ValueError, match=re.escape("names ['rain'], which are")):
            bad.fit(frame)

    def test_nan_in_the_history(self, frame):
        ahead = with_forecast_rows(frame)
        ahead.iloc[-5, 1] = np.nan
        with pytest.raises(
            ValueError,
            match=re.escape("NaN before the forecast period: column 'temp' at step"),
        ):
            windower().fit(frame).transform(ahead)

    def test_nan_in_a_known_future_value(self, frame):
        ahead = with_forecast_rows(frame)
        ahead.iloc[-2, 2] = np.nan
        with pytest.raises(
            ValueError,
            match=re.escape(
                "The known future value of column 'hour' at forecast step 2 of 3"
            ),
        ):
            windower().fit(frame).transform(ahead)

    def test_infinity_anywhere(self, frame):
        ahead = with_forecast_rows(frame)
        ahead.iloc[-1, 0] = np.inf
        with pytest.raises(ValueError, match="contains infinity"):
            windower().fit(frame).transform(ahead)

    def test_history_too_short_for_past_and_forecast_rows(self, frame):
        with pytest.raises(ValueError, match=r"n_past \+ n_future = 6 \+ 3: with"):
            windower().fit(frame).transform(frame.iloc[:8])


@pytest.fixture(scope="module")
def pipe(frame):
    return make_pipeline(
        windower(),
        Seq2SeqRegressor(
            n_future=N_FUTURE,
            future_features=[1, 2],
            target_features=[0],
            hidden_dim=4,
            max_steps=20,
            # "steps", trained every step, reads the known future from the
            # start; "segments" may keep its linear start, which does not
            recipe="steps",
            train_split=None,
            random_state=0,
        ),
    ).fit(frame.iloc[:-N_FUTURE])


class TestPipeline:
    def test_forecasts_the_forecast_period(self, pipe, frame):
        forecast = pipe.predict(with_forecast_rows(frame))
        assert forecast.shape == (1, N_FUTURE, 1)
        assert np.isfinite(forecast).all()

    def test_unknown_future_cells_are_not_read(self, pipe, frame):
        ahead = with_forecast_rows(frame)
        garbage = ahead.copy()
        garbage.iloc[-N_FUTURE:, 0] = 1e6
        np.testing.assert_array_equal(pipe.predict(ahead), pipe.predict(garbage))

    def test_known_future_values_are_read(self, pipe, frame):
        ahead = with_forecast_rows(frame)
        shifted = ahead.copy()
        shifted.iloc[-N_FUTURE:, 1] += 3.0
        assert not np.allclose(pipe.predict(ahead), pipe.predict(shifted))


class TestTheModelChecksTheWindowersSettings:
    """n_future and the known features are said twice: a mismatch fails at fit."""

    def test_other_future_features(self):
        # one series of 80 steps and 3 features
        history = np.random.default_rng(0).normal(size=(1, 80, 3)).cumsum(axis=1)
        pipe = make_pipeline(
            SeriesWindower(n_past=8, n_future=4, future_features=[2]),
            Seq2SeqRegressor(n_future=4, future_features=[1], max_epochs=1),
        )
        with pytest.raises(
            ValueError,
            match=r"SeriesWindower with future_features at positions \[2\], but "
            r"Seq2SeqRegressor has future_features=\[1\]",
        ):
            pipe.fit(history)

    def test_roles_said_only_to_the_windower(self):
        # one series of 80 steps and 3 features: said once, to the windower
        history = np.random.default_rng(0).normal(size=(1, 80, 3)).cumsum(axis=1)
        pipe = make_pipeline(
            SeriesWindower(n_past=8, n_future=4, future_features=[2]),
            Seq2SeqRegressor(max_epochs=1),
        ).fit(history)
        assert pipe[-1].n_future_ == 4 and pipe[-1].future_index_ == [2]
