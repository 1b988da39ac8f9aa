"""Save and load a fitted Seq2SeqRegressor without pickle.

A saved model is one zip file holding two members:

- ``model.json``: the format's name and version, the estimator's parameters
  and its fitted state (shapes, scalers' statistics, ``history_``), all
  plain JSON;
- ``weights.pt``: the module's ``state_dict`` written by ``torch.save`` and
  read back with ``torch.load(..., weights_only=True)``, which refuses any
  pickled object that is not a tensor or a plain container.

Nothing in the file names code to run: the optimizer is stored as the name of
a class in ``torch.optim`` and resolved only there; parameters that can hold
arbitrary objects (``callbacks``, a callable ``train_split``, a
``RandomState``) are not stored.
"""

from __future__ import annotations

import io
import json
import os
import warnings
import zipfile

import numpy as np
import torch
from sklearn.preprocessing import StandardScaler
from skorch.history import History

from ._forecaster import FITTED_ATTRIBUTES, fitted_shapes
from ._net import build_net, check_net_params, cuda_devices
from ._recipes import RECIPES, SETTINGS_BEFORE
from ._scaling import standard_scaler

FORMAT = "sk_seq2seq.Seq2SeqRegressor"
# 2: recipes ("auto" parameters), known future features, calibration
# 3: the linear path has no intercept
VERSION = 3
PARAMS_MEMBER, WEIGHTS_MEMBER = "model.json", "weights.pt"
CALIBRATION_MEMBER = "calibration.npy"
# each calibration window's scale; absent from files of before it (or when
# the targets are not past features), whose intervals are then unscaled
SCALES_MEMBER = "calibration_scales.npy"
NOT_STORED = {
    "callbacks": "callbacks can hold arbitrary code",
    "train_split": "a callable train_split is code",
    "random_state": "a RandomState instance is not plain data",
}
SCALER_ATTRIBUTES = ("mean_", "var_", "scale_", "n_samples_seen_")
# the window forecasters' shapes, and the recipe the "auto" parameters took
STATE = (*FITTED_ATTRIBUTES, "recipe_", "settings_")


def save(model, path) -> None:
    """Write a fitted model to ``path`` (a zip file); see the module docstring."""
    _check_file(path, "save", "write")
    params = _params_to_json(model.get_params(deep=False))
    state = {name: _plain(getattr(model, name)) for name in STATE}
    if hasattr(model, "feature_names_in_"):
        state["feature_names_in_"] = [str(n) for n in model.feature_names_in_]
    for name in ("x_scaler_", "y_scaler_"):
        scaler = getattr(model, name)
        state[name] = None if scaler is None else _scaler_to_json(scaler)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "params": params,
        "fitted": state,
        "history": _plain(model.history_.to_list()),
    }
    weights = io.BytesIO()
    torch.save(model.net_.module_.state_dict(), weights)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PARAMS_MEMBER, json.dumps(document, indent=1))
        archive.writestr(WEIGHTS_MEMBER, weights.getvalue())
        if model.calibration_residuals_ is not None:
            residuals = io.BytesIO()
            np.save(residuals, model.calibration_residuals_, allow_pickle=False)
            archive.writestr(CALIBRATION_MEMBER, residuals.getvalue())
        if getattr(model, "calibration_scales_", None) is not None:
            scales = io.BytesIO()
            np.save(scales, model.calibration_scales_, allow_pickle=False)
            archive.writestr(SCALES_MEMBER, scales.getvalue())


