"""The reference for the estimator's overhead: a hand-written PyTorch loop.

    python benchmarks/overhead.py            # 20,000 windows, 2 epochs, best of 3
    python benchmarks/overhead.py --quick    # a smoke run (seconds)

Times ``Seq2SeqRegressor.fit`` (checks, scaling, skorch's loop) against
the loop a PyTorch user writes by hand for the same ``Seq2SeqModule``, data,
loss, optimizer, learning-rate schedule, clipping, batch size and epochs, and
prints the ratio. This is the only training loop the benchmarks write by hand:
every other figure trains through ``Seq2SeqRegressor`` or ``NaiveForecaster``.
``benchmarks/run.py`` reports the same ratio in its section 2, written to
``benchmarks/results/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import time

import numpy as np
import torch
from _machine import load_average  # benchmarks/, the script's folder
from sklearn.preprocessing import StandardScaler

from sk_seq2seq import Seq2SeqModule, Seq2SeqRegressor, make_sine_cosine

N_PAST = N_FUTURE = 15


def hand_written_fit(
    past: np.ndarray, future: np.ndarray, model: Seq2SeqRegressor, epochs: int
) -> Seq2SeqModule:
    """The loop a PyTorch user writes by hand for the model's own settings.

    Same module, data (standardised, float32), loss (summed per-step MSE plus
    ``alpha`` times the weight penalty), optimizer, learning-rate schedule,
    batch size and epochs as ``model.fit``; the reference for skorch's
    overhead. ``model`` is fitted: its ``settings_`` are the values its
    ``"auto"`` parameters took.
    """
    settings = model.settings_
    x_scaler = StandardScaler().fit(past.reshape(-1, 1))
    past_t = torch.from_numpy(
        x_scaler.transform(past.reshape(-1, 1)).reshape(past.shape).astype(np.float32)
    )
    future_t = torch.from_numpy(
        x_scaler.transform(future.reshape(-1, 1))
        .reshape(future.shape)
        .astype(np.float32)
    )
    torch.manual_seed(0)
    module = Seq2SeqModule(
        n_features=1,
        n_targets=1,
        n_future=future.shape[1],
        hidden_dim=settings["hidden_dim"],
        num_layers=settings["num_layers"],
        teacher_forcing=model.teacher_forcing,
        target_index=[0],
        window_norm=settings["window_norm"],
        window_stats_input=settings["window_stats_input"],
        segment_length=settings["segment_length"],
        decoder=settings["decoder"],
    )
    optimizer = model.optimizer(module.parameters(), lr=settings["lr"])
    steps_per_epoch = math.ceil(len(past_t) / model.batch_size)
    schedule = _hand_written_schedule(model, optimizer, epochs * steps_per_epoch)
    module.train()
    for _ in range(epochs):
        order = torch.randperm(len(past_t))
        for start in range(0, len(past_t), model.batch_size):
            batch = order[start : start + model.batch_size]
            x, y = past_t[batch], future_t[batch]
            optimizer.zero_grad()
            y_pred = module(x, target=y)
            loss = ((y_pred - y) ** 2).mean(dim=(0, 2)).sum()
            loss = loss + settings["alpha"] * module.weight_penalty()
            loss.backward()
            if model.clip_grad_norm is not None:
                torch.nn.utils.clip_grad_norm_(
                    module.parameters(), model.clip_grad_norm
                )
            optimizer.step()
            if schedule is not None:
                schedule.step()
    return module


def _hand_written_schedule(model, optimizer, total_steps):
    """The built-in learning-rate schedule of ``model``, if it has one."""
    if getattr(model, "lr_schedule", None) == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, total_steps)
    return None


@dataclasses.dataclass(frozen=True)
class Overhead:
    """The fastest fit of each loop, in seconds, and the batch size both used."""

    estimator_s: float
    hand_written_s: float
    batch_size: int

    @property
    def ratio(self) -> float:
        """``Seq2SeqRegressor.fit``'s time over the hand-written loop's."""
        return self.estimator_s / self.hand_written_s


def _seconds(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def measure(past: np.ndarray, future: np.ndarray, epochs: int, repeats: int):
    """Time both loops ``repeats`` times on the same windows; keep the fastest.

    Parameters
    ----------
    past : ndarray of shape (n_samples, n_past, 1)
    future : ndarray of shape (n_samples, n_future, 1)
    epochs : int
        Epochs of each fit.
    repeats : int
        Fits of each loop, alternated.

    Returns
    -------
    Overhead
    """
    # like for like: one recipe (on these 15 -> 15 windows "auto" would also
    # train "segments" and validate), no windows held out for validation or
    # calibration, so that both loops train the same module on every window
    model = Seq2SeqRegressor(
        recipe="steps",
        train_split=None,
        calibration=None,
        max_epochs=epochs,
        random_state=0,
    )
    ours, hand = [], []
    for _ in range(repeats):
        # alternate, so that drifting load hits both alike; keep the fastest.
        # The estimator fits first: the hand-written loop reads its settings_
        ours.append(_seconds(model.fit, past, future))
        hand.append(_seconds(hand_written_fit, past, future, model, epochs))
    return Overhead(min(ours), min(hand), model.batch_size)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument(
        "--threads", type=int, default=1, help="torch threads (default 1)"
    )
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    n_train, epochs, repeats = (500, 1, 1) if args.quick else (20_000, 2, 3)
    series = make_sine_cosine(n_train, N_PAST + N_FUTURE, random_state=0)
    past, future = series[:, :N_PAST], series[:, N_PAST:]
    # untimed: the first fit of a process pays for lazy imports and allocations
    # (run.py measures after its section 1 has trained)
    measure(past[:64], future[:64], 1, 1)
    print(f"load average before: {load_average()}")
    measured = measure(past, future, epochs, repeats)
    print(
        f"{n_train} windows, {epochs} epoch(s), batch size {measured.batch_size}, "
        f"fastest of {repeats}: Seq2SeqRegressor.fit {measured.estimator_s:.2f} s, "
        f"hand-written PyTorch {measured.hand_written_s:.2f} s, "
        f"ratio {measured.ratio:.2f} (target ≤ 1.2)"
    )
    print(f"load average after: {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
