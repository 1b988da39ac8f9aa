"""Invalid parameters of the regressor, and numpy numbers that are valid ones.

Every case gets a correct result or a ValueError/TypeError that names what was
wrong, raised before training; none changes the user's input. The table of
simple out-of-range values is in ``test_invalid_input.py``.
"""

import io

import numpy as np
import pytest
import torch
from sklearn.model_selection import GridSearchCV
from skorch.callbacks import EarlyStopping

from sk_seq2seq import Seq2SeqRegressor, make_sine_cosine

T = {"hidden_dim": 4, "num_layers": 1, "max_epochs": 1, "random_state": 0}


@pytest.fixture(scope="module")
def windows():
    s = make_sine_cosine(24, 10, random_state=0)
    return s[:, :6], s[:, 6:]


@pytest.fixture(scope="module")
def fitted(windows):
    return Seq2SeqRegressor(**T).fit(*windows)


def _saved(model):
    buffer = io.BytesIO()
    model.save(buffer)
    return buffer.getvalue()


REFUSED_PARAMS = [
    ("target_features_float", {"target_features": [0.7]}, ValueError, "integer"),
    ("target_features_float_19", {"target_features": [1.9]}, ValueError, "integer"),
    ("target_features_bool", {"target_features": [True]}, ValueError, "integer"),
    ("device_bogus", {"device": "bogus"}, ValueError, "device='bogus' is not"),
    ("optimizer_not_optimizer", {"optimizer": torch.nn.Linear}, TypeError, "Linear"),
    ("callbacks_strings", {"callbacks": ["foo"]}, TypeError, "not a skorch callback"),
    (
        "early_stopping_without_validation",
        {"callbacks": [EarlyStopping()], "train_split": None},
        ValueError,
        "train_split=None keeps no validation",
    ),
]


@pytest.mark.parametrize(
    "params, error, match",
    [case[1:] for case in REFUSED_PARAMS],
    ids=[case[0] for case in REFUSED_PARAMS],
)
def test_refused_before_training(windows, params, error, match):
    X, y = windows
    X_before, y_before = X.copy(), y.copy()
    with pytest.raises(error, match=match):
        Seq2SeqRegressor(**{**T, **params}).fit(X, y)
    np.testing.assert_array_equal(X, X_before)
    np.testing.assert_array_equal(y, y_before)


def test_early_stopping_with_too_few_windows_to_validate_is_refused_before_training():
    # train_split="auto" holds nothing out of 4 windows: the monitored
    # valid_loss would not exist, and skorch's KeyError would come after an epoch
    curves = make_sine_cosine(4, 10, random_state=0)
    model = Seq2SeqRegressor(callbacks=[EarlyStopping()], max_epochs=2)
    with pytest.raises(ValueError, match="too few to hold any out"):
        model.fit(curves[:, :5], curves[:, 5:])
    assert not hasattr(model, "net_")


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_cuda_without_cuda(windows, fitted):
    with pytest.raises(ValueError, match="CUDA is not available"):
        Seq2SeqRegressor(**T, device="cuda").fit(*windows)
    with pytest.raises(ValueError, match="CUDA is not available"):
        Seq2SeqRegressor.load(io.BytesIO(_saved(fitted)), device="cuda")


class TestNumpyIntegers:
    def test_grid_built_with_arange(self, windows):
        search = GridSearchCV(Seq2SeqRegressor(**T), {"hidden_dim": np.arange(3, 5)})
        search.set_params(cv=2).fit(*windows)
        assert search.best_params_["hidden_dim"] in (3, 4)

    def test_batch_size_int64(self, windows):
        params = {**T, "batch_size": np.int64(8), "train_split": None}
        model = Seq2SeqRegressor(**params).fit(*windows)
        # 24 windows, 2 calibrating, 3 left out: 19 in batches of 8
        assert model.history_[-1, "train_batch_count"] == 3


def test_train_split_on_one_window():
    X, y = np.zeros((1, 6, 1)), np.zeros((1, 4, 1))
    with pytest.raises(ValueError, match=r"train_split=0.2 keeps 1 of 1 windows"):
        Seq2SeqRegressor(**T, train_split=0.2).fit(X, y)
