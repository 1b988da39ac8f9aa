"""SeriesWindower on long DataFrames: one row per series and time stamp."""

import numpy as np
import pandas as pd
import pytest

from sk_seq2seq import SeriesWindower

LENGTHS = {"b": 40, "a": 25, "c": 33}
STARTS = {"b": "2024-01-01", "a": "2024-02-10", "c": "2023-12-25"}


def long_frame(freq="D", lengths=LENGTHS, starts=STARTS, seed=0):
    """Three series of different lengths and starts, rows shuffled."""
    parts = [
        pd.DataFrame(
            {
                "unique_id": name,
                "ds": pd.date_range(starts[name], periods=n, freq=freq),
                "y": 100.0 * k + np.arange(n),
                "x": -np.arange(n, dtype=float),
            }
        )
        for k, (name, n) in enumerate(lengths.items())
    ]
    return pd.concat(parts).sample(frac=1.0, random_state=seed)


def windower(**params):
    params = {"id_column": "unique_id", "time_column": "ds", **params}
    return SeriesWindower(n_past=6, n_future=3, **params)


class TestWindows:
    def test_every_window_of_every_series_sorted_by_time(self):
        frame = long_frame()
        windows = windower().fit_transform(frame)
        assert windows.shape == (sum(n - 9 + 1 for n in LENGTHS.values()), 9, 2)
        array = np.asarray(windows)
        # series in sorted id order (a, b, c), each window consecutive in time
        assert array[0, :, 0].tolist() == [100.0 + i for i in range(9)]
        assert np.all(np.diff(array[:, :, 0], axis=1) == 1)
        first_of_b = LENGTHS["a"] - 8
        assert array[first_of_b, 0, 0] == 0.0

    def test_transform_returns_each_series_last_steps_in_id_order(self):
        frame = long_frame()
        past = windower().fit(frame).transform(frame)
        assert past.shape == (3, 6, 2)
        ends = [100.0 + LENGTHS["a"], LENGTHS["b"], 200.0 + LENGTHS["c"]]
        assert past[:, -1, 0].tolist() == [end - 1 for end in ends]

    def test_the_frame_is_not_modified(self):
        frame = long_frame()
        before = frame.copy()
        windower().fit_transform(frame)
        pd.testing.assert_frame_equal(frame, before)

    def test_index_as_time_without_time_column(self):
        frame = long_frame().set_index("ds")
        past = SeriesWindower(6, 3, id_column="unique_id").fit(frame).transform(frame)
        assert past[:, -1, 0].tolist() == [124.0, 39.0, 232.0]

    def test_integer_time_column(self):
        frame = pd.DataFrame(
            {"id": [1] * 12 + [2] * 12, "t": list(range(12)) + list(range(0, 24, 2))}
        ).assign(y=np.arange(24.0))
        windows = SeriesWindower(3, 2, id_column="id", time_column="t").fit_transform(
            frame
        )
        assert windows.shape == (16, 5, 1)

    def test_one_series_with_a_time_column(self):
        frame = long_frame()
        one = frame[frame.unique_id == "b"].drop(columns="unique_id")
        past = SeriesWindower(6, 3, time_column="ds").fit(one).transform(one)
        assert past[0, :, 0].tolist() == [34.0, 35.0, 36.0, 37.0, 38.0, 39.0]

    def test_feature_names_are_the_value_columns(self):
        fitted = windower(target_features=["y"], future_features=["x"]).fit(
            long_frame()
        )
        assert fitted.feature_names_in_.tolist() == ["y", "x"]
        assert fitted.target_features_index_ == (0,)
        assert fitted.future_features_index_ == (1,)
        assert fitted.get_feature_names_out().tolist() == ["y", "x"]


class TestRefused:
    def test_a_gap_names_the_series(self):
        frame = long_frame()
        frame = frame[~((frame.unique_id == "c") & (frame.ds == "2024-01-02"))]
        with pytest.raises(ValueError, match="Series 'c' has a gap: after 2024-01-01"):
            windower().fit(frame)

    def test_a_repeated_stamp_names_the_series(self):
        frame = long_frame()
        frame = pd.concat([frame, frame[frame.unique_id == "a"].iloc[:1]])
        with pytest.raises(ValueError, match="Series 'a' repeats the time stamp"):
            windower().fit(frame)

    def test_irregular_stamps_need_a_freq(self):
        frame = long_frame()
        stamps = frame.ds.where(frame.unique_id != "b", frame.ds + pd.Timedelta("1h"))
        stamps.iloc[np.flatnonzero(frame.unique_id == "b")[3]] += pd.Timedelta("5h")
        with pytest.raises(ValueError, match="Series 'b' has an irregular step"):
            windower().fit(frame.assign(ds=stamps))

    def test_a_stamp_off_the_given_freq_is_named(self):
        frame = long_frame(freq="D")
        with pytest.raises(ValueError, match=r"Series 'a' is not regular at freq='h'"):
            windower(freq="h").fit(frame)

    def test_too_short_series_are_left_out_at_fit_with_a_count(self):
        frame = long_frame(lengths={"b": 40, "a": 5, "c": 7})
        with pytest.warns(
            UserWarning,
            match=r"2 of 3 series are shorter .* \(series 'a', series 'c'\)",
        ):
            fitted = windower()
            windows = fitted.fit_transform(frame)
        assert windows.shape[0] == 40 - 8
        assert fitted.n_series_left_out_ == 2

    def test_no_series_long_enough(self):
        frame = long_frame(lengths={"b": 4, "a": 5, "c": 7})
        with pytest.raises(ValueError, match="Every series of X is shorter"):
            windower().fit(frame)

    def test_too_short_at_transform_is_refused_by_name(self):
        fitted = windower().fit(long_frame())
        short = long_frame(lengths={"b": 40, "a": 5, "c": 33})
        with pytest.raises(ValueError, match="Series 'a' has 5 time steps"):
            fitted.transform(short)

    def test_other_columns_at_transform(self):
        frame = long_frame()
        fitted = windower().fit(frame)
        with pytest.raises(ValueError, match=r"the same names in another order"):
            fitted.transform(frame[["unique_id", "ds", "x", "y"]])
        with pytest.raises(ValueError, match=r"missing \['x'\]"):
            fitted.transform(frame.drop(columns="x"))

    @pytest.mark.parametrize(
        "params, match",
        [
            ({"id_column": "series"}, "id_column='series' is not a column of X"),
            ({"time_column": "when"}, "time_column='when' is not a column of X"),
        ],
    )
    def test_missing_columns(self, params, match):
        with pytest.raises(ValueError, match=match):
            windower(**params).fit(long_frame())

    def test_not_a_frame(self):
        with pytest.raises(TypeError, match="reads a long pandas DataFrame"):
            windower().fit(np.zeros((3, 40)))

    def test_text_time_stamps(self):
        frame = long_frame()
        with pytest.raises(ValueError, match="pd.to_datetime"):
            windower().fit(frame.assign(ds=frame.ds.astype(str)))

    def test_missing_id(self):
        frame = long_frame()
        frame.iloc[4, 0] = None
        with pytest.raises(ValueError, match="holds a missing id"):
            windower().fit(frame)

    def test_a_text_column_is_named(self):
        with pytest.raises(ValueError, match="Column 'shop' of X holds"):
            windower().fit(long_frame().assign(shop="x"))

    def test_missing_values_name_the_series(self):
        frame = long_frame()
        frame.loc[(frame.unique_id == "c").to_numpy() & (frame.y == 205.0), "x"] = None
        with pytest.raises(ValueError, match="In series 'c' .* contains NaN"):
            windower().fit(frame)
