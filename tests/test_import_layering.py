"""The package's import layering, read statically from its source."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sk_seq2seq"


def imports(module: str) -> set[str]:
    """Modules ``module`` (a file of the package) imports at its top level."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


def project_graph(module: str) -> set[str]:
    """Every module reached from ``module``: the package's by name, and others."""
    seen, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for imported in imports(name) if (PACKAGE / f"{name}.py").exists() else ():
            todo.append(imported.lstrip(".") if imported.startswith(".") else imported)
    return seen


@pytest.mark.parametrize("module", ["_windower", "_window_container"])
def test_the_windower_and_its_windows_need_no_torch(module):
    reached = project_graph(module)
    assert not {m for m in reached if m.split(".")[0] in {"torch", "skorch"}}, reached


def test_the_graph_sees_torch_where_it_is():
    # the check above can fail: the training data does import torch
    assert "torch" in project_graph("_training_data")


def test_only_the_training_data_tells_lazy_windows_from_arrays():
    tellers = [
        path.name
        for path in PACKAGE.glob("*.py")
        if "isinstance(X, Windows)" in path.read_text()
    ]
    assert tellers == ["_training_data.py"]
