"""No import cycle in ivpdata: no module imports, at module level and directly or through others, a
module that imports it back (the briefing and its PDF layout once did).

Read from the source with ast, so a cycle fails here even when Python happens to load it. Counted:
the imports a module runs when it is loaded (its top level, inside module-level if/try/with and
class bodies); not imports inside functions, nor under `if TYPE_CHECKING:`. `from package import
name` counts as an import of the submodule when `name` is one, else of the package itself. An import
inside a function only defers a cycle: counted too, in a check of its own."""

from __future__ import annotations

import ast
from pathlib import Path

from ivpdata.config import PROJECT_ROOT

PACKAGE = "ivpdata"


def _module_names() -> dict[str, Path]:
    names = {}
    for path in sorted((PROJECT_ROOT / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _statements(body: list[ast.stmt], functions: bool) -> list[ast.stmt]:
    """The statements that run when a module is loaded (with `functions`: also those in function
    bodies, run later); never type-checking blocks."""
    loaded = (ast.With, ast.ClassDef, ast.For, ast.While)
    later = (ast.FunctionDef, ast.AsyncFunctionDef)
    found: list[ast.stmt] = []
    for statement in body:
        found.append(statement)
        if isinstance(statement, ast.If):
            found += _statements(statement.orelse, functions)
            if not _is_type_checking(statement.test):
                found += _statements(statement.body, functions)
        elif isinstance(statement, ast.Try):
            for block in (statement.body, statement.orelse, statement.finalbody):
                found += _statements(block, functions)
            for handler in statement.handlers:
                found += _statements(handler.body, functions)
        elif isinstance(statement, loaded) or (functions and isinstance(statement, later)):
            found += _statements(statement.body, functions)
    return found


def _imports(module: str, path: Path, modules: set[str], functions: bool) -> set[str]:
    """The ivpdata modules `module` imports when it is loaded (with `functions`: or later)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for statement in _statements(ast.parse(path.read_text(encoding="utf-8")).body, functions):
        if isinstance(statement, ast.Import):
            targets |= {alias.name for alias in statement.names}
        elif isinstance(statement, ast.ImportFrom):
            base = statement.module or ""
            if statement.level:
                anchor = package.split(".")[: len(package.split(".")) - statement.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in statement.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in modules else base)
    return {target for target in targets if target in modules and target != module}


def import_graph(functions: bool = False) -> dict[str, set[str]]:
    """Module -> the ivpdata modules it imports at module level (with `functions`: anywhere)."""
    names = _module_names()
    return {module: _imports(module, path, set(names), functions) for module, path in names.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a path back to its start) per module that lies on one."""
    found = []
    for start in sorted(graph):
        paths = [[start]]
        seen = {start}
        while paths:
            path = paths.pop(0)
            for target in sorted(graph[path[-1]]):
                if target == start:
                    found.append([*path, start])
                    paths = []
                    break
                if target not in seen:
                    seen.add(target)
                    paths.append([*path, target])
    return found


def test_no_module_in_ivpdata_imports_itself_back():
    found = cycles(import_graph())
    assert found == [], "import cycles:\n" + "\n".join(" -> ".join(cycle) for cycle in found)


def test_no_cycle_is_hidden_in_a_function():
    # An import inside a function loads without error, but the two modules still need each other.
    found = cycles(import_graph(functions=True))
    assert found == [], "import cycles through a function:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_cycle_check_finds_a_cycle():
    # The check itself: a made-up graph with a cycle through three modules, and one without.
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert cycles(graph) == [["a", "b", "c", "a"], ["b", "c", "a", "b"], ["c", "a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_the_briefing_modules():
    # The briefing gathers and then calls its layout: a module-level import the graph must see.
    graph = import_graph()
    assert "ivpdata.briefing_pdf" in graph["ivpdata.briefing"]
    assert "ivpdata.briefing_model" in graph["ivpdata.briefing_pdf"]
