"""What the regressor's windows look like: checked once, described immutably.

:func:`check_training_windows` validates what ``fit`` receives and returns the
past and future windows with a :class:`WindowShapes`; nothing is written to an
estimator, so a ``fit`` that fails later leaves a fitted model as it was.
"""

from __future__ import annotations

import dataclasses
from numbers import Integral

import numpy as np
from sklearn.utils.validation import check_consistent_length

from ._validation import as_3d, check_values

# float16 is widened: the checks of magnitudes against float32's range overflow it
DTYPES = (np.float64, np.float32)


@dataclasses.dataclass(frozen=True)
class WindowShapes:
    """The shapes of the windows a model was trained on.

    Attributes
    ----------
    n_past : int
        Past steps per window.
    n_channels : int
        Features per past step.
    n_future : int
        Future steps per window (the horizon).
    n_targets : int
        Target values per future step.
    y_ndim : int
        Dimensions of the ``y`` seen in fit (3 for joined windows);
        predictions keep them.
    target_index : tuple of int or None
        The past features that are the targets, or ``None``.
    """

    n_past: int
    n_channels: int
    n_future: int
    n_targets: int
    y_ndim: int
    target_index: tuple[int, ...] | None

    def describe(self) -> str:
        return (
            f"(n_past, n_features, n_future, n_targets) = "
            f"{(self.n_past, self.n_channels, self.n_future, self.n_targets)} "
            f"with {self.y_ndim}-D y"
        )


def check_past(X) -> np.ndarray:
    """Past windows as a float ``(n_samples, n_past, n_features)`` array."""
    array = check_values(X, allow_nd=True, dtype=DTYPES, input_name="X")
    past = as_3d(array, one_d="samples")
    if 0 in past.shape[1:]:
        raise ValueError(
            f"X has shape {array.shape}: it needs at least one time step and "
            "one feature per time step. Pass windows of shape (n_samples, "
            "n_past, n_features) with n_past >= 1 and n_features >= 1."
        )
    return past


def check_training_windows(X, y, *, n_future: int, target_features):
    """Validate ``fit``'s input: ``(past, future, WindowShapes)``.

    With ``y=None``, ``X`` holds joined windows whose last ``n_future`` steps
    are split off; ``target_features`` then selects the target features of
    that future part.
    """
    past = check_past(X)
    if y is None:
        if past.shape[1] <= n_future:
            raise ValueError(
                f"With y=None, X holds joined past+future windows whose last "
                f"n_future={n_future} steps are the target, but X has only "
                f"{past.shape[1]} time steps. Pass y, or windows longer than "
                "n_future (e.g. from SeriesWindower.fit_transform)."
            )
        past, future = past[:, :-n_future], past[:, -n_future:]
        index = target_index(target_features, past.shape[2], None)
        if index is not None:
            future = future[:, :, list(index)]
        y_ndim = 3
    else:
        y = check_values(
            y, ensure_2d=False, allow_nd=True, dtype=DTYPES, input_name="y"
        )
        check_consistent_length(past, y)
        y_ndim = y.ndim
        future = as_3d(y, one_d="samples")
        if future.shape[1] == 0 or future.shape[2] == 0:
            raise ValueError(
                f"y has shape {y.shape}: it needs at least one future step and "
                "one target. Pass futures of shape (n_samples, n_future, "
                "n_targets) with n_future >= 1 and n_targets >= 1."
            )
        index = target_index(target_features, past.shape[2], future.shape[2])
    shapes = WindowShapes(
        n_past=past.shape[1],
        n_channels=past.shape[2],
        n_future=future.shape[1],
        n_targets=future.shape[2],
        y_ndim=y_ndim,
        target_index=index,
    )
    return past, future, shapes


def target_index(target_features, n_channels: int, n_targets: int | None):
    """The past features that are the targets, as a tuple, or ``None``.

    ``n_targets`` is ``y``'s number of targets, or ``None`` for joined
    windows (where the targets are the listed features themselves).
    """
    if target_features is None:
        if n_targets is None or n_targets == n_channels:
            return tuple(range(n_channels))
        return None
    listed = np.ravel(np.asarray(target_features, dtype=object))
    if listed.size == 0 or not all(
        isinstance(i, Integral) and not isinstance(i, (bool, np.bool_)) for i in listed
    ):
        raise ValueError(
            f"target_features={target_features!r} must be a non-empty list of "
            f"integer indices of X's {n_channels} features (last axis), e.g. "
            "[0] for the first feature."
        )
    index = [int(i) for i in listed]
    if any(not -n_channels <= i < n_channels for i in index):
        raise ValueError(
            f"target_features={target_features!r} must list indices of X's "
            f"{n_channels} features (last axis)."
        )
    index = tuple(i % n_channels for i in index)
    if len(set(index)) != len(index):
        raise ValueError(
            f"target_features={target_features!r} lists a feature twice. List "
            "each target feature once."
        )
    if n_targets is not None and len(index) != n_targets:
        raise ValueError(
            f"target_features lists {len(index)} features, but y has "
            f"{n_targets} targets per step. List one feature of X per target "
            "of y, or pass target_features=None."
        )
    return index
