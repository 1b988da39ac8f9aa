"""A fitted model survives every failed fit, partial_fit and warm start unchanged.

And continued training applies what the user changed: the schedule's position,
the optimizer, clipping and callbacks.
"""

import math

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback

from sk_seq2seq import Seq2SeqRegressor, make_sine_cosine

TINY = {"hidden_dim": 4, "num_layers": 1, "batch_size": 16, "random_state": 0}


@pytest.fixture(scope="module")
def data():
    """Past (48, 6, 1) and future (48, 4, 1) windows: 3 batches per epoch."""
    series = make_sine_cosine(48, 10, random_state=0)
    return series[:, :6], series[:, 6:]


class InterruptAt(Callback):
    """Press Ctrl-C in the second batch of epoch ``epoch`` of a run."""

    def __init__(self, epoch):
        self.epoch = epoch

    def on_train_begin(self, net, **kwargs):
        self.first_ = len(net.history)

    def on_batch_end(self, net, training=None, **kwargs):
        epoch = len(net.history) - self.first_
        if training and epoch == self.epoch and len(net.history[-1]["batches"]) == 2:
            raise KeyboardInterrupt


def _state(model):
    return {
        name: getattr(model, name)
        for name in ("n_past_", "n_channels_in_", "n_future_", "n_targets_", "_y_ndim")
    } | {"history": len(model.history_)}


@pytest.fixture
def fitted(data):
    model = Seq2SeqRegressor(max_epochs=2, **TINY).fit(*data)
    return model, model.predict(data[0]), _state(model)


def assert_unchanged(model, before, state, data):
    """Bit-identical forecasts, the old input accepted, the old shapes kept."""
    np.testing.assert_array_equal(model.predict(data[0]), before)
    assert _state(model) == state
    with pytest.raises(ValueError, match="expecting 6 features"):
        model.predict(data[0][:, :5])


class TestAFailedFitChangesNothing:
    def test_the_issues_reproduction(self):
        series = make_sine_cosine(100, 30, random_state=0)
        model = Seq2SeqRegressor(max_epochs=1, random_state=0)
        model.fit(series[:, :15], series[:, 15:])
        before = model.predict(series[:3, :15])
        with pytest.raises(ValueError, match="NaN"):
            model.fit(series[:, :10], np.full((100, 15, 1), np.nan))
        np.testing.assert_array_equal(model.predict(series[:3, :15]), before)
        with pytest.raises(ValueError, match="expecting 15 features"):
            model.predict(series[:3, :10])

    @pytest.mark.parametrize(
        "make_bad",
        [
            pytest.param(lambda X, y: (X[:, :5], y * np.nan), id="bad y"),
            pytest.param(lambda X, y: (X * np.inf, y), id="bad X"),
            pytest.param(lambda X, y: (X[:, :3], y[:20]), id="inconsistent lengths"),
        ],
    )
    @pytest.mark.parametrize("method", ["fit", "partial_fit", "warm_start"])
    def test_bad_input(self, fitted, data, make_bad, method):
        model, before, state = fitted
        if method == "warm_start":
            model.set_params(warm_start=True)
        with pytest.raises(ValueError):
            getattr(model, "fit" if method == "warm_start" else method)(
                *make_bad(*data)
            )
        assert_unchanged(model, before, state, data)

    @pytest.mark.parametrize("method", ["fit", "partial_fit", "warm_start"])
    def test_divergence(self, fitted, data, method):
        model, before, state = fitted
        model.set_params(optimizer=torch.optim.SGD, lr=1e8, clip_grad_norm=None)
        model.set_params(warm_start=method == "warm_start", max_epochs=5)
        with pytest.raises(FloatingPointError, match="Training diverged in epoch"):
            getattr(model, "fit" if method == "warm_start" else method)(*data)
        assert_unchanged(model, before, state, data)

    @pytest.mark.parametrize("method", ["fit", "partial_fit", "warm_start"])
    def test_keyboard_interrupt(self, fitted, data, method):
        model, before, state = fitted
        model.set_params(
            callbacks=[InterruptAt(epoch=1)], warm_start=method == "warm_start"
        )
        with pytest.warns(
            UserWarning, match=r"in epoch \d; the model is as it was before this call"
        ):
            getattr(model, "fit" if method == "warm_start" else method)(*data)
        assert_unchanged(model, before, state, data)

    def test_a_parameter_rejected_before_training(self, fitted, data):
        model, before, state = fitted
        model.set_params(hidden_dim=-1)
        with pytest.raises(ValueError, match="hidden_dim"):
            model.fit(*data)
        assert_unchanged(model, before, state, data)


class TestDivergenceThatStaysFinite:
    def test_the_issues_reproduction_raises(self):
        series = make_sine_cosine(200, 30, random_state=0)
        model = Seq2SeqRegressor(
            optimizer=torch.optim.SGD, lr=1e4, max_epochs=5, random_state=0
        )
        with pytest.raises(
            FloatingPointError,
            match=r"Training diverged in epoch \d: the loss exploded from .* to .*"
            r"Use a smaller learning rate \(lr=10000.0 now\)",
        ):
            model.fit(series[:, :15], series[:, 15:])
        assert not hasattr(model, "net_")


def _lr(model):
    return model.net_.optimizer_.param_groups[0]["lr"]


class TestContinuedTraining:
    def test_partial_fit_continues_the_cosine_schedule(self, data):
        """Three partial_fit calls anneal as one fit over three epochs does."""
        budget = {**TINY, "max_epochs": 3}
        model = Seq2SeqRegressor(**budget)
        rates = [_lr(model.partial_fit(*data)) for _ in range(3)]
        lr, period = model.settings_["lr"], 3 * 3
        # after each call the scheduler has stepped past its last batch; the
        # third call ends the period, where a new decay starts
        expected = [lr * 0.5 * (1 + math.cos(math.pi * k / period)) for k in (3, 6, 0)]
        np.testing.assert_allclose(rates, expected, rtol=1e-6)
        assert rates[0] > rates[1]

    def test_warm_start_applies_the_new_optimizer_and_callbacks(self, data):
        seen = []

        class Record(Callback):
            def on_epoch_end(self, net, **kwargs):
                seen.append(type(net.optimizer_).__name__)

        model = Seq2SeqRegressor(warm_start=True, max_epochs=1, **TINY).fit(*data)
        model.set_params(optimizer=torch.optim.SGD, callbacks=[Record()])
        model.fit(*data)
        assert seen == ["SGD"]
        assert len(model.history_) == 2

    def test_warm_start_applies_clipping(self, data):
        norms = []

        class Norm(Callback):
            def on_batch_end(self, net, training=None, **kwargs):
                if training:
                    grads = [p.grad.norm() for p in net.module_.parameters()]
                    norms.append(float(torch.stack(grads).norm()))

        model = Seq2SeqRegressor(
            warm_start=True, max_epochs=1, clip_grad_norm=None, **TINY
        ).fit(*data)
        model.set_params(clip_grad_norm=1e-3, callbacks=[Norm()], lr=1.0)
        model.fit(*data)
        assert norms and max(norms) <= 1e-3 * (1 + 1e-4)
