"""Defaults that adapt to the windows: the two measured recipes.

A :class:`Seq2SeqRegressor` parameter left at ``"auto"`` takes its value from
a recipe, chosen by the ``recipe`` parameter or, with ``recipe="auto"``, by
the windows' length seen in ``fit``. Each recipe was chosen on validation
data (``benchmarks/results/TUNING.md``, ``benchmarks/results/FEATURES.md``,
``benchmarks/results/LTSF.md``):

- ``"steps"``, the tutorial's model: the encoder and the decoder step once
  per time step, the decoder feeding back its own forecasts. Best on short
  windows such as the tutorial's 15 -> 15.
- ``"segments"``, a GRU encoder-decoder in the manner of SegRNN: windows are
  read and forecast in segments of 24 steps, each output segment decoded in
  parallel from the context and its position, every target its own series.
  On ETTh1 (96 -> 96) it beats a linear model on the lags where the
  ``"steps"`` recipe does not, in a tenth of the time.
"""

from __future__ import annotations

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
    },
    "segments": {
        "hidden_dim": 128,
        "num_layers": 1,
        "segment_length": 24,
        "decoder": "parallel",
        "channel_independent": True,
        "window_norm": "last_value",
        "window_stats_input": False,
        "lr": 1e-3,
        "alpha": 0.0,
        "max_steps": 1000,
    },
}

# windows with at least two segments of 24 steps on one side: measured at
# 96 to 720 steps (segments) and at 15 (steps); lengths between are untested
LONG_WINDOW = 48


def choose_recipe(recipe: str, n_past: int, n_future: int) -> str:
    """The recipe's name: ``recipe`` itself, or the one the lengths call for."""
    if recipe != AUTO:
        return recipe
    return "segments" if max(n_past, n_future) >= LONG_WINDOW else "steps"


def resolve(params: dict, recipe: str, *, multi_target: bool) -> dict:
    """``params`` with every ``"auto"`` value replaced by ``recipe``'s.

    ``channel_independent`` applies only where there are several targets
    that are past features (``multi_target``); one target is one series.
    """
    settings = {
        name: RECIPES[recipe][name] if params[name] == AUTO else params[name]
        for name in RECIPES[recipe]
    }
    if not multi_target:
        settings["channel_independent"] = False
    return settings


def resolve_settings(params: dict, shapes) -> tuple[str, dict]:
    """The recipe for windows of ``shapes`` and the values of its parameters.

    ``params`` are the estimator's parameters (``get_params``).
    """
    recipe = choose_recipe(params["recipe"], shapes.n_past, shapes.n_future)
    multi_target = shapes.target_index is not None and shapes.n_targets > 1
    return recipe, resolve(params, recipe, multi_target=multi_target)
