"""Real forecasting: scaling, trends, covariates, many series, pandas."""

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.pipeline import make_pipeline

from sk_seq2seq import (
    NaiveForecaster,
    Seq2SeqModule,
    Seq2SeqRegressor,
    SeriesWindower,
    future_index,
    make_sine_cosine,
)


def relative_mse(model, X, y, spread):
    return np.mean((model.predict(X) - y) ** 2) / spread**2


class TestScaling:
    def test_units_do_not_matter_with_scale(self):
        train = make_sine_cosine(400, 30, random_state=0)
        test = make_sine_cosine(200, 30, random_state=1)
        errors = []
        for factor, shift in [(1.0, 0.0), (1000.0, 5000.0)]:
            tr, te = train * factor + shift, test * factor + shift
            model = Seq2SeqRegressor(max_steps=150, random_state=0)
            model.fit(tr[:, :15], tr[:, 15:])
            errors.append(relative_mse(model, te[:, :15], te[:, 15:], factor))
        # the scaler absorbs the units; float32 rounding is all that differs
        assert errors[1] == pytest.approx(errors[0], rel=0.1)

    def test_predictions_come_back_in_the_users_units(self):
        series = make_sine_cosine(200, 30, random_state=0) * 1000 + 5000
        model = Seq2SeqRegressor(max_steps=100, random_state=0)
        y_pred = model.fit(series[:, :15], series[:, 15:]).predict(series[:, :15])
        assert 3000 < y_pred.mean() < 7000


def trend_with_season(random_state, n=500):
    rng = np.random.RandomState(random_state)
    t = np.arange(n)
    season = np.sin(2 * np.pi * t / 12 + rng.uniform(0, 2 * np.pi))
    return 0.05 * t + season + rng.normal(scale=0.1, size=n)


class TestLevelsOutsideTheTrainingRange:
    @pytest.mark.parametrize("random_state", range(5))
    def test_beats_the_last_value_beyond_the_training_maximum(self, random_state):
        series = trend_with_season(random_state)
        train, test = series[:300], series[300:]
        pipe = make_pipeline(
            SeriesWindower(), Seq2SeqRegressor(max_steps=150, random_state=0)
        ).fit(train)
        windows = SeriesWindower().fit_transform(test)
        past, future = windows[:, :15], windows[:, 15:]
        assert past.min() > train.max() - 2  # origins beyond what training saw
        model_mse = np.mean((pipe[-1].predict(past) - future) ** 2)
        last_value = NaiveForecaster("last").fit(past, future).predict(past)
        assert model_mse < np.mean((last_value - future) ** 2)

    @pytest.mark.parametrize("window_norm", ["revin", "last_value"])
    def test_window_norm_is_undone_on_the_forecast(self, window_norm):
        module = Seq2SeqModule(1, 1, 4, window_norm=window_norm, target_index=[0])
        past = torch.randn(3, 6, 1)
        with torch.no_grad():
            shifted = module(past + 100.0)
            np.testing.assert_allclose(shifted - 100.0, module(past), atol=1e-3)

    def test_bad_window_norm(self):
        with pytest.raises(ValueError, match="'window_norm' parameter"):
            Seq2SeqRegressor(window_norm="mean").fit(np.zeros((4, 3)), np.zeros(4))


def driver_and_follower(n=2500, lag=5, random_state=0):
    """(n, 2): feature 0 repeats feature 1 (white noise) ``lag`` steps later."""
    rng = np.random.RandomState(random_state)
    driver = rng.normal(size=n)
    follower = np.concatenate([np.zeros(lag), driver[:-lag]])
    return np.stack([follower + 0.05 * rng.normal(size=n), driver], axis=-1)


@pytest.fixture(scope="module")
def driven_windows():
    windows = SeriesWindower(n_past=15, n_future=5).fit_transform(
        driver_and_follower()[np.newaxis]
    )
    return windows[:, :15], windows[:, 15:, :1]


class TestCovariates:
    def test_a_driver_in_the_past_improves_the_forecast(self, driven_windows):
        X, y = driven_windows
        split = len(X) * 4 // 5
        errors = {}
        for name, features in [("with", [0, 1]), ("without", [0])]:
            model = Seq2SeqRegressor(max_steps=300, random_state=0)
            model.fit(X[:split, :, features], y[:split])
            errors[name] = np.mean(
                (model.predict(X[split:, :, features]) - y[split:]) ** 2
            )
        assert errors["with"] < 0.5 * errors["without"]

    def test_pipeline_forecasts_only_the_target_features(self):
        history = driver_and_follower(300)[np.newaxis]  # one series, 2 features
        pipe = make_pipeline(
            SeriesWindower(n_past=15, n_future=5),
            Seq2SeqRegressor(n_future=5, target_features=[0], max_epochs=2),
        ).fit(history)
        assert pipe.predict(history).shape == (1, 5, 1)
        assert pipe[-1].n_channels_in_ == 2 and pipe[-1].n_targets_ == 1

    def test_target_features_must_match_y(self):
        X, y = np.zeros((10, 4, 3)), np.zeros((10, 2, 2))
        with pytest.raises(ValueError, match="target_features lists 1 features, but"):
            Seq2SeqRegressor(target_features=[0]).fit(X, y)

    def test_target_features_out_of_range(self):
        with pytest.raises(ValueError, match=r"must list indices of X's 3 features"):
            Seq2SeqRegressor(target_features=[3], n_future=2).fit(np.zeros((10, 6, 3)))


