"""The skorch side of training: the net, its loss and its callbacks.

:class:`Seq2SeqRegressor` builds one :class:`Seq2SeqNet` per training run with
:func:`build_net`; everything here is private plumbing that a user meets only
as ``model.net_`` and through the messages these callbacks raise or warn.
"""

from __future__ import annotations

import copy
import inspect
import math
import reprlib
import warnings
from numbers import Real

import numpy as np
import torch
from skorch import NeuralNetRegressor
from skorch.callbacks import Callback, EarlyStopping, GradientNormClipping, LRScheduler
from skorch.dataset import unpack_data
from skorch.helper import predefined_split
from skorch.utils import to_tensor

from ._window_checks import WindowShapes

# a batch loss this many times above the first one (floored at 1.0, the
# order of a standardised target's loss per step) is divergence, not noise:
# healthy runs of the tests and benchmarks stay within a factor of ~10
EXPLOSION_FACTOR = 1e4


class SummedStepMSE(torch.nn.Module):
    """Sum over horizon steps of each step's mean squared error.

    ``(batch, n_future, n_targets)`` predictions and targets give a scalar:
    the MSE of step 1, plus the MSE of step 2, and so on (the tutorial's loss).
    """

    def forward(self, y_pred: torch.Tensor, y_true: torch.Tensor) -> torch.Tensor:
        return ((y_pred - y_true) ** 2).mean(dim=(0, 2)).sum()


def batch_loader(dataset, batch_size: int, shuffle: bool = False, **kwargs):
    """A ``DataLoader`` that takes each batch from ``dataset`` in one indexing.

    torch's ``DataLoader`` asks the dataset for one window at a time and
    stacks them, which cost about a tenth of a CPU fit; this one hands the
    dataset each batch's list of indices (skorch's ``Dataset``, torch's
    ``Subset`` and :class:`~sk_seq2seq._training_data.WindowDataset` take
    one). The same samplers draw the same indices in the same order as
    ``DataLoader(dataset, batch_size, shuffle)``, so training is unchanged.
    """
    order = (
        torch.utils.data.RandomSampler(dataset)
        if shuffle
        else torch.utils.data.SequentialSampler(dataset)
    )
    batches = torch.utils.data.BatchSampler(order, batch_size, drop_last=False)
    return torch.utils.data.DataLoader(
        dataset, batch_size=None, sampler=batches, **kwargs
    )


