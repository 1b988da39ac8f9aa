import numpy as np
import pandas as pd
import pytest

from sk_seq2seq import SeriesWindower, future_index

# the caller's history in every form the windower reads
HISTORIES = {
    "1d": lambda: np.arange(12.0),
    "2d": lambda: np.arange(24.0).reshape(2, 12),
    "3d": lambda: np.arange(24.0).reshape(1, 12, 2),
    "float32": lambda: np.arange(12, dtype=np.float32),
    "list-of-unequal-series": lambda: [np.arange(12.0), np.arange(10.0)],
    "series": lambda: pd.Series(np.arange(12.0)),
    "dataframe": lambda: pd.DataFrame({"a": np.arange(12.0), "b": np.ones(12)}),
}


class TestFitTransform:
    def test_one_series_gives_every_window(self):
        history = np.arange(10.0)
        windows = SeriesWindower(n_past=3, n_future=2).fit_transform(history)
        assert windows.shape == (6, 5, 1)
        np.testing.assert_array_equal(windows[0, :, 0], [0, 1, 2, 3, 4])
        np.testing.assert_array_equal(windows[-1, :, 0], [5, 6, 7, 8, 9])

    def test_step_strides_the_window_starts(self):
        windows = SeriesWindower(n_past=3, n_future=2, step=2).fit_transform(
            np.arange(10.0)
        )
        np.testing.assert_array_equal(windows[:, 0, 0], [0, 2, 4])

    def test_many_series_are_stacked_and_never_mixed(self):
        history = np.stack([np.arange(6.0), 100 + np.arange(6.0)])  # (2, 6)
        windows = SeriesWindower(n_past=2, n_future=2).fit_transform(history)
        assert windows.shape == (6, 4, 1)
        np.testing.assert_array_equal(windows[:3, 0, 0], [0, 1, 2])
        np.testing.assert_array_equal(windows[3:, 0, 0], [100, 101, 102])

    def test_multivariate_keeps_features_last(self):
        history = np.arange(24.0).reshape(1, 12, 2)
        windows = SeriesWindower(n_past=3, n_future=1).fit_transform(history)
        assert windows.shape == (9, 4, 2)
        np.testing.assert_array_equal(windows[1], history[0, 1:5])

    def test_windows_are_lazy_and_read_only(self):
        history = np.arange(1000.0)
        windows = SeriesWindower().fit_transform(history)
        assert not isinstance(windows, np.ndarray)  # computed when indexed
        np.testing.assert_array_equal(windows[970, :, 0], history[970:])
        with pytest.raises(ValueError, match="Windows are read-only"):
            windows[0] = 0.0

    def test_input_is_not_modified(self):
        history = np.arange(40.0)
        before = history.copy()
        SeriesWindower().fit_transform(history)
        np.testing.assert_array_equal(history, before)
        assert history.flags.writeable


class TestTransform:
    def test_returns_the_last_n_past_steps_of_each_series(self):
        history = np.arange(60.0).reshape(2, 30)
        windower = SeriesWindower(n_past=4, n_future=2).fit(history)
        past = windower.transform(history)
        assert past.shape == (2, 4, 1)
        np.testing.assert_array_equal(
            past[:, :, 0], [[26, 27, 28, 29], [56, 57, 58, 59]]
        )

    def test_differs_from_fit_transform_on_purpose(self):
        history = np.arange(40.0)
        windower = SeriesWindower()
        assert windower.fit_transform(history).shape == (11, 30, 1)
        assert windower.transform(history).shape == (1, 15, 1)

    def test_accepts_a_series_shorter_than_a_training_window(self):
        windower = SeriesWindower(n_past=5, n_future=5).fit(np.arange(20.0))
        assert windower.transform(np.arange(5.0)).shape == (1, 5, 1)


class TestTheCallersHistoryIsSafe:
    """Nothing written into the output reaches the history it came from."""

    @pytest.mark.parametrize("method", ["fit_transform", "transform"])
    @pytest.mark.parametrize("kind", HISTORIES)
    def test_output_is_read_only(self, kind, method):
        history = HISTORIES[kind]()
        windower = SeriesWindower(n_past=4, n_future=2).fit(history)
        out = getattr(windower, method)(history)
        with pytest.raises(ValueError, match="read-only"):
            out[0, 0, 0] = 999

    @pytest.mark.parametrize("kind", ["1d", "2d", "3d", "float32"])
    def test_transform_is_a_view_and_leaves_the_history_writable(self, kind):
        history = HISTORIES[kind]()
        past = SeriesWindower(n_past=4, n_future=2).fit(history).transform(history)
        assert np.shares_memory(past, history)
        assert history.flags.writeable
        history.flat[-1] = -1.0  # the caller may still change its own data
        assert past[-1, -1, -1] == -1.0


