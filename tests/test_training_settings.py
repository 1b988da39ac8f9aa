"""Training settings that fail inside torch or skorch are refused first, clearly.

Issue 23, unclear errors 10 and 12: ``device="meta"``, ``callbacks`` given a
callback's class, and a ``train_split`` that returns something else than a
pair of datasets.
"""

import copy

import numpy as np
import pytest
import torch
from skorch.callbacks import Callback, EarlyStopping
from skorch.dataset import ValidSplit

from sk_seq2seq import Seq2SeqRegressor, make_sine_cosine

TINY = dict(hidden_dim=2, num_layers=1, max_epochs=2, random_state=0)


@pytest.fixture(scope="module")
def windows():
    curves = make_sine_cosine(40, 10, random_state=0)
    return curves[:, :6], curves[:, 6:]


def test_the_meta_device(windows):
    model = Seq2SeqRegressor(device="meta", **TINY)
    with pytest.raises(ValueError, match="device='meta' holds no values"):
        model.fit(*windows)
    assert not hasattr(model, "net_")


class TestCallbacks:
    def test_a_class_that_monitors_validation(self, windows):
        model = Seq2SeqRegressor(callbacks=[EarlyStopping], train_split=None, **TINY)
        message = "The callback EarlyStopping monitors 'valid_loss', but train_split"
        with pytest.raises(ValueError, match=message):
            model.fit(*windows)

    def test_a_class_with_validation_trains(self, windows):
        model = Seq2SeqRegressor(callbacks=[EarlyStopping], train_split=0.2, **TINY)
        assert "valid_loss" in model.fit(*windows).history_[-1]


class TestTrainSplit:
    @pytest.mark.parametrize(
        "split, returned",
        [
            (lambda dataset, y=None: 5, "5"),
            (lambda dataset, y=None: (dataset,), "a tuple of 1"),
            (lambda dataset, y=None: (dataset, None, None), "a tuple of 3"),
            (lambda dataset, y=None: ("a", "b"), "'a' as training data"),
        ],
    )
    def test_junk_is_named(self, windows, split, returned):
        model = Seq2SeqRegressor(train_split=split, **TINY)
        with pytest.raises(TypeError, match="train_split returned") as caught:
            model.fit(*windows)
        assert returned in str(caught.value)
        assert "(dataset_train, dataset_valid)" in str(caught.value)
        assert not hasattr(model, "net_")

    def test_a_skorch_split_still_works(self, windows):
        model = Seq2SeqRegressor(train_split=ValidSplit(4), **TINY).fit(*windows)
        assert np.isfinite(model.history_[-1, "valid_loss"])

    def test_no_validation_set_is_fine(self, windows):
        split = ValidSplit(4)

        def train_only(dataset, y=None):
            return split(dataset, y)[0], None

        model = Seq2SeqRegressor(train_split=train_only, **TINY).fit(*windows)
        assert "valid_loss" not in model.history_[-1]


# a "steps" model on the curves whose validation loss stops improving before
# max_epochs; a constant lr, so a shorter run follows the same path
VALIDATED = dict(
    hidden_dim=8,
    num_layers=1,
    max_epochs=40,
    lr_schedule=None,
    recipe="steps",
    random_state=0,
)


class SnapshotsTheWeights(Callback):
    """The module's weights at the start (0) and after every epoch (1, 2, ...).

    The dict is the class's: the estimator trains a deep copy of its
    callbacks, which writes to the same dict. An epoch's weights are those
    after its last training batch (an early stop skips the callbacks' last
    ``on_epoch_end``).
    """

    weights: dict = {}

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.weights[0] = copy.deepcopy(net.module_.state_dict())

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        if training:
            epoch = len(net.history)
            self.weights[epoch] = copy.deepcopy(net.module_.state_dict())


def snapshotted_fit(windows, **params):
    """A fitted model, and its weights at the start and after every epoch."""
    SnapshotsTheWeights.weights = {}
    try:
        model = Seq2SeqRegressor(callbacks=[SnapshotsTheWeights()], **params)
        return model.fit(*windows), SnapshotsTheWeights.weights
    finally:
        SnapshotsTheWeights.weights = {}


