"""Assemble benchmarks/results/REAL.md from the runs logged by real.py.

    python benchmarks/real_table.py --label "final default" [--log FILE] [--output FILE]

Takes, for every row, the latest record of ``real_runs.jsonl`` with that
label and split ``test`` (several processes may have measured the rows of
one suite in parallel), and writes the table that real.py writes.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from real import ALL_ROWS, RESULTS, table

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--label", required=True)
parser.add_argument("--log", type=Path, default=RESULTS / "real_runs.jsonl")
parser.add_argument("--output", type=Path, default=RESULTS / "REAL.md")
parser.add_argument("--intro", default="")
args = parser.parse_args()
results, loads, stamps = {}, {}, {}
for line in args.log.read_text().splitlines():
    record = json.loads(line)
    if (
        record["label"] == args.label
        and record["split"] == "test"
        and not record["quick"]
    ):
        results[record["row"]] = record
        loads[record["row"]] = record["load"]
        stamps[record["row"]] = record["time"]
results = {row: results[row] for row in ALL_ROWS if row in results}
lines = ["# The development suite of real data (issue 22)", "", args.intro, ""]
for part in ("test", "val"):
    body = table(results, part)
    if len(body) > 2:
        lines += [f"## {part}", "", *body, ""]
lines += [
    "Load average (1, 5, 15 min) at the end of each row, and when:",
    "",
    *(f"- {row}: {loads[row]} ({stamps[row]})" for row in results),
    "",
]
args.output.write_text("\n".join(lines))
print("\n".join(lines))
