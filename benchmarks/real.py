"""The development suite of real data: the default against four simple baselines.

    OMP_NUM_THREADS=1 python benchmarks/real.py --data /work/shared/data
    OMP_NUM_THREADS=1 python benchmarks/real.py --data DIR --rows m4 co2 --seeds 0
    OMP_NUM_THREADS=1 python benchmarks/real.py --data DIR --quick       # seconds
    python benchmarks/real.py --data DIR --rows panel --params '{"scale": false}'
    python benchmarks/real.py --data DIR --split val --label "revin loss"

Every row fits ``Seq2SeqRegressor(n_future=H)`` with nothing else set (or
with ``--params``, a JSON dict of parameters, to measure a variant) and the
four baselines of issue 22 on the same windows in the same run:

- ``last``: repeat the last value;
- ``seasonal``: seasonal naive with the period of the data's frequency
  (hourly 24, weekly 52, monthly 12; none for yearly data, and for M4 Weekly
  the competition's period 1, i.e. the last value again);
- ``ridge``: ``Ridge(alpha=1e-3)`` on the same ``n_past`` lags;
- ``nlinear``: the same Ridge on the lags minus the last value, plus the last
  value back (closed form).

The rows (``--rows``):

- ``etth1-96`` ... ``etth1-720``: ETTh1, lookback 96, by the LTSF protocol
  (``ETTh1.csv``; every column its own series, z-scored with the training
  rows' statistics, every validation and test window at stride 1); test MSE.
- ``m4``: the 359 weekly series of M4 (``M4-Weekly-train.csv``,
  ``M4-Weekly-test.csv``), one global ``Pipeline(SeriesWindower(n_past=52,
  n_future=13), Seq2SeqRegressor(n_future=13))`` on the raw series; the
  competition's sMAPE, MASE (period 1) and OWA against Naive2 (for weekly
  data the last value). Validation: the last 13 weeks of each training series.
- ``co2``, ``sunspots``, ``elnino``: series that ship with statsmodels
  (weekly Mauna Loa CO2 52 -> 13, yearly sunspots 22 -> 11, monthly El Nino
  sea temperatures 24 -> 12), forecast with ``backtest`` from every origin of
  the last part of the series after one fit on everything before it; MAE.
  Validation: the first half of the origins, test: the second half.
- ``epidemic``, ``walk``: stand-ins, generated here, for two kinds of data
  of issue 22's table that no package ships offline, by the LTSF protocol
  (70/10/20 split): weekly epidemic counts (7 columns, 966 weeks, a yearly
  epidemic of changing height on growing levels; 36 -> 24, short windows
  below a year) and daily exchange-rate-like random walks (8 columns, 7,588
  days; 96 -> 96, where nothing beats the last value); test MSE.
- ``panel``: a synthetic panel of 400 hourly series of 1,000 steps, levels
  log-uniform in [1, 1e6], a daily and a weekly cycle, a trend and noise
  proportional to the level; one global Pipeline, 168 -> 48, forecast from the
  end of each series; OWA against the last value (sMAPE, and MASE scaled by
  the in-sample seasonal (24) difference). Validation: the 48 steps before.

``--split test`` (the default) fits once per row on everything before the
test period; ``--split val`` fits the M4 and panel rows on the data before
their validation period instead (ETTh1 and the backtests score validation
and test from one fit in either case). Settings are chosen on validation.
Every run appends its rows to ``benchmarks/results/real_runs.jsonl`` and
writes a Markdown table (``--output``, default
``benchmarks/results/REAL.md``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import torch
from _machine import load_average  # benchmarks/, the script's folder
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

import sk_seq2seq
from sk_seq2seq import NaiveForecaster, Seq2SeqRegressor, SeriesWindower, backtest
from sk_seq2seq._recipes import RECIPES

RESULTS = Path(__file__).resolve().parent / "results"
ETT_ROWS = ("etth1-96", "etth1-192", "etth1-336", "etth1-720")
SYNTHETIC_LTSF = ("epidemic", "walk")
ALL_ROWS = (
    *ETT_ROWS,
    "m4",
    "co2",
    "sunspots",
    "elnino",
    "panel",
    *SYNTHETIC_LTSF,
    "tutorial",
)
BASELINES = ("last", "seasonal", "ridge", "nlinear")
# the row's metric, lower is better
METRIC = {
    **{row: "MSE" for row in ETT_ROWS},
    "m4": "OWA",
    "co2": "MAE",
    "sunspots": "MAE",
    "elnino": "MAE",
    "panel": "OWA",
    "epidemic": "MSE",
    "walk": "MSE",
    "tutorial": "MSE",
}


# -- baselines -------------------------------------------------------------


class NLinear(Ridge):
    """Ridge on the lags relative to the last value, the last value added back.

    Reads 2-D windows: past ``(n, n_past)``, future ``(n, n_future)``.
    """

    def fit(self, X, y):
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        return super().fit(X - X[:, -1:], (y.reshape(len(y), -1) - X[:, -1:]))

    def predict(self, X):
        X = np.asarray(X, dtype=np.float64)
        return super().predict(X - X[:, -1:]) + X[:, -1:]


class LagRidge(Ridge):
    """``Ridge`` on the lags, reading 2-D windows and 2-D futures."""

    def fit(self, X, y):
        y = np.asarray(y, dtype=np.float64)
        return super().fit(np.asarray(X, np.float64), y.reshape(len(y), -1))


def naive(past, horizon, period):
    """Seasonal naive forecast ``(n, horizon)`` of 2-D pasts (period 1: last)."""
    last = past[:, -period:]
    reps = -(-horizon // period)
    return np.tile(last, (1, reps))[:, :horizon]


def linear_baselines(train_past, train_future, pasts, horizon, period):
    """Every baseline's forecasts of each of ``pasts``, and the fit seconds."""
    forecasts = {name: [] for name in BASELINES}
    seconds = {"last": 0.0, "seasonal": 0.0}
    for name, cls in (("ridge", LagRidge), ("nlinear", NLinear)):
        start = time.perf_counter()
        model = cls(alpha=1e-3).fit(train_past, train_future)
        seconds[name] = time.perf_counter() - start
        for past in pasts:
            forecasts[name].append(model.predict(past).reshape(len(past), horizon))
    for past in pasts:
        forecasts["last"].append(naive(past, horizon, 1))
        forecasts["seasonal"].append(naive(past, horizon, period if period else 1))
    return forecasts, seconds


