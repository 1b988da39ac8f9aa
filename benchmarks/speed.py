"""Issue 22's speed targets: what a user waits for, on an idle machine.

    OMP_NUM_THREADS=1 python benchmarks/speed.py --data /work/shared/data

Each row times the default ``Seq2SeqRegressor(n_future=H)`` fit (nothing
else set; the panel through a ``SeriesWindower`` Pipeline on the raw
series) and ``Ridge(alpha=1e-3)`` on the same lags, in the same run, and
prints the load average before and after: a timing taken on a busy machine
is an upper bound. The targets (2 idle cores):

- ETTh1 96 -> 96 (the LTSF training rows, every column its own series):
  <= 20 s;
- a 2,000-step weekly series, 52 -> 24 (the last 2,000 weeks of the
  statsmodels CO2 series): <= 10 s;
- a synthetic panel of 400 hourly series of 1,000 steps, 168 -> 48
  (``real.make_panel``): <= 60 s;
- ``python -m sk_seq2seq``, the whole demo: <= 60 s.

Writes ``benchmarks/results/SPEED.md``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _machine import load_average  # benchmarks/, the script's folder
from real import (  # the suite's data, windows and baselines
    LagRidge,
    load_series,
    make_panel,
    stacked_windows,
)
from sklearn.pipeline import make_pipeline

from sk_seq2seq import Seq2SeqRegressor, SeriesWindower

RESULTS = Path(__file__).resolve().parent / "results"


def timed(function, *args):
    start = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - start


def model_and_ridge(X, y, n_future):
    """Fit seconds of the default on 2-D windows ``X``, ``y``, and of Ridge."""
    model = Seq2SeqRegressor(n_future=n_future, random_state=0)
    model, seconds = timed(model.fit, X[..., None], y[..., None])
    _, ridge_seconds = timed(LagRidge(alpha=1e-3).fit, X, y)
    return seconds, ridge_seconds, f"{model.recipe_}, {len(model.history_)} epochs"


def etth1(args):
    values = pd.read_csv(args.data / "ETTh1.csv").iloc[:, 1:].to_numpy(np.float64)
    train = values[:8640]
    train = (train - train.mean(0)) / train.std(0)
    return model_and_ridge(*stacked_windows(train, 96, 96), 96)


def weekly(args):
    series = load_series("co2")[-2000:]
    X, y = stacked_windows(series[:, None], 52, 24)
    return model_and_ridge(X, y, 24)


def panel(args):
    series = list(make_panel())
    pipe = make_pipeline(
        SeriesWindower(n_past=168, n_future=48),
        Seq2SeqRegressor(n_future=48, random_state=0),
    )
    fitted, seconds = timed(pipe.fit, series)
    X, y = zip(*(stacked_windows(s[:, None], 168, 48) for s in series))
    _, ridge_seconds = timed(
        LagRidge(alpha=1e-3).fit, np.concatenate(X), np.concatenate(y)
    )
    model = fitted[-1]
    return seconds, ridge_seconds, f"{model.recipe_}, {len(model.history_)} epochs"


def demo(args):
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "sk_seq2seq", "--out", str(args.out)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start, None, "the whole demo (fit, baselines, figures)"


ROWS = {
    "ETTh1 96 -> 96": (etth1, 20),
    "weekly series of 2,000 steps, 52 -> 24": (weekly, 10),
    "400 hourly series of 1,000 steps, 168 -> 48": (panel, 60),
    "python -m sk_seq2seq": (demo, 60),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/sk_seq2seq_speed"))
    parser.add_argument("--output", type=Path, default=RESULTS / "SPEED.md")
    args = parser.parse_args(argv)
    lines = [
        "# Speed targets (issue 22)",
        "",
        "`OMP_NUM_THREADS=1 python benchmarks/speed.py`: the default's fit "
        "against `Ridge(alpha=1e-3)` on the same lags, in the same run. Load "
        "average (1, 5, 15 min) before and after each row.",
        "",
        "| row | target s | fit s | met | x Ridge | what ran | load before | "
        "load after |",
        "| --- | ---: | ---: | --- | ---: | --- | --- | --- |",
    ]
    for name, (row, target) in ROWS.items():
        before = load_average()
        seconds, ridge_seconds, what = row(args)
        ratio = f"{seconds / ridge_seconds:.0f}" if ridge_seconds else ""
        met = "yes" if seconds <= target else f"no ({seconds / target:.1f}x)"
        line = (
            f"| {name} | {target} | {seconds:.1f} | {met} | {ratio} | {what} | "
            f"{before} | {load_average()} |"
        )
        print(line, flush=True)
        lines.append(line)
    args.output.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
