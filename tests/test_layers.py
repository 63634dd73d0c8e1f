"""The library's import layers, checked from the source without importing it.

The layer list lives in ``.importlinter`` (also checked by ``lint-imports`` in
``make lint``). This test reads that list and parses every ``import`` in
``lib/citytext`` with :mod:`ast`, function-local imports included, so an
upward import or a cycle fails the test suite even where the linter is not
installed. It also keeps every module under the size a reader can take in.
"""

from __future__ import annotations

import ast
import configparser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lib" / "citytext"
CONTRACTS = ROOT / ".importlinter"
MAX_LINES = 700


def read_layers(path: Path = CONTRACTS) -> list[set[str]]:
    """Return the layers of the ``layers`` contract, top layer first.

    Args:
        path: The import-linter configuration file.

    Returns:
        One set of top-level module names per layer.
    """
    parser = configparser.ConfigParser()
    parser.read(path, encoding="utf-8")
    raw = parser["importlinter:contract:layers"]["layers"]
    layers = []
    for line in raw.strip().splitlines():
        names = {part.strip() for part in line.replace("|", ":").split(":")}
        layers.append({name for name in names if name})
    return layers


def child_of(module: Path) -> str:
    """Return the top-level child of ``citytext`` that ``module`` belongs to."""
    return module.relative_to(PACKAGE).parts[0].removesuffix(".py")


def imported_children(module: Path, source: str | None = None) -> list[tuple[str, int]]:
    """List the ``citytext`` children that a module imports, with line numbers.

    Every import statement counts, wherever it is (module level, inside a
    function, under ``TYPE_CHECKING``). Relative imports are resolved against
    the module's package.

    Args:
        module: A ``.py`` file under ``lib/citytext``.
        source: The module's text (default: read from ``module``).

    Returns:
        ``(child, line)`` pairs; ``child`` is a direct child of ``citytext``.
    """
    parts = list(module.relative_to(PACKAGE).with_suffix("").parts)
    package = ["citytext", *parts[:-1]]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    found: list[tuple[str, int]] = []
    text = module.read_text(encoding="utf-8") if source is None else source
    for node in ast.walk(ast.parse(text)):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                stem = ".".join([*base, node.module] if node.module else base)
            else:
                stem = node.module or ""
            if stem == "citytext":
                targets = [f"citytext.{alias.name}" for alias in node.names]
            else:
                targets = [stem]
        for target in targets:
            pieces = target.split(".")
            if pieces[0] == "citytext" and len(pieces) > 1:
                found.append((pieces[1], node.lineno))
    return found


def import_graph() -> dict[str, dict[str, list[str]]]:
    """Map each top-level child to the children it imports and where.

    Returns:
        ``{importer: {imported: ["path:line", ...]}}`` over all modules, with
        imports inside one child (``clean.core`` -> ``clean.repair``) left out.
    """
    modules = sorted(PACKAGE.rglob("*.py"))
    children = {child_of(module) for module in modules}
    graph: dict[str, dict[str, list[str]]] = {}
    for module in modules:
        importer = child_of(module)
        edges = graph.setdefault(importer, {})
        for imported, line in imported_children(module):
            if imported != importer and imported in children:
                where = f"{module.relative_to(ROOT)}:{line}"
                edges.setdefault(imported, []).append(where)
    return graph


def layer_violations(
    graph: dict[str, dict[str, list[str]]], layers: list[set[str]]
) -> list[str]:
    """Describe every import of a module from a layer above its own.

    Args:
        graph: The import graph from :func:`import_graph`.
        layers: The layers, top first, from :func:`read_layers`.

    Returns:
        One line per upward import (empty when the layering holds).
    """
    rank = {name: index for index, layer in enumerate(layers) for name in layer}
    problems = []
    for importer, edges in sorted(graph.items()):
        for imported, places in sorted(edges.items()):
            above = rank.get(imported, len(layers)) < rank.get(importer, -1)
            if above:
                problems.append(f"{importer} -> {imported} ({', '.join(places)})")
    return problems


def find_cycle(graph: dict[str, dict[str, list[str]]]) -> list[str]:
    """Return one import cycle as a list of modules, or ``[]`` when acyclic."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return []


def test_every_module_has_a_layer() -> None:
    listed = set().union(*read_layers())
    children = {child_of(path) for path in PACKAGE.rglob("*.py")} - {"__init__"}
    assert sorted(children - listed) == [], "modules missing from .importlinter"
    assert sorted(listed - children) == [], "layers naming no module"


def test_no_module_imports_a_layer_above_it() -> None:
    assert layer_violations(import_graph(), read_layers()) == []


def test_no_import_cycles_between_modules() -> None:
    assert find_cycle(import_graph()) == []


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_module_fits_on_a_reading(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name}: {lines} lines"


def test_checks_catch_an_upward_import_and_a_cycle() -> None:
    layers = [{"pipeline"}, {"topics"}, {"text"}]
    graph = {
        "pipeline": {"topics": ["p.py:1"]},
        "topics": {"pipeline": ["t.py:9"], "text": ["t.py:2"]},
        "text": {},
    }
    assert layer_violations(graph, layers) == ["topics -> pipeline (t.py:9)"]
    assert find_cycle(graph) == ["pipeline", "topics", "pipeline"]


def test_function_local_and_relative_imports_are_seen() -> None:
    source = (
        "import json\n"
        "def f():\n"
        "    from citytext import pipeline\n"
        "    from .. import runfiles\n"
        "    from .shares import x\n"
        "    import citytext.compare.views\n"
    )
    module = PACKAGE / "topics" / "models.py"
    assert sorted(imported_children(module, source)) == [
        ("compare", 6),
        ("pipeline", 3),
        ("runfiles", 4),
        ("topics", 5),
    ]