class Seq2SeqNet(NeuralNetRegressor):
    """skorch's regressor, changed only where seq2seq training needs it.

    The training step hands the target to the module (teacher forcing may read
    it); validation and prediction never do. The training loss adds ``alpha``
    times the module's weight penalty.
    """

    def __init__(self, *args, alpha=0.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.alpha = alpha

    def train_step_single(self, batch, **fit_params):
        self._set_training(True)
        Xi, yi = unpack_data(batch)
        y_pred = self.infer(Xi, target=to_tensor(yi, device=self.device), **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        loss.backward()
        return {"loss": loss, "y_pred": y_pred}

    def notify(self, method_name, **cb_kwargs):
        # an epoch is finished once every callback has heard that it ended;
        # skorch ends training quietly on any KeyboardInterrupt, which is
        # also how EarlyStopping stops: only that stop finishes an epoch
        keeper = dict(self.callbacks_).get("keep_finished_epoch")
        if keeper is not None and method_name == "on_epoch_begin":
            keeper.begin_epoch(self)
        try:
            super().notify(method_name, **cb_kwargs)
        except KeyboardInterrupt:
            if keeper is not None and _stopping_early(self, method_name):
                keeper.end_epoch()
            raise
        if keeper is not None and method_name == "on_epoch_end":
            keeper.end_epoch()

    def get_loss(self, y_pred, y_true, X=None, training=False):
        loss = super().get_loss(y_pred, y_true, X=X, training=training)
        if training and self.alpha:
            loss = loss + self.alpha * self.module_.weight_penalty()
        return loss


class StopOnDivergence(Callback):
    """Raise as soon as training diverges, finite or not.

    A training batch's loss that is NaN, infinite, or more than
    ``EXPLOSION_FACTOR`` times the run's first batch loss (floored at 1.0)
    raises ``FloatingPointError``. Non-finite weights make the next batch's
    loss non-finite, so the weights need checking only at the end of an
    epoch, whose last step can break them with a finite loss.
    """

    def on_train_begin(self, net, **kwargs):
        self.reference_ = None

    def on_batch_end(self, net, batch=None, training=None, loss=None, **kwargs):
        if not training:
            return
        value = loss.item()
        if not math.isfinite(value):
            self._diverged(net, f"the loss became {value}")
        if self.reference_ is None:
            self.reference_ = max(value, 1.0)
        elif value > EXPLOSION_FACTOR * self.reference_:
            self._diverged(
                net,
                f"the loss exploded from {self.reference_:.3g} to {value:.3g}",
            )

    def on_epoch_end(self, net, **kwargs):
        if not all(torch.isfinite(w).all() for w in net.module_.parameters()):
            self._diverged(net, "the weights became NaN or infinite")

    @staticmethod
    def _diverged(net, what):
        raise FloatingPointError(
            f"Training diverged in epoch {len(net.history)}: {what}. Use a smaller "
            f"learning rate (lr={net.lr} now) or clip the gradients "
            "(clip_grad_norm=1.0, the default, or smaller)."
        )


class KeepFinishedEpoch(Callback):
    """Undo the epoch a ``KeyboardInterrupt`` cut short.

    skorch swallows ``KeyboardInterrupt`` and ends training wherever it
    landed: in a batch, or in any callback, e.g. while the log prints.
    :class:`Seq2SeqNet` copies the weights and the optimizer's state here
    before any callback hears that an epoch begins, and drops the copy once
    every callback has heard that it ended (an ``EarlyStopping`` stop
    included). When training ends with a copy pending, the epoch was
    interrupted: the copy is restored, the unfinished epoch dropped from
    ``history`` and its number recorded in ``interrupted_`` (``None`` when
    training finished), the epochs finished before it in ``finished_``.
    """

    def on_train_begin(self, net, **kwargs):
        self.interrupted_ = None
        self.snapshot_ = None

    def begin_epoch(self, net):
        # before skorch's own on_epoch_begin adds the epoch to the history
        self.finished_ = len(net.history)
        self.snapshot_ = copy.deepcopy(
            (net.module_.state_dict(), net.optimizer_.state_dict())
        )

    def end_epoch(self):
        self.snapshot_ = None

    def on_train_end(self, net, **kwargs):
        if self.snapshot_ is None:
            return
        module_state, optimizer_state = self.snapshot_
        net.module_.load_state_dict(module_state)
        net.optimizer_.load_state_dict(optimizer_state)
        del net.history[self.finished_ :]
        self.snapshot_ = None
        self.interrupted_ = self.finished_ + 1


class KeepBestValidated(EarlyStopping):
    """Keep the weights that validated best, the start included; stop when stale.

    skorch's ``EarlyStopping`` with ``load_best``, and two changes. The
    weights training starts from are scored on the validation windows before
    the first batch, as epoch 0: a model whose linear path starts at its
    least squares (or at the last value) ends at least as good as that start
    on the validation tail. And where the start is the last value (least
    squares on the lags did not clearly beat it: the series showed no
    signal), the best epoch replaces it only if it is clearly better
    (:func:`clearly_lower`: by more than one standard error, the
    one-standard-error rule), as the minimum over many noisy epochs is
    optimistic: on a random walk an epoch that beats the last value by
    chance on the validation tail loses on later data. Training stops after
    ``patience`` epochs without a gain.
    """

    def __init__(self, patience: int):
        super().__init__(patience=patience, load_best=True, sink=print)

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        super().on_train_begin(net, X=X, y=y, **kwargs)
        self.start_weights_ = None
        _, valid = net.get_split_datasets(X, y)
        if valid is not None and len(valid):
            self.dynamic_threshold_ = self._calc_new_threshold(mean_loss(net, valid))
            self.start_weights_ = copy.deepcopy(net.module_.state_dict())
            self.best_model_weights_ = self.start_weights_

    def on_train_end(self, net, X=None, y=None, **kwargs):
        # an interrupt in the first epoch leaves no epoch to compare with
        if not (len(net.history) and "valid_loss" in net.history[-1]):
            return
        super().on_train_end(net, X=X, y=y, **kwargs)
        # where even least squares on the lags did not beat the last value,
        # the series showed no signal: a gain of the GRU must be clear
        if (
            self.best_epoch_ == 0
            or self.start_weights_ is None
            or getattr(net, "linear_start_", None) != "anchor"
        ):
            return
        _, valid = net.get_split_datasets(X, y)
        best = copy.deepcopy(net.module_.state_dict())
        best_losses = window_losses(net, valid)
        net.module_.load_state_dict(self.start_weights_)
        if clearly_lower(best_losses, window_losses(net, valid), net.module_.n_future):
            net.module_.load_state_dict(best)
        else:
            self._sink(
                f"Keeping the start: epoch {self.best_epoch_} is not clearly better.",
                verbose=net.verbose,
            )
            self.best_epoch_ = 0


def window_losses(net, dataset) -> np.ndarray:
    """``net``'s loss on each window of ``dataset``, as the criterion sums it."""
    losses = []
    with torch.no_grad():
        for batch in net.get_iterator(dataset, training=False):
            Xi, yi = unpack_data(batch)
            y_pred = net.infer(Xi)
            y_true = to_tensor(yi, device=net.device)
            losses.append(((y_pred - y_true) ** 2).mean(dim=2).sum(dim=1).cpu())
    return torch.cat(losses).numpy()


def clearly_lower(errors, reference, block: int, *, else_lower: bool = False) -> bool:
    """Whether ``errors`` are below ``reference`` by more than one standard error.

    Both ``(n_windows,)``, the same windows in time order. The differences
    are averaged in blocks of ``block`` windows (a horizon: windows whose
    futures overlap count as about one), and the mean gain must exceed the
    standard error of the blocks' mean. With fewer than two blocks there is
    no standard error: the answer is ``False``, or with ``else_lower`` whether
    the mean error is lower at all.
    """
    n_blocks = len(errors) // max(block, 1)
    if n_blocks < 2:
        return else_lower and bool(np.mean(errors) < np.mean(reference))
    gain = np.array(
        [b.mean() for b in np.array_split(np.asarray(reference) - errors, n_blocks)]
    )
    return bool(gain.mean() > gain.std(ddof=1) / np.sqrt(n_blocks))


def mean_loss(net, dataset) -> float:
    """``net``'s validation loss on ``dataset``, as skorch's ``valid_loss``."""
    total, count = 0.0, 0
    for batch in net.get_iterator(dataset, training=False):
        size = len(batch[1])
        total += net.validation_step(batch)["loss"].item() * size
        count += size
    return total / count


# the silent GRU beside the linear path may need a few hundred steps to beat
# it: the patience spans at least this many steps, or 5 epochs if sooner
PATIENCE_STEPS = 250


def patience_for(max_epochs: int, steps_per_epoch: int) -> int:
    """Epochs without a validation gain that end training.

    Half the budget, in epochs however many steps each one takes, so that a
    large data set's few long epochs stop as soon as a small one's many: a
    fit whose start stays the best pays for half its budget. At least 5
    epochs or ``PATIENCE_STEPS`` steps, whichever is fewer epochs (ETTh1 96
    -> 96: 6 epochs of 183 steps, patience 3).
    """
    floor = min(5, math.ceil(PATIENCE_STEPS / max(steps_per_epoch, 1)))
    return max(floor, math.ceil(max_epochs / 2))


def _stopping_early(net, method_name: str) -> bool:
    """Whether an ``EarlyStopping`` callback of ``net`` just ran out of patience."""
    return method_name == "on_epoch_end" and any(
        isinstance(callback, EarlyStopping) and callback.misses_ >= callback.patience
        for _, callback in net.callbacks_
    )


class CosineFactor:
    """``lr`` factor of a cosine decay to zero over ``period`` batches.

    Batch ``offset + step`` of the schedule: ``partial_fit`` passes the number
    of batches already trained, so successive calls continue one decay; past
    ``period`` the decay starts again from the full ``lr`` (a warm restart).
    A class, not a lambda, so that a fitted model pickles.
    """

    def __init__(self, period: int, offset: int = 0):
        self.period = period
        self.offset = offset

    def __call__(self, step: int) -> float:
        position = (self.offset + step) % self.period
        return 0.5 * (1.0 + math.cos(math.pi * position / self.period))


def check_net_params(params: dict) -> None:
    """Checks of the estimator's ``params`` that its constraints cannot express."""
    device, optimizer = params["device"], params["optimizer"]
    # scikit-learn's Interval(Integral) lets bools through
    for name in (
        "hidden_dim",
        "num_layers",
        "segment_length",
        "n_future",
        "max_epochs",
        "max_steps",
        "batch_size",
    ):
        if isinstance(params.get(name), (bool, np.bool_)):
            raise TypeError(
                f"{name}={params[name]!r} is a bool, not a number of steps or "
                f"units. Pass an integer, e.g. {name}=2."
            )
    try:
        checked = torch.device(device)
    except (RuntimeError, TypeError) as error:
        raise ValueError(
            f"device={device!r} is not a device torch knows ({error}). "
            "Pass 'cpu', or 'cuda' (or 'cuda:0', ...) for a GPU."
        ) from None
    if checked.type == "meta":
        raise ValueError(
            f"device={device!r} holds no values: tensors on torch's meta device "
            "have shapes but no data, so the model can neither train nor "
            "forecast there. Pass 'cpu', or 'cuda' for a GPU."
        )
    if checked.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r}, but CUDA is not available on this "
            "machine (no GPU, or a torch built without CUDA). Pass "
            "device='cpu'."
        )
    if isinstance(optimizer, type) and not issubclass(optimizer, torch.optim.Optimizer):
        raise TypeError(
            f"optimizer={optimizer.__name__} is not a torch optimizer. "
            "Pass a class of torch.optim, e.g. torch.optim.Adam."
        )
    for callback in params["callbacks"] or []:
        item = callback[1] if isinstance(callback, tuple) else callback
        if isinstance(callback, tuple) and (
            len(callback) != 2 or not isinstance(callback[0], str)
        ):
            item = None
        if not isinstance(item, Callback) and not (
            isinstance(item, type) and issubclass(item, Callback)
        ):
            raise TypeError(
                f"callbacks holds {callback!r}, which is not a skorch callback. "
                "Pass skorch callbacks (e.g. skorch.callbacks.EarlyStopping()) "
                "or (name, callback) pairs."
            )
    if params["train_split"] is None:
        check_validation_kept(params, "train_split=None keeps no validation windows")


