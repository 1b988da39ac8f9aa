import numpy as np
import pytest

from sk_seq2seq import SeriesWindower


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
        with pytest.raises(TypeError):
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
