"""What the regressor's windows look like: checked once, described immutably.

:func:`check_training_windows` validates what ``fit`` receives and returns the
past and future windows with a :class:`WindowShapes`; nothing is written to an
estimator, so a ``fit`` that fails later leaves a fitted model as it was.
"""

from __future__ import annotations

import dataclasses
from numbers import Integral

import numpy as np
from sklearn.utils.validation import _get_feature_names, check_consistent_length

from ._value_checks import as_3d, check_values

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
    future_index : tuple of int
        The features known in advance, read over the future too (may be
        empty).
    """

    n_past: int
    n_channels: int
    n_future: int
    n_targets: int
    y_ndim: int
    target_index: tuple[int, ...] | None
    future_index: tuple[int, ...] = ()

    @property
    def n_steps_in(self) -> int:
        """Time steps of ``predict``'s windows: the past, and the known future."""
        return self.n_past + (self.n_future if self.future_index else 0)

    def describe(self) -> str:
        return (
            f"(n_past, n_features, n_future, n_targets) = "
            f"{(self.n_past, self.n_channels, self.n_future, self.n_targets)} "
            f"with {self.y_ndim}-D y"
        )


def check_past(X) -> np.ndarray:
    """Past windows as a float ``(n_samples, n_past, n_features)`` array."""
    array = check_values(X, allow_nd=True, dtype=DTYPES, input_name="X")
    past = as_3d(array, one_d="samples", input_name="X")
    if 0 in past.shape[1:]:
        raise ValueError(
            f"X has shape {array.shape}: it needs at least one time step and "
            "one feature per time step. Pass windows of shape (n_samples, "
            "n_past, n_features) with n_past >= 1 and n_features >= 1."
        )
    return past


def check_known_future(X, *, n_future: int, future_features):
    """Split windows that end with a forecast period: ``(past, known, index)``.

    ``X`` is ``(n_samples, n_past + n_future, n_features)``: every feature's
    past, then ``n_future`` steps of which only the ``future_features`` are
    read (the other cells may be NaN). Returns the past
    ``(n_samples, n_past, n_features)``, the known future values
    ``(n_samples, n_future, n_future_features)`` and their feature indices.
    """
    array = X
    try:
        array = np.array(X, dtype=np.float64)
    except (TypeError, ValueError):
        pass  # check_past names the problem
    if isinstance(array, np.ndarray) and array.ndim == 3:
        index = feature_index("future_features", future_features, array.shape[2])
        _check_read_cells(array, n_future, index)
        unread = [f for f in range(array.shape[2]) if f not in index]
        # never read: zeros keep the finite-value check of what is read
        array[:, array.shape[1] - n_future :, unread] = 0.0
    windows = check_past(array)
    index = feature_index("future_features", future_features, windows.shape[2])
    if windows.shape[1] <= n_future:
        raise ValueError(
            f"With future_features, X holds each window's past followed by its "
            f"n_future={n_future} future steps, but X has only {windows.shape[1]} "
            "time steps. Pass windows of n_past + n_future steps."
        )
    past = windows[:, :-n_future]
    known = windows[:, -n_future:, list(index)]
    return past, known, index


def _check_read_cells(array, n_future, index):
    """NaN only where nothing is read: the future cells of unknown features."""
    n_past = array.shape[1] - n_future
    missing = np.isnan(array)
    missing[:, n_past:, [f for f in range(array.shape[2]) if f not in index]] = False
    if not missing.any():
        return
    window, step, feature = (int(i) for i in np.argwhere(missing)[0])
    if step < n_past:
        raise ValueError(
            f"X holds NaN in the past: feature {feature} at step {step} of window "
            f"{window}. Every feature's past must be known: fill the gaps first "
            "(e.g. interpolate the series)."
        )
    raise ValueError(
        f"The known future value of feature {feature} at future step "
        f"{step - n_past} (window {window}) is NaN. future_features={list(index)} "
        "must be known at every future step: fill it in, or drop the feature from "
        "future_features."
    )


def check_training_windows(
    X, y, *, n_future: int, target_features, future_features=None
):
    """Validate ``fit``'s input: ``(past, known, future, WindowShapes)``.

    With ``y=None``, ``X`` holds joined windows whose last ``n_future`` steps
    are split off; ``target_features`` then selects the target features of
    that future part. With ``future_features``, ``known`` holds the known
    future values ``(n_samples, n_future, n_future_features)`` (with ``y``,
    ``X`` holds each window's past and future, see
    :func:`check_known_future`); else ``known`` is ``None``.
    """
    known, future_index = None, ()
    if y is None:
        joined = check_past(X)
        if joined.shape[1] <= n_future:
            raise ValueError(
                f"With y=None, X holds joined past+future windows whose last "
                f"n_future={n_future} steps are the target, but X has only "
                f"{joined.shape[1]} time steps. Pass y, or windows longer than "
                "n_future (e.g. from SeriesWindower.fit_transform)."
            )
        past, future = joined[:, :-n_future], joined[:, -n_future:]
        if future_features is not None:
            future_index = feature_index(
                "future_features", future_features, joined.shape[2]
            )
            known = future[:, :, list(future_index)]
        index = target_index(target_features, past.shape[2], None)
        if index is not None:
            future = future[:, :, list(index)]
        y_ndim = 3
    else:
        if future_features is None:
            past = check_past(X)
        else:
            past, known, future_index = check_known_future(
                X, n_future=_horizon(y), future_features=future_features
            )
        y = check_values(
            y, ensure_2d=False, allow_nd=True, dtype=DTYPES, input_name="y"
        )
        check_consistent_length(past, y)
        y_ndim = y.ndim
        future = as_3d(y, one_d="samples", input_name="y")
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
        future_index=future_index,
    )
    return past, known, future, shapes