# -- metrics ---------------------------------------------------------------


def smape(actual, forecast):
    return float(
        np.mean(200 * np.abs(actual - forecast) / (np.abs(actual) + np.abs(forecast)))
    )


def mase(actual, forecast, insample, period):
    """Mean over series of MAE / in-sample mean seasonal absolute difference."""
    scores = []
    for a, f, history in zip(actual, forecast, insample):
        scale = np.mean(np.abs(history[period:] - history[:-period]))
        scores.append(np.mean(np.abs(a - f)) / scale)
    return float(np.mean(scores))


def owa_scores(actual, forecasts, insample, period):
    """``{name: (OWA, sMAPE, MASE)}``, OWA relative to ``forecasts["last"]``."""
    raw = {
        name: (smape(actual, f), mase(actual, f, insample, period))
        for name, f in forecasts.items()
    }
    ref = raw["last"]
    return {name: ((s / ref[0] + m / ref[1]) / 2, s, m) for name, (s, m) in raw.items()}


# -- the model -------------------------------------------------------------


EARLY_STOPPING = {"patience": None}


def make_model(horizon, seed, params):
    if EARLY_STOPPING["patience"] is not None:
        from skorch.callbacks import EarlyStopping

        stop = EarlyStopping(patience=EARLY_STOPPING["patience"], load_best=True)
        params = {"train_split": 0.2, "callbacks": [stop], **params}
    return Seq2SeqRegressor(n_future=horizon, random_state=seed, **params)


def timed_fit(model, *data):
    start = time.perf_counter()
    model.fit(*data)
    return model, time.perf_counter() - start


# -- rows ------------------------------------------------------------------


