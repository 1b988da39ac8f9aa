"""forecast(pipeline, history): dated, tidy forecasts with intervals."""

import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.pipeline import make_pipeline

from sk_seq2seq import (
    NaiveForecaster,
    Seq2SeqRegressor,
    SeriesWindower,
    forecast,
    plot_forecast,
    plot_predictions,
)

N_PAST, N_FUTURE = 8, 4
SERIES = {  # id: (start, length, frequency)
    "north": ("2023-01-02", 60, "D"),
    "east": ("2023-03-15", 45, "D"),
    "west": ("2022-11-30", 52, "D"),
}


def long_frame(series=SERIES, seed=0):
    rng = np.random.default_rng(seed)
    parts = [
        pd.DataFrame(
            {
                "store": name,
                "date": pd.date_range(start, periods=n, freq=freq),
                "sales": 10 * (k + 1)
                + np.sin(np.arange(n) / 3)
                + rng.normal(0, 0.1, n),
            }
        )
        for k, (name, (start, n, freq)) in enumerate(series.items())
    ]
    return pd.concat(parts).sample(frac=1.0, random_state=seed)


def windower(**params):
    return SeriesWindower(
        N_PAST, N_FUTURE, id_column="store", time_column="date", **params
    )


@pytest.fixture(scope="module")
def frame():
    return long_frame()


@pytest.fixture(scope="module")
def naive_pipe(frame):
    # the horizon said once, to the windower
    return make_pipeline(windower(), NaiveForecaster("last")).fit(frame)


@pytest.fixture(scope="module")
def seq2seq_pipe(frame):
    model = Seq2SeqRegressor(max_epochs=2, random_state=0)
    return make_pipeline(windower(), model).fit(frame)


class TestLongFrame:
    @pytest.mark.parametrize("pipe", ["naive_pipe", "seq2seq_pipe"])
    def test_three_series_of_different_lengths_and_starts(self, request, frame, pipe):
        pipe = request.getfixturevalue(pipe)
        result = forecast(pipe, frame, coverage=0.8)
        assert list(result.columns) == [
            "store",
            "date",
            "sales",
            "sales_lower",
            "sales_upper",
        ]
        # ordered by series (sorted ids), then time
        assert result["store"].tolist() == [
            name for name in ["east", "north", "west"] for _ in range(N_FUTURE)
        ]
        for name, (start, n, freq) in SERIES.items():
            dates = result.loc[result.store == name, "date"]
            expected = pd.date_range(start, periods=n + N_FUTURE, freq=freq)[n:]
            assert list(dates) == list(expected)
        inputs = pipe[0].transform(frame)
        lower, upper = pipe[-1].predict_interval(inputs, coverage=0.8)
        np.testing.assert_allclose(result["sales_lower"], lower.ravel())
        np.testing.assert_allclose(result["sales_upper"], upper.ravel())
        np.testing.assert_allclose(result["sales"], pipe.predict(frame).ravel())
        assert (result["sales_lower"] <= result["sales"]).all()
        assert (result["sales"] <= result["sales_upper"]).all()

    def test_without_coverage_no_bounds(self, naive_pipe, frame):
        result = forecast(naive_pipe, frame)
        assert list(result.columns) == ["store", "date", "sales"]

    def test_each_series_its_own_frequency(self):
        series = {"daily": ("2024-01-01", 30, "D"), "monthly": ("2020-01-01", 30, "MS")}
        frame = long_frame(series)
        pipe = make_pipeline(windower(), NaiveForecaster("mean", n_future=N_FUTURE))
        result = forecast(pipe.fit(frame), frame)
        monthly = result.loc[result.store == "monthly", "date"]
        assert monthly.dt.strftime("%Y-%m-%d").tolist() == [
            "2022-07-01",
            "2022-08-01",
            "2022-09-01",
            "2022-10-01",
        ]

    def test_history_not_modified(self, naive_pipe, frame):
        before = frame.copy()
        forecast(naive_pipe, frame, coverage=0.5)
        pd.testing.assert_frame_equal(frame, before)

    def test_a_saved_pipeline_forecasts_the_same(self, naive_pipe, frame, tmp_path):
        joblib.dump(naive_pipe, tmp_path / "pipe.joblib")
        loaded = joblib.load(tmp_path / "pipe.joblib")
        pd.testing.assert_frame_equal(
            forecast(loaded, frame, coverage=0.9),
            forecast(naive_pipe, frame, coverage=0.9),
        )


