"""Training windows that stay views of their series until a batch is drawn.

A history of 300 series of 26,000 steps holds 7.8 million values (62 MB), but
its 7.7 million windows of 432 steps would hold 3.3 billion (24.7 GiB).
:class:`Windows` is what :meth:`SeriesWindower.fit_transform` returns: it keeps
the series and computes a window's values only when it is indexed. It is
numpy only: the torch side of training on it is in ``_training_data``.
"""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np

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
    target_features : tuple of int or None, default=None
        The features the windower was told are forecast, as positions;
        ``None``: not said.

    Notes
    -----
    The settings (``n_future``, ``target_features``, ``future_features``) are
    attributes of the whole: indexing returns plain ndarrays, which carry none
    of them. Cross-validation over windows (``cross_val_score(model,
    windows)``) slices them so, and the model then reads the settings it was
    told itself; cross-validating a ``Pipeline`` of windower and model over
    the raw history keeps them, since every fold windows its own history.

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
        target_features: tuple[int, ...] | None = None,
    ):
        self.n_future = n_future
        self.future_features = (
            None if future_features is None else tuple(future_features)
        )
        self.target_features = (
            None if target_features is None else tuple(target_features)
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