def check_validation_kept(params: dict, why: str) -> None:
    """Refuse a callback that monitors validation when ``why`` there is none."""
    for callback in params["callbacks"] or []:
        item = callback[1] if isinstance(callback, tuple) else callback
        monitor = _monitor(item)
        if isinstance(monitor, str) and monitor.startswith("valid_"):
            name = item.__name__ if isinstance(item, type) else type(item).__name__
            raise ValueError(
                f"The callback {name} monitors {monitor!r}, but {why}. Pass "
                "train_split=0.2 (a fraction of the windows for validation) "
                "with enough windows, or monitor 'train_loss'."
            )


def _monitor(callback):
    """What ``callback`` monitors; for a class (skorch builds it), its default."""
    if not isinstance(callback, type):
        return getattr(callback, "monitor", None)
    try:
        return inspect.signature(callback).parameters["monitor"].default
    except (KeyError, TypeError, ValueError):  # no monitor, or no signature
        return None


def module_params(shapes: WindowShapes, settings: dict, params: dict) -> dict:
    """The :class:`Seq2SeqModule`'s arguments for windows of ``shapes``.

    ``settings`` are the recipe's resolved values, ``params`` the estimator's
    parameters (``get_params``).
    """
    return {
        "n_features": shapes.n_channels,
        "n_targets": shapes.n_targets,
        "n_future": shapes.n_future,
        "hidden_dim": int(settings["hidden_dim"]),
        "num_layers": int(settings["num_layers"]),
        "bidirectional": bool(params["bidirectional"]),
        "window_norm": settings["window_norm"],
        # the statistics of a normalisation that happens
        "window_stats_input": bool(settings["window_stats_input"])
        and settings["window_norm"] is not None
        and shapes.target_index is not None,
        "segment_length": int(settings["segment_length"]),
        "decoder": settings["decoder"],
        "attention": bool(params["attention"]),
        "channel_independent": bool(settings["channel_independent"]),
        "teacher_forcing": float(params["teacher_forcing"]),
        "target_index": None
        if shapes.target_index is None
        else list(shapes.target_index),
        "n_future_features": len(shapes.future_index),
        "linear_path": bool(settings["linear_path"]),
        "n_past": shapes.n_past if settings["linear_path"] else None,
    }


