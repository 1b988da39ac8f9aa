"""What the benchmark scripts say about the machine they ran on."""

from __future__ import annotations

from pathlib import Path


def load_average() -> str:
    """The machine's load averages over 1, 5 and 15 minutes (Linux), or '?'.

    Benchmarks print it before and after a run: timings from a shared
    machine are upper bounds, and this says how shared it was.
    """
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"
