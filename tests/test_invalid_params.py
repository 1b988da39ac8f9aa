"""Issue 15, the regressor's side: hostile parameters, shapes and files.

Every case gets a correct result or a ValueError/TypeError that names what was
wrong, raised before training; none changes the user's input.
"""

import io
import json
import warnings
import zipfile

import numpy as np
import pytest
import torch
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from skorch.callbacks import EarlyStopping

from sk_seq2seq import Seq2SeqRegressor, SeriesWindower, make_sine_cosine

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


def _edited(saved, edit):
    """The saved archive with its model.json changed by ``edit(document)``."""
    source = zipfile.ZipFile(io.BytesIO(saved))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "model.json":
                document = json.loads(data)
                edit(document)
                data = json.dumps(document)
            archive.writestr(name, data)
    out.seek(0)
    return out


REFUSED_PARAMS = [
    ("target_features_float", {"target_features": [0.7]}, ValueError, "integer"),
    ("target_features_float_19", {"target_features": [1.9]}, ValueError, "integer"),
    ("target_features_bool", {"target_features": [True]}, ValueError, "integer"),
    ("device_bogus", {"device": "bogus"}, ValueError, "device='bogus' is not"),
    ("optimizer_not_optimizer", {"optimizer": torch.nn.Linear}, TypeError, "Linear"),
    ("callbacks_strings", {"callbacks": ["foo"]}, TypeError, "not a skorch callback"),
    (
        "early_stopping_without_validation",
        {"callbacks": [EarlyStopping()]},
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
        model = Seq2SeqRegressor(**{**T, "batch_size": np.int64(8)}).fit(*windows)
        # 24 windows, 2 calibrating, 3 left out: 19 in batches of 8
        assert model.history_[-1, "train_batch_count"] == 3


class TestScore:
    def test_transposed_target(self, windows):
        X, y = windows
        model = Seq2SeqRegressor(**T).fit(X, y[:, :, 0])
        with pytest.raises(ValueError, match=r"y has shape \(4, 24\), but the model"):
            model.score(X, y[:, :, 0].T)

    def test_same_size_other_shape(self, windows, fitted):
        X, y = windows
        with pytest.raises(ValueError, match=r"y has shape \(12, 8\)"):
            fitted.score(X, y.reshape(12, 8))

    def test_sample_weight_of_another_length(self, windows, fitted):
        with pytest.raises(ValueError, match=r"sample_weight has shape \(5,\), but X"):
            fitted.score(*windows, sample_weight=np.ones(5))

    def test_a_pipeline_scored_on_a_history(self):
        history = make_sine_cosine(1, 60, random_state=0)[0, :, 0]
        pipe = make_pipeline(
            SeriesWindower(n_past=6, n_future=4), Seq2SeqRegressor(n_future=4, **T)
        ).fit(history)
        with pytest.raises(ValueError, match="score needs the true futures y"):
            pipe.score(history)


def test_train_split_on_one_window():
    X, y = np.zeros((1, 6, 1)), np.zeros((1, 4, 1))
    with pytest.raises(ValueError, match=r"train_split=0.2 keeps 1 of 1 windows"):
        Seq2SeqRegressor(**T, train_split=0.2).fit(X, y)


def test_tiny_values_are_refused_not_forecast_as_noise(windows):
    X, y = windows
    with pytest.raises(ValueError, match="too small for their variance"):
        Seq2SeqRegressor(**T).fit(X * 1e-300, y * 1e-300)
    with pytest.raises(ValueError, match="too small for the model"):
        Seq2SeqRegressor(**T, scale=False).fit(X * 1e-300, y * 1e-300)


class TestQuietOnInternals:
    def test_float16_windows(self, windows):
        X, y = (a.astype(np.float16) for a in windows)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            Seq2SeqRegressor(**T).fit(X, y).predict(X)

    def test_float32_history_in_a_pipeline(self):
        history = make_sine_cosine(1, 60, random_state=0)[0, :, 0].astype(np.float32)
        pipe = make_pipeline(
            SeriesWindower(n_past=6, n_future=4), Seq2SeqRegressor(n_future=4, **T)
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            pipe.fit(history).predict(history)


class TestFiles:
    def test_save_and_load_a_file_object(self, fitted, windows):
        loaded = Seq2SeqRegressor.load(io.BytesIO(_saved(fitted)))
        np.testing.assert_array_equal(
            loaded.predict(windows[0]), fitted.predict(windows[0])
        )

    @pytest.mark.parametrize(
        "edit, match",
        [
            (lambda d: d["fitted"].update(_y_ndim=1), "1-D y cannot hold"),
            (lambda d: d["fitted"].update(_y_ndim=7), "7-D y"),
            (lambda d: d["fitted"].update(target_index_=[3]), "target_index_"),
            (lambda d: d["fitted"].update(n_past_=-2), "positive integers"),
            (lambda d: d["fitted"].update(n_future_="4"), "positive integers"),
            (lambda d: d["fitted"]["x_scaler_"].update(mean_=[0, 1]), "x_scaler_"),
            (lambda d: d["fitted"].pop("n_targets_"), "n_targets_"),
            (lambda d: d["params"].update(hidden_dim="big"), "hidden_dim"),
            (lambda d: d["params"].update(device="bogus"), "bogus"),
            (lambda d: d.update(history=5), "invalid fitted state"),
        ],
        ids=[
            "y_ndim_1",
            "y_ndim_7",
            "target_index",
            "negative_n_past",
            "text_n_future",
            "scaler_shape",
            "missing_attribute",
            "bad_param",
            "bad_device",
            "bad_history",
        ],
    )
    def test_edited_json_is_refused(self, fitted, edit, match):
        with pytest.raises(ValueError, match=match):
            Seq2SeqRegressor.load(_edited(_saved(fitted), edit))

    def test_truncated_file(self, fitted):
        saved = _saved(fitted)
        for size in (0, 10, len(saved) // 2, len(saved) - 10):
            with pytest.raises(ValueError, match="Seq2SeqRegressor.save"):
                Seq2SeqRegressor.load(io.BytesIO(saved[:size]))
