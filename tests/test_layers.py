"""The house's rules, checked on the source: the domain core knows nothing of the screens (no
Textual or Rich import outside ``kiosk/ui/``), the data-file layer knows nothing of what it
reads, and no two modules import each other in a loop."""

from __future__ import annotations

import ast
from pathlib import Path

import kiosk

PACKAGE = Path(kiosk.__file__).parent
UI_ONLY = {"textual", "rich"}


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(path: Path) -> set[str]:
    """Every module and name ``path`` imports, wherever it does (in functions too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def imported_modules(path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that importing ``path`` imports (``from pkg import module``
    names the module, not the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found |= {
                f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in known
                else node.module
                for alias in node.names
            }
    return found & set(known)


def in_ui(name: str) -> bool:
    return name == "kiosk.ui" or name.startswith("kiosk.ui.")


def test_the_checks_see_imports() -> None:
    """The rules below could fail: the reader finds the UI's own Textual imports."""
    assert "textual.app" in imported(PACKAGE / "ui" / "app.py")
    assert "kiosk.ui.app" in imported(PACKAGE / "cli.py")  # a lazy import, inside a function


def test_textual_and_rich_are_imported_only_by_the_ui() -> None:
    offenders = [
        f"{name} imports {other}"
        for name, path in modules().items()
        if not in_ui(name)
        for other in imported(path)
        if other.split(".")[0] in UI_ONLY
    ]
    assert offenders == []


def test_only_the_command_starts_the_ui() -> None:
    offenders = [
        f"{name} imports {other}"
        for name, path in modules().items()
        if not in_ui(name) and name != "kiosk.cli"
        for other in imported(path)
        if in_ui(other)
    ]
    assert offenders == []


def test_the_data_file_layer_knows_nothing_of_what_it_reads() -> None:
    offenders = [
        f"{name} imports {other}"
        for name, path in modules().items()
        if name.startswith("kiosk.datafile")
        for other in imported(path)
        # The bounded read beneath it knows nothing of contents either: it sits apart only so
        # that a start reads files without importing the models.
        if other.startswith("kiosk.") and not other.startswith("kiosk.datafile")
        and not other.startswith("kiosk.bounded_read")
    ]
    assert offenders == []


def test_no_modules_import_each_other_in_a_loop() -> None:
    names = modules()
    graph = {name: imported_modules(path, names) - {name} for name, path in names.items()}
    loops: list[list[str]] = []
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                loops.append([*trail[trail.index(other):], other])
            elif other not in state:
                visit(other, [*trail, other])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert loops == []
