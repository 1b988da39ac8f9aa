"""Run the tutorial notebooks and store them with their outputs.

    python notebooks/run.py                      # every notebook, in place
    python notebooks/run.py 03_covariates_intervals.ipynb --out /tmp/check

The notebooks read ``CI`` from the environment to shorten their training in
the test suite; this command removes it, so the stored figures and numbers
are those of the full runs the prose describes (``--quick`` keeps ``CI=1``,
to check the command in seconds). Cells run in the notebooks' folder, as in
Jupyter.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

FOLDER = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python notebooks/run.py")
    parser.add_argument(
        "notebooks",
        nargs="*",
        help="notebook file names in notebooks/ (default: all of them)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for the executed notebooks (default: in place)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="keep CI=1: the short training of the test suite",
    )
    parser.add_argument(
        "--timeout", type=int, default=3600, help="seconds per cell (default 3600)"
    )
    args = parser.parse_args(argv)

    import nbformat
    from nbclient import NotebookClient

    if args.quick:
        os.environ["CI"] = "1"
    else:
        os.environ.pop("CI", None)  # the kernel inherits this environment
    names = args.notebooks or sorted(p.name for p in FOLDER.glob("*.ipynb"))
    for name in names:
        path = FOLDER / name
        notebook = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        NotebookClient(
            notebook,
            timeout=args.timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(FOLDER)}},
        ).execute()
        out = path if args.out is None else args.out / name
        out.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, out)
        print(f"{name}: {time.perf_counter() - started:.0f} s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
