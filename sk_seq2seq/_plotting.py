"""The tutorial's two figures: loss curves, and predictions against the future."""

from __future__ import annotations

from numbers import Integral
from typing import TYPE_CHECKING

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_array, check_is_fitted

from ._value_checks import as_3d

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def plot_loss_curves(model, *, ax: Axes | None = None, log: bool = True) -> Axes:
    """Plot the training loss per epoch and, if kept, the validation loss.

    The curves are read from the model's ``history_`` (skorch's record of
    training): ``train_loss`` always, ``valid_loss`` when the model was
    trained with a validation split (``train_split=0.2``, for example). The
    training loss includes the weight penalty ``alpha``; the validation loss
    does not.

    Epochs that training did not finish (an interrupted fit) are left out.
    ``matplotlib`` is imported only when a figure is drawn.

    Parameters
    ----------
    model : Seq2SeqRegressor or Pipeline
        A fitted model, or a fitted pipeline that ends with one.
    ax : matplotlib Axes or None, default=None
        Where to draw; ``None`` draws on a new figure.
    log : bool, default=True
        Use a logarithmic loss axis.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on: one line per loss, a title, axis labels and a legend.

    See Also
    --------
    plot_predictions : The other figure of the tutorial.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sk_seq2seq import Seq2SeqRegressor, make_sine_cosine, plot_loss_curves
    >>> series = make_sine_cosine(200, 30, random_state=0)
    >>> X, y = series[:, :15], series[:, 15:]
    >>> model = Seq2SeqRegressor(max_epochs=3, train_split=0.2, random_state=0)
    >>> ax = plot_loss_curves(model.fit(X, y))
    >>> [line.get_label() for line in ax.lines]
    ['training', 'validation']
    >>> ax.get_yscale()
    'log'
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator, NullFormatter, ScalarFormatter

    history = _training_history(model)
    epochs = [row["epoch"] for row in history]
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    losses = [("training", np.array([row["train_loss"] for row in history]))]
    if all("valid_loss" in row for row in history):
        losses.append(("validation", np.array([row["valid_loss"] for row in history])))
    for label, loss in losses:
        ax.plot(epochs, loss, "o-", markersize=3, label=label)
    if log:
        ax.set_yscale("log")
        values = np.concatenate([loss for _, loss in losses])
        if values.max() < 10 * values.min():
            # within one decade, log ticks would leave most of the axis bare
            ax.yaxis.set_major_locator(MaxNLocator(nbins=6))
            ax.yaxis.set_major_formatter(ScalarFormatter())
            ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_title("Loss per epoch")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss (sum of per-step MSEs)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    return ax


def plot_predictions(
    past,
    future,
    predicted,
    *,
    n_examples: int = 5,
    axes=None,
    interval=None,
) -> np.ndarray:
    """Plot the past, the true future and the predicted future of some windows.

    One subplot per window (the first ``n_examples``): the past (``o--``), then
    the true future (``x--``, unless ``future`` is ``None``) and the predicted
    future (``o--``) on the steps that follow it, on one time axis, and the
    prediction interval as a band when given one. Each feature gets its own
    pair of colours. For dated forecasts of a history, see
    :func:`plot_forecast`.

    Parameters
    ----------
    past : array-like of shape (n_samples, n_past, n_features) or \
            (n_samples, n_past)
        The past windows the model read.
    future : array-like of shape (n_samples, n_future, n_features) or \
            (n_samples, n_future), or None
        The true futures; ``None`` for a real forecast, whose future is not
        known yet.
    predicted : array-like of shape (n_samples, n_future, n_features) or \
            (n_samples, n_future)
        The forecasts, e.g. ``model.predict(past)``.
    n_examples : int, default=5
        Windows to draw (at most ``n_samples``).
    axes : array-like of matplotlib Axes or None, default=None
        Where to draw, one axes per window; ``None`` stacks new subplots in a
        new figure.
    interval : tuple (lower, upper) of array-likes or None, default=None
        Bounds of prediction intervals, each shaped like ``predicted``, e.g.
        ``model.predict_interval(past, coverage=0.9)``: drawn as a shaded
        band around the forecast.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_shown,)
        The axes drawn on, ``n_shown = min(n_examples, n_samples)``; each has
        three lines per feature (two without ``future``), a title and axis
        labels (axes that share the time axis leave its label to the last),
        the first a legend.

    See Also
    --------
    plot_loss_curves : The other figure of the tutorial.
    plot_forecast : A history's tail and its dated forecast.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sk_seq2seq import make_sine_cosine, plot_predictions
    >>> series = make_sine_cosine(10, 30, random_state=0)
    >>> past, future = series[:, :15], series[:, 15:]
    >>> axes = plot_predictions(past, future, 0.9 * future, n_examples=3)
    >>> axes.shape
    (3,)
    >>> [line.get_label() for line in axes[0].lines]
    ['past', 'true future', 'predicted future']
    >>> band = (0.8 * future, 1.1 * future)
    >>> axes = plot_predictions(past, future, 0.9 * future, interval=band)
    >>> [patch.get_label() for patch in axes[0].collections]
    ['interval']
    >>> axes = plot_predictions(past, None, 0.9 * future, n_examples=1)
    >>> [line.get_label() for line in axes[0].lines]
    ['past', 'predicted future']
    """
    import matplotlib.pyplot as plt

    past = _check_windows(past, "past")
    predicted = _check_windows(predicted, "predicted")
    if future is not None:
        future = _check_windows(future, "future")
        if not len(past) == len(future) == len(predicted):
            raise ValueError(
                f"past, future and predicted hold {len(past)}, {len(future)} and "
                f"{len(predicted)} windows. Pass the same windows to all three."
            )
        if future.shape != predicted.shape:
            raise ValueError(
                f"future has shape {future.shape} but predicted has shape "
                f"{predicted.shape}. Pass forecasts of the same horizon and "
                "features."
            )
    if len(past) != len(predicted):
        raise ValueError(
            f"past and predicted hold {len(past)} and {len(predicted)} windows. "
            "Pass the forecasts of the same windows."
        )
    if past.shape[2] != predicted.shape[2]:
        raise ValueError(
            f"past has {past.shape[2]} features per step but predicted has "
            f"{predicted.shape[2]}. Pass the past of the forecast features only."
        )
    lower = upper = None
    if interval is not None:
        if not isinstance(interval, (tuple, list)) or len(interval) != 2:
            raise ValueError(
                "interval must be a pair (lower, upper) of bounds shaped like "
                "predicted, e.g. model.predict_interval(past, coverage=0.9)."
            )
        lower = _check_windows(interval[0], "lower")
        upper = _check_windows(interval[1], "upper")
        if not lower.shape == upper.shape == predicted.shape:
            raise ValueError(
                f"The interval's bounds have shapes {lower.shape} and "
                f"{upper.shape}, but predicted has shape {predicted.shape}. Pass "
                "bounds of the same windows, horizon and features."
            )
    if not isinstance(n_examples, Integral) or n_examples < 1:
        raise ValueError(
            f"n_examples must be a positive integer, got {n_examples!r}. Pass "
            "e.g. n_examples=5."
        )
    n_shown = min(n_examples, len(past))
    if axes is None:
        _, axes = plt.subplots(
            n_shown,
            1,
            sharex=True,
            squeeze=False,
            figsize=(8, 1.9 * n_shown + 0.6),
            layout="constrained",
        )
    axes = np.asarray(axes, dtype=object).ravel()
    if len(axes) < n_shown:
        raise ValueError(
            f"axes holds {len(axes)} axes, but {n_shown} windows are to be "
            f"drawn. Pass at least {n_shown} axes or n_examples={len(axes)}."
        )
    axes = axes[:n_shown]

    n_past, n_future, n_features = past.shape[1], predicted.shape[1], past.shape[2]
    past_steps = np.arange(n_past)
    future_steps = np.arange(n_past, n_past + n_future)
    for example, ax in enumerate(axes):
        for feature in range(n_features):
            suffix = "" if n_features == 1 else f" [{feature}]"
            true_colour, predicted_colour = f"C{2 * feature}", f"C{2 * feature + 1}"
            lines = [
                (past_steps, past, "o--", true_colour, 4, "past"),
                (future_steps, future, "x--", true_colour, None, "true future"),
                (
                    future_steps,
                    predicted,
                    "o--",
                    predicted_colour,
                    4,
                    "predicted future",
                ),
            ]
            for steps, values, style, colour, size, label in lines:
                if values is not None:
                    ax.plot(
                        steps,
                        values[example, :, feature],
                        style,
                        color=colour,
                        markersize=size,
                        label=label + suffix,
                    )
            if lower is not None:
                ax.fill_between(
                    future_steps,
                    lower[example, :, feature],
                    upper[example, :, feature],
                    color=predicted_colour,
                    alpha=0.2,
                    linewidth=0,
                    label="interval" + suffix,
                )
        title = "Predictions vs. future" if future is not None else "Forecast"
        ax.set_title(f"{title}: example {example}", fontsize="medium")
        # stacked axes sharing the time axis need its label only once, below
        if ax is axes[-1] or not ax.get_shared_x_axes().joined(ax, axes[-1]):
            ax.set_xlabel("time step")
        ax.set_ylabel("value")
        ax.grid(True, alpha=0.3)
    axes[0].legend(fontsize="small", ncols=3)
    return axes


def plot_forecast(history, frame, *, n_steps=None, n_series: int = 5, axes=None):
    """Plot each series' recent history and its forecast, on its own time axis.

    Draws, for the first ``n_series`` series of a forecast frame, the last
    ``n_steps`` of the history (``o-``), the forecast (``o--``) and, when the
    frame holds bounds, the interval as a band; dates on the x axis when the
    history has them. No true future is needed.

    Parameters
    ----------
    history : DataFrame, Series, array-like or list of series
        The history that was forecast, as passed to :func:`forecast`.
    frame : pandas.DataFrame
        What :func:`forecast` returned for it (it says which columns hold
        ids, time stamps, targets and bounds).
    n_steps : int or None, default=None
        Steps of history to draw before the forecast; ``None``: three times
        the horizon.
    n_series : int, default=5
        Series to draw, at most.
    axes : array-like of matplotlib Axes or None, default=None
        One axes per series; ``None`` stacks new subplots in a new figure.

    Returns
    -------
    axes : ndarray of matplotlib Axes of shape (n_shown,)
        One per series drawn, each with a history and a forecast line per
        target (and a band per target with bounds), a title and a legend.

    See Also
    --------
    forecast : The forecast frame.
    plot_predictions : Windows, their forecasts and (if known) true futures.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np, pandas as pd
    >>> from sklearn.pipeline import make_pipeline
    >>> from sk_seq2seq import NaiveForecaster, SeriesWindower, forecast
    >>> from sk_seq2seq import plot_forecast
    >>> history = pd.Series(np.sin(np.arange(60) / 3), name="load",
    ...                     index=pd.date_range("2024-01-01", periods=60, freq="h"))
    >>> pipe = make_pipeline(SeriesWindower(12, 6), NaiveForecaster("mean"))
    >>> pipe = pipe.fit(history)
    >>> axes = plot_forecast(history, forecast(pipe, history, coverage=0.8))
    >>> [line.get_label() for line in axes[0].lines]
    ['load', 'load forecast']
    """
    import matplotlib.pyplot as plt
    import pandas as pd

    meta = getattr(frame, "attrs", {}).get("sk_seq2seq")
    if not isinstance(frame, pd.DataFrame) or meta is None:
        raise ValueError(
            "frame must be the DataFrame that forecast(pipeline, history) "
            "returned: it says which of its columns hold ids, time stamps and "
            "targets. For windows and arrays, use plot_predictions(past, None, "
            "forecast)."
        )
    if not isinstance(n_series, Integral) or n_series < 1:
        raise ValueError(f"n_series must be a positive integer, got {n_series!r}.")
    id_name, time_name = meta["id_column"], meta["time_column"]
    ids = list(pd.unique(frame[id_name])) if id_name is not None else [None]
    ids = ids[:n_series]
    if axes is None:
        _, axes = plt.subplots(
            len(ids),
            1,
            squeeze=False,
            figsize=(8, 2.4 * len(ids) + 0.6),
            layout="constrained",
        )
    axes = np.asarray(axes, dtype=object).ravel()
    if len(axes) < len(ids):
        raise ValueError(
            f"axes holds {len(axes)} axes, but {len(ids)} series are to be drawn. "
            f"Pass at least {len(ids)} axes or n_series={len(axes)}."
        )
    for position, (key, ax) in enumerate(zip(ids, axes)):
        rows = frame if key is None else frame[frame[id_name] == key]
        horizon = len(rows)
        tail = 3 * horizon if n_steps is None else int(n_steps)
        past_x, past = _history_of(history, meta, key, position)
        for number, target in enumerate(meta["targets"]):
            colour = f"C{number}"
            ax.plot(
                past_x[-tail:],
                past[-tail:, number],
                "o-",
                markersize=2,
                color=colour,
                label=str(target),
            )
            ax.plot(
                rows[time_name],
                rows[target],
                "o--",
                markersize=3,
                color=colour,
                label=f"{target} forecast",
            )
            if f"{target}_lower" in rows:
                coverage = meta["coverage"]
                ax.fill_between(
                    rows[time_name],
                    rows[f"{target}_lower"],
                    rows[f"{target}_upper"],
                    color=colour,
                    alpha=0.2,
                    linewidth=0,
                    label=f"{coverage:.0%} interval",
                )
        ax.set_title(
            "Forecast" if key is None else f"Forecast of {key}", fontsize="medium"
        )
        ax.set_xlabel(str(time_name))
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    return axes[: len(ids)]


def _history_of(history, meta, key, position):
    """One series' time stamps and target values ``(n, n_targets)``."""
    import pandas as pd

    layout = meta["windower"]
    targets, positions = meta["targets"], meta["target_positions"]
    if layout["id_column"] is not None or layout["time_column"] is not None:
        rows = history
        if layout["id_column"] is not None:
            rows = history[history[layout["id_column"]] == key]
        times = (
            rows.index
            if layout["time_column"] is None
            else pd.Index(rows[layout["time_column"]])
        )
        order = np.argsort(np.asarray(times), kind="stable")
        return np.asarray(times)[order], rows[targets].to_numpy(float)[order]
    if isinstance(history, pd.DataFrame):
        return np.asarray(history.index), history[targets].to_numpy(float)
    if isinstance(history, pd.Series):
        return np.asarray(history.index), history.to_numpy(float)[:, np.newaxis]
    if isinstance(history, (list, tuple)) and len({len(s) for s in history}) > 1:
        series = np.asarray(history[position], dtype=float)
    else:
        array = np.asarray(history, dtype=float)
        series = array if array.ndim == 1 else array[position]
    if series.ndim == 1:
        series = series[:, np.newaxis]
    if positions is None:
        positions = list(range(len(targets)))
    return np.arange(len(series)), series[:, positions]


def _training_history(model) -> list:
    """The finished epochs of a fitted model (or of a pipeline's last step)."""
    regressor = model[-1] if isinstance(model, Pipeline) else model
    check_is_fitted(regressor)
    if not hasattr(regressor, "history_"):
        raise TypeError(
            f"plot_loss_curves draws the history_ of a Seq2SeqRegressor, but got "
            f"a {type(regressor).__name__}, which keeps none. Pass the fitted "
            "Seq2SeqRegressor, or a pipeline that ends with one."
        )
    finished = [row for row in regressor.history_ if "train_loss" in row]
    if not finished:
        raise ValueError(
            "The model finished no epoch of training (it was interrupted in its "
            "first), so there is no loss to plot. Train it further first, e.g. "
            "model.partial_fit(X, y)."
        )
    return finished


def _check_windows(array, name: str) -> np.ndarray:
    return as_3d(
        check_array(array, allow_nd=True, dtype="numeric", input_name=name),
        one_d="samples",
        input_name=name,
    )
