"""What each forecasting feature of Seq2SeqRegressor is worth, measured.

    python benchmarks/features.py           # about 10 minutes on 2 cores
    python benchmarks/features.py --quick   # a smoke run (about a minute)

Every row trains the default model with one feature switched, on the same
windows as its partner rows, and reports the held-out free-running MSE per
step (and its ratio to the row's baseline). Writes ``benchmarks/results/FEATURES.md``
(``--output`` elsewhere).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import numpy as np
import sklearn
import torch

import sk_seq2seq
from sk_seq2seq import Seq2SeqRegressor, SeriesWindower, make_sine_cosine


def mse(model, X, y):
    return float(np.mean((model.predict(X) - y) ** 2))


def tutorial(n_train, n_test, factor=1.0, shift=0.0):
    train = make_sine_cosine(n_train, 30, random_state=0) * factor + shift
    test = make_sine_cosine(n_test, 30, random_state=1) * factor + shift
    return train[:, :15], train[:, 15:], test[:, :15], test[:, 15:]


def trend(n=2000, random_state=0):
    """A noisy linear trend plus a 12-step season; tested beyond its training part."""
    rng = np.random.RandomState(random_state)
    t = np.arange(n)
    series = 0.05 * t + np.sin(2 * np.pi * t / 12) + rng.normal(scale=0.1, size=n)
    split = int(n * 0.6)
    train = SeriesWindower().fit_transform(series[:split])
    test = SeriesWindower().fit_transform(series[split:])
    return train[:, :15], train[:, 15:], test[:, :15], test[:, 15:]


def driven(n=6000, lag=5, random_state=0):
    """Feature 0 repeats feature 1 (white noise) ``lag`` steps later."""
    rng = np.random.RandomState(random_state)
    driver = rng.normal(size=n)
    follower = np.concatenate([np.zeros(lag), driver[:-lag]])
    follower = follower + 0.05 * rng.normal(size=n)
    history = np.stack([follower, driver], axis=-1)[np.newaxis]
    windows = SeriesWindower(n_past=15, n_future=5).fit_transform(history)
    split = len(windows) * 4 // 5
    X, y = windows[:, :15], windows[:, 15:, :1]
    return X[:split], y[:split], X[split:], y[split:]


def covariate_level(n=6000, n_series=8, random_state=0):
    """The target's drift is set by the level of a slowly varying covariate.

    ``y[t] = y[t-1] + 0.2 * c[t-1] + noise`` with ``c`` an AR(1) process
    (coefficient 0.99): the covariate's level, not its shape within the
    window, tells where the target goes, so erasing it costs accuracy.
    """
    rng = np.random.RandomState(random_state)
    c = np.zeros((n_series, n))
    for t in range(1, n):
        c[:, t] = 0.99 * c[:, t - 1] + 0.1 * rng.normal(size=n_series)
    y = np.cumsum(0.2 * c + 0.1 * rng.normal(size=(n_series, n)), axis=1)
    history = np.stack([y, c], axis=-1)
    split = n * 4 // 5
    windower = SeriesWindower(n_past=15, n_future=15)
    train = windower.fit_transform(history[:, :split])[::5]
    test = windower.fit_transform(history[:, split:])[::5]
    return train[:, :15], train[:, 15:, :1], test[:, :15], test[:, 15:, :1]


def accepted(params: dict) -> bool:
    """Whether the installed regressor takes these parameters (else skip the row)."""
    try:
        Seq2SeqRegressor(**params)._validate_params()
    except (TypeError, ValueError) as error:
        print(f"skipped {params}: {str(error).splitlines()[0]}", flush=True)
        return False
    return True


def run(quick: bool) -> list[tuple[str, str, float, float, float]]:
    """Rows of (experiment, setting, MSE, ratio to the first setting, fit seconds)."""
    n_train, n_test = (200, 100) if quick else (5000, 2000)
    budget = {"max_steps": 8} if quick else {}
    # explicit window_stats_input: "auto" would switch it on with window_norm
    norms = [
        {"window_norm": "revin", "window_stats_input": True},  # the default
        {"window_norm": "revin", "window_stats_input": False},
        {"window_norm": "last_value", "window_stats_input": True},
        {"window_norm": "last_value", "window_stats_input": False},
        {"window_norm": None},
    ]
    experiments = {
        "scale, curves x1000 + 5000 (relative MSE)": (
            tutorial(n_train, n_test, 1000.0, 5000.0),
            [
                {"scale": True},
                {"scale": False},
                {"scale": True, "window_norm": None},
                {"scale": False, "window_norm": None},
            ],
            1000.0,
        ),
        "window_norm, tutorial curves": (tutorial(n_train, n_test), norms, 1.0),
        "window_norm, trend beyond the training range": (trend(), norms, 1.0),
        "window_norm, a covariate's level drives the target": (
            covariate_level(),
            norms,
            1.0,
        ),
        "encoder, tutorial curves": (
            tutorial(n_train, n_test),
            [{"bidirectional": False}, {"bidirectional": True}],
            1.0,
        ),
        "past covariate (a driver leading the target by 5 steps)": (
            driven(),
            [{"features": [0, 1]}, {"features": [0]}],
            1.0,
        ),
    }
    rows = []
    for name, ((X, y, X_test, y_test), settings, unit) in experiments.items():
        first = None
        for setting in settings:
            params = dict(setting)
            if not accepted({k: v for k, v in params.items() if k != "features"}):
                continue
            features = params.pop("features", slice(None))
            model = Seq2SeqRegressor(random_state=0, **budget, **params)
            start = time.perf_counter()
            model.fit(X[:, :, features], y)
            seconds = time.perf_counter() - start
            error = mse(model, X_test[:, :, features], y_test) / unit**2
            first = error if first is None else first
            label = ", ".join(f"{k}={v}" for k, v in setting.items())
            rows.append((name, label, error, error / first, seconds))
            print(
                f"{name:58} {label:28} {error:10.4f} {error / first:7.2f}x "
                f"{seconds:6.1f}s",
                flush=True,
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument(
        "--output", type=Path, default=Path(__file__).parent / "results" / "FEATURES.md"
    )
    args = parser.parse_args(argv)
    rows = run(args.quick)
    lines = [
        "# Forecasting features, measured",
        "",
        f"Command: `python benchmarks/features.py{' --quick' if args.quick else ''}`"
        f" on {platform.machine()}, {torch.get_num_threads()} torch threads, "
        f"Python {platform.python_version()}, torch {torch.__version__}, "
        f"scikit-learn {sklearn.__version__}, sk_seq2seq {sk_seq2seq.__version__}.",
        "",
        "Held-out free-running MSE per step; the ratio is to the first row of "
        "each experiment (the default where there is one).",
        "",
        "| experiment | setting | MSE | ratio | fit s |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {e} | {s} | {m:.4f} | {r:.2f} | {t:.1f} |" for e, s, m, r, t in rows]
    args.output.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
