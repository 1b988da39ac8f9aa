"""The data of one training run, chosen once by the kind of input."""

from __future__ import annotations

import copy
import math
from numbers import Real

import numpy as np
import torch

from ._scaling import fit_scalers, scaled
from ._window_checks import WindowShapes, check_training_windows, feature_index
from ._window_container import Windows


class WindowDataset(torch.utils.data.Dataset):
    """``(past, future)`` float32 tensors of windows, for skorch.

    Holds float32, scaled copies of the series (not of their windows) and
    slices window ``i`` out as item ``i``, as torch's ``DataLoader`` asks;
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

    def __getitem__(self, item: int):
        row = int(self._window_container._rows(np.int64(item)))
        split = row + self._n_past
        past = torch.from_numpy(self._past[row:split])
        future = torch.from_numpy(self._future[split : split + self._n_future])
        if not self._future_index:
            return past, future
        # known future values are scaled like the same features' past
        known = self._past[split : split + self._n_future, self._future_index]
        return {"past": past, "future_covariates": torch.from_numpy(known)}, future


def check_windows(
    windows: Windows, *, n_future: int, target_features, future_features
) -> WindowShapes:
    """The shapes of joined :class:`Windows` given to ``fit`` with ``y=None``.

    Checks one window as the array path checks them all, every value of the
    series for being finite, and that the windower that cut them and the
    model agree on the horizon and on the features known in advance.
    """
    if windows.n_future is not None and windows.n_future != n_future:
        raise ValueError(
            f"The windows were cut by SeriesWindower(n_future={windows.n_future}), "
            f"but Seq2SeqRegressor(n_future={n_future}) splits their last "
            f"{n_future} steps off as the target. Set the same n_future in both."
        )
    known = ()
    if future_features is not None:
        known = feature_index("future_features", future_features, windows.shape[2])
    if windows.future_features is not None and windows.future_features != known:
        raise ValueError(
            f"The windows were cut by a SeriesWindower with future_features at "
            f"positions {list(windows.future_features)}, but Seq2SeqRegressor has "
            f"future_features={future_features!r}. Tell both the same features "
            "known in advance (the regressor by position)."
        )
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


def fit_series_scalers(windows: Windows, shapes: WindowShapes, n_train: int):
    """``(x_scaler, y_scaler)`` of the first ``n_train`` windows' pasts.

    The statistics the materialised windows would give, without cutting
    them: every step of a series weighs as many times as a training window's
    past holds it (a difference array per series, then a running sum).
    """
    weights = np.zeros(len(windows._values))
    for series, row in enumerate(windows._series_rows):
        first = windows._first_window[series]
        count = min(windows._first_window[series + 1], n_train) - first
        if count <= 0:
            break
        starts = row + np.arange(count) * windows._step
        weights[starts] += 1
        # starts are distinct, and so are their ends (within the series)
        weights[starts + shapes.n_past] -= 1
    weights = np.cumsum(weights)
    held = weights > 0
    return fit_scalers(
        windows._values[held][np.newaxis],
        None,
        shapes.target_index,
        sample_weight=weights[held],
    )


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


def epoch_windows(n_windows: int, model, max_steps: int) -> int | None:
    """How many windows one epoch of ``model``'s training draws; ``None``: all.

    With the budget in steps (``max_epochs=None``), windows that outnumber
    ``max_steps`` batches are sampled: one epoch is one pass over
    ``max_steps * batch_size`` of them (plus the validation fraction of a
    float ``train_split``), drawn at random without replacement, so that the
    budget is one epoch of ``max_steps`` steps (the model's, resolved).
    """
    if model.max_epochs is not None:
        return None
    n_draw = int(max_steps) * int(model.batch_size)
    if isinstance(model.train_split, Real):
        n_draw = math.ceil(n_draw / (1 - model.train_split))
    return n_draw if n_draw < n_windows else None


def lazy_training_data(
    windows: Windows,
    shapes: WindowShapes,
    x_scaler,
    y_scaler,
    n_train: int,
    n_calibration: int,
    model,
    seed: int,
    max_steps: int,
    series_scale: bool = False,
):
    """``model``'s training and calibration data on ``windows``, lazily.

    ``model`` is the :class:`Seq2SeqRegressor` being fitted. As for arrays,
    the first ``n_train`` windows train and the last ``n_calibration``
    calibrate. Training windows that outnumber the budget are sampled as
    :func:`epoch_windows` says, and the calibration windows then at the same
    rate, drawn with ``seed``: forecasting a tenth of 7.7 million windows
    would cost more than training.

    Returns
    -------
    train : torch.utils.data.Subset of WindowDataset
        The training windows, (input, target) pairs.
    future : None
        The targets are in ``train`` (as the array path returns them apart).
    calibration : tuple (Subset of WindowDataset, ndarray) or None
        The calibration windows' inputs and their true futures, unscaled,
        ``(n, n_future, n_targets)``; ``None`` without calibration.
    """
    rng = np.random.default_rng(seed)
    train = range(n_train)
    calibration = range(len(windows) - n_calibration, len(windows))
    n_draw = epoch_windows(n_train, model, max_steps)
    if n_draw is not None:
        train = rng.choice(n_train, size=n_draw, replace=False)
        n_kept = max(1, math.ceil(n_calibration * n_draw / n_train))
        calibration = calibration.start + rng.choice(
            n_calibration, size=min(n_kept, n_calibration), replace=False
        )
    dataset = WindowDataset(
        windows,
        shapes.n_past,
        shapes.n_future,
        shapes.target_index,
        x_scaler,
        y_scaler,
        shapes.future_index,
    )
    calibration_set = dataset
    if series_scale:
        # calibration forecasts must come out in the data's units: a copy
        dataset = copy.copy(dataset)
        dataset._past = dataset._past.copy()
        if calibration_set._future is not calibration_set._past:
            dataset._future = dataset._future.copy()
        else:
            dataset._future = dataset._past
        divide_by_series_scale(dataset, windows, shapes.target_index)
    train_set = torch.utils.data.Subset(dataset, train)
    if not n_calibration:
        return train_set, None, None
    rows = windows._rows(np.asarray(calibration, dtype=np.int64))
    steps = np.arange(shapes.n_past, shapes.n_past + shapes.n_future)
    future = windows._values[rows[:, np.newaxis] + steps][
        :, :, list(shapes.target_index)
    ]
    return (
        train_set,
        None,
        (torch.utils.data.Subset(calibration_set, calibration), future),
    )
