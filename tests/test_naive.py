"""NaiveForecaster: the baseline strategies, shapes, and conformal intervals."""

import re

import numpy as np
import pytest

from sk_seq2seq import NaiveForecaster

# two windows of 4 past steps and 2 features; feature 1 is 10 x feature 0
PAST = np.array([[1.0, 2.0, 4.0, 3.0], [0.0, 1.0, 0.0, -1.0]])
X3 = np.stack([PAST, 10 * PAST], axis=2)  # (2, 4, 2)
Y3 = np.zeros((2, 5, 2))  # a horizon of 5 steps


@pytest.fixture(scope="module")
def random_walks():
    """Noisy random walks cut into windows of 10 past and 5 future steps."""
    rng = np.random.default_rng(0)
    walks = rng.normal(size=(6000, 15)).cumsum(axis=1) + rng.normal(size=(6000, 1))
    fit, held_out = walks[:3000], walks[3000:]
    return fit[:, :10], fit[:, 10:], held_out[:, :10], held_out[:, 10:]


class TestStrategies:
    def test_last_repeats_the_last_value(self):
        forecast = NaiveForecaster("last").fit(X3, Y3).predict(X3)
        assert forecast.shape == (2, 5, 2)
        np.testing.assert_array_equal(forecast[:, :, 0], [[3.0] * 5, [-1.0] * 5])
        np.testing.assert_array_equal(forecast[:, :, 1], 10 * forecast[:, :, 0])

    def test_mean_repeats_the_past_mean(self):
        forecast = NaiveForecaster("mean").fit(X3, Y3).predict(X3)
        np.testing.assert_allclose(forecast[:, :, 0], [[2.5] * 5, [0.0] * 5])
        np.testing.assert_allclose(forecast[:, :, 1], [[25.0] * 5, [0.0] * 5])

    def test_seasonal_repeats_the_last_season_cyclically(self):
        model = NaiveForecaster("seasonal", season_length=3).fit(X3, Y3)
        forecast = model.predict(X3)
        # last 3 steps (2, 4, 3) and (1, 0, -1), repeated over 5 steps
        np.testing.assert_array_equal(
            forecast[:, :, 0], [[2, 4, 3, 2, 4], [1, 0, -1, 1, 0]]
        )
        np.testing.assert_array_equal(forecast[:, :, 1], 10 * forecast[:, :, 0])

    def test_seasonal_of_the_whole_past(self):
        model = NaiveForecaster("seasonal", season_length=4).fit(PAST, Y3[:, :, 0])
        np.testing.assert_array_equal(
            model.predict(PAST), [[1, 2, 4, 3, 1], [0, 1, 0, -1, 0]]
        )

    def test_drift_extends_the_line_through_first_and_last(self):
        forecast = NaiveForecaster("drift").fit(X3, Y3).predict(X3)
        # slopes (3 - 1) / 3 and (-1 - 0) / 3
        np.testing.assert_allclose(
            forecast[:, :, 0],
            [3 + np.arange(1, 6) * 2 / 3, -1 - np.arange(1, 6) / 3],
        )
        np.testing.assert_allclose(forecast[:, :, 1], 10 * forecast[:, :, 0])

    def test_forecasts_only_from_the_windows_own_past(self):
        model = NaiveForecaster("mean").fit(X3, Y3 + 100.0)
        np.testing.assert_array_equal(model.predict(X3[1:]), model.predict(X3)[1:])


class TestShapes:
    @pytest.mark.parametrize(
        "y_shape, expected",
        [((2, 5, 1), (2, 5, 1)), ((2, 5), (2, 5)), ((2,), (2,))],
    )
    def test_predictions_keep_the_dimensions_of_y(self, y_shape, expected):
        model = NaiveForecaster().fit(PAST, np.zeros(y_shape))
        assert model.predict(PAST).shape == expected
        lower, upper = model.predict_interval(PAST, coverage=0.5)
        assert lower.shape == upper.shape == expected

    def test_learns_the_horizon_from_y(self):
        model = NaiveForecaster().fit(X3, Y3[:, :3])
        assert (model.n_past_, model.n_channels_in_) == (4, 2)
        assert (model.n_future_, model.n_targets_) == (3, 2)
        assert model.predict(X3).shape == (2, 3, 2)

    def test_joined_windows_split_off_the_last_n_future_steps(self):
        joined = np.concatenate([X3, X3[:, :2] + 1], axis=1)  # (2, 6, 2)
        model = NaiveForecaster(n_future=2).fit(joined)
        assert (model.n_past_, model.n_future_, model.n_targets_) == (4, 2, 2)
        np.testing.assert_array_equal(
            model.predict(X3), NaiveForecaster().fit(X3, Y3[:, :2]).predict(X3)
        )

    def test_joined_windows_with_target_features(self):
        joined = np.concatenate([X3, X3[:, :2] + 1], axis=1)
        model = NaiveForecaster(n_future=2, target_features=[1]).fit(joined)
        assert model.n_targets_ == 1
        np.testing.assert_array_equal(model.predict(X3)[:, :, 0], [[30] * 2, [-10] * 2])

    def test_target_features_pick_the_targets_past(self):
        model = NaiveForecaster(target_features=[1]).fit(X3, Y3[:, :, :1])
        np.testing.assert_array_equal(model.predict(X3)[:, :, 0], [[30] * 5, [-10] * 5])

    def test_y_with_other_channels_than_X_needs_target_features(self):
        message = (
            "y has 1 targets per step but X has 2 features, so NaiveForecaster "
            "cannot tell which features the targets are. Pass target_features, the "
            "index of the feature of X that each target of y is (e.g. "
            "target_features=[0])."
        )
        with pytest.raises(ValueError, match=re.escape(message)):
            NaiveForecaster().fit(X3, Y3[:, :, :1])

    def test_target_features_must_match_y(self):
        with pytest.raises(ValueError, match="lists 2 features, but y has 1 targets"):
            NaiveForecaster(target_features=[0, 1]).fit(X3, Y3[:, :, :1])
        with pytest.raises(ValueError, match="must list indices of X's 2 features"):
            NaiveForecaster(target_features=[2]).fit(X3, Y3[:, :, :1])

    def test_predict_needs_windows_of_the_fitted_length(self):
        model = NaiveForecaster().fit(X3, Y3)
        with pytest.raises(ValueError, match="expecting 4 features as input"):
            model.predict(X3[:, 1:])
        with pytest.raises(ValueError, match="was fitted with 2. Pass windows"):
            model.predict(X3[:, :, :1])

    def test_joined_windows_shorter_than_the_horizon(self):
        with pytest.raises(ValueError, match="but X has only 4 time steps"):
            NaiveForecaster(n_future=4).fit(X3)


