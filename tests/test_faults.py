"""Faults while training: divergence, interruption, continuing, best epoch."""

import warnings

import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Callback, Checkpoint, EarlyStopping

from sk_seq2seq import Seq2SeqRegressor, make_sine_cosine

# a constant lr and no clipping: the faults below need both, and epoch-by-epoch
# comparisons need a schedule that does not depend on the budget
TINY = {
    "hidden_dim": 4,
    "num_layers": 1,
    "batch_size": 16,
    "lr_schedule": None,
    "clip_grad_norm": None,
    "random_state": 0,
}


@pytest.fixture(scope="module")
def data():
    """Past (48, 6, 1) and future (48, 4, 1) windows: 3 batches per epoch."""
    series = make_sine_cosine(48, 10, random_state=0)
    return series[:, :6], series[:, 6:]


class InterruptAt(Callback):
    """Press Ctrl-C after batch ``batch`` of epoch ``epoch``."""

    def __init__(self, epoch, batch):
        self.epoch, self.batch = epoch, batch

    def on_batch_end(self, net, training=None, **kwargs):
        batches = net.history[-1]["batches"]
        if training and len(net.history) == self.epoch and len(batches) == self.batch:
            self.epoch = None  # once
            raise KeyboardInterrupt


class EpochsSeen(Callback):
    """Record the number of every epoch that starts (the model copies callbacks)."""

    started: list = []

    def on_epoch_begin(self, net, **kwargs):
        self.started.append(len(net.history))


class BreakWeights(Callback):
    """An infinite gradient in the last batch: NaN weights, a finite loss."""

    def on_grad_computed(self, net, named_parameters, **kwargs):
        if len(net.history[-1]["batches"]) == 3:
            for _, weight in named_parameters:
                weight.grad.fill_(float("inf"))


class TestDivergence:
    def test_sgd_with_a_huge_lr_stops_naming_the_epoch(self, data):
        EpochsSeen.started.clear()
        model = Seq2SeqRegressor(
            optimizer=torch.optim.SGD,
            lr=1e4,
            max_epochs=5,
            callbacks=[EpochsSeen()],
            **TINY,
        )
        with pytest.raises(FloatingPointError) as raised:
            model.fit(*data)
        message = str(raised.value)
        last = EpochsSeen.started[-1]
        assert last < 5, "SGD with lr=1e4 should diverge before the last epoch"
        assert message.startswith(f"Training diverged in epoch {last}: the loss ")
        assert "Use a smaller learning rate (lr=10000.0 now)" in message
        assert "clip_grad_norm=1.0" in message
        with pytest.raises(NotFittedError):
            model.predict(data[0])

    def test_weights_broken_by_the_last_step_are_caught(self, data):
        model = Seq2SeqRegressor(callbacks=[BreakWeights()], max_epochs=3, **TINY)
        with pytest.raises(
            FloatingPointError,
            match="Training diverged in epoch 1: the weights became NaN or infinite",
        ):
            model.fit(*data)

    def test_divergence_while_continuing_keeps_the_last_finished_epoch(self, data):
        model = Seq2SeqRegressor(optimizer=torch.optim.SGD, max_epochs=2, **TINY)
        model.fit(*data).set_params(lr=1e8)
        with pytest.raises(FloatingPointError, match="Training diverged in epoch"):
            for _ in range(5):
                finished, n_epochs = model.predict(data[0]), len(model.history_)
                model.partial_fit(*data)
        np.testing.assert_array_equal(model.predict(data[0]), finished)
        assert len(model.history_) == n_epochs

    def test_predict_never_returns_nan(self, data):
        model = Seq2SeqRegressor(max_epochs=1, **TINY).fit(*data)
        with torch.no_grad():
            model.net_.module_.head.bias.fill_(float("nan"))
        with pytest.raises(
            FloatingPointError,
            match=r"The forecast of 48 of 48 windows is NaN or infinite: the "
            "model's weights are not finite. Fit it again with a smaller lr",
        ):
            model.predict(data[0])


