"""The flow reads one way: layers import only downwards, no import cycles, and only the command line draws.

docs/architecture.md draws the layers. Every package of casewatch must be placed in a layer here, so a new
package is placed on purpose; the checker itself is tested on a small made-up graph, so that it cannot pass
by finding nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
#: From the bottom. A package may import its own layer's packages only where PEERS allows it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("casewatch", "casewatch.errors", "casewatch.formats"),
    ("casewatch.calendars",),
    ("casewatch.standards", "casewatch.packs"),
    ("casewatch.data",),
    ("casewatch.results",),
    ("casewatch.engine",),
    (
        "casewatch.reports",
        "casewatch.importers",
        "casewatch.exporters",
        "casewatch.synth",
        "casewatch.qa",
        "casewatch.whatif",
    ),
    ("casewatch.api",),
    ("casewatch.web",),
    ("casewatch.cli",),
)
PEERS: frozenset[tuple[str, str]] = frozenset()
#: Only the command line draws on a terminal or parses arguments.
CLI_ONLY = ("click", "rich")
CLI_PACKAGE = "casewatch.cli"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, module: str) -> list[tuple[str, tuple[str, ...]]]:
    """What ``module`` imports, at any depth of the file (a deferred import is still a dependency): pairs of a
    module and the names taken from it (none for a plain ``import``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                prefix = ".".join([*base, node.module] if node.module else base)
            else:
                prefix = node.module or ""
            found.append((prefix, tuple(alias.name for alias in node.names)))
    return found


def read_graph(root: Path) -> dict[str, set[str]]:
    """Module -> the casewatch modules and third-party top-level names it imports.

    ``from pkg import sub`` depends on the module ``pkg.sub`` (not on the package's ``__init__``) when ``sub`` is a
    module, and on ``pkg`` when it is a name defined there.
    """
    paths = {module_name(p, root): p for p in (root / "casewatch").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        targets: set[str] = set()
        for prefix, names in imports_of(path, module):
            if prefix.split(".")[0] != "casewatch":
                targets.add(prefix.split(".")[0])
                continue
            wanted = [f"{prefix}.{n}" for n in names if f"{prefix}.{n}" in paths]
            if not wanted or len(wanted) < len(names):
                name = prefix
                while name and name not in paths:
                    name = name.rpartition(".")[0]
                wanted.append(name)
            targets.update(w for w in wanted if w and w != module)
        graph[module] = targets
    return graph


def layer_of(module: str) -> tuple[int, str] | None:
    """The layer index and the package ``module`` belongs to (its longest listed prefix; ``casewatch`` itself is
    only the package's ``__init__``, so a new top-level module or package is placed nowhere until listed)."""
    best: tuple[int, str] | None = None
    for index, layer in enumerate(LAYERS):
        for package in layer:
            if (module == package or (package != "casewatch" and module.startswith(package + "."))) and (
                best is None or len(package) > len(best[1])
            ):
                best = (index, package)
    return best


def problems(graph: Mapping[str, Iterable[str]]) -> list[str]:
    found: list[str] = []
    for module, targets in sorted(graph.items()):
        placed = layer_of(module)
        if placed is None:
            found.append(f"{module} is in no layer: place its package in LAYERS (docs/architecture.md)")
            continue
        for target in sorted(targets):
            if not target.startswith("casewatch"):
                if target in CLI_ONLY and not module.startswith(CLI_PACKAGE):
                    found.append(f"{module} imports {target}: only {CLI_PACKAGE} may")
                continue
            other = layer_of(target)
            if other is None or placed[1] == other[1] or other[1] == "casewatch":
                continue
            if other[0] > placed[0]:
                found.append(f"{module} imports {target}, a higher layer")
            elif other[0] == placed[0] and (placed[1], other[1]) not in PEERS:
                found.append(f"{module} imports {target}, a peer of the same layer")
    found += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph)]
    return found


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules that import each other (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_checker_finds_each_kind_of_problem() -> None:
    graph = {
        "casewatch.standards.loader": {"casewatch.engine.sql"},  # upwards
        "casewatch.engine.sql": {"casewatch.standards.model", "rich"},  # draws outside the command line
        "casewatch.standards.model": {"casewatch.standards.loader"},  # a cycle with the loader
        "casewatch.importers.x": {"casewatch.exporters.y"},  # a peer
        "casewatch.exporters.y": set(),
        "casewatch.newthing.z": set(),  # placed nowhere
        "casewatch.cli.main": {"click", "casewatch.api"},  # fine
        "casewatch.api": set(),
    }
    assert problems(graph) == [
        "casewatch.engine.sql imports rich: only casewatch.cli may",
        "casewatch.importers.x imports casewatch.exporters.y, a peer of the same layer",
        "casewatch.newthing.z is in no layer: place its package in LAYERS (docs/architecture.md)",
        "casewatch.standards.loader imports casewatch.engine.sql, a higher layer",
        "import cycle: casewatch.engine.sql -> casewatch.standards.loader -> casewatch.standards.model",
    ]


def test_the_reader_resolves_relative_and_from_imports(tmp_path: Path) -> None:
    package = tmp_path / "casewatch" / "engine"
    package.mkdir(parents=True)
    (tmp_path / "casewatch" / "__init__.py").write_text("")
    (tmp_path / "casewatch" / "api.py").write_text("")
    (package / "__init__.py").write_text("from .sql import frag\n")
    (package / "sql.py").write_text("def f():\n    from casewatch import api\n    import rich.console\n")
    graph = read_graph(tmp_path)
    assert graph["casewatch.engine"] == {"casewatch.engine.sql"}
    assert graph["casewatch.engine.sql"] == {"casewatch.api", "rich"}


def test_casewatch_reads_one_way() -> None:
    graph = read_graph(SRC)
    assert len(graph) > 100
    found = problems(graph)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("layer", [p for layer in LAYERS for p in layer])
def test_every_listed_package_is_a_package_or_to_come(layer: str) -> None:
    """A listed name that matches nothing is either planned (qa) or a typo that would hide a package."""
    path = SRC.joinpath(*layer.split("."))
    assert (
        path.is_dir()
        or path.with_suffix(".py").is_file()
        or layer in ("casewatch.qa", "casewatch.exporters", "casewatch.formats")
    )
