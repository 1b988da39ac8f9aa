"""Long windows through the public API: the segments recipe and its options."""

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

from sk_seq2seq import Seq2SeqRegressor, SeriesWindower

N_PAST, N_FUTURE = 96, 50  # a horizon that is not a multiple of the segments
FAST = {"max_steps": 30, "random_state": 0}


@pytest.fixture(scope="module")
def windows():
    """300 windows of a noisy daily cycle with a drifting level."""
    rng = np.random.default_rng(0)
    steps = np.arange(N_PAST + N_FUTURE)
    level = rng.normal(0, 3, size=(300, 1))
    phase = rng.uniform(0, 24, size=(300, 1))
    series = level + np.sin(2 * np.pi * (steps + phase) / 24)
    series += 0.1 * rng.standard_normal(series.shape)
    return series[:, :N_PAST, np.newaxis], series[:, N_PAST:, np.newaxis]


class RecordsTheDecoders(Callback):
    """Notes the decoder of every module a fit trains, in order.

    The list is the class's: the estimator deep-copies its callbacks for
    every training run, and every copy appends to the same list.
    """

    decoders: list = []

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.decoders.append(net.module_.decoder_kind)


@pytest.fixture
def recorded():
    RecordsTheDecoders.decoders = []
    yield RecordsTheDecoders.decoders
    RecordsTheDecoders.decoders = []


@pytest.fixture(scope="module")
def default(windows):
    return Seq2SeqRegressor(n_future=N_FUTURE, **FAST).fit(*windows)


class TestTheRecipe:
    def test_long_windows_get_the_segments_model(self, default):
        assert default.recipe_ == "segments"
        assert default.settings_["segment_length"] == 24
        assert default.settings_["decoder"] == "parallel"
        module = default.net_.module_
        assert module.n_segments_out == 3  # 50 steps in segments of 24

    def test_short_windows_train_both_and_keep_segments_on_a_random_walk(
        self, recorded
    ):
        # past and future < 48 steps: "segments" trains, then "steps"; on a
        # noisy random walk "steps" cannot halve the validation error
        walk = np.random.default_rng(0).normal(size=(1, 400)).cumsum(axis=1)
        model = Seq2SeqRegressor(
            n_future=5, callbacks=[RecordsTheDecoders()], random_state=0
        ).fit(SeriesWindower(n_past=15, n_future=5).fit_transform(walk))
        assert recorded == ["parallel", "recurrent"]
        assert model.recipe_ == "segments"
        assert model.settings_["decoder"] == "parallel"
        assert model.net_.module_.decoder_kind == "parallel"

    def test_short_windows_keep_the_tutorials_settings_when_steps_is_kept(
        self, windows, recorded
    ):
        # teacher forcing needs the "steps" decoder: "segments" is not trained
        X, y = windows
        model = Seq2SeqRegressor(
            teacher_forcing=0.5,
            max_epochs=1,
            callbacks=[RecordsTheDecoders()],
            random_state=0,
        ).fit(X[:, -15:], y[:, :15])
        assert recorded == ["recurrent"]
        assert model.recipe_ == "steps"
        assert model.settings_["segment_length"] == 1
        assert model.settings_["decoder"] == "recurrent"

    def test_without_validation_windows_only_the_first_recipe_trains(
        self, windows, recorded
    ):
        # nothing could choose between the two: a second run would be wasted
        X, y = windows
        model = Seq2SeqRegressor(
            train_split=None,
            max_epochs=1,
            callbacks=[RecordsTheDecoders()],
            random_state=0,
        ).fit(X[:, -15:], y[:, :15])
        assert recorded == ["parallel"] and model.recipe_ == "segments"

    def test_long_windows_train_segments_only(self, windows, recorded):
        model = Seq2SeqRegressor(
            n_future=N_FUTURE,
            max_steps=2,
            callbacks=[RecordsTheDecoders()],
            random_state=0,
        ).fit(*windows)
        assert recorded == ["parallel"] and model.recipe_ == "segments"

    def test_a_parameter_set_by_hand_wins(self, windows):
        model = Seq2SeqRegressor(n_future=N_FUTURE, hidden_dim=8, **FAST)
        model.fit(*windows)
        assert model.settings_["hidden_dim"] == 8
        assert model.net_.module_.encoder.hidden_size == 8

    def test_recipe_by_name(self, windows):
        X, y = windows
        model = Seq2SeqRegressor(recipe="segments", max_epochs=1, random_state=0)
        # segments of a quarter of the past (rounded up), at most 24 steps
        assert model.fit(X[:, -30:], y[:, :15]).settings_["segment_length"] == 8


