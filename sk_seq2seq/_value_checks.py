"""Shape conventions shared by the public estimators."""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping, Set

import numpy as np
from scipy import sparse
from sklearn.utils.validation import check_array

SHAPE = "(n_samples, n_timesteps, n_features)"
# numpy arrays hold at most 64 dimensions; deeper nesting is never an array
MAX_DEPTH = 64
_TIME_TYPES = (datetime.date, datetime.timedelta, np.datetime64, np.timedelta64)
_MISSING_TYPES = ("NAType", "NaTType")


def check_values(
    X, *, input_name: str, allow_nan: bool = False, **check_array_params
) -> np.ndarray:
    """``check_array`` whose errors say what was wrong and how to fix it.

    The happy path is scikit-learn's ``check_array`` (``check_array_params``
    passed on); its errors for ragged, scalar, sparse, complex or text input,
    and for NaN or infinite values, are replaced by messages that also give the
    fix. Masked values (``numpy.ma``) are refused as missing, and dates or
    durations (``datetime64``, ``timedelta64``) as not numbers, where
    ``check_array`` would read them silently. All are ``ValueError``, chained
    to scikit-learn's error where there is one. ``allow_nan=True`` lets NaN
    (and ``pd.NA``) through, for callers that check where it may be.
    """
    _refuse_dates(X, input_name)
    _refuse_text(X, input_name)
    if np.ma.isMaskedArray(X):
        masked = np.ma.getmaskarray(X)
        if masked.any():
            raise ValueError(
                _missing(input_name, "masked values", masked)
                + f" The model does not read masks: fill the masked values "
                f"first (e.g. {input_name}.filled(np.nan), then interpolate) or "
                "drop the samples that hold them."
            )
        X = np.ma.getdata(X)
    try:
        array = check_array(
            X, input_name=input_name, ensure_all_finite=False, **check_array_params
        )
    except (TypeError, ValueError) as error:
        problem = _diagnose(
            X, input_name, ensure_2d=check_array_params.get("ensure_2d", True)
        )
        if problem is None:
            raise
        raise ValueError(problem) from error
    if array.dtype.kind in "mM":
        raise ValueError(_dates_message(input_name, array.dtype))
    if array.dtype.kind == "O":
        # check_array leaves pandas categoricals as objects, even for "numeric"
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError) as error:
            raise ValueError(_diagnose(array, input_name) or str(error)) from error
    if array.dtype.kind in "fc" and not np.isfinite(array).all():
        nan = np.isnan(array)
        if nan.any() and not allow_nan:
            raise ValueError(_missing(input_name, "NaN", nan) + _FILL_GAPS)
        infinite = ~np.isfinite(array) & ~nan
        if infinite.any():
            raise ValueError(_missing(input_name, "infinity", infinite) + _FILL_GAPS)
    return array


_FILL_GAPS = (
    " The model needs finite values: fill the gaps first (e.g. interpolate the "
    "series) or drop the samples that hold them."
)


def _missing(input_name: str, what: str, bad: np.ndarray) -> str:
    """Where the bad values are: how many, and the index of the first."""
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    return (
        f"Input {input_name} contains {what} ({int(bad.sum())} of {bad.size} "
        f"values, the first at index {first})."
    )


def _refuse_dates(X, input_name: str) -> None:
    """Dates and durations are not values: ``check_array`` would cast them."""
    if hasattr(X, "columns") and hasattr(X, "dtypes"):  # a pandas DataFrame
        dtypes = list(X.dtypes)
    else:
        dtypes = [getattr(X, "dtype", None)]
    for dtype in dtypes:
        if getattr(dtype, "kind", None) in ("m", "M"):
            raise ValueError(_dates_message(input_name, dtype))


def _dates_message(input_name: str, dtype) -> str:
    what = f"dtype {dtype}" if not isinstance(dtype, str) else dtype
    return (
        f"{input_name} holds dates or durations ({what}), but must hold "
        "numbers. Time stamps belong in the index of a pandas history (e.g. "
        "history.set_index('date')), not among its values; convert durations "
        f"to numbers first, e.g. {input_name} / np.timedelta64(1, 'D')."
    )


