"""What the regressor's windows look like: checked once, described immutably.

:func:`check_training_windows` validates what ``fit`` receives and returns the
past and future windows with a :class:`WindowShapes`; nothing is written to an
estimator, so a ``fit`` that fails later leaves a fitted model as it was.
"""

from __future__ import annotations

import dataclasses
import warnings
from numbers import Integral

import numpy as np
from sklearn.utils.validation import _get_feature_names, check_consistent_length

from ._value_checks import as_3d, check_values

# mean absolute levels of y and of the feature taken for it this many times
# apart mean that y is not that feature
UNLIKE_LEVELS = 1e3

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


def _check_forecast_rows(array, n_future, index):
    """Refuse windows whose forecast period holds other than n_future blank rows.

    A forecast row has NaN in every feature not known in advance. A window
    cut from a history followed by fewer rows than ``n_future`` has its last
    history rows in its forecast period (the forecast would start early); by
    more, NaN in its past (refused by :func:`_check_read_cells`).
    """
    unknown = [f for f in range(array.shape[2]) if f not in index]
    if not unknown or n_future >= array.shape[1]:
        return
    blank = np.isnan(array[:, -n_future:, unknown]).all(axis=2)
    n_blank = blank.sum(axis=1)
    wrong = (n_blank > 0) & (n_blank < n_future)
    if not wrong.any():
        return
    window = int(np.argmax(wrong))
    raise ValueError(
        f"Window {window} of X holds {n_blank[window]} forecast row(s) (rows whose "
        f"features not known in advance are NaN) among its last n_future="
        f"{n_future} steps, the forecast period: its history was followed by "
        f"{n_blank[window]} forecast row(s), not n_future={n_future}, so the "
        "forecast would not start where the history ends. Append exactly "
        f"n_future={n_future} rows of the forecast period after the history."
    )


def _check_read_cells(array, n_future, index):
    """NaN only where nothing is read: the future cells of unknown features."""
    n_past = array.shape[1] - n_future
    _check_forecast_rows(array, n_future, index)
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
        if target_features is None and index is not None:
            _warn_unlike_levels(past, future, index)
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


def _warn_unlike_levels(past, future, index) -> None:
    """Warn when y, taken for X's features, is evidently not them.

    With ``target_features=None`` and as many targets as features, each
    target is assumed to be the feature in the same place: scaled with its
    statistics, its forecast anchored at its last value. Levels 1000-fold
    apart say the assumption is wrong (a covariate taken for the target).
    """
    with np.errstate(over="ignore", invalid="ignore"):
        x_level = np.abs(past[:, :, list(index)]).mean(axis=(0, 1))
        y_level = np.abs(future).mean(axis=(0, 1))
    low = np.minimum(x_level, y_level)
    # an all-zero side has no level to compare (e.g. a placeholder y)
    apart = (low > 0) & (np.maximum(x_level, y_level) > UNLIKE_LEVELS * low)
    if not apart.any():
        return
    target = int(np.argmax(apart))
    warnings.warn(
        f"target_features=None takes y's target {target} for X's feature "
        f"{index[target]} (y has as many targets as X has features), but their "
        f"mean absolute levels are more than {UNLIKE_LEVELS:g} times apart (y: "
        f"{y_level[target]:.3g}, X: {x_level[target]:.3g}), so y is evidently not "
        "that feature; it is scaled with that feature's statistics and its "
        "forecast starts from that feature's last value. If y is not among X's "
        "features, pass target_features=[]; else list the feature of each target, "
        "e.g. target_features=[0].",
        UserWarning,
        stacklevel=4,
    )


def _is_empty(listed) -> bool:
    return (
        hasattr(listed, "__len__") and not isinstance(listed, str) and len(listed) == 0
    )


def _horizon(y) -> int:
    """Future steps in ``y``, read before ``y`` is checked (1 for 1-D)."""
    shape = np.shape(y)
    return shape[1] if len(shape) > 1 else 1


def target_index(target_features, n_channels: int, n_targets: int | None):
    """The past features that are the targets, as a tuple, or ``None``.

    ``n_targets`` is ``y``'s number of targets, or ``None`` for joined
    windows (where the targets are the listed features themselves). ``None``
    means that ``y`` is not among X's features: said by ``target_features=[]``,
    or implied by ``y`` having another number of targets than X has features
    (``target_features=None``).
    """
    if target_features is None:
        if n_targets is None or n_targets == n_channels:
            return tuple(range(n_channels))
        return None
    if _is_empty(target_features):
        if n_targets is None:
            raise ValueError(
                f"target_features={target_features!r} says that y is not among X's "
                "features, but without y the targets are split off X's windows, "
                "so they are X's features. Pass y, or target_features=None (all "
                "features) or a list of X's features."
            )
        return None
    index = feature_index("target_features", target_features, n_channels)
    if n_targets is not None and len(index) != n_targets:
        raise ValueError(
            f"target_features lists {len(index)} features, but y has "
            f"{n_targets} targets per step. List one feature of X per target "
            "of y, or pass target_features=None."
        )
    return index