def load(cls, path, device=None):
    """Read a model that :func:`save` wrote, without unpickling any object."""
    _check_file(path, "load", "read")
    name = _name(path)
    document, weights, residuals, scales = _read(path)
    try:
        params = _params_from_json(document["params"], cls)
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(
            f"{name} holds invalid parameters ({error!r}). Save the model again "
            "with Seq2SeqRegressor.save."
        ) from None
    if device is not None:
        params["device"] = device
    elif "cuda" in str(params.get("device")) and not torch.cuda.is_available():
        warnings.warn(
            f"The model in {name} was saved on {params['device']!r}, but no CUDA "
            "GPU is available here: it is loaded on the CPU.",
            UserWarning,
            stacklevel=3,
        )
        params["device"] = "cpu"
    try:
        model = cls(**params)
        model._validate_params()
        check_net_params(model.get_params(deep=False))
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{name} holds parameters this model refuses: {error} Save the model "
            "again with Seq2SeqRegressor.save, or pass device='cpu'."
        ) from None
    try:
        state = document["fitted"]
        for attribute in STATE:
            setattr(model, attribute, state[attribute])
        if isinstance(model.settings_, dict):
            model.settings_ = {**SETTINGS_BEFORE, **model.settings_}
        if "feature_names_in_" in state:
            names = state["feature_names_in_"]
            model.feature_names_in_ = np.asarray(names, dtype=object)
        for attribute in ("x_scaler_", "y_scaler_"):
            setattr(model, attribute, _scaler_from_json(state[attribute]))
        model.calibration_residuals_ = residuals
        model.calibration_scales_ = scales
        _check_fitted_state(model)
        history = History(document["history"])
        net = build_net(
            fitted_shapes(model),
            model.settings_,
            model.get_params(deep=False),
            n_train=1,
        )
        with torch.random.fork_rng(devices=cuda_devices(net.device)):
            net.initialize()  # random weights, replaced below
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as error:
        raise ValueError(
            f"{name} holds an invalid fitted state ({error}). Save the model "
            "again with Seq2SeqRegressor.save."
        ) from None
    try:
        net.module_.load_state_dict(weights)
    except (RuntimeError, KeyError, TypeError) as error:
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        first = next((line for line in lines[1:] if ":" in line), lines[0])
        raise ValueError(
            f"The weights in {name} do not fit the model its parameters describe "
            f"(a file from a model of other shapes?): {first} Save the model "
            "again with Seq2SeqRegressor.save."
        ) from None
    net.history = history
    model.net_, model.history_ = net, net.history
    return model


def _check_fitted_state(model) -> None:
    """Raise ``ValueError`` unless the loaded fitted attributes fit together."""
    shapes = [model.n_past_, model.n_channels_in_, model.n_future_, model.n_targets_]
    if not all(type(n) is int and n > 0 for n in shapes):
        raise ValueError(f"shapes {shapes} are not positive integers")
    future = model.future_index_
    if not isinstance(future, list) or not all(
        type(i) is int and 0 <= i < model.n_channels_in_ for i in future
    ):
        raise ValueError(f"future_index_={future!r} does not list features")
    if model.n_features_in_ != fitted_shapes(model).n_steps_in:
        raise ValueError(
            f"n_features_in_={model.n_features_in_} does not match "
            f"n_past_={model.n_past_}"
        )
    if (
        model._y_ndim not in (1, 2, 3)
        or (model._y_ndim < 3 and model.n_targets_ != 1)
        or (model._y_ndim == 1 and model.n_future_ != 1)
    ):
        raise ValueError(
            f"a {model._y_ndim!r}-D y cannot hold {model.n_future_} steps of "
            f"{model.n_targets_} targets"
        )
    index = model.target_index_
    if index is not None and (
        not isinstance(index, list)
        or len(index) != model.n_targets_
        or not all(type(i) is int and 0 <= i < model.n_channels_in_ for i in index)
    ):
        raise ValueError(
            f"target_index_={index!r} does not list {model.n_targets_} of the "
            f"{model.n_channels_in_} features"
        )
    if model.recipe_ not in RECIPES or not isinstance(model.settings_, dict):
        raise ValueError(f"recipe_={model.recipe_!r} is not a recipe")
    if set(model.settings_) != set(RECIPES[model.recipe_]):
        raise ValueError(f"settings_ {sorted(model.settings_)} are not a recipe's")
    residuals = model.calibration_residuals_
    if residuals is not None and (
        residuals.dtype.kind != "f"
        or residuals.ndim != 3
        or residuals.shape[1:] != (model.n_future_, model.n_targets_)
    ):
        raise ValueError(
            f"calibration residuals of shape {residuals.shape} do not fit "
            f"{model.n_future_} steps of {model.n_targets_} targets"
        )
    scales = model.calibration_scales_
    if scales is not None and (
        residuals is None
        or scales.dtype.kind != "f"
        or scales.shape != (len(residuals), model.n_targets_)
        or not (scales > 0).all()
    ):
        raise ValueError(
            f"calibration scales of shape {scales.shape} do not fit the "
            "calibration residuals, or are not positive"
        )
    names = getattr(model, "feature_names_in_", None)
    if names is not None and len(names) != model.n_past_:
        raise ValueError(f"{len(names)} feature names for {model.n_past_} features")
    for attribute, n in (
        ("x_scaler_", model.n_channels_in_),
        ("y_scaler_", model.n_targets_),
    ):
        scaler = getattr(model, attribute)
        if (scaler is None) == model.scale:
            raise ValueError(f"{attribute} does not match scale={model.scale}")
        if scaler is not None and not all(
            np.shape(getattr(scaler, stat)) == (n,) for stat in ("mean_", "scale_")
        ):
            raise ValueError(f"{attribute}'s statistics are not of {n} features")
        if scaler is not None and not (
            np.isfinite(scaler.mean_).all() and (scaler.scale_ > 0).all()
        ):
            raise ValueError(f"{attribute}'s statistics are not finite and positive")


