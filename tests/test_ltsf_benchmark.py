"""Smoke test of benchmarks/ltsf.py on a synthetic CSV (never the real data)."""

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "ltsf.py"


@pytest.fixture(scope="module")
def ltsf():
    # the script imports its neighbours, as it does when run from its folder
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        spec = importlib.util.spec_from_file_location("ltsf", SCRIPT)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SCRIPT.parent))
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


class TestQuickRun:
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
