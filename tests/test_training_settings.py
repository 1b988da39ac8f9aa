"""Training settings that fail inside torch or skorch are refused first, clearly.

Issue 23, unclear errors 10 and 12: ``device="meta"``, ``callbacks`` given a
callback's class, and a ``train_split`` that returns something else than a
pair of datasets.
"""

import numpy as np
import pytest
from skorch.callbacks import EarlyStopping
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
        model = Seq2SeqRegressor(callbacks=[EarlyStopping], **TINY)
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