def _check_file(path, method, access) -> None:
    """Refuse, before any work, what cannot hold a zip archive's bytes."""
    if isinstance(path, (str, os.PathLike)):
        return
    mode = getattr(path, "mode", "b")
    if isinstance(path, io.TextIOBase) or (isinstance(mode, str) and "b" not in mode):
        problem = "a text file, but a saved model is a zip archive: bytes"
    elif not hasattr(path, access):
        problem = f"a {type(path).__name__}, which is neither a path nor a file"
    else:
        return
    opened = "wb" if access == "write" else "rb"
    raise TypeError(
        f"{method} got {problem}. Pass a path, or a file opened in binary mode "
        f"(open(path, {opened!r}), io.BytesIO())."
    )


def _name(path) -> str:
    """How messages name a file: its path, or the file object."""
    if isinstance(path, (str, os.PathLike)):
        return repr(os.fspath(path))
    return repr(getattr(path, "name", path))


def _read(path):
    """The JSON document and the weights of a saved model, checked."""
    name = _name(path)
    try:
        with zipfile.ZipFile(path) as archive:
            document = json.loads(archive.read(PARAMS_MEMBER))
            weights_bytes = archive.read(WEIGHTS_MEMBER)
            residuals, scales = (
                np.load(io.BytesIO(archive.read(member)), allow_pickle=False)
                if member in archive.namelist()
                else None
                for member in (CALIBRATION_MEMBER, SCALES_MEMBER)
            )
    except (
        zipfile.BadZipFile,
        KeyError,
        json.JSONDecodeError,
        ValueError,
        OSError,
        EOFError,
    ) as error:
        raise ValueError(
            f"{name} is not a model saved by Seq2SeqRegressor.save ({error}). "
            "Pass a file written by Seq2SeqRegressor.save."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(
            f"{name} is not a model saved by Seq2SeqRegressor.save: its "
            f"{PARAMS_MEMBER} does not say format={FORMAT!r}."
        )
    if document.get("version") != VERSION:
        raise ValueError(
            f"{name} has format version {document.get('version')!r}; this "
            f"sk_seq2seq reads version {VERSION}. Load it with the sk_seq2seq "
            "that wrote it."
        )
    try:
        weights = torch.load(
            io.BytesIO(weights_bytes), map_location="cpu", weights_only=True
        )
    except Exception as error:  # torch raises UnpicklingError, RuntimeError, ...
        raise ValueError(
            f"Refusing the weights in {name}: they are not plain tensors "
            f"({type(error).__name__}: {str(error).splitlines()[0][:300]}). The "
            "file may have been tampered with; nothing in it was run. Load only "
            "files written by Seq2SeqRegressor.save."
        ) from None
    if not isinstance(weights, dict) or not all(
        isinstance(v, torch.Tensor) for v in weights.values()
    ):
        raise ValueError(
            f"Refusing the weights in {name}: they are not a state_dict of "
            "tensors. Load only files written by Seq2SeqRegressor.save."
        )
    return document, weights, residuals, scales


def _params_to_json(params: dict) -> dict:
    stored = {}
    for name, value in params.items():
        if name == "optimizer":
            stored[name] = _optimizer_name(value)
        elif name == "device":
            stored[name] = str(value)
        elif name in NOT_STORED and not _is_plain(value):
            warnings.warn(
                f"{name}={value!r} is not saved ({NOT_STORED[name]}); the loaded "
                f"model has {name}=None. Set it again with set_params before "
                "training the loaded model.",
                UserWarning,
                stacklevel=3,
            )
            stored[name] = None
        else:
            value = _plain(value)
            if not _is_plain(value):
                raise ValueError(
                    f"{name}={value!r} cannot be saved: only plain values (None, "
                    "bool, int, float, str and lists of them) are stored. Set a "
                    "plain value, or use pickle for files you trust."
                )
            stored[name] = value
    return stored


def _params_from_json(params: dict, cls) -> dict:
    params = dict(params)
    params["optimizer"] = _optimizer_class(params.get("optimizer"))
    unknown = sorted(set(params) - set(cls().get_params(deep=False)))
    if unknown:
        raise ValueError(
            f"The saved parameters {unknown} are not parameters of {cls.__name__}: "
            "the file was written by another version of sk_seq2seq. Load it with "
            "that version."
        )
    return params


def _optimizer_name(optimizer) -> str:
    name = getattr(optimizer, "__name__", None)
    if name is None or getattr(torch.optim, name, None) is not optimizer:
        raise ValueError(
            f"optimizer={optimizer!r} cannot be saved: only classes of torch.optim "
            "are stored (by name). Use one of them, or pickle for files you trust."
        )
    return f"torch.optim.{name}"


def _optimizer_class(stored):
    prefix, optimizer = "torch.optim.", None
    if isinstance(stored, str) and stored.startswith(prefix):
        optimizer = getattr(torch.optim, stored[len(prefix) :], None)
    if not isinstance(optimizer, type) or not issubclass(
        optimizer, torch.optim.Optimizer
    ):
        raise ValueError(
            f"The saved optimizer {stored!r} is not a class of torch.optim; "
            "refusing to import anything else."
        )
    return optimizer


def _scaler_to_json(scaler: StandardScaler) -> dict:
    return {
        "params": scaler.get_params(),
        **{name: _plain(getattr(scaler, name)) for name in SCALER_ATTRIBUTES},
        "n_features_in_": scaler.n_features_in_,
    }


def _scaler_from_json(stored: dict | None) -> StandardScaler | None:
    if stored is None:
        return None
    scaler = standard_scaler(**stored["params"])
    for name in SCALER_ATTRIBUTES:
        setattr(scaler, name, np.asarray(stored[name], dtype=np.float64))
    scaler.n_samples_seen_ = np.asarray(stored["n_samples_seen_"])
    scaler.n_features_in_ = stored["n_features_in_"]
    return scaler


def _plain(value):
    """numpy values as the Python values JSON writes (floats exactly)."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _is_plain(value) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, list):
        return all(_is_plain(v) for v in value)
    return False