class TestOtherLayouts:
    def test_dated_series_is_named_as_the_series(self):
        index = pd.date_range("2024-01-01", periods=50, freq="h")
        history = pd.Series(np.arange(50.0), index=index, name="load")
        pipe = make_pipeline(SeriesWindower(N_PAST, N_FUTURE), NaiveForecaster("last"))
        pipe.set_params(naiveforecaster__n_future=N_FUTURE).fit(history)
        result = forecast(pipe, history)
        assert list(result.columns) == ["ds", "load"]
        assert list(result["ds"]) == list(
            pd.date_range("2024-01-03 02:00", periods=N_FUTURE, freq="h")
        )
        assert result["load"].tolist() == [49.0] * N_FUTURE

    def test_frame_targets_by_name(self):
        index = pd.date_range("2024-01-01", periods=50, freq="D")
        history = pd.DataFrame(
            {"temp": np.arange(50.0), "sales": np.arange(50.0) * 2}, index=index
        )
        pipe = make_pipeline(
            SeriesWindower(N_PAST, N_FUTURE, target_features=["sales"]),
            NaiveForecaster("last", n_future=N_FUTURE, target_features=[1]),
        ).fit(history)
        result = forecast(pipe, history, coverage=0.9)
        assert list(result.columns) == ["ds", "sales", "sales_lower", "sales_upper"]
        assert result["sales"].tolist() == [98.0] * N_FUTURE

    def test_arrays_of_several_series_get_positions(self):
        history = np.arange(2 * 30 * 2, dtype=float).reshape(2, 30, 2)
        pipe = make_pipeline(
            SeriesWindower(N_PAST, N_FUTURE), NaiveForecaster("last", n_future=N_FUTURE)
        ).fit(history)
        result = forecast(pipe, history)
        assert list(result.columns) == ["unique_id", "ds", "y0", "y1"]
        assert result["unique_id"].tolist() == [0] * N_FUTURE + [1] * N_FUTURE
        assert result["ds"].tolist() == list(range(30, 34)) * 2

    def test_one_unnamed_array_series(self):
        history = np.arange(40.0)
        pipe = make_pipeline(
            SeriesWindower(N_PAST, N_FUTURE), NaiveForecaster("last", n_future=N_FUTURE)
        ).fit(history)
        result = forecast(pipe, history)
        assert list(result.columns) == ["ds", "y"]
        assert result["ds"].tolist() == [40, 41, 42, 43]


class TestKnownFuture:
    @pytest.fixture(scope="class")
    def frames(self):
        frame = long_frame()
        frame["promo"] = (frame["date"].dt.day_of_week == 4).astype(float)
        dates = {
            name: pd.date_range(start, periods=n + N_FUTURE, freq=freq)[n:]
            for name, (start, n, freq) in SERIES.items()
        }
        future = pd.concat(
            pd.DataFrame({"store": name, "date": d, "promo": 1.0})
            for name, d in dates.items()
        )
        return frame, future

    @pytest.fixture(scope="class")
    def pipe(self, frames):
        # the roles and the horizon said once, to the windower, by name
        model = Seq2SeqRegressor(max_epochs=1, random_state=0)
        windows = windower(future_features=["promo"], target_features=["sales"])
        return make_pipeline(windows, model).fit(frames[0])

    def test_future_in_the_history_layout(self, pipe, frames):
        frame, future = frames
        result = forecast(pipe, frame, future=future, coverage=0.9)
        assert list(result.columns) == [
            "store",
            "date",
            "sales",
            "sales_lower",
            "sales_upper",
        ]
        assert result.notna().all().all()
        changed = future.assign(promo=0.0)
        assert not np.allclose(
            result["sales"], forecast(pipe, frame, future=changed)["sales"]
        )

    def test_too_few_future_rows_name_the_series(self, pipe, frames):
        frame, future = frames
        short = future.drop(future.index[(future.store == "east").to_numpy()][:1])
        with pytest.raises(ValueError, match="future holds 3 rows of series 'east'"):
            forecast(pipe, frame, future=short)

    def test_future_is_required(self, pipe, frames):
        with pytest.raises(ValueError, match="pass their values for the n_future=4"):
            forecast(pipe, frames[0])

    def test_future_without_future_features(self, naive_pipe, frames):
        with pytest.raises(ValueError, match="has no future_features"):
            forecast(naive_pipe, frames[0].drop(columns="promo"), future=frames[1])