def _refuse_text(X, input_name: str) -> None:
    """Text is refused even where a float dtype would read "0.5" as a number.

    ``check_array(X, dtype=float)`` converts text that spells numbers
    silently; the windows are refused as text everywhere instead, with the
    fix (convert them first), as ``dtype="numeric"`` refuses them.
    """
    if isinstance(X, (list, tuple)):
        try:
            X = np.asarray(X)
        except (TypeError, ValueError):
            return  # ragged: check_array names it
    if isinstance(X, np.ndarray) and X.dtype.kind in "US" and X.size:
        raise ValueError(_diagnose(X, input_name))


def _diagnose(X, input_name: str, *, ensure_2d: bool = True) -> str | None:
    """What is wrong with input that ``check_array`` refused, and the fix."""
    container = _diagnose_container(X, input_name)
    if container is not None:
        return container
    try:
        array = np.asarray(X)
    except (TypeError, ValueError):
        return _diagnose_nesting(X, input_name)
    if array.dtype.kind == "c":
        return (
            f"Complex data not supported: {input_name} has dtype {array.dtype}. "
            f"Pass real values, e.g. {input_name}.real or abs({input_name})."
        )
    if array.dtype.kind == "O":
        missing = np.vectorize(_is_missing, otypes=[bool])(array)
        if missing.any():
            return _missing(input_name, "pd.NA or NaT", missing) + _FILL_GAPS
        stamp = next((v for v in array.ravel() if _is_time(v)), None)
        if stamp is not None:
            return _dates_message(input_name, f"e.g. {stamp!r:.40}")
    text = []
    if array.dtype.kind in "SUO":
        text = [v for v in array.ravel() if isinstance(v, (str, bytes))]
    if text or array.dtype.kind in "SU":
        words = [v for v in text if not _spells_number(v)] or text
        what = f"e.g. {str(words[0])!r:.40}" if words else f"dtype {array.dtype}"
        return (
            f"{input_name} holds text ({what}), but must hold numbers. "
            f"Convert it first, e.g. np.asarray({input_name}, dtype=float) when "
            "the text spells numbers."
        )
    if array.ndim == 0:
        return (
            f"{input_name} is a scalar ({array!r:.60}), but must be an array of "
            f"shape {SHAPE}. Wrap the values in an array of that shape."
        )
    if array.shape[0] == 0:
        return (
            f"{input_name} is empty: its shape {array.shape} holds no samples. Pass "
            "at least one window (or series)."
        )
    if array.ndim >= 2 and array.shape[1] == 0:
        return (
            f"{input_name} has shape {array.shape}: it needs at least one time "
            f"step. Pass an array of shape {SHAPE} with n_timesteps >= 1. "
            # scikit-learn's own words, which its estimator checks look for
            f"(Found array with 0 feature(s) (shape={array.shape}) while a "
            "minimum of 1 is required.)"
        )
    if array.ndim == 1 and ensure_2d:
        return (
            f"Expected 2D array, got 1D array instead: {input_name} has shape "
            f"{array.shape}, but must be an array of shape {SHAPE} or (n_samples, "
            f"n_timesteps). Reshape your data: {input_name}.reshape(1, -1) for one "
            f"window of {array.shape[0]} steps, or {input_name}.reshape(-1, 1) for "
            f"{array.shape[0]} windows of one step."
        )
    return None