def etth1_row(args, horizon, params):
    values = pd.read_csv(args.data / "ETTh1.csv").iloc[:, 1:].to_numpy(np.float64)
    borders = (8640, 11520, 14400)
    if args.quick:
        n = 2400
        values, borders = values[:n], (n * 6 // 10, n * 8 // 10, n)
        horizon = min(horizon, 48)
    return ltsf_row(args, values, borders, 96, horizon, 24, params)


def ltsf_borders(n):
    """The LTSF split of a custom data set: 70 % train, 20 % test, the rest val."""
    return int(n * 0.7), n - int(n * 0.2), n


def make_epidemic(seed=0, n_weeks=966):
    """Stand-in for weekly influenza-like-illness counts (7 columns, 966 weeks).

    A yearly epidemic whose peak week and height change every year, on a
    level that grows (more reporting providers), with counts' noise; the
    columns share the epidemic and differ in level and growth. The real
    data set (LTSF's ILI) is not shipped offline.
    """
    rng = np.random.default_rng(seed)
    weeks = np.arange(n_weeks)
    epidemic = np.zeros(n_weeks)
    for year in range(n_weeks // 52 + 2):
        peak = year * 52 + 20 + rng.normal(0, 3)
        height = rng.lognormal(0, 0.4)
        width = rng.uniform(3, 6)
        epidemic += height * np.exp(-0.5 * ((weeks - peak) / width) ** 2)
    columns = []
    for _ in range(7):
        growth = np.exp(rng.uniform(0.5, 2.0) * weeks / n_weeks)
        level = rng.lognormal(3, 1) * growth
        share = rng.uniform(0.3, 1.5)
        mean = level * (1 + share * epidemic)
        columns.append(rng.poisson(mean) + rng.normal(0, 0.02, n_weeks) * mean)
    return np.stack(columns, axis=1)


def make_walk(seed=0, n_days=7588):
    """Stand-in for daily exchange rates (8 columns): geometric random walks."""
    rng = np.random.default_rng(seed)
    returns = rng.normal(0, rng.uniform(0.003, 0.01, 8), (n_days, 8))
    return rng.uniform(0.5, 2.0, 8) * np.exp(np.cumsum(returns, axis=0))


def synthetic_ltsf_row(args, name, params):
    lookback, horizon, period = {"epidemic": (36, 24, 52), "walk": (96, 96, 7)}[name]
    values = make_epidemic() if name == "epidemic" else make_walk()
    if args.quick:
        values = values[: len(values) // 2]
    return ltsf_row(
        args, values, ltsf_borders(len(values)), lookback, horizon, period, params
    )


def stacked_windows(values, n_past, n_future):
    """Every window of every column of ``values`` ``(n_steps, n_columns)``.

    Each column is its own series, the windows stacked time by time (newest
    last): past ``(n, n_past)``, future ``(n, n_future)``.
    """
    joined = sliding_window_view(values, n_past + n_future, axis=0)
    series = joined.reshape(-1, n_past + n_future)
    return series[:, :n_past], series[:, n_past:]


def ltsf_row(args, values, borders, lookback, horizon, period, params):
    """Test MSE by the LTSF protocol: z-scored columns, every window, stride 1.

    The seasonal baseline repeats the last ``period`` steps where the
    lookback covers a period, else the last value.
    """
    mean = values[: borders[0]].mean(0)
    std = values[: borders[0]].std(0)
    values = (values - mean) / std
    period = period if period <= lookback else 1

    def windows(start, stop):
        return stacked_windows(values[start:stop], lookback, horizon)

    train = windows(0, borders[0])
    val = windows(borders[0] - lookback, borders[1])
    test = windows(borders[1] - lookback, borders[2])
    forecasts, base_seconds = linear_baselines(
        *train, [val[0], test[0]], horizon, period
    )
    result = {"baselines": {}, "model": []}
    for name in BASELINES:
        result["baselines"][name] = {
            "val": float(np.mean((forecasts[name][0] - val[1]) ** 2)),
            "test": float(np.mean((forecasts[name][1] - test[1]) ** 2)),
            "fit_s": base_seconds[name],
        }
    for seed in args.seeds:
        model, seconds = timed_fit(
            make_model(horizon, seed, params), train[0][..., None], train[1][..., None]
        )
        scores = {
            part: float(np.mean((model.predict(p[..., None])[..., 0] - f) ** 2))
            for part, (p, f) in (("val", val), ("test", test))
        }
        result["model"].append({**scores, "fit_s": seconds, **model_info(model)})
    return result


def model_info(model):
    model = model[-1] if hasattr(model, "steps") else model
    net = model.net_
    return {
        "epochs": len(model.history_),
        "steps": int(sum(net.history[:, "train_batch_count"])),
        "recipe": model.recipe_,
        "start": getattr(net, "linear_start_", None),
    }


def read_m4(path):
    frame = pd.read_csv(path, index_col=0)
    return [row.dropna().to_numpy(np.float64) for _, row in frame.iterrows()]


def cut(series_list, n_past, horizon, stride=1):
    """Every window of every series: past ``(n, n_past)``, future ``(n, H)``."""
    pasts, futures = [], []
    for series in series_list:
        if len(series) < n_past + horizon:
            continue
        joined = sliding_window_view(series, n_past + horizon)[::stride]
        pasts.append(joined[:, :n_past])
        futures.append(joined[:, n_past:])
    return np.concatenate(pasts), np.concatenate(futures)


def panel_like_row(
    args,
    params,
    train_full,
    test_future,
    n_past,
    horizon,
    period,
    mase_period,
    quick_stride,
):
    """A global Pipeline on a list of raw series, forecast from each one's end.

    ``train_full``: the histories before the test period; ``test_future``:
    ``(n_series, horizon)``. With ``--split val`` the model is fitted on the
    histories without their last ``horizon`` steps and scored on them.
    """
    parts = {"test": (train_full, test_future)}
    if args.split == "val":
        parts = {
            "val": (
                [s[:-horizon] for s in train_full],
                np.stack([s[-horizon:] for s in train_full]),
            )
        }
    result = {"baselines": {name: {} for name in BASELINES}, "model": []}
    model_scores = [{} for _ in args.seeds]
    for part, (history, future) in parts.items():
        past = np.stack([s[-n_past:] for s in history])
        train = cut(history, n_past, horizon, stride=quick_stride)
        forecasts, base_seconds = linear_baselines(*train, [past], horizon, period)
        forecasts = {name: f[0] for name, f in forecasts.items()}
        for seed, scores in zip(args.seeds, model_scores):
            pipe = make_pipeline(
                SeriesWindower(n_past=n_past, n_future=horizon),
                make_model(horizon, seed, params),
            )
            pipe, seconds = timed_fit(pipe, [s[:, None] for s in history])
            forecasts["model"] = pipe.predict([s[:, None] for s in history])[..., 0]
            owa = owa_scores(future, forecasts, history, mase_period)
            scores.update(
                {
                    part: owa["model"][0],
                    f"{part}_smape": owa["model"][1],
                    f"{part}_mase": owa["model"][2],
                    "fit_s": seconds,
                    **model_info(pipe),
                }
            )
        for name in BASELINES:
            result["baselines"][name].update(
                {
                    part: owa[name][0],
                    f"{part}_smape": owa[name][1],
                    f"{part}_mase": owa[name][2],
                    "fit_s": base_seconds[name],
                }
            )
    result["model"] = model_scores
    return result


def m4_row(args, params):
    train = read_m4(args.data / "M4-Weekly-train.csv")
    test = np.stack(read_m4(args.data / "M4-Weekly-test.csv"))
    if args.quick:
        train, test = train[:40], test[:40]
    return panel_like_row(args, params, train, test, 52, 13, 1, 1, 1)


def make_panel(n_series=400, n_steps=1000, seed=0):
    """Hourly series of levels log-uniform in [1, 1e6]: ``(n_series, n_steps)``."""
    rng = np.random.default_rng(seed)
    t = np.arange(n_steps)
    level = 10 ** rng.uniform(0, 6, (n_series, 1))
    daily = rng.uniform(0.1, 0.3, (n_series, 1)) * np.sin(
        2 * np.pi * t / 24 + rng.uniform(0, 2 * np.pi, (n_series, 1))
    )
    weekly = rng.uniform(0.05, 0.2, (n_series, 1)) * np.sin(
        2 * np.pi * t / 168 + rng.uniform(0, 2 * np.pi, (n_series, 1))
    )
    trend = rng.uniform(-0.2, 0.2, (n_series, 1)) * t / n_steps
    noise = rng.uniform(0.01, 0.05, (n_series, 1)) * rng.standard_normal(
        (n_series, n_steps)
    )
    return level * (1 + daily + weekly + trend + noise)


def panel_row(args, params):
    horizon = 48
    panel = make_panel(n_series=40 if args.quick else 400)
    train = [s[:-horizon] for s in panel]
    return panel_like_row(
        args,
        params,
        train,
        panel[:, -horizon:],
        168,
        horizon,
        24,
        24,
        5 if args.quick else 3,
    )


SERIES = {
    # name: (loader, n_past, n_future, seasonal period or None, test origins)
    "co2": (52, 13, 52, 312),
    "sunspots": (22, 11, None, 80),
    "elnino": (24, 12, 12, 240),
}


def load_series(name):
    import statsmodels.api as sm

    if name == "co2":
        data = sm.datasets.co2.load_pandas().data["co2"]
        return data.interpolate().to_numpy(np.float64)
    if name == "sunspots":
        return (
            sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(np.float64)
        )
    data = sm.datasets.elnino.load_pandas().data
    return data.iloc[:, 1:].to_numpy(np.float64).ravel()


def backtest_row(args, name, params):
    n_past, horizon, period, n_origins = SERIES[name]
    history = load_series(name)
    if args.quick:
        n_origins = min(n_origins, 40)
    start = len(history) - n_origins - horizon + 1

    def mae_halves(estimator):
        began = time.perf_counter()
        frame = backtest(estimator, history, n_past, horizon, start=start)
        seconds = time.perf_counter() - began
        error = (frame["actual"] - frame["forecast"]).abs()
        first = frame["origin"] < start + n_origins // 2
        return (
            {"val": float(error[first].mean()), "test": float(error[~first].mean())},
            seconds,
            estimator,
        )

    result = {"baselines": {}, "model": []}
    baselines = {
        "last": NaiveForecaster(strategy="last"),
        "seasonal": NaiveForecaster(strategy="seasonal", season_length=period)
        if period
        else NaiveForecaster(strategy="last"),
        "ridge": LagRidge(alpha=1e-3),
        "nlinear": NLinear(alpha=1e-3),
    }
    for base, estimator in baselines.items():
        scores, seconds, _ = mae_halves(estimator)
        result["baselines"][base] = {**scores, "fit_s": seconds}
    for seed in args.seeds:
        scores, seconds, _ = mae_halves(make_model(horizon, seed, params))
        # the backtest's one fit and its forecasts: the fit dominates
        result["model"].append({**scores, "fit_s": seconds})
    return result


def tutorial_row(args, params):
    """``python -m sk_seq2seq``'s task: its data, split and budget, per seed.

    The baselines are those of the first seed's data (Ridge() as the demo
    uses it is also the "ridge" column here, with alpha=1e-3).
    """
    from sk_seq2seq import make_sine_cosine

    n_samples, n_test = (2000, 200) if args.quick else (20000, 1000)
    result = {"baselines": {}, "model": []}
    for seed in args.seeds:
        train = make_sine_cosine(n_samples, 30, random_state=seed)
        test = make_sine_cosine(n_test, 30, random_state=seed + 1)
        (X, y), (Xt, yt) = (train[:, :15], train[:, 15:]), (test[:, :15], test[:, 15:])
        if not result["baselines"]:
            forecasts, seconds = linear_baselines(
                X[:, :, 0], y[:, :, 0], [Xt[:, :, 0]], 15, None
            )
            result["baselines"] = {
                name: {
                    "test": float(np.mean((f[0] - yt[:, :, 0]) ** 2)),
                    "fit_s": seconds[name],
                }
                for name, f in forecasts.items()
            }
        model, seconds = timed_fit(
            make_model(15, seed, {"train_split": 0.2, **params}), X, y
        )
        error = float(np.mean((model.predict(Xt) - yt) ** 2))
        result["model"].append({"test": error, "fit_s": seconds, **model_info(model)})
    return result


def run_row(args, row, params):
    if row == "tutorial":
        return tutorial_row(args, params)
    if row.startswith("etth1-"):
        return etth1_row(args, int(row.split("-")[1]), params)
    if row == "m4":
        return m4_row(args, params)
    if row == "panel":
        return panel_row(args, params)
    if row in SYNTHETIC_LTSF:
        return synthetic_ltsf_row(args, row, params)
    return backtest_row(args, row, params)


# -- report ----------------------------------------------------------------


def summarise(result, part):
    """Model mean and spread (half the range), best baseline, ratio."""
    values = [m[part] for m in result["model"] if part in m]
    if not values:
        return None
    best = min(BASELINES, key=lambda b: result["baselines"][b].get(part, np.inf))
    best_value = result["baselines"][best][part]
    mean = float(np.mean(values))
    return {
        "mean": mean,
        "spread": float((max(values) - min(values)) / 2),
        "best": best,
        "best_value": best_value,
        "ratio": mean / best_value,
        "fit_s": float(np.mean([m["fit_s"] for m in result["model"]])),
        "ridge_fit_s": result["baselines"]["ridge"]["fit_s"],
    }


def table(results, part):
    lines = [
        f"| row | metric | default ({part}, mean ± spread) | last | seasonal | "
        "ridge | nlinear | best | ratio | fit s (model) | fit s (Ridge) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |",
    ]
    for row, result in results.items():
        s = summarise(result, part)
        if s is None:
            continue
        base = [
            f"{result['baselines'][b].get(part, float('nan')):.4g}" for b in BASELINES
        ]
        lines.append(
            f"| {row} | {METRIC[row]} | {s['mean']:.4g} ± {s['spread']:.2g} | "
            + " | ".join(base)
            + f" | {s['best']} | **{s['ratio']:.3f}** | {s['fit_s']:.1f} | "
            f"{s['ridge_fit_s']:.2f} |"
        )
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--rows", nargs="+", default=list(ALL_ROWS), choices=ALL_ROWS)
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--params", type=json.loads, default={})
    parser.add_argument(
        "--recipe",
        type=json.loads,
        default={},
        help="JSON dict patched into every recipe of sk_seq2seq._recipes.RECIPES "
        "(settings that are not constructor parameters, e.g. linear_path)",
    )
    parser.add_argument(
        "--early-stopping",
        type=int,
        default=None,
        metavar="PATIENCE",
        help="train_split=0.2 (the most recent windows of each series) and "
        "skorch's EarlyStopping(patience=PATIENCE, load_best=True)",
    )
    parser.add_argument("--label", default="default")
    parser.add_argument("--split", choices=("test", "val"), default="test")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--output", type=Path, default=RESULTS / "REAL.md")
    parser.add_argument("--log", type=Path, default=RESULTS / "real_runs.jsonl")
    args = parser.parse_args(argv)
    params = dict(args.params)
    EARLY_STOPPING["patience"] = args.early_stopping
    for recipe in RECIPES.values():
        recipe.update(args.recipe)
    if args.quick:
        params.setdefault("max_steps", 20)
    before = load_average()
    began = time.perf_counter()
    results = {}
    for row in args.rows:
        row_began = time.perf_counter()
        results[row] = run_row(args, row, params)
        part = "val" if args.split == "val" or row.startswith("etth1") else "test"
        s = summarise(results[row], args.split if args.split == "val" else "test")
        s = s or summarise(results[row], part)
        print(
            f"{row}: {s['mean']:.4g} ± {s['spread']:.2g} vs {s['best']} "
            f"{s['best_value']:.4g} ratio {s['ratio']:.3f} fit {s['fit_s']:.1f}s "
            f"({time.perf_counter() - row_began:.0f}s, load {load_average()})",
            flush=True,
        )
        record = {
            "label": args.label,
            "params": params,
            "recipe_patch": args.recipe,
            "early_stopping": args.early_stopping,
            "row": row,
            "split": args.split,
            "quick": args.quick,
            "seeds": args.seeds,
            "load": load_average(),
            "time": time.strftime("%Y-%m-%d %H:%M:%S"),
            **results[row],
        }
        args.log.parent.mkdir(parents=True, exist_ok=True)
        with open(args.log, "a") as log:
            log.write(json.dumps(record) + "\n")
    after = load_average()
    command = "python benchmarks/real.py " + " ".join(
        a if " " not in a else f"'{a}'" for a in (argv or sys.argv[1:])
    )
    lines = [
        "# The development suite of real data (issue 22)",
        "",
        f"Command: `OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', '?')} "
        f"{command}` ({time.perf_counter() - began:.0f} s) on {platform.machine()}, "
        f"{torch.get_num_threads()} torch threads, Python "
        f"{platform.python_version()}, torch {torch.__version__}, scikit-learn "
        f"{sklearn.__version__}, sk_seq2seq {sk_seq2seq.__version__}. Model "
        f"parameters beside n_future: `{json.dumps(params)}`, recipe settings "
        f"patched: `{json.dumps(args.recipe)}` ({args.label}). "
        f"Load average (1, 5, 15 min) before: {before}, after: {after}: the "
        "machine was shared (2 cores), so fit times are upper bounds.",
        "",
        "Lower is better everywhere. `ratio` is the default's mean over the seeds "
        "divided by the best of the four baselines; a spread is half the range "
        "over the seeds. A backtest row's fit time includes its forecasts.",
        "",
    ]
    parts = ["val", "test"] if args.split == "test" else ["val"]
    for part in parts[::-1]:
        body = table(results, part)
        if len(body) > 2:
            lines += [f"## {part}", "", *body, ""]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text("\n".join(lines))
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
