"""A fit's training runs: one per recipe, and the choice between them.

``Seq2SeqRegressor.fit`` trains every recipe :func:`usable_recipes` allows
(:func:`~sk_seq2seq._recipes.candidate_recipes`: one for long windows, two
for short ones), each a :class:`Run` of :func:`train_run`: its settings,
its split of the windows, its scalers and its trained net. :func:`best_run`
keeps one by the validation windows. Nothing here receives the estimator:
callers pass its parameters (``get_params``).
"""

from __future__ import annotations

import dataclasses
from functools import partial
from numbers import Real

import numpy as np

from ._net import (
    batches_trained,
    best_epoch,
    build_net,
    check_module,
    check_validation_kept,
    clearly_lower,
    epoch_budget,
    fit_linear_start,
    interruption,
    train,
)
from ._recipes import AUTO, candidate_recipes, resolve_settings
from ._scaling import uncentred_targets
from ._training_data import Split, TrainingData, window_residuals

# train_split="auto": the fraction of each series' most recent windows (before
# the calibration ones) that validate, chooses the epoch and, on short
# windows, the recipe
AUTO_VALIDATION = 0.1


@dataclasses.dataclass(frozen=True)
class Run:
    """One recipe's training run: what a fit keeps if it is the best."""

    recipe: str
    settings: dict
    split: Split
    x_scaler: object
    y_scaler: object
    net: object


def window_errors(run: Run, data: TrainingData, rows: np.ndarray) -> np.ndarray:
    """``run``'s mean squared error on each of the windows ``rows``, scale-free.

    Each window's errors are divided by its scale (:func:`window_scales`),
    so that recipes are compared in the same units whatever they train on,
    and every series of a panel counts alike. Shape ``(len(rows),)``.
    """
    errors, scales = window_residuals(run.net, data, rows, run.x_scaler, run.y_scaler)
    if scales is not None:
        errors = errors / scales[:, np.newaxis]
    return np.mean(errors**2, axis=(1, 2))


# another recipe replaces the first only when it at most halves its
# validation error: on real short series the first ("segments") was the
# better one on test even where a validation tail of a few dozen windows
# said the other was up to 30 % better (benchmarks/results/REAL_NOTES.md);
# on the tutorial's curves the other is better by a factor of 6
SWITCH_RATIO = 0.5


def best_run(runs: list[Run], data: TrainingData) -> Run:
    """The first run, unless another forecasts its validation windows far better.

    "Far better": a mean error at most ``SWITCH_RATIO`` times the first's,
    and lower by more than one standard error (:func:`clearly_lower`, the
    one-standard-error rule of model selection). Without validation windows,
    the first run.
    """
    rows = runs[0].split.valid
    if len(runs) == 1 or not len(rows):
        return runs[0]
    first = window_errors(runs[0], data, rows)
    best, best_error = runs[0], first.mean()
    for run in runs[1:]:
        errors = window_errors(run, data, rows)
        if (
            errors.mean() <= SWITCH_RATIO * first.mean()
            and clearly_lower(errors, first, data.shapes.n_future)
            and errors.mean() < best_error
        ):
            best, best_error = run, errors.mean()
    return best


def usable_recipes(params: dict, data: TrainingData) -> list[str]:
    """The recipes to train: the candidates whose module these params build.

    A parameter that only one recipe can honour (``teacher_forcing`` needs
    the ``"steps"`` decoder) leaves the other out; with none left, the first
    candidate's error is raised, before any training.
    """
    shapes = data.shapes
    usable, errors = [], []
    for recipe in candidate_recipes(params["recipe"], shapes.n_past, shapes.n_future):
        try:
            check_module(shapes, resolve_settings(params, shapes, recipe), params)
        except ValueError as error:
            errors.append(error)
        else:
            usable.append(recipe)
    if not usable:
        raise errors[0]
    return usable


def train_runs(recipes, params, data, *, previous, scalers, incremental, seed, check):
    """Train each of ``recipes`` and return the run to keep.

    ``previous``: the fitted net that training continues (its ``scalers``
    kept), or ``None``; ``check(net, previous)`` refuses a changed module.
    A run interrupted by Ctrl-C ends the fit: it is the one returned.
    """
    verbose = params["verbose"] and len(recipes) > 1
    runs = []
    for recipe in recipes:
        if verbose:
            print(f"Training the {recipe!r} recipe:")
        runs.append(
            train_run(
                recipe,
                params,
                data,
                previous=previous,
                scalers=scalers,
                incremental=incremental,
                seed=seed,
                check=check,
            )
        )
        if interruption(runs[-1].net) is not None:
            return runs[-1]
        if not len(runs[-1].split.valid):
            break  # nothing to choose by: the first recipe is kept
    run = best_run(runs, data)
    if verbose:
        print(f"Kept the {run.recipe!r} recipe (see recipe_).")
    return run