def same_weights(module, weights):
    state = module.state_dict()
    return state.keys() == weights.keys() and all(
        torch.equal(state[name], weights[name]) for name in state
    )


class TestTheDefaultValidation:
    """train_split="auto": a validation tail keeps the best epoch, stops when stale."""

    @pytest.fixture(scope="class")
    def snapshotted(self, windows):
        return snapshotted_fit(windows, **VALIDATED)

    @pytest.fixture(scope="class")
    def default(self, snapshotted):
        return snapshotted[0]

    def test_every_epoch_is_validated(self, default):
        losses = default.history_[:, "valid_loss"]
        assert len(losses) == len(default.history_)
        assert np.isfinite(losses).all()

    def test_stops_when_epochs_bring_no_gain(self, default):
        losses = default.history_[:, "valid_loss"]
        best = int(np.argmin(losses)) + 1
        # the epochs after the best ran out the patience (a share of the
        # epochs, see train_split) before the 40 of the budget
        assert best < len(losses) < VALIDATED["max_epochs"]

    def test_keeps_the_weights_of_the_best_epoch(self, snapshotted):
        model, weights = snapshotted
        assert sorted(weights) == list(range(1 + len(model.history_)))
        best = int(np.argmin(model.history_[:, "valid_loss"])) + 1
        assert same_weights(model.net_.module_, weights[best])
        assert not same_weights(model.net_.module_, weights[len(model.history_)])
        assert not same_weights(model.net_.module_, weights[0])

    def test_keeps_the_start_when_no_epoch_validates_better(self, windows):
        # a learning rate that wrecks every epoch
        params = {**VALIDATED, "max_epochs": 3, "lr": 5.0}
        model, weights = snapshotted_fit(windows, **params)
        assert sorted(weights) == [0, 1, 2, 3]
        assert same_weights(model.net_.module_, weights[0])
        # without validation the last epoch is kept
        params["train_split"] = None
        model, weights = snapshotted_fit(windows, **params)
        assert same_weights(model.net_.module_, weights[3])
        assert not same_weights(model.net_.module_, weights[0])

    def test_few_long_epochs_stop_after_half_of_them(self):
        # batch_size=1: an epoch is about 95 steps, so 250 steps take 3 epochs
        # and the patience is half the 6 epochs (3), not 5 as for short ones;
        # lr=0.5 is too large for any epoch to beat the start
        curves = make_sine_cosine(120, 10, random_state=0)
        params = {**VALIDATED, "max_epochs": 6, "batch_size": 1, "lr": 0.5}
        model, weights = snapshotted_fit((curves[:, :6], curves[:, 6:]), **params)
        assert len(model.history_) == 3
        assert same_weights(model.net_.module_, weights[0])

    def test_none_trains_every_epoch_without_validation(self, default, windows):
        model = Seq2SeqRegressor(**{**VALIDATED, "train_split": None})
        model.fit(*windows)
        assert len(model.history_) == VALIDATED["max_epochs"] > len(default.history_)
        assert not any("valid_loss" in epoch for epoch in model.history_)
        names = [name for name, _ in model.net_.callbacks_]
        assert "keep_best_validated" not in names

    def test_a_users_early_stopping_replaces_the_rule(self, default, windows):
        assert "keep_best_validated" in [name for name, _ in default.net_.callbacks_]
        model = Seq2SeqRegressor(
            callbacks=[EarlyStopping(patience=100)], **VALIDATED
        ).fit(*windows)
        assert "keep_best_validated" not in [name for name, _ in model.net_.callbacks_]
        # validated on the same windows, trained on past the built-in rule's end
        losses = model.history_[:, "valid_loss"]
        assert len(losses) == VALIDATED["max_epochs"]
        np.testing.assert_allclose(
            losses[: len(default.history_)],
            default.history_[:, "valid_loss"],
            rtol=1e-5,
        )
        assert not np.allclose(model.predict(windows[0]), default.predict(windows[0]))