class TestStrategyErrors:
    @pytest.mark.parametrize(
        "model, message",
        [
            (NaiveForecaster("seasonal"), 'strategy="seasonal" needs the season'),
            (
                NaiveForecaster("seasonal", season_length=5),
                "season_length=5 is longer than the windows' past (n_past=4)",
            ),
        ],
    )
    def test_seasonal_needs_a_season_within_the_past(self, model, message):
        with pytest.raises(ValueError, match=re.escape(message)):
            model.fit(X3, Y3)

    def test_drift_needs_two_past_steps(self):
        with pytest.raises(ValueError, match="needs windows of at least 2 past"):
            NaiveForecaster("drift").fit(X3[:, :1], Y3)

    def test_unknown_strategy(self):
        with pytest.raises(ValueError, match="'strategy' parameter"):
            NaiveForecaster("median").fit(X3, Y3)

    def test_a_failed_fit_leaves_the_fitted_model_as_it_was(self):
        model = NaiveForecaster("seasonal", season_length=2).fit(X3, Y3)
        before = model.predict(X3)
        with pytest.raises(ValueError):
            model.fit(X3[:, :1], Y3[:, :2])  # season longer than 1 past step
        np.testing.assert_array_equal(model.predict(X3), before)
        assert model.n_future_ == 5


class TestPredictInterval:
    def test_half_width_is_the_conformal_rank_of_the_fit_errors(self):
        # zero pasts, so "last" forecasts 0 and the errors are |y| = 1, ..., 19
        X = np.zeros((19, 3))
        y = np.arange(1.0, 20.0)[::-1]
        model = NaiveForecaster().fit(X, y)
        lower, upper = model.predict_interval(X[:2], coverage=0.9)
        # rank ceil((19 + 1) * 0.9) = 18
        np.testing.assert_array_equal(upper, [18.0, 18.0])
        np.testing.assert_array_equal(lower, [-18.0, -18.0])
        _, upper = model.predict_interval(X[:1], coverage=0.5)
        np.testing.assert_array_equal(upper, [10.0])  # rank ceil(20 * 0.5) = 10

    def test_centred_on_the_forecast_per_step_and_target(self, random_walks):
        X, y, X_new, _ = random_walks
        model = NaiveForecaster("drift").fit(X[:, :, None], y[:, :, None])
        lower, upper = model.predict_interval(X_new[:50, :, None], coverage=0.8)
        forecast = model.predict(X_new[:50, :, None])
        np.testing.assert_allclose((lower + upper) / 2, forecast)
        width = (upper - lower)[0, :, 0]
        assert np.all(np.diff(width) > 0)  # a random walk spreads with the horizon
        _, wider = model.predict_interval(X_new[:50, :, None], coverage=0.9)
        assert np.all(wider > upper)

    @pytest.mark.parametrize("coverage", [0.8, 0.9])
    def test_held_out_coverage_is_near_nominal(self, random_walks, coverage):
        X, y, X_new, y_new = random_walks
        lower, upper = NaiveForecaster().fit(X, y).predict_interval(X_new, coverage)
        inside = (lower <= y_new) & (y_new <= upper)
        assert abs(inside.mean() - coverage) < 0.03
        assert np.all(np.abs(inside.mean(axis=0) - coverage) < 0.08)

    @pytest.mark.parametrize("coverage", [0.0, 1.0, 90, -0.1, "0.9", True, None])
    def test_coverage_must_lie_strictly_between_0_and_1(self, coverage):
        model = NaiveForecaster().fit(X3, Y3)
        with pytest.raises(ValueError, match="coverage must be a float strictly"):
            model.predict_interval(X3, coverage=coverage)

    def test_nine_fit_windows_suffice_for_90_percent(self):
        # rank ceil((9 + 1) * 0.9) = 9, the largest error, despite float rounding
        model = NaiveForecaster().fit(np.zeros((9, 3)), np.arange(1.0, 10.0))
        _, upper = model.predict_interval(np.zeros((1, 3)), coverage=0.9)
        np.testing.assert_array_equal(upper, [9.0])

    def test_too_few_fit_windows_for_the_coverage(self):
        model = NaiveForecaster().fit(np.zeros((8, 3)), np.ones(8))
        model.predict_interval(np.zeros((1, 3)), coverage=0.85)  # 8 are enough
        message = (
            "8 calibration windows are too few for coverage=0.9: split-conformal "
            "intervals need at least 9"
        )
        with pytest.raises(ValueError, match=re.escape(message)):
            model.predict_interval(np.zeros((1, 3)), coverage=0.9)
