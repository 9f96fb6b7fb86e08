"""The layers of DESIGN.md: nothing below the UI may depend on Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sdm_app"
QT_FREE = ("core", "storage", "content", "services")
FORBIDDEN = {
    "core": (
        "PySide6",
        "shiboken6",
        "sqlalchemy",
        "alembic",
        "sdm_app.ui",
        "sdm_app.storage",
        "sdm_app.services",
    ),
    "storage": ("PySide6", "shiboken6", "sdm_app.ui", "sdm_app.services", "sdm_app.content"),
    "content": ("PySide6", "shiboken6", "sdm_app.ui"),
    "services": ("PySide6", "shiboken6", "sdm_app.ui"),
}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


@pytest.mark.parametrize("layer", QT_FREE)
def test_layer_imports_nothing_above_it(layer: str) -> None:
    offences = [
        f"{path.relative_to(PACKAGE.parent)}:{line}: imports {name}"
        for path in sorted((PACKAGE / layer).rglob("*.py"))
        for line, name in _imports(path)
        if any(name == banned or name.startswith(banned + ".") for banned in FORBIDDEN[layer])
    ]
    assert offences == []


def test_the_ast_check_catches_a_qt_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from PySide6.QtWidgets import QWidget\n")
    assert (2, "PySide6.QtWidgets.QWidget") in _imports(module)


def test_lower_layers_import_with_qt_unavailable() -> None:
    """Import every module below the UI in a process where PySide6 cannot load."""
    modules = sorted(
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for layer in QT_FREE
        for path in (PACKAGE / layer).rglob("*.py")
        if path.parent.name != "versions" and path.name != "env.py"
    )
    script = (
        "import sys, importlib\n"
        "sys.modules['PySide6'] = None\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name.removesuffix('.__init__'))\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env={"PATH": ""}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
