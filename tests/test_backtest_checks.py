"""backtest and backtest_summary refuse what would give a wrong frame, and say why.

Each test is one hostile input of issue 23 (silent results 6, 7, 9; unclear
errors 7, 8, 12), through the public API.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from sk_seq2seq import NaiveForecaster, Seq2SeqRegressor, backtest, backtest_summary

HISTORY = np.array([1.0, 2, 4, 3, 5, 6, 8, 7, 9, 11, 10, 12])
SETTINGS = dict(n_past=3, n_future=2, start=6)


def dated(values, index=None):
    days = pd.date_range("2024-01-01", periods=len(values), freq="D")
    return pd.Series(values, index=days if index is None else index, name="y")


@pytest.fixture(scope="module")
def two_levels():
    """Columns of a MultiIndex: ("x", "a") is the history, ("x", "b") 10 times it."""
    columns = pd.MultiIndex.from_tuples([("x", "a"), ("x", "b")])
    return pd.DataFrame(np.stack([HISTORY, 10 * HISTORY], axis=1), columns=columns)


class TestTimeOrder:
    """Silent 6: time must run forwards, as SeriesWindower requires."""

    def test_a_decreasing_index(self):
        series = dated(HISTORY)[::-1]
        with pytest.raises(ValueError, match="not in increasing time order"):
            backtest(NaiveForecaster(), series, **SETTINGS)

    def test_repeated_stamps(self):
        days = pd.DatetimeIndex(["2024-01-01"] * 2).append(
            pd.date_range("2024-01-02", periods=len(HISTORY) - 2)
        )
        with pytest.raises(ValueError, match="repeats time stamps"):
            backtest(NaiveForecaster(), dated(HISTORY, days), **SETTINGS)

    def test_an_increasing_index_is_read(self):
        frame = backtest(NaiveForecaster(), dated(HISTORY), **SETTINGS)
        assert frame["origin"].iloc[0] == pd.Timestamp("2024-01-07")


class TestTargetsAgree:
    """Silent 7: the estimator must forecast the targets backtest labels."""

    history = np.stack([HISTORY, -HISTORY], axis=1)

    @pytest.mark.parametrize(
        "model, targets",
        [
            (NaiveForecaster(target_features=[0]), [1]),
            (NaiveForecaster(target_features=[1, 0]), [0, 1]),
            # None takes y's targets for X's features, in order
            (NaiveForecaster(), [1, 0]),
            (Seq2SeqRegressor(target_features=[0], max_epochs=1), [1]),
        ],
    )
    def test_other_targets_are_refused(self, model, targets):
        with pytest.raises(ValueError, match="disagrees with backtest's target_"):
            backtest(model, self.history, **SETTINGS, target_features=targets)

    def test_agreeing_targets_are_labelled_right(self):
        frame = backtest(
            NaiveForecaster(target_features=[1]),
            self.history,
            **SETTINGS,
            target_features=[1],
        )
        np.testing.assert_array_equal(frame["forecast"].iloc[:2], [-6, -6])
        assert frame["target"].unique().tolist() == [1]

    def test_names_and_indices_agree(self):
        frame = pd.DataFrame(self.history, columns=["a", "b"])
        model = NaiveForecaster(target_features=[1])
        by_name = backtest(model, frame, **SETTINGS, target_features=["b"])
        assert by_name["target"].unique().tolist() == ["b"]


class TestMessages:
    """Unclear 7: what was wrong, in backtest's own words."""

    def test_a_row_vector(self):
        with pytest.raises(ValueError, match=r"history\.ravel\(\)") as caught:
            backtest(NaiveForecaster(), HISTORY[np.newaxis], **SETTINGS)
        assert "1 step(s) of 12 features" in str(caught.value)
        assert "start <= -1" not in str(caught.value)

    def test_a_short_history(self):
        message = "The history has 6 time steps, too few for a backtest"
        with pytest.raises(ValueError, match=message):
            backtest(NaiveForecaster(), HISTORY[:6], **SETTINGS)

    def test_future_features_for_a_model_that_takes_none(self):
        history = np.stack([HISTORY, HISTORY % 3], axis=1)
        with pytest.raises(ValueError, match="NaiveForecaster takes no future_feat"):
            backtest(
                NaiveForecaster(target_features=[0]),
                history,
                **SETTINGS,
                target_features=[0],
                future_features=[1],
            )

    def test_future_features_the_model_is_not_told(self):
        history = np.stack([HISTORY, HISTORY % 3], axis=1)
        model = Seq2SeqRegressor(target_features=[0], max_epochs=1)
        with pytest.raises(ValueError, match=r"future_features=None\) disagrees"):
            backtest(
                model, history, **SETTINGS, target_features=[0], future_features=[1]
            )

    def test_a_table_regressor_on_a_multivariate_history(self):
        history = np.stack([HISTORY, -HISTORY], axis=1)
        with pytest.raises(ValueError, match="Ridge reads 2-D tables, but the hist"):
            backtest(Ridge(), history, **SETTINGS, target_features=[0])

    def test_a_pipeline_is_checked_by_its_last_step(self):
        history = np.stack([HISTORY, -HISTORY], axis=1)
        model = make_pipeline(NaiveForecaster(target_features=[0]))
        with pytest.raises(ValueError, match="disagrees with backtest's target_"):
            backtest(model, history, **SETTINGS, target_features=[1])

    def test_a_pipeline_is_read_by_its_first_step(self):
        history = np.stack([HISTORY, -HISTORY], axis=1)
        model = make_pipeline(NaiveForecaster(target_features=[0]))
        frame = backtest(model, history, **SETTINGS, target_features=[0])
        assert len(frame) == 10
        with pytest.raises(ValueError, match="Pipeline reads 2-D tables"):
            backtest(make_pipeline(Ridge()), history, **SETTINGS)


