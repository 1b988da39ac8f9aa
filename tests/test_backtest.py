"""backtest and backtest_summary: rolling origins, no leakage, tidy frames."""

import re

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge

from sk_seq2seq import NaiveForecaster, Seq2SeqRegressor, backtest, backtest_summary

HISTORY = np.array([1.0, 2, 4, 3, 5, 6, 8, 7, 9])


@pytest.fixture(scope="module")
def walk():
    """A noisy random walk of 160 steps."""
    return np.random.default_rng(0).normal(size=160).cumsum()


@pytest.fixture(scope="module")
def frame_of_two():
    """Two features, the second 10 times the first, indexed by day."""
    days = pd.date_range("2024-01-01", periods=len(HISTORY), freq="D")
    return pd.DataFrame({"a": HISTORY, "b": 10 * HISTORY}, index=days)


class TestFrame:
    def test_one_row_per_origin_and_step(self):
        frame = backtest(NaiveForecaster(), HISTORY, n_past=3, n_future=2, start=5)
        expected = pd.DataFrame(
            {
                "origin": [5, 5, 6, 6, 7, 7],
                "step": [1, 2, 1, 2, 1, 2],
                "target": [0, 0, 0, 0, 0, 0],
                "actual": [6.0, 8, 8, 7, 7, 9],
                "forecast": [5.0, 5, 6, 6, 8, 8],
            }
        )
        pd.testing.assert_frame_equal(frame, expected)

    def test_stride_skips_origins_and_the_last_future_fits(self):
        frame = backtest(
            NaiveForecaster(), HISTORY, n_past=3, n_future=2, start=5, stride=2
        )
        assert frame["origin"].unique().tolist() == [5, 7]

    def test_origins_and_targets_are_pandas_labels(self, frame_of_two):
        frame = backtest(
            NaiveForecaster("mean"), frame_of_two, n_past=2, n_future=1, start=7
        )
        assert (
            frame["origin"].tolist()
            == [pd.Timestamp("2024-01-08")] * 2 + [pd.Timestamp("2024-01-09")] * 2
        )
        assert frame["target"].tolist() == ["a", "b", "a", "b"]
        # the mean of the two steps before each origin
        np.testing.assert_array_equal(frame["forecast"], [7, 70, 7.5, 75])
        np.testing.assert_array_equal(frame["actual"], [7, 70, 9, 90])

    def test_a_series_name_is_the_target(self):
        series = pd.Series(HISTORY, name="sales", index=range(100, 109))
        frame = backtest(NaiveForecaster(), series, n_past=3, n_future=2, start=7)
        assert frame["target"].unique().tolist() == ["sales"]
        assert frame["origin"].unique().tolist() == [107]

    def test_target_features_by_name(self, frame_of_two):
        frame = backtest(
            NaiveForecaster(target_features=[1]),
            frame_of_two,
            n_past=2,
            n_future=2,
            start=6,
            target_features=["b"],
        )
        assert frame["target"].unique().tolist() == ["b"]
        np.testing.assert_array_equal(frame["forecast"], [60, 60, 80, 80])

    def test_target_features_by_index(self):
        history = np.stack([HISTORY, -HISTORY], axis=1)
        frame = backtest(
            NaiveForecaster(target_features=[1]),
            history,
            n_past=3,
            n_future=1,
            start=7,
            target_features=[1],
        )
        assert frame["target"].tolist() == [1, 1]
        np.testing.assert_array_equal(frame["actual"], [-7, -9])

    @pytest.mark.parametrize("n_future", [1, 3])
    def test_univariate_windows_are_tables_for_plain_regressors(self, walk, n_future):
        frame = backtest(Ridge(), walk, n_past=5, n_future=n_future, start=100)
        assert len(frame) == (160 - n_future + 1 - 100) * n_future
        # Ridge of the random walk forecasts nearly the last value
        naive = backtest(
            NaiveForecaster(), walk, n_past=5, n_future=n_future, start=100
        )
        error = (frame["forecast"] - naive["forecast"]).abs().mean()
        assert error < 0.5 * (frame["actual"] - naive["forecast"]).abs().mean()