class TestRefused:
    def test_not_a_pipeline(self, frame):
        with pytest.raises(TypeError, match="forecast needs a fitted Pipeline"):
            forecast(NaiveForecaster(), frame)

    @pytest.mark.parametrize("coverage", [0.0, 1.0, 1.5, "0.9", True])
    def test_coverage(self, naive_pipe, frame, coverage):
        with pytest.raises(ValueError, match="coverage must be a number in"):
            forecast(naive_pipe, frame, coverage=coverage)

    def test_reordered_columns(self, naive_pipe, frame):
        frame = frame.assign(extra=1.0)
        with pytest.raises(ValueError, match=r"unexpected \['extra'\]"):
            forecast(naive_pipe, frame)


class TestPandasOutput:
    """set_config(transform_output="pandas") leaves window pipelines working."""

    @pytest.mark.parametrize(
        "model",
        [
            NaiveForecaster("last", n_future=N_FUTURE),
            Seq2SeqRegressor(n_future=N_FUTURE, max_epochs=1, random_state=0),
        ],
        ids=["naive", "seq2seq"],
    )
    def test_global_pandas_output(self, frame, model):
        pipe = make_pipeline(windower(), model)
        expected = pipe.fit(frame).predict(frame)
        with sklearn.config_context(transform_output="pandas"):
            assert isinstance(pipe[0].fit_transform(frame).shape, tuple)
            assert isinstance(pipe[0].transform(frame), np.ndarray)
            np.testing.assert_allclose(pipe.fit(frame).predict(frame), expected)

    def test_pipeline_set_output(self, frame):
        pipe = make_pipeline(windower(), NaiveForecaster("last", n_future=N_FUTURE))
        pipe.set_output(transform="pandas")
        assert pipe.fit(frame).predict(frame).shape == (3, N_FUTURE, 1)


class TestFigures:
    def test_plot_forecast_has_dates(self, naive_pipe, frame):
        import matplotlib

        matplotlib.use("Agg")
        axes = plot_forecast(frame, forecast(naive_pipe, frame, coverage=0.9))
        assert len(axes) == 3
        assert [line.get_label() for line in axes[0].lines] == [
            "sales",
            "sales forecast",
        ]
        assert [band.get_label() for band in axes[0].collections] == ["90% interval"]
        # a date axis: matplotlib's date converter units
        assert axes[0].xaxis.get_converter() is not None
        history_x = axes[0].lines[0].get_xdata()
        assert len(history_x) == 3 * N_FUTURE

    def test_plot_forecast_needs_the_forecast_frame(self, frame):
        with pytest.raises(ValueError, match="frame must be the DataFrame"):
            plot_forecast(frame, pd.DataFrame({"y": [1.0]}))

    def test_plot_predictions_without_a_true_future(self):
        import matplotlib

        matplotlib.use("Agg")
        past, predicted = np.zeros((2, 6, 1)), np.ones((2, 3, 1))
        axes = plot_predictions(past, None, predicted, interval=(predicted, predicted))
        assert [line.get_label() for line in axes[0].lines] == [
            "past",
            "predicted future",
        ]


