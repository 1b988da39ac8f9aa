"""The benchmark's smoke run: every section must still run and report."""

import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"
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


class TestQuickRun:
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