class TestNoLeakage:
    @pytest.mark.parametrize("refit", [False, 2])
    @pytest.mark.parametrize("origin", [100, 103])
    def test_garbage_from_an_origin_on_changes_no_forecast_up_to_it(
        self, walk, refit, origin
    ):
        garbled = walk.copy()
        garbled[origin:] = 1e6 * np.random.default_rng(1).normal(size=160 - origin)
        clean, dirty = (
            backtest(Ridge(), history, n_past=5, n_future=3, start=100, refit=refit)
            for history in (walk, garbled)
        )
        up_to = clean["origin"] <= origin
        pd.testing.assert_series_equal(
            clean.loc[up_to, "forecast"], dirty.loc[up_to, "forecast"]
        )
        assert not np.allclose(clean["forecast"], dirty["forecast"])

    def test_garbage_changes_no_interval_either(self, walk):
        garbled = walk.copy()
        garbled[120:] = 1e6
        clean, dirty = (
            backtest(
                NaiveForecaster("drift"),
                history,
                n_past=5,
                n_future=3,
                start=100,
                refit=4,
                coverage=0.8,
            )
            for history in (walk, garbled)
        )
        up_to = clean["origin"] <= 120
        pd.testing.assert_frame_equal(
            clean.loc[up_to, ["forecast", "lower", "upper"]],
            dirty.loc[up_to, ["forecast", "lower", "upper"]],
        )

    def test_a_seq2seq_model_on_a_multivariate_history(self, walk):
        history = np.stack([walk[:90], np.sin(np.arange(90.0))], axis=1)
        garbled = history.copy()
        garbled[70:] = 1e6
        model = Seq2SeqRegressor(
            max_epochs=2,
            hidden_dim=4,
            num_layers=1,
            target_features=[0],
            random_state=0,
        )
        clean, dirty = (
            backtest(
                model, h, n_past=6, n_future=3, start=60, target_features=[0], stride=5
            )
            for h in (history, garbled)
        )
        assert clean["origin"].unique().tolist() == [60, 65, 70, 75, 80, 85]
        assert clean["target"].unique().tolist() == [0]
        up_to = clean["origin"] <= 70
        pd.testing.assert_series_equal(
            clean.loc[up_to, "forecast"], dirty.loc[up_to, "forecast"]
        )
        assert np.isfinite(clean["forecast"]).all()


class TestKnownFuture:
    """future_features: the known future is read, nothing else from an origin on."""

    @pytest.fixture(scope="class")
    def history(self, walk):
        # the target follows a known driver that the past alone cannot foresee
        driver = np.random.default_rng(3).normal(size=90).cumsum()
        return np.stack([driver + 0.1 * walk[:90], driver], axis=1)

    @staticmethod
    def run(history, **kwargs):
        # a "steps" model trained every epoch reads the known future from the
        # start; "segments" may keep its linear start, which reads only the past
        model = Seq2SeqRegressor(
            max_epochs=2,
            hidden_dim=4,
            num_layers=1,
            target_features=[0],
            future_features=[1],
            recipe="steps",
            train_split=None,
            random_state=0,
        )
        return backtest(
            model,
            history,
            n_past=6,
            n_future=3,
            start=60,
            stride=5,
            target_features=[0],
            future_features=[1],
            **kwargs,
        )

    def test_unknown_values_from_an_origin_on_are_never_read(self, history):
        garbled = history.copy()
        garbled[70:, 0] = 1e6  # the target from origin 70 on; the driver stays
        clean, dirty = self.run(history), self.run(garbled)
        up_to = clean["origin"] <= 70
        pd.testing.assert_series_equal(
            clean.loc[up_to, "forecast"], dirty.loc[up_to, "forecast"]
        )

    def test_the_known_future_is_read(self, history):
        shifted = history.copy()
        shifted[71:, 1] += 5.0  # the driver after origin 70, in its known future
        clean, moved = self.run(history), self.run(shifted)
        at_70 = clean["origin"] == 70
        assert not np.allclose(
            clean.loc[at_70, "forecast"], moved.loc[at_70, "forecast"]
        )

    def test_unknown_names(self, history):
        with pytest.raises(ValueError, match=r"future_features=\[7\] must list"):
            backtest(NaiveForecaster(), history, 6, 3, start=60, future_features=[7])


class TestRefit:
    def test_refit_every_k_origins_fits_on_everything_before(self, walk):
        kwargs = dict(n_past=5, n_future=2, start=100)
        once = backtest(Ridge(), walk, refit=False, **kwargs)
        every = backtest(Ridge(), walk, refit=True, **kwargs)
        third = backtest(Ridge(), walk, refit=3, **kwargs)
        origins = third["origin"]
        # the first 3 origins share the fit before 100; origin 103 refits
        first = origins < 103
        np.testing.assert_array_equal(third["forecast"][first], once["forecast"][first])
        refitted = origins.isin([103, 106, 109])
        np.testing.assert_allclose(
            third["forecast"][refitted], every["forecast"][refitted]
        )
        assert not np.allclose(third["forecast"][~first], once["forecast"][~first])

    def test_parallel_refits_give_the_same_frame(self, walk):
        kwargs = dict(n_past=5, n_future=2, start=100, refit=7)
        pd.testing.assert_frame_equal(
            backtest(Ridge(), walk, n_jobs=1, **kwargs),
            backtest(Ridge(), walk, n_jobs=2, **kwargs),
        )

    def test_the_estimator_itself_is_not_fitted(self, walk):
        model = Ridge()
        backtest(model, walk, n_past=5, n_future=2, start=100)
        assert not hasattr(model, "coef_")


