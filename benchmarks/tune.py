"""Try Seq2SeqRegressor settings on the benchmark's accuracy task.

Each run trains on ``make_sine_cosine(20000, 30, random_state=0)`` (or fewer
windows with ``--n-train``) and prints one JSON line: the settings, fit time,
held-out free-running MSE and its ratio to Ridge. The table in
``benchmarks/TUNING.md`` was collected with this script.

    python benchmarks/tune.py '{"lr": 0.01, "batch_size": 256, "max_steps": 2000}'
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy as np
import torch
from sklearn.linear_model import Ridge
from skorch.callbacks import LRScheduler

from sk_seq2seq import Seq2SeqRegressor, make_sine_cosine


def cosine_schedule(n_train: int, batch_size: int, max_steps: int) -> LRScheduler:
    """Cosine decay of the learning rate over the whole budget, per batch."""
    steps_per_epoch = math.ceil(n_train / batch_size)
    total = math.ceil(max_steps / steps_per_epoch) * steps_per_epoch
    return LRScheduler(
        torch.optim.lr_scheduler.CosineAnnealingLR, T_max=total, step_every="batch"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("params", help="Seq2SeqRegressor parameters as JSON")
    parser.add_argument("--n-train", type=int, default=20000)
    parser.add_argument("--noise", type=float, default=0.0)
    parser.add_argument("--cosine", action="store_true")
    args = parser.parse_args()
    params = json.loads(args.params)
    train = make_sine_cosine(20000, 30, noise=args.noise, random_state=0)
    train = train[: args.n_train]
    test = make_sine_cosine(2000, 30, noise=args.noise, random_state=1)
    X, y = train[:, :15], train[:, 15:]
    X_test, y_test = test[:, :15], test[:, 15:]
    ridge = Ridge().fit(X[:, :, 0], y[:, :, 0])
    ridge_mse = float(np.mean((ridge.predict(X_test[:, :, 0]) - y_test[:, :, 0]) ** 2))
    if args.cosine:
        batch_size = params.get("batch_size", 64)
        max_steps = params.get("max_steps", 2000)
        params["callbacks"] = [cosine_schedule(len(X), batch_size, max_steps)]
    model = Seq2SeqRegressor(random_state=0, **params)
    start = time.perf_counter()
    model.fit(X, y)
    fit_s = time.perf_counter() - start
    mse = float(np.mean((model.predict(X_test) - y_test) ** 2))
    params.pop("callbacks", None)
    print(
        json.dumps(
            {
                **params,
                "cosine": args.cosine,
                "n_train": len(X),
                "noise": args.noise,
                "epochs": len(model.history_),
                "fit_s": round(fit_s, 1),
                "mse": round(mse, 4),
                "ridge_mse": round(ridge_mse, 4),
                "ratio": round(mse / ridge_mse, 3),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
