"""storage/ and transfers/ never import Textual: they must work without a terminal."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "allas_tui"


FORBIDDEN = {
    "storage": ("textual", "allas_tui.ui", "allas_tui.transfers"),
    "transfers": ("textual", "allas_tui.ui"),
}
"""What each layer may not import: the arrows point ui -> transfers -> storage."""


@pytest.mark.parametrize("layer", ["storage", "transfers"])
def test_no_textual_or_ui_imports_in_source(layer: str) -> None:
    offenders = []
    for path in (PACKAGE / layer).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.name}: {n}"
                for n in names
                if any(n == f or n.startswith(f + ".") for f in FORBIDDEN[layer])
            ]
    assert offenders == []


def test_importing_every_storage_module_loads_no_textual() -> None:
    modules = [
        "allas_tui.storage." + p.stem
        for p in (PACKAGE / "storage").glob("*.py")
        if p.stem != "__init__"
    ]
    code = f"import sys; import {', '.join(modules)}, allas_tui.transfers; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
