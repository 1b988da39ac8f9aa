"""The benchmarks' smoke tests: each script's --quick run still runs and reports.

One section per script in ``benchmarks/``; each writes its table to a
temporary file (``--output``), never to ``benchmarks/results/``. ltsf.py reads
a small synthetic CSV, never the real data.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"


# -- run.py: accuracy, overhead, windowing, throughput -----------------------
RUN = BENCHMARKS / "run.py"
SECTIONS = [
    "## 1. Accuracy on the tutorial task, noise=0.0",
    "## 1. Accuracy on the tutorial task, noise=0.1",
    "## 2. skorch's overhead",
    "## 3. The fused decoder",
    "## 4. Windowing",
    "## 4b. The peer: darts BlockRNNModel (optional)",
    "## 5. Prediction throughput",
]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    output = tmp_path_factory.mktemp("benchmarks") / "RESULTS.md"
    completed = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout, output.read_text()


class TestRun:
    @pytest.mark.parametrize("section", SECTIONS)
    def test_every_section_is_printed_and_written(self, quick_run, section):
        printed, written = quick_run
        assert section in printed
        assert section in written

    def test_results_name_the_machine_versions_and_command(self, quick_run):
        _, written = quick_run
        for heading in ("- command: `python ", "--quick", "- machine: ", "torch "):
            assert heading in written

    @pytest.mark.parametrize(
        "row",
        [
            "| window mean (NaiveForecaster) |",
            "| last value (NaiveForecaster) |",
            "| Ridge on the 15 past values |",
            "| per-window linear (order-4 recurrence) |",
            "| Seq2SeqRegressor() (default) |",
            "| best of GridSearchCV, hidden_dim in ",
            "| hand-written PyTorch |",
            "| teacher_forcing=1.0 (one nn.GRU call) |",
            "| Ridge |",
        ],
    )
    def test_every_row_is_there(self, quick_run, row):
        assert row in quick_run[1]


# -- features.py: scaling, window normalisation, covariates -----------------
FEATURES = BENCHMARKS / "features.py"


def test_quick_feature_benchmark_writes_every_experiment(tmp_path):
    output = tmp_path / "features.md"
    subprocess.run(
        [sys.executable, str(FEATURES), "--quick", "--output", str(output)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    table = output.read_text()
    for experiment in (
        "scale",
        "window_norm, tutorial",
        "window_norm, trend",
        "covariate's level",
        "encoder",
        "past covariate",
    ):
        assert experiment in table
    # the header's two rows, then scale 4, three window_norm experiments of 5,
    # encoder 2, past covariate 2
    assert table.count("\n| ") == 2 + 4 + 3 * 5 + 2 + 2


# -- intervals.py: calibration and known future covariates -----------------
INTERVALS = BENCHMARKS / "intervals.py"


def test_quick_intervals_benchmark_writes_every_table(tmp_path):
    output = tmp_path / "intervals.md"
    subprocess.run(
        [sys.executable, str(INTERVALS), "--quick", "--output", str(output)],
        check=True,
        capture_output=True,
        # the script's folder, not the checkout, heads sys.path: import this copy
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    report = output.read_text()
    for section in ("## 1. Calibration", "## 2. Known future covariates"):
        assert section in report
    rows = [line for line in report.splitlines() if line.startswith("| ")]
    # headline: 2 tasks x 2 models x 2 coverages; per seed: x 3 seeds;
    # covariates: 5 forecasters; plus two header rows per table
    assert len(rows) == (2 + 8) + (2 + 24) + (2 + 5)
    for task in ("| tutorial | Seq2SeqRegressor | 90% |", "| CO₂ | Ridge | 80% |"):
        assert task in report
    assert "| Seq2SeqRegressor, future_features=[1, 2, 3] |" in report
    assert "| NaiveForecaster, seasonal 24 h |" in report


# -- ltsf.py: the long-horizon benchmark, on a synthetic CSV ----------------
LTSF = BENCHMARKS / "ltsf.py"


@pytest.fixture(scope="module")
def ltsf():
    # the script imports its neighbours, as it does when run from its folder
    sys.path.insert(0, str(LTSF.parent))
    try:
        spec = importlib.util.spec_from_file_location("ltsf", LTSF)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(LTSF.parent))
    return module


@pytest.fixture(scope="module")
def csv(tmp_path_factory):
    """A small hourly CSV laid out like ETTh1: a date column, then 3 series."""
    rng = np.random.RandomState(0)
    t = np.arange(400)
    columns = {
        f"s{i}": np.sin(2 * np.pi * t / 24 + i) + 0.1 * rng.normal(size=t.size)
        for i in range(3)
    }
    frame = pd.DataFrame(
        {"date": pd.date_range("2020-01-01", periods=t.size, freq="h"), **columns}
    )
    path = tmp_path_factory.mktemp("data") / "series.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def quick_table(ltsf, csv, tmp_path_factory):
    output = tmp_path_factory.mktemp("out") / "LTSF.md"
    assert ltsf.main(["--data", str(csv), "--quick", "--output", str(output)]) == 0
    return output.read_text()


class TestLtsf:
    def test_writes_every_row(self, quick_table):
        for label in (
            "repeat the last value",
            "Ridge on the lags",
            "NLinear",
            "Seq2SeqRegressor(n_future=12), default",
            "QUICK RUN",
        ):
            assert label in quick_table

    def test_ridge_beats_the_last_value(self, quick_table):
        test_mse = {
            line.split(" | ")[1]: float(line.split(" | ")[4])
            for line in quick_table.splitlines()
            if line.startswith("| 12 |") and "published" not in line
        }
        assert (
            test_mse["Ridge on the lags (alpha=1e-3)"]
            < test_mse["repeat the last value"]
        )

    def test_a_missing_file_says_where_the_data_comes_from(
        self, ltsf, tmp_path, capsys
    ):
        assert ltsf.main(["--data", str(tmp_path / "ETTh1.csv")]) == 2
        assert "github.com/zhouhaoyi/ETDataset" in capsys.readouterr().err


# -- real.py: the development suite of issue 22, rows that need no data file --
REAL = BENCHMARKS / "real.py"


def test_quick_real_suite_scores_every_baseline(tmp_path):
    output, log = tmp_path / "real.md", tmp_path / "runs.jsonl"
    subprocess.run(
        [sys.executable, str(REAL), "--quick", "--rows", "sunspots", "panel"]
        + ["--seeds", "0", "--output", str(output), "--log", str(log)],
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=600,
    )
    report = output.read_text()
    assert "| sunspots | MAE |" in report and "| panel | OWA |" in report
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["row"] for r in records] == ["sunspots", "panel"]
    for record in records:
        assert set(record["baselines"]) == {"last", "seasonal", "ridge", "nlinear"}
    # OWA is relative to the last value, which therefore scores 1
    assert records[1]["baselines"]["last"]["test"] == 1.0