def _diagnose_container(X, input_name: str) -> str | None:
    """Containers that are not arrays: numpy would make them 0-d objects."""
    fix = f"Pass an array of shape {SHAPE}"
    if X is None:
        return f"{input_name} is None, but must be an array of shape {SHAPE}."
    if sparse.issparse(X):
        return (
            f"{input_name} is a sparse matrix ({type(X).__name__}), but the model "
            f"needs a dense array of shape {SHAPE}. Convert it first: "
            f"{input_name}.toarray()."
        )
    if isinstance(X, Mapping):
        return (
            f"{input_name} is a {type(X).__name__}, but must be an array of shape "
            f"{SHAPE}. {fix}, e.g. np.asarray(list({input_name}.values())) for a "
            "dict of equal-length sequences."
        )
    if isinstance(X, Set):
        return (
            f"{input_name} is a {type(X).__name__}, which has no order, but must "
            f"be an array of shape {SHAPE}. {fix}: a list or array keeps the order."
        )
    if isinstance(X, Iterator):
        return (
            f"{input_name} is an iterator ({type(X).__name__}), which can be read "
            f"only once and has no length, but must be an array of shape {SHAPE}. "
            f"{fix}, e.g. np.asarray(list({input_name}))."
        )
    return None


def _diagnose_nesting(X, input_name: str) -> str:
    """Nested sequences that numpy cannot make into an array: say where."""
    level = [X]
    for axis in range(MAX_DEPTH + 1):
        sequences = [item for item in level if _is_sequence(item)]
        if not sequences:
            break
        if len(sequences) < len(level):
            return (
                f"{input_name} is ragged: it mixes numbers and sequences along "
                f"axis {axis}. Pass a rectangular array of shape {SHAPE}."
            )
        lengths = sorted({len(item) for item in sequences})
        if len(lengths) > 1:
            return _ragged_message(input_name, axis, lengths)
        level = [sub for item in sequences for sub in item]
    else:
        return (
            f"{input_name} is nested more than {MAX_DEPTH} levels deep, deeper "
            f"than any array, but must be an array of shape {SHAPE} (3 axes). "
            "Check how it was built."
        )
    return (
        f"{input_name} could not be read as an array of numbers. Pass an array "
        f"of shape {SHAPE}."
    )


def _ragged_message(input_name: str, axis: int, lengths) -> str:
    few = _join(lengths[:5])
    if axis == 2:
        return (
            f"{input_name} has different numbers of features along axis 2 "
            f"({few}), though every item has the same number of time steps. "
            "Pass the same features at every time step of every series, e.g. "
            "drop or fill the features some series lack."
        )
    what = " (time steps)" if axis == 1 else ""
    return (
        f"{input_name} is ragged: its nested sequences have different lengths "
        f"along axis {axis}{what}: {few}. Pass a rectangular array of shape "
        f"{SHAPE}, e.g. windows cut or padded to one length."
    )


def _join(values) -> str:
    words = [str(value) for value in values]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _is_missing(value) -> bool:
    return type(value).__name__ in _MISSING_TYPES


def _is_time(value) -> bool:
    return isinstance(value, _TIME_TYPES) or type(value).__name__ == "Period"


def _is_sequence(item) -> bool:
    return isinstance(item, (list, tuple)) or (
        isinstance(item, np.ndarray) and item.ndim > 0
    )


def _spells_number(text) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def as_3d(
    array: np.ndarray, *, one_d: str, input_name: str | None = None
) -> np.ndarray:
    """View a checked array as ``(n_samples, n_timesteps, n_features)``.

    ``one_d`` says what a 1-D array is: ``"series"``, one univariate series
    ``(n_timesteps,) -> (1, n_timesteps, 1)``, or ``"samples"``, one value per
    sample ``(n_samples,) -> (n_samples, 1, 1)``. 2-D arrays are univariate:
    ``(n_samples, n_timesteps) -> (n_samples, n_timesteps, 1)``. An array of
    more dimensions is refused, naming ``input_name`` when given.
    """
    if array.ndim == 1:
        return array.reshape((1, -1, 1) if one_d == "series" else (-1, 1, 1))
    if array.ndim == 2:
        return array[:, :, np.newaxis]
    if array.ndim == 3:
        return array
    which = f"{input_name} has" if input_name else "got"
    raise ValueError(
        f"Expected an array of shape (n_samples, n_timesteps, n_features) or "
        f"(n_samples, n_timesteps), {which} {array.ndim} dimensions with shape "
        f"{array.shape}. Reshape it, e.g. to (n_samples, n_timesteps, n_features)."
    )