def feature_index(
    name: str, listed, n_channels: int, *, source: str = "X"
) -> tuple[int, ...]:
    """``listed`` integer indices of ``source``'s features, checked, as a tuple."""
    values = np.ravel(np.asarray(listed, dtype=object))
    if values.size == 0 or not all(_is_position(i) for i in values):
        raise ValueError(
            f"{name}={listed!r} must be a non-empty list of integer indices of "
            f"{source}'s {n_channels} features (last axis), e.g. [0] for the "
            "first feature."
        )
    index = [int(i) for i in values]
    if any(not -n_channels <= i < n_channels for i in index):
        raise ValueError(
            f"{name}={listed!r} must list indices of {source}'s {n_channels} "
            f"features (last axis): 0 to {n_channels - 1}."
        )
    index = tuple(i % n_channels for i in index)
    if len(set(index)) != len(index):
        raise ValueError(
            f"{name}={listed!r} lists a feature twice. List each feature once."
        )
    return index


def resolve_features(
    name: str, listed, n_channels: int, columns=None, *, source: str = "X"
) -> tuple[int, ...]:
    """Positions of the ``listed`` features, given by index or by column name.

    The one reader of feature lists (``target_features``, ``future_features``,
    and the same in :func:`backtest`). Integers are positions along the last
    axis; anything else is a column label of ``columns`` (a DataFrame's
    columns, or ``None`` when the features have no names). A ``MultiIndex``
    names its columns by whole tuples, e.g. ``[("sales", "north")]``.

    Parameters
    ----------
    name : str
        The parameter's name, for messages.
    listed : list of int, list of labels, or one of them
        The features.
    n_channels : int
        Features per time step.
    columns : pandas.Index, sequence or None, default=None
        The features' names, in order.
    source : str, default="X"
        What the features belong to, for messages.

    Returns
    -------
    index : tuple of int
        Their positions, each in ``range(n_channels)``, without repeats.
    """
    items = _listed_items(listed, columns)
    if all(_is_position(item) for item in items):
        return feature_index(name, items, n_channels, source=source)
    if columns is None:
        raise ValueError(
            f"{name}={listed!r} names columns, but {source} is not a pandas "
            "DataFrame, so its features have no names. Pass their indices (last "
            f"axis), e.g. {name}=[0], or pass a DataFrame."
        )
    labels = list(columns)
    unknown = [item for item in items if not _is_label_of(item, labels)]
    if unknown:
        hint = ""
        if hasattr(columns, "nlevels") and columns.nlevels > 1:
            hint = (
                f" Its columns have {columns.nlevels} levels: name each by its "
                f"whole tuple, e.g. {name}=[{labels[0]!r}]."
            )
        raise ValueError(
            f"{name}={listed!r} names {unknown}, which are not feature columns of "
            f"{source} ({unknown} are not among {labels}). Pass column names of "
            f"{source}.{hint}"
        )
    return feature_index(
        name,
        [item if _is_position(item) else labels.index(item) for item in items],
        n_channels,
        source=source,
    )


def _listed_items(listed, columns) -> list:
    """The features of ``listed`` as a flat list; a tuple label stays whole."""
    if isinstance(listed, str) or not hasattr(listed, "__iter__"):
        return [listed]
    if isinstance(listed, tuple) and columns is not None:
        if _is_label_of(listed, list(columns)):
            return [listed]
    if isinstance(listed, np.ndarray):
        return listed.ravel().tolist()
    return list(listed)


def _is_label_of(item, labels) -> bool:
    try:
        return item in labels
    except TypeError:  # unhashable or incomparable: not a label
        return False


def _is_position(item) -> bool:
    return isinstance(item, Integral) and not isinstance(item, (bool, np.bool_))


def feature_names_in(X, shapes: WindowShapes):
    """The names of the steps ``predict`` reads, when ``X`` named them, or ``None``."""
    names = _get_feature_names(X)
    return None if names is None else names[: shapes.n_steps_in]


# what a model may be told, or read from the windows a windower cut
ROLES = ("n_future", "target_features", "future_features")


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
