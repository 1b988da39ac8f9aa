"""Saving and loading: pickle, and the safe format that runs nothing it reads."""

import io
import json
import os
import pickle
import warnings
import zipfile

import numpy as np
import pytest
import torch
from skorch.callbacks import EarlyStopping

from sk_seq2seq import Seq2SeqRegressor, make_sine_cosine

TINY = {"hidden_dim": 4, "num_layers": 1, "max_epochs": 2, "random_state": 0}


@pytest.fixture(scope="module")
def data():
    series = make_sine_cosine(32, 10, random_state=0)
    return series[:, :6], series[:, 6:, 0]


@pytest.fixture(scope="module")
def fitted(data):
    return Seq2SeqRegressor(**TINY).fit(*data)


@pytest.fixture(scope="module")
def saved(fitted, tmp_path_factory):
    path = tmp_path_factory.mktemp("models") / "model.zip"
    fitted.save(path)
    return path


def replace_member(path, member, content, tmp_path):
    """A copy of a saved model with one member's bytes replaced."""
    copy = tmp_path / "tampered.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for name in source.namelist():
            target.writestr(name, content if name == member else source.read(name))
    return copy


class Payload:
    """Unpickling this would run a shell command that creates ``marker``."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


class TestPickle:
    def test_round_trip_gives_identical_predictions(self, fitted, data):
        loaded = pickle.loads(pickle.dumps(fitted))
        np.testing.assert_array_equal(loaded.predict(data[0]), fitted.predict(data[0]))


class TestSaveLoad:
    def test_a_file_from_before_the_newer_recipe_settings_loads(self, data, tmp_path):
        # files saved before linear_path, series_scale and budget_epochs
        # existed trained without them: short windows got "steps", and no
        # validation windows by default
        fitted = Seq2SeqRegressor(recipe="steps", train_split=None, **TINY).fit(*data)
        saved = tmp_path / "older.zip"
        fitted.save(saved)
        with zipfile.ZipFile(saved) as archive:
            document = json.loads(archive.read("model.json"))
        for name in ("linear_path", "series_scale", "budget_epochs"):
            del document["fitted"]["settings_"][name]
        document["params"]["recipe"] = "auto"
        older = replace_member(saved, "model.json", json.dumps(document), tmp_path)
        loaded = Seq2SeqRegressor.load(older)
        assert loaded.recipe_ == "steps" and loaded.get_params()["recipe"] == "auto"
        np.testing.assert_array_equal(loaded.predict(data[0]), fitted.predict(data[0]))

    def test_round_trip_gives_identical_predictions(self, fitted, saved, data):
        loaded = Seq2SeqRegressor.load(saved)
        np.testing.assert_array_equal(loaded.predict(data[0]), fitted.predict(data[0]))
        assert loaded.predict(data[0]).shape == (32, 4)  # y's dimensions kept

    def test_params_and_fitted_state_round_trip(self, fitted, saved):
        loaded = Seq2SeqRegressor.load(saved)
        assert loaded.get_params() == fitted.get_params()
        for name in ("n_features_in_", "n_past_", "n_future_", "target_index_"):
            assert getattr(loaded, name) == getattr(fitted, name)
        for name in ("mean_", "scale_", "var_"):
            np.testing.assert_array_equal(
                getattr(loaded.x_scaler_, name), getattr(fitted.x_scaler_, name)
            )
        assert loaded.history_[:, "train_loss"] == fitted.history_[:, "train_loss"]

    def test_the_file_is_json_and_a_tensor_file(self, saved):
        with zipfile.ZipFile(saved) as archive:
            assert sorted(archive.namelist()) == [
                "calibration.npy",
                "calibration_scales.npy",
                "model.json",
                "weights.pt",
            ]
            document = json.loads(archive.read("model.json"))
        assert document["format"] == "sk_seq2seq.Seq2SeqRegressor"
        assert document["params"]["optimizer"] == "torch.optim.Adam"

    def test_the_loaded_model_trains_on(self, saved, data):
        loaded = Seq2SeqRegressor.load(saved).partial_fit(*data)
        assert len(loaded.history_) == 3

    def test_unfitted_model_cannot_be_saved(self, tmp_path):
        with pytest.raises(Exception, match="not fitted yet"):
            Seq2SeqRegressor().save(tmp_path / "model.zip")

    def test_callbacks_are_dropped_with_a_warning(self, data, tmp_path):
        stopper = EarlyStopping(patience=100, monitor="train_loss")
        model = Seq2SeqRegressor(callbacks=[stopper], **TINY).fit(*data)
        with pytest.warns(UserWarning, match=r"callbacks=\[<skorch.callbacks"):
            model.save(tmp_path / "model.zip")
        assert Seq2SeqRegressor.load(tmp_path / "model.zip").callbacks is None

    def test_an_optimizer_outside_torch_optim_is_refused(self, data, tmp_path):
        class MyAdam(torch.optim.Adam):
            pass

        model = Seq2SeqRegressor(optimizer=MyAdam, **TINY).fit(*data)
        with pytest.raises(ValueError, match="only classes of torch.optim are stored"):
            model.save(tmp_path / "model.zip")


class TestUntrustedFiles:
    def test_a_pickle_payload_is_refused_without_running_it(self, saved, tmp_path):
        marker = tmp_path / "pwned"
        payload = io.BytesIO()
        torch.save({"encoder.weight_ih_l0": Payload(marker)}, payload)
        tampered = replace_member(saved, "weights.pt", payload.getvalue(), tmp_path)
        with pytest.raises(ValueError, match="Refusing the weights in .*nothing in it"):
            Seq2SeqRegressor.load(tampered)
        assert not marker.exists()

    # torch warns about the payload's pickle protocol before refusing it
    @pytest.mark.filterwarnings("ignore:Detected pickle protocol:UserWarning")
    def test_a_plain_pickle_payload_is_refused_too(self, saved, tmp_path):
        marker = tmp_path / "pwned"
        payload = pickle.dumps(Payload(marker))
        tampered = replace_member(saved, "weights.pt", payload, tmp_path)
        with pytest.raises(ValueError, match="Refusing the weights"):
            Seq2SeqRegressor.load(tampered)
        assert not marker.exists()

    def test_weights_of_other_shapes_are_refused(self, saved, data, tmp_path):
        other = Seq2SeqRegressor(**{**TINY, "hidden_dim": 7}).fit(*data)
        weights = io.BytesIO()
        torch.save(other.net_.module_.state_dict(), weights)
        mixed = replace_member(saved, "weights.pt", weights.getvalue(), tmp_path)
        with pytest.raises(
            ValueError,
            match=r"do not fit the model its parameters describe \(a file from a "
            r"model of other shapes\?\).*size mismatch",
        ):
            Seq2SeqRegressor.load(mixed)

    def test_an_optimizer_outside_torch_optim_is_not_imported(self, saved, tmp_path):
        with zipfile.ZipFile(saved) as archive:
            document = json.loads(archive.read("model.json"))
        document["params"]["optimizer"] = "os.system"
        tampered = replace_member(
            saved, "model.json", json.dumps(document).encode(), tmp_path
        )
        with pytest.raises(ValueError, match="'os.system' is not a class of torch"):
            Seq2SeqRegressor.load(tampered)

    def test_not_a_saved_model(self, tmp_path):
        path = tmp_path / "model.zip"
        path.write_bytes(b"not a zip")
        with pytest.raises(ValueError, match="is not a model saved by"):
            Seq2SeqRegressor.load(path)


class TestDevice:
    @pytest.mark.skipif(torch.cuda.is_available(), reason="needs a CPU-only machine")
    def test_a_model_saved_on_a_gpu_loads_on_the_cpu(
        self, saved, fitted, data, tmp_path
    ):
        with zipfile.ZipFile(saved) as archive:
            document = json.loads(archive.read("model.json"))
        document["params"]["device"] = "cuda"
        gpu_file = replace_member(saved, "model.json", json.dumps(document), tmp_path)
        with pytest.warns(UserWarning, match="no CUDA GPU is available here"):
            loaded = Seq2SeqRegressor.load(gpu_file)
        assert loaded.device == "cpu"
        np.testing.assert_array_equal(loaded.predict(data[0]), fitted.predict(data[0]))

    def test_device_argument_overrides_the_saved_one(
        self, saved, fitted, data, tmp_path
    ):
        with zipfile.ZipFile(saved) as archive:
            document = json.loads(archive.read("model.json"))
        document["params"]["device"] = "cuda"
        gpu_file = replace_member(saved, "model.json", json.dumps(document), tmp_path)
        # no fallback warning: the saved "cuda" is never considered
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            loaded = Seq2SeqRegressor.load(gpu_file, device="cpu")
        assert loaded.device == "cpu"
        assert not next(loaded.net_.module_.parameters()).is_cuda
        np.testing.assert_array_equal(loaded.predict(data[0]), fitted.predict(data[0]))