class TestErrors:
    def test_coverage_needs_predict_interval(self, walk):
        message = (
            "coverage=0.9 asks for prediction intervals, but Ridge has no "
            "predict_interval method."
        )
        with pytest.raises(TypeError, match=re.escape(message)):
            backtest(Ridge(), walk, n_past=5, n_future=2, start=100, coverage=0.9)

    def test_start_before_one_training_window(self):
        message = (
            "start=4 leaves no training window before the first origin: a window "
            "needs n_past + n_future = 3 + 2 = 5 steps. Pass start >= 5"
        )
        with pytest.raises(ValueError, match=re.escape(message)):
            backtest(NaiveForecaster(), HISTORY, n_past=3, n_future=2, start=4)

    def test_no_origin_whose_future_fits(self):
        message = (
            "No origin's future fits in the history: it has 9 steps, and the first "
            "origin, start=8, needs n_future=2 steps from it on. Pass start <= 7."
        )
        with pytest.raises(ValueError, match=re.escape(message)):
            backtest(NaiveForecaster(), HISTORY, n_past=3, n_future=2, start=8)

    @pytest.mark.parametrize(
        "kwargs, name",
        [
            ({"stride": 0}, "stride"),
            ({"refit": 0}, "refit"),
            ({"refit": -2}, "refit"),
            ({"refit": 1.5}, "refit"),
            ({"coverage": 90}, "coverage"),
            ({"n_past": 0}, "n_past"),
        ],
    )
    def test_bad_settings_are_named(self, kwargs, name):
        settings = dict(n_past=3, n_future=2, start=5) | kwargs
        with pytest.raises(ValueError, match=f"The '{name}' parameter of backtest"):
            backtest(NaiveForecaster(), HISTORY, **settings)

    def test_a_history_of_several_series(self):
        with pytest.raises(ValueError, match="history has shape \\(2, 9, 1\\), but"):
            backtest(
                NaiveForecaster(),
                np.stack([HISTORY, HISTORY])[:, :, None],
                n_past=3,
                n_future=2,
                start=5,
            )

    def test_target_features_must_name_columns(self, frame_of_two):
        with pytest.raises(ValueError, match="\\['c'\\] are not among \\['a', 'b'\\]"):
            backtest(
                NaiveForecaster(),
                frame_of_two,
                n_past=2,
                n_future=1,
                start=4,
                target_features=["c"],
            )
        with pytest.raises(ValueError, match="indices of the history's 1 features"):
            backtest(
                NaiveForecaster(),
                HISTORY,
                n_past=2,
                n_future=1,
                start=4,
                target_features=[1],
            )

    def test_history_with_nan(self):
        history = HISTORY.copy()
        history[2] = np.nan
        with pytest.raises(ValueError, match="Input history contains NaN"):
            backtest(NaiveForecaster(), history, n_past=3, n_future=2, start=5)


class TestSummary:
    def test_errors_per_step(self):
        frame = backtest(NaiveForecaster(), HISTORY, n_past=3, n_future=2, start=5)
        summary = backtest_summary(frame)
        # errors: step 1: 1, 2, -1; step 2: 3, 1, 1
        np.testing.assert_allclose(summary["mae"], [4 / 3, 5 / 3])
        np.testing.assert_allclose(summary["rmse"], np.sqrt([2, 11 / 3]))
        assert summary.index.tolist() == [(0, 1), (0, 2)]
        assert summary.columns.tolist() == ["mae", "rmse"]

    def test_coverage_and_width_of_intervals(self, walk):
        frame = backtest(
            NaiveForecaster(), walk, n_past=5, n_future=2, start=80, coverage=0.8
        )
        summary = backtest_summary(frame)
        inside = frame["actual"].between(frame["lower"], frame["upper"])
        np.testing.assert_allclose(
            summary["coverage"], inside.groupby(frame["step"]).mean()
        )
        np.testing.assert_allclose(
            summary["mean_width"],
            (frame["upper"] - frame["lower"]).groupby(frame["step"]).mean(),
        )

    def test_label_columns_compare_estimators(self, walk):
        models = {"naive": NaiveForecaster(), "mean": NaiveForecaster("mean")}
        frame = pd.concat(
            backtest(model, walk, n_past=5, n_future=2, start=100).assign(model=name)
            for name, model in models.items()
        )
        summary = backtest_summary(frame)
        assert summary.index.tolist() == [
            ("naive", 0, 1),
            ("naive", 0, 2),
            ("mean", 0, 1),
            ("mean", 0, 2),
        ]
        alone = backtest_summary(frame[frame["model"] == "mean"].drop(columns="model"))
        np.testing.assert_allclose(summary.loc["mean"], alone)

    def test_a_frame_that_is_no_backtest(self):
        with pytest.raises(ValueError, match="lacks the columns \\['actual', 'step'"):
            backtest_summary(pd.DataFrame({"forecast": [1.0], "target": [0]}))
