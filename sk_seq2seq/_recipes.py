"""Defaults that adapt to the windows: the two measured recipes.

A :class:`Seq2SeqRegressor` parameter left at ``"auto"`` takes its value from
a recipe, chosen by the ``recipe`` parameter or, with ``recipe="auto"``, by
the windows' length seen in ``fit``. Each recipe was chosen on validation
data (``benchmarks/results/TUNING.md``, ``benchmarks/results/FEATURES.md``,
``benchmarks/results/LTSF.md``, ``benchmarks/results/REAL.md``):

- ``"steps"``, the tutorial's model: the encoder and the decoder step once
  per time step, the decoder feeding back its own forecasts. Best on the
  tutorial's 15 -> 15 curves, and only there.
- ``"segments"``, a GRU encoder-decoder in the manner of SegRNN: windows are
  read and forecast in segments (a quarter of the past, at most 24 steps),
  each output segment decoded in parallel from the context and its position,
  every target its own series. It is scale-free: each window's targets are
  normalised by their last value and spread (``"last_std"``); on the lazy
  windows of a panel each series' targets are divided by their mean
  absolute value in training, so every series counts alike in the loss, and
  no global mean is subtracted from the targets. A linear map from the
  normalised past to the normalised future is added to the recurrent
  forecast, which starts silent: the model starts as that map's least
  squares (NLinear's, in the loss's units), or as the last value unless
  least squares validates better by more than a standard error, and the GRU
  learns what the linear model leaves.

Long windows (48 steps or more on either side) get ``"segments"``; shorter
ones train both, and the fit keeps ``"segments"`` unless ``"steps"`` at most
halves its validation error (:func:`candidate_recipes`). Both budgets are 60
passes over the windows, at least 20 steps and at most ``max_steps``; with a
validation tail (``train_split="auto"``) training keeps the epoch that
validated best and stops when half the epochs brought no gain.
"""

from __future__ import annotations

import math

AUTO = "auto"

RECIPES: dict[str, dict] = {
    "steps": {
        "hidden_dim": 32,
        "num_layers": 2,
        "segment_length": 1,
        "decoder": "recurrent",
        "channel_independent": False,
        "window_norm": "revin",
        "window_stats_input": True,
        "lr": 0.02,
        "alpha": 0.003,
        "max_steps": 2000,
        "linear_path": False,
        "series_scale": False,
        "budget_epochs": 60,
    },
    "segments": {
        "hidden_dim": 128,
        "num_layers": 1,
        # None: follows the window (segment_length_for)
        "segment_length": None,
        "decoder": "parallel",
        "channel_independent": True,
        "window_norm": "last_std",
        "window_stats_input": False,
        "lr": 1e-3,
        "alpha": 0.0,
        "max_steps": 1000,
        "linear_path": True,
        "series_scale": True,
        "budget_epochs": 60,
    },
}

# what the settings added since a recipe was first saved meant before they
# existed: a file saved then loads with them off
SETTINGS_BEFORE = {"linear_path": False, "series_scale": False, "budget_epochs": None}

# windows with at least two segments of 24 steps on one side: measured at
# 96 to 720 steps (segments) and at 15 (steps); lengths between are untested
LONG_WINDOW = 48


def candidate_recipes(recipe: str, n_past: int, n_future: int) -> tuple[str, ...]:
    """The recipes a fit trains: ``recipe`` itself, or those the lengths call for.

    Long windows get ``"segments"``. Short ones train both, and the fit keeps
    the one that forecasts its validation windows better: on the tutorial's
    curves only ``"steps"`` is good (0.13 x Ridge against 0.85 x), on real
    short series only ``"segments"`` (``benchmarks/results/REAL.md``).
    """
    if recipe != AUTO:
        return (recipe,)
    if max(n_past, n_future) >= LONG_WINDOW:
        return ("segments",)
    return ("segments", "steps")


# the fewest optimizer steps a budget sized by the data gets
MIN_STEPS = 20


def budget_steps(n_windows: int, batch_size: int, settings: dict) -> int:
    """``budget_epochs`` passes over the windows, within ``[MIN_STEPS, max_steps]``."""
    steps = settings["budget_epochs"] * math.ceil(n_windows / batch_size)
    return int(min(settings["max_steps"], max(MIN_STEPS, steps)))


def segment_length_for(n_past: int) -> int:
    """A segment of about a quarter of the past, at most 24 steps (a day of hours)."""
    return max(1, min(24, -(-n_past // 4)))


def resolve(
    params: dict, recipe: str, *, multi_target: bool, n_past: int | None = None
) -> dict:
    """``params`` with every ``"auto"`` value replaced by ``recipe``'s.

    ``channel_independent`` applies only where there are several targets
    that are past features (``multi_target``); one target is one series.
    """
    settings = {
        name: RECIPES[recipe][name] if params.get(name, AUTO) == AUTO else params[name]
        for name in RECIPES[recipe]
    }
    # a recipe's segment length of None follows the window
    if settings["segment_length"] is None:
        settings["segment_length"] = segment_length_for(n_past or 1)
    if not multi_target:
        settings["channel_independent"] = False
    return settings


def resolve_settings(
    params: dict, shapes, recipe: str, n_windows: int | None = None
) -> dict:
    """The values of ``recipe``'s parameters for windows of ``shapes``.

    ``params`` are the estimator's parameters (``get_params``). With
    ``n_windows`` (the windows of the data) a recipe's ``budget_epochs``
    sizes ``max_steps`` when the user left it at ``"auto"``.
    """
    multi_target = shapes.target_index is not None and shapes.n_targets > 1
    settings = resolve(params, recipe, multi_target=multi_target, n_past=shapes.n_past)
    if (
        n_windows is not None
        and params.get("max_steps", AUTO) == AUTO
        and settings["budget_epochs"] is not None
    ):
        # small data, small budget: that many passes, within the recipe's
        settings["max_steps"] = budget_steps(
            n_windows, int(params["batch_size"]), settings
        )
    return settings