class TestForecasts:
    def test_shape_and_better_than_the_last_value(self, default, windows):
        X, y = windows
        forecast = default.predict(X)
        assert forecast.shape == (300, N_FUTURE, 1)
        assert np.mean((forecast - y) ** 2) < np.mean((X[:, -1:] - y) ** 2)

    @pytest.mark.parametrize("decoder", ["recurrent", "parallel"])
    def test_both_decoders_forecast_every_step(self, windows, decoder):
        X, y = windows
        model = Seq2SeqRegressor(n_future=N_FUTURE, decoder=decoder, **FAST)
        forecast = model.fit(X, y).predict(X[:7])
        assert forecast.shape == (7, N_FUTURE, 1) and np.isfinite(forecast).all()

    def test_the_trained_module_never_reads_a_target_out_of_training(
        self, default, windows
    ):
        module = default.net_.module_.eval()
        past = torch.as_tensor(windows[0][:5], dtype=torch.float32)
        garbage = torch.full((5, N_FUTURE, 1), 1e6)
        with torch.no_grad():
            np.testing.assert_array_equal(
                module(past).numpy(), module(past, target=garbage).numpy()
            )

    def test_channel_independence_on_several_targets(self, windows):
        X, y = windows
        X2, y2 = np.concatenate([X, -X], axis=2), np.concatenate([y, -y], axis=2)
        model = Seq2SeqRegressor(n_future=N_FUTURE, **FAST).fit(X2, y2)
        assert model.settings_["channel_independent"] is True
        forecast = model.predict(X2[:4])
        assert forecast.shape == (4, N_FUTURE, 2)

    def test_same_random_state_same_forecast(self, default, windows):
        again = Seq2SeqRegressor(n_future=N_FUTURE, **FAST).fit(*windows)
        np.testing.assert_array_equal(
            again.predict(windows[0][:9]), default.predict(windows[0][:9])
        )


class TestTheStart:
    """The linear start: least squares if it clearly validates, else the last value."""

    def test_a_random_walk_starts_at_its_last_value(self):
        # on this walk least squares on the lags validates a little better
        # than the last value (0.172 against 0.186) by chance, not by more
        # than a standard error; lr=1e-9: training leaves the start as it is
        walk = np.random.default_rng(2).normal(size=600).cumsum()
        model = Seq2SeqRegressor(n_future=8, max_steps=40, lr=1e-9, random_state=0)
        model.fit(SeriesWindower(n_past=48, n_future=8).fit_transform(walk[None]))
        past = np.lib.stride_tricks.sliding_window_view(walk, 48)[-50:, :, None]
        np.testing.assert_allclose(
            model.predict(past), np.repeat(past[:, -1:], 8, axis=1), atol=1e-5
        )

    def test_a_cycle_starts_at_its_least_squares(self, windows):
        # one step of training: the forecast is still nearly the start's
        X, y = windows
        model = Seq2SeqRegressor(n_future=N_FUTURE, max_steps=1, random_state=0)
        forecast = model.fit(X, y).predict(X)
        last = np.mean((X[:, -1:] - y) ** 2)
        assert np.mean((forecast - y) ** 2) < 0.2 * last