def _horizon(y) -> int:
    """Future steps in ``y``, read before ``y`` is checked (1 for 1-D)."""
    shape = np.shape(y)
    return shape[1] if len(shape) > 1 else 1


def target_index(target_features, n_channels: int, n_targets: int | None):
    """The past features that are the targets, as a tuple, or ``None``.

    ``n_targets`` is ``y``'s number of targets, or ``None`` for joined
    windows (where the targets are the listed features themselves).
    """
    if target_features is None:
        if n_targets is None or n_targets == n_channels:
            return tuple(range(n_channels))
        return None
    index = feature_index("target_features", target_features, n_channels)
    if n_targets is not None and len(index) != n_targets:
        raise ValueError(
            f"target_features lists {len(index)} features, but y has "
            f"{n_targets} targets per step. List one feature of X per target "
            "of y, or pass target_features=None."
        )
    return index


def feature_index(name: str, listed, n_channels: int) -> tuple[int, ...]:
    """``listed`` integer indices of X's features, checked, as a tuple."""
    values = np.ravel(np.asarray(listed, dtype=object))
    if values.size == 0 or not all(
        isinstance(i, Integral) and not isinstance(i, (bool, np.bool_)) for i in values
    ):
        raise ValueError(
            f"{name}={listed!r} must be a non-empty list of integer indices of "
            f"X's {n_channels} features (last axis), e.g. [0] for the first "
            "feature."
        )
    index = [int(i) for i in values]
    if any(not -n_channels <= i < n_channels for i in index):
        raise ValueError(
            f"{name}={listed!r} must list indices of X's {n_channels} features "
            "(last axis)."
        )
    index = tuple(i % n_channels for i in index)
    if len(set(index)) != len(index):
        raise ValueError(
            f"{name}={listed!r} lists a feature twice. List each feature once."
        )
    return index


def feature_names_in(X, shapes: WindowShapes):
    """The names of the steps ``predict`` reads, when ``X`` named them, or ``None``."""
    names = _get_feature_names(X)
    return None if names is None else names[: shapes.n_steps_in]


def window_roles(X, y, estimator: str, **said) -> dict:
    """The horizon and feature roles of ``fit``: said to the model or the windower.

    ``said`` holds the model's ``n_future``, ``target_features`` and
    ``future_features`` (each ``None`` when not said). Joined windows cut by
    :class:`SeriesWindower` (``y=None``) carry the windower's settings as
    attributes; a setting said only there is taken from there, one said to
    both must agree. Windows in hand with ``y`` carry none: the horizon is
    ``y``'s. Joined windows without ``y`` need a horizon from somewhere.
    """
    if y is not None:
        return said
    roles = dict(said)
    cut = getattr(X, "n_future", None)
    if roles["n_future"] is None:
        roles["n_future"] = cut
    elif cut is not None and cut != roles["n_future"]:
        raise ValueError(
            f"The windows were cut by SeriesWindower(n_future={cut}), but "
            f"{estimator}(n_future={said['n_future']}) splits their last "
            f"{said['n_future']} steps off as the target. Set the same n_future "
            "in both, or say it once, to the windower."
        )
    if roles["n_future"] is None:
        raise ValueError(
            f"{estimator} got joined windows without y, but no n_future says how "
            "many of their last steps are the target. Pass n_future (e.g. "
            f"{estimator}(n_future=15)), or y, or windows from a SeriesWindower, "
            "which carry its n_future."
        )
    n_channels = np.shape(X)[-1] if np.ndim(X) == 3 else 1
    for name in ("target_features", "future_features"):
        cut = getattr(X, name, None)
        if not cut:
            continue
        if roles[name] is None:
            roles[name] = list(cut)
        elif feature_index(name, said[name], n_channels) != tuple(cut):
            raise ValueError(
                f"The windows were cut by a SeriesWindower with {name} at "
                f"positions {list(cut)}, but {estimator} has {name}="
                f"{said[name]!r}. Tell both the same features (the model by "
                "position), or say them once, to the windower."
            )
    return roles