class TestPandas:
    def test_sorted_datetime_index_is_windowed_in_time_order(self):
        index = pd.date_range("2020-01-01", periods=12, freq="D")
        history = pd.Series(np.arange(12.0), index=index)
        windows = SeriesWindower(n_past=3, n_future=2).fit_transform(history)
        np.testing.assert_array_equal(windows[0, :, 0], [0, 1, 2, 3, 4])

    @pytest.mark.parametrize("dtype", ["Int64", "Float64", "boolean"])
    def test_nullable_columns_without_missing_values_are_read(self, dtype):
        values = pd.array([1, 0] * 6, dtype=dtype)
        frame = pd.DataFrame({"a": values, "b": np.arange(12.0)})
        windows = SeriesWindower(n_past=3, n_future=2).fit_transform(frame)
        assert windows.dtype == np.float64 and windows.shape == (8, 5, 2)
        np.testing.assert_array_equal(windows[0, :, 0], [1, 0, 1, 0, 1])

    def test_an_index_of_labels_says_no_order_and_is_read_as_given(self):
        history = pd.Series(np.arange(8.0), index=list("hgfedcba"))
        windows = SeriesWindower(n_past=2, n_future=1).fit_transform(history)
        np.testing.assert_array_equal(windows[0, :, 0], [0, 1, 2])

    def test_a_sorted_copy_of_a_refused_history_is_accepted(self):
        index = pd.date_range("2020-01-01", periods=12, freq="D")
        shuffled = pd.Series(np.arange(12.0), index=index).sample(
            frac=1, random_state=0
        )
        windower = SeriesWindower(n_past=3, n_future=2)
        with pytest.raises(ValueError, match="Sort it first: history.sort_index"):
            windower.fit_transform(shuffled)
        windows = windower.fit_transform(shuffled.sort_index())
        np.testing.assert_array_equal(windows[-1, :, 0], [7, 8, 9, 10, 11])


class TestFutureIndex:
    @pytest.mark.parametrize(
        "index, expected",
        [
            (pd.date_range("2020-01", periods=4, freq="MS"), ["2020-05", "2020-06"]),
            (pd.period_range("2020-01", periods=4, freq="M"), ["2020-05", "2020-06"]),
        ],
        ids=["datetime", "period"],
    )
    def test_dates_the_steps_after_the_end(self, index, expected):
        dates = future_index(pd.Series(np.zeros(4), index=index), 2)
        assert dates.strftime("%Y-%m").tolist() == expected

    def test_a_range_index_continues_its_step(self):
        history = pd.Series(np.zeros(4), index=pd.RangeIndex(0, 8, 2))
        assert future_index(history, 3).tolist() == [8, 10, 12]

    def test_a_numpy_integer_horizon_is_accepted(self):
        history = pd.Series(np.zeros(4))
        assert future_index(history, np.int64(2)).tolist() == [4, 5]


class TestErrors:
    def test_series_too_short_for_fit(self):
        with pytest.raises(
            ValueError,
            match=r"The series has 20 time steps, but fit needs at least 30 "
            r"\(n_past \+ n_future = 15 \+ 15\)",
        ):
            SeriesWindower().fit_transform(np.arange(20.0))

    def test_series_too_short_for_transform(self):
        windower = SeriesWindower().fit(np.arange(40.0))
        with pytest.raises(
            ValueError, match=r"has 10 time steps, but transform needs at least 15"
        ):
            windower.transform(np.arange(10.0))

    def test_other_feature_count_than_fit(self):
        windower = SeriesWindower(n_past=2, n_future=1).fit(np.zeros((1, 10, 2)))
        with pytest.raises(ValueError, match="X has 3 features per time step"):
            windower.transform(np.zeros((1, 10, 3)))

    def test_nan(self):
        history = np.arange(40.0)
        history[3] = np.nan
        with pytest.raises(ValueError, match="Input X contains NaN"):
            SeriesWindower().fit_transform(history)

    def test_bad_parameter(self):
        with pytest.raises(ValueError, match="'n_past' parameter of SeriesWindower"):
            SeriesWindower(n_past=0).fit(np.arange(40.0))
