"""Try Seq2SeqRegressor settings on the benchmark's accuracy task.

Each run trains on ``make_sine_cosine(20000, 30, random_state=0)`` (or its
first ``--n-train`` windows) and prints one JSON line: every parameter of the
model (the ones given and the defaults of the installed version), the
sk_seq2seq version, the fit time, the held-out free-running MSE on 2,000 fresh
curves and its ratio to Ridge's. A line holds all that its figure depends on,
so a table built from such lines can be reproduced by running them again.

    python benchmarks/tune.py '{"hidden_dim": 64, "lr_schedule": null}'
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
from sklearn.linear_model import Ridge

import sk_seq2seq
from sk_seq2seq import Seq2SeqRegressor, make_sine_cosine


def settings(model: Seq2SeqRegressor) -> dict:
    """The model's parameters as JSON values (classes by their dotted name)."""
    return {
        name: value
        if value is None or isinstance(value, (bool, int, float, str, list))
        else f"{value.__module__}.{value.__qualname__}"
        for name, value in model.get_params().items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("params", help="Seq2SeqRegressor parameters as JSON")
    parser.add_argument("--n-train", type=int, default=20000)
    parser.add_argument("--noise", type=float, default=0.0)
    parser.add_argument("--random-state", type=int, default=0)
    args = parser.parse_args()
    train = make_sine_cosine(20000, 30, noise=args.noise, random_state=0)
    train = train[: args.n_train]
    test = make_sine_cosine(2000, 30, noise=args.noise, random_state=1)
    X, y = train[:, :15], train[:, 15:]
    X_test, y_test = test[:, :15], test[:, 15:]
    ridge = Ridge().fit(X[:, :, 0], y[:, :, 0])
    ridge_mse = float(np.mean((ridge.predict(X_test[:, :, 0]) - y_test[:, :, 0]) ** 2))
    model = Seq2SeqRegressor(
        **{"random_state": args.random_state, **json.loads(args.params)}
    )
    start = time.perf_counter()
    model.fit(X, y)
    fit_s = time.perf_counter() - start
    mse = float(np.mean((model.predict(X_test) - y_test) ** 2))
    print(
        json.dumps(
            {
                "params": settings(model),
                "sk_seq2seq": sk_seq2seq.__version__,
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
