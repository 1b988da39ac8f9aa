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