def check_module(shapes: WindowShapes, settings: dict, params: dict) -> None:
    """Raise the module's own ``ValueError`` if these settings cannot build it."""
    from ._module import Seq2SeqModule

    # building draws initial weights: the caller's random state stays as it was
    with torch.random.fork_rng(devices=[]):
        Seq2SeqModule(**module_params(shapes, settings, params))


def epoch_budget(params: dict, settings: dict) -> int | None:
    """Windows one epoch may draw when the budget is in steps; ``None``: all.

    With ``max_epochs=None`` the budget is ``max_steps`` batches: windows
    that outnumber them are sampled, one epoch being one pass over
    ``max_steps * batch_size`` of them.
    """
    if params["max_epochs"] is not None:
        return None
    return int(settings["max_steps"]) * int(params["batch_size"])


def build_net(
    shapes: WindowShapes,
    settings: dict,
    params: dict,
    *,
    n_train: int,
    schedule_offset: int = 0,
    validated: bool = False,
) -> Seq2SeqNet:
    """An uninitialised :class:`Seq2SeqNet` with this package's callbacks.

    ``settings`` are the recipe's resolved values, ``params`` the estimator's
    parameters; ``n_train`` training windows size the epochs of a budget in
    steps (``max_steps``). The user's ``callbacks`` are deep-copied, so that
    the estimator's stay untouched. ``validated``: a validation set will be
    given, and the weights that score best on it are kept
    (:class:`KeepBestValidated`) unless the user brings an ``EarlyStopping``.
    """
    from ._module import Seq2SeqModule

    batch_size = int(params["batch_size"])
    steps_per_epoch = math.ceil(max(n_train, 1) / batch_size)
    max_epochs = params["max_epochs"]
    if max_epochs is None:
        max_epochs = math.ceil(int(settings["max_steps"]) / steps_per_epoch)
    net_callbacks = [
        ("divergence", StopOnDivergence()),
        ("keep_finished_epoch", KeepFinishedEpoch()),
    ]
    if params["clip_grad_norm"] is not None:
        net_callbacks.append(
            ("gradient_clipping", GradientNormClipping(float(params["clip_grad_norm"])))
        )
    if params["lr_schedule"] == "cosine":
        period = max_epochs * steps_per_epoch
        net_callbacks.append(
            (
                "lr_schedule",
                LRScheduler(
                    torch.optim.lr_scheduler.LambdaLR,
                    lr_lambda=CosineFactor(period, schedule_offset),
                    step_every="batch",
                    # the offset carries the position, so every run builds
                    # its scheduler afresh (also for a loaded model)
                    last_epoch=-1,
                ),
            )
        )
    user_callbacks = copy.deepcopy(params["callbacks"] or [])
    if validated and not any(
        isinstance(c, EarlyStopping) or c is EarlyStopping
        for c in (c[1] if isinstance(c, tuple) else c for c in user_callbacks)
    ):
        net_callbacks.append(
            (
                "keep_best_validated",
                KeepBestValidated(patience_for(max_epochs, steps_per_epoch)),
            )
        )
    net_callbacks += user_callbacks
    return Seq2SeqNet(
        module=Seq2SeqModule,
        **{
            f"module__{name}": value
            for name, value in module_params(shapes, settings, params).items()
        },
        criterion=SummedStepMSE,
        alpha=float(settings["alpha"]),
        optimizer=params["optimizer"],
        lr=float(settings["lr"]),
        max_epochs=int(max_epochs),
        batch_size=batch_size,
        iterator_train=batch_loader,
        iterator_valid=batch_loader,
        iterator_train__shuffle=True,
        callbacks=net_callbacks,
        device=params["device"],
        verbose=int(params["verbose"]),
    )


