"""Peak memory of a Pipeline fitted on a long raw history (Electricity's size).

    OMP_NUM_THREADS=1 python benchmarks/memory.py          # ~2 min, results/MEMORY.md
    OMP_NUM_THREADS=1 python benchmarks/memory.py --quick  # a smoke run

Fits ``make_pipeline(SeriesWindower(n_past=336, n_future=96),
Seq2SeqRegressor(max_steps=...))`` on a synthetic history of 300 series of
26,000 float64 steps, then forecasts the 96 steps after the end of every
series. Each run is a fresh Python process that reports its peak resident
memory (``VmHWM`` in ``/proc/self/status``, the kernel's high-water mark) after
importing, after making the history, after ``fit`` and after ``predict``, and
the wall time of ``fit``. The peak does not depend on ``max_steps`` (batches
are drawn one at a time), so a short budget measures it; the fit time does.
Set ``OMP_NUM_THREADS`` to choose torch's threads; the report says which.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

from _machine import load_average  # benchmarks/, the script's folder

N_PAST, N_FUTURE = 336, 96
GOAL_GB, TARGET_GB = 1.0, 3.0


def peak_rss_bytes() -> int:
    """The process's high-water mark of resident memory."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def measure(n_series: int, n_steps: int, max_steps: int) -> dict:
    """Run in the child process: fit and predict, peaks at each stage."""
    stages = {}
    import numpy as np
    from sklearn.pipeline import make_pipeline

    import sk_seq2seq
    from sk_seq2seq import Seq2SeqRegressor, SeriesWindower

    stages["imports"] = peak_rss_bytes()
    rng = np.random.default_rng(0)
    steps = np.arange(n_steps)
    # daily and weekly cycles of hourly data, a level per series, noise;
    # built in place, so that the peak is the pipeline's, not this line's
    history = rng.standard_normal((n_series, n_steps))
    history *= 0.3
    history += rng.uniform(1, 5, size=(n_series, 1))
    history += np.sin(2 * np.pi * steps / 24) + 0.5 * np.sin(2 * np.pi * steps / 168)
    stages["history"] = peak_rss_bytes()
    pipe = make_pipeline(
        SeriesWindower(n_past=N_PAST, n_future=N_FUTURE),
        Seq2SeqRegressor(n_future=N_FUTURE, max_steps=max_steps, random_state=0),
    )
    start = time.perf_counter()
    pipe.fit(history)
    fit_s = time.perf_counter() - start
    stages["fit"] = peak_rss_bytes()
    start = time.perf_counter()
    forecast = pipe.predict(history)
    predict_s = time.perf_counter() - start
    stages["predict"] = peak_rss_bytes()
    windows = pipe[0].fit_transform(history)
    model = pipe[-1]
    return {
        "stages": stages,
        "fit_s": fit_s,
        "predict_s": predict_s,
        "history_bytes": history.nbytes,
        "windows_shape": list(windows.shape),
        "windows_bytes": math.prod(windows.shape) * windows.dtype.itemsize,
        "batches": int(sum(model.history_[:, "train_batch_count"])),
        "epochs": len(model.history_),
        "forecast_shape": list(forecast.shape),
        "forecast_finite": bool(np.isfinite(forecast).all()),
        "threads": os.environ.get("OMP_NUM_THREADS", "unset"),
        "recipe": model.recipe_,
        "settings": model.settings_,
        "package": str(Path(sk_seq2seq.__file__).parent),
    }


