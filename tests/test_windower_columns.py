"""SeriesWindower and names: columns checked, features named, axes explained."""

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.pipeline import make_pipeline

from sk_seq2seq import NaiveForecaster, SeriesWindower


@pytest.fixture(scope="module")
def frame():
    index = pd.date_range("2024-01-01", periods=40, freq="D")
    return pd.DataFrame({"a": np.arange(40.0), "b": -np.arange(40.0)}, index=index)


class TestColumns:
    def test_reordered_columns_are_refused(self, frame):
        pipe = make_pipeline(SeriesWindower(5, 2), NaiveForecaster(n_future=2))
        pipe.fit(frame)
        with pytest.raises(ValueError, match=r"the same names in another order"):
            pipe.predict(frame[["b", "a"]])

    def test_renamed_columns_are_refused(self, frame):
        fitted = SeriesWindower(5, 2).fit(frame)
        with pytest.raises(ValueError, match=r"missing \['b'\], unexpected \['c'\]"):
            fitted.transform(frame.rename(columns={"b": "c"}))

    def test_same_columns_pass(self, frame):
        fitted = SeriesWindower(5, 2).fit(frame)
        np.testing.assert_array_equal(
            fitted.transform(frame), frame.to_numpy()[np.newaxis, -5:]
        )

    def test_a_refit_on_an_array_forgets_the_names(self, frame):
        fitted = SeriesWindower(5, 2).fit(frame).fit(np.zeros((1, 40, 2)))
        assert not hasattr(fitted, "feature_names_in_")
        assert fitted.get_feature_names_out().tolist() == ["x0", "x1"]

    def test_multiindex_names_stay_whole(self):
        columns = pd.MultiIndex.from_tuples([("x", "a"), ("x", "b")])
        frame = pd.DataFrame(np.random.default_rng(0).random((30, 2)), columns=columns)
        fitted = SeriesWindower(5, 2, future_features=[("x", "b")]).fit(frame)
        assert fitted.future_features_index_ == (1,)
        with pytest.raises(ValueError, match=r"names \[\('x', 'c'\)\], which are not"):
            SeriesWindower(5, 2, target_features=[("x", "c")]).fit(frame)

    def test_target_features_by_name_travel_with_the_windows(self, frame):
        windows = SeriesWindower(5, 2, target_features=["b"]).fit_transform(frame)
        assert windows.target_features == (1,)
        assert windows.n_future == 2
        # an indexed part is a plain ndarray and carries no settings
        assert not hasattr(windows[:3], "target_features")


class TestAxes:
    def test_a_column_vector_is_explained(self):
        with pytest.raises(ValueError, match=r"read as \(n_series, n_timesteps\)"):
            SeriesWindower(15, 15).fit(np.zeros((200, 1)))

    def test_a_2d_array_after_a_frame_is_explained(self, frame):
        fitted = SeriesWindower(5, 2).fit(frame)
        with pytest.raises(ValueError, match=r"pass X\[np.newaxis\]"):
            fitted.transform(frame.to_numpy())


class TestFeatureNamesOut:
    def test_names_of_a_frame(self, frame):
        names = SeriesWindower(5, 2).fit(frame).get_feature_names_out()
        assert names.tolist() == ["a", "b"]

    def test_windows_stay_arrays_with_pandas_output(self, frame):
        with sklearn.config_context(transform_output="pandas"):
            windower = SeriesWindower(5, 2)
            assert windower.fit_transform(frame).shape == (34, 7, 2)
            assert isinstance(windower.transform(frame), np.ndarray)

    def test_set_output_is_accepted_and_checked(self):
        windower = SeriesWindower()
        assert windower.set_output(transform="pandas") is windower
        with pytest.raises(ValueError, match="is not an output scikit-learn knows"):
            windower.set_output(transform="xarray")