@pytest.fixture(scope="module")
def interrupted(data):
    model = Seq2SeqRegressor(
        callbacks=[InterruptAt(epoch=3, batch=2)], max_epochs=5, **TINY
    )
    with pytest.warns(UserWarning) as record:
        model.fit(*data)
    return model, record


class TestKeyboardInterrupt:
    def test_keeps_the_last_finished_epoch(self, interrupted, data):
        model, _ = interrupted
        two_epochs = Seq2SeqRegressor(max_epochs=2, **TINY).fit(*data)
        np.testing.assert_array_equal(
            model.predict(data[0]), two_epochs.predict(data[0])
        )
        assert len(model.history_) == 2

    def test_says_so_naming_the_epoch(self, interrupted):
        _, record = interrupted
        assert [str(w.message) for w in record] == [
            "Training was interrupted (KeyboardInterrupt) in epoch 3; the model "
            "keeps the weights of epoch 2, the last finished one, and can "
            "predict. Call partial_fit to train it further, or fit to start again."
        ]

    def test_in_the_first_epoch_keeps_the_initial_weights(self, data):
        model = Seq2SeqRegressor(callbacks=[InterruptAt(1, 1)], max_epochs=3, **TINY)
        with pytest.warns(UserWarning, match="in epoch 1; the model keeps its "):
            model.fit(*data)
        assert len(model.history_) == 0
        assert np.isfinite(model.predict(data[0])).all()

    def test_can_train_on_after_the_interrupt(self, interrupted, data):
        model, _ = interrupted
        # the model copies its callbacks on every call: drop the interrupter
        model.set_params(callbacks=None).partial_fit(*data)
        assert len(model.history_) == 3

    def test_early_stopping_is_not_an_interrupt(self, data):
        stopper = EarlyStopping(monitor="train_loss", patience=1, threshold=1e9)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            model = Seq2SeqRegressor(callbacks=[stopper], max_epochs=5, **TINY)
            model.fit(*data)
        assert len(model.history_) == 2


class InterruptInCallback(Callback):
    """Press Ctrl-C while a callback hears ``event`` in epoch ``epoch``."""

    def __init__(self, event, epoch):
        self.event, self.epoch = event, epoch

    def __getattribute__(self, name):
        if name.startswith("on_") and name == object.__getattribute__(self, "event"):
            epoch = object.__getattribute__(self, "epoch")

            def hook(net, **kwargs):
                if len(net.history) == epoch:
                    raise KeyboardInterrupt

            return hook
        return object.__getattribute__(self, name)


EVENTS = ["on_epoch_begin", "on_batch_begin", "on_batch_end", "on_epoch_end"]


class TestInterruptInAnyCallback:
    """A Ctrl-C may land in any callback (e.g. while the log prints)."""

    @pytest.mark.parametrize("event", EVENTS)
    def test_a_first_fit_keeps_the_epochs_before_and_says_so(self, data, event):
        model = Seq2SeqRegressor(
            callbacks=[InterruptInCallback(event, 2)], max_epochs=3, **TINY
        )
        with pytest.warns(UserWarning, match="interrupted .* in epoch 2; the model "):
            model.fit(*data)
        one_epoch = Seq2SeqRegressor(max_epochs=1, **TINY).fit(*data)
        assert len(model.history_) == 1
        np.testing.assert_array_equal(
            model.predict(data[0]), one_epoch.predict(data[0])
        )

    @pytest.mark.parametrize("event", EVENTS)
    @pytest.mark.parametrize("how", ["fit", "warm_start", "partial_fit"])
    def test_a_fitted_model_stays_as_it_was(self, data, event, how):
        model = Seq2SeqRegressor(max_epochs=3, **TINY).fit(*data)
        before = model.predict(data[0])
        model.set_params(
            # a continued run continues the history: its first epoch is the 4th
            callbacks=[InterruptInCallback(event, 2 if how == "fit" else 4)],
            warm_start=how == "warm_start",
        )
        with pytest.warns(UserWarning, match="as it was before this call"):
            getattr(model, "partial_fit" if how == "partial_fit" else "fit")(*data)
        assert len(model.history_) == 3
        np.testing.assert_array_equal(model.predict(data[0]), before)