class TestManySeries:
    def test_unequal_lengths_are_windowed_one_by_one(self):
        series = [np.arange(6.0), 100 + np.arange(8.0)]
        windows = SeriesWindower(n_past=3, n_future=2).fit_transform(series)
        assert windows.shape == (2 + 4, 5, 1)
        np.testing.assert_array_equal(windows[:, 0, 0], [0, 1, 100, 101, 102, 103])
        np.testing.assert_array_equal(windows[1, :, 0], [1, 2, 3, 4, 5])
        np.testing.assert_array_equal(windows[2, :, 0], [100, 101, 102, 103, 104])

    def test_transform_returns_the_end_of_each(self):
        series = [np.arange(6.0), 100 + np.arange(8.0)]
        windower = SeriesWindower(n_past=3, n_future=2).fit(series)
        np.testing.assert_array_equal(
            windower.transform(series)[:, :, 0], [[3, 4, 5], [105, 106, 107]]
        )

    def test_multivariate_items_are_time_by_features(self):
        series = [np.zeros((7, 2)), np.ones((9, 2))]
        windows = SeriesWindower(n_past=2, n_future=1).fit_transform(series)
        assert windows.shape == (5 + 7, 3, 2)
        assert windows[:5].sum() == 0 and (windows[5:] == 1).all()

    def test_a_short_item_is_named(self):
        with pytest.raises(ValueError, match=r"Series 1 has 4 time steps, but fit"):
            SeriesWindower(n_past=3, n_future=2).fit_transform(
                [np.arange(9.0), np.arange(4.0)]
            )

    def test_items_with_other_features_are_refused(self):
        with pytest.raises(ValueError, match="different numbers of features"):
            SeriesWindower(n_past=2, n_future=1).fit([np.zeros((5, 2)), np.zeros(7)])

    def test_pipeline_on_a_list(self):
        series = [make_sine_cosine(1, n, random_state=n)[0, :, 0] for n in (60, 90)]
        pipe = make_pipeline(SeriesWindower(), Seq2SeqRegressor(max_epochs=2))
        assert pipe.fit(series).predict(series).shape == (2, 15, 1)


class TestPandas:
    @pytest.fixture
    def frame(self):
        index = pd.date_range("2020-01-01", periods=60, freq="D")
        values = driver_and_follower(60)
        return pd.DataFrame(values, index=index, columns=["sales", "price"])

    def test_dataframe_is_time_by_features(self, frame):
        windower = SeriesWindower(n_past=4, n_future=2)
        windows = windower.fit_transform(frame)
        assert windows.shape == (60 - 6 + 1, 6, 2)
        np.testing.assert_array_equal(windows[0], frame.to_numpy()[:6])
        np.testing.assert_array_equal(
            windower.transform(frame)[0], frame.to_numpy()[-4:]
        )

    def test_series_is_one_univariate_series(self, frame):
        windows = SeriesWindower(n_past=4, n_future=2).fit_transform(frame["sales"])
        np.testing.assert_array_equal(
            windows[:, :, 0],
            frame["sales"].to_numpy()[np.arange(55)[:, None] + np.arange(6)],
        )

    def test_pipeline_forecast_dated_by_future_index(self, frame):
        pipe = make_pipeline(
            SeriesWindower(n_past=4, n_future=2),
            Seq2SeqRegressor(n_future=2, target_features=[0], max_epochs=2),
        ).fit(frame)
        forecast = pd.Series(pipe.predict(frame)[0, :, 0], index=future_index(frame, 2))
        assert list(forecast.index) == list(pd.date_range("2020-03-01", periods=2))

    def test_future_index_of_periods_and_ranges(self):
        periods = pd.Series(
            range(5), index=pd.period_range("2020-01", periods=5, freq="M")
        )
        assert list(future_index(periods, 2).astype(str)) == ["2020-06", "2020-07"]
        assert list(future_index(pd.Series(range(5)), 3)) == [5, 6, 7]

    def test_future_index_needs_a_regular_frequency(self):
        irregular = pd.Series(
            range(3), index=pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-09"])
        )
        with pytest.raises(ValueError, match="no regular frequency"):
            future_index(irregular)


class TestBidirectional:
    def test_two_directions_give_one_decoder_state(self):
        module = Seq2SeqModule(2, 1, 3, hidden_dim=5, num_layers=2, bidirectional=True)
        assert module.encode(torch.zeros(4, 6, 2)).shape == (2, 4, 5)

    def test_fit_predict(self):
        series = make_sine_cosine(100, 30, random_state=0)
        model = Seq2SeqRegressor(bidirectional=True, max_epochs=2, random_state=0)
        model.fit(series[:, :15], series[:, 15:])
        assert model.net_.module_.encoder.bidirectional
        assert model.predict(series[:3, :15]).shape == (3, 15, 1)