class TestKnownFutureOtherLayouts:
    @staticmethod
    def model():
        return Seq2SeqRegressor(
            n_future=3,
            target_features=[0],
            future_features=[1],
            max_epochs=1,
            random_state=0,
        )

    def test_a_dated_frame_and_its_calendar(self):
        index = pd.date_range("2024-01-01", periods=40, freq="D")
        history = pd.DataFrame(
            {"y": np.arange(40.0), "promo": (np.arange(40) % 7 == 0) * 1.0},
            index=index,
        )
        windows = SeriesWindower(6, 3, target_features=["y"], future_features=["promo"])
        pipe = make_pipeline(windows, self.model()).fit(history)
        when = pd.date_range("2024-02-10", periods=3, freq="D")
        result = forecast(pipe, history, future=pd.DataFrame({"promo": 1.0}, when))
        assert list(result.columns) == ["ds", "y"]
        assert list(result["ds"]) == list(when)
        with pytest.raises(ValueError, match="Index future by them"):
            forecast(pipe, history, future=pd.DataFrame({"promo": 1.0}, when[:2]))

    def test_arrays_take_the_known_features_alone(self):
        one = np.stack([np.arange(30.0), (np.arange(30) % 7 == 0) * 1.0], axis=-1)
        history = np.stack([one, one + 1.0])
        windows = SeriesWindower(6, 3, target_features=[0], future_features=[1])
        pipe = make_pipeline(windows, self.model()).fit(history)
        known_only = forecast(pipe, history, future=np.ones((2, 3, 1)))
        every_feature = np.full((2, 3, 2), np.nan)
        every_feature[:, :, 1] = 1.0
        pd.testing.assert_frame_equal(
            known_only, forecast(pipe, history, future=every_feature)
        )
        assert known_only["ds"].tolist() == [30, 31, 32] * 2


hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies


@st.composite
def panels(draw):
    """Long frames of 1 to 4 series: any lengths, starts, frequencies, order."""
    n_series = draw(st.integers(1, 4))
    freqs = ["D", "h", "W-SUN", "MS", "15min"]
    series = {}
    for k in range(n_series):
        freq = draw(st.sampled_from(freqs))
        start = pd.Timestamp("2020-01-05") + pd.Timedelta(
            days=draw(st.integers(0, 900))
        )
        if freq == "MS":
            start = start.to_period("M").to_timestamp()
        elif freq == "W-SUN":
            start = start - pd.Timedelta(days=(start.day_of_week + 1) % 7)
        series[f"s{k}"] = (start, draw(st.integers(N_PAST, 40)), freq)
    return series, draw(st.integers(0, 10**6))


@hypothesis.settings(max_examples=25, deadline=None)
@hypothesis.given(drawn=panels())
def test_forecast_frames_continue_every_series(drawn):
    series, seed = drawn
    frame = long_frame(series, seed=seed)
    long_enough = [n >= N_PAST + N_FUTURE for _, n, _ in series.values()]
    pipe = make_pipeline(windower(), NaiveForecaster("last", n_future=N_FUTURE))
    if not any(long_enough):
        with pytest.raises(ValueError, match="Every series of X is shorter"):
            pipe.fit(frame)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # short series left out
        pipe.fit(frame)
    assert pipe[0].n_series_left_out_ == long_enough.count(False)
    result = forecast(pipe, frame, coverage=0.5)
    assert result["store"].tolist() == [
        name for name in sorted(series) for _ in range(N_FUTURE)
    ]
    for name, (start, n, freq) in series.items():
        rows = result[result.store == name]
        expected = pd.date_range(start, periods=n + N_FUTURE, freq=freq)[n:]
        assert list(rows["date"]) == list(expected)
        last = frame.loc[frame.store == name].sort_values("date")["sales"].iloc[-1]
        np.testing.assert_allclose(rows["sales"], last)
        assert (rows["sales_lower"] <= rows["sales_upper"]).all()


def test_two_targets_and_a_covariate_said_once(frame):
    rng = np.random.default_rng(1)
    frame = frame.assign(
        visits=lambda f: 3 * f["sales"] + rng.normal(0, 0.1, len(f)),
        temp=rng.normal(15, 5, len(frame)),
    )
    windows = windower(target_features=["sales", "visits"])
    pipe = make_pipeline(windows, Seq2SeqRegressor(max_epochs=1, random_state=0))
    result = forecast(pipe.fit(frame), frame, coverage=0.9)
    assert list(result.columns) == [
        "store",
        "date",
        "sales",
        "sales_lower",
        "sales_upper",
        "visits",
        "visits_lower",
        "visits_upper",
    ]
    assert len(result) == 3 * N_FUTURE