def run_child(n_series: int, n_steps: int, max_steps: int) -> dict:
    command = [sys.executable, __file__, "--child", str(n_series), str(n_steps)]
    command += [str(max_steps)]
    # measure this checkout's sk_seq2seq, not another installed copy
    root = str(Path(__file__).resolve().parents[1])
    path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode:
        raise RuntimeError(f"the measuring process failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def report(
    long: dict, small: dict, sizes: list, max_steps: int, loads: tuple[str, str]
) -> str:
    gb = 1e9
    (n_series, n_steps), (n_small, n_small_steps) = sizes
    n_windows, length, _ = long["windows_shape"]
    peak = max(long["stages"].values())
    small_peak = max(small["stages"].values())
    verdict = (
        "meets the goal"
        if peak <= GOAL_GB * gb
        else "meets the target"
        if peak <= TARGET_GB * gb
        else "misses the target"
    )
    electricity = ", Electricity's size" if sizes[0] == (300, 26_000) else ""
    stages = [
        ("imports", "after imports (Python, numpy, torch, skorch)"),
        ("history", "after making the history"),
        ("fit", "after `pipe.fit(history)`"),
        ("predict", "after `pipe.predict(history)`"),
    ]
    lines = [
        "# Peak memory on a long raw history",
        "",
        "Written by `OMP_NUM_THREADS=1 python benchmarks/memory.py` "
        f"(torch on {long['threads']} thread(s), to spare shared cores). "
        f"Load average (1, 5, 15 min) before: {loads[0]}, after: {loads[1]}: "
        "the machine was shared, so times are upper bounds.",
        "",
        f"The regressor's parameters are its defaults, which at these lengths "
        f"follow the `{long['recipe']}` recipe: "
        + ", ".join(f"{k}={v!r}" for k, v in long["settings"].items())
        + ".",
        "",
        f"`make_pipeline(SeriesWindower(n_past={N_PAST}, n_future={N_FUTURE}), "
        f"Seq2SeqRegressor(n_future={N_FUTURE}, max_steps={max_steps}))` "
        f"fitted on a synthetic history of {n_series} series × {n_steps:,} "
        f"float64 steps ({long['history_bytes'] / 1e6:.0f} MB{electricity}), "
        "then forecasting the steps after the end of every series "
        f"(forecast {tuple(long['forecast_shape'])}, finite: "
        f"{long['forecast_finite']}). Beside it, the same pipeline on "
        f"{n_small} × {n_small_steps:,} steps: what training the model costs "
        "whatever the history.",
        "",
        f"The long history has {n_windows:,} windows of {length} steps: "
        f"{long['windows_bytes'] / 2**30:.1f} GiB if materialised, as "
        "`SeriesWindower.fit_transform` did before it returned lazy `Windows`. "
        f"Training drew {long['batches']} batches in {long['epochs']} epoch(s): "
        "with windows outnumbering `max_steps * batch_size`, that many are drawn "
        "at random without replacement and one epoch is one pass over them.",
        "",
        "Peak resident memory of each process (`VmHWM`, the kernel's "
        "high-water mark, so cumulative), one fresh process per history:",
        "",
        f"| stage | {n_series} × {n_steps:,} | {n_small} × {n_small_steps:,} |",
        "|---|---|---|",
        *[
            f"| {label} | {long['stages'][key] / gb:.2f} GB "
            f"| {small['stages'][key] / gb:.2f} GB |"
            for key, label in stages
        ],
        "",
        f"Peak: **{peak / gb:.2f} GB**, {verdict} (target ≤ {TARGET_GB:g} GB, "
        f"goal ≤ {GOAL_GB:g} GB). The long history costs "
        f"{(peak - small_peak) / gb:.2f} GB more than the short one (its "
        f"{long['history_bytes'] / 1e6:.0f} MB, the float32 copy that batches "
        "are cut from, and transient copies while scaling); the rest is "
        "Python, torch and the model's training (activations of a batch of "
        f"256 windows of {length} steps).",
        "",
        f"Fit time on the long history: {long['fit_s']:.1f} s for "
        f"{long['batches']} batches ({long['fit_s'] / long['batches']:.2f} s per "
        f"batch of 256); predict: {long['predict_s']:.1f} s.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run")
    parser.add_argument("--max-steps", type=int, default=50)
    parser.add_argument(
        "--output",
        type=Path,
        default=Path(__file__).parent / "results" / "MEMORY.md",
        help="where to write the report (not with --quick)",
    )
    parser.add_argument("--child", nargs=3, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(*args.child)))
        return 0
    sizes = [(8, 1000), (4, 500)] if args.quick else [(300, 26_000), (4, 2000)]
    max_steps = 1 if args.quick else args.max_steps
    before = load_average()
    long, small = (run_child(*size, max_steps) for size in sizes)
    text = report(long, small, sizes, max_steps, (before, load_average()))
    print(text)
    if not args.quick:
        args.output.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
