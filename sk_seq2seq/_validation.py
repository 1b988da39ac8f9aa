"""Shape conventions shared by the public estimators."""

from __future__ import annotations

import numpy as np


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
