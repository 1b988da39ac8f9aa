"""Global standardisation of the windows, learned in ``fit``.

The module computes in float32, so what reaches it must be of moderate size:
these functions scale with scikit-learn's ``StandardScaler`` and refuse values
that float32 cannot carry, instead of training on garbage.
"""

from __future__ import annotations

import copy

import numpy as np
from sklearn.preprocessing import StandardScaler

# float32 losses square the values: beyond ~1e15 they overflow
LARGEST = 1e15
# below this, float32 (smallest normal ~1.2e-38) loses the values' precision
SMALLEST = 1e-30


def standard_scaler(**params) -> StandardScaler:
    """A ``StandardScaler`` whose output stays an array.

    Whatever ``sklearn.set_config(transform_output=...)`` says: the windows
    are reshaped right back to 3-D.
    """
    return StandardScaler(**params).set_output(transform="default")


def fit_scalers(past, future, target_index, sample_weight=None):
    """Scalers of the features and the targets, each ``StandardScaler``.

    ``past`` is ``(n_samples, n_past, n_features)``, ``future``
    ``(n_samples, n_future, n_targets)``. A target that is a past feature is
    scaled like that feature, so that the decoder's first input (the last
    observed value) and its outputs share units. ``sample_weight``, one per
    value of a time step, weighs the steps of ``past`` (then a target must be
    a past feature).
    """
    x_scaler = _fit(past, "X", sample_weight)
    y_source = future if target_index is None else past[:, :, list(target_index)]
    y_scaler = _fit(y_source, "y" if target_index is None else "X", sample_weight)
    return x_scaler, y_scaler


def _fit(windows, name, sample_weight=None):
    flat = windows.reshape(-1, windows.shape[2])
    scaler = standard_scaler().fit(flat, sample_weight=sample_weight)
    # StandardScaler's variance underflows for values below ~1e-154: a
    # feature that varies but has no variance would be scaled as a constant
    degenerate = (scaler.var_ == 0) & (np.ptp(flat, axis=0) > 0)
    if degenerate.any():
        feature = int(np.argmax(degenerate))
        raise ValueError(
            f"Feature {feature} of {name} varies, but its values are too small for "
            f"their variance to be computed (largest magnitude "
            f"{np.abs(flat[:, feature]).max():.3g}). Rescale the data, e.g. "
            "multiply it by a constant, and fit again."
        )
    return scaler


def uncentred_targets(x_scaler, y_scaler, target_index):
    """Copies of the scalers that divide the targets by their RMS, centring none.

    Window normalisation then removes each window's level in the module; a
    global mean subtracted from series of levels 1 and 1e5 alike would leave
    the small ones as float32 rounding noise, while a division keeps their
    relative precision. ``target_index``: the targets among the features, or
    ``None`` (then only ``y_scaler`` changes).
    """
    x_scaler, y_scaler = copy.deepcopy(x_scaler), copy.deepcopy(y_scaler)
    columns = [(y_scaler, slice(None))]
    if target_index is not None:
        columns.append((x_scaler, list(target_index)))
    for scaler, index in columns:
        rms = np.sqrt(scaler.var_[index] + scaler.mean_[index] ** 2)
        rms = np.where(rms > 0, rms, 1.0)
        scaler.mean_[index] = 0.0
        scaler.var_[index] = rms**2
        scaler.scale_[index] = rms
    return x_scaler, y_scaler


def scaled(windows: np.ndarray, scaler: StandardScaler | None) -> np.ndarray:
    """``windows`` standardised by ``scaler`` (if any), as writable float32.

    Raises ``ValueError`` for values that float32 arithmetic cannot carry.
    """
    largest = np.abs(windows).max(initial=0.0)
    if scaler is not None:
        shape = windows.shape
        windows = scaler.transform(windows.reshape(-1, shape[2])).reshape(shape)
    seen = np.abs(windows).max(initial=0.0)
    if 0 < seen < SMALLEST:
        raise ValueError(
            f"The windows hold only values too small for the model, which computes "
            f"in float32 (the largest magnitude is {largest:.3g}). Rescale the "
            "data, e.g. multiply it by a constant, and fit again."
        )
    if not seen < LARGEST:
        scaled_by_fit = ""
        if scaler is not None and not largest >= LARGEST:
            # y taken for X's feature is scaled with that feature's statistics:
            # small values then become huge, and the cause is X's scale, not y's
            scaled_by_fit = (
                f" Scaled with the statistics learned in fit, the largest is "
                f"{seen:.3g}: if y is not among X's features but was taken for one "
                "(target_features=None), pass target_features=[]."
            )
        raise ValueError(
            f"The windows hold values too large for the model, which computes "
            f"in float32 after scaling (the largest magnitude is {largest:.3g}). "
            "Rescale the data, e.g. divide it by a constant, and fit again."
            + scaled_by_fit
        )
    windows = np.asarray(windows, dtype=np.float32)
    # torch warns on read-only arrays (views of a user's series), and may write
    return windows if windows.flags.writeable else windows.copy()
