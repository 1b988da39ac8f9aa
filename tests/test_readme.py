"""Every Python block of README.md runs, in order and exactly as written."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_the_readme_has_blocks():
    assert len(python_blocks()) >= 5


def test_every_block_runs_in_order(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    pytest.importorskip("dask.distributed", reason="the Dask block needs dask")
    monkeypatch.chdir(tmp_path)
    # run as a saved script would be: the Dask block's guard holds
    namespace = {"__name__": "__main__"}
    for number, block in enumerate(python_blocks(), start=1):
        code = compile(block, f"README.md, Python block {number}", "exec")
        exec(code, namespace)


def test_the_quickstart_is_five_statements_from_frame_to_forecast():
    import ast

    quickstart = ast.parse(python_blocks()[0])
    work = [
        node
        for node in quickstart.body
        if not isinstance(node, (ast.Import, ast.ImportFrom))
        # making the frame: the generator and the frame itself
        and not (
            isinstance(node, ast.Assign)
            and {t.id for t in node.targets if isinstance(t, ast.Name)} & {"rng", "df"}
        )
    ]
    assert len(work) <= 5
    last = work[-1]
    assert isinstance(last, ast.Expr) and last.value.func.id == "forecast"
    assert any(k.arg == "coverage" for k in last.value.keywords)
