"""The skorch side of training: the net, its loss and its callbacks.

:class:`Seq2SeqRegressor` builds one :class:`Seq2SeqNet` per training run with
:func:`build_net`; everything here is private plumbing that a user meets only
as ``model.net_`` and through the messages these callbacks raise or warn.
"""

from __future__ import annotations

import copy
import math
import warnings

import numpy as np
import torch
from skorch import NeuralNetRegressor
from skorch.callbacks import Callback, GradientNormClipping, LRScheduler
from skorch.dataset import unpack_data
from skorch.utils import to_tensor

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

    def get_loss(self, y_pred, y_true, X=None, training=False):
        # a module with scaled_loss left each window's spread from its pass:
        # errors in the window's own units, whatever the series' level
        scale = getattr(self.module_, "loss_scale_", None)
        if scale is not None:
            self.module_.loss_scale_ = None
            y_true = to_tensor(y_true, device=self.device)
            y_pred, y_true = y_pred / scale, y_true / scale
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

    skorch swallows ``KeyboardInterrupt`` and ends training mid-epoch. This
    callback copies the weights and the optimizer's state when an epoch
    starts; when training ends in the middle of an epoch it restores them,
    drops the unfinished epoch from ``history`` and records the epoch in
    ``interrupted_`` (``None`` when training finished).
    """

    def on_train_begin(self, net, **kwargs):
        self.interrupted_ = None
        self.snapshot_ = None

    def on_epoch_begin(self, net, **kwargs):
        self.finished_ = len(net.history) - 1
        self.snapshot_ = copy.deepcopy(
            (net.module_.state_dict(), net.optimizer_.state_dict())
        )

    def on_epoch_end(self, net, **kwargs):
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


def build_net(
    *,
    module_params: dict,
    alpha: float,
    optimizer,
    lr: float,
    max_epochs: int,
    batch_size: int,
    steps_per_epoch: int,
    lr_schedule: str | None,
    schedule_offset: int,
    clip_grad_norm: float | None,
    callbacks: list | None,
    device,
    verbose: int,
) -> Seq2SeqNet:
    """An uninitialised :class:`Seq2SeqNet` with this package's callbacks.

    ``module_params`` are the :class:`Seq2SeqModule`'s arguments; the user's
    ``callbacks`` are deep-copied, so that the estimator's stay untouched.
    """
    from ._module import Seq2SeqModule

    net_callbacks = [
        ("divergence", StopOnDivergence()),
        ("keep_finished_epoch", KeepFinishedEpoch()),
    ]
    if clip_grad_norm is not None:
        net_callbacks.append(
            ("gradient_clipping", GradientNormClipping(clip_grad_norm))
        )
    if lr_schedule == "cosine":
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
    net_callbacks += copy.deepcopy(callbacks or [])
    return Seq2SeqNet(
        module=Seq2SeqModule,
        **{f"module__{name}": value for name, value in module_params.items()},
        criterion=SummedStepMSE,
        alpha=alpha,
        optimizer=optimizer,
        lr=lr,
        max_epochs=max_epochs,
        batch_size=batch_size,
        iterator_train__shuffle=True,
        callbacks=net_callbacks,
        device=device,
        verbose=verbose,
    )


def init_linear_path(net: Seq2SeqNet, inputs, future, seed: int, n_max=20000):
    """Initialise ``net`` and fit its module's linear path in closed form.

    ``inputs`` and ``future`` are what ``net.fit`` receives: arrays (or a
    dict with ``"past"``) and their targets, or a dataset of pairs with
    ``future=None``. At most ``n_max`` windows, drawn with ``seed``.
    """
    net.initialize()
    n = len(future) if future is not None else len(inputs)
    rows = np.arange(n)
    if n > n_max:
        rows = np.sort(np.random.default_rng(seed).choice(n, n_max, replace=False))
    if future is not None:
        past = inputs["past"] if isinstance(inputs, dict) else inputs
        past, target = past[rows], future[rows]
    else:
        items = [inputs[int(i)] for i in rows]
        first = items[0][0]
        past = np.stack(
            [(x["past"] if isinstance(first, dict) else x).numpy() for x, _ in items]
        )
        target = np.stack([y.numpy() for _, y in items])
    net.module_.fit_linear_path(
        torch.as_tensor(np.asarray(past), device=net.device),
        torch.as_tensor(np.asarray(target), device=net.device),
    )


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