class TestContinuing:
    def test_partial_fit_trains_one_more_epoch_from_the_current_weights(self, data):
        once = Seq2SeqRegressor(max_epochs=2, **TINY).fit(*data)
        scaler = once.x_scaler_
        once.partial_fit(data[0][:24], data[1][:24])
        assert len(once.history_) == 3
        # the scalers of the first fit are kept, not refitted on the new windows
        assert once.x_scaler_ is scaler

    def test_partial_fit_on_an_unfitted_model_starts_it(self, data):
        model = Seq2SeqRegressor(max_epochs=7, **TINY).partial_fit(*data)
        assert len(model.history_) == 1

    def test_warm_start_continues_for_a_new_budget(self, data):
        # without validation: a start that validation keeps is fitted again
        # on every window, and its loss on the training windows then rises
        model = Seq2SeqRegressor(
            max_epochs=2, warm_start=True, train_split=None, **TINY
        ).fit(*data)
        first = model.history_[:, "train_loss"]
        model.fit(*data)
        assert model.history_[:2, "train_loss"] == first
        assert len(model.history_) == 4
        loss = model.history_[:, "train_loss"]
        assert loss[-1] < loss[0]

    def test_warm_start_false_starts_again(self, data):
        model = Seq2SeqRegressor(max_epochs=2, **TINY).fit(*data)
        assert len(model.fit(*data).history_) == 2

    def test_continuing_with_other_shapes_is_refused(self, data):
        model = Seq2SeqRegressor(max_epochs=1, **TINY).fit(*data)
        with pytest.raises(
            ValueError,
            match=r"a model fitted on windows of \(n_past, n_features, n_future, "
            r"n_targets\) = \(6, 1, 4, 1\) with 3-D y, but got \(6, 1, 3, 1\)",
        ):
            model.partial_fit(data[0], data[1][:, :3])
        with pytest.raises(ValueError, match=r"but got \(5, 1, 4, 1\) with 3-D y"):
            model.partial_fit(data[0][:, :5], data[1])
        assert len(model.history_) == 1 and model.n_past_ == model.n_future_ + 2

    def test_continuing_with_another_module_is_refused(self, data):
        model = Seq2SeqRegressor(max_epochs=1, warm_start=True, **TINY).fit(*data)
        model.set_params(hidden_dim=5)
        with pytest.raises(
            ValueError, match=r"its parameters changed \(hidden_dim: 4 -> 5\)"
        ):
            model.fit(*data)


class SpoilLastEpoch(Callback):
    """A huge learning rate in epoch 4, so that it is not the best one."""

    def on_epoch_begin(self, net, **kwargs):
        if len(net.history) == 4:
            for group in net.optimizer_.param_groups:
                group["lr"] = 10.0


class TestCheckpoint:
    def test_load_best_restores_the_best_epoch(self, data, tmp_path):
        checkpoint = Checkpoint(
            monitor="valid_loss_best", load_best=True, dirname=str(tmp_path)
        )
        model = Seq2SeqRegressor(
            callbacks=[SpoilLastEpoch(), checkpoint],
            train_split=0.25,
            max_epochs=4,
            **TINY,
        ).fit(*data)
        # skorch restored the best epoch's weights and history: not the last
        n_best = len(model.history_)
        assert n_best < 4 and model.history_[-1, "valid_loss_best"]
        best_again = Seq2SeqRegressor(train_split=0.25, max_epochs=n_best, **TINY).fit(
            *data
        )
        np.testing.assert_array_equal(
            model.predict(data[0]), best_again.predict(data[0])
        )
