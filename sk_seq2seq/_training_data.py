"""The data of one training run, chosen once by the kind of input.

``fit`` receives either arrays (windows in hand, or joined windows) or the
lazy :class:`Windows` of :meth:`SeriesWindower.fit_transform`. The factory
:func:`training_data` is the one place that tells them apart; both answer
the same small interface, so the estimator follows one path:

- ``shapes`` (:class:`WindowShapes`), ``feature_names`` and ``n_windows``;
- ``series`` and ``time``: each window's series and its start in that
  series, from which :meth:`TrainingData.split` sets the most recent windows
  of *every* series apart (newest last: train | gap | validation | gap |
  calibration);
- :meth:`~TrainingData.fit_scalers`, :meth:`~TrainingData.dataset` (the torch
  dataset skorch trains on) and :meth:`~TrainingData.future` (unscaled
  targets) of any subset of windows.

Windows given as arrays carry no series: they are taken as one series, in
the order given, one step apart (as a windower at stride 1 cuts them), so
their most recent windows are the last rows. Nothing here receives the
estimator: callers pass the numbers.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import torch
from skorch.dataset import Dataset

from ._conformal import window_scales
from ._scaling import fit_scalers, scaled
from ._window_checks import (
    WindowShapes,
    check_training_windows,
    feature_names_in,
    window_roles,
)
from ._window_container import Windows


@dataclasses.dataclass(frozen=True)
class Split:
    """Window numbers of each part of the data (sorted; may be empty).

    ``train`` may be a sample of ``learn``, every window that could train,
    from which the scalers learn.
    """

    train: np.ndarray
    valid: np.ndarray
    calibration: np.ndarray
    learn: np.ndarray


class TrainingData:
    """What a training run needs of its windows; see the module docstring.

    Subclasses set ``shapes``, ``feature_names``, ``series`` and ``time``
    (one entry per window) and ``step`` (time steps between two consecutive
    windows of a series).
    """

    shapes: WindowShapes
    feature_names: np.ndarray | None
    series: np.ndarray
    time: np.ndarray
    step: int

    @property
    def n_windows(self) -> int:
        return len(self.series)

    def split(
        self,
        *,
        calibration: float | None,
        validation: float | None,
        max_train: int | None = None,
        seed: int = 0,
    ) -> Split:
        """The windows that train, validate and calibrate.

        Each series keeps its most recent ``floor(calibration * n)`` windows
        (of its ``n``) for calibration and, before them, the most recent
        ``ceil(validation * m)`` of the ``m`` left for validation. Between the
        parts a gap of the windows whose targets would overlap the next part's
        (``n_future - 1`` steps) is left out, so that no training target is a
        validation or calibration target. A series too short to hold out one
        calibration window, the gap and one training window calibrates
        nothing. Training windows that outnumber ``max_train`` are drawn at
        random with ``seed``, and the validation and calibration windows at
        the same rate: forecasting a tenth of millions of windows would cost
        more than training.

        Raises
        ------
        ValueError
            When ``calibration`` or ``validation`` leave no window to train on.
        """
        gap = math.ceil((self.shapes.n_future - 1) / self.step)
        parts = {"train": [], "valid": [], "calibration": []}
        order = np.lexsort((self.time, self.series))
        starts = np.flatnonzero(np.diff(self.series[order])) + 1
        for windows in np.split(order, starts):
            n_held = math.floor(len(windows) * (calibration or 0))
            if n_held and len(windows) - n_held - gap < 1:
                if len(windows) - 1 - gap >= 1:
                    raise ValueError(
                        f"calibration={calibration} holds {n_held} of a series' "
                        f"{len(windows)} windows out to calibrate, which leaves "
                        "none to train on. Pass a smaller calibration (e.g. 0.1), "
                        "or None to train on every window."
                    )
                n_held = 0  # too short to hold anything out
            rest = windows[: len(windows) - n_held - gap] if n_held else windows
            n_valid = math.ceil(len(rest) * (validation or 0))
            parts["calibration"].append(windows[len(windows) - n_held :][:n_held])
            parts["valid"].append(rest[len(rest) - n_valid :][:n_valid])
            parts["train"].append(
                rest[: max(len(rest) - n_valid - gap, 0)] if n_valid else rest
            )
        train, valid, held = (np.sort(np.concatenate(p)) for p in parts.values())
        if not len(train):
            raise ValueError(
                f"train_split={validation} keeps {len(valid)} of {self.n_windows} "
                f"windows for validation, which leaves {len(train)} to train on. "
                "Pass more windows, or train_split=None to train on all of them."
            )
        learn = train
        if max_train is not None and len(train) > max_train:
            rng = np.random.default_rng(seed)
            # ceil(len(part) * max_train / len(learn)), exactly
            train, valid, held = (
                np.sort(rng.choice(p, -(-len(p) * max_train // len(learn)), False))
                for p in (train, valid, held)
            )
        return Split(train, valid, held, learn)

    def datasets(self, split: Split, x_scaler, y_scaler, series_scale=False):
        """The training and the validation dataset (``None`` if empty).

        ``series_scale``: divide each series' targets by their mean absolute
        value, so that every series weighs alike in the loss (windows of
        arrays are one series: nothing changes).
        """
        valid = None
        if len(split.valid):
            valid = self.dataset(split.valid, x_scaler, y_scaler, series_scale)
        return self.dataset(split.train, x_scaler, y_scaler, series_scale), valid

    def fit_scalers(self, rows: np.ndarray):
        """``(x_scaler, y_scaler)``, ``StandardScaler``s of the windows ``rows``."""
        raise NotImplementedError

    def dataset(
        self, rows: np.ndarray, x_scaler, y_scaler, series_scale=False
    ) -> torch.utils.data.Dataset:
        """The scaled ``(input, target)`` pairs of the windows ``rows``."""
        raise NotImplementedError

    def future(self, rows: np.ndarray) -> np.ndarray:
        """Unscaled targets of the windows ``rows``, ``(n, n_future, n_targets)``."""
        raise NotImplementedError

    def past_targets(self, rows: np.ndarray) -> np.ndarray:
        """Unscaled past targets of the windows ``rows``, ``(n, n_past, n_targets)``."""
        raise NotImplementedError


def training_data(X, y, estimator: str, **said) -> TrainingData:
    """``fit``'s input, checked, as the one data object of its kind.

    ``said`` are the model's ``n_future``, ``target_features`` and
    ``future_features``; windows cut by a windower may say them instead
    (:func:`window_roles`). Lazy windows (joined, ``y=None``) stay views of
    their series; everything else is checked into arrays.
    """
    roles = window_roles(X, y, estimator, **said)
    if isinstance(X, Windows) and y is None:
        return LazyData(X, **roles)
    return ArrayData(X, y, **roles)


def interleaved_series(past: np.ndarray, max_series: int = 64) -> int:
    """How many series the rows of ``past`` interleave, one step apart in each.

    Windows cut at stride 1 from one series follow each other shifted by
    one step: row ``i + 1``'s past is row ``i``'s moved on by a step. Windows
    of ``k`` series stacked time by time (``k`` rows per time step, as the
    long-horizon benchmarks lay out every column as its own series) show
    that shift ``k`` rows apart. The smallest ``k`` (up to ``max_series``)
    for which nine in ten of up to 200 evenly spaced rows show it; 1 when
    none does (independent windows, such as the tutorial's curves).
    ``past`` has shape ``(n_samples, n_past, n_features)``.
    """
    n = len(past)
    if past.shape[1] < 2 or n < 3:
        return 1
    for k in range(1, min(max_series, n - 1) + 1):
        rows = np.unique(np.linspace(0, n - k - 1, min(200, n - k)).astype(int))
        shifted = np.isclose(past[rows + k, :-1], past[rows, 1:], equal_nan=True)
        if shifted.all(axis=(1, 2)).mean() >= 0.9:
            return k
    return 1


class ArrayData(TrainingData):
    """Windows held as arrays: one series in the order given, or interleaved.

    Rows that are windows of ``k`` series stacked time by time
    (:func:`interleaved_series`) are ``k`` series, row ``i`` of series
    ``i % k``: each keeps its own most recent windows apart, and the gap
    before them is wide enough for all ``k``.
    """

    step = 1

    def __init__(self, X, y, *, n_future, target_features, future_features):
        self.past, self.known, self._future, self.shapes = check_training_windows(
            X,
            y,
            n_future=n_future,
            target_features=target_features,
            future_features=future_features,
        )
        self.feature_names = feature_names_in(X, self.shapes)
        k = interleaved_series(self.past)
        self.series = np.arange(len(self.past)) % k
        self.time = np.arange(len(self.past)) // k

    def fit_scalers(self, rows):
        return fit_scalers(
            self.past[rows], self._future[rows], self.shapes.target_index
        )

    def dataset(self, rows, x_scaler, y_scaler, series_scale=False):
        known = None if self.known is None else self.known[rows]
        inputs = net_inputs(self.past[rows], known, x_scaler, self.shapes.future_index)
        return Dataset(inputs, scaled(self._future[rows], y_scaler))

    def future(self, rows):
        return self._future[rows]

    def past_targets(self, rows):
        return self.past[rows][:, :, list(self.shapes.target_index)]


class LazyData(TrainingData):
    """Joined :class:`Windows` of a raw history, cut batch by batch."""

    def __init__(self, windows: Windows, *, n_future, target_features, future_features):
        self.shapes = check_windows(
            windows,
            n_future=n_future,
            target_features=target_features,
            future_features=future_features,
        )
        self.windows = windows
        self.feature_names = None
        self.step = windows._step
        counts = np.diff(windows._first_window)
        self.series = np.repeat(np.arange(len(counts)), counts)
        self.time = np.arange(len(windows)) - windows._first_window[self.series]

    def fit_scalers(self, rows):
        """The statistics the materialised windows would give, without cutting them.

        Every step of a series weighs as many times as a training window's
        past holds it (a difference array, then a running sum).
        """
        values = self.windows._values
        weights = np.zeros(len(values) + 1)
        starts = self.windows._rows(np.asarray(rows, dtype=np.int64))
        np.add.at(weights, starts, 1)
        np.add.at(weights, starts + self.shapes.n_past, -1)
        weights = np.cumsum(weights[:-1])
        held = weights > 0
        return fit_scalers(
            values[held][np.newaxis],
            None,
            self.shapes.target_index,
            sample_weight=weights[held],
        )

    def dataset(self, rows, x_scaler, y_scaler, series_scale=False):
        dataset = WindowDataset(
            self.windows,
            self.shapes.n_past,
            self.shapes.n_future,
            self.shapes.target_index,
            x_scaler,
            y_scaler,
            self.shapes.future_index,
        )
        if series_scale:
            divide_by_series_scale(dataset, self.windows, self.shapes.target_index)
        return torch.utils.data.Subset(dataset, np.asarray(rows))

    def future(self, rows):
        n_past, n_future = self.shapes.n_past, self.shapes.n_future
        return self._targets(rows, np.arange(n_past, n_past + n_future))

    def past_targets(self, rows):
        return self._targets(rows, np.arange(self.shapes.n_past))

    def _targets(self, rows, steps):
        """The targets' values at ``steps`` of the windows ``rows``."""
        starts = self.windows._rows(np.asarray(rows, dtype=np.int64))
        values = self.windows._values[starts[:, np.newaxis] + steps]
        return values[:, :, list(self.shapes.target_index)]


def divide_by_series_scale(dataset, windows: Windows, target_index) -> None:
    """Divide every series' targets in ``dataset`` by their mean absolute value.

    Training then weighs every series alike in the loss, whatever its level;
    a model that normalises each window's targets (level and spread) forecasts
    in the units of its input, so prediction needs no series' scale.
    """
    columns = list(target_index)
    ends = np.append(windows._series_rows[1:], len(windows._values))
    shared = dataset._future is dataset._past
    for start, end in zip(windows._series_rows, ends):
        block = dataset._past[start:end, columns].astype(np.float64)
        scale = np.abs(block).mean(axis=0)
        scale = np.where(scale > 0, scale, 1.0)
        dataset._past[start:end, columns] = block / scale
        if not shared:
            future = dataset._future[start:end].astype(np.float64)
            dataset._future[start:end] = future / scale


def calibration_errors(
    net, data: TrainingData, split: Split, x_scaler, y_scaler, *, asked: bool
):
    """Errors ``y - forecast`` of ``net`` on the calibration windows, and scales.

    Returns the errors ``(n_calibration, n_future, n_targets)`` in the data's
    units, and each window's scale ``(n_calibration, n_targets)`` (see
    :func:`window_scales`; ``None`` when the targets are not past features).
    ``(None, None)`` when no calibration was ``asked`` for. Asked for, but
    with no series long enough to hold a window out, the errors are empty:
    the fitted state says so, whatever ``calibration`` is set to later.
    """
    rows = split.calibration
    if not len(rows) and not asked:
        return None, None
    shapes = data.shapes
    if not len(rows):
        return np.empty((0, shapes.n_future, shapes.n_targets)), None
    return window_residuals(net, data, rows, x_scaler, y_scaler)


def window_residuals(net, data: TrainingData, rows: np.ndarray, x_scaler, y_scaler):
    """Errors ``y - forecast`` of ``net`` on the windows ``rows``, and their scales.

    The errors ``(len(rows), n_future, n_targets)`` in the data's units, and
    each window's scale ``(len(rows), n_targets)`` (:func:`window_scales`;
    ``None`` when the targets are not past features).
    """
    from ._net import forecast

    held = data.dataset(rows, x_scaler, y_scaler)
    residuals = data.future(rows) - forecast(net, held, y_scaler)
    if data.shapes.target_index is None:
        return residuals, None
    return residuals, window_scales(data.past_targets(rows))


def net_inputs(past, known, x_scaler, future_index):
    """The net's input: scaled past windows, and the known future if any.

    ``past`` is ``(n, n_past, n_features)``, ``known`` ``(n, n_future,
    len(future_index))`` or ``None``; known future values are scaled like
    the same features' past.
    """
    past = scaled(past, x_scaler)
    if known is None:
        return past
    if x_scaler is not None:
        index = list(future_index)
        known = (known - x_scaler.mean_[index]) / x_scaler.scale_[index]
    return {"past": past, "future_covariates": scaled(known, None)}


class WindowDataset(torch.utils.data.Dataset):
    """``(past, future)`` float32 tensors of windows, for skorch.

    Holds float32, scaled copies of the series (not of their windows) and
    slices window ``i`` out as item ``i``; a list of indices gives their
    windows stacked, a batch in one indexing (``batch_loader``).
    ``torch.utils.data.Subset`` serves some of the windows.

    Parameters
    ----------
    windows : Windows
        The windows, of ``n_past + n_future`` steps.
    n_past : int
        Leading steps of a window that the model reads.
    n_future : int
        Trailing steps of a window that are the target.
    target_index : sequence of int
        The features whose future is the target.
    x_scaler, y_scaler : StandardScaler or None, default=None
        Scale every feature, and the target features, before slicing.
    future_index : sequence of int, default=()
        Features known in advance: with some, an item's first element is
        ``{"past": past, "future_covariates": known}``, ``known`` being their
        scaled future values ``(n_future, len(future_index))``.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_seq2seq import SeriesWindower
    >>> from sk_seq2seq._training_data import WindowDataset
    >>> windows = SeriesWindower(n_past=3, n_future=2).fit_transform(np.arange(10.0))
    >>> past, future = WindowDataset(windows, 3, 2, [0])[4]
    >>> past.shape, future[:, 0].tolist()
    (torch.Size([3, 1]), [7.0, 8.0])
    """

    def __init__(
        self,
        windows: Windows,
        n_past: int,
        n_future: int,
        target_index,
        x_scaler=None,
        y_scaler=None,
        future_index=(),
    ):
        if n_past + n_future != windows.shape[1]:
            raise ValueError(
                f"n_past + n_future = {n_past} + {n_future}, but the windows have "
                f"{windows.shape[1]} steps. Pass a split of the window's length."
            )
        values = windows._values[np.newaxis]
        self._past = scaled(values, x_scaler)[0]
        if list(target_index) == list(range(values.shape[2])):
            # every feature is a target, in order: fit_scalers then gives the
            # targets the features' statistics, so one copy serves both
            self._future = self._past
        else:
            self._future = scaled(values[:, :, list(target_index)], y_scaler)[0]
        self._window_container = windows
        self._n_past = n_past
        self._n_future = n_future
        self._future_index = list(future_index)

    def __len__(self) -> int:
        return len(self._window_container)

    def __getitem__(self, item):
        rows = self._window_container._rows(np.asarray(item, dtype=np.int64))
        # one window (int) or a batch of them (a list of ints), stacked
        past_steps = rows[..., np.newaxis] + np.arange(self._n_past)
        future_steps = past_steps[..., -1:] + 1 + np.arange(self._n_future)
        past = torch.from_numpy(self._past[past_steps])
        future = torch.from_numpy(self._future[future_steps])
        if not self._future_index:
            return past, future
        # known future values are scaled like the same features' past
        known = self._past[future_steps[..., np.newaxis], self._future_index]
        return {"past": past, "future_covariates": torch.from_numpy(known)}, future


def check_windows(
    windows: Windows, *, n_future: int, target_features, future_features
) -> WindowShapes:
    """The shapes of joined :class:`Windows` given to ``fit`` with ``y=None``.

    Checks one window as the array path checks them all, and every value
    of the series for being finite.
    """
    *_, shapes = check_training_windows(
        windows[:1],
        None,
        n_future=n_future,
        target_features=target_features,
        future_features=future_features,
    )
    values = windows._values
    if not np.isfinite(values).all():
        raise ValueError(
            f"The series hold {int((~np.isfinite(values)).sum())} NaN or infinite "
            "values. The model needs finite values: fill the gaps first (e.g. "
            "interpolate the series)."
        )
    return shapes
