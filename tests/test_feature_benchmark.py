import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "features.py"


def test_quick_feature_benchmark_writes_every_experiment(tmp_path):
    output = tmp_path / "features.md"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--output", str(output)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    table = output.read_text()
    for experiment in ("scale", "window_norm, trend", "encoder", "past covariate"):
        assert experiment in table
    assert table.count("\n| ") == 2 + 4 + 3 + 3 + 2 + 2  # header rows + settings
