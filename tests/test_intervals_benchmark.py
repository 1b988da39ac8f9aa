import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
SCRIPT = ROOT / "benchmarks" / "intervals.py"


def test_quick_intervals_benchmark_writes_every_table(tmp_path):
    output = tmp_path / "intervals.md"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--output", str(output)],
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
