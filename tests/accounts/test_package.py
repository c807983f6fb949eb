"""The accounts package imports nothing from kpi (the org structure page moved into kpi)."""

import ast
from pathlib import Path

import accounts


def test_accounts_imports_nothing_from_kpi():
    offenders = []
    for path in Path(accounts.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [f"{path.name}: {n}" for n in names if n == "kpi" or n.startswith("kpi.")]
    assert offenders == []