def train(net, train_set, valid_set, *, train_split, previous, epochs, seed):
    """Train ``net`` on ``train_set``; ``previous``: the fitted net it continues.

    ``valid_set`` (a dataset, or ``None``) is the validation data when
    ``train_split`` is a fraction; a callable ``train_split`` is skorch's
    own. The run is seeded with ``seed`` and leaves torch's global random
    state as it was.
    """
    if isinstance(train_split, Real) and not isinstance(train_split, bool):
        train_split = predefined_split(valid_set)
    elif callable(train_split):
        train_split = CheckedSplit(train_split)
    with torch.random.fork_rng(devices=cuda_devices(net.device)):
        torch.manual_seed(seed)
        net.set_params(train_split=train_split)
        if previous is None and net.module__linear_path:
            # the linear path starts at its least squares (or at the last
            # value, unless least squares clearly validates better), then
            # all trains
            init_linear_path(net, train_set, valid_set)
            net.partial_fit(train_set, None, epochs=epochs)
        elif previous is None:
            net.fit(train_set, None, epochs=epochs)
        else:
            continue_from(net, previous)
            net.partial_fit(train_set, None, epochs=epochs or net.max_epochs)
    return net


def init_linear_path(net: Seq2SeqNet, dataset, valid_set=None) -> None:
    """Initialise ``net`` and fit its module's linear path in closed form.

    With a ``valid_set``, the least squares is kept only where it forecasts
    the validation windows clearly better than the normalisation's anchor,
    the last value (:func:`clearly_lower`: by more than one standard error;
    with too few windows to tell, better at all). Otherwise the path is set
    back to zero: on a random walk, or a series as close to one as exchange
    rates, least squares on the lags fits noise that the last value does
    not, and a small gain on one validation tail does not carry over. The
    choice is recorded as ``net.linear_start_`` (``"least_squares"`` or
    ``"anchor"``).
    """
    net.initialize()
    validated = valid_set is not None and len(valid_set)
    if validated:
        anchor_losses = window_losses(net, valid_set)
    net.linear_start_ = "least_squares"
    fit_linear_start(net, dataset)
    if validated and not clearly_lower(
        window_losses(net, valid_set),
        anchor_losses,
        net.module_.n_future,
        else_lower=True,
    ):
        net.linear_start_ = "anchor"
        with torch.no_grad():
            net.module_.linear.weight.zero_()