class TestMultiIndexNames:
    """Unclear 8: a MultiIndex column is named by its whole tuple."""

    def test_a_tuple_names_a_column(self, two_levels):
        frame = backtest(
            NaiveForecaster(target_features=[1]),
            two_levels,
            **SETTINGS,
            target_features=[("x", "b")],
        )
        assert frame["target"].unique().tolist() == [("x", "b")]
        assert frame["forecast"].iloc[0] == 60

    def test_a_partial_name_says_how(self, two_levels):
        with pytest.raises(ValueError) as caught:
            backtest(NaiveForecaster(), two_levels, **SETTINGS, target_features=["b"])
        message = str(caught.value)
        assert "['b'] are not among [('x', 'a'), ('x', 'b')]" in message
        assert "name each by its whole tuple" in message

    def test_future_features_by_tuple(self, two_levels):
        model = Seq2SeqRegressor(
            target_features=[0], future_features=[1], max_epochs=1, hidden_dim=2
        )
        frame = backtest(
            model,
            two_levels,
            **SETTINGS,
            target_features=[("x", "a")],
            future_features=[("x", "b")],
        )
        assert np.isfinite(frame["forecast"]).all()


class TestSummaryOfMissingValues:
    """Silent 9: a missing actual is in no score; missing bounds give NaN."""

    @pytest.fixture(scope="class")
    def frame(self):
        return backtest(NaiveForecaster(), HISTORY, **SETTINGS, coverage=0.5)

    def test_a_missing_actual_is_left_out_of_every_score(self, frame):
        holed = frame.copy()
        holed.loc[0, "actual"] = np.nan
        expected = backtest_summary(frame.drop(index=0)).sort_index()
        pd.testing.assert_frame_equal(backtest_summary(holed), expected)

    def test_bounds_all_missing_give_nan_coverage(self, frame):
        points = backtest(NaiveForecaster(), HISTORY, **SETTINGS)
        both = pd.concat(
            [frame.assign(model="with"), points.assign(model="without")],
            ignore_index=True,
        )
        summary = backtest_summary(both)
        without = summary.loc["without"]
        assert without[["coverage", "mean_width"]].isna().all().all()
        assert without["mae"].notna().all()
        pd.testing.assert_frame_equal(
            summary.loc["with"], backtest_summary(frame), check_names=False
        )


class TestSummaryInput:
    """Unclear 12: a dict, or text forecasts, are named as such."""

    def test_a_dict(self):
        frame = backtest(NaiveForecaster(), HISTORY, **SETTINGS)
        with pytest.raises(TypeError, match="got a dict. Pass that frame"):
            backtest_summary({"naive": frame})

    def test_text_forecasts(self):
        frame = backtest(NaiveForecaster(), HISTORY, **SETTINGS)
        frame["forecast"] = frame["forecast"].astype(str)
        # the dtype's name is pandas' own (object, or str from pandas 3)
        message = (
            r"The column 'forecast' of the frame holds \w+ values \(e\.g\. '6\.0'\)"
        )
        with pytest.raises(ValueError, match=message):
            backtest_summary(frame)

    def test_nullable_numbers_are_read(self):
        frame = backtest(NaiveForecaster(), HISTORY, **SETTINGS)
        nullable = frame.astype({"actual": "Float64"})
        nullable.loc[0, "actual"] = pd.NA
        summary = backtest_summary(nullable)
        expected = backtest_summary(frame.drop(index=0)).sort_index()
        np.testing.assert_allclose(summary["mae"], expected["mae"])