def refit(run: Run, params: dict, data: TrainingData, *, seed: int) -> None:
    """Fit ``run``'s kept closed-form start again, on every window.

    Call it after the calibration errors are measured. When the validation
    windows kept the start of a default fit (epoch 0: no epoch was clearly
    better than the linear path's least squares), the model is that
    closed-form fit, and it is fitted again on every window, the validation
    and calibration ones included: under drift the most recent windows are
    the most telling (ETTh1 96 -> 720: NLinear fitted on the oldest 80 % of
    the training windows scores 0.478 test MSE, on all of them 0.470). The
    calibration errors stay those of the model that did not see them, as
    in statsforecast's conformal intervals, which calibrate on
    cross-validation windows and then fit on all the data. A trained net
    is kept as validated: training another on more windows for as many
    epochs did worse on ETTh1. Changes ``run.net`` in place.
    """
    if (
        params["train_split"] != AUTO
        or not len(run.split.valid)
        or best_epoch(run.net) != 0
        # set only where there is a linear path: "anchor" has nothing to fit
        or getattr(run.net, "linear_start_", None) != "least_squares"
    ):
        return
    max_train = epoch_budget(params, run.settings)
    every = {**params, "train_split": None, "calibration": None}
    split = split_windows(data, every, max_train, seed)
    train_set, _ = data.datasets(
        split, run.x_scaler, run.y_scaler, run.settings["series_scale"]
    )
    fit_linear_start(run.net, train_set)


def train_run(recipe, params, data, *, previous, scalers, incremental, seed, check):
    """One recipe's training: its settings, split, scalers and trained net."""
    settings = resolve_settings(params, data.shapes, recipe, data.n_windows)
    split = split_windows(data, params, epoch_budget(params, settings), seed)
    x_scaler, y_scaler = scalers or fit_scalers(data, split.learn, settings, params)
    train_set, valid_set = data.datasets(
        split, x_scaler, y_scaler, settings["series_scale"]
    )
    train_split = params["train_split"]
    if isinstance(train_split, str):  # "auto"
        train_split = AUTO_VALIDATION if valid_set is not None else None
        if valid_set is None:
            check_validation_kept(
                params,
                f"train_split='auto' found {data.n_windows} windows, too few to "
                "hold any out for validation",
            )
    net = build_net(
        data.shapes,
        settings,
        params,
        n_train=len(split.train),
        schedule_offset=batches_trained(previous) if incremental else 0,
        validated=valid_set is not None and not incremental,
    )
    check(net, previous)
    train(
        net,
        train_set,
        valid_set,
        train_split=train_split,
        previous=previous,
        epochs=1 if incremental else None,
        seed=seed,
    )
    return Run(recipe, settings, split, x_scaler, y_scaler, net)


def split_windows(data: TrainingData, params: dict, max_train, seed) -> Split:
    """The windows that train, validate and calibrate (see ``train_split``)."""
    split = partial(
        data.split, calibration=params["calibration"], max_train=max_train, seed=seed
    )
    train_split = params["train_split"]
    if train_split != AUTO:
        is_fraction = isinstance(train_split, Real) and not isinstance(
            train_split, bool
        )
        return split(validation=float(train_split) if is_fraction else None)
    try:
        return split(validation=AUTO_VALIDATION)
    except ValueError:  # too few windows to validate on: train on all
        return split(validation=None)


def fit_scalers(data: TrainingData, rows, settings: dict, params: dict):
    """The scalers learned on the training windows ``rows`` (``None``s if off).

    With ``series_scale`` the targets are divided by their RMS and not
    centred: a mean of levels 1 and 1e5 would leave the small series as
    float32 rounding noise.
    """
    if not params["scale"]:
        return None, None
    x_scaler, y_scaler = data.fit_scalers(rows)
    if settings["series_scale"]:
        return uncentred_targets(x_scaler, y_scaler, data.shapes.target_index)
    return x_scaler, y_scaler
