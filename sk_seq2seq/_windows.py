"""Training windows that stay views of their series until a batch is drawn.

A history of 300 series of 26,000 steps holds 7.8 million values (62 MB), but
its 7.7 million windows of 432 steps would hold 3.3 billion (24.7 GiB).
:class:`Windows` is what :meth:`SeriesWindower.fit_transform` returns: it keeps
the series and computes a window's values only when it is indexed.
:class:`WindowDataset` serves ``(past, future)`` pairs of those windows to
skorch one at a time, and the functions below are the lazy path of
:meth:`Seq2SeqRegressor.fit` on such windows.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np
import torch

from ._scaling import fit_scalers, scaled
from ._window_shapes import WindowShapes, check_training_windows, feature_index

# windows gathered per chunk when many are materialised, so that the index
# array stays small beside the result
CHUNK = 4096


class Windows:
    """Read-only, lazy array of every window of some series.

    Behaves like the ndarray of shape ``(n_windows, length, n_features)``
    that stacks every window of ``length`` consecutive steps, starting every
    ``step`` steps, series after series (no window crosses two series), but
    holds only the series: indexing computes the windows asked for, and
    ``numpy.asarray(windows)`` computes all of them.

    Parameters
    ----------
    series : list of ndarray of shape (n_series, n_timesteps, n_features)
        Validated series, in groups of equal length; every group has the
        same ``n_features``. Series that are not float become float64.
    length : int
        Time steps per window.
    step : int, default=1
        Stride between the starts of two consecutive windows of a series.
    n_future : int or None, default=None
        The horizon the windows were cut for (the windower's ``n_future``),
        which a model fitted on them checks against its own; ``None``: not
        said.
    future_features : tuple of int or None, default=None
        The features the windower was told are known in advance, which a
        model fitted on them checks against its own ``future_features``;
        ``None``: not said.

    Attributes
    ----------
    shape : tuple of int
        ``(n_windows, length, n_features)``.
    ndim : int
        3.
    dtype : numpy.dtype
        The series' float dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from sk_seq2seq import SeriesWindower
    >>> windows = SeriesWindower(n_past=3, n_future=2).fit_transform(np.arange(10.0))
    >>> windows
    <Windows of shape (6, 5, 1), float64, from 1 series: 240 B if materialised; \
index some, e.g. windows[:256], to get them as an ndarray>
    >>> windows[1:3, :, 0]
    array([[1., 2., 3., 4., 5.],
           [2., 3., 4., 5., 6.]])
    >>> np.asarray(windows).shape
    (6, 5, 1)
    """

    def __init__(
        self,
        series: list[np.ndarray],
        length: int,
        *,
        step: int = 1,
        n_future: int | None = None,
        future_features: tuple[int, ...] | None = None,
    ):
        self.n_future = n_future
        self.future_features = (
            None if future_features is None else tuple(future_features)
        )
        n_features = series[0].shape[2]
        dtype = np.result_type(*series)
        if dtype.kind != "f":
            dtype = np.dtype(np.float64)
        # one (n_total_steps, n_features) block: a view of a single
        # contiguous group, else a copy of the history (never of its windows)
        flat = [
            np.asarray(group, dtype=dtype).reshape(-1, n_features) for group in series
        ]
        self._values = flat[0] if len(flat) == 1 else np.concatenate(flat)
        lengths = np.concatenate(
            [np.full(group.shape[0], group.shape[1]) for group in series]
        ).astype(np.int64)
        self._series_rows = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        counts = (lengths - length) // step + 1
        self._first_window = np.concatenate([[0], np.cumsum(counts)])
        self._length = int(length)
        self._step = int(step)

    @property
    def shape(self) -> tuple[int, int, int]:
        return (int(self._first_window[-1]), self._length, self._values.shape[1])

    @property
    def ndim(self) -> int:
        return 3

    @property
    def dtype(self) -> np.dtype:
        return self._values.dtype

    @property
    def n_series(self) -> int:
        """Number of series the windows are cut from."""
        return len(self._series_rows)

    def __len__(self) -> int:
        return self.shape[0]

    def __repr__(self) -> str:
        size = math.prod(self.shape) * self.dtype.itemsize
        return (
            f"<Windows of shape {self.shape}, {self.dtype}, from {self.n_series} "
            f"series: {_in_bytes(size)} if materialised; index some, e.g. "
            "windows[:256], to get them as an ndarray>"
        )

    def __getitem__(self, key) -> np.ndarray:
        rest = ()
        if isinstance(key, tuple):
            key, rest = (key[0], key[1:]) if key else (slice(None), ())
        if key is Ellipsis:
            key, rest = slice(None), (Ellipsis, *rest)
        if isinstance(key, (Integral, np.integer)) and not isinstance(key, bool):
            windows = self._gather(self._positions(np.asarray([key])))[0]
            return windows[rest] if rest else windows
        if isinstance(key, slice):
            positions = np.arange(*key.indices(len(self)))
        else:
            positions = self._positions(np.asarray(key))
        windows = self._gather(positions.ravel()).reshape(
            positions.shape + self.shape[1:]
        )
        if not rest:
            return windows
        return windows[(slice(None),) * positions.ndim + rest]

    def __setitem__(self, key, value):
        # as numpy says for a read-only array: nothing reaches the series
        raise ValueError(
            "Windows are read-only: they are computed from the series. Write "
            "into a copy, e.g. np.array(windows[:256])."
        )

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        if copy is False:
            raise ValueError(
                "Windows cannot become an array without copying: its windows "
                "are computed from the series. Use np.asarray(windows) (copies)."
            )
        windows = self[:]
        return windows if dtype is None else windows.astype(dtype, copy=False)

    def copy(self) -> np.ndarray:
        """Every window, computed, as a new writable ndarray (as ``ndarray.copy``)."""
        return np.array(self)

    def _positions(self, key: np.ndarray) -> np.ndarray:
        """Window numbers of an integer or boolean index, checked."""
        n_windows = len(self)
        if key.dtype == bool:
            if key.shape != (n_windows,):
                raise IndexError(
                    f"A boolean index of Windows must have shape ({n_windows},), "
                    f"got {key.shape}."
                )
            return np.flatnonzero(key)
        if key.size == 0:
            return key.astype(np.int64)
        if key.dtype.kind not in "iu":
            raise IndexError(
                "Windows are indexed by integers, slices, integer arrays or "
                f"boolean masks, not {key.dtype} values."
            )
        if key.min() < -n_windows or key.max() >= n_windows:
            raise IndexError(
                f"Window index out of range: there are {n_windows} windows."
            )
        return np.where(key < 0, key + n_windows, key).astype(np.int64)

    def _rows(self, positions: np.ndarray) -> np.ndarray:
        """Row of ``_values`` where each window (numbered as in ``self``) starts."""
        series = np.searchsorted(self._first_window, positions, side="right") - 1
        return (
            self._series_rows[series]
            + (positions - self._first_window[series]) * self._step
        )

    def _gather(self, positions: np.ndarray) -> np.ndarray:
        """Copies of the windows ``positions``, ``(n, length, n_features)``."""
        windows = np.empty((len(positions),) + self.shape[1:], dtype=self.dtype)
        steps = np.arange(self._length)
        for begin in range(0, len(positions), CHUNK):
            rows = self._rows(positions[begin : begin + CHUNK])
            np.take(
                self._values,
                rows[:, np.newaxis] + steps,
                axis=0,
                out=windows[begin : begin + CHUNK],
            )
        return windows


def _in_bytes(size: float) -> str:
    for unit in ("B", "KiB", "MiB"):
        if size < 1024:
            return f"{size:.4g} {unit}"
        size /= 1024
    return f"{size:,.1f} GiB"


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
    >>> from sk_seq2seq._windows import WindowDataset
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
        self._windows = windows
        self._n_past = n_past
        self._n_future = n_future
        self._future_index = list(future_index)

    def __len__(self) -> int:
        return len(self._windows)

    def __getitem__(self, item: int):
        row = int(self._windows._rows(np.int64(item)))
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
    train_set = torch.utils.data.Subset(dataset, train)
    if not n_calibration:
        return train_set, None, None
    rows = windows._rows(np.asarray(calibration, dtype=np.int64))
    steps = np.arange(shapes.n_past, shapes.n_past + shapes.n_future)
    future = windows._values[rows[:, np.newaxis] + steps][
        :, :, list(shapes.target_index)
    ]
    return train_set, None, (torch.utils.data.Subset(dataset, calibration), future)