def fit_linear_start(net: Seq2SeqNet, dataset, chunk: int = 4096) -> None:
    """Fit the linear path's least squares on every window of ``dataset``.

    Its normal equations are summed over chunks of ``chunk`` windows, so
    that memory stays bounded however many windows there are. Draws no
    random number (a ``DataLoader`` would).
    """
    sums = None
    for start in range(0, len(dataset), chunk):
        x, y = dataset[list(range(start, min(start + chunk, len(dataset))))]
        past = x["past"] if isinstance(x, dict) else x
        moments = net.module_.linear_path_moments(
            torch.as_tensor(past).to(net.device), torch.as_tensor(y).to(net.device)
        )
        sums = moments if sums is None else [a + b for a, b in zip(sums, moments)]
    net.module_.solve_linear_path(*sums)


def best_epoch(net) -> int | None:
    """The epoch whose weights :class:`KeepBestValidated` kept (0: the start)."""
    keeper = dict(net.callbacks_).get("keep_best_validated")
    return None if keeper is None else int(keeper.best_epoch_)


class CheckedSplit:
    """A user's callable ``train_split`` whose result is checked.

    skorch unpacks it deep inside ``fit`` ("cannot unpack non-iterable int
    object"); this says what was returned and what is expected.
    """

    def __init__(self, split):
        self.split = split

    def __call__(self, dataset, y=None, **fit_params):
        result = self.split(dataset, y, **fit_params)
        problem = None
        if not isinstance(result, (tuple, list)):
            problem = reprlib.repr(result)
        elif len(result) != 2:
            problem = f"a {type(result).__name__} of {len(result)} item(s)"
        elif not _is_dataset(result[0]):
            problem = f"{reprlib.repr(result[0])} as training data"
        elif result[1] is not None and not _is_dataset(result[1]):
            problem = f"{reprlib.repr(result[1])} as validation data"
        if problem is not None:
            raise TypeError(
                f"train_split returned {problem}, but a callable train_split must "
                "return a pair (dataset_train, dataset_valid) of datasets cut "
                "from the dataset it is given (dataset_valid may be None). Pass "
                "e.g. skorch.dataset.ValidSplit(5), or a fraction: "
                "train_split=0.2."
            )
        return result


