"""Shape conventions shared by the public estimators."""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_array

SHAPE = "(n_samples, n_timesteps, n_features)"


def check_values(X, *, input_name: str, **check_array_params) -> np.ndarray:
    """``check_array`` whose errors say what was wrong and how to fix it.

    The happy path is scikit-learn's ``check_array`` (``check_array_params``
    passed on); its errors for ragged, scalar, complex or text input, and for
    NaN or infinite values, are replaced by messages that also give the fix.
    These are ``ValueError``, chained to scikit-learn's error.
    """
    try:
        array = check_array(
            X, input_name=input_name, ensure_all_finite=False, **check_array_params
        )
    except (TypeError, ValueError) as error:
        problem = _diagnose(X, input_name)
        if problem is None:
            raise
        raise ValueError(problem) from error
    if array.dtype.kind in "fc" and not np.isfinite(array).all():
        bad = np.isnan(array)
        what = "NaN" if bad.any() else "infinity"
        if not bad.any():
            bad = ~np.isfinite(array)
        raise ValueError(
            f"Input {input_name} contains {what} ({int(bad.sum())} of "
            f"{array.size} values, the first at index "
            f"{tuple(int(i) for i in np.argwhere(bad)[0])}). The model needs "
            "finite values: "
            "fill the gaps first (e.g. interpolate the series) or drop the "
            "samples that hold them."
        )
    return array


def _diagnose(X, input_name: str) -> str | None:
    """What is wrong with input that ``check_array`` refused, and the fix."""
    try:
        array = np.asarray(X)
    except (TypeError, ValueError):
        return (
            f"{input_name} is ragged: its nested sequences have different "
            f"lengths. Pass a rectangular array of shape {SHAPE}, e.g. windows "
            "cut or padded to one length."
        )
    if array.ndim == 0:
        return (
            f"{input_name} is a scalar ({array!r:.60}), but must be an array of "
            f"shape {SHAPE}. Wrap the values in an array of that shape."
        )
    if array.dtype.kind == "c":
        return (
            f"Complex data not supported: {input_name} has dtype {array.dtype}. "
            f"Pass real values, e.g. {input_name}.real or abs({input_name})."
        )
    text = []
    if array.dtype.kind in "SUO":
        text = [v for v in array.ravel() if isinstance(v, (str, bytes))]
    if text:
        example = next((v for v in text if not _spells_number(v)), text[0])
        return (
            f"{input_name} holds text (e.g. {str(example)!r:.40}), but must hold "
            f"numbers. Convert it first, e.g. np.asarray({input_name}, "
            "dtype=float) when the text spells numbers."
        )
    return None


def _spells_number(text) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def as_3d(array: np.ndarray, *, one_d: str) -> np.ndarray:
    """View a checked array as ``(n_samples, n_timesteps, n_features)``.

    ``one_d`` says what a 1-D array is: ``"series"``, one univariate series
    ``(n_timesteps,) -> (1, n_timesteps, 1)``, or ``"samples"``, one value per
    sample ``(n_samples,) -> (n_samples, 1, 1)``. 2-D arrays are univariate:
    ``(n_samples, n_timesteps) -> (n_samples, n_timesteps, 1)``.
    """
    if array.ndim == 1:
        return array.reshape((1, -1, 1) if one_d == "series" else (-1, 1, 1))
    if array.ndim == 2:
        return array[:, :, np.newaxis]
    if array.ndim == 3:
        return array
    raise ValueError(
        f"Expected an array of shape (n_samples, n_timesteps, n_features) or "
        f"(n_samples, n_timesteps), got {array.ndim} dimensions with shape "
        f"{array.shape}. Reshape it, e.g. to (n_samples, n_timesteps, n_features)."
    )
