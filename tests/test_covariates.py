"""future_features: the decoder reads covariates known over the forecast period."""

import numpy as np
import pytest

from sk_seq2seq import Seq2SeqRegressor

N_PAST, N_FUTURE = 24, 12
FAST = {"hidden_dim": 16, "num_layers": 1, "max_steps": 300, "random_state": 0}


def load_windows(n, seed):
    """Load driven by a known temperature forecast and the hour of day.

    Features: 0 load (the target), 1 temperature, 2 hour of day / 24.
    Returns windows (n, N_PAST + N_FUTURE, 3) whose load does not repeat:
    without the covariates its future cannot be read from its past.
    """
    rng = np.random.default_rng(seed)
    steps = N_PAST + N_FUTURE
    start = rng.integers(0, 24, size=(n, 1))
    hour = (start + np.arange(steps)) % 24
    temperature = np.cumsum(rng.normal(0, 1.0, size=(n, steps)), axis=1)
    temperature += rng.normal(15, 5, size=(n, 1))
    load = 0.3 * temperature + np.sin(2 * np.pi * hour / 24) * 2.0
    load += rng.normal(0, 0.1, size=(n, steps))
    return np.stack([load, temperature, hour / 24.0], axis=2)


@pytest.fixture(scope="module")
def data():
    train, test = load_windows(1500, 0), load_windows(300, 1)
    return train, test


@pytest.fixture(scope="module")
def with_covariates(data):
    train, _ = data
    model = Seq2SeqRegressor(
        n_future=N_FUTURE, future_features=[1, 2], target_features=[0], **FAST
    )
    return model.fit(train, train[:, N_PAST:, :1])


def _unknown_future(windows):
    """What a user has at forecast time: the load's future is NaN."""
    windows = windows.copy()
    windows[:, N_PAST:, 0] = np.nan
    return windows


class TestKnownFuture:
    def test_forecasts_far_better_than_without(self, data, with_covariates):
        train, test = data
        truth = test[:, N_PAST:, :1]
        with_cov = with_covariates.predict(_unknown_future(test))
        without = Seq2SeqRegressor(target_features=[0], **FAST).fit(
            train[:, :N_PAST], train[:, N_PAST:, :1]
        )
        error = np.mean((with_cov - truth) ** 2)
        baseline = np.mean((without.predict(test[:, :N_PAST]) - truth) ** 2)
        assert error < 0.5 * baseline

    def test_never_reads_the_targets_future(self, data, with_covariates):
        _, test = data
        garbage = test.copy()
        garbage[:, N_PAST:, 0] = 1e6
        np.testing.assert_array_equal(
            with_covariates.predict(garbage),
            with_covariates.predict(_unknown_future(test)),
        )

    def test_reads_the_known_future(self, data, with_covariates):
        _, test = data
        warmer = _unknown_future(test)
        warmer[:, N_PAST:, 1] += 10.0
        delta = with_covariates.predict(warmer) - with_covariates.predict(
            _unknown_future(test)
        )
        assert delta.mean() > 1.0  # 0.3 per degree: about 3

    def test_joined_windows_without_y(self, data):
        train, test = data
        model = Seq2SeqRegressor(
            n_future=N_FUTURE,
            future_features=[1, 2],
            target_features=[0],
            **{**FAST, "max_steps": 20},
        ).fit(train)
        assert model.predict(_unknown_future(test[:5])).shape == (5, N_FUTURE, 1)
        assert model.n_past_ == N_PAST and model.n_features_in_ == N_PAST + N_FUTURE

    def test_intervals_with_covariates(self, data, with_covariates):
        _, test = data
        lower, upper = with_covariates.predict_interval(_unknown_future(test), 0.8)
        inside = (lower <= test[:, N_PAST:, :1]) & (test[:, N_PAST:, :1] <= upper)
        assert abs(inside.mean() - 0.8) < 0.1


class TestMissingValues:
    def test_nan_in_the_past_names_feature_and_step(self, data, with_covariates):
        _, test = data
        windows = _unknown_future(test[:3])
        windows[1, 5, 2] = np.nan
        with pytest.raises(
            ValueError, match="NaN in the past: feature 2 at step 5 of window 1"
        ):
            with_covariates.predict(windows)

    def test_missing_known_value_names_feature_and_step(self, data, with_covariates):
        _, test = data
        windows = _unknown_future(test[:3])
        windows[2, N_PAST + 4, 1] = np.nan
        with pytest.raises(
            ValueError,
            match=r"known future value of feature 1 at future step 4 \(window 2\)",
        ):
            with_covariates.predict(windows)

    def test_the_input_is_not_modified(self, data, with_covariates):
        _, test = data
        windows = _unknown_future(test[:3])
        before = windows.copy()
        with_covariates.predict(windows)
        np.testing.assert_array_equal(windows, before)

    def test_wrong_indices(self, data):
        train, _ = data
        with pytest.raises(ValueError, match=r"future_features=\[5\] must list"):
            Seq2SeqRegressor(n_future=N_FUTURE, future_features=[5], **FAST).fit(
                train, train[:, N_PAST:, :1]
            )

    def test_windows_shorter_than_the_horizon(self, data):
        train, _ = data
        with pytest.raises(ValueError, match="past followed by its"):
            Seq2SeqRegressor(future_features=[1], **FAST).fit(
                train[:, :N_FUTURE], train[:, :N_FUTURE, :1]
            )