def _is_dataset(part) -> bool:
    return (
        hasattr(part, "__len__")
        and hasattr(part, "__getitem__")
        and not isinstance(part, (str, bytes))
    )


def forecast(net, inputs, y_scaler) -> np.ndarray:
    """``net``'s float64 forecasts ``(n, n_future, n_targets)`` in the data's units.

    torch's data loader draws a seed from the global generator: forked, so
    that forecasting leaves the user's random state alone.
    """
    with torch.random.fork_rng(devices=cuda_devices(net.device)):
        values = net.predict(inputs).astype(np.float64)
    if y_scaler is not None:
        values = y_scaler.inverse_transform(
            values.reshape(-1, values.shape[2])
        ).reshape(values.shape)
    return values


def batches_trained(net) -> int:
    """Optimizer steps in ``net``'s history: where a continued schedule resumes."""
    if net is None or not len(net.history):
        return 0
    return int(sum(net.history[:, "train_batch_count"]))


def changed_module_params(net, previous) -> list[str]:
    """What differs between two nets' modules, as ``"name: old -> new"``."""
    return [
        f"{key.removeprefix('module__')}: {getattr(previous, key, None)!r} -> {value!r}"
        for key, value in vars(net).items()
        if key.startswith("module__")
        and key != "module__teacher_forcing"
        and getattr(previous, key, None) != value
    ]


def not_finite_error(net, values) -> Exception:
    """The error for forecasts ``values`` of ``net`` that are not all finite."""
    n_bad = int((~np.isfinite(values)).reshape(len(values), -1).any(1).sum())
    where = f"The forecast of {n_bad} of {len(values)} windows is NaN or infinite"
    if not all(torch.isfinite(w).all() for w in net.module_.parameters()):
        return FloatingPointError(
            f"{where}: the model's weights are not finite. Fit it again with a "
            "smaller lr or clip_grad_norm=1.0 (or smaller)."
        )
    return ValueError(
        f"{where}: X's values are too large for the model, which computes in "
        "float32. Pass windows on the scale seen in fit, or rescale the data "
        "(e.g. divide it by a constant) and fit again."
    )


def cuda_devices(device) -> list:
    """The CUDA devices whose random state a run on ``device`` touches."""
    return [torch.device(device)] if "cuda" in str(device) else []


def interruption(net) -> tuple[int, int] | None:
    """``(epoch interrupted, last finished epoch)`` of a run, or ``None``."""
    keeper = dict(net.callbacks_)["keep_finished_epoch"]
    if keeper.interrupted_ is None:
        return None
    return keeper.interrupted_, keeper.finished_


def continue_from(net: Seq2SeqNet, previous: Seq2SeqNet) -> None:
    """Initialise ``net`` with ``previous``'s weights, optimizer state and history.

    ``previous`` is left untouched, so a continued run that fails leaves the
    fitted model as it was. The optimizer's state carries over only when its
    class is the same; a new optimizer class starts fresh.
    """
    net.initialize()
    net.module_.load_state_dict(previous.module_.state_dict())
    if type(net.optimizer_) is type(previous.optimizer_):
        state = copy.deepcopy(previous.optimizer_.state_dict())
        for group in state["param_groups"]:
            # the new run's lr, and the schedule's base built from it
            group["lr"] = net.lr
            group.pop("initial_lr", None)
        net.optimizer_.load_state_dict(state)
    net.history = copy.deepcopy(previous.history)


def warn_interrupted(epoch: int, kept: str) -> None:
    """Tell the user which model a ``KeyboardInterrupt`` left behind."""
    warnings.warn(
        f"Training was interrupted (KeyboardInterrupt) in epoch {epoch}; {kept}, "
        "and can predict. Call partial_fit to train it further, or fit to start "
        "again.",
        UserWarning,
        stacklevel=4,
    )
